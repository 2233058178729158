"""``wenzheng rollup FILE...``: the street puts its communities' ledgers (their ``backup`` copies) into its own.

Every file is looked at before anything is written (``core.rollup_files``): a file that is no ledger, this
ledger itself, a newer one, one holding this office's own cases, locked or cut short refuses the whole command.
Then each file is rolled up in its own transaction: its events this ledger lacks are added by their ids (the
same files again, or an older copy after a newer one, add nothing), the cases they touch are rebuilt from all
their events here (``domain.states.fold``, then the street's mappings: ``domain.rollup.settle``), its 问政
activities come along, and what is known of each office it holds is kept (``rollup_sources``). An event id the
ledger holds with other content is a conflict: that file is not committed, the others are.

The search index takes the new cases in one statement once they are in (as an import does) and follows the
updated ones through its trigger. The kept figures of past months stand only while no event dated within them
was recorded after them: those of the last twelve months that a roll-up made stale are counted again at its end
(``core.reports.keep_recent``, by office and as they were kept before), so that the street's 通报 and
trend right after a roll-up read kept figures instead of all counting the year again.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from wenzheng_cli.core.reports import keep_recent, recent_kept
from wenzheng_cli.core.rollup_files import Source, inspect_all
from wenzheng_cli.core.session import Session
from wenzheng_cli.domain import clock
from wenzheng_cli.domain.models import Case
from wenzheng_cli.domain.rollup import UNMAPPED_FIELDS, settle
from wenzheng_cli.domain.states import fold
from wenzheng_cli.domain.taxonomy import FIELD_LISTS
from wenzheng_cli.errors import WenzhengError, command, phrase
from wenzheng_cli.store import rollup as rolls
from wenzheng_cli.store import rollup_replay as replay
from wenzheng_cli.store import search as search_index

SAVE_EVERY = 1000  # cases rebuilt are stored this many at a time
STALE_AFTER = timedelta(days=7)  # an office that has not sent its ledger for longer is named in the status


@dataclass(frozen=True)
class SourceOutcome:
    file: str
    office: str
    ledger_id: str
    skipped: bool
    events_added: int = 0
    cases_added: int = 0
    cases_updated: int = 0


@dataclass(frozen=True)
class Conflict:
    file: str
    event_id: str | None
    message: str


@dataclass
class RollupOutcome:
    sources: list[SourceOutcome] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    unmapped: dict[str, list[str]] = field(default_factory=dict)
    dry_run: bool = False

    @property
    def events_added(self) -> int:
        return sum(s.events_added for s in self.sources)


class _Undo(Exception):
    """Raised inside a file's transaction to roll it back: a conflict, or a dry run."""


# What a front end shows while a roll-up runs: what is being done, and how many of the files are done.
Progress = Callable[[str, int, int], None]


def rollup(
    session: Session, files: Sequence[str], *, dry_run: bool, progress: Progress | None = None
) -> RollupOutcome:
    outcome = RollupOutcome(dry_run=dry_run)
    tell = progress or (lambda what, done, total: None)
    used: dict[str, set[str]] = {}
    touched: set[str] = set()
    kept = recent_kept(session)
    with ExitStack() as temps:
        sources = inspect_all(session, files, temps)
        for done, source in enumerate(sources):
            tell(f"汇总 {source.shown}", done, len(sources))
            if source.skipped:
                outcome.sources.append(SourceOutcome(source.shown, source.office, source.ledger_id, True))
                touched.update(source.offices)
                if not dry_run:
                    with session.ledger.write() as conn:
                        _remember(conn, source)
                        for claim in source.claims:
                            conn.execute(
                                "UPDATE rollup_sources SET last_rollup = ? WHERE office = ?",
                                (clock.iso(session.now), claim.office),
                            )
                continue
            touched.update(source.offices)
            outcome.sources.append(_roll(session, source, outcome, used, dry_run))
    if not dry_run:  # what the cases of every office named now use (a dry run saw it before rolling back)
        _values(session, sorted(touched), used)
        if outcome.events_added:
            tell("重新统计最近 12 个月的月度数据", len(sources), len(sources))
            keep_recent(session, kept)
    settings = session.settings
    for name in UNMAPPED_FIELDS:
        listed = set(settings.values_of(FIELD_LISTS[name]))
        lacking = sorted(v for v in used.get(name, set()) if v not in listed)
        if lacking:
            outcome.unmapped[name] = lacking
    return outcome


def _remember(conn: sqlite3.Connection, source: Source) -> None:
    """Keep when the file was hashed, with its stat then, so that an unchanged file is not read again."""
    if source.hashed_ns is not None:
        rolls.record_hash(conn, source.where, source.stat, source.digest, source.hashed_ns)


def _values(session: Session, offices: Sequence[str], used: dict[str, set[str]]) -> None:
    found = rolls.values_used(session.ledger.conn, UNMAPPED_FIELDS, session.settings.office, list(offices))
    for name, values in found.items():
        used.setdefault(name, set()).update(values)


def _roll(
    session: Session, source: Source, outcome: RollupOutcome, used: dict[str, set[str]], dry_run: bool
) -> SourceOutcome:
    conn = session.ledger.conn
    rolls.attach(conn, source.read_path, immutable=source.immutable)
    try:
        result: SourceOutcome | None = None
        try:
            with session.ledger.write():
                found = _conflicts(conn, source)
                if found:
                    outcome.conflicts.extend(found)
                    raise _Undo
                result = _add(session, source)
                if dry_run:
                    _values(session, source.offices, used)
                    raise _Undo
        except _Undo:
            pass
        except replay.DamagedEvent as exc:
            outcome.conflicts.append(
                Conflict(source.shown, exc.event_id, "该文件中的这条办理记录已损坏（不是本程序写入的内容）")
            )
        except sqlite3.IntegrityError:
            # a source key (留言编号 of a platform) another office's case holds here: one key, one case; or a
            # reference found wrong at the commit, which leaves the transaction open
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            outcome.conflicts.append(
                Conflict(
                    source.shown,
                    None,
                    "该文件中有案件的来源编号与已汇总的其他案件相同（同一平台编号只能有一件）",
                )
            )
        except (KeyError, ValueError, TypeError) as exc:  # a payload the state machine cannot replay
            outcome.conflicts.append(
                Conflict(source.shown, None, f"该文件中的办理记录无法重演（{type(exc).__name__}）")
            )
    finally:
        rolls.detach(conn)
    if result is None:
        return SourceOutcome(source.shown, source.office, source.ledger_id, False)
    return result


def _conflicts(conn: Any, source: Source) -> list[Conflict]:
    found = [
        Conflict(source.shown, event_id, "同一编号的办理记录内容与已汇总的不同，未覆盖")
        for event_id in rolls.conflicts(conn)
    ]
    found += [
        Conflict(source.shown, None, f"案件 {number}（{case_id}）与已汇总的案件编号或标识不一致，未覆盖")
        for number, case_id in rolls.case_clashes(conn)
    ]
    return found


def _add(session: Session, source: Source) -> SourceOutcome:
    conn = session.ledger.conn
    # the activities go in before the events: once events of cases not yet here are in (their foreign keys
    # checked at the commit), every activity added would make SQLite look through all the cases for one of its
    # children
    rolls.add_activities(conn, source.office)
    rolls.mark_new(conn)
    events = rolls.add_events(conn)
    added, updated = rolls.new_counts(conn)
    own = session.settings.office
    renames, activities = rolls.renames(conn), rolls.activity_maps(conn)
    # the new cases are indexed for search at once, once all are in (as an import does)
    after, paused = search_index.last_case_pk(conn), search_index.pause_indexing(conn)
    batch: tuple[list[Case], list[Case]] = ([], [])
    for _, is_new, case_events in replay.events_of_new(conn):
        case = fold(case_events)
        if case is None:
            continue
        if case.office != own:
            case = settle(case, renames, activities.get(case.office, {}))
        batch[0 if is_new else 1].append(case)
        if len(batch[0]) + len(batch[1]) >= SAVE_EVERY:
            replay.save_cases(conn, *batch)
            batch = ([], [])
    replay.save_cases(conn, *batch)
    search_index.index_added(conn, after, paused)
    rolls.add_duplicate_flags(conn)
    at = clock.iso(session.now) or ""
    held = rolls.file_offices(conn)
    for claim in source.claims:
        last = held.get(claim.office, (None, 0))[0]
        rolls.record_source(conn, claim, file=source.shown, digest=source.digest, at=at, last_event_at=last)
    rolls.record_file(conn, source.digest, source.shown, at)
    _remember(conn, source)
    return SourceOutcome(source.shown, source.office, source.ledger_id, False, events, added, updated)


# --- rollup --status ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SourceStatus:
    office: str
    name: str | None
    ledger_id: str
    last_rollup: str
    last_event_at: str | None
    cases: int
    events: int
    stale: bool  # not sent for longer than STALE_AFTER


def status(session: Session) -> list[SourceStatus]:
    """Each office rolled up into this ledger, and whether it has sent its ledger within the last week."""
    cutoff = clock.iso(session.now - STALE_AFTER) or ""
    return [
        SourceStatus(
            office=row["office"],
            name=row["name"],
            ledger_id=row["ledger_id"],
            last_rollup=row["last_rollup"],
            last_event_at=row["last_event_at"] or None,
            cases=int(row["cases"]),
            events=int(row["events"]),
            stale=row["last_rollup"] < cutoff,
        )
        for row in rolls.sources(session.ledger.conn)
    ]


def read_only(session: Session, office: str, number: str) -> WenzhengError:
    """The refusal of a step on another office's case, rolled up here: it is done in that office's ledger."""
    name = rolls.office_of(session.ledger.conn, office) or office
    return WenzhengError(
        f"该件属于 {name} 台账，请在该社区办理",
        hint=phrase(
            f"{number} 是汇总来的案件，在本台账中只能查看；该社区办理后，用 ",
            command("rollup", "社区备份.db"),
            " 汇总其新的备份",
        ),
    )
