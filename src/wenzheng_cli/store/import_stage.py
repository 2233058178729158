"""The rows of one import on their way into the ledger: a temporary table, then set-based inserts.

Rows are parsed and checked one by one as the file streams and land here first (``import_stage``, a TEMP table:
on disk past a small cache, so memory stays flat however long the file). Only at the end, when every row is
known, do they become cases and events, in one pass of SQL each: numbered in the order they were received
(not the order of the file), every event's payload written by SQLite itself.

The case rows written here are exactly what ``domain.states.fold`` gives for the events written with them
(``wenzheng check`` and the tests compare the two):
- ``intake`` (status registered, or resolved for 现场办结 with the intake level and outcome solved);
- ``assign`` at the received time when the row names a 承办单位 (unit; no handler, level or due date);
- ``resolve`` at the row's 办结 or answer time (result, outcome, feedback), or a ``note`` at the time of a
  reply that only acknowledges receipt (the case stays open);
- with ``import --history``, a closing ``revisit`` at the 办结 time of a concluded row (``imported``,
  ``history``, ``effect`` closed, and the file's rating when it has one): history is recorded as it stood,
  never left 待回访. The intake says ``history`` and so does the case.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any

from wenzheng_cli.domain.import_fields import BY_NAME, IMPORT_FIELDS
from wenzheng_cli.domain.models import EFFECT_CLOSED, Action, Status, flags_text
from wenzheng_cli.domain.reply_quality import judge
from wenzheng_cli.domain.states import INTAKE_STATUS, ON_SITE_STATUS, TRANSITIONS

# The events an import writes (``insert_cases``), and the status each leaves a case in, as the state machine
# has it (``domain.states``): the case rows written here are what ``states.fold`` makes of those events.
WRITES = (Action.INTAKE, Action.ASSIGN, Action.RESOLVE, Action.NOTE, Action.REVISIT)


def _leads_to(action: Action) -> str:
    target = TRANSITIONS[action][1]
    if target is None:
        raise ValueError(f"{action} leaves the status as it was")
    return target.value


_STATUS = (
    "CASE WHEN :history AND (on_site IS NOT NULL OR resolved_at IS NOT NULL)"
    f" THEN '{Status.CLOSED.value}'"
    f" WHEN on_site IS NOT NULL THEN '{ON_SITE_STATUS.value}'"
    f" WHEN resolved_at IS NOT NULL THEN '{_leads_to(Action.RESOLVE)}'"
    f" WHEN unit IS NOT NULL THEN '{_leads_to(Action.ASSIGN)}' ELSE '{INTAKE_STATUS.value}' END"
)
STAGE_TABLE = "import_stage"
# ord: arrival order in the import (file by file, row by row); key: the source key; then where the row came
# from and the ids its case and events are given, and the rating a history row is closed with; then the
# fields it is staged with (``domain.import_fields``).
_KEY = BY_NAME["source_key"].stage or "key"
STAGE_COLUMNS = (
    _KEY,
    *("file", "row", "cid", "e_intake", "e_assign", "e_last", "e_close", "rating"),
    *(f.stage for f in IMPORT_FIELDS if f.stage is not None and f.stage != _KEY),
)
# Which staged columns a later row with the same key may fill in (its new facts).
FACT_COLUMNS = tuple(f.stage for f in IMPORT_FIELDS if f.fact and f.stage is not None)
_INSERT = (
    f"INSERT INTO temp.{STAGE_TABLE} ({', '.join(STAGE_COLUMNS)})"
    f" VALUES ({', '.join('?' for _ in STAGE_COLUMNS)})"
)
_CHUNK = 500


def create(conn: sqlite3.Connection) -> None:
    conn.execute(f"DROP TABLE IF EXISTS temp.{STAGE_TABLE}")
    conn.execute(f"CREATE TEMP TABLE {STAGE_TABLE} (ord INTEGER PRIMARY KEY, {', '.join(STAGE_COLUMNS)})")
    conn.execute(f"CREATE INDEX temp.{STAGE_TABLE}_key ON {STAGE_TABLE}(key)")


def drop(conn: sqlite3.Connection) -> None:
    conn.execute(f"DROP TABLE IF EXISTS temp.{STAGE_TABLE}")


def add(conn: sqlite3.Connection, rows: Sequence[Sequence[Any]]) -> None:
    """Rows of values for ``STAGE_COLUMNS``, in arrival order."""
    conn.executemany(_INSERT, rows)


def family(
    conn: sqlite3.Connection, keys: Sequence[str], columns: Sequence[str]
) -> dict[str, list[tuple[Any, ...]]]:
    """For each of ``keys`` staged already: (ord, *columns) of the rows of that key and of its alternatives
    (``key#…``, given to a different row that came with the same key), in arrival order."""
    found: dict[str, list[tuple[Any, ...]]] = {}
    unique = list(dict.fromkeys(keys))
    names = ", ".join(("ord", *columns))
    for start in range(0, len(unique), _CHUNK):
        chunk = unique[start : start + _CHUNK]
        marks = ", ".join("?" for _ in chunk)
        bases = conn.execute(
            f"SELECT DISTINCT key FROM temp.{STAGE_TABLE} WHERE key IN ({marks})", chunk
        ).fetchall()
        for (key,) in bases:
            found[key] = conn.execute(
                f"SELECT {names} FROM temp.{STAGE_TABLE} WHERE key = ? OR (key > ? AND key < ?) ORDER BY ord",
                (key, key + "#", key + "$"),
            ).fetchall()
    return found


def fill(conn: sqlite3.Connection, ord_: int, values: dict[str, Any]) -> None:
    """A staged row's new facts (``FACT_COLUMNS``), from a later row with the same key."""
    names = [name for name in values if name in FACT_COLUMNS]
    if names:
        conn.execute(
            f"UPDATE temp.{STAGE_TABLE} SET {', '.join(f'{n} = ?' for n in names)} WHERE ord = ?",
            (*(values[n] for n in names), ord_),
        )


def counts(conn: sqlite3.Connection) -> tuple[int, int]:
    """(rows staged, of which concluded: resolved on the spot or later)."""
    row = conn.execute(
        f"SELECT COUNT(*), COUNT(on_site) + COUNT(CASE WHEN on_site IS NULL THEN resolved_at END)"
        f" FROM temp.{STAGE_TABLE}"
    ).fetchone()
    return int(row[0]), int(row[1])


def concluded_before(conn: sqlite3.Connection, moment: str) -> tuple[int, int]:
    """(rows staged, of which concluded before ``moment``: on the spot when received, or at the 办结 time)."""
    row = conn.execute(
        f"SELECT COUNT(*), COUNT(CASE WHEN {_CONCLUDED_AT} < ? THEN 1 END) FROM temp.{STAGE_TABLE}", (moment,)
    ).fetchone()
    return int(row[0]), int(row[1])


def years(conn: sqlite3.Connection) -> list[int]:
    rows = conn.execute(
        f"SELECT DISTINCT CAST(substr(received_at, 1, 4) AS INTEGER) FROM temp.{STAGE_TABLE}"
    ).fetchall()
    return sorted(int(r[0]) for r in rows)


def _received_order(conn: sqlite3.Connection, in_order: bool) -> str:
    """The ORDER BY that reads the staged rows in received order, without a sort: ``ord`` itself when they
    came in that order (``in_order``, as most exports do: read straight through); else an index on
    (received_at, ord), made once they are all in."""
    if in_order:
        return "ord"
    conn.execute(f"CREATE INDEX IF NOT EXISTS temp.{STAGE_TABLE}_received ON {STAGE_TABLE}(received_at, ord)")
    return "received_at, ord"


def by_received(conn: sqlite3.Connection, in_order: bool = False) -> Iterator[tuple[Any, ...]]:
    """(cid, received_at, description, phone, address, category) of every staged row, in received order
    (``in_order``: the rows were staged in that order).

    The cursor itself, not a generator around it: a generator left unfinished (Ctrl-C in the middle of the
    sweep) would close its cursor when it is collected, after the connection is gone, and fail there."""
    order = _received_order(conn, in_order)
    return conn.execute(
        f"SELECT cid, received_at, description, phone, address, category FROM temp.{STAGE_TABLE} ORDER BY {order}"
    )


# --- into the ledger ---------------------------------------------------------------------------------------


def _payload(always: Sequence[tuple[str, str]], optional: Sequence[tuple[str, str]]) -> str:
    """SQL for a JSON object: the ``always`` members (none NULL; the last one a number), then each of the
    ``optional`` ones that is not NULL. SQLite writes it in C: no row's payload is built in Python."""
    head = "json_object(" + ", ".join(f"'{key}', {expr}" for key, expr in always) + ")"
    tail = [
        f"CASE WHEN {expr} IS NOT NULL THEN ',\"{key}\":' || json_quote({expr}) ELSE '' END"
        for key, expr in optional
    ]
    return f"rtrim({head}, '}}') || " + " || ".join(tail) + " || '}'"


_INTAKE_PAYLOAD = _payload(
    (
        ("description", "s.description"),
        ("number", "c.number"),
        ("office", "c.office"),
        ("source_key", "s.key"),
        ("seq", "c.seq"),
        ("year", "c.year"),
    ),
    (
        ("activity_id", "s.activity_id"),
        ("address", "s.address"),
        ("category", "s.category"),
        ("category_suggested", "CASE WHEN s.category_suggested THEN json('true') END"),
        ("channel", "s.channel"),
        ("community", "s.community"),
        ("difficulty", "s.difficulty"),
        ("extra", "s.extra"),
        ("grid", "s.grid"),
        ("history", "CASE WHEN c.history THEN json('true') END"),
        ("level", "c.level"),
        ("nature", "s.nature"),
        ("on_site", "s.on_site"),
        ("outcome", "CASE WHEN s.on_site IS NOT NULL THEN 'solved' END"),
        ("phone", "s.phone"),
        ("resident", "s.resident"),
        ("title", "s.title"),
    ),
)
_RESOLVE_PAYLOAD = _payload(
    (("imported", "json('true')"),),
    (
        ("feedback", "feedback"),
        ("outcome", "outcome"),
        # judged with the case row (``_REPLY_FLAGS``); a 办结 without a reply is not judged
        (
            "reply_flags",
            f"CASE WHEN result IS NOT NULL THEN json((SELECT c.reply_flags FROM cases c"
            f" WHERE c.id = temp.{STAGE_TABLE}.cid)) END",
        ),
        ("result", "result"),
    ),
)
# What an answer lacks (``domain.reply_quality``), judged as the rows go in: a 现场办结 is not judged.
_REPLY_FLAGS = "CASE WHEN on_site IS NULL AND resolved_at IS NOT NULL THEN wz_reply_flags(result, description, title) ELSE '[]' END"


def _reply_flags(result: str | None, description: str | None, title: str | None) -> str:
    return flags_text(judge(result, description, title))


_REVISIT_PAYLOAD = _payload(
    (("imported", "json('true')"), ("history", "json('true')"), ("effect", f"'{EFFECT_CLOSED}'")),
    (("rating", "rating"),),
)
_CONCLUDED = "(on_site IS NOT NULL OR resolved_at IS NOT NULL)"
# When a concluded row was concluded: its 办结 (or answer) time, or its received time when 现场办结.
_CONCLUDED_AT = "CASE WHEN on_site IS NOT NULL THEN received_at ELSE resolved_at END"
# A value (``%s``) the closing revisit of a concluded history row puts on its case; NULL for any other row.
_CLOSED = f"CASE WHEN :history AND {_CONCLUDED} THEN %s END"
_ASSIGNED = "(unit IS NOT NULL AND on_site IS NULL)"


def insert_cases(
    conn: sqlite3.Connection,
    office: str,
    actor: str,
    recorded_at: str,
    intake_level: str,
    bases: dict[int, int],
    in_order: bool = False,
    history: bool = False,
) -> None:
    """Every staged row as a case (numbered from ``bases[year] + 1`` in received order), then its events.
    ``in_order``: the rows were staged in received order (``ord`` rises with the received time). ``history``
    (``import --history``): the concluded rows are closed by a revisit at their 办结 time.

    Every statement reads the staged rows in received order, straight through or through an index: no sort,
    so no sorter's memory (each may take as much as the page cache) however many rows."""
    order = _received_order(conn, in_order)
    # The rank of a row in received order: ``ord`` itself when they came in that order (staged rows are
    # numbered 1, 2, 3 … and never deleted), else counted.
    rank = "ord" if in_order else f"row_number() OVER (ORDER BY {order})"
    # The n-th row in received order of all is number n + shift of its year: the year's last number so far,
    # less the rows of the import received in earlier years.
    counts = dict(
        conn.execute(
            f"SELECT CAST(substr(received_at, 1, 4) AS INTEGER), COUNT(*) FROM temp.{STAGE_TABLE} GROUP BY 1"
        ).fetchall()
    )
    shifts, before = [], 0
    for year in sorted(counts):
        shifts.append((year, bases.get(year, 0) - before))
        before += counts[year]
    conn.create_function("wz_reply_flags", 3, _reply_flags, deterministic=True)
    conn.execute("DROP TABLE IF EXISTS temp.import_shifts")
    conn.execute("CREATE TEMP TABLE import_shifts (year INTEGER PRIMARY KEY, shift INTEGER NOT NULL)")
    conn.executemany("INSERT INTO temp.import_shifts VALUES (?, ?)", shifts)
    values = {
        "office": office,
        "actor": actor,
        "at": recorded_at,
        "level": intake_level,
        "history": int(history),
    }
    conn.execute(
        f"""
        INSERT INTO cases (id, number, office, year, seq, status, received_at, description, title, channel,
            category, category_suggested, nature, resident, phone, address, community, grid, unit, level,
            difficulty, assigned_at, resolved_at, resolved_by, outcome, result, feedback, activity_id, source_key,
            extra, updated_at, history, rating, revisited_at, closed_at, reply_flags)
        SELECT cid, printf('%s-%d-%04d', :office, y, n), :office, y, n,
            {_STATUS},
            received_at, description, title, channel, category, COALESCE(category_suggested, 0), nature,
            resident, phone, address, community, grid, CASE WHEN on_site IS NULL THEN unit END, CASE WHEN on_site IS NOT NULL THEN :level END,
            difficulty, CASE WHEN {_ASSIGNED} THEN received_at END,
            CASE WHEN on_site IS NOT NULL THEN received_at ELSE resolved_at END,
            CASE WHEN {_CONCLUDED} THEN :actor END,
            CASE WHEN on_site IS NOT NULL THEN 'solved' WHEN resolved_at IS NOT NULL THEN outcome END,
            CASE WHEN on_site IS NOT NULL THEN on_site WHEN resolved_at IS NOT NULL THEN result END,
            CASE WHEN on_site IS NULL AND resolved_at IS NOT NULL THEN feedback END,
            activity_id, key, extra, :at, :history,
            {_CLOSED % "rating"}, {_CLOSED % _CONCLUDED_AT}, {_CLOSED % _CONCLUDED_AT}, {_REPLY_FLAGS}
        FROM (
            SELECT *, y, k + (SELECT shift FROM temp.import_shifts WHERE year = y) AS n FROM (
                SELECT *, CAST(substr(received_at, 1, 4) AS INTEGER) AS y,
                    {rank} AS k
                FROM temp.{STAGE_TABLE} ORDER BY {order}
            )
        )
        """,
        values,
    )
    event = "INSERT INTO events (id, case_id, action, at, recorded_at, actor, payload, origin)"
    conn.execute(
        f"""{event}
        SELECT s.e_intake, s.cid, 'intake', s.received_at, :at, :actor, {_INTAKE_PAYLOAD}, 'import'
        FROM temp.{STAGE_TABLE} s JOIN cases c ON c.id = s.cid ORDER BY {", ".join("s." + name for name in order.split(", "))}
        """,
        values,
    )
    conn.execute(
        f"""{event}
        SELECT e_assign, cid, 'assign', received_at, :at, :actor,
            '{{"imported":true,"unit":' || json_quote(unit) || '}}', 'import'
        FROM temp.{STAGE_TABLE} WHERE {_ASSIGNED} ORDER BY {order}
        """,
        values,
    )
    conn.execute(
        f"""{event}
        SELECT e_last, cid, 'resolve', resolved_at, :at, :actor, {_RESOLVE_PAYLOAD}, 'import'
        FROM temp.{STAGE_TABLE} WHERE on_site IS NULL AND resolved_at IS NOT NULL ORDER BY {order}
        """,
        values,
    )
    conn.execute(
        f"""{event}
        SELECT e_last, cid, 'note', note_at, :at, :actor,
            '{{"acknowledgement":true,"imported":true,"text":' || json_quote(note_text) || '}}', 'import'
        FROM temp.{STAGE_TABLE}
        WHERE on_site IS NULL AND resolved_at IS NULL AND note_at IS NOT NULL ORDER BY {order}
        """,
        values,
    )
    if history:
        conn.execute(
            f"""{event}
            SELECT e_close, cid, 'revisit', {_CONCLUDED_AT}, :at, :actor, {_REVISIT_PAYLOAD}, 'import'
            FROM temp.{STAGE_TABLE} WHERE {_CONCLUDED} ORDER BY {order}
            """,
            values,
        )
    conn.execute("DROP TABLE temp.import_shifts")


def weak_replies(conn: sqlite3.Connection) -> int:
    """How many of the staged rows went in as cases whose reply was judged weak (``reply_flags``)."""
    sql = (
        f"SELECT COUNT(*) FROM temp.{STAGE_TABLE} s JOIN cases c ON c.id = s.cid WHERE c.reply_flags != '[]'"
    )
    return int(conn.execute(sql).fetchone()[0])
