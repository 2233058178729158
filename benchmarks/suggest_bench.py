"""``wenzheng suggest`` against the start-up floor, and what ``import --suggest-category`` adds to an import.

    python benchmarks/suggest_bench.py [--runs 9]

Set-up: a fresh ledger gets the 3,564 labelled contest messages (``../shared/data``) imported with a date,
which trains the model. Then, whole processes, interleaved so that noise hits all alike, medians of the runs:
the stack's floor (``python -c "import typer, rich.table, sqlite_utils"``), ``wenzheng --help``, and
``wenzheng suggest TEXT`` (target: within 2× the floor). Last, 1,000 unlabelled rows imported into copies of
that ledger with and without ``--suggest-category`` (target: the difference < 1 s).
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "tipdm2020c_fujian2_labelled_train.csv"
BIN = Path(sys.executable).with_name("wenzheng")
TEXT = "小区门口的路灯坏了一个多月，晚上出行很不安全，希望有关部门尽快修好"


def timed(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def write_rows(path: Path, rows: list[dict[str, str]], *, labelled: bool, year: int = 2019) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["留言时间", "留言主题", "留言详情", "一级分类"])
        for i, row in enumerate(rows):
            day = f"{year}-{1 + i % 12:02d}-{1 + i % 28:02d} 10:{i % 60:02d}"
            writer.writerow([day, row["留言主题"], row["留言详情"], row["一级标签"] if labelled else ""])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    if not DATA.exists():
        sys.exit(f"{DATA} not found")
    with DATA.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = folder / "ledger.db"
        env = dict(os.environ, WENZHENG_DB=str(db), WENZHENG_NOW="2026-11-23T10:00:00+08:00")
        labelled = folder / "labelled.csv"
        write_rows(labelled, rows, labelled=True)
        subprocess.run([str(BIN), "init", "--office", "BM"], env=env, check=True, stdout=subprocess.DEVNULL)
        started = time.perf_counter()
        subprocess.run([str(BIN), "import", str(labelled)], env=env, check=True, stdout=subprocess.DEVNULL)
        print(
            f"set-up: {len(rows):,} labelled messages imported and learned in {time.perf_counter() - started:.1f} s"
        )
        commands = {
            "floor (import typer, rich.table, sqlite_utils)": [
                sys.executable,
                "-c",
                "import typer, rich.table, sqlite_utils",
            ],
            "wenzheng --help": [str(BIN), "--help"],
            "wenzheng suggest TEXT": [str(BIN), "suggest", TEXT],
        }
        timings: dict[str, list[float]] = {name: [] for name in commands}
        for command in commands.values():
            timed(command, env)  # warm the file cache
        for _ in range(args.runs):
            for name, command in commands.items():
                timings[name].append(timed(command, env))
        floor = statistics.median(timings[next(iter(commands))])
        for name, values in timings.items():
            median = statistics.median(values)
            print(f"{name:<48} median {median * 1000:6.0f} ms  ({median / floor:.2f}× the floor)")
        fresh = folder / "fresh.csv"
        write_rows(fresh, rows[:1000], labelled=False, year=2020)  # new rows: not in the ledger yet
        plain, suggested = [], []
        for _ in range(3):
            for flag, bucket in (([], plain), (["--suggest-category"], suggested)):
                copy = folder / "copy.db"
                shutil.copy(db, copy)
                run_env = dict(env, WENZHENG_DB=str(copy))
                bucket.append(timed([str(BIN), "import", str(fresh), *flag], run_env))
                copy.unlink()
        a, b = statistics.median(plain), statistics.median(suggested)
        print(f"import of 1,000 rows: {a:.2f} s; with --suggest-category {b:.2f} s (+{b - a:.2f} s)")


if __name__ == "__main__":
    main()
