"""``backup --without-pii``: the copy a community sends its street. No resident's full name or phone, no ID
number, no room anywhere in the file; the copy passes ``check`` and says what it is; every report gives the same
figures as on the ledger itself; two copies of one ledger are the same copy."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tests.support.cli import Wz
from wenzheng_cli.domain.redact import (
    building_address,
    name_order,
    names_in,
    redact_events,
    redact_payload,
    redact_text,
    without_personal,
)

pytestmark = pytest.mark.contract

# (text, resident, phone, address): the same problem at one estate raised by four people, and others.
CASES = [
    (
        "阳光花园3号楼电梯故障停运，老人上下楼困难，李桂兰反映",
        "李桂兰",
        "13812345671",
        "阳光花园3号楼2单元402室",
    ),
    ("阳光花园电梯经常故障停运，老人上下楼很困难", "王建国", "13912345672", "阳光花园7号楼1单元1201"),
    ("阳光花园的电梯故障停运一周了，老人上下楼困难", "张秀英", "0532-88886673", "阳光花园12-1-301"),
    ("阳光花园电梯故障，停运多日无人维修，回电13712345674", "刘志强", "13712345674", "阳光花园5栋3层"),
    ("楼上住户装修噪音扰民，周末早上七点就开始", "陈丽华", "13612345675", "新华苑2号楼501室"),
    ("小区门口路灯不亮，夜间出行不安全", "赵淑珍", "15012345676", "清河湾9栋"),
]
IMPORT = (
    "留言编号,留言主题,留言详情,留言用户,留言时间,身份证号,联系人,联系人电话,点赞数\n"
    "K1,路灯,清河湾门口路灯坏了不亮 联系孙玉梅 18612345677,孙玉梅,2026-11-03 10:00,"
    "370102199001011234,周海燕,18712345678,12\n"
)
NEW_PHONE = "13512345679"
SECRETS = [
    *(name for _, name, _, _ in CASES),
    *(phone for _, _, phone, _ in CASES),
    "88886673",
    "孙玉梅",
    "18612345677",
    "370102199001011234",
    "周海燕",
    "18712345678",
    NEW_PHONE,
    "刘志刚",
    "402室",
    "1单元1201",
    "12-1-301",
    "5栋3层",
]


def build(wz: Wz, tmp_path: Path) -> None:
    wz("init", "--office", "YL", "--name", "杨柳社区")
    for i, (text, resident, phone, address) in enumerate(CASES):
        at = f"2026-11-{2 + i:02d}"
        wz("intake", text, "--resident", resident, "--phone", phone, "--address", address, "--at", at)
    source = tmp_path / "12345.csv"
    source.write_text(IMPORT, encoding="utf-8")
    wz("import", str(source))
    wz("amend", "1", "--phone", NEW_PHONE, "--reason", "电话写错", "--at", "2026-11-03")
    wz("note", "1", f"已联系李桂兰（{NEW_PHONE}），约定明天上门", "--at", "2026-11-04")
    # A name that comes later (the case is then replayed to set its row): masked from that step on.
    wz("amend", "4", "--resident", "刘志刚", "--reason", "姓名写错", "--at", "2026-11-06")
    wz("note", "4", "刘志刚说电梯公司已来看过", "--at", "2026-11-07")
    wz("assign", "1", "2", "3", "--to", "王芳", "--unit", "物业", "--at", "2026-11-08")
    wz("--operator", "王芳", "claim", "1", "2", "--at", "2026-11-09")
    wz(
        "--operator",
        "王芳",
        "resolve",
        "1",
        "--result",
        "已联系电梯公司维修，李桂兰确认恢复",
        "--at",
        "2026-11-10",
    )
    wz("revisit", "1", "--rating", "满意", "--comment", "李桂兰说修好了", "--at", "2026-11-12")
    wz("escalate", "3", "--level", "街道", "--reason", "需街道协调", "--at", "2026-11-13")
    wz("--operator", "王芳", "resolve", "2", "--result", "已维修", "--at", "2026-11-18")


def copy_of(wz: Wz, dest: Path | str, *more: str) -> Path:
    return Path(wz.json("backup", "--without-pii", str(dest), *more)["path"])


def test_no_personal_data_anywhere_in_the_copy(wz: Wz, tmp_path: Path, ledger_env: Path) -> None:
    build(wz, tmp_path)
    for secret in SECRETS:  # the ledger itself holds them all (else the search below proves nothing)
        assert secret.encode() in _ledger_bytes(ledger_env), secret
    folder = tmp_path / "to-street"
    copy = copy_of(wz, f"{folder}/")
    assert copy == folder / "ledger-20261123-100000-without-pii.db"
    assert sorted(p.name for p in folder.iterdir()) == [copy.name]  # no -wal, no journal, no temp file
    assert sorted(p.name for p in ledger_env.parent.iterdir() if p.name.startswith(".wenzheng-")) == []
    data = copy.read_bytes()
    for secret in SECRETS:
        assert secret.encode() not in data, secret
    # What stays: the masked values as the reports show them, the building, the event ids.
    shown = wz.json("show", "1", "--db", str(copy), "--show-pii")
    assert (shown["resident"], shown["phone"], shown["address"]) == (
        "李**",
        "135****5679",
        "阳光花园3号楼2单元",
    )
    assert shown["description"] == "阳光花园3号楼电梯故障停运，老人上下楼困难，李**反映"
    amend = next(e for e in shown["events"] if e["action"] == "amend")
    assert amend["changes"] == {"phone": {"old": "138****5671", "new": "135****5679"}}
    ids = [e["id"] for e in wz.json("show", "1", "--show-pii")["events"]]
    assert [e["id"] for e in shown["events"]] == ids
    imported = wz.json("show", "7", "--db", str(copy), "--show-pii")
    conn = sqlite3.connect(copy)
    (extra,) = conn.execute("SELECT extra FROM cases WHERE number = 'YL-2026-0007'").fetchone()
    conn.close()
    assert extra == '{"点赞数": "12"}'  # 身份证号, 联系人, 联系人电话 dropped
    assert imported["description"] == "清河湾门口路灯坏了不亮 联系孙** 186****5677"
    assert wz.json("list", "--db", str(copy), "--search", "李桂兰") == []
    assert [c["number"] for c in wz.json("list", "--db", str(copy), "--search", "电梯公司")] == [
        "YL-2026-0001"
    ]


def test_check_says_what_the_copy_is(wz: Wz, tmp_path: Path) -> None:
    build(wz, tmp_path)
    copy = copy_of(wz, tmp_path / "yl.db")
    assert wz.json("check", "--db", str(copy)) == {"ok": True, "cases": 7, "events": 20, "problems": []}
    assert wz("check", "--db", str(copy)).stdout.splitlines() == [
        "这是去除个人信息的副本（2026-11-23 10:00 时生成），可用于街道汇总",
        "台账完好: 7 件案件，20 条办理记录，全部一致",
    ]
    assert "副本" not in wz("check").stdout
    said = wz("backup", "--without-pii", str(tmp_path / "to-street.db")).stdout
    assert said.startswith(f"已生成去除个人信息的副本 {tmp_path / 'to-street.db'}（") and said.endswith(
        "可报送街道\n"
    )
    # A plain backup of the copy is still such a copy.
    again = tmp_path / "again.db"
    wz("backup", str(again), "--db", str(copy))
    assert "这是去除个人信息的副本" in wz("check", "--db", str(again)).stdout


# Where the ledger and its copy may differ: the masked texts (the latest note as progress, a hotspot's summary
# quoting a case) and the address.
MASKED = {"description", "address", "progress", "summary"}


def _figures(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _figures(v) for k, v in value.items() if k not in MASKED}
    if isinstance(value, list):
        return [_figures(v) for v in value]
    return value


@pytest.mark.parametrize(
    "report",
    [
        ("report", "weekly", "--week", "2026-11-17"),
        ("report", "monthly", "--month", "2026-11"),
        ("report", "monthly", "--month", "2026-11", "--by", "unit"),
        ("report", "trend", "--months", "3"),
        ("hotspots",),
    ],
)
def test_reports_on_the_copy_give_the_same_figures(wz: Wz, tmp_path: Path, report: tuple[str, ...]) -> None:
    build(wz, tmp_path)
    copy = copy_of(wz, tmp_path / "yl.db")
    own = wz.json(*report)
    theirs = wz.json(*report, "--db", str(copy))
    assert _figures(theirs) == _figures(own)
    assert theirs != {} and theirs != []
    if report == ("hotspots",):
        # 阳光花园's lift, and 清河湾's street lamp (two people: the import's 孙玉梅 and 赵淑珍).
        places = {spot["place"]: (spot["cases"], spot["people"]) for spot in own["hotspots"]}
        assert places == {"阳光花园": (4, 4), "清河湾": (2, 2)}


def test_two_copies_of_one_ledger_are_the_same(wz: Wz, tmp_path: Path) -> None:
    build(wz, tmp_path)
    first = copy_of(wz, tmp_path / "a.db")
    second = copy_of(wz, tmp_path / "b.db")
    third = copy_of(wz, tmp_path / "c.db", "--db", str(first))  # a copy of the copy
    dumps = [_rows(p) for p in (first, second, third)]
    assert dumps[0] == dumps[1] == dumps[2]
    wz("note", "2", "电梯公司已到场")
    fourth = _rows(copy_of(wz, tmp_path / "d.db"))
    assert fourth["events"][:-1] == dumps[0]["events"]  # only the new event differs


@pytest.mark.local  # backs up onto the ledger's own file, a path of the server's PC
def test_refusals_as_backup_does(wz: Wz, tmp_path: Path, ledger_env: Path) -> None:
    build(wz, tmp_path)
    before = ledger_env.read_bytes()
    for dest in (ledger_env, Path(f"{ledger_env}-wal")):
        refused = wz.fail("backup", "--without-pii", str(dest))
        assert "不能写入" in refused.stderr, refused.stderr
    taken = tmp_path / "taken.db"
    taken.write_bytes(b"keep me")
    refused = wz.fail("backup", "--without-pii", str(taken))
    assert refused.stderr.startswith(f"错误: {taken} 已存在，未覆盖\n")
    assert taken.read_bytes() == b"keep me"
    copy_of(wz, taken, "--force")
    assert b"370102199001011234" not in taken.read_bytes()
    assert ledger_env.read_bytes() == before  # the ledger itself is only read


def test_an_unreadable_event_gives_no_copy(wz: Wz, tmp_path: Path, ledger_env: Path) -> None:
    wz("intake", "路灯不亮", "--resident", "李桂兰")
    conn = sqlite3.connect(ledger_env)
    conn.execute("DROP TRIGGER events_no_update")
    conn.execute("UPDATE events SET payload = 'not json'")
    conn.commit()
    conn.close()
    refused = wz.fail("backup", "--without-pii", str(tmp_path / "yl.db"))
    assert refused.stderr.startswith(
        "错误: 办理记录（第 1 行）的内容无法读取，无法去除个人信息，未生成副本\n"
    )
    assert not (tmp_path / "yl.db").exists()


@pytest.mark.parametrize(
    ("address", "kept"),
    [
        ("杨柳路幸福里3号楼2单元402室", "杨柳路幸福里3号楼2单元"),
        ("幸福里3号楼402", "幸福里3号楼"),
        ("8栋1单元1202", "8栋1单元"),
        ("A座1502", "A座"),
        ("3号楼5楼502室", "3号楼"),
        ("杨柳大厦12楼1203", "杨柳大厦"),
        ("阳光花园5栋3层", "阳光花园5栋"),
        ("幸福里12-1-301", "幸福里12-1"),
        ("幸福里12-301", "幸福里12"),
        ("幸福里402室", "幸福里"),
        # a building, a door number, a lane: places, kept
        ("幸福里12-1", "幸福里12-1"),
        ("杨柳路88号", "杨柳路88号"),
        ("光明路1888弄", "光明路1888弄"),
        ("张家村5组32号", "张家村5组32号"),
        ("幸福里3号楼门口", "幸福里3号楼门口"),
        (None, None),
        ("", ""),
    ],
)
def test_building_address(address: str | None, kept: str | None) -> None:
    assert building_address(address) == kept
    assert building_address(kept) == kept  # a copy of a copy


def test_redaction_rules() -> None:
    names = name_order(
        names_in({"resident": "李", "extra": '{"联系人": "周海燕"}'})
        | names_in({"changes": {"resident": {"old": "李桂兰", "new": "李桂芳"}}})
    )
    assert names == ("周海燕", "李桂兰", "李桂芳")  # longest first; one character is no name to look for
    assert redact_text("李桂兰说周海燕电话13812345678，身份证370102199001011234", names) == (
        "李**说周**电话138****5678，身份证370****1234"
    )
    assert without_personal('{"身份证号": "370102199001011234", "备注": "联系13812345678"}') == (
        '{"备注": "联系138****5678"}'
    )
    assert without_personal('{"身份证号": "1"}') is None
    unchanged = '{"点赞数":12}'
    assert without_personal(unchanged) is unchanged
    payload = {
        "changes": {"phone": {"old": "13812345678", "new": None}, "category": {"old": "路灯", "new": "照明"}},
        "reason": "李桂兰说电话停用",
        "revokes": "01ABC",
    }
    assert redact_payload(payload, names) == {
        "changes": {"phone": {"old": "138****5678", "new": None}, "category": {"old": "路灯", "new": "照明"}},
        "reason": "李**说电话停用",
        "revokes": "01ABC",
    }


def test_an_event_is_redacted_by_what_came_before_it() -> None:
    """A later amend's name does not reach back into earlier events: each event's copy stays the same."""
    intake = {"resident": "李桂兰", "description": "李桂兰和李桂芳反映"}
    amend = {"changes": {"resident": {"old": "李桂兰", "new": "李桂芳"}}, "reason": "李桂芳是本人"}
    assert redact_events([intake]) == [{"resident": "李**", "description": "李**和李桂芳反映"}]
    assert redact_events([intake, amend])[1] == {
        "changes": {"resident": {"old": "李**", "new": "李**"}},
        "reason": "李**是本人",
    }


def _ledger_bytes(ledger: Path) -> bytes:
    wal = Path(f"{ledger}-wal")
    return ledger.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def _rows(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    conn = sqlite3.connect(path)
    try:
        return {
            "events": conn.execute("SELECT * FROM events ORDER BY seq").fetchall(),
            "cases": conn.execute("SELECT * FROM cases ORDER BY pk").fetchall(),
            "settings": [
                r for r in conn.execute("SELECT * FROM settings ORDER BY key") if r[0] != "copy.without_pii"
            ],
        }
    finally:
        conn.close()


def test_rows_are_json(wz: Wz, tmp_path: Path) -> None:
    """Every rewritten payload is a JSON object the ledger can read back (``show`` above reads them)."""
    build(wz, tmp_path)
    copy = copy_of(wz, tmp_path / "yl.db")
    conn = sqlite3.connect(copy)
    payloads = [json.loads(p) for (p,) in conn.execute("SELECT payload FROM events")]
    conn.close()
    assert all(isinstance(p, dict) for p in payloads)
