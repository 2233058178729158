"""The reports as one self-contained HTML page each, from their JSON dicts: a 通报 to open offline and print.

``weekly_page``, ``monthly_page`` and ``trend_page`` take exactly what ``--json`` prints (the shapes of the CLI
contract) and return a whole page: its stylesheet inline, its charts inline SVG (``render.svg``), no script,
no font file and nothing fetched from the network. Every text from the data is escaped; a rate that could not
be counted shows ``—``. Pure: the same dict gives the same page.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from html import escape
from typing import Any

from wenzheng_cli.domain.models import STATUS_LABELS
from wenzheng_cli.domain.text import shorten
from wenzheng_cli.render import svg
from wenzheng_cli.render.cases import handler_text, place_text
from wenzheng_cli.render.html_style import CSS
from wenzheng_cli.render.report_sheets import (
    COUNT_COLUMNS,
    FOLLOW_COLUMNS,
    PROGRESS,
    RATE_COLUMNS,
    RESULT,
    WEEK_COLUMNS,
    progress_text,
    scoring_note,
    summary_line,
    week_status,
)
from wenzheng_cli.render.sheets import DASH, percent, shown
from wenzheng_cli.render.timeline import outcome_label, rating_label, short_time
from wenzheng_cli.reports.grouping import BLANK, BY_LABELS
from wenzheng_cli.reports.weekly import SECTIONS

ROWS_SHOWN = 200  # rows per section of a weekly page; the counts stay whole, the xlsx holds every row
TEXT_CELLS = 200  # 诉求 and 办理结果 cut at about 100 Chinese characters: a row stays a row on paper
NUMBERS = "一二三四五六七八九十"
NUMERIC = ("int", "rate", "number", "score")

Col = tuple[str, str]  # title, kind: text | code (kept on one line) | long | int | rate | number | score
_WEEK_KINDS = {"承办": "text"}  # the other short columns are kept on one line
_STATUS = {status.value: label for status, label in STATUS_LABELS.items()}


def weekly_page(data: Mapping[str, Any], *, office: str = "", limit: int | None = ROWS_SHOWN) -> str:
    """The weekly 台账: a chart of the six sections' counts, then each section as a table (its first
    ``limit`` rows; ``None`` for all), overdue rows marked, long texts cut at about 100 characters."""
    week, totals = data["week"], data["totals"]
    items = [(label, float(totals.get(key, 0))) for key, label in SECTIONS]
    chart = svg.column_chart(
        items,
        name="sections",
        title="本周各部分件数",
        colors=[svg.RED if key == "overdue" else svg.BLUE for key, _ in SECTIONS],
    )
    summary = _table(
        [("项目", "text"), ("件数", "int")], [[label, totals.get(key, 0)] for key, label in SECTIONS]
    )
    parts = [_section(0, "本周概况", f'<div class="side">{_figure(chart, "本周各部分件数")}{summary}</div>')]
    columns = [(c.title, "long" if c.wide else _WEEK_KINDS.get(c.title, "code")) for c in WEEK_COLUMNS]
    for number, (key, label) in enumerate(SECTIONS, start=1):
        cases = data.get(key) or []
        heading = f"{label}（{len(cases)} 件）"
        if not cases:
            parts.append(_section(number, heading, '<p class="empty">无</p>'))
            continue
        shown_cases = cases[:limit] if limit else cases
        told = key == "report_back"  # what the resident is told: the latest progress note, not a result
        body = _table(
            [*columns[:RESULT], (PROGRESS.title, "long"), *columns[RESULT + 1 :]] if told else columns,
            (_week_row(case, progress=told) for case in shown_cases),
            row_classes=["late" if case.get("overdue") else "" for case in shown_cases],
        )
        if len(shown_cases) < len(cases):
            body += (
                f'<p class="note">本部分共 {len(cases)} 件，此处列出前 {len(shown_cases)} 件；'
                "完整台账请用 --format xlsx 导出。</p>"
            )
        parts.append(_section(number, heading, body, wide=True))
    meta = [f"逾期按 {short_time(data.get('as_of'))} 计；各部分为该周结束时的状态"]
    return _page(office, f"周台账 {week['start']} 至 {week['end']}", meta, parts)


def _week_row(case: Mapping[str, Any], *, progress: bool = False) -> list[Any]:
    status = case.get("status") or ""
    label = _STATUS.get(status, status)
    if progress:
        result = progress_text(case.get("progress"), case.get("progress_at"))
    else:
        result = " ".join(x for x in (outcome_label(case.get("outcome")), case.get("result") or "") if x)
    return [
        case.get("number"),
        (case.get("received_at") or "")[:10],
        place_text(case.get("community"), case.get("grid")),
        case.get("resident") or "",
        case.get("category") or "",
        shorten(case.get("description"), TEXT_CELLS),
        handler_text(case.get("handler"), case.get("unit")),
        short_time(case.get("due_at")),
        week_status(label, bool(case.get("overdue")), int(case.get("round") or 1)),
        shorten(result, TEXT_CELLS),
        rating_label(case.get("rating")),
    ]


def monthly_page(data: Mapping[str, Any], *, office: str = "", trend: Mapping[str, Any] | None = None) -> str:
    """The monthly 通报: the headline figures, the ranking of the groups by score, the top categories and the
    问政活动 (with ``trend``, a ``report trend`` dict, also the months before), then the full tables."""
    period, totals, rates = data["period"], data["totals"], data["rates"]
    by = BY_LABELS.get(data.get("by") or "", data.get("by") or "分组")
    groups = data.get("groups") or []
    kpis = [
        ("受理量", str(totals.get("received", 0)), ""),
        ("办结", str(totals.get("resolved", 0)), ""),
        ("办结率", percent(rates.get("completion_rate")), ""),
        ("按期办结率", percent(rates.get("on_time_rate")), ""),
        ("满意率", percent(rates.get("satisfaction_rate")), ""),
        ("逾期未办结", str(totals.get("overdue_open", 0)), "alert"),
    ]
    overview = f'<p class="lead">{escape(summary_line(totals, rates))}。</p>' + _kpis(kpis)
    if trend and trend.get("months"):
        overview += _figure(_trend_chart(trend["months"]), "逐月受理、办结与办结率、满意率")
    parts = [_section(0, "总体情况", overview)]

    ranked = sorted((g for g in groups if g.get("rank") is not None), key=lambda g: g["rank"])
    ranking = svg.hbar_chart(
        [(f"{g['rank']}. {_key(g)}", float(g["score"])) for g in ranked],
        name="ranking",
        title=f"各{by}得分",
        shown=lambda v: f"{v:.2f}",
        top=100,
    )
    unranked = [_key(g) for g in groups if g.get("rank") is None]
    body = _figure(ranking, f"各{by}得分排名（百分制）") if ranked else '<p class="empty">无可排名的分组</p>'
    if unranked:
        body += f'<p class="note">未排名（未填{escape(by)}或无可计比率）: {escape("、".join(unranked))}</p>'
    parts.append(_section(1, f"各{by}排名", body))

    categories = data.get("top_categories") or []
    chart = svg.hbar_chart(
        [(_category(c), float(c["received"])) for c in categories],
        name="categories",
        title="受理量前列的类别",
        shown=lambda v: f"{v:.0f} 件",
        width=560,  # beside its table
    )
    table = _table(
        [("类别", "text"), ("受理量", "int"), ("占比", "rate")],
        [[_category(c), c["received"], c.get("share")] for c in categories],
    )
    body = f'<div class="side">{_figure(chart, "受理量前列的类别")}{table}</div>' if categories else ""
    parts.append(_section(2, "类别前列", body or '<p class="empty">本月无受理</p>'))

    activity = data.get("activity") or {}
    kinds = "、".join(f"{kind} {n} 次" for kind, n in (activity.get("by_kind") or {}).items())
    figures = [
        ("活动场次", activity.get("sessions", 0)),
        ("问政事项", activity.get("items", 0)),
        ("其中现场办结", activity.get("on_site", 0)),
        ("其中承诺办结", activity.get("committed", 0)),
    ]
    body = _kpis([(name, str(value), "") for name, value in figures])
    parts.append(_section(3, "问政活动", body + (f'<p class="note">{escape(kinds)}</p>' if kinds else "")))

    counts = [(k, label) for k, label, _ in COUNT_COLUMNS if k in totals]
    counts += [(k, label) for k, label in FOLLOW_COLUMNS if k in totals]
    rate_keys = _rate_columns(rates)
    head: list[Col] = [("排名", "int"), (by, "text")]
    table = _table(
        head + [(label, "int") for _, label in counts] + [("加减分", "number"), ("得分", "score")],
        (
            [g.get("rank"), _key(g)]
            + [g["totals"].get(k) for k, _ in counts]
            + [g.get("points"), g.get("score")]
            for g in groups
        ),
        footer=[["", "合计"] + [totals.get(k) for k, _ in counts] + [data.get("points"), data.get("score")]],
    )
    parts.append(_section(4, "办理情况", table, wide=True))
    table = _table(
        [(by, "text")] + [(label, "rate") for _, label in rate_keys],
        ([_key(g)] + [g["rates"].get(k) for k, _ in rate_keys] for g in groups),
        footer=[["合计"] + [rates.get(k) for k, _ in rate_keys]],
    )
    note = f'<p class="note">{escape(scoring_note(data["scoring"]))}。</p>' if data.get("scoring") else ""
    parts.append(_section(5, "各项比率", table + note, wide=True))
    year, month = period["start"][:4], int(period["start"][5:7])
    meta = [
        f"按{by}统计 · 统计对象: {period['start']} 至 {period['end']} 受理的诉求",
        f"统计至 {short_time(period['as_of'])}（此后的办理不计入）",
    ]
    return _page(office, f"{year}年{month}月问政通报", meta, parts)


def trend_page(data: Mapping[str, Any], *, office: str = "") -> str:
    """The months side by side: a chart of received and resolved with the completion and satisfaction
    rates, the months as a table, and each group's received and completion rate month by month."""
    months = data.get("months") or []
    names = [m["month"] for m in months]
    by = BY_LABELS.get(data.get("by") or "", data.get("by") or "分组")
    if not months:
        return _page(office, "问政趋势", [], [_section(0, "逐月走势", '<p class="empty">无数据</p>')])
    rate_keys = _rate_columns(months[0]["rates"])
    counts = [("received", "受理量"), ("resolved", "办结")]
    table = _table(
        [("月份", "text")]
        + [(label, "int") for _, label in counts]
        + [(label, "rate") for _, label in rate_keys],
        (
            [m["month"]] + [m["totals"].get(k) for k, _ in counts] + [m["rates"].get(k) for k, _ in rate_keys]
            for m in months
        ),
        footer=[
            ["合计"]
            + [sum(m["totals"].get(k) or 0 for m in months) for k, _ in counts]
            + [""] * len(rate_keys)
        ],
    )
    chart = _figure(_trend_chart(months), "逐月受理、办结与办结率、满意率")
    parts = [_section(0, "逐月走势", chart + table)]
    groups = data.get("groups") or []
    if groups:
        parts.append(_section(1, f"各{by}逐月受理量", _heat(groups, names, "received", by)))
        parts.append(_section(2, f"各{by}逐月办结率", _heat(groups, names, "completion_rate", by)))
    title = f"问政趋势 {names[0]} 至 {names[-1]}"
    meta = [f"共 {len(names)} 个月" + (f"，按{by}分组" if groups else "")]
    return _page(office, title, meta, parts, wide=True)  # months side by side: landscape throughout


def _trend_chart(months: Sequence[Mapping[str, Any]]) -> str:
    names = [m["month"] for m in months]
    return svg.month_chart(
        names,
        bars=[
            ("受理量", svg.BLUE, [m["totals"].get("received") for m in months]),
            ("办结", svg.GREY, [m["totals"].get("resolved") for m in months]),
        ],
        lines=[
            ("办结率", svg.GREEN, [m["rates"].get("completion_rate") for m in months]),
            ("满意率", svg.RED, [m["rates"].get("satisfaction_rate") for m in months]),
        ],
        name="trend",
        title="逐月走势",
    )


def _heat(groups: Sequence[Mapping[str, Any]], months: list[str], key: str, by: str) -> str:
    """Groups × months, each cell shaded: a count by its size (with 合计 row and column), a rate by how far it
    falls short of the best (the lowest rates stand out)."""
    rate = key.endswith("_rate")
    part = "rates" if rate else "totals"
    grid = []
    for group in groups:
        found = {m["month"]: m for m in group.get("months") or []}
        grid.append([(found[m][part].get(key) if m in found else (None if rate else 0)) for m in months])
    values = [v for row in grid for v in row if v is not None]
    if rate:
        best = max(values, default=1.0)
        gap = (best - min(values, default=best)) or 1.0
        shade = [[None if v is None else (best - v) / gap for v in row] for row in grid]
    else:
        top = max(values, default=0) or 1
        shade = [[None if v is None else v / top for v in row] for row in grid]
    colour = "178,34,34" if rate else "47,85,151"
    kind = "rate" if rate else "int"
    head = "".join(f"<th>{escape(m)}</th>" for m in months) + ("" if rate else "<th>合计</th>")
    rows = []
    for group, row, weights in zip(groups, grid, shade, strict=True):
        cells = "".join(_shade(v, w, kind, colour) for v, w in zip(row, weights, strict=True))
        if not rate:
            cells += f'<td class="n">{sum(v or 0 for v in row)}</td>'
        rows.append(f'<tr><td class="c">{escape(_key(group))}</td>{cells}</tr>')
    foot = ""
    if not rate:
        sums = [sum(row[i] or 0 for row in grid) for i in range(len(months))]
        foot = "<tfoot><tr><td>合计</td>" + "".join(f'<td class="n">{v}</td>' for v in sums)
        foot += f'<td class="n">{sum(sums)}</td></tr></tfoot>'
    return (
        f'<div class="scroll"><table class="data heat"><thead><tr><th>{escape(by)}</th>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody>{foot}</table></div>"
    )


def _shade(value: float | None, weight: float | None, kind: str, colour: str) -> str:
    if value is None or weight is None:
        return f'<td class="n">{DASH}</td>'
    alpha = 0.06 + 0.7 * min(max(weight, 0.0), 1.0)
    ink = "#fff" if alpha > 0.5 else "#262626"
    style = f"background:rgba({colour},{alpha:.2f});color:{ink}"
    return f'<td class="n" style="{style}">{escape(shown(value, kind))}</td>'


def _rate_columns(rates: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The rates present, in the order of the 通报; one not named there keeps its key as its title."""
    known = [(k, label) for k, label, _ in RATE_COLUMNS if k in rates]
    named = {k for k, _, _ in RATE_COLUMNS}
    return known + [(k, k) for k in rates if k not in named]


def _key(group: Mapping[str, Any]) -> str:
    key = group.get("key")
    return BLANK if key is None or key == "" else str(key)


def _category(item: Mapping[str, Any]) -> str:
    name = item.get("category")
    return BLANK if name is None or name == "" else str(name)


# --- the page and its parts ---------------------------------------------------------------------------------


def _page(
    office: str, title: str, meta: Sequence[str], sections: Sequence[str], *, wide: bool = False
) -> str:
    """The whole page; ``wide`` prints every page landscape (else only the wide sections)."""
    heading = f"{office} {title}" if office else title
    cls = ' class="wide"' if wide else ""
    office_line = f'<div class="office">{escape(office)}</div>' if office else ""
    lines = "".join(f'<p class="meta">{escape(line)}</p>' for line in meta)
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(heading)}</title><style>{CSS}</style></head>\n<body><main{cls}>"
        f'<header class="doc">{office_line}<div class="rule"></div><h1>{escape(title)}</h1>{lines}</header>\n'
        + "\n".join(sections)
        + "\n</main></body></html>\n"
    )


def _section(number: int, title: str, body: str, *, wide: bool = False) -> str:
    cls = ' class="wide"' if wide else ""
    return f"<section{cls}><h2>{NUMBERS[number]}、{escape(title)}</h2>{body}</section>"


def _kpis(figures: Sequence[tuple[str, str, str]]) -> str:
    """Headline figures in a row of boxes: (name, figure, css class)."""
    boxes = "".join(
        f'<div class="kpi {cls}"><span>{escape(name)}</span><b>{escape(value)}</b></div>'
        for name, value, cls in figures
    )
    return f'<div class="kpis">{boxes}</div>'


def _figure(chart: str, caption: str) -> str:
    return f"<figure><figcaption>{escape(caption)}</figcaption>{chart}</figure>"


def _table(
    columns: Sequence[Col],
    rows: Iterable[Sequence[Any]],
    *,
    footer: Sequence[Sequence[Any]] = (),
    row_classes: Sequence[str] | None = None,
) -> str:
    """A table of typed cells (``render.sheets`` kinds, plus ``long`` for free text that wraps)."""
    classes = [_CLASSES.get("n" if k in NUMERIC else k, "") for _, k in columns]
    kinds = [k for _, k in columns]
    out = ['<div class="scroll"><table class="data"><thead><tr>']
    out.extend(f"<th>{escape(title)}</th>" for title, _ in columns)
    out.append("</tr></thead><tbody>")
    for i, row in enumerate(rows):
        cls = row_classes[i] if row_classes else ""
        out.append(f'<tr class="{cls}">' if cls else "<tr>")
        out.extend(_cell(v, k, c) for v, k, c in zip(row, kinds, classes, strict=True))
        out.append("</tr>")
    out.append("</tbody>")
    if footer:
        out.append("<tfoot>")
        for row in footer:
            out.append("<tr>" + "".join(_cell(v, k, c) for v, k, c in zip(row, kinds, classes, strict=True)))
            out.append("</tr>")
        out.append("</tfoot>")
    out.append("</table></div>")
    return "".join(out)


_CLASSES = {"n": ' class="n"', "code": ' class="c"', "text": ' class="w"', "long": ' class="t"'}


def _cell(value: Any, kind: str, cls: str) -> str:
    if value == "":
        return f"<td{cls}></td>"
    text = shown(value, "text" if kind in ("long", "code") else kind)
    return f"<td{cls}>{escape(text)}</td>"
