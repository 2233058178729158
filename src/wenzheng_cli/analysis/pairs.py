"""The words of many cases at once: ``problems.bigrams`` and ``problems.vector`` for a batch of texts, in numpy.

A year of a large office is a hundred thousand cases; counting each one's bigrams in Python is most of the time
``hotspots`` takes. Here the batch's texts are laid end to end as code points, every pair of neighbouring
characters that makes a word (two Chinese characters, neither a function character, and not a stop bigram) is
coded as one integer, and ``np.unique`` counts them per text. The weights are those ``vector`` gives, to the
last bit: the same idf values, ``1 + ln(count)`` taken from Python's ``math.log``, the heaviest
``VECTOR_TERMS`` chosen with ties broken by first occurrence as ``heapq.nlargest`` does, and the norm summed in
Python in the vector's own order. ``tests/test_hotspot_pairs.py`` holds the two to each other.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterable, Sequence
from itertools import pairwise
from typing import Any

import numpy as np

from wenzheng_cli.analysis.problems import FUNCTION_CHARS, STOP_BIGRAMS, VECTOR_TERMS, Idf, Words

_FIRST, _LAST = 0x4E00, 0x9FFF  # the pairs of ``problems._PAIR``: both characters in this range …
_SPAN = _LAST - _FIRST + 1
_SHIFT = 30  # a text's number above its pair's code (a code is below _SPAN², under 2³⁰)
_WORD = np.zeros(0x10001, dtype=bool)  # … and neither a function character
_WORD[_FIRST : _LAST + 1] = True
_WORD[[ord(c) for c in FUNCTION_CHARS if _FIRST <= ord(c) <= _LAST]] = False


def code(pair: str) -> int | None:
    """The integer a pair of characters is counted by (None when it is no word: ``problems.bigrams`` skips it)."""
    if len(pair) != 2 or not all(_FIRST <= ord(c) <= _LAST and c not in FUNCTION_CHARS for c in pair):
        return None
    return (ord(pair[0]) - _FIRST) * _SPAN + ord(pair[1]) - _FIRST


def pair(value: int) -> str:
    return chr(_FIRST + value // _SPAN) + chr(_FIRST + value % _SPAN)


def codes(pairs: Iterable[str]) -> Any:
    """The sorted codes of those of ``pairs`` that are words."""
    found = {c for c in map(code, pairs) if c is not None}
    return np.array(sorted(found), dtype=np.int64)


_STOP = codes(STOP_BIGRAMS)


class Weights:
    """An ``Idf`` as sorted codes and their weights, for looking up a batch's pairs at once."""

    def __init__(self, idf: Idf) -> None:
        self.idf = idf
        coded = sorted((c, w) for term, w in idf.table.items() if (c := code(term)) is not None)
        self.codes = np.array([c for c, _ in coded], dtype=np.int64)
        self.values = np.array([w for _, w in coded], dtype=np.float64)
        self.terms: dict[int, str] = {}  # pairs as strings, made once each

    def of(self, found: Any) -> Any:
        """The idf of each code of ``found`` (a bigram never seen counts as rare)."""
        if not len(self.codes):
            return np.full(len(found), self.idf.rare)
        at = np.minimum(np.searchsorted(self.codes, found), len(self.codes) - 1)
        return np.where(self.codes[at] == found, self.values[at], self.idf.rare)


def vectors(texts: Sequence[str], weights: Weights, heads: Any = None) -> Words:
    """The vectors (``vector(bigrams(text, ()), idf, common=True)``) of ``texts``, already blanked of their
    places and buildings. A text holding one of the pairs ``heads`` (sorted codes: the first two characters
    of a name the gazetteer may find bare) is skipped: it is read one at a time."""
    if not texts:
        return Words([], array("i"), array("d"), array("b"), [0], [])
    joined = "\0".join(texts)
    points = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    starts = np.concatenate(([0], np.cumsum(lengths + 1)[:-1]))
    word = _WORD[np.minimum(points, 0x10000)]
    at = np.flatnonzero(word[:-1] & word[1:])
    found = (points[at].astype(np.int64) - _FIRST) * _SPAN + (points[at + 1].astype(np.int64) - _FIRST)
    keep = ~np.isin(found, _STOP)
    at, found = at[keep], found[keep]
    text = np.searchsorted(starts, at, side="right") - 1
    keys, first, counts = np.unique((text << _SHIFT) | found, return_index=True, return_counts=True)
    text, found = keys >> _SHIFT, keys & ((1 << _SHIFT) - 1)
    idf = weights.of(found)
    tf = np.array([1.0, *(1 + math.log(c) for c in range(1, int(counts.max(initial=1)) + 1))])
    weight = idf * tf[counts]
    skipped = np.zeros(len(texts), dtype=bool)
    if heads is not None and len(heads):
        skipped[text[np.isin(found, heads)]] = True
    per_text = np.bincount(text, minlength=len(texts))
    big = (per_text > VECTOR_TERMS)[text]
    # Order within a text: by first occurrence, as ``Counter`` keeps the pairs; when more than VECTOR_TERMS, the
    # heaviest first, ties in that order (``heapq.nlargest`` is a stable sort).
    order = np.lexsort((first, np.where(big, -weight, 0.0), text))
    text_start = np.concatenate(([0], np.cumsum(per_text)[:-1]))
    rank = np.arange(len(order)) - text_start[text[order]]
    order = order[rank < VECTOR_TERMS]
    text, found, weight, telling = text[order], found[order], weight[order], idf[order] >= weights.idf.telling
    bounds = np.searchsorted(text, np.arange(len(texts) + 1)).tolist()
    squares = (weight * weight).tolist()
    norms = np.array([math.sqrt(sum(squares[a:b])) or 1.0 for a, b in pairwise(bounds)])
    distinct, where = np.unique(found, return_inverse=True)
    names = weights.terms
    vocabulary = [names.get(c) or names.setdefault(c, pair(c)) for c in distinct.tolist()]
    return Words(
        vocabulary,
        array("i", where.astype(np.int32).tobytes()),
        array("d", (weight / norms[text]).astype(np.float64).tobytes()),
        array("b", telling.astype(np.int8).tobytes()),
        bounds,
        skipped.tolist(),
    )
