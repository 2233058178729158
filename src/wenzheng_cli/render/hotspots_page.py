"""``wenzheng hotspots --format html``: one self-contained page (inline CSS and SVG, no script, no network)
that prints on A4: the heat of each hotspot as bars, the 热点问题表, then each hotspot's cases.

The page is ``templates/hotspots.html.j2`` (escaping by default, ``render.templating``); its chart is built
with ``svg.element``, which escapes every text it is given.
"""

from __future__ import annotations

from wenzheng_cli.analysis.hotspots import HEAT_EXPLAINED
from wenzheng_cli.core.hotspots import HotspotsResult
from wenzheng_cli.render.analysis import span_text, spanning, subtitle, title, unlisted
from wenzheng_cli.render.html_style import HOTSPOTS_CSS
from wenzheng_cli.render.svg import element
from wenzheng_cli.render.templating import Markup, render

UNNAMED = "未注明"  # a hotspot whose cases name no place


def page(result: HotspotsResult) -> str:
    return render(
        "hotspots.html.j2",
        css=Markup(HOTSPOTS_CSS),  # the product's own stylesheet: no text from the data in it
        title=title(result),
        subtitle=subtitle(result),
        formula=HEAT_EXPLAINED,
        hotspots=result.hotspots,
        spans=spanning(result.hotspots),
        span_text=span_text,
        unlisted=unlisted,
        chart=_bars(result) if result.hotspots else None,
        unnamed=UNNAMED,
    )


def _bars(result: HotspotsResult) -> Markup:
    """Horizontal bars of heat, one per hotspot, its summary as the bar's hover text."""
    rows = result.hotspots
    peak = max(h.heat for h in rows) or 1.0
    label_w, bar_w, row_h = 220, 420, 24
    height = row_h * len(rows) + 10
    body = []
    for i, h in enumerate(rows):
        y = 5 + i * row_h
        width = max(1.0, bar_w * h.heat / peak)
        name = f"{h.rank}. {h.place or UNNAMED}"
        if len(name) > 16:
            name = name[:15] + "…"
        body.append(element("text", {"x": str(label_w - 6), "y": str(y + 16), "text-anchor": "end"}, name))
        place = {"x": str(label_w), "y": str(y + 3), "width": f"{width:.1f}", "height": str(row_h - 8)}
        hover = element("title", {}, h.summary)
        body.append(element("rect", {"class": "bar", **place, "fill": "#b8322a"}, hover))
        body.append(element("text", {"x": f"{label_w + width + 6:.1f}", "y": str(y + 16)}, f"{h.heat:g}"))
    size = {"width": str(label_w + bar_w + 70), "height": str(height)}
    frame = {"xmlns": "http://www.w3.org/2000/svg", **size, "role": "img", "aria-label": "热度"}
    return element("svg", frame, *body)
