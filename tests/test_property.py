"""Random sequences of commands, corrections (amend, undo) included: the ``cases`` table is always exactly the
fold of the events, and ``check`` passes after any sequence."""

from __future__ import annotations

import tempfile
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wenzheng_cli.core import actions, corrections
from wenzheng_cli.core.intake import IntakeInput, intake
from wenzheng_cli.core.integrity import check, diff
from wenzheng_cli.core.session import Session
from wenzheng_cli.domain import clock
from wenzheng_cli.domain.states import fold
from wenzheng_cli.errors import WenzhengError
from wenzheng_cli.store import cases as store

RATINGS = ["满意", "非常满意", "基本满意", "不满意", "非常不满意", "未联系上"]
OPERATORS = ["甲", "乙"]

step = st.one_of(
    st.tuples(st.just("intake"), st.booleans(), st.sampled_from(["环境卫生", "水电暖气燃气", None])),
    # To one of the operators (who alone may claim it), or to a unit only (whoever claims it handles it).
    st.tuples(st.just("assign"), st.integers(0, 5), st.sampled_from(["甲", "乙", None])),
    st.tuples(st.just("claim"), st.integers(0, 5)),
    st.tuples(st.just("return"), st.integers(0, 5)),
    st.tuples(st.just("escalate"), st.integers(0, 5), st.sampled_from(["网格", "社区", "街道", "区"])),
    st.tuples(st.just("note"), st.integers(0, 5)),
    st.tuples(st.just("extend"), st.integers(0, 5), st.sampled_from(["2wd", "3d", "24h"])),
    st.tuples(st.just("supervise"), st.integers(0, 5)),
    st.tuples(st.just("resolve"), st.integers(0, 5), st.sampled_from(["solved", "partly", "explained"])),
    st.tuples(st.just("revisit"), st.integers(0, 5), st.sampled_from(RATINGS)),
    st.tuples(st.just("withdraw"), st.integers(0, 5), st.integers(-1, 5)),
    st.tuples(
        st.just("amend"),
        st.integers(0, 5),
        st.sampled_from(["环境卫生", "道路交通", "市政"]),  # 市政: not in the list, refused
        st.sampled_from([None, "", "13812345678"]),
    ),
    st.tuples(st.just("undo"), st.integers(0, 5)),
    st.tuples(st.just("undo"), st.integers(0, 5)),
)


def run(s: Session, numbers: list[str], op: tuple[object, ...]) -> None:
    name = op[0]
    if name == "intake":
        on_site = "现场已处理" if op[1] else None
        case = intake(s, IntakeInput(description="楼道杂物堆放", category=op[2], on_site=on_site))  # type: ignore[arg-type]
        numbers.append(case.number)
        return
    if not numbers:
        return
    n = numbers[int(op[1]) % len(numbers)]  # type: ignore[call-overload]
    if name == "assign":
        to = op[2] if op[2] is None else str(op[2])
        actions.assign(
            s, n, to=to, unit="城管科" if to is None else None, level=None, due=None, within=None, at=None
        )
    elif name == "claim":
        actions.claim(s, n, at=None)
    elif name == "return":
        actions.return_(s, n, reason="误派", at=None)
    elif name == "escalate":
        actions.escalate(
            s, n, level=str(op[2]), to=None, unit="上级", reason="提级", due=None, within=None, at=None
        )
    elif name == "note":
        actions.note(s, n, text="进展", at=None)
    elif name == "extend":
        actions.extend(s, n, due=None, within=str(op[2]), reason="延期", at=None)
    elif name == "supervise":
        actions.supervise(s, n, reason="督办", listed=False, at=None)
    elif name == "resolve":
        actions.resolve(s, n, result="已处理", outcome=str(op[2]), feedback=None, at=None)
    elif name == "revisit":
        actions.revisit(s, n, rating=str(op[2]), method=None, comment=None, at=None)
    elif name == "withdraw":
        twin = numbers[int(op[2]) % len(numbers)] if int(op[2]) >= 0 else None  # type: ignore[call-overload]
        actions.withdraw(s, n, reason="撤回", duplicate_of=twin, at=None)
    elif name == "amend":
        corrections.amend(s, n, {"category": op[2], "phone": op[3]}, reason="更正", at=None)
    elif name == "undo":
        corrections.undo(s, n, reason=None, at=None)


def snapshot(s: Session) -> tuple[list[tuple[object, ...]], int]:
    conn = s.ledger.conn
    return list(conn.execute("SELECT * FROM cases ORDER BY pk")), conn.execute(
        "SELECT COUNT(*) FROM events"
    ).fetchone()[0]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(step, st.sampled_from(OPERATORS)), min_size=1, max_size=40))
def test_rebuilding_every_case_from_its_events_gives_the_cases_table(
    ops: list[tuple[tuple[object, ...], str]],
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "p.db"
        start = clock.parse_iso("2026-09-28T09:00:00+08:00")
        assert start is not None
        numbers: list[str] = []
        for i, (op, operator) in enumerate(ops):
            s = Session.open(str(db), operator, create=True)
            s._now = start + timedelta(hours=7 * i)  # crosses the National Day holiday
            before = snapshot(s)
            try:
                run(s, numbers, op)
            except WenzhengError:
                assert snapshot(s) == before, f"a refused {op[0]} changed the ledger"
            s.close()
        s = Session.open(str(db), "甲", create=False)
        conn = s.ledger.conn
        for case in store.iter_cases(conn):
            rebuilt = fold(store.events_for(conn, case.id))
            assert rebuilt is not None
            assert diff(case, rebuilt) == []
            assert rebuilt == case
        assert check(s).ok
        s.close()
