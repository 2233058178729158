"""The figures of a month that is over, kept between runs: reused until an event that may change them comes,
and the same as counted afresh."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.support.cli import Wz
from tests.test_report_monthly import EXPECTED, build_october


def forget_figures(ledger: Path) -> None:
    """Drop the figures kept from earlier runs (``store.figures``), so the next report counts afresh."""
    with sqlite3.connect(ledger) as conn:
        conn.execute("DELETE FROM report_figures")


def test_both_ways_of_finding_overdue_cases_agree(
    wz: Wz, monkeypatch: pytest.MonkeyPatch, ledger_env: Path
) -> None:
    """Near the present the unchanged rows are read as they are; long after, every case that may have been
    open is folded back. Forcing the second way must not change a figure."""
    from wenzheng_cli.core import figures

    build_october(wz)
    monkeypatch.setenv("WENZHENG_NOW", "2026-11-02T08:00:00+08:00")
    runs = [
        ("report", "monthly", "--month", "2026-10"),
        ("report", "monthly", "--month", "2026-10", "--as-of", "2026-10-19 12:00", "--by", "unit"),
        ("report", "monthly", "--by", "category"),  # November so far: A6 was overdue until 10:00 today
    ]
    recent = [wz.json(*args) for args in runs]
    forget_figures(ledger_env)
    monkeypatch.setattr(figures, "RECENT_EVENTS", 0)
    assert [wz.json(*args) for args in runs] == recent
    assert recent[0] == EXPECTED
    assert recent[2]["totals"]["overdue_open"] == 3


def test_figures_of_a_month_that_is_over_are_kept_until_an_event_within_it_comes(
    wz: Wz, ledger_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    n = build_october(wz)
    assert wz.json("report", "monthly", "--month", "2026-10") == EXPECTED
    with sqlite3.connect(ledger_env) as conn:
        assert conn.execute("SELECT month, grouping FROM report_figures").fetchall() == [
            ("2026-10", "community")
        ]
    assert wz.json("report", "monthly", "--month", "2026-10") == EXPECTED  # from the kept figures
    # Work recorded now, dated now, changes nothing in October.
    wz("note", n["P1"], "已联系居民")
    assert wz.json("report", "monthly", "--month", "2026-10") == EXPECTED
    # An assignment typed in late, dated in October, is counted: B4 assigned on 10-30 with a due date.
    wz("assign", n["B4"], "--to", "吴昊", "--due", "2026-11-05", "--at", "2026-10-30 15:00")
    after = wz.json("report", "monthly", "--month", "2026-10")
    qinghe = next(g for g in after["groups"] if g["key"] == "清河")
    assert (qinghe["totals"]["assigned"], qinghe["totals"]["committed"]) == (4, 4)
    forget_figures(ledger_env)
    assert wz.json("report", "monthly", "--month", "2026-10") == after
    # Settings that bear on the figures count them again; those that do not keep them.
    wz("config", "set", "points.overdue", "0")
    assert wz.json("report", "monthly", "--month", "2026-10")["points"] != after["points"]
    wz("config", "add", "categories", "电梯维修")
    with sqlite3.connect(ledger_env) as conn:
        kept = conn.execute("SELECT key FROM report_figures").fetchall()
    wz.json("report", "monthly", "--month", "2026-10")
    with sqlite3.connect(ledger_env) as conn:
        assert conn.execute("SELECT key FROM report_figures").fetchall() == kept


def test_a_busy_ledger_still_reports(wz: Wz, ledger_env: Path) -> None:
    """Keeping the figures waits a moment for the write lock, then goes on without: the report is the same."""
    build_october(wz)
    with sqlite3.connect(ledger_env, isolation_level=None) as other:
        other.execute("BEGIN IMMEDIATE")  # a long import holds the write lock
        assert wz.json("report", "monthly", "--month", "2026-10") == EXPECTED
        other.execute("ROLLBACK")
    with sqlite3.connect(ledger_env) as conn:
        assert conn.execute("SELECT COUNT(*) FROM report_figures").fetchone()[0] == 0


def test_kept_figures_give_way_to_an_event_that_may_change_the_past(wz: Wz, ledger_env: Path) -> None:
    """An event of a kind other than the dated lifecycle steps (a correction, an undo…) counts the month
    again, whatever its business time."""
    from wenzheng_cli.store import figures

    n = build_october(wz)
    wz.json("report", "monthly", "--month", "2026-10")
    with sqlite3.connect(ledger_env) as conn:
        key = conn.execute("SELECT key FROM report_figures").fetchone()[0]
        moment = "2026-10-31T23:59:59+08:00"
        assert figures.kept(conn, key, moment) is not None
        case_id = conn.execute("SELECT id FROM cases WHERE number = ?", (n["A1"],)).fetchone()[0]
        conn.execute(
            "INSERT INTO events (id, case_id, action, at, recorded_at, actor, payload)"
            " VALUES ('e-amend', ?, 'amend', ?, ?, 'clerk', '{}')",
            (case_id, "2026-11-23T10:00:00+08:00", "2026-11-23T10:00:00+08:00"),
        )
        assert figures.kept(conn, key, moment) is None
