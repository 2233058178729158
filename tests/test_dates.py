"""Dates as clerks type them: a table of accepted forms, refusals, and properties over many dates."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wenzheng_cli.domain.clock import TZ
from wenzheng_cli.domain.dates import HINT, parse_day, parse_when
from wenzheng_cli.errors import WenzhengError

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=TZ)  # a Monday


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=TZ)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-17", date(2026, 11, 17)),
        ("2026/11/17", date(2026, 11, 17)),
        ("2026.11.17", date(2026, 11, 17)),
        ("20261117", date(2026, 11, 17)),
        ("2026年11月17日", date(2026, 11, 17)),
        ("2026年11月17号", date(2026, 11, 17)),
        ("2026 年 11 月 7 日", date(2026, 11, 7)),
        ("2026-1-5", date(2026, 1, 5)),
        ("11月17日", date(2026, 11, 17)),
        ("11月17号", date(2026, 11, 17)),
        ("11-17", date(2026, 11, 17)),
        ("11/17", date(2026, 11, 17)),
        ("3/5", date(2026, 3, 5)),
        ("今天", date(2026, 11, 23)),
        ("今日", date(2026, 11, 23)),
        ("昨天", date(2026, 11, 22)),
        ("前天", date(2026, 11, 21)),
        ("大前天", date(2026, 11, 20)),
        ("明天", date(2026, 11, 24)),
        ("后天", date(2026, 11, 25)),
        ("上周二", date(2026, 11, 17)),
        ("上周一", date(2026, 11, 16)),
        ("上周日", date(2026, 11, 22)),
        ("上个星期五", date(2026, 11, 20)),
        ("本周二", date(2026, 11, 24)),
        ("这周二", date(2026, 11, 24)),
        ("周二", date(2026, 11, 24)),
        ("星期二", date(2026, 11, 24)),
        ("礼拜二", date(2026, 11, 24)),
        ("周一", date(2026, 11, 23)),
        ("下周一", date(2026, 11, 30)),
        ("周日", date(2026, 11, 29)),
        ("周天", date(2026, 11, 29)),
        ("星期日", date(2026, 11, 29)),
        ("星期天", date(2026, 11, 29)),
        ("3天前", date(2026, 11, 20)),
        ("3日前", date(2026, 11, 20)),
        ("两天前", date(2026, 11, 21)),
        ("30天前", date(2026, 10, 24)),
        ("17 Nov 2026", date(2026, 11, 17)),
        ("November 17, 2026", date(2026, 11, 17)),
        ("Nov 17", date(2026, 11, 17)),
    ],
)
def test_dates_without_time(text: str, expected: date) -> None:
    value, has_time = parse_when(text, NOW)
    assert value == datetime.combine(expected, datetime.min.time(), TZ)
    assert value.tzinfo is not None and value.utcoffset() == timedelta(hours=8)
    assert has_time is False
    assert parse_day(text, NOW) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-17 9:32", at(2026, 11, 17, 9, 32)),
        ("2026-11-17 09:32:09", at(2026, 11, 17, 9, 32, 9)),
        ("2026-11-17 09时30分", at(2026, 11, 17, 9, 30)),
        ("2026年11月17日9点", at(2026, 11, 17, 9, 0)),
        ("2026年11月17日 9点半", at(2026, 11, 17, 9, 30)),
        ("11月17日 上午9点", at(2026, 11, 17, 9, 0)),
        ("11月17日下午3点", at(2026, 11, 17, 15, 0)),
        ("今天 下午3点半", at(2026, 11, 23, 15, 30)),
        ("昨天晚上8点", at(2026, 11, 22, 20, 0)),
        ("昨天 14:05", at(2026, 11, 22, 14, 5)),
        ("上周二 9:30", at(2026, 11, 17, 9, 30)),
        ("3天前 8点15分", at(2026, 11, 20, 8, 15)),
        ("今天中午12点", at(2026, 11, 23, 12, 0)),
        ("今天下午12点", at(2026, 11, 23, 12, 0)),
        ("今天凌晨1点", at(2026, 11, 23, 1, 0)),
        ("2019/4/25 9:32:09", at(2019, 4, 25, 9, 32, 9)),
        ("2026-11-17T09:30:00", at(2026, 11, 17, 9, 30)),
        ("2026-11-17T09:30", at(2026, 11, 17, 9, 30)),
        ("2026-11-17T09:30:00+08:00", at(2026, 11, 17, 9, 30)),
        ("2026-11-17T01:30:00+00:00", at(2026, 11, 17, 9, 30)),
        ("2026-11-17T01:30:00Z", at(2026, 11, 17, 9, 30)),
        ("2026-11-16T20:30:00-05:00", at(2026, 11, 17, 9, 30)),
        ("2026-11-17 01:30 +00:00", at(2026, 11, 17, 9, 30)),
        ("Nov 17 2026 9:30am", at(2026, 11, 17, 9, 30)),
        ("Tue, 17 Nov 2026 01:30:00 GMT", at(2026, 11, 17, 9, 30)),
    ],
)
def test_dates_with_time(text: str, expected: datetime) -> None:
    value, has_time = parse_when(text, NOW)
    assert value == expected
    assert value.utcoffset() == timedelta(hours=8)
    assert has_time is True


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  2026-11-17  ", date(2026, 11, 17)),
        ("２０２６－１１－１７", date(2026, 11, 17)),
        ("２０２６年１１月１７日", date(2026, 11, 17)),
        ("\u30002026/11/17\u3000", date(2026, 11, 17)),
        ("１１月１７日", date(2026, 11, 17)),
    ],
)
def test_whitespace_and_full_width_are_normalised(text: str, expected: date) -> None:
    assert parse_day(text, NOW) == expected


def test_full_width_time() -> None:
    assert parse_when("今天\u3000９：３０", NOW) == (at(2026, 11, 23, 9, 30), True)


def test_relative_forms_follow_now() -> None:
    sunday = datetime(2026, 11, 29, 23, 0, tzinfo=TZ)
    assert parse_day("上周二", sunday) == date(2026, 11, 17)
    assert parse_day("周二", sunday) == date(2026, 11, 24)
    assert parse_day("昨天", datetime(2026, 1, 1, 8, 0, tzinfo=TZ)) == date(2025, 12, 31)
    assert parse_day("2月17日", datetime(2027, 3, 1, tzinfo=TZ)) == date(2027, 2, 17)
    assert parse_day("11月17日", datetime(2027, 3, 1, tzinfo=TZ)) == date(2026, 11, 17)  # not one to come


def test_now_in_another_zone_is_read_as_local() -> None:
    # 2026-11-22 20:00 UTC is already Monday 2026-11-23 04:00 in the ledger's zone.
    utc_now = datetime(2026, 11, 22, 20, 0, tzinfo=UTC)
    assert parse_day("今天", utc_now) == date(2026, 11, 23)


@pytest.mark.parametrize(
    "text",
    [
        "2026-13-45",
        "2026-02-30",
        "2026/02/29",
        "20260230",
        "2026年2月30日",
        "2月30日",
        "13-01",
        "2026-11-17 25:00",
        "今天 25:00",
        "今天 9:60",
        "今天 9:30:61",
        "今天 上午15点",
        "今天 晚上12点",
        "2026-11-17T25:00:00",
        "2026-11-17Tgarbage",
        "5",
        "13",
        "1117",
        "",
        "   ",
        "\u3000",
        "随便",
        "下个月",
        "9点半",
        "2026",
        "2026年11月",
        "November 2026",
        "05/06/2026",
        "2026-11-17 下雨",
        "2026-11-179:30",
        "0026-11-17",
        "hello world",
    ],
)
def test_refused_never_guessed(text: str) -> None:
    with pytest.raises(WenzhengError) as caught:
        parse_when(text, NOW)
    assert caught.value.message == f"无法识别的日期「{text.strip()}」"
    assert caught.value.hint == HINT
    assert caught.value.code == 1
    with pytest.raises(WenzhengError):
        parse_day(text, NOW)


def test_message_names_the_text() -> None:
    with pytest.raises(WenzhengError, match="无法识别的日期「2026-13-45」"):
        parse_day("2026-13-45", NOW)


def test_dateutil_not_imported_at_module_level() -> None:
    code = (
        "import sys\n"
        "from wenzheng_cli.domain import dates\n"
        "assert 'dateutil' not in sys.modules, 'dateutil imported at top'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# --- properties -------------------------------------------------------------------------------------------

days = st.dates(min_value=date(2004, 1, 1), max_value=date(2040, 12, 31))


@given(days)
def test_formatted_dates_round_trip(day: date) -> None:
    for text in (
        day.strftime("%Y-%m-%d"),
        f"{day.year}/{day.month}/{day.day}",
        day.strftime("%Y/%m/%d"),
        day.strftime("%Y年%m月%d日"),
        f"{day.year}年{day.month}月{day.day}日",
        day.strftime("%Y%m%d"),
        day.strftime("%Y.%m.%d"),
    ):
        assert parse_day(text, NOW) == day, text


@given(days, st.integers(0, 23), st.integers(0, 59), st.integers(0, 59))
def test_excel_style_text_round_trips(day: date, hour: int, minute: int, second: int) -> None:
    text = f"{day.year}/{day.month}/{day.day} {hour}:{minute:02d}:{second:02d}"
    expected = datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=TZ)
    assert parse_when(text, NOW) == (expected, True)


def _aware_or_refused(text: str) -> None:
    try:
        value, has_time = parse_when(text, NOW)
    except WenzhengError as error:
        assert str(error).startswith("无法识别的日期")
        return
    assert value.tzinfo is not None
    assert value.utcoffset() == timedelta(hours=8)
    assert isinstance(has_time, bool)


@given(st.text())
def test_any_text_gives_aware_datetime_or_wenzheng_error(text: str) -> None:
    _aware_or_refused(text)


# Text built from the pieces dates are made of, so the parser's branches (and dateutil) are really exercised.
date_pieces = st.sampled_from(
    [
        "2026", "1900", "0000", "9999", "11", "17", "0", "99", "-", "/", ".", ":", " ", "T", "Z", "+08:00",
        "年", "月", "日", "号", "点", "半", "分", "秒", "时", "上午", "下午", "晚上", "凌晨", "中午", "周", "上",
        "下", "二", "天", "前", "昨天", "今天", "Nov", "March", "am", "pm", "UTC", "at", "of", ",", "\u3000", "２",
    ]
)  # fmt: skip


@given(st.lists(date_pieces, max_size=8).map("".join))
def test_date_like_text_gives_aware_datetime_or_wenzheng_error(text: str) -> None:
    _aware_or_refused(text)
