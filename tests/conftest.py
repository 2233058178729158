"""Every test gets its own ledger and app dir under tmp_path, a pinned clock and a known operator. What the
tests share besides fixtures is in ``tests/support/``."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.cli import Wz
from tests.support.env import NOW
from wenzheng_cli.store.ledger import open_ledger

pytest_plugins = ["tests.support.hashseed"]


@pytest.fixture(scope="session")
def blank_ledger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A ledger as ``wenzheng init`` leaves it before any office code is given, made once: every test starts
    with one (only ``init`` makes a ledger; other commands on a missing one are refused)."""
    path = tmp_path_factory.mktemp("blank") / "ledger.db"
    open_ledger(path, create=True).close()
    return path


@pytest.fixture(autouse=True)
def ledger_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, blank_ledger: Path) -> Path:
    db = tmp_path / "ledger.db"
    shutil.copyfile(blank_ledger, db)
    db.chmod(0o600)
    monkeypatch.setenv("WENZHENG_DB", str(db))
    monkeypatch.setenv("WENZHENG_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("WENZHENG_NOW", NOW)
    monkeypatch.setenv("WENZHENG_OPERATOR", "clerk")
    monkeypatch.delenv("WENZHENG_DEBUG", raising=False)
    monkeypatch.setenv("COLUMNS", "200")
    return db


@pytest.fixture
def wz() -> Wz:
    return Wz()


@pytest.fixture
def make_case(wz: Wz) -> Callable[..., str]:
    """Intake a case and return its number."""

    def make(text: str = "3号楼路灯不亮", *extra: str) -> str:
        return str(wz.json("intake", text, *extra)["number"])

    return make
