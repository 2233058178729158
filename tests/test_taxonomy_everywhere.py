"""A list value lives on cases, activities, settings that name it (a default time limit), the suggestion model
and the kept figures of past months: ``config rename`` moves it in every one, ``config remove`` refuses a
value still in use and names how much uses it."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tests.support.cli import Wz
from wenzheng_cli.store import analysis as models

pytestmark = pytest.mark.contract


def _group(report: dict[str, Any], key: str) -> dict[str, Any] | None:
    return next((g for g in report["groups"] if g["key"] == key), None)


def test_rename_community_moves_its_activities(wz: Wz) -> None:
    wz("config", "add", "communities", "南苑", "南苑社区")
    wz("activity", "add", "11月问政日", "--at", "2026-11-10 09:00", "--community", "南苑")
    wz("intake", "3号楼路灯不亮", "--community", "南苑", "--at", "2026-11-10 09:30")
    wz("config", "rename", "community", "南苑", "南苑社区")
    report = wz.json("report", "monthly", "--month", "2026-11", "--by", "community")
    assert _group(report, "南苑") is None
    moved = _group(report, "南苑社区")
    assert moved is not None
    assert moved["totals"]["activities"] == 1 and moved["totals"]["received"] == 1
    assert [a["community"] for a in wz.json("activity", "list")] == ["南苑社区"]


def test_rename_a_value_only_an_activity_holds_and_kept_figures_follow(wz: Wz) -> None:
    # No list of communities configured: the old name is on an activity only, not in any list or case.
    wz("activity", "add", "10月问政日", "--at", "2026-10-12 09:00", "--community", "南苑")
    wz("intake", "楼道堆物", "--community", "南苑社区", "--at", "2026-10-12 10:00")
    before = wz.json("report", "monthly", "--month", "2026-10", "--by", "community")  # kept: October is over
    assert _group(before, "南苑") is not None
    renamed = wz.json("config", "rename", "community", "南苑", "南苑社区")
    assert renamed["cases"] == []
    after = wz.json("report", "monthly", "--month", "2026-10", "--by", "community")
    assert _group(after, "南苑") is None
    group = _group(after, "南苑社区")
    assert group is not None and group["totals"]["activities"] == 1


def test_rename_takes_the_plural_list_name_and_moves_the_default_limit(wz: Wz) -> None:
    wz("config", "add", "categories", "路灯照明")
    wz("config", "set", "span.by_category", '{"路灯照明": "3d"}')
    wz("intake", "路灯不亮", "--category", "路灯照明")
    renamed = wz.json("config", "rename", "categories", "路灯照明", "市政设施")
    assert renamed["kind"] == "category" and len(renamed["cases"]) == 1
    settings = wz.json("config", "show")
    assert settings["span.by_category"] == {"市政设施": "3d"}
    assert "路灯照明" not in settings["categories"]


def _model(db: Path, classes: list[str]) -> None:
    with sqlite3.connect(db) as conn:
        meta = {
            "classes": classes,
            "intercepts": [0.0] * len(classes),
            "scale": 1.0,
            "cases": 10,
            "max_pk": 10,
            "trained_at": "2026-11-01T00:00:00+08:00",
        }
        models.save_model(conn, "category", meta, [("路灯", 1.0, b"\0" * 4 * len(classes))])


def _classes(db: Path) -> list[str] | None:
    with sqlite3.connect(db) as conn:
        meta = models.model_meta(conn, "category")
    return None if meta is None else list(meta["classes"])


def test_rename_renames_the_class_the_suggestions_learned(wz: Wz, ledger_env: Path) -> None:
    wz("config", "add", "categories", "路灯照明")
    wz("intake", "路灯不亮", "--category", "路灯照明")
    _model(ledger_env, ["路灯照明", "环境卫生"])
    wz("config", "add", "categories", "照明设施")
    wz("config", "rename", "category", "路灯照明", "照明设施")
    assert _classes(ledger_env) == ["照明设施", "环境卫生"]
    # merged into a class the model has already: the model is learned again, not kept with a class twice
    wz("config", "rename", "category", "照明设施", "环境卫生")
    assert _classes(ledger_env) is None


def test_remove_refuses_a_value_cases_use(wz: Wz) -> None:
    wz("config", "add", "categories", "路灯照明")
    for n in range(11):
        wz("intake", f"{n + 1}号楼路灯不亮", "--category", "路灯照明")
    refused = wz.fail("config", "remove", "categories", "路灯照明")
    assert "类别「路灯照明」仍有 11 件案件在用，不能移除" in refused.stderr
    assert "wenzheng config rename category 路灯照明 " in refused.stderr
    assert "路灯照明" in wz.json("config", "show")["categories"]  # nothing changed


def test_remove_refuses_a_community_an_activity_holds(wz: Wz) -> None:
    wz("config", "add", "communities", "南苑", "北苑")
    wz("activity", "add", "议事会", "--at", "2026-11-10 09:00", "--community", "南苑")
    refused = wz.fail("config", "remove", "communities", "北苑", "南苑")
    assert "社区「南苑」仍有 1 次问政活动在用" in refused.stderr
    assert wz.json("config", "show")["communities"] == ["南苑", "北苑"]  # not even 北苑 went


def test_remove_an_unused_value_takes_its_default_limit_along(wz: Wz) -> None:
    wz("config", "add", "categories", "路灯照明")
    wz("config", "set", "span.by_category", '{"路灯照明": "3d", "紧急求助": "2h"}')
    wz("config", "remove", "categories", "路灯照明")
    assert wz.json("config", "show")["span.by_category"] == {"紧急求助": "2h"}
