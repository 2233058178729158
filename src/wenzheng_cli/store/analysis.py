"""Queries of the analyses: the cases ``hotspots`` reads, the cases ``suggest`` learns from, the model."""

from __future__ import annotations

import json
import math
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from wenzheng_cli.domain.models import Status

# Cases withdrawn by the resident are no evidence of a problem; a case withdrawn as a duplicate of another is
# (the resident did speak): it stays, with the case it repeats as its twin.
_IN_PERIOD = f"received_at >= ? AND received_at <= ? AND (status != '{Status.WITHDRAWN.value}' OR duplicate_of IS NOT NULL)"
# The twin: the case it was withdrawn as a duplicate of, else the likeliest twin an import flagged.
_TWIN = (
    "COALESCE((SELECT t.pk FROM cases t WHERE t.number = cases.duplicate_of),"
    " (SELECT t.pk FROM duplicate_flags f JOIN cases t ON t.id = f.twin_id WHERE f.case_id = cases.id"
    " ORDER BY f.score DESC, t.pk LIMIT 1))"
)
HOTSPOT_COLUMNS = (
    "pk, received_at, title, description, address, community, grid, resident, phone, extra,"
    f" {_TWIN}, duplicate_of IS NOT NULL, category"
)


def received_range(conn: sqlite3.Connection) -> tuple[str | None, str | None]:
    row = conn.execute("SELECT MIN(received_at), MAX(received_at) FROM cases").fetchone()
    return (row[0], row[1]) if row else (None, None)


def count_in_period(conn: sqlite3.Connection, start: str, end: str) -> int:
    return int(conn.execute(f"SELECT COUNT(*) FROM cases WHERE {_IN_PERIOD}", (start, end)).fetchone()[0])


def period_cases(conn: sqlite3.Connection, start: str, end: str) -> Iterator[tuple[Any, ...]]:
    """The period's cases in received order, streamed (``HOTSPOT_COLUMNS``)."""
    yield from conn.execute(
        f"SELECT {HOTSPOT_COLUMNS} FROM cases WHERE {_IN_PERIOD} ORDER BY received_at, pk", (start, end)
    )


def period_sample(conn: sqlite3.Connection, start: str, end: str, every: int) -> Iterator[tuple[Any, ...]]:
    """Every ``every``-th case of the period (by key), for the bigram statistics."""
    yield from conn.execute(
        f"SELECT {HOTSPOT_COLUMNS} FROM cases WHERE {_IN_PERIOD} AND pk % ? = 0", (start, end, every)
    )


def members_in_order(conn: sqlite3.Connection, pks: Sequence[int]) -> Iterator[tuple[Any, ...]]:
    """(pk, number, received_at, title, description, community, office) of the cases ``pks``, in received
    order, streamed: one query however many (a mass complaint's hotspot may hold a million)."""
    yield from conn.execute(
        "SELECT pk, number, received_at, title, description, community, office FROM cases"
        " WHERE pk IN (SELECT value FROM json_each(?)) ORDER BY received_at, pk",
        (json.dumps(list(pks)),),
    )


def twins_in_period(conn: sqlite3.Connection, start: str, end: str) -> set[int]:
    """The cases a case of the period repeats (withdrawn as its duplicate, or flagged so on import): the only
    ones whose hotspot must be remembered while the period is read."""
    rows = conn.execute(
        "SELECT t.pk FROM cases c JOIN cases t ON t.number = c.duplicate_of"
        " WHERE c.received_at >= ? AND c.received_at <= ? AND c.duplicate_of IS NOT NULL"
        # From the flags (few: those an import raised), not from the period's cases (a year of them).
        " UNION SELECT t.pk FROM duplicate_flags f CROSS JOIN cases c ON c.id = f.case_id"
        " JOIN cases t ON t.id = f.twin_id WHERE c.received_at >= ? AND c.received_at <= ?",
        (start, end, start, end),
    )
    return {row[0] for row in rows}


# --- suggest -------------------------------------------------------------------------------------------------

# The labelled cases of a target: a category a clerk chose (not one suggested), a unit a case was given.
_LABELLED = {
    "category": "category IS NOT NULL AND category != '' AND category_suggested = 0",
    "unit": "unit IS NOT NULL AND unit != ''",
}


def labelled_cases(
    conn: sqlite3.Connection, target: str, limit: int
) -> list[tuple[int, str | None, str, str]]:
    """The newest ``limit`` labelled cases: (pk, title, description, label)."""
    rows = conn.execute(
        f"SELECT pk, title, description, {target} FROM cases WHERE {_LABELLED[target]} ORDER BY pk DESC LIMIT ?",
        (limit,),
    )
    return [(row[0], row[1], row[2], row[3]) for row in rows]


def labels(conn: sqlite3.Connection, target: str, limit: int) -> list[str]:
    """The labels of the newest ``limit`` labelled cases (what ``labelled_cases`` would learn from)."""
    rows = conn.execute(
        f"SELECT {target} FROM cases WHERE {_LABELLED[target]} ORDER BY pk DESC LIMIT ?", (limit,)
    )
    return [row[0] for row in rows]


def count_labelled(conn: sqlite3.Connection, target: str, after_pk: int = 0) -> int:
    """Labelled cases added after the case ``after_pk`` (a range of keys: cheap however big the ledger)."""
    row = conn.execute(
        f"SELECT COUNT(*) FROM cases WHERE pk > ? AND {_LABELLED[target]}", (after_pk,)
    ).fetchone()
    return int(row[0])


class DamagedModel(ValueError):
    """A stored model that is not what ``save_model`` writes (damaged, or edited by another program): it can
    always be learned again from the ledger's cases."""


def model_meta(conn: sqlite3.Connection, target: str) -> dict[str, Any] | None:
    """The target's model as ``save_model`` wrote it, None when there is none; ``DamagedModel`` when its row
    cannot be read as written (classes, one intercept each, a finite scale, counts)."""
    row = conn.execute(
        "SELECT classes, intercepts, scale, cases, max_pk, features, trained_at FROM suggest_model WHERE target = ?",
        (target,),
    ).fetchone()
    if row is None:
        return None
    try:
        classes, intercepts = json.loads(row[0]), json.loads(row[1])
    except (TypeError, ValueError) as exc:
        raise DamagedModel(target) from exc
    meta = dict(zip(("scale", "cases", "max_pk", "features", "trained_at"), row[2:], strict=True))
    meta.update(classes=classes, intercepts=intercepts)
    numbers = [*intercepts, meta["scale"]] if isinstance(intercepts, list) else []
    if not (
        isinstance(classes, list)
        and len(classes) >= 2
        and all(isinstance(name, str) for name in classes)
        and len(set(classes)) == len(classes)
        and len(numbers) == len(classes) + 1
        and all(_finite(x) for x in numbers)
        and all(_count(meta[key]) for key in ("cases", "max_pk", "features"))
        and isinstance(meta["trained_at"], str)
    ):
        raise DamagedModel(target)
    return meta


def _finite(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _count(value: object) -> bool:
    return isinstance(value, int) and value >= 0


def drop_model(conn: sqlite3.Connection, target: str) -> None:
    """Forget the target's model (a damaged one that cannot be learned again)."""
    conn.execute("DELETE FROM suggest_weights WHERE target = ?", (target,))
    conn.execute("DELETE FROM suggest_model WHERE target = ?", (target,))


def weights_damage(conn: sqlite3.Connection, target: str, classes: int) -> tuple[int, int]:
    """(n-grams stored, those whose weights are not one float32 per class or whose idf is not a number), for
    ``check``: it reads the whole model, which suggesting never does."""
    row = conn.execute(
        "SELECT COUNT(*), COALESCE(SUM(typeof(weights) != 'blob' OR length(weights) != ?"
        " OR typeof(idf) NOT IN ('real', 'integer')), 0) FROM suggest_weights WHERE target = ?",
        (4 * classes, target),
    ).fetchone()
    return int(row[0]), int(row[1])


def save_model(
    conn: sqlite3.Connection, target: str, meta: dict[str, Any], rows: Sequence[tuple[str, float, bytes]]
) -> None:
    """Replace the target's model: its meta row and its (feature, idf, weights) rows."""
    conn.execute("DELETE FROM suggest_weights WHERE target = ?", (target,))
    conn.execute("DELETE FROM suggest_model WHERE target = ?", (target,))
    conn.execute(
        "INSERT INTO suggest_model (target, classes, intercepts, scale, cases, max_pk, features, trained_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            target,
            json.dumps(meta["classes"], ensure_ascii=False),
            json.dumps(meta["intercepts"]),
            meta["scale"],
            meta["cases"],
            meta["max_pk"],
            len(rows),
            meta["trained_at"],
        ),
    )
    conn.executemany(
        "INSERT INTO suggest_weights (target, feature, idf, weights) VALUES (?, ?, ?, ?)",
        [(target, feature, idf, blob) for feature, idf, blob in rows],
    )


def weights_for(
    conn: sqlite3.Connection, target: str, features: Sequence[str], *, classes: int | None = None
) -> dict[str, tuple[float, bytes]]:
    """feature → (idf, weights) for those of ``features`` the model (of ``classes`` classes) knows: one
    indexed lookup each. ``DamagedModel`` when a row read is not as written."""
    found: dict[str, tuple[float, bytes]] = {}
    for start in range(0, len(features), 30000):
        chunk = json.dumps(list(features[start : start + 30000]), ensure_ascii=False)
        rows = conn.execute(
            "SELECT feature, idf, weights FROM suggest_weights"
            " WHERE target = ? AND feature IN (SELECT value FROM json_each(?))",
            (target, chunk),
        )
        found.update(_checked(rows, target, classes))
    return found


def all_weights(conn: sqlite3.Connection, target: str, *, classes: int) -> dict[str, tuple[float, bytes]]:
    """The whole model (for scoring many texts at once, as an import does); ``DamagedModel`` as above."""
    rows = conn.execute("SELECT feature, idf, weights FROM suggest_weights WHERE target = ?", (target,))
    return dict(_checked(rows, target, classes))


def _checked(
    rows: Iterable[tuple[Any, ...]], target: str, classes: int | None
) -> Iterator[tuple[str, tuple[float, bytes]]]:
    for feature, idf, blob in rows:
        width = 4 * classes if classes is not None else len(blob or b"") or 1
        if not (isinstance(blob, bytes) and len(blob) == width and width % 4 == 0 and _finite(idf)):
            raise DamagedModel(target)
        yield feature, (idf, blob)
