"""``list``: the filters, --sort, paging, the phone column, duplicates, and --search through the index."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support.cli import Wz
from tests.support.imports import write_csv

pytestmark = pytest.mark.contract


def numbers(rows: list[dict[str, object]]) -> list[str]:
    return [str(r["number"])[-2:] for r in rows]


@pytest.fixture
def office(wz: Wz) -> Wz:
    wz("config", "add", "communities", "杨柳", "清河")
    wz("config", "add", "grids", "一网格", "二网格")
    cases = [
        ("3号楼路灯不亮", "杨柳", "一网格", "市政设施", "走访", "求助", "2026-11-16 9:00"),
        ("楼道堆放杂物", "杨柳", "二网格", "堆码物清理", "12345热线", "投诉", "2026-11-17 9:00"),
        ("楼上装修噪音扰民", "清河", "一网格", "噪音扰民", "走访", "投诉", "2026-11-18 9:00"),
        ("小区门口修路灯", "清河", "二网格", "市政设施", "微信", "建议", "2026-11-19 9:00"),
    ]
    for text, community, grid, category, channel, nature, at in cases:
        wz("intake", text, "--community", community, "--grid", grid, "--category", category,
           "--channel", channel, "--nature", nature, "--at", at)  # fmt: skip
    wz("assign", "1", "--to", "王芳", "--unit", "城管科", "--within", "1d", "--at", "2026-11-16 10:00")
    wz("assign", "2", "--unit", "物业公司", "--level", "网格", "--at", "2026-11-17 10:00")
    wz("escalate", "2", "--level", "街道", "--unit", "街道城管办", "--reason", "跨部门",
       "--at", "2026-11-18 9:30")  # fmt: skip
    wz("supervise", "1", "--reason", "超期", "--listed")
    return wz


def test_filters(office: Wz) -> None:
    wz = office
    assert numbers(wz.json("list", "--grid", "一网格")) == ["03", "01"]
    assert numbers(wz.json("list", "--category", "市政设施")) == ["04", "01"]
    assert numbers(wz.json("list", "--channel", "走访")) == ["03", "01"]
    assert numbers(wz.json("list", "--nature", "投诉")) == ["03", "02"]
    assert numbers(wz.json("list", "--unit", "城管科")) == ["01"]
    assert numbers(wz.json("list", "--level", "街道")) == ["02"]
    assert numbers(wz.json("list", "--supervised")) == ["01"]
    assert numbers(wz.json("list", "--community", "清河", "--category", "市政设施")) == ["04"]
    assert numbers(wz.json("list", "--overdue")) == ["01"]


def test_sort_and_paging(office: Wz) -> None:
    wz = office
    assert numbers(wz.json("list")) == ["04", "03", "02", "01"]
    assert numbers(wz.json("list", "--sort", "received")) == ["04", "03", "02", "01"]
    assert numbers(wz.json("list", "--sort=-received")) == ["01", "02", "03", "04"]
    assert numbers(wz.json("list", "--sort", "number")) == ["01", "02", "03", "04"]
    # Cases without a due date come last, whichever way.
    assert numbers(wz.json("list", "--sort", "due")) == ["01", "02", "04", "03"]
    assert numbers(wz.json("list", "--sort=-due")) == ["02", "01", "04", "03"]
    assert numbers(wz.json("list", "--sort", "类别")) == ["03", "02", "04", "01"]  # by code point
    assert numbers(wz.json("list", "--sort", "number", "--limit", "2", "--offset", "1")) == ["02", "03"]
    page = wz("list", "--sort", "number", "--limit", "2", "--offset", "2").stdout
    assert "共 4 件，显示第 3–4 件" in page
    assert "共 4 件，--offset 超出了范围" in wz("list", "--offset", "9").stdout
    refused = wz.fail("list", "--sort", "colour")
    assert refused.stderr.startswith("错误: 不能按「colour」排序\n提示: --sort 可选: received、updated、due")
    wz.fail("list", "--offset", "-1")


def test_phone_column_only_with_show_pii(wz: Wz, monkeypatch: pytest.MonkeyPatch) -> None:
    wz("intake", "3号楼楼道堆放杂物，影响通行", "--resident", "李桂兰", "--phone", "13812345678",
       "--community", "杨柳", "--grid", "一网格", "--category", "堆码物清理")  # fmt: skip
    wz("assign", "1", "--to", "王芳", "--unit", "城管科")
    shown = wz("list", "--show-pii").stdout
    assert "电话" in shown and "13812345678" in shown and "李桂兰" in shown
    masked = wz("list").stdout
    assert "电话" not in masked and "1381" not in masked and "李**" in masked
    monkeypatch.setenv("COLUMNS", "100")  # a narrow terminal: the name and phone asked for stay
    narrow = wz("list", "--show-pii").stdout
    assert "13812345678" in narrow and "李桂兰" in narrow and "堆码物清理" not in narrow


def test_withdrawn_duplicates_leave_the_duplicates_list(wz: Wz, tmp_path: Path) -> None:
    wz("intake", "楼道堆放杂物", "--phone", "13812345678", "--at", "2026-11-16 9:00")
    rows = [["受理时间", "联系电话", "诉求内容"], ["2026/11/17", "13812345678", "楼道里又堆满了"]]
    wz("import", str(write_csv(tmp_path / "visit.csv", rows)))
    assert numbers(wz.json("list", "--duplicates")) == ["02"]
    wz("withdraw", "2", "--duplicate-of", "1")
    assert wz.json("list", "--duplicates") == []
    assert "没有符合条件的案件" in wz("list", "--duplicates").stdout


def test_search_finds_words_of_two_characters_and_more(office: Wz, tmp_path: Path) -> None:
    wz = office
    assert numbers(wz.json("list", "--search", "路灯")) == ["04", "01"]  # 04 ends with 路灯
    assert numbers(wz.json("list", "--search", "路灯不亮")) == ["01"]
    assert numbers(wz.json("list", "--search", "堆放")) == ["02"]
    assert numbers(wz.json("list", "--search", "路灯 清河")) == []  # every word, in the text fields
    assert numbers(wz.json("list", "--search", "路灯 小区")) == ["04"]
    assert numbers(wz.json("list", "--search", "灯")) == ["04", "01"]
    assert wz.json("list", "--search", "电梯") == []
    # Names, phones, addresses and results are searched too; imported cases are in the index at once.
    wz("intake", "井盖松动", "--resident", "李强", "--phone", "13912345678", "--address", "清河家园8号楼")
    assert numbers(wz.json("list", "--search", "李强")) == ["05"]
    assert numbers(wz.json("list", "--search", "2345678")) == ["05"]
    assert numbers(wz.json("list", "--search", "8号楼")) == ["05"]
    rows = [["受理时间", "诉求内容", "居民姓名"], ["2026/11/20", "Wi-Fi 信号差，路灯也不亮", "王五"]]
    wz("import", str(write_csv(tmp_path / "visit.csv", rows)), "--dry-run")
    assert numbers(wz.json("list", "--search", "路灯")) == ["04", "01"]
    wz("import", str(write_csv(tmp_path / "visit.csv", rows)))
    assert numbers(wz.json("list", "--search", "路灯")) == ["06", "04", "01"]
    wz("intake", "电梯故障")  # an import indexes its cases at once, then the trigger goes on indexing
    assert numbers(wz.json("list", "--search", "电梯")) == ["07"]
    assert numbers(wz.json("list", "--search", "wi-fi")) == ["06"]  # letters in any case
    wz("--operator", "王芳", "claim", "1")
    wz("--operator", "王芳", "resolve", "1", "--result", "已更换灯泡")
    assert numbers(wz.json("list", "--search", "更换")) == ["01"]
    wz("undo", "1", "--yes")
    assert wz.json("list", "--search", "更换") == []


def test_search_index_is_built_for_an_older_ledger(wz: Wz, tmp_path: Path) -> None:
    import shutil

    old = tmp_path / "v1.db"
    shutil.copy(Path(__file__).parent / "fixtures" / "ledger-v1.db", old)
    assert numbers(wz.json("list", "--search", "路灯", "--db", str(old))) == ["05", "02"]
    supervised = wz.json("list", "--supervised", "--db", str(old))
    assert [(c["supervised"], c["listed"]) for c in supervised] == [(True, True)]


TEXTS = st.text(alphabet="路灯不亮楼道abAB 1", min_size=1, max_size=12)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(TEXTS, st.none() | TEXTS), min_size=1, max_size=8), TEXTS)
def test_search_finds_what_reading_every_case_finds(cases: list[tuple[str, str | None]], query: str) -> None:
    """The index gives exactly the cases whose text fields hold every word of the query (case-insensitively
    for letters): what a scan of every case gives."""
    import tempfile

    from wenzheng_cli.core.intake import IntakeInput, intake
    from wenzheng_cli.core.listing import ListQuery, find_cases
    from wenzheng_cli.core.session import Session

    words = query.split()
    if not words or any(w.strip() != w for w in words):
        return
    with tempfile.TemporaryDirectory() as tmp:
        s = Session.open(str(Path(tmp) / "s.db"), "clerk", create=True)
        expected = []
        for text, address in cases:
            if not text.strip():
                continue
            case = intake(s, IntakeInput(description=text, address=address))
            fields = [case.description, case.address or ""]
            if all(any(w.lower() in f.lower() for f in fields) for w in words):
                expected.append(case.number)
        # Newest first (all received at the same moment: the last typed first), whether the index walk or
        # the reads by key put them in order; and the first two of them with the count of all.
        found, total = find_cases(s, ListQuery(search=query))
        assert [c.number for c in found] == expected[::-1]
        assert total == len(expected)
        page, total = find_cases(s, ListQuery(search=query, limit=2))
        assert [c.number for c in page] == expected[::-1][:2]
        assert total == len(expected)
        s.close()


def test_search_reads_the_index(wz: Wz, ledger_env: Path) -> None:
    """The query plan: matching cases come from the FTS index, not a scan of ``cases``."""
    from wenzheng_cli.store.search import parse_search

    wz("intake", "3号楼路灯不亮")
    conn = sqlite3.connect(ledger_env)
    for text in ("路灯", "路灯不亮"):
        clause, params = parse_search(conn, text).clause()
        plan = " ".join(
            str(row[3])
            for row in conn.execute(f"EXPLAIN QUERY PLAN SELECT pk FROM cases WHERE {clause}", params)
        )
        assert "VIRTUAL TABLE INDEX" in plan and "SCAN cases" not in plan, plan


def test_many_matches_walk_the_received_index(wz: Wz, ledger_env: Path) -> None:
    """With many matches the first page comes from walking the received-time index in order, with the same
    answer as reading every match by its key."""
    from wenzheng_cli.store import cases as store
    from wenzheng_cli.store.search import parse_search

    for i in range(30):
        wz(
            "intake",
            f"{i}号楼路灯不亮" if i % 3 else f"{i}号楼井盖松动",
            "--at",
            f"2026-11-{1 + i % 20:02d} 9:{i:02d}",
        )
    conn = sqlite3.connect(ledger_env)
    search = parse_search(conn, "路灯")
    assert search.count(conn) == 20
    assert search.worth_walking(conn, 5)
    rare = parse_search(conn, "0号楼")  # 0, 10 and 20号楼: few, read by key
    assert rare.count(conn) == 3 and not rare.worth_walking(conn, 5)
    clause, params = search.clause(walk=True)
    plan = " ".join(str(r[3]) for r in conn.execute(
        f"EXPLAIN QUERY PLAN SELECT pk FROM cases WHERE {clause} ORDER BY received_at DESC, seq DESC LIMIT 5", params
    ))  # fmt: skip
    assert "USING INDEX cases_received" in plan, plan
    walked = store.list_cases(conn, store.CaseFilter(search="路灯", limit=5, offset=3))
    read = store.list_cases(conn, store.CaseFilter(search="路灯"))[3:8]
    assert [c.number for c in walked] == [c.number for c in read]
    assert store.count_matching(conn, store.CaseFilter(search="路灯", limit=5)) == 20
    assert store.count_matching(conn, store.CaseFilter(search="路灯", statuses=("registered",))) == 20


@pytest.mark.parametrize("show_pii", [False, True])
def test_the_drawn_table_is_the_one_rich_draws(office: Wz, ledger_env: Path, show_pii: bool) -> None:
    """``render.grid`` writes the lines of a list directly; they are exactly Rich's (colours aside, which
    cover the same cells)."""
    import io
    import re

    from rich.console import Console

    from wenzheng_cli.render.case_table import cases_table
    from wenzheng_cli.render.rows import CaseRow
    from wenzheng_cli.store import cases as store

    office("intake", "门口有人摆摊，占道经营", "--resident", "欧阳娜娜", "--phone", "0532-88886666")
    cases = [
        CaseRow.of(case, show_pii)
        for case in store.list_cases(sqlite3.connect(ledger_env), store.CaseFilter())
    ]
    now = "2026-11-23T10:00:00+08:00"
    for title in ("共 5 件", None):
        drawn = []
        for rich_table in (True, False):
            for terminal in (False, True):
                out = io.StringIO()
                console = Console(file=out, width=200, force_terminal=terminal, highlight=False, emoji=False)
                table = cases_table(
                    cases, show_pii, title=title, now_iso=now, width=200, rich_table=rich_table
                )
                console.print(table)
                drawn.append(out.getvalue())
        rich_plain, rich_ansi, grid_plain, grid_ansi = drawn
        assert grid_plain == rich_plain
        assert re.sub(r"\x1b\[[0-9;]*m", "", grid_ansi) == re.sub(r"\x1b\[[0-9;]*m", "", rich_ansi)
        assert "\x1b[1m编号" in grid_ansi and "\x1b[31m已交办·逾期" in grid_ansi
