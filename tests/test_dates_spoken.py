"""Dates as clerks say them: 10.29, 十一月六日, 晚上8点, and a date whose year (or day) was left out."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from tests.test_dates import NOW, at
from wenzheng_cli.domain.clock import TZ
from wenzheng_cli.domain.dates import arabic, parse_day, parse_when, read_when
from wenzheng_cli.errors import WenzhengError

# --- forms added for what clerks say: 10.29, 十一月六日, 晚上8点, and the year left out -----------------------

JANUARY = datetime(2027, 1, 10, 10, 0, tzinfo=TZ)  # a Sunday in January


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10.29", date(2026, 10, 29)),
        ("10 . 29", date(2026, 10, 29)),
        ("1.5", date(2026, 1, 5)),
        ("十一月六日", date(2026, 11, 6)),
        ("十一月六号", date(2026, 11, 6)),
        ("十月二十九日", date(2026, 10, 29)),
        ("三月三十一日", date(2026, 3, 31)),
        ("二〇二六年十一月六日", date(2026, 11, 6)),
        ("二零二六年十一月六日", date(2026, 11, 6)),
        ("二〇二五年十二月二十八日", date(2025, 12, 28)),
        ("2026年十一月6日", date(2026, 11, 6)),
        ("十五天前", date(2026, 11, 8)),
        ("二十天前", date(2026, 11, 3)),
        ("上周二", date(2026, 11, 17)),
        ("上上周二", date(2026, 11, 10)),
        ("前天", date(2026, 11, 21)),
    ],
)
def test_more_spoken_dates(text: str, expected: date) -> None:
    assert parse_day(text, NOW) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("十一月六日 晚上八点", at(2026, 11, 6, 20, 0)),
        ("十一月六日下午三点半", at(2026, 11, 6, 15, 30)),
        ("10.29 9:30", at(2026, 10, 29, 9, 30)),
        ("昨天晚上八点", at(2026, 11, 22, 20, 0)),
        ("上周二十点", at(2026, 11, 17, 10, 0)),  # 周二 is the weekday, 十点 the hour
        ("周三三点", at(2026, 11, 25, 3, 0)),
        ("今天上午九点十五分", at(2026, 11, 23, 9, 15)),
        ("今天零点", at(2026, 11, 23, 0, 0)),
        ("昨天二十点", at(2026, 11, 22, 20, 0)),
    ],
)
def test_spoken_dates_with_time(text: str, expected: datetime) -> None:
    assert parse_when(text, NOW) == (expected, True)


@pytest.mark.parametrize(
    ("text", "converted"),
    [
        ("十一月六日", "11月6日"),
        ("十二月二十八日", "12月28日"),
        ("二〇二六年", "2026年"),
        ("八点半", "8点半"),
        ("两点", "2点"),
        ("廿三日", "23日"),
        ("卅一日", "31日"),
        ("周二", "周二"),
        ("星期日", "星期日"),
        ("上周二十点", "上周二10点"),
        ("礼拜三三点", "礼拜三3点"),
        ("二十三十月", "二十三十月"),  # not a number: left for the parser to refuse
    ],
)
def test_chinese_numerals(text: str, converted: str) -> None:
    assert arabic(text) == converted


@pytest.mark.parametrize(
    "text", ["十三月一日", "二月三十日", "十一月三十二日", "二十三十月一日", "二六年十一月六日"]
)
def test_chinese_numerals_that_are_no_date(text: str) -> None:
    with pytest.raises(WenzhengError, match="无法识别的日期"):
        parse_day(text, NOW)


@pytest.mark.parametrize(
    ("text", "now", "expected"),
    [
        ("12月28日", JANUARY, date(2026, 12, 28)),  # typed in January: last December, not one to come
        ("十二月二十八日", JANUARY, date(2026, 12, 28)),
        ("12/28", JANUARY, date(2026, 12, 28)),
        ("12-28", JANUARY, date(2026, 12, 28)),
        ("12.28", JANUARY, date(2026, 12, 28)),
        ("Dec 28", JANUARY, date(2026, 12, 28)),
        ("1月10日", JANUARY, date(2027, 1, 10)),  # today is not in the future
        ("1月5日", JANUARY, date(2027, 1, 5)),
        ("1月11日", JANUARY, date(2026, 1, 11)),  # tomorrow's date is a year ago
        ("12月1日", datetime(2026, 12, 20, 9, 0, tzinfo=TZ), date(2026, 12, 1)),
        ("2月29日", NOW, date(2024, 2, 29)),  # the latest 29 February
    ],
)
def test_year_left_out_is_never_in_the_future(text: str, now: datetime, expected: date) -> None:
    reading = read_when(text, now)
    assert reading.moment == datetime.combine(expected, datetime.min.time(), TZ)
    assert reading.filled == "year"
    assert reading.note == f"「{text}」未写年份，按 {expected.isoformat()} 计"
    assert parse_day(text, now) == expected


@pytest.mark.parametrize(
    ("text", "now", "expected"),
    [
        ("1月5日", datetime(2026, 12, 20, 9, 0, tzinfo=TZ), date(2027, 1, 5)),  # a deadline looks ahead
        ("12月28日", JANUARY, date(2027, 12, 28)),
        ("1月10日", JANUARY, date(2027, 1, 10)),
        ("2月29日", NOW, date(2028, 2, 29)),
    ],
)
def test_year_left_out_ahead(text: str, now: datetime, expected: date) -> None:
    reading = read_when(text, now, ahead=True)
    assert reading.moment.date() == expected
    assert reading.note == f"「{text}」未写年份，按 {expected.isoformat()} 计"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("晚上8点", at(2026, 11, 22, 20, 0)),  # at 10:00, tonight is still to come: last night
        ("晚上八点", at(2026, 11, 22, 20, 0)),
        ("下午3点", at(2026, 11, 22, 15, 0)),
        ("中午12点", at(2026, 11, 22, 12, 0)),
        ("上午9点", at(2026, 11, 23, 9, 0)),
        ("上午九点半", at(2026, 11, 23, 9, 30)),
        ("凌晨1点", at(2026, 11, 23, 1, 0)),
        ("早上7点", at(2026, 11, 23, 7, 0)),
        ("9:30", at(2026, 11, 23, 9, 30)),
        ("10点", at(2026, 11, 23, 10, 0)),  # now itself is not in the future
    ],
)
def test_time_alone_is_the_latest_such_moment(text: str, expected: datetime) -> None:
    reading = read_when(text, NOW)
    assert (reading.moment, reading.has_time, reading.filled) == (expected, True, "date")
    assert reading.note == f"「{text}」未写日期，按 {expected:%Y-%m-%d %H:%M} 计"


def test_time_alone_ahead_and_refused_where_a_day_is_required() -> None:
    assert read_when("上午9点", NOW, ahead=True).moment == at(2026, 11, 24, 9, 0)
    assert read_when("晚上8点", NOW, ahead=True).moment == at(2026, 11, 23, 20, 0)
    for text in ("晚上8点", "9:30"):  # a file's date column must name the day
        with pytest.raises(WenzhengError, match=f"无法识别的日期「{text}」"):
            parse_when(text, NOW)


def test_nothing_filled_in_says_nothing() -> None:
    for text in ("2026-11-17", "2026年11月17日 9点", "昨天", "上周二", "3天前", "2026-11-17T09:30:00+08:00"):
        reading = read_when(text, NOW)
        assert reading.filled is None and reading.note is None, text
