"""Every grouping of the monthly 通报 (``--by``, in English or Chinese), and the fixed figures, worked out by hand."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.cli import Wz
from tests.test_report_monthly import TOTALS, act, build_october

pytestmark = pytest.mark.contract


def intake(wz: Wz, text: str, at: str, *options: str) -> str:
    return str(wz.json("intake", text, "--at", f"2026-{at}", *options)["number"])


def build(wz: Wz) -> dict[str, str]:
    """October 2026, five cases over two grids (no communities listed). Levels: 网格 < 社区 < 街道 < 区."""
    wz("init", "--office", "WZ", "--name", "杨柳街道")
    n: dict[str, str] = {}
    # G1 一网格 投诉: assigned to 王芳 (城管科) at 网格 level, claimed, resolved on time.
    n["G1"] = g1 = intake(wz, "楼道堆物", "10-12 09:00", "--grid", "一网格", "--nature", "投诉")
    act(wz, "assign", g1, "10-12 10:00", "--to 王芳 --unit 城管科 --level 网格 --due 2026-10-16")
    act(wz, "claim", g1, "10-12 11:00", "--operator 王芳")
    act(wz, "resolve", g1, "10-13 10:00", "--result 已清理 --operator 王芳")
    # G2 一网格 求助: assigned to 李强 (环卫所, level 社区 by default), returned by him, reassigned to 王芳.
    n["G2"] = g2 = intake(wz, "垃圾清运", "10-13 09:00", "--grid", "一网格", "--nature", "求助")
    act(wz, "assign", g2, "10-13 10:00", "--to 李强 --unit 环卫所 --due 2026-10-20")
    act(wz, "return", g2, "10-13 15:00", "--reason 不属本单位 --operator 李强")
    act(wz, "assign", g2, "10-14 09:00", "--to 王芳 --unit 城管科 --due 2026-10-20")
    act(wz, "claim", g2, "10-14 10:00", "--operator 王芳")
    act(wz, "resolve", g2, "10-15 10:00", "--result 已清运 --operator 王芳")
    # G3 二网格 投诉: assigned to 李强, escalated to 街道 (街道办, 赵敏), resolved there.
    n["G3"] = g3 = intake(wz, "路面塌陷", "10-14 09:00", "--grid", "二网格", "--nature", "投诉")
    act(wz, "assign", g3, "10-14 10:00", "--to 李强 --unit 环卫所 --due 2026-10-23")
    act(wz, "escalate", g3, "10-15 10:00", "--level 街道 --to 赵敏 --unit 街道办 --reason 需协调")
    act(wz, "resolve", g3, "10-16 10:00", "--result 已修复 --operator 赵敏")
    # G4: no grid, no nature; registered only.
    n["G4"] = intake(wz, "咨询政策", "10-15 09:00")
    # G5 二网格 咨询: resolved on the spot (level 社区), then 不满意 → 重办 (a new due date), resolved again.
    n["G5"] = g5 = intake(
        wz, "低保材料", "10-16 09:00", "--grid", "二网格", "--nature", "咨询", "--on-site", "已告知"
    )
    act(wz, "revisit", g5, "10-16 15:00", "--rating 不满意 --operator 回访员")
    act(wz, "resolve", g5, "10-19 10:00", "--result 已陪同办理")
    return n


def groups(wz: Wz, by: str) -> dict[str | None, dict[str, Any]]:
    data = wz.json("report", "monthly", "--month", "2026-10", "--by", by)
    return {g["key"]: g for g in data["groups"]}


def pick(group: dict[str, Any], *keys: str) -> tuple[Any, ...]:
    return tuple(group["totals"][k] for k in keys)


def test_by_grid(wz: Wz) -> None:
    build(wz)
    found = groups(wz, "grid")
    assert set(found) == {"一网格", "二网格", None}
    # 一网格: G1 G2, both resolved; G2's 退单 is the grid's own (a grid is a field the case came with).
    assert pick(found["一网格"], "received", "resolved", "returned", "on_site", "committed") == (
        2,
        2,
        1,
        0,
        2,
    )
    # 二网格: G3 (committed) and G5 (on site, reopened with a due date: still on site only).
    assert pick(found["二网格"], "received", "resolved", "on_site", "committed", "reopened") == (
        2,
        2,
        1,
        1,
        1,
    )
    assert found["二网格"]["rates"]["reopen_rate"] == 0.5
    assert pick(found[None], "received", "resolved") == (1, 0) and found[None]["rank"] is None
    # Grids an office lists show even without a case.
    wz("config", "add", "grids", "一网格", "二网格", "三网格")
    assert groups(wz, "网格")["三网格"]["totals"]["received"] == 0


def test_by_level(wz: Wz) -> None:
    build(wz)
    found = groups(wz, "level")
    # In force at the end of the month: G1 网格, G2 社区 (the default of an assignment), G3 街道 (提级),
    # G5 社区 (on site at the intake level); G4 has none. G2's 退单 counts at 社区, where it was then.
    assert set(found) == {"网格", "社区", "街道", None}
    assert pick(found["网格"], "received", "grassroots", "resolved_with_level") == (1, 1, 1)
    assert pick(found["社区"], "received", "returned", "grassroots") == (2, 1, 2)
    assert pick(found["街道"], "received", "escalated", "grassroots") == (1, 1, 1)
    assert pick(found[None], "received") == (1,)
    assert groups(wz, "层级") == found


def test_by_nature(wz: Wz) -> None:
    build(wz)
    found = groups(wz, "性质")
    assert {k: g["totals"]["received"] for k, g in found.items()} == {
        "投诉": 2,
        "求助": 1,
        "咨询": 1,
        None: 1,
    }
    assert pick(found["投诉"], "resolved", "escalated") == (2, 1)
    assert groups(wz, "nature") == found


def test_by_handler_counts_a_return_against_the_one_who_returned_it(wz: Wz) -> None:
    build(wz)
    found = groups(wz, "承办人")
    # 王芳 holds G1 and G2; 赵敏 G3 (提级 with a new handler); G4 and G5 have none (on site, no assignment).
    assert {k: g["totals"]["received"] for k, g in found.items()} == {
        "王芳": 2,
        "赵敏": 1,
        "李强": 0,
        None: 2,
    }
    # 李强 returned G2: the 退单 and its point are his, though the case is 王芳's now.
    assert pick(found["李强"], "returned") == (1,) and found["李强"]["points"] == -1.0
    assert pick(found["王芳"], "returned") == (0,) and found["王芳"]["points"] == 0.0
    assert found["李强"]["rank"] is None and found[None]["rank"] is None  # no score; the blank group
    assert groups(wz, "handler") == found


WORDS = {"社区": "community", "网格": "grid", "片区": "grid", "单位": "unit", "承办单位": "unit"} | {
    "类别": "category",
    "渠道": "channel",
    "层级": "level",
    "性质": "nature",
    "承办人": "handler",
}


@pytest.mark.parametrize(("word", "key"), WORDS.items())
def test_chinese_names_of_the_groupings(wz: Wz, word: str, key: str) -> None:
    wz("init")
    assert wz.json("report", "monthly", "--by", word)["by"] == key
    assert wz.json("report", "monthly", "--by", key.upper())["by"] == key


def test_activity_items_split_into_on_site_and_committed(wz: Wz) -> None:
    """问政日: an item resolved on the spot and reopened later stays 现场办结 only, so on site + committed = items."""
    wz("init")
    wz("activity", "add", "10月问政日", "--at", "2026-10-15 09:00", "--kind", "问政日")
    a = intake(wz, "路灯", "10-15 09:10", "--activity", "1", "--on-site", "已报修")
    b = intake(wz, "井盖", "10-15 09:20", "--activity", "1")
    act(wz, "assign", b, "10-15 10:00", "--to 王芳 --within 5wd")
    act(wz, "revisit", a, "10-16 10:00", "--rating 不满意 --operator 回访员")
    data = wz.json("report", "monthly", "--month", "2026-10")
    assert data["activity"] == {
        "sessions": 1,
        "by_kind": {"问政日": 1},
        "items": 2,
        "on_site": 1,
        "committed": 1,
    }
    assert (data["totals"]["on_site"], data["totals"]["committed"]) == (1, 1)


def test_grassroots_rate_needs_a_level(wz: Wz, tmp_path: Any) -> None:
    """Replies imported from a platform carry no level: 基层化解率 is — (null), not 0 %."""
    wz("init")
    source = tmp_path / "留言.csv"
    source.write_text(
        "留言编号,留言时间,留言详情,答复意见,答复时间\n"
        "A1,2026/10/12 9:00,路灯不亮,已修复,2026/10/14 10:00\n"
        "A2,2026/10/13 9:00,井盖松动,已加固,2026/10/15 10:00\n",
        encoding="utf-8",
    )
    wz("import", str(source))
    data = wz.json("report", "monthly", "--month", "2026-10")
    assert (data["totals"]["resolved"], data["totals"]["resolved_with_level"]) == (2, 0)
    assert data["rates"]["grassroots_rate"] is None and data["rates"]["completion_rate"] == 1.0
    md = wz("report", "monthly", "--month", "2026-10", "--format", "md").stdout
    lines = [line.split(" | ") for line in md.splitlines() if line.startswith("| ")]
    header, total = lines[0], next(line for line in lines if line[1] == "合计")
    assert total[header.index("基层化解率")] == "—" and total[header.index("办结率")] == "100.0%"


def test_the_blank_group_has_one_name(wz: Wz) -> None:
    wz("init")
    intake(wz, "没有类别", "10-12 09:00")
    intake(wz, "有类别", "10-12 10:00", "--category", "环境卫生", "--community", "杨柳")
    data = wz.json("report", "monthly", "--month", "2026-10")
    assert [g["key"] for g in data["groups"]] == ["杨柳", None] and data["groups"][1]["rank"] is None
    table = wz("report", "monthly", "--month", "2026-10").stdout
    assert "（未填）" in table and "（未分类）" not in table
    # In 类别前列 too: the case without a category is listed under the same name.
    assert table.count("（未填）") >= 3  # 办理情况, 各项比率, 督办与提级 … and 类别前列


def test_feedback_limit_is_configurable(wz: Wz) -> None:
    """按时反馈率 against ``span.feedback``: feedback on the 3rd working day is on time within 5wd, late within 2wd."""
    wz("init")
    a = intake(wz, "路灯", "10-12 09:00")  # Monday
    act(wz, "assign", a, "10-12 10:00", "--to 王芳 --within 5wd")
    act(wz, "resolve", a, "10-15 10:00", "--result 已修 --feedback 电话 --operator 王芳")  # Thursday
    rate = wz.json("report", "monthly", "--month", "2026-10")["rates"]["on_time_feedback_rate"]
    assert rate == 1.0
    wz("config", "set", "span.feedback", "2wd")  # ends on Wednesday 10-14
    assert wz.json("report", "monthly", "--month", "2026-10")["rates"]["on_time_feedback_rate"] == 0.0


def test_by_unit_uses_the_unit_in_force(wz: Wz) -> None:
    build_october(wz)
    data = wz.json("report", "monthly", "--month", "2026-10", "--by", "unit")
    groups = {g["key"]: g for g in data["groups"]}
    # B1 was escalated to 区住建局; B2 returned by 派出所 and done by 人民调解委员会; A4 and B4 have no unit.
    # 派出所 is there for the 退单 alone, which counts against the unit the case was returned from.
    assert set(groups) == {
        "派出所",
        "城管科",
        "环卫所",
        "物业公司",
        "市政工程所",
        "区住建局",
        "人民调解委员会",
        "城管执法中队",
        None,
    }
    assert groups["区住建局"]["totals"]["grassroots"] == 0
    returned_from = groups["派出所"]
    assert (returned_from["totals"]["returned"], returned_from["totals"]["received"]) == (1, 0)
    assert (returned_from["points"], returned_from["score"], returned_from["rank"]) == (-1.0, None, None)
    # 人民调解委员会 did B2 (difficulty 2): resolved on time, not yet closed; no 退单 and no point against it.
    assert groups["人民调解委员会"]["totals"]["returned"] == 0 and groups["人民调解委员会"]["points"] == 0
    assert groups[None]["totals"]["received"] == 2  # A4 (on site) and B4 (registered)
    # The blank group has a score but no rank: the seven named groups with a score are ranked among themselves.
    assert groups[None]["score"] is not None and groups[None]["rank"] is None
    ranked = [g["key"] for g in data["groups"] if g["rank"] is not None]
    assert len(ranked) == 7 and None not in ranked and "派出所" not in ranked
    assert data["groups"][-1]["key"] is None
    # 市政工程所: A6 in the cohort, overdue; P1 (September) overdue too.
    assert groups["市政工程所"]["totals"]["overdue_open"] == 2
    assert groups["城管科"]["totals"]["activities"] is None  # activities belong to communities
    assert data["totals"] == TOTALS
