"""Residents' names and phones are masked in every output unless --show-pii; files are the owner's only."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from tests.support.cli import Wz

NAME, PHONE = "欧阳娜娜", "13912345678"


@pytest.fixture
def case(wz: Wz) -> None:
    wz("intake", "楼道堆放杂物", "--resident", NAME, "--phone", PHONE, "--at", "2026-11-17 09:00")
    wz("assign", "1", "--to", "王芳", "--at", "2026-11-17 10:00")


@pytest.mark.parametrize(
    "args",
    [
        ["show", "1"],
        ["show", "1", "--json"],
        ["list"],
        ["list", "--json"],
        ["list", "--search", "杂物"],
        ["list", "--search", "5678", "--json"],
        ["intake", "又一件", "--resident", NAME, "--phone", PHONE],
        ["intake", "又一件", "--resident", NAME, "--phone", PHONE, "--json"],
        ["assign", "1", "--to", "李强", "--json"],
    ],
)
def test_masked_everywhere_by_default(wz: Wz, case: None, args: list[str]) -> None:
    result = wz(*args)
    text = result.stdout + result.stderr
    assert NAME not in text and PHONE not in text
    assert NAME[1:] not in text and PHONE[3:7] not in text  # no partial leaks either


def test_masking_shapes_and_show_pii(wz: Wz, case: None) -> None:
    data = wz.json("show", "1")
    assert (data["resident"], data["phone"]) == ("欧**", "139****5678")
    assert data["events"][0]["resident"] == "欧**" and data["events"][0]["phone"] == "139****5678"
    shown = wz.json("show", "1", "--show-pii")
    assert (shown["resident"], shown["phone"]) == (NAME, PHONE)
    assert shown["events"][0]["phone"] == PHONE
    assert NAME in wz("show", "1", "--show-pii").stdout
    assert PHONE in wz("list", "--show-pii", "--json").stdout


def test_no_personal_data_in_errors(wz: Wz, case: None) -> None:
    for args in (
        ["intake", "x", "--resident", NAME, "--phone", PHONE + "x"],
        ["intake", "x", "--resident", NAME, "--phone", PHONE + "0" * 30],
        ["intake", "x", "--resident", NAME * 100, "--phone", PHONE],
        ["intake", "x", "--resident", NAME, "--phone", PHONE, "--category", "不存在"],
        ["intake", "x", "--resident", NAME + "\x00", "--phone", PHONE],
    ):
        result = wz.fail(*args)
        assert NAME not in result.stderr and PHONE not in result.stderr


def test_files_written_are_owner_only(wz: Wz, case: None, tmp_path: Path, ledger_env: Path) -> None:
    backup = tmp_path / "b.db"
    wz("backup", str(backup))
    for path in [ledger_env, backup, *ledger_env.parent.glob("ledger.db-*")]:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_rejects_file_is_owner_only_and_neutralised(wz: Wz, tmp_path: Path) -> None:
    source = tmp_path / "visit.csv"
    source.write_text(
        "受理时间,诉求内容,联系电话,居民姓名\n"
        f"2026-11-17,路灯不亮,{PHONE},{NAME}\n"
        '2026-13-45,=HYPERLINK("http://x"),13900000000,@张三\n',
        encoding="utf-8",
    )
    rejects = tmp_path / "rejects.csv"
    result = wz("import", str(source), "--skip-invalid", "--rejects", str(rejects))
    assert NAME not in result.stdout + result.stderr and PHONE not in result.stdout + result.stderr
    assert stat.S_IMODE(rejects.stat().st_mode) == 0o600
    text = rejects.read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text and "'@张三" in text
    assert "\n=" not in text and ",=" not in text
