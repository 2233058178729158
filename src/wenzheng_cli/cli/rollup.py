"""``wenzheng rollup``: the street's ledger takes in its communities' ledgers, and says which have been sent."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer

from wenzheng_cli.cli.base import DbOpt, JsonOpt, OperatorOpt, app, ledger_session
from wenzheng_cli.core.rollup import Progress
from wenzheng_cli.core.rollup import rollup as do_rollup
from wenzheng_cli.core.rollup import status as rollup_status
from wenzheng_cli.errors import UsageError, command, option, phrase
from wenzheng_cli.render import console
from wenzheng_cli.render.output import emit
from wenzheng_cli.render.rollup import RollupView, StatusView


@app.command(rich_help_panel="设置")
def rollup(
    files: Annotated[
        list[str] | None,
        typer.Argument(help="各社区的台账备份文件（wenzheng backup 复制的），可写几个", show_default=False),
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="只统计将新增多少，不写入台账")] = False,
    show_status: Annotated[
        bool, typer.Option("--status", help="列出已汇总的各社区、最近汇总时间，以及超过一周未报送的")
    ] = False,
    as_json: JsonOpt = False,
    db: DbOpt = None,
    operator: OperatorOpt = None,
) -> None:
    """汇总各社区台账到本（街道）台账: 办理记录按编号只加一次，案件由办理记录重演；汇总来的案件只读。

    例: wenzheng rollup 杨柳-20261123.db 清河-20261123.db
        wenzheng rollup --status
    """
    with ledger_session(db, operator) as session:
        if show_status:
            if files:
                raise UsageError(
                    phrase(option("status"), " 不与文件同用"),
                    hint=phrase(
                        "分两次运行: ",
                        command("rollup", "社区备份.db"),
                        "，再 ",
                        command("rollup", option("status")),
                    ),
                )
            emit(StatusView.of(rollup_status(session), session.now), as_json)
            return
        with _progress() as progress:
            outcome = do_rollup(session, files or [], dry_run=dry_run, progress=progress)
        emit(RollupView.of(outcome), as_json)
        for file in dict.fromkeys(c.file for c in outcome.conflicts):
            mine = [c for c in outcome.conflicts if c.file == file]
            first = mine[0]
            which = f"（如 {first.event_id}）" if first.event_id else ""
            console.error(
                f"{file}: {len(mine)} 处与已汇总的内容不同{which}，{first.message}；该文件未汇总",
                hint=phrase(
                    "该文件可能在本程序之外被改动过，或该社区此前报送的是另一种副本（完整备份与 ",
                    command("backup", option("without-pii")),
                    " 的副本中含个人信息的记录不同）；请该社区重新用 ",
                    command("backup", "社区备份.db"),
                    " 复制一份再汇总，且每次报送同一种副本",
                ),
            )
    if outcome.conflicts:
        raise typer.Exit(1)


@contextmanager
def _progress() -> Iterator[Progress | None]:
    """A bar on stderr (the file being rolled up, how many are done), only when stderr is a terminal; gone when
    the roll-up ends, before its summary."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn

    bar = console.err_bar(
        TextColumn("{task.description}", markup=False), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()
    )
    task = bar.add_task("", total=None)

    def update(what: str, done: int, total: int) -> None:
        bar.update(task, description=what, completed=done, total=total)

    with bar:
        yield update
