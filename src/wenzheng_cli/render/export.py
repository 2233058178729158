"""What every exported spreadsheet file shares: formula-injection neutralising, and CSV that Excel opens.

A cell of text that begins with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return) would be run as a
formula by Excel; it is written with a leading ``'`` instead, so it shows as typed. Numbers stay numbers
(``-5``, ``+3.5`` as text, and of course real ints and floats): Excel reads them as numbers, not formulas. Files are written through
``wenzheng_cli.files.atomic_replace``.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Self

from wenzheng_cli.files import atomic_replace

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


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
        self._writer.writerow([neutralise(c) for c in cells])
        self.rows += 1

    def __exit__(self, *exc: Any) -> None:
        self._file.close()
        self._atomic.__exit__(*exc)
