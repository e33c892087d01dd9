"""Indicators for a scope and a year, with small-cell suppression applied: the only door
through which a figure leaves the database for a page, an export or a PDF.

The figures of a whole country are computed together (mechanisms, their levels and the
country; quarters and their year) and suppressed together, so that every view of the same
data hides the same cells, whichever scope or page shows it. Then the scope's share of that
table is handed out as ``Figure`` objects: a hidden figure carries no value at all.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ura.mechanisms.models import Mechanism
from ura.support.models import InterventionType

from .catalogue import ALIASES, BASIS, Catalogue, RowDef, TableDef
from .queries import Window, collect, published_until
from .scopes import Scope
from .suppression import HIDDEN_TEXT, hidden_text, suppress

Node = tuple[str, Any]  # ("m", mechanism id), ("l", level) or ("c", country)
CellKey = tuple[str, Node, int, int]  # ref, node, year, quarter (0: the year)
QUARTERS = (1, 2, 3, 4)


@dataclass(frozen=True)
class Figure:
    value: Decimal | int | None  # None when hidden, not applicable, or not yet published
    text: str
    hidden: bool = False

    @property
    def number(self) -> float | None:
        return float(self.value) if self.value is not None else None


@dataclass(frozen=True)
class Column:
    label: str
    year: int
    quarter: int  # 0: the whole year


@dataclass
class RowView:
    definition: RowDef
    figures: list[Figure]

    @property
    def label(self) -> str:
        return str(self.definition.label)

    @property
    def kind(self) -> str:
        return self.definition.kind


@dataclass
class TableView:
    definition: TableDef
    columns: list[Column]
    rows: list[RowView]

    @property
    def key(self) -> str:
        return self.definition.key

    @property
    def title(self) -> str:
        return str(self.definition.title)

    def year_figures(self) -> list[tuple[str, Figure]]:
        """(label, the year's figure) of each count row: what a bar chart draws."""
        return [(r.label, r.figures[-1]) for r in self.rows
                if r.kind in ("count", "subtotal", "number")]

    @property
    def has_data(self) -> bool:
        return any(f.value not in (None, 0) or f.hidden for r in self.rows for f in r.figures)


@dataclass
class Indicators:
    scope: Scope
    year: int
    until: dt.date
    tables: list[TableView]
    trend: list[tuple[Column, Figure]] = field(default_factory=list)

    def table(self, key: str) -> TableView:
        return next(t for t in self.tables if t.key == key)

    def sections(self) -> Iterator[tuple[str, list[TableView]]]:
        order: dict[str, list[TableView]] = defaultdict(list)
        for t in self.tables:
            order[t.definition.section].append(t)
        yield from order.items()

    @property
    def complete(self) -> bool:
        return self.until >= dt.date(self.year, 12, 31)

    def figure(self, table: str, row: str) -> Figure:
        """The year's figure of one row."""
        return next(r for r in self.table(table).rows if r.definition.key == row).figures[-1]

    def key_figures(self) -> list[tuple[str, Figure]]:
        return [(str(label), self.figure(t, r)) for t, r, label in KEY_FIGURES]

    def hidden_count(self) -> int:
        return sum(1 for t in self.tables for r in t.rows for f in r.figures if f.hidden)


SECTIONS = {
    "referrals": gettext_lazy("Referrals"),
    "decisions": gettext_lazy("Decisions and outcomes"),
    "support": gettext_lazy("Support"),
    "funding": gettext_lazy("Funding"),
    "capacity": gettext_lazy("Capacity and prevention"),
}


KEY_FIGURES = (
    ("referrals", "all", gettext_lazy("Referrals")),
    ("age", "minors", gettext_lazy("Minors referred")),
    ("decisions", "adopt", gettext_lazy("Cases adopted")),
    ("exits", "exited", gettext_lazy("Exits")),
    ("spending", "donor_share", gettext_lazy("% of spending from international donors")),
)


def quarter_label(year: int, quarter: int) -> str:
    return _("Q%(quarter)d %(year)d") % {"quarter": quarter, "year": year} if quarter else str(year)


# --- the country table ---------------------------------------------------------------------------

class CountryTable:
    """A country's figures for some years, summed up the hierarchy and suppressed."""

    def __init__(self, country: str, years: list[int], until: dt.date, catalogue: Catalogue) -> None:
        self.country, self.years, self.until, self.catalogue = country, years, until, catalogue
        self.mechanisms = list(Mechanism.objects.filter(country=country).values_list("id", "level"))
        raw = collect(country, Window(first_year=min(years), last_year=max(years), until=until))
        self.counts = self._roll_up(raw.counts)
        self.numbers = self._roll_up(raw.numbers)
        self.amounts = self._roll_up(raw.amounts)
        self._complements()
        self.hidden = suppress(self.counts, self._groups())

    def nodes(self) -> list[Node]:
        levels = sorted({level for _id, level in self.mechanisms})
        return [("c", self.country), *(("l", level) for level in levels), *(("m", pk) for pk, _l in self.mechanisms)]

    def _roll_up(self, store: dict[Any, Any]) -> dict[CellKey, Any]:
        level_of = dict(self.mechanisms)
        out: dict[CellKey, Any] = defaultdict(int)
        for (ref, mechanism, year, quarter), value in store.items():
            if mechanism not in level_of:
                continue
            for node in (("m", mechanism), ("l", level_of[mechanism]), ("c", self.country)):
                out[(ref, node, year, quarter)] += value
                if quarter:
                    out[(ref, node, year, 0)] += value
        return out

    def _complements(self) -> None:
        """The never-published rests (accepted but not adopted, …) that the sums need."""
        for total, parts in self.catalogue.groups:
            rests = [p for p in parts if p.endswith("_rest")]
            if not rests:
                continue
            rest = rests[0]
            known = [p for p in parts if p != rest]
            for node in self.nodes():
                for year in self.years:
                    for quarter in (0, *QUARTERS):
                        value = self.count(total, node, year, quarter) - sum(
                            self.count(p, node, year, quarter) for p in known)
                        if value:
                            self.counts[(rest, node, year, quarter)] = max(value, 0)

    def count(self, ref: str, node: Node, year: int, quarter: int) -> int:
        return self.counts.get((ALIASES.get(ref, ref), node, year, quarter), 0)

    def _groups(self) -> list[tuple[CellKey, list[CellKey]]]:
        """Every sum of published figures. A sum of zeros can hide nothing and is left out."""
        nonzero = {key for key, value in self.counts.items() if value}
        refs = {ref for ref, *_rest in nonzero}
        year_only = {ref for ref, _n, _y, q in self.counts if q == 0} - {
            ref for ref, _n, _y, q in self.counts if q}
        nodes = self.nodes()
        by_level: dict[str, list[Node]] = defaultdict(list)
        for pk, level in self.mechanisms:
            by_level[level].append(("m", pk))
        levels = sorted(by_level.items())
        country = ("c", self.country)
        relations = [(ALIASES.get(total, total), [ALIASES.get(p, p) for p in parts])
                     for total, parts in self.catalogue.groups]
        groups: list[tuple[CellKey, list[CellKey]]] = []

        def add(total: CellKey, parts: list[CellKey]) -> None:
            if total in nonzero or any(p in nonzero for p in parts):
                groups.append((total, parts))

        for year in self.years:
            periods = (0, *QUARTERS)
            for node in nodes:
                for quarter in periods:
                    for total, parts in relations:
                        add((total, node, year, quarter), [(p, node, year, quarter) for p in parts])
            for ref in sorted(refs):
                quarters = (0,) if ref in year_only else periods
                if ref not in year_only:
                    for node in nodes:
                        add((ref, node, year, 0), [(ref, node, year, q) for q in QUARTERS])
                for quarter in quarters:
                    add((ref, country, year, quarter), [(ref, ("l", level), year, quarter) for level, _m in levels])
                    for level, members in levels:
                        add((ref, ("l", level), year, quarter), [(ref, m, year, quarter) for m in members])
        return groups

    # --- figures ---------------------------------------------------------------------------------

    def is_hidden(self, ref: str, node: Node, year: int, quarter: int) -> bool:
        ref = ALIASES.get(ref, ref)
        if (ref, node, year, quarter) in self.hidden:
            return True
        basis = BASIS.get(ref)
        return basis is not None and self.is_hidden(basis, node, year, quarter)

    def figure(self, row: RowDef, table: TableDef, node: Node, year: int, quarter: int) -> Figure:
        if dt.date(year, 3 * quarter if quarter else 1, 1) > self.until:
            return Figure(None, "…")
        ref = f"{table.key}.{row.key}"
        if row.kind in ("count", "subtotal", "total"):
            value = self.count(ref, node, year, quarter)
            if self.is_hidden(ref, node, year, quarter):
                return Figure(None, hidden_text(value), hidden=True)
            return Figure(value, formats.number_format(value, force_grouping=True))
        if row.kind == "number":
            value = self.numbers.get((ref, node, year, quarter), 0)
            return Figure(value, formats.number_format(value, force_grouping=True))
        if row.kind == "money":
            amount_ref = row.of[0]
            if self.is_hidden(amount_ref, node, year, quarter):
                return Figure(None, HIDDEN_TEXT, hidden=True)
            amount = Decimal(self.amounts.get((amount_ref, node, year, quarter), 0))
            return Figure(amount, formats.number_format(amount.quantize(Decimal(1), ROUND_HALF_UP),
                                                        force_grouping=True))
        num_ref, den_ref = row.of
        if self.is_hidden(num_ref, node, year, quarter) or self.is_hidden(den_ref, node, year, quarter):
            return Figure(None, HIDDEN_TEXT, hidden=True)
        num = self._value(num_ref, node, year, quarter)
        den = self._value(den_ref, node, year, quarter)
        if not den:
            return Figure(None, "–")
        result = Decimal(num) / Decimal(den) * (100 if row.kind == "rate" else 1)
        result = result.quantize(Decimal("0.1") if row.kind == "rate" else Decimal(1), ROUND_HALF_UP)
        return Figure(result, formats.number_format(result, force_grouping=True))

    def _value(self, ref: str, node: Node, year: int, quarter: int) -> Decimal | int:
        key = (ALIASES.get(ref, ref), node, year, quarter)
        if key in self.amounts:
            return Decimal(self.amounts[key])
        return self.counts.get(key, 0)


def _catalogue() -> Catalogue:
    return Catalogue.build(list(InterventionType.objects.order_by("name").values_list("code", "name")))


def indicators_for(scope: Scope, year: int, *, trend_years: int = 1, today: dt.date | None = None) -> Indicators:
    """The scope's indicators for ``year``, suppressed; ``trend_years`` adds earlier years' quarters to the trend."""
    until = published_until(today or timezone.localdate())
    years = list(range(year - trend_years + 1, year + 1))
    catalogue = _catalogue()
    table = CountryTable(scope.country, years, until, catalogue)
    node = scope.node
    columns = [Column(quarter_label(year, q), year, q) for q in QUARTERS] + [Column(str(year), year, 0)]
    views = []
    for definition in catalogue.tables:
        cols = columns[-1:] if definition.year_only else columns
        rows = [RowView(r, [table.figure(r, definition, node, c.year, c.quarter) for c in cols])
                for r in definition.rows]
        views.append(TableView(definition, cols, rows))
    referrals = catalogue.table("referrals").rows[0]
    trend = [(Column(quarter_label(y, q), y, q), table.figure(referrals, catalogue.table("referrals"), node, y, q))
             for y in years for q in QUARTERS]
    return Indicators(scope=scope, year=year, until=until, tables=views, trend=trend)
