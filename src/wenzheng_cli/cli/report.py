"""``report weekly`` (周台账) and ``report monthly`` (月通报), on screen and to files for cron."""

from __future__ import annotations

from typing import Annotated

import typer

from wenzheng_cli.cli.base import DbOpt, FormatOpt, JsonOpt, OutputOpt, PiiOpt, app, ledger_session
from wenzheng_cli.errors import UsageError
from wenzheng_cli.files import check_output

report_app = typer.Typer(help="周台账与月通报（表格、Markdown、CSV、XLSX、JSON、HTML）", no_args_is_help=True)
app.add_typer(report_app, name="report", rich_help_panel="查询")

LimitOpt = Annotated[
    int | None, typer.Option("--limit", help="表格中每部分最多显示几件（默认 50，0 为全部；导出文件不受限）")
]


@report_app.command("weekly")
def weekly(
    week: Annotated[
        str | None,
        typer.Option("--week", help="本周、上周、上上周，或该周内的任一天，如 2026-11-17、前天（默认本周）"),
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
    """
    from wenzheng_cli.core.reports import weekly as make_weekly
    from wenzheng_cli.render import report_output

    with ledger_session(db, create=False) as session:
        chosen = report_output.choose_format(fmt, output, as_json)
        if output is not None:
            check_output(output, ledger=session.ledger.path, stream_ok=True)
        rows = _limit(limit)
        report = make_weekly(session, week)
        report_output.weekly(report, chosen, output, show_pii=show_pii, limit=rows)


@report_app.command("monthly")
def monthly(
    month: Annotated[
        str | None, typer.Option("--month", help="月份，如 2026-10、10月，或 last（上月）（默认本月）")
    ] = None,
    by: Annotated[
        str | None,
        typer.Option("--by", help="分组: community（社区，默认）、unit（承办单位）、category、channel"),
    ] = None,
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

    例: wenzheng report monthly --month last --by community --format xlsx --output 通报.xlsx
    """
    from wenzheng_cli.core.reports import monthly as make_monthly
    from wenzheng_cli.render import report_output

    with ledger_session(db, create=False) as session:
        chosen = report_output.choose_format(fmt, output, as_json)
        if output is not None:
            check_output(output, ledger=session.ledger.path, stream_ok=True)
        report = make_monthly(session, month, by, as_of)
        report_output.monthly(report, chosen, output)


def _limit(value: int | None) -> int | None:
    if value is not None and value < 0:
        raise UsageError("--limit 不能为负数", hint="--limit 0 显示全部")
    return 50 if value is None else value or None
