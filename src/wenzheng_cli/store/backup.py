"""Online backup with SQLite's backup API: a consistent copy while other clerks keep writing."""

from __future__ import annotations

import errno
import os
import sqlite3
import tempfile
from collections.abc import Iterable
from pathlib import Path


def backup_to(conn: sqlite3.Connection, dest: Path) -> None:
    """Copy the ledger to ``dest`` atomically: a 0600 temp file in the same folder, then a rename."""
    tmp = _copy(conn, dest.parent, dest.name)
    try:
        os.replace(tmp, dest)
    finally:
        if tmp.exists():
            tmp.unlink()


def backup_new(conn: sqlite3.Connection, names: Iterable[Path]) -> Path:
    """Copy the ledger to the first of ``names`` (all in one folder) that does not exist yet, and return it.

    The name is taken with a hard link, which fails rather than replace a file another backup made in the
    meantime; so two backups into one folder in the same second both land, under different names."""
    candidates = iter(names)
    first = next(candidates)
    tmp = _copy(conn, first.parent, first.name)
    try:
        for dest in (first, *candidates):
            try:
                os.link(tmp, dest)
            except FileExistsError:
                continue
            except OSError as exc:
                if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EXDEV, errno.EMLINK):
                    raise
                if dest.exists():  # a file system without hard links: check, then rename
                    continue
                os.replace(tmp, dest)
            return dest
        raise FileExistsError(errno.EEXIST, "no free name", str(first))
    finally:
        if tmp.exists():
            tmp.unlink()


def _copy(conn: sqlite3.Connection, folder: Path, name: str) -> Path:
    """The checked, synced copy as a 0600 temp file in ``folder`` (the caller renames or removes it)."""
    fd, tmp_name = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
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
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp
