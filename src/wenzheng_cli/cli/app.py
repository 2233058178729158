"""Entry point: the app with all command groups, and the last guard against tracebacks."""

from __future__ import annotations

import os
import sys

import typer

from wenzheng_cli.cli import zh
from wenzheng_cli.cli.base import app
from wenzheng_cli.cli.usage import describe, is_parser_error
from wenzheng_cli.entry import interrupted
from wenzheng_cli.render import console

# isort: off
# Importing registers the commands; the order here is the order of the panels in --help.
from wenzheng_cli.cli import lifecycle  # noqa: F401
from wenzheng_cli.cli import corrections  # noqa: F401
from wenzheng_cli.cli import importing  # noqa: F401
from wenzheng_cli.cli import cases  # noqa: F401
from wenzheng_cli.cli import report  # noqa: F401
from wenzheng_cli.cli import analysis  # noqa: F401
from wenzheng_cli.cli import admin  # noqa: F401
from wenzheng_cli.cli import completion

# isort: on

zh.install()  # help pages in Chinese

_GLOBAL_WITH_VALUE = ("--db", "--operator")
INTERRUPTED_CODE = 130


def command_word(argv: list[str]) -> str | None:
    """The command a command line invokes (skipping the global options), or None for help and the like."""
    i = 0
    while i < len(argv):
        word = argv[i]
        if word in _GLOBAL_WITH_VALUE:
            i += 2
        elif word.startswith(tuple(f"{opt}=" for opt in _GLOBAL_WITH_VALUE)):
            i += 1
        elif word.startswith("-"):
            return None
        else:
            return word
    return None


def keep_only(word: str | None) -> None:
    """Build just the invoked command: Typer turns every registered command into a Click one on each run,
    which a clerk typing one command should not wait for. Help, typos and completion keep the whole app."""
    if word is None:
        return
    commands = [
        c
        for c in app.registered_commands
        if (c.name or (c.callback.__name__ if c.callback else "").lower().replace("_", "-")) == word
    ]
    groups = [g for g in app.registered_groups if g.name == word]
    if commands or groups:
        app.registered_commands = commands
        app.registered_groups = groups


def main() -> None:
    os.umask(0o077)  # every file wenzheng writes (ledger, exports, backups) is the owner's alone
    names = sorted(
        {c.name or (c.callback.__name__ if c.callback else "") for c in app.registered_commands}
        | {g.name or "" for g in app.registered_groups}
    )
    keep_only(command_word(sys.argv[1:]))
    completion.serve_if_asked()
    try:
        code = app(standalone_mode=False, prog_name="wenzheng")
        if code == INTERRUPTED_CODE:  # Typer turns Ctrl-C inside a command into a silent Exit(130)
            interrupted()
        sys.exit(code if isinstance(code, int) else 0)
    except typer.Abort:
        sys.stderr.write("已取消，台账未作更改\n")
        sys.exit(1)
    except KeyboardInterrupt:
        interrupted()
    except Exception as exc:  # the last boundary: never a traceback, never residents' data
        if is_parser_error(exc) and type(exc).__name__ == "NoArgsIsHelpError":
            sys.exit(0)  # the help has been printed: asking for it is not an error
        if is_parser_error(exc):
            message, hint = describe(exc, names)
            console.error(message, hint)
            sys.exit(getattr(exc, "exit_code", 2))
        if os.environ.get("WENZHENG_DEBUG"):
            raise
        sys.stderr.write(f"错误: 内部错误（{type(exc).__name__}），本次操作未完成\n")
        sys.stderr.write("提示: 运行 wenzheng check 检查台账；请把命令（不含居民信息）告知维护人员\n")
        sys.exit(1)


if __name__ == "__main__":
    main()
