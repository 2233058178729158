"""Every file read is bounded: hostile or broken files end with one clear error naming the limit, in
seconds and a little memory, with nothing imported (issue 16: /dev/zero, long lines, zip bombs, 2 million
formatted rows, a million columns; long cells, BOM + GBK, spilled cells)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from tests.support.cli import Wz
from tests.support.imports import count_cases, read_rejects

BOUND_SECONDS = 10
BOUND_MB = 200

pytestmark = pytest.mark.slow  # big and hostile files; `pytest -m "not slow"` leaves these out


def run_bounded(args: list[str], env_db: Path) -> tuple[int, str, float, int]:
    """``wenzheng ARGS`` in a child process: (exit code, stderr, CPU seconds, peak MB); killed well past the
    bound.

    The seconds are the child's own processor time, so a busy machine (other tests running beside it) does
    not count against the file. The peak is the child's own high-water mark (VmHWM of /proc/PID/status, read
    until it exits): the rusage of a child counts the memory of the process it was forked from, here the whole
    test session."""
    env = {**os.environ, "WENZHENG_DB": str(env_db)}
    started = time.monotonic()
    peak_kb = 0
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "wenzheng_cli", *args], env=env, stdout=subprocess.DEVNULL, stderr=err
        )
        status = Path(f"/proc/{proc.pid}/status")
        while True:
            pid, wait_status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                proc.returncode = os.waitstatus_to_exitcode(wait_status)
                break
            try:
                for line in status.read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        peak_kb = max(peak_kb, int(line.split()[1]))
            except (OSError, ValueError):
                pass
            if time.monotonic() - started > BOUND_SECONDS * 6:
                proc.kill()
            time.sleep(0.01)
        err.seek(0)
        text = err.read().decode()
    return proc.returncode, text, usage.ru_utime + usage.ru_stime, peak_kb // 1024


def assert_refused_within_bounds(args: list[str], db: Path, fragment: str) -> None:
    code, err, elapsed, peak = run_bounded(args, db)
    lines = err.splitlines()
    assert code == 1, err
    assert len(lines) == 2 and lines[0].startswith("错误: ") and fragment in lines[0], err
    assert lines[1].startswith("提示: ")
    assert elapsed < BOUND_SECONDS, f"{elapsed:.1f} s"
    assert peak < BOUND_MB, f"{peak} MB"


# --- text files ------------------------------------------------------------------------------------------------


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_dev_zero_ends_at_once(wz: Wz, tmp_path: Path, ledger_env: Path) -> None:
    wz("init")
    # A device is refused before anything is read; a regular file of NUL bytes is read and refused at once.
    assert_refused_within_bounds(["import", "/dev/zero"], ledger_env, "不是普通文件")
    zeros = tmp_path / "zeros.csv"
    with zeros.open("wb") as out:
        out.truncate(512 * 2**20)  # 512 MiB of NUL, sparse on disk
    assert_refused_within_bounds(["import", str(zeros)], ledger_env, "含有空字符（NUL），不是文本表格")
    assert count_cases(ledger_env) == 0


def test_a_line_that_never_ends(wz: Wz, tmp_path: Path, ledger_env: Path) -> None:
    wz("init")
    path = tmp_path / "endless.csv"
    with path.open("w", encoding="utf-8") as f:
        f.write("受理时间,诉求内容\n2026-11-17,")
        for _ in range(50):
            f.write("长" * 100_000)
    assert_refused_within_bounds(["import", str(path)], ledger_env, "第 2 行超过 4000000 字仍未换行")
    path = tmp_path / "endless.jsonl"
    path.write_bytes(b'{"a": "' + b"x" * 9_000_000)
    assert_refused_within_bounds(["import", str(path)], ledger_env, "第 1 行超过 8000000 字节仍未换行")
    assert count_cases(ledger_env) == 0


def test_a_cell_over_the_limit_makes_only_its_row_invalid(wz: Wz, tmp_path: Path, ledger_env: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_text(
        "受理时间,诉求内容,备注\n2026-11-17,好的一行,\n2026-11-18,坏的一行,"
        + "x" * 140_000
        + "\n2026-11-19,另一行,\n",
        encoding="utf-8",
    )
    rejects = tmp_path / "rejects.csv"
    report = wz.json("import", str(path), "--skip-invalid", "--rejects", str(rejects))
    assert (report["imported"], report["invalid"]) == (2, 1)
    assert [(e["row"], e["message"]) for e in report["errors"]] == [
        (3, "第 3 列的内容超过 32767 字（Excel 一格的上限）")
    ]
    kept = read_rejects(rejects)
    assert kept[1][:2] == ["2026-11-18", "坏的一行"] and len(kept[1][2]) == 140_000  # nothing lost


def test_a_runaway_quote_is_one_error_naming_the_limit(wz: Wz, tmp_path: Path, ledger_env: Path) -> None:
    path = tmp_path / "quote.csv"
    path.write_text(
        '受理时间,诉求内容\n2026-11-17,"没有收尾的引号\n' + "续行\n" * 1_400_000, encoding="utf-8"
    )
    error = wz.fail("import", str(path), "--skip-invalid").stderr.splitlines()
    assert error == [
        "错误: quote.csv 第 2 行: 有一格内容超过 4000000 字",
        "提示: 多半是英文双引号没有成对，检查该行附近的引号",
    ]


def test_bom_then_gbk_names_the_line_of_the_problem(wz: Wz, tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    path.write_bytes(
        b"\xef\xbb\xbfdate,text\n2026-11-17,ok\n2026-11-18,"
        + "路灯不亮".encode("gbk")
        + b"\n"
        + b"2026-11-19,ok\n" * 5000
    )
    assert wz.fail("import", str(path)).stderr.splitlines()[0] == (
        "错误: mixed.csv 第 3 行的内容无法按 utf-8-sig 编码读取"
    )


# --- workbooks ---------------------------------------------------------------------------------------------------

SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>\xe5\x8f\x97\xe7\x90\x86\xe6\x97\xb6\xe9\x97\xb4</t></is></c>'
    b'<c r="B1" t="inlineStr"><is><t>\xe8\xaf\x89\xe6\xb1\x82\xe5\x86\x85\xe5\xae\xb9</t></is></c></row>'
)
SHEET_TAIL = b"</sheetData></worksheet>"


def workbook_with_sheet(path: Path, body: Iterable[bytes], level: int = 1) -> Path:
    """A real workbook whose first sheet's XML is replaced by a header row and ``body``, streamed in."""
    from openpyxl import Workbook

    buffer = io.BytesIO()
    Workbook().save(buffer)
    original = zipfile.ZipFile(buffer)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name in original.namelist():
            if name != "xl/worksheets/sheet1.xml":
                archive.writestr(name, original.read(name))
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(SHEET_HEAD)
            for chunk in body:
                sheet.write(chunk)
            sheet.write(SHEET_TAIL)
    return path


def repeated(unit: bytes, count: int, per_chunk: int = 10_000) -> Iterator[bytes]:
    block = unit * per_chunk
    for _ in range(count // per_chunk):
        yield block


def test_zip_bomb_is_refused_before_unpacking(wz: Wz, tmp_path: Path, ledger_env: Path) -> None:
    wz("init")
    row = b'<row><c t="inlineStr"><is><t>2026-11-17</t></is></c><c t="inlineStr"><is><t>' + b"A" * 2000
    row += b"</t></is></c></row>"
    path = workbook_with_sheet(tmp_path / "bomb.xlsx", repeated(row, 40_000, 1000), level=9)
    assert path.stat().st_size < 2_000_000
    assert_refused_within_bounds(
        ["import", str(path)], ledger_env, "bomb.xlsx 中的「xl/worksheets/sheet1.xml」解压后有"
    )
    assert count_cases(ledger_env) == 0


def test_more_rows_than_excel_holds(wz: Wz, tmp_path: Path, ledger_env: Path) -> None:
    wz("init")
    path = workbook_with_sheet(tmp_path / "formatted.xlsx", repeated(b'<row><c s="1"/></row>', 1_100_000))
    assert_refused_within_bounds(["import", str(path)], ledger_env, "有超过 1048576 行（Excel 的行数上限）")


def test_a_row_of_a_million_cells(wz: Wz, tmp_path: Path, ledger_env: Path) -> None:
    wz("init")
    body = [b'<row r="2">', *repeated(b'<c t="inlineStr"><is><t>x</t></is></c>', 1_000_000), b"</row>"]
    path = workbook_with_sheet(tmp_path / "wide.xlsx", body)
    assert_refused_within_bounds(
        ["import", str(path)], ledger_env, "有超过 16384 个单元格（Excel 的列数上限）"
    )


@pytest.mark.parametrize(
    ("row", "fragment"),
    [
        (
            b'<row r="2000000000"><c r="A2000000000"><v>1</v></c></row>',
            "第 2000000000 行超过 Excel 的 1048576 行上限",
        ),
        (b'<row r="2"><c r="XFE2"><v>1</v></c></row>', "第 2 行第 16385 列超过 16384 列的上限"),
    ],
)
def test_rows_and_cells_placed_past_excel_limits(wz: Wz, tmp_path: Path, row: bytes, fragment: str) -> None:
    path = workbook_with_sheet(tmp_path / "far.xlsx", [row])
    assert fragment in wz.fail("import", str(path)).stderr.splitlines()[0]


def test_formatted_rows_below_the_data_cost_no_memory(tmp_path: Path) -> None:
    """Rows that carry only a style are dropped before openpyxl builds them (and no dict is kept per row)."""
    data = b'<row r="2"><c r="A2" t="inlineStr"><is><t>2026-11-17</t></is></c><c r="B2" t="inlineStr"><is><t>x</t></is></c></row>'
    rows = (
        b'<row r="%d" ht="15" customHeight="1"><c r="A%d" s="1"/><c r="B%d" s="1"/></row>' % (i, i, i)
        for i in range(3, 60_003)
    )
    path = workbook_with_sheet(tmp_path / "styled.xlsx", [data, b"".join(rows)])
    from wenzheng_cli.importers.base import Options
    from wenzheng_cli.importers.xlsx import XlsxImporter

    with XlsxImporter().extract(path, Options()) as table:
        assert table.columns == ["受理时间", "诉求内容"]
        assert table.total == 60_002  # rows counted before reading, for the progress bar
        assert [number for number, _ in table.rows] == [2]


def test_json_document_errors_are_bounded(wz: Wz, tmp_path: Path, ledger_env: Path) -> None:
    wz("init")
    path = tmp_path / "one-huge-record.json"
    path.write_text('[{"诉求内容": "' + "长" * 9_000_000 + '"}]', encoding="utf-8")
    assert_refused_within_bounds(["import", str(path)], ledger_env, "第 1 条记录超过 8000000 字")
    path = tmp_path / "records.json"
    rows = [{"受理时间": "2026-11-17", "诉求内容": f"第{i}件"} for i in range(3)]
    path.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    assert wz.json("import", str(path))["imported"] == 3
