"""The console script. It loads almost nothing itself, so that what can go wrong before the program is even
loaded — Ctrl-C while it starts, arguments that are not UTF-8 — is still answered in one line, never with a
traceback. The commands and their error boundary are in ``cli.app``.
"""

from __future__ import annotations

import os
import sys
import warnings

INTERRUPTED = "已中断，台账未作更改"
TYPED = ("WENZHENG_DB", "WENZHENG_OPERATOR", "WENZHENG_HOME")


def main() -> None:
    try:
        where = undecodable(sys.argv[1:])
        if where:
            sys.stderr.write(f"错误: {where}中有无法识别的字符（不是 UTF-8 编码），台账未作更改\n")
            sys.stderr.write("提示: 把脚本或终端的编码改为 UTF-8 后重试；文件名含有这类字符时请先改名\n")
            sys.exit(1)
        if not os.environ.get("WENZHENG_DEBUG"):
            # Library warnings (openpyxl on an unusual workbook) name internal source paths a clerk cannot act
            # on; what matters of them is said by the command itself.
            warnings.simplefilter("ignore")
        from wenzheng_cli.cli.app import (
            main as run,
        )  # loaded here, so that a Ctrl-C while it loads is answered

        run()
    except KeyboardInterrupt:
        interrupted()


def interrupted(done: int = 0) -> None:
    """Ctrl-C: one line on stderr and exit code 130, the shell's convention for an interrupted command;
    ``done`` transactions were committed before it (a command that does several cases, each on its own)."""
    sys.stderr.write(
        INTERRUPTED + "\n" if not done else f"已中断：此前已完成的 {done} 项已保存，其余未作更改\n"
    )
    sys.exit(130)


def undecodable(args: list[str]) -> str | None:
    """Where an argument (or a WENZHENG_ variable) holds bytes that are not UTF-8, or None."""
    for i, arg in enumerate(args, start=1):
        if not _utf8(arg):
            return f"第 {i} 个参数"
    for name in TYPED:
        if not _utf8(os.environ.get(name, "")):
            return f"环境变量 {name} "
    return None


def _utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
