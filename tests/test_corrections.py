"""改错与撤销: amend, undo and config rename, through the CLI, with exact JSON and nothing changed on refusal."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tests.support.cli import Wz

pytestmark = pytest.mark.contract

INTAKE = [
    "intake",
    "3号楼路灯不亮",
    "--resident",
    "李桂兰",
    "--phone",
    "13812345678",
    "--category",
    "市政设施",
    "--channel",
    "走访",
    "--at",
    "2026-11-17 9:30",
]


def dump(db: Path) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(db)
    rows = list(conn.execute("SELECT * FROM cases ORDER BY pk"))
    rows += list(conn.execute("SELECT * FROM events ORDER BY seq"))
    rows += list(conn.execute("SELECT * FROM settings ORDER BY key"))
    conn.close()
    return rows


def in_hand(wz: Wz) -> None:
    """Case 1 assigned to 王芳, claimed and resolved by her."""
    wz(*INTAKE)
    wz("assign", "1", "--to", "王芳", "--unit", "城管科", "--at", "2026-11-17 10:00")
    wz("--operator", "王芳", "claim", "1", "--at", "2026-11-17 11:00")
    wz("--operator", "王芳", "resolve", "1", "--result", "已更换灯泡", "--at", "2026-11-18 15:00")


def test_amend_records_old_and_new_values_and_the_case_follows(wz: Wz) -> None:
    wz(*INTAKE)
    case = wz.json(
        "amend", "1", "--category", "道路交通", "--phone", "13912345678", "--address", "杨柳小区3号楼",
        "--reason", "受理时类别、电话写错",
    )  # fmt: skip
    assert (case["category"], case["phone"], case["status"]) == ("道路交通", "139****5678", "registered")
    shown = wz.json("show", "1")
    amend = shown["events"][-1]
    assert amend["action"] == "amend"
    assert amend["reason"] == "受理时类别、电话写错"
    assert amend["changes"] == {
        "category": {"old": "市政设施", "new": "道路交通"},
        "phone": {"old": "138****5678", "new": "139****5678"},  # masked in the timeline too
        "address": {"old": None, "new": "杨柳小区3号楼"},
    }
    assert wz.json("show", "1", "--show-pii")["events"][-1]["changes"]["phone"]["new"] == "13912345678"
    timeline = wz("show", "1").stdout
    assert "更正" in timeline and "类别: 市政设施 → 道路交通" in timeline and "13912345678" not in timeline
    # An empty value clears an optional field; the text can be corrected too.
    cleared = wz.json(
        "amend", "1", "--phone", "", "--text", "3号楼东侧路灯不亮", "--reason", "居民不愿留电话"
    )
    assert (cleared["phone"], cleared["description"]) == (None, "3号楼东侧路灯不亮")
    assert wz.json("list", "--search", "东侧")[0]["number"] == "WZ-2026-0001"  # the search index follows
    assert wz.json("list", "--search", "13912345678") == []
    assert wz.json("check")["ok"] is True


def test_amend_refusals_change_nothing(wz: Wz, ledger_env: Path) -> None:
    in_hand(wz)
    before = dump(ledger_env)
    nothing = wz.fail("amend", "1", "--reason", "x")
    assert nothing.stderr.startswith("错误: 没有写要更正的内容\n提示: 可更正: --text --category")
    same = wz.fail("amend", "1", "--category", "市政设施", "--reason", "x")
    assert same.stderr == (
        "错误: WZ-2026-0001 的类别已是所写的值，没有要更正的内容\n提示: 用 wenzheng show WZ-2026-0001 查看案件现在的内容\n"
    )
    outside = wz.fail("amend", "1", "--category", "市政", "--reason", "x")
    assert outside.stderr == (
        "错误: 类别「市政」不在本社区的类别列表中\n"
        "提示: 是否指 市政设施？  新增请用 wenzheng config add categories 市政\n"
    )
    wz.fail("amend", "1", "--phone", "1381234", "--reason", "x")
    wz.fail("amend", "1", "--difficulty", "9", "--reason", "x")
    wz.fail("amend", "1", "--text", " ", "--reason", "x")
    wz.fail("amend", "1", "--category", "道路交通", "--reason", " ")
    no_reason = wz.fail("amend", "1", "--category", "道路交通", code=2)
    assert no_reason.stderr.startswith("错误: 缺少更正理由\n")
    wz.fail("amend", "99", "--category", "道路交通", "--reason", "x")
    assert dump(ledger_env) == before


def test_undo_walks_back_one_step_at_a_time(wz: Wz) -> None:
    in_hand(wz)
    undone = wz.json("undo", "1", "--reason", "误点了办结", "--yes")
    assert undone["status"] == "claimed"
    assert (undone["resolved_at"], undone["result"], undone["outcome"]) == (None, None, None)
    assert undone["undone"]["action"] == "resolve"
    assert wz.json("undo", "1", "--yes")["status"] == "assigned"
    again = wz("undo", "1", "--yes").stdout
    assert again.startswith("已撤销 WZ-2026-0001 2026-11-17 10:00 的交办（clerk: 承办人: 王芳")
    assert "现在 WZ-2026-0001 · 待交办" in again
    nothing = wz.fail("undo", "1", "--yes")
    assert nothing.stderr == (
        "错误: WZ-2026-0001 除受理外没有可撤销的操作\n"
        "提示: 受理时写错的内容用 wenzheng amend WZ-2026-0001 更正；"
        "整件不该受理的用 wenzheng withdraw WZ-2026-0001 --reason 撤件\n"
    )
    shown = wz.json("show", "1")
    actions = [e["action"] for e in shown["events"]]
    assert actions == ["intake", "assign", "claim", "resolve", "undo", "undo", "undo"]
    revoked = [e["revokes"] for e in shown["events"] if e["action"] == "undo"]
    assert revoked == [e["id"] for e in reversed(shown["events"][1:4])]
    assert shown["events"][4]["reason"] == "误点了办结"
    timeline = wz("show", "1").stdout
    assert timeline.count("（已撤销）") == 3 and "撤销 2026-11-18 15:00 的办结" in timeline
    assert wz.json("check")["ok"] is True
    # The case goes on from where the undo left it.
    assert wz.json("assign", "1", "--to", "李强", "--at", "2026-11-17 10:30")["handler"] == "李强"


def test_undo_asks_on_a_terminal_and_needs_yes_in_a_script(wz: Wz, ledger_env: Path) -> None:
    in_hand(wz)
    before = dump(ledger_env)
    script = wz.fail("undo", "1", code=2)
    assert script.stderr == (
        "错误: 将撤销 WZ-2026-0001 2026-11-18 15:00 的办结（王芳: 结果: 已更换灯泡）；非终端下须加 --yes 确认\n"
        "提示: wenzheng undo WZ-2026-0001 --yes\n"
    )
    assert dump(ledger_env) == before


@pytest.mark.local  # patches this process's terminal check (remote: tests/test_serve_remote.py)
def test_undo_on_a_terminal_shows_what_goes_and_asks(wz: Wz, ledger_env: Path, monkeypatch: Any) -> None:
    from wenzheng_cli.cli import corrections

    in_hand(wz)
    monkeypatch.setattr(corrections, "interactive", lambda: True)
    before = dump(ledger_env)
    declined = wz("undo", "1", input="n\n", code=1)
    assert "将撤销 WZ-2026-0001 2026-11-18 15:00 的办结（王芳: 结果: 已更换灯泡）" in declined.stderr
    assert dump(ledger_env) == before
    wz("undo", "1", input="y\n")
    assert wz.json("show", "1")["status"] == "claimed"


def test_an_undone_step_may_be_typed_again_with_its_real_date(wz: Wz) -> None:
    """Undone and corrections aside, a later step is checked against the latest step that stands."""
    in_hand(wz)
    wz("undo", "1", "--yes")
    wz("amend", "1", "--category", "道路交通", "--reason", "类别选错")
    redone = wz.json(
        "--operator", "王芳", "resolve", "1", "--result", "已更换灯泡", "--at", "2026-11-17 16:00"
    )
    assert redone["resolved_at"] == "2026-11-17T16:00:00+08:00"
    assert wz.json("check")["ok"] is True


def test_undo_of_a_closing_revisit_reopens_it_for_the_reports(wz: Wz) -> None:
    in_hand(wz)
    wz("--operator", "回访员", "revisit", "1", "--rating", "满意", "--at", "2026-11-19 10:00")
    before = wz.json("report", "weekly", "--week", "2026-11-17")
    assert [c["number"] for c in before["closed"]] == ["WZ-2026-0001"]
    wz("undo", "1", "--yes", "--reason", "回访记错了件")
    after = wz.json("report", "weekly", "--week", "2026-11-17")
    assert after["closed"] == [] and [c["status"] for c in after["resolved"]] == ["resolved"]


def test_rename_merges_a_value_into_another_across_the_cases(wz: Wz, tmp_path: Path) -> None:
    from tests.support.imports import write_csv

    rows = [
        ["工单号", "受理时间", "诉求类别", "诉求内容"],
        ["A1", "2026/11/17 9:00", "堆码物", "楼道堆放杂物"],
        ["A2", "2026/11/17 9:10", "堆码物", "单元门口堆放纸箱"],
        ["A3", "2026/11/17 9:20", "堆码物清理", "车棚堆放旧家具"],
    ]
    wz("import", str(write_csv(tmp_path / "visit.csv", rows)))
    assert "堆码物" in wz.json("config", "show")["categories"]
    merged = wz.json("config", "rename", "category", "堆码物", "堆码物清理")
    assert merged["cases"] == ["WZ-2026-0001", "WZ-2026-0002"]
    assert (merged["kind"], merged["old"], merged["new"]) == ("category", "堆码物", "堆码物清理")
    settings = wz.json("config", "show")
    assert "堆码物" not in settings["categories"] and "堆码物清理" in settings["categories"]
    assert {c["category"] for c in wz.json("list")} == {"堆码物清理"}
    event = wz.json("show", "1")["events"][-1]
    assert (event["action"], event["changes"]) == (
        "amend",
        {"category": {"old": "堆码物", "new": "堆码物清理"}},
    )
    assert event["reason"] == "类别「堆码物」并入「堆码物清理」"
    monthly = wz.json("report", "monthly", "--month", "2026-11", "--by", "category")
    assert monthly["top_categories"][0] == {"category": "堆码物清理", "received": 3, "share": 1.0}
    assert wz.json("check")["ok"] is True


def test_rename_refusals_change_nothing(wz: Wz, ledger_env: Path) -> None:
    wz(*INTAKE)
    before = dump(ledger_env)
    missing = wz.fail("config", "rename", "category", "市政设施", "路灯")
    assert missing.stderr == (
        "错误: 类别「路灯」不存在，只能并入已有的类别\n提示: 确要新设，先运行 wenzheng config add categories 路灯\n"
    )
    unknown = wz.fail("config", "rename", "category", "市政", "道路交通")
    assert unknown.stderr.startswith("错误: 类别「市政」不在列表中，也没有案件使用\n提示: 是否指 市政设施？")
    wz.fail("config", "rename", "category", "市政设施", "市政设施")
    wrong = wz.fail("config", "rename", "levels", "社区", "街道")
    assert wrong.stderr.startswith("错误: 不能改名「levels」\n提示: 可改名的列表: category、channel、nature")
    assert dump(ledger_env) == before


def test_rename_moves_the_time_limit_of_the_merged_category(wz: Wz) -> None:
    wz("config", "add", "categories", "供暖")
    wz("config", "set", "span.by_category", '{"供暖": "24h"}')
    wz("intake", "暖气不热", "--category", "供暖")
    wz("config", "rename", "category", "供暖", "水电暖气燃气")
    assert wz.json("config", "show")["span.by_category"] == {"水电暖气燃气": "24h"}
    assert wz.json("show", "1")["category"] == "水电暖气燃气"


def test_the_words_clerks_try_lead_to_amend_and_undo(ledger_env: Path) -> None:
    from tests.test_entry import run

    for word, command in (("edit", "amend"), ("修改", "amend"), ("revert", "undo"), ("撤销", "undo")):
        done = run(word, "1")
        assert done.returncode == 2
        assert done.stderr.splitlines()[1].startswith(f"提示: 是否指 {command}"), done.stderr
