"""Time the reports on large ledgers: ``python benchmarks/reports.py [--sizes 100000,1000000] [--runs 5]``.

For each size it uses ``benchmarks/data/cases-<N>.db`` (made with ``generate.py`` when missing, which takes a
few minutes per million cases), runs each report command as a user would — the installed ``wenzheng`` in a
fresh process, stdout to a pipe (so plain tables, no colour) — once to warm the page cache, then ``--runs``
times, and prints the median, fastest and slowest wall-clock time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
NOW = "2026-11-23T10:00:00+08:00"  # the generator's default end: the ledger's "now"

COMMANDS = [
    ["--help"],  # the floor: starting Python and loading the CLI
    ["report", "weekly"],
    ["report", "weekly", "--json"],
    ["report", "weekly", "--week", "2026-10-20"],
    ["report", "monthly", "--by", "community"],
    ["report", "monthly", "--month", "last", "--by", "community"],
    ["report", "monthly", "--month", "last", "--by", "community", "--json"],
    ["report", "monthly", "--month", "last", "--by", "unit"],
    ["report", "monthly", "--month", "2026-06", "--by", "community"],
    ["report", "monthly", "--month", "last", "--format", "xlsx", "--output", "{tmp}/monthly.xlsx"],
    ["report", "monthly", "--month", "last", "--format", "html", "--output", "{tmp}/monthly.html"],
    ["report", "weekly", "--format", "xlsx", "--output", "{tmp}/weekly.xlsx"],
]


def wenzheng() -> str:
    found = Path(sys.executable).parent / "wenzheng"
    return str(found) if found.exists() else "wenzheng"


def ensure(size: int, data: Path) -> Path:
    path = data / f"cases-{size}.db"
    if not path.exists():
        data.mkdir(parents=True, exist_ok=True)
        print(f"generating {path} …", file=sys.stderr)
        # Into a temporary name first: a generation cut short must not pass for a finished ledger later.
        partial = path.with_name(path.name + ".partial")
        for leftover in data.glob(partial.name + "*"):
            leftover.unlink()
        subprocess.run(
            [sys.executable, str(HERE / "generate.py"), "--cases", str(size), "--out", str(partial)],
            check=True,
        )
        for suffix in ("-wal", "-shm"):
            Path(str(partial) + suffix).unlink(missing_ok=True)
        partial.rename(path)
    return path


def timed(args: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(
        [wenzheng(), *args], env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description="报表耗时基准")
    parser.add_argument("--sizes", default="100000,1000000", help="台账案件数，逗号分隔")
    parser.add_argument("--runs", type=int, default=5, help="每条命令计时次数（另有一次预热）")
    parser.add_argument("--data", type=Path, default=HERE / "data", help="基准台账所在目录")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        print(f"| cases | command | median s | min s | max s |  (runs: {args.runs}, after one warm-up)")
        print("|---:|---|---:|---:|---:|")
        for size in (int(part) for part in args.sizes.split(",")):
            path = ensure(size, args.data)
            env = {**os.environ, "WENZHENG_DB": str(path), "WENZHENG_NOW": NOW, "WENZHENG_OPERATOR": "bench"}
            env.pop("COLUMNS", None)
            for command in COMMANDS:
                argv = [part.format(tmp=tmp) for part in command]
                timed(argv, env)
                times = [timed(argv, env) for _ in range(args.runs)]
                label = "wenzheng " + " ".join(command).replace("{tmp}/", "")
                print(
                    f"| {size:,} | `{label}` | {statistics.median(times):.2f} | {min(times):.2f} | {max(times):.2f} |",
                    flush=True,
                )


if __name__ == "__main__":
    main()
