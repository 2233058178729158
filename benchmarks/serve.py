"""``wenzheng serve`` measured: a remote command against the same command run here, many clients at once, and
the server's memory over many requests, in one run.

    python benchmarks/serve.py                    # all three parts
    python benchmarks/serve.py --part remote --runs 21
    python benchmarks/serve.py --part load --clients 10 --commands 100
    python benchmarks/serve.py --part memory --requests 10000
    python benchmarks/serve.py --part load --profile   # where the server's time goes (cProfile, in-process)

1. ``remote``: ``intake``, ``list --json`` and ``show`` typed as a clerk types them — the console script, once
   with ``--server URL`` and once on the same ledger here — interleaved runs, medians of wall time and the ratio
   (target ≤ 1.3×). The package is compiled to bytecode first, as an installed one is.
2. ``load``: 10 client processes × 100 mixed commands at once (intake, assign, claim, note, resolve, show, list,
   report weekly …), each client sending raw frames (``serve/wire.py``) over HTTP from one Python process, so
   that what is timed is the server and the network, not Python starting up 1,000 times; throughput and p50/p99
   latency (target ≥ 200 commands/s through the one writer).
3. ``memory``: the server's resident memory (VmRSS from /proc) after 0, 1k, 5k and 10k requests of the same
   mix, beside the number of cases (the mix takes in a case every ten requests, so the ledger and the weekly
   台账 it answers grow as it goes): it should stay flat.

Each part starts its own ``wenzheng serve`` on a free port of 127.0.0.1 over a fresh ledger in a temporary
folder, with a clerk token per client.
"""

from __future__ import annotations

import argparse
import compileall
import http.client
import json
import os
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
WZ = str(Path(sys.executable).parent / "wenzheng")
NOW = "2026-11-23T10:00:00+08:00"


# --- the server and its ledger ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def local_env(db: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "WENZHENG_DB": str(db),
        "WENZHENG_NOW": NOW,
        "WENZHENG_HOME": str(db.parent / "home"),
    }
    for name in ("WENZHENG_SERVER", "WENZHENG_TOKEN", "COLUMNS", "PYTHONDONTWRITEBYTECODE"):
        env.pop(name, None)
    return env


def wz(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([WZ, *args], env=env, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"failed: wenzheng {' '.join(args)}\n{done.stderr}")
    return done.stdout


def make_ledger(folder: Path, clerks: int) -> tuple[Path, dict[str, str]]:
    """A fresh ledger with an admin and ``clerks`` clerks (办事员0, 办事员1 …): its path and each one's token."""
    db = folder / "ledger.db"
    env = local_env(db)
    wz(env, "init", "--office", "YL", "--name", "杨柳社区")
    tokens: dict[str, str] = {}
    for name, role in [("管理员", "admin"), *((f"办事员{i}", "clerk") for i in range(clerks))]:
        tokens[name] = json.loads(wz(env, "clerk", "add", name, "--role", role, "--json"))["token"]
    return db, tokens


@contextmanager
def server(db: Path, token: str) -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    """``wenzheng serve`` on a free port over ``db``, up and answering, stopped afterwards."""
    port = free_port()
    log = (db.parent / "serve.log").open("wb")
    proc = subprocess.Popen(
        [WZ, "serve", "--db", str(db), "--port", str(port)], env=local_env(db), stdout=log, stderr=log
    )
    try:
        for _ in range(300):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", "/api/whoami", headers={"Authorization": f"Bearer {token}"})
                if conn.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.05)
        else:
            raise SystemExit(f"wenzheng serve did not start: {(db.parent / 'serve.log').read_text()}")
        yield port, proc
    finally:
        proc.terminate()
        proc.wait(10)
        log.close()


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


# --- a client sending raw frames ----------------------------------------------------------------------------


def send(port: int, token: str, argv: list[str], request_id: str) -> tuple[int, int, bytes, bytes]:
    """One command as a frame on a new connection, as the client sends it: (HTTP status, exit code, stdout,
    stderr)."""
    from wenzheng_cli.serve import wire

    request = wire.Request(request_id, argv, wire.Terminal(columns=120), [], [], [0])
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.request(
            "POST",
            wire.PATH,
            body=request.header(),
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/octet-stream"},
        )
        response = conn.getresponse()
        if response.status != 200:
            return response.status, -1, b"", response.read()
        answer = wire.Answer.from_header(wire.read_header(response))
        out = wire.read_blob(response, answer.sizes[0])
        err = wire.read_blob(response, answer.sizes[1])
        response.read()
        return 200, answer.code, out, err
    finally:
        conn.close()


def mix(client: int, commands: int, start: int = 0) -> Iterator[tuple[str, list[str]]]:
    """A clerk's day, ten commands a case: its kind and argv (``{N}`` stands for the case just taken in)."""
    me = f"办事员{client}"
    for n in range(start, start + commands):
        step = n % 10
        if step == 0:
            yield "intake", ["intake", f"客户端{client}第{n // 10}件 3号楼楼道灯不亮", "--json"]
        elif step == 1:
            yield "assign", ["assign", "{N}", "--to", me]
        elif step == 2:
            yield "claim", ["claim", "{N}"]
        elif step == 3:
            yield "note", ["note", "{N}", "已联系物业，明天上门"]
        elif step == 4:
            yield "resolve", ["resolve", "{N}", "--result", "已更换楼道灯泡并试亮，居民确认"]
        elif step == 5:
            yield "show", ["show", "{N}", "--json"]
        elif step == 6:
            yield "list", ["list", "--status", "open", "--limit", "20", "--json"]
        elif step == 7:
            yield "list", ["list", "--search", f"客户端{client}第{n // 10}件", "--json"]
        elif step == 8:
            yield "report", ["report", "weekly", "--json"]
        else:
            yield "show", ["show", "{N}"]


def client_main(port: int, token: str, client: int, commands: int, start: int, go: float) -> None:
    """One client process: wait for ``go`` (wall clock), send its commands one after another, print what it
    timed as JSON."""
    from wenzheng_cli.serve import wire  # noqa: F401  (loaded before the clock starts)

    time.sleep(max(0.0, go - time.time()))
    began = time.time()
    number = ""
    took: list[tuple[str, float]] = []
    failed: list[str] = []
    for n, (kind, argv) in enumerate(mix(client, commands, start)):
        argv = [number if a == "{N}" else a for a in argv]
        t0 = time.perf_counter()
        status, code, out, err = send(port, token, argv, f"c{client}-{start + n}-{os.getpid()}")
        took.append((kind, time.perf_counter() - t0))
        if status != 200 or code != 0:
            failed.append(f"{kind} {status} {code} {err.decode('utf-8', 'replace')[:200]}")
        if kind == "intake" and status == 200 and code == 0:
            number = json.loads(out)["number"]
    print(json.dumps({"began": began, "ended": time.time(), "took": took, "failed": failed}))


def cpu_s(pid: int) -> float:
    """CPU time (user + system) the process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def load(
    port: int, server_pid: int, tokens: dict[str, str], clients: int, commands: int, start: int = 0
) -> dict[str, Any]:
    """``clients`` processes × ``commands`` each, at once: throughput, latencies by kind, the server's CPU time,
    failures."""
    go = time.time() + 1.5 + clients * 0.15
    procs = []
    for i in range(clients):
        args = [str(port), tokens[f"办事员{i}"], str(i), str(commands), str(start), repr(go)]
        procs.append(
            subprocess.Popen([sys.executable, __file__, "_client", *args], stdout=subprocess.PIPE, text=True)
        )
    cpu_before = cpu_s(server_pid)
    results = [json.loads(p.communicate()[0]) for p in procs]
    server_cpu = cpu_s(server_pid) - cpu_before
    took = [t for r in results for _, t in r["took"]]
    span = max(r["ended"] for r in results) - min(r["began"] for r in results)
    kinds: dict[str, list[float]] = {}
    for r in results:
        for kind, t in r["took"]:
            kinds.setdefault(kind, []).append(t)
    return {
        "commands": len(took),
        "seconds": span,
        "per_s": len(took) / span,
        "p50": pct(took, 50),
        "p99": pct(took, 99),
        "server_cpu": server_cpu,
        "kinds": {k: (pct(v, 50), pct(v, 99)) for k, v in sorted(kinds.items())},
        "failed": [f for r in results for f in r["failed"]],
    }


def pct(values: list[float], p: int) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] * 1000


# --- the three parts ----------------------------------------------------------------------------------------


def part_remote(runs: int) -> None:
    compileall.compile_dir(ROOT / "src", quiet=1)
    with tempfile.TemporaryDirectory(prefix="wz-serve-") as tmp:
        db, tokens = make_ledger(Path(tmp), 1)
        here = local_env(db)
        for i in range(30):
            wz(here, "--operator", "办事员0", "intake", f"{i}号楼路灯不亮", "--category", "市政设施")
        with server(db, tokens["管理员"]) as (port, _):
            there = {**here, "WENZHENG_TOKEN": tokens["办事员0"], "WENZHENG_HOME": str(Path(tmp) / "client")}
            there.pop("WENZHENG_DB")
            url = f"http://127.0.0.1:{port}"
            lines = (
                ["intake", "井盖缺失，夜间有人踩空", "--category", "市政设施"],
                ["list", "--json"],
                ["show", "YL-2026-0001"],
            )
            print(f"1. remote vs local, {runs} interleaved runs each, median wall time (console script)")
            for args in lines:
                local = [WZ, "--operator", "办事员0", *args]
                remote = [WZ, "--server", url, "--operator", "办事员0", *args]
                figures: dict[str, list[float]] = {"local": [], "remote": []}
                for _ in range(2):  # warm the file cache and the server
                    timed(local, here), timed(remote, there)
                for _ in range(runs):
                    figures["local"].append(timed(local, here))
                    figures["remote"].append(timed(remote, there))
                med = {k: statistics.median(v) * 1000 for k, v in figures.items()}
                ratio = med["remote"] / med["local"]
                print(
                    f"   {' '.join(args[:2]):<28} local {med['local']:5.0f} ms  remote {med['remote']:5.0f} ms  "
                    f"remote/local {ratio:.2f}x (target ≤ 1.30x)"
                )


def timed(cmd: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, check=False)
    if done.returncode:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{done.stderr.decode()}")
    return time.perf_counter() - started


def part_load(clients: int, commands: int, profile: bool) -> None:
    with tempfile.TemporaryDirectory(prefix="wz-serve-") as tmp:
        db, tokens = make_ledger(Path(tmp), clients)
        if profile:
            profiled(db, tokens, clients, commands)
            return
        with server(db, tokens["管理员"]) as (port, proc):
            figures = load(port, proc.pid, tokens, clients, commands)
        report_load(
            f"2. {clients} client processes × {commands} mixed commands at once (raw frames)", figures
        )
        print(f"   check afterwards: {wz(local_env(db), 'check').strip().splitlines()[-1]}")


def report_load(title: str, figures: dict[str, Any]) -> None:
    print(title)
    print(
        f"   {figures['commands']} commands in {figures['seconds']:.1f} s: {figures['per_s']:.0f} commands/s "
        f"(target ≥ 200); latency p50 {figures['p50']:.0f} ms, p99 {figures['p99']:.0f} ms"
    )
    print(
        f"   the server used {figures['server_cpu']:.1f} s of CPU: "
        f"{figures['commands'] / max(figures['server_cpu'], 0.01):.0f} commands per CPU-second; "
        f"load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    for kind, (p50, p99) in figures["kinds"].items():
        print(f"     {kind:<8} p50 {p50:5.0f} ms  p99 {p99:5.0f} ms")
    failed = figures["failed"]
    busy = sum("locked" in f or "busy" in f for f in failed)
    print(f"   failed: {len(failed)} ('locked'/busy: {busy}){'  e.g. ' + failed[0] if failed else ''}")


def profiled(db: Path, tokens: dict[str, str], clients: int, commands: int) -> None:
    """The server's work for the clients' mix, run in this process through ``Runner.run`` (no HTTP): first
    timed by kind (wall and CPU), then again under cProfile: where the time goes."""
    import cProfile
    import pstats

    from wenzheng_cli.domain.clerks import Clerk, Role
    from wenzheng_cli.serve import wire
    from wenzheng_cli.serve.runner import Runner

    os.environ.update(local_env(db))
    runner = Runner(db)
    profile = cProfile.Profile()
    with tempfile.TemporaryDirectory() as folder:
        for pass_ in ("timed", "profiled"):
            kinds: dict[str, list[tuple[float, float]]] = {}
            number = ""
            for client in range(clients):
                clerk = Clerk(f"办事员{client}", Role.CLERK)
                for n, (kind, argv) in enumerate(mix(client, commands)):
                    argv = [number if a == "{N}" else a for a in argv]
                    rid = f"{pass_}{client}-{n}"
                    request = wire.Request(rid, argv, wire.Terminal(columns=120), [], [], [0])
                    wall, cpu = time.perf_counter(), time.process_time()
                    if pass_ == "profiled":
                        profile.enable()
                    done = runner.run(request, b"", Path(folder), clerk)
                    profile.disable()
                    kinds.setdefault(kind, []).append((time.perf_counter() - wall, time.process_time() - cpu))
                    if kind == "intake":
                        number = json.loads(done.stdout)["number"]
            if pass_ == "timed":
                every = [t for v in kinds.values() for t in v]
                wall_s, cpu_s = sum(w for w, _ in every), sum(c for _, c in every)
                print(
                    f"Runner.run in-process, {len(every)} commands: {len(every) / wall_s:.0f} commands/s wall, "
                    f"{len(every) / cpu_s:.0f} per CPU-second"
                )
                for kind, v in sorted(kinds.items()):
                    print(
                        f"   {kind:<8} median wall {statistics.median(w for w, _ in v) * 1000:5.1f} ms  "
                        f"CPU {statistics.median(c for _, c in v) * 1000:5.1f} ms"
                    )
    runner.close()
    stats = pstats.Stats(profile)
    stats.sort_stats("cumulative").print_stats(30)
    stats.sort_stats("tottime").print_stats(25)


def part_memory(requests: int, clients: int) -> None:
    with tempfile.TemporaryDirectory(prefix="wz-serve-") as tmp:
        db, tokens = make_ledger(Path(tmp), clients)
        marks = [m for m in (1000, 5000, 10000, requests) if m <= requests]
        marks = sorted(set(marks))
        with server(db, tokens["管理员"]) as (port, proc):
            print(f"3. server memory (VmRSS) over {requests} requests ({clients} clients, the same mix)")
            print(f"   after      0 requests: {rss_mb(proc.pid):6.1f} MB")
            done = 0
            for mark in marks:
                each = (mark - done) // clients
                figures = load(port, proc.pid, tokens, clients, each, start=done // clients)
                done += each * clients
                with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
                    cases = conn.execute("SELECT count(*) FROM cases").fetchone()[0]
                print(
                    f"   after {done:6d} requests: {rss_mb(proc.pid):6.1f} MB   ({cases} cases in the ledger, "
                    f"{figures['per_s']:.0f} commands/s, p99 {figures['p99']:.0f} ms, "
                    f"{len(figures['failed'])} failed)"
                )


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "_client":
        port, token, client, commands, start, go = sys.argv[2:8]
        client_main(int(port), token, int(client), int(commands), int(start), float(go))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=("remote", "load", "memory", "all"), default="all")
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--commands", type=int, default=100)
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--profile", action="store_true", help="load: profile the server's work in-process")
    opts = parser.parse_args()
    if opts.part in ("remote", "all"):
        part_remote(opts.runs)
    if opts.part in ("load", "all"):
        part_load(opts.clients, opts.commands, opts.profile)
    if opts.part in ("memory", "all"):
        part_memory(opts.requests, opts.clients)


if __name__ == "__main__":
    main()
