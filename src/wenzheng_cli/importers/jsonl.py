"""JSON Lines: one JSON object per line; its keys are the header. Keys first seen later become new columns."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from wenzheng_cli.errors import WenzhengError
from wenzheng_cli.importers.base import BadRow, Options, Row, Table

LINE_HINT = '每行写一个 JSON 对象，如 {"受理时间": "2026-11-17", "诉求内容": "路灯不亮"}'


class JsonLinesImporter:
    name = "jsonl"

    def identify(self, path: Path, head: bytes) -> bool:
        if path.suffix.lower() in (".jsonl", ".ndjson"):
            return True
        return path.suffix.lower() == ".json" and head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")

    @contextmanager
    def extract(self, path: Path, options: Options) -> Iterator[Table]:
        encoding = options.encoding or "utf-8-sig"
        with path.open("rb") as raw:
            lines = _lines(raw, encoding, path.name)
            columns: list[str] = []
            first: list[tuple[int, dict[str, Any] | BadRow]] = []
            for number, line in lines:
                row = _parse(number, line)
                first.append(row)
                if isinstance(row[1], dict):
                    columns = [str(k) for k in row[1]]
                    break
            if not columns and first:
                number, bad = first[0]
                reason = bad.message if isinstance(bad, BadRow) else "没有任何列"
                raise WenzhengError(
                    f"{path.name} 第 {number} 行: {reason}；文件中没有一个 JSON 对象", hint=LINE_HINT
                )
            table = Table(source=path.name, columns=list(columns), rows=iter(()), total=path.stat().st_size)
            table.done = raw.tell
            table.rows = _aligned(table, first, lines)
            yield table


def _lines(raw: Any, encoding: str, source: str) -> Iterator[tuple[int, str]]:
    for number, data in enumerate(raw, start=1):
        try:
            line = data.decode(encoding if number == 1 else encoding.replace("-sig", ""))
        except UnicodeDecodeError:
            raise WenzhengError(
                f"{source} 第 {number} 行无法按 {encoding} 读取", hint="JSON Lines 应为 UTF-8 编码"
            ) from None
        if line.strip():
            yield number, line


def _parse(number: int, line: str) -> tuple[int, dict[str, Any] | BadRow]:
    try:
        value = json.loads(line)
    except json.JSONDecodeError as exc:
        return number, BadRow(f"不是有效的 JSON（第 {exc.colno} 个字符处）", LINE_HINT)
    if not isinstance(value, dict):
        return number, BadRow("这一行不是 JSON 对象", LINE_HINT)
    return number, value


def _aligned(
    table: Table, first: list[tuple[int, dict[str, Any] | BadRow]], lines: Iterator[tuple[int, str]]
) -> Iterator[Row]:
    index = {name: i for i, name in enumerate(table.columns)}

    def rows() -> Iterator[tuple[int, dict[str, Any] | BadRow]]:
        yield from first
        for number, line in lines:
            yield _parse(number, line)

    for number, value in rows():
        if not isinstance(value, dict):
            yield number, value
            continue
        cells: list[Any] = [None] * len(index)
        for key, cell in value.items():
            position = index.get(key)
            if position is None:
                position = index[key] = len(table.columns)
                table.columns.append(key)
                if table.on_new_column is not None:
                    table.on_new_column(key)
                cells.extend([None] * (position + 1 - len(cells)))
            cells[position] = cell
        yield number, cells
