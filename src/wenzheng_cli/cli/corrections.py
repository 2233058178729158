"""改错与撤销: ``amend`` corrects what was typed or imported wrongly, ``undo`` takes back the latest step."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from wenzheng_cli.cli.base import (
    AtOpt,
    CaseArg,
    DbOpt,
    JsonOpt,
    OperatorOpt,
    PiiOpt,
    app,
    interactive,
    ledger_session,
)
from wenzheng_cli.core import corrections
from wenzheng_cli.errors import UsageError
from wenzheng_cli.render.batch import UndoView, undo_label
from wenzheng_cli.render.cases import CaseDone
from wenzheng_cli.render.output import emit


def _opt(name: str, text: str) -> Any:
    return typer.Option(name, help=text)


@app.command(rich_help_panel="改错")
def amend(
    case: CaseArg,
    text: Annotated[str | None, _opt("--text", "诉求内容")] = None,
    category: Annotated[str | None, _opt("--category", "类别")] = None,
    channel: Annotated[str | None, _opt("--channel", "渠道")] = None,
    nature: Annotated[str | None, _opt("--nature", "性质")] = None,
    community: Annotated[str | None, _opt("--community", "社区")] = None,
    grid: Annotated[str | None, _opt("--grid", "网格")] = None,
    resident: Annotated[str | None, _opt("--resident", '居民姓名（写 "" 清空）')] = None,
    phone: Annotated[str | None, _opt("--phone", '联系电话（写 "" 清空）')] = None,
    address: Annotated[str | None, _opt("--address", '地址（写 "" 清空）')] = None,
    difficulty: Annotated[int | None, _opt("--difficulty", "难度 1–5")] = None,
    reason: Annotated[str | None, _opt("--reason", "更正理由（必填）")] = None,
    at: AtOpt = None,
    show_pii: PiiOpt = False,
    as_json: JsonOpt = False,
    db: DbOpt = None,
    operator: OperatorOpt = None,
) -> None:
    """更正受理或导入时写错的内容（记一条更正记录，旧值新值都留底；报表按更正后的值统计）。

    例: wenzheng amend 42 --category 环境卫生 --phone 13812345678 --reason "受理时类别、电话写错"
    """
    values = {
        "description": text,
        "category": category,
        "channel": channel,
        "nature": nature,
        "community": community,
        "grid": grid,
        "resident": resident,
        "phone": phone,
        "address": address,
        "difficulty": difficulty,
    }

    with ledger_session(db, operator) as session:
        found = corrections.amend(session, case, values, reason=reason, at=at)
        emit(CaseDone.of(found, "已更正", show_pii), as_json)


@app.command(rich_help_panel="改错")
def undo(
    case: CaseArg,
    reason: Annotated[str | None, _opt("--reason", "撤销理由")] = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="不再询问，直接撤销（脚本用）")] = False,
    at: AtOpt = None,
    show_pii: PiiOpt = False,
    as_json: JsonOpt = False,
    db: DbOpt = None,
    operator: OperatorOpt = None,
) -> None:
    """撤销该件最近一步操作（受理除外）；再次运行则继续往前撤。撤销也记入办理经过。

    例: wenzheng undo 42 --reason "误点了办结"
    """
    with ledger_session(db, operator) as session:
        planned = corrections.undo_plan(session, case)
        if not yes:
            if not interactive():
                raise UsageError(
                    f"将撤销 {planned.case.number} {undo_label(planned, show_pii)}；非终端下须加 --yes 确认",
                    hint=f"wenzheng undo {planned.case.number} --yes",
                )
            typer.echo(f"将撤销 {planned.case.number} {undo_label(planned, show_pii)}", err=True)
            typer.confirm("确定撤销吗？", abort=True, err=True)
        done = corrections.undo(session, case, reason=reason, at=at, expect=planned.event.id)
        emit(UndoView.of(done, show_pii), as_json)
