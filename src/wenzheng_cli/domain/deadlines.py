"""Time limits: spans (``5wd``, ``3d``, ``24h``, ``2w``), the official working-day calendar, and due moments.

"5个工作日内" is read the administrative way: the start day is not counted, and the limit ends at the end
(23:59:59) of the 5th working day after it. A limit in hours is exact. Working days follow the State Council
calendar with make-up workdays (调休) through the ``chinese_calendar`` package, imported only when working-day
math is actually done; years it does not know yet fall back to Monday–Friday, with one warning per year.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from wenzheng_cli.domain import clock
from wenzheng_cli.domain.dates import NUMERALS
from wenzheng_cli.errors import WenzhengError, option, phrase

SPAN_HINT = phrase("可写 5wd（5个工作日）、3d、24h、2w，或用 ", option("due"), " 指定日期")

UNITS = ("wd", "d", "h", "w")
_LABELS = {"wd": "个工作日", "d": "天", "h": "小时", "w": "周"}
# About a year in each unit; a longer limit is almost surely a typo and is better given as --due DATE.
_MAX_AMOUNT = {"wd": 250, "d": 366, "h": 24 * 366, "w": 53}

_UNIT_WORDS = {
    "wd": "wd",
    "个工作日": "wd",
    "工作日": "wd",
    "d": "d",
    "天": "d",
    "日": "d",
    "h": "h",
    "个小时": "h",
    "小时": "h",
    "个钟头": "h",
    "钟头": "h",
    "w": "w",
    "周": "w",
    "个星期": "w",
    "星期": "w",
    "个礼拜": "w",
    "礼拜": "w",
}
_SPAN = re.compile(
    r"(\d{1,6}|[一二两三四五六七八九十])\s*("
    + "|".join(re.escape(word) for word in sorted(_UNIT_WORDS, key=len, reverse=True))
    + r")\s*(?:以?内)?"
)


@dataclass(frozen=True)
class Span:
    """A time limit: ``amount`` of ``unit`` ("wd" working days, "d" days, "h" hours, "w" weeks)."""

    amount: int
    unit: str

    def __post_init__(self) -> None:
        if self.unit not in UNITS or isinstance(self.amount, bool) or not isinstance(self.amount, int):
            raise WenzhengError(f"无法识别的时限「{self.amount}{self.unit}」", hint=SPAN_HINT)
        if self.amount < 1:
            raise WenzhengError(f"无法识别的时限「{self.amount}{self.unit}」", hint=SPAN_HINT)

    def __str__(self) -> str:
        return f"{self.amount}{self.unit}"

    def label(self) -> str:
        return f"{self.amount}{_LABELS[self.unit]}"


def parse_span(text: str) -> Span:
    """``5wd``, ``3d``, ``24h``, ``2w`` (any case, spaces allowed) or ``5个工作日``, ``3天``, ``24小时``, ``2周``."""
    raw = text.strip() if isinstance(text, str) else str(text)
    value = re.sub(r"\s+", "", unicodedata.normalize("NFKC", raw)).lower()
    match = _SPAN.fullmatch(value)
    if match is None:
        raise WenzhengError(f"无法识别的时限「{raw}」", hint=SPAN_HINT)
    number, word = match.groups()
    amount = NUMERALS[number] if number in NUMERALS else int(number)
    unit = _UNIT_WORDS[word]
    if amount < 1:
        raise WenzhengError(f"无法识别的时限「{raw}」", hint=SPAN_HINT)
    if amount > _MAX_AMOUNT[unit]:
        raise WenzhengError(
            f"时限「{raw}」超过一年", hint=phrase("超过一年的时限请用 ", option("due"), " 指定日期")
        )
    return Span(amount, unit)


class WorkCalendar:
    """Working days: the official calendar, overridden by an office's own holidays and workdays.

    ``warnings`` collects one message per year the official calendar does not know yet (Mon–Fri was used).
    """

    def __init__(self, extra_holidays: Iterable[date] = (), extra_workdays: Iterable[date] = ()) -> None:
        self.extra_holidays = frozenset(extra_holidays)
        self.extra_workdays = frozenset(extra_workdays)
        both = sorted(self.extra_holidays & self.extra_workdays)
        if both:
            listed = "、".join(day.isoformat() for day in both)
            raise WenzhengError(
                f"{listed} 同时被设为节假日和工作日",
                hint="请在配置中只保留其中一种",
            )
        self.warnings: list[str] = []
        self._cache: dict[date, bool] = {}
        self._unknown_years: set[int] = set()

    def is_workday(self, day: date) -> bool:
        if day in self.extra_holidays:
            return False
        if day in self.extra_workdays:
            return True
        cached = self._cache.get(day)
        if cached is None:
            cached = self._cache[day] = self._official(day)
        return cached

    def _official(self, day: date) -> bool:
        if day.year not in self._unknown_years:
            # chinese_calendar loads its table of holidays: only a deadline in working days needs it
            import chinese_calendar

            try:
                return bool(chinese_calendar.is_workday(day))
            except NotImplementedError:
                self._unknown_years.add(day.year)
                self.warnings.append(f"{day.year} 年的法定节假日安排尚未收录，按周一至周五计算工作日")
        return day.weekday() < 5

    def add_workdays(self, start: date, n: int) -> date:
        """The n-th working day after ``start`` (``start`` itself not counted), n >= 1."""
        if n < 1:
            raise ValueError(f"add_workdays needs n >= 1, got {n}")
        day = start
        left = n
        while left:
            day += timedelta(days=1)
            if self.is_workday(day):
                left -= 1
        return day

    def workdays_between(self, start: date, end: date) -> int:
        """Working days in (start, end]: 0 when end is not after start."""
        count = 0
        day = start
        while day < end:
            day += timedelta(days=1)
            if self.is_workday(day):
                count += 1
        return count


def due_from(start: datetime, span: Span, calendar: WorkCalendar) -> datetime:
    """The moment a limit of ``span`` counted from ``start`` runs out, in ledger local time."""
    start = clock.local(start)
    if span.unit == "h":
        return start + timedelta(hours=span.amount)
    if span.unit == "wd":
        return clock.end_of_day(calendar.add_workdays(start.date(), span.amount))
    days = span.amount * 7 if span.unit == "w" else span.amount
    return clock.end_of_day(start.date() + timedelta(days=days))


def due_on(day: date) -> datetime:
    """``--due DATE``: the end (23:59:59) of that day."""
    return clock.end_of_day(day)
