"""``wenzheng import`` of CSV files: encodings, dates, validation, all-or-nothing, rejects, idempotence."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.support.cli import Wz
from tests.support.imports import (
    EXAMPLES,
    HEADER,
    assert_cases_are_folds,
    count_cases,
    many_rows,
    read_rejects,
    result,
    write_csv,
)

pytestmark = pytest.mark.contract


def visit_case(**changes: Any) -> dict[str, Any]:
    case: dict[str, Any] = {
        "number": "WZ-2026-0001",
        "status": "registered",
        "received_at": "2026-11-17T00:00:00+08:00",
        "channel": None,
        "category": "堆码物清理",
        "nature": None,
        "description": "3号楼2单元楼道堆放纸箱和旧家具，影响通行，存在消防隐患",
        "resident": "李**",
        "phone": "138****5678",
        "address": "杨柳小区3号楼2单元",
        "community": None,
        "grid": "一片区",
        "handler": None,
        "unit": None,
        "level": None,
        "due_at": None,
        "difficulty": None,
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


def by_number(cases: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {c["number"]: {k: v for k, v in c.items() if k != "id"} for c in cases}


def test_tuesday_visit_gbk_sample(wz: Wz, ledger_env: Path) -> None:
    report = wz.json("import", str(EXAMPLES / "tuesday-visit-gbk.csv"))
    assert report == result(imported=15, rows=15, resolved=3, new_values={"categories": ["文明养犬"]})
    cases = by_number(wz.json("list"))
    assert cases["WZ-2026-0001"] == visit_case()
    # 2026-11-17 and 2026年11月17日 read the same as 2026/11/17; 办理结果 is a resolution on the spot.
    assert cases["WZ-2026-0005"] == visit_case(
        number="WZ-2026-0005",
        status="resolved",
        category="行政办理事项",
        description="咨询高龄津贴怎么申请，需要带哪些材料",
        resident="刘**",
        phone="137****2109",
        address="清河家园8号楼3单元",
        grid="二片区",
        level="社区",
        resolved_at="2026-11-17T00:00:00+08:00",
        outcome="solved",
        result="已现场讲解申请流程并发放材料清单",
    )
    assert cases["WZ-2026-0008"]["received_at"] == "2026-11-17T00:00:00+08:00"
    assert cases["WZ-2026-0003"]["phone"] is None
    assert "文明养犬" in wz.json("config", "show")["categories"]
    assert assert_cases_are_folds(ledger_env) == 15
    events = wz.json("show", "1")["events"]
    assert [(e["action"], e["origin"], e["at"]) for e in events] == [
        ("intake", "import", "2026-11-17T00:00:00+08:00")
    ]


MIXED_DATES = [
    ("2026/11/17 9:30", "2026-11-17T09:30:00+08:00"),
    ("2026-11-16", "2026-11-16T00:00:00+08:00"),
    ("2026年11月15日", "2026-11-15T00:00:00+08:00"),
    ("2026.11.14 08:05:09", "2026-11-14T08:05:09+08:00"),
    ("2019/4/25 9:32:09", "2019-04-25T09:32:09+08:00"),
    ("11月13日", "2026-11-13T00:00:00+08:00"),
    ("2026-11-12T10:00:00+08:00", "2026-11-12T10:00:00+08:00"),
    ("２０２６／１１／１１", "2026-11-11T00:00:00+08:00"),
]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_encodings_and_mixed_dates(wz: Wz, tmp_path: Path, encoding: str) -> None:
    rows = [["受理时间", "诉求内容", "社区"]]
    rows += [
        [text, f"第{i}件：\u3000路灯不亮\n\t\t请尽快修理", "杨柳\u3000"]
        for i, (text, _) in enumerate(MIXED_DATES)
    ]
    path = write_csv(tmp_path / f"mixed-{encoding}.csv", rows, encoding)
    report = wz.json("import", str(path))
    assert (report["imported"], report["invalid"], report["errors"]) == (len(MIXED_DATES), 0, [])
    cases = wz.json("list", "--since", "2019-01-01")
    got = {c["description"]: (c["received_at"], c["community"]) for c in cases}
    assert got == {
        f"第{i}件： 路灯不亮\n请尽快修理": (expected, "杨柳") for i, (_, expected) in enumerate(MIXED_DATES)
    }


def test_forced_encoding_and_wrong_encoding(wz: Wz, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "v.csv", [["受理时间", "诉求内容"], ["2026-11-17", "路灯不亮"]], "gbk")
    assert wz.json("import", str(path), "--encoding", "gbk", "--dry-run")["imported"] == 1
    refused = wz.fail("import", str(path), "--encoding", "utf-8")
    assert "无法按 utf-8 编码读取" in refused.stderr and "--encoding" in refused.stderr
    wz.fail("import", str(path), "--encoding", "klingon", code=2)
    assert count_cases(tmp_path / "ledger.db") == 0


def test_one_bad_row_among_many_imports_nothing(wz: Wz, tmp_path: Path, ledger_env: Path) -> None:
    rows = [HEADER, *many_rows(300)]
    rows[157][1] = "2026/13/45"  # the file's row 158 (the header is row 1)
    path = write_csv(tmp_path / "export.csv", rows)
    refused = wz.fail("import", str(path), "--json")
    assert json.loads(refused.stdout) == result(
        rows=300,
        invalid=1,
        committed=False,
        errors=[
            {
                "file": "export.csv",
                "row": 158,
                "column": "受理时间",
                "value": "2026/13/45",
                "message": "日期「2026/13/45」不存在",
                "hint": "写成 2026/11/17、2026-11-17 9:30 或 2026年11月17日",
            }
        ],
    )
    assert refused.stderr.startswith("错误: 有 1 行有误，本次未导入任何数据")
    assert count_cases(ledger_env) == 0
    human = wz("import", str(path), code=1)
    assert "158" in human.stdout and "受理时间" in human.stdout and "日期「2026/13/45」不存在" in human.stdout


def test_skip_invalid_writes_rejects(wz: Wz, tmp_path: Path, ledger_env: Path) -> None:
    rows = [
        HEADER,
        ["GD1", "2026/11/17 9:00", "李桂兰", "13812345678", "杨柳3号楼", "环境卫生", "垃圾没人清"],
        ["GD2", "2026/11/17 9:10", "王建国", "电话见备注", '=HYPERLINK("x")', "环境卫生", "路灯不亮"],
        ["GD3", "", "-5", "", "清河8号楼", "群众纠纷", ""],
        ["GD4", "2026/11/17 9:30", "陈志强", "13600001111", "北苑1号楼", "投诉举报", "噪音扰民"],
    ]
    path = write_csv(tmp_path / "visit.csv", rows)
    rejects = tmp_path / "rejects.csv"
    report = wz.json("import", str(path), "--skip-invalid", "--rejects", str(rejects))
    assert report == result(
        imported=2,
        rows=4,
        invalid=2,
        rejects=str(rejects),
        errors=[
            {
                "file": "visit.csv",
                "row": 3,
                "column": "联系电话",
                "value": "****",
                "message": "联系电话格式不对",
                "hint": "只写数字，例如 13812345678 或 0532-88886666；多个号码用逗号分开",
            },
            {
                "file": "visit.csv",
                "row": 4,
                "column": "受理时间",
                "value": "",
                "message": "受理时间为空",
                "hint": "补上受理时间，写成 2026/11/17、2026-11-17 9:30 或 2026年11月17日",
            },
            {
                "file": "visit.csv",
                "row": 4,
                "column": "诉求内容",
                "value": "",
                "message": "诉求内容为空",
                "hint": "补上诉求内容，或删去这一行",
            },
        ],
    )
    assert read_rejects(rejects) == [
        [*HEADER, "导入错误"],
        [
            "GD2",
            "2026/11/17 9:10",
            "王建国",
            "电话见备注",
            '\'=HYPERLINK("x")',
            "环境卫生",
            "路灯不亮",
            "第 3 行 联系电话: 联系电话格式不对",
        ],
        [
            "GD3",
            "",
            "-5",
            "",
            "清河8号楼",
            "群众纠纷",
            "",
            "第 4 行 受理时间: 受理时间为空；诉求内容: 诉求内容为空",
        ],
    ]
    assert [c["description"] for c in wz.json("list")] == ["噪音扰民", "垃圾没人清"]
    assert wz.json("list")[0]["phone"] == "136****1111"
    assert assert_cases_are_folds(ledger_env) == 2
    # The rejects file, once fixed, imports as it is: its error column is ignored.
    fixed = read_rejects(rejects)
    fixed[1][3], fixed[2][1], fixed[2][6] = "13987651234", "2026/11/17 9:20", "邻居漏水"
    again = wz.json("import", str(write_csv(tmp_path / "fixed.csv", fixed)))
    assert (again["imported"], again["invalid"], again["unknown_columns"]) == (2, 0, {})


def test_rejects_mask_personal_data_in_errors(wz: Wz, tmp_path: Path) -> None:
    rows = [["受理时间", "诉求内容", "联系电话", "居民姓名"], ["2026-11-17", "x", "138abc45678", "李" * 201]]
    report = wz.json("import", str(write_csv(tmp_path / "p.csv", rows)), "--skip-invalid")
    values = {e["column"]: e["value"] for e in report["errors"]}
    assert values["联系电话"] == "13****78"
    assert values["居民姓名"] == "李**"
    assert "李李李" not in json.dumps(report, ensure_ascii=False)


def test_replies_become_resolutions_at_their_own_time(wz: Wz, tmp_path: Path, ledger_env: Path) -> None:
    rows = [
        ["留言编号", "留言时间", "留言详情", "答复意见", "答复时间"],
        ["1", "2026/11/2 9:32:09", "\n\t\t\t路灯不亮", "\u3000\u3000您好！已修复。", "2026/11/4 16:20:00"],
        ["2", "2026/11/3 10:00:00", "井盖缺失", "已处理", "2026/11/3"],  # date only, same day: not before
        ["3", "2026/11/3 10:00:00", "噪音", "", ""],
    ]
    report = wz.json("import", str(write_csv(tmp_path / "board.csv", rows)))
    assert (report["imported"], report["resolved"]) == (3, 2)
    first = wz.json("show", "1")
    assert (first["status"], first["resolved_at"], first["result"], first["description"]) == (
        "resolved",
        "2026-11-04T16:20:00+08:00",
        "您好！已修复。",
        "路灯不亮",
    )
    resolve = first["events"][1]
    assert {
        k: resolve[k] for k in ("action", "at", "origin", "result", "outcome", "feedback", "imported")
    } == {
        "action": "resolve",
        "at": "2026-11-04T16:20:00+08:00",
        "origin": "import",
        "result": "您好！已修复。",
        "outcome": "solved",
        "feedback": "留言板答复",
        "imported": True,
    }
    assert wz.json("show", "2")["resolved_at"] == "2026-11-03T10:00:00+08:00"
    assert wz.json("show", "3")["status"] == "registered"
    assert assert_cases_are_folds(ledger_env) == 3


@pytest.mark.parametrize(
    ("reply", "replied", "column", "message"),
    [
        ("已处理", "2026/11/1", "答复时间", "答复时间早于受理时间"),
        ("已处理", "明年", "答复时间", "无法识别的日期「明年」"),
        ("已处理", "2027/1/1", "答复时间", "答复时间晚于现在"),
    ],
)
def test_reply_errors(wz: Wz, tmp_path: Path, reply: str, replied: str, column: str, message: str) -> None:
    rows = [["受理时间", "诉求内容", "答复意见", "答复时间"], ["2026/11/2 9:00", "路灯不亮", reply, replied]]
    report = json.loads(wz.fail("import", str(write_csv(tmp_path / "r.csv", rows)), "--json").stdout)
    assert [(e["row"], e["column"], e["message"]) for e in report["errors"]] == [(2, column, message)]


def test_future_and_impossible_values(wz: Wz, tmp_path: Path) -> None:
    rows = [
        ["受理时间", "诉求内容", "难度"],
        ["2026/11/24", "明天的事", "3"],
        ["2026/2/30", "不存在的日子", "2"],
        ["2026/11/20", "难度写错", "九"],
        ["2026/11/20", "好的一行", "5"],
    ]
    report = json.loads(wz.fail("import", str(write_csv(tmp_path / "f.csv", rows)), "--json").stdout)
    assert [(e["row"], e["column"], e["message"]) for e in report["errors"]] == [
        (2, "受理时间", "受理时间晚于现在"),
        (3, "受理时间", "日期「2026/2/30」不存在"),
        (4, "难度", "难度应为 1–5 的整数"),
    ]


def test_stray_comma_shifts_columns_and_is_named(wz: Wz, tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text(
        "受理时间,诉求内容\n2026-11-17,路灯,不亮\n2026-11-17,路灯,李桂兰,13912340001\n", encoding="utf-8"
    )
    report = json.loads(wz.fail("import", str(path), "--json").stdout)
    # The spilled cell is named by its place, never shown: it is usually a resident's name or phone.
    assert [(e["row"], e["column"], e["value"]) for e in report["errors"]] == [
        (2, "第3列起", ""),
        (3, "第3列起", ""),
    ]
    shown = wz.fail("import", str(path))
    assert "李桂兰" not in shown.stdout + shown.stderr and "13912340001" not in shown.stdout + shown.stderr


def test_several_files_are_one_transaction(wz: Wz, tmp_path: Path, ledger_env: Path) -> None:
    good = write_csv(tmp_path / "good.csv", [HEADER, *many_rows(3)])
    bad = write_csv(tmp_path / "bad.csv", [HEADER, ["GD9", "不是日期", "x", "", "", "", "y"]])
    report = json.loads(wz.fail("import", str(good), str(bad), "--json").stdout)
    assert (report["imported"], report["invalid"], report["errors"][0]["file"]) == (0, 1, "bad.csv")
    assert count_cases(ledger_env) == 0
    both = wz.json(
        "import", str(good), str(write_csv(tmp_path / "more.csv", [HEADER, *many_rows(2, start=10)]))
    )
    assert (both["imported"], both["rows"]) == (5, 5)


def test_case_numbers_follow_each_rows_year(wz: Wz, tmp_path: Path) -> None:
    wz("intake", "柜台受理的一件")
    rows = [
        ["受理时间", "诉求内容"],
        ["2025/3/1", "去年的"],
        ["2026/1/2", "今年的"],
        ["2025/4/1", "去年的第二件"],
    ]
    wz.json("import", str(write_csv(tmp_path / "y.csv", rows)))
    numbers = {c["description"]: c["number"] for c in wz.json("list", "--since", "2025-01-01")}
    assert numbers == {
        "柜台受理的一件": "WZ-2026-0001",
        "去年的": "WZ-2025-0001",
        "今年的": "WZ-2026-0002",
        "去年的第二件": "WZ-2025-0002",
    }


def test_missing_and_empty_files(wz: Wz, tmp_path: Path) -> None:
    assert "找不到文件" in wz.fail("import", str(tmp_path / "nope.csv")).stderr
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert wz.json("import", str(empty)) == result()
    wz("import", code=2)


def test_no_progress_output_when_stderr_is_not_a_terminal(wz: Wz, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "export.csv", [HEADER, *many_rows(1500)])
    done = wz("import", str(path))
    assert done.stderr == ""
    assert done.stdout.startswith("已导入 1500 件")
