"""The clusters of ``hotspots``: what a cluster holds, when a case may join one (its place), the estates and
roads a period names (found again where a case names them bare), and the merging of clusters at one place.
"""

from __future__ import annotations

import heapq
import math
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Set
from dataclasses import dataclass, field
from functools import lru_cache

from wenzheng_cli.analysis.text import DISTRICT, ESTATE, ROAD, TIER_NAMES, core

SIMILAR = 0.3  # cosine between a case and a cluster's centre for the case to join the cluster …
SIMILAR_SAME_PLACE = 0.12  # … when both name the same estate or road
MERGE_SAME_PLACE = 0.08  # cosine between two clusters' centres at one place for them to be one hotspot
MERGE_GROUP = 60  # clusters at one place compared pairwise (the latest)
MAIN_WORDS = 8  # a cluster's main words, which a case at its place may share to join it


@dataclass(slots=True)
class Cluster:
    id: int
    first: float
    last: float
    centre: dict[str, float] = field(default_factory=dict)
    square: float = 0.0  # |centre|²
    members: array[int] = field(default_factory=lambda: array("q"))
    people: set[int] = field(default_factory=set)
    support: int = 0
    places: list[dict[str, int]] = field(default_factory=lambda: [{} for _ in TIER_NAMES])  # name: cases
    cores: list[set[str]] = field(default_factory=lambda: [set() for _ in TIER_NAMES])  # what places match on
    terms: set[str] = field(default_factory=set)  # where the index lists it
    buildings: set[str] = field(default_factory=set)  # the buildings its texts name (3号楼 → "3")
    categories: Counter[str] = field(default_factory=Counter)  # its cases' categories
    main: set[str] | None = None  # its main words (``main_words``), None until asked again
    heat: float = 0.0

    @property
    def cases(self) -> int:
        return len(self.members)

    def place(self) -> str:
        """The finest place its cases name most, after the district or city when they name one."""
        named = [
            (tier, max(counts, key=counts.__getitem__)) for tier, counts in enumerate(self.places) if counts
        ]
        if not named:
            return ""
        tier, name = named[0]
        area = next((n for t, n in named if t >= DISTRICT and t > tier), None)
        return f"{area} {name}" if area else name

    def at_any(self, places: Iterable[tuple[int, str]]) -> bool:
        """Whether it names any of ``places`` ((tier, core) of estates and roads)."""
        return any(key in self.cores[tier] for tier, key in places)

    def threshold(self, cores: list[set[str]], buildings: Set[str] = frozenset()) -> float | None:
        """The similarity a case needs to join: None when the places conflict (at the finest tier both
        name, they share no name; or both texts name buildings, none the same); lower when they share an
        estate or a road."""
        if buildings and self.buildings and self.buildings.isdisjoint(buildings):
            return None
        for tier, (mine, theirs) in enumerate(zip(self.cores, cores, strict=True)):
            if mine and theirs:
                if mine.isdisjoint(theirs):
                    return None
                return SIMILAR_SAME_PLACE if tier <= ROAD else SIMILAR
        return SIMILAR

    def akin(self, category: str | None, words: Set[str]) -> bool:
        """A case at this cluster's estate or road is about its problem when it has the cluster's category
        (the one most of its cases have) or shares a telling word (``words``: not one every letter is made of)
        with its main words, unless it is filed under a category none of the cluster's cases has: residents
        word one problem in many ways, and the place is the strongest sign.
        The cluster's own category and words, not any of its cases': one building's other problems do not
        snowball into it."""
        held = self.categories.get(category, 0) if category is not None else 0
        if held > 0 and held == max(self.categories.values()):
            return True
        return not self.filed_elsewhere(category) and not self.main_words().isdisjoint(words)

    def main_words(self) -> set[str]:
        """Its main words: the ``MAIN_WORDS`` heaviest of its centre (worked out when asked: few are)."""
        if self.main is None:
            centre = self.centre
            self.main = set(heapq.nlargest(MAIN_WORDS, centre, key=centre.__getitem__))
        return self.main

    def filed_elsewhere(self, category: str | None) -> bool:
        """Whether a case (or cluster) filed under ``category`` was filed under a category none of this
        cluster's cases has: clerks have told the two problems apart, and sharing the place is then no reason
        to join them (a parking dispute and a barking dog at one estate, both with 邻居 in their texts)."""
        return category is not None and bool(self.categories) and category not in self.categories

    def category(self) -> str | None:
        """The category most of its cases have (None when none has one)."""
        return self.categories.most_common(1)[0][0] if self.categories else None


# The suffixes residents drop (五矿万境小区 → 五矿万境, 桐梓坡路 → 桐梓坡): housing estates and roads. Not 公司, 学校 or
# 厂: 出租车公司 would make every 出租车 a place.
_DROPPED = tuple(
    [
        "小区",
        "花园",
        "家园",
        "公寓",
        "大厦",
        "新村",
        "新城",
        "华庭",
        "名都",
        "名苑",
        "雅苑",
        "花苑",
        "山庄",
        "苑",
        "公馆",
        "大道",
        "路",
        "街",
        "巷",
    ]
)


def _place_key(name: str) -> str:
    """What a place name is compared by: an estate or a road without its suffix (阳光花园 is 阳光花园小区 and
    阳光), a school, hospital, company or factory whole (阳光医院 is not 阳光花园)."""
    return core(name) if name.endswith(_DROPPED) else name


place_core = lru_cache(maxsize=65536)(_place_key)


class Gazetteer:
    """The estates and roads the period's cases name with their suffix (五矿万境小区, 桐梓坡路), found again where
    a case names them without it (五矿万境): looked up by their first two characters among the text's. A name
    is learned only when none of its pairs of characters is common (``common``): 严重影响小区 is no estate.
    A company, school or factory (融信理财公司) is learned too when its name is made of no everyday words
    (``everyday``, stricter: 出租车公司 would make every 出租车 a place); found bare, it is named whole."""

    def __init__(
        self,
        names: Iterable[tuple[int, str]] = (),
        common: Callable[[str], bool] = bool,
        everyday: Callable[[str], bool] | None = None,
    ) -> None:
        self.by_head: dict[str, dict[str, tuple[int, str]]] = {}
        for tier, name in names:
            bare = core(name)
            if len(bare) < 3 or bare == name:
                continue
            dropped = name.endswith(_DROPPED)
            plain = common if dropped else everyday
            if plain is None or any(plain(bare[i : i + 2]) for i in range(len(bare) - 1)):
                continue
            known = self.by_head.setdefault(bare[:2], {})
            if dropped:  # 梅溪湖 bare is the estate 梅溪湖小区 rather than 梅溪湖学校
                known[bare] = (tier, bare)
            elif bare not in known:
                known[bare] = (tier, name)
            elif known[bare][1] not in (bare, name):  # two institutions of one name: neither is meant
                known[bare] = (tier, "")

    def find(self, text: str, heads: Iterable[str], found: list[tuple[int, str]]) -> None:
        """Add to ``found`` the known names ``text`` holds bare (not already part of a name found)."""
        if not self.by_head:
            return
        named = " ".join(name for _, name in found)
        for head in heads:
            for bare, (tier, name) in self.by_head.get(head, {}).items():
                if name and bare in text and bare not in named:
                    found.append((tier, name))
                    named += " " + bare


def merge_at_places(clusters: list[Cluster]) -> list[Cluster]:
    """Clusters naming the same estate or road (and no other building of it) become one when their centres
    are alike (cosine ≥ ``MERGE_SAME_PLACE``), directly or through others that are: a problem at one place is
    one hotspot however long it runs (gaps longer than the window) and however its residents word it. Two
    problems at one place share too few words to merge; a building merged in bars every other building."""
    by_place: dict[str, list[Cluster]] = {}
    for cluster in clusters:
        for key in cluster.cores[ESTATE] or cluster.cores[ROAD]:
            by_place.setdefault(key, []).append(cluster)
    pairs: dict[tuple[int, int], tuple[float, Cluster, Cluster]] = {}
    for group in by_place.values():
        group = group[-MERGE_GROUP:]
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                pair = (min(a.id, b.id), max(a.id, b.id))
                if pair not in pairs and (cosine := _cosine(a, b)) >= MERGE_SAME_PLACE:
                    pairs[pair] = (cosine, a, b)
    root: dict[int, Cluster] = {c.id: c for c in clusters}

    def find(cluster: Cluster) -> Cluster:
        while root[cluster.id] is not cluster:
            cluster = root[cluster.id]
        return cluster

    for _, a, b in sorted(pairs.values(), key=lambda p: (-p[0], p[1].id, p[2].id)):
        ra, rb = find(a), find(b)
        if ra is rb or ra.threshold(rb.cores, rb.buildings) is None:
            continue
        if ra.filed_elsewhere(rb.category()) and _cosine(ra, rb) < SIMILAR:
            continue  # filed apart by the clerks: only words alike anywhere join them
        into, other = (ra, rb) if (ra.heat, -ra.id) >= (rb.heat, -rb.id) else (rb, ra)
        _absorb(into, other)
        root[other.id] = into
    return [c for c in clusters if root[c.id] is c]


def _cosine(a: Cluster, b: Cluster) -> float:
    if not a.square or not b.square:
        return 0.0
    shared = a.centre.keys() & b.centre.keys()  # few, if any: the intersection is what costs
    if not shared:
        return 0.0
    dot = sum([a.centre[t] * b.centre[t] for t in shared])
    return dot / math.sqrt(a.square * b.square)


def _absorb(into: Cluster, other: Cluster) -> None:
    for t, w in other.centre.items():
        into.centre[t] = into.centre.get(t, 0.0) + w
    into.square = sum(w * w for w in into.centre.values())
    into.members.extend(other.members)
    into.people |= other.people
    into.support += other.support
    for tier, counts in enumerate(other.places):
        held = into.places[tier]
        for name, count in counts.items():
            held[name] = held.get(name, 0) + count
        into.cores[tier] |= other.cores[tier]
    into.buildings |= other.buildings
    into.categories.update(other.categories)
    into.main = into.main_words() | other.main_words()
    into.first = min(into.first, other.first)
    into.last = max(into.last, other.last)


def spans(counts: Counter[str]) -> list[str]:
    """The communities (or offices) a hotspot's cases belong to, from how many of its cases each holds (counted
    in received order): each once, those with the most cases first (then as they first came). A hotspot may
    span several: a road or an estate on the border of two communities."""
    return [value for value, _ in counts.most_common()]
