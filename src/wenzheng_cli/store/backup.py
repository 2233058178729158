"""Online backup with SQLite's backup API: a consistent copy while other clerks keep writing.

A copy without personal data (``without_pii``: the moment it is made) is first a full copy in a temporary file
beside the ledger, which already holds all of it; that copy is redacted (``store.redacted``) and written afresh
with ``VACUUM INTO`` to the destination's temporary file, so no deleted page and no journal of the full data ever
reaches the destination's folder (a USB stick, a mail's attachment)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path

from wenzheng_cli.files import _temp_beside, atomic_create, atomic_replace
from wenzheng_cli.store.redacted import redact


def backup_to(conn: sqlite3.Connection, dest: Path, *, without_pii: str | None = None) -> None:
    """Copy the ledger to ``dest`` atomically (``files.atomic_replace``), checked before it replaces anything."""
    with atomic_replace(dest) as temp:
        _write(conn, temp, without_pii)


def backup_new(conn: sqlite3.Connection, names: Iterable[Path], *, without_pii: str | None = None) -> Path:
    """Copy the ledger to the first of ``names`` that does not exist yet (``files.atomic_create``)."""
    with atomic_create(names) as created:
        _write(conn, created.temp, without_pii)
    assert created.path is not None
    return created.path


def _write(conn: sqlite3.Connection, temp: Path, without_pii: str | None) -> None:
    if without_pii is None:
        _copy(conn, temp)
        return
    ledger = Path(conn.execute("PRAGMA database_list").fetchone()[2])
    # Named, locked and swept like every temporary file (a killed run's is removed by the next backup or check).
    with _temp_beside(ledger.parent / f"{ledger.name}.without-pii") as full:
        work = sqlite3.connect(full, isolation_level=None)
        try:
            conn.backup(work, pages=1024)
            work.execute("PRAGMA journal_mode = OFF")  # a scratch file: on any failure it is removed whole
            redact(work, without_pii)
            work.execute("VACUUM INTO ?", (str(temp),))
        finally:
            work.close()
    _checked(temp)


def _copy(conn: sqlite3.Connection, temp: Path) -> None:
    target = sqlite3.connect(temp)
    try:
        # Pages in steps, so writers are not shut out for long; a write in between restarts the copy of the
        # changed pages, and the result is the state at one moment.
        conn.backup(target, pages=1024)
    finally:
        target.close()
    _checked(temp)


def _checked(temp: Path) -> None:
    """The copy as a ledger on its own (rollback journal, not WAL), whole by SQLite's own check."""
    target = sqlite3.connect(temp)
    try:
        target.execute("PRAGMA journal_mode = DELETE")
        ok = target.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        target.close()
    if ok != "ok":
        raise sqlite3.DatabaseError(f"backup copy failed its integrity check: {ok}")
