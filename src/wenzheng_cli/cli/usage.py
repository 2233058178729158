"""Usage errors from the command-line parser, said in Chinese with a hint, like every other error."""

from __future__ import annotations

import sys
from difflib import get_close_matches
from typing import Any

import typer

# Words clerks try for a command that has another name.
SYNONYMS = {
    "edit": "amend",
    "modify": "amend",
    "update": "amend",
    "correct": "amend",
    "fix": "amend",
    "change": "amend",
    "修改": "amend",
    "更正": "amend",
    "改错": "amend",
    "revert": "undo",
    "rollback": "undo",
    "cancel": "undo",
    "撤销": "undo",
}


def _exceptions() -> Any:
    # The parser's exception classes live beside BadParameter (Typer vendors its own Click).
    return sys.modules[typer.BadParameter.__module__]


def _param_name(param: Any) -> str:
    if param is None:
        return "参数"
    opts = getattr(param, "opts", None) or []
    longest = max(opts, key=len) if opts else None
    if longest and longest.startswith("-"):
        return longest
    return str(getattr(param, "human_readable_name", None) or getattr(param, "name", "参数")).upper()


def describe(exc: Exception, commands: list[str]) -> tuple[str, str]:
    """(message, hint) for a parser error."""
    ex = _exceptions()
    ctx = getattr(exc, "ctx", None)
    path = getattr(ctx, "command_path", None) or "wenzheng"
    hint = f"用 {path} --help 查看用法和例子"
    if isinstance(exc, ex.MissingParameter):
        name = _param_name(exc.param)
        kind = "选项" if name.startswith("-") else "参数"
        return f"缺少{kind} {name}", hint
    if isinstance(exc, ex.NoSuchOption):
        near = sorted(exc.possibilities or [])
        return f"没有选项 {exc.option_name}", (f"是否指 {'、'.join(near)}？ " if near else "") + hint
    if isinstance(exc, ex.BadOptionUsage):
        return f"选项 {exc.option_name} 用法不对（{exc.message}）", hint
    if isinstance(exc, ex.BadParameter):
        name = _param_name(exc.param)
        return f"{name} 的值不对（{exc.message}）", hint
    message = getattr(exc, "message", str(exc))
    if message.startswith("No such command"):
        word = message.split("'")[1] if "'" in message else message
        near = [SYNONYMS[word.lower()]] if word.lower() in SYNONYMS else []
        near = (near + [c for c in get_close_matches(word, commands, n=3, cutoff=0.5) if c not in near])[:3]
        return f"没有命令「{word}」", (
            f"是否指 {'、'.join(near)}？ " if near else ""
        ) + "用 wenzheng --help 查看全部命令"
    if message.startswith("Got unexpected extra argument"):
        return f"多余的参数（{message}）", '含空格的内容请加引号，如 "3号楼 路灯不亮"；' + hint
    return f"命令用法不对（{message}）", hint


def is_parser_error(exc: BaseException) -> bool:
    return isinstance(exc, _exceptions().ClickException)
