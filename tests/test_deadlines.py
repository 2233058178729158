"""Time limits: spans, the official working-day calendar with make-up days, and due moments."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wenzheng_cli.domain.clock import TZ
from wenzheng_cli.domain.deadlines import SPAN_HINT, Span, WorkCalendar, due_from, due_on, parse_span
from wenzheng_cli.errors import WenzhengError

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=TZ)  # a Monday


# --- spans ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5wd", Span(5, "wd")),
        ("5WD", Span(5, "wd")),
        (" 5 wd ", Span(5, "wd")),
        ("5个工作日", Span(5, "wd")),
        ("5工作日", Span(5, "wd")),
        ("5个工作日内", Span(5, "wd")),
        ("五个工作日", Span(5, "wd")),
        ("3d", Span(3, "d")),
        ("3D", Span(3, "d")),
        ("3天", Span(3, "d")),
        ("3日", Span(3, "d")),
        ("24h", Span(24, "h")),
        ("2h", Span(2, "h")),
        ("24小时", Span(24, "h")),
        ("24 小时", Span(24, "h")),
        ("2w", Span(2, "w")),
        ("2周", Span(2, "w")),
        ("2个星期", Span(2, "w")),
        ("１０ｗｄ", Span(10, "wd")),
        ("两周", Span(2, "w")),
    ],
)
def test_parse_span(text: str, expected: Span) -> None:
    assert parse_span(text) == expected


@pytest.mark.parametrize(
    "text", ["0wd", "0d", "-3d", "-1h", "", "5", "wd", "5x", "5 days", "abc", "3.5d", "5wdd", "d5", "周"]
)
def test_parse_span_refuses(text: str) -> None:
    with pytest.raises(WenzhengError) as caught:
        parse_span(text)
    assert caught.value.message == f"无法识别的时限「{text.strip()}」"
    assert caught.value.hint == SPAN_HINT


def test_parse_span_refuses_more_than_a_year() -> None:
    with pytest.raises(WenzhengError, match="超过一年"):
        parse_span("99999wd")


@pytest.mark.parametrize(
    ("span", "canonical", "label"),
    [
        (Span(5, "wd"), "5wd", "5个工作日"),
        (Span(3, "d"), "3d", "3天"),
        (Span(24, "h"), "24h", "24小时"),
        (Span(2, "w"), "2w", "2周"),
    ],
)
def test_span_text(span: Span, canonical: str, label: str) -> None:
    assert str(span) == canonical
    assert span.label() == label
    assert parse_span(canonical) == span
    assert parse_span(label) == span


@pytest.mark.parametrize(("amount", "unit"), [(0, "d"), (-1, "wd"), (3, "x"), (3, "")])
def test_span_refuses_invalid(amount: int, unit: str) -> None:
    with pytest.raises(WenzhengError):
        Span(amount, unit)


# --- the working-day calendar -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "workday"),
    [
        (date(2026, 9, 20), True),  # Sunday, make-up workday
        (date(2026, 9, 25), False),  # Friday, Mid-Autumn
        (date(2026, 10, 1), False),
        (date(2026, 10, 7), False),
        (date(2026, 10, 8), True),
        (date(2026, 10, 10), True),  # Saturday, make-up workday
        (date(2026, 10, 11), False),
        (date(2026, 11, 3), True),
        (date(2026, 11, 7), False),  # ordinary Saturday
        (date(2026, 11, 8), False),
    ],
)
def test_official_calendar(day: date, workday: bool) -> None:
    assert WorkCalendar().is_workday(day) is workday


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2026, 9, 30), 3, date(2026, 10, 10)),  # 10-08, 10-09, 10-10 (make-up Saturday)
        (date(2026, 9, 30), 1, date(2026, 10, 8)),
        (date(2026, 11, 3), 5, date(2026, 11, 10)),
        (date(2026, 11, 6), 1, date(2026, 11, 9)),  # Friday → Monday
        (date(2026, 11, 7), 1, date(2026, 11, 9)),  # from a Saturday
        (date(2026, 9, 18), 2, date(2026, 9, 21)),  # 09-20 Sunday is a workday
    ],
)
def test_add_workdays(start: date, n: int, expected: date) -> None:
    assert WorkCalendar().add_workdays(start, n) == expected


def test_add_workdays_needs_positive_n() -> None:
    with pytest.raises(ValueError):
        WorkCalendar().add_workdays(date(2026, 11, 3), 0)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2026, 11, 3), date(2026, 11, 10), 5),
        (date(2026, 11, 3), date(2026, 11, 3), 0),
        (date(2026, 11, 3), date(2026, 11, 1), 0),
        (date(2026, 11, 6), date(2026, 11, 8), 0),  # Friday to Sunday: the weekend only
        (date(2026, 9, 30), date(2026, 10, 10), 3),
        (date(2026, 9, 19), date(2026, 9, 20), 1),
    ],
)
def test_workdays_between(start: date, end: date, expected: int) -> None:
    assert WorkCalendar().workdays_between(start, end) == expected


def test_extra_holidays_and_workdays_are_honoured() -> None:
    calendar = WorkCalendar(
        extra_holidays=[date(2026, 11, 4)],  # an office's own day off, a Wednesday
        extra_workdays=[date(2026, 10, 3), date(2026, 11, 7)],  # a national holiday and a Saturday worked
    )
    assert calendar.is_workday(date(2026, 11, 4)) is False
    assert calendar.is_workday(date(2026, 10, 3)) is True
    assert calendar.is_workday(date(2026, 11, 7)) is True
    # Tue 11-03 + 5wd: 11-05, 11-06, 11-07 (worked Saturday), 11-09, 11-10.
    assert calendar.add_workdays(date(2026, 11, 3), 5) == date(2026, 11, 10)
    assert calendar.add_workdays(date(2026, 11, 3), 1) == date(2026, 11, 5)
    assert calendar.add_workdays(date(2026, 9, 30), 1) == date(2026, 10, 3)
    assert calendar.workdays_between(date(2026, 11, 3), date(2026, 11, 10)) == 5


def test_extra_days_conflict_is_refused() -> None:
    with pytest.raises(WenzhengError, match="2026-11-04"):
        WorkCalendar(extra_holidays=[date(2026, 11, 4)], extra_workdays=[date(2026, 11, 4)])


def test_unknown_year_falls_back_to_monday_to_friday_and_warns_once() -> None:
    calendar = WorkCalendar()
    start = datetime(2027, 3, 2, 9, 0, tzinfo=TZ)  # a Tuesday
    assert due_from(start, Span(5, "wd"), calendar) == datetime(2027, 3, 9, 23, 59, 59, tzinfo=TZ)
    assert due_from(start, Span(5, "wd"), calendar) == datetime(2027, 3, 9, 23, 59, 59, tzinfo=TZ)
    assert calendar.is_workday(date(2027, 1, 1)) is True  # a Friday; no holiday data, so Mon–Fri
    assert calendar.warnings == ["2027 年的法定节假日安排尚未收录，按周一至周五计算工作日"]


def test_known_years_give_no_warning_and_each_unknown_year_one() -> None:
    calendar = WorkCalendar()
    calendar.add_workdays(date(2026, 11, 3), 5)
    assert calendar.warnings == []
    calendar.add_workdays(date(2026, 12, 25), 10)  # runs into 2027
    calendar.add_workdays(date(2028, 6, 1), 3)
    calendar.add_workdays(date(2027, 6, 1), 3)
    assert calendar.warnings == [
        "2027 年的法定节假日安排尚未收录，按周一至周五计算工作日",
        "2028 年的法定节假日安排尚未收录，按周一至周五计算工作日",
    ]


def test_chinese_calendar_imported_only_for_working_day_math() -> None:
    code = (
        "import sys\n"
        "from datetime import datetime, timedelta, timezone\n"
        "from wenzheng_cli.domain import deadlines as d\n"
        "tz = timezone(timedelta(hours=8))\n"
        "start = datetime(2026, 11, 3, 9, tzinfo=tz)\n"
        "cal = d.WorkCalendar()\n"
        "d.due_from(start, d.parse_span('3d'), cal)\n"
        "d.due_from(start, d.parse_span('24h'), cal)\n"
        "d.due_from(start, d.parse_span('2w'), cal)\n"
        "assert 'chinese_calendar' not in sys.modules, 'imported too early'\n"
        "d.due_from(start, d.parse_span('5wd'), cal)\n"
        "assert 'chinese_calendar' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# --- due moments ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "span", "expected"),
    [
        (datetime(2026, 9, 30, 15, 0, tzinfo=TZ), "3wd", "2026-10-10T23:59:59+08:00"),
        (datetime(2026, 11, 3, 9, 0, tzinfo=TZ), "5wd", "2026-11-10T23:59:59+08:00"),
        (datetime(2026, 11, 3, 23, 59, tzinfo=TZ), "5个工作日", "2026-11-10T23:59:59+08:00"),
        (datetime(2026, 11, 17, 9, 30, tzinfo=TZ), "24h", "2026-11-18T09:30:00+08:00"),
        (datetime(2026, 11, 17, 9, 30, tzinfo=TZ), "2h", "2026-11-17T11:30:00+08:00"),
        (datetime(2026, 11, 17, 23, 30, tzinfo=TZ), "1h", "2026-11-18T00:30:00+08:00"),
        (datetime(2026, 11, 17, 9, 30, tzinfo=TZ), "3d", "2026-11-20T23:59:59+08:00"),
        (datetime(2026, 9, 30, 9, 30, tzinfo=TZ), "3d", "2026-10-03T23:59:59+08:00"),  # days ignore holidays
        (datetime(2026, 11, 17, 9, 30, tzinfo=TZ), "2w", "2026-12-01T23:59:59+08:00"),
        (datetime(2026, 12, 31, 9, 30, tzinfo=TZ), "1d", "2027-01-01T23:59:59+08:00"),
        # A start given in UTC counts from its local (UTC+8) day: 11-02 20:00 UTC is Tue 11-03 04:00 local.
        (datetime(2026, 11, 2, 20, 0, tzinfo=UTC), "5wd", "2026-11-10T23:59:59+08:00"),
        (datetime(2026, 11, 2, 20, 0, tzinfo=UTC), "24h", "2026-11-04T04:00:00+08:00"),
    ],
)
def test_due_from(start: datetime, span: str, expected: str) -> None:
    due = due_from(start, parse_span(span), WorkCalendar())
    assert due.isoformat() == expected
    assert due.utcoffset() == timedelta(hours=8)


def test_due_on_is_end_of_that_day() -> None:
    assert due_on(date(2026, 11, 30)).isoformat() == "2026-11-30T23:59:59+08:00"
    assert due_on(NOW.date()) == datetime(2026, 11, 23, 23, 59, 59, tzinfo=TZ)


# --- properties -------------------------------------------------------------------------------------------

# One calendar shared across examples: per-day results are cached, and the property must hold either way.
SHARED = WorkCalendar()


@settings(max_examples=300)
@given(st.dates(min_value=date(2004, 1, 1), max_value=date(2028, 12, 31)), st.integers(1, 30))
def test_add_workdays_lands_on_the_nth_workday(start: date, n: int) -> None:
    result = SHARED.add_workdays(start, n)
    assert result > start
    assert SHARED.is_workday(result)
    assert SHARED.workdays_between(start, result) == n
    assert SHARED.workdays_between(start, result - timedelta(days=1)) == n - 1


@given(st.dates(min_value=date(2004, 1, 1), max_value=date(2028, 12, 31)), st.integers(1, 30))
def test_due_from_working_days_is_end_of_the_nth_workday(start: date, n: int) -> None:
    begin = datetime(start.year, start.month, start.day, 9, 0, tzinfo=TZ)
    due = due_from(begin, Span(n, "wd"), SHARED)
    assert due.time().isoformat() == "23:59:59"
    assert due.date() == SHARED.add_workdays(start, n)


@given(st.integers(1, 53), st.sampled_from(["wd", "d", "h", "w"]))
def test_span_text_round_trips(amount: int, unit: str) -> None:
    span = Span(amount, unit)
    assert parse_span(str(span)) == span
    assert parse_span(span.label()) == span
