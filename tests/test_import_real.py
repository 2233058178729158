"""The real message-board exports in ../shared/data import with no --map (skipped when the folder is absent)."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest

from tests.support.cli import Wz
from tests.support.env import SHARED_DATA
from tests.support.imports import assert_cases_are_folds, result
from wenzheng_cli.domain.replies import read_reply
from wenzheng_cli.importers.values import clean_long, parse_moment
from wenzheng_cli.importers.xlsx import XlsxImporter

REPLIES = SHARED_DATA / "tipdm2020c_fujian4_messages_with_replies.xlsx"
LABELLED = SHARED_DATA / "tipdm2020c_fujian2_sample_labeled.xlsx"
NOW = datetime(2026, 11, 23, 10, 0)

pytestmark = pytest.mark.slow  # thousands of real rows; `pytest -m "not slow"` leaves these out


def _need(path: Path) -> None:
    if not path.exists():
        pytest.skip(f"{path.name} not available")


def _rows(path: Path) -> list[tuple[int, list[object]]]:
    from wenzheng_cli.importers.base import Options

    with XlsxImporter().extract(path, Options()) as table:
        return [(n, list(cells)) for n, cells in table.rows]


def test_messages_with_replies(wz: Wz, ledger_env: Path) -> None:
    _need(REPLIES)
    report = wz.json("import", str(REPLIES))
    # 260 replies only acknowledge receipt (已收悉, a bare date), forward ("已转至县交通局…", "转相关部门") or name a
    # unit: noted, the case left open; the 132 that name a unit assign the case to it.
    # Possible repeats (same text within 30 days, any community): flagged, not merged.
    assert report == result(imported=2816, rows=2816, resolved=2556, duplicates_flagged=64)
    conn = sqlite3.connect(ledger_env)
    cases = {
        key: (status, resolved_at, res, received_at)
        for key, status, resolved_at, res, received_at in conn.execute(
            "SELECT source_key, status, resolved_at, result, received_at FROM cases"
        )
    }
    later = {
        (key, action): (at, json.loads(payload))
        for key, action, at, payload in conn.execute(
            "SELECT c.source_key, e.action, e.at, e.payload FROM events e JOIN cases c ON c.id = e.case_id"
            " WHERE e.action != 'intake'"
        )
    }
    assert (len(cases), len(later)) == (2816, 2816 + 132)  # a note or a resolution each, and 132 assigns
    for _, cells in _rows(REPLIES):
        key = f"留言编号:{cells[0]}"
        reply = clean_long(str(cells[5]))
        replied_at = parse_moment(cells[6], NOW)[0]
        received_at = parse_moment(cells[3], NOW)[0]
        if replied_at[:10] == received_at[:10] and replied_at < received_at:
            replied_at = received_at
        reading = read_reply(reply)
        if reading.noted:
            assert cases[key] == ("assigned" if reading.unit else "registered", None, None, received_at), key
            if reading.unit:
                assert later[key, "assign"] == (received_at, {"imported": True, "unit": reading.unit})
            assert later[key, "note"] == (
                replied_at,
                {"acknowledgement": True, "imported": True, "text": reply},
            )
        else:
            assert cases[key] == ("resolved", replied_at, reply, received_at), key
            assert later[key, "resolve"][0] == replied_at
    # The traps: a real Excel date cell, a reply dated without a time, scraped whitespace.
    assert cases["留言编号:2759"][3] == "2019-04-08T08:37:20+08:00"
    assert cases["留言编号:27610"][1] == "2018-04-24T00:00:00+08:00"
    description = conn.execute("SELECT description FROM cases WHERE source_key = '留言编号:2549'").fetchone()[
        0
    ]
    assert description.startswith("2019年4月以来，位于A市A2区桂花坪街道")
    assert (
        conn.execute(
            "SELECT COUNT(*) FROM cases WHERE result LIKE '%\u3000%' OR description LIKE '%\t%'"
        ).fetchone()[0]
        == 0
    )
    assert assert_cases_are_folds(ledger_env) == 2816
    assert wz.json("import", str(REPLIES)) == result(skipped_existing=2816, rows=2816)


def test_a_later_export_brings_its_replies(wz: Wz, ledger_env: Path) -> None:
    """Finding 2: the messages first, the same export with its replies weeks later — every reply recorded."""
    _need(REPLIES)
    first = wz.json("import", str(REPLIES), "--map", "答复意见=ignore", "--map", "答复时间=ignore")
    assert (first["imported"], first["resolved"]) == (2816, 0)
    later = wz.json("import", str(REPLIES))
    assert (later["imported"], later["updated"], later["skipped_existing"]) == (0, 2816, 0)
    conn = sqlite3.connect(ledger_env)
    statuses = Counter(s for (s,) in conn.execute("SELECT status FROM cases"))
    assert statuses == Counter({"resolved": 2556, "registered": 128, "assigned": 132})
    assert assert_cases_are_folds(ledger_env) == 2816
    again = wz.json("import", str(REPLIES))
    assert (again["updated"], again["skipped_existing"]) == (0, 2816)
    assert wz.json("check")["ok"] is True


def test_labelled_sample(wz: Wz, ledger_env: Path) -> None:
    _need(LABELLED)
    report = wz.json("import", str(LABELLED))
    categories = [
        "城乡建设",
        "环境保护",
        "交通运输",
        "劳动和社会保障",
        "商贸旅游",
        "卫生计生",
    ]  # 教育文体 is a default
    # 留言编号 37042 is on row 100 (城乡建设) and again on row 312 (劳动和社会保障): the same message labelled
    # twice. Both rows become cases, each with its own label; the second is reported and flagged as a possible
    # duplicate of the first (reason "key"), so nothing in the file is lost or merged.
    message = "留言编号「37042」与第 100 行相同，但其他内容不同：两行都已导入，本行标为疑似重复"
    assert report == result(
        imported=495,
        rows=495,
        same_key=1,
        duplicates_flagged=2,
        new_values={"categories": categories},
        warnings=[{"file": LABELLED.name, "row": 312, "column": "留言编号", "message": message}],
    )
    conn = sqlite3.connect(ledger_env)
    got = Counter(c for (c,) in conn.execute("SELECT category FROM cases"))
    assert got == Counter(str(cells[5]) for _, cells in _rows(LABELLED))
    pair = conn.execute(
        "SELECT c.category, t.category, f.reason FROM duplicate_flags f JOIN cases c ON c.id = f.case_id"
        " JOIN cases t ON t.id = f.twin_id WHERE t.source_key = '留言编号:37042'"
    ).fetchall()
    assert pair == [("劳动和社会保障", "城乡建设", "key")]
    assert assert_cases_are_folds(ledger_env) == 495
    again = wz.json("import", str(LABELLED))
    assert (again["imported"], again["skipped_existing"]) == (0, 495)
