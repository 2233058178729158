"""The command line: the app (global options, every command loaded as it runs), and the last guard against
tracebacks."""

from __future__ import annotations

import os
import sys

import typer

from wenzheng_cli.cli import zh
from wenzheng_cli.cli.base import Run, global_options
from wenzheng_cli.cli.commands import NAMES, CommandLine, serve_if_asked
from wenzheng_cli.cli.usage import describe, is_parser_error
from wenzheng_cli.entry import interrupted
from wenzheng_cli.render import console

app = typer.Typer(
    name="wenzheng",
    help="问政台账: 居民诉求的受理、交办、认领、办结、回访、销账，以及周台账和月通报。",
    cls=CommandLine,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.callback()(global_options)

zh.install()  # help pages in Chinese

INTERRUPTED_CODE = 130


def main() -> None:
    os.umask(0o077)  # every file wenzheng writes (ledger, exports, backups) is the owner's alone
    serve_if_asked()
    args = sys.argv[1:]
    from wenzheng_cli.cli.remote_server import server_of  # tells a local run from a remote one

    server = server_of(args)
    if server is not None:
        from wenzheng_cli.cli.remote import run_remote  # a command on a wenzheng serve: the client only

        sys.exit(run_remote(server, args))
    sys.exit(execute(args, Run()))


def execute(args: list[str], run: Run, command: typer.core.TyperGroup | None = None) -> int:
    """Run the command line ``args`` with ``run`` as its context's object and answer with its exit code; every
    error is said on stderr in one line (and a hint) here, never as a traceback. ``command`` is the app's
    command when the caller keeps one built (``wenzheng serve``, one command after another)."""
    try:
        if command is None:
            code = app(args, standalone_mode=False, prog_name="wenzheng", obj=run)
        else:
            code = command.main(args, standalone_mode=False, prog_name="wenzheng", obj=run)
        if code == INTERRUPTED_CODE:  # Typer turns Ctrl-C inside a command into a silent Exit(130)
            interrupted(run.commits.count)
        return code if isinstance(code, int) else 0
    except typer.Abort:
        sys.stderr.write("已取消，台账未作更改\n")
        return 1
    except KeyboardInterrupt:
        interrupted(run.commits.count)
        return INTERRUPTED_CODE
    except Exception as exc:  # the last boundary: never a traceback, never residents' data
        if is_parser_error(exc) and type(exc).__name__ == "NoArgsIsHelpError":
            return 0  # the help has been printed: asking for it is not an error
        if is_parser_error(exc):
            message, hint = describe(exc, sorted(NAMES))
            console.error(message, hint)
            return int(getattr(exc, "exit_code", 2))
        if os.environ.get("WENZHENG_DEBUG"):
            raise
        sys.stderr.write(f"错误: 内部错误（{type(exc).__name__}），本次操作未完成\n")
        sys.stderr.write("提示: 运行 wenzheng check 检查台账；请把命令（不含居民信息）告知维护人员\n")
        return 1


def built() -> typer.core.TyperGroup:
    """The app's command, built once for a caller that runs many commands in one process."""
    command = typer.main.get_command(app)
    assert isinstance(command, typer.core.TyperGroup)
    return command


if __name__ == "__main__":
    main()
