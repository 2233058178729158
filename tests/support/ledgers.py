"""Ledgers that many tests start from, built once and copied into each test's own ledger."""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from tests.support.cli import Wz

T = TypeVar("T")
# Built once per clock and operator (and per worker process when the tests run in several): the built ledger
# and what the builder returned.
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
    assert _blank(ledger), f"{name}: a ledger built once starts the test's ledger"
    _copy_ledger(template, ledger)
    fresh: T = json.loads(json.dumps(made))  # a fresh copy: a test may change what it was given
    return fresh


def _blank(ledger: Path) -> bool:
    """Whether the test's ledger is still as it started (missing, or made and never written to)."""
    if not ledger.exists():
        return True
    conn = sqlite3.connect(ledger)
    try:
        return not conn.execute("SELECT 1 FROM events LIMIT 1").fetchone()
    finally:
        conn.close()


def _copy_ledger(source: Path, target: Path) -> None:
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
