"""``show`` shows everything a clerk needs to read: the whole 诉求, every reply and note wrapped (never cut with
…), the columns an import kept under their own names, and a timeline in words where an imported step names
the unit the file names, not the clerk who ran the import."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.support.cli import Wz
from wenzheng_cli.domain.models import Action
from wenzheng_cli.render.event_words import WORDS, event_text
from wenzheng_cli.render.rows import EventRow
from wenzheng_cli.render.timeline import timeline_rows

pytestmark = pytest.mark.contract

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_FRAME = re.compile(r"[\s│┃┏┓┗┛━─┡┩╇┳┴┻└┘┬┼]")

LONG_TEXT = (
    "3号楼2单元楼道堆放旧家具和纸箱已经一个多月，影响老人和孩子通行，夜里还有人在楼道吸烟，存在很大的消防隐患，"
    "多次找物业未果，请社区尽快协调清理，并在楼道张贴禁止堆放的告示，定期巡查。" * 3
)
LONG_REPLY = (
    "经核实，物业已于11月18日组织人员将楼道内旧家具和纸箱全部清运，并张贴了禁止堆放的告示；社区网格员每周巡查一次，"
    "发现堆放即时通知住户清理，居民对处理结果表示认可。" * 3
)


def squashed(text: str) -> str:
    """The output without colour, table frames and line breaks: what a reader reads, run together."""
    return _FRAME.sub("", _ANSI.sub("", text))


@pytest.fixture
def long_case(wz: Wz) -> str:
    number = str(wz.json("intake", LONG_TEXT, "--resident", "李桂兰", "--at", "2026-11-17 09:10")["number"])
    wz("assign", number, "--unit", "杨柳物业服务中心", "--at", "2026-11-17 10:00")
    wz("note", number, LONG_REPLY[:80], "--at", "2026-11-17 11:00")
    wz("resolve", number, "--result", LONG_REPLY, "--at", "2026-11-18")
    return number


@pytest.mark.parametrize("width", [60, 80, 100])
@pytest.mark.parametrize("terminal", [True, False])
def test_long_text_and_reply_are_whole(
    wz: Wz, long_case: str, monkeypatch: pytest.MonkeyPatch, width: int, terminal: bool
) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    if terminal:
        monkeypatch.setenv("FORCE_COLOR", "1")
    out = wz("show", long_case).stdout
    assert "…" not in out
    read = squashed(out)
    assert squashed(LONG_TEXT) in read
    assert squashed(LONG_REPLY) in read
    assert squashed(LONG_REPLY[:80]) in read  # the note
    assert all(len(_ANSI.sub("", line)) <= width for line in out.splitlines())


def test_piped_show_wraps_at_the_plain_width(wz: Wz, long_case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Piped to a file or ``less`` (no COLUMNS): wrapped at the width of a plain console, nothing cut."""
    monkeypatch.delenv("COLUMNS")
    out = wz("show", long_case).stdout
    assert "\x1b[" not in out and "…" not in out
    assert max(len(line) for line in out.splitlines()) <= 160
    assert squashed(LONG_REPLY) in squashed(out)


@pytest.fixture
def imported(wz: Wz, tmp_path: Path) -> str:
    wz("init", "--office", "YL", "--name", "杨柳社区")
    path = tmp_path / "留言导出.csv"
    path.write_text(
        "留言编号,留言时间,留言详情,承办单位,答复意见,答复时间,备注,回复1,点赞数,片长手机\n"
        "101,2019/4/25 9:32:09,小区路灯不亮已经两周了请尽快修理,国网西地省J9县供电公司,"
        "已安排人员更换灯泡，路灯已恢复照明，感谢您的监督。,2019/5/2 10:00:00,片长：吴敏,谢谢关注,12,13912345678\n",
        encoding="utf-8",
    )
    wz("--operator", "张三", "import", str(path))
    return "YL-2019-0001"


def test_imported_extras_are_a_section_with_their_column_names(wz: Wz, imported: str) -> None:
    out = wz("show", imported).stdout
    assert "导入的其他列" in out
    for name, value in (("备注", "片长：吴敏"), ("回复1", "谢谢关注"), ("点赞数", "12")):
        line = next(line for line in out.splitlines() if line.startswith(name))
        assert value in line
    assert "{" not in out and '"' not in out  # never the JSON the ledger keeps them in
    assert "139****5678" in out and "13912345678" not in out  # masked like every phone
    assert "13912345678" in wz("show", imported, "--show-pii").stdout


def test_imported_steps_name_the_unit_and_say_who_imported(wz: Wz, imported: str) -> None:
    out = wz("show", imported).stdout
    assign = next(line for line in out.splitlines() if " 交办 " in line)
    assert "国网西地省J9县供电公司（导入）" in assign and "张三" not in assign
    resolve = next(line for line in out.splitlines() if " 办结 " in line)
    assert "国网西地省J9县供电公司（导入）" in resolve
    assert out.count("张三") == 1 and "由 张三 于" in out  # said once, quietly, under the timeline
    assert "imported" not in out and "true" not in out
    # the JSON is the contract's, unchanged: the clerk who ran the import stays the events' actor
    events = wz.json("show", imported)["events"]
    assert {e["actor"] for e in events} == {"张三"} and all(e["origin"] == "import" for e in events)


def _event(action: Action, payload: dict[str, object], origin: str = "cli") -> EventRow:
    head = {"id": "E1", "action": action.value, "at": "2026-11-17T09:00:00+08:00", "actor": "王芳"}
    return EventRow.from_json({**head, "recorded_at": head["at"], "origin": origin, **payload})


def test_a_history_close_reads_as_such_with_its_rating() -> None:
    assign = _event(Action.ASSIGN, {"imported": True, "unit": "县交通局"}, origin="import")
    close = _event(
        Action.REVISIT,
        {"imported": True, "history": True, "effect": "closed", "rating": "satisfied"},
        origin="import",
    )
    bare = _event(Action.REVISIT, {"imported": True, "history": True, "effect": "closed"}, origin="import")
    forwarded = _event(
        Action.NOTE, {"imported": True, "acknowledgement": True, "text": "已转县交通局"}, "import"
    )
    rows, line = timeline_rows([assign, forwarded, close, bare])
    # the forwarding office wrote the acknowledgement, not the unit it went to
    assert rows[1][1:] == ("进展", "（导入）", "答复（仅收悉，未办结）: 已转县交通局")
    assert [(label, actor, text) for _, label, actor, text in rows[2:]] == [
        ("销账（历史导入）", "（导入）", "评价: 满意"),
        ("销账（历史导入）", "（导入）", ""),
    ]
    assert line == "（导入）的步骤来自导入的文件，由 王芳 于 2026-11-17 导入"


SAMPLES: dict[str, object] = {
    "handler": "刘强",
    "unit": "杨柳物业服务中心",
    "level": "街道",
    "due_at": "2026-11-20T18:00:00+08:00",
    "previous_due_at": "2026-11-18T18:00:00+08:00",
    "reason": "等待配件",
    "text": "已联系物业",
    "kind": "督办",
    "outcome": "solved",
    "feedback": "电话",
    "result": "已更换灯泡",
    "rating": "satisfied",
    "method": "电话",
    "comment": "很及时",
    "duplicate_of": "YL-2026-0001",
    "channel": "走访",
    "category": "路灯照明",
    "nature": "求助",
    "source_key": "留言编号:101",
    "on_site": "当场调解",
}


@pytest.mark.parametrize("action", list(Action))
def test_every_payload_is_said_in_words(action: Action) -> None:
    payload: dict[str, object] = {key: SAMPLES[key] for key, _ in WORDS[action] if key in SAMPLES}
    payload.update(imported=True, reassign=True, effect="closed", later_key={"几": [1, 2]}, revokes="E0")
    payload.update(undone="resolve", changes={"category": {"old": "路灯", "new": "路灯照明"}})
    text = event_text(_event(action, payload), {}, whole=True)
    assert text and not re.search(r"[{}\[\]\"]", text), text
    assert "later_key: 几: 1、2" in text
    for key, _ in WORDS[action]:
        if key == "outcome":
            assert "已解决" in text
        elif key == "rating":
            assert "满意" in text
        elif key in ("due_at", "previous_due_at"):
            assert str(SAMPLES[key])[:10] in text
        elif key in SAMPLES:
            assert str(SAMPLES[key]) in text, (key, text)
