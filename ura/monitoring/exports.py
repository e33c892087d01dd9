"""The aggregate tables as CSV and XLSX: the same published figures as the page, nothing more."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from .indicators import SECTIONS, Figure, Indicators
from .suppression import HIDDEN_TEXT, SMALL_TEXT, THRESHOLD


def legend() -> list[str]:
    return [
        _("%(small)s: between 1 and %(max)d; hidden so that nobody can be recognised.")
        % {"small": SMALL_TEXT, "max": THRESHOLD - 1},
        _("%(x)s: hidden so that a hidden figure cannot be worked out from the others.") % {"x": HIDDEN_TEXT},
        _("…: the quarter has not ended yet; figures are published by whole quarters."),
    ]


def _header(ind: Indicators) -> list[str]:
    quarters = ind.tables[0].columns
    return [_("Section"), _("Table"), _("Indicator"), _("Unit"), *[c.label for c in quarters]]


def _cell(f: Figure) -> str:
    return "" if f.text in ("…", "–") else f.text


def rows(ind: Indicators) -> list[list[Any]]:
    """Every published figure, one row per indicator, the year in the last column."""
    out = []
    width = len(ind.tables[0].columns)
    for t in ind.tables:
        for r in t.rows:
            figures = list(r.figures)
            if len(figures) < width:  # a figure kept for the whole year only
                figures = [Figure(None, "")] * (width - len(figures)) + figures
            out.append([str(SECTIONS[t.definition.section]), t.title, r.label, str(t.definition.unit), *figures])
    return out


def as_csv(ind: Indicators) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(_header(ind))
    for row in rows(ind):
        writer.writerow([*row[:4], *(_cell(f) for f in row[4:])])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # a BOM, so spreadsheets read the accents


def as_xlsx(ind: Indicators) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = _("Indicators")[:31]
    sheet.append(_header(ind))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows(ind):
        values = [*row[:4]]
        for f in row[4:]:
            values.append(float(f.value) if f.value is not None and not f.hidden else _cell(f))
        sheet.append(values)
    for column, width in zip("ABCDEFGHI", (22, 44, 44, 14, 11, 11, 11, 11, 11), strict=True):
        sheet.column_dimensions[column].width = width
    for row_cells in sheet.iter_rows(min_row=2, min_col=5):
        for cell in row_cells:
            cell.alignment = Alignment(horizontal="right")
    sheet.freeze_panes = "E2"
    about = book.create_sheet(_("About")[:31])
    about.append([_("Scope"), ind.scope.label])
    about.append([_("Year"), ind.year])
    about.append([_("Figures up to"), ind.until.isoformat()])
    about.append([_("Produced"), timezone.localtime().strftime("%Y-%m-%d %H:%M")])
    about.append([])
    for line in legend():
        about.append([line])
    about.column_dimensions["A"].width = 18
    about.column_dimensions["B"].width = 60
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
