"""Opening the ledger: where it is, creating it 0600, WAL, foreign keys, busy timeout, migrations."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from wenzheng_cli.errors import WenzhengError

BUSY_TIMEOUT_S = 60.0


def app_dir() -> Path:
    home = os.environ.get("WENZHENG_HOME")
    if home:
        return Path(home)
    import typer

    return Path(typer.get_app_dir("wenzheng"))


def resolve_path(db: str | None) -> Path:
    """``--db``, else ``$WENZHENG_DB``, else ``wenzheng.db`` in the user's app dir."""
    if db:
        return Path(db).expanduser()
    env = os.environ.get("WENZHENG_DB")
    if env:
        return Path(env).expanduser()
    return app_dir() / "wenzheng.db"


class Ledger:
    """One open ledger. Writes go through ``write()``: one IMMEDIATE transaction, committed or rolled back."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path
        self._settings: dict[str, Any] | None = None

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise _busy(exc) from None
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")
        finally:
            self._settings = None

    def settings(self) -> dict[str, Any]:
        if self._settings is None:
            from wenzheng_cli.store.settings import read_all

            self._settings = read_all(self.conn)
        return self._settings

    def close(self) -> None:
        self.conn.close()


def _busy(exc: sqlite3.OperationalError) -> WenzhengError:
    return WenzhengError(
        f"台账正忙，{int(BUSY_TIMEOUT_S)} 秒内未能写入（{exc}）",
        hint="其他人正在进行大批量操作，请稍后再试",
    )


def _create_file(path: Path) -> None:
    parent = path.parent
    if not parent.exists():
        raise WenzhengError(f"台账所在目录不存在: {parent}", hint="先建立该目录，或用 --db 指定其他位置")
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return
    except OSError as exc:
        raise WenzhengError(
            f"无法在 {parent} 建立台账: {exc.strerror}", hint="检查目录权限，或用 --db 指定其他位置"
        ) from None
    os.close(fd)


def open_ledger(path: Path, *, create: bool) -> Ledger:
    """Open (and, when ``create``, make) the ledger at ``path``, upgrading its schema in place."""
    if not path.exists():
        if not create:
            raise WenzhengError(
                f"台账文件不存在: {path}",
                hint="先运行 wenzheng init 建立台账，或用 --db / WENZHENG_DB 指向已有台账",
            )
        if path.parent == app_dir():
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        _create_file(path)
    elif path.is_dir():
        raise WenzhengError(f"{path} 是目录，不是台账文件", hint="用 --db 指向一个 .db 文件")
    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA foreign_keys = ON")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        _ensure_wal(conn)
    except sqlite3.DatabaseError as exc:
        raise WenzhengError(
            f"{path} 不是可用的台账文件（{exc}）",
            hint="检查 --db 路径；如台账损坏，请用最近的备份恢复（见 README 的「备份与恢复」）",
        ) from None
    from wenzheng_cli.store import schema

    if version != schema.latest():
        _migrate(conn, path, version)
    return Ledger(conn, path)


def _ensure_wal(conn: sqlite3.Connection) -> None:
    """WAL lets clerks read while one writes; a restored backup or a copied file may come without it."""
    mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
    if str(mode).lower() != "wal":
        # A read-only file or directory: reading still works, and a write will say why it cannot.
        with contextlib.suppress(sqlite3.OperationalError):
            conn.execute("PRAGMA journal_mode = WAL")


def _migrate(conn: sqlite3.Connection, path: Path, version: int) -> None:
    from sqlite_utils import Database

    from wenzheng_cli.store import schema

    if version > schema.latest():
        raise WenzhengError(
            f"台账 {path} 由更新版本的 wenzheng 建立（结构版本 {version}）", hint="请升级 wenzheng 后再使用"
        )
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        if "readonly" in str(exc) or "read-only" in str(exc):
            raise WenzhengError(f"台账 {path} 只读，无法升级或写入", hint="检查文件权限") from None
        raise _busy(exc) from None
    try:
        # Another process may have upgraded it while this one waited for the lock.
        if conn.execute("PRAGMA user_version").fetchone()[0] != schema.latest():
            schema.upgrade(Database(conn, execute_plugins=False))
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
