"""Ura's evaluation set for identity matching: generated Balkan identities with known truth.

People of Kosovo-Albanian, Albanian, Serbian, Bosniak, Macedonian and Montenegrin naming, with
fathers' names, birth dates, places and sometimes a national number; some are recorded again
by another clerk, in another script or spelling, with typos, names swapped, partial or
mistyped dates and fields left out. The names are common names of the region in random
combinations (``ura.mechanisms.demo.names``); they belong to no real person.

    .venv/bin/python bench/matching_data.py 10000 /tmp/people.csv   # writes people.csv and people.truth.csv
"""

from __future__ import annotations

import csv
import os
import random
import sys
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ura.settings")
django.setup()

from ura.mechanisms.demo import names as n  # noqa: E402  (the demo package needs Django set up)

MONTENEGRIN_FAMILY = ("Vujović", "Radulović", "Popović", "Vuković", "Božović", "Šćepanović", "Perović",
                      "Bulatović", "Knežević", "Radonjić", "Vujošević", "Lakić", "Đurović", "Kaluđerović")
PLACES = ("Prishtinë", "Prizren", "Pejë", "Gjakovë", "Mitrovicë", "Ferizaj", "Gjilan", "Tiranë", "Durrës",
          "Shkodër", "Beograd", "Novi Sad", "Niš", "Kragujevac", "Novi Pazar", "Sarajevo", "Tuzla", "Zenica",
          "Mostar", "Skopje", "Bitola", "Kumanovo", "Tetovo", "Ohrid", "Podgorica", "Nikšić", "Bar", "Rožaje")
COMMUNITIES = (("albanian", 0.3), ("albania", 0.1), ("serbian", 0.2), ("bosniak", 0.15), ("macedonian", 0.15),
               ("montenegrin", 0.1))
# Albanian letters as a Serbian clerk writes them ("Hashim Thaçi" -> "Hašim Tači").
ALBANIAN_TO_SERBIAN = (("xh", "dž"), ("sh", "š"), ("zh", "ž"), ("gj", "đ"), ("th", "t"), ("dh", "d"),
                       ("ll", "l"), ("rr", "r"), ("ç", "č"), ("q", "ć"), ("ë", "e"), ("y", "i"), ("x", "dz"))


@dataclass(frozen=True)
class Person:
    truth: int
    given: str
    family: str
    father: str
    sex: str
    birth: tuple[int, int, int]
    place: str
    national_id: str
    community: str


def _person(rng: random.Random, truth: int) -> Person:
    community = rng.choices([c for c, _w in COMMUNITIES], [w for _c, w in COMMUNITIES])[0]
    cyrillic = community in ("serbian", "macedonian", "montenegrin") and rng.random() < 0.35
    if community == "montenegrin":
        name = n.make_name(rng, "serbian", family=rng.choice(MONTENEGRIN_FAMILY), cyrillic=cyrillic)
    else:
        name = n.make_name(rng, community, cyrillic=cyrillic)
    year = rng.randint(1960, 2012)
    birth = (year, rng.randint(1, 12), rng.randint(1, 28))
    nid = "".join(rng.choice("0123456789") for _ in range(10)) if rng.random() < 0.5 else ""
    return Person(truth, name.given, name.family, name.father, name.sex, birth, rng.choice(PLACES), nid, community)


def _strip(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).replace(
        "đ", "dj").replace("Đ", "Dj")


def _to_serbian(text: str) -> str:
    out = text
    for a, b in ALBANIAN_TO_SERBIAN:
        out = out.replace(a, b).replace(a.capitalize(), b.capitalize())
    return out


def _latin(text: str) -> str:
    table = {v: k for k, v in {**n._SERBIAN_CYRILLIC, **n._MACEDONIAN_CYRILLIC}.items()}
    out = []
    for ch in text:
        lat = table.get(ch.lower(), ch)
        out.append(lat.capitalize() if ch.isupper() else lat)
    return "".join(out)


def _typo(rng: random.Random, text: str) -> str:
    if len(text) < 3:
        return text
    i = rng.randrange(1, len(text) - 1)
    kind = rng.random()
    letter = rng.choice("aeioubdgjklmnrstv")
    if kind < 0.3:
        return text[:i] + letter + text[i + 1:]
    if kind < 0.55:
        return text[:i] + text[i + 1:]
    if kind < 0.8:
        return text[:i] + letter + text[i:]
    return text[:i - 1] + text[i] + text[i - 1] + text[i + 1:]


def _spelling(rng: random.Random, p: Person, text: str) -> str:
    """The same name as another clerk writes it."""
    if not text:
        return text
    r = rng.random()
    if p.community in ("albanian", "albania"):
        if r < 0.25:
            text = _to_serbian(text)
            if rng.random() < 0.4:
                text = n.serbian_cyrillic(text)
        elif r < 0.55:
            text = _strip(text)
    elif p.community in ("serbian", "montenegrin", "macedonian"):
        if any("\u0400" <= c <= "\u04ff" for c in text):
            if r < 0.5:
                text = _latin(text)
                if rng.random() < 0.3:
                    text = _strip(text)
        elif r < 0.3:
            text = (n.macedonian_cyrillic if p.community == "macedonian" else n.serbian_cyrillic)(text)
        elif r < 0.6:
            text = _strip(text)
    elif r < 0.4:
        text = _strip(text)
    if rng.random() < 0.1:
        text = _typo(rng, text)
    if rng.random() < 0.03:
        text = text.upper()
    return text


def _variant(rng: random.Random, p: Person) -> dict[str, str]:
    given, family = _spelling(rng, p, p.given), _spelling(rng, p, p.family)
    if rng.random() < 0.06:
        given, family = family, given
    father = _spelling(rng, p, p.father) if rng.random() < 0.65 else ""
    y, m, d = p.birth
    r = rng.random()
    if r < 0.08:
        dob = ""
    elif r < 0.16:
        dob = f"{y}"
    elif r < 0.2:
        dob = f"{y}-{m:02d}"
    elif r < 0.24 and d <= 12:
        dob = f"{y}-{d:02d}-{m:02d}"
    elif r < 0.28:
        dob = f"{y + rng.choice((-1, 1))}-{m:02d}-{d:02d}"
    elif r < 0.31:
        dob = f"{y}-{m:02d}-{min(28, max(1, d + rng.choice((-1, 1, 10, -10))))}"
    else:
        dob = f"{y}{m:02d}{d:02d}" if rng.random() < 0.3 else f"{y}-{m:02d}-{d:02d}"
    nid = p.national_id if rng.random() < 0.5 else ""
    if nid and rng.random() < 0.05:
        nid = _typo(rng, nid)
    return {"given_name": given, "family_name": family, "father_name": father, "date_of_birth": dob,
            "sex": p.sex if rng.random() < 0.9 else "", "place_of_birth": _spelling(rng, p, p.place)
            if rng.random() < 0.7 else "", "national_id": nid}


def _first(rng: random.Random, p: Person) -> dict[str, str]:
    y, m, d = p.birth
    r = rng.random()
    dob = "" if r < 0.05 else f"{y}" if r < 0.12 else f"{y}-{m:02d}-{d:02d}"
    return {"given_name": p.given, "family_name": p.family, "father_name": p.father if rng.random() < 0.8 else "",
            "date_of_birth": dob, "sex": p.sex, "place_of_birth": p.place if rng.random() < 0.8 else "",
            "national_id": p.national_id}


def generate(size: int, seed: int = 7) -> list[tuple[int, dict[str, str]]]:
    """``size`` records as (truth, row): about a quarter are further records of a person already listed."""
    rng = random.Random(seed)
    rows: list[tuple[int, dict[str, str]]] = []
    truth = 0
    while len(rows) < size:
        p = _person(rng, truth)
        truth += 1
        rows.append((p.truth, _first(rng, p)))
        extra = rng.choices((0, 1, 2, 3), (0.8, 0.13, 0.05, 0.02))[0]
        for _ in range(extra):
            if len(rows) < size:
                rows.append((p.truth, _variant(rng, replace(p))))
    rng.shuffle(rows)
    return rows


def write(size: int, path: Path, seed: int = 7) -> Path:
    """The records to ``path`` (no truth in it) and the truth to ``<stem>.truth.csv``."""
    rows = generate(size, seed)
    columns = ["id", "given_name", "family_name", "father_name", "date_of_birth", "sex", "place_of_birth",
               "national_id"]
    truth_path = path.with_suffix(".truth.csv")
    with path.open("w", encoding="utf-8", newline="") as f, truth_path.open("w", encoding="utf-8", newline="") as t:
        w, tw = csv.writer(f), csv.writer(t)
        w.writerow(columns)
        tw.writerow(["id", "person"])
        for i, (truth, row) in enumerate(rows, start=1):
            w.writerow([f"r{i}", *(row[c] for c in columns[1:])])
            tw.writerow([f"r{i}", truth])
    return truth_path


if __name__ == "__main__":
    write(int(sys.argv[1]), Path(sys.argv[2]))
