"""The weekly 台账 and the monthly 通报 as sheets (see ``render.sheets``), for every format but JSON."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from wenzheng_cli.domain.models import Case
from wenzheng_cli.domain.text import mask_name, shorten
from wenzheng_cli.render.cases import place, who
from wenzheng_cli.render.sheets import Column, Sheet, percent
from wenzheng_cli.render.timeline import outcome_label, rating_label, short_time
from wenzheng_cli.reports.monthly import MonthlyReport
from wenzheng_cli.reports.weekly import SECTIONS, WeeklyReport

SCREEN_TEXT = 30  # cells of 诉求 / 办理结果 shown in a terminal table

WEEK_COLUMNS = [
    Column("编号"),
    Column("受理日期"),
    Column("社区/网格", drop=3),
    Column("居民", drop=1),
    Column("类别", drop=2),
    Column("诉求", wide=True),
    Column("承办", drop=6),
    Column("时限"),
    Column("状态", status=True),
    Column("办理结果", wide=True, drop=5),
    Column("评价", drop=4),
]


def week_title(report: WeeklyReport) -> str:
    office = report.office_name or report.office
    return f"{office} 周台账 {report.start.isoformat()} 至 {report.end.isoformat()}"


def weekly_sheets(
    report: WeeklyReport, *, show_pii: bool, screen: bool, limit: int | None = None
) -> list[Sheet]:
    """The six sections and the totals; with ``limit``, only the first rows of each section are made."""
    sheets = []
    for key, label in SECTIONS:
        cases = report.section(key)
        shown = cases[:limit] if limit else cases
        rows = [_week_row(report, case, show_pii, screen) for case in shown]
        title = f"{label}（{len(cases)} 件）" if screen else label
        sheets.append(Sheet(title, list(WEEK_COLUMNS), rows, total=len(cases)))
    totals = report.totals()
    sheets.append(
        Sheet(
            "合计",
            [Column("项目"), Column("件数", "int")],
            [[label, totals[key]] for key, label in SECTIONS],
        )
    )
    return sheets


def _week_row(report: WeeklyReport, case: Case, show_pii: bool, screen: bool) -> list[Any]:
    status = week_status(case.status.label, report.is_overdue(case), case.round)
    result = " ".join(x for x in (outcome_label(case.outcome), case.result or "") if x)
    text = case.title or case.description
    return [
        case.number,
        case.received_at[:10],
        place(case),
        (case.resident if show_pii else mask_name(case.resident)) or "",
        case.category or "",
        shorten(text, SCREEN_TEXT) if screen else text,
        who(case),
        short_time(case.due_at),
        status,
        shorten(result, SCREEN_TEXT) if screen else result,
        rating_label(case.rating),
    ]


def week_status(label: str, overdue: bool, round_: int) -> str:
    """A case's status in the 台账: ``办理中·逾期·第2轮``."""
    if overdue:
        label += "·逾期"
    if round_ > 1:
        label += f"·第{round_}轮"
    return label


# --- monthly -----------------------------------------------------------------------------------------------

# (key, heading, on a narrow terminal: None never left out, else the lower the sooner — render.fit)
RATE_COLUMNS = (
    ("claim_rate", "认领率", 7),
    ("response_rate", "响应率", 3),
    ("completion_rate", "办结率", None),
    ("on_time_rate", "按期办结率", 6),
    ("feedback_rate", "反馈率", 4),
    ("revisit_rate", "回访率", 2),
    ("satisfaction_rate", "满意率", None),
    ("first_pass_satisfaction_rate", "一次满意率", 1),
    ("reopen_rate", "重办率", 5),
    ("grassroots_rate", "基层化解率", 8),
)
COUNT_COLUMNS = (
    ("received", "受理量", None),
    ("withdrawn", "撤件", 5),
    ("resolved", "办结", None),
    ("on_site", "现场办结", 3),
    ("committed", "承诺办结", 4),
    ("activities", "问政活动", 1),
    ("activity_items", "问政事项", 2),
    ("overdue_open", "逾期未办结", None),
)
NO_KEY = "（未填）"


def month_title(report: MonthlyReport) -> str:
    office = report.office_name or report.office
    year, month = report.start[:4], int(report.start[5:7])
    return f"{office} {year}年{month}月问政通报（按{report.by_label}）"


def month_subtitle(report: MonthlyReport) -> str:
    return (
        f"统计对象: {report.start} 至 {report.end} 受理的诉求；统计至 {short_time(report.as_of)}"
        f"（此后的办理不计入）"
    )


def monthly_sheets(report: MonthlyReport, *, screen: bool) -> list[Sheet]:
    key_title = report.by_label
    sheets: list[Sheet]
    if screen:
        counts = Sheet(
            "办理情况",
            [Column("排名", "int"), Column(key_title)]
            + [Column(label, "int", drop=drop) for _, label, drop in COUNT_COLUMNS]
            + [Column("加减分", "number", drop=6), Column("得分", "score")],
        )
        rates = Sheet(
            "各项比率",
            [Column(key_title)] + [Column(label, "rate", drop=drop) for _, label, drop in RATE_COLUMNS],
        )
        for group in report.groups:
            name = group.key if group.key is not None else NO_KEY
            counts.rows.append(
                [group.rank, name]
                + [group.totals[k] for k, _, _ in COUNT_COLUMNS]
                + [group.points, group.score]
            )
            rates.rows.append([name] + [group.rates[k] for k, _, _ in RATE_COLUMNS])
        counts.footer.append(
            ["", "合计"] + [report.totals[k] for k, _, _ in COUNT_COLUMNS] + [report.points, report.score]
        )
        rates.footer.append(["合计"] + [report.rates[k] for k, _, _ in RATE_COLUMNS])
        sheets = [counts, rates]
    else:
        main = Sheet(
            "通报",
            [Column("排名", "int"), Column(key_title)]
            + [Column(label, "int") for _, label, _ in COUNT_COLUMNS[:3]]
            + [Column(label, "rate") for _, label, _ in RATE_COLUMNS]
            + [Column(label, "int") for _, label, _ in COUNT_COLUMNS[3:]]
            + [Column("加减分", "number"), Column("得分", "score")],
            freeze_columns=2,
        )
        for group in report.groups:
            name = group.key if group.key is not None else NO_KEY
            main.rows.append(
                _month_row(group.rank, name, group.totals, group.rates, group.points, group.score)
            )
        main.footer.append(
            _month_row("", "合计", dict(report.totals), report.rates, report.points, report.score)
        )
        sheets = [main]
    sheets.append(
        Sheet(
            "类别前列",
            [Column("类别"), Column("受理量", "int"), Column("占比", "rate")],
            [[c["category"] or "（未分类）", c["received"], c["share"]] for c in report.top_categories],
        )
    )
    activity = report.activity
    kinds = "、".join(f"{kind} {n} 次" for kind, n in activity["by_kind"].items())
    sheets.append(
        Sheet(
            "问政活动",
            [Column("项目"), Column("数量", "int")],
            [
                ["活动场次", activity["sessions"]],
                ["问政事项", activity["items"]],
                ["其中现场办结", activity["on_site"]],
                ["其中承诺办结", activity["committed"]],
            ],
            note=kinds or None,
        )
    )
    return sheets


def _month_row(
    rank: int | str | None,
    name: str,
    totals: dict[str, Any],
    rates: dict[str, float | None],
    points: float,
    score: float | None,
) -> list[Any]:
    return (
        [rank, name]
        + [totals[k] for k, _, _ in COUNT_COLUMNS[:3]]
        + [rates[k] for k, _, _ in RATE_COLUMNS]
        + [totals[k] for k, _, _ in COUNT_COLUMNS[3:]]
        + [points, score]
    )


def month_summary(report: MonthlyReport) -> str:
    """One line a secretary reads first: the headline figures of the month."""
    return summary_line(report.totals, report.rates)


def summary_line(t: Mapping[str, Any], r: Mapping[str, float | None]) -> str:
    return (
        f"受理 {t['received']} 件（撤件 {t['withdrawn']}），办结 {t['resolved']} 件，"
        f"办结率 {percent(r['completion_rate'])}，满意率 {percent(r['satisfaction_rate'])}，"
        f"逾期未办结 {t['overdue_open']} 件"
    )


def points_note(report: MonthlyReport) -> str:
    return scoring_note(report.scoring)


def scoring_note(scoring: Mapping[str, Any]) -> str:
    p = scoring["points"]
    weights = "/".join(str(w).removesuffix(".0") for w in p["difficulty_weights"])
    return (
        f"加减分: 销账每件 +{_n(p['closed'])}×难度权重（难度1–5: {weights}），逾期每件 −{_n(p['overdue'])}，"
        f"不满意每次 −{_n(p['dissatisfied'])}，退单每次 −{_n(p['returned'])}；得分为各项比率的加权平均（百分制）"
    )


def _n(value: float) -> str:
    return str(value).removesuffix(".0")
