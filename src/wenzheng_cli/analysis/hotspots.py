"""Hotspots (共性问题, 由点及面): clusters of cases about the same problem at the same place.

One pass over the period's cases in the order they were received (pure Python, no heavy imports):

- each case becomes a unit vector of TF-IDF weights over the character bigrams of its title and the start of
  its text (``problems``), its places (estates, roads, buildings: 3号楼 is not 6号楼) taken out and compared
  apart; a text sent again word for word is read once;
- it joins the live cluster whose centre is the most similar (cosine ≥ ``SIMILAR``, or ``SIMILAR_SAME_PLACE``
  at the same estate or road) among those sharing its telling bigrams and not at another place. The place is
  the strongest sign: at an estate or road it names surely (in its fields, or by a name of no everyday words),
  a case joins a live cluster there that shares its category or any of its telling words, however else it is
  worded (``Cluster.akin``). A duplicate joins the cluster of the case it repeats; else it starts a cluster;
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
from collections import Counter, OrderedDict
from collections.abc import Iterable, Set
from dataclasses import dataclass
from operator import add
from typing import NamedTuple, TypeVar

from wenzheng_cli.analysis.clusters import (
    MERGE_SAME_PLACE,
    SIMILAR,
    SIMILAR_SAME_PLACE,
    Cluster,
    Gazetteer,
    merge_at_places,
    place_core,
)
from wenzheng_cli.analysis.problems import (
    HotspotCase,
    Idf,
    bigrams,
    case_places,
    problem_text,
    vector,
)
from wenzheng_cli.analysis.text import (
    ESTATE,
    ROAD,
    TIER_NAMES,
    buildings_in,
    core,
    places_in,
)

_K = TypeVar("_K")
MIN_PEOPLE = 2
CANDIDATES = 30  # clusters compared with a case: those sharing the most of its telling bigrams
CENTRE_TERMS = 400  # a cluster's centre is pruned back to its heaviest terms past this size
CENTRE_KEEP = 300
KEPT_PER_TOP, KEPT_MIN = 5, 100
ALONE_KEPT = 1000  # one-person clusters naming a place kept to merge (the latest)
READINGS_KEPT = 256  # texts whose reading is remembered (a mass complaint is read once)
HEAT_EXPLAINED = (
    "热度 = (反映人数 + 0.5 × 重复反映件数 + log2(1 + 点赞数)) × 时效系数；"
    "时效系数 = 0.5 + 0.5 × 最后一件受理时间在统计期内的位置（期初 0，期末 1）"
)


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


class Reading(NamedTuple):
    """What ``Clusterer.read`` finds in a case."""

    found: list[tuple[int, str]]  # its places (tier, name)
    cores: list[set[str]]  # by tier, what its places are compared by
    buildings: frozenset[str]
    vec: dict[str, float]  # its words, weighed
    keys: Set[str]  # the words it finds clusters by
    content: set[str]  # its telling words: what it may share with a cluster at its place
    sure: set[tuple[int, str]]  # (tier, key) of the estates and roads it names surely


class Clusterer:
    """Feed cases in received order with ``add``; ``finish`` gives the ``top`` hottest clusters, hottest first."""

    def __init__(
        self,
        idf: Idf,
        period: Period,
        window: float,
        top: int,
        places: Gazetteer | None = None,
        twins: Set[int] | None = None,
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
        self.index: dict[str, set[int]] = {}  # live clusters by their words …
        # … by spot and word, at the estates they name: a spot is (estate, "*") for all of them there, and
        # (estate, building) for those naming the building, (estate, "") for those naming none …
        self.at: dict[tuple[str, str], dict[str, set[int]]] = {}
        self.free: dict[str, set[int]] = {}  # … and by word among those naming no estate
        self.by_place: dict[
            tuple[int, str], set[int]
        ] = {}  # live clusters by the estates and roads they name …
        self.by_kind: dict[tuple[int, str, str], set[int]] = {}  # … by (tier, place, category) …
        self.kind_at: dict[tuple[int, str, str, str], set[int]] = {}  # … and building (or "")
        self.expiry: list[tuple[float, int]] = []  # (last, cluster id), lazily updated
        self.best: list[tuple[float, int, Cluster]] = []  # min-heap of the hottest closed clusters
        self.member_of: dict[int, int] = {}  # case → its live cluster, for the duplicates that follow
        self.alone: OrderedDict[int, Cluster] = (
            OrderedDict()
        )  # the latest closed one-person clusters naming an estate or road
        self.next_id = 0
        self.seen = 0
        self.readings: dict[tuple[str | None, ...], Reading] = {}
        self.everyday: dict[str, bool] = {}  # place names found in texts: made of everyday words?
        self.wanted = twins  # the cases others repeat (None: any may be)

    def telling(self, vec: dict[str, float]) -> set[str]:
        """The telling terms of a case (not in more than ``COMMON_SHARE`` of the cases): what it finds
        clusters by (all its terms when none is telling) and shares with a cluster at its place."""
        floor, get, rare = self.idf.telling, self.idf.table.get, self.idf.rare
        return {t for t in vec if get(t, rare) >= floor}

    def _everyday(self, name: str) -> bool:
        """Whether a place name found in a text is made of everyday words (``Idf.everyday``), worked out once."""
        known = self.everyday.get(name)
        if known is None:
            if len(self.everyday) >= 65536:
                self.everyday.clear()
            known = self.everyday[name] = self.idf.everyday(core(name))
        return known

    def read(self, case: HotspotCase) -> Reading:
        """What the case says: its places, buildings and words (the same for a text sent again word for word,
        read once: a mass complaint costs one reading)."""
        key = (case.title, case.description, case.address, case.community, case.grid)
        known = self.readings.get(key)
        if known is not None:
            return known
        text = problem_text(case.title, case.description)
        found, in_text = case_places(case, text)
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
        words = self.telling(vec)
        sure = {  # its estates and roads named surely: in the fields, or by a name of no everyday words
            (tier, place_core(name))
            for i, (tier, name) in enumerate(found)
            if tier <= ROAD and (in_text <= i < named or not self._everyday(name))
        }
        reading = Reading(found, cores, buildings, vec, words or vec.keys(), words, sure)
        if len(self.readings) >= READINGS_KEPT:
            self.readings.clear()
        self.readings[key] = reading
        return reading

    def add(self, case: HotspotCase) -> None:
        self.seen += 1
        self._close_before(case.at - self.window)
        found, cores, buildings, vec, keys, content, sure = self.read(case)
        chosen: Cluster | None = None
        chosen_dot = 0.0
        best = 0.0
        alike: set[int] = set()  # the live clusters of its category at its estates and roads
        if case.category and buildings:
            kind_at = self.kind_at.get
            for place in sure:
                for b in (*buildings, ""):
                    listed = kind_at((*place, case.category, b))
                    if listed:
                        alike |= listed
        elif case.category:
            for place in sure:
                listed = self.by_kind.get((*place, case.category))
                if listed:
                    alike |= listed
        estates = cores[ESTATE]
        if (
            estates
        ):  # at its estates (at its buildings, or naming none, when it names some), or naming no estate
            spots = (
                [(e, b) for e in estates for b in (*buildings, "")]
                if buildings
                else [(e, "*") for e in estates]
            )
            tables = [table for spot in spots if (table := self.at.get(spot))]
            tables.append(self.free)
            postings = [listed for table in tables for listed in map(table.get, keys) if listed]
        else:
            postings = [listed for listed in map(self.index.get, keys) if listed]
        pool: set[int] = set().union(*postings)
        if len(pool) > CANDIDATES:  # the clusters sharing the most of its telling bigrams
            shared: Counter[int] = Counter()
            for listed in postings:
                shared.update(listed)
            candidates = {gid for gid, _ in shared.most_common(CANDIDATES)} | alike
            for place in sure:  # and all of those at its estates and roads
                listed = self.by_place.get(place)
                if listed:
                    candidates |= pool & listed
        else:
            candidates = pool | alike
        items = list(vec.items())
        for gid in sorted(candidates):
            cluster = self.live[gid]
            if buildings and cluster.buildings and cluster.buildings.isdisjoint(buildings):
                continue  # another building: the cheapest test, and the most frequent way to differ
            needed = cluster.threshold(cores, buildings)  # the place next: cheaper than the similarity
            if needed is None:
                continue
            if needed == SIMILAR_SAME_PLACE and cluster.filed_elsewhere(case.category):
                needed = SIMILAR  # filed apart by the clerks: the place alone does not lower the bar
            get = cluster.centre.get
            dot = sum([w * get(t, 0.0) for t, w in items])
            cosine = dot / math.sqrt(cluster.square or 1.0)
            if not (cosine >= needed and gid in pool) and not (  # alike in words, or the same problem here
                needed == SIMILAR_SAME_PLACE and cluster.at_any(sure) and cluster.akin(case.category, content)
            ):
                continue
            if chosen is None or cosine > best:
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
        self._join(chosen, case, vec, chosen_dot, found, keys, buildings)

    def _join(
        self,
        cluster: Cluster,
        case: HotspotCase,
        vec: dict[str, float],
        dot: float,
        found: list[tuple[int, str]],
        keys: Set[str],
        buildings: Set[str],
    ) -> None:
        centre = cluster.centre
        for t, w in vec.items():
            centre[t] = centre.get(t, 0.0) + w
        cluster.square += 2 * dot + (1.0 if vec else 0.0)  # |c + v|² = |c|² + 2 c·v + |v|², v a unit vector
        cluster.main = None  # worked out again when asked
        if len(centre) > CENTRE_TERMS:
            kept = dict(heapq.nlargest(CENTRE_KEEP, centre.items(), key=lambda kv: kv[1]))
            cluster.centre = kept
            cluster.square = sum(w * w for w in kept.values())
        cluster.members.append(case.pk)
        if self.wanted is None or case.pk in self.wanted:
            self.member_of[case.pk] = cluster.id
        cluster.people.add(hash(case.person))
        cluster.support += case.support
        title = case.title or ""
        places = len(cluster.cores[ESTATE]) + len(cluster.cores[ROAD])
        estates = cluster.cores[ESTATE]
        added = buildings - cluster.buildings
        if added:  # its words are found at these buildings now (no longer at none)
            if not cluster.buildings:
                _unlist_at(self.at, [(e, "") for e in estates], cluster.terms, cluster.id)
                _unlist(self.kind_at, _kinds(cluster, ("",)), cluster.id)
            cluster.buildings |= added
            _list_at(self.at, [(e, b) for e in estates for b in added], cluster.terms, cluster.id)
            _list(self.kind_at, _kinds(cluster, added), cluster.id)
        for tier, name in set(found):
            cluster.places[tier][name] += 2 if name in title else 1  # the title names the place best
            key = place_core(name)
            if tier <= ROAD and key not in cluster.cores[tier]:
                self.by_place.setdefault((tier, key), set()).add(cluster.id)
                if tier == ESTATE:  # its words are found at this estate now
                    if not estates:
                        _unlist(self.free, cluster.terms, cluster.id)
                    _list_at(self.at, _spots(cluster, (key,)), cluster.terms, cluster.id)
            cluster.cores[tier].add(key)
        if case.category and case.category not in cluster.categories:
            cluster.categories[case.category] = 1
            self._index_kinds(cluster)
        elif case.category:
            cluster.categories[case.category] += 1
        elif cluster.categories and len(cluster.cores[ESTATE]) + len(cluster.cores[ROAD]) > places:
            self._index_kinds(cluster)
        if len(cluster.members) == 1:  # new: closed once the window has passed since its latest case
            heapq.heappush(self.expiry, (case.at, cluster.id))
        cluster.last = max(cluster.last, case.at)
        terms = keys - cluster.terms
        if terms:
            _list(self.index, terms, cluster.id)
            if estates:
                _list_at(self.at, _spots(cluster, estates), terms, cluster.id)
            else:
                _list(self.free, terms, cluster.id)
            cluster.terms |= terms

    def _index_kinds(self, cluster: Cluster) -> None:
        """List a live cluster under each (estate or road, category) it holds: a case there of the category
        finds it however it is worded."""
        for tier in (ESTATE, ROAD):
            for key in cluster.cores[tier]:
                for category in cluster.categories:
                    self.by_kind.setdefault((tier, key, category), set()).add(cluster.id)
        _list(self.kind_at, _kinds(cluster, cluster.buildings or ("",)), cluster.id)

    def _close_before(self, cutoff: float) -> None:
        while self.expiry and self.expiry[0][0] < cutoff:
            last, gid = heapq.heappop(self.expiry)
            cluster = self.live.get(gid)
            if cluster is None:
                continue
            if cluster.last == last:
                self._close(cluster)
            else:  # it has grown since: due later (one entry per live cluster)
                heapq.heappush(self.expiry, (cluster.last, gid))

    def _close(self, cluster: Cluster) -> None:
        del self.live[cluster.id]
        for pk in cluster.members:
            self.member_of.pop(pk, None)
        terms = cluster.terms
        _unlist(self.index, terms, cluster.id)
        estates = cluster.cores[ESTATE]
        if estates:
            _unlist_at(self.at, _spots(cluster, estates), terms, cluster.id)
        else:
            _unlist(self.free, terms, cluster.id)
        cluster.terms = set()
        _unlist(self.kind_at, _kinds(cluster, cluster.buildings or ("",)), cluster.id)
        for tier in (ESTATE, ROAD):
            for key in cluster.cores[tier]:
                listed = self.by_place.get((tier, key))
                if listed is not None:
                    listed.discard(cluster.id)
                    if not listed:
                        del self.by_place[(tier, key)]
                for category in cluster.categories:
                    listed = self.by_kind.get((tier, key, category))
                    if listed is not None:
                        listed.discard(cluster.id)
                        if not listed:
                            del self.by_kind[(tier, key, category)]
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


def _spots(cluster: Cluster, estates: Iterable[str]) -> list[tuple[str, str]]:
    """The spots a live cluster is listed under in ``Clusterer.at`` for ``estates`` (of those it names)."""
    return [(e, b) for e in estates for b in ("*", *(cluster.buildings or ("",)))]


def _list_at(
    table: dict[tuple[str, str], dict[str, set[int]]],
    spots: Iterable[tuple[str, str]],
    terms: Set[str],
    gid: int,
) -> None:
    """List cluster ``gid`` in ``table`` under each of ``terms`` at each of ``spots``."""
    if terms:
        for spot in spots:
            _list(table.setdefault(spot, {}), terms, gid)


def _unlist_at(
    table: dict[tuple[str, str], dict[str, set[int]]],
    spots: Iterable[tuple[str, str]],
    terms: Set[str],
    gid: int,
) -> None:
    """Take cluster ``gid`` out of ``table`` under each of ``terms`` at each of ``spots``."""
    for spot in spots:
        listed = table.get(spot)
        if listed is not None:
            _unlist(listed, terms, gid)
            if not listed:
                del table[spot]


def _kinds(cluster: Cluster, spots: Iterable[str]) -> list[tuple[int, str, str, str]]:
    """The (tier, estate or road, category, building or "") a live cluster is listed under in ``kind_at``."""
    return [
        (tier, key, category, b)
        for tier in (ESTATE, ROAD)
        for key in cluster.cores[tier]
        for category in cluster.categories
        for b in spots
    ]


def _list(table: dict[_K, set[int]], keys: Iterable[_K], gid: int) -> None:
    """List cluster ``gid`` in ``table`` under each of ``keys``."""
    for key in keys:
        listed = table.get(key)
        if listed is None:
            table[key] = {gid}
        else:
            listed.add(gid)


def _unlist(table: dict[_K, set[int]], keys: Iterable[_K], gid: int) -> None:
    """Take cluster ``gid`` out of ``table`` under each of ``keys`` (a key left with none goes)."""
    for key in keys:
        listed = table.get(key)
        if listed is not None:
            listed.discard(gid)
            if not listed:
                del table[key]


def closeness(cluster: Cluster, text: str, idf: Idf) -> float:
    """How close a member's problem text is to its cluster's centre: the closest is its summary."""
    vec = vector(bigrams(text, places_in(text)), idf)
    return sum(w * cluster.centre.get(t, 0.0) for t, w in vec.items())
