"""Chinese for what the parser prints around our own help texts: headings, the usage line, argument names, type
names, ``[必填]``, ``[默认: …]`` and the help option's own line.

Typer renders help with Rich (``typer.rich_utils``, whose labels are module-level strings) from Click objects
built on each run. Nothing here runs, and Typer's Rich help is not loaded, until a help page is printed: :func:`install` wraps the help
formatting of Typer's command and group classes, and the first help page sets the strings.
"""

from __future__ import annotations

import re
from typing import Any

from typer._click.formatting import HelpFormatter
from typer.core import TyperArgument, TyperCommand, TyperGroup

HELP_OPTION = "显示本帮助并退出"
OPTIONS_METAVAR = "[选项]"
SUBCOMMAND_METAVAR = "命令 [参数]..."

# Positional arguments by their parameter name, as the usage line and the 参数 panel show them.
ARGUMENTS = {
    "case": "案件",
    "cases": "案件",
    "text": "内容",
    "files": "文件",
    "dest": "备份位置",
    "key": "配置项",
    "value": "值",
    "values": "值",
    "title": "名称",
    "shell": "终端类型",
    "more": "更多配置项 值",
}

TYPES = {"<str>": "<文本>", "<text>": "<文本>", "<int>": "<整数>", "<float>": "<小数>", "<path>": "<路径>"}

_RICH_STRINGS = {
    "ARGUMENTS_PANEL_TITLE": "参数",
    "OPTIONS_PANEL_TITLE": "选项",
    "COMMANDS_PANEL_TITLE": "命令",
    "ERRORS_PANEL_TITLE": "错误",
    "DEFAULT_STRING": "[默认: {}]",
    "ENVVAR_STRING": "[环境变量: {}]",
    "REQUIRED_LONG_STRING": "[必填]",
    "DEPRECATED_STRING": "（已停用） ",
    "ABORTED_TEXT": "已取消",
    "RICH_HELP": "用 [blue]'{command_path} {help_option}'[/] 查看帮助。",
}
_RANGE = re.compile(r"(-?[\d.]+)<=?x<=?(-?[\d.]+)")

_ready = False


def label(name: str | None) -> str:
    """An argument's name as a clerk reads it (``case`` → 案件)."""
    return ARGUMENTS.get(name or "", name or "参数")


def install() -> None:
    """Have every help page of this process in Chinese (idempotent, cheap: two attribute assignments)."""
    for cls in (TyperCommand, TyperGroup):
        if getattr(cls.format_help, "_wenzheng_zh", False):
            continue
        cls.format_help = _wrap(cls.format_help)  # type: ignore[method-assign]


def _wrap(original: Any) -> Any:
    def format_help(self: Any, ctx: Any, formatter: Any) -> Any:
        _prepare()
        _localise(self, ctx)
        return original(self, ctx, formatter)

    format_help._wenzheng_zh = True  # type: ignore[attr-defined]
    return format_help


def _prepare() -> None:
    """Once per process, at the first help page: Typer's labels, the usage prefix, the type names."""
    global _ready
    if _ready:
        return
    # Typer's Rich help rendering takes longer to load than most commands take to run: help pages alone load it
    from typer import rich_utils

    for name, text in _RICH_STRINGS.items():
        setattr(rich_utils, name, text)
    rich_utils.OptionHighlighter.highlights = [*rich_utils.OptionHighlighter.highlights, r"(?P<usage>用法: )"]

    write_usage = HelpFormatter.write_usage

    def chinese_usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        write_usage(self, prog, args, "用法: " if prefix is None else prefix)

    HelpFormatter.write_usage = chinese_usage  # type: ignore[method-assign]

    def usage_pieces(self: Any, ctx: Any) -> list[str]:
        shown = self.metavar or label(self.name)
        if self.nargs != 1:
            shown += "..."
        return [shown if self.required else f"[{shown}]"]

    TyperArgument.get_usage_pieces = usage_pieces  # type: ignore[method-assign]

    types_highlighter = rich_utils.types_highlighter

    def chinese_types(text: Any) -> Any:
        plain = _RANGE.sub(r"\1–\2", TYPES.get(text.plain, text.plain))
        if plain != text.plain:
            text = type(text)(plain, style=text.style, overflow=text.overflow)
        return types_highlighter(text)

    rich_utils.types_highlighter = chinese_types  # type: ignore[assignment]
    # An option's or a command's help wraps at the panel's edge: a table column cuts a text with … by
    # default, and a Chinese sentence (no spaces to break at) would lose its end at 80 or 100 columns.
    rich_utils._get_parameter_help = _folding(rich_utils._get_parameter_help)
    rich_utils._make_command_help = _folding(rich_utils._make_command_help)
    _ready = True


def _folding(make: Any) -> Any:
    """``make`` whose texts (a ``Text``, or the ``Text`` pieces of a ``Columns``) fold instead of being cut."""

    def made(*args: Any, **kwargs: Any) -> Any:
        return _fold(make(*args, **kwargs))

    return made


def _fold(renderable: Any) -> Any:
    from rich.columns import Columns
    from rich.text import Text

    if isinstance(renderable, Text):
        renderable.overflow = "fold"
    elif isinstance(renderable, Columns):
        for item in renderable.renderables:
            _fold(item)
    return renderable


def _localise(command: Any, ctx: Any) -> None:
    """This command's own pieces: its metavars, its arguments' names, its help option's line."""
    command.options_metavar = OPTIONS_METAVAR
    if hasattr(command, "subcommand_metavar"):
        command.subcommand_metavar = SUBCOMMAND_METAVAR
    help_option = command.get_help_option(ctx)
    if help_option is not None:
        help_option.help = HELP_OPTION
    for param in command.params:
        if isinstance(param, TyperArgument) and param.metavar is None:
            param.metavar = label(param.name)
