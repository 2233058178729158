"""The closed loop at the counter, asserted through the CLI with exact JSON."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.cli import Wz

pytestmark = pytest.mark.contract


def base_case(**changes: Any) -> dict[str, Any]:
    case: dict[str, Any] = {
        "number": "WZ-2026-0001",
        "status": "registered",
        "received_at": "2026-11-17T09:30:00+08:00",
        "channel": "走访",
        "category": "堆码物清理",
        "nature": "投诉",
        "description": "3号楼楼道堆放杂物，影响通行",
        "resident": "李**",
        "phone": "138****5678",
        "address": "杨柳小区3号楼2单元",
        "community": "杨柳",
        "grid": "一网格",
        "handler": None,
        "unit": None,
        "level": None,
        "due_at": None,
        "difficulty": 2,
        "round": 1,
        "supervised": False,
        "listed": False,
        "resolved_at": None,
        "outcome": None,
        "result": None,
        "rating": None,
        "closed_at": None,
        "category_suggested": False,
        "office": "WZ",
        "history": False,
        "reply_flags": [],
    }
    case.update(changes)
    return case


def without_id(data: dict[str, Any]) -> dict[str, Any]:
    assert len(data["id"]) == 26
    return {k: v for k, v in data.items() if k != "id"}


INTAKE = [
    "intake",
    "3号楼楼道堆放杂物，影响通行",
    "--resident",
    "李桂兰",
    "--phone",
    "13812345678",
    "--address",
    "杨柳小区3号楼2单元",
    "--community",
    "杨柳",
    "--grid",
    "一网格",
    "--channel",
    "走访",
    "--category",
    "堆码物清理",
    "--nature",
    "投诉",
    "--difficulty",
    "2",
    "--at",
    "2026-11-17 9:30",
]


def test_full_loop_with_exact_json(wz: Wz) -> None:
    wz("init", "--office", "WZ", "--name", "杨柳社区")
    created = wz.json(*INTAKE)
    assert without_id(created) == base_case()

    assigned = wz.json(
        "assign", "1", "--to", "王芳", "--unit", "城管科", "--within", "5wd", "--at", "2026-11-17 10:00"
    )
    # Tuesday 11-17 + 5 working days, the start day not counted → end of Tuesday 11-24.
    expected = base_case(
        status="assigned", handler="王芳", unit="城管科", level="社区", due_at="2026-11-24T23:59:59+08:00"
    )
    assert without_id(assigned) == expected

    claimed = wz.json("--operator", "王芳", "claim", "WZ-2026-0001", "--at", "2026-11-17 14:00")
    assert without_id(claimed) == {**expected, "status": "claimed"}

    resolved = wz.json(
        "--operator",
        "王芳",
        "resolve",
        "2026-1",
        "--result",
        "已清理楼道杂物",
        "--outcome",
        "已解决",
        "--feedback",
        "电话",
        "--at",
        "2026-11-19 16:00",
    )
    done = {
        **expected,
        "status": "resolved",
        "resolved_at": "2026-11-19T16:00:00+08:00",
        "outcome": "solved",
        "result": "已清理楼道杂物",
        "reply_flags": ["too_short"],  # a short result is judged, never refused (tests/test_reply_flags.py)
    }
    assert without_id(resolved) == done

    closed = wz.json(
        "--operator", "张敏", "revisit", "1", "--rating", "满意", "--method", "电话", "--at", "2026-11-20"
    )
    assert without_id(closed) == {
        **done,
        "status": "closed",
        "rating": "satisfied",
        "closed_at": "2026-11-20T10:00:00+08:00",  # a date alone: that day at the time of day now
    }

    shown = wz.json("show", "1")
    assert [e["action"] for e in shown["events"]] == ["intake", "assign", "claim", "resolve", "revisit"]
    assert [e["actor"] for e in shown["events"]] == ["clerk", "clerk", "王芳", "王芳", "张敏"]
    assert shown["events"][0]["phone"] == "138****5678"
    assert shown["events"][4]["effect"] == "closed"


def test_show_pii_reveals_name_and_phone(wz: Wz) -> None:
    wz(*INTAKE)
    data = wz.json("show", "1", "--show-pii")
    assert (data["resident"], data["phone"]) == ("李桂兰", "13812345678")
    listed = wz.json("list")
    assert (listed[0]["resident"], listed[0]["phone"]) == ("李**", "138****5678")
    table = wz("list").stdout
    assert "李桂兰" not in table and "李**" in table


def test_dissatisfied_revisit_reopens_to_same_handler(wz: Wz) -> None:
    wz(*INTAKE)
    wz("assign", "1", "--to", "王芳", "--at", "2026-11-17 10:00")
    wz("resolve", "1", "--result", "已协调", "--at", "2026-11-18 10:00", "--operator", "王芳")
    again = wz.json(
        "revisit", "1", "--rating", "不满意", "--comment", "杂物又堆上了", "--at", "2026-11-19 10:00"
    )
    assert again["status"] == "assigned"
    assert again["round"] == 2
    assert again["handler"] == "王芳"
    assert again["rating"] == "dissatisfied"
    assert again["resolved_at"] is None and again["closed_at"] is None
    # A fresh default span (5 working days) from the revisit on Thursday 11-19 → Thursday 11-26.
    assert again["due_at"] == "2026-11-26T23:59:59+08:00"
    wz("resolve", "1", "--result", "已彻底清理", "--at", "2026-11-20 10:00", "--operator", "王芳")
    closed = wz.json("revisit", "1", "--rating", "very_satisfied", "--at", "2026-11-21 10:00")
    assert (closed["status"], closed["round"], closed["rating"]) == ("closed", 2, "very_satisfied")


def test_unreachable_leaves_it_resolved(wz: Wz) -> None:
    wz(*INTAKE)
    wz("assign", "1", "--to", "王芳", "--at", "2026-11-17 10:00")
    wz("resolve", "1", "--result", "已清理", "--at", "2026-11-18 10:00", "--operator", "王芳")
    data = wz.json("revisit", "1", "--rating", "未联系上", "--at", "2026-11-19 10:00")
    assert (data["status"], data["rating"], data["closed_at"]) == ("resolved", "unreachable", None)


def test_revisit_by_the_resolver_is_refused_unless_configured(wz: Wz) -> None:
    wz(*INTAKE)
    wz("assign", "1", "--to", "王芳", "--at", "2026-11-17 10:00")
    wz("resolve", "1", "--result", "已清理", "--at", "2026-11-18 10:00")
    refused = wz.fail("revisit", "1", "--rating", "满意")
    assert "回访应由其他人进行" in refused.stderr
    assert "提示:" in refused.stderr
    assert wz.json("show", "1")["status"] == "resolved"
    wz("config", "set", "revisit.allow_resolver", "true")
    assert wz.json("revisit", "1", "--rating", "满意")["status"] == "closed"


def test_on_site_resolution_at_intake(wz: Wz) -> None:
    data = wz.json("intake", "咨询低保申请材料", "--on-site", "已当场告知所需材料", "--at", "2026-11-17 9:00")
    assert data["status"] == "resolved"
    assert data["resolved_at"] == "2026-11-17T09:00:00+08:00"
    assert (data["outcome"], data["result"], data["level"]) == ("solved", "已当场告知所需材料", "社区")


def test_refused_action_names_status_and_what_is_allowed(wz: Wz) -> None:
    wz(*INTAKE)
    refused = wz.fail("resolve", "1", "--result", "x")
    lines = refused.stderr.strip().splitlines()
    assert lines[0] == "错误: WZ-2026-0001 当前状态为「待交办」(registered)，不能办结(resolve)"
    assert lines[1].startswith("提示: WZ-2026-0001 现在可以: 交办(assign)")
    assert "撤件(withdraw)" in lines[1]
    assert len(lines) == 2


def test_return_escalate_extend_supervise_note(wz: Wz) -> None:
    wz(*INTAKE)
    wz("assign", "1", "--to", "王芳", "--level", "网格", "--at", "2026-11-17 10:00")
    back = wz.json("return", "1", "--reason", "不属网格职责", "--at", "2026-11-17 11:00")
    assert (back["status"], back["handler"], back["due_at"]) == ("registered", None, None)
    wz(
        "assign",
        "1",
        "--unit",
        "物业公司",
        "--level",
        "社区",
        "--due",
        "2026-11-20",
        "--at",
        "2026-11-17 12:00",
    )
    up = wz.json(
        "escalate",
        "1",
        "--level",
        "街道",
        "--unit",
        "街道城管办",
        "--reason",
        "涉及多部门",
        "--at",
        "2026-11-18",
    )
    assert (up["status"], up["level"], up["unit"], up["handler"]) == ("assigned", "街道", "街道城管办", None)
    assert up["due_at"] == "2026-11-20T23:59:59+08:00"
    lower = wz.fail("escalate", "1", "--level", "社区", "--reason", "x")
    assert "更高层级" in lower.stderr and "区" in lower.stderr
    later = wz.json("extend", "1", "--within", "3wd", "--reason", "等待配件", "--at", "2026-11-19")
    assert later["due_at"] == "2026-11-25T23:59:59+08:00"  # three working days after Friday 11-20
    earlier = wz.fail("extend", "1", "--due", "2026-11-21", "--reason", "x", "--at", "2026-11-19 12:00")
    assert "不晚于现有时限" in earlier.stderr
    assert wz.json("supervise", "1", "--reason", "群众多次反映", "--listed")["supervised"] is True
    wz("note", "1", "已联系施工队")
    events = wz.json("show", "1")["events"]
    assert [e["action"] for e in events] == [
        "intake",
        "assign",
        "return",
        "assign",
        "escalate",
        "extend",
        "supervise",
        "note",
    ]
    assert events[5]["previous_due_at"] == "2026-11-20T23:59:59+08:00"
    assert events[6]["kind"] == "挂牌督办"
    assert events[7]["text"] == "已联系施工队"


def test_withdraw_as_duplicate(wz: Wz, make_case: Any) -> None:
    first = make_case("路灯不亮")
    make_case("路灯又不亮了")
    data = wz.json("withdraw", "2", "--duplicate-of", first)
    assert data["status"] == "withdrawn"
    events = wz.json("show", "2")["events"]
    assert events[-1]["duplicate_of"] == first and events[-1]["reason"] == f"与 {first} 重复"
    assert "不能与自身重复" in wz.fail("withdraw", "1", "--duplicate-of", "1").stderr
    assert "已撤销" in wz.fail("assign", "2", "--to", "x").stderr


def test_case_numbers_full_short_and_wrong(wz: Wz, make_case: Any) -> None:
    wz("init", "--office", "YL")
    assert make_case() == "YL-2026-0001"
    assert wz.json("intake", "去年的件", "--at", "2025-12-30")["number"] == "YL-2025-0001"
    assert make_case() == "YL-2026-0002"
    for ref in ("YL-2026-0002", "yl-2026-2", "2026-0002", "2", "#2"):
        assert wz.json("show", ref)["number"] == "YL-2026-0002"
    assert wz.json("show", "2025-1")["number"] == "YL-2025-0001"
    assert "找不到案件 YL-2026-0099" in wz.fail("show", "99").stderr
    assert "不属于本台账" in wz.fail("show", "XX-2026-0001").stderr
    assert "不是案件编号" in wz.fail("show", "abc").stderr
    assert "不能再改为" in wz.fail("init", "--office", "QH").stderr


def test_business_time_rules(wz: Wz) -> None:
    wz(*INTAKE)
    assert "晚于现在" in wz.fail("assign", "1", "--to", "王芳", "--at", "2026-12-01").stderr
    assert "早于该件上一步" in wz.fail("assign", "1", "--to", "王芳", "--at", "2026-11-16").stderr
    assert "无法识别的日期" in wz.fail("assign", "1", "--to", "王芳", "--at", "2026-13-45").stderr
    # A date without a time is that day at the time of day now (10:00), after the 9:30 intake.
    data = wz.json("assign", "1", "--to", "王芳", "--at", "2026-11-17")
    events = wz.json("show", "1")["events"]
    assert events[1]["at"] == "2026-11-17T10:00:00+08:00"
    assert data["due_at"] == "2026-11-24T23:59:59+08:00"
    assert wz.json("intake", "今天的件", "--at", "今天")["received_at"] == "2026-11-23T10:00:00+08:00"
    assert wz.json("intake", "上周二的件", "--at", "上周二")["received_at"] == "2026-11-17T10:00:00+08:00"


def test_taxonomy_refusals_suggest_the_closest(wz: Wz) -> None:
    refused = wz.fail("intake", "杂物", "--category", "堆码物")
    assert "类别「堆码物」不在" in refused.stderr and "堆码物清理" in refused.stderr
    assert "渠道" in wz.fail("intake", "x", "--channel", "飞鸽传书").stderr
    # Communities are free until the office lists them.
    wz("intake", "x", "--community", "任意社区")
    wz("config", "add", "communities", "杨柳", "清河")
    assert "杨柳" in wz.fail("intake", "x", "--community", "杨柳社").stderr
    wz("intake", "x", "--community", "清河")
    assert "层级" in wz.fail("assign", "1", "--to", "a", "--level", "省").stderr
    assert "评价" in wz.fail("revisit", "1", "--rating", "还行").stderr
    assert "难度" in wz.fail("intake", "x", "--difficulty", "9").stderr
    assert wz.json("list") and len(wz.json("list")) == 2


def test_missing_required_input_without_a_terminal_is_a_usage_error(wz: Wz) -> None:
    assert "缺少诉求内容" in wz.fail("intake", code=2).stderr
    wz("intake", "x")
    assert "承办人或承办单位" in wz.fail("assign", "1", code=2).stderr
    assert "退单理由" in wz.fail("return", "1", code=2).stderr
    assert "--rating" in wz.fail("revisit", "1", code=2).stderr


def test_list_filters_and_search(wz: Wz) -> None:
    wz("intake", "小区路灯坏了三盏", "--community", "杨柳", "--at", "2026-11-10")
    wz("intake", "楼道灯不亮", "--community", "清河", "--at", "2026-11-12")
    wz("intake", "路面破损积水", "--community", "杨柳", "--phone", "13900001234", "--at", "2026-11-16")
    wz("assign", "1", "--to", "王芳", "--due", "2026-11-13", "--at", "2026-11-10")
    wz("assign", "3", "--unit", "城管科", "--at", "2026-11-16")

    def numbers(*args: str) -> list[str]:
        return [c["number"][-1] for c in wz.json("list", *args)]

    assert numbers() == ["3", "2", "1"]
    assert numbers("--search", "路灯") == ["1"]
    assert numbers("--search", "灯") == ["2", "1"]
    assert numbers("--search", "路") == ["3", "1"]
    assert numbers("--search", "灯坏了") == ["1"]
    assert numbers("--search", "1234") == ["3"]
    assert numbers("--search", "没有这个") == []
    assert numbers("--community", "杨柳") == ["3", "1"]
    assert numbers("--status", "assigned") == ["3", "1"]
    assert numbers("--status", "待交办") == ["2"]
    assert numbers("--status", "open") == ["3", "2", "1"]
    assert numbers("--handler", "城管科") == ["3"]
    assert numbers("--overdue") == ["1"]
    assert numbers("--since", "2026-11-11", "--until", "11月12日") == ["2"]
    assert "无法识别" in wz.fail("list", "--status", "whatever").stderr
    table = wz("list", "--overdue").stdout
    assert "逾期" in table and "WZ-2026-0001" in table


def test_read_commands_on_a_missing_ledger_say_how_to_start(wz: Wz, tmp_path: Any) -> None:
    missing = tmp_path / "nope.db"
    refused = wz.fail("--db", str(missing), "list")
    assert "台账文件不存在" in refused.stderr and "wenzheng init" in refused.stderr
    assert not missing.exists()
    assert "目录不存在" in wz.fail("--db", str(tmp_path / "no" / "dir.db"), "init").stderr
    # a writing command makes no ledger either: only init does
    refused = wz.fail("--db", str(missing), "intake", "3号楼路灯不亮")
    assert "台账文件不存在" in refused.stderr and "wenzheng init" in refused.stderr
    assert not missing.exists()


def test_json_error_output_is_still_on_stderr(wz: Wz) -> None:
    wz("init")
    result = wz.fail("show", "5", "--json")
    assert result.stdout == ""  # stdout stays clean for scripts; the message is on stderr
    assert result.stderr.splitlines() == [
        "错误: 找不到案件 WZ-2026-0005",
        "提示: 用 wenzheng list 查看案件编号；只写序号时指本年度的案件",
    ]


@pytest.mark.local  # patches this process's terminal check (remote: tests/test_serve_remote.py)
def test_prompts_on_a_terminal_for_what_is_missing(wz: Wz, monkeypatch: Any) -> None:
    from wenzheng_cli.cli import lifecycle

    monkeypatch.setattr(lifecycle, "interactive", lambda: True)
    result = wz("intake", "--community", "杨柳", input="楼道灯不亮\n市政设施\n")
    assert "诉求内容" in result.stdout and "已受理 WZ-2026-0001" in result.stdout
    data = wz.json("show", "1")
    assert (data["description"], data["category"]) == ("楼道灯不亮", "市政设施")
    wz("assign", "1", input="王芳\n")
    assert wz.json("show", "1")["handler"] == "王芳"


def test_every_command_has_help_with_an_example(wz: Wz) -> None:
    commands = ["init", "intake", "assign", "claim", "return", "escalate", "note", "extend", "supervise"]
    commands += ["resolve", "revisit", "withdraw", "show", "list", "check"]
    for name in commands:
        text = wz(name, "--help").stdout
        assert "例: wenzheng" in text, name
        assert "--json" in text, name
    for group, sub in (("config", "show"), ("config", "set"), ("activity", "add"), ("activity", "list")):
        assert "例: wenzheng" in wz(group, sub, "--help").stdout
