"""``wenzheng hotspots`` on planted topics: is each problem found whole, apart from the others, in heat order?

    python benchmarks/hotspots_planted.py [--background 2000] [--seed 7] [--top 30] [--keep DIR] [--no-category]

Topics of 5–60 messages spread over 1–9 months, each message from its own phone, worded from a few templates
with synonyms, naming its place in variants (with or without the district, 五矿·万境 / 五矿万境, a 小区 named
with or without 小区), with skewed 点赞数 and the 类别 a clerk would file it under (``--no-category``: none);
plus near-miss pairs (one problem at two buildings, two problems at one place). They are mixed into unrelated
messages: the texts of the labelled 留言 in ``/work/shared/data/tipdm2020c_fujian2_labelled_train.csv`` with
their 一级标签 when present (``--data``), else generated ones.
Everything goes into a fresh ledger through ``wenzheng import`` of a CSV this script writes; then ``wenzheng
hotspots --json`` over the whole year.

Per topic it prints: its messages, the share of them in its best hotspot (and that hotspot's rank), whether it
is split (its messages in two or more of the top 10) or merged (its best hotspot holds another topic's
messages), and its planted rank by heat against the rank found. Target: every topic ≥ 90% in one hotspot, none
split, none merged.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

DATA = Path("/work/shared/data/tipdm2020c_fujian2_labelled_train.csv")
YEAR_START = datetime(2025, 1, 1, 8, 0)
DAYS = 365


@dataclass
class Topic:
    name: str
    places: list[str]  # variants of the one place
    templates: list[str]  # "{p}" is the place; "{a|b}" picks one synonym
    size: int
    months: int
    likes: int  # median 点赞数 of a message (skewed: most get few, one gets many)
    category: str  # as a clerk files it (the default list of categories)
    numbers: list[str] = field(default_factory=list)


def topics() -> list[Topic]:
    """The planted problems. Pairs marked near-miss share a place or a problem and must stay apart."""
    return [
        Topic(
            "电梯困人·阳光花园3号楼",
            ["阳光花园小区3号楼", "阳光花园3号楼", "A7区阳光花园3号楼", "阳光花园小区3栋"],
            [
                "{p}电梯{经常|频繁|又}{故障|出故障|坏}，{困人|把人困在里面}",
                "{p}的电梯{三天两头|隔三差五}停运，老人上下楼{困难|不便}，电梯{故障|坏了}没人修",
                "反映{p}电梯{故障|老化}{困人|停运}问题，{希望|请求}尽快{维修|更换}电梯",
            ],
            60,
            9,
            20,
            "物业管理",
        ),
        Topic(  # near miss: the same problem at another building of the same estate
            "电梯困人·阳光花园6号楼",
            ["阳光花园小区6号楼", "阳光花园6号楼", "A7区阳光花园6栋"],
            [
                "{p}电梯{经常|频繁|又}{故障|出故障|坏}，{困人|把人困在里面}",
                "{p}的电梯{三天两头|隔三差五}停运，老人上下楼{困难|不便}",
            ],
            12,
            4,
            5,
            "物业管理",
        ),
        Topic(  # near miss: another problem at the first one's building
            "垃圾堆放·阳光花园3号楼",
            ["阳光花园小区3号楼", "阳光花园3号楼"],
            [
                "{p}楼下{垃圾|生活垃圾}{堆积|堆放}{如山|多日}无人清运，{臭气熏天|气味难闻}",
                "{p}垃圾桶{满了|满溢}没人{清理|清运}，{蚊蝇|苍蝇}滋生",
            ],
            10,
            3,
            3,
            "环境卫生",
        ),
        Topic(
            "停车难·五矿万境",
            ["五矿·万境", "五矿万境", "A3区五矿万境小区", "五矿万境K9区"],
            [
                "{p}{车位|停车位}严重不足，{车辆|私家车}{乱停乱放|随意停放}{堵塞|占用}消防通道",
                "{p}地下车库{车位|停车位}只租不售，{业主|住户}停车{难|困难}",
                "{p}开发商{车位|停车位}{价格|售价}过高，{业主|住户}{无处停车|停车难}",
            ],
            40,
            8,
            40,
            "物业管理",
        ),
        Topic(
            "噪音扰民·恒天九五重工原厂",
            ["恒天九五重工原厂", "A2区恒天九五重工原厂", "恒天九五重工原厂区"],
            [
                "{p}{夜间|半夜}{施工|生产}{噪音|噪声}{扰民|太大}，{周边居民|附近居民}无法{休息|入睡}",
                "{p}{机器|设备}{轰鸣|噪音}{昼夜不停|整夜不停}，{严重影响|影响}{睡眠|休息}",
            ],
            15,
            6,
            10,
            "噪音扰民",
        ),
        Topic(
            "贷款诈骗·融信理财",
            ["融信理财公司", "A市融信理财公司", "融信理财"],
            [
                "{p}以{低息贷款|无抵押贷款}为名{骗取|收取}{手续费|保证金}，{请求|希望}{立案|查处}",
                "被{p}{诈骗|骗走}{保证金|手续费}{几千元|上万元}，{报警|举报}后{没有下文|无人处理}",
            ],
            15,
            6,
            300,
            "投诉举报",
        ),
        Topic(
            "房屋质量·金色家园",
            ["金色家园小区", "金色家园", "A5区金色家园"],
            [
                "{p}{新房|交房}{墙体开裂|墙面裂缝}{漏水|渗水}，开发商{拒不维修|推诿}",
                "{p}{房屋质量|工程质量}{问题|堪忧}，{墙体|外墙}{开裂|渗水}{严重|多处}",
            ],
            11,
            6,
            150,
            "投诉举报",
        ),
        Topic(
            "学校乱收费·星沙中学",
            ["星沙中学", "A4区星沙中学"],
            [
                "{p}{违规|强制}{收取|收}{补课费|资料费}，{家长|学生}{负担重|不满}",
                "{p}{假期|周末}{强制补课|组织补课}并{收费|收取费用}",
            ],
            8,
            2,
            8,
            "投诉举报",
        ),
        Topic(
            "路灯不亮·桐梓坡路",
            ["桐梓坡路", "A1区桐梓坡路", "桐梓坡路口"],
            [
                "{p}{路灯|街灯}{不亮|坏了}{好几个月|很久}，{夜间|晚上}出行{不安全|很危险}",
                "{p}{一段|沿线}{路灯|照明}{损坏|熄灭}，{行人|居民}{摔倒|出行不便}",
            ],
            6,
            1,
            2,
            "市政设施",
        ),
        Topic(
            "供水停水·梅溪湖小区",
            ["梅溪湖小区", "梅溪湖", "A6区梅溪湖小区"],
            [
                "{p}{经常|频繁}{停水|断水}{不通知|没有通知}，{生活|做饭洗澡}{受影响|很不便}",
                "{p}{自来水|水压}{太低|不足}，{高层|楼上}{用不上水|没水}",
            ],
            5,
            1,
            1,
            "水电暖气燃气",
        ),
    ]


_CHOICE = __import__("re").compile(r"\{([^{}]*\|[^{}]*)\}")


def word(template: str, place: str, rng: random.Random) -> str:
    text = _CHOICE.sub(lambda m: rng.choice(m.group(1).split("|")), template)
    return text.replace("{p}", place)


def skewed_likes(median: int, rng: random.Random) -> int:
    return int(median * rng.paretovariate(1.5) / 1.6)


def background(count: int, rng: random.Random, path: Path) -> list[tuple[str, str, str]]:
    """Unrelated (title, text, category) triples: real 留言 with their labels when the data is there, else
    generated ones."""
    if path.exists():
        with path.open(encoding="utf-8-sig", newline="") as f:
            rows = [
                (r["留言主题"], r["留言详情"], r["一级标签"]) for r in csv.DictReader(f) if r.get("留言详情")
            ]
        rng.shuffle(rows)
        return [(t.strip(), d.strip(), c.strip()) for t, d, c in rows[:count]]
    print(f"{path} not found: generated background", file=sys.stderr)
    things = [
        "燃气",
        "暖气",
        "医保",
        "社保",
        "户口",
        "养老金",
        "低保",
        "公交",
        "绿化",
        "宠物",
        "广场舞",
        "装修",
        "外卖",
        "快递",
        "学区",
        "落户",
        "公积金",
    ]
    asks = ["如何办理", "什么时候恢复", "为何迟迟不批", "能否延长", "请求帮助", "收费是否合理"]
    out = []
    for i in range(count):
        thing, ask = rng.choice(things), rng.choice(asks)
        out.append((f"关于{thing}{ask}", f"我家住{rng.randint(1, 99)}号院，{thing}的事情{ask}，编号{i}", ""))
    return out


def write_csv(
    path: Path, planted: list[Topic], noise: list[tuple[str, str, str]], rng: random.Random, categories: bool
) -> None:
    """The messages as an export has them; with ``categories``, each its 类别 (a planted topic the one a clerk
    would file it under, a background message its label)."""
    rows: list[
        tuple[str, str, str, str, str, int, str]
    ] = []  # key, title, text, time, phone, likes, category
    phone = 13000000000
    end = YEAR_START + timedelta(days=DAYS - 1)
    for ti, topic in enumerate(planted):
        span = topic.months * 30
        first = YEAR_START + timedelta(days=rng.randint(0, DAYS - span - 1))
        for i in range(topic.size):
            place = rng.choice(topic.places)
            text = word(rng.choice(topic.templates), place, rng)
            title = text.split("，")[0][:20]
            when = first + timedelta(days=rng.uniform(0, span), minutes=rng.randint(0, 600))
            phone += 1
            key = f"T{ti:02d}-{i:03d}"
            topic.numbers.append(key)
            at = min(when, end).strftime("%Y-%m-%d %H:%M")
            rows.append((key, title, text, at, str(phone), skewed_likes(topic.likes, rng), topic.category))
    for i, (title, text, label) in enumerate(noise):
        when = YEAR_START + timedelta(days=rng.uniform(0, DAYS - 1))
        phone += 1
        at = when.strftime("%Y-%m-%d %H:%M")
        rows.append((f"B{i:05d}", title, text, at, str(phone), rng.randint(0, 3), label))
    rows.sort(key=lambda r: r[3])
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(
            ["留言编号", "留言主题", "留言详情", "留言时间", "联系电话", "点赞数", "类别"][
                : 7 if categories else 6
            ]
        )
        out.writerows(row if categories else row[:6] for row in rows)


def planted_heat(topic: Topic, likes: dict[str, int], times: dict[str, str]) -> float:
    """The heat the README defines, from what was planted (every message its own person)."""
    support = sum(likes[n] for n in topic.numbers)
    last = max(datetime.fromisoformat(times[n]) for n in topic.numbers)
    position = (last - YEAR_START).total_seconds() / ((DAYS - 1) * 86400)
    return (len(topic.numbers) + math.log2(1 + support)) * (0.5 + 0.5 * min(max(position, 0.0), 1.0))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--background", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--keep", type=Path, help="keep the CSV and the ledger in this folder")
    parser.add_argument(
        "--no-category", action="store_true", help="leave out the 类别 column (words and places alone)"
    )
    args = parser.parse_args()
    rng = random.Random(args.seed)
    planted = topics()
    noise = background(args.background, rng, args.data)
    folder = Path(args.keep or tempfile.mkdtemp(prefix="hotspots-planted-"))
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / "planted.csv"
    write_csv(source, planted, noise, rng, not args.no_category)
    likes, times, phones = {}, {}, {}
    with source.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            likes[row["留言编号"]] = int(row["点赞数"])
            times[row["留言编号"]] = row["留言时间"]
            phones[row["留言编号"]] = row["联系电话"]
    env = {**os.environ, "WENZHENG_DB": str(folder / "planted.db"), "WENZHENG_OPERATOR": "基准"}
    (folder / "planted.db").unlink(missing_ok=True)
    wz = [sys.executable, "-m", "wenzheng_cli"]
    subprocess.run(
        [*wz, "init", "--office", "JZ", "--name", "基准街道"], env=env, check=True, capture_output=True
    )
    began = time.perf_counter()
    subprocess.run(
        [*wz, "import", str(source), "--source", "留言板"], env=env, check=True, capture_output=True
    )
    imported = time.perf_counter() - began
    began = time.perf_counter()
    last = (YEAR_START + timedelta(days=DAYS - 1)).date().isoformat()
    found = subprocess.run(
        [
            *wz,
            "hotspots",
            "--since",
            YEAR_START.date().isoformat(),
            "--until",
            last,
            "--top",
            str(args.top),
            "--json",
        ],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    took = time.perf_counter() - began
    spots = json.loads(found.stdout)["hotspots"]
    listed = subprocess.run(
        [*wz, "list", "--limit", "0", "--show-pii", "--json"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    by_phone = {row["phone"]: row["number"] for row in json.loads(listed.stdout)}
    number_of = {key: by_phone[phone] for key, phone in phones.items() if phone in by_phone}
    for topic in planted:
        topic.numbers = [number_of[n] for n in topic.numbers if n in number_of]
    likes = {number_of[k]: v for k, v in likes.items() if k in number_of}
    times = {number_of[k]: v for k, v in times.items() if k in number_of}
    report(planted, spots, likes, times)
    print(f"\n{len(noise)} background + {sum(t.size for t in planted)} planted messages; ", end="")
    print(f"import {imported:.1f} s, hotspots {took:.1f} s; files in {folder}")


def report(planted: list[Topic], spots: list[dict], likes: dict[str, int], times: dict[str, str]) -> None:  # type: ignore[type-arg]
    owner = {n: t.name for t in planted for n in t.numbers}  # by case number (each message its own phone)
    contents = [Counter(owner.get(n, "") for n in spot["numbers"]) for spot in spots]
    heats = {t.name: planted_heat(t, likes, times) for t in planted}
    planted_rank = {name: i for i, name in enumerate(sorted(heats, key=lambda n: -heats[n]), start=1)}
    best_rank: dict[str, int | None] = {}
    ok = 0
    print(
        f"{'topic':<24}{'msgs':>5}{'best':>6}{'share':>8}  {'split':<7}{'merged with':<28}{'planted#':>9}{'found#':>7}"
    )
    for topic in planted:
        counts = [(c[topic.name], i) for i, c in enumerate(contents) if c[topic.name]]
        if not counts:
            best_rank[topic.name] = None
            print(
                f"{topic.name:<24}{topic.size:>5}{'-':>6}{0:>7.0%}  {'-':<7}{'-':<28}{planted_rank[topic.name]:>9}{'-':>7}"
            )
            continue
        held, index = max(counts, key=lambda c: (c[0], -c[1]))
        share = held / topic.size
        split = sum(1 for c, i in counts if i < 10 and c >= 2) >= 2
        others = [name for name in contents[index] if name and name != topic.name]
        best_rank[topic.name] = index + 1
        ok += share >= 0.9 and not split and not others
        merged = "、".join(others) or "-"
        print(
            f"{topic.name:<24}{topic.size:>5}{index + 1:>6}{share:>8.0%}  {'yes' if split else 'no':<7}{merged:<28}"
            f"{planted_rank[topic.name]:>9}{index + 1:>7}"
        )
    order = [n for n in sorted(best_rank, key=lambda n: best_rank[n] or 999)]
    print(f"\nwhole, apart and unmerged: {ok} of {len(planted)} topics")
    print("found order:   " + " > ".join(f"{planted_rank[n]}" for n in order if best_rank[n]))
    noise_spots = sum(1 for c in contents[:10] if not any(c.values()) or set(c) == {""})
    print(f"top-10 hotspots of background messages only: {noise_spots}")


if __name__ == "__main__":
    main()
