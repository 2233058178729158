"""Interactive commands on a large ledger vs. the import floor of the stack, side by side in one run.

    python benchmarks/interactive.py LEDGER [--runs 15]

Each round runs the floor (`python -c "import typer, rich.table, sqlite_utils"`) and then every command once,
so that machine noise hits all of them alike; the table shows medians and the ratio to the floor.
The ledger is changed (intakes are added, one case is reassigned): use a copy.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

BIN = Path(sys.executable).parent


def wenzheng() -> list[str]:
    found = shutil.which("wenzheng", path=str(BIN)) or shutil.which("wenzheng")
    return [found] if found else [sys.executable, "-m", "wenzheng_cli"]


def timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{done.stderr.decode()}")
    return elapsed


def commands(ledger: Path) -> dict[str, list[str]]:
    conn = sqlite3.connect(ledger)
    number = conn.execute(
        "SELECT number FROM cases WHERE status IN ('assigned','claimed') LIMIT 1"
    ).fetchone()
    shown = conn.execute("SELECT number FROM cases ORDER BY pk DESC LIMIT 1").fetchone()[0]
    conn.close()
    if number is None:
        raise SystemExit("the ledger has no assigned case to reassign")
    wz = [*wenzheng(), "--db", str(ledger)]
    return {
        "intake": [
            *wz,
            "intake",
            "3号楼楼道堆放杂物，影响通行",
            "--category",
            "堆码物清理",
            "--phone",
            "13812345678",
        ],
        "assign": [*wz, "assign", number[0], "--to", "王芳", "--unit", "城管科"],
        "show": [*wz, "show", shown],
        "list --overdue": [*wz, "list", "--overdue"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("ledger", type=Path)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    env = {**os.environ, "WENZHENG_OPERATOR": "bench"}
    env.pop("WENZHENG_NOW", None)
    floor = [sys.executable, "-c", "import typer, rich.table, sqlite_utils"]
    cmds = commands(args.ledger)
    times: dict[str, list[float]] = {"floor": [], **{name: [] for name in cmds}}
    for cmd in cmds.values():  # warm the page cache once
        timed(cmd, env)
    for _ in range(args.runs):
        times["floor"].append(timed(floor, env))
        for name, cmd in cmds.items():
            times[name].append(timed(cmd, env))
    base = statistics.median(times["floor"])
    conn = sqlite3.connect(args.ledger)
    size = conn.execute("SELECT COUNT(*) FROM cases").fetchone()[0]
    print(f"ledger: {size:,} cases; {args.runs} runs each, interleaved; median wall time")
    print(f"{'command':<18}{'median ms':>10}{'× floor':>9}")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"{name:<18}{median * 1000:>10.1f}{median / base:>9.2f}")


if __name__ == "__main__":
    main()
