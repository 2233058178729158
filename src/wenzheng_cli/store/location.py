"""Where a ledger may live: on one computer's own disk, never on a network share.

SQLite keeps a ledger safe with file locks and, in WAL mode, with an index in shared memory (the ``-shm``
file). Over a network filesystem neither works reliably — SQLite's documentation says WAL "does not work over a
network filesystem" — which is how shared databases get corrupted. An office with several PCs would first try
exactly that (an SMB folder, a mapped drive, NFS), so a ledger there is refused with the way to share instead:
one PC keeps the ledger, the others get copies from ``wenzheng backup``.

Found from the mount's filesystem type on Linux (``/proc/self/mountinfo``), and from UNC paths and the drive
type on Windows. Where neither can be read, nothing is refused.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path, PureWindowsPath

from wenzheng_cli.errors import WenzhengError, command, phrase

MOUNTINFO = Path("/proc/self/mountinfo")
NETWORK_TYPES = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smb3",
        "smbfs",
        "9p",
        "afs",
        "ceph",
        "glusterfs",
        "lustre",
        "gpfs",
        "ncpfs",
        "coda",
        "davfs",
        "fuse.sshfs",
        "fuse.glusterfs",
        "fuse.ceph",
        "fuse.rclone",
        "fuse.s3fs",
        "fuse.davfs",
        "fuse.gvfsd-fuse",
        "fuse.smbnetfs",
        "fuse.juicefs",
    }
)
DRIVE_REMOTE = 4  # GetDriveTypeW


def check_local(path: Path) -> None:
    """Refuse a ledger path on a network filesystem, saying why and how an office shares a ledger instead."""
    where = network_filesystem(path)
    if where is None:
        return
    raise WenzhengError(
        f"台账 {path} 在网络共享盘上（{where}），多台电脑同时使用会损坏台账",
        hint=phrase(
            "把台账放在一台电脑的本地磁盘上，由这台电脑录入；其他人需要时用 ",
            command("backup"),
            " 复制一份给他们查看",
        ),
    )


def network_filesystem(path: Path) -> str | None:
    """What makes ``path`` remote (a filesystem type, a UNC path, a network drive), or None when it is local."""
    if os.name == "nt":  # pragma: no cover - exercised on Windows only
        return windows_remote(os.path.abspath(path), _drive_type)
    try:
        text = MOUNTINFO.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    kind = mount_type(_existing(path), text)
    return kind if kind is not None and is_network_type(kind) else None


def is_network_type(kind: str) -> bool:
    return kind in NETWORK_TYPES or kind.startswith(("nfs", "fuse.sshfs"))


def mount_type(path: Path, mountinfo: str) -> str | None:
    """The filesystem type of the mount holding ``path`` (an absolute, resolved path), from the text of
    ``/proc/self/mountinfo``: the mount whose point is the longest prefix of the path."""
    best, kind = -1, None
    target = str(path)
    for line in mountinfo.splitlines():
        left, sep, right = line.partition(" - ")
        fields = left.split()
        if not sep or len(fields) < 5 or not right.split():
            continue
        point = _unescape(fields[4])
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= best:  # a later mount over the same point hides the earlier one
            best, kind = len(point), right.split()[0]
    return kind


def windows_remote(path: str, drive_type: Callable[[str], int]) -> str | None:
    """A UNC path (``\\\\server\\share\\…``, also ``//server/share/…``) or a drive whose type is remote (a
    mapped drive). ``path`` is absolute; ``drive_type`` is GetDriveTypeW, asked for a root such as ``Z:\\``."""
    drive = PureWindowsPath(path).drive
    upper = drive.upper()
    if upper.startswith(("\\\\?\\UNC\\", "\\\\.\\UNC\\")):
        return "网络路径 \\\\" + drive[8:]
    if upper.startswith(("\\\\?\\", "\\\\.\\")):
        drive = drive[4:]  # \\?\C: is a local drive written the long way
    elif drive.startswith("\\\\"):
        return "网络路径 " + drive
    if len(drive) == 2 and drive[1] == ":" and drive_type(drive + "\\") == DRIVE_REMOTE:
        return f"网络驱动器 {drive}"
    return None


def _drive_type(root: str) -> int:  # pragma: no cover - Windows only
    # the binding to native libraries: of use on Windows alone
    import ctypes

    windll = getattr(ctypes, "windll", None)
    if windll is None:
        return 0
    return int(windll.kernel32.GetDriveTypeW(root))


def _existing(path: Path) -> Path:
    """The path resolved through links, up to its nearest folder that exists (the ledger may not yet)."""
    current = Path(os.path.abspath(path))
    while not current.exists() and current.parent != current:
        current = current.parent
    try:
        return current.resolve()
    except OSError:
        return current


def _unescape(text: str) -> str:
    """Mount points escape space, tab, newline and backslash as octal (``\\040``)."""
    if "\\" not in text:
        return text
    out, i = [], 0
    while i < len(text):
        if text[i] == "\\" and text[i + 1 : i + 4].isdigit():
            out.append(chr(int(text[i + 1 : i + 4], 8)))
            i += 4
        else:
            out.append(text[i])
            i += 1
    return "".join(out)
