"""Online backup: consistent while clerks keep writing; the copy is a ledger that passes check; 0600."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import Wz

WRITER = """
import sys
from typer.testing import CliRunner
from wenzheng_cli.cli.app import app
runner = CliRunner()
for i in range(int(sys.argv[1])):
    r = runner.invoke(app, ["intake", f"备份期间录入 {i}", "--category", "环境卫生"])
    if r.exit_code:
        sys.stderr.write(r.stderr); sys.exit(1)
    r = runner.invoke(app, ["assign", str(i + 1), "--to", "王芳"])
    if r.exit_code:
        sys.stderr.write(r.stderr); sys.exit(1)
"""


@pytest.mark.slow
def test_backup_while_another_clerk_writes(wz: Wz, tmp_path: Path, ledger_env: Path) -> None:
    wz("init", "--office", "YL")
    # Another clerk with the ledger open keeps recent writes in the WAL instead of the main file, as in an
    # office where several people work at once: a plain file copy would miss them.
    keeper = sqlite3.connect(ledger_env)
    keeper.execute("SELECT COUNT(*) FROM cases").fetchone()
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, "150"], env=dict(os.environ), stderr=subprocess.PIPE, text=True
    )
    copies: list[tuple[Path, int]] = []
    deadline = time.monotonic() + 60
    while writer.poll() is None and time.monotonic() < deadline:
        dest = tmp_path / f"copy{len(copies)}.db"
        already = len(wz.json("list"))  # committed before the backup started: the copy must hold them
        info = wz.json("backup", str(dest))
        copies.append((Path(info["path"]), already))
        time.sleep(0.05)
    assert writer.wait(timeout=120) == 0, writer.stderr.read() if writer.stderr else ""
    assert len(copies) >= 2
    for copy, already in copies:
        assert stat.S_IMODE(copy.stat().st_mode) == 0o600
        report = wz.json("check", "--db", str(copy))
        assert report["ok"] is True, report
        # Each copy is one moment: every case in it has both its intake and (but the newest) its assignment.
        cases = wz.json("list", "--db", str(copy))
        assert len(cases) >= already
        assert report["events"] in (2 * len(cases), 2 * len(cases) - 1)
    keeper.close()
    final = tmp_path / "final.db"
    wz("backup", str(final))
    assert len(wz.json("list", "--db", str(final))) == 150


def test_backup_into_a_folder_and_refusals(wz: Wz, tmp_path: Path) -> None:
    wz("intake", "路灯不亮")
    folder = tmp_path / "backups"
    folder.mkdir()
    made = Path(wz.json("backup", str(folder))["path"])
    assert made.parent == folder and made.name == "ledger-20261123-100000.db"
    assert "已存在" in wz.fail("backup", str(made)).stderr
    wz("backup", str(made), "--force")
    assert wz.json("show", "1", "--db", str(made))["description"] == "路灯不亮"
    assert list(folder.iterdir()) == [made]  # no temp file left behind
