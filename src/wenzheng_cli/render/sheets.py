"""A report as a list of titled sheets of typed cells: what the table, Markdown, CSV and XLSX writers share.

Cell kinds: ``text``; ``int``; ``rate`` (a fraction; shown ``66.7%``, stored as a number formatted as a
percentage in XLSX); ``number`` (points); ``score`` (0–100, two decimals); ``date`` (a ledger time, shown as
its day) and ``time`` (a ledger time, shown to the minute, or as its day at midnight or at the end of a day) —
both real date cells in XLSX. ``None`` is a figure that could not be counted: ``—`` on screen and in Markdown,
an empty cell in CSV and XLSX.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from wenzheng_cli.render.timeline import short_time

DASH = "—"
NUMERIC = ("int", "rate", "number", "score")
MOMENTS = ("date", "time")


@dataclass(frozen=True)
class Column:
    title: str
    kind: str = "text"  # text | int | rate | number | score | date | time
    wide: bool = False  # long free text: shortened on screen, wrapped in XLSX
    status: bool = False  # a case's status: on a terminal, red when it says 逾期, yellow when 督办
    # On a narrow terminal: None never left out, else the lower the sooner (render.fit).
    drop: int | None = None


@dataclass
class Sheet:
    title: str
    columns: list[Column]
    rows: list[list[Any]] = field(default_factory=list)
    footer: list[list[Any]] = field(default_factory=list)  # 合计 rows, set apart
    note: str | None = None
    total: int | None = None  # when set, ``rows`` are the first of this many (a terminal table's limit)
    freeze_columns: int = 0  # columns kept in view when scrolling sideways in XLSX


def status_style(text: str) -> str | None:
    """The colour of a status cell on a terminal: overdue red, supervised yellow."""
    if "逾期" in text:
        return "red"
    if "督" in text:
        return "yellow"
    return None


def percent(value: float | None) -> str:
    return DASH if value is None else f"{value * 100:.1f}%"


def number(value: float | None) -> str:
    if value is None:
        return DASH
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.2f}".rstrip("0").rstrip(".")


def shown(value: Any, kind: str) -> str:
    """A cell as text on screen, in Markdown and in CSV (where rates are written the same way)."""
    if value is None:
        return DASH if kind in NUMERIC else ""
    if kind == "rate":
        return percent(value)
    if kind == "number":
        return number(value)
    if kind == "score":
        return f"{value:.2f}"
    if kind == "date":
        return str(value)[:10]
    if kind == "time":
        return short_time(value)
    return str(value)
