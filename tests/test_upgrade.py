"""A ledger made by the first schema version opens with the newest code, upgrades in place and passes check."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from tests.support.cli import Wz
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

    migrations = [*schema.MIGRATIONS, ("m999_broken", broken)]
    mp = pytest.MonkeyPatch()
    mp.setattr(schema, "MIGRATIONS", migrations)
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


def test_flags_made_before_the_key_reason_survive_its_migration(tmp_path: Path) -> None:
    """m004 copies duplicate_flags into a table that also accepts reason 'key'; the flags already there stay."""
    import pytest

    from wenzheng_cli.store.ledger import open_ledger

    db = tmp_path / "v3.db"
    mp = pytest.MonkeyPatch()
    mp.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:3])  # as the ledger was before m004
    try:
        open_ledger(db, create=True).close()
    finally:
        mp.undo()
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 3
    for seq, case_id in ((1, "A"), (2, "B")):
        conn.execute(
            "INSERT INTO cases (id, number, office, year, seq, status, received_at, description)"
            " VALUES (?, ?, 'YL', 2026, ?, 'registered', '2026-11-20T09:00:00+08:00', '路灯不亮')",
            (case_id, f"YL-2026-000{seq}", seq),
        )
    conn.execute("INSERT INTO duplicate_flags VALUES ('B', 'A', 'phone', 100, '2026-11-20T09:00:00+08:00')")
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("INSERT INTO duplicate_flags VALUES ('A', 'B', 'key', 100, 'x')")
    conn.commit()
    conn.close()

    open_ledger(db, create=False).close()
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.latest()
    assert conn.execute("SELECT case_id, twin_id, reason FROM duplicate_flags").fetchall() == [
        ("B", "A", "phone")
    ]
    conn.execute("INSERT INTO duplicate_flags VALUES ('A', 'B', 'key', 100, 'x')")
    indexes = {
        r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE tbl_name = 'duplicate_flags'")
    }
    assert "duplicate_flags_twin" in indexes
    conn.close()
