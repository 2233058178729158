"""The reads behind the monthly 通报 and the trend (the weekly 台账's are ``store.weekly``, which shares the
pieces of SQL here): set-based, a few queries per report, none per case.

Times are ledger text (``2026-11-17T09:30:00+08:00``), which sorts as time. The state of a case at a moment T
is its ``cases`` row unless it has events after T ("moved"); ``events_at_action`` lists those from the index
alone. Closing and withdrawing are final, so a case with an event after T was open at T.

A month's cohort reads its events by a range of ``seq`` (the events recorded from the first one of the month
to the last one up to the as-of moment), which is one sequential pass over the table instead of an index probe
per event; events typed in later with an earlier ``--at`` are inside the range too, as the range is taken over
business time. (A case's events are never earlier than its intake: the commands refuse an ``--at`` before the
case's previous step.) On a street's ledger, where the roll-up put each community's events after the others',
that range would be the whole table: there the month's events are found by business time and read in ``seq``
order.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from wenzheng_cli.domain.groupings import BY_KEY, HEAD_COLUMNS
from wenzheng_cli.domain.metrics import FACTS_PAYLOAD, NONEMPTY, NOT_STATE_ACTIONS, PRESENCE, SKIPPED_ACTIONS
from wenzheng_cli.domain.models import Action
from wenzheng_cli.store.cases import OPEN_SQL, OVERDUE_SQL


def _actions(names: Iterable[str]) -> str:
    """An SQL list of action names, in the order of ``Action`` (names of no action refused)."""
    wanted = set(names)
    if wanted - {a.value for a in Action}:
        raise ValueError(f"not actions: {sorted(wanted - {a.value for a in Action})}")
    return "(" + ", ".join(f"'{a.value}'" for a in Action if a.value in wanted) + ")"


# Change no figure of the monthly report (domain.metrics.SKIPPED_ACTIONS): notes, and corrections (an amend
# corrects the fields read from the case's row; an undo is honoured by leaving out what it revoked).
_SKIPPED = _actions(SKIPPED_ACTIONS)
_NOT_STATE = _actions(NOT_STATE_ACTIONS)  # … and these change no case's status or due date
# The events an undo took back: they count as never taken (a few among millions, read from events_undo).
_STANDS = "e.id NOT IN (SELECT json_extract(payload, '$.revokes') FROM events WHERE action = 'undo')"
# The cases with events after :as_of, from the ``events_at_action`` range alone (the ``+`` keeps the planner
# from scanning all of ``events_case`` to make them distinct).
_MOVED = "moved(id) AS MATERIALIZED (SELECT DISTINCT +case_id FROM events WHERE at > :as_of)"
# … and of those, the ones received before :start or after :end, but not after :as_of (intake is the event
# of receiving a case).
_OTHERS_MOVED = """others(id) AS MATERIALIZED (
    SELECT +case_id FROM events WHERE at > :as_of
    EXCEPT SELECT +case_id FROM events WHERE at BETWEEN :start AND :end AND action = 'intake'
    EXCEPT SELECT +case_id FROM events WHERE at > :as_of AND action = 'intake')"""


def _fact(name: str, actions: Iterable[str]) -> str:
    """One payload member of the facts, read only for the actions that carry it (``facts_of`` in SQL)."""
    listed = _actions(actions)
    when = f"e.action = {listed[1:-1]}" if len(set(actions)) == 1 else f"e.action IN {listed}"
    if name in PRESENCE:
        return f"{when} AND json_extract(e.payload, '$.{name}') IS NOT NULL"
    if name in NONEMPTY:
        return f"CASE WHEN {when} THEN json_array_length(e.payload, '$.{name}') > 0 END"
    return f"CASE WHEN {when} THEN json_extract(e.payload, '$.{name}') END"


# The event fields the monthly fold reads (domain.metrics.EventFacts), pulled out of the payload by SQLite and
# only for the actions that carry them (domain.metrics.FACTS_PAYLOAD).
_FACTS = ",\n    ".join(["e.action, e.at", *(_fact(name, actions) for name, actions in FACTS_PAYLOAD)])
# A case's head (reports.figures.Head): id, the fields it was received with, difficulty, activity.
_HEAD = ", ".join(f"c.{name}" for name in HEAD_COLUMNS)


def cohort_heads(conn: sqlite3.Connection, start: str, end: str) -> list[tuple[Any, ...]]:
    """The cases received in [start, end], in the order received."""
    sql = f"SELECT {_HEAD} FROM cases c WHERE c.received_at BETWEEN ? AND ? ORDER BY c.received_at, c.pk"
    return conn.execute(sql, (start, end)).fetchall()


# How many times the events of a month the range of ``seq`` they fall in may hold before they are read one by
# one instead (a row read in a range costs a fraction of one found by its ``seq``).
_SPREAD = 3


def cohort_parts(conn: sqlite3.Connection, start: str, end: str, size: int) -> list[tuple[str, str]]:
    """[start, end] cut into spans of received time holding ``size`` cases each (more when many share the
    last time of one), in order: a month of fewer cases is one span."""
    parts: list[tuple[str, str]] = []
    lo = start
    while True:
        row = conn.execute(
            "SELECT received_at FROM cases WHERE received_at BETWEEN ? AND ? ORDER BY received_at LIMIT 1 OFFSET ?",
            (lo, end, size - 1),
        ).fetchone()
        following = None
        if row is not None and row[0] < end:
            sql = "SELECT MIN(received_at) FROM cases WHERE received_at > ? AND received_at <= ?"
            following = conn.execute(sql, (row[0], end)).fetchone()[0]
        if following is None:
            parts.append((lo, end))
            return parts
        parts.append((lo, row[0]))
        lo = following


def cohort_facts(
    conn: sqlite3.Connection, start: str, end: str, as_of: str, *, by_case: bool = False
) -> dict[str, list[tuple[Any, ...]]]:
    """The events up to ``as_of`` of the cases received in [start, end], by case, in recorded order.

    Read by the range of ``seq`` they fall in when the month's events fill most of it (a ledger whose events
    were typed as they happened); otherwise by their own ``seq`` found through ``events_at_action``, in the
    table's order: a street's roll-up adds each community's events after the others', so a month's events lie
    in one stretch per community, spread over the whole table. ``by_case``: case by case through
    ``events_case``, for a part of a month (``cohort_parts``), whose events are mixed with the rest's."""
    if by_case:
        return _facts_by_case(conn, start, end, as_of)
    lo, hi, count = conn.execute(
        "SELECT MIN(seq), MAX(seq), COUNT(*) FROM events WHERE at BETWEEN ? AND ?", (start, as_of)
    ).fetchone()
    if lo is None:
        return {}
    within = (
        "e.seq BETWEEN :lo AND :hi"
        if hi - lo + 1 <= _SPREAD * count
        else "e.seq IN (SELECT seq FROM events WHERE at BETWEEN :start AND :as_of)"
    )
    sql = (
        f"SELECT e.case_id, {_FACTS} FROM events e WHERE {within}"
        f" AND e.at BETWEEN :start AND :as_of AND e.action NOT IN {_SKIPPED} AND {_STANDS}"
        " AND +e.case_id IN (SELECT id FROM cases WHERE received_at BETWEEN :start AND :end)"
        " ORDER BY e.seq"
    )
    params = {"lo": lo, "hi": hi, "start": start, "end": end, "as_of": as_of}
    return _by_case(conn.execute(sql, params))


def _facts_by_case(
    conn: sqlite3.Connection, start: str, end: str, as_of: str
) -> dict[str, list[tuple[Any, ...]]]:
    sql = (
        f"SELECT e.case_id, {_FACTS} FROM cases c CROSS JOIN events e ON e.case_id = c.id"
        " WHERE c.received_at BETWEEN :start AND :end AND e.at BETWEEN :start AND :as_of"
        f" AND e.action NOT IN {_SKIPPED} AND {_STANDS}"
    )
    return _by_case(conn.execute(sql, {"start": start, "end": end, "as_of": as_of}))


def _by_case(rows: Iterable[tuple[Any, ...]]) -> dict[str, list[tuple[Any, ...]]]:
    """(case id, facts…) rows as each case's facts, in the rows' order."""
    facts: dict[str, list[tuple[Any, ...]]] = {}
    for row in rows:
        found = facts.get(row[0])
        if found is None:
            facts[row[0]] = [row[1:]]
        else:
            found.append(row[1:])
    return facts


def events_after(conn: sqlite3.Connection, moment: str, cap: int) -> int:
    """How many events have a business time after ``moment``, counting no further than ``cap``."""
    sql = "SELECT COUNT(*) FROM (SELECT 1 FROM events WHERE at > ? LIMIT ?)"
    return int(conn.execute(sql, (moment, cap)).fetchone()[0])


def others_overdue_settled(
    conn: sqlite3.Connection, start: str, end: str, as_of: str, by: str
) -> dict[str | None, int]:
    """Overdue at ``as_of``, by group, among the cases received outside [start, end] with no event since:
    their row is their state then. (Cost grows with the events since ``as_of``: for recent moments.)"""
    key = _group_sql(by)
    sql = (
        f"WITH {_OTHERS_MOVED} SELECT {key}, COUNT(*) FROM cases c"
        f" WHERE {OVERDUE_SQL.replace('?', ':as_of')} AND +c.received_at <= :as_of"
        " AND NOT (c.received_at BETWEEN :start AND :end) AND c.id NOT IN others"
        f" GROUP BY {key}"
    )
    return {row[0]: row[1] for row in conn.execute(sql, {"start": start, "end": end, "as_of": as_of})}


def others_moved_facts(
    conn: sqlite3.Connection, start: str, end: str, as_of: str
) -> Iterator[tuple[Any, ...]]:
    """(head…, event facts…) up to ``as_of`` of the cases received outside [start, end] that changed after it, by
    case, in recorded order. (Cost grows with the events since ``as_of``: for recent moments.)"""
    sql = (
        f"WITH {_OTHERS_MOVED} SELECT {_HEAD}, {_FACTS}"
        " FROM others CROSS JOIN cases c ON c.id = others.id JOIN events e ON e.case_id = c.id"
        f" WHERE e.at <= :as_of AND e.action NOT IN {_NOT_STATE} AND {_STANDS} ORDER BY c.pk, e.seq"
    )
    return conn.execute(sql, {"start": start, "end": end, "as_of": as_of})


def others_open_facts(
    conn: sqlite3.Connection, months: Sequence[tuple[str, str, str]]
) -> Iterator[tuple[Any, ...]]:
    """(head…, received_at, event facts…) up to the last moment of the cases that may have been open at the moment of
    one of ``months`` ((start, end, moment), in order) and were received outside that month: by case, in
    recorded order, read once for all the months. (Cost grows with the cases open then and now: for moments
    long past.) The months either are one, or each ends at its moment (the trend's)."""
    if len(months) > 1 and any(end != moment for _, end, moment in months):
        raise ValueError("several months are read together only up to their ends")
    # Open now, or closed (withdrawn) after a month's moment: a case closed between the moments of months j
    # and j + 1 may have been open at those up to j, and is outside one of their cohorts if it is outside j's
    # (the starts only grow), so each closing is looked up once, from the (closed_at, received_at) index.
    moments = [moment for _, _, moment in months]
    segments = [
        [start, end, moment, moments[j + 1] if j + 1 < len(months) else None]
        for j, (start, end, moment) in enumerate(months)
    ]
    outside = "(c.received_at < seg.start OR (c.received_at > seg.end AND c.received_at <= seg.moment))"
    ended = (
        "SELECT c.id FROM seg CROSS JOIN cases c WHERE c.{column} > seg.moment"
        " AND c.{column} <= COALESCE(seg.until, '9999') AND " + outside
    )
    sql = f"""
        WITH seg AS MATERIALIZED (
            SELECT json_extract(value, '$[0]') AS start, json_extract(value, '$[1]') AS end,
                   json_extract(value, '$[2]') AS moment, json_extract(value, '$[3]') AS until
            FROM json_each(:segments)
        ),
        cand(id) AS MATERIALIZED (
            SELECT id FROM cases WHERE status IN {OPEN_SQL} AND received_at <= :last
            UNION {ended.format(column="closed_at")}
            UNION {ended.format(column="withdrawn_at")}
        )
        SELECT {_HEAD}, c.received_at, {_FACTS}
        FROM cand CROSS JOIN cases c ON c.id = cand.id JOIN events e ON e.case_id = c.id
        WHERE e.at <= :last AND e.action NOT IN {_NOT_STATE} AND {_STANDS} ORDER BY c.pk, e.seq
    """
    return conn.execute(sql, {"segments": json.dumps(segments), "last": max(moments)})


# The office of a rolled-up activity found through ``rollup_activities_id`` (m018), one probe each.
ACTIVITIES_SQL = (
    "SELECT a.id, a.kind, a.community, COALESCE(r.office, ?) FROM activities a"
    " LEFT JOIN rollup_activities r ON r.id = a.id WHERE a.at BETWEEN ? AND ? ORDER BY a.at, a.id"
)


def activities_between(
    conn: sqlite3.Connection, start: str, end: str, own: str
) -> list[tuple[int, str, str | None, str]]:
    """(id, kind, community, office) of the activities held in [start, end]: the office whose ledger a roll-up
    brought it from, else this ledger's own (``own``)."""
    rows = conn.execute(ACTIVITIES_SQL, (own, start, end))
    return [(row[0], row[1], row[2], row[3]) for row in rows]


def _group_sql(by: str) -> str:
    """The group of a case row for a ``--by`` grouping (``domain.groupings``: a closed list, so it can go into
    the SQL text), as ``Grouping.key_of`` gives it: a number as its digits."""
    grouping = BY_KEY.get(by)
    if grouping is None:
        raise ValueError(f"unknown grouping {by!r}")
    column = f"c.{grouping.column}"
    return f"CAST({column} AS TEXT)" if grouping.kind is int else column
