"""Numbered schema migrations (sqlite-utils ``Migrations``). Never edit one that has shipped: add the next.

``PRAGMA user_version`` mirrors the number of applied migrations so that opening an up-to-date ledger costs
one pragma read instead of a query of the migrations table.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("wenzheng")


@migrations(name="m001_initial")
def m001_initial(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        CREATE TABLE activities (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL,
            kind TEXT NOT NULL,
            at TEXT NOT NULL,
            community TEXT,
            recorded_at TEXT NOT NULL,
            actor TEXT NOT NULL
        );
        CREATE TABLE cases (
            pk INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            number TEXT NOT NULL UNIQUE,
            office TEXT NOT NULL,
            year INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            status TEXT NOT NULL CHECK (status IN
                ('registered','assigned','claimed','resolved','closed','withdrawn')),
            received_at TEXT NOT NULL,
            description TEXT NOT NULL,
            title TEXT,
            channel TEXT,
            category TEXT,
            nature TEXT,
            resident TEXT,
            phone TEXT,
            address TEXT,
            community TEXT,
            grid TEXT,
            handler TEXT,
            unit TEXT,
            level TEXT,
            due_at TEXT,
            original_due_at TEXT,
            difficulty INTEGER CHECK (difficulty IS NULL OR difficulty BETWEEN 1 AND 5),
            round INTEGER NOT NULL DEFAULT 1,
            supervised INTEGER NOT NULL DEFAULT 0,
            assigned_at TEXT,
            claimed_at TEXT,
            resolved_at TEXT,
            resolved_by TEXT,
            outcome TEXT,
            result TEXT,
            feedback TEXT,
            rating TEXT,
            revisited_at TEXT,
            closed_at TEXT,
            withdrawn_at TEXT,
            duplicate_of TEXT,
            activity_id INTEGER REFERENCES activities(id),
            source_key TEXT UNIQUE,
            extra TEXT,
            updated_at TEXT,
            UNIQUE (office, year, seq)
        );
        CREATE INDEX cases_status_due ON cases(status, due_at);
        CREATE INDEX cases_received ON cases(received_at);
        CREATE INDEX cases_community ON cases(community, status);
        CREATE INDEX cases_handler ON cases(handler, status);
        CREATE TABLE events (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE,
            case_id TEXT NOT NULL REFERENCES cases(id),
            action TEXT NOT NULL,
            at TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            actor TEXT NOT NULL,
            payload TEXT NOT NULL DEFAULT '{}',
            origin TEXT NOT NULL DEFAULT 'cli'
        );
        CREATE INDEX events_case ON events(case_id, seq);
        CREATE INDEX events_at ON events(at);
        CREATE TRIGGER events_no_update BEFORE UPDATE ON events
            BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
        CREATE TRIGGER events_no_delete BEFORE DELETE ON events
            BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
        """
    )


@migrations(name="m002_report_indexes")
def m002_report_indexes(db: Database) -> None:
    """What the reports need to read a month or a week of a million-case ledger in well under a second.

    - ``events_case_at``: "has this case an event after T?" in one probe (a case's state at T is its row
      unless it has), and the last business time of a case for ``--at`` checks.
    - ``cases_closed`` / ``cases_withdrawn``: the cases closed or withdrawn after T, i.e. open at T.
    """
    db.executescript(
        """
        CREATE INDEX events_case_at ON events(case_id, at);
        CREATE INDEX cases_closed ON cases(closed_at) WHERE closed_at IS NOT NULL;
        CREATE INDEX cases_withdrawn ON cases(withdrawn_at) WHERE withdrawn_at IS NOT NULL;
        """
    )


LATEST = len(migrations._migrations)


def upgrade(db: Database) -> None:
    """Apply pending migrations; the caller holds the write lock."""
    migrations.apply(db)
    db.execute(f"PRAGMA user_version = {LATEST}")
