"""Several cases per command, 实名认领 and 挂牌督办, through the CLI."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tests.support.cli import Wz

pytestmark = pytest.mark.contract


def case_rows(db: Path, numbers: list[str]) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(db)
    marks = ", ".join("?" for _ in numbers)
    rows = list(conn.execute(f"SELECT * FROM cases WHERE number IN ({marks}) ORDER BY pk", numbers))
    rows += list(
        conn.execute(
            f"SELECT e.* FROM events e JOIN cases c ON c.id = e.case_id WHERE c.number IN ({marks}) ORDER BY seq",
            numbers,
        )
    )
    conn.close()
    return rows


def resolved_cases(wz: Wz, count: int) -> None:
    for i in range(count):
        wz("intake", f"问政日现场诉求{i + 1}", "--at", "2026-11-17 9:00")
        wz("assign", str(i + 1), "--unit", "城管科", "--at", "2026-11-17 10:00")
        wz("--operator", "王芳", "resolve", str(i + 1), "--result", "已处理", "--at", "2026-11-18 10:00")


def test_revisit_several_cases_in_one_command(wz: Wz) -> None:
    resolved_cases(wz, 3)
    out = wz("--operator", "张敏", "revisit", "1", "2", "WZ-2026-0003", "--rating", "满意").stdout
    assert out.splitlines() == [f"已销账 WZ-2026-000{i} · 已销账 · 承办: 城管科" for i in (1, 2, 3)]
    assert {c["status"] for c in wz.json("list")} == {"closed"}


def test_a_refused_case_changes_nothing_of_its_own_and_does_not_stop_the_others(
    wz: Wz, ledger_env: Path
) -> None:
    resolved_cases(wz, 3)
    wz("intake", "暖气不热", "--at", "2026-11-17 9:30")  # 4: not resolved, cannot be revisited
    untouched = case_rows(ledger_env, ["WZ-2026-0004"])
    result = wz.fail("--operator", "张敏", "revisit", "1", "4", "2", "99", "--rating", "满意", "--json")
    assert untouched == case_rows(ledger_env, ["WZ-2026-0004"])
    rows = json.loads(result.stdout)
    assert [(r["number"], r["ok"]) for r in rows] == [
        ("WZ-2026-0001", True),
        ("WZ-2026-0004", False),
        ("WZ-2026-0002", True),
        ("WZ-2026-0099", False),
    ]
    assert rows[0]["case"]["status"] == "closed" and rows[2]["case"]["status"] == "closed"
    assert rows[1] == {
        "number": "WZ-2026-0004",
        "ok": False,
        "error": "WZ-2026-0004 当前状态为「待交办」(registered)，不能回访(revisit)",
        "hint": "WZ-2026-0004 现在可以: 交办(assign)、进展(note)、督办(supervise)、撤件(withdraw)",
    }
    assert result.stderr == (
        "错误: WZ-2026-0004 当前状态为「待交办」(registered)，不能回访(revisit)\n"
        "提示: WZ-2026-0004 现在可以: 交办(assign)、进展(note)、督办(supervise)、撤件(withdraw)\n"
        "错误: 找不到案件 WZ-2026-0099\n"
        "提示: 用 wenzheng list 查看案件编号；只写序号时指本年度的案件\n"
        "错误: 4 件中 2 件未办理（WZ-2026-0004、WZ-2026-0099），其余 2 件已办理\n"
        "提示: 未办理的原因见上；改正后只需对这几件重新执行\n"
    )
    assert wz.json("show", "3")["status"] == "resolved"  # not named: untouched
    assert wz.json("check")["ok"] is True


def test_one_case_answers_as_before(wz: Wz) -> None:
    resolved_cases(wz, 1)
    case = wz.json("--operator", "张敏", "revisit", "1", "--rating", "满意")
    assert case["number"] == "WZ-2026-0001" and case["status"] == "closed"
    refused = wz.fail("--operator", "张敏", "revisit", "1", "--rating", "满意")
    assert refused.stderr.startswith("错误: WZ-2026-0001 当前状态为「已销账」(closed)，不能回访(revisit)\n")


def test_input_refused_for_every_case_is_said_once_and_nothing_changes(wz: Wz, ledger_env: Path) -> None:
    resolved_cases(wz, 2)
    before = case_rows(ledger_env, ["WZ-2026-0001", "WZ-2026-0002"])
    bad = wz.fail("--operator", "张敏", "revisit", "1", "2", "--rating", "很好")
    assert bad.stderr.count("错误:") == 1 and "评价「很好」无法识别" in bad.stderr
    assert before == case_rows(ledger_env, ["WZ-2026-0001", "WZ-2026-0002"])


def test_assign_resolve_supervise_withdraw_take_several_cases(wz: Wz) -> None:
    for text in ("路灯不亮", "井盖松动", "雨水井堵塞", "重复反映路灯"):
        wz("intake", text)
    assigned = wz.json("assign", "1", "2", "3", "--to", "王芳", "--within", "3wd")
    assert [r["case"]["handler"] for r in assigned] == ["王芳", "王芳", "王芳"]
    assert [r["case"]["status"] for r in wz.json("--operator", "王芳", "claim", "1", "2")] == [
        "claimed",
        "claimed",
    ]
    resolved = wz.json("--operator", "王芳", "resolve", "1", "2", "--result", "已维修")
    assert [r["case"]["result"] for r in resolved] == ["已维修", "已维修"]
    assert [r["ok"] for r in wz.json("supervise", "3", "4", "--reason", "超期", "--listed")] == [True, True]
    withdrawn = json.loads(wz("withdraw", "4", "1", "--duplicate-of", "3", "--json", code=1).stdout)
    assert [(r["number"], r["ok"]) for r in withdrawn] == [("WZ-2026-0004", True), ("WZ-2026-0001", False)]
    # The same case named twice is done once.
    assert [r["case"]["handler"] for r in wz.json("assign", "3", "WZ-2026-0003", "--to", "李强")] == ["李强"]


def test_claim_is_by_name(wz: Wz, ledger_env: Path) -> None:
    wz("intake", "路灯不亮")
    wz("assign", "1", "--to", "孙伟", "--unit", "城管科")
    before = case_rows(ledger_env, ["WZ-2026-0001"])
    refused = wz.fail("--operator", "王五", "claim", "1")
    assert refused.stderr == (
        "错误: WZ-2026-0001 已交办给 孙伟，须由 孙伟 本人认领（实名认领）\n"
        "提示: 由本人认领: wenzheng --operator 孙伟 claim WZ-2026-0001；"
        "改由 王五 办理请先转办: wenzheng assign WZ-2026-0001 --to 王五\n"
    )
    assert before == case_rows(ledger_env, ["WZ-2026-0001"])
    assert wz.json("--operator", "孙伟", "claim", "1")["handler"] == "孙伟"


def test_claiming_a_case_assigned_to_a_unit_names_the_handler(wz: Wz) -> None:
    wz("intake", "路灯不亮")
    wz("assign", "1", "--unit", "城管科")
    claimed = wz.json("--operator", "王五", "claim", "1")
    assert (claimed["handler"], claimed["unit"], claimed["status"]) == ("王五", "城管科", "claimed")
    assert wz.json("show", "1")["events"][-1]["handler"] == "王五"
    assert wz("list").stdout.count("王五（城管科）") == 1
    # Taken back, the case is the unit's again.
    assert wz.json("undo", "1", "--yes")["handler"] is None
    assert wz.json("check")["ok"] is True


def test_listed_supervision_is_told_apart(wz: Wz) -> None:
    for text in ("路灯不亮", "井盖松动", "噪音扰民"):
        wz("intake", text)
    assert wz.json("supervise", "1", "--reason", "超期未办结")["listed"] is False
    listed = wz.json("supervise", "2", "--reason", "群众多次反映", "--listed")
    assert (listed["supervised"], listed["listed"]) == (True, True)
    # Listing a case that was supervised already.
    assert wz.json("supervise", "1", "--reason", "仍未办结", "--listed")["listed"] is True
    wz("supervise", "3", "--reason", "超期")
    assert [c["number"] for c in wz.json("list", "--supervised")] == [
        "WZ-2026-0003",
        "WZ-2026-0002",
        "WZ-2026-0001",
    ]
    table = wz("list", "--supervised").stdout
    assert "待交办·挂牌" in table and "待交办·督" in table
    shown = wz("show", "2").stdout
    assert re.search(r"^督办 +挂牌督办", shown, re.M) and "挂牌督办；理由: 群众多次反映" in shown
    assert re.search(r"^督办 +督办 *$", wz("show", "3").stdout, re.M)
