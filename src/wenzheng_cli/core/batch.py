"""Several cases at once (``CASE...``): one step recorded on each case on its own, in its own transaction.

A case refused (wrong status, not found, 实名认领 …) changes nothing of its own and does not stop the others;
the answer says, case by case, what became of each.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from wenzheng_cli.core.cases import Step
from wenzheng_cli.core.session import Session
from wenzheng_cli.domain.ids import format_number, parse_number
from wenzheng_cli.domain.models import Case
from wenzheng_cli.errors import UsageError, WenzhengError, command, phrase


@dataclass(frozen=True)
class BatchItem:
    """What became of one case of a batch: done (``case``) or refused (``error``). Not the outcome of a
    resolution (``domain.models.Outcome``)."""

    number: str
    case: Case | None = None
    error: WenzhengError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(frozen=True)
class Batch:
    items: tuple[BatchItem, ...]
    several: bool  # more than one case was named (the same case named twice is done once)

    @property
    def refused(self) -> list[BatchItem]:
        return [item for item in self.items if not item.ok]

    @property
    def done(self) -> list[BatchItem]:
        return [item for item in self.items if item.ok]


def number_of(session: Session, ref: str) -> str:
    """The full number a typed reference names (as typed when it names none)."""
    office = session.settings.office
    try:
        year, seq = parse_number(ref, office, session.now.year)
    except WenzhengError:
        return ref.strip()
    return format_number(office, year, seq)


def each(session: Session, refs: Sequence[str], step: Step) -> Batch:
    """Record ``step`` on every case named (each once, in the order typed), each in its own transaction."""
    if not refs:
        raise UsageError("缺少案件编号", hint=phrase("例如 ", command("claim", "42", "43", "45")))
    items: list[BatchItem] = []
    seen: set[str] = set()
    for ref in refs:
        number = number_of(session, ref)
        if number in seen:
            continue
        seen.add(number)
        try:
            items.append(BatchItem(number, case=step.on(session, ref)))
        except UsageError:
            raise
        except WenzhengError as exc:
            items.append(BatchItem(number, error=exc))
    return Batch(tuple(items), several=len(refs) > 1)
