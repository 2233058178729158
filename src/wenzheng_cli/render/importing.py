"""What ``wenzheng import`` shows: the JSON report, a short Chinese summary, the errors, the rejects file."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wenzheng_cli.config import KIND_LABELS
from wenzheng_cli.core.import_request import ImportResult
from wenzheng_cli.domain.jsonvalue import JsonValue, screen
from wenzheng_cli.errors import Phrase
from wenzheng_cli.importers.values import to_text
from wenzheng_cli.render.export import ExcelCsv
from wenzheng_cli.render.phrases import say, say_hint

if TYPE_CHECKING:
    from rich.console import Console

ERROR_COLUMN = "导入错误"
SHOWN_ERRORS = 20


@dataclass(frozen=True)
class RowProblem(JsonValue):
    """A row refused: the file, row and column, the value found, what is wrong and the fix (spelled)."""

    file: str
    row: int | None
    column: str
    value: Any
    message: str
    hint: str | None


@dataclass(frozen=True)
class RowWarning(JsonValue):
    """Something an import noticed but imported anyway (``row`` ``None``: the whole file)."""

    file: str
    row: int | None
    column: str
    message: str


@dataclass(frozen=True)
class ImportView(JsonValue):
    """``import``: the counts and messages of the CLI contract. What the screen adds, not in the JSON: the
    notes on the files read, how many errors there were in all (``errors`` holds the first ones), and whether
    rows with errors were to be skipped (``--skip-invalid``)."""

    imported: int
    updated: int
    skipped_existing: int
    invalid: int
    duplicates_flagged: int
    errors: tuple[RowProblem, ...]
    rows: int
    resolved: int
    repeated: int
    same_key: int
    warnings: tuple[RowWarning, ...]
    suggested: int
    new_values: Mapping[str, tuple[str, ...]]
    unknown_columns: Mapping[str, tuple[str, ...]]
    dry_run: bool
    committed: bool
    rejects: str | None
    notes: tuple[str, ...] = screen(())
    errors_total: int | None = screen(None)
    skip_invalid: bool = screen(False)
    history: bool = screen(False)  # imported with --history: the concluded rows are closed
    weak_replies: int = screen(0)  # new cases whose reply was judged weak (答复待完善)

    @classmethod
    def of(cls, result: ImportResult, rejects: Path | None) -> ImportView:
        errors = tuple(
            RowProblem(e["file"], e["row"], e["column"], e["value"], say(e["message"]), say_hint(e["hint"]))
            for e in result.errors
        )
        warnings = tuple(
            RowWarning(w["file"], w["row"], w["column"], say(w["message"])) for w in result.warnings
        )
        return cls(
            imported=result.imported,
            updated=result.updated,
            skipped_existing=result.skipped_existing,
            invalid=result.invalid,
            duplicates_flagged=result.duplicates_flagged,
            errors=errors,
            rows=result.rows,
            resolved=result.resolved,
            repeated=result.repeated,
            same_key=result.same_key,
            warnings=warnings,
            suggested=result.suggested,
            new_values={kind: tuple(values) for kind, values in result.new_values.items()},
            unknown_columns={source: tuple(cols) for source, cols in result.unknown_columns.items()},
            dry_run=result.dry_run,
            committed=result.committed,
            rejects=str(rejects) if rejects is not None else None,
            notes=tuple(say(note) for note in result.notes),
            errors_total=result.errors_total,
            skip_invalid=result.skip_invalid,
            history=result.history,
            weak_replies=result.weak_replies,
        )

    @property
    def refused(self) -> bool:
        """Invalid rows without --skip-invalid: nothing was (or, in a dry run, would be) imported."""
        return self.invalid > 0 and not self.skip_invalid

    def show(self, out: Console) -> None:
        if self.errors:
            out.print(errors_table(self))
        for line in summary_lines(self):
            out.print(line, markup=False, soft_wrap=True)


def summary_lines(result: ImportView) -> list[str]:
    lines: list[str] = []
    verb = "试导入（未写入台账）: 可导入" if result.dry_run else "已导入"
    if result.refused:
        lines.append(f"共读取 {result.rows} 行，其中 {result.invalid} 行有误，本次未导入任何数据")
    else:
        head = f"{verb} {result.imported} 件"
        if result.resolved:
            kept = "作为历史记为已销账" if result.history else "记为待回访"
            head += f"（其中 {result.resolved} 件带办理结果或答复，{kept}"
            if result.weak_replies:
                head += f"，{result.weak_replies} 件答复待完善（wenzheng list --weak-reply 查看）"
            head += "）"
        if result.updated:
            head += f"；为已有的 {result.updated} 件补记了新的情况（交办、办结、进展，空缺的分类或其他列）"
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
        where = f"{warning.file} 第 {warning.row} 行" if warning.row is not None else warning.file
        lines.append(f"注意: {where}: {warning.message}")
    if len(result.warnings) > SHOWN_ERRORS:
        lines.append(f"…… 另有 {len(result.warnings) - SHOWN_ERRORS} 条提示未列出")
    lines.extend(result.notes)
    if result.rejects is not None and (result.invalid or result.repeated):
        lines.append(f"未导入的行已写入 {result.rejects}（最后一列为原因）")
    return lines


def errors_table(result: ImportView) -> Any:
    # rich.table is slow to load: loaded only when a table is drawn (JSON and files do without)
    from rich.table import Table

    table = Table(title=f"有误的行（{result.invalid} 行）", header_style="bold", pad_edge=False)
    for name in ("文件", "行", "列", "值", "问题", "改法"):
        table.add_column(name, overflow="fold")
    for e in result.errors[:SHOWN_ERRORS]:
        table.add_row(e.file, str(e.row), e.column, e.value, e.message, e.hint)
    total = len(result.errors) if result.errors_total is None else result.errors_total
    if total > SHOWN_ERRORS:
        table.caption = f"只列出前 {SHOWN_ERRORS} 条，共 {total} 条；用 --json 或 --rejects 查看全部"
    return table


class RejectsFile(ExcelCsv):
    """The rows not imported, with their original columns and a last column saying why."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self._header: tuple[str, tuple[str, ...]] | None = None
        self._first_source: str | None = None

    def write(self, source: str, columns: Sequence[str], cells: Sequence[Any], message: Phrase) -> None:
        why = say(message)
        key = (source, tuple(columns))
        if self._header is None or self._header[1] != key[1]:
            self.writerow([*columns, ERROR_COLUMN])
        self._header = key
        if self._first_source is None:
            self._first_source = source
        if source != self._first_source:
            why = f"{source} {why}"
        values = [to_text(c) for c in cells[: len(columns)]]
        values += [""] * (len(columns) - len(values))
        self.writerow([*values, why])
