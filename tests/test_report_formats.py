"""Report files: XLSX and CSV that Excel opens, formula injection neutralised, atomic owner-only writes."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.conftest import Wz
from tests.test_report_monthly import build_october
from wenzheng_cli.files import write_atomic
from wenzheng_cli.render.export import neutralise

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
    assert book.sheetnames == ["本周新增", "本周办结", "本周销账", "结转未销账", "逾期", "下周二通报", "合计"]
    new = book["本周新增"]
    header = [cell.value for cell in new[1]]
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
    assert new.freeze_panes == "A2"
    assert new.column_dimensions["F"].width >= 20  # 诉求 fits Chinese text
    rows = [[cell.value for cell in row] for row in new.iter_rows(min_row=2)]
    assert rows[0][0] == "WZ-2026-0001"
    assert rows[0][5] == "'" + HOSTILE
    assert rows[0][3] == "'@**"  # masked, and still neutralised
    assert rows[1][5] == "'-1+2 楼道灯"
    assert rows[1][6] == "'+王芳"
    assert rows[1][8] == "已交办·逾期"
    totals = {row[0].value: row[1].value for row in book["合计"].iter_rows(min_row=2)}
    assert totals == {
        "本周新增": 2,
        "本周办结": 0,
        "本周销账": 0,
        "结转未销账": 0,
        "逾期": 1,
        "下周二通报": 2,
    }
    assert list(out.iterdir()) == [target]  # no temp file left behind


def test_weekly_csv_has_bom_and_neutralised_text(wz: Wz, tmp_path: Path) -> None:
    hostile_week(wz)
    raw = wz("report", "weekly", "--format", "csv").stdout_bytes
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["本周新增"]
    assert rows[1][:3] == ["编号", "受理日期", "社区/网格"]
    assert rows[2][5] == "'" + HOSTILE and rows[3][6] == "'+王芳"
    assert HOSTILE not in [cell for row in rows for cell in row]
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
    header = [cell.value for cell in sheet[1]]
    assert header[:7] == ["排名", "社区", "受理量", "撤件", "办结", "认领率", "响应率"]
    assert sheet.freeze_panes == "C2"
    first = {h: cell for h, cell in zip(header, sheet[2], strict=True)}
    assert first["社区"].value == "杨柳"
    assert first["受理量"].value == 5 and first["排名"].value == 1
    assert first["响应率"].value == 0.75 and first["响应率"].number_format == "0.0%"
    assert first["加减分"].value == -1  # a negative number is a number, not neutralised text
    total = {h: cell.value for h, cell in zip(header, sheet[4], strict=True)}
    assert (total["社区"], total["受理量"], total["逾期未办结"], total["排名"]) == ("合计", 9, 3, None)
    categories = load_workbook(target)["类别前列"]
    assert [c.value for c in categories[2]] == ["环境卫生", 3, 0.3333]


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
