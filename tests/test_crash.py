"""kill -9 at random moments during writes (lifecycle commands, imports and backups): the ledger always opens,
passes check, and holds every command that reported success — plus all or nothing of the one in flight."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.cli import Wz

pytestmark = pytest.mark.slow  # processes and signals; `pytest -m "not slow"` leaves these out

WORKER = """
import json, sys
from pathlib import Path
from typer.testing import CliRunner
from wenzheng_cli.cli.app import app

runner = CliRunner()
folder, round_ = Path(sys.argv[1]), sys.argv[2]
def run(label, *args, adds=0):
    print(f"start {label} {adds}", flush=True)
    r = runner.invoke(app, list(args))
    if r.exit_code:
        sys.stderr.write(r.stderr)
        sys.exit(r.exit_code)
    print(f"done {label} {adds}", flush=True)
    return r
n = 0
while True:
    n += 1
    made = run("intake", "intake", "夜间施工噪音扰民" * 20, "--category", "噪音扰民", "--json", adds=1)
    case = json.loads(made.stdout)["number"]
    run("assign", "assign", case, "--to", "王芳", "--within", "3wd")
    run("resolve", "--operator", "王芳", "resolve", case, "--result", "已协调施工方调整作业时间")
    run("revisit", "--operator", "回访员", "revisit", case, "--rating", "不满意")
    if n % 3 == 0:
        run("backup", "backup", str(folder / f"r{round_}-b{n}.db"))
    if n % 2 == 0:
        csv = folder / f"r{round_}-i{n}.csv"
        lines = ["受理时间,诉求内容,联系电话"]
        lines += [f"2026-11-17 09:{i % 60:02d},第{round_}轮第{n}批第{i}件 楼道灯不亮,1390000{i:04d}" for i in range(400)]
        csv.write_text("\\n".join(lines) + "\\n", encoding="utf-8")
        run("import", "import", str(csv), adds=400)
"""


def in_flight(log: str) -> tuple[int, int]:
    """(cases added by commands that finished, cases the unfinished one would add)."""
    added, pending = 0, 0
    for line in log.splitlines():
        kind, _, adds = line.split(" ")
        if kind == "start":
            pending = int(adds)
        else:
            added += int(adds)
            pending = 0
    return added, pending


KINDS = ("intake", "assign", "resolve", "revisit", "backup", "import")


def kill_during(worker: subprocess.Popen[str], kind: str, delay: float) -> str:
    """Read the worker's log until the first ``start KIND``, wait ``delay`` seconds and kill it: the command is
    then under way (or just done) whatever the machine's speed. Returns the log up to the kill."""
    assert worker.stdout is not None
    lines: list[str] = []
    while True:
        line = worker.stdout.readline()
        if not line:  # the worker ended by itself: a failed command
            raise AssertionError(worker.stderr.read() if worker.stderr else "worker ended")
        lines.append(line)
        if line.startswith(f"start {kind} "):
            break
    time.sleep(delay)
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait()
    return "".join(lines) + worker.stdout.read()


def test_kill_nine_at_random_points(wz: Wz, tmp_path: Path, ledger_env: Path) -> None:
    rng = random.Random(20261123)
    folder = tmp_path / "work"
    folder.mkdir()
    wz("init")
    total = 0
    killed_during: set[str] = set()
    for round_ in range(18):
        kind = KINDS[round_ % len(KINDS)]
        worker = subprocess.Popen(
            [sys.executable, "-c", WORKER, str(folder), str(round_)],
            env=dict(os.environ),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        log = kill_during(worker, kind, rng.uniform(0.0, 0.05))
        assert worker.returncode == -signal.SIGKILL, worker.stderr.read() if worker.stderr else ""
        report = json.loads(wz("check", "--json").stdout)
        assert report["ok"] is True, (round_, report)
        count = report["cases"]
        added, pending = in_flight(log)
        assert count - total - added in (0, pending), (round_, log[-200:], count, total)
        total = count
        killed_during.add(kind)
    for copy in folder.glob("*.db"):
        assert json.loads(wz("check", "--json", "--db", str(copy)).stdout)["ok"] is True
    assert set(KINDS) == killed_during  # every kind of write was under way at a kill
