"""The client's terminal as a command run on the server sees it: standard input, output and error in memory (a
terminal when the client's is one), the client's size and colour settings in the environment, and the clerk's
answers to the command's questions, read in order; a question with no answer yet ends the run (``NeedAnswer``)."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from wenzheng_cli.serve import wire


class NeedAnswer(BaseException):
    """The command asked a question the request has no answer for (not an error: the client asks the clerk)."""


class Tap(io.BytesIO):
    """Where a stream's bytes go: noted in the one list both streams share, in the order they were written (so
    that a prompt on stderr and the space after it on stdout reach the clerk in that order)."""

    def __init__(self, stream: int, written: list[tuple[int, bytes]]) -> None:
        super().__init__()
        self._stream = stream
        self._written = written

    def write(self, data: Any) -> int:
        chunk = bytes(data)
        if chunk:
            self._written.append((self._stream, chunk))  # joined with its neighbours once the command ends
        return len(chunk)

    def writelines(self, lines: Any) -> None:
        """Each piece through ``write`` (``BytesIO.writelines`` would store them past it: a report's JSON)."""
        for line in lines:
            self.write(line)


class Out(io.TextIOWrapper):
    """Standard output (1) or error (2) of one command: kept in memory, a terminal when the client's is one."""

    def __init__(self, stream: int, tty: bool, written: list[tuple[int, bytes]]) -> None:
        super().__init__(
            Tap(stream, written), encoding="utf-8", errors="replace", newline="\n", write_through=True
        )
        self._tty = tty

    def isatty(self) -> bool:
        return self._tty


class In(io.TextIOWrapper):
    """Standard input of one command: what the client sent, and on a terminal the clerk's answers in order."""

    def __init__(self, data: bytes, tty: bool, answers: list[str]) -> None:
        super().__init__(io.BytesIO(data), encoding="utf-8", errors="replace", newline=None)
        self._tty = tty
        self._answers = list(answers)

    def isatty(self) -> bool:
        return self._tty

    def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
        if not self._tty:
            return super().readline(-1 if size is None else size)
        if not self._answers:
            raise NeedAnswer
        return self._answers.pop(0) + "\n"


@contextmanager
def streams(stdin: In, stdout: Out, stderr: Out) -> Iterator[None]:
    saved = sys.stdin, sys.stdout, sys.stderr
    sys.stdin, sys.stdout, sys.stderr = stdin, stdout, stderr
    try:
        yield
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved


@contextmanager
def environment(terminal: wire.Terminal) -> Iterator[None]:
    """The client's terminal as the renderers read it: its size and colour settings, nothing of the server's.
    The operator of the server's own shell (``WENZHENG_OPERATOR``) is not the client's: the token says who it is."""
    names = ("COLUMNS", "LINES", "WENZHENG_OPERATOR", *wire.TERMINAL_ENV)
    saved = {name: os.environ.get(name) for name in names}
    wanted: dict[str, str | None] = {name: terminal.env.get(name) for name in wire.TERMINAL_ENV}
    wanted["WENZHENG_OPERATOR"] = None
    wanted["COLUMNS"] = str(terminal.columns) if terminal.columns else None
    wanted["LINES"] = str(terminal.lines) if terminal.lines else None
    try:
        for name, value in wanted.items():
            _setenv(name, value)
        yield
    finally:
        for name, value in saved.items():
            _setenv(name, value)


def _setenv(name: str, value: str | None) -> None:
    if value is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = value
