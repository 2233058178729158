"""Looking at cases: ``show`` (one case and its timeline) and ``list`` (filters)."""

from __future__ import annotations

from typing import Annotated

import typer

from wenzheng_cli.cli.base import CaseArg, DbOpt, JsonOpt, PiiOpt, app, ledger_session
from wenzheng_cli.core.cases import show as do_show
from wenzheng_cli.core.listing import find_cases, twins
from wenzheng_cli.domain import clock
from wenzheng_cli.render.cases import CaseList, CaseView
from wenzheng_cli.render.output import emit

TABLE_LIMIT = 50


@app.command(rich_help_panel="查询")
def show(case: CaseArg, show_pii: PiiOpt = False, as_json: JsonOpt = False, db: DbOpt = None) -> None:
    """查看一件案件及其办理经过。

    例: wenzheng show 42
    """
    with ledger_session(db, create=False) as session:
        found, events, twins_found = do_show(session, case)
        emit(CaseView(found, events, show_pii, twins_found), as_json)


@app.command("list", rich_help_panel="查询")
def list_(
    status: Annotated[
        str | None,
        typer.Option("--status", help="状态，可逗号分隔: 待交办,已交办,办理中,待回访,已销账,已撤销 或 open"),
    ] = None,
    community: Annotated[str | None, typer.Option("--community", help="社区")] = None,
    handler: Annotated[str | None, typer.Option("--handler", help="承办人或承办单位")] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="只看逾期未办结的")] = False,
    since: Annotated[
        str | None,
        typer.Option("--since", help="受理日期起，如 2026-11-01、上周二，或 本周、上周、本月、上月"),
    ] = None,
    until: Annotated[
        str | None, typer.Option("--until", help="受理日期止（写 上周、上月 即到其最后一天）")
    ] = None,
    search: Annotated[str | None, typer.Option("--search", help="按内容、地址、电话搜索，如 路灯")] = None,
    duplicates: Annotated[
        bool, typer.Option("--duplicates", help="只看导入时标出的疑似重复件，并列出与之相似的案件")
    ] = False,
    limit: Annotated[
        int | None, typer.Option("--limit", help=f"最多显示几件（表格默认 {TABLE_LIMIT}，0 为全部）")
    ] = None,
    show_pii: PiiOpt = False,
    as_json: JsonOpt = False,
    db: DbOpt = None,
) -> None:
    """列出案件（最新的在前；--overdue 时最逾期的在前）。

    例: wenzheng list --status open --community 杨柳 --search 路灯
    """
    with ledger_session(db, create=False) as session:
        cases, total = find_cases(
            session,
            status=status,
            community=community,
            handler=handler,
            overdue=overdue,
            since=since,
            until=until,
            search=search,
            limit=limit if limit is not None else (None if as_json else TABLE_LIMIT),
            duplicates=duplicates,
        )
        found_twins = twins(session, cases) if duplicates else None
        now_iso = clock.iso(session.now) or ""
        emit(CaseList(cases, total, show_pii, now_iso, found_twins), as_json)
