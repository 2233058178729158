"""The trend as sheets (see ``render.sheets``): the months side by side, and per group a month-by-month grid."""

from __future__ import annotations

from typing import Any

from wenzheng_cli.render.report_sheets import COUNT_COLUMNS, FOLLOW_COLUMNS, RATE_COLUMNS, left_out_note
from wenzheng_cli.render.sheets import Column, Sheet
from wenzheng_cli.render.timeline import short_time
from wenzheng_cli.reports.grouping import label
from wenzheng_cli.reports.trend import MonthFigures, TrendReport

BAR = 10  # cells of the longest bar on screen
# What a month row shows on screen (within 100 columns): the figures people compare month to month.
SCREEN_COUNTS = (("received", "受理量"), ("resolved", "办结"))
SCREEN_RATES = (
    ("completion_rate", "办结率"),
    ("on_time_rate", "按期办结率"),
    ("on_time_feedback_rate", "按时反馈率"),
    ("satisfaction_rate", "满意率"),
)
ALL_COUNTS = tuple((key, title) for key, title, _ in COUNT_COLUMNS) + FOLLOW_COLUMNS
# Per group, groups down and months across.
GRIDS = (
    ("received", "受理量", "int"),
    ("completion_rate", "办结率", "rate"),
    ("satisfaction_rate", "满意率", "rate"),
)
TOTAL = "合计"


def trend_title(report: TrendReport) -> str:
    by = f"（按{report.by_label}）" if report.by_label else ""
    return f"{report.office.title} 问政趋势 {report.start[:7]} 至 {report.end[:7]}{by}"


def trend_subtitle(report: TrendReport) -> str:
    last = report.months[-1]
    partial = (
        f"；{last.month} 统计至 {short_time(last.as_of)}" if not last.as_of.startswith(report.end) else ""
    )
    return f"每月统计该月受理的诉求，计至月底的办理（与当月的月通报一致）{partial}"


def trend_sheets(report: TrendReport, *, screen: bool) -> list[Sheet]:
    """On screen the headline figures with a bar per month and, per group, grids of 受理量 and 办结率; in a
    file every figure of every month, and per group one row per group and month as well."""
    if screen:
        most = max((m.totals["received"] or 0 for m in report.months), default=0)
        months = Sheet(
            "逐月情况",
            [Column("月份"), Column("受理量", "int"), Column("走势")]
            + [Column(title, "int") for _, title in SCREEN_COUNTS[1:]]
            + [Column(title, "rate") for _, title in SCREEN_RATES]
            + [Column("逾期未办结", "int")],
        )
        for m in report.months:
            received = m.totals["received"] or 0
            bar = "█" * round(BAR * received / most) if most else ""
            months.rows.append(
                [m.month, received, bar]
                + [m.totals[key] for key, _ in SCREEN_COUNTS[1:]]
                + [m.rates[key] for key, _ in SCREEN_RATES]
                + [m.totals["overdue_open"]]
            )
        sheets = [months]
    else:
        sheets = [_long("逐月情况", [(TOTAL, m) for m in report.months], key_title=None)]
    sheets[0].note = left_out_note(report.left_out, months=True, screen=screen)
    if report.by is not None:
        key_title = report.by_label or ""
        for key, name, kind in GRIDS:
            sheets.append(_grid(report, key, name, kind, key_title, screen=screen))
        if not screen:
            rows = [(label(g.key), m) for g in report.groups for m in g.months]
            sheets.append(_long(f"按{key_title}逐月", rows, key_title=key_title))
    return sheets


def trend_flat(report: TrendReport) -> Sheet:
    """Every figure of every month, in all and per group, as one table (CSV)."""
    rows = [(TOTAL, m) for m in report.months]
    rows += [(label(g.key), m) for g in report.groups for m in g.months]
    sheet = _long("问政趋势", rows, key_title=report.by_label or "分组")
    sheet.note = left_out_note(report.left_out, months=True)
    return sheet


def _long(title: str, rows: list[tuple[str, MonthFigures]], *, key_title: str | None) -> Sheet:
    """A row per (group, month) with every count and rate."""
    columns = [Column("月份")] + ([Column(key_title)] if key_title else [])
    columns += [Column(name, "int") for _, name in ALL_COUNTS] + [
        Column(name, "rate") for _, name, _ in RATE_COLUMNS
    ]
    sheet = Sheet(title, columns, freeze_columns=2 if key_title else 1)
    for key, m in rows:
        head: list[Any] = [m.month] + ([key] if key_title else [])
        sheet.rows.append(
            head + [m.totals[k] for k, _ in ALL_COUNTS] + [m.rates[k] for k, _, _ in RATE_COLUMNS]
        )
    return sheet


def _grid(report: TrendReport, key: str, name: str, kind: str, key_title: str, *, screen: bool) -> Sheet:
    """Groups down, months across: one figure (a count or a rate); the months' figure in all at the foot. On
    screen the months are named short (``11月``), the period being in the title, so a year fits 100 columns."""
    figure = "totals" if kind == "int" else "rates"
    if screen:
        title = f"{name}（按{key_title}，{report.start[:7]} 至 {report.end[:7]}）"
        months = [f"{int(m.month[5:])}月" for m in report.months]
    else:
        title = f"{name}（按{key_title}）"
        months = [m.month for m in report.months]
    sheet = Sheet(
        title,
        [Column(key_title)] + [Column(month, kind) for month in months],
        freeze_columns=1,
    )
    for group in report.groups:
        sheet.rows.append([label(group.key)] + [getattr(m, figure)[key] for m in group.months])
    sheet.footer.append([TOTAL] + [getattr(m, figure)[key] for m in report.months])
    return sheet
