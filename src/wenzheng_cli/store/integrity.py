"""SQLite's own checks of the ledger file, and what ``check`` reads of the tables beyond them."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass

from wenzheng_cli.domain.models import Action, Event


def integrity_errors(conn: sqlite3.Connection) -> list[str]:
    rows = [row[0] for row in conn.execute("PRAGMA integrity_check")]
    return [] if rows == ["ok"] else rows


def foreign_key_errors(conn: sqlite3.Connection) -> list[tuple[str, int, str]]:
    return [(row[0], row[1], row[2]) for row in conn.execute("PRAGMA foreign_key_check")]


TEXT_TABLES = (("cases", "id"), ("events", "case_id"), ("settings", "NULL"), ("activities", "NULL"))


def undecodable_rows(conn: sqlite3.Connection) -> list[tuple[str, int, str | None, str | None]]:
    """(table, rowid, case id, case number) of every row holding text that is not valid UTF-8 — written by
    another program or damaged on disk — which SQLite stores as it comes and Python cannot read."""
    found: list[tuple[str, int, str | None, str | None]] = []
    factory = conn.text_factory
    conn.text_factory = bytes
    try:
        for table, key in TEXT_TABLES:
            for row in conn.execute(f"SELECT rowid, {key}, * FROM {table}"):
                if any(isinstance(value, bytes) and not _utf8(value) for value in row[2:]):
                    case_id = row[1].decode("utf-8", "replace") if isinstance(row[1], bytes) else None
                    found.append((table, row[0], case_id, None))
        numbers = {}
        for _, _, case_id, _ in found:
            if case_id is not None and case_id not in numbers:
                hit = conn.execute("SELECT number FROM cases WHERE id = ?", (case_id,)).fetchone()
                numbers[case_id] = hit[0].decode("utf-8", "replace") if hit else None
    finally:
        conn.text_factory = factory
    return [(table, rowid, case_id, numbers.get(case_id or "")) for table, rowid, case_id, _ in found]


def _utf8(value: bytes) -> bool:
    try:
        value.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@dataclass(frozen=True)
class UnreadableEvent:
    """An event row that cannot be replayed: its action is not one the ledger records, or its payload is not
    a JSON object (written by another program, or damaged)."""

    seq: int
    case_id: str


def readable_events(conn: sqlite3.Connection) -> Iterator[Event | UnreadableEvent]:
    """Every event in the order ``store.cases.iter_all_events`` gives (by case, then recorded order), those
    that cannot be read standing as an ``UnreadableEvent`` so that the rest is checked all the same."""
    sql = "SELECT seq, id, case_id, action, at, recorded_at, actor, payload, origin FROM events"
    for seq, eid, case_id, action, at, recorded_at, actor, payload, origin in conn.execute(
        f"{sql} ORDER BY case_id, seq"
    ):
        try:
            kind = Action(action)
            data = json.loads(payload) if isinstance(payload, str) else None
        except ValueError:  # an unknown action, or a payload that is not JSON
            data = None
        if not isinstance(data, dict):
            yield UnreadableEvent(seq, case_id)
            continue
        yield Event(eid, case_id, kind, at, recorded_at, actor, data, origin)


def search_documents(conn: sqlite3.Connection) -> tuple[int | None, int, int]:
    """(cases the search index holds — None when its own count cannot be read —, cases in the ledger, rows
    pausing its trigger). The index keeps its count of documents in its record 1 (FTS5's "averages"), a
    varint first; an index in step holds one document per case, and no pause outlives an import."""
    row = conn.execute("SELECT block FROM case_search_data WHERE id = 1").fetchone()
    if row is None:  # an index that never held a document (or was emptied) has no record 1
        indexed: int | None = 0
    else:
        indexed = _varint(row[0]) if isinstance(row[0], bytes) else None
    cases = int(conn.execute("SELECT COUNT(*) FROM cases").fetchone()[0])
    paused = int(conn.execute("SELECT COUNT(*) FROM search_paused").fetchone()[0])
    return indexed, cases, paused


def _varint(data: bytes) -> int | None:
    """SQLite's varint (big-endian, 7 bits a byte, the ninth byte whole) at the start of ``data``; an empty
    record counts nothing."""
    if not data:
        return 0
    value = 0
    for i, byte in enumerate(data[:9]):
        if i == 8:
            return (value << 8) | byte
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            return value
    return None
