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


class Prepared(NamedTuple):
    """What ``Reader.prepare`` sends ``Reader.finish``: plain values and arrays, cheap to send."""

    keys: list[tuple[str | None, ...]]  # each case's
    new: list[tuple[str | None, ...]]  # those of the texts read now, in order …
    texts: list[_Text]
    words: Any  # … their words (``pairs.Words``)
    alone: dict[int, Reading]  # … and those read whole (a name found bare), by their place in ``new``


class Reader:
    def __init__(self, idf: Idf, places: Gazetteer) -> None:
        self.idf = idf
        self.places = places
        self.readings: dict[tuple[str | None, ...], Reading] = {}  # the latest texts read …
        self.known: dict[tuple[str | None, ...], None] = {}  # … and their keys where they are prepared
        self.everyday: dict[str, bool] = {}  # place names found in texts: made of everyday words?
        self.place_readings: dict[tuple[Any, ...], tuple[list[set[str]], set[tuple[int, str]]]] = {}
        self._weights: Any = None  # ``pairs.Weights`` and the gazetteer's heads, made for the first batch
        self._heads: Any = None

    def read(self, case: HotspotCase) -> Reading:
        """What the case says: its places, buildings and words."""
        key = _key(case)
        known = self.readings.get(key)
        if known is not None:
            return known
        reading = self._read_alone(_text(case))
        _keep(self.known, {key: None})
        _keep(self.readings, {key: reading})
        return reading

    def read_many(self, cases: Sequence[HotspotCase]) -> list[Reading]:
        """``read`` of each of ``cases``, their words counted together."""
        if len(cases) < 2:
            return [self.read(case) for case in cases]
        return self.finish(self.prepare(cases))

    def prepare(self, cases: Sequence[HotspotCase]) -> Prepared:
        """The first half of ``read_many``, which may run in another process: the cases' places, and their
        words counted together (``pairs.vectors``); a text naming bare a name the gazetteer knows is read whole.
        A text read before among the latest ``READINGS_KEPT`` is not read again."""
        from wenzheng_cli.analysis import pairs

        if self._weights is None:
            self._weights = pairs.Weights(self.idf)
            self._heads = pairs.codes(self.places.by_head)
        keys = [_key(case) for case in cases]
        batch: dict[tuple[str | None, ...], _Text] = {}
        for key, case in zip(keys, cases, strict=True):
            if key not in self.known and key not in batch:
                batch[key] = _text(case)
        texts = list(batch.values())
        words = pairs.vectors([blanked(t.text, t.found) for t in texts], self._weights, self._heads)
        alone = {i: self._read_alone(texts[i]) for i, skip in enumerate(words.skipped) if skip}
        _keep(self.known, dict.fromkeys(batch))
        return Prepared(keys, list(batch), texts, words, alone)

    def finish(self, prepared: Prepared) -> list[Reading]:
        """The second half of ``read_many``: each case's ``Reading``, in order."""
        made: dict[tuple[str | None, ...], Reading] = {}
        words = prepared.words.vectors()
        for i, (key, text, found) in enumerate(zip(prepared.new, prepared.texts, words, strict=True)):
            made[key] = prepared.alone[i] if found is None else self._reading(text, *found)
        out = [made.get(key) or self.readings[key] for key in prepared.keys]
        _keep(self.readings, made)
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
        found = text.found
        named = len(found) if named is None else named
        cores, sure = self._places(tuple(found), text.in_text, named)
        return Reading(found, cores, text.buildings, vec, words or vec.keys(), words, sure)

    def _places(
        self, found: tuple[tuple[int, str], ...], in_text: int, named: int
    ) -> tuple[list[set[str]], set[tuple[int, str]]]:
        """(cores by tier, the estates and roads named surely) of a case's places, worked out once for the
        cases naming the same (many share their estate, community and grid). Never changed by their users."""
        key = (found, in_text, named)
        known = self.place_readings.get(key)
        if known is not None:
            return known
        cores: list[set[str]] = [set() for _ in TIER_NAMES]
        for tier, name in found:
            cores[tier].add(place_core(name))
        sure = {  # its estates and roads named surely: in the fields, or by a name of no everyday words
            (tier, place_core(name))
            for i, (tier, name) in enumerate(found)
            if tier <= ROAD and (in_text <= i < named or not self._everyday(name))
        }
        if len(self.place_readings) >= EVERYDAY_KEPT:
            self.place_readings.clear()
        self.place_readings[key] = cores, sure
        return cores, sure

    def _everyday(self, name: str) -> bool:
        """Whether a place name found in a text is made of everyday words (``Idf.everyday``), worked out once."""
        known = self.everyday.get(name)
        if known is None:
            if len(self.everyday) >= EVERYDAY_KEPT:
                self.everyday.clear()
            known = self.everyday[name] = self.idf.everyday(core(name))
        return known


def _keep(latest: dict[Any, Any], new: dict[Any, Any]) -> None:
    """Remember ``new`` among the latest ``READINGS_KEPT`` (forgetting all at once when full: a text sent again
    is sent again soon). ``prepare`` and ``finish`` keep their own in step, in one process or two."""
    if len(latest) + len(new) > READINGS_KEPT:
        latest.clear()
    latest.update(list(new.items())[-READINGS_KEPT:])


def _key(case: HotspotCase) -> tuple[str | None, ...]:
    return (case.title, case.description, case.address, case.community, case.grid)


def _text(case: HotspotCase) -> _Text:
    text = problem_text(case.title, case.description)
    found, in_text = case_places(case, text)
    return _Text(text, found, in_text, buildings_in(text))
