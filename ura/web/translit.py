"""Serbian Latin → Serbian Cyrillic, for generating the sr-Cyrl catalogue from the sr-Latn one.

Serbian is one language in two scripts with a one-to-one letter mapping, so the Cyrillic
catalogue is derived, never translated: the two cannot drift. What must not change is kept
as written: printf and brace placeholders (``%(name)s``, ``%s``, ``{count}``), HTML tags with
their attributes, entities, URLs and e-mail addresses, command-line options (``--csv``) and
identifiers (``prev_hash``), foreign words (any word with q, w, x or y), technical abbreviations
(PDF, CSV, EUR …), case references (GJI-2026-0042), words with digits (Passage4prevent), quoted
``ura`` commands and literal values (true, false, null).

Three letters are written with two Latin characters (lj, nj, dž). Where those characters meet
across a prefix boundary they are two letters (in|jekcija, kon|junkcija, nad|živeti, od|žaliti),
so the stems in ``SPLIT_STEMS`` are transliterated letter by letter at that point.
"""

from __future__ import annotations

import re

_LETTERS = {
    "a": "а", "b": "б", "c": "ц", "č": "ч", "ć": "ћ", "d": "д", "đ": "ђ", "e": "е", "f": "ф",
    "g": "г", "h": "х", "i": "и", "j": "ј", "k": "к", "l": "л", "m": "м", "n": "н", "o": "о",
    "p": "п", "r": "р", "s": "с", "š": "ш", "t": "т", "u": "у", "v": "в", "z": "з", "ž": "ж",
}
_DIGRAPHS = {"lj": "љ", "nj": "њ", "dž": "џ"}

# Stem (lower case) → index inside the stem where a digraph's two characters are two letters.
SPLIT_STEMS: dict[str, int] = {
    "injekc": 2,     # injekcija
    "konjug": 3,     # konjugacija
    "konjunk": 3,    # konjunkcija, konjunktura
    "vanjezi": 3,    # vanjezički
    "nadživ": 3,     # nadživeti, nadživjeti
    "nadžnj": 3,     # nadžnjeti
    "odžal": 2,      # odžaliti
    "odživ": 2,      # odživeti
    "podžanr": 3,    # podžanr
    "podživ": 3,     # podživeti
    "podžup": 3,     # podžupan
}

# Kept in Latin letters: abbreviations, codes and names that read the same in both scripts. (The
# product's name is declined in Serbian, "Ura, Uru, Ure", and written Ура in Cyrillic.)
KEEP_WORDS = frozenset({
    "API", "CSO", "CSV", "CVE", "DPO", "DPRRP", "EUR", "GCERF", "HTML", "HTMX", "HTTP", "HTTPS", "ID", "JSON",
    "NGO", "OTP", "P", "PDF", "PNG", "QR", "SMS", "SVG", "TOTP", "URL", "UTC", "XLSX", "YAML",
    # Values written in definition files and API requests, quoted in messages about them.
    "true", "false", "null",
})

# Segments copied unchanged, in the order they are tried.
_PROTECTED = re.compile(
    r"""
      %(?:\([^)]*\))?[-#0 +]*(?:\d+|\*)?(?:\.\d+)?[a-zA-Z%]   # printf: %(name)s %s %d %% %.1f
    | \{\{|\}\}                                              # escaped braces
    | \{[^{}\s]*\}                                           # str.format: {0} {name} {x:>3}
    | <[^<>]*>                                               # an HTML tag and its attributes
    | &(?:[a-zA-Z]+|\#\d+|\#x[0-9a-fA-F]+);                  # HTML entities
    | (?:https?|ftp|mailto):[^\s<>"']+                       # URLs
    | www\.[^\s<>"']+
    | [\w.+-]+@[\w-]+(?:\.[\w-]+)+                           # e-mail addresses
    | (?<![\w-])--[A-Za-z][\w-]*                             # command-line options: --csv
    | (?<=[„“"«])ura\b[^”“"»\n]*                              # a quoted command: „ura instruments load FILE”
    | \b[A-Z]{2,}-\d[\w-]*                                    # case references: GJI-2026-0042
    | \b[A-Z][A-Z0-9_]*=[^\s)”"]+                             # settings: URA_ENV=production
    | (?<=[„“"])[a-z_]+:\ [\w.-]+(?=[”“"])                    # a quoted key and value: „need: true”
    | \b(?=[A-Za-z]*\d)(?=\d*[A-Za-z])[A-Za-z0-9]+\b          # letters with digits: Passage4prevent, 2FA
    | \b[A-Za-z0-9]+(?:_[A-Za-z0-9]+)+\b                     # identifiers: prev_hash, cases_read
    """,
    re.VERBOSE,
)
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")  # a hyphenated word is one word (Wi-Fi)
_FOREIGN = re.compile(r"[qwxyQWXY]")


def to_cyrillic(text: str) -> str:
    """The Cyrillic spelling of Serbian Latin ``text``, leaving placeholders, markup and URLs alone."""
    out: list[str] = []
    pos = 0
    for m in _PROTECTED.finditer(text):
        out.append(_plain(text[pos:m.start()]))
        out.append(m.group())
        pos = m.end()
    out.append(_plain(text[pos:]))
    return "".join(out)


def _plain(text: str) -> str:
    return _WORD.sub(lambda m: _word(m.group()), text)


def _word(word: str) -> str:
    if _FOREIGN.search(word):
        return word
    if "-" in word:  # PDF-a: the abbreviation stays, its ending is Serbian
        return "-".join(_word(part) for part in word.split("-"))
    if word in KEEP_WORDS:
        return word
    lower = word.lower()
    splits = {at + i for stem, i in SPLIT_STEMS.items() for at in _find_all(lower, stem)}
    out: list[str] = []
    i = 0
    while i < len(word):
        pair = lower[i:i + 2]
        if pair in _DIGRAPHS and i + 1 not in splits:
            cyr = _DIGRAPHS[pair]
            out.append(cyr.upper() if word[i].isupper() else cyr)
            i += 2
            continue
        ch = word[i]
        cyr = _LETTERS.get(ch.lower())
        if cyr is None:
            out.append(ch)
        else:
            out.append(cyr.upper() if ch.isupper() else cyr)
        i += 1
    return "".join(out)


def _find_all(haystack: str, needle: str) -> list[int]:
    found, start = [], haystack.find(needle)
    while start != -1:
        found.append(start)
        start = haystack.find(needle, start + 1)
    return found
