"""``list --search`` through the trigram index ``case_search`` (schema m007): which cases hold every word typed.

A word of three characters or more is a phrase of trigrams, which FTS5 finds exactly. A word of two (路灯, 噪音)
has no trigram of its own; it is found through the index's terms: the trigrams that begin with it (every
character of an indexed field is followed by at least one more, a line break at the end). A single character
is too common to be worth an index: it is looked for by reading the text fields.

How the matching cases are then put in order depends on how many there are. A few: each is read by its key and
sorted (the cost grows with the matches). Many (路灯 in 26,000 cases of a million): the received-time index is
walked from the newest end, keeping the cases in the match set, until the page is full (the cost grows with the
page, not with the matches).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from wenzheng_cli.store.schema import SEARCH_BODY_SQL, SEARCH_FIELDS

# Beyond this many trigrams beginning with a two-character word, reading the text is as quick as the index.
MAX_TERMS = 3000
# Walking the received-time index beats reading every match by its key when the index entries to walk (the
# page over the share of cases that match) are fewer than this many times the matches.
WALK_FACTOR = 10
_LAST = chr(0x10FFFF)


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _like(word: str) -> str:
    return "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


@dataclass
class Search:
    """A search as the index answers it: an FTS5 query for the words it holds, the words read in the text."""

    query: str | None = None
    scans: tuple[str, ...] = ()
    empty: bool = False  # a word the index knows no trigram for: no case can match
    matches: int | None = None  # counted on first use

    def count(self, conn: sqlite3.Connection) -> int:
        """How many cases hold the indexed words (all the words when none is read in the text)."""
        if self.empty:
            return 0
        if self.query is None:
            raise ValueError("no indexed word to count")
        if self.matches is None:
            sql = "SELECT COUNT(*) FROM case_search WHERE case_search MATCH ?"
            self.matches = int(conn.execute(sql, (self.query,)).fetchone()[0])
        return self.matches

    @property
    def exact(self) -> bool:
        """The index alone answers it (no word is read in the text)."""
        return self.empty or (self.query is not None and not self.scans)

    def clause(self, walk: bool = False) -> tuple[str, list[Any]]:
        """A WHERE clause over ``cases`` and its parameters. ``walk``: the match set only filters (``+pk``),
        so that SQLite may walk an index in the order asked for."""
        if self.empty:
            return "0", []
        clauses: list[str] = []
        params: list[Any] = []
        if self.query is not None:
            key = "+pk" if walk else "pk"
            clauses.append(f"{key} IN (SELECT rowid FROM case_search WHERE case_search MATCH ?)")
            params.append(self.query)
        for word in self.scans:
            clauses.append("(" + " OR ".join(f"{name} LIKE ? ESCAPE '\\'" for name in SEARCH_FIELDS) + ")")
            params.extend([_like(word)] * len(SEARCH_FIELDS))
        return " AND ".join(clauses), params

    def worth_walking(self, conn: sqlite3.Connection, wanted: int | None) -> bool:
        """Whether the first ``wanted`` cases (None: all) are found sooner by walking an index in order."""
        if not self.exact or self.empty:
            return False
        matches = self.count(conn)
        if matches == 0:
            return False
        total = int(conn.execute("SELECT COALESCE(MAX(pk), 0) FROM cases").fetchone()[0])
        page = total if wanted is None else min(wanted, total)
        return page * total < WALK_FACTOR * matches * matches


def parse_search(conn: sqlite3.Connection, text: str) -> Search:
    """Every word of ``text`` (split at spaces) must be in a case's text fields, in any case for letters."""
    phrases: list[str] = []
    scans: list[str] = []
    for word in dict.fromkeys(text.split()):
        if len(word) >= 3:
            phrases.append(_quoted(word))
        elif len(word) == 2:
            lowered = word.lower()  # terms are stored case-folded, as the tokenizer folds the text
            terms = [
                row[0]
                for row in conn.execute(
                    "SELECT term FROM case_search_terms WHERE term >= ? AND term < ? LIMIT ?",
                    (lowered, lowered + _LAST, MAX_TERMS + 1),
                )
            ]
            if not terms:
                return Search(empty=True)
            if len(terms) > MAX_TERMS:
                scans.append(word)
            else:
                phrases.append("(" + " OR ".join(_quoted(term) for term in terms) + ")")
        else:
            scans.append(word)
    return Search(query=" AND ".join(phrases) or None, scans=tuple(scans))


def last_case_pk(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT COALESCE(MAX(pk), 0) FROM cases").fetchone()[0])


_TRIGGER = "case_search_insert"


def pause_indexing(conn: sqlite3.Connection) -> str | None:
    """For a bulk insert of cases: the insert trigger is set aside until ``index_added`` puts it back, in the
    same transaction (which alone ever sees it gone; a rollback brings it back). Dropped rather than told to
    skip (a row in ``search_paused``): a trigger that is there costs each inserted row its firing, about a
    tenth of a second per 100,000 cases even when it does nothing. Returns what ``index_added`` needs."""
    row = conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (_TRIGGER,)
    ).fetchone()
    if row is None:
        return None
    conn.execute(f"DROP TRIGGER {_TRIGGER}")
    return str(row[0])


def index_added(conn: sqlite3.Connection, after_pk: int, paused: str | None) -> None:
    """Index the cases added after ``after_pk`` in one statement, and put back the trigger ``pause_indexing``
    set aside (``paused``)."""
    body = SEARCH_BODY_SQL.format(row="cases")
    conn.execute(
        f"INSERT INTO case_search (rowid, body) SELECT pk, {body} FROM cases WHERE pk > ?", (after_pk,)
    )
    if paused is not None:
        conn.execute(paused)
