"""Writing a file all at once, and the one guard every output path passes first.

``check_output`` refuses a path whose writing would destroy something or go nowhere: the ledger itself or its
``-wal``/``-shm``/``-journal``, a file the same command reads, a directory, anything that is not a regular file
(a device such as /dev/null or /dev/full, a FIFO, a socket) — except, where the command allows it, its own
standard output, which it then writes to directly. Reports (``--output``), rejects (``--rejects``) and backups
call it with the ledger and their inputs before any work starts; ``atomic_replace`` calls it again, alone, as
the last guard.

``atomic_replace`` writes to a temporary 0600 file in the target's folder, flushes it to disk, then renames it
over the target, so a reader — the street office's upload job, a clerk opening the file — never sees half a
file, and a crash or Ctrl-C leaves the old file (or none) in place. The temporary file's name says it is this
program's and which process writes it; one left by a killed run is removed by the next write into that folder
(``sweep_stale``), and by ``check`` in the ledger's folder.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from wenzheng_cli.errors import WenzhengError

if sys.platform != "win32":
    import fcntl

LEDGER_COMPANIONS = ("", "-wal", "-shm", "-journal")
WINDOWS_DEVICES = frozenset(
    ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"]
    + [f"{name}{n}" for name in ("COM", "LPT") for n in "123456789¹²³"]
)


def check_output(
    path: str | Path,
    *,
    ledger: Path | None = None,
    inputs: Sequence[Path] = (),
    stream_ok: bool = False,
    example: str | None = None,
) -> Path:
    """``path`` as a ``Path``, once nothing speaks against writing it (see the module's docstring).

    With ``stream_ok``, a path naming this process's standard output or error passes: the caller writes
    there directly (``standard_stream`` tells which). ``example`` is a file name that fits the command
    asking (``未导入.csv`` for rejects, a ``.db`` for a backup), offered in the hints of a refusal."""
    target = Path(path).expanduser()
    shown = str(path)
    if not shown.strip():
        raise WenzhengError("输出文件名为空", hint=f"写出文件名，如 {example or '周台账.xlsx'}")
    if "\x00" in shown:
        raise WenzhengError("输出文件名含有空字符（NUL）", hint="重新输入文件名")
    if os.name == "nt" and is_windows_device(target.name):
        raise _not_regular(shown, stream_ok)
    if standard_stream(target) is not None:
        if stream_ok:
            return target
        raise WenzhengError(f"{shown} 是本命令的标准输出，不能作为输出文件", hint=_regular_hint(example))
    try:
        info: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise write_error(target, exc) from None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise WenzhengError(f"{shown} 是目录", hint=f"写一个文件路径，如 {example or 'reports/2026-10.xlsx'}")
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise _not_regular(shown, stream_ok)
    if ledger is not None:
        for suffix, part in ledger_files(ledger):
            if _same(target, info, part):
                what = "台账文件本身" if not suffix else f"台账的 {suffix[1:]} 文件（台账的一部分）"
                raise WenzhengError(f"{shown} 是{what}，不能写入", hint="换一个文件名或目录；台账未作更改")
    for source in inputs:
        if _same(target, info, source):
            such = f"，如 {example}" if example else ""
            raise WenzhengError(
                f"{shown} 是本次读取的文件，不能同时写入", hint=f"换一个文件名{such}；该文件未作更改"
            )
    folder = target.parent
    if not folder.is_dir():
        raise WenzhengError(f"目录不存在: {folder}", hint="先建立该目录，或换一个输出位置")
    return target


def ledger_files(ledger: Path) -> list[tuple[str, Path]]:
    """(suffix, path) of the ledger and of its ``-wal``/``-shm``/``-journal``: named after the path as given
    and after the path with every link resolved — SQLite names the companions of a linked ledger after the
    file the link points to, so ``slink.db`` (a link to ``s.db``) keeps its WAL in ``s.db-wal``."""
    given = ledger.expanduser()
    try:
        real = Path(os.path.realpath(given))
    except (OSError, ValueError):
        real = given
    found: list[tuple[str, Path]] = []
    for suffix in LEDGER_COMPANIONS:
        for base in (given, real):
            part = Path(f"{base}{suffix}")
            if (suffix, part) not in found:
                found.append((suffix, part))
    return found


def _regular_hint(example: str | None) -> str:
    return "写一个普通文件的路径" + (f"，如 {example}" if example else "")


def _not_regular(shown: str, stream_ok: bool) -> WenzhengError:
    hint = "写一个普通文件的路径" + ("；要输出到屏幕或管道，不写 --output 即可" if stream_ok else "")
    return WenzhengError(f"{shown} 不是普通文件（设备、管道或套接字），不能写入", hint=hint)


def _same(target: Path, info: os.stat_result | None, other: Path) -> bool:
    """Is ``target`` the file ``other``: the same file on disk, or (when one does not exist yet) the same
    name once links and ``..`` are resolved (case-insensitively where the filesystem is)."""
    try:
        theirs = os.stat(other)
    except OSError:
        theirs = None
    if info is not None and theirs is not None:
        return (info.st_dev, info.st_ino) == (theirs.st_dev, theirs.st_ino)
    try:
        mine, yours = target.resolve(), other.expanduser().resolve()
    except (OSError, RuntimeError):
        return False
    return os.path.normcase(mine) == os.path.normcase(yours)


def standard_stream(path: Path) -> int | None:
    """1 or 2 when ``path`` names this process's standard output or error: ``/dev/stdout`` (even when
    redirected to a file), or the terminal, pipe or device it is connected to. Else None."""
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    if stat.S_ISREG(info.st_mode) and not str(path).startswith(_STREAM_NAMES):
        return None  # a regular file, by its own name: a file like any other
    for fd in (1, 2):
        try:
            mine = os.fstat(fd)
        except OSError:
            continue
        if (mine.st_dev, mine.st_ino) == (info.st_dev, info.st_ino):
            return fd
    return None


_STREAM_NAMES = ("/dev/stdout", "/dev/stderr", "/dev/fd/", "/proc/self/fd/")


def write_stream(fd: int, data: bytes) -> None:
    """Write ``data`` to standard output (1) or error (2) directly."""
    stream = sys.stdout if fd == 1 else sys.stderr
    stream.flush()
    stream.buffer.write(data)
    stream.buffer.flush()


def is_windows_device(name: str) -> bool:
    """``NUL``, ``con.txt``, ``COM1.csv``: names Windows takes for devices whatever the folder or extension."""
    stem = name.split(".", 1)[0].rstrip(" ").upper()
    return stem in WINDOWS_DEVICES


def write_error(path: Path, exc: OSError) -> WenzhengError:
    """The real cause of a failed write, in words a clerk can act on, with a fix that cannot make it worse."""
    code = exc.errno
    if code == errno.ENOSPC:
        return WenzhengError(f"磁盘已满，无法写入 {path}", hint="清理磁盘空间，或写到其他磁盘后重试")
    if code == getattr(errno, "EDQUOT", -1):
        return WenzhengError(f"磁盘配额已用完，无法写入 {path}", hint="清理自己的文件，或写到其他磁盘后重试")
    if code == errno.EROFS:
        return WenzhengError(
            f"{path.parent} 所在的磁盘只读，无法写入", hint="写到可写的位置，如本机的文档目录"
        )
    if code in (errno.EACCES, errno.EPERM):
        return WenzhengError(f"没有权限写入 {path}", hint="检查该文件和目录的写权限，或写到自己的目录")
    if code == errno.ENAMETOOLONG:
        return WenzhengError("文件名过长，无法写入", hint="换一个短些的文件名")
    if code == errno.EFBIG:
        return WenzhengError(f"文件过大，无法写入 {path}", hint="检查磁盘格式或系统对文件大小的限制")
    return WenzhengError(
        f"无法写入 {path}（{exc.strerror or type(exc).__name__}）", hint="检查磁盘空间和目录权限"
    )


# Temporary files are named ``.wenzheng-<pid>-<random>-<target>.tmp``: a name no other program makes, the
# writing process's id, and (for whoever looks) the file it will become.
TEMP_PREFIX = ".wenzheng-"
# What SQLite keeps beside a temporary file it writes (a backup's copy) goes with that file.
_TEMP_NAME = re.compile(r"(\.wenzheng-(\d{1,10})-[a-z0-9_]+-.*\.tmp)(-journal|-wal|-shm)?", re.DOTALL)
_STARTED = time.time()  # this run's start, as far as files are concerned


@contextmanager
def _temp_beside(path: Path) -> Iterator[Path]:
    """A temporary 0600 file in the folder of ``path`` (checked by ``check_output``), removed at the end unless
    it was renamed away. It is locked while it is written, and the stale ones in that folder (``sweep_stale``)
    are removed first."""
    checked = check_output(path)
    # Through a link, the file it points at is replaced (not the link).
    target = checked.resolve() if checked.is_symlink() else checked
    folder = target.parent
    sweep_stale(folder)
    try:
        fd, name = tempfile.mkstemp(
            prefix=f"{TEMP_PREFIX}{os.getpid()}-", suffix=f"-{target.name[:60]}.tmp", dir=folder
        )
    except OSError as exc:
        raise write_error(target, exc) from None
    temp = Path(name)
    held = _hold(fd)
    try:
        os.chmod(temp, 0o600)
        yield temp
    except OSError as exc:
        raise write_error(target, exc) from None
    finally:
        temp.unlink(missing_ok=True)
        if held is not None:
            os.close(held)  # the lock goes with it


def sweep_stale(folder: Path) -> int:
    """Remove the temporary files in ``folder`` that a run of this program left when it was killed (kill -9, a
    power cut: nothing of it ran to clean up); how many. A temporary file is stale when nobody holds its lock
    and its writer is no longer running, or it is older than this run (the writer's id taken by another
    process since). Other files, and the temporary files of runs still writing, are left alone."""
    removed = 0
    companions: list[tuple[Path, Path]] = []
    try:
        entries = os.scandir(folder)
    except OSError:
        return 0
    with entries:
        for entry in entries:
            found = _TEMP_NAME.fullmatch(entry.name) if entry.name.startswith(TEMP_PREFIX) else None
            if found is None:
                continue
            if found[3]:
                companions.append((Path(entry.path), folder / found[1]))
            elif _remove_stale(Path(entry.path), int(found[2])):
                removed += 1
    for companion, main in companions:  # one outlives its file only when its writer was killed
        try:
            if not os.path.lexists(main) and stat.S_ISREG(os.lstat(companion).st_mode):
                companion.unlink()
                removed += 1
        except OSError:
            pass
    return removed


def _remove_stale(path: Path, pid: int) -> bool:
    if pid == os.getpid():
        return False
    try:
        info = os.lstat(path)
        if not stat.S_ISREG(info.st_mode):
            return False
        if sys.platform == "win32":  # a file still open for writing cannot be removed there
            if info.st_mtime < _STARTED:
                path.unlink()
                return True
            return False
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # held while it is removed: no writer can take it
        if _alive(pid) and info.st_mtime >= _STARTED:
            return False
        path.unlink()
        return True
    except OSError:  # locked: being written
        return False
    finally:
        os.close(fd)


def _hold(fd: int) -> int | None:
    """Lock a new temporary file while it is written (for ``sweep_stale`` in other runs): the descriptor that
    holds the lock, kept open until the end. On Windows, where an open file cannot be renamed, it is closed at
    once, and so is it where the file system has no locks."""
    if sys.platform != "win32":
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return fd
        except OSError:
            pass
    os.close(fd)
    return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process
        return True
    return True


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
