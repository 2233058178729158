"""Where a report goes: the format asked for (or implied by ``--output``), on stdout or written atomically.

The one place that chooses between the formats of every report (weekly, monthly, trend).
"""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from wenzheng_cli import files
from wenzheng_cli.domain.models import Case
from wenzheng_cli.errors import UsageError
from wenzheng_cli.render import console, writers
from wenzheng_cli.render.cases import case_columns as columns
from wenzheng_cli.render.cases import case_json
from wenzheng_cli.render.report_sheets import (
    month_subtitle,
    month_summary,
    month_title,
    monthly_sheets,
    points_note,
    week_subtitle,
    week_title,
    weekly_flat,
    weekly_sheets,
)
from wenzheng_cli.render.sheets import Sheet
from wenzheng_cli.render.trend_sheets import trend_flat, trend_sheets, trend_subtitle, trend_title
from wenzheng_cli.render.writers import csv_bytes
from wenzheng_cli.reports.monthly import MonthlyReport
from wenzheng_cli.reports.trend import TrendReport
from wenzheng_cli.reports.weekly import EncodedCase, WeeklyReport, whole_cases

FORMATS = ("table", "markdown", "csv", "xlsx", "json", "html")
_ALIASES = {"md": "markdown", "text": "table", "txt": "table", "excel": "xlsx", "htm": "html"}
_SUFFIXES = {
    ".xlsx": "xlsx",
    ".csv": "csv",
    ".md": "markdown",
    ".markdown": "markdown",
    ".json": "json",
    ".txt": "table",
    ".html": "html",
    ".htm": "html",
}
_EXTENSION = {fmt: suffix for suffix, fmt in reversed(_SUFFIXES.items())}
_OLD_EXCEL = ".xls"
_OLD_EXCEL_HINT = (
    "wenzheng 写的是 xlsx（Excel 2007 及以后、WPS 都能打开）：用 --format xlsx，文件名以 .xlsx 结尾"
)


def choose_format(fmt: str | None, output: str | None, as_json: bool, *, ledger: Path) -> str:
    """``--json`` is ``--format json``; with ``--output`` and no ``--format``, the file's extension decides; a
    format that contradicts the extension is refused, as is the old ``.xls`` (what is written is xlsx). An
    ``--output`` is checked before anything is counted (``files.check_output``: never the ``ledger`` itself,
    a folder…; the standard output or error is written to directly)."""
    value: str | None = None
    if fmt is not None:
        value = fmt.strip().lower()
        value = _ALIASES.get(value, value)
        if value in ("xls", _OLD_EXCEL):
            raise UsageError("不支持 xls 格式（旧版 Excel）", hint=_OLD_EXCEL_HINT)
        if value not in FORMATS:
            raise UsageError(
                f"不支持的格式「{fmt.strip()[:20]}」", hint=f"--format 可选: {'、'.join(FORMATS)}"
            )
        if as_json and value != "json":
            raise UsageError("--json 与 --format 不一致", hint="只写其一，如 --format json")
    elif as_json:
        value = "json"
    if output:
        suffix = Path(output).suffix.lower()
        if suffix == _OLD_EXCEL:
            raise UsageError(f"不能写成 .xls 文件: {Path(output).name}", hint=_OLD_EXCEL_HINT)
        implied = _SUFFIXES.get(suffix)
        if value is None:
            value = implied or "table"
        elif implied is not None and implied != value:
            wanted = Path(output).with_suffix(_EXTENSION[value]).name
            raise UsageError(
                f"格式 {value} 与输出文件的扩展名 {suffix} 不一致",
                hint=f"去掉 --format（按扩展名写 {implied}），或把文件名改为 {wanted}",
            )
    value = value or "table"
    if output is not None:
        files.check_output(output, ledger=ledger, stream_ok=True)
    if value == "xlsx" and not output:
        raise UsageError("xlsx 需要写入文件", hint="加 --output 文件名.xlsx，如 --output 周台账.xlsx")
    return value


def case_columns(fmt: str, show_pii: bool) -> tuple[tuple[str, Callable[[Any], Any] | None], ...] | None:
    """What a 台账 in ``fmt`` asks the ledger to write as JSON itself: the columns of the case shape, for JSON
    (no case object or dict per row, which is most of the time a big 台账 takes); ``None`` for the formats
    that read whole cases."""
    return columns(show_pii) if fmt == "json" else None


def weekly(
    report: WeeklyReport[Case | EncodedCase],
    fmt: str,
    output: str | None,
    *,
    show_pii: bool,
    limit: int | None,
) -> None:
    if fmt == "json":
        _emit_json(report.to_dict(_weekly_row(show_pii)), output)
        return
    whole = whole_cases(report)
    if fmt == "html":
        # the HTML page and its templates (Jinja2): loaded only for --format html
        from wenzheng_cli.render.html import weekly_page

        data = whole.to_dict(_weekly_row(show_pii))
        deliver(weekly_page(data, office=report.office.title).encode("utf-8"), output)
        return
    if fmt == "csv":
        deliver(_csv([weekly_flat(whole, show_pii=show_pii)]), output)
        return
    screen = fmt == "table"
    rows = limit if screen and not output else None  # a file always holds the whole 台账
    sheets = weekly_sheets(whole, show_pii=show_pii, screen=screen, limit=rows)
    emit_sheets(fmt, output, week_title(whole), week_subtitle(whole), sheets, [])


def _weekly_row(show_pii: bool) -> Callable[[Case | EncodedCase, dict[str, Any]], Any]:
    """A row of the 台账's JSON: a case's dict with what the 台账 adds; for a case the ledger wrote as JSON,
    that text with the rest written after it (``report_json`` writes such bytes as they are)."""
    encode = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode
    tails: dict[tuple[Any, ...], bytes] = {}

    def row(case: Case | EncodedCase, more: dict[str, Any]) -> Any:
        if isinstance(case, EncodedCase):
            key = tuple(more.values())
            tail = tails.get(key)
            if tail is None:  # {"overdue": …} → , "overdue": …}
                tail = tails[key] = b", " + console.json_text(encode(more))[1:].encode()
            return console.json_utf8(case.text) + tail
        data = case_json(case, show_pii)
        data.update(more)
        return data

    return row


def monthly(report: MonthlyReport, fmt: str, output: str | None) -> None:
    if fmt == "json":
        _emit_json(report.to_dict(), output)
        return
    if fmt == "html":
        # the HTML page and its templates (Jinja2): loaded only for --format html
        from wenzheng_cli.render.html import monthly_page

        deliver(monthly_page(report.to_dict(), office=report.office.title).encode("utf-8"), output)
        return
    sheets = monthly_sheets(report, screen=fmt == "table", paper=fmt == "xlsx")
    notes = [month_summary(report), points_note(report)]
    emit_sheets(fmt, output, month_title(report), month_subtitle(report), sheets, notes)


def trend(report: TrendReport, fmt: str, output: str | None) -> None:
    if fmt == "json":
        _emit_json(report.to_dict(), output)
        return
    if fmt == "html":
        # the HTML page and its templates (Jinja2): loaded only for --format html
        from wenzheng_cli.render.html import trend_page

        deliver(trend_page(report.to_dict(), office=report.office.title).encode("utf-8"), output)
        return
    if fmt == "csv":
        deliver(_csv([trend_flat(report)]), output)
        return
    sheets = trend_sheets(report, screen=fmt == "table")
    emit_sheets(fmt, output, trend_title(report), trend_subtitle(report), sheets, [])


def emit_sheets(
    fmt: str,
    output: str | None,
    title: str,
    subtitle: str,
    sheets: list[Sheet],
    notes: list[str],
) -> None:
    if fmt == "table":
        if output:
            buffer = io.StringIO()
            writers.print_tables(console.plain(buffer, 200), title, subtitle, sheets, notes)
            _save(output, buffer.getvalue().encode("utf-8"))
        else:
            writers.print_tables(console.out(), title, subtitle, sheets, notes)
        return
    if fmt == "markdown":
        deliver(writers.markdown(title, subtitle, sheets, notes).encode("utf-8"), output)
    elif fmt == "csv":
        deliver(_csv(sheets), output)
    elif fmt == "xlsx":
        assert output, "choose_format refuses xlsx without --output"
        _save(output, writers.xlsx_bytes(sheets, [title, subtitle]))


def _csv(sheets: list[Sheet]) -> bytes:
    return csv_bytes(sheets)


def report_json(data: dict[str, Any]) -> Iterator[bytes]:
    """A report as UTF-8 JSON with one line per key and per list item (a case, a group): as easy to read and
    diff as indented JSON, and written by the C encoder, which indenting would turn off (many times slower on a big
    台账). In pieces, so a 台账 of a hundred thousand cases is written as it is encoded; a row shared by
    several sections is encoded once. The characters a terminal would act on are escaped (``\\u009b``): the
    same data for a program, nothing but text on a screen."""
    encoded: dict[int, bytes] = {}
    encode_json = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode

    def encode_item(item: Any) -> str:
        return console.json_text(encode_json(item))

    def encode(item: Any) -> bytes:
        if type(item) is bytes:  # written as JSON already (a case row the ledger wrote)
            return item
        found = encoded.get(id(item))
        if found is None:
            found = encoded[id(item)] = encode_item(item).encode()
        return found

    last = len(data) - 1
    yield b"{\n"
    for i, (key, value) in enumerate(data.items()):
        comma = "," if i < last else ""
        name = encode_item(key)
        if isinstance(value, list) and value:
            yield f"  {name}: [\n    ".encode()
            yield b",\n    ".join(encode(item) for item in value)
            yield f"\n  ]{comma}\n".encode()
        else:
            yield f"  {name}: {encode_item(value)}{comma}\n".encode()
    yield b"}\n"


def _emit_json(data: dict[str, Any], output: str | None) -> None:
    pieces = report_json(data)
    fd = files.standard_stream(Path(output)) if output else 1
    if output and fd is None:
        path = Path(output).expanduser()
        with files.atomic_replace(path) as temp, temp.open("wb") as handle:
            handle.writelines(pieces)
        console.note(f"已写入 {path}")
        return
    stream = sys.stdout if fd == 1 else sys.stderr
    stream.flush()
    stream.buffer.writelines(pieces)
    stream.buffer.flush()


def deliver(data: bytes, output: str | None, *, text: bool = True) -> None:
    """``data`` into the file ``output``, every character kept; or onto the standard output (no ``--output``,
    or ``--output /dev/stdout``), where a text format (CSV, Markdown, HTML) is shown only as printable text,
    as the tables are: standard output may be a terminal behind a pipe or a pager. ``text=False`` (JSON, data
    for programs) is filtered on a terminal alone."""
    fd = files.standard_stream(Path(output)) if output else 1
    if fd is None:
        assert output is not None
        _save(output, data)
        return
    if text or (not output and sys.stdout.isatty()):
        data = _screen_safe(data)
    files.write_stream(fd, data)


def _screen_safe(data: bytes) -> bytes:
    """UTF-8 ``data`` without what a terminal would act on (``console.printable``), its CSV line ends
    (``\\r\\n``) kept."""
    shown = data.decode("utf-8")
    lines = shown.split("\r\n")
    safe = [console.printable(line) for line in lines]
    return data if safe == lines else "\r\n".join(safe).encode("utf-8")


def _save(output: str, data: bytes) -> None:
    fd = files.standard_stream(Path(output))
    if fd is not None:  # --output /dev/stdout: the stream itself, never a file put in its place
        files.write_stream(fd, data)
        return
    path = files.write_atomic(output, data)
    console.note(f"已写入 {path}")
