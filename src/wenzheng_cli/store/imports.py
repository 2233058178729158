"""Bulk writes for imports (``executemany`` per batch) and the possible-duplicate flags."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

from wenzheng_cli.store.cases import OPEN_SQL
from wenzheng_cli.store.schema import PHONE_KEY_SQL

_EVENT_INSERT = "INSERT INTO events (id, case_id, action, at, recorded_at, actor, payload, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
_CHUNK = 500  # parameters per IN (...) query


def _null(value: None) -> None:
    return None


def tune_for_bulk(conn: sqlite3.Connection) -> None:
    """A larger page cache for the one long transaction of an import (64 MB; the default is 2 MB).

    And an adapter for None: without one, Python's sqlite3 module looks for ``__conform__`` on every None
    it binds and fails with an exception caught inside — about half a microsecond per empty cell, a third
    of the cost of inserting an imported case. Returning None binds NULL exactly as before.
    """
    conn.execute("PRAGMA cache_size = -65536")
    sqlite3.register_adapter(type(None), _null)


def max_case_pk(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT COALESCE(MAX(pk), 0) FROM cases").fetchone()[0])


def insert_cases(conn: sqlite3.Connection, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Rows of values for ``columns``; the other columns take their defaults."""
    conn.executemany(
        f"INSERT INTO cases ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})", rows
    )


def insert_events(conn: sqlite3.Connection, rows: Sequence[Sequence[Any]]) -> None:
    """Rows of (id, case_id, action, at, recorded_at, actor, payload JSON, origin), in recorded order."""
    conn.executemany(_EVENT_INSERT, rows)


def find_source_keys(conn: sqlite3.Connection, keys: Sequence[str]) -> dict[str, int]:
    """Which of ``keys`` the ledger holds already: source key → the case's pk."""
    found: dict[str, int] = {}
    unique = list(dict.fromkeys(keys))
    for start in range(0, len(unique), _CHUNK):
        chunk = unique[start : start + _CHUNK]
        sql = f"SELECT source_key, pk FROM cases WHERE source_key IN ({', '.join('?' for _ in chunk)})"
        found.update(conn.execute(sql, chunk).fetchall())
    return found


def case_values(conn: sqlite3.Connection, pk: int, columns: Sequence[str]) -> tuple[Any, ...] | None:
    """``columns`` of the case ``pk``, in that order."""
    row = conn.execute(f"SELECT {', '.join(columns)} FROM cases WHERE pk = ?", (pk,)).fetchone()
    return tuple(row) if row is not None else None


def number_of(conn: sqlite3.Connection, pk: int) -> str | None:
    row = conn.execute("SELECT number FROM cases WHERE pk = ?", (pk,)).fetchone()
    return row[0] if row else None


def open_texts_between(
    conn: sqlite3.Connection, community: str | None, category: str | None, start: str, end: str, limit: int
) -> list[tuple[str, str, str]]:
    """Open cases of one community and category received between ``start`` and ``end`` (ISO text), the
    latest ``limit`` of them: (id, received_at, description), oldest first. Read by the received-time index.
    """
    rows = conn.execute(
        # The unary + keeps the planner on the received-time index: a window is a few days of cases, while a
        # community's open cases may be tens of thousands.
        f"SELECT id, received_at, description FROM cases WHERE received_at BETWEEN ? AND ?"
        f" AND +community IS ? AND +category IS ? AND +status IN {OPEN_SQL} ORDER BY received_at DESC LIMIT ?",
        (start, end, community, category, limit),
    ).fetchall()
    return list(reversed(rows))


def insert_flags(conn: sqlite3.Connection, rows: Iterable[tuple[str, str, str, float, str]]) -> None:
    """(case_id, twin_id, reason, score, flagged_at); a pair flagged already keeps its first reason."""
    conn.executemany(
        "INSERT OR IGNORE INTO duplicate_flags (case_id, twin_id, reason, score, flagged_at) VALUES (?, ?, ?, ?, ?)",
        rows,
    )


def flag_same_contact(conn: sqlite3.Connection, after_pk: int, window_days: float, flagged_at: str) -> None:
    """Flag each case added after ``after_pk`` whose phone, or address and category, an earlier open case
    within ``window_days`` shares. Phones compare as digits (spaces, dashes, brackets and +86 aside); those
    that are masked (``138****5678``) or too short to tell are skipped.
    """
    window = {"after": after_pk, "window": window_days, "at": flagged_at}
    conn.execute(
        f"""
        INSERT OR IGNORE INTO duplicate_flags (case_id, twin_id, reason, score, flagged_at)
        SELECT case_id, twin_id, 'phone', 100, :at FROM (
            SELECT n.id AS case_id, (
                SELECT o.id FROM cases o
                WHERE {PHONE_KEY_SQL.format(col="o.phone")} = {PHONE_KEY_SQL.format(col="n.phone")}
                  AND o.phone IS NOT NULL AND o.pk < n.pk AND o.status IN {OPEN_SQL}
                  AND abs(julianday(o.received_at) - julianday(n.received_at)) <= :window
                ORDER BY o.pk DESC LIMIT 1
            ) AS twin_id
            FROM cases n
            WHERE n.pk > :after AND n.phone IS NOT NULL AND length(n.phone) >= 7 AND instr(n.phone, '*') = 0
        ) WHERE twin_id IS NOT NULL
        """,
        window,
    )
    conn.execute(
        f"""
        INSERT OR IGNORE INTO duplicate_flags (case_id, twin_id, reason, score, flagged_at)
        SELECT case_id, twin_id, 'address', 100, :at FROM (
            SELECT n.id AS case_id, (
                SELECT o.id FROM cases o
                WHERE o.address = n.address AND o.category = n.category AND o.pk < n.pk
                  AND o.status IN {OPEN_SQL}
                  AND abs(julianday(o.received_at) - julianday(n.received_at)) <= :window
                ORDER BY o.pk DESC LIMIT 1
            ) AS twin_id
            FROM cases n
            WHERE n.pk > :after AND n.address IS NOT NULL AND n.category IS NOT NULL
        ) WHERE twin_id IS NOT NULL
        """,
        window,
    )


def count_flagged_after(conn: sqlite3.Connection, after_pk: int) -> int:
    row = conn.execute(
        "SELECT COUNT(DISTINCT f.case_id) FROM duplicate_flags f JOIN cases c ON c.id = f.case_id WHERE c.pk > ?",
        (after_pk,),
    ).fetchone()
    return int(row[0])


def twins_of(conn: sqlite3.Connection, case_ids: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    """For each case, its possible twins: [{number, reason, score, status}] (either side of the flag)."""
    found: dict[str, list[dict[str, Any]]] = {}
    for start in range(0, len(case_ids), _CHUNK):
        chunk = list(case_ids[start : start + _CHUNK])
        marks = ", ".join("?" for _ in chunk)
        rows = conn.execute(
            f"""
            SELECT f.case_id, t.number, t.status, f.reason, f.score FROM duplicate_flags f
            JOIN cases t ON t.id = f.twin_id WHERE f.case_id IN ({marks})
            UNION ALL
            SELECT f.twin_id, t.number, t.status, f.reason, f.score FROM duplicate_flags f
            JOIN cases t ON t.id = f.case_id WHERE f.twin_id IN ({marks})
            ORDER BY 2
            """,
            chunk + chunk,
        )
        for case_id, number, status, reason, score in rows:
            found.setdefault(case_id, []).append(
                {"number": number, "status": status, "reason": reason, "score": round(float(score), 1)}
            )
    return found
