"""Every result the command line shows is a typed value that round-trips through its JSON.

A rich ledger is built through the command line; each command is run with ``--json`` and its answer rebuilt
with its type's ``from_json``, which must write the same JSON again. Values made in-process from core results
must equal what their own JSON rebuilds (``from_json(to_json(x), **screen) == x``), and show the same.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from tests.support.cli import Wz
from tests.support.ledgers import built_once
from wenzheng_cli.domain.jsonvalue import JsonValue
from wenzheng_cli.render.admin import (
    ActivityList,
    ActivityView,
    BackupView,
    CheckView,
    OfficeView,
    SettingsView,
)
from wenzheng_cli.render.analysis import HotspotsView, SuggestView
from wenzheng_cli.render.batch import BatchView, RenamedView, UndoView
from wenzheng_cli.render.cases import CaseDone, CaseList, CaseView
from wenzheng_cli.render.importing import ImportView
from wenzheng_cli.render.rows import CaseRow
from wenzheng_cli.reports.monthly import MonthlyReport
from wenzheng_cli.reports.periods import Office
from wenzheng_cli.reports.trend import TrendReport
from wenzheng_cli.reports.weekly import WeeklyReport

pytestmark = pytest.mark.contract

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
OFFICE = Office("YL", "杨柳社区")


def _build(wz: Wz) -> dict[str, str]:
    wz("init", "--office", "YL", "--name", "杨柳社区")
    wz("config", "add", "communities", "杨柳", "清河")
    n: dict[str, str] = {}

    def intake(key: str, text: str, *args: str) -> str:
        n[key] = wz.json("intake", text, *args)["number"]
        return n[key]

    common = ("--community", "杨柳", "--category", "市政设施")
    intake(
        "lamp",
        "3号楼路灯不亮",
        "--resident",
        "李桂兰",
        "--phone",
        "13812345678",
        *common,
        "--at",
        "2026-11-10",
    )
    intake("late", "下水道堵塞", "--resident", "王建国", *common, "--at", "2026-11-02")
    wz("assign", n["late"], "--to", "张伟", "--due", "2026-11-05", "--at", "2026-11-02 10:00")
    wz("claim", n["late"], "--operator", "张伟", "--at", "2026-11-02 11:00")
    wz("supervise", n["late"], "--reason", "逾期", "--listed", "--at", "2026-11-12")
    wz("note", n["late"], "已联系疏通公司", "--at", "2026-11-13")
    intake("done", "楼道堆放杂物", "--phone", "0532-88886666", "--at", "2026-11-03")
    wz("assign", n["done"], "--to", "张伟", "--within", "5wd", "--at", "2026-11-03 10:00")
    wz("resolve", n["done"], "--operator", "张伟", "--result", "已清理", "--at", "2026-11-11")
    wz("revisit", n["done"], "--rating", "满意", "--method", "电话", "--at", "2026-11-12")
    intake("twin", "3号楼路灯又不亮了", *common, "--at", "2026-11-11")
    wz("withdraw", n["twin"], "--reason", "重复", "--duplicate-of", n["lamp"])
    wz("amend", n["lamp"], "--resident", "李兰", "--reason", "姓名录错")
    wz("amend", n["lamp"], "--phone", "13900001111", "--reason", "电话录错")
    wz("undo", n["lamp"], "--yes")
    intake("site", "咨询高龄津贴", "--on-site", "当场讲解", "--at", "2026-11-12")
    wz("activity", "add", "11月居民问政日", "--at", "2026-11-17", "--kind", "问政日")
    wz("import", str(EXAMPLES / "tuesday-visit-gbk.csv"), "--skip-invalid")
    return n


@pytest.fixture
def ledger(wz: Wz) -> dict[str, str]:
    return built_once("roundtrip", wz, _build)


def _again(kind: type[JsonValue], data: Any, **screen: Any) -> None:
    """``data`` rebuilt as ``kind`` writes the same JSON again, and that value rebuilds equal to itself."""
    value = kind.from_json(data, **screen)
    assert value.to_json() == data
    assert json.dumps(value.to_json(), ensure_ascii=False) == json.dumps(data, ensure_ascii=False)
    assert kind.from_json(value.to_json(), **value.screen_values()) == value


def _shown(value: Any) -> str:
    out = io.StringIO()
    value.show(Console(file=out, width=160, color_system=None, markup=False, highlight=False))
    return out.getvalue()


def test_every_command_answers_with_json_its_type_rebuilds(
    wz: Wz, ledger: dict[str, str], tmp_path: Path
) -> None:
    n = ledger
    _again(CaseView, wz.json("show", n["lamp"]))
    _again(CaseView, wz.json("show", n["twin"], "--show-pii"))
    _again(CaseView, wz.json("show", n["late"]))
    _again(CaseList, wz.json("list"))
    _again(CaseList, wz.json("list", "--show-pii", "--limit", "2", "--offset", "1"))
    _again(CaseList, wz.json("list", "--duplicates"))
    _again(CaseList, wz.json("list", "--status", "withdrawn", "--search", "没有这样的"))
    _again(ActivityList, wz.json("activity", "list"))
    _again(SettingsView, wz.json("config", "show"))
    _again(CheckView, wz.json("check"))
    _again(SuggestView, {"category": [{"value": "市政设施", "score": 0.82}], "unit": []})
    _again(HotspotsView, wz.json("hotspots", "--since", "2026-10-01"))
    _again(ImportView, wz.json("import", str(EXAMPLES / "tuesday-visit-gbk.csv"), "--dry-run"))
    # Commands that change the ledger, each answer as it comes.
    _again(CaseDone, wz.json("intake", "5号楼电梯故障", "--resident", "赵淑芬"))
    _again(CaseDone, wz.json("assign", n["lamp"], "--unit", "城管科"))
    refused = json.loads(wz("claim", n["lamp"], n["done"], n["twin"], "--json", code=1).stdout)
    assert [row["ok"] for row in refused] == [True, False, False] and refused[1]["error"]
    _again(BatchView, refused)
    _again(UndoView, wz.json("undo", n["lamp"], "--yes"))
    wz("config", "add", "categories", "城乡建设")
    _again(RenamedView, wz.json("config", "rename", "category", "市政设施", "城乡建设"))
    _again(SettingsView, wz.json("config", "set", "span.default", "3wd"))
    _again(OfficeView, wz.json("init", "--name", "杨柳社区居委会"))
    _again(ActivityView, wz.json("activity", "add", "走访", "--at", "2026-11-20"))
    _again(BackupView, wz.json("backup", str(tmp_path / "copy.db")))


def test_reports_rebuild_from_their_json(wz: Wz, ledger: dict[str, str]) -> None:
    args: tuple[str, ...]
    for args in ((), ("--by", "community"), ("--by", "unit")):
        data = wz.json("report", "monthly", "--month", "2026-11", *args)
        monthly = MonthlyReport.from_dict(data, OFFICE)
        assert monthly.to_dict() == data
        assert MonthlyReport.from_dict(monthly.to_dict(), OFFICE) == monthly
    for args in ((), ("--by", "community")):
        data = wz.json("report", "trend", "--months", "3", "--until", "2026-11", *args)
        trend = TrendReport.from_dict(data, OFFICE)
        assert trend.to_dict() == data
        assert TrendReport.from_dict(trend.to_dict(), OFFICE) == trend
    for args in ((), ("--show-pii",), ("--community", "杨柳")):
        data = wz.json("report", "weekly", "--week", "2026-11-10", *args)
        weekly: WeeklyReport[CaseRow] = WeeklyReport.from_dict(data, OFFICE, CaseRow.from_json)
        again = weekly.to_dict(lambda case, more: case.to_json() | more)
        assert again == data
        assert WeeklyReport.from_dict(again, OFFICE, CaseRow.from_json) == weekly


def test_values_made_from_core_results_rebuild_equal_and_show_the_same(ledger: dict[str, str]) -> None:
    from wenzheng_cli.core import settings
    from wenzheng_cli.core.cases import show
    from wenzheng_cli.core.intake import list_activities
    from wenzheng_cli.core.integrity import check
    from wenzheng_cli.core.listing import ListQuery, find_cases, twins
    from wenzheng_cli.core.reports import monthly, trend
    from wenzheng_cli.core.session import Session

    session = Session.open(os.environ["WENZHENG_DB"], "clerk", create=False)
    try:
        values: list[JsonValue] = []
        for key in ("lamp", "twin", "late", "site"):
            case, events, found = show(session, ledger[key])
            values += [CaseView.of(case, events, pii, found) for pii in (False, True)]
            values += [CaseDone.of(case, "已交办", pii) for pii in (False, True)]
        cases, total = find_cases(session, ListQuery(limit=3))
        values.append(CaseList.of(cases, total, False, "2026-11-23T10:00:00+08:00", None, 0))
        flagged, total = find_cases(session, ListQuery(duplicates=True))
        values.append(CaseList.of(flagged, total, True, "", twins(session, flagged), 0))
        values.append(CheckView.of(check(session)))
        values.append(SettingsView.of(settings.show_config(session)))
        values.append(ActivityList.of(list_activities(session)))
        for value in values:
            rebuilt = type(value).from_json(value.to_json(), **value.screen_values())
            assert rebuilt == value
            assert _shown(rebuilt) == _shown(value)
        month = monthly(session, "2026-11", "community", None)
        assert MonthlyReport.from_dict(month.to_dict(), month.office) == month
        months = trend(session, 3, "2026-11", "community")
        assert TrendReport.from_dict(months.to_dict(), months.office) == months
    finally:
        session.close()


def test_a_show_rebuilt_from_json_shows_the_title_and_the_repeat(wz: Wz, ledger: dict[str, str]) -> None:
    """What ``show`` prints beyond the case's JSON keys is read from its events."""
    shown = _shown(CaseView.from_json(wz.json("show", ledger["twin"])))
    assert f"与 {ledger['lamp']} 重复" in shown
    assert shown == wz("show", ledger["twin"]).stdout
