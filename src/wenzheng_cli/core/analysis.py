"""``suggest`` (category and unit learned from the ledger), and when models train; ``hotspots`` (共性问题) is
in ``core.hotspots`` (named here too, for the callers that import it from here).

When the suggestion model is (re)trained — never by a counter command:
- ``wenzheng suggest``, when a target has no model yet or it is stale;
- ``wenzheng import``: before the rows with ``--suggest-category`` (when missing or stale), and after any import
  that brought enough new labelled cases to make the model stale;
- ``wenzheng suggest --retrain``, on demand.
A model is stale once the labelled cases added since it was trained reach 10% of those it learned from (at
least 50). ``intake`` on a terminal offers the stored model's suggestions as they are, never training.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from wenzheng_cli.analysis.suggest import (
    MIN_CASES,
    TARGET_LABELS,
    TARGETS,
    Model,
    Scored,
    in_memory,
    retrain_due,
)
from wenzheng_cli.analysis.text import clean
from wenzheng_cli.analysis.train import fit, learnable
from wenzheng_cli.core import caches
from wenzheng_cli.core.hotspots import Hotspot as Hotspot
from wenzheng_cli.core.hotspots import HotspotsResult as HotspotsResult
from wenzheng_cli.core.hotspots import hotspots as hotspots
from wenzheng_cli.core.session import Session
from wenzheng_cli.domain import clock
from wenzheng_cli.errors import Prose, WenzhengError, command, option, phrase
from wenzheng_cli.store import analysis as store

MAX_TRAIN = 20000  # the newest labelled cases a model learns from


# --- suggest -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SuggestResult:
    category: list[Scored]
    unit: list[Scored]

    def to_dict(self) -> dict[str, Any]:
        return {
            "category": [{"value": x.value, "score": x.score} for x in self.category],
            "unit": [{"value": x.value, "score": x.score} for x in self.unit],
        }


def suggest(session: Session, text: str, top: int | None, *, retrain: bool = False) -> SuggestResult:
    count = 3 if top is None else top
    if count < 1:
        raise WenzhengError(
            phrase(option("top", str(count)), " 不是正数"), hint=phrase("例如 ", option("top", "3"))
        )
    body = clean(text)
    if not body:
        raise WenzhengError(
            "要分类的诉求内容为空",
            hint=phrase("写上诉求内容，如 ", command("suggest", Prose("小区门口路灯不亮"))),
        )
    return SuggestResult(
        _scored(session, "category", body, count, retrain=retrain, required=True),
        _scored(session, "unit", body, count, retrain=retrain, required=False),
    )


def _scored(
    session: Session, target: str, body: str, count: int, *, retrain: bool, required: bool
) -> list[Scored]:
    """The target's suggestions; a model found damaged while scoring is forgotten and learned again."""
    model = ready_model(session, target, retrain=retrain, required=required)
    try:
        return model.suggest(None, body, count) if model is not None else []
    except store.DamagedModel:
        caches.forget_model(session, target)
        model = ready_model(session, target, required=required)
        return model.suggest(None, body, count) if model is not None else []


def ready_model(
    session: Session, target: str, *, retrain: bool = False, required: bool = True
) -> Model | None:
    """The target's model, trained first when there is none, it is stale, or ``retrain``. Without enough
    labelled cases: an error when ``required``, else None."""
    conn = session.ledger.conn
    meta = caches.model_meta(conn, target)
    if meta is False:  # a damaged model is no model: learned again like a missing one
        caches.forget_model(session, target)
        meta = None
    stale = meta is None or retrain_due(meta["cases"], store.count_labelled(conn, target, meta["max_pk"]))
    if (retrain or stale) and train(session, target, required=required and meta is None, forced=retrain):
        meta = store.model_meta(conn, target)
    return _model(conn, target, meta)


def stored_model(session: Session, target: str = "category") -> Model | None:
    """The model as stored, never trained here (for ``intake`` at the counter): one that is damaged, read
    whole to make sure, is left to the next ``suggest`` to learn again, and said so."""
    conn = session.ledger.conn
    meta = caches.model_meta(conn, target, whole=True)
    if meta is False:
        caches.name_damaged_model(session, target)
    return _model(conn, target, meta or None)


def _model(conn: Any, target: str, meta: dict[str, Any] | None) -> Model | None:
    if meta is None:
        return None
    lookup = partial(store.weights_for, conn, target, classes=len(meta["classes"]))
    return Model(meta["classes"], meta["intercepts"], meta["scale"], lookup)


def train(session: Session, target: str, *, required: bool, forced: bool = False) -> bool:
    """Learn ``target`` from the ledger's labelled cases. False (or an error when ``required`` or ``forced``)
    when there are too few of them."""
    conn = session.ledger.conn
    rows = store.labelled_cases(conn, target, MAX_TRAIN)
    labels = [label for *_, label in rows]
    classes = learnable(labels)
    if not _enough(labels, classes):
        if required or forced:
            label = TARGET_LABELS[target]
            raise WenzhengError(
                f"台账中有{label}的案件只有 {len(rows)} 件（{len(classes)} 个{label}），"
                f"至少需要 {MIN_CASES} 件、2 个{label}以上才能学习{label}建议",
                hint=phrase(
                    f"先受理或导入带{label}的案件（如 ",
                    command("import"),
                    f" 带“{label}”列的文件），再运行 ",
                    command("suggest"),
                ),
            )
        return False
    started = time.monotonic()
    trained = fit([(title, description) for _, title, description, _ in rows], labels)
    meta = {
        "classes": trained.classes,
        "intercepts": trained.intercepts,
        "scale": trained.scale,
        "cases": trained.cases,
        "max_pk": max(pk for pk, *_ in rows),
        "trained_at": clock.iso(session.now),
    }
    with session.ledger.write() as write:
        store.save_model(write, target, meta, trained.rows)
    session.warnings.append(
        f"已根据台账中 {trained.cases} 件有{TARGET_LABELS[target]}的案件学习{TARGET_LABELS[target]}建议"
        f"（{len(trained.classes)} 个{TARGET_LABELS[target]}，用时 {time.monotonic() - started:.1f} 秒）"
    )
    return True


def import_suggester(session: Session) -> Model:
    """The category model for ``import --suggest-category``, read whole into memory (many texts to score)."""
    model = ready_model(session, "category")
    assert model is not None  # required: too few labelled cases raised
    try:
        weights = store.all_weights(session.ledger.conn, "category", classes=len(model.classes))
    except store.DamagedModel:  # forgotten, and learned again
        caches.forget_model(session, "category")
        return import_suggester(session)
    return Model(model.classes, model.intercepts, model.scale, in_memory(weights, len(model.classes)))


def note_stale_after_import(session: Session) -> None:
    """After an import: say which suggestions the new labelled cases made stale (or can now be learned). They
    are learned by the next ``suggest``, not here: learning loads scikit-learn (a large library) and takes seconds,
    which an import of a Tuesday's notes, or of a million rows on an office PC, should not pay for."""
    conn = session.ledger.conn
    for target in TARGETS:
        meta = caches.model_meta(conn, target) or None
        new = store.count_labelled(conn, target, meta["max_pk"] if meta else 0)
        if retrain_due(meta["cases"] if meta else 0, new) and _learnable(conn, target):
            label = TARGET_LABELS[target]
            verb = "按新导入的案件重新学习" if meta else "学习"
            session.warnings.append(
                phrase(f"{label}建议将在下次运行 ", command("suggest"), f" 时{verb}（约需几秒）")
            )


def _learnable(conn: Any, target: str) -> bool:
    """Whether ``train`` would learn from the labelled cases: enough of them, in two classes at least."""
    labels = store.labels(conn, target, MAX_TRAIN)
    return _enough(labels, learnable(labels))


def _enough(labels: Sequence[str], classes: Sequence[str]) -> bool:
    """The one rule for when a target can be learned: ``MIN_CASES`` labelled cases, two classes at least."""
    return len(labels) >= MIN_CASES and len(classes) >= 2
