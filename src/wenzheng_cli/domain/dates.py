"""Dates and times as clerks type them: ``2026-11-17``, ``2026年11月17日``, ``11月17日``, ``10.29``, ``昨天``,
``上周二 9点半``, ``十一月六日``, ``晚上8点``.

Pure: ``now`` is always passed in, so the same text gives the same moment in tests and in a report re-run.
Everything is local ledger time (``clock.TZ``, UTC+8). Nothing is guessed: a date that does not exist, a date
without a month or day, or text that is not a date raises ``WenzhengError`` naming the text.

What people leave out is filled in one way only, and the reading says so (``Reading.note``) so the command can
name the date it took: a date without a year is the latest such date not after today (typed in January,
``12月28日`` is last December), a time without a date the latest such moment not after now (``晚上8点`` typed in
the morning is last night). With ``ahead`` (a deadline) both look forward instead.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time, timedelta
from typing import NamedTuple

from wenzheng_cli.domain import clock
from wenzheng_cli.errors import WenzhengError

HINT = (
    "可写 2026-11-17、2026/11/17、2026年11月17日、11月17日、10.29、十一月六日、今天、前天、上周二，"
    "可加时间 9:30、下午3点、晚上8点"
)

# Years outside this range are almost surely typos (0226 for 2026) and are refused rather than recorded.
MIN_YEAR = 1900
MAX_YEAR = 2100

_CN_DIGIT = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
# The numerals a span or a week is counted in (五个工作日, 两周): the digits above, and 十.
NUMERALS = {**{ch: n for ch, n in _CN_DIGIT.items() if n}, "十": 10}
_WEEKDAYS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "日": 7, "天": 7}
_WEEKDAYS.update({str(i): i for i in range(1, 8)})

_RELATIVE_DAYS = {
    "大前天": -3,
    "前天": -2,
    "昨天": -1,
    "昨日": -1,
    "今天": 0,
    "今日": 0,
    "明天": 1,
    "明日": 1,
    "后天": 2,
    "大后天": 3,
}

_SEP_DATE = re.compile(r"(\d{4})\s*([-/.])\s*(\d{1,2})\s*\2\s*(\d{1,2})(?!\d)")
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})(?!\d)")
_CN_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})(?:\s*[日号])?")
_CN_MONTH_DAY = re.compile(r"(\d{1,2})\s*月\s*(\d{1,2})(?:\s*[日号])?")
_SEP_MONTH_DAY = re.compile(r"(\d{1,2})\s*([-/.])\s*(\d{1,2})(?!\d)")
_RELATIVE = re.compile("|".join(sorted(_RELATIVE_DAYS, key=len, reverse=True)))
_WEEKDAY = re.compile(r"(上上|上|本|这|下下|下)?\s*个?\s*(?:周|星期|礼拜)\s*([一二三四五六日天1-7])")
_DAYS_AGO = re.compile(r"(\d{1,4}|[一二两三四五六七八九十])\s*(?:天|日)\s*(前|后|以前|以后|之前|之后)")

_PERIOD = r"(凌晨|早上|早晨|上午|中午|下午|傍晚|晚上|夜里|夜间)"
_TIME = re.compile(
    rf"{_PERIOD}?\s*(\d{{1,2}})\s*"
    r"(?:"
    r":\s*(\d{1,2})(?:\s*:\s*(\d{1,2}))?"  # 9:32, 9:32:09
    r"|[点时](?:\s*(半|\d{1,2})\s*分?)?(?:\s*(\d{1,2})\s*秒)?"  # 9点, 9点半, 09时30分, 9点15分30秒
    r")"
)
_ISO_T = re.compile(r"\d{4}-\d{2}-\d{2}T", re.IGNORECASE)
_HAS_YEAR = re.compile(r"(?<!\d)\d{4}(?!\d)")
_MONTH_NAME = re.compile(
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june|july|"
    r"august|september|october|november|december)\b",
    re.IGNORECASE,
)
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*\d{4}")

# Chinese numerals before a unit of a date or time: 十一月六日, 二〇二六年, 晚上八点半, 十五天前. Not after 周/星期/
# 礼拜, where 一…日 name a weekday (周三三点 is Wednesday at three).
_CN_TENS = {"十": 1, "廿": 2, "卅": 3}
_CN_NUMERALS = "〇零一二两三四五六七八九十廿卅"
_CN_RUN = rf"(?<![周期拜])([{_CN_NUMERALS}]+)(?=\s*[年月日号点时分秒天])"  # compiled on first use


class Reading(NamedTuple):
    """A parsed date: the moment, whether the text gave a time, and what the parser filled in, if anything."""

    moment: datetime
    has_time: bool
    filled: str | None = None  # "year" or "date": left out of the text and chosen by the rule above
    text: str = ""

    @property
    def note(self) -> str | None:
        """What the command tells the clerk when something was filled in: the full date it took."""
        if self.filled is None:
            return None
        shown = self.moment.strftime("%Y-%m-%d %H:%M" if self.has_time else "%Y-%m-%d")
        missing = "年份" if self.filled == "year" else "日期"
        return f"「{self.text}」未写{missing}，按 {shown} 计"


def arabic(text: str) -> str:
    """Chinese numerals in dates and times as digits: 十一月六日 → 11月6日, 二〇二六年 → 2026年, 八点半 → 8点半.

    A run that is not a well-formed number is left as it is (and then fails to parse as a date)."""
    if not any(ch in _CN_NUMERALS for ch in text):
        return text
    return re.sub(_CN_RUN, lambda match: _cn_number(match.group(1)), text)


def _cn_number(run: str) -> str:
    if not any(ch in _CN_TENS for ch in run):
        return "".join(str(_CN_DIGIT[ch]) for ch in run)  # 二〇二六 → 2026, 六 → 6
    found = re.fullmatch(r"([一二两三四五六七八九])?([十廿卅])([一二三四五六七八九])?", run)
    if found is None:
        return run
    head, tens, unit = found.groups()
    if head is not None and tens != "十":
        return run
    value = (_CN_DIGIT[head] if head else _CN_TENS[tens]) * 10 + (_CN_DIGIT[unit] if unit else 0)
    return str(value)


def parse_when(text: str, now: datetime) -> tuple[datetime, bool]:
    """Parse a date/time as Chinese clerks type it. Returns (aware datetime in clock.TZ, has_time).

    Without a time the result is the start of the day and ``has_time`` is False. A time alone (``晚上8点``) is
    refused here: a file's date column must say the day; :func:`read_when` takes it for what a clerk types.
    """
    reading = read_when(text, now)
    if reading.filled == "date":
        raise _error(reading.text)
    return reading.moment, reading.has_time


def read_when(text: str, now: datetime, *, ahead: bool = False) -> Reading:
    """:func:`parse_when` that also says what it filled in (a year, or the date of a bare time).

    ``ahead``: a missing year or date is the next one from now rather than the last (for deadlines)."""
    raw = text.strip() if isinstance(text, str) else str(text)
    now = clock.local(now)
    value = _normalise(text)
    if not value:
        raise _error(raw)
    if _ISO_T.match(value):
        return Reading(_parse_iso(value, raw), True, None, raw)
    native = _parse_native(value, now, raw, ahead)
    if native is not None:
        return native
    if _HAS_YEAR.search(value) or _MONTH_NAME.search(value):
        return _parse_fallback(value, now, raw, ahead)
    raise _error(raw)


def parse_day(text: str, now: datetime) -> date:
    """The same input forms as :func:`parse_when`, the date part only."""
    return parse_when(text, now)[0].date()


def _normalise(text: str) -> str:
    """NFKC folds full-width digits, colons, slashes and U+3000 to their ASCII forms; Chinese numerals to digits."""
    value = arabic(unicodedata.normalize("NFKC", text))
    return re.sub(r"\s+", " ", value).strip()


def _error(raw: str) -> WenzhengError:
    return WenzhengError(f"无法识别的日期「{raw}」", hint=HINT)


def _parse_iso(value: str, raw: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value.replace("t", "T").replace("z", "Z"))
    except ValueError:
        raise _error(raw) from None
    return _checked(parsed, raw)


def _checked(value: datetime, raw: str) -> datetime:
    """Attach or convert to local time and refuse implausible years."""
    try:
        local = clock.local(value)
    except (OverflowError, ValueError):
        raise _error(raw) from None
    if not MIN_YEAR <= local.year <= MAX_YEAR:
        raise _error(raw)
    return local


def _parse_native(value: str, now: datetime, raw: str, ahead: bool) -> Reading | None:
    """The forms this module knows itself; None when the text is not one of them."""
    alone = _TIME.fullmatch(value)
    if alone is not None:
        return _time_alone(alone, now, raw, ahead)
    found = _match_date(value, now, raw, ahead)
    if found is None:
        return None
    day, end, filled = found
    rest = value[end:].strip()
    if not rest:
        return Reading(_checked(datetime.combine(day, time(0, 0)), raw), False, filled, raw)
    match = _TIME.fullmatch(rest)
    if match is None:
        return None
    return Reading(_checked(datetime.combine(day, _time_of(match, raw)), raw), True, filled, raw)


def _time_alone(match: re.Match[str], now: datetime, raw: str, ahead: bool) -> Reading:
    """``晚上8点`` alone: today at that time, or the day before when that is still to come (after, with ahead)."""
    moment = _checked(datetime.combine(now.date(), _time_of(match, raw)), raw)
    if not ahead and moment > now:
        moment -= timedelta(days=1)
    elif ahead and moment < now:
        moment += timedelta(days=1)
    return Reading(moment, True, "date", raw)


def _year_less(month: int, day: int, now: datetime, raw: str, ahead: bool) -> date:
    """A month and day without a year: the latest such date not after today (the first not before, with ahead).

    2月29日 goes on to the nearest leap year in that direction."""
    today = now.date()
    step = 1 if ahead else -1
    for offset in range(9):
        try:
            found = date(today.year + offset * step, month, day)
        except ValueError:
            continue
        if (found >= today) if ahead else (found <= today):
            return found
    raise _error(raw)


def _match_date(value: str, now: datetime, raw: str, ahead: bool) -> tuple[date, int, str | None] | None:
    """The date at the start of ``value``, where it ends and what was filled in; None when no form matches."""
    for pattern in (_SEP_DATE, _COMPACT_DATE, _CN_DATE):
        match = pattern.match(value)
        if match:
            if pattern is _SEP_DATE:
                year, month, day = int(match.group(1)), int(match.group(3)), int(match.group(4))
            else:
                year, month, day = int(match.group(1)), int(match.group(2)), int(match.group(3))
            return _make_date(year, month, day, raw), match.end(), None
    for pattern in (_CN_MONTH_DAY, _SEP_MONTH_DAY):
        match = pattern.match(value)
        if match:
            month, day = int(match.group(1)), int(match.group(3 if pattern is _SEP_MONTH_DAY else 2))
            _make_date(2000, month, day, raw)  # refuses 2月30日 and 13-01 whatever the year
            return _year_less(month, day, now, raw, ahead), match.end(), "year"
    match = _RELATIVE.match(value)
    if match:
        return now.date() + timedelta(days=_RELATIVE_DAYS[match.group(0)]), match.end(), None
    match = _WEEKDAY.match(value)
    if match:
        weeks = _WEEK_SHIFTS.get(match.group(1) or "", 0)
        monday = now.date() - timedelta(days=now.weekday())
        return monday + timedelta(weeks=weeks, days=_WEEKDAYS[match.group(2)] - 1), match.end(), None
    match = _DAYS_AGO.match(value)
    if match:
        amount = _int(match.group(1))
        sign = -1 if "前" in match.group(2) else 1
        try:
            return now.date() + timedelta(days=sign * amount), match.end(), None
        except OverflowError:
            raise _error(raw) from None
    return None


# 上周二 is the Tuesday of the calendar week (Monday to Sunday, as Chinese speaks of weeks) before this one.
_WEEK_SHIFTS = {"上上": -2, "上": -1, "下": 1, "下下": 2}


def weekday_word(text: str) -> tuple[str, int] | None:
    """For a weekday named by its week (上周二, 本周五, 下周一, 周三): (the week word it is counted from — 上周,
    本周…; for the calendar week that holds it — and its shift from this week); None for other text."""
    match = _WEEKDAY.fullmatch(_normalise(text))
    if match is None:
        return None
    prefix = match.group(1) or "本"
    return ("本" if prefix == "这" else prefix) + "周", _WEEK_SHIFTS.get(prefix, 0)


def _int(text: str) -> int:
    return NUMERALS[text] if text in NUMERALS else int(text)


def _make_date(year: int, month: int, day: int, raw: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise _error(raw) from None


def _time_of(match: re.Match[str], raw: str) -> time:
    period, hour_text, colon_minute, colon_second, cn_minute, cn_second = match.groups()
    hour = int(hour_text)
    if colon_minute is not None:
        minute, second = int(colon_minute), int(colon_second or 0)
    else:
        minute = 30 if cn_minute == "半" else int(cn_minute or 0)
        second = int(cn_second or 0)
    if period in ("下午", "傍晚", "晚上", "夜里", "夜间"):
        if hour == 12 and period != "下午":
            raise _error(raw)  # 晚上12点: midnight of which day? Refuse rather than guess.
        if 1 <= hour <= 11:
            hour += 12
    elif period == "中午":
        if 1 <= hour <= 3:
            hour += 12
    elif period in ("凌晨", "早上", "早晨", "上午") and hour > 12:
        raise _error(raw)  # 上午15点 contradicts itself
    elif period == "凌晨" and hour == 12:
        hour = 0
    try:
        return time(hour, minute, second)
    except ValueError:
        raise _error(raw) from None


def _parse_fallback(value: str, now: datetime, raw: str, ahead: bool) -> Reading:
    """python-dateutil for English and other forms, but only when it parsed a full date and guessed nothing.

    Parsing twice with two different defaults shows which fields came from the text: a field that differs
    between the two results was filled in by the default, i.e. missing from the text.
    """
    # dateutil's parser is slow to load: only a date in none of the usual forms needs it
    from dateutil import parser

    match = _DAY_MONTH_YEAR.match(value)
    if match and match.group(1) != match.group(2) and all(1 <= int(g) <= 12 for g in match.group(1, 2)):
        raise _error(raw)  # 05/06/2026: May 6 or 5 June? Refuse rather than guess.
    try:
        first = parser.parse(value, default=datetime(1904, 1, 1, 0, 0, 0))
        second = parser.parse(value, default=datetime(1908, 2, 2, 1, 1, 1))
    except (ValueError, OverflowError, TypeError, LookupError):
        raise _error(raw) from None
    if (first.month, first.day) != (second.month, second.day):
        raise _error(raw)  # "November 2026" or "2026": no day given
    filled = None
    if first.year != second.year:  # "Nov 17": the year is filled in as for 11月17日
        filled = "year"
        day = _year_less(first.month, first.day, now, raw, ahead)
        first = first.replace(year=day.year)
    if first.hour != second.hour:  # no time given: the start of that day, whatever zone was named
        return Reading(_checked(first.replace(tzinfo=None), raw), False, filled, raw)
    return Reading(_checked(first, raw), True, filled, raw)
