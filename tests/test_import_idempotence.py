"""``wenzheng import`` never imports a row twice, reports repeats, and can run dry or with --map."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.cli import Wz
from tests.support.imports import (
    HEADER,
    assert_cases_are_folds,
    count_cases,
    many_rows,
    read_rejects,
    result,
    write_csv,
)

pytestmark = pytest.mark.contract


def test_reimport_and_overlapping_export_add_only_new_rows(wz: Wz, tmp_path: Path, ledger_env: Path) -> None:
    first = write_csv(tmp_path / "week1.csv", [HEADER, *many_rows(5)])
    assert wz.json("import", str(first)) == result(imported=5, rows=5)
    assert wz.json("import", str(first)) == result(skipped_existing=5, rows=5)
    later = write_csv(tmp_path / "week2.csv", [HEADER, *many_rows(6, start=3)])  # rows 3..8: 3 seen, 3 new
    assert wz.json("import", str(later)) == result(imported=3, skipped_existing=3, rows=6)
    assert count_cases(ledger_env) == 8
    assert assert_cases_are_folds(ledger_env) == 8


def test_rows_without_a_key_column_are_keyed_by_their_content(wz: Wz, tmp_path: Path) -> None:
    rows = [
        ["走访日期", "诉求内容", "联系电话"],
        ["2026/11/17", "路灯不亮", "13812345678"],
        ["2026/11/17", "井盖缺失", ""],
    ]
    path = write_csv(tmp_path / "visit.csv", rows)
    assert wz.json("import", str(path))["imported"] == 2
    # The same rows saved again by Excel in another encoding, with stray spaces: still the same rows.
    rows[1][1] = " 路灯不亮\u3000"
    again = write_csv(tmp_path / "visit-gbk.csv", rows, "gbk")
    assert wz.json("import", str(again)) == result(skipped_existing=2, rows=2)


def test_key_repeated_in_one_file(wz: Wz, tmp_path: Path, ledger_env: Path) -> None:
    """The same row twice is imported once; a different row under the same key is imported and flagged."""
    rows = [HEADER, *many_rows(3)]
    rows.append(list(rows[2]))  # row 5: row 3 (GD00002) again, cell for cell
    rows.append([*rows[2][:5], "群众纠纷", "同一工单号的另一行"])  # row 6: GD00002, other content
    rows.append(list(rows[5]))  # row 7: row 6 again
    rows.append(["GD00009", *rows[1][1:]])  # row 8: row 2 under another key — a possible duplicate, imported
    path = write_csv(tmp_path / "export.csv", rows)
    rejects = tmp_path / "rejects.csv"
    report = wz.json("import", str(path), "--rejects", str(rejects))
    repeat = "工单号「GD00002」与第 3 行重复，保留前面一行，本行未导入"
    shared = "工单号「GD00002」与第 3 行相同，但其他内容不同：两行都已导入，本行标为疑似重复"
    again = "工单号「GD00002」与第 6 行重复，保留前面一行，本行未导入"
    assert report == result(
        imported=5,
        rows=7,
        repeated=2,
        same_key=1,
        duplicates_flagged=2,
        rejects=str(rejects),
        warnings=[
            {"file": "export.csv", "row": 5, "column": "工单号", "message": repeat},
            {"file": "export.csv", "row": 6, "column": "工单号", "message": shared},
            {"file": "export.csv", "row": 7, "column": "工单号", "message": again},
        ],
    )
    assert [c["category"] for c in wz.json("list", "--search", "第2件")] == ["环境卫生"]
    twin = wz.json("list", "--search", "同一工单号的另一行")
    assert [c["category"] for c in twin] == ["群众纠纷"]
    # Numbered in received order: row 2 (11/2), row 8 (11/2, the same time), row 3 (11/3), row 6 (11/3) …
    flagged = {c["number"]: c for c in wz.json("list", "--duplicates")}
    assert twin[0]["number"] == "WZ-2026-0004"
    assert flagged[twin[0]["number"]]["twins"] == [
        {"number": "WZ-2026-0003", "status": "registered", "reason": "key", "score": 100.0}
    ]
    # Only the rows not imported go to --rejects: the two true repeats.
    assert [r[-1] for r in read_rejects(rejects)[1:]] == [f"第 5 行 {repeat}", f"第 7 行 {again}"]
    assert assert_cases_are_folds(ledger_env) == 5
    # Importing the file again adds nothing.
    assert wz.json("import", str(path))["imported"] == 0
    assert count_cases(ledger_env) == 5


def test_key_repeated_far_apart_is_compared_with_the_stored_case(wz: Wz, tmp_path: Path) -> None:
    """A repeat in a later batch than its first row: the first is read back from the ledger to compare."""
    rows = [HEADER, *many_rows(1500)]
    rows.append(list(rows[1]))  # row 1502: row 2 again
    rows.append([*rows[1][:6], "另一件诉求"])  # row 1503: row 2's key, other content
    report = wz.json("import", str(write_csv(tmp_path / "big.csv", rows)))
    assert (report["imported"], report["repeated"], report["same_key"]) == (1501, 1, 1)
    assert [w["row"] for w in report["warnings"]] == [1502, 1503]


def test_rows_without_key_that_differ_outside_the_hashed_columns_are_both_imported(
    wz: Wz, tmp_path: Path
) -> None:
    """The content key hashes time, text, phone, name and address; rows alike in those but not in the category
    are two rows, both imported, the second flagged."""
    rows = [
        ["受理时间", "诉求内容", "诉求类别"],
        ["2026-11-17 9:00", "路灯不亮", "市政设施"],
        ["2026-11-17 9:00", "路灯不亮", "环境卫生"],
    ]
    path = write_csv(tmp_path / "v.csv", rows)
    report = wz.json("import", str(path))
    assert (report["imported"], report["repeated"], report["same_key"]) == (2, 0, 1)
    assert report["warnings"] == [
        {
            "file": "v.csv",
            "row": 3,
            "column": "",
            "message": "受理时间、诉求内容、电话、姓名和地址与第 2 行相同，但其他内容不同：两行都已导入，本行标为疑似重复",
        }
    ]
    assert wz.json("import", str(path))["skipped_existing"] == 2


def test_identical_rows_without_key_are_a_repeat(wz: Wz, tmp_path: Path) -> None:
    rows = [["受理时间", "诉求内容"], ["2026-11-17 9:00", "路灯不亮"], ["2026-11-17 9:00", "路灯不亮"]]
    report = wz.json("import", str(write_csv(tmp_path / "v.csv", rows)))
    assert (report["imported"], report["repeated"]) == (1, 1)
    assert report["warnings"] == [
        {
            "file": "v.csv",
            "row": 3,
            "column": "",
            "message": "内容完全相同的行与第 2 行重复，保留前面一行，本行未导入",
        }
    ]


def test_dry_run_reports_and_writes_nothing(wz: Wz, tmp_path: Path, ledger_env: Path) -> None:
    path = write_csv(tmp_path / "export.csv", [HEADER, *many_rows(4)])
    report = wz.json("import", str(path), "--dry-run")
    assert report == result(imported=4, rows=4, dry_run=True, committed=False)
    assert count_cases(ledger_env) == 0
    assert "试导入" in wz("import", str(path), "--dry-run").stdout
    bad = write_csv(tmp_path / "bad.csv", [HEADER, ["GD1", "明年", "x", "", "", "", "y"]])
    assert wz.fail("import", str(bad), "--dry-run").stderr.startswith(
        "错误: 有 1 行有误，正式导入时不会导入任何数据"
    )


def test_map_and_unknown_columns(wz: Wz, tmp_path: Path, ledger_env: Path) -> None:
    rows = [["反映日期", "情况", "备注", ""], ["2026/11/17", "楼道灯坏了", "老人独居", ""]]
    path = write_csv(tmp_path / "notes.csv", rows)
    refused = wz.fail("import", str(path))
    assert "找不到受理时间、诉求内容列" in refused.stderr and "--map" in refused.stderr
    assert "找不到" in wz.fail("import", str(path), "--map", "反映日期=received_at").stderr
    wz.fail("import", str(path), "--map", "反映日期=生日", code=2)
    wz.fail("import", str(path), "--map", "反映日期", code=2)
    assert "没有「日期」列" in wz.fail("import", str(path), "--map", "日期=received_at").stderr
    report = wz.json("import", str(path), "--map", "反映日期=received_at", "--map", "情况=诉求内容")
    assert report == result(imported=1, rows=1, unknown_columns={"notes.csv": ["备注"]})
    intake = wz.json("show", "1")["events"][0]
    assert json.loads(intake["extra"]) == {"备注": "老人独居"}
    assert (
        "未识别的列（已随案保存）: 备注"
        in wz("import", str(path), "--map", "反映日期=received_at", "--map", "情况=description").stdout
    )
    assert assert_cases_are_folds(ledger_env) == 1
