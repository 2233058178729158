"""``wenzheng hotspots`` on a mass complaint: N copies of one text from different phones among ordinary cases.

    python benchmarks/hotspots_mass.py [--copies 2,16,60,1000000] [--background 300] [--keep DIR]

A base ledger of ``--background`` real 留言 (the labelled fujian2 messages) over 90 days is imported once
(``benchmarks/data/hotspots-mass-base-N.db``); for each N it is copied and N cases are added with SQL, each
``阳光花园小区3号楼电梯经常故障困人`` word for word, from its own phone, received over the last 30 days. Then one
``wenzheng hotspots --json`` process over the 90 days: its wall time, CPU time and peak resident memory, and
where the mass complaint ranks (target: #1 for every N; at N = 1,000,000 under 60 s and 200 MB).
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from hotspots_bench import hotspots_process  # benchmarks/ is on the path of a script run from it

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
END = datetime.fromisoformat("2026-11-23T10:00:00+08:00")
TEXT = "阳光花园小区3号楼电梯经常故障困人"
REAL = Path("/work/shared/data/tipdm2020c_fujian2_labelled_train.csv")


def base(background: int, seed: int) -> Path:
    """A ledger of ``background`` real 留言 (``REAL``) imported with times over the 90 days, each from its own
    phone; generated cases when the data is not there."""
    path = DATA / f"hotspots-mass-base-{background}.db"
    if path.exists():
        return path
    DATA.mkdir(exist_ok=True)
    partial = path.with_suffix(".db.partial")
    partial.unlink(missing_ok=True)
    if not REAL.exists():
        print(f"{REAL} not found: generated background", file=sys.stderr)
        subprocess.run(
            [
                *(sys.executable, str(HERE / "generate.py"), "--cases", str(background), "--years", "0.25"),
                *("--end", END.isoformat(), "--out", str(partial)),
            ],
            check=True,
        )
        partial.rename(path)
        return path
    rng = random.Random(seed)
    with REAL.open(encoding="utf-8-sig", newline="") as f:
        texts = [
            (r["留言主题"].strip(), r["留言详情"].strip()) for r in csv.DictReader(f) if r.get("留言详情")
        ]
    rng.shuffle(texts)
    source = partial.with_suffix(".csv")
    with source.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(["留言编号", "留言主题", "留言详情", "留言时间", "联系电话"])
        for i, (title, text) in enumerate(texts[:background]):
            at = END - timedelta(days=89) + timedelta(seconds=rng.random() * 89 * 86400)
            out.writerow([f"B{i:05d}", title, text, at.strftime("%Y-%m-%d %H:%M"), f"137{i:08d}"])
    env = dict(os.environ, WENZHENG_DB=str(partial), WENZHENG_OPERATOR="基准", WENZHENG_NOW=END.isoformat())
    wz = [str(Path(sys.executable).with_name("wenzheng"))]
    subprocess.run(
        [*wz, "init", "--office", "JZ", "--name", "基准社区"], env=env, check=True, capture_output=True
    )
    subprocess.run(
        [*wz, "import", str(source), "--source", "留言板"], env=env, check=True, capture_output=True
    )
    source.unlink()
    partial.rename(path)
    return path


def add_copies(path: Path, copies: int, seed: int) -> None:
    """N cases of ``TEXT`` from N phones, received over the last 30 days, numbered after the ledger's own."""
    rng = random.Random(seed)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA synchronous = OFF")
    office, community = conn.execute("SELECT office, community FROM cases ORDER BY pk LIMIT 1").fetchone()
    seq = conn.execute("SELECT COALESCE(MAX(seq), 0) FROM cases WHERE year = ?", (END.year,)).fetchone()[0]
    trigger = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'case_search_insert'").fetchone()
    conn.execute("BEGIN")
    if trigger:  # the search index is no part of what is measured
        conn.execute("DROP TRIGGER case_search_insert")
    start = END - timedelta(days=30)
    moments = sorted(rng.random() * 30 * 86400 for _ in range(copies))

    def rows() -> object:
        for i, offset in enumerate(moments, start=seq + 1):
            at = (start + timedelta(seconds=offset)).isoformat(timespec="seconds")
            yield (
                f"M{i:026d}",
                f"{office}-{END.year}-{i:07d}",
                office,
                END.year,
                i,
                "registered",
                at,
                TEXT,
                "电话",
                f"139{i:08d}",
                community,
                at,
            )

    conn.executemany(
        "INSERT INTO cases (id, number, office, year, seq, status, received_at, description, channel, phone,"
        " community, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows(),  # type: ignore[arg-type]
    )
    if trigger:
        conn.execute(trigger[0])
    conn.execute("COMMIT")
    conn.close()


def run(path: Path) -> tuple[float, float, int, dict[str, object]]:
    """(seconds, CPU seconds, peak RSS in MB, the JSON) of one whole ``wenzheng hotspots`` over the 90 days."""
    since = (END - timedelta(days=89)).date().isoformat()
    return hotspots_process(path, END.isoformat(), "--since", since)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", default="2,16,60,1000000")
    parser.add_argument("--background", type=int, default=300)
    parser.add_argument("--seed", type=int, default=25)
    parser.add_argument("--keep", type=Path, help="keep the ledgers in this folder")
    args = parser.parse_args()
    source = base(args.background, args.seed)
    folder = Path(args.keep or tempfile.mkdtemp(prefix="hotspots-mass-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"{'copies':>9}  {'build':>7}  {'wall':>7}  {'CPU':>7}  {'peak RSS':>8}  mass complaint")
    for copies in (int(n) for n in args.copies.split(",")):
        path = folder / f"mass-{copies}.db"
        shutil.copyfile(source, path)
        began = time.perf_counter()
        add_copies(path, copies, args.seed)
        built = time.perf_counter() - began
        elapsed, cpu, peak, data = run(path)
        spots = data["hotspots"]
        assert isinstance(spots, list)
        rank = next((s for s in spots if TEXT in s["summary"]), None)
        found = (
            f"#{rank['rank']} of {len(spots)}: {rank['cases']} cases, {rank['people']} people, heat {rank['heat']}"
            if rank
            else f"not among {len(spots)} hotspots"
        )
        print(f"{copies:>9,}  {built:>6.1f}s  {elapsed:>6.1f}s  {cpu:>6.1f}s  {peak:>5} MB  {found}")
        if not args.keep:
            path.unlink()


if __name__ == "__main__":
    main()
