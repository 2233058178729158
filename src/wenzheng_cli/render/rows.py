"""Cases, events and twins as shown: typed values that are the JSON shapes of the CLI contract.

A ``CaseRow`` is a case as a command answers with it (names, phones and kept columns masked unless
``--show-pii``); an ``EventRow`` one step of its timeline, its payload masked the same way; a ``Twin`` a case
an import flagged as a possible repeat. Each is rebuilt from its JSON (``from_json``) and shows the same.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from operator import itemgetter
from typing import Any, Self

from wenzheng_cli.domain.jsonvalue import JsonValue
from wenzheng_cli.domain.models import Action, Case, Event, Status, is_overdue
from wenzheng_cli.render.timeline import PII, event_json

CASE_KEYS = (
    "number",
    "id",
    "status",
    "received_at",
    "channel",
    "category",
    "nature",
    "description",
    "resident",
    "phone",
    "address",
    "community",
    "grid",
    "handler",
    "unit",
    "level",
    "due_at",
    "difficulty",
    "round",
    "supervised",
    "listed",
    "resolved_at",
    "outcome",
    "result",
    "rating",
    "closed_at",
    "category_suggested",
    "office",
    "history",
    "reply_flags",
)


_MASKED_KEYS = tuple(key for key in CASE_KEYS if key in PII)
# One C call for all the keys, read from the case's own fields (a weekly 台账 may hold 100,000 cases).
_CASE_VALUES = itemgetter(*CASE_KEYS)


def case_json(case: Case, show_pii: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = dict(zip(CASE_KEYS, _CASE_VALUES(vars(case)), strict=True))
    data["status"] = case.status.value
    if not show_pii:
        for key in _MASKED_KEYS:
            data[key] = PII[key](data[key])
    return data


def case_columns(show_pii: bool = False) -> tuple[tuple[str, Callable[[Any], Any] | None], ...]:
    """The case shape as (key, what its value is shown through), for JSON that the ledger writes itself
    (``store.case_text``): ``case_json`` key for key."""
    return tuple((key, None if show_pii or key not in PII else PII[key]) for key in CASE_KEYS)


# Keys of an event's JSON before its payload's (a payload key among them is left out).
EVENT_KEYS = ("id", "action", "at", "actor", "recorded_at", "origin")


@dataclass(frozen=True)
class CaseRow(JsonValue):
    """A case in the case shape of the CLI contract, key for key."""

    number: str
    id: str
    status: Status
    received_at: str
    channel: str | None
    category: str | None
    nature: str | None
    description: str
    resident: str | None
    phone: str | None
    address: str | None
    community: str | None
    grid: str | None
    handler: str | None
    unit: str | None
    level: str | None
    due_at: str | None
    difficulty: int | None
    round: int
    supervised: bool
    listed: bool
    resolved_at: str | None
    outcome: str | None
    result: str | None
    rating: str | None
    closed_at: str | None
    category_suggested: bool
    office: str
    history: bool
    reply_flags: tuple[str, ...]

    @classmethod
    def of(cls, case: Case, show_pii: bool = False) -> CaseRow:
        """The case as shown (masked unless ``show_pii``). Set straight into the instance, as
        ``Case.from_stored`` does: a list may hold every case of an office."""
        data = case_json(case, show_pii)
        data["status"] = case.status
        row = object.__new__(cls)
        object.__setattr__(row, "__dict__", data)
        return row

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = super().to_json()
        return data

    @property
    def seq(self) -> int:
        """The case's number within its year (the digits that end ``YL-2026-0017``)."""
        tail = self.number.rpartition("-")[2]
        return int(tail) if tail.isdigit() else 0

    def is_overdue(self, at: str) -> bool:
        return is_overdue(self.status, self.due_at, at)


@dataclass(frozen=True)
class EventRow(JsonValue):
    """One event as ``show --json`` lists it: its head and its payload's keys after it, masked as the case."""

    id: str
    action: Action
    at: str
    actor: str
    recorded_at: str
    origin: str
    payload: dict[str, Any]

    @classmethod
    def of(cls, event: Event, show_pii: bool = False) -> EventRow:
        return cls.from_json(event_json(event, show_pii))

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "action": self.action.value,
            "at": self.at,
            "actor": self.actor,
            "recorded_at": self.recorded_at,
            "origin": self.origin,
        }
        data.update(self.payload)
        return data

    @classmethod
    def from_json(cls, data: Any, **screen: Any) -> Self:
        payload = {k: v for k, v in data.items() if k not in EVENT_KEYS}
        return cls(
            data["id"],
            Action(data["action"]),
            data["at"],
            data["actor"],
            data["recorded_at"],
            data["origin"],
            payload,
        )


@dataclass(frozen=True)
class Twin(JsonValue):
    """A case an import flagged as a possible repeat of another: why (``phone``, ``address``, ``text``,
    ``key``) and, for a text, how close (0–100)."""

    number: str
    status: str
    reason: str
    score: float


def twins_of(found: list[dict[str, Any]]) -> tuple[Twin, ...]:
    return tuple(Twin.from_json(t) for t in found)


def who(case: Case | CaseRow) -> str:
    return handler_text(case.handler, case.unit)


def handler_text(handler: str | None, unit: str | None) -> str:
    if handler and unit:
        return f"{handler}（{unit}）"
    return handler or unit or ""


def place(case: Case | CaseRow) -> str:
    return place_text(case.community, case.grid)


def place_text(community: str | None, grid: str | None) -> str:
    return "/".join(p for p in (community, grid) if p)
