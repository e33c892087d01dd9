"""``ura match-csv``: duplicates in one file, links between two, and its refusals."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

HEADER = "id,given_name,family_name,father_name,date_of_birth,sex,place_of_birth,national_id\n"
PEOPLE = [
    "a1,Hashim,Thaçi,Ramadan,1968-04-24,m,Skenderaj,",
    "a2,Jelena,Jovanović,Dragan,1990-03-17,f,Beograd,",
    "a3,Shkëlzen,Çeku,Agim,1985-11-02,m,Prishtinë,1234567890",
    "a4,Amina,Hodžić,Senad,2001-06-09,f,Sarajevo,",
    "a5,Трајче,Стојчев,Кирил,1979-01-30,m,Bitola,",
    "a6,Marko,Petrović,Nikola,1972-08-14,m,Novi Sad,",
    "a7,Besa,Krasniqi,Ilir,1995-12-01,f,Prizren,",
    "a8,Vuk,Šćepanović,Milan,1988-05-05,m,Podgorica,",
    "a9,Lejla,Kurtović,Emir,1999-09-19,f,Tuzla,",
    "a10,Arben,Gashi,Fatos,1981-07-07,m,Pejë,",
]
SAME_PEOPLE = [
    "b1,Хашим,Тачи,Рамадан,1968,m,,",
    "b2,Јелена,Јовановић,,19900317,f,Beograd,",
    "b3,Ceku,Shkelzen,Agim,1985-11,m,Prishtine,1234567890",
    "b4,Amina,Hodzic,Senad,2001-06-09,,Sarajevo,",
    "b5,Trajche,Stojchev,Kiril,1979-01-30,m,,",
]
STRANGERS = [
    "c1,Nikola,Marković,Zoran,1964-02-11,m,Niš,",
    "c2,Drita,Berisha,Naim,2003-10-10,f,Gjakovë,",
    "c3,Emir,Mujović,Damir,1977-03-03,m,Rožaje,",
]


def _file(tmp_path: Path, name: str, rows: list[str], header: str = HEADER) -> Path:
    path = tmp_path / name
    path.write_text(header + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def _pairs(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _run(*args: object) -> None:
    call_command("match-csv", *(str(a) for a in args))


def test_one_file_finds_the_duplicates_inside_it(tmp_path: Path) -> None:
    people = _file(tmp_path, "people.csv", PEOPLE + SAME_PEOPLE + STRANGERS)
    out = tmp_path / "pairs.csv"
    _run(people, "--out", out)
    found = {frozenset((p["left_id"], p["right_id"])) for p in _pairs(out)}
    assert found == {frozenset((f"a{i}", f"b{i}")) for i in range(1, 6)}


def test_two_files_are_linked(tmp_path: Path) -> None:
    left = _file(tmp_path, "left.csv", PEOPLE)
    right = _file(tmp_path, "right.csv", SAME_PEOPLE + STRANGERS)
    out = tmp_path / "pairs.csv"
    _run(left, right, "--out", out)
    assert {(p["left_id"], p["right_id"]) for p in _pairs(out)} == {(f"a{i}", f"b{i}") for i in range(1, 6)}


def test_the_output_is_best_first_with_weight_and_probability(tmp_path: Path) -> None:
    left = _file(tmp_path, "left.csv", PEOPLE)
    right = _file(tmp_path, "right.csv", SAME_PEOPLE)
    out = tmp_path / "pairs.csv"
    _run(left, right, "--out", out)
    rows = _pairs(out)
    assert list(rows[0]) == ["left_id", "right_id", "weight", "probability"]
    weights = [float(r["weight"]) for r in rows]
    assert weights == sorted(weights, reverse=True)


def test_each_record_is_in_one_pair_unless_many_is_asked(tmp_path: Path) -> None:
    left = _file(tmp_path, "left.csv", [PEOPLE[1]])
    right = _file(tmp_path, "right.csv", [SAME_PEOPLE[1], "b9,Jelena,Jovanovic,Dragan,1990-03-17,f,Beograd,"])
    one, many = tmp_path / "one.csv", tmp_path / "many.csv"
    _run(left, right, "--out", one)
    _run(left, right, "--out", many, "--many")
    assert (len(_pairs(one)), len(_pairs(many))) == (1, 2)


def test_the_one_to_one_pair_is_the_stronger(tmp_path: Path) -> None:
    left = _file(tmp_path, "left.csv", [PEOPLE[1]])
    right = _file(tmp_path, "right.csv", [SAME_PEOPLE[1], "b9,Jelena,Jovanovic,Dragan,1990-03-17,f,Beograd,"])
    out = tmp_path / "pairs.csv"
    _run(left, right, "--out", out)
    assert _pairs(out)[0]["right_id"] == "b9"


def test_the_threshold_keeps_exactly_the_pairs_at_or_above_it(tmp_path: Path) -> None:
    weaker = ["d1,Jelena,Jovanović,,1990,f,,", "d2,Marko,Petrovic,,1972,m,,"]
    people = _file(tmp_path, "people.csv", PEOPLE + SAME_PEOPLE + STRANGERS + weaker)
    everything, above = tmp_path / "all.csv", tmp_path / "above.csv"
    _run(people, "--out", everything, "--threshold", "0")
    weakest = min(float(p["probability"]) for p in _pairs(everything))
    strongest = max(float(p["probability"]) for p in _pairs(everything))
    threshold = (weakest + strongest) / 2
    _run(people, "--out", above, "--threshold", threshold)
    expected = [p for p in _pairs(everything) if float(p["probability"]) >= threshold]
    assert _pairs(above) == expected and 0 < len(expected) < len(_pairs(everything))


@pytest.mark.parametrize("dob", ["1990", "1990-03", "1990-03-17", "19900317"])
def test_every_date_format_is_read(tmp_path: Path, dob: str) -> None:
    left = _file(tmp_path, "left.csv", [PEOPLE[1]])
    right = _file(tmp_path, "right.csv", [f"r,Jelena,Jovanovic,Dragan,{dob},f,Beograd,"])
    out = tmp_path / "pairs.csv"
    _run(left, right, "--out", out, "--threshold", "0.5")
    assert [p["right_id"] for p in _pairs(out)] == ["r"]


def test_other_columns_are_ignored_with_a_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    people = _file(tmp_path, "people.csv", ["1,Ana,Ilić,x", "2,Ana,Ilic,y"], header="id,given_name,family_name,notes\n")
    _run(people, "--out", tmp_path / "pairs.csv")
    assert "ignoring column “notes”" in capsys.readouterr().err


@pytest.mark.parametrize(("content", "message"), [
    ("", "empty"),
    ("id,given_name,family_name\n1,Ana,Ilić,extra\n", "more values than columns"),
    ("id,notes\n1,x\n", "no name or national_id column"),
    ("id,given_name\n1,Ana\n1,Marko\n", "is repeated"),
])
def test_a_bad_file_is_refused_with_the_reason(tmp_path: Path, content: str, message: str) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        _run(bad, "--out", tmp_path / "pairs.csv")


def test_a_file_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_bytes("id,given_name\n1,Šćepanović\n".encode("cp1250"))
    with pytest.raises(CommandError, match="not UTF-8"):
        _run(bad, "--out", tmp_path / "pairs.csv")


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="cannot be read"):
        _run(tmp_path / "nowhere.csv", "--out", tmp_path / "pairs.csv")


@pytest.mark.parametrize("dob", ["1990-13-01", "31.02.1990", "someday"])
def test_a_date_that_is_not_a_date_is_read_as_unknown_with_a_warning(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], dob: str) -> None:
    left = _file(tmp_path, "left.csv", [PEOPLE[1]])
    right = _file(tmp_path, "right.csv", [f"r,Jelena,Jovanovic,Dragan,{dob},f,Beograd,"])
    out = tmp_path / "pairs.csv"
    _run(left, right, "--out", out, "--threshold", "0.5")
    assert "line 2" in capsys.readouterr().err and [p["right_id"] for p in _pairs(out)] == ["r"]


def test_nothing_is_written_when_the_second_file_is_bad(tmp_path: Path) -> None:
    left = _file(tmp_path, "left.csv", PEOPLE)
    bad = tmp_path / "bad.csv"
    bad.write_text("id,given_name\n1,Ana\n1,Marko\n", encoding="utf-8")
    out = tmp_path / "pairs.csv"
    out.write_text("the previous run\n", encoding="utf-8")
    with pytest.raises(CommandError):
        _run(left, bad, "--out", out)
    assert out.read_text(encoding="utf-8") == "the previous run\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.csv", "left.csv", "pairs.csv"]


def test_a_threshold_outside_zero_to_one_is_refused(tmp_path: Path) -> None:
    people = _file(tmp_path, "people.csv", PEOPLE)
    with pytest.raises(CommandError, match="between 0 and 1"):
        _run(people, "--out", tmp_path / "pairs.csv", "--threshold", "12")


def test_explain_lists_each_fields_level_and_weight(tmp_path: Path) -> None:
    left = _file(tmp_path, "left.csv", [PEOPLE[1]])
    right = _file(tmp_path, "right.csv", ["r,Jelena,Jovanovic,Dragan,1990-03-17,f,Beograd,"])
    out = tmp_path / "pairs.csv"
    _run(left, right, "--out", out, "--explain")
    explanation = _pairs(out)[0]["explanation"]
    assert explanation.startswith("given_name=0:+") and "date_of_birth=0:+" in explanation
