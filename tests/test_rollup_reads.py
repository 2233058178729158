"""A street's reports read a month's events in either of two ways (``store.reports.cohort_facts``): by the range
of ``seq`` they fall in, or one by one by business time, which a rolled-up ledger needs (each community's events
follow the others', so one month's events are spread over the whole table). Both give the same figures."""

from __future__ import annotations

import os
import sqlite3
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


@pytest.mark.parametrize(
    "args",
    [
        ("report", "monthly", "--month", "2026-10", "--by", "office"),
        ("report", "monthly", "--month", "2026-10", "--by", "community", "--as-of", "2026-10-20"),
        ("report", "trend", "--months", "3", "--until", "2026-11", "--by", "category"),
    ],
)
def test_a_month_counted_a_few_cases_at_a_time_equals_it_counted_whole(
    wz: Wz, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...]
) -> None:
    """A month of many cases is counted a part at a time (``core.figures.COHORT_PART``), its events read case
    by case: the same figures as the month read whole."""
    from wenzheng_cli.core import figures

    street(wz)
    whole = _fresh(wz, *args)
    parts: list[int] = []
    real = reports.cohort_parts

    def counted(*a: Any) -> Any:
        found = real(*a)
        parts.append(len(found))
        return found

    monkeypatch.setattr(reports, "cohort_parts", counted)
    monkeypatch.setattr(figures, "COHORT_PART", 2)
    assert _fresh(wz, *args) == whole
    assert max(parts) > 3  # it was cut


@settings(max_examples=200, deadline=None)
@given(
    times=st.lists(st.integers(min_value=0, max_value=40), max_size=60),
    size=st.integers(min_value=1, max_value=8),
    bounds=st.tuples(st.integers(min_value=0, max_value=40), st.integers(min_value=0, max_value=40)),
)
def test_the_parts_of_a_month_hold_each_of_its_cases_once(
    times: list[int], size: int, bounds: tuple[int, int]
) -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE cases (received_at TEXT)")
    conn.executemany("INSERT INTO cases VALUES (?)", [(f"t{n:02d}",) for n in times])
    start, end = (f"t{n:02d}" for n in sorted(bounds))
    parts = reports.cohort_parts(conn, start, end, size)
    assert parts[0][0] == start and parts[-1][1] == end
    held = [
        row[0]
        for lo, hi in parts
        for row in conn.execute("SELECT rowid FROM cases WHERE received_at BETWEEN ? AND ?", (lo, hi))
    ]
    month = [
        row[0]
        for row in conn.execute("SELECT rowid FROM cases WHERE received_at BETWEEN ? AND ?", (start, end))
    ]
    assert sorted(held) == sorted(month)  # each once
    for lo, hi in parts[:-1]:  # more than size only when the last time is shared
        sql = "SELECT COUNT(*) FROM cases WHERE received_at BETWEEN ? AND ? AND received_at < ?"
        assert conn.execute(sql, (lo, hi, hi)).fetchone()[0] < size
        assert (
            conn.execute("SELECT COUNT(*) FROM cases WHERE received_at BETWEEN ? AND ?", (lo, hi)).fetchone()[
                0
            ]
            >= size
        )


def test_an_activitys_office_is_found_through_its_index(wz: Wz) -> None:
    """A street of thousands of activities counts each office's: one probe per activity, not a pass over all
    of the roll-up's (which made a year's trend by office 40 s on a street of 100 communities)."""
    street(wz)
    conn = sqlite3.connect(os.environ["WENZHENG_DB"])
    try:
        plan = " ".join(
            str(row[3])
            for row in conn.execute("EXPLAIN QUERY PLAN " + reports.ACTIVITIES_SQL, ("JD", "", ""))
        )
    finally:
        conn.close()
    assert "rollup_activities_id" in plan, plan
