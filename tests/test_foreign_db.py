"""Only an empty file or a ledger is opened as a ledger (issue 26, item 4): any other SQLite database — one
holding only a view, an empty one marked by its program (``application_id``, ``user_version``) — is refused,
says what it is, and stays byte for byte as it was."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.support.cli import Wz
from wenzheng_cli.store import schema

HINT = "提示: 用 --db 指向已有的台账；要新建台账，请换一个新的文件名"


def _database(path: Path, *statements: str) -> bytes:
    conn = sqlite3.connect(path)
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()
    return path.read_bytes()


FOREIGN = {
    "only-a-view": (("CREATE VIEW v AS SELECT 1",), "有 1 个视图"),
    "application-id": (("PRAGMA application_id = 1234",), "application_id 为 1234"),
    "user-version": (("PRAGMA user_version = 7",), "user_version 为 7"),
    "user-version-of-a-ledger": (
        ("CREATE TABLE cases (x)", f"PRAGMA user_version = {schema.latest()}"),
        f"有 1 张表：cases，user_version 为 {schema.latest()}",
    ),
    "tables-and-a-view": (
        (
            "CREATE TABLE a (x)",
            "CREATE TABLE b (x)",
            "CREATE TABLE c (x)",
            "CREATE TABLE d (x)",
            "CREATE VIEW v AS SELECT 1",
        ),
        "有 4 张表：a、b、c等，有 1 个视图",
    ),
    "others-migrations": (
        (
            "CREATE TABLE _sqlite_migrations (migration_set TEXT, name TEXT)",
            "INSERT INTO _sqlite_migrations VALUES ('other', 'm001')",
        ),
        "有 1 张表：_sqlite_migrations",
    ),
}


@pytest.mark.parametrize("kind", sorted(FOREIGN))
def test_another_programs_database_is_refused_and_left_as_it_was(wz: Wz, tmp_path: Path, kind: str) -> None:
    statements, what = FOREIGN[kind]
    other = tmp_path / "other.sqlite"
    before = _database(other, *statements)
    mode = other.stat().st_mode
    for args in (["init", "--office", "YL"], ["intake", "路灯不亮"], ["list"], ["check"]):
        refused = wz.fail(*args, "--db", str(other)).stderr.splitlines()
        assert refused == [f"错误: {other} 是其他程序的数据库，不是台账（{what}）；该文件未作更改", HINT]
    assert other.read_bytes() == before and other.stat().st_mode == mode
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("other")) == ["other.sqlite"]


def test_an_empty_file_or_database_becomes_a_ledger(wz: Wz, tmp_path: Path) -> None:
    zero = tmp_path / "zero.db"
    zero.write_bytes(b"")
    emptied = tmp_path / "emptied.db"
    _database(
        emptied,
        "CREATE TABLE t (x INTEGER PRIMARY KEY AUTOINCREMENT)",
        "INSERT INTO t VALUES (1)",
        "DROP TABLE t",
    )
    for path in (zero, emptied):
        wz("init", "--office", "YL", "--db", str(path))
        assert wz.json("intake", "路灯不亮", "--db", str(path))["number"] == "YL-2026-0001"
        conn = sqlite3.connect(path)
        assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.latest()
        conn.close()


def test_a_ledger_from_a_newer_version_is_named_so(wz: Wz, tmp_path: Path) -> None:
    ledger = tmp_path / "new.db"
    wz("init", "--office", "YL", "--db", str(ledger))
    conn = sqlite3.connect(ledger)
    conn.execute(f"PRAGMA user_version = {schema.latest() + 1}")
    conn.close()
    refused = wz.fail("list", "--db", str(ledger)).stderr
    assert "由更新版本的问政台账程序建立" in refused
