"""Which modules a command loads: its own command module and what it drives, never the slow libraries it does
not use. Each command runs through the console script in a fresh process, which then reports its modules."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, cast

import pytest
from typer.main import get_command

from tests.support.cli import Wz
from wenzheng_cli.cli.app import app
from wenzheng_cli.cli.commands import COMMANDS, CommandLine

PROBE = """
import json, os, sys
sys.argv = ["wenzheng", *sys.argv[1:]]
from wenzheng_cli.entry import main
code = 0
try:
    main()
except SystemExit as exc:
    code = exc.code
with open(os.environ["MODULES_OUT"], "w") as out:
    json.dump({"code": code, "modules": sorted(sys.modules)}, out)
"""

# Libraries slow to load, or loaded for one kind of work alone.
WATCHED = (
    "openpyxl",
    "xlrd",
    "rapidfuzz",
    "sklearn",
    "scipy",
    "numpy",
    "jinja2",
    "charset_normalizer",
    "sqlite_utils",
    "dateutil.parser",
    "chinese_calendar",
    "typer.rich_utils",
    "rich.table",
    "rich.progress",
    "importlib.metadata",
)
COMMAND_MODULES = {f"wenzheng_cli.cli.{entry.module}" for entry in COMMANDS}

# (command line, the watched libraries it loads, the command modules it loads)
EXPECTED = [
    (["intake", "井盖缺失", "--json"], set(), {"lifecycle"}),
    (["list", "--json"], set(), {"cases"}),
    (["list"], set(), {"cases"}),  # off a terminal, plain lines
    (["show", "1"], {"rich.table"}, {"cases"}),
    (["report", "weekly", "--json"], set(), {"report"}),
    (["report", "weekly"], {"rich.table"}, {"report"}),
    (["show", "1", "--json"], set(), {"cases"}),
    (["--help"], {"typer.rich_utils", "rich.table"}, set()),
    (["assign", "1", "--to", "王芳", "--within", "3wd"], {"chinese_calendar"}, {"lifecycle"}),
    (["report", "weekly", "--format", "html", "--output", "{tmp}/周台账.html"], {"jinja2"}, {"report"}),
    (["import", "{tmp}/走访.xlsx", "--dry-run"], {"openpyxl", "numpy", "rapidfuzz"}, {"importing"}),
]


def loaded(args: list[str], tmp_path: Path) -> tuple[set[str], set[str]]:
    """(the watched libraries, the command modules) that ``wenzheng ARGS`` loads."""
    report = tmp_path / "modules.json"
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *(arg.format(tmp=tmp_path) for arg in args)],
        capture_output=True,
        text=True,
        env={**os.environ, "MODULES_OUT": str(report)},
        timeout=120,
    )
    found = json.loads(report.read_text())
    assert found["code"] == 0, done.stderr
    modules = set(found["modules"])
    return {m for m in WATCHED if m in modules}, {m.rpartition(".")[2] for m in COMMAND_MODULES & modules}


@pytest.mark.parametrize(("args", "libraries", "commands"), EXPECTED, ids=lambda v: " ".join(v)[:40])
def test_a_command_loads_only_what_it_uses(
    wz: Wz, tmp_path: Path, args: list[str], libraries: set[str], commands: set[str]
) -> None:
    wz("init", "--office", "YL")
    wz("intake", "路灯不亮", "--category", "环境卫生")
    if "import" in args:
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.append(["受理时间", "诉求内容"])
        sheet.append(["2026-11-17 09:00", "楼道灯不亮"])
        book.save(tmp_path / "走访.xlsx")
    assert loaded(args, tmp_path) == (libraries, commands)


def test_the_table_of_commands_is_each_commands_own() -> None:
    """The help line and panel the top help page shows are those of the command it loads."""
    group = cast(CommandLine, get_command(app))
    for entry in COMMANDS:
        command: Any = group.commands[entry.name]
        assert command.name == entry.name
        assert (command.help or "").split("\n\n")[0].strip() == entry.help, entry.name
        assert command.rich_help_panel == entry.panel, entry.name


def test_listing_the_commands_builds_none() -> None:
    group = cast(CommandLine, get_command(app))
    ctx = group.make_context("wenzheng", ["list"])
    listed = group.get_command(ctx, "intake")
    assert listed is not None and listed.callback is None  # a stand-in with the help line
    assert group.commands.built("intake") is None
    assert group.commands["intake"].callback is not None  # what runs is the command itself
