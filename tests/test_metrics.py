"""The monthly fold (domain.metrics.track) against the state machine's fold, and the rates' invariants."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from wenzheng_cli.domain import clock
from wenzheng_cli.domain.metrics import Limits, Return, facts_of, track
from wenzheng_cli.domain.models import Action, Case, Event
from wenzheng_cli.domain.states import TRANSITIONS, apply, fold, live, undoable
from wenzheng_cli.domain.tally import RATES, Rules, Tally, ranks, score
from wenzheng_cli.reports.periods import month_days, read_month, week_of

LEVELS = ["网格", "社区", "街道", "区"]
RULES = Rules(
    satisfied=frozenset({"very_satisfied", "satisfied", "basically_satisfied"}),
    level_rank={level: i for i, level in enumerate(LEVELS)},
    grassroots_rank=2,
    score_weights={"completion_rate": 1.0},
)
START = datetime(2026, 10, 1, 9, 0, tzinfo=clock.TZ)


def deadline(assigned_at: str) -> str:
    """A claim limit of one calendar day (ends at the end of the next day)."""
    moment = clock.parse_iso(assigned_at)
    assert moment is not None
    return clock.iso(clock.end_of_day(moment.date() + timedelta(days=1))) or ""


def feedback_deadline(received_at: str) -> str:
    """A feedback limit of three calendar days."""
    moment = clock.parse_iso(received_at)
    assert moment is not None
    return clock.iso(clock.end_of_day(moment.date() + timedelta(days=3))) or ""


LIMITS = Limits(claim=deadline, feedback=feedback_deadline)


@st.composite
def lifecycles(draw: st.DrawFn) -> list[Event]:
    """A random lifecycle that the commands could have recorded: each action allowed by the status."""
    moment = START + timedelta(minutes=draw(st.integers(0, 60 * 24 * 20)))
    ids = iter(range(10_000))
    maybe = st.none() | st.sampled_from(["王芳", "城管科", "物业公司"])

    def event(action: Action, payload: dict[str, object]) -> Event:
        nonlocal moment
        moment += timedelta(minutes=draw(st.integers(1, 60 * 24 * 3)))
        at = clock.iso(moment) or ""
        clean = {k: v for k, v in payload.items() if v is not None}
        return Event(f"e{next(ids)}", "c1", action, at, at, "clerk", clean)

    def due() -> str | None:
        if not draw(st.booleans()):
            return None
        return clock.iso(moment + timedelta(hours=draw(st.integers(1, 24 * 10))))

    intake: dict[str, object] = {"number": "WZ-2026-0001", "office": "WZ", "year": 2026, "seq": 1}
    intake.update(description="x", level=draw(st.sampled_from([None, "社区"])))
    if draw(st.booleans()):
        intake.update(on_site="已当场答复", outcome="solved", feedback=draw(st.none() | st.just("当面")))
    events = [event(Action.INTAKE, intake)]
    case = apply(None, events[0])
    for _ in range(draw(st.integers(0, 14))):
        target = undoable(events)
        if target is not None and draw(st.integers(0, 5)) == 0:
            # 撤销: the latest step that stands goes; the case is the replay without it.
            events.append(event(Action.UNDO, {"revokes": target.id, "undone": target.action.value}))
            folded = fold(events)
            assert folded is not None  # the intake is never undone
            case = folded
            continue
        allowed = [a for a, (sources, _) in TRANSITIONS.items() if case.status in sources]
        if not allowed:
            break
        action = draw(st.sampled_from(allowed))
        payload: dict[str, object] = {}
        if action is Action.ASSIGN:
            payload = {"handler": draw(maybe), "unit": draw(maybe), "level": draw(st.sampled_from(LEVELS))}
            payload["due_at"] = due() if case.due_at is not None else clock.iso(moment + timedelta(days=5))
        elif action is Action.ESCALATE:
            payload = {"level": draw(st.sampled_from(LEVELS)), "handler": draw(maybe), "unit": draw(maybe)}
            payload.update(reason="r", due_at=due())
        elif action is Action.EXTEND:
            payload = {"due_at": clock.iso(moment + timedelta(days=draw(st.integers(1, 9)))), "reason": "r"}
        elif action is Action.RESOLVE:
            payload = {"result": "ok", "outcome": "solved", "feedback": draw(st.none() | st.just("电话"))}
        elif action is Action.REVISIT:
            rating = draw(
                st.sampled_from(["satisfied", "basically_satisfied", "dissatisfied", "unreachable"])
            )
            effect = {"unreachable": "none", "dissatisfied": "reopened"}.get(rating, "closed")
            payload = {"rating": rating, "effect": effect}
            if effect == "reopened":
                payload["due_at"] = due()
        elif action is Action.RETURN or action is Action.WITHDRAW:
            payload = {"reason": "r"}
        elif action is Action.NOTE:
            payload = {"text": "t"}
        elif action is Action.SUPERVISE:
            payload = {"reason": "r", "kind": draw(st.sampled_from(["督办", "挂牌督办"]))}
        elif action is Action.AMEND:
            new = draw(st.sampled_from(["环境卫生", "道路交通"]))
            payload = {"reason": "r", "changes": {"category": {"old": case.category, "new": new}}}
        events.append(event(action, payload))
        case = apply(case, events[-1])
    return events


def reference(events: list[Event], as_of: str) -> dict[str, object]:
    """What the figures ask, read off the state machine's own fold (``states.apply``), event by event."""
    case: Case | None = None
    first_claim_in_time = None
    first_resolution: tuple[str, str | None] | None = None
    ratings: list[str] = []
    revisited = feedback = listed = escalated = False
    returns: list[Return] = []
    first_feedback: str | None = None
    for e in events:
        if e.at > as_of:
            continue
        listed = listed or (e.action is Action.SUPERVISE and e.payload["kind"] == "挂牌督办")
        escalated = escalated or e.action is Action.ESCALATE
        if e.action is Action.RETURN:
            assert case is not None
            returns.append(Return(case.unit, case.handler, case.level))
        if e.action is Action.CLAIM and first_claim_in_time is None:
            assert case is not None and case.assigned_at is not None
            first_claim_in_time = e.at <= deadline(case.assigned_at)
        if e.action is Action.RESOLVE and first_resolution is None:
            assert case is not None
            first_resolution = (e.at, case.due_at)
        if e.action is Action.REVISIT:
            revisited = True
            if e.payload["rating"] != "unreachable":
                ratings.append(str(e.payload["rating"]))
        case = apply(case, e)
        if e.action is Action.INTAKE and case.resolved_at is not None:  # 现场办结: resolved, no due date
            first_resolution = (case.resolved_at, None)
        feedback = feedback or (case.feedback is not None)
        if first_feedback is None and (case.feedback is not None or e.action is Action.REVISIT):
            first_feedback = e.at
    assert case is not None
    return {
        "status": case.status.value,
        "level": case.level,
        "unit": case.unit,
        "due_at": case.due_at,
        "assigned_at": case.assigned_at,
        "rating": case.rating,
        "round": case.round,
        "claimed": first_claim_in_time is not None,
        "responded": bool(first_claim_in_time),
        "first": first_resolution,
        "ratings": ratings,
        "revisited": revisited,
        "feedback": feedback,
        "returns": returns,
        "handler": case.handler,
        "supervised": case.supervised,
        "listed": listed,
        "escalated": escalated,
        "first_feedback_at": first_feedback,
    }


@settings(max_examples=400, deadline=None)
@given(lifecycles(), st.integers(0, 40))
def test_track_agrees_with_the_state_machine(events: list[Event], cut: int) -> None:
    """Amends and undos included: the store hands ``track`` the events that stand (``states.live``, the
    undone ones left out whenever the undo was made), and an amend changes no figure."""
    as_of = events[min(cut, len(events) - 1)].at
    standing = live(events)
    t = track((facts_of(e) for e in standing), as_of, LIMITS)
    assert t is not None
    if as_of == events[-1].at:  # the whole history: what the state machine's own fold makes of it
        case = fold(events)
        assert case is not None
        now = (case.status.value, case.level, case.unit, case.due_at, case.round, case.rating)
        assert (t.status, t.level, t.unit, t.due_at, t.round, t.rating) == now
    expected = reference(standing, as_of)
    first = (t.first_resolved_at, t.due_at_first_resolution) if t.first_resolved_at else None
    got = {
        "status": t.status,
        "level": t.level,
        "unit": t.unit,
        "due_at": t.due_at,
        "assigned_at": t.assigned_at,
        "rating": t.rating,
        "round": t.round,
        "claimed": t.claimed,
        "responded": t.responded,
        "first": first,
        "ratings": t.ratings,
        "revisited": t.revisited,
        "feedback": t.feedback,
        "returns": t.returns,
        "handler": t.handler,
        "supervised": t.supervised,
        "listed": t.listed,
        "escalated": t.escalated,
        "first_feedback_at": t.first_feedback_at,
    }
    assert got == expected
    assert t.feedback_due == feedback_deadline(events[0].at)


def test_events_after_the_moment_do_not_count() -> None:
    intake = Event("e1", "c1", Action.INTAKE, "2026-10-05T09:00:00+08:00", "x", "clerk", _intake())
    assert track([facts_of(intake)], "2026-10-04T23:59:59+08:00", LIMITS) is None


@settings(max_examples=150, deadline=None)
@given(st.lists(lifecycles(), min_size=1, max_size=8), st.integers(0, 40))
def test_every_rate_is_a_fraction_of_its_denominator(cases: list[list[Event]], cut: int) -> None:
    tally = Tally()
    for events in cases:
        as_of = events[min(cut, len(events) - 1)].at
        t = track((facts_of(e) for e in live(events)), as_of, LIMITS)
        assert t is not None
        tally.add(t, difficulty=None, activity_id=None, category=None, as_of=as_of, rules=RULES)
        for _ in t.returns:
            tally.add_return(RULES)
    for key, (num, den) in RATES.items():
        assert 0 <= tally.counts[num] <= tally.counts[den], key
        value = tally.rates()[key]
        if tally.fractions()[key][1] == 0:  # nothing, or only cases whose fact is unknown, to count
            assert value is None
        else:
            assert value is not None and 0.0 <= value <= 1.0
    assert tally.counts["received"] + tally.counts["withdrawn"] == len(cases)
    # 现场办结 and 承诺办结 split the items: no case is both.
    assert tally.counts["on_site"] + tally.counts["committed"] <= tally.counts["received"]
    assert tally.counts["listed"] <= tally.counts["supervised"]


def test_scores_and_ranks() -> None:
    weights = {"claim_rate": 1.0, "completion_rate": 3.0}
    assert score({"claim_rate": 1.0, "completion_rate": 0.5}, weights) == 62.5
    # A rate that cannot be counted is left out of the weighted mean, not taken as zero.
    assert score({"claim_rate": None, "completion_rate": 0.5}, weights) == 50.0
    assert score({"claim_rate": None, "completion_rate": None}, weights) is None
    assert ranks([80.0, 90.0, 80.0, None, 70.0]) == [2, 1, 2, None, 4]


def test_difficulty_weights() -> None:
    assert [RULES.weight(d) for d in (None, 1, 3, 5, 9)] == [1.0, 1.0, 3.0, 5.0, 5.0]
    assert replace(RULES, difficulty_weights=()).weight(4) == 1.0


def test_week_runs_tuesday_to_monday() -> None:
    monday = date(2026, 11, 23)
    assert week_of(monday) == (date(2026, 11, 17), date(2026, 11, 23))
    assert week_of(date(2026, 11, 17)) == (date(2026, 11, 17), date(2026, 11, 23))
    assert week_of(date(2026, 11, 24)) == (date(2026, 11, 24), date(2026, 11, 30))
    assert week_of(monday, "mon") == (date(2026, 11, 23), date(2026, 11, 29))
    assert week_of(date(2026, 12, 31), "sun") == (date(2026, 12, 27), date(2027, 1, 2))


def test_months() -> None:
    now = datetime(2026, 1, 15, 9, 0, tzinfo=clock.TZ)
    assert read_month("last", now)[:2] == (2025, 12)
    assert read_month("上月", now)[:2] == (2025, 12)
    assert read_month(None, now)[:2] == (2026, 1)
    assert read_month("2026年3月", now)[:2] == (2026, 3)
    assert read_month("2025/11", now)[:2] == (2025, 11)
    assert read_month("10月", now)[:2] == (2025, 10)  # typed in January: last October, not a month to come
    assert read_month("1月", now)[:2] == (2026, 1)
    assert month_days(2024, 2) == (date(2024, 2, 1), date(2024, 2, 29))
    assert month_days(2026, 12) == (date(2026, 12, 1), date(2026, 12, 31))


def _intake() -> dict[str, object]:
    return {"number": "WZ-2026-0001", "office": "WZ", "year": 2026, "seq": 1, "description": "x"}
