"""Usage errors from the command-line parser, said in Chinese with a hint, like every other error."""

from __future__ import annotations

import ast
import re
import sys
from difflib import get_close_matches
from typing import Any

import typer

from wenzheng_cli.cli.zh import label

_NOT_VALID = re.compile(r"^(.+) is not a valid (\w+)\.")
_NOT_ONE_OF = re.compile(r"^(.+) is not one of (.+)\.$")
_NOT_IN_RANGE = re.compile(r"^(.+) is not in the range (-?[\d.]+)<=?x<=?(-?[\d.]+)\.$")
_TYPE_NAMES = {"integer": "整数", "int": "整数", "float": "数字", "boolean": "是或否"}
_TYPE_EXAMPLES = {"integer": "3", "int": "3", "float": "1.5", "boolean": "true"}

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
        return str(longest)

    return label(getattr(param, "name", None))


def _typed(text: str) -> str:
    """The value as typed, from the repr the parser puts in its message."""
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text
    return str(value)


def _bad_value(exc: Any, name: str, hint: str) -> tuple[str, str]:
    """A value the parser could not take: say which option and what it wants, in Chinese."""
    message = str(getattr(exc, "message", "") or "")
    found = _NOT_VALID.match(message)
    if found and found.group(2) in _TYPE_NAMES:
        kind = found.group(2)
        return (
            f"{name} 的值「{_typed(found.group(1))}」不是{_TYPE_NAMES[kind]}",
            f"写阿拉伯数字，如 {name} {_TYPE_EXAMPLES[kind]}；{hint}"
            if kind != "boolean"
            else f"写 true 或 false；{hint}",
        )
    found = _NOT_ONE_OF.match(message)
    if found:
        choices = "、".join(_typed(choice.strip()) for choice in found.group(2).split(","))
        return f"{name} 不能是「{_typed(found.group(1))}」", f"可选: {choices}；{hint}"
    found = _NOT_IN_RANGE.match(message)
    if found:
        low, high = found.group(2), found.group(3)
        return f"{name} 的值 {found.group(1)} 不在 {low}–{high} 之间", f"写 {low} 到 {high}；{hint}"
    return f"{name} 的值不对（{message}）", hint


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
        if "requires" in exc.message:
            return f"选项 {exc.option_name} 后面缺少值", f"在 {exc.option_name} 后面写上它的值；{hint}"
        if "does not take a value" in exc.message:
            return f"选项 {exc.option_name} 不带值", f"只写 {exc.option_name}，不要加 =…；{hint}"
        return f"选项 {exc.option_name} 用法不对（{exc.message}）", hint
    if isinstance(exc, ex.BadParameter):
        return _bad_value(exc, _param_name(exc.param), hint)
    message = getattr(exc, "message", str(exc))
    if message == "Missing command.":
        return "缺少命令", hint
    if message.startswith("No such command"):
        word = message.split("'")[1] if "'" in message else message
        near = [SYNONYMS[word.lower()]] if word.lower() in SYNONYMS else []
        near = (near + [c for c in get_close_matches(word, commands, n=3, cutoff=0.5) if c not in near])[:3]
        return f"没有命令「{word}」", (
            f"是否指 {'、'.join(near)}？ " if near else ""
        ) + "用 wenzheng --help 查看全部命令"
    if message.startswith("Got unexpected extra argument"):
        extra = message[message.find("(", len("Got unexpected extra argument(s)")) + 1 : -1]
        return f"多余的参数: {extra}", '含空格的内容请加引号，如 "3号楼 路灯不亮"；' + hint
    return f"命令用法不对（{message}）", hint


def is_parser_error(exc: BaseException) -> bool:
    return isinstance(exc, _exceptions().ClickException)
