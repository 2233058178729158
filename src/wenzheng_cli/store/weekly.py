"""The reads behind the weekly 台账: the cases it lists (received in the week, open from before, and those
ended or resolved in it), as rows or as the JSON text of their columns, and what the 台账 says of them
(history left out, the events of the cases that changed since, the latest notes). Set-based, as
``store.reports``, whose pieces of SQL these share."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from operator import itemgetter
from typing import Any

from wenzheng_cli.domain.models import CASE_FIELDS, EFFECT_CLOSED, Case, Event
from wenzheng_cli.store.case_text import Columns, object_sql
from wenzheng_cli.store.cases import _EVENT_COLUMNS, OPEN_SQL, _event
from wenzheng_cli.store.reports import _MOVED, _STANDS

_COLUMNS = ", ".join(f"c.{name}" for name in CASE_FIELDS)
_RECEIVED_ORDER = itemgetter(*(CASE_FIELDS.index(name) for name in ("received_at", "year", "seq")))


def week_cases(
    conn: sqlite3.Connection,
    start: str,
    end: str,
    *,
    community: str | None = None,
    grid: str | None = None,
    office: str | None = None,
) -> list[tuple[Case, bool, bool, bool]]:
    """Every case the week's 台账 may list, as (case, resolved in the week, closed in the week, moved).

    Received in the week; resolved (办结, 现场办结 included) or closed (销账) in it; or received before it and
    possibly open at its end: open now, or changed after the week ("moved": its row is not its state at the
    week's end, and its events must be folded up to then). In the order received. ``community`` and
    ``grid`` limit it to the cases received there, ``office`` to the cases of that office."""
    width = len(CASE_FIELDS)
    rows = _week_rows(conn, _COLUMNS, start, end, community, grid, office)
    rows.sort(key=_RECEIVED_ORDER)
    return [
        (Case.from_stored(row), bool(row[width]), bool(row[width + 1]), bool(row[width + 2])) for row in rows
    ]


def week_case_texts(
    conn: sqlite3.Connection,
    start: str,
    end: str,
    columns: Columns,
    *,
    community: str | None = None,
    grid: str | None = None,
    office: str | None = None,
) -> list[tuple[Any, ...]]:
    """The cases of ``week_cases`` as the JSON text of ``columns`` (``store.case_text``) and what the 台账 sorts
    them by: (text, id, received_at, year, seq, status, due_at, reply_flags, resolved in the week, closed in the
    week, moved), in the order received."""
    picked = (
        f"{object_sql(conn, columns)}, c.id, c.received_at, c.year, c.seq, c.status, c.due_at, c.reply_flags"
    )
    rows = _week_rows(conn, picked, start, end, community, grid, office)
    rows.sort(key=itemgetter(2, 3, 4))
    return rows


# The 台账 of one community, grid or office (each NULL: all).
_WEEK_SCOPE = (
    "(:community IS NULL OR c.community = :community) AND (:grid IS NULL OR c.grid = :grid)"
    " AND (:office IS NULL OR c.office = :office)"
)
# A case imported as history, open as its file had it, on which nobody has taken a step since: no live work.
_UNTOUCHED_HISTORY = (
    "(c.history AND NOT EXISTS (SELECT 1 FROM events x WHERE x.case_id = c.id AND x.origin IS NOT 'import'))"
)


def history_left_out(
    conn: sqlite3.Connection, start: str, community: str | None, grid: str | None, office: str | None = None
) -> int:
    """How many open cases received before ``start`` the 台账 leaves out of 结转未销账 and 下周二通报 because they
    are untouched history (``_week_rows``)."""
    sql = f"""SELECT COUNT(*) FROM cases c
        WHERE c.received_at < :start AND c.status IN {OPEN_SQL} AND {_UNTOUCHED_HISTORY}
            AND {_WEEK_SCOPE}"""
    params = {"start": start, "community": community, "grid": grid, "office": office}
    count: int = conn.execute(sql, params).fetchone()[0]
    return count


def _week_rows(
    conn: sqlite3.Connection,
    columns: str,
    start: str,
    end: str,
    community: str | None,
    grid: str | None,
    office: str | None = None,
) -> list[tuple[Any, ...]]:
    """``columns`` of the cases ``week_cases`` lists, then (resolved in the week, closed in it, moved); in no
    particular order."""
    # Three parts that share no case: received in the week; received before it and open now (history left
    # open as its file had it, and untouched since, is no live work: ``history_left_out`` counts it, ``list
    # --imported`` finds it); received before it, not open
    # now, and closed or withdrawn after the week or resolved or closed in it. The second is the
    # big one (a ledger of open cases), read in order from the ``cases_open`` index.
    picked = f"""SELECT {columns}, COALESCE(wk.resolved_in, 0), COALESCE(wk.closed_in, 0), c.id IN moved
        FROM <source> LEFT JOIN wk ON wk.case_id = c.id
        WHERE {_WEEK_SCOPE}"""
    sql = f"""
        WITH {_MOVED},
        wk AS MATERIALIZED (
            SELECT case_id,
                   MAX(action = 'resolve' OR (action = 'intake'
                       AND json_extract(payload, '$.on_site') IS NOT NULL)) AS resolved_in,
                   MAX(action = 'revisit' AND json_extract(payload, '$.effect') = '{EFFECT_CLOSED}') AS closed_in
            FROM events e
            WHERE at BETWEEN :start AND :as_of AND action IN ('intake', 'resolve', 'revisit') AND {_STANDS}
            GROUP BY case_id
        ),
        ended(id) AS MATERIALIZED (
            SELECT id FROM cases WHERE closed_at > :as_of AND received_at < :start
            UNION SELECT id FROM cases WHERE withdrawn_at > :as_of AND received_at < :start
            UNION SELECT case_id FROM wk
        )
        {picked.replace("<source>", "cases c")} AND c.received_at BETWEEN :start AND :as_of
        UNION ALL
        {picked.replace("<source>", "cases c")} AND c.received_at < :start AND c.status IN {OPEN_SQL}
            AND NOT {_UNTOUCHED_HISTORY}
        UNION ALL
        {picked.replace("<source>", "ended CROSS JOIN cases c ON c.id = ended.id")}
            AND c.received_at < :start AND c.status NOT IN {OPEN_SQL}
    """
    params = {"start": start, "as_of": end, "community": community, "grid": grid, "office": office}
    return conn.execute(sql, params).fetchall()


def events_until(conn: sqlite3.Connection, case_ids: Sequence[str], until: str) -> Iterator[Event]:
    """The events up to ``until`` of the given cases, and their corrections whenever made (``states.fold``
    applies an amend and leaves out what an undo revoked), grouped by case, in recorded order (one query)."""
    sql = (
        f"SELECT {_EVENT_COLUMNS} FROM events WHERE case_id IN (SELECT value FROM json_each(?))"
        " AND (at <= ? OR action IN ('amend', 'undo')) ORDER BY case_id, seq"
    )
    for row in conn.execute(sql, (json.dumps(list(case_ids)), until)):
        yield _event(row)


def latest_notes(conn: sqlite3.Connection, case_ids: Sequence[str], until: str) -> dict[str, tuple[str, str]]:
    """case id → (text, at) of its latest 进展 note up to ``until``, for the cases that have one."""
    sql = (
        "SELECT case_id, json_extract(payload, '$.text'), at FROM events e"
        f" WHERE case_id IN (SELECT value FROM json_each(?)) AND action = 'note' AND at <= ? AND {_STANDS}"
        " ORDER BY seq"
    )
    return {row[0]: (row[1], row[2]) for row in conn.execute(sql, (json.dumps(list(case_ids)), until))}
