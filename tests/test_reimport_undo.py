"""What a clerk undid stays undone (issue 26, item 2): a re-import of an unchanged row adds nothing to its case,
not even a step an import recorded there before and a clerk has since taken back; a row that brings something
new still records it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support.cli import Wz
from tests.support.imports import assert_cases_are_folds, result, write_csv

pytestmark = pytest.mark.contract

HEADER = ["留言编号", "留言时间", "留言详情", "承办单位", "答复意见", "答复时间"]
ASKED = ["1001", "2026-11-01 09:00", "3号楼路灯不亮", "", "", ""]
GIVEN = ["1001", "2026-11-01 09:00", "3号楼路灯不亮", "城管科", "", ""]
ANSWERED = ["1001", "2026-11-01 09:00", "3号楼路灯不亮", "城管科", "已修复路灯", "2026-11-03 10:00"]


def actions(wz: Wz) -> list[str]:
    return [event["action"] for event in wz.json("show", "1")["events"]]


def status(wz: Wz) -> Any:
    return wz.json("show", "1")["status"]


def test_an_undone_imported_resolution_stays_undone(wz: Wz, tmp_path: Path, ledger_env: Path) -> None:
    path = write_csv(tmp_path / "a.csv", [HEADER, ANSWERED])
    assert wz.json("import", str(path)) == result(imported=1, resolved=1, rows=1)
    wz("undo", "1", "--yes")
    assert status(wz) == "assigned"
    wz("undo", "1", "--yes")
    assert status(wz) == "registered"
    assert wz.json("import", str(path)) == result(skipped_existing=1, rows=1)
    assert status(wz) == "registered"
    assert actions(wz) == ["intake", "assign", "resolve", "undo", "undo"]
    assert assert_cases_are_folds(ledger_env) == 1


def test_an_undone_update_stays_undone(wz: Wz, tmp_path: Path, ledger_env: Path) -> None:
    """The unit and the answer came by a later export (``updated``); undone, the same export adds nothing."""
    first = write_csv(tmp_path / "week1.csv", [HEADER, ASKED])
    later = write_csv(tmp_path / "week2.csv", [HEADER, ANSWERED])
    wz("import", str(first))
    assert wz.json("import", str(later))["updated"] == 1
    assert status(wz) == "resolved"
    wz("undo", "1", "--yes")
    wz("undo", "1", "--yes")
    assert status(wz) == "registered"
    for path in (later, first, later):
        assert wz.json("import", str(path)) == result(skipped_existing=1, rows=1)
    assert status(wz) == "registered"
    assert actions(wz) == ["intake", "assign", "resolve", "undo", "undo"]
    assert assert_cases_are_folds(ledger_env) == 1


def test_an_undone_imported_unit_stays_undone(wz: Wz, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "a.csv", [HEADER, GIVEN])
    wz("import", str(path))
    wz("undo", "1", "--yes")
    assert status(wz) == "registered" and wz.json("show", "1")["unit"] is None
    assert wz.json("import", str(path)) == result(skipped_existing=1, rows=1)
    assert status(wz) == "registered"


def test_a_reopened_case_is_not_resolved_again_by_the_same_row(wz: Wz, tmp_path: Path) -> None:
    """重办 after a dissatisfied revisit: the old export's 办结 is already on record."""
    path = write_csv(tmp_path / "a.csv", [HEADER, ANSWERED])
    wz("import", str(path))
    wz("--operator", "张敏", "revisit", "1", "--rating", "不满意", "--at", "2026-11-05")
    assert status(wz) == "assigned"
    assert wz.json("import", str(path)) == result(skipped_existing=1, rows=1)
    assert status(wz) == "assigned"


def test_what_is_new_after_an_undo_is_still_recorded(wz: Wz, tmp_path: Path, ledger_env: Path) -> None:
    """A later export with another answer, or the same answer given later, is a new resolution."""
    path = write_csv(tmp_path / "a.csv", [HEADER, ANSWERED])
    wz("import", str(path))
    wz("undo", "1", "--yes")
    other = write_csv(tmp_path / "b.csv", [HEADER, [*ANSWERED[:4], "已更换灯泡并复查", "2026-11-04 10:00"]])
    assert wz.json("import", str(other)) == result(updated=1, rows=1)
    assert status(wz) == "resolved" and wz.json("show", "1")["result"] == "已更换灯泡并复查"
    wz("undo", "1", "--yes")
    again = write_csv(tmp_path / "c.csv", [HEADER, [*ANSWERED[:5], "2026-11-06 10:00"]])
    assert wz.json("import", str(again)) == result(updated=1, rows=1)
    assert status(wz) == "resolved"
    assert assert_cases_are_folds(ledger_env) == 1
