"""Reports over the offices of a street ledger: ``--by office``, ``report weekly --office``, ``list --office``,
and hotspots that span offices. The street ledger here holds its own cases and those of two communities'
ledgers (copied as a roll-up adds them); every office's figures in it equal those of its own ledger."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.support.cli import Wz
from tests.support.offices import add_office, copy_ledger, ledger_at
from tests.test_report_monthly import act

# code, name (QS has none: it is shown by its code), and which of the stories below its ledger holds.
OFFICES = (("JD", "翠屏街道", "ABCDEFG"), ("YL", "杨柳社区", "AACDDEEG"), ("QS", "", "AABCFG"))
COUNTED = ("received", "resolved", "withdrawn", "overdue_open", "returned", "supervised", "escalated")


def _story(wz: Wz, kind: str, i: int, community: str) -> None:
    """One case of October 2026 (``i`` spreads them over the month), told through the commands."""
    day = f"10-{5 + i:02d}"
    due = f"2026-10-{9 + i:02d}"
    intake = ["intake", f"第{i}件诉求：楼道灯不亮", "--community", community, "--at", f"2026-{day} 09:00"]
    if kind == "D":  # resolved on the spot
        wz(*intake, "--on-site", "已当场更换灯泡")
        return
    number = wz.json(*intake, "--difficulty", str(1 + i % 5))["number"]
    if kind == "F":  # withdrawn
        act(wz, "withdraw", number, f"{day} 10:00", "--reason 居民撤回")
        return
    act(wz, "assign", number, f"{day} 10:00", f"--to 王芳 --unit 城管科 --due {due}")
    if kind == "E":  # returned: misrouted
        act(wz, "return", number, f"{day} 11:00", "--reason 不属本科室")
        return
    act(wz, "claim", number, f"{day} 14:00", "--operator 王芳")
    if kind == "C":  # claimed, never resolved: overdue at the month's end
        return
    if kind == "G":  # escalated and supervised, then resolved late
        act(wz, "escalate", number, f"{day} 15:00", "--level 街道 --reason 需协调 --unit 城管科")
        act(wz, "supervise", number, f"{day} 16:00", "--reason 超期")
        later = f"10-{13 + i:02d}"
        act(wz, "resolve", number, f"{later} 10:00", "--result 已修复 --operator 王芳")
        return
    act(wz, "resolve", number, f"{day} 16:00", "--result 已更换 --feedback 电话 --operator 王芳")
    rating = "不满意" if kind == "B" else "满意"
    act(wz, "revisit", number, f"{day} 17:00", f"--rating {rating}")


def _build(wz: Wz, base: Path) -> dict[str, Path]:
    """Each office's ledger on its own, then the street ledger: JD's ledger with YL's and QS's cases added."""
    paths: dict[str, Path] = {}
    for code, name, stories in OFFICES:
        path = base / f"{code}.db"  # made by init
        with ledger_at(path):
            wz("init", "--office", code, *(("--name", name) if name else ()))
            for i, kind in enumerate(stories):
                _story(wz, kind, i + len(paths) * 3, f"{code}一社区" if i % 2 else f"{code}二社区")
        paths[code] = path
    paths["street"] = copy_ledger(paths["JD"], base / "street.db")
    for code in ("YL", "QS"):
        add_office(paths["street"], paths[code])
    return paths


_BUILT: dict[str, dict[str, Path]] = {}


def street(wz: Wz) -> dict[str, Path]:
    """The offices' ledgers and the street ledger (built once, in a folder of their own); the test's own
    ledger is a copy of the street's."""
    key = os.environ["WENZHENG_NOW"]
    if key not in _BUILT:
        _BUILT[key] = _build(wz, Path(tempfile.mkdtemp(prefix="wz-offices-")))
    paths = _BUILT[key]
    copy_ledger(paths["street"], Path(os.environ["WENZHENG_DB"]))
    return paths


def _own(wz: Wz, path: Path, *args: str) -> Any:
    with ledger_at(path):
        return wz.json(*args)


def test_by_office_groups_equal_each_office_alone(wz: Wz, tmp_path: Path) -> None:
    paths = street(wz)
    data = wz.json("report", "monthly", "--month", "2026-10", "--by", "office")
    assert data["by"] == "office"
    groups = {group["key"]: group for group in data["groups"]}
    assert set(groups) == {"翠屏街道", "杨柳社区", "QS"}  # by name; an office without one by its code
    for code, name, _ in OFFICES:
        alone = _own(wz, paths[code], "report", "monthly", "--month", "2026-10")
        group = groups[name or code]
        assert group["totals"] == alone["totals"], code  # activities too: an office's are its own
        assert group["rates"] == alone["rates"], code
        assert group.get("left_out", {}) == alone.get("left_out", {}), code
        assert (group["points"], group["score"]) == (alone["points"], alone["score"]), code
    # Ranked across the offices by score, highest first.
    ranked = sorted(data["groups"], key=lambda g: -g["score"])
    assert [g["rank"] for g in ranked] == [1, 2, 3]
    assert [g["key"] for g in data["groups"]] == [g["key"] for g in ranked]
    for name in COUNTED:
        assert sum(g["totals"][name] for g in data["groups"]) == data["totals"][name], name
    # The same figures again (kept for a month that is over), and in Chinese.
    assert wz.json("report", "monthly", "--month", "2026-10", "--by", "office") == data
    assert wz.json("report", "monthly", "--month", "2026-10", "--by", "台账") == data
    table = wz("report", "monthly", "--month", "2026-10", "--by", "office").stdout
    assert "翠屏街道 2026年10月问政通报（按台账）" in table and "杨柳社区" in table


def test_trend_by_office_equals_each_office_alone(wz: Wz, tmp_path: Path) -> None:
    paths = street(wz)
    args = ("report", "trend", "--months", "2", "--until", "2026-10")
    data = wz.json(*args, "--by", "office")
    groups = {group["key"]: group["months"] for group in data["groups"]}
    assert set(groups) == {"翠屏街道", "杨柳社区", "QS"}
    for code, name, _ in OFFICES:
        alone = _own(wz, paths[code], *args)["months"]
        for month, own in zip(groups[name or code], alone, strict=True):
            assert month["month"] == own["month"]
            assert month["rates"] == own["rates"], (code, month["month"])
            assert {k: v for k, v in month["totals"].items() if k != "activities"} == {
                k: v for k, v in own["totals"].items() if k != "activities"
            }


def _numbers(report: dict[str, Any]) -> dict[str, list[str]]:
    sections = ("new", "resolved", "closed", "carried_over", "overdue", "report_back")
    return {key: [case["number"] for case in report[key]] for key in sections}


def test_weekly_office_lists_exactly_that_offices_cases(wz: Wz, tmp_path: Path) -> None:
    paths = street(wz)
    everyone = wz.json("report", "weekly", "--week", "2026-10-13")
    assert everyone["filters"] == {"community": None, "grid": None}  # no office asked: as before
    seen: list[str] = []
    for code, name, _ in OFFICES:
        alone = _own(wz, paths[code], "report", "weekly", "--week", "2026-10-13")
        for typed in (code, code.lower(), *((name,) if name else ())):
            week = wz.json("report", "weekly", "--week", "2026-10-13", "--office", typed)
            assert week["filters"] == {"community": None, "grid": None, "office": code}
            assert _numbers(week) == _numbers(alone), (code, typed)
            assert week["totals"] == alone["totals"]
        seen += _numbers(alone)["new"]
    assert sorted(seen) == sorted(_numbers(everyone)["new"])
    table = wz("report", "weekly", "--week", "2026-10-13", "--office", "YL").stdout
    assert "翠屏街道 杨柳社区 周台账 2026-10-13 至 2026-10-19" in table


def test_list_office_lists_exactly_that_offices_cases(wz: Wz, tmp_path: Path) -> None:
    paths = street(wz)
    total = 0
    for code, name, _ in OFFICES:
        alone = [case["number"] for case in _own(wz, paths[code], "list")]
        found = [case["number"] for case in wz.json("list", "--office", code)]
        assert found == alone and all(number.startswith(f"{code}-") for number in found)
        if name:
            assert [case["number"] for case in wz.json("list", "--office", name)] == alone
        total += len(found)
    assert total == len(wz.json("list"))
    # With other filters, and counted alike.
    open_yl = wz.json("list", "--office", "yl", "--status", "open")
    assert {case["office"] for case in open_yl} == {"YL"} and all(c["status"] != "closed" for c in open_yl)
    assert "共 " in wz("list", "--office", "YL").stdout


@pytest.mark.parametrize(
    "args",
    [("list",), ("report", "weekly")],
)
def test_an_unknown_office_is_refused_with_the_closest(wz: Wz, tmp_path: Path, args: tuple[str, ...]) -> None:
    street(wz)
    result = wz.fail(*args, "--office", "YX")
    assert result.stderr == (
        "错误: --office 的社区「YX」不在本台账中\n"
        "提示: 是否指 YL（杨柳社区）？  --office 写社区代码（案件编号的前缀）或社区名称\n"
    )
    result = wz.fail(*args, "--office", "东湖")
    assert result.stderr == (
        "错误: --office 的社区「东湖」不在本台账中\n"
        "提示: 本台账的社区代码: JD（翠屏街道）、QS、YL（杨柳社区）  --office 写社区代码（案件编号的前缀）或社区名称\n"
    )


def test_by_office_on_an_office_ledger_is_the_office_itself(wz: Wz) -> None:
    wz("init", "--office", "YL", "--name", "杨柳社区")
    _story(wz, "A", 1, "一社区")
    data = wz.json("report", "monthly", "--month", "2026-10", "--by", "office")
    assert [(g["key"], g["rank"], g["totals"]["received"]) for g in data["groups"]] == [("杨柳社区", 1, 1)]
    assert [c["number"] for c in wz.json("list", "--office", "YL")] == ["YL-2026-0001"]


def test_a_hotspot_spanning_offices_says_which(wz: Wz, tmp_path: Path) -> None:
    """The same problem at one estate on the border of two communities, raised in both offices' ledgers."""
    rows = {
        "YL": [("幸福里3号楼电梯故障停运，老人上下楼困难", "13800000001", "2026-11-02")],
        "QS": [
            ("幸福里电梯又故障停运了，上下楼困难", "13800000002", "2026-11-05"),
            ("幸福里小区电梯故障停运无人维修", "13800000003", "2026-11-09"),
        ],
    }
    wz("init", "--office", "JD", "--name", "翠屏街道")
    wz.json("intake", "咨询老年优待证办理需要哪些材料", "--phone", "13600000001", "--at", "2026-11-03")
    for code, name in (("YL", "杨柳社区"), ("QS", "青山社区")):
        path = tmp_path / f"{code}.db"
        with ledger_at(path):
            wz("init", "--office", code, "--name", name)
            for text, phone, day in rows[code]:
                where = ["--address", "幸福里5号楼", "--community", name]
                wz.json("intake", text, "--phone", phone, "--at", day, *where)
        add_office(Path(os.environ["WENZHENG_DB"]), path)
    data = wz.json("hotspots")
    [spot] = data["hotspots"]
    assert spot["place"] == "幸福里" and spot["cases"] == 3
    assert spot["communities"] == ["青山社区", "杨柳社区"]  # most cases first
    assert spot["offices"] == ["青山社区", "杨柳社区"]
    table = wz("hotspots").stdout
    assert "涉及台账" in table and "青山社区、杨柳社区" in table
    page = tmp_path / "热点.html"
    wz("hotspots", "--format", "html", "--output", str(page))
    html = page.read_text(encoding="utf-8")
    assert "<th>涉及社区</th><th>涉及台账</th>" in html
    assert "<td>青山社区、杨柳社区</td><td>青山社区、杨柳社区</td>" in html
    book = tmp_path / "热点.xlsx"
    wz("hotspots", "--format", "xlsx", "--output", str(book))
    sheet = load_workbook(book, read_only=True)["热点问题表"]
    cells = [tuple(row) for row in sheet.iter_rows(values_only=True)]
    header = next(row for row in cells if row and row[0] == "排名")
    assert header[-3:] == ("涉及社区", "涉及台账", "案件编号")
    assert cells[cells.index(header) + 1][-3:-1] == ("青山社区、杨柳社区", "青山社区、杨柳社区")
