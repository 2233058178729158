"""``wenzheng export --format parquet --output DIR``: three files with the documented schema, personal data
masked unless ``--show-pii``, one consistent snapshot, nothing half-written, an existing export kept unless
``--force``; and README's DuckDB query over several offices' exports gives each office's own monthly figures."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests.support.cli import Wz
from tests.support.masks import MASKED_TEXT
from tests.support.offices import ledger_at
from tests.test_report_monthly import act
from wenzheng_cli.core import export as core
from wenzheng_cli.core.session import Session
from wenzheng_cli.domain.text import mask_extra, mask_name, mask_phone
from wenzheng_cli.errors import WenzhengError

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")
duckdb = pytest.importorskip("duckdb")

README = Path(__file__).resolve().parents[1] / "README.md"
FILES = ["cases.parquet", "events.parquet", "activities.parquet"]


def _files(folder: Path) -> list[dict[str, Any]]:
    return [
        {
            "name": name,
            "rows": pq.read_metadata(folder / name).num_rows,
            "bytes": (folder / name).stat().st_size,
        }
        for name in FILES
    ]


def _rows(path: Path) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = pq.read_table(path).to_pylist()
    return rows


def _ledger(wz: Wz) -> None:
    wz("init", "--office", "YL", "--name", "杨柳社区")
    wz("activity", "add", "11月问政日", "--at", "2026-11-03 09:00", "--kind", "问政日")
    wz(
        "intake", "3号楼楼道堆放杂物", "--resident", "李桂兰", "--phone", "13812345678",
        "--at", "2026-11-03 09:30", "--activity", "1",
    )  # fmt: skip
    act(wz, "assign", "1", "11-03 10:00", "--to 王芳 --unit 城管科 --due 2026-11-10")
    act(wz, "amend", "1", "11-03 11:00", "--phone 13987654321 --reason 电话记错")
    act(wz, "claim", "1", "11-03 12:00", "--operator 王芳")
    act(wz, "resolve", "1", "11-04 10:00", "--result 已清理 --operator 王芳")
    wz("undo", "1", "--reason", "误点了办结", "--yes")


def test_export_json_schema_and_masking(wz: Wz, tmp_path: Path) -> None:
    _ledger(wz)
    out = tmp_path / "exports" / "YL"
    data = wz.json("export", "--format", "parquet", "--output", str(out))
    assert data == {"output": str(out), "files": _files(out)}
    assert [f["rows"] for f in data["files"]] == [1, 6, 1]
    # The schema is the documented one, column for column and type for type.
    kinds = {"text": pa.string(), "json": pa.string(), "int": pa.int64(), "bool": pa.bool_()}
    kinds["time"] = pa.timestamp("us", tz="UTC")
    for name, columns in zip(FILES, (core.CASES, core.EVENTS, core.ACTIVITIES), strict=True):
        schema = pq.read_schema(out / name)
        assert [(f.name, f.type) for f in schema] == [(c.name, kinds[c.kind]) for c in columns]
    (case,) = _rows(out / "cases.parquet")
    assert (case["number"], case["office"], case["status"]) == ("YL-2026-0001", "YL", "claimed")
    assert (case["resident"], case["phone"]) == ("李**", "139****4321")
    assert case["received_at"].isoformat() == "2026-11-03T01:30:00+00:00"
    assert case["activity_uid"] is not None
    events = _rows(out / "events.parquet")
    assert [e["action"] for e in events] == ["intake", "assign", "amend", "claim", "resolve", "undo"]
    assert [e["seq"] for e in events] == sorted(e["seq"] for e in events)
    intake, _, amend, _, resolve, undo = events
    assert (intake["resident"], intake["phone"], intake["case_seq"], intake["activity_id"]) == (
        "李**", "138****5678", 1, 1,
    )  # fmt: skip
    assert json.loads(amend["changes"]) == {"phone": {"old": "138****5678", "new": "139****4321"}}
    assert (resolve["revoked"], resolve["result"], undo["revokes"], undo["revoked"]) == (
        True, "已清理", resolve["id"], False,
    )  # fmt: skip
    assert all(e["payload_more"] is None for e in events)
    (activity,) = _rows(out / "activities.parquet")
    assert (activity["title"], activity["kind"], activity["office"], activity["uid"]) == (
        "11月问政日", "问政日", "YL", case["activity_uid"],
    )  # fmt: skip
    # Nowhere in the files a resident's full name or phone.
    for name in FILES:
        text = json.dumps(_rows(out / name), ensure_ascii=False, default=str)
        assert "13812345678" not in text and "13987654321" not in text and "李桂兰" not in text


def test_show_pii_keeps_names_and_phones(wz: Wz, tmp_path: Path) -> None:
    _ledger(wz)
    wz("export", "--output", str(tmp_path / "x"), "--show-pii")
    (case,) = _rows(tmp_path / "x" / "cases.parquet")
    assert (case["resident"], case["phone"]) == ("李桂兰", "13987654321")
    amend = _rows(tmp_path / "x" / "events.parquet")[2]
    assert json.loads(amend["changes"]) == {"phone": {"old": "13812345678", "new": "13987654321"}}


def test_payload_members_outside_the_schema_are_kept(wz: Wz, ledger_env: Path, tmp_path: Path) -> None:
    """A member no column names (a newer version's, or one the schema does not list) lands in payload_more,
    masked like the rest; a value of an unexpected type is kept as JSON text."""
    wz("init", "--office", "YL")
    number = wz.json("intake", "路灯不亮", "--at", "2026-11-03 09:30")["number"]
    conn = sqlite3.connect(ledger_env)
    case_id = conn.execute("SELECT id FROM cases WHERE number = ?", (number,)).fetchone()[0]
    payload = {"text": {"a": 1}, "witness_phone": "13812345678", "phone": "13812345678", "rating_v2": 5}
    with conn:
        conn.execute(
            "INSERT INTO events (id, case_id, action, at, recorded_at, actor, payload, origin)"
            " VALUES ('01KZZZZZZZZZZZZZZZZZZZZZZZ', ?, 'note', '2026-11-04T09:00:00+08:00',"
            " '2026-11-04T09:00:00+08:00', 'clerk', ?, 'cli')",
            (case_id, json.dumps(payload)),
        )
    conn.close()
    wz("export", "--output", str(tmp_path / "x"))
    note = _rows(tmp_path / "x" / "events.parquet")[-1]
    assert (note["text"], note["phone"]) == ('{"a": 1}', "138****5678")
    assert json.loads(note["payload_more"]) == {"witness_phone": "13812345678", "rating_v2": 5}


def test_existing_export_kept_unless_force(wz: Wz, tmp_path: Path) -> None:
    """A cron line writing to a fixed folder: the second run is refused (exit 1, nothing touched) unless
    --force, which replaces the three files and leaves the folder's other files alone."""
    wz("init", "--office", "YL")
    out = tmp_path / "out"
    out.mkdir()
    (out / "说明.txt").write_text("区里的说明", encoding="utf-8")
    wz("export", "--output", str(out))  # an existing folder without an export: written into
    before = {name: (out / name).read_bytes() for name in FILES}
    wz("intake", "路灯不亮")
    result = wz.fail("export", "--output", str(out))
    assert result.stderr == (
        f"错误: {out / 'cases.parquet'} 已存在，未覆盖\n"
        "提示: 每次导出写到新目录（如带上日期），或加 --force 替换上次导出的三个文件\n"
    )
    assert {name: (out / name).read_bytes() for name in FILES} == before
    data = wz.json("export", "--output", str(out), "--force")
    assert [f["rows"] for f in data["files"]] == [1, 1, 0]
    assert sorted(p.name for p in out.iterdir()) == sorted([*FILES, "说明.txt"])


def test_refusals(wz: Wz, tmp_path: Path) -> None:
    wz("init", "--office", "YL")
    a_file = tmp_path / "a.txt"
    a_file.write_text("x", encoding="utf-8")
    assert wz.fail("export", "--output", str(a_file)).stderr.startswith(f"错误: {a_file} 是文件，不是目录\n")
    assert wz.fail("export", "--output", " ").stderr.startswith("错误: 导出目录为空\n")
    bad = wz.fail("export", "--format", "csv", "--output", str(tmp_path / "x"), code=2)
    assert bad.stderr.startswith("错误: 不支持的导出格式: csv\n")
    assert not (tmp_path / "x").exists()


def test_without_the_extra_one_line(wz: Wz, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    wz("init", "--office", "YL")
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # as if the extra were not installed
    result = wz.fail("export", "--output", str(tmp_path / "x"))
    assert (
        result.stderr
        == "错误: 导出 Parquet 需要可选组件 parquet，请先安装: pip install 'wenzheng[parquet]'\n"
    )
    assert not (tmp_path / "x").exists()


def test_one_snapshot_and_nothing_half_written(wz: Wz, ledger_env: Path, tmp_path: Path) -> None:
    """A case recorded by another clerk while the export runs is in none of its files; a writer that fails
    on the second file leaves no file and no temporary file behind."""
    from wenzheng_cli.render.parquet import write_table

    wz("init", "--office", "YL")
    wz("intake", "路灯不亮")
    other = os.environ.copy()

    def write_while_others_work(path: Path, table: core.Table) -> int:
        if table.name == "cases.parquet":
            with ledger_at(ledger_env):
                os.environ.update(other)
                wz("intake", "井盖缺失")  # committed meanwhile, through its own connection
        return write_table(path, table)

    session = Session.open(str(ledger_env), "clerk", create=False)
    try:
        result = core.export(
            session, str(tmp_path / "x"), show_pii=False, force=False, write=write_while_others_work
        )
    finally:
        session.close()
    assert [f.rows for f in result.files] == [1, 1, 0]
    assert wz.json("list")[0]["description"] == "井盖缺失"  # it was recorded, after the snapshot

    def fail_on_events(path: Path, table: core.Table) -> int:
        if table.name == "events.parquet":
            raise OSError(28, "No space left on device")
        return write_table(path, table)

    session = Session.open(str(ledger_env), "clerk", create=False)
    try:
        with pytest.raises(WenzhengError, match="磁盘已满"):
            core.export(session, str(tmp_path / "y"), show_pii=False, force=False, write=fail_on_events)
    finally:
        session.close()
    assert list((tmp_path / "y").iterdir()) == []


def test_a_row_group_that_fails_to_be_written_leaves_nothing(
    wz: Wz, ledger_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The row groups are written by a thread of their own: a write that fails there (the disk full at the
    second row group) fails the export as one written in the command's thread would, and leaves no file."""
    wz("init", "--office", "YL")
    for n in range(6):
        wz("intake", f"路灯不亮{n}")
    monkeypatch.setattr("wenzheng_cli.store.export.BATCH", 2)
    monkeypatch.setattr("wenzheng_cli.store.export_arrow.BATCH", 2)
    monkeypatch.setattr("wenzheng_cli.render.parquet.ROW_GROUP", 2)
    real = pq.ParquetWriter.write_table
    written: list[int] = []

    def full_at_the_second(self: Any, table: Any, row_group_size: Any = None) -> None:
        written.append(table.num_rows)
        if len(written) == 2:
            raise OSError(28, "No space left on device")
        real(self, table, row_group_size=row_group_size)

    monkeypatch.setattr(pq.ParquetWriter, "write_table", full_at_the_second)
    assert "磁盘已满" in wz.fail("export", "--output", str(tmp_path / "z")).stderr
    assert len(written) == 2  # nothing written after the failure
    assert not (tmp_path / "z").exists() or list((tmp_path / "z").iterdir()) == []


# Three offices, each its own ledger made through the command line; October 2026 is counted at its end.
OFFICES = {"YL": "杨柳社区", "QH": "清河社区", "BY": "北苑社区"}


def _office(wz: Wz, code: str, n: int) -> None:
    """Cases of October told through the commands, a different mix per office (``n``): resolved and rated,
    on the spot, reopened after a dissatisfied revisit, unreachable, withdrawn, a resolution taken back
    with undo, one resolved only in November, one received in November."""
    wz("init", "--office", code, "--name", OFFICES[code])

    def case(day: int, *extra: str) -> str:
        return str(
            wz.json("intake", f"{code}第{day}件", "--at", f"2026-10-{day:02d} 09:00", *extra)["number"]
        )

    def handled(day: int) -> str:
        number = case(day)
        act(wz, "assign", number, f"10-{day:02d} 10:00", "--to 王芳 --within 5wd")
        act(wz, "claim", number, f"10-{day:02d} 11:00", "--operator 王芳")
        return number

    for i in range(n + 1):
        number = handled(3 + i)
        act(wz, "resolve", number, f"10-{3 + i:02d} 15:00", "--result 已处理 --feedback 电话 --operator 王芳")
        act(
            wz,
            "revisit",
            number,
            f"10-{4 + i:02d} 10:00",
            f"--rating {('满意', '非常满意', '基本满意')[i % 3]}",
        )
    case(12, "--on-site", "当场解答")
    reopened = handled(13)
    act(wz, "resolve", reopened, "10-14 10:00", "--result 已处理 --operator 王芳")
    act(wz, "revisit", reopened, "10-15 10:00", "--rating 不满意")
    if n != 1:
        act(wz, "resolve", reopened, "10-20 10:00", "--result 重新处理 --operator 王芳")
        act(wz, "revisit", reopened, "10-21 10:00", "--rating 满意")
    unreachable = handled(16)
    act(wz, "resolve", unreachable, "10-17 10:00", "--result 已处理 --operator 王芳")
    act(wz, "revisit", unreachable, "10-18 10:00", "--rating 未联系上")
    act(wz, "withdraw", case(19), "10-19 12:00", "--reason 居民撤回")
    undone = handled(22)
    act(wz, "resolve", undone, "10-23 10:00", "--result 误办结 --operator 王芳")
    wz("undo", undone, "--reason", "误点了办结", "--yes")
    late = handled(28)
    act(wz, "resolve", late, "11-03 10:00", "--result 已处理 --operator 王芳")
    act(wz, "revisit", late, "11-04 10:00", "--rating 不满意")
    wz("intake", f"{code}十一月的件", "--at", "2026-11-02 09:00")
    for _ in range(n):
        handled(25)


def _readme_sql() -> str:
    section = (
        README.read_text(encoding="utf-8").split("## 区、市汇总：Parquet 导出", 1)[1].split("\n## ", 1)[0]
    )
    found = re.search(r"```sql\n(.*?)```", section, re.DOTALL)
    assert found, "README's 区、市汇总 section shows its query in a sql block"
    return found.group(1)


def test_readme_query_gives_each_office_its_own_monthly_figures(
    wz: Wz, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    own: dict[str, dict[str, Any]] = {}
    for n, code in enumerate(OFFICES):
        with ledger_at(tmp_path / f"{code}.db"):
            _office(wz, code, n)
            own[code] = wz.json("report", "monthly", "--month", "2026-10")
            wz("export", "--format", "parquet", "--output", str(tmp_path / "exports" / code))
    monkeypatch.chdir(tmp_path)  # the query reads exports/*/…
    con = duckdb.connect()
    cursor = con.execute(_readme_sql())
    names = [d[0] for d in cursor.description]
    found = {row[0]: dict(zip(names, row, strict=True)) for row in cursor.fetchall()}
    assert sorted(found) == sorted(OFFICES)
    for code, report in own.items():
        totals, rates = report["totals"], report["rates"]
        assert found[code] == {
            "office": code,
            "received": totals["received"],
            "resolved": totals["resolved"],
            "completion_rate": rates["completion_rate"],
            "rated": totals["rated"],
            "satisfied": totals["satisfied"],
            "satisfaction_rate": rates["satisfaction_rate"],
        }, code
    # The offices differ, so the comparison above is not of equal numbers.
    assert len({(r["totals"]["received"], r["totals"]["satisfied"]) for r in own.values()}) == 3


def test_fast_json_reader_gives_what_flatten_gives(
    wz: Wz, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The writer reads the payloads with Arrow's JSON reader; with it refusing every batch, each batch goes
    through core's flatten instead: the files hold the same rows either way."""
    import pyarrow.json as pj

    with ledger_at(tmp_path / "YL.db"):
        _office(wz, "YL", 2)
        case = wz.json("intake", "x", "--resident", "张三丰", "--phone", "13800001111")
        wz("amend", case["number"], "--resident", "张四", "--reason", "写错")
        wz("export", "--output", str(tmp_path / "fast"))

        def refuse(*args: Any, **kwargs: Any) -> Any:
            raise pa.ArrowInvalid("refused")

        monkeypatch.setattr(pj, "read_json", refuse)
        wz("export", "--output", str(tmp_path / "slow"))
    for name in FILES:
        assert _rows(tmp_path / "fast" / name) == _rows(tmp_path / "slow" / name), name


def test_read_into_arrow_or_row_by_row_the_files_are_the_same(
    wz: Wz, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The ledger is read straight into Arrow (``store.export_arrow``); without the driver, or when a value
    fits no column's type (a ledger edited outside the program), it is read row by row: the same rows."""
    from wenzheng_cli.store import export_arrow

    pytest.importorskip("adbc_driver_sqlite")
    path = tmp_path / "YL.db"
    with ledger_at(path):
        _office(wz, "YL", 2)
        wz("activity", "add", "11月问政日", "--at", "2026-11-03 09:00", "--kind", "问政日")
        case = wz.json("intake", "x", "--resident", "张三丰", "--phone", "13800001111", "--activity", "1")
        wz("amend", case["number"], "--resident", "张四", "--reason", "写错")
        wz("note", case["number"], "打错了")
        wz("undo", case["number"], "--yes", "--reason", "记错件")  # takes the note back
        for n in range(3):  # more than one batch of each table, and more than one row group
            monkeypatch.setattr("wenzheng_cli.store.export.BATCH", 7 + n)
            monkeypatch.setattr("wenzheng_cli.store.export_arrow.BATCH", 7 + n)
            monkeypatch.setattr("wenzheng_cli.render.parquet.ROW_GROUP", 10 + 5 * n)
            wz("export", "--output", str(tmp_path / f"arrow{n}"))
            assert pq.ParquetFile(tmp_path / f"arrow{n}" / "events.parquet").num_row_groups > 2
        monkeypatch.setattr("wenzheng_cli.render.parquet.ROW_GROUP", 100_000)
        read: list[str] = []
        real = export_arrow.ArrowTables._read

        def spied(self: Any, sql: str, params: Any) -> Any:
            read.append(re.findall(r"FROM (\w+)", sql)[-1])
            return real(self, sql, params)

        monkeypatch.setattr(export_arrow.ArrowTables, "_read", spied)
        wz("export", "--output", str(tmp_path / "again"))
        assert read == ["cases", "events", "activities"]  # all three read into Arrow

        def missing(path: Path) -> Any:
            raise export_arrow.Unreadable("not installed")

        with monkeypatch.context() as m:
            m.setattr(export_arrow, "arrow_tables", missing)
            wz("export", "--output", str(tmp_path / "rows"))

        def refused_midway(self: Any, numbers: Any) -> Any:  # the driver meets a value of another type
            yield from real(self, _events_sql(numbers), ())
            raise export_arrow.Unreadable("Type mismatch")

        _events_sql = export_arrow._events_sql
        with monkeypatch.context() as m:
            m.setattr(export_arrow.ArrowTables, "events", refused_midway)
            monkeypatch.setattr("wenzheng_cli.store.export.BATCH", 7)
            monkeypatch.setattr("wenzheng_cli.store.export_arrow.BATCH", 7)
            wz("export", "--output", str(tmp_path / "restarted"))
    events = pq.read_table(tmp_path / "arrow0" / "events.parquet").to_pylist()
    undone = {e["revokes"] for e in events if e["action"] == "undo"}
    assert {e["id"] for e in events if e["revoked"]} == undone
    assert ("note", "打错了") in [(e["action"], e["text"]) for e in events if e["revoked"]]
    assert all(e["revoked"] is not None for e in events)
    for name in FILES:
        rows = _rows(tmp_path / "rows" / name)
        assert rows, name
        for folder in ("arrow0", "arrow1", "arrow2", "restarted"):
            assert _rows(tmp_path / folder / name) == rows, (folder, name)


@pytest.mark.parametrize("mask", [mask_name, mask_phone, mask_extra])
@settings(max_examples=200, deadline=None)
@given(values=st.lists(st.one_of(st.none(), st.text(alphabet=MASKED_TEXT, max_size=13)), max_size=12))
@example(values=["13812345678", None, "李四", "王小明", "138 1234 5678", "李", "欧阳娜娜", " 李四", ""])
@example(values=[None, None])
@example(values=["13812345678", "13912345678"])
def test_the_export_masks_a_batch_as_the_mask_does_each_value(mask: Any, values: list[str | None]) -> None:
    from wenzheng_cli.render.parquet import _masked

    array = _masked(pa, pa.array(values, type=pa.string()), mask)
    assert array.to_pylist() == [None if v is None else mask(v) for v in values]


_MEMBERS = ["number", "seq", "difficulty", "due_at", "resident", "phone", "text", "imported", "changes"]
_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 10**12),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.text(max_size=6),
    st.sampled_from(["2026-11-03", "2026-11-03T10:00:00+08:00", "2026-11-03 10:00", "13812345678", "李四"]),
    st.lists(st.text(max_size=3), max_size=2),
    st.dictionaries(st.sampled_from(["old", "new"]), st.text(max_size=3), max_size=2),
)


@settings(max_examples=200, deadline=None)
@given(
    payloads=st.lists(
        st.dictionaries(st.sampled_from([*_MEMBERS, "unknown"]), _VALUES, max_size=5), min_size=1, max_size=8
    ),
    actions=st.lists(st.sampled_from(["intake", "note", "assign"]), min_size=8, max_size=8),
)
@example(payloads=[{"text": "2026-11-03"}, {"text": "修好了"}], actions=["note"] * 8)
@example(payloads=[{"number": 12}, {"due_at": "2026-11-03T10:00:00+08:00", "seq": 3}], actions=["note"] * 8)
@example(payloads=[{"seq": 3}, {"seq": "3"}], actions=["intake", "note"] * 4)  # two types in two kinds
@example(payloads=[{"seq": 3}, {"seq": 2.5}], actions=["intake", "note"] * 4)
@example(payloads=[{"text": "a"}, {}, {"text": None}, {"seq": 1}], actions=["note", "intake"] * 4)
@example(payloads=[{"text": "a"}, {"seq": 2}, {"text": "c"}], actions=["note", "intake", "note"] * 3)
@example(
    payloads=[{"seq": 2**70}, {"seq": 9.3e18, "number": "3"}], actions=["intake"] * 8
)  # no int64 holds it
def test_a_batch_of_payloads_read_by_arrow_as_flatten_reads_it(
    payloads: list[dict[str, Any]], actions: list[str]
) -> None:
    """Arrow's JSON reader reads each member as the type JSON gives it, the payloads of each action together
    and then put back in their order; any member of another type than its column's sends the batch to
    flatten: either way the columns are flatten's, row for row."""
    from wenzheng_cli.render.parquet import _array, _payload_arrays

    spec = core._payloads(False)
    texts = [json.dumps(p, ensure_ascii=False) for p in payloads]
    kinds = pa.array(actions[: len(texts)], type=pa.string())
    flat = spec.flatten(texts)
    for grouped in (None, kinds):
        fast = _payload_arrays(pa, pa.array([t + "\n" for t in texts], type=pa.string()), spec, grouped)
        for c in spec.columns:
            assert fast[c.name].to_pylist() == _array(pa, flat[c.name], c).to_pylist(), c.name


# Payloads as the commands write them: each member of its column's type, so the batch stays on Arrow's reader.
_TYPED = {
    "text": st.text(max_size=4),
    "seq": st.integers(0, 9999),
    "due_at": st.sampled_from(["2026-11-03T10:00:00+08:00", "2026-12-01T17:30:00+08:00"]),
    "resident": st.sampled_from(["李四", "欧阳娜娜", "Li Lei"]),
    "imported": st.booleans(),
}


@settings(max_examples=150, deadline=None)
@given(
    events=st.lists(
        st.tuples(
            st.sampled_from(["intake", "note", "assign", "claim"]),
            st.fixed_dictionaries({}, optional=_TYPED),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_payloads_read_a_kind_at_a_time_come_back_in_their_order(events: list[tuple[str, Any]]) -> None:
    """Each action's payloads are read together (``_read_alike``), the actions a batch holds few of in one read,
    empty payloads not at all, and all put back in the batch's order: every column row for row as flatten gives
    it, with no fall-back to flatten (the types are the columns'). Read with the shipped share of ``FEW`` (a
    dozen rows: no action is few) and with one that makes any action of less than half the rows few."""
    from wenzheng_cli.render import parquet
    from wenzheng_cli.render.parquet import _array, _payload_arrays

    spec = core._payloads(False)
    texts = [json.dumps(p, ensure_ascii=False) for _, p in events]
    kinds = pa.array([action for action, _ in events], type=pa.string())
    flat = spec.flatten(texts)
    shipped = parquet.FEW
    try:
        for few in (shipped, 2):
            parquet.FEW = few
            fast = _payload_arrays(pa, pa.array([t + "\n" for t in texts], type=pa.string()), spec, kinds)
            for c in spec.columns:
                assert fast[c.name].to_pylist() == _array(pa, flat[c.name], c).to_pylist(), (few, c.name)
    finally:
        parquet.FEW = shipped


def test_prose_has_no_statistics_and_ids_no_dictionary(wz: Wz, tmp_path: Path) -> None:
    """A reader skips row groups by times, numbers and short values (their statistics are written); free text
    and JSON carry none, and columns each row has its own value of (ids, prose, instants, running numbers) are
    not dictionary-encoded."""
    with ledger_at(tmp_path / "YL.db"):
        _office(wz, "YL", 2)
        wz("export", "--output", str(tmp_path / "out"))
    for name in ("cases.parquet", "events.parquet"):
        meta = pq.ParquetFile(tmp_path / "out" / name).metadata
        chunks = {
            meta.row_group(0).column(i).path_in_schema: meta.row_group(0).column(i)
            for i in range(meta.num_columns)
        }
        assert chunks["description"].statistics is None, name
        assert chunks["id"].statistics is not None and chunks["id"].statistics.has_min_max, name
        assert not any("DICTIONARY" in e for e in chunks["id"].encodings), name
        assert any("DICTIONARY" in e for e in chunks["office"].encodings), name
    events = pq.ParquetFile(tmp_path / "out" / "events.parquet").metadata.row_group(0)
    chunks = {events.column(i).path_in_schema: events.column(i) for i in range(events.num_columns)}
    for name in ("at", "recorded_at", "seq"):  # instants and running numbers: ranges kept, no dictionary
        assert chunks[name].statistics is not None and chunks[name].statistics.has_min_max, name
        assert not any("DICTIONARY" in e for e in chunks[name].encodings), name
    assert any("DICTIONARY" in e for e in chunks["action"].encodings)
