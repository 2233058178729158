"""Several cases at once from the command line (``CASE...``): the numbers piped in for ``-``, a progress bar for a
long batch on a terminal, and the answer."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from wenzheng_cli.core.batch import Progress, each
from wenzheng_cli.domain.case_numbers import STDIN
from wenzheng_cli.errors import WenzhengError, command, option, phrase
from wenzheng_cli.render import console
from wenzheng_cli.render.batch import emit_batch

if TYPE_CHECKING:
    from rich.progress import Progress as Bar
    from rich.progress import TaskID

    from wenzheng_cli.core.cases import Step
    from wenzheng_cli.core.session import Session
    from wenzheng_cli.domain.models import Case

LONG_BATCH = 200  # cases from which a batch on a terminal shows its progress


def run_each(
    session: Session, refs: list[str], step: Step, verb: str | Callable[[Case], str], as_json: bool
) -> None:
    """Record ``step`` on each case named, each on its own, and answer for all."""
    piped = piped_numbers() if any(ref.strip() == STDIN for ref in refs) else None
    with _progress() as progress:
        batch = each(session, refs, step, piped, progress)
    emit_batch(batch, verb, as_json)


def piped_numbers() -> str:
    """What standard input holds for ``-``: refused at once when nothing is piped in (a terminal would wait)."""
    if _terminal():
        raise WenzhengError(
            "「-」表示从标准输入读取案件编号，但没有从管道输入",
            hint=phrase(
                "例如 ",
                command("list", option("status", "resolved"), option("json")),
                " | ",
                command("revisit", STDIN, option("rating", "满意")),
            ),
        )
    stream = getattr(sys.stdin, "buffer", None)
    data = stream.read() if stream is not None else sys.stdin.read().encode("utf-8", "surrogateescape")
    return _decode(data)


def _terminal() -> bool:
    return sys.stdin is None or sys.stdin.isatty()


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise WenzhengError("标准输入不是文本（既不是 UTF-8 也不是 GBK）", hint="每行写一个案件编号")


@contextmanager
def _progress() -> Iterator[Progress | None]:
    """A progress bar on stderr for a long batch, only when stderr is a terminal (gone when the batch ends)."""
    if not sys.stderr.isatty():
        yield None
        return
    shown: list[tuple[Bar, TaskID]] = []

    def update(done: int, total: int) -> None:
        if total < LONG_BATCH:
            return
        if not shown:
            # the progress bar's machinery is slow to load: loaded only when a long batch shows one
            from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeRemainingColumn

            bar = console.err_bar(
                TextColumn("办理", markup=False), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn()
            )
            bar.start()
            shown.append((bar, bar.add_task("办理", total=total)))
        bar, task = shown[0]
        bar.update(task, completed=done)

    try:
        yield update
    finally:
        if shown:
            shown[0][0].stop()
