"""Online backup with SQLite's backup API: a consistent copy while other clerks keep writing."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path

from wenzheng_cli.files import atomic_create, atomic_replace


def backup_to(conn: sqlite3.Connection, dest: Path) -> None:
    """Copy the ledger to ``dest`` atomically (``files.atomic_replace``), checked before it replaces anything."""
    with atomic_replace(dest) as temp:
        _copy(conn, temp)


def backup_new(conn: sqlite3.Connection, names: Iterable[Path]) -> Path:
    """Copy the ledger to the first of ``names`` that does not exist yet (``files.atomic_create``)."""
    with atomic_create(names) as created:
        _copy(conn, created.temp)
    assert created.path is not None
    return created.path


def _copy(conn: sqlite3.Connection, temp: Path) -> None:
    target = sqlite3.connect(temp)
    try:
        # Pages in steps, so writers are not shut out for long; a write in between restarts the copy of the
        # changed pages, and the result is the state at one moment.
        conn.backup(target, pages=1024)
        target.execute("PRAGMA journal_mode = DELETE")
        ok = target.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        target.close()
    if ok != "ok":
        raise sqlite3.DatabaseError(f"backup copy failed its integrity check: {ok}")
