"""New facts a later export brings to a case already in the ledger, recorded as events at their business time.

A list value the case lacks (an empty 类别, 社区, 网格, 性质 or 渠道) and columns kept with the case that the row
adds or changes (备注, unknown columns) become an ``amend`` (reason 导入补充) at the case's latest time; a value
a clerk typed or amended is never overwritten. A 承办单位 becomes an ``assign`` to that unit (only while the
case is still 待交办); a resolution (the answer and its time, a 办结 time or status) a ``resolve`` at that time;
a reply that only acknowledges receipt a ``note`` at its time. An event may not precede the case's latest one: such a time is moved up to it, and the warning
says so. The case row is the fold of its events, as for every other change.

What an import recorded on a case before is not recorded again, even once a clerk has undone it
(``unrecorded``): the events of an import stay with the case, and the row that brought them brings nothing new.
A field any amend touched before — a clerk's correction, or an import's fill undone since — is not filled.
"""

from __future__ import annotations

import json
import sqlite3
from typing import TYPE_CHECKING, Any

from wenzheng_cli.domain.ids import new_ulid
from wenzheng_cli.domain.models import UNRESOLVED, Action, Case, Event, Status
from wenzheng_cli.domain.reply_quality import judge
from wenzheng_cli.domain.states import apply
from wenzheng_cli.store import cases as case_store
from wenzheng_cli.store import imports

if TYPE_CHECKING:
    from wenzheng_cli.core.import_keys import Known

ORIGIN = "import"


RESOLUTION = ("resolved_at", "result", "outcome", "feedback")
# The list fields a later export may fill in when the case has none, and the columns kept with the case.
FILLABLE = ("category", "community", "grid", "nature", "channel")
EXTRA = "extra"
FILL_REASON = "导入补充"


def fills(case: Case, fields: dict[str, Any]) -> dict[str, Any]:
    """What the row adds to the fields of a ledger case: each list value the case lacks, and the columns kept
    with it (``extra``) merged with the row's, when the row adds a column or changes one. Columns the row
    lacks stay as they are: a later export with fewer columns takes nothing away."""
    found = {name: fields[name] for name in FILLABLE if fields.get(name) and getattr(case, name) is None}
    theirs = _columns(fields.get(EXTRA))
    if theirs:
        ours = _columns(case.extra)
        merged = {**ours, **theirs}
        if merged != ours:
            found[EXTRA] = json.dumps(merged, ensure_ascii=False)
    return found


def _columns(text: Any) -> dict[str, Any]:
    """The kept columns of a case or a row (a JSON object), empty when there are none or they are unreadable."""
    if not isinstance(text, str) or not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


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
    filled = [name for name in (*FILLABLE, EXTRA) if name in left]
    if filled:
        for name, new in imports.amended_fields(conn, case_id, filled):
            # a clerk's correction stands, and so does the undo of an earlier fill (the same value again)
            if name in left and (name != EXTRA or new == left[EXTRA]):
                del left[name]
    if not any(left.get(name) for name in ("unit", "resolved_at", "note_at", *FILLABLE, EXTRA)):
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
    changes = {
        name: {"old": getattr(case, name), "new": facts[name]}
        for name in (*FILLABLE, EXTRA)
        if facts.get(name) and getattr(case, name) != facts[name]
    }
    if changes:
        steps.append((Action.AMEND, last, {"changes": changes, "imported": True, "reason": FILL_REASON}))
    if facts.get("unit"):
        steps.append((Action.ASSIGN, last, {"imported": True, "unit": facts["unit"]}))
    if facts.get("resolved_at"):
        payload = {
            "feedback": facts.get("feedback"),
            "imported": True,
            "outcome": facts.get("outcome"),
            "result": facts.get("result"),
        }
        if facts.get("result") is not None:  # a 办结 without its reply is not judged
            payload["reply_flags"] = list(judge(facts.get("result"), case.description, case.title))
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
    known.values.update({name: getattr(case, name) for name in FILLABLE if name in known.values})
    known.unit = case.unit
    known.concluded = case.status not in UNRESOLVED
    known.assigned = case.status is not Status.REGISTERED
    return warnings
