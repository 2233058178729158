"""Views (``render.output``) of the office commands: init, config, activities, check, backup."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from wenzheng_cli.domain.models import Activity

if TYPE_CHECKING:
    from rich.console import Console

    from wenzheng_cli.core.backup import BackupResult
    from wenzheng_cli.core.integrity import CheckReport
    from wenzheng_cli.core.settings import OfficeInfo


def _line(out: Console, text: str) -> None:
    out.print(text, markup=False, soft_wrap=True)


@dataclass(frozen=True)
class OfficeView:
    info: OfficeInfo

    def to_json(self) -> dict[str, Any]:
        return asdict(self.info)

    def show(self, out: Console) -> None:
        info = self.info
        label = f"{info.name}（{info.office}）" if info.name else info.office
        _line(out, f"台账: {info.path} · {label} · 现有 {info.cases} 件")


@dataclass(frozen=True)
class SettingsView:
    """Settings as ``key = value`` lines (one for ``config set``, all of them for ``config show``)."""

    values: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return self.values

    def show(self, out: Console) -> None:
        for key, value in self.values.items():
            _line(out, f"{key} = {json.dumps(value, ensure_ascii=False)}")


@dataclass(frozen=True)
class ActivityView:
    activity: Activity

    def to_json(self) -> dict[str, Any]:
        return asdict(self.activity)

    def show(self, out: Console) -> None:
        a = self.activity
        _line(out, f"已登记问政活动 {a.id}: {a.title}（{a.kind}，{a.at[:10]}）")


@dataclass(frozen=True)
class ActivityList:
    rows: list[dict[str, Any]]

    def to_json(self) -> list[dict[str, Any]]:
        return self.rows

    def show(self, out: Console) -> None:
        from rich.table import Table
        from rich.text import Text

        if not self.rows:
            _line(out, "还没有登记问政活动")
            return
        table = Table(header_style="bold", pad_edge=False)
        for name in ("编号", "日期", "类型", "名称", "社区", "事项"):
            table.add_column(name)
        for r in self.rows:
            cells = (str(r["id"]), r["at"][:10], r["kind"], r["title"], r["community"] or "", str(r["items"]))
            table.add_row(*(Text(c) for c in cells))
        out.print(table)


@dataclass(frozen=True)
class CheckView:
    report: CheckReport

    def to_json(self) -> dict[str, Any]:
        return self.report.as_dict()

    def show(self, out: Console) -> None:
        r = self.report
        if r.ok:
            _line(out, f"台账完好: {r.cases} 件案件，{r.events} 条办理记录，全部一致")
            return
        for p in r.problems:
            _line(out, f"{p.number or '台账'}: {p.message}")
        _line(out, f"发现 {len(r.problems)} 处问题（{r.cases} 件案件，{r.events} 条办理记录）")


@dataclass(frozen=True)
class BackupView:
    result: BackupResult

    def to_json(self) -> dict[str, Any]:
        return {"path": self.result.path, "bytes": self.result.bytes}

    def show(self, out: Console) -> None:
        _line(out, f"已备份到 {self.result.path}（{self.result.bytes / 1024:.0f} KB）")
