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
The target: the import takes at most 3× the bare load; importing 1M rows peaks under 200 MB.

Two parts of the import are also measured apart, each in its own process, to show where the time goes:
- read + parse only: the file read and every row cleaned, parsed and validated, nothing written;
- write only: the very case and event rows the import wrote (copied out of its ledger into memory first,
  untimed), inserted with ``executemany`` in batches into a fresh ledger in one transaction — the same
  schema, indexes and transaction as the import, with no Python work per row but binding its values.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
BIN = Path(sys.executable).parent

HEADER = [
    "工单号",
    "受理时间",
    "居民姓名",
    "联系电话",
    "住址",
    "社区",
    "网格",
    "渠道",
    "诉求类别",
    "性质",
    "诉求内容",
    "答复意见",
    "答复时间",
]
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
)
GIVEN = "桂兰秀英志强建国海燕丽华国庆春梅玉珍德明文静晓东红霞永刚淑芬家豪子涵宇轩思雨"
COMMUNITIES = ["杨柳", "清河", "北苑", "南湖", "东风", "向阳", "和平", "幸福", "长安", "新华"]
ESTATES = [
    "杨柳小区",
    "清河家园",
    "北苑新村",
    "南湖花园",
    "东风里",
    "向阳小区",
    "和平苑",
    "幸福里",
    "长安公寓",
    "新华小区",
]
CHANNELS = ["12345热线", "走访", "说事箱", "微信", "领导留言板", "网格员"]
CATEGORIES = [
    "堆码物清理",
    "物业管理",
    "环境卫生",
    "市政设施",
    "噪音扰民",
    "水电暖气燃气",
    "道路交通",
    "群众纠纷",
]
NATURES = ["求助", "投诉", "咨询", "建议"]
PROBLEMS = [
    "楼道堆放杂物，影响通行，存在消防隐患",
    "路灯不亮已经一周，晚上出行很不方便",
    "小区内垃圾清运不及时，气味很大",
    "楼上住户夜间装修噪音扰民",
    "暖气不热，室内温度只有十五度",
    "下水道堵塞，污水外溢到人行道",
    "物业收费不透明，要求公开账目",
    "小区门口占道经营，早晚高峰拥堵",
    "电动车在楼道充电，担心起火",
    "邻居养狗不拴绳，老人孩子害怕",
]
DETAILS = [
    "希望社区尽快协调处理。",
    "已经反映过两次，一直没有解决。",
    "请相关部门上门查看。",
    "居民们意见很大，请给予答复。",
    "附近住户都受到影响。",
]
SINCE = ["上周开始", "前天晚上", "这个月以来", "从国庆节后", "最近半个月", "昨天早上", "入冬以后", "近三天"]
EFFECTS = [
    "家里老人出门很不方便",
    "孩子上学要绕很远的路",
    "晚上根本睡不好觉",
    "楼里住户都有意见",
    "下雨天更加严重",
    "物业说不归他们管",
    "打过两次电话没人来",
    "担心出安全事故",
]
REPLIES = [
    "经社区工作人员现场核实，已协调物业于当日清理完毕，感谢您的反映。",
    "已联系供电部门更换灯具，现已恢复照明。",
    "已督促环卫公司增加清运频次，并在小区内增设垃圾桶。",
    "经协调，当事双方已达成一致，施工时间调整为工作日白天。",
]


def generate(path: Path, rows: int, seed: int = 7, *, replies: bool = True) -> None:
    """Rows in time order, as platforms export them, over 600 days; half with a reply (none without ``replies``)."""
    rng = random.Random(seed)
    start = datetime(2025, 1, 1, 8, 0, 0)
    minutes = sorted(rng.randrange(0, 60 * 24 * 600) for _ in range(rows))
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(HEADER)
        for i in range(rows):
            received = start + timedelta(minutes=minutes[i])
            k = rng.randrange(len(COMMUNITIES))
            problem = rng.choice(PROBLEMS)
            text = (
                f"{ESTATES[k]}{rng.randint(1, 30)}号楼{rng.randint(1, 6)}单元{rng.choice(SINCE)}{problem}，"
                f"{rng.choice(EFFECTS)}，{rng.choice(DETAILS)}"
            )
            when = received.strftime("%Y/%-m/%-d %-H:%M:%S") if i % 3 else received.strftime("%Y-%m-%d %H:%M")
            reply, replied = "", ""
            if replies and i % 2 == 0:
                reply = rng.choice(REPLIES)
                replied = (received + timedelta(hours=rng.randint(2, 240))).strftime("%Y/%-m/%-d %-H:%M:%S")
            w.writerow(
                [
                    f"GD{2025000000 + i}",
                    when,
                    rng.choice(SURNAMES) + rng.choice(GIVEN),
                    f"1{rng.choice('3578')}{rng.randrange(10**9):09d}",
                    f"{ESTATES[k]}{rng.randint(1, 30)}号楼{rng.randint(1, 6)}单元{rng.randint(1, 30)}0{rng.randint(1, 4)}",
                    COMMUNITIES[k],
                    f"{rng.randint(1, 8)}网格",
                    rng.choice(CHANNELS),
                    rng.choice(CATEGORIES),
                    rng.choice(NATURES),
                    text,
                    reply,
                    replied,
                ]
            )


BARE = r"""
import csv, sqlite3, sys
src, db = sys.argv[1], sys.argv[2]
conn = sqlite3.connect(db, isolation_level=None)
conn.execute("PRAGMA journal_mode = WAL")
with open(src, encoding="utf-8-sig", newline="") as f:
    reader = csv.reader(f)
    header = next(reader)
    cols = ", ".join(f"c{i} TEXT" for i in range(len(header)))
    conn.execute(f"CREATE TABLE rows ({cols})")
    marks = ", ".join("?" for _ in header)
    conn.execute("BEGIN")
    batch = []
    for row in reader:
        batch.append(row)
        if len(batch) >= 1000:
            conn.executemany(f"INSERT INTO rows VALUES ({marks})", batch)
            batch = []
    conn.executemany(f"INSERT INTO rows VALUES ({marks})", batch)
    conn.execute("COMMIT")
"""


PARSE_ONLY = r"""
import sys
from pathlib import Path
from wenzheng_cli.domain import clock
from wenzheng_cli.importers import open_table
from wenzheng_cli.importers.base import BadRow, Options
from wenzheng_cli.importers.headers import plan_columns
from wenzheng_cli.importers.row_parser import RowParser
now = clock.now()
valid = 0
with open_table(Path(sys.argv[1]), Options()) as table:
    plan = plan_columns(table.columns, [], table.source)
    parser = RowParser(plan, now)
    for number, cells in table.rows:
        if not isinstance(cells, BadRow) and isinstance(parser.parse(number, cells), dict):
            valid += 1
print(valid)
"""

WRITE_ONLY = r"""
import sqlite3, sys, time
src, db = sys.argv[1], sys.argv[2]
read = sqlite3.connect(src)
case_cols = [r[1] for r in read.execute("PRAGMA table_info(cases)")]
event_cols = ["id", "case_id", "action", "at", "recorded_at", "actor", "payload", "origin"]
cases = read.execute(f"SELECT {', '.join(case_cols)} FROM cases ORDER BY pk").fetchall()
events = {}
for row in read.execute(f"SELECT {', '.join(event_cols)} FROM events ORDER BY seq"):
    events.setdefault(row[1], []).append(row)
read.close()
conn = sqlite3.connect(db, isolation_level=None)
conn.execute("PRAGMA foreign_keys = ON")
conn.execute("PRAGMA cache_size = -65536")
if len(sys.argv) > 3:  # without the secondary indexes: only the keys (id, number, source key …) remain
    for (name,) in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('cases', 'events') AND sql IS NOT NULL"
    ).fetchall():
        conn.execute(f"DROP INDEX {name}")
sqlite3.register_adapter(type(None), lambda v: None)
case_sql = f"INSERT INTO cases ({', '.join(case_cols)}) VALUES ({', '.join('?' for _ in case_cols)})"
event_sql = f"INSERT INTO events ({', '.join(event_cols)}) VALUES ({', '.join('?' for _ in event_cols)})"
started = time.perf_counter()
conn.execute("BEGIN IMMEDIATE")
id_at = case_cols.index("id")
for start in range(0, len(cases), 1000):
    batch = cases[start : start + 1000]
    conn.executemany(case_sql, batch)
    conn.executemany(event_sql, [e for c in batch for e in events[c[id_at]]])
conn.execute("COMMIT")
print(f"{time.perf_counter() - started:.3f}")
"""


def _env(db: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(WENZHENG_DB=str(db), WENZHENG_OPERATOR="bench", WENZHENG_NOW="2026-11-23T10:00:00+08:00")
    env.pop("WENZHENG_DEBUG", None)
    return env


def _timed(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, int]:
    """Wall time and peak memory (KB) of one child process."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode() if proc.stderr else ""
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd[:3])} failed ({proc.returncode}): {err[-400:]}")
    return elapsed, usage.ru_maxrss


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
    return _timed([str(BIN / "wenzheng"), "import", str(src)], env)


def run_bare(src: Path, folder: Path) -> tuple[float, int]:
    return _timed([sys.executable, "-c", BARE, str(src), str(_fresh(folder))])


def run_sqlite_utils(src: Path, folder: Path) -> tuple[float, int]:
    return _timed([str(BIN / "sqlite-utils"), "insert", str(_fresh(folder)), "rows", str(src), "--csv"])


def run_parse_only(src: Path, folder: Path) -> tuple[float, int]:
    return _timed([sys.executable, "-c", PARSE_ONLY, str(src)], _env(_fresh(folder)))


def write_only(src: Path, folder: Path, runs: int) -> tuple[float, float]:
    """Median seconds to insert the rows one import of ``src`` wrote, with the ledger's indexes and without
    its secondary ones (timed inside the child: its set-up reads the rows from the import's ledger first)."""
    imported = folder / "imported.db"
    for p in folder.glob("imported.db*"):
        p.unlink()
    env = _env(imported)
    subprocess.run(
        [str(BIN / "wenzheng"), "init", "--office", "BM"], env=env, check=True, capture_output=True
    )
    subprocess.run([str(BIN / "wenzheng"), "import", str(src)], env=env, check=True, capture_output=True)
    times: dict[bool, list[float]] = {True: [], False: []}
    for _ in range(runs):
        for indexed in (True, False):
            db = _fresh(folder)
            subprocess.run(
                [str(BIN / "wenzheng"), "init", "--office", "BM"],
                env=_env(db),
                check=True,
                capture_output=True,
            )
            extra = [] if indexed else ["without-secondary-indexes"]
            out = subprocess.run(
                [sys.executable, "-c", WRITE_ONLY, str(imported), str(db), *extra],
                check=True,
                capture_output=True,
                text=True,
            )
            times[indexed].append(float(out.stdout.strip()))
    return statistics.median(times[True]), statistics.median(times[False])


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
        bare_t, bare_m = median_of(args.runs, run_bare, src, folder)
        su_t, su_m = median_of(args.runs, run_sqlite_utils, src, folder)
        wz_t, wz_m = median_of(args.runs, run_wenzheng, src, folder)
        print(f"{'load':<34}{'median s':>10}{'× bare':>9}{'peak MB':>10}")
        for name, t, m in (
            ("bare csv + executemany", bare_t, bare_m),
            ("sqlite-utils insert --csv", su_t, su_m),
            ("wenzheng import", wz_t, wz_m),
        ):
            print(f"{name:<34}{t:>10.2f}{t / bare_t:>9.2f}{m / 1024:>10.0f}")
        parse_t, parse_m = median_of(args.runs, run_parse_only, src, folder)
        write_t, bare_write_t = write_only(src, folder, args.runs)
        print("  measured apart:")
        print(
            f"{'  read + parse + validate, no writes':<34}{parse_t:>10.2f}{parse_t / bare_t:>9.2f}{parse_m / 1024:>10.0f}"
        )
        print(f"{'  write the same rows, no parsing':<34}{write_t:>10.2f}{write_t / bare_t:>9.2f}{'':>10}")
        print(
            f"{'  … without secondary indexes':<34}{bare_write_t:>10.2f}{bare_write_t / bare_t:>9.2f}{'':>10}"
        )
        verdict = "met" if wz_t <= 3 * bare_t else "NOT met"
        print(f"target import ≤ 3× bare: {verdict} ({wz_t / bare_t:.2f}×)")
        if wz_t > 3 * bare_t and write_t > 3 * bare_t:
            print(
                f"  writing the import's rows alone takes {write_t / bare_t:.2f}× bare: the target needs fewer"
                " or smaller rows per case, not faster parsing"
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
