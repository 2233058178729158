"""The trend as data: the monthly 通报's totals and rates month by month, in all and per group.

JSON: ``{period: {start, end}, by, months: [{month: "YYYY-MM", as_of, totals, rates, left_out}], groups: [{key,
months: [...]}]}``. Each month holds exactly the figures ``report monthly --month`` gives for it (its cohort
counted at the end of the month, or now for the month under way), ``left_out`` included (only when a rate
leaves imported cases out); a group that had nothing in a month shows zeros and no rates there. Without a
grouping, ``groups`` is empty.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from wenzheng_cli.domain.tally import RATES, Tally
from wenzheng_cli.reports.grouping import BY_LABELS
from wenzheng_cli.reports.monthly import MonthlyReport
from wenzheng_cli.reports.periods import Office


@dataclass(frozen=True)
class MonthFigures:
    month: str  # YYYY-MM
    as_of: str
    totals: Mapping[str, int | None]
    rates: Mapping[str, float | None]
    left_out: Mapping[str, int] = field(default_factory=dict)  # rate key → imported cases it leaves out

    def to_dict(self) -> dict[str, Any]:
        data = {
            "month": self.month,
            "as_of": self.as_of,
            "totals": dict(self.totals),
            "rates": dict(self.rates),
        }
        if self.left_out:
            data["left_out"] = dict(self.left_out)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> MonthFigures:
        return cls(data["month"], data["as_of"], data["totals"], data["rates"], data.get("left_out") or {})


@dataclass(frozen=True)
class GroupTrend:
    key: str | None
    months: tuple[MonthFigures, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "months": [month.to_dict() for month in self.months]}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> GroupTrend:
        return cls(data["key"], tuple(MonthFigures.from_dict(month) for month in data["months"]))


@dataclass(frozen=True)
class TrendReport:
    start: str  # the first day of the first month
    end: str  # the last day of the last month
    by: str | None
    months: tuple[MonthFigures, ...]
    groups: tuple[GroupTrend, ...]
    office: Office

    @property
    def by_label(self) -> str | None:
        return BY_LABELS[self.by] if self.by else None

    @property
    def left_out(self) -> dict[str, int]:
        """Per rate, how many imported cases the months leave out, all months together."""
        return sum_left_out(month.left_out for month in self.months)

    def to_dict(self) -> dict[str, Any]:
        return {
            "period": {"start": self.start, "end": self.end},
            "by": self.by,
            "months": [month.to_dict() for month in self.months],
            "groups": [group.to_dict() for group in self.groups],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], office: Office) -> TrendReport:
        """The trend its JSON (``to_dict``) holds; ``office``, which heads it, is not in the JSON."""
        return cls(
            start=data["period"]["start"],
            end=data["period"]["end"],
            by=data["by"],
            months=tuple(MonthFigures.from_dict(month) for month in data["months"]),
            groups=tuple(GroupTrend.from_dict(group) for group in data["groups"]),
            office=office,
        )


def build_trend(reports: Sequence[MonthlyReport], *, by: str | None, office: Office) -> TrendReport:
    """The months side by side, from each month's 通报 (oldest first); groups ordered by what they received
    over the period, most first, the blank group last."""
    names = [report.start[:7] for report in reports]
    months = tuple(
        MonthFigures(name, report.as_of, report.totals, report.rates, report.left_out)
        for name, report in zip(names, reports, strict=True)
    )
    groups: list[GroupTrend] = []
    if by is not None:
        found: dict[str | None, dict[str, MonthFigures]] = {}
        for name, report in zip(names, reports, strict=True):
            for group in report.groups:
                found.setdefault(group.key, {})[name] = MonthFigures(
                    name, report.as_of, group.totals, group.rates, group.left_out
                )
        for key, by_month in found.items():
            series = tuple(
                by_month.get(name) or _nothing(name, report.as_of, by)
                for name, report in zip(names, reports, strict=True)
            )
            groups.append(GroupTrend(key, series))
        groups.sort(
            key=lambda g: (g.key is None, -sum(m.totals["received"] or 0 for m in g.months), g.key or "")
        )
    return TrendReport(
        start=reports[0].start,
        end=reports[-1].end,
        by=by,
        months=months,
        groups=tuple(groups),
        office=office,
    )


def _nothing(month: str, as_of: str, by: str) -> MonthFigures:
    """A group's month without a case: zeros, and no rate."""
    empty = Tally()
    totals: dict[str, int | None] = dict(empty.counts)
    if by != "community":
        totals["activities"] = None  # as in the monthly 通报: activities belong to communities
    return MonthFigures(month, as_of, totals, empty.rates())


def sum_left_out(parts: Iterable[Mapping[str, int]]) -> dict[str, int]:
    """Per rate, the imported cases left out over several months, in the order of the rates."""
    found: dict[str, int] = {}
    for part in parts:
        for key, count in part.items():
            found[key] = found.get(key, 0) + count
    return {key: found[key] for key in RATES if found.get(key)}
