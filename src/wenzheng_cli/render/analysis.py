"""``wenzheng hotspots`` and ``wenzheng suggest`` out. Hotspots: a table on screen, JSON, CSV, XLSX (热点问题表 + 明细表) or one HTML page.

The HTML page (``render.hotspots_page``) is self-contained (inline CSS and SVG, no script, no network) and
prints on A4.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Self

from wenzheng_cli.analysis.hotspots import HEAT_EXPLAINED
from wenzheng_cli.core.analysis import SuggestResult
from wenzheng_cli.core.hotspots import Hotspot, HotspotsResult
from wenzheng_cli.domain.jsonvalue import JsonValue, screen
from wenzheng_cli.domain.text import shorten
from wenzheng_cli.render import console, report_output, writers
from wenzheng_cli.render.output import emit as emit_view
from wenzheng_cli.render.sheets import Column, Sheet

if TYPE_CHECKING:
    from rich.console import Console


@dataclass(frozen=True)
class HotspotRow(JsonValue):
    """A hotspot as ``hotspots --json`` lists it."""

    rank: int
    heat: float
    place: str
    summary: str
    cases: int
    people: int
    start: str
    end: str
    numbers: tuple[str, ...]
    communities: tuple[str, ...] = ()  # those its cases belong to, most cases first
    offices: tuple[str, ...] = ()  # the offices (by name) its cases belong to: a street ledger holds several


@dataclass(frozen=True)
class HotspotsView(JsonValue):
    """``hotspots`` on screen and as JSON. What the screen adds, not in the JSON: the window cases were grouped
    in, how many cases the period received, and each hotspot's 点赞 (``support``, in the hotspots' order)."""

    start: str
    end: str
    hotspots: tuple[HotspotRow, ...]
    window: str = screen("")
    cases: int = screen(0)
    support: tuple[int, ...] = screen(())
    office: str = screen("")

    @classmethod
    def of(cls, result: HotspotsResult) -> HotspotsView:
        rows = tuple(HotspotRow.from_json(h.to_dict()) for h in result.hotspots)
        support = tuple(h.support for h in result.hotspots)
        return cls(result.start, result.end, rows, result.window, result.cases, support, result.office)

    def to_json(self) -> dict[str, Any]:
        return {
            "period": {"start": self.start, "end": self.end},
            "hotspots": [h.to_json() for h in self.hotspots],
        }

    @classmethod
    def from_json(cls, data: Any, **screen: Any) -> Self:
        rows = tuple(HotspotRow.from_json(h) for h in data["hotspots"])
        return cls(data["period"]["start"], data["period"]["end"], rows, **screen)

    def show(self, out: Console) -> None:
        writers.print_tables(out, title(self), subtitle(self), [screen_sheet(self, out.width)], [])
        if self.hotspots:
            out.print("各热点的全部案件见明细表: --format xlsx --output 热点问题.xlsx", markup=False)


def title(result: HotspotsResult | HotspotsView) -> str:
    """The office and the period head every output (a printed table is read away from the ledger)."""
    return f"{result.office}热点问题（{result.start} 至 {result.end}）"


def subtitle(result: HotspotsResult | HotspotsView) -> str:
    found = len(result.hotspots)
    return (
        f"统计期内受理 {result.cases} 件；同一地点、同一问题、相邻两件相隔不超过 {result.window} 的归为一组，"
        f"至少 2 人反映的为热点，按热度列出前 {found} 个"
    )


SPANS = (("communities", "涉及社区"), ("offices", "涉及台账"))


def spanning(hotspots: Sequence[HotspotRow] | Sequence[Hotspot]) -> list[tuple[str, str]]:
    """(field, title) of the columns that say which communities or offices a hotspot spans: each only when
    some hotspot spans more than one (a hotspot within one community says it with its place)."""
    return [(name, title) for name, title in SPANS if any(len(getattr(h, name)) > 1 for h in hotspots)]


def span_text(hotspot: HotspotRow | Hotspot, name: str) -> str:
    values: Sequence[str] = getattr(hotspot, name)
    return "、".join(values) if len(values) > 1 else ""


def screen_sheet(result: HotspotsView, width: int) -> Sheet:
    """The hotspots on a terminal of ``width`` columns: place and summary shortened to fit, no case numbers
    (they are in the files and the JSON), 点赞 only when an import brought any, the communities (and offices)
    a hotspot spans only when one spans several (the offices rather than the communities when both)."""
    supports = result.support or (0,) * len(result.hotspots)
    support = any(supports)
    spans = spanning(result.hotspots)[-1:]
    columns = [Column("排名", "int"), Column("热度", "number"), Column("地点"), Column("问题概要")]
    columns += [Column("件数", "int"), Column("人数", "int")]
    columns += [Column("点赞", "int")] if support else []
    columns.append(Column("起止日期"))
    columns += [Column(title) for _, title in spans]
    fixed = 4 + 6 + 4 + 4 + (4 if support else 0) + 18 + 3 * len(columns) + 1
    room = max(width - fixed, 24)
    span_cells = min(24, room // 4) if spans else 0
    room -= span_cells
    place_cells = max(8, min(18, room * 2 // 5))
    summary_cells = room - place_cells
    sheet = Sheet("热点问题表", columns, note=HEAT_EXPLAINED)
    for h, count in zip(result.hotspots, supports, strict=True):
        end = h.end[5:] if h.end[:4] == h.start[:4] else h.end
        row = [h.rank, h.heat, shorten(h.place or "未注明", place_cells), shorten(h.summary, summary_cells)]
        row += [h.cases, h.people] + ([count] if support else []) + [f"{h.start}～{end}"]
        row += [shorten(span_text(h, name), span_cells) for name, _ in spans]
        sheet.rows.append(row)
    return sheet


NUMBERS_PRINTED = 3  # case numbers a printed 热点问题表 shows of a hotspot (the 明细表 lists every case)


def numbers_cell(numbers: Sequence[str], printed: bool) -> str:
    """A hotspot's case numbers in the 热点问题表: all of them, or for print (XLSX) one a line, whole, and past
    four the first ``NUMBERS_PRINTED`` and 「等 N 件」, so that the column stays on the page."""
    if not printed:
        return "、".join(numbers)
    if len(numbers) <= NUMBERS_PRINTED + 1:
        return "\n".join(numbers)
    return "\n".join([*numbers[:NUMBERS_PRINTED], f"等 {len(numbers)} 件"])


def sheets(result: HotspotsResult, *, printed: bool = False) -> list[Sheet]:
    """热点问题表 and 明细表, whole: for files (``printed``: an XLSX, whose case numbers are limited)."""
    main = Sheet(
        "热点问题表",
        [
            Column("排名", "int"),
            Column("热度", "number"),
            Column("地点"),
            Column("问题概要", wide=True),
            Column("件数", "int"),
            Column("人数", "int"),
            Column("点赞", "int"),
            Column("起始日期", "date"),
            Column("最近日期", "date"),
            Column("案件编号", wide=True),
        ],
        note=HEAT_EXPLAINED,
        freeze_columns=3,
    )
    spans = spanning(result.hotspots)
    main.columns[-1:-1] = [Column(title) for _, title in spans]
    for h in result.hotspots:
        main.rows.append(
            [
                h.rank,
                h.heat,
                h.place or "未注明",
                h.summary,
                h.cases,
                h.people,
                h.support,
                h.start,
                h.end,
                *(span_text(h, name) for name, _ in spans),
                numbers_cell(h.numbers, printed),
            ]
        )
    detail = Sheet(
        "明细表",
        [
            Column("排名", "int"),
            Column("地点"),
            Column("编号"),
            Column("受理日期", "date"),
            Column("诉求", wide=True),
        ],
        freeze_columns=3,
    )
    for h in result.hotspots:
        for number, day, text in h.members:
            detail.rows.append([h.rank, h.place or "未注明", number, day, text])
        if h.cases > len(h.members):
            detail.rows.append([h.rank, h.place or "未注明", None, None, unlisted(h)])
    return [main, detail]


def unlisted(h: Hotspot) -> str:
    """The line that ends a hotspot's cases in the 明细表 when it holds more than are listed one by one."""
    return f"另有 {h.cases - len(h.members)} 件未逐件列出（编号见 JSON 输出）"


def emit(result: HotspotsResult, fmt: str, output: str | None) -> None:
    """The format chosen by ``report_output.choose_format``; files go through the reports' one delivery."""
    if fmt == "json":
        report_output.deliver(_json_bytes(HotspotsView.of(result).to_json()), output, text=False)
    elif fmt == "html":
        # the HTML page and its templates (Jinja2): loaded only for --format html
        from wenzheng_cli.render.hotspots_page import page

        report_output.deliver(page(result).encode("utf-8"), output)
    elif fmt == "table" and not output:
        HotspotsView.of(result).show(console.out())
    else:
        tables = sheets(result, printed=fmt == "xlsx")
        report_output.emit_sheets(fmt, output, title(result), subtitle(result), tables, [])


def _json_bytes(value: dict[str, Any]) -> bytes:
    """``json.dumps(value, ensure_ascii=False, indent=2)`` and a line end, as UTF-8, encoded a few thousand
    pieces at a time: a mass complaint's million case numbers never stand as a million small strings."""
    encoded: list[bytes] = []
    batch: list[str] = []
    for piece in json.JSONEncoder(ensure_ascii=False, indent=2).iterencode(value):
        batch.append(piece)
        if len(batch) >= 8192:
            encoded.append("".join(batch).encode("utf-8"))
            batch.clear()
    batch.append("\n")
    encoded.append("".join(batch).encode("utf-8"))
    return b"".join(encoded)


# --- suggest -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scored(JsonValue):
    """A suggested value and how sure the model is of it (0–1)."""

    value: str
    score: float


@dataclass(frozen=True)
class SuggestView(JsonValue):
    """``suggest``: the categories and the units suggested for a text, best first."""

    category: tuple[Scored, ...]
    unit: tuple[Scored, ...]

    @classmethod
    def of(cls, result: SuggestResult) -> SuggestView:
        return cls(
            tuple(Scored(x.value, x.score) for x in result.category),
            tuple(Scored(x.value, x.score) for x in result.unit),
        )

    def show(self, out: Console) -> None:
        for label, items in (("类别", self.category), ("承办单位", self.unit)):
            if not items:
                if label == "承办单位":
                    _line(out, "承办单位: 台账中交办过的案件太少，暂无建议")
                continue
            shown = "  ".join(f"{i}. {x.value}（{x.score * 100:.0f}%）" for i, x in enumerate(items, start=1))
            _line(out, f"{label}: {shown}")


def _line(out: Console, text: str) -> None:
    out.file.write(console.printable(text) + "\n")


def suggestions(result: SuggestResult, as_json: bool) -> None:
    emit_view(SuggestView.of(result), as_json)


def prompt_line(items: list[Any]) -> str:
    """The counter's offer at intake: ``1 城乡建设 (82%)  2 …``."""
    return "  ".join(f"{i} {x.value}（{x.score * 100:.0f}%）" for i, x in enumerate(items, start=1))
