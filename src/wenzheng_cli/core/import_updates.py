"""New facts a later export brings to a case already in the ledger, recorded as events at their business time.

A 承办单位 becomes an ``assign`` to that unit (only while the case is still 待交办); a resolution (the answer and
its time, a 办结 time or status) a ``resolve`` at that time; a reply that only acknowledges receipt a ``note``
at its time. An event may not precede the case's latest one: such a time is moved up to it, and the warning
says so. The case row is the fold of its events, as for every other change.

What an import recorded on a case before is not recorded again, even once a clerk has undone it
(``unrecorded``): the events of an import stay with the case, and the row that brought them brings nothing new.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from wenzheng_cli.core.import_keys import Known
from wenzheng_cli.domain.ids import new_ulid
from wenzheng_cli.domain.models import UNRESOLVED, Action, Event, Status
from wenzheng_cli.domain.states import apply
from wenzheng_cli.store import cases as case_store
from wenzheng_cli.store import imports

ORIGIN = "import"


RESOLUTION = ("resolved_at", "result", "outcome", "feedback")


def unrecorded(conn: sqlite3.Connection, case_id: str, facts: dict[str, Any]) -> dict[str, Any]:
    """``facts`` less what an import recorded on the ledger case before, undone since or not — so a step a
    clerk took back stays taken back, and a re-import of an unchanged row adds nothing: a unit an import
    assigned already; the same answer (result, outcome, feedback) an import recorded no earlier than this
    办结 time (it may have been moved up); a note with the same text. Empty when nothing is left."""
    left = dict(facts)
    steps = imports.imported_steps(conn, case_id)
    unit = left.get("unit")
    if unit and any(action == "assign" and payload.get("unit") == unit for action, _, payload in steps):
        del left["unit"]
    resolved_at = left.get("resolved_at")
    if resolved_at and any(
        action == "resolve"
        and at >= resolved_at
        and all(payload.get(name) == left.get(name) for name in RESOLUTION[1:])
        for action, at, payload in steps
    ):
        for name in RESOLUTION:
            left.pop(name, None)
    if left.get("note_at") and imports.has_note(conn, case_id, left["note_text"]):
        left.update(note_at=None, note_text=None)
    if not (left.get("unit") or left.get("resolved_at") or left.get("note_at")):
        return {}
    return left


def record_facts(
    conn: sqlite3.Connection, known: Known, facts: dict[str, Any], actor: str, recorded_at: str
) -> list[str]:
    """Append the events for ``facts`` to the ledger case ``known.case`` and store its new state; the
    warnings to report (times moved up)."""
    case = known.case
    if case is None:  # pragma: no cover - only ledger cases come here
        return []
    warnings: list[str] = []
    last = case_store.last_event_at(conn, case.id) or case.received_at
    steps: list[tuple[Action, str, dict[str, Any]]] = []
    if facts.get("unit"):
        steps.append((Action.ASSIGN, last, {"imported": True, "unit": facts["unit"]}))
    if facts.get("resolved_at"):
        payload = {
            "feedback": facts.get("feedback"),
            "imported": True,
            "outcome": facts.get("outcome"),
            "result": facts.get("result"),
        }
        steps.append((Action.RESOLVE, facts["resolved_at"], payload))
    elif facts.get("note_at"):
        payload = {"acknowledgement": True, "imported": True, "text": facts["note_text"]}
        steps.append((Action.NOTE, facts["note_at"], payload))
    for action, at, payload in steps:
        if at < last:
            warnings.append(
                f"{case.number} 的{action.label}时间 {at[:16].replace('T', ' ')} 早于该件最近一次办理，"
                f"按 {last[:16].replace('T', ' ')} 记录"
            )
            at = last
        event = Event(
            id=new_ulid(),
            case_id=case.id,
            action=action,
            at=at,
            recorded_at=recorded_at,
            actor=actor,
            payload={k: v for k, v in payload.items() if v is not None},
            origin=ORIGIN,
        )
        case = apply(case, event)
        case_store.append_event(conn, event)
        last = at
    case_store.update_case(conn, case)
    known.case = case
    known.unit = case.unit
    known.concluded = case.status not in UNRESOLVED
    known.assigned = case.status is not Status.REGISTERED
    return warnings
