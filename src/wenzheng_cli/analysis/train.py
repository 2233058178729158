"""Learning a target (category, unit) from labelled cases: TF-IDF on character n-grams + a linear SVM.

scikit-learn is imported here only, when a model is trained; scoring (``analysis.suggest``) never needs it.
The result is what the ledger stores: per n-gram its idf and idf × coefficient per class (float32), the
intercepts, and the softmax scale fitted on a held-out fifth of the cases.
"""

from __future__ import annotations

import math
import struct
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from wenzheng_cli.analysis.suggest import MIN_CLASS, analyzer

SCALES = tuple(round(0.25 * 1.25**i, 4) for i in range(24))  # 0.25 … ~42, for the softmax scale
HOLD_OUT = 0.2
MIN_TO_CALIBRATE = 100


@dataclass(frozen=True)
class Trained:
    classes: list[str]
    intercepts: list[float]
    scale: float
    rows: list[tuple[str, float, bytes]]  # (feature, idf, weights)
    cases: int


def learnable(labels: Sequence[str]) -> list[str]:
    """The classes with enough cases to be learned."""
    counts = Counter(labels)
    return sorted(label for label, n in counts.items() if n >= MIN_CLASS)


def fit(docs: Sequence[tuple[str | None, str]], labels: Sequence[str]) -> Trained:
    """Train on (title, description) documents; classes with fewer than ``MIN_CLASS`` cases are left out."""
    keep = set(learnable(labels))
    pairs = [(d, y) for d, y in zip(docs, labels, strict=True) if y in keep]
    docs_kept = [d for d, _ in pairs]
    labels_kept = [y for _, y in pairs]
    scale = _calibrate(docs_kept, labels_kept)
    vectorizer, svm = _fit(docs_kept, labels_kept)
    classes = [str(c) for c in svm.classes_]
    coef = svm.coef_
    intercepts = [float(b) for b in svm.intercept_]
    if len(classes) == 2:  # one decision for two classes: class 1 gets +d, class 0 gets -d
        coef = [-coef[0], coef[0]]
        intercepts = [-intercepts[0], intercepts[0]]
    pack = struct.Struct(f"<{len(classes)}f").pack
    idf = vectorizer.idf_
    rows = []
    for feature, index in vectorizer.vocabulary_.items():
        weight = float(idf[index])
        rows.append((feature, weight, pack(*(weight * float(c[index]) for c in coef))))
    rows.sort()
    return Trained(classes, intercepts, scale, rows, len(labels_kept))


def _fit(docs: Sequence[tuple[str | None, str]], labels: Sequence[str]):  # type: ignore[no-untyped-def]
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

    vectorizer = TfidfVectorizer(analyzer=analyzer, sublinear_tf=True, min_df=2 if len(docs) >= 200 else 1)
    matrix = vectorizer.fit_transform(docs)
    svm = LinearSVC(C=1.0, class_weight="balanced")
    svm.fit(matrix, labels)
    return vectorizer, svm


def _calibrate(docs: Sequence[tuple[str | None, str]], labels: Sequence[str]) -> float:
    """The softmax scale that makes scores read as chances: fitted on a held-out fifth (least log-loss)."""
    if len(docs) < MIN_TO_CALIBRATE or len(set(labels)) < 2:
        return 1.0
    from sklearn.model_selection import train_test_split

    counts = Counter(labels)
    stratify = labels if min(counts.values()) >= 2 and len(counts) * 2 <= len(docs) * HOLD_OUT else None
    train_docs, test_docs, train_y, test_y = train_test_split(
        list(docs), list(labels), test_size=HOLD_OUT, random_state=0, stratify=stratify
    )
    if len(set(train_y)) < 2:
        return 1.0
    vectorizer, svm = _fit(train_docs, train_y)
    values = svm.decision_function(vectorizer.transform(test_docs))
    classes = list(svm.classes_)
    if len(classes) == 2:
        values = [[-v, v] for v in values]
    best, best_loss = 1.0, math.inf
    for scale in SCALES:
        loss = 0.0
        for row, truth in zip(values, test_y, strict=True):
            if truth not in classes:
                continue
            peak = max(row)
            total = sum(math.exp(scale * (v - peak)) for v in row)
            loss -= scale * (row[classes.index(truth)] - peak) - math.log(total)
        if loss < best_loss:
            best, best_loss = scale, loss
    return best
