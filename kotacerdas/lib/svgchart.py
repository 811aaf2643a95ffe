"""Bar, line and pie charts as inline SVG, drawn on the server.

A chart is a picture that works on a cheap phone without a script library, prints, and
carries its numbers as text (<title> per mark, and a table beside it on the page)."""

import math
import re
from dataclasses import dataclass
from html import escape

PALETTE = ["#0b5c4a", "#f2b632", "#2b6cb0", "#a4161a", "#6b46c1", "#2f855a", "#c05621", "#4a5568"]
WIDTH, HEIGHT = 640, 400
# Text at 18 units stays readable when a phone shrinks the 640-wide picture to its screen.
MARGIN_LEFT, MARGIN_BOTTOM, MARGIN_TOP, MARGIN_RIGHT = 90, 120, 20, 20


@dataclass(frozen=True)
class Point:
    label: str
    value: float


# Characters XML forbids even escaped (control characters, lone surrogates): a cell of a
# producer's spreadsheet can hold them, and one would break the whole picture.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _text(value: str) -> str:
    return escape(_NOT_XML.sub("", value))


def _number(value: float) -> str:
    """Indonesian grouping: 1.234.567 and 12,5."""
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", ".")
    whole, _dot, fraction = f"{value:,.2f}".partition(".")
    return f"{whole.replace(',', '.')},{fraction.rstrip('0') or '0'}"


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def _frame(title: str, body: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{_text(title)}" class="chart"><title>{_text(title)}</title>'
        + "".join(body) + "</svg>"
    )


def _axes(top: float, low: float) -> list[str]:
    plot_h = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    parts = []
    for i in range(5):
        value = low + (top - low) * i / 4
        y = HEIGHT - MARGIN_BOTTOM - plot_h * i / 4
        parts.append(f'<line x1="{MARGIN_LEFT}" x2="{WIDTH - MARGIN_RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
                     f'stroke="#d0d7d4"/>')
        parts.append(f'<text x="{MARGIN_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="18">'
                     f'{_text(_number(round(value, 2)))}</text>')
    return parts


def _label(x: float, text: str) -> str:
    short = text if len(text) <= 12 else text[:11] + "…"
    y = HEIGHT - MARGIN_BOTTOM + 20
    return (f'<text x="{x:.1f}" y="{y}" font-size="18" text-anchor="end" '
            f'transform="rotate(-40 {x:.1f} {y})">{_text(short)}</text>')


def bar_chart(title: str, points: list[Point]) -> str:
    if not points:
        return _frame(title, [])
    low = min(0.0, min(p.value for p in points))
    top = _nice_max(max(p.value for p in points))
    plot_w = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    plot_h = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    slot = plot_w / len(points)
    scale = plot_h / (top - low)
    zero = HEIGHT - MARGIN_BOTTOM + low * scale
    body = _axes(top, low)
    every = max(1, len(points) // 12)  # labels that fit side by side at this text size
    for i, point in enumerate(points):
        x = MARGIN_LEFT + i * slot + slot * 0.15
        height = abs(point.value) * scale
        y = zero - height if point.value >= 0 else zero
        body.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" height="{height:.1f}" '
                    f'fill="{PALETTE[0]}"><title>{_text(point.label)}: {_text(_number(point.value))}'
                    f'</title></rect>')
        if i % every == 0:
            body.append(_label(x + slot * 0.35, point.label))
    return _frame(title, body)


def line_chart(title: str, points: list[Point]) -> str:
    if not points:
        return _frame(title, [])
    low = min(0.0, min(p.value for p in points))
    top = _nice_max(max(p.value for p in points))
    plot_w = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    plot_h = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    step = plot_w / max(len(points) - 1, 1)
    scale = plot_h / (top - low)
    coords = [(MARGIN_LEFT + i * step, HEIGHT - MARGIN_BOTTOM - (p.value - low) * scale)
              for i, p in enumerate(points)]
    body = _axes(top, low)
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
    body.append(f'<polyline points="{path}" fill="none" stroke="{PALETTE[0]}" stroke-width="3"/>')
    every = max(1, len(points) // 12)
    for i, ((x, y), point) in enumerate(zip(coords, points, strict=True)):
        body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{PALETTE[0]}"><title>'
                    f'{_text(point.label)}: {_text(_number(point.value))}</title></circle>')
        if i % every == 0:
            body.append(_label(x, point.label))
    return _frame(title, body)


def pie_chart(title: str, points: list[Point]) -> str:
    """Negative values have no share of a whole; they are left out (the table still shows them)."""
    positive = [p for p in points if p.value > 0]
    total = sum(p.value for p in positive)
    if not total:
        return _frame(title, [])
    cx, cy, r = 170, HEIGHT / 2, 160
    body, angle = [], -math.pi / 2
    for i, point in enumerate(positive):
        share = point.value / total
        colour = PALETTE[i % len(PALETTE)]
        tip = f"<title>{_text(point.label)}: {_text(_number(point.value))} ({share:.1%})</title>"
        if share >= 0.9999:
            body.append(f'<circle cx="{cx}" cy="{cy}" r="{r}" fill="{colour}">{tip}</circle>')
        else:
            end = angle + share * 2 * math.pi
            x1, y1 = cx + r * math.cos(angle), cy + r * math.sin(angle)
            x2, y2 = cx + r * math.cos(end), cy + r * math.sin(end)
            large = 1 if share > 0.5 else 0
            body.append(f'<path d="M{cx},{cy} L{x1:.1f},{y1:.1f} A{r},{r} 0 {large} 1 {x2:.1f},{y2:.1f} Z" '
                        f'fill="{colour}" stroke="#fff">{tip}</path>')
            angle = end
        if i < 12:
            ly = 30 + i * 28
            body.append(f'<rect x="350" y="{ly - 15}" width="18" height="18" fill="{colour}"/>')
            body.append(f'<text x="374" y="{ly}" font-size="18">{_text(point.label[:20])} '
                        f'({share:.0%})</text>')
    return _frame(title, body)


CHARTS = {"bar": bar_chart, "line": line_chart, "pie": pie_chart}
