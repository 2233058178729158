"""Looking at cases: ``show`` (one case and its timeline) and ``list`` (filters).

No ``from __future__ import annotations`` here: Typer would compile each of list's twenty option annotations
from text on every run; evaluated once at definition they cost nothing at run time.
"""

from typing import Annotated, Any

import typer

from wenzheng_cli.cli.base import CaseArg, DbOpt, JsonOpt, PiiOpt, app, ledger_session
from wenzheng_cli.core.cases import show as do_show
from wenzheng_cli.core.listing import ListQuery, find_cases, twins
from wenzheng_cli.domain import clock
from wenzheng_cli.domain.fields import FIELD_LABELS
from wenzheng_cli.domain.taxonomy import FIELD_LISTS, check_listed
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
        emit(CaseView.of(found, events, show_pii, twins_found), as_json)


def _opt(name: str, text: str) -> Any:
    return typer.Option(name, help=text)


@app.command("list", rich_help_panel="查询")
def list_(
    status: Annotated[
        str | None, _opt("--status", "状态，可逗号分隔: 待交办,已交办,办理中,待回访,已销账,已撤销 或 open")
    ] = None,
    community: Annotated[str | None, _opt("--community", "社区")] = None,
    grid: Annotated[str | None, _opt("--grid", "网格")] = None,
    handler: Annotated[str | None, _opt("--handler", "承办人或承办单位")] = None,
    unit: Annotated[str | None, _opt("--unit", "承办单位")] = None,
    category: Annotated[str | None, _opt("--category", "类别")] = None,
    channel: Annotated[str | None, _opt("--channel", "渠道")] = None,
    nature: Annotated[str | None, _opt("--nature", "性质")] = None,
    level: Annotated[str | None, _opt("--level", "层级")] = None,
    supervised: Annotated[bool, _opt("--supervised", "只看督办的（含挂牌督办）")] = False,
    overdue: Annotated[bool, _opt("--overdue", "只看逾期未办结的")] = False,
    since: Annotated[
        str | None, _opt("--since", "受理日期起，如 2026-11-01、上周二，或 本周、上周、本月、上月")
    ] = None,
    until: Annotated[str | None, _opt("--until", "受理日期止（写 上周、上月 即到其最后一天）")] = None,
    search: Annotated[
        str | None, _opt("--search", "按内容、地址、姓名、电话、办理结果搜索，如 路灯；空格分开的词须都有")
    ] = None,
    duplicates: Annotated[
        bool, _opt("--duplicates", "只看导入时标出的疑似重复件（已撤件的除外），并列出与之相似的案件")
    ] = False,
    imported: Annotated[
        bool, _opt("--imported", "只看从文件导入的案件（含 --history 导入的历史记录）")
    ] = False,
    weak_reply: Annotated[
        bool, _opt("--weak-reply", "只看答复待完善的（过短、只是收悉或转办、与诉求无关、没有办理结果）")
    ] = False,
    office: Annotated[
        str | None, _opt("--office", "只看某一社区台账的案件（街道汇总台账用）: 社区代码或名称，如 YL")
    ] = None,
    sort: Annotated[
        str | None,
        _opt(
            "--sort",
            "排序: received（受理，新的在前）、due（时限，早的在前）、number、updated、status、"
            "community、category… 前加 - 倒序，如 --sort=-due",
        ),
    ] = None,
    limit: Annotated[int | None, _opt("--limit", f"最多显示几件（表格默认 {TABLE_LIMIT}，0 为全部）")] = None,
    offset: Annotated[int | None, _opt("--offset", "跳过前几件（翻页: --limit 50 --offset 50）")] = None,
    show_pii: PiiOpt = False,
    as_json: JsonOpt = False,
    db: DbOpt = None,
) -> None:
    """列出案件（最新的在前；--overdue 时最逾期的在前；--sort 另定）。

    例: wenzheng list --status open --community 杨柳 --category 市政设施 --search 路灯
    """
    query = ListQuery(
        status=status,
        community=community,
        grid=grid,
        handler=handler,
        unit=unit,
        category=category,
        channel=channel,
        nature=nature,
        level=level,
        supervised=supervised,
        overdue=overdue,
        duplicates=duplicates,
        imported=imported,
        weak_reply=weak_reply,
        office=office,
        since=since,
        until=until,
        search=search,
        sort=sort,
        limit=limit if limit is not None else (None if as_json else TABLE_LIMIT),
        offset=offset,
    )
    with ledger_session(db, create=False) as session:
        cases, total = find_cases(session, query)
        typed = {"community": community, "grid": grid, "category": category, "channel": channel}
        typed["nature"] = nature
        if not total:  # nothing found: a value outside the office's lists is refused as the reports do
            for field, value in typed.items():
                if value is not None:
                    key = FIELD_LISTS[field]
                    check_listed(value, session.settings.values_of(key), FIELD_LABELS[field], key)
        found_twins = twins(session, cases) if duplicates else None
        now_iso = clock.iso(session.now) or ""
        emit(CaseList.of(cases, total, show_pii, now_iso, found_twins, offset or 0), as_json)
