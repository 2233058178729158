"""Office configuration: built-in defaults for everything (``config_defaults``), overridden per office in the
ledger, read into the typed ``Settings``; and a typed ``config set`` value checked before it is kept.

The lists (categories, channels, natures, communities, grids, levels) and rules (default spans, closing
ratings, holidays, report weights) live in the ledger's ``settings`` table so that an import can add the new
categories it meets and so that every clerk of an office shares them. ``wenzheng config show`` prints them;
``wenzheng config set|add|remove|reset`` changes them. Nothing needs configuring to start.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from difflib import get_close_matches
from typing import TYPE_CHECKING, Any

from wenzheng_cli.config_checks import (
    WEEKDAY_CODES,
    SettingError,
    days,
    fix,
    for_example,
    level,
    number,
    numbers,
    problem,
    shown,
    span,
    spans,
    texts,
    typed_number,
    weekday_code,
)
from wenzheng_cli.config_defaults import DEFAULTS, KIND_LABELS, LIST_KEYS, RANGES, SPAN_KEYS
from wenzheng_cli.domain.fields import MAX_FIELD
from wenzheng_cli.domain.models import Rating
from wenzheng_cli.errors import Phrase, WenzhengError, command, phrase, pieces

if TYPE_CHECKING:
    from wenzheng_cli.domain.deadlines import Span

__all__ = [
    "DEFAULTS",
    "KIND_LABELS",
    "LIST_KEYS",
    "RANGES",
    "SPAN_KEYS",
    "WEEKDAYS",
    "SettingError",
    "Settings",
    "coerce_setting",
    "shown",
]

MAX_SETTING = 10000  # characters of one typed setting
SHOW = command("config show")  # where the clerk sees every setting and how it is written
WEEKDAYS = WEEKDAY_CODES


@dataclass(frozen=True)
class Settings:
    """An office's configuration, typed and checked once when read from the ledger (``Settings.parse``).

    ``values`` keeps every key as stored over the defaults (what ``config show`` prints)."""

    values: Mapping[str, Any]
    office: str
    office_name: str
    categories: tuple[str, ...]
    channels: tuple[str, ...]
    natures: tuple[str, ...]
    communities: tuple[str, ...]
    grids: tuple[str, ...]
    levels: tuple[str, ...]
    grassroots_level: str
    intake_level: str
    assign_level: str
    closing_ratings: frozenset[str]
    revisit_allow_resolver: bool
    span_by_category: Mapping[str, str]
    span_by_nature: Mapping[str, str]
    holidays: tuple[date, ...]
    workdays: tuple[date, ...]
    duplicates_window_days: int
    duplicates_text_score: float
    week_start: str
    top_categories: int
    points_closed: float
    points_overdue: float
    points_dissatisfied: float
    points_returned: float
    difficulty_weights: tuple[float, ...]
    score_weights: Mapping[str, float]

    @classmethod
    def parse(cls, stored: Mapping[str, Any] | None = None) -> Settings:
        """The defaults overlaid with ``stored``; a value that cannot be used is a ``WenzhengError`` naming the
        key and a fix that is itself valid."""
        v: dict[str, Any] = copy.deepcopy(DEFAULTS)
        v.update({k: val for k, val in (stored or {}).items() if k in DEFAULTS})
        levels = texts("levels", v["levels"])
        if len(levels) < 2 or len(set(levels)) != len(levels):
            raise problem("levels", "需要至少两个不重复的层级，从低到高", "网格,社区,街道,区")
        closing = texts("ratings.closing", v["ratings.closing"])
        known = {r.value for r in Rating} - {Rating.UNREACHABLE.value}
        if not closing or not set(closing) <= known:
            raise problem("ratings.closing", "需要至少一个评价，且只能是 " + "、".join(sorted(known)))
        if v["week.start"] not in WEEKDAYS:
            raise problem("week.start", "需为 mon…sun 之一", "tue")
        if not isinstance(v["revisit.allow_resolver"], bool):
            raise problem("revisit.allow_resolver", "只能是 true 或 false", "false")
        weights = v["score.weights"]
        if not isinstance(weights, dict):
            raise problem("score.weights", "需要 JSON 对象")
        # the rates' formulas: loaded when the settings are read, which listing and showing cases do without
        from wenzheng_cli.domain.tally import RATES

        for name in weights:
            if name not in RATES:
                raise problem("score.weights", f"「{shown(name)}」不是比率名（可用: {'、'.join(RATES)}）")
        code = v["office.code"]
        if not isinstance(code, str) or not code:
            raise problem("office.code", "需要社区代码")
        name = v["office.name"]
        if not isinstance(name, str) or len(name) > MAX_FIELD:
            raise problem("office.name", f"需要不超过 {MAX_FIELD} 字的社区名称")
        by_category = spans("span.by_category", v["span.by_category"])
        by_nature = spans("span.by_nature", v["span.by_nature"])
        _check_spans(v)
        holidays = days("calendar.holidays", v["calendar.holidays"])
        workdays = days("calendar.workdays", v["calendar.workdays"])
        if both := sorted(set(holidays) & set(workdays)):
            raise problem("calendar.workdays", f"{both[0].isoformat()} 同时被设为节假日和工作日")
        return cls(
            values=v,
            office=code,
            office_name=name,
            categories=texts("categories", v["categories"]),
            channels=texts("channels", v["channels"]),
            natures=texts("natures", v["natures"]),
            communities=texts("communities", v["communities"]),
            grids=texts("grids", v["grids"]),
            levels=levels,
            grassroots_level=level("level.grassroots", v["level.grassroots"], levels),
            intake_level=level("level.intake", v["level.intake"], levels),
            assign_level=level("level.assign", v["level.assign"], levels),
            closing_ratings=frozenset(closing),
            revisit_allow_resolver=v["revisit.allow_resolver"],
            span_by_category=by_category,
            span_by_nature=by_nature,
            holidays=holidays,
            workdays=workdays,
            duplicates_window_days=int(_number(v, "duplicates.window_days")),
            duplicates_text_score=_number(v, "duplicates.text_score"),
            week_start=v["week.start"],
            top_categories=int(_number(v, "report.top_categories")),
            points_closed=_number(v, "points.closed"),
            points_overdue=_number(v, "points.overdue"),
            points_dissatisfied=_number(v, "points.dissatisfied"),
            points_returned=_number(v, "points.returned"),
            difficulty_weights=numbers(
                "points.difficulty_weights",
                v["points.difficulty_weights"],
                RANGES["points.difficulty_weights"],
                len(DEFAULTS["points.difficulty_weights"]),  # one weight per difficulty, 1–5
                _typed(DEFAULTS["points.difficulty_weights"]),
            ),
            score_weights={
                str(k): number("score.weights", w, RANGES["score.weights"]) for k, w in weights.items()
            },
        )

    def values_of(self, kind: str) -> tuple[str, ...]:
        """One of the lists (``LIST_KEYS``) by its key."""
        found: tuple[str, ...] = getattr(self, kind)
        return found

    def level_rank(self, level: str | None) -> int:
        return self.levels.index(level) if level in self.levels else -1

    def span(self, key: str) -> Span:
        """A span setting (``span.default``, ``span.claim``…) as a ``Span``, or an error naming the key."""
        return span(key, self.values[key], fix(key, DEFAULTS[key]))

    def span_for(self, category: str | None, nature: str | None) -> Span:
        """The default limit of a case: by its category, else its nature, else ``span.default``."""
        if category and category in self.span_by_category:
            return span(
                "span.by_category", self.span_by_category[category], fix("span.by_category"), category
            )
        if nature and nature in self.span_by_nature:
            return span("span.by_nature", self.span_by_nature[nature], fix("span.by_nature"), nature)
        return self.span("span.default")


def _number(v: Mapping[str, Any], key: str) -> float:
    return number(key, v[key], RANGES[key], _typed(DEFAULTS[key]))


def _typed(value: Any) -> str:
    """A default as ``config set`` takes it: ``30``, ``1,2,3,4,5``."""
    return ",".join(str(x) for x in value) if isinstance(value, list) else str(value)


def _check_spans(v: Mapping[str, Any]) -> None:
    """Every span an office set, read the way the commands that use it read it. The defaults are known to be
    good (a test reads them), so an office that kept them does not load the deadline arithmetic here."""
    for key in SPAN_KEYS:
        if v[key] != DEFAULTS[key]:
            span(key, v[key], fix(key, DEFAULTS[key]))
    for key in ("span.by_category", "span.by_nature"):
        if v[key] != DEFAULTS[key]:
            for name, text in v[key].items():
                span(key, text, fix(key), name)


def coerce_setting(key: str, raw: str) -> Any:
    """Turn a typed ``config set KEY VALUE`` into a value of the default's type, or say why not."""
    if key not in DEFAULTS:
        near = get_close_matches(key[:100], list(DEFAULTS), n=3)
        raise WenzhengError(
            f"没有配置项「{shown(key)}」",
            hint=("是否指 " + "、".join(near) + "？" if near else phrase("用 ", SHOW, " 查看全部配置项")),
        )
    if "\x00" in raw or len(raw) > MAX_SETTING:
        raise WenzhengError(
            f"配置项 {key} 的值过长或含有空字符（上限 {MAX_SETTING} 字）",
            hint=phrase("用 ", SHOW, " 查看写法"),
        )
    default = DEFAULTS[key]
    if isinstance(default, bool):
        lowered = raw.strip().lower()
        if lowered in ("true", "1", "yes", "是", "允许", "on"):
            return True
        if lowered in ("false", "0", "no", "否", "不允许", "off"):
            return False
        raise WenzhengError(f"配置项 {key} 只能是 true 或 false", hint=for_example(key, "true"))
    if isinstance(default, (int, float)):
        return typed_number(key, raw, RANGES[key], _typed(default))
    if isinstance(default, (list, dict)):
        return _typed_collection(key, raw, default)
    if key == "week.start":
        day = weekday_code(raw)
        if day is None:
            raise WenzhengError(
                "week.start 需为 mon…sun 之一（也可写 周一…周日）", hint=for_example("week.start", "周二")
            )
        return day
    if key.startswith("span."):
        span(key, raw.strip(), _span_hint(key))
    return raw.strip()


def _typed_collection(key: str, raw: str, default: list[Any] | dict[str, Any]) -> Any:
    """A typed list (``a,b`` or JSON) or JSON object, its numbers, texts and spans checked as when read."""
    try:
        value = json.loads(raw)
    except json.JSONDecodeError:
        if isinstance(default, list):
            value = [part.strip() for part in raw.replace("，", ",").split(",") if part.strip()]
        else:
            raise WenzhengError(
                f"配置项 {key} 需要 JSON 对象", hint=for_example(key, _EXAMPLE_SPANS)
            ) from None
    if not isinstance(value, type(default)):
        kind = "列表" if isinstance(default, list) else "JSON 对象"
        raise WenzhengError(f"配置项 {key} 需要{kind}", hint=phrase("用 ", SHOW, " 查看当前值的写法"))
    if isinstance(value, list) and key in RANGES:
        example = _typed(default)
        value = [typed_number(key, str(v), RANGES[key], example) for v in value]
        if len(value) != len(default):
            raise WenzhengError(
                f"配置项 {key} 需要 {len(default)} 个数字（每个难度一个），现为 {len(value)} 个",
                hint=for_example(key, example),
            )
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, str) and len(item) > MAX_FIELD:
                raise WenzhengError(
                    f"配置项 {key} 的值「{shown(item)}」过长（{len(item)} 字，上限 {MAX_FIELD} 字）",
                    hint=f"请精简到 {MAX_FIELD} 字以内",
                )
    if isinstance(value, dict) and key in RANGES:
        example = """'{"completion_rate": 0.5, "satisfaction_rate": 0.5}'"""
        value = {k: typed_number(key, str(v), RANGES[key], example) for k, v in value.items()}
    if key.startswith("span.") and isinstance(value, dict):
        for name, text in value.items():
            span(key, text, _span_hint(key), name)
    return value


_EXAMPLE_SPANS = """'{"物业管理": "3wd"}'"""


def _span_hint(key: str) -> Phrase:
    example = _EXAMPLE_SPANS if isinstance(DEFAULTS[key], dict) else "3wd"
    return phrase("时限可写 5wd（5个工作日）、3d、24h、2w，", *pieces(for_example(key, example)))
