"""``hotspots`` (共性问题, 由点及面) and ``suggest`` (类别与承办单位建议, learned from this ledger)."""

from __future__ import annotations

from typing import Annotated

import typer

from wenzheng_cli.cli.base import DbOpt, FormatOpt, JsonOpt, OutputOpt, app, ledger_session
from wenzheng_cli.core.analysis import hotspots as find_hotspots
from wenzheng_cli.core.analysis import stored_model
from wenzheng_cli.core.analysis import suggest as make_suggestions
from wenzheng_cli.core.session import Session
from wenzheng_cli.render import analysis as render
from wenzheng_cli.render.analysis import prompt_line
from wenzheng_cli.render.report_output import choose_format


@app.command(rich_help_panel="查询")
def hotspots(
    since: Annotated[
        str | None, typer.Option("--since", help="受理日期起（默认截止日期前 90 天），如 2026-09-01")
    ] = None,
    until: Annotated[str | None, typer.Option("--until", help="受理日期止（默认今天）")] = None,
    top: Annotated[int | None, typer.Option("--top", help="列出热度最高的几个（默认 10）")] = None,
    window: Annotated[
        str | None,
        typer.Option("--window", help="同一问题相邻两件最多相隔多久仍算一组（默认 30d），如 2w、60d"),
    ] = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    as_json: JsonOpt = False,
    db: DbOpt = None,
) -> None:
    """热点问题: 同一地点、同一问题在一段时间内被多人反映的（共性问题，由点及面），按热度排列。

    例: wenzheng hotspots --since 2026-09-01 --top 5 --format xlsx --output 热点问题.xlsx
    """
    with ledger_session(db, create=False) as session:
        chosen = choose_format(fmt, output, as_json, ledger=session.ledger.path)
        render.emit(find_hotspots(session, since, until, top, window), chosen, output)


@app.command(rich_help_panel="查询")
def suggest(
    text: Annotated[str, typer.Argument(help="诉求内容", show_default=False)],
    top: Annotated[int | None, typer.Option("--top", help="每项给出几个建议（默认 3）")] = None,
    retrain: Annotated[
        bool, typer.Option("--retrain", help="先根据台账中已分类的案件重新学习，再给出建议")
    ] = False,
    as_json: JsonOpt = False,
    db: DbOpt = None,
) -> None:
    """根据本台账已分类、已交办的案件，建议一段诉求的类别和承办单位。

    例: wenzheng suggest "小区门口路灯不亮，晚上出行不安全"
    """
    with ledger_session(db, create=False) as session:
        render.suggestions(make_suggestions(session, text, top, retrain=retrain), as_json)


def offer_category(session: Session, text: str, *, ask_anyway: bool) -> str | None:
    """At the counter (a terminal, no --category): the stored model's top three categories for the text;
    the clerk picks one by its number, types another, or presses Enter to leave it empty. Without a model,
    the plain question when ``ask_anyway``. Never trains: a counter command does not wait for that."""
    items = []
    if text.strip():
        model = stored_model(session)
        items = model.suggest(None, text, 3) if model is not None else []
    if not items:
        if not ask_anyway:
            return None
        return typer.prompt("类别（可直接回车跳过）", default="", show_default=False) or None
    typer.echo(f"类别建议: {prompt_line(items)}")
    answer = typer.prompt(
        "类别（输入序号选用建议，或直接写类别；回车跳过）", default="", show_default=False
    ).strip()
    if answer.isdigit() and 1 <= int(answer) <= len(items):
        return items[int(answer) - 1].value
    return answer or None
