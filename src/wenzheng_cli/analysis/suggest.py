"""Scoring a text against the model a ledger learned from its own cases: pure Python, no numpy, no sklearn.

The model (``analysis.train``) is TF-IDF over character n-grams and a linear SVM, one per target (category,
unit). What scoring needs is stored per n-gram: its idf and, per class, idf × the SVM coefficient. A text is
scored by looking up only its own n-grams, so ``wenzheng suggest`` costs little over start-up,
however large the model; an import scores many texts against the model read once.

For a text with n-gram counts c_f, the decision value of class k is what sklearn computes::

    d_k = Σ_f (1 + ln c_f) · idf_f · w_fk / ‖(1 + ln c_f) · idf_f‖ + b_k

and its score is ``softmax(scale · d)_k``, ``scale`` fitted on held-out cases at training time, so that a
score reads roughly as the chance the suggestion is right.
"""

from __future__ import annotations

import math
import struct
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from operator import mul
from typing import Any

from wenzheng_cli.analysis.text import cjk_runs, clean, ngrams

TARGETS = ("category", "unit")
TARGET_LABELS = {"category": "类别", "unit": "承办单位"}
TITLE_SIZES = (1, 2, 3)
TEXT_SIZES = (1, 2)
TITLE_REPEAT = 3  # a title says in a few words what the text says at length
TEXT_CHARS = 1500
MIN_CASES = 50  # labelled cases needed to learn a target
MIN_CLASS = 2  # cases a class needs to be learned at all
RETRAIN_SHARE = 0.10  # retrain once this share of the trained cases (and at least MIN_CASES) came in since

# feature → (idf, weights): the weights packed as stored, or already unpacked (a model read whole).
Lookup = Callable[[Sequence[str]], Mapping[str, tuple[float, bytes | tuple[float, ...]]]]


def features(title: str | None, description: str | None) -> list[str]:
    """The n-grams of a case, as training and scoring both see them (sklearn's ``analyzer``)."""
    doc = title, description
    return analyzer(doc)


def analyzer(doc: Any) -> list[str]:
    title, description = doc
    head = cjk_runs(clean(title))
    body = cjk_runs(clean(description)[:TEXT_CHARS])
    return ngrams(head, TITLE_SIZES) * TITLE_REPEAT + ngrams(body, TEXT_SIZES)


def retrain_due(trained: int, new: int) -> bool:
    return new >= max(MIN_CASES, math.ceil(RETRAIN_SHARE * trained))


@dataclass(frozen=True)
class Scored:
    value: str
    score: float


class Model:
    """One target's model: its classes, intercepts and scale, and a way to look up n-gram weights."""

    def __init__(self, classes: list[str], intercepts: list[float], scale: float, lookup: Lookup) -> None:
        self.classes = classes
        self.intercepts = intercepts
        self.scale = scale
        self.lookup = lookup
        self._unpack = struct.Struct(f"<{len(classes)}f").unpack

    def decision(self, title: str | None, description: str | None) -> list[float]:
        counts = Counter(features(title, description))
        found = self.lookup(list(counts))
        # The sums per class are taken column-wise (zip, fsum, map in C): a Python loop per n-gram and class
        # would cost more than everything else.
        once: list[tuple[float, ...]] = []  # the rows of n-grams seen once (tf = 1) …
        more: list[tuple[float, ...]] = []  # … and of the others, with their tf
        tfs: list[float] = []
        square = 0.0
        sums = [0.0] * len(self.classes)
        for feature, (idf, blob) in found.items():
            count = counts[feature]
            row = blob if isinstance(blob, tuple) else self._unpack(blob)
            if count == 1:
                once.append(row)
                square += idf * idf
            else:
                tf = 1.0 + math.log(count)
                square += (tf * idf) ** 2
                more.append(row)
                tfs.append(tf)
        if once:
            for k, column in enumerate(zip(*once, strict=True)):
                sums[k] += math.fsum(column)
        if more:
            for k, column in enumerate(zip(*more, strict=True)):
                sums[k] += math.fsum(map(mul, tfs, column))
        norm = math.sqrt(square) or 1.0
        return [s / norm + b for s, b in zip(sums, self.intercepts, strict=True)]

    def suggest(self, title: str | None, description: str | None, top: int) -> list[Scored]:
        values = self.decision(title, description)
        peak = max(values)
        exps = [math.exp(self.scale * (v - peak)) for v in values]
        total = sum(exps)
        ranked = sorted(zip(self.classes, exps, strict=True), key=lambda item: -item[1])
        return [Scored(value, round(e / total, 4)) for value, e in ranked[:top]]


def fill_categories(model: Model, rows: Sequence[dict[str, Any]]) -> int:
    """``import --suggest-category``: give each row without a category the suggested one, marked as such.
    Returns how many rows were filled."""
    filled = 0
    for fields in rows:
        if fields.get("category"):
            continue
        best = model.suggest(fields.get("title"), fields.get("description"), 1)
        if best:
            fields["category"] = best[0].value
            fields["category_suggested"] = True
            filled += 1
    return filled


def in_memory(weights: Mapping[str, tuple[float, bytes]], classes: int) -> Lookup:
    """A lookup over the whole model read at once, its weights unpacked once for all the texts to score."""
    unpack = struct.Struct(f"<{classes}f").unpack
    table = {feature: (idf, unpack(blob)) for feature, (idf, blob) in weights.items()}

    def lookup(features: Sequence[str]) -> Mapping[str, tuple[float, bytes | tuple[float, ...]]]:
        get = table.get
        return {f: found for f in features if (found := get(f)) is not None}

    return lookup
