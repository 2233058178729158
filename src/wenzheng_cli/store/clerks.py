"""The clerks of a served ledger (table ``clerks``, migration m015_serve): a role and a token's hash by name."""

from __future__ import annotations

import sqlite3
from typing import Any

_LISTED = ("name", "role", "added_at", "added_by")


def insert_clerk(conn: sqlite3.Connection, values: dict[str, Any]) -> None:
    conn.execute(
        "INSERT INTO clerks (name, role, token_hash, added_at, added_by)"
        " VALUES (:name, :role, :token_hash, :added_at, :added_by)",
        values,
    )


def get_clerk(conn: sqlite3.Connection, name: str) -> dict[str, Any] | None:
    """The clerk of that name as listed (without the token's hash), or ``None``."""
    row = conn.execute(f"SELECT {', '.join(_LISTED)} FROM clerks WHERE name = ?", (name,)).fetchone()
    return dict(zip(_LISTED, row, strict=True)) if row else None


def has_clerk(conn: sqlite3.Connection, name: str) -> bool:
    return conn.execute("SELECT 1 FROM clerks WHERE name = ?", (name,)).fetchone() is not None


def list_clerks(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Every clerk by name, without the token's hash."""
    rows = conn.execute(f"SELECT {', '.join(_LISTED)} FROM clerks ORDER BY added_at, rowid")
    return [dict(zip(_LISTED, row, strict=True)) for row in rows]


def clerk_names(conn: sqlite3.Connection) -> list[str]:
    return [row[0] for row in conn.execute("SELECT name FROM clerks ORDER BY name")]


def delete_clerk(conn: sqlite3.Connection, name: str) -> bool:
    return conn.execute("DELETE FROM clerks WHERE name = ?", (name,)).rowcount > 0


def clerk_by_token_hash(conn: sqlite3.Connection, token_hash: str) -> tuple[str, str] | None:
    """(name, role) of the clerk whose token has this hash (the UNIQUE index on ``token_hash``)."""
    row = conn.execute("SELECT name, role FROM clerks WHERE token_hash = ?", (token_hash,)).fetchone()
    return (str(row[0]), str(row[1])) if row else None
