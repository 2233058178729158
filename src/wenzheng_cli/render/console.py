"""Consoles: colour and widths only on a terminal; plain text (no ANSI codes) for pipes, files and cron."""

from __future__ import annotations

import json
import os
import sys
from typing import Any

from rich.console import Console

_out: Console | None = None


def out() -> Console:
    global _out
    if _out is None:
        tty = sys.stdout.isatty()
        width = None if tty or os.environ.get("COLUMNS") else 160
        _out = Console(highlight=False, soft_wrap=False, width=width, emoji=False)
    return _out


def reset() -> None:
    """Forget the console (tests swap stdout between invocations)."""
    global _out
    _out = None


def write_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def error(message: str, hint: str | None = None) -> None:
    sys.stderr.write(f"错误: {message}\n")
    if hint:
        sys.stderr.write(f"提示: {hint}\n")


def warn(message: str) -> None:
    sys.stderr.write(f"提示: {message}\n")


def line(text: str) -> None:
    sys.stdout.write(text + "\n")
