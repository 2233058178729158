"""``wenzheng import``: batch import of visit notes (CSV/XLSX) and platform exports (XLSX, JSON Lines)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Annotated, Any

import typer

from wenzheng_cli.cli.base import DbOpt, JsonOpt, OperatorOpt, app, ledger_session
from wenzheng_cli.core.import_request import ImportRequest, check_rejects
from wenzheng_cli.core.importing import run_import
from wenzheng_cli.errors import WenzhengError
from wenzheng_cli.render import console
from wenzheng_cli.render.importing import ImportView, RejectsFile
from wenzheng_cli.render.output import emit

LONG_FILE = 2 * 1024 * 1024  # bytes (CSV, JSON Lines) …
LONG_SHEET = 20000  # … or rows (XLSX) from which a progress bar is worth showing


@app.command("import", rich_help_panel="办理")
def import_(
    files: Annotated[
        list[Path],
        typer.Argument(help="要导入的文件（CSV、XLSX、XLS、JSON、JSON Lines），可写多个", show_default=False),
    ],
    maps: Annotated[
        list[str] | None,
        typer.Option("--map", help="指定某列对应的字段，如 --map 反映日期=received_at；可写多次"),
    ] = None,
    sheet: Annotated[str | None, typer.Option("--sheet", help="XLSX 的工作表名（默认第一个）")] = None,
    encoding: Annotated[
        str | None, typer.Option("--encoding", help="CSV 的编码（默认自动识别），如 gbk、utf-8")
    ] = None,
    date_order: Annotated[
        str | None,
        typer.Option(
            "--date-order",
            help="01/02/2016 这类日期的顺序: ymd（年/月/日）、mdy（月/日/年）、dmy（日/月/年）；默认按文件中能分辨的日期推断",
        ),
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="只检查并报告，不写入台账")] = False,
    skip_invalid: Annotated[bool, typer.Option("--skip-invalid", help="跳过有误的行，导入其余的行")] = False,
    rejects: Annotated[
        Path | None,
        typer.Option("--rejects", help="把未导入的行（原样加一列原因）写入此 CSV，可用 Excel 打开"),
    ] = None,
    suggest_category: Annotated[
        bool,
        typer.Option("--suggest-category", help="没有类别的行按本台账学到的建议填上类别（标为建议类别）"),
    ] = False,
    source: Annotated[
        str | None,
        typer.Option("--source", help="来源名称（默认为编号列的列名），如 12345；编号只在同一来源内唯一"),
    ] = None,
    at: Annotated[
        str | None, typer.Option("--at", help="没有受理时间的行用这个时间，如 2026-11-17、上周二")
    ] = None,
    channel: Annotated[str | None, typer.Option("--channel", help="没有渠道的行用这个渠道，如 走访")] = None,
    community: Annotated[str | None, typer.Option("--community", help="没有社区的行用这个社区")] = None,
    grid: Annotated[str | None, typer.Option("--grid", help="没有网格的行用这个网格")] = None,
    activity: Annotated[
        int | None, typer.Option("--activity", help="全部行所属的问政活动编号（wenzheng activity list）")
    ] = None,
    history: Annotated[
        bool,
        typer.Option(
            "--history",
            help="作为历史记录导入: 已办结的行记为已销账（带文件中的满意度），不进入待回访；文件没写的环节记为不详",
        ),
    ] = False,
    as_json: JsonOpt = False,
    db: DbOpt = None,
    operator: OperatorOpt = None,
) -> None:
    """批量导入走访记录和平台导出（同一文件重复导入不会重复登记）。

    例: wenzheng import 周二走访.csv --channel 走访 --community 杨柳
        wenzheng import 留言导出.xlsx --skip-invalid --rejects 未导入.csv
        wenzheng import 12345导出.xlsx --source 12345
        wenzheng import 2019留言板台账.xlsx --history
    """
    with ledger_session(db, operator) as session:
        request = ImportRequest(
            paths=list(files),
            maps=list(maps or []),
            sheet=sheet,
            encoding=encoding,
            dry_run=dry_run,
            skip_invalid=skip_invalid,
            date_order=date_order,
            suggest_category=suggest_category,
            source=source,
            at=at,
            channel=channel,
            community=community,
            grid=grid,
            activity=activity,
            history=history,
        )
        if rejects is not None:
            check_rejects(session, request, rejects)
        sink = RejectsFile(rejects) if rejects is not None else nullcontext()
        with sink as writer, _progress() as progress:
            result = run_import(session, request, rejects=writer, progress=progress)
        emit(ImportView.of(result, rejects), as_json)
        if result.suggest_history is not None:
            console.warn(result.suggest_history)
        if result.refused:
            raise WenzhengError(
                f"有 {result.invalid} 行有误，"
                + ("正式导入时不会导入任何数据" if dry_run else "本次未导入任何数据"),
                hint="改正后重新导入；或加 --skip-invalid 只导入正确的行，--rejects 文件名.csv 保存有误的行",
            )


@contextmanager
def _progress() -> Iterator[Any]:
    """A progress bar on stderr for long files, only when stderr is a terminal."""
    if not sys.stderr.isatty():
        yield None
        return
    # the progress bar's machinery is slow to load: loaded only when a bar is shown on a terminal
    from rich.progress import BarColumn, TaskProgressColumn, TextColumn, TimeRemainingColumn

    bar = console.err_bar(
        TextColumn("{task.description}", markup=False),
        BarColumn(),
        TaskProgressColumn(),
        TimeRemainingColumn(),
    )
    tasks: dict[str, Any] = {}

    def update(source: str, done: int, total: int | None, unit: str) -> None:
        task = tasks.get(source)
        if task is None:
            if total is None or total < (LONG_SHEET if unit == "rows" else LONG_FILE):
                return
            task = tasks[source] = bar.add_task(f"导入 {source}", total=total)
        bar.update(task, completed=done)

    with bar:
        yield update
