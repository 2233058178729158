"""Cell values as files really hold them: scraped whitespace, full-width digits, text and real Excel dates.

Pure and fast: these run once per cell of files with a million rows, so the common cases take a short path
(ASCII text, ``2019/4/25 9:32:09``-style dates with a cache of the days seen) and only the rest goes through
NFKC or the full date parser of ``domain.dates``. A value that cannot be read raises ``ValueError`` with the
reason in Chinese; the row parser turns it into a row error.
"""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from wenzheng_cli.domain import clock
from wenzheng_cli.domain.dates import MAX_YEAR, MIN_YEAR, parse_when
from wenzheng_cli.domain.fields import NO_VALUE, check_phone
from wenzheng_cli.errors import WenzhengError

_CONTROL = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\ufeff]")
_HSPACE = re.compile(r"[^\S\r\n]+")  # runs of whitespace other than line breaks (U+3000 and tabs included)
_BREAKS = re.compile(r"\s*[\r\n]\s*")  # a line break with the blanks around it, blank lines included
_SPACES = re.compile(r"\s+")
_MESSY = re.compile(r"[^\S ]|  ")  # anything but single plain spaces


def to_text(value: object) -> str:
    """A cell as text: ``2549`` for the float 2549.0 Excel keeps, ISO for date cells."""
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e16 else repr(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def clean_long(value: str) -> str:
    """Long text (诉求, 答复): scraped tabs and U+3000 folded to one space, paragraphs kept as single lines."""
    text = value.strip()
    if not text:
        return ""
    if "\x00" in text:
        raise ValueError("含有无法保存的空字符（NUL）")
    if _MESSY.search(text):
        text = _BREAKS.sub("\n", _HSPACE.sub(" ", text))
    if not text.isprintable() and _CONTROL.search(text):
        text = _CONTROL.sub("", text)
    return text


def clean_line(value: str) -> str:
    """One line of long text (标题): as :func:`clean_long`, line breaks to spaces."""
    text = clean_long(value)
    return _SPACES.sub(" ", text) if "\n" in text else text


def clean_short(value: str) -> str:
    """Names, addresses, categories: NFKC (full-width digits and letters to ASCII), whitespace to one space."""
    if not value.isascii() and not unicodedata.is_normalized("NFKC", value):
        value = unicodedata.normalize("NFKC", value)
    if " " in value or not value.isprintable():
        value = " ".join(value.split())
        if "\x00" in value:
            raise ValueError("含有无法保存的空字符（NUL）")
        if not value.isprintable():
            value = _CONTROL.sub("", value)
    return value


# --- dates ---------------------------------------------------------------------------------------------------

_FAST_DATE = re.compile(
    r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]+(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.\d+)?)?)?"
)
_EXCEL_EPOCH = datetime(1899, 12, 30)
# Excel serial day numbers of 1950-01-01 and 2100-12-31: a number outside is read as text, not a date.
_SERIAL_MIN, _SERIAL_MAX = 18264, 73415


@lru_cache(maxsize=8192)
def _day(year: int, month: int, day: int) -> str | None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


_DAY_TEXT = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_TIME_TEXT = re.compile(r"(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.\d+)?)?")


@lru_cache(maxsize=4096)
def _day_text(text: str) -> str | None:
    """``2019/4/25`` → ``2019-04-25``; None for anything else (or no such day: the full reading says why)."""
    match = _DAY_TEXT.fullmatch(text)
    return _day(int(match[1]), int(match[2]), int(match[3])) if match else None


@lru_cache(maxsize=4096)
def _time_text(text: str) -> str | None:
    """``9:32:09`` → ``09:32:09``; None for anything else (or no such time: the full reading says why)."""
    match = _TIME_TEXT.fullmatch(text)
    if match is None:
        return None
    h, m, s = int(match[1]), int(match[2]), int(match[3] or 0)
    return f"{h:02d}:{m:02d}:{s:02d}" if h <= 23 and m <= 59 and s <= 59 else None


def parse_moment(value: object, now: datetime) -> tuple[str, bool]:
    """A cell as a ledger moment: (``2019-04-25T09:32:09+08:00``, has_time). ``ValueError`` says why not."""
    if isinstance(value, datetime):
        return _checked_iso(value), True
    if isinstance(value, date):
        return _checked_iso(datetime.combine(value, time(0, 0))), False
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if _SERIAL_MIN <= value <= _SERIAL_MAX:
            moment = _EXCEL_EPOCH + timedelta(days=float(value))
            moment = moment.replace(microsecond=0)
            return _checked_iso(moment), moment.time() != time(0, 0)
        text = to_text(value)
    else:
        text = str(value).strip()
    day_text, sep, time_text = text.partition(" ")
    day = _day_text(day_text)
    if day is not None:  # the usual cell, its day and its time each read once per file (cached)
        if not sep:
            return f"{day}T00:00:00+08:00", False
        clock_time = _time_text(time_text.lstrip(" T"))
        if clock_time is not None:
            return f"{day}T{clock_time}+08:00", True
    match = _FAST_DATE.fullmatch(text)
    if match:
        y, mo, d, hh, mi, ss = match.groups()
        day = _day(int(y), int(mo), int(d))
        if day is None:
            raise ValueError(f"日期「{text[:40]}」不存在")
        if hh is None:
            return f"{day}T00:00:00+08:00", False
        h, m, s = int(hh), int(mi), int(ss or 0)
        if h > 23 or m > 59 or s > 59:
            raise ValueError(f"时间「{text[:40]}」不存在")
        return f"{day}T{h:02d}:{m:02d}:{s:02d}+08:00", True

    try:
        moment, has_time = parse_when(text, now)
    except WenzhengError:
        raise ValueError(f"无法识别的日期「{text[:40]}」") from None
    return clock.iso(moment) or "", has_time


def _checked_iso(value: datetime) -> str:
    local = clock.local(value)
    if not MIN_YEAR <= local.year <= MAX_YEAR:
        raise ValueError(f"日期「{value.date().isoformat()}」超出 {MIN_YEAR}–{MAX_YEAR} 年")
    return clock.iso(local) or ""


# --- phones --------------------------------------------------------------------------------------------------


def clean_phone(value: str) -> str | None:
    """A phone cell: ``None`` for no-value words (无, 不详), else ``domain.fields.check_phone``."""
    text = clean_short(value)
    if not text or text.lower() in NO_VALUE:
        return None
    return check_phone(text)
