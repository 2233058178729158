"""Office configuration: built-in defaults for everything, overridden per office in the ledger.

The lists (categories, channels, natures, communities, grids, levels) and rules (default spans, closing
ratings, holidays, report weights) live in the ledger's ``settings`` table so that an import can add the new
categories it meets and so that every clerk of an office shares them. ``wenzheng config show`` prints them;
``wenzheng config set|add|remove|reset`` changes them. Nothing needs configuring to start.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from wenzheng_cli.errors import WenzhengError

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
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class Config:
    """Defaults overlaid with an office's settings; read-only for the rest of the program."""

    def __init__(self, overrides: Mapping[str, Any] | None = None) -> None:
        self.values: dict[str, Any] = copy.deepcopy(DEFAULTS)
        for key, value in (overrides or {}).items():
            self.values[key] = value

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)

    @property
    def office(self) -> str:
        return str(self.values["office.code"])

    @property
    def levels(self) -> list[str]:
        return list(self.values["levels"])

    def level_rank(self, level: str | None) -> int:
        levels = self.levels
        return levels.index(level) if level in levels else -1

    def span_for(self, category: str | None, nature: str | None) -> str:
        by_cat = self.values.get("span.by_category") or {}
        by_nature = self.values.get("span.by_nature") or {}
        if category and category in by_cat:
            return str(by_cat[category])
        if nature and nature in by_nature:
            return str(by_nature[nature])
        return str(self.values["span.default"])


def coerce_setting(key: str, raw: str) -> Any:
    """Turn a typed ``config set KEY VALUE`` into a value of the default's type, or say why not."""
    import json

    if key not in DEFAULTS:
        from difflib import get_close_matches

        near = get_close_matches(key, list(DEFAULTS), n=3)
        raise WenzhengError(
            f"没有配置项「{key}」",
            hint=("是否指 " + "、".join(near) + "？" if near else "用 wenzheng config show 查看全部配置项"),
        )
    default = DEFAULTS[key]
    if isinstance(default, bool):
        lowered = raw.strip().lower()
        if lowered in ("true", "1", "yes", "是", "允许", "on"):
            return True
        if lowered in ("false", "0", "no", "否", "不允许", "off"):
            return False
        raise WenzhengError(f"配置项 {key} 只能是 true 或 false", hint=f"例如 wenzheng config set {key} true")
    if isinstance(default, (int, float)):
        number = _number(key, raw)
        if number < 0:
            raise WenzhengError(f"配置项 {key} 不能为负数", hint=f"例如 wenzheng config set {key} {default}")
        if key.startswith("duplicates.") and not isinstance(number, int):
            raise WenzhengError(f"配置项 {key} 需要整数", hint=f"例如 wenzheng config set {key} {default}")
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
                    hint=f'例如 wenzheng config set {key} \'{{"物业管理": "3wd"}}\'',
                ) from None
        if not isinstance(value, type(default)):
            kind = "列表" if isinstance(default, list) else "JSON 对象"
            raise WenzhengError(f"配置项 {key} 需要{kind}", hint="用 wenzheng config show 查看当前值的写法")
        if isinstance(value, list) and default and all(_is_number(v) for v in default):
            value = [_number(key, str(v)) for v in value]
        if isinstance(value, dict) and default and all(_is_number(v) for v in default.values()):
            value = {k: _number(f"{key}.{k}", str(v)) for k, v in value.items()}
        return value
    if key == "week.start" and raw.strip().lower() not in WEEKDAYS:
        raise WenzhengError("week.start 需为 mon…sun 之一", hint="例如 wenzheng config set week.start tue")
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
