"""``wenzheng export --format parquet --output DIR``: the ledger as Parquet for the district and the city."""

from __future__ import annotations

from typing import Annotated

import typer

from wenzheng_cli.cli.base import DbOpt, JsonOpt, PiiOpt, app, ledger_session
from wenzheng_cli.core.export import export as do_export
from wenzheng_cli.errors import UsageError, option, phrase
from wenzheng_cli.render.output import emit

FORMATS = ("parquet",)


@app.command(rich_help_panel="查询")
def export(
    output: Annotated[
        str,
        typer.Option(
            "--output",
            "-o",
            help="导出目录（没有就建立）；写入案件、办理记录、问政活动三个 Parquet 文件",
            show_default=False,
        ),
    ],
    fmt: Annotated[str, typer.Option("--format", "-f", help="导出格式: parquet")] = "parquet",
    force: Annotated[bool, typer.Option("--force", help="目录中已有上次导出的文件时，替换它们")] = False,
    show_pii: PiiOpt = False,
    as_json: JsonOpt = False,
    db: DbOpt = None,
) -> None:
    """导出台账（案件、办理记录、问政活动）为 Parquet 文件，供区、市用 DuckDB 等汇总多个社区。

    例: wenzheng export --format parquet --output /srv/exports/2026-11-30/
    """
    with ledger_session(db, create=False) as session:
        if fmt.strip().lower() not in FORMATS:
            raise UsageError(
                f"不支持的导出格式: {fmt[:30]}",
                hint=phrase(
                    "导出只有 ",
                    option("format", "parquet"),
                    "；报表的 CSV、XLSX 由 report 命令的 ",
                    option("format"),
                    " 给出",
                ),
            )
        # pyarrow, the optional extra: loaded by this command alone, and asked for before anything is written
        from wenzheng_cli.render.parquet import ExportView, parquet_writer

        writer = parquet_writer()
        emit(ExportView.of(do_export(session, output, show_pii=show_pii, force=force, write=writer)), as_json)
