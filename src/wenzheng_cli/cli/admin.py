"""Setting up an office: ``init``, ``config`` and the 问政 activities."""

from __future__ import annotations

from typing import Annotated

import typer

from wenzheng_cli.cli.base import AtOpt, DbOpt, JsonOpt, OperatorOpt, app, ledger_session
from wenzheng_cli.core import settings
from wenzheng_cli.core.backup import backup as do_backup
from wenzheng_cli.core.corrections import rename
from wenzheng_cli.core.intake import add_activity, list_activities
from wenzheng_cli.core.integrity import check as run_check
from wenzheng_cli.errors import UsageError
from wenzheng_cli.render.admin import (
    ActivityList,
    ActivityView,
    BackupView,
    CheckView,
    OfficeView,
    SettingsView,
)
from wenzheng_cli.render.batch import RenamedView
from wenzheng_cli.render.output import emit

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
    with ledger_session(db, create=True) as session:
        emit(OfficeView.of(settings.init(session, office, name)), as_json)


def _setting(key: str, value: object, as_json: bool) -> None:
    emit(SettingsView.of({key: value}), as_json)


@config_app.command("show")
def config_show(as_json: JsonOpt = False, db: DbOpt = None) -> None:
    """显示全部配置（默认值与本社区的修改）。

    例: wenzheng config show
    """
    with ledger_session(db) as session:
        emit(SettingsView.of(settings.show_config(session)), as_json)


@config_app.command("set")
def config_set(
    key: Annotated[str, typer.Argument(help="配置项，如 span.default")],
    value: Annotated[str, typer.Argument(help="新值；列表用逗号分隔，对象用 JSON")],
    more: Annotated[
        list[str] | None, typer.Argument(help="再写几组「配置项 值」，一并检查、一并保存", show_default=False)
    ] = None,
    as_json: JsonOpt = False,
    db: DbOpt = None,
) -> None:
    """修改配置项（可一次改几项，须彼此一致）。

    例: wenzheng config set span.default 3wd
        wenzheng config set levels 村,乡,县,市 level.intake 乡 level.assign 乡 level.grassroots 县
    """
    rest = list(more or [])
    with ledger_session(db) as session:
        if len(rest) % 2:
            raise UsageError(
                f"配置项「{rest[-1][:30]}」缺少值",
                hint="例如 wenzheng config set span.default 3wd span.claim 1wd",
            )
        pairs = [(key, value), *zip(rest[::2], rest[1::2], strict=True)]
        emit(SettingsView.of(settings.set_values(session, pairs)), as_json)


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
    with ledger_session(db) as session:
        _setting(key, settings.add_values(session, key, values), as_json)


@config_app.command("remove")
def config_remove(
    key: Annotated[str, typer.Argument(help="列表配置项")],
    values: Annotated[list[str], typer.Argument(help="要移除的值")],
    as_json: JsonOpt = False,
    db: DbOpt = None,
) -> None:
    """从列表移除没人用的值；还有案件或问政活动在用的值，用 config rename 并入另一个值。

    例: wenzheng config remove channels 电视
    """
    with ledger_session(db) as session:
        _setting(key, settings.remove_values(session, key, values), as_json)


@config_app.command("rename")
def config_rename(
    kind: Annotated[str, typer.Argument(help="category、channel、nature、community 或 grid（或列表名）")],
    old: Annotated[str, typer.Argument(help="要并掉的值，如 堆码物")],
    new: Annotated[str, typer.Argument(help="并入的已有值，如 堆码物清理")],
    as_json: JsonOpt = False,
    db: DbOpt = None,
    operator: OperatorOpt = None,
) -> None:
    """把列表中的一个值并入另一个已有的值: 带旧值的案件逐件更正（留更正记录），问政活动随之改过去，列表中去掉旧值。

    例: wenzheng config rename category 堆码物 堆码物清理
    """
    with ledger_session(db, operator) as session:
        emit(RenamedView.of(rename(session, kind, old, new)), as_json)


@config_app.command("reset")
def config_reset(
    key: Annotated[str, typer.Argument(help="配置项")], as_json: JsonOpt = False, db: DbOpt = None
) -> None:
    """把一个配置项恢复为默认值。

    例: wenzheng config reset span.default
    """
    with ledger_session(db) as session:
        _setting(key, settings.reset_value(session, key), as_json)


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
    with ledger_session(db, operator) as session:
        emit(ActivityView.of(add_activity(session, title, at=at, community=community, kind=kind)), as_json)


@activity_app.command("list")
def activity_list(as_json: JsonOpt = False, db: DbOpt = None) -> None:
    """列出问政活动及各自受理的事项数。

    例: wenzheng activity list
    """
    with ledger_session(db, create=False) as session:
        emit(ActivityList.of(list_activities(session)), as_json)


@app.command(rich_help_panel="设置")
def check(as_json: JsonOpt = False, db: DbOpt = None) -> None:
    """检查台账: 文件完整、引用完整，每件案件与其办理记录重演的结果一致。

    例: wenzheng check
    """
    with ledger_session(db, create=False) as session:
        report = run_check(session)
        emit(CheckView.of(report), as_json)
    if not report.ok:
        raise typer.Exit(1)


@app.command(rich_help_panel="设置")
def backup(
    dest: Annotated[
        str,
        typer.Argument(help="备份文件路径，或一个目录（写成 /目录/ 时没有就建立；按日期时间命名，不会重名）"),
    ],
    force: Annotated[bool, typer.Option("--force", help="覆盖已存在的文件")] = False,
    without_pii: Annotated[
        bool,
        typer.Option("--without-pii", help="去除个人信息（姓名、电话打码，身份证号等删除），报送街道用"),
    ] = False,
    as_json: JsonOpt = False,
    db: DbOpt = None,
) -> None:
    """在线备份台账（其他人可同时继续录入）；备份文件可直接当台账使用。

    例: wenzheng backup /srv/backup/     （恢复: 把备份文件复制为台账文件，见 README 的「备份与恢复」）
    例: wenzheng backup --without-pii /media/u盘/     （报送街道的副本，见 README 的「报送街道的副本」）
    """
    with ledger_session(db, create=False) as session:
        emit(BackupView.of(do_backup(session, dest, force=force, without_pii=without_pii)), as_json)
