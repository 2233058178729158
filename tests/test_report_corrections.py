"""Reports after corrections: an amended case counts with its corrected values, an undone step as never taken.

Two ledgers are built side by side: one typed with mistakes and then corrected, one typed right the first
time. Every report must be the same for both.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.support.cli import Wz


def without_ids(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: without_ids(v) for k, v in data.items() if k != "id"}
    if isinstance(data, list):
        return [without_ids(v) for v in data]
    return data


def build(wz: Wz, db: Path, corrected: bool) -> None:
    def run(*args: str) -> None:
        wz("--db", str(db), *args)

    run("init")
    run("config", "add", "communities", "杨柳", "清河")
    # 1: received in October, still in hand in November; a resolution typed by mistake, then undone.
    run("intake", "3号楼路灯不亮", "--community", "杨柳", "--category", "市政设施", "--at", "2026-10-20 9:00")
    run("assign", "1", "--to", "王芳", "--within", "3wd", "--at", "2026-10-20 10:00")
    # 2: the wrong community and category typed at intake, corrected later.
    community, category = ("清河", "环境卫生") if corrected else ("杨柳", "堆码物清理")
    run("intake", "楼道堆放杂物", "--community", community, "--category", category, "--at", "2026-11-03 9:00")
    run("assign", "2", "--unit", "物业公司", "--within", "2wd", "--at", "2026-11-03 10:00")
    run("--operator", "李强", "claim", "2", "--at", "2026-11-03 11:00")
    run("--operator", "李强", "resolve", "2", "--result", "已清理", "--at", "2026-11-04 10:00")
    # 3: closed by a revisit that belonged to another case: the revisit is undone.
    run("intake", "噪音扰民", "--community", "清河", "--category", "噪音扰民", "--at", "2026-11-05 9:00")
    run("assign", "3", "--to", "赵敏", "--at", "2026-11-05 10:00")
    run("--operator", "赵敏", "claim", "3", "--at", "2026-11-05 11:00")
    run("--operator", "赵敏", "resolve", "3", "--result", "已协调", "--at", "2026-11-06 10:00")
    if not corrected:
        run("--operator", "王芳", "resolve", "1", "--result", "误录", "--at", "2026-11-10 10:00")
        run("--operator", "回访员", "revisit", "3", "--rating", "满意", "--at", "2026-11-10 11:00")
        run("amend", "2", "--community", "清河", "--category", "环境卫生", "--reason", "社区、类别写错")
        run("undo", "3", "--yes", "--reason", "回访记错了件")
        run("undo", "1", "--yes", "--reason", "不是这件")


def test_reports_after_corrections_equal_reports_typed_right(wz: Wz, tmp_path: Path) -> None:
    right, fixed = tmp_path / "right.db", tmp_path / "fixed.db"
    build(wz, right, corrected=True)
    build(wz, fixed, corrected=False)

    def report(db: Path, *args: str) -> Any:
        return without_ids(wz.json("--db", str(db), "report", *args))

    reports: list[Callable[[Path], Any]] = [
        lambda db: report(db, "monthly", "--month", "2026-11", "--by", "community"),
        lambda db: report(db, "monthly", "--month", "2026-11", "--by", "category"),
        lambda db: report(db, "monthly", "--month", "2026-11", "--by", "unit", "--as-of", "2026-11-20"),
        lambda db: report(db, "monthly", "--month", "2026-10", "--by", "community"),
        lambda db: report(db, "weekly", "--week", "2026-11-10"),
        lambda db: report(db, "weekly", "--week", "2026-11-03"),
    ]
    for make in reports:
        assert make(fixed) == make(right)
    monthly = report(fixed, "monthly", "--month", "2026-11", "--by", "community")
    assert monthly["totals"]["overdue_open"] == 1  # case 1: its mistaken resolution never happened
    assert monthly["totals"]["closed"] == 0
    assert {g["key"]: g["totals"]["received"] for g in monthly["groups"]} == {"杨柳": 0, "清河": 2}
    assert wz.json("--db", str(fixed), "check")["ok"] is True
