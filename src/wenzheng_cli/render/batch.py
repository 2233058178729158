"""Answers of the commands that take several cases (``CASE...``), and of the corrections (undo, rename).

With one case a batch answers as a single command does (the case, or its refusal). With several: a line per
case done, each refused case named on stderr with its reason, and exit 1 when any was refused; ``--json``
gives ``[{number, ok, case | error}]``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from wenzheng_cli.domain.models import ACTION_LABELS, Case
from wenzheng_cli.errors import WenzhengError
from wenzheng_cli.render import console
from wenzheng_cli.render.cases import CaseDone, case_json, case_line
from wenzheng_cli.render.output import emit
from wenzheng_cli.render.timeline import event_text, short_time

if TYPE_CHECKING:
    from rich.console import Console

    from wenzheng_cli.core.batch import Batch
    from wenzheng_cli.core.corrections import Renamed, Undo

Verb = str | Callable[[Case], str]


def _verb(verb: Verb, case: Case) -> str:
    return verb if isinstance(verb, str) else verb(case)


@dataclass(frozen=True)
class BatchView:
    batch: Batch
    verb: Verb
    show_pii: bool = False

    def to_json(self) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        for o in self.batch.outcomes:
            if o.case is not None:
                rows.append({"number": o.number, "ok": True, "case": case_json(o.case, self.show_pii)})
            elif o.error is not None:
                rows.append({"number": o.number, "ok": False, "error": o.error.message, "hint": o.error.hint})
        return rows

    def show(self, out: Console) -> None:
        for o in self.batch.done:
            assert o.case is not None
            out.print(case_line(o.case, _verb(self.verb, o.case)), markup=False, soft_wrap=True)


def emit_batch(batch: Batch, verb: Verb, as_json: bool, show_pii: bool = False) -> None:
    """Print the answer; a refusal (of the one case, or of any of several) ends in ``WenzhengError``."""
    if not batch.several:
        only = batch.outcomes[0]
        if only.error is not None:
            raise only.error
        assert only.case is not None
        emit(CaseDone(only.case, _verb(verb, only.case), show_pii), as_json)
        return
    emit(BatchView(batch, verb, show_pii), as_json)
    refused = batch.refused
    if not refused:
        return
    for o in refused:
        assert o.error is not None
        message = o.error.message
        console.error(message if o.number in message else f"{o.number}: {message}", o.error.hint)
    numbers = "、".join(o.number for o in refused)
    raise WenzhengError(
        f"{len(batch.outcomes)} 件中 {len(refused)} 件未办理（{numbers}），其余 {len(batch.done)} 件已办理",
        hint="未办理的原因见上；改正后只需对这几件重新执行",
    )


@dataclass(frozen=True)
class UndoView:
    """``undo``: the case as it now stands and the step taken back."""

    undo: Undo
    show_pii: bool = False

    def to_json(self) -> dict[str, Any]:
        data = case_json(self.undo.case, self.show_pii)
        data["undone"] = {
            "id": self.undo.event.id,
            "action": self.undo.event.action.value,
            "at": self.undo.event.at,
        }
        return data

    def show(self, out: Console) -> None:
        case = self.undo.case
        out.print(
            f"已撤销 {case.number} {undo_label(self.undo, self.show_pii)}", markup=False, soft_wrap=True
        )
        out.print(case_line(case, "现在"), markup=False, soft_wrap=True)


def undo_label(undo: Undo, show_pii: bool = False) -> str:
    """``2026-11-20 09:30 的办结（王芳: 结果: 已更换灯泡）``: the step an undo takes back, as the clerk typed it."""
    e = undo.event
    detail = event_text(e, show_pii, {})
    return f"{short_time(e.at)} 的{ACTION_LABELS[e.action]}（{e.actor}" + (
        f": {detail}）" if detail else "）"
    )


@dataclass(frozen=True)
class RenamedView:
    renamed: Renamed

    def to_json(self) -> dict[str, Any]:
        return self.renamed.as_dict()

    def show(self, out: Console) -> None:
        r = self.renamed
        out.print(
            f"已把「{r.old}」并入「{r.new}」: 更正 {len(r.numbers)} 件案件，列表中不再有「{r.old}」",
            markup=False,
            soft_wrap=True,
        )
