"""Charts as inline SVG, drawn by a few pure functions: horizontal bars, columns, and a month chart of bars
(counts) with lines (rates).

The browser draws the text with its own fonts, so a page needs no font file and no script. Every mark that
stands for a figure carries ``class="bar"`` or ``class="point"`` with ``data-label`` and ``data-value``: what a
reader hovers (``<title>``) and what a test counts.

Every element is made by ``element``, which escapes each attribute value and each text it is given (a
``Markup`` child, an element it made, is kept as it is): no text from the data can reach a chart raw.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence

from wenzheng_cli.domain import text as terminal_text
from wenzheng_cli.render.templating import Markup, escaped

FONT = 12  # px of chart text
BLUE = "#2f5597"
GREY = "#a6a6a6"
RED = "#b22222"
GREEN = "#4e7d2f"
INK = "#262626"
RULE = "#d9d9d9"
MUTED = "#595959"  # the axes' figures

Format = Callable[[float], str]


def element(name: str, attrs: Mapping[str, str], *children: str) -> Markup:
    """``<name a="v" …>children</name>``, or ``<name …/>`` without children. The attribute values and the
    children are escaped, but a child that is ``Markup`` (an element made here) is kept as it is."""
    head = name + "".join(f' {key}="{escaped(value)}"' for key, value in attrs.items())
    if not children:
        return Markup(f"<{head}/>")
    return Markup(f"<{head}>{''.join(escaped(child) for child in children)}</{name}>")


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


def _svg(name: str, title: str, width: float, height: float, body: list[Markup]) -> Markup:
    size = {"width": _n(width), "height": _n(height)}
    attrs = {"class": "chart", "data-chart": name, "viewBox": f"0 0 {size['width']} {size['height']}", **size}
    return element("svg", {**attrs, "role": "img", "aria-label": title}, element("title", {}, title), *body)


def _mark(kind: str, label: str, value: float, shown: str) -> tuple[dict[str, str], Markup]:
    """The attributes and hover text shared by every mark that stands for a figure."""
    attrs = {"class": kind, "data-label": label, "data-value": f"{value:g}"}
    return attrs, element("title", {}, f"{label}: {shown}")


def _text(x: float, y: float, text: str, *, anchor: str = "", fill: str = INK) -> Markup:
    """A text at (x, y): ``anchor`` end or middle, else it starts there."""
    attrs = {"x": _n(x), "y": _n(y)} | ({"text-anchor": anchor} if anchor else {})
    return element("text", {**attrs, "fill": fill}, text)


def _line(x1: float, y1: float, x2: float, y2: float, stroke: str, **extra: str) -> Markup:
    return element(
        "line", {"x1": _n(x1), "y1": _n(y1), "x2": _n(x2), "y2": _n(y2), "stroke": stroke, **extra}
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
) -> Markup:
    """One horizontal bar per item, in the order given, the label on the left and the figure at the end;
    closer rows past 20 items, so that 50 groups still print on one A4 page."""
    row, bar = (22.0, 14.0) if len(items) <= 20 else (16.0, 11.0)
    longest = max((drawn_width(label) for label, _ in items), default=0)
    left = min(max(longest + 12, 60), width * 0.3)
    right = 64.0
    span = width - left - right
    scale = top if top is not None else axis_top(max((v for _, v in items), default=0))
    height = 8 + row * len(items) + 8
    body = [_line(left, 4, left, height - 4, INK)]
    for i, (label, value) in enumerate(items):
        y = 8 + row * i
        length = max(0.0, span * value / scale) if scale else 0.0
        attrs, hover = _mark("bar", label, value, shown(value))
        place = {"x": _n(left), "y": _n(y + (row - bar) / 2), "width": _n(max(length, 1)), "height": _n(bar)}
        body += [
            _text(left - 6, y + row / 2 + 4, fit(label, left - 10), anchor="end"),
            element("rect", {**attrs, **place, "fill": color}, hover),
            _text(left + length + 4, y + row / 2 + 4, shown(value)),
        ]
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
) -> Markup:
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
        place = {"x": _n(x), "y": _n(top_pad + plot - tall), "width": _n(column), "height": _n(max(tall, 1))}
        body += [
            element("rect", {**attrs, **place, "fill": colors[i % len(colors)]}, hover),
            _text(x + column / 2, top_pad + plot - tall - 5, shown(value), anchor="middle"),
            _text(x + column / 2, height - 9, fit(label, slot - 4), anchor="middle"),
        ]
    return _svg(name, title, width, height, body)


def _grid(x0: float, x1: float, y0: float, plot: float, scale: float, shown: Format) -> list[Markup]:
    """Four horizontal rules with the left axis figures, and the base line."""
    out = []
    for step in range(5):
        y = y0 + plot - plot * step / 4
        out.append(_line(x0, y, x1, y, INK if step == 0 else RULE))
        out.append(_text(x0 - 4, y + 4, shown(scale * step / 4), anchor="end", fill=MUTED))
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
) -> Markup:
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
        body.append(_text(x1 + 4, y + 4, f"{step * 25}%", fill=MUTED))
    slot = (x1 - left) / max(len(months), 1)
    every = max(1, math.ceil(len(months) * 46 / (x1 - left)))  # month labels that fit
    for i, month in enumerate(months):
        if i % every == 0:
            body.append(_text(left + slot * i + slot / 2, height - 10, month, anchor="middle"))
    group = slot * 0.7
    column = group / max(len(bars), 1)
    for b, (label, color, values) in enumerate(bars):
        for i, value in enumerate(values):
            if value is None:
                continue
            tall = plot * value / scale
            x = left + slot * i + (slot - group) / 2 + column * b
            attrs, hover = _mark("bar", f"{months[i]} {label}", value, count_text(value))
            place = {"x": _n(x), "y": _n(top_pad + plot - tall), "width": _n(column * 0.92)}
            body.append(element("rect", {**attrs, **place, "height": _n(max(tall, 1)), "fill": color}, hover))
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
                stroke = {"fill": "none", "stroke": color, "stroke-width": "2"}
                body.append(element("polyline", {"points": path, **stroke}))
        for x, y, month, value in (point for run in runs for point in run):
            attrs, hover = _mark("point", f"{month} {label}", value, f"{value * 100:.1f}%")
            body.append(element("circle", {**attrs, **_dot(x, y, color)}, hover))
    legend = [(label, color, "bar") for label, color, _ in bars]
    legend += [(label, color, "line") for label, color, _ in lines]
    body.append(_legend(left, legend))
    return _svg(name, title, width, height, body)


def _dot(x: float, y: float, color: str) -> dict[str, str]:
    """A rate's point: a white dot ringed in the line's colour."""
    return {"cx": _n(x), "cy": _n(y), "r": "3.5", "fill": "#fff", "stroke": color, "stroke-width": "2"}


def _legend(x: float, entries: list[tuple[str, str, str]]) -> Markup:
    out = []
    for label, color, kind in entries:
        if kind == "bar":
            out.append(element("rect", {"x": _n(x), "y": "8", "width": "12", "height": "12", "fill": color}))
        else:
            out.append(_line(x - 2, 14, x + 14, 14, color, **{"stroke-width": "2"}))
            out.append(element("circle", _dot(x + 6, 14, color)))
        out.append(_text(x + 18, 18, label))
        x += 18 + drawn_width(label) + 18
    return Markup("").join(out)
