"""An imported row as ledger rows: its intake event, its resolve event when it brings a reply, and the case.

The case row is exactly what ``domain.states.fold`` gives for those events (``wenzheng check`` compares the
two, and so do the tests), written out directly because building ``Case`` and ``Event`` objects and folding
them costs more than everything else an import does per row.
"""

from __future__ import annotations

import json
from operator import itemgetter
from typing import Any

from wenzheng_cli.domain.models import Action, Status
from wenzheng_cli.store.imports import IMPORT_CASE_COLUMNS

ORIGIN = "import"
REPLY_FEEDBACK = "留言板答复"
_INTAKE_OPTIONAL = (
    "title",
    "resident",
    "phone",
    "address",
    "community",
    "grid",
    "channel",
    "category",
    "nature",
    "difficulty",
    "source_key",
    "extra",
    "on_site",
)
_encode = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode
_as_case_row = itemgetter(*IMPORT_CASE_COLUMNS)
_BLANK: dict[str, Any] = dict.fromkeys(IMPORT_CASE_COLUMNS)
_BLANK.update(round=1, supervised=0)


class CaseBuilder:
    def __init__(self, office: str, actor: str, recorded_at: str, intake_level: str) -> None:
        self.office = office
        self.actor = actor
        self.recorded_at = recorded_at
        self.intake_level = intake_level

    def build(
        self, fields: dict[str, Any], pk: int, case_id: str, event_ids: tuple[str, str], year: int, seq: int
    ) -> tuple[tuple[Any, ...], list[tuple[Any, ...]]]:
        """(the case row in ``IMPORT_CASE_COLUMNS`` order, its event rows in recorded order)."""
        number = f"{self.office}-{year}-{seq:04d}"
        received_at = fields["received_at"]
        payload: dict[str, Any] = {
            "number": number,
            "office": self.office,
            "year": year,
            "seq": seq,
            "description": fields["description"],
        }
        for key in _INTAKE_OPTIONAL:
            value = fields.get(key)
            if value is not None:
                payload[key] = value
        on_site = fields.get("on_site")
        if on_site:
            payload["level"] = self.intake_level
            payload["outcome"] = "solved"
        events = [
            (
                event_ids[0],
                case_id,
                Action.INTAKE.value,
                received_at,
                self.recorded_at,
                self.actor,
                _encode(payload),
                ORIGIN,
            )
        ]
        case = dict(_BLANK)
        case.update(
            pk=pk,
            id=case_id,
            number=number,
            office=self.office,
            year=year,
            seq=seq,
            status=Status.REGISTERED.value,
            received_at=received_at,
            updated_at=self.recorded_at,
        )
        for key in _INTAKE_OPTIONAL:
            if key != "on_site":
                case[key] = payload.get(key)
        case["description"] = payload["description"]
        if on_site:
            case.update(
                status=Status.RESOLVED.value,
                level=self.intake_level,
                resolved_at=received_at,
                resolved_by=self.actor,
                outcome="solved",
                result=on_site,
            )
        elif fields.get("reply"):
            resolve = {
                "result": fields["reply"],
                "outcome": "solved",
                "feedback": REPLY_FEEDBACK,
                "imported": True,
            }
            replied_at = fields["replied_at"]
            events.append(
                (
                    event_ids[1],
                    case_id,
                    Action.RESOLVE.value,
                    replied_at,
                    self.recorded_at,
                    self.actor,
                    _encode(resolve),
                    ORIGIN,
                )
            )
            case.update(
                status=Status.RESOLVED.value,
                resolved_at=replied_at,
                resolved_by=self.actor,
                outcome="solved",
                result=fields["reply"],
                feedback=REPLY_FEEDBACK,
            )
        return _as_case_row(case), events
