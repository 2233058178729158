"""Time the HTML pages alone (``render/html``), from report dicts made here: ``python benchmarks/html_render.py``.

- a monthly 通报 with 50 groups (the most a street office ranks: communities, units, grids);
- a weekly 台账 of a ledger whose cases are mostly still open: 20,000 rows carried over, 8,000 overdue and
  20,000 to report back, each section shown up to the page's cap with its whole count, and, for comparison,
  the same page with every row (what the cap saves);
- a trend of 24 months over 50 groups.

Prints the median of ``--runs`` renders in this process (no start-up, no SQL: what ``--format html`` adds to
building the report) and the size of each page.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from typing import Any

from wenzheng_cli.domain.tally import RATES, TOTAL_KEYS
from wenzheng_cli.render.html import ROWS_SHOWN, monthly_page, trend_page, weekly_page


def _rates(rng: random.Random) -> dict[str, float | None]:
    return {key: round(rng.uniform(0.7, 1.0), 4) for key in RATES}


def _totals(rng: random.Random) -> dict[str, int]:
    return {key: rng.randint(0, 20_000) for key in TOTAL_KEYS}


def monthly_dict(groups: int = 50, seed: int = 1) -> dict[str, Any]:
    rng = random.Random(seed)
    rows = [
        {
            "key": f"第{i + 1}社区",
            "totals": _totals(rng),
            "rates": _rates(rng),
            "score": round(rng.uniform(70, 99), 2),
            "rank": i + 1,
            "points": float(rng.randint(-50, 900)),
        }
        for i in range(groups)
    ]
    return {
        "period": {"start": "2026-10-01", "end": "2026-10-31", "as_of": "2026-10-31T23:59:59+08:00"},
        "by": "community",
        "totals": _totals(rng),
        "rates": _rates(rng),
        "points": 12345.0,
        "score": 91.2,
        "groups": rows,
        "top_categories": [
            {"category": f"类别{i}", "received": 5000 - i * 300, "share": 0.1} for i in range(10)
        ],
        "activity": {
            "sessions": 40,
            "by_kind": {"问政日": 30, "议事会": 10},
            "items": 900,
            "on_site": 600,
            "committed": 300,
        },
        "scoring": {
            "score_weights": {"completion_rate": 0.5, "satisfaction_rate": 0.5},
            "points": {
                "closed": 1.0,
                "overdue": 2.0,
                "dissatisfied": 3.0,
                "returned": 1.0,
                "difficulty_weights": [1, 2, 3, 4, 5],
            },
        },
    }


def _case(i: int, rng: random.Random) -> dict[str, Any]:
    return {
        "number": f"WZ-2026-{i:06d}",
        "id": f"ID{i}",
        "status": rng.choice(("registered", "assigned", "claimed")),
        "received_at": "2026-06-03T09:30:00+08:00",
        "channel": "12345热线",
        "category": "物业管理",
        "nature": "投诉",
        "description": f"幸福里{i % 40}号楼居民反映：电梯多次故障停运，老人上下楼困难。近期多次出现，希望给个答复。",
        "resident": "李**",
        "phone": "138****5678",
        "address": f"幸福里{i % 40}号楼",
        "community": "杨柳",
        "grid": "三网格",
        "handler": "王芳",
        "unit": "物业公司",
        "level": "社区",
        "due_at": "2026-06-10T23:59:59+08:00",
        "difficulty": 2,
        "round": 1,
        "supervised": False,
        "resolved_at": None,
        "outcome": None,
        "result": None,
        "rating": None,
        "closed_at": None,
        "overdue": i % 5 < 2,
    }


def weekly_dict(rows: int = 20_000, seed: int = 2) -> dict[str, Any]:
    rng = random.Random(seed)
    cases = [_case(i, rng) for i in range(rows)]
    sections = {
        "new": cases[:50],
        "resolved": [],
        "closed": [],
        "carried_over": cases,
        "overdue": [c for c in cases if c["overdue"]],
        "report_back": cases,
    }
    return {
        "week": {"start": "2026-11-17", "end": "2026-11-23"},
        **sections,
        "totals": {key: len(value) for key, value in sections.items()},
        "as_of": "2026-11-23T10:00:00+08:00",
    }


def trend_dict(months: int = 24, groups: int = 50, seed: int = 3) -> dict[str, Any]:
    rng = random.Random(seed)
    names = [f"{2025 + (m // 12)}-{m % 12 + 1:02d}" for m in range(months)]

    def month(name: str) -> dict[str, Any]:
        return {"month": name, "totals": _totals(rng), "rates": _rates(rng)}

    return {
        "by": "community",
        "months": [month(name) for name in names],
        "groups": [
            {"key": f"第{g + 1}社区", "months": [month(name) for name in names]} for g in range(groups)
        ],
    }


def median(render: Callable[[], str], runs: int) -> tuple[float, int]:
    size = len(render().encode("utf-8"))  # also the warm-up
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        render()
        times.append(time.perf_counter() - started)
    return statistics.median(times), size


def measure(runs: int) -> list[tuple[str, float, int]]:
    monthly, weekly, trend = monthly_dict(), weekly_dict(), trend_dict()
    cases = {
        "monthly, 50 groups": lambda: monthly_page(monthly, office="示例街道"),
        f"weekly, 20,000 rows (first {ROWS_SHOWN} per section)": lambda: weekly_page(
            weekly, office="示例街道"
        ),
        "weekly, 20,000 rows, every row": lambda: weekly_page(weekly, office="示例街道", limit=None),
        "trend, 24 months × 50 groups": lambda: trend_page(trend, office="示例街道"),
    }
    return [(name, *median(render, runs)) for name, render in cases.items()]


def print_renders(runs: int) -> None:
    print(f"| page | render median ms | page size |  (runs: {runs})")
    print("|---|---:|---:|")
    for name, seconds, size in measure(runs):
        print(f"| {name} | {seconds * 1000:.1f} | {size / 1024:,.0f} KB |", flush=True)


def section(wenzheng: str, env: dict[str, str], runs: int, cases: str) -> None:
    """For ``make bench``: the whole ``report monthly --format html`` command on a ledger (target < 1.5 s at
    1M cases: start-up, SQL, figures and page), then the render alone."""
    with tempfile.TemporaryDirectory() as tmp:
        argv = [
            wenzheng,
            "report",
            "monthly",
            "--month",
            "last",
            "--format",
            "html",
            "--output",
            f"{tmp}/m.html",
        ]
        times = []
        for i in range(runs + 1):  # the first warms the page cache
            started = time.perf_counter()
            subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            if i:
                times.append(time.perf_counter() - started)
        size = os.path.getsize(f"{tmp}/m.html")
    took = statistics.median(times)
    verdict = "met" if took < 1.5 else "NOT met"
    print(
        f"`report monthly --month last --format html` on {cases} cases: {took:.2f} s (median of {runs}), "
        f"page {size / 1024:.0f} KB; target < 1.5 s: {verdict}. The render alone, from report dicts:"
    )
    print_renders(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description="HTML 报表渲染耗时")
    parser.add_argument("--runs", type=int, default=7, help="每项计时次数（另有一次预热）")
    args = parser.parse_args()
    print_renders(args.runs)


if __name__ == "__main__":
    main()
