"""The domain's rules and their SQL twins move together: an action (an ``Action`` member) or a case field added
to one side only fails here.

- ``domain.states.apply`` ↔ ``domain.metrics.track`` ↔ the facts the store reads (``store.reports``, SQL made
  from ``domain.metrics.FACTS_PAYLOAD``) ↔ the status an import writes (``store.import_stage``, SQL made from
  ``domain.states.TRANSITIONS``): every action has a rule in each, or is listed as one that changes nothing
  there. A new action needs a sample below, and then a rule (or a place in a list) in each twin.
- ``render.cases.case_json`` ↔ ``store.case_text``: a case with every field set reads the same both ways, so a
  key or a kind of value the SQL cannot write fails.
"""

from __future__ import annotations

import json
import re
import sqlite3
import typing
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest

from wenzheng_cli.domain import metrics, states
from wenzheng_cli.domain.metrics import Limits, facts_of, track
from wenzheng_cli.domain.models import CASE_FIELDS, Action, Case, Event, Status
from wenzheng_cli.render.cases import CASE_KEYS, case_columns, case_json
from wenzheng_cli.render.console import json_text, json_utf8
from wenzheng_cli.store import import_stage
from wenzheng_cli.store import reports as store_reports
from wenzheng_cli.store.case_text import object_sql

AT = "2026-10-12T09:00:00+08:00"
LATER = "2026-10-13T09:00:00+08:00"
DUE = "2026-10-20T17:00:00+08:00"
LIMITS = Limits(claim=lambda _: DUE, feedback=lambda _: DUE)
# Every member the facts may hold, on every event: the facts must take only those their action carries.
EVERY_MEMBER = {
    "due_at": DUE,
    "level": "街道",
    "unit": "城管科",
    "handler": "王芳",
    "feedback": "电话",
    "rating": "satisfied",
    "effect": "closed",
    "on_site": "已当场答复",
    "kind": "挂牌督办",
}
INTAKE = {"number": "WZ-2026-0001", "office": "WZ", "year": 2026, "seq": 1, "description": "路灯不亮"}
# What each action's event carries besides (a new action needs one here).
SAMPLES: dict[Action, dict[str, Any]] = {
    Action.INTAKE: INTAKE,
    Action.ASSIGN: {},
    Action.CLAIM: {},
    Action.RETURN: {"reason": "不属本单位"},
    Action.ESCALATE: {"reason": "需协调"},
    Action.NOTE: {"text": "已联系"},
    Action.EXTEND: {"reason": "等待配件"},
    Action.SUPERVISE: {"reason": "久拖未办"},
    Action.RESOLVE: {"result": "已修复", "outcome": "solved"},
    Action.REVISIT: {},
    Action.WITHDRAW: {"reason": "居民撤回"},
    Action.AMEND: {"reason": "写错", "changes": {"category": {"old": None, "new": "市政设施"}}},
    Action.UNDO: {"revokes": "e0", "undone": "note"},
}
NOT_APPLIED = {Action.UNDO}  # states.fold leaves out an undo and what it revokes (states.live)


def event(action: Action, n: int = 1, **payload: Any) -> Event:
    return Event(f"e{n}", "c1", action, LATER, LATER, "clerk", {**EVERY_MEMBER, **SAMPLES[action], **payload})


def test_every_action_has_a_sample() -> None:
    assert set(SAMPLES) == set(Action), "a new action: add its sample here, then its rule in each twin"


@pytest.mark.parametrize("action", list(Action), ids=str)
def test_the_state_machine_folds_every_action(action: Action) -> None:
    case = states.apply(None, Event("e0", "c1", Action.INTAKE, AT, AT, "clerk", INTAKE))
    if action in NOT_APPLIED:
        with pytest.raises(ValueError, match="not applied"):
            states.apply(case, event(action))
        return
    assert action is Action.INTAKE or action in states.TRANSITIONS
    states.apply(case, event(action))  # no "no rule" refusal


@pytest.mark.parametrize("action", list(Action), ids=str)
def test_the_monthly_fold_folds_every_action_or_skips_it(action: Action) -> None:
    intake = Event("e0", "c1", Action.INTAKE, AT, AT, "clerk", INTAKE)
    t = track([facts_of(intake), facts_of(event(action))], LATER, LIMITS)
    assert t is not None
    assert set(metrics.SKIPPED_ACTIONS) <= {a.value for a in Action}
    assert set(metrics.DATED_ACTIONS) <= {a.value for a in Action}
    assert set(metrics.NOT_STATE_ACTIONS) <= {a.value for a in Action}


@pytest.mark.parametrize("action", list(Action), ids=str)
def test_the_store_reads_the_facts_of_every_action_as_the_fold_does(action: Action) -> None:
    """``store.reports`` pulls the facts out of the payload in SQL: the same as ``facts_of`` for every action,
    whatever else the payload holds."""
    e = event(action)
    with sqlite3.connect(":memory:") as conn:
        conn.execute("CREATE TABLE events (action TEXT, at TEXT, payload TEXT)")
        conn.execute("INSERT INTO events VALUES (?, ?, ?)", (e.action.value, e.at, json.dumps(e.payload)))
        row = conn.execute(f"SELECT {store_reports._FACTS} FROM events e").fetchone()
    expected = facts_of(e)
    assert len(row) == len(expected)
    assert [bool(v) if isinstance(w, bool) else v for v, w in zip(row, expected, strict=True)] == list(
        expected
    )


@pytest.mark.parametrize("skipped", metrics.NOT_STATE_ACTIONS)
def test_what_the_open_cases_leave_out_changes_no_state(skipped: str) -> None:
    """The reads of the cases open at a moment leave these out: their status, due date and group stay."""
    intake = Event("e0", "c1", Action.INTAKE, AT, AT, "clerk", INTAKE)
    assign = Event(
        "e1", "c1", Action.ASSIGN, AT, AT, "clerk", {"unit": "城管科", "level": "社区", "due_at": DUE}
    )
    steps = [facts_of(intake), facts_of(assign)]
    without = track(steps, LATER, LIMITS)
    with_it = track([*steps, facts_of(event(Action(skipped), 2))], LATER, LIMITS)
    assert without is not None and with_it is not None
    state = ("status", "due_at", "unit", "handler", "level")
    assert [getattr(with_it, name) for name in state] == [getattr(without, name) for name in state]


def test_an_import_writes_the_events_whose_statuses_it_writes() -> None:
    """``store.import_stage`` writes these events and the case rows their fold gives (the status from
    ``states.TRANSITIONS``); the tests of the import hold the rows equal to the fold on data."""
    source = Path(import_stage.__file__).read_text(encoding="utf-8")
    written = set(re.findall(r"cid, '(\w+)'", source))
    assert written == {action.value for action in import_stage.WRITES}
    for action in import_stage.WRITES:
        if action is Action.REVISIT:  # only the closing revisit of a history import (effect closed)
            assert f"'{Status.CLOSED.value}'" in import_stage._STATUS
        elif action not in (Action.INTAKE, Action.NOTE):
            target = states.TRANSITIONS[action][1]
            assert target is not None and f"'{target.value}'" in import_stage._STATUS
    assert f"'{states.ON_SITE_STATUS.value}'" in import_stage._STATUS
    assert f"'{states.INTAKE_STATUS.value}'" in import_stage._STATUS


def _value(name: str, kind: str) -> Any:
    """A value of a case field of this kind (as annotated), unlike any default."""
    if kind == "bool":
        return True
    if kind == "Status":
        return Status.CLAIMED
    if kind in ("int", "int | None"):
        return 3
    if kind == "str | None" or kind == "str":
        return f'{name}"值"\\\n\x1f😀'
    if kind == "tuple[str, ...]":  # the JSON text of a list, as stored
        return ("too_short", "no_outcome")
    raise AssertionError(f"Case.{name} is a {kind}: teach store.case_text and this test how it is written")


@pytest.mark.parametrize("show_pii", [False, True])
def test_a_case_with_every_field_set_is_written_the_same_both_ways(show_pii: bool) -> None:
    assert set(CASE_KEYS) <= set(CASE_FIELDS)
    case = Case(**{f.name: _value(f.name, str(f.type)) for f in fields(Case)})
    encode = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode
    with sqlite3.connect(":memory:") as conn:
        conn.execute(f"CREATE TABLE cases ({', '.join(CASE_FIELDS)})")
        row = case.as_row()
        conn.execute(
            f"INSERT INTO cases VALUES ({', '.join('?' for _ in CASE_FIELDS)})", [row[n] for n in CASE_FIELDS]
        )
        (written,) = conn.execute(
            f"SELECT {object_sql(conn, case_columns(show_pii))} FROM cases c"
        ).fetchone()
    assert json_utf8(written) + b"}" == json_text(encode(case_json(case, show_pii))).encode()


def test_the_kinds_of_case_fields_are_known() -> None:
    hints = typing.get_type_hints(Case)
    assert {name for name in hints if hints[name] is bool} == {
        f.name for f in fields(Case) if f.type == "bool"
    }
