"""What ``hotspots`` reads in a case: its places, buildings and words, one case at a time or a batch at once.

A batch (``Reader.read_many``) finds each case's places in Python and counts the words of all its texts in
numpy (``pairs``); a text naming bare one of the gazetteer's names is read one at a time (``Reader.read``), as
are texts when the batch is one. Both give the same ``Reading``, to the last bit of every weight. A text sent
again word for word is read once: a mass complaint costs one reading.
"""

from __future__ import annotations

from collections.abc import Sequence, Set
from operator import add
from typing import Any, NamedTuple

from wenzheng_cli.analysis.clusters import Gazetteer, place_core
from wenzheng_cli.analysis.problems import (
    HotspotCase,
    Idf,
    bigrams,
    blanked,
    case_places,
    problem_text,
    vector,
)
from wenzheng_cli.analysis.text import ROAD, TIER_NAMES, buildings_in, core

READINGS_KEPT = 256  # texts whose reading is remembered (a mass complaint is read once)
EVERYDAY_KEPT = 65536  # place names found in texts whose everyday-ness is remembered


class Reading(NamedTuple):
    """What ``Reader.read`` finds in a case."""

    found: list[tuple[int, str]]  # its places (tier, name)
    cores: list[set[str]]  # by tier, what its places are compared by
    buildings: frozenset[str]
    vec: dict[str, float]  # its words, weighed
    keys: Set[str]  # the words it finds clusters by
    content: set[str]  # its telling words: what it may share with a cluster at its place
    sure: set[tuple[int, str]]  # (tier, key) of the estates and roads it names surely


class _Text(NamedTuple):
    """A case's text and places, before its words are weighed."""

    text: str
    found: list[tuple[int, str]]
    in_text: int  # how many of ``found`` the text names (they come first)
    buildings: frozenset[str]


class Reader:
    def __init__(self, idf: Idf, places: Gazetteer) -> None:
        self.idf = idf
        self.places = places
        self.readings: dict[tuple[str | None, ...], Reading] = {}
        self.everyday: dict[str, bool] = {}  # place names found in texts: made of everyday words?
        self._weights: Any = None  # ``pairs.Weights`` and the gazetteer's heads, made for the first batch
        self._heads: Any = None

    def read(self, case: HotspotCase) -> Reading:
        """What the case says: its places, buildings and words."""
        key = _key(case)
        known = self.readings.get(key)
        if known is not None:
            return known
        return self._remember(key, self._read_alone(_text(case)))

    def read_many(self, cases: Sequence[HotspotCase]) -> list[Reading]:
        """``read`` of each of ``cases``, their words counted together."""
        if len(cases) < 2:
            return [self.read(case) for case in cases]
        from wenzheng_cli.analysis import pairs

        if self._weights is None:
            self._weights = pairs.Weights(self.idf)
            self._heads = pairs.codes(self.places.by_head)
        keys = [_key(case) for case in cases]
        batch: dict[tuple[str | None, ...], _Text] = {}
        for key, case in zip(keys, cases, strict=True):
            if key not in self.readings and key not in batch:
                batch[key] = _text(case)
        texts = list(batch.values())
        found = pairs.vectors([blanked(t.text, t.found) for t in texts], self._weights, self._heads)
        made: dict[tuple[str | None, ...], Reading] = {}
        for key, text, vec in zip(batch, texts, found, strict=True):
            if vec is None:
                made[key] = self._read_alone(text)
                continue
            words = {t for t, telling in zip(vec.terms, vec.telling, strict=True) if telling}
            weights = dict(zip(vec.terms, vec.weights, strict=True))
            made[key] = self._reading(text, weights, words)
        out = [made.get(key) or self.readings[key] for key in keys]
        if len(self.readings) + len(made) > READINGS_KEPT:
            self.readings.clear()
        self.readings.update(list(made.items())[-READINGS_KEPT:])
        return out

    def _read_alone(self, text: _Text) -> Reading:
        counts = bigrams(text.text, text.found)
        found = list(text.found)
        named = len(found)
        self.places.find(text.text, counts.keys(), found)
        for _, name in found[named:]:  # a name found bare: its own bigrams are no words of the problem
            for pair in map(add, name, name[1:]):
                counts.pop(pair, None)
        vec = vector(counts, self.idf, common=True)
        floor, get, rare = self.idf.telling, self.idf.table.get, self.idf.rare
        words = {t for t in vec if get(t, rare) >= floor}
        return self._reading(text._replace(found=found), vec, words, named)

    def _reading(
        self, text: _Text, vec: dict[str, float], words: set[str], named: int | None = None
    ) -> Reading:
        found, in_text = text.found, text.in_text
        named = len(found) if named is None else named
        cores: list[set[str]] = [set() for _ in TIER_NAMES]
        for tier, name in found:
            cores[tier].add(place_core(name))
        sure = {  # its estates and roads named surely: in the fields, or by a name of no everyday words
            (tier, place_core(name))
            for i, (tier, name) in enumerate(found)
            if tier <= ROAD and (in_text <= i < named or not self._everyday(name))
        }
        return Reading(found, cores, text.buildings, vec, words or vec.keys(), words, sure)

    def _remember(self, key: tuple[str | None, ...], reading: Reading) -> Reading:
        if len(self.readings) >= READINGS_KEPT:
            self.readings.clear()
        self.readings[key] = reading
        return reading

    def _everyday(self, name: str) -> bool:
        """Whether a place name found in a text is made of everyday words (``Idf.everyday``), worked out once."""
        known = self.everyday.get(name)
        if known is None:
            if len(self.everyday) >= EVERYDAY_KEPT:
                self.everyday.clear()
            known = self.everyday[name] = self.idf.everyday(core(name))
        return known


def _key(case: HotspotCase) -> tuple[str | None, ...]:
    return (case.title, case.description, case.address, case.community, case.grid)


def _text(case: HotspotCase) -> _Text:
    text = problem_text(case.title, case.description)
    found, in_text = case_places(case, text)
    return _Text(text, found, in_text, buildings_in(text))
