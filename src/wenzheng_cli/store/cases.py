"""Queries over cases and events. Every value goes in as a parameter."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from wenzheng_cli.domain.models import CASE_FIELDS, IN_HAND, Action, Case, Event, Status
from wenzheng_cli.errors import WenzhengError, command, phrase
from wenzheng_cli.store.search import parse_search

if TYPE_CHECKING:
    from wenzheng_cli.store.search import Search

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
    try:
        data = json.loads(payload)
        if not isinstance(data, dict):
            raise ValueError(payload)
        return Event(eid, case_id, Action(action), at, recorded_at, actor, data, origin)
    except (TypeError, ValueError):  # JSONDecodeError is a ValueError, and so is an unknown action
        raise WenzhengError(
            f"办理记录 {eid} 已损坏（台账在本程序之外被改动过），本次操作未完成",
            hint=phrase("运行 ", command("check"), " 查看损坏的记录；从最近的备份恢复台账"),
        ) from None


_EVENT_COLUMNS = "id, case_id, action, at, recorded_at, actor, payload, origin"


def events_for(conn: sqlite3.Connection, case_id: str) -> list[Event]:
    rows = conn.execute(f"SELECT {_EVENT_COLUMNS} FROM events WHERE case_id = ? ORDER BY seq", (case_id,))
    return [_event(row) for row in rows]


def last_event_at(conn: sqlite3.Connection, case_id: str) -> str | None:
    """The business time of the case's latest step that stands (corrections and undone steps aside): a step
    typed in later may not be dated before it."""
    row = conn.execute(
        "SELECT MAX(at) FROM events WHERE case_id = :id AND action NOT IN ('amend', 'undo')"
        " AND id NOT IN (SELECT json_extract(payload, '$.revokes') FROM events"
        " WHERE case_id = :id AND action = 'undo')",
        {"id": case_id},
    ).fetchone()
    return row[0] if row else None


def iter_all_events(conn: sqlite3.Connection) -> Iterator[Event]:
    """Every event, grouped by case and in recorded order within a case (for rebuilds)."""
    for row in conn.execute(f"SELECT {_EVENT_COLUMNS} FROM events ORDER BY case_id, seq"):
        yield _event(row)


def iter_cases(conn: sqlite3.Connection) -> Iterator[Case]:
    for row in conn.execute(f"SELECT {_COLUMNS} FROM cases ORDER BY id"):
        yield _case(row)


# The orders ``list --sort`` offers: the column and its natural direction (newest first, earliest due first…).
# Ties fall back to the most recently received first.
SORTS: dict[str, tuple[str, bool]] = {
    "received": ("received_at", True),
    "updated": ("updated_at", True),
    "due": ("due_at", False),
    "number": ("number", False),
    "status": ("status", False),
    "community": ("community", False),
    "grid": ("grid", False),
    "category": ("category", False),
    "channel": ("channel", False),
    "nature": ("nature", False),
    "handler": ("handler", False),
    "unit": ("unit", False),
    "level": ("level", False),
    "difficulty": ("difficulty", True),
}


@dataclass(frozen=True)
class CaseFilter:
    statuses: Sequence[str] = ()
    community: str | None = None
    grid: str | None = None
    handler: str | None = None  # the handler or the unit
    unit: str | None = None
    category: str | None = None
    channel: str | None = None
    nature: str | None = None
    level: str | None = None
    supervised: bool = False  # 督办 or 挂牌督办
    overdue_at: str | None = None  # cases open whose due date is before this moment
    since: str | None = None
    until: str | None = None
    search: str | None = None
    limit: int | None = None
    offset: int = 0
    sort: str | None = None  # a key of SORTS
    descending: bool | None = None  # None: the sort's natural direction
    duplicates: bool = False  # only cases flagged as possible duplicates by an import (and not withdrawn)
    imported: bool = False  # only cases that came from an import (every imported case has a source key)
    weak_reply: bool = False  # only cases whose latest reply was judged weak (``reply_flags`` not empty)
    office: str | None = None  # the office code the cases belong to (a street ledger holds several)


# What narrows a list besides the search (the rest of a CaseFilter orders and pages it).
FILTERS = (
    "statuses",
    "community",
    "grid",
    "handler",
    "unit",
    "category",
    "channel",
    "nature",
    "level",
    "supervised",
    "overdue_at",
    "since",
    "until",
    "duplicates",
    "imported",
    "weak_reply",
    "office",
)


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


def searching(conn: sqlite3.Connection, f: CaseFilter) -> Search | None:
    """The filter's search as the index answers it (``None`` without one); pass it to ``list_cases`` and
    ``count_matching`` so that the index is asked once."""
    return parse_search(conn, f.search) if f.search else None


def list_cases(conn: sqlite3.Connection, f: CaseFilter, search: Search | None = None) -> list[Case]:
    """Matching cases in order. Keys are found first (through the indexes alone), then only those rows are
    read: ordering tens of thousands of overdue cases by their full rows to show the first fifty costs many
    times what ordering their keys does."""
    if search is None:
        search = searching(conn, f)
    walk = (
        search is not None
        and f.sort in (None, "received")
        and not (f.sort is None and f.overdue_at)
        and search.worth_walking(conn, f.limit + f.offset if f.limit else None)
    )
    where, params = _where(f, search, walk)
    sql = "SELECT pk FROM cases c"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY " + _order(f)
    if f.limit or f.offset:
        sql += " LIMIT ? OFFSET ?"
        params.extend([f.limit or -1, f.offset])
    keys = [row[0] for row in conn.execute(sql, params)]
    found: dict[int, Case] = {}
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        for row in conn.execute(f"SELECT pk, {_COLUMNS} FROM cases WHERE pk IN ({marks})", chunk):
            found[row[0]] = _case(row[1:])
    return [found[key] for key in keys]


def _order(f: CaseFilter) -> str:
    if f.sort is None and f.overdue_at:
        # The due date alone lets SQLite walk the (status, due_at) index in order.
        return "due_at DESC" if f.descending else "due_at"
    column, natural = SORTS[f.sort or "received"]
    descending = natural if f.descending is None else f.descending
    if column == "received_at":
        return "received_at DESC, seq DESC" if descending else "received_at, seq"
    direction = "DESC" if descending else "ASC"
    return f"{column} IS NULL, {column} {direction}, received_at DESC, seq DESC"


def count_matching(conn: sqlite3.Connection, f: CaseFilter, search: Search | None = None) -> int:
    if search is None:
        search = searching(conn, f)
    if search is not None and search.exact and not any(getattr(f, name) for name in FILTERS):
        return search.count(conn)  # the search is the only filter: the index counts it
    where, params = _where(f, search)
    sql = "SELECT COUNT(*) FROM cases c" + (" WHERE " + " AND ".join(where) if where else "")
    return int(conn.execute(sql, params).fetchone()[0])


def _where(f: CaseFilter, search: Search | None, walk: bool = False) -> tuple[list[str], list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    if f.statuses:
        where.append(f"status IN ({', '.join('?' for _ in f.statuses)})")
        params.extend(f.statuses)
    for column in ("community", "grid", "unit", "category", "channel", "nature", "level", "office"):
        value = getattr(f, column)
        if value:
            where.append(f"{column} = ?")
            params.append(value)
    if f.handler:
        where.append("(handler = ? OR unit = ?)")
        params.extend([f.handler, f.handler])
    if f.supervised:
        where.append("supervised = 1")
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
    if f.imported:
        where.append("source_key IS NOT NULL")
    if f.weak_reply:
        where.append("reply_flags != '[]'")
    if f.duplicates:
        where.append(f"id IN (SELECT case_id FROM duplicate_flags) AND status != '{Status.WITHDRAWN.value}'")
    if search is not None:
        clause, values = search.clause(walk)
        where.append(clause)
        params.extend(values)
    return where, params


LIST_COLUMNS = ("category", "channel", "nature", "community", "grid")


def cases_with(conn: sqlite3.Connection, column: str, value: str, limit: int | None = None) -> list[Case]:
    """The cases whose ``column`` (one of the list fields) holds ``value``, in the order received."""
    if column not in LIST_COLUMNS:
        raise ValueError(f"not a list column: {column!r}")
    sql = f"SELECT {_COLUMNS} FROM cases WHERE {column} = ? ORDER BY pk LIMIT ?"
    return [_case(row) for row in conn.execute(sql, (value, -1 if limit is None else limit))]


def count_cases(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT COUNT(*) FROM cases").fetchone()[0])


def office_codes(conn: sqlite3.Connection) -> list[str]:
    """The office codes the ledger's cases carry, in order: one step of the (office, year, seq) index per
    office rather than a pass over every case."""
    sql = """
        WITH RECURSIVE found(code) AS (
            SELECT MIN(office) FROM cases
            UNION ALL SELECT (SELECT MIN(office) FROM cases WHERE office > found.code) FROM found
            WHERE found.code IS NOT NULL
        )
        SELECT code FROM found WHERE code IS NOT NULL
    """
    return [row[0] for row in conn.execute(sql)]


def rolled_up_offices(conn: sqlite3.Connection) -> dict[str, str]:
    """code → name ("" when it gave none) of the offices whose ledgers were rolled up into this one
    (``rollup_sources``)."""
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'rollup_sources'").fetchone():
        return {}  # a ledger opened read-only before its upgrade
    return {row[0]: row[1] or "" for row in conn.execute("SELECT office, name FROM rollup_sources")}
