"""Hotspots (共性问题, 由点及面): clusters of cases about the same problem at the same place.

One pass over the period's cases in the order they were received (pure Python, no heavy imports):

- each case becomes a unit vector of TF-IDF weights over the character bigrams of its title and the start of
  its text (``problems``), its places (estates, roads, buildings: 3号楼 is not 6号楼) taken out and compared
  apart; a text sent again word for word is read once;
- it joins the live cluster whose centre is the most similar (cosine ≥ ``SIMILAR``, or ``SIMILAR_SAME_PLACE``
  at the same estate or road) among those sharing its telling bigrams and not at another place (``listings``
  finds them: at its estate and building, not among all those live). The place is
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
from collections import OrderedDict
from collections.abc import Sequence, Set
from dataclasses import dataclass
from itertools import repeat
from operator import add, mul

from wenzheng_cli.analysis.clusters import (
    MERGE_SAME_PLACE,
    SIMILAR,
    SIMILAR_SAME_PLACE,
    Cluster,
    Gazetteer,
    merge_at_places,
)
from wenzheng_cli.analysis.listings import Listings
from wenzheng_cli.analysis.problems import HotspotCase, Idf, bigrams, vector
from wenzheng_cli.analysis.reading import Prepared, Reader, Reading
from wenzheng_cli.analysis.text import ESTATE, ROAD, places_in

_ZEROS = repeat(0.0)  # what a centre holds of a term it lacks
MIN_PEOPLE = 2
CENTRE_TERMS = 400  # a cluster's centre is pruned back to its heaviest terms past this size
CENTRE_KEEP = 300
KEPT_PER_TOP, KEPT_MIN = 5, 100
ALONE_KEPT = 1000  # one-person clusters naming a place kept to merge (the latest)
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
        self.listed = Listings()  # where the live ones are found
        self.expiry: list[tuple[float, int]] = []  # (last, cluster id), lazily updated
        self.best: list[tuple[float, int, Cluster]] = []  # min-heap of the hottest closed clusters
        self.member_of: dict[int, int] = {}  # case → its live cluster, for the duplicates that follow
        self.alone: OrderedDict[int, Cluster] = (
            OrderedDict()
        )  # the latest closed one-person clusters naming an estate or road
        self.next_id = 0
        self.reader = Reader(idf, self.places)
        self.wanted = twins  # the cases others repeat (None: any may be)

    def add(self, case: HotspotCase) -> None:
        self._add(case, self.reader.read(case))

    def add_many(self, cases: Sequence[HotspotCase]) -> None:
        """``add`` each of ``cases`` in turn, their words counted together (``Reader.read_many``)."""
        for case, reading in zip(cases, self.reader.read_many(cases), strict=True):
            self._add(case, reading)

    def add_prepared(self, cases: Sequence[HotspotCase], prepared: Prepared) -> None:
        """``add_many`` of cases whose readings were prepared elsewhere (``Reader.prepare``)."""
        for case, reading in zip(cases, self.reader.finish(prepared), strict=True):
            self._add(case, reading)

    def _add(self, case: HotspotCase, reading: Reading) -> None:
        expiry = self.expiry
        if expiry and expiry[0][0] < case.at - self.window:
            self._close_before(case.at - self.window)
        _, cores, buildings, terms, weights, keys, content, sure, placed = reading
        chosen: Cluster | None = None
        chosen_dot = 0.0
        best = 0.0
        pool, candidates = self.listed.candidates(keys, cores[ESTATE], buildings, sure, case.category)
        for gid in sorted(candidates):
            cluster = self.live[gid]
            if buildings and cluster.buildings and cluster.buildings.isdisjoint(buildings):
                continue  # another building: the cheapest test, and the most frequent way to differ
            needed = cluster.threshold(cores, buildings)  # the place next: cheaper than the similarity
            if needed is None:
                continue
            if needed == SIMILAR_SAME_PLACE and cluster.filed_elsewhere(case.category):
                needed = SIMILAR  # filed apart by the clerks: the place alone does not lower the bar
            dot = sum(map(mul, weights, map(cluster.centre.get, terms, _ZEROS)))
            cosine = dot / math.sqrt(cluster.square or 1.0)
            if not (cosine >= needed and gid in pool) and not (  # alike in words, or the same problem here
                needed == SIMILAR_SAME_PLACE and cluster.at_any(sure) and cluster.akin(case.category, content)
            ):
                continue
            if chosen is None or cosine > best:
                chosen, chosen_dot, best = cluster, dot, cosine
        twin = self.live.get(self.member_of.get(case.twin, -1)) if case.twin is not None else None
        if twin is not None and twin.threshold(cores, buildings) is not None:
            dot = sum(map(mul, weights, map(twin.centre.get, terms, _ZEROS)))
            if (
                case.confirmed or dot / math.sqrt(twin.square or 1.0) >= MERGE_SAME_PLACE
            ):  # a few words suffice
                chosen, chosen_dot = twin, dot
        if chosen is None:
            chosen = Cluster(self.next_id, case.at, case.at)
            self.next_id += 1
            self.live[chosen.id] = chosen
        self._join(chosen, case, terms, weights, chosen_dot, placed, keys, buildings)

    def _join(
        self,
        cluster: Cluster,
        case: HotspotCase,
        terms: list[str],
        weights: list[float],
        dot: float,
        placed: tuple[tuple[int, str, str, int], ...],
        keys: Set[str],
        buildings: Set[str],
    ) -> None:
        centre = cluster.centre
        centre.update(zip(terms, map(add, map(centre.get, terms, _ZEROS), weights), strict=True))  # c[t] += w
        cluster.square += 2 * dot + (1.0 if terms else 0.0)  # |c + v|² = |c|² + 2 c·v + |v|², v a unit vector
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
        places = len(cluster.cores[ESTATE]) + len(cluster.cores[ROAD])
        if not buildings <= cluster.buildings:
            self.listed.add_buildings(cluster, buildings - cluster.buildings)
        for tier, name, key, weight in placed:
            counts = cluster.places[tier]
            counts[name] = counts.get(name, 0) + weight
            if tier <= ROAD and key not in cluster.cores[tier]:
                self.listed.add_place(cluster, tier, key)
            cluster.cores[tier].add(key)
        if case.category and case.category not in cluster.categories:
            cluster.categories[case.category] = 1
            self.listed.add_kinds(cluster)
        elif case.category:
            cluster.categories[case.category] += 1
        elif cluster.categories and len(cluster.cores[ESTATE]) + len(cluster.cores[ROAD]) > places:
            self.listed.add_kinds(cluster)
        if len(cluster.members) == 1:  # new: closed once the window has passed since its latest case
            heapq.heappush(self.expiry, (case.at, cluster.id))
        cluster.last = max(cluster.last, case.at)
        if not keys <= cluster.terms:
            self.listed.add_terms(cluster, keys - cluster.terms)

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

    def _close(self, cluster: Cluster, *, ending: bool = False) -> None:
        del self.live[cluster.id]
        if not ending:  # at the end no case follows: nothing need be found again
            for pk in cluster.members:
                self.member_of.pop(pk, None)
            self.listed.remove(cluster)
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
            self._close(cluster, ending=True)
        self.listed, self.member_of = Listings(), {}
        merged = merge_at_places([cluster for _, _, cluster in self.best] + list(self.alone.values()))
        merged = [cluster for cluster in merged if len(cluster.people) >= MIN_PEOPLE]
        for cluster in merged:
            cluster.heat = heat(
                len(cluster.people), cluster.cases, cluster.support, self.period.recency(cluster.last)
            )
        ranked = sorted(merged, key=lambda c: (-c.heat, c.first, c.id))
        return ranked[: self.top]


def closeness(cluster: Cluster, text: str, idf: Idf) -> float:
    """How close a member's problem text is to its cluster's centre: the closest is its summary."""
    vec = vector(bigrams(text, places_in(text)), idf)
    return sum(w * cluster.centre.get(t, 0.0) for t, w in vec.items())
