"""``wenzheng clerk``: the people who may use a served ledger (``wenzheng serve``), their roles and tokens."""

from __future__ import annotations

from typing import Annotated

import typer

from wenzheng_cli.cli.base import DbOpt, JsonOpt, OperatorOpt, app, ledger_session
from wenzheng_cli.core import clerks
from wenzheng_cli.domain.clerks import Role
from wenzheng_cli.errors import command, phrase
from wenzheng_cli.render import console
from wenzheng_cli.render.clerks import ClerkAddedView, ClerkList, ClerkRemovedView
from wenzheng_cli.render.output import emit

clerk_app = typer.Typer(
    help="办事员和令牌: 添加（令牌只显示一次）、列出、删除；角色 clerk、admin、viewer。", no_args_is_help=True
)
app.add_typer(clerk_app, name="clerk", rich_help_panel="多台电脑")

NameArg = Annotated[str, typer.Argument(help="办事员姓名，记入其办理的每条记录", show_default=False)]


@clerk_app.command("add")
def clerk_add(
    name: NameArg,
    role: Annotated[
        str,
        typer.Option(
            "--role",
            help="clerk（办事员: 办理案件、导入、看报表）、admin（管理员: 另可改配置、管办事员、备份、撤销他人的操作）、"
            "viewer（查看: 只看案件和报表）；也可写中文",
        ),
    ] = "clerk",
    as_json: JsonOpt = False,
    db: DbOpt = None,
    operator: OperatorOpt = None,
) -> None:
    """添加办事员并生成令牌（只显示这一次，台账只保存其摘要）。

    例: wenzheng clerk add 王芳
        wenzheng clerk add 李书记 --role viewer
    """
    with ledger_session(db, operator) as session:
        added = clerks.add(session, name, Role.parse(role))
        emit(ClerkAddedView.of(added), as_json)
        if not as_json:
            console.warn(
                phrase(
                    f"令牌只显示这一次，请交给 {added.name} 本人，由其用 ",
                    command("login", "服务器地址"),
                    " 保存；丢了就删除后重新添加",
                )
            )


@clerk_app.command("list")
def clerk_list(as_json: JsonOpt = False, db: DbOpt = None) -> None:
    """列出办事员及其角色（不显示令牌）。

    例: wenzheng clerk list
    """
    with ledger_session(db) as session:
        emit(ClerkList.of(clerks.list_(session)), as_json)


@clerk_app.command("remove")
def clerk_remove(
    name: NameArg, as_json: JsonOpt = False, db: DbOpt = None, operator: OperatorOpt = None
) -> None:
    """删除办事员: 其令牌随即作废；其办理记录保留原姓名。

    例: wenzheng clerk remove 王芳
    """
    with ledger_session(db, operator) as session:
        emit(ClerkRemovedView.of(clerks.remove(session, name)), as_json)
