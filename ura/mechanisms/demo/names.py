"""Synthetic names of the region, in the script a clerk would write them in.

Every name here is a common given or family name; the combinations are random and
belong to no real person.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

ALBANIAN_MALE = (
    "Arben", "Blerim", "Driton", "Fatos", "Gëzim", "Ilir", "Kushtrim", "Labinot", "Lulzim", "Valon", "Visar",
    "Agon", "Besart", "Dardan", "Egzon", "Ermal", "Florent", "Liridon", "Arlind", "Endrit", "Albion", "Leutrim",
    "Mergim", "Rinor", "Shpend", "Ardit", "Jetmir", "Astrit", "Bujar", "Fitim", "Naim", "Përparim", "Uran",
)
ALBANIAN_FEMALE = (
    "Arta", "Blerta", "Drita", "Fjolla", "Gresa", "Jehona", "Leonora", "Mimoza", "Njomza", "Teuta", "Vlora",
    "Albulena", "Besa", "Donika", "Edona", "Fatlinda", "Lirie", "Qëndresa", "Rina", "Vjosa", "Erza", "Dafina",
    "Elira", "Shqipe", "Ardiana", "Hana", "Mirlinda", "Valbona",
)
ALBANIAN_FAMILY = (
    "Krasniqi", "Gashi", "Berisha", "Morina", "Shala", "Hoxha", "Kryeziu", "Bytyqi", "Rexhepi", "Ahmeti",
    "Hasani", "Mustafa", "Zeqiri", "Kelmendi", "Syla", "Osmani", "Ramadani", "Emini", "Xhemaili", "Ajeti",
    "Limani", "Salihu", "Hyseni", "Sadiku", "Maliqi", "Aliu", "Halimi", "Selimi", "Bajrami", "Imeri",
)
ALBANIA_FAMILY = (
    "Hoxha", "Çela", "Dervishi", "Shehu", "Kola", "Leka", "Dedja", "Tafaj", "Bregu", "Çaushi", "Muça",
    "Gjoni", "Lika", "Hysa", "Xhafa", "Marku", "Sula", "Kapllani", "Pasha", "Dibra", "Toska", "Rrapaj",
)
SERBIAN_MALE = (
    "Marko", "Nikola", "Stefan", "Lazar", "Miloš", "Nemanja", "Dušan", "Aleksandar", "Filip", "Vuk", "Luka",
    "Đorđe", "Uroš", "Petar", "Bogdan", "Milan", "Dragan", "Nenad", "Vladimir", "Jovan",
)
SERBIAN_FEMALE = (
    "Jelena", "Milica", "Ana", "Marija", "Teodora", "Jovana", "Katarina", "Anđela", "Sara", "Tijana",
    "Ivana", "Dragana", "Snežana", "Nataša", "Mina", "Ljiljana",
)
SERBIAN_FAMILY = (
    "Jovanović", "Petrović", "Nikolić", "Marković", "Đorđević", "Stojanović", "Ilić", "Stanković", "Pavlović",
    "Todorović", "Živković", "Lazić", "Vasić", "Ristić", "Kostić", "Mitić", "Radić", "Savić", "Simić",
)
BOSNIAK_MALE = (
    "Amar", "Adnan", "Emir", "Harun", "Kenan", "Tarik", "Mirza", "Armin", "Edin", "Senad", "Eldar", "Haris",
    "Faruk", "Almir", "Ismar", "Nedim", "Damir", "Semir", "Elvis", "Enis", "Safet", "Muhamed",
)
BOSNIAK_FEMALE = (
    "Amina", "Lejla", "Ajla", "Emina", "Merima", "Selma", "Belma", "Dženana", "Naida", "Azra", "Edina",
    "Medina", "Sabina", "Alma", "Elma", "Ilma", "Sanela", "Fatima",
)
BOSNIAK_FAMILY = (
    "Hodžić", "Kurtović", "Mujović", "Hadžić", "Suljović", "Bajramović", "Dudić", "Fetahović", "Halilović",
    "Muratović", "Šabotić", "Kačar", "Nokić", "Gegić", "Hamidović", "Mehmedović", "Škrijelj", "Rovčanin",
    "Zornić", "Pepić", "Ćatović", "Kolašinac",
)
MACEDONIAN_MALE = (
    "Aleksandar", "Stefan", "Nikola", "Bojan", "Dimitar", "Goran", "Darko", "Filip", "Martin", "Viktor",
    "Ivan", "Petar", "Kiril", "Dejan", "Zoran", "Mihail", "Trajče", "Vlatko",
)
MACEDONIAN_FEMALE = (
    "Ana", "Marija", "Elena", "Ivana", "Sara", "Simona", "Kristina", "Angela", "Bojana", "Teodora", "Milena",
    "Biljana", "Katerina", "Vesna", "Jovana",
)
# Masculine forms; the feminine ends in -ska / -eva / -ova.
MACEDONIAN_FAMILY = (
    "Stojanovski", "Petrovski", "Nikolovski", "Trajkovski", "Jovanovski", "Dimitrovski", "Georgievski",
    "Ristovski", "Kostovski", "Spasovski", "Mitrevski", "Angelovski", "Ilievski", "Stojkovski", "Arsovski",
    "Trajanov", "Pavlov", "Stojčev",
)
DANISH_MALE = ("Mads", "Frederik", "Oliver", "Mikkel", "Rasmus", "Jonas", "Emil", "Magnus", "Kasper", "Mathias",
               "Anders", "Søren", "Lasse", "Nikolaj")
DANISH_FEMALE = ("Freja", "Ida", "Emma", "Sofie", "Laura", "Maja", "Caroline", "Julie", "Anna", "Clara",
                 "Mette", "Line", "Trine", "Signe")
DANISH_FAMILY = ("Jensen", "Nielsen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen", "Sørensen",
                 "Rasmussen", "Jørgensen", "Madsen", "Kristensen", "Poulsen", "Mortensen")

_SERBIAN_CYRILLIC = {
    "lj": "љ", "nj": "њ", "dž": "џ", "a": "а", "b": "б", "v": "в", "g": "г", "d": "д", "đ": "ђ", "e": "е",
    "ž": "ж", "z": "з", "i": "и", "j": "ј", "k": "к", "l": "л", "m": "м", "n": "н", "o": "о", "p": "п",
    "r": "р", "s": "с", "t": "т", "ć": "ћ", "u": "у", "f": "ф", "h": "х", "c": "ц", "č": "ч", "š": "ш",
}
_MACEDONIAN_CYRILLIC = {**{k: v for k, v in _SERBIAN_CYRILLIC.items() if k not in ("đ", "ć")},
                        "dz": "ѕ", "gj": "ѓ", "kj": "ќ"}


def _transliterate(text: str, table: dict[str, str]) -> str:
    out: list[str] = []
    i = 0
    while i < len(text):
        for size in (2, 1):
            chunk = text[i:i + size]
            letter = table.get(chunk.lower())
            if letter is not None and len(chunk) == size:
                out.append(letter.upper() if chunk[0].isupper() else letter)
                i += size
                break
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def serbian_cyrillic(text: str) -> str:
    """Serbian Latin to Cyrillic: the two alphabets map one to one (Јовановић)."""
    return _transliterate(text, _SERBIAN_CYRILLIC)


def macedonian_cyrillic(text: str) -> str:
    return _transliterate(text, _MACEDONIAN_CYRILLIC)


def _macedonian_feminine(family: str) -> str:
    if family.endswith("ski"):
        return family[:-1] + "a"
    return family + "a"


@dataclass(frozen=True)
class Name:
    given: str
    family: str
    father: str
    sex: str  # "m" or "f"
    community: str
    family_base: str  # Latin script, masculine form: shared by the whole family
    cyrillic: bool

    @property
    def full(self) -> str:
        return f"{self.given} {self.family}"


def make_name(rng: random.Random, community: str, *, sex: str | None = None, family: str | None = None,
              cyrillic: bool = False) -> Name:
    """A random name of ``community``; ``cyrillic`` writes Serbian and Macedonian names in Cyrillic."""
    sex = sex or rng.choice("mf")
    if community in ("albanian", "albania"):
        given = rng.choice(ALBANIAN_MALE if sex == "m" else ALBANIAN_FEMALE)
        family = base = family or rng.choice(ALBANIAN_FAMILY if community == "albanian" else ALBANIA_FAMILY)
        father = rng.choice(ALBANIAN_MALE)
    elif community == "serbian":
        given = rng.choice(SERBIAN_MALE if sex == "m" else SERBIAN_FEMALE)
        family = base = family or rng.choice(SERBIAN_FAMILY)
        father = rng.choice(SERBIAN_MALE)
    elif community == "bosniak":
        given = rng.choice(BOSNIAK_MALE if sex == "m" else BOSNIAK_FEMALE)
        family = base = family or rng.choice(BOSNIAK_FAMILY)
        father = rng.choice(BOSNIAK_MALE)
    elif community == "macedonian":
        given = rng.choice(MACEDONIAN_MALE if sex == "m" else MACEDONIAN_FEMALE)
        family = base = family or rng.choice(MACEDONIAN_FAMILY)
        if sex == "f" and not family.endswith(("ska", "va")):
            family = _macedonian_feminine(family)
        father = rng.choice(MACEDONIAN_MALE)
    elif community == "danish":
        given = rng.choice(DANISH_MALE if sex == "m" else DANISH_FEMALE)
        family = base = family or rng.choice(DANISH_FAMILY)
        father = ""
    else:
        raise ValueError(community)
    if cyrillic and community == "serbian":
        given, family, father = serbian_cyrillic(given), serbian_cyrillic(family), serbian_cyrillic(father)
    elif cyrillic and community == "macedonian":
        given, family, father = macedonian_cyrillic(given), macedonian_cyrillic(family), macedonian_cyrillic(father)
    return Name(given=given, family=family, father=father, sex=sex, community=community, family_base=base,
                cyrillic=cyrillic and community in ("serbian", "macedonian"))
