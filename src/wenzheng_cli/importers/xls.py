"""Old binary Excel workbooks (.xls, and WPS's .et, which is the same format), read with xlrd.

Known by their content (the OLE2 signature), not only their name: an .xlsx renamed .xls is read as a
workbook, and a ".xls" that a web system wrote as tab-separated text is read as text. One a web system wrote
as an HTML page is refused with the fix. Date cells (numbers in a date format) become datetimes.

xlrd over python-calamine (``benchmarks/read_formats.py``): calamine reads a full sheet faster, but copies
each shared string into every cell that uses it — a small hostile file takes gigabytes — where xlrd keeps one
string. An .xls is read whole (the format cannot be streamed), so its size is bounded.
"""

from __future__ import annotations

import io
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from wenzheng_cli.errors import WenzhengError
from wenzheng_cli.importers.base import BadRow, Options, Row, Table, find_header, header_notes, is_empty
from wenzheng_cli.importers.limits import MAX_XLS_BYTES, long_cell, long_cell_message
from wenzheng_cli.importers.xlsx import SAVE_AS_HINT, ZIP_MAGIC, unreadable

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SUFFIXES = (".xls", ".et")


class XlsImporter:
    name = "xls"

    def identify(self, path: Path, head: bytes) -> bool:
        if head.startswith(OLE_MAGIC):
            return True
        if path.suffix.lower() not in SUFFIXES or head.startswith(ZIP_MAGIC):
            return False
        text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
        if text.startswith((b"<html", b"<!doctype", b"<table", b"<?xml", b"<meta")):
            raise WenzhengError(
                f"{path.name} 其实是网页（HTML）格式的表格，不是真正的 Excel 文件", hint=SAVE_AS_HINT
            )
        return b"\x00" in head  # binary: a broken workbook (said so by xlrd); text goes to the CSV reader

    @contextmanager
    def extract(self, path: Path, options: Options) -> Iterator[Table]:
        # xlrd: loaded by the import of an .xls file alone
        import xlrd
        from xlrd.biffh import XLRDError
        from xlrd.compdoc import CompDocError

        size = path.stat().st_size
        if size > MAX_XLS_BYTES:
            raise WenzhengError(
                f"{path.name} 有 {size // 2**20} MB，超过旧版 Excel 文件 {MAX_XLS_BYTES // 2**20} MB 的上限",
                hint=SAVE_AS_HINT,
            )
        broken = (
            XLRDError,
            CompDocError,
            struct.error,
            IndexError,
            KeyError,
            ValueError,
            AssertionError,
        )
        try:
            book = xlrd.open_workbook(str(path), on_demand=True, logfile=io.StringIO(), ragged_rows=True)
        except (*broken, EOFError, OSError, TypeError, UnicodeDecodeError) as exc:
            raise unreadable(path, exc, "xls") from None
        try:
            names = book.sheet_names()
            if options.sheet is not None and options.sheet not in names:
                raise WenzhengError(
                    f"{path.name} 中没有工作表「{options.sheet}」", hint="工作表有: " + "、".join(names)
                )
            index = names.index(options.sheet) if options.sheet is not None else 0
            try:
                sheet = book.sheet_by_index(index)
            except (*broken, EOFError, TypeError, UnicodeDecodeError) as exc:
                raise unreadable(path, exc, "xls") from None
            source = path.name if len(names) == 1 else f"{path.name} 的工作表「{names[index]}」"
            position = [0]
            records = _records(sheet, book.datemode, position)
            header = find_header(records, source)
            yield Table(
                source=source,
                columns=header.columns,
                rows=_chain(header.rest, records),
                total=sheet.nrows,
                done=lambda: position[0],
                unit="rows",
                notes=header_notes(source, header),
            )
        finally:
            book.release_resources()


def _records(sheet: Any, datemode: int, position: list[int]) -> Iterator[Row]:
    # xlrd: loaded by the import of an .xls file alone
    from xlrd import XL_CELL_BOOLEAN, XL_CELL_DATE, XL_CELL_ERROR, error_text_from_code

    for index in range(sheet.nrows):
        position[0] = index + 1
        values: list[Any] = sheet.row_values(index)
        if is_empty(values):
            continue
        for at, kind in enumerate(sheet.row_types(index)):
            if kind == XL_CELL_DATE:
                values[at] = _date(values[at], datemode)
            elif kind == XL_CELL_BOOLEAN:
                values[at] = bool(values[at])
            elif kind == XL_CELL_ERROR:
                values[at] = error_text_from_code.get(values[at], "#错误")
        long = long_cell(values)
        if long is not None:
            yield index + 1, BadRow(*long_cell_message(f"第 {long} 列"), cells=values)
        else:
            yield index + 1, values


def _date(value: float, datemode: int) -> datetime | float:
    # xlrd: loaded by the import of an .xls file alone
    from xlrd.xldate import XLDateError, xldate_as_datetime

    try:
        return xldate_as_datetime(value, 1 if datemode else 0)
    except (XLDateError, ValueError, OverflowError):
        return value  # the row parser says what is wrong with it


def _chain(first: list[Row], rest: Iterator[Row]) -> Iterator[Row]:
    yield from first
    yield from rest
