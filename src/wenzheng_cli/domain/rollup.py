"""Pure rules of the street's roll-up (``wenzheng rollup``): a ledger's identity, and what the street's own
mappings do to a case rebuilt from another office's events.

A case of another office is the fold of its events, then ``settle``: the street's renames of list values
(``config rename`` on the street ledger: its own cases get amend events, the others' are mapped here, at every
rebuild, so that a later roll-up of a case still carrying the old value shows the new one) and the street's
number for the 问政 activity the community's ledger numbered its own way. ``check`` settles the same way, so a
rolled-up case is exactly its events as the street maps them.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from wenzheng_cli.domain.ids import new_ulid
from wenzheng_cli.domain.models import Case

_ALPHABET = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_ULID = re.compile(r"^[0-9A-HJKMNP-TV-Z]{26}$")

# The fields a street maps (the list fields of ``domain.taxonomy.FIELD_LISTS``).
MAPPED_FIELDS = ("category", "channel", "nature", "community", "grid")
# What ``rollup`` lists as values the street's lists lack.
UNMAPPED_FIELDS = MAPPED_FIELDS

Renames = Mapping[str, Mapping[str, str]]  # field -> old value -> the street's value


def ledger_id(first_event: str | None) -> str:
    """A ledger's identity (a ULID). A ledger made before identities existed gets one derived from its first
    event, so that every copy of it — upgraded on its own, or read through the migrations by a roll-up —
    carries the same one; an empty ledger gets a new one."""
    if first_event is None or not _ULID.match(first_event):
        return new_ulid()
    digest = hashlib.sha256(b"wenzheng-ledger:" + first_event.encode()).digest()
    tail = bytes(_ALPHABET[b & 31] for b in digest[:16]).decode()
    return first_event[:10] + tail


def chain(renames: Mapping[str, str], old: str, new: str) -> dict[str, str]:
    """One field's renames after ``old`` becomes ``new``: what mapped to ``old`` now maps to ``new`` too, and
    a value renamed back to itself maps nowhere."""
    result = {k: (new if v == old else v) for k, v in renames.items()}
    result[old] = new
    return {k: v for k, v in result.items() if k != v}


def settle(case: Case, renames: Renames, activities: Mapping[int, int]) -> Case:
    """Case ``case`` of another office as the street holds it: its list values renamed as the street renamed
    them, its activity by the street's number (none when the street does not hold that activity)."""
    changes: dict[str, Any] = {}
    for name in MAPPED_FIELDS:
        value = getattr(case, name)
        mapped = renames.get(name, {}).get(value) if value is not None else None
        if mapped is not None:
            changes[name] = mapped
    if case.activity_id is not None:
        changes["activity_id"] = activities.get(case.activity_id)
    return replace(case, **changes) if changes else case
