"""CSV (and tab-separated text) as saved by Excel on Chinese Windows: GBK/GB18030, UTF-8, UTF-8 with BOM.

The encoding is read from the first bytes: a BOM decides; text that decodes as UTF-8 is UTF-8; otherwise
charset-normalizer's candidates decide, with the GB family preferred (read as GB18030, its superset) because
these files come from Chinese Windows. ``--encoding`` overrides all of it.

The sample of the first bytes may end anywhere, in the middle of a two- or four-byte character too: it is cut
back to the last byte below 0x30 (a comma, a space, a line break), which can never be part of a multi-byte
character in any of these encodings, before any detector sees it. Every line is read with a bound
(:data:`limits.MAX_LINE`), so a file without line breaks (``/dev/zero``) ends with an error, not a full memory.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from wenzheng_cli.errors import Phrase, UsageError, WenzhengError, option, phrase, pieces
from wenzheng_cli.importers.base import BadRow, Options, Row, Table, find_header, header_notes
from wenzheng_cli.importers.limits import (
    LINE_HINT,
    MAX_CELL,
    MAX_COLUMNS,
    MAX_LINE,
    long_cell,
    long_cell_message,
    too_wide,
)

SAMPLE = 256 * 1024
_GB = ("gb18030", "gbk", "gb2312", "hz", "cp936")
ENCODING_HINT = phrase(
    "用 ",
    option("encoding"),
    " 指定编码，例如 ",
    option("encoding", "gbk"),
    " 或 ",
    option("encoding", "utf-8"),
)
_SAFE_END = re.compile(rb"[\x00-\x2f][\x30-\xff]*\Z")  # the last byte that cannot sit inside a character


class CsvImporter:
    name = "csv"

    def identify(self, path: Path, head: bytes) -> bool:
        return True  # the last resort: anything that is neither a workbook nor JSON

    @contextmanager
    def extract(self, path: Path, options: Options) -> Iterator[Table]:
        # A cell may be as long as Excel allows and more (that row alone is then invalid); a runaway quoted
        # cell stops at the line bound, as one clear error.
        csv.field_size_limit(MAX_LINE)
        with path.open("rb") as raw:
            head = raw.read(SAMPLE)
            encoding, note = choose_encoding(head, options.encoding, path.name)
            raw.seek(0)
            text = io.TextIOWrapper(raw, encoding=encoding, errors="strict", newline="")
            delimiter = "\t" if path.suffix.lower() in (".tsv", ".tab") else sniff_delimiter(head, encoding)
            lines = _Lines(text, path, encoding)
            records = _records(csv.reader(lines, delimiter=delimiter), path.name, lines)
            header = find_header(records, path.name)
            if len(header.columns) > MAX_COLUMNS:
                raise too_wide(path.name, len(header.columns), f"第 {header.row} 行（表头）")
            source = path.name
            notes: list[Phrase] = [note] if note else []
            notes += header_notes(source, header)
            yield Table(
                source=source,
                columns=header.columns,
                rows=_chain(header.rest, records),
                total=path.stat().st_size,
                done=raw.tell,
                notes=notes,
            )


def _chain(first: list[Row], rest: Iterator[Row]) -> Iterator[Row]:
    yield from first
    yield from rest


class _Lines:
    """The file's lines for ``csv.reader``, each at most :data:`MAX_LINE` characters, counted as they go."""

    def __init__(self, text: IO[str], path: Path, encoding: str) -> None:
        self.readline = text.readline
        self.path = path
        self.encoding = encoding
        self.number = 0  # physical lines read so far

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        try:
            line = self.readline(MAX_LINE)
        except UnicodeDecodeError:
            raise self.undecodable() from None
        if not line:
            raise StopIteration
        self.number += 1
        if len(line) == MAX_LINE and not line.endswith(("\n", "\r")):
            raise WenzhengError(
                f"{self.path.name} 第 {self.number} 行超过 {MAX_LINE} 字仍未换行", hint=LINE_HINT
            )
        return line

    def undecodable(self) -> WenzhengError:
        """The text is decoded by blocks, ahead of the lines: find the line that really holds the bad bytes."""
        line = bad_line(self.path, self.encoding)
        where = f"第 {line} 行" if line is not None else f"第 {self.number + 1} 行附近"
        return WenzhengError(
            f"{self.path.name} {where}的内容无法按 {self.encoding} 编码读取", hint=ENCODING_HINT
        )


def bad_line(path: Path, encoding: str) -> int | None:
    """The 1-based line of ``path`` whose bytes first fail to decode, or None when that cannot be said."""
    if not path.is_file():
        return None
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    with path.open("rb") as raw:
        number = 0
        while True:
            data = raw.readline(4 * MAX_LINE)
            if not data:
                return None
            number += 1
            try:
                decoder.decode(data)
            except UnicodeDecodeError:
                return number


def _records(reader: Any, source: str, lines: _Lines) -> Iterator[tuple[int, Sequence[Any] | BadRow]]:
    """Records numbered as Excel shows them: one row per record, however many lines a quoted cell spans."""
    number = 0
    try:
        for number, record in enumerate(reader, start=1):
            if len(record) > MAX_COLUMNS:
                message = f"本行有 {len(record)} 列，超过 {MAX_COLUMNS} 列的上限"
                yield number, BadRow(message, "内容里的逗号要放在英文双引号里；检查这一行")
            elif sum(map(len, record)) > MAX_CELL and (column := long_cell(record)) is not None:
                yield number, BadRow(*long_cell_message(f"第 {column} 列"), cells=record)
            else:
                yield number, record
    except csv.Error as exc:
        text = str(exc)
        if "field larger" in text:
            why = f"有一格内容超过 {MAX_LINE} 字"
            hint: Phrase = "多半是英文双引号没有成对，检查该行附近的引号"
        elif "NUL" in text:
            why, hint = "含有空字符（NUL），可能不是文本文件或编码不对", ENCODING_HINT
        else:
            why, hint = f"CSV 格式有误（{text}）", "在 Excel 中打开后另存为「CSV UTF-8」再导入"
        raise WenzhengError(f"{source} 第 {number + 1} 行: {why}", hint=hint) from None


def choose_encoding(
    head: bytes, forced: str | None, source: str, *, complete: bool | None = None
) -> tuple[str, Phrase | None]:
    """The encoding to read with, and a note for the summary when it was guessed from the bytes.

    ``complete`` says ``head`` is the whole file; otherwise it is a sample that may end inside a character
    (by default: when it is as long as a sample).
    """
    if complete is None:
        complete = len(head) < SAMPLE
    if forced:
        try:
            return codecs.lookup(forced).name, None
        except LookupError:
            raise UsageError(
                f"不认识的编码「{forced}」", hint="常用: gbk、gb18030、utf-8、utf-8-sig"
            ) from None
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", None
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", None
    nuls = head.count(b"\x00")
    if nuls > 64 and nuls > len(head) // 100:  # a stray NUL is its row's error; a run of them is binary
        raise WenzhengError(f"无法识别 {source} 的文字编码：含有空字符（NUL），不是文本表格", hint=LINE_HINT)
    sample = head if complete else cut_to_character(head)
    if _is_utf8(sample, cut=not complete):
        return "utf-8", None
    stray = stray_line(sample)
    if stray is not None:
        raise not_utf8(source, stray)
    # charset-normalizer is slow to load: only a file that is not UTF-8 needs it
    from charset_normalizer import from_bytes

    names = [m.encoding for m in from_bytes(sample)]
    chosen = next((n for n in names if n.replace("_", "").lower() in _GB), None)
    if chosen is not None or (not names and _decodes(sample, "gb18030")):
        return "gb18030", f"{source} 按 GBK/GB18030 编码读取"
    if names:
        return names[0], phrase(f"{source} 按 {names[0]} 编码读取（如乱码，", *pieces(ENCODING_HINT), "）")
    raise WenzhengError(f"无法识别 {source} 的文字编码", hint=ENCODING_HINT)


def stray_line(sample: bytes) -> int | None:
    """The 1-based first line that is not UTF-8 in a ``sample`` that is UTF-8 otherwise, or None.

    "Otherwise UTF-8": more of its lines with non-ASCII bytes decode as UTF-8 than not. Text in GBK or Big5
    almost never happens to be valid UTF-8, so such a file is UTF-8 with a few lines pasted in from a file in
    another encoding; reading all of it in that other encoding would garble every header instead."""
    first: int | None = None
    good = bad = 0
    for number, line in enumerate(sample.split(b"\n"), start=1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            bad += 1
            first = number if first is None else first
        else:
            good += 1
    return first if good > bad else None


def not_utf8(source: str, line: int) -> WenzhengError:
    """A file that is UTF-8 but for ``line``: the line to look at, and the two ways to fix it."""
    return WenzhengError(
        f"{source} 第 {line} 行不是 UTF-8 编码（文件的其余部分是 UTF-8）",
        hint=phrase(
            "把该行改正后将文件另存为 UTF-8 再导入；如果整个文件其实是 GBK 编码，用 ",
            option("encoding", "gbk"),
        ),
    )


def cut_to_character(sample: bytes) -> bytes:
    """``sample`` up to its last byte below 0x30, which no multi-byte character of UTF-8, GBK, GB18030, Big5
    or Shift-JIS contains: whatever came after may be a character cut in two. Near the end only, so a sample
    of one long run of Chinese text (no such byte at all) is cut by at most three bytes instead."""
    match = _SAFE_END.search(sample, max(0, len(sample) - 4096))
    if match is not None:
        return sample[: match.start() + 1]
    return sample[:-3] if len(sample) > 3 else sample


def _is_utf8(sample: bytes, *, cut: bool) -> bool:
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A sample without a safe byte near its end may still miss up to three bytes of its last character.
        return cut and exc.start >= len(sample) - 3 and exc.reason.startswith("unexpected end")
    return True


def _decodes(sample: bytes, encoding: str) -> bool:
    try:
        sample.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def sniff_delimiter(head: bytes, encoding: str) -> str:
    first = head.decode(encoding, errors="ignore").lstrip("\ufeff").split("\n", 1)[0]
    counts = {d: first.count(d) for d in (",", "\t", ";")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","
