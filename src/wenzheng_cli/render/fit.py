"""Fitting a table to the terminal: case numbers, dates, statuses and figures stay whole; text gives way first.

Each column is one of three sorts:
- whole (``drop is None`` and not ``wide``): never cut. A heading wider than its values may wrap onto a
  second line (按期办结率 over 66.7%), which is what keeps a row of rates narrow.
- wide free text (诉求, 办理结果): shortened with … down to ``MIN_TEXT`` cells, one line per row.
- droppable (``drop`` set): left out when the table still does not fit, lowest ``drop`` first; a column with
  nothing in it goes before any other, as soon as the table does not fit as it is (and is not named). What
  was left out is said under the table.

Widths count a Chinese character as two cells. Pure: no Rich here, only numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from wenzheng_cli.domain.text import text_width

MIN_TEXT = 12  # cells a wide text column keeps before columns are dropped


@dataclass(frozen=True)
class Spec:
    title: str
    wide: bool = False
    drop: int | None = None  # None: never left out; else the lower, the sooner


@dataclass(frozen=True)
class Fit:
    keep: list[int]  # indexes of the columns shown, in order
    widths: list[int]  # their widths, in cells
    dropped: list[str]  # titles of the columns left out that have something in them


def table_width(widths: Sequence[int]) -> int:
    """A Rich table's width for columns of these widths (borders, one cell of padding each side, none at the
    outer edges)."""
    return sum(widths) + 3 * len(widths) - 1 if widths else 0


def fit_columns(specs: Sequence[Spec], rows: Sequence[Sequence[str]], width: int | None) -> Fit:
    """Which columns to show and how wide, so the table takes at most ``width`` cells (``None``: no limit)."""
    count = len(specs)
    values = [max((text_width(row[i]) for row in rows), default=0) for i in range(count)]
    titles = [text_width(spec.title) for spec in specs]
    natural = [max(values[i], titles[i]) for i in range(count)]
    if width is None or table_width(natural) <= width:
        return Fit(list(range(count)), natural, [])
    # Headings over a narrow column of values wrap onto two lines.
    least = [natural[i] if specs[i].wide else max(values[i], _half(titles[i]), 1) for i in range(count)]
    for i, spec in enumerate(specs):
        if spec.wide:
            least[i] = min(natural[i], max(MIN_TEXT, _half(titles[i])))
    keep = list(range(count))
    droppable = sorted(
        (i for i in range(count) if specs[i].drop is not None),
        key=lambda i: (values[i] > 0, specs[i].drop, -i),
    )
    # A droppable column with nothing in it goes first and stays out: its heading would only take room.
    dropped = [i for i in droppable if values[i] == 0]
    for i in dropped:
        keep.remove(i)
    droppable = [i for i in droppable if values[i] > 0]
    empty = len(dropped)
    while table_width([least[i] for i in keep]) > width and droppable:
        dropped.append(droppable.pop(0))
        keep.remove(dropped[-1])
    # A column left out on the way comes back when it fits in the room the later drops made, the most needed
    # first, and never ahead of a more needed one that does not fit.
    for i in reversed(dropped[empty:]):
        if table_width([least[k] for k in keep] + [least[i]]) > width:
            break
        keep = sorted([*keep, i])
    widths = {i: least[i] for i in keep}
    # What room is left goes back to the columns that gave way, text first, up to their natural width. A
    # heading wrapped over a narrow column gets its whole width back or none: 承诺办结 on two lines reads
    # 承诺/办结, never 承诺办/结.
    room = width - table_width(list(widths.values()))
    for i in sorted(keep, key=lambda i: (not specs[i].wide, natural[i] - widths[i])):
        extra = min(max(room, 0), natural[i] - widths[i])
        if not specs[i].wide and extra < natural[i] - widths[i]:
            extra = 0
        widths[i] += extra
        room -= extra
    # An empty column left out hides nothing: only the columns with something in them are named.
    hidden = [specs[i].title for i in range(count) if i not in keep and values[i] > 0]
    return Fit(keep, [widths[i] for i in keep], hidden)


def _half(cells: int) -> int:
    """The width that holds a heading of ``cells`` on two lines (whole Chinese characters: an even number);
    a heading of two characters or fewer is never broken."""
    half = -(-cells // 2)
    return min(cells, max(half + half % 2, 4))


def dropped_note(titles: Sequence[str]) -> str | None:
    """The line under the tables naming the columns a narrow terminal left out."""
    if not titles:
        return None
    return f"（终端较窄，表中省略了: {'、'.join(titles)}；加宽窗口，或用 --format xlsx --output 文件 查看全部列）"
