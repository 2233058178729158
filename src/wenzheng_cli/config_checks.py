"""How a setting's value is checked, one way for a value read from the ledger (``Settings.parse``) and for one
typed after ``config set``: a value refused when typed is refused when read from a ledger edited by other
means, so that a bad value is one clear error naming the key and its fix rather than a failure deep inside a
later command.

Every number a setting takes has a ``Range`` (finite, from a least to a greatest value, whole or not); every
text in a list is bounded like any typed field (``MAX_FIELD``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from wenzheng_cli.domain.fields import MAX_FIELD
from wenzheng_cli.errors import Phrase, Piece, WenzhengError, command, phrase, pieces

if TYPE_CHECKING:
    from wenzheng_cli.domain.deadlines import Span

SHOWN = 20  # characters of a bad value quoted in a message

WEEKDAY_CODES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WEEKDAY_WORDS = dict(zip("一二三四五六日", WEEKDAY_CODES, strict=True)) | {"天": "sun", "七": "sun"}


def weekday_code(raw: str) -> str | None:
    """A weekday as ``week.start`` keeps it (``mon``…``sun``), from ``tue`` or the Chinese 周二、星期二、礼拜二;
    None when it names no weekday."""
    text = raw.strip().lower()
    if text in WEEKDAY_CODES:
        return text
    for prefix in ("周", "星期", "礼拜"):
        if text.startswith(prefix) and len(text) == len(prefix) + 1:
            return _WEEKDAY_WORDS.get(text[-1])
    return None


class SettingError(WenzhengError):
    """A setting that cannot be used; ``key`` names it."""

    def __init__(self, key: str, message: Phrase, hint: Phrase) -> None:
        super().__init__(message, hint)
        self.key = key


@dataclass(frozen=True)
class Range:
    """The numbers a setting takes: from ``low`` to ``high``, and whole numbers alone when ``whole``."""

    low: int
    high: int
    whole: bool = False

    def why_not(self, value: int | float, typed: str) -> str | None:
        """What is wrong with ``value`` (a number already; ``typed`` as it was written), or ``None``."""
        if isinstance(value, float) and not math.isfinite(value):
            return f"需要有限的数字（现为 {shown(typed)}）"
        if self.whole and isinstance(value, float) and not value.is_integer():
            return f"需要整数（现为 {shown(typed)}）"
        if not self.low <= value <= self.high:
            kind = "整数" if self.whole else "数"
            return f"应为 {self.low} 到 {self.high} 之间的{kind}（现为 {shown(typed)}）"
        return None


def shown(value: Any) -> str:
    """A value as quoted in a message: short, whatever was stored or typed."""
    text = str(value)
    return text if len(text) <= SHOWN else text[:SHOWN] + "…"


def fix(key: str, example: str | None = None) -> Phrase:
    """The fix of a stored value that cannot be used: back to the default, or (``example``) a valid value."""
    told: list[Piece] = [command("config reset", key), "（恢复默认值）"]
    if example:
        told += ["，或 ", command("config set", key, example)]
    return phrase("改正: ", *told)


def problem(key: str, why: str, example: str | None = None) -> SettingError:
    return SettingError(key, f"配置项 {key} 的值无效: {why}", hint=fix(key, example))


def for_example(key: str, value: str) -> Phrase:
    """``例如`` the command that sets ``key`` to ``value``."""
    return phrase("例如 ", command("config set", key, value))


def texts(key: str, value: Any) -> tuple[str, ...]:
    """A list of texts, each at most ``MAX_FIELD`` characters and without NUL, like any typed field."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise problem(key, "需要由文字组成的列表")
    for item in value:
        if len(item) > MAX_FIELD or "\x00" in item:
            raise problem(key, f"「{shown(item)}」过长或含有空字符（每项上限 {MAX_FIELD} 字）")
    return tuple(value)


def number(key: str, value: Any, allowed: Range, example: str | None = None) -> float:
    """A stored number within ``allowed`` (never NaN or infinite, so that no report can carry one)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise problem(key, "需要数字", example)
    why = allowed.why_not(value, str(value))
    if why:
        raise problem(key, why, example)
    return float(value)


def numbers(key: str, value: Any, allowed: Range, count: int, example: str) -> tuple[float, ...]:
    """Exactly ``count`` stored numbers, each within ``allowed``."""
    if not isinstance(value, list) or len(value) != count:
        raise problem(key, f"需要 {count} 个数字的列表", example)
    return tuple(number(key, item, allowed, example) for item in value)


def typed_number(key: str, raw: str, allowed: Range, example: str) -> int | float:
    """A number typed for ``key`` (``2``, ``1.5``), refused with its range and an example when outside it."""
    try:
        value = float(raw.strip())
    except ValueError:
        raise WenzhengError(
            f"配置项 {key} 需要数字，「{shown(raw.strip())}」不是数字", hint=for_example(key, example)
        ) from None
    why = allowed.why_not(value, raw.strip())
    if why:
        raise WenzhengError(f"配置项 {key} {why}", hint=for_example(key, example))
    return int(value) if value.is_integer() else value


def level(key: str, value: Any, levels: tuple[str, ...]) -> str:
    if value not in levels:
        middle = levels[min(1, len(levels) - 1)]
        raise SettingError(
            key,
            f"配置项 {key} 的层级「{shown(value)}」不在层级列表中（{' < '.join(levels)}）",
            for_example(key, middle),
        )
    return str(value)


def spans(key: str, value: Any) -> dict[str, str]:
    if not isinstance(value, dict) or not all(isinstance(v, (str, int)) for v in value.values()):
        raise problem(key, "需要 JSON 对象，值为时限如 3wd")
    return {str(k): str(v) for k, v in value.items()}


def days(key: str, value: Any) -> tuple[date, ...]:
    if not isinstance(value, list):
        raise problem(key, "需要日期列表", "2026-12-31,2027-01-04")
    found = []
    for item in value:
        try:
            found.append(date.fromisoformat(str(item)))
        except ValueError:
            raise problem(key, f"「{shown(item)}」不是 YYYY-MM-DD 格式的日期", "2026-12-31") from None
    return tuple(found)


def span(key: str, text: Any, hint: Phrase, name: str | None = None) -> Span:
    """A span setting's value (``5wd``) as a ``Span``; refused naming the key (and ``name``, the category or
    nature of a per-category span) with ``hint``, the fix."""
    # deadline arithmetic (working days, holidays, spans): loaded only by work with due dates
    from wenzheng_cli.domain.deadlines import parse_span

    try:
        return parse_span(str(text))
    except WenzhengError as exc:
        told = f"{key}.{shown(name)}" if name is not None else key
        raise SettingError(key, phrase(f"配置项 {told} 的时限无效: ", *pieces(exc.message)), hint) from None
