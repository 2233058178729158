"""``wenzheng export --format parquet --output DIR``: the ledger's cases, events and activities as three tables
with a fixed, documented schema, for a district or a city to read many offices' exports together.

The schema is the same for every office and every version of a ledger (README, 「区、市汇总：Parquet 导出」):
the columns of each table, in order, with one of five kinds (``text``, ``int``, ``bool``, ``time`` — an
instant, ``json`` — JSON text). An event's payload members are columns of their own (``PAYLOAD``;
``Payloads`` says how a writer makes them); a member the schema does not name goes into ``payload_more``
(JSON), so nothing of an event is lost. The intake's ``seq`` (the case's number in its year) is
``case_seq``, apart from the event's own ``seq`` (recorded order).

Residents' names and phones and the personal columns an import kept (``extra``) are masked as every output
masks them (``domain.text``), unless ``show_pii``. The three tables are read in one read transaction
(``store.export.read_snapshot``) a batch at a time, and handed to the front end's writer (``write``) one
table at a time; each file is written to a temporary file beside its name and all three are renamed into
place only once all three are written, so DIR never holds half an export.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wenzheng_cli.core.session import Session
from wenzheng_cli.domain.text import mask_extra, mask_name, mask_phone
from wenzheng_cli.errors import WenzhengError, option, phrase
from wenzheng_cli.files import atomic_replace, check_output, write_error
from wenzheng_cli.store import export as store
from wenzheng_cli.store import export_arrow as arrow

Kind = str  # "text", "int", "bool", "time", "json"


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind


def _columns(spec: str) -> tuple[Column, ...]:
    """``"id:text number:text …"`` → columns."""
    return tuple(Column(*item.split(":")) for item in spec.split())


CASES = _columns(
    """
    id:text number:text office:text year:int seq:int status:text received_at:time description:text title:text
    channel:text category:text nature:text resident:text phone:text address:text community:text grid:text
    handler:text unit:text level:text due_at:time original_due_at:time difficulty:int round:int
    supervised:bool listed:bool assigned_at:time claimed_at:time resolved_at:time resolved_by:text
    outcome:text result:text feedback:text rating:text revisited_at:time closed_at:time withdrawn_at:time
    duplicate_of:text source_key:text extra:json category_suggested:bool history:bool updated_at:time
    activity_uid:text
    """
)
# The payload members of every action, as the commands and the import record them.
PAYLOAD = _columns(
    """
    number:text office:text year:int case_seq:int description:text title:text channel:text category:text
    category_suggested:bool nature:text resident:text phone:text address:text community:text grid:text
    difficulty:int activity_id:int source_key:text extra:json history:bool on_site:text
    handler:text unit:text level:text due_at:time previous_due_at:time reassign:bool
    outcome:text result:text reply_flags:json feedback:text rating:text effect:text method:text comment:text
    kind:text reason:text text:text acknowledgement:bool duplicate_of:text revokes:text undone:text
    changes:json imported:bool
    """
)
EVENTS = (
    *_columns(
        "seq:int id:text case_id:text action:text at:time recorded_at:time actor:text origin:text revoked:bool"
    ),
    *PAYLOAD,
    Column("payload_more", "json"),
)
ACTIVITIES = _columns(
    "id:int uid:text office:text title:text kind:text at:time community:text recorded_at:time actor:text"
)
FILES = ("cases.parquet", "events.parquet", "activities.parquet")
# Free text and JSON: their least and greatest values let a reader skip no row group, and each row has its own.
PROSE = frozenset(
    [
        "description",
        "title",
        "result",
        "address",
        "comment",
        "reason",
        "text",
        "extra",
        "changes",
        "reply_flags",
        "payload_more",
    ]
)
# Columns whose values are (nearly) each row's own: prose, ids, running numbers, phones and instants. A dictionary
# of them would hold nearly every row, and costs both time and size (README「大台账的导出要多久」).
DISTINCT = (
    PROSE
    | {"id", "number", "source_key", "case_id", "seq", "case_seq", "phone"}
    | {c.name for c in (*CASES, *EVENTS, *ACTIVITIES) if c.kind == "time"}
)

# The payload member each column holds, where the two names differ.
_MEMBER = {"case_seq": "seq"}
_MEMBERS = tuple(_MEMBER.get(c.name, c.name) for c in PAYLOAD)
_KNOWN = frozenset(_MEMBERS)
# Personal data, masked unless shown (the rule every output follows).
_PII: dict[str, Callable[[Any], Any]] = {"resident": mask_name, "phone": mask_phone, "extra": mask_extra}


@dataclass(frozen=True)
class Payloads:
    """How the events' payloads become their columns. A batch of events carries its payloads as stored
    (``"payload"``: JSON texts); ``flatten`` turns texts into the payload columns, masked, exactly as the schema
    says. A writer may read the texts with a faster JSON reader of its own instead, provided it gives what
    ``flatten`` gives: the ``scalar`` columns (text, numbers, flags, times: ``member`` names the payload member
    each holds) read as they are and then passed through ``masks``; the other columns (JSON members, and
    ``payload_more``) taken from ``flatten`` of the rows that hold any member outside ``scalar`` — or the whole
    batch from ``flatten`` when its reader refuses a value's type."""

    columns: tuple[Column, ...]
    scalar: tuple[Column, ...]
    member: Mapping[str, str]
    masks: Mapping[str, Callable[[Any], Any]]
    flatten: Callable[[Sequence[str]], dict[str, list[Any]]]
    # The column whose value says which members a payload has (the action): a reader may read alike ones together.
    kind: str | None = None


@dataclass(frozen=True)
class Table:
    """One table of an export: its file's name, its columns, and its rows a batch at a time, column by column
    (each batch maps every column's name to its values, masked; with ``payloads``, the payload columns come as
    the batch's ``"payload"`` texts), or as Arrow record batches (``in_arrow``)."""

    name: str
    columns: tuple[Column, ...]
    batches: Iterator[Any]
    payloads: Payloads | None = None
    # The batches are Arrow record batches (``store.export_arrow``): each column by its name, as SQLite holds
    # it (numbers for flags, text for times, the payloads as newline-ended texts), ``masks`` still to apply.
    in_arrow: bool = False
    masks: Mapping[str, Callable[[Any], Any]] = field(default_factory=dict)
    # What a writer may leave out: the statistics of ``prose`` columns, the dictionary of ``distinct`` ones.
    prose: frozenset[str] = PROSE
    distinct: frozenset[str] = DISTINCT


@dataclass(frozen=True)
class ExportFile:
    name: str
    rows: int
    bytes: int


@dataclass(frozen=True)
class ExportResult:
    output: str
    files: tuple[ExportFile, ...]


# What writes one table to a file (the front end's Parquet writer): the number of rows written.
Writer = Callable[[Path, Table], int]


def export(session: Session, output: str, *, show_pii: bool, force: bool, write: Writer) -> ExportResult:
    """Write the three tables into the folder ``output`` (made when missing); a folder that already holds one
    of them is refused unless ``force``, which replaces them. The tables are read straight into Arrow where
    the driver is installed (``store.export_arrow``), else (or when a value there fits no column) row by row."""
    folder = folder_for(output, force)
    conn = session.ledger.conn
    office = session.settings.office
    try:
        with arrow.arrow_tables(Path(session.ledger.path)) as source:
            counted = _write_all(
                folder,
                (
                    lambda: source.cases(_numbers(CASES)),
                    lambda: source.events(_numbers(EVENTS[:9])),
                    lambda: source.activities(_numbers(ACTIVITIES), office),
                ),
                show_pii,
                write,
                in_arrow=True,
            )
    except arrow.Unreadable:
        with store.read_snapshot(conn):
            counted = _write_all(
                folder,
                (
                    lambda: _cases(store.case_rows(conn), show_pii),
                    lambda: _events(store.event_rows(conn)),
                    lambda: _activities(store.activity_rows(conn), office),
                ),
                show_pii,
                write,
                in_arrow=False,
            )
    try:
        files = tuple(ExportFile(name, rows, (folder / name).stat().st_size) for name, rows in counted)
    except OSError as exc:
        raise write_error(folder, exc) from None
    return ExportResult(str(folder), files)


def _write_all(
    folder: Path,
    tables: tuple[Callable[[], Iterator[Any]], ...],
    show_pii: bool,
    write: Writer,
    *,
    in_arrow: bool,
) -> list[tuple[str, int]]:
    """Each table's batches (made when its turn comes) written to a temporary file beside its name; the three
    renamed into place once all three are written."""
    counted: list[tuple[str, int]] = []
    masks = {} if show_pii or not in_arrow else {name: mask for name, mask in _PII.items()}
    payloads = (None, _payloads(show_pii), None)
    with ExitStack() as renames:
        for name, columns, table, flat in zip(
            FILES, (CASES, EVENTS, ACTIVITIES), tables, payloads, strict=True
        ):
            temp = renames.enter_context(atomic_replace(folder / name))
            made = Table(
                name, columns, table(), flat, in_arrow=in_arrow, masks=masks if name == FILES[0] else {}
            )
            counted.append((name, write(temp, made)))
        # Leaving the stack renames each file into place, the last one first: all three are written by now.
    return counted


def _numbers(columns: Sequence[Column]) -> frozenset[str]:
    return frozenset(c.name for c in columns if c.kind in ("int", "bool"))


def folder_for(output: str, force: bool) -> Path:
    """The folder an export writes to, made if missing; refused when it is a file, or holds an earlier export and
    ``force`` is not given (also checked by a client before it sends an export to a server)."""
    if not output.strip():
        raise WenzhengError(
            "导出目录为空", hint=phrase("写出目录，如 ", option("output", "exports/2026-11-30"))
        )
    folder = Path(output).expanduser()
    if folder.exists() and not folder.is_dir():
        raise WenzhengError(
            f"{output} 是文件，不是目录",
            hint=phrase("写一个目录，如 ", option("output", f"{output}-parquet")),
        )
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise write_error(folder, exc) from None
    for name in FILES:
        path = check_output(folder / name)
        if path.exists() and not force:
            raise WenzhengError(
                f"{path} 已存在，未覆盖",
                hint=phrase(
                    "每次导出写到新目录（如带上日期），或加 ", option("force"), " 替换上次导出的三个文件"
                ),
            )
    return folder


def _bools(values: Sequence[Any]) -> list[bool | None]:
    return [None if v is None else bool(v) for v in values]


def _masked(values: Sequence[Any], name: str, show_pii: bool) -> list[Any]:
    if show_pii or name not in _PII:
        return list(values)
    mask = _PII[name]
    return [mask(v) for v in values]


def _cases(batches: Iterator[list[Any]], show_pii: bool) -> Iterator[dict[str, list[Any]]]:
    for rows in batches:
        batch: dict[str, list[Any]] = {}
        for column, values in zip(CASES, zip(*rows, strict=True), strict=True):
            batch[column.name] = (
                _bools(values) if column.kind == "bool" else _masked(values, column.name, show_pii)
            )
        yield batch


def _activities(batches: Iterator[list[Any]], office: str) -> Iterator[dict[str, list[Any]]]:
    names = [c.name for c in ACTIVITIES if c.name != "office"]
    for rows in batches:
        batch = {name: list(values) for name, values in zip(names, zip(*rows, strict=True), strict=True)}
        batch["office"] = [office] * len(rows)
        yield batch


def _events(batches: Iterator[list[Any]]) -> Iterator[dict[str, list[Any]]]:
    """The events' own columns, and their payloads as stored (``Payloads`` makes their columns)."""
    own = EVENTS[:9]
    for rows in batches:
        columns = list(zip(*rows, strict=True))
        batch: dict[str, list[Any]] = {}
        for column, values in zip(own, columns, strict=False):
            batch[column.name] = _bools(values) if column.kind == "bool" else list(values)
        batch["payload"] = list(columns[-1])
        yield batch


# Payload members that hold JSON objects or arrays rather than one value.
_OBJECTS = frozenset({"changes", "reply_flags"})


def _payloads(show_pii: bool) -> Payloads:
    return Payloads(
        columns=(*PAYLOAD, Column("payload_more", "json")),
        scalar=tuple(c for c in PAYLOAD if c.name not in _OBJECTS),
        member={c.name: m for c, m in zip(PAYLOAD, _MEMBERS, strict=True)},
        masks={} if show_pii else {_COLUMN[member]: mask for member, mask in _PII.items()},
        flatten=lambda texts: _payload_columns(texts, show_pii),
        kind="action",
    )


# The Python type each payload member's column holds (JSON text is a str); a value of another type is
# converted (``_fit``).
_TYPES: dict[str, type] = {
    member: {"int": int, "bool": bool}.get(column.kind, str)
    for member, column in zip(_MEMBERS, PAYLOAD, strict=True)
}
_COLUMN = dict(zip(_MEMBERS, (c.name for c in PAYLOAD), strict=True))
_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1  # what an ``int`` column holds


def _payload_columns(texts: Sequence[str], show_pii: bool) -> dict[str, list[Any]]:
    """The payloads of a batch as columns: each member in its own, what the schema does not name in
    ``payload_more``. The work goes by the members each payload has (a few), not by the columns (many)."""
    n = len(texts)
    slots: dict[str, list[Any]] = {member: [None] * n for member in _MEMBERS}
    more: list[str | None] = [None] * n
    loads, types, fit = json.loads, _TYPES, _fit
    for i, text in enumerate(texts):
        try:
            payload = loads(text)
        except ValueError:
            payload = {"payload": text}  # not JSON (check reports it): kept whole
        if not isinstance(payload, dict):
            payload = {"payload": payload}
        rest: dict[str, Any] | None = None
        for member, value in payload.items():
            slot = slots.get(member)
            if slot is None:
                rest = {} if rest is None else rest
                rest[member] = value
                continue
            if value is not None and type(value) is not types[member]:
                value = fit(member, value, show_pii)
            if type(value) is int and not _INT64_MIN <= value <= _INT64_MAX:  # no int64 holds it: kept whole
                rest = {} if rest is None else rest
                rest[member] = payload[member]
                continue
            slot[i] = value
        if rest is not None:
            more[i] = _more(rest, show_pii)
    if not show_pii:
        for member, mask in _PII.items():
            slots[member] = [v if v is None else mask(v) for v in slots[member]]
    found = {_COLUMN[member]: values for member, values in slots.items()}
    found["payload_more"] = more
    return found


def _fit(member: str, value: Any, show_pii: bool) -> Any:
    """A payload value of another type than its column's: an amend's changes (masked) or the kept columns
    as JSON text, a number or flag read as one where it can be, anything else as JSON text."""
    kind = _TYPES[member]
    if member == "changes":
        return _json(_changes(value, show_pii))
    if kind is bool:
        return bool(value)
    if kind is int:
        try:
            return int(value)
        except (TypeError, ValueError, OverflowError):
            return None
    return _json(value)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _changes(value: Any, show_pii: bool) -> Any:
    """An amend's ``{field: {old, new}}``, names, phones and kept columns masked on both sides."""
    if show_pii or not isinstance(value, dict):
        return value
    return {
        name: (
            {side: _PII[name](v) if name in _PII else v for side, v in change.items()}
            if isinstance(change, dict)
            else change
        )
        for name, change in value.items()
    }


def _more(rest: dict[str, Any], show_pii: bool) -> str:
    if not show_pii:
        rest = {key: _PII[key](value) if key in _PII else value for key, value in rest.items()}
    return _json(rest)
