"""``CASE...`` as ranges (``25-77``) and as numbers piped in (``-``); every word read before any case is touched."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.support.cli import Wz
from wenzheng_cli.domain.case_numbers import MAX_RANGE, Span, parse_piped, parse_token
from wenzheng_cli.errors import WenzhengError

pytestmark = pytest.mark.contract


def dump(db: Path) -> list[object]:
    conn = sqlite3.connect(db)
    rows: list[object] = [*conn.execute("SELECT * FROM cases ORDER BY 1")]
    rows += conn.execute("SELECT * FROM events ORDER BY 1")
    conn.close()
    return rows


def intake(wz: Wz, count: int) -> None:
    for i in range(count):
        wz("intake", f"诉求{i + 1}", "--at", "2026-11-17 9:00")


def resolved(wz: Wz, count: int) -> None:
    intake(wz, count)
    wz("assign", f"1-{count}", "--unit", "城管科", "--at", "2026-11-17 10:00")
    wz("--operator", "王芳", "resolve", f"1-{count}", "--result", "已处理", "--at", "2026-11-18 10:00")


def statuses(wz: Wz) -> dict[str, str]:
    return {c["number"]: c["status"] for c in wz.json("list", "--limit", "1000")}


# --- the words, parsed ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "span"),
    [
        ("42", Span(2026, 42, 42, "42")),
        ("2026-42", Span(2026, 42, 42, "2026-42")),
        ("2025-42", Span(2025, 42, 42, "2025-42")),
        ("WZ-2026-0042", Span(2026, 42, 42, "WZ-2026-0042")),
        ("25-77", Span(2026, 25, 77, "25-77", ranged=True)),
        ("0025-0077", Span(2026, 25, 77, "0025-0077", ranged=True)),  # four digits that are no year
        ("1200-1300", Span(2026, 1200, 1300, "1200-1300", ranged=True)),
        ("25~77", Span(2026, 25, 77, "25~77", ranged=True)),
        ("25至77", Span(2026, 25, 77, "25至77", ranged=True)),
        ("2025-25-77", Span(2025, 25, 77, "2025-25-77", ranged=True)),
        ("WZ-2026-0025-0077", Span(2026, 25, 77, "WZ-2026-0025-0077", ranged=True)),
        ("wz-2026-0025-WZ-2026-0077", Span(2026, 25, 77, "wz-2026-0025-WZ-2026-0077", ranged=True)),
        ("2026-25-2026-77", Span(2026, 25, 77, "2026-25-2026-77", ranged=True)),
        (" 7-7 ", Span(2026, 7, 7, "7-7", ranged=True)),
    ],
)
def test_the_forms_of_a_case_word(typed: str, span: Span) -> None:
    assert parse_token(typed, "WZ", 2026) == span


@pytest.mark.parametrize(
    ("typed", "fragment"),
    [
        ("77-25", "起止颠倒"),
        (f"1-{MAX_RANGE + 1}", f"最多 {MAX_RANGE} 件"),
        ("WZ-2025-0900-WZ-2026-0010", "跨了年度"),
        ("2025-900-2026-10", "跨了年度"),
        ("YL-2026-0001-0005", "不属于本台账"),
        ("25-", "不是案件编号"),
        ("abc", "不是案件编号"),
    ],
)
def test_a_bad_word_is_one_error(typed: str, fragment: str) -> None:
    with pytest.raises(WenzhengError) as raised:
        parse_token(typed, "WZ", 2026)
    assert fragment in str(raised.value) and raised.value.hint


def test_a_range_as_long_as_the_bound_is_taken() -> None:
    assert len(parse_token(f"1-{MAX_RANGE}", "WZ", 2026).numbers()) == MAX_RANGE


def test_numbers_piped_in_one_per_line_or_as_json() -> None:
    lines = "\ufeff 42 \r\n\n# 上周的\n#不要的\nWZ-2026-0043\n44-45\n#46\n"
    assert [(s.first, s.last) for s in parse_piped(lines, "WZ", 2026)] == [
        (42, 42),
        (43, 43),
        (44, 45),
        (46, 46),
    ]
    cases = json.dumps([{"number": "WZ-2026-0042", "status": "resolved"}, {"number": "WZ-2025-0003"}])
    assert [(s.year, s.first) for s in parse_piped(cases, "WZ", 2026)] == [(2026, 42), (2025, 3)]
    assert [s.first for s in parse_piped('[42, "43"]', "WZ", 2026)] == [42, 43]
    assert [s.first for s in parse_piped('{"number": "WZ-2026-0042"}', "WZ", 2026)] == [42]
    # the answer of a command on several cases: the cases it did go on, the refused ones do not
    answer = json.dumps([{"number": "WZ-2026-0001", "ok": True}, {"number": "WZ-2026-0002", "ok": False}])
    assert [s.first for s in parse_piped(answer, "WZ", 2026)] == [1]


@pytest.mark.parametrize(
    ("piped", "fragment"),
    [
        ("", "没有案件编号"),
        ("\n  \n# 只有注释\n", "没有案件编号"),
        ("[]", "没有案件编号"),
        ("42\n43\n9:00\n", "第 3 行: 「9:00」不是案件编号"),
        ("42\n\n甲乙\n", "第 3 行: 「甲乙」不是案件编号"),
        ("42\n77-25\n", "第 2 行: 范围「77-25」起止颠倒"),
        ("[42,", "不是有效的 JSON（第 1 行第 5 列）"),
        ('[{"status": "resolved"}]', "第 1 项没有案件编号"),
        ("[true]", "第 1 项没有案件编号"),
        ('[{"number": "WZ-2026-0001", "ok": false}]', "都是上一步未办成的"),
    ],
)
def test_bad_numbers_piped_in_are_one_error(piped: str, fragment: str) -> None:
    with pytest.raises(WenzhengError) as raised:
        parse_piped(piped, "WZ", 2026)
    assert fragment in str(raised.value) and raised.value.hint


# --- through the command line ----------------------------------------------------------------------------


def test_a_range_does_each_case_of_it(wz: Wz) -> None:
    intake(wz, 6)
    rows = wz.json("assign", "2-4", "--unit", "城管科")
    assert [(r["number"], r["ok"]) for r in rows] == [(f"WZ-2026-000{i}", True) for i in (2, 3, 4)]
    assert list(statuses(wz).values()).count("assigned") == 3
    out = wz("supervise", "WZ-2026-0002-0003", "5", "--reason", "超期").stdout.splitlines()
    assert out[-1] == "共 3 件: 已办理 3 件"


def test_a_range_is_a_list_even_when_it_names_one_case(wz: Wz) -> None:
    intake(wz, 1)
    assert isinstance(wz.json("assign", "1-1", "--unit", "城管科"), list)


def test_a_range_past_the_last_case_refuses_the_missing_numbers_in_one_line(wz: Wz) -> None:
    intake(wz, 3)
    result = wz.fail("assign", "2-9", "--unit", "城管科")
    assert result.stderr.splitlines() == [
        "错误: WZ-2026-0004 至 WZ-2026-0009（6 件）: 找不到案件",
        "提示: 用 wenzheng list 查看案件编号；只写序号时指本年度的案件",
        "错误: 8 件中 6 件未办理（WZ-2026-0004 至 WZ-2026-0009），其余 2 件已办理",
        "提示: 未办理的原因见上；改正后只需对这几件重新执行",
    ]
    assert result.stdout.splitlines()[-1] == "共 8 件: 已办理 2 件，未办理 6 件"
    assert statuses(wz)["WZ-2026-0003"] == "assigned"


def test_a_range_that_names_no_case_is_one_error_and_changes_nothing(wz: Wz, ledger_env: Path) -> None:
    intake(wz, 3)
    before = dump(ledger_env)
    result = wz.fail("assign", "1", "20-30", "--unit", "城管科")
    assert result.stderr.splitlines() == [
        "错误: 范围「20-30」中没有案件（2026 年的案件编到 3 号）",
        "提示: 用 wenzheng list 查看案件编号；只写序号时指本年度的案件",
    ]
    assert dump(ledger_env) == before


@pytest.mark.parametrize(
    ("words", "fragment"),
    [
        (["1", "3-2"], "起止颠倒"),
        (["1", "1-20000"], "最多 10000 件"),
        (["1", "WZ-2025-0001-WZ-2026-0002"], "跨了年度"),
        (["1", "2", "乙"], "「乙」不是案件编号"),
    ],
)
def test_a_bad_word_anywhere_refuses_before_any_case(
    wz: Wz, ledger_env: Path, words: list[str], fragment: str
) -> None:
    intake(wz, 3)
    before = dump(ledger_env)
    result = wz.fail("assign", *words, "--unit", "城管科")
    lines = result.stderr.splitlines()
    assert len(lines) == 2 and fragment in lines[0] and lines[1].startswith("提示: ")
    assert dump(ledger_env) == before


def test_an_unquoted_time_after_at_refuses_before_any_case_with_a_hint_to_quote(
    wz: Wz, ledger_env: Path
) -> None:
    """Item 7: ``claim 24 --at 11-12 9:00`` claimed 24 at 00:00, then refused 9:00 as a case number."""
    intake(wz, 2)
    wz("assign", "1", "2", "--to", "王芳", "--at", "2026-11-17 10:00")
    before = dump(ledger_env)
    result = wz.fail("--operator", "王芳", "claim", "1", "--at", "11-18", "9:00")
    assert result.stderr.splitlines() == [
        "错误: 「9:00」不是案件编号，像是一个时间",
        '提示: 日期和时间之间有空格时要加引号: --at "11-18 9:00"',
    ]
    assert dump(ledger_env) == before
    wz("--operator", "王芳", "claim", "1", "2", "--at", "11-18 9:00")
    assert wz.json("show", "1")["events"][-1]["at"].startswith("2026-11-18T09:00")


@pytest.mark.parametrize(
    "command",
    [
        ["assign", "--unit", "城管科"],
        ["--operator", "王芳", "claim"],
        ["supervise", "--reason", "超期"],
        ["--operator", "王芳", "resolve", "--result", "已处理"],
        ["--operator", "张敏", "revisit", "--rating", "满意"],
        ["withdraw", "--reason", "居民撤回"],
    ],
)
def test_every_case_command_reads_every_word_first(wz: Wz, ledger_env: Path, command: list[str]) -> None:
    intake(wz, 2)
    before = dump(ledger_env)
    wz.fail(*command, "1", "--at", "2026-11-18", "10:00")
    wz.fail(*command, "1", "77-25")
    wz.fail(*command, "1", "2", "--at", "明年")  # a business time that cannot be read: refused once
    assert dump(ledger_env) == before


def test_an_option_value_shared_by_all_cases_is_checked_before_any(wz: Wz, ledger_env: Path) -> None:
    intake(wz, 3)
    before = dump(ledger_env)
    for bad in (["--level", "省"], ["--due", "不知哪天"], ["--within", "5x"]):
        lines = wz.fail("assign", "1-3", "--unit", "城管科", *bad).stderr.splitlines()
        assert len(lines) == 2, lines
    assert len(wz.fail("withdraw", "1-3", "--duplicate-of", "99").stderr.splitlines()) == 2
    assert dump(ledger_env) == before


def test_list_json_piped_into_revisit_with_the_history_method(wz: Wz) -> None:
    resolved(wz, 5)
    wz("intake", "未办结的一件")
    piped = wz("list", "--status", "resolved", "--json").stdout
    result = wz("--operator", "张敏", "revisit", "-", "--rating", "满意", "--method", "历史", input=piped)
    assert result.stdout.splitlines()[-1] == "共 5 件: 已办理 5 件"
    assert list(statuses(wz).values()).count("closed") == 5
    assert wz.json("show", "2")["events"][-1]["method"] == "历史"


def test_numbers_piped_one_per_line_and_the_answer_of_a_batch(wz: Wz) -> None:
    intake(wz, 4)
    wz("assign", "-", "--unit", "城管科", input="1\n\n  3  \n# 4 留到明天\n")
    assert list(statuses(wz).values()).count("assigned") == 2
    answer = wz("--operator", "王芳", "claim", "1", "2", "3", "--json", code=1).stdout  # 2 not assigned
    result = wz("--operator", "王芳", "resolve", "-", "--result", "已处理", "--json", input=answer)
    assert [r["number"] for r in json.loads(result.stdout)] == ["WZ-2026-0001", "WZ-2026-0003"]


@pytest.mark.parametrize(
    ("piped", "fragment"),
    [
        ("", "标准输入中没有案件编号"),
        ("1\n2\n下午3点\n", "标准输入第 3 行: 「下午3点」不是案件编号"),
        ("[1, 2", "标准输入不是有效的 JSON"),
    ],
)
def test_bad_input_piped_in_changes_nothing(wz: Wz, ledger_env: Path, piped: str, fragment: str) -> None:
    intake(wz, 3)
    before = dump(ledger_env)
    lines = wz("assign", "-", "--unit", "城管科", code=1, input=piped).stderr.splitlines()
    assert len(lines) == 2 and fragment in lines[0], lines
    assert dump(ledger_env) == before


@pytest.mark.local  # patches this process's terminal check (remote: tests/test_serve_remote.py)
def test_a_terminal_on_stdin_is_refused_rather_than_waited_for(
    wz: Wz, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wenzheng_cli.cli import batches

    intake(wz, 1)

    monkeypatch.setattr(batches, "_terminal", lambda: True)  # the runner gives the command a pipe
    lines = wz.fail("assign", "-", "--unit", "城管科").stderr.splitlines()
    assert lines[0] == "错误: 「-」表示从标准输入读取案件编号，但没有从管道输入"
    assert "| wenzheng revisit - --rating 满意" in lines[1]


def test_a_bulk_batch_says_each_reason_once_with_the_cases_it_refused(wz: Wz) -> None:
    intake(wz, 30)
    wz("assign", "1-5", "--to", "王芳")
    result = wz("--operator", "王芳", "claim", "-", "--json", code=1, input="1-3\n7\n9-30\n4\n")
    rows = json.loads(result.stdout)
    assert len(rows) == 27 and sum(row["ok"] for row in rows) == 4
    assert result.stderr.splitlines() == [
        "错误: WZ-2026-0007、WZ-2026-0009 至 WZ-2026-0030（23 件）: 当前状态为「待交办」(registered)，不能认领(claim)",
        "提示: WZ-2026-0007 现在可以: 交办(assign)、进展(note)、督办(supervise)、撤件(withdraw)",
        "错误: 27 件中 23 件未办理（WZ-2026-0007、WZ-2026-0009 至 WZ-2026-0030），其余 4 件已办理",
        "提示: 未办理的原因见上；改正后只需对这几件重新执行",
    ]


def test_a_long_list_of_typed_numbers_names_the_first_twenty_in_its_closing_line(wz: Wz) -> None:
    intake(wz, 25)
    numbers = [str(n) for n in range(1, 26)]
    result = wz.fail("--operator", "王芳", "claim", *numbers, "--json")  # none assigned: all refused
    assert len(json.loads(result.stdout)) == 25
    assert len(result.stderr.splitlines()) == 2 * 25 + 2  # typed one by one: each named on its own line
    closing = result.stderr.splitlines()[-2]
    assert (
        closing.startswith("错误: 25 件中 25 件未办理（WZ-2026-0001、")
        and "WZ-2026-0020 等 25 件）" in closing
    )
    assert "WZ-2026-0021" not in closing


def test_every_case_command_takes_numbers_piped_in(wz: Wz) -> None:
    intake(wz, 4)
    piped = "1\n2\n"
    wz("assign", "-", "--unit", "城管科", "--at", "2026-11-17 10:00", input=piped)
    wz("--operator", "王芳", "claim", "-", "--at", "2026-11-17 11:00", input=piped)
    wz("supervise", "-", "--reason", "居民催办", "--at", "2026-11-17 12:00", input=piped)
    wz("--operator", "王芳", "resolve", "-", "--result", "已处理", "--at", "2026-11-18 10:00", input=piped)
    wz("--operator", "张敏", "revisit", "-", "--rating", "满意", "--at", "2026-11-19 10:00", input=piped)
    wz("withdraw", "-", "--reason", "居民撤回", input="3-4\n")
    assert statuses(wz) == {
        "WZ-2026-0001": "closed",
        "WZ-2026-0002": "closed",
        "WZ-2026-0003": "withdrawn",
        "WZ-2026-0004": "withdrawn",
    }
    assert wz.json("check")["ok"] is True


def test_the_clerk_who_imported_replies_may_revisit_them(wz: Wz, tmp_path: Path) -> None:
    """An imported 办结 is the unit's reply, not the importing clerk's work: the rule that someone other than
    the resolver revisits does not keep that clerk from closing the history."""
    export = tmp_path / "留言板.csv"
    export.write_text(
        "留言编号,留言时间,留言详情,答复意见,答复时间\n"
        "A1,2019-04-01 09:00,小区路灯不亮,经核实，已安排维修人员更换路灯，现已恢复照明。,2019-04-09 10:00\n"
        "A2,2019-04-02 09:00,楼道堆放杂物,经现场查看，已督促物业清理完毕，楼道已恢复通畅。,2019-04-10 10:00\n",
        encoding="utf-8",
    )
    wz("import", str(export))
    wz("intake", "暖气不热", "--at", "2026-11-17 9:00")
    wz("assign", "1", "--unit", "供热站", "--at", "2026-11-17 10:00")
    wz("resolve", "1", "--result", "已修复", "--at", "2026-11-18 10:00")  # typed by clerk
    piped = wz("list", "--status", "resolved", "--json").stdout
    result = wz("revisit", "-", "--rating", "满意", "--method", "历史", "--json", input=piped, code=1)
    done = {row["number"]: row["ok"] for row in json.loads(result.stdout)}
    assert done == {"WZ-2019-0001": True, "WZ-2019-0002": True, "WZ-2026-0001": False}
    assert "由 clerk 办结，回访应由其他人进行" in result.stderr
