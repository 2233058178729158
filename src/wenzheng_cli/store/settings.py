"""The office's settings rows: one JSON value per key (see ``config`` for the keys and their defaults)."""

from __future__ import annotations

import json
import sqlite3
from typing import Any


def read_all(conn: sqlite3.Connection) -> dict[str, Any]:
    """Every stored setting, decoded; a value that is not JSON is returned as the raw text (the caller checks it)."""
    found: dict[str, Any] = {}
    for key, value in conn.execute("SELECT key, value FROM settings"):
        try:
            found[key] = json.loads(value)
        except (TypeError, ValueError):
            found[key] = value
    return found


def save(conn: sqlite3.Connection, key: str, value: Any) -> None:
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (key, json.dumps(value, ensure_ascii=False)),
    )


def remove(conn: sqlite3.Connection, key: str) -> None:
    conn.execute("DELETE FROM settings WHERE key = ?", (key,))
