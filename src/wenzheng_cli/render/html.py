"""The reports as one self-contained HTML page each, from their JSON dicts: a 通报 to open offline and print.

``weekly_page``, ``monthly_page`` and ``trend_page`` take exactly what ``--json`` prints (the shapes of the CLI
contract) and return a whole page: its stylesheet inline, its charts inline SVG (``render.svg``), no script,
no font file and nothing fetched from the network. This module works out what each page shows (texts,
figures, tables as rows of cell texts); the templates (``templates/weekly.html.j2`` and the others, through
``render.templating``) lay it out and escape every text, so no text from the data can reach a page raw. A
rate that could not be counted shows ``—``. Pure: the same dict gives the same page.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
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
    history_note,
    left_out_note,
    progress_text,
    scoring_note,
    summary_line,
    week_status,
)
from wenzheng_cli.render.sheets import DASH, percent, shown
from wenzheng_cli.render.templating import Markup, render
from wenzheng_cli.render.timeline import outcome_label, rating_label, short_time
from wenzheng_cli.reports.grouping import BLANK, BY_LABELS
from wenzheng_cli.reports.trend import sum_left_out
from wenzheng_cli.reports.weekly import SECTIONS

ROWS_SHOWN = 200  # rows per section of a weekly page; the counts stay whole, the xlsx holds every row
TEXT_CELLS = 200  # 诉求 and 办理结果 cut at about 100 Chinese characters: a row stays a row on paper
NUMERIC = ("int", "rate", "number", "score")

Col = tuple[str, str]  # title, kind: text | code (kept on one line) | long | int | rate | number | score
Cell = tuple[str, str]  # css class ("" for none), text
_WEEK_KINDS = {"承办": "text"}  # the other short columns are kept on one line
_STATUS = {status.value: label for status, label in STATUS_LABELS.items()}
_CLASSES = {"n": "n", "code": "c", "text": "w", "long": "t"}  # numbers right, kept on one line, wrapped
_STYLE = Markup(CSS)  # the product's own stylesheet: no text from the data in it


@dataclass(frozen=True)
class Table:
    """A table as the page shows it: the column titles, the rows (a css class for the row, "" for none, and
    its cells) and the footer rows."""

    heads: Sequence[str]
    rows: Iterable[tuple[str, Sequence[Cell]]]
    foot: Sequence[Sequence[Cell]] = ()


@dataclass(frozen=True)
class Heat:
    """Groups × months, each cell (text, inline style that shades it); with ``counts``, a 合计 column (each
    row's ``total``) and a 合计 row (``sums``)."""

    by: str
    months: Sequence[str]
    rows: Sequence[tuple[str, Sequence[tuple[str, str]], float]]  # group, cells, total
    sums: Sequence[float]
    counts: bool


@dataclass(frozen=True)
class Part:
    """A section of the weekly page: its heading, its table (``None`` when the section is empty) and how many
    of its ``count`` cases the table lists."""

    heading: str
    table: Table | None
    count: int
    shown: int


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
    columns = [(c.title, "long" if c.wide else _WEEK_KINDS.get(c.title, "code")) for c in WEEK_COLUMNS]
    parts = []
    for key, label in SECTIONS:
        cases = data.get(key) or []
        heading = f"{label}（{len(cases)} 件）"
        if not cases:
            parts.append(Part(heading, None, 0, 0))
            continue
        shown_cases = cases[:limit] if limit else cases
        told = key == "report_back"  # what the resident is told: the latest progress note, not a result
        body = _table(
            [*columns[:RESULT], (PROGRESS.title, "long"), *columns[RESULT + 1 :]] if told else columns,
            map(partial(_week_row, progress=told), shown_cases),  # told bound now: rows are made later
            row_classes=["late" if case.get("overdue") else "" for case in shown_cases],
        )
        parts.append(Part(heading, body, len(cases), len(shown_cases)))
    meta = [f"逾期按 {short_time(data.get('as_of'))} 计；各部分为该周结束时的状态"]
    note = history_note((data.get("left_out") or {}).get("history_open", 0))
    if note:
        meta.append(note)
    title = f"周台账 {week['start']} 至 {week['end']}"
    return _page("weekly.html.j2", office, title, meta, chart=chart, summary=summary, parts=parts)


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
    headline = [
        ("受理量", str(totals.get("received", 0)), ""),
        ("办结", str(totals.get("resolved", 0)), ""),
        ("办结率", percent(rates.get("completion_rate")), ""),
        ("按期办结率", percent(rates.get("on_time_rate")), ""),
        ("满意率", percent(rates.get("satisfaction_rate")), ""),
        ("逾期未办结", str(totals.get("overdue_open", 0)), "alert"),
    ]
    ranked = sorted((g for g in groups if g.get("rank") is not None), key=lambda g: g["rank"])
    ranking = svg.hbar_chart(
        [(f"{g['rank']}. {_key(g)}", float(g["score"])) for g in ranked],
        name="ranking",
        title=f"各{by}得分",
        shown=lambda v: f"{v:.2f}",
        top=100,
    )
    categories = data.get("top_categories") or []
    category_chart = svg.hbar_chart(
        [(_category(c), float(c["received"])) for c in categories],
        name="categories",
        title="受理量前列的类别",
        shown=lambda v: f"{v:.0f} 件",
        width=560,  # beside its table
    )
    category_table = _table(
        [("类别", "text"), ("受理量", "int"), ("占比", "rate")],
        [[_category(c), c["received"], c.get("share")] for c in categories],
    )
    activity = data.get("activity") or {}
    figures = [
        ("活动场次", activity.get("sessions", 0)),
        ("问政事项", activity.get("items", 0)),
        ("其中现场办结", activity.get("on_site", 0)),
        ("其中承诺办结", activity.get("committed", 0)),
    ]
    counts = [(k, label) for k, label, _ in COUNT_COLUMNS if k in totals]
    counts += [(k, label) for k, label in FOLLOW_COLUMNS if k in totals]
    head: list[Col] = [("排名", "int"), (by, "text")]
    count_table = _table(
        head + [(label, "int") for _, label in counts] + [("加减分", "number"), ("得分", "score")],
        (
            [g.get("rank"), _key(g)]
            + [g["totals"].get(k) for k, _ in counts]
            + [g.get("points"), g.get("score")]
            for g in groups
        ),
        footer=[["", "合计"] + [totals.get(k) for k, _ in counts] + [data.get("points"), data.get("score")]],
    )
    rate_keys = _rate_columns(rates)
    rate_table = _table(
        [(by, "text")] + [(label, "rate") for _, label in rate_keys],
        ([_key(g)] + [g["rates"].get(k) for k, _ in rate_keys] for g in groups),
        footer=[["合计"] + [rates.get(k) for k, _ in rate_keys]],
    )
    year, month = period["start"][:4], int(period["start"][5:7])
    meta = [
        f"按{by}统计 · 统计对象: {period['start']} 至 {period['end']} 受理的诉求",
        f"统计至 {short_time(period['as_of'])}（此后的办理不计入）",
    ]
    return _page(
        "monthly.html.j2",
        office,
        f"{year}年{month}月问政通报",
        meta,
        by=by,
        summary=summary_line(totals, rates),
        headline=headline,
        trend_chart=_trend_chart(trend["months"]) if trend and trend.get("months") else None,
        ranking=ranking if ranked else None,
        unranked="、".join(_key(g) for g in groups if g.get("rank") is None),
        categories=category_chart if categories else None,
        category_table=category_table,
        activity=[(name, str(value), "") for name, value in figures],
        kinds="、".join(f"{kind} {n} 次" for kind, n in (activity.get("by_kind") or {}).items()),
        counts=count_table,
        rates=rate_table,
        scoring=scoring_note(data["scoring"]) if data.get("scoring") else "",
        left_out=left_out_note(data.get("left_out") or {}),
    )


def trend_page(data: Mapping[str, Any], *, office: str = "") -> str:
    """The months side by side: a chart of received and resolved with the completion and satisfaction
    rates, the months as a table, and each group's received and completion rate month by month."""
    months = data.get("months") or []
    names = [m["month"] for m in months]
    by = BY_LABELS.get(data.get("by") or "", data.get("by") or "分组")
    if not months:
        return _page("trend.html.j2", office, "问政趋势", [], chart=None)
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
    groups = data.get("groups") or []
    return _page(
        "trend.html.j2",
        office,
        f"问政趋势 {names[0]} 至 {names[-1]}",
        [f"共 {len(names)} 个月" + (f"，按{by}分组" if groups else "")],
        wide=True,  # months side by side: landscape throughout
        by=by,
        chart=_trend_chart(months),
        months=table,
        received=_heat(groups, names, "received", by) if groups else None,
        completion=_heat(groups, names, "completion_rate", by) if groups else None,
        left_out=left_out_note(sum_left_out(m.get("left_out") or {} for m in months), months=True),
    )


def _trend_chart(months: Sequence[Mapping[str, Any]]) -> Markup:
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


def _heat(groups: Sequence[Mapping[str, Any]], months: list[str], key: str, by: str) -> Heat:
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
    rows = [
        (
            _key(group),
            [_shade(v, w, kind, colour) for v, w in zip(row, weights, strict=True)],
            sum(v or 0 for v in row),
        )
        for group, row, weights in zip(groups, grid, shade, strict=True)
    ]
    sums = [] if rate else [sum(row[i] or 0 for row in grid) for i in range(len(months))]
    return Heat(by, months, rows, sums, counts=not rate)


def _shade(value: float | None, weight: float | None, kind: str, colour: str) -> tuple[str, str]:
    if value is None or weight is None:
        return DASH, ""
    alpha = 0.06 + 0.7 * min(max(weight, 0.0), 1.0)
    ink = "#fff" if alpha > 0.5 else "#262626"
    return shown(value, kind), f"background:rgba({colour},{alpha:.2f});color:{ink}"


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


def _page(
    template: str, office: str, title: str, meta: Sequence[str], *, wide: bool = False, **shows: Any
) -> str:
    """The whole page: the office, the title and the ``meta`` lines at its head, then what ``template`` makes
    of ``shows``; ``wide`` prints every page landscape (else only the wide sections)."""
    return render(template, css=_STYLE, office=office, title=title, meta=meta, wide=wide, **shows)


def _table(
    columns: Sequence[Col],
    rows: Iterable[Sequence[Any]],
    *,
    footer: Sequence[Sequence[Any]] = (),
    row_classes: Sequence[str] | None = None,
) -> Table:
    """A table of typed cells (``render.sheets`` kinds, plus ``long`` for free text that wraps), its rows
    made as the page is written."""
    classes = [_CLASSES.get("n" if k in NUMERIC else k, "") for _, k in columns]
    kinds = [k for _, k in columns]

    def cells(row: Sequence[Any]) -> list[Cell]:
        return [(c, _cell(v, k)) for v, k, c in zip(row, kinds, classes, strict=True)]

    def body() -> Iterator[tuple[str, list[Cell]]]:
        for i, row in enumerate(rows):
            yield (row_classes[i] if row_classes else ""), cells(row)

    return Table([title for title, _ in columns], body(), [cells(row) for row in footer])


def _cell(value: Any, kind: str) -> str:
    if value == "":
        return ""
    return shown(value, "text" if kind in ("long", "code") else kind)
