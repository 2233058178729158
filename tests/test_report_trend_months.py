"""The trend counts its months together (the cases open long ago read once for all of them): each month is
still, figure for figure and group for group, the monthly 通报 of that month counted on its own — over months
where cases stay open, go overdue, are reopened, escalated, returned, 督办, withdrawn late, undone and amended."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support.cli import Wz
from tests.support.ledgers import built_once
from tests.test_report_figures_kept import forget_figures
from tests.test_report_monthly import act, intake

MONTHS = ["2026-06", "2026-07", "2026-08", "2026-09", "2026-10"]


def _build(wz: Wz) -> dict[str, str]:
    wz("init", "--office", "WZ", "--name", "杨柳街道")
    wz("config", "add", "communities", "杨柳", "清河")
    wz(
        "activity",
        "add",
        "6月居民问政日",
        "--at",
        "2026-06-10 09:00",
        "--community",
        "杨柳",
        "--kind",
        "问政日",
    )
    n: dict[str, str] = {}
    # J1: claimed, due 06-10, never resolved: overdue at the end of every month, its own and after.
    n["J1"] = j1 = intake(wz, "路灯不亮", "杨柳", "市政设施", "06-03 09:00")
    act(wz, "assign", j1, "06-03 10:00", "--to 张伟 --unit 市政工程所 --due 2026-06-10")
    act(wz, "claim", j1, "06-03 11:00", "--operator 张伟")
    # J2: late, 不满意 → 重办 in July, escalated to 街道 with a new due date, resolved and closed in August.
    n["J2"] = j2 = intake(wz, "井盖松动", "清河", "市政设施", "06-05 09:00", "--difficulty 3")
    act(wz, "assign", j2, "06-05 10:00", "--to 赵敏 --unit 社区居委会 --due 2026-06-20")
    act(wz, "claim", j2, "06-06 09:00", "--operator 赵敏")
    act(wz, "resolve", j2, "07-10 10:00", "--result 已加固 --feedback 电话 --operator 赵敏")
    act(wz, "revisit", j2, "07-12 10:00", "--rating 不满意")
    act(wz, "escalate", j2, "07-25 10:00", "--level 街道 --unit 街道城管科 --due 2026-08-05 --reason 需协调")
    act(wz, "resolve", j2, "08-20 10:00", "--result 已更换 --operator 赵敏")
    act(wz, "revisit", j2, "08-22 10:00", "--rating 满意")
    # J3: 现场办结 at the 问政日, then 不满意 → 重办 in July, overdue at the end of July and August.
    n["J3"] = j3 = intake(
        wz, "咨询低保", "杨柳", "行政办理事项", "06-10 09:30", "--on-site 已告知 --activity 1"
    )
    act(wz, "revisit", j3, "07-01 10:00", "--rating 不满意 --operator 回访员")
    act(wz, "assign", j3, "07-01 11:00", "--to 王芳 --unit 民政科 --due 2026-07-15")
    # J4: 退单 by one unit, reassigned, 挂牌督办 in July, withdrawn in August (open at the ends of June, July).
    n["J4"] = j4 = intake(wz, "邻里纠纷", "清河", "群众纠纷", "06-15 09:00")
    act(wz, "assign", j4, "06-15 10:00", "--to 孙丽 --unit 派出所 --due 2026-06-25")
    act(wz, "return", j4, "06-16 15:00", "--reason 不属本单位职责 --operator 孙丽")
    act(wz, "assign", j4, "06-17 09:00", "--to 周杰 --unit 人民调解委员会 --due 2026-07-15")
    act(wz, "claim", j4, "06-17 10:00", "--operator 周杰")
    act(wz, "supervise", j4, "07-16 09:00", "--reason 超期未办结 --listed")
    act(wz, "withdraw", j4, "08-10 10:00", "--reason 居民撤回")
    # J5: extended past the end of June; resolved on time in July, never revisited.
    n["J5"] = j5 = intake(wz, "楼道堆物", "杨柳", "堆码物清理", "06-20 09:00")
    act(wz, "assign", j5, "06-20 10:00", "--to 王芳 --unit 城管科 --due 2026-06-25")
    act(wz, "extend", j5, "06-24 09:00", "--due 2026-07-03 --reason 需物业配合")
    act(wz, "resolve", j5, "07-02 10:00", "--result 已清理 --operator 王芳")
    # K1 (July): its claim undone; then 督办, resolved late in September and closed (open at the end of August).
    n["K1"] = k1 = intake(wz, "垃圾满溢", "杨柳", "环境卫生", "07-02 09:00")
    act(wz, "assign", k1, "07-02 10:00", "--to 李强 --unit 环卫所 --due 2026-07-20")
    act(wz, "claim", k1, "07-02 11:00", "--operator 李强")
    wz("undo", k1, "--yes")
    act(wz, "claim", k1, "07-03 11:00", "--operator 李强")
    act(wz, "supervise", k1, "08-03 09:00", "--reason 超期未办结")
    act(wz, "resolve", k1, "09-10 10:00", "--result 已清运 --operator 李强")
    act(wz, "revisit", k1, "09-15 10:00", "--rating 满意")
    # K2 (July, 杨柳 → amended to 清河 in November: counted in 清河 in every month).
    n["K2"] = k2 = intake(wz, "噪音扰民", "杨柳", "环境卫生", "07-20 09:00")
    act(wz, "assign", k2, "07-20 10:00", "--to 吴昊 --unit 城管执法中队 --due 2026-08-01")
    wz("amend", k2, "--community", "清河", "--reason", "社区写错")
    # A1 (August): resolved, the resolution undone, resolved again in October and closed.
    n["A1"] = a1 = intake(wz, "电梯故障", "清河", "物业管理", "08-03 09:00", "--difficulty 2")
    act(wz, "assign", a1, "08-03 10:00", "--to 王芳 --unit 物业公司 --due 2026-08-10")
    act(wz, "resolve", a1, "08-08 10:00", "--result 已维修 --operator 王芳")
    wz("undo", a1, "--yes")
    act(wz, "resolve", a1, "10-05 10:00", "--result 已更换主板 --operator 王芳")
    act(wz, "revisit", a1, "10-06 10:00", "--rating 满意")
    # S1 (September): escalated to 区 on the last day, overdue at the end of October; O1 (October): registered.
    n["S1"] = s1 = intake(wz, "加装电梯", "清河", "市政设施", "09-28 09:00")
    act(wz, "assign", s1, "09-28 10:00", "--to 赵敏 --unit 社区居委会 --due 2026-10-09")
    act(wz, "escalate", s1, "09-30 10:00", "--level 区 --unit 区住建局 --reason 涉及多部门")
    n["O1"] = intake(wz, "绿地垃圾", "杨柳", "环境卫生", "10-30 09:00")
    return n


def by_args(by: str | None) -> list[str]:
    return ["--by", by] if by else []


def monthly_afresh(wz: Wz, ledger: Path, month: str, by: str | None) -> dict[str, Any]:
    forget_figures(ledger)
    data: dict[str, Any] = wz.json("report", "monthly", "--month", month, *by_args(by))
    return data


@pytest.mark.parametrize("by", [None, "unit", "handler", "level", "community"])
def test_each_month_of_the_trend_is_that_monthly_report_counted_on_its_own(
    wz: Wz, ledger_env: Path, monkeypatch: pytest.MonkeyPatch, by: str | None
) -> None:
    from wenzheng_cli.core import figures

    built_once("trend-months", wz, _build)
    monthly = {month: monthly_afresh(wz, ledger_env, month, by) for month in MONTHS}
    overdue = [monthly[month]["totals"]["overdue_open"] for month in MONTHS]
    # Overdue at each month's end: J1 J2 / J1 J3 J4 K1 / J1 J3 K1 K2 A1 / J1 J3 K2 A1 / J1 J3 K2 S1.
    assert overdue == [2, 4, 5, 4, 4]
    # Near the present (this small ledger) each month reads the unchanged rows; long after, the cases open
    # then are read once for all the months together. Both give each month's own figures.
    for recent_events in (figures.RECENT_EVENTS, 0):
        monkeypatch.setattr(figures, "RECENT_EVENTS", recent_events)
        forget_figures(ledger_env)
        trend = wz.json("report", "trend", "--months", "5", "--until", "2026-10", *by_args(by))
        assert [entry["month"] for entry in trend["months"]] == MONTHS
        for i, month in enumerate(MONTHS):
            entry, expected = trend["months"][i], monthly[month]
            assert (entry["as_of"], entry["totals"], entry["rates"]) == (
                expected["period"]["as_of"],
                expected["totals"],
                expected["rates"],
            ), (recent_events, month)
            if by is None:
                continue
            groups = {g["key"]: (g["totals"], g["rates"]) for g in expected["groups"]}
            shown = {g["key"]: (g["months"][i]["totals"], g["months"][i]["rates"]) for g in trend["groups"]}
            for key, found in shown.items():
                if key in groups:
                    assert found == groups[key], (recent_events, month, key)
                else:  # a group of another month: nothing in this one
                    assert found[0]["received"] == 0 and found[0]["overdue_open"] == 0
            assert set(groups) <= set(shown)
        # The figures the trend kept are each month's too.
        for month in MONTHS:
            kept = wz.json("report", "monthly", "--month", month, *by_args(by))
            assert kept["totals"] == monthly[month]["totals"]
