"""Several cases at once (``CASE...``): one step recorded on each case on its own, in its own transaction.

A case refused (wrong status, not found, 实名认领 …) changes nothing of its own and does not stop the others;
the answer says, case by case, what became of each. What was typed (every number and range, the numbers piped
in, the business time) is read and checked first: a word that names no case refuses the whole command before
any case is touched.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from wenzheng_cli.core.cases import Step, find
from wenzheng_cli.core.session import Session
from wenzheng_cli.core.timing import business_time
from wenzheng_cli.domain.case_numbers import STDIN, Span, parse_piped, parse_token
from wenzheng_cli.domain.ids import format_number, other_office
from wenzheng_cli.domain.models import Case
from wenzheng_cli.errors import UsageError, WenzhengError, command, phrase
from wenzheng_cli.store.cases import next_seq

Progress = Callable[[int, int], None]  # (cases done or refused so far, cases in all)


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
    several: bool  # more than one case was named, or a range, or ``-`` (the same case twice is done once)
    bulk: bool = False  # a range or ``-`` named the cases: the answer ends with a count

    @property
    def refused(self) -> list[BatchItem]:
        return [item for item in self.items if not item.ok]

    @property
    def done(self) -> list[BatchItem]:
        return [item for item in self.items if item.ok]


def each(
    session: Session,
    refs: Sequence[str],
    step: Step,
    piped: str | None = None,
    progress: Progress | None = None,
) -> Batch:
    """Record ``step`` on every case named (each once, in the order typed), each in its own transaction.

    ``piped`` is what standard input held, for the word ``-``; ``progress`` hears of each case as it is done.
    """
    if not refs:
        raise UsageError("缺少案件编号", hint=phrase("例如 ", command("claim", "42", "43", "45")))
    for ref in refs:
        if other_office(ref, session.settings.office) is not None:
            find(session.ledger.conn, session, ref)  # another office's case held here is refused as such
    spans = _spans(session, refs, step.at, piped)
    if step.at is not None:
        business_time(session, step.at)  # a business time that cannot be read refuses before any case
    numbers = _numbers(session, spans)
    items: list[BatchItem] = []
    for done, number in enumerate(numbers, start=1):
        try:
            items.append(BatchItem(number, case=step.on(session, number)))
        except UsageError:
            raise
        except WenzhengError as exc:
            items.append(BatchItem(number, error=exc))
        if progress is not None:
            progress(done, len(numbers))
    bulk = any(span.ranged for span in spans) or any(ref.strip() == STDIN for ref in refs)
    return Batch(tuple(items), several=bulk or len(refs) > 1, bulk=bulk)


def _spans(session: Session, refs: Sequence[str], at: str | None, piped: str | None) -> list[Span]:
    """Every word typed as the cases it names, all read before any case is touched."""
    office, year = session.settings.office, session.now.year
    spans: list[Span] = []
    read_pipe = False
    for ref in refs:
        if ref.strip() == STDIN:
            if not read_pipe:
                spans += parse_piped(piped or "", office, year)
                read_pipe = True
            continue
        spans.append(parse_token(ref, office, year, at))
    return spans


def _numbers(session: Session, spans: list[Span]) -> list[str]:
    """The full numbers of the spans, each once, in order; a range that matches no case at all is refused."""
    office = session.settings.office
    last: dict[int, int] = {}
    numbers: dict[str, None] = {}
    for span in spans:
        if span.ranged:
            if span.year not in last:
                last[span.year] = next_seq(session.ledger.conn, office, span.year) - 1
            if span.first > last[span.year]:
                top = last[span.year]
                raise WenzhengError(
                    f"范围「{span.typed[:40]}」中没有案件"
                    + (f"（{span.year} 年的案件编到 {top} 号）" if top else f"（{span.year} 年还没有案件）"),
                    hint=phrase("用 ", command("list"), " 查看案件编号；只写序号时指本年度的案件"),
                )
        for seq in span.numbers():
            numbers.setdefault(format_number(office, span.year, seq))
    return list(numbers)
