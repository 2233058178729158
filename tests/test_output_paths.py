"""Where outputs go (issue 16, items 1–6): never over the ledger, a file being read, or a device; the rejects
of an import are on disk before it commits; a full or read-only disk is named. The single refusals are lines of
bad_inputs.tsv; here is what needs a second process, a stream or a small disk."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import IO

from tests.support.cli import Wz
from tests.support.disks import fill, read_only, small_disk

BAD = "受理时间,诉求内容\n2026-11-17,路灯不亮\n2026-11-18,井盖缺失\n2026-13-45,坏日期\n"


def run(*args: str, stdout: int | IO[bytes] = subprocess.PIPE) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "wenzheng_cli", *args], stdout=stdout, stderr=subprocess.PIPE, timeout=60
    )


def count(db: Path) -> int:
    conn = sqlite3.connect(db)
    found = int(conn.execute("SELECT COUNT(*) FROM cases").fetchone()[0])
    conn.close()
    return found


def test_output_to_the_standard_output_writes_the_stream_itself(wz: Wz, tmp_path: Path) -> None:
    """``--output /dev/stdout`` (a pipe, or a file the shell redirected it to) gets the report; the name
    /dev/stdout is never replaced by a file of its own."""
    wz("intake", "路灯不亮", "--at", "2026-11-23 09:00")
    piped = run("report", "weekly", "--format", "csv", "--output", "/dev/stdout")
    assert piped.returncode == 0, piped.stderr.decode()
    assert (
        piped.stdout.startswith("\ufeff部分,编号".encode())
        and "本周新增,WZ-2026-0001".encode() in piped.stdout
    )
    redirected = tmp_path / "out.csv"
    with redirected.open("wb") as handle:
        done = run("report", "weekly", "--format", "csv", "--output", "/dev/stdout", stdout=handle)
    assert done.returncode == 0 and b"WZ-2026-0001" in redirected.read_bytes()
    assert os.path.islink("/dev/stdout")
    to_stderr = run("report", "weekly", "--format", "markdown", "--output", "/dev/stderr")
    assert to_stderr.returncode == 0 and "# WZ 周台账".encode() in to_stderr.stderr


def test_the_wal_of_a_ledger_in_use_is_never_an_output(wz: Wz, ledger_env: Path) -> None:
    """While another clerk has the ledger open, recent cases live in its -wal; writing a report over it would
    lose them while check still said 台账完好."""
    wz("intake", "路灯不亮")
    keeper = sqlite3.connect(ledger_env)
    keeper.execute("SELECT COUNT(*) FROM cases").fetchone()
    wz("intake", "井盖缺失")
    wal = Path(f"{ledger_env}-wal")
    assert wal.exists() and wal.stat().st_size > 0
    before = wal.read_bytes()
    refused = wz.fail("report", "weekly", "--format", "csv", "--output", str(wal))
    assert "是台账的 wal 文件（台账的一部分），不能写入" in refused.stderr
    assert wal.read_bytes() == before
    assert keeper.execute("SELECT COUNT(*) FROM cases").fetchone()[0] == 2
    keeper.close()
    assert wz.json("check")["ok"] is True and count(ledger_env) == 2


def test_rejects_on_a_full_disk_leave_the_ledger_unchanged(wz: Wz, tmp_path: Path, ledger_env: Path) -> None:
    wz("init", "--office", "YL")
    source = tmp_path / "v.csv"
    source.write_text(BAD, encoding="utf-8")
    with small_disk(tmp_path / "disk") as disk:
        fill(disk)
        refused = wz.fail("import", str(source), "--skip-invalid", "--rejects", str(disk / "未导入.csv"))
        assert refused.stderr.splitlines() == [
            f"错误: 磁盘已满，无法写入 {disk / '未导入.csv'}",
            "提示: 清理磁盘空间，或写到其他磁盘后重试",
        ]
        assert sorted(p.name for p in disk.iterdir()) == ["filler"]  # no half-written rejects left behind
    assert count(ledger_env) == 0  # the two good rows were not committed without their rejects


def test_outputs_on_a_read_only_or_full_disk_say_so(wz: Wz, tmp_path: Path) -> None:
    wz("intake", "路灯不亮")
    source = tmp_path / "v.csv"
    source.write_text(BAD, encoding="utf-8")
    with small_disk(tmp_path / "disk") as disk:
        fill(disk)
        for args in (
            ["report", "weekly", "--format", "xlsx", "--output", str(disk / "周台账.xlsx")],
            ["report", "monthly", "--output", str(disk / "通报.md")],
            ["backup", str(disk)],
        ):
            lines = wz.fail(*args).stderr.splitlines()
            assert lines[0].startswith("错误: 磁盘已满，无法写入 " + str(disk)), lines
        (disk / "filler").unlink()
        read_only(disk)
        for args in (
            ["import", str(source), "--skip-invalid", "--rejects", str(disk / "r.csv")],
            ["report", "weekly", "--format", "csv", "--output", str(disk / "w.csv")],
            ["backup", str(disk / "b.db")],
        ):
            lines = wz.fail(*args).stderr.splitlines()
            assert lines == [
                f"错误: {disk} 所在的磁盘只读，无法写入",
                "提示: 写到可写的位置，如本机的文档目录",
            ]
    assert len(wz.json("list")) == 1
