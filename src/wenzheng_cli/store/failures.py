"""What a failure of the ledger file means, said so that the fix a clerk follows cannot make things worse.

SQLite says ``unable to open database file`` or ``attempt to write a readonly database``; the clerk needs to
know whether the disk is read-only or full, the file locked by someone else, not a ledger at all, from a newer
wenzheng, or really damaged — and never to be told to restore an old backup over a healthy ledger that only sits
on a full or read-only disk.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from wenzheng_cli.errors import WenzhengError, command, option, phrase

INTACT = "台账本身没有损坏，不要用备份覆盖它"
FULL_BELOW = 256 * 1024  # bytes free under which a disk counts as full
CHECK = command("check")  # finds what is wrong, changing nothing


def explain(exc: sqlite3.Error, path: Path) -> WenzhengError:
    """The one translation of a SQLite error on the ledger ``path`` into a message and a safe hint."""
    name = str(getattr(exc, "sqlite_errorname", "") or "")
    text = str(exc)
    lowered = text.lower()
    if "could not decode to utf-8" in lowered:
        return WenzhengError(
            "台账中有无法读取的文字（不是 UTF-8 编码）",
            hint=phrase("运行 ", CHECK, " 找出是哪件案件；其他案件照常办理"),
        )
    if (
        name.startswith("SQLITE_FULL")
        or "disk is full" in lowered
        or (name.startswith("SQLITE_IOERR") and disk_full(path))
    ):
        return WenzhengError(
            f"磁盘已满，本次操作未写入（{path.parent}）", hint=f"清理该磁盘的空间后重试；{INTACT}"
        )
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in lowered or "busy" in lowered:
        return WenzhengError("台账正忙，未能写入", hint="其他人正在进行大批量操作，请稍后再试")
    if name.startswith("SQLITE_READONLY") or "readonly" in lowered or "read-only" in lowered:
        return read_only(path)
    if name.startswith("SQLITE_CANTOPEN") or "unable to open" in lowered:
        if read_only_disk(path) or not os.access(path.parent, os.W_OK):
            return read_only(path)
        return WenzhengError(f"无法打开台账文件 {path}", hint="检查文件和所在目录的权限；台账文件未作更改")
    if name.startswith("SQLITE_NOTADB") or "not a database" in lowered or "no such table" in lowered:
        return not_a_ledger(path)
    if name.startswith("SQLITE_CORRUPT") or "malformed" in lowered:
        return WenzhengError(
            f"台账文件已损坏（{path}）",
            hint=phrase(
                "先把该文件连同同名的 -wal、-shm 文件复制保存一份，再运行 ",
                CHECK,
                "；确认损坏后按 README「备份与恢复」处理",
            ),
        )
    if name.startswith("SQLITE_IOERR") or "disk i/o error" in lowered:
        return WenzhengError(
            f"读写台账时磁盘出错（{path}）",
            hint=f"检查磁盘或U盘是否已拔出、连接是否正常，然后重试；{INTACT}",
        )
    return WenzhengError(
        f"台账读写失败（{name or type(exc).__name__}）", hint=phrase("运行 ", CHECK, " 检查台账")
    )


def read_only(path: Path) -> WenzhengError:
    if read_only_disk(path):
        return WenzhengError(
            f"台账所在的磁盘只读，无法写入（{path.parent}）",
            hint=phrase("把台账复制到可写的本地磁盘，再用 ", option("db"), f" 指向它；{INTACT}"),
        )
    return WenzhengError(f"台账文件只读，无法写入（{path}）", hint=f"检查该文件及其目录的写权限；{INTACT}")


def not_a_ledger(path: Path) -> WenzhengError:
    return WenzhengError(
        f"{path} 不是台账文件",
        hint=phrase("检查 ", option("db"), " 或 WENZHENG_DB 指向的路径；该文件未作更改"),
    )


def disk_full(path: Path) -> bool:
    """Is the disk holding ``path`` (all but) full: SQLite then often says only "disk I/O error"."""
    folder = path if path.is_dir() else path.parent
    try:
        info = os.statvfs(folder)
    except (OSError, AttributeError):
        return False
    return info.f_bavail * info.f_frsize < FULL_BELOW


def read_only_disk(path: Path) -> bool:
    """Is the filesystem holding ``path`` mounted read-only (a CD, a write-protected USB stick, ``mount -o ro``)."""
    flag = getattr(os, "ST_RDONLY", None)
    if flag is None:  # pragma: no cover - Windows
        return False
    folder = path if path.is_dir() else path.parent
    try:
        return bool(os.statvfs(folder).f_flag & flag)
    except OSError:
        return False
