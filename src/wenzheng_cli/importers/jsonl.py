"""JSON Lines: one JSON object per line; its keys are the header. Keys first seen later become new columns.

Lines are read with a bound (:data:`limits.MAX_RECORD` bytes), so a file without line breaks ends with an
error naming the limit. A line that is not a record — bad JSON, not an object, a key given twice, nested too
deep — is that row's error; the other rows go on.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO

from wenzheng_cli.errors import WenzhengError, phrase, pieces
from wenzheng_cli.importers import jsondoc  # a module: each of the two reads the other's
from wenzheng_cli.importers.base import BadRow, Options, Table
from wenzheng_cli.importers.limits import LINE_HINT, MAX_DEPTH, MAX_RECORD
from wenzheng_cli.importers.records import Scan, aligned, record_problem, scanner

LINE_HINT_JSON = '每行写一个 JSON 对象，如 {"受理时间": "2026-11-17", "诉求内容": "路灯不亮"}'
SUFFIXES = (".jsonl", ".ndjson")


class JsonLinesImporter:
    name = "jsonl"

    def identify(self, path: Path, head: bytes) -> bool:
        return path.suffix.lower() in SUFFIXES or jsondoc.json_shape(path, head) == "lines"

    @contextmanager
    def extract(self, path: Path, options: Options) -> Iterator[Table]:
        encoding = options.encoding or "utf-8-sig"
        scan = scanner()
        with path.open("rb") as raw:
            lines = _lines(raw, encoding, path.name)
            columns: list[str] = []
            first: list[tuple[int, dict[str, Any] | BadRow]] = []
            for number, line in lines:
                value = parse(line, scan)
                first.append((number, value))
                if isinstance(value, dict):
                    columns = [str(k) for k in value]
                    break
            if not columns and first:
                number, bad = first[0]
                reason = bad.message if isinstance(bad, BadRow) else "没有任何列"
                raise WenzhengError(
                    phrase(f"{path.name} 第 {number} 行: ", *pieces(reason), "；文件中没有一条可读的记录"),
                    hint=LINE_HINT_JSON,
                )
            table = Table(source=path.name, columns=columns, rows=iter(()), total=path.stat().st_size)
            table.done = raw.tell
            table.rows = aligned(table, _checked(first, lines, scan))
            yield table


def _lines(raw: BinaryIO, encoding: str, source: str) -> Iterator[tuple[int, str]]:
    number = 0
    while True:
        data = raw.readline(MAX_RECORD)
        if not data:
            return
        number += 1
        if len(data) == MAX_RECORD and not data.endswith(b"\n"):
            raise WenzhengError(f"{source} 第 {number} 行超过 {MAX_RECORD} 字节仍未换行", hint=LINE_HINT)
        try:
            line = data.decode(encoding if number == 1 else encoding.replace("-sig", ""))
        except UnicodeDecodeError:
            raise WenzhengError(
                f"{source} 第 {number} 行无法按 {encoding} 读取", hint="JSON Lines 应为 UTF-8 编码"
            ) from None
        if line.strip():
            yield number, line


def parse(line: str, scan: Scan) -> dict[str, Any] | BadRow:
    """One line as a record, or why it is not one."""
    start = len(line) - len(line.lstrip())
    try:
        value, end = scan(line, start)
    except RecursionError:
        return BadRow(f"嵌套太深（一条记录内最多 {MAX_DEPTH} 层）", LINE_HINT_JSON)
    except StopIteration:
        return BadRow("不是有效的 JSON（第 1 个字符处）", LINE_HINT_JSON)
    except ValueError as exc:  # JSONDecodeError is one
        column = getattr(exc, "colno", None)
        where = f"（第 {column} 个字符处）" if column else ""
        return BadRow(f"不是有效的 JSON{where}", LINE_HINT_JSON)
    if line[end:].strip():
        return BadRow(f"不是有效的 JSON（第 {end + 1} 个字符后还有内容）", LINE_HINT_JSON)
    if not isinstance(value, dict):
        return BadRow("这一行不是 JSON 对象", LINE_HINT_JSON)
    problem = record_problem(value, LINE_HINT_JSON, len(line))
    return problem if problem is not None else value


def _checked(
    first: list[tuple[int, dict[str, Any] | BadRow]], lines: Iterator[tuple[int, str]], scan: Scan
) -> Iterator[tuple[int, dict[str, Any] | BadRow]]:
    yield from first
    for number, line in lines:
        yield number, parse(line, scan)
