"""Writing a file all at once: the one atomic writer every output (reports, exports, rejects, backups) goes
through.

The content is written to a temporary 0600 file in the target's folder, flushed to disk, then renamed over the
target, so a reader — the street office's upload job, a clerk opening the file — never sees half a file, and a
crash or Ctrl-C leaves the old file (or none) in place.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from wenzheng_cli.errors import WenzhengError


@contextmanager
def atomic_replace(path: str | Path) -> Iterator[Path]:
    """A temporary 0600 file beside ``path``; when the block ends without an error it is synced to disk and
    renamed over ``path``. On any error it is removed and ``path`` is left as it was."""
    target = Path(path).expanduser()
    if target.is_dir():
        raise WenzhengError(f"{target} 是目录", hint="写一个文件路径，如 reports/2026-10.xlsx")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise WenzhengError(f"目录不存在: {folder}", hint="先建立该目录，或换一个输出位置")
    try:
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise WenzhengError(f"无法在 {folder} 写入文件: {exc.strerror}", hint="检查目录的写权限") from None
    os.close(fd)
    temp = Path(name)
    try:
        os.chmod(temp, 0o600)
        yield temp
        with open(temp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(temp, target)
    except OSError as exc:
        raise WenzhengError(f"无法写入 {target}: {exc.strerror}", hint="检查磁盘空间和目录权限") from None
    finally:
        temp.unlink(missing_ok=True)


def write_atomic(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` all at once (see ``atomic_replace``)."""
    target = Path(path).expanduser()
    with atomic_replace(target) as temp:
        temp.write_bytes(data)
    return target
