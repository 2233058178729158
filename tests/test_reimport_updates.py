"""A later export of known cases brings what the ledger lacks: an empty category (or community, grid, nature,
channel) filled, a changed or new column kept with the case (备注, 回复1) recorded — each an ``amend`` of origin
import, reason 导入补充, counted in ``updated``, undoable — and never over what a clerk typed or amended."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.support.cli import Wz
from tests.support.imports import assert_cases_are_folds, write_csv

PLAIN = ["留言编号", "留言时间", "留言详情"]
LABELLED = [*PLAIN, "预测一级标签"]
ROWS = [
    ["2401", "2026-11-01 09:00", "3号楼路灯不亮"],
    ["2402", "2026-11-02 10:00", "小区门口垃圾堆放"],
    ["2403", "2026-11-03 11:00", "楼上装修噪音大"],
]
LABELS = ["市政设施", "环境卫生", "噪音扰民"]


def _with_labels(tmp_path: Path) -> Path:
    rows = [[*row, label] for row, label in zip(ROWS, LABELS, strict=True)]
    return write_csv(tmp_path / "labelled.csv", [LABELLED, *rows])


def _import(wz: Wz, path: Path, *extra: str) -> Any:
    return wz.json("import", str(path), *extra)


def _categories(wz: Wz) -> list[Any]:
    return [case["category"] for case in sorted(wz.json("list"), key=lambda c: c["number"])]


def test_a_later_export_with_a_category_column_fills_the_empty_categories(
    wz: Wz, tmp_path: Path, ledger_env: Path
) -> None:
    first = write_csv(tmp_path / "plain.csv", [PLAIN, *ROWS])
    assert _import(wz, first)["imported"] == 3
    assert _categories(wz) == [None, None, None]
    later = _with_labels(tmp_path)
    done = _import(wz, later, "--map", "预测一级标签=category")
    assert (done["updated"], done["skipped_existing"], done["imported"]) == (3, 0, 0)
    assert _categories(wz) == LABELS
    amend = wz.json("show", "1")["events"][-1]
    assert amend["action"] == "amend" and amend["origin"] == "import"
    assert amend["reason"] == "导入补充" and amend["changes"]["category"] == {"old": None, "new": "市政设施"}
    assert "导入补充" in wz("show", "1").stdout
    # the same file again adds nothing
    again = _import(wz, later, "--map", "预测一级标签=category")
    assert (again["updated"], again["skipped_existing"]) == (0, 3)
    assert assert_cases_are_folds(ledger_env) == 3


def test_a_fill_undone_stays_undone(wz: Wz, tmp_path: Path) -> None:
    _import(wz, write_csv(tmp_path / "plain.csv", [PLAIN, *ROWS]))
    later = _with_labels(tmp_path)
    _import(wz, later, "--map", "预测一级标签=category")
    wz("undo", "1", "--yes")
    assert _categories(wz) == [None, *LABELS[1:]]
    again = _import(wz, later, "--map", "预测一级标签=category")
    assert (again["updated"], again["skipped_existing"]) == (0, 3)
    assert _categories(wz) == [None, *LABELS[1:]]


def test_a_value_a_clerk_cleared_is_not_filled_again(wz: Wz, tmp_path: Path) -> None:
    labelled = _with_labels(tmp_path)
    _import(wz, labelled, "--map", "预测一级标签=category")
    wz("amend", "1", "--category", "", "--reason", "类别待核实")
    again = _import(wz, labelled, "--map", "预测一级标签=category")
    assert (again["updated"], again["skipped_existing"]) == (0, 3)
    assert _categories(wz)[0] is None


def test_a_category_a_clerk_corrected_stands_and_the_row_is_still_that_case(wz: Wz, tmp_path: Path) -> None:
    _import(wz, write_csv(tmp_path / "plain.csv", [PLAIN, *ROWS]))
    wz("amend", "1", "--category", "环境卫生", "--reason", "实为垃圾问题")
    again = _import(wz, _with_labels(tmp_path), "--map", "预测一级标签=category")
    assert (again["imported"], again["duplicates_flagged"], again["updated"]) == (0, 0, 2)
    assert _categories(wz) == ["环境卫生", *LABELS[1:]]


def test_a_changed_remark_and_a_new_column_are_recorded(wz: Wz, tmp_path: Path, ledger_env: Path) -> None:
    header = [*PLAIN, "备注"]
    first = write_csv(tmp_path / "w1.csv", [header, [*ROWS[0], "片长：吴敏"], [*ROWS[1], "片长：王芳"]])
    _import(wz, first)
    later = write_csv(
        tmp_path / "w2.csv",
        [
            [*header, "回复1"],
            [*ROWS[0], "片长：李强", ""],  # 备注 changed
            [*ROWS[1], "片长：王芳", ""],  # unchanged
        ],
    )
    done = _import(wz, later)
    assert (done["updated"], done["skipped_existing"]) == (1, 1)
    case = wz.json("show", "1")
    assert json.loads(case["events"][-1]["changes"]["extra"]["new"])["备注"] == "片长：李强"
    assert "片长：李强" in json.dumps(case, ensure_ascii=False)
    # a third export adds a column and drops none; one with fewer columns takes nothing away
    third = write_csv(tmp_path / "w3.csv", [[*header, "回复1"], [*ROWS[1], "片长：王芳", "已转社区"]])
    assert _import(wz, third)["updated"] == 1
    assert _import(wz, write_csv(tmp_path / "w4.csv", [PLAIN, ROWS[1]]))["updated"] == 0
    extra = json.loads(wz.json("show", "2")["events"][-1]["changes"]["extra"]["new"])
    assert extra == {"备注": "片长：王芳", "回复1": "已转社区"}
    assert assert_cases_are_folds(ledger_env) == 2


def test_a_closed_case_gets_its_category_too(wz: Wz, tmp_path: Path) -> None:
    header = [*PLAIN, "答复意见", "答复时间"]
    answered = [*ROWS[0], "已修复路灯，经回访居民满意", "2026-11-03 10:00"]
    _import(wz, write_csv(tmp_path / "a.csv", [header, answered]))
    status = wz.json("show", "1")["status"]
    later = write_csv(tmp_path / "b.csv", [[*header, "预测一级标签"], [*answered, "市政设施"]])
    assert _import(wz, later, "--map", "预测一级标签=category")["updated"] == 1
    case = wz.json("show", "1")
    assert case["category"] == "市政设施" and case["status"] == status
