"""Import speed and memory: ``wenzheng import`` against a bare load of the same CSV, side by side.

    python benchmarks/import_bench.py                 # 100k rows, median of 3 runs each
    python benchmarks/import_bench.py --rows 20000 --runs 5
    python benchmarks/import_bench.py --million       # also the peak memory of importing 1M rows (slow)
    python benchmarks/import_bench.py --profile       # cProfile of one import, the 25 costliest functions

Three loads of one generated file (realistic 12345-export columns and Chinese text, half the rows with a
reply), each in its own process and a fresh database:
- ``wenzheng import FILE``: validation, source keys, case numbers, intake + resolve events, duplicate flags;
- bare: ``csv.reader`` + ``sqlite3.executemany`` into a plain table of text columns, one transaction;
- ``sqlite-utils insert DB TABLE FILE --csv``.
The target: the import, duplicate detection included, takes at most 6× the bare load; the detection of
possible duplicates alone at most 1×; importing 1M rows peaks under 200 MB.

Parts of the import are also measured apart, each in its own process, to show where the time goes:
- read + parse only: the file read and every row cleaned, parsed and validated, nothing written;
- its writes: the import run whole in a child process, timed from the moment its rows are all staged to the
  commit — the cases, their events and the flags written by set-based SQL, and the commit — the sweep and the
  search index timed apart; also into a ledger stripped of its secondary indexes (what deferring them could
  gain at most, before rebuilding them);
- duplicate detection only: the sweep for possible duplicates (``core.duplicates.DuplicateFinder``) over the rows
  of the file in received order (read and parsed first, untimed), beside an empty ledger;
- the floor: the cases and events one import wrote, copied as they are into a fresh ledger (its indexes on)
  and committed — what writing them costs with no reading, parsing, ordering, numbering or JSON building.
  With read + parse, the search index and a sweep of at most 1×, it is the least any import that writes
  each case twice (its row and its intake event, DESIGN's "events are the truth") and indexes it could take.
Wall times are medians; the CPU time (user + system) of the same processes is printed beside them, as the
shared machine's load inflates wall times.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import peak

sys.path.insert(0, str(Path(__file__).resolve().parent))
from import_children import BARE, FLOOR, PARSE_ONLY, REPEATS_ONLY, WRITE_ONLY
from import_rows import generate

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
BIN = Path(sys.executable).parent


def _env(db: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(WENZHENG_DB=str(db), WENZHENG_OPERATOR="bench", WENZHENG_NOW="2026-11-23T10:00:00+08:00")
    env.pop("WENZHENG_DEBUG", None)
    return env


CPU: dict[str, list[float]] = {}  # CPU seconds (user + system) of each timed child, by what it ran


def _timed(cmd: list[str], env: dict[str, str] | None = None, label: str = "") -> tuple[float, int]:
    """Wall time and peak memory (KB) of one child process; its CPU time goes to ``CPU[label]``."""
    usage = peak.run(cmd, env)
    if usage.code != 0:
        raise SystemExit(f"{' '.join(cmd[:3])} failed ({usage.code}): {usage.stderr[-400:]}")
    CPU.setdefault(label, []).append(usage.cpu)
    return usage.seconds, int(usage.peak_mb * 1024)


def cpu(label: str) -> float:
    """The median CPU seconds of the children timed under ``label``."""
    return statistics.median(CPU[label]) if CPU.get(label) else float("nan")


def _fresh(folder: Path) -> Path:
    for p in folder.glob("bench.db*"):
        p.unlink()
    return folder / "bench.db"


def run_wenzheng(src: Path, folder: Path) -> tuple[float, int]:
    db = _fresh(folder)
    env = _env(db)
    subprocess.run(
        [str(BIN / "wenzheng"), "init", "--office", "BM"], env=env, check=True, capture_output=True
    )
    return _timed([str(BIN / "wenzheng"), "import", str(src)], env, "wenzheng")


def run_bare(src: Path, folder: Path) -> tuple[float, int]:
    return _timed([sys.executable, "-c", BARE, str(src), str(_fresh(folder))], label="bare")


def run_sqlite_utils(src: Path, folder: Path) -> tuple[float, int]:
    cmd = [str(BIN / "sqlite-utils"), "insert", str(_fresh(folder)), "rows", str(src), "--csv"]
    return _timed(cmd, label="sqlite-utils")


def run_parse_only(src: Path, folder: Path) -> tuple[float, int]:
    return _timed([sys.executable, "-c", PARSE_ONLY, str(src)], _env(_fresh(folder)), "parse")


def write_only(src: Path, folder: Path, runs: int) -> tuple[float, float, float]:
    """Median seconds of the import's writes once its rows are staged — cases, events and flags in set-based
    SQL, and the commit — into a fresh ledger with its indexes and without its secondary ones, and of indexing
    the new cases for search (timed inside a child that runs the import itself, the sweep left out)."""
    times: dict[bool, list[float]] = {True: [], False: []}
    search: list[float] = []
    for _ in range(runs):
        for indexed in (True, False):
            db = _fresh(folder)
            env = _env(db)
            subprocess.run(
                [str(BIN / "wenzheng"), "init", "--office", "BM"], env=env, check=True, capture_output=True
            )
            extra = [] if indexed else ["without-secondary-indexes"]
            out = subprocess.run(
                [sys.executable, "-c", WRITE_ONLY, str(src), str(db), *extra],
                env=env,
                check=True,
                capture_output=True,
                text=True,
            )
            _, rows, index = out.stdout.splitlines()[-1].split()
            times[indexed].append(float(rows))
            if indexed:
                search.append(float(index))
    return statistics.median(times[True]), statistics.median(times[False]), statistics.median(search)


def floor_only(src: Path, folder: Path, runs: int) -> float:
    """Median seconds of writing what one import of the file writes — its cases and events, with the ledger's
    indexes, and the commit — copied as they are from a ledger the import filled: no reading, parsing,
    ordering, numbering or JSON building. No import can write its rows faster than this."""
    run_wenzheng(src, folder)
    done = folder / "done.db"
    (folder / "bench.db").rename(done)
    times = []
    for _ in range(runs):
        db = _fresh(folder)
        subprocess.run(
            [str(BIN / "wenzheng"), "init", "--office", "BM"], env=_env(db), check=True, capture_output=True
        )
        out = subprocess.run(
            [sys.executable, "-c", FLOOR, str(done), str(db)], check=True, capture_output=True, text=True
        )
        times.append(float(out.stdout.split()[-1]))
    done.unlink()
    return statistics.median(times)


def repeats_only(src: Path, runs: int) -> tuple[float, int]:
    """Median seconds of the repeat sweep over the file's rows (timed inside the child), and its flags."""
    times, flags = [], 0
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", REPEATS_ONLY, str(src)], check=True, capture_output=True, text=True
        )
        seconds, count = out.stdout.split()
        times.append(float(seconds))
        flags = int(count)
    return statistics.median(times), flags


def interleaved(
    runs: int, loads: dict[str, Callable[[Path, Path], tuple[float, int]]], src: Path, folder: Path
) -> dict[str, tuple[float, int]]:
    """Each load's median wall time and largest peak memory, the loads taking turns run after run so that
    the shared machine's noise hits them alike."""
    times: dict[str, list[float]] = {name: [] for name in loads}
    peaks: dict[str, list[int]] = {name: [] for name in loads}
    for _ in range(runs):
        for name, fn in loads.items():
            t, peak = fn(src, folder)
            times[name].append(t)
            peaks[name].append(peak)
    return {name: (statistics.median(times[name]), max(peaks[name])) for name in loads}


def median_of(runs: int, fn: object, src: Path, folder: Path) -> tuple[float, int]:
    times, peaks = [], []
    for _ in range(runs):
        t, peak = fn(src, folder)  # type: ignore[operator]
        times.append(t)
        peaks.append(peak)
    return statistics.median(times), max(peaks)


def profile(src: Path, folder: Path) -> None:
    import cProfile
    import pstats

    db = _fresh(folder)
    os.environ.update(_env(db))
    from wenzheng_cli.cli.app import app

    subprocess.run(
        [str(BIN / "wenzheng"), "init", "--office", "BM"], env=_env(db), check=True, capture_output=True
    )
    out = folder / "import.prof"
    cProfile.runctx(
        "app(['import', str(src)], standalone_mode=False)", globals(), {"app": app, "src": src}, str(out)
    )
    pstats.Stats(str(out)).sort_stats("tottime").print_stats(25)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--million", action="store_true", help="also measure the peak memory at 1M rows")
    parser.add_argument("--profile", action="store_true", help="profile one import instead of timing")
    args = parser.parse_args()

    DATA.mkdir(exist_ok=True)
    src = DATA / f"bench-{args.rows}.csv"
    if not src.exists():
        generate(src, args.rows)
    folder = Path(tempfile.mkdtemp(prefix="wz-bench-"))
    try:
        if args.profile:
            profile(src, folder)
            return
        size = src.stat().st_size / 1e6
        print(
            f"{args.rows:,} rows, {size:.1f} MB CSV; median of {args.runs} runs, each in a fresh process and database"
        )
        found = interleaved(
            args.runs,
            {
                "bare": run_bare,
                "sqlite-utils": run_sqlite_utils,
                "wenzheng": run_wenzheng,
            },
            src,
            folder,
        )
        (bare_t, bare_m), (su_t, su_m) = found["bare"], found["sqlite-utils"]
        wz_t, wz_m = found["wenzheng"]
        bare_cpu = cpu("bare")
        print(f"{'load':<40}{'median s':>10}{'× bare':>9}{'CPU s':>8}{'× bare':>9}{'peak MB':>10}")

        def line(name: str, t: float, label: str = "", peak: int | None = None) -> None:
            used = cpu(label) if label else float("nan")
            shown_cpu = f"{used:>8.2f}{used / bare_cpu:>9.2f}" if label else f"{'':>17}"
            shown_peak = f"{peak / 1024:>10.0f}" if peak is not None else ""
            print(f"{name:<40}{t:>10.2f}{t / bare_t:>9.2f}{shown_cpu}{shown_peak}")

        line("bare csv + executemany", bare_t, "bare", bare_m)
        line("sqlite-utils insert --csv", su_t, "sqlite-utils", su_m)
        line("wenzheng import", wz_t, "wenzheng", wz_m)
        parse_t, parse_m = median_of(args.runs, run_parse_only, src, folder)
        write_t, bare_write_t, search_t = write_only(src, folder, args.runs)
        repeats_t, flags = repeats_only(src, args.runs)
        floor_t = floor_only(src, folder, args.runs)
        print("  measured apart:")
        line("  read + parse + validate, no writes", parse_t, "parse", parse_m)
        line("  its writes, from the staged rows", write_t)
        line("  … without secondary indexes", bare_write_t)
        line("  index them for search", search_t)
        line("  duplicate detection (sweep)", repeats_t)
        line("  its rows copied as written (the floor)", floor_t)
        verdict = "met" if wz_t <= 6 * bare_t else "NOT met"
        print(f"target import ≤ 6× bare: {verdict} ({wz_t / bare_t:.2f}×)")
        verdict = "met" if repeats_t <= bare_t else "NOT met"
        print(f"target duplicate detection ≤ 1× bare: {verdict} ({repeats_t / bare_t:.2f}×, {flags} flags)")
        least = parse_t + floor_t + search_t + min(repeats_t, bare_t)
        print(
            f"the least any import of this design could take: read + parse, its rows copied as written, the"
            f" search index and a sweep of at most 1× = {least / bare_t:.2f}× bare"
        )
        if args.million:
            big = DATA / "bench-1000000.csv"
            if not big.exists():
                print("generating 1,000,000 rows …", flush=True)
                generate(big, 1_000_000)
            t, peak = run_wenzheng(big, folder)
            verdict = "met" if peak / 1024 < 200 else "NOT met"
            print(
                f"1,000,000 rows: wenzheng import {t:.1f} s, peak memory {peak / 1024:.0f} MB (target < 200 MB: {verdict})"
            )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
