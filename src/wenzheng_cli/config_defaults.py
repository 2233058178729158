"""Every setting's built-in default, the lists an office keeps, and the numbers each numeric setting takes.

An office needs to configure nothing to start: ``config.Settings.parse`` overlays what it stored in its ledger on
these. A new setting begins here (its default, and its range if it is a number)."""

from __future__ import annotations

from typing import Any

from wenzheng_cli.config_checks import Range

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

# The numbers each numeric setting takes (checked when set and when read): a wider value is a typo, and one far
# beyond these would overflow the date arithmetic or the reports.
RANGES: dict[str, Range] = {
    "duplicates.window_days": Range(0, 3650, whole=True),
    "duplicates.text_score": Range(0, 100, whole=True),
    "report.top_categories": Range(0, 100, whole=True),
    "points.closed": Range(0, 100),
    "points.difficulty_weights": Range(0, 100),
    "points.overdue": Range(0, 100),
    "points.dissatisfied": Range(0, 100),
    "points.returned": Range(0, 100),
    "score.weights": Range(0, 100),
}
SPAN_KEYS = ("span.default", "span.claim", "span.feedback")
