"""Online backup: consistent while clerks keep writing; the copy is a ledger that passes check; 0600."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.cli import Wz

pytestmark = pytest.mark.contract

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


def test_backup_to_a_new_folder_every_night(wz: Wz, tmp_path: Path) -> None:
    """The README's cron line: ``backup /srv/backup/wenzheng/`` — the folder is made, and no night clashes."""
    wz("intake", "路灯不亮")
    folder = tmp_path / "srv" / "backup" / "wenzheng"
    first = Path(wz.json("backup", f"{folder}/")["path"])
    assert first == folder / "ledger-20261123-100000.db"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    # Again in the same second (the clock is pinned), with and without the slash: new names, nothing replaced.
    second = Path(wz.json("backup", f"{folder}/")["path"])
    third = Path(wz.json("backup", str(folder))["path"])
    assert (second.name, third.name) == ("ledger-20261123-100000-2.db", "ledger-20261123-100000-3.db")
    assert set(folder.iterdir()) == {first, second, third}  # no temp file left behind
    for made in (first, second, third):
        assert stat.S_IMODE(made.stat().st_mode) == 0o600
        assert wz.json("show", "1", "--db", str(made))["description"] == "路灯不亮"
    result = wz("backup", f"{folder}/")
    assert result.stdout.startswith(f"已备份到 {folder}/ledger-20261123-100000-4.db")


def test_backup_folder_refusals(wz: Wz, tmp_path: Path) -> None:
    wz("intake", "路灯不亮")
    a_file = tmp_path / "bk"
    a_file.write_text("not a folder")
    refused = wz.fail("backup", f"{a_file}/")
    assert refused.stderr == f"错误: {a_file} 是文件，不是目录\n提示: 换一个目录，或去掉末尾的 / 写成文件名\n"
    refused = wz.fail("backup", str(tmp_path / "missing" / "bk.db"))
    assert refused.stderr.startswith(f"错误: 备份目录不存在: {tmp_path / 'missing'}\n")
    assert f"{tmp_path / 'missing' / 'bk.db'}/" in refused.stderr
    assert not (tmp_path / "missing").exists()


def test_backups_at_the_same_moment_never_clash(wz: Wz, tmp_path: Path) -> None:
    """Several backups into one folder at once, all in the same second: each lands under its own name."""
    wz("intake", "路灯不亮")
    folder = tmp_path / "bk"
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "wenzheng_cli", "backup", f"{folder}/", "--json"],
            env=dict(os.environ),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    paths = []
    for run in runs:
        out, err = run.communicate(timeout=60)
        assert run.returncode == 0, err
        paths.append(json.loads(out)["path"])
    assert len(set(paths)) == 4
    assert sorted(p.name for p in folder.iterdir()) == sorted(Path(p).name for p in paths)


@pytest.mark.local  # patches the copy inside this process
def test_a_backup_finished_meanwhile_keeps_its_file(
    wz: Wz, tmp_path: Path, ledger_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another backup takes the name while this one is copying: this one moves on to the next name."""
    from wenzheng_cli.store import backup as store_backup

    wz("intake", "路灯不亮")
    folder = tmp_path / "bk"
    taken = folder / "ledger-20261123-100000.db"
    copy = store_backup._copy

    def copy_while_another_finishes(conn: sqlite3.Connection, temp: Path) -> None:
        copy(conn, temp)
        taken.write_bytes(b"the other backup")

    monkeypatch.setattr(store_backup, "_copy", copy_while_another_finishes)
    made = Path(wz.json("backup", f"{folder}/")["path"])
    assert made.name == "ledger-20261123-100000-2.db"
    assert taken.read_bytes() == b"the other backup"
    assert sorted(p.name for p in folder.iterdir()) == [made.name, taken.name]
