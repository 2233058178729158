"""Helpers for the import tests: writing files as offices send them, and checking the ledger afterwards."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from wenzheng_cli.domain.states import fold
from wenzheng_cli.store.cases import events_for, iter_cases

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
HEADER = ["工单号", "受理时间", "居民姓名", "联系电话", "住址", "诉求类别", "诉求内容"]


def many_rows(n: int, start: int = 1) -> list[list[str]]:
    return [
        [
            f"GD{i:05d}",
            f"2026/11/{1 + i % 20} 9:{i % 60:02d}:00",
            f"居民{i}",
            f"139{i:08d}",
            f"{i}号楼",
            "环境卫生",
            f"第{i}件诉求",
        ]
        for i in range(start, start + n)
    ]


def write_csv(path: Path, rows: Sequence[Sequence[Any]], encoding: str = "utf-8-sig") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_jsonl(path: Path, lines: Sequence[Any]) -> Path:
    text = "\n".join(x if isinstance(x, str) else json.dumps(x, ensure_ascii=False) for x in lines)
    path.write_text(text + "\n", encoding="utf-8")
    return path


def read_rejects(path: Path) -> list[list[str]]:
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf"), "rejects must be UTF-8 with BOM for Excel"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def ledger(db: Path) -> sqlite3.Connection:
    return sqlite3.connect(db)


def assert_cases_are_folds(db: Path) -> int:
    """Every case row equals the fold of its events (what ``wenzheng check`` verifies); returns the count."""
    conn = ledger(db)
    count = 0
    for case in iter_cases(conn):
        assert fold(events_for(conn, case.id)) == case, case.number
        count += 1
    conn.close()
    return count


def count_cases(db: Path) -> int:
    conn = ledger(db)
    try:
        return int(conn.execute("SELECT COUNT(*) FROM cases").fetchone()[0])
    finally:
        conn.close()


def result(**changes: Any) -> dict[str, Any]:
    """The JSON report of a clean import of nothing, with ``changes``."""
    base: dict[str, Any] = {
        "imported": 0,
        "updated": 0,
        "skipped_existing": 0,
        "invalid": 0,
        "duplicates_flagged": 0,
        "errors": [],
        "rows": 0,
        "resolved": 0,
        "repeated": 0,
        "same_key": 0,
        "warnings": [],
        "suggested": 0,
        "new_values": {},
        "unknown_columns": {},
        "dry_run": False,
        "committed": True,
        "rejects": None,
    }
    base.update(changes)
    return base
