"""What each case's events say by the as-of moment (pure): the fold behind the monthly 通报 and the trend.

Each case of a cohort is folded from its events in recorded order, counting only events whose business time
``at`` is at or before the as-of moment, so a report re-run later gives the same figures. The fold here
(``track``) follows ``domain.states.apply`` field for field for what the figures need (status, level, unit,
handler, due date, assignment time, rounds, ratings) and also keeps the history the figures ask about (the
first claim, the first resolution and the due date in force then, every rating, the first feedback, where
each 退单 came from, 督办, 提级 and 延期); tests hold it equal to ``states.fold``. It also keeps which steps came
from a file (an event an import writes carries ``imported``): what a file does not say (a claim, a feedback,
a revisit's rating) is unknown, not missing, and the figures leave such cases out of the rates that ask. It
works on plain tuples rather than ``Case`` objects because a month of a large office is a hundred thousand
events. What the figures then count, and how, is ``domain.tally``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import cast

from wenzheng_cli.domain.models import EFFECT_CLOSED, EFFECT_REOPENED, LISTED_KIND, Event, Rating, Status
from wenzheng_cli.domain.models import is_overdue as overdue

# The facts of one event the fold reads:
# (action, at, due_at, level, unit, handler, feedback, rating, effect, on_site, kind, imported, weak_reply)
EventFacts = tuple[
    str,
    str,
    str | None,
    str | None,
    str | None,
    str | None,
    str | None,
    str | None,
    str | None,
    bool,
    str | None,
    bool,
    bool | None,
]

# The members bound once: the fold runs over every event of a month, and an enum's attribute costs a lookup.
REGISTERED, ASSIGNED, CLAIMED, RESOLVED, CLOSED, WITHDRAWN = Status
UNREACHABLE = Rating.UNREACHABLE
# Change no figure; the store need not even read them. An amend corrects the fields the report reads from the
# case's row; an undone event is left out by the store, and the undo with it (states.live).
SKIPPED_ACTIONS = ("note", "amend", "undo")
# The actions whose effect on a case begins at their business time, so they change no figure counted at an
# earlier moment. Any other (a correction of what was typed, taking back an earlier step…) may change the past.
DATED_ACTIONS = (
    "intake",
    "assign",
    "claim",
    "return",
    "escalate",
    "note",
    "extend",
    "supervise",
    "resolve",
    "revisit",
    "withdraw",
)


# The payload members ``EventFacts`` hold after (action, at), in order, and the actions whose fold reads each
# (``track``): the facts hold a member only for those actions. The store reads the facts straight from the
# payloads with SQL made from this table (``store.reports``), ``facts_of`` from full events; ``on_site`` is
# whether the member is there at all.
FACTS_PAYLOAD: tuple[tuple[str, frozenset[str]], ...] = (
    ("due_at", frozenset({"assign", "escalate", "extend", "revisit"})),
    ("level", frozenset({"intake", "assign", "escalate"})),
    ("unit", frozenset({"assign", "escalate"})),
    ("handler", frozenset({"assign", "escalate"})),
    ("feedback", frozenset({"intake", "resolve"})),
    ("rating", frozenset({"revisit"})),
    ("effect", frozenset({"revisit"})),
    ("on_site", frozenset({"intake"})),
    ("kind", frozenset({"supervise"})),
    ("imported", frozenset({"assign", "resolve", "revisit"})),
    ("reply_flags", frozenset({"resolve"})),
)
# The members the facts hold as "there or not" rather than as their value.
PRESENCE = frozenset({"on_site", "imported"})
# The members the facts hold as "a list with something in it" (``None`` when the member is not there: a 办结
# recorded before replies were judged).
NONEMPTY = frozenset({"reply_flags"})
# Change no case's status, due date, unit, handler or level either: the reads of the cases open at a moment
# leave them out too.
NOT_STATE_ACTIONS = (*SKIPPED_ACTIONS, "supervise")


def facts_of(event: Event) -> EventFacts:
    """The fold's view of a full event (what the store reads with ``json_extract``)."""
    p = event.payload
    action = event.action.value
    values = [
        _member(p, name) if action in actions else (False if name in PRESENCE else None)
        for name, actions in FACTS_PAYLOAD
    ]
    return cast(EventFacts, (action, event.at, *values))


def _member(payload: dict[str, object], name: str) -> object:
    value = payload.get(name)
    if name in PRESENCE:
        return value is not None
    if name in NONEMPTY:
        return None if value is None else bool(value)
    return value


@dataclass(frozen=True)
class Limits:
    """The time limits the figures measure against, as functions of a ledger time."""

    claim: Callable[[str], str]  # assigned_at → the end of the claim limit (``span.claim``)
    feedback: Callable[[str], str]  # received_at → the end of the feedback limit (``span.feedback``)


@dataclass(frozen=True)
class Return:
    """One 退单, and who the case was returned from (the unit, handler and level in force then)."""

    unit: str | None
    handler: str | None
    level: str | None


@dataclass(slots=True)
class Track:
    """One case as of the moment: its state and the history the figures ask about."""

    status: Status = REGISTERED
    level: str | None = None
    unit: str | None = None
    handler: str | None = None
    due_at: str | None = None
    assigned_at: str | None = None
    rating: str | None = None  # the latest rating, 未联系上 included (= Case.rating)
    round: int = 1
    assigned: bool = False
    claimed: bool = False
    responded: bool = False
    on_site: bool = False
    committed: bool = False
    feedback: bool = False
    revisited: bool = False
    supervised: bool = False  # 督办 of either kind
    listed: bool = False  # 挂牌督办
    escalated: bool = False
    extended: bool = False  # 延期: given a later due date at least once
    # The latest 办结's reply was judged weak (``reply_flags``); ``None``: not judged (a 现场办结, or a 办结
    # recorded before replies were judged).
    weak_reply: bool | None = None
    # What a file left unknown: the assignment in force came from a file (no claim is known until one is
    # typed); the first resolution came from one; closed by a file without a rating (no revisit is known).
    assign_imported: bool = False
    resolve_imported: bool = False
    closed_unrated: bool = False
    first_resolved_at: str | None = None
    due_at_first_resolution: str | None = None
    feedback_due: str = ""  # the end of the feedback limit counted from receipt
    first_feedback_at: str | None = None  # a feedback method at a resolution, or a revisit
    returns: list[Return] = field(default_factory=list)
    ratings: list[str] = field(default_factory=list)  # every rating but 未联系上, in order

    @property
    def resolved(self) -> bool:
        return self.status in (RESOLVED, CLOSED)

    @property
    def returned(self) -> int:
        return len(self.returns)


def track(events: Iterable[EventFacts], as_of: str, limits: Limits) -> Track | None:
    """Fold one case's events (recorded order) up to ``as_of``; ``None`` when it was not yet received."""
    t: Track | None = None
    for (
        action,
        at,
        due_at,
        level,
        unit,
        handler,
        feedback,
        rating,
        effect,
        on_site,
        kind,
        imported,
        weak,
    ) in events:
        if at > as_of:
            continue
        if action == "intake":
            t = Track(level=level, feedback_due=limits.feedback(at))
            if on_site:
                t.status = RESOLVED
                t.on_site = True
                t.first_resolved_at = at
                t.weak_reply = False  # a 现场办结 is not judged: its reply has no flags
                if feedback is not None:
                    t.feedback = True
                    t.first_feedback_at = at
            continue
        if t is None:
            raise ValueError(f"a {action} event precedes its case's intake")
        if action == "assign":
            t.status = ASSIGNED
            t.assigned = True
            t.unit = unit
            t.handler = handler
            t.level = level
            t.assigned_at = at
            t.assign_imported = imported
            if due_at is not None:
                t.due_at = due_at
                t.committed = True
        elif action == "claim":
            t.status = CLAIMED
            if not t.claimed:
                t.claimed = True
                t.responded = t.assigned_at is not None and at <= limits.claim(t.assigned_at)
        elif action == "return":
            t.returns.append(Return(t.unit, t.handler, t.level))
            t.status = REGISTERED
            t.unit = t.handler = t.due_at = t.assigned_at = None
        elif action == "escalate":
            t.status = ASSIGNED
            t.escalated = True
            t.level = level
            t.assigned_at = at
            t.assign_imported = False
            if handler is not None or unit is not None:
                t.unit = unit
                t.handler = handler
            if due_at is not None:
                t.due_at = due_at
                t.committed = True
        elif action == "extend":
            if due_at is not None and (t.due_at is None or due_at > t.due_at):
                t.extended = True
            t.due_at = due_at
        elif action == "supervise":
            t.supervised = True
            if kind == LISTED_KIND:
                t.listed = True
        elif action == "resolve":
            t.status = RESOLVED
            t.weak_reply = weak
            if t.first_resolved_at is None:
                t.first_resolved_at = at
                t.due_at_first_resolution = t.due_at
                t.resolve_imported = imported
            if feedback is not None:
                t.feedback = True
                if t.first_feedback_at is None:
                    t.first_feedback_at = at
        elif action == "revisit":
            if imported and rating is None:
                # A file that says the case was closed and no more: whether and how the resident was
                # revisited is unknown (no revisit, no feedback, no rating counted).
                t.closed_unrated = True
            else:
                t.revisited = True
                if t.first_feedback_at is None:
                    t.first_feedback_at = at
            t.rating = rating
            if rating is not None and rating != UNREACHABLE:
                t.ratings.append(rating)
            if effect == EFFECT_CLOSED:
                t.status = CLOSED
            elif effect == EFFECT_REOPENED:
                t.status = ASSIGNED
                t.round += 1
                t.assigned_at = at
                t.assign_imported = False
                if due_at is not None:
                    t.due_at = due_at
                    t.committed = True
        elif action == "withdraw":
            t.status = WITHDRAWN
        elif action not in SKIPPED_ACTIONS:
            raise ValueError(f"the monthly fold has no rule for a {action} event")
    return t


def is_overdue(t: Track, moment: str) -> bool:
    """The case was overdue at ``moment`` (``domain.models.is_overdue``, the 逾期 of ``list --overdue``)."""
    return overdue(t.status, t.due_at, moment)
