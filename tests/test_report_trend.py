"""``report trend``: each month's figures are the monthly 通报's, in all and per group; options and files."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.support.cli import Wz
from tests.test_report_monthly import TOTALS, build_october

pytestmark = pytest.mark.contract

GROUPINGS = ["community", "grid", "unit", "handler", "level", "category", "channel", "nature"]


def test_each_month_is_the_monthly_report_of_that_month(wz: Wz) -> None:
    build_october(wz)
    data = wz.json("report", "trend", "--months", "3", "--until", "this")
    assert data["period"] == {"start": "2026-09-01", "end": "2026-11-30"}
    assert [m["month"] for m in data["months"]] == ["2026-09", "2026-10", "2026-11"]
    assert data["by"] is None and data["groups"] == []
    for entry in data["months"]:
        monthly = wz.json("report", "monthly", "--month", entry["month"])
        assert entry["as_of"] == monthly["period"]["as_of"]
        assert (entry["totals"], entry["rates"]) == (monthly["totals"], monthly["rates"])
    october = data["months"][1]
    assert october["totals"] == TOTALS and october["as_of"] == "2026-10-31T23:59:59+08:00"
    # November is under way: counted as of now (P1, B3 and A6's… no: A6 was resolved on 11-02).
    assert data["months"][2]["as_of"] == "2026-11-23T10:00:00+08:00"
    assert data["months"][0]["totals"]["received"] == 2  # P1 and P2


@pytest.mark.parametrize("by", GROUPINGS)
def test_each_group_month_is_the_monthly_group(wz: Wz, by: str) -> None:
    build_october(wz)
    data = wz.json("report", "trend", "--months", "2", "--until", "2026-10", "--by", by)
    assert data["by"] == by
    for i, month in enumerate(("2026-09", "2026-10")):
        monthly = wz.json("report", "monthly", "--month", month, "--by", by)
        assert data["months"][i]["totals"] == monthly["totals"]
        expected = {g["key"]: (g["totals"], g["rates"]) for g in monthly["groups"]}
        shown = {g["key"]: (g["months"][i]["totals"], g["months"][i]["rates"]) for g in data["groups"]}
        for key, figures in shown.items():
            if key in expected:
                assert figures == expected[key], (by, month, key)
            else:  # a group of the other month: nothing this month
                assert figures[0]["received"] == 0 and set(figures[1].values()) == {None}
        assert set(expected) <= set(shown)


def test_groups_are_ordered_by_what_they_received(wz: Wz) -> None:
    build_october(wz)
    data = wz.json("report", "trend", "--months", "2", "--until", "2026-10", "--by", "单位")
    assert data["by"] == "unit"
    keys = [g["key"] for g in data["groups"]]
    # 市政工程所: P1 P2 in September, A6 in October = 3; then two each, by name; the blank group last.
    assert keys[0] == "市政工程所" and keys[-1] is None
    received = [sum(m["totals"]["received"] for m in g["months"]) for g in data["groups"][:-1]]
    assert received == sorted(received, reverse=True)


def test_default_is_the_last_twelve_complete_months(wz: Wz) -> None:
    build_october(wz)
    data = wz.json("report", "trend")
    months = [m["month"] for m in data["months"]]
    assert len(months) == 12 and months[0] == "2025-11" and months[-1] == "2026-10"
    assert data["months"][-1]["totals"] == TOTALS


def test_trend_refuses_bad_options(wz: Wz) -> None:
    wz("init")
    assert "--months" in wz.fail("report", "trend", "--months", "0").stderr
    assert "--months" in wz.fail("report", "trend", "--months", "121").stderr
    assert "晚于本月" in wz.fail("report", "trend", "--until", "2026-12").stderr
    assert "月份" in wz.fail("report", "trend", "--until", "2026-13").stderr
    assert "--by 可选" in wz.fail("report", "trend", "--by", "street").stderr
    assert "xlsx" in wz.fail("report", "trend", "--format", "xls", code=2).stderr


def test_trend_table_csv_and_xlsx(wz: Wz, tmp_path: Path) -> None:
    build_october(wz)
    table = wz("report", "trend", "--months", "3", "--until", "this", "--by", "community").stdout
    assert "杨柳街道 问政趋势 2026-09 至 2026-11（按社区）" in table
    assert "2026-11 统计至 2026-11-23 10:00" in table
    assert "受理量（按社区，2026-09 至 2026-11）" in table and "10月" in table and "█" in table
    raw = wz("report", "trend", "--months", "2", "--until", "2026-10", "--by", "community", "--format", "csv")
    rows = list(csv.reader(io.StringIO(raw.stdout_bytes.decode("utf-8-sig"))))
    assert rows[0][:4] == ["月份", "社区", "受理量", "撤件"]
    # 合计 for each month, then each group's months, most received first: 杨柳 (P2 + 5), 清河 (P1 + 4).
    assert [(r[0], r[1], r[2]) for r in rows[1:]] == [
        ("2026-09", "合计", "2"),
        ("2026-10", "合计", "9"),
        ("2026-09", "杨柳", "1"),
        ("2026-10", "杨柳", "5"),
        ("2026-09", "清河", "1"),
        ("2026-10", "清河", "4"),
    ]
    target = tmp_path / "趋势.xlsx"
    wz("report", "trend", "--months", "2", "--until", "2026-10", "--by", "community", "--output", str(target))
    book = load_workbook(target)
    assert book.sheetnames == [
        "逐月情况",
        "受理量（按社区）",
        "办结率（按社区）",
        "满意率（按社区）",
        "按社区逐月",
    ]
    grid = book["受理量（按社区）"]
    assert [c.value for c in grid[3]] == ["社区", "2026-09", "2026-10"]
    assert [c.value for c in grid[4]] == ["杨柳", 1, 5]
    assert [c.value for c in grid[6]] == ["合计", 2, 9]
    # P2 was resolved only on 10-13: 0 % in September; October as in the 通报 (4 of 5).
    rates = book["办结率（按社区）"]
    assert [c.value for c in rates[4]] == ["杨柳", 0, 0.8] and rates["C4"].number_format == "0.0%"
