"""The counts and rates of the monthly 通报 and the trend (pure): what a group's folded cases add up to.

Conventions (DESIGN.md's table, made exact; the README's metric table says the same in Chinese):
- ``received``: cases of the cohort not withdrawn at the as-of moment; ``withdrawn`` apart, in no rate.
- "resolved" = status resolved or closed at the as-of moment; rates over resolved cases count what happened to
  those cases (so each numerator is part of its denominator and every rate lies in 0..1).
- ``claimed``/``assigned``: cases with a 认领 / cases ever 交办. ``responded``: the first claim came within
  the claim limit counted from the assignment in force at that moment (转办, 提级 and 重办 restart it).
- ``on_time``: the first resolution no later than the due date in force at that moment (延期 counts), over the
  resolved cases that had one then (现场办结 has none).
- ``feedback``: a feedback method given at a resolution, or any revisit. ``revisited``: any revisit, 未联系上
  included. ``rated``: cases with a rating other than 未联系上; ``satisfied``: the latest such rating is in
  the satisfied set; ``first_pass_satisfied``: the first such rating is.
- ``feedback_on_time`` / ``feedback_due`` (按时反馈率): the first feedback (as above) came no later than the
  end of the feedback limit (``span.feedback``) counted from receipt / cases whose feedback came by the
  as-of moment or whose limit had run out by then (the others cannot be judged yet).
- ``reopened`` / ``ever_resolved`` (重办率): cases reopened (不满意 → 重办) at least once / cases resolved at
  least once (现场办结 included), whatever their status at the as-of moment.
- ``grassroots`` / ``resolved_with_level`` (基层化解率): resolved cases whose level (in force when resolved;
  现场办结 at the intake level) is at or below the grassroots level / resolved cases whose level is one of
  the office's levels (imported replies often have none: they are in neither).
- ``on_site`` / ``committed`` (现场办结 / 承诺办结): resolved at intake / given a due date and not resolved at
  intake; the two split the items, so an on-site item reopened later stays on_site only.
- ``supervised`` / ``listed`` / ``escalated``: cases 督办 (either kind) / 挂牌督办 / 提级 at least once.
- ``returned`` (退单): each return counts against the group the case was returned from (its unit, handler
  and level then), with its penalty in 加减分.
- ``extended`` (延期): cases given a later due date at least once.
- ``reply_ok`` (答复规范率): resolved cases whose latest reply has no ``reply_flags`` (``domain.reply_quality``),
  as judged when the reply was recorded; a 现场办结 is not judged and counts as sound.
- ``late`` (for points): resolved after the due date in force, or unresolved and past it at the as-of moment.

Unknown is not zero: a step a file did not describe is unknown, and a rate counts only the cases whose fact is
known (``left_out`` says, per rate, how many imported cases it leaves out):
- 认领率, 响应率: the assignment in force came from a file and no claim is known by the as-of moment.
- 反馈率, 按时反馈率: the first resolution came from a file without a feedback method, and no revisit is known.
- 回访率: closed by a file that carries no rating (nothing says whether the resident was revisited).
- 满意率, 一次满意率: the same cases (closed, so rated had the revisit been typed).
- 按期办结率: resolved with no due date where the assignment or the resolution came from a file.
- 基层化解率: resolved with no level of the office where the assignment or the resolution came from a file.
- 答复规范率: the latest 办结 was recorded before replies were judged (its reply's flags are not known).
The counts in ``totals`` stay the counts of all cases; only the rates' denominators leave the unknowns out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from wenzheng_cli.domain.models import Status, is_overdue

if TYPE_CHECKING:  # the fold's tracks are only read here: the settings check reads RATES without loading it
    from wenzheng_cli.domain.metrics import Track

CLOSED, WITHDRAWN = Status.CLOSED, Status.WITHDRAWN

# The way figures are counted: bump it whenever what a tally counts changes, so figures kept from an earlier
# version (``store.figures``) are counted again.
FIGURES_VERSION = 3


@dataclass(frozen=True)
class Rules:
    """What the figures depend on in an office's configuration."""

    satisfied: frozenset[str]
    level_rank: Mapping[str, int]
    grassroots_rank: int
    points_closed: float = 1.0
    points_overdue: float = 2.0
    points_dissatisfied: float = 3.0
    points_returned: float = 1.0
    difficulty_weights: Sequence[float] = (1.0, 2.0, 3.0, 4.0, 5.0)
    score_weights: Mapping[str, float] = field(default_factory=dict)

    def weight(self, difficulty: int | None) -> float:
        weights = self.difficulty_weights
        if not weights:
            return 1.0
        index = min(max((difficulty or 1) - 1, 0), len(weights) - 1)
        return float(weights[index])


TOTAL_KEYS = (
    "received",
    "withdrawn",
    "assigned",
    "claimed",
    "responded",
    "resolved",
    "closed",
    "resolved_with_due",
    "on_time",
    "feedback",
    "revisited",
    "rated",
    "satisfied",
    "first_pass_satisfied",
    "reopened",
    "grassroots",
    "on_site",
    "committed",
    "activities",
    "activity_items",
    "overdue_open",
    "late",
    "dissatisfied",
    "returned",
    "ever_resolved",
    "resolved_with_level",
    "feedback_due",
    "feedback_on_time",
    "supervised",
    "listed",
    "escalated",
    "extended",
    "reply_ok",
)

# rate key: (numerator, denominator)
RATES: dict[str, tuple[str, str]] = {
    "claim_rate": ("claimed", "assigned"),
    "response_rate": ("responded", "assigned"),
    "completion_rate": ("resolved", "received"),
    "on_time_rate": ("on_time", "resolved_with_due"),
    "feedback_rate": ("feedback", "resolved"),
    "on_time_feedback_rate": ("feedback_on_time", "feedback_due"),
    "revisit_rate": ("revisited", "resolved"),
    "satisfaction_rate": ("satisfied", "rated"),
    "first_pass_satisfaction_rate": ("first_pass_satisfied", "rated"),
    "reopen_rate": ("reopened", "ever_resolved"),
    "grassroots_rate": ("grassroots", "resolved_with_level"),
    "reply_ok_rate": ("reply_ok", "resolved"),
}


# The rates whose denominator in ``totals`` holds the cases whose fact is unknown: their rate is counted over the
# denominator less ``left_out``. (The other rates' denominators hold known cases only: the cases they leave out
# are only reported.)
LEFT_OUT_OF_DENOMINATOR = frozenset(
    {"claim_rate", "response_rate", "feedback_rate", "revisit_rate", "reply_ok_rate"}
)


def rate(numerator: int, denominator: int) -> float | None:
    """A fraction rounded to 4 places (66.67 %); ``None`` when nothing was there to count."""
    return None if denominator == 0 else round(numerator / denominator, 4)


@dataclass
class Tally:
    """The counts of one group (or of all) and its 加减分."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TOTAL_KEYS, 0))
    points: float = 0.0
    categories: dict[str | None, int] = field(default_factory=dict)
    activity_on_site: int = 0  # of the cases linked to an activity: resolved on the spot
    activity_committed: int = 0  # … given a committed deadline
    # rate key → how many imported cases the rate leaves out, their fact being unknown (only non-zero ones)
    left_out: dict[str, int] = field(default_factory=dict)

    def add(
        self,
        t: Track,
        *,
        difficulty: int | None,
        activity_id: int | None,
        category: str | None,
        as_of: str,
        rules: Rules,
    ) -> None:
        """Count one case, all but its returns (``add_return``, as they may belong to another group)."""
        c = self.counts
        if t.status is WITHDRAWN:
            c["withdrawn"] += 1
            return
        c["received"] += 1
        self.categories[category] = self.categories.get(category, 0) + 1
        if t.assigned:
            c["assigned"] += 1
            if t.assign_imported and not t.claimed:
                self._leave_out("claim_rate", "response_rate")
            c["claimed"] += t.claimed
            c["responded"] += t.responded
        closed = t.status is CLOSED
        filed = t.assign_imported or t.resolve_imported  # the case came to be handled in a file
        if t.resolved:
            c["resolved"] += 1
            c["closed"] += closed
            due = t.due_at_first_resolution
            if due is not None:
                c["resolved_with_due"] += 1
                c["on_time"] += (t.first_resolved_at or "") <= due
            elif filed and not t.on_site:
                self._leave_out("on_time_rate")
            known = t.feedback or t.revisited
            c["feedback"] += known
            if not known and t.resolve_imported:
                self._leave_out("feedback_rate")
            c["revisited"] += t.revisited
            if t.closed_unrated and not t.revisited:
                self._leave_out("revisit_rate")
            rank = rules.level_rank.get(t.level or "")
            if rank is not None:
                c["resolved_with_level"] += 1
                c["grassroots"] += rank <= rules.grassroots_rank
            elif filed:
                self._leave_out("grassroots_rate")
            if t.weak_reply is None:
                self._leave_out("reply_ok_rate")
            else:
                c["reply_ok"] += not t.weak_reply
        if t.first_resolved_at is not None:
            c["ever_resolved"] += 1
            c["reopened"] += t.round > 1
        given = t.first_feedback_at
        if given is None and t.resolve_imported:
            if as_of > t.feedback_due:  # else it could not be judged yet anyway
                self._leave_out("on_time_feedback_rate")
        elif given is not None or as_of > t.feedback_due:
            c["feedback_due"] += 1
            c["feedback_on_time"] += given is not None and given <= t.feedback_due
        if t.ratings:
            c["rated"] += 1
            c["satisfied"] += t.ratings[-1] in rules.satisfied
            c["first_pass_satisfied"] += t.ratings[0] in rules.satisfied
        elif t.closed_unrated:
            self._leave_out("satisfaction_rate", "first_pass_satisfaction_rate")
        committed = t.committed and not t.on_site
        c["on_site"] += t.on_site
        c["committed"] += committed
        c["supervised"] += t.supervised
        c["listed"] += t.listed
        c["escalated"] += t.escalated
        c["extended"] += t.extended
        if activity_id is not None:
            c["activity_items"] += 1
            self.activity_on_site += t.on_site
            self.activity_committed += committed
        first, due = t.first_resolved_at, t.due_at_first_resolution
        late = (first is not None and due is not None and first > due) or is_overdue(
            t.status, t.due_at, as_of
        )
        unhappy = sum(1 for r in t.ratings if r not in rules.satisfied)
        c["late"] += late
        c["dissatisfied"] += unhappy
        self.points += (
            closed * rules.points_closed * rules.weight(difficulty)
            - late * rules.points_overdue
            - unhappy * rules.points_dissatisfied
        )

    def _leave_out(self, *keys: str) -> None:
        for key in keys:
            self.left_out[key] = self.left_out.get(key, 0) + 1

    def add_return(self, rules: Rules) -> None:
        """One 退单 against this group (the one the case was returned from)."""
        self.counts["returned"] += 1
        self.points -= rules.points_returned

    def merge(self, other: Tally) -> None:
        for key, value in other.counts.items():
            self.counts[key] += value
        self.points += other.points
        self.activity_on_site += other.activity_on_site
        self.activity_committed += other.activity_committed
        for name, value in other.categories.items():
            self.categories[name] = self.categories.get(name, 0) + value
        for key, value in other.left_out.items():
            self.left_out[key] = self.left_out.get(key, 0) + value

    def fractions(self) -> dict[str, tuple[int, int]]:
        """Each rate as (numerator, denominator) over the cases whose fact is known."""
        c = self.counts
        gone = self.left_out
        return {
            key: (c[num], c[den] - (gone.get(key, 0) if key in LEFT_OUT_OF_DENOMINATOR else 0))
            for key, (num, den) in RATES.items()
        }

    def rates(self) -> dict[str, float | None]:
        return {key: rate(num, den) for key, (num, den) in self.fractions().items()}

    def score(self, weights: Mapping[str, float]) -> float | None:
        exact = {key: None if den == 0 else num / den for key, (num, den) in self.fractions().items()}
        return score(exact, weights)

    def left_out_by_rate(self) -> dict[str, int]:
        """How many imported cases each rate leaves out (only the rates that leave some out), in the order
        of the rates."""
        return {key: self.left_out[key] for key in RATES if self.left_out.get(key)}

    def to_data(self) -> dict[str, Any]:
        """Plain data (kept between runs: see ``store.figures``); ``from_data`` reads it back."""
        return {
            "counts": self.counts,
            "points": self.points,
            "categories": [[name, n] for name, n in self.categories.items()],
            "activity": [self.activity_on_site, self.activity_committed],
            "left_out": self.left_out_by_rate(),
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Tally:
        counts = dict.fromkeys(TOTAL_KEYS, 0)
        counts.update(data["counts"])
        on_site, committed = data["activity"]
        categories = {name: n for name, n in data["categories"]}
        left_out = dict(data.get("left_out") or {})
        return cls(counts, float(data["points"]), categories, on_site, committed, left_out)


def score(rates: Mapping[str, float | None], weights: Mapping[str, float]) -> float | None:
    """0–100: the weighted mean of the rates that could be counted (exact, not the rounded ones shown),
    rounded to 2 places; ``None`` when none could."""
    total = 0.0
    weight_sum = 0.0
    for key, weight in weights.items():
        value = rates.get(key)
        if value is None or not weight:
            continue
        total += weight * value
        weight_sum += weight
    return None if weight_sum == 0 else round(100 * total / weight_sum, 2)


def ranks(scores: Sequence[float | None]) -> list[int | None]:
    """Competition ranking (1, 2, 2, 4) by score, highest first; a group without a score has no rank."""
    result: list[int | None] = []
    for value in scores:
        if value is None:
            result.append(None)
        else:
            result.append(1 + sum(1 for other in scores if other is not None and other > value))
    return result


def top_categories(counts: Mapping[str | None, int], received: int, n: int) -> list[dict[str, Any]]:
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0] is None, item[0] or ""))
    return [
        {"category": name, "received": count, "share": rate(count, received)} for name, count in ordered[:n]
    ]
