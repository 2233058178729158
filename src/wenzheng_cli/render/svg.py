"""Charts as inline SVG, drawn by a few pure functions: horizontal bars, columns, and a month chart of bars
(counts) with lines (rates).

The browser draws the text with its own fonts, so a page needs no font file and no script. Every mark that
stands for a figure carries ``class="bar"`` or ``class="point"`` with ``data-label`` and ``data-value``: what a
reader hovers (``<title>``) and what a test counts. Every text from the data is escaped here.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from html import escape

from wenzheng_cli.domain import text as terminal_text

FONT = 12  # px of chart text
BLUE = "#2f5597"
GREY = "#a6a6a6"
RED = "#b22222"
GREEN = "#4e7d2f"
INK = "#262626"
RULE = "#d9d9d9"

Format = Callable[[float], str]


def _n(value: float) -> str:
    """A coordinate: one decimal at most, so the markup stays small."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def drawn_width(text: str, size: float = FONT) -> float:
    """An estimate of the drawn width: a Chinese character is about 1 em, a Latin one about half."""
    return float(terminal_text.text_width(text) * size * 0.55)


def fit(text: str, width: float, size: float = FONT) -> str:
    """``text`` cut with … so that it fits ``width`` pixels."""
    if drawn_width(text, size) <= width:
        return text
    out = ""
    for ch in text:
        if drawn_width(out + ch + "…", size) > width:
            break
        out += ch
    return out + "…"


def axis_top(value: float) -> float:
    """The top of an axis of four even, whole steps a round step per tick): 30 → 40, 95 → 100, 1411 → 1600."""
    if value <= 0:
        return 4.0
    quarter = value / 4
    power = 10 ** math.floor(math.log10(quarter))
    steps = (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10) if power >= 10 else (1, 2, 3, 4, 5, 10)  # whole ticks
    step = next(m * power for m in steps if quarter <= m * power)
    return float(4 * max(step, 1.0))


def count_text(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.2f}"


def _svg(name: str, title: str, width: float, height: float, body: list[str]) -> str:
    label = escape(title)
    return (
        f'<svg class="chart" data-chart="{escape(name)}" viewBox="0 0 {_n(width)} {_n(height)}" '
        f'width="{_n(width)}" height="{_n(height)}" role="img" aria-label="{label}">'
        f"<title>{label}</title>" + "".join(body) + "</svg>"
    )


def _mark(kind: str, label: str, value: float, shown: str) -> tuple[str, str]:
    """The attributes and hover text shared by every mark that stands for a figure."""
    return f'class="{kind}" data-label="{escape(label)}" data-value="{value:g}"', (
        f"<title>{escape(label)}: {escape(shown)}</title>"
    )


def hbar_chart(
    items: Sequence[tuple[str, float]],
    *,
    name: str,
    title: str,
    shown: Format = count_text,
    top: float | None = None,
    width: float = 720,
    color: str = BLUE,
) -> str:
    """One horizontal bar per item, in the order given, the label on the left and the figure at the end;
    closer rows past 20 items, so that 50 groups still print on one A4 page."""
    row, bar = (22.0, 14.0) if len(items) <= 20 else (16.0, 11.0)
    longest = max((drawn_width(label) for label, _ in items), default=0)
    left = min(max(longest + 12, 60), width * 0.3)
    right = 64.0
    span = width - left - right
    scale = top if top is not None else axis_top(max((v for _, v in items), default=0))
    height = 8 + row * len(items) + 8
    body = [f'<line x1="{_n(left)}" y1="4" x2="{_n(left)}" y2="{_n(height - 4)}" stroke="{INK}"/>']
    for i, (label, value) in enumerate(items):
        y = 8 + row * i
        length = max(0.0, span * value / scale) if scale else 0.0
        attrs, hover = _mark("bar", label, value, shown(value))
        body.append(
            f'<text x="{_n(left - 6)}" y="{_n(y + row / 2 + 4)}" text-anchor="end" fill="{INK}">'
            f"{escape(fit(label, left - 10))}</text>"
            f'<rect {attrs} x="{_n(left)}" y="{_n(y + (row - bar) / 2)}" width="{_n(max(length, 1))}" '
            f'height="{_n(bar)}" fill="{color}">{hover}</rect>'
            f'<text x="{_n(left + length + 4)}" y="{_n(y + row / 2 + 4)}" fill="{INK}">'
            f"{escape(shown(value))}</text>"
        )
    return _svg(name, title, width, height, body)


def column_chart(
    items: Sequence[tuple[str, float]],
    *,
    name: str,
    title: str,
    shown: Format = count_text,
    width: float = 720,
    height: float = 240,
    colors: Sequence[str] = (BLUE,),
) -> str:
    """One column per item, labels under the axis, the figure above each column."""
    left, right, top_pad, bottom = 44.0, 12.0, 22.0, 28.0
    plot = height - top_pad - bottom
    scale = axis_top(max((v for _, v in items), default=0))
    body = _grid(left, width - right, top_pad, plot, scale, count_text)
    slot = (width - left - right) / max(len(items), 1)
    column = min(slot * 0.6, 64)
    for i, (label, value) in enumerate(items):
        x = left + slot * i + (slot - column) / 2
        tall = plot * value / scale
        attrs, hover = _mark("bar", label, value, shown(value))
        color = colors[i % len(colors)]
        body.append(
            f'<rect {attrs} x="{_n(x)}" y="{_n(top_pad + plot - tall)}" width="{_n(column)}" '
            f'height="{_n(max(tall, 1))}" fill="{color}">{hover}</rect>'
            f'<text x="{_n(x + column / 2)}" y="{_n(top_pad + plot - tall - 5)}" text-anchor="middle" '
            f'fill="{INK}">{escape(shown(value))}</text>'
            f'<text x="{_n(x + column / 2)}" y="{_n(height - 9)}" text-anchor="middle" fill="{INK}">'
            f"{escape(fit(label, slot - 4))}</text>"
        )
    return _svg(name, title, width, height, body)


def _grid(x0: float, x1: float, y0: float, plot: float, scale: float, shown: Format) -> list[str]:
    """Four horizontal rules with the left axis figures, and the base line."""
    out = []
    for step in range(5):
        y = y0 + plot - plot * step / 4
        colour = INK if step == 0 else RULE
        out.append(f'<line x1="{_n(x0)}" y1="{_n(y)}" x2="{_n(x1)}" y2="{_n(y)}" stroke="{colour}"/>')
        out.append(
            f'<text x="{_n(x0 - 4)}" y="{_n(y + 4)}" text-anchor="end" fill="#595959">'
            f"{escape(shown(scale * step / 4))}</text>"
        )
    return out


Series = tuple[str, str, Sequence[float | None]]  # label, colour, one value per month


def month_chart(
    months: Sequence[str],
    bars: Sequence[Series],
    lines: Sequence[Series],
    *,
    name: str,
    title: str,
    width: float = 760,
    height: float = 300,
) -> str:
    """Grouped columns of counts per month (left axis) and lines of rates (right axis, 0–100 %); a month
    without a rate breaks its line; a legend on top."""
    left, right, top_pad, bottom = 48.0, 48.0, 34.0, 30.0
    plot = height - top_pad - bottom
    x1 = width - right
    counts = [v for _, _, values in bars for v in values if v is not None]
    scale = axis_top(max(counts, default=0))
    body = _grid(left, x1, top_pad, plot, scale, count_text)
    for step in range(5):  # the right axis: rates
        y = top_pad + plot - plot * step / 4
        body.append(f'<text x="{_n(x1 + 4)}" y="{_n(y + 4)}" fill="#595959">{step * 25}%</text>')
    slot = (x1 - left) / max(len(months), 1)
    every = max(1, math.ceil(len(months) * 46 / (x1 - left)))  # month labels that fit
    for i, month in enumerate(months):
        if i % every == 0:
            body.append(
                f'<text x="{_n(left + slot * i + slot / 2)}" y="{_n(height - 10)}" text-anchor="middle" '
                f'fill="{INK}">{escape(month)}</text>'
            )
    group = slot * 0.7
    column = group / max(len(bars), 1)
    for b, (label, color, values) in enumerate(bars):
        for i, value in enumerate(values):
            if value is None:
                continue
            tall = plot * value / scale
            x = left + slot * i + (slot - group) / 2 + column * b
            attrs, hover = _mark("bar", f"{months[i]} {label}", value, count_text(value))
            body.append(
                f'<rect {attrs} x="{_n(x)}" y="{_n(top_pad + plot - tall)}" width="{_n(column * 0.92)}" '
                f'height="{_n(max(tall, 1))}" fill="{color}">{hover}</rect>'
            )
    for label, color, values in lines:
        runs: list[list[tuple[float, float, str, float]]] = [[]]  # split where a month has no rate
        for i, value in enumerate(values):
            if value is None:
                runs.append([])
                continue
            y = top_pad + plot - plot * min(max(value, 0.0), 1.0)
            runs[-1].append((left + slot * i + slot / 2, y, months[i], value))
        for run in runs:
            if len(run) > 1:
                path = " ".join(f"{_n(x)},{_n(y)}" for x, y, _, _ in run)
                body.append(f'<polyline points="{path}" fill="none" stroke="{color}" stroke-width="2"/>')
        for x, y, month, value in (point for run in runs for point in run):
            attrs, hover = _mark("point", f"{month} {label}", value, f"{value * 100:.1f}%")
            body.append(
                f'<circle {attrs} cx="{_n(x)}" cy="{_n(y)}" r="3.5" fill="#fff" stroke="{color}" '
                f'stroke-width="2">{hover}</circle>'
            )
    legend = [(label, color, "bar") for label, color, _ in bars]
    legend += [(label, color, "line") for label, color, _ in lines]
    body.append(_legend(left, legend))
    return _svg(name, title, width, height, body)


def _legend(x: float, entries: list[tuple[str, str, str]]) -> str:
    out = []
    for label, color, kind in entries:
        if kind == "bar":
            out.append(f'<rect x="{_n(x)}" y="8" width="12" height="12" fill="{color}"/>')
        else:
            out.append(
                f'<line x1="{_n(x - 2)}" y1="14" x2="{_n(x + 14)}" y2="14" stroke="{color}" stroke-width="2"/>'
                f'<circle cx="{_n(x + 6)}" cy="14" r="3.5" fill="#fff" stroke="{color}" stroke-width="2"/>'
            )
        out.append(f'<text x="{_n(x + 18)}" y="18" fill="{INK}">{escape(label)}</text>')
        x += 18 + drawn_width(label) + 18
    return "".join(out)
