"""Business time (``--at``) and due dates (``--due`` / ``--within`` / the configured default span)."""

from __future__ import annotations

from datetime import datetime

from wenzheng_cli.core.session import Session
from wenzheng_cli.domain import clock
from wenzheng_cli.errors import UsageError, WenzhengError, option, phrase


def business_time(
    session: Session,
    text: str | None,
    *,
    after: str | None = None,
    what: str = "",
    day_start: bool = False,
) -> datetime:
    """The moment an action happened: now, or ``--at`` as typed.

    A date without a time is that day at the time of day it is now, whatever the day (today: now), so that
    the steps of last Tuesday's paper notes typed one after another (受理, 交办, 认领, 办结, all ``--at`` that
    Tuesday) keep the order they were typed in; it never falls before the case's previous step on the same
    day. With ``day_start`` (the rows of a file, which must read the same whenever imported) it is the start
    of that day. It may not lie in the future, nor before the previous step.
    """
    now = session.now
    if text is None or not text.strip():
        moment = now
    else:
        # the parser of typed dates (a dozen patterns compiled as it loads): only a typed date loads it
        from wenzheng_cli.core.dates import read

        moment, has_time, _, _ = read(session, text)
        if day_start and not has_time:
            moment = clock.start_of_day(moment.date())
        elif not has_time:
            moment = datetime.combine(moment.date(), clock.local(now).time(), clock.TZ)
            if after:
                previous = clock.parse_iso(after)
                if previous and previous.date() == moment.date() and previous > moment:
                    moment = previous
    if moment > now + clock.FUTURE_SLACK:
        raise WenzhengError(
            f"业务时间 {clock.iso(moment)} 晚于现在",
            hint=phrase(option("at"), " 写事情实际发生的时间，不能写将来的时间"),
        )
    if after:
        previous = clock.parse_iso(after)
        if previous and moment < previous:
            raise WenzhengError(
                f"{what}时间 {clock.iso(moment)} 早于该件上一步的时间 {after}",
                hint=phrase("检查 ", option("at"), "；补录旧记录时请按发生的先后顺序录入"),
            )
    return moment


def due_date(
    session: Session,
    start: datetime,
    *,
    due: str | None,
    within: str | None,
    category: str | None,
    nature: str | None,
    default: bool = True,
) -> datetime | None:
    """The deadline for work starting at ``start``; ``None`` when nothing was asked and ``default`` is off."""
    # deadline arithmetic (working days, holidays, spans): loaded only by work with due dates
    from wenzheng_cli.domain.deadlines import due_from, due_on, parse_span

    if due is not None and within is not None:
        raise UsageError(
            phrase(option("due"), " 与 ", option("within"), " 只能用其一"),
            hint=phrase("例如 ", option("within", "5wd"), " 或 ", option("due", "2026-11-30")),
        )
    if due is not None:
        # the parser of typed dates (a dozen patterns compiled as it loads): only a typed date loads it
        from wenzheng_cli.core.dates import day

        moment = due_on(day(session, due, ahead=True))
        if moment < start:
            raise WenzhengError(
                f"办结时限 {clock.iso(moment)} 早于开始时间 {clock.iso(start)}",
                hint=phrase("检查 ", option("due"), " 的日期"),
            )
        return moment
    if within is not None:
        return due_from(start, parse_span(within), session.calendar)
    if not default:
        return None
    return due_from(start, session.settings.span_for(category, nature), session.calendar)
