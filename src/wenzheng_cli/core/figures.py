"""A month's figures per group, as the monthly 通报 and the trend count them: read, folded and tallied, and
kept for a month that is over (``store.figures``) until an event dated within it is recorded."""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable, Iterable, Sequence
from datetime import date

from wenzheng_cli.config import Settings
from wenzheng_cli.core.session import Session
from wenzheng_cli.domain import clock
from wenzheng_cli.domain.deadlines import due_from
from wenzheng_cli.domain.metrics import Limits
from wenzheng_cli.domain.tally import FIGURES_VERSION, RATES, TOTAL_KEYS, Rules, Tally
from wenzheng_cli.reports import figures
from wenzheng_cli.store import figures as kept_figures
from wenzheng_cli.store import reports as store

# Up to this many events after the moment, finding the cases that changed since is cheaper than folding back
# every case that may have been open then (a month of a large office is about 100,000 events).
RECENT_EVENTS = 200_000
# A month's cohort is counted this many cases at a time, so that memory holds no more of their events however
# many a month brings (a street of a hundred busy communities: 300,000 cases in a month).
COHORT_PART = 20_000


def month_tallies(
    session: Session, first: date, last: date, moment: str, by: str, rules: Rules
) -> figures.Tallies:
    """The tallies per group of the cases received from ``first`` to ``last``, counted at ``moment``, with
    逾期未办结 over all cases (not just the cohort). A month that is over, counted at its end, is kept
    (``store.figures``) and reused until an event dated within it is recorded."""
    return months_tallies(session, [(first, last, moment)], by, rules)[0]


def months_tallies(
    session: Session, months: Sequence[tuple[date, date, str]], by: str, rules: Rules
) -> list[figures.Tallies]:
    """``month_tallies`` of each of ``months`` ((first, last, moment), in order, each moment within its
    month unless there is one), those not kept counted together (``_count_months``)."""
    conn = session.ledger.conn
    now = clock.iso(session.now) or ""
    found: list[figures.Tallies | None] = []
    keys: list[str | None] = []
    for first, last, moment in months:
        key = None
        if moment == (clock.iso(clock.end_of_day(last)) or "") and moment <= now:
            key = _figures_key(session.settings, first, moment, by)
            kept = read_kept(kept_figures.kept(conn, key, moment))
            if kept is not None:  # figures that cannot be read are counted again, and kept in their place
                found.append(kept)
                keys.append(None)
                continue
        found.append(None)
        keys.append(key)
    missing = [i for i, tallies in enumerate(found) if tallies is None]
    if missing:
        built_seq = kept_figures.last_seq(conn)
        counted = _count_months(session, [months[i] for i in missing], by, rules)
        for i, tallies in zip(missing, counted, strict=True):
            found[i] = tallies
            key = keys[i]
            if key is not None:
                data = json.dumps(
                    [[name, tally.to_data()] for name, tally in tallies.items()], ensure_ascii=False
                )
                kept_figures.keep(conn, key, months[i][0].isoformat()[:7], by, built_seq, data)
    return [tallies for tallies in found if tallies is not None]


def read_kept(data: str | None) -> figures.Tallies | None:
    """Kept figures as ``months_tallies`` wrote them, or None when there are none or they are not what it
    writes (a damaged or hand-edited row): such figures are counted again from the events, never shown."""
    try:
        groups = json.loads(data) if data is not None else None
    except ValueError:
        return None
    if not isinstance(groups, list):
        return None
    tallies: figures.Tallies = {}
    for group in groups:
        if not (isinstance(group, list) and len(group) == 2 and _is_name(group[0])):
            return None
        tally = _tally(group[1])
        if tally is None or group[0] in tallies:
            return None
        tallies[group[0]] = tally
    return tallies


_TALLY_KEYS = {"counts", "points", "categories", "activity"}


def _tally(data: object) -> Tally | None:
    # Figures kept by an earlier way of counting have no "left_out": sound, though never reused (their key
    # names that way: ``FIGURES_VERSION``), and replaced when the month is counted again.
    if not isinstance(data, dict) or set(data) - {"left_out"} != _TALLY_KEYS:
        return None
    left_out = data.get("left_out", {})
    if not isinstance(left_out, dict) or not set(left_out) <= set(RATES) or not _counts(left_out.values()):
        return None
    counts, points, categories, activity = (data[k] for k in ("counts", "points", "categories", "activity"))
    if not isinstance(counts, dict) or not set(counts) <= set(TOTAL_KEYS) or not _counts(counts.values()):
        return None
    if not isinstance(points, int | float) or isinstance(points, bool) or not math.isfinite(points):
        return None
    if not isinstance(categories, list) or not all(
        isinstance(c, list) and len(c) == 2 and _is_name(c[0]) and _counts(c[1:]) for c in categories
    ):
        return None
    if not isinstance(activity, list) or len(activity) != 2 or not _counts(activity):
        return None
    return Tally.from_data(data)


def _is_name(value: object) -> bool:
    return value is None or isinstance(value, str)


def _counts(values: Iterable[object]) -> bool:
    return all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in values)


# Settings that bear on no figure of a month (lists that only check typing, the ranking weights, which are
# applied to the figures afterwards, …): changing them keeps the figures that were counted.
_NOT_IN_FIGURES = frozenset(
    {
        "office.name",
        "categories",
        "channels",
        "natures",
        "revisit.allow_resolver",
        "level.intake",
        "level.assign",
        "span.default",
        "span.by_category",
        "span.by_nature",
        "duplicates.window_days",
        "duplicates.text_score",
        "week.start",
        "report.top_categories",
        "score.weights",
    }
)


def _figures_key(settings: Settings, first: date, moment: str, by: str) -> str:
    """What a month's figures were counted with: the way they are counted (``FIGURES_VERSION``), the month,
    the moment, the grouping and the settings that bear on them."""
    bearing = {k: v for k, v in settings.values.items() if k not in _NOT_IN_FIGURES}
    digest = hashlib.sha256(json.dumps(bearing, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]
    return f"{FIGURES_VERSION}|{first.isoformat()[:7]}|{moment}|{by}|{digest}"


def _count_months(
    session: Session, months: Sequence[tuple[date, date, str]], by: str, rules: Rules
) -> list[figures.Tallies]:
    settings = session.settings
    conn = session.ledger.conn
    limits = limits_of(session)
    seeds = {"community": settings.communities, "grid": settings.grids}.get(by, ())
    counted: list[figures.Tallies] = []
    long_after: list[tuple[int, tuple[str, str, str]]] = []
    for first, last, moment in months:
        start = clock.iso(clock.start_of_day(first)) or ""
        end = min(clock.iso(clock.end_of_day(last)) or "", moment)
        parts = store.cohort_parts(conn, start, end, COHORT_PART)
        tallies: figures.Tallies = {}
        for lo, hi in parts:  # a large month a part at a time: memory holds one part's events
            figures.merge(
                tallies,
                figures.tally_cohort(
                    by,
                    store.cohort_heads(conn, lo, hi),
                    store.cohort_facts(conn, lo, hi, moment, by_case=len(parts) > 1),
                    moment=moment,
                    limits=limits,
                    rules=rules,
                    seeds=seeds,
                ),
            )
        # 逾期未办结 is over all cases: add those received outside the month. Near the present, the rows of
        # the cases unchanged since are their state then and only the changed ones are folded back; for a
        # moment long past, every case that may have been open then is folded back, for all such months in
        # one pass. The two give the same figures (tests hold them equal); only their cost differs.
        if store.events_after(conn, moment, RECENT_EVENTS) < RECENT_EVENTS:
            figures.add_overdue(tallies, store.others_overdue_settled(conn, start, end, moment, by))
            rows = store.others_moved_facts(conn, start, end, moment)
            figures.merge(tallies, figures.overdue_by_group(by, rows, moment=moment, limits=limits))
        else:
            long_after.append((len(counted), (start, end, moment)))
        counted.append(tallies)
    if long_after:
        periods = [period for _, period in long_after]
        rows = store.others_open_facts(conn, periods)
        for (i, _), more in zip(
            long_after, figures.overdue_by_month(by, rows, periods, limits=limits), strict=True
        ):
            figures.merge(counted[i], more)
    return counted


def limits_of(session: Session) -> Limits:
    """The claim limit (``span.claim``) from each assignment and the feedback limit (``span.feedback``) from
    each receipt, cached per day."""
    return Limits(claim=_limit_end(session, "span.claim"), feedback=_limit_end(session, "span.feedback"))


def _limit_end(session: Session, key: str) -> Callable[[str], str]:
    """start (ledger time) → the end of the limit ``key`` counted from it, cached per day (per moment for
    a limit in hours)."""
    span = session.settings.span(key)
    calendar = session.calendar
    cache: dict[str, str] = {}

    def end_of_limit(start: str) -> str:
        key = start if span.unit == "h" else start[:10]
        found = cache.get(key)
        if found is None:
            moment = clock.parse_iso(start)
            assert moment is not None
            found = cache[key] = clock.iso(due_from(moment, span, calendar)) or ""
        return found

    return end_of_limit


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
