"""``wenzheng check``: the ledger is sound, and every case is exactly the fold of its events."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, fields
from itertools import groupby
from typing import Any

from wenzheng_cli.config import DEFAULTS, Settings
from wenzheng_cli.core import caches
from wenzheng_cli.core.session import Session
from wenzheng_cli.domain.models import Case, Event
from wenzheng_cli.domain.rollup import settle
from wenzheng_cli.domain.states import fold
from wenzheng_cli.errors import Phrase, WenzhengError, phrase, pieces
from wenzheng_cli.files import sweep_stale
from wenzheng_cli.store import cases as store
from wenzheng_cli.store import integrity as checks
from wenzheng_cli.store import rollup as rollups
from wenzheng_cli.store.redacted import WITHOUT_PII_KEY

# Compared field by field; ``updated_at`` is bookkeeping, the rest is what users and reports see.
COMPARED = tuple(f.name for f in fields(Case) if f.name != "updated_at")


@dataclass
class Problem:
    # integrity | settings | foreign_key | encoding | event | mismatch | missing_case | missing_events | cache
    kind: str
    number: str | None
    message: Phrase

    def as_dict(self, spell: Callable[[Phrase], str]) -> dict[str, Any]:
        """As JSON, its message spelled by the front end (``spell``)."""
        return {"kind": self.kind, "number": self.number, "message": spell(self.message)}


@dataclass
class CheckReport:
    cases: int = 0
    events: int = 0
    problems: list[Problem] = field(default_factory=list)
    # A copy without personal data (``backup --without-pii``): the moment it was made.
    without_pii: str | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self, spell: Callable[[Phrase], str]) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "cases": self.cases,
            "events": self.events,
            "problems": [p.as_dict(spell) for p in self.problems],
        }


# What ``check`` verifies of each table of the ledger, or why a table needs nothing of its own (a test holds
# this to the schema: a table added without a word here fails it). Beyond these, ``PRAGMA integrity_check``
# covers every table and index of the file (UNIQUE keys such as the cases' source keys among them), and
# ``PRAGMA foreign_key_check`` every reference.
TABLES = {
    "cases": "each case is the fold of its events; text is UTF-8",
    "events": "each event is readable (a known action, a JSON object) and replays; text is UTF-8",
    "settings": "parsed and checked as a command reads them; text is UTF-8",
    "activities": "text is UTF-8; the cases' references to them (foreign keys)",
    "duplicate_flags": "both cases exist (foreign keys); the reason within its CHECK (integrity_check)",
    "report_figures": "each entry reads as the reports read it (core.caches), no newer than the last event",
    "suggest_model": "each model's row reads as ``suggest`` reads it (core.caches)",
    "suggest_weights": "one float32 per class and a numeric idf per n-gram (core.caches); its model exists",
    "case_search": "one document per case, and no pause left behind (core.caches)",
    "case_search_data": "the search index's own storage (case_search)",
    "case_search_idx": "the search index's own storage (case_search)",
    "case_search_config": "the search index's own storage (case_search)",
    "case_search_terms": "a view of the search index's terms, stores nothing",
    "search_paused": "empty outside an import's transaction (core.caches)",
    "sqlite_sequence": "SQLite's counter of the events' AUTOINCREMENT key (integrity_check)",
    "_sqlite_migrations": "the migrations applied, read when the ledger is opened (store.ledger)",
    "ledger_identity": "one row, made by the migrations; read by rollup",
    "rollup_sources": "what a roll-up kept of each office; rebuilt by the next roll-up of its file",
    "rollup_files": "digests of the files rolled up (a file not found there is read again)",
    "rollup_file_stats": "when each file was hashed; a row that does not match its file is ignored",
    "value_maps": "the street's renames, applied to other offices' cases as they are replayed here",
    "rollup_activities": "other offices' activity numbers; the activities exist (foreign keys)",
    "clerks": "who may use a served ledger: a role and a token's hash each (UNIQUE, integrity_check)",
    "requests": "the answers a server keeps for requests sent again; nothing the cases depend on",
}


def diff(stored: Case, rebuilt: Case) -> list[str]:
    return [name for name in COMPARED if getattr(stored, name) != getattr(rebuilt, name)]


def check(session: Session) -> CheckReport:
    """Cases (by id) and events (by case, then recorded order) are read side by side, one case at a time, so
    checking a ledger of a million cases takes the memory of one case, not of all of them."""
    conn = session.ledger.conn
    report = CheckReport()
    sweep_stale(session.ledger.path.parent)  # what killed backups and reports left beside the ledger
    # Text that is not UTF-8 is read with a stand-in character, so that the rest is checked all the same; the
    # rows holding it are then named one by one.
    undecodable: list[bytes] = []

    def lenient(value: bytes) -> str:
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError:
            undecodable.append(value[:0])
            return value.decode("utf-8", "replace")

    conn.text_factory = lenient
    for message in checks.integrity_errors(conn):
        report.problems.append(Problem("integrity", None, message))
    if report.problems:  # a damaged file: replaying it would only add noise, or fail
        return report
    stored = session.ledger.settings()
    made = stored.get(WITHOUT_PII_KEY)
    report.without_pii = made if isinstance(made, str) else None
    try:
        Settings.parse(stored)
    except WenzhengError as exc:
        told = phrase(*pieces(exc.message), "（", *pieces(exc.hint or ""), "）")
        report.problems.append(Problem("settings", None, told))
    for table, rowid, parent in checks.foreign_key_errors(conn):
        report.problems.append(Problem("foreign_key", None, f"{table} 第 {rowid} 行引用的 {parent} 不存在"))
    cases: Iterator[Case] = store.iter_cases(conn)
    settled = _settler(session)
    without_events: list[Problem] = []

    def passed_over(case: Case | None, before: str | None) -> Case | None:
        """Count the cases (in id order) before the id ``before`` (None: all left); each has no events."""
        while case is not None and (before is None or case.id < before):
            report.cases += 1
            without_events.append(Problem("missing_events", case.number, "案件没有任何办理记录"))
            case = next(cases, None)
        return case

    case = next(cases, None)
    for case_id, events in groupby(checks.readable_events(conn), key=lambda e: e.case_id):
        case = passed_over(case, case_id)
        current = None
        if case is not None and case.id == case_id:
            current, case = case, next(cases, None)
            report.cases += 1
        batch = list(events)
        report.events += len(batch)
        readable = [e for e in batch if isinstance(e, Event)]
        if len(readable) < len(batch):  # a case whose events cannot all be read cannot be replayed
            number = current.number if current else case_id
            for e in batch:
                if isinstance(e, checks.UnreadableEvent):
                    message = f"办理记录（第 {e.seq} 行）的动作或内容无法读取（内容应为 JSON 对象），无法重演"
                    report.problems.append(Problem("event", number, message))
            continue
        _compare(report, case_id, current, readable, settled)
    passed_over(case, None)
    report.problems.extend(without_events)
    if undecodable:
        _name_undecodable(report, conn)
    report.problems.extend(Problem("cache", None, message) for message in caches.problems(conn))
    return report


_ROW_NAMES = {"cases": "案件记录", "events": "办理记录", "settings": "配置", "activities": "问政活动"}


def _name_undecodable(report: CheckReport, conn: Any) -> None:
    for table, rowid, case_id, number in checks.undecodable_rows(conn):
        where = _ROW_NAMES.get(table, table)
        report.problems.append(
            Problem("encoding", number or case_id, f"{where}（第 {rowid} 行）中有不是 UTF-8 编码的文字")
        )


def _settler(session: Session) -> Callable[[Case], Case]:
    """Another office's case (rolled up) as this ledger holds it: its replay, mapped as the street maps it."""
    # read as stored: a setting that does not parse is a problem ``check`` reports, not a reason to stop
    own = session.ledger.settings().get("office.code", DEFAULTS["office.code"])
    renames, activities = rollups.renames(session.ledger.conn), rollups.activity_maps(session.ledger.conn)

    def settled(case: Case) -> Case:
        return case if case.office == own else settle(case, renames, activities.get(case.office, {}))

    return settled


def _compare(
    report: CheckReport,
    case_id: str,
    current: Case | None,
    events: list[Event],
    settled: Callable[[Case], Case],
) -> None:
    try:
        rebuilt = fold(events)
        rebuilt = settled(rebuilt) if rebuilt is not None else None
    except (KeyError, ValueError, TypeError, AttributeError) as exc:  # a payload not as the ledger writes it
        number = current.number if current else case_id
        report.problems.append(Problem("mismatch", number, f"办理记录无法重演（{type(exc).__name__}）"))
        return
    if current is None:
        number = rebuilt.number if rebuilt else case_id
        report.problems.append(Problem("missing_case", number, "有办理记录但台账中没有该案件"))
        return
    if rebuilt is None:
        return
    different = diff(current, rebuilt)
    if different:
        shown = "、".join(different)
        report.problems.append(Problem("mismatch", current.number, f"台账与办理记录不一致: {shown}"))
