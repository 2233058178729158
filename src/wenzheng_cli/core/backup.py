"""``wenzheng backup DEST``: where the copy goes, and refusing to clobber what is already there."""

from __future__ import annotations

import errno
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from wenzheng_cli.core.session import Session
from wenzheng_cli.errors import WenzhengError
from wenzheng_cli.files import check_output, write_error
from wenzheng_cli.store.backup import backup_to


@dataclass(frozen=True)
class BackupResult:
    path: str
    bytes: int


def backup(session: Session, dest_text: str, *, force: bool) -> BackupResult:
    if not dest_text.strip():
        raise WenzhengError("备份位置为空", hint="写出备份文件或目录，如 wenzheng backup /srv/backup/")
    dest = Path(dest_text).expanduser()
    if dest.is_dir():
        stamp = session.now.strftime("%Y%m%d-%H%M%S")
        dest = dest / f"{session.ledger.path.stem}-{stamp}.db"
    if not dest.parent.is_dir():
        raise WenzhengError(f"备份目录不存在: {dest.parent}", hint="先建立该目录，或换一个位置")
    check_output(dest, ledger=session.ledger.path)
    if dest.exists() and not force:
        raise WenzhengError(f"{dest} 已存在，未覆盖", hint="换一个文件名（如带上日期），或加 --force 覆盖")
    try:
        backup_to(session.ledger.conn, dest)
    except OSError as exc:
        raise write_error(dest, exc) from None
    except sqlite3.OperationalError as exc:
        if not str(getattr(exc, "sqlite_errorname", "")).startswith("SQLITE_FULL"):
            raise
        # The copy's disk is full, not the ledger's.
        raise write_error(dest, OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))) from None
    return BackupResult(path=str(dest), bytes=dest.stat().st_size)
