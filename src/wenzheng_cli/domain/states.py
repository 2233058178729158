"""The case state machine as a table, and the pure fold of events into a case.

``TRANSITIONS`` is the whole lifecycle of DESIGN.md: for each action, the statuses it may start from and the
status it leads to (``None``: the status stays). ``apply`` folds one event into a case; the current state of
every case is ``fold(events)``, which is what ``wenzheng check`` compares with the ``cases`` table.

Two events correct the record rather than move the case on. An ``amend`` sets typed fields to what they should
always have been (``apply`` folds it like any other event). An ``undo`` takes back one earlier event: the case
is the replay of its events without the undos and the events they revoke (``live``), so ``fold`` — and with it
``check`` and the commands — never applies an undo, it leaves out what the undo revoked.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from wenzheng_cli.domain.models import (
    EFFECT_CLOSED,
    EFFECT_REOPENED,
    IN_HAND,
    LISTED_KIND,
    UNRESOLVED,
    Action,
    Case,
    Event,
    Status,
)
from wenzheng_cli.errors import WenzhengError

REGISTERED, ASSIGNED, CLAIMED, RESOLVED, CLOSED, WITHDRAWN = Status
OPEN = frozenset(s for s in Status if s.is_open)

# action: (statuses it may start from, status it leads to; None = unchanged, REVISIT decided by its rating)
TRANSITIONS: dict[Action, tuple[frozenset[Status], Status | None]] = {
    Action.ASSIGN: (
        frozenset({REGISTERED, ASSIGNED, CLAIMED}),
        ASSIGNED,
    ),  # from assigned/claimed it is 转办 (reassign)
    Action.CLAIM: (frozenset({ASSIGNED}), CLAIMED),
    Action.RETURN: (IN_HAND, REGISTERED),
    Action.ESCALATE: (IN_HAND, ASSIGNED),
    Action.NOTE: (OPEN, None),
    Action.EXTEND: (IN_HAND, None),
    Action.SUPERVISE: (OPEN, None),
    Action.RESOLVE: (IN_HAND, RESOLVED),
    Action.REVISIT: (frozenset({RESOLVED}), None),
    Action.WITHDRAW: (UNRESOLVED, WITHDRAWN),
    Action.AMEND: (frozenset(Status), None),  # a correction, whatever the status
}
# The status an intake gives a case: registered, or resolved when it was 现场办结 (resolved on the spot).
INTAKE_STATUS, ON_SITE_STATUS = REGISTERED, RESOLVED

# What ``amend`` may correct: the fields typed at intake or imported, never what the lifecycle decided.
AMENDABLE = (
    "description",
    "category",
    "channel",
    "nature",
    "community",
    "grid",
    "resident",
    "phone",
    "address",
    "difficulty",
)
# Corrections hold whenever they were made: a fold "as of" a moment includes them all.
CORRECTIONS = frozenset({Action.AMEND, Action.UNDO})


def allowed_actions(status: Status) -> list[Action]:
    """The steps of the lifecycle a case in ``status`` may take next (corrections aside)."""
    return [
        action
        for action, (sources, _) in TRANSITIONS.items()
        if status in sources and action not in CORRECTIONS
    ]


def check_transition(case: Case, action: Action) -> None:
    """Refuse an action the case's status does not allow, naming the status and what is allowed now."""
    sources, _ = TRANSITIONS[action]
    if case.status in sources:
        return
    allowed = allowed_actions(case.status)
    if allowed:
        now_ok = "、".join(f"{a.label}({a.value})" for a in allowed)
        hint = f"{case.number} 现在可以: {now_ok}"
    else:
        hint = f"{case.number} {case.status.label}，不能再办理；如需重新受理请新建案件"
    raise WenzhengError(
        f"{case.number} 当前状态为「{case.status.label}」({case.status.value})，不能{action.label}({action.value})",
        hint=hint,
    )


def target_status(case: Case, event: Event) -> Status:
    if event.action is Action.REVISIT:
        effect = event.payload.get("effect")
        if effect == EFFECT_CLOSED:
            return CLOSED
        if effect == EFFECT_REOPENED:
            return ASSIGNED
        return case.status
    _, target = TRANSITIONS[event.action]
    return case.status if target is None else target


def new_case(event: Event) -> Case:
    p = event.payload
    on_site = p.get("on_site")
    case = Case(
        id=event.case_id,
        number=p["number"],
        office=p["office"],
        year=p["year"],
        seq=p["seq"],
        status=ON_SITE_STATUS if on_site else INTAKE_STATUS,
        received_at=event.at,
        description=p["description"],
        title=p.get("title"),
        channel=p.get("channel"),
        category=p.get("category"),
        category_suggested=bool(p.get("category_suggested")),
        history=bool(p.get("history")),
        nature=p.get("nature"),
        resident=p.get("resident"),
        phone=p.get("phone"),
        address=p.get("address"),
        community=p.get("community"),
        grid=p.get("grid"),
        level=p.get("level"),
        difficulty=p.get("difficulty"),
        activity_id=p.get("activity_id"),
        source_key=p.get("source_key"),
        extra=p.get("extra"),
        updated_at=event.recorded_at,
    )
    if on_site:
        case = replace(
            case,
            resolved_at=event.at,
            resolved_by=event.actor,
            outcome=p.get("outcome", "solved"),
            result=on_site,
            feedback=p.get("feedback"),
        )
    return case


def apply(case: Case | None, event: Event) -> Case:
    """Fold one event into the case (pure). Validation happened before the event was recorded."""
    if event.action is Action.INTAKE:
        return new_case(event)
    if case is None:
        raise ValueError(f"event {event.id} ({event.action}) precedes its case's intake")
    if event.action is Action.UNDO:
        raise ValueError(
            f"undo {event.id} is not applied: fold replays the events without the one it revokes"
        )
    p = event.payload
    changes: dict[str, Any] = {"status": target_status(case, event), "updated_at": event.recorded_at}
    action = event.action
    if action is Action.ASSIGN:
        changes.update(handler=p.get("handler"), unit=p.get("unit"), level=p.get("level"))
        changes.update(assigned_at=event.at, claimed_at=None)
        if "due_at" in p:
            changes.update(due_at=p["due_at"], original_due_at=p["due_at"])
    elif action is Action.CLAIM:
        changes.update(claimed_at=event.at)
        if "handler" in p:  # 实名认领 of a case assigned to a unit only: the claimant becomes the handler
            changes.update(handler=p["handler"])
    elif action is Action.RETURN:
        changes.update(handler=None, unit=None, due_at=None, assigned_at=None, claimed_at=None)
    elif action is Action.ESCALATE:
        changes.update(level=p["level"], assigned_at=event.at, claimed_at=None)
        if p.get("handler") is not None or p.get("unit") is not None:
            changes.update(handler=p.get("handler"), unit=p.get("unit"))
        if "due_at" in p:
            changes.update(due_at=p["due_at"], original_due_at=p["due_at"])
    elif action is Action.EXTEND:
        changes.update(due_at=p["due_at"])
    elif action is Action.SUPERVISE:
        changes.update(supervised=True)
        if p.get("kind") == LISTED_KIND:
            changes.update(listed=True)
    elif action is Action.RESOLVE:
        changes.update(
            resolved_at=event.at,
            resolved_by=event.actor,
            outcome=p.get("outcome"),
            result=p.get("result"),
            feedback=p.get("feedback"),
            reply_flags=reply_flags(p, case.description, case.title),
        )
    elif action is Action.REVISIT:
        changes.update(rating=p.get("rating"), revisited_at=event.at)
        effect = p.get("effect")
        if effect == EFFECT_CLOSED:
            changes.update(closed_at=event.at)
        elif effect == EFFECT_REOPENED:
            changes.update(
                round=case.round + 1,
                resolved_at=None,
                resolved_by=None,
                outcome=None,
                result=None,
                feedback=None,
                reply_flags=(),
                assigned_at=event.at,
                claimed_at=None,
            )
            if "due_at" in p:
                changes.update(due_at=p["due_at"], original_due_at=p["due_at"])
    elif action is Action.WITHDRAW:
        changes.update(withdrawn_at=event.at, duplicate_of=p.get("duplicate_of"))
    elif action is Action.AMEND:
        changes.update({name: change["new"] for name, change in p["changes"].items()})
        if "description" in changes and _judged(case):  # the reply answers the description as corrected
            changes.update(reply_flags=_judge(case.result, changes["description"], case.title))
    elif action is not Action.NOTE:  # a note changes nothing but when the case was last touched
        raise ValueError(f"the state machine has no rule for a {action} event")
    return _changed(case, changes)


def _changed(case: Case, changes: dict[str, Any]) -> Case:
    """``dataclasses.replace`` for the fold, which makes a case per event (a roll-up or ``check`` folds millions):
    the case's values with ``changes`` set straight into a new instance, as ``Case.from_stored`` does, instead of
    through the frozen ``__init__`` that costs a call per field."""
    data = dict(case.__dict__)
    data.update(changes)
    new = object.__new__(Case)
    object.__setattr__(new, "__dict__", data)
    return new


def reply_flags(payload: dict[str, Any], description: str, title: str | None) -> tuple[str, ...]:
    """The flags of a 办结's reply: as judged when it was recorded (its payload), or judged now for an event
    recorded before replies were judged."""
    flags = payload.get("reply_flags")
    if flags is not None:
        return tuple(flags)
    return _judge(payload.get("result"), description, title)


def _judge(reply: str | None, description: str, title: str | None) -> tuple[str, ...]:
    # the judge's patterns load only when a reply is judged, not for every step a clerk types
    from wenzheng_cli.domain.reply_quality import judge

    return judge(reply, description, title)


def _judged(case: Case) -> bool:
    """The case's reply came from a 办结 (``resolve``), not from a 现场办结 at intake, which is not judged: an
    on-site case was resolved when received, in its first round, and never assigned (a typed 办结 needs an
    assignment first)."""
    on_site = case.round == 1 and case.assigned_at is None and case.resolved_at == case.received_at
    return case.result is not None and not on_site


def revoked(events: Iterable[Event]) -> set[str]:
    """The ids of the events an undo among ``events`` takes back."""
    return {e.payload["revokes"] for e in events if e.action is Action.UNDO}


def live(events: Iterable[Event]) -> list[Event]:
    """The events that stand: all but the undos and the events they revoke, in recorded order."""
    found = list(events)
    gone = revoked(found)
    return [e for e in found if e.action is not Action.UNDO and e.id not in gone]


def fold(events: Iterable[Event]) -> Case | None:
    """The case its events make: the replay of the events that stand, last touched by the latest event."""
    recorded = list(events)
    case: Case | None = None
    for event in live(recorded):
        case = apply(case, event)
    if case is not None and recorded[-1].action is Action.UNDO:
        case = replace(case, updated_at=recorded[-1].recorded_at)
    return case


def undoable(events: Iterable[Event]) -> Event | None:
    """What an undo would take back now: the latest event that stands, other than the intake."""
    standing = live(events)
    return standing[-1] if standing and standing[-1].action is not Action.INTAKE else None
