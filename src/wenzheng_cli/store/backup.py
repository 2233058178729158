"""Online backup with SQLite's backup API: a consistent copy while other clerks keep writing."""

from __future__ import annotations

import os
import sqlite3
import tempfile
from pathlib import Path


def backup_to(conn: sqlite3.Connection, dest: Path) -> None:
    """Copy the ledger to ``dest`` atomically: a 0600 temp file in the same folder, then a rename."""
    fd, tmp_name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        os.chmod(tmp, 0o600)
        target = sqlite3.connect(tmp)
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
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, dest)
    finally:
        if tmp.exists():
            tmp.unlink()
