"""``hotspots`` (共性问题, 由点及面): the period's cases read once, clustered, ranked by heat, and described.

Withdrawn cases are left out, except those withdrawn as the duplicate of another (their resident did speak);
a duplicate joins the hotspot of the case it repeats. See ``analysis.hotspots`` for how cases are grouped.
"""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import islice
from pathlib import Path
from typing import Any

from wenzheng_cli.analysis import hotspots as hs
from wenzheng_cli.analysis import problems
from wenzheng_cli.analysis.clusters import Cluster, spans
from wenzheng_cli.analysis.problems import HotspotCase, Idf
from wenzheng_cli.analysis.text import places_in, tidy
from wenzheng_cli.core import offices
from wenzheng_cli.core.hotspots_rows import hotspot_case, unnamed
from wenzheng_cli.core.hotspots_rows import seconds as instant
from wenzheng_cli.core.hotspots_worker import BATCH, SECOND_PROCESS_FROM, Stopped, Worker
from wenzheng_cli.core.session import Session
from wenzheng_cli.domain import clock
from wenzheng_cli.domain.dates import parse_day
from wenzheng_cli.domain.deadlines import parse_span
from wenzheng_cli.domain.text import shorten
from wenzheng_cli.errors import WenzhengError, command, option, phrase
from wenzheng_cli.store import analysis as store

DEFAULT_DAYS = 90  # the period when --since is not given: the last quarter
DEFAULT_WINDOW = "30d"
DEFAULT_TOP = 10
MEMBERS_LISTED = 1000  # a hotspot's cases listed one by one in the 明细表 (all of them are in the numbers)


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
    office: str = ""  # whose ledger: its name, else its code (heads every output but the JSON)

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
    period = hs.Period(instant(start), instant(end))
    worker = _worker(session.ledger.path, start, end) if total >= SECOND_PROCESS_FROM else None
    try:
        # The bigrams' document frequencies, from about 5,000 of the period's cases (all of them when fewer).
        every = max(1, total // 5000)
        rows = (
            store.period_sample(conn, start, end, every)
            if every > 1
            else store.period_cases(conn, start, end)
        )
        texts = (problems.problem_text(r[2], unnamed(r[3], r[7])) for r in rows)
        df, n, gazetteer = problems.document_frequencies((text, places_in(text)) for text in texts)
        idf = problems.Idf(df, max(n, 1))
        if worker is not None:
            worker.weigh(idf, gazetteer)
        twins = store.twins_in_period(conn, start, end)
        clusterer = hs.Clusterer(idf, period, seconds, count, gazetteer, twins)
        with _few_collections():
            _read_period(conn, start, end, clusterer, worker)
            clusters = clusterer.finish()
    finally:
        if worker is not None:
            worker.close()
    del clusterer
    office_names = offices.names(session) if clusters else {}
    spots: list[Hotspot] = []
    clusters.reverse()
    while clusters:  # each let go once described: a mass complaint's cluster weighs
        spots.append(_hotspot(conn, len(spots) + 1, clusters.pop(), idf, office_names))
    office = session.settings.office_name or session.settings.office
    return HotspotsResult(first_day.isoformat(), last_day.isoformat(), span.label(), total, spots, office)


def _hotspot(conn: Any, rank: int, cluster: Cluster, idf: Idf, office_names: dict[str, str]) -> Hotspot:
    """A cluster described from its cases, read once in received order (a mass complaint's million too): its
    numbers, dates, communities and offices, its summary (the member closest to its centre; a text sent
    again word for word is weighed once) and the first ``MEMBERS_LISTED`` for the 明细表."""
    people = len(cluster.people)
    cluster.people.clear()  # counted: let go before the numbers are read
    numbers: list[str] = []
    members: list[tuple[str, str, str]] = []
    communities: Counter[str] = Counter()
    offices_held: Counter[str] = Counter()
    closeness: dict[str, float] = {}
    first = last = ""
    best, summary = -1.0, ""
    for _, number, received, title, description, community, office in store.members_in_order(
        conn, cluster.members
    ):
        numbers.append(number)
        first = first or received
        last = received
        if len(members) < MEMBERS_LISTED:
            members.append((number, received[:10], _detail(title, description)))
        text = problems.problem_text(title, description)
        close = closeness.get(text)
        if close is None:
            if len(closeness) >= 4096:
                closeness.clear()
            close = closeness[text] = hs.closeness(cluster, text, idf)
            if close > best:
                best, summary = close, _summary(title, description)
        if community:
            communities[community] += 1
        if office:
            offices_held[office_names.get(office, office)] += 1
    return Hotspot(
        rank=rank,
        heat=cluster.heat,
        place=cluster.place(),
        summary=summary,
        cases=cluster.cases,
        people=people,
        start=first[:10],
        end=last[:10],
        numbers=numbers,
        support=cluster.support,
        members=members,
        communities=spans(communities),
        offices=spans(offices_held),
    )


def _read_period(conn: Any, start: str, end: str, clusterer: hs.Clusterer, worker: Worker | None) -> None:
    """Every case of the period into ``clusterer`` in received order: read by the second process when there
    is one, and by this one from where that stopped (if it fails, or cannot start, the hotspots are the same)."""
    done = 0
    if worker is not None:
        try:
            for cases, prepared in worker.batches():
                clusterer.add_prepared(cases, prepared)
                done += len(cases)
            return
        except Stopped:
            worker.close()
    batch: list[HotspotCase] = []
    for row in islice(store.period_cases(conn, start, end), done, None):
        batch.append(hotspot_case(row))
        if len(batch) == BATCH:
            clusterer.add_many(batch)
            batch.clear()
    clusterer.add_many(batch)


def _worker(path: Path, start: str, end: str) -> Worker | None:
    """The second process reading the period's cases; None where none can be started (then this one reads)."""
    try:
        return Worker(path, start, end)
    except OSError:
        return None


@contextmanager
def _few_collections() -> Iterator[None]:
    """The pass over the period with Python's cycle collector run rarely: it makes and drops a few objects per
    case and keeps the live clusters, which a collection every 700 new objects (the default) would walk again
    and again — a third of the time of a year's pass. What it drops holds no cycles: reference counting frees it."""
    before = gc.get_threshold()
    gc.freeze()  # what was there before the pass is never walked
    gc.set_threshold(100_000, 50, 1000)
    try:
        yield
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()


def _summary(title: str | None, description: str) -> str:
    text = tidy(title) or tidy(description)
    for mark in "。！？!?；;":
        head, found, _ = text.partition(mark)
        if found and len(head) >= 8:
            text = head
    return shorten(text, 60)


def _detail(title: str | None, description: str) -> str:
    text = tidy(description)
    head = tidy(title)
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
