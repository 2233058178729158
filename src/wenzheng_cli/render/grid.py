"""A table whose column widths are known, drawn directly as the text Rich would draw for it.

``list`` shows fifty rows of ten columns; laid out by Rich's ``Table`` that took longer on every command than
the search or the overdue query behind it. When every row fits the console, the widths are known (the
longest cell of each column) and the lines can be written out at once: the same characters Rich draws for a
table with ``box.HEAVY_HEAD``, ``pad_edge=False``, a bold header and a centred title (``tests/test_list.py``
holds the two equal), with the text as text (no markup in a resident's words is ever interpreted).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.cells import cell_len, chop_cells
from rich.text import Text

if TYPE_CHECKING:
    from rich.text import Text


def grid(
    title: str | None,
    names: Sequence[str],
    widths: Sequence[int],
    rows: Sequence[Sequence[str]],
    last_styles: Sequence[str],
) -> Text:
    """The table as one ``Text``: the title, the header in bold, the rows; ``last_styles[i]`` styles the last
    cell of row ``i`` (``""`` for none). Every cell must fit its width."""
    count = len(names)

    def line(cells: Sequence[str], bar: str) -> tuple[str, list[tuple[int, int]]]:
        """The line and the (start, end) of each cell's text in it."""
        parts = [bar]
        spans: list[tuple[int, int]] = []
        at = 1
        for i, (cell, width) in enumerate(zip(cells, widths, strict=True)):
            left = "" if i == 0 else " "
            right = "" if i == count - 1 else " "
            padded = left + cell + " " * (width - cell_len(cell)) + right
            spans.append((at + len(left), at + len(left) + len(cell)))
            parts += [padded, bar]
            at += len(padded) + 1
        return "".join(parts), spans

    def rule(left: str, fill: str, cross: str, right: str) -> str:
        inner = [fill * (width + (i > 0) + (i < count - 1)) for i, width in enumerate(widths)]
        return left + cross.join(inner) + right

    text = Text(no_wrap=True, end="")
    total = sum(widths) + 2 * (count - 1) + count + 1
    if title:
        room = max(total - cell_len(title), 0)
        text.append(" " * (room // 2) + title + " " * (room - room // 2), style="italic")
        text.append("\n")
    text.append(rule("┏", "━", "┳", "┓") + "\n")
    for names_line in _heading_lines(names, widths):
        header, spans = line(names_line, "┃")
        start = len(text)
        text.append(header + "\n")
        for a, b in spans:
            text.stylize("bold", start + a, start + b)
    text.append(rule("┡", "━", "╇", "┩") + "\n")
    for row, style in zip(rows, last_styles, strict=True):
        body, spans = line(row, "│")
        start = len(text)
        text.append(body + "\n")
        if style:
            a, b = spans[-1]
            text.stylize(style, start + a, start + b)
    text.append(rule("└", "─", "┴", "┘"))
    return text


def _heading_lines(names: Sequence[str], widths: Sequence[int]) -> list[list[str]]:
    """The header as lines: a heading wider than its column folds onto the next line, as Rich folds it."""
    folded = [
        chop_cells(name, width) if cell_len(name) > width else [name]
        for name, width in zip(names, widths, strict=True)
    ]
    depth = max((len(parts) for parts in folded), default=1)
    return [[parts[n] if n < len(parts) else "" for parts in folded] for n in range(depth)]
