"""A case's events: the timeline ``show`` prints (办理经过) and their JSON, corrections and undos included."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len

from wenzheng_cli.domain.models import Action, Event
from wenzheng_cli.domain.text import mask_extra, mask_name, mask_phone
from wenzheng_cli.render.event_words import action_label
from wenzheng_cli.render.event_words import event_text as event_text
from wenzheng_cli.render.event_words import outcome_label as outcome_label
from wenzheng_cli.render.event_words import rating_label as rating_label
from wenzheng_cli.render.event_words import short_time as short_time

if TYPE_CHECKING:
    from wenzheng_cli.render.rows import EventRow

PII: dict[str, Callable[[Any], Any]] = {"resident": mask_name, "phone": mask_phone, "extra": mask_extra}


def _masked(key: str, value: Any, show_pii: bool) -> Any:
    return value if show_pii or key not in PII else PII[key](value)


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
        if key == "changes":  # an amend: {field: {old, new}}, names and phones masked like everywhere
            value = {
                name: {side: _masked(name, v, show_pii) for side, v in change.items()}
                for name, change in value.items()
            }
        data[key] = _masked(key, value, show_pii)
    return data


_ACTOR_WIDTH = 32  # the widest the 经办人 column grows
_CONTENT_LEAST = 30  # cells the 内容 column keeps beside a long unit's name


def imported(event: EventRow) -> bool:
    """A step an import recorded from a file (rather than one a clerk did)."""
    return event.origin == "import" or bool(event.payload.get("imported"))


def _named(handler: Any, unit: Any) -> str:
    parts = [str(x) for x in (handler, unit) if x]
    return f"{parts[0]}（{parts[1]}）" if len(parts) == 2 else "".join(parts)


def timeline_rows(
    events: Sequence[EventRow], width: int = 0
) -> tuple[list[tuple[EventRow, str, str, str]], str | None]:
    """Each event as (event, 动作, 经办人, 内容), and the line saying who imported the imported steps.

    An imported step names the unit or person the file names, marked （导入）: an assign its unit, a reply
    the unit the case was with then; the clerk who ran the import did not do the step, and is named once,
    quietly, under the timeline."""
    by_id = {e.id: e for e in events}
    undone = {
        str(e.payload.get("revokes")): by_id[str(e.payload.get("revokes"))]
        for e in events
        if e.action is Action.UNDO and str(e.payload.get("revokes")) in by_id
    }
    rows: list[tuple[EventRow, str, str, str]] = []
    handler = unit = None  # whom the case is with, step by step: where an imported reply is said to come from
    runs: dict[tuple[str, str], None] = {}
    for event in events:
        p = event.payload
        if event.id not in undone and event.action in (Action.ASSIGN, Action.ESCALATE):
            handler, unit = p.get("handler"), p.get("unit")
        elif event.id not in undone and event.action is Action.CLAIM:
            handler = p.get("handler") or handler
        label = action_label(event)
        if event.id in undone:
            label += "（已撤销）"
        if imported(event):
            own = _named(p.get("handler"), p.get("unit"))
            if event.action is Action.INTAKE:
                own = ""
            elif event.action is Action.RESOLVE:  # a reply comes from whom the case was with
                own = own or _named(handler, unit)
            # a long unit's name keeps its line, and （导入） goes under it whole
            actor = f"{own}（导入）"
            if width and cell_len(actor) > _actor_room(width):
                actor = f"{own}\n（导入）"
            runs[(event.actor, event.recorded_at[:10])] = None
        else:
            actor = event.actor
        rows.append((event, label, actor, event_text(event, undone, whole=True)))
    line = None
    if runs:
        line = "（导入）的步骤来自导入的文件，" + "；".join(f"由 {who} 于 {day} 导入" for who, day in runs)
    return rows, line


def _actor_room(width: int) -> int:
    """The cells the 经办人 column can have on a console ``width`` wide, beside the time (16), the widest
    action (16), the borders (13) and a readable 内容."""
    return max(min(_ACTOR_WIDTH, width - 16 - 16 - 13 - _CONTENT_LEAST), 8)


def timeline_table(events: Sequence[EventRow], width: int = 0) -> Any:
    """办理经过: every event in recorded order, every text in full (wrapped, never cut); an event taken back
    by an undo is marked 已撤销 and dimmed."""
    # rich.table is slow to load: loaded only when a table is drawn (JSON and files do without)
    from rich.table import Table
    from rich.text import Text

    rows, imported_by = timeline_rows(events, width)
    caption = Text(imported_by, style="dim", overflow="fold") if imported_by else None
    table = Table(
        title="办理经过", header_style="bold", pad_edge=False, caption=caption, caption_justify="left"
    )
    table.add_column("时间", no_wrap=True, min_width=10)
    table.add_column("动作", overflow="fold", max_width=16)
    table.add_column("经办人", overflow="fold", max_width=_ACTOR_WIDTH)
    table.add_column("内容", ratio=1, overflow="fold", min_width=12)
    for event, label, actor, text in rows:
        cells = [Text(printable_text(x), overflow="fold") for x in (short_time(event.at), label, actor, text)]
        table.add_row(*cells, style="dim" if "（已撤销）" in label else None)
    return table


def printable_text(text: str) -> str:
    """A text to wrap in a table cell: tabs as spaces (a cell has no tab stops)."""
    return text.replace("\t", "    ")
