"""The Parquet writer of ``export`` (pyarrow, the optional extra ``parquet``), and what the command shows.

pyarrow is imported here only, when ``export`` runs: every other command loads nothing of it, and a ledger
without the extra installed answers ``export`` in one line naming the extra. Each table comes a batch at a
time (``core.export.Table``) and is gathered as Arrow data into row groups of about ``ROW_GROUP`` rows,
compressed with zstd: memory holds a few batches and two row groups (one gathered while the other is
written), not the ledger. Columns are dictionary-encoded and carry their least and greatest values, except
where ``core.export`` says neither would serve (``Table.distinct``, ``Table.prose``). The column kinds of
``core.export`` map to Parquet types: text and JSON text as strings, ``int`` as int64, ``bool`` as boolean,
``time`` as a UTC-adjusted timestamp in microseconds (an instant: the ledger's ``+08:00`` times read back as
the same moments in any warehouse).
"""

from __future__ import annotations

import functools
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wenzheng_cli.core.export import Column, ExportResult, Payloads, Table, Writer
from wenzheng_cli.domain.clock import TZ
from wenzheng_cli.domain.jsonvalue import JsonValue
from wenzheng_cli.domain.text import (
    CHINESE,
    MOBILE_DIGITS,
    MOBILE_HEAD,
    MOBILE_STARS,
    MOBILE_TAIL,
    mask_name,
    mask_phone,
)
from wenzheng_cli.errors import WenzhengError

if TYPE_CHECKING:
    from rich.console import Console

EXTRA = "parquet"
COMPRESSION = "zstd"
ROW_GROUP = 100_000
CONVERTED_AHEAD = 3  # batches converted ahead of the writer (about 10,000 rows each)
FEW = 20  # a kind of payload with fewer than one row in this many of a batch is read with the others few
EMPTY = "{}\n"  # an empty payload, as read (ended by a newline)
CONVERTERS = 2  # threads converting them: parsing the payloads lets go of Python's lock


def parquet_writer() -> Writer:
    """The writer, or the one-line refusal that names the extra to install when pyarrow is missing."""
    try:
        import pyarrow
        import pyarrow.parquet  # noqa: F401
    except ImportError:
        raise WenzhengError(
            f"导出 Parquet 需要可选组件 {EXTRA}，请先安装: pip install 'wenzheng[{EXTRA}]'"
        ) from None
    return write_table


def write_table(path: Path, table: Table) -> int:
    """Write ``table`` to ``path`` as Parquet; the number of rows written. The batches are gathered as Arrow
    data (compact) into row groups of about ``ROW_GROUP`` rows, the size readers scan well. Each batch is made
    into the schema's arrays by ``CONVERTERS`` threads (``CONVERTED_AHEAD`` at most ahead of the writer), and
    each row group is written by a thread of its own while the next is gathered: Arrow's JSON reader and its
    writer let go of Python's lock, so reading, converting and writing overlap, in order."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([pa.field(c.name, _type(pa, c)) for c in table.columns])
    convert = _from_arrow if table.in_arrow else _from_lists

    def converted(batch: Any) -> Any:
        arrays = convert(pa, batch, table)
        return pa.RecordBatch.from_arrays([arrays[c.name] for c in table.columns], schema=schema)

    rows = 0
    pending: list[Any] = []
    ahead: deque[Future[Any]] = deque()
    writing: Future[Any] | None = None
    with (
        pq.ParquetWriter(
            path,
            schema,
            compression=COMPRESSION,
            use_dictionary=[c.name for c in table.columns if c.name not in table.distinct],
            write_statistics=[c.name for c in table.columns if c.name not in table.prose],
        ) as writer,
        ThreadPoolExecutor(CONVERTERS) as pool,
        ThreadPoolExecutor(1) as writes,  # shut down, its last row group written, before the writer closes
    ):

        def write(batches: list[Any]) -> None:
            nonlocal writing
            if writing is not None:
                writing.result()  # one row group at a time, in order; a failed write raises here
            group = pa.Table.from_batches(batches, schema=schema)
            writing = writes.submit(writer.write_table, group, row_group_size=ROW_GROUP)

        def take(done: Future[Any]) -> None:
            nonlocal pending, rows
            pending.append(done.result())
            rows += pending[-1].num_rows
            if sum(b.num_rows for b in pending) >= ROW_GROUP:
                write(pending)
                pending = []

        for batch in table.batches:  # read here, in this thread: the source is a generator
            ahead.append(pool.submit(converted, batch))
            if len(ahead) > CONVERTED_AHEAD:
                take(ahead.popleft())
        while ahead:
            take(ahead.popleft())
        if pending:
            write(pending)
        if writing is not None:
            writing.result()
    return rows


def _from_lists(pa: Any, batch: dict[str, list[Any]], table: Table) -> dict[str, Any]:
    """A batch of Python values (``core.export``: masked, the payloads as texts) as Arrow arrays."""
    arrays: dict[str, Any] = {}
    if table.payloads:
        texts = pa.array([text + "\n" for text in batch.pop("payload")], type=pa.string())
        kind = table.payloads.kind
        kinds = pa.array(batch[kind], type=pa.string()) if kind else None
        arrays = _payload_arrays(pa, texts, table.payloads, kinds)
    for c in table.columns:
        if c.name not in arrays:
            arrays[c.name] = _array(pa, batch[c.name], c)
    return arrays


def _from_arrow(pa: Any, batch: Any, table: Table) -> dict[str, Any]:
    """An Arrow record batch (``store.export_arrow``: as SQLite holds the values) as the schema's arrays:
    flags from numbers, times from text, the masks applied."""
    spec = table.payloads
    kinds = batch.column(spec.kind) if spec and spec.kind else None
    arrays = _payload_arrays(pa, batch.column("payload"), spec, kinds) if spec else {}
    for c in table.columns:
        if c.name not in arrays:
            array = batch.column(c.name)
            mask = table.masks.get(c.name)
            if mask is not None:
                array = _masked(pa, array, mask)
            arrays[c.name] = _times(pa, array) if c.kind == "time" else array.cast(_type(pa, c))
    return arrays


def _masked(pa: Any, array: Any, mask: Any) -> Any:
    """Each value of ``array`` that is there passed through ``mask``, in its place (as text): the usual values
    of a name or a phone masked by Arrow (``_USUAL``), the others by ``mask`` itself."""
    import pyarrow.compute as pc

    if array.null_count == len(array):
        return array
    text = array.cast(pa.string())
    usual = _USUAL.get(mask)
    if usual is None:
        rest, shown = pc.is_valid(text), text
    else:
        pattern, show = usual
        hit = pc.fill_null(pc.match_substring_regex(text, pattern), False)
        shown = pc.if_else(hit, show(pc, text), text)
        rest = pc.and_(pc.is_valid(text), pc.invert(hit))
        if not pc.any(rest).as_py():
            return shown
    masked = pa.array([mask(v) for v in pc.filter(text, rest).to_pylist()], type=pa.string())
    return pc.replace_with_mask(shown, rest, masked)


def _phone_shown(pc: Any, text: Any) -> Any:
    head = pc.utf8_slice_codeunits(text, 0, MOBILE_HEAD)
    tail = pc.utf8_slice_codeunits(text, MOBILE_DIGITS - MOBILE_TAIL, MOBILE_DIGITS)
    return pc.binary_join_element_wise(head, MOBILE_STARS, tail, "")


def _name_shown(pc: Any, text: Any) -> Any:
    stars = pc.if_else(pc.greater(pc.utf8_length(text), 2), "**", "*")
    return pc.binary_join_element_wise(pc.utf8_slice_codeunits(text, 0, 1), stars, "")


# The usual value of a masked column (the pattern it matches) masked by Arrow, in C++ and without Python's lock,
# a million names and phones in a street's export; any other through the mask itself. Tests hold both ways
# equal (``tests/test_export_parquet.py``), as ``store.case_text`` does the same in SQL.
_USUAL: dict[Any, tuple[str, Any]] = {
    mask_phone: (f"^[0-9]{{{MOBILE_DIGITS}}}$", _phone_shown),  # 138****5678
    mask_name: (f"^[{CHINESE}]{{2,}}$", _name_shown),  # 李*, 王**
}


def _texts(array: Any) -> list[Any]:
    """The payload texts of ``array`` as Python strings, without the newline that ends each."""
    return [text if text is None else text[:-1] for text in array.to_pylist()]


def _type(pa: Any, column: Column) -> Any:
    kind = column.kind
    if kind == "int":
        return pa.int64()
    if kind == "bool":
        return pa.bool_()
    if kind == "time":
        return pa.timestamp("us", tz="UTC")
    return pa.string()


def _array(pa: Any, values: list[Any], column: Column) -> Any:
    if column.kind != "time":
        return pa.array(values, type=_type(pa, column))
    return _times(pa, pa.array(values, type=pa.string()))


def _times(pa: Any, texts: Any) -> Any:
    """ISO times with their offset as instants (the fast cast), else each read on its own (``_instant``)."""
    kind = pa.timestamp("us", tz="UTC")
    try:
        return texts.cast(kind)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return pa.array([_instant(v) for v in texts.to_pylist()], type=kind)


def _payload_arrays(pa: Any, texts: Any, spec: Payloads, kinds: Any = None) -> dict[str, Any]:
    """The payload columns of a batch (``texts``: an Arrow array of the payloads, each ended by a newline):
    read by Arrow's JSON reader where it can (``core.export.Payloads`` says how), from ``spec.flatten`` where it
    cannot. ``kinds`` (an Arrow array, one value per payload: the events' actions) says which payloads have
    the same members."""
    import pyarrow.compute as pc
    import pyarrow.json as pj

    # Each member read as the type JSON gives it (a batch's reader holds only the members the batch has: a
    # schema of every member costs three times as much), the times kept as text (not read as timestamps
    # without their offset); a member of another type than its column's sends the batch to ``flatten``.
    read_as = {spec.member[c.name]: (pa.string() if c.kind == "time" else _type(pa, c)) for c in spec.scalar}
    times = pa.schema([pa.field(spec.member[c.name], pa.string()) for c in spec.scalar if c.kind == "time"])
    try:
        parsed = _read_alike(
            pa, texts, kinds, pj.ParseOptions(explicit_schema=times, unexpected_field_behavior="infer")
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
        parsed = None
    if (
        parsed is None
        or parsed.num_rows != len(texts)
        or texts.null_count
        or any(
            field.name in read_as and field.type not in (read_as[field.name], pa.null())
            for field in parsed.schema
        )
    ):
        flat = spec.flatten(_texts(texts))
        return {c.name: _array(pa, flat[c.name], c) for c in spec.columns}
    arrays: dict[str, Any] = {}
    present = set(parsed.column_names)
    for c in spec.scalar:
        member = spec.member[c.name]
        if member in present:
            array = parsed.column(member).combine_chunks().cast(read_as[member])
        else:
            array = pa.nulls(len(texts), type=read_as[member])
        mask = spec.masks.get(c.name)
        if mask is not None:  # each value there masked, in its place
            array = _masked(pa, array, mask)
        arrays[c.name] = _times(pa, array) if c.kind == "time" else array
    # The rows holding a member outside the scalar columns (a JSON member, or one the schema does not name):
    # each name found as a key in the text (a superset at worst, read exactly by flatten).
    keys = [f'"{name}":' for name in present if name not in read_as]
    rows: list[int] = []
    if keys:
        holding = pc.match_substring(texts, keys[0])
        for key in keys[1:]:
            holding = pc.or_(holding, pc.match_substring(texts, key))
        rows = pc.indices_nonzero(holding).to_pylist()
    flat = spec.flatten(_texts(texts.take(pa.array(rows, type=pa.int64())))) if rows else {}
    for c in spec.columns:
        if c.name not in arrays:
            values: list[Any] = [None] * len(texts)
            for i, value in zip(rows, flat.get(c.name, ()), strict=False):
                values[i] = value
            arrays[c.name] = _array(pa, values, c)
    return arrays


def _read_alike(pa: Any, texts: Any, kinds: Any, options: Any) -> Any:
    """The payloads read by Arrow's JSON reader, one read for the payloads of each kind (``kinds``), then put
    back in their order. The payloads of one action have the same few members; a batch of every action makes
    each row a null in most of some forty columns, which costs the reader twice as much
    (README「大台账的导出要多久」). Each read costs a fixed part too, so the kinds a batch holds few of
    (``FEW``: escalations, extensions…) are read together, and empty payloads (``{}``: a claim) are not read:
    their rows are nulls. A member of two types in two kinds raises as one read would."""
    import pyarrow.compute as pc

    if kinds is None or kinds.null_count:
        return _read(pa, texts, options)
    empty = pc.equal(texts, EMPTY)
    if pc.all(empty).as_py():
        return _read(pa, texts, options)
    groups: list[Any] = []
    few: list[Any] = []
    filled = pc.invert(empty)
    counts = pc.value_counts(pc.filter(kinds, filled))
    for kind, count in zip(counts.field("values"), counts.field("counts").to_pylist(), strict=True):
        rows = pc.and_(pc.equal(kinds, kind), filled)
        (few if count * FEW < len(texts) else groups).append(rows)
    if few:
        groups.append(functools.reduce(pc.or_, few))
    if len(groups) == 1 and not pc.any(empty).as_py():
        return _read(pa, texts, options)
    rows = [pc.indices_nonzero(group) for group in groups]
    parsed = pa.concat_tables(
        [_read(pa, texts.take(part), options) for part in rows], promote_options="default"
    )
    return parsed.combine_chunks().take(_placed(pa, rows, len(texts)))


def _placed(pa: Any, rows: list[Any], count: int) -> Any:
    """Where each of ``count`` rows is among the ``rows`` read one part after another: its index in what they
    made, or null for a row none of them holds (an empty payload, read as a row of nulls by ``take``)."""
    import numpy as np

    where = np.full(count, -1, dtype=np.int64)
    read = pa.chunked_array(rows, type=pa.uint64()).combine_chunks().to_numpy()
    where[read] = np.arange(len(read), dtype=np.int64)
    return pa.array(where, mask=where < 0)


def _read(pa: Any, texts: Any, options: Any) -> Any:
    """``texts`` (each ended by a newline) read by Arrow's JSON reader in one block, in this thread."""
    import pyarrow.json as pj

    data = _joined(pa, texts)
    return pj.read_json(
        pa.BufferReader(data),
        read_options=pj.ReadOptions(use_threads=False, block_size=max(1 << 20, data.size + 1)),
        parse_options=options,
    )


def _joined(pa: Any, texts: Any) -> Any:
    """The texts of an Arrow string array as one buffer, without copying them: newline-delimited JSON, as
    each ends with a newline."""
    offsets = pa.Array.from_buffers(
        pa.int32(), len(texts) + 1, [None, texts.buffers()[1]], offset=texts.offset
    )
    start, end = offsets[0].as_py(), offsets[len(texts)].as_py()
    return texts.buffers()[2].slice(start, end - start)


def _instant(value: Any) -> datetime | None:
    """A time the fast cast could not read (no offset, a date alone): read as Beijing time; None if no time."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=TZ)


@dataclass(frozen=True)
class ExportedFile(JsonValue):
    name: str
    rows: int
    bytes: int


@dataclass(frozen=True)
class ExportView(JsonValue):
    """``export``: the folder and each file written, with its rows and size."""

    output: str
    files: tuple[ExportedFile, ...]

    @classmethod
    def of(cls, result: ExportResult) -> ExportView:
        return cls(result.output, tuple(ExportedFile(f.name, f.rows, f.bytes) for f in result.files))

    def show(self, out: Console) -> None:
        out.print(f"已导出到 {self.output}", markup=False, soft_wrap=True)
        for f in self.files:
            out.print(f"  {f.name}: {f.rows} 行，{_size(f.bytes)}", markup=False, soft_wrap=True)


def _size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB"
    return f"{size / 1024:.0f} KB"
