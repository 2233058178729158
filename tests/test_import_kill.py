"""kill -9 in the middle of a 100k-row import leaves a sound ledger holding none or all of the rows."""

from __future__ import annotations

import csv
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.cli import Wz

pytestmark = pytest.mark.slow  # processes and signals; `pytest -m "not slow"` leaves these out

ROWS = 100_000


def _big_csv(path: Path) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["工单号", "受理时间", "联系电话", "住址", "诉求类别", "诉求内容", "答复意见", "答复时间"])
        for i in range(ROWS):
            day = 1 + i % 28
            reply = ("已处理完毕", f"2026/10/{day} 18:00:00") if i % 2 else ("", "")
            w.writerow([f"GD{i:06d}", f"2026/10/{day} 9:{i % 60:02d}:00", f"139{i:08d}", f"杨柳小区{i % 40}号楼",
                        "环境卫生", f"第{i}件：楼道堆放杂物影响通行", *reply])  # fmt: skip
    return path


def test_kill_during_import_leaves_none_or_all(wz: Wz, tmp_path: Path, ledger_env: Path) -> None:
    wz("init", "--office", "YL")
    source = _big_csv(tmp_path / "big.csv")
    env = {**os.environ, "WENZHENG_DB": str(ledger_env)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "wenzheng_cli", "import", str(source)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wal = Path(f"{ledger_env}-wal")
    started = time.monotonic()
    # Wait until the import is well into its transaction: pages spilling into the WAL, or a few seconds.
    while time.monotonic() - started < 4.0 and proc.poll() is None:
        if wal.exists() and wal.stat().st_size > 1_000_000:
            break
        time.sleep(0.05)
    assert proc.poll() is None, "the import ended before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    assert proc.wait(timeout=30) == -signal.SIGKILL

    conn = sqlite3.connect(ledger_env)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    cases = conn.execute("SELECT COUNT(*) FROM cases").fetchone()[0]
    events = conn.execute("SELECT COUNT(*) FROM events").fetchone()[0]
    conn.close()
    assert (cases, events) in ((0, 0), (ROWS, ROWS + ROWS // 2))
    assert len(wz.json("list", "--limit", "1")) == min(cases, 1)  # the ledger opens and answers
    # The same file imported again completes, and adds only what was not there.
    report = wz.json("import", str(source))
    assert report["imported"] + report["skipped_existing"] == ROWS
    conn = sqlite3.connect(ledger_env)
    assert conn.execute("SELECT COUNT(*) FROM cases").fetchone()[0] == ROWS
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    conn.close()
