"""The figures of the monthly 通报 (pure): what each case's events say by the as-of moment, and the rates.

Each case of the cohort is folded from its events in recorded order, counting only events whose business
time ``at`` is at or before the as-of moment, so a report re-run later gives the same figures. The fold here
(``track``) follows ``domain.states.apply`` field for field for what the figures need (status, level, unit,
due date, assignment time, rounds, ratings) and also keeps the history the figures ask about (the first claim,
the first resolution and the due date in force then, every rating); tests hold it equal to ``states.fold``.
It works on plain tuples rather than ``Case`` objects because a month of a large office is a hundred thousand
events and the report has to answer in well under a second.

Conventions (DESIGN.md's table, made exact):
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
- ``grassroots``: resolved at or below the grassroots level, the level in force when resolved.
- ``late`` (for points): resolved after the due date in force, or unresolved and past it at the as-of moment.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from wenzheng_cli.domain.models import EFFECT_CLOSED, EFFECT_REOPENED, Event, Status
from wenzheng_cli.domain.models import is_overdue as overdue

# One event as the fold needs it:
# (action, at, due_at, level, unit, handler, feedback, rating, effect, on_site)
Step = tuple[
    str, str, str | None, str | None, str | None, str | None, str | None, str | None, str | None, bool
]

REGISTERED, ASSIGNED, CLAIMED, RESOLVED, CLOSED, WITHDRAWN = (s.value for s in Status)
UNREACHABLE = "unreachable"
# Change no figure; the store need not even read them. An amend corrects the fields the report reads from the
# case's row; an undone event is left out by the store, and the undo with it (states.live).
SKIPPED_ACTIONS = ("note", "supervise", "amend", "undo")


def step_of(event: Event) -> Step:
    """The fold's view of a full event (what the store reads with ``json_extract``)."""
    p = event.payload
    return (
        event.action.value,
        event.at,
        p.get("due_at"),
        p.get("level"),
        p.get("unit"),
        p.get("handler"),
        p.get("feedback"),
        p.get("rating"),
        p.get("effect"),
        p.get("on_site") is not None,
    )


@dataclass(slots=True)
class Track:
    """One case as of the moment: its state and the history the figures ask about."""

    status: str = REGISTERED
    level: str | None = None
    unit: str | None = None
    due_at: str | None = None
    assigned_at: str | None = None
    rating: str | None = None  # the latest rating, 未联系上 included (= Case.rating)
    round: int = 1
    assigned: bool = False
    claimed: bool = False
    responded: bool = False
    on_site: bool = False
    committed: bool = False
    feedback: bool = False
    revisited: bool = False
    first_resolved_at: str | None = None
    due_at_first_resolution: str | None = None
    returned: int = 0
    ratings: list[str] = field(default_factory=list)  # every rating but 未联系上, in order

    @property
    def resolved(self) -> bool:
        return self.status in (RESOLVED, CLOSED)


def track(steps: Iterable[Step], as_of: str, claim_deadline: Callable[[str], str]) -> Track | None:
    """Fold one case's events (recorded order) up to ``as_of``; ``None`` when it was not yet received."""
    t: Track | None = None
    for action, at, due_at, level, unit, handler, feedback, rating, effect, on_site in steps:
        if at > as_of:
            continue
        if action == "intake":
            t = Track(level=level)
            if on_site:
                t.status = RESOLVED
                t.on_site = True
                t.first_resolved_at = at
                t.feedback = feedback is not None
            continue
        if t is None:
            raise ValueError(f"a {action} event precedes its case's intake")
        if action == "assign":
            t.status = ASSIGNED
            t.assigned = True
            t.unit = unit
            t.level = level
            t.assigned_at = at
            if due_at is not None:
                t.due_at = due_at
                t.committed = True
        elif action == "claim":
            t.status = CLAIMED
            if not t.claimed:
                t.claimed = True
                t.responded = t.assigned_at is not None and at <= claim_deadline(t.assigned_at)
        elif action == "return":
            t.status = REGISTERED
            t.unit = t.due_at = t.assigned_at = None
            t.returned += 1
        elif action == "escalate":
            t.status = ASSIGNED
            t.level = level
            t.assigned_at = at
            if handler is not None or unit is not None:
                t.unit = unit
            if due_at is not None:
                t.due_at = due_at
                t.committed = True
        elif action == "extend":
            t.due_at = due_at
        elif action == "resolve":
            t.status = RESOLVED
            if t.first_resolved_at is None:
                t.first_resolved_at = at
                t.due_at_first_resolution = t.due_at
            if feedback is not None:
                t.feedback = True
        elif action == "revisit":
            t.revisited = True
            t.rating = rating
            if rating is not None and rating != UNREACHABLE:
                t.ratings.append(rating)
            if effect == EFFECT_CLOSED:
                t.status = CLOSED
            elif effect == EFFECT_REOPENED:
                t.status = ASSIGNED
                t.round += 1
                t.assigned_at = at
                if due_at is not None:
                    t.due_at = due_at
                    t.committed = True
        elif action == "withdraw":
            t.status = WITHDRAWN
    return t


def is_overdue(t: Track, moment: str) -> bool:
    """The case was overdue at ``moment`` (``domain.models.is_overdue``, the 逾期 of ``list --overdue``)."""
    return overdue(t.status, t.due_at, moment)


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
)

# rate key: (numerator, denominator)
RATES: dict[str, tuple[str, str]] = {
    "claim_rate": ("claimed", "assigned"),
    "response_rate": ("responded", "assigned"),
    "completion_rate": ("resolved", "received"),
    "on_time_rate": ("on_time", "resolved_with_due"),
    "feedback_rate": ("feedback", "resolved"),
    "revisit_rate": ("revisited", "resolved"),
    "satisfaction_rate": ("satisfied", "rated"),
    "first_pass_satisfaction_rate": ("first_pass_satisfied", "rated"),
    "reopen_rate": ("reopened", "resolved"),
    "grassroots_rate": ("grassroots", "resolved"),
}


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
        c = self.counts
        if t.status == WITHDRAWN:
            c["withdrawn"] += 1
            return
        c["received"] += 1
        self.categories[category] = self.categories.get(category, 0) + 1
        if t.assigned:
            c["assigned"] += 1
            c["claimed"] += t.claimed
            c["responded"] += t.responded
        closed = t.status == CLOSED
        if t.resolved:
            c["resolved"] += 1
            c["closed"] += closed
            due = t.due_at_first_resolution
            if due is not None:
                c["resolved_with_due"] += 1
                c["on_time"] += (t.first_resolved_at or "") <= due
            c["feedback"] += t.feedback or t.revisited
            c["revisited"] += t.revisited
            c["reopened"] += t.round > 1
            rank = rules.level_rank.get(t.level or "")
            c["grassroots"] += rank is not None and rank <= rules.grassroots_rank
        if t.ratings:
            c["rated"] += 1
            c["satisfied"] += t.ratings[-1] in rules.satisfied
            c["first_pass_satisfied"] += t.ratings[0] in rules.satisfied
        c["on_site"] += t.on_site
        c["committed"] += t.committed
        if activity_id is not None:
            c["activity_items"] += 1
            self.activity_on_site += t.on_site
            self.activity_committed += t.committed
        first, due = t.first_resolved_at, t.due_at_first_resolution
        late = (first is not None and due is not None and first > due) or is_overdue(t, as_of)
        unhappy = sum(1 for r in t.ratings if r not in rules.satisfied)
        c["late"] += late
        c["dissatisfied"] += unhappy
        c["returned"] += t.returned
        self.points += (
            closed * rules.points_closed * rules.weight(difficulty)
            - late * rules.points_overdue
            - unhappy * rules.points_dissatisfied
            - t.returned * rules.points_returned
        )

    def merge(self, other: Tally) -> None:
        for key, value in other.counts.items():
            self.counts[key] += value
        self.points += other.points
        self.activity_on_site += other.activity_on_site
        self.activity_committed += other.activity_committed
        for name, value in other.categories.items():
            self.categories[name] = self.categories.get(name, 0) + value

    def rates(self) -> dict[str, float | None]:
        c = self.counts
        return {key: rate(c[num], c[den]) for key, (num, den) in RATES.items()}

    def score(self, weights: Mapping[str, float]) -> float | None:
        c = self.counts
        exact = {key: None if c[den] == 0 else c[num] / c[den] for key, (num, den) in RATES.items()}
        return score(exact, weights)


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
