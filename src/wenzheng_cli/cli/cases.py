"""Looking at cases: ``show`` (one case and its timeline) and ``list`` (filters).

No ``from __future__ import annotations`` here: Typer would compile each of list's twenty option annotations
from text on every run; evaluated once at definition they cost nothing at run time.
"""

import io
import json
from pathlib import Path
from typing import Annotated, Any

import typer

from wenzheng_cli.cli.base import CaseArg, DbOpt, JsonOpt, OutputOpt, PiiOpt, app, ledger_session
from wenzheng_cli.core.cases import show as do_show
from wenzheng_cli.core.listing import ListQuery, find_cases, twins
from wenzheng_cli.domain import clock
from wenzheng_cli.domain.fields import FIELD_LABELS
from wenzheng_cli.domain.taxonomy import FIELD_LISTS, check_listed
from wenzheng_cli.errors import UsageError, option, phrase
from wenzheng_cli.render import console
from wenzheng_cli.render.cases import CaseList, CaseView
from wenzheng_cli.render.output import emit

TABLE_LIMIT = 50
FILE_WIDTH = 120  # the width of show's table written to a file


SHOW_FORMATS = ("table", "json", "html")
ShowFormatOpt = Annotated[
    str | None,
    typer.Option(
        "--format",
        "-f",
        help="table（默认）、json、html（一页网页，可打印）；写文件时默认按 --output 的扩展名",
        show_default=False,
    ),
]


@app.command(rich_help_panel="查询")
def show(
    case: CaseArg,
    fmt: ShowFormatOpt = None,
    output: OutputOpt = None,
    show_pii: PiiOpt = False,
    as_json: JsonOpt = False,
    db: DbOpt = None,
) -> None:
    """查看一件案件及其办理经过。

    例: wenzheng show 42
        wenzheng show 42 --format html --output 42号案件.html
    """
    with ledger_session(db, create=False) as session:
        chosen = "json" if as_json else "table"
        if fmt is not None or output is not None:
            chosen = _show_format(fmt, output, as_json, session.ledger.path)
        found, events, twins_found = do_show(session, case)
        view = CaseView.of(found, events, show_pii, twins_found)
        if chosen == "html" or output is not None:
            office = session.settings.office_name or session.settings.office  # whose ledger heads the page
            _deliver(view, chosen, output, office, show_pii)
        else:
            emit(view, chosen == "json")


def _show_format(fmt: str | None, output: str | None, as_json: bool, ledger: Path) -> str:
    """The reports' choice of format (``--output``'s extension, the checks of the file), narrowed to what a
    single case is shown as."""
    from wenzheng_cli.render.report_output import choose_format

    chosen = choose_format(fmt, output, as_json, ledger=ledger)
    if chosen not in SHOW_FORMATS:
        raise UsageError(
            f"show 不支持 {chosen} 格式", hint=phrase(option("format"), f" 可选: {'、'.join(SHOW_FORMATS)}")
        )
    return chosen


def _deliver(view: CaseView, fmt: str, output: str | None, office: str, show_pii: bool) -> None:
    """The case as a page, or as JSON or the table written to ``output`` (all at once, as the reports are)."""
    from wenzheng_cli.render.report_output import deliver

    if fmt == "html":
        # the page and its templates (Jinja2): loaded only for --format html
        from wenzheng_cli.render.case_page import page

        deliver(page(view, office=office, show_pii=show_pii).encode("utf-8"), output)
    elif fmt == "json":
        text = console.json_text(json.dumps(view.to_json(), ensure_ascii=False, indent=2)) + "\n"
        deliver(text.encode("utf-8"), output, text=False)
    else:
        buffer = io.StringIO()
        view.show(console.plain(buffer, FILE_WIDTH))
        lines = (line.rstrip() for line in buffer.getvalue().splitlines())
        deliver(("\n".join(lines) + "\n").encode("utf-8"), output)


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
