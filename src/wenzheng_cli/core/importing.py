"""``wenzheng import``: visit notes and platform exports into the ledger, all or nothing, never twice.

One transaction for the whole import (all files). Rows stream from the importers, are parsed and validated
one by one, and go in by batches (``executemany``). Every imported row is an intake event (origin ``import``,
business time = the row's received time, a case number from the office's counter) and, with a reply, a
resolve event at the reply's time. At the end: with any invalid row and no ``--skip-invalid``, or with
``--dry-run``, everything is rolled back and only the report remains.

Idempotence: each row has a source key (the key column, else a hash of the normalised row); a key the ledger
holds already is skipped and counted. A key repeated within this import is reported either way: a row that
repeats an earlier one (same key, same content) is not imported; a row that only shares its key (the same
message labelled twice in a sample, say) is imported under the key plus a hash of its content and flagged as a
possible duplicate of the first (reason ``key``), so no row's content is lost. Memory stays flat: nothing is
kept per row but 6 bytes (its row number, for those reports).
"""

from __future__ import annotations

import hashlib
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from wenzheng_cli.core.duplicates import TextMatcher
from wenzheng_cli.core.import_records import (
    CONTENT_COLUMNS,
    CONTENT_INDEXES,
    IMPORT_CASE_COLUMNS,
    CaseBuilder,
)
from wenzheng_cli.core.session import Session
from wenzheng_cli.domain import clock
from wenzheng_cli.domain.ids import new_ulids
from wenzheng_cli.importers import identify, open_table
from wenzheng_cli.importers.base import BadRow, Options, Table
from wenzheng_cli.importers.headers import ColumnMap, check_required, parse_maps, plan_columns
from wenzheng_cli.importers.row_parser import RowError, RowParser
from wenzheng_cli.store import cases as case_store
from wenzheng_cli.store import imports as store
from wenzheng_cli.store import search as search_index
from wenzheng_cli.store import settings as stored_settings

BATCH = 1000
MAX_REPORTED = 1000  # errors and warnings kept for the report; all are counted, all go to --rejects
TAXONOMY = {
    "category": "categories",
    "channel": "channels",
    "nature": "natures",
    "community": "communities",
    "grid": "grids",
}
CONFIGURED_ONLY = ("communities", "grids")  # checked (and so extended) only once an office lists them


class RejectSink(Protocol):
    def write(self, source: str, columns: Sequence[str], cells: Sequence[Any], message: str) -> None: ...


Progress = Callable[[str, int, int | None, str], None]  # (file, done, total, "bytes" or "rows")


@dataclass
class ImportRequest:
    paths: list[Path]
    maps: list[str] = field(default_factory=list)
    sheet: str | None = None
    encoding: str | None = None
    dry_run: bool = False
    skip_invalid: bool = False


@dataclass
class ImportResult:
    imported: int = 0
    skipped_existing: int = 0
    invalid: int = 0
    duplicates_flagged: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    rows: int = 0
    resolved: int = 0
    repeated: int = 0
    same_key: int = 0
    warnings: list[dict[str, Any]] = field(default_factory=list)
    new_values: dict[str, list[str]] = field(default_factory=dict)
    unknown_columns: dict[str, list[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    errors_total: int = 0
    dry_run: bool = False
    skip_invalid: bool = False
    committed: bool = False

    @property
    def refused(self) -> bool:
        """Invalid rows without --skip-invalid: nothing was (or, in a dry run, would be) imported."""
        return self.invalid > 0 and not self.skip_invalid


class _Rollback(Exception):
    """Raised inside the transaction to undo it (dry run, or invalid rows without --skip-invalid)."""


def run_import(
    session: Session,
    req: ImportRequest,
    *,
    rejects: RejectSink | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    maps = parse_maps(req.maps)
    for path in req.paths:
        identify(path)  # a missing or unreadable file is refused before anything starts
    session.origin = "import"
    result = ImportResult(dry_run=req.dry_run, skip_invalid=req.skip_invalid)
    try:
        with session.ledger.write() as conn:
            store.tune_for_bulk(conn)
            run = ImportRun(session, conn, req, result, rejects, progress)
            for path in req.paths:
                run.file(path, maps)
            run.finish()
            if result.invalid and not req.skip_invalid:
                result.imported = result.resolved = result.duplicates_flagged = 0
                result.new_values = {}
                raise _Rollback
            if req.dry_run:
                raise _Rollback
    except _Rollback:
        pass
    else:
        result.committed = True
    return result


class ImportRun:
    """One import in progress: the open transaction, the counters, the rows already added by file and number."""

    def __init__(
        self,
        session: Session,
        conn: Any,
        req: ImportRequest,
        result: ImportResult,
        rejects: RejectSink | None,
        progress: Progress | None,
    ) -> None:
        settings = session.settings
        self.session, self.conn, self.req, self.result = session, conn, req, result
        self.rejects, self.progress = rejects, progress
        self.office = settings.office
        self.recorded_at = clock.iso(session.now) or ""
        self.builder = CaseBuilder(self.office, session.operator, self.recorded_at, settings.intake_level)
        self.base_pk = store.max_case_pk(conn)
        search_index.pause_indexing(conn)  # the new cases are indexed at once in finish()
        self.next_pk = self.base_pk + 1
        self.row_of = array("I")  # file row of each case added, by pk - base_pk - 1
        self.file_of = array("H")
        self.sources: list[str] = []
        self.seqs: dict[int, int] = {}
        self.known = {kind: set(settings.values_of(kind)) for kind in TAXONOMY.values()}
        self.checked = {
            f: kind for f, kind in TAXONOMY.items() if kind not in CONFIGURED_ONLY or settings.values_of(kind)
        }
        self.window = settings.duplicates_window_days
        self.matcher = TextMatcher(conn, self.window, settings.duplicates_text_score)
        self.flags: list[tuple[str, str, str, float, str]] = []

    # --- per file ----------------------------------------------------------------------------------------

    def file(self, path: Path, maps: list[ColumnMap]) -> None:
        with open_table(path, Options(sheet=self.req.sheet, encoding=self.req.encoding)) as table:
            self.result.notes.extend(table.notes)
            if not table.columns:
                self.result.notes.append(f"{table.source} 没有内容")
                return
            plan = plan_columns(table.columns, maps, table.source)
            check_required(plan, table.source)
            self.result.notes.extend(f"{table.source}: {n}" for n in plan.notes)
            table.on_new_column = plan.add_column
            self.sources.append(table.source)
            file_index = len(self.sources) - 1
            parser = RowParser(plan, self.session.now)
            batch: list[tuple[int, Sequence[Any], dict[str, Any]]] = []
            for number, cells in table.rows:
                self.result.rows += 1
                if isinstance(cells, BadRow):
                    self._invalid(table, number, [], [RowError(number, "", "", cells.message, cells.hint)])
                    continue
                parsed = parser.parse(number, cells)
                if isinstance(parsed, list):
                    self._invalid(table, number, cells, parsed)
                    continue
                batch.append((number, cells, parsed))
                if len(batch) >= BATCH:
                    self._flush(table, file_index, batch)
                    batch = []
                    if self.progress is not None:
                        self.progress(table.source, table.done(), table.total, table.unit)
            self._flush(table, file_index, batch)
            if self.progress is not None:
                self.progress(table.source, table.total or table.done(), table.total, table.unit)
            if plan.unknown_columns:
                self.result.unknown_columns[table.source] = plan.unknown_columns

    def _invalid(self, table: Table, number: int, cells: Sequence[Any], errors: list[RowError]) -> None:
        result = self.result
        result.invalid += 1
        result.errors_total += len(errors)
        for e in errors:
            if len(result.errors) < MAX_REPORTED:
                result.errors.append(
                    {
                        "file": table.source,
                        "row": e.row,
                        "column": e.column,
                        "value": e.value,
                        "message": e.message,
                        "hint": e.hint,
                    }
                )
        if self.rejects is not None:
            why = "；".join(f"{e.column}: {e.message}" if e.column else e.message for e in errors)
            self.rejects.write(table.source, table.columns, cells, f"第 {number} 行 {why}")

    def _repeat(self, table: Table, number: int, cells: Sequence[Any], key: str, first: str) -> None:
        result = self.result
        result.repeated += 1
        column, what = _key_words(key, "内容完全相同的行")
        message = f"{what}与{first}重复，保留前面一行，本行未导入"
        if len(result.warnings) < MAX_REPORTED:
            result.warnings.append(
                {"file": table.source, "row": number, "column": column, "message": message}
            )
        if self.rejects is not None:
            self.rejects.write(table.source, table.columns, cells, f"第 {number} 行 {message}")

    def _same_key(self, table: Table, number: int, key: str, first: str) -> None:
        result = self.result
        result.same_key += 1
        column, what = _key_words(key, "受理时间、诉求内容、电话、姓名和地址")
        message = f"{what}与{first}相同，但其他内容不同：两行都已导入，本行标为疑似重复"
        if len(result.warnings) < MAX_REPORTED:
            result.warnings.append(
                {"file": table.source, "row": number, "column": column, "message": message}
            )

    def _id_if_different(
        self, pk: int, fields: dict[str, Any], pending: dict[int, tuple[Any, ...]]
    ) -> str | None:
        """The id of the case ``pk`` (imported earlier in this run) when the row differs from it; else None."""
        row = pending.get(pk)
        if row is not None:
            case_id, stored = row[1], tuple(row[i] for i in CONTENT_INDEXES)
        else:
            values = store.case_values(self.conn, pk, ("id", *CONTENT_COLUMNS))
            if values is None:  # pragma: no cover - the case was inserted by this transaction
                return None
            case_id, stored = values[0], values[1:]
        return None if self.builder.content(fields) == stored else str(case_id)

    @staticmethod
    def _alternative_key(key: str, fields: dict[str, Any]) -> str:
        digest = hashlib.blake2b(repr(sorted(fields.items())).encode(), digest_size=6).hexdigest()
        return f"{key}#{digest}"

    def _first_row(self, pk: int, source: str) -> str:
        index = pk - self.base_pk - 1
        if 0 <= index < len(self.row_of):
            where = self.sources[self.file_of[index]]
            row = self.row_of[index]
            return f"第 {row} 行" if where == source else f"{where} 第 {row} 行"
        return "本次导入的另一行"  # pragma: no cover

    # --- per batch ---------------------------------------------------------------------------------------

    def _flush(
        self, table: Table, file_index: int, batch: list[tuple[int, Sequence[Any], dict[str, Any]]]
    ) -> None:
        if not batch:
            return
        result = self.result
        found = store.find_source_keys(self.conn, [fields["source_key"] for _, _, fields in batch])
        here: dict[str, int] = {}
        count = len(batch)
        ids = new_ulids(3 * count)
        case_rows: list[tuple[Any, ...]] = []
        event_rows: list[tuple[Any, ...]] = []
        pending: dict[int, tuple[Any, ...]] = {}  # this batch's case rows by pk
        for i, (number, cells, fields) in enumerate(batch):
            key = fields["source_key"]
            pk = found.get(key) or here.get(key)
            first_of_key: str | None = None
            if pk is not None:
                if pk <= self.base_pk:
                    result.skipped_existing += 1
                    continue
                first = self._first_row(pk, table.source)
                first_of_key = self._id_if_different(pk, fields, pending)
                if first_of_key is None:
                    self._repeat(table, number, cells, key, first)
                    continue
                # The same key on a different row: its own case, under a key of its own that a re-import finds.
                alt = self._alternative_key(key, fields)
                alt_pk = here.get(alt) or store.find_source_keys(self.conn, [alt]).get(alt)
                if alt_pk is not None:
                    self._repeat(table, number, cells, key, self._first_row(alt_pk, table.source))
                    continue
                self._same_key(table, number, key, first)
                fields["source_key"] = key = alt
            pk = self.next_pk
            self.next_pk += 1
            here[key] = pk
            self.row_of.append(number)
            self.file_of.append(file_index)
            received_at = fields["received_at"]
            year = int(received_at[:4])
            seq = self.seqs.get(year)
            if seq is None:
                seq = case_store.next_seq(self.conn, self.office, year)
            self.seqs[year] = seq + 1
            case_id = ids[3 * i]
            case_row, events = self.builder.build(
                fields, pk, case_id, (ids[3 * i + 1], ids[3 * i + 2]), year, seq
            )
            case_rows.append(case_row)
            pending[pk] = case_row
            event_rows.extend(events)
            if first_of_key is not None:
                self.flags.append((case_id, first_of_key, "key", 100.0, self.recorded_at))
            result.imported += 1
            if len(events) > 1 or fields.get("on_site"):
                result.resolved += 1
            self._taxonomy(fields)
            twin = self.matcher.match(
                case_id, received_at, fields["description"], fields["community"], fields["category"]
            )
            if twin is not None:
                self.flags.append((case_id, twin[0], "text", twin[1], self.recorded_at))
        store.insert_cases(self.conn, IMPORT_CASE_COLUMNS, case_rows)
        store.insert_events(self.conn, event_rows)
        if self.flags:
            store.insert_flags(self.conn, self.flags)
            self.flags = []

    def _taxonomy(self, fields: dict[str, Any]) -> None:
        for name, kind in self.checked.items():
            value = fields[name]
            if value is not None and value not in self.known[kind]:
                self.known[kind].add(value)
                self.result.new_values.setdefault(kind, []).append(value)

    # --- at the end --------------------------------------------------------------------------------------

    def finish(self) -> None:
        result = self.result
        search_index.index_added(self.conn, self.base_pk)
        if result.imported:
            store.flag_same_contact(self.conn, self.base_pk, self.window, self.recorded_at)
            result.duplicates_flagged = store.count_flagged_after(self.conn, self.base_pk)
        settings = self.session.settings
        for kind, values in result.new_values.items():
            stored_settings.save(self.conn, kind, [*settings.values_of(kind), *values])


def _key_words(key: str, hashed: str) -> tuple[str, str]:
    """(the column, how a message names the key): ``留言编号「37042」``; ``hashed`` for a row-content key."""
    label, _, value = key.partition(":")
    if label == "row":
        return "", hashed
    return label, f"{label}「{value}」"
