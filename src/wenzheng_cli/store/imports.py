"""What imports read and write besides the staged rows: known source keys, the cases a new row may repeat,
the possible-duplicate flags."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

from wenzheng_cli.domain.models import CASE_FIELDS, Case, Status
from wenzheng_cli.domain.source_keys import is_alternative_of
from wenzheng_cli.store.cases import OPEN_SQL

_COLUMNS = ", ".join(CASE_FIELDS)
_CHUNK = 500  # parameters per IN (...) query


def _null(value: None) -> None:
    return None


def tune_for_bulk(conn: sqlite3.Connection) -> None:
    """A larger page cache for the one long transaction of an import (16 MB; SQLite's default is 2 MB; a larger
    one was no faster, and the page cache is most of what an import holds in memory).

    And an adapter for None: without one, Python's sqlite3 module looks for ``__conform__`` on every None
    it binds and fails with an exception caught inside, on every empty cell: a good part of the cost of
    inserting an imported case. Returning None binds NULL exactly as before.
    """
    conn.execute("PRAGMA cache_size = -16384")
    sqlite3.register_adapter(type(None), _null)


def next_seqs(conn: sqlite3.Connection, office: str, years: Sequence[int]) -> dict[int, int]:
    """The last sequence number used so far in each of ``years``, 0 for a year without cases."""
    return {
        year: int(
            conn.execute(
                "SELECT COALESCE(MAX(seq), 0) FROM cases WHERE office = ? AND year = ?", (office, year)
            ).fetchone()[0]
        )
        for year in years
    }


def cases_by_keys(conn: sqlite3.Connection, keys: Sequence[str]) -> dict[str, list[Case]]:
    """For each of ``keys`` the ledger holds, the cases of that key and of its alternatives (``key#…``), in the
    order they were added."""
    found: dict[str, list[Case]] = {}
    unique = list(dict.fromkeys(keys))
    for start in range(0, len(unique), _CHUNK):
        chunk = unique[start : start + _CHUNK]
        sql = f"SELECT source_key FROM cases WHERE source_key IN ({', '.join('?' for _ in chunk)})"
        for (key,) in conn.execute(sql, chunk).fetchall():
            rows = conn.execute(
                f"SELECT {_COLUMNS} FROM cases WHERE source_key = ? OR (source_key > ? AND source_key < ?)"
                " ORDER BY pk",
                (key, key + "#", key + "$"),
            )
            cases = [Case.from_row(dict(zip(CASE_FIELDS, row, strict=True))) for row in rows]
            # Only ``key`` and its own alternatives: ``a:1#2`` is a key of its own, not one of ``a:1``.
            found[key] = [c for c in cases if is_alternative_of(c.source_key or "", key)]
    return found


def has_note(conn: sqlite3.Connection, case_id: str, text: str) -> bool:
    """Whether the case has a note (进展) with exactly this text already."""
    row = conn.execute(
        "SELECT 1 FROM events WHERE case_id = ? AND action = 'note' AND json_extract(payload, '$.text') = ?"
        " LIMIT 1",
        (case_id, text),
    ).fetchone()
    return row is not None


def imported_steps(conn: sqlite3.Connection, case_id: str) -> list[tuple[str, str, dict[str, Any]]]:
    """(action, business time, payload) of every assign and resolve an import recorded on the case, in the
    order recorded — those undone since included: the events stay, an undo only revokes them."""
    rows = conn.execute(
        "SELECT action, at, payload FROM events WHERE case_id = ? AND origin = 'import'"
        " AND action IN ('assign', 'resolve') ORDER BY seq",
        (case_id,),
    ).fetchall()
    return [(action, at, json.loads(payload) if payload else {}) for action, at, payload in rows]


def amended_fields(conn: sqlite3.Connection, case_id: str, names: Sequence[str]) -> list[tuple[str, Any]]:
    """(field, new value) of every change to one of ``names`` an amend recorded on the case, by a clerk or an
    import, undone since or not, in the order recorded."""
    marks = ", ".join("?" for _ in names)
    rows = conn.execute(
        "SELECT c.key, json_extract(c.value, '$.new') FROM events e,"
        " json_each(CASE WHEN json_valid(e.payload) THEN e.payload ELSE '{}' END, '$.changes') c"
        f" WHERE e.case_id = ? AND e.action = 'amend' AND c.key IN ({marks})"
        " ORDER BY e.seq",
        (case_id, *names),
    ).fetchall()
    return [(str(name), new) for name, new in rows]


def corrected_fields(conn: sqlite3.Connection, case_ids: Sequence[str]) -> dict[str, set[str]]:
    """For each of the cases a correction (an amend not made by an import) touched, the fields it changed."""
    found: dict[str, set[str]] = {}
    for start in range(0, len(case_ids), _CHUNK):
        chunk = list(case_ids[start : start + _CHUNK])
        rows = conn.execute(
            "SELECT DISTINCT e.case_id, c.key FROM events e,"
            " json_each(CASE WHEN json_valid(e.payload) THEN e.payload ELSE '{}' END, '$.changes') c"
            f" WHERE e.case_id IN ({', '.join('?' for _ in chunk)}) AND e.action = 'amend'"
            " AND e.origin != 'import'",
            chunk,
        )
        for case_id, name in rows:
            found.setdefault(case_id, set()).add(str(name))
    return found


def window_cases(
    conn: sqlite3.Connection, since: str, until: str, closed_after: str
) -> list[tuple[Any, ...]]:
    """(id, received_at, description, phone, address, category, closed_at) of the cases received in
    [since, until) that may be repeated: open, or closed after ``closed_after``; never withdrawn. Read through
    the received-time index, in received order."""
    return conn.execute(
        f"SELECT id, received_at, description, phone, address, category, closed_at FROM cases"
        f" WHERE received_at >= ? AND received_at < ?"
        f" AND (+status IN {OPEN_SQL} OR (+status = '{Status.CLOSED.value}' AND closed_at >= ?))"
        f" ORDER BY received_at",
        (since, until, closed_after),
    ).fetchall()


def insert_flags(conn: sqlite3.Connection, rows: Iterable[tuple[str, str, str, float, str]]) -> None:
    """(case_id, twin_id, reason, score, flagged_at); a pair flagged already keeps its first reason."""
    conn.executemany(
        "INSERT OR IGNORE INTO duplicate_flags (case_id, twin_id, reason, score, flagged_at) VALUES (?, ?, ?, ?, ?)",
        rows,
    )


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
