"""Opening the ledger: where it is, creating it 0600, WAL, foreign keys, busy timeout, migrations."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from wenzheng_cli.errors import UsageError, WenzhengError
from wenzheng_cli.store import failures

BUSY_TIMEOUT_S = 60.0
NAME = "wenzheng.db"


def app_dir() -> Path:
    """``$WENZHENG_HOME``, else the user's local app dir — on Windows the local one, not the roaming one that
    group policy often redirects to a server share."""
    home = os.environ.get("WENZHENG_HOME")
    if home:
        return Path(home)
    import typer

    return Path(typer.get_app_dir("wenzheng", roaming=False))


def resolve_path(db: str | None) -> Path:
    """``--db``, else ``$WENZHENG_DB``, else ``wenzheng.db`` in the user's app dir."""
    if db is not None:
        return _typed_path(db, "--db")
    env = os.environ.get("WENZHENG_DB")
    if env:
        return _typed_path(env, "WENZHENG_DB")
    path = app_dir() / NAME
    if not os.environ.get("WENZHENG_HOME"):
        _left_in_roaming_dir(path)
    return path


def _typed_path(text: str, source: str) -> Path:
    if not text.strip():
        raise UsageError(f"{source} 的值为空", hint="写出台账文件的路径，如 --db 杨柳.db；不写则用默认台账")
    if "\x00" in text:
        raise UsageError(f"{source} 的值含有空字符（NUL）", hint="重新输入台账文件的路径")
    return Path(text).expanduser()


def _left_in_roaming_dir(path: Path) -> None:
    """A ledger made where earlier versions kept it (Windows' roaming app dir) is not silently left behind for
    a new, empty one."""
    import typer

    old = Path(typer.get_app_dir("wenzheng", roaming=True)) / NAME
    if old != path and old.exists() and not path.exists():  # pragma: no cover - Windows only
        raise WenzhengError(
            f"台账还在漫游配置目录 {old.parent}，该目录常被同步到服务器",
            hint=f"关闭所有 wenzheng 后，把其中的 {NAME}（连同 -wal、-shm 文件）移到 {path.parent}；"
            "或用 --db 指向它",
        )


class Ledger:
    """One open ledger. Writes go through ``write()``: one IMMEDIATE transaction, committed or rolled back."""

    commits = 0  # transactions committed by this process (what a Ctrl-C has already saved)

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path
        self._settings: dict[str, Any] | None = None

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            busy = str(getattr(exc, "sqlite_errorname", "")).startswith("SQLITE_BUSY") or "locked" in str(exc)
            raise (_busy(exc) if busy else failures.explain(exc, self.path)) from None
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")
            Ledger.commits += 1
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
    from wenzheng_cli.store.location import check_local

    check_local(path)
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
    elif not path.is_file():
        raise failures.not_a_ledger(path)
    from wenzheng_cli.store import schema

    conn: sqlite3.Connection | None = None
    try:
        conn = _connect(path)
        conn.execute("PRAGMA foreign_keys = ON")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        foreign = version != schema.latest() and _foreign(conn)
        if not foreign:
            _ensure_wal(conn)
    except sqlite3.Error as exc:
        if conn is not None:
            conn.close()
        raise failures.explain(exc, path) from None
    if foreign:
        conn.close()
        raise WenzhengError(
            f"{path} 是其他程序的数据库，不是台账",
            hint="检查 --db 指向的路径；该文件未作更改。新建台账请换一个文件名",
        )
    if version != schema.latest():
        _migrate(conn, path, version)
    return Ledger(conn, path)


def _connect(path: Path) -> sqlite3.Connection:
    """A connection to the ledger. On a read-only disk (a CD, a write-protected USB stick with a backup) SQLite
    cannot make the -shm file WAL needs even to read; the file cannot change there, so it is read as immutable
    and every command that only reads works, while one that writes says the disk is read-only."""
    target, uri = str(path), False
    if failures.read_only_disk(path):
        from urllib.parse import quote

        target, uri = f"file:{quote(str(path.absolute()))}?immutable=1", True
    return sqlite3.connect(
        target, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False, uri=uri
    )


def _foreign(conn: sqlite3.Connection) -> bool:
    """A database of another program, which must not be made into a ledger: not empty, and not a ledger."""
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not tables - {"sqlite_sequence"}:
        return False
    if "_sqlite_migrations" in tables:
        ours = "SELECT 1 FROM _sqlite_migrations WHERE migration_set = 'wenzheng' LIMIT 1"
        return conn.execute(ours).fetchone() is None
    return True


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
        raise failures.explain(exc, path) from None
    try:
        # Another process may have upgraded it while this one waited for the lock.
        if conn.execute("PRAGMA user_version").fetchone()[0] != schema.latest():
            schema.upgrade(Database(conn, execute_plugins=False))
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
