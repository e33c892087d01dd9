"""Ura's message catalogues: where they live, the derived sr-Cyrl catalogue, and compiling them.

The compiled ``.mo`` files are kept in the repository next to their ``.po`` files, so a fresh
clone (or an installed wheel) serves every language without GNU gettext's ``msgfmt``. They are
written with polib by ``ura catalogues`` (``make messages``), and the test suite fails when a
``.mo`` no longer matches its ``.po`` or when sr-Cyrl no longer matches sr-Latn.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings

from ura.web.translit import to_cyrillic

if TYPE_CHECKING:  # polib is a development dependency: only the catalogue tools import it.
    import polib

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
# Catalogues that translators write; sr_Cyrl is generated from sr_Latn.
SOURCE_LOCALES = ("sq", "sr_Latn", "mk", "bs")
DERIVED_LOCALES = {"sr_Cyrl": "sr_Latn"}
ALL_LOCALES = (*SOURCE_LOCALES, *DERIVED_LOCALES)
# How the catalogues are extracted (``makemessages`` run from the ``ura`` package directory).
EXTRACT_OPTIONS = {"extensions": ["html", "txt", "py"], "ignore_patterns": ["migrations/*", "static/*"],
                   "no_obsolete": True}
GENERATED_NOTE = "Generated from sr_Latn by `make messages` (ura catalogues): do not edit by hand."


def po_path(locale: str) -> Path:
    return LOCALE_DIR / locale / "LC_MESSAGES" / "django.po"


def mo_path(locale: str) -> Path:
    return po_path(locale).with_suffix(".mo")


def cyrillic_catalogue(latin: polib.POFile) -> polib.POFile:
    """The Serbian Cyrillic catalogue: every entry of ``latin`` with its translations transliterated."""
    import polib

    cyrillic = polib.POFile(wrapwidth=latin.wrapwidth)
    cyrillic.header = GENERATED_NOTE
    cyrillic.metadata = {**latin.metadata, "Language": "sr_Cyrl", "Language-Team": "Serbian (Cyrillic)"}
    for entry in latin:
        cyrillic.append(polib.POEntry(
            msgctxt=entry.msgctxt, msgid=entry.msgid, msgid_plural=entry.msgid_plural,
            msgstr=to_cyrillic(entry.msgstr),
            msgstr_plural={i: to_cyrillic(s) for i, s in entry.msgstr_plural.items()},
            occurrences=entry.occurrences, flags=list(entry.flags), comment=entry.comment,
            tcomment=entry.tcomment, obsolete=entry.obsolete,
        ))
    return cyrillic


def generate_derived() -> list[Path]:
    import polib

    written = []
    for target, source in DERIVED_LOCALES.items():
        path = po_path(target)
        path.parent.mkdir(parents=True, exist_ok=True)
        cyrillic_catalogue(polib.pofile(str(po_path(source)))).save(str(path))
        written.append(path)
    return written


def compile_all() -> list[Path]:
    import polib

    written = []
    for locale in ALL_LOCALES:
        if po_path(locale).exists():
            polib.pofile(str(po_path(locale))).save_as_mofile(str(mo_path(locale)))
            written.append(mo_path(locale))
    return written


def translations(catalogue: polib.POFile | polib.MOFile) -> dict[tuple[str | None, str], object]:
    """What a catalogue translates, as (context, msgid) → msgstr (or the plural forms)."""
    return {(e.msgctxt, e.msgid): (e.msgstr if not e.msgid_plural else tuple(sorted(e.msgstr_plural.items())))
            for e in catalogue if e.msgid and not e.obsolete and "fuzzy" not in e.flags
            and (e.msgstr or any(e.msgstr_plural.values()))}
