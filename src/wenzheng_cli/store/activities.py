"""问政 activities (问政日, 议事会, 走访): the sessions cases are linked to."""

from __future__ import annotations

import sqlite3
from typing import Any


def insert_activity(conn: sqlite3.Connection, values: dict[str, Any]) -> int:
    cur = conn.execute(
        "INSERT INTO activities (uid, title, kind, at, community, recorded_at, actor)"
        " VALUES (:uid, :title, :kind, :at, :community, :recorded_at, :actor)",
        values,
    )
    return int(cur.lastrowid or 0)


_ACTIVITY_COLUMNS = "id, uid, title, kind, at, community, recorded_at, actor"


def get_activity(conn: sqlite3.Connection, activity_id: int) -> dict[str, Any] | None:
    """The activity of that id, or ``None`` (also for a number beyond SQLite's integers: no activity has it)."""
    if not 0 < activity_id < 2**63:
        return None
    row = conn.execute(f"SELECT {_ACTIVITY_COLUMNS} FROM activities WHERE id = ?", (activity_id,)).fetchone()
    return dict(zip(_ACTIVITY_COLUMNS.split(", "), row, strict=True)) if row else None


def list_activities(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    rows = conn.execute(
        f"SELECT {_ACTIVITY_COLUMNS}, (SELECT COUNT(*) FROM cases c WHERE c.activity_id = a.id)"
        " FROM activities a ORDER BY at, id"
    )
    names = [*_ACTIVITY_COLUMNS.split(", "), "items"]
    return [dict(zip(names, row, strict=True)) for row in rows]
