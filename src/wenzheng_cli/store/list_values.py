"""Where a value of the office's lists (a category, channel, nature, community or grid) lives besides the cases
and the settings: the activities (their community), the suggestion model (its categories) and the kept
figures of past months (counted by value). ``config rename`` moves a value in all of them and ``config remove``
asks them whether a value is still in use; the search index holds no list value (``schema.SEARCH_FIELDS``)."""

from __future__ import annotations

import json
import sqlite3

from wenzheng_cli.store.cases import LIST_COLUMNS

# The list fields an activity carries (an activity has a community, nothing else of the lists).
ACTIVITY_FIELDS = ("community",)
# The list fields a suggestion model learns as its classes (its ``target``).
MODEL_FIELDS = ("category",)


def cases_using(conn: sqlite3.Connection, field: str, value: str) -> int:
    """How many cases carry ``value`` in ``field``."""
    if field not in LIST_COLUMNS:
        raise ValueError(f"not a list column: {field!r}")
    return int(conn.execute(f"SELECT COUNT(*) FROM cases WHERE {field} = ?", (value,)).fetchone()[0])


def activities_using(conn: sqlite3.Connection, field: str, value: str) -> int:
    """How many activities carry ``value`` in ``field`` (0 for a field activities do not have)."""
    if field not in ACTIVITY_FIELDS:
        return 0
    return int(conn.execute(f"SELECT COUNT(*) FROM activities WHERE {field} = ?", (value,)).fetchone()[0])


def rename_in_activities(conn: sqlite3.Connection, field: str, old: str, new: str) -> int:
    """Move the activities that carry ``old`` to ``new``; how many moved."""
    if field not in ACTIVITY_FIELDS:
        return 0
    return conn.execute(f"UPDATE activities SET {field} = ? WHERE {field} = ?", (new, old)).rowcount


def rename_in_model(conn: sqlite3.Connection, field: str, old: str, new: str | None) -> None:
    """The suggestion model of ``field`` after ``old`` became ``new`` (``None``: ``old`` is gone): the class is
    renamed where that leaves the classes distinct; a model that would hold ``new`` twice (two classes merged),
    or whose row cannot be read, is dropped, to be learned again from the cases by the next ``suggest``."""
    if field not in MODEL_FIELDS:
        return
    row = conn.execute("SELECT classes FROM suggest_model WHERE target = ?", (field,)).fetchone()
    if row is None:
        return
    try:
        classes = json.loads(row[0])
    except (TypeError, ValueError):
        classes = None
    if isinstance(classes, list) and old not in classes:
        return
    if isinstance(classes, list) and new is not None and new not in classes:
        renamed = [new if name == old else name for name in classes]
        conn.execute(
            "UPDATE suggest_model SET classes = ? WHERE target = ?",
            (json.dumps(renamed, ensure_ascii=False), field),
        )
        return
    conn.execute("DELETE FROM suggest_weights WHERE target = ?", (field,))
    conn.execute("DELETE FROM suggest_model WHERE target = ?", (field,))


def forget_figures(conn: sqlite3.Connection) -> None:
    """Drop every kept month's figures (they are counted by value: a renamed value would stay under its old
    name in them); the next report counts them again."""
    conn.execute("DELETE FROM report_figures")
