"""``wenzheng rollup``: a street of three community ledgers, each made through the command line and sent as a
``backup`` copy, rolled up into the street's ledger. Each office's figures there equal its own; the same files
again add nothing; a newer copy adds exactly its new events; a tampered event is refused and nothing of its file
committed; a roll-up of roll-ups equals rolling up the communities directly."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.cli import Wz
from tests.support.env import NOW
from tests.support.offices import copy_ledger
from tests.support.street import OFFICES, Office, build_street, events_of, rows, snapshot


@pytest.fixture(scope="module")
def community(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Office]]:
    """The three communities' ledgers, made once for the module (tests copy one before changing it)."""
    folder = tmp_path_factory.mktemp("street")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("WENZHENG_NOW", NOW)
        patch.setenv("WENZHENG_OPERATOR", "clerk")
        patch.setenv("WENZHENG_HOME", str(folder / "home"))
        offices = build_street(Wz(), folder)
        for office in offices:
            office.backup(folder / f"{office.code.lower()}-backup.db")
        yield {office.code: office for office in offices}


def backup_of(office: Office) -> Path:
    return office.path.parent / f"{office.code.lower()}-backup.db"


@pytest.fixture
def street(wz: Wz) -> Wz:
    wz("init", "--office", "JD", "--name", "翠屏街道")
    return wz


def roll(wz: Wz, *files: Path, code: int = 0) -> Any:
    result = wz("rollup", *(str(f) for f in files), "--json", code=code)
    return json.loads(result.stdout)


def test_every_office_figures_equal_its_own(
    street: Wz, community: dict[str, Office], ledger_env: Path
) -> None:
    files = [backup_of(office) for office in community.values()]
    before = {f: f.read_bytes() for f in files}
    done = roll(street, *files)
    ids = {
        code: rows(office.path, "SELECT id FROM ledger_identity")[0][0] for code, office in community.items()
    }
    assert done == {
        "sources": [
            {
                "file": str(backup_of(office)),
                "office": code,
                "ledger_id": ids[code],
                "skipped": False,
                "events_added": 15,
                "cases_added": 6,
                "cases_updated": 0,
            }
            for code, office in community.items()
        ],
        "events_added": 45,
        "conflicts": [],
        "unmapped": {"category": ["楼道照明"], "community": ["北苑", "杨柳", "清河"]},
    }
    # the files are only read: byte for byte as they were, nothing made beside them
    assert {f: f.read_bytes() for f in files} == before
    assert not [
        Path(f"{f}{s}") for f in files for s in ("-wal", "-shm", "-journal") if Path(f"{f}{s}").exists()
    ]
    street("check")

    monthly = street.json("report", "monthly", "--month", "2026-11", "--by", "office")
    trend = street.json("report", "trend", "--months", "2", "--until", "2026-11", "--by", "office")
    for office in community.values():
        # every case, as the office's own ledger shows it, events and all
        mine = office.cases()
        held = street.json("list", "--office", office.code, "--limit", "1000")
        assert sorted(held, key=lambda c: c["number"]) == mine
        for case in mine:
            assert street.json("show", case["number"]) == office.json("show", case["number"])
        own = office.json("report", "monthly", "--month", "2026-11")
        group = next(g for g in monthly["groups"] if g["key"] == office.name)
        # its 问政 activities too: each office's, rolled up with its cases
        assert group["totals"] == own["totals"]
        assert own["totals"]["activities"] == 1
        assert (group["rates"], group["points"], group["score"]) == (
            own["rates"],
            own["points"],
            own["score"],
        )
        weekly = street.json("report", "weekly", "--week", "2026-11-17", "--office", office.code)
        weekly.pop("filters", None)
        own_weekly = office.json("report", "weekly", "--week", "2026-11-17")
        own_weekly.pop("filters", None)
        assert weekly == own_weekly
        months = next(g for g in trend["groups"] if g["key"] == office.name)["months"]
        own_trend = office.json("report", "trend", "--months", "2", "--until", "2026-11")["months"]
        assert [(m["totals"], m["rates"]) for m in months] == [(m["totals"], m["rates"]) for m in own_trend]


def test_again_adds_nothing_and_a_newer_copy_adds_its_new_events(
    street: Wz, community: dict[str, Office], tmp_path: Path
) -> None:
    files = [backup_of(office) for office in community.values()]
    roll(street, *files)
    again = roll(street, *files)
    assert again["events_added"] == 0
    assert [s["skipped"] for s in again["sources"]] == [True, True, True]
    # a copy made again of the same ledger (other bytes, same events) adds nothing either
    yl = community["YL"]
    same = copy_ledger(yl.path, tmp_path / "yl-again.db")
    assert roll(street, same)["sources"][0] | {"ledger_id": ""} == {
        "file": str(same),
        "office": "YL",
        "ledger_id": "",
        "skipped": False,
        "events_added": 0,
        "cases_added": 0,
        "cases_updated": 0,
    }
    # the community works on: a note on one case and a new one; its newer copy adds exactly those two events
    moved = Office(yl.wz, copy_ledger(yl.path, tmp_path / "yl.db"), "YL", yl.name, yl.community)
    moved("note", "YL-2026-0002", "已约谈饭店负责人", "--at", "2026-11-20 10:00")
    moved.intake("路面坑洼", "2026-11-21 09:00")
    newer = moved.backup(tmp_path / "yl-newer.db")
    added = roll(street, newer)["sources"][0]
    assert (added["events_added"], added["cases_added"], added["cases_updated"]) == (2, 1, 1)
    assert events_of(ledger_env_path(street), "YL") == events_of(moved.path)
    # the older copy after the newer one adds nothing
    assert roll(street, backup_of(yl))["events_added"] == 0
    street("check")


def files_given_to(monkeypatch: pytest.MonkeyPatch, name: str, position: int) -> list[Path]:
    """The file each call of ``core.rollup_files.<name>`` is given (its argument at ``position``), recorded as
    the function is called all the same."""
    from wenzheng_cli.core import rollup_files

    real = getattr(rollup_files, name)
    given: list[Path] = []

    def recorded(*args: Any) -> Any:
        given.append(args[position])
        return real(*args)

    monkeypatch.setattr(rollup_files, name, recorded)
    return given


def test_an_unchanged_file_is_not_read_again_and_one_changed_in_place_is(
    street: Wz, community: dict[str, Office], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wenzheng_cli.core import rollup_files

    read = files_given_to(monkeypatch, "_digest", 0)
    monkeypatch.setattr(rollup_files, "RACY_NS", 0)  # made moments ago: its times are trusted at once here
    mine = shutil.copyfile(backup_of(community["YL"]), tmp_path / "yl.db")
    assert roll(street, mine)["sources"][0]["skipped"] is False
    assert roll(street, mine)["sources"][0]["skipped"] is True
    assert roll(street, mine)["sources"][0]["skipped"] is True
    assert read == [mine]  # hashed once; then known by its stat
    # edited in place, the same size, its modification time set back: the status-change time tells
    before = mine.stat()
    target = tamper(mine)
    os.utime(mine, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert mine.stat().st_size == before.st_size
    answer = roll(street, mine, code=1)
    assert [c["event_id"] for c in answer["conflicts"]] == [target]
    assert read == [mine, mine]
    street("check")


def test_a_file_of_the_previous_version_is_migrated_to_roll_it_up_and_not_to_skip_it(
    street: Wz, community: dict[str, Office], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wenzheng_cli.store import schema

    copies = files_given_to(monkeypatch, "_migrated", 1)
    # a community that has not upgraded yet: its ledger one migration behind this program's
    older = shutil.copyfile(backup_of(community["YL"]), tmp_path / "yl-older.db")
    last = schema.MIGRATIONS[-1][0]
    conn = sqlite3.connect(older)
    conn.execute("DROP INDEX IF EXISTS rollup_activities_id")  # what the last migration (m018) made
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = ?", (last,))
    conn.execute(f"PRAGMA user_version = {schema.latest() - 1}")
    conn.commit()
    conn.close()
    assert roll(street, older)["sources"][0]["skipped"] is False
    assert copies == [older]  # its events read through the migrations
    again = roll(street, older)["sources"][0]
    assert (again["skipped"], again["office"]) == (True, "YL")
    assert copies == [older]  # unchanged: only asked whose it is, as it is
    street("check")


def tamper(path: Path) -> str:
    """Change the text of the first intake event of the ledger at ``path`` (the same length), as only someone
    editing the file outside the program could; its id."""
    conn = sqlite3.connect(path)
    conn.execute("DROP TRIGGER events_no_update")
    target = str(
        conn.execute("SELECT id FROM events WHERE action = 'intake' ORDER BY seq LIMIT 1").fetchone()[0]
    )
    conn.execute("UPDATE events SET payload = replace(payload, '路灯', '水管') WHERE id = ?", (target,))
    conn.commit()
    conn.close()
    return target


def ledger_env_path(wz: Wz) -> Path:
    return Path(json.loads(wz("init", "--json").stdout)["path"])


def test_a_tampered_event_is_refused_and_nothing_of_its_file_committed(
    street: Wz, community: dict[str, Office], tmp_path: Path, ledger_env: Path
) -> None:
    yl, qh = community["YL"], community["QH"]
    roll(street, backup_of(yl))
    tampered = shutil.copyfile(backup_of(yl), tmp_path / "yl-tampered.db")
    moved = Office(yl.wz, tampered, "YL", yl.name, yl.community)
    moved.intake("新的一件", "2026-11-22 09:00")  # something new beside the tampered event: not taken either
    target = tamper(tampered)
    before = snapshot(ledger_env)
    result = street("rollup", str(tampered), "--json", code=1)
    answer = json.loads(result.stdout)
    assert answer["conflicts"] == [
        {"file": str(tampered), "event_id": target, "message": "同一编号的办理记录内容与已汇总的不同，未覆盖"}
    ]
    assert answer["events_added"] == 0
    assert str(tampered) in result.stderr and result.stderr.startswith("错误: ")
    assert snapshot(ledger_env) == before
    # the other files of the same run are rolled up all the same
    both = json.loads(street("rollup", str(tampered), str(backup_of(qh)), "--json", code=1).stdout)
    assert [s["events_added"] for s in both["sources"]] == [0, 15]
    street("check")


def test_a_rollup_of_rollups_equals_rolling_up_the_communities(
    street: Wz, community: dict[str, Office], tmp_path: Path, ledger_env: Path
) -> None:
    # the street has cases of its own beside the communities'
    street("intake", "街道主干道积水", "--at", "2026-11-12 09:00")
    yl, qh, by = (backup_of(community[code]) for code, *_ in OFFICES)
    roll(street, yl, qh)
    sent = tmp_path / "street-backup.db"
    street("backup", str(sent))
    own = tmp_path / "own-backup.db"
    copy_ledger(ledger_env, own)

    def district(name: str, *files: Path) -> Path:
        path = tmp_path / name
        street("--db", str(path), "init", "--office", "QX", "--name", "城关区")
        street("--db", str(path), "rollup", *(str(f) for f in files))
        street("--db", str(path), "check")
        return path

    through = district("through.db", sent, by)
    direct = district("direct.db", yl, qh, by, sent)
    assert events_of(through) == events_of(direct)
    cases = "SELECT * FROM cases ORDER BY id"
    assert [r[1:] for r in rows(through, cases)] == [r[1:] for r in rows(direct, cases)]
    offices = "SELECT office, name, ledger_id, cases, events FROM rollup_sources ORDER BY office"
    assert rows(through, offices) == rows(direct, offices)
    assert [r[0] for r in rows(through, offices)] == ["BY", "JD", "QH", "YL"]
    assert own.exists()


def test_dry_run_counts_and_writes_nothing(
    street: Wz, community: dict[str, Office], ledger_env: Path
) -> None:
    before = snapshot(ledger_env)
    answer = json.loads(street("rollup", str(backup_of(community["QH"])), "--dry-run", "--json").stdout)
    assert (answer["events_added"], answer["sources"][0]["cases_added"]) == (15, 6)
    assert snapshot(ledger_env) == before


def test_status_lists_each_office_and_who_has_not_sent_for_a_week(
    street: Wz, community: dict[str, Office], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert street.json("rollup", "--status") == []
    roll(street, *(backup_of(o) for o in community.values()))
    status = street.json("rollup", "--status")
    assert [(s["office"], s["name"], s["cases"], s["events"], s["last_rollup"]) for s in status] == [
        ("BY", "北苑社区", 6, 15, NOW),
        ("QH", "清河社区", 6, 15, NOW),
        ("YL", "杨柳社区", 6, 15, NOW),
    ]
    assert all(s["last_event_at"] == NOW for s in status)
    assert status[2]["ledger_id"] == rows(community["YL"].path, "SELECT id FROM ledger_identity")[0][0]
    monkeypatch.setenv("WENZHENG_NOW", "2026-12-02T10:00:00+08:00")
    roll(street, backup_of(community["QH"]))  # sent again (unchanged): counts as sent
    table = street("rollup", "--status").stdout
    late = [line for line in table.splitlines() if line.startswith("│") and "超过一周未报送" in line]
    assert len(late) == 2 and "QH" not in "".join(late)
    assert "2 个社区超过一周未报送台账" in table


def test_a_copy_without_personal_data_rolls_up_to_the_same_figures(
    street: Wz, community: dict[str, Office], tmp_path: Path, ledger_env: Path
) -> None:
    yl = community["YL"]
    plain = tmp_path / "yl-without-pii.db"
    yl("backup", "--without-pii", str(plain))
    roll(street, plain)
    street("check")
    own = yl.json("report", "monthly", "--month", "2026-11")
    group = street.json("report", "monthly", "--month", "2026-11", "--by", "office")["groups"][0]
    assert (group["key"], group["rates"], group["points"]) == ("杨柳社区", own["rates"], own["points"])
    conn = sqlite3.connect(ledger_env)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    assert b"13800000001" not in ledger_env.read_bytes()
    # the full copy after it differs in the steps that hold personal data: refused, not mixed in
    result = street("rollup", str(backup_of(yl)), code=1)
    assert "另一种副本" in result.stderr
