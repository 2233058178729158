"""Dates and times as clerks type them: ``2026-11-17``, ``2026年11月17日``, ``11月17日``, ``昨天``, ``上周二 9点半``.

Pure: ``now`` is always passed in, so the same text gives the same moment in tests and in a report re-run.
Everything is local ledger time (``clock.TZ``, UTC+8). Nothing is guessed: a date that does not exist, a date
without a month or day, or text that is not a date raises ``WenzhengError`` naming the text.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time, timedelta

from wenzheng_cli.domain import clock
from wenzheng_cli.errors import WenzhengError

HINT = "可写 2026-11-17、2026/11/17、2026年11月17日、11月17日、今天、昨天、上周二，可加时间 9:30"

# Years outside this range are almost surely typos (0226 for 2026) and are refused rather than recorded.
MIN_YEAR = 1900
MAX_YEAR = 2100

NUMERALS = {
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
    "十": 10,
}
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
_SEP_MONTH_DAY = re.compile(r"(\d{1,2})\s*[-/]\s*(\d{1,2})(?!\d)")
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


def parse_when(text: str, now: datetime) -> tuple[datetime, bool]:
    """Parse a date/time as Chinese clerks type it. Returns (aware datetime in clock.TZ, has_time).

    Without a time the result is the start of the day and ``has_time`` is False.
    """
    raw = text.strip() if isinstance(text, str) else str(text)
    now = clock.local(now)
    value = _normalise(text)
    if not value:
        raise _error(raw)
    if _ISO_T.match(value):
        return _parse_iso(value, raw), True
    native = _parse_native(value, now, raw)
    if native is not None:
        return native
    if _HAS_YEAR.search(value) or _MONTH_NAME.search(value):
        return _parse_fallback(value, now, raw)
    raise _error(raw)


def parse_day(text: str, now: datetime) -> date:
    """The same input forms as :func:`parse_when`, the date part only."""
    return parse_when(text, now)[0].date()


def _normalise(text: str) -> str:
    """NFKC folds full-width digits, colons, slashes and U+3000 to their ASCII forms."""
    value = unicodedata.normalize("NFKC", text)
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


def _parse_native(value: str, now: datetime, raw: str) -> tuple[datetime, bool] | None:
    """The forms this module knows itself; None when the text is not one of them."""
    found = _match_date(value, now, raw)
    if found is None:
        return None
    day, end = found
    rest = value[end:].strip()
    if not rest:
        return _checked(datetime.combine(day, time(0, 0)), raw), False
    match = _TIME.fullmatch(rest)
    if match is None:
        return None
    return _checked(datetime.combine(day, _time_of(match, raw)), raw), True


def _match_date(value: str, now: datetime, raw: str) -> tuple[date, int] | None:
    """The date at the start of ``value`` and where it ends, or None when no form matches."""
    for pattern in (_SEP_DATE, _COMPACT_DATE, _CN_DATE):
        match = pattern.match(value)
        if match:
            if pattern is _SEP_DATE:
                year, month, day = int(match.group(1)), int(match.group(3)), int(match.group(4))
            else:
                year, month, day = int(match.group(1)), int(match.group(2)), int(match.group(3))
            return _make_date(year, month, day, raw), match.end()
    for pattern in (_CN_MONTH_DAY, _SEP_MONTH_DAY):
        match = pattern.match(value)
        if match:
            return _make_date(now.year, int(match.group(1)), int(match.group(2)), raw), match.end()
    match = _RELATIVE.match(value)
    if match:
        return now.date() + timedelta(days=_RELATIVE_DAYS[match.group(0)]), match.end()
    match = _WEEKDAY.match(value)
    if match:
        weeks = {"上上": -2, "上": -1, "下": 1, "下下": 2}.get(match.group(1) or "", 0)
        monday = now.date() - timedelta(days=now.weekday())
        return monday + timedelta(weeks=weeks, days=_WEEKDAYS[match.group(2)] - 1), match.end()
    match = _DAYS_AGO.match(value)
    if match:
        amount = _int(match.group(1))
        sign = -1 if "前" in match.group(2) else 1
        try:
            return now.date() + timedelta(days=sign * amount), match.end()
        except OverflowError:
            raise _error(raw) from None
    return None


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


def _parse_fallback(value: str, now: datetime, raw: str) -> tuple[datetime, bool]:
    """python-dateutil for English and other forms, but only when it parsed a full date and guessed nothing.

    Parsing twice with two different defaults shows which fields came from the text: a field that differs
    between the two results was filled in by the default, i.e. missing from the text.
    """
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
    if first.year != second.year:
        try:
            first = first.replace(year=now.year)  # "Nov 17": the current year, like 11月17日
        except ValueError:
            raise _error(raw) from None
    if first.hour != second.hour:  # no time given: the start of that day, whatever zone was named
        return _checked(first.replace(tzinfo=None), raw), False
    return _checked(first, raw), True
