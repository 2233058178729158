"""The Typer app, the options every command shares, and the one error boundary."""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer

from wenzheng_cli.core.session import Session
from wenzheng_cli.errors import WenzhengError
from wenzheng_cli.render import console

app = typer.Typer(
    name="wenzheng",
    help="问政台账: 居民诉求的受理、交办、认领、办结、回访、销账，以及周台账和月通报。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

_DB_HELP = "台账文件路径（默认 $WENZHENG_DB，再默认用户目录下 wenzheng.db）"
_OPERATOR_HELP = "经办人，记入每条办理记录（默认 $WENZHENG_OPERATOR，再默认系统用户名）"
GlobalDbOpt = Annotated[str | None, typer.Option("--db", envvar="WENZHENG_DB", help=_DB_HELP)]
GlobalOperatorOpt = Annotated[
    str | None, typer.Option("--operator", envvar="WENZHENG_OPERATOR", help=_OPERATOR_HELP)
]
# The same two options after the command name; they win over the global ones.
DbOpt = Annotated[str | None, typer.Option("--db", help=_DB_HELP)]
OperatorOpt = Annotated[str | None, typer.Option("--operator", help=_OPERATOR_HELP)]
JsonOpt = Annotated[bool, typer.Option("--json", help="输出 JSON")]
AtOpt = Annotated[
    str | None,
    typer.Option("--at", help="业务时间，如 2026-11-17、10.29、上周二 9:30、昨天晚上8点（默认现在）"),
]
CaseArg = Annotated[str, typer.Argument(help="案件编号，如 YL-2026-0042，或本年序号 42", show_default=False)]
CasesArg = Annotated[
    list[str],
    typer.Argument(help="案件编号，可写几件，如 42 43 YL-2026-0045（逐件办理）", show_default=False),
]
PiiOpt = Annotated[bool, typer.Option("--show-pii", help="显示居民姓名和电话全文（默认打码）")]
DueOpt = Annotated[str | None, typer.Option("--due", help="办结时限日期（当天 23:59:59 止）")]
WithinOpt = Annotated[str | None, typer.Option("--within", help="办结时限，如 5wd（工作日）、3d、24h、2w")]
# Reports and other views that go to files: the format, and where.
FormatOpt = Annotated[
    str | None,
    typer.Option(
        "--format",
        "-f",
        help="table（终端默认）、markdown、csv、xlsx、json、html；写文件时默认按 --output 的扩展名",
        show_default=False,
    ),
]
OutputOpt = Annotated[
    str | None,
    typer.Option("--output", "-o", help="写入文件（整体写入，不会留下半个文件）", show_default=False),
]


class Globals:
    db: str | None = None
    operator: str | None = None


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        sys.stdout.write(f"wenzheng {version('wenzheng')}\n")
        raise typer.Exit()


VersionOpt = Annotated[
    bool, typer.Option("--version", callback=_version, is_eager=True, help="显示版本号并退出")
]


@app.callback()
def _global(db: GlobalDbOpt = None, operator: GlobalOperatorOpt = None, _: VersionOpt = False) -> None:
    """问政台账: 居民诉求闭环管理。"""
    Globals.db = db
    Globals.operator = operator


def interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


@contextmanager
def ledger_session(
    db: str | None = None, operator: str | None = None, *, create: bool = True
) -> Iterator[Session]:
    """Open the ledger for one command; turn every refusal into ``错误:``/``提示:`` and an exit code."""
    console.reset()
    session: Session | None = None
    try:
        session = Session.open(
            db if db is not None else Globals.db,
            operator if operator is not None else Globals.operator,
            create=create,
        )
        yield session
        for warning in session.collect_warnings():
            console.warn(warning)
    except WenzhengError as exc:
        console.error(exc.message, exc.hint)
        raise typer.Exit(exc.code) from None
    except sqlite3.Error as exc:
        from wenzheng_cli.store.failures import explain
        from wenzheng_cli.store.ledger import resolve_path

        path = (
            session.ledger.path if session is not None else resolve_path(db if db is not None else Globals.db)
        )
        error = explain(exc, path)
        console.error(error.message, error.hint)
        raise typer.Exit(1) from None
    finally:
        if session is not None:
            session.close()
