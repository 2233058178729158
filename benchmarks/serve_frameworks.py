"""The choice of server for ``wenzheng serve`` measured: uvicorn + Starlette against waitress, in one run.

    python benchmarks/serve_frameworks.py
    python benchmarks/serve_frameworks.py --clients 4 --requests 300 --rounds 3 --slow 50

Both serve the same two endpoints from a process of their own: ``GET /ping`` (a few bytes: the server itself)
and ``POST /list`` (``wenzheng list --json`` on a ledger of 200 cases through ``serve.runner.Runner``, as
``/api/run`` runs it: the server with the command work it carries). uvicorn runs with the options
``wenzheng serve`` gives it (its connection limit, keep-alive and the deadline for a request's headers); waitress
with its defaults (4 threads). Load: ``--clients`` client processes, each sending ``--requests`` requests one
after another on a new connection each (as the ``wenzheng`` client does); requests/s and p50/p99 latency, the
rounds interleaved and the median round shown. Then the facts that decide beside speed: with ``--slow`` clients
trickling their headers a byte a second, how long a normal request takes on each, and whether each serves TLS.

waitress is installed in the development environment only (``pip install waitress``); it is not a dependency.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

WZ = str(Path(sys.executable).parent / "wenzheng")
NOW = "2026-11-23T10:00:00+08:00"
LIST = ["list", "--limit", "50", "--json"]


# --- the two servers (each in a process of its own) ----------------------------------------------------------


def runner_call(db: Path) -> Callable[[], bytes]:
    """``wenzheng list --json`` through the server's Runner: the bytes it printed."""
    from wenzheng_cli.domain.clerks import Clerk, Role
    from wenzheng_cli.serve import wire
    from wenzheng_cli.serve.runner import Runner

    runner = Runner(db)
    clerk = Clerk("办事员", Role.VIEWER)
    folder = Path(tempfile.mkdtemp(prefix="wz-frameworks-"))

    def call() -> bytes:
        request = wire.Request("", LIST, wire.Terminal(), [], [], [0])
        return runner.run(request, b"", folder, clerk).stdout

    return call


def serve_uvicorn(port: int, db: Path) -> None:
    import anyio
    import uvicorn
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import PlainTextResponse, Response
    from starlette.routing import Route

    from wenzheng_cli.serve.server import KEEP_ALIVE_S, MAX_CONNECTIONS, _protocol

    listed = runner_call(db)

    async def ping(request: Request) -> Response:
        return PlainTextResponse("ok")

    async def run_list(request: Request) -> Response:
        await request.body()
        return Response(await anyio.to_thread.run_sync(listed), media_type="application/json")

    app = Starlette(routes=[Route("/ping", ping), Route("/list", run_list, methods=["POST"])])
    uvicorn.run(
        app,
        host="127.0.0.1",
        port=port,
        log_level="warning",
        access_log=False,
        limit_concurrency=MAX_CONNECTIONS,
        timeout_keep_alive=KEEP_ALIVE_S,
        http=_protocol(),
    )


def serve_waitress(port: int, db: Path) -> None:
    import logging

    import waitress  # type: ignore[import-untyped]

    logging.getLogger("waitress").setLevel(logging.ERROR)  # "Task queue depth" on every busy moment
    listed = runner_call(db)

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ["PATH_INFO"] == "/list":
            environ["wsgi.input"].read()
            body = listed()
            start_response(
                "200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
            )
            return [body]
        start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
        return [b"ok"]

    waitress.serve(app, host="127.0.0.1", port=port, _quiet=True)


# --- the clients -----------------------------------------------------------------------------------------------


def request(port: int, path: str) -> float:
    """One request on a new connection: its latency in seconds."""
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        if path == "/list":
            conn.request("POST", path, body=b"{}", headers={"Content-Type": "application/json"})
        else:
            conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        if response.status != 200:
            raise SystemExit(f"{path}: HTTP {response.status}")
    finally:
        conn.close()
    return time.perf_counter() - started


def client_main(port: int, path: str, count: int, go: float) -> None:
    time.sleep(max(0.0, go - time.time()))
    began = time.time()
    took = [request(port, path) for _ in range(count)]
    print(json.dumps({"began": began, "ended": time.time(), "took": took}))


def load(port: int, path: str, clients: int, count: int) -> tuple[float, float, float]:
    """``clients`` processes × ``count`` requests at once: requests/s, p50 and p99 in ms."""
    go = time.time() + 1.0 + clients * 0.2
    procs = [
        subprocess.Popen(
            [sys.executable, __file__, "_client", str(port), path, str(count), repr(go)],
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(clients)
    ]
    results = [json.loads(p.communicate()[0]) for p in procs]
    took = sorted(t for r in results for t in r["took"])
    span = max(r["ended"] for r in results) - min(r["began"] for r in results)
    return len(took) / span, pct(took, 50), pct(took, 99)


def pct(ordered: list[float], p: int) -> float:
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] * 1000


def with_slow_clients(port: int, slow: int, probes: int = 10) -> tuple[float, int]:
    """While ``slow`` clients trickle their headers (a byte a second), ``probes`` normal requests one after
    another: their median latency in ms, and how many of the slow ones the server had cut off by the end."""
    socks = []
    for _ in range(slow):
        sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        sock.send(b"GET /ping HTTP/1.1\r\nHost: x\r\n")
        socks.append(sock)
    took: list[float] = []
    for _ in range(probes):
        for sock in socks:
            with contextlib.suppress(OSError):
                sock.send(b"X")
        took.append(_probe(port))
        time.sleep(1.0)
    cut = 0
    for sock in socks:
        sock.settimeout(0.01)
        try:
            sock.send(b"X")
            cut += sock.recv(1) == b""
        except (TimeoutError, BlockingIOError):
            pass
        except OSError:
            cut += 1
        sock.close()
    return statistics.median(took) * 1000, cut


def _probe(port: int) -> float:
    try:
        return request(port, "/ping")
    except SystemExit:  # refused (503): as good as unanswered
        return float("inf")


# --- the run -----------------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def started(kind: str, db: Path) -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    port = free_port()
    env = {**os.environ, "WENZHENG_NOW": NOW}
    proc = subprocess.Popen([sys.executable, __file__, "_serve", kind, str(port), str(db)], env=env)
    for _ in range(600):
        try:
            request(port, "/ping")
            break
        except OSError:
            time.sleep(0.05)
    try:
        yield port, proc
    finally:
        proc.terminate()
        proc.wait(10)


def make_ledger(folder: Path) -> Path:
    db = folder / "ledger.db"
    env = {**os.environ, "WENZHENG_DB": str(db), "WENZHENG_NOW": NOW, "WENZHENG_OPERATOR": "办事员"}
    subprocess.run(
        [WZ, "init", "--office", "YL", "--name", "杨柳社区"], env=env, check=True, capture_output=True
    )
    csv = folder / "cases.csv"
    rows = [f"2026-11-{1 + i % 20:02d} 09:00,{i}号楼楼道灯不亮，晚上看不见路" for i in range(200)]
    csv.write_text("受理时间,诉求内容\n" + "\n".join(rows) + "\n", encoding="utf-8")
    subprocess.run([WZ, "import", str(csv)], env=env, check=True, capture_output=True)
    return db


def main() -> None:
    if sys.argv[1:2] == ["_serve"]:
        kind, port, db = sys.argv[2], int(sys.argv[3]), Path(sys.argv[4])
        (serve_uvicorn if kind == "uvicorn" else serve_waitress)(port, db)
        return
    if sys.argv[1:2] == ["_client"]:
        client_main(int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), float(sys.argv[5]))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--requests", type=int, default=300, help="per client and endpoint")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--slow", type=int, default=50, help="slow clients at once, 0 to leave out")
    opts = parser.parse_args()
    kinds = ("uvicorn", "waitress")
    with tempfile.TemporaryDirectory(prefix="wz-frameworks-") as tmp:
        db = make_ledger(Path(tmp))
        figures: dict[tuple[str, str], list[tuple[float, float, float]]] = {}
        for _round in range(opts.rounds):
            for kind in kinds:
                with contextlib_started(kind, db) as (port, _):
                    for path in ("/ping", "/list"):
                        figures.setdefault((kind, path), []).append(
                            load(port, path, opts.clients, opts.requests)
                        )
        print(
            f"{opts.clients} client processes × {opts.requests} requests (a new connection each), "
            f"median of {opts.rounds} interleaved rounds; load average {os.getloadavg()[0]:.1f} "
            f"on {os.cpu_count()} cores"
        )
        print(f"{'endpoint':<28}{'uvicorn+Starlette':>32}{'waitress':>32}")
        for path, label in (("/ping", "GET /ping (the server)"), ("/list", "POST /list (list --json)")):
            cells = []
            for kind in kinds:
                rounds = sorted(figures[(kind, path)])
                per_s, p50, p99 = rounds[len(rounds) // 2]
                cells.append(f"{per_s:6.0f}/s p50 {p50:5.1f} p99 {p99:6.1f} ms")
            print(f"{label:<28}{cells[0]:>32}{cells[1]:>32}")
        if opts.slow:
            cells = []
            for kind in kinds:
                with contextlib_started(kind, db) as (port, _):
                    latency, cut = with_slow_clients(port, opts.slow)
                shown = "refused (503)" if latency == float("inf") else f"{latency:.0f} ms"
                cells.append(f"{shown}, {cut}/{opts.slow} cut off")
            label = f"GET /ping, {opts.slow} trickling"
            print(f"{label:<28}{cells[0]:>32}{cells[1]:>32}")
        print(f"{'TLS':<28}{'yes (--cert/--key)':>32}{'no: needs a proxy':>32}")


contextlib_started = contextlib.contextmanager(started)


if __name__ == "__main__":
    main()
