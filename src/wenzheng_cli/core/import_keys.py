"""Source keys: is a row new, a repeat, a later export of a known case bringing new facts, or another case
that came with a key already taken?

A key is unique within its source (``留言编号:2549``; ``12345:2549`` with ``--source 12345``), never across
sources. A row whose key is known — in the ledger, or earlier in this import — is compared with every case that
key (and its alternatives ``key#…``) stands for:

- a row identical to one earlier in this import is a repeat: not imported, reported;
- a row that *agrees* with a known case — the same received time and text, and no other field (title, name,
  phone, address, category, nature, channel, community, grid, difficulty) set on both sides and different — is
  that case (a field a clerk corrected on it is not compared: it no longer says what the file said): what it adds (a 承办单位, a resolution, an acknowledgement) is recorded on it as events at their
  own business time (``updated``); with nothing to add, a row already in the ledger is skipped
  (``skipped_existing``) and one seen earlier in this import is a repeat;
- any other row is a different case that came with a known key (a platform reusing its numbers, two files
  numbered alike, one message labelled twice): imported as its own case under ``key#digest`` and flagged as a
  possible duplicate (reason ``key``) of the first case of that key. Nothing is dropped.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from wenzheng_cli.core.import_updates import fills
from wenzheng_cli.domain import import_fields
from wenzheng_cli.domain.fields import phone_digits
from wenzheng_cli.domain.models import UNRESOLVED, Case, Status
from wenzheng_cli.domain.text import normalise
from wenzheng_cli.store import import_stage as stage
from wenzheng_cli.store import imports as store

# The fields that say what a row is about, compared when both sides have them; and what a digest covers,
# everything the row would put on its case (``domain.import_fields``, in the digest's order).
AGREEMENT = import_fields.AGREEMENT
CONTENT = import_fields.CONTENT


def digest(fields: dict[str, Any]) -> str:
    text = "\x1f".join("" if fields.get(name) is None else str(fields[name]) for name in CONTENT)
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


@dataclass
class Known:
    """A case a key stands for: in the ledger (``pk``), or staged earlier in this import (``ord``)."""

    key: str
    case_id: str
    label: str  # how messages name it: "WZ-2024-0001", "第 3 行", "a.csv 第 3 行"
    values: dict[str, Any]  # received_at, description, phone and the AGREEMENT fields
    in_ledger: bool
    ref: int  # the case's pk, or the staged row's ord (0: staged in the batch under way)
    digest: str = ""
    unit: str | None = None
    concluded: bool = False  # resolved (or closed, withdrawn): no resolution or note may follow
    assigned: bool = False  # no longer 待交办: a unit can no longer be given by an import
    noted: bool = False  # an acknowledgement is on record already (staged rows)
    case: Case | None = None
    pending: dict[str, Any] | None = field(default=None, repr=False)  # the batch's row, while not yet staged


def from_case(case: Case) -> Known:
    status = case.status
    return Known(
        key=case.source_key or "",
        case_id=case.id,
        label=case.number,
        values={name: getattr(case, name) for name in ("received_at", "description", "phone", *AGREEMENT)},
        in_ledger=True,
        ref=0,
        unit=case.unit,
        concluded=status not in UNRESOLVED,
        assigned=status is not Status.REGISTERED,
        case=case,
    )


# What a staged row is compared by: where it came from, and everything it would put on its case.
STAGED_COLUMNS = ("key", "file", "row", "cid", *CONTENT)
Label = Callable[[int, int], str]  # (file index, row) → how messages name a row of this import


def staged(row: dict[str, Any], ord_: int, label: Label) -> Known:
    """A row staged earlier in this import (``ord_``; 0 while still in the batch under way)."""
    return Known(
        key=row["key"],
        case_id=row["cid"],
        label=label(row["file"], row["row"]),
        values={name: row[name] for name in ("received_at", "description", "phone", *AGREEMENT)},
        in_ledger=False,
        ref=ord_,
        digest=digest(row),
        unit=row["unit"],
        concluded=bool(row["on_site"] or row["resolved_at"]),
        assigned=bool(row["unit"]),
        noted=bool(row["note_at"]),
    )


def pending(fields: dict[str, Any], label: Label) -> Known:
    """A row of the batch under way, not staged yet: facts for it go straight into its fields."""
    known = staged({**fields, "key": fields["source_key"]}, 0, label)
    known.pending = fields
    return known


def families(conn: sqlite3.Connection, keys: list[str], label: Label) -> dict[str, list[Known]]:
    """The cases each of ``keys`` already stands for: in the ledger, then staged by this import."""
    found: dict[str, list[Known]] = {}
    by_key = store.cases_by_keys(conn, keys)
    corrected = store.corrected_fields(conn, [case.id for cases in by_key.values() for case in cases])
    for key, cases in by_key.items():
        found[key] = [from_case(case) for case in cases]
        for known in found[key]:
            # What a clerk corrected no longer says what the file said: the row is compared without it.
            for name in corrected.get(known.case_id, ()):
                if name in known.values and name not in ("received_at", "description"):
                    known.values[name] = None
    for key, rows in stage.family(conn, keys, STAGED_COLUMNS).items():
        members = found.setdefault(key, [])
        for ord_, *values in rows:
            members.append(staged(dict(zip(STAGED_COLUMNS, values, strict=True)), ord_, label))
    return found


class Kind(Enum):
    NEW = "new"
    REPEAT = "repeat"  # identical to (or adds nothing to) a row earlier in this import: not imported
    SKIP = "skip"  # a case of the ledger that the row adds nothing to
    UPDATE = "update"  # a known case the row adds facts to
    OTHER = "other"  # a different case under a known key: its own case, flagged


@dataclass
class Decision:
    kind: Kind
    known: Known | None = None
    facts: dict[str, Any] = field(default_factory=dict)


def _same_time(a: str, b: str) -> bool:
    """Equal, or one of them a bare date (midnight) on the other's day: exports differ in precision."""
    if a == b:
        return True
    if a[:10] != b[:10]:
        return False
    return a[11:19] == "00:00:00" or b[11:19] == "00:00:00"


def agrees(values: dict[str, Any], fields: dict[str, Any]) -> bool:
    if not _same_time(values["received_at"], fields["received_at"]):
        return False
    if normalise(values["description"] or "") != normalise(fields["description"] or ""):
        return False
    theirs, ours = values.get("phone"), fields.get("phone")
    if theirs and ours and phone_digits(theirs) != phone_digits(ours):
        return False
    for name in AGREEMENT:
        theirs, ours = values.get(name), fields.get(name)
        if theirs is not None and ours is not None and theirs != ours:
            return False
    return True


def new_facts(known: Known, fields: dict[str, Any]) -> dict[str, Any]:
    """What the row adds to the known case: a unit, a resolution, or an acknowledgement noted; and, to a case
    of the ledger whatever its status, a list value it lacks or columns kept with it that the row adds or
    changes (``core.import_updates.fills``)."""
    facts: dict[str, Any] = fills(known.case, fields) if known.in_ledger and known.case else {}
    if known.concluded:
        return facts
    if fields.get("unit") and known.unit is None and not known.assigned:
        facts["unit"] = fields["unit"]
    if fields.get("resolved_at"):
        for name in ("resolved_at", "result", "outcome", "feedback"):
            facts[name] = fields.get(name)
        facts.update(note_at=None, note_text=None)
    elif fields.get("note_at") and not known.noted:
        facts.update(note_at=fields["note_at"], note_text=fields["note_text"])
    return facts


def decide(family: list[Known], fields: dict[str, Any], row_digest: str) -> Decision:
    if not family:
        return Decision(Kind.NEW)
    for known in family:
        if not known.in_ledger and known.digest == row_digest:
            return Decision(Kind.REPEAT, known)
    agreeing = [k for k in family if agrees(k.values, fields)]
    for known in agreeing:
        facts = new_facts(known, fields)
        if facts:
            return Decision(Kind.UPDATE, known, facts)
    if agreeing:
        known = agreeing[0]
        return Decision(Kind.SKIP if known.in_ledger else Kind.REPEAT, known)
    return Decision(Kind.OTHER, family[0])


def alternative_key(key: str, row_digest: str, taken: set[str]) -> str:
    """The key of a different case that came with ``key``: found again by a re-import of the same row."""
    alt = f"{key}#{row_digest[:12]}"
    n = 2
    while alt in taken:
        alt = f"{key}#{row_digest[:12]}-{n}"
        n += 1
    return alt
