"""The normaliser on hand-checked names of each language and script of the region."""

from __future__ import annotations

import pytest

from ura.matching.compare import BirthDate, date_level, jaro_winkler, name_level
from ura.matching.normalise import name_key, normalise

SAME = [
    # Serbian: Latin with and without diacritics, Cyrillic.
    ("Jovanović", "Jovanovic"),
    ("Jovanović", "Јовановић"),
    ("Đorđe Đurović", "Djordje Djurovic"),
    ("Ђорђе", "Dorđe".replace("D", "Đ")),
    ("Љиљана Живковић", "Ljiljana Zivkovic"),
    ("Милош Стојановић", "MILOS STOJANOVIC"),
    # Albanian: ë and ç lost; Serbian spelling of Albanian names, in Latin and Cyrillic.
    ("Shkëlzen Çeku", "Shkelzen Ceku"),
    ("Hashim Thaçi", "Hašim Tači"),
    ("Hashim Thaçi", "Хашим Тачи"),
    ("Krasniqi", "Krasnići"),
    ("Bytyqi", "Битићи"),
    ("Xhemaili", "Džemaili"),
    ("Gjoni", "Đoni"),
    ("Qëndresa", "Ćendresa"),
    ("Zhuj", "Žuj"),
    ("Rrapaj", "Rapaj"),
    # Macedonian Cyrillic and its Latin transcriptions.
    ("Трајче Стојчев", "Trajče Stojčev"),
    ("Трајче", "Trajche"),
    ("Ѓорѓи", "Gjorgji"),
    ("Јовановиќ", "Jovanović"),
    ("Ѕвонко", "Dzvonko"),
    # Bosnian.
    ("Dženana Hodžić", "Dzenana Hodzic"),
    ("Šabotić", "Sabotic"),
    ("Hadžić", "Хаџић"),
    # Montenegrin.
    ("Šćepanović", "Scepanovic"),
    ("Šćepanović", "Шћепановић"),
    ("Kaluđerović", "Kaludjerovic"),
    # Spacing, hyphens and doubled letters.
    ("  Ana-Marija   Hasani ", "ana marija hassani"),
]

DIFFERENT = [
    ("Jovanović", "Jovanovski"),
    ("Petrović", "Petrovska"),
    ("Marko", "Mirko"),
    ("Ilir", "Ilira"),
    ("Drita", "Dita"),
    ("Nikolić", "Nikolovski"),
    ("Shala", "Hala"),
    ("Berisha", "Beqiri"),
]


@pytest.mark.parametrize(("a", "b"), SAME)
def test_spellings_of_one_name_normalise_alike(a: str, b: str) -> None:
    assert normalise(a) == normalise(b)


@pytest.mark.parametrize(("a", "b"), DIFFERENT)
def test_different_names_stay_different(a: str, b: str) -> None:
    assert normalise(a) != normalise(b)


def test_the_issue_examples_reach_one_form() -> None:
    assert {normalise(n) for n in ("Hashim Thaçi", "Хашим Тачи", "Hašim Tači")} == {"hasim taci"}


def test_a_typo_keeps_the_sound_key() -> None:
    assert name_key(normalise("Krasniqi")) == name_key(normalise("Krasnigi")[:5] + "ci")


def test_jaro_winkler_matches_the_published_examples() -> None:
    assert jaro_winkler("martha", "marhta") == pytest.approx(0.9611, abs=1e-4)
    assert jaro_winkler("dixon", "dicksonx") == pytest.approx(0.8133, abs=1e-4)
    assert jaro_winkler("abc", "xyz") == 0.0


def test_a_one_letter_typo_is_a_close_name() -> None:
    assert name_level(normalise("Kelmendi"), normalise("Kelmedni")) == 1


def test_a_missing_name_says_nothing() -> None:
    assert name_level("", "marko") is None


@pytest.mark.parametrize(("a", "b", "level"), [
    (BirthDate(1990, 5, 17), BirthDate(1990, 5, 17), 0),
    (BirthDate(1990, 5, 17), BirthDate(1990), 1),
    (BirthDate(1990, 5, 17), BirthDate(1990, 5), 1),
    (BirthDate(1990, 5, 7), BirthDate(1990, 7, 5), 2),
    (BirthDate(1990, 5, 17), BirthDate(1991, 5, 17), 2),
    (BirthDate(1990, 5, 17), BirthDate(1990, 5, 18), 2),
    (BirthDate(1990, 5, 17), BirthDate(1984, 2, 3), 3),
    (BirthDate(1990), BirthDate(1991), 2),
    (BirthDate(1990), BirthDate(1985), 3),
])
def test_dates_agree_at_the_precision_both_know(a: BirthDate, b: BirthDate, level: int) -> None:
    assert date_level(a, b) == level
