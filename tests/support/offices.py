"""Ledgers of several offices, as a street ledger holds them: each office's ledger made on its own (``init
--office``, then commands), then its cases and events copied into the street's ledger the way a roll-up adds
them (every row once, the events in the order recorded, the cases as their events left them)."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def ledger_at(path: Path) -> Iterator[Path]:
    """The commands run inside act on the ledger at ``path`` (``WENZHENG_DB``), the test's own after."""
    before = os.environ["WENZHENG_DB"]
    os.environ["WENZHENG_DB"] = str(path)
    try:
        yield path
    finally:
        os.environ["WENZHENG_DB"] = before


def copy_ledger(source: Path, target: Path) -> Path:
    """``target`` becomes a copy of the ledger at ``source`` (its write-ahead log included)."""
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
    return target


def _columns(conn: sqlite3.Connection, table: str, left_out: str) -> str:
    names = [row[1] for row in conn.execute(f"PRAGMA main.table_info({table})") if row[1] != left_out]
    return ", ".join(names)


def add_office(street: Path, office: Path) -> None:
    """Copy ``office``'s cases and events into ``street`` (in one transaction), and record the office among
    the ledgers rolled up there with the name its own ledger gives it. Activities stay with their office: a
    copied case keeps no link to one."""
    conn = sqlite3.connect(street)
    try:
        conn.execute("ATTACH DATABASE ? AS src", (str(office),))
        cases = _columns(conn, "cases", "pk")
        events = _columns(conn, "events", "seq")
        picked = cases.replace("activity_id", "NULL")
        settings = dict(conn.execute("SELECT key, value FROM src.settings").fetchall())
        code, name = (json.loads(settings.get(key, '""')) for key in ("office.code", "office.name"))
        with conn:
            conn.execute(f"INSERT INTO cases ({cases}) SELECT {picked} FROM src.cases ORDER BY pk")
            conn.execute(f"INSERT INTO events ({events}) SELECT {events} FROM src.events ORDER BY seq")
            conn.execute(
                "INSERT INTO rollup_sources (office, name, ledger_id, file, digest, last_rollup)"
                " VALUES (?, ?, (SELECT id FROM src.ledger_identity), ?, '', datetime('now'))",
                (code, name or None, str(office)),
            )
        conn.execute("DETACH DATABASE src")
    finally:
        conn.close()
