"""A backup or report killed outright (kill -9) leaves its temporary file; the next backup or report into that
folder, or ``check`` in the ledger's folder, removes it — and nothing else: not other programs' files, not the
temporary file of a run still writing."""

from __future__ import annotations

import fcntl
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.cli import Wz

LIVE_NAME = ".wenzheng-{pid}-abcd1234-周台账.xlsx.tmp"


def _dead_pid() -> int:
    """The id of a process that has exited."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait(timeout=60)
    return proc.pid


def _others(folder: Path) -> dict[str, Path]:
    """Files that are not this program's stale ones: another program's temporary files, a backup a clerk named
    like ours, and the temporary file of a run still writing (this process, holding its lock)."""
    made = {
        "other": folder / ".report.csv.x1y2.tmp",
        "named": folder / "wenzheng-tmp.db",
        "unfinished": folder / ".wenzheng-12-not-a-temp",
        "live": folder / LIVE_NAME.format(pid=os.getpid()),
    }
    for path in made.values():
        path.write_bytes(b"x")
    return made


def _stale(folder: Path, name: str = "r3.csv", age: float = 3600) -> list[Path]:
    """A temporary file and a journal beside it, as a killed writer leaves them, ``age`` seconds old."""
    temp = folder / f".wenzheng-{_dead_pid()}-q9w8e7r6-{name}.tmp"
    journal = Path(f"{temp}-journal")
    for path in (temp, journal):
        path.write_bytes(b"half")
        os.utime(path, (time.time() - age, time.time() - age))
    return [temp, journal]


@pytest.mark.slow
def test_the_next_backup_removes_what_a_killed_backup_left(wz: Wz, tmp_path: Path, ledger_env: Path) -> None:
    wz("intake", "路灯不亮")
    # 40 MB of free pages: a copy that takes a while, as a big ledger's does.
    conn = sqlite3.connect(ledger_env)
    conn.execute("CREATE TABLE pad(x)")
    conn.executemany("INSERT INTO pad VALUES (randomblob(4000))", [()] * 10_000)
    conn.commit()
    conn.execute("DROP TABLE pad")
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    folder = tmp_path / "backup"
    folder.mkdir()
    command = [sys.executable, "-m", "wenzheng_cli", "backup", f"{folder}/"]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    started = time.monotonic()
    left: list[Path] = []
    while not left and time.monotonic() - started < 60 and proc.poll() is None:
        left = [p for p in folder.iterdir() if p.name.startswith(f".wenzheng-{proc.pid}-")]
    assert left, "the backup ended before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    assert proc.wait(timeout=60) == -signal.SIGKILL
    left = sorted(folder.iterdir())
    assert left and all(p.name.startswith(f".wenzheng-{proc.pid}-") for p in left)
    assert not [p for p in left if p.name.endswith(".db")]  # a cron clean-up of *.db never sees them

    others = _others(folder)
    with open(others["live"], "rb") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    remaining = sorted(p.name for p in folder.iterdir())
    backups = [name for name in remaining if name.startswith("ledger-") and name.endswith(".db")]
    assert len(backups) == 1
    assert sorted([*backups, *(p.name for p in others.values())]) == remaining


def test_the_next_report_removes_a_killed_reports_temp_file(wz: Wz, tmp_path: Path) -> None:
    wz("intake", "路灯不亮")
    folder = tmp_path / "reports"
    folder.mkdir()
    stale = _stale(folder)
    others = _others(folder)
    wz("report", "weekly", "--output", str(folder / "r3.csv"))
    assert not any(p.exists() for p in stale)
    assert all(p.exists() for p in others.values())
    assert (folder / "r3.csv").exists()


def test_a_recent_temp_file_of_a_running_writer_stays(wz: Wz, tmp_path: Path) -> None:
    """The writer's id still running and the file newer than this run: it is being written, whoever holds it."""
    wz("intake", "路灯不亮")
    folder = tmp_path / "reports"
    folder.mkdir()
    writer = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        fresh = folder / f".wenzheng-{writer.pid}-zz11yy22-r3.csv.tmp"
        fresh.write_bytes(b"half")
        os.utime(fresh, (time.time() + 60, time.time() + 60))  # written after this run began
        wz("report", "weekly", "--output", str(folder / "r3.csv"))
        assert fresh.exists()
    finally:
        writer.kill()
        writer.wait(timeout=60)


def test_check_removes_them_beside_the_ledger(wz: Wz, ledger_env: Path) -> None:
    wz("intake", "路灯不亮")
    stale = _stale(ledger_env.parent, "ledger-20261123-100000.db")
    others = _others(ledger_env.parent)
    wz("check")
    assert not any(p.exists() for p in stale)
    assert all(p.exists() for p in others.values())
