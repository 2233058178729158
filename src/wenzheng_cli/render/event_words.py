"""What one step of a case's timeline says, in words: every action's payload as a clerk reads it, never JSON.

The table, by action (a key not listed is said as ``key: value``, so a key added later still reads as words):

| action | what is shown |
| --- | --- |
| intake 受理 | 渠道, 类别, 性质, 来源编号, 现场办结 (the text itself is the case's 诉求, shown above the timeline) |
| assign 交办 | 转办 when it reassigns; 承办人, 单位, 层级, 时限 |
| claim 认领 | 认领人 |
| return 退单 | 理由 |
| escalate 提级 | 提级至, 承办人, 单位, 时限, 理由 |
| note 进展 | the text; an acknowledgement as 答复（仅收悉，未办结）, with the unit it went to |
| extend 延期 | 新时限, 原时限, 理由 |
| supervise 督办 | 督办 or 挂牌督办, 理由 |
| resolve 办结 | 办理结果 (the outcome), 反馈方式, 答复 (the whole reply) |
| revisit 回访 | 评价, 方式, 意见, then 销账 or 不满意，重办 (a history import's closing step: 评价 alone) |
| withdraw 撤件 | 理由, 重复于 |
| amend 更正 | each field: old → new, 理由 |
| undo 撤销 | which step of when it takes back, 理由 |

Flags (``imported``, ``history``, ``acknowledgement``, ``reassign``, ``effect``) change how a step reads and are
never printed themselves; who did an imported step is the timeline's business (``render.timeline``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from wenzheng_cli.domain.fields import FIELD_LABELS
from wenzheng_cli.domain.models import (
    ACTION_LABELS,
    EFFECT_CLOSED,
    EFFECT_REOPENED,
    OUTCOME_LABELS,
    RATING_LABELS,
    Action,
)
from wenzheng_cli.domain.text import shorten

if TYPE_CHECKING:
    from wenzheng_cli.render.rows import EventRow

# Per action, the payload keys shown and their labels ("" for a value that speaks for itself), in order.
WORDS: dict[Action, tuple[tuple[str, str], ...]] = {
    Action.INTAKE: (
        ("channel", "渠道"),
        ("category", "类别"),
        ("nature", "性质"),
        ("source_key", "来源编号"),
        ("on_site", "现场办结"),
    ),
    Action.ASSIGN: (("handler", "承办人"), ("unit", "单位"), ("level", "层级"), ("due_at", "时限")),
    Action.CLAIM: (("handler", "认领人"),),
    Action.RETURN: (("reason", "理由"),),
    Action.ESCALATE: (
        ("level", "提级至"),
        ("handler", "承办人"),
        ("unit", "单位"),
        ("due_at", "时限"),
        ("reason", "理由"),
    ),
    Action.NOTE: (("text", ""), ("unit", "转至")),
    Action.EXTEND: (("due_at", "新时限"), ("previous_due_at", "原时限"), ("reason", "理由")),
    Action.SUPERVISE: (("kind", ""), ("reason", "理由")),
    Action.RESOLVE: (
        ("outcome", "办理结果"),
        ("handler", "承办人"),
        ("unit", "单位"),
        ("feedback", "反馈方式"),
        ("result", "答复"),
        ("reply_flags", "答复待完善"),
    ),
    Action.REVISIT: (("rating", "评价"), ("method", "方式"), ("comment", "意见"), ("due_at", "重办时限")),
    Action.WITHDRAW: (("reason", "理由"), ("duplicate_of", "重复于")),
    Action.AMEND: (("reason", "理由"),),
    Action.UNDO: (("reason", "理由"),),
}

# A step quoted in one line (what ``undo`` is about to take back): the few keys that tell steps apart.
ONE_LINE = (
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
)
# Keys that change how a step reads, or that the head of the step says already: never printed as such.
FLAGS = frozenset(
    {"imported", "history", "acknowledgement", "reassign", "effect", "revokes", "undone", "changes"}
)
# What an intake records that the case shows above the timeline (or that is bookkeeping).
_INTAKE_SHOWN_ABOVE = frozenset(
    {
        "description",
        "title",
        "number",
        "office",
        "seq",
        "year",
        "resident",
        "phone",
        "address",
        "community",
        "grid",
        "level",
        "difficulty",
        "activity_id",
        "extra",
        "outcome",
        "category_suggested",
        "received_at",
    }
)
MOMENTS = frozenset({"due_at", "previous_due_at"})


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


def action_label(event: EventRow) -> str:
    """The step's name: the action's, but a history import's closing step is 销账（历史导入）."""
    if event.action is Action.REVISIT and event.payload.get("history"):
        return "销账（历史导入）"
    return ACTION_LABELS[event.action]


def words(value: Any) -> str:
    """Any payload value as words: a list joined with 、, a mapping as ``key: value`` pairs, never JSON."""
    if value is None or value == "":
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Mapping):
        return "；".join(f"{k}: {words(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return "、".join(words(v) for v in value)
    return str(value)


def event_text(event: EventRow, undone: dict[str, EventRow], whole: bool = False) -> str:
    """What one event says, from the event as shown (its personal data masked already unless asked for).
    ``undone``: the events an undo took back, by id. ``whole``: every text in full (``show``); otherwise a
    one-line quote of the step, its long texts shortened."""
    p = event.payload
    action = event.action
    bits: list[str] = []
    if action is Action.INTAKE and not whole and p.get("description"):
        bits.append(shorten(p.get("description"), 60))
    elif action is Action.ASSIGN and p.get("reassign"):
        bits.append("转办")
    elif action is Action.AMEND:
        for name, change in (p.get("changes") or {}).items():
            label = FIELD_LABELS.get(name, "导入的其他列" if name == "extra" else name)
            old, new = (_value(change.get(side), whole, name == "extra") for side in ("old", "new"))
            bits.append(f"{label}: {old} → {new}")
    elif action is Action.UNDO:
        target = undone.get(str(p.get("revokes")))
        what = _undone_label(p.get("undone"))
        when = f" {short_time(target.at)} " if target else ""
        bits.append(f"撤销{when}的{what}")
    shown = WORDS.get(action, ()) if whole else () if action is Action.INTAKE else ONE_LINE
    for key, label in shown:
        if key not in p or p[key] is None or p[key] == "" or p[key] == []:
            continue
        value = _said(key, p[key])
        if action is Action.NOTE and key == "text" and p.get("acknowledgement"):
            value = f"答复（仅收悉，未办结）: {value}"
        bits.append(f"{label}: {value}" if label else value)
    known = {key for key, _ in shown}
    for key, value in p.items() if whole else ():
        if key in known or key in FLAGS or (action is Action.INTAKE and key in _INTAKE_SHOWN_ABOVE):
            continue
        if value is None or value == "" or value is False:
            continue
        bits.append(f"{key}: {words(value)}")
    if p.get("effect") == EFFECT_REOPENED:
        bits.append("不满意，重办")
    elif p.get("effect") == EFFECT_CLOSED and not p.get("history"):
        bits.append("销账")
    if action is Action.INTAKE and whole and not bits:
        bits.append("登记诉求（见上）")
    return "；".join(bits)


def _said(key: str, value: Any) -> str:
    if key in MOMENTS:
        return short_time(value) if isinstance(value, str) else words(value)
    if key == "rating":
        return rating_label(value) if isinstance(value, str) else words(value)
    if key == "outcome":
        return outcome_label(value) if isinstance(value, str) else words(value)
    if key == "reply_flags" and isinstance(value, list):
        from wenzheng_cli.domain.reply_quality import describe  # loaded only for a reply judged weak

        return describe(value) or words(value)
    return words(value)


def _value(value: Any, whole: bool, columns: bool = False) -> str:
    """An amended field's old or new value; ``columns``: a JSON object of imported columns, said as words."""
    if value is None or value == "":
        return "（空）"
    if columns and isinstance(value, str):
        value = extra_columns(value) or value
    return words(value) if whole else shorten(words(value), 30)


def _undone_label(action: Any) -> str:
    if not action:
        return "操作"
    try:
        return ACTION_LABELS[Action(action)]
    except ValueError:
        return str(action)


def extra_columns(extra: str | None) -> dict[str, str]:
    """The columns an import kept as they were (a case's ``extra``: a JSON object), by the file's column
    names; text that is not such an object is kept under 其他."""
    if not extra:
        return {}
    try:
        data = json.loads(extra)
    except ValueError:
        return {"其他": extra}
    if not isinstance(data, dict):
        return {"其他": extra}
    return {str(k): v if isinstance(v, str) else words(v) for k, v in data.items() if v not in (None, "")}
