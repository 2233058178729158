"""Zero-config defaults, one place to change them, and a command to show them."""

from __future__ import annotations

import pytest

from tests.support.cli import Wz

pytestmark = pytest.mark.contract


def test_defaults_shown(wz: Wz) -> None:
    values = wz.json("config", "show")
    assert values["levels"] == ["网格", "社区", "街道", "区"]
    assert values["natures"] == ["求助", "投诉", "咨询", "建议", "举报"]
    for category in (
        "困难诉求",
        "堆码物清理",
        "群众纠纷",
        "行政办理事项",
        "投诉举报",
        "物业管理",
        "水电暖气燃气",
        "老旧小区改造",
    ):
        assert category in values["categories"]
    for channel in ("走访", "12345热线", "说事箱", "倾诉箱", "微信", "电话", "来访", "议事会"):
        assert channel in values["channels"]
    assert values["span.default"] == "5wd"
    assert "span.default" in wz("config", "show").stdout


def test_set_add_remove_reset(wz: Wz) -> None:
    assert wz.json("config", "set", "span.default", "3wd") == {"span.default": "3wd"}
    assert wz.json("config", "add", "categories", "电梯维修")["categories"][-1] == "电梯维修"
    assert "电梯维修" not in wz.json("config", "remove", "categories", "电梯维修")["categories"]
    assert wz.json("config", "reset", "span.default") == {"span.default": "5wd"}
    assert "是否指 span.default" in wz.fail("config", "set", "span.defualt", "3wd").stderr
    assert "true 或 false" in wz.fail("config", "set", "revisit.allow_resolver", "maybe").stderr
    assert "不是列表配置项" in wz.fail("config", "add", "span.default", "x").stderr


def test_default_span_per_category_and_office_holidays(wz: Wz) -> None:
    wz("intake", "停水", "--category", "水电暖气燃气", "--at", "2026-11-20 08:00")
    data = wz.json("assign", "1", "--unit", "自来水公司", "--at", "2026-11-20 09:00")
    assert data["due_at"] == "2026-11-21T09:00:00+08:00"  # utilities: 24 hours, exact
    wz("config", "set", "calendar.holidays", "2026-11-24,2026-11-25")
    wz("intake", "路灯不亮", "--at", "2026-11-23 08:00")
    data = wz.json("assign", "2", "--unit", "城管科", "--within", "2wd", "--at", "2026-11-23 09:00")
    assert data["due_at"] == "2026-11-27T23:59:59+08:00"  # the office's own holidays skipped


def test_calendar_beyond_known_years_warns_once(wz: Wz, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WENZHENG_NOW", "2027-03-02T10:00:00+08:00")
    wz("intake", "路灯不亮")
    result = wz("assign", "2027-1", "--to", "王芳", "--within", "5wd", "--json")
    assert result.stderr.count("2027 年的法定节假日安排尚未收录") == 1
    assert '"due_at": "2027-03-09T23:59:59+08:00"' in result.stdout


def test_activity_add_list_and_link(wz: Wz) -> None:
    made = wz.json("activity", "add", "11月居民问政日", "--at", "2026-11-17", "--community", "杨柳")
    assert (made["id"], made["kind"], made["at"]) == (1, "问政日", "2026-11-17T10:00:00+08:00")
    wz("intake", "路灯不亮", "--activity", "1", "--at", "2026-11-17 10:00")
    assert "找不到问政活动 9" in wz.fail("intake", "x", "--activity", "9").stderr
    listed = wz.json("activity", "list")
    assert [(a["id"], a["title"], a["items"]) for a in listed] == [(1, "11月居民问政日", 1)]
