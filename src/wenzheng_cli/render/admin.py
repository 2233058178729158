"""Views (``render.output``) of the office commands: init, config, activities, check, backup."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Self

from rich.text import Text

from wenzheng_cli.domain.jsonvalue import JsonValue, screen
from wenzheng_cli.domain.models import Activity
from wenzheng_cli.render.phrases import say

if TYPE_CHECKING:
    from rich.console import Console

    from wenzheng_cli.core.backup import BackupResult
    from wenzheng_cli.core.integrity import CheckReport
    from wenzheng_cli.core.settings import OfficeInfo


def _line(out: Console, text: str) -> None:
    out.print(text, markup=False, soft_wrap=True)


@dataclass(frozen=True)
class OfficeView(JsonValue):
    """``init``: the ledger, the office and how many cases it holds."""

    path: str
    office: str
    name: str
    cases: int

    @classmethod
    def of(cls, info: OfficeInfo) -> OfficeView:
        return cls(info.path, info.office, info.name, info.cases)

    def show(self, out: Console) -> None:
        label = f"{self.name}（{self.office}）" if self.name else self.office
        _line(out, f"台账: {self.path} · {label} · 现有 {self.cases} 件")


@dataclass(frozen=True)
class SettingsView(JsonValue):
    """Settings as ``key = value`` lines (one for ``config set``, all of them for ``config show``); the JSON is
    the settings' object itself."""

    values: Mapping[str, Any]

    @classmethod
    def of(cls, values: Mapping[str, Any]) -> SettingsView:
        return cls(dict(values))

    def to_json(self) -> dict[str, Any]:
        return dict(self.values)

    @classmethod
    def from_json(cls, data: Any, **screen: Any) -> Self:
        return cls(dict(data))

    def show(self, out: Console) -> None:
        for key, value in self.values.items():
            _line(out, f"{key} = {json.dumps(value, ensure_ascii=False)}")


@dataclass(frozen=True)
class ActivityView(JsonValue):
    """``activity add``: the 问政 activity recorded."""

    id: int
    uid: str
    title: str
    kind: str
    at: str
    community: str | None
    recorded_at: str
    actor: str

    @classmethod
    def of(cls, a: Activity) -> ActivityView:
        return cls(a.id, a.uid, a.title, a.kind, a.at, a.community, a.recorded_at, a.actor)

    def show(self, out: Console) -> None:
        _line(out, f"已登记问政活动 {self.id}: {self.title}（{self.kind}，{self.at[:10]}）")


@dataclass(frozen=True)
class ActivityRow(ActivityView):
    """An activity of ``activity list``, with how many cases belong to it."""

    items: int


@dataclass(frozen=True)
class ActivityList(JsonValue):
    """``activity list``: the JSON is the list of activities itself."""

    rows: tuple[ActivityRow, ...]

    @classmethod
    def of(cls, rows: Sequence[Mapping[str, Any]]) -> ActivityList:
        return cls.from_json(rows)

    def to_json(self) -> list[dict[str, Any]]:
        return [row.to_json() for row in self.rows]

    @classmethod
    def from_json(cls, data: Any, **screen: Any) -> Self:
        return cls(tuple(ActivityRow.from_json(row) for row in data))

    def show(self, out: Console) -> None:
        # rich.table is slow to load: loaded only when a table is drawn (JSON and files do without)
        from rich.table import Table

        if not self.rows:
            _line(out, "还没有登记问政活动")
            return
        table = Table(header_style="bold", pad_edge=False)
        for name in ("编号", "日期", "类型", "名称", "社区", "事项"):
            table.add_column(name)
        for r in self.rows:
            cells = (str(r.id), r.at[:10], r.kind, r.title, r.community or "", str(r.items))
            table.add_row(*(Text(c) for c in cells))
        out.print(table)


@dataclass(frozen=True)
class ProblemRow(JsonValue):
    """A problem ``check`` found: its kind, the case (``None``: the ledger) and the message, spelled."""

    kind: str
    number: str | None
    message: str


@dataclass(frozen=True)
class CheckView(JsonValue):
    """``check``: whether the ledger is whole, what it holds, the problems found."""

    ok: bool
    cases: int
    events: int
    problems: tuple[ProblemRow, ...]
    without_pii: str | None = screen(None)  # a copy without personal data: when it was made

    @classmethod
    def of(cls, report: CheckReport) -> CheckView:
        problems = tuple(ProblemRow(p.kind, p.number, say(p.message)) for p in report.problems)
        return cls(report.ok, report.cases, report.events, problems, report.without_pii)

    def show(self, out: Console) -> None:
        if self.without_pii:
            made = self.without_pii[:16].replace("T", " ")
            _line(out, f"这是去除个人信息的副本（{made} 时生成），可用于街道汇总")
        if self.ok:
            _line(out, f"台账完好: {self.cases} 件案件，{self.events} 条办理记录，全部一致")
            return
        for p in self.problems:
            _line(out, f"{p.number or '台账'}: {p.message}")
        _line(out, f"发现 {len(self.problems)} 处问题（{self.cases} 件案件，{self.events} 条办理记录）")


@dataclass(frozen=True)
class BackupView(JsonValue):
    """``backup``: where the copy went and its size."""

    path: str
    bytes: int
    without_pii: bool = screen(False)

    @classmethod
    def of(cls, result: BackupResult) -> BackupView:
        return cls(result.path, result.bytes, result.without_pii)

    def show(self, out: Console) -> None:
        if self.without_pii:
            _line(out, f"已生成去除个人信息的副本 {self.path}（{self.bytes / 1024:.0f} KB），可报送街道")
            return
        _line(out, f"已备份到 {self.path}（{self.bytes / 1024:.0f} KB）")
