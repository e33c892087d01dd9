"""Names of the region in any script and spelling, reduced to one comparable form.

"Jovanović", "Jovanovic" and "Јовановић" all become ``jovanovic``; "Shkëlzen Çeku" and
"Shkelzen Ceku" become ``skelzen ceku``; "Hashim Thaçi", "Хашим Тачи" and "Hašim Tači" become
``hasim taci``. The form is for comparison only: it is never shown, and it deliberately
merges sounds that the region's spellings write differently (Albanian ``ç``/``q``, Serbian
``č``/``ć``, Macedonian ``ќ`` all become ``c``). Every step is a ``str.translate`` or a
``str.replace``, so a name costs a few microseconds.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Serbian and Macedonian Cyrillic (and the Russian and Bulgarian letters a clerk may meet) to
# a Latin spelling. Affricates and sibilants keep their diacritics here; _FOLD merges them next.
_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "ђ": "đ", "ѓ": "gj", "е": "e", "ё": "e", "є": "e",
    "ж": "ž", "з": "z", "ѕ": "dz", "и": "i", "і": "i", "ї": "i", "й": "j", "ј": "j", "к": "k", "л": "l",
    "љ": "lj", "м": "m", "н": "n", "њ": "nj", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "ћ": "ć",
    "ќ": "kj", "у": "u", "ў": "u", "ф": "f", "х": "h", "ц": "c", "ч": "č", "џ": "dž", "ш": "š", "щ": "šc",
    "ъ": "a", "ы": "i", "ь": "", "э": "e", "ю": "ju", "я": "ja",
}

# Latin letters with diacritics of the region, folded to the base spelling that the
# digraph rules below expect. ``ç`` and ``ë`` are Albanian; ``ð`` is a common mistyping of ``đ``.
_LETTERS = {
    "č": "c", "ć": "c", "ç": "c", "š": "s", "ž": "z", "đ": "dz", "ð": "dz", "ë": "e", "ü": "i", "y": "i",
    "q": "c", "x": "dz", "w": "v", "ß": "ss", "æ": "ae", "ø": "o", "å": "a", "œ": "oe", "ł": "l", "ı": "i",
}

# Digraphs, longest first: Albanian (xh, sh, zh, gj, th, dh, ll, rr), Serbian Latin (dž, dj)
# and the English-style transcriptions of Cyrillic (ch, sh, zh, kj, tsh). Applied after
# _LETTERS except where a digraph contains a letter that _LETTERS would change first.
_DIGRAPHS_BEFORE = (("xh", "dz"), ("dž", "dz"), ("tsh", "c"), ("ch", "c"), ("sh", "s"), ("zh", "z"),
                    ("th", "t"), ("dh", "d"))
_DIGRAPHS_AFTER = (("gj", "dz"), ("dj", "dz"), ("kj", "c"), ("ph", "f"))

_TABLE = str.maketrans({**_CYRILLIC, **{k.upper(): v for k, v in _CYRILLIC.items()}})
_NOT_LETTER = re.compile(r"[^a-z ]+")
_DOUBLE = re.compile(r"([a-z])\1+")
_SPACES = re.compile(r"\s+")


def _strip_marks(text: str) -> str:
    """Remove combining marks that have no entry in _LETTERS (é, ö, ...)."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalise_uncached(name: str) -> str:
    """The comparable form of one name (several words allowed, order kept)."""
    text = unicodedata.normalize("NFC", name).lower().translate(_TABLE)
    for a, b in _DIGRAPHS_BEFORE:
        if a in text:
            text = text.replace(a, b)
    for a, b in _LETTERS.items():
        if a in text:
            text = text.replace(a, b)
    text = _strip_marks(text)
    for a, b in _DIGRAPHS_AFTER:
        if a in text:
            text = text.replace(a, b)
    text = _NOT_LETTER.sub(" ", text)
    text = _DOUBLE.sub(r"\1", text)
    return _SPACES.sub(" ", text).strip()


# Names repeat a great deal in any register; the cache makes the common ones free.
normalise = lru_cache(maxsize=200_000)(normalise_uncached)


def name_key(normalised: str) -> str:
    """A coarse sound key of a normalised name: first letter, then consonant classes, 4 long.

    Robust to vowel slips, doubled letters and most one-letter typos after the third sound;
    a function of the normalised value only, so it can be stored as a keyed blind index.
    """
    word = normalised.replace(" ", "")
    if not word:
        return ""
    out = [word[0]]
    last = _CLASS.get(word[0], "")
    for ch in word[1:]:
        cls = _CLASS.get(ch, "")
        if cls and cls != last:
            out.append(cls)
            if len(out) == 4:
                break
        last = cls
    return "".join(out)


_CLASS = {**dict.fromkeys("bpfv", "1"), **dict.fromkeys("cgjksz", "2"), **dict.fromkeys("dt", "3"),
          "l": "4", **dict.fromkeys("mn", "5"), "r": "6", "h": ""}


def tokens(normalised: str) -> tuple[str, ...]:
    return tuple(normalised.split())
