"""How well ``wenzheng import`` finds repeats: recall and precision of its possible-duplicate flags.

    python benchmarks/repeats.py                       # both sets below
    python benchmarks/repeats.py --unrelated 20000     # a larger generated set

(a) A generated set: unrelated messages (many communities, categories, estates and problems) over three months,
    among which some are repeated 0–20 days later — copied exactly, or near-exactly (spaces and punctuation
    changed, full-width digits, a few characters changed, a short phrase added) — under another community,
    category and channel, with or without the same phone. The first half is imported, then the second half, so
    repeats are found in the file and in the ledger alike.
(c) The same, but every repeat edited as far as it stays one — characters changed or dropped anywhere until one
    more edit would take rapidfuzz's ratio of the two texts below 90 — and never with the same phone: the
    hardest near-exact repeats, found by their text alone; over the made-up messages, and over the real
    messages of the board export in ../shared/data (each text once; its own natural repeats count as wrong).
(b) The message files in ../shared/data (real exports; skipped when absent): the truth is every pair of
    messages received within the window whose texts (NFKC, lower case, only letters and digits) score ≥ 90
    on rapidfuzz's ratio, found by comparing every pair — the exhaustive search the import must not do.

Recall: the share of true repeats flagged with a case of their group (a repeat of a repeat counts). Precision:
the share of flags that name such a case.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import re
import sqlite3
import subprocess
import sys
import tempfile
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHARED = HERE.parents[1] / "shared" / "data"
BIN = Path(sys.executable).parent
WINDOW = 30
HEADER = ["工单号", "受理时间", "联系电话", "社区", "诉求类别", "渠道", "诉求内容"]

COMMUNITIES = ["杨柳", "清河", "北苑", "南湖", "东风", "向阳", "和平", "幸福", "长安", "新华", "红旗", "光明"]
ESTATES = [
    "杨柳小区", "清河家园", "北苑新村", "南湖花园", "东风里", "向阳小区", "和平苑", "幸福里", "长安公寓",
    "新华小区", "红旗宿舍", "光明新城", "锦绣华庭", "翠湖湾", "金桂园", "银杏苑", "民生路", "解放街",
    "建设巷", "胜利新村", "康乐园", "春晖小区", "滨江名邸", "铁路宿舍",
]  # fmt: skip
CATEGORIES = [
    "堆码物清理", "物业管理", "环境卫生", "市政设施", "噪音扰民", "水电暖气燃气", "道路交通", "群众纠纷",
    "安全隐患", "困难诉求", "老旧小区改造", "社会保障",
]  # fmt: skip
CHANNELS = ["12345热线", "走访", "说事箱", "微信", "领导留言板", "网格员"]
PROBLEMS = [
    "楼道里堆满了纸箱和旧家具", "路灯坏了一直没人修", "垃圾桶满了好几天没人清运", "楼上装修电钻声从早到晚",
    "暖气片摸着是凉的", "下水道堵了污水漫到路上", "物业费涨价却不公示账目", "小区门口有人摆摊占道",
    "有人把电动车推进楼道充电", "邻居的狗整夜叫个不停", "单元门禁坏了陌生人随便进出", "电梯三天两头停运",
    "屋顶漏水把墙皮泡掉了", "自来水发黄有异味", "小区绿地被改成了停车位", "健身器材螺丝松了晃得厉害",
    "井盖缺了一块晚上看不见", "外墙瓷砖往下掉", "楼下烧烤店油烟熏得没法开窗", "共享单车堵住了消防通道",
    "化粪池满了臭味很大", "小区里有人私搭乱建", "公厕长期锁着不开门", "公交站牌被撞歪了没人扶",
    "低保申请交上去一直没有回音", "老人的高龄补贴停发了", "广场舞音响开得太大", "树枝压到了电线上",
    "人行道砖块翘起来好几处", "楼道灯一到晚上就不亮", "快递柜占了盲道", "雨水井被水泥封死了",
    "围墙裂了一道大缝", "小区监控一直是坏的", "燃气管道有股味道", "地下室长期积水",
    "停车场收费标准没有公示", "物业保安夜里不巡逻", "学校门口早高峰车辆乱停", "菜市场的鱼摊污水横流",
]  # fmt: skip
SINCE = [
    "从上个月开始",
    "最近一周",
    "已经有半个多月",
    "入冬以来",
    "这两天",
    "从国庆节后",
    "今年以来",
    "近三天",
]
EFFECTS = [
    "老人孩子出门很不安全", "居民们晚上睡不好觉", "已经有人因此摔倒", "住户意见很大", "影响了大家的正常生活",
    "下雨天情况更严重", "附近商户也受到影响", "家里有病人实在受不了", "多次找物业都说不归他们管",
    "打过两次电话一直没人来看", "存在很大的安全隐患", "孩子上学都要绕路", "气味大得窗户都不敢开",
    "周末最厉害", "楼里十几户都受影响",
]  # fmt: skip
REQUESTS = [
    "希望社区尽快协调处理。", "请有关部门上门看一看。", "请尽快派人维修。", "恳请领导重视。",
    "希望给个明确答复。", "请督促物业整改。", "希望早日解决。", "请相关单位依法处理。",
    "麻烦网格员来看一下。", "希望能给居民一个说法。", "请尽快清理。", "请安排人员核实。",
]  # fmt: skip
ADDED = ["再次反映：", "重复反映，", "还是没人管，", "", "急！"]
TAILS = ["请尽快处理！", "谢谢。", "盼复。", "急盼解决。"]
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@dataclass
class Row:
    key: str
    received: datetime
    phone: str
    community: str
    category: str
    channel: str
    text: str
    group: int  # rows of one group repeat one another; an unrelated row is a group of its own


def _message(rng: random.Random) -> str:
    estate = rng.choice(ESTATES)
    where = rng.choice(
        [
            f"{rng.randint(1, 40)}号楼{rng.randint(1, 6)}单元",
            f"{rng.randint(1, 40)}栋",
            "东门口",
            "北区",
            "南门",
        ]
    )
    text = f"{estate}{where}{rng.choice(SINCE)}{rng.choice(PROBLEMS)}，{rng.choice(EFFECTS)}，{rng.choice(REQUESTS)}"
    if rng.random() < 0.5:
        text += rng.choice(
            [
                f"已经持续{rng.randint(3, 60)}天了。",
                f"涉及{rng.randint(5, 90)}户居民。",
                f"之前在{rng.randint(1, 12)}月份反映过一次。",
                "附上现场照片若干。",
            ]
        )
    return text


def _near_copy(rng: random.Random, text: str) -> str:
    """An exact or near-exact repeat: what a resident writes when sending the same message again."""
    kind = rng.randrange(5)
    if kind == 0:
        return text
    if kind == 1:  # spaces, punctuation, full-width digits
        out = text.replace("，", ", ").replace("。", ". ").translate(FULL_WIDTH)
        return "  " + out.replace("，", "\u3000") + "\n\t"
    if kind == 2:  # a few characters changed or dropped
        chars = list(text)
        for _ in range(rng.randint(1, max(1, len(chars) // 30))):
            i = rng.randrange(len(chars))
            if rng.random() < 0.5:
                chars[i] = rng.choice("的了是在有也都很")
            else:
                del chars[i]
        return "".join(chars)
    if kind == 3:  # a phrase added before or after
        return rng.choice(ADDED) + text if rng.random() < 0.5 else text + rng.choice(TAILS)
    return text.replace("希望", "盼望").replace("请", "恳请")  # a word or two reworded


def _scattered(rng: random.Random, text: str) -> str:
    """Characters changed or dropped anywhere in the text, as many as leave it a repeat (rapidfuzz's ratio of the
    normalised texts ≥ 90): the hardest near-exact repeats, none of the text's pieces safe from an edit."""
    from rapidfuzz import fuzz

    base = _norm(text)
    chars, out = list(text), text
    for _ in range(len(chars)):
        trial = chars.copy()
        i = rng.randrange(len(trial))
        if rng.random() < 0.5:
            trial[i] = rng.choice("的了是在有也都很")
        else:
            del trial[i]
        candidate = "".join(trial)
        if fuzz.ratio(base, _norm(candidate)) < 90:
            break
        chars, out = trial, candidate
    return out


def generate(
    unrelated: int, repeats: int, seed: int = 11, scattered: bool = False, texts: list[str] | None = None
) -> list[Row]:
    """``unrelated`` messages over 90 days (made up, or ``texts`` in turn), and ``repeats`` repeats of some of
    them 0–20 days later (``scattered``: each repeat edited as far as it stays one, and never with the same
    phone, so that only its text can find it)."""
    rng = random.Random(seed)
    start = datetime(2026, 7, 1, 8, 0)
    rows: list[Row] = []
    for i in range(unrelated):
        rows.append(
            Row(
                key=f"G{i:06d}",
                received=start + timedelta(minutes=rng.randrange(90 * 24 * 60)),
                phone=f"13{rng.randrange(10**9):09d}",
                community=rng.choice(COMMUNITIES),
                category=rng.choice(CATEGORIES),
                channel=rng.choice(CHANNELS),
                text=texts[i % len(texts)] if texts else _message(rng),
                group=i,
            )
        )
    originals = rng.sample(rows, repeats)
    for j, original in enumerate(originals):
        rows.append(
            Row(
                key=f"R{j:06d}",
                received=original.received + timedelta(minutes=rng.randrange(20 * 24 * 60)),
                phone=original.phone if rng.random() < 0.3 and not scattered else "",
                community=rng.choice(COMMUNITIES),
                category=rng.choice(CATEGORIES),
                channel=rng.choice(CHANNELS),
                text=_scattered(rng, original.text) if scattered else _near_copy(rng, original.text),
                group=original.group,
            )
        )
    rng.shuffle(rows)
    return rows


def write_rows(path: Path, rows: Iterable[Row]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(HEADER)
        for r in rows:
            w.writerow(
                [
                    r.key,
                    r.received.strftime("%Y-%m-%d %H:%M"),
                    r.phone,
                    r.community,
                    r.category,
                    r.channel,
                    r.text,
                ]
            )
    return path


@dataclass
class Score:
    repeats: int  # true repeats
    found: int  # of them, flagged with a case of their group
    flags: int  # flagged cases
    right: int  # of them, flagged with a case of their group

    @property
    def recall(self) -> float:
        return self.found / self.repeats if self.repeats else 1.0

    @property
    def precision(self) -> float:
        return self.right / self.flags if self.flags else 1.0


def flags_by_key(db: Path) -> dict[str, set[str]]:
    """Each flagged case's source key → the source keys of the cases it was flagged as repeating."""
    conn = sqlite3.connect(db)
    found: dict[str, set[str]] = {}
    for case, twin in conn.execute(
        "SELECT c.source_key, t.source_key FROM duplicate_flags f JOIN cases c ON c.id = f.case_id"
        " JOIN cases t ON t.id = f.twin_id"
    ):
        found.setdefault(case.split(":", 1)[1].split("#")[0], set()).add(twin.split(":", 1)[1].split("#")[0])
    conn.close()
    return found


def score_generated(rows: list[Row], flags: dict[str, set[str]]) -> Score:
    """A group of k rows holds k - 1 repeats; each member flagged with a member of its group finds one (which
    of them is flagged depends on which came first, in time or in the order of the imports)."""
    group_of = {r.key: r.group for r in rows}
    sizes: dict[int, int] = {}
    for r in rows:
        sizes[r.group] = sizes.get(r.group, 0) + 1
    hits: dict[int, int] = {}
    right = 0
    for key, twins in flags.items():
        if any(group_of[t] == group_of[key] for t in twins):
            right += 1
            hits[group_of[key]] = hits.get(group_of[key], 0) + 1
    repeats = sum(size - 1 for size in sizes.values())
    found = sum(min(count, sizes[group] - 1) for group, count in hits.items())
    return Score(repeats, found, len(flags), right)


def _import(db: Path, *files: Path) -> None:
    env = {**os.environ, "WENZHENG_DB": str(db), "WENZHENG_NOW": "2026-11-23T10:00:00+08:00"}
    for path in files:
        subprocess.run([str(BIN / "wenzheng"), "import", str(path)], env=env, check=True, capture_output=True)


def run_generated(
    unrelated: int, repeats: int, folder: Path, scattered: bool = False, texts: list[str] | None = None
) -> Score:
    rows = generate(unrelated, repeats, scattered=scattered, texts=texts)
    half = len(rows) // 2
    first = write_rows(folder / "first.csv", rows[:half])
    second = write_rows(folder / "second.csv", rows[half:])
    db = folder / "generated.db"
    for old in folder.glob("generated.db*"):  # a fresh ledger for each set
        old.unlink()
    _import(db, first, second)
    return score_generated(rows, flags_by_key(db))


# --- the real exports ----------------------------------------------------------------------------------------

_NOT_WORD = re.compile(r"[\W_]+")


def _norm(text: str) -> str:
    return _NOT_WORD.sub("", unicodedata.normalize("NFKC", text).lower())


def true_pairs(db: Path, threshold: float = 90) -> dict[str, set[str]]:
    """Every pair of cases received within the window whose texts score ≥ ``threshold``, by brute force:
    case key → the keys of the cases received before it that it repeats."""
    from rapidfuzz import fuzz, process

    conn = sqlite3.connect(db)
    cases = conn.execute(
        "SELECT source_key, julianday(received_at), description FROM cases ORDER BY 2"
    ).fetchall()
    conn.close()
    keys = [c[0].split(":", 1)[1].split("#")[0] for c in cases]
    days = [c[1] for c in cases]
    texts = [_norm(c[2]) for c in cases]
    truth: dict[str, set[str]] = {}
    for j in range(len(cases)):
        i = j - 1
        earlier = []
        while i >= 0 and days[j] - days[i] <= WINDOW:
            earlier.append(i)
            i -= 1
        if not earlier:
            continue
        for _, _, k in process.extract(
            texts[j], [texts[i] for i in earlier], scorer=fuzz.ratio, score_cutoff=threshold, limit=None
        ):
            truth.setdefault(keys[j], set()).add(keys[earlier[k]])
    return truth


def score_real(truth: dict[str, set[str]], flags: dict[str, set[str]]) -> Score:
    pairs = {(a, b) for a, bs in truth.items() for b in bs}
    pairs |= {(b, a) for a, b in pairs}
    right = sum(1 for key, twins in flags.items() if any((key, t) in pairs for t in twins))
    found = sum(
        1
        for key, twins in truth.items()
        if any((key, t) in pairs for t in flags.get(key, ())) or any(key in flags.get(t, ()) for t in twins)
    )
    return Score(len(truth), found, len(flags), right)


def real_texts() -> list[str]:
    """The messages of the real board export in ../shared/data (none when it is absent), each once."""
    path = SHARED / "tipdm2020c_fujian4_messages_with_replies.xlsx"
    if not path.exists():
        return []
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True)
    rows = book.worksheets[0].iter_rows(values_only=True)
    header = [str(h) for h in next(rows)]
    column = next(i for i, h in enumerate(header) if "详情" in h)
    texts = dict.fromkeys(
        str(r[column]).strip() for r in rows if r[column] and len(str(r[column]).strip()) >= 20
    )
    book.close()
    return list(texts)


def run_real(path: Path, folder: Path) -> Score:
    db = folder / f"{path.stem}.db"
    _import(db, path)
    truth = true_pairs(db)
    return score_real(truth, flags_by_key(db))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--unrelated", type=int, default=5000)
    parser.add_argument("--repeats", type=int, default=500)
    args = parser.parse_args()
    print(f"{'set':<48}{'repeats':>9}{'found':>7}{'recall':>8}{'flags':>7}{'right':>7}{'precision':>11}")
    with tempfile.TemporaryDirectory(prefix="wz-repeats-") as tmp:
        folder = Path(tmp)
        s = run_generated(args.unrelated, args.repeats, folder)
        name = f"(a) generated: {args.unrelated:,} unrelated + {args.repeats} repeats"
        print(
            f"{name:<48}{s.repeats:>9}{s.found:>7}{s.recall:>8.1%}{s.flags:>7}{s.right:>7}{s.precision:>11.1%}"
        )
        real = real_texts()
        for label, texts in (("made-up", None), ("real", real)):
            if texts == []:
                continue
            s = run_generated(len(texts) if texts else args.unrelated, args.repeats, folder, True, texts)
            name = f"(c) {label} texts + {args.repeats} edited to ratio 90"
            print(
                f"{name:<48}{s.repeats:>9}{s.found:>7}{s.recall:>8.1%}{s.flags:>7}{s.right:>7}{s.precision:>11.1%}"
            )
        for path in sorted(SHARED.glob("tipdm2020c_*messages*.xlsx")) + sorted(
            SHARED.glob("tipdm2020c_*sample*.xlsx")
        ):
            s = run_real(path, folder)
            name = f"(b) {path.name[:42]}"
            print(
                f"{name:<48}{s.repeats:>9}{s.found:>7}{s.recall:>8.1%}{s.flags:>7}{s.right:>7}{s.precision:>11.1%}"
            )
        if not SHARED.exists():
            print(f"(b) skipped: {SHARED} not found")
    print(
        "target: recall ≥ 90% on exact and near-exact repeats within the window, precision ≥ 95% — sets (a) and (b);"
    )
    print(
        "(c) is a worst case beyond it: each repeat edited as far as it still scores 90, edits spread evenly"
    )


if __name__ == "__main__":
    main()
