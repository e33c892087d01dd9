"""Instrument definitions: reading a file, checking it, and reading a checked one.

A definition is YAML (JSON is YAML too) checked against ``instrument.schema.json`` and then
against the rules a schema cannot state (one *unknown* per scale, unique item ids, ...).
Every problem is reported with the line it is on and the field it is in, so the person who
wrote the file can fix it; nothing is loaded until there are none.

There are no weights, scores or cut-offs in the format, on purpose: an instrument structures
professional judgement; Ura never computes a result from item ratings.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import jsonschema
import yaml
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

SCHEMA_PATH = Path(__file__).with_name("instrument.schema.json")
MAX_BYTES = 1_000_000

Path_ = tuple[str | int, ...]


class DefinitionError(Exception):
    """The definition cannot be loaded; ``problems`` says where and why, one line each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@cache
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


# --- reading YAML while remembering where each value was ---------------------------------------

def _build(node: Node, path: Path_, lines: dict[Path_, int], constructor: SafeConstructor,
           seen: set[int] | None = None) -> Any:
    lines[path] = node.start_mark.line + 1
    seen = set() if seen is None else seen
    if isinstance(node, MappingNode | SequenceNode):
        # An alias would repeat a block (and, nested, could multiply it without end): not allowed.
        if id(node) in seen:
            raise DefinitionError([_("line %(line)s: %(field)s: anchors and aliases (&, *) are not allowed; "
                                     "write the text out.") % {"line": lines[path], "field": _dotted(path)}])
        seen.add(id(node))
    if isinstance(node, MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = constructor.construct_object(key_node) if isinstance(key_node, ScalarNode) else None
            if not isinstance(key, str):
                raise DefinitionError([_("line %(line)s: a field name must be text.")
                                       % {"line": key_node.start_mark.line + 1}])
            if key in out:
                raise DefinitionError([_("line %(line)s: %(field)s: this field appears twice.")
                                       % {"line": key_node.start_mark.line + 1, "field": _dotted((*path, key))}])
            out[key] = _build(value_node, (*path, key), lines, constructor, seen)
            # A field is reported on the line of its name, not of the block under it.
            lines[(*path, key)] = key_node.start_mark.line + 1
        return out
    if isinstance(node, SequenceNode):
        return [_build(v, (*path, i), lines, constructor, seen) for i, v in enumerate(node.value)]
    return constructor.construct_object(node)


def parse(text: str) -> tuple[Any, dict[Path_, int]]:
    """The data in ``text`` and the line each value starts on."""
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise DefinitionError([_("The file is larger than %(n)s bytes.") % {"n": MAX_BYTES}])
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark is not None else "?"
        raise DefinitionError([_("line %(line)s: the file is not valid YAML: %(problem)s")
                               % {"line": line, "problem": e.problem or e}]) from None
    except yaml.YAMLError as e:
        raise DefinitionError([_("The file is not valid YAML: %(problem)s") % {"problem": e}]) from None
    except RecursionError:
        raise DefinitionError([_("The file is nested too deeply.")]) from None
    finally:
        loader.dispose()
    if node is None:
        raise DefinitionError([_("The file is empty.")])
    lines: dict[Path_, int] = {}
    try:
        return _build(node, (), lines, SafeConstructor()), lines
    except RecursionError:
        raise DefinitionError([_("The file is nested too deeply.")]) from None
    except yaml.YAMLError as e:  # e.g. a malformed date or a tag the safe loader refuses
        raise DefinitionError([_("The file is not valid YAML: %(problem)s") % {"problem": e}]) from None


def _dotted(path: Path_) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or _("(the whole file)")


def _line(lines: dict[Path_, int], path: Path_) -> int | str:
    for n in range(len(path), -1, -1):
        if path[:n] in lines:
            return lines[path[:n]]
    return "?"


def _problem(lines: dict[Path_, int], path: Path_, message: str) -> str:
    return _("line %(line)s: %(field)s: %(message)s") % {
        "line": _line(lines, path), "field": _dotted(path), "message": message}


def _schema_message(error: jsonschema.ValidationError) -> str:
    if error.validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return _("the field “%(name)s” is missing.") % {"name": missing}
    if error.validator == "additionalProperties":
        return _("unexpected field: %(detail)s") % {"detail": error.message}
    if error.validator == "oneOf" and error.context:
        # Report the closest alternative rather than "is not valid under any of the given schemas".
        best = jsonschema.exceptions.best_match(error.context)
        return str(best.message)
    return str(error.message)


# --- the rules beyond the schema ---------------------------------------------------------------

def _semantic_problems(data: dict[str, Any], lines: dict[Path_, int]) -> list[str]:
    problems: list[str] = []
    lang = data["language"]

    def text_ok(value: Any, path: Path_) -> None:
        if isinstance(value, dict) and lang not in value:
            problems.append(_problem(lines, path, _("a translated text must include the definition's "
                                                    "language (%(lang)s).") % {"lang": lang}))

    for key in ("name", "description", "limitations"):
        if key in data:
            text_ok(data[key], (key,))
    for name, options in data["rating_scales"].items():
        codes = [o["code"] for o in options]
        for i, option in enumerate(options):
            text_ok(option["label"], ("rating_scales", name, i, "label"))
            if codes.count(option["code"]) > 1 and codes.index(option["code"]) != i:
                problems.append(_problem(lines, ("rating_scales", name, i, "code"), _(
                    "the code “%(code)s” is used twice in this scale.") % {"code": option["code"]}))
            if option.get("unknown") and option.get("need"):
                problems.append(_problem(lines, ("rating_scales", name, i),
                                         _("an unknown rating cannot also mean a need.")))
        unknowns = [o for o in options if o.get("unknown")]
        if len(unknowns) != 1:
            problems.append(_problem(lines, ("rating_scales", name), _(
                "every rating scale needs exactly one option marked “unknown: true” (not enough "
                "information), so that unknown is never recorded as absent; this one has %(n)s.")
                % {"n": len(unknowns)}))
    summary_codes = [o["code"] for o in data["summary_scale"]]
    for i, option in enumerate(data["summary_scale"]):
        text_ok(option["label"], ("summary_scale", i, "label"))
        if summary_codes.count(option["code"]) > 1 and summary_codes.index(option["code"]) != i:
            problems.append(_problem(lines, ("summary_scale", i, "code"),
                                     _("the code “%(code)s” is used twice.") % {"code": option["code"]}))
    domain_ids: set[str] = set()
    item_ids: set[str] = set()
    used_scales: set[str] = set()
    for d, domain in enumerate(data["domains"]):
        text_ok(domain["label"], ("domains", d, "label"))
        if domain["id"] in domain_ids:
            problems.append(_problem(lines, ("domains", d, "id"),
                                     _("the domain id “%(id)s” is used twice.") % {"id": domain["id"]}))
        domain_ids.add(domain["id"])
        if domain["scale"] not in data["rating_scales"]:
            problems.append(_problem(lines, ("domains", d, "scale"), _(
                "there is no rating scale called “%(scale)s”; the scales are: %(names)s.")
                % {"scale": domain["scale"], "names": ", ".join(data["rating_scales"])}))
        used_scales.add(domain["scale"])
        for i, item in enumerate(domain["items"]):
            text_ok(item["label"], ("domains", d, "items", i, "label"))
            if item["id"] in item_ids:
                problems.append(_problem(lines, ("domains", d, "items", i, "id"), _(
                    "the item id “%(id)s” is used twice; item ids must be unique in the instrument.")
                    % {"id": item["id"]}))
            item_ids.add(item["id"])
    if data["purpose"] == "needs" and not any(o.get("need") for s in used_scales
                                              for o in data["rating_scales"].get(s, [])):
        problems.append(_problem(lines, ("rating_scales",), _(
            "a needs instrument must mark at least one rating as “need: true”, so that the plan can show "
            "unmet needs.")))
    return problems


def validate(data: Any, lines: dict[Path_, int] | None = None) -> dict[str, Any]:
    """``data`` if it is a valid definition; otherwise ``DefinitionError`` naming every problem found."""
    lines = lines or {}
    def position(e: jsonschema.ValidationError) -> tuple[int, str]:
        line = _line(lines, tuple(e.absolute_path))
        return (line if isinstance(line, int) else 0, _dotted(tuple(e.absolute_path)))

    errors = sorted(jsonschema.Draft202012Validator(schema()).iter_errors(data), key=position)
    if errors:
        raise DefinitionError([_problem(lines, tuple(e.absolute_path), _schema_message(e)) for e in errors])
    problems = _semantic_problems(data, lines)
    if problems:
        raise DefinitionError(problems)
    return data  # type: ignore[no-any-return]


def read(text: str) -> dict[str, Any]:
    data, lines = parse(text)
    return validate(data, lines)


def fingerprint(data: dict[str, Any]) -> str:
    """The SHA-256 of the definition's canonical JSON: two loads are the same version only if it matches."""
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# --- reading a checked definition ---------------------------------------------------------------

def localise(value: Any, default_language: str = "en") -> str:
    """A definition text in the reader's language, else the definition's own."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    current = (get_language() or default_language).lower()
    for lang in (current, current.split("-")[0], default_language):
        if lang in value:
            return str(value[lang])
    return str(next(iter(value.values())))


@dataclass(frozen=True)
class Option:
    code: str
    label: str
    description: str
    unknown: bool
    need: bool


@dataclass(frozen=True)
class Item:
    id: str
    label: str
    guidance: str
    domain_id: str


@dataclass(frozen=True)
class Domain:
    id: str
    label: str
    guidance: str
    scale: tuple[Option, ...]
    items: tuple[Item, ...]


class Definition:
    """A checked definition, its texts in the reader's language."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.language = data.get("language", "en")

    def t(self, value: Any) -> str:
        return localise(value, self.language)

    def _options(self, raw: list[dict[str, Any]]) -> tuple[Option, ...]:
        return tuple(Option(o["code"], self.t(o["label"]), self.t(o.get("description")), bool(o.get("unknown")),
                            bool(o.get("need"))) for o in raw)

    @property
    def name(self) -> str:
        return self.t(self.data["name"])

    @property
    def description(self) -> str:
        return self.t(self.data.get("description"))

    @property
    def limitations(self) -> str:
        return self.t(self.data["limitations"])

    @cached_property
    def domains(self) -> list[Domain]:
        scales = {name: self._options(options) for name, options in self.data["rating_scales"].items()}
        return [Domain(d["id"], self.t(d["label"]), self.t(d.get("guidance")), scales[d["scale"]],
                       tuple(Item(i["id"], self.t(i["label"]), self.t(i.get("guidance")), d["id"])
                             for i in d["items"]))
                for d in self.data["domains"]]

    @cached_property
    def summary_scale(self) -> tuple[Option, ...]:
        return tuple(Option(o["code"], self.t(o["label"]), self.t(o.get("description")), False, False)
                     for o in self.data["summary_scale"])

    def items(self) -> list[Item]:
        return [i for d in self.domains for i in d.items]

    def item_ids(self) -> list[str]:
        return [i["id"] for d in self.data["domains"] for i in d["items"]]

    def scale_for(self, item_id: str) -> tuple[Option, ...]:
        for d in self.domains:
            if any(i.id == item_id for i in d.items):
                return d.scale
        return ()

    def option(self, item_id: str, code: str) -> Option | None:
        return next((o for o in self.scale_for(item_id) if o.code == code), None)

    def summary_option(self, code: str) -> Option | None:
        return next((o for o in self.summary_scale if o.code == code), None)


def columns(data: dict[str, Any]) -> dict[str, Any]:
    """The values an ``InstrumentVersion`` row repeats from a checked definition."""
    return {
        "code": data["code"], "version": data["version"],
        "name": localise(data["name"], data["language"])[:200], "purpose": data["purpose"],
        "category": data["category"], "credential": data["credential"] or "",
        "licence": data["licence"]["name"], "rights_holder": data["licence"]["rights_holder"],
        "redistributable": data["licence"]["redistributable"],
        "review_interval_days": data["review_interval_days"], "definition": data,
        "fingerprint": fingerprint(data),
    }
