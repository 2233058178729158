"""Periods as people say them (本周, 上周, 上上周, 本月, 上月, 去年) and what commands say about a date whose year
or day was filled in: a ``提示:`` naming the full date taken."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest

from tests.support.cli import Wz
from wenzheng_cli.domain.clock import TZ
from wenzheng_cli.reports.periods import period_of, read_month, week_shift

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=TZ)  # a Monday: with Tuesday weeks, the week of 11-17
JANUARY = "2027-01-10T10:00:00+08:00"


@pytest.mark.parametrize(
    ("text", "start", "expected"),
    [
        ("本周", "tue", (date(2026, 11, 17), date(2026, 11, 23))),
        ("这周", "tue", (date(2026, 11, 17), date(2026, 11, 23))),
        ("上周", "tue", (date(2026, 11, 10), date(2026, 11, 16))),
        ("上个星期", "tue", (date(2026, 11, 10), date(2026, 11, 16))),
        ("上上周", "tue", (date(2026, 11, 3), date(2026, 11, 9))),
        ("下周", "tue", (date(2026, 11, 24), date(2026, 11, 30))),
        ("本周", "mon", (date(2026, 11, 23), date(2026, 11, 29))),
        ("上周", "mon", (date(2026, 11, 16), date(2026, 11, 22))),
        ("本月", "tue", (date(2026, 11, 1), date(2026, 11, 30))),
        ("上月", "tue", (date(2026, 10, 1), date(2026, 10, 31))),
        ("上个月", "tue", (date(2026, 10, 1), date(2026, 10, 31))),
        ("上上月", "tue", (date(2026, 9, 1), date(2026, 9, 30))),
        ("今年", "tue", (date(2026, 1, 1), date(2026, 12, 31))),
        ("去年", "tue", (date(2025, 1, 1), date(2025, 12, 31))),
        (" 上 周 ", "tue", (date(2026, 11, 10), date(2026, 11, 16))),
    ],
)
def test_period_words(text: str, start: str, expected: tuple[date, date]) -> None:
    assert period_of(text, NOW, start) == expected


def test_period_words_across_a_year() -> None:
    january = datetime(2027, 1, 10, 10, 0, tzinfo=TZ)
    assert period_of("上月", january) == (date(2026, 12, 1), date(2026, 12, 31))
    assert period_of("上上月", january) == (date(2026, 11, 1), date(2026, 11, 30))
    assert period_of("上周", january) == (date(2026, 12, 29), date(2027, 1, 4))


def test_other_text_is_no_period() -> None:
    for text in ("2026-11-17", "上周二", "前天", "周", "上上上周", ""):
        assert period_of(text, NOW) is None, text
    assert [week_shift(t) for t in ("本周", "上周", "上上周", "下周", "上周二")] == [0, -1, -2, 1, None]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("十月", (2026, 10, False)),
        ("10月", (2026, 10, False)),
        ("十一月份", (2026, 11, False)),
        ("二〇二五年十二月", (2025, 12, False)),
        ("上上月", (2026, 9, False)),
    ],
)
def test_months(text: str, expected: tuple[int, int, bool]) -> None:
    year, month, inferred = read_month(text, NOW)
    assert (year, month) == expected[:2]
    assert inferred is (text in ("十月", "10月", "十一月份"))


def test_a_month_without_a_year_is_never_to_come() -> None:
    january = datetime(2027, 1, 10, 10, 0, tzinfo=TZ)
    assert read_month("12月", january) == (2026, 12, True)
    assert read_month("1月", january) == (2027, 1, True)
    assert read_month("十二月", january) == (2026, 12, True)


# --- the commands ---------------------------------------------------------------------------------------------


def test_weekly_report_of_named_weeks(wz: Wz) -> None:
    wz("init")
    wz("intake", "上上周的", "--at", "2026-11-04")
    wz("intake", "上周的", "--at", "2026-11-12")
    wz("intake", "本周的", "--at", "2026-11-18")
    expected = {
        "本周": ("2026-11-17", "2026-11-23", ["WZ-2026-0003"]),
        "上周": ("2026-11-10", "2026-11-16", ["WZ-2026-0002"]),
        "上上周": ("2026-11-03", "2026-11-09", ["WZ-2026-0001"]),
        "前天": ("2026-11-17", "2026-11-23", ["WZ-2026-0003"]),  # Saturday 11-21
        "上周二": ("2026-11-17", "2026-11-23", ["WZ-2026-0003"]),  # the calendar's Tuesday, in this 台账 week
    }
    for word, (start, end, new) in expected.items():
        result = wz("report", "weekly", "--week", word, "--json")
        data = json.loads(result.stdout)
        assert data["week"] == {"start": start, "end": end}, word
        assert [row["number"] for row in data["new"]] == new, word
        if word == "上周二":  # a 台账 week other than 上周's: said, with the week taken
            assert "「上周二」是 2026-11-17，按它所在的台账周 2026-11-17 至 2026-11-23 计" in result.stderr
        else:
            assert result.stderr == "", word  # nothing was filled in, nothing to say


def test_list_since_and_until_a_period(wz: Wz) -> None:
    wz("init")
    wz("intake", "九月的", "--at", "2026-09-30")
    wz("intake", "十月初", "--at", "2026-10-01")
    wz("intake", "十月底", "--at", "2026-10-31 23:00")
    wz("intake", "上周的", "--at", "2026-11-16")
    wz("intake", "本周的", "--at", "2026-11-17")

    def listed(*args: str) -> list[str]:
        return sorted(case["description"] for case in wz.json("list", *args))

    assert listed("--since", "上月", "--until", "上月") == ["十月初", "十月底"]
    assert listed("--since", "本月") == ["上周的", "本周的"]
    assert listed("--since", "上周", "--until", "上周") == ["上周的"]
    assert listed("--since", "本周") == ["本周的"]
    assert listed("--since", "十月一日", "--until", "10.31") == ["十月初", "十月底"]
    assert listed("--until", "上上月") == ["九月的"]


def test_a_year_left_out_in_january_is_last_year_and_said(wz: Wz, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WENZHENG_NOW", JANUARY)
    wz("init")
    result = wz("intake", "年底的来电", "--at", "12月28日", "--json")
    assert json.loads(result.stdout)["received_at"] == "2026-12-28T10:00:00+08:00"  # at the time of day now
    assert result.stderr == "提示: 「12月28日」未写年份，按 2026-12-28 计\n"
    result = wz("intake", "昨晚的来电", "--at", "晚上8点", "--json")
    assert json.loads(result.stdout)["received_at"] == "2027-01-09T20:00:00+08:00"
    assert result.stderr == "提示: 「晚上8点」未写日期，按 2027-01-09 20:00 计\n"
    result = wz("report", "weekly", "--week", "十二月二十八日", "--json")
    assert json.loads(result.stdout)["week"] == {"start": "2026-12-22", "end": "2026-12-28"}
    assert result.stderr == "提示: 「十二月二十八日」未写年份，按 2026-12-28 计\n"
    result = wz("report", "monthly", "--month", "12月", "--json")
    data = json.loads(result.stdout)
    assert data["period"]["start"] == "2026-12-01" and data["totals"]["received"] == 1
    # 按时反馈率 counts working days into 2027: a calendar without 2027 says so on a line of its own.
    first, *rest = result.stderr.splitlines()
    assert first == "提示: 「12月」未写年份，按 2026-12 计"
    assert rest in ([], ["提示: 2027 年的法定节假日安排尚未收录，按周一至周五计算工作日"])
    result = wz("list", "--since", "12.1", "--json")
    assert len(json.loads(result.stdout)) == 2
    assert result.stderr == "提示: 「12.1」未写年份，按 2026-12-01 计\n"


def test_a_deadline_without_a_year_looks_ahead(wz: Wz, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WENZHENG_NOW", "2026-12-20T10:00:00+08:00")
    wz("init")
    wz("intake", "路灯不亮")
    result = wz("assign", "1", "--to", "王芳", "--due", "1月5日", "--json")
    assert json.loads(result.stdout)["due_at"] == "2027-01-05T23:59:59+08:00"
    assert result.stderr == "提示: 「1月5日」未写年份，按 2027-01-05 计\n"


def test_a_date_with_its_year_says_nothing(wz: Wz) -> None:
    wz("init")
    result = wz("intake", "路灯不亮", "--at", "2026-11-17 9:30")
    assert result.stderr == ""
