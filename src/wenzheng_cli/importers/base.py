"""What every importer gives the core: a table with a header and a stream of rows.

The protocol follows beangulp's importers: ``identify`` (is this file mine?), ``extract`` (the rows, streamed,
never a whole-file list, so memory stays flat however long the file) — and deduplication, which the core does
by source key against the ledger. Rows are ``(row number as the file shows it, cells)``; a line that cannot
even be read as a row (bad JSON) comes as a :class:`BadRow` and becomes that row's error.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple, Protocol

from wenzheng_cli.errors import Phrase, WenzhengError, phrase, pieces
from wenzheng_cli.importers.headers import header_score

HEADER_SCAN = 10  # a header may sit under a few title rows


class BadRow(NamedTuple):
    message: Phrase
    hint: Phrase
    cells: Sequence[Any] = ()  # the row as read, when it could be read, for --rejects


Row = tuple[int, Sequence[Any] | BadRow]


@dataclass
class Options:
    sheet: str | None = None
    encoding: str | None = None


@dataclass
class Table:
    source: str  # how messages name the file: "走访.csv" or "导出.xlsx 的工作表「Sheet1」"
    columns: list[str]
    rows: Iterator[Row]
    total: int | None = None  # for the progress bar, in the unit of ``done``
    done: Callable[[], int] = lambda: 0
    unit: str = "bytes"  # or "rows"
    notes: list[Phrase] = field(default_factory=list)
    on_new_column: Callable[[str], None] | None = None  # JSON Lines objects may bring new keys
    # One column's cells from a fresh read of the file (for a date column's order); None when the file
    # cannot be read twice (a pipe).
    column_values: Callable[[int], Generator[Any, None, None]] | None = None


class Importer(Protocol):
    name: str

    def identify(self, path: Path, head: bytes) -> bool: ...

    def extract(self, path: Path, options: Options) -> AbstractContextManager[Table]: ...


def is_empty(cells: Sequence[Any]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


@dataclass
class Header:
    row: int  # 0 when the file has no row at all
    columns: list[str]
    rest: list[Row]  # rows read past the header that must still be imported
    skipped: list[int]  # title rows above the header


def find_header(rows: Iterator[Row], source: str = "") -> Header:
    """The header row among the first non-empty rows: the first that reads as headers, else the first.

    A row that could not be read (a :class:`BadRow`) ends the search: it stays a row, reported as such."""
    seen: list[tuple[int, Sequence[Any]]] = []
    bad: list[Row] = []
    for number, cells in rows:
        if isinstance(cells, BadRow):
            bad.append((number, cells))
            break
        if is_empty(cells):
            continue
        seen.append((number, cells))
        if header_score(cells) >= 2 or len(seen) >= HEADER_SCAN:
            break
    if not seen:
        if bad:
            number, row = bad[0]
            assert isinstance(row, BadRow)
            where = f"{source} 第 {number} 行（表头）: ".lstrip()
            raise WenzhengError(phrase(where, *pieces(row.message)), hint=row.hint)
        return Header(0, [], [], [])
    at = next((i for i, (_, cells) in enumerate(seen) if header_score(cells) >= 2), 0)
    number, cells = seen[at]
    columns = [str(c).strip() if c is not None else "" for c in cells]
    while columns and not columns[-1]:
        columns.pop()
    return Header(number, columns, [*seen[at + 1 :], *bad], [n for n, _ in seen[:at]])


def header_notes(source: str, header: Header) -> list[Phrase]:
    if not header.skipped:
        return []
    rows = "、".join(str(n) for n in header.skipped)
    return [f"{source} 第 {rows} 行在表头之上（标题行），未导入"]
