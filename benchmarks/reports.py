"""Time the reports on large ledgers: ``python benchmarks/reports.py [--runs 5] [--profile N]``.

Ledgers (made when missing, into ``benchmarks/data/``, not in git):
- ``cases-<N>.db`` by ``generate.py`` (a few minutes per million cases): the whole lifecycle mix;
- ``open-100000.db``: 100,000 rows of a platform export imported with ``wenzheng import`` and nothing done
  since, so every case is still open — the weekly 台账 of a week months back then lists tens of thousands of
  cases in 结转未销账 and 下周二通报;
- ``open-250000.db``: the same with 250,000 rows — over 200,000 cases carried over in that week, its 台账
  written as CSV and as XLSX side by side (the XLSX's target: within 2× of the CSV).
Only the ledgers of the commands chosen are made.

Each command runs as a user would run it: the installed ``wenzheng`` in a fresh process, stdout to a pipe (plain
tables, no colour), once to warm the page cache, then ``--runs`` times. Printed: the median wall time, the
median CPU time (user + system: what the wall time would be on an idle machine, as a report uses one core)
and the peak memory, each against its target.

The trend counts each month once and keeps the figures of the months that are over (``store.figures``): its
first run ("cold", the kept figures deleted beforehand) and the runs after it are timed apart.

``--only TEXT`` times the commands whose label holds TEXT; ``--against PATH`` times another installed
``wenzheng`` (an earlier version) on the same ledgers, its runs interleaved with these so that the noise of a
shared machine hits both alike; ``--profile`` prints where the time of each chosen command goes instead
(cProfile, one run, the 25 costliest functions).
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import peak

HERE = Path(__file__).resolve().parent
NOW = "2026-11-23T10:00:00+08:00"  # the generator's default end: the ledger's "now"
OPEN_WEEK = "2026-06-02"  # a week months back in the open ledger (its rows run from 2025-01 to 2026-08)


@dataclass(frozen=True)
class Bench:
    label: str
    ledger: str  # "1000000", "100000", "open" or "open250k"
    args: tuple[str, ...]
    target: float | None = None  # seconds
    cold: bool = False  # time the first run: each run after the kept figures are deleted


BENCHES = [
    Bench("--help (the floor: starting Python and loading the CLI)", "100000", ("--help",)),
    Bench("report weekly", "100000", ("report", "weekly")),
    Bench("report weekly", "1000000", ("report", "weekly"), 1.0),
    Bench("report weekly --json", "1000000", ("report", "weekly", "--json"), 1.0),
    Bench("report weekly --format xlsx", "1000000", ("report", "weekly", "-o", "{tmp}/w.xlsx"), 2.0),
    Bench("report monthly --month last (first run)", "1000000", ("report", "monthly", "--month", "last"), 1.0, True),
    Bench("report monthly --month last", "1000000", ("report", "monthly", "--month", "last"), 1.0),
    Bench("report monthly --month last --by handler", "1000000", ("report", "monthly", "--month", "last", "--by", "handler")),
    Bench("report monthly --month last --format html", "1000000", ("report", "monthly", "--month", "last", "-o", "{tmp}/m.html"), 1.5),
    Bench("report weekly --format html", "1000000", ("report", "weekly", "-o", "{tmp}/w.html")),
    Bench("report trend --months 12 (first run)", "1000000", ("report", "trend", "--months", "12"), cold=True),
    Bench("report trend --months 12", "1000000", ("report", "trend", "--months", "12"), 1.0),
    Bench("report trend --months 12 --by community", "1000000", ("report", "trend", "--by", "community"), 1.0),
    Bench("report trend --months 12 --format html", "1000000", ("report", "trend", "-o", "{tmp}/t.html"), 1.0),
    Bench(f"report weekly --week {OPEN_WEEK} --json", "open", ("report", "weekly", "--week", OPEN_WEEK, "--json"), 2.0),
    Bench(f"report weekly --week {OPEN_WEEK}", "open", ("report", "weekly", "--week", OPEN_WEEK), 2.0),
    Bench(f"report weekly --week {OPEN_WEEK} --format csv", "open250k", ("report", "weekly", "--week", OPEN_WEEK, "-o", "{tmp}/w.csv")),
    Bench(f"report weekly --week {OPEN_WEEK} --format xlsx", "open250k", ("report", "weekly", "--week", OPEN_WEEK, "-o", "{tmp}/w.xlsx")),
]  # fmt: skip


def wenzheng() -> str:
    found = Path(sys.executable).parent / "wenzheng"
    return str(found) if found.exists() else "wenzheng"


def env_for(db: Path) -> dict[str, str]:
    env = {**os.environ, "WENZHENG_DB": str(db), "WENZHENG_NOW": NOW, "WENZHENG_OPERATOR": "bench"}
    env.pop("WENZHENG_DEBUG", None)
    env.pop("COLUMNS", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as an installed wenzheng runs: from bytecode (see run.py)
    return env


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


def ensure_open(data: Path, rows: int = 100_000) -> Path:
    """A ledger of ``rows`` imported cases, none of them handled since (every case still open)."""
    sys.path.insert(0, str(HERE))
    import import_rows

    path = data / f"open-{rows}.db"
    if path.exists():
        return path
    data.mkdir(parents=True, exist_ok=True)
    source = data / f"open-{rows}.csv"
    if not source.exists():
        import_rows.generate(source, rows, replies=False)
    partial = path.with_name(path.name + ".partial")
    for leftover in data.glob(partial.name + "*"):
        leftover.unlink()
    env = env_for(partial)
    print(f"importing {source} into {path} …", file=sys.stderr)
    for args in (["init", "--office", "BM"], ["import", str(source)]):
        subprocess.run([wenzheng(), *args], env=env, check=True, capture_output=True)
    for suffix in ("-wal", "-shm"):
        Path(str(partial) + suffix).unlink(missing_ok=True)
    partial.rename(path)
    return path


def timed(args: list[str], env: dict[str, str], program: str | None = None) -> tuple[float, float, int]:
    """Wall time (s), CPU time (user + system, s) and peak memory (MB) of one run in a fresh process."""
    usage = peak.run([program or wenzheng(), *args], env)
    if usage.code != 0:
        raise SystemExit(f"failed: wenzheng {' '.join(args)}\n{usage.stderr[-600:]}")
    return usage.seconds, usage.cpu, int(usage.peak_mb)


def forget_figures(db: Path) -> None:
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM report_figures")


Sample = tuple[float, float, int]  # wall s, CPU s, peak MB
Result = tuple[Bench, float, float, int]


def _summary(bench: Bench, samples: list[Sample]) -> Result:
    wall = statistics.median(s[0] for s in samples)
    cpu = statistics.median(s[1] for s in samples)
    return bench, wall, cpu, max(s[2] for s in samples)


def run(
    benches: list[Bench], ledgers: dict[str, Path], runs: int, against: str | None = None
) -> list[tuple[Result, Result | None]]:
    """Each bench timed with this ``wenzheng`` and, when given, with ``against``, run for run in turn."""
    found = []
    programs = [wenzheng()] + ([against] if against else [])
    with tempfile.TemporaryDirectory() as tmp:
        for bench in benches:
            db = ledgers[bench.ledger]
            env = env_for(db)
            args = [part.format(tmp=tmp) for part in bench.args]
            samples: dict[str, list[Sample]] = {program: [] for program in programs}
            for program in programs:
                timed(args, env, program)  # once, so the ledger is upgraded and its pages are cached
            for _ in range(runs):
                for program in programs:
                    if bench.cold:
                        forget_figures(db)
                    samples[program].append(timed(args, env, program))
            ours = _summary(bench, samples[programs[0]])
            theirs = _summary(bench, samples[against]) if against else None
            found.append((ours, theirs))
    return found


def table(pairs: list[tuple[Result, Result | None]], runs: int) -> None:
    """The figures as a Markdown table; with the other version's beside them when it was timed."""
    names = {"100000": "100,000", "1000000": "1,000,000", "open": "100,000 open", "open250k": "250,000 open"}
    before = any(theirs is not None for _, theirs in pairs)
    extra = " before: wall s | CPU s | peak MB |" if before else ""
    print(f"| cases | command | wall s (median of {runs}) | CPU s | peak MB |{extra} target |")
    print("|---|---|---:|---:|---:|" + ("---:|---:|---:|" if before else "") + "---|")
    for (bench, wall, cpu, peak_mb), theirs in pairs:
        target = ""
        if bench.target is not None:
            verdict = "met" if cpu < bench.target else "NOT met"
            target = f"< {bench.target:g} s: {verdict}"
        then = ""
        if theirs is not None:
            then = f" {theirs[1]:.2f} | {theirs[2]:.2f} | {theirs[3]} |"
        elif before:
            then = " | | |"
        print(
            f"| {names[bench.ledger]} | `wenzheng {bench.label}` | {wall:.2f} | {cpu:.2f} | {peak_mb} |"
            f"{then} {target} |",
            flush=True,
        )


def profile(benches: list[Bench], ledgers: dict[str, Path], top: int = 25) -> None:
    """Where each bench's time goes: one run under cProfile, the ``top`` functions by their own time."""
    with tempfile.TemporaryDirectory() as tmp:
        for bench in benches:
            db = ledgers[bench.ledger]
            args = [part.format(tmp=tmp) for part in bench.args]
            timed(args, env_for(db))
            if bench.cold:
                forget_figures(db)
            stats = Path(tmp) / "profile.out"
            command = [sys.executable, "-m", "cProfile", "-o", str(stats), "-m", "wenzheng_cli", *args]
            subprocess.run(command, env=env_for(db), stdout=subprocess.DEVNULL, check=True)
            print(f"\n## wenzheng {bench.label} ({bench.ledger})\n")
            printed = subprocess.run(
                [sys.executable, "-c", f"import pstats; pstats.Stats({str(stats)!r}).sort_stats('tottime')"
                 f".print_stats({top})"],
                capture_output=True, text=True, check=True,
            )  # fmt: skip
            print("Ordered by" + printed.stdout.split("Ordered by", 1)[-1])


def ledgers_for(data: Path, benches: list[Bench]) -> dict[str, Path]:
    """The ledgers ``benches`` run on, made when missing."""
    makers = {
        "100000": lambda: ensure(100_000, data),
        "1000000": lambda: ensure(1_000_000, data),
        "open": lambda: ensure_open(data),
        "open250k": lambda: ensure_open(data, 250_000),
    }
    return {name: makers[name]() for name in dict.fromkeys(b.ledger for b in benches)}


def main() -> None:
    parser = argparse.ArgumentParser(description="报表耗时基准")
    parser.add_argument("--runs", type=int, default=5, help="每条命令计时次数（另有一次预热）")
    parser.add_argument("--data", type=Path, default=HERE / "data", help="基准台账所在目录")
    parser.add_argument("--only", help="只计时名称含此文字的命令，如 'trend --months 12 (first'")
    parser.add_argument("--against", help="另一版本的 wenzheng 程序路径，与本版交替计时")
    parser.add_argument("--profile", action="store_true", help="不计时，用 cProfile 列出各命令的耗时所在")
    args = parser.parse_args()
    benches = [b for b in BENCHES if args.only is None or args.only in f"{b.label} {b.ledger}"]
    ledgers = ledgers_for(args.data, benches)
    if args.profile:
        profile(benches, ledgers)
        return
    table(run(benches, ledgers, args.runs, args.against), args.runs)


if __name__ == "__main__":
    main()
