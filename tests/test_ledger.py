"""Where the ledger lives and how it is opened: 0600, WAL, foreign keys, migrations, append-only events."""

from __future__ import annotations

import json
import sqlite3
import stat
from pathlib import Path

import pytest

from tests.support.cli import Wz
from wenzheng_cli.cli.paths import ledger_path
from wenzheng_cli.store import schema
from wenzheng_cli.store.ledger import open_ledger


def test_created_owner_only_in_wal_with_foreign_keys(wz: Wz, ledger_env: Path) -> None:
    wz("intake", "路灯不亮")
    assert stat.S_IMODE(ledger_env.stat().st_mode) == 0o600
    for side in ledger_env.parent.glob("ledger.db-*"):
        assert stat.S_IMODE(side.stat().st_mode) == 0o600, side
    conn = sqlite3.connect(ledger_env)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.latest()
    ledger = open_ledger(ledger_env, create=False)
    assert ledger.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert ledger.conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 30000


def test_path_resolution_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WENZHENG_DB", str(tmp_path / "env.db"))
    assert ledger_path(str(tmp_path / "flag.db")) == tmp_path / "flag.db"
    assert ledger_path(None) == tmp_path / "env.db"
    monkeypatch.delenv("WENZHENG_DB")
    monkeypatch.setenv("WENZHENG_HOME", str(tmp_path / "home"))
    assert ledger_path(None) == tmp_path / "home" / "wenzheng.db"


def test_default_ledger_in_the_app_dir(wz: Wz, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WENZHENG_DB")
    wz("init", "--office", "YL", "--name", "杨柳社区")
    made = tmp_path / "home" / "wenzheng.db"
    assert made.exists() and stat.S_IMODE(made.stat().st_mode) == 0o600
    assert wz.json("init")["office"] == "YL"


def test_flag_wins_over_env(wz: Wz, tmp_path: Path, ledger_env: Path) -> None:
    other = tmp_path / "other.db"
    wz("--db", str(other), "init")
    wz("--db", str(other), "intake", "在另一台账")
    wz("intake", "在默认台账", "--db", str(ledger_env))
    assert [c["description"] for c in wz.json("list", "--db", str(other))] == ["在另一台账"]
    assert [c["description"] for c in wz.json("list")] == ["在默认台账"]


def test_events_are_append_only(wz: Wz, ledger_env: Path) -> None:
    wz("intake", "路灯不亮")
    conn = sqlite3.connect(ledger_env)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("UPDATE events SET actor = 'x'")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("DELETE FROM events")


def test_not_a_ledger_and_read_only(wz: Wz, tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite at all" * 100)
    refused = wz.fail("--db", str(junk), "list")
    assert "junk.db 不是台账文件" in refused.stderr
    folder = tmp_path / "folder.db"
    folder.mkdir()
    assert "是目录" in wz.fail("--db", str(folder), "list").stderr


def test_check_reports_a_tampered_case(wz: Wz, ledger_env: Path) -> None:
    wz("intake", "路灯不亮")
    wz("assign", "1", "--to", "王芳")
    assert wz.json("check")["ok"] is True
    conn = sqlite3.connect(ledger_env)
    conn.execute("UPDATE cases SET handler = '李四', status = 'claimed'")
    conn.commit()
    result = wz("check", "--json", code=1)
    assert '"ok": false' in result.stdout
    human = wz("check", code=1).stdout
    assert "WZ-2026-0001: 台账与办理记录不一致: status、handler" in human


def test_check_reports_cases_without_events_and_events_without_a_case(wz: Wz, ledger_env: Path) -> None:
    for text in ("路灯不亮", "井盖缺失", "楼道堆物"):
        wz("intake", text)
    conn = sqlite3.connect(ledger_env)
    conn.execute("UPDATE cases SET description = '改过的' WHERE number = 'WZ-2026-0002'")
    # Ids chosen to sort among the real ones: the orphan events first, then the case without events, then
    # the three real cases — check reads cases and events side by side in id order.
    conn.execute(
        "INSERT INTO cases (id, number, office, year, seq, status, received_at, description)"
        " VALUES ('01000000000000000000000000', 'WZ-2026-0009', 'WZ', 2026, 9, 'registered',"
        " '2026-11-20T09:00:00+08:00', '没有办理记录的案件')"
    )
    conn.execute(
        "INSERT INTO events (id, case_id, action, at, recorded_at, actor, payload)"
        " VALUES ('01ORPHAN00000000000000000A', '00000000000000000000000000', 'intake',"
        " '2026-11-20T09:00:00+08:00', '2026-11-20T09:00:00+08:00', 'x',"
        ' \'{"description": "孤立的记录", "number": "WZ-2026-0008", "office": "WZ", "year": 2026, "seq": 8}\')'
    )
    conn.commit()
    conn.close()
    report = json.loads(wz("check", "--json", code=1).stdout)
    assert report == {
        "ok": False,
        "cases": 4,
        "events": 4,
        "problems": [
            {"kind": "foreign_key", "number": None, "message": "events 第 4 行引用的 cases 不存在"},
            {"kind": "missing_case", "number": "WZ-2026-0008", "message": "有办理记录但台账中没有该案件"},
            {"kind": "mismatch", "number": "WZ-2026-0002", "message": "台账与办理记录不一致: description"},
            {"kind": "missing_events", "number": "WZ-2026-0009", "message": "案件没有任何办理记录"},
        ],
    }
