"""An imported row as ledger rows: its intake event, its resolve event when it brings a reply, and the case.

The case row is exactly what ``domain.states.fold`` gives for those events (``wenzheng check`` compares the
two, and so do the tests), written out directly: building ``Case`` and ``Event`` objects, folding them and
serialising the payloads with ``json.dumps`` would cost more than everything else an import does per row.
The payload text is the one ``json.dumps(payload, ensure_ascii=False, sort_keys=True)`` gives (tested).
Columns an import never sets (handler, due dates, ratings …) are left to their defaults.
"""

from __future__ import annotations

from json.encoder import encode_basestring as _s
from typing import Any

from wenzheng_cli.domain.models import Action, Status

ORIGIN = "import"
REPLY_FEEDBACK = "留言板答复"
IMPORT_CASE_COLUMNS = (
    "pk",
    "id",
    "number",
    "office",
    "year",
    "seq",
    "status",
    "received_at",
    "description",
    "title",
    "channel",
    "category",
    "category_suggested",
    "nature",
    "resident",
    "phone",
    "address",
    "community",
    "grid",
    "level",
    "difficulty",
    "resolved_at",
    "resolved_by",
    "outcome",
    "result",
    "feedback",
    "source_key",
    "extra",
    "updated_at",
)
# What a row says, as opposed to who it became and who imported it: two rows with one source key are one row
# repeated when these agree, and two different rows sharing a key when they do not.
IDENTITY_COLUMNS = frozenset(
    {"pk", "id", "number", "office", "year", "seq", "source_key", "resolved_by", "updated_at"}
)
CONTENT_COLUMNS = tuple(name for name in IMPORT_CASE_COLUMNS if name not in IDENTITY_COLUMNS)
CONTENT_INDEXES = tuple(IMPORT_CASE_COLUMNS.index(name) for name in CONTENT_COLUMNS)
_REGISTERED = Status.REGISTERED.value
_RESOLVED = Status.RESOLVED.value
_INTAKE = Action.INTAKE.value
_RESOLVE = Action.RESOLVE.value


class CaseBuilder:
    def __init__(self, office: str, actor: str, recorded_at: str, intake_level: str) -> None:
        self.office = office
        self.actor = actor
        self.recorded_at = recorded_at
        self.intake_level = intake_level
        self._office_json = _s(office)
        self._level_json = _s(intake_level)
        self._reply_tail = (
            f', "feedback": {_s(REPLY_FEEDBACK)}, "imported": true, "outcome": "solved", "result": '
        )

    def build(
        self, f: dict[str, Any], pk: int, case_id: str, event_ids: tuple[str, str], year: int, seq: int
    ) -> tuple[tuple[Any, ...], list[tuple[Any, ...]]]:
        """(the case row in ``IMPORT_CASE_COLUMNS`` order, its event rows in recorded order)."""
        number = f"{self.office}-{year}-{seq:04d}"
        received_at = f["received_at"]
        description = f["description"]
        address, category, channel, community = f["address"], f["category"], f["channel"], f["community"]
        difficulty, extra, grid, nature = f["difficulty"], f["extra"], f["grid"], f["nature"]
        on_site, phone, resident, key, title = (
            f["on_site"],
            f["phone"],
            f["resident"],
            f["source_key"],
            f["title"],
        )
        level = self.intake_level if on_site else None

        # The intake payload, keys in sorted order, None values left out.
        parts: list[str] = []
        add = parts.append
        if address is not None:
            add('"address": ' + _s(address))
        if category is not None:
            add('"category": ' + _s(category))
        suggested = 1 if f.get("category_suggested") else 0
        if suggested:
            add('"category_suggested": true')
        if channel is not None:
            add('"channel": ' + _s(channel))
        if community is not None:
            add('"community": ' + _s(community))
        add('"description": ' + _s(description))
        if difficulty is not None:
            add(f'"difficulty": {difficulty}')
        if extra is not None:
            add('"extra": ' + _s(extra))
        if grid is not None:
            add('"grid": ' + _s(grid))
        if on_site:
            add('"level": ' + self._level_json)
        if nature is not None:
            add('"nature": ' + _s(nature))
        add(f'"number": "{number}", "office": {self._office_json}')
        if on_site:
            add(f'"on_site": {_s(on_site)}, "outcome": "solved"')
        if phone is not None:
            add('"phone": ' + _s(phone))
        if resident is not None:
            add('"resident": ' + _s(resident))
        add(f'"seq": {seq}')
        if key is not None:
            add('"source_key": ' + _s(key))
        if title is not None:
            add('"title": ' + _s(title))
        add(f'"year": {year}')
        recorded_at, actor = self.recorded_at, self.actor
        events = [
            (
                event_ids[0],
                case_id,
                _INTAKE,
                received_at,
                recorded_at,
                actor,
                "{" + ", ".join(parts) + "}",
                ORIGIN,
            )
        ]
        status, resolved_at, resolved_by, outcome, result, feedback = (
            _REGISTERED,
            None,
            None,
            None,
            None,
            None,
        )
        if on_site:
            status, resolved_at, resolved_by, outcome, result = (
                _RESOLVED,
                received_at,
                actor,
                "solved",
                on_site,
            )
        elif f["reply"]:
            result = f["reply"]
            resolved_at = f["replied_at"]
            status, resolved_by, outcome, feedback = _RESOLVED, actor, "solved", REPLY_FEEDBACK
            payload = "{" + self._reply_tail[2:] + _s(result) + "}"
            events.append((event_ids[1], case_id, _RESOLVE, resolved_at, recorded_at, actor, payload, ORIGIN))
        case = (
            pk,
            case_id,
            number,
            self.office,
            year,
            seq,
            status,
            received_at,
            description,
            title,
            channel,
            category,
            suggested,
            nature,
            resident,
            phone,
            address,
            community,
            grid,
            level,
            difficulty,
            resolved_at,
            resolved_by,
            outcome,
            result,
            feedback,
            key,
            extra,
            recorded_at,
        )
        return case, events

    def content(self, f: dict[str, Any]) -> tuple[Any, ...]:
        """The ``CONTENT_COLUMNS`` of the case a row would become."""
        case, _ = self.build(f, 0, "", ("", ""), int(f["received_at"][:4]), 0)
        return tuple(case[i] for i in CONTENT_INDEXES)
