"""``wenzheng hotspots`` and ``wenzheng suggest`` out. Hotspots: a table on screen, JSON, CSV, XLSX (热点问题表 + 明细表) or one HTML page.

The HTML page is self-contained (inline CSS and SVG, no script, no network) and prints on A4.
"""

from __future__ import annotations

import html
import json
from typing import Any

from wenzheng_cli.analysis.hotspots import HEAT_EXPLAINED
from wenzheng_cli.core.analysis import HotspotsResult, SuggestResult
from wenzheng_cli.render import console
from wenzheng_cli.render.sheets import Column, Sheet


def title(result: HotspotsResult) -> str:
    return f"热点问题（{result.start} 至 {result.end}）"


def subtitle(result: HotspotsResult) -> str:
    found = len(result.hotspots)
    return (
        f"统计期内受理 {result.cases} 件；同一地点、同一问题、相邻两件相隔不超过 {result.window} 的归为一组，"
        f"至少 2 人反映的为热点，按热度列出前 {found} 个"
    )


def screen_sheet(result: HotspotsResult, width: int) -> Sheet:
    """The hotspots on a terminal of ``width`` columns: place and summary shortened to fit, no case numbers
    (they are in the files and the JSON), 点赞 only when an import brought any."""
    from wenzheng_cli.domain.text import shorten

    support = any(h.support for h in result.hotspots)
    columns = [Column("排名", "int"), Column("热度", "number"), Column("地点"), Column("问题概要")]
    columns += [Column("件数", "int"), Column("人数", "int")]
    columns += [Column("点赞", "int")] if support else []
    columns.append(Column("起止日期"))
    fixed = 4 + 6 + 4 + 4 + (4 if support else 0) + 18 + 3 * len(columns) + 1
    room = max(width - fixed, 24)
    place_cells = max(8, min(18, room * 2 // 5))
    summary_cells = room - place_cells
    sheet = Sheet("热点问题表", columns, note=HEAT_EXPLAINED)
    for h in result.hotspots:
        end = h.end[5:] if h.end[:4] == h.start[:4] else h.end
        row = [h.rank, h.heat, shorten(h.place or "未注明", place_cells), shorten(h.summary, summary_cells)]
        row += [h.cases, h.people] + ([h.support] if support else []) + [f"{h.start}～{end}"]
        sheet.rows.append(row)
    return sheet


def sheets(result: HotspotsResult) -> list[Sheet]:
    """热点问题表 and 明细表, whole: for files."""
    main = Sheet(
        "热点问题表",
        [
            Column("排名", "int"),
            Column("热度", "number"),
            Column("地点"),
            Column("问题概要", wide=True),
            Column("件数", "int"),
            Column("人数", "int"),
            Column("点赞", "int"),
            Column("起始日期"),
            Column("最近日期"),
            Column("案件编号", wide=True),
        ],
        note=HEAT_EXPLAINED,
        freeze_columns=3,
    )
    for h in result.hotspots:
        main.rows.append(
            [
                h.rank,
                h.heat,
                h.place or "未注明",
                h.summary,
                h.cases,
                h.people,
                h.support,
                h.start,
                h.end,
                "、".join(h.numbers),
            ]
        )
    detail = Sheet(
        "明细表",
        [
            Column("排名", "int"),
            Column("地点"),
            Column("编号"),
            Column("受理日期"),
            Column("诉求", wide=True),
        ],
        freeze_columns=3,
    )
    for h in result.hotspots:
        for number, day, text in h.members:
            detail.rows.append([h.rank, h.place or "未注明", number, day, text])
    return [main, detail]


def emit(result: HotspotsResult, fmt: str, output: str | None) -> None:
    """The format chosen by ``report_output.choose_format``; files go through the reports' one delivery."""
    from wenzheng_cli.render import report_output, writers

    if fmt == "json":
        data = json.dumps(result.to_dict(), ensure_ascii=False, indent=2).encode("utf-8") + b"\n"
        report_output.deliver(data, output)
    elif fmt == "html":
        report_output.deliver(page(result).encode("utf-8"), output)
    elif fmt == "table" and not output:
        out = console.out()
        writers.print_tables(out, title(result), subtitle(result), [screen_sheet(result, out.width)], [])
        if result.hotspots:
            out.print("各热点的全部案件见明细表: --format xlsx --output 热点问题.xlsx", markup=False)
    else:
        report_output.emit_sheets(fmt, output, title(result), subtitle(result), sheets(result), [])


_CSS = """
body{font-family:"Microsoft YaHei","PingFang SC","Noto Sans CJK SC","WenQuanYi Micro Hei",SimSun,sans-serif;
margin:24px;color:#222}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:24px 0 8px;border-left:4px solid #b22;padding-left:8px}
p.sub{color:#555;margin:2px 0}table{border-collapse:collapse;width:100%;font-size:13px}
th,td{border:1px solid #bbb;padding:4px 6px;vertical-align:top;text-align:left}th{background:#eef2f7}
td.n{text-align:right;white-space:nowrap}.formula{background:#f7f7f2;border:1px solid #ddd;padding:6px 10px}
svg text{font-size:12px}
@media print{@page{size:A4 portrait;margin:14mm}body{margin:0}h2{break-after:avoid}tr{break-inside:avoid}}
"""


def page(result: HotspotsResult) -> str:
    e = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        f"<title>{e(title(result))}</title><style>{_CSS}</style></head><body>",
        f"<h1>{e(title(result))}</h1>",
        f'<p class="sub">{e(subtitle(result))}</p>',
        f'<p class="formula">{e(HEAT_EXPLAINED)}</p>',
    ]
    if not result.hotspots:
        parts.append("<p>统计期内没有至少 2 人反映的同一问题。</p></body></html>")
        return "\n".join(parts)
    parts.append("<h2>热度</h2>")
    parts.append(_bars(result))
    parts.append("<h2>热点问题表</h2><table><thead><tr>")
    heads = ("排名", "热度", "地点", "问题概要", "件数", "人数", "点赞", "起始日期", "最近日期")
    parts.append("".join(f"<th>{h}</th>" for h in heads) + "</tr></thead><tbody>")
    for h in result.hotspots:
        parts.append(
            f'<tr><td class="n">{h.rank}</td><td class="n">{h.heat:g}</td><td>{e(h.place or "未注明")}</td>'
            f'<td>{e(h.summary)}</td><td class="n">{h.cases}</td><td class="n">{h.people}</td>'
            f'<td class="n">{h.support}</td><td>{e(h.start)}</td><td>{e(h.end)}</td></tr>'
        )
    parts.append("</tbody></table><h2>明细表</h2>")
    for h in result.hotspots:
        parts.append(f"<h3>{h.rank}. {e(h.place or '未注明')}：{e(h.summary)}</h3>")
        parts.append("<table><thead><tr><th>编号</th><th>受理日期</th><th>诉求</th></tr></thead><tbody>")
        for number, day, text in h.members:
            parts.append(f"<tr><td>{e(number)}</td><td>{e(day)}</td><td>{e(text)}</td></tr>")
        parts.append("</tbody></table>")
    parts.append("</body></html>")
    return "\n".join(parts)


def _bars(result: HotspotsResult) -> str:
    """Horizontal bars of heat, one per hotspot, drawn as inline SVG."""
    e = html.escape
    rows = result.hotspots
    peak = max(h.heat for h in rows) or 1.0
    label_w, bar_w, row_h = 220, 420, 24
    height = row_h * len(rows) + 10
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{label_w + bar_w + 70}" height="{height}" '
        f'role="img" aria-label="热度">'
    ]
    for i, h in enumerate(rows):
        y = 5 + i * row_h
        width = max(1.0, bar_w * h.heat / peak)
        name = f"{h.rank}. {h.place or '未注明'}"
        if len(name) > 16:
            name = name[:15] + "…"
        out.append(f'<text x="{label_w - 6}" y="{y + 16}" text-anchor="end">{e(name)}</text>')
        out.append(
            f'<rect class="bar" x="{label_w}" y="{y + 3}" width="{width:.1f}" height="{row_h - 8}" fill="#b8322a">'
            f"<title>{e(h.summary)}</title></rect>"
        )
        out.append(f'<text x="{label_w + width + 6:.1f}" y="{y + 16}">{h.heat:g}</text>')
    out.append("</svg>")
    return "".join(out)


# --- suggest -------------------------------------------------------------------------------------------------


def suggestions(result: SuggestResult, as_json: bool) -> None:
    if as_json:
        console.write_json(result.to_dict())
        return
    for label, items in (("类别", result.category), ("承办单位", result.unit)):
        if not items:
            if label == "承办单位":
                console.line("承办单位: 台账中交办过的案件太少，暂无建议")
            continue
        shown = "  ".join(f"{i}. {x.value}（{x.score * 100:.0f}%）" for i, x in enumerate(items, start=1))
        console.line(f"{label}: {shown}")


def prompt_line(items: list[Any]) -> str:
    """The counter's offer at intake: ``1 城乡建设 (82%)  2 …``."""
    return "  ".join(f"{i} {x.value}（{x.score * 100:.0f}%）" for i, x in enumerate(items, start=1))
