"""Local time for the ledger: Asia/Shanghai, a fixed UTC+8 (China has no daylight saving time).

``WENZHENG_NOW`` (an ISO datetime) pins "now" for tests and for reproducing a report as of a moment.
"""

from __future__ import annotations

import os
from datetime import date, datetime, time, timedelta, timezone

TZ = timezone(timedelta(hours=8), "Asia/Shanghai")
# How far past "now" a business time may lie (clocks of two PCs differ): anything later is refused.
FUTURE_SLACK = timedelta(minutes=10)


def now() -> datetime:
    pinned = os.environ.get("WENZHENG_NOW")
    if pinned:
        value = datetime.fromisoformat(pinned)
        return value.replace(tzinfo=TZ) if value.tzinfo is None else value.astimezone(TZ)
    return datetime.now(TZ).replace(microsecond=0)


def today() -> date:
    return now().date()


def local(value: datetime) -> datetime:
    """The same moment in ledger local time (naive values are taken as local already)."""
    return value.replace(tzinfo=TZ) if value.tzinfo is None else value.astimezone(TZ)


def start_of_day(day: date) -> datetime:
    return datetime.combine(day, time(0, 0, 0), TZ)


def end_of_day(day: date) -> datetime:
    return datetime.combine(day, time(23, 59, 59), TZ)


def iso(value: datetime | None) -> str | None:
    """The ledger's text form of a moment: ``2026-11-17T09:30:00+08:00`` (sorts as text)."""
    if value is None:
        return None
    return local(value).replace(microsecond=0).isoformat()


def parse_iso(text: str | None) -> datetime | None:
    if not text:
        return None
    return local(datetime.fromisoformat(text))
