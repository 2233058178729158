"""The migrations from m009 on, as shipped: the search index, the kept figures, history imports, the ledger's
identity for a street's roll-up, and the judged replies. Never edit one: the next goes at the end here (or in a
module of its own once this one is full), and its line in ``schema.MIGRATIONS``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from wenzheng_cli.store.migration_script import run_script

if TYPE_CHECKING:
    from sqlite_utils import Database


# What ``list --search`` looks in: the case's text fields, each followed by a line break, in one document
# per case ({row} is ``new`` or ``old`` in a trigger). The line break after every field puts each pair of
# characters of a field at the start of a trigram, which is how a two-character word is found.
SEARCH_FIELDS = ("title", "description", "address", "resident", "phone", "result")
SEARCH_BODY_SQL = " || ".join(f"coalesce({{row}}.{name} || char(10), '')" for name in SEARCH_FIELDS)


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


def m011_search_hash_size(db: Database) -> None:
    """The search index gathers up to ``SEARCH_HASH_BYTES`` of new entries in memory before writing them: an
    import's one indexing statement writes a few large segments instead of many small ones merged over."""
    run_script(
        db,
        f"INSERT INTO case_search (case_search, rank) VALUES ('hashsize', {SEARCH_HASH_BYTES});",
    )


def m012_history(db: Database) -> None:
    """``cases.history``: the case was imported as history (``import --history``), recorded as the file had it
    (closed when the file says 办结); the steps the file does not describe are unknown, not missing. Every case
    already in a ledger was entered or imported as live work."""
    run_script(db, "ALTER TABLE cases ADD COLUMN history INTEGER NOT NULL DEFAULT 0;")


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


def m015_serve(db: Database) -> None:
    """What a served ledger (``wenzheng serve``) keeps besides the office's work.

    - ``clerks``: each person with a token, by name: their role (``domain.clerks.Role``), the SHA-256 of their
      token (never the token itself), and when and by whom they were added.
    - ``requests``: each request a client sent, by the id the client gave it: who sent it, the digest of what
      it asked, when it came, how many transactions it committed, and its exit code and answer once done, so
      that a request sent again after a timeout gets its first answer instead of being done twice.

    Neither leaves the office: ``backup --without-pii`` empties both in its copy (``store.redacted``)."""
    run_script(
        db,
        """
        CREATE TABLE clerks (
            name TEXT PRIMARY KEY,
            role TEXT NOT NULL,
            token_hash TEXT NOT NULL UNIQUE,
            added_at TEXT NOT NULL,
            added_by TEXT NOT NULL
        );
        CREATE TABLE requests (
            id TEXT PRIMARY KEY,
            clerk TEXT NOT NULL,
            digest TEXT NOT NULL,
            received_at TEXT NOT NULL,
            commits INTEGER NOT NULL DEFAULT 0,
            code INTEGER,
            response BLOB
        );
        """,
    )


def m016_rollup_file_stats(db: Database) -> None:
    """``rollup_file_stats``: each file a roll-up hashed, by its resolved path: its device, inode, size, modification
    and status-change times when it was hashed, its digest, and when. A file whose stat is unchanged since (and
    was not changed in the moments before it was hashed, when a change could leave the times as they were) has
    that digest still, and is not read again to find it: a street's hundred unchanged files cost a hundred stats,
    not reading them all. A row that does not match the file is ignored and replaced."""
    run_script(
        db,
        """
        CREATE TABLE rollup_file_stats (
            path TEXT PRIMARY KEY,
            device INTEGER NOT NULL,
            inode INTEGER NOT NULL,
            size INTEGER NOT NULL,
            mtime_ns INTEGER NOT NULL,
            ctime_ns INTEGER NOT NULL,
            digest TEXT NOT NULL,
            hashed_ns INTEGER NOT NULL
        ) WITHOUT ROWID;
        """,
    )


def m017_office_values(db: Database) -> None:
    """``cases_office_values``: the cases' list values (category, channel, nature, community, grid) by office, so
    that a roll-up finds the values other offices use (``store.rollup.values_used``, what it lists as not yet in
    the street's lists) from the index, not by reading every case: a street of a million cases read them all at
    every roll-up, 3.6 s, even when every file was unchanged."""
    run_script(
        db,
        "CREATE INDEX cases_office_values ON cases(office, category, channel, nature, community, grid);",
    )


def m018_activity_offices(db: Database) -> None:
    """``rollup_activities_id``: the office a rolled-up 问政 activity came from, found by the activity, so that a
    street's 通报 by office counts each office's activities (``store.reports.activities_between``) without
    reading all the roll-up's activities for each one."""
    run_script(db, "CREATE INDEX rollup_activities_id ON rollup_activities(id);")
