"""The bounds every file read keeps, so that no file — broken, hostile or just odd — can take unbounded memory
or time: a line, a cell, a row's width, a JSON record's size, depth and numbers, a workbook's parts.

Each bound is far above what a real export holds (Excel's own limits, where it has them) and each has one clear
message naming it. Cells over the limit make only their row invalid; a file that breaks a bound of its shape
(a line that never ends, a workbook that unpacks to gigabytes) is refused whole, before anything is imported.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from wenzheng_cli.errors import WenzhengError

MAX_CELL = 32_767  # characters in one cell: Excel's own limit
MAX_COLUMNS = 16_384  # columns in a row or header: Excel's own limit (XFD)
MAX_SHEET_ROWS = 1_048_576  # rows of a worksheet: Excel's own limit
MAX_LINE = 4_000_000  # characters on one line of a text file (a CSV row of 100 full cells is 3.3 million)
MAX_RECORD = 8_000_000  # characters of one JSON record
MAX_DEPTH = 32  # levels of nesting inside one JSON record
MAX_DIGITS = 40  # an integer longer than this is kept as its digits (a long ID), never converted
# Workbooks: what their compressed parts may unpack to, and how far. A real export compresses about 5–10 : 1;
# a part that unpacks to more than MAX_RATIO times its size (and to more than MAX_PACKED_PART) is a zip bomb.
MAX_STRINGS_BYTES = 100 * 1024 * 1024  # the shared-strings part, which readers hold in memory whole
# Its strings: each is an object in memory and a step of parsing, however short ("<si><t>xy</t></si>" is 18
# bytes), so their number is bounded apart from their size. An export of 50,000 rows has about 300,000.
MAX_SHARED_STRINGS = 1_000_000
# … and what they take in memory, which their size in the file does not tell: a character of UTF-8 text takes
# one to four bytes in the file, and as many (or more) in memory as the widest character of its string.
MAX_STRINGS_MEMORY = 100 * 1024 * 1024
# Cells of one worksheet that the reader parses (each is a few microseconds and a dict): 100,000 rows of 10
# columns. A bigger table imports as CSV, which has no such bound, or split into several workbooks.
MAX_SHEET_CELLS = 1_000_000
MAX_PART_BYTES = 2 * 1024 * 1024 * 1024  # one worksheet's XML
MAX_RATIO = 200
MAX_PACKED_PART = 64 * 1024 * 1024
MAX_XLS_BYTES = 64 * 1024 * 1024  # an old .xls is read whole; a full 65,536-row sheet is about 20 MB

LINE_HINT = "文件可能不是文本表格，或已损坏；请在 Excel 中打开后另存为 CSV UTF-8 再导入"


def json_int(text: str) -> int | str:
    """JSON integers: a long one (an ID of 20+ digits, or 4,300 digits of junk) stays text, never a huge int."""
    return int(text) if len(text) <= MAX_DIGITS else text


def too_wide(source: str, count: int, where: str) -> WenzhengError:
    return WenzhengError(
        f"{source} {where}有 {count} 列，超过 {MAX_COLUMNS} 列的上限",
        hint="表格的列数不会超过 Excel 的 16384 列，文件可能已损坏；请检查后重新导出",
    )


def long_cell(cells: Sequence[Any]) -> int | None:
    """The 1-based column of the first text cell longer than :data:`MAX_CELL`, if any."""
    for index, cell in enumerate(cells):
        if type(cell) is str and len(cell) > MAX_CELL:
            return index + 1
    return None


def long_cell_message(where: str) -> tuple[str, str]:
    """(message, hint) for a cell over :data:`MAX_CELL`; ``where`` names it: ``第 3 列`` or ``「诉求内容」``."""
    return (
        f"{where}的内容超过 {MAX_CELL} 字（Excel 一格的上限）",
        "多半是英文双引号没有成对，或内容粘贴重复了；精简或拆分后重新导入",
    )
