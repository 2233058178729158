"""Dates typed on the command line, read for one command: the moment or period, and, when the text left out the
year or the day, a ``提示:`` naming the full date that was taken (so ``12月28日`` typed in January visibly means
last December)."""

from __future__ import annotations

from datetime import date, timedelta

from wenzheng_cli.core.session import Session
from wenzheng_cli.domain.dates import Reading, read_when, weekday_word
from wenzheng_cli.reports.periods import period_of, read_month, week_of, week_shift


def read(session: Session, text: str, *, ahead: bool = False) -> Reading:
    """``--at``, ``--as-of``, ``--due``…: the reading, its note (if any) queued for the clerk."""
    reading = read_when(text, session.now, ahead=ahead)
    _tell(session, reading.note)
    return reading


def day(session: Session, text: str, *, ahead: bool = False) -> date:
    return read(session, text, ahead=ahead).moment.date()


def span(session: Session, text: str) -> tuple[date, date]:
    """``--since``/``--until``: a day, or the week, month or year a word names (上周, 本月, 去年 …)."""
    found = period_of(text, session.now, session.settings.week_start)
    if found is not None:
        return found
    one = day(session, text)
    return one, one


def week(session: Session, text: str | None) -> date:
    """``--week``: a day of the week asked for: 本周, 上周, 上上周 (the office's weeks), or any date — 上周二
    among them, the Tuesday of the calendar week before this one."""
    if text is None or not text.strip():
        return session.now.date()
    shift = week_shift(text)
    if shift is not None:
        return session.now.date() + timedelta(weeks=shift)
    found = day(session, text)
    named = weekday_word(text)
    if named is not None:
        # 上周二 is a day of the calendar week before this one; the 台账 is the office's week that holds it,
        # which is not always the week 上周 gives (a week from Tuesday, asked on a Monday): say which it is.
        word, weeks = named
        start = session.settings.week_start
        first, last = week_of(found, start)
        if (first, last) != week_of(session.now.date() + timedelta(weeks=weeks), start):
            _tell(
                session,
                f"「{text.strip()}」是 {found.isoformat()}，按它所在的台账周 {first.isoformat()} 至 "
                f"{last.isoformat()} 计（与「{word}」的台账周不同）",
            )
    return found


def month(session: Session, text: str | None) -> tuple[int, int]:
    """``--month``: (year, month); a month without a year that is still to come is last year's, and said so."""
    year, number, inferred = read_month(text, session.now)
    if inferred and text is not None:
        _tell(session, f"「{text.strip()}」未写年份，按 {year}-{number:02d} 计")
    return year, number


def _tell(session: Session, note: str | None) -> None:
    if note and note not in session.warnings:
        session.warnings.append(note)
