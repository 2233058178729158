"""The weekly 台账's JSON: the cases the ledger writes as JSON itself (``store.case_text``) are, byte for byte,
what the case dicts give (``render.cases.case_json``, encoded and escaped as every report's JSON is) — for
every kind of value a case can hold, masked and shown."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests.support.cli import Wz
from tests.support.ledgers import built_once
from wenzheng_cli.core.reports import weekly
from wenzheng_cli.core.session import Session
from wenzheng_cli.domain.models import CASE_FIELDS, Case
from wenzheng_cli.render.cases import case_columns, case_json
from wenzheng_cli.render.console import json_text, json_utf8
from wenzheng_cli.render.report_output import report_json
from wenzheng_cli.reports.weekly import EncodedCase
from wenzheng_cli.store.case_text import object_sql

pytestmark = pytest.mark.contract

WEEK = "2026-11-10"  # Tue 11-10 … Mon 11-16; "now" is Mon 11-23
# What JSON and a terminal treat apart: quotes, a backslash, C0 (ESC, BEL, the newline and tab JSON names),
# DEL, C1 (an 8-bit CSI, NEL), bidi overrides and isolates, U+2028, a character beyond the BMP, full-width
# and ideographic spaces, and Rich markup.
ODD = (
    '路灯"不亮"\\反斜杠\x1b[31m红\x07\n换行\t制表\x7f删\x9b2J\x85\u202e反\u2066隔\u2069'
    "\u2028行😀\u3000全角\x1f\x0b[/x][link=http://evil.example]点[/link]"
)


def _build(wz: Wz) -> dict[str, str]:
    wz("init", "--office", "WZ", "--name", "杨柳街道")
    wz("config", "add", "communities", "杨柳", "清河")
    wz("config", "add", "grids", "一网格")
    n: dict[str, str] = {}

    def intake(key: str, text: str, *args: str) -> str:
        n[key] = wz.json("intake", text, *args)["number"]
        return n[key]

    # Names and phones of every length and form the masks treat apart.
    full = ("--community", "杨柳", "--grid", "一网格", "--category", "市政设施", "--channel", "电话")
    intake("odd", ODD, "--resident", "李桂兰", "--phone", "13812345678", "--address", ODD, *full,
           "--difficulty", "3", "--at", "2026-11-10 09:00")  # fmt: skip
    intake("one", "一个字的姓名", "--resident", "李", "--phone", "138-1234-5678", "--at", "2026-11-10 10:00")
    intake(
        "space",
        "姓名前后有空格",
        "--resident",
        " 欧阳娜娜 ",
        "--phone",
        "88886666",
        "--at",
        "2026-11-10 11:00",
    )
    intake("short", "短号", "--resident", "Ann", "--phone", "12345", "--at", "2026-11-10 12:00")
    intake("bare", "什么都没填", "--at", "2026-11-10 13:00")
    intake(
        "dial", "电话带区号", "--phone", "0532-8888 6666", "--community", "清河", "--at", "2026-11-11 09:00"
    )
    # In hand and overdue at the week's end, 督办 and 挂牌督办, with a note (its progress) in odd text.
    late = intake("late", "逾期未办", "--resident", "王秀英", "--at", "2026-11-02 09:00")
    wz(
        "assign",
        late,
        "--to",
        "张伟",
        "--unit",
        "市政工程所",
        "--due",
        "2026-11-05",
        "--at",
        "2026-11-02 10:00",
    )
    wz("claim", late, "--operator", "张伟", "--at", "2026-11-02 11:00")
    wz("supervise", late, "--reason", "逾期", "--listed", "--at", "2026-11-12 09:00")
    wz("note", late, f"进展{ODD}", "--at", "2026-11-13 09:00")
    # Resolved, revisited and closed in the week; reopened (round 2) and resolved again.
    done = intake("done", "已销账", "--resident", "赵", "--phone", "13900001111", "--at", "2026-11-03 09:00")
    wz("assign", done, "--to", "张伟", "--within", "5wd", "--at", "2026-11-03 10:00")
    wz("resolve", done, "--operator", "张伟", "--result", f"已处理{ODD}", "--outcome", "solved",
       "--at", "2026-11-11 09:00")  # fmt: skip
    wz("revisit", done, "--rating", "满意", "--method", "电话", "--at", "2026-11-12 09:00")
    again = intake("again", "重办", "--at", "2026-11-04 09:00")
    wz("assign", again, "--to", "张伟", "--within", "3wd", "--at", "2026-11-04 10:00")
    wz("resolve", again, "--operator", "张伟", "--result", "已处理", "--at", "2026-11-05 09:00")
    wz("revisit", again, "--rating", "不满意", "--method", "电话", "--at", "2026-11-10 09:00")
    wz(
        "resolve",
        again,
        "--operator",
        "张伟",
        "--result",
        "再次处理",
        "--outcome",
        "partly",
        "--at",
        "2026-11-12 09:00",
    )
    # On-site; and a case that changed after the week (its row is not what it was then: folded back).
    intake("site", "现场办结", "--on-site", "当场解决", "--at", "2026-11-12 09:00")
    moved = intake(
        "moved", "后来办结", "--resident", "孙红", "--community", "杨柳", "--at", "2026-11-11 15:00"
    )
    wz("assign", moved, "--to", "张伟", "--within", "5wd", "--at", "2026-11-11 16:00")
    wz("resolve", moved, "--operator", "张伟", "--result", "已处理", "--at", "2026-11-20 09:00")
    return n


def build(wz: Wz, ledger: Path) -> dict[str, str]:
    n = built_once("weekly-json", wz, _build)
    # What the commands would not let in but a ledger may hold (an old import, a hand edit): NUL, a flag set
    # by a suggestion, a stored 0/1, extra columns kept from an import.
    with sqlite3.connect(ledger) as conn:
        conn.execute(
            "UPDATE cases SET description = ?, address = ?, resident = ?, category_suggested = 1,"
            " extra = ? WHERE number = ?",
            ("空\x00字符\u3000", "\x00", "\x00李", json.dumps({"身份证号": "110105194912310021"}), n["bare"]),
        )
        conn.execute("UPDATE cases SET resident = '', phone = '' WHERE number = ?", (n["short"],))
    return n


def python_json(report: Any, show_pii: bool) -> bytes:
    """The 台账's JSON as the case dicts give it."""
    data = report.to_dict(lambda case, more: case_json(case, show_pii) | more)
    return b"".join(report_json(data))


@pytest.mark.parametrize("show_pii", [False, True])
@pytest.mark.parametrize("place", [[], ["--community", "杨柳"]])
def test_the_json_the_ledger_writes_is_what_the_case_dicts_give(
    wz: Wz, ledger_env: Path, show_pii: bool, place: list[str]
) -> None:
    n = build(wz, ledger_env)
    pii = ["--show-pii"] if show_pii else []
    out = wz("report", "weekly", "--week", WEEK, "--json", *place, *pii).stdout_bytes
    session = Session.open(None, None, create=False)
    try:
        community = place[1] if place else None
        whole = weekly(session, WEEK, community=community)
        texts = weekly(session, WEEK, community=community, columns=case_columns(show_pii))
    finally:
        session.close()
    assert out == python_json(whole, show_pii)
    # Both paths were taken: the cases unchanged since the week as text, the one that moved as a case.
    entries = {case.id: case for key in ("new", "carried_over", "resolved") for case in texts.section(key)}
    kinds = {type(case) for case in entries.values()}
    assert kinds == {Case, EncodedCase}
    moved = [case for case in entries.values() if isinstance(case, Case)]
    assert [case.number for case in moved] == [n["moved"]]
    data = json.loads(out)
    rows = {row["number"]: row for key in ("new", "carried_over", "resolved") for row in data[key]}
    if not place:
        assert rows[n["odd"]]["description"] == ODD.replace("\u3000", " ")  # as typing stores it
        assert rows[n["bare"]]["description"] == "空\x00字符\u3000"
        assert rows[n["bare"]]["category_suggested"] is True
        assert (
            rows[n["late"]]["progress"] == f"进展{ODD}".replace("\u3000", " ")
            and rows[n["late"]]["listed"] is True
        )
        assert rows[n["late"]]["overdue"] is True
        assert rows[n["one"]]["resident"] == ("李" if show_pii else "李*")
        assert rows[n["moved"]]["status"] == "assigned"  # as it was at the week's end
        assert b"\\u009b" in out and b"\\u202e" in out and b"\\u0000" in out
        assert not {"\x9b", "\x85", "\u202e", "\x7f"} & set(out.decode())
    assert "extra" not in next(iter(rows.values()))


@pytest.mark.parametrize("show_pii", [False, True])
def test_every_case_row_as_the_ledger_writes_it(wz: Wz, ledger_env: Path, show_pii: bool) -> None:
    build(wz, ledger_env)
    encode = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode
    with sqlite3.connect(ledger_env) as conn:
        text = object_sql(conn, case_columns(show_pii))
        fields = ", ".join(f"c.{name}" for name in CASE_FIELDS)
        rows = conn.execute(f"SELECT {text}, {fields} FROM cases c ORDER BY c.pk").fetchall()
    assert len(rows) == 11
    for written, *stored in rows:
        case = Case.from_stored(stored)
        assert json_utf8(written) + b"}" == json_text(encode(case_json(case, show_pii))).encode(), case.number


def test_only_columns_of_a_case_go_into_the_sql() -> None:
    with sqlite3.connect(":memory:") as conn, pytest.raises(ValueError):
        object_sql(conn, [("number); DROP TABLE cases; --", None)])


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8")))
@example("\x7f")
@example("“·\x9b”")
@example("——\u202e")
@example("\u2069")
def test_json_already_bytes_is_made_safe_as_text_is(text: str) -> None:
    data = json.dumps({"description": text}, ensure_ascii=False)
    assert json_utf8(data.encode()) == json_text(data).encode()
