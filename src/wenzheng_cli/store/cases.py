"""Queries over cases and events. Every value goes in as a parameter."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from wenzheng_cli.domain.models import CASE_FIELDS, IN_HAND, Action, Case, Event, Status

_COLUMNS = ", ".join(CASE_FIELDS)
_PLACEHOLDERS = ", ".join(f":{name}" for name in CASE_FIELDS)
_ASSIGNMENTS = ", ".join(f"{name} = :{name}" for name in CASE_FIELDS if name != "id")


def _case(row: sqlite3.Row | tuple[Any, ...]) -> Case:
    return Case.from_row(dict(zip(CASE_FIELDS, row, strict=True)))


def get_case(conn: sqlite3.Connection, office: str, year: int, seq: int) -> Case | None:
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM cases WHERE office = ? AND year = ? AND seq = ?", (office, year, seq)
    ).fetchone()
    return _case(row) if row else None


def get_case_by_id(conn: sqlite3.Connection, case_id: str) -> Case | None:
    row = conn.execute(f"SELECT {_COLUMNS} FROM cases WHERE id = ?", (case_id,)).fetchone()
    return _case(row) if row else None


def next_seq(conn: sqlite3.Connection, office: str, year: int) -> int:
    row = conn.execute("SELECT MAX(seq) FROM cases WHERE office = ? AND year = ?", (office, year)).fetchone()
    return (row[0] or 0) + 1


def insert_case(conn: sqlite3.Connection, case: Case) -> None:
    conn.execute(f"INSERT INTO cases ({_COLUMNS}) VALUES ({_PLACEHOLDERS})", case.as_row())


def update_case(conn: sqlite3.Connection, case: Case) -> None:
    conn.execute(f"UPDATE cases SET {_ASSIGNMENTS} WHERE id = :id", case.as_row())


def append_event(conn: sqlite3.Connection, event: Event) -> None:
    conn.execute(
        "INSERT INTO events (id, case_id, action, at, recorded_at, actor, payload, origin)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            event.id,
            event.case_id,
            event.action.value,
            event.at,
            event.recorded_at,
            event.actor,
            json.dumps(event.payload, ensure_ascii=False, sort_keys=True),
            event.origin,
        ),
    )


def _event(row: tuple[Any, ...]) -> Event:
    eid, case_id, action, at, recorded_at, actor, payload, origin = row
    return Event(eid, case_id, Action(action), at, recorded_at, actor, json.loads(payload), origin)


_EVENT_COLUMNS = "id, case_id, action, at, recorded_at, actor, payload, origin"


def events_for(conn: sqlite3.Connection, case_id: str) -> list[Event]:
    rows = conn.execute(f"SELECT {_EVENT_COLUMNS} FROM events WHERE case_id = ? ORDER BY seq", (case_id,))
    return [_event(row) for row in rows]


def last_event_at(conn: sqlite3.Connection, case_id: str) -> str | None:
    row = conn.execute("SELECT MAX(at) FROM events WHERE case_id = ?", (case_id,)).fetchone()
    return row[0] if row else None


def iter_all_events(conn: sqlite3.Connection) -> Iterator[Event]:
    """Every event, grouped by case and in recorded order within a case (for rebuilds)."""
    for row in conn.execute(f"SELECT {_EVENT_COLUMNS} FROM events ORDER BY case_id, seq"):
        yield _event(row)


def iter_cases(conn: sqlite3.Connection) -> Iterator[Case]:
    for row in conn.execute(f"SELECT {_COLUMNS} FROM cases ORDER BY id"):
        yield _case(row)


@dataclass(frozen=True)
class CaseFilter:
    statuses: Sequence[str] = ()
    community: str | None = None
    handler: str | None = None
    overdue_at: str | None = None  # cases open whose due date is before this moment
    since: str | None = None
    until: str | None = None
    search: str | None = None
    limit: int | None = None
    newest_first: bool = True
    duplicates: bool = False  # only cases flagged as possible duplicates by an import


# The status sets the queries use, derived from the domain once. The SQL forms are literals, not parameters:
# only a literal list can match the WHERE of a partial index written with it (cases_open).
OPEN_STATUSES = tuple(s.value for s in Status if s.is_open)  # registered, assigned, claimed, resolved
IN_HAND_STATUSES = tuple(s.value for s in Status if s in IN_HAND)  # assigned, claimed: can be overdue


def sql_set(values: Sequence[str]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


OPEN_SQL = sql_set(OPEN_STATUSES)
IN_HAND_SQL = sql_set(IN_HAND_STATUSES)
# domain.models.is_overdue in SQL, for the cases table (c) at the moment given as the parameter.
OVERDUE_SQL = f"c.status IN {IN_HAND_SQL} AND c.due_at IS NOT NULL AND c.due_at < ?"


def list_cases(conn: sqlite3.Connection, f: CaseFilter) -> list[Case]:
    """Matching cases in order. Keys are found first (through the indexes alone), then only those rows are
    read: ordering 66k overdue cases by their full rows to show the first fifty took ~50 ms, the keys ~3 ms."""
    where, params = _where(f)
    sql = "SELECT pk FROM cases c"
    if where:
        sql += " WHERE " + " AND ".join(where)
    if f.overdue_at:
        # The due date alone lets SQLite walk the (status, due_at) index in order.
        sql += " ORDER BY due_at"
    elif f.newest_first:
        sql += " ORDER BY received_at DESC, seq DESC"
    else:
        sql += " ORDER BY received_at, seq"
    if f.limit:
        sql += " LIMIT ?"
        params.append(f.limit)
    keys = [row[0] for row in conn.execute(sql, params)]
    found: dict[int, Case] = {}
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        for row in conn.execute(f"SELECT pk, {_COLUMNS} FROM cases WHERE pk IN ({marks})", chunk):
            found[row[0]] = _case(row[1:])
    return [found[key] for key in keys]


def count_matching(conn: sqlite3.Connection, f: CaseFilter) -> int:
    where, params = _where(f)
    sql = "SELECT COUNT(*) FROM cases c" + (" WHERE " + " AND ".join(where) if where else "")
    return int(conn.execute(sql, params).fetchone()[0])


def _where(f: CaseFilter) -> tuple[list[str], list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    if f.statuses:
        where.append(f"status IN ({', '.join('?' for _ in f.statuses)})")
        params.extend(f.statuses)
    if f.community:
        where.append("community = ?")
        params.append(f.community)
    if f.handler:
        where.append("(handler = ? OR unit = ?)")
        params.extend([f.handler, f.handler])
    if f.overdue_at:
        # Overdue: not yet resolved and past the due date in force.
        where.append(OVERDUE_SQL)
        params.append(f.overdue_at)
    if f.since:
        where.append("received_at >= ?")
        params.append(f.since)
    if f.until:
        where.append("received_at <= ?")
        params.append(f.until)
    if f.duplicates:
        where.append("id IN (SELECT case_id FROM duplicate_flags)")
    if f.search:
        # A substring scan: exact for words of any length (路灯 included), ~0.4 s per million cases, and no
        # index to maintain on every intake and import row.
        like = "%" + f.search.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        cols = ("title", "description", "address", "resident", "result", "phone")
        where.append("(" + " OR ".join(f"{c} LIKE ? ESCAPE '\\'" for c in cols) + ")")
        params.extend([like] * len(cols))
    return where, params


def count_cases(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT COUNT(*) FROM cases").fetchone()[0])
