"""The migrations m001–m008, as shipped: the ledger's tables, the duplicate flags, the indexes the reports read,
the suggestion model and the corrections. Never edit one: the next goes in the latest of these modules, and its
line in ``schema.MIGRATIONS``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from wenzheng_cli.store.migration_script import run_script

if TYPE_CHECKING:
    from sqlite_utils import Database


def m001_initial(db: Database) -> None:
    run_script(
        db,
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
        """,
    )


def m002_duplicate_flags(db: Database) -> None:
    """Possible duplicates found by imports: flagged on the case with the twin and why, never merged."""
    run_script(
        db,
        """
        CREATE TABLE duplicate_flags (
            case_id TEXT NOT NULL REFERENCES cases(id),
            twin_id TEXT NOT NULL REFERENCES cases(id),
            reason TEXT NOT NULL CHECK (reason IN ('phone', 'address', 'text')),
            score REAL NOT NULL,
            flagged_at TEXT NOT NULL,
            PRIMARY KEY (case_id, twin_id)
        ) WITHOUT ROWID;
        CREATE INDEX duplicate_flags_twin ON duplicate_flags(twin_id);
        CREATE INDEX cases_phone ON cases(phone) WHERE phone IS NOT NULL;
        CREATE INDEX cases_address ON cases(address, category) WHERE address IS NOT NULL;
        """,
    )


def m003_report_indexes(db: Database) -> None:
    """What the reports read on a ledger of a million cases, each from an index rather than a table scan.

    - ``events_at_action``: "which cases have events after the moment T, and which of them were received
      after it?" (a case's state at T is its ``cases`` row unless it has such an event), answered from the
      index alone; and a week's resolutions and revisits without reading its other events. It serves every
      query ``events_at`` served, so it replaces it.
    - ``cases_open``: the cases not yet closed or withdrawn, a few thousand among a million, by date received
      (the weekly 结转未销账 and 下周二通报). Partial, so it costs nothing for the closed ones.
    - ``cases_closed`` / ``cases_withdrawn``: the cases closed or withdrawn after T and received before it,
      i.e. open at T though not now (逾期未办结 as of a past moment), read from the index alone.
    """
    run_script(
        db,
        """
        CREATE INDEX events_at_action ON events(at, action, case_id);
        DROP INDEX events_at;
        CREATE INDEX cases_open ON cases(received_at)
            WHERE status IN ('registered', 'assigned', 'claimed', 'resolved');
        CREATE INDEX cases_closed ON cases(closed_at, received_at) WHERE closed_at IS NOT NULL;
        CREATE INDEX cases_withdrawn ON cases(withdrawn_at, received_at) WHERE withdrawn_at IS NOT NULL;
        """,
    )


def m004_flag_same_key(db: Database) -> None:
    """A fourth reason for a possible duplicate: ``key``, a row whose source key (留言编号) an earlier row of the
    same import had, with different content. SQLite cannot change a CHECK in place, so the (small) table is
    copied into one with the new CHECK."""
    run_script(
        db,
        """
        CREATE TABLE duplicate_flags_next (
            case_id TEXT NOT NULL REFERENCES cases(id),
            twin_id TEXT NOT NULL REFERENCES cases(id),
            reason TEXT NOT NULL CHECK (reason IN ('phone', 'address', 'text', 'key')),
            score REAL NOT NULL,
            flagged_at TEXT NOT NULL,
            PRIMARY KEY (case_id, twin_id)
        ) WITHOUT ROWID;
        INSERT INTO duplicate_flags_next (case_id, twin_id, reason, score, flagged_at)
            SELECT case_id, twin_id, reason, score, flagged_at FROM duplicate_flags;
        DROP TABLE duplicate_flags;
        ALTER TABLE duplicate_flags_next RENAME TO duplicate_flags;
        CREATE INDEX duplicate_flags_twin ON duplicate_flags(twin_id);
        """,
    )


# A phone as digits, for matching: ``138 1234 5678``, ``138-1234-5678`` and ``+86 13812345678`` are one
# number. The SQL twin of ``domain.fields.phone_digits`` for the separators it drops (a test holds the two
# equal); only the shipped m005 uses it, for an index m007 dropped.
PHONE_KEY_SQL = (
    "replace(replace(replace(replace(replace({col}, ' ', ''), '-', ''), '(', ''), ')', ''), '+86', '')"
)


def m005_phone_key(db: Database) -> None:
    """Possible duplicates by phone compare the digits, not the number as typed: the index on the phone as
    written gives way to one on its digits (it served nothing else)."""
    run_script(
        db,
        f"""
        CREATE INDEX cases_phone_key ON cases({PHONE_KEY_SQL.format(col="phone")}) WHERE phone IS NOT NULL;
        DROP INDEX cases_phone;
        """,
    )


def m006_suggest_model(db: Database) -> None:
    """What ``wenzheng suggest`` learned from this ledger's own cases, kept in the ledger so a backup carries it.

    - ``suggest_model``: one row per target (``category``, ``unit``): the classes, their intercepts, and what
      the model was trained on (how many cases, up to which case) to tell when it is stale.
    - ``suggest_weights``: per target and character n-gram, its idf and one weight per class (idf × the linear
      model's coefficient, little-endian float32), read only for the n-grams of the text being scored.
    - ``cases.category_suggested``: the category was filled in by the suggestion (an import with
      ``--suggest-category``), not chosen by a clerk.
    """
    run_script(
        db,
        """
        ALTER TABLE cases ADD COLUMN category_suggested INTEGER NOT NULL DEFAULT 0;
        CREATE TABLE suggest_model (
            target TEXT PRIMARY KEY CHECK (target IN ('category', 'unit')),
            classes TEXT NOT NULL,
            intercepts TEXT NOT NULL,
            scale REAL NOT NULL,
            cases INTEGER NOT NULL,
            max_pk INTEGER NOT NULL,
            features INTEGER NOT NULL,
            trained_at TEXT NOT NULL
        );
        CREATE TABLE suggest_weights (
            target TEXT NOT NULL REFERENCES suggest_model(target),
            feature TEXT NOT NULL,
            idf REAL NOT NULL,
            weights BLOB NOT NULL,
            PRIMARY KEY (target, feature)
        ) WITHOUT ROWID;
        """,
    )


def m007_repeats_found_in_memory(db: Database) -> None:
    """Imports find possible duplicates (by phone, address and category, text) in one sweep of the import beside
    the ledger's cases of the same days, read by received time (``core.duplicates``): the indexes on the
    phone's digits and on the address served nothing else, and cost every intake and imported row."""
    run_script(
        db,
        """
        DROP INDEX IF EXISTS cases_phone_key;
        DROP INDEX IF EXISTS cases_address;
        """,
    )


def m008_corrections(db: Database) -> None:
    """挂牌督办 told apart from 督办 (``listed``, set for the cases whose supervise events already said so), and
    the undo events by an index of their own: the reports leave out the events undone, a few among millions."""
    run_script(
        db,
        """
        ALTER TABLE cases ADD COLUMN listed INTEGER NOT NULL DEFAULT 0;
        UPDATE cases SET listed = 1 WHERE id IN (
            SELECT case_id FROM events
            WHERE action = 'supervise' AND json_extract(payload, '$.kind') = '挂牌督办');
        CREATE INDEX events_undo ON events(case_id) WHERE action = 'undo';
        """,
    )
