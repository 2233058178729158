"""What every migration is written with: its type, and ``run_script`` to run its SQL inside the upgrade's
transaction."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database

Migration = Callable[["Database"], None]


def run_script(db: Database, script: str) -> None:
    """Run each statement inside the caller's transaction. ``executescript`` would COMMIT it first, so a
    migration would no longer be all-or-nothing and two processes creating a ledger could both run it."""
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            db.execute(pending)
            pending = ""
    if pending.strip():
        raise ValueError(f"incomplete statement in migration: {pending[:60]}")
