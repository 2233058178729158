"""A real ``wenzheng serve`` process for the tests that stop, kill and start it again on the same port, and a
command sent to it as a raw frame (``serve/wire.py``) with an id the test chooses."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from wenzheng_cli.serve import wire

START_TIMEOUT_S = 60.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def server_env() -> dict[str, str]:
    """The test's environment as the server's PC has it: its ledger and clock, no operator of its own."""
    env = dict(os.environ)
    for name in ("WENZHENG_OPERATOR", "WENZHENG_SERVER", "WENZHENG_TOKEN"):
        env.pop(name, None)
    return env


class Served:
    """``wenzheng serve`` on ``db``, its standard error appended to ``log``; ``start()`` again after ``kill()``
    serves the same port."""

    def __init__(self, db: Path, log: Path, *extra: str, host: str = "127.0.0.1") -> None:
        self.db, self.log, self.extra, self.host = db, log, list(extra), host
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    @property
    def returncode(self) -> int | None:
        return None if self.process is None else self.process.returncode

    def start(self, token: str | None = None) -> None:
        """Start it and wait until it answers; with ``token``, until it knows that token (so that another
        server that took the port meanwhile is not mistaken for it)."""
        for _attempt in range(3):
            where = ["--host", self.host, "--port", str(self.port)]
            with self.log.open("ab") as log:
                self.process = subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "wenzheng_cli",
                        "serve",
                        "--db",
                        str(self.db),
                        *where,
                        *self.extra,
                    ],
                    env=server_env(),
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            if self._answers(token):
                return
            self.stop()
            self.port = free_port()  # taken by something else meanwhile
        raise RuntimeError(f"wenzheng serve did not start:\n{self.log.read_text(errors='replace')}")

    def _answers(self, token: str | None) -> bool:
        deadline = time.monotonic() + START_TIMEOUT_S
        headers = {} if token is None else {"Authorization": f"Bearer {token}"}
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                return False
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
            try:
                conn.request("GET", wire.WHOAMI, headers=headers)
                response = conn.getresponse()
                response.read()
                if token is None or response.status == 200:
                    return True
            except (OSError, http.client.HTTPException):
                pass
            finally:
                conn.close()
            time.sleep(0.05)
        return False

    def kill(self) -> None:
        """``kill -9``: no clean-up of any kind."""
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


@dataclass(frozen=True)
class Reply:
    """The server's answer to a frame: the HTTP status; for a command run, its exit code, output and note."""

    status: int
    code: int = -1
    stdout: bytes = b""
    stderr: bytes = b""
    note: str = ""


def post(
    url: str,
    token: str | None,
    argv: list[str],
    request_id: str,
    *,
    stdin: bytes = b"",
    files: tuple[tuple[wire.FileArg, bytes], ...] = (),
) -> Reply:
    """``argv`` sent as the client sends it (a new connection, ``Authorization: Bearer``), with the id given
    and ``files`` (each input file and its bytes) uploaded. A refusal's text is its ``stderr``."""
    request = wire.Request(
        request_id,
        argv,
        wire.Terminal(columns=120),
        [arg for arg, _ in files],
        [],
        [len(stdin), *(len(data) for _, data in files)],
    )
    body = b"".join(wire.frame(request.header(), [stdin, *(data for _, data in files)]))
    host, _, port = url.removeprefix("http://").partition(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=120)
    headers = {"Content-Type": "application/octet-stream"}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    try:
        conn.request("POST", wire.PATH, body=body, headers=headers)
        response = conn.getresponse()
        if response.status != 200:
            return Reply(response.status, stderr=response.read())
        answer = wire.Answer.from_header(wire.read_header(response))
        out = wire.read_blob(response, answer.sizes[0])
        err = wire.read_blob(response, answer.sizes[1])
        response.read()
        return Reply(200, answer.code, out, err, answer.note)
    finally:
        conn.close()
