"""Sheets as an XLSX workbook that prints: written directly as SpreadsheetML, one worksheet per sheet.

Each worksheet has the report's title rows (office and period, then the as-of line), a bold header row with an
autofilter, frozen panes below the header, widths that fit Chinese text, rates as numbers shown as
percentages, dates as real date cells, and a page set-up for A4 that prints readably (``render.paper``: upright
or landscape, fitted to the page's width but never below about 9 points, a table too wide printed in pieces),
the title and header rows repeated on every printed page, the report's title and the page number in the
footer. Text cells are neutralised against formula injection.

Why not openpyxl: a weekly 台账 of a large office is hundreds of thousands of cells, which openpyxl writes
slowly; the XML below is written in a fraction of its time. openpyxl still reads these files (the tests do).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from wenzheng_cli.domain.text import text_width
from wenzheng_cli.render.export import neutralise
from wenzheng_cli.render.paper import MARGIN_IN, Layout, height, layout, lines, room, row_height
from wenzheng_cli.render.sheets import DASH, MOMENTS, NUMERIC, Sheet

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_BAD_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Text with neither a character XML cannot hold nor one to escape: written as it is.
_PLAIN = re.compile('[^\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff&<>"]*')
_BAD_TITLE = str.maketrans({ch: "_" for ch in "[]:*?/\\"})
_EPOCH = datetime(1899, 12, 30)
MAX_CELL = 32767  # characters Excel keeps in one cell
FONT = "宋体"
TITLE_PT = 14

# Number formats beyond the built-in ones (ids from 164 on, as Excel numbers them).
_FORMATS = {
    "rate": (164, "0.0%"),
    "score": (2, None),
    "date": (165, "yyyy-mm-dd"),
    "time": (166, "yyyy-mm-dd hh:mm"),
}
# Cell styles, numbered as ``cellXfs``: (font, fill, number format id, wrap). Fonts: 0 normal, 1 bold,
# 2 the title's; fills: 2 the header's.
_STYLES: list[tuple[int, int, int, bool]] = [(0, 0, 0, False), (2, 0, 0, False), (1, 2, 0, True)]
TITLE, HEADER = 1, 2
for _font in (0, 1):
    for _fmt in (0, *(fid for fid, _ in _FORMATS.values())):
        for _wrap in (False, True):
            if (_font, 0, _fmt, _wrap) not in _STYLES:
                _STYLES.append((_font, 0, _fmt, _wrap))
_STYLE_INDEX = {key: i for i, key in enumerate(_STYLES)}


def _cell_style(kind: str, wide: bool, bold: bool, value: Any) -> int:
    fmt = 0
    if kind in _FORMATS:
        fmt = _FORMATS[kind][0]
        if kind == "time" and isinstance(value, str) and value[11:16] in ("00:00", "23:59"):
            fmt = _FORMATS["date"][0]
    return _STYLE_INDEX[(1 if bold else 0, 0, fmt, wide)]


def escape(text: str) -> str:
    if len(text) > MAX_CELL:
        text = text[:MAX_CELL]
    if _PLAIN.fullmatch(text):  # most cells: nothing to drop or escape, one scan in C
        return text
    text = _BAD_XML.sub("", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _text(ref: str, text: str, style: int) -> str:
    body = escape(text)
    space = ' xml:space="preserve"' if body and (body[0].isspace() or body[-1].isspace()) else ""
    s = f' s="{style}"' if style else ""
    return f'<c r="{ref}" t="inlineStr"{s}><is><t{space}>{body}</t></is></c>'


def _number(ref: str, value: float, style: int) -> str:
    s = f' s="{style}"' if style else ""
    return f'<c r="{ref}"{s}><v>{value!r}</v></c>'


def serial(value: str) -> float | None:
    """A ledger time (``2026-11-17T09:30:00+08:00``) or date as an Excel date serial, in local time."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    delta = moment.replace(tzinfo=None) - _EPOCH
    return round(delta.days + delta.seconds / 86400, 8)


def letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def _width(sheet: Sheet, index: int) -> float:
    column = sheet.columns[index]
    limit = 60 if column.wide else 40
    width = text_width(column.title)
    if column.kind in MOMENTS:
        return max(width, 16 if column.kind == "time" else 10) + 2
    rate = column.kind == "rate"
    for rows in (sheet.rows, sheet.footer):
        for row in rows:
            value = row[index]
            if value is None:
                continue
            text = f"{value * 100:.1f}%" if rate else value if type(value) is str else str(value)
            # A character is at most two wide: a text that cannot be wider than the widest so far is not measured.
            if 2 * len(text) <= width:
                continue
            width = max(width, len(text) if text.isascii() else text_width(text[:limit]))
            if width >= limit:
                return limit + 3
    return min(width, limit) + 3


def _layout(sheet: Sheet, titles: Sequence[str]) -> Layout:
    """How the sheet prints: its text columns but the first (the one that names a row) may be narrowed; the
    title lines (the first in a larger type) print above it."""
    first = max(sheet.freeze_columns, 1)
    least = max((text_width(t) * (TITLE_PT / 11 if i == 0 else 1) for i, t in enumerate(titles)), default=0)
    return layout(
        [_width(sheet, i) for i in range(len(sheet.columns))],
        [c.kind == "text" and i >= first for i, c in enumerate(sheet.columns)],
        [c.wide for c in sheet.columns],
        sheet.freeze_columns,
        least,
    )


def _row(r: int, points: float | None) -> str:
    """A row's opening tag; with ``points``, its height (a row of wrapped text, the title)."""
    return f'<row r="{r}" ht="{points:.1f}" customHeight="1">' if points else f'<row r="{r}">'


def _sheet_xml(sheet: Sheet, titles: Sequence[str]) -> tuple[bytes, int, int, Layout]:
    """The worksheet's XML (UTF-8), the number of its header row and of its last data row, its print set-up.

    The rows are encoded a thousand at a time as they are made: a large 台账's XML is held once, as bytes,
    rather than as a string per row, then joined, then encoded."""
    ncols = max(len(sheet.columns), 1)
    refs = [letter(i) for i in range(ncols)]
    head = len(titles) + 1  # the header row, under the title rows
    last_data = head + len(sheet.rows)
    last_row = last_data + len(sheet.footer) + (2 if sheet.note else 0)
    paper = _layout(sheet, titles)
    buffer = io.BytesIO()
    buffer.write(_sheet_head(sheet, refs, head, last_row, paper).encode())
    out: list[str] = []
    r = 0
    for i, title in enumerate(titles):
        r += 1
        out.append(
            f"{_row(r, TITLE_PT + 6 if i == 0 else None)}{_text(f'A{r}', title, TITLE if i == 0 else 0)}</row>"
        )
    r += 1
    header = "".join(_text(f"{refs[i]}{r}", neutralise(c.title), HEADER) for i, c in enumerate(sheet.columns))
    tall = row_height((c.title, width) for c, width in zip(sheet.columns, paper.widths, strict=True))
    out.append(f"{_row(r, tall)}{header}</row>")
    kinds = [(c.kind, c.wide or i in paper.wrapped) for i, c in enumerate(sheet.columns)]
    # The wrapped columns: a row whose text there needs several lines is given their height. The lines of
    # a short text (a name, a category, a status: the same few over and over) are counted once.
    wrapped: list[tuple[int, float, dict[str, int]]] = [
        (i, room(paper.widths[i]), {}) for i, (_, wrap) in enumerate(kinds) if wrap
    ]
    plain = [_cell_style(kind, wide, False, None) for kind, wide in kinds]
    # The plain text cells of a column (most cells of a large 台账) are written inline below, each column's
    # opening (``<c r="B``) and closing (its style and the inline-string tags) made once.
    text_open = [f'<c r="{ref}' for ref in refs]
    text_close = ['" t="inlineStr"' + (f' s="{s}"' if s else "") + "><is><t>" for s in plain]
    general = [kind not in NUMERIC and kind not in MOMENTS for kind, _ in kinds]
    for position, row in enumerate((*sheet.rows, *sheet.footer)):
        bold = position >= len(sheet.rows)
        r += 1
        if len(out) >= 1000:
            buffer.write("".join(out).encode())
            out.clear()
        parts = []
        for i, value in enumerate(row):
            if value is None or value == "" or value == DASH:
                continue
            if not bold and general[i] and type(value) is str:
                body = escape(neutralise(value))
                if body and not body[0].isspace() and not body[-1].isspace():
                    parts.append(f"{text_open[i]}{r}{text_close[i]}{body}</t></is></c>")
                    continue
            kind, wide = kinds[i]
            ref = f"{refs[i]}{r}"
            style = _cell_style(kind, wide, bold, value) if bold or kind == "time" else plain[i]
            if kind in NUMERIC and isinstance(value, (int, float)) and not isinstance(value, bool):
                parts.append(_number(ref, value, style))
            elif kind in MOMENTS and isinstance(value, str) and (number := serial(value)) is not None:
                parts.append(_number(ref, int(number) if kind == "date" else number, style))
            else:
                parts.append(_text(ref, str(neutralise(str(value))), style))
        most = 1
        for i, space, known in wrapped:
            value = row[i]
            if type(value) is str and (2 * len(value) > space or "\n" in value):
                count = known.get(value)
                if count is None:
                    count = lines(value, space)
                    if len(value) <= 40:
                        known[value] = count
                if count > most:
                    most = count
        out.append(f"{_row(r, height(most))}{''.join(parts)}</row>")
    merged = ""
    if sheet.note:
        # Across the table's width (its first page's, when printed in pieces), wrapped: a long note would
        # otherwise run on and widen the printed page.
        r += 2
        note = neutralise(sheet.note)
        span = paper.breaks[0] if paper.breaks else ncols
        tall = row_height([(note, sum(paper.widths[:span]))])
        out.append(f"{_row(r, tall)}{_text(f'A{r}', note, _STYLE_INDEX[(0, 0, 0, True)])}</row>")
        if span > 1:
            merged = f'<mergeCells count="1"><mergeCell ref="A{r}:{refs[span - 1]}{r}"/></mergeCells>'
    end = f"{refs[-1]}{last_data}"
    tail = f'</sheetData><autoFilter ref="A{head}:{end}"/>{merged}{_print_xml(paper, titles)}</worksheet>'
    buffer.write(f"{''.join(out)}{tail}".encode())
    return buffer.getvalue(), head, last_data, paper


def _print_xml(paper: Layout, titles: Sequence[str]) -> str:
    """The margins, the page set-up, the footer (the report's title, the page number, the sheet's name) and
    the page breaks of a table printed in pieces."""
    fit = ' fitToWidth="1" fitToHeight="0"' if paper.fit else ' scale="100"'
    title = escape(titles[0].replace("&", "&&")) if titles else ""
    footer = f"&amp;L{title}&amp;C第 &amp;P 页，共 &amp;N 页&amp;R&amp;A"
    breaks = "".join(f'<brk id="{column}" max="1048575" man="1"/>' for column in paper.breaks)
    count = len(paper.breaks)
    pieces = f'<colBreaks count="{count}" manualBreakCount="{count}">{breaks}</colBreaks>' if count else ""
    return (
        f'<pageMargins left="{MARGIN_IN}" right="{MARGIN_IN}" top="0.5" bottom="0.5" header="0.3" footer="0.3"/>'
        f'<pageSetup paperSize="9" orientation="{paper.orientation}"{fit}/>'
        f"<headerFooter><oddFooter>{footer}</oddFooter></headerFooter>{pieces}"
    )


def _sheet_head(sheet: Sheet, refs: Sequence[str], head: int, last_row: int, paper: Layout) -> str:
    """The worksheet's XML before its rows: its extent, fitted to the page or not, the frozen panes, the
    column widths (as narrowed for printing)."""
    freeze = sheet.freeze_columns
    top_left = f"{letter(freeze)}{head + 1}"
    pane = "bottomRight" if freeze else "bottomLeft"
    split = f' xSplit="{freeze}"' if freeze else ""
    widths = "".join(
        f'<col min="{i + 1}" max="{i + 1}" width="{width:.1f}" customWidth="1"/>'
        for i, width in enumerate(paper.widths)
    )
    fit = '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>' if paper.fit else ""
    return (
        f'{_XML}<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">'
        f'{fit}<dimension ref="A1:{refs[-1]}{max(last_row, 1)}"/>'
        f'<sheetViews><sheetView workbookViewId="0"><pane{split} ySplit="{head}" topLeftCell="{top_left}"'
        f' activePane="{pane}" state="frozen"/><selection pane="{pane}" activeCell="{top_left}"'
        f' sqref="{top_left}"/></sheetView></sheetViews>'
        f'<sheetFormatPr defaultRowHeight="15"/>{f"<cols>{widths}</cols>" if widths else ""}'
        "<sheetData>"
    )


def _styles_xml() -> str:
    formats = "".join(
        f'<numFmt numFmtId="{fid}" formatCode="{code}"/>'
        for fid, code in _FORMATS.values()
        if code is not None
    )
    count = sum(1 for _, code in _FORMATS.values() if code)
    fonts = (
        f'<font><sz val="11"/><name val="{FONT}"/><charset val="134"/></font>'
        f'<font><b/><sz val="11"/><name val="{FONT}"/><charset val="134"/></font>'
        f'<font><b/><sz val="{TITLE_PT}"/><name val="{FONT}"/><charset val="134"/></font>'
    )
    fills = (
        '<fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
        '<fill><patternFill patternType="solid"><fgColor rgb="FFDDEBF7"/><bgColor indexed="64"/></patternFill></fill>'
    )
    xfs = []
    for font, fill, fmt, wrap in _STYLES:
        attrs = f'numFmtId="{fmt}" fontId="{font}" fillId="{fill}" borderId="0" xfId="0"'
        attrs += ' applyNumberFormat="1"' if fmt else ""
        attrs += ' applyFont="1"' if font else ""
        attrs += ' applyFill="1"' if fill else ""
        if wrap:
            xfs.append(f'<xf {attrs} applyAlignment="1"><alignment wrapText="1" vertical="top"/></xf>')
        else:
            xfs.append(f'<xf {attrs} applyAlignment="1"><alignment vertical="top"/></xf>')
    return (
        f'{_XML}<styleSheet xmlns="{_MAIN}"><numFmts count="{count}">{formats}</numFmts>'
        f'<fonts count="3">{fonts}</fonts><fills count="3">{fills}</fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" applyAlignment="1">'
        '<alignment vertical="top"/></xf></cellStyleXfs>'
        f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
    )


def _print_titles(quoted: str, head: int, paper: Layout) -> str:
    """What every printed page repeats: the title and header rows; for a table printed in pieces, also its
    first columns (rank and name)."""
    rows = f"{escape(quoted)}!$1:${head}"
    if not paper.breaks or not paper.repeat:
        return rows
    return f"{escape(quoted)}!$A:${letter(paper.repeat - 1)},{rows}"


def workbook(sheets: Sequence[Sheet], titles: Sequence[str]) -> bytes:
    """The whole .xlsx file: one worksheet per sheet, each under ``titles`` (title, then the as-of line)."""
    titles = [title for title in titles if title]
    names: list[str] = []
    for sheet in sheets:
        name = sheet.title.translate(_BAD_TITLE).strip("'")[:31] or "Sheet"
        while name in names:
            name = name[:28] + f"_{len(names)}"
        names.append(name)
    buffer = io.BytesIO()
    defined = []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        sheet_types = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i + 1}.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for i in range(len(sheets))
        )
        book.writestr(
            "[Content_Types].xml",
            f'{_XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            f"{sheet_types}</Types>",
        )
        for i, sheet in enumerate(sheets):
            xml, head, last, paper = _sheet_xml(sheet, titles)
            book.writestr(f"xl/worksheets/sheet{i + 1}.xml", xml)
            quoted = "'" + names[i].replace("'", "''") + "'"
            end = letter(max(len(sheet.columns), 1) - 1)
            defined.append(
                f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
                f"{escape(quoted)}!$A${head}:${end}${last}</definedName>"
                f'<definedName name="_xlnm.Print_Titles" localSheetId="{i}">{_print_titles(quoted, head, paper)}</definedName>'
            )
        entries = "".join(
            f'<sheet name="{escape(name)}" sheetId="{i + 1}" r:id="rId{i + 1}"/>'
            for i, name in enumerate(names)
        )
        book.writestr(
            "xl/workbook.xml",
            f'{_XML}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><bookViews><workbookView/></bookViews>'
            f"<sheets>{entries}</sheets><definedNames>{''.join(defined)}</definedNames></workbook>",
        )
        relations = "".join(
            f'<Relationship Id="rId{i + 1}" Type="{_REL}/worksheet" Target="worksheets/sheet{i + 1}.xml"/>'
            for i in range(len(sheets))
        )
        relations += f'<Relationship Id="rId{len(sheets) + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
        book.writestr(
            "xl/_rels/workbook.xml.rels", f'{_XML}<Relationships xmlns="{_PKG}">{relations}</Relationships>'
        )
        book.writestr("xl/styles.xml", _styles_xml())
        book.writestr(
            "_rels/.rels",
            f'{_XML}<Relationships xmlns="{_PKG}"><Relationship Id="rId1" Type="{_REL}/officeDocument"'
            ' Target="xl/workbook.xml"/></Relationships>',
        )
    return buffer.getvalue()
