"""The reads behind the weekly 台账 and the monthly 通报: set-based, one query per part, no per-case queries.

Times are ledger text (``2026-11-17T09:30:00+08:00``), which sorts as time. A case's state at a moment T is
its ``cases`` row when it has no event after T (the row is the fold of all its events); only cases with events
after T need their events folded again, and ``events_case_at`` finds them by one index probe each.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any

from wenzheng_cli.domain.models import CASE_FIELDS
from wenzheng_cli.store.cases import _EVENT_COLUMNS, _case, _event

GROUP_COLUMNS = ("community", "unit", "category", "channel")
_OPEN = "('registered', 'assigned', 'claimed', 'resolved')"
_UNRESOLVED = "('assigned', 'claimed')"
_SKIPPED = "('note', 'supervise')"  # change no figure of the monthly report

# The event fields the monthly fold reads (domain.metrics.Step), pulled out of the payload by SQLite.
_STEP = (
    "e.action, e.at,"
    " json_extract(e.payload, '$.due_at'), json_extract(e.payload, '$.level'),"
    " json_extract(e.payload, '$.unit'), json_extract(e.payload, '$.handler'),"
    " json_extract(e.payload, '$.feedback'), json_extract(e.payload, '$.rating'),"
    " json_extract(e.payload, '$.effect'), json_extract(e.payload, '$.on_site') IS NOT NULL"
)
# Per case: pk, the static group keys, difficulty, activity; then the step.
_HEAD = "c.pk, c.community, c.category, c.channel, c.difficulty, c.activity_id"
HEAD_WIDTH = 6

_MOVED = "EXISTS (SELECT 1 FROM events m WHERE m.case_id = c.id AND m.at > :as_of)"


def cohort_steps(conn: sqlite3.Connection, start: str, end: str, as_of: str) -> Iterator[tuple[Any, ...]]:
    """The events up to ``as_of`` of the cases received in [start, end], grouped by case, in recorded order."""
    sql = (
        f"SELECT {_HEAD}, {_STEP} FROM cases c JOIN events e ON e.case_id = c.id"
        f" WHERE c.received_at BETWEEN :start AND :end AND e.at <= :as_of AND e.action NOT IN {_SKIPPED}"
        " ORDER BY c.received_at, c.pk, e.seq"
    )
    return conn.execute(sql, {"start": start, "end": min(end, as_of), "as_of": as_of})


def overdue_settled(conn: sqlite3.Connection, as_of: str, by: str) -> dict[str | None, int]:
    """Overdue at ``as_of`` among the cases untouched since: their row is their state then. Count by group."""
    key = _group_column(by)
    sql = (
        f"SELECT c.{key}, COUNT(*) FROM cases c WHERE c.status IN {_UNRESOLVED} AND c.due_at < :as_of"
        f" AND c.received_at <= :as_of AND NOT {_MOVED} GROUP BY c.{key}"
    )
    return {row[0]: row[1] for row in conn.execute(sql, {"as_of": as_of})}


def _open_then(received_op: str) -> str:
    """Cases possibly open at :as_of, received ``received_op`` the bound: open now, or closed/withdrawn later.

    Closing and withdrawing are final, so a case closed or withdrawn by then is not open then."""
    return (
        f"SELECT id FROM cases WHERE status IN {_OPEN} AND received_at {received_op}"
        f" UNION SELECT id FROM cases WHERE closed_at > :as_of AND received_at {received_op}"
        f" UNION SELECT id FROM cases WHERE withdrawn_at > :as_of AND received_at {received_op}"
    )


def moved_open_steps(conn: sqlite3.Connection, as_of: str) -> Iterator[tuple[Any, ...]]:
    """Events up to ``as_of`` of the cases that may have been open then and have changed since."""
    sql = (
        f"WITH cand(id) AS ({_open_then('<= :as_of')})"
        f" SELECT {_HEAD}, {_STEP} FROM cand JOIN cases c ON c.id = cand.id JOIN events e ON e.case_id = c.id"
        f" WHERE {_MOVED} AND e.at <= :as_of AND e.action NOT IN {_SKIPPED}"
        " ORDER BY c.pk, e.seq"
    )
    return conn.execute(sql, {"as_of": as_of})


def activities_between(conn: sqlite3.Connection, start: str, end: str) -> list[tuple[int, str, str | None]]:
    """(id, kind, community) of the activities held in [start, end]."""
    rows = conn.execute(
        "SELECT id, kind, community FROM activities WHERE at BETWEEN ? AND ? ORDER BY at, id", (start, end)
    )
    return [(row[0], row[1], row[2]) for row in rows]


# --- weekly ------------------------------------------------------------------------------------------------

_COLUMNS = ", ".join(f"c.{name}" for name in CASE_FIELDS)


def week_cases(conn: sqlite3.Connection, start: str, end: str) -> list[tuple[Any, ...]]:
    """Every case the week's 台账 may list, as (Case, resolved in the week, closed in the week, changed since).

    Received in the week; resolved (办结, 现场办结 included) or closed (销账) in it; or received before it and
    possibly still open at its end. "Changed since": it has events after the week, so its row is not its state
    at the week's end and its events must be folded up to then."""
    sql = f"""
        WITH wk AS (
            SELECT case_id,
                   MAX(action = 'resolve' OR (action = 'intake'
                       AND json_extract(payload, '$.on_site') IS NOT NULL)) AS resolved_in,
                   MAX(action = 'revisit' AND json_extract(payload, '$.effect') = 'closed') AS closed_in
            FROM events
            WHERE at BETWEEN :start AND :as_of AND action IN ('intake', 'resolve', 'revisit')
            GROUP BY case_id
        ),
        cand(id) AS (
            SELECT id FROM cases WHERE received_at BETWEEN :start AND :as_of
            UNION SELECT case_id FROM wk
            UNION {_open_then("< :start")}
        )
        SELECT {_COLUMNS}, COALESCE(wk.resolved_in, 0), COALESCE(wk.closed_in, 0), {_MOVED}
        FROM cand JOIN cases c ON c.id = cand.id LEFT JOIN wk ON wk.case_id = cand.id
        ORDER BY c.received_at, c.pk
    """
    width = len(CASE_FIELDS)
    rows = conn.execute(sql, {"start": start, "as_of": end})
    return [
        (_case(row[:width]), bool(row[width]), bool(row[width + 1]), bool(row[width + 2])) for row in rows
    ]


def events_until(conn: sqlite3.Connection, case_ids: Sequence[str], until: str) -> Iterator[Any]:
    """The events up to ``until`` of the given cases, grouped by case, in recorded order (one query)."""
    import json

    sql = (
        f"SELECT {_EVENT_COLUMNS} FROM events WHERE case_id IN (SELECT value FROM json_each(?))"
        " AND at <= ? ORDER BY case_id, seq"
    )
    for row in conn.execute(sql, (json.dumps(list(case_ids)), until)):
        yield _event(row)


def _group_column(by: str) -> str:
    if by not in GROUP_COLUMNS:
        raise ValueError(f"unknown grouping {by!r}")
    return by
