"""``report weekly`` (周台账), ``report monthly`` (月通报) and ``report trend`` (趋势), on screen and to files."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer

from wenzheng_cli.cli.base import DbOpt, FormatOpt, JsonOpt, OutputOpt, PiiOpt, app, ledger_session
from wenzheng_cli.core.reports import monthly as make_monthly
from wenzheng_cli.core.reports import trend as make_trend
from wenzheng_cli.core.reports import weekly as make_weekly
from wenzheng_cli.domain import groupings
from wenzheng_cli.errors import UsageError
from wenzheng_cli.render import report_output

report_app = typer.Typer(
    help="周台账、月通报与趋势（表格、Markdown、CSV、XLSX、JSON、HTML）", no_args_is_help=True
)
app.add_typer(report_app, name="report", rich_help_panel="查询")

ByOpt = Annotated[
    str | None,
    typer.Option(
        "--by",
        help=f"分组: {groupings.listed()}；也可写中文，如 --by 网格",
        show_default=False,
    ),
]
LimitOpt = Annotated[
    int | None, typer.Option("--limit", help="表格中每部分最多显示几件（默认 50，0 为全部；导出文件不受限）")
]


@report_app.command("weekly")
def weekly(
    week: Annotated[
        str | None,
        typer.Option("--week", help="本周、上周、上上周，或该周内的任一天，如 2026-11-17、前天（默认本周）"),
    ] = None,
    community: Annotated[
        str | None, typer.Option("--community", help="只列该社区受理的诉求", show_default=False)
    ] = None,
    grid: Annotated[
        str | None, typer.Option("--grid", help="只列该网格（片区）的诉求", show_default=False)
    ] = None,
    office: Annotated[
        str | None,
        typer.Option(
            "--office",
            help="只列某一社区台账的案件（街道汇总台账用）: 社区代码或名称，如 YL",
            show_default=False,
        ),
    ] = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    limit: LimitOpt = None,
    show_pii: PiiOpt = False,
    as_json: JsonOpt = False,
    db: DbOpt = None,
) -> None:
    """周台账: 本周新增、本周办结、本周销账、结转未销账、逾期、下周二通报（周二至下周一）。

    例: wenzheng report weekly --week 上周二 --format xlsx --output 周台账.xlsx
        wenzheng report weekly --community 杨柳 --grid 一网格
        wenzheng report weekly --office YL
    """
    with ledger_session(db, create=False) as session, _bulk():
        chosen = report_output.choose_format(fmt, output, as_json, ledger=session.ledger.path)
        rows = _limit(limit)
        columns = report_output.case_columns(chosen, show_pii)
        report = make_weekly(session, week, community=community, grid=grid, office=office, columns=columns)
        report_output.weekly(report, chosen, output, show_pii=show_pii, limit=rows)


@report_app.command("monthly")
def monthly(
    month: Annotated[
        str | None, typer.Option("--month", help="月份，如 2026-10、10月，或 last（上月）（默认本月）")
    ] = None,
    by: ByOpt = None,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="统计截止时间（默认该月月底；只计此前的办理），如 2026-11-05 18:00"),
    ] = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    as_json: JsonOpt = False,
    db: DbOpt = None,
) -> None:
    """月通报: 受理量、认领率、办结率、满意率……每组排名与加减分，类别前列，问政活动。

    比率只算事实已知的件：导入的文件没写的（如认领时间、反馈方式、评价）不计入该比率，脚注写明不计几件。

    例: wenzheng report monthly --month last --by community --format xlsx --output 通报.xlsx
    """
    with ledger_session(db, create=False) as session, _bulk():
        chosen = report_output.choose_format(fmt, output, as_json, ledger=session.ledger.path)
        report = make_monthly(session, month, by, as_of)
        report_output.monthly(report, chosen, output)


@report_app.command("trend")
def trend(
    months: Annotated[
        int | None, typer.Option("--months", help="几个月（默认 12）", show_default=False)
    ] = None,
    until: Annotated[
        str | None,
        typer.Option("--until", help="到哪个月为止，如 2026-10、本月（默认上月）", show_default=False),
    ] = None,
    by: ByOpt = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    as_json: JsonOpt = False,
    db: DbOpt = None,
) -> None:
    """趋势: 逐月的受理量、办结率、满意率……与当月的月通报数字一致；--by 时另有各组逐月。

    例: wenzheng report trend --months 12 --by 社区 --format xlsx --output 趋势.xlsx
    """
    with ledger_session(db, create=False) as session, _bulk():
        chosen = report_output.choose_format(fmt, output, as_json, ledger=session.ledger.path)
        report = make_trend(session, months, until, by)
        report_output.trend(report, chosen, output)


@contextmanager
def _bulk() -> Iterator[None]:
    """A report builds up to a few hundred thousand small objects and makes no reference cycles: the cycle
    collector, which would scan them over and over as they pile up (a sixth of a big 台账's time), is paused."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def _limit(value: int | None) -> int | None:
    if value is not None and value < 0:
        raise UsageError("--limit 不能为负数", hint="--limit 0 显示全部")
    return 50 if value is None else value or None
