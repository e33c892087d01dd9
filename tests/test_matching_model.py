"""The Fellegi–Sunter model: weights learnt without labels, explained field by field."""

from __future__ import annotations

import pytest

from ura.matching.compare import BirthDate, Record, compare
from ura.matching.linkage import blocking_keys, estimate_parameters, link, make_record
from ura.matching.model import Parameters


@pytest.fixture(scope="module")
def records() -> list[Record]:
    from bench.matching_data import generate

    return [make_record({"id": f"r{i}", **row}) for i, (_truth, row) in enumerate(generate(3000, seed=11))]


def test_em_learns_that_agreeing_names_are_evidence_and_different_dates_are_not(records: list[Record]) -> None:
    params = estimate_parameters(records)
    assert params.bits("family_name", 0) > 3 and params.bits("date_of_birth", 3) < -2


def test_the_explanation_adds_up_to_the_weight() -> None:
    params = Parameters.defaults()
    a = Record(id="1", given="jelena", family="jovanovic", birth=BirthDate(1990, 3, 17), sex="f")
    b = Record(id="2", given="jelena", family="jovanovic", birth=BirthDate(1990), sex="f")
    vector = compare(a, b)
    total = sum(bits for _name, _level, bits in params.explain(vector))
    assert total == pytest.approx(params.weight(vector), abs=0.05)


def test_swapped_names_agree_on_both_names() -> None:
    a = Record(id="1", given="hasim", family="taci")
    b = Record(id="2", given="taci", family="hasim")
    assert compare(a, b)[:2] == (0, 0)


def test_swapped_names_share_a_blocking_key() -> None:
    a = Record(id="1", given="hasim", family="taci", birth=BirthDate(1968))
    b = Record(id="2", given="taci", family="hasim", birth=BirthDate(1968, 4, 24))
    assert blocking_keys(a) & blocking_keys(b)


def test_blocking_keys_depend_only_on_normalised_values() -> None:
    one = make_record({"id": "1", "given_name": "Hašim", "family_name": "Tači", "date_of_birth": "1968"})
    two = make_record({"id": "2", "given_name": "Хашим", "family_name": "Тачи", "date_of_birth": "1968"})
    assert blocking_keys(one) == blocking_keys(two)


def test_a_higher_weight_is_a_higher_probability() -> None:
    params = Parameters.defaults()
    assert params.probability(5) < params.probability(10) < params.probability(20)


def test_linking_a_list_to_itself_pairs_every_record_with_itself(records: list[Record]) -> None:
    sample = records[:300]
    pairs, _params = link(sample, list(sample), threshold=0.5)
    assert sum(p.left is p.right for p in pairs) >= 0.95 * len(sample)
