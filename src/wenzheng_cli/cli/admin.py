"""Setting up an office: ``init``, ``config`` and the 问政 activities."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from wenzheng_cli.cli.base import AtOpt, DbOpt, JsonOpt, OperatorOpt, app, command
from wenzheng_cli.core import settings
from wenzheng_cli.render import console

config_app = typer.Typer(
    help="查看或修改本社区的配置（类别、渠道、层级、时限、节假日…）", no_args_is_help=True
)
activity_app = typer.Typer(help="问政活动: 问政日、议事会、走访", no_args_is_help=True)
app.add_typer(config_app, name="config", rich_help_panel="设置")
app.add_typer(activity_app, name="activity", rich_help_panel="办理")


@app.command(rich_help_panel="设置")
def init(
    office: Annotated[str | None, typer.Option("--office", help="社区代码（案件编号前缀），如 YL")] = None,
    name: Annotated[str | None, typer.Option("--name", help="社区名称，如 杨柳社区")] = None,
    as_json: JsonOpt = False,
    db: DbOpt = None,
) -> None:
    """建立台账（已存在则更新社区代码和名称）。

    例: wenzheng init --office YL --name 杨柳社区
    """
    with command(db) as s:
        info = settings.init(s, office, name)
        if as_json:
            console.write_json(info)
        else:
            label = f"{info['name']}（{info['office']}）" if info["name"] else str(info["office"])
            console.line(f"台账: {info['path']} · {label} · 现有 {info['cases']} 件")


def _print_value(key: str, value: object, as_json: bool) -> None:
    if as_json:
        console.write_json({key: value})
    else:
        console.line(f"{key} = {json.dumps(value, ensure_ascii=False)}")


@config_app.command("show")
def config_show(as_json: JsonOpt = False, db: DbOpt = None) -> None:
    """显示全部配置（默认值与本社区的修改）。

    例: wenzheng config show
    """
    with command(db) as s:
        values = settings.show_config(s)
        if as_json:
            console.write_json(values)
            return
        for key, value in values.items():
            _print_value(key, value, False)


@config_app.command("set")
def config_set(
    key: Annotated[str, typer.Argument(help="配置项，如 span.default")],
    value: Annotated[str, typer.Argument(help="新值；列表用逗号分隔，对象用 JSON")],
    as_json: JsonOpt = False,
    db: DbOpt = None,
) -> None:
    """修改一个配置项。

    例: wenzheng config set span.default 3wd
    """
    with command(db) as s:
        _print_value(key, settings.set_value(s, key, value), as_json)


@config_app.command("add")
def config_add(
    key: Annotated[
        str, typer.Argument(help="列表: categories、channels、natures、communities、grids、levels")
    ],
    values: Annotated[list[str], typer.Argument(help="要加入的值")],
    as_json: JsonOpt = False,
    db: DbOpt = None,
) -> None:
    """向列表加入值（如新的社区、类别）。

    例: wenzheng config add communities 杨柳 清河 北苑
    """
    with command(db) as s:
        _print_value(key, settings.add_values(s, key, values), as_json)


@config_app.command("remove")
def config_remove(
    key: Annotated[str, typer.Argument(help="列表配置项")],
    values: Annotated[list[str], typer.Argument(help="要移除的值")],
    as_json: JsonOpt = False,
    db: DbOpt = None,
) -> None:
    """从列表移除值（已有案件不受影响）。

    例: wenzheng config remove channels 电视
    """
    with command(db) as s:
        _print_value(key, settings.remove_values(s, key, values), as_json)


@config_app.command("reset")
def config_reset(
    key: Annotated[str, typer.Argument(help="配置项")], as_json: JsonOpt = False, db: DbOpt = None
) -> None:
    """把一个配置项恢复为默认值。

    例: wenzheng config reset span.default
    """
    with command(db) as s:
        _print_value(key, settings.reset_value(s, key), as_json)


@activity_app.command("add")
def activity_add(
    title: Annotated[str, typer.Argument(help="活动名称")],
    at: AtOpt = None,
    community: Annotated[str | None, typer.Option("--community", help="社区")] = None,
    kind: Annotated[str | None, typer.Option("--kind", help="问政日、议事会、走访…")] = None,
    as_json: JsonOpt = False,
    db: DbOpt = None,
    operator: OperatorOpt = None,
) -> None:
    """登记一次问政活动；受理时用 --activity 编号关联。

    例: wenzheng activity add "11月居民问政日" --at 2026-11-17 --kind 问政日
    """
    from wenzheng_cli.core.intake import add_activity

    with command(db, operator) as s:
        info = add_activity(s, title, at=at, community=community, kind=kind)
        if as_json:
            console.write_json(info)
        else:
            console.line(
                f"已登记问政活动 {info['id']}: {info['title']}（{info['kind']}，{str(info['at'])[:10]}）"
            )


@activity_app.command("list")
def activity_list(as_json: JsonOpt = False, db: DbOpt = None) -> None:
    """列出问政活动及各自受理的事项数。

    例: wenzheng activity list
    """
    from rich.table import Table

    from wenzheng_cli.store.cases import list_activities

    with command(db, create=False) as s:
        rows = list_activities(s.ledger.conn)
        if as_json:
            console.write_json(rows)
            return
        if not rows:
            console.line("还没有登记问政活动")
            return
        table = Table(header_style="bold", pad_edge=False)
        for name in ("编号", "日期", "类型", "名称", "社区", "事项"):
            table.add_column(name)
        for r in rows:
            table.add_row(
                str(r["id"]), r["at"][:10], r["kind"], r["title"], r["community"] or "", str(r["items"])
            )
        console.out().print(table)


@app.command(rich_help_panel="设置")
def check(as_json: JsonOpt = False, db: DbOpt = None) -> None:
    """检查台账: 文件完整、引用完整，每件案件与其办理记录重演的结果一致。

    例: wenzheng check
    """
    from wenzheng_cli.core.integrity import check as run_check

    with command(db, create=False) as s:
        report = run_check(s)
        if as_json:
            console.write_json(report.as_dict())
        elif report.ok:
            console.line(f"台账完好: {report.cases} 件案件，{report.events} 条办理记录，全部一致")
        else:
            for p in report.problems:
                console.line(f"{p.number or '台账'}: {p.message}")
            console.line(
                f"发现 {len(report.problems)} 处问题（{report.cases} 件案件，{report.events} 条办理记录）"
            )
    if not report.ok:
        raise typer.Exit(1)


@app.command(rich_help_panel="设置")
def backup(
    dest: Annotated[
        str,
        typer.Argument(help="备份文件路径，或一个目录（写成 /目录/ 时没有就建立；按日期时间命名，不会重名）"),
    ],
    force: Annotated[bool, typer.Option("--force", help="覆盖已存在的文件")] = False,
    as_json: JsonOpt = False,
    db: DbOpt = None,
) -> None:
    """在线备份台账（其他人可同时继续录入）；备份文件可直接当台账使用。

    例: wenzheng backup /srv/backup/     （恢复: 把备份文件复制为台账文件，见 README 的「备份与恢复」）
    """
    from wenzheng_cli.core.backup import backup as do_backup

    with command(db, create=False) as s:
        info = do_backup(s, dest, force=force)
        if as_json:
            console.write_json(info)
        else:
            console.line(f"已备份到 {info['path']}（{info['bytes'] / 1024:.0f} KB）")
