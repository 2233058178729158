"""Files people open in Excel: CSV as UTF-8 with BOM, written atomically, formula injection neutralised.

A cell beginning with ``=``, ``+``, ``-``, ``@`` (or a tab or carriage return) is a formula to Excel: such
text gets a leading apostrophe, which Excel shows as text. Numbers stay numbers (``-5``, ``+3.5``).
"""

from __future__ import annotations

import csv
import os
import re
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Self

from wenzheng_cli.errors import WenzhengError

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def neutralise(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary file beside ``path`` that replaces it only when the block ends without an error."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise WenzhengError(f"目录不存在: {folder}", hint="先建立该目录，或换一个输出位置")
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    os.close(fd)
    temp = Path(name)
    try:
        yield temp
        os.replace(temp, path)
    finally:
        if temp.exists():
            temp.unlink()


class ExcelCsv:
    """Rows to a UTF-8-with-BOM CSV; every cell neutralised. Use as a context manager (atomic)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.rows = 0
        self._atomic: Any = None
        self._file: Any = None
        self._writer: Any = None

    def __enter__(self) -> Self:
        self._atomic = atomic_path(self.path)
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
