"""Hotspots (共性问题, 由点及面): clusters of cases about the same problem at the same place.

One pass over the period's cases in the order they were received (pure Python, no heavy imports):

- each case becomes a unit vector of TF-IDF weights over the character bigrams of its title and the start of
  its text, its places (estates, roads, buildings: 3号楼 is not 6号楼) taken out and compared apart;
- it joins the live cluster whose centre is the most similar (cosine ≥ ``SIMILAR``, or ``SIMILAR_SAME_PLACE``
  at the same estate or road) among those sharing its telling bigrams and not at another place; a duplicate
  joins the cluster of the case it repeats; else it starts a cluster;
- once ``window`` has passed since a cluster's latest case it is closed and kept when among the hottest; at the
  end, clusters at one place whose words are alike merge (``clusters.merge_at_places``): a problem at one place
  is one hotspot however long it runs. Memory is what the window holds plus the clusters kept.

Heat (热度), explained to users in the same words (``HEAT_EXPLAINED``)::

    热度 = (反映人数 + 0.5 × 重复反映件数 + log2(1 + 点赞数)) × 时效系数
    时效系数 = 0.5 + 0.5 × (最后一件的受理时间在统计期内的位置：期初 0，期末 1)

where 反映人数 counts distinct residents (by phone, else name; a case naming neither is one person),
重复反映件数 is cases − people, and 点赞数 is the support an import carried (点赞数, 支持数, 附议数 columns).
A cluster is a hotspot when at least two people raised it.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import Counter, OrderedDict
from collections.abc import Iterable, Iterator, Mapping, Set
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from operator import add
from typing import NamedTuple

from wenzheng_cli.analysis.clusters import (
    MERGE_SAME_PLACE,
    Cluster,
    Gazetteer,
    merge_at_places,
    place_core,
)
from wenzheng_cli.analysis.text import (
    COMMUNITY,
    ESTATE,
    GRID,
    ROAD,
    TIER_NAMES,
    address_place,
    buildings_in,
    cjk_runs,
    clean,
    places_in,
    without_buildings,
)

MIN_PEOPLE = 2
TEXT_CHARS = 300  # of the description, after the title: the problem is stated early
VECTOR_TERMS = 48  # a case's heaviest bigrams kept
COMMON_SHARE = 0.05  # a bigram in more than this share of cases (and more than COMMON_MIN) finds no cluster
COMMON_MIN = 10
CANDIDATES = 30  # clusters compared with a case: those sharing the most of its telling bigrams
CENTRE_TERMS = 400  # a cluster's centre is pruned back to its heaviest terms past this size
CENTRE_KEEP = 300
KEPT_PER_TOP, KEPT_MIN = 5, 100
ALONE_KEPT = 1000  # one-person clusters naming a place kept to merge (the latest)
HEAT_EXPLAINED = (
    "热度 = (反映人数 + 0.5 × 重复反映件数 + log2(1 + 点赞数)) × 时效系数；"
    "时效系数 = 0.5 + 0.5 × 最后一件受理时间在统计期内的位置（期初 0，期末 1）"
)
# Bigrams every letter to a government board is made of: they say nothing about the problem.
_STOP = (
    "尊敬 敬的 的领 领导 导您 您好 你好 谢谢 希望 问题 反映 解决 相关 部门 有关 请求 恳请 政府 社区 小区 处理 尽快 情况 目前 现在 我们 我是 本人 居民 "
    "业主 一下 能够 是否 什么 怎么 为什么 一个 没有 已经 可以 不能 这个 那个 帮忙 帮助 给予 协调 重视 关注 市民 群众 百姓 老百姓 请问"
)
STOP_BIGRAMS = frozenset(_STOP.split())


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


def problem_text(title: str | None, description: str) -> str:
    """The title and the start of the text. Not NFKC-normalised: only Chinese characters are compared, and an
    import has already turned full-width digits and letters (３号楼, Ａ３区) into half-width ones. A middle dot
    inside a name is dropped: 五矿·万境 is 五矿万境."""
    return _DOTS.sub("", (title or "") + " " + description[:TEXT_CHARS])


_DOTS = re.compile(r"(?<=[\u4e00-\u9fff])[·・•‧](?=[\u4e00-\u9fff])")


def case_places(case: HotspotCase, text: str) -> list[tuple[int, str]]:
    """The places of a case: named in its title, address and text, and its community and grid."""
    found = places_in(text)
    if case.address:
        found.extend(_address_places(_DIGITS.sub("0", case.address)))
    if case.community:
        found.append((COMMUNITY, case.community))
        if case.grid:
            found.append((GRID, f"{case.community}/{case.grid}"))
    elif case.grid:
        found.append((GRID, case.grid))
    return found


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
    """The bigrams of a text and how often each comes, its place names (buildings too) and ``STOP_BIGRAMS`` left out
    (counted by ``Counter`` over pairs of neighbouring characters: no Python loop per character)."""
    for _, name in places:
        text = text.replace(name, " ")
    text = without_buildings(text)
    counts = Counter(chain.from_iterable(map(add, run, run[1:]) for run in cjk_runs(text)))
    for stop in STOP_BIGRAMS.intersection(counts):
        del counts[stop]
    return counts


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
    return df, len(seen), Gazetteer(sorted(names), lambda pair: df.get(pair, 0) > floor)


class Idf:
    """Smoothed idf as in TF-IDF: ln((1 + n) / (1 + df)) + 1; a bigram never seen counts as rare."""

    def __init__(self, df: Mapping[str, int], n: int) -> None:
        self.n = n
        self.rare = math.log(1 + n) + 1
        self.table = {term: math.log((1 + n) / (1 + count)) + 1 for term, count in df.items()}
        common = max(COMMON_SHARE * n, COMMON_MIN)
        self.telling = math.log((1 + n) / (1 + common)) + 1  # idf from which a bigram finds clusters

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


@dataclass(frozen=True)
class Period:
    start: float
    end: float

    def recency(self, moment: float) -> float:
        span = self.end - self.start
        position = 1.0 if span <= 0 else min(max((moment - self.start) / span, 0.0), 1.0)
        return 0.5 + 0.5 * position


def heat(people: int, cases: int, support: int, recency: float) -> float:
    return round((people + 0.5 * (cases - people) + math.log2(1 + max(support, 0))) * recency, 2)


class Clusterer:
    """Feed cases in received order with ``add``; ``finish`` gives the ``top`` hottest clusters, hottest first."""

    def __init__(
        self, idf: Idf, period: Period, window: float, top: int, places: Gazetteer | None = None
    ) -> None:
        self.idf = idf
        self.places = places or Gazetteer()
        self.period = period
        self.window = window
        self.top = top
        self.kept = max(
            KEPT_PER_TOP * top, KEPT_MIN
        )  # closed clusters kept to merge, before the top are taken
        self.live: dict[int, Cluster] = {}
        self.index: dict[str, set[int]] = {}
        self.by_estate: dict[str, set[int]] = {}  # live clusters by the estates they name …
        self.no_estate: set[int] = set()  # … and those naming none: the only ones a case may join
        self.expiry: list[tuple[float, int]] = []  # (last, cluster id), lazily updated
        self.best: list[tuple[float, int, Cluster]] = []  # min-heap of the hottest closed clusters
        self.member_of: dict[int, int] = {}  # case → its live cluster, for the duplicates that follow
        self.alone: OrderedDict[int, Cluster] = (
            OrderedDict()
        )  # the latest closed one-person clusters naming an estate or road
        self.next_id = 0
        self.seen = 0

    def telling(self, vec: dict[str, float]) -> Set[str]:
        """The terms a case finds clusters by: its telling ones, or all when it has none."""
        floor, get, rare = self.idf.telling, self.idf.table.get, self.idf.rare
        found = {t for t in vec if get(t, rare) >= floor}
        return found or vec.keys()

    def add(self, case: HotspotCase) -> None:
        self.seen += 1
        self._close_before(case.at - self.window)
        text = problem_text(case.title, case.description)
        found = case_places(case, text)
        buildings = buildings_in(text)
        counts = bigrams(text, found)
        named = len(found)
        self.places.find(text, counts.keys(), found)
        for _, name in found[named:]:  # a name found bare: its own bigrams are no words of the problem
            for pair in map(add, name, name[1:]):
                counts.pop(pair, None)
        vec = vector(counts, self.idf, common=True)
        cores: list[set[str]] = [set() for _ in TIER_NAMES]
        for tier, name in found:
            cores[tier].add(place_core(name))
        keys = self.telling(vec)
        chosen: Cluster | None = None
        chosen_dot = 0.0
        best = 0.0
        pool: set[int] = set()
        postings = [listed for term in keys if (listed := self.index.get(term))]
        for listed in postings:
            pool |= listed
        estates = cores[ESTATE]
        if estates and pool:
            allowed = set(self.no_estate)
            for name in estates:
                allowed |= self.by_estate.get(name, set())
            pool &= allowed
        if len(pool) > CANDIDATES:  # the clusters sharing the most of its telling bigrams
            shared: Counter[int] = Counter()
            for listed in postings:
                shared.update(listed)
            candidates = sorted(gid for gid, _ in shared.most_common(CANDIDATES))
        else:
            candidates = sorted(pool)
        items = list(vec.items())
        for gid in candidates:
            cluster = self.live[gid]
            needed = cluster.threshold(cores, buildings)  # the place first: cheaper than the similarity
            if needed is None:
                continue
            get = cluster.centre.get
            dot = sum([w * get(t, 0.0) for t, w in items])
            cosine = dot / math.sqrt(cluster.square)
            if cosine >= needed and cosine > best:
                chosen, chosen_dot, best = cluster, dot, cosine
        twin = self.live.get(self.member_of.get(case.twin, -1)) if case.twin is not None else None
        if twin is not None and twin.threshold(cores, buildings) is not None:
            dot = sum(w * twin.centre.get(t, 0.0) for t, w in vec.items())
            if (
                case.confirmed or dot / math.sqrt(twin.square or 1.0) >= MERGE_SAME_PLACE
            ):  # a few words suffice
                chosen, chosen_dot = twin, dot
        if chosen is None:
            chosen = Cluster(self.next_id, case.at, case.at)
            self.next_id += 1
            self.live[chosen.id] = chosen
            self.no_estate.add(chosen.id)
        chosen.buildings |= buildings
        self._join(chosen, case, vec, chosen_dot, found, keys)

    def _join(
        self,
        cluster: Cluster,
        case: HotspotCase,
        vec: dict[str, float],
        dot: float,
        found: list[tuple[int, str]],
        keys: Set[str],
    ) -> None:
        centre = cluster.centre
        for t, w in vec.items():
            centre[t] = centre.get(t, 0.0) + w
        cluster.square += 2 * dot + (1.0 if vec else 0.0)  # |c + v|² = |c|² + 2 c·v + |v|², v a unit vector
        if len(centre) > CENTRE_TERMS:
            kept = dict(heapq.nlargest(CENTRE_KEEP, centre.items(), key=lambda kv: kv[1]))
            cluster.centre = kept
            cluster.square = sum(w * w for w in kept.values())
        cluster.members.append(case.pk)
        self.member_of[case.pk] = cluster.id
        cluster.people.add(hash(case.person))
        cluster.support += case.support
        title = case.title or ""
        for tier, name in set(found):
            cluster.places[tier][name] += 2 if name in title else 1  # the title names the place best
            key = place_core(name)
            if tier == ESTATE and key not in cluster.cores[ESTATE]:
                self.by_estate.setdefault(key, set()).add(cluster.id)
                self.no_estate.discard(cluster.id)
            cluster.cores[tier].add(key)
        cluster.last = max(cluster.last, case.at)
        index = self.index
        for term in keys - cluster.terms:
            listed = index.get(term)
            if listed is None:
                index[term] = {cluster.id}
            else:
                listed.add(cluster.id)
        cluster.terms |= keys
        heapq.heappush(self.expiry, (cluster.last, cluster.id))

    def _close_before(self, cutoff: float) -> None:
        while self.expiry and self.expiry[0][0] < cutoff:
            last, gid = heapq.heappop(self.expiry)
            cluster = self.live.get(gid)
            if cluster is not None and cluster.last == last:
                self._close(cluster)

    def _close(self, cluster: Cluster) -> None:
        del self.live[cluster.id]
        for pk in cluster.members:
            self.member_of.pop(pk, None)
        for term in cluster.terms:
            listed = self.index.get(term)
            if listed is not None:
                listed.discard(cluster.id)
                if not listed:
                    del self.index[term]
        cluster.terms = set()
        self.no_estate.discard(cluster.id)
        for key in cluster.cores[ESTATE]:
            listed = self.by_estate.get(key)
            if listed is not None:
                listed.discard(cluster.id)
                if not listed:
                    del self.by_estate[key]
        people = len(cluster.people)
        if people < MIN_PEOPLE:
            if cluster.cores[ESTATE] or cluster.cores[ROAD]:  # may join the same problem at its place later
                self.alone[cluster.id] = cluster
                if len(self.alone) > ALONE_KEPT:
                    self.alone.popitem(last=False)
            return
        cluster.heat = heat(people, cluster.cases, cluster.support, self.period.recency(cluster.last))
        entry = (cluster.heat, -cluster.id, cluster)
        if len(self.best) < self.kept:
            heapq.heappush(self.best, entry)
        elif entry[:2] > self.best[0][:2]:
            heapq.heapreplace(self.best, entry)

    def finish(self) -> list[Cluster]:
        for cluster in list(self.live.values()):
            self._close(cluster)
        merged = merge_at_places([cluster for _, _, cluster in self.best] + list(self.alone.values()))
        merged = [cluster for cluster in merged if len(cluster.people) >= MIN_PEOPLE]
        for cluster in merged:
            cluster.heat = heat(
                len(cluster.people), cluster.cases, cluster.support, self.period.recency(cluster.last)
            )
        ranked = sorted(merged, key=lambda c: (-c.heat, c.first, c.id))
        return ranked[: self.top]


def representative(cluster: Cluster, texts: Iterator[tuple[int, str]], idf: Idf) -> int | None:
    """The member whose text is closest to the cluster's centre (its summary), from (pk, problem text)."""
    best_pk, best = None, -1.0
    for pk, text in texts:
        vec = vector(bigrams(text, places_in(text)), idf)
        dot = sum(w * cluster.centre.get(t, 0.0) for t, w in vec.items())
        if dot > best:
            best_pk, best = pk, dot
    return best_pk
