"""The 通报 and the 台账 on paper: the XLSX printed to PDF by LibreOffice is read at arm's length.

Every printed table has at most 12 columns, no text is printed below 9 points, the ranking is on the first page,
and a wide table is printed in pieces rather than shrunk. The PDF's text is read with pypdf: each run of text
with its size (the font size times the text and page matrices' vertical scale) and its place.
"""

from __future__ import annotations

import shutil
import subprocess
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.support.cli import Wz
from tests.test_report_monthly import build_october
from wenzheng_cli.render.paper import MAX_COLUMNS, SMALLEST, layout, usable

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def needs_office(test: Callable[..., None]) -> Callable[..., None]:
    """A test that prints with LibreOffice: slow (it starts in a few seconds), skipped where it is absent."""
    skip = pytest.mark.skipif(
        SOFFICE is None,
        reason="LibreOffice (soffice) is not installed: apt-get install libreoffice-calc-nogui (.ci/run does)",
    )
    marked: Callable[..., None] = pytest.mark.slow(skip(test))
    return marked


MONTHLY_SHEETS = [
    "办理情况",
    "各项比率（办理）",
    "各项比率（回访与化解）",
    "督办与提级",
    "类别前列",
    "问政活动",
    "通报",
]


@dataclass(frozen=True)
class Run:
    text: str
    size: float  # points, as printed
    x: float
    y: float


def to_pdf(xlsx: Path) -> Path:
    """The workbook as LibreOffice prints it (every sheet, its page set-up), in a profile of this test's own
    so that tests running side by side do not share one."""
    assert SOFFICE is not None
    profile = (xlsx.parent / "office-profile").as_uri()
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(xlsx.parent),
            str(xlsx),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = xlsx.with_suffix(".pdf")
    assert pdf.exists()
    return pdf


def pages(pdf: Path) -> list[list[Run]]:
    from pypdf import PdfReader

    out: list[list[Run]] = []
    for page in PdfReader(pdf).pages:
        runs: list[Run] = []

        def visit(text: str, cm: Any, tm: Any, font: Any, size: float, runs: list[Run] = runs) -> None:
            if not text.strip():
                return
            # The text matrix in the page's: its vertical scale is the printed size of the font.
            c, d = tm[2] * cm[0] + tm[3] * cm[2], tm[2] * cm[1] + tm[3] * cm[3]
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            runs.append(Run(text.strip(), size * (c * c + d * d) ** 0.5, round(x, 1), round(y, 1)))

        page.extract_text(visitor_text=visit)
        out.append(runs)
    return out


def header_columns(runs: Sequence[Run], titles: set[str]) -> list[str]:
    """The column titles of the table printed on a page: the line with the most runs that are titles."""
    lines: dict[float, list[Run]] = defaultdict(list)
    for run in runs:
        if run.text in titles:
            lines[round(run.y)].append(run)
    if not lines:
        return []
    y = max(lines.values(), key=len)[0].y
    # Chinese and Latin text sit on baselines a little apart.
    line = [run for run in runs if run.text in titles and abs(run.y - y) < 3]
    return [run.text for run in sorted(line, key=lambda run: run.x)]


def column_titles(xlsx: Path) -> set[str]:
    book = load_workbook(xlsx)
    return {str(c.value) for sheet in book.worksheets for c in sheet[3] if c.value is not None}


def check_readable(xlsx: Path) -> list[list[Run]]:
    """The PDF's pages, after checking that nothing on them is below 9 points and that no printed table has
    more than 12 columns; every column of the workbook is printed on some page."""
    printed = pages(to_pdf(xlsx))
    titles = column_titles(xlsx)
    seen: set[str] = set()
    for number, runs in enumerate(printed, 1):
        small = [(run.text, round(run.size, 2)) for run in runs if run.size < 9]
        assert not small, f"page {number}: {small[:5]}"
        columns = header_columns(runs, titles)
        assert len(columns) <= 12, f"page {number}: {len(columns)} columns: {columns}"
        seen.update(columns)
    # A title that mixes fonts (社区/网格) is drawn in several runs: the others are found whole.
    assert {title for title in titles if title.isalnum()} <= seen
    return printed


def october_report(wz: Wz, tmp_path: Path) -> Path:
    build_october(wz)
    target = tmp_path / "通报.xlsx"
    wz("report", "monthly", "--month", "2026-10", "--output", str(target))
    return target


def test_the_monthly_xlsx_puts_the_ranking_first_and_keeps_every_figure_in_its_last_sheet(
    wz: Wz, tmp_path: Path
) -> None:
    book = load_workbook(october_report(wz, tmp_path))
    assert book.sheetnames == MONTHLY_SHEETS
    ranking = book["办理情况"]
    assert [c.value for c in ranking[3]][:3] == ["排名", "社区", "受理量"]
    assert [c.value for c in ranking[4]][:3] == [1, "杨柳", 5]
    # The narrow tables print upright, the ranking in landscape; each fitted to the width alone.
    setups = {
        s.title: (s.page_setup.orientation, s.page_setup.fitToWidth, s.page_setup.fitToHeight) for s in book
    }
    assert setups["办理情况"] == ("landscape", 1, 0)
    assert setups["督办与提级"] == ("portrait", 1, 0)
    assert ranking.print_title_rows == "$1:$3"
    footer = ranking.oddFooter
    assert footer is not None
    assert footer.left.text == "杨柳街道 2026年10月问政通报（按社区）"
    assert footer.center.text == "第 &P 页，共 &N 页"
    assert footer.right.text == "&A"  # the sheet's name
    # 通报 keeps every figure in one table for a program; printed in pieces with rank and name on each.
    data = book["通报"]
    assert data.max_column > 24 and data.print_title_cols == "$A:$B"
    assert data.sheet_properties.pageSetUpPr is None or not data.sheet_properties.pageSetUpPr.fitToPage
    assert [b.id for b in data.col_breaks.brk]


def test_a_table_is_fitted_to_the_width_never_below_a_readable_scale() -> None:
    portrait, landscape = usable("portrait"), usable("landscape")
    narrow = layout([10, 9, 9], [False, False, False], [False] * 3, 1)
    assert (narrow.orientation, narrow.fit, narrow.breaks) == ("portrait", True, [])
    twelve = layout([16] + [9] * 11, [False] * 12, [False] * 12, 1)
    assert (twelve.orientation, twelve.fit) == ("landscape", True) and sum(twelve.widths) > portrait
    # Long free text is narrowed and wrapped (twice as wide as short text), the rest kept.
    week = [16, 12, 14, 7, 15, 63, 27, 18, 15, 62, 13]
    text = [False, False, True, True, True, True, True, False, True, True, True]
    wide = [i in (5, 9) for i in range(11)]
    fitted = layout(week, text, wide, 0)
    assert fitted.fit and sum(fitted.widths) <= landscape / SMALLEST
    assert fitted.wrapped == {2, 4, 5, 6, 8, 9, 10}
    assert fitted.widths[:2] == [16, 12] and fitted.widths[5] == 2 * fitted.widths[6]
    # Figures that cannot narrow are printed at full size in pieces of at most 12 columns, evenly.
    wide_table = layout([7, 7] + [9] * 27, [False] * 29, [False] * 29, 2)
    assert not wide_table.fit and wide_table.breaks == [11, 20] and wide_table.repeat == 2
    months = layout([8] + [9] * 12, [False] * 13, [False] * 13, 1)
    assert months.breaks == [7]  # 6 + 6 months, not 11 + 1
    bounds = [2, *wide_table.breaks, 29]
    assert [2 + end - start for start, end in pairwise(bounds)] == [11, 11, 11]
    assert max(2 + end - start for start, end in pairwise(bounds)) <= MAX_COLUMNS


@needs_office
def test_the_monthly_report_prints_its_ranking_first_and_every_table_readably(wz: Wz, tmp_path: Path) -> None:
    target = october_report(wz, tmp_path)
    printed = check_readable(target)
    first = " ".join(run.text for run in printed[0])
    assert "办理情况" in first and "排名" in first and "杨柳" in first and "清河" in first
    assert "得分" in first and "加减分" in first
    # Each piece of 通报 repeats 排名 and 社区.
    titles = column_titles(target)
    pieces = [header_columns(runs, titles) for runs in printed if any(run.text == "通报" for run in runs)]
    assert len(pieces) >= 3 and all(piece[:2] == ["排名", "社区"] for piece in pieces)


@needs_office
def test_the_monthly_report_by_unit_with_long_names_prints_readably(wz: Wz, tmp_path: Path) -> None:
    wz("init", "--office", "WZ", "--name", "杨柳街道")
    for i, unit in enumerate(
        ["区住房和城乡建设局物业管理科", "城市管理综合行政执法局第三中队", "杨柳社区居委会"]
    ):
        wz("intake", f"楼道堆物 {i}", "--at", "2026-10-12 09:00")
        wz("assign", str(i + 1), "--to", f"张{i}（{unit}）", "--at", "2026-10-12 10:00")
    target = tmp_path / "通报.xlsx"
    wz("report", "monthly", "--month", "2026-10", "--by", "unit", "--output", str(target))
    check_readable(target)


@needs_office
def test_the_weekly_ledger_wraps_long_text_rather_than_shrinking_it(wz: Wz, tmp_path: Path) -> None:
    wz("init", "--name", "杨柳社区")
    long = (
        "3号楼2单元楼道堆放旧家具和纸箱，影响通行，存在消防隐患，居民多次反映未果，希望社区协调物业尽快清理。"
        * 2
    )
    for day in range(17, 21):
        wz("intake", long, "--resident", "李桂兰", "--category", "堆码物清理", "--at", f"2026-11-{day} 09:00")
        wz(
            "assign",
            str(day - 16),
            "--to",
            "张伟（城市管理综合行政执法局第三中队）",
            "--at",
            f"2026-11-{day} 10:00",
        )
    target = tmp_path / "周台账.xlsx"
    wz("report", "weekly", "--week", "2026-11-17", "--output", str(target))
    sheet = load_workbook(target)["本周新增"]
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
    assert sheet["F4"].alignment.wrap_text and sheet.row_dimensions[4].height > 16
    printed = check_readable(target)
    assert "楼道堆放旧家具" in "".join(run.text for run in printed[0])


@needs_office
def test_a_trend_of_twelve_months_by_community_prints_in_two_even_halves(wz: Wz, tmp_path: Path) -> None:
    build_october(wz)
    target = tmp_path / "趋势.xlsx"
    wz(
        "report",
        "trend",
        "--months",
        "12",
        "--until",
        "2026-10",
        "--by",
        "community",
        "--output",
        str(target),
    )
    sheet = load_workbook(target)["办结率（按社区）"]
    assert sheet.max_column == 13 and sheet.print_title_cols == "$A:$A"
    assert [b.id for b in sheet.col_breaks.brk] == [7]  # 社区 and six months a page, twice
    printed = check_readable(target)
    titles = column_titles(target)
    halves = [
        header_columns(runs, titles)
        for runs in printed
        if any(run.text == "办结率（按社区）" for run in runs)
    ]
    assert [(half[0], len(half)) for half in halves] == [("社区", 7), ("社区", 7)]
