"""The smaller findings of issue 22: ``list`` names the closest value of a list as the reports do; week.start
in Chinese; 上周二 is the Tuesday of last calendar week and its 台账 week is said; a date without a time is
that day at the time of day now, for every day; only ``init`` makes a ledger."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.cli import Wz
from tests.support.imports import write_csv

# --- list --community outside the office's list -------------------------------------------------------------


def test_list_of_a_community_not_in_the_list_says_the_closest(wz: Wz) -> None:
    wz("config", "add", "communities", "西苑社区", "南苑")
    wz("intake", "路灯不亮", "--community", "南苑")
    refused = wz.fail("list", "--community", "西苑")
    assert refused.stderr.splitlines()[0] == "错误: 社区「西苑」不在本社区的社区列表中"
    assert "是否指 西苑社区" in refused.stderr
    # the same refusal as the weekly 台账
    assert wz.fail("report", "weekly", "--community", "西苑").stderr == refused.stderr
    # a listed value with no case is an empty list, not a refusal
    assert wz.json("list", "--community", "西苑社区") == []
    assert "是否指 市政设施" in wz.fail("list", "--category", "市政").stderr


def test_list_finds_a_value_cases_carry_though_the_list_lacks_it(wz: Wz) -> None:
    wz("intake", "路灯不亮", "--community", "老城")  # typed before the office listed its communities
    wz("config", "add", "communities", "南苑")
    assert [c["community"] for c in wz.json("list", "--community", "老城")] == ["老城"]


# --- week.start in Chinese -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "kept"),
    [("周一", "mon"), ("星期三", "wed"), ("礼拜天", "sun"), ("周日", "sun"), ("Fri", "fri")],
)
def test_week_start_takes_chinese_weekdays(wz: Wz, typed: str, kept: str) -> None:
    assert wz.json("config", "set", "week.start", typed) == {"week.start": kept}


def test_week_start_in_chinese_moves_the_weekly_ledger(wz: Wz) -> None:
    wz("config", "set", "week.start", "周一")
    assert wz.json("report", "weekly", "--week", "2026-11-18")["week"] == {
        "start": "2026-11-16",
        "end": "2026-11-22",
    }
    assert "mon…sun" in wz.fail("config", "set", "week.start", "周八").stderr


# --- 上周二 ----------------------------------------------------------------------------------------------------


def test_last_tuesday_is_the_tuesday_of_last_calendar_week(wz: Wz, monkeypatch: pytest.MonkeyPatch) -> None:
    # Monday 2026-11-23 (the pinned clock) and Sunday 2026-11-29: the same calendar week, the same 上周二
    for now in ("2026-11-23T10:00:00+08:00", "2026-11-29T10:00:00+08:00"):
        monkeypatch.setenv("WENZHENG_NOW", now)
        assert (
            wz.json("intake", "上周二的件", "--at", "上周二 9:00")["received_at"]
            == "2026-11-17T09:00:00+08:00"
        )


def test_week_of_last_tuesday_is_said_when_it_is_not_last_week(wz: Wz) -> None:
    result = wz("report", "weekly", "--week", "上周二", "--json")  # Monday, weeks from Tuesday
    assert '"start": "2026-11-17"' in result.stdout
    assert result.stderr == (
        "提示: 「上周二」是 2026-11-17，按它所在的台账周 2026-11-17 至 2026-11-23 计（与「上周」的台账周不同）\n"
    )
    wz("config", "set", "week.start", "mon")  # weeks from Monday: 上周二 lies in 上周, nothing to say
    same = wz("report", "weekly", "--week", "上周二", "--json")
    assert '"start": "2026-11-16"' in same.stdout and same.stderr == ""


# --- a date without a time ---------------------------------------------------------------------------------


def test_a_date_alone_is_that_day_at_the_time_of_day_now(wz: Wz) -> None:
    """Last Tuesday's paper notes typed step after step: each at 10:00 that Tuesday (the pinned clock is 10:00),
    in the order typed; today's date alone is now, as before."""
    assert (
        wz.json("intake", "3号楼路灯不亮", "--at", "2026-11-17")["received_at"] == "2026-11-17T10:00:00+08:00"
    )
    wz("assign", "1", "--to", "clerk", "--at", "2026-11-17")
    wz("claim", "1", "--at", "2026-11-17")
    done = wz.json("resolve", "1", "--result", "已更换灯泡", "--at", "2026-11-17")
    assert done["resolved_at"] == "2026-11-17T10:00:00+08:00"
    events = wz.json("show", "1")["events"]
    assert [e["action"] for e in events] == ["intake", "assign", "claim", "resolve"]
    assert {e["at"] for e in events} == {"2026-11-17T10:00:00+08:00"}
    assert wz.json("intake", "今天的件", "--at", "今天")["received_at"] == "2026-11-23T10:00:00+08:00"


def test_a_date_alone_never_falls_before_the_steps_of_that_day(wz: Wz) -> None:
    wz("intake", "下午来电", "--at", "2026-11-17 15:00")
    wz("assign", "1", "--to", "王芳", "--at", "2026-11-17")
    assert wz.json("show", "1")["events"][1]["at"] == "2026-11-17T15:00:00+08:00"


def test_an_import_at_a_date_alone_is_the_start_of_that_day(wz: Wz, tmp_path: Path) -> None:
    """The rows of a file read the same whenever it is imported: its row keys hold the received time."""
    path = write_csv(tmp_path / "visit.csv", [["诉求内容"], ["路灯不亮"]])
    wz("import", str(path), "--at", "2026-11-17")
    assert wz.json("show", "1")["received_at"] == "2026-11-17T00:00:00+08:00"
    assert wz.json("import", str(path), "--at", "2026-11-17")["skipped_existing"] == 1


# --- only init makes a ledger ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("intake", "3号楼路灯不亮"),
        ("config", "set", "span.default", "3wd"),
        ("activity", "add", "问政日"),
        ("import", "visit.csv"),
    ],
)
def test_a_writing_command_on_a_missing_ledger_says_run_init(
    wz: Wz, tmp_path: Path, args: tuple[str, ...]
) -> None:
    write_csv(tmp_path / "visit.csv", [["受理时间", "诉求内容"], ["2026-11-17", "路灯不亮"]])
    missing = tmp_path / "new" / "ledger.db"
    missing.parent.mkdir()
    words = [str(tmp_path / a) if a.endswith(".csv") else a for a in args]
    refused = wz.fail("--db", str(missing), *words)
    assert refused.stderr.splitlines() == [
        f"错误: 台账文件不存在: {missing}",
        "提示: 先运行 wenzheng init 建立台账，或用 --db / WENZHENG_DB 指向已有台账",
    ]
    assert list(missing.parent.iterdir()) == []
    wz("--db", str(missing), "init")
    wz("--db", str(missing), *words)
