"""A street's reports read a month's events in either of two ways (``store.reports.cohort_facts``): by the range
of ``seq`` they fall in, or one by one by business time, which a rolled-up ledger needs (each community's events
follow the others', so one month's events are spread over the whole table). Both give the same figures."""

from __future__ import annotations

import os
import sqlite3
from typing import Any

import pytest

from tests.support.cli import Wz
from tests.test_by_office import street
from wenzheng_cli.store import reports


def _fresh(wz: Wz, *args: str) -> Any:
    """The report counted afresh: the figures kept by an earlier run are dropped first."""
    conn = sqlite3.connect(os.environ["WENZHENG_DB"])
    try:
        with conn:
            conn.execute("DELETE FROM report_figures")
    finally:
        conn.close()
    return wz.json(*args)


@pytest.mark.parametrize(
    "args",
    [
        ("report", "monthly", "--month", "2026-10", "--by", "office"),
        ("report", "monthly", "--month", "2026-10", "--by", "community"),
        ("report", "trend", "--months", "3", "--until", "2026-11", "--by", "office"),
    ],
)
def test_a_month_read_by_business_time_equals_its_range(
    wz: Wz, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...]
) -> None:
    street(wz)
    monkeypatch.setattr(reports, "_SPREAD", 10**9)  # always the range of seq
    by_range = _fresh(wz, *args)
    monkeypatch.setattr(reports, "_SPREAD", 0)  # always one by one, by business time
    by_time = _fresh(wz, *args)
    assert by_time == by_range
    assert by_range["groups"]  # the street's offices are all there
