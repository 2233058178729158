"""Chinese everywhere a clerk reads: every help page, the usage line, parser errors; --version; completion."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from wenzheng_cli.cli.app import app
from wenzheng_cli.config import DEFAULTS
from wenzheng_cli.domain.groupings import GROUPINGS

# Words a help page may show: what is typed literally (enum values, formats, config keys, shells, the env vars
# and the program's own name) — never a word of explanation.
LITERALS = {
    "wenzheng", "db", "WENZHENG_DB", "WENZHENG_OPERATOR", "YL", "README",
    "json", "JSON", "csv", "CSV", "xlsx", "XLSX", "markdown", "Markdown", "html", "HTML", "XLS", "ymd", "mdy", "dmy", "table", "kind", "old", "new", "received", "due", "number", "updated", "status", "Lines", "Excel",
    "utf", "gbk", "solved", "partly", "explained", "open", "last",
    "wd", "d", "h", "w", "bash", "zsh", "fish", "Tab", "received_at",
    "Parquet", "parquet", "DuckDB",
    "admin", "viewer",  # the roles of clerk add --role (clerk is a command's name)
    "http", "https", "TLS", "MB", "WENZHENG_SERVER", "crt", "key",  # serve and login: addresses and files
}  # fmt: skip
LITERALS |= {part for key in DEFAULTS for part in key.split(".")}
LITERALS |= {grouping.key for grouping in GROUPINGS}  # the values of --by
_OPTION = re.compile(r"(?<![\w-])--?[A-Za-z][\w-]*")
_WORD = re.compile(r"[A-Za-z][A-Za-z_]*")


def all_paths() -> list[list[str]]:
    paths: list[list[str]] = []

    def walk(command: Any, path: list[str]) -> None:
        paths.append(path)
        for name, sub in sorted(getattr(command, "commands", {}).items()):
            walk(sub, [*path, name])

    walk(get_command(app), [])
    return paths


def command_names() -> set[str]:
    return {word for path in all_paths() for word in path}


def english_words(page: str, allowed: set[str]) -> list[str]:
    """English words on a help page outside option names, command names, literals and the example lines."""
    found = []
    for line in page.splitlines():
        text = line.strip(" │╭╮╰╯─")
        if text.startswith(("例:", "wenzheng ")) and not text.startswith("wenzheng ["):
            continue  # an example: what a clerk types, not what they read
        for word in _WORD.findall(_OPTION.sub(" ", text)):
            if word not in allowed:
                found.append(word)
    return found


def test_the_checker_catches_english() -> None:
    allowed = LITERALS | command_names()
    page = "用法: wenzheng claim [OPTIONS] {case}\n│ --help  -h   Show this message and exit. │\n"
    assert english_words(page, allowed) == ["OPTIONS", "case", "Show", "this", "message", "and", "exit"]
    assert english_words("│ --on-site  <文本>  现场办结 [必填] │\n 例: wenzheng x --a Hello", allowed) == []


@pytest.mark.parametrize("path", all_paths(), ids=lambda p: " ".join(p) or "wenzheng")
def test_every_help_page_is_chinese(path: list[str]) -> None:
    result = CliRunner().invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.output
    page = result.stdout
    assert page.lstrip().startswith(f"用法: {' '.join(['wenzheng', *path])} [选项]")
    assert "显示本帮助并退出" in page
    for english in ("Usage", "Options", "Arguments", "Commands", "[required]", "[default", "env var"):
        assert english not in page, english
    assert english_words(page, LITERALS | command_names()) == []


def test_usage_line_and_panels() -> None:
    page = CliRunner().invoke(app, ["claim", "--help"]).stdout
    assert re.search(r"用法: wenzheng claim \[选项\] 案件\.\.\. *\n", page)
    assert "─ 参数 ─" in page and "─ 选项 ─" in page and "[必填]" in page
    assert re.search(r"\*\s+案件\s+<文本>\s+案件编号", page)
    page = CliRunner().invoke(app, ["report", "--help"]).stdout
    assert re.search(r"用法: wenzheng report \[选项\] 命令 \[参数\]\.\.\. *\n", page) and "─ 命令 ─" in page
    page = CliRunner().invoke(app, ["intake", "--help"]).stdout
    assert re.search(r"用法: wenzheng intake \[选项\] \[内容\] *\n", page) and "<整数>" in page
    page = CliRunner().invoke(app, ["--help"]).stdout
    assert "[环境变量: WENZHENG_DB]" in page and "--version" in page
    assert "install-completion" not in page and "show-completion" not in page


# --- the console script: parser errors, --version, completion ------------------------------------------------


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wenzheng_cli", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
    )


@pytest.mark.parametrize(
    ("args", "stderr"),
    [
        (
            ["intake", "x", "--difficulty", "五"],
            "错误: --difficulty 的值「五」不是整数\n"
            "提示: 写阿拉伯数字，如 --difficulty 3；用 wenzheng intake --help 查看用法和例子\n",
        ),
        (
            ["list", "--limit", "十"],
            "错误: --limit 的值「十」不是整数\n"
            "提示: 写阿拉伯数字，如 --limit 3；用 wenzheng list --help 查看用法和例子\n",
        ),
        (["claim"], "错误: 缺少参数 案件\n提示: 用 wenzheng claim --help 查看用法和例子\n"),
        (
            ["show", "1", "2"],
            "错误: 多余的参数: 2\n"
            '提示: 含空格的内容请加引号，如 "3号楼 路灯不亮"；用 wenzheng show --help 查看用法和例子\n',
        ),
        (
            ["list", "--status"],
            "错误: 选项 --status 后面缺少值\n提示: 在 --status 后面写上它的值；用 wenzheng --help 查看用法和例子\n",
        ),
        (
            ["list", "--json=yes"],
            "错误: 选项 --json 不带值\n提示: 只写 --json，不要加 =…；用 wenzheng --help 查看用法和例子\n",
        ),
    ],
)
def test_parser_errors_in_chinese(ledger_env: Path, args: list[str], stderr: str) -> None:
    done = run(*args)
    assert (done.returncode, done.stdout, done.stderr) == (2, "", stderr)


def test_version(ledger_env: Path) -> None:
    done = run("--version")
    assert (done.returncode, done.stdout, done.stderr) == (0, f"wenzheng {version('wenzheng')}\n", "")
    assert done.stdout == "wenzheng 0.1.0\n"


def test_completion_scripts(wz: Any) -> None:
    bash = wz("completion", "bash").stdout
    assert "complete -o default -F _wenzheng_completion wenzheng" in bash
    assert "_WENZHENG_COMPLETE=complete_bash" in bash
    assert wz("completion", "zsh").stdout.startswith("#compdef wenzheng")
    assert "complete --command wenzheng" in wz("completion", "fish").stdout
    assert wz.json("completion", "bash")["script"] == bash.rstrip("\n")
    refused = wz.fail("completion", "tcsh")
    assert refused.stderr == "错误: 不支持的终端类型「tcsh」\n提示: 可选: bash、zsh、fish\n"


def test_completion_answers_the_shell(ledger_env: Path) -> None:
    env = {"_WENZHENG_COMPLETE": "complete_bash", "COMP_WORDS": "wenzheng re", "COMP_CWORD": "1"}
    done = run(env=env)
    assert done.returncode == 0 and done.stdout.split() == ["return", "resolve", "revisit", "report"]
    env = {**env, "COMP_WORDS": "wenzheng report weekly --we", "COMP_CWORD": "3"}
    assert run(env=env).stdout.split() == ["--week"]


def test_ordinary_commands_load_no_help_machinery(ledger_env: Path) -> None:
    run("intake", "路灯不亮")
    for args in (["list", "--json"], ["claim", "1"]):
        done = subprocess.run(
            [sys.executable, "-X", "importtime", "-m", "wenzheng_cli", *args], capture_output=True, text=True
        )
        loaded = {line.split("|")[-1].strip() for line in done.stderr.splitlines() if "|" in line}
        assert "wenzheng_cli.cli.zh" in loaded  # the hook is there …
        for module in ("typer.rich_utils", "importlib.metadata"):  # help pages and --version only
            assert module not in loaded, (args, module)
