"""Nothing an export gives is lost: keys within a source, later facts on known cases, replies read for what they
say, the columns platforms use, values for a whole file, numbers in received order."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.cli import Wz
from tests.support.imports import assert_cases_are_folds, count_cases, result, write_csv

pytestmark = pytest.mark.contract


def _csv(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_key_reused_by_another_file_is_another_case(wz: Wz, tmp_path: Path, ledger_env: Path) -> None:
    """Finding 1: the second complaint under id 1 used to be skipped as "already in the ledger"."""
    a = _csv(tmp_path, "a.csv", "id,受理时间,诉求内容\n1,2024-05-01,路灯不亮\n")
    b = _csv(tmp_path, "b.csv", "id,受理时间,诉求内容\n1,2024-06-10,下水道堵塞\n")
    assert wz.json("import", str(a)) == result(imported=1, rows=1)
    message = "id「1」与台账中的 WZ-2024-0001 相同，但其他内容不同：作为新的一件导入，本行标为疑似重复"
    assert wz.json("import", str(b)) == result(
        imported=1,
        rows=1,
        same_key=1,
        duplicates_flagged=1,
        warnings=[{"file": "b.csv", "row": 2, "column": "id", "message": message}],
    )
    flagged = wz.json("list", "--duplicates")
    assert [(c["description"], c["twins"]) for c in flagged] == [
        ("下水道堵塞", [{"number": "WZ-2024-0001", "status": "registered", "reason": "key", "score": 100.0}])
    ]
    # Both files again: nothing new, nothing lost.
    assert wz.json("import", str(a), str(b)) == result(skipped_existing=2, rows=2)
    assert count_cases(ledger_env) == 2
    assert assert_cases_are_folds(ledger_env) == 2


def test_keys_are_unique_within_a_source_never_across(wz: Wz, tmp_path: Path) -> None:
    hotline = _csv(tmp_path, "h.csv", "工单号,受理时间,诉求内容\n7,2026-11-02,路灯不亮\n")
    board = _csv(tmp_path, "m.csv", "工单号,受理时间,诉求内容\n7,2026-11-03,井盖缺失\n")
    assert wz.json("import", str(hotline), "--source", "12345")["imported"] == 1
    report = wz.json("import", str(board), "--source", "留言板")
    assert (report["imported"], report["same_key"], report["duplicates_flagged"]) == (1, 0, 0)
    keys = {
        c["description"]: c["events"][0]["source_key"] for c in (wz.json("show", "1"), wz.json("show", "2"))
    }
    assert keys == {"路灯不亮": "12345:7", "井盖缺失": "留言板:7"}
    # The same source again, more columns or fewer: the same cases (the category it adds fills the empty one).
    again = _csv(tmp_path, "h2.csv", "工单号,受理时间,诉求内容,诉求类别\n7,2026-11-02,路灯不亮,市政设施\n")
    assert wz.json("import", str(again), "--source", "12345")["updated"] == 1
    assert wz.json("show", "1")["category"] == "市政设施"


def test_a_later_export_brings_replies_units_and_conclusions(
    wz: Wz, tmp_path: Path, ledger_env: Path
) -> None:
    """Finding 2: a known key's new facts become events at their own business time (``updated``)."""
    first = write_csv(
        tmp_path / "week1.csv",
        [
            ["工单号", "受理时间", "诉求内容"],
            ["A1", "2026/11/2 9:00", "路灯不亮"],
            ["A2", "2026/11/3 9:00", "井盖缺失"],
            ["A3", "2026/11/4 9:00", "噪音扰民"],
            ["A4", "2026/11/5 9:00", "楼道堆物"],
        ],
    )
    assert wz.json("import", str(first))["imported"] == 4
    wz("assign", "3", "--to", "王芳", "--at", "2026-11-12 10:00")  # a clerk took A3 on meanwhile
    later = write_csv(
        tmp_path / "week3.csv",
        [
            ["工单号", "受理时间", "诉求内容", "承办单位", "答复意见", "答复时间", "办结时间", "办理状态"],
            ["A1", "2026/11/2 9:00", "路灯不亮", "城管科", "已更换灯具", "2026/11/6 15:00", "", "已办结"],
            ["A2", "2026/11/3 9:00", "井盖缺失", "市政所", "", "", "", "办理中"],
            ["A3", "2026/11/4 9:00", "噪音扰民", "", "已协调停工", "2026/11/10 9:00", "", ""],
            ["A4", "2026/11/5 9:00", "楼道堆物", "", "", "", "2026/11/9 17:00", "已办结"],
            ["A5", "2026/11/6 9:00", "新的一件", "", "", "", "", ""],
        ],
    )
    report = wz.json("import", str(later))
    moved = "WZ-2026-0003 的办结时间 2026-11-10 09:00 早于该件最近一次办理，按 2026-11-12 10:00 记录"
    assert report == result(
        imported=1,
        updated=4,
        rows=5,
        warnings=[{"file": "week3.csv", "row": 4, "column": "", "message": moved}],
    )
    one, two, three, four = (wz.json("show", str(n)) for n in (1, 2, 3, 4))
    assert [(e["action"], e["at"][:16]) for e in one["events"]] == [
        ("intake", "2026-11-02T09:00"),
        ("assign", "2026-11-02T09:00"),
        ("resolve", "2026-11-06T15:00"),
    ]
    assert (one["status"], one["unit"], one["result"], one["outcome"]) == (
        "resolved",
        "城管科",
        "已更换灯具",
        "solved",
    )
    assert (two["status"], two["unit"]) == ("assigned", "市政所")
    assert (three["status"], three["handler"], three["resolved_at"]) == (
        "resolved",
        "王芳",
        "2026-11-12T10:00:00+08:00",
    )
    assert (four["status"], four["resolved_at"], four["result"]) == (
        "resolved",
        "2026-11-09T17:00:00+08:00",
        None,
    )
    assert assert_cases_are_folds(ledger_env) == 5
    # Again: the facts are on record; nothing is added twice.
    assert wz.json("import", str(later)) == result(skipped_existing=5, rows=5)
    assert wz.json("check")["ok"] is True


def test_two_exports_of_one_platform_in_one_import(wz: Wz, tmp_path: Path, ledger_env: Path) -> None:
    messages = write_csv(
        tmp_path / "m.csv", [["留言编号", "留言时间", "留言详情"], ["9", "2026/11/2 9:00", "路灯不亮"]]
    )
    replies = write_csv(
        tmp_path / "r.csv",
        [
            ["留言编号", "留言时间", "留言详情", "答复意见", "答复时间"],
            ["9", "2026/11/2", "路灯不亮", "已修复", "2026/11/5"],
        ],
    )
    report = wz.json("import", str(messages), str(replies))
    assert (report["imported"], report["updated"], report["resolved"]) == (1, 1, 1)
    assert wz.json("show", "1")["result"] == "已修复"
    assert assert_cases_are_folds(ledger_env) == 1


def test_replies_are_read_for_what_they_say(wz: Wz, tmp_path: Path, ledger_env: Path) -> None:
    """Findings 7 and 9: an empty-like reply is none; a reply without a time is kept with a warning, the row
    imported; an acknowledgement (已收悉, a bare date) is noted at its time and does not resolve the case."""
    rows = [
        ["受理时间", "诉求内容", "答复意见", "答复时间"],
        ["2026/11/2 9:00", "路灯不亮", "无", ""],
        ["2026/11/2 9:10", "井盖缺失", "-", "2026/11/3"],
        ["2026/11/2 9:20", "噪音扰民", "已协调停工", ""],
        ["2026/11/2 9:30", "楼道堆物", "您好！留言已收悉", "2026/11/4 8:00"],
        ["2026/11/2 9:40", "垃圾清运", "2016年6月12日", "2026/11/4 8:00"],
        ["2026/11/2 9:50", "暖气不热", "经核实已维修，现已恢复供暖。", "2026/11/5 8:00"],
    ]
    report = wz.json("import", str(write_csv(tmp_path / "r.csv", rows)))
    assert (report["imported"], report["invalid"], report["resolved"]) == (6, 0, 1)
    assert report["warnings"] == [
        {
            "file": "r.csv",
            "row": 3,
            "column": "答复时间",
            "message": "有答复时间但没有答复意见：答复时间随案保存（附加信息）",
        },
        {
            "file": "r.csv",
            "row": 4,
            "column": "答复意见",
            "message": "有答复意见但没有答复时间：答复随案保存（附加信息），未记为办结",
        },
    ]
    cases = [wz.json("show", str(n)) for n in range(1, 7)]
    assert [c["status"] for c in cases] == ["registered"] * 5 + ["resolved"]
    assert "extra" not in cases[0]["events"][0]
    assert json.loads(cases[1]["events"][0]["extra"]) == {"答复时间": "2026-11-03T00:00:00+08:00"}
    assert json.loads(cases[2]["events"][0]["extra"]) == {"答复意见": "已协调停工"}
    notes = [c["events"][1] for c in cases[3:5]]
    assert [(e["action"], e["at"], e["text"], e["acknowledgement"]) for e in notes] == [
        ("note", "2026-11-04T08:00:00+08:00", "您好！留言已收悉", True),
        ("note", "2026-11-04T08:00:00+08:00", "2016年6月12日", True),
    ]
    assert (cases[5]["outcome"], cases[5]["events"][1]["feedback"]) == ("solved", "留言板答复")
    assert assert_cases_are_folds(ledger_env) == 6
    assert wz.json("report", "monthly", "--month", "2026-11")["rates"]["completion_rate"] == 0.1667


def test_the_columns_platforms_use(wz: Wz, tmp_path: Path, ledger_env: Path) -> None:
    """Findings 6 and 10: 诉求件内容/投诉件内容 and any *内容/详情/描述 column are the text; 承办单位/受理单位 the
    unit; taxonomy values match whatever their case."""
    wz("config", "add", "channels", "QQ")
    rows = [
        ["工单编号", "受理日期", "标题", "诉求件内容", "受理单位", "渠道"],
        ["1", "2026/11/2", "路灯", "3号楼门口路灯不亮一周了", "城管科", "qq"],
        ["2", "2026/11/3", "井盖", "", "", "Qq"],
    ]
    report = wz.json("import", str(write_csv(tmp_path / "p.csv", rows)))
    assert (report["imported"], report["new_values"], report["unknown_columns"]) == (2, {}, {})
    assert report["warnings"] == [
        {"file": "p.csv", "row": None, "column": "", "message": "有 1 行诉求内容为空，用标题代替诉求内容"}
    ]
    one, two = wz.json("show", "1"), wz.json("show", "2")
    assert (one["description"], one["events"][0]["title"], one["unit"], one["channel"]) == (
        "3号楼门口路灯不亮一周了",
        "路灯",
        "城管科",
        "QQ",
    )
    assert (two["description"], two["channel"]) == ("井盖", "QQ")
    complaint = [["受理时间", "投诉件内容"], ["2026/11/4", "夜间施工扰民"]]
    assert (
        wz.json(
            "show", str(wz.json("import", str(write_csv(tmp_path / "c.csv", complaint)))["imported"] + 2)
        )["description"]
        == "夜间施工扰民"
    )
    named = [["受理时间", "事件详情", "备注"], ["2026/11/5", "电梯故障困人", "已报修"]]
    out = wz("import", str(write_csv(tmp_path / "d.csv", named))).stdout
    assert "把「事件详情」作为诉求内容" in out
    assert wz.json("show", "4")["description"] == "电梯故障困人"
    titled = [["受理时间", "标题"], ["2026/11/6", "楼道灯坏了"]]
    warned = wz.json("import", str(write_csv(tmp_path / "t.csv", titled)))["warnings"]
    assert (
        warned[0]["row"] is None and "没有诉求内容列，用「标题」（标题）代替诉求内容" in warned[0]["message"]
    )
    assert assert_cases_are_folds(ledger_env) == 5


def test_values_for_a_whole_file(wz: Wz, tmp_path: Path, ledger_env: Path) -> None:
    """Finding 8's "no date column" and finding 10's file-wide values: --at, --channel, --community, --grid,
    --activity fill what a row lacks."""
    activity = wz.json("activity", "add", "11月17日问政日", "--at", "2026-11-17 9:00")["id"]
    notes = [["居民姓名", "诉求内容", "社区"], ["张三", "路灯不亮", ""], ["李四", "井盖缺失", "清河"]]
    path = write_csv(tmp_path / "notes.csv", notes)
    refused = wz.fail("import", str(path))
    assert "找不到受理时间列" in refused.stderr and "--at" in refused.stderr
    args = ["--at", "2026-11-17", "--channel", "走访", "--community", "杨柳", "--grid", "一网格"]
    report = wz.json("import", str(path), *args, "--activity", str(activity))
    assert report["imported"] == 2
    cases = [wz.json("show", str(n)) for n in (1, 2)]
    assert [(c["received_at"], c["channel"], c["community"], c["grid"]) for c in cases] == [
        ("2026-11-17T00:00:00+08:00", "走访", "杨柳", "一网格"),
        ("2026-11-17T00:00:00+08:00", "走访", "清河", "一网格"),
    ]
    assert [a["items"] for a in wz.json("activity", "list")] == [2]
    assert wz.json("import", str(path), *args)["skipped_existing"] == 2
    assert assert_cases_are_folds(ledger_env) == 2


def test_case_numbers_follow_the_received_order(wz: Wz, tmp_path: Path) -> None:
    """Finding 11: an export newest first is numbered oldest first."""
    rows = [
        ["受理时间", "诉求内容"],
        ["2026/11/20 9:00", "第三件"],
        ["2026/11/18 9:00", "第二件"],
        ["2025/12/30 9:00", "去年的"],
        ["2026/11/2 9:00", "第一件"],
    ]
    wz("intake", "柜台受理", "--at", "2026-11-01 9:00")
    wz.json("import", str(write_csv(tmp_path / "newest-first.csv", rows)))
    numbers = {c["description"]: c["number"] for c in wz.json("list", "--since", "2025-01-01")}
    assert numbers == {
        "柜台受理": "WZ-2026-0001",
        "第一件": "WZ-2026-0002",
        "第二件": "WZ-2026-0003",
        "第三件": "WZ-2026-0004",
        "去年的": "WZ-2025-0001",
    }


def test_numbers_in_received_order_whether_the_rows_come_in_order_or_not(wz: Wz, tmp_path: Path) -> None:
    """Rows in received order are read straight through; a second file that goes back in time makes the
    import read them by received time instead. Both number the cases alike, from each year's last number."""
    wz("intake", "柜台受理", "--at", "2026-11-01 9:00")
    in_order = [
        ["受理时间", "诉求内容"],
        ["2025/12/30 9:00", "甲"],
        ["2026/11/2 9:00", "乙"],
        ["2026/11/3 9:00", "丙"],
    ]
    wz.json("import", str(write_csv(tmp_path / "a.csv", in_order)))
    back = [["受理时间", "诉求内容"], ["2026/11/5 9:00", "戊"], ["2026/11/4 9:00", "丁"]]
    later = [["受理时间", "诉求内容"], ["2026/11/6 9:00", "己"]]
    wz.json("import", str(write_csv(tmp_path / "b.csv", later)), str(write_csv(tmp_path / "c.csv", back)))
    numbers = {c["description"]: c["number"] for c in wz.json("list", "--since", "2025-01-01")}
    assert numbers == {
        "甲": "WZ-2025-0001",
        "柜台受理": "WZ-2026-0001",
        "乙": "WZ-2026-0002",
        "丙": "WZ-2026-0003",
        "丁": "WZ-2026-0004",
        "戊": "WZ-2026-0005",
        "己": "WZ-2026-0006",
    }


def test_cases_typed_after_an_import_are_found_by_search(wz: Wz, tmp_path: Path) -> None:
    """An import sets the search index's trigger aside while it writes and puts it back, also when it is
    rolled back: a case typed afterwards is found like the imported ones."""
    path = write_csv(tmp_path / "a.csv", [["受理时间", "诉求内容"], ["2026/11/2 9:00", "小区路灯不亮"]])
    wz.json("import", str(path), "--dry-run")
    wz("intake", "楼道路灯坏了", "--at", "2026-11-03 9:00")
    wz.json("import", str(path))
    wz("intake", "路灯杆倾斜", "--at", "2026-11-04 9:00")
    found = {c["description"] for c in wz.json("list", "--search", "路灯")}
    assert found == {"小区路灯不亮", "楼道路灯坏了", "路灯杆倾斜"}
