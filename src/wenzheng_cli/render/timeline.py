"""A case's events: the timeline ``show`` prints (办理经过) and their JSON, corrections and undos included."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from wenzheng_cli.domain.fields import FIELD_LABELS
from wenzheng_cli.domain.models import (
    ACTION_LABELS,
    EFFECT_CLOSED,
    EFFECT_REOPENED,
    OUTCOME_LABELS,
    RATING_LABELS,
    Action,
    Event,
)
from wenzheng_cli.domain.text import mask_extra, mask_name, mask_phone, shorten

if TYPE_CHECKING:
    from wenzheng_cli.render.rows import EventRow

PII: dict[str, Callable[[Any], Any]] = {"resident": mask_name, "phone": mask_phone, "extra": mask_extra}


def short_time(value: str | None) -> str:
    """``2026-11-17T09:30:00+08:00`` → ``2026-11-17 09:30``; midnight and end-of-day show the date only."""
    if not value:
        return ""
    day, _, rest = value.partition("T")
    hm = rest[:5]
    return day if hm in ("00:00", "23:59", "") else f"{day} {hm}"


def rating_label(rating: str | None) -> str:
    return next((label for r, label in RATING_LABELS.items() if r.value == rating), rating or "")


def outcome_label(outcome: str | None) -> str:
    return next((label for o, label in OUTCOME_LABELS.items() if o.value == outcome), outcome or "")


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


def _value(value: Any) -> str:
    if value is None or value == "":
        return "（空）"
    return shorten(str(value), 30)


def event_text(event: EventRow, undone: dict[str, EventRow]) -> str:
    """What one event says, in a line of the timeline, from the event as shown (its personal data masked
    already unless asked for). ``undone``: the events an undo took back, by id."""
    p = event.payload
    bits: list[str] = []
    if event.action is Action.INTAKE:
        bits.append(shorten(p.get("description"), 60))
        if p.get("on_site"):
            bits.append(f"现场办结: {p['on_site']}")
    elif event.action is Action.AMEND:
        for name, change in p.get("changes", {}).items():
            label = FIELD_LABELS.get(name, name)
            old, new = _value(change.get("old")), _value(change.get("new"))
            bits.append(f"{label}: {old} → {new}")
        if p.get("reason"):
            bits.append(f"理由: {p['reason']}")
        return "；".join(bits)
    elif event.action is Action.UNDO:
        target = undone.get(str(p.get("revokes")))
        what = ACTION_LABELS.get(Action(p["undone"]), p["undone"]) if p.get("undone") else "操作"
        when = f" {short_time(target.at)} " if target else ""
        bits.append(f"撤销{when}的{what}")
    for key, label in (
        ("kind", ""),
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
        if key not in p or event.action is Action.INTAKE:
            continue
        value = p[key]
        if key == "text" and p.get("acknowledgement"):
            value = f"答复（仅收悉，未办结）: {value}"
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


def timeline_table(events: Sequence[EventRow]) -> Any:
    """办理经过: every event in recorded order; an event taken back by an undo is marked 已撤销."""
    # rich.table is slow to load: loaded only when a table is drawn (JSON and files do without)
    from rich.table import Table

    by_id = {e.id: e for e in events}
    undone = {
        str(e.payload.get("revokes")): by_id[str(e.payload.get("revokes"))]
        for e in events
        if e.action is Action.UNDO and str(e.payload.get("revokes")) in by_id
    }
    table = Table(title="办理经过", header_style="bold", pad_edge=False)
    table.add_column("时间", no_wrap=True)
    table.add_column("动作", no_wrap=True)
    table.add_column("经办人")
    table.add_column("内容", ratio=1)
    for event in events:
        label = ACTION_LABELS[event.action]
        text = event_text(event, undone)
        if event.id in undone:
            label += "（已撤销）"
            table.add_row(short_time(event.at), label, event.actor, text, style="dim")
        else:
            table.add_row(short_time(event.at), label, event.actor, text)
    return table
