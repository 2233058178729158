"""The copy a community sends its street (``backup --without-pii``): personal data out, everything else as it was.

- a resident's name and phone as the reports show them (``李**``, ``138****5678``: ``text.mask_name`` and
  ``text.mask_phone``);
- the columns an import kept (``extra``) that hold personal data (``text.personal_column``: ID numbers, second
  phones, 联系人) dropped, and any long number left in the others masked;
- the address down to the building and its unit (``building_address``): the room, the floor, a house's number
  within a building go;
- in free text (the request, a note, a reply, a reason) the case's own residents' names masked where they are
  written out (those its events had named by then: ``redact_events``), and every long number (a phone, an ID
  number) masked. A name of someone else written in the text (a neighbour) is not known as a name, and stays.

Pure and deterministic: the same ledger gives the same copy value for value, so two copies of one ledger differ
only where the ledger changed. A value masked already stays as it is (a copy of a copy is the same copy).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from wenzheng_cli.domain.text import mask_name, mask_numbers, mask_phone, personal_column

# The free-text members of a case and of the events' payloads.
TEXTS = frozenset({"description", "title", "text", "reason", "result", "feedback", "comment"})

# A room or household inside a building (402室, 3户, 12号房), and a floor with the room after it (5层, 12楼1203;
# 5楼 but not 5号楼).
_ROOM = re.compile(r"[\s\-－—]*[A-Za-z]?\d+\s*(?:室|户|房间|号房|房)")
_FLOOR = re.compile(
    r"[\s\-－—]*[A-Za-z]?\d+\s*(?:层|楼(?![号栋幢座]))(?:[\s\-－—]*[A-Za-z]?\d{1,4}(?=$|[\s,，;；、)）]))?"
)
# A bare number right after the building or its unit (3号楼402, 2单元-1201): the room.
_AFTER_BUILDING = re.compile(r"(号楼|栋|幢|座|单元)[\s\-－—]*[A-Za-z]?\d{1,4}(?=$|[\s,，;；、)）])")
# 12-1-301 (building, unit, room) and 12-301 (building, room): the room is the last number, of three or four digits.
_DASHED3 = re.compile(r"(?<![\d\-－—])(\d{1,3})([\-－—])(\d{1,2})[\-－—]\d{3,4}(?![\d\-－—])")
_DASHED2 = re.compile(r"(?<![\d\-－—])(\d{1,3})[\-－—]\d{3,4}(?![\d\-－—])")
_LOOSE_END = re.compile(r"[\s\-－—,，;；、]+$")


def building_address(address: str | None) -> str | None:
    """The address down to the building and its unit: ``杨柳路幸福里3号楼2单元402室`` → ``杨柳路幸福里3号楼2单元``,
    ``幸福里12-1-301`` → ``幸福里12-1``. A street's door number (``杨柳路88号``) is the building, and stays."""
    if not address:
        return address
    text = _DASHED3.sub(r"\1\2\3", address)
    text = _DASHED2.sub(r"\1", text)
    text = _ROOM.sub("", text)
    text = _FLOOR.sub("", text)
    text = _AFTER_BUILDING.sub(r"\1", text)
    text = _LOOSE_END.sub("", text)
    return text if text != address else address


def redact_text(text: str, names: Iterable[str]) -> str:
    """Free text with the given names masked where written out, and every long number masked."""
    for name in names:
        if name in text:
            text = text.replace(name, mask_name(name) or "")
    return mask_numbers(text)


def without_personal(extra: str | None, names: Iterable[str] = ()) -> str | None:
    """``extra`` (the JSON object of columns an import kept) without its personal columns, the long numbers and
    names in the others masked; None when nothing is left. Unchanged text when nothing is personal."""
    if not extra:
        return extra
    try:
        data = json.loads(extra)
    except ValueError:
        return redact_text(extra, names)
    if not isinstance(data, dict):
        return redact_text(extra, names)
    kept: dict[str, Any] = {}
    for column, value in data.items():
        if personal_column(column) is not None:
            continue
        kept[column] = redact_text(value, names) if isinstance(value, str) else value
    if kept == data:
        return extra
    return json.dumps(kept, ensure_ascii=False) if kept else None


def person_names(extra: str | None) -> list[str]:
    """The names written in the personal name columns of ``extra`` (联系人, 反映人 …)."""
    if not extra:
        return []
    try:
        data = json.loads(extra)
    except ValueError:
        return []
    if not isinstance(data, dict):
        return []
    return [v for c, v in data.items() if isinstance(v, str) and personal_column(c) == "person"]


FIELDS: dict[str, Callable[[Any], Any]] = {
    "resident": mask_name,
    "phone": mask_phone,
    "address": building_address,
}


def redact_value(key: str, value: Any, names: tuple[str, ...]) -> Any:
    """One member of a case or of a payload as the copy has it."""
    if key in FIELDS:
        return FIELDS[key](value) if value is None or isinstance(value, str) else value
    if key == "extra":
        return without_personal(value, names) if value is None or isinstance(value, str) else value
    if key in TEXTS and isinstance(value, str):
        return redact_text(value, names)
    return value


def names_in(values: Mapping[str, Any]) -> set[str]:
    """The residents' names a case row or an event's payload writes: its resident, the name columns of its
    ``extra``, and both sides of an amend's change to either."""
    found: set[str] = set()

    def take(member: str, value: Any) -> None:
        if not isinstance(value, str):
            return
        if member == "resident":
            found.add(value.strip())
        else:
            found.update(name.strip() for name in person_names(value))

    for member in ("resident", "extra"):
        take(member, values.get(member))
        changes = values.get("changes")
        change = changes.get(member) if isinstance(changes, dict) else None
        if isinstance(change, dict):
            for side in change.values():
                take(member, side)
    return found


def name_order(names: Iterable[str]) -> tuple[str, ...]:
    """Names to mask in text, longest first. One of a single character, or masked already, is left out:
    masking it in text would hit unrelated words."""
    named = {name for name in names if len(name) >= 2 and "*" not in name}
    return tuple(sorted(named, key=lambda name: (-len(name), name)))


def redact_events(payloads: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """A case's payloads in recorded order, each redacted with the names written by it and the events before
    it. An event's copy depends on nothing recorded after it (the events are append-only), so a later copy
    of the ledger gives each earlier event exactly as an earlier copy did."""
    return redact_case(payloads)[0]


def redact_case(payloads: Iterable[Mapping[str, Any]]) -> tuple[list[dict[str, Any]], tuple[str, ...] | None]:
    """``redact_events``, and the names every event was redacted with when they were the same for all (the
    usual case: no later step brought a new name), else None. With one set of names for all, a case's own
    values redact to what its redacted events fold to."""
    known: set[str] = set()
    names: tuple[str, ...] = ()
    grew = False
    redacted: list[dict[str, Any]] = []
    for payload in payloads:
        more = names_in(payload) - known
        if more:
            known |= more
            ordered = name_order(known)
            grew = grew or (bool(redacted) and ordered != names)
            names = ordered
        redacted.append(redact_payload(payload, names))
    return redacted, None if grew else names


# What a reply is judged against (``domain.reply_quality``): when redaction changes one of them, the case's
# judgement is made again from its redacted steps.
REPLY_TEXTS = ("description", "title", "result")


def touches_reply(payload: Mapping[str, Any], redacted: Mapping[str, Any]) -> bool:
    """The redaction changed a text of this step that a reply is judged against."""
    if any(payload.get(key) != redacted.get(key) for key in REPLY_TEXTS):
        return True
    changes, after = payload.get("changes"), redacted.get("changes")
    if not isinstance(changes, dict) or not isinstance(after, dict):
        return False
    return any(changes.get(key) != after.get(key) for key in REPLY_TEXTS)


def redact_payload(payload: Mapping[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    """An event's payload as the copy has it; an amend's ``changes`` keep both sides, each redacted."""
    redacted: dict[str, Any] = {}
    for key, value in payload.items():
        if key == "changes" and isinstance(value, dict):
            value = {
                field: (
                    {side: redact_value(field, v, names) for side, v in change.items()}
                    if isinstance(change, dict)
                    else change
                )
                for field, change in value.items()
            }
        else:
            value = redact_value(key, value, names)
        redacted[key] = value
    return redacted
