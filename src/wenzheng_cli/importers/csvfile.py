"""CSV (and tab-separated text) as saved by Excel on Chinese Windows: GBK/GB18030, UTF-8, UTF-8 with BOM.

The encoding is read from the first bytes: a BOM decides; text that decodes as UTF-8 is UTF-8; otherwise
charset-normalizer's candidates decide, with the GB family preferred (read as GB18030, its superset) because
these files come from Chinese Windows. ``--encoding`` overrides all of it.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from wenzheng_cli.errors import UsageError, WenzhengError
from wenzheng_cli.importers.base import Options, Row, Table, find_header, header_notes

SAMPLE = 256 * 1024
_GB = ("gb18030", "gbk", "gb2312", "hz", "cp936")
ENCODING_HINT = "用 --encoding 指定编码，例如 --encoding gbk 或 --encoding utf-8"


class CsvImporter:
    name = "csv"

    def identify(self, path: Path, head: bytes) -> bool:
        return True  # the last resort: anything that is neither a workbook nor JSON Lines

    @contextmanager
    def extract(self, path: Path, options: Options) -> Iterator[Table]:
        with path.open("rb") as raw:
            head = raw.read(SAMPLE)
            encoding, note = choose_encoding(head, options.encoding, path.name)
            raw.seek(0)
            text = io.TextIOWrapper(raw, encoding=encoding, errors="strict", newline="")
            delimiter = "\t" if path.suffix.lower() in (".tsv", ".tab") else sniff_delimiter(head, encoding)
            records = _records(csv.reader(text, delimiter=delimiter), path.name, encoding)
            header = find_header(records)
            source = path.name
            notes = [note] if note else []
            notes += header_notes(source, header)
            yield Table(
                source=source,
                columns=header.columns,
                rows=_chain(header.rest, records),
                total=path.stat().st_size,
                done=raw.tell,
                notes=notes,
            )


def _chain(
    first: list[tuple[int, Sequence[Any]]], rest: Iterator[tuple[int, Sequence[Any]]]
) -> Iterator[Row]:
    yield from first
    yield from rest


def _records(reader: Any, source: str, encoding: str) -> Iterator[tuple[int, Sequence[Any]]]:
    """Records numbered as Excel shows them: one row per record, however many lines a quoted cell spans."""
    number = 0
    try:
        for number, record in enumerate(reader, start=1):
            yield number, record
    except UnicodeDecodeError:
        raise WenzhengError(
            f"{source} 第 {number + 1} 行附近的内容无法按 {encoding} 编码读取", hint=ENCODING_HINT
        ) from None
    except csv.Error as exc:
        text = str(exc)
        if "field larger" in text:
            why, hint = "有一格内容超过 13 万字", "多半是英文双引号没有成对，检查该行附近的引号"
        elif "NUL" in text:
            why, hint = "含有空字符（NUL），可能不是文本文件或编码不对", ENCODING_HINT
        else:
            why, hint = f"CSV 格式有误（{text}）", "在 Excel 中打开后另存为「CSV UTF-8」再导入"
        raise WenzhengError(f"{source} 第 {number + 1} 行: {why}", hint=hint) from None


def choose_encoding(head: bytes, forced: str | None, source: str) -> tuple[str, str | None]:
    """The encoding to read with, and a note for the summary when it was guessed from the bytes."""
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
    if _is_utf8(head, complete=len(head) < SAMPLE):
        return "utf-8", None
    from charset_normalizer import from_bytes

    matches = from_bytes(head)
    names = [m.encoding for m in matches]
    chosen = next((n for n in names if n.replace("_", "").lower() in _GB), None)
    if chosen is not None:
        return "gb18030", f"{source} 按 GBK/GB18030 编码读取"
    if names:
        return names[0], f"{source} 按 {names[0]} 编码读取（如乱码，{ENCODING_HINT}）"
    raise WenzhengError(f"无法识别 {source} 的文字编码", hint=ENCODING_HINT)


def _is_utf8(head: bytes, *, complete: bool) -> bool:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A sample cut in the middle of a character still counts when the rest of it is clean.
        return not complete and exc.start >= len(head) - 3 and exc.reason.startswith("unexpected end")
    return True


def sniff_delimiter(head: bytes, encoding: str) -> str:
    first = head.decode(encoding, errors="ignore").lstrip("\ufeff").split("\n", 1)[0]
    counts = {d: first.count(d) for d in (",", "\t", ";")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","
