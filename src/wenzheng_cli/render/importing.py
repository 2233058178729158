"""What ``wenzheng import`` shows: the JSON report, a short Chinese summary, the errors, the rejects file."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wenzheng_cli.config import KIND_LABELS
from wenzheng_cli.core.import_request import ImportResult
from wenzheng_cli.importers.values import to_text
from wenzheng_cli.render.export import ExcelCsv

if TYPE_CHECKING:
    from rich.console import Console

ERROR_COLUMN = "导入错误"
SHOWN_ERRORS = 20


def import_json(result: ImportResult, rejects: Path | None) -> dict[str, Any]:
    return {
        "imported": result.imported,
        "updated": result.updated,
        "skipped_existing": result.skipped_existing,
        "invalid": result.invalid,
        "duplicates_flagged": result.duplicates_flagged,
        "errors": result.errors,
        "rows": result.rows,
        "resolved": result.resolved,
        "repeated": result.repeated,
        "same_key": result.same_key,
        "warnings": result.warnings,
        "suggested": result.suggested,
        "new_values": result.new_values,
        "unknown_columns": result.unknown_columns,
        "dry_run": result.dry_run,
        "committed": result.committed,
        "rejects": str(rejects) if rejects is not None else None,
    }


def summary_lines(result: ImportResult, rejects: Path | None) -> list[str]:
    lines: list[str] = []
    verb = "试导入（未写入台账）: 可导入" if result.dry_run else "已导入"
    if result.refused:
        lines.append(f"共读取 {result.rows} 行，其中 {result.invalid} 行有误，本次未导入任何数据")
    else:
        head = f"{verb} {result.imported} 件"
        if result.resolved:
            head += f"（其中 {result.resolved} 件带办理结果或答复，记为待回访）"
        if result.updated:
            head += f"；为已有的 {result.updated} 件补记了新的办理情况（交办、办结或进展）"
        lines.append(head)
        parts = [f"共读取 {result.rows} 行", f"跳过台账中已有 {result.skipped_existing} 件"]
        if result.invalid:
            parts.append(f"跳过有误的 {result.invalid} 行")
        if result.repeated:
            parts.append(f"文件内重复 {result.repeated} 行")
        if result.same_key:
            parts.append(f"编号相同而内容不同 {result.same_key} 行（已导入）")
        parts.append(f"疑似重复 {result.duplicates_flagged} 件")
        lines.append("，".join(parts))
        if result.duplicates_flagged:
            lines.append("疑似重复的案件未合并，用 wenzheng list --duplicates 查看")
        if result.suggested:
            lines.append(f"{result.suggested} 件没有类别，已按建议填上（标为建议类别，可用 amend 改正）")
    for kind, values in result.new_values.items():
        label = KIND_LABELS.get(kind, kind)
        shown = "、".join(values[:20]) + (f" 等 {len(values)} 个" if len(values) > 20 else "")
        lines.append(f"新增{label}: {shown}（已加入本社区的{label}列表）")
    for source, columns in result.unknown_columns.items():
        lines.append(f"{source} 中未识别的列（已随案保存）: {'、'.join(columns)}")
    for warning in result.warnings[:SHOWN_ERRORS]:
        where = f"{warning['file']} 第 {warning['row']} 行" if warning["row"] is not None else warning["file"]
        lines.append(f"注意: {where}: {warning['message']}")
    if len(result.warnings) > SHOWN_ERRORS:
        lines.append(f"…… 另有 {len(result.warnings) - SHOWN_ERRORS} 条提示未列出")
    lines.extend(result.notes)
    if rejects is not None and (result.invalid or result.repeated):
        lines.append(f"未导入的行已写入 {rejects}（最后一列为原因）")
    return lines


def errors_table(result: ImportResult) -> Any:
    from rich.table import Table

    table = Table(title=f"有误的行（{result.invalid} 行）", header_style="bold", pad_edge=False)
    for name in ("文件", "行", "列", "值", "问题", "改法"):
        table.add_column(name, overflow="fold")
    for e in result.errors[:SHOWN_ERRORS]:
        table.add_row(e["file"], str(e["row"]), e["column"], e["value"], e["message"], e["hint"])
    if result.errors_total > SHOWN_ERRORS:
        table.caption = (
            f"只列出前 {SHOWN_ERRORS} 条，共 {result.errors_total} 条；用 --json 或 --rejects 查看全部"
        )
    return table


@dataclass(frozen=True)
class ImportView:
    """``import``: the JSON report, or the errors table and the summary lines."""

    result: ImportResult
    rejects: Path | None

    def to_json(self) -> dict[str, Any]:
        return import_json(self.result, self.rejects)

    def show(self, out: Console) -> None:
        if self.result.errors:
            out.print(errors_table(self.result))
        for line in summary_lines(self.result, self.rejects):
            out.print(line, markup=False, soft_wrap=True)


class RejectsFile(ExcelCsv):
    """The rows not imported, with their original columns and a last column saying why."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self._header: tuple[str, tuple[str, ...]] | None = None
        self._first_source: str | None = None

    def write(self, source: str, columns: Sequence[str], cells: Sequence[Any], message: str) -> None:
        key = (source, tuple(columns))
        if self._header is None or self._header[1] != key[1]:
            self.writerow([*columns, ERROR_COLUMN])
        self._header = key
        if self._first_source is None:
            self._first_source = source
        if source != self._first_source:
            message = f"{source} {message}"
        values = [to_text(c) for c in cells[: len(columns)]]
        values += [""] * (len(columns) - len(values))
        self.writerow([*values, message])
