"""The report periods (pure): the Tuesday-to-Monday week, the month, ``--month last``, and the words people use
for them: 本周、上周、上上周、本月、上月、今年、去年; the office a report is of."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from wenzheng_cli.config import WEEKDAYS
from wenzheng_cli.domain.dates import arabic
from wenzheng_cli.errors import WenzhengError

MONTH_HINT = "写 2026-10、2026年10月、10月、十月，或 last（上月）、this（本月）、上上月"
_LAST = {"last", "上月", "上个月", "上一月", "上一个月"}
_THIS = {"this", "本月", "这个月", "当月", "本月份"}
_BEFORE_LAST = {"上上月", "上上个月"}
_YEAR_MONTH = re.compile(r"^(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*月?(?:份)?$")
_MONTH_ONLY = re.compile(r"^(\d{1,2})\s*月(?:份)?$")

# Weeks and years as words: how many back (negative) or ahead of the current one.
_WEEKS = {
    "本周": 0,
    "这周": 0,
    "本星期": 0,
    "这星期": 0,
    "这个星期": 0,
    "本礼拜": 0,
    "这礼拜": 0,
    "这个礼拜": 0,
}
_WEEKS.update({"上周": -1, "上星期": -1, "上个星期": -1, "上礼拜": -1, "上个礼拜": -1, "上一周": -1})
_WEEKS.update({"上上周": -2, "上上星期": -2, "上上个星期": -2, "上上礼拜": -2, "上上个礼拜": -2})
_WEEKS.update({"下周": 1, "下星期": 1, "下个星期": 1, "下礼拜": 1, "下个礼拜": 1})
_MONTHS = {**dict.fromkeys(_THIS, 0), **dict.fromkeys(_LAST, -1), **dict.fromkeys(_BEFORE_LAST, -2)}
_YEARS = {"今年": 0, "本年": 0, "本年度": 0, "去年": -1, "上一年": -1, "前年": -2}


@dataclass(frozen=True)
class Office:
    """Whose report it is: the office's code and name (the name heads every report)."""

    code: str
    name: str = ""

    @property
    def title(self) -> str:
        return self.name or self.code


def week_of(day: date, start: str = "tue") -> tuple[date, date]:
    """The first and last day of the week holding ``day``; weeks start on ``start`` (mon…sun).

    With the default Tuesday start, a Monday belongs to the week that began the Tuesday before."""
    first = WEEKDAYS.index(start.strip().lower()) if start.strip().lower() in WEEKDAYS else 1
    begin = day - timedelta(days=(day.weekday() - first) % 7)
    return begin, begin + timedelta(days=6)


def _word(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()


def week_shift(text: str) -> int | None:
    """本周 0, 上周 -1, 上上周 -2, 下周 1; None when the text is not a week word."""
    return _WEEKS.get(_word(text))


def period_of(text: str, now: datetime, week_start: str = "tue") -> tuple[date, date] | None:
    """The first and last day of the week, month or year a word names (上周, 本月, 去年 …); None for other text.

    A week is the office's week (``week.start``), the same one the weekly 台账 covers."""
    word = _word(text)
    today = now.date()
    if word in _WEEKS:
        return week_of(today + timedelta(weeks=_WEEKS[word]), week_start)
    if word in _MONTHS:
        year, month = _shift_month(today.year, today.month, _MONTHS[word])
        return month_days(year, month)
    if word in _YEARS:
        year = today.year + _YEARS[word]
        return date(year, 1, 1), date(year, 12, 31)
    return None


def _shift_month(year: int, month: int, by: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + by
    return index // 12, index % 12 + 1


def read_month(text: str | None, now: datetime) -> tuple[int, int, bool]:
    """``--month``: (year, month, whether the year was filled in). Default this month; ``last`` the one before.
    A month without a year is the latest one not after this month (``12月`` typed in January is last December)."""
    today = now.date()
    if text is None or not text.strip():
        return today.year, today.month, False
    value = arabic(_word(text))
    if value in _MONTHS:
        return (*_shift_month(today.year, today.month, _MONTHS[value]), False)
    found = _YEAR_MONTH.match(value)
    inferred = found is None
    if found:
        year, month = int(found.group(1)), int(found.group(2))
    else:
        only = _MONTH_ONLY.match(value)
        if not only:
            raise WenzhengError(f"无法识别的月份「{text.strip()[:20]}」", hint=MONTH_HINT)
        month = int(only.group(1))
        year = today.year if month <= today.month else today.year - 1
    if not 1 <= month <= 12 or not 1900 <= year <= 2100:
        raise WenzhengError(f"无法识别的月份「{text.strip()[:20]}」", hint=MONTH_HINT)
    return year, month, inferred


def month_days(year: int, month: int) -> tuple[date, date]:
    first = date(year, month, 1)
    following = date(year + month // 12, month % 12 + 1, 1)
    return first, following - timedelta(days=1)


def month_key(first: date) -> str:
    """``2026-10``: how a month is named in the trend's JSON."""
    return f"{first.year:04d}-{first.month:02d}"


def months_until(year: int, month: int, count: int) -> list[tuple[date, date]]:
    """The ``count`` months ending with (year, month), oldest first, as (first day, last day)."""
    found = []
    for back in range(count - 1, -1, -1):
        index = year * 12 + (month - 1) - back
        found.append(month_days(index // 12, index % 12 + 1))
    return found
