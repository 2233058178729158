"""Possible duplicates of open cases are flagged (not merged), and new taxonomy values join the lists."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.cli import Wz
from tests.support.imports import assert_cases_are_folds, write_csv

pytestmark = pytest.mark.contract

HEADER = ["受理时间", "联系电话", "住址", "诉求类别", "社区", "诉求内容"]


def test_same_phone_address_or_text_within_the_window(wz: Wz, tmp_path: Path, ledger_env: Path) -> None:
    wz("intake", "3号楼楼道堆放杂物，影响通行", "--phone", "13812345678", "--at", "2026-11-10 9:00")  # 1
    wz("intake", "清河家园8号楼绿地堆放建筑垃圾", "--address", "清河家园8号楼", "--category", "堆码物清理",
       "--at", "2026-11-10 9:00")  # fmt: skip  # 2
    wz("intake", "北苑新村井盖缺失，夜间极易发生危险", "--community", "北苑", "--category", "市政设施",
       "--at", "2026-11-12 9:00")  # fmt: skip  # 3
    wz("intake", "已销账的一件", "--phone", "13900000000", "--at", "2026-11-01 9:00")  # 4, then closed
    wz("assign", "4", "--to", "王芳", "--at", "2026-11-01 10:00")
    wz("resolve", "4", "--result", "已处理", "--at", "2026-11-02 10:00", "--operator", "王芳")
    wz("revisit", "4", "--rating", "满意", "--at", "2026-11-03 10:00")
    rows = [
        HEADER,
        ["2026/11/17", "+86 138-1234 5678", "", "", "", "路灯不亮"],  # 5: phone of 1, written otherwise
        ["2026/11/17", "13812345678", "", "", "", "楼道里又堆满了"],  # 6: phone of 1 and 5; 5 is the latest
        ["2026/11/18", "", "清河家园8号楼", "堆码物清理", "", "建筑垃圾还在"],  # 7: address + category of 2
        ["2026/11/18", "", "清河家园8号楼", "环境卫生", "", "垃圾桶太少"],  # 8: same address, other category
        ["2026/11/19", "", "", "市政设施", "北苑", "北苑新村井盖缺失，夜间很容易发生危险"],  # 9: text of 3
        [
            "2026/11/19",
            "",
            "",
            "市政设施",
            "清河",
            "北苑新村井盖缺失，夜间极易发生危险",
        ],  # 10: other community
        ["2026/11/19", "13900000000", "", "", "", "又来反映"],  # 11: phone of a closed case
        ["2026/9/1", "13812345678", "", "", "", "两个多月前的事"],  # 12: phone of 1, outside 30 days
        ["2026/11/20", "138****5678", "", "", "", "打码的电话"],  # 13: masked: not compared
        ["2026/11/20", "138****5678", "", "", "", "另一个打码的电话"],  # 14
    ]
    report = wz.json("import", str(write_csv(tmp_path / "export.csv", rows)))
    # Numbered as received: row 12 (9/1) is 0005, rows 5-6 (11/17) 0006-0007, rows 7-8 0008-0009, rows 9-11
    # (11/19) 0010-0012, rows 13-14 0013-0014.
    flagged = wz.json("list", "--duplicates")
    phone, address = "phone", "address"
    assert [(c["number"], [(t["number"], t["reason"], t["score"]) for t in c["twins"]]) for c in flagged] == [
        ("WZ-2026-0012", [("WZ-2026-0004", phone, 100.0)]),  # a case closed 16 days before: recently
        ("WZ-2026-0011", [("WZ-2026-0003", "text", 100.0)]),  # the same text in another community
        ("WZ-2026-0010", [("WZ-2026-0003", "text", 90.9)]),
        ("WZ-2026-0008", [("WZ-2026-0002", address, 100.0)]),
        ("WZ-2026-0007", [("WZ-2026-0006", phone, 100.0)]),  # the nearest of two with that phone
        ("WZ-2026-0006", [("WZ-2026-0001", phone, 100.0), ("WZ-2026-0007", phone, 100.0)]),
    ]
    assert (report["imported"], report["duplicates_flagged"]) == (10, 6)
    table = wz("list", "--duplicates").stdout
    assert "WZ-2026-0001（同一电话）" in table and "WZ-2026-0003（内容相近 91）" in table
    shown = wz("show", "WZ-2026-0010").stdout
    assert "疑似重复" in shown and "WZ-2026-0003（内容相近 91）" in shown
    assert wz.json("show", "WZ-2026-0010")["twins"] == [
        {"number": "WZ-2026-0003", "status": "registered", "reason": "text", "score": 90.9}
    ]
    assert wz.json("list", "--duplicates", "--status", "resolved") == []
    assert assert_cases_are_folds(ledger_env) == 14


def test_cases_closed_before_the_window_or_withdrawn_are_not_repeated(wz: Wz, tmp_path: Path) -> None:
    wz("intake", "已销账很久的一件", "--phone", "13900000000", "--at", "2026-09-01 9:00")
    wz("assign", "1", "--to", "王芳", "--at", "2026-09-01 10:00")
    wz("resolve", "1", "--result", "已处理", "--at", "2026-09-02 10:00", "--operator", "王芳")
    wz("revisit", "1", "--rating", "满意", "--at", "2026-09-03 10:00")
    wz("intake", "撤销的一件：井盖缺失，夜间极易发生危险", "--at", "2026-11-15 9:00")
    wz("withdraw", "2", "--reason", "居民撤回", "--at", "2026-11-15 10:00")
    rows = [
        HEADER,
        ["2026/9/20", "13900000000", "", "", "", "又来反映"],  # 19 days after received, 17 after closed
        ["2026/11/19", "13900000000", "", "", "", "再次反映"],  # closed 77 days before: not repeated
        ["2026/11/19", "", "", "", "", "撤销的一件：井盖缺失，夜间极易发生危险"],  # the withdrawn one
    ]
    report = wz.json("import", str(write_csv(tmp_path / "e.csv", rows)))
    assert report["duplicates_flagged"] == 1
    assert [(c["description"], c["twins"][0]["number"]) for c in wz.json("list", "--duplicates")] == [
        ("又来反映", "WZ-2026-0001")
    ]


def test_window_is_configurable(wz: Wz, tmp_path: Path) -> None:
    wz("intake", "路灯不亮", "--phone", "13812345678", "--at", "2026-11-01 9:00")
    rows = [HEADER, ["2026/11/20", "13812345678", "", "", "", "楼道堆物"]]
    path = write_csv(tmp_path / "e.csv", rows)
    assert wz.json("import", str(path), "--dry-run")["duplicates_flagged"] == 1
    wz("config", "set", "duplicates.window_days", "7")
    assert wz.json("import", str(path), "--dry-run")["duplicates_flagged"] == 0
    wz.fail("config", "set", "duplicates.window_days", "一周")


def test_duplicates_within_one_file_and_nothing_flagged_on_a_failed_import(wz: Wz, tmp_path: Path) -> None:
    rows = [
        HEADER,
        ["2026/11/17", "13812345678", "", "", "", "路灯不亮"],
        ["2026/11/18", "13812345678", "", "", "", "井盖"],
    ]
    bad = [*rows, ["坏日期", "", "", "", "", "x"]]
    wz.fail("import", str(write_csv(tmp_path / "bad.csv", bad)))
    assert wz.json("list", "--duplicates") == []
    report = wz.json("import", str(write_csv(tmp_path / "good.csv", rows)))
    assert report["duplicates_flagged"] == 1
    assert [c["twins"][0]["number"] for c in wz.json("list", "--duplicates")] == ["WZ-2026-0001"]


def test_new_taxonomy_values_join_the_lists(wz: Wz, tmp_path: Path) -> None:
    rows = [
        ["受理时间", "诉求内容", "诉求类别", "渠道", "性质", "社区", "网格"],
        ["2026/11/17", "a", "文明养犬", "小程序", "求助", "杨柳", "一网格"],
        ["2026/11/17", "b", "文明养犬", "12345热线", "表扬", "清河", "二网格"],
    ]
    report = wz.json("import", str(write_csv(tmp_path / "t.csv", rows)))
    # Communities and grids are lists only once an office keeps them: not started by an import.
    assert report["new_values"] == {"categories": ["文明养犬"], "channels": ["小程序"], "natures": ["表扬"]}
    config = wz.json("config", "show")
    assert config["categories"][-1] == "文明养犬" and config["channels"][-1] == "小程序"
    assert config["communities"] == [] and config["grids"] == []
    wz("intake", "typed with the new category", "--category", "文明养犬")
    wz("config", "add", "communities", "杨柳")
    rows[1][1], rows[2][1] = "c", "d"
    report = wz.json("import", str(write_csv(tmp_path / "t2.csv", rows)))
    assert report["new_values"] == {"communities": ["清河"]}
    t3 = write_csv(tmp_path / "t3.csv", [rows[0], ["2026/11/18", "e", "", "", "", "北苑", ""]])
    assert "新增社区: 北苑（已加入本社区的社区列表）" in wz("import", str(t3)).stdout
    assert wz.json("config", "show")["communities"] == ["杨柳", "清河", "北苑"]
