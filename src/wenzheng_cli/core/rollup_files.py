"""The files a roll-up reads, each looked at before anything is written: what it is, whose it is, and whether
this ledger may take it.

Refused, with one error and what to do: a file that is missing, a folder, no ledger, cut short; this ledger
itself (the same file on disk, by device and inode, or a copy of it: the same identity); a ledger of a newer
version; one holding this office's own cases (a roll-up that took this ledger in); one being written (locked, or
with a journal or ``-wal`` not yet written back); an office code that this ledger, or another file of the same
run, knows under another identity. A ledger of an older version is read through the migrations on a temporary
copy beside this ledger (named as ``files.sweep_stale`` clears it if the run is killed), removed afterwards;
unless it was rolled up before and is unchanged: then it is only asked whose it is, which it says as it is.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import tempfile
import time
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from wenzheng_cli.config import DEFAULTS
from wenzheng_cli.core.session import Session
from wenzheng_cli.errors import WenzhengError, command, option, phrase, pieces
from wenzheng_cli.files import TEMP_PREFIX, ledger_files
from wenzheng_cli.store import rollup as rolls
from wenzheng_cli.store import schema
from wenzheng_cli.store.rollup import Claim

_MAGIC = b"SQLite format 3\x00"
# From this version on a ledger says whose it is (its identity, settings and the offices it rolled up) as this
# program reads it: a file rolled up before, unchanged, is only asked that, so it need not be migrated first.
_SAYS_WHOSE = schema.version_after("m013_ledger_identity")
RACY_NS = 2_000_000_000  # a file changed less than this before it was hashed is hashed again next time
_BACKUP_HINT = phrase("请该社区用 ", command("backup", "社区备份.db"), " 复制一份台账，再汇总那份副本")
_AGAIN_HINT = phrase("请该社区重新用 ", command("backup", "社区备份.db"), " 复制一份台账，再汇总那份副本")


@dataclass(frozen=True)
class Source:
    """A file to roll up, looked at: where to read it, and whose cases it holds."""

    shown: str  # the file as typed
    read_path: Path  # the file itself, or its migrated copy
    immutable: bool
    digest: str
    where: str  # the file's resolved path …
    stat: tuple[int, ...]  # … its device, inode, size, modification and status-change times …
    hashed_ns: int | None  # … and when its digest was worked out, if it was this time (else it was known)
    ledger_id: str
    office: str
    claims: tuple[Claim, ...]  # its own office first, then the offices it rolled up itself
    skipped: bool  # rolled up before, unchanged

    @property
    def offices(self) -> list[str]:
        return [claim.office for claim in self.claims]


def inspect_all(session: Session, files: Sequence[str], temps: ExitStack) -> list[Source]:
    """Every file looked at, in order (each file once); the first that may not be rolled up refuses all."""
    if not files:
        raise WenzhengError(
            "没有写要汇总的台账文件", hint=phrase("例如 ", command("rollup", "杨柳-20261123.db", "清河.db"))
        )
    found: list[Source] = []
    digests: set[str] = set()
    known = {row["office"]: row["ledger_id"] for row in rolls.sources(session.ledger.conn)}
    for text in files:
        source = _inspect(session, text, temps)
        if source.digest in digests:
            continue
        digests.add(source.digest)
        for claim in source.claims:
            earlier = known.get(claim.office)
            if earlier is not None and earlier != claim.ledger_id:
                raise WenzhengError(
                    f"{text} 中的 {claim.office}（{claim.name or claim.office}）与已汇总的 {claim.office}"
                    f" 不是同一个台账（标识 {claim.ledger_id} 与 {earlier}）；未汇总任何文件",
                    hint="两个台账用了同一个社区代码，或该社区另建过台账：请确认文件来自哪个社区，"
                    "同一代码的两个台账不能汇总在一起",
                )
            known[claim.office] = claim.ledger_id
        found.append(source)
    return found


def _inspect(session: Session, text: str, temps: ExitStack) -> Source:
    if not text.strip():
        raise WenzhengError("要汇总的文件名为空", hint=phrase("例如 ", command("rollup", "杨柳-20261123.db")))
    path = Path(text).expanduser()
    started = time.time_ns()  # before the stat: a change after it shows in the file's times
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise WenzhengError(f"找不到文件 {text}", hint="检查文件名和所在目录；未汇总任何文件") from None
    except OSError as exc:
        raise WenzhengError(f"无法读取 {text}（{exc.strerror}）", hint="检查文件的读权限") from None
    if path.is_dir():
        raise WenzhengError(f"{text} 是目录", hint="写出社区台账备份文件的路径，如 杨柳-20261123.db")
    street = session.ledger.path
    for _, part in ledger_files(street):
        try:
            theirs = os.stat(part)
        except OSError:
            continue
        if (theirs.st_dev, theirs.st_ino) == (info.st_dev, info.st_ino):
            raise WenzhengError(
                f"{text} 就是当前台账本身，不能汇总进自己",
                hint=phrase("写各社区报来的台账备份；当前台账由 ", option("db"), " 指定"),
            )
    immutable = _readable_alone(path, text, info.st_size)
    conn = session.ledger.conn
    where = str(path.resolve())
    stat = (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)
    digest, hashed_ns = _digest_of(conn, where, stat, path, started)
    skipped = rolls.seen(conn, digest)
    read_path = path
    try:
        with rolls.waiting_briefly(conn):
            version = _version(conn, path, text, immutable)
            if version > schema.latest():
                raise WenzhengError(
                    f"{text} 由更新版本的问政台账程序建立（结构版本 {version}），本台账无法读取",
                    hint="请先升级本机的 wenzheng（问政），再汇总",
                )
            if version < schema.latest() and not (skipped and version >= _SAYS_WHOSE):
                read_path = _migrated(session, path, immutable, temps)
                immutable = False
            rolls.attach(conn, read_path, immutable=immutable)
            try:
                ledger_id = rolls.identity(conn, rolls.SRC)
                code = rolls.setting(conn, "office.code", rolls.SRC) or DEFAULTS["office.code"]
                name = rolls.setting(conn, "office.name", rolls.SRC) or None
                inner = rolls.claims(conn)
                in_cases = rolls.case_offices(conn)
            finally:
                rolls.detach(conn)
    except sqlite3.DatabaseError as exc:
        raise _unreadable(text, exc) from None
    own = Claim(str(code), str(name) if name else None, ledger_id)
    claims = [own, *(c for c in inner if c.office != own.office)]
    claimed = {c.office for c in claims}
    claims += [Claim(office, None, ledger_id) for office in in_cases if office not in claimed]
    _not_our_own(session, text, ledger_id, claims)
    return Source(
        shown=text,
        read_path=read_path,
        immutable=immutable,
        digest=digest,
        where=where,
        stat=stat,
        hashed_ns=hashed_ns,
        ledger_id=ledger_id,
        office=own.office,
        claims=tuple(claims),
        skipped=skipped,
    )


def _readable_alone(path: Path, text: str, size: int) -> bool:
    """Refuse what is no SQLite file, is cut short, or is being written; whether to read it as immutable (a
    WAL-mode file with no ``-wal`` beside it, which SQLite could not read otherwise without writing a ``-shm``)."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(100)
    except OSError as exc:
        raise WenzhengError(f"无法读取 {text}（{exc.strerror}）", hint="检查文件的读权限") from None
    if len(head) < 100 or not head.startswith(_MAGIC):
        raise _not_ledger(text)
    page = int.from_bytes(head[16:18], "big")
    page = 65536 if page == 1 else page
    pages = int.from_bytes(head[28:32], "big")
    valid = head[92:96] == head[24:28] and pages > 0
    if page < 512 or size % page or (valid and size < pages * page):
        raise WenzhengError(
            f"{text} 不完整（文件被截断或没有复制完），未汇总任何文件",
            hint=_AGAIN_HINT,
        )
    for suffix, what in (
        ("-journal", "正在被写入（旁边有未完成的 -journal 文件）"),
        ("-wal", "正在使用中（旁边有 -wal 文件）"),
    ):
        beside = Path(f"{path}{suffix}")
        if beside.exists() and beside.stat().st_size > 0:
            raise WenzhengError(f"{text} {what}，未汇总任何文件", hint=_BACKUP_HINT)
    return head[18] == 2


def _digest_of(
    conn: sqlite3.Connection, where: str, stat: tuple[int, ...], path: Path, started: int
) -> tuple[str, int | None]:
    """The file's digest, and when it was worked out (None: known from an earlier roll-up, not read now).

    As git's index does: a file whose device, inode, size and times are those it had when it was hashed has
    that digest still, unless it was changed in the moments before it was hashed (``RACY_NS``), when a change
    within the same tick of the file system's clock could leave its times as they were. The status-change time
    cannot be set back by any tool (``touch`` sets only the others), so a file edited and given its old times
    is read again."""
    known = rolls.hashed(conn, where)
    if known is not None:
        was, digest, hashed_ns = known
        if was == stat and max(stat[3], stat[4]) < hashed_ns - RACY_NS:
            return digest, None
    return _digest(path), started


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _version(conn: sqlite3.Connection, path: Path, text: str, immutable: bool) -> int:
    rolls.attach(conn, path, immutable=immutable)
    try:
        if not rolls.is_ledger(conn):
            raise _not_ledger(text)
        return rolls.version(conn)
    finally:
        rolls.detach(conn)


def _migrated(session: Session, path: Path, immutable: bool, temps: ExitStack) -> Path:
    folder = session.ledger.path.parent
    fd, name = tempfile.mkstemp(
        prefix=f"{TEMP_PREFIX}{os.getpid()}-", suffix=f"-{path.name[:60]}.tmp", dir=folder
    )
    os.close(fd)
    temp = Path(name)
    for suffix in ("", "-journal"):
        temps.callback(Path(f"{temp}{suffix}").unlink, missing_ok=True)
    rolls.migrated_copy(path, temp, immutable=immutable)
    return temp


def _not_our_own(session: Session, text: str, ledger_id: str, claims: list[Claim]) -> None:
    own_office = session.settings.office
    own_id = rolls.identity(session.ledger.conn)
    if ledger_id == own_id:
        raise WenzhengError(
            f"{text} 是本台账的副本，不能汇总进本台账", hint="写各社区报来的台账备份；未汇总任何文件"
        )
    for claim in claims:
        if claim.office == own_office or claim.ledger_id == own_id:
            raise WenzhengError(
                f"{text} 中含有本台账（{own_office}）自己的案件，不能汇总进本台账",
                hint="它是汇总过本台账的上级台账，或与本台账用了同一个社区代码；只汇总下级社区的台账",
            )


def _not_ledger(text: str) -> WenzhengError:
    return WenzhengError(
        f"{text} 不是问政台账文件，未汇总任何文件",
        hint=phrase("写各社区用 ", command("backup", "社区备份.db"), " 复制的台账文件"),
    )


def _unreadable(text: str, exc: sqlite3.DatabaseError) -> WenzhengError:
    words = str(exc).lower()
    if "locked" in words or "busy" in words:
        return WenzhengError(
            f"{text} 正被其他程序占用（已锁定），未汇总任何文件",
            hint=phrase("稍后再试；或", *pieces(_BACKUP_HINT)),
        )
    if "not a database" in words or "encrypted" in words:
        return _not_ledger(text)
    return WenzhengError(
        f"{text} 已损坏，无法读取（{exc}），未汇总任何文件",
        hint=_AGAIN_HINT,
    )
