"""How a worksheet prints on A4: its orientation, the scale, which columns wrap, where a wide table is split.

A printed 通报 or 台账 must be read at arm's length on a notice board: its 11-point text is never printed below
``SMALLEST`` of its size (about 9 points), and no printed table has more than ``MAX_COLUMNS`` columns. A table
that fits the width of a portrait page is printed upright; a wider one in landscape, fitted to the page's width
(only shrunk, and only down to ``SMALLEST``). A table still too wide has its free-text columns narrowed, their
text wrapped in the cell (rows grow taller, nothing is cut); a table of figures that cannot narrow (the monthly
通报's every figure on one sheet) is printed at full size in pieces across pages, each piece a table of its own
with the first columns (rank and name) repeated, so every page reads without the one beside it.

Widths are in the spreadsheet's column-width units. ``UNIT_PT`` is what LibreOffice prints one unit as with the
workbook's 11-point font (measured from its PDF); Excel prints a unit narrower, so what fits here fits there.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from math import ceil

from wenzheng_cli.domain.text import text_width

UNIT_PT = 7.0
MARGIN_IN = 0.25  # left and right margins, inches: what office printers print to
_PAGE_PT = {"portrait": 595.3, "landscape": 841.9}  # A4's width, points
SMALLEST = 0.85  # the least scale a page is fitted to: 11-point text printed at 9.35 points
UPRIGHT = 0.92  # a table needing more shrinking than this to fit a portrait page is printed in landscape
MAX_COLUMNS = 12
_NARROWEST = 8.0  # a narrowed text column keeps four Chinese characters a line; a long free text twice that
_SLACK = 0.97  # what LibreOffice adds between columns and the rounding of widths
LINE_PT = 16.0  # a line of 11-point Chinese text, with its leading
_TALLEST = 409.0  # the tallest row Excel keeps, points


@dataclass(frozen=True)
class Layout:
    """A worksheet's print set-up: ``widths`` (as written, after narrowing), ``wrapped`` (narrowed columns,
    whose text wraps), ``orientation``, ``fit`` (fitted to the page's width) or else printed at full size with
    a new page before each column of ``breaks``, ``repeat`` first columns printed on every page."""

    widths: list[float]
    orientation: str
    fit: bool
    wrapped: frozenset[int] = frozenset()
    breaks: list[int] = field(default_factory=list)
    repeat: int = 0


def usable(orientation: str) -> float:
    """The width a page prints at full size, in column units."""
    return (_PAGE_PT[orientation] - 2 * 72 * MARGIN_IN) / UNIT_PT


def layout(
    widths: Sequence[float], narrowable: Sequence[bool], wide: Sequence[bool], repeat: int, least: float = 0
) -> Layout:
    """The set-up of a table whose columns are ``widths`` wide; ``narrowable`` columns hold text that may
    wrap (``wide`` ones long free text, kept twice as wide as the others); ``repeat``: the columns that name
    a row (rank, name), repeated on every page when the table is printed in pieces; ``least``: the width of
    the title lines above the table, which print on its page too."""
    widths = list(widths)
    total = max(sum(widths), least)
    count = len(widths)
    # Upright when the table fits with little shrinking, and the title lines with no more than any page.
    upright = max(sum(widths) * UPRIGHT, least * SMALLEST)
    if count <= MAX_COLUMNS and upright <= usable("portrait") * _SLACK:
        return Layout(widths, "portrait", True)
    budget = usable("landscape") / SMALLEST * _SLACK
    if count <= MAX_COLUMNS and total <= budget:
        return Layout(widths, "landscape", True)
    if count <= MAX_COLUMNS:
        narrowed = _narrow(widths, narrowable, wide, budget - max(least - sum(widths), 0))
        if narrowed is not None:
            wrapped = frozenset(
                i for i, (old, new) in enumerate(zip(widths, narrowed, strict=True)) if new < old
            )
            return Layout(narrowed, "landscape", True, wrapped)
    return Layout(widths, "landscape", False, breaks=_pieces(widths, repeat), repeat=repeat)


def _narrow(
    widths: list[float], narrowable: Sequence[bool], wide: Sequence[bool], budget: float
) -> list[float] | None:
    """The widths with the text columns cut down to one level (long free text to twice that), the highest
    level at which the table fits ``budget``; ``None`` if it does not fit even at the narrowest."""

    def at(level: float) -> list[float]:
        out = []
        for width, may, long in zip(widths, narrowable, wide, strict=True):
            if not may:
                out.append(width)
                continue
            cap = max(level * (2 if long else 1), _NARROWEST * (2 if long else 1))
            out.append(min(width, cap))
        return out

    if sum(at(_NARROWEST)) > budget:
        return None
    low, high = _NARROWEST, max(widths)
    for _ in range(30):
        middle = (low + high) / 2
        if sum(at(middle)) <= budget:
            low = middle
        else:
            high = middle
    return [round(w, 1) for w in at(low)]


def _pieces(widths: Sequence[float], repeat: int) -> list[int]:
    """The columns a new page starts at, so that each page (the ``repeat`` columns, then its own) fits a
    landscape page at full size and has at most ``MAX_COLUMNS`` columns; as many pages as that takes, their
    columns shared out evenly (twelve months in two halves of six, not eleven and one)."""
    fewest = _greedy(widths, repeat, MAX_COLUMNS)
    own = len(widths) - repeat
    even = -(-own // (len(fewest) + 1)) + repeat if own > 0 else MAX_COLUMNS
    balanced = _greedy(widths, repeat, min(even, MAX_COLUMNS))
    return balanced if len(balanced) == len(fewest) else fewest


def _greedy(widths: Sequence[float], repeat: int, most: int) -> list[int]:
    room = usable("landscape") * _SLACK
    fixed = sum(widths[:repeat])
    breaks: list[int] = []
    used, count = fixed, repeat
    for i in range(repeat, len(widths)):
        if count > repeat and (used + widths[i] > room or count + 1 > most):
            breaks.append(i)
            used, count = fixed, repeat
        used += widths[i]
        count += 1
    return breaks


def room(width: float) -> float:
    """What a line of a wrapped column ``width`` wide holds, as ``text_width`` counts (a Chinese character
    two): in Excel a Chinese character is a little over two units, in LibreOffice less."""
    return max(width * 0.95 - 1, 1.0)


def lines(text: str, space: float) -> int:
    """The lines ``text`` takes in a wrapped column that holds ``space`` (``room``)."""
    if "\n" not in text:
        return 1 if 2 * len(text) <= space else max(1, ceil(text_width(text[:4000]) / space))
    return sum(lines(part, space) for part in text.split("\n"))


def height(count: int) -> float | None:
    """The height (points) of a row of ``count`` lines, so that LibreOffice and Excel show and print every
    line; ``None`` for one line (the default height)."""
    return None if count <= 1 else min(count * LINE_PT, _TALLEST)


def row_height(cells: Iterable[tuple[str, float]]) -> float | None:
    """The height of a row of wrapped ``cells`` (text, column width)."""
    return height(max((lines(text, room(width)) for text, width in cells), default=1))
