"""Every catalogue is complete, current and consistent; every template's text goes through translation.

These checks fail while a catalogue has an empty or fuzzy entry, a placeholder or tag that does
not match its English original, wrong plural rules, an entry the sources no longer use or a
source string it lacks; when sr-Cyrl is not exactly sr-Latn transliterated; when a compiled
``.mo`` no longer matches its ``.po``; and when a template shows text outside ``{% translate %}``
or ``{% blocktranslate %}``. ``make messages`` regenerates sr-Cyrl and the ``.mo`` files.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Iterator
from io import StringIO
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.template.base import Lexer, TokenType

from ura.web import catalogues
from ura.web.catalogues import ALL_LOCALES, SOURCE_LOCALES, mo_path, po_path, translations

URA = Path(settings.BASE_DIR)


def _entries(locale: str) -> list[polib.POEntry]:
    return [e for e in polib.pofile(str(po_path(locale))) if not e.obsolete]


def _listed(what: str, locale: str, items: list[str], limit: int = 15) -> str:
    shown = "\n  ".join(items[:limit])
    more = f"\n  … and {len(items) - limit} more" if len(items) > limit else ""
    return f"{locale}: {len(items)} {what}:\n  {shown}{more}"


@pytest.fixture(scope="module", params=ALL_LOCALES)
def locale(request: pytest.FixtureRequest) -> str:
    assert po_path(request.param).exists(), f"{po_path(request.param)} is missing: run make messages"
    return request.param


# --- complete -------------------------------------------------------------------------------------

def test_every_entry_is_translated(locale: str) -> None:
    missing = [e.msgid for e in _entries(locale)
               if not (e.msgstr if not e.msgid_plural else all(e.msgstr_plural.values()))]
    assert not missing, _listed("untranslated entries", locale, missing)


def test_no_entry_is_fuzzy(locale: str) -> None:
    fuzzy = [e.msgid for e in _entries(locale) if "fuzzy" in e.flags]
    assert not fuzzy, _listed("fuzzy entries (check the translation, then remove the fuzzy flag)", locale, fuzzy)


# --- consistent with the English original ---------------------------------------------------------------

_NAMED = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[a-zA-Z]")
_POSITIONAL = re.compile(r"%(?!\()[-#0 +]*\d*(?:\.\d+)?[a-zA-Z]")
_BRACES = re.compile(r"(?<!\{)\{(\w*)(?:[:!][^{}]*)?\}(?!\})")
_TAG = re.compile(r"</?([a-zA-Z][\w-]*)")


def placeholders(text: str) -> tuple[frozenset[str], int, frozenset[str], tuple[str, ...]]:
    """Named printf placeholders, the number of positional ones, brace fields, and HTML tags."""
    clean = text.replace("%%", "")
    return (frozenset(_NAMED.findall(clean)), len(_POSITIONAL.findall(clean)),
            frozenset(_BRACES.findall(text)), tuple(sorted(t.lower() for t in _TAG.findall(text))))


def test_placeholder_check_sees_what_translators_get_wrong() -> None:
    assert placeholders("%(name)s has %(n)d cases") == placeholders("%(n)d slučaja ima %(name)s")
    assert placeholders("%(name)s") != placeholders("%(ime)s")
    assert placeholders("%s of %s") != placeholders("%s")
    assert placeholders("100%% done by {who}") == placeholders("{who}: 100%% gotovo")
    assert placeholders('<a href="/x">see</a>') != placeholders("vidi")


def test_translations_keep_placeholders_and_markup(locale: str) -> None:
    wrong = []
    for e in _entries(locale):
        if e.msgid_plural:
            allowed = placeholders(e.msgid)[0] | placeholders(e.msgid_plural)[0]
            forms = [s for s in e.msgstr_plural.values() if s]
            if any(not placeholders(s)[0] <= allowed for s in forms) or (
                    forms and not placeholders(e.msgid)[0] - {"count", "n"} <= placeholders(forms[-1])[0]):
                wrong.append(f"{e.msgid!r} → {e.msgstr_plural!r}")
        elif "no-python-format" in e.flags:  # a bare % sign: "quorum (% of voting agencies)"
            continue
        elif e.msgstr and placeholders(e.msgid) != placeholders(e.msgstr):
            wrong.append(f"{e.msgid!r} → {e.msgstr!r}")
    assert not wrong, _listed("translations whose placeholders or HTML tags differ from the original", locale, wrong)


# Each language's plural rule as in CLDR and GNU gettext, as Python.
PLURALS: dict[str, tuple[int, Callable[[int], int]]] = {
    "sq": (2, lambda n: int(n != 1)),
    "mk": (2, lambda n: 0 if n % 10 == 1 and n % 100 != 11 else 1),
    **dict.fromkeys(("sr_Latn", "sr_Cyrl", "bs"), (3, lambda n: (
        0 if n % 10 == 1 and n % 100 != 11
        else 1 if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14 else 2))),
}


def _c_plural(expression: str) -> Callable[[int], int]:
    """Evaluate a gettext plural expression the way Django does (its own parser, not eval)."""
    from gettext import c2py

    return c2py(expression)


def test_the_plural_rule_is_the_languages_own(locale: str) -> None:
    header = polib.pofile(str(po_path(locale))).metadata.get("Plural-Forms", "")
    match = re.fullmatch(r"\s*nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*(.+?)\s*;?\s*", header)
    assert match, f"{locale}: Plural-Forms header missing or malformed: {header!r}"
    nplurals, rule = PLURALS[locale]
    assert int(match.group(1)) == nplurals, f"{locale}: nplurals should be {nplurals}, is {match.group(1)}"
    plural = _c_plural(match.group(2))
    wrong = [n for n in range(0, 250) if plural(n) != rule(n)]
    assert not wrong, f"{locale}: the plural rule {match.group(2)!r} picks the wrong form for n = {wrong[:10]}"


# --- current --------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> set[tuple[str | None, str]]:
    """The messages the sources use now: makemessages run over a copy of the package (so the real
    catalogues are not touched), with the options ``make messages`` uses."""
    if not shutil.which("xgettext"):
        if os.environ.get("CI"):
            pytest.fail("GNU gettext (xgettext) is needed to check that the catalogues are current")
        pytest.skip("GNU gettext (xgettext) is not installed")
    copy = tmp_path_factory.mktemp("sources") / "ura"
    shutil.copytree(URA, copy, ignore=shutil.ignore_patterns("locale", "static", "__pycache__", "migrations"))
    here = os.getcwd()
    os.chdir(copy)
    try:
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(settings, "LOCALE_PATHS", [copy / "locale"])
            call_command("makemessages", locale=["sq"], verbosity=0, stdout=StringIO(),
                         **catalogues.EXTRACT_OPTIONS)
    finally:
        os.chdir(here)
    return {(e.msgctxt, e.msgid) for e in polib.pofile(str(copy / "locale/sq/LC_MESSAGES/django.po")) if e.msgid}


@pytest.mark.parametrize("source", SOURCE_LOCALES)
def test_the_catalogue_has_every_message_the_sources_use(source: str, extracted: set) -> None:  # type: ignore[type-arg]
    have = {(e.msgctxt, e.msgid) for e in _entries(source)}
    missing = sorted(m for _ctx, m in extracted - have)
    assert not missing, _listed("messages used in the sources but missing (run make messages)", source, missing)


@pytest.mark.parametrize("source", SOURCE_LOCALES)
def test_the_catalogue_has_no_message_the_sources_dropped(source: str, extracted: set) -> None:  # type: ignore[type-arg]
    have = {(e.msgctxt, e.msgid) for e in _entries(source)}
    stale = sorted(m for _ctx, m in have - extracted)
    assert not stale, _listed("messages no longer used in the sources (run make messages)", source, stale)


def test_serbian_cyrillic_is_serbian_latin_transliterated() -> None:
    latin = polib.pofile(str(po_path("sr_Latn")))
    expected = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural, sorted(e.flags))
                for e in catalogues.cyrillic_catalogue(latin)}
    actual = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural, sorted(e.flags))
              for e in polib.pofile(str(po_path("sr_Cyrl")))}
    drifted = sorted(m for key, m in ((k, k[1]) for k in expected.keys() | actual.keys())
                     if expected.get(key) != actual.get(key))
    assert not drifted, _listed("entries that differ from sr_Latn transliterated (run make messages)",
                                "sr_Cyrl", drifted)


def test_the_compiled_catalogue_matches_its_source(locale: str) -> None:
    assert mo_path(locale).exists(), f"{mo_path(locale)} is missing: run make messages"
    source = translations(polib.pofile(str(po_path(locale))))
    compiled = translations(polib.mofile(str(mo_path(locale))))
    differ = sorted(m for _ctx, m in source.keys() ^ compiled.keys()) + sorted(
        m for (ctx, m), s in source.items() if (ctx, m) in compiled and compiled[(ctx, m)] != s)
    assert not differ, _listed("entries where the .mo differs from the .po (run make messages)", locale, differ)


# --- templates ------------------------------------------------------------------------------------------

# Text that is the same in every language.
ALLOWED_TEXT = frozenset({"Ura", "EUR"})
# Attributes whose values people read (or hear from a screen reader).
_READ_ATTRIBUTES = re.compile(
    r"""\s(alt|title|placeholder|aria-label|aria-description|aria-roledescription|aria-valuetext|label|summary)"""
    r"""\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)""", re.IGNORECASE)
_SKIPPED_HTML = re.compile(r"<!--.*?-->|<!doctype[^>]*>|<(script|style|code|kbd|samp)\b.*?</\1\s*>",
                           re.IGNORECASE | re.DOTALL)
_HTML_TAG = re.compile(r"<[^>]*>", re.DOTALL)
_ENTITY = re.compile(r"&(?:[a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);")
_WORDS = re.compile(r"[^\W\d_][^\x00<>]*")
_LITERAL_FILTER = re.compile(r"\|(default|default_if_none|yesno):(\"[^\"]*\"|'[^']*')")
GAP = "\x00"  # stands for a template tag or variable in the skeleton of a template


def templates() -> Iterator[Path]:
    for directory in sorted(URA.glob("**/templates")):
        yield from sorted(p for p in directory.rglob("*") if p.suffix in {".html", ".txt"})


def untranslated_text(source: str) -> list[str]:
    """Text a reader sees in ``source`` that does not go through Django's translation."""
    skeleton, found = [], []
    skipping: str | None = None
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0] if token.contents.split() else ""
            if skipping is None and name in {"blocktranslate", "blocktrans", "comment", "verbatim"}:
                skipping = {"blocktrans": "endblocktrans"}.get(name, f"end{name}")
            elif name == skipping:
                skipping = None
            skeleton.append(GAP)
        elif token.token_type == TokenType.VAR and skipping is None:
            # A literal shown by a filter ({{ x|default:"none" }}) is text, where the variable is shown.
            literals = [literal[1:-1] for _filter, literal in _LITERAL_FILTER.findall(token.contents)]
            skeleton.append(GAP + GAP.join(literals) + GAP)
        elif token.token_type == TokenType.TEXT and skipping is None:
            skeleton.append(token.contents)
        else:
            skeleton.append(GAP)
    html = _SKIPPED_HTML.sub(GAP, "".join(skeleton))
    for tag in _HTML_TAG.findall(html):
        for _name, value in _READ_ATTRIBUTES.findall(tag):
            found += _words(value.strip("'\""))
    found += _words(_HTML_TAG.sub(GAP, html))
    return found


def _words(text: str) -> list[str]:
    text = _ENTITY.sub(GAP, text)
    return [w.strip() for w in _WORDS.findall(text) if w.strip() not in ALLOWED_TEXT]


def test_template_check_finds_text_outside_translation() -> None:
    assert untranslated_text("<p>Hello</p>") == ["Hello"]
    assert untranslated_text('<img alt="A chart" src="x.png">') == ["A chart"]
    assert untranslated_text("<td>{{ case.note|default:'none' }}</td>") == ["none"]


def test_template_check_lets_translated_text_and_code_through() -> None:
    source = """{% load i18n %}<!doctype html><html lang="{{ LANG }}"><title>{% translate "Cases" %} · Ura</title>
    <p class="muted" data-x="abc">{% blocktranslate with n=count %}{{ n }} cases{% endblocktranslate %}</p>
    <a title="{% translate 'Open' %}" href="{% url 'x' %}">{{ name }}</a>&nbsp;&middot; 12:30
    {% comment %}Notes for developers{% endcomment %}{# also this #}
    <script>const label = "not shown";</script><style>.x::after { content: "x"; }</style>
    {{ value|default:_("none") }}{{ when|date:"SHORT_DATE_FORMAT" }}<code>Authorization: Token</code>
    <dd data-met="{{ met|yesno:'yes,no' }}">"""
    assert untranslated_text(source) == []


@pytest.mark.parametrize("template", list(templates()), ids=lambda p: str(p.relative_to(URA)))
def test_templates_show_no_text_outside_translation(template: Path) -> None:
    found = untranslated_text(template.read_text(encoding="utf-8"))
    assert not found, f"{template.relative_to(URA)}: text outside {{% translate %}}: {found}"
