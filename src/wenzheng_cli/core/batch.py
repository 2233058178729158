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
from wenzheng_cli.errors import UsageError, WenzhengError


@dataclass(frozen=True)
class Outcome:
    """What became of one case: done (``case``) or refused (``error``)."""

    number: str
    case: Case | None = None
    error: WenzhengError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(frozen=True)
class Batch:
    outcomes: tuple[Outcome, ...]
    several: bool  # more than one case was named (the same case named twice is done once)

    @property
    def refused(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.ok]

    @property
    def done(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.ok]


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
        raise UsageError("缺少案件编号", hint="例如 wenzheng claim 42 43 45")
    outcomes: list[Outcome] = []
    seen: set[str] = set()
    for ref in refs:
        number = number_of(session, ref)
        if number in seen:
            continue
        seen.add(number)
        try:
            outcomes.append(Outcome(number, case=step.on(session, ref)))
        except UsageError:
            raise
        except WenzhengError as exc:
            outcomes.append(Outcome(number, error=exc))
    return Batch(tuple(outcomes), several=len(refs) > 1)
