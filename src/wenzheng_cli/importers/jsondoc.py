"""JSON documents of records: an array of objects ``[{…}, {…}]`` or an object whose values are records
``{"2549": {…}, "2554": {…}}`` (the key becomes the ``key`` column when the records do not name one).

Streamed: the file is read in blocks and each record is decoded on its own with the standard library's C
decoder (``raw_decode``), so memory holds one record at a time however long the file
(``benchmarks/read_formats.py`` measures this against ijson and a whole-file ``json.load``). A record is
bounded (:data:`limits.MAX_RECORD` characters, nesting, long integers kept as text); rows are numbered by
record, the first record being row 1.

Which JSON a file holds is read from its content (:func:`json_shape`), not only its name: a ``.json`` file may
be JSON Lines, and a file named otherwise may be JSON.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO, Literal, NoReturn

from wenzheng_cli.errors import WenzhengError
from wenzheng_cli.importers import jsonl  # a module: each of the two reads the other's
from wenzheng_cli.importers.base import BadRow, Options, Table
from wenzheng_cli.importers.limits import MAX_DEPTH, MAX_RECORD
from wenzheng_cli.importers.records import aligned, record_problem, scanner

BLOCK = 256 * 1024
KEY_COLUMN = "key"
SHAPE_HINT = (
    '写成记录的数组 [{"受理时间": "2026-11-17", "诉求内容": "路灯不亮"}, …]、以编号为键的对象 {"2549": {…}}，'
    "或每行一个对象的 JSON Lines"
)
TEXT_SUFFIXES = (".csv", ".tsv", ".tab", ".txt")
_SPACE = re.compile(r"[ \t\r\n]*")
_PLAIN_KEY = re.compile(r'[ \t\r\n]*"([^"\\\x00-\x1f]*)"[ \t\r\n]*:[ \t\r\n]*')
_COMMA = re.compile(r"[ \t\r\n]*,[ \t\r\n]*")
_BOM_AND_SPACE = b"\xef\xbb\xbf \t\r\n"


def json_shape(path: Path, head: bytes) -> Literal["lines", "document"] | None:
    """``document`` (one JSON value: an array or an object of records), ``lines`` (JSON Lines) or None."""
    start = head.lstrip(_BOM_AND_SPACE)[:1]
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES or (start not in (b"[", b"{") and suffix != ".json"):
        return None
    if start != b"{":
        return "document"  # an array, or a .json file that its reader will say is not records
    try:
        with path.open("rb") as raw:
            first = raw.readline(MAX_RECORD).decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return "lines"  # its reader says what is wrong
    value = jsonl.parse(first, scanner())
    if isinstance(value, BadRow):
        return "document"  # an object over several lines
    records = value.values()
    return "document" if records and all(isinstance(v, dict) for v in records) else "lines"


class JsonDocumentImporter:
    name = "json"

    def identify(self, path: Path, head: bytes) -> bool:
        return json_shape(path, head) == "document"

    @contextmanager
    def extract(self, path: Path, options: Options) -> Iterator[Table]:
        with path.open("rb") as raw:
            stream = _Stream(raw, options.encoding or "utf-8-sig", path.name)
            items = _items(stream)
            first: list[tuple[int, dict[str, Any] | BadRow]] = []
            columns: list[str] = []
            for number, key, value in items:
                if number == 1 and not isinstance(value, dict):
                    raise stream.not_records(key, value)
                first.append((number, _record(key, value, stream.size)))
                if isinstance(value, dict):
                    columns = [str(k) for k in value]
                    if key is not None and KEY_COLUMN not in value:
                        columns.append(KEY_COLUMN)
                    break
            table = Table(source=path.name, columns=columns, rows=iter(()), total=path.stat().st_size)
            table.done = raw.tell
            table.rows = aligned(table, _records(first, items, stream))
            yield table


def _record(key: str | None, value: Any, size: int) -> dict[str, Any] | BadRow:
    problem = record_problem(value, SHAPE_HINT, size)
    if problem is not None:
        return problem
    record: dict[str, Any] = value
    if key is not None and KEY_COLUMN not in record:
        record[KEY_COLUMN] = key
    return record


def _records(
    first: list[tuple[int, dict[str, Any] | BadRow]],
    items: Iterator[tuple[int, str | None, Any]],
    stream: _Stream,
) -> Iterator[tuple[int, dict[str, Any] | BadRow]]:
    yield from first
    for number, key, value in items:
        yield number, _record(key, value, stream.size)


def _items(stream: _Stream) -> Iterator[tuple[int, str | None, Any]]:
    """(record number, key or None, value) for each item of the top-level array or object."""
    opening = stream.peek()
    if opening not in ("[", "{"):
        raise stream.not_records(None, None)
    stream.pos += 1
    closing = "]" if opening == "[" else "}"
    number = 0
    if stream.peek() == closing:
        stream.pos += 1
    else:
        while True:
            number += 1
            key: str | None = None
            if opening == "{":
                key = stream.key(number)
            yield number, key, stream.value(number)
            # The common case in one step: the comma after an item, with the blanks around it.
            found = _COMMA.match(stream.buf, stream.pos)
            if found is not None and found.end() < len(stream.buf):
                stream.pos = found.end()
                continue
            if stream.peek() == closing:
                stream.pos += 1
                break
            stream.expect(",", number)
    if stream.peek() != "":
        raise stream.syntax(number, "数据结束后还有多余的内容")


class _Stream:
    """The text of a JSON file in blocks, with one item decoded at a time. ``buf[pos:]`` is still unread."""

    def __init__(self, raw: BinaryIO, encoding: str, source: str) -> None:
        self.raw = raw
        self.source = source
        self.encoding = encoding
        self.decode = codecs.getincrementaldecoder(encoding)("strict").decode
        self.scan = scanner()
        self.buf = ""
        self.pos = 0
        self.eof = False
        self.lines = 1  # the line of buf[0]
        self.size = 0  # characters of the last value decoded

    def more(self, size: int = BLOCK) -> None:
        """Drop what was read, add ``size`` more bytes (decoded) to the buffer; at the end, set ``eof``."""
        self.lines += self.buf.count("\n", 0, self.pos)
        data = self.raw.read(size)
        try:
            text = self.decode(data, final=not data)
        except UnicodeDecodeError:
            raise WenzhengError(
                f"{self.source} 第 {self.lines} 行之后的内容无法按 {self.encoding} 读取",
                hint="JSON 文件应为 UTF-8 编码",
            ) from None
        self.buf = self.buf[self.pos :] + text
        self.pos = 0
        self.eof = not data

    def peek(self) -> str:
        """The next character that is not white space ('' at the end of the file), not consumed."""
        while True:
            self.pos = _SPACE.match(self.buf, self.pos).end()  # type: ignore[union-attr]
            if self.pos < len(self.buf) or self.eof:
                return self.buf[self.pos : self.pos + 1]
            self.more()

    def expect(self, char: str, number: int) -> None:
        if self.peek() != char:
            raise self.syntax(number, f"此处应为「{char}」")
        self.pos += 1

    def key(self, number: int) -> str:
        """A key of the top-level object and its colon; a plain key (no escapes) in one step."""
        found = _PLAIN_KEY.match(self.buf, self.pos)
        if found is not None and found.end() < len(self.buf):
            self.pos = found.end()
            return found.group(1)
        name = self.value(number)
        if not isinstance(name, str):
            raise self.syntax(number, "对象的键应是带引号的文字")
        self.expect(":", number)
        return name

    def value(self, number: int) -> Any:
        """Decode the next JSON value, reading on while it is incomplete (up to :data:`MAX_RECORD`)."""
        size = BLOCK
        while True:
            if self.pos >= len(self.buf) or self.buf[self.pos] in " \t\r\n":
                self.peek()
            try:
                value, end = self.scan(self.buf, self.pos)
            except RecursionError:
                raise self.syntax(number, f"嵌套太深（一条记录内最多 {MAX_DEPTH} 层）") from None
            except (StopIteration, ValueError):  # JSONDecodeError: incomplete, or wrong
                if self.eof or len(self.buf) - self.pos > MAX_RECORD:
                    self._give_up(number)
                self.more(size)
                size *= 2  # an item that needs many blocks is read in ever larger ones: linear, not quadratic
                continue
            if end == len(self.buf) and not self.eof:
                self.more(size)  # a number at the end of the block may go on in the next one
                continue
            self.size = end - self.pos
            if self.size > MAX_RECORD:
                self._give_up(number)
            self.pos = end
            return value

    def _give_up(self, number: int) -> NoReturn:
        if len(self.buf) - self.pos > MAX_RECORD:
            raise WenzhengError(
                f"{self.source} 第 {number} 条记录超过 {MAX_RECORD} 字（或其后的 JSON 格式有误）",
                hint="检查该记录附近的引号和括号是否成对",
            )
        try:
            self.scan(self.buf, self.pos)
        except StopIteration:
            raise self.syntax(number, "此处应有一个值") from None
        except ValueError as exc:
            raise self.syntax(number, "JSON 格式有误", exc) from None
        raise self.syntax(number, "JSON 格式有误")  # pragma: no cover - decoded at the end after all

    def syntax(self, number: int, why: str, exc: Any = None) -> WenzhengError:
        pos = getattr(exc, "pos", self.pos)
        line = self.lines + self.buf.count("\n", 0, pos)
        return WenzhengError(
            f"{self.source} 第 {number} 条记录（第 {line} 行）: {why}，整个文件未导入",
            hint="检查该处附近的引号、逗号和括号是否成对",
        )

    def not_records(self, key: str | None, value: Any) -> WenzhengError:
        if value is None and key is None:
            what = "不是 JSON 数组或对象"
        elif key is None:
            what = f"是一个数组，但其中的值不是对象（第一个是{_kind(value)}）"
        else:
            what = f"是一个对象，但「{key[:20]}」的值不是记录（是{_kind(value)}）"
        return WenzhengError(f"{self.source} {what}，不是可导入的记录", hint=SHAPE_HINT)


def _kind(value: Any) -> str:
    if isinstance(value, str):
        return "文字"
    if isinstance(value, bool):
        return "真假值"
    if isinstance(value, (int, float)):
        return "数字"
    if isinstance(value, list):
        return "数组"
    return "空值" if value is None else "其他值"
