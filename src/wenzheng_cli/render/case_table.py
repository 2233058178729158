"""The table of ``list``: a row per case as shown, fitted to the console's width (``render.fit``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text

from wenzheng_cli.domain.text import shorten, text_width
from wenzheng_cli.render.console import printable
from wenzheng_cli.render.fit import Spec, dropped_note, fit_columns
from wenzheng_cli.render.grid import grid
from wenzheng_cli.render.rows import CaseRow, place, who
from wenzheng_cli.render.timeline import short_time

# The columns of ``list``; the phone only with --show-pii, when the name and phone asked for also stay.
CASE_SPECS = (
    Spec("编号"),
    Spec("受理日期"),
    Spec("社区/网格", drop=3),
    Spec("居民", drop=1),
    Spec("类别", drop=2),
    Spec("诉求", wide=True),
    Spec("承办", drop=4),
    Spec("时限"),
    Spec("状态"),
)
CASE_SPECS_PII = (*CASE_SPECS[:3], Spec("居民"), Spec("电话"), *CASE_SPECS[4:])


def cases_table(
    cases: Sequence[CaseRow],
    show_pii: bool,
    title: str | None = None,
    now_iso: str = "",
    width: int = 0,
    rich_table: bool = False,
    titles: Sequence[str | None] = (),
) -> Any:
    """A table of cases as shown (a phone column with ``show_pii``; ``titles``: the cases' titles, which the
    诉求 column prefers to the text). When the rows fit the console's ``width``, the
    column widths are worked out here from the text (a Chinese character is two cells) and the lines are drawn
    directly (``render.grid``; ``rich_table`` asks for Rich's ``Table`` instead, which draws the same);
    otherwise Rich lays the table out to the width."""
    rows: list[list[str]] = []
    styles: list[str] = []
    for case, case_title in zip(cases, titles or [None] * len(cases), strict=True):
        status = case.status.label
        overdue = case.is_overdue(now_iso)
        if overdue:
            status += "·逾期"
        if case.supervised:
            status += "·挂牌" if case.listed else "·督"
        styles.append("red" if overdue else "yellow" if case.supervised else "")
        rows.append(
            [
                case.number,
                case.received_at[:10],
                place(case),
                case.resident or "",
                *([case.phone or ""] if show_pii else []),
                case.category or "",
                shorten(case_title or case.description, 40),
                who(case),
                short_time(case.due_at),
                status,
            ]
        )
    # A terminal shows residents' text, never acts on it; a row is one line (a unit typed with a line break in
    # it would break the table's border).
    rows = [[_one_line(printable(cell)) for cell in row] for row in rows]
    # On a narrow terminal number, date, due date and status stay whole; the text shortens, then the less
    # needed columns go (render.fit). With --show-pii the name and phone asked for stay.
    specs = CASE_SPECS_PII if show_pii else CASE_SPECS
    fit = fit_columns(specs, rows, width or None)
    names = [specs[i].title for i in fit.keep]
    cells = [
        [_fitted(row[i], w, specs[i].wide) for i, w in zip(fit.keep, fit.widths, strict=True)] for row in rows
    ]
    note = dropped_note(fit.dropped)
    if width and not rich_table:
        drawn = grid(title, names, fit.widths, cells, styles)
        if note:
            drawn.append("\n" + note)
        return drawn
    # rich.table is slow to load: loaded only when a table is drawn (JSON and files do without)
    from rich.table import Table

    table = Table(title=title, show_lines=False, header_style="bold", pad_edge=False, caption=note)
    for name, w, i in zip(names, fit.widths, fit.keep, strict=True):
        table.add_column(name, width=w if width else None, no_wrap=not specs[i].wide or bool(width))
    for line, style in zip(cells, styles, strict=True):
        row_cells: list[Any] = [Text(c) for c in line]
        if style:
            row_cells[-1] = Text(line[-1], style=style)
        table.add_row(*row_cells)
    return table


def _fitted(text: str, width: int, wide: bool) -> str:
    """A cell within its column: wide text shortened with …, anything else whole (its column fits it)."""
    return shorten(text, width) if wide and text_width(text) > width else text


def _one_line(text: str) -> str:
    """A cell on one line: line breaks, tabs and runs of spaces as one space."""
    return " ".join(text.split()) if not text.isprintable() else text
