"""Excel workbooks (.xlsx), streamed with openpyxl's read-only mode: the first sheet or ``--sheet``.

Date cells come as datetimes, text dates as text; both are read by the row parser. Sheets that Excel has
formatted far below the data (tens of thousands of styled but empty rows) are common: the sheet's stated
dimension is not trusted, and empty rows are dropped before any other work is spent on them.

Bounded (:mod:`limits`): before anything is unpacked, each part's stated size is checked (Python's zipfile
never unpacks past it), so a zip bomb is refused at once; while rows stream, rows and columns past Excel's
limits end the reading with an error naming the limit. openpyxl is kept over python-calamine, which reads
faster but holds the whole sheet and copies each shared string into every cell that uses it, so that a small
hostile workbook takes hundreds of times its size in memory (``benchmarks/read_formats.py``).
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

from wenzheng_cli.errors import WenzhengError
from wenzheng_cli.importers.base import BadRow, Options, Row, Table, find_header, header_notes, is_empty
from wenzheng_cli.importers.limits import (
    MAX_COLUMNS,
    MAX_PACKED_PART,
    MAX_PART_BYTES,
    MAX_RATIO,
    MAX_SHEET_CELLS,
    MAX_SHEET_ROWS,
    MAX_STRINGS_BYTES,
    long_cell,
    long_cell_message,
    too_wide,
)

ZIP_MAGIC = b"PK\x03\x04"
SAVE_AS_HINT = "在 Excel 中打开后「另存为」.xlsx 或「CSV UTF-8」再导入"
BOMB_HINT = "文件可能已损坏或被做了手脚；请向发件人要一份重新导出的文件"
SPLIT_HINT = "把工作簿拆成几个文件，或另存为 CSV UTF-8 再导入；若文件不该这么大，可能已损坏"
# What a workbook that breaks off in the middle raises while its rows stream.
# IndexError: a cell naming a shared string past the end of the table.
BROKEN = (
    zipfile.BadZipFile,
    zlib.error,
    ParseError,
    EOFError,
    KeyError,
    IndexError,
    ValueError,
    TypeError,
    OSError,
)


class XlsxImporter:
    name = "xlsx"

    def identify(self, path: Path, head: bytes) -> bool:
        return path.suffix.lower() in (".xlsx", ".xlsm") or head.startswith(ZIP_MAGIC)

    @contextmanager
    def extract(self, path: Path, options: Options) -> Iterator[Table]:
        # openpyxl is loaded by the import of an xlsx file alone (it takes longer to load than most commands run)
        from openpyxl.utils.exceptions import InvalidFileException

        from wenzheng_cli.importers.xlsx_sheet import open_workbook

        check_parts(path)
        raw = path.open("rb")  # an open file, so that openpyxl goes by the content, not the name
        try:
            book = open_workbook(raw)  # the sheets' sizes are read as the workbook opens
        except SheetLimit as exc:  # the shared strings, read as the workbook opens
            raw.close()
            raise WenzhengError(f"{path.name} {exc}", hint=SPLIT_HINT) from None
        except (InvalidFileException, *BROKEN) as exc:
            raw.close()
            raise unreadable(path, exc) from None
        try:
            if options.sheet is not None:
                if options.sheet not in book.sheetnames:
                    raise WenzhengError(
                        f"{path.name} 中没有工作表「{options.sheet}」",
                        hint="工作表有: " + "、".join(book.sheetnames),
                    )
                sheet: Any = book[options.sheet]
            else:
                sheet = book.worksheets[0]
            source = path.name if len(book.sheetnames) == 1 else f"{path.name} 的工作表「{sheet.title}」"
            if hasattr(sheet, "reset_dimensions"):
                sheet.reset_dimensions()  # the stated dimension may be short of the data, or far past it
            part = getattr(sheet, "_worksheet_path", None)
            stated_rows = prescan(path, part, source) if isinstance(part, str) else None
            position = [0]
            records = _records(sheet.iter_rows(values_only=True), position, path, source)
            header = find_header(records, source)
            if len(header.columns) > MAX_COLUMNS:  # pragma: no cover - the parser stops such rows first
                raise too_wide(source, len(header.columns), f"第 {header.row} 行（表头）")
            yield Table(
                source=source,
                columns=header.columns,
                rows=_chain(header.rest, records),
                total=stated_rows,
                done=lambda: position[0],
                unit="rows",
                notes=header_notes(source, header),
            )
        finally:
            book.close()
            raw.close()


def unreadable(path: Path, exc: BaseException, kind: str = "xlsx") -> WenzhengError:
    return WenzhengError(
        f"{path.name} 无法按 {kind} 读取（{type(exc).__name__}），文件可能已损坏", hint=SAVE_AS_HINT
    )


def check_parts(path: Path) -> None:
    """Refuse a workbook whose parts would unpack to more than any real export (a zip bomb), before reading.

    The sizes are those the archive states; Python's zipfile never unpacks a part past its stated size."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise unreadable(path, exc) from None
    for part in parts:
        size, packed = part.file_size, part.compress_size
        if size > MAX_PART_BYTES or (size > MAX_PACKED_PART and size > MAX_RATIO * max(packed, 1)):
            raise WenzhengError(
                f"{path.name} 中的「{part.filename[-40:]}」解压后有 {size // 2**20} MB"
                f"（压缩了 {size // max(packed, 1)} 倍），超过导入的上限",
                hint=BOMB_HINT,
            )
        if part.filename.lower().endswith("sharedstrings.xml") and size > MAX_STRINGS_BYTES:
            raise WenzhengError(
                f"{path.name} 的文字表解压后有 {size // 2**20} MB，超过 {MAX_STRINGS_BYTES // 2**20} MB 的上限",
                hint=SPLIT_HINT,
            )


class SheetLimit(Exception):
    """A worksheet breaks one of the bounds of :mod:`limits` (the message says which, without the file)."""


class SizeLimit(SheetLimit):
    """A workbook holds more cells or shared strings than are read at once: a bound a real, very big export can
    reach too, so the fix offered is to split it or save it as CSV."""


_ROW = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s>/]")
_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s>/]")
# Rows shorter than this (in bytes) are not counted by the scan: such a row holds a thousand cells at most
# (``<c/>`` is four bytes), and the parser counts the cells it reads against MAX_SHEET_CELLS too.
_LONG = 4096
PRESCAN_BLOCK = 1 << 20


def prescan(path: Path, part: str, source: str) -> int:
    """Count the rows of a worksheet's XML, and the cells of any long row, before it is parsed.

    A byte scan, far cheaper than parsing (openpyxl builds a whole ``<row>``
    before anyone can look at it: a row of a million cells is a gigabyte), so a sheet past Excel's limits, or
    whose long rows hold more than :data:`MAX_SHEET_CELLS` cells in all, is refused at once instead of after
    minutes."""
    rows = 0
    cells = 0  # in the row still open at the end of the block
    counted = 0  # in all the long rows so far
    tail = b""
    try:
        with zipfile.ZipFile(path) as archive, archive.open(part) as xml:
            while True:
                block = xml.read(PRESCAN_BLOCK)
                data = tail + block
                cut = data.rfind(b"<") if block else len(data)
                cut = len(data) if cut < 0 else cut
                tail, data = data[cut:], data[:cut]
                last = 0
                for found in _ROW.finditer(data):
                    rows += 1
                    start = found.start()
                    if start - last >= _LONG:
                        found_cells = len(_CELL.findall(data, last, start))
                        cells, counted = cells + found_cells, counted + found_cells
                    _check_width(cells, rows - 1, source)
                    cells, last = 0, start
                if len(data) - last >= _LONG or cells:
                    found_cells = len(_CELL.findall(data, last))
                    cells, counted = cells + found_cells, counted + found_cells
                    _check_width(cells, rows, source)
                if counted > MAX_SHEET_CELLS:
                    raise WenzhengError(
                        f"{source} 到第 {rows} 行已有超过 {MAX_SHEET_CELLS} 个单元格，超过一张工作表的上限",
                        hint=SPLIT_HINT,
                    )
                if rows > MAX_SHEET_ROWS:
                    raise WenzhengError(
                        f"{source} 有超过 {MAX_SHEET_ROWS} 行（Excel 的行数上限）", hint=BOMB_HINT
                    )
                if not block:
                    return rows
    except (KeyError, *BROKEN) as exc:
        raise unreadable(path, exc) from None


def _check_width(cells: int, row: int, source: str) -> None:
    if cells > MAX_COLUMNS:
        raise WenzhengError(
            f"{source} 第 {row} 个行元素有超过 {MAX_COLUMNS} 个单元格（Excel 的列数上限）", hint=BOMB_HINT
        )


def _records(
    rows: Iterator[Sequence[Any]], position: list[int], path: Path, source: str
) -> Iterator[tuple[int, Sequence[Any] | BadRow]]:
    number = 0
    try:
        for number, cells in enumerate(rows, start=1):
            position[0] = number
            if cells and not is_empty(cells):
                column = long_cell(cells)
                if column is not None:
                    yield number, BadRow(*long_cell_message(f"第 {column} 列"), cells=cells)
                else:
                    yield number, cells
    except SheetLimit as exc:
        raise WenzhengError(
            f"{source} {exc}", hint=SPLIT_HINT if isinstance(exc, SizeLimit) else BOMB_HINT
        ) from None
    except BROKEN as exc:
        raise WenzhengError(
            f"{source} 第 {number + 1} 行附近无法读取（{type(exc).__name__}），文件可能已损坏",
            hint=SAVE_AS_HINT,
        ) from None


def _chain(first: list[Row], rest: Iterator[Row]) -> Iterator[Row]:
    yield from first
    yield from rest
