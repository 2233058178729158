"""Writers for sheets: a Rich table, Markdown, CSV (UTF-8 with BOM) and XLSX. Exported text is neutralised.

Rich is imported inside the writer that uses it, so no other command pays for it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from rich.text import Text

from wenzheng_cli.render.console import printable
from wenzheng_cli.render.export import BOM, neutralise
from wenzheng_cli.render.fit import Spec, dropped_note, fit_columns
from wenzheng_cli.render.sheets import DASH, MOMENTS, NUMERIC, Column, Sheet, shown, status_style
from wenzheng_cli.render.xlsx import workbook


def print_tables(
    console: Any, title: str, subtitle: str | None, sheets: Sequence[Sheet], notes: Sequence[str]
) -> None:
    """Rich tables, one per sheet, each followed by its note. Text is never read as Rich markup: a resident's
    ``[求助]`` stays as typed."""
    # rich.table is slow to load: loaded only when a table is drawn (JSON and files do without)
    from rich.table import Table

    console.print(title, style="bold", markup=False)
    if subtitle:
        console.print(subtitle, markup=False)
    left_out: list[str] = []
    for sheet in sheets:
        if not sheet.rows and not sheet.footer:
            console.print(f"{sheet.title}: 无", markup=False)
            continue
        texts = [
            [shown(v, c.kind) for v, c in zip(row, sheet.columns, strict=True)]
            for row in [*sheet.rows, *sheet.footer]
        ]
        # A terminal gets what fits its width; a pipe or a file gets every table whole, however wide.
        specs = [Spec(c.title, c.wide, c.drop) for c in sheet.columns]
        fit = fit_columns(specs, texts, console.width if console.is_terminal else None)
        table = Table(header_style="bold", pad_edge=False)
        for i, w in zip(fit.keep, fit.widths, strict=True):
            column = sheet.columns[i]
            table.add_column(
                Text(column.title),
                justify="right" if column.kind in NUMERIC else "left",
                width=w,
                no_wrap=column.wide,
                overflow="ellipsis" if column.wide else "fold",
            )
        rows = sheet.rows
        for n, line in enumerate(texts):
            footer = n >= len(rows)
            table.add_row(
                *(_cell(line[i], sheet.columns[i]) for i in fit.keep),
                end_section=bool(sheet.footer) and n == len(rows) - 1,
                style="bold" if footer else None,
            )
        console.print(Text(sheet.title))  # above the table, not in it: a narrow table would wrap it
        if console.is_terminal:
            console.print(table)
        else:
            _print_whole(console, table)
        left_out.extend(title for title in fit.dropped if title not in left_out)
        if sheet.total is not None and sheet.total > len(rows):
            console.print(
                f"（表中显示前 {len(rows)} 件，共 {sheet.total} 件；--limit 0 显示全部，"
                "或用 --format xlsx --output 文件 导出完整台账）"
            )
        if sheet.note:
            console.print(sheet.note, markup=False)
    note = dropped_note(left_out)
    if note:
        console.print(note, markup=False)
    for note in notes:
        console.print(note, markup=False)


def _cell(text: str, column: Column) -> Any:
    return Text(text, style=(status_style(text) if column.status else None) or "")


def _print_whole(console: Any, table: Any) -> None:
    """Print a table at its natural width, however wide (for pipes and files, which do not wrap): a table
    that is not expanded takes only the width its columns need."""
    narrow = console.width
    console.width = 10_000
    try:
        console.print(table)
    finally:
        console.width = narrow


def markdown(title: str, subtitle: str | None, sheets: Sequence[Sheet], notes: Sequence[str]) -> str:
    out = [f"# {_md(title)}", ""]
    if subtitle:
        out += [_md(subtitle), ""]
    for sheet in sheets:
        out += [f"## {_md(sheet.title)}", ""]
        if not sheet.rows and not sheet.footer:
            out += ["无", ""]
            continue
        out.append("| " + " | ".join(_md(c.title) for c in sheet.columns) + " |")
        out.append("|" + "|".join("---:" if c.kind in NUMERIC else "---" for c in sheet.columns) + "|")
        for row in [*sheet.rows, *sheet.footer]:
            out.append(
                "| "
                + " | ".join(_md(shown(v, c.kind)) for v, c in zip(row, sheet.columns, strict=True))
                + " |"
            )
        out.append("")
        if sheet.note:
            out += [_md(sheet.note), ""]
    for note in notes:
        out += [_md(note), ""]
    return "\n".join(out)


def _md(text: str) -> str:
    """One Markdown cell or line: on one line, pipes escaped, nothing a terminal would act on (a Markdown file
    is read with ``cat`` as often as in an editor)."""
    return printable(" ".join(str(text).split())).replace("\\", "\\\\").replace("|", "\\|")


def _export_value(value: Any, kind: str) -> Any:
    """A cell for CSV/XLSX: numbers as numbers, text neutralised, an uncountable figure empty."""
    if value is None or value == DASH or value == "":
        return None
    if kind in NUMERIC and isinstance(value, (int, float)) and not isinstance(value, bool):
        if kind == "number" and float(value).is_integer():
            return int(value)
        return value
    return neutralise(str(value))


def csv_bytes(sheets: Sequence[Sheet]) -> bytes:
    """UTF-8 with BOM (Excel on Chinese Windows opens it as such); several sheets one after another, titled."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    titled = len(sheets) > 1
    for i, sheet in enumerate(sheets):
        if i:
            writer.writerow([])
        if titled:
            writer.writerow([neutralise(sheet.title)])
        writer.writerow([neutralise(c.title) for c in sheet.columns])
        for row in [*sheet.rows, *sheet.footer]:
            values = []
            for value, column in zip(row, sheet.columns, strict=True):
                cell = _export_value(value, column.kind)
                if cell is None:
                    values.append("")
                elif column.kind == "rate" or column.kind in MOMENTS:
                    values.append(shown(cell, column.kind))
                else:
                    values.append(cell)
            writer.writerow(values)
        if sheet.note:
            writer.writerow([neutralise(sheet.note)])
    return (BOM + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(sheets: Sequence[Sheet], titles: Sequence[str] = ()) -> bytes:
    """One worksheet per sheet under the report's title rows: see ``render.xlsx``."""
    return workbook(sheets, titles)
