"""The report indexes arrive by migration on an existing ledger; empty periods report zeros and nulls."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from tests.support.cli import Wz
from wenzheng_cli.store import schema


def indexes(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
        return {row[0] for row in rows}


def test_a_ledger_of_the_first_version_gains_the_report_indexes(wz: Wz, tmp_path: Path) -> None:
    old = tmp_path / "v1.db"
    shutil.copy(Path(__file__).parent / "fixtures" / "ledger-v1.db", old)
    assert "events_at" in indexes(old) and "events_at_action" not in indexes(old)
    assert wz.json("report", "monthly", "--month", "2026-11", "--db", str(old))["totals"]["received"] == 5
    found = indexes(old)
    assert {"events_at_action", "cases_open", "cases_closed", "cases_withdrawn", "events_notes"} <= found
    assert "events_at" not in found
    assert not {"cases_phone_key", "cases_address"} & found  # m007: repeats are found without them
    with sqlite3.connect(old) as check:
        assert check.execute("PRAGMA user_version").fetchone()[0] == schema.latest()
        assert check.execute("SELECT COUNT(*) FROM report_figures").fetchone()[0] == 0  # November is not over


def test_an_empty_month_has_no_rates(wz: Wz) -> None:
    wz("init")
    data = wz.json("report", "monthly", "--month", "2026-10")
    assert data["groups"] == [] and data["top_categories"] == []
    assert set(data["rates"].values()) == {None}
    assert data["totals"]["received"] == 0 and data["score"] is None and data["points"] == 0
    table = wz("report", "monthly", "--month", "2026-10").stdout
    assert "受理 0 件" in table and "办结率 —" in table
    week = wz("report", "weekly", "--week", "2026-10-20")
    assert "本周新增（0 件）: 无" in week.stdout


def test_configured_communities_appear_even_without_cases(wz: Wz) -> None:
    wz("init")
    wz("config", "add", "communities", "杨柳", "清河")
    wz("intake", "路灯不亮", "--community", "杨柳", "--at", "2026-10-12 09:00")
    groups = {g["key"]: g for g in wz.json("report", "monthly", "--month", "2026-10")["groups"]}
    assert set(groups) == {"杨柳", "清河"}
    assert groups["清河"]["totals"]["received"] == 0 and groups["清河"]["rank"] is None
    # 杨柳: one case received, none assigned or resolved: only the completion rate counts (0 %).
    assert groups["杨柳"]["rates"]["completion_rate"] == 0.0 and groups["杨柳"]["score"] == 0.0
    assert groups["杨柳"]["rank"] == 1
