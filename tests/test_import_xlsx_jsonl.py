"""``wenzheng import`` of workbooks (.xlsx) and JSON Lines."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.support.cli import Wz
from tests.support.imports import EXAMPLES, assert_cases_are_folds, count_cases, result, write_jsonl

pytestmark = pytest.mark.contract


def workbook(
    path: Path,
    rows: list[list[Any]],
    *,
    empty_rows: int = 0,
    sheet: str = "Sheet1",
    extra_sheet: bool = False,
) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    ws = book.worksheets[0]  # the active sheet of a new workbook
    ws.title = sheet
    for row in rows:
        ws.append(row)
    for cell in ws["A"][1:]:
        if isinstance(cell.value, datetime):
            cell.number_format = "yyyy/m/d h:mm:ss"
    font = Font(name="宋体")
    first = len(rows) + 1
    for r in range(first, first + empty_rows):
        for c in range(1, len(rows[0]) + 1):
            ws.cell(row=r, column=c).font = font
    if extra_sheet:
        other = book.create_sheet("说明")
        other.append(["这一页只有说明文字"])
    book.save(path)
    return path


@pytest.mark.slow
def test_text_and_real_date_cells_and_60k_formatted_empty_rows(
    wz: Wz, tmp_path: Path, ledger_env: Path
) -> None:
    rows: list[list[Any]] = [
        ["留言时间", "留言详情", "一级分类", "留言编号"],
        [datetime(2019, 4, 8, 8, 37, 20), "\n\t\t\t\t\t\n\t\t\t\t\t马路卫生很差", "环境保护", 2759],
        ["2019/4/25 9:32:09", "物业管理有问题\u3000\u3000", "城乡建设", 2549],
        [date(2019, 4, 24), "路没修好", "城乡建设", 2554.0],
        [
            43579.5,
            "序号当日期",
            "交通运输",
            "2560",
        ],  # an Excel serial number in a date column: 2019-04-24 12:00
    ]
    path = workbook(tmp_path / "board.xlsx", rows, empty_rows=60_000)
    report = wz.json("import", str(path))
    assert report == result(
        imported=4, rows=4, new_values={"categories": ["环境保护", "城乡建设", "交通运输"]}
    )
    got = {
        c["description"]: (c["received_at"], c["category"]) for c in wz.json("list", "--since", "2019-01-01")
    }
    assert got == {
        "马路卫生很差": ("2019-04-08T08:37:20+08:00", "环境保护"),
        "物业管理有问题": ("2019-04-25T09:32:09+08:00", "城乡建设"),
        "路没修好": ("2019-04-24T00:00:00+08:00", "城乡建设"),
        "序号当日期": ("2019-04-24T12:00:00+08:00", "交通运输"),
    }
    intake = wz.json("show", "WZ-2019-0001")["events"][0]
    assert intake["source_key"] == "留言编号:2759"
    # The keys of 2554.0 (a float cell) and "2560" (text) read like the integers they are.
    assert wz.json("import", str(path)) == result(skipped_existing=4, rows=4)
    assert assert_cases_are_folds(ledger_env) == 4


def test_header_under_a_title_row_and_a_named_sheet(wz: Wz, tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        ["11月17日周二民情大走访记录表", None, None],
        [None, None, None],
        ["片区", "走访日期", "诉求内容"],
        ["一片区", "2026/11/17", "楼道堆物"],
        ["二片区", "2026/11/17", "路灯不亮"],
    ]
    path = workbook(tmp_path / "visit.xlsx", rows, sheet="走访", extra_sheet=True)
    report = wz.json("import", str(path), "--sheet", "走访")
    assert (report["imported"], report["rows"]) == (2, 2)
    assert (
        "visit.xlsx 的工作表「走访」 第 1 行在表头之上（标题行），未导入"
        in wz("import", str(path), "--dry-run").stdout
    )
    missing = wz.fail("import", str(path), "--sheet", "Sheet9")
    assert "没有工作表「Sheet9」" in missing.stderr and "走访、说明" in missing.stderr


def test_bad_cells_name_the_excel_row(wz: Wz, tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        ["受理时间", "诉求内容"],
        ["2026/11/17", "好"],
        ["下个月", "坏"],
        ["2026/11/18", None],
    ]
    report = json.loads(wz.fail("import", str(workbook(tmp_path / "b.xlsx", rows)), "--json").stdout)
    assert [(e["row"], e["column"], e["message"]) for e in report["errors"]] == [
        (3, "受理时间", "无法识别的日期「下个月」"),
        (4, "诉求内容", "诉求内容为空"),
    ]


def test_platform_export_sample(wz: Wz, ledger_env: Path) -> None:
    report = wz.json("import", str(EXAMPLES / "platform-export.xlsx"))
    assert report == result(
        imported=12,
        rows=12,
        resolved=7,
        duplicates_flagged=1,
        new_values={"categories": ["城乡建设"]},
    )
    second = wz.json("show", "WZ-2026-0002", "--show-pii")
    assert {
        k: second[k] for k in ("received_at", "channel", "community", "category", "nature", "description")
    } == {
        "received_at": "2026-11-03T09:32:09+08:00",
        "channel": "领导留言板",
        "community": "清河",
        "category": "物业管理",
        "nature": "投诉",
        "description": "清河家园物业对楼道漏水报修一个月未处理。 请社区督促。",
    }
    assert (second["resolved_at"], second["result"]) == (
        "2026-11-10T11:05:41+08:00",
        "您好！社区已约谈物业公司，漏水点已于11月10日修复。",
    )
    # 承办单位: assigned to that unit when received, then resolved at the reply's time.
    assert second["unit"] == "清河社区" and "extra" not in second["events"][0]
    assert [(e["action"], e["at"]) for e in second["events"]] == [
        ("intake", "2026-11-03T09:32:09+08:00"),
        ("assign", "2026-11-03T09:32:09+08:00"),
        ("resolve", "2026-11-10T11:05:41+08:00"),
    ]
    assert wz.json("show", "WZ-2026-0007")["status"] == "assigned"
    flagged = wz.json("list", "--duplicates")
    assert [(c["number"], c["twins"]) for c in flagged] == [
        (
            "WZ-2026-0007",
            [{"number": "WZ-2026-0002", "status": "resolved", "reason": "phone", "score": 100.0}],
        )
    ]
    assert assert_cases_are_folds(ledger_env) == 12


def test_broken_workbooks_are_refused(wz: Wz, tmp_path: Path) -> None:
    old = tmp_path / "old.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    assert "old.xls 无法按 xls 读取" in wz.fail("import", str(old)).stderr
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    assert "无法按 xlsx 读取" in wz.fail("import", str(broken)).stderr


def test_json_lines(wz: Wz, tmp_path: Path, ledger_env: Path) -> None:
    path = write_jsonl(
        tmp_path / "hotline.jsonl",
        [
            {
                "ticket": "A1",
                "received_at": "2026-11-17 09:30",
                "description": "路灯不亮",
                "phone": 13812345678,
            },
            "",
            {
                "ticket": "A2",
                "received_at": "2026-11-18",
                "description": "井盖缺失",
                "category": "市政设施",
                "unit": "市政所",
            },
            "{not json",
            ["a", "list"],
            {"ticket": "A3", "received_at": None, "description": "没有时间"},
            {
                "ticket": "A4",
                "received_at": "2026-11-19",
                "description": {"nested": "对象"},
                "tags": ["急", "夜间"],
            },
        ],
    )
    report = json.loads(wz.fail("import", str(path), "--json").stdout)
    assert [(e["row"], e["column"], e["message"]) for e in report["errors"]] == [
        (4, "", "不是有效的 JSON（第 2 个字符处）"),
        (5, "", "这一行不是 JSON 对象"),
        (6, "received_at", "受理时间为空"),
    ]
    report = wz.json("import", str(path), "--skip-invalid")
    assert (report["imported"], report["invalid"], report["unknown_columns"]) == (
        3,
        3,
        {"hotline.jsonl": ["tags"]},
    )
    cases = {c["description"]: c for c in wz.json("list", "--show-pii")}
    assert cases["路灯不亮"]["phone"] == "13812345678"
    assert cases['{"nested": "对象"}']["received_at"] == "2026-11-19T00:00:00+08:00"
    assert (wz.json("show", "2")["unit"], wz.json("show", "2")["status"]) == ("市政所", "assigned")
    assert json.loads(wz.json("show", "3")["events"][0]["extra"]) == {"tags": '["急", "夜间"]'}
    assert wz.json("import", str(path), "--skip-invalid")["skipped_existing"] == 3
    assert count_cases(ledger_env) == 3
