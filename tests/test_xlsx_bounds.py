"""Every part of a workbook is bounded: the shared strings in number and size, the cells of a row and of a sheet.

The hostile files are made here, small on disk (a few hundred KB) and large unpacked; each must be refused with
an error naming the limit, before it takes the time and memory of reading it whole. The shared-strings reader
that replaces openpyxl's must read what openpyxl reads.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from pathlib import Path

import pytest
from openpyxl.reader.strings import read_string_table

from tests.support.cli import Wz
from wenzheng_cli.importers import xlsx_sheet
from wenzheng_cli.importers.limits import MAX_SHARED_STRINGS, MAX_SHEET_CELLS
from wenzheng_cli.importers.xlsx import SizeLimit

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    f'<?xml version="1.0" encoding="UTF-8"?><workbook {NS} xmlns:r="{REL}">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
BOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
)
HEADER = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>受理时间</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>诉求内容</t></is></c></row>'
)
FIRST = '<row r="2"><c r="A2" t="inlineStr"><is><t>2026-11-17</t></is></c><c r="B2" t="s"><v>0</v></c></row>'


def workbook(path: Path, rows: Iterable[str], strings: Iterable[str]) -> Path:
    """A one-sheet workbook whose sheet and shared strings are written piece by piece (never whole in memory)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", TYPES)
        archive.writestr("_rels/.rels", RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", BOOK_RELS)
        for name, head, pieces, foot in (
            ("xl/worksheets/sheet1.xml", f"<worksheet {NS}><sheetData>", rows, "</sheetData></worksheet>"),
            ("xl/sharedStrings.xml", f"<sst {NS}>", strings, "</sst>"),
        ):
            with archive.open(name, "w", force_zip64=True) as part:
                part.write(b'<?xml version="1.0" encoding="UTF-8"?>' + head.encode())
                for piece in pieces:
                    part.write(piece.encode())
                part.write(foot.encode())
    return path


def many_strings(path: Path) -> Path:
    """The issue's file: shared strings just under 64 MB, ``<si><t>xy</t></si>`` repeated (3.7 million)."""
    count = (64 * 2**20 - 200) // len("<si><t>xy</t></si>")
    chunk = "<si><t>xy</t></si>" * 10_000
    pieces = [chunk] * (count // 10_000)
    return workbook(path, [HEADER, FIRST], pieces)


def wide_rows(path: Path) -> Path:
    """The issue's sheet: 199 rows of 16,002 cells each, under Excel's column limit, 3.2 million in all."""
    row = "<c><v>1</v></c>" * 16_002
    return workbook(
        path, [HEADER, *(f'<row r="{r}">{row}</row>' for r in range(2, 201))], ["<si><t>x</t></si>"]
    )


def test_millions_of_short_shared_strings_are_refused(wz: Wz, tmp_path: Path) -> None:
    book = many_strings(tmp_path / "sst.xlsx")
    assert book.stat().st_size < 400_000
    wz("init")
    result = wz.fail("import", str(book), "--dry-run")
    assert f"文字表有超过 {MAX_SHARED_STRINGS} 条文字" in result.stderr
    assert "提示: " in result.stderr


def test_a_sheet_of_millions_of_cells_is_refused(wz: Wz, tmp_path: Path) -> None:
    book = wide_rows(tmp_path / "wide.xlsx")
    assert book.stat().st_size < 400_000
    wz("init")
    result = wz.fail("import", str(book), "--dry-run")
    assert f"超过 {MAX_SHEET_CELLS} 个单元格" in result.stderr


def test_short_rows_are_counted_by_the_parser(
    wz: Wz, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rows too short for the byte scan to count: the parser counts the cells it reads (a small bound here)."""
    monkeypatch.setattr(xlsx_sheet, "MAX_SHEET_CELLS", 2_000)
    rows = [HEADER, *(f'<row r="{r}"><c><v>1</v></c>{"<c/>" * 90}</row>' for r in range(2, 40))]
    book = workbook(tmp_path / "short.xlsx", rows, [])
    wz("init")
    result = wz.fail("import", str(book), "--dry-run")
    assert "超过 2000 个单元格" in result.stderr and "到第 " in result.stderr


def test_a_workbook_under_the_bounds_imports(wz: Wz, tmp_path: Path) -> None:
    rows = [
        HEADER,
        *(
            f'<row r="{r}"><c t="inlineStr"><is><t>2026-11-17</t></is></c><c t="s"><v>{r - 2}</v></c></row>'
            for r in range(2, 5)
        ),
    ]
    texts = ["<si><t>路灯不亮</t></si>", "<si><t>楼道堆物</t></si>", "<si><t>暖气不热</t></si>"]
    book = workbook(tmp_path / "fine.xlsx", rows, texts)
    wz("init")
    assert wz.json("import", str(book))["imported"] == 3


def test_the_string_count_reads_prefixes_and_block_edges(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xlsx_sheet, "COUNT_BLOCK", 7)  # every tag cut somewhere
    plain = f"<sst {NS}>" + "<si><t>甲</t></si><si/><si><r><t>乙</t></r></si>" * 5 + "</sst>"
    prefixed = plain.replace("<s", "<x:s").replace("</s", "</x:s").replace(NS, NS.replace("xmlns", "xmlns:x"))
    for text in (plain, prefixed):
        assert xlsx_sheet.count_shared_strings(io.BytesIO(text.encode())) == 15


def test_the_string_count_stops_at_the_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xlsx_sheet, "MAX_SHARED_STRINGS", 10)
    text = f"<sst {NS}>" + "<si><t>x</t></si>" * 11 + "</sst>"
    with pytest.raises(SizeLimit, match="超过 10 条"):
        xlsx_sheet.count_shared_strings(io.BytesIO(text.encode()))
    with pytest.raises(SizeLimit, match="超过 10 条"):
        xlsx_sheet.read_shared_strings(io.BytesIO(text.encode()))


def test_the_string_bytes_stop_at_the_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xlsx_sheet, "MAX_STRINGS_BYTES", 1000)
    text = f"<sst {NS}>" + "<si><t>x</t></si>" * 100 + "</sst>"
    with pytest.raises(SizeLimit, match="MB 的上限"):
        xlsx_sheet.count_shared_strings(io.BytesIO(text.encode()))


def test_the_strings_memory_stops_at_the_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    """One wide character makes every character of its string wide in memory: the bound is on memory."""
    monkeypatch.setattr(xlsx_sheet, "MAX_STRINGS_MEMORY", 20_000)
    text = f"<sst {NS}>" + ("<si><t>路" + "x" * 100 + "</t></si>") * 100 + "</sst>"
    assert len(text.encode()) < 20_000
    with pytest.raises(SizeLimit, match="读入后超过"):
        xlsx_sheet.read_shared_strings(io.BytesIO(text.encode()))


def test_shared_strings_read_as_openpyxl_reads_them() -> None:
    """Plain, empty, rich (runs), phonetic runs, kept spaces and Excel's ``_x005F_`` escape."""
    strings = [
        "<si><t>路灯不亮</t></si>",
        "<si><t/></si>",
        "<si/>",
        '<si><t xml:space="preserve">  两头有空格  </t></si>',
        "<si><r><rPr><b/></rPr><t>加粗</t></r><r><t>普通</t></r></si>",
        '<si><t>东城</t><rPh sb="0" eb="2"><t>とうじょう</t></rPh><phoneticPr fontId="1"/></si>',
        "<si><t>a_x005F_x000D_b</t></si>",
    ]
    data = (f'<?xml version="1.0" encoding="UTF-8"?><sst {NS}>' + "".join(strings) + "</sst>").encode()
    assert xlsx_sheet.read_shared_strings(io.BytesIO(data)) == read_string_table(io.BytesIO(data))
    assert xlsx_sheet.count_shared_strings(io.BytesIO(data)) == len(strings)


def test_real_exports_read_the_same() -> None:
    examples = Path(__file__).resolve().parents[1] / "examples"
    books = sorted(examples.glob("*.xlsx"))
    assert books
    for book in books:
        with zipfile.ZipFile(book) as archive:
            for name in archive.namelist():
                if name.lower().endswith("sharedstrings.xml"):
                    ours = xlsx_sheet.read_shared_strings(archive.open(name))
                    assert ours == read_string_table(archive.open(name)), book.name
                    assert xlsx_sheet.count_shared_strings(archive.open(name)) == len(ours)


def test_a_cell_naming_a_missing_shared_string_is_a_broken_file(wz: Wz, tmp_path: Path) -> None:
    rows = [HEADER, '<row r="2"><c t="inlineStr"><is><t>2026-11-17</t></is></c><c t="s"><v>7</v></c></row>']
    book = workbook(tmp_path / "missing.xlsx", rows, ["<si><t>路灯不亮</t></si>"])
    wz("init")
    err = wz.fail("import", str(book), "--dry-run").stderr
    assert "无法读取（IndexError），文件可能已损坏" in err and "内部错误" not in err
