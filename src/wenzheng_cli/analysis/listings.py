"""Where ``hotspots`` lists its live clusters, for a case to find the few it may join.

A case is compared only with clusters found through these lists, never with all of them: a year of a large
office keeps thousands live at once, and the words a case looks them up by are in hundreds. So a cluster is
listed by each of its words; at an estate it names, by (estate, word) and by (estate, building, word), its
buildings being part of its place (3号楼 is not 6号楼); naming no estate, by word among those; by each estate or
road it names; and by (estate or road, category), with the building too. A case naming an estate and a
building looks up only what is there (and what names no estate or building); what a case may join is decided
by ``Clusterer.add``, these lists only bound whom it asks.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Set
from typing import TypeVar

from wenzheng_cli.analysis.clusters import Cluster
from wenzheng_cli.analysis.text import ESTATE, ROAD

CANDIDATES = 30  # clusters compared with a case: those sharing the most of its telling bigrams

_K = TypeVar("_K")
Spot = tuple[
    str, str
]  # (estate, "*") for all clusters there, (estate, building), (estate, "") for no building
Place = tuple[int, str]  # (tier, core) of an estate or road


class Listings:
    def __init__(self) -> None:
        self.by_word: dict[str, set[int]] = {}
        self.at: dict[Spot, dict[str, set[int]]] = {}  # by spot, then word
        self.free: dict[str, set[int]] = {}  # by word, among those naming no estate
        self.by_place: dict[Place, set[int]] = {}
        self.by_kind: dict[tuple[int, str, str], set[int]] = {}  # (tier, place, category)
        self.kind_at: dict[tuple[int, str, str, str], set[int]] = {}  # … and building, or ""

    def candidates(
        self,
        keys: Set[str],
        estates: Set[str],
        buildings: Set[str],
        sure: Set[Place],
        category: str | None,
    ) -> tuple[set[int], set[int]]:
        """(pool, candidates) for a case: the clusters sharing any of its words ``keys`` where it may join
        (at its estates and buildings, or naming none), and those to compare it with — the ``CANDIDATES``
        sharing the most of its words, those of the pool at the places it names surely, and those there of its
        category."""
        alike: set[int] = set()
        if category and buildings:
            kind_at = self.kind_at.get
            for tier, key in sure:
                for b in (*buildings, ""):
                    listed = kind_at((tier, key, category, b))
                    if listed:
                        alike |= listed
        elif category:
            for tier, key in sure:
                listed = self.by_kind.get((tier, key, category))
                if listed:
                    alike |= listed
        if estates:
            spots = (
                [(e, b) for e in estates for b in (*buildings, "")]
                if buildings
                else [(e, "*") for e in estates]
            )
            tables = [table for spot in spots if (table := self.at.get(spot))]
            tables.append(self.free)
            postings: list[set[int]] = []
            for table in tables:
                postings += filter(None, map(table.get, keys))
        else:
            postings = list(filter(None, map(self.by_word.get, keys)))
        pool: set[int] = set().union(*postings)
        if len(pool) <= CANDIDATES:
            return pool, pool | alike
        shared: Counter[int] = Counter()
        for listed in postings:
            shared.update(listed)
        # The most shared, the oldest first among as many: not in the order the lists happen to hold them.
        ranked = sorted(shared.items(), key=lambda kv: (-kv[1], kv[0]))
        chosen = {gid for gid, _ in ranked[:CANDIDATES]} | alike
        for place in sure:
            listed = self.by_place.get(place)
            if listed:
                chosen |= pool & listed
        return pool, chosen

    def add_buildings(self, cluster: Cluster, added: Set[str]) -> None:
        """``cluster`` names ``added`` buildings now (and is no longer listed as naming none)."""
        estates = cluster.cores[ESTATE]
        if not cluster.buildings:
            _unlist_at(self.at, [(e, "") for e in estates], cluster.terms, cluster.id)
            _unlist(self.kind_at, _kinds(cluster, ("",)), cluster.id)
        cluster.buildings |= added
        _list_at(self.at, [(e, b) for e in estates for b in added], cluster.terms, cluster.id)
        _list(self.kind_at, _kinds(cluster, added), cluster.id)

    def add_place(self, cluster: Cluster, tier: int, key: str) -> None:
        """``cluster`` names the estate or road ``key`` now (before it is added to its cores)."""
        _list(self.by_place, [(tier, key)], cluster.id)
        if tier == ESTATE:
            if not cluster.cores[ESTATE]:
                _unlist(self.free, cluster.terms, cluster.id)
            _list_at(self.at, _spots(cluster, (key,)), cluster.terms, cluster.id)

    def add_kinds(self, cluster: Cluster) -> None:
        """List ``cluster`` under each (estate or road, category) it holds: a case there of the category
        finds it however it is worded."""
        kinds = [
            (tier, key, category)
            for tier in (ESTATE, ROAD)
            for key in cluster.cores[tier]
            for category in cluster.categories
        ]
        _list(self.by_kind, kinds, cluster.id)
        _list(self.kind_at, _kinds(cluster, cluster.buildings or ("",)), cluster.id)

    def add_terms(self, cluster: Cluster, terms: Set[str]) -> None:
        """``cluster`` is found by the words ``terms`` too (not yet among its ``terms``)."""
        _list(self.by_word, terms, cluster.id)
        estates = cluster.cores[ESTATE]
        if estates:
            _list_at(self.at, _spots(cluster, estates), terms, cluster.id)
        else:
            _list(self.free, terms, cluster.id)
        cluster.terms |= terms

    def remove(self, cluster: Cluster) -> None:
        """``cluster`` is closed: found no more."""
        gid, terms, estates = cluster.id, cluster.terms, cluster.cores[ESTATE]
        _unlist(self.by_word, terms, gid)
        if estates:
            _unlist_at(self.at, _spots(cluster, estates), terms, gid)
        else:
            _unlist(self.free, terms, gid)
        cluster.terms = set()
        _unlist(self.kind_at, _kinds(cluster, cluster.buildings or ("",)), gid)
        places = [(tier, key) for tier in (ESTATE, ROAD) for key in cluster.cores[tier]]
        _unlist(self.by_place, places, gid)
        _unlist(
            self.by_kind, [(*place, category) for place in places for category in cluster.categories], gid
        )


def _spots(cluster: Cluster, estates: Iterable[str]) -> list[Spot]:
    """The spots ``cluster`` is listed under in ``Listings.at`` for ``estates`` (of those it names)."""
    return [(e, b) for e in estates for b in ("*", *(cluster.buildings or ("",)))]


def _kinds(cluster: Cluster, spots: Iterable[str]) -> list[tuple[int, str, str, str]]:
    """The (tier, estate or road, category, building or "") ``cluster`` is listed under in ``kind_at``."""
    return [
        (tier, key, category, b)
        for tier in (ESTATE, ROAD)
        for key in cluster.cores[tier]
        for category in cluster.categories
        for b in spots
    ]


def _list_at(
    table: dict[Spot, dict[str, set[int]]], spots: Iterable[Spot], terms: Set[str], gid: int
) -> None:
    if terms:
        for spot in spots:
            _list(table.setdefault(spot, {}), terms, gid)


def _unlist_at(
    table: dict[Spot, dict[str, set[int]]], spots: Iterable[Spot], terms: Set[str], gid: int
) -> None:
    for spot in spots:
        listed = table.get(spot)
        if listed is not None:
            _unlist(listed, terms, gid)
            if not listed:
                del table[spot]


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
