"""Settings are parsed and checked once, refused when set inconsistently, and a bad stored value is one clear
error naming the key (and a problem ``check`` reports)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.support.cli import Wz

pytestmark = pytest.mark.contract


def store_raw(db: Path, key: str, value: str) -> None:
    with sqlite3.connect(db) as conn:
        conn.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", (key, value))


def test_a_grassroots_level_outside_the_list_is_refused_with_a_valid_hint(wz: Wz) -> None:
    refused = wz.fail("config", "set", "level.grassroots", "镇")
    assert "不在层级列表中" in refused.stderr
    hint = refused.stderr.splitlines()[1].removeprefix("提示: 例如 ")
    wz(*hint.split()[1:])  # the hint is itself a command that works
    assert wz.json("config", "show")["level.grassroots"] == "社区"


def test_new_levels_must_come_with_the_levels_that_depend_on_them(wz: Wz) -> None:
    refused = wz.fail("config", "set", "levels", "村,乡,县,市")
    assert wz.json("config", "show")["levels"] == ["网格", "社区", "街道", "区"]  # nothing changed
    hint = refused.stderr.splitlines()[1]
    command = hint[hint.index("wenzheng config set") :].split()
    assert command == [
        "wenzheng", "config", "set", "levels", "村,乡,县,市",
        "level.intake", "乡", "level.assign", "乡", "level.grassroots", "县",
    ]  # fmt: skip
    changed = wz.json(*command[1:])
    assert changed == {"levels": ["村", "乡", "县", "市"], "level.intake": "乡", "level.assign": "乡",
                       "level.grassroots": "县"}  # fmt: skip
    wz("intake", "路灯不亮", "--on-site", "已修好")


@pytest.mark.parametrize(
    ("key", "value", "fragment"),
    [
        ("calendar.holidays", "2026-13-45", "不是 YYYY-MM-DD"),
        ("ratings.closing", "[]", "至少一个评价"),
        ("ratings.closing", "happy", "只能是"),
        ("span.default", "五天半", "无法识别的时限"),
        ("span.by_category", '{"物业管理": "x"}', "无法识别的时限"),
        ("duplicates.window_days", "2.5", "需要整数"),
    ],
)
def test_values_that_would_break_later_commands_are_refused_when_set(
    wz: Wz, key: str, value: str, fragment: str
) -> None:
    before = wz.json("config", "show")
    assert fragment in wz.fail("config", "set", key, value).stderr
    assert wz.json("config", "show") == before


def test_a_corrupt_stored_setting_is_one_clear_error_and_a_check_problem(wz: Wz, ledger_env: Path) -> None:
    wz("init", "--office", "YL")
    store_raw(ledger_env, "calendar.holidays", json.dumps(["2026-13-45"]))
    refused = wz.fail("intake", "路灯不亮")
    assert refused.stderr.splitlines()[0].startswith("错误: 配置项 calendar.holidays 的值无效")
    assert "wenzheng config reset calendar.holidays" in refused.stderr
    report = wz("check", "--json", code=1)
    assert json.loads(report.stdout)["problems"][0]["kind"] == "settings"
    store_raw(ledger_env, "levels", "not json at all")
    assert "配置项 levels 的值无效" in wz.fail("report", "monthly").stderr
    wz("list")  # looking cases up needs no settings: a clerk can still find them
    wz("config", "reset", "levels")
    wz("config", "reset", "calendar.holidays")
    wz("intake", "路灯不亮")
    assert wz.json("check")["ok"] is True


def test_several_pairs_need_a_value_each(wz: Wz) -> None:
    refused = wz.fail("config", "set", "span.default", "3wd", "span.claim", code=2)
    assert "缺少值" in refused.stderr
