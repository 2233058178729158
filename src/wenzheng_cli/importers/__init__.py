"""Importers: one module per file format, each streaming ``(row number, cells)`` under a header.

``open_table`` asks each importer in turn whether the file is its own (``identify``, from the first bytes
and only then the name) and lets the first that says yes stream it (``extract``). The heavy libraries (openpyxl, charset-normalizer) are imported inside
the importers, only when a file of that kind is read.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from wenzheng_cli.errors import WenzhengError, option, phrase
from wenzheng_cli.importers.base import BadRow, Importer, Options, Table
from wenzheng_cli.importers.csvfile import CsvImporter
from wenzheng_cli.importers.jsondoc import JsonDocumentImporter
from wenzheng_cli.importers.jsonl import JsonLinesImporter
from wenzheng_cli.importers.xls import XlsImporter
from wenzheng_cli.importers.xlsx import XlsxImporter


def importers() -> list[Importer]:
    return [XlsImporter(), XlsxImporter(), JsonLinesImporter(), JsonDocumentImporter(), CsvImporter()]


def identify(path: Path) -> Importer:
    if not path.exists():
        raise WenzhengError(f"找不到文件 {path}", hint="检查文件名和所在目录")
    if path.is_dir():
        raise WenzhengError(f"{path} 是目录，不是文件", hint="写出要导入的文件名，可一次写多个")
    if not path.is_file():  # a FIFO, /dev/stdin, <(…), a device: reading could hang or never end
        raise WenzhengError(
            f"{path} 不是普通文件（管道或设备），无法导入",
            hint="先把内容保存为文件（如 走访.csv），再导入该文件",
        )
    try:
        with path.open("rb") as f:
            head = f.read(512)
    except OSError as exc:
        raise WenzhengError(f"无法读取 {path.name}（{exc.strerror}）", hint="检查文件权限") from None
    for importer in importers():
        if importer.identify(path, head):
            return importer
    raise WenzhengError(f"不支持 {path.name} 的格式", hint="支持 CSV、XLSX、XLS 和 JSON")  # pragma: no cover


@contextmanager
def open_table(path: Path, options: Options) -> Iterator[Table]:
    importer = identify(path)
    with importer.extract(path, options) as table:
        table.column_values = _rereader(importer, path, options)
        if options.sheet is not None and importer.name not in ("xlsx", "xls"):
            table.notes.append(phrase(f"{path.name} 不是工作簿，", option("sheet"), " 不起作用"))
        if options.encoding is not None and importer.name in ("xlsx", "xls"):
            table.notes.append(phrase(f"{path.name} 是工作簿，", option("encoding"), " 不起作用"))
        yield table


def _rereader(
    importer: Importer, path: Path, options: Options
) -> Callable[[int], Generator[Any, None, None]] | None:
    """One column's cells from a fresh read of the file, or None when it cannot be read twice."""
    if not path.is_file():
        return None

    def values(index: int) -> Generator[Any, None, None]:
        with importer.extract(path, options) as again:
            for _, cells in again.rows:
                if not isinstance(cells, BadRow) and index < len(cells):
                    yield cells[index]

    return values
