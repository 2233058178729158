"""The console script builds only the command it runs; help and typos still see the whole app."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from wenzheng_cli.cli.app import command_word


@pytest.mark.parametrize(
    ("argv", "word"),
    [
        (["intake", "x"], "intake"),
        (["--db", "a.db", "--operator", "王芳", "claim", "42"], "claim"),
        (["--db=a.db", "list", "--json"], "list"),
        (["config", "show"], "config"),
        (["--help"], None),
        ([], None),
    ],
)
def test_command_word(argv: list[str], word: str | None) -> None:
    assert command_word(argv) == word


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "wenzheng_cli", *args], capture_output=True, text=True)


def test_console_entry_point_runs_commands_and_keeps_help(ledger_env: Path) -> None:
    made = run("intake", "路灯不亮", "--json")
    assert made.returncode == 0 and '"number": "WZ-2026-0001"' in made.stdout
    assert run("show", "1").returncode == 0
    top = run("--help")
    assert top.returncode == 0
    for name in ("intake", "assign", "revisit", "list", "config", "activity", "check"):
        assert name in top.stdout
    typo = run("intak", "x")
    assert typo.returncode == 2 and "Traceback" not in typo.stderr
    refused = run("resolve", "1", "--result", "x")
    assert refused.returncode == 1
    assert refused.stderr.startswith("错误: WZ-2026-0001 当前状态为「待交办」")
    assert "Traceback" not in refused.stderr
