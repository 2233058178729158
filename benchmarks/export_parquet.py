"""Time ``wenzheng export --format parquet`` against DuckDB's own COPY of the same tables, side by side:
``python benchmarks/export_parquet.py [--cases 500000] [--ledger PATH] [--runs N] [--writers]``.

The ledger is ``benchmarks/data/cases-<N>.db`` (made by ``generate.py`` when missing, not in git), or
``--ledger``. Printed, each on the same ledger in the same run:

1. the read floor: the three tables' rows read with Python's sqlite3 and nothing done with them — what any
   writer fed from the ledger pays first;
2. ``wenzheng export``: the installed command in a fresh process (wall time, CPU time, peak memory, file sizes);
3. DuckDB's COPY of the same tables to Parquet (zstd), the tables loaded into DuckDB's memory beforehand (not
   timed): the cost of writing Parquet with DuckDB's own engine on both cores. DuckDB cannot read the ledger
   itself here: its SQLite reader is an extension it downloads, and the machines reach no download site.
   The export's target: within 2× of this.

``--runs N`` runs 2 and 3 in turn N times and prints each run and the median ratio: the load of a shared machine
moves either by a third from one minute to the next, more than any one change to the export does.

``--writers`` also measures the two writers the export could use on the same batches (``core.export``), each in
a process of its own: pyarrow (the one shipped) and DuckDB fed through a staged CSV file (DuckDB's Python
package takes rows fast only from pandas or Arrow, so without pyarrow the rows go through a file), with their
install sizes. This is the measurement behind the choice in README.md.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import peak

HERE = Path(__file__).resolve().parent
NOW = "2026-11-23T10:00:00+08:00"
TABLES = ("cases", "events", "activities")


def ledger_for(cases: int) -> Path:
    path = HERE / "data" / f"cases-{cases}.db"
    if not path.exists():
        path.parent.mkdir(exist_ok=True)
        print(f"generating {path} ({cases:,} cases)…", file=sys.stderr)
        subprocess.run(
            [sys.executable, str(HERE / "generate.py"), "--cases", str(cases), "--out", str(path)], check=True
        )
    return path


def read_floor(ledger: Path) -> tuple[float, float]:
    from wenzheng_cli.store import export as store

    conn = sqlite3.connect(f"file:{ledger}?mode=ro", uri=True)
    started, cpu = time.perf_counter(), time.process_time()
    for rows in (store.case_rows, store.event_rows, store.activity_rows):
        for _ in rows(conn):
            pass
    conn.close()
    return time.perf_counter() - started, time.process_time() - cpu


def run_export(ledger: Path, out: Path) -> dict[str, Any]:
    env = {**os.environ, "WENZHENG_DB": str(ledger), "WENZHENG_NOW": NOW}
    command = [
        sys.executable,
        "-m",
        "wenzheng_cli",
        "export",
        "--format",
        "parquet",
        "--output",
        str(out),
        "--json",
    ]
    with tempfile.TemporaryFile() as said:
        usage = peak.run(command, env, stdout=said)
        said.seek(0)
        if usage.code != 0:
            sys.exit(f"export failed: {usage.stderr[-600:]}")
        answer = json.loads(said.read())
    return {"wall": usage.seconds, "cpu": usage.cpu, "peak_mb": usage.peak_mb, "files": answer["files"]}


def _fresh(folder: Path, make: bool = True) -> Path:
    """``folder`` emptied (the previous run's files removed), made again when ``make``."""
    shutil.rmtree(folder, ignore_errors=True)
    if make:
        folder.mkdir()
    return folder


def duckdb_copy(exported: Path, out: Path) -> tuple[float, float, dict[str, int]]:
    import duckdb

    con = duckdb.connect()
    for table in TABLES:
        con.execute(f"CREATE TABLE {table} AS SELECT * FROM read_parquet('{exported / table}.parquet')")
    started, cpu = time.perf_counter(), time.process_time()  # DuckDB's threads count in this process's CPU
    for table in TABLES:
        con.execute(f"COPY {table} TO '{out / table}.parquet' (FORMAT parquet, COMPRESSION zstd)")
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    con.close()
    return seconds, cpu, {table: (out / f"{table}.parquet").stat().st_size for table in TABLES}


def _duckdb_type(kind: str) -> str:
    return {"int": "BIGINT", "bool": "BOOLEAN", "time": "TIMESTAMPTZ"}.get(kind, "VARCHAR")


def duckdb_writer(path: Path, table: Any) -> int:
    """The other candidate, at its best: each batch staged as CSV (the events' payloads as their JSON text),
    then one DuckDB COPY of that file to Parquet, the payload members taken out by DuckDB's JSON functions and
    names and phones masked by the same Python functions registered in DuckDB. (A prototype: an amend's
    changes are not masked and ``payload_more`` is left empty, which only makes it faster.)"""
    import duckdb

    from wenzheng_cli.domain.text import mask_extra, mask_name, mask_phone

    spec = table.payloads
    own = [c for c in table.columns if spec is None or c.name not in {p.name for p in spec.columns}]
    staged_columns = [*own, *([type(own[0])("payload", "text")] if spec else [])]
    staged = path.with_suffix(".csv")
    rows = 0
    with staged.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        names = [c.name for c in staged_columns]
        for batch in table.batches:
            writer.writerows(zip(*(batch[name] for name in names), strict=True))
            rows += len(batch[names[0]])
    con = duckdb.connect()
    masks = {"resident": mask_name, "phone": mask_phone, "extra": mask_extra}
    for name, fn in masks.items():
        con.create_function(f"mask_{name}", fn, ["VARCHAR"], "VARCHAR")
    columns = ", ".join(f"'{c.name}': '{_duckdb_type(c.kind)}'" for c in staged_columns)

    def expression(c: Any) -> str:
        if spec is None or c.name not in {p.name for p in spec.columns}:
            value = f'"{c.name}"'
        elif c.name == "payload_more":
            return "NULL::VARCHAR AS payload_more"
        else:
            member = spec.member.get(c.name, c.name)
            value = f"json_extract_string(payload, '$.{member}')::{_duckdb_type(c.kind)}"
        if c.name in masks:
            value = f"mask_{c.name}({value})"
        return f'{value} AS "{c.name}"'

    select = ", ".join(expression(c) for c in table.columns)
    con.execute(
        f"COPY (SELECT {select} FROM read_csv('{staged}', header = false, columns = {{{columns}}}, nullstr = ''))"
        f" TO '{path}' (FORMAT parquet, COMPRESSION zstd)"
    )
    con.close()
    staged.unlink()
    return rows


def child(writer_name: str, ledger: Path, out: Path) -> None:
    """One candidate writer through ``core.export``, in this process: prints seconds, peak MB and sizes."""
    from wenzheng_cli.core.export import export
    from wenzheng_cli.core.session import Session
    from wenzheng_cli.render.parquet import write_table

    write = write_table if writer_name == "pyarrow" else duckdb_writer
    session = Session.open(str(ledger), "bench", create=False)
    started = time.perf_counter()
    result = export(session, str(out), show_pii=False, force=True, write=write)
    seconds = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    sizes = {f.name: f.bytes for f in result.files}
    cpu = usage.ru_utime + usage.ru_stime
    print(json.dumps({"seconds": seconds, "cpu": cpu, "peak_mb": usage.ru_maxrss / 1024, "sizes": sizes}))


def installed_mb(package: str) -> float:
    """What pip installed of ``package`` (its RECORD), in MB."""
    from importlib.metadata import PackageNotFoundError, distribution

    try:
        dist = distribution(package)
    except PackageNotFoundError:
        return float("nan")
    return (
        sum(
            Path(str(dist.locate_file(f))).stat().st_size
            for f in dist.files or ()
            if Path(str(dist.locate_file(f))).is_file()
        )
        / 1e6
    )


def mb(size: int) -> str:
    return f"{size / 1e6:.1f} MB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=500_000)
    parser.add_argument(
        "--ledger", type=Path, default=None, help="a ledger to export instead of a generated one"
    )
    parser.add_argument(
        "--writers", action="store_true", help="also compare pyarrow and DuckDB as the writer"
    )
    parser.add_argument(
        "--runs",
        type=int,
        default=1,
        help="export and COPY this many times in turn; the median ratio is printed",
    )
    parser.add_argument("--child", nargs=3, metavar=("WRITER", "LEDGER", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]), Path(args.child[2]))
        return
    ledger = args.ledger or ledger_for(args.cases)
    conn = sqlite3.connect(f"file:{ledger}?mode=ro", uri=True)
    counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
    conn.close()
    print(
        f"ledger: {ledger} ({ledger.stat().st_size / 1e6:.0f} MB): "
        + ", ".join(f"{n:,} {t}" for t, n in counts.items())
    )
    work = Path(tempfile.mkdtemp(prefix="wz-export-bench-"))
    try:
        # The export first, before this process reads any rows itself (``peak`` measures it on its own).
        ours = run_export(ledger, work / "export")
        if args.writers:  # first: a child's peak memory counts its parent's at the fork (Linux)
            print("\n| writer | wall s | CPU s | peak memory | cases / events / activities | installed |")
            print("|---|---|---|---|---|---|")
            for name in ("pyarrow", "duckdb"):
                out = work / f"w-{name}"
                done = subprocess.run(
                    [sys.executable, __file__, "--child", name, str(ledger), str(out)],
                    capture_output=True,
                    text=True,
                    check=True,
                )
                found = json.loads(done.stdout)
                files = " / ".join(mb(found["sizes"][f"{t}.parquet"]) for t in TABLES)
                print(
                    f"| {name} | {found['seconds']:.1f} | {found['cpu']:.1f} | {found['peak_mb']:.0f} MB | {files} |"
                    f" {installed_mb(name):.0f} MB |"
                )
        floor, floor_cpu = read_floor(ledger)
        rounds = [(ours, duckdb_copy(work / "export", _fresh(work / "copy")))]
        for _ in range(args.runs - 1):  # export and COPY in turn: the machine's load falls on both alike
            again = run_export(ledger, _fresh(work / "export", make=False))
            rounds.append((again, duckdb_copy(work / "export", _fresh(work / "copy"))))
        print()
        print("| what | wall s | CPU s | peak memory | cases / events / activities |")
        print("|---|---|---|---|---|")
        print(f"| read floor: the rows read by Python's sqlite3 | {floor:.1f} | {floor_cpu:.1f} | | |")
        for run, (export, (copy_s, copy_cpu, copy_sizes)) in enumerate(rounds, 1):
            label = f" (run {run})" if len(rounds) > 1 else ""
            sizes = " / ".join(mb(f["bytes"]) for f in export["files"])
            print(
                f"| `wenzheng export --format parquet`{label} | {export['wall']:.1f} | {export['cpu']:.1f} |"
                f" {export['peak_mb']:.0f} MB | {sizes} |"
            )
            copies = " / ".join(mb(copy_sizes[t]) for t in TABLES)
            print(
                f"| DuckDB `COPY` of the same tables (from its memory){label} | {copy_s:.1f} | {copy_cpu:.1f} | | {copies} |"
            )
        walls = [export["wall"] / copy[0] for export, copy in rounds]
        cpus = [export["cpu"] / copy[1] for export, copy in rounds]
        print(
            f"\nexport ÷ DuckDB COPY: {statistics.median(walls):.1f}× wall, {statistics.median(cpus):.1f}× CPU"
            + (
                f" (median of {len(rounds)} runs: " + " / ".join(f"{r:.1f}" for r in walls) + " wall)"
                if len(rounds) > 1
                else ""
            )
            + " (target ≤ 2×)"
        )
        first, (copy_s, _, _) = rounds[0]
        print(f"export ÷ (read floor + DuckDB COPY): {first['wall'] / (floor + copy_s):.1f}× wall (run 1)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
