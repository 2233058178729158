"""Every number a setting or an option takes has a range: a setting is checked when set and when read (a ledger
edited by other means is one clear error naming the key and its fix, and a problem ``check`` reports), no NaN
or infinity reaches a report, and an option beyond SQLite's integers is an answer, not an internal error."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.support.cli import Wz
from wenzheng_cli.config import DEFAULTS, RANGES, SPAN_KEYS, Settings

BEYOND_SQLITE = str(2**63)


def store_raw(db: Path, key: str, value: str) -> None:
    with sqlite3.connect(db) as conn:
        conn.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", (key, value))


def test_every_number_a_setting_takes_has_a_range_that_holds_its_default() -> None:
    for key, default in DEFAULTS.items():
        numbers = (
            default
            if isinstance(default, list)
            else list(default.values())
            if isinstance(default, dict)
            else [default]
        )
        if numbers and all(isinstance(n, (int, float)) and not isinstance(n, bool) for n in numbers):
            assert key in RANGES, f"{key} has no range"
            assert all(RANGES[key].why_not(n, str(n)) is None for n in numbers), key
    assert set(RANGES) <= set(DEFAULTS)


def test_the_default_spans_are_good_as_the_commands_read_them() -> None:
    """``Settings.parse`` reads only the spans an office changed: the defaults must be good as they are."""
    settings = Settings.parse()
    for key in SPAN_KEYS:
        settings.span(key)
    for category in DEFAULTS["span.by_category"]:
        settings.span_for(category, None)


@pytest.mark.parametrize(
    ("key", "stored", "fragment"),
    [
        ("duplicates.window_days", "99999999999999999999", "应为 0 到 3650 之间的整数"),
        ("duplicates.window_days", "3000000", "应为 0 到 3650 之间的整数"),
        ("duplicates.text_score", "1e999", "需要有限的数字"),
        ("report.top_categories", "-1", "应为 0 到 100 之间的整数"),
        ("points.closed", "NaN", "需要有限的数字"),
        ("points.overdue", "Infinity", "需要有限的数字"),
        ("points.difficulty_weights", "[1, 2]", "需要 5 个数字的列表"),
        ("points.difficulty_weights", "[1, 2, 3, 4, 1e999]", "需要有限的数字"),
        ("score.weights", '{"claim_rate": 1e999}', "需要有限的数字"),
        ("score.weights", '{"claim_rate": -1}', "应为 0 到 100 之间的数"),
        ("span.default", '"xyz"', "无法识别的时限"),
        ("span.claim", '"0h"', "无法识别的时限"),
        ("span.by_nature", '{"求助": "xyz"}', "无法识别的时限"),
        ("categories", json.dumps(["长" * 201]), "每项上限 200 字"),
        ("office.name", "1e999", "社区名称"),
    ],
)
def test_a_stored_value_out_of_range_is_one_clear_error_and_a_check_problem(
    wz: Wz, ledger_env: Path, key: str, stored: str, fragment: str
) -> None:
    wz("intake", "路灯不亮", "--at", "2026-11-17 09:00")
    store_raw(ledger_env, key, stored)
    for args in (["intake", "井盖缺失"], ["report", "monthly", "--month", "2026-11", "--json"]):
        refused = wz.fail(*args)
        message, hint = refused.stderr.splitlines()
        assert message.startswith(f"错误: 配置项 {key}") and fragment in message, message
        assert f"wenzheng config reset {key}（恢复默认值）" in hint, hint
        assert "NaN" not in refused.stdout and "Infinity" not in refused.stdout
    problems = json.loads(wz("check", "--json", code=1).stdout)["problems"]
    assert [p["kind"] for p in problems] == ["settings"] and fragment in problems[0]["message"]
    if "config set" in hint:  # the other fix the hint names is itself a command that works
        wz(*hint[hint.index("wenzheng config set") :].split()[1:])
    else:
        wz("config", "reset", key)
    assert wz.json("check")["ok"] is True


def test_an_import_after_a_huge_window_was_stored_is_refused_in_one_line(
    wz: Wz, ledger_env: Path, tmp_path: Path
) -> None:
    source = tmp_path / "走访.csv"
    source.write_text("受理时间,诉求内容\n2026-11-17,路灯不亮\n", encoding="utf-8")
    wz("init")
    store_raw(ledger_env, "duplicates.window_days", "99999999999999999999")
    refused = wz.fail("import", str(source))
    assert "duplicates.window_days" in refused.stderr and "内部错误" not in refused.stderr


@pytest.mark.parametrize(
    ("key", "value", "fragment"),
    [
        ("duplicates.window_days", "99999999999999999999", "应为 0 到 3650 之间的整数"),
        ("duplicates.window_days", "3000000", "应为 0 到 3650 之间的整数"),
        ("duplicates.text_score", "101", "应为 0 到 100 之间的整数"),
        ("points.closed", "inf", "需要有限的数字"),
        ("points.difficulty_weights", "1,2", "需要 5 个数字"),
        ("points.difficulty_weights", "1,2,3,4,1000", "应为 0 到 100 之间的数"),
        ("score.weights", '{"claim_rate": NaN}', "需要有限的数字"),
    ],
)
def test_a_typed_value_out_of_range_names_the_key_the_range_and_an_example(
    wz: Wz, key: str, value: str, fragment: str
) -> None:
    before = wz.json("config", "show")
    message, hint = wz.fail("config", "set", key, value).stderr.splitlines()
    assert message.startswith(f"错误: 配置项 {key}") and fragment in message, message
    assert hint.startswith(f"提示: 例如 wenzheng config set {key} "), hint
    assert wz.json("config", "show") == before


def test_the_weights_that_are_in_range_still_count(wz: Wz) -> None:
    assert wz.json("config", "set", "points.difficulty_weights", "0,0.5,1,2,100") == {
        "points.difficulty_weights": [0, 0.5, 1, 2, 100]
    }
    assert wz.json("config", "set", "duplicates.window_days", "3650") == {"duplicates.window_days": 3650}


def test_a_list_value_is_bounded_like_a_typed_field(wz: Wz) -> None:
    refused = wz.fail("config", "add", "categories", "长" * 43_000)
    assert "类别过长（43000 字，上限 200 字）" in refused.stderr
    assert "长" * 201 not in wz("config", "show").stdout


@pytest.mark.parametrize("extra", [[], ["--json"], ["--limit", BEYOND_SQLITE]])
def test_an_offset_beyond_any_ledger_lists_nothing(wz: Wz, extra: list[str]) -> None:
    wz("intake", "路灯不亮")
    result = wz("list", "--offset", BEYOND_SQLITE, *extra)
    assert result.stdout.strip() == "[]" if "--json" in extra else "--offset 超出了范围" in result.stdout


def test_a_limit_beyond_sqlite_lists_everything(wz: Wz) -> None:
    wz("intake", "路灯不亮")
    assert len(wz.json("list", "--limit", BEYOND_SQLITE)) == 1


def test_an_activity_beyond_sqlite_is_not_found(wz: Wz, tmp_path: Path) -> None:
    source = tmp_path / "走访.csv"
    source.write_text("受理时间,诉求内容\n2026-11-17,路灯不亮\n", encoding="utf-8")
    refused = wz.fail("import", str(source), "--activity", BEYOND_SQLITE, "--dry-run")
    assert f"找不到问政活动 {BEYOND_SQLITE}" in refused.stderr


def test_a_day_both_holiday_and_workday_is_refused_whichever_list_is_set(wz: Wz, ledger_env: Path) -> None:
    wz("config", "set", "calendar.holidays", "2026-12-31")
    refused = wz.fail("config", "set", "calendar.workdays", "2026-12-31")
    assert "2026-12-31 同时被设为节假日和工作日" in refused.stderr
    wz("config", "set", "calendar.workdays", "2027-01-04")
    assert "同时被设为节假日和工作日" in wz.fail("config", "set", "calendar.holidays", "2027-01-04").stderr
    store_raw(ledger_env, "calendar.workdays", '["2026-12-31"]')  # a ledger edited by other means
    problems = json.loads(wz("check", "--json", code=1).stdout)["problems"]
    assert "同时被设为节假日和工作日" in problems[0]["message"]
