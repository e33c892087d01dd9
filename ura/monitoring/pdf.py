"""The annual report as a PDF (ReportLab): cover with key figures, the coordinator's narrative,
how to read the figures, then each section's charts and tables. Only published figures go in.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from .charts import chart_for, drawing, trend_chart
from .exports import legend
from .indicators import SECTIONS, Indicators, TableView

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"),)
_fonts: tuple[str, str] | None = None


def _register_fonts() -> tuple[str, str]:
    """DejaVu Sans where the system has it (Cyrillic and all Latin letters), else ReportLab's Vera."""
    global _fonts
    if _fonts is not None:
        return _fonts
    import reportlab
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    candidates = [(d / "DejaVuSans.ttf", d / "DejaVuSans-Bold.ttf") for d in FONT_DIRS]
    vera = Path(reportlab.__file__).parent / "fonts"
    candidates.append((vera / "Vera.ttf", vera / "VeraBd.ttf"))
    for regular, bold in candidates:
        if regular.exists() and bold.exists():
            pdfmetrics.registerFont(TTFont("UraSans", str(regular)))
            pdfmetrics.registerFont(TTFont("UraSans-Bold", str(bold)))
            _fonts = ("UraSans", "UraSans-Bold")
            return _fonts
    _fonts = ("Helvetica", "Helvetica-Bold")
    return _fonts


def _styles(font: str, bold: str) -> dict[str, Any]:
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle

    ink, muted = colors.HexColor("#1d2433"), colors.HexColor("#5a6275")
    return {
        "title": ParagraphStyle("title", fontName=bold, fontSize=24, leading=30, textColor=ink, spaceAfter=8),
        "subtitle": ParagraphStyle("subtitle", fontName=font, fontSize=14, leading=19, textColor=ink,
                                   spaceAfter=4),
        "h1": ParagraphStyle("h1", fontName=bold, fontSize=16, leading=21, textColor=ink, spaceBefore=6,
                             spaceAfter=8),
        "h2": ParagraphStyle("h2", fontName=bold, fontSize=12, leading=16, textColor=ink, spaceBefore=10,
                             spaceAfter=4),
        "body": ParagraphStyle("body", fontName=font, fontSize=10, leading=14, textColor=ink, spaceAfter=6),
        "muted": ParagraphStyle("muted", fontName=font, fontSize=9, leading=12, textColor=muted, spaceAfter=4),
        "cell": ParagraphStyle("cell", fontName=font, fontSize=8.5, leading=10.5, textColor=ink),
    }


def _p(text: str, style: Any) -> Any:
    from xml.sax.saxutils import escape

    from reportlab.platypus import Paragraph

    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _data_table(t: TableView, st: dict[str, Any], font: str, bold: str) -> Any:
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    header = [_p(t.title if len(t.columns) == 1 else "", st["cell"]), *[c.label for c in t.columns]]
    data = [header] + [[_p(r.label, st["cell"]), *[f.text for f in r.figures]] for r in t.rows]
    widths = [220] + [52] * len(t.columns)
    table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    style = [
        ("FONT", (0, 0), (-1, -1), font, 8.5),
        ("FONT", (1, 0), (-1, 0), bold, 8.5),
        ("FONT", (-1, 1), (-1, -1), bold, 8.5),
        ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.HexColor("#1d2433")),
        ("LINEBELOW", (0, 1), (-1, -1), 0.3, colors.HexColor("#d5d9e2")),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    for i, r in enumerate(t.rows, start=1):
        if r.kind in ("total", "subtotal") and r.definition.key in ("all", "referred"):
            style.append(("FONT", (0, i), (-1, i), bold, 8.5))
    table.setStyle(TableStyle(style))
    return table


def render(ind: Indicators, *, narrative: Any = None) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        CondPageBreak,
        KeepTogether,
        PageBreak,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    font, bold = _register_fonts()
    st = _styles(font, bold)
    out = io.BytesIO()
    title = _("Annual report %(year)d") % {"year": ind.year}
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=20 * mm,
                            bottomMargin=18 * mm, title=f"{title} · {ind.scope.label}", author="Ura",
                            subject=_("Monitoring and evaluation"))
    width = doc.width

    def page(canvas: Any, document: Any) -> None:
        canvas.saveState()
        canvas.setFont(font, 8)
        canvas.setFillColorRGB(0.35, 0.38, 0.46)
        canvas.drawString(doc.leftMargin, A4[1] - 12 * mm, f"Ura · {ind.scope.label} · {title}")
        canvas.drawString(doc.leftMargin, 10 * mm, _("Aggregate figures only; small numbers hidden (see page 2)."))
        canvas.drawRightString(A4[0] - doc.rightMargin, 10 * mm, _("Page %(n)d") % {"n": document.page})
        canvas.restoreState()

    story: list[Any] = [Spacer(1, 30 * mm), _p(title, st["title"]), _p(ind.scope.label, st["subtitle"])]
    until = formats.date_format(ind.until, "DATE_FORMAT")
    story.append(_p(_("Figures up to %(date)s.") % {"date": until} if not ind.complete else
                    _("The whole year, January to December."), st["muted"]))
    story.append(_p(_("Produced by Ura on %(date)s.") % {
        "date": formats.date_format(timezone.localdate(), "DATE_FORMAT")}, st["muted"]))
    story.append(Spacer(1, 10 * mm))
    story.append(_p(_("Key figures"), st["h1"]))
    story.append(_key_figures(ind, st, font, bold, width, Table, TableStyle))
    story.append(Spacer(1, 8 * mm))
    story.append(drawing(trend_chart(_("Referrals by quarter"), [(c.label, f) for c, f in ind.trend],
                                     width=width), font=font, bold=bold))
    story.append(PageBreak())

    story.append(_p(_("The year in the coordinator's words"), st["h1"]))
    for name, heading in (("summary", _("The year in brief")), ("achievements", _("What went well")),
                          ("challenges", _("Challenges")), ("plans", _("Plans for next year"))):
        story.append(_p(heading, st["h2"]))
        text = getattr(narrative, name, "") if narrative is not None else ""
        story.append(_p(text or _("Not written yet."), st["body"] if text else st["muted"]))
    story.append(_p(_("How to read the figures"), st["h1"]))
    story.append(_p(_("Every figure is a count or a sum over people; no person can be read from this report. "
                      "Figures that could identify someone are hidden:"), st["body"]))
    for line in legend():
        story.append(_p("• " + line, st["body"]))

    for section, views in ind.sections():
        story.append(PageBreak())
        story.append(_p(str(SECTIONS[section]), st["h1"]))
        for t in views:
            block: list[Any] = [_p(t.title, st["h2"])]
            if t.definition.note:
                block.append(_p(str(t.definition.note), st["muted"]))
            chart = chart_for(t, width=width)
            if chart is not None:
                block += [drawing(chart, font=font, bold=bold), Spacer(1, 3 * mm)]
            if t.has_data or t.definition.chart == "trend":
                block.append(_data_table(t, st, font, bold))
            else:
                block.append(_p(_("Nothing recorded in this period."), st["muted"]))
            story += [CondPageBreak(60 * mm), KeepTogether(block)]
    doc.build(story, onFirstPage=page, onLaterPages=page)
    return out.getvalue()


def _key_figures(ind: Indicators, st: dict[str, Any], font: str, bold: str, width: float, Table: Any,
                 TableStyle: Any) -> Any:  # noqa: N803
    from reportlab.lib import colors

    cells = [[_p(figure.text, st["title"]), _p(label, st["muted"])] for label, figure in ind.key_figures()]
    table = Table([[c[0] for c in cells], [c[1] for c in cells]], colWidths=[width / len(cells)] * len(cells))
    table.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.6, colors.HexColor("#d5d9e2")),
                               ("LINEAFTER", (0, 0), (-2, -1), 0.6, colors.HexColor("#d5d9e2")),
                               ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table
