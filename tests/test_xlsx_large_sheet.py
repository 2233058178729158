"""The XLSX writer on a sheet of thousands of rows: the rows written in batches come back whole and in order,
with the extent, frozen panes, widths and cell kinds a small sheet has."""

from __future__ import annotations

import io
from datetime import datetime

from openpyxl import load_workbook

from wenzheng_cli.render.sheets import Column, Sheet
from wenzheng_cli.render.xlsx import workbook

ROWS = 2500  # more than one batch of rows


def _sheet() -> Sheet:
    columns = [
        Column("编号"),
        Column("受理时间", "time"),
        Column("诉求内容", wide=True),
        Column("件数", "int"),
        Column("办结率", "rate"),
    ]
    rows: list[list[object]] = [
        [f"BM-2026-{i:04d}", "2026-06-02T09:30:00+08:00", f"楼道堆放杂物第{i}次，请尽快处理", i, i / ROWS]
        for i in range(1, ROWS + 1)
    ]
    rows[10][2] = ' 前后有空格 & <标记> "引号" '
    rows[11][2] = "=HYPERLINK(1)"
    rows[12][2] = "控制\x01字符"
    return Sheet(
        "结转未销账",
        columns,
        rows,
        footer=[["合计", None, None, ROWS, 1.0]],
        note="说明：测试",
        freeze_columns=1,
    )


def test_a_large_sheet_comes_back_whole() -> None:
    book = load_workbook(io.BytesIO(workbook([_sheet()], ["杨柳街道 周台账", "截至 2026-06-08"])))
    ws = book.worksheets[0]
    assert ws.title == "结转未销账"
    assert ws["A3"].value == "编号" and ws["C3"].value == "诉求内容"
    assert ws.freeze_panes == "B4"
    assert ws.auto_filter.ref == f"A3:E{3 + ROWS}"
    assert ws.max_row == 3 + ROWS + 1 + 2  # titles, header, rows, 合计, a blank row, the note
    values = [row for row in ws.iter_rows(min_row=4, max_row=3 + ROWS, values_only=True)]
    assert [v[0] for v in values] == [f"BM-2026-{i:04d}" for i in range(1, ROWS + 1)]
    assert [v[3] for v in values] == list(range(1, ROWS + 1))
    assert values[0][1] == datetime(2026, 6, 2, 9, 30)
    assert values[10][2] == ' 前后有空格 & <标记> "引号" '
    assert values[11][2] == "'=HYPERLINK(1)"
    assert values[12][2] == "控制字符"
    assert ws.cell(3 + ROWS + 1, 1).value == "合计" and ws.cell(3 + ROWS + 1, 1).font.b
    assert ws.cell(3 + ROWS + 3, 1).value == "说明：测试"
    assert ws.column_dimensions["C"].width > ws.column_dimensions["A"].width
