"""Asking on a terminal: a refused answer is said, and only that field is asked again; what was typed stays."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any, TypeVar

import typer

from wenzheng_cli.cli.base import interactive
from wenzheng_cli.domain.fields import FIELD_LABELS
from wenzheng_cli.errors import FieldError, UsageError, WenzhengError
from wenzheng_cli.render import console

T = TypeVar("T")
R = TypeVar("R")


def ask(label: str, check: Callable[[str], object], *, optional: bool = False) -> str | None:
    """Ask until the answer passes ``check``; ``optional``: an empty answer is ``None``."""
    while True:
        answer: str = typer.prompt(label, default="" if optional else None, show_default=False)
        if optional and not answer.strip():
            return None
        try:
            check(answer)
        except UsageError:
            raise
        except WenzhengError as exc:
            console.error(exc.message, exc.hint)
            continue
        return answer


def _typed(field: str, answer: str | None) -> Any:
    if field == "difficulty":
        return int(answer) if answer and answer.strip().isdigit() else None
    return answer


def reasking(run: Callable[[T], R], data: T) -> R:
    """``run(data)``; on a terminal, when one field of ``data`` (a dataclass) is refused, ask for that field
    again and run once more with the others as they were typed."""
    while True:
        try:
            return run(data)
        except FieldError as exc:
            if not interactive():
                raise
            console.error(exc.message, exc.hint)
            label = FIELD_LABELS.get(exc.field, exc.field)
            answer = typer.prompt(f"请重新填写{label}（直接回车则不填）", default="", show_default=False)
            data = replace(data, **{exc.field: _typed(exc.field, answer.strip() or None)})  # type: ignore[type-var]
