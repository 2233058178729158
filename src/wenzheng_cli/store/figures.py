"""A month's figures kept between runs (table ``report_figures``): what ``core.reports`` counted for a month
that is over, reused while no event dated up to the month's moment has been recorded since.

Business time makes this sound: the figures of a month counted at a moment depend only on events dated up to
that moment (and on the settings, which are part of the key). An event typed in later for that month — a
clerk's ``--at`` last Tuesday, an import of old rows — is recorded with a higher ``seq`` and a business time
within the month, and the entry no longer stands; so does any event of a kind that can change what came
before it whatever its date (anything but ``domain.metrics.DATED_ACTIONS``). Keeping an entry is a courtesy: when the ledger is busy or
read-only, the report goes on without it.
"""

from __future__ import annotations

import sqlite3

from wenzheng_cli.domain.groupings import GROUPINGS
from wenzheng_cli.domain.metrics import DATED_ACTIONS
from wenzheng_cli.store.ledger import BUSY_TIMEOUT_S

_DATED = "(" + ", ".join(f"'{action}'" for action in DATED_ACTIONS) + ")"

_GROUPINGS = "(" + ", ".join(f"'{grouping.key}'" for grouping in GROUPINGS) + ")"
_KNOWN = frozenset(grouping.key for grouping in GROUPINGS)
_UNREACHABLE = f"NOT (month GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]' AND grouping IN {_GROUPINGS})"

KEEP_WAIT_MS = 200  # how long a report waits for the write lock to keep its figures, before going on without


def last_seq(conn: sqlite3.Connection) -> int:
    """The last event recorded: read before counting, so that any event the count may have missed is newer."""
    return int(conn.execute("SELECT COALESCE(MAX(seq), 0) FROM events").fetchone()[0])


def kept(conn: sqlite3.Connection, key: str, moment: str) -> str | None:
    """The figures kept under ``key``, unless an event recorded since is dated up to ``moment``, or is one
    that may change the past whatever its date (not in ``DATED_ACTIONS``: a correction, an undo…)."""
    row = conn.execute("SELECT built_seq, data FROM report_figures WHERE key = ?", (key,)).fetchone()
    # A count said to be newer than the last event, or figures that are not text, are no kept figures.
    if row is None or not isinstance(row[0], int) or row[0] > last_seq(conn) or not isinstance(row[1], str):
        return None
    # By seq (the events recorded since: few), never by the index on ``at`` (every event up to the moment).
    sql = f"SELECT 1 FROM events WHERE seq > ? AND (+at <= ? OR action NOT IN {_DATED}) LIMIT 1"
    newer = conn.execute(sql, (row[0], moment)).fetchone()
    return None if newer else str(row[1])


def keep(conn: sqlite3.Connection, key: str, month: str, grouping: str, built_seq: int, data: str) -> bool:
    """Keep figures under ``key`` (replacing those of the same month and grouping counted otherwise); False
    when the ledger is busy or read-only."""
    conn.execute(f"PRAGMA busy_timeout = {KEEP_WAIT_MS}")
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError:
        return False
    finally:
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
    try:
        # Rows of no month or grouping (damaged) would never be read nor replaced: they go too.
        conn.execute(
            f"DELETE FROM report_figures WHERE key = ? OR (month = ? AND grouping = ?) OR {_UNREACHABLE}",
            (key, month, grouping),
        )
        conn.execute(
            "INSERT INTO report_figures (key, month, grouping, built_seq, data) VALUES (?, ?, ?, ?, ?)",
            (key, month, grouping, built_seq, data),
        )
        conn.execute("COMMIT")
    except sqlite3.OperationalError:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        return False
    return True


def kept_months(conn: sqlite3.Connection, since: str) -> set[tuple[str, str]]:
    """(month, grouping) of the figures kept for a month from ``since`` (YYYY-MM) on, standing or not."""
    found = conn.execute("SELECT DISTINCT month, grouping FROM report_figures WHERE month >= ?", (since,))
    return {(row[0], row[1]) for row in found if isinstance(row[0], str) and row[1] in _KNOWN}


def rows(conn: sqlite3.Connection) -> list[tuple[object, object, object, object, object]]:
    """Every kept entry as stored (key, month, grouping, built_seq, data), for ``check``: a few per month."""
    found = conn.execute("SELECT key, month, grouping, built_seq, data FROM report_figures ORDER BY key")
    return [(row[0], row[1], row[2], row[3], row[4]) for row in found]
