"""Cases for people (Rich) and for programs (the JSON shape of the CLI contract)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from wenzheng_cli.domain.models import (
    ACTION_LABELS,
    EFFECT_CLOSED,
    EFFECT_REOPENED,
    IN_HAND,
    OUTCOME_LABELS,
    RATING_LABELS,
    Case,
    Event,
)
from wenzheng_cli.domain.text import mask_name, mask_phone, shorten

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
    "resolved_at",
    "outcome",
    "result",
    "rating",
    "closed_at",
)

_PII_KEYS = {"resident": mask_name, "phone": mask_phone}


_CASE_VALUES = attrgetter(*CASE_KEYS)  # one C call for all the keys (a weekly 台账 may hold 100,000 cases)


def case_json(case: Case, show_pii: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = dict(zip(CASE_KEYS, _CASE_VALUES(case), strict=True))
    data["status"] = case.status.value
    if not show_pii:
        for key, mask in _PII_KEYS.items():
            data[key] = mask(data[key])
    return data


def event_json(event: Event, show_pii: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": event.id,
        "action": event.action.value,
        "at": event.at,
        "actor": event.actor,
        "recorded_at": event.recorded_at,
        "origin": event.origin,
    }
    for key, value in event.payload.items():
        if key in data:
            continue
        if not show_pii and key in _PII_KEYS:
            value = _PII_KEYS[key](value)
        data[key] = value
    return data


def short_time(value: str | None) -> str:
    """``2026-11-17T09:30:00+08:00`` → ``2026-11-17 09:30``; midnight and end-of-day show the date only."""
    if not value:
        return ""
    day, _, rest = value.partition("T")
    hm = rest[:5]
    return day if hm in ("00:00", "23:59", "") else f"{day} {hm}"


def who(case: Case) -> str:
    if case.handler and case.unit:
        return f"{case.handler}（{case.unit}）"
    return case.handler or case.unit or ""


def place(case: Case) -> str:
    return "/".join(p for p in (case.community, case.grid) if p)


def rating_label(rating: str | None) -> str:
    return next((label for r, label in RATING_LABELS.items() if r.value == rating), rating or "")


def outcome_label(outcome: str | None) -> str:
    return next((label for o, label in OUTCOME_LABELS.items() if o.value == outcome), outcome or "")


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


CASE_COLUMNS = ("编号", "受理日期", "社区/网格", "居民", "类别", "诉求", "承办", "时限", "状态")


def cases_table(
    cases: Sequence[Case], show_pii: bool, title: str | None = None, now_iso: str = "", width: int = 0
) -> Any:
    """A Rich table of cases. When the rows fit the console's ``width``, the column widths are worked out
    here from the text (a Chinese character is two cells), which halves what Rich spends measuring cells."""
    from rich.cells import cell_len
    from rich.table import Table
    from rich.text import Text

    rows: list[list[str]] = []
    styles: list[str] = []
    for case in cases:
        resident = case.resident if show_pii else mask_name(case.resident)
        status = case.status.label
        overdue = case.is_overdue(now_iso)
        if overdue:
            status += "·逾期"
        if case.supervised:
            status += "·督"
        styles.append("red" if overdue else "")
        rows.append(
            [
                case.number,
                case.received_at[:10],
                place(case),
                resident or "",
                case.category or "",
                shorten(case.title or case.description, 40),
                who(case),
                short_time(case.due_at),
                status,
            ]
        )
    # On a narrow terminal the less needed columns go first, so that number, text, handler, due date and
    # status stay readable instead of every column being cut.
    keep = list(range(len(CASE_COLUMNS)))
    widths = [
        max([cell_len(name)] + [cell_len(row[i]) for row in rows]) for i, name in enumerate(CASE_COLUMNS)
    ]

    def fits() -> bool:
        return not width or sum(widths[i] + 3 for i in keep) + 1 <= width

    for drop in (3, 4, 2, 1):  # 居民, 类别, 社区/网格, 受理日期
        if fits():
            break
        keep.remove(drop)
    fixed = bool(width) and fits()
    table = Table(title=title, show_lines=False, header_style="bold", pad_edge=False)
    for i in keep:
        name = CASE_COLUMNS[i]
        if fixed:
            table.add_column(name, width=widths[i], no_wrap=True, overflow="ellipsis")
        elif name == "诉求":
            table.add_column(name, ratio=1, min_width=10)
        else:
            table.add_column(name, no_wrap=name in ("编号", "时限"))
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
        ("督办", "是" if case.supervised else ""),
        ("办理结果", " ".join(x for x in (outcome_label(case.outcome), case.result or "") if x)),
        ("评价", rating_label(case.rating)),
        ("重复件", f"与 {case.duplicate_of} 重复" if case.duplicate_of else ""),
    ]
    for label, value in rows:
        if value:
            info.add_row(label, value)
    timeline = Table(title="办理经过", header_style="bold", pad_edge=False)
    timeline.add_column("时间", no_wrap=True)
    timeline.add_column("动作", no_wrap=True)
    timeline.add_column("经办人")
    timeline.add_column("内容", ratio=1)
    for event in events:
        timeline.add_row(
            short_time(event.at), ACTION_LABELS[event.action], event.actor, _event_text(event, show_pii)
        )
    return [info, timeline]


def _event_text(event: Event, show_pii: bool) -> str:
    p = event.payload
    bits: list[str] = []
    if event.action.value == "intake":
        bits.append(shorten(p.get("description"), 60))
        if p.get("on_site"):
            bits.append(f"现场办结: {p['on_site']}")
    for key, label in (
        ("handler", "承办人"),
        ("unit", "单位"),
        ("level", "层级"),
        ("due_at", "时限"),
        ("text", ""),
        ("reason", "理由"),
        ("result", "结果"),
        ("rating", "评价"),
        ("method", "方式"),
        ("comment", "意见"),
        ("duplicate_of", "重复于"),
    ):
        if key not in p or event.action.value == "intake":
            continue
        value = p[key]
        if key == "due_at":
            value = short_time(value)
        elif key == "rating":
            value = rating_label(value)
        bits.append(f"{label}: {value}" if label else str(value))
    if p.get("effect") == EFFECT_REOPENED:
        bits.append("不满意，重办")
    if p.get("effect") == EFFECT_CLOSED:
        bits.append("销账")
    return "；".join(bits) if bits else json.dumps(p, ensure_ascii=False)[:60] if p else ""


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
    """``list``: the matching cases (the first ``len(cases)`` of ``total``), with their twins for
    ``--duplicates``."""

    cases: Sequence[Case]
    total: int
    show_pii: bool = False
    now_iso: str = ""
    twins: dict[str, list[dict[str, Any]]] | None = None

    def to_json(self) -> list[dict[str, Any]]:
        rows = [case_json(c, self.show_pii) for c in self.cases]
        if self.twins is not None:
            for row, c in zip(rows, self.cases, strict=True):
                row["twins"] = self.twins.get(c.id, [])
        return rows

    def show(self, out: Console) -> None:
        if not self.cases:
            out.print("没有符合条件的案件", soft_wrap=True)
            return
        shown = len(self.cases)
        title = f"共 {self.total} 件" + (
            f"，显示前 {shown} 件（--limit 0 显示全部）" if self.total > shown else ""
        )
        if self.twins is not None:
            out.print(duplicates_table(self.cases, self.twins, self.show_pii, title=title))
        else:
            out.print(
                cases_table(self.cases, self.show_pii, title=title, now_iso=self.now_iso, width=out.width)
            )
