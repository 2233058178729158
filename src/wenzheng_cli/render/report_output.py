"""Where a report goes: the format asked for (or implied by ``--output``), on stdout or written atomically."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any

from wenzheng_cli.errors import UsageError, WenzhengError
from wenzheng_cli.render import console
from wenzheng_cli.render.export import write_atomic
from wenzheng_cli.reports.monthly import MonthlyReport
from wenzheng_cli.reports.weekly import WeeklyReport

FORMATS = ("table", "markdown", "csv", "xlsx", "json")
_ALIASES = {"md": "markdown", "text": "table", "txt": "table", "excel": "xlsx", "xls": "xlsx"}
_SUFFIXES = {".xlsx": "xlsx", ".csv": "csv", ".md": "markdown", ".markdown": "markdown", ".json": "json"}


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
    screen = fmt == "table"
    sheets = weekly_sheets(report, show_pii=show_pii, screen=screen)
    title = week_title(report)
    subtitle = f"逾期按 {report.as_of[:16].replace('T', ' ')} 计；各部分为该周结束时的状态"
    _emit(fmt, output, title, subtitle, sheets, [], limit=limit)


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
    sheets = monthly_sheets(report, screen=fmt == "table")
    notes = [month_summary(report), points_note(report)]
    _emit(fmt, output, month_title(report), month_subtitle(report), sheets, notes, limit=None)


def _emit(
    fmt: str,
    output: str | None,
    title: str,
    subtitle: str,
    sheets: list[Any],
    notes: list[str],
    *,
    limit: int | None,
) -> None:
    from wenzheng_cli.render import writers

    if fmt == "table":
        if output:
            from rich.console import Console

            buffer = io.StringIO()
            plain = Console(
                file=buffer, width=200, color_system=None, force_terminal=False, highlight=False, emoji=False
            )
            writers.print_tables(plain, title, subtitle, sheets, limit=None, notes=notes)
            _save(output, buffer.getvalue().encode("utf-8"))
        else:
            writers.print_tables(console.out(), title, subtitle, sheets, limit=limit, notes=notes)
        return
    if fmt == "markdown":
        _deliver(writers.markdown(title, subtitle, sheets, notes).encode("utf-8"), output)
    elif fmt == "csv":
        _deliver(writers.csv_bytes(sheets), output)
    elif fmt == "xlsx":
        if not output:
            raise WenzhengError("xlsx 需要写入文件", hint="加 --output 文件名.xlsx")
        _save(output, writers.xlsx_bytes(sheets))


def _emit_json(data: Any, output: str | None) -> None:
    if output:
        _save(output, (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    else:
        console.write_json(data)


def _deliver(data: bytes, output: str | None) -> None:
    if output:
        _save(output, data)
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()


def _save(output: str, data: bytes) -> None:
    path = write_atomic(output, data)
    sys.stderr.write(f"已写入 {path}\n")
