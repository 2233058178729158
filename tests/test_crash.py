"""kill -9 at random moments during writes (lifecycle commands and backups): the ledger always opens, passes
check, and holds every command that reported success — and at most the one in flight besides."""

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
import sys
from typer.testing import CliRunner
from wenzheng_cli.cli.app import app

runner = CliRunner()
backups = sys.argv[1]
n = 0
def run(*args):
    r = runner.invoke(app, list(args))
    if r.exit_code:
        sys.stderr.write(r.stderr)
        sys.exit(r.exit_code)
    return r
while True:
    number = runner.invoke(app, ["intake", "夜间施工噪音扰民" * 20, "--category", "噪音扰民", "--json"])
    if number.exit_code:
        sys.stderr.write(number.stderr); sys.exit(1)
    import json
    case = json.loads(number.stdout)["number"]
    n += 1
    print(f"intake {n}", flush=True)
    run("assign", case, "--to", "王芳", "--within", "3wd")
    run("--operator", "王芳", "resolve", case, "--result", "已协调施工方调整作业时间")
    run("--operator", "回访员", "revisit", case, "--rating", "不满意")
    print("step", flush=True)
    if n % 3 == 0:
        run("backup", f"{backups}/r{sys.argv[2]}-b{n}.db")
        print("backup", flush=True)
"""


def test_kill_nine_at_random_points(wz: Wz, tmp_path: Path, ledger_env: Path) -> None:
    rng = random.Random(20261123)
    backups = tmp_path / "backups"
    backups.mkdir()
    wz("init")
    total = 0
    for round_ in range(20):
        worker = subprocess.Popen(
            [sys.executable, "-c", WORKER, str(backups), str(round_)],
            env=dict(os.environ),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(rng.uniform(0.3, 1.2))
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait()
        out = worker.stdout.read() if worker.stdout else ""
        assert worker.returncode == -signal.SIGKILL, worker.stderr.read() if worker.stderr else ""
        report = json.loads(wz("check", "--json").stdout)
        assert report["ok"] is True, (round_, report)
        cases = wz.json("list")
        completed = out.count("intake ")
        assert total + completed <= len(cases) <= total + completed + 1, (round_, completed, len(cases))
        total = len(cases)
    for copy in backups.glob("*.db"):
        assert json.loads(wz("check", "--json", "--db", str(copy)).stdout)["ok"] is True
    assert wz.json("check")["cases"] >= 20
