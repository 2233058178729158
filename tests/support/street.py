"""A street and its communities, each community's ledger made through the command line as its clerks would
(typed cases, an import, undo, amend, an escalation to 街道, a reopening), for the roll-up tests."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from tests.support.cli import Wz

# code, name, community, a category of its own (added to its list: the street's lists lack it)
OFFICES = (
    ("YL", "杨柳社区", "杨柳", "楼道照明"),
    ("QH", "清河社区", "清河", None),
    ("BY", "北苑社区", "北苑", None),
)


class Office:
    """One community's ledger at ``path``, driven through the command line."""

    def __init__(self, wz: Wz, path: Path, code: str, name: str, community: str) -> None:
        self.wz, self.path, self.code, self.name, self.community = wz, path, code, name, community

    def __call__(self, *args: str, code: int = 0) -> Any:
        return self.wz("--db", str(self.path), *args, code=code)

    def json(self, *args: str) -> Any:
        return self.wz.json("--db", str(self.path), *args)

    def intake(self, text: str, at: str, *more: str) -> str:
        found = self.json("intake", text, "--community", self.community, "--at", at, *more)
        return str(found["number"])

    def backup(self, dest: Path) -> Path:
        self("backup", str(dest))
        return dest

    def cases(self) -> list[dict[str, Any]]:
        return sorted(self.json("list", "--limit", "1000"), key=lambda c: c["number"])


def build_office(wz: Wz, folder: Path, code: str, name: str, community: str, own: str | None) -> Office:
    office = Office(wz, folder / f"{code.lower()}.db", code, name, community)
    office("init", "--office", code, "--name", name)
    office("config", "add", "communities", community)
    if own:
        office("config", "add", "categories", own)
    office("activity", "add", "11月居民问政日", "--at", "2026-11-10 09:00", "--community", community)
    # a case resolved, then reopened by a dissatisfied resident
    first = office.intake(
        "3号楼路灯不亮", "2026-11-03 09:00", "--category", own or "困难诉求", "--activity", "1"
    )
    office("assign", first, "--to", "王芳", "--within", "5wd", "--at", "2026-11-03 10:00")
    office("--operator", "王芳", "claim", first, "--at", "2026-11-03 11:00")
    office(
        "--operator",
        "王芳",
        "resolve",
        first,
        "--result",
        "已更换灯泡，现场照明恢复",
        "--at",
        "2026-11-05 16:00",
    )
    office("revisit", first, "--rating", "不满意", "--at", "2026-11-06 10:00")
    # escalated to the street
    second = office.intake("楼下饭店油烟扰民", "2026-11-04 09:30", "--category", "群众纠纷")
    office("assign", second, "--unit", "城管科", "--level", "社区", "--at", "2026-11-04 10:00")
    office(
        "escalate",
        second,
        "--level",
        "街道",
        "--unit",
        "街道综治办",
        "--reason",
        "多次调解无果",
        "--at",
        "2026-11-09 10:00",
    )
    # a step taken back, a field corrected
    third = office.intake("小区垃圾清运不及时", "2026-11-10 08:00")
    office("assign", third, "--to", "陈晨", "--at", "2026-11-10 09:00")
    office("undo", third, "--yes", "--reason", "交办错了")
    office("amend", third, "--category", "堆码物清理", "--reason", "受理时未选类别")
    office(
        "intake",
        "咨询低保政策",
        "--community",
        community,
        "--on-site",
        "已当场告知办理流程",
        "--at",
        "2026-11-17 10:00",
    )
    # an import of a visit team's notes
    rows = folder / f"{code.lower()}-visits.csv"
    rows.write_text(
        "留言编号,留言时间,留言详情,联系电话\n"
        f"{code}-V1,2026-11-18 09:00,单元门禁损坏,13800000001\n"
        f"{code}-V2,2026-11-18 10:00,楼道堆放杂物,13800000002\n",
        encoding="utf-8",
    )
    office("import", str(rows), "--community", community, "--channel", "走访")
    return office


def build_street(wz: Wz, folder: Path) -> list[Office]:
    folder.mkdir(parents=True, exist_ok=True)
    return [build_office(wz, folder, code, name, community, own) for code, name, community, own in OFFICES]


def rows(path: Path, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return [tuple(row) for row in conn.execute(sql, params)]
    finally:
        conn.close()


def events_of(path: Path, office: str | None = None) -> list[tuple[Any, ...]]:
    """The events (all, or of one office's cases) as rows, by id: what two ledgers must hold alike."""
    sql = "SELECT e.id, e.case_id, e.action, e.at, e.recorded_at, e.actor, e.payload, e.origin FROM events e"
    if office is None:
        return rows(path, sql + " ORDER BY e.id")
    return rows(path, sql + " JOIN cases c ON c.id = e.case_id WHERE c.office = ? ORDER BY e.id", office)


def snapshot(path: Path) -> str:
    """Everything a roll-up may write, as one text: equal before and after means nothing was written."""
    tables = ("cases", "events", "activities", "rollup_sources", "rollup_files", "value_maps", "settings")
    return json.dumps(
        {table: rows(path, f"SELECT * FROM {table} ORDER BY 1") for table in tables}, ensure_ascii=False
    )
