"""The command line's commands run for clients, one at a time, over the server's one open ledger.

Each command runs exactly as it would on the clerk's own PC: the same parser, checks, core and renderers, with
standard input, output and error standing in for the client's (a terminal when the client's is one, as wide as
it, coloured as it would be). Its output and exit code go back as they are; its files are written in a folder of
the request's own and sent back. A prompt the command shows ends the run before anything is written: the client
asks the clerk and sends the command again with the answers so far (the command reads them in order).

Every command that may change the ledger is recorded under the request's id, in the same transaction as each
change, and its answer kept: a request sent again (a retry after a timeout, a client killed mid-answer) gets its
first answer and never runs twice.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import sqlite3
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from typer.core import TyperGroup

from wenzheng_cli.cli.app import built, execute
from wenzheng_cli.cli.base import Run
from wenzheng_cli.cli.remote_args import command_path
from wenzheng_cli.domain.clerks import Clerk, Role, required_role
from wenzheng_cli.serve import wire
from wenzheng_cli.serve.terminal import In, NeedAnswer, Out, environment, streams
from wenzheng_cli.store import requests as request_log
from wenzheng_cli.store.ledger import Commits, open_ledger

# Commands that only copy the ledger out: run again on a retry (their files are not kept in the ledger).
_COPIES = {("backup",), ("export",)}
# Commands whose answer holds a secret (a new clerk's token, shown once): not kept; a retry is told the command was
# applied, and the token is made again with clerk remove and clerk add.
_SECRET = {("clerk", "add")}
# An answer's files are kept for a retry up to this size (an import's rejects); beyond it, the answer without them.
KEEP_FILES_MAX = 16 << 20
# How long a request's answer is kept for a retry.
KEEP_ANSWERS = timedelta(days=7)


@dataclass
class _Recorded(Commits):
    """The commits of a request that may change the ledger: each notes the request as applied with it."""

    request: str = ""
    clerk: str = ""
    digest: str = ""

    def before_commit(self, conn: sqlite3.Connection) -> None:
        request_log.applied(conn, self.request, self.clerk, self.digest, _now())


@dataclass
class Done:
    """What a command did: its answer's header and blobs (the files it wrote are paths in the request's folder)."""

    answer: wire.Answer
    written: list[tuple[int, bytes]]  # what went to standard output (1) and error (2), in order
    files: list[Path] = field(default_factory=list)

    @property
    def stdout(self) -> bytes:
        return b"".join(chunk for stream, chunk in self.written if stream == 1)

    @property
    def stderr(self) -> bytes:
        return b"".join(chunk for stream, chunk in self.written if stream == 2)

    def frame(self) -> Iterator[bytes]:
        return wire.frame(self.answer.header(), [self.stdout, self.stderr, *self.files])


@dataclass(frozen=True)
class Page:
    code: int
    body: bytes | None
    error: str


class Refused(Exception):
    """A request the server will not run: ``status`` is the HTTP status, ``message`` says why in Chinese."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class Runner:
    """The server's one ledger and the one thread at a time that runs commands over it."""

    def __init__(self, db_path: Path) -> None:
        self.path = db_path
        self.ledger = open_ledger(db_path, create=False)  # used from worker threads, one at a time (the lock)
        self.ledger.serving()
        self._lock = threading.Lock()
        self._command = built()
        with self.ledger.write() as conn:
            request_log.prune(conn, (datetime.now(UTC) - KEEP_ANSWERS).isoformat())

    def close(self) -> None:
        self.ledger.close()

    def authenticate(self, token: str) -> Clerk | None:
        from wenzheng_cli.core.clerks import authenticate

        with self._lock:
            return authenticate(self.ledger, token)

    def office(self) -> str:
        with self._lock:
            settings = self.ledger.settings()
        return str(settings.get("office.name") or settings.get("office.code") or "")

    def run(self, request: wire.Request, stdin: bytes, folder: Path, clerk: Clerk) -> Done:
        """Run ``request`` for ``clerk`` with ``stdin``; its input files are already in ``folder``
        (``in-N/NAME``)."""
        path = command_path(request.argv)
        needed = required_role(path)
        if needed is None:
            raise Refused(400, f"「{' '.join(path) or 'wenzheng'}」只能在存放台账的电脑上运行")
        if not clerk.role.allows(needed):
            raise Refused(403, f"{clerk.name} 的角色（{clerk.role.label}）不能运行「{' '.join(path)}」")
        argv, outputs = _placed(request, folder)
        digest = hashlib.sha256(json.dumps([request.argv, request.answers]).encode()).hexdigest()
        records = needed is not Role.VIEWER and path not in _COPIES and bool(request.id)
        with self._lock:
            _only_own_files(self._command, argv, folder)
            if records:
                kept = request_log.find(self.ledger.conn, request.id)
                if kept is not None:
                    return _again(kept, clerk, digest)
            commits: Commits = (
                _Recorded(request=request.id, clerk=clerk.name, digest=digest) if records else Commits()
            )
            run = Run(commits=commits, ledger=self.ledger, clerk=clerk.name)
            run.may_undo_others = clerk.role is Role.ADMIN
            done = self._execute(argv, run, request.terminal, stdin, request.answers)
            self.ledger.commits = Commits()  # the answer below is not one of the command's own commits
            done = _collect(done, request, outputs, folder)
            if records and not done.answer.ask and path not in _SECRET:
                with self.ledger.write() as conn:
                    request_log.answered(
                        conn, request.id, clerk.name, digest, _now(), done.answer.code, _kept(done)
                    )
            return done

    def page(self, argv: list[str], clerk: Clerk) -> Page:
        """The HTML page of a report command (``argv`` without ``--format``/``--output``)."""
        with tempfile.TemporaryDirectory(prefix="wz-page-") as folder:
            target = Path(folder) / "page.html"
            full = [*argv, "--format", "html", "--output", str(target)]
            needed = required_role(command_path(full))
            if needed is None or not clerk.role.allows(needed):
                return Page(403, None, "没有查看这一页的权限")
            with self._lock:
                run = Run(ledger=self.ledger, clerk=clerk.name)
                done = self._execute(full, run, wire.Terminal(), b"", [])
            if done.answer.code == 0 and target.exists():
                return Page(0, target.read_bytes(), "")
            return Page(done.answer.code or 1, None, done.stderr.decode("utf-8", "replace"))

    def _execute(
        self, argv: list[str], run: Run, terminal: wire.Terminal, data: bytes, answers: list[str]
    ) -> Done:
        stdin = In(data, terminal.stdin, answers)
        written: list[tuple[int, bytes]] = []
        stdout, stderr = Out(1, terminal.stdout, written), Out(2, terminal.stderr, written)
        asked = False
        self.ledger.forget_settings()  # another process on this PC may have changed them since the last command
        with environment(terminal), streams(stdin, stdout, stderr):
            try:
                code = execute(argv, run, self._command)
            except NeedAnswer:
                code, asked = 0, True
        stdout.flush()
        stderr.flush()
        return Done(wire.Answer(code, asked, [], []), _joined(written))


def _joined(written: list[tuple[int, bytes]]) -> list[tuple[int, bytes]]:
    """The pieces of one stream written one after another as one piece (joined once, not at every write)."""
    runs: list[tuple[int, list[bytes]]] = []
    for stream, chunk in written:
        if runs and runs[-1][0] == stream:
            runs[-1][1].append(chunk)
        else:
            runs.append((stream, [chunk]))
    return [(stream, b"".join(chunks)) for stream, chunks in runs]


def _placed(request: wire.Request, folder: Path) -> tuple[list[str], dict[int, Path]]:
    """``request.argv`` with each file it names put in ``folder``: inputs where they were received, outputs at a
    path of the request's own (by the name typed, so that the format a name implies holds)."""
    argv = list(request.argv)
    outputs: dict[int, Path] = {}
    n_in = 0
    for number, arg in enumerate(request.files):
        if not 0 <= arg.index < len(argv):
            raise Refused(400, "请求中的文件位置不对")
        if arg.kind == "in":
            path = folder / f"in-{n_in}" / arg.name
            n_in += 1
        elif arg.kind == "dir":
            path = folder / f"out-{number}"
            path.mkdir(parents=True, exist_ok=True)
            outputs[number] = path
            argv[arg.index] = arg.prefix + str(path) + os.sep
            continue
        else:
            path = folder / f"out-{number}" / arg.name
            path.parent.mkdir(parents=True, exist_ok=True)
            outputs[number] = path
        argv[arg.index] = arg.prefix + str(path)
    return argv, outputs


def _only_own_files(command: TyperGroup, argv: list[str], folder: Path) -> None:
    """Every file the command would read or write is one of the request's own: a path of the server's PC that
    a client typed is refused, never read or written."""
    from wenzheng_cli.cli.remote_args import FILE_PARAMS, command_path, named_files

    if command_path(argv) not in FILE_PARAMS:
        return  # a command with no file among its parameters (named_files would find none)
    own = folder.resolve()
    for named in named_files(command, argv)[1]:
        if not Path(named.value).resolve().is_relative_to(own):
            raise Refused(400, "命令中的文件须随命令一起上传（服务器不读写它自己电脑上的文件）")


def _collect(done: Done, request: wire.Request, outputs: dict[int, Path], folder: Path) -> Done:
    """The files the command wrote, and its output with the request's paths put back as the clerk typed them."""
    files: list[dict[str, object]] = []
    paths: list[Path] = []
    placed: list[tuple[str, str]] = []
    for number, path in outputs.items():
        arg = request.files[number]
        if arg.kind == "dir":
            for item in sorted(p for p in path.rglob("*") if p.is_file()):
                files.append({"file": number, "name": item.relative_to(path).as_posix()})
                paths.append(item)
            placed.append((str(path), arg.shown.rstrip("/\\")))
        else:
            if path.is_file():
                files.append({"file": number, "name": path.name})
                paths.append(path)
            placed.append((str(path), arg.shown))
    n_in = 0
    for arg in request.files:
        if arg.kind == "in":
            placed.append((str(folder / f"in-{n_in}" / arg.name), arg.shown))
            n_in += 1
    written = [(stream, _unplace(chunk, placed)) for stream, chunk in done.written]
    again = Done(wire.Answer(done.answer.code, done.answer.ask, files, []), written, paths)
    sizes = [len(again.stdout), len(again.stderr), *(p.stat().st_size for p in paths)]
    order = [[stream, len(chunk)] for stream, chunk in written]
    return Done(wire.Answer(done.answer.code, done.answer.ask, files, sizes, order=order), written, paths)


def _unplace(chunk: bytes, placed: list[tuple[str, str]]) -> bytes:
    """``chunk`` with each of the request's own paths as the clerk typed it (in text and inside JSON strings)."""
    for path, shown in placed:
        pairs = {(path.encode(), shown.encode())}
        pairs.add(
            (
                json.dumps(path, ensure_ascii=False)[1:-1].encode(),
                json.dumps(shown, ensure_ascii=False)[1:-1].encode(),
            )
        )
        for old, new in pairs:
            chunk = chunk.replace(old, new)
    return chunk


def _kept(done: Done) -> bytes:
    """The answer as kept for a retry: whole, or without its files when they are large."""
    if sum(done.answer.sizes[2:]) <= KEEP_FILES_MAX:
        return b"".join(done.frame())
    answer = wire.Answer(
        done.answer.code, done.answer.ask, [], done.answer.sizes[:2], order=done.answer.order
    )
    return b"".join(Done(answer, done.written).frame())


def _again(kept: request_log.Kept, clerk: Clerk, digest: str) -> Done:
    """A request id seen before: its first answer, or what is known of it."""
    if kept.clerk != clerk.name or kept.digest != digest:
        raise Refused(409, "这个请求编号已用于另一条命令")
    if kept.response is not None:
        stream = io.BytesIO(kept.response)
        answer = wire.Answer.from_header(wire.read_header(stream))
        blobs = [wire.read_blob(stream, size) for size in answer.sizes]
        folder = Path(tempfile.mkdtemp(prefix="wz-again-"))
        paths = []
        for i, blob in enumerate(blobs[2:]):
            path = folder / str(i)
            path.write_bytes(blob)
            paths.append(path)
        again = wire.Answer(
            answer.code, answer.ask, answer.files, answer.sizes, note="again", order=answer.order
        )
        return Done(again, _interleaved(blobs[0], blobs[1], answer.order), paths)
    message = (
        f"提示: 这条命令已在服务器上办理（已保存 {kept.commits} 项），但服务器中断，没能送回结果；"
        "用 wenzheng show 或 list 查看\n"
    ).encode()
    return Done(
        wire.Answer(0, False, [], [0, len(message)], note="applied", order=[[2, len(message)]]),
        [(2, message)],
    )


def _interleaved(stdout: bytes, stderr: bytes, order: list[list[int]]) -> list[tuple[int, bytes]]:
    return list(wire.interleave(stdout, stderr, order))


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
