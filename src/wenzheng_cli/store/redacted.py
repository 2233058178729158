"""The SQL of a copy without personal data (``backup --without-pii``), applied to a full copy made for the purpose.

Every place the ledger keeps a resident's data is covered: the cases' columns, the events' payloads (an intake's
resident, phone, address and ``extra``; an amend's old and new values of them; the free text of every step), the
search index (emptied and rebuilt from the redacted cases), the suggestion model (its n-grams are words of the
texts: dropped, ``suggest`` learns again from the copy), SQLite's samples of indexed values
(``sqlite_stat4``, when present), and what a served ledger keeps of its clerks and the answers it sent (``clerks``,
``requests``: emptied). Events keep their ids, order, times and actions; only the values change, by
``domain.redact``. The kept monthly figures are counts by office, category, unit and the like, and stay.

Deleted rows leave their bytes on free pages, so the copy handed out is written afresh with ``VACUUM INTO`` by
the caller: it holds only what the tables hold.
"""

from __future__ import annotations

import json
import sqlite3
from itertools import groupby
from typing import Any

from wenzheng_cli.domain.models import Action, Event
from wenzheng_cli.domain.redact import (
    name_order,
    names_in,
    redact_case,
    redact_events,
    redact_value,
    touches_reply,
)
from wenzheng_cli.domain.states import fold
from wenzheng_cli.errors import WenzhengError, command, phrase
from wenzheng_cli.store.schema import SEARCH_BODY_SQL
from wenzheng_cli.store.settings import save

# The settings key that marks a copy without personal data; its value is the moment the copy was made.
WITHOUT_PII_KEY = "copy.without_pii"
CASE_COLUMNS = ("resident", "phone", "address", "extra", "description", "title", "result", "feedback")
CHUNK = 2000  # cases read, redacted and written at a time
# What a served ledger keeps of its clerks (token hashes) and of the requests it answered (their answers: the
# cases as shown): emptied in the copy, they stay at the office.
SERVED = ("clerks", "requests")


def redact(conn: sqlite3.Connection, made_at: str) -> None:
    """Redact the full copy open on ``conn`` (autocommit; a scratch file nobody else has, removed whole by the
    caller if this fails), marked as made at ``made_at``. Its triggers (events append-only, the search index
    kept in step) are set aside while the values are rewritten, and put back as they were."""
    triggers = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND sql IS NOT NULL ORDER BY name"
    ).fetchall()
    conn.execute("BEGIN IMMEDIATE")
    for name, _ in triggers:
        conn.execute(f'DROP TRIGGER "{name}"')
    _redact_cases(conn)
    _redact_orphans(conn)
    conn.execute("INSERT INTO case_search (case_search) VALUES ('delete-all')")
    conn.execute(
        f"INSERT INTO case_search (rowid, body) SELECT pk, {SEARCH_BODY_SQL.format(row='cases')} FROM cases"
    )
    conn.execute("DELETE FROM suggest_weights")
    conn.execute("DELETE FROM suggest_model")
    for table in SERVED:
        conn.execute(f"DELETE FROM {table}")
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat4'").fetchone():
        conn.execute("DELETE FROM sqlite_stat4")
    save(conn, WITHOUT_PII_KEY, made_at)
    for _, sql in triggers:
        conn.execute(sql)
    conn.execute("COMMIT")


def _redact_cases(conn: sqlite3.Connection) -> None:
    """A case at a time: its events redacted (``domain.redact.redact_case``), its row then set to what the
    redacted events fold to, so that the copy's cases are the fold of its events as ``check`` wants them.
    ``reply_flags`` (what the latest reply lacks, judged against the request's text) is among what the fold
    sets, where the ledger keeps it."""
    kept = {row[1] for row in conn.execute("PRAGMA table_info(cases)")}
    columns = (*CASE_COLUMNS, *(c for c in JUDGED if c in kept))
    listed = ", ".join(columns)
    assignments = ", ".join(f"{column} = ?" for column in columns)
    last = ""
    while True:
        rows = conn.execute(
            f"SELECT pk, id, {listed} FROM cases WHERE id > ? ORDER BY id LIMIT ?", (last, CHUNK)
        ).fetchall()
        if not rows:
            return
        first, last = rows[0][1], rows[-1][1]
        events = conn.execute(
            f"SELECT {EVENT_COLUMNS} FROM events WHERE case_id BETWEEN ? AND ? ORDER BY case_id, seq",
            (first, last),
        ).fetchall()
        by_case = {case_id: list(group) for case_id, group in groupby(events, key=lambda e: e[2])}
        case_updates: list[tuple[Any, ...]] = []
        event_updates: list[tuple[str, int]] = []
        for pk, case_id, *stored in rows:
            own = by_case.get(case_id, [])
            payloads = [_payload(row[0], row[7]) for row in own]
            redacted, names = redact_case(payloads)
            event_updates.extend(_changed(own, payloads, redacted))
            if any(map(touches_reply, payloads, redacted)):
                names = None  # the reply is judged again, by the fold
            values = _case_values(dict(zip(columns, stored, strict=True)), columns, own, redacted, names)
            if values != stored:
                case_updates.append((*values, pk))
        conn.executemany(f"UPDATE cases SET {assignments} WHERE pk = ?", case_updates)
        conn.executemany("UPDATE events SET payload = ? WHERE seq = ?", event_updates)


EVENT_COLUMNS = "seq, id, case_id, action, at, recorded_at, actor, payload, origin"
JUDGED = ("reply_flags",)  # set by the fold from the texts, not written by an event as it is


def _case_values(
    stored: dict[str, Any],
    columns: tuple[str, ...],
    own: list[tuple[Any, ...]],
    redacted: list[dict[str, Any]],
    names: tuple[str, ...] | None,
) -> list[Any]:
    """The case's redacted columns: what its redacted events fold to. When every event was redacted with the
    same ``names`` and no text a reply is judged against changed, that is its own values redacted with them
    (each column is a value some event wrote, redacted value for value), without replaying it; for a case
    whose events do not fold (``check`` names it), its own values redacted with its own names."""
    if names is not None and own:
        return [redact_value(column, stored[column], names) for column in columns]
    try:
        events = [
            Event(row[1], row[2], Action(row[3]), row[4], row[5], row[6], payload, row[8])
            for row, payload in zip(own, redacted, strict=True)
        ]
        case = fold(events) if events else None
    except (KeyError, ValueError, TypeError, AttributeError):
        case = None
    if case is None:
        names = name_order(names_in(stored))
        return [redact_value(column, stored[column], names) for column in columns]
    folded = case.as_row()
    return [folded[column] for column in columns]


def _redact_orphans(conn: sqlite3.Connection) -> None:
    """Events whose case is missing (``check`` names them), redacted all the same."""
    orphans = conn.execute(
        f"SELECT {EVENT_COLUMNS} FROM events AS e"
        " WHERE NOT EXISTS (SELECT 1 FROM cases AS c WHERE c.id = e.case_id) ORDER BY case_id, seq"
    ).fetchall()
    updates: list[tuple[str, int]] = []
    for _, group in groupby(orphans, key=lambda e: e[2]):
        own = list(group)
        payloads = [_payload(row[0], row[7]) for row in own]
        updates.extend(_changed(own, payloads, redact_events(payloads)))
    conn.executemany("UPDATE events SET payload = ? WHERE seq = ?", updates)


def _changed(
    own: list[tuple[Any, ...]], payloads: list[dict[str, Any]], redacted: list[dict[str, Any]]
) -> list[tuple[str, int]]:
    """(new payload text, seq) of the events whose payload the redaction changes; the others stay byte for byte."""
    return [
        (json.dumps(new, ensure_ascii=False, sort_keys=True), row[0])
        for row, old, new in zip(own, payloads, redacted, strict=True)
        if new != old
    ]


def _payload(seq: int, text: Any) -> dict[str, Any]:
    try:
        data = json.loads(text) if isinstance(text, str) else None
    except ValueError:
        data = None
    if not isinstance(data, dict):
        # Unreadable, it cannot be redacted: no copy rather than one that might carry personal data.
        raise WenzhengError(
            f"办理记录（第 {seq} 行）的内容无法读取，无法去除个人信息，未生成副本",
            hint=phrase("先运行 ", command("check"), " 查看台账"),
        )
    return data
