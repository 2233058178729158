"""What a command sent to ``wenzheng serve`` and its answer look like on the wire, shared by the server and the
client (which loads nothing else of the server).

One frame each way: eight bytes giving the length of a JSON header, the header, then the blobs the header lists
by size, one after another. A request's blobs are its standard input, then each input file; an answer's are the
command's standard output, its standard error, then each file it wrote. Files travel as bytes, never inside JSON,
so a large import or backup is streamed, not held in memory.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

VERSION = 1
PATH = "/api/run"
WHOAMI = "/api/whoami"
CHUNK = 1 << 16
HEADER_MAX = 1 << 20  # a header is argv, answers and names: far below this
_LENGTH = 8


class FrameError(ValueError):
    """A frame that does not read as one (cut short, or not this program's)."""


@dataclass(frozen=True)
class FileArg:
    """A file named on the command line: where in argv (``index``; the token is ``prefix`` + the path), whether
    the command reads it (``in``), writes it (``out``) or writes into a folder (``dir``), and how it was typed."""

    index: int
    prefix: str
    kind: str
    shown: str

    @property
    def name(self) -> str:
        """The file's own name as typed (its extension says its format), never a path: nothing else of what a
        client typed reaches the server's disk."""
        name = Path(self.shown.replace("\\", "/").rstrip("/")).name
        if name in ("", ".", "..") or "\x00" in name or len(name.encode()) > 200:
            return "file" + Path(name).suffix[:10] if name not in (".", "..") else "file"
        return name

    def to_json(self) -> dict[str, Any]:
        return {"index": self.index, "prefix": self.prefix, "kind": self.kind, "shown": self.shown}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FileArg:
        return cls(int(data["index"]), str(data["prefix"]), str(data["kind"]), str(data["shown"]))


@dataclass(frozen=True)
class Terminal:
    """What the client's terminal is: the command renders for it (widths, colour, prompts)."""

    stdin: bool = False
    stdout: bool = False
    stderr: bool = False
    columns: int | None = None
    lines: int | None = None
    env: dict[str, str] = field(default_factory=dict)  # TERM, COLORTERM, NO_COLOR, FORCE_COLOR as set there

    def to_json(self) -> dict[str, Any]:
        return {
            "stdin": self.stdin,
            "stdout": self.stdout,
            "stderr": self.stderr,
            "columns": self.columns,
            "lines": self.lines,
            "env": self.env,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Terminal:
        env = data.get("env") or {}
        return cls(
            bool(data.get("stdin")),
            bool(data.get("stdout")),
            bool(data.get("stderr")),
            _small_int(data.get("columns")),
            _small_int(data.get("lines")),
            {str(k): str(v) for k, v in env.items() if k in TERMINAL_ENV},
        )


TERMINAL_ENV = ("TERM", "COLORTERM", "NO_COLOR", "FORCE_COLOR")


def _small_int(value: object) -> int | None:
    if isinstance(value, int) and 0 < value < 10_000:
        return value
    return None


@dataclass(frozen=True)
class Request:
    id: str
    argv: list[str]
    terminal: Terminal
    files: list[FileArg]
    answers: list[str]
    sizes: list[int]  # standard input, then each input file (``kind == "in"``) in order

    def header(self) -> bytes:
        return _header(
            {
                "v": VERSION,
                "id": self.id,
                "argv": self.argv,
                "terminal": self.terminal.to_json(),
                "files": [f.to_json() for f in self.files],
                "answers": self.answers,
                "blobs": self.sizes,
            }
        )

    @classmethod
    def from_header(cls, data: dict[str, Any]) -> Request:
        if data.get("v") != VERSION:
            raise FrameError("version")
        argv = data.get("argv")
        if not isinstance(argv, list) or not all(isinstance(a, str) for a in argv):
            raise FrameError("argv")
        return cls(
            id=str(data.get("id") or ""),
            argv=argv,
            terminal=Terminal.from_json(data.get("terminal") or {}),
            files=[FileArg.from_json(f) for f in data.get("files") or []],
            answers=[str(a) for a in data.get("answers") or []],
            sizes=[int(n) for n in data.get("blobs") or []],
        )


@dataclass(frozen=True)
class Answer:
    """A command's answer: its exit code, whether it stopped at a question (``ask``: the prompt is at the end of
    what it printed), and the names of the files it wrote (``files``: the request's file index, and a name for a
    file written into a folder)."""

    code: int
    ask: bool
    files: list[dict[str, Any]]
    sizes: list[int]  # standard output, standard error, then each file
    note: str = ""  # what the server adds: an answer given again for a retried request
    order: list[list[int]] = field(default_factory=list)  # [stream (1 or 2), bytes] as the command wrote them

    def header(self) -> bytes:
        return _header(
            {
                "v": VERSION,
                "code": self.code,
                "ask": self.ask,
                "files": self.files,
                "blobs": self.sizes,
                "note": self.note,
                "order": self.order,
            }
        )

    @classmethod
    def from_header(cls, data: dict[str, Any]) -> Answer:
        if data.get("v") != VERSION:
            raise FrameError("version")
        return cls(
            int(data["code"]),
            bool(data.get("ask")),
            list(data.get("files") or []),
            [int(n) for n in data.get("blobs") or []],
            str(data.get("note") or ""),
            [[int(stream), int(size)] for stream, size in data.get("order") or []],
        )


def interleave(stdout: bytes, stderr: bytes, order: list[list[int]]) -> Iterator[tuple[int, bytes]]:
    """Standard output and error cut back into the pieces the command wrote, in that order (1: out, 2: err);
    without an order, all of the output, then all of the errors."""
    if not order:
        order = [[1, len(stdout)], [2, len(stderr)]]
    at = {1: 0, 2: 0}
    blobs = {1: stdout, 2: stderr}
    for stream, size in order:
        if stream in blobs and size > 0:
            yield stream, blobs[stream][at[stream] : at[stream] + size]
            at[stream] += size


def _header(data: dict[str, Any]) -> bytes:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    return len(body).to_bytes(_LENGTH, "big") + body


def read_header(stream: IO[bytes]) -> dict[str, Any]:
    length = int.from_bytes(_exactly(stream, _LENGTH), "big")
    if length > HEADER_MAX:
        raise FrameError("header")
    try:
        data = json.loads(_exactly(stream, length))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FrameError("header") from exc
    if not isinstance(data, dict):
        raise FrameError("header")
    return data


def _exactly(stream: IO[bytes], size: int) -> bytes:
    parts: list[bytes] = []
    left = size
    while left:
        part = stream.read(min(left, CHUNK))
        if not part:
            raise FrameError("short")
        parts.append(part)
        left -= len(part)
    return b"".join(parts)


def copy_blob(stream: IO[bytes], size: int, out: IO[bytes]) -> None:
    """The next ``size`` bytes of ``stream`` into ``out``."""
    left = size
    while left:
        part = stream.read(min(left, CHUNK))
        if not part:
            raise FrameError("short")
        out.write(part)
        left -= len(part)


def read_blob(stream: IO[bytes], size: int) -> bytes:
    return _exactly(stream, size)


def file_chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            yield chunk


def frame(header: bytes, blobs: Iterable[bytes | Path]) -> Iterator[bytes]:
    """The frame's bytes, a chunk at a time: the header, then each blob (bytes, or a file read as it goes)."""
    yield header
    for blob in blobs:
        if isinstance(blob, Path):
            yield from file_chunks(blob)
        elif blob:
            yield blob
