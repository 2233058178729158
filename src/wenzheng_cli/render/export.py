"""What every exported file shares: formula-injection neutralising and writing atomically, owner-only.

A cell of text that begins with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return) would be run as a
formula by Excel; it is written with a leading ``'`` instead, so it shows as typed. Numbers stay numbers
(``-5``, ``+3.5`` as text, and of course real ints and floats): Excel reads them as numbers, not formulas. A file is written to a temporary file in the same
directory (created 0600) and renamed over the target, so a reader — or the street office's upload job —
never sees half a file.
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

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def neutralise(value: Any) -> Any:
    """Text that a spreadsheet would take for a formula gets a leading ``'``; anything else is unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def write_atomic(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` all at once (temp file in the same directory, then rename), mode 0600."""
    target = Path(path).expanduser()
    if target.is_dir():
        raise WenzhengError(f"{target} 是目录", hint="--output 写文件路径，如 reports/2026-10.xlsx")
    directory = target.parent
    if not directory.is_dir():
        raise WenzhengError(f"输出目录不存在: {directory}", hint="先建立该目录，或换一个 --output 路径")
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise WenzhengError(f"无法在 {directory} 写入文件: {exc.strerror}", hint="检查目录的写权限") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o600)
        os.replace(temp, target)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise WenzhengError(f"无法写入 {target}: {exc.strerror}", hint="检查磁盘空间和目录权限") from None
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return target


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary 0600 file beside ``path`` that replaces it only when the block ends without an error."""
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
    """Rows streamed to a UTF-8-with-BOM CSV; every cell neutralised. A context manager (atomic)."""

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
