"""Time ``wenzheng rollup`` of many generated community ledgers against the floor, side by side:
``python benchmarks/rollup.py [--offices 100] [--cases 10000]``.

The community ledgers are ``benchmarks/data/rollup-<N>x<M>/O###.db`` (made by ``generate.py`` when missing, not
in git), each with its own office code. Printed, each in the same run, every command in a fresh process (wall
time and peak memory):

1. the floor: the same rows copied with plain SQL into a blank street ledger (each file attached, its cases and
   events inserted with ``INSERT … SELECT``, one transaction per file): what any roll-up pays to write them;
2. ``wenzheng rollup`` of all the files into another blank street ledger (target: within 3× of the floor,
   memory < 200 MB);
   then, each right after it, the street's trend of 12 months and monthly 通报 by office, and its weekly 台账;
3. the same files again (unchanged files are skipped by their digest; target < 5 s);
4. one file changed (a copy of the first office's ledger with 1,000 rows imported): time for its new events.

``--before SRC`` also times the roll-up of another copy of the program (``SRC``: its ``src`` folder, e.g. a
``git archive`` of the previous commit) into a third blank ledger, between the floor and this one, so that a
change is measured side by side with what it replaces on the same files in the same run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from contextlib import closing
from pathlib import Path

import peak

HERE = Path(__file__).resolve().parent
NOW = "2026-11-23T10:00:00+08:00"
WENZHENG = [sys.executable, "-m", "wenzheng_cli"]
GENERATE = [sys.executable, str(HERE / "generate.py")]

# The street's reports right after the roll-up (each its first run: the roll-up keeps the figures of the last
# twelve months by office; the targets are < 2 s for the trend and < 1 s for the others).
STREET_REPORTS = (
    ("report", "trend", "--months", "12", "--by", "office"),
    ("report", "monthly", "--month", "last", "--by", "office"),
    ("report", "weekly"),
)

FLOOR = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
columns = ", ".join(r[1] for r in conn.execute("PRAGMA main.table_info(cases)") if r[1] != "pk")
events = "id, case_id, action, at, recorded_at, actor, payload, origin"
for path in sys.argv[2:]:
    conn.execute("ATTACH DATABASE ? AS src", (f"file:{path}?mode=ro",))
    conn.execute("BEGIN IMMEDIATE")
    conn.execute(f"INSERT INTO main.cases ({columns}) SELECT {columns} FROM src.cases")
    conn.execute(f"INSERT INTO main.events ({events}) SELECT {events} FROM src.events ORDER BY seq")
    conn.execute("COMMIT")
    conn.execute("DETACH DATABASE src")
"""


def communities(offices: int, cases: int, years: float | None) -> list[Path]:
    folder = HERE / "data" / (f"rollup-{offices}x{cases}" + (f"-{years:g}y" if years else ""))
    folder.mkdir(parents=True, exist_ok=True)
    made = []
    for n in range(1, offices + 1):
        path = folder / f"O{n:03d}.db"
        if not path.exists():
            print(f"generating {path} ({cases:,} cases)…", file=sys.stderr)
            subprocess.run(
                [
                    *GENERATE,
                    "--cases",
                    str(cases),
                    "--out",
                    str(path),
                    "--office",
                    f"O{n:03d}",
                    "--seed",
                    str(n),
                    *(["--years", str(years)] if years else []),
                ],
                check=True,
                stdout=subprocess.DEVNULL,
            )
        made.append(path)
    return made


def measured(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and peak memory (MB) of one command in a process of its own."""
    usage = peak.run(args, env, stderr=subprocess.DEVNULL)
    if usage.code != 0:
        sys.exit(f"failed: {' '.join(args[:6])}…")
    return usage.seconds, usage.peak_mb


def _count_events(path: Path) -> int:
    with closing(sqlite3.connect(path)) as conn:
        return int(conn.execute("SELECT COUNT(*) FROM events").fetchone()[0])


def street(path: Path, env: dict[str, str]) -> Path:
    subprocess.run(
        [*WENZHENG, "--db", str(path), "init", "--office", "JD"],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--offices", type=int, default=100)
    parser.add_argument("--cases", type=int, default=10_000, help="cases per community")
    parser.add_argument(
        "--years",
        type=float,
        help="the years each community's cases span (default: the generator's, a quarter for 10,000 cases);"
        " 5 gives a street of 100 × 10,000 cases the months of the 1M-case report benchmarks",
    )
    parser.add_argument("--before", type=Path, help="the src folder of the program to compare with")
    parser.add_argument("--keep", type=Path, help="keep the rolled-up street ledger here (for its reports)")
    args = parser.parse_args()
    files = communities(args.offices, args.cases, args.years)
    env = dict(os.environ, WENZHENG_NOW=NOW, WENZHENG_OPERATOR="bench")
    with tempfile.TemporaryDirectory(prefix="wz-rollup-") as work:
        folder = Path(work)
        floor_db, rolled = street(folder / "floor.db", env), street(folder / "street.db", env)
        events = sum(_count_events(f) for f in files)
        print(
            f"{len(files)} community ledgers × {args.cases:,} cases: {len(files) * args.cases:,} cases, {events:,} events"
        )
        floor, floor_mb = measured([sys.executable, "-c", FLOOR, str(floor_db), *map(str, files)], env)
        print(f"floor (plain SQL copy)      {floor:8.1f} s  {floor_mb:6.0f} MB")
        if args.before is not None:
            old_env = dict(env, PYTHONPATH=str(args.before.resolve()))
            before = street(folder / "before.db", old_env)
            took, mb = measured([*WENZHENG, "--db", str(before), "rollup", *map(str, files)], old_env)
            print(f"rollup before (--before)    {took:8.1f} s  {mb:6.0f} MB   {took / floor:.1f}× the floor")
            before.unlink()
        took, mb = measured([*WENZHENG, "--db", str(rolled), "rollup", *map(str, files)], env)
        print(f"wenzheng rollup             {took:8.1f} s  {mb:6.0f} MB   {took / floor:.1f}× the floor")
        for report in STREET_REPORTS:
            took, mb = measured([*WENZHENG, "--db", str(rolled), *report, "--json"], env)
            print(f"  then {' '.join(report):<38} {took:5.2f} s  {mb:6.0f} MB")
        again, mb = measured([*WENZHENG, "--db", str(rolled), "rollup", *map(str, files)], env)
        print(f"the same files again        {again:8.1f} s  {mb:6.0f} MB")
        changed = shutil.copyfile(files[0], folder / "O001-newer.db")
        rows = folder / "visits.csv"
        rows.write_text(
            "留言编号,留言时间,留言详情\n"
            + "".join(f"N-{n},2026-11-20 09:00,第{n % 40}号楼楼道堆放杂物\n" for n in range(1000)),
            encoding="utf-8",
        )
        subprocess.run(
            [*WENZHENG, "--db", str(changed), "import", str(rows)],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        one, mb = measured([*WENZHENG, "--db", str(rolled), "rollup", str(changed)], env)
        print(f"one file with 1,000 new cases {one:6.1f} s  {mb:6.0f} MB")
        if args.keep is not None:
            shutil.move(rolled, args.keep)


if __name__ == "__main__":
    main()
