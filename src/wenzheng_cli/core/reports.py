"""Making the weekly 台账 and the monthly 通报: periods, reads, the fold up to the moment, the figures."""

from __future__ import annotations

from collections.abc import Callable
from itertools import groupby
from operator import itemgetter
from typing import Any

from wenzheng_cli.config import Settings
from wenzheng_cli.core.session import Session
from wenzheng_cli.domain import clock
from wenzheng_cli.domain.metrics import Rules, Tally, is_overdue, track
from wenzheng_cli.errors import WenzhengError
from wenzheng_cli.reports.monthly import BY_LABELS, MonthlyReport, build_monthly
from wenzheng_cli.reports.periods import month_days, week_of
from wenzheng_cli.reports.weekly import WeeklyReport, build_weekly
from wenzheng_cli.store import reports as store

BY_CHOICES = tuple(BY_LABELS)


def weekly(session: Session, week: str | None) -> WeeklyReport:
    """The 台账 of the week holding ``week`` (default today): its cases as they stood at the week's end."""
    from wenzheng_cli.core import dates
    from wenzheng_cli.domain.states import fold

    day = dates.week(session, week)
    first, last = week_of(day, session.settings.week_start)
    start = clock.iso(clock.start_of_day(first)) or ""
    end = clock.iso(clock.end_of_day(last)) or ""
    now = clock.iso(session.now) or ""
    conn = session.ledger.conn
    rows = store.week_cases(conn, start, end)
    moved = [case.id for case, _, _, changed in rows if changed]
    then: dict[str, Any] = {}
    if moved:
        for case_id, events in groupby(store.events_until(conn, moved, end), key=lambda e: e.case_id):
            then[case_id] = fold(events)
    cases = ((then.get(case.id, case), resolved, closed) for case, resolved, closed, _ in rows)
    return build_weekly(
        start=first,
        end=last,
        as_of=min(end, now),
        office=session.settings.office,
        office_name=session.settings.office_name,
        cases=cases,
        start_iso=start,
    )


def monthly(session: Session, month: str | None, by: str | None, as_of: str | None) -> MonthlyReport:
    """The 通报 of a month's cohort, counted from the events up to the as-of moment, per ``by`` group."""
    settings = session.settings
    group = (by or "community").strip().lower()
    if group not in BY_CHOICES:
        choices = "、".join(f"{key}（{label}）" for key, label in BY_LABELS.items())
        raise WenzhengError(f"不能按「{group[:20]}」分组", hint=f"--by 可选: {choices}")
    from wenzheng_cli.core import dates

    year, number = dates.month(session, month)
    first, last = month_days(year, number)
    start = clock.iso(clock.start_of_day(first)) or ""
    end = clock.iso(clock.end_of_day(last)) or ""
    now = clock.iso(session.now) or ""
    moment = _as_of(session, as_of, start) if as_of else min(end, now)
    rules = rules_from(settings)
    deadline = claim_deadline(session)
    conn = session.ledger.conn
    tallies: dict[str | None, Tally] = {}
    if group == "community":
        for name in settings.communities:
            tallies[name] = Tally()
    cohort_end = min(end, moment)
    steps = store.cohort_steps(conn, start, cohort_end, moment)
    for head in store.cohort_heads(conn, start, cohort_end):
        t = track(steps.get(head[0], ()), moment, deadline)
        if t is None:
            continue
        _, _, category, _, difficulty, activity_id = head
        key = _group_key(group, head, t.unit)
        tally = tallies.get(key)
        if tally is None:
            tally = tallies[key] = Tally()
        tally.add(
            t, difficulty=difficulty, activity_id=activity_id, category=category, as_of=moment, rules=rules
        )
        tally.counts["overdue_open"] += is_overdue(t, moment)
    # 逾期未办结 is over all cases: add those received outside the month.
    for key, count in _others_overdue(conn, start, cohort_end, moment, group, deadline).items():
        tallies.setdefault(key, Tally()).counts["overdue_open"] += count
    activities = store.activities_between(conn, start, min(end, moment))
    report = build_monthly(
        start=first.isoformat(),
        end=last.isoformat(),
        as_of=moment,
        by=group,
        tallies=tallies,
        activities=activities,
        rules=rules,
        top=settings.top_categories,
        office=settings.office,
        office_name=settings.office_name,
    )
    return report


# Up to this many events after the moment, finding the cases that changed since is cheaper than folding back
# every case that may have been open then (a month of a large office is about 100,000 events).
RECENT_EVENTS = 200_000


def _others_overdue(
    conn: Any, start: str, end: str, moment: str, group: str, deadline: Callable[[str], str]
) -> dict[str | None, int]:
    """Overdue at the moment among the cases received outside [start, end] (逾期未办结 is over all cases).

    Near the present, the rows of the cases unchanged since are their state then and only the changed ones
    are folded back; for a moment long past, every case that may have been open then is folded back. The two
    give the same figures (tests hold them equal); only their cost differs."""
    width = store.HEAD_WIDTH
    if store.events_after(conn, moment, RECENT_EVENTS) < RECENT_EVENTS:
        counts = store.others_overdue_settled(conn, start, end, moment, group)
        rows = store.others_moved_steps(conn, start, end, moment)
    else:
        counts = {}
        rows = store.others_open_steps(conn, start, end, moment)
    for _, case_rows in groupby(rows, key=itemgetter(0)):
        items = list(case_rows)
        t = track((row[width:] for row in items), moment, deadline)
        if t is None or not is_overdue(t, moment):
            continue
        key = _group_key(group, items[0], t.unit)
        counts[key] = counts.get(key, 0) + 1
    return counts


def _group_key(group: str, head: tuple[Any, ...], unit: str | None) -> str | None:
    """A case's group: its community, category or channel (as received), or its unit at the moment."""
    _, community, category, channel = head[:4]
    value: str | None = {"community": community, "category": category, "channel": channel}.get(group, unit)
    return value


def _as_of(session: Session, text: str, start: str) -> str:
    from wenzheng_cli.core.dates import read

    now = session.now
    moment, has_time, _, _ = read(session, text)
    if not has_time:
        moment = clock.end_of_day(moment.date())
    value = clock.iso(moment) or ""
    if value < start:
        raise WenzhengError(f"统计截止时间 {value} 早于统计月份的开始", hint="--as-of 应在该月开始之后")
    if moment > now:
        raise WenzhengError(
            f"统计截止时间 {value} 晚于现在", hint="不写 --as-of 即按该月月底（或现在，如该月未完）统计"
        )
    return value


def claim_deadline(session: Session) -> Callable[[str], str]:
    """assigned_at → the end of the claim limit (``span.claim``, default 1 working day), cached per day."""
    from wenzheng_cli.domain.deadlines import due_from

    span = session.settings.span("span.claim")
    calendar = session.calendar
    cache: dict[str, str] = {}

    def deadline(assigned_at: str) -> str:
        key = assigned_at if span.unit == "h" else assigned_at[:10]
        found = cache.get(key)
        if found is None:
            start = clock.parse_iso(assigned_at)
            assert start is not None
            found = cache[key] = clock.iso(due_from(start, span, calendar)) or ""
        return found

    return deadline


def rules_from(settings: Settings) -> Rules:
    return Rules(
        satisfied=settings.closing_ratings,
        level_rank={level: i for i, level in enumerate(settings.levels)},
        grassroots_rank=settings.levels.index(settings.grassroots_level),
        points_closed=settings.points_closed,
        points_overdue=settings.points_overdue,
        points_dissatisfied=settings.points_dissatisfied,
        points_returned=settings.points_returned,
        difficulty_weights=settings.difficulty_weights,
        score_weights=settings.score_weights,
    )
