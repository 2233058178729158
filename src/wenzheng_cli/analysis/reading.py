"""What ``hotspots`` reads in a case: its places, buildings and words, one case at a time or a batch at once.

A batch (``Reader.read_many``) finds each case's places in Python and counts the words of all its texts in
numpy (``pairs``); a text naming bare one of the gazetteer's names is read one at a time (``Reader.read``), as
are texts when the batch is one. Both give the same ``Reading``, to the last bit of every weight. A text sent
again word for word is read once: a mass complaint costs one reading.
"""

from __future__ import annotations

from collections.abc import Sequence, Set
from operator import add
from typing import Any, NamedTuple, TypeVar

from wenzheng_cli.analysis.clusters import Gazetteer, place_core
from wenzheng_cli.analysis.problems import (
    HotspotCase,
    Idf,
    Words,
    bigrams,
    blanked,
    case_places,
    problem_text,
    vector,
)
from wenzheng_cli.analysis.text import ROAD, TIER_NAMES, buildings_in, core

READINGS_KEPT = 256  # texts whose reading is remembered (a mass complaint is read once)
NAMES_KEPT = 65536  # place names (their everyday-ness, their one object) and sets of places remembered


class Reading(NamedTuple):
    """What ``Reader.read`` finds in a case."""

    found: list[tuple[int, str]]  # its places (tier, name)
    cores: list[set[str]]  # by tier, what its places are compared by
    buildings: frozenset[str]
    terms: list[str]  # its words …
    weights: list[float]  # … weighed: its unit vector (``problems.vector``), in that order
    keys: Set[str]  # the words it finds clusters by
    content: set[str]  # its telling words: what it may share with a cluster at its place
    sure: set[tuple[int, str]]  # (tier, key) of the estates and roads it names surely
    placed: tuple[tuple[int, str, str, int], ...]  # (tier, name, key, weight) of each place once, as named:
    # a name in the title weighs 2 (the title names the place best)


class Named(NamedTuple):
    """A case's places, as the clusterer weighs them (its text apart: the clusterer needs none)."""

    title: str | None
    found: list[tuple[int, str]]
    in_text: int  # how many of ``found`` the text names (they come first)
    buildings: frozenset[str]


_Places = tuple[list[set[str]], set[tuple[int, str]], tuple[tuple[int, str, str, int], ...]]


class Staged(NamedTuple):
    """What ``Reader.stage`` found: each case's text as a number, and the texts new to it."""

    numbers: list[int]
    new: list[int]
    texts: list[tuple[str, Named]]


class Prepared(NamedTuple):
    """What ``Reader.prepare`` sends ``Reader.finish``: plain values and arrays, cheap to send."""

    keys: list[int]  # each case's text, as a number (the same for a text sent again word for word)
    new: list[int]  # those of the texts read now, in order …
    texts: list[Named]
    words: Words  # … their words
    alone: dict[int, Reading]  # … and those read whole (a name found bare), by their place in ``new``


class Reader:
    def __init__(self, idf: Idf, places: Gazetteer) -> None:
        self.idf = idf
        self.places = places
        self.readings: dict[int, Reading] = {}  # the latest texts read, by number …
        self.known: dict[tuple[str | None, ...], int] = {}  # … and their numbers where they are prepared
        self.numbered = 0
        self.everyday: dict[str, bool] = {}  # place names found in texts: made of everyday words?
        self.place_readings: dict[tuple[Any, ...], _Places] = {}
        self.names: dict[str, str] = {}  # place names and categories, one object each (sent once)
        self._weights: Any = None  # ``pairs.Weights`` and the gazetteer's heads, made for the first batch
        self._heads: Any = None

    def read(self, case: HotspotCase) -> Reading:
        """What the case says: its places, buildings and words."""
        key = _key(case)
        known = self.readings.get(self.known.get(key, -1))
        if known is not None:
            return known
        reading = self._read_alone(*self._text(case))
        _keep(self.known, {key: self.numbered})
        _keep(self.readings, {self.numbered: reading})
        self.numbered += 1
        return reading

    def read_many(self, cases: Sequence[HotspotCase]) -> list[Reading]:
        """``read`` of each of ``cases``, their words counted together."""
        if len(cases) < 2:
            return [self.read(case) for case in cases]
        return self.finish(self.prepare(cases))

    def prepare(self, cases: Sequence[HotspotCase]) -> Prepared:
        """The first half of ``read_many``, which may run in another process: ``weigh(stage(cases))``."""
        return self.weigh(self.stage(cases))

    def stage(self, cases: Sequence[HotspotCase]) -> Staged:
        """The cases' texts numbered and their places found (no weights needed yet). A text read before
        among the latest ``READINGS_KEPT`` is not read again."""
        keys = [_key(case) for case in cases]
        batch: dict[tuple[str | None, ...], tuple[str, Named]] = {}
        for key, case in zip(keys, cases, strict=True):
            if key not in self.known and key not in batch:
                batch[key] = self._text(case)
        new = dict(zip(batch, range(self.numbered, self.numbered + len(batch)), strict=True))
        self.numbered += len(batch)
        numbers = [new[key] if key in new else self.known[key] for key in keys]
        _keep(self.known, new)
        return Staged(numbers, list(new.values()), list(batch.values()))

    def weigh(self, staged: Staged) -> Prepared:
        """The staged texts' words counted together (``pairs.vectors``); a text naming bare a name the
        gazetteer knows is read whole."""
        from wenzheng_cli.analysis import pairs

        if self._weights is None:
            self._weights = pairs.Weights(self.idf)
            self._heads = pairs.codes(self.places.by_head)
        texts = staged.texts
        words = pairs.vectors(
            [blanked(text, named.found) for text, named in texts], self._weights, self._heads
        )
        alone = {i: self._read_alone(*texts[i]) for i, skip in enumerate(words.skipped) if skip}
        return Prepared(staged.numbers, staged.new, [named for _, named in texts], words, alone)

    def learn(self, idf: Idf, places: Gazetteer) -> None:
        """Weigh by ``idf`` and find bare the names of ``places`` from now on (cases may be staged before)."""
        self.idf, self.places, self._weights = idf, places, None
        self.everyday.clear()
        self.place_readings.clear()

    def finish(self, prepared: Prepared) -> list[Reading]:
        """The second half of ``read_many``: each case's ``Reading``, in order."""
        made: dict[int, Reading] = {}
        words = prepared.words.vectors()
        for i, (number, text, found) in enumerate(zip(prepared.new, prepared.texts, words, strict=True)):
            made[number] = prepared.alone[i] if found is None else self._reading(text, *found)
        out = [made.get(number) or self.readings[number] for number in prepared.keys]
        _keep(self.readings, made)
        return out

    def _read_alone(self, text: str, named: Named) -> Reading:
        counts = bigrams(text, named.found)
        found = list(named.found)
        count = len(found)
        self.places.find(text, counts.keys(), found)
        for _, name in found[count:]:  # a name found bare: its own bigrams are no words of the problem
            for pair in map(add, name, name[1:]):
                counts.pop(pair, None)
        vec = vector(counts, self.idf, common=True)
        floor, get, rare = self.idf.telling, self.idf.table.get, self.idf.rare
        words = {t for t in vec if get(t, rare) >= floor}
        return self._reading(named._replace(found=found), list(vec), list(vec.values()), words, count)

    def _reading(
        self,
        text: Named,
        terms: list[str],
        weights: list[float],
        words: set[str],
        named: int | None = None,
    ) -> Reading:
        found = text.found
        named = len(found) if named is None else named
        cores, sure, placed = self._places(tuple(found), text.in_text, named)
        title = text.title
        if title and any(name in title for _, name, _, _ in placed):
            placed = tuple((tier, name, key, 2 if name in title else 1) for tier, name, key, _ in placed)
        keys = words or frozenset(terms)  # none telling: all of them
        return Reading(found, cores, text.buildings, terms, weights, keys, words, sure, placed)

    def _places(self, found: tuple[tuple[int, str], ...], in_text: int, named: int) -> _Places:
        """(cores by tier, the estates and roads named surely, each place once with its key) of a case's
        places, worked out once for the cases naming the same (many share their estate, community and grid).
        Never changed by their users."""
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
        placed = tuple((tier, name, place_core(name), 1) for tier, name in dict.fromkeys(found))
        _room(self.place_readings)
        known = self.place_readings[key] = cores, sure, placed
        return known

    def _text(self, case: HotspotCase) -> tuple[str, Named]:
        """A case's text (the title and the start of its description) and its places, their names held once
        for all the cases naming them."""
        text = problem_text(case.title, case.description)
        found, in_text = case_places(case, text)
        held = _room(self.names)
        found = [(tier, held.setdefault(name, name)) for tier, name in found]
        return text, Named(case.title, found, in_text, buildings_in(text))

    def hold(self, name: str | None) -> str | None:
        """``name``, the one object for all its copies (among the latest ``NAMES_KEPT`` names)."""
        return name if name is None else self.names.setdefault(name, name)

    def _everyday(self, name: str) -> bool:
        """Whether a place name found in a text is made of everyday words (``Idf.everyday``), worked out once."""
        known = self.everyday.get(name)
        if known is None:
            known = _room(self.everyday)[name] = self.idf.everyday(core(name))
        return known


_T = TypeVar("_T", bound=dict[Any, Any])


def _room(table: _T) -> _T:
    """``table``, emptied when it holds ``NAMES_KEPT``: what it remembers is worked out again when needed."""
    if len(table) >= NAMES_KEPT:
        table.clear()
    return table


def _keep(latest: dict[Any, Any], new: dict[Any, Any]) -> None:
    """Remember ``new`` among the latest ``READINGS_KEPT`` (forgetting all at once when full: a text sent again
    is sent again soon). ``prepare`` and ``finish`` keep their own in step, in one process or two."""
    if len(latest) + len(new) > READINGS_KEPT:
        latest.clear()
    latest.update(list(new.items())[-READINGS_KEPT:])


def _key(case: HotspotCase) -> tuple[str | None, ...]:
    return (case.title, case.description, case.address, case.community, case.grid)
