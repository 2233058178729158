"""The console script loads only the command it runs; help and typos still see the whole app."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest


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


@pytest.mark.parametrize(
    ("args", "message", "hint"),
    [
        (["claim"], "错误: 缺少参数 案件", "提示: 用 wenzheng claim --help 查看用法和例子"),
        (
            ["intak", "x"],
            "错误: 没有命令「intak」",
            "提示: 是否指 intake、init？ 用 wenzheng --help 查看全部命令",
        ),
        (["intake", "x", "--catgory", "环境卫生"], "错误: 没有选项 --catgory", "--category"),
        (
            ["intake", "x", "--difficulty", "abc"],
            "错误: --difficulty 的值「abc」不是整数",
            "wenzheng intake --help",
        ),
        (["intake", "3号楼", "路灯不亮"], "错误: 多余的参数", "请加引号"),
    ],
)
def test_usage_errors_in_chinese_with_a_hint(
    ledger_env: Path, args: list[str], message: str, hint: str
) -> None:
    done = run(*args)
    assert done.returncode == 2
    lines = done.stderr.splitlines()
    assert (
        len(lines) == 2
        and lines[0].startswith(message)
        and lines[1].startswith("提示: ")
        and hint in lines[1]
    )


def test_no_arguments_prints_the_help(ledger_env: Path) -> None:
    done = run()
    assert done.returncode == 0 and "用法: wenzheng" in done.stdout and done.stderr == ""
