"""Writing a file all at once: the one atomic writer every output (reports, exports, rejects, backups) goes
through.

The content is written to a temporary 0600 file in the target's folder, flushed to disk, then renamed over the
target, so a reader — the street office's upload job, a clerk opening the file — never sees half a file, and a
crash or Ctrl-C leaves the old file (or none) in place.
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from wenzheng_cli.errors import WenzhengError


@contextmanager
def _temp_beside(target: Path) -> Iterator[Path]:
    """A temporary 0600 file in ``target``'s folder, removed at the end unless it was renamed away."""
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
    except OSError as exc:
        raise WenzhengError(f"无法写入 {target}: {exc.strerror}", hint="检查磁盘空间和目录权限") from None
    finally:
        temp.unlink(missing_ok=True)


def _sync(path: Path) -> None:
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


@contextmanager
def atomic_replace(path: str | Path) -> Iterator[Path]:
    """A temporary 0600 file beside ``path``; when the block ends without an error it is synced to disk and
    renamed over ``path``. On any error it is removed and ``path`` is left as it was."""
    target = Path(path).expanduser()
    with _temp_beside(target) as temp:
        yield temp
        _sync(temp)
        os.replace(temp, target)


class NewName:
    """What ``atomic_create`` yields: the temporary file to fill, then (after the block) the name it took."""

    def __init__(self, temp: Path) -> None:
        self.temp = temp
        self.path: Path | None = None


@contextmanager
def atomic_create(names: Iterable[Path]) -> Iterator[NewName]:
    """Like ``atomic_replace``, but the file takes the first of ``names`` (all in one folder) that does not
    exist, and never replaces one: the name is taken with a hard link, which fails rather than overwrite a file
    another process made meanwhile (so two backups into one folder in the same second both land)."""
    candidates = iter(names)
    first = next(candidates)
    with _temp_beside(first) as temp:
        created = NewName(temp)
        yield created
        _sync(temp)
        for dest in (first, *candidates):
            try:
                os.link(temp, dest)
            except FileExistsError:
                continue
            except OSError as exc:
                if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EXDEV, errno.EMLINK):
                    raise
                if dest.exists():  # a file system without hard links: check, then rename
                    continue
                os.replace(temp, dest)
            created.path = dest
            return
        raise WenzhengError(f"{first.parent} 中同名的文件太多", hint="换一个目录，或清理旧文件")


def write_atomic(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` all at once (see ``atomic_replace``)."""
    target = Path(path).expanduser()
    with atomic_replace(target) as temp:
        temp.write_bytes(data)
    return target
