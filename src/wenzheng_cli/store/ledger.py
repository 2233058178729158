"""Opening the ledger: where it is, creating it 0600, WAL, foreign keys, busy timeout, migrations."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from wenzheng_cli.errors import Phrase, UsageError, WenzhengError, command, option, phrase, pieces
from wenzheng_cli.store import failures, schema
from wenzheng_cli.store.location import check_local
from wenzheng_cli.store.settings import read_all

BUSY_TIMEOUT_S = 60.0
NAME = "wenzheng.db"


def resolve_path(db: str | None, app_dir: Path | None = None) -> Path:
    """The ledger's path as given (``db``), else ``$WENZHENG_DB``, else ``wenzheng.db`` in the user's app dir.

    The app dir is the front end's to find (the command line asks its toolkit where a user's app data goes)
    and to hand down; without one, a path must be given."""
    if db is not None:
        return _typed_path(db, phrase(option("db")))
    env = os.environ.get("WENZHENG_DB")
    if env:
        return _typed_path(env, "WENZHENG_DB")
    if app_dir is None:
        raise UsageError("没有指定台账文件", hint=phrase("用 ", option("db"), " 或 WENZHENG_DB 指向台账"))
    return app_dir / NAME


def _typed_path(text: str, source: Phrase) -> Path:
    if not text.strip():
        raise UsageError(
            phrase(*pieces(source), " 的值为空"),
            hint=phrase("写出台账文件的路径，如 ", option("db", "杨柳.db"), "；不写则用默认台账"),
        )
    if "\x00" in text:
        raise UsageError(phrase(*pieces(source), " 的值含有空字符（NUL）"), hint="重新输入台账文件的路径")
    return Path(text).expanduser()


@dataclass
class Commits:
    """A count of committed transactions. Whoever opens ledgers (the front end, for one run of a command) owns
    one and hands it to each ledger it opens, so that it can tell what a Ctrl-C has already saved."""

    count: int = 0

    def before_commit(self, conn: sqlite3.Connection) -> None:
        """Called inside each write transaction just before it commits: what a front end records with the
        change itself (``wenzheng serve``: that this request has been applied), all or nothing with it."""


class Ledger:
    """One open ledger. Writes go through ``write()``: one IMMEDIATE transaction, committed or rolled back."""

    def __init__(self, conn: sqlite3.Connection, path: Path, commits: Commits | None = None) -> None:
        self.conn = conn
        self.path = path
        self.commits = commits if commits is not None else Commits()  # counted into as each write commits
        self._settings: dict[str, Any] | None = None
        self._seen_version: int | None = None  # PRAGMA data_version when the settings were last known current
        # The settings above, parsed (``Session.settings``): kept while they are.
        self.parsed: tuple[dict[str, Any], Any] | None = None

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
            try:
                self.commits.before_commit(self.conn)
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")
            self.commits.count += 1
        finally:
            self._settings = None

    def serving(self) -> None:
        """Made the connection of ``wenzheng serve``, which runs every clerk's commands one after another: WAL
        commits without waiting for the disk (SQLite's ``synchronous=NORMAL``, its advice for WAL). A server killed
        mid-command loses nothing committed and the ledger is never corrupted; only the whole PC losing power can
        take back the last commits before a checkpoint. Waiting for the disk at every commit would make every
        clerk wait for every other clerk's disk flush."""
        self.conn.execute("PRAGMA synchronous = NORMAL")

    def forget_settings(self) -> None:
        """Read the settings afresh at their next use if another connection has committed since they were read:
        a ledger kept open (``wenzheng serve``) may have been changed by another process meanwhile (the command
        line on the same PC). SQLite's ``data_version`` changes exactly then; this connection's own writes clear
        them in ``write``."""
        version = int(self.conn.execute("PRAGMA data_version").fetchone()[0])
        if version != self._seen_version:
            self._settings = None
            self._seen_version = version

    def settings(self) -> dict[str, Any]:
        if self._settings is None:
            self._settings = read_all(self.conn)
            self.parsed = None
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
        raise WenzhengError(
            f"台账所在目录不存在: {parent}", hint=phrase("先建立该目录，或用 ", option("db"), " 指定其他位置")
        )
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return
    except OSError as exc:
        raise WenzhengError(
            f"无法在 {parent} 建立台账: {exc.strerror}",
            hint=phrase("检查目录权限，或用 ", option("db"), " 指定其他位置"),
        ) from None
    os.close(fd)


def open_ledger(
    path: Path, *, create: bool, app_dir: Path | None = None, commits: Commits | None = None
) -> Ledger:
    """Open (and, when ``create``, make) the ledger at ``path``, upgrading its schema in place. A ledger made
    in the user's app dir (``app_dir``, as the front end found it) makes that folder too, private to the user."""
    check_local(path)
    if not path.exists():
        if not create:
            raise WenzhengError(
                f"台账文件不存在: {path}",
                hint=phrase(
                    "先运行 ",
                    command("init"),
                    " 建立台账，或用 ",
                    option("db"),
                    " / WENZHENG_DB 指向已有台账",
                ),
            )
        if app_dir is not None and path.parent == app_dir:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        _create_file(path)
    elif path.is_dir():
        raise WenzhengError(
            f"{path} 是目录，不是台账文件", hint=phrase("用 ", option("db"), " 指向一个 .db 文件")
        )
    elif not path.is_file():
        raise failures.not_a_ledger(path)

    conn: sqlite3.Connection | None = None
    try:
        conn = _connect(path)
        conn.execute("PRAGMA foreign_keys = ON")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        foreign = _foreign(conn, version)
        if foreign is None:
            _ensure_wal(conn)
    except sqlite3.Error as exc:
        if conn is not None:
            conn.close()
        raise failures.explain(exc, path) from None
    if foreign is not None:
        conn.close()
        raise WenzhengError(
            f"{path} 是其他程序的数据库，不是台账（{foreign}）；该文件未作更改",
            hint=phrase("用 ", option("db"), " 指向已有的台账；要新建台账，请换一个新的文件名"),
        )
    if version != schema.latest():
        _migrate(conn, path, version)
    return Ledger(conn, path, commits)


def _connect(path: Path) -> sqlite3.Connection:
    """A connection to the ledger. On a read-only disk (a CD, a write-protected USB stick with a backup) SQLite
    cannot make the -shm file WAL needs even to read; the file cannot change there, so it is read as immutable
    and every command that only reads works, while one that writes says the disk is read-only."""
    target, uri = str(path), False
    if failures.read_only_disk(path):
        target, uri = f"file:{quote(str(path.absolute()))}?immutable=1", True
    return sqlite3.connect(
        target, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False, uri=uri
    )


def _foreign(conn: sqlite3.Connection, version: int) -> str | None:
    """What makes the file a database of another program, which must never be made into a ledger (nor touched
    at all); None for a ledger, or for an empty database — no tables, views, indexes or triggers (SQLite's own
    ``sqlite_…`` tables aside), and its ``application_id`` and ``user_version`` both 0, as a new file has them.

    Only reads: the file is left byte for byte as it was, whatever it turns out to be."""
    objects = conn.execute(
        "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY rowid"
    ).fetchall()
    tables = [name for kind, name in objects if kind == "table"]
    if "_sqlite_migrations" in tables:
        ours = "SELECT 1 FROM _sqlite_migrations WHERE migration_set = 'wenzheng' LIMIT 1"
        if conn.execute(ours).fetchone() is not None:
            return None
    application = conn.execute("PRAGMA application_id").fetchone()[0]
    if not objects and application == 0 and version == 0:
        return None
    what: list[str] = []
    if tables:
        shown = "、".join(_printable(name) for name in tables[:3]) + ("等" if len(tables) > 3 else "")
        what.append(f"有 {len(tables)} 张表：{shown}")
    views = sum(1 for kind, _ in objects if kind == "view")
    if views:
        what.append(f"有 {views} 个视图")
    if objects and not tables and not views:
        what.append(f"有 {len(objects)} 个其他结构")
    if application:
        what.append(f"application_id 为 {application}")
    if version:
        what.append(f"user_version 为 {version}")
    return "，".join(what)


def _printable(name: str) -> str:
    """A table's name as a message may show it: on one line, and not too long."""
    text = "".join(ch if ch.isprintable() else "?" for ch in name)
    return text if len(text) <= 20 else text[:19] + "…"


def _ensure_wal(conn: sqlite3.Connection) -> None:
    """WAL lets clerks read while one writes; a restored backup or a copied file may come without it."""
    mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
    if str(mode).lower() != "wal":
        # A read-only file or directory: reading still works, and a write will say why it cannot.
        with contextlib.suppress(sqlite3.OperationalError):
            conn.execute("PRAGMA journal_mode = WAL")


def _migrate(conn: sqlite3.Connection, path: Path, version: int) -> None:
    # sqlite-utils is slow to load: only a ledger being made or upgraded needs it
    from sqlite_utils import Database

    if version > schema.latest():
        raise WenzhengError(
            f"台账 {path} 由更新版本的问政台账程序建立（结构版本 {version}）",
            hint="请升级 wenzheng（问政）后再使用",
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
