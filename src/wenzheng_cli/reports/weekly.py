"""The weekly 台账 as data: the week, its six sections of cases (as they stood at the week's end) and totals.

JSON: ``{week: {start, end}, new, resolved, closed, carried_over, overdue, report_back, totals}``, each
section a list of cases in the case shape of the CLI contract plus ``overdue``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from wenzheng_cli.domain.models import UNRESOLVED, Case

SECTIONS: tuple[tuple[str, str], ...] = (
    ("new", "本周新增"),
    ("resolved", "本周办结"),
    ("closed", "本周销账"),
    ("carried_over", "结转未销账"),
    ("overdue", "逾期"),
    ("report_back", "下周二通报"),
)


@dataclass(frozen=True)
class WeeklyReport:
    start: date
    end: date
    as_of: str  # the moment "overdue" is judged at: the week's end, or now for the current week
    office: str = ""
    office_name: str = ""
    new: list[Case] = field(default_factory=list)
    resolved: list[Case] = field(default_factory=list)
    closed: list[Case] = field(default_factory=list)
    carried_over: list[Case] = field(default_factory=list)
    overdue: list[Case] = field(default_factory=list)
    report_back: list[Case] = field(default_factory=list)

    def section(self, key: str) -> list[Case]:
        cases: list[Case] = getattr(self, key)
        return cases

    def totals(self) -> dict[str, int]:
        return {key: len(self.section(key)) for key, _ in SECTIONS}

    def is_overdue(self, case: Case) -> bool:
        return case.is_overdue(self.as_of)

    def to_dict(self, case_json: Callable[[Case], dict[str, Any]]) -> dict[str, Any]:
        data: dict[str, Any] = {"week": {"start": self.start.isoformat(), "end": self.end.isoformat()}}
        rows: dict[str, dict[str, Any]] = {}  # a case in several sections is one row, shared

        def row(case: Case) -> dict[str, Any]:
            found = rows.get(case.id)
            if found is None:
                found = rows[case.id] = {**case_json(case), "overdue": self.is_overdue(case)}
            return found

        for key, _ in SECTIONS:
            data[key] = [row(case) for case in self.section(key)]
        data["totals"] = self.totals()
        data["as_of"] = self.as_of
        return data


def build_weekly(
    *,
    start: date,
    end: date,
    as_of: str,
    office: str,
    office_name: str,
    cases: Iterable[tuple[Case, bool, bool]],
    start_iso: str,
) -> WeeklyReport:
    """The week's cases sorted into the sections, as one finished report. ``cases``: (case as at the week's
    end, resolved in the week, closed in the week), in the order received."""
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
    return WeeklyReport(start=start, end=end, as_of=as_of, office=office, office_name=office_name, **sections)
