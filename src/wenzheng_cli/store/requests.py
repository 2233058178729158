"""The requests ``wenzheng serve`` has run that may change the ledger: by id, the clerk who sent it, a digest of the
command, how many of its transactions were committed, and its answer once given (for a retry)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass


@dataclass(frozen=True)
class Kept:
    clerk: str
    digest: str
    commits: int
    code: int | None
    response: bytes | None


def find(conn: sqlite3.Connection, request: str) -> Kept | None:
    row = conn.execute(
        "SELECT clerk, digest, commits, code, response FROM requests WHERE id = ?", (request,)
    ).fetchone()
    if row is None:
        return None
    return Kept(row[0], row[1], int(row[2]), row[3], None if row[4] is None else bytes(row[4]))


def applied(conn: sqlite3.Connection, request: str, clerk: str, digest: str, at: str) -> None:
    """Inside the transaction that applies part of ``request``: note it, with that transaction."""
    conn.execute(
        "INSERT INTO requests (id, clerk, digest, received_at, commits) VALUES (?, ?, ?, ?, 1) "
        "ON CONFLICT (id) DO UPDATE SET commits = commits + 1",
        (request, clerk, digest, at),
    )


def answered(
    conn: sqlite3.Connection, request: str, clerk: str, digest: str, at: str, code: int, response: bytes
) -> None:
    conn.execute(
        "INSERT INTO requests (id, clerk, digest, received_at, commits, code, response) "
        "VALUES (?, ?, ?, ?, 0, ?, ?) ON CONFLICT (id) DO UPDATE SET code = excluded.code, "
        "response = excluded.response",
        (request, clerk, digest, at, code, response),
    )


def prune(conn: sqlite3.Connection, before: str) -> None:
    """Forget the answers of requests older than ``before``: a retry comes within minutes, not weeks."""
    conn.execute("DELETE FROM requests WHERE received_at < ?", (before,))
