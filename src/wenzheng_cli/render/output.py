"""The one output step of every command: a view of its result, printed for people or as JSON for programs.

A command body is parse → one core call → ``emit(SomeView(result), as_json)``. A view knows both shapes of one
result: ``to_json()`` (the JSON of the CLI contract) and ``show(console)`` (what a clerk reads). Reports, which
also go to files in several formats, go through ``render.report_output``.
"""

from __future__ import annotations

from typing import Any, Protocol

from rich.console import Console

from wenzheng_cli.render import console


class View(Protocol):
    def to_json(self) -> Any: ...

    def show(self, out: Console) -> None: ...


def emit(view: View, as_json: bool) -> None:
    if as_json:
        console.write_json(view.to_json())
    else:
        view.show(console.out())
