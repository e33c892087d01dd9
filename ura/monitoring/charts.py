"""Charts drawn on the server from published figures only, as SVG for pages and as
ReportLab drawings for the PDF: one layout, two renderers.

A chart never carries meaning by colour alone: every bar has its number written beside it,
a hidden figure is an outlined, hatched bar labelled "<5" or "x", and each page shows the
table the chart is drawn from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from itertools import count

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .indicators import Figure

INK, MUTED, BAR, LINE = "#1d2433", "#5a6275", "#1f5f8b", "#d5d9e2"
_ids = count(1)


@dataclass(frozen=True)
class Shape:
    kind: str  # rect, text, line
    x: float
    y: float
    w: float = 0
    h: float = 0
    text: str = ""
    style: str = "bar"  # bar, hidden, axis, label, value, muted
    anchor: str = "start"


@dataclass
class Chart:
    title: str
    description: str
    width: float
    height: float
    shapes: list[Shape] = field(default_factory=list)


def _max(figures: list[Figure]) -> float:
    return max([f.number or 0 for f in figures] + [1])


def _describe(pairs: list[tuple[str, Figure]]) -> str:
    return "; ".join(f"{label}: {f.text}" for label, f in pairs)


def bars(title: str, pairs: list[tuple[str, Figure]], *, width: float = 520, stacked: bool = False) -> Chart:
    """Horizontal bars, one per category, with the figure written at the end of each bar.

    ``stacked`` writes each label above its bar, so the chart stays legible on a phone.
    """
    if stacked:
        return _stacked_bars(title, pairs, width=width)
    label_w, value_w, row_h, bar_h = min(210, width * 0.4), 56, 24, 16
    chart = Chart(title, _describe(pairs), width, row_h * len(pairs) + 8)
    scale = (width - label_w - value_w) / _max([f for _l, f in pairs])
    for i, (label, figure) in enumerate(pairs):
        y = 4 + i * row_h
        chart.shapes.append(Shape("text", label_w - 8, y + bar_h - 3, text=_fit(label, label_w), style="label",
                                  anchor="end"))
        if figure.hidden:
            chart.shapes.append(Shape("rect", label_w, y, 18, bar_h, style="hidden"))
            end = label_w + 18
        else:
            length = max((figure.number or 0) * scale, 0)
            if length:
                chart.shapes.append(Shape("rect", label_w, y, length, bar_h, style="bar"))
            end = label_w + length
        chart.shapes.append(Shape("text", end + 5, y + bar_h - 3, text=figure.text, style="value"))
    chart.shapes.append(Shape("line", label_w, 2, 0, chart.height - 4, style="axis"))
    return chart


def _stacked_bars(title: str, pairs: list[tuple[str, Figure]], *, width: float) -> Chart:
    value_w, row_h, bar_h = 48, 34, 13
    chart = Chart(title, _describe(pairs), width, row_h * len(pairs) + 4)
    scale = (width - value_w - 2) / _max([f for _l, f in pairs])
    for i, (label, figure) in enumerate(pairs):
        y = 2 + i * row_h
        chart.shapes.append(Shape("text", 0, y + 12, text=_fit(label, width * 1.1), style="label"))
        bar_y = y + 16
        if figure.hidden:
            chart.shapes.append(Shape("rect", 0, bar_y, 18, bar_h, style="hidden"))
            end = 18.0
        else:
            end = max((figure.number or 0) * scale, 0)
            if end:
                chart.shapes.append(Shape("rect", 0, bar_y, end, bar_h, style="bar"))
        chart.shapes.append(Shape("text", end + 5, bar_y + bar_h - 2, text=figure.text, style="value"))
    return chart


def columns(title: str, pairs: list[tuple[str, Figure]], *, width: float = 640, height: float = 200) -> Chart:
    """Vertical bars over time (quarters), labelled underneath and numbered on top."""
    bottom, top = height - 34, 18
    chart = Chart(title, _describe(pairs), width, height)
    slot = (width - 10) / max(len(pairs), 1)
    bar_w = min(40, slot * 0.6)
    scale = (bottom - top) / _max([f for _l, f in pairs])
    for i, (label, figure) in enumerate(pairs):
        x = 5 + i * slot + (slot - bar_w) / 2
        centre = x + bar_w / 2
        if figure.hidden:
            chart.shapes.append(Shape("rect", x, bottom - 16, bar_w, 16, style="hidden"))
            value_y = bottom - 20
        elif figure.value is None:
            value_y = bottom - 4
        else:
            h = (figure.number or 0) * scale
            if h:
                chart.shapes.append(Shape("rect", x, bottom - h, bar_w, h, style="bar"))
            value_y = bottom - h - 4
        chart.shapes.append(Shape("text", centre, value_y, text=figure.text, style="value", anchor="middle"))
        quarter, _sep, year = label.partition(" ")
        chart.shapes.append(Shape("text", centre, bottom + 14, text=quarter, style="label", anchor="middle"))
        if year and (i == 0 or quarter.endswith("1")):
            chart.shapes.append(Shape("text", centre, bottom + 28, text=year, style="muted", anchor="middle"))
    chart.shapes.append(Shape("line", 0, bottom, width, 0, style="axis"))
    return chart


def funnel(title: str, pairs: list[tuple[str, Figure]], *, width: float = 520) -> Chart:
    """Steps from referral to exit as centred bars, widest first."""
    row_h, bar_h, label_h = 40, 18, 14
    chart = Chart(title, _describe(pairs), width, row_h * len(pairs))
    scale = (width - 20) / _max([f for _l, f in pairs])
    for i, (label, figure) in enumerate(pairs):
        y = i * row_h
        text = f"{label}: {figure.text}"
        chart.shapes.append(Shape("text", width / 2, y + label_h - 2, text=text, style="label", anchor="middle"))
        if figure.hidden:
            chart.shapes.append(Shape("rect", width / 2 - 12, y + label_h + 2, 24, bar_h, style="hidden"))
        elif figure.number:
            w = max(figure.number * scale, 2)
            chart.shapes.append(Shape("rect", (width - w) / 2, y + label_h + 2, w, bar_h, style="bar"))
    return chart


def _fit(label: str, width: float) -> str:
    limit = int(width / 6.4)
    return label if len(label) <= limit else label[: limit - 1] + "…"


# --- renderers ---------------------------------------------------------------------------------------

_SVG_STYLE = {
    "bar": f'fill="{BAR}"',
    "hidden": f'fill="url(#hatch)" stroke="{INK}" stroke-dasharray="3 2"',
    "axis": f'stroke="{MUTED}" stroke-width="1"',
}
_TEXT_STYLE = {"label": f'fill="{INK}" font-size="12"', "value": f'fill="{INK}" font-size="12" font-weight="600"',
               "muted": f'fill="{MUTED}" font-size="11"'}


def svg(chart: Chart) -> SafeString:
    """The chart as inline SVG, named and described for screen readers (the table follows it)."""
    n = next(_ids)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {chart.width:.0f} '
             f'{chart.height:.0f}" width="{chart.width:.0f}" height="{chart.height:.0f}" '
             f'aria-labelledby="chart-t{n} chart-d{n}">',  # no style attribute: Content-Security-Policy
             f'<title id="chart-t{n}">{escape(chart.title)}</title>',
             f'<desc id="chart-d{n}">{escape(chart.description)}</desc>',
             '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
             'patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/>'
             f'<line x1="0" y1="0" x2="0" y2="6" stroke="{MUTED}" stroke-width="2"/></pattern></defs>']
    for s in chart.shapes:
        if s.kind == "rect":
            parts.append(f'<rect x="{s.x:.1f}" y="{s.y:.1f}" width="{s.w:.1f}" height="{s.h:.1f}" '
                         f'{_SVG_STYLE[s.style]}/>')
        elif s.kind == "line":
            parts.append(f'<line x1="{s.x:.1f}" y1="{s.y:.1f}" x2="{s.x + s.w:.1f}" y2="{s.y + s.h:.1f}" '
                         f'{_SVG_STYLE[s.style]}/>')
        else:
            parts.append(f'<text x="{s.x:.1f}" y="{s.y:.1f}" text-anchor="{_SVG_ANCHOR[s.anchor]}" '
                         f'{_TEXT_STYLE[s.style]}>{escape(s.text)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


_SVG_ANCHOR = {"start": "start", "middle": "middle", "end": "end"}


def drawing(chart: Chart, *, font: str = "Helvetica", bold: str = "Helvetica-Bold"):  # type: ignore[no-untyped-def]
    """The chart as a ReportLab drawing (y grows upwards there)."""
    from reportlab.graphics.shapes import Drawing, Line, Rect, String
    from reportlab.lib import colors

    d = Drawing(chart.width, chart.height)
    for s in chart.shapes:
        if s.kind == "rect":
            y = chart.height - s.y - s.h
            if s.style == "hidden":
                d.add(Rect(s.x, y, s.w, s.h, fillColor=colors.white, strokeColor=colors.HexColor(INK),
                           strokeDashArray=[3, 2], strokeWidth=0.8))
                for k in range(0, int(s.w + s.h), 5):  # hatching
                    x0, x1 = s.x + max(0, k - s.h), s.x + min(k, s.w)
                    y0, y1 = y + min(k, s.h), y + max(0, k - s.w)
                    d.add(Line(x0, y0, x1, y1, strokeColor=colors.HexColor(MUTED), strokeWidth=0.6))
            else:
                d.add(Rect(s.x, y, s.w, s.h, fillColor=colors.HexColor(BAR), strokeColor=None))
        elif s.kind == "line":
            d.add(Line(s.x, chart.height - s.y, s.x + s.w, chart.height - s.y - s.h,
                       strokeColor=colors.HexColor(MUTED), strokeWidth=0.8))
        else:
            d.add(String(s.x, chart.height - s.y, s.text, fontName=bold if s.style == "value" else font,
                         fontSize=8.5 if s.style == "muted" else 9.5,
                         fillColor=colors.HexColor(MUTED if s.style == "muted" else INK),
                         textAnchor=s.anchor))
    return d


def chart_for(table, *, width: float = 520, stacked: bool = False) -> Chart | None:  # type: ignore[no-untyped-def]
    """The chart a table is drawn as, if any (``stacked``: labels above the bars, for pages)."""
    kind = table.definition.chart
    if kind == "none" or not table.has_data:
        return None
    if kind == "funnel":
        return funnel(table.title, table.year_figures(), width=min(width, 420))
    if kind == "money":
        pairs = [(r.label, r.figures[-1]) for r in table.rows
                 if r.kind == "money" and r.definition.key not in ("total", "activities")]
        return bars(table.title, pairs, width=width, stacked=stacked)
    if kind == "trend":
        return None
    return bars(table.title, table.year_figures(), width=width, stacked=stacked)


def trend_chart(title: str, trend: list[tuple[str, Figure]], *, width: float = 520) -> Chart:
    return columns(title or _("Referrals by quarter"), trend, width=width)
