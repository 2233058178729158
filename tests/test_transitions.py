"""Every (action, status) pair of the lifecycle, legal and illegal, through the core functions.

The expected table is written out here from DESIGN.md, independently of ``domain.states.TRANSITIONS``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from wenzheng_cli.core import actions, corrections
from wenzheng_cli.core.intake import IntakeInput, intake
from wenzheng_cli.core.session import Session
from wenzheng_cli.errors import WenzhengError

R, A, C, V, X, W = "registered", "assigned", "claimed", "resolved", "closed", "withdrawn"
STATUSES = (R, A, C, V, X, W)

# action → {from status: to status}; a status not listed is refused.
EXPECTED: dict[str, dict[str, str]] = {
    "assign": {R: A, A: A, C: A},
    "claim": {A: C},
    "return": {A: R, C: R},
    "escalate": {A: A, C: A},
    "note": {R: R, A: A, C: C, V: V},
    "extend": {A: A, C: C},
    "supervise": {R: R, A: A, C: C, V: V},
    "resolve": {A: V, C: V},
    "revisit": {V: X},
    "withdraw": {R: W, A: W, C: W},
}

DO: dict[str, Callable[[Session, str], Any]] = {
    # Assigned to the clerk who then claims it (实名认领: only the person a case is assigned to claims it).
    "assign": lambda s, n: actions.assign(
        s, n, to="clerk", unit=None, level=None, due=None, within=None, at=None
    ),
    "claim": lambda s, n: actions.claim(s, n, at=None),
    "return": lambda s, n: actions.return_(s, n, reason="交办有误", at=None),
    "escalate": lambda s, n: actions.escalate(
        s, n, level="区", to=None, unit="区城管局", reason="跨部门", due=None, within=None, at=None
    ),
    "note": lambda s, n: actions.note(s, n, text="已联系", at=None),
    "extend": lambda s, n: actions.extend(s, n, due=None, within="3wd", reason="等待配件", at=None),
    "supervise": lambda s, n: actions.supervise(s, n, reason="督办", listed=False, at=None),
    "resolve": lambda s, n: actions.resolve(s, n, result="已处理", outcome=None, feedback=None, at=None),
    "revisit": lambda s, n: actions.revisit(s, n, rating="满意", method="电话", comment=None, at=None),
    "withdraw": lambda s, n: actions.withdraw(s, n, reason="居民撤回", duplicate_of=None, at=None),
}

PATH_TO: dict[str, list[str]] = {
    R: [],
    A: ["assign"],
    C: ["assign", "claim"],
    V: ["assign", "claim", "resolve"],
    X: ["assign", "claim", "resolve", "revisit"],
    W: ["withdraw"],
}


def session_as(db: Path, operator: str) -> Session:
    return Session.open(str(db), operator, create=True)


def case_in(db: Path, status: str) -> str:
    s = session_as(db, "clerk")
    number = intake(s, IntakeInput(description="3号楼路灯不亮", category="市政设施")).number
    for step in PATH_TO[status]:
        # The revisit must come from someone other than the resolver.
        DO[step](session_as(db, "回访员") if step == "revisit" else s, number)
    assert s.ledger.conn.execute("SELECT status FROM cases").fetchone()[0] == status
    return number


def dump(db: Path) -> list[tuple[object, ...]]:
    s = session_as(db, "clerk")
    rows = list(s.ledger.conn.execute("SELECT * FROM cases ORDER BY pk"))
    rows += list(s.ledger.conn.execute("SELECT * FROM events ORDER BY seq"))
    return rows


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("action", list(EXPECTED))
def test_transition(tmp_path: Path, action: str, status: str) -> None:
    db = tmp_path / "t.db"
    number = case_in(db, status)
    before = dump(db)
    s = session_as(db, "回访员" if action == "revisit" else "clerk")
    if status in EXPECTED[action]:
        case = DO[action](s, number)
        assert case.status.value == EXPECTED[action][status]
        assert len(dump(db)) == len(before) + 1  # exactly one new event
    else:
        with pytest.raises(WenzhengError) as refused:
            DO[action](s, number)
        assert str(refused.value).startswith(f"{number} 当前状态为")
        assert f"({status})" in str(refused.value)
        assert refused.value.hint
        assert dump(db) == before  # nothing changed


# A correction, from every status: amend leaves the status as it is; undo goes one step back along the path.
UNDONE: dict[str, str | None] = {R: None, A: R, C: A, V: C, X: V, W: R}


@pytest.mark.parametrize("status", STATUSES)
def test_amend_from_every_status(tmp_path: Path, status: str) -> None:
    db = tmp_path / "t.db"
    number = case_in(db, status)
    before = dump(db)
    s = session_as(db, "clerk")
    case = corrections.amend(s, number, {"category": "道路交通"}, reason="类别选错", at=None)
    assert (case.status.value, case.category) == (status, "道路交通")
    assert len(dump(db)) == len(before) + 1  # exactly one new event


@pytest.mark.parametrize("status", STATUSES)
def test_undo_from_every_status(tmp_path: Path, status: str) -> None:
    db = tmp_path / "t.db"
    number = case_in(db, status)
    before = dump(db)
    s = session_as(db, "clerk")
    if UNDONE[status] is None:
        with pytest.raises(WenzhengError) as refused:
            corrections.undo(s, number, reason=None, at=None)
        assert refused.value.message == f"{number} 除受理外没有可撤销的操作"
        assert refused.value.hint
        assert dump(db) == before
        return
    done = corrections.undo(s, number, reason="误操作", at=None)
    assert done.case.status.value == UNDONE[status]
    assert done.event.action.value == (PATH_TO[status][-1])
    assert len(dump(db)) == len(before) + 1  # exactly one new event; nothing deleted
