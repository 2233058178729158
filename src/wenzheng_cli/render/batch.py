"""Answers of the commands that take several cases (``CASE...``), and of the corrections (undo, rename).

With one case a batch answers as a single command does (the case, or its refusal). With several: a line per
case done, each refused case named on stderr with its reason, and exit 1 when any was refused; ``--json``
gives ``[{number, ok, case | error}]``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Self

from wenzheng_cli.domain.jsonvalue import JsonValue, key, screen
from wenzheng_cli.domain.models import ACTION_LABELS, Action, Case
from wenzheng_cli.errors import WenzhengError
from wenzheng_cli.render import console
from wenzheng_cli.render.cases import CaseDone, case_line
from wenzheng_cli.render.output import emit
from wenzheng_cli.render.phrases import say, say_hint
from wenzheng_cli.render.rows import CaseRow, EventRow
from wenzheng_cli.render.timeline import event_text, short_time

if TYPE_CHECKING:
    from rich.console import Console

    from wenzheng_cli.core.batch import Batch
    from wenzheng_cli.core.corrections import Renamed, Undo

Verb = str | Callable[[Case], str]


def _verb(verb: Verb, case: Case) -> str:
    return verb if isinstance(verb, str) else verb(case)


@dataclass(frozen=True)
class BatchRow(JsonValue):
    """One case of several: done (``case``: as it now stands) or refused (``error`` and ``hint``, spelled)."""

    number: str
    ok: bool
    case: CaseRow | None = None
    error: str | None = None
    hint: str | None = None

    def to_json(self) -> dict[str, Any]:
        if self.ok:
            assert self.case is not None
            return {"number": self.number, "ok": True, "case": self.case.to_json()}
        return {"number": self.number, "ok": False, "error": self.error, "hint": self.hint}

    @classmethod
    def from_json(cls, data: Any, **screen: Any) -> Self:
        if data["ok"]:
            return cls(data["number"], True, CaseRow.from_json(data["case"]))
        return cls(data["number"], False, error=data["error"], hint=data["hint"])


@dataclass(frozen=True)
class BatchView(JsonValue):
    """Several cases at once: a row per case, in the order named; ``verbs``: what was done to each case done."""

    rows: tuple[BatchRow, ...]
    verbs: tuple[str, ...] = screen(())
    bulk: bool = screen(False)  # named by a range or ``-``: ends with how many were done

    @classmethod
    def of(cls, batch: Batch, verb: Verb, show_pii: bool = False) -> BatchView:
        rows: list[BatchRow] = []
        verbs: list[str] = []
        for o in batch.items:
            if o.case is not None:
                rows.append(BatchRow(o.number, True, CaseRow.of(o.case, show_pii)))
                verbs.append(_verb(verb, o.case))
            elif o.error is not None:
                rows.append(
                    BatchRow(o.number, False, error=say(o.error.message), hint=say_hint(o.error.hint))
                )
        return cls(tuple(rows), tuple(verbs), batch.bulk)

    def to_json(self) -> list[dict[str, Any]]:
        return [row.to_json() for row in self.rows]

    @classmethod
    def from_json(cls, data: Any, **screen: Any) -> Self:
        return cls(tuple(BatchRow.from_json(row) for row in data), **screen)

    def show(self, out: Console) -> None:
        done = [row.case for row in self.rows if row.case is not None]
        verbs = self.verbs or ("",) * len(done)
        lines = [case_line(case, verb) for case, verb in zip(done, verbs, strict=True)]
        if self.bulk:
            refused = len(self.rows) - len(done)
            lines.append(
                f"共 {len(self.rows)} 件: 已办理 {len(done)} 件"
                + (f"，未办理 {refused} 件" if refused else "")
            )
        if lines:  # one print for all: a batch of thousands prints as fast as one line
            out.print("\n".join(lines), markup=False, soft_wrap=True)


def emit_batch(batch: Batch, verb: Verb, as_json: bool, show_pii: bool = False) -> None:
    """Print the answer; a refusal (of the one case, or of any of several) ends in ``WenzhengError``."""
    if not batch.several:
        only = batch.items[0]
        if only.error is not None:
            raise only.error
        assert only.case is not None
        emit(CaseDone.of(only.case, _verb(verb, only.case), show_pii), as_json)
        return
    view = BatchView.of(batch, verb, show_pii)
    emit(view, as_json)
    refused = [row for row in view.rows if not row.ok]
    if not refused:
        return
    if view.bulk:
        numbers = _grouped(refused)
    else:
        for row in refused:
            message = row.error or ""
            console.error(message if row.number in message else f"{row.number}: {message}", row.hint)
        numbers = "、".join(row.number for row in refused[:SHOWN_REFUSED])
        numbers += f" 等 {len(refused)} 件" if len(refused) > SHOWN_REFUSED else ""
    raise WenzhengError(
        f"{len(view.rows)} 件中 {len(refused)} 件未办理（{numbers}），其余 {len(view.rows) - len(refused)} 件已办理",
        hint="未办理的原因见上；改正后只需对这几件重新执行",
    )


SHOWN_REFUSED = 20  # numbers (or runs of numbers) a line names before it says how many in all


def _grouped(refused: list[BatchRow]) -> str:
    """A bulk batch's refusals on stderr, one line per reason (cases refused for the same reason together:
    a range past the last case, a thousand imported cases the operator may not revisit); the numbers refused,
    for the closing line."""
    groups: dict[tuple[str, str], list[BatchRow]] = {}
    for row in refused:
        groups.setdefault(_reason(row), []).append(row)
    for (reason, _), rows in groups.items():
        first = rows[0]
        if len(rows) == 1:
            message = first.error or ""
            console.error(message if first.number in message else f"{first.number}: {message}", first.hint)
        else:
            console.error(f"{_numbers(rows)}（{len(rows)} 件）: {reason}", first.hint)
    return _numbers(refused)


def _reason(row: BatchRow) -> tuple[str, str]:
    """What a refusal says with the case's own number taken out: the same for every case refused alike."""
    reason = (row.error or "").replace(row.number, "").strip(" :：，")
    return reason, (row.hint or "").replace(row.number, "#")


def _numbers(rows: list[BatchRow]) -> str:
    """``YL-2026-0004 至 YL-2026-0009、YL-2026-0012``: the numbers, runs of consecutive ones as one."""
    runs: list[list[str]] = []
    for row in rows:
        if runs and _follows(runs[-1][-1], row.number):
            runs[-1].append(row.number)
        else:
            runs.append([row.number])
    shown = [run[0] if len(run) == 1 else f"{run[0]} 至 {run[-1]}" for run in runs[:SHOWN_REFUSED]]
    return "、".join(shown) + (f" 等 {len(rows)} 件" if len(runs) > SHOWN_REFUSED else "")


def _follows(before: str, after: str) -> bool:
    """``YL-2026-0061`` then ``YL-2026-0062``: the same office and year, the next sequence number."""
    head, _, seq = before.rpartition("-")
    next_head, _, next_seq = after.rpartition("-")
    return head == next_head and seq.isdigit() and next_seq.isdigit() and int(next_seq) == int(seq) + 1


@dataclass(frozen=True)
class UndoneStep(JsonValue):
    """The step an undo took back: its event, action and business time."""

    id: str
    action: Action
    at: str


@dataclass(frozen=True)
class UndoView(JsonValue):
    """``undo``: the case as it now stands and the step taken back (``label``: that step as the clerk typed
    it, which the JSON names only by its event)."""

    case: CaseRow
    undone: UndoneStep
    label: str = screen("")

    @classmethod
    def of(cls, undo: Undo, show_pii: bool = False) -> UndoView:
        e = undo.event
        return cls(
            CaseRow.of(undo.case, show_pii), UndoneStep(e.id, e.action, e.at), undo_label(undo, show_pii)
        )

    def to_json(self) -> dict[str, Any]:
        data = self.case.to_json()
        data["undone"] = self.undone.to_json()
        return data

    @classmethod
    def from_json(cls, data: Any, **screen: Any) -> Self:
        case = CaseRow.from_json({k: v for k, v in data.items() if k != "undone"})
        return cls(case, UndoneStep.from_json(data["undone"]), **screen)

    def show(self, out: Console) -> None:
        out.print(f"已撤销 {self.case.number} {self.label}", markup=False, soft_wrap=True)
        out.print(case_line(self.case, "现在"), markup=False, soft_wrap=True)


def undo_label(undo: Undo, show_pii: bool = False) -> str:
    """``2026-11-20 09:30 的办结（王芳: 结果: 已更换灯泡）``: the step an undo takes back, as the clerk typed it."""
    e = EventRow.of(undo.event, show_pii)
    detail = event_text(e, {})
    return f"{short_time(e.at)} 的{ACTION_LABELS[e.action]}（{e.actor}" + (
        f": {detail}）" if detail else "）"
    )


@dataclass(frozen=True)
class RenamedView(JsonValue):
    """``config rename``: the value merged into another, the cases corrected, the office's list after."""

    kind: str
    old: str
    new: str
    numbers: tuple[str, ...] = key("cases")
    values: tuple[str, ...] = key("values")

    @classmethod
    def of(cls, renamed: Renamed) -> RenamedView:
        r = renamed
        return cls(r.kind, r.old, r.new, tuple(r.numbers), tuple(r.values))

    def show(self, out: Console) -> None:
        out.print(
            f"已把「{self.old}」并入「{self.new}」: 更正 {len(self.numbers)} 件案件，列表中不再有「{self.old}」",
            markup=False,
            soft_wrap=True,
        )
