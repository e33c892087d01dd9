"""Small-cell suppression: primary, secondary (differencing), and on the real country table."""

from __future__ import annotations

import datetime as dt

from tests.monitoring_data import make_case
from tests.test_monitoring_indicators import TODAY, UNTIL, build
from tests.world import World
from ura.monitoring.catalogue import Catalogue
from ura.monitoring.indicators import CountryTable, indicators_for
from ura.monitoring.scopes import country_scope, mechanism_scope
from ura.monitoring.suppression import hidden_text, suppress
from ura.support.models import InterventionType


def test_counts_from_one_to_four_are_hidden_and_zero_is_shown() -> None:
    counts = {"a": 0, "b": 1, "c": 4, "d": 5}
    assert suppress(counts, []) == {"b", "c"}


def test_one_hidden_part_takes_the_smallest_other_part_with_it() -> None:
    # total 20 = 2 + 7 + 11: showing 7, 11 and 20 would give away the 2.
    counts = {"total": 20, "a": 2, "b": 7, "c": 11}
    assert suppress(counts, [("total", ["a", "b", "c"])]) == {"a", "b"}


def test_zeros_are_never_picked_to_cover_a_hidden_part() -> None:
    counts = {"total": 9, "a": 3, "b": 0, "c": 6}
    assert suppress(counts, [("total", ["a", "b", "c"])]) == {"a", "c"}


def test_when_no_other_part_can_cover_it_the_total_is_hidden() -> None:
    counts = {"total": 3, "a": 3, "b": 0}
    assert suppress(counts, [("total", ["a", "b"])]) == {"total", "a"}
    # Two parts: hiding one small part always takes the other with it.
    assert suppress({"x": 2, "y": 7, "t": 9}, [("t", ["x", "y"])]) == {"x", "y"}


def test_hiding_spreads_across_linked_sums_until_each_has_none_or_two_hidden() -> None:
    # A 2 x 2 table with margins: rows r1, r2; columns c1, c2.
    counts = {"r1c1": 3, "r1c2": 10, "r2c1": 8, "r2c2": 12, "r1": 13, "r2": 20, "c1": 11, "c2": 22, "all": 33}
    groups = [("r1", ["r1c1", "r1c2"]), ("r2", ["r2c1", "r2c2"]), ("c1", ["r1c1", "r2c1"]), ("c2", ["r1c2", "r2c2"]),
              ("all", ["r1", "r2"]), ("all", ["c1", "c2"])]
    hidden = suppress(counts, groups)
    assert hidden == {"r1c1", "r1c2", "r2c1", "r2c2"}  # the four cells; every margin stays published
    for total, parts in groups:
        assert sum(k in hidden for k in (total, *parts)) != 1


def test_the_result_depends_only_on_the_data() -> None:
    counts = {"t": 20, "a": 2, "b": 9, "c": 9}
    groups = [("t", ["a", "b", "c"])]
    assert suppress(counts, groups) == suppress(dict(reversed(counts.items())), groups) == {"a", "b"}


def test_hidden_figures_are_written_as_small_or_as_hidden() -> None:
    assert (hidden_text(0), hidden_text(4), hidden_text(5), hidden_text(None)) == ("<5", "<5", "x", "x")


# --- on the country table of the fixed data set -------------------------------------------------------

def _country(world: World, other: World) -> CountryTable:
    build(world)
    for i in range(3):
        make_case(other, dt.date(2024, 2, 1 + i), sector="health")
    types = list(InterventionType.objects.values_list("code", "name"))
    return CountryTable("XK", [2024], UNTIL, Catalogue.build(types))


def test_no_sum_of_published_figures_leaves_exactly_one_hidden(world: World, other: World) -> None:
    t = _country(world, other)
    for total, parts in t._groups():
        assert sum(k in t.hidden for k in (total, *parts)) != 1, (total, parts)


def test_no_published_count_is_between_one_and_four(world: World, other: World) -> None:
    t = _country(world, other)
    for key, value in t.counts.items():
        if 0 < value < 5:
            assert key in t.hidden, key


def test_a_mechanism_alone_in_its_level_is_hidden_with_the_level(world: World, other: World) -> None:
    # Mechanism B's 3 referrals in Q1 are "<5"; the country's Q1 minus A's Q1 would give them away.
    t = _country(world, other)
    b, a = ("m", other.mechanism.pk), ("m", world.mechanism.pk)
    assert ("referrals.all", b, 2024, 1) in t.hidden
    assert ("referrals.all", a, 2024, 1) in t.hidden or ("referrals.all", ("c", "XK"), 2024, 1) in t.hidden


def test_differencing_the_national_and_mechanism_reports_gives_nothing_away(world: World, other: World) -> None:
    """What a national analyst can read from the two published tables never pins a hidden figure."""
    _country(world, other)
    national = indicators_for(country_scope("XK"), 2024, today=TODAY)
    mine = {w.mechanism.pk: indicators_for(mechanism_scope(w.mechanism), 2024, today=TODAY) for w in (world, other)}
    for table in national.tables:
        if table.definition.section == "capacity":
            continue
        for i, row in enumerate(table.rows):
            if row.kind not in ("count", "subtotal", "total"):
                continue
            for j, figure in enumerate(row.figures):
                parts = [m.table(table.key).rows[i].figures[j] for m in mine.values()]
                hidden = [p for p in parts if p.hidden]
                if figure.hidden:
                    continue
                # With the national figure published, the mechanisms' figures are all shown or two are hidden.
                assert len(hidden) != 1, (table.key, row.definition.key, j)
                if not hidden:
                    assert figure.value == sum(p.value for p in parts)


def test_the_same_figure_is_hidden_in_every_view_of_it(world: World, other: World) -> None:
    _country(world, other)
    a1 = indicators_for(mechanism_scope(world.mechanism), 2024, today=TODAY)
    a2 = indicators_for(mechanism_scope(world.mechanism), 2024, trend_years=3, today=TODAY)
    assert [[f.text for r in t.rows for f in r.figures] for t in a1.tables] == [
        [f.text for r in t.rows for f in r.figures] for t in a2.tables]
