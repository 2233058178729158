"""Excel workbooks (.xlsx), streamed with openpyxl's read-only mode: the first sheet or ``--sheet``.

Date cells come as datetimes, text dates as text; both are read by the row parser. Sheets that Excel has
formatted far below the data (tens of thousands of styled but empty rows) are common: the sheet's stated
dimension is not trusted, and empty rows are dropped before any other work is spent on them.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from wenzheng_cli.errors import WenzhengError
from wenzheng_cli.importers.base import Options, Row, Table, find_header, header_notes, is_empty

ZIP_MAGIC = b"PK\x03\x04"
SAVE_AS_HINT = "在 Excel 中打开后「另存为」.xlsx 或「CSV UTF-8」再导入"


class XlsxImporter:
    name = "xlsx"

    def identify(self, path: Path, head: bytes) -> bool:
        suffix = path.suffix.lower()
        if suffix in (".xls", ".et"):
            raise WenzhengError(f"{path.name} 是旧版 Excel 文件（{suffix}），不能直接导入", hint=SAVE_AS_HINT)
        return suffix in (".xlsx", ".xlsm") or head.startswith(ZIP_MAGIC)

    @contextmanager
    def extract(self, path: Path, options: Options) -> Iterator[Table]:
        import openpyxl
        from openpyxl.utils.exceptions import InvalidFileException

        try:
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as exc:
            raise WenzhengError(
                f"{path.name} 无法按 xlsx 读取（{type(exc).__name__}）", hint=SAVE_AS_HINT
            ) from None
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
            stated_rows = getattr(sheet, "max_row", None)
            if hasattr(sheet, "reset_dimensions"):
                sheet.reset_dimensions()  # the stated dimension may be short of the data, or far past it
            position = [0]
            records = _records(sheet.iter_rows(values_only=True), position)
            with _empty_rows_skipped():
                header = find_header(records)
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


@contextmanager
def _empty_rows_skipped() -> Iterator[None]:
    """Let openpyxl's row parser drop rows whose cells carry only a style, before it builds any cell.

    Such rows are ``<row><c r="A600" s="1"/>…</row>``: no value, formula or inline string in any cell.
    Without this each of their cells costs a coordinate parse and a style lookup — most of the time spent
    on a sheet formatted 65,000 rows deep. Should openpyxl's internals change, rows are read the plain way.
    """
    try:
        from openpyxl.worksheet import _read_only
    except ImportError:  # pragma: no cover
        yield
        return
    original = getattr(_read_only, "WorkSheetParser", None)
    if original is None or not hasattr(original, "parse_row"):  # pragma: no cover
        yield
        return

    class Parser(original):  # type: ignore[misc, valid-type]
        def parse_row(self, row: Any) -> Any:
            if len(row) and all(
                not len(cell) and cell.get("r") and cell.get("t") != "inlineStr" for cell in row
            ):
                for cell in list(row):
                    row.remove(cell)
            return super().parse_row(row)

    _read_only.WorkSheetParser = Parser  # type: ignore[attr-defined]
    try:
        yield
    finally:
        _read_only.WorkSheetParser = original  # type: ignore[attr-defined]


def _records(rows: Iterator[Sequence[Any]], position: list[int]) -> Iterator[tuple[int, Sequence[Any]]]:
    for number, cells in enumerate(rows, start=1):
        position[0] = number
        if cells and not is_empty(cells):
            yield number, cells


def _chain(
    first: list[tuple[int, Sequence[Any]]], rest: Iterator[tuple[int, Sequence[Any]]]
) -> Iterator[Row]:
    yield from first
    yield from rest
