"""SQLite's own checks of the ledger file."""

from __future__ import annotations

import sqlite3


def integrity_errors(conn: sqlite3.Connection) -> list[str]:
    rows = [row[0] for row in conn.execute("PRAGMA integrity_check")]
    return [] if rows == ["ok"] else rows


def foreign_key_errors(conn: sqlite3.Connection) -> list[tuple[str, int, str]]:
    return [(row[0], row[1], row[2]) for row in conn.execute("PRAGMA foreign_key_check")]
