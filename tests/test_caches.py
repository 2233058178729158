"""The ledger's caches (kept figures, suggestion models, the search index) and its events, damaged by another
program: ``check`` names every damaged one and how it is rebuilt, and the commands that read a cache rebuild it
rather than fail. Each damage is done with sqlite3 on the ledger file, as another program would."""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.cli import Wz
from tests.test_suggest import labelled_csv
from wenzheng_cli.core.integrity import TABLES


def run_sql(ledger: Path, *statements: str) -> None:
    with sqlite3.connect(ledger) as conn:
        for sql in statements:
            conn.execute(sql)
    conn.close()


def problems(wz: Wz) -> list[dict[str, Any]]:
    """What ``check`` finds (it refuses with exit 1 when it finds anything)."""
    result = wz("check", "--json", code=1)
    found: list[dict[str, Any]] = json.loads(result.stdout)["problems"]
    return found


def test_every_table_of_the_ledger_is_checked(wz: Wz, ledger_env: Path) -> None:
    """A table added to the schema must say what ``check`` verifies of it (``core.integrity.TABLES``)."""
    wz("init")
    with sqlite3.connect(ledger_env) as conn:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    conn.close()
    assert tables == set(TABLES)


# --- the kept figures of past months -------------------------------------------------------------------------


@pytest.fixture
def october(wz: Wz, ledger_env: Path) -> dict[str, Any]:
    """A one-case ledger whose October figures are kept; the report as first counted."""
    wz("init")
    wz("intake", "3号楼路灯不亮", "--at", "2026-10-05 09:00")
    report: dict[str, Any] = wz.json("report", "monthly", "--month", "2026-10")
    wz("check")
    return report


DAMAGED_FIGURES = [
    """UPDATE report_figures SET data = replace(data, '"received": 1', '"received": "<script>"')""",
    "UPDATE report_figures SET data = '{not json'",
    "UPDATE report_figures SET data = '[[null, {}]]'",
    "UPDATE report_figures SET data = x'ff00'",
    "UPDATE report_figures SET built_seq = 'x'",
]


@pytest.mark.parametrize("damage", DAMAGED_FIGURES)
def test_damaged_kept_figures_are_named_and_counted_again(
    wz: Wz, ledger_env: Path, tmp_path: Path, october: dict[str, Any], damage: str
) -> None:
    run_sql(ledger_env, damage)
    [problem] = problems(wz)
    assert problem["kind"] == "cache"
    assert "wenzheng report monthly --month 2026-10 --by community" in problem["message"]
    for fmt in ("md", "csv", "xlsx", "html"):
        wz("report", "monthly", "--month", "2026-10", "--format", fmt, "--output", str(tmp_path / f"r.{fmt}"))
    assert wz.json("report", "monthly", "--month", "2026-10") == october
    wz("check")  # counted again and kept in its place


def test_figures_said_newer_than_the_last_event_are_not_used(
    wz: Wz, ledger_env: Path, october: dict[str, Any]
) -> None:
    run_sql(ledger_env, "UPDATE report_figures SET built_seq = 1000000")
    assert problems(wz)[0]["kind"] == "cache"
    # An assignment typed in late, dated in October: the figures that claim to be newer are not believed.
    wz("assign", "WZ-2026-0001", "--to", "王芳", "--at", "2026-10-06 09:00")
    assert wz.json("report", "monthly", "--month", "2026-10")["totals"]["assigned"] == 1
    wz("check")


def test_kept_figures_of_no_month_are_removed_by_the_next_count(
    wz: Wz, ledger_env: Path, october: dict[str, Any]
) -> None:
    run_sql(
        ledger_env,
        "INSERT INTO report_figures (key, month, grouping, built_seq, data) VALUES ('x', '<b>', 'y', 0, '[')",
    )
    [problem] = problems(wz)
    assert problem["message"].startswith("1 条保存的月度统计数据已损坏")
    wz("report", "monthly", "--month", "2026-09")
    wz("check")


# --- the suggestion models -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def learned(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict[str, Any]]]:
    """A ledger that learned its categories once for the module, and what ``suggest`` answered then."""
    folder = tmp_path_factory.mktemp("learned")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("WENZHENG_DB", str(folder / "ledger.db"))
        env.setenv("WENZHENG_HOME", str(folder / "home"))
        env.setenv("WENZHENG_OPERATOR", "clerk")
        wz = Wz()
        wz("init")
        wz("import", str(labelled_csv(folder / "a.csv", 90, seed=2)))
        answer = wz.json("suggest", "门口路灯不亮")
    yield folder / "ledger.db", answer


@pytest.fixture
def model(learned: tuple[Path, dict[str, Any]], ledger_env: Path) -> dict[str, Any]:
    shutil.copy(learned[0], ledger_env)
    return learned[1]


DAMAGED_MODELS = {
    "one-byte weights": "UPDATE suggest_weights SET weights = x'00'",
    "one class": """UPDATE suggest_model SET classes = '["a"]'""",
    "classes not JSON": "UPDATE suggest_model SET classes = 'oops'",
    "intercepts not JSON": "UPDATE suggest_model SET intercepts = '[1'",
    "scale not a number": "UPDATE suggest_model SET scale = 'x'",
    "idf not a number": "UPDATE suggest_weights SET idf = 'x'",
}


@pytest.mark.parametrize("damage", DAMAGED_MODELS.values(), ids=DAMAGED_MODELS.keys())
def test_check_names_a_damaged_model(wz: Wz, ledger_env: Path, model: dict[str, Any], damage: str) -> None:
    wz("check")
    run_sql(ledger_env, damage)
    [problem] = problems(wz)
    assert problem["kind"] == "cache"
    assert "类别建议模型已损坏" in problem["message"] and "wenzheng suggest" in problem["message"]


@pytest.mark.parametrize("damage", ["one-byte weights", "one class", "classes not JSON"])
def test_suggest_learns_a_damaged_model_again(
    wz: Wz, ledger_env: Path, model: dict[str, Any], damage: str
) -> None:
    run_sql(ledger_env, DAMAGED_MODELS[damage])
    result = wz("suggest", "门口路灯不亮", "--json")
    assert json.loads(result.stdout) == model
    assert "类别建议模型已损坏，已删除并重新学习" in result.stderr
    wz("check")


def test_an_import_learns_a_damaged_model_again(
    wz: Wz, ledger_env: Path, tmp_path: Path, model: dict[str, Any]
) -> None:
    run_sql(ledger_env, DAMAGED_MODELS["one-byte weights"])
    rows = labelled_csv(tmp_path / "b.csv", 6, seed=3, category=False, start_day=21)
    result = wz("import", str(rows), "--suggest-category")
    assert "类别建议模型已损坏" in result.stderr
    with sqlite3.connect(ledger_env) as conn:
        filled = conn.execute("SELECT COUNT(*) FROM cases WHERE category_suggested = 1").fetchone()[0]
    conn.close()
    assert filled == 6
    wz("check")


def test_the_counter_goes_on_without_a_damaged_model(ledger_env: Path, model: dict[str, Any]) -> None:
    from wenzheng_cli.cli.base import ledger_session
    from wenzheng_cli.core.analysis import stored_model

    run_sql(
        ledger_env,
        "UPDATE suggest_weights SET weights = x'00' WHERE feature = (SELECT MIN(feature) FROM suggest_weights)",
    )
    with ledger_session(None, create=False) as session:
        assert stored_model(session) is None
        assert any("类别建议模型已损坏" in str(w) for w in session.warnings)
        session.warnings.clear()


# --- events and the search index -----------------------------------------------------------------------------

UNREADABLE_EVENTS = {
    "payload not JSON": ("note", "{oops"),
    "payload not an object": ("note", "[1, 2]"),
    "unknown action": ("explode", "{}"),
}


def one_case_with_an_unreadable_event(wz: Wz, ledger_env: Path, action: str, payload: str) -> None:
    """Case 1, then a second event of it (``X1``) written outside the program."""
    wz("init")
    wz("intake", "3号楼路灯不亮")
    run_sql(
        ledger_env,
        "INSERT INTO events (id, case_id, action, at, recorded_at, actor, payload)"
        f" SELECT 'X1', case_id, '{action}', at, recorded_at, actor, '{payload}' FROM events",
    )


@pytest.mark.parametrize("action,payload", UNREADABLE_EVENTS.values(), ids=UNREADABLE_EVENTS.keys())
def test_check_names_an_event_it_cannot_read(wz: Wz, ledger_env: Path, action: str, payload: str) -> None:
    one_case_with_an_unreadable_event(wz, ledger_env, action, payload)
    [problem] = problems(wz)
    assert (problem["kind"], problem["number"]) == ("event", "WZ-2026-0001")
    assert "第 2 行" in problem["message"]


@pytest.mark.parametrize("action,payload", UNREADABLE_EVENTS.values(), ids=UNREADABLE_EVENTS.keys())
def test_a_command_meeting_an_unreadable_event_names_it(
    wz: Wz, ledger_env: Path, action: str, payload: str
) -> None:
    """``show``, and a step recorded on the case, refuse in one line naming the event and ``check``."""
    one_case_with_an_unreadable_event(wz, ledger_env, action, payload)
    for args in (("show", "1"), ("undo", "1", "--yes")):
        refused = wz.fail(*args)
        assert refused.stderr.splitlines() == [
            "错误: 办理记录 X1 已损坏（台账在本程序之外被改动过），本次操作未完成",
            "提示: 运行 wenzheng check 查看损坏的记录；从最近的备份恢复台账",
        ]


def test_check_names_a_search_index_out_of_step(wz: Wz, ledger_env: Path) -> None:
    wz("init")
    wz("intake", "3号楼路灯不亮")
    wz("check")
    run_sql(ledger_env, "INSERT INTO case_search (case_search) VALUES ('delete-all')")
    [problem] = problems(wz)
    assert problem["message"].startswith("搜索索引收录了 0 件案件，台账中有 1 件")
    run_sql(ledger_env, "INSERT INTO case_search (rowid, body) SELECT pk, description FROM cases")
    wz("check")
    run_sql(ledger_env, "INSERT INTO search_paused VALUES (1)")
    assert problems(wz)[0]["message"].startswith("搜索索引被暂停")
