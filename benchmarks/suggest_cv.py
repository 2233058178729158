"""5-fold cross-validation of category suggestion on the labelled contest messages, with the product's code.

    python benchmarks/suggest_cv.py [--folds 5] [--seed 0]

Each fold trains with ``analysis.train.fit`` (what ``wenzheng suggest`` runs when the model is stale), stores
the model in a fresh ledger with ``store.analysis.save_model``, and scores every held-out message with
``analysis.suggest.Model`` looking its n-grams up in that ledger, exactly as ``wenzheng suggest`` does.
Prints macro-F1, accuracy and top-3 accuracy per fold and overall (targets: macro-F1 ≥ 0.90, top-3 ≥ 0.98),
and how well the scores read as chances (mean top score against accuracy).
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import tempfile
import time
from collections import defaultdict
from functools import partial
from pathlib import Path

from wenzheng_cli.analysis.suggest import Model
from wenzheng_cli.analysis.train import fit
from wenzheng_cli.store import analysis as store
from wenzheng_cli.store.ledger import open_ledger

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "tipdm2020c_fujian2_labelled_train.csv"


def folds(labels: list[str], k: int, seed: int) -> list[list[int]]:
    """Stratified folds: each class's cases shuffled and dealt round-robin."""
    by_class: dict[str, list[int]] = defaultdict(list)
    for i, label in enumerate(labels):
        by_class[label].append(i)
    rng = random.Random(seed)
    out: list[list[int]] = [[] for _ in range(k)]
    turn = 0
    for label in sorted(by_class):
        members = by_class[label]
        rng.shuffle(members)
        for i in members:
            out[turn % k].append(i)
            turn += 1
    return out


def macro_f1(truth: list[str], predicted: list[str]) -> float:
    classes = sorted(set(truth))
    scores = []
    for c in classes:
        tp = sum(1 for t, p in zip(truth, predicted, strict=True) if t == c and p == c)
        fp = sum(1 for t, p in zip(truth, predicted, strict=True) if t != c and p == c)
        fn = sum(1 for t, p in zip(truth, predicted, strict=True) if t == c and p != c)
        scores.append(0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn))
    return sum(scores) / len(scores)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--data", type=Path, default=DATA)
    args = parser.parse_args()
    if not args.data.exists():
        sys.exit(f"{args.data} not found")
    with args.data.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    docs = [(r["留言主题"], r["留言详情"]) for r in rows]
    labels = [r["一级标签"] for r in rows]
    print(f"{len(rows)} messages, {len(set(labels))} classes, {args.folds}-fold (seed {args.seed})")
    all_truth: list[str] = []
    all_pred: list[str] = []
    top3_hits = 0
    top_scores: list[float] = []
    per_fold = []
    with tempfile.TemporaryDirectory() as tmp:
        for k, held in enumerate(folds(labels, args.folds, args.seed)):
            held_set = set(held)
            train = [i for i in range(len(rows)) if i not in held_set]
            started = time.perf_counter()
            trained = fit([docs[i] for i in train], [labels[i] for i in train])
            train_s = time.perf_counter() - started
            ledger = open_ledger(Path(tmp) / f"fold{k}.db", create=True)
            with ledger.write() as conn:
                meta = {
                    "classes": trained.classes,
                    "intercepts": trained.intercepts,
                    "scale": trained.scale,
                    "cases": trained.cases,
                    "max_pk": 0,
                    "trained_at": "",
                }
                store.save_model(conn, "category", meta, trained.rows)
            model = Model(
                trained.classes,
                trained.intercepts,
                trained.scale,
                partial(store.weights_for, ledger.conn, "category"),
            )
            started = time.perf_counter()
            truth, pred, hits = [], [], 0
            for i in held:
                ranked = model.suggest(*docs[i], 3)
                truth.append(labels[i])
                pred.append(ranked[0].value)
                hits += labels[i] in {s.value for s in ranked}
                top_scores.append(ranked[0].score)
            score_ms = (time.perf_counter() - started) * 1000 / len(held)
            ledger.close()
            f1 = macro_f1(truth, pred)
            acc = sum(t == p for t, p in zip(truth, pred, strict=True)) / len(held)
            per_fold.append(f1)
            print(
                f"fold {k + 1}: macro-F1 {f1:.4f}  accuracy {acc:.4f}  top-3 {hits / len(held):.4f}  "
                f"({len(train)} trained in {train_s:.1f} s, {len(trained.rows):,} n-grams, scale {trained.scale:g}; "
                f"{score_ms:.1f} ms per message scored)"
            )
            all_truth += truth
            all_pred += pred
            top3_hits += hits
    accuracy = sum(t == p for t, p in zip(all_truth, all_pred, strict=True)) / len(all_truth)
    print(
        f"overall: macro-F1 {macro_f1(all_truth, all_pred):.4f} (folds' mean {sum(per_fold) / len(per_fold):.4f})  "
        f"accuracy {accuracy:.4f}  top-3 {top3_hits / len(all_truth):.4f}  "
        f"mean top score {sum(top_scores) / len(top_scores):.3f}"
    )


if __name__ == "__main__":
    main()
