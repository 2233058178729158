"""The cases a street's roll-up rebuilds (``core.rollup``): all their events here read back, in recorded order,
as the events they are, and the cases folded from them stored, new or in place of what was there."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from itertools import groupby
from typing import Any

from wenzheng_cli.domain.models import CASE_FIELDS, Action, Case, Event, flags_text


class DamagedEvent(Exception):
    """An event of the file that is no event this program writes (not JSON, an unknown action)."""

    def __init__(self, event_id: str) -> None:
        super().__init__(event_id)
        self.event_id = event_id


def events_of_new(conn: sqlite3.Connection) -> Iterator[tuple[str, bool, list[Event]]]:
    """Each case ``store.rollup.mark_new`` marked (id, whether it is new to this ledger) with all its events
    here, in recorded order.

    The marked cases lead (CROSS JOIN keeps them outside), each case's events found through ``events_case``:
    led by the events instead, SQLite reads the whole index of every event the ledger holds, for every file."""
    rows = conn.execute(
        "SELECT n.case_id, n.added, e.id, e.action, e.at, e.recorded_at, e.actor, e.payload, e.origin"
        " FROM temp.rollup_new n CROSS JOIN main.events e ON e.case_id = n.case_id ORDER BY n.case_id, e.seq"
    )
    for (case_id, added), group in groupby(rows, key=lambda row: (row[0], row[1])):
        yield str(case_id), bool(added), [_event(case_id, row[2:]) for row in group]


_ACTIONS = {action.value: action for action in Action}
# ``json.loads`` without its wrappers, for the payloads (JSON text this program wrote): the value at the start of
# the text and where it ends; anything else goes through ``json.loads`` itself
_decode = json.JSONDecoder().raw_decode
_EVENT_NAMES = ("id", "case_id", "action", "at", "recorded_at", "actor", "payload", "origin")


def _event(case_id: str, row: tuple[Any, ...]) -> Event:
    """An event as stored. Set straight into the instance, as ``Case.from_stored`` does: a roll-up reads every
    event of the cases it rebuilds, and the frozen ``__init__`` costs a call per field."""
    eid, action, at, recorded_at, actor, payload, origin = row
    try:
        data, end = _decode(payload)
    except (TypeError, ValueError):  # not text that starts with a value: as json.loads says
        end = -1
    if end < 0 or end != len(payload):  # not only one value: json.loads says what it is
        try:
            data = json.loads(payload)
        except (TypeError, ValueError):
            raise DamagedEvent(str(eid)) from None
    known = _ACTIONS.get(action)
    if known is None or not isinstance(data, dict):
        raise DamagedEvent(str(eid))
    event = object.__new__(Event)
    values = (eid, case_id, known, at, recorded_at, actor, data, origin)
    object.__setattr__(event, "__dict__", dict(zip(_EVENT_NAMES, values, strict=True)))
    return event


_INSERT_CASE = (
    f"INSERT INTO main.cases ({', '.join(CASE_FIELDS)}) VALUES ({', '.join('?' for _ in CASE_FIELDS)})"
)
_UPDATE_CASE = f"UPDATE main.cases SET {', '.join(f'{n} = ?' for n in CASE_FIELDS if n != 'id')} WHERE id = ?"
_FLAGS_AT = CASE_FIELDS.index("reply_flags")
_STATUS_AT = CASE_FIELDS.index("status")
_ID_AT = CASE_FIELDS.index("id")


def _row(case: Case) -> list[Any]:
    """``Case.as_row`` as values in ``CASE_FIELDS`` order, taken straight from the instance: a roll-up stores
    every case it rebuilds. The booleans go in as Python's (sqlite3 stores them as 0 and 1, as ``as_row``
    does)."""
    values = [case.__dict__[name] for name in CASE_FIELDS]
    values[_STATUS_AT] = case.status.value
    flags = case.reply_flags
    values[_FLAGS_AT] = flags_text(flags) if flags else "[]"
    return values


def save_cases(conn: sqlite3.Connection, added: list[Case], updated: list[Case]) -> None:
    """Store cases rebuilt from their events: ``added`` new to this ledger, ``updated`` already here."""
    conn.executemany(_INSERT_CASE, [_row(case) for case in added])
    rows = []
    for case in updated:
        values = _row(case)
        case_id = values.pop(_ID_AT)
        rows.append([*values, case_id])
    conn.executemany(_UPDATE_CASE, rows)
