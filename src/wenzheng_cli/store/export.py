"""The SQL of ``export``: the ledger's cases, events and activities read in one read transaction, a batch of
rows at a time.

``read_snapshot`` holds one read transaction open while the caller reads the three tables one after another:
what a clerk records meanwhile (WAL lets them) is in none of them, so the files agree with each other as the
ledger stood at one moment. Each table is read by one statement whose cursor hands out ``BATCH`` rows at a
time, so memory stays flat however large the ledger.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

BATCH = 10_000

# The columns of ``cases`` that are exported, in order; the activity's global id (``activity_uid``) is read
# through its local one.
CASE_COLUMNS = (
    "id",
    "number",
    "office",
    "year",
    "seq",
    "status",
    "received_at",
    "description",
    "title",
    "channel",
    "category",
    "nature",
    "resident",
    "phone",
    "address",
    "community",
    "grid",
    "handler",
    "unit",
    "level",
    "due_at",
    "original_due_at",
    "difficulty",
    "round",
    "supervised",
    "listed",
    "assigned_at",
    "claimed_at",
    "resolved_at",
    "resolved_by",
    "outcome",
    "result",
    "feedback",
    "rating",
    "revisited_at",
    "closed_at",
    "withdrawn_at",
    "duplicate_of",
    "source_key",
    "extra",
    "category_suggested",
    "history",
    "updated_at",
)
EVENT_COLUMNS = ("seq", "id", "case_id", "action", "at", "recorded_at", "actor", "origin")
ACTIVITY_COLUMNS = ("id", "uid", "title", "kind", "at", "community", "recorded_at", "actor")


@contextmanager
def read_snapshot(conn: sqlite3.Connection) -> Iterator[None]:
    """One read transaction around the block: every read in it sees the ledger as it stood at its first read."""
    conn.execute("BEGIN DEFERRED")
    try:
        yield
    finally:
        conn.execute("ROLLBACK")  # nothing was written: ending the read is all there is to do


def _batches(cursor: sqlite3.Cursor) -> Iterator[list[Any]]:
    while True:
        rows = cursor.fetchmany(BATCH)
        if not rows:
            return
        yield rows


def case_rows(conn: sqlite3.Connection) -> Iterator[list[Any]]:
    """Batches of ``(*CASE_COLUMNS, activity_uid)`` in the order the cases were entered."""
    columns = ", ".join(f"c.{name}" for name in CASE_COLUMNS)
    return _batches(
        conn.execute(
            f"SELECT {columns}, a.uid FROM cases c LEFT JOIN activities a ON a.id = c.activity_id ORDER BY c.pk"
        )
    )


# The ids of the events an undo takes back (an undo naming none takes none back).
REVOKED_IDS = (
    "SELECT json_extract(u.payload, '$.revokes') FROM events u"
    " WHERE u.action = 'undo' AND json_extract(u.payload, '$.revokes') IS NOT NULL"
)


def revoked_sql(alias: str) -> str:
    """Whether a later undo takes the event ``alias`` back (the reports leave it out, and the undo with it)."""
    return f"{alias}.id IN ({REVOKED_IDS})"


def event_rows(conn: sqlite3.Connection) -> Iterator[list[Any]]:
    """Batches of ``(*EVENT_COLUMNS, revoked, payload)`` in recorded order; ``revoked``: a later undo takes
    the event back (the reports leave it out, and the undo with it)."""
    columns = ", ".join(f"e.{name}" for name in EVENT_COLUMNS)
    return _batches(
        conn.execute(
            f"""
            SELECT {columns}, {revoked_sql("e")}, e.payload
            FROM events e ORDER BY e.seq
            """
        )
    )


def activity_rows(conn: sqlite3.Connection) -> Iterator[list[Any]]:
    """Batches of ``ACTIVITY_COLUMNS`` in the order the activities were entered."""
    return _batches(conn.execute(f"SELECT {', '.join(ACTIVITY_COLUMNS)} FROM activities ORDER BY id"))


def count_rows(conn: sqlite3.Connection, tables: Sequence[str] = ("cases", "events", "activities")) -> int:
    """All the rows of ``tables`` (what an export reads)."""
    return sum(int(conn.execute(f"SELECT count(*) FROM {name}").fetchone()[0]) for name in tables)
