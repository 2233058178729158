"""``make bench``: what users feel, measured side by side with the baselines that bound it, in one run.

    python benchmarks/run.py            # everything (generates its data the first time: ~6 minutes)
    python benchmarks/run.py --runs 11  # more runs per figure
    python benchmarks/run.py --skip-million-import

Prints, as medians over several runs, each in a fresh process:
1. interactive commands (intake, assign, resolve, show, list --overdue, list --search) on ledgers of 10k, 100k and 1M cases
   against ``python -c "import typer, rich.table, sqlite_utils"`` (the floor of the stack), interleaved so that
   noise hits all alike — target ≤ 1.3× the floor, flat from 10k to 1M;
2. the reports (``benchmarks/reports.py``): weekly, monthly and trend at 100k and 1M cases, the weekly XLSX
   and the monthly HTML at 1M, and the weekly 台账 of a week months back on 100k imported cases all still open;
3. ``import`` of a 100k-row CSV against a bare ``csv`` + ``sqlite3.executemany`` load of the same file and
   ``sqlite-utils insert --csv`` — target ≤ 6× the bare load, duplicate detection included, and the
   detection alone (the sweep for possible repeats, measured apart) ≤ 1×; and the peak memory of importing
   1M rows — target < 200 MB.
Ledgers are made by ``generate.py`` into ``benchmarks/data/`` (not in git) and reused on later runs.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

import peak

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import html_render  # noqa: E402
import import_bench  # noqa: E402
import reports as report_bench  # noqa: E402

BIN = Path(sys.executable).parent
WZ = str(BIN / "wenzheng")
NOW = report_bench.NOW
SIZES = (10_000, 100_000, 1_000_000)
FLOOR = [sys.executable, "-c", "import typer, rich.table, sqlite_utils"]


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Wall time (s) and peak memory (MB) of one child process."""
    usage = peak.run(cmd, env)
    if usage.code != 0:
        raise SystemExit(f"failed: {' '.join(cmd)[:120]}\n{usage.stderr[-600:]}")
    return usage.seconds, int(usage.peak_mb)


def env_for(db: Path) -> dict[str, str]:
    env = {**os.environ, "WENZHENG_DB": str(db), "WENZHENG_NOW": NOW, "WENZHENG_OPERATOR": "bench"}
    env.pop("WENZHENG_DEBUG", None)
    env.pop("COLUMNS", None)
    # An installed wenzheng runs from bytecode; with PYTHONDONTWRITEBYTECODE set (some shells and CI set it)
    # every command would compile all of its modules from source, ~20 ms that no user pays.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def open_cases(db: Path, count: int) -> list[str]:
    conn = sqlite3.connect(db)
    rows = conn.execute(
        "SELECT number FROM cases WHERE status IN ('assigned', 'claimed') ORDER BY pk DESC LIMIT ?", (count,)
    ).fetchall()
    conn.close()
    if len(rows) < count:
        raise SystemExit(f"{db} has too few open cases for the benchmark")
    return [row[0] for row in rows]


def interactive(db: Path, runs: int) -> dict[str, float]:
    """Median seconds of each command and of the floor, interleaved run by run."""
    env = env_for(db)
    targets = open_cases(db, runs + 3)  # runs + 1 to resolve (one in the warm-up), one reassigned, one shown
    shown = targets[runs + 2]
    reassigned = targets[runs + 1]
    times: dict[str, list[float]] = {}

    def commands(i: int) -> dict[str, list[str]]:
        return {
            "floor": FLOOR,
            "intake": [
                WZ,
                "intake",
                "3号楼楼道堆放杂物，影响通行",
                "--category",
                "堆码物清理",
                "--phone",
                "13812345678",
            ],
            "assign": [WZ, "assign", reassigned, "--to", "王芳", "--unit", "城管科"],
            "resolve": [WZ, "resolve", targets[i], "--result", "已清理楼道杂物"],
            "show": [WZ, "show", shown],
            "list --overdue": [WZ, "list", "--overdue"],
            # A two-character word (through the trigram index's terms) and a three-character one.
            "list --search 路灯": [WZ, "list", "--search", "路灯"],
            "list --search 井盖松": [WZ, "list", "--search", "井盖松"],
        }

    for cmd in commands(runs).values():  # warm the page cache; resolves the spare case
        timed(cmd, env)
    for i in range(runs):
        for name, cmd in commands(i).items():
            times.setdefault(name, []).append(timed(cmd, env)[0])
    return {name: statistics.median(values) for name, values in times.items()}


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=7, help="runs per figure (median)")
    parser.add_argument("--skip-million-import", action="store_true", help="skip the 1M-row import (~2 min)")
    args = parser.parse_args()
    started = time.perf_counter()
    info = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    cpu = next((line.split(":", 1)[1].strip() for line in info.splitlines() if "model name" in line), "?")
    print(
        f"machine: {os.cpu_count()} cores, {cpu}; Python {sys.version.split()[0]}; SQLite {sqlite3.sqlite_version}"
    )

    data = HERE / "data"
    ledgers = {size: report_bench.ensure(size, data) for size in SIZES}
    work = Path(tempfile.mkdtemp(prefix="wz-bench-"))
    try:
        # Interactive commands change the ledger: they run on copies so the reports see the generated data.
        medians: dict[int, dict[str, float]] = {}
        for size, db in ledgers.items():
            copy = work / f"interactive-{size}.db"
            shutil.copy(db, copy)
            medians[size] = interactive(copy, args.runs)
            copy.unlink()
        print(f"\n1. Interactive commands, median of {args.runs} interleaved runs (ms; × the floor)")
        print(f"| command | {' | '.join(f'{s:,} cases' for s in SIZES)} | target ≤ 1.3× at 1M |")
        print("|---|" + "---:|" * len(SIZES) + "---|")
        floor_line = " | ".join(f"{medians[s]['floor'] * 1000:.0f} ms" for s in SIZES)
        print(f"| floor: `import typer, rich.table, sqlite_utils` | {floor_line} | |")
        for name in (
            "intake",
            "assign",
            "resolve",
            "show",
            "list --overdue",
            "list --search 路灯",
            "list --search 井盖松",
        ):
            cells = [
                f"{medians[s][name] * 1000:.0f} ms ({medians[s][name] / medians[s]['floor']:.2f}×)"
                for s in SIZES
            ]
            ratio = medians[SIZES[-1]][name] / medians[SIZES[-1]]["floor"]
            print(f"| `{name}` | {' | '.join(cells)} | {verdict(ratio <= 1.3)} |")

        print(f"\n2. Reports (see benchmarks/reports.py), median of {args.runs} runs")
        for_reports = {"100000": ledgers[100_000], "1000000": ledgers[1_000_000]}
        for_reports["open"] = report_bench.ensure_open(data)
        report_bench.table(report_bench.run(report_bench.BENCHES, for_reports, args.runs), args.runs)

        print("\n2b. HTML reports")
        html_render.section(WZ, env_for(ledgers[1_000_000]), args.runs, "1,000,000")

        runs = max(3, args.runs // 2)
        src = data / "bench-100000.csv"
        if not src.exists():
            import_bench.generate(src, 100_000)
        print(f"\n3. Import of a 100,000-row CSV ({src.stat().st_size / 1e6:.0f} MB), median of {runs} runs")
        bare = import_bench.median_of(runs, import_bench.run_bare, src, work)
        lib = import_bench.median_of(runs, import_bench.run_sqlite_utils, src, work)
        ours = import_bench.median_of(runs, import_bench.run_wenzheng, src, work)
        print("| load | median s | × bare | peak MB |")
        print("|---|---:|---:|---:|")
        for name, (t, peak) in (
            ("bare `csv` + `sqlite3.executemany`", bare),
            ("`sqlite-utils insert --csv`", lib),
            ("`wenzheng import`", ours),
        ):
            print(f"| {name} | {t:.2f} | {t / bare[0]:.2f} | {peak / 1024:.0f} |")
        print(f"target import ≤ 6× bare: {verdict(ours[0] <= 6 * bare[0])} ({ours[0] / bare[0]:.2f}×)")
        sweep, flags = import_bench.repeats_only(src, runs)
        print(
            f"duplicate detection alone (the sweep over the file's rows, {flags} flags): {sweep:.2f} s,"
            f" {sweep / bare[0]:.2f}× bare — target ≤ 1×: {verdict(sweep <= bare[0])}"
        )
        if not args.skip_million_import:
            big = data / "bench-1000000.csv"
            if not big.exists():
                import_bench.generate(big, 1_000_000)
            t, peak = import_bench.run_wenzheng(big, work)
            print(
                f"1,000,000 rows: wenzheng import {t:.0f} s, peak memory {peak / 1024:.0f} MB "
                f"(target < 200 MB: {verdict(peak / 1024 < 200)})"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"\nbench took {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
