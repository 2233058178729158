"""Numbered schema migrations, applied with sqlite-utils ``Migrations``. Never edit a shipped one: add the next.

``PRAGMA user_version`` mirrors the number of migrations so that opening an up-to-date ledger costs one pragma
read. The migrations are collected here without importing sqlite-utils, which only loads when a ledger is upgraded:
a clerk's command on a current ledger does not pay for it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database

Migration = Callable[["Database"], None]
MIGRATIONS: list[tuple[str, Migration]] = []


def migrations(*, name: str) -> Callable[[Migration], Migration]:
    """Register the next migration, in order (same call shape as ``Migrations.__call__``)."""

    def register(fn: Migration) -> Migration:
        if any(existing == name for existing, _ in MIGRATIONS):
            raise ValueError(f"migration {name} registered twice")
        MIGRATIONS.append((name, fn))
        return fn

    return register


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


@migrations(name="m001_initial")
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


@migrations(name="m002_duplicate_flags")
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


@migrations(name="m003_report_indexes")
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


@migrations(name="m004_flag_same_key")
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


@migrations(name="m005_phone_key")
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


@migrations(name="m006_suggest_model")
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


@migrations(name="m007_repeats_found_in_memory")
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


@migrations(name="m008_corrections")
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


# What ``list --search`` looks in: the case's text fields, each followed by a line break, in one document
# per case ({row} is ``new`` or ``old`` in a trigger). The line break after every field puts each pair of
# characters of a field at the start of a trigram, which is how a two-character word is found.
SEARCH_FIELDS = ("title", "description", "address", "resident", "phone", "result")
SEARCH_BODY_SQL = " || ".join(f"coalesce({{row}}.{name} || char(10), '')" for name in SEARCH_FIELDS)


@migrations(name="m009_search_index")
def m009_search_index(db: Database) -> None:
    """``list --search`` through an index rather than reading every case: an FTS5 trigram index of the text
    fields (any word of three characters or more), whose terms (``case_search_terms``) also find the words of
    two (路灯: the trigrams that begin with it). Kept in step by triggers, in the same transaction as every
    write to ``cases`` (intake, import, amend, the lifecycle); built here for the cases already there.

    An import pauses the insert trigger for its own transaction (a row in ``search_paused``, never committed)
    and indexes its new cases in one statement at the end: FTS5 fed row by row from a trigger takes several
    times as long as the same rows indexed at once."""
    new, old = SEARCH_BODY_SQL.format(row="new"), SEARCH_BODY_SQL.format(row="old")
    fields = ", ".join(SEARCH_FIELDS)
    run_script(
        db,
        f"""
        CREATE VIRTUAL TABLE case_search USING fts5(
            body, tokenize = 'trigram', content = '', columnsize = 0);
        CREATE VIRTUAL TABLE case_search_terms USING fts5vocab(case_search, 'row');
        INSERT INTO case_search (rowid, body) SELECT pk, {SEARCH_BODY_SQL.format(row="cases")} FROM cases;
        CREATE TABLE search_paused (one INTEGER PRIMARY KEY CHECK (one = 1));
        CREATE TRIGGER case_search_insert AFTER INSERT ON cases
        WHEN NOT EXISTS (SELECT 1 FROM search_paused) BEGIN
            INSERT INTO case_search (rowid, body) VALUES (new.pk, {new});
        END;
        CREATE TRIGGER case_search_update AFTER UPDATE OF {fields} ON cases
        WHEN ({old}) IS NOT ({new}) BEGIN
            INSERT INTO case_search (case_search, rowid, body) VALUES ('delete', old.pk, {old});
            INSERT INTO case_search (rowid, body) VALUES (new.pk, {new});
        END;
        CREATE TRIGGER case_search_delete AFTER DELETE ON cases BEGIN
            INSERT INTO case_search (case_search, rowid, body) VALUES ('delete', old.pk, {old});
        END;
        """,
    )


@migrations(name="m010_report_figures")
def m010_report_figures(db: Database) -> None:
    """The figures of a month that is over, kept between runs (``store.figures``): a trend of twelve months on
    a ledger of a million cases would otherwise fold a million events each time. An entry stands as long as
    no event dated up to its moment has been recorded since (``built_seq``); ``key`` says what was counted
    (the month, its moment, the grouping, the settings that bear on the figures).

    ``events_notes``: each case's progress notes, for the latest one 下周二通报 tells the resident (a weekly
    台账 may list tens of thousands of open cases; the notes are a small part of the events)."""
    run_script(
        db,
        """
        CREATE TABLE report_figures (
            key TEXT PRIMARY KEY,
            month TEXT NOT NULL,
            grouping TEXT NOT NULL,
            built_seq INTEGER NOT NULL,
            data TEXT NOT NULL
        );
        CREATE INDEX events_notes ON events(case_id, seq) WHERE action = 'note';
        """,
    )


# How much the search index gathers in memory before it writes a segment (FTS5 ``hashsize``; its default is
# 1 MB). An import indexes its cases in one statement: with 1 MB, 100,000 cases became a hundred small segments
# merged again and again; a larger hash writes fewer, larger segments, for that much more memory at most.
SEARCH_HASH_BYTES = 8 * 1024 * 1024


@migrations(name="m011_search_hash_size")
def m011_search_hash_size(db: Database) -> None:
    """The search index gathers up to ``SEARCH_HASH_BYTES`` of new entries in memory before writing them: an
    import's one indexing statement writes a few large segments instead of many small ones merged over."""
    run_script(
        db,
        f"INSERT INTO case_search (case_search, rank) VALUES ('hashsize', {SEARCH_HASH_BYTES});",
    )


@migrations(name="m012_history")
def m012_history(db: Database) -> None:
    """``cases.history``: the case was imported as history (``import --history``), recorded as the file had it
    (closed when the file says 办结); the steps the file does not describe are unknown, not missing. Every case
    already in a ledger was entered or imported as live work."""
    run_script(db, "ALTER TABLE cases ADD COLUMN history INTEGER NOT NULL DEFAULT 0;")


@migrations(name="m013_ledger_identity")
def m013_ledger_identity(db: Database) -> None:
    """What a street's roll-up (``wenzheng rollup``) keeps, and the identity it tells ledgers apart by.

    - ``ledger_identity``: this ledger's id, a ULID made when the ledger is made; a ledger made before gets one
      derived from its first event (``domain.rollup.ledger_id``), so its copies and its upgraded self agree.
    - ``rollup_sources``: each office whose cases were rolled up into this ledger: its name as its own ledger
      calls itself, its identity, the file it last came in, the file's digest, when, the latest event the file
      held, and how many cases and events of it this ledger holds.
    - ``rollup_files``: the digest of every file rolled up, so an unchanged file is skipped unread.
    - ``value_maps``: the renames of list values (``config rename``) made in this ledger, applied to other
      offices' cases whenever they are rebuilt from their events.
    - ``rollup_activities``: another office's number for a 问政 activity, and this ledger's number for it."""
    # the pure rule of a ledger's identity: loaded with the migrations only
    from wenzheng_cli.domain.rollup import ledger_id

    first = db.execute("SELECT id FROM events ORDER BY seq LIMIT 1").fetchone()
    run_script(
        db,
        """
        CREATE TABLE ledger_identity (
            one INTEGER PRIMARY KEY CHECK (one = 1),
            id TEXT NOT NULL
        );
        CREATE TABLE rollup_sources (
            office TEXT PRIMARY KEY,
            name TEXT,
            ledger_id TEXT NOT NULL,
            file TEXT NOT NULL,
            digest TEXT NOT NULL,
            last_rollup TEXT NOT NULL,
            last_event_at TEXT,
            cases INTEGER NOT NULL DEFAULT 0,
            events INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE rollup_files (
            digest TEXT PRIMARY KEY,
            file TEXT NOT NULL,
            rolled_at TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE value_maps (
            field TEXT NOT NULL,
            old TEXT NOT NULL,
            new TEXT NOT NULL,
            PRIMARY KEY (field, old)
        ) WITHOUT ROWID;
        CREATE TABLE rollup_activities (
            office TEXT NOT NULL,
            local_id INTEGER NOT NULL,
            id INTEGER NOT NULL REFERENCES activities(id),
            PRIMARY KEY (office, local_id)
        ) WITHOUT ROWID;
        """,
    )
    db.execute(
        "INSERT INTO ledger_identity (one, id) VALUES (1, ?)", (ledger_id(first[0] if first else None),)
    )


@migrations(name="m014_reply_flags")
def m014_reply_flags(db: Database) -> None:
    """``cases.reply_flags``: what the latest reply lacks (``domain.reply_quality``), as the JSON text of a list
    (``[]`` when it is sound or there is none). Filled here for the cases whose reply came from a 办结 that
    stands (a 现场办结 is not judged), judged against the description as it now stands: what ``states.fold``
    gives for events recorded before the flags were."""
    # the pure judge: loaded with the migrations only
    from wenzheng_cli.domain.models import flags_text
    from wenzheng_cli.domain.reply_quality import judge

    run_script(db, "ALTER TABLE cases ADD COLUMN reply_flags TEXT NOT NULL DEFAULT '[]';")
    rows = db.execute(
        "SELECT c.id, c.result, c.description, c.title FROM cases c WHERE c.result IS NOT NULL"
        " AND EXISTS (SELECT 1 FROM events e WHERE e.case_id = c.id AND e.action = 'resolve'"
        " AND e.id NOT IN (SELECT json_extract(payload, '$.revokes') FROM events WHERE action = 'undo'))"
    )
    flagged = []
    for case_id, result, description, title in rows:
        flags = judge(result, description, title)
        if flags:
            flagged.append((flags_text(flags), case_id))
    db.conn.executemany("UPDATE cases SET reply_flags = ? WHERE id = ?", flagged)


def upgrade(db: Database) -> None:
    """Apply pending migrations; the caller holds the write lock."""
    # sqlite-utils is slow to load: only a ledger being made or upgraded needs it
    from sqlite_utils.migrations import Migrations

    chain = Migrations("wenzheng")
    for name, fn in MIGRATIONS:
        chain(name=name)(fn)
    chain.apply(db)
    db.execute(f"PRAGMA user_version = {latest()}")


def latest() -> int:
    return len(MIGRATIONS)
