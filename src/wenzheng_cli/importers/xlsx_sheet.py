"""openpyxl's read-only workbook, with worksheets that read their rows through a parser keeping memory and time
bounded.

The parser refuses rows and columns past Excel's limits (a cell at column 10⁹ would otherwise make openpyxl
allocate a row of 10⁹ values, a row numbered 10⁹ make it yield 10⁹ empty rows), keeps no dict per formatted
row, and drops rows whose cells carry only a style before any work is spent on them:
``<row><c r="A600" s="1"/>…</row>``, tens of thousands of them under a sheet that Excel has formatted far below
its data. It reads a sheet's stated dimension from the start of the sheet alone, never by parsing it whole.
It counts the cells it parses against :data:`limits.MAX_SHEET_CELLS`. (Rows too wide to build at all, and
sheets whose long rows hold too many cells, are caught before, by ``xlsx.prescan``.)

The shared strings, which openpyxl would read whole into memory (a 160 KB file can hold four million of them),
are counted on their bytes first and read by a parser that keeps nothing but the strings, both bounded in
number and size (:data:`limits.MAX_SHARED_STRINGS`, :data:`limits.MAX_STRINGS_BYTES`).

Only the workbooks opened here use it: they are read by a subclass of openpyxl's reader that makes worksheets
of a subclass of its read-only worksheet, and nothing of openpyxl itself is changed, so any other workbook in
the process reads as openpyxl reads it. The subclasses lean on openpyxl's internals (the names imported below,
the reader's list of sheets); should those change, :func:`open_workbook` reads the plain way.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Generator, Iterator
from typing import IO, Any

from openpyxl.cell.read_only import EMPTY_CELL
from openpyxl.cell.text import Text
from openpyxl.reader.excel import ExcelReader, load_workbook
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import DATA_TAG, DIMENSION_TAG, ROW_TAG, WorkSheetParser
from openpyxl.worksheet.dimensions import SheetDimension
from openpyxl.xml.constants import SHARED_STRINGS, SHEET_MAIN_NS
from openpyxl.xml.functions import iterparse

from wenzheng_cli.importers.limits import (
    MAX_COLUMNS,
    MAX_SHARED_STRINGS,
    MAX_SHEET_CELLS,
    MAX_SHEET_ROWS,
    MAX_STRINGS_BYTES,
    MAX_STRINGS_MEMORY,
)
from wenzheng_cli.importers.xlsx import SheetLimit, SizeLimit

_STRING_TAG = f"{{{SHEET_MAIN_NS}}}si"
_TEXT_TAG = f"{{{SHEET_MAIN_NS}}}t"


class BoundedParser(WorkSheetParser):
    row_counter: int
    cells = 0  # cells parsed so far, against MAX_SHEET_CELLS

    def parse_dimensions(self) -> Any:
        """The stated dimension, which Excel writes before the data: never a parse of the whole sheet."""
        for _, element in iterparse(self.source, events=("start",)):
            if element.tag == DIMENSION_TAG:
                found = SheetDimension.from_tree(element)
                return found.boundaries if found is not None else None
            if element.tag == DATA_TAG:
                return None
        return None

    def parse(self) -> Generator[tuple[int, list[dict[str, Any]]], None, None]:
        for _, element in iterparse(self.source):
            if element.tag != ROW_TAG:
                continue
            if len(element) and not any(len(cell) for cell in element):
                self.row_counter = _row_number(element.get("r"), self.row_counter)
                row = None  # only styles: nothing to read
            else:
                self.cells += len(element)
                if self.cells > MAX_SHEET_CELLS:
                    where = f"到第 {self.row_counter + 1} 行"
                    raise SizeLimit(f"{where}已有超过 {MAX_SHEET_CELLS} 个单元格，超过一张工作表的上限")
                self.row_counter, row = self.parse_row(element)
                self.row_dimensions.clear()
            element.clear()
            if self.row_counter > MAX_SHEET_ROWS:
                raise SheetLimit(f"第 {self.row_counter} 行超过 Excel 的 {MAX_SHEET_ROWS} 行上限")
            if row:
                widest = max(cell["column"] for cell in row)
                if widest > MAX_COLUMNS:
                    raise SheetLimit(f"第 {self.row_counter} 行第 {widest} 列超过 {MAX_COLUMNS} 列的上限")
                yield self.row_counter, row


class BoundedSheet(ReadOnlyWorksheet):
    """openpyxl's read-only worksheet, its size and rows read by :class:`BoundedParser`."""

    def _get_size(self) -> None:
        this: Any = self  # the read-only worksheet's own helpers, which openpyxl's stubs leave out
        with this._get_source() as source:
            dimensions = BoundedParser(source, []).parse_dimensions()
        if dimensions is not None:
            self._min_column, self._min_row, self._max_column, self._max_row = dimensions

    def _cells_by_row(
        self, min_col: int, min_row: int, max_col: int | None, max_row: int | None, values_only: bool = False
    ) -> Iterator[tuple[Any, ...]]:
        """openpyxl's own, but for the parser: rows the sheet leaves out come as empty rows, so that a row's
        place is its number; a stated size cuts the rows off and pads them to it."""
        filler = None if values_only else EMPTY_CELL
        max_col = max_col or self.max_column
        max_row = max_row or self.max_row
        empty_row: tuple[Any, ...] = () if max_col is None else (filler,) * (max_col + 1 - min_col)
        counter = min_row
        idx = 1
        this: Any = self  # the read-only worksheet's own helpers, which openpyxl's stubs leave out
        book: Any = self.parent
        with this._get_source() as source:
            parser = BoundedParser(
                source,
                this._shared_strings,
                data_only=book.data_only,
                epoch=book.epoch,
                date_formats=book._date_formats,
                timedelta_formats=book._timedelta_formats,
            )
            for idx, row in parser.parse():
                if max_row is not None and idx > max_row:
                    break
                for _ in range(counter, idx):
                    counter += 1
                    yield empty_row
                if counter <= idx:
                    counter += 1
                    yield this._get_row(row, min_col, max_col, values_only)
        if max_row is not None and max_row < idx:
            for _ in range(counter, max_row + 1):
                yield empty_row


class BoundedReader(ExcelReader):
    """openpyxl's reader in read-only mode, making :class:`BoundedSheet` worksheets, its shared strings read
    by :func:`read_shared_strings`."""

    def read_strings(self) -> None:
        this: Any = self  # the reader's own parts, which openpyxl's stubs leave out
        found = this.package.find(SHARED_STRINGS)
        if found is not None:
            with this.archive.open(found.PartName[1:]) as source:
                count_shared_strings(source)  # a hostile table is refused by a byte scan, before any parse
            with this.archive.open(found.PartName[1:]) as source:
                this.shared_strings = read_shared_strings(source)

    def read_worksheets(self) -> None:
        sheet: Any
        rel: Any
        book: Any = self.wb
        for sheet, rel in self.parser.find_sheets():
            if rel.target not in self.valid_files:
                continue
            if "chartsheet" in rel.Type:
                self.read_chartsheet(sheet, rel)
                continue
            worksheet = BoundedSheet(book, sheet.name, rel.target, self.shared_strings)
            worksheet.sheet_state = sheet.state
            book._sheets.append(worksheet)


def _understood() -> bool:
    """Whether openpyxl's internals are as the subclasses above expect."""
    return (
        hasattr(ExcelReader, "read_strings")
        and all(hasattr(WorkSheetParser, name) for name in ("parse_row", "parse_dimensions", "parse"))
        and all(
            hasattr(ReadOnlyWorksheet, name)
            for name in ("_get_size", "_cells_by_row", "_get_row", "_get_source")
        )
    )


def open_workbook(raw: IO[bytes]) -> Any:
    """The workbook in ``raw``, read-only, values rather than formulas."""
    if not _understood():  # pragma: no cover - another openpyxl
        return load_workbook(raw, read_only=True, data_only=True)
    reader = BoundedReader(raw, read_only=True, data_only=True)
    reader.read()
    return reader.wb


def _row_number(text: str | None, previous: int) -> int:
    if text is None:
        return previous + 1
    try:
        return int(float(text))
    except (ValueError, OverflowError):
        raise SheetLimit(f"行号「{text[:20]}」不是数字") from None


class _Budget:
    """A part read through a byte budget: past :data:`MAX_STRINGS_BYTES`, reading stops with an error (the
    stated size of a part is checked before, but an archive may state less than it holds)."""

    def __init__(self, source: IO[bytes]) -> None:
        self.source = source
        self.left = MAX_STRINGS_BYTES

    def read(self, size: int = -1) -> bytes:
        data = self.source.read(size if size >= 0 else self.left + 1)
        self.left -= len(data)
        if self.left < 0:
            raise SizeLimit(f"文字表超过 {MAX_STRINGS_BYTES // 2**20} MB 的上限")
        return data


_PREFIX = re.compile(rb"<([A-Za-z_][\w.-]*):sst[\s>/]")
COUNT_BLOCK = 1 << 20


def count_shared_strings(source: IO[bytes]) -> int:
    """The number of strings in a shared-strings part, counted on its bytes (ten times faster than a parse),
    refused past :data:`MAX_SHARED_STRINGS` or :data:`MAX_STRINGS_BYTES`. A string ends ``</si>`` or is empty,
    ``<si/>``; text cannot hold a ``<``, so these are tags wherever they are found. A block is scanned up to its
    last ``<``, the rest carried over, so that no tag is cut in two or counted twice."""
    budget = _Budget(source)
    ends: tuple[bytes, ...] = (b"</si>", b"<si/>", b"<si />")
    count = 0
    tail = b""
    first = True
    while block := budget.read(COUNT_BLOCK):
        data = tail + block
        if first and (found := _PREFIX.search(data, 0, 4096)) is not None:
            prefix = found.group(1)
            ends = (b"</" + prefix + b":si>", b"<" + prefix + b":si/>", b"<" + prefix + b":si />")
        first = False
        cut = data.rfind(b"<")
        cut = len(data) if cut < 0 else cut
        tail, data = data[cut:], data[:cut]
        count += sum(data.count(end) for end in ends)
        if count > MAX_SHARED_STRINGS:
            raise _too_many_strings()
    count += sum(tail.count(end) for end in ends)
    if count > MAX_SHARED_STRINGS:
        raise _too_many_strings()
    return count


def _too_many_strings() -> SizeLimit:
    return SizeLimit(f"文字表有超过 {MAX_SHARED_STRINGS} 条文字，超过读取的上限")


def read_shared_strings(source: IO[bytes]) -> list[str]:
    """The workbook's shared strings as openpyxl reads them (rich text as its plain text, ``_x005F_`` undone),
    bounded in bytes (:data:`MAX_STRINGS_BYTES`), in number (:data:`MAX_SHARED_STRINGS`: a string of two
    letters costs as much to read and keep as one of two hundred) and in memory (:data:`MAX_STRINGS_MEMORY`).
    Each string's element is dropped from the tree once read, so memory holds the strings alone."""
    strings: list[str] = []
    held = 0  # bytes of memory the strings take
    root: Any = None
    for event, node in iterparse(_Budget(source), events=("start", "end")):
        if root is None:
            root = node
        if event != "end" or node.tag != _STRING_TAG:
            continue
        if len(strings) >= MAX_SHARED_STRINGS:
            raise _too_many_strings()
        if len(node) == 1 and node[0].tag == _TEXT_TAG and not len(node[0]):
            text = node[0].text or ""  # plain text, by far the most common: what openpyxl makes of it
        else:
            rich: Any = Text.from_tree(node)
            text = rich.content
        text = text.replace("x005F_", "")
        held += sys.getsizeof(text)
        if held > MAX_STRINGS_MEMORY:
            raise SizeLimit(f"文字表读入后超过 {MAX_STRINGS_MEMORY // 2**20} MB 的上限")
        strings.append(text)
        root.clear()
    return strings
