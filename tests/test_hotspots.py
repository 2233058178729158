"""``wenzheng hotspots``: planted groups found exactly among unrelated cases; places keep groups apart."""

from __future__ import annotations

import json
from pathlib import Path
from typing import cast

import pytest
from openpyxl import load_workbook

from tests.support.cli import Wz
from tests.support.ledgers import built_once

pytestmark = pytest.mark.contract

# (text, address, resident, phone, day): each group is one problem at one place, spread over weeks.
ELEVATOR_SUNSHINE = [
    (
        "阳光花园3号楼电梯又坏了，老人上下楼困难，电梯故障停运",
        "阳光花园3号楼",
        "李桂兰",
        "13800000001",
        "2026-09-01",
    ),
    ("阳光花园电梯经常故障停运，老人上下楼很困难", "阳光花园7号楼", "王建国", "13800000002", "2026-09-09"),
    ("阳光花园的电梯故障停运一周了，老人上下楼困难", None, "张秀英", "13800000003", "2026-09-17"),
    ("阳光花园电梯故障，停运多日无人维修", "阳光花园12号楼", "刘志强", "13800000004", "2026-09-28"),
    ("反映阳光花园小区电梯故障停运，上下楼困难", None, "陈丽华", "13800000005", "2026-10-06"),
]
ELEVATOR_HAPPY = [  # the same problem at another estate: must stay its own group
    ("幸福里电梯故障停运，老人上下楼困难", "幸福里5号楼", "赵淑珍", "13900000001", "2026-09-03"),
    ("幸福里小区电梯又故障停运了，上下楼困难", "幸福里8号楼", "孙玉梅", "13900000002", "2026-09-15"),
    ("幸福里电梯故障停运无人维修，老人上下楼困难", "幸福里2号楼", "周海燕", "13900000003", "2026-09-30"),
]
LAMPS_RIVER = [
    ("清河湾门口路灯不亮，夜间出行不安全", "清河湾5栋", "吴明军", "13700000001", "2026-10-12"),
    ("清河湾路灯坏了好几盏不亮，晚上出行不安全", "清河湾9栋", "徐文华", "13700000002", "2026-10-20"),
    ("清河湾小区门口的路灯一直不亮，夜里出行很不安全", None, "胡伟", "13700000003", "2026-11-02"),
    ("清河湾路灯不亮，夜间出行不安全，请尽快维修", "清河湾1栋", "朱红霞", "13700000004", "2026-11-10"),
]
UNRELATED = [
    ("楼上住户装修噪音扰民，周末早上七点就开始", "新华苑2号楼"),
    ("咨询老年优待证办理需要哪些材料", None),
    ("小区门口无证摊贩占道经营，垃圾遍地", "胜利家园"),
    ("家中暖气不热，室温只有十二度", "红星公寓4号楼"),
    ("独居老人行动不便，希望帮助申请助餐服务", "朝阳小区6号楼"),
    ("地下室通道堆满废旧家具，影响通行", "建设新村3号楼"),
    ("广场舞音响声音过大影响休息", "和平小区"),
    ("医保异地备案如何办理", None),
    ("相邻住户因公共区域占用发生争执", "东风小区2号楼"),
    ("希望社区开展老年人免费体检", None),
    ("共享单车乱停放堵塞盲道", "光明路"),
    ("外墙瓷砖脱落有坠落危险", "北苑小区9号楼"),
    ("商铺违规排放油烟，熏得开不了窗", "幸福里底商"),
    ("燃气表读数异常，担心漏气", "阳光花园5号楼"),
    ("养老金资格认证操作不会，请人指导", None),
    ("社区图书室开放时间太短，希望延长", None),
]


def plant(wz: Wz) -> dict[str, list[str]]:
    """``_plant`` into this test's ledger (built once, copied after)."""
    return built_once("hotspots", wz, _plant)


def _plant(wz: Wz) -> dict[str, list[str]]:
    wz("init", "--office", "YL")
    numbers: dict[str, list[str]] = {}
    for name, rows in (("sunshine", ELEVATOR_SUNSHINE), ("happy", ELEVATOR_HAPPY), ("river", LAMPS_RIVER)):
        for text, address, resident, phone, day in rows:
            extra = ["--address", address] if address else []
            made = wz.json("intake", text, "--resident", resident, "--phone", phone, "--at", day, *extra)
            numbers.setdefault(name, []).append(made["number"])
    for i, (text, address) in enumerate(UNRELATED):
        extra = ["--address", address] if address else []
        day = f"2026-{9 + i % 3:02d}-{1 + (i * 7) % 20:02d}"
        made = wz.json("intake", text, "--phone", f"1360000{i:04d}", "--at", day, *extra)
        numbers.setdefault("other", []).append(made["number"])
    return numbers


def test_planted_groups_found_exactly(wz: Wz) -> None:
    n = plant(wz)
    data = wz.json("hotspots")
    assert data["period"] == {"start": "2026-08-26", "end": "2026-11-23"}
    found = {frozenset(h["numbers"]): h for h in data["hotspots"]}
    assert set(found) == {frozenset(n["sunshine"]), frozenset(n["happy"]), frozenset(n["river"])}
    sunshine = found[frozenset(n["sunshine"])]
    assert sunshine == {
        "rank": sunshine["rank"],
        "heat": sunshine["heat"],
        "place": "阳光花园",
        "summary": sunshine["summary"],
        "cases": 5,
        "people": 5,
        "start": "2026-09-01",
        "end": "2026-10-06",
        "numbers": n["sunshine"],
        "communities": [],  # none typed
        "offices": ["YL"],  # an office without a name: its code
    }
    # Heat: 5 people, no repeats, no support, last case 2026-10-06 in a period of 2026-08-26 … 2026-11-23.
    assert sunshine["heat"] == pytest.approx(5 * (0.5 + 0.5 * 0.4545), abs=0.02)
    assert found[frozenset(n["happy"])]["place"] == "幸福里"
    river = found[frozenset(n["river"])]
    assert (river["place"], river["cases"], river["people"]) == ("清河湾", 4, 4)
    assert "路灯" in river["summary"]
    assert [h["rank"] for h in data["hotspots"]] == [1, 2, 3]
    heats = [h["heat"] for h in data["hotspots"]]
    assert heats == sorted(heats, reverse=True)


def test_a_problem_at_one_place_is_one_hotspot_across_long_gaps(wz: Wz) -> None:
    n = plant(wz)
    data = wz.json("hotspots", "--window", "10d")
    # Gaps of 8, 8, 11, 8 days (阳光花园), 8, 13, 8 (清河湾): the window splits the runs, the place joins them
    # again, as they do 幸福里's cases, each alone in its run (gaps of 12 and 15 days).
    assert {frozenset(h["numbers"]) for h in data["hotspots"]} == {
        frozenset(n["sunshine"]),
        frozenset(n["river"]),
        frozenset(n["happy"]),
    }


def test_one_person_repeating_is_no_hotspot(wz: Wz) -> None:
    wz("init", "--office", "YL")
    for day in ("2026-10-01", "2026-10-08", "2026-10-15"):
        wz("intake", "阳光花园电梯故障停运", "--phone", "13800000001", "--at", day)
    assert wz.json("hotspots")["hotspots"] == []


def test_top_and_period(wz: Wz) -> None:
    plant(wz)
    data = wz.json("hotspots", "--top", "1", "--since", "2026-10-01", "--until", "2026-11-23")
    assert len(data["hotspots"]) == 1
    assert data["hotspots"][0]["place"] == "清河湾"  # sunshine's cases before October are left out
    assert data["period"] == {"start": "2026-10-01", "end": "2026-11-23"}


def test_support_counts_raise_the_heat(wz: Wz, tmp_path: Path) -> None:
    wz("init", "--office", "YL")
    path = tmp_path / "board.csv"
    path.write_text(
        "留言编号,留言用户,留言时间,留言详情,点赞数\n"
        "1,A1,2026-10-01 09:00,清河湾路灯不亮夜间出行不安全,0\n"
        "2,A2,2026-10-03 09:00,清河湾路灯不亮夜间出行不安全请维修,7\n",
        encoding="utf-8",
    )
    wz("import", str(path))
    (spot,) = wz.json("hotspots")["hotspots"]
    # 2 people, support 7: (2 + log2(8)) × (0.5 + 0.5 × position of 2026-10-03 in the period)
    position = (38 * 86400 + 9 * 3600) / (90 * 86400 - 1)
    assert spot["heat"] == pytest.approx(5 * (0.5 + 0.5 * position), abs=0.01)


def test_bad_input(wz: Wz) -> None:
    result = wz.fail("hotspots")
    assert "台账" in result.stderr  # no ledger yet
    plant(wz)
    empty = wz.fail("hotspots", "--since", "2020-01-01", "--until", "2020-12-31")
    assert empty.stderr.splitlines() == [
        "错误: 2020-01-01 至 2020-12-31 没有受理的案件",
        "提示: 台账中案件的受理日期在 2026-09-01 至 2026-11-19 之间；用 --since 和 --until 指定统计期，"
        "如 --since 2026-09-01 --until 2026-11-19",
    ]
    assert "晚于" in wz.fail("hotspots", "--since", "2026-11-01", "--until", "2026-10-01").stderr
    assert "--top" in wz.fail("hotspots", "--top", "0").stderr
    assert "时限" in wz.fail("hotspots", "--window", "soon").stderr
    assert "格式" in wz.fail("hotspots", "--format", "pdf", code=2).stderr


def test_files(wz: Wz, tmp_path: Path) -> None:
    n = plant(wz)
    xlsx = tmp_path / "热点.xlsx"
    wz("hotspots", "--output", str(xlsx))
    book = load_workbook(xlsx)
    assert book.sheetnames == ["热点问题表", "明细表"]
    # Under the title rows (the title, then the period) and the header.
    detail = [row for row in book["明细表"].iter_rows(min_row=4, values_only=True) if row[0] is not None]
    assert sorted(cast(str, row[2]) for row in detail) == sorted(n["sunshine"] + n["happy"] + n["river"])
    page = tmp_path / "热点.html"
    wz("hotspots", "--format", "html", "--output", str(page))
    text = page.read_text(encoding="utf-8")
    assert text.count('class="bar"') == 3 and "http" not in text.replace(
        'xmlns="http://www.w3.org/2000/svg"', ""
    )
    assert "热度 = " in text
    csv_text = wz("hotspots", "--format", "csv").stdout
    assert csv_text.startswith("\ufeff热点问题表") and "阳光花园" in csv_text
    table = wz("hotspots").stdout
    assert "热度 = " in table and "阳光花园" in table
    assert json.loads(wz("hotspots", "--format", "json").stdout)["hotspots"][0]["rank"] == 1


def test_table_fits_a_narrow_terminal(wz: Wz, monkeypatch: pytest.MonkeyPatch) -> None:
    from wenzheng_cli.domain.text import text_width

    plant(wz)
    monkeypatch.setenv("COLUMNS", "80")
    out = wz("hotspots").stdout
    table = [line for line in out.splitlines() if line.startswith(("┃", "│"))]
    assert len(table) == 4  # the heading and three hotspots
    assert all(text_width(line) <= 80 for line in out.splitlines())
    assert "阳光花园" in out and "2026-09-01～10-06" in out
