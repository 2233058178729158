"""Learning a target (category, unit) from labelled cases: TF-IDF on character n-grams + a linear SVM.

scikit-learn is imported here only, when a model is trained; scoring (``analysis.suggest``) never needs it.
The n-grams are counted here (``collections.Counter`` per case, the very ``analyzer`` scoring uses) and handed
to sklearn as a sparse matrix: the same TF-IDF as ``TfidfVectorizer(sublinear_tf=True)``, in a third of its
time. The result is what the ledger stores: per n-gram its idf and idf × coefficient per class (float32), the
intercepts, and the softmax scale fitted on a held-out fifth of the cases.
"""

from __future__ import annotations

import math
import struct
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from wenzheng_cli.analysis.suggest import MIN_CLASS, analyzer

SCALES = tuple(round(0.25 * 1.25**i, 4) for i in range(24))  # 0.25 … ~42, for the softmax scale
HOLD_OUT = 0.2
MIN_TO_CALIBRATE = 100
MIN_DF_FROM = 200  # with this many cases or more, an n-gram seen in one case only is left out


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
    # scikit-learn takes far longer to load than a command takes to run: training and suggesting alone load it
    from sklearn.feature_extraction.text import TfidfTransformer

    keep = set(learnable(labels))
    pairs = [(d, y) for d, y in zip(docs, labels, strict=True) if y in keep]
    y = [label for _, label in pairs]
    features, counts = _counts([d for d, _ in pairs], min_df=2 if len(pairs) >= MIN_DF_FROM else 1)
    tfidf = TfidfTransformer(sublinear_tf=True)
    matrix = tfidf.fit_transform(counts)
    scale = _calibrate(matrix, y)
    svm = _svm(matrix, y)
    classes = [str(c) for c in svm.classes_]
    coef = svm.coef_
    intercepts = [float(b) for b in svm.intercept_]
    if len(classes) == 2:  # one decision for two classes: class 1 gets +d, class 0 gets -d
        coef = [-coef[0], coef[0]]
        intercepts = [-intercepts[0], intercepts[0]]
    pack = struct.Struct(f"<{len(classes)}f").pack
    idf = tfidf.idf_
    rows = []
    for index, feature in enumerate(features):
        weight = float(idf[index])
        rows.append((feature, weight, pack(*(weight * float(c[index]) for c in coef))))
    return Trained(classes, intercepts, scale, rows, len(y))


def _counts(docs: Sequence[tuple[str | None, str]], min_df: int) -> tuple[list[str], Any]:
    """(the features in column order, the documents' n-gram counts as a sparse matrix)."""
    # SciPy takes far longer to load than a command takes to run: training and suggesting alone load it
    from scipy.sparse import csr_matrix

    per_doc = [Counter(analyzer(doc)) for doc in docs]
    df: Counter[str] = Counter()
    for counts in per_doc:
        df.update(counts.keys())
    features = sorted(f for f, n in df.items() if n >= min_df)
    column = {f: i for i, f in enumerate(features)}
    indptr, indices, data = [0], [], []
    for counts in per_doc:
        for feature, n in counts.items():
            j = column.get(feature)
            if j is not None:
                indices.append(j)
                data.append(n)
        indptr.append(len(indices))
    matrix = csr_matrix((data, indices, indptr), shape=(len(per_doc), len(features)), dtype=float)
    matrix.sort_indices()
    return features, matrix


def _svm(matrix: Any, labels: Sequence[str]) -> Any:
    # scikit-learn takes far longer to load than a command takes to run: training and suggesting alone load it
    from sklearn.svm import LinearSVC

    svm = LinearSVC(C=1.0, class_weight="balanced")
    svm.fit(matrix, labels)
    return svm


def _calibrate(matrix: Any, labels: Sequence[str]) -> float:
    """The softmax scale that makes scores read as chances: fitted on a held-out fifth (least log-loss)."""
    if len(labels) < MIN_TO_CALIBRATE or len(set(labels)) < 2:
        return 1.0
    # scikit-learn takes far longer to load than a command takes to run: training and suggesting alone load it
    from sklearn.model_selection import train_test_split

    counts = Counter(labels)
    rows = list(range(len(labels)))
    stratify = list(labels) if min(counts.values()) >= 2 and len(counts) <= len(rows) * HOLD_OUT else None
    train_rows, test_rows = train_test_split(rows, test_size=HOLD_OUT, random_state=0, stratify=stratify)
    train_y = [labels[i] for i in train_rows]
    if len(set(train_y)) < 2:
        return 1.0
    svm = _svm(matrix[train_rows], train_y)
    values = svm.decision_function(matrix[test_rows])
    classes = list(svm.classes_)
    if len(classes) == 2:
        values = [[-v, v] for v in values]
    best, best_loss = 1.0, math.inf
    for scale in SCALES:
        loss = 0.0
        for row, i in zip(values, test_rows, strict=True):
            truth = labels[i]
            if truth not in classes:
                continue
            peak = max(row)
            total = sum(math.exp(scale * (v - peak)) for v in row)
            loss -= scale * (row[classes.index(truth)] - peak) - math.log(total)
        if loss < best_loss:
            best, best_loss = scale, loss
    return best
