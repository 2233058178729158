"""``wenzheng hotspots``: the place is the strongest sign. Cases at one estate or road belong together when they
share the category or a word of the problem; grammar, everyday names and other kinds of place do not join them.
And the printed 热点问题表 keeps its case numbers on the page."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from tests.support.cli import Wz
from tests.test_hotspots_planted import background
from tests.test_print_layout import check_readable, needs_office
from wenzheng_cli.analysis import problems
from wenzheng_cli.analysis.clusters import Gazetteer, place_core
from wenzheng_cli.analysis.text import places_in
from wenzheng_cli.core import hotspots as core_hotspots


def _import(wz: Wz, path: Path, rows: list[tuple[str, str, str, str]]) -> None:
    """(text, category, day, phone) rows into a fresh ledger through ``import``."""
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(["留言详情", "类别", "留言时间", "联系电话"])
        out.writerows(rows)
    wz("init", "--office", "YL")
    wz("import", str(path))


def _spots(wz: Wz) -> list[tuple[int, ...]]:
    """Each hotspot as the sorted numbers of its cases (numbered as received: the rows' order here)."""
    data = wz.json("hotspots", "--since", "2026-01-01", "--until", "2026-11-30")
    return sorted(tuple(sorted(int(n.rsplit("-", 1)[1]) for n in h["numbers"])) for h in data["hotspots"])


def _noise(count: int) -> list[tuple[str, str, str, str]]:
    """Unrelated messages, received after the planted ones (which keep the first numbers)."""
    return [
        (text, "", f"2026-11-{1 + i % 20:02d}", f"136{i:08d}") for i, text in enumerate(background(count))
    ]


def test_one_place_and_one_category_with_no_word_in_common_is_one_hotspot(wz: Wz, tmp_path: Path) -> None:
    rows = [
        ("梅溪湖小区经常停水不通知，做饭洗澡受影响", "水电暖气燃气", "2026-04-01", "13800000001"),
        ("梅溪湖小区自来水水压太低，楼上没水", "水电暖气燃气", "2026-04-03", "13800000002"),
        ("梅溪湖小区频繁断水，生活很不便", "水电暖气燃气", "2026-04-06", "13800000003"),
    ]
    _import(wz, tmp_path / "board.csv", rows + _noise(60))
    assert _spots(wz) == [(1, 2, 3)]


def test_one_place_with_other_categories_and_no_word_in_common_stays_apart(wz: Wz, tmp_path: Path) -> None:
    rows = [
        ("梅溪湖小区经常停水不通知，做饭洗澡受影响", "水电暖气燃气", "2026-04-01", "13800000001"),
        ("梅溪湖小区广场舞音响太吵，晚上睡不着", "噪音扰民", "2026-04-03", "13800000002"),
        ("梅溪湖小区频繁断水，生活很不便", "水电暖气燃气", "2026-04-06", "13800000003"),
        ("梅溪湖小区跳广场舞的音响声音很大", "噪音扰民", "2026-04-08", "13800000004"),
    ]
    _import(wz, tmp_path / "board.csv", rows + _noise(60))
    assert _spots(wz) == [(1, 3), (2, 4)]


def test_one_place_and_one_word_of_the_problem_is_one_hotspot(wz: Wz, tmp_path: Path) -> None:
    # Worded apart (机器轰鸣 / 施工噪声): only 休息 is shared, and the factory.
    rows = [
        ("恒天重工原厂机器轰鸣整夜不停，影响休息", "", "2026-03-01", "13800000001"),
        ("恒天重工原厂设备轰鸣昼夜不停，严重影响休息", "", "2026-03-05", "13800000002"),
        ("恒天重工原厂半夜施工噪声扰民，附近居民无法休息", "", "2026-03-09", "13800000003"),
    ]
    _import(wz, tmp_path / "board.csv", rows + _noise(60))
    assert _spots(wz) == [(1, 2, 3)]


def test_other_categories_at_one_place_need_more_than_one_shared_word(wz: Wz, tmp_path: Path) -> None:
    # 邻居 is in all four: a parking dispute and a barking dog at one estate are two problems, each filed so.
    rows = [
        (
            "东风里小区停车位被长期占用，与邻居沟通无果，希望物业出面协调解决",
            "群众纠纷",
            "2026-10-01",
            "13800000001",
        ),
        ("东风里小区邻居家狗夜间吠叫影响休息，老人孩子都睡不好觉", "文明养犬", "2026-10-02", "13800000002"),
        ("东风里小区车位被邻居长期占着不让停，协调多次无果", "群众纠纷", "2026-10-05", "13800000003"),
        ("东风里小区邻居家的狗整夜狂吠，敲门提醒也没用", "文明养犬", "2026-10-06", "13800000004"),
    ]
    _import(wz, tmp_path / "board.csv", rows + _noise(60))
    assert _spots(wz) == [(1, 3), (2, 4)]


def test_grammar_shared_at_one_building_does_not_join_two_problems(wz: Wz, tmp_path: Path) -> None:
    # 没人 and 了没 are in both problems' texts: no words of either problem.
    rows = [
        ("阳光花园3号楼电梯坏了没人修，老人上下楼困难", "", "2026-10-01", "13800000001"),
        ("阳光花园3号楼垃圾桶满了没人清运，苍蝇滋生", "", "2026-10-02", "13800000002"),
        ("阳光花园3号楼电梯又坏了没人修，困人", "", "2026-10-03", "13800000003"),
        ("阳光花园3号楼楼下垃圾满了没人清理，气味难闻", "", "2026-10-04", "13800000004"),
    ]
    _import(wz, tmp_path / "board.csv", rows + _noise(40))
    assert _spots(wz) == [(1, 3), (2, 4)]


def test_a_hospital_is_not_the_estate_of_the_same_name() -> None:
    assert (
        [place_core(name) for _, name in places_in("阳光花园小区3号楼")]
        == [place_core("阳光花园")]
        == ["阳光"]
    )
    assert place_core("阳光医院") == "阳光医院" != place_core("阳光花园")


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("桐梓坡路口街灯坏了好几个月", "桐梓坡路"),  # 路口 is at the road; 街灯 is a lamp, not a street
        ("五一大道路口积水", "五一大道"),
        ("十字路口红绿灯坏了", None),
    ],
)
def test_a_crossing_names_its_road(text: str, place: str | None) -> None:
    roads = [name for tier, name in places_in(text) if tier == 1]
    assert roads == ([place] if place else [])


@pytest.mark.parametrize(
    ("text", "places"),
    [
        # A trade is no name: every city has its gas company and its bus company.
        ("反映燃气公司乱收费，公交公司不回复", []),
        ("新奥燃气公司乱收费", [(0, "新奥燃气公司")]),
        # Words that end in 路 are no roads: a route, a test drive, a highway, a circuit, a stretch of road.
        ("教练不熟悉线路，带学员上路练车，批准高速路口", []),
        ("科目三路考太难，户外电路老化，一段路没有路灯，断头路", []),
        # A name starts after the word that leads to it (离 近, 而, 地址, 往, 按照).
        ("离楚雅医院较近", [(0, "楚雅医院")]),
        ("地址左权镇", [(4, "左权镇")]),
        ("而燃气公司", []),
        ("往徐特立公园", [(0, "徐特立公园")]),
    ],
)
def test_a_word_that_ends_like_a_place_is_no_place(text: str, places: list[tuple[int, str]]) -> None:
    assert [(tier, name) for tier, name in places_in(text) if tier <= 4] == places


def test_a_company_named_bare_is_found_whole_unless_its_name_is_everyday() -> None:
    texts = ["被融信理财公司骗走手续费", "出租车公司乱收费"] + [f"出租车司机{i}号拒载" for i in range(40)]
    stated = [problems.problem_text(None, text) for text in texts]
    df, n, known = problems.document_frequencies((text, places_in(text)) for text in stated)
    found: list[tuple[int, str]] = []
    known.find("融信理财以低息贷款为名骗取手续费", ["融信"], found)
    assert found == [(0, "融信理财公司")]
    found = []
    known.find("出租车拒载", ["出租"], found)
    assert found == []  # 出租车 is everyday here: every 出租车 would be one place
    idf = problems.Idf(df, n)
    assert idf.everyday("出租车") and not idf.everyday("融信理财")


def test_an_estate_named_bare_is_the_estate_rather_than_a_school_of_its_name() -> None:
    known = Gazetteer(
        [(0, "梅溪湖学校"), (0, "梅溪湖小区")], common=lambda pair: False, everyday=lambda p: False
    )
    found: list[tuple[int, str]] = []
    known.find("梅溪湖频繁断水", ["梅溪"], found)
    assert found == [(0, "梅溪湖")]


def _big_hotspot(wz: Wz, tmp_path: Path, cases: int) -> None:
    rows = [
        ("清河湾小区3号楼电梯经常故障困人", "物业管理", f"2026-10-{1 + i % 28:02d}", f"139{i:08d}")
        for i in range(cases)
    ]
    _import(wz, tmp_path / "board.csv", rows)


def test_the_xlsx_lists_a_few_case_numbers_whole_and_how_many(wz: Wz, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    _big_hotspot(wz, tmp_path, 30)
    target = tmp_path / "热点.xlsx"
    wz("hotspots", "--since", "2026-10-01", "--until", "2026-10-31", "--output", str(target))
    main = load_workbook(target)["热点问题表"]
    header = [cell.value for cell in main[3]]
    cell = main.cell(4, header.index("案件编号") + 1).value
    assert cell == "YL-2026-0001\nYL-2026-0002\nYL-2026-0003\n等 30 件"
    # The CSV, read by programs, keeps every number.
    csv_out = wz("hotspots", "--since", "2026-10-01", "--until", "2026-10-31", "--format", "csv").stdout
    assert "YL-2026-0030" in csv_out


def test_the_detail_sheet_says_how_many_cases_it_does_not_list(
    wz: Wz, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from openpyxl import load_workbook

    monkeypatch.setattr(core_hotspots, "MEMBERS_LISTED", 5)
    _big_hotspot(wz, tmp_path, 8)
    target = tmp_path / "热点.xlsx"
    period = ("--since", "2026-10-01", "--until", "2026-10-31")
    wz("hotspots", *period, "--output", str(target))
    detail = load_workbook(target)["明细表"]
    texts = [row[4] for row in detail.iter_rows(min_row=4, values_only=True)]
    assert len(texts) == 6 and texts[-1] == "另有 3 件未逐件列出（编号见 JSON 输出）"
    assert len(wz.json("hotspots", *period)["hotspots"][0]["numbers"]) == 8
    page = tmp_path / "热点.html"
    wz("hotspots", *period, "--output", str(page))
    assert "另有 3 件未逐件列出" in page.read_text(encoding="utf-8")


@needs_office
def test_the_printed_table_keeps_its_case_numbers_on_the_page(wz: Wz, tmp_path: Path) -> None:
    _big_hotspot(wz, tmp_path, 60)
    target = tmp_path / "热点.xlsx"
    wz("hotspots", "--since", "2026-10-01", "--until", "2026-10-31", "--output", str(target))
    printed = check_readable(target)
    first = " ".join(run.text for run in printed[0])
    assert "等 60 件" in first
    # Every number printed on the first page is whole: none is cut at the column's edge.
    assert re.findall(r"YL-2026-\d{4}", first)[:3] == ["YL-2026-0001", "YL-2026-0002", "YL-2026-0003"]
    assert not re.search(r"YL-2026-(?!\d{4})|YL-20(?!26)", first)
