"""Unknown is not zero: a ledger of typed cases and imported rows (an ordinary import of a 留言板 export with
承办单位 and replies, and history imported with ``--history``) whose every rate, ranking and trend month equals
a hand count that leaves out the cases whose fact no file carried; ``left_out`` and the footnote say how many;
延期 (``extended``) is counted apart."""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from tests.support.cli import Wz
from tests.test_metrics import LIMITS as METRIC_LIMITS
from tests.test_metrics import RULES as METRIC_RULES
from tests.test_metrics import lifecycles
from wenzheng_cli.domain.metrics import FACTS_PAYLOAD, Limits, facts_of, track
from wenzheng_cli.domain.models import Action, Event
from wenzheng_cli.domain.states import live
from wenzheng_cli.domain.tally import RATES, Rules, Tally
from wenzheng_cli.store import reports as store_reports

pytestmark = pytest.mark.contract

RATE_KEYS = list(RATES)

# History (``--history``): recorded as they stood, closed when the file says 办结.
HISTORY = [
    ["留言编号", "留言时间", "社区", "留言详情", "承办单位", "答复意见", "答复时间", "办结时间", "满意度"],
    # H1 东苑: a reply (the 留言板 answer is the feedback) and the file's rating 满意 → closed, rated.
    ["H1", "2026-08-10 09:00", "东苑", "东苑3号楼路灯不亮多日", "城管科",
     "经现场核查，路灯线路已于当日修复，夜间照明已恢复正常。", "2026-08-12 10:00", "", "满意"],
    # H2 西苑: a 办结 time and nothing else → closed, nothing known of feedback, revisit or rating.
    ["H2", "2026-08-11 09:00", "西苑", "西苑门口占道经营严重", "城管执法中队", "", "", "2026-08-13 16:00", ""],
    # H3 西苑 (September): the same as H2, alone in its month → every rate but 办结率 and 重办率 unknown.
    ["H3", "2026-09-08 09:00", "西苑", "西苑菜场污水横流", "环卫所", "", "", "2026-09-10 16:00", ""],
]  # fmt: skip
# October, imported as live cases (no ``--history``).
OCTOBER = [
    ["留言编号", "留言时间", "社区", "留言详情", "承办单位", "答复意见", "答复时间", "办结时间"],
    # K1 东苑 (Mon): a unit, no reply → assigned by the file; claimed later at the counter (then known).
    ["K1", "2026-10-12 09:00", "东苑", "东苑5号楼外墙脱落", "城管科", "", "", ""],
    # K2 东苑 (Tue): a unit and a reply → assigned and resolved by the file, feedback by the 留言板 answer.
    ["K2", "2026-10-13 09:00", "东苑", "东苑小区垃圾无人清运", "环卫所",
     "经现场核查，垃圾已于当日全部清运完毕，小区环境已恢复整洁。", "2026-10-15 10:00", ""],
    # K3 西苑 (Wed): a unit and a 办结 time, no reply → resolved by the file, no feedback known.
    ["K3", "2026-10-14 09:00", "西苑", "西苑7号楼下水道堵塞", "城管执法中队", "", "", "2026-10-16 16:00"],
    # K4 西苑 (Thu): a unit, no reply → assigned by the file, still open.
    ["K4", "2026-10-15 09:00", "西苑", "西苑广场夜间噪音扰民", "城管执法中队", "", "", ""],
]  # fmt: skip


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def act(wz: Wz, command: str, ref: str, at: str, *options: str) -> None:
    wz(command, ref, *options, "--at", f"2026-{at}")


def intake(wz: Wz, text: str, community: str, at: str) -> str:
    return str(wz.json("intake", text, "--community", community, "--at", f"2026-{at}")["number"])


def build(wz: Wz, tmp_path: Path) -> dict[str, str]:
    """The ledger of the module's docstring. Mid-October Mon–Fri are working days; the claim limit is the end
    of the next working day, the feedback limit 5 working days from receipt (the day itself not counted)."""
    wz("init", "--office", "WZ", "--name", "杨柳街道")
    wz("config", "add", "communities", "东苑", "西苑")
    wz("import", str(write_csv(tmp_path / "history.csv", HISTORY)), "--history")
    wz("import", str(write_csv(tmp_path / "october.csv", OCTOBER)))
    n = {c["description"][:4]: c["number"] for c in wz.json("list", "--limit", "0")}
    # K1: the counter claims it on 10-20 (the limit ended 10-13: late, but the claim is known now).
    act(wz, "claim", n["东苑5号"], "10-20 09:00", "--operator", "王芳")
    # T1 东苑 (Mon 10-19): claimed in time, resolved on time with phone feedback, 满意.
    t1 = n["T1"] = intake(wz, "东苑花坛破损", "东苑", "10-19 09:00")
    act(wz, "assign", t1, "10-19 10:00", "--to", "王芳", "--unit", "城管科", "--due", "2026-10-23")
    act(wz, "claim", t1, "10-19 14:00", "--operator", "王芳")
    act(wz, "resolve", t1, "10-21 16:00", "--result", "已修复", "--feedback", "电话", "--operator", "王芳")
    act(wz, "revisit", t1, "10-22 10:00", "--rating", "满意")
    # T2 东苑 (Tue 10-20): claimed late (10-22), extended from 10-23 to 10-27, resolved 10-26 (on time: the
    # due date in force), no feedback, not revisited.
    t2 = n["T2"] = intake(wz, "东苑井盖松动", "东苑", "10-20 09:00")
    act(wz, "assign", t2, "10-20 10:00", "--to", "李强", "--unit", "环卫所", "--due", "2026-10-23")
    act(wz, "claim", t2, "10-22 09:00", "--operator", "李强")
    act(wz, "extend", t2, "10-23 09:00", "--due", "2026-10-27", "--reason", "等待配件")
    act(wz, "resolve", t2, "10-26 10:00", "--result", "已加固", "--operator", "李强")
    # T3 西苑 (Wed 10-21): claimed in time, due 10-26, still open at the end of October → overdue.
    t3 = n["T3"] = intake(wz, "西苑路面坑洼", "西苑", "10-21 09:00")
    act(wz, "assign", t3, "10-21 10:00", "--to", "赵敏", "--unit", "物业公司", "--due", "2026-10-26")
    act(wz, "claim", t3, "10-21 11:00", "--operator", "赵敏")
    return n


def rates(*values: float | None) -> dict[str, float | None]:
    return dict(zip(RATE_KEYS, values, strict=True))


# 东苑 in October: K1 K2 T1 T2.
#   assigned 4; claim of K2 unknown (the file's assignment, no claim) → claimed K1 T1 T2 = 3 of 3 known.
#   responded T1 = 1 of 3 (K1 claimed long after its limit, T2 a day late).
#   resolved K2 T1 T2 = 3 of 4; closed T1.
#   按期: K2 had no due date (the file carries none: left out); T1 on time, T2 on time by its extension → 2/2.
#   反馈: K2 (留言板答复) T1 (电话) given, T2 none → 2/3. 按时反馈: K1 none by 10-19 (late), K2 10-15 ≤ 10-20,
#   T1 10-21 ≤ 10-26, T2 none by 10-27 (late) → 2/4. 回访 T1 of 3 resolved. 满意 T1 1/1. 重办 0/3.
#   基层化解: T1 T2 at 社区 (level.assign); K2 has no level (the file's) → left out → 2/2.
#   committed T1 T2; 延期 T2; points: T1 closed +1.
#   score: 100 × (.15×1 + .1×1/3 + .25×3/4 + .15×1 + .1×2/3 + .25×1) = 83.75.
#   答复规范率: K2's answer is sound; T1's 已修复 and T2's 已加固 are too short → 1/3.
DONGYUAN_RATES = rates(1.0, 0.3333, 0.75, 1.0, 0.6667, 0.5, 0.3333, 1.0, 1.0, 0.0, 1.0, 0.3333)
DONGYUAN_LEFT_OUT = {"claim_rate": 1, "response_rate": 1, "on_time_rate": 1, "grassroots_rate": 1}
# 西苑 in October: K3 K4 T3.
#   assigned 3; claims of K3 and K4 unknown → T3 claimed, in time → 认领率 1/1, 响应率 1/1.
#   resolved K3 = 1 of 3. 按期: K3 no due date (left out) → none known: —. 反馈: K3 none known (left out) → —.
#   按时反馈: K3 left out; K4 (limit 10-22) and T3 (10-28) none by 10-31 → 0/2. 回访: K3 resolved, not
#   revisited (still 待回访, known) → 0/1. 满意: nobody rated → —. 重办 0/1. 基层化解: K3 left out → —.
#   overdue T3; points −2.
#   score: only the rates known count: 100 × (.15×1 + .1×1 + .25×1/3) / (.15 + .1 + .25) = 66.67.
#   答复规范率: K3 was concluded by the file without its reply (not judged: left out) → —.
XIYUAN_RATES = rates(1.0, 1.0, 0.3333, None, None, 0.0, 0.0, None, None, 0.0, None, None)
XIYUAN_LEFT_OUT = {
    "claim_rate": 2,
    "response_rate": 2,
    "on_time_rate": 1,
    "feedback_rate": 1,
    "on_time_feedback_rate": 1,
    "grassroots_rate": 1,
    "reply_ok_rate": 1,
}
# In all: claimed 4/4 known (K2 K3 K4 left out), responded 2/4, resolved 4/7, 按期 2/2, 反馈 2/3, 按时反馈
# 2/6, 回访 1/4, 满意 1/1, 一次满意 1/1, 重办 0/4, 基层化解 2/2.
# score: 100 × (.15×1 + .1×.5 + .25×4/7 + .15×1 + .1×2/3 + .25×1) = 80.95.
TOTAL_RATES = rates(1.0, 0.5, 0.5714, 1.0, 0.6667, 0.3333, 0.25, 1.0, 1.0, 0.0, 1.0, 0.3333)
TOTAL_LEFT_OUT = {
    "claim_rate": 3,
    "response_rate": 3,
    "on_time_rate": 2,
    "feedback_rate": 1,
    "on_time_feedback_rate": 1,
    "grassroots_rate": 2,
    "reply_ok_rate": 1,
}
# August (history): H1 and H2, both closed by the file. Claims unknown (2), no due dates (2), no levels (2);
# H2 without feedback, revisit or rating. Known: 办结 2/2; 反馈 H1 1/1; 按时反馈 H1 (10:00 08-12 ≤ 08-17)
# 1/1; 回访 H1 1/1 (the file's rating); 满意 1/1; 一次满意 1/1; 重办 0/2.
# 答复规范率: H1's answer is sound, H2 has none (left out) → 1/1.
AUGUST_RATES = rates(None, None, 1.0, None, 1.0, 1.0, 1.0, 1.0, 1.0, 0.0, None, 1.0)
AUGUST_LEFT_OUT = {
    "claim_rate": 2,
    "response_rate": 2,
    "on_time_rate": 2,
    "feedback_rate": 1,
    "on_time_feedback_rate": 1,
    "revisit_rate": 1,
    "satisfaction_rate": 1,
    "first_pass_satisfaction_rate": 1,
    "grassroots_rate": 2,
    "reply_ok_rate": 1,
}
# September (history): H3 alone, closed by a file that says nothing else: only 办结率 (1/1) and 重办率 (0/1).
SEPTEMBER_RATES = rates(None, None, 1.0, None, None, None, None, None, None, 0.0, None, None)
SEPTEMBER_LEFT_OUT = {key: 1 for key in RATE_KEYS if key not in ("completion_rate", "reopen_rate")}


@pytest.fixture
def ledger(wz: Wz, tmp_path: Path) -> dict[str, str]:
    return build(wz, tmp_path)


def test_the_files_wrote_what_the_hand_count_assumes(wz: Wz, ledger: dict[str, str]) -> None:
    """The imported steps carry ``imported``; K2's answer is a resolution with the 留言板 as its feedback."""
    k2 = wz.json("show", ledger["东苑小区"])
    steps = {e["action"]: e for e in k2["events"]}
    assert k2["status"] == "resolved" and k2["unit"] == "环卫所"
    assert steps["resolve"]["feedback"] == "留言板答复"
    h2 = wz.json("show", ledger["西苑门口"])
    assert h2["status"] == "closed" and h2["rating"] is None


def test_october_every_rate_leaves_the_unknowns_out(wz: Wz, ledger: dict[str, str]) -> None:
    report = wz.json("report", "monthly", "--month", "2026-10")
    groups = {g["key"]: g for g in report["groups"]}
    assert groups["东苑"]["rates"] == DONGYUAN_RATES
    assert groups["东苑"]["left_out"] == DONGYUAN_LEFT_OUT
    assert groups["西苑"]["rates"] == XIYUAN_RATES
    assert groups["西苑"]["left_out"] == XIYUAN_LEFT_OUT
    assert report["rates"] == TOTAL_RATES
    assert report["left_out"] == TOTAL_LEFT_OUT
    # Ranked on what is known: 西苑's unknown rates are not zeros.
    assert (groups["东苑"]["score"], groups["东苑"]["rank"]) == (83.75, 1)
    assert (groups["西苑"]["score"], groups["西苑"]["rank"]) == (66.67, 2)
    assert report["score"] == 80.95
    # The counts stay the counts of every case: 交办 7, of which 4 claims are known.
    totals = report["totals"]
    assert (totals["received"], totals["assigned"], totals["claimed"], totals["responded"]) == (7, 7, 4, 2)
    assert (totals["resolved"], totals["feedback"], totals["revisited"], totals["overdue_open"]) == (
        4,
        2,
        1,
        1,
    )
    assert (
        totals["extended"],
        groups["东苑"]["totals"]["extended"],
        groups["西苑"]["totals"]["extended"],
    ) == (
        1,
        1,
        0,
    )
    assert (groups["东苑"]["points"], groups["西苑"]["points"]) == (1.0, -2.0)
    # The JSON's order: left_out right after the rates, at the top and in each group.
    assert list(report)[:6] == ["period", "by", "totals", "rates", "left_out", "points"]
    assert list(groups["东苑"])[:4] == ["key", "totals", "rates", "left_out"]


def test_a_typed_claim_makes_an_imported_case_known(wz: Wz, ledger: dict[str, str]) -> None:
    """Before K1 is claimed at the counter (10-20), its claim is unknown; after, it is a late claim."""
    before = wz.json("report", "monthly", "--month", "2026-10", "--as-of", "2026-10-19")
    groups = {g["key"]: g for g in before["groups"]}
    # As of 10-19 23:59:59: 东苑 K1 K2 (imported, unclaimed) and T1 (claimed in time).
    assert groups["东苑"]["left_out"]["claim_rate"] == 2
    assert groups["东苑"]["rates"]["claim_rate"] == 1.0 and groups["东苑"]["rates"]["response_rate"] == 1.0
    after = {g["key"]: g for g in wz.json("report", "monthly", "--month", "2026-10")["groups"]}
    assert after["东苑"]["left_out"]["claim_rate"] == 1


def test_history_months_show_a_dash_where_nothing_is_known(wz: Wz, ledger: dict[str, str]) -> None:
    trend = wz.json("report", "trend", "--months", "3", "--until", "2026-10", "--by", "community")
    months = {m["month"]: m for m in trend["months"]}
    assert months["2026-08"]["rates"] == AUGUST_RATES
    assert months["2026-08"]["left_out"] == AUGUST_LEFT_OUT
    assert months["2026-09"]["rates"] == SEPTEMBER_RATES
    assert months["2026-09"]["left_out"] == SEPTEMBER_LEFT_OUT
    assert months["2026-10"]["rates"] == TOTAL_RATES
    assert months["2026-10"]["totals"]["extended"] == 1
    # Each month is the month's 通报.
    for name, month in months.items():
        report = wz.json("report", "monthly", "--month", name)
        assert (month["totals"], month["rates"]) == (report["totals"], report["rates"])
        assert month.get("left_out") == report.get("left_out")
    xiyuan = {m["month"]: m for m in next(g for g in trend["groups"] if g["key"] == "西苑")["months"]}
    assert xiyuan["2026-09"]["rates"] == SEPTEMBER_RATES
    assert xiyuan["2026-10"]["left_out"] == XIYUAN_LEFT_OUT
    table = wz("report", "trend", "--months", "3", "--until", "2026-10").stdout
    september = next(line for line in table.splitlines() if line.startswith(("│2026-09", "2026-09")))
    cells = [cell.strip() for cell in september.split("│")]
    assert cells[5:9] == ["100.0%", "—", "—", "—"]  # 办结率 known; 按期办结率, 按时反馈率, 满意率 not
    assert "注（各月合计）：认领率、响应率不计 6 件导入件（文件未载认领时间）" in table


def test_the_figures_kept_for_a_month_keep_what_they_left_out(wz: Wz, ledger: dict[str, str]) -> None:
    first = wz("report", "monthly", "--month", "2026-10", "--json").stdout
    again = wz("report", "monthly", "--month", "2026-10", "--json").stdout  # read from report_figures
    assert again == first and '"left_out"' in again


NOTE = "注：认领率、响应率不计 3 件导入件（文件未载认领时间）；按期办结率不计 2 件导入件（文件未载办理时限）"


def test_every_format_says_what_the_rates_leave_out(wz: Wz, ledger: dict[str, str], tmp_path: Path) -> None:
    month = ("report", "monthly", "--month", "2026-10")
    table = wz(*month).stdout
    assert "".join(NOTE.split()) in "".join(table.split())  # wrapped to the terminal
    assert NOTE in wz(*month, "--format", "markdown").stdout
    rows = list(csv.reader(io.StringIO(wz(*month, "--format", "csv").stdout_bytes.decode("utf-8-sig"))))
    assert any(row and row[0].startswith(NOTE) for row in rows)
    target = tmp_path / "通报.xlsx"
    wz(*month, "--output", str(target))
    cells = [c.value for row in load_workbook(target)["通报"].iter_rows() for c in row if c.value]
    assert any(isinstance(v, str) and v.startswith(NOTE) for v in cells)
    assert NOTE in wz(*month, "--format", "html").stdout
    header = rows[1]
    assert header[header.index("提级") + 1] == "延期"
    trend = ("report", "trend", "--months", "3", "--until", "2026-10")
    said = "注（各月合计）：认领率、响应率不计 6 件导入件"
    assert said in wz(*trend, "--format", "markdown").stdout
    assert said in wz(*trend, "--format", "csv").stdout_bytes.decode("utf-8-sig")
    assert said in wz(*trend, "--format", "html").stdout


def test_a_ledger_without_imports_has_no_left_out_key(wz: Wz) -> None:
    wz("init", "--office", "WZ")
    number = str(wz.json("intake", "路灯不亮", "--at", "2026-10-12 09:00")["number"])
    wz("assign", number, "--unit", "城管科", "--due", "2026-10-16", "--at", "2026-10-12 10:00")
    report = wz.json("report", "monthly", "--month", "2026-10")
    assert "left_out" not in report and all("left_out" not in g for g in report["groups"])
    trend = wz.json("report", "trend", "--months", "2", "--until", "2026-10")
    assert all("left_out" not in m for m in trend["months"])
    assert "注：" not in wz("report", "monthly", "--month", "2026-10").stdout


def test_extended_counts_cases_given_a_later_due_date(wz: Wz) -> None:
    """Two extensions of one case are one case extended; a case never extended is not."""
    wz("init", "--office", "WZ")
    wz("config", "add", "communities", "东苑", "西苑")
    a = intake(wz, "路灯不亮", "东苑", "10-12 09:00")
    b = intake(wz, "垃圾清运", "西苑", "10-12 09:30")
    for number in (a, b):
        act(wz, "assign", number, "10-12 10:00", "--unit", "城管科", "--due", "2026-10-16")
    act(wz, "extend", a, "10-14 09:00", "--due", "2026-10-20", "--reason", "等待配件")
    act(wz, "extend", a, "10-19 09:00", "--within", "2wd", "--reason", "再等配件")
    shown = wz.json("show", a)
    assert shown["due_at"].startswith("2026-10-22")  # --within counts from the due date in force (10-20)
    report = wz.json("report", "monthly", "--month", "2026-10")
    groups = {g["key"]: g["totals"]["extended"] for g in report["groups"]}
    assert (report["totals"]["extended"], groups) == (1, {"东苑": 1, "西苑": 0})
    follow = wz("report", "monthly", "--month", "2026-10").stdout
    assert "延期" in follow


def test_the_extend_help_says_what_is_counted(wz: Wz) -> None:
    text = "".join(wz("extend", "--help").stdout.split())
    assert "考核仍按原时限" not in text
    assert "按期办结率按办结时有效的时限计" in text and "延期过的件数在月通报中另计" in text
    assert "--within从现有时限起算" in text


# --- the fold and the store on imported events ----------------------------------------------------------------

AT = "2026-10-12T09:00:00+08:00"
LATER = "2026-10-20T09:00:00+08:00"
LIMITS = Limits(claim=lambda _: "2026-10-13T23:59:59+08:00", feedback=lambda _: "2026-10-19T23:59:59+08:00")
RULES = Rules(satisfied=frozenset({"satisfied"}), level_rank={"社区": 1}, grassroots_rank=2)
INTAKE = {"number": "WZ-2026-0001", "office": "WZ", "year": 2026, "seq": 1, "description": "路灯不亮"}


def fold(*steps: tuple[Action, dict[str, Any]]) -> Tally:
    events = [Event("e0", "c1", Action.INTAKE, AT, AT, "clerk", INTAKE)]
    for i, (action, payload) in enumerate(steps, 1):
        events.append(Event(f"e{i}", "c1", action, f"2026-10-1{i}T10:00:00+08:00", AT, "clerk", payload))
    t = track((facts_of(e) for e in events), LATER, LIMITS)
    assert t is not None
    tally = Tally()
    tally.add(t, difficulty=None, activity_id=None, category=None, as_of=LATER, rules=RULES)
    return tally


def test_a_history_close_with_a_rating_is_a_known_revisit() -> None:
    rated = fold(
        (Action.ASSIGN, {"imported": True, "unit": "城管科"}),
        (Action.RESOLVE, {"imported": True}),
        (Action.REVISIT, {"imported": True, "history": True, "effect": "closed", "rating": "satisfied"}),
    )
    assert rated.rates()["revisit_rate"] == 1.0 and rated.rates()["feedback_rate"] == 1.0
    assert rated.rates()["satisfaction_rate"] == 1.0
    assert rated.left_out_by_rate() == {
        "claim_rate": 1,
        "response_rate": 1,
        "on_time_rate": 1,
        "grassroots_rate": 1,
        "reply_ok_rate": 1,  # closed without its reply: not judged
    }


def test_typed_steps_are_known_whatever_they_lack() -> None:
    """A typed assignment never claimed is unclaimed (0), a typed resolution without a method no feedback."""
    typed = fold(
        (Action.ASSIGN, {"unit": "城管科", "level": "社区", "due_at": "2026-10-16T23:59:59+08:00"}),
        (Action.RESOLVE, {"result": "ok", "reply_flags": ["too_short"]}),
    )
    assert typed.left_out_by_rate() == {}
    assert typed.rates()["claim_rate"] == 0.0 and typed.rates()["feedback_rate"] == 0.0
    assert typed.rates()["reply_ok_rate"] == 0.0


@pytest.mark.parametrize("action", [Action.ASSIGN, Action.RESOLVE, Action.REVISIT], ids=str)
def test_the_store_reads_imported_as_the_fold_does(action: Action) -> None:
    payload = {"imported": True, "unit": "城管科", "rating": "satisfied", "effect": "closed"}
    for sample in (payload, {k: v for k, v in payload.items() if k != "imported"}):
        e = Event("e1", "c1", action, AT, AT, "clerk", sample)
        with sqlite3.connect(":memory:") as conn:
            conn.execute("CREATE TABLE events (action TEXT, at TEXT, payload TEXT)")
            conn.execute("INSERT INTO events VALUES (?, ?, ?)", (e.action.value, e.at, json.dumps(sample)))
            row = conn.execute(f"SELECT {store_reports._FACTS} FROM events e").fetchone()
        at = 2 + [name for name, _ in FACTS_PAYLOAD].index("imported")  # after (action, at)
        assert bool(row[at]) is facts_of(e)[at] is ("imported" in sample)


def test_figures_kept_by_the_earlier_count_are_counted_again(wz: Wz, ledger: dict[str, str]) -> None:
    """Figures kept before unknowns were left out (``FIGURES_VERSION`` 1, no ``left_out``) are sound to
    ``check`` but never reused: the month is counted again."""
    first = wz("report", "monthly", "--month", "2026-10", "--json").stdout
    conn = sqlite3.connect(os.environ["WENZHENG_DB"])
    with conn:
        key, data = conn.execute("SELECT key, data FROM report_figures WHERE month = '2026-10'").fetchone()
        groups = json.loads(data)
        for _, tally in groups:
            del tally["left_out"]
            tally["counts"]["claimed"] = 0  # what a stale count would show
        old_key = "1|" + key.split("|", 1)[1]
        conn.execute("UPDATE report_figures SET key = ?, data = ?", (old_key, json.dumps(groups)))
    conn.close()
    assert wz.json("check")["problems"] == []
    assert wz("report", "monthly", "--month", "2026-10", "--json").stdout == first


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(lifecycles(), st.lists(st.booleans(), min_size=20, max_size=20)), min_size=1, max_size=8
    )
)
def test_every_rate_over_known_cases_is_a_fraction(cases: list[tuple[list[Event], list[bool]]]) -> None:
    """Steps marked as a file's at random (a closing revisit without its rating too): each rate still lies in
    0..1, and a rate leaves out no more cases than its denominator holds."""
    tally = Tally()
    for events, marks in cases:
        marked = []
        for event, mark in zip(events, marks + [False] * len(events), strict=False):
            payload = dict(event.payload)
            if mark and event.action in (Action.ASSIGN, Action.RESOLVE, Action.REVISIT):
                payload["imported"] = True
                if event.action is Action.REVISIT and payload.get("effect") == "closed" and marks[-1]:
                    payload.pop("rating")
            marked.append(replace(event, payload=payload))
        t = track((facts_of(e) for e in live(marked)), marked[-1].at, METRIC_LIMITS)
        assert t is not None
        tally.add(
            t, difficulty=None, activity_id=None, category=None, as_of=marked[-1].at, rules=METRIC_RULES
        )
    counts = tally.counts
    for key, (num, den) in tally.fractions().items():
        assert 0 <= num <= den, key
        assert den <= counts[RATES[key][1]]
    assert set(tally.left_out) <= set(RATES)
