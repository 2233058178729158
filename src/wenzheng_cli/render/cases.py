"""Cases for people (Rich) and for programs (the JSON shape of the CLI contract)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from wenzheng_cli.domain.models import IN_HAND, LISTED_KIND, Case, Event
from wenzheng_cli.domain.text import mask_name, mask_phone, shorten
from wenzheng_cli.render.timeline import (
    PII,
    event_json,
    outcome_label,
    rating_label,
    short_time,
    timeline_table,
)

if TYPE_CHECKING:
    from rich.console import Console

CASE_KEYS = (
    "number",
    "id",
    "status",
    "received_at",
    "channel",
    "category",
    "nature",
    "description",
    "resident",
    "phone",
    "address",
    "community",
    "grid",
    "handler",
    "unit",
    "level",
    "due_at",
    "difficulty",
    "round",
    "supervised",
    "listed",
    "resolved_at",
    "outcome",
    "result",
    "rating",
    "closed_at",
)


def case_json(case: Case, show_pii: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for key in CASE_KEYS:
        value = getattr(case, key)
        if key == "status":
            value = case.status.value
        elif not show_pii and key in PII:
            value = PII[key](value)
        data[key] = value
    return data


def who(case: Case) -> str:
    if case.handler and case.unit:
        return f"{case.handler}（{case.unit}）"
    return case.handler or case.unit or ""


def place(case: Case) -> str:
    return "/".join(p for p in (case.community, case.grid) if p)


def supervision(case: Case) -> str:
    return LISTED_KIND if case.listed else "督办" if case.supervised else ""


def case_line(case: Case, verb: str) -> str:
    """The one-line confirmation a clerk sees after a command."""
    parts = [f"{verb} {case.number}", case.status.label]
    if who(case):
        parts.append(f"承办: {who(case)}")
    if case.due_at and case.status in IN_HAND:
        parts.append(f"时限: {short_time(case.due_at)}")
    if case.round > 1:
        parts.append(f"第 {case.round} 轮办理")
    return " · ".join(parts)


CASE_COLUMNS = ("编号", "受理日期", "社区/网格", "居民", "电话", "类别", "诉求", "承办", "时限", "状态")
# On a narrow terminal the less needed columns go first, so that number, text, handler, due date and status
# stay readable instead of every column being cut. With --show-pii the resident and phone asked for stay (the
# text wraps instead).
DROP_FIRST = ("居民", "类别", "社区/网格", "受理日期")
DROP_FIRST_PII = ("类别", "社区/网格", "受理日期")


def cases_table(
    cases: Sequence[Case],
    show_pii: bool,
    title: str | None = None,
    now_iso: str = "",
    width: int = 0,
    rich_table: bool = False,
) -> Any:
    """A table of cases (a phone column with ``show_pii``). When the rows fit the console's ``width``, the
    column widths are worked out here from the text (a Chinese character is two cells) and the lines are drawn
    directly (``render.grid``; ``rich_table`` asks for Rich's ``Table`` instead, which draws the same);
    otherwise Rich lays the table out to the width."""
    from rich.cells import cell_len

    rows: list[list[str]] = []
    styles: list[str] = []
    for case in cases:
        resident = case.resident if show_pii else mask_name(case.resident)
        status = case.status.label
        overdue = case.is_overdue(now_iso)
        if overdue:
            status += "·逾期"
        if case.supervised:
            status += "·挂牌" if case.listed else "·督"
        styles.append("red" if overdue else "")
        rows.append(
            [
                case.number,
                case.received_at[:10],
                place(case),
                resident or "",
                case.phone or "",
                case.category or "",
                shorten(case.title or case.description, 40),
                who(case),
                short_time(case.due_at),
                status,
            ]
        )
    keep = [i for i, name in enumerate(CASE_COLUMNS) if show_pii or name != "电话"]
    widths = [
        max([cell_len(name)] + [cell_len(row[i]) for row in rows]) for i, name in enumerate(CASE_COLUMNS)
    ]

    def fits() -> bool:
        return not width or sum(widths[i] + 3 for i in keep) + 1 <= width

    for name in DROP_FIRST_PII if show_pii else DROP_FIRST:
        if fits():
            break
        if CASE_COLUMNS.index(name) in keep:
            keep.remove(CASE_COLUMNS.index(name))
    fixed = bool(width) and fits()
    if fixed and not rich_table:
        from wenzheng_cli.render.grid import grid

        names = [CASE_COLUMNS[i] for i in keep]
        return grid(title, names, [widths[i] for i in keep], [[row[i] for i in keep] for row in rows], styles)
    from rich.table import Table
    from rich.text import Text

    table = Table(title=title, show_lines=False, header_style="bold", pad_edge=False)
    for i in keep:
        name = CASE_COLUMNS[i]
        if fixed:
            table.add_column(name, width=widths[i], no_wrap=True, overflow="ellipsis")
        elif name == "诉求":
            table.add_column(name, ratio=1, min_width=10)
        else:
            table.add_column(name, no_wrap=name in ("编号", "时限", "电话"))
    for row, style in zip(rows, styles, strict=True):
        cells: list[Any] = [row[i] for i in keep]
        if style:
            cells[-1] = Text(row[-1], style=style)
        table.add_row(*cells)
    return table


def case_detail(case: Case, events: Sequence[Event], show_pii: bool) -> list[Any]:
    from rich.table import Table

    info = Table.grid(padding=(0, 2))
    info.add_column(style="bold", no_wrap=True)
    info.add_column()
    resident = case.resident if show_pii else mask_name(case.resident)
    phone = case.phone if show_pii else mask_phone(case.phone)
    rows = [
        ("编号", f"{case.number}  ({case.status.label})"),
        ("受理时间", short_time(case.received_at)),
        ("渠道/类别/性质", " / ".join(x or "—" for x in (case.channel, case.category, case.nature))),
        ("居民", " ".join(x for x in (resident, phone) if x)),
        ("地址", " ".join(x for x in (place(case), case.address) if x)),
        ("标题", case.title),
        ("诉求", case.description),
        ("承办", " · ".join(x for x in (who(case), case.level) if x)),
        ("时限", short_time(case.due_at)),
        ("难度", str(case.difficulty) if case.difficulty else ""),
        ("轮次", f"第 {case.round} 轮" if case.round > 1 else ""),
        ("督办", supervision(case)),
        ("办理结果", " ".join(x for x in (outcome_label(case.outcome), case.result or "") if x)),
        ("评价", rating_label(case.rating)),
        ("重复件", f"与 {case.duplicate_of} 重复" if case.duplicate_of else ""),
    ]
    for label, value in rows:
        if value:
            info.add_row(label, value)
    return [info, timeline_table(events, show_pii)]


REASON_LABELS = {"phone": "同一电话", "address": "同址同类", "text": "内容相近", "key": "编号相同"}


def duplicates_table(
    cases: Sequence[Case], twins: dict[str, list[dict[str, Any]]], show_pii: bool, title: str | None = None
) -> Any:
    """Flagged cases beside the cases they may repeat: number, date, text, and each twin with the reason."""
    from rich.table import Table

    table = Table(title=title, header_style="bold", pad_edge=False)
    table.add_column("编号", no_wrap=True)
    table.add_column("受理日期", no_wrap=True)
    table.add_column("居民", no_wrap=True)
    table.add_column("诉求", ratio=1, min_width=16)
    table.add_column("状态", no_wrap=True)
    table.add_column("疑似重复于")
    for case in cases:
        resident = case.resident if show_pii else mask_name(case.resident)
        pairs = [
            f"{t['number']}（{REASON_LABELS.get(t['reason'], t['reason'])}"
            + (f" {t['score']:.0f}" if t["reason"] == "text" else "")
            + "）"
            for t in twins.get(case.id, [])
        ]
        table.add_row(
            case.number,
            case.received_at[:10],
            resident or "",
            shorten(case.title or case.description, 40),
            case.status.label,
            "\n".join(pairs),
        )
    return table


# --- views (render.output) ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseDone:
    """A lifecycle command's answer: the case as it now stands."""

    case: Case
    verb: str
    show_pii: bool = False

    def to_json(self) -> dict[str, Any]:
        return case_json(self.case, self.show_pii)

    def show(self, out: Console) -> None:
        out.print(case_line(self.case, self.verb), markup=False, soft_wrap=True)


@dataclass(frozen=True)
class CaseView:
    """``show``: one case and its timeline."""

    case: Case
    events: Sequence[Event]
    show_pii: bool = False

    def to_json(self) -> dict[str, Any]:
        data = case_json(self.case, self.show_pii)
        data["events"] = [event_json(e, self.show_pii) for e in self.events]
        return data

    def show(self, out: Console) -> None:
        for part in case_detail(self.case, self.events, self.show_pii):
            out.print(part)


@dataclass(frozen=True)
class CaseList:
    """``list``: the matching cases (``len(cases)`` of ``total``, after the first ``offset``), with their twins
    for ``--duplicates``."""

    cases: Sequence[Case]
    total: int
    show_pii: bool = False
    now_iso: str = ""
    twins: dict[str, list[dict[str, Any]]] | None = None
    offset: int = 0

    def to_json(self) -> list[dict[str, Any]]:
        rows = [case_json(c, self.show_pii) for c in self.cases]
        if self.twins is not None:
            for row, c in zip(rows, self.cases, strict=True):
                row["twins"] = self.twins.get(c.id, [])
        return rows

    def show(self, out: Console) -> None:
        if not self.cases:
            more = f"（共 {self.total} 件，--offset 超出了范围）" if self.total else ""
            out.print(f"没有符合条件的案件{more}", soft_wrap=True)
            return
        shown = len(self.cases)
        title = f"共 {self.total} 件"
        if self.offset:
            title += f"，显示第 {self.offset + 1}–{self.offset + shown} 件"
        elif self.total > shown:
            title += f"，显示前 {shown} 件（--limit 0 显示全部）"
        if self.twins is not None:
            out.print(duplicates_table(self.cases, self.twins, self.show_pii, title=title))
        else:
            from rich.text import Text

            table = cases_table(self.cases, self.show_pii, title=title, now_iso=self.now_iso, width=out.width)
            if isinstance(table, Text) and not out.is_terminal:
                out.file.write(table.plain + "\n")  # no colour to draw: the lines as they are
            else:
                out.print(table)
