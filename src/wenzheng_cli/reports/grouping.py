"""The groupings of the monthly 通报 and the trend (``--by``), in English or in the practices' Chinese words.

The groupings themselves are one table, ``domain.groupings.GROUPINGS``. A case's group is a field it was
received with (community, grid, category, channel, nature, difficulty) or one in force at the as-of moment
(unit, handler, level: 转办 and 提级 move a case). A case without a value falls in the blank group, shown as
``BLANK`` and never ranked.
"""

from __future__ import annotations

from wenzheng_cli.domain.groupings import BY_KEY, GROUPINGS, listed
from wenzheng_cli.domain.metrics import Return, Track
from wenzheng_cli.errors import WenzhengError, option, phrase

BY_LABELS = {grouping.key: grouping.label for grouping in GROUPINGS}
_WORDS = {word: g.key for g in GROUPINGS for word in (g.label, *g.words)}
BLANK = "（未填）"  # the one name of the blank group, wherever a group or a category is shown


def parse_by(text: str | None, default: str = "community") -> str:
    """``--by``: an English key or a Chinese word; a clear refusal listing both otherwise."""
    value = (text or default).strip()
    key = value.lower()
    if key in BY_KEY:
        return key
    if value in _WORDS:
        return _WORDS[value]
    raise WenzhengError(f"不能按「{value[:20]}」分组", hint=phrase(option("by"), f" 可选: {listed()}"))


def case_group(by: str, head: tuple[object, ...], t: Track) -> str | None:
    """The group of a case: a field it was received with, or its unit, handler or level at the moment."""
    grouping = BY_KEY[by]
    if grouping.moves:
        return grouping.key_of(getattr(t, grouping.column))
    return grouping.key_of(head[grouping.position])


def return_group(by: str, head: tuple[object, ...], returned: Return) -> str | None:
    """The group a 退单 counts against: the unit, handler or level the case was returned from; for the fields
    a case was received with, the case's own group."""
    grouping = BY_KEY[by]
    if grouping.moves:
        return grouping.key_of(getattr(returned, grouping.column))
    return grouping.key_of(head[grouping.position])


def label(key: str | None) -> str:
    return BLANK if key is None else key
