"""Where commands register, the options every command shares, what one run carries from its global options
to its command, and the one error boundary."""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Annotated

import typer
from typer._click.globals import get_current_context

from wenzheng_cli.cli.paths import ledger_dir, ledger_path
from wenzheng_cli.core.session import Commits, Ledger, Session, failure
from wenzheng_cli.errors import UsageError, WenzhengError, option, phrase
from wenzheng_cli.render import console

# Where the command modules register their commands (``@app.command``, ``app.add_typer``). It is never run
# itself: the command line (``cli.app``) takes from it the one command it runs, when it runs it.
app = typer.Typer()

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
    typer.Argument(
        help="案件编号，可写几件，逐件办理: 42 43 YL-2026-0045、范围 25-77；写「-」从标准输入读编号（每行一个，或 list --json 的输出）",
        show_default=False,
    ),
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


@dataclass
class Run:
    """One run of the command line: the ledger and operator given before the command's name, and the count of
    transactions its command has committed (what a Ctrl-C has already saved). The front end makes one per run
    and hands it to the parser as the context's object."""

    db: str | None = None
    operator: str | None = None
    commits: Commits = field(default_factory=Commits)
    # On a ``wenzheng serve``: the server's one open ledger, which every command uses (and none closes), and
    # the clerk whose token sent the command — the operator of every step, whatever ``--operator`` says.
    ledger: Ledger | None = None
    clerk: str | None = None
    may_undo_others: bool = True


def current_run() -> Run:
    """The run of the command being invoked (a fresh one outside the parser)."""
    ctx = get_current_context(silent=True)
    run = ctx.find_object(Run) if ctx is not None else None
    return run if run is not None else Run()


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version  # only --version reads the installed metadata (slow to load)

        sys.stdout.write(f"wenzheng {version('wenzheng')}\n")
        raise typer.Exit()


VersionOpt = Annotated[
    bool, typer.Option("--version", callback=_version, is_eager=True, help="显示版本号并退出")
]


def global_options(
    ctx: typer.Context, db: GlobalDbOpt = None, operator: GlobalOperatorOpt = None, _: VersionOpt = False
) -> None:
    """问政台账: 居民诉求闭环管理。"""
    run = ctx.ensure_object(Run)
    run.db, run.operator = db, operator


def interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


@contextmanager
def ledger_session(
    db: str | None = None, operator: str | None = None, *, create: bool = False
) -> Iterator[Session]:
    """Open the ledger for one command; turn every refusal into ``错误:``/``提示:`` and an exit code. Only
    ``init`` makes a ledger (``create``): any other command on a missing one says to run ``init`` first."""
    run = current_run()
    typed = db if db is not None else run.db
    session: Session | None = None
    try:
        if run.ledger is not None:
            session = _served(run, db, operator)
        else:
            session = Session.open(
                typed,
                operator if operator is not None else run.operator,
                create=create,
                app_dir=ledger_dir(typed),
                commits=run.commits,
            )
        yield session
        for warning in session.collect_warnings():
            console.warn(warning)
    except WenzhengError as exc:
        console.error(exc.message, exc.hint)
        raise typer.Exit(exc.code) from None
    except sqlite3.Error as exc:
        where = session.ledger.path if session is not None else ledger_path(typed)
        error = failure(exc, where)
        console.error(error.message, error.hint)
        raise typer.Exit(1) from None
    finally:
        if session is not None and run.ledger is None:
            session.close()


def _served(run: Run, db: str | None, operator: str | None) -> Session:
    """The session of a command sent to ``wenzheng serve``: the server's ledger, the clerk of the token."""
    assert run.ledger is not None and run.clerk is not None
    if db is not None:
        raise UsageError(
            phrase("在服务器上办理的命令不能用 ", option("db")), hint="服务器只用它自己的台账；去掉这个选项"
        )
    typed = operator if operator is not None else run.operator
    if typed is not None and typed != run.clerk:
        raise WenzhengError(
            f"经办人由登录令牌确定（{run.clerk}），不能记为 {typed}",
            hint=phrase("去掉 ", option("operator"), "；替别人办理请用那个人自己的令牌"),
        )
    run.ledger.commits = run.commits
    return Session(ledger=run.ledger, operator=run.clerk, origin="serve", may_undo_others=run.may_undo_others)
