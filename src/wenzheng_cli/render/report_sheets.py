"""The weekly 台账 and the monthly 通报 as sheets (see ``render.sheets``), for every format but JSON."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from wenzheng_cli.domain.models import Case
from wenzheng_cli.domain.text import mask_name, shorten
from wenzheng_cli.render.cases import place, who
from wenzheng_cli.render.sheets import Column, Sheet, percent
from wenzheng_cli.render.timeline import outcome_label, rating_label, short_time
from wenzheng_cli.reports.grouping import label
from wenzheng_cli.reports.monthly import MonthlyReport
from wenzheng_cli.reports.weekly import SECTIONS, WeeklyReport

SCREEN_TEXT = 30  # cells of 诉求 / 办理结果 / 最新进展 shown in a terminal table
SCREEN_WHO = 14  # … of 承办

WEEK_COLUMNS = [
    Column("编号"),
    Column("受理日期", "date"),
    Column("社区/网格", drop=3),
    Column("居民", drop=1),
    Column("类别", drop=2),
    Column("诉求", wide=True),
    Column("承办", drop=6),
    Column("时限", "time"),
    Column("状态", status=True),
    Column("办理结果", wide=True, drop=5),
    Column("评价", drop=4),
]
RESULT = 9  # the position of 办理结果
PROGRESS = Column("最新进展", wide=True)  # 下周二通报 only: what the resident is told
PART = Column("部分")  # the section, in the one flat table of a CSV


def week_title(report: WeeklyReport[Case]) -> str:
    shown = report.of_office.title if report.of_office is not None else None
    scope = "/".join(p for p in (shown, report.community, report.grid) if p)
    office = f"{report.office.title} {scope}" if scope else report.office.title
    return f"{office} 周台账 {report.start.isoformat()} 至 {report.end.isoformat()}"


def week_subtitle(report: WeeklyReport[Case]) -> str:
    return f"逾期按 {report.as_of[:16].replace('T', ' ')} 计；各部分为该周结束时的状态"


def weekly_sheets(
    report: WeeklyReport[Case], *, show_pii: bool, screen: bool, limit: int | None = None
) -> list[Sheet]:
    """The six sections and the totals; with ``limit``, only the first rows of each section are made. In
    下周二通报, whose cases have no result yet, the latest progress note takes the place of 办理结果."""
    sheets = []
    for key, title in SECTIONS:
        cases = report.section(key)
        shown = cases[:limit] if limit else cases
        told = key == "report_back"
        rows = [_week_row(report, case, show_pii, screen) for case in shown]
        columns = list(WEEK_COLUMNS)
        if told:
            columns[RESULT] = PROGRESS
            for row, case in zip(rows, shown, strict=True):
                row[RESULT] = _progress(report, case, screen)
        elif key == "weak_reply":
            for row, case in zip(rows, shown, strict=True):
                row[RESULT] = weak_result(row[RESULT], case)
        sheets.append(
            Sheet(
                f"{title}（{len(cases)} 件）" if screen else title,
                columns,
                rows,
                total=len(cases),
            )
        )
    totals = report.totals()
    sheets.append(
        Sheet(
            "合计",
            [Column("项目"), Column("件数", "int")],
            [[title, totals[key]] for key, title in SECTIONS],
            note=history_note(report.history_open),
        )
    )
    return sheets


def history_note(count: int) -> str | None:
    """The footnote of a 台账 that leaves untouched history out of 结转未销账 and 下周二通报 (``None`` when none)."""
    if not count:
        return None
    return (
        f"注：结转未销账、下周二通报不列 {count} 件历史导入的未办结件（按文件原样记录，导入后无人办理）；"
        "查看: wenzheng list --imported --status open"
    )


def weekly_flat(report: WeeklyReport[Case], *, show_pii: bool) -> Sheet:
    """The whole 台账 as one table, a row per case and section, the section in the first column (CSV)."""
    sheet = Sheet("周台账", [PART, *WEEK_COLUMNS, PROGRESS], note=history_note(report.history_open))
    for key, title in SECTIONS:
        told = key == "report_back"
        for case in report.section(key):
            progress = _progress(report, case, False) if told else None
            row = _week_row(report, case, show_pii, False)
            if key == "weak_reply":
                row[RESULT] = weak_result(row[RESULT], case)
            sheet.rows.append([title, *row, progress])
    return sheet


def weak_result(result: str, case: Case) -> str:
    """办理结果 in 答复待完善, followed by what the reply lacks."""
    from wenzheng_cli.domain.reply_quality import describe  # loaded only for a 台账 with weak replies

    return f"{result}（{describe(case.reply_flags)}）"


def _week_row(report: WeeklyReport[Case], case: Case, show_pii: bool, screen: bool) -> list[Any]:
    status = week_status(case.status.label, report.is_overdue(case), case.round)
    result = " ".join(x for x in (outcome_label(case.outcome), case.result or "") if x)
    text = case.title or case.description
    year = str(report.end.year)
    return [
        case.number,
        _this_year(case.received_at[:10], year) if screen else case.received_at,
        place(case),
        (case.resident if show_pii else mask_name(case.resident)) or "",
        case.category or "",
        shorten(text, SCREEN_TEXT) if screen else text,
        shorten(who(case), SCREEN_WHO) if screen else who(case),
        _this_year(case.due_at, year) if screen else case.due_at,
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


def _this_year(value: str | None, year: str) -> str | None:
    """On screen, a date of the report's year without its year (``10-27``, ``10-27 14:00``)."""
    if value is None or not value.startswith(year):
        return value
    return short_time(value)[5:]


def progress_text(text: str | None, at: str | None) -> str:
    """A 进展 note as 下周二通报 shows it: its day, then what it says (``10-22 已电话联系执法中队``)."""
    return f"{at[5:10]} {text}" if text and at else ""


def _progress(report: WeeklyReport[Case], case: Case, screen: bool) -> str:
    note = report.progress.get(case.id)
    text = progress_text(note.text, note.at) if note else ""
    return shorten(text, SCREEN_TEXT) if screen else text


# --- monthly -----------------------------------------------------------------------------------------------

# (key, heading, on a narrow terminal: None never left out, else the lower the sooner — render.fit)
RATE_COLUMNS = (
    ("claim_rate", "认领率", 8),
    ("response_rate", "响应率", 3),
    ("completion_rate", "办结率", None),
    ("on_time_rate", "按期办结率", 7),
    ("feedback_rate", "反馈率", 4),
    ("on_time_feedback_rate", "按时反馈率", 5),
    ("revisit_rate", "回访率", 2),
    ("satisfaction_rate", "满意率", None),
    ("first_pass_satisfaction_rate", "一次满意率", 1),
    ("reopen_rate", "重办率", 6),
    ("grassroots_rate", "基层化解率", 9),
    ("reply_ok_rate", "答复规范率", 10),
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
FOLLOW_COLUMNS = (
    ("supervised", "督办"),
    ("listed", "挂牌督办"),
    ("escalated", "提级"),
    ("extended", "延期"),
    ("returned", "退单"),
)
# Why a rate leaves an imported case out: what the file did not carry.
UNKNOWN_FACTS = {
    "claim_rate": "文件未载认领时间",
    "response_rate": "文件未载认领时间",
    "on_time_rate": "文件未载办理时限",
    "feedback_rate": "文件未载反馈方式",
    "on_time_feedback_rate": "文件未载反馈方式",
    "revisit_rate": "文件只载办结、未载回访",
    "satisfaction_rate": "文件未载评价",
    "first_pass_satisfaction_rate": "文件未载评价",
    "grassroots_rate": "文件未载办理层级",
    "reply_ok_rate": "办结早于答复评判，答复未经评判",
}
# The rates whose unknowns are not only imported cases (a 办结 typed before replies were judged).
NOT_ONLY_IMPORTED = frozenset({"reply_ok_rate"})


def month_title(report: MonthlyReport) -> str:
    year, month = report.start[:4], int(report.start[5:7])
    return f"{report.office.title} {year}年{month}月问政通报（按{report.by_label}）"


def month_subtitle(report: MonthlyReport) -> str:
    return (
        f"统计对象: {report.start} 至 {report.end} 受理的诉求；统计至 {short_time(report.as_of)}"
        f"（此后的办理不计入）"
    )


def monthly_sheets(report: MonthlyReport, *, screen: bool, paper: bool = False) -> list[Sheet]:
    """The 通报's tables. On a terminal (``screen``) and on ``paper`` (the XLSX a street prints and posts),
    the figures are split into narrow tables, the ranking first: 办理情况 with the rank, 加减分 and 得分, the
    rates in two, 督办与提级. A file a program reads (CSV, Markdown) has them all in the one table 通报; so does
    the XLSX, as its last sheet, under the same name and columns as ever."""
    key_title = report.by_label
    sheets: list[Sheet]
    if screen:
        sheets = _split_tables(report, screen=True)
    else:
        main = Sheet(
            "通报",
            [Column("排名", "int"), Column(key_title)]
            + [Column(title, "int") for _, title, _ in COUNT_COLUMNS[:3]]
            + [Column(title, "rate") for _, title, _ in RATE_COLUMNS]
            + [Column(title, "int") for _, title, _ in COUNT_COLUMNS[3:]]
            + [Column(title, "int") for _, title in FOLLOW_COLUMNS]
            + [Column("加减分", "number"), Column("得分", "score")],
            freeze_columns=2,
        )
        for group in report.groups:
            main.rows.append(
                _month_row(group.rank, label(group.key), group.totals, group.rates, group.points, group.score)
            )
        main.footer.append(
            _month_row("", "合计", dict(report.totals), report.rates, report.points, report.score)
        )
        main.note = left_out_note(report.left_out)
        sheets = _split_tables(report, screen=False) if paper else [main]
    sheets.append(
        Sheet(
            "类别前列",
            [Column("类别"), Column("受理量", "int"), Column("占比", "rate")],
            [[label(c["category"]), c["received"], c["share"]] for c in report.top_categories],
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
    if paper:
        sheets.append(main)
    return sheets


def _split_tables(report: MonthlyReport, *, screen: bool) -> list[Sheet]:
    """办理情况 (ranked), the rates in two tables, 督办与提级: each fits a terminal of 100 columns, and each
    prints on A4 at a readable size. On paper, 办理情况 says how 加减分 and 得分 are counted."""
    key_title = report.by_label
    # Activities belong to communities: other groupings leave the column out.
    shown = [c for c in COUNT_COLUMNS if report.by == "community" or c[0] != "activities"]
    counts = Sheet(
        "办理情况",
        [Column("排名", "int"), Column(key_title)]
        + [Column(title, "int", drop=drop) for _, title, drop in shown]
        + [Column("加减分", "number", drop=6), Column("得分", "score")],
        freeze_columns=0 if screen else 2,
    )
    half = next(i for i, column in enumerate(RATE_COLUMNS) if column[0] == "revisit_rate")
    parts = (("各项比率（办理）", RATE_COLUMNS[:half]), ("各项比率（回访与化解）", RATE_COLUMNS[half:]))
    frozen = 0 if screen else 1
    rates = [
        Sheet(
            title,
            [Column(key_title)] + [Column(name, "rate", drop=drop) for _, name, drop in part],
            freeze_columns=frozen,
        )
        for title, part in parts
    ]
    follow = Sheet(
        "督办与提级",
        [Column(key_title)] + [Column(title, "int") for _, title in FOLLOW_COLUMNS],
        freeze_columns=frozen,
    )
    for group in report.groups:
        name = label(group.key)
        counts.rows.append(
            [group.rank, name] + [group.totals[k] for k, _, _ in shown] + [group.points, group.score]
        )
        for sheet, (_, part) in zip(rates, parts, strict=True):
            sheet.rows.append([name] + [group.rates[k] for k, _, _ in part])
        follow.rows.append([name] + [group.totals[k] for k, _ in FOLLOW_COLUMNS])
    counts.footer.append(
        ["", "合计"] + [report.totals[k] for k, _, _ in shown] + [report.points, report.score]
    )
    for sheet, (_, part) in zip(rates, parts, strict=True):
        sheet.footer.append(["合计"] + [report.rates[k] for k, _, _ in part])
    follow.footer.append(["合计"] + [report.totals[k] for k, _ in FOLLOW_COLUMNS])
    rates[-1].note = left_out_note(report.left_out, screen=screen)
    if not screen:
        counts.note = points_note(report)
    return [counts, *rates, follow]


def _month_row(
    rank: int | str | None,
    name: str,
    totals: Any,
    rates: Any,
    points: float,
    score: float | None,
) -> list[Any]:
    return (
        [rank, name]
        + [totals[k] for k, _, _ in COUNT_COLUMNS[:3]]
        + [rates[k] for k, _, _ in RATE_COLUMNS]
        + [totals[k] for k, _, _ in COUNT_COLUMNS[3:]]
        + [totals[k] for k, _ in FOLLOW_COLUMNS]
        + [points, score]
    )


def month_summary(report: MonthlyReport) -> str:
    """One line a secretary reads first: the headline figures of the month."""
    return summary_line(report.totals, report.rates)


def summary_line(t: Mapping[str, Any], r: Mapping[str, float | None]) -> str:
    return (
        f"受理 {t['received']} 件（撤件 {t['withdrawn']}），办结 {t['resolved']} 件，"
        f"办结率 {percent(r['completion_rate'])}，满意率 {percent(r['satisfaction_rate'])}，"
        f"逾期未办结 {t['overdue_open']} 件；督办 {t['supervised']} 件（挂牌 {t['listed']}），提级 {t['escalated']} 件"
    )


def left_out_note(left_out: Mapping[str, int], *, months: bool = False, screen: bool = False) -> str | None:
    """The footnote of a report whose rates leave imported cases out (``None`` when none do): 「注：认领率、响应率不计
    5 件导入件（文件未载认领时间）；…」; ``months``: the counts are those of several months together; ``screen``:
    a clause a line, as a terminal would otherwise break it at a space in the middle of one."""
    names = {key: name for key, name, _ in RATE_COLUMNS}
    parts: list[tuple[list[str], int, str, str]] = []
    for key, count in left_out.items():
        why = UNKNOWN_FACTS.get(key, "文件未载")
        noun = "件" if key in NOT_ONLY_IMPORTED else "件导入件"
        if parts and parts[-1][1:] == (count, why, noun):
            parts[-1][0].append(names.get(key, key))
        else:
            parts.append(([names.get(key, key)], count, why, noun))
    if not parts:
        return None
    glue = "；\n  " if screen else "；"
    said = glue.join(f"{'、'.join(rates)}不计 {count} {noun}（{why}）" for rates, count, why, noun in parts)
    last = "。\n" if screen else "。"
    return f"注{'（各月合计）' if months else ''}：{said}{last}这些比率只算事实已知的件，分母为 0 时显示 —"


def points_note(report: MonthlyReport) -> str:
    return scoring_note(report.scoring)


def scoring_note(scoring: Mapping[str, Any]) -> str:
    p = scoring["points"]
    weights = "/".join(str(w).removesuffix(".0") for w in p["difficulty_weights"])
    return (
        f"加减分: 销账每件 +{_n(p['closed'])}×难度权重（难度1–5: {weights}），逾期每件 −{_n(p['overdue'])}，"
        f"不满意每次 −{_n(p['dissatisfied'])}，退单每次 −{_n(p['returned'])}（记在退回的单位或承办人）；"
        "得分为各项比率的加权平均（百分制）；（未填）一组只列出、不排名"
    )


def _n(value: float) -> str:
    return str(value).removesuffix(".0")
