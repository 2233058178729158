"""Cases for people (Rich) and for programs (the JSON shape of the CLI contract)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from wenzheng_cli.domain.models import IN_HAND, LISTED_KIND, Case, Event
from wenzheng_cli.domain.text import mask_name, mask_phone, shorten, text_width
from wenzheng_cli.render.console import printable
from wenzheng_cli.render.fit import Spec, dropped_note, fit_columns
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
    "category_suggested",
)


_MASKED_KEYS = tuple(key for key in CASE_KEYS if key in PII)
# One C call for all the keys, read from the case's own fields (a weekly 台账 may hold 100,000 cases).
_CASE_VALUES = itemgetter(*CASE_KEYS)


def case_json(case: Case, show_pii: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = dict(zip(CASE_KEYS, _CASE_VALUES(vars(case)), strict=True))
    data["status"] = case.status.value
    if not show_pii:
        for key in _MASKED_KEYS:
            data[key] = PII[key](data[key])
    return data


def case_columns(show_pii: bool = False) -> tuple[tuple[str, Callable[[Any], Any] | None], ...]:
    """The case shape as (key, what its value is shown through), for JSON that the ledger writes itself
    (``store.case_text``): ``case_json`` key for key."""
    return tuple((key, None if show_pii or key not in PII else PII[key]) for key in CASE_KEYS)


def who(case: Case) -> str:
    return handler_text(case.handler, case.unit)


def handler_text(handler: str | None, unit: str | None) -> str:
    if handler and unit:
        return f"{handler}（{unit}）"
    return handler or unit or ""


def place(case: Case) -> str:
    return place_text(case.community, case.grid)


def place_text(community: str | None, grid: str | None) -> str:
    return "/".join(p for p in (community, grid) if p)


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
        styles.append("red" if overdue else "yellow" if case.supervised else "")
        rows.append(
            [
                case.number,
                case.received_at[:10],
                place(case),
                resident or "",
                *([case.phone or ""] if show_pii else []),
                case.category or "",
                shorten(case.title or case.description, 40),
                who(case),
                short_time(case.due_at),
                status,
            ]
        )
    rows = [
        [printable(cell) for cell in row] for row in rows
    ]  # a terminal shows residents' text, never acts on it
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
        from wenzheng_cli.render.grid import grid

        drawn = grid(title, names, fit.widths, cells, styles)
        if note:
            drawn.append("\n" + note)
        return drawn
    from rich.table import Table
    from rich.text import Text

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


def case_detail(
    case: Case, events: Sequence[Event], show_pii: bool, twins: Sequence[dict[str, Any]] = ()
) -> list[Any]:
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
        ("疑似重复", "、".join(twin_label(t) for t in twins)),
    ]
    for label, value in rows:
        if value:
            info.add_row(label, value)
    return [info, timeline_table(events, show_pii)]


REASON_LABELS = {"phone": "同一电话", "address": "同址同类", "text": "内容相近", "key": "编号相同"}


def twin_label(twin: dict[str, Any]) -> str:
    """``WZ-2026-0003（内容相近 91）``: the case, why, and for a text the score."""
    reason = REASON_LABELS.get(twin["reason"], twin["reason"])
    score = f" {twin['score']:.0f}" if twin["reason"] == "text" else ""
    return f"{twin['number']}（{reason}{score}）"


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
    table.add_column("疑似重复于", no_wrap=True)
    for case in cases:
        resident = case.resident if show_pii else mask_name(case.resident)
        pairs = [twin_label(t) for t in twins.get(case.id, [])]
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
    twins: Sequence[dict[str, Any]] = ()  # possible repeats flagged by imports, either way

    def to_json(self) -> dict[str, Any]:
        data = case_json(self.case, self.show_pii)
        data["events"] = [event_json(e, self.show_pii) for e in self.events]
        data["twins"] = list(self.twins)
        return data

    def show(self, out: Console) -> None:
        for part in case_detail(self.case, self.events, self.show_pii, self.twins):
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
