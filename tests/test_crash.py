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

from tests.conftest import Wz

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


def test_kill_nine_at_random_points(wz: Wz, tmp_path: Path, ledger_env: Path) -> None:
    rng = random.Random(20261123)
    folder = tmp_path / "work"
    folder.mkdir()
    wz("init")
    total = 0
    kinds: list[str] = []
    for round_ in range(20):
        worker = subprocess.Popen(
            [sys.executable, "-c", WORKER, str(folder), str(round_)],
            env=dict(os.environ),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(rng.uniform(0.3, 1.5))
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait()
        log = worker.stdout.read() if worker.stdout else ""
        assert worker.returncode == -signal.SIGKILL, worker.stderr.read() if worker.stderr else ""
        report = json.loads(wz("check", "--json").stdout)
        assert report["ok"] is True, (round_, report)
        count = report["cases"]
        added, pending = in_flight(log)
        assert count - total - added in (0, pending), (round_, log[-200:], count, total)
        total = count
        kinds.extend(line.split(" ")[1] for line in log.splitlines() if line.startswith("done"))
    for copy in folder.glob("*.db"):
        assert json.loads(wz("check", "--json", "--db", str(copy)).stdout)["ok"] is True
    assert wz.json("check")["cases"] >= 20
    assert {"intake", "resolve", "revisit", "backup", "import"} <= set(kinds)  # every kind of write ran
