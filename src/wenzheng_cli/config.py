"""Office configuration: built-in defaults for everything, overridden per office in the ledger.

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

from wenzheng_cli.domain.models import Rating
from wenzheng_cli.errors import Phrase, Piece, WenzhengError, command, phrase, pieces

if TYPE_CHECKING:
    from wenzheng_cli.domain.deadlines import Span

DEFAULTS: dict[str, Any] = {
    "office.code": "WZ",
    "office.name": "",
    # Taxonomy. Communities and grids are checked only once an office lists them.
    "categories": [
        "困难诉求",
        "堆码物清理",
        "群众纠纷",
        "行政办理事项",
        "投诉举报",
        "物业管理",
        "水电暖气燃气",
        "老旧小区改造",
        "环境卫生",
        "市政设施",
        "道路交通",
        "噪音扰民",
        "安全隐患",
        "紧急求助",
        "社会保障",
        "医疗卫生",
        "教育文体",
        "其他",
    ],
    "channels": [
        "走访",
        "12345热线",
        "说事箱",
        "倾诉箱",
        "微信",
        "电话",
        "来访",
        "议事会",
        "问政日",
        "网格员",
        "领导留言板",
        "政府信箱",
        "报纸",
        "电视",
        "信访",
    ],
    "natures": ["求助", "投诉", "咨询", "建议", "举报"],
    "communities": [],
    "grids": [],
    # Levels, lowest first. 基层化解 = resolved at or below level.grassroots.
    "levels": ["网格", "社区", "街道", "区"],
    "level.grassroots": "街道",
    "level.intake": "社区",
    "level.assign": "社区",
    # Lifecycle rules.
    "ratings.closing": ["very_satisfied", "satisfied", "basically_satisfied"],
    "revisit.allow_resolver": False,
    "span.default": "5wd",
    "span.by_category": {"水电暖气燃气": "24h", "紧急求助": "2h", "安全隐患": "24h"},
    "span.by_nature": {},
    "span.claim": "1wd",
    "span.feedback": "5wd",
    "calendar.holidays": [],
    "calendar.workdays": [],
    # Imports: possible duplicates of open cases (same phone, or address and category, within the window;
    # or near-identical text scoring at least text_score of 100).
    "duplicates.window_days": 30,
    "duplicates.text_score": 90,
    # Reports.
    "week.start": "tue",
    "report.top_categories": 5,
    # 加减分: + per case closed, times the weight of its difficulty (1–5); − per case overdue, per 不满意
    # rating, per 退单.
    "points.closed": 1,
    "points.difficulty_weights": [1, 2, 3, 4, 5],
    "points.overdue": 2,
    "points.dissatisfied": 3,
    "points.returned": 1,
    # The rank score: a 0–100 weighted mean of these rates (a rate that cannot be counted is left out).
    "score.weights": {
        "claim_rate": 0.15,
        "response_rate": 0.1,
        "completion_rate": 0.25,
        "on_time_rate": 0.15,
        "feedback_rate": 0.1,
        "satisfaction_rate": 0.25,
    },
}

LIST_KEYS = ("categories", "channels", "natures", "communities", "grids", "levels")
KIND_LABELS = {
    "categories": "类别",
    "channels": "渠道",
    "natures": "性质",
    "communities": "社区",
    "grids": "网格",
    "levels": "层级",
}
MAX_SETTING = 10000  # characters of one typed setting
SHOW = command("config show")  # where the clerk sees every setting and how it is written
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class SettingError(WenzhengError):
    """A setting that cannot be used; ``key`` names it."""

    def __init__(self, key: str, message: Phrase, hint: Phrase) -> None:
        super().__init__(message, hint)
        self.key = key


def _problem(key: str, why: str, example: str | None = None) -> SettingError:
    fix: list[Piece] = [command("config reset", key), "（恢复默认值）"]
    if example:
        fix += ["，或 ", command("config set", key, example)]
    return SettingError(key, f"配置项 {key} 的值无效: {why}", hint=phrase("改正: ", *fix))


def _example(key: str, value: str) -> Phrase:
    """``例如`` the command that sets ``key`` to ``value``."""
    return phrase("例如 ", command("config set", key, value))


def _texts(key: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _problem(key, "需要由文字组成的列表")
    return tuple(value)


def _stored_number(key: str, value: Any, *, whole: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value or value < 0:
        raise _problem(key, "需要不小于 0 的数字")
    if whole and not float(value).is_integer():
        raise _problem(key, "需要整数")
    return float(value)


def _level(key: str, value: Any, levels: tuple[str, ...]) -> str:
    if value not in levels:
        middle = levels[min(1, len(levels) - 1)]
        raise SettingError(
            key,
            f"配置项 {key} 的层级「{str(value)[:20]}」不在层级列表中（{' < '.join(levels)}）",
            _example(key, middle),
        )
    return str(value)


def _spans(key: str, value: Any) -> dict[str, str]:
    if not isinstance(value, dict) or not all(isinstance(v, (str, int)) for v in value.values()):
        raise _problem(key, "需要 JSON 对象，值为时限如 3wd")
    return {str(k): str(v) for k, v in value.items()}


def _days(key: str, value: Any) -> tuple[date, ...]:
    if not isinstance(value, list):
        raise _problem(key, "需要日期列表", "2026-12-31,2027-01-04")
    found = []
    for item in value:
        try:
            found.append(date.fromisoformat(str(item)))
        except ValueError:
            raise _problem(key, f"「{str(item)[:20]}」不是 YYYY-MM-DD 格式的日期", "2026-12-31") from None
    return tuple(found)


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
        levels = _texts("levels", v["levels"])
        if len(levels) < 2 or len(set(levels)) != len(levels):
            raise _problem("levels", "需要至少两个不重复的层级，从低到高", "网格,社区,街道,区")
        closing = _texts("ratings.closing", v["ratings.closing"])
        known = {r.value for r in Rating} - {Rating.UNREACHABLE.value}
        if not closing or not set(closing) <= known:
            raise _problem("ratings.closing", "需要至少一个评价，且只能是 " + "、".join(sorted(known)))
        if v["week.start"] not in WEEKDAYS:
            raise _problem("week.start", "需为 mon…sun 之一", "tue")
        if not isinstance(v["revisit.allow_resolver"], bool):
            raise _problem("revisit.allow_resolver", "只能是 true 或 false", "false")
        weights = v["score.weights"]
        if not isinstance(weights, dict):
            raise _problem("score.weights", "需要 JSON 对象")
        # the rates' formulas: loaded when the settings are read, which listing and showing cases do without
        from wenzheng_cli.domain.tally import RATES

        for name in weights:
            if name not in RATES:
                raise _problem("score.weights", f"「{str(name)[:30]}」不是比率名（可用: {'、'.join(RATES)}）")
        code = v["office.code"]
        if not isinstance(code, str) or not code:
            raise _problem("office.code", "需要社区代码")
        return cls(
            values=v,
            office=code,
            office_name=str(v["office.name"] or ""),
            categories=_texts("categories", v["categories"]),
            channels=_texts("channels", v["channels"]),
            natures=_texts("natures", v["natures"]),
            communities=_texts("communities", v["communities"]),
            grids=_texts("grids", v["grids"]),
            levels=levels,
            grassroots_level=_level("level.grassroots", v["level.grassroots"], levels),
            intake_level=_level("level.intake", v["level.intake"], levels),
            assign_level=_level("level.assign", v["level.assign"], levels),
            closing_ratings=frozenset(closing),
            revisit_allow_resolver=v["revisit.allow_resolver"],
            span_by_category=_spans("span.by_category", v["span.by_category"]),
            span_by_nature=_spans("span.by_nature", v["span.by_nature"]),
            holidays=_days("calendar.holidays", v["calendar.holidays"]),
            workdays=_days("calendar.workdays", v["calendar.workdays"]),
            duplicates_window_days=int(
                _stored_number("duplicates.window_days", v["duplicates.window_days"], whole=True)
            ),
            duplicates_text_score=_stored_number("duplicates.text_score", v["duplicates.text_score"]),
            week_start=v["week.start"],
            top_categories=int(
                _stored_number("report.top_categories", v["report.top_categories"], whole=True)
            ),
            points_closed=_stored_number("points.closed", v["points.closed"]),
            points_overdue=_stored_number("points.overdue", v["points.overdue"]),
            points_dissatisfied=_stored_number("points.dissatisfied", v["points.dissatisfied"]),
            points_returned=_stored_number("points.returned", v["points.returned"]),
            difficulty_weights=tuple(
                _stored_number("points.difficulty_weights", w) for w in _list("points.difficulty_weights", v)
            ),
            score_weights={str(k): _stored_number("score.weights", w) for k, w in weights.items()},
        )

    def values_of(self, kind: str) -> tuple[str, ...]:
        """One of the lists (``LIST_KEYS``) by its key."""
        found: tuple[str, ...] = getattr(self, kind)
        return found

    def level_rank(self, level: str | None) -> int:
        return self.levels.index(level) if level in self.levels else -1

    def span(self, key: str) -> Span:
        """A span setting (``span.default``, ``span.claim``…) as a ``Span``, or an error naming the key."""
        return _span(key, self.values[key])

    def span_for(self, category: str | None, nature: str | None) -> Span:
        """The default limit of a case: by its category, else its nature, else ``span.default``."""
        if category and category in self.span_by_category:
            return _span(f"span.by_category.{category}", self.span_by_category[category])
        if nature and nature in self.span_by_nature:
            return _span(f"span.by_nature.{nature}", self.span_by_nature[nature])
        return self.span("span.default")


def _list(key: str, v: Mapping[str, Any]) -> list[Any]:
    value = v[key]
    if not isinstance(value, list):
        raise _problem(key, "需要数字列表", "1,2,3,4,5")
    return value


def _span(key: str, text: Any) -> Span:
    # deadline arithmetic (working days, holidays, spans): loaded only by work with due dates
    from wenzheng_cli.domain.deadlines import parse_span

    try:
        return parse_span(str(text))
    except WenzhengError as exc:
        raise WenzhengError(
            phrase(f"配置项 {key} 的时限无效: ", *pieces(exc.message)), hint=exc.hint
        ) from None


def coerce_setting(key: str, raw: str) -> Any:
    """Turn a typed ``config set KEY VALUE`` into a value of the default's type, or say why not."""
    if key not in DEFAULTS:
        near = get_close_matches(key, list(DEFAULTS), n=3)
        raise WenzhengError(
            f"没有配置项「{key}」",
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
        raise WenzhengError(f"配置项 {key} 只能是 true 或 false", hint=_example(key, "true"))
    if isinstance(default, (int, float)):
        number = _number(key, raw)
        if number < 0:
            raise WenzhengError(f"配置项 {key} 不能为负数", hint=_example(key, str(default)))
        if key.startswith("duplicates.") and not isinstance(number, int):
            raise WenzhengError(f"配置项 {key} 需要整数", hint=_example(key, str(default)))
        return number
    if isinstance(default, (list, dict)):
        try:
            value = json.loads(raw)
        except json.JSONDecodeError:
            if isinstance(default, list):
                value = [part.strip() for part in raw.replace("，", ",").split(",") if part.strip()]
            else:
                raise WenzhengError(
                    f"配置项 {key} 需要 JSON 对象",
                    hint=_example(key, """'{"物业管理": "3wd"}'"""),
                ) from None
        if not isinstance(value, type(default)):
            kind = "列表" if isinstance(default, list) else "JSON 对象"
            raise WenzhengError(f"配置项 {key} 需要{kind}", hint=phrase("用 ", SHOW, " 查看当前值的写法"))
        if isinstance(value, list) and default and all(_is_number(v) for v in default):
            value = [_number(key, str(v)) for v in value]
        if isinstance(value, dict) and default and all(_is_number(v) for v in default.values()):
            value = {k: _number(f"{key}.{k}", str(v)) for k, v in value.items()}
        if key.startswith("span.") and isinstance(value, dict):
            for name, span in value.items():
                _span(f"{key}.{name}", span)
        return value
    if key == "week.start":
        if raw.strip().lower() not in WEEKDAYS:
            raise WenzhengError("week.start 需为 mon…sun 之一", hint=_example("week.start", "tue"))
        return raw.strip().lower()
    if key.startswith("span."):
        _span(key, raw.strip())
    return raw.strip()


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _number(key: str, raw: str) -> int | float:
    """A number typed for a numeric setting: ``2``, ``1.5``, ``-1``."""
    try:
        value = float(raw.strip())
    except ValueError:
        raise WenzhengError(
            f"配置项 {key} 需要数字，「{raw.strip()[:20]}」不是数字", hint="例如 2 或 1.5"
        ) from None
    if value != value or value in (float("inf"), float("-inf")):
        raise WenzhengError(f"配置项 {key} 需要有限的数字", hint="例如 2 或 1.5")
    return int(value) if value.is_integer() else value
