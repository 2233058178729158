"""Several clerks writing at once: no lost write, no "database is locked", no duplicate number."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # processes; `pytest -m "not slow"` leaves these out

WORKER = """
import sys
from typer.testing import CliRunner
from wenzheng_cli.cli.app import app

runner = CliRunner()
made = runner.invoke(app, ["init"])  # the four race to make and migrate the ledger
if made.exit_code != 0:
    sys.stderr.write(made.stderr)
    sys.exit(made.exit_code)
for i in range(int(sys.argv[2])):
    result = runner.invoke(app, ["intake", f"第{sys.argv[1]}组走访记录 {i}", "--category", "环境卫生"])
    if result.exit_code != 0:
        sys.stderr.write(result.stderr)
        sys.exit(result.exit_code)
"""


def test_four_processes_times_25_intakes(tmp_path: Path, wz: object) -> None:
    db = tmp_path / "shared.db"  # not created beforehand: the four also race to create and migrate it
    env = {**os.environ, "WENZHENG_DB": str(db)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(n), "25"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for n in range(4)
    ]
    outcomes = [(p.wait(timeout=300), p.stderr.read().decode() if p.stderr else "") for p in procs]
    assert outcomes == [(0, "")] * 4
    listed = subprocess.run(
        [sys.executable, "-m", "wenzheng_cli", "--db", str(db), "list", "--json"],
        env=env,
        capture_output=True,
        check=True,
    )
    cases = json.loads(listed.stdout)
    numbers = sorted(c["number"] for c in cases)
    assert len(cases) == 100
    assert numbers == [f"WZ-2026-{n:04d}" for n in range(1, 101)]
    for n in range(4):
        assert sum(c["description"].startswith(f"第{n}组") for c in cases) == 25
    checked = subprocess.run(
        [sys.executable, "-m", "wenzheng_cli", "--db", str(db), "check", "--json"],
        env=env,
        capture_output=True,
    )
    assert json.loads(checked.stdout)["ok"] is True
