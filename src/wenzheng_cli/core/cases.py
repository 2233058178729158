"""Finding a case by the number a clerk types, and recording one event as one transaction."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from wenzheng_cli.core.session import Session
from wenzheng_cli.core.timing import business_time
from wenzheng_cli.domain import clock
from wenzheng_cli.domain.ids import format_number, new_ulid, other_office, parse_number
from wenzheng_cli.domain.models import Action, Case, Event
from wenzheng_cli.domain.states import apply, check_transition
from wenzheng_cli.errors import WenzhengError, command, phrase
from wenzheng_cli.store import cases as store
from wenzheng_cli.store.imports import twins_of


def find(conn: sqlite3.Connection, session: Session, ref: str, *, acting: bool = True) -> Case:
    """The case ``ref`` names. Another office's case rolled up into this (street) ledger is found by its full
    number, to be seen; ``acting`` (any step, amend or undo: everything that goes through here to change a
    case) refuses it, for it is handled in its own office's ledger."""
    office = session.settings.office
    other = other_office(ref, office)
    if other is not None:
        held = store.get_case(conn, *other)
        if held is not None:
            if acting:
                # the roll-up's sources: loaded only for a case of another office
                from wenzheng_cli.core.rollup import read_only

                raise read_only(session, held.office, held.number)
            return held
    year, seq = parse_number(ref, office, session.now.year)
    case = store.get_case(conn, office, year, seq)
    if case is None:
        raise WenzhengError(
            f"找不到案件 {format_number(office, year, seq)}",
            hint=phrase("用 ", command("list"), " 查看案件编号；只写序号时指本年度的案件"),
        )
    return case


def make_event(
    session: Session, case_id: str, action: Action, at: datetime, payload: dict[str, Any]
) -> Event:
    return Event(
        id=new_ulid(),
        case_id=case_id,
        action=action,
        at=clock.iso(at) or "",
        recorded_at=clock.iso(session.now) or "",
        actor=session.operator,
        payload={k: v for k, v in payload.items() if v is not None},
        origin=session.origin,
    )


Builder = Callable[[sqlite3.Connection, Case, datetime], dict[str, Any]]


@dataclass(frozen=True)
class Step:
    """One step of the lifecycle, its input already checked, ready to be recorded on any number of cases:
    the action, the business time as typed, and what builds the event's payload from the case."""

    action: Action
    at: str | None
    build: Builder

    def on(self, session: Session, ref: str) -> Case:
        return record(session, ref, self.action, self.at, self.build)


def record(session: Session, ref: str, action: Action, at_text: str | None, build: Builder) -> Case:
    """Load the case, check the transition, build the event, fold it in and store both — all or nothing."""
    with session.ledger.write() as conn:
        case = find(conn, session, ref)
        check_transition(case, action)
        at = business_time(session, at_text, after=store.last_event_at(conn, case.id), what=action.label)
        payload = build(conn, case, at)
        event = make_event(session, case.id, action, at, payload)
        updated = apply(case, event)
        store.append_event(conn, event)
        store.update_case(conn, updated)
    return updated


def show(session: Session, ref: str) -> tuple[Case, list[Event], list[dict[str, Any]]]:
    """The case, its events, and the cases an import flagged it as possibly repeating (or repeated by)."""
    conn = session.ledger.conn
    case = find(conn, session, ref, acting=False)
    return case, store.events_for(conn, case.id), twins_of(conn, [case.id]).get(case.id, [])
