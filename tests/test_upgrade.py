"""A ledger made by the first schema version opens with the newest code, upgrades in place and passes check."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from tests.conftest import Wz
from wenzheng_cli.store import schema

FIXTURE = Path(__file__).parent / "fixtures" / "ledger-v1.db"


def test_first_version_ledger_upgrades_and_passes_check(wz: Wz, tmp_path: Path) -> None:
    old = tmp_path / "v1.db"
    shutil.copy(FIXTURE, old)
    conn = sqlite3.connect(old)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    before = conn.execute(
        "SELECT number, status, handler, due_at, round, rating FROM cases ORDER BY pk"
    ).fetchall()
    conn.close()

    report = wz.json("check", "--db", str(old))
    assert report == {"ok": True, "cases": 6, "events": 21, "problems": []}

    conn = sqlite3.connect(old)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.latest()
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    after = conn.execute(
        "SELECT number, status, handler, due_at, round, rating FROM cases ORDER BY pk"
    ).fetchall()
    assert after == before
    conn.close()

    # The upgraded ledger keeps working: numbering continues, the lifecycle goes on.
    assert wz.json("intake", "新的诉求", "--db", str(old))["number"] == "YL-2026-0007"
    assert wz.json("claim", "4", "--db", str(old), "--operator", "街道综治办")["status"] == "claimed"
    assert wz.json("check", "--db", str(old))["ok"] is True


def test_fixture_is_the_first_version() -> None:
    # The fixture must stay as made by schema version 1; regenerate it never, add new fixtures instead.
    conn = sqlite3.connect(f"file:{FIXTURE}?mode=ro", uri=True)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    names = [row[0] for row in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY id")]
    assert names == ["m001_initial"]


def test_a_failing_migration_leaves_the_ledger_as_it_was(wz: Wz, tmp_path: Path) -> None:
    import pytest

    from wenzheng_cli.store.ledger import open_ledger

    old = tmp_path / "v1.db"
    shutil.copy(FIXTURE, old)

    def broken(db: object) -> None:
        schema.run_script(db, "CREATE TABLE half_done (x INTEGER);\nCREATE TABLE half_done (x INTEGER);\n")  # type: ignore[arg-type]

    steps = [*schema.STEPS, ("m999_broken", broken)]
    mp = pytest.MonkeyPatch()
    mp.setattr(schema, "STEPS", steps)
    try:
        with pytest.raises(sqlite3.OperationalError):
            open_ledger(old, create=False)
    finally:
        mp.undo()
    conn = sqlite3.connect(old)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "half_done" not in tables and "duplicate_flags" not in tables
    conn.close()
    assert wz.json("check", "--db", str(old))["ok"] is True
