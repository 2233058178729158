"""Report files: XLSX and CSV that Excel opens, formula injection neutralised, atomic owner-only writes."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.support.cli import Wz
from tests.test_report_monthly import build_october
from wenzheng_cli.files import write_atomic
from wenzheng_cli.render.export import neutralise

pytestmark = pytest.mark.contract

HOSTILE = '=HYPERLINK("http://x","点击")'


def hostile_week(wz: Wz) -> None:
    wz("init", "--name", "杨柳社区")
    wz("intake", HOSTILE, "--resident", "@王五", "--category", "投诉举报", "--at", "2026-11-17 09:00")
    wz("intake", "--at", "2026-11-18 09:00", "--", "-1+2 楼道灯")
    wz("assign", "2", "--to", "+王芳", "--due", "2026-11-20", "--at", "2026-11-18 10:00")


def test_weekly_xlsx_has_chinese_headers_and_neutralised_text(wz: Wz, tmp_path: Path) -> None:
    hostile_week(wz)
    out = tmp_path / "out"
    out.mkdir()
    target = out / "周台账.xlsx"
    result = wz("report", "weekly", "--format", "xlsx", "--output", str(target))
    assert result.stdout == "" and "已写入" in result.stderr
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    book = load_workbook(target)
    assert book.sheetnames == [
        "本周新增", "本周办结", "本周销账", "结转未销账", "逾期", "下周二通报", "答复待完善", "合计"
    ]  # fmt: skip
    new = book["本周新增"]
    # Two title rows (office and week; the as-of line), then the header.
    assert new["A1"].value == "杨柳社区 周台账 2026-11-17 至 2026-11-23"
    assert new["A2"].value == "逾期按 2026-11-23 10:00 计；各部分为该周结束时的状态"
    header = [cell.value for cell in new[3]]
    assert header == [
        "编号",
        "受理日期",
        "社区/网格",
        "居民",
        "类别",
        "诉求",
        "承办",
        "时限",
        "状态",
        "办理结果",
        "评价",
    ]
    assert new.freeze_panes == "A4"
    assert new.column_dimensions["F"].width >= 20  # 诉求 fits Chinese text
    rows = [[cell.value for cell in row] for row in new.iter_rows(min_row=4)]
    assert rows[0][0] == "WZ-2026-0001"
    assert rows[0][5] == "'" + HOSTILE
    assert rows[0][3] == "'@**"  # masked, and still neutralised
    assert rows[1][5] == "'-1+2 楼道灯"
    assert rows[1][6] == "'+王芳"
    assert rows[1][8] == "已交办·逾期"
    # Dates are date cells: the day received, the due date (end of a day: shown as the day).
    assert rows[0][1] == datetime(2026, 11, 17) and new["B4"].number_format == "yyyy-mm-dd"
    assert rows[1][7] == datetime(2026, 11, 20, 23, 59, 59) and new["H5"].number_format == "yyyy-mm-dd"
    totals = {row[0].value: row[1].value for row in book["合计"].iter_rows(min_row=4)}
    assert totals == {
        "本周新增": 2,
        "本周办结": 0,
        "本周销账": 0,
        "结转未销账": 0,
        "逾期": 1,
        "下周二通报": 2,
        "答复待完善": 0,
    }
    assert list(out.iterdir()) == [target]  # no temp file left behind


def test_xlsx_prints_on_a4_fitted_to_width_with_titles_on_every_page(wz: Wz, tmp_path: Path) -> None:
    hostile_week(wz)
    target = tmp_path / "周台账.xlsx"
    wz("report", "weekly", "--output", str(target))
    for sheet in load_workbook(target).worksheets:
        assert sheet.auto_filter.ref == f"A3:{_last_column(sheet)}{max(sheet.max_row, 3)}"
        setup = sheet.page_setup
        assert (setup.orientation, str(setup.paperSize), setup.fitToWidth, setup.fitToHeight) == (
            "portrait" if sheet.title == "合计" else "landscape",  # the narrow table upright
            "9",  # A4
            1,
            0,
        )
        fit = sheet.sheet_properties.pageSetUpPr
        assert fit is not None and fit.fitToPage is True
        assert sheet.print_title_rows == "$1:$3"  # the titles and the header on every printed page


def _last_column(sheet: Any) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(sheet.max_column)


def test_weekly_csv_is_one_flat_table(wz: Wz, tmp_path: Path) -> None:
    hostile_week(wz)
    wz("note", "2", "已联系物业", "--at", "2026-11-19 09:00")
    raw = wz("report", "weekly", "--format", "csv").stdout_bytes
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    header = "部分 编号 受理日期 社区/网格 居民 类别 诉求 承办 时限 状态 办理结果 评价 最新进展"
    assert rows[0] == header.split()
    # One row per case and section: 本周新增 ×2, 逾期 ×1, 下周二通报 ×2; every row as wide as the header.
    assert [(r[0], r[1]) for r in rows[1:]] == [
        ("本周新增", "WZ-2026-0001"),
        ("本周新增", "WZ-2026-0002"),
        ("逾期", "WZ-2026-0002"),
        ("下周二通报", "WZ-2026-0001"),
        ("下周二通报", "WZ-2026-0002"),
    ]
    assert {len(r) for r in rows} == {13}
    assert rows[1][2] == "2026-11-17" and rows[2][8] == "2026-11-20"
    assert rows[1][6] == "'" + HOSTILE and rows[2][7] == "'+王芳"
    assert HOSTILE not in [cell for row in rows for cell in row]
    assert rows[5][12] == "11-19 已联系物业" and rows[2][12] == "" and rows[4][12] == ""
    # --output with a .csv name writes the same bytes, owner-only.
    target = tmp_path / "week.csv"
    wz("report", "weekly", "--output", str(target))
    assert target.read_bytes() == raw
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_monthly_xlsx_keeps_numbers_as_numbers(wz: Wz, tmp_path: Path) -> None:
    build_october(wz)
    target = tmp_path / "通报.xlsx"
    wz("report", "monthly", "--month", "2026-10", "--output", str(target))
    sheet = load_workbook(target)["通报"]
    assert sheet["A1"].value == "杨柳街道 2026年10月问政通报（按社区）"
    assert sheet["A2"].value.startswith("统计对象: 2026-10-01 至 2026-10-31 受理的诉求；统计至 2026-10-31")
    header = [cell.value for cell in sheet[3]]
    assert header[:7] == ["排名", "社区", "受理量", "撤件", "办结", "认领率", "响应率"]
    assert header[-7:] == ["督办", "挂牌督办", "提级", "延期", "退单", "加减分", "得分"]
    assert sheet.freeze_panes == "C4"
    first = {h: cell for h, cell in zip(header, sheet[4], strict=True)}
    assert first["社区"].value == "杨柳"
    assert first["受理量"].value == 5 and first["排名"].value == 1
    assert first["响应率"].value == 0.75 and first["响应率"].number_format == "0.0%"
    assert first["按时反馈率"].value == 0.75 and first["督办"].value == 1
    assert first["加减分"].value == -1  # a negative number is a number, not neutralised text
    assert first["得分"].value == 85.0 and first["得分"].number_format == "0.00"
    total = {h: cell for h, cell in zip(header, sheet[6], strict=True)}
    assert (total["社区"].value, total["受理量"].value, total["逾期未办结"].value) == ("合计", 9, 3)
    assert total["排名"].value is None and total["受理量"].font.b
    assert sheet.auto_filter.ref == f"A3:{_last_column(sheet)}5"  # the groups, not the 合计 row
    categories = load_workbook(target)["类别前列"]
    assert [c.value for c in categories[4]] == ["环境卫生", 3, 0.3333]


def test_monthly_csv_and_markdown(wz: Wz) -> None:
    build_october(wz)
    raw = wz("report", "monthly", "--month", "2026-10", "--format", "csv").stdout_bytes
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["通报"]
    header, yangliu = rows[1], rows[2]
    record = dict(zip(header, yangliu, strict=True))
    assert (record["社区"], record["受理量"], record["响应率"], record["加减分"]) == (
        "杨柳",
        "5",
        "75.0%",
        "-1",
    )
    md = wz("report", "monthly", "--month", "2026-10", "--format", "md").stdout
    assert "| 1 | 杨柳 | 5 | 1 | 4 | 100.0% | 75.0% |" in md


def test_xlsx_needs_an_output_file(wz: Wz) -> None:
    wz("init")
    failed = wz.fail("report", "weekly", "--format", "xlsx", code=2)
    assert "--output" in failed.stderr
    assert "xlsx" in wz.fail("report", "monthly", "--format", "excel", code=2).stderr
    assert "格式" in wz.fail("report", "monthly", "--format", "pdf", code=2).stderr
    assert "--format" in wz.fail("report", "weekly", "--json", "--format", "csv", code=2).stderr


def test_json_to_a_file_and_table_without_ansi(wz: Wz, tmp_path: Path) -> None:
    build_october(wz)
    target = tmp_path / "m.json"
    wz("report", "monthly", "--month", "2026-10", "--output", str(target))
    assert json.loads(target.read_text("utf-8")) == wz.json("report", "monthly", "--month", "2026-10")
    table = wz("report", "monthly", "--month", "2026-10").stdout
    assert "\x1b[" not in table
    assert "基层化解率" in table and "85.00" in table and "79.17" in table
    text_file = tmp_path / "m.txt"
    wz("report", "monthly", "--month", "2026-10", "--format", "table", "--output", str(text_file))
    assert "各项比率" in text_file.read_text("utf-8")


def test_output_replaces_an_existing_file_whole(wz: Wz, tmp_path: Path) -> None:
    wz("init")
    target = tmp_path / "week.md"
    target.write_text("old")
    os.chmod(target, 0o644)
    wz("report", "weekly", "--output", str(target))
    assert target.read_text("utf-8").startswith("# ")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    missing = wz.fail("report", "weekly", "--output", str(tmp_path / "no" / "w.md"))
    assert "目录不存在" in missing.stderr


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+86", "+86"),  # a number as text: Excel reads 86, no formula
        ("-x", "'-x"),
        ("@a", "'@a"),
        ("\tx", "'\tx"),
        ("正常", "正常"),
        (-3, -3),
    ],
)
def test_neutralise(value: object, expected: object) -> None:
    assert neutralise(value) == expected


def test_write_atomic_refuses_a_directory(tmp_path: Path) -> None:
    from wenzheng_cli.errors import WenzhengError

    with pytest.raises(WenzhengError):
        write_atomic(tmp_path, b"x")
    written = write_atomic(tmp_path / "a.bin", b"abc")
    assert written.read_bytes() == b"abc"


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["-f", "table", "-o", "t.xlsx"], "格式 table 与输出文件的扩展名 .xlsx 不一致"),
        (["--format", "csv", "--output", "t.json"], "格式 csv 与输出文件的扩展名 .json 不一致"),
        (["--json", "--output", "t.csv"], "格式 json 与输出文件的扩展名 .csv 不一致"),
        (["--format", "xls", "--output", "t.xlsx"], "不支持 xls 格式"),
        (["--output", "t.xls"], "不能写成 .xls 文件"),
        (["--format", "xlsx", "--output", "t.xls"], "不能写成 .xls 文件"),
    ],
)
def test_a_format_that_does_not_match_the_file_is_refused(
    wz: Wz, tmp_path: Path, args: list[str], said: str
) -> None:
    wz("init")
    out = tmp_path / "out"
    out.mkdir()
    for report in ("weekly", "monthly", "trend"):
        moved = [str(out / a) if a.startswith("t.") else a for a in args]
        refused = wz.fail("report", report, *moved, code=2)
        assert said in refused.stderr and "提示: " in refused.stderr
    assert list(out.iterdir()) == []
    hint = wz.fail("report", "weekly", "-f", "table", "-o", str(tmp_path / "t.xlsx"), code=2).stderr
    assert "去掉 --format（按扩展名写 xlsx），或把文件名改为 t.txt" in hint


def test_an_unknown_extension_takes_the_format_asked_for(wz: Wz, tmp_path: Path) -> None:
    wz("init")
    target = tmp_path / "周台账.dat"
    wz("report", "weekly", "--format", "csv", "--output", str(target))
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")
    text = tmp_path / "周台账.txt"
    wz("report", "weekly", "--output", str(text))
    assert "周台账" in text.read_text("utf-8")
