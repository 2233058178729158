"""JSON records (from JSON Lines, a JSON array, a JSON object of records) → cells under a growing header.

Shared by both JSON importers: one decoder (long integers kept as text, keys given twice caught), one check of
a record's shape (nesting depth, cell length), and the alignment of records whose keys differ from one record
to the next: a key first seen later becomes a new column.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

from wenzheng_cli.importers.base import BadRow, Row, Table
from wenzheng_cli.importers.limits import (
    MAX_CELL,
    MAX_COLUMNS,
    MAX_DEPTH,
    json_int,
    long_cell_message,
    too_wide,
)

Scan = Callable[[str, int], tuple[Any, int]]


class Twice(dict[str, Any]):
    """A JSON object that named a key more than once (the decoder keeps the last value; we say so)."""

    twice: list[str]


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    value = dict(pairs)
    if len(value) == len(pairs):
        return value
    marked = Twice(value)
    seen: set[str] = set()
    marked.twice = [k for k, _ in pairs if k in seen or seen.add(k)]  # type: ignore[func-returns-value]
    return marked


def scanner() -> Scan:
    """The C scanner of a decoder that keeps long integers as text and marks keys given twice:
    ``scan(text, index) -> (value, end)``; raises ``StopIteration`` when no value starts at ``index`` and
    ``ValueError`` (``JSONDecodeError``) when one starts but is broken or cut short."""
    decoder = json.JSONDecoder(parse_int=json_int, object_pairs_hook=_pairs)
    scan: Scan = getattr(decoder, "scan_once")  # noqa: B009 - set in __init__, not in the type stubs
    return scan


def record_problem(value: Any, hint: str, size: int) -> BadRow | None:
    """Why a decoded record cannot be a row: not an object, a key twice, nested too deep, a cell too long.
    None when fine. ``size`` is the length of the record's JSON text: no cell of a shorter one can be long."""
    if not isinstance(value, dict):
        return BadRow("这一条不是 JSON 对象（记录）", hint)
    if isinstance(value, Twice):
        keys = "、".join(f"「{k}」" for k in value.twice[:3])
        return BadRow(f"键{keys}出现了不止一次，无法确定用哪一个值", "每个键在一条记录里只写一次")
    for key, cell in value.items():
        if isinstance(cell, (dict, list)) and _depth(cell) > MAX_DEPTH:
            return BadRow(f"嵌套太深（一条记录内最多 {MAX_DEPTH} 层）", "记录的值应是文字、数字或浅层的列表")
        if size > MAX_CELL and type(cell) is str and len(cell) > MAX_CELL:
            return BadRow(*long_cell_message(f"「{key}」"))
    return None


def _depth(value: Any) -> int:
    """Nesting depth of ``value`` (1 for a flat list or object), counted without recursion, up to the limit."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, level = stack.pop()
        if level > deepest:
            deepest = level
            if deepest > MAX_DEPTH:
                return deepest
        if isinstance(item, Twice):
            return MAX_DEPTH + 1  # a key twice inside a record: as unusable as too deep
        children = item.values() if isinstance(item, dict) else item
        stack.extend((c, level + 1) for c in children if isinstance(c, (dict, list)))
    return deepest


def aligned(table: Table, records: Iterator[tuple[int, dict[str, Any] | BadRow]]) -> Iterator[Row]:
    """Records as cells in the order of ``table.columns``; a key seen for the first time adds a column."""
    index = {name: i for i, name in enumerate(table.columns)}
    usual = tuple(table.columns)  # a record with exactly these keys, in this order, needs no placing
    for number, value in records:
        if not isinstance(value, dict):
            yield number, value
            continue
        if tuple(value) == usual:
            yield number, list(value.values())
            continue
        cells: list[Any] = [None] * len(index)
        for key, cell in value.items():
            position = index.get(key)
            if position is None:
                if len(table.columns) >= MAX_COLUMNS:
                    raise too_wide(table.source, len(table.columns) + 1, "的记录合起来")
                position = index[key] = len(table.columns)
                table.columns.append(key)
                usual = tuple(table.columns)
                if table.on_new_column is not None:
                    table.on_new_column(key)
                cells.extend([None] * (position + 1 - len(cells)))
            cells[position] = cell
        yield number, cells
