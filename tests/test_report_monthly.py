"""The monthly 通报 over a month built by hand, every figure checked against values worked out below."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.cli import Wz
from tests.support.ledgers import built_once

pytestmark = pytest.mark.contract


def act(wz: Wz, command: str, ref: str, at: str, options: str = "") -> None:
    """One lifecycle command at business time ``at`` (``MM-DD HH:MM`` of 2026); ``options`` split on spaces."""
    wz(command, ref, *options.split(), "--at", f"2026-{at}")


def intake(wz: Wz, text: str, community: str, category: str, at: str, options: str = "") -> str:
    data = wz.json(
        "intake",
        text,
        "--community",
        community,
        "--category",
        category,
        "--at",
        f"2026-{at}",
        *options.split(),
    )
    return str(data["number"])


def build_october(wz: Wz) -> dict[str, str]:
    """``_build_october`` into this test's ledger (built once, copied after: some thirty tests start from it)."""
    return built_once("october", wz, _build_october)


def _build_october(wz: Wz) -> dict[str, str]:
    """October 2026 in two communities, plus two September cases. Mid-October Mon–Fri are working days.

    Claim limit: 1 working day after the assignment in force (end of the next working day). Resolvers are
    the handlers (``--operator``); revisits are by the clerk, or by 回访员 for a case the clerk resolved.
    """
    wz("init", "--office", "WZ", "--name", "杨柳街道")
    wz("config", "add", "communities", "杨柳", "清河")
    wz(
        "activity",
        "add",
        "9月居民问政日",
        "--at",
        "2026-09-15 09:00",
        "--community",
        "杨柳",
        "--kind",
        "问政日",
    )
    wz(
        "activity",
        "add",
        "10月居民问政日",
        "--at",
        "2026-10-15 09:00",
        "--community",
        "杨柳",
        "--kind",
        "问政日",
    )
    wz("activity", "add", "10月议事会", "--at", "2026-10-22 14:00", "--community", "清河", "--kind", "议事会")
    n: dict[str, str] = {}

    # P1 (清河, September): claimed, due 09-30, never resolved → overdue at the end of October (not in cohort).
    n["P1"] = p1 = intake(wz, "路灯不亮", "清河", "市政设施", "09-21 09:00")
    act(wz, "assign", p1, "09-22 10:00", "--to 张伟 --unit 市政工程所 --due 2026-09-30")
    act(wz, "claim", p1, "09-22 11:00", "--operator 张伟")
    # P2 (杨柳, September): resolved in October → in no October figure.
    n["P2"] = p2 = intake(wz, "楼道灯坏", "杨柳", "市政设施", "09-23 09:00")
    act(wz, "assign", p2, "09-23 10:00", "--to 张伟 --unit 市政工程所 --due 2026-09-28")
    act(wz, "claim", p2, "09-23 11:00", "--operator 张伟")
    act(wz, "resolve", p2, "10-13 10:00", "--result 已修 --operator 张伟")

    # A1 (杨柳, difficulty 2): claimed in time, resolved on time with phone feedback, satisfied at once.
    n["A1"] = a1 = intake(wz, "楼道堆放杂物", "杨柳", "堆码物清理", "10-12 09:00", "--difficulty 2")
    act(wz, "assign", a1, "10-12 10:00", "--to 王芳 --unit 城管科 --due 2026-10-16")
    act(wz, "claim", a1, "10-12 14:00", "--operator 王芳")
    act(wz, "resolve", a1, "10-14 16:00", "--result 已清理 --feedback 电话 --operator 王芳")
    act(wz, "revisit", a1, "10-15 10:00", "--rating 满意")
    # A2 (杨柳): assigned Tue 10-13, claimed Thu 10-15 (limit: end of 10-14 → late), 督办 on 10-19, resolved
    # 10-20 after its due date 10-16 (late), no feedback, never revisited.
    n["A2"] = a2 = intake(wz, "垃圾桶满溢", "杨柳", "环境卫生", "10-13 09:00")
    act(wz, "assign", a2, "10-13 10:00", "--to 李强 --unit 环卫所 --due 2026-10-16")
    act(wz, "claim", a2, "10-15 09:00", "--operator 李强")
    act(wz, "supervise", a2, "10-19 09:00", "--reason 超期未办结")
    act(wz, "resolve", a2, "10-20 10:00", "--result 已清运 --operator 李强")
    # A3 (杨柳, difficulty 3): first resolution on time (10-16 ≤ 10-20), 不满意 → 重办, then satisfied.
    n["A3"] = a3 = intake(wz, "电梯故障", "杨柳", "物业管理", "10-14 09:00", "--difficulty 3")
    act(wz, "assign", a3, "10-14 10:00", "--to 王芳 --unit 物业公司 --due 2026-10-20")
    act(wz, "claim", a3, "10-14 11:00", "--operator 王芳")
    act(wz, "resolve", a3, "10-16 10:00", "--result 已维修 --feedback 当面 --operator 王芳")
    act(wz, "revisit", a3, "10-19 10:00", "--rating 不满意")
    act(wz, "resolve", a3, "10-22 10:00", "--result 已更换主板 --operator 王芳")
    act(wz, "revisit", a3, "10-23 10:00", "--rating 满意")
    # A4 (杨柳): 现场办结 at the 10月问政日 (activity 2), at the intake level 社区; revisited 非常满意.
    n["A4"] = a4 = intake(
        wz, "咨询低保材料", "杨柳", "行政办理事项", "10-15 09:30", "--on-site 已当场告知 --activity 2"
    )
    act(wz, "revisit", a4, "10-16 10:00", "--rating 非常满意 --operator 回访员")
    # A5 (杨柳): a duplicate of A1, withdrawn → counted apart, in no rate.
    n["A5"] = a5 = intake(wz, "楼道堆放杂物（重复）", "杨柳", "堆码物清理", "10-16 09:00")
    act(wz, "withdraw", a5, "10-16 10:00", f"--duplicate-of {a1}")
    # A6 (杨柳): claimed in time, due 10-30, resolved and revisited only in November → as of the end of
    # October it is unresolved and overdue.
    n["A6"] = a6 = intake(wz, "井盖松动", "杨柳", "市政设施", "10-28 09:00")
    act(wz, "assign", a6, "10-28 10:00", "--to 张伟 --unit 市政工程所 --due 2026-10-30")
    act(wz, "claim", a6, "10-28 11:00", "--operator 张伟")
    act(wz, "resolve", a6, "11-02 10:00", "--result 已加固 --operator 张伟")
    act(wz, "revisit", a6, "11-03 10:00", "--rating 满意")

    # B1 (清河, difficulty 4): claimed in time, escalated to 区 and resolved there on time; 基本满意.
    n["B1"] = b1 = intake(wz, "加装电梯", "清河", "市政设施", "10-19 09:00", "--difficulty 4")
    act(wz, "assign", b1, "10-19 10:00", "--to 赵敏 --unit 社区居委会 --due 2026-10-23")
    act(wz, "claim", b1, "10-19 11:00", "--operator 赵敏")
    act(wz, "escalate", b1, "10-20 10:00", "--level 区 --unit 区住建局 --reason 涉及多部门")
    act(wz, "resolve", b1, "10-22 15:00", "--result 已立项 --feedback 电话 --operator 赵敏")
    act(wz, "revisit", b1, "10-23 10:00", "--rating 基本满意")
    # B2 (清河, difficulty 2): 退单 once, reassigned Wed 10-21 and claimed Thu 10-22 (in time from the new
    # assignment), extended from 10-23 to 10-27 and resolved 10-26 (on time: the extension counts);
    # the revisit could not reach the resident (feedback given, but not rated).
    n["B2"] = b2 = intake(wz, "邻里纠纷", "清河", "群众纠纷", "10-20 09:00", "--difficulty 2")
    act(wz, "assign", b2, "10-20 10:00", "--to 孙丽 --unit 派出所 --due 2026-10-22")
    act(wz, "return", b2, "10-20 15:00", "--reason 不属本单位职责 --operator 孙丽")
    act(wz, "assign", b2, "10-21 09:00", "--to 周杰 --unit 人民调解委员会 --due 2026-10-23")
    act(wz, "claim", b2, "10-22 09:00", "--operator 周杰")
    act(wz, "extend", b2, "10-23 09:00", "--due 2026-10-27 --reason 需再次调解")
    act(wz, "resolve", b2, "10-26 16:00", "--result 已调解 --operator 周杰")
    act(wz, "revisit", b2, "10-27 10:00", "--rating 未联系上")
    # B3 (清河): assigned, never claimed, due 10-26 → overdue; 挂牌督办 on 10-28; two progress notes.
    n["B3"] = b3 = intake(wz, "夜间噪音", "清河", "环境卫生", "10-21 09:00")
    act(wz, "assign", b3, "10-21 10:00", "--to 吴昊 --unit 城管执法中队 --due 2026-10-26")
    act(wz, "note", b3, "10-22 16:00", "已电话联系执法中队")
    act(wz, "supervise", b3, "10-28 09:00", "--reason 超期未办结 --listed")
    act(wz, "note", b3, "10-29 09:00", "执法中队已到场查看")
    # B4 (清河): registered only.
    n["B4"] = intake(wz, "绿地垃圾", "清河", "环境卫生", "10-30 09:00")
    return n


def counts(**values: int | None) -> dict[str, int | None]:
    keys = [
        "received",
        "withdrawn",
        "assigned",
        "claimed",
        "responded",
        "resolved",
        "closed",
        "resolved_with_due",
        "on_time",
        "feedback",
        "revisited",
        "rated",
        "satisfied",
        "first_pass_satisfied",
        "reopened",
        "grassroots",
        "on_site",
        "committed",
        "activities",
        "activity_items",
        "overdue_open",
        "late",
        "dissatisfied",
        "returned",
        "ever_resolved",
        "resolved_with_level",
        "feedback_due",
        "feedback_on_time",
        "supervised",
        "listed",
        "escalated",
        "extended",
        "reply_ok",
    ]
    assert set(values) == set(keys)
    return {key: values[key] for key in keys}


def rates(*values: float | None) -> dict[str, float | None]:
    keys = [
        "claim_rate",
        "response_rate",
        "completion_rate",
        "on_time_rate",
        "feedback_rate",
        "on_time_feedback_rate",
        "revisit_rate",
        "satisfaction_rate",
        "first_pass_satisfaction_rate",
        "reopen_rate",
        "grassroots_rate",
        "reply_ok_rate",
    ]
    return dict(zip(keys, values, strict=True))


# 杨柳: A1 A2 A3 A4 A6 received, A5 withdrawn.
#   assigned A1 A2 A3 A6 = 4, all claimed; responded A1 A3 A6 = 3 (A2 late).
#   resolved A1 A2 A3 A4 = 4 (A6 only in November), closed A1 A3 A4 = 3.
#   with a due date at the first resolution A1 A2 A3 = 3, on time A1 A3 = 2.
#   feedback A1 (电话) A3 A4 (revisit) = 3; revisited A1 A3 A4 = 3; reopened A3 = 1.
#   rated A1 A3 A4 = 3, latest satisfied 3, first rating satisfied A1 A4 = 2.
#   grassroots: all four at 社区 = 4. on-site A4; committed A1 A2 A3 A6 = 4.
#   activities: the 10月问政日 = 1, items A4 = 1. overdue at 10-31 23:59:59: A6 = 1 (P2 is resolved).
#   late A2 A6 = 2; dissatisfied ratings 1 (A3); 退单 0.
#   resolved at least once A1 A2 A3 A4 = 4 (重办率 1/4); all four with a level (基层化解率 4/4).
#   按时反馈 (5 working days from receipt, the day itself not counted): A1 (received Mon 10-12, limit end of
#   10-19) phone at 10-14; A3 (10-14 → 10-21) face to face at 10-16; A4 (on site 10-15 without a method →
#   10-22) revisited 10-16: on time. A2 (10-13 → 10-20) had none by 10-31: late. A6 (10-28 → 11-04) cannot
#   be judged yet. → 3 of 4. 督办 A2 = 1; none 挂牌督办 or 提级.
#   points: A1 +1×2, A2 −2, A3 +1×3 −3, A4 +1×1 (no difficulty → weight of 1), A6 −2 → −1.
#   score: 100 × (.15×4/4 + .1×3/4 + .25×4/5 + .15×2/3 + .1×3/4 + .25×3/3) = 85.0.
#   答复规范率: the typed results (已清理, 已清运, 已更换主板) are too short; A4's 现场办结 is not judged → 1/4.
YANGLIU = {
    "key": "杨柳",
    "totals": counts(
        received=5, withdrawn=1, assigned=4, claimed=4, responded=3, resolved=4, closed=3, resolved_with_due=3,
        on_time=2, feedback=3, revisited=3, rated=3, satisfied=3, first_pass_satisfied=2, reopened=1,
        grassroots=4, on_site=1, committed=4, activities=1, activity_items=1, overdue_open=1, late=2,
        dissatisfied=1, returned=0, ever_resolved=4, resolved_with_level=4, feedback_due=4, feedback_on_time=3,
        supervised=1, listed=0, escalated=0, extended=0, reply_ok=1,
    ),
    "rates": rates(1.0, 0.75, 0.8, 0.6667, 0.75, 0.75, 0.75, 1.0, 0.6667, 0.25, 1.0, 0.25),
    "score": 85.0,
    "rank": 1,
    "points": -1.0,
}  # fmt: skip
# 清河: B1 B2 B3 B4 received (P1 is September's).
#   assigned B1 B2 B3 = 3, claimed B1 B2 = 2, both in time = 2.
#   resolved B1 (closed) B2 (unreachable, still 待回访) = 2, closed 1; both had due dates and were on time.
#   feedback B1 (电话) B2 (a revisit, even unreached) = 2; revisited 2; rated B1 only = 1, satisfied 1, first 1.
#   grassroots: B2 at 社区 = 1 (B1 resolved at 区). committed B1 B2 B3 = 3.
#   activities: the 议事会 = 1, no items. overdue: B3 (due 10-26) and P1 (due 09-30) = 2.
#   late B3 = 1; 退单 1 (B2). points: B1 +1×4, B2 −1, B3 −2 → +1.
#   resolved at least once B1 B2 = 2, none reopened; both with a level.
#   按时反馈: B1 (Mon 10-19 → 10-26) phone at 10-22; B2 (10-20 → 10-27) revisited (unreached) 10-27 10:00:
#   on time. B3 (10-21 → 10-28) none: late. B4 (Fri 10-30 → 11-06) not yet. → 2 of 3.
#   督办 B3 (挂牌) = 1, 挂牌督办 1; 提级 B1 = 1; 延期 B2 = 1.
#   score: 100 × (.15×2/3 + .1×2/3 + .25×2/4 + .15×2/2 + .1×2/2 + .25×1/1) = 79.17.
#   答复规范率: 已立项 and 已调解 are too short → 0/2.
QINGHE = {
    "key": "清河",
    "totals": counts(
        received=4, withdrawn=0, assigned=3, claimed=2, responded=2, resolved=2, closed=1, resolved_with_due=2,
        on_time=2, feedback=2, revisited=2, rated=1, satisfied=1, first_pass_satisfied=1, reopened=0,
        grassroots=1, on_site=0, committed=3, activities=1, activity_items=0, overdue_open=2, late=1,
        dissatisfied=0, returned=1, ever_resolved=2, resolved_with_level=2, feedback_due=3, feedback_on_time=2,
        supervised=1, listed=1, escalated=1, extended=1, reply_ok=0,
    ),
    "rates": rates(0.6667, 0.6667, 0.5, 1.0, 1.0, 0.6667, 1.0, 1.0, 1.0, 0.0, 0.5, 0.0),
    "score": 79.17,
    "rank": 2,
    "points": 1.0,
}  # fmt: skip
# In total: the sums; score 100 × (.15×6/7 + .1×5/7 + .25×6/9 + .15×4/5 + .1×5/6 + .25×4/4) = 82.0.
TOTALS = counts(
    received=9, withdrawn=1, assigned=7, claimed=6, responded=5, resolved=6, closed=4, resolved_with_due=5,
    on_time=4, feedback=5, revisited=5, rated=4, satisfied=4, first_pass_satisfied=3, reopened=1, grassroots=5,
    on_site=1, committed=7, activities=2, activity_items=1, overdue_open=3, late=3, dissatisfied=1, returned=1,
    ever_resolved=6, resolved_with_level=6, feedback_due=7, feedback_on_time=5, supervised=2, listed=1,
    escalated=1, extended=1, reply_ok=1,
)  # fmt: skip
EXPECTED: dict[str, Any] = {
    "period": {"start": "2026-10-01", "end": "2026-10-31", "as_of": "2026-10-31T23:59:59+08:00"},
    "by": "community",
    "totals": TOTALS,
    "rates": rates(0.8571, 0.7143, 0.6667, 0.8, 0.8333, 0.7143, 0.8333, 1.0, 0.75, 0.1667, 0.8333, 0.1667),
    "points": 0.0,
    "score": 82.0,
    "groups": [YANGLIU, QINGHE],
    # 环境卫生 A2 B3 B4, 市政设施 A6 B1, then one each, ties by name.
    "top_categories": [
        {"category": "环境卫生", "received": 3, "share": 0.3333},
        {"category": "市政设施", "received": 2, "share": 0.2222},
        {"category": "堆码物清理", "received": 1, "share": 0.1111},
        {"category": "物业管理", "received": 1, "share": 0.1111},
        {"category": "群众纠纷", "received": 1, "share": 0.1111},
    ],
    "activity": {
        "sessions": 2,
        "by_kind": {"问政日": 1, "议事会": 1},
        "items": 1,
        "on_site": 1,
        "committed": 0,
    },
    "scoring": {
        "score_weights": {
            "claim_rate": 0.15,
            "response_rate": 0.1,
            "completion_rate": 0.25,
            "on_time_rate": 0.15,
            "feedback_rate": 0.1,
            "satisfaction_rate": 0.25,
        },
        "points": {
            "closed": 1.0,
            "overdue": 2.0,
            "dissatisfied": 3.0,
            "returned": 1.0,
            "difficulty_weights": [1.0, 2.0, 3.0, 4.0, 5.0],
        },
    },
}


def test_a_month_by_hand_every_figure(wz: Wz, monkeypatch: pytest.MonkeyPatch) -> None:
    build_october(wz)
    first = wz.json("report", "monthly", "--month", "2026-10")
    assert first == EXPECTED
    # The same month re-run months later (events keep coming in) gives the same JSON.
    monkeypatch.setenv("WENZHENG_NOW", "2027-03-01T08:00:00+08:00")
    assert wz.json("report", "monthly", "--month", "2026-10", "--by", "community") == first
    assert (
        wz("report", "monthly", "--month", "2026-10", "--format", "json").stdout
        == wz("report", "monthly", "--month", "2026-10", "--json").stdout
    )


def test_month_last_and_default_as_of(wz: Wz, monkeypatch: pytest.MonkeyPatch) -> None:
    build_october(wz)
    monkeypatch.setenv("WENZHENG_NOW", "2026-11-02T08:00:00+08:00")
    assert wz.json("report", "monthly", "--month", "last") == EXPECTED
    # This month, unfinished: counted as of now.
    current = wz.json("report", "monthly")
    assert current["period"] == {
        "start": "2026-11-01",
        "end": "2026-11-30",
        "as_of": "2026-11-02T08:00:00+08:00",
    }
    assert current["totals"]["received"] == 0
    # Overdue is over all cases at that moment: P1, B3, and A6 (resolved only at 10:00 today).
    assert current["totals"]["overdue_open"] == 3


def test_as_of_counts_only_events_until_then(wz: Wz) -> None:
    n = build_october(wz)
    data = wz.json("report", "monthly", "--month", "2026-10", "--as-of", "2026-10-19 12:00")
    assert data["period"]["as_of"] == "2026-10-19T12:00:00+08:00"
    yl, qh = (next(g for g in data["groups"] if g["key"] == key) for key in ("杨柳", "清河"))
    # 杨柳 by then: A1 closed, A2 claimed (due 10-16, overdue and late), A3 just reopened (rated 不满意),
    # A4 closed, A5 withdrawn; A6 not yet received.
    assert yl["totals"]["received"] == 4 and yl["totals"]["withdrawn"] == 1
    # 重办率 counts A3 although it is not resolved now: reopened 1 of the 3 resolved at least once (A1 A3 A4).
    assert (yl["totals"]["resolved"], yl["totals"]["reopened"], yl["totals"]["ever_resolved"]) == (2, 1, 3)
    assert yl["rates"]["reopen_rate"] == 0.3333
    assert (yl["totals"]["rated"], yl["totals"]["satisfied"], yl["totals"]["first_pass_satisfied"]) == (
        3,
        2,
        2,
    )
    assert yl["totals"]["overdue_open"] == 1 and yl["totals"]["late"] == 1
    # 清河: B1 assigned and claimed an hour ago; P1 overdue.
    assert (qh["totals"]["received"], qh["totals"]["claimed"], qh["totals"]["overdue_open"]) == (1, 1, 1)
    assert n["B1"] == "WZ-2026-0009"


def test_monthly_refuses_bad_options(wz: Wz) -> None:
    wz("init")
    assert "--by" in wz.fail("report", "monthly", "--by", "street").stderr
    assert "月份" in wz.fail("report", "monthly", "--month", "2026-13").stderr
    assert "晚于现在" in wz.fail("report", "monthly", "--as-of", "2026-11-30").stderr
    assert "早于" in wz.fail("report", "monthly", "--month", "2026-10", "--as-of", "2026-09-30").stderr


def test_points_and_score_follow_the_configuration(wz: Wz) -> None:
    build_october(wz)
    assert wz.json("config", "set", "points.overdue", "0")["points.overdue"] == 0
    weights = wz.json("config", "set", "points.difficulty_weights", "1,1.5,2,2.5,3")
    assert weights["points.difficulty_weights"] == [1, 1.5, 2, 2.5, 3]
    wz("config", "set", "score.weights", '{"completion_rate": 1}')
    data = wz.json("report", "monthly", "--month", "2026-10")
    groups = {g["key"]: g for g in data["groups"]}
    # 杨柳: A1 +1.5 (difficulty 2), A3 +2 −3, A4 +1; lateness no longer costs anything → 1.5.
    # 清河: B1 +2.5 (difficulty 4), B2 −1 (退单) → 1.5.
    assert (groups["杨柳"]["points"], groups["清河"]["points"], data["points"]) == (1.5, 1.5, 3.0)
    # The score is now the completion rate alone: 4/5 and 2/4.
    assert (groups["杨柳"]["score"], groups["清河"]["score"], data["score"]) == (80.0, 50.0, 66.67)
    assert data["scoring"]["score_weights"] == {"completion_rate": 1.0}
    refused = wz.fail("config", "set", "points.closed", "很多")
    assert "需要数字" in refused.stderr
    # Refused when set, so a stored bad value can only come from outside: still one clear error naming the key.
    assert "不是比率名" in wz.fail("config", "set", "score.weights", '{"happiness": 1}').stderr
