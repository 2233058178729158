"""Where a report goes: the format asked for (or implied by ``--output``), on stdout or written atomically."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any

from wenzheng_cli import files
from wenzheng_cli.errors import UsageError, WenzhengError
from wenzheng_cli.render import console
from wenzheng_cli.reports.monthly import MonthlyReport
from wenzheng_cli.reports.weekly import WeeklyReport

FORMATS = ("table", "markdown", "csv", "xlsx", "json", "html")
_ALIASES = {"md": "markdown", "text": "table", "txt": "table", "excel": "xlsx", "xls": "xlsx", "htm": "html"}
_SUFFIXES = {
    ".xlsx": "xlsx",
    ".csv": "csv",
    ".md": "markdown",
    ".markdown": "markdown",
    ".json": "json",
    ".html": "html",
    ".htm": "html",
}


def choose_format(fmt: str | None, output: str | None, as_json: bool) -> str:
    """``--json`` is ``--format json``; with ``--output`` and no ``--format``, the file's extension decides."""
    if fmt is not None:
        value = fmt.strip().lower()
        value = _ALIASES.get(value, value)
        if value not in FORMATS:
            raise UsageError(
                f"不支持的格式「{fmt.strip()[:20]}」", hint=f"--format 可选: {'、'.join(FORMATS)}"
            )
        if as_json and value != "json":
            raise UsageError("--json 与 --format 不一致", hint="只写其一，如 --format json")
    elif as_json:
        value = "json"
    elif output:
        value = _SUFFIXES.get(Path(output).suffix.lower(), "table")
    else:
        value = "table"
    if value == "xlsx" and not output:
        raise UsageError("xlsx 需要写入文件", hint="加 --output 文件名.xlsx，如 --output 周台账.xlsx")
    return value


def weekly(report: WeeklyReport, fmt: str, output: str | None, *, show_pii: bool, limit: int | None) -> None:
    from wenzheng_cli.render.cases import case_json
    from wenzheng_cli.render.reports import week_title, weekly_sheets

    if fmt == "json":
        _emit_json(report.to_dict(lambda case: case_json(case, show_pii)), output)
        return
    if fmt == "html":
        from wenzheng_cli.render.html import weekly_page

        data = report.to_dict(lambda case: case_json(case, show_pii))
        deliver(weekly_page(data, office=report.office_name or report.office).encode("utf-8"), output)
        return
    screen = fmt == "table"
    rows = limit if screen and not output else None  # a file always holds the whole 台账
    sheets = weekly_sheets(report, show_pii=show_pii, screen=screen, limit=rows)
    title = week_title(report)
    subtitle = f"逾期按 {report.as_of[:16].replace('T', ' ')} 计；各部分为该周结束时的状态"
    emit_sheets(fmt, output, title, subtitle, sheets, [])


def monthly(report: MonthlyReport, fmt: str, output: str | None) -> None:
    from wenzheng_cli.render.reports import (
        month_subtitle,
        month_summary,
        month_title,
        monthly_sheets,
        points_note,
    )

    if fmt == "json":
        _emit_json(report.to_dict(), output)
        return
    if fmt == "html":
        from wenzheng_cli.render.html import monthly_page

        page = monthly_page(report.to_dict(), office=report.office_name or report.office)
        deliver(page.encode("utf-8"), output)
        return
    sheets = monthly_sheets(report, screen=fmt == "table")
    notes = [month_summary(report), points_note(report)]
    emit_sheets(fmt, output, month_title(report), month_subtitle(report), sheets, notes)


def emit_sheets(
    fmt: str,
    output: str | None,
    title: str,
    subtitle: str,
    sheets: list[Any],
    notes: list[str],
) -> None:
    from wenzheng_cli.render import writers

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
        deliver(writers.csv_bytes(sheets), output)
    elif fmt == "xlsx":
        if not output:
            raise WenzhengError("xlsx 需要写入文件", hint="加 --output 文件名.xlsx")
        _save(output, writers.xlsx_bytes(sheets))


def report_json(data: dict[str, Any]) -> str:
    """A report as JSON with one line per key and per list item (a case, a group): as easy to read and diff
    as indented JSON, and written by the C encoder, which indenting would turn off (10× slower on a big 台账)."""
    lines = ["{"]
    last = len(data) - 1
    encoded: dict[int, str] = {}  # a row shared by several sections is encoded once

    def encode(item: Any) -> str:
        found = encoded.get(id(item))
        if found is None:
            found = encoded[id(item)] = json.dumps(item, ensure_ascii=False)
        return found

    for i, (key, value) in enumerate(data.items()):
        comma = "," if i < last else ""
        name = json.dumps(key, ensure_ascii=False)
        if isinstance(value, list) and value:
            lines.append(f"  {name}: [")
            end = len(value) - 1
            lines.extend(
                "    " + json.dumps(item, ensure_ascii=False) + ("," if j < end else "")
                for j, item in enumerate(value)
            )
            lines.append(f"  ]{comma}")
        else:
            lines.append(f"  {name}: {json.dumps(value, ensure_ascii=False)}{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _emit_json(data: dict[str, Any], output: str | None) -> None:
    text = report_json(data)
    if output:
        _save(output, text.encode("utf-8"))
    else:
        sys.stdout.write(console.json_text(text))


def deliver(data: bytes, output: str | None) -> None:
    if output:
        _save(output, data)
    else:
        if sys.stdout.isatty():  # on a screen, not into a pipe: text to read, not data to keep
            data = console.printable(data.decode("utf-8")).encode("utf-8")
        files.write_stream(1, data)


def _save(output: str, data: bytes) -> None:
    fd = files.standard_stream(Path(output))
    if fd is not None:  # --output /dev/stdout: the stream itself, never a file put in its place
        files.write_stream(fd, data)
        return
    path = files.write_atomic(output, data)
    console.note(f"已写入 {path}")
