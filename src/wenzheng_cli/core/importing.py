"""``wenzheng import``: visit notes and platform exports into the ledger, all or nothing, never twice.

One transaction for the whole import (all files). Rows stream from the importers and are parsed, checked and
matched against the source keys the ledger and the import already hold (``core.import_keys``), batch by batch:
a new row is staged (``store.import_stage``); a row of a known case brings its new facts onto it
(``core.import_updates``; ``updated``), or adds nothing (``skipped_existing``), or repeats an earlier row of
the import (``repeated``); a different row under a known key becomes its own case, flagged (``same_key``).
When every file is read, the staged rows are swept for possible duplicates (``core.duplicates``) and become
cases and events in a few set-based statements, numbered in the order they were received; the list values
they bring that the office's lists lack join them (``core.import_values``). With any invalid row and no
``--skip-invalid``, or with ``--dry-run``, everything is rolled back and only the report remains.
Memory stays flat: the staged rows wait on disk, the duplicate sweep keeps only its window.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from operator import itemgetter
from pathlib import Path
from typing import Any

from wenzheng_cli.analysis.suggest import fill_categories
from wenzheng_cli.core import import_keys as keys
from wenzheng_cli.core.analysis import import_suggester, note_stale_after_import
from wenzheng_cli.core.duplicates import DuplicateFinder
from wenzheng_cli.core.import_history import check_row, close, suggestion
from wenzheng_cli.core.import_keys import Decision, Kind, Known
from wenzheng_cli.core.import_request import ImportRequest, ImportResult, Progress, RejectSink, file_wide
from wenzheng_cli.core.import_updates import record_facts, unrecorded
from wenzheng_cli.core.import_values import ListValues
from wenzheng_cli.core.session import Session
from wenzheng_cli.domain import clock, source_keys
from wenzheng_cli.domain.ids import new_ulids
from wenzheng_cli.errors import Phrase, Piece, phrase, pieces
from wenzheng_cli.importers import identify, open_table
from wenzheng_cli.importers.base import BadRow, Options, Table
from wenzheng_cli.importers.date_order import DateOrders
from wenzheng_cli.importers.headers import ColumnMap, check_required, parse_maps, plan_columns
from wenzheng_cli.importers.row_parser import FileWide, RowError, RowParser
from wenzheng_cli.store import import_stage as stage
from wenzheng_cli.store import imports as store
from wenzheng_cli.store import search as search_index

BATCH = 1000
MAX_REPORTED = 1000  # errors and warnings kept for the report; all are counted, all go to --rejects


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
    suggester = None
    if req.suggest_category:
        suggester = import_suggester(session)
    session.origin = "import"
    wide = file_wide(session, req)
    result = ImportResult(dry_run=req.dry_run, skip_invalid=req.skip_invalid, history=req.history)
    try:
        with session.ledger.write() as conn:
            store.tune_for_bulk(conn)
            run = ImportRun(session, conn, req, wide, result, rejects, progress)
            run.suggester = suggester
            for path in req.paths:
                run.file(path, maps)
            if result.invalid and not req.skip_invalid:
                result.updated = 0
                result.new_values = {}
                raise _Rollback
            run.finish()
            if req.dry_run:
                raise _Rollback
            if rejects is not None:
                rejects.flush()  # the rows not imported are safe on disk before the others are committed
    except _Rollback:
        pass
    else:
        result.committed = True
        if result.imported:
            note_stale_after_import(session)
    return result


class ImportRun:
    """One import in progress: the open transaction, the counters, the files read so far."""

    def __init__(
        self,
        session: Session,
        conn: Any,
        req: ImportRequest,
        wide: FileWide,
        result: ImportResult,
        rejects: RejectSink | None,
        progress: Progress | None,
    ) -> None:
        self.session, self.conn, self.req, self.result = session, conn, req, result
        self.wide = wide
        self.rejects, self.progress = rejects, progress
        self.office = session.settings.office
        self.actor = session.operator
        self.recorded_at = clock.iso(session.now) or ""
        self.sources: list[str] = []
        self.values = ListValues(session.settings)  # the office's lists: spelling, and the new values
        self.flags: list[tuple[str, str, str, float]] = []
        self.suggester: Any = None  # the category model, with --suggest-category
        # Whether the rows staged so far came in received order (as most exports do): then they are read
        # straight through at the end, not through an index.
        self.in_order = True
        self._last_received = ""
        stage.create(conn)

    # --- per file ----------------------------------------------------------------------------------------

    def file(self, path: Path, maps: list[ColumnMap]) -> None:
        wide = self.wide
        with open_table(path, Options(sheet=self.req.sheet, encoding=self.req.encoding)) as table:
            self.result.notes.extend(table.notes)
            if not table.columns:
                self.result.notes.append(f"{table.source} 没有内容")
                return
            plan = plan_columns(table.columns, maps, table.source)
            check_required(plan, table.source, received_given=wide.received_at is not None)
            self.result.notes.extend(phrase(f"{table.source}: ", *pieces(n)) for n in plan.notes)
            for message in plan.warnings:
                self._warn(table.source, None, "", message)
            table.on_new_column = plan.add_column
            self.sources.append(table.source)
            file_index = len(self.sources) - 1
            parser = RowParser(
                plan, self.session.now, wide, DateOrders(self.req.date_order, table.column_values)
            )
            batch: list[tuple[int, Sequence[Any], dict[str, Any]]] = []
            self.title_for_text = 0
            for number, cells in table.rows:
                self.result.rows += 1
                if isinstance(cells, BadRow):
                    bad = RowError(number, "", "", cells.message, cells.hint)
                    self._invalid(table, number, cells.cells, [bad])
                    continue
                parsed = parser.parse(number, cells)
                if not isinstance(parsed, list) and self.req.history:
                    parsed = check_row(number, parsed) or parsed  # as history: its rating, or why not
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
            if self.title_for_text:
                self._warn(
                    table.source, None, "", f"有 {self.title_for_text} 行诉求内容为空，用标题代替诉求内容"
                )

    def _warn(self, source: str, row: int | None, column: str, message: Phrase) -> None:
        if len(self.result.warnings) < MAX_REPORTED:
            self.result.warnings.append({"file": source, "row": row, "column": column, "message": message})

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
            why: list[Piece] = [f"第 {number} 行 "]
            for i, e in enumerate(errors):
                why += ["；"] if i else []
                why += [f"{e.column}: "] if e.column else []
                why += pieces(e.message)
            self.rejects.write(table.source, table.columns, cells, phrase(*why))

    def _label(self, file_index: int, row: int, source: str) -> str:
        where = self.sources[file_index]
        return f"第 {row} 行" if where == source else f"{where} 第 {row} 行"

    # --- per batch ---------------------------------------------------------------------------------------

    def _flush(
        self, table: Table, file_index: int, batch: list[tuple[int, Sequence[Any], dict[str, Any]]]
    ) -> None:
        if not batch:
            return
        label = partial(self._label, source=table.source)
        families = keys.families(self.conn, [fields["source_key"] for _, _, fields in batch], label)
        # In order, five to a row: the rows of a file in received order (as exports come) are then written
        # with rising ids, appended to the indexes on them rather than scattered through them.
        ids = sorted(new_ulids(5 * len(batch)))
        pending: list[dict[str, Any]] = []
        here: dict[str, list[dict[str, Any]]] = {}  # this batch's new rows by key (and alternatives)
        activity = self.req.activity
        for i, (number, cells, fields) in enumerate(batch):
            if fields["warnings"]:
                for column, message in fields["warnings"]:
                    self._warn(table.source, number, column, message)
            if fields["title_for_text"]:
                self.title_for_text += 1
            self.values.spell(fields)
            fields["activity_id"] = activity
            key = fields["source_key"]
            family = families.get(key)
            if key in here:
                family = [*(family or ()), *(keys.pending(f, label) for f in here[key])]
            if family:
                row_digest = keys.digest(fields)
                decision = keys.decide(family, fields, row_digest)
            else:
                decision = _NEW
            if decision.kind is Kind.NEW or decision.kind is Kind.OTHER:
                at = 5 * i
                fields["cid"], fields["file"], fields["row"] = ids[at], file_index, number
                fields["e_intake"], fields["e_assign"], fields["e_last"], fields["e_close"] = ids[
                    at + 1 : at + 5
                ]
                if decision.kind is Kind.OTHER:
                    self._other(table, number, fields, decision, family or [])
                pending.append(fields)
                if key in here:
                    here[key].append(fields)
                else:
                    here[key] = [fields]
            elif decision.kind is Kind.REPEAT:
                self._repeat(table, number, cells, key, decision)
            elif decision.kind is Kind.SKIP:
                if not self._close(decision.known, fields):
                    self.result.skipped_existing += 1
            else:
                self._update(table, number, decision, fields)
        if self.suggester is not None and pending:  # only the rows that become new cases
            self.result.suggested += fill_categories(self.suggester, pending)
        last = self._last_received
        for fields in pending:
            fields.setdefault("category_suggested", None)
            fields.setdefault("rating", None)  # the rating a history row is closed with
            received = fields["received_at"]
            if received < last:
                self.in_order = False
            last = received
        self._last_received = last
        self.values.note(pending)
        stage.add(self.conn, [_staged(f) for f in pending])

    def _other(
        self, table: Table, number: int, fields: dict[str, Any], decision: Decision, family: list[Known]
    ) -> None:
        """A different case under a known key: its own key, a flag naming the first case of that key."""
        first = decision.known
        assert first is not None
        key = fields["source_key"]
        fields["source_key"] = keys.alternative_key(key, keys.digest(fields), {k.key for k in family})
        self.flags.append((fields["cid"], first.case_id, "key", 100.0))
        self.result.same_key += 1
        column, what = _key_words(key, "受理时间、诉求内容、电话、姓名和地址")
        where = f"台账中的 {first.label} " if first.in_ledger else first.label
        message = f"{what}与{where}相同，但其他内容不同：{'作为新的一件导入' if first.in_ledger else '两行都已导入'}，本行标为疑似重复"
        self._warn(table.source, number, column, message)

    def _repeat(self, table: Table, number: int, cells: Sequence[Any], key: str, decision: Decision) -> None:
        assert decision.known is not None
        self.result.repeated += 1
        column, what = _key_words(key, "内容完全相同的行")
        message = f"{what}与{decision.known.label}重复，保留前面一行，本行未导入"
        self._warn(table.source, number, column, message)
        if self.rejects is not None:
            self.rejects.write(table.source, table.columns, cells, f"第 {number} 行 {message}")

    def _close(self, known: Known | None, fields: dict[str, Any]) -> bool:
        """With --history, a ledger case the row says is 办结 and an import left 待回访: closed (``updated``)."""
        closed = self.req.history and close(self.conn, known, fields, self.actor, self.recorded_at)
        self.result.updated += closed
        return closed

    def _update(self, table: Table, number: int, decision: Decision, fields: dict[str, Any]) -> None:
        known, facts = decision.known, decision.facts
        assert known is not None
        if known.in_ledger:
            facts = unrecorded(self.conn, known.case_id, facts)
            if not facts:
                if not self._close(known, fields):
                    self.result.skipped_existing += 1
                return
            for message in record_facts(self.conn, known, facts, self.actor, self.recorded_at):
                self._warn(table.source, number, "", message)
            if self.req.history:  # the resolution it brought closes it, as history
                close(self.conn, known, fields, self.actor, self.recorded_at)
            self.values.note_facts(facts)
        elif known.pending is not None:
            known.pending.update(facts)
        else:
            stage.fill(self.conn, known.ref, facts)
        if not known.in_ledger:
            known.unit = known.unit or facts.get("unit")
            known.assigned = known.assigned or bool(facts.get("unit"))
            known.concluded = known.concluded or bool(facts.get("resolved_at"))
            known.noted = bool(facts.get("note_at")) or known.noted
        self.result.updated += 1

    # --- at the end --------------------------------------------------------------------------------------

    def finish(self) -> None:
        result, conn = self.result, self.conn
        result.imported, result.resolved = stage.counts(conn)
        if result.imported:
            settings = self.session.settings
            finder = DuplicateFinder(conn, settings.duplicates_window_days, settings.duplicates_text_score)
            self.flags.extend(finder.sweep(stage.by_received(conn, self.in_order)))
            # Its window (the last weeks of cases, filed by their pieces) is let go before the writes below,
            # whose page caches would otherwise come on top of it.
            del finder
            if not self.req.history:
                result.suggest_history = suggestion(conn, self.session.now)
            bases = store.next_seqs(conn, self.office, stage.years(conn))
            after = search_index.last_case_pk(conn)
            paused = search_index.pause_indexing(conn)  # the new cases are indexed at once, once all are in
            stage.insert_cases(
                conn,
                self.office,
                self.actor,
                self.recorded_at,
                settings.intake_level,
                bases,
                self.in_order,
                history=self.req.history,
            )
            result.weak_replies = stage.weak_replies(conn)
            search_index.index_added(conn, after, paused)
            store.insert_flags(conn, [(*flag, self.recorded_at) for flag in self.flags])
            result.duplicates_flagged = len({flag[0] for flag in self.flags})
        result.new_values.update(self.values.save_new(conn, self.session.settings))
        stage.drop(conn)


_NEW = Decision(Kind.NEW)  # a row no known key stands for (never changed: shared by all of them)
_staged = itemgetter("source_key", *stage.STAGE_COLUMNS[1:])  # a new row's values for the staging table


def _key_words(key: str, hashed: str) -> tuple[str, str]:
    """(the column, how a message names the key): ``留言编号「37042」``; ``hashed`` for a row-content key."""
    label, value = source_keys.split(key)
    if label == "row" or value.startswith("row:"):
        return "", hashed
    return label, f"{label}「{value}」"
