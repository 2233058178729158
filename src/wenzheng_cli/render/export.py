"""What every exported file shares: formula-injection neutralising and writing atomically, owner-only.

A cell of text that begins with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return) would be run as a
formula by Excel; it is written with a leading ``'`` instead, so it shows as typed. Numbers stay numbers.
A file is written to a temporary file in the same directory and renamed over the target, so a reader (or the
street office's upload job) never sees half a report; it is created 0600.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from wenzheng_cli.errors import WenzhengError

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def neutralise(value: Any) -> Any:
    """Text that a spreadsheet would take for a formula gets a leading ``'``; anything else is unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_atomic(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` all at once (temp file in the same directory, then rename), mode 0600."""
    target = Path(path).expanduser()
    if target.is_dir():
        raise WenzhengError(f"{target} 是目录", hint="--output 写文件路径，如 reports/2026-10.xlsx")
    directory = target.parent
    if not directory.is_dir():
        raise WenzhengError(f"输出目录不存在: {directory}", hint="先建立该目录，或换一个 --output 路径")
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise WenzhengError(f"无法在 {directory} 写入文件: {exc.strerror}", hint="检查目录的写权限") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o600)
        os.replace(temp, target)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise WenzhengError(f"无法写入 {target}: {exc.strerror}", hint="检查磁盘空间和目录权限") from None
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return target
