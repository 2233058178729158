"""A ledger where it cannot be kept safe, or that is not a ledger (issue 16, items 17, 18, 19, 21): each says
its real cause, with a fix that cannot make things worse, and changes nothing."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.support.cli import Wz
from tests.support.disks import fill, read_only, small_disk, writable
from wenzheng_cli.cli.paths import app_dir
from wenzheng_cli.render.phrases import say, say_hint
from wenzheng_cli.store import location

NEVER = "最近的备份恢复"  # the advice that would overwrite a healthy ledger with an old one


def test_a_ledger_on_a_read_only_disk_is_read_but_not_written(wz: Wz, tmp_path: Path) -> None:
    with small_disk(tmp_path / "usb", 2048) as disk:
        db = str(disk / "杨柳.db")
        wz("init", "--office", "YL", "--db", db)
        wz("intake", "路灯不亮", "--db", db)
        read_only(disk)
        refused = wz.fail("intake", "井盖缺失", "--db", db).stderr.splitlines()
        assert refused == [
            f"错误: 台账所在的磁盘只读，无法写入（{disk}）",
            "提示: 把台账复制到可写的本地磁盘，再用 --db 指向它；台账本身没有损坏，不要用备份覆盖它",
        ]
        assert [c["number"] for c in wz.json("list", "--db", db)] == ["YL-2026-0001"]
        assert wz.json("check", "--db", db)["ok"] is True
        writable(disk)
        assert len(wz.json("list", "--db", db)) == 1


def test_a_ledger_on_a_full_disk_says_the_disk_is_full(wz: Wz, tmp_path: Path) -> None:
    with small_disk(tmp_path / "disk", 1024) as disk:
        db = str(disk / "杨柳.db")
        wz("init", "--db", db)
        wz("intake", "路灯不亮", "--db", db)
        fill(disk)
        for args in (["intake", "井盖缺失"], ["assign", "1", "--to", "王芳"]):
            lines = wz.fail(*args, "--db", db).stderr.splitlines()
            assert lines == [
                f"错误: 磁盘已满，本次操作未写入（{disk}）",
                "提示: 清理该磁盘的空间后重试；台账本身没有损坏，不要用备份覆盖它",
            ]
        (disk / "filler").unlink()
        assert wz.json("check", "--db", db)["ok"] is True
        assert [c["status"] for c in wz.json("list", "--db", db)] == ["registered"]


def test_another_programs_database_is_left_as_it_was(wz: Wz, tmp_path: Path) -> None:
    other = tmp_path / "通讯录.sqlite"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE contacts (name TEXT, phone TEXT)")
    conn.execute("INSERT INTO contacts VALUES ('李桂兰', '13912340001')")
    conn.commit()
    conn.close()
    before = other.read_bytes()
    for args in (["init", "--office", "YL"], ["intake", "路灯不亮"], ["list"], ["check"]):
        refused = wz.fail(*args, "--db", str(other)).stderr
        assert f"错误: {other} 是其他程序的数据库，不是台账" in refused and NEVER not in refused
    assert other.read_bytes() == before
    assert not Path(f"{other}-wal").exists()


def test_a_file_that_is_not_a_database_is_not_called_damaged(wz: Wz, tmp_path: Path) -> None:
    notes = tmp_path / "notes.db"
    notes.write_text("周二走访记录\n" * 200, encoding="utf-8")
    refused = wz.fail("list", "--db", str(notes)).stderr.splitlines()
    assert refused == [
        f"错误: {notes} 不是台账文件",
        "提示: 检查 --db 或 WENZHENG_DB 指向的路径；该文件未作更改",
    ]


def mountinfo(tmp_path: Path, point: str, kind: str) -> Path:
    text = (
        "27 1 254:0 / / rw,relatime - ext4 /dev/vda rw\n"
        f"36 27 0:50 / {point} rw,relatime - {kind} server:/export rw,vers=4.2\n"
    )
    path = tmp_path / "mountinfo"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("kind", ["nfs4", "nfs", "cifs", "smb3", "9p", "fuse.sshfs", "ceph", "glusterfs"])
def test_a_ledger_on_a_network_share_is_refused(
    wz: Wz, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    share = tmp_path / "共享 盘"
    share.mkdir()
    point = str(share).replace(" ", "\\040")  # how mountinfo writes a space
    monkeypatch.setattr(location, "MOUNTINFO", mountinfo(tmp_path, point, kind))
    db = share / "杨柳.db"
    lines = wz.fail("init", "--office", "YL", "--db", str(db)).stderr.splitlines()
    assert lines == [
        f"错误: 台账 {db} 在网络共享盘上（{kind}），多台电脑同时使用会损坏台账",
        "提示: 把台账放在一台电脑的本地磁盘上，由这台电脑录入；其他人需要时用 wenzheng backup 复制一份给他们查看",
    ]
    assert not db.exists()
    # The same folder on a local disk is fine.
    monkeypatch.setattr(location, "MOUNTINFO", mountinfo(tmp_path, point, "ext4"))
    assert wz.json("init", "--office", "YL", "--db", str(db))["office"] == "YL"


def test_the_mount_holding_a_path_is_the_longest_prefix() -> None:
    table = (
        "1 0 0:1 / / rw - ext4 /dev/vda rw\n"
        "2 1 0:2 / /srv rw - nfs4 nas:/srv rw\n"
        "3 2 0:3 / /srv/local rw - xfs /dev/vdb rw\n"
        "4 1 0:4 / /mnt/a\\040b rw - cifs //pc/share rw\n"
        "garbage line\n"
    )
    assert location.mount_type(Path("/srv/wenzheng/l.db"), table) == "nfs4"
    assert location.mount_type(Path("/srv/local/l.db"), table) == "xfs"
    assert location.mount_type(Path("/srvx/l.db"), table) == "ext4"
    assert location.mount_type(Path("/mnt/a b/l.db"), table) == "cifs"
    assert location.is_network_type("nfs4") and not location.is_network_type("tmpfs")


@pytest.mark.parametrize(
    ("path", "remote"),
    [
        ("\\\\server\\share\\杨柳.db", "网络路径 \\\\server\\share"),
        ("//server/share/杨柳.db", "网络路径 \\\\server\\share"),
        ("\\\\?\\UNC\\server\\share\\杨柳.db", "网络路径 \\\\server\\share"),
        ("Z:\\台账\\杨柳.db", "网络驱动器 Z:"),
        ("\\\\?\\Z:\\杨柳.db", "网络驱动器 Z:"),
        ("C:\\Users\\clerk\\杨柳.db", None),
        ("\\\\?\\C:\\杨柳.db", None),
    ],
)
def test_unc_paths_and_mapped_drives_are_remote_on_windows(path: str, remote: str | None) -> None:
    drive_types = {"Z:\\": location.DRIVE_REMOTE, "C:\\": 3}  # 3: DRIVE_FIXED
    assert location.windows_remote(path, lambda root: drive_types.get(root, 0)) == remote


def test_the_default_ledger_is_in_the_local_not_the_roaming_app_dir(monkeypatch: pytest.MonkeyPatch) -> None:
    import typer

    asked: list[bool] = []

    def get_app_dir(name: str, roaming: bool = True, force_posix: bool = False) -> str:
        asked.append(roaming)
        return f"/home/clerk/{'Roaming' if roaming else 'Local'}/{name}"

    monkeypatch.delenv("WENZHENG_HOME", raising=False)
    monkeypatch.setattr(typer, "get_app_dir", get_app_dir)
    assert app_dir() == Path("/home/clerk/Local/wenzheng")
    assert asked == [False]


def test_check_names_text_that_is_not_utf8_instead_of_failing(wz: Wz, ledger_env: Path) -> None:
    wz("intake", "路灯不亮")
    wz("intake", "井盖缺失")
    conn = sqlite3.connect(ledger_env)
    conn.execute("DROP TRIGGER events_no_update")
    conn.execute(
        "UPDATE events SET payload = CAST(REPLACE(CAST(payload AS BLOB), CAST('路灯' AS BLOB), X'C2FF') AS TEXT)"
        " WHERE seq = 1"
    )
    conn.commit()
    conn.close()
    report = wz("check", "--json", code=1)
    import json

    problems = json.loads(report.stdout)["problems"]
    assert {
        "kind": "encoding",
        "number": "WZ-2026-0001",
        "message": "办理记录（第 1 行）中有不是 UTF-8 编码的文字",
    } in problems
    human = wz("check", code=1).stdout
    assert "WZ-2026-0001: 办理记录（第 1 行）中有不是 UTF-8 编码的文字" in human
    refused = wz.fail("show", "1").stderr.splitlines()
    assert refused == [
        "错误: 台账中有无法读取的文字（不是 UTF-8 编码）",
        "提示: 运行 wenzheng check 找出是哪件案件；其他案件照常办理",
    ]
    assert wz.json("show", "2")["description"] == "井盖缺失"


def sqlite_error(name: str, text: str) -> sqlite3.OperationalError:
    error = sqlite3.OperationalError(text)
    error.sqlite_errorname = name
    return error


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("SQLITE_FULL", "database or disk is full", "磁盘已满，本次操作未写入"),
        ("SQLITE_READONLY", "attempt to write a readonly database", "台账文件只读，无法写入"),
        ("SQLITE_BUSY", "database is locked", "台账正忙，未能写入"),
        ("SQLITE_NOTADB", "file is not a database", "不是台账文件"),
        ("SQLITE_IOERR_WRITE", "disk I/O error", "读写台账时磁盘出错"),
        ("SQLITE_CANTOPEN", "unable to open database file", "无法打开台账文件"),
        ("", "Could not decode to UTF-8 column 'payload'", "台账中有无法读取的文字"),
        ("SQLITE_CORRUPT", "database disk image is malformed", "台账文件已损坏"),
    ],
)
def test_each_ledger_failure_names_its_cause_and_a_safe_fix(
    tmp_path: Path, name: str, text: str, message: str
) -> None:
    from wenzheng_cli.store.failures import explain

    error = explain(sqlite_error(name, text), tmp_path / "杨柳.db")
    told, hint = say(error.message), say_hint(error.hint) or ""
    assert message in told
    if name != "SQLITE_CORRUPT":  # only a damaged file may lead to a restore, and only after keeping it
        assert "恢复" not in hint and "备份" not in told
    else:
        assert hint.startswith("先把该文件连同同名的 -wal、-shm 文件复制保存一份")


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("ENOSPC", "磁盘已满，无法写入"),
        ("EDQUOT", "磁盘配额已用完"),
        ("EROFS", "所在的磁盘只读"),
        ("EACCES", "没有权限写入"),
        ("EPERM", "没有权限写入"),
        ("ENAMETOOLONG", "文件名过长"),
    ],
)
def test_each_write_failure_names_its_cause(tmp_path: Path, code: str, message: str) -> None:
    import errno
    import os

    from wenzheng_cli.files import write_error

    number = getattr(errno, code)
    error = write_error(tmp_path / "周台账.xlsx", OSError(number, os.strerror(number)))
    assert message in error.message and error.hint and "备份" not in error.hint
