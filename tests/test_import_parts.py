"""The parts of the import: header synonyms, cell values, the row parser (fuzzed), case rows = fold of events."""

from __future__ import annotations

import string
from datetime import date, datetime, time
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wenzheng_cli.domain import clock
from wenzheng_cli.domain.ids import new_ulid, new_ulids
from wenzheng_cli.domain.states import fold
from wenzheng_cli.errors import UsageError, WenzhengError
from wenzheng_cli.importers.csvfile import choose_encoding, sniff_delimiter
from wenzheng_cli.importers.headers import field_for, parse_maps, plan_columns
from wenzheng_cli.importers.row_parser import RowError, RowParser
from wenzheng_cli.importers.values import clean_long, clean_phone, clean_short, parse_moment, to_text
from wenzheng_cli.render.export import neutralise

NOW = datetime(2026, 11, 23, 10, 0, 0, tzinfo=clock.TZ)

SYNONYMS = {
    "received_at": ["走访日期", "受理时间", "留言时间", "Received_At", "date"],
    "description": ["诉求内容", "留言详情", "问题描述", "description", "Content"],
    "phone": ["联系电话", "电话", "phone", "联系电话（手机）", " 电 话 "],
    "reply": ["答复意见", "回复", "reply"],
    "replied_at": ["答复时间", "回复时间", "reply_time"],
    "source_key": ["留言编号", "办件编号", "工单号", "ticket", "id"],
    "grid": ["片区", "网格", "grid"],
    "resident": ["居民姓名", "留言用户", "姓名", "name"],
    "address": ["住址", "地址", "Address*"],
    "category": ["诉求类别", "一级分类", "一级标签", "类别", "category"],
    "channel": ["渠道", "信息来源", "来源", "channel"],
    "nature": ["性质", "nature"],
    "community": ["区域", "社区", "community"],
    "title": ["标题", "留言主题", "title"],
    "on_site": ["办理结果", "现场办结"],
}


@pytest.mark.parametrize(("field", "header"), [(f, h) for f, hs in SYNONYMS.items() for h in hs])
def test_header_synonyms(field: str, header: str) -> None:
    assert field_for(header) == field


def test_unknown_and_ignored_headers() -> None:
    assert field_for("备注") is None
    assert field_for("导入错误") == "ignore"


def test_first_column_for_a_field_wins_and_the_other_is_kept() -> None:
    plan = plan_columns(["社区", "区域", "诉求内容", "受理时间"], [], "x.csv")
    assert plan.fields == {"community": 0, "description": 2, "received_at": 3}
    assert plan.unknown_columns == ["区域"]
    assert plan.notes == ["「区域」与「社区」都对应社区，用「社区」，「区域」随案保存"]


def test_map_overrides_synonyms() -> None:
    maps = parse_maps(["区域=extra", "备注=description", "时间=ignore", "日子=受理时间"])
    plan = plan_columns(["区域", "备注", "时间", "日子"], maps, "x.csv")
    assert plan.fields == {"description": 1, "received_at": 3}
    assert plan.unknown_columns == ["区域"]
    with pytest.raises(UsageError):
        parse_maps(["a=b=c"])
    with pytest.raises(UsageError):
        plan_columns(["a", "b"], parse_maps(["a=phone", "b=电话"]), "x.csv")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2019/4/25 9:32:09", ("2019-04-25T09:32:09+08:00", True)),
        ("2018/4/24", ("2018-04-24T00:00:00+08:00", False)),
        ("2026-11-17 09:30", ("2026-11-17T09:30:00+08:00", True)),
        ("2026.11.17", ("2026-11-17T00:00:00+08:00", False)),
        ("2026年11月17日 9点半", ("2026-11-17T09:30:00+08:00", True)),
        ("2026-11-17T01:30:00Z", ("2026-11-17T09:30:00+08:00", True)),
        (datetime(2019, 4, 8, 8, 37, 20), ("2019-04-08T08:37:20+08:00", True)),
        (date(2019, 4, 8), ("2019-04-08T00:00:00+08:00", False)),
        (43579.5, ("2019-04-24T12:00:00+08:00", True)),
        (43579, ("2019-04-24T00:00:00+08:00", False)),
        (20261117, ("2026-11-17T00:00:00+08:00", False)),
    ],
)
def test_parse_moment(value: object, expected: tuple[str, bool]) -> None:
    assert parse_moment(value, NOW) == expected


@pytest.mark.parametrize(
    "value", ["2026/2/30", "2026/11/17 25:00", "0226/11/17", "下个月", "", 12, time(9, 30)]
)
def test_parse_moment_refuses(value: object) -> None:
    with pytest.raises(ValueError):
        parse_moment(value, NOW)


def test_cleaning() -> None:
    assert clean_long("\n\t\t\t\t\t\n\t\t\t\t\t2019年4月以来，\u3000\u3000小区\t 乱象\r\n\r\n  请处理  ") == (
        "2019年4月以来， 小区 乱象\n请处理"
    )
    assert clean_short("  杨柳\u3000小区 ３号楼\t") == "杨柳 小区 3号楼"
    assert clean_short("a\x07b") == "ab"
    with pytest.raises(ValueError):
        clean_long("a\x00b")
    assert clean_phone("１３８１２３４５６７８") == "13812345678"
    assert clean_phone("0532-88886666 转 123") == "0532-88886666 转 123"
    assert clean_phone("138****5678") == "138****5678"
    assert clean_phone("无") is None
    with pytest.raises(ValueError):
        clean_phone("见备注")
    assert [to_text(v) for v in (2549.0, 2549, 1.5, True, None, {"a": 1})] == [
        "2549",
        "2549",
        "1.5",
        "是",
        "",
        '{"a": 1}',
    ]


def test_encoding_choice() -> None:
    text = "受理时间,诉求内容\n2026/11/17,楼道堆放杂物影响通行\n"
    assert choose_encoding(text.encode("utf-8"), None, "a.csv") == ("utf-8", None)
    assert choose_encoding(b"\xef\xbb\xbf" + text.encode("utf-8"), None, "a.csv") == ("utf-8-sig", None)
    assert choose_encoding(text.encode("gbk"), None, "a.csv") == ("gb18030", "a.csv 按 GBK/GB18030 编码读取")
    assert choose_encoding(b"x", "GBK", "a.csv") == ("gbk", None)
    # A sample that ends inside a character still reads as UTF-8.
    cut = ("诉求" * 200000).encode("utf-8")[: 256 * 1024]
    assert choose_encoding(cut, None, "a.csv")[0] == "utf-8"
    assert sniff_delimiter("受理时间\t诉求内容\n".encode(), "utf-8") == "\t"
    assert sniff_delimiter(b"a;b;c\n", "utf-8") == ";"


def test_new_ulids() -> None:
    ids = new_ulids(1000, ms=1_700_000_000_000)
    assert len(set(ids)) == 1000
    assert all(len(i) == 26 and set(i) <= set("0123456789ABCDEFGHJKMNPQRSTVWXYZ") for i in ids)
    assert {i[:10] for i in ids} == {new_ulid(1_700_000_000_000)[:10]}
    assert max(new_ulids(10, ms=1_600_000_000_000)) < min(ids)


def test_neutralise_formulas_but_not_numbers() -> None:
    assert [
        neutralise(v) for v in ("=1+1", "+86 138", "-x", "@SUM", "\tx", "-5", "+3.5", "1e5", 7, "李")
    ] == [
        "'=1+1",
        "'+86 138",
        "'-x",
        "'@SUM",
        "'\tx",
        "-5",
        "+3.5",
        "1e5",
        7,
        "李",
    ]


# --- the row parser, fuzzed -----------------------------------------------------------------------------------

COLUMNS = [
    "留言编号",
    "受理时间",
    "诉求内容",
    "标题",
    "联系电话",
    "居民姓名",
    "类别",
    "难度",
    "答复意见",
    "答复时间",
    "办理结果",
    "备注",
]
cell = st.one_of(
    st.none(),
    st.text(max_size=30),
    st.text(alphabet=string.digits + "/-: 年月日.T", max_size=20),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31)),
    st.dates(),
    st.times(),
    st.booleans(),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(cell, min_size=0, max_size=len(COLUMNS) + 3))
def test_row_parser_never_raises(cells: list[Any]) -> None:
    parser = RowParser(plan_columns(COLUMNS, [], "fuzz.csv"), NOW)
    parsed = parser.parse(7, cells)
    if isinstance(parsed, list):
        assert parsed and all(isinstance(e, RowError) and e.row == 7 and e.message for e in parsed)
    else:
        assert parsed["received_at"] <= "2026-11-23T10:10:00+08:00"
        assert parsed["description"]
        assert parsed["source_key"]


# --- case rows are folds of their events ----------------------------------------------------------------------

text = st.text(
    alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"), min_size=1, max_size=20
)
maybe = st.one_of(st.none(), text)


@st.composite
def staged_rows(draw: Any) -> dict[str, Any]:
    """A staged row as the import leaves it: any mix of on-site result, unit, resolution and note."""
    received = draw(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2026, 11, 1)))
    later = clock.iso(received.replace(year=2026, month=11, day=2))
    f: dict[str, Any] = {
        name: draw(maybe)
        for name in (
            "title",
            "channel",
            "category",
            "nature",
            "resident",
            "phone",
            "address",
            "community",
            "grid",
            "extra",
        )
    }
    f.update(
        key=draw(text),
        digest="d",
        file=0,
        row=2,
        received_at=clock.iso(received),
        description=draw(text),
        difficulty=draw(st.one_of(st.none(), st.integers(1, 5))),
        activity_id=draw(st.sampled_from([None, 1])),
    )
    kind = draw(st.sampled_from(["plain", "on_site", "resolved", "noted"]))
    if kind == "on_site":
        f["on_site"] = draw(text)
    else:
        f["unit"] = draw(maybe)
    if kind == "resolved":
        f.update(resolved_at=later, result=draw(maybe), outcome=draw(st.sampled_from([None, "solved"])))
        f["feedback"] = draw(maybe)
    if kind == "noted":
        f.update(note_at=later, note_text=draw(text))
    return f


@pytest.fixture(scope="module")
def bare_ledger(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from wenzheng_cli.store.ledger import open_ledger

    ledger = open_ledger(tmp_path_factory.mktemp("fold") / "fold.db", create=True)
    ledger.conn.execute(
        "INSERT INTO activities (id, uid, title, kind, at, recorded_at, actor)"
        " VALUES (1, 'A', '问政日', '问政日', '2026-11-01T09:00:00+08:00', '2026-11-01T09:00:00+08:00', 'x')"
    )
    yield ledger
    ledger.close()


@settings(max_examples=300, deadline=None)
@given(f=staged_rows(), base=st.integers(0, 99998), actor=text)
def test_staged_rows_become_cases_that_are_the_fold_of_their_events(
    bare_ledger: Any, f: dict[str, Any], base: int, actor: str
) -> None:
    from wenzheng_cli.store import import_stage as stage
    from wenzheng_cli.store.cases import events_for, get_case_by_id

    conn = bare_ledger.conn
    conn.execute("BEGIN")
    try:
        stage.create(conn)
        ids = new_ulids(4)
        f.update(cid=ids[0], e_intake=ids[1], e_assign=ids[2], e_last=ids[3])
        stage.add(conn, [tuple(f.get(name) for name in stage.STAGE_COLUMNS)])
        year = int(f["received_at"][:4])
        stage.insert_cases(conn, "YL", actor, "2026-11-23T10:00:00+08:00", "社区", {year: base})
        case = get_case_by_id(conn, ids[0])
        events = events_for(conn, ids[0])
        assert case is not None and case.number == f"YL-{year}-{base + 1:04d}"
        assert fold(events) == case
        actions = [e.action.value for e in events]
        expected = ["intake"]
        if f.get("unit") and not f.get("on_site"):
            expected.append("assign")
        if f.get("resolved_at"):
            expected.append("resolve")
        elif f.get("note_at"):
            expected.append("note")
        assert actions == expected
    finally:
        conn.execute("ROLLBACK")


def test_a_missing_received_column_is_refused_before_reading() -> None:
    from wenzheng_cli.importers.headers import check_required
    from wenzheng_cli.render.phrases import say, say_hint

    with pytest.raises(WenzhengError) as exc:
        check_required(plan_columns(["诉求内容"], [], "x.csv"), "x.csv")
    assert "找不到受理时间列" in say(exc.value.message) and "--map" in (say_hint(exc.value.hint) or "")


def test_progress_bar_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from wenzheng_cli.cli.importing import _progress

    with _progress() as update:
        assert update is None
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    with _progress() as update:
        assert update is not None
        update("big.csv", 10, 50 * 1024 * 1024, "bytes")
        update("big.csv", 20, 50 * 1024 * 1024, "bytes")
        update("small.csv", 1, 100, "bytes")
