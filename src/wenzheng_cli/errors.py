"""The one exception type users see, and the words it is made of.

Every refusal or invalid input is a ``WenzhengError``: a Chinese message that says what is wrong (naming the
case, row or field, never a resident's personal data), an optional hint that says the fix, and an exit code
(1 refused/invalid, 2 usage).

A message or hint is a ``Phrase``: plain text, or a tuple of text and ``Option``/``Command`` pieces — an option
of a command and a command to run next, as data. Nothing below the front ends spells a command line: each front
end spells the pieces its own way (``spell`` with its ``Style``); the command line writes ``--at`` and
``wenzheng assign 42 --to 王芳``, another front end a field name and a form of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Option:
    """An option of a command by its long name without dashes (``at``, ``show-pii``), with a value or not."""

    name: str
    value: str | None = None
    prose: bool = False  # the value is free text (a reason, a result), which a command line quotes


def option(name: str, value: str | None = None, *, prose: bool = False) -> Option:
    return Option(name, value, prose)


class Prose(str):
    """A word of a command that is free text (a case's text, a reason), which a command line quotes."""

    __slots__ = ()


@dataclass(frozen=True)
class Command:
    """A command to run: its name (``assign``, ``config set``) and its arguments in order (words and
    ``Option``s); the options ``db`` and ``operator`` are the global ones."""

    name: str
    args: tuple[str | Option, ...] = ()


def command(name: str, *args: str | Option) -> Command:
    return Command(name, tuple(args))


Piece = str | Option | Command
Phrase = str | tuple[Piece, ...]


def phrase(*pieces: Piece) -> Phrase:
    """Pieces as one phrase (plain text when they are all text)."""
    if all(isinstance(p, str) for p in pieces):
        return "".join(p for p in pieces if isinstance(p, str))
    return tuple(pieces)


def pieces(text: Phrase) -> tuple[Piece, ...]:
    return (text,) if isinstance(text, str) else text


class Style(Protocol):
    """How a front end writes the pieces of a phrase."""

    def option(self, option: Option) -> str: ...

    def command(self, command: Command) -> str: ...


class Plain:
    """The spelling of no front end in particular: names as they are (logs, ``str(error)``)."""

    def option(self, option: Option) -> str:
        return option.name if option.value is None else f"{option.name}={option.value}"

    def command(self, command: Command) -> str:
        return " ".join([command.name, *(a if isinstance(a, str) else self.option(a) for a in command.args)])


PLAIN = Plain()


def spell(text: Phrase, style: Style) -> str:
    if isinstance(text, str):
        return text
    out: list[str] = []
    for piece in text:
        if isinstance(piece, str):
            out.append(piece)
        elif isinstance(piece, Option):
            out.append(style.option(piece))
        else:
            out.append(style.command(piece))
    return "".join(out)


class WenzhengError(Exception):
    def __init__(self, message: Phrase, hint: Phrase | None = None, code: int = 1) -> None:
        super().__init__(spell(message, PLAIN))
        self.message = message
        self.hint = hint
        self.code = code

    def __str__(self) -> str:
        return spell(self.message, PLAIN)


class UsageError(WenzhengError):
    """Something the command line itself lacks (exit code 2)."""

    def __init__(self, message: Phrase, hint: Phrase | None = None) -> None:
        super().__init__(message, hint, code=2)


class FieldError(WenzhengError):
    """A typed value of one field refused (``field``: the case field it was for), so that a prompt on a
    terminal can ask for that field again and keep the others."""

    def __init__(self, field: str, message: Phrase, hint: Phrase | None = None) -> None:
        super().__init__(message, hint)
        self.field = field
