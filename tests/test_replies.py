"""Replies read for what they say: an answer resolves the case; a reply that only acknowledges, forwards or
names a unit is a note that leaves the case open — and assigns it to the unit it names."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support.cli import Wz
from tests.support.imports import assert_cases_are_folds, write_csv
from wenzheng_cli.domain import replies
from wenzheng_cli.domain.replies import ACK_MAX, Reading, ReplyKind, is_acknowledgement, read_reply

K = ReplyKind


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # no reply
        (None, Reading(K.NONE)),
        ("  ", Reading(K.NONE)),
        ("无", Reading(K.NONE)),
        ("暂无", Reading(K.NONE)),
        # acknowledgement only: received, a date, a greeting, being handled, thanks
        ("已收悉", Reading(K.ACKNOWLEDGED)),
        ("网友：您好！留言已收悉", Reading(K.ACKNOWLEDGED)),
        ("2016年6月12日", Reading(K.ACKNOWLEDGED)),
        ("网友：您好！2019年3月5日", Reading(K.ACKNOWLEDGED)),
        ("此事正在调查处理中。2019年5月31日", Reading(K.ACKNOWLEDGED)),
        ("网友：\u3000您好！ 您反映的问题正在交办中。 感谢您的来信。", Reading(K.ACKNOWLEDGED)),
        ("感谢您对我们工作的关心、监督与支持。", Reading(K.ACKNOWLEDGED)),
        ("“UU008389”您的建议已收悉，感谢您对L9县发展的关心和支持。2018年12月27日", Reading(K.ACKNOWLEDGED)),
        ("尊敬的网友：\u3000您好！您所反映的的事情已收悉，现回复如下：", Reading(K.ACKNOWLEDGED)),
        # forwarded to a named unit
        ("您反映的问题已转至县交通局核实、办理。", Reading(K.FORWARDED_TO_UNIT, "县交通局")),
        (
            "“UU0082277”\u3000\u3000您反映的问题已转至县交通局核实、办理。",
            Reading(K.FORWARDED_TO_UNIT, "县交通局"),
        ),
        ("网友：您好，您所反映的问题已转县教育局。", Reading(K.FORWARDED_TO_UNIT, "县教育局")),
        ("您的留言已收悉。关于您反映的问题，已转F9市调查处理。", Reading(K.FORWARDED_TO_UNIT, "F9市")),
        ("网友：您好！您反映的问题已转L1区调查、核处。", Reading(K.FORWARDED_TO_UNIT, "L1区")),
        (
            "网友：你好！你反映的问题已收悉，我办已转交给七里店社区核实处理。",
            Reading(K.FORWARDED_TO_UNIT, "七里店社区"),
        ),
        (
            "您的留言已收悉，关于您反映的问题，已转市自然资源和规划局调查处理。",
            Reading(K.FORWARDED_TO_UNIT, "市自然资源和规划局"),
        ),
        (
            "网友您好，您在平台《问政西地省》反映的问题已转至市公安局交通警察支队，感谢您的问政。2016年3月23日",
            Reading(K.FORWARDED_TO_UNIT, "市公安局交通警察支队"),
        ),
        (
            "网友“UU008118”您好！您所反映的问题我办已转交市公安局交警支队、市公积金管理中心核处。",
            Reading(K.FORWARDED_TO_UNIT, "市公安局交警支队"),
        ),
        (
            "“”网友：\u3000\u3000您反映的问题已转至县水利局核实、办理。L10县县网宣中心",
            Reading(K.FORWARDED_TO_UNIT, "县水利局"),
        ),
        (
            "网友：您反映的问题已转市交警支队等单位调查核处。2018年11月1日",
            Reading(K.FORWARDED_TO_UNIT, "市交警支队"),
        ),
        (
            "“UU0081989”您好！您反映的情况已收悉，现已转交给河路口镇政府，待核实后给您答复，请耐心等待，谢谢！",
            Reading(K.FORWARDED_TO_UNIT, "河路口镇政府"),
        ),
        (
            "网民您好：您的问题已收悉，有关问题已交办交通运输局调查处理，谢谢！",
            Reading(K.FORWARDED_TO_UNIT, "交通运输局"),
        ),
        (
            "网友：您反映的问题已转市不动产登记中心调查核处。",
            Reading(K.FORWARDED_TO_UNIT, "市不动产登记中心"),
        ),
        # forwarded, no unit named (相关部门 is no unit)
        (
            "您的留言已收悉！我们已将您反映的问题转相关部门进行处理，敬请关注后续回复，谢谢！",
            Reading(K.FORWARDED),
        ),
        ("网民您好：您的问题已收悉，已将有关问题交相关部门调查处理，谢谢！", Reading(K.FORWARDED)),
        ("您好，你所反映的问题已转交相关单位调查处置。", Reading(K.FORWARDED)),
        ("“UU008528”\u3000您反映的情况已转至对应职能部门进行核实、办理。", Reading(K.FORWARDED)),
        (
            "网友：你好！你反映的问题已收悉，我办已转交给区有关单位核实处理，待调查核实清楚后予以回复。",
            Reading(K.FORWARDED),
        ),
        ("网友：您好!您所反映的问题，已转交。2019年10月17日", Reading(K.FORWARDED)),
        ("网友：\u3000您好！您的意见已收悉，我们将迅速向有关部门反馈并作积极处理。", Reading(K.FORWARDED)),
        ("您好！我们已向县交通局反映。", Reading(K.FORWARDED_TO_UNIT, "县交通局")),
        # only a unit's name
        ("国网西地省J9县供电公司", Reading(K.UNIT, "国网西地省J9县供电公司")),
        ("L1区网宣办\xa0 2015年9月18日", Reading(K.UNIT, "L1区网宣办")),
        # answers
        ("请咨询K市人社部门。", Reading(K.ANSWER)),
        ("经核实已维修，现已恢复供暖。", Reading(K.ANSWER)),
        ("您反映的问题不属于我单位职责范围，感谢您的留言。", Reading(K.ANSWER)),
        ("网友：您好！您所反映的问题，已进行过回复。", Reading(K.ANSWER)),
        (
            "您好，收到您反映的情况后，我们迅速转教体局。根据后续反馈的情况，目前事情已得到妥善处理。",
            Reading(K.ANSWER),
        ),
        (
            "网友：您反映的问题已转红十字会。如有问题，请电话咨询市红十字会，电话：0745-2235116。",
            Reading(K.ANSWER),
        ),
        ("网友，您好！因年底天气原因暂未动工，今年天气好转会马上施工。", Reading(K.ANSWER)),
        ("网友：您好！留言已收悉，请进一步完善个人信息以便处理。", Reading(K.ANSWER)),
    ],
)
def test_each_rule(text: str | None, expected: Reading) -> None:
    assert read_reply(text) == expected
    assert is_acknowledgement(text or "") is (
        expected.kind in (K.ACKNOWLEDGED, K.FORWARDED, K.FORWARDED_TO_UNIT, K.UNIT)
    )


def test_an_answer_that_mentions_forwarding_stays_an_answer() -> None:
    """已转 in passing inside a real answer: a long reply says more than "forwarded" (ACK_MAX), and a short one
    that says anything besides the forwarding (a finding, advice) is an answer too."""
    short = (
        "您好！您反映的问题已转至县交通局核实、办理。经县交通局现场核实，该路段路灯线路老化，已于11月5日更换线路，"
        "现已恢复照明。感谢您对我们工作的支持。"
    )
    long = short + "如仍有问题，可拨打县交通局值班电话，我们将继续跟进，确保路灯长期正常使用。"
    assert len(short) <= ACK_MAX < len(long)
    assert read_reply(short) == read_reply(long) == Reading(K.ANSWER)
    assert read_reply("已转县交通局，路灯已于11月5日修复。") == Reading(K.ANSWER)
    assert read_reply("经核实，已向县交通局反映，路灯已修好。") == Reading(K.ANSWER)
    forwarding = "您反映的问题已转至县交通局核实、办理。"
    assert read_reply(forwarding + "感谢您的留言。" * 10) == Reading(K.ANSWER)  # over ACK_MAX: never read


def test_a_unit_name_is_read_whole() -> None:
    """Never cut mid-word: the handling words after a name (调查核处, 核实办理) are not part of it, and a name that
    contains such a character (不动产, 自然资源和规划局) is kept whole."""
    assert read_reply("已转L市第一人民医院调查核处。").unit == "L市第一人民医院"
    assert read_reply("您反映的问题已转交县房地“两证”处遗办进行办复。").unit == "县房地“两证”处遗办"
    assert read_reply("您反映的问题已转交火场土家族乡人民政府进行核处。").unit == "火场土家族乡人民政府"
    assert read_reply("您反映的问题已转交高速公路管理处调查办复。").unit == "高速公路管理处"


def _import(wz: Wz, path: Path) -> dict[str, object]:
    report: dict[str, object] = wz.json("import", str(path))
    return report


def test_a_forwarding_reply_leaves_the_case_open_and_assigned(
    wz: Wz, tmp_path: Path, ledger_env: Path
) -> None:
    rows = [
        ["受理时间", "诉求内容", "承办单位", "答复意见", "答复时间"],
        ["2026/11/2 9:00", "公交站牌被撞歪", "", "您反映的问题已转至县交通局核实、办理。", "2026/11/3 10:00"],
        ["2026/11/2 9:10", "停电两天", "", "国网西地省J9县供电公司", "2026/11/3 11:00"],
        ["2026/11/2 9:20", "楼道堆物", "城管科", "您反映的问题已转至县交通局核实、办理。", "2026/11/3 12:00"],
        ["2026/11/2 9:30", "井盖缺失", "", "已转相关部门调查处理。", "2026/11/3 13:00"],
        ["2026/11/2 9:40", "路灯不亮", "", "经核实，路灯已于11月3日修复。", "2026/11/3 14:00"],
    ]
    report = _import(wz, write_csv(tmp_path / "r.csv", rows))
    assert (report["imported"], report["resolved"]) == (5, 1)
    cases = [wz.json("show", str(n)) for n in range(1, 6)]
    assert [(c["status"], c["unit"]) for c in cases] == [
        ("assigned", "县交通局"),
        ("assigned", "国网西地省J9县供电公司"),
        ("assigned", "城管科"),  # the row's own unit stands
        ("registered", None),
        ("resolved", None),
    ]
    first = cases[0]["events"]
    assert [(e["action"], e["at"]) for e in first] == [
        ("intake", "2026-11-02T09:00:00+08:00"),
        ("assign", "2026-11-02T09:00:00+08:00"),
        ("note", "2026-11-03T10:00:00+08:00"),
    ]
    assert first[1]["unit"] == "县交通局" and first[1]["imported"] is True
    assert (first[2]["text"], first[2]["acknowledgement"]) == ("您反映的问题已转至县交通局核实、办理。", True)
    assert assert_cases_are_folds(ledger_env) == 5


def test_a_later_export_reads_the_reply_the_same_way(wz: Wz, tmp_path: Path, ledger_env: Path) -> None:
    """The messages first, the same rows with their replies later: the forwarding assigns the ledger case."""
    head = ["留言编号", "受理时间", "诉求内容", "答复意见", "答复时间"]
    first = [head, ["7", "2026/11/2 9:00", "公交站牌被撞歪", "", ""]]
    later = [
        head,
        [
            "7",
            "2026/11/2 9:00",
            "公交站牌被撞歪",
            "网友：您好！您反映的问题已转市民政局调查、核处。",
            "2026/11/4 8:00",
        ],
    ]
    _import(wz, write_csv(tmp_path / "a.csv", first))
    report = _import(wz, write_csv(tmp_path / "b.csv", later))
    assert (report["updated"], report["resolved"]) == (1, 0)
    case = wz.json("show", "1")
    assert (case["status"], case["unit"]) == ("assigned", "市民政局")
    assert [e["action"] for e in case["events"]] == ["intake", "assign", "note"]
    assert _import(wz, write_csv(tmp_path / "c.csv", later))["skipped_existing"] == 1
    assert assert_cases_are_folds(ledger_env) == 1


SHORT_REPLIES = [
    "您反映的问题已转至县交通局核实、办理。",
    "“UU0082271”：\u3000\u3000您反映的问题已转至县交通局核实、办理。",
    "网民您好：您的问题已收悉，已将有关问题交相关部门调查处理，谢谢！",
    "您的留言已收悉！我们已将您反映的问题转相关部门进行处理，敬请关注后续回复，谢谢！",
    "国网西地省J9县供电公司",
    "网友：您好！您反映的问题，我们已转交市公安局。2019年8月21日",
    "“UU0081204”您好！您反映的问题已转县电力公司核查、办复，感谢您的留言，祝您事事顺心。",
    "网友：您好！您反映的问题已转L6县调查、核处。",
    "亲爱的网友：\u3000\u3000您反映的问题转至县民宗局核实、办理。",
    "“UU008468”：您好，您反映的问题已转交安坪镇核实、办复。2020年1月7日",
    "网友：你好！你反映的问题，我们已转交电力部门。2019年3月28日",
    "网友您好：您反映的问题已收悉并交有关单位调查核处，如有情况将及时回复！2019年12月25日",
    "“UU0081329”您好。你反映的问题已转相关部门。相关进度将及时反馈。2019年7月16日",
]


def test_short_forwarding_replies_resolve_nothing(wz: Wz, tmp_path: Path, ledger_env: Path) -> None:
    """The export where 65 short forwarding notices and unit names each resolved their case: none does now;
    the two real answers do."""
    rows = [["留言编号", "受理时间", "诉求内容", "答复意见", "答复时间"]]
    replies = [*SHORT_REPLIES * 5, "经核实已维修，现已恢复供暖。", "请咨询K市人社部门。"]
    for n, reply in enumerate(replies, start=1):
        rows.append(
            [str(n), f"2026/11/2 {8 + n // 60}:{n % 60:02d}", f"诉求{n}：路面破损", reply, "2026/11/5 9:00"]
        )
    report = _import(wz, write_csv(tmp_path / "short.csv", rows))
    assert (report["imported"], report["resolved"]) == (67, 2)
    conn = sqlite3.connect(ledger_env)
    statuses = dict(conn.execute("SELECT status, COUNT(*) FROM cases GROUP BY status").fetchall())
    assert statuses == {"assigned": 45, "registered": 20, "resolved": 2}
    notes = conn.execute("SELECT payload FROM events WHERE action = 'note'").fetchall()
    assert len(notes) == 65 and all(json.loads(p)["acknowledgement"] is True for (p,) in notes)
    units = {u for (u,) in conn.execute("SELECT unit FROM cases WHERE unit IS NOT NULL")}
    assert units == {
        "县交通局",
        "国网西地省J9县供电公司",
        "市公安局",
        "县电力公司",
        "L6县",
        "县民宗局",
        "安坪镇",
        "电力部门",
    }
    assert assert_cases_are_folds(ledger_env) == 67


# Pieces of texts: the words the gated patterns need, phrases they match, and plain characters.
_PIECES = [
    *replies._BOILERPLATE._needs,
    *replies._SAID._needs,
    *replies._BARE_UNIT._needs,
    *("网友您好", "感谢您的来信", "已收悉", "市城管局", "请耐心等待", "正在处理中", "会及时回复您", "尊敬的"),
    *"，。：: 的对了后再A1U“”路灯已经修好物业",
]


@settings(max_examples=400, deadline=None)
@given(pieces=st.lists(st.sampled_from(_PIECES), max_size=8))
def test_a_gated_pattern_matches_as_the_pattern_itself(pieces: list[str]) -> None:
    """A pattern left uncompiled for a text holding none of the words every match needs (so that a plain 办结
    typed at the counter compiles nothing) matches exactly as the pattern compiled does."""
    text = "".join(pieces)
    assert replies._BOILERPLATE.sub(" ", text) == replies._BOILERPLATE.compiled.sub(" ", text)
    for gated in (replies._SAID, replies._BARE_UNIT):
        assert (gated.fullmatch(text) is None) == (gated.compiled.fullmatch(text) is None)
