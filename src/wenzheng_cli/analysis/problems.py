"""What ``hotspots`` reads of a case and compares: the problem as stated (the title and the start of the text),
the places it names, and its words weighed by how telling they are (TF-IDF over character bigrams).

Pure Python, no heavy imports. A text sent again word for word counts once in what is common: a mass complaint's
words are telling, however many residents copy it.
"""

from __future__ import annotations

import heapq
import math
import re
from array import array
from collections import Counter
from collections.abc import Iterable, Mapping
from functools import lru_cache
from itertools import compress, pairwise
from typing import NamedTuple

from wenzheng_cli.analysis.clusters import Gazetteer
from wenzheng_cli.analysis.text import (
    COMMUNITY,
    ESTATE,
    GRID,
    ROAD,
    address_place,
    clean,
    places_in,
    without_buildings,
)

TEXT_CHARS = 300  # of the description, after the title: the problem is stated early
VECTOR_TERMS = 48  # a case's heaviest bigrams kept
COMMON_SHARE = 0.05  # a bigram in more than this share of cases (and more than COMMON_MIN) finds no cluster
COMMON_MIN = 10
EVERYDAY_SHARE = (
    0.01  # a place name with a pair of characters in more than this share of cases (outside names)
)
# Bigrams every letter to a government board is made of: they say nothing about the problem.
_STOP = (
    "尊敬 敬的 的领 领导 导您 您好 你好 谢谢 希望 问题 反映 解决 相关 部门 有关 请求 恳请 政府 社区 小区 处理 尽快 情况 目前 现在 我们 我是 本人 居民 "
    "业主 一下 能够 是否 什么 怎么 为什么 一个 没有 已经 可以 不能 这个 那个 帮忙 帮助 给予 协调 重视 关注 市民 群众 百姓 老百姓 请问"
)
STOP_BIGRAMS = frozenset(_STOP.split())
# Characters that make no word of the problem: a pair holding one (没人, 了没) is grammar, not content; 坏了没人修
# and 满了没人清运 share nothing.
FUNCTION_CHARS = frozenset("的了着过吗呢吧啊呀也都就还又很太没无不未是在有和与及或把被给让这那么之其")


# Two neighbouring Chinese characters, neither a function character: the pairs a text's words are counted by,
# found in one pass of the regular expression engine (overlapping: the pair is read ahead, not consumed).
_PAIR = re.compile(f"(?=([^\\x00-\\u4dff\\ua000-\\U0010ffff{''.join(sorted(FUNCTION_CHARS))}]{{2}}))")


class HotspotCase(NamedTuple):
    """What the analysis reads of a case (a named tuple: a hundred thousand are made in one pass)."""

    pk: int
    at: float  # received, seconds since the epoch
    title: str | None
    description: str
    address: str | None
    community: str | None
    grid: str | None
    person: str  # the resident's phone digits, else name, else the case itself
    support: int = 0
    twin: int | None = None  # the case it repeats (withdrawn as its duplicate, or flagged so on import) …
    confirmed: bool = False  # … withdrawn as its duplicate: a clerk saw they are one
    category: str | None = None


class Words(NamedTuple):
    """The vectors of a batch of texts (``pairs.vectors``) in plain arrays, cheap to send to another process
    (and read there without numpy): the terms of each text in its vector's order, their unit weights and
    whether each is telling (idf at least ``Idf.telling``); and which texts are to be read one at a time."""

    vocabulary: list[str]  # the batch's distinct terms
    terms: array[int]  # index into ``vocabulary``, text after text
    weights: array[float]
    telling: array[int]  # 1 when telling
    bounds: list[int]  # text i's terms are terms[bounds[i]:bounds[i + 1]]
    skipped: list[bool]

    def vectors(self) -> list[tuple[list[str], list[float], set[str]] | None]:
        """Each text's (terms, unit weights, telling terms), None for those skipped."""
        terms = list(map(self.vocabulary.__getitem__, self.terms))
        unit, tells = self.weights.tolist(), self.telling.tolist()
        out: list[tuple[list[str], list[float], set[str]] | None] = []
        for skip, (a, b) in zip(self.skipped, pairwise(self.bounds), strict=True):
            if skip:
                out.append(None)
            else:
                words = terms[a:b]
                out.append((words, unit[a:b], set(compress(words, tells[a:b]))))
        return out


def problem_text(title: str | None, description: str) -> str:
    """The title and the start of the text. Not NFKC-normalised: only Chinese characters are compared, and an
    import has already turned full-width digits and letters (３号楼, Ａ３区) into half-width ones. A middle dot
    inside a name is dropped: 五矿·万境 is 五矿万境."""
    text = (title or "") + " " + description[:TEXT_CHARS]
    return _DOTS.sub("", text) if any(dot in text for dot in "·・•‧") else text


_DOTS = re.compile(r"(?<=[\u4e00-\u9fff])[·・•‧](?=[\u4e00-\u9fff])")


def case_places(case: HotspotCase, text: str) -> tuple[list[tuple[int, str]], int]:
    """The places of a case: named in its title, address and text, and its community and grid; and how many
    of them the text names (they come first: the others are the fields a clerk or an import filled)."""
    found = places_in(text)
    named = len(found)
    if case.address:
        found.extend(_address_places(_DIGITS.sub("0", case.address)))
    if case.community:
        found.append((COMMUNITY, case.community))
        if case.grid:
            found.append((GRID, f"{case.community}/{case.grid}"))
    elif case.grid:
        found.append((GRID, case.grid))
    return found, named


_DIGITS = re.compile(r"\d+")


@lru_cache(maxsize=4096)
def _address_places(address: str) -> tuple[tuple[int, str], ...]:
    text = clean(address)
    named = places_in(text)
    if not any(tier == ESTATE for tier, _ in named):
        estate = address_place(text)
        if estate:
            named.append((ESTATE, estate))
    return tuple(named)


def bigrams(text: str, places: Iterable[tuple[int, str]]) -> Counter[str]:
    """The bigrams of a text and how often each comes: its words of the problem, its place names (buildings too),
    the pairs holding a function character (``FUNCTION_CHARS``) or any other than a Chinese character, and
    ``STOP_BIGRAMS`` left out (no Python loop per character)."""
    counts = Counter(_PAIR.findall(blanked(text, places)))
    for stop in STOP_BIGRAMS.intersection(counts):
        del counts[stop]
    return counts


def blanked(text: str, places: Iterable[tuple[int, str]]) -> str:
    """``text`` with its places and buildings blanked out: what its words of the problem are counted in."""
    for _, name in places:
        text = text.replace(name, " ")
    return without_buildings(text)


def document_frequencies(
    texts: Iterable[tuple[str, list[tuple[int, str]]]],
) -> tuple[Counter[str], int, Gazetteer]:
    """How many of ``texts`` hold each bigram, and how many texts there were (for the idf); and the estates and
    roads they name. A text sent again word for word (a mass complaint, copied by many residents) counts once:
    its words are telling, not common."""
    df: Counter[str] = Counter()
    seen: set[int] = set()
    names: set[tuple[int, str]] = set()
    for text, places in texts:
        key = hash(text)
        if key in seen:
            continue
        seen.add(key)
        df.update(bigrams(text, places).keys())
        names.update((tier, name) for tier, name in places if tier <= ROAD)
    floor = max(COMMON_SHARE * len(seen), COMMON_MIN)
    everyday = max(EVERYDAY_SHARE * len(seen), COMMON_MIN)
    known = Gazetteer(
        sorted(names), lambda pair: df.get(pair, 0) > floor, lambda pair: df.get(pair, 0) > everyday
    )
    return df, len(seen), known


class Idf:
    """Smoothed idf as in TF-IDF: ln((1 + n) / (1 + df)) + 1; a bigram never seen counts as rare."""

    def __init__(self, df: Mapping[str, int], n: int) -> None:
        self.n = n
        self.rare = math.log(1 + n) + 1
        self.table = {term: math.log((1 + n) / (1 + count)) + 1 for term, count in df.items()}
        common = max(COMMON_SHARE * n, COMMON_MIN)
        self.telling = math.log((1 + n) / (1 + common)) + 1  # idf from which a bigram finds clusters
        everyday = max(EVERYDAY_SHARE * n, COMMON_MIN)
        self.everyday_below = math.log((1 + n) / (1 + everyday)) + 1

    def everyday(self, name: str) -> bool:
        """Whether a place name is made of everyday words: a pair of its characters is in more than
        ``EVERYDAY_SHARE`` of the cases outside place names. 人民医院, 第一中学 and 导致小区 (a phrase cut at 小区)
        are; 阳光花园 and 五矿万境 are not (their characters come together only in the name)."""
        get, floor = self.table.get, self.everyday_below
        return any(get(name[i : i + 2], floor) < floor for i in range(len(name) - 1))

    def __getitem__(self, term: str) -> float:
        return self.table.get(term, self.rare)


def vector(counts: Counter[str], idf: Idf, *, common: bool = False) -> dict[str, float]:
    """Unit TF-IDF vector (sublinear tf) of the heaviest ``VECTOR_TERMS`` telling bigrams: those in more than
    ``COMMON_SHARE`` of the cases (the phrases every letter is made of) are left out, unless ``common`` (their
    low idf weighs them little; 电梯 or 停车 may be common in a period and still tell two problems apart)."""
    floor, get, rare = (0.0 if common else idf.telling), idf.table.get, idf.rare
    weights = {
        t: w if c == 1 else (1 + math.log(c)) * w for t, c in counts.items() if (w := get(t, rare)) >= floor
    }
    if (
        not weights
    ):  # every bigram common (a complaint most of the period's cases repeat): compare on them all
        weights = {
            t: w if c == 1 else (1 + math.log(c)) * w for t, c in counts.items() if (w := get(t, rare)) > 0
        }
    if len(weights) > VECTOR_TERMS:
        weights = dict(heapq.nlargest(VECTOR_TERMS, weights.items(), key=lambda kv: kv[1]))
    norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
    return {t: w / norm for t, w in weights.items()}
