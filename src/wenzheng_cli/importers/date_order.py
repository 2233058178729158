"""The order of ``01/02/2016``-style dates in a date column: given (``--date-order``), else read from the column.

A date whose year comes last reads two ways, month first (``mdy``, as US Excel writes it) or day first
(``dmy``); one written all in two digits (``12/31/16``) also reads year first (``ymd``). ``12/31/2016`` can
only be month first, and that settles the order for its whole column — wherever in the file it stands: when
an ambiguous date (``12/08/2016``) comes before any such date, the column is read ahead (once, from a fresh
read of the file) for the first date that settles it. A date that stays ambiguous is that row's error,
showing every reading. A four-digit year first (``2016/12/08``) is never ambiguous and never comes here.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Generator
from contextlib import closing
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from wenzheng_cli.domain.dates import MAX_YEAR, MIN_YEAR
from wenzheng_cli.errors import PLAIN, Phrase, UsageError, option, phrase, spell
from wenzheng_cli.importers.values import parse_moment

ORDERS = {"ymd": "年/月/日", "mdy": "月/日/年", "dmy": "日/月/年"}
_ALIASES = {"年月日": "ymd", "月日年": "mdy", "日月年": "dmy"}
ORDER_HINT = phrase(
    "加 ",
    option("date-order", "mdy"),
    "（月/日/年）或 ",
    option("date-order", "dmy"),
    "（日/月/年）说明日期的写法",
)
_NUMERIC = re.compile(
    r"(\d{1,2})([-/.])(\d{1,2})\2(\d{4}|\d{2})"
    r"(?:[ T]+(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.\d+)?)?\s*([AaPp][Mm])?)?"
)

ColumnValues = Callable[
    [int], Generator[Any, None, None]
]  # a date column's cells, from the start of the file


class DateError(ValueError):
    """A date that cannot be read (``message``), with the fix that fits it (the row parser shows both)."""

    def __init__(self, message: Phrase, hint: Phrase = ORDER_HINT) -> None:
        super().__init__(spell(message, PLAIN))
        self.message = message
        self.hint = hint


def parse_order(text: str | None) -> str | None:
    """``--date-order`` as typed: ymd, mdy, dmy (or 年月日, 月日年, 日月年)."""
    if text is None:
        return None
    value = text.strip().lower()
    value = _ALIASES.get(value, value)
    if value not in ORDERS:
        raise UsageError(
            phrase(option("date-order"), f"「{text}」无法识别"),
            hint="写 ymd（年/月/日）、mdy（月/日/年）或 dmy（日/月/年）",
        )
    return value


def _year(text: str) -> int:
    if len(text) == 4:
        return int(text)
    two = int(text)
    return 2000 + two if two < 30 else 1900 + two  # Excel's own rule for two-digit years


def _day(year: int, month: int, day: int) -> date | None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def readings(match: re.Match[str]) -> dict[str, date | None]:
    """What the date means in each order that can apply to it (None: no such day)."""
    first, _, second, last = match.group(1, 2, 3, 4)
    a, b = int(first), int(second)
    out: dict[str, date | None] = {"mdy": _day(_year(last), a, b), "dmy": _day(_year(last), b, a)}
    if len(first) == 2 and len(last) == 2:
        out["ymd"] = _day(_year(first), b, int(last))
    return out


@dataclass
class DateOrder:
    """One date column: its order once known (given or settled by a value), and the value that settled it."""

    index: int
    given: str | None
    column_values: ColumnValues | None
    order: str | None = None
    because: str = ""  # the value that settled the order
    looked_ahead: bool = False

    def __post_init__(self) -> None:
        self.order = self.given

    def read(self, value: Any, now: datetime) -> tuple[str, bool]:
        if isinstance(value, str):
            text = value.strip()
            if not text.isascii():
                text = unicodedata.normalize("NFKC", text)
            match = _NUMERIC.fullmatch(text)
            if match is not None:
                return self._numeric(match, text)
        return parse_moment(value, now)

    def _numeric(self, match: re.Match[str], text: str) -> tuple[str, bool]:
        shown = text[:40]
        options = readings(match)
        if self.given is not None:
            if self.given not in options:
                raise DateError(
                    phrase(f"日期「{shown}」的年份在后，与 ", option("date-order", self.given), " 不符"),
                    hint=phrase("年份在后的日期用 ", option("date-order", "mdy"), " 或 dmy"),
                )
            day = options[self.given]
            if day is None:
                raise DateError(f"日期「{shown}」按{ORDERS[self.given]}读不存在", hint="检查这个日期")
            return _moment(day, match)
        valid = {order: day for order, day in options.items() if day is not None}
        if not valid:
            raise DateError(f"日期「{shown}」不存在", hint="检查这个日期")
        if self.order is None:
            if len(valid) == 1:
                self.order, self.because = next(iter(valid)), shown
            elif len(set(valid.values())) > 1 and not self.looked_ahead:
                self._look_ahead()
        if self.order is not None and self.order in options:
            day = valid.get(self.order)
            if day is None:
                raise DateError(
                    f"日期「{shown}」按{ORDERS[self.order]}读不存在"
                    f"（本列的「{self.because}」只能是{ORDERS[self.order]}）"
                )
            return _moment(day, match)
        if len(set(valid.values())) == 1:  # the readings agree (05/05/2016)
            return _moment(next(iter(valid.values())), match)
        both = "或 ".join(f"{day}（{ORDERS[order]}）" for order, day in valid.items())
        raise DateError(f"日期「{shown}」可读作 {both}，本列没有能分辨的日期")

    def _look_ahead(self) -> None:
        """Read the column from the start of the file for the first date that settles the order."""
        self.looked_ahead = True
        if self.column_values is None:
            return
        with closing(self.column_values(self.index)) as values:
            for value in values:
                if not isinstance(value, str):
                    continue
                text = value.strip()
                if not text.isascii():
                    text = unicodedata.normalize("NFKC", text)
                match = _NUMERIC.fullmatch(text)
                if match is None:
                    continue
                valid = [order for order, day in readings(match).items() if day is not None]
                if len(valid) == 1:
                    self.order, self.because = valid[0], text[:40]
                    return


def _moment(day: date, match: re.Match[str]) -> tuple[str, bool]:
    hour, minute, second, half = match.group(5, 6, 7, 8)
    if hour is None:
        return f"{day.isoformat()}T00:00:00+08:00", False
    h, m, s = int(hour), int(minute), int(second or 0)
    if half is not None:
        if not 1 <= h <= 12:
            raise DateError(f"时间「{match.group(0)[:40]}」不存在", hint="检查这个时间")
        h = h % 12 + (12 if half.lower() == "pm" else 0)
    if h > 23 or m > 59 or s > 59:
        raise DateError(f"时间「{match.group(0)[:40]}」不存在", hint="检查这个时间")
    return f"{day.isoformat()}T{h:02d}:{m:02d}:{s:02d}+08:00", True


@dataclass
class DateOrders:
    """The date columns of one file, each with its own order."""

    given: str | None = None
    column_values: ColumnValues | None = None
    columns: dict[int, DateOrder] = field(default_factory=dict)

    def read(self, index: int | None, value: Any, now: datetime) -> tuple[str, bool]:
        if index is None:
            return parse_moment(value, now)
        column = self.columns.get(index)
        if column is None:
            column = self.columns[index] = DateOrder(index, self.given, self.column_values)
        return column.read(value, now)
