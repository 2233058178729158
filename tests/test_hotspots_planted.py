"""``wenzheng hotspots`` on planted problems: a mass complaint, buildings, place variants, long runs."""

from __future__ import annotations

import csv
import random
from collections.abc import Sequence
from pathlib import Path

import pytest

from tests.support.cli import Wz
from wenzheng_cli.analysis import hotspots as hs
from wenzheng_cli.analysis import problems
from wenzheng_cli.analysis.clusters import Cluster
from wenzheng_cli.analysis.text import places_in

MASS = "阳光花园小区3号楼电梯经常故障困人"
# Common characters for unrelated messages: random runs of them share no telling words.
_CHARS = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严龙飞"


def background(count: int, seed: int = 3) -> list[str]:
    """``count`` unrelated messages: random runs of common characters, so that they share no problem."""
    rng = random.Random(seed)
    return ["，".join("".join(rng.choices(_CHARS, k=8)) for _ in range(3)) for _ in range(count)]


def _clusters(texts: Sequence[str]) -> list[Cluster]:
    """What ``hotspots`` does with these texts, one a day, each from its own resident."""
    cases = [
        problems.HotspotCase(i, 1.7e9 + i * 3600.0, None, text, None, None, None, f"p{i}")
        for i, text in enumerate(texts)
    ]
    stated = [problems.problem_text(None, text) for text in texts]
    df, n, places = problems.document_frequencies((text, places_in(text)) for text in stated)
    period = hs.Period(cases[0].at, cases[-1].at)
    clusterer = hs.Clusterer(problems.Idf(df, n), period, 30 * 86400.0, 10, places)
    for case in cases:
        clusterer.add(case)
    return clusterer.finish()


def test_a_mass_complaint_is_first_however_many_copy_it() -> None:
    noise = background(300)
    for copies in range(2, 61):
        rng = random.Random(copies)
        texts = noise + [MASS] * copies
        rng.shuffle(texts)
        top = _clusters(texts)
        assert top, copies
        first = top[0]
        assert first.cases == copies and len(first.people) == copies, copies


def _import(wz: Wz, path: Path, rows: list[tuple[str, str, str]]) -> None:
    """(text, day, phone) rows into a fresh ledger through ``import``."""
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(["留言详情", "留言时间", "联系电话"])
        out.writerows(rows)
    wz("init", "--office", "YL")
    wz("import", str(path))


@pytest.mark.parametrize("copies", [16, 60])
def test_a_mass_complaint_through_import(wz: Wz, tmp_path: Path, copies: int) -> None:
    noise = background(300)
    rows = [(text, f"2026-{8 + i % 3:02d}-{1 + i % 28:02d}", f"136{i:08d}") for i, text in enumerate(noise)]
    rows += [(MASS, f"2026-10-{1 + i % 28:02d}", f"139{i:08d}") for i in range(copies)]
    _import(wz, tmp_path / "board.csv", rows)
    first = wz.json("hotspots", "--since", "2026-08-01", "--until", "2026-10-31")["hotspots"][0]
    assert (first["place"], first["cases"], first["people"]) == ("阳光花园", copies, copies)
    assert first["summary"] == MASS


def _spots(wz: Wz, *extra: str) -> list[tuple[int, ...]]:
    """Each hotspot as the sorted numbers of its cases (numbered as received: the rows' order here)."""
    data = wz.json("hotspots", "--since", "2026-01-01", "--until", "2026-11-30", *extra)
    return [tuple(sorted(int(n.rsplit("-", 1)[1]) for n in h["numbers"])) for h in data["hotspots"]]


def test_one_problem_at_two_buildings_stays_apart(wz: Wz, tmp_path: Path) -> None:
    rows = [
        ("清河湾3号楼楼道杂物堆放，堵塞消防通道", "2026-10-01", "13800000001"),
        ("清河湾6号楼楼道杂物堆放，堵塞消防通道", "2026-10-02", "13800000002"),
        ("清河湾小区3号楼楼道里杂物堆放多日，消防通道被堵", "2026-10-03", "13800000003"),
        ("清河湾6栋楼道杂物堆放没人清理，堵塞消防通道", "2026-10-04", "13800000004"),
        ("清河湾三号楼楼道杂物堆放，堵塞消防通道", "2026-10-05", "13800000005"),
    ]
    _import(wz, tmp_path / "board.csv", rows)
    assert sorted(_spots(wz)) == [(1, 3, 5), (2, 4)]


def test_two_problems_at_one_building_stay_apart(wz: Wz, tmp_path: Path) -> None:
    rows = [
        ("阳光花园3号楼电梯经常故障困人", "2026-10-01", "13800000001"),
        ("阳光花园3号楼楼下垃圾堆积无人清运，臭气熏天", "2026-10-02", "13800000002"),
        ("阳光花园3号楼的电梯三天两头故障停运", "2026-10-03", "13800000003"),
        ("阳光花园3号楼垃圾桶满了没人清运，苍蝇滋生", "2026-10-04", "13800000004"),
    ]
    _import(wz, tmp_path / "board.csv", rows)
    assert sorted(_spots(wz)) == [(1, 3), (2, 4)]


def test_a_place_in_variants_over_months_is_one_hotspot(wz: Wz, tmp_path: Path) -> None:
    # Six months, gaps of 40–60 days (past the 30-day window), the estate named four ways, worded three ways.
    rows = [
        ("五矿万境小区车位严重不足，车辆乱停乱放堵塞消防通道", "2026-02-03", "13800000001"),
        ("A3区五矿万境地下车库车位只租不售，业主停车难", "2026-03-20", "13800000002"),
        ("五矿·万境车位严重不足，私家车乱停乱放", "2026-05-10", "13800000003"),
        ("五矿万境开发商车位售价过高，业主停车难", "2026-06-25", "13800000004"),
        ("五矿万境小区停车位严重不足，车辆随意停放占用消防通道", "2026-08-20", "13800000005"),
    ]
    noise = [
        (text, f"2026-{1 + i % 8:02d}-{1 + i % 28:02d}", f"136{i:08d}")
        for i, text in enumerate(background(60))
    ]
    _import(wz, tmp_path / "board.csv", rows + noise)
    spots = wz.json("hotspots", "--since", "2026-01-01", "--until", "2026-11-30")["hotspots"]
    assert [(h["place"], h["cases"], h["people"], h["start"], h["end"]) for h in spots] == [
        ("A3区 五矿万境", 5, 5, "2026-02-03", "2026-08-20")
    ]


def test_summaries_keep_the_chinese_punctuation(wz: Wz, tmp_path: Path) -> None:
    rows = [
        ("清河湾（东区）路灯不亮，夜间出行不安全", "2026-10-01", "13800000001"),
        ("清河湾（东区）路灯不亮，夜里出行不安全", "2026-10-02", "13800000002"),
    ]
    _import(wz, tmp_path / "board.csv", rows)
    spot = wz.json("hotspots")["hotspots"][0]
    assert spot["summary"] == "清河湾（东区）路灯不亮，夜间出行不安全"


def test_a_withdrawn_duplicate_still_counts_as_a_person(wz: Wz) -> None:
    wz("init", "--office", "YL")
    numbers = [
        wz.json("intake", text, "--phone", phone, "--at", day)["number"]
        for text, phone, day in (
            ("清河湾路灯不亮，夜间出行不安全", "13800000001", "2026-10-01"),
            ("清河湾路灯坏了不亮，晚上出行不安全", "13800000002", "2026-10-05"),
            ("还是上次说的那个事，一直没人来修", "13800000003", "2026-10-06"),
        )
    ]
    assert [(h["people"], h["cases"]) for h in wz.json("hotspots")["hotspots"]] == [(2, 2)]
    # A clerk sees the third is the first again: withdrawn as its duplicate, its resident still spoke.
    wz("withdraw", numbers[2], "--duplicate-of", numbers[0])
    spot = wz.json("hotspots")["hotspots"][0]
    assert (spot["people"], spot["cases"], spot["numbers"]) == (3, 3, numbers)
    wz("withdraw", numbers[1], "--reason", "居民撤回")  # a resident who takes it back did not
    assert wz.json("hotspots")["hotspots"][0]["numbers"] == [numbers[0], numbers[2]]


def test_a_case_flagged_as_a_duplicate_on_import_is_in_its_hotspot(wz: Wz, tmp_path: Path) -> None:
    path = tmp_path / "walk.csv"
    path.write_text(
        "反映内容,地址,类别,联系电话,受理时间\n"
        "楼道杂物堆放堵塞消防通道,清河湾3号楼,环境卫生,13800000001,2026-10-01\n"
        "楼道杂物堆放堵塞消防通道很久了,清河湾3号楼,环境卫生,13800000002,2026-10-03\n"
        "3号楼楼道里旧家具纸箱堆放，人都过不去,清河湾3号楼,环境卫生,13800000003,2026-10-04\n"
        "一楼电动车违规充电，拉飞线,清河湾3号楼,安全隐患,13800000004,2026-10-05\n",
        encoding="utf-8",
    )
    wz("init", "--office", "YL")
    wz("import", str(path))
    flagged = {case["number"] for case in wz.json("list", "--duplicates")}
    assert flagged == {"YL-2026-0002", "YL-2026-0003"}
    # The third is the same problem in other words: in; the fourth another problem (another category, no word
    # in common) at the address: out.
    assert [h["numbers"] for h in wz.json("hotspots")["hotspots"]] == [
        ["YL-2026-0001", "YL-2026-0002", "YL-2026-0003"]
    ]


def test_every_output_names_the_office_and_period_and_dates_are_dates(wz: Wz, tmp_path: Path) -> None:
    import datetime

    from openpyxl import load_workbook

    wz("init", "--office", "YL", "--name", "杨柳社区")
    for phone, day in (("13800000001", "2026-10-01"), ("13800000002", "2026-10-05")):
        wz("intake", "清河湾路灯不亮，夜间出行不安全", "--phone", phone, "--at", day)
    period = ("--since", "2026-09-01", "--until", "2026-11-23")
    heading = "杨柳社区热点问题（2026-09-01 至 2026-11-23）"
    assert heading in wz("hotspots", *period).stdout
    page = tmp_path / "热点.html"
    wz("hotspots", *period, "--output", str(page))
    assert f"<h1>{heading}</h1>" in page.read_text(encoding="utf-8")
    xlsx = tmp_path / "热点.xlsx"
    wz("hotspots", *period, "--output", str(xlsx))
    book = load_workbook(xlsx)
    main, detail = book["热点问题表"], book["明细表"]
    assert main["A1"].value == heading
    header = [cell.value for cell in main[3]]
    first = [cell.value for cell in main[4]]
    dates = (first[header.index("起始日期")], first[header.index("最近日期")])
    assert dates == (datetime.datetime(2026, 10, 1), datetime.datetime(2026, 10, 5))
    assert detail["D4"].value == datetime.datetime(2026, 10, 1)


@pytest.mark.parametrize(
    ("text", "place"),
    [
        (
            "湖南恒天九五重工原厂宿舍漏水",
            "湖南恒天九五重工原厂",
        ),  # past 8 characters: whole, not 南恒天九五重工原厂
        ("长沙市政建设开发公司拖欠工资", "长沙市政建设开发公司"),  # 市政 is a word, not 市 + 政建设开发公司
        ("我家住在魏家坡小区", "魏家坡小区"),
    ],
)
def test_places_are_whole_names(text: str, place: str) -> None:
    assert [name for tier, name in places_in(text) if tier == 0] == [place]
