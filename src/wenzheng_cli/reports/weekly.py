"""The weekly 台账 as data: the week, its six sections of cases (as they stood at the week's end) and totals.

JSON: ``{week: {start, end}, new, resolved, closed, carried_over, overdue, report_back, totals, as_of,
filters}``, each section a list of cases in the case shape of the CLI contract plus ``overdue``, ``progress`` and
``progress_at``: the latest progress note by the week's end of a case still unresolved then (what 下周二通报
tells the resident; ``null`` for the others, and for a case without a note). A case in several sections is
the same row in each. ``filters``: the community and grid the 台账 is limited to (``null``: all).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from wenzheng_cli.domain.models import UNRESOLVED, Case
from wenzheng_cli.reports.periods import Office

SECTIONS: tuple[tuple[str, str], ...] = (
    ("new", "本周新增"),
    ("resolved", "本周办结"),
    ("closed", "本周销账"),
    ("carried_over", "结转未销账"),
    ("overdue", "逾期"),
    ("report_back", "下周二通报"),
)


@dataclass(frozen=True)
class Note:
    """A 进展 note: what it says and when."""

    text: str
    at: str


@dataclass(frozen=True)
class WeeklyReport:
    start: date
    end: date
    as_of: str  # the moment "overdue" is judged at: the week's end, or now for the current week
    office: Office
    new: tuple[Case, ...] = ()
    resolved: tuple[Case, ...] = ()
    closed: tuple[Case, ...] = ()
    carried_over: tuple[Case, ...] = ()
    overdue: tuple[Case, ...] = ()
    report_back: tuple[Case, ...] = ()
    progress: Mapping[str, Note] = field(default_factory=dict)  # case id → its latest note, for 下周二通报
    community: str | None = None
    grid: str | None = None

    def section(self, key: str) -> tuple[Case, ...]:
        cases: tuple[Case, ...] = getattr(self, key)
        return cases

    def totals(self) -> dict[str, int]:
        return {key: len(self.section(key)) for key, _ in SECTIONS}

    def is_overdue(self, case: Case) -> bool:
        return case.is_overdue(self.as_of)

    def to_dict(self, case_json: Callable[[Case], dict[str, Any]]) -> dict[str, Any]:
        data: dict[str, Any] = {"week": {"start": self.start.isoformat(), "end": self.end.isoformat()}}
        rows: dict[str, dict[str, Any]] = {}  # a case in several sections is one row, shared

        progress = self.progress
        as_of = self.as_of

        def row(case: Case) -> dict[str, Any]:
            found = rows.get(case.id)
            if found is None:
                found = rows[case.id] = case_json(case)
                found["overdue"] = case.is_overdue(as_of)
                note = progress.get(case.id)
                found["progress"] = note.text if note else None
                found["progress_at"] = note.at if note else None
            return found

        for key, _ in SECTIONS:
            data[key] = [row(case) for case in self.section(key)]
        data["totals"] = self.totals()
        data["as_of"] = self.as_of
        data["filters"] = {"community": self.community, "grid": self.grid}
        return data


def build_weekly(
    *,
    start: date,
    end: date,
    start_iso: str,
    as_of: str,
    office: Office,
    cases: Iterable[tuple[Case, bool, bool]],
    progress: Mapping[str, Note],
    community: str | None = None,
    grid: str | None = None,
) -> WeeklyReport:
    """Sort the week's cases into the sections. ``cases``: (case as at the week's end, resolved in the week,
    closed in the week), in the order received; ``progress``: the latest note of the unresolved ones."""
    sections: dict[str, list[Case]] = {key: [] for key, _ in SECTIONS}
    for case, resolved_in, closed_in in cases:
        if case.received_at >= start_iso:
            sections["new"].append(case)
        elif case.status.is_open:
            sections["carried_over"].append(case)
        if resolved_in:
            sections["resolved"].append(case)
        if closed_in:
            sections["closed"].append(case)
        if case.is_overdue(as_of):
            sections["overdue"].append(case)
        if case.status in UNRESOLVED:
            sections["report_back"].append(case)
    sections["overdue"].sort(key=lambda c: (c.due_at or "", c.received_at, c.seq))
    return WeeklyReport(
        start=start,
        end=end,
        as_of=as_of,
        office=office,
        progress=progress,
        community=community,
        grid=grid,
        **{key: tuple(found) for key, found in sections.items()},
    )


def unresolved(cases: Iterable[Case]) -> list[str]:
    """The ids of the cases 下周二通报 lists (not yet resolved at the week's end): whose notes to read."""
    return [case.id for case in cases if case.status in UNRESOLVED]
