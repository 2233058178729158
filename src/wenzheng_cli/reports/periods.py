"""The report periods (pure): the Tuesday-to-Monday week, the month, ``--month last``; the office a report is of."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from wenzheng_cli.config import WEEKDAYS
from wenzheng_cli.errors import WenzhengError

MONTH_HINT = "写 2026-10、2026年10月、10月（今年），或 last（上月）、this（本月）"
_LAST = {"last", "上月", "上个月", "上一月", "上一个月"}
_THIS = {"this", "本月", "这个月", "当月", "本月份"}
_YEAR_MONTH = re.compile(r"^(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*月?(?:份)?$")
_MONTH_ONLY = re.compile(r"^(\d{1,2})\s*月(?:份)?$")


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


def parse_month(text: str | None, now: datetime) -> tuple[int, int]:
    """``--month``: (year, month). Default this month; ``last`` the one before."""
    today = now.date()
    if text is None or not text.strip():
        return today.year, today.month
    value = unicodedata.normalize("NFKC", text).strip().lower()
    if value in _LAST:
        previous = today.replace(day=1) - timedelta(days=1)
        return previous.year, previous.month
    if value in _THIS:
        return today.year, today.month
    found = _YEAR_MONTH.match(value)
    if found:
        year, month = int(found.group(1)), int(found.group(2))
    else:
        only = _MONTH_ONLY.match(value)
        if not only:
            raise WenzhengError(f"无法识别的月份「{text.strip()[:20]}」", hint=MONTH_HINT)
        year, month = today.year, int(only.group(1))
    if not 1 <= month <= 12 or not 1900 <= year <= 2100:
        raise WenzhengError(f"无法识别的月份「{text.strip()[:20]}」", hint=MONTH_HINT)
    return year, month


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
