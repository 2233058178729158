"""The weekly 台账: Tuesday-to-Monday weeks, the six sections as the week ended, totals, masking."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.cli import Wz
from tests.test_report_monthly import build_october

pytestmark = pytest.mark.contract


def numbers(data: dict[str, Any], section: str) -> list[str]:
    return [row["number"] for row in data[section]]


def test_a_monday_belongs_to_the_week_that_began_the_tuesday_before(wz: Wz) -> None:
    wz("init")
    wz("intake", "周一深夜来电", "--at", "2026-11-16 23:59")  # Monday → week of Tue 11-10
    wz("intake", "周二一早来访", "--at", "2026-11-17 00:00")  # Tuesday → week of Tue 11-17
    wz("intake", "本周一受理", "--at", "2026-11-23 09:00")  # Monday (today) → still the week of 11-17
    this_week = wz.json("report", "weekly")
    assert this_week["week"] == {"start": "2026-11-17", "end": "2026-11-23"}
    assert numbers(this_week, "new") == ["WZ-2026-0002", "WZ-2026-0003"]
    last_week = wz.json("report", "weekly", "--week", "2026-11-16")
    assert last_week["week"] == {"start": "2026-11-10", "end": "2026-11-16"}
    assert numbers(last_week, "new") == ["WZ-2026-0001"]
    assert wz.json("report", "weekly", "--week", "2026-11-10")["week"] == last_week["week"]
    # An office whose visit day is Monday starts its week then.
    wz("config", "set", "week.start", "mon")
    monday_week = wz.json("report", "weekly")
    assert monday_week["week"] == {"start": "2026-11-23", "end": "2026-11-29"}
    assert numbers(monday_week, "new") == ["WZ-2026-0003"]


def test_sections_as_the_week_ended(wz: Wz) -> None:
    n = build_october(wz)
    data = wz.json("report", "weekly", "--week", "2026-10-22")
    assert data["week"] == {"start": "2026-10-20", "end": "2026-10-26"}
    assert data["as_of"] == "2026-10-26T23:59:59+08:00"
    # Received Tue 10-20 … Mon 10-26: B2, B3 (B1 came on Monday 10-19, the week before).
    assert numbers(data, "new") == [n["B2"], n["B3"]]
    # Resolved in the week: A2 (late), A3 (its second round), B1, B2; closed: A3, B1.
    assert numbers(data, "resolved") == [n["A2"], n["A3"], n["B1"], n["B2"]]
    assert numbers(data, "closed") == [n["A3"], n["B1"]]
    # From before the week and not closed at its end: P1 (in hand), P2 and A2 (awaiting the revisit).
    assert numbers(data, "carried_over") == [n["P1"], n["P2"], n["A2"]]
    # Overdue at the end of Monday 10-26: P1 (due 09-30). B3 is due at 23:59:59 that day: not yet.
    assert numbers(data, "overdue") == [n["P1"]]
    assert numbers(data, "report_back") == [n["P1"], n["B3"]]
    assert data["totals"] == {
        "new": 2,
        "resolved": 4,
        "closed": 2,
        "carried_over": 3,
        "overdue": 1,
        "report_back": 2,
        "weak_reply": 3,  # the typed results are too short (tests/test_reply_flags.py)
    }
    # Each row is the case as it stood then: B2's revisit came on 10-27, so it was still awaiting it.
    b2 = data["new"][0]
    assert {k: b2[k] for k in ("status", "rating", "closed_at", "overdue")} == {
        "status": "resolved",
        "rating": None,
        "closed_at": None,
        "overdue": False,
    }
    assert wz.json("show", n["B2"])["rating"] == "unreachable"
    assert data["overdue"][0]["overdue"] is True
    assert data["resolved"][1]["round"] == 2 and data["resolved"][1]["status"] == "closed"


def test_the_current_week_counts_overdue_as_of_now(wz: Wz, monkeypatch: pytest.MonkeyPatch) -> None:
    wz("init")
    wz("intake", "路灯不亮", "--at", "2026-11-17 09:00")
    wz("assign", "1", "--to", "王芳", "--due", "2026-11-20", "--at", "2026-11-17 10:00")
    wz("intake", "井盖松动", "--at", "2026-11-18 09:00")
    wz("assign", "2", "--to", "王芳", "--due", "2026-11-24", "--at", "2026-11-18 10:00")
    data = wz.json("report", "weekly")
    assert data["as_of"] == "2026-11-23T10:00:00+08:00"
    assert numbers(data, "overdue") == ["WZ-2026-0001"]
    assert numbers(data, "report_back") == ["WZ-2026-0001", "WZ-2026-0002"]
    assert data["carried_over"] == [] and data["resolved"] == [] and data["closed"] == []
    table = wz("report", "weekly").stdout
    assert "已交办·逾期" in table and "下周二通报（2 件）" in table and "\x1b[" not in table


def test_residents_are_masked_unless_asked(wz: Wz) -> None:
    wz("init")
    wz("intake", "楼道堆物", "--resident", "李桂兰", "--phone", "13812345678", "--at", "2026-11-17 09:00")
    row = wz.json("report", "weekly")["new"][0]
    assert (row["resident"], row["phone"]) == ("李**", "138****5678")
    assert "李桂兰" not in wz("report", "weekly").stdout
    assert "李**" in wz("report", "weekly").stdout
    shown = wz.json("report", "weekly", "--show-pii")["new"][0]
    assert (shown["resident"], shown["phone"]) == ("李桂兰", "13812345678")


def test_table_shows_at_most_limit_rows_per_section(wz: Wz) -> None:
    wz("init")
    for i in range(4):
        wz("intake", f"诉求{i}", "--at", f"2026-11-{17 + i} 09:00")
    out = wz("report", "weekly", "--limit", "2").stdout
    assert "WZ-2026-0002" in out and "WZ-2026-0003" not in out
    assert "表中显示前 2 件，共 4 件" in out
    assert "WZ-2026-0004" in wz("report", "weekly", "--limit", "0").stdout


def test_text_is_shown_as_typed(wz: Wz) -> None:
    wz("init", "--name", "杨柳[社区]")
    wz("intake", "[/bold] 楼道[red]堆物[/red]", "--at", "2026-11-17 09:00")
    out = wz("report", "weekly").stdout
    assert "杨柳[社区] 周台账" in out and "[/bold] 楼道[red]堆物[/red]" in out


def test_report_back_carries_the_latest_note_by_the_weeks_end(wz: Wz) -> None:
    n = build_october(wz)
    data = wz.json("report", "weekly", "--week", "2026-10-22")
    assert numbers(data, "report_back") == [n["P1"], n["B3"]]
    p1, b3 = data["report_back"]
    # B3's note of 10-29 came after the week: the resident is told what was known on 10-26.
    assert (b3["progress"], b3["progress_at"]) == ("已电话联系执法中队", "2026-10-22T16:00:00+08:00")
    assert (p1["progress"], p1["progress_at"]) == (None, None)
    assert data["new"][1] is not None and data["new"][1]["progress"] == b3["progress"]  # one row per case
    assert all(row["progress"] is None for row in data["resolved"])  # only for the unresolved
    later = wz.json("report", "weekly", "--week", "2026-10-29")["report_back"]
    assert next(row for row in later if row["number"] == n["B3"])["progress"] == "执法中队已到场查看"
    table = wz("report", "weekly", "--week", "2026-10-22").stdout
    assert "最新进展" in table and "10-22 已电话联系执法中队" in table


def test_weekly_for_one_community_or_grid(wz: Wz) -> None:
    n = build_october(wz)
    qinghe = wz.json("report", "weekly", "--week", "2026-10-22", "--community", "清河")
    assert qinghe["filters"] == {"community": "清河", "grid": None}
    assert numbers(qinghe, "new") == [n["B2"], n["B3"]]
    assert numbers(qinghe, "resolved") == [n["B1"], n["B2"]]
    assert numbers(qinghe, "closed") == [n["B1"]]
    assert numbers(qinghe, "carried_over") == [n["P1"]]
    assert numbers(qinghe, "report_back") == [n["P1"], n["B3"]]
    yangliu = wz.json("report", "weekly", "--week", "2026-10-22", "--community", "杨柳")
    assert numbers(yangliu, "resolved") == [n["A2"], n["A3"]]
    assert numbers(yangliu, "carried_over") == [n["P2"], n["A2"]]
    assert yangliu["new"] == [] and yangliu["report_back"] == []
    assert (
        "杨柳街道 杨柳 周台账 2026-10-20 至 2026-10-26"
        in wz("report", "weekly", "--week", "2026-10-22", "--community", "杨柳").stdout
    )
    # A community the office does not list is refused with the closest names, not reported empty.
    refused = wz.fail("report", "weekly", "--community", "清和")
    assert "不在本社区的社区列表中" in refused.stderr and "清河" in refused.stderr


def test_weekly_for_one_grid(wz: Wz) -> None:
    wz("init")
    wz("intake", "一网格的事", "--grid", "一网格", "--community", "杨柳", "--at", "2026-11-17 09:00")
    wz("intake", "二网格的事", "--grid", "二网格", "--community", "杨柳", "--at", "2026-11-17 10:00")
    data = wz.json("report", "weekly", "--community", "杨柳", "--grid", "二网格")
    assert numbers(data, "new") == ["WZ-2026-0002"] and data["filters"] == {
        "community": "杨柳",
        "grid": "二网格",
    }
    assert numbers(wz.json("report", "weekly", "--grid", "一网格"), "new") == ["WZ-2026-0001"]
