"""The one output step of every command: a view of its result, printed for people or as JSON for programs.

A command body is parse → one core call → ``emit(SomeView.of(result), as_json)``. A view is a typed value
(``domain.jsonvalue``): its fields are its JSON, ``to_json()`` gives the JSON of the CLI contract and
``SomeView.from_json(data)`` rebuilds the value from it, and ``show(console)`` draws what a clerk reads from
those fields alone, so a client that rebuilt a result from the JSON shows what this command line shows. The
few things a screen shows that the fixed JSON shapes leave out (the verb of the command run, the page of a
list) are screen fields, passed to ``from_json`` again. Reports, which also go to files in several formats, go
through ``render.report_output``; their models rebuild from their JSON with ``from_dict``.
"""

from __future__ import annotations

from typing import Any, Protocol

from rich.console import Console

from wenzheng_cli.render import console


class View(Protocol):
    """A typed result: its JSON, and how it shows."""

    def to_json(self) -> Any: ...

    def show(self, out: Console) -> None: ...


def emit(view: View, as_json: bool) -> None:
    if as_json:
        console.write_json(view.to_json())
    else:
        view.show(console.out())
