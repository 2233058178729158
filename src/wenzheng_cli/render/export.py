"""What every exported spreadsheet file shares: formula-injection neutralising, and CSV that Excel opens.

A cell of text that begins with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return) would be run as a
formula by Excel; it is written with a leading ``'`` instead, so it shows as typed. Numbers stay numbers
(``-5``, ``+3.5`` as text, and of course real ints and floats): Excel reads them as numbers, not formulas. Files are written through
``wenzheng_cli.files.atomic_replace``.
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Self

from wenzheng_cli.files import atomic_replace, write_error

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


# What an XLSX cell cannot hold (XML 1.0 has no such characters): openpyxl refuses them, Excel would call the
# file damaged. A ``\x0b`` pasted from Word is the usual one.
_NOT_IN_EXCEL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def excel_text(text: str) -> str:
    """``text`` without the characters Excel cannot hold."""
    return _NOT_IN_EXCEL.sub("", text) if _NOT_IN_EXCEL.search(text) else text


def for_excel(value: Any) -> Any:
    """A cell for XLSX: the characters Excel cannot hold dropped, then neutralised."""
    return neutralise(excel_text(value) if isinstance(value, str) else value)


def neutralise(value: Any) -> Any:
    """Text that a spreadsheet would take for a formula gets a leading ``'``; anything else is unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


class ExcelCsv:
    """Rows streamed to a UTF-8-with-BOM CSV; every cell neutralised. A context manager (atomic)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.rows = 0
        self._atomic: Any = None
        self._file: Any = None
        self._writer: Any = None

    def __enter__(self) -> Self:
        self._atomic = atomic_replace(self.path)
        temp = self._atomic.__enter__()
        self._file = temp.open("w", encoding="utf-8-sig", newline="")
        self._writer = csv.writer(self._file)
        return self

    def writerow(self, cells: Sequence[Any]) -> None:
        try:
            self._writer.writerow([neutralise(c) for c in cells])
        except OSError as exc:
            raise write_error(self.path, exc) from None
        self.rows += 1

    def flush(self) -> None:
        """Everything written so far on disk (a disk that is full says so now, not after the import)."""
        try:
            self._file.flush()
            os.fsync(self._file.fileno())
        except OSError as exc:
            raise write_error(self.path, exc) from None

    def __exit__(self, *exc: Any) -> None:
        try:
            self._file.close()
        except OSError as error:
            self._atomic.__exit__(type(error), error, None)
            raise write_error(self.path, error) from None
        self._atomic.__exit__(*exc)
