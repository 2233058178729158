"""SQLite's own checks of the ledger file."""

from __future__ import annotations

import sqlite3


def integrity_errors(conn: sqlite3.Connection) -> list[str]:
    rows = [row[0] for row in conn.execute("PRAGMA integrity_check")]
    return [] if rows == ["ok"] else rows


def foreign_key_errors(conn: sqlite3.Connection) -> list[tuple[str, int, str]]:
    return [(row[0], row[1], row[2]) for row in conn.execute("PRAGMA foreign_key_check")]


TEXT_TABLES = (("cases", "id"), ("events", "case_id"), ("settings", "NULL"), ("activities", "NULL"))


def undecodable_rows(conn: sqlite3.Connection) -> list[tuple[str, int, str | None, str | None]]:
    """(table, rowid, case id, case number) of every row holding text that is not valid UTF-8 — written by
    another program or damaged on disk — which SQLite stores as it comes and Python cannot read."""
    found: list[tuple[str, int, str | None, str | None]] = []
    factory = conn.text_factory
    conn.text_factory = bytes
    try:
        for table, key in TEXT_TABLES:
            for row in conn.execute(f"SELECT rowid, {key}, * FROM {table}"):
                if any(isinstance(value, bytes) and not _utf8(value) for value in row[2:]):
                    case_id = row[1].decode("utf-8", "replace") if isinstance(row[1], bytes) else None
                    found.append((table, row[0], case_id, None))
        numbers = {}
        for _, _, case_id, _ in found:
            if case_id is not None and case_id not in numbers:
                hit = conn.execute("SELECT number FROM cases WHERE id = ?", (case_id,)).fetchone()
                numbers[case_id] = hit[0].decode("utf-8", "replace") if hit else None
    finally:
        conn.text_factory = factory
    return [(table, rowid, case_id, numbers.get(case_id or "")) for table, rowid, case_id, _ in found]


def _utf8(value: bytes) -> bool:
    try:
        value.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
