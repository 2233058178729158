"""Every command of the command line by name, help line and module, and the group that loads a command's module
only when that command runs.

Each command module loads the core and the renderers it drives, and Typer turns each command it is given into a
Click one on every run: a clerk typing one command should wait for neither for all the others. The top help page
and the completion of command names are answered from this table alone; a command's own help, its options and
its completion load its module. The help line here is the first paragraph of the command's own help, and the
panel its ``rich_help_panel`` (tests/test_command_modules.py holds them equal).
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Iterator, MutableMapping
from dataclasses import dataclass
from typing import Any

from typer._click import Command, Context
from typer.core import TyperCommand, TyperGroup
from typer.main import get_command_from_info, get_command_name, get_group_from_info

from wenzheng_cli.cli import base


@dataclass(frozen=True)
class Entry:
    name: str
    module: str  # under wenzheng_cli.cli
    panel: str
    help: str


# In the order of the help page; the panels come in the order of their first command.
COMMANDS = (
    Entry("intake", "lifecycle", "办理", "受理一件居民诉求（--on-site 为现场办结）。"),
    Entry(
        "assign",
        "lifecycle",
        "办理",
        "交办（已交办的再交办即转办），给出承办人/单位和办结时限；可一次交办几件。",
    ),
    Entry(
        "claim",
        "lifecycle",
        "办理",
        "实名认领（签收）交办的案件: 交办给个人的须本人认领；只交办到单位的，认领人即为承办人。",
    ),
    Entry("return", "lifecycle", "办理", "退单: 交办有误，退回待重新交办。"),
    Entry("escalate", "lifecycle", "办理", "提级/吹哨: 超出权限的交更高层级办理。"),
    Entry("note", "lifecycle", "办理", "记录办理进展。"),
    Entry("extend", "lifecycle", "办理", "延期: 给出新时限和理由（按期办结按新时限计）。"),
    Entry(
        "supervise",
        "lifecycle",
        "办理",
        "督办（--listed 为挂牌督办）；可一次督办几件。list --supervised 列出督办中的案件。",
    ),
    Entry("resolve", "lifecycle", "办理", "办结，写明办理结果，待回访；问政日现场的几件可一次办结。"),
    Entry(
        "revisit",
        "lifecycle",
        "办理",
        "回访: 满意则销账；不满意不销账，退回原承办人重办。评价相同的几件可一次回访。",
    ),
    Entry("withdraw", "lifecycle", "办理", "撤件（居民撤回，或 --duplicate-of 重复件）；可一次撤几件。"),
    Entry(
        "amend",
        "corrections",
        "改错",
        "更正受理或导入时写错的内容（记一条更正记录，旧值新值都留底；报表按更正后的值统计）。",
    ),
    Entry(
        "undo",
        "corrections",
        "改错",
        "撤销该件最近一步操作（受理除外）；再次运行则继续往前撤。撤销也记入办理经过。",
    ),
    Entry("import", "importing", "办理", "批量导入走访记录和平台导出（同一文件重复导入不会重复登记）。"),
    Entry("show", "cases", "查询", "查看一件案件及其办理经过。"),
    Entry("list", "cases", "查询", "列出案件（最新的在前；--overdue 时最逾期的在前；--sort 另定）。"),
    Entry(
        "hotspots",
        "analysis",
        "查询",
        "热点问题: 同一地点、同一问题在一段时间内被多人反映的（共性问题，由点及面），按热度排列。",
    ),
    Entry("suggest", "analysis", "查询", "根据本台账已分类、已交办的案件，建议一段诉求的类别和承办单位。"),
    Entry(
        "export",
        "export",
        "查询",
        "导出台账（案件、办理记录、问政活动）为 Parquet 文件，供区、市用 DuckDB 等汇总多个社区。",
    ),
    Entry("init", "admin", "设置", "建立台账（已存在则更新社区代码和名称）。"),
    Entry("check", "admin", "设置", "检查台账: 文件完整、引用完整，每件案件与其办理记录重演的结果一致。"),
    Entry("backup", "admin", "设置", "在线备份台账（其他人可同时继续录入）；备份文件可直接当台账使用。"),
    Entry(
        "rollup",
        "rollup",
        "设置",
        "汇总各社区台账到本（街道）台账: 办理记录按编号只加一次，案件由办理记录重演；汇总来的案件只读。",
    ),
    Entry("completion", "completion", "设置", "输出命令补全脚本: 装上后按 Tab 键可补全命令和选项。"),
    Entry("report", "report", "查询", "周台账、月通报与趋势（表格、Markdown、CSV、XLSX、JSON、HTML）"),
    Entry("config", "admin", "设置", "查看或修改本社区的配置（类别、渠道、层级、时限、节假日…）"),
    Entry("activity", "admin", "办理", "问政活动: 问政日、议事会、走访"),
    Entry(
        "serve",
        "serving",
        "多台电脑",
        "在存放台账的电脑上开服务，其他电脑用 --server 办理同样的命令，领导用浏览器看报表。",
    ),
    Entry(
        "clerk",
        "clerk",
        "多台电脑",
        "办事员和令牌: 添加（令牌只显示一次）、列出、删除；角色 clerk、admin、viewer。",
    ),
    Entry(
        "login",
        "serving",
        "多台电脑",
        "登录服务器: 保存地址和令牌（本机用户目录，仅本人可读），之后的命令都在服务器上办理。",
    ),
)
BY_NAME = {entry.name: entry for entry in COMMANDS}
NAMES = tuple(BY_NAME)
COMPLETE_VAR = "_WENZHENG_COMPLETE"  # set by the shell when it asks for completions


def serve_if_asked() -> None:
    """When the shell asks for completions, register the completion classes the script talks to."""
    if os.environ.get(COMPLETE_VAR):
        # Typer's completion machinery: loaded only when the shell asks for completions
        from typer._completion_classes import completion_init

        completion_init()


class Commands(MutableMapping[str, Command]):
    """A group's commands: every name known from the table, each command built the first time it is asked for."""

    def __init__(self, build: Callable[[Entry], Command]) -> None:
        self._build = build
        self._built: dict[str, Command] = {}

    def built(self, name: str) -> Command | None:
        return self._built.get(name)

    def __getitem__(self, name: str) -> Command:
        if name not in self._built:
            if name not in BY_NAME:
                raise KeyError(name)
            self._built[name] = self._build(BY_NAME[name])
        return self._built[name]

    def __setitem__(self, name: str, command: Command) -> None:
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        del self._built[name]

    def __iter__(self) -> Iterator[str]:
        yield from NAMES
        yield from (name for name in self._built if name not in BY_NAME)

    def __len__(self) -> int:
        return len(NAMES) + sum(1 for name in self._built if name not in BY_NAME)


class CommandLine(TyperGroup):
    """The top group: a command is built (its module imported) when it is resolved to run, complete or show
    its own help; listing the commands shows each by its table entry."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self.commands: Commands = Commands(self._build)

    def _build(self, entry: Entry) -> Command:
        importlib.import_module(f"wenzheng_cli.cli.{entry.module}")
        for info in base.app.registered_commands:
            if info.callback and (info.name or get_command_name(info.callback.__name__)) == entry.name:
                return get_command_from_info(
                    info, pretty_exceptions_short=True, rich_markup_mode=self.rich_markup_mode
                )
        for group in base.app.registered_groups:
            if group.name == entry.name:
                return get_group_from_info(
                    group,
                    pretty_exceptions_short=True,
                    suggest_commands=self.suggest_commands,
                    rich_markup_mode=self.rich_markup_mode,
                )
        raise LookupError(f"wenzheng_cli.cli.{entry.module} registers no command {entry.name!r}")

    def list_commands(self, ctx: Context) -> list[str]:
        return list(self.commands)

    def get_command(self, ctx: Context, cmd_name: str) -> Command | None:
        built = self.commands.built(cmd_name)
        if built is not None:
            return built
        entry = BY_NAME.get(cmd_name)
        if entry is None:
            return None
        return TyperCommand(name=entry.name, help=entry.help, rich_help_panel=entry.panel)

    def resolve_command(self, ctx: Context, args: list[str]) -> tuple[str | None, Command | None, list[str]]:
        if args and args[0] in BY_NAME:
            self.commands[args[0]]  # the command about to run (or complete, or show its help)
        return super().resolve_command(ctx, args)
