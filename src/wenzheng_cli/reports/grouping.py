"""The groupings of the monthly 通报 and the trend (``--by``), in English or in the practices' Chinese words.

A case's group is a field it was received with (community, grid, category, channel, nature) or one in force
at the as-of moment (unit, handler, level: 转办 and 提级 move a case). A case without a value falls in the blank
group, shown as ``BLANK`` and never ranked.
"""

from __future__ import annotations

from wenzheng_cli.domain.metrics import Return, Track
from wenzheng_cli.errors import WenzhengError

BY_LABELS = {
    "community": "社区",
    "grid": "网格",
    "unit": "承办单位",
    "handler": "承办人",
    "level": "层级",
    "category": "类别",
    "channel": "渠道",
    "nature": "性质",
}
_WORDS = {label: key for key, label in BY_LABELS.items()} | {"单位": "unit", "片区": "grid", "部门": "unit"}
# The fields a case was received with, by grouping: their position in a case's head (``store.reports``).
STATIC = {"community": 1, "category": 2, "channel": 3, "grid": 4, "nature": 5}
BLANK = "（未填）"  # the one name of the blank group, wherever a group or a category is shown


def parse_by(text: str | None, default: str = "community") -> str:
    """``--by``: an English key or a Chinese word; a clear refusal listing both otherwise."""
    value = (text or default).strip()
    key = value.lower()
    if key in BY_LABELS:
        return key
    if value in _WORDS:
        return _WORDS[value]
    choices = "、".join(f"{key}（{label}）" for key, label in BY_LABELS.items())
    raise WenzhengError(f"不能按「{value[:20]}」分组", hint=f"--by 可选: {choices}")


def case_group(by: str, head: tuple[object, ...], t: Track) -> str | None:
    """The group of a case: a field it was received with, or its unit, handler or level at the moment."""
    if by in STATIC:
        value = head[STATIC[by]]
    elif by == "unit":
        value = t.unit
    elif by == "handler":
        value = t.handler
    else:
        value = t.level
    return value if isinstance(value, str) and value else None


def return_group(by: str, head: tuple[object, ...], returned: Return) -> str | None:
    """The group a 退单 counts against: the unit, handler or level the case was returned from; for the fields
    a case was received with, the case's own group."""
    if by in STATIC:
        value = head[STATIC[by]]
    else:
        value = {"unit": returned.unit, "handler": returned.handler, "level": returned.level}[by]
    return value if isinstance(value, str) and value else None


def label(key: str | None) -> str:
    return BLANK if key is None else key
