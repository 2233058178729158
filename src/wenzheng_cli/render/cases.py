"""Cases for people (Rich) and for programs (the JSON shape of the CLI contract)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Self

from rich.text import Text

from wenzheng_cli.domain.jsonvalue import JsonValue, screen
from wenzheng_cli.domain.models import IN_HAND, LISTED_KIND, Action, Case, Event
from wenzheng_cli.domain.text import shorten
from wenzheng_cli.render.case_table import cases_table
from wenzheng_cli.render.event_words import extra_columns
from wenzheng_cli.render.rows import CASE_KEYS as CASE_KEYS
from wenzheng_cli.render.rows import CaseRow, EventRow, Twin, twins_of
from wenzheng_cli.render.rows import case_columns as case_columns
from wenzheng_cli.render.rows import case_json as case_json
from wenzheng_cli.render.rows import handler_text as handler_text
from wenzheng_cli.render.rows import place as place
from wenzheng_cli.render.rows import place_text as place_text
from wenzheng_cli.render.rows import who as who
from wenzheng_cli.render.timeline import (
    outcome_label,
    printable_text,
    rating_label,
    short_time,
    timeline_table,
)

if TYPE_CHECKING:
    from rich.console import Console


def supervision(case: CaseRow) -> str:
    return LISTED_KIND if case.listed else "督办" if case.supervised else ""


def case_line(case: CaseRow, verb: str) -> str:
    """The one-line confirmation a clerk sees after a command."""
    parts = [f"{verb} {case.number}", case.status.label]
    if who(case):
        parts.append(f"承办: {who(case)}")
    if case.due_at and case.status in IN_HAND:
        parts.append(f"时限: {short_time(case.due_at)}")
    if case.round > 1:
        parts.append(f"第 {case.round} 轮办理")
    return " · ".join(parts)


def case_detail(
    case: CaseRow, events: Sequence[EventRow], twins: Sequence[Twin] = (), width: int = 0
) -> list[Any]:
    """``show``: the case's fields, the columns an import kept, and its timeline, every text in full (wrapped
    to the console, never cut); the title and the case it repeats are read from the events (its intake, the
    withdrawal that stands)."""
    # rich.table is slow to load: loaded only when a table is drawn (JSON and files do without)
    from rich.table import Table

    info = Table.grid(padding=(0, 2))
    info.add_column(style="bold", no_wrap=True)
    info.add_column(overflow="fold")
    for label, value in case_facts(case, events, twins):
        info.add_row(label, _wrapped(value))
    parts: list[Any] = [info]
    columns = extra_columns(imported_extra(events))
    if columns:
        kept = Table.grid(padding=(0, 2))
        kept.add_column(style="bold", overflow="fold", max_width=24)
        kept.add_column(overflow="fold")
        for name, value in columns.items():
            kept.add_row(_wrapped(name), _wrapped(value))
        parts += [Text("导入的其他列（按原表列名）", style="bold"), kept]
    return [*parts, timeline_table(events, width)]


def case_facts(
    case: CaseRow, events: Sequence[EventRow], twins: Sequence[Twin] = ()
) -> list[tuple[str, str]]:
    """The lines at the head of ``show`` (编号, 受理时间, 诉求…) that have a value, as (label, text): the same
    on a console and on the case's page."""
    resident, phone = case.resident, case.phone
    duplicate_of = repeat_of(events)
    rows = [
        ("编号", f"{case.number}  ({case.status.label}{' · 历史导入' if case.history else ''})"),
        ("受理时间", short_time(case.received_at)),
        ("渠道/类别/性质", " / ".join(x or "—" for x in (case.channel, case.category, case.nature))),
        ("居民", " ".join(x for x in (resident, phone) if x)),
        ("地址", " ".join(x for x in (place(case), case.address) if x)),
        ("标题", title_of(events)),
        ("诉求", case.description),
        ("承办", " · ".join(x for x in (who(case), case.level) if x)),
        ("时限", short_time(case.due_at)),
        ("难度", str(case.difficulty) if case.difficulty else ""),
        ("轮次", f"第 {case.round} 轮" if case.round > 1 else ""),
        ("督办", supervision(case)),
        ("办理结果", result_text(case, events)),
        ("评价", rating_label(case.rating)),
        ("重复件", f"与 {duplicate_of} 重复" if duplicate_of else ""),
        ("疑似重复", "、".join(twin_label(t) for t in twins)),
    ]
    return [(label, value) for label, value in rows if value]


def _wrapped(text: str) -> Text:
    """A value that wraps at the console's width, a Chinese run folded where it meets the edge."""
    return Text(printable_text(text), overflow="fold")


def result_text(case: CaseRow, events: Sequence[EventRow]) -> str:
    """办理结果: the outcome and the reply in force; a reply the timeline already quotes in full is pointed to
    there, not printed twice."""
    outcome = outcome_label(case.outcome)
    quoted = any(e.action is Action.RESOLVE and e.payload.get("result") == case.result for e in events)
    if case.result and quoted:
        return f"{outcome}（答复全文见办理经过）" if outcome else "答复全文见办理经过"
    return " ".join(x for x in (outcome, case.result or "") if x)


def imported_extra(events: Sequence[EventRow]) -> str | None:
    """The columns an import kept with the case as they stand: its intake's, as later corrected (an amend of
    ``extra`` that no undo took back)."""
    revoked = {str(e.payload.get("revokes")) for e in events if e.action is Action.UNDO}
    extra: str | None = None
    for event in events:
        if event.id in revoked:
            continue
        if event.action is Action.INTAKE:
            value = event.payload.get("extra")
            extra = value if isinstance(value, str) else None
        elif event.action is Action.AMEND:
            change = (event.payload.get("changes") or {}).get("extra")
            if isinstance(change, dict):
                value = change.get("new")
                extra = value if isinstance(value, str) else None
    return extra


def title_of(events: Sequence[EventRow]) -> str | None:
    """A case's title: what its intake recorded (no later step changes it)."""
    for event in events:
        if event.action is Action.INTAKE:
            title = event.payload.get("title")
            return title if isinstance(title, str) else None
    return None


def repeat_of(events: Sequence[EventRow]) -> str | None:
    """The case a withdrawn case repeats: ``--duplicate-of`` of its latest withdrawal that no undo took back."""
    revoked = {str(e.payload.get("revokes")) for e in events if e.action is Action.UNDO}
    found: str | None = None
    for event in events:
        if event.action is Action.WITHDRAW and event.id not in revoked:
            value = event.payload.get("duplicate_of")
            found = value if isinstance(value, str) else None
    return found


REASON_LABELS = {"phone": "同一电话", "address": "同址同类", "text": "内容相近", "key": "编号相同"}


def twin_label(twin: Twin) -> str:
    """``WZ-2026-0003（内容相近 91）``: the case, why, and for a text the score."""
    reason = REASON_LABELS.get(twin.reason, twin.reason)
    score = f" {twin.score:.0f}" if twin.reason == "text" else ""
    return f"{twin.number}（{reason}{score}）"


def duplicates_table(
    cases: Sequence[CaseRow],
    twins: Sequence[Sequence[Twin]],
    title: str | None = None,
    titles: Sequence[str | None] = (),
) -> Any:
    """Flagged cases beside the cases they may repeat: number, date, text, and each twin with the reason."""
    # rich.table is slow to load: loaded only when a table is drawn (JSON and files do without)
    from rich.table import Table

    table = Table(title=title, header_style="bold", pad_edge=False)
    table.add_column("编号", no_wrap=True)
    table.add_column("受理日期", no_wrap=True)
    table.add_column("居民", no_wrap=True)
    table.add_column("诉求", ratio=1, min_width=16)
    table.add_column("状态", no_wrap=True)
    table.add_column("疑似重复于", no_wrap=True)
    for case, found, case_title in zip(cases, twins, titles or [None] * len(cases), strict=True):
        pairs = [twin_label(t) for t in found]
        table.add_row(
            case.number,
            case.received_at[:10],
            case.resident or "",
            shorten(case_title or case.description, 40),
            case.status.label,
            "\n".join(pairs),
        )
    return table


# --- views (render.output) ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseDone(JsonValue):
    """A lifecycle command's answer: the case as it now stands (``verb``: what the command did)."""

    case: CaseRow
    verb: str = screen("")

    @classmethod
    def of(cls, case: Case, verb: str, show_pii: bool = False) -> CaseDone:
        return cls(CaseRow.of(case, show_pii), verb)

    def to_json(self) -> dict[str, Any]:
        return self.case.to_json()

    @classmethod
    def from_json(cls, data: Any, **screen: Any) -> Self:
        return cls(CaseRow.from_json(data), **screen)

    def show(self, out: Console) -> None:
        out.print(case_line(self.case, self.verb), markup=False, soft_wrap=True)


@dataclass(frozen=True)
class CaseView(JsonValue):
    """``show``: one case, its timeline, and the possible repeats imports flagged (either way)."""

    case: CaseRow
    events: tuple[EventRow, ...]
    twins: tuple[Twin, ...] = ()

    @classmethod
    def of(
        cls, case: Case, events: Sequence[Event], show_pii: bool = False, twins: Sequence[dict[str, Any]] = ()
    ) -> CaseView:
        return cls(
            CaseRow.of(case, show_pii),
            tuple(EventRow.of(e, show_pii) for e in events),
            twins_of(list(twins)),
        )

    def to_json(self) -> dict[str, Any]:
        data = self.case.to_json()
        data["events"] = [e.to_json() for e in self.events]
        data["twins"] = [t.to_json() for t in self.twins]
        return data

    @classmethod
    def from_json(cls, data: Any, **screen: Any) -> Self:
        return cls(
            CaseRow.from_json(data),
            tuple(EventRow.from_json(e) for e in data["events"]),
            twins_of(data["twins"]),
        )

    def show(self, out: Console) -> None:
        for part in case_detail(self.case, self.events, self.twins, out.width):
            out.print(part)


@dataclass(frozen=True)
class CaseList(JsonValue):
    """``list``: the matching cases, each with its possible repeats for ``--duplicates`` (``twins``, else
    ``None``). What the screen adds, not in the JSON: how many matched (``total``), how many were skipped
    (``offset``), the moment overdue is judged at (``now``), the cases' titles, and whether names and phones
    were asked for (a phone column)."""

    cases: tuple[CaseRow, ...]
    twins: tuple[tuple[Twin, ...], ...] | None = None
    total: int | None = screen(None)
    offset: int = screen(0)
    now: str = screen("")
    titles: tuple[str | None, ...] = screen(())
    show_pii: bool = screen(False)  # the names and phones asked for: a phone column

    @classmethod
    def of(
        cls,
        cases: Sequence[Case],
        total: int,
        show_pii: bool = False,
        now_iso: str = "",
        twins: dict[str, list[dict[str, Any]]] | None = None,
        offset: int = 0,
    ) -> CaseList:
        return cls(
            tuple(CaseRow.of(c, show_pii) for c in cases),
            None if twins is None or not cases else tuple(twins_of(twins.get(c.id, [])) for c in cases),
            total,
            offset,
            now_iso,
            tuple(c.title for c in cases),
            show_pii,
        )

    def to_json(self) -> list[dict[str, Any]]:
        rows = [c.to_json() for c in self.cases]
        if self.twins is not None:
            for row, found in zip(rows, self.twins, strict=True):
                row["twins"] = [t.to_json() for t in found]
        return rows

    @classmethod
    def from_json(cls, data: Any, **screen: Any) -> Self:
        cases = tuple(CaseRow.from_json({k: v for k, v in row.items() if k != "twins"}) for row in data)
        several = bool(data) and all("twins" in row for row in data)
        twins = tuple(twins_of(row["twins"]) for row in data) if several else None
        return cls(cases, twins, **screen)

    def show(self, out: Console) -> None:
        total = len(self.cases) if self.total is None else self.total
        titles = self.titles or (None,) * len(self.cases)
        if not self.cases:
            more = f"（共 {total} 件，--offset 超出了范围）" if total else ""
            out.print(f"没有符合条件的案件{more}", soft_wrap=True)
            return
        shown = len(self.cases)
        title = f"共 {total} 件"
        if self.offset:
            title += f"，显示第 {self.offset + 1}–{self.offset + shown} 件"
        elif total > shown:
            title += f"，显示前 {shown} 件（--limit 0 显示全部）"
        if self.twins is not None:
            out.print(duplicates_table(self.cases, self.twins, title=title, titles=titles))
        else:
            table = cases_table(
                self.cases, self.show_pii, title=title, now_iso=self.now, width=out.width, titles=titles
            )
            if isinstance(table, Text) and not out.is_terminal:
                out.file.write(table.plain + "\n")  # no colour to draw: the lines as they are
            else:
                out.print(table)
