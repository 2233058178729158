"""The SQL of the street's roll-up: another office's ledger attached read-only beside this one, its events
added once by their ids, its cases and activities brought over, and what the roll-up keeps of its sources.

The file rolled up is attached as ``rollup_src`` through a read-only URI (``mode=ro``: nothing of it is
written, no journal or ``-wal`` made beside it), or ``immutable=1`` for a WAL-mode copy with no ``-wal``
beside it (read-only, SQLite could not otherwise read it without making a ``-shm``).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from wenzheng_cli.domain.ids import new_ulid
from wenzheng_cli.store import schema
from wenzheng_cli.store.ledger import BUSY_TIMEOUT_S

SRC = "rollup_src"
_EVENT_COLUMNS = ("case_id", "action", "at", "recorded_at", "actor", "payload", "origin")


def attach(conn: sqlite3.Connection, path: Path, *, immutable: bool) -> None:
    flag = "immutable=1" if immutable else "mode=ro"
    conn.execute(f"ATTACH DATABASE ? AS {SRC}", (f"file:{quote(str(path.absolute()))}?{flag}",))


def detach(conn: sqlite3.Connection) -> None:
    conn.execute(f"DETACH DATABASE {SRC}")


def version(conn: sqlite3.Connection) -> int:
    return int(conn.execute(f"PRAGMA {SRC}.user_version").fetchone()[0])


def tables(conn: sqlite3.Connection) -> set[str]:
    return {row[0] for row in conn.execute(f"SELECT name FROM {SRC}.sqlite_master WHERE type = 'table'")}


def is_ledger(conn: sqlite3.Connection) -> bool:
    """Whether the attached file is a ledger of this program (its migrations say so)."""
    if "_sqlite_migrations" not in tables(conn):
        return False
    found = conn.execute(
        f"SELECT 1 FROM {SRC}._sqlite_migrations WHERE migration_set = 'wenzheng' LIMIT 1"
    ).fetchone()
    return found is not None


def identity(conn: sqlite3.Connection, schema: str = "main") -> str:
    row = conn.execute(f"SELECT id FROM {schema}.ledger_identity WHERE one = 1").fetchone()
    return str(row[0]) if row else ""


def renew_identity(conn: sqlite3.Connection) -> None:
    """Give the ledger a new identity: when it is given its office (it holds no case yet), so that copies of
    one blank ledger made into several offices' ledgers are told apart."""
    conn.execute("UPDATE ledger_identity SET id = ? WHERE one = 1", (new_ulid(),))


@dataclass(frozen=True)
class Claim:
    """An office whose cases a file holds: its code, its name, its ledger's identity."""

    office: str
    name: str | None
    ledger_id: str


def setting(conn: sqlite3.Connection, key: str, schema: str = "main") -> Any:
    row = conn.execute(f"SELECT value FROM {schema}.settings WHERE key = ?", (key,)).fetchone()
    if row is None:
        return None
    try:
        return json.loads(row[0])
    except (TypeError, ValueError):
        return row[0]


def claims(conn: sqlite3.Connection) -> list[Claim]:
    """The offices the attached file holds cases of, besides its own: those it rolled up itself."""
    rows = conn.execute(f"SELECT office, name, ledger_id FROM {SRC}.rollup_sources ORDER BY office")
    return [Claim(str(o), n, str(i)) for o, n, i in rows]


def case_offices(conn: sqlite3.Connection) -> list[str]:
    return [str(row[0]) for row in conn.execute(f"SELECT DISTINCT office FROM {SRC}.cases ORDER BY office")]


def conflicts(conn: sqlite3.Connection, limit: int = 20) -> list[str]:
    """Ids of the file's events this ledger holds with other content (first ``limit``)."""
    differs = " OR ".join(f"m.{name} IS NOT s.{name}" for name in _EVENT_COLUMNS)
    rows = conn.execute(
        f"SELECT s.id FROM {SRC}.events s JOIN main.events m ON m.id = s.id WHERE {differs} ORDER BY s.seq LIMIT ?",
        (limit,),
    )
    return [str(row[0]) for row in rows]


def case_clashes(conn: sqlite3.Connection, limit: int = 20) -> list[tuple[str, str]]:
    """(number, case id) of the file's cases whose number this ledger holds for another case, or whose id it
    holds under another number."""
    rows = conn.execute(
        f"SELECT s.number, s.id FROM {SRC}.cases s JOIN main.cases m"
        f" ON (m.id = s.id AND m.number IS NOT s.number) OR (m.number = s.number AND m.id IS NOT s.id)"
        f" LIMIT ?",
        (limit,),
    )
    return [(str(n), str(i)) for n, i in rows]


_NEW = "NOT EXISTS (SELECT 1 FROM main.events m WHERE m.id = s.id)"


def mark_new(conn: sqlite3.Connection) -> None:
    """Note the cases the file has new events for (``temp.rollup_new``), before the events are added."""
    conn.execute(
        "CREATE TEMP TABLE IF NOT EXISTS rollup_new (case_id TEXT PRIMARY KEY, added INTEGER NOT NULL)"
    )
    conn.execute("DELETE FROM temp.rollup_new")
    conn.execute(
        f"INSERT INTO temp.rollup_new (case_id, added) SELECT DISTINCT s.case_id,"
        f" NOT EXISTS (SELECT 1 FROM main.cases c WHERE c.id = s.case_id) FROM {SRC}.events s WHERE {_NEW}"
    )


def add_events(conn: sqlite3.Connection) -> int:
    """Add the file's events this ledger lacks, in the file's order; how many. Their cases follow in the same
    transaction (the foreign keys are checked at its commit)."""
    conn.execute("PRAGMA defer_foreign_keys = ON")
    names = ", ".join(("id", *_EVENT_COLUMNS))
    cursor = conn.execute(
        f"INSERT INTO main.events ({names}) SELECT {', '.join('s.' + n for n in names.split(', '))}"
        f" FROM {SRC}.events s WHERE {_NEW} ORDER BY s.seq"
    )
    return int(cursor.rowcount)


def new_counts(conn: sqlite3.Connection) -> tuple[int, int]:
    """(cases added, cases updated) among the cases marked by ``mark_new``."""
    row = conn.execute("SELECT COALESCE(SUM(added), 0), COUNT(*) FROM temp.rollup_new").fetchone()
    return int(row[0]), int(row[1]) - int(row[0])


def add_activities(conn: sqlite3.Connection, office: str) -> None:
    """The file's 问政 activities this ledger lacks (by their uid), and each office's number for them mapped to
    this ledger's: the file's own office numbers them as its table does, the offices it rolled up as it
    mapped them."""
    conn.execute(
        f"INSERT INTO main.activities (uid, title, kind, at, community, recorded_at, actor)"
        f" SELECT uid, title, kind, at, community, recorded_at, actor FROM {SRC}.activities s"
        f" WHERE NOT EXISTS (SELECT 1 FROM main.activities m WHERE m.uid = s.uid) ORDER BY s.id"
    )
    conn.execute(
        f"INSERT OR REPLACE INTO main.rollup_activities (office, local_id, id)"
        f" SELECT ?, s.id, m.id FROM {SRC}.activities s JOIN main.activities m ON m.uid = s.uid",
        (office,),
    )
    if "rollup_activities" in tables(conn):
        conn.execute(
            f"INSERT OR REPLACE INTO main.rollup_activities (office, local_id, id)"
            f" SELECT r.office, r.local_id, m.id FROM {SRC}.rollup_activities r"
            f" JOIN {SRC}.activities a ON a.id = r.id JOIN main.activities m ON m.uid = a.uid"
        )


def add_duplicate_flags(conn: sqlite3.Connection) -> None:
    """The file's flags of possible duplicates, between cases this ledger holds."""
    conn.execute(
        f"INSERT OR IGNORE INTO main.duplicate_flags (case_id, twin_id, reason, score, flagged_at)"
        f" SELECT case_id, twin_id, reason, score, flagged_at FROM {SRC}.duplicate_flags d"
        f" WHERE d.case_id IN (SELECT case_id FROM temp.rollup_new)"
        f" AND EXISTS (SELECT 1 FROM main.cases c WHERE c.id = d.twin_id)"
    )


def activity_maps(conn: sqlite3.Connection) -> dict[str, dict[int, int]]:
    found: dict[str, dict[int, int]] = {}
    for office, local, mine in conn.execute("SELECT office, local_id, id FROM rollup_activities"):
        found.setdefault(str(office), {})[int(local)] = int(mine)
    return found


def renames(conn: sqlite3.Connection) -> dict[str, dict[str, str]]:
    found: dict[str, dict[str, str]] = {}
    for field, old, new in conn.execute("SELECT field, old, new FROM value_maps"):
        found.setdefault(str(field), {})[str(old)] = str(new)
    return found


def save_renames(conn: sqlite3.Connection, field: str, mapping: dict[str, str]) -> None:
    conn.execute("DELETE FROM value_maps WHERE field = ?", (field,))
    conn.executemany(
        "INSERT INTO value_maps (field, old, new) VALUES (?, ?, ?)",
        [(field, old, new) for old, new in sorted(mapping.items())],
    )


def rename_foreign(conn: sqlite3.Connection, column: str, office: str, old: str, new: str) -> int:
    """Set ``column`` from ``old`` to ``new`` on the cases of offices other than ``office`` (the street's
    mapping, which their rebuild applies too); how many."""
    if column not in ("category", "channel", "nature", "community", "grid"):
        raise ValueError(f"not a list column: {column!r}")
    cursor = conn.execute(
        f"UPDATE cases SET {column} = ? WHERE {column} = ? AND office != ?", (new, old, office)
    )
    return int(cursor.rowcount)


def office_of(conn: sqlite3.Connection, office: str) -> str | None:
    """The name an office rolled up here calls itself (None: no such source)."""
    row = conn.execute("SELECT name FROM rollup_sources WHERE office = ?", (office,)).fetchone()
    return None if row is None else (row[0] or office)


def sources(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    rows = conn.execute(
        "SELECT office, name, ledger_id, file, digest, last_rollup, last_event_at, cases, events"
        " FROM rollup_sources ORDER BY office"
    )
    keys = (
        "office",
        "name",
        "ledger_id",
        "file",
        "digest",
        "last_rollup",
        "last_event_at",
        "cases",
        "events",
    )
    return [dict(zip(keys, row, strict=True)) for row in rows]


def hashed(conn: sqlite3.Connection, path: str) -> tuple[tuple[int, ...], str, int] | None:
    """(stat, digest, when) of the file at ``path`` as it was last hashed (``rollup_file_stats``), or None."""
    row = conn.execute(
        "SELECT device, inode, size, mtime_ns, ctime_ns, digest, hashed_ns FROM rollup_file_stats WHERE path = ?",
        (path,),
    ).fetchone()
    return (tuple(row[:5]), str(row[5]), int(row[6])) if row else None


def record_hash(
    conn: sqlite3.Connection, path: str, stat: tuple[int, ...], digest: str, hashed_ns: int
) -> None:
    conn.execute(
        "INSERT OR REPLACE INTO rollup_file_stats"
        " (path, device, inode, size, mtime_ns, ctime_ns, digest, hashed_ns) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (path, *stat, digest, hashed_ns),
    )


def seen(conn: sqlite3.Connection, digest: str) -> bool:
    return conn.execute("SELECT 1 FROM rollup_files WHERE digest = ?", (digest,)).fetchone() is not None


def file_offices(conn: sqlite3.Connection) -> dict[str, tuple[str | None, int]]:
    """For each office the attached file holds cases of: the latest time an event of it was recorded, and how
    many events it has there."""
    rows = conn.execute(
        f"SELECT c.office, MAX(e.recorded_at), COUNT(*) FROM {SRC}.events e"
        f" JOIN {SRC}.cases c ON c.id = e.case_id GROUP BY c.office"
    )
    return {str(o): (last, int(n)) for o, last, n in rows}


def record_source(
    conn: sqlite3.Connection, claim: Claim, *, file: str, digest: str, at: str, last_event_at: str | None
) -> None:
    """Keep what this roll-up says of one office (its counts as this ledger now holds them)."""
    cases = conn.execute("SELECT COUNT(*) FROM cases WHERE office = ?", (claim.office,)).fetchone()[0]
    events = conn.execute(
        "SELECT COUNT(*) FROM events WHERE case_id IN (SELECT id FROM cases WHERE office = ?)",
        (claim.office,),
    ).fetchone()[0]
    conn.execute(
        "INSERT INTO rollup_sources (office, name, ledger_id, file, digest, last_rollup, last_event_at, cases,"
        " events) VALUES (:office, :name, :ledger_id, :file, :digest, :at, :last, :cases, :events)"
        " ON CONFLICT(office) DO UPDATE SET name = excluded.name, file = excluded.file,"
        " digest = excluded.digest, last_rollup = excluded.last_rollup,"
        " last_event_at = nullif(max(coalesce(last_event_at, ''), coalesce(excluded.last_event_at, '')), ''),"
        " cases = excluded.cases, events = excluded.events",
        {
            "office": claim.office,
            "name": claim.name,
            "ledger_id": claim.ledger_id,
            "file": file,
            "digest": digest,
            "at": at,
            "last": last_event_at,
            "cases": cases,
            "events": events,
        },
    )


def record_file(conn: sqlite3.Connection, digest: str, file: str, at: str) -> None:
    conn.execute(
        "INSERT OR REPLACE INTO rollup_files (digest, file, rolled_at) VALUES (?, ?, ?)", (digest, file, at)
    )


def values_used(
    conn: sqlite3.Connection, columns: Sequence[str], own_office: str, offices: list[str]
) -> dict[str, set[str]]:
    """The values of each list column on the cases of ``offices`` (other offices' cases held here), in one
    reading of those cases."""
    allowed = ("category", "channel", "nature", "community", "grid")
    if any(column not in allowed for column in columns):
        raise ValueError(f"not list columns: {columns!r}")
    found: dict[str, set[str]] = {column: set() for column in columns}
    if not offices:
        return found
    marks = ", ".join("?" for _ in offices)
    rows = conn.execute(
        f"SELECT DISTINCT {', '.join(columns)} FROM cases WHERE office IN ({marks}) AND office != ?",
        (*offices, own_office),
    )
    for row in rows:
        for column, value in zip(columns, row, strict=True):
            if value:
                found[column].add(str(value))
    return found


def migrated_copy(path: Path, temp: Path, *, immutable: bool) -> None:
    """Copy the ledger at ``path`` (read-only) into ``temp`` and bring the copy to this program's schema
    through the migrations; ``path`` itself is only read."""
    # sqlite-utils is slow to load: only a ledger being made or upgraded needs it
    from sqlite_utils import Database

    flag = "immutable=1" if immutable else "mode=ro"
    source = sqlite3.connect(f"file:{quote(str(path.absolute()))}?{flag}", uri=True, timeout=SOURCE_WAIT_S)
    target = sqlite3.connect(temp, isolation_level=None)
    try:
        source.backup(target)
        target.execute("PRAGMA journal_mode = DELETE")
        target.execute("BEGIN IMMEDIATE")
        schema.upgrade(Database(target, execute_plugins=False))
        target.execute("COMMIT")
    finally:
        source.close()
        target.close()


SOURCE_WAIT_S = 2.0  # how long a file being written elsewhere is waited for before it is called locked


@contextmanager
def waiting_briefly(conn: sqlite3.Connection) -> Iterator[None]:
    """Wait at most ``SOURCE_WAIT_S`` for a lock on the files read (a file another program holds is locked)."""
    conn.execute(f"PRAGMA busy_timeout = {int(SOURCE_WAIT_S * 1000)}")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
