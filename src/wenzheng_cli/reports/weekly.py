"""The weekly 台账 as data: the week, its sections of cases (as they stood at the week's end) and totals.

JSON: ``{week: {start, end}, new, resolved, closed, carried_over, overdue, report_back, weak_reply, totals,
as_of, filters}``, each section a list of cases in the case shape of the CLI contract plus ``overdue``, ``progress`` and
``progress_at``: the latest progress note by the week's end of a case still unresolved then (what 下周二通报
tells the resident; ``null`` for the others, and for a case without a note). A case in several sections is
the same row in each. ``filters``: the community and grid the 台账 is limited to (``null``: all), and the
office (its code) when it is limited to one (``report weekly --office`` on a street ledger).

A 台账 that goes out as JSON holds most of its cases as ``EncodedCase``: the JSON the ledger wrote for the row,
and the few fields the sections are sorted by; every other format reads whole cases (``whole_cases``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Generic, NamedTuple, Protocol, TypeVar, cast

from wenzheng_cli.domain.models import UNRESOLVED, Case, Status, is_overdue
from wenzheng_cli.reports.periods import Office

SECTIONS: tuple[tuple[str, str], ...] = (
    ("new", "本周新增"),
    ("resolved", "本周办结"),
    ("closed", "本周销账"),
    ("carried_over", "结转未销账"),
    ("overdue", "逾期"),
    ("report_back", "下周二通报"),
    ("weak_reply", "答复待完善"),
)


@dataclass(frozen=True)
class Note:
    """A 进展 note: what it says and when."""

    text: str
    at: str


class Listed(Protocol):
    """What sorting a case into the sections reads: a ``Case``, or an ``EncodedCase``."""

    @property
    def id(self) -> str: ...

    @property
    def received_at(self) -> str: ...

    @property
    def seq(self) -> int: ...

    @property
    def status(self) -> Status: ...

    @property
    def due_at(self) -> str | None: ...

    @property
    def reply_flags(self) -> tuple[str, ...]: ...

    def is_overdue(self, at: str) -> bool: ...


class EncodedCase(NamedTuple):
    """A case as the ledger wrote it in JSON (``store.case_text``: the case shape without its closing brace),
    with what the sections are sorted by."""

    id: str
    received_at: str
    seq: int
    status: Status
    due_at: str | None
    text: bytes
    reply_flags: tuple[str, ...] = ()

    def is_overdue(self, at: str) -> bool:
        return is_overdue(self.status, self.due_at, at)


E = TypeVar("E", bound=Listed, covariant=True)
# What the 台账 adds to each case's dict in its JSON.
ADDED = ("overdue", "progress", "progress_at")
L = TypeVar("L", bound=Listed)


@dataclass(frozen=True)
class WeeklyReport(Generic[E]):
    start: date
    end: date
    as_of: str  # the moment "overdue" is judged at: the week's end, or now for the current week
    office: Office
    new: tuple[E, ...] = ()
    resolved: tuple[E, ...] = ()
    closed: tuple[E, ...] = ()
    carried_over: tuple[E, ...] = ()
    overdue: tuple[E, ...] = ()
    report_back: tuple[E, ...] = ()
    weak_reply: tuple[E, ...] = ()  # 答复待完善: awaiting 回访 at the week's end, the reply judged weak
    progress: Mapping[str, Note] = field(default_factory=dict)  # case id → its latest note, for 下周二通报
    community: str | None = None
    grid: str | None = None
    of_office: Office | None = None  # the one office whose cases it lists (a street ledger holds several)
    texts: bool = False  # made for JSON: the cases unchanged since the week are ``EncodedCase``
    # Open cases from before the week that are untouched history (``import --history``), left out of 结转未销账
    # and 下周二通报: no live work; JSON ``left_out: {history_open: n}`` only when there are some.
    history_open: int = 0

    def section(self, key: str) -> tuple[E, ...]:
        cases: tuple[E, ...] = getattr(self, key)
        return cases

    def totals(self) -> dict[str, int]:
        return {key: len(self.section(key)) for key, _ in SECTIONS}

    def is_overdue(self, case: Listed) -> bool:
        return case.is_overdue(self.as_of)

    def to_dict(self, row: Callable[[E, dict[str, Any]], Any]) -> dict[str, Any]:
        """The 台账 as JSON data; ``row`` makes a section's item of a case and what the 台账 adds to it
        (``{overdue, progress, progress_at}``)."""
        data: dict[str, Any] = {"week": {"start": self.start.isoformat(), "end": self.end.isoformat()}}
        rows: dict[str, Any] = {}  # a case in several sections is one row, shared

        progress = self.progress
        as_of = self.as_of
        for key, _ in SECTIONS:
            items = []
            for case in self.section(key):
                found = rows.get(case.id)
                if found is None:
                    note = progress.get(case.id)
                    more = {
                        "overdue": case.is_overdue(as_of),
                        "progress": note.text if note else None,
                        "progress_at": note.at if note else None,
                    }
                    found = rows[case.id] = row(case, more)
                items.append(found)
            data[key] = items
        data["totals"] = self.totals()
        data["as_of"] = self.as_of
        data["filters"] = {"community": self.community, "grid": self.grid}
        if self.of_office is not None:
            data["filters"]["office"] = self.of_office.code
        if self.history_open:
            data["left_out"] = {"history_open": self.history_open}
        return data

    @classmethod
    def from_dict(
        cls, data: Mapping[str, Any], office: Office, row: Callable[[dict[str, Any]], L]
    ) -> WeeklyReport[L]:
        """The 台账 its JSON (``to_dict``) holds, each case made by ``row`` from its dict (without what the
        台账 adds to it); ``office``, which heads the 台账, is not in the JSON."""
        made: dict[str, L] = {}
        progress: dict[str, Note] = {}
        sections: dict[str, tuple[L, ...]] = {}
        for key, _ in SECTIONS:
            cases: list[L] = []
            for item in data.get(key, ()):
                found = made.get(item["id"])
                if found is None:
                    fields = {k: v for k, v in item.items() if k not in ADDED}
                    found = made[item["id"]] = row(fields)
                    if item["progress"] is not None:
                        progress[found.id] = Note(item["progress"], item["progress_at"])
                cases.append(found)
            sections[key] = tuple(cases)
        filters = data["filters"]
        return WeeklyReport(
            start=date.fromisoformat(data["week"]["start"]),
            end=date.fromisoformat(data["week"]["end"]),
            as_of=data["as_of"],
            office=office,
            progress=progress,
            community=filters["community"],
            grid=filters["grid"],
            of_office=Office(filters["office"]) if filters.get("office") else None,
            history_open=(data.get("left_out") or {}).get("history_open", 0),
            new=sections["new"],
            resolved=sections["resolved"],
            closed=sections["closed"],
            carried_over=sections["carried_over"],
            overdue=sections["overdue"],
            report_back=sections["report_back"],
            weak_reply=sections.get("weak_reply", ()),
        )


def build_weekly(
    *,
    start: date,
    end: date,
    start_iso: str,
    as_of: str,
    office: Office,
    cases: Iterable[tuple[L, bool, bool]],
    progress: Mapping[str, Note],
    community: str | None = None,
    grid: str | None = None,
    of_office: Office | None = None,
    texts: bool = False,
    history_open: int = 0,
) -> WeeklyReport[L]:
    """Sort the week's cases into the sections. ``cases``: (case as at the week's end, resolved in the week,
    closed in the week), in the order received; ``progress``: the latest note of the unresolved ones."""
    sections: dict[str, list[L]] = {key: [] for key, _ in SECTIONS}
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
        if case.status is Status.RESOLVED and case.reply_flags:
            sections["weak_reply"].append(case)
    sections["overdue"].sort(key=lambda c: (c.due_at or "", c.received_at, c.seq))
    return WeeklyReport(
        start=start,
        end=end,
        as_of=as_of,
        office=office,
        progress=progress,
        community=community,
        grid=grid,
        of_office=of_office,
        history_open=history_open,
        texts=texts,
        **{key: tuple(found) for key, found in sections.items()},
    )


def whole_cases(report: WeeklyReport[Case | EncodedCase]) -> WeeklyReport[Case]:
    """The 台账 as whole cases, which every format but JSON reads: one made without JSON texts."""
    if report.texts:
        raise TypeError("a 台账 made for JSON holds its cases as JSON text")
    return cast("WeeklyReport[Case]", report)


def unresolved(cases: Iterable[Listed]) -> list[str]:
    """The ids of the cases 下周二通报 lists (not yet resolved at the week's end): whose notes to read."""
    return [case.id for case in cases if case.status in UNRESOLVED]
