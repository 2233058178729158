"""Views (``render.output``) of ``clerk add`` (the token, shown this once), ``clerk list`` and ``clerk remove``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Self

from rich.text import Text

from wenzheng_cli.domain.clerks import Role
from wenzheng_cli.domain.jsonvalue import JsonValue
from wenzheng_cli.errors import command, phrase
from wenzheng_cli.render.phrases import say

if TYPE_CHECKING:
    from rich.console import Console

    from wenzheng_cli.core.clerks import ClerkAdded, ClerkEntry


def _line(out: Console, text: str) -> None:
    out.print(text, markup=False, soft_wrap=True)


def _role(role: Role) -> str:
    return f"{role.label}（{role.value}）"


@dataclass(frozen=True)
class ClerkAddedView(JsonValue):
    """``clerk add``: the clerk and their token; the token alone on its line, to copy whole."""

    name: str
    role: Role
    token: str

    @classmethod
    def of(cls, added: ClerkAdded) -> ClerkAddedView:
        return cls(added.name, added.role, added.token)

    def show(self, out: Console) -> None:
        _line(out, f"已添加 {self.name}，角色 {_role(self.role)}。令牌:")
        _line(out, self.token)


@dataclass(frozen=True)
class ClerkRow(JsonValue):
    name: str
    role: Role
    added_at: str
    added_by: str


@dataclass(frozen=True)
class ClerkList(JsonValue):
    """``clerk list``: the JSON is the list of clerks itself (never a token or its hash)."""

    rows: tuple[ClerkRow, ...]

    @classmethod
    def of(cls, entries: Sequence[ClerkEntry]) -> ClerkList:
        return cls(tuple(ClerkRow(e.name, e.role, e.added_at, e.added_by) for e in entries))

    def to_json(self) -> list[dict[str, Any]]:
        return [row.to_json() for row in self.rows]

    @classmethod
    def from_json(cls, data: Any, **screen: Any) -> Self:
        return cls(tuple(ClerkRow.from_json(row) for row in data))

    def show(self, out: Console) -> None:
        # rich.table is slow to load: loaded only when a table is drawn
        from rich.table import Table

        if not self.rows:
            example = command("clerk add", "王芳")
            _line(out, say(phrase("还没有办事员；添加用 ", example, "（令牌只显示一次）")))
            return
        table = Table(header_style="bold", pad_edge=False)
        for heading in ("姓名", "角色", "添加时间", "添加人"):
            table.add_column(heading)
        for r in self.rows:
            cells = (r.name, _role(r.role), r.added_at[:16].replace("T", " "), r.added_by)
            table.add_row(*(Text(c) for c in cells))
        out.print(table)


@dataclass(frozen=True)
class ClerkRemovedView(JsonValue):
    """``clerk remove``: who was removed, and their role."""

    name: str
    role: Role

    @classmethod
    def of(cls, entry: ClerkEntry) -> ClerkRemovedView:
        return cls(entry.name, entry.role)

    def show(self, out: Console) -> None:
        _line(out, f"已删除 {self.name}（{_role(self.role)}），其令牌已作废；其办理记录保留原姓名")
