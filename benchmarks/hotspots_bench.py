"""``wenzheng hotspots`` over a year of cases: time and peak memory of the whole process, by ledger size.

    python benchmarks/hotspots_bench.py [--sizes 10000,100000] [--runs 3]

Ledgers of N cases spread over one year are made by ``benchmarks/generate.py`` into ``benchmarks/data/`` on
first use (``hotspots-N.db``). Each run is a fresh process, ``hotspots --since <a year before> --until <end>
--format json``; the figures are the medians of the runs (wall clock, and CPU time: user + system, which a
busy machine does not inflate as much) and the peak resident memory, of the command's process and the one it
reads the cases in (20,000 cases or more) added up (target: < 10 s at 100,000 cases, memory flat as the ledger
grows).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import peak

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
END = "2026-11-23T10:00:00+08:00"


def ledger(size: int) -> Path:
    path = DATA / f"hotspots-{size}.db"
    if not path.exists():
        DATA.mkdir(exist_ok=True)
        partial = path.with_suffix(".db.partial")
        partial.unlink(missing_ok=True)
        print(f"generating {path.name} …", file=sys.stderr)
        subprocess.run(
            [
                sys.executable,
                str(HERE / "generate.py"),
                "--cases",
                str(size),
                "--years",
                "1",
                "--out",
                str(partial),
            ],
            check=True,
        )
        partial.rename(path)
    return path


def run(path: Path) -> tuple[float, float, int, dict[str, object]]:
    """(seconds, CPU seconds, peak RSS in MB, the JSON) of one whole ``wenzheng hotspots`` over the year."""
    return hotspots_process(path, END, "--since", "2025-11-24", "--until", "2026-11-23")


def hotspots_process(path: Path, now: str, *period: str) -> tuple[float, float, int, dict[str, object]]:
    """(seconds, CPU seconds, peak RSS in MB, the JSON) of one whole ``wenzheng hotspots *period --json``
    process on the ledger ``path`` at the moment ``now``."""
    env = dict(os.environ, WENZHENG_NOW=now, WENZHENG_DB=str(path))
    command = [str(Path(sys.executable).with_name("wenzheng")), "hotspots", *period, "--json"]
    with tempfile.TemporaryFile() as out:
        usage = peak.run(command, env, stdout=out)
        out.seek(0)
        if usage.code:
            sys.exit(f"hotspots failed: {usage.stderr}")
        # A long period is read in a second process: its peak counts too (``peak.Usage.together_mb``).
        return usage.seconds, usage.cpu, int(max(usage.peak_mb, usage.together_mb)), json.loads(out.read())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(
        f"{'cases':>9}  {'median':>8}  {'runs':<20}  {'CPU':>6}  {'peak RSS':>8}  hotspots (top: cases, people, heat)"
    )
    for size in (int(s) for s in args.sizes.split(",")):
        path = ledger(size)
        times, cpus, peaks = [], [], []
        data: dict[str, object] = {}
        for _ in range(args.runs):
            elapsed, cpu, peak, data = run(path)
            times.append(elapsed)
            cpus.append(cpu)
            peaks.append(peak)
        spots = data["hotspots"]
        assert isinstance(spots, list)
        top = spots[0] if spots else {}
        runs = ", ".join(f"{t:.2f}" for t in times)
        print(
            f"{size:>9,}  {statistics.median(times):>7.2f}s  {runs:<20}  {statistics.median(cpus):>5.2f}s  "
            f"{max(peaks):>5} MB  "
            f"{len(spots)} (top: {top.get('cases')}, {top.get('people')}, {top.get('heat')} — {top.get('place')})"
        )


if __name__ == "__main__":
    main()
