"""Views (``render.output``) of ``rollup``: what each file added, the conflicts, the values the street's lists
lack; and ``rollup --status``, the offices rolled up and which of them has not sent its ledger for a week."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Self

from rich.text import Text

from wenzheng_cli.domain import clock
from wenzheng_cli.domain.fields import FIELD_LABELS
from wenzheng_cli.domain.jsonvalue import JsonValue, screen
from wenzheng_cli.domain.taxonomy import FIELD_LISTS
from wenzheng_cli.errors import command, phrase
from wenzheng_cli.render.phrases import say

if TYPE_CHECKING:
    from rich.console import Console

    from wenzheng_cli.core.rollup import RollupOutcome, SourceStatus

STALE_AFTER = timedelta(days=7)


def _line(out: Console, text: str) -> None:
    out.print(text, markup=False, soft_wrap=True)


@dataclass(frozen=True)
class SourceRow(JsonValue):
    file: str
    office: str
    ledger_id: str
    skipped: bool
    events_added: int
    cases_added: int
    cases_updated: int


@dataclass(frozen=True)
class ConflictRow(JsonValue):
    file: str
    event_id: str | None
    message: str


@dataclass(frozen=True)
class RollupView(JsonValue):
    """``rollup``: per file what it added (or that it was skipped, unchanged), the conflicts, and the values of
    the rolled-up cases the street's lists lack."""

    sources: tuple[SourceRow, ...]
    events_added: int
    conflicts: tuple[ConflictRow, ...]
    unmapped: Mapping[str, tuple[str, ...]]
    dry_run: bool = screen(False)

    @classmethod
    def of(cls, outcome: RollupOutcome) -> RollupView:
        return cls(
            tuple(SourceRow(**vars(s)) for s in outcome.sources),
            outcome.events_added,
            tuple(ConflictRow(**vars(c)) for c in outcome.conflicts),
            {name: tuple(values) for name, values in outcome.unmapped.items()},
            dry_run=outcome.dry_run,
        )

    def show(self, out: Console) -> None:
        # rich.table is slow to load: loaded only when a table is drawn
        from rich.table import Table

        verb = "将新增" if self.dry_run else "新增"
        table = Table(header_style="bold", pad_edge=False)
        table.add_column("文件", overflow="fold")
        table.add_column("社区代码")
        for heading in (f"{verb}办理记录", "新案件", "更新案件"):
            table.add_column(heading, justify="right")
        table.add_column("说明")
        for s in self.sources:
            if s.skipped:
                table.add_row(s.file, s.office, "", "", "", "与上次汇总的文件相同，跳过")
            elif any(c.file == s.file for c in self.conflicts):
                table.add_row(s.file, s.office, "", "", "", "有冲突，未汇总")
            else:
                table.add_row(
                    s.file, s.office, str(s.events_added), str(s.cases_added), str(s.cases_updated), ""
                )
        if self.sources:
            out.print(table)
        total = f"共{verb}办理记录 {self.events_added} 条"
        _line(out, total + ("（试运行，台账未作更改）" if self.dry_run else ""))
        for name, values in self.unmapped.items():
            label = FIELD_LABELS.get(name, name)
            shown = "、".join(values[:20]) + ("等" if len(values) > 20 else "")
            _line(out, f"本台账{label}列表中没有: {shown}")
        if self.unmapped:
            name = next(iter(self.unmapped))
            example = phrase(
                "可用 ",
                command("config add", FIELD_LISTS.get(name, name), self.unmapped[name][0]),
                " 加入，或用 ",
                command("config rename", name, self.unmapped[name][0], "本台账的名称"),
                " 并入已有的值（以后汇总同样适用）",
            )
            _line(out, say(example))


@dataclass(frozen=True)
class StatusRow(JsonValue):
    office: str
    name: str | None
    ledger_id: str
    last_rollup: str
    last_event_at: str | None
    cases: int
    events: int


@dataclass(frozen=True)
class StatusView(JsonValue):
    """``rollup --status``: the JSON is the list of offices; the table says which has not sent its ledger for
    more than a week (as of ``now``)."""

    rows: tuple[StatusRow, ...]
    now: str | None = screen(None)  # the moment the table is drawn for (ledger time text)

    @classmethod
    def of(cls, rows: Sequence[SourceStatus], now: datetime) -> StatusView:
        return cls(
            tuple(
                StatusRow(r.office, r.name, r.ledger_id, r.last_rollup, r.last_event_at, r.cases, r.events)
                for r in rows
            ),
            now=clock.iso(now),
        )

    def to_json(self) -> list[dict[str, Any]]:
        return [row.to_json() for row in self.rows]

    @classmethod
    def from_json(cls, data: Any, **screen: Any) -> Self:
        return cls(tuple(StatusRow.from_json(row) for row in data), **screen)

    def show(self, out: Console) -> None:
        # rich.table is slow to load: loaded only when a table is drawn
        from rich.table import Table

        if not self.rows:
            _line(out, say(phrase("还没有汇总过社区台账；用 ", command("rollup", "社区备份.db"), " 汇总")))
            return
        moment = clock.parse_iso(self.now)
        cutoff = clock.iso(moment - STALE_AFTER) if moment is not None else None
        table = Table(header_style="bold", pad_edge=False)
        for heading in ("代码", "名称", "最近汇总", "最新办理记录", "案件", "办理记录", "报送"):
            table.add_column(heading)
        late = 0
        for r in self.rows:
            stale = cutoff is not None and r.last_rollup < cutoff
            late += stale
            cells = (
                r.office,
                r.name or "",
                r.last_rollup[:16].replace("T", " "),
                (r.last_event_at or "")[:16].replace("T", " "),
                str(r.cases),
                str(r.events),
                "超过一周未报送" if stale else "正常",
            )
            table.add_row(
                *(Text(c, style="bold red" if stale and i == 6 else "") for i, c in enumerate(cells))
            )
        out.print(table)
        if late:
            _line(out, f"{late} 个社区超过一周未报送台账")
