"""The monthly 通报 as data: totals, rates, groups with score, rank and 加减分, top categories, 问政活动.

JSON: ``{period: {start, end, as_of}, by, totals, rates, left_out, points, score, groups: [{key, totals, rates,
left_out, score, rank, points}], top_categories, activity, scoring}``. Rates are fractions (``null`` when nothing
was there to count); ``left_out`` (only when a rate leaves some out) says per rate how many imported cases it
does not count, their fact being unknown (``domain.tally``); ``scoring`` states the weights and point rules the
figures were made with. The blank group (``key`` null) is shown but never ranked.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from wenzheng_cli.domain.tally import Rules, Tally, ranks, top_categories
from wenzheng_cli.reports.grouping import BY_LABELS
from wenzheng_cli.reports.periods import Office

Activity = tuple[int, str, str | None, str]  # id, kind, community, office (by name with ``--by office``)
# The groupings activities are counted in: they are held by a community, in an office's ledger.
_HELD_BY: dict[str, Callable[[Activity], str | None]] = {"community": itemgetter(2), "office": itemgetter(3)}


@dataclass(frozen=True)
class Group:
    key: str | None
    totals: Mapping[str, int | None]
    rates: Mapping[str, float | None]
    score: float | None
    rank: int | None
    points: float
    left_out: Mapping[str, int] = field(default_factory=dict)  # rate key → imported cases it leaves out

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"key": self.key, "totals": dict(self.totals), "rates": dict(self.rates)}
        if self.left_out:
            data["left_out"] = dict(self.left_out)
        data.update(score=self.score, rank=self.rank, points=self.points)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Group:
        return cls(
            data["key"],
            data["totals"],
            data["rates"],
            data["score"],
            data["rank"],
            data["points"],
            data.get("left_out") or {},
        )


@dataclass(frozen=True)
class MonthlyReport:
    start: str  # first day, ISO date
    end: str  # last day
    as_of: str  # the moment the figures are counted at
    by: str
    totals: Mapping[str, int]
    rates: Mapping[str, float | None]
    points: float
    score: float | None
    groups: tuple[Group, ...]
    top_categories: tuple[Mapping[str, Any], ...]
    activity: Mapping[str, Any]
    scoring: Mapping[str, Any]
    office: Office
    left_out: Mapping[str, int] = field(default_factory=dict)  # rate key → imported cases it leaves out

    @property
    def by_label(self) -> str:
        return BY_LABELS[self.by]

    def to_dict(self) -> dict[str, Any]:
        return {
            "period": {"start": self.start, "end": self.end, "as_of": self.as_of},
            "by": self.by,
            "totals": dict(self.totals),
            "rates": dict(self.rates),
            **({"left_out": dict(self.left_out)} if self.left_out else {}),
            "points": self.points,
            "score": self.score,
            "groups": [group.to_dict() for group in self.groups],
            "top_categories": [dict(c) for c in self.top_categories],
            "activity": dict(self.activity),
            "scoring": dict(self.scoring),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], office: Office) -> MonthlyReport:
        """The 通报 its JSON (``to_dict``) holds; ``office``, which heads it, is not in the JSON."""
        period = data["period"]
        return cls(
            start=period["start"],
            end=period["end"],
            as_of=period["as_of"],
            by=data["by"],
            totals=data["totals"],
            rates=data["rates"],
            points=data["points"],
            score=data["score"],
            groups=tuple(Group.from_dict(group) for group in data["groups"]),
            top_categories=tuple(data["top_categories"]),
            activity=data["activity"],
            scoring=data["scoring"],
            office=office,
            left_out=data.get("left_out") or {},
        )


def build_monthly(
    *,
    start: str,
    end: str,
    as_of: str,
    by: str,
    tallies: Mapping[str | None, Tally],
    activities: Sequence[Activity],
    rules: Rules,
    top: int,
    office: Office,
) -> MonthlyReport:
    """Totals, rates, scores and ranks from the groups' tallies and the period's activities."""
    groups_tallies = {key: _copy(tally) for key, tally in tallies.items()}
    total = Tally()
    for tally in groups_tallies.values():
        total.merge(tally)
    total.counts["activities"] = len(activities)
    held_by = _HELD_BY.get(by)
    if held_by is not None:
        for activity in activities:
            groups_tallies.setdefault(held_by(activity), Tally()).counts["activities"] += 1
    keys = list(groups_tallies)
    scores = [groups_tallies[key].score(rules.score_weights) for key in keys]
    # The blank group (no community, unit…) is shown but not ranked.
    order = ranks([score if key is not None else None for key, score in zip(keys, scores, strict=True)])
    groups = []
    for key, score, rank in zip(keys, scores, order, strict=True):
        tally = groups_tallies[key]
        counts: dict[str, int | None] = dict(tally.counts)
        if held_by is None:
            counts["activities"] = (
                None  # activities belong to communities and offices, not to units or categories
            )
        groups.append(
            Group(key, counts, tally.rates(), score, rank, round(tally.points, 2), tally.left_out_by_rate())
        )
    groups.sort(key=lambda g: (g.rank is None, g.rank or 0, g.key is None, g.key or ""))
    by_kind: dict[str, int] = {}
    for _, kind, _, _ in activities:
        by_kind[kind] = by_kind.get(kind, 0) + 1
    return MonthlyReport(
        start=start,
        end=end,
        as_of=as_of,
        by=by,
        totals=total.counts,
        rates=total.rates(),
        points=round(total.points, 2),
        score=total.score(rules.score_weights),
        groups=tuple(groups),
        top_categories=tuple(top_categories(total.categories, total.counts["received"], top)),
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
        office=office,
        left_out=total.left_out_by_rate(),
    )


def _copy(tally: Tally) -> Tally:
    fresh = Tally()
    fresh.merge(tally)
    return fresh
