"""A month's figures per group (pure): the fold of each case of the cohort, tallied into its group.

The rows come from ``store.reports``: a case's head (id, community, category, channel, grid, nature,
difficulty, activity, office) and the facts of its events (``domain.metrics.EventFacts``), in recorded order.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from itertools import groupby
from operator import itemgetter
from typing import Any

from wenzheng_cli.domain.metrics import Limits, Track, is_overdue, track
from wenzheng_cli.domain.tally import Rules, Tally
from wenzheng_cli.reports.grouping import case_group, return_group

Head = tuple[Any, ...]
DIFFICULTY, ACTIVITY = 6, 7  # positions in a head; 0–5 are id and the fields a case is received with
HEAD_WIDTH = 9  # … and 8 its office

Tallies = dict[str | None, Tally]


def tally_cohort(
    by: str,
    heads: Iterable[Head],
    facts: Mapping[str, Sequence[tuple[Any, ...]]],
    *,
    moment: str,
    limits: Limits,
    rules: Rules,
    seeds: Iterable[str] = (),
) -> Tallies:
    """Each case of the cohort folded up to ``moment`` and counted in its group; a return counts against the
    group the case was returned from. ``seeds``: groups shown even without a case (an office's communities)."""
    tallies: Tallies = {name: Tally() for name in seeds}

    def tally_of(key: str | None) -> Tally:
        found = tallies.get(key)
        if found is None:
            found = tallies[key] = Tally()
        return found

    for head in heads:
        t = track(facts.get(head[0], ()), moment, limits)
        if t is None:
            continue
        tally = tally_of(case_group(by, head, t))
        tally.add(
            t,
            difficulty=head[DIFFICULTY],
            activity_id=head[ACTIVITY],
            category=head[2],
            as_of=moment,
            rules=rules,
        )
        tally.counts["overdue_open"] += is_overdue(t, moment)
        for returned in t.returns:
            tally_of(return_group(by, head, returned)).add_return(rules)
    return tallies


def overdue_by_group(by: str, rows: Iterable[tuple[Any, ...]], *, moment: str, limits: Limits) -> Tallies:
    """逾期未办结 of cases outside the cohort: ``rows`` are (head…, event facts…) by case, in recorded order; each case
    overdue at ``moment`` counts in its group (``overdue_open`` only)."""
    tallies: Tallies = {}
    for _, case_rows in groupby(rows, key=itemgetter(0)):
        items = list(case_rows)
        t = track((row[HEAD_WIDTH:] for row in items), moment, limits)
        if t is None or not is_overdue(t, moment):
            continue
        key = case_group(by, items[0], t)
        tally = tallies.get(key)
        if tally is None:
            tally = tallies[key] = Tally()
        tally.counts["overdue_open"] += 1
    return tallies


def overdue_by_month(
    by: str, rows: Iterable[tuple[Any, ...]], months: Sequence[tuple[str, str, str]], *, limits: Limits
) -> list[Tallies]:
    """逾期未办结 of the cases outside each month's cohort, at each month's moment (``overdue_by_group`` for
    several months at once): ``rows`` are (head…, received_at, event facts…) by case, in recorded order; ``months``
    (start, end, moment). A case counts in a month when it was received by the moment, outside [start, end],
    and was overdue then."""
    found: list[Tallies] = [{} for _ in months]
    for _, case_rows in groupby(rows, key=itemgetter(0)):
        items = list(case_rows)
        head = items[0]
        received = head[HEAD_WIDTH]
        events = [row[HEAD_WIDTH + 1 :] for row in items]
        times = sorted(event[1] for event in events)
        # The events up to a moment are those of the earlier moments and more: how many there are names
        # them, and the same events fold the same (a case long closed, or untouched for months, once).
        folded: dict[int, Track | None] = {}
        for tallies, (start, end, moment) in zip(found, months, strict=True):
            if received > moment or start <= received <= end:
                continue
            seen = bisect_right(times, moment)
            if seen not in folded:
                folded[seen] = track(events, moment, limits)
            t = folded[seen]
            if t is None or not is_overdue(t, moment):
                continue
            key = case_group(by, head, t)
            tally = tallies.get(key)
            if tally is None:
                tally = tallies[key] = Tally()
            tally.counts["overdue_open"] += 1
    return found


def add_overdue(tallies: Tallies, counts: Mapping[str | None, int]) -> None:
    """Add counts of overdue cases by group (those read straight from the ``cases`` rows)."""
    for key, count in counts.items():
        tallies.setdefault(key, Tally()).counts["overdue_open"] += count


def merge(into: Tallies, more: Tallies) -> Tallies:
    for key, tally in more.items():
        into.setdefault(key, Tally()).merge(tally)
    return into
