"""The monthly 通报 as data: totals, rates, groups with score, rank and 加减分, top categories, 问政活动.

JSON: ``{period: {start, end, as_of}, by, totals, rates, points, score, groups: [{key, totals, rates, score,
rank, points}], top_categories, activity, scoring}``. Rates are fractions (``null`` when nothing was there to
count); ``scoring`` states the weights and point rules the figures were made with.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from wenzheng_cli.domain.metrics import Rules, Tally, ranks, top_categories

BY_LABELS = {"community": "社区", "unit": "承办单位", "category": "类别", "channel": "渠道"}


@dataclass
class Group:
    key: str | None
    totals: dict[str, int | None]
    rates: dict[str, float | None]
    score: float | None
    rank: int | None
    points: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "totals": self.totals,
            "rates": self.rates,
            "score": self.score,
            "rank": self.rank,
            "points": self.points,
        }


@dataclass
class MonthlyReport:
    start: str  # first day, ISO date
    end: str  # last day
    as_of: str  # the moment the figures are counted at
    by: str
    totals: dict[str, int]
    rates: dict[str, float | None]
    points: float
    score: float | None
    groups: list[Group]
    top_categories: list[dict[str, Any]]
    activity: dict[str, Any]
    scoring: dict[str, Any] = field(default_factory=dict)
    office: str = ""
    office_name: str = ""

    @property
    def by_label(self) -> str:
        return BY_LABELS[self.by]

    def to_dict(self) -> dict[str, Any]:
        return {
            "period": {"start": self.start, "end": self.end, "as_of": self.as_of},
            "by": self.by,
            "totals": self.totals,
            "rates": self.rates,
            "points": self.points,
            "score": self.score,
            "groups": [group.to_dict() for group in self.groups],
            "top_categories": self.top_categories,
            "activity": self.activity,
            "scoring": self.scoring,
        }


def build_monthly(
    *,
    start: str,
    end: str,
    as_of: str,
    by: str,
    tallies: dict[str | None, Tally],
    activities: list[tuple[int, str, str | None]],
    rules: Rules,
    top: int,
    office: str = "",
    office_name: str = "",
) -> MonthlyReport:
    """Totals, rates, scores and ranks from the groups' tallies and the period's activities."""
    total = Tally()
    for tally in tallies.values():
        total.merge(tally)
    total.counts["activities"] = len(activities)
    if by == "community":
        for _, _, community in activities:
            tallies.setdefault(community, Tally()).counts["activities"] += 1
    groups = []
    for key, tally in tallies.items():
        rates = tally.rates()
        counts: dict[str, int | None] = dict(tally.counts)
        if by != "community":
            counts["activities"] = None  # activities belong to communities, not to units or categories
        groups.append(
            Group(key, counts, rates, tally.score(rules.score_weights), None, round(tally.points, 2))
        )
    for group, rank in zip(groups, ranks([g.score for g in groups]), strict=True):
        group.rank = rank
    groups.sort(key=lambda g: (g.rank is None, g.rank or 0, g.key is None, g.key or ""))
    by_kind: dict[str, int] = {}
    for _, kind, _ in activities:
        by_kind[kind] = by_kind.get(kind, 0) + 1
    rates = total.rates()
    return MonthlyReport(
        office=office,
        office_name=office_name,
        start=start,
        end=end,
        as_of=as_of,
        by=by,
        totals=total.counts,
        rates=rates,
        points=round(total.points, 2),
        score=total.score(rules.score_weights),
        groups=groups,
        top_categories=top_categories(total.categories, total.counts["received"], top),
        activity={
            "sessions": len(activities),
            "by_kind": by_kind,
            "items": total.counts["activity_items"],
            "on_site": total.activity_on_site,
            "committed": total.activity_committed,
        },
        scoring={
            "score_weights": dict(rules.score_weights),
            "points": {
                "closed": rules.points_closed,
                "overdue": rules.points_overdue,
                "dissatisfied": rules.points_dissatisfied,
                "returned": rules.points_returned,
                "difficulty_weights": list(rules.difficulty_weights),
            },
        },
    )
