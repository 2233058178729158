"""``import --history``: rows recorded as they stood, closed when the file says 办结, never 待回访; rows that
contradict themselves refused with the row, the column and the fix; an ordinary import of what looks like
history suggests ``--history``; ``list --imported``."""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tests.support.cli import Wz
from wenzheng_cli.domain.models import Action, Event
from wenzheng_cli.domain.states import fold

pytestmark = pytest.mark.contract

HEADER = [
    "留言编号",
    "受理时间",
    "诉求内容",
    "承办单位",
    "答复意见",
    "答复时间",
    "办结时间",
    "办理状态",
    "满意度",
]
ANSWER = "经核实，路灯线路老化，已于3月5日更换线路并恢复照明，感谢您的监督。"
ROWS = [
    # answered, with a unit and a rating: assigned, resolved, closed with the rating
    ["H1", "2019-03-01 09:00", "3号楼路灯不亮", "市政所", ANSWER, "2019-03-06 10:00", "", "", "满意"],
    # a 办结 time and a 不满意: closed all the same (the file says 办结), the rating kept as data
    ["H2", "2019-03-02 09:00", "小区垃圾清运不及时", "", "", "", "2019-03-09", "", "不满意"],
    # a unit and nothing else: assigned, as it stood
    ["H3", "2019-03-03 09:00", "楼道堆放杂物", "物业公司", "", "", "", "", ""],
    # nothing but the request: registered
    ["H4", "2019-03-04 09:00", "噪音扰民", "", "", "", "", "", ""],
    # 已办结 with only an acknowledgement's time: closed at that time, its rating unknown
    ["H5", "2019-03-05 09:00", "井盖缺失", "", "您的留言已收悉。", "2019-03-07 15:00", "", "已办结", ""],
]


def _csv(path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _events(db: Path, number: str) -> list[dict[str, Any]]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT e.action, e.at, e.payload, e.origin FROM events e JOIN cases c ON c.id = e.case_id"
            " WHERE c.number = ? ORDER BY e.seq",
            (number,),
        ).fetchall()
    return [{"action": a, "at": at, "payload": json.loads(p), "origin": o} for a, at, p, o in rows]


def _by_key(wz: Wz) -> dict[str, dict[str, Any]]:
    cases = wz.json("list", "--show-pii")
    found = {}
    for case in cases:
        shown = wz.json("show", case["number"])
        key = next(e["source_key"] for e in shown["events"] if e["action"] == "intake")
        found[key.rpartition(":")[2]] = case
    return found


def test_history_is_recorded_as_it_stood_and_never_left_to_revisit(
    wz: Wz, tmp_path: Path, ledger_env: Path
) -> None:
    path = _csv(tmp_path / "历史台账.csv", ROWS)
    result = wz.json("import", str(path), "--history")
    assert (result["imported"], result["resolved"], result["invalid"]) == (5, 3, 0)
    cases = _by_key(wz)
    shown = {
        key: (c["status"], c["rating"], c["closed_at"], c["unit"], c["history"]) for key, c in cases.items()
    }
    assert shown == {
        "H1": ("closed", "satisfied", "2019-03-06T10:00:00+08:00", "市政所", True),
        "H2": ("closed", "dissatisfied", "2019-03-09T00:00:00+08:00", None, True),
        "H3": ("assigned", None, None, "物业公司", True),
        "H4": ("registered", None, None, None, True),
        "H5": ("closed", None, "2019-03-07T15:00:00+08:00", None, True),
    }
    assert all(c["office"] == "WZ" for c in cases.values())
    assert not [c for c in cases.values() if c["status"] == "resolved"]  # none 待回访

    events = _events(ledger_env, cases["H1"]["number"])
    assert [e["action"] for e in events] == ["intake", "assign", "resolve", "revisit"]
    assert events[0]["payload"]["history"] is True
    assert events[1]["payload"] == {"imported": True, "unit": "市政所"}
    assert events[2]["payload"]["imported"] is True
    assert events[3]["payload"] == {
        "imported": True,
        "history": True,
        "effect": "closed",
        "rating": "satisfied",
    }
    assert events[3]["at"] == "2019-03-06T10:00:00+08:00"
    assert all(e["origin"] == "import" for e in events)
    # a revisit without a rating: 销账 recorded from history, its rating unknown
    closing = _events(ledger_env, cases["H5"]["number"])[-1]
    assert closing["payload"] == {"imported": True, "history": True, "effect": "closed"}

    assert "全部一致" in wz("check").stdout
    assert "销账" in wz("show", cases["H5"]["number"]).stdout


def test_a_week_after_a_history_import_lists_only_live_work(wz: Wz, tmp_path: Path) -> None:
    wz.json("import", str(_csv(tmp_path / "历史台账.csv", ROWS)), "--history")
    live = wz.json("intake", "5号楼电梯停运", "--at", "2026-11-10")["number"]
    week = wz.json("report", "weekly")
    listed = {key: [c["number"] for c in week[key]] for key in ("carried_over", "report_back", "overdue")}
    assert listed == {"carried_over": [live], "report_back": [live], "overdue": []}
    # the two rows the file left open (H3, H4) are left out, and the 台账 says how many
    assert week["left_out"] == {"history_open": 2}
    note = "注：结转未销账、下周二通报不列 2 件历史导入的未办结件（按文件原样记录，导入后无人办理）"
    assert note in wz("report", "weekly", "--format", "markdown").stdout
    assert note in wz("report", "weekly", "--format", "csv").stdout


def test_a_step_on_open_history_makes_it_live_work_again(wz: Wz, tmp_path: Path) -> None:
    wz.json("import", str(_csv(tmp_path / "历史台账.csv", ROWS)), "--history")
    open_ones = {c["description"]: c["number"] for c in wz.json("list", "--imported", "--status", "open")}
    wz("claim", open_ones["楼道堆放杂物"])  # assigned to 物业公司 by the file; a clerk takes it up
    week = wz.json("report", "weekly")
    assert [c["number"] for c in week["carried_over"]] == [open_ones["楼道堆放杂物"]]
    assert week["left_out"] == {"history_open": 1}
    wz("assign", open_ones["噪音扰民"], "--unit", "派出所")
    week = wz.json("report", "weekly")
    assert sorted(c["number"] for c in week["carried_over"]) == sorted(open_ones.values())
    assert "left_out" not in week


def test_a_history_import_again_adds_nothing(wz: Wz, tmp_path: Path, ledger_env: Path) -> None:
    path = _csv(tmp_path / "历史台账.csv", ROWS)
    wz.json("import", str(path), "--history")
    with sqlite3.connect(ledger_env) as conn:
        before = conn.execute("SELECT COUNT(*) FROM events").fetchone()[0]
    again = wz.json("import", str(path), "--history")
    assert (again["imported"], again["updated"], again["skipped_existing"]) == (0, 0, 5)
    with sqlite3.connect(ledger_env) as conn:
        assert conn.execute("SELECT COUNT(*) FROM events").fetchone()[0] == before


def _refused(wz: Wz, tmp_path: Path, row: list[str], *extra: str) -> str:
    path = _csv(tmp_path / "有误.csv", [ROWS[0], row])
    result = wz.fail("import", str(path), "--history", *extra)
    assert wz.json("list") == []  # nothing written
    return result.stdout + result.stderr


def test_a_rating_without_a_conclusion_is_refused_naming_the_row_and_column(wz: Wz, tmp_path: Path) -> None:
    out = _refused(wz, tmp_path, ["H9", "2019-03-01 09:00", "路面破损", "", "", "", "", "", "满意"])
    assert "满意度" in out and "没有办结" in out and "3" in out and "补上办结时间" in out


def test_a_conclusion_before_the_intake_is_refused(wz: Wz, tmp_path: Path) -> None:
    row = ["H9", "2019-03-10 09:00", "路面破损", "", "", "", "2019-03-01", "", "满意"]
    out = _refused(wz, tmp_path, row)
    assert "办结时间" in out and "早于受理时间" in out


def test_a_done_state_without_any_time_is_refused_as_history(wz: Wz, tmp_path: Path) -> None:
    out = _refused(wz, tmp_path, ["H9", "2019-03-01 09:00", "路面破损", "", "", "", "", "已办结", ""])
    assert "办理状态" in out and "--history" in out


def test_an_unreadable_rating_is_refused_with_the_words_to_write(wz: Wz, tmp_path: Path) -> None:
    out = _refused(
        wz, tmp_path, ["H9", "2019-03-01 09:00", "路面破损", "", "", "", "2019-03-02", "", "还行吧"]
    )
    assert "还行吧" in out and "基本满意" in out


def test_rows_that_contradict_themselves_go_to_the_rejects_with_skip_invalid(wz: Wz, tmp_path: Path) -> None:
    bad = ["H9", "2019-03-01 09:00", "路面破损", "", "", "", "", "", "满意"]
    path = _csv(tmp_path / "有误.csv", [ROWS[0], bad])
    rejects = tmp_path / "未导入.csv"
    result = wz.json("import", str(path), "--history", "--skip-invalid", "--rejects", str(rejects))
    assert (result["imported"], result["invalid"]) == (1, 1)
    text = rejects.read_text(encoding="utf-8-sig")
    assert "H9" in text and "满意度" in text


def test_without_history_a_rating_is_kept_and_the_case_waits_for_its_revisit(wz: Wz, tmp_path: Path) -> None:
    wz.json("import", str(_csv(tmp_path / "台账.csv", ROWS[:1])))
    (case,) = wz.json("list")
    assert (case["status"], case["rating"], case["history"]) == ("resolved", None, False)
    assert "满意度" in (wz.json("show", case["number"])["events"][0]["extra"])


def test_an_import_that_looks_like_history_suggests_history(wz: Wz, tmp_path: Path) -> None:
    old = [
        [f"O{i}", f"2019-04-0{i} 09:00", f"第{i}件", "", ANSWER, f"2019-04-0{i + 1} 09:00", "", "", ""]
        for i in range(1, 7)
    ]
    path = _csv(tmp_path / "旧台账.csv", old)
    plain = wz("import", str(path), "--json", "--dry-run")
    assert "--history" in plain.stderr and "提示" in plain.stderr
    assert "--history" not in plain.stdout  # the JSON is the import's result alone
    assert wz("import", str(path), "--history", "--dry-run").stderr == ""
    # on a ledger that began before those rows, they are no history
    wz.json("intake", "早年的一件", "--at", "2019-01-01")
    assert "--history" not in wz("import", str(path), "--json").stderr


def test_list_imported_with_other_filters(wz: Wz, tmp_path: Path) -> None:
    typed = wz.json("intake", "3号楼路灯不亮")["number"]
    wz.json("import", str(_csv(tmp_path / "历史台账.csv", ROWS)), "--history")
    imported = wz.json("list", "--imported")
    assert len(imported) == 5 and typed not in {c["number"] for c in imported}
    assert {c["status"] for c in wz.json("list", "--imported", "--status", "open")} == {
        "assigned",
        "registered",
    }
    assert len(wz.json("list", "--imported", "--status", "closed", "--search", "路灯")) == 1
    assert "共 5 件" in wz("list", "--imported").stdout


def _event(action: Action, payload: dict[str, Any], at: str) -> Event:
    return Event(f"e{at}", "c1", action, at, at, "clerk", payload, "import")


def test_the_state_machine_closes_on_a_history_revisit_whatever_its_rating() -> None:
    intake = {
        "number": "WZ-2019-0001",
        "office": "WZ",
        "year": 2019,
        "seq": 1,
        "description": "x",
        "history": True,
    }
    resolve = {"imported": True, "outcome": "solved"}
    for rating in (None, "dissatisfied"):
        revisit: dict[str, Any] = {"imported": True, "history": True, "effect": "closed"}
        if rating:
            revisit["rating"] = rating
        case = fold(
            [
                _event(Action.INTAKE, intake, "2019-01-01T09:00:00+08:00"),
                _event(Action.RESOLVE, resolve, "2019-01-02T09:00:00+08:00"),
                _event(Action.REVISIT, revisit, "2019-01-02T09:00:00+08:00"),
            ]
        )
        assert case is not None
        assert (case.status.value, case.rating, case.round, case.history) == ("closed", rating, 1, True)


def test_history_again_closes_what_an_ordinary_import_left_to_revisit(
    wz: Wz, tmp_path: Path, ledger_env: Path
) -> None:
    path = _csv(tmp_path / "历史台账.csv", ROWS)
    wz.json("import", str(path))
    cases = _by_key(wz)
    assert cases["H1"]["status"] == "resolved"
    wz("note", cases["H5"]["number"], "已电话联系居民")  # a clerk took it up: live work, left to its revisit
    again = wz.json("import", str(path), "--history")
    assert (again["imported"], again["updated"], again["skipped_existing"]) == (0, 2, 3)  # H1 and H2
    cases = _by_key(wz)
    assert (cases["H1"]["status"], cases["H1"]["rating"]) == ("closed", "satisfied")
    assert cases["H5"]["status"] == "resolved"
    assert cases["H1"]["history"] is False  # entered as live work; only its closing came from history
    assert "全部一致" in wz("check").stdout
    assert wz.json("import", str(path), "--history")["updated"] == 0


def test_a_later_history_export_that_concludes_an_open_case_closes_it(wz: Wz, tmp_path: Path) -> None:
    wz.json("import", str(_csv(tmp_path / "一月.csv", ROWS)), "--history")
    later = [
        ["H3", "2019-03-03 09:00", "楼道堆放杂物", "物业公司", ANSWER, "2019-03-20 10:00", "", "", "基本满意"]
    ]
    result = wz.json("import", str(_csv(tmp_path / "二月.csv", later)), "--history")
    assert result["updated"] == 1
    case = _by_key(wz)["H3"]
    assert (case["status"], case["rating"], case["closed_at"]) == (
        "closed",
        "basically_satisfied",
        "2019-03-20T10:00:00+08:00",
    )
    assert "全部一致" in wz("check").stdout


def test_a_ledger_from_before_history_upgrades_in_place(wz: Wz, tmp_path: Path) -> None:
    import pytest

    from wenzheng_cli.store import schema
    from wenzheng_cli.store.ledger import open_ledger

    before = [name for name, _ in schema.MIGRATIONS].index("m012_history")
    mp = pytest.MonkeyPatch()
    mp.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:before])  # as a ledger was before m012
    old = tmp_path / "old.db"
    try:
        open_ledger(old, create=True).close()
    finally:
        mp.undo()
    with sqlite3.connect(old) as conn:
        columns = {row[1] for row in conn.execute("PRAGMA table_info(cases)")}
    assert "history" not in columns
    wz.json("intake", "3号楼路灯不亮", "--db", str(old))  # opens the ledger: upgraded in place
    with sqlite3.connect(old) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.latest()
    assert wz.json("list", "--db", str(old))[0]["history"] is False
    assert "全部一致" in wz("check", "--db", str(old)).stdout


def test_a_row_resolved_on_the_spot_is_closed_when_received(wz: Wz, tmp_path: Path) -> None:
    rows = [["2019-05-01 10:00", "楼道灯坏了", "现场更换灯泡", "满意"]]
    path = _csv(tmp_path / "走访.csv", rows, ["受理时间", "诉求内容", "办理结果", "满意度"])
    wz.json("import", str(path), "--history")
    (case,) = wz.json("list")
    assert (case["status"], case["closed_at"], case["rating"]) == (
        "closed",
        "2019-05-01T10:00:00+08:00",
        "satisfied",
    )
    assert "全部一致" in wz("check").stdout
