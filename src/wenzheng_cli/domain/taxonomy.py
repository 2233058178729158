"""Checking typed values against an office's lists, with the closest matches as the hint."""

from __future__ import annotations

from collections.abc import Sequence
from difflib import get_close_matches

from wenzheng_cli.domain.models import OUTCOME_LABELS, RATING_LABELS, Outcome, Rating
from wenzheng_cli.errors import WenzhengError, command, phrase

# The case fields whose values come from one of the office's lists, and the list (a ``config`` key).
FIELD_LISTS = {
    "category": "categories",
    "channel": "channels",
    "nature": "natures",
    "community": "communities",
    "grid": "grids",
}


_NUMERALS = str.maketrans("0123456789", "〇一二三四五六七八九")


def _plain(text: str) -> str:
    """For comparing only: case folded, digits as Chinese numerals (1片区 ~ 一片区)."""
    return text.casefold().translate(_NUMERALS)


def closest(value: str, choices: Sequence[str], n: int = 3) -> list[str]:
    """The choices a typed value most likely meant, best first: the same once digits and case are set aside,
    then those containing it (or contained in it), then the closest spellings."""
    plain = _plain(value)
    same = [c for c in choices if _plain(c) == plain]
    contains = same + [c for c in choices if value and (value in c or c in value)]
    fuzzy = get_close_matches(value, list(choices), n=n, cutoff=0.4)
    seen: list[str] = []
    for c in contains + fuzzy:
        if c not in seen:
            seen.append(c)
    return seen[:n]


def check_listed(value: str | None, choices: Sequence[str], label: str, config_key: str) -> str | None:
    """``value`` if it is in ``choices`` (or the list is empty, i.e. not configured); else a clear refusal."""
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    if not choices or value in choices:
        return value
    folded = [c for c in choices if c.casefold() == value.casefold()]
    if len(folded) == 1:  # qq typed for the listed QQ: the list's spelling
        return folded[0]
    near = closest(value, choices)
    hint = f"是否指 {'、'.join(near)}？" if near else f"可选: {'、'.join(choices[:12])}"
    add = command("config add", config_key, value)
    raise WenzhengError(f"{label}「{value}」不在本社区的{label}列表中", hint=phrase(hint, "  新增请用 ", add))


def _closed_set(value: str, mapping: dict[str, str], label: str) -> str:
    text = value.strip()
    lowered = text.lower().replace("-", "_").replace(" ", "_")
    if lowered in mapping.values():
        return lowered
    if text in mapping:
        return mapping[text]
    options = "、".join(f"{zh}({en})" for zh, en in mapping.items())
    raise WenzhengError(f"{label}「{text[:20]}」无法识别", hint=f"可选: {options}")


def parse_rating(value: str) -> Rating:
    mapping = {label: r.value for r, label in RATING_LABELS.items()}
    mapping.update({"联系不上": "unreachable", "无法联系": "unreachable", "比较满意": "basically_satisfied"})
    return Rating(_closed_set(value, mapping, "评价"))


def parse_outcome(value: str) -> Outcome:
    mapping = {label: o.value for o, label in OUTCOME_LABELS.items()}
    mapping.update({"解决": "solved", "已办结": "solved", "解释": "explained", "部分": "partly"})
    return Outcome(_closed_set(value, mapping, "办理结果"))


def check_level(value: str, levels: Sequence[str]) -> str:
    text = value.strip()
    if text in levels:
        return text
    near = closest(text, levels)
    hint = f"层级从低到高: {' < '.join(levels)}"
    if near:
        hint = f"是否指 {'、'.join(near)}？ " + hint
    raise WenzhengError(f"层级「{text[:20]}」不在层级列表中", hint=hint)
