"""``wenzheng rollup``: what it refuses (one error and a hint, nothing written), the other offices' cases read-only
in the street's ledger, the street's renames holding for later roll-ups, an older ledger read through the
migrations on a copy, and kill -9 in the middle leaving the street's ledger whole."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.cli import Wz
from tests.support.offices import copy_ledger
from tests.support.street import Office, build_office, events_of, rows, snapshot

FIXTURE_V1 = Path(__file__).parent / "fixtures" / "ledger-v1.db"
READ_ONLY = "错误: 该件属于 杨柳社区 台账，请在该社区办理\n"


@pytest.fixture
def street(wz: Wz) -> Wz:
    wz("init", "--office", "JD", "--name", "翠屏街道")
    return wz


@pytest.fixture
def yl(wz: Wz, tmp_path: Path) -> Office:
    office = Office(wz, tmp_path / "yl.db", "YL", "杨柳社区", "杨柳")
    office("init", "--office", "YL", "--name", "杨柳社区")
    office("config", "add", "categories", "楼道照明")
    number = office.intake("3号楼楼道灯不亮", "2026-11-03 09:00", "--category", "楼道照明")
    office("assign", number, "--to", "王芳", "--at", "2026-11-03 10:00")
    return office


def test_refusals_name_the_file_and_write_nothing(
    street: Wz, yl: Office, tmp_path: Path, ledger_env: Path
) -> None:
    sent = yl.backup(tmp_path / "yl-backup.db")
    before = snapshot(ledger_env)

    def refused(path: Path | str, message: str) -> None:
        result = street.fail("rollup", str(path), str(sent))
        assert result.stderr.splitlines()[0] == f"错误: {message}"
        assert result.stderr.splitlines()[1].startswith("提示: ")
        assert snapshot(ledger_env) == before

    text = tmp_path / "notes.db"
    text.write_text("not a ledger\n" * 20, encoding="utf-8")
    refused(text, f"{text} 不是问政台账文件，未汇总任何文件")
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    refused(other, f"{other} 不是问政台账文件，未汇总任何文件")
    refused(ledger_env, f"{ledger_env} 就是当前台账本身，不能汇总进自己")
    link = tmp_path / "link.db"
    link.symlink_to(ledger_env)
    refused(link, f"{link} 就是当前台账本身，不能汇总进自己")
    newer = shutil.copyfile(sent, tmp_path / "newer.db")
    sqlite3.connect(newer).execute("PRAGMA user_version = 99").connection.close()
    refused(newer, f"{newer} 由更新版本的问政台账程序建立（结构版本 99），本台账无法读取")
    cut = tmp_path / "cut.db"
    cut.write_bytes(sent.read_bytes()[: 3 * 4096])
    refused(cut, f"{cut} 不完整（文件被截断或没有复制完），未汇总任何文件")
    refused(tmp_path / "missing.db", f"找不到文件 {tmp_path / 'missing.db'}")
    # a copy of this ledger, and a roll-up that took this ledger in
    mine = copy_ledger(ledger_env, tmp_path / "mine.db")
    refused(mine, f"{mine} 是本台账的副本，不能汇总进本台账")
    street("backup", str(tmp_path / "jd-backup.db"))
    upper = Office(yl.wz, tmp_path / "district.db", "QX", "城关区", "城关")
    upper("init", "--office", "QX", "--name", "城关区")
    upper("rollup", str(tmp_path / "jd-backup.db"))
    district = upper.backup(tmp_path / "district-backup.db")
    refused(district, f"{district} 中含有本台账（JD）自己的案件，不能汇总进本台账")
    # locked by another program while it writes
    locked = shutil.copyfile(sent, tmp_path / "locked.db")
    holder = sqlite3.connect(locked, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        refused(locked, f"{locked} 正被其他程序占用（已锁定），未汇总任何文件")
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_two_ledgers_claiming_one_office_are_refused(street: Wz, yl: Office, tmp_path: Path) -> None:
    street("rollup", str(yl.backup(tmp_path / "yl-backup.db")))
    twin = Office(yl.wz, tmp_path / "twin.db", "YL", "杨柳社区", "杨柳")
    twin("init", "--office", "YL", "--name", "杨柳社区")
    twin.intake("另一个杨柳", "2026-11-05 09:00")
    copy = twin.backup(tmp_path / "twin-backup.db")
    result = street.fail("rollup", str(copy))
    assert result.stderr.startswith(f"错误: {copy} 中的 YL（杨柳社区）与已汇总的 YL 不是同一个台账")
    assert "同一代码的两个台账不能汇总在一起" in result.stderr


def test_other_offices_cases_are_read_only(street: Wz, yl: Office, tmp_path: Path) -> None:
    street("rollup", str(yl.backup(tmp_path / "yl-backup.db")))
    mine = str(street.json("intake", "街道主干道积水", "--at", "2026-11-12 09:00")["number"])
    for args in (
        ("assign", "YL-2026-0001", "--to", "李明"),
        ("claim", "YL-2026-0001"),
        ("resolve", "YL-2026-0001", "--result", "已修复"),
        ("note", "YL-2026-0001", "进展"),
        ("amend", "YL-2026-0001", "--text", "改", "--reason", "错了"),
        ("undo", "YL-2026-0001", "--yes"),
        ("assign", mine, "YL-2026-0001", "--to", "李明"),
    ):
        result = street.fail(*args)
        assert result.stderr.startswith(READ_ONLY), (args, result.stderr)
    assert street.json("show", "YL-2026-0001") == yl.json("show", "YL-2026-0001")
    street("assign", mine, "--to", "李明")  # the street's own cases as usual
    street("check")


def test_the_streets_renames_hold_for_later_rollups(street: Wz, yl: Office, tmp_path: Path) -> None:
    first = json.loads(street("rollup", str(yl.backup(tmp_path / "b1.db")), "--json").stdout)
    assert first["unmapped"] == {"category": ["楼道照明"], "community": ["杨柳"]}
    street("config", "add", "communities", "杨柳")
    street("config", "add", "categories", "路灯照明")
    renamed = street.json("config", "rename", "category", "楼道照明", "路灯照明")
    assert renamed["cases"] == ["YL-2026-0001"]
    assert street.json("show", "YL-2026-0001")["category"] == "路灯照明"
    street("check")
    # the community goes on with its own name for it; the street shows its own
    yl.intake("5号楼楼道灯闪烁", "2026-11-06 09:00", "--category", "楼道照明")
    later = json.loads(street("rollup", str(yl.backup(tmp_path / "b2.db")), "--json").stdout)
    assert later["unmapped"] == {}
    assert street.json("show", "YL-2026-0002")["category"] == "路灯照明"
    assert [c["category"] for c in street.json("list", "--category", "路灯照明")] == ["路灯照明", "路灯照明"]
    assert yl.json("show", "YL-2026-0002")["category"] == "楼道照明"
    street("check")


def test_an_older_ledger_is_read_through_the_migrations_on_a_copy(
    street: Wz, wz: Wz, tmp_path: Path, ledger_env: Path
) -> None:
    street("activity", "add", "街道议事会", "--at", "2026-11-02 09:00")  # the street's own activity 1
    old = shutil.copyfile(FIXTURE_V1, tmp_path / "yl-v1.db")
    before = old.read_bytes()
    answer = json.loads(street("rollup", str(old), "--json").stdout)
    assert (answer["events_added"], answer["sources"][0]["cases_added"]) == (21, 6)
    assert old.read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".wenzheng-")]  # the copy is gone
    street("check")
    # the same ledger upgraded in place (its clerk ran the new version) is the same ledger: same identity
    upgraded = shutil.copyfile(FIXTURE_V1, tmp_path / "yl-upgraded.db")
    wz("--db", str(upgraded), "intake", "新的一件", "--at", "2026-11-20 09:00")
    again = json.loads(street("rollup", str(upgraded), "--json").stdout)
    assert again["sources"][0]["ledger_id"] == answer["sources"][0]["ledger_id"]
    assert again["events_added"] == 1
    own = Office(wz, upgraded, "YL", "杨柳社区", "杨柳")
    for case in own.cases():
        assert street.json("show", case["number"]) == own.json("show", case["number"])
    # its 问政 activity came along, under the street's own number
    held = rows(ledger_env, "SELECT a.id, a.title FROM cases c JOIN activities a ON a.id = c.activity_id")
    assert held == [(2, "11月居民问政日")]


def test_kill_9_during_a_rollup_leaves_the_ledger_before_or_after_each_file(
    street: Wz, wz: Wz, tmp_path: Path, ledger_env: Path
) -> None:
    files = []
    for code, name, community in (
        ("YL", "杨柳社区", "杨柳"),
        ("QH", "清河社区", "清河"),
        ("BY", "北苑社区", "北苑"),
    ):
        office = build_office(wz, tmp_path, code, name, community, None)
        lines = ["留言编号,留言时间,留言详情"] + [
            f"{code}-{n},2026-11-{1 + n % 20:02d} 09:00,第{n}号楼楼道堆放杂物" for n in range(1500)
        ]
        bulk = tmp_path / f"{code}-bulk.csv"
        bulk.write_text("\n".join(lines) + "\n", encoding="utf-8")
        office("import", str(bulk), "--community", community)
        files.append(office.backup(tmp_path / f"{code}-backup.db"))
    env = dict(os.environ)
    process = subprocess.Popen(
        [sys.executable, "-m", "wenzheng_cli", "rollup", *map(str, files)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    # wait (bounded) for the first file to be committed, then kill: the second is most likely half done
    for _ in range(600):
        if process.poll() is not None or rows(ledger_env, "SELECT COUNT(*) FROM rollup_files")[0][0]:
            break
        time.sleep(0.05)
    if process.poll() is None:
        os.kill(process.pid, signal.SIGKILL)
    process.wait()
    street("check")
    done = {office for (office,) in rows(ledger_env, "SELECT office FROM rollup_sources")}
    for path, code in zip(files, ("YL", "QH", "BY"), strict=True):
        expected = events_of(path) if code in done else []
        assert events_of(ledger_env, code) == expected
    # and a roll-up run again completes what was cut off
    street("rollup", *map(str, files))
    street("check")
    assert sum(1 for _ in events_of(ledger_env)) == sum(len(events_of(f)) for f in files)


def test_every_ledger_has_an_identity_of_its_own(wz: Wz, tmp_path: Path, ledger_env: Path) -> None:
    # one blank ledger copied for two offices: each becomes a ledger of its own when given its office
    made = []
    for code in ("YL", "QH"):
        path = shutil.copyfile(ledger_env, tmp_path / f"{code}.db")
        wz("--db", str(path), "init", "--office", code)
        made.append(rows(path, "SELECT id FROM ledger_identity")[0][0])
        wz("--db", str(path), "init", "--name", "改名不改标识")
        assert rows(path, "SELECT id FROM ledger_identity")[0][0] == made[-1]
    assert made[0] != made[1] and all(len(found) == 26 for found in made)


def test_one_platform_key_in_two_offices_is_a_conflict_not_a_crash(
    street: Wz, wz: Wz, tmp_path: Path
) -> None:
    rows_file = tmp_path / "12345.csv"
    rows_file.write_text("工单号,受理时间,诉求内容\nG-1,2026-11-03 09:00,路灯不亮\n", encoding="utf-8")
    sent = []
    for code in ("YL", "QH"):
        office = Office(wz, tmp_path / f"{code}.db", code, code, code)
        office("init", "--office", code)
        office("import", str(rows_file))
        sent.append(office.backup(tmp_path / f"{code}-backup.db"))
    result = street("rollup", *map(str, sent), "--json", code=1)
    answer = json.loads(result.stdout)
    assert [s["events_added"] for s in answer["sources"]] == [1, 0]
    assert answer["conflicts"] == [
        {
            "file": str(sent[1]),
            "event_id": None,
            "message": "该文件中有案件的来源编号与已汇总的其他案件相同（同一平台编号只能有一件）",
        }
    ]
    street("check")


def test_the_streets_own_case_may_name_another_offices_case_as_its_twin(
    street: Wz, yl: Office, tmp_path: Path
) -> None:
    street("rollup", str(yl.backup(tmp_path / "yl-backup.db")))
    mine = str(street.json("intake", "3号楼楼道灯不亮（又一次反映）", "--at", "2026-11-04 09:00")["number"])
    assert street.json("withdraw", mine, "--duplicate-of", "YL-2026-0001")["status"] == "withdrawn"
    street("check")


def _october_lift(office: Office) -> str:
    """A case of October, assigned and still open when the month ended."""
    number = office.intake("幸福里5号楼电梯停运", "2026-10-20 09:00")
    office("assign", number, "--to", "王芳", "--at", "2026-10-20 10:00")
    return number


def _resolved_in_october(office: Office, number: str) -> None:
    """The case resolved, typed in later with a time in October: October's figures change."""
    office(
        "--operator",
        "王芳",
        "resolve",
        number,
        "--result",
        "已联系物业维修，电梯恢复运行",
        "--at",
        "2026-10-25 16:00",
    )


def test_search_and_kept_figures_follow_what_a_rollup_adds(
    street: Wz, yl: Office, tmp_path: Path, ledger_env: Path
) -> None:
    october = _october_lift(yl)
    street("rollup", str(yl.backup(tmp_path / "b1.db")))
    assert [c["number"] for c in street.json("list", "--search", "电梯停运")] == [october]

    def resolved() -> int:
        found = street.json("report", "monthly", "--month", "2026-10", "--by", "office")
        return int(found["totals"]["resolved"])

    assert resolved() == 0  # October is over: its figures are kept now
    assert rows(ledger_env, "SELECT COUNT(*) FROM report_figures WHERE month = '2026-10'") == [(1,)]
    _resolved_in_october(yl, october)
    street("rollup", str(yl.backup(tmp_path / "b2.db")))
    assert resolved() == 1
    assert [c["number"] for c in street.json("list", "--search", "电梯恢复")] == [october]


def test_a_rollup_keeps_the_figures_it_made_stale_for_the_streets_first_reports(
    street: Wz, yl: Office, tmp_path: Path, ledger_env: Path
) -> None:
    october = _october_lift(yl)

    def kept() -> dict[tuple[str, str], int]:
        found = rows(ledger_env, "SELECT month, grouping, built_seq FROM report_figures")
        return {(month, grouping): seq for month, grouping, seq in found}

    def last_seq() -> int:
        return int(rows(ledger_env, "SELECT MAX(seq) FROM events")[0][0])

    street("rollup", str(yl.backup(tmp_path / "b1.db")))
    year = [f"2025-{m:02d}" for m in range(11, 13)] + [f"2026-{m:02d}" for m in range(1, 11)]
    assert kept() == {(month, "office"): last_seq() for month in year}  # the twelve months up to October
    by_office = street.json("report", "trend", "--months", "12", "--by", "office")
    street.json("report", "monthly", "--month", "2026-10", "--by", "category")
    assert kept()[("2026-10", "category")] == last_seq()

    _resolved_in_october(yl, october)
    sent = yl.backup(tmp_path / "b2.db")
    first = kept()
    street("rollup", str(sent))
    # October counted again after its new events, by office and by the grouping asked for before; the months
    # before it still stand and are left as they were
    assert kept() == {**first, ("2026-10", "office"): last_seq(), ("2026-10", "category"): last_seq()}
    after = street.json("report", "trend", "--months", "12", "--by", "office")
    assert after["months"][-1]["totals"]["resolved"] == 1
    assert by_office["months"][-1]["totals"]["resolved"] == 0
    # the figures kept equal those counted afresh
    recounted = rows(ledger_env, "SELECT COUNT(*) FROM report_figures")
    conn = sqlite3.connect(ledger_env)
    conn.execute("DELETE FROM report_figures")
    conn.commit()
    conn.close()
    assert street.json("report", "trend", "--months", "12", "--by", "office") == after
    assert recounted == [(13,)]

    before = kept()
    street("rollup", str(sent))  # adds nothing: nothing counted again
    assert kept() == before


def test_a_rollup_tells_its_progress_file_by_file(
    street: Wz, yl: Office, tmp_path: Path, ledger_env: Path
) -> None:
    from wenzheng_cli.core.rollup import rollup
    from wenzheng_cli.core.session import Session

    first = yl.backup(tmp_path / "b1.db")
    yl.intake("幸福里5号楼电梯停运", "2026-10-20 09:00")
    second = yl.backup(tmp_path / "b2.db")
    told: list[tuple[str, int, int]] = []
    session = Session.open(str(ledger_env), "clerk", create=False)
    try:
        # a file named twice is rolled up once, and counted once
        rollup(
            session, [str(first), str(second), str(first)], dry_run=False, progress=lambda *a: told.append(a)
        )
    finally:
        session.close()
    assert told == [
        (f"汇总 {first}", 0, 2),
        (f"汇总 {second}", 1, 2),
        ("重新统计最近 12 个月的月度数据", 2, 2),
    ]
