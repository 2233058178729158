"""``wenzheng backup DEST``: where the copy goes, and refusing to clobber what is already there.

DEST is a file, or a folder: one that exists, or one written with a trailing slash (``/srv/backup/``), which is
created when missing. In a folder each backup gets a new name (the ledger's name, the date and time, and a
counter when that is taken), so a nightly cron line never stops on a clash.

``without_pii``: the copy a community sends its street, residents' personal data masked or dropped
(``domain.redact``), marked in its settings with the moment it was made; its folder name says so
(``yangliu-20261123-233000-without-pii.db``)."""

from __future__ import annotations

import errno
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from wenzheng_cli.core.session import Session
from wenzheng_cli.errors import WenzhengError, command, option, phrase
from wenzheng_cli.files import check_output, write_error
from wenzheng_cli.store.backup import backup_new, backup_to

BACKUP_EXAMPLE = "台账备份.db"  # offered when a refused DEST needs another name


@dataclass(frozen=True)
class BackupResult:
    path: str
    bytes: int
    without_pii: bool = False


def destination(dest_text: str, *, force: bool, ledger: Path | None = None) -> tuple[Path, bool]:
    """Where ``dest_text`` puts a backup, and whether it is a folder (made when missing); refused when it cannot
    take one. The client of ``wenzheng serve`` checks the same on its own PC, where the copy is written."""
    if not dest_text.strip():
        raise WenzhengError(
            "备份位置为空", hint=phrase("写出备份文件或目录，如 ", command("backup", "/srv/backup/"))
        )
    dest = Path(dest_text).expanduser()
    folder = dest_text.endswith(("/", os.sep)) or dest.is_dir()
    if folder:
        _make_folder(dest)
    elif not dest.parent.is_dir():
        raise WenzhengError(
            f"备份目录不存在: {dest.parent}", hint=f"先建立该目录；或写成目录形式 {dest}/，自动建立并命名"
        )
    elif check_output(dest, ledger=ledger, example=BACKUP_EXAMPLE).exists() and not force:
        raise WenzhengError(
            f"{dest} 已存在，未覆盖",
            hint=phrase("换一个文件名（如带上日期），或加 ", option("force"), " 覆盖"),
        )
    return dest, folder


def backup(session: Session, dest_text: str, *, force: bool, without_pii: bool = False) -> BackupResult:
    dest, folder = destination(dest_text, force=force, ledger=session.ledger.path)
    made = session.now.isoformat(timespec="seconds") if without_pii else None
    try:
        if folder:
            stamp = session.now.strftime("%Y%m%d-%H%M%S") + ("-without-pii" if without_pii else "")
            dest = backup_new(
                session.ledger.conn, _names(dest, session.ledger.path.stem, stamp), without_pii=made
            )
        else:
            backup_to(session.ledger.conn, dest, without_pii=made)
    except OSError as exc:
        raise write_error(dest, exc) from None
    except sqlite3.OperationalError as exc:
        if not str(getattr(exc, "sqlite_errorname", "")).startswith("SQLITE_FULL"):
            raise
        # The copy's disk is full, not the ledger's.
        raise write_error(dest, OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))) from None
    return BackupResult(path=str(dest), bytes=dest.stat().st_size, without_pii=without_pii)


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except FileExistsError:
        raise WenzhengError(
            f"{folder} 是文件，不是目录", hint="换一个目录，或去掉末尾的 / 写成文件名"
        ) from None
    except PermissionError:
        raise WenzhengError(f"无法建立备份目录 {folder}", hint="检查上级目录的写权限") from None


def _names(folder: Path, stem: str, stamp: str) -> Iterator[Path]:
    """yangliu-20261123-233000.db, then yangliu-20261123-233000-2.db, -3 …"""
    yield folder / f"{stem}-{stamp}.db"
    for counter in range(2, 1000):
        yield folder / f"{stem}-{stamp}-{counter}.db"
