"""Four processes × 250 mixed commands at once (intake, assign, claim, resolve, revisit, import): every effect is
in the ledger, check passes, numbers unique, and nobody sees "database is locked"."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from tests.support.cli import Wz

pytestmark = pytest.mark.slow  # processes and signals; `pytest -m "not slow"` leaves these out

WORKER = """
import json, sys
from typer.testing import CliRunner
from wenzheng_cli.cli.app import app

runner = CliRunner()
me = sys.argv[1]
done = 0
def run(*args, operator=me):
    global done
    r = runner.invoke(app, ["--operator", operator, *args])
    if r.exit_code:
        sys.stderr.write(f"{args}: {r.stderr}")
        sys.exit(r.exit_code)
    done += 1
    return r
for i in range(50):
    if i % 10 == 0:
        csv = f"{sys.argv[2]}/{me}-{i}.csv"
        with open(csv, "w", encoding="utf-8") as out:
            out.write("受理时间,诉求内容\\n")
            out.writelines(f"2026-11-17 10:{k:02d},{me} 导入第{i}批第{k}件\\n" for k in range(50))
        run("import", csv)
    case = json.loads(run("intake", f"{me} 第{i}件", "--category", "环境卫生", "--json").stdout)["number"]
    run("assign", case, "--to", me, "--within", "2wd")
    run("claim", case)
    run("resolve", case, "--result", "已处理")
    run("revisit", case, "--rating", "满意", operator=f"{me}-回访")
print(done)
"""


def test_four_processes_times_250_mixed_commands(wz: Wz, ledger_env: Path) -> None:
    wz("init")
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, f"w{n}", str(ledger_env.parent)],
            env=dict(os.environ),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(4)
    ]
    results = [
        (p.wait(timeout=600), p.stdout.read() if p.stdout else "", p.stderr.read() if p.stderr else "")
        for p in procs
    ]
    assert [(code, out.strip(), err) for code, out, err in results] == [(0, "255", "")] * 4
    report = wz.json("check")
    assert report == {"ok": True, "cases": 1200, "events": 2000, "problems": []}
    cases = wz.json("list")
    assert len({c["number"] for c in cases}) == 1200
    assert Counter(c["status"] for c in cases) == {"closed": 200, "registered": 1000}
    cases = [c for c in cases if c["status"] == "closed"]
    for n in range(4):
        mine = [c for c in cases if c["description"].startswith(f"w{n} ")]
        assert len(mine) == 50 and all(c["handler"] == f"w{n}" for c in mine)
    shown = wz.json("show", cases[0]["number"])
    assert [e["action"] for e in shown["events"]] == ["intake", "assign", "claim", "resolve", "revisit"]
