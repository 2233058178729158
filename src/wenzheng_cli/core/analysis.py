"""``hotspots`` (共性问题) and ``suggest`` (category and unit learned from the ledger), and when models train.

When the suggestion model is (re)trained — never by a counter command:
- ``wenzheng suggest``, when a target has no model yet or it is stale;
- ``wenzheng import``: before the rows with ``--suggest-category`` (when missing or stale), and after any import
  that brought enough new labelled cases to make the model stale;
- ``wenzheng suggest --retrain``, on demand.
A model is stale once the labelled cases added since it was trained reach 10% of those it learned from (at
least 50). ``intake`` on a terminal offers the stored model's suggestions as they are, never training.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any

from wenzheng_cli.analysis import hotspots as hs
from wenzheng_cli.analysis.hotspots import HotspotCase
from wenzheng_cli.analysis.suggest import (
    MIN_CASES,
    TARGET_LABELS,
    TARGETS,
    Model,
    Scored,
    in_memory,
    retrain_due,
)
from wenzheng_cli.analysis.text import clean, places_in
from wenzheng_cli.analysis.train import fit, learnable
from wenzheng_cli.core import caches, offices
from wenzheng_cli.core.session import Session
from wenzheng_cli.domain import clock
from wenzheng_cli.domain.dates import parse_day
from wenzheng_cli.domain.deadlines import parse_span
from wenzheng_cli.domain.fields import phone_digits
from wenzheng_cli.domain.text import shorten
from wenzheng_cli.errors import Prose, WenzhengError, command, option, phrase
from wenzheng_cli.store import analysis as store

DEFAULT_DAYS = 90  # the period when --since is not given: the last quarter
DEFAULT_WINDOW = "30d"
DEFAULT_TOP = 10
MAX_TRAIN = 20000  # the newest labelled cases a model learns from


# --- hotspots ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hotspot:
    rank: int
    heat: float
    place: str
    summary: str
    cases: int
    people: int
    start: str
    end: str
    numbers: list[str]
    support: int = 0
    members: list[tuple[str, str, str]] = field(default_factory=list)  # (number, date, text): the 明细表
    # The communities and the offices (by name) its cases belong to, most cases first: it may span several.
    communities: list[str] = field(default_factory=list)
    offices: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "rank": self.rank,
            "heat": self.heat,
            "place": self.place,
            "summary": self.summary,
            "cases": self.cases,
            "people": self.people,
            "start": self.start,
            "end": self.end,
            "numbers": self.numbers,
            "communities": self.communities,
            "offices": self.offices,
        }


@dataclass(frozen=True)
class HotspotsResult:
    start: str
    end: str
    window: str
    cases: int  # in the period
    hotspots: list[Hotspot] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "period": {"start": self.start, "end": self.end},
            "hotspots": [h.to_dict() for h in self.hotspots],
        }


def hotspots(
    session: Session, since: str | None, until: str | None, top: int | None, window: str | None
) -> HotspotsResult:
    count = DEFAULT_TOP if top is None else top
    if count < 1:
        raise WenzhengError(
            phrase(option("top", str(count)), " 不是正数"), hint=phrase("例如 ", option("top", "10"))
        )
    span = parse_span(window or DEFAULT_WINDOW)
    days = {"h": span.amount / 24, "d": span.amount, "w": 7 * span.amount, "wd": 7 * span.amount / 5}
    seconds = days[span.unit] * 86400
    last_day = parse_day(until, session.now) if until else session.now.date()
    first_day = parse_day(since, session.now) if since else last_day - timedelta(days=DEFAULT_DAYS - 1)
    if first_day > last_day:
        raise WenzhengError(
            phrase(option("since", str(first_day)), " 晚于 ", option("until", str(last_day))),
            hint=phrase("起始日期应早于截止日期，如 ", option("since", "2026-09-01")),
        )
    start = clock.iso(clock.start_of_day(first_day)) or ""
    end = clock.iso(clock.end_of_day(last_day)) or ""
    conn = session.ledger.conn
    total = store.count_in_period(conn, start, end)
    if total == 0:
        raise _empty_period(conn, first_day, last_day)
    period = hs.Period(_seconds(start), _seconds(end))
    # The bigrams' document frequencies, from about 5,000 of the period's cases (all of them when fewer).
    every = max(1, total // 5000)
    rows = store.period_sample(conn, start, end, every) if every > 1 else store.period_cases(conn, start, end)
    texts = (hs.problem_text(r[2], r[3]) for r in rows)
    df, n = hs.document_frequencies((text, places_in(text)) for text in texts)
    idf = hs.Idf(df, max(n, 1))
    clusterer = hs.Clusterer(idf, period, seconds, count)
    for row in store.period_cases(conn, start, end):
        clusterer.add(_hotspot_case(row))
    clusters = clusterer.finish()
    found = store.cases_by_pk(conn, [pk for c in clusters for pk in c.members])
    office_names = offices.names(session) if clusters else {}
    spots = []
    for rank, cluster in enumerate(clusters, start=1):
        members = sorted(cluster.members, key=lambda pk: (found[pk][1], pk))
        member_texts = ((pk, hs.problem_text(found[pk][2], found[pk][3])) for pk in members)
        chosen = hs.representative(cluster, member_texts, idf) or members[0]
        spots.append(
            Hotspot(
                rank=rank,
                heat=cluster.heat,
                place=cluster.place(),
                summary=_summary(found[chosen][2], found[chosen][3]),
                cases=cluster.cases,
                people=len(cluster.people),
                start=found[members[0]][1][:10],
                end=found[members[-1]][1][:10],
                numbers=[found[pk][0] for pk in members],
                support=cluster.support,
                members=[
                    (found[pk][0], found[pk][1][:10], _detail(found[pk][2], found[pk][3])) for pk in members
                ],
                communities=hs.spans(found[pk][4] for pk in members),
                offices=hs.spans(office_names.get(found[pk][5], found[pk][5]) for pk in members),
            )
        )
    return HotspotsResult(first_day.isoformat(), last_day.isoformat(), span.label(), total, spots)


def _seconds(iso: str) -> float:
    return datetime.fromisoformat(iso).timestamp()


def _hotspot_case(row: tuple[Any, ...]) -> Any:
    pk, received_at, title, description, address, community, grid, resident, phone, extra = row
    if phone:
        person = "p:" + phone_digits(phone)
    elif resident:
        person = "n:" + resident
    else:
        person = f"c:{pk}"
    return HotspotCase(
        pk=pk,
        at=_seconds(received_at),
        title=title,
        description=description,
        address=address,
        community=community,
        grid=grid,
        person=person,
        support=_support(extra) if extra else 0,
    )


_SUPPORT_WORDS = ("点赞", "支持", "附议", "赞同")


def _support(extra: str) -> int:
    """点赞数 and the like, as an import kept them among the case's other columns."""
    if not any(word in extra for word in _SUPPORT_WORDS):
        return 0

    try:
        kept = json.loads(extra)
    except ValueError:
        return 0
    total = 0
    for key, value in kept.items() if isinstance(kept, dict) else ():
        if any(word in key for word in _SUPPORT_WORDS):
            try:
                total += max(int(float(str(value).strip())), 0)
            except ValueError:
                continue
    return total


def _summary(title: str | None, description: str) -> str:
    text = clean(title) or clean(description)
    for mark in "。！？!?；;":
        head, found, _ = text.partition(mark)
        if found and len(head) >= 8:
            text = head
    return shorten(text, 60)


def _detail(title: str | None, description: str) -> str:
    text = clean(description)
    head = clean(title)
    return shorten(f"{head}：{text}" if head and not text.startswith(head) else text, 240)


def _empty_period(conn: Any, first: date, last: date) -> WenzhengError:
    oldest, newest = store.received_range(conn)
    if oldest is None or newest is None:
        return WenzhengError(
            "台账中还没有案件",
            hint=phrase("先用 ", command("intake"), " 受理或 ", command("import"), " 导入案件"),
        )
    return WenzhengError(
        f"{first} 至 {last} 没有受理的案件",
        hint=phrase(
            f"台账中案件的受理日期在 {oldest[:10]} 至 {newest[:10]} 之间；用 ",
            option("since"),
            " 和 ",
            option("until"),
            " 指定统计期，如 ",
            option("since", oldest[:10]),
            " ",
            option("until", newest[:10]),
        ),
    )


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
