"""The groupings of ``--by`` are one table (``domain.groupings``): what ``--by`` accepts, its help, the labels,
the fold's reading of a case's group and the SQL that groups rows all come from it. Grouping by difficulty (a
number) is a row of that table and nothing more."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any, get_args

import pytest

from tests.support.cli import Wz
from tests.test_report_monthly import build_october
from wenzheng_cli.domain.groupings import GROUPINGS, HEAD_COLUMNS
from wenzheng_cli.domain.metrics import Return, Track
from wenzheng_cli.reports import figures
from wenzheng_cli.reports.grouping import BY_LABELS, parse_by

PARTITIONED = ("received", "resolved", "withdrawn", "overdue_open")  # each case counts in one group only


def test_every_grouping_is_readable_by_the_fold() -> None:
    for grouping in GROUPINGS:
        if grouping.moves:  # read from the fold as of the moment, and from where a 退单 came from
            assert grouping.column in Track.__dataclass_fields__, grouping.key
            assert grouping.column in Return.__dataclass_fields__, grouping.key
        else:  # read from the case's head, which the store reads in this order
            assert HEAD_COLUMNS[grouping.position] == grouping.column
    assert len(HEAD_COLUMNS) == figures.HEAD_WIDTH
    assert (
        HEAD_COLUMNS.index("difficulty"),
        HEAD_COLUMNS.index("activity_id"),
    ) == (figures.DIFFICULTY, figures.ACTIVITY)


def test_by_accepts_each_key_label_and_word_and_its_help_lists_them() -> None:
    from wenzheng_cli.cli.report import ByOpt

    help_text = get_args(ByOpt)[1].help  # Annotated[type, typer.Option(...)]
    for grouping in GROUPINGS:
        assert f"{grouping.key}（{grouping.label}）" in help_text
        for word in (grouping.key, grouping.key.upper(), grouping.label, *grouping.words):
            assert parse_by(word) == grouping.key
        assert BY_LABELS[grouping.key] == grouping.label
    assert parse_by(None) == "community"


def test_an_unknown_grouping_is_refused_listing_them_all(wz: Wz) -> None:
    build_october(wz)
    result = wz.fail("report", "monthly", "--month", "2026-10", "--by", "楼栋")
    assert "不能按「楼栋」分组" in result.stderr
    listed = "、".join(f"{g.key}（{g.label}）" for g in GROUPINGS)
    assert f"提示: --by 可选: {listed}\n" in result.stderr


def _groups(data: dict[str, Any]) -> dict[str | None, dict[str, Any]]:
    return {group["key"]: group for group in data["groups"]}


def test_by_difficulty(wz: Wz) -> None:
    build_october(wz)
    data = wz.json("report", "monthly", "--month", "2026-10", "--by", "difficulty")
    assert data["by"] == "difficulty"
    found = _groups(data)
    # A1 and B2 are of difficulty 2, A3 of 3, B1 of 4; the others have none (the blank group, not ranked).
    assert set(found) == {"2", "3", "4", None}
    assert [found[k]["totals"]["received"] for k in ("2", "3", "4")] == [2, 1, 1]
    assert found[None]["rank"] is None and all(found[k]["rank"] for k in ("2", "3", "4"))
    for name in PARTITIONED:
        assert sum(g["totals"][name] for g in data["groups"]) == data["totals"][name], name
    # The same cohort grouped otherwise counts the same in all.
    assert wz.json("report", "monthly", "--month", "2026-10")["totals"] == data["totals"]
    table = wz("report", "monthly", "--month", "2026-10", "--by", "难度").stdout
    assert "按难度" in table and "（未填）" in table


def test_by_difficulty_counts_overdue_cases_either_way(
    wz: Wz, monkeypatch: pytest.MonkeyPatch, ledger_env: Path
) -> None:
    """逾期未办结 of cases outside the cohort: grouped by SQL from the rows near the present, by the fold long
    after; a difficulty is the same group both ways."""
    from wenzheng_cli.core import figures as counted

    build_october(wz)
    late = wz.json("intake", "井盖缺失", "--at", "2026-09-20 09:00", "--difficulty", "3")["number"]
    wz("assign", late, "--unit", "城管科", "--due", "2026-09-25", "--at", "2026-09-20 10:00")
    monkeypatch.setenv("WENZHENG_NOW", "2026-11-02T08:00:00+08:00")
    args = ("report", "monthly", "--month", "2026-10", "--by", "difficulty")
    recent = wz.json(*args)
    assert _groups(recent)["3"]["totals"]["overdue_open"] >= 1
    with sqlite3.connect(ledger_env) as conn:
        conn.execute("DELETE FROM report_figures")
    monkeypatch.setattr(counted, "RECENT_EVENTS", 0)
    assert wz.json(*args) == recent


def test_figures_by_difficulty_are_kept_and_the_trend_groups_by_it(wz: Wz, ledger_env: Path) -> None:
    build_october(wz)
    first = wz.json("report", "monthly", "--month", "2026-10", "--by", "difficulty")
    with sqlite3.connect(ledger_env) as conn:
        kept = conn.execute("SELECT month, grouping FROM report_figures").fetchall()
    assert ("2026-10", "difficulty") in kept
    assert wz.json("report", "monthly", "--month", "2026-10", "--by", "difficulty") == first
    trend = wz.json("report", "trend", "--months", "2", "--until", "2026-10", "--by", "difficulty")
    assert trend["by"] == "difficulty"
    keys = [group["key"] for group in trend["groups"]]
    assert {"2", "3", "4"} <= set(keys) and keys[-1] is None  # the blank group last
    october = {g["key"]: g["months"][-1]["totals"]["received"] for g in trend["groups"]}
    assert october["2"] == _groups(first)["2"]["totals"]["received"]
