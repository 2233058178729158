"""Nothing below the front ends spells a command line or imports the command-line toolkit.

Messages and hints name options and commands as ``Option``/``Command`` pieces, which each front end spells its
own way; a string constant that writes ``--at`` or ``wenzheng assign …`` itself would show the command line's
syntax to every other front end. Docstrings and comments may mention commands: they are not shown to anyone.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

import wenzheng_cli

ROOT = Path(wenzheng_cli.__file__).parent
BELOW_FRONT_ENDS = ("core", "domain", "store", "reports", "analysis", "importers")
TOOLKITS = ("typer", "click")

# ``wenzheng`` followed by a command word, or an option spelled with two dashes (``--at``, ``--show-pii``).
COMMAND_LINE = re.compile(r"\bwenzheng [a-z]|(?<![\w-])--[a-z]")
HOLE = "x"  # stands for a formatted value of an f-string: ``f"--{name}"`` reads as ``--x``


def modules() -> list[Path]:
    found = [p for package in BELOW_FRONT_ENDS for p in sorted((ROOT / package).rglob("*.py"))]
    return [*found, ROOT / "config.py"]


def _documentation(tree: ast.AST) -> set[int]:
    """The ids of the string constants that stand alone as statements: docstrings and the like."""
    return {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    }


def _texts(tree: ast.AST) -> Iterator[tuple[int, str]]:
    """Every string the code holds, as (line, text); an f-string as one text with its holes filled."""
    skip = _documentation(tree)
    inside: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            parts = []
            for value in node.values:
                inside.add(id(value))
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    parts.append(value.value)
                else:
                    parts.append(HOLE)
            yield node.lineno, "".join(parts)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if id(node) in skip or id(node) in inside:
                continue
            yield node.lineno, node.value


def _imports(tree: ast.AST) -> Iterator[tuple[int, str]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_command_line_syntax(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = [f"{line}: {text!r}" for line, text in sorted(_texts(tree)) if COMMAND_LINE.search(text)]
    assert not found, "command-line syntax in a string (use option(...)/command(...) pieces):\n" + "\n".join(
        found
    )


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_command_line_toolkit(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = [f"{line}: {name}" for line, name in _imports(tree) if name.split(".")[0] in TOOLKITS]
    assert not found, "the command-line toolkit imported below the front ends:\n" + "\n".join(found)


def test_the_check_sees_what_it_looks_for() -> None:
    code = 'X = "例如 wenzheng assign 42"\nY = f"--{name}"\nZ = "用 --at"\nimport typer\n'
    tree = ast.parse(code)
    assert [line for line, text in _texts(tree) if COMMAND_LINE.search(text)] == [1, 2, 3]
    assert [name for _, name in _imports(tree)] == ["typer"]
    quiet = ast.parse(
        '"""wenzheng check compares --at."""\nA = "关闭所有 wenzheng 后"\nB = "-wal"\nC = "--"\n'
    )
    assert not [text for _, text in _texts(quiet) if COMMAND_LINE.search(text)]
