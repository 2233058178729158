"""A ledger reached through a link (issue 26, item 1): SQLite keeps the -wal, -shm and -journal of the file the
link points to, so an output named after that file is refused as well as one named after the link — while
another clerk holds the ledger open and recent cases live only in its -wal."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.cli import Wz
from wenzheng_cli.errors import WenzhengError
from wenzheng_cli.files import check_output

BAD = "受理时间,诉求内容\n2026-11-17,路灯不亮\n2026-13-45,坏日期\n"


@pytest.fixture
def linked(wz: Wz, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Path, Path]]:
    """(the ledger, a link to it that commands are given), the ledger holding two cases, the second only in
    its -wal because a reader keeps an older snapshot open (closed at the end, as a killed reader would
    leave the -wal in place)."""
    real = tmp_path / "s.db"
    link = tmp_path / "slink.db"
    monkeypatch.setenv("WENZHENG_DB", str(real))
    wz("init")
    wz("intake", "路灯不亮")
    link.symlink_to(real.name)
    reader = sqlite3.connect(real, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT COUNT(*) FROM cases").fetchone()
    wz("intake", "这件会丢失吗")
    assert Path(f"{real}-wal").stat().st_size > 0
    monkeypatch.setenv("WENZHENG_DB", str(link))
    yield real, link
    reader.close()


def _command(kind: str, target: Path, tmp_path: Path) -> list[str]:
    if kind == "report":
        return ["report", "weekly", "--format", "csv", "--output", str(target)]
    if kind == "backup":
        return ["backup", str(target), "--force"]
    source = tmp_path / "v.csv"
    source.write_text(BAD, encoding="utf-8")
    return ["import", str(source), "--skip-invalid", "--rejects", str(target)]


@pytest.mark.parametrize("kind", ["report", "backup", "rejects"])
def test_the_wal_of_a_linked_ledger_is_never_an_output(
    wz: Wz, tmp_path: Path, linked: tuple[Path, Path], kind: str
) -> None:
    real, _ = linked
    wal = Path(f"{real}-wal")
    before = wal.read_bytes()
    refused = wz.fail(*_command(kind, wal, tmp_path))
    assert refused.stderr.splitlines() == [
        f"错误: {wal} 是台账的 wal 文件（台账的一部分），不能写入",
        "提示: 换一个文件名或目录；台账未作更改",
    ]
    assert wal.read_bytes() == before


def test_nothing_is_lost_when_the_reader_goes(wz: Wz, tmp_path: Path, linked: tuple[Path, Path]) -> None:
    real, _ = linked
    for kind in ("report", "backup", "rejects"):
        wz.fail(*_command(kind, Path(f"{real}-wal"), tmp_path))
    wz.fail("report", "weekly", "--format", "csv", "--output", f"{real}-shm")
    numbers = [case["number"] for case in wz.json("list")]
    assert numbers == ["WZ-2026-0002", "WZ-2026-0001"]
    assert wz.json("check")["ok"] is True


def test_every_companion_by_either_name(tmp_path: Path) -> None:
    """The ledger and its companions, named after the link or after its target, existing or not yet."""
    folder = tmp_path / "real"
    folder.mkdir()
    real = folder / "s.db"
    real.write_bytes(b"")
    (tmp_path / "via").symlink_to(folder)
    link = tmp_path / "slink.db"
    link.symlink_to(tmp_path / "via" / "s.db")
    for ledger in (real, link, tmp_path / "via" / "s.db"):
        for name in ("s.db", "s.db-wal", "s.db-shm", "s.db-journal"):
            for where in (folder, tmp_path / "via"):
                with pytest.raises(WenzhengError):
                    check_output(where / name, ledger=ledger)
    for suffix in ("", "-wal", "-shm", "-journal"):
        with pytest.raises(WenzhengError):
            check_output(f"{link}{suffix}", ledger=link)  # as typed: what SQLite uses were it no link
    assert check_output(folder / "s.db-wal.csv", ledger=link) == folder / "s.db-wal.csv"
