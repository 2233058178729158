"""Making the weekly 台账, the monthly 通报 and the trend: the periods, the reads, then the pure builders.

The reads are ``store.reports`` (a month's figures: ``core.figures``); what the rows add up to is ``reports/``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import date
from itertools import groupby
from typing import TypeVar, overload

from wenzheng_cli.config import Settings
from wenzheng_cli.core import dates, offices
from wenzheng_cli.core.dates import read
from wenzheng_cli.core.figures import month_tallies, months_tallies, rules_from
from wenzheng_cli.core.session import Session
from wenzheng_cli.domain import clock
from wenzheng_cli.domain.models import Case, Status, stored_flags
from wenzheng_cli.domain.states import fold
from wenzheng_cli.domain.taxonomy import check_listed
from wenzheng_cli.errors import WenzhengError, option, phrase
from wenzheng_cli.reports.figures import Tallies
from wenzheng_cli.reports.grouping import parse_by
from wenzheng_cli.reports.monthly import MonthlyReport, build_monthly
from wenzheng_cli.reports.periods import Office, month_days, months_until, week_of
from wenzheng_cli.reports.trend import TrendReport, build_trend
from wenzheng_cli.reports.weekly import EncodedCase, Listed, Note, WeeklyReport, build_weekly, unresolved
from wenzheng_cli.store import reports as store
from wenzheng_cli.store import weekly as weekly_store
from wenzheng_cli.store.case_text import Columns
from wenzheng_cli.store.figures import kept_months


def office_of(settings: Settings) -> Office:
    return Office(settings.office, settings.office_name)


@overload
def weekly(
    session: Session,
    week: str | None,
    *,
    community: str | None = ...,
    grid: str | None = ...,
    office: str | None = ...,
    columns: None = ...,
) -> WeeklyReport[Case]: ...


@overload
def weekly(
    session: Session,
    week: str | None,
    *,
    community: str | None = ...,
    grid: str | None = ...,
    office: str | None = ...,
    columns: Columns,
) -> WeeklyReport[Case | EncodedCase]: ...


@overload
def weekly(
    session: Session,
    week: str | None,
    *,
    community: str | None = ...,
    grid: str | None = ...,
    office: str | None = ...,
    columns: Columns | None,
) -> WeeklyReport[Case] | WeeklyReport[Case | EncodedCase]: ...


def weekly(
    session: Session,
    week: str | None,
    *,
    community: str | None = None,
    grid: str | None = None,
    office: str | None = None,
    columns: Columns | None = None,
) -> WeeklyReport[Case] | WeeklyReport[Case | EncodedCase]:
    """The 台账 of the week holding ``week`` (default today): its cases as they stood at the week's end,
    limited to one community and/or grid, and to one office's cases (its code or name), when asked. With
    ``columns`` (a 台账 going out as JSON), the cases unchanged since the week come as the JSON text of those
    columns (``EncodedCase``), the others as cases."""
    settings = session.settings
    place = check_listed(community, settings.communities, "社区", "communities")
    zone = check_listed(grid, settings.grids, "网格", "grids")
    code = offices.resolve(session, office)
    day = dates.week(session, week)
    first, last = week_of(day, settings.week_start)
    start = clock.iso(clock.start_of_day(first)) or ""
    end = clock.iso(clock.end_of_day(last)) or ""
    as_of = min(end, clock.iso(session.now) or "")
    conn = session.ledger.conn
    cases: Sequence[tuple[Case | EncodedCase, bool, bool]]
    if columns is None:
        cases = _as_then(
            conn, weekly_store.week_cases(conn, start, end, community=place, grid=zone, office=code), end
        )
    else:
        statuses = {status.value: status for status in Status}
        texts = [
            (
                EncodedCase(case_id, received, seq, statuses[status], due, text, stored_flags(flags)),
                resolved,
                closed,
                moved,
            )
            for text, case_id, received, _, seq, status, due, flags, resolved, closed, moved in weekly_store.week_case_texts(
                conn, start, end, columns, community=place, grid=zone, office=code
            )
        ]
        cases = _as_then(conn, texts, end)
    notes = weekly_store.latest_notes(conn, unresolved(case for case, _, _ in cases), end)
    return build_weekly(
        start=first,
        end=last,
        start_iso=start,
        as_of=as_of,
        office=office_of(settings),
        cases=cases,
        progress={case_id: Note(text, at) for case_id, (text, at) in notes.items()},
        community=place,
        grid=zone,
        of_office=Office(code, offices.names(session)[code]) if code is not None else None,
        texts=columns is not None,
        history_open=weekly_store.history_left_out(conn, start, place, zone, code),
    )


L = TypeVar("L", bound=Listed)


def _as_then(
    conn: sqlite3.Connection, rows: Sequence[tuple[L, bool, bool, bool]], end: str
) -> Sequence[tuple[L | Case, bool, bool]]:
    """(case, resolved in the week, closed in it) as the week ended: a case that changed since ("moved") is
    folded from its events up to then."""
    moved = [case.id for case, _, _, changed in rows if changed]
    then: dict[str, Case] = {}
    if moved:
        for case_id, events in groupby(weekly_store.events_until(conn, moved, end), key=lambda e: e.case_id):
            folded = fold(events)
            if folded is not None:
                then[case_id] = folded
    return [
        (then.get(case.id, case) if then else case, resolved, closed) for case, resolved, closed, _ in rows
    ]


def monthly(session: Session, month: str | None, by: str | None, as_of: str | None) -> MonthlyReport:
    """The 通报 of a month's cohort, counted from the events up to the as-of moment, per ``by`` group."""
    group = parse_by(by)
    year, number = dates.month(session, month)
    first, last = month_days(year, number)
    start = clock.iso(clock.start_of_day(first)) or ""
    moment = _as_of(session, as_of, start) if as_of else None
    return _month(session, first, last, moment, group)


TREND_MONTHS = 12
MAX_TREND_MONTHS = 120


def trend(session: Session, months: int | None, until: str | None, by: str | None) -> TrendReport:
    """The monthly figures of ``months`` months up to ``until`` (default the last complete month), each as
    ``monthly`` gives it, in all and per ``by`` group when asked."""
    count = TREND_MONTHS if months is None else months
    if not 1 <= count <= MAX_TREND_MONTHS:
        raise WenzhengError(
            phrase(option("months"), f" 应在 1 到 {MAX_TREND_MONTHS} 之间（现为 {count}）"),
            hint=phrase("例如 ", option("months", "12"), "（最近一年）"),
        )
    group = parse_by(by) if by else None
    year, number = dates.month(session, until or "last")
    if (year, number) > (session.now.year, session.now.month):
        raise WenzhengError(
            phrase(option("until", f"{year}-{number:02d}"), " 晚于本月"),
            hint=phrase("写本月（this）或以前的月份，如 ", option("until", "2026-10")),
        )
    by_what = group or "community"
    periods = _periods(session, year, number, count)
    counted = months_tallies(session, periods, by_what, rules_from(session.settings))
    reports = [
        _month(session, first, last, moment, by_what, tallies)
        for (first, last, moment), tallies in zip(periods, counted, strict=True)
    ]
    return build_trend(reports, by=group, office=office_of(session.settings))


def _periods(session: Session, year: int, number: int, count: int) -> list[tuple[date, date, str]]:
    """The ``count`` months up to ``year``-``number``, each with the moment it is counted at by default."""
    return [(first, last, _moment(session, last)) for first, last in months_until(year, number, count)]


# The grouping a street reads its communities by: its figures are counted again by every roll-up.
STREET_GROUPING = "office"


def recent_kept(session: Session) -> set[tuple[str, str]]:
    """(month, grouping) of the figures kept for the last ``TREND_MONTHS`` complete months, standing or not."""
    year, number = dates.month(session, "last")
    first = months_until(year, number, TREND_MONTHS)[0][0]
    return kept_months(session.ledger.conn, first.isoformat()[:7])


def keep_recent(session: Session, kept: set[tuple[str, str]]) -> None:
    """Count again and keep the figures of the last ``TREND_MONTHS`` complete months that no longer stand: by
    office, and each month and grouping of ``kept`` (those kept before a roll-up that added events dated within
    them), so that the street's 通报 and trend right after it read kept figures, as they did before it."""
    year, number = dates.month(session, "last")
    periods = _periods(session, year, number, TREND_MONTHS)
    rules = rules_from(session.settings)
    for by in sorted({grouping for _, grouping in kept} | {STREET_GROUPING}):
        wanted = [
            period for period in periods if by == STREET_GROUPING or (period[0].isoformat()[:7], by) in kept
        ]
        months_tallies(session, wanted, by, rules)


def _month(
    session: Session,
    first: date,
    last: date,
    moment: str | None,
    by: str,
    tallies: Tallies | None = None,
) -> MonthlyReport:
    """The 通报 of the month from ``first`` to ``last`` at ``moment`` (default its end, or now if sooner), of
    its ``tallies`` when they were counted already."""
    settings = session.settings
    start = clock.iso(clock.start_of_day(first)) or ""
    end = clock.iso(clock.end_of_day(last)) or ""
    as_of = moment or _moment(session, last)
    rules = rules_from(settings)
    if tallies is None:
        tallies = month_tallies(session, first, last, as_of, by, rules)
    if by == "office":  # counted by code, shown by name
        tallies = offices.by_name(tallies, session)
    activities = store.activities_between(session.ledger.conn, start, min(end, as_of), settings.office)
    if by == "office":  # counted by code, shown by name, as the tallies
        known = offices.names(session)
        activities = [(i, kind, place, known.get(code, code)) for i, kind, place, code in activities]
    return build_monthly(
        start=first.isoformat(),
        end=last.isoformat(),
        as_of=as_of,
        by=by,
        tallies=tallies,
        activities=activities,
        rules=rules,
        top=settings.top_categories,
        office=office_of(settings),
    )


def _moment(session: Session, last: date) -> str:
    """What a month ending on ``last`` is counted at by default: its end, or now if sooner."""
    return min(clock.iso(clock.end_of_day(last)) or "", clock.iso(session.now) or "")


def _as_of(session: Session, text: str, start: str) -> str:
    now = session.now
    moment, has_time, _, _ = read(session, text)
    if not has_time:
        moment = clock.end_of_day(moment.date())
    value = clock.iso(moment) or ""
    if value < start:
        raise WenzhengError(
            f"统计截止时间 {value} 早于统计月份的开始", hint=phrase(option("as-of"), " 应在该月开始之后")
        )
    if moment > now:
        raise WenzhengError(
            f"统计截止时间 {value} 晚于现在",
            hint=phrase("不写 ", option("as-of"), " 即按该月月底（或现在，如该月未完）统计"),
        )
    return value
