"""Build a large, realistic ledger for benchmarks: ``python benchmarks/generate.py --cases 1000000 --out PATH``.

The rows are the ones the commands write: every event has the payload its command would record, events are
appended in business-time order across all cases (as clerks type them, interleaved), and every ``cases`` row
is ``domain.states.fold`` of that case's events, so ``show``, ``list``, ``check`` and the reports accept the
file. Cases are spread evenly over ``--years`` years before ``--end`` (default about 200,000 a year, the size
of a city district), with the whole mix of the lifecycle: 现场办结, claims on time and late, 退单, 提级,
延期, 督办, progress notes, resolutions on time and late, revisits satisfied, dissatisfied (重办) and
unreachable, duplicates withdrawn, cases still in progress near the end and a few old ones never closed.

Speed: one process, secondary indexes dropped during the load and rebuilt at the end, ``executemany`` in big
transactions. About two minutes per million cases.
"""

from __future__ import annotations

import argparse
import heapq
import json
import random
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

from wenzheng_cli.config import DEFAULTS
from wenzheng_cli.domain import clock
from wenzheng_cli.domain.models import CASE_FIELDS, Action, Event
from wenzheng_cli.domain.states import apply
from wenzheng_cli.store import search
from wenzheng_cli.store.ledger import open_ledger

sys.path.insert(0, str(Path(__file__).resolve().parent))
from case_stories import Generator
from vocabulary import (
    COMMUNITIES,
    GRIDS,
    ulid,
    working_moment,
)


def generate(path: Path, cases: int, end: datetime, years: float, seed: int, office: str) -> None:
    rng = random.Random(seed)
    ledger = open_ledger(path, create=True)
    conn = ledger.conn
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -400000")
    conn.execute("BEGIN")
    for key, value in {
        "office.code": office,
        "office.name": "示例街道",
        "communities": COMMUNITIES,
        "grids": GRIDS,
    }.items():
        conn.execute(
            "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
            (key, json.dumps(value, ensure_ascii=False)),
        )
    indexes = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ('cases', 'events')"
    ).fetchall()
    for name, _ in indexes:
        conn.execute(f"DROP INDEX {name}")
    paused = search.pause_indexing(conn)  # the search index is built once at the end, as an import does
    conn.execute("COMMIT")

    gen = Generator(rng, end, office)
    start = end - timedelta(days=365.25 * years)
    span_s = (end - start).total_seconds()
    offsets = sorted(rng.random() * span_s for _ in range(cases))
    case_columns = ", ".join(CASE_FIELDS)
    case_sql = f"INSERT INTO cases ({case_columns}) VALUES ({', '.join('?' for _ in CASE_FIELDS)})"
    event_sql = "INSERT INTO events (id, case_id, action, at, recorded_at, actor, payload, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
    pending: list[tuple[str, int, tuple[object, ...]]] = []  # heap of (at, order, event row)
    order = 0
    case_rows: list[tuple[object, ...]] = []
    event_rows: list[tuple[object, ...]] = []
    started = time.monotonic()
    conn.execute("BEGIN")

    def flush() -> None:
        conn.executemany(case_sql, case_rows)
        conn.executemany(event_sql, event_rows)
        case_rows.clear()
        event_rows.clear()

    for i, offset in enumerate(offsets):
        day = (start + timedelta(seconds=offset)).date()
        if day.weekday() >= 5 and rng.random() < 0.6:
            day -= timedelta(days=day.weekday() - 4)  # fewer cases at weekends
        received = working_moment(rng, day)
        received = min(max(received, start), end - timedelta(minutes=1))
        received_iso = clock.iso(received) or ""
        while pending and pending[0][0] <= received_iso:
            event_rows.append(heapq.heappop(pending)[2])
        case_id = ulid(rng, received)
        case = None
        for action, at, actor, payload in gen.case_events(received):
            at_iso = clock.iso(at) or ""
            recorded = min(at + timedelta(minutes=rng.randint(0, 180)), end)
            recorded_iso = clock.iso(recorded) or ""
            event = Event(ulid(rng, at), case_id, Action(action), at_iso, recorded_iso, actor, payload, "cli")
            case = apply(case, event)
            row = (
                event.id,
                case_id,
                action,
                at_iso,
                recorded_iso,
                actor,
                json.dumps(payload, ensure_ascii=False, sort_keys=True),
                "cli",
            )
            order += 1
            heapq.heappush(pending, (at_iso, order, row))
        assert case is not None
        values = case.as_row()
        case_rows.append(tuple(values[name] for name in CASE_FIELDS))
        if len(case_rows) >= 20000:
            flush()
            if (i + 1) % 100000 == 0:
                rate = (i + 1) / (time.monotonic() - started)
                print(f"  {i + 1:,} cases ({rate:,.0f}/s)", file=sys.stderr)
    while pending:
        event_rows.append(heapq.heappop(pending)[2])
    flush()
    conn.executemany(
        "INSERT INTO activities (id, uid, title, kind, at, community, recorded_at, actor) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                a.id,
                ulid(rng, a.at),
                f"{a.at.year}年{a.at.month}月{a.community}社区{a.kind}",
                a.kind,
                clock.iso(a.at),
                a.community,
                clock.iso(a.at),
                "clerk",
            )
            for a in gen.activities
        ],
    )
    conn.execute("COMMIT")
    print(f"  rows written in {time.monotonic() - started:.0f} s; building indexes", file=sys.stderr)
    conn.execute("BEGIN")
    for _, sql in indexes:
        conn.execute(sql)
    search.index_added(conn, 0, paused)
    conn.execute("COMMIT")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute(
        "PRAGMA wal_checkpoint(TRUNCATE)"
    )  # no ANALYZE: a ledger made by the commands has no statistics
    ledger.close()


def main() -> None:
    parser = argparse.ArgumentParser(description="生成基准测试用的大型台账")
    parser.add_argument("--cases", type=int, default=100_000, help="案件数")
    parser.add_argument("--out", type=Path, required=True, help="输出台账路径（不得已存在）")
    parser.add_argument("--end", default="2026-11-23T10:00:00+08:00", help="最后时刻（与 WENZHENG_NOW 一致）")
    parser.add_argument("--years", type=float, default=None, help="案件分布的年数（默认每年约 20 万件）")
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--office", default=DEFAULTS["office.code"])
    args = parser.parse_args()
    if args.out.exists():
        sys.exit(f"{args.out} 已存在；请换一个路径或先删除")
    years = args.years if args.years else max(args.cases / 200_000, 0.25)
    end = clock.local(datetime.fromisoformat(args.end))
    begun = time.monotonic()
    generate(args.out, args.cases, end, years, args.seed, args.office)
    print(
        f"{args.out}: {args.cases:,} cases over {years:g} years in {time.monotonic() - begun:.0f} s",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
