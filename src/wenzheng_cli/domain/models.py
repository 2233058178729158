"""Records of the ledger: closed sets (statuses, actions, ratings, outcomes) and the immutable case and event."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import Any


class Status(StrEnum):
    REGISTERED = "registered"
    ASSIGNED = "assigned"
    CLAIMED = "claimed"
    RESOLVED = "resolved"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]

    @property
    def is_open(self) -> bool:
        return self not in (Status.CLOSED, Status.WITHDRAWN)


STATUS_LABELS = {
    Status.REGISTERED: "待交办",
    Status.ASSIGNED: "已交办",
    Status.CLAIMED: "办理中",
    Status.RESOLVED: "待回访",
    Status.CLOSED: "已销账",
    Status.WITHDRAWN: "已撤销",
}


class Action(StrEnum):
    INTAKE = "intake"
    ASSIGN = "assign"
    CLAIM = "claim"
    RETURN = "return"
    ESCALATE = "escalate"
    NOTE = "note"
    EXTEND = "extend"
    SUPERVISE = "supervise"
    RESOLVE = "resolve"
    REVISIT = "revisit"
    WITHDRAW = "withdraw"
    AMEND = "amend"
    UNDO = "undo"

    @property
    def label(self) -> str:
        return ACTION_LABELS[self]


ACTION_LABELS = {
    Action.INTAKE: "受理",
    Action.ASSIGN: "交办",
    Action.CLAIM: "认领",
    Action.RETURN: "退单",
    Action.ESCALATE: "提级",
    Action.NOTE: "进展",
    Action.EXTEND: "延期",
    Action.SUPERVISE: "督办",
    Action.RESOLVE: "办结",
    Action.REVISIT: "回访",
    Action.WITHDRAW: "撤件",
    Action.AMEND: "更正",
    Action.UNDO: "撤销",
}


class Rating(StrEnum):
    VERY_SATISFIED = "very_satisfied"
    SATISFIED = "satisfied"
    BASICALLY_SATISFIED = "basically_satisfied"
    DISSATISFIED = "dissatisfied"
    VERY_DISSATISFIED = "very_dissatisfied"
    UNREACHABLE = "unreachable"

    @property
    def label(self) -> str:
        return RATING_LABELS[self]


RATING_LABELS = {
    Rating.VERY_SATISFIED: "非常满意",
    Rating.SATISFIED: "满意",
    Rating.BASICALLY_SATISFIED: "基本满意",
    Rating.DISSATISFIED: "不满意",
    Rating.VERY_DISSATISFIED: "非常不满意",
    Rating.UNREACHABLE: "未联系上",
}


class Outcome(StrEnum):
    SOLVED = "solved"
    PARTLY = "partly"
    EXPLAINED = "explained"

    @property
    def label(self) -> str:
        return OUTCOME_LABELS[self]


OUTCOME_LABELS = {
    Outcome.SOLVED: "已解决",
    Outcome.PARTLY: "部分解决",
    Outcome.EXPLAINED: "解释说明",
}

# The status sets the rules speak of. Not yet resolved: what 下周二通报 reports back on. In hand: assigned to a
# handler or unit and not resolved, the only cases a due date runs against.
UNRESOLVED = frozenset({Status.REGISTERED, Status.ASSIGNED, Status.CLAIMED})
IN_HAND = frozenset({Status.ASSIGNED, Status.CLAIMED})


def is_overdue(status: str, due_at: str | None, at: str) -> bool:
    """The overdue rule (逾期): in hand and past the due date in force at ``at`` (ledger time text)."""
    return status in IN_HAND and due_at is not None and due_at < at


# The kind of a 督办 that lists the case publicly (挂牌督办), as the supervise event records it.
LISTED_KIND = "挂牌督办"
SUPERVISED_KIND = "督办"

# Revisit effects recorded in the event, so a rebuild never depends on today's configuration.
EFFECT_CLOSED = "closed"
EFFECT_REOPENED = "reopened"
EFFECT_NONE = "none"


@dataclass(frozen=True)
class Case:
    """The current state of one case: what the fold of its events gives."""

    id: str
    number: str
    office: str
    year: int
    seq: int
    status: Status
    received_at: str
    description: str
    title: str | None = None
    channel: str | None = None
    category: str | None = None
    nature: str | None = None
    resident: str | None = None
    phone: str | None = None
    address: str | None = None
    community: str | None = None
    grid: str | None = None
    handler: str | None = None
    unit: str | None = None
    level: str | None = None
    due_at: str | None = None
    original_due_at: str | None = None
    difficulty: int | None = None
    round: int = 1
    supervised: bool = False
    listed: bool = False  # 挂牌督办 (a supervised case listed publicly)
    assigned_at: str | None = None
    claimed_at: str | None = None
    resolved_at: str | None = None
    resolved_by: str | None = None
    outcome: str | None = None
    result: str | None = None
    feedback: str | None = None
    rating: str | None = None
    revisited_at: str | None = None
    closed_at: str | None = None
    withdrawn_at: str | None = None
    duplicate_of: str | None = None
    activity_id: int | None = None
    source_key: str | None = None
    extra: str | None = None
    category_suggested: bool = False  # filled in by the learned suggestion, not chosen by a clerk
    history: bool = False  # imported as history (``import --history``): recorded as the file had it
    # what the latest reply lacks (``domain.reply_quality``): empty when it is sound, or there is none
    reply_flags: tuple[str, ...] = ()
    updated_at: str | None = None

    def is_overdue(self, at: str) -> bool:
        return is_overdue(self.status, self.due_at, at)

    def as_row(self) -> dict[str, Any]:
        row = {f.name: getattr(self, f.name) for f in fields(self)}
        row["status"] = self.status.value
        row["supervised"] = int(self.supervised)
        row["category_suggested"] = int(self.category_suggested)
        row["listed"] = int(self.listed)
        row["history"] = int(self.history)
        row["reply_flags"] = flags_text(self.reply_flags)
        return row

    @classmethod
    def from_stored(cls, values: Sequence[Any]) -> Case:
        """A case from a stored row: its values in ``CASE_FIELDS`` order (anything after them is ignored). Set
        straight into the instance: the frozen ``__init__`` costs a call per field, and a report over a large
        office builds a hundred thousand cases."""
        data = dict(zip(CASE_FIELDS, values, strict=False))
        data["status"] = _STATUSES[data["status"]]
        data["supervised"] = bool(data["supervised"])
        data["listed"] = bool(data["listed"])
        data["category_suggested"] = bool(data["category_suggested"])
        data["history"] = bool(data["history"])
        data["reply_flags"] = stored_flags(data.get("reply_flags"))
        case = object.__new__(cls)
        object.__setattr__(case, "__dict__", data)
        return case

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Case:
        names = CASE_FIELDS
        values = {k: row[k] for k in names if k in row}
        values["status"] = Status(values["status"])
        values["supervised"] = bool(values.get("supervised"))
        values["category_suggested"] = bool(values.get("category_suggested"))
        values["listed"] = bool(values.get("listed"))
        values["history"] = bool(values.get("history"))
        values["reply_flags"] = stored_flags(values.get("reply_flags"))
        return cls(**values)


CASE_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Case))


def flags_text(flags: Sequence[str]) -> str:
    """A case's ``reply_flags`` as the ledger stores them: the JSON text of the list (``[]`` when sound)."""
    return json.dumps(list(flags))


_NO_FLAGS: tuple[str, ...] = ()


def stored_flags(text: str | Sequence[str] | None) -> tuple[str, ...]:
    """The ``reply_flags`` of a stored row (JSON text; absent in a row read before they were kept), or of a
    row that holds them as a list already."""
    if not text or text == "[]":
        return _NO_FLAGS
    if not isinstance(text, str):
        return tuple(str(flag) for flag in text)
    flags = _FLAG_TEXTS.get(text)
    if flags is None:  # a few texts in all (the lists of four flags): each read once
        flags = tuple(str(flag) for flag in json.loads(text))
        if len(_FLAG_TEXTS) < 256:
            _FLAG_TEXTS[text] = flags
    return flags


_FLAG_TEXTS: dict[str, tuple[str, ...]] = {}


_STATUSES = {status.value: status for status in Status}


@dataclass(frozen=True)
class Event:
    """One change to one case. Append-only; the events are the truth of the ledger."""

    id: str
    case_id: str
    action: Action
    at: str
    recorded_at: str
    actor: str
    payload: dict[str, Any] = field(default_factory=dict)
    origin: str = "cli"


@dataclass(frozen=True)
class Activity:
    id: int
    uid: str
    title: str
    kind: str
    at: str
    community: str | None
    recorded_at: str
    actor: str
