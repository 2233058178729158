"""Every test gets its own ledger and app dir under tmp_path, a pinned clock and a known operator."""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest
from typer.testing import CliRunner

from wenzheng_cli.cli.app import app

NOW = "2026-11-23T10:00:00+08:00"  # a Monday
SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.fixture(autouse=True)
def ledger_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    db = tmp_path / "ledger.db"
    monkeypatch.setenv("WENZHENG_DB", str(db))
    monkeypatch.setenv("WENZHENG_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("WENZHENG_NOW", NOW)
    monkeypatch.setenv("WENZHENG_OPERATOR", "clerk")
    monkeypatch.delenv("WENZHENG_DEBUG", raising=False)
    monkeypatch.setenv("COLUMNS", "200")
    return db


class Wz:
    """Runs ``wenzheng`` in-process; ``wz(...)`` expects success, ``wz.fail(...)`` a refusal."""

    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, *args: str, code: int = 0, input: str | None = None) -> Any:
        result = self.runner.invoke(app, list(args), input=input)
        assert result.exit_code == code, (
            f"exit {result.exit_code} for {args}\nstdout: {result.stdout}\nstderr: {result.stderr}\n"
            f"exception: {result.exception!r}"
        )
        return result

    def json(self, *args: str) -> Any:
        result = self(*args, "--json")
        return json.loads(result.stdout)

    def fail(self, *args: str, code: int = 1) -> Any:
        result = self(*args, code=code)
        assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
        assert result.stderr.startswith("错误: "), result.stderr
        return result


@pytest.fixture
def wz() -> Wz:
    return Wz()


@pytest.fixture
def make_case(wz: Wz) -> Callable[..., str]:
    """Intake a case and return its number."""

    def make(text: str = "3号楼路灯不亮", *extra: str) -> str:
        return str(wz.json("intake", text, *extra)["number"])

    return make


T = TypeVar("T")
# Ledgers that many tests start from, built once per clock and operator: (the built ledger, what the builder
# returned). Each test gets a copy of its own.
_BUILT: dict[tuple[str, ...], tuple[Path, Any]] = {}


def built_once(name: str, wz: Wz, build: Callable[[Wz], T]) -> T:
    """``build(wz)`` into this test's (new) ledger the first time; a copy of that ledger every time after."""
    key = (name, *(os.environ.get(var, "") for var in ("WENZHENG_NOW", "WENZHENG_OPERATOR")))
    ledger = Path(os.environ["WENZHENG_DB"])
    found = _BUILT.get(key)
    if found is None:
        made = build(wz)
        template = Path(tempfile.mkdtemp(prefix=f"wz-{name}-")) / "ledger.db"
        _copy_ledger(ledger, template)
        _BUILT[key] = (template, made)
        return made
    template, made = found
    assert not ledger.exists(), f"{name}: a ledger built once starts the test's ledger"
    _copy_ledger(template, ledger)
    return json.loads(json.dumps(made))  # a fresh copy: a test may change what it was given


def _copy_ledger(source: Path, target: Path) -> None:
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
