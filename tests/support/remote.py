"""``RemoteWz``: the command lines a test types, run through a real ``wenzheng serve`` on the test's ledger.

With ``pytest --remote`` (or ``WENZHENG_TEST_REMOTE=1``) the ``wz`` fixture is a ``RemoteWz``: each command goes
from the client (``cli.remote.run_remote``, in-process, its standard streams captured as ``Wz`` captures them)
to a server started in its own process on the ledger ``WENZHENG_DB`` names, and what the test sees is what the
clerk at another PC would see. Commands that never run on a server (``init``, help) and those given a ledger
file of this PC (``--db``: a backup, a copy) run here, as they do after ``wenzheng login``.

The server is started by the first command that needs it, with the test's environment (its clock, its office
home), and started again when the test changes that environment (a later ``WENZHENG_NOW``, another ledger). The
operator is the clerk whose token a command carries: ``--operator X`` becomes X's token (X added to the ledger
as an admin the first time), so the steps are recorded under the same names as a local run records them.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import sys
import tempfile
from pathlib import Path
from typing import IO

from typer.testing import Result

from tests.support import serving
from tests.support.cli import Wz
from wenzheng_cli.cli.remote import run_remote
from wenzheng_cli.cli.remote_args import command_at
from wenzheng_cli.cli.remote_server import LOCAL_ONLY, Server
from wenzheng_cli.core import clerks
from wenzheng_cli.core.session import Session, checked_operator
from wenzheng_cli.domain.clerks import Role
from wenzheng_cli.errors import WenzhengError

REMOTE_ENV = "WENZHENG_TEST_REMOTE"
# What the client alone reads: never given to the server, never a reason to start it again.
_CLIENT_ONLY = {"WENZHENG_SERVER", "WENZHENG_TOKEN", "WENZHENG_OPERATOR", "WENZHENG_CAFILE"}


# Token hash → token of every clerk these tests added: a ledger copied from one built earlier in this process
# keeps the clerks it had, and their tokens are found here.
_TOKENS: dict[str, str] = {}


def clerk_token(db: Path, name: str) -> str:
    """The token of clerk ``name`` of the ledger at ``db``, an admin added to it the first time."""
    conn = sqlite3.connect(db)
    try:
        row = conn.execute("SELECT token_hash FROM clerks WHERE name = ?", (name,)).fetchone()
    finally:
        conn.close()
    if row is not None and row[0] in _TOKENS:
        return _TOKENS[row[0]]
    session = Session.open(str(db), "clerk", create=False)
    try:
        if row is not None:  # a clerk of that name whose token no test here has: given a new one
            clerks.remove(session, name)
        token = clerks.add(session, name, Role.ADMIN).token
    finally:
        session.close()
    _TOKENS[clerks.token_hash(token)] = token
    return token


def _facts(env: dict[str, str]) -> dict[str, str]:
    """What of the environment the server's commands read: a change of any of these needs a new server."""
    return {
        name: value
        for name, value in env.items()
        if (name.startswith("WENZHENG_") and name not in _CLIENT_ONLY) or name == "TZ"
    }


class Served:
    """One ``wenzheng serve`` process on one ledger (``tests/support/serving.py``), started with the test's
    environment as it was then."""

    def __init__(self, db: Path, env: dict[str, str], folder: Path) -> None:
        self.db = db
        self.facts = _facts(env)
        self.process = serving.Served(db, folder / f"serve-{len(list(folder.iterdir()))}.log")
        self.process.start(token=clerk_token(db, "clerk"))
        self.url = self.process.url
        self.log = self.process.log

    def stop(self) -> None:
        self.process.stop()


class RemoteWz(Wz):
    """``Wz`` whose commands run on a ``wenzheng serve`` of the test's ledger; ``close()`` stops the server."""

    def __init__(self, *, tty: bool = False) -> None:
        super().__init__()
        self.tty = tty  # the client's standard streams are a terminal (its prompts are asked and answered)
        self.server: Served | None = None
        self.folder = Path(tempfile.mkdtemp(prefix="wz-remote-"))

    def close(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None
        shutil.rmtree(self.folder, ignore_errors=True)

    def served(self) -> Served:
        """The server of the ledger and environment the test has now (started, or started again)."""
        env = dict(os.environ)
        db = Path(env["WENZHENG_DB"])
        if self.server is not None and (self.server.db != db or self.server.facts != _facts(env)):
            self.server.stop()
            self.server = None
        if self.server is None:
            self.server = Served(db, env, self.folder)
        return self.server

    def __call__(self, *args: str, code: int = 0, input: str | None = None) -> Result:
        typed = list(args)
        at = command_at(typed)
        if at is None or typed[at] in LOCAL_ONLY or typed[at] == "init" or _local(typed):
            return super().__call__(*args, code=code, input=input)
        name, sent = _operator(typed, at)
        server = self.served()
        result = self.invoke(Server(server.url, clerk_token(server.db, name)), sent, input)
        assert result.exit_code == code, (
            f"exit {result.exit_code} for {args} (on {server.url})\nstdout: {result.stdout}\n"
            f"stderr: {result.stderr}\nserver log: {server.log.read_text(errors='replace')[-2000:]}"
        )
        return result

    def invoke(self, server: Server, args: list[str], input: str | None = None) -> Result:
        """``args`` sent by the client to ``server`` as typed (no clerk added, nothing taken off the line)."""
        with self.runner.isolation(input=input) as (stdout, stderr, output):
            if self.tty:
                for stream in (sys.stdin, sys.stdout, sys.stderr):
                    stream.isatty = _yes  # type: ignore[method-assign]
            try:
                code = run_remote(server, args)
            finally:
                _flush(sys.stdout, sys.stderr)
            out, err, both = stdout.getvalue(), stderr.getvalue(), output.getvalue()
        return Result(
            runner=self.runner,
            stdout_bytes=out,
            stderr_bytes=err,
            output_bytes=both,
            return_value=None,
            exit_code=code,
            exception=SystemExit(code) if code else None,
        )


def _yes() -> bool:
    return True


def _local(args: list[str]) -> bool:
    """Whether the command line runs here: help, or ``--db`` naming a ledger file of this PC (a copy, a
    backup), which the client opens itself, as after ``wenzheng login``."""
    return any(a in ("--help", "-h", "--db") or a.startswith("--db=") for a in args)


def _flush(*streams: IO[str]) -> None:
    for stream in streams:
        stream.flush()


def _operator(args: list[str], at: int) -> tuple[str, list[str]]:
    """The clerk a command line is run as, and the line without its ``--operator``: the option after the
    command wins over the one before it, and both over ``WENZHENG_OPERATOR`` (as ``wenzheng`` reads them). A
    value no clerk can be named (blank) stays on the line: the server refuses it."""
    before: str | None = None
    after: str | None = None
    kept: list[str] = []
    i = 0
    while i < len(args):
        token = args[i]
        value: str | None = None
        if token == "--operator" and i + 1 < len(args):
            value, step = args[i + 1], 2
        elif token.startswith("--operator="):
            value, step = token.split("=", 1)[1], 1
        if value is None:
            kept.append(token)
            i += 1
            continue
        if i < at:
            before = value
        else:
            after = value
        i += step
    typed = after if after is not None else before
    if typed is None:
        typed = os.environ.get("WENZHENG_OPERATOR")
    try:
        name = checked_operator(typed)
    except WenzhengError:
        return "clerk", list(args)
    return name, kept


def remote_asked(option: bool) -> bool:
    """Whether this run's commands go through a server (``--remote``, or ``WENZHENG_TEST_REMOTE=1``)."""
    return option or os.environ.get(REMOTE_ENV, "") not in ("", "0")
