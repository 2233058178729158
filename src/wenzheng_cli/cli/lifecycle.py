"""受理 → 交办 → 认领 → 办理 → 办结 → 回访 → 销账: the lifecycle commands."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated

import typer

from wenzheng_cli.cli.base import (
    AtOpt,
    CaseArg,
    CasesArg,
    DbOpt,
    DueOpt,
    JsonOpt,
    OperatorOpt,
    PiiOpt,
    WithinOpt,
    app,
    interactive,
    ledger_session,
)
from wenzheng_cli.cli.prompts import ask, reasking
from wenzheng_cli.core import actions
from wenzheng_cli.core.intake import IntakeInput, check_field
from wenzheng_cli.core.intake import intake as do_intake
from wenzheng_cli.domain.models import Case, Status
from wenzheng_cli.domain.taxonomy import parse_rating
from wenzheng_cli.errors import WenzhengError, command, option, phrase
from wenzheng_cli.render import console
from wenzheng_cli.render.cases import CaseDone
from wenzheng_cli.render.output import emit

if TYPE_CHECKING:
    from wenzheng_cli.core.cases import Step
    from wenzheng_cli.core.session import Session

ReasonOpt = Annotated[str | None, typer.Option("--reason", help="理由")]
ToOpt = Annotated[str | None, typer.Option("--to", help="承办人")]
UnitOpt = Annotated[str | None, typer.Option("--unit", help="承办单位")]
LevelOpt = Annotated[str | None, typer.Option("--level", help="层级，如 网格、社区、街道、区")]


def _done(case: Case, verb: str, as_json: bool, show_pii: bool = False) -> None:
    emit(CaseDone.of(case, verb, show_pii), as_json)


def _each(
    session: Session, refs: list[str], step: Step, verb: str | Callable[[Case], str], as_json: bool
) -> None:
    """Record ``step`` on each case named, each on its own, and answer for all (``CASE...`` commands)."""
    # the batch runner and its answer: the commands that take several cases load them, the counter's intake not
    from wenzheng_cli.cli.batches import run_each

    run_each(session, refs, step, verb, as_json)


@app.command(rich_help_panel="办理")
def intake(
    text: Annotated[str | None, typer.Argument(help="诉求内容", show_default=False)] = None,
    resident: Annotated[str | None, typer.Option("--resident", help="居民姓名")] = None,
    phone: Annotated[str | None, typer.Option("--phone", help="联系电话")] = None,
    address: Annotated[str | None, typer.Option("--address", help="地址")] = None,
    community: Annotated[str | None, typer.Option("--community", help="社区")] = None,
    grid: Annotated[str | None, typer.Option("--grid", help="网格")] = None,
    channel: Annotated[str | None, typer.Option("--channel", help="渠道，如 走访、12345热线、说事箱")] = None,
    category: Annotated[str | None, typer.Option("--category", help="类别，如 堆码物清理、群众纠纷")] = None,
    nature: Annotated[str | None, typer.Option("--nature", help="性质: 求助/投诉/咨询/建议/举报")] = None,
    at: AtOpt = None,
    difficulty: Annotated[int | None, typer.Option("--difficulty", help="难度 1–5（加减分权重）")] = None,
    activity: Annotated[int | None, typer.Option("--activity", help="所属问政活动编号")] = None,
    on_site: Annotated[str | None, typer.Option("--on-site", help="现场办结，写办理结果")] = None,
    title: Annotated[str | None, typer.Option("--title", help="标题（可选）")] = None,
    show_pii: PiiOpt = False,
    as_json: JsonOpt = False,
    db: DbOpt = None,
    operator: OperatorOpt = None,
) -> None:
    """受理一件居民诉求（--on-site 为现场办结）。

    例: wenzheng intake "3号楼楼道堆放杂物" --resident 李桂兰 --phone 13812345678 --community 杨柳 --category 堆码物清理
    """
    if text is None and not interactive():
        raise_usage("缺少诉求内容", 'wenzheng intake "3号楼路灯不亮" --community 杨柳')
    prompted = text is None
    with ledger_session(db, operator) as session:
        settings = session.settings
        if text is None:
            text = ask("诉求内容", lambda answer: _nonblank(check_field(settings, "description", answer)))
        if category is None and interactive():
            # the learned model and its renderers: a clerk at a terminal without --category alone loads them
            from wenzheng_cli.cli.analysis import offer_category

            category = offer_category(session, text or "", ask_anyway=prompted)
        data = IntakeInput(
            description=text or "",
            resident=resident,
            phone=phone,
            address=address,
            community=community,
            grid=grid,
            channel=channel,
            category=category,
            nature=nature,
            at=at,
            difficulty=difficulty,
            activity=activity,
            on_site=on_site,
            title=title,
        )
        _done(reasking(lambda typed: do_intake(session, typed), data), "已受理", as_json, show_pii)


def _nonblank(value: object) -> object:
    if not value:
        raise WenzhengError("诉求内容不能为空", hint="写下居民反映的问题，如 3号楼路灯不亮")
    return value


def raise_usage(message: str, example: str) -> None:
    console.error(message, f"例如 {example}")
    raise typer.Exit(2)


@app.command(rich_help_panel="办理")
def assign(
    case: CasesArg,
    to: ToOpt = None,
    unit: UnitOpt = None,
    level: LevelOpt = None,
    due: DueOpt = None,
    within: WithinOpt = None,
    at: AtOpt = None,
    as_json: JsonOpt = False,
    db: DbOpt = None,
    operator: OperatorOpt = None,
) -> None:
    """交办（已交办的再交办即转办），给出承办人/单位和办结时限；可一次交办几件。

    例: wenzheng assign 42 43 --to 王芳 --unit 城管科 --within 5wd
    """
    if to is None and unit is None and interactive():
        to = typer.prompt("承办人（或用 --unit 写单位）")
    with ledger_session(db, operator) as session:
        step = actions.assign_step(session, to=to, unit=unit, level=level, due=due, within=within, at=at)
        _each(session, case, step, "已交办", as_json)


@app.command(rich_help_panel="办理")
def claim(
    case: CasesArg, at: AtOpt = None, as_json: JsonOpt = False, db: DbOpt = None, operator: OperatorOpt = None
) -> None:
    """实名认领（签收）交办的案件: 交办给个人的须本人认领；只交办到单位的，认领人即为承办人。

    例: wenzheng --operator 王芳 claim 42 43
    """
    with ledger_session(db, operator) as session:
        _each(session, case, actions.claim_step(session, at=at), "已认领", as_json)


@app.command("return", rich_help_panel="办理")
def return_(
    case: CaseArg,
    reason: ReasonOpt = None,
    at: AtOpt = None,
    as_json: JsonOpt = False,
    db: DbOpt = None,
    operator: OperatorOpt = None,
) -> None:
    """退单: 交办有误，退回待重新交办。

    例: wenzheng return 42 --reason "不属本单位职责"
    """
    with ledger_session(db, operator) as session:
        _done(actions.return_(session, case, reason=reason, at=at), "已退单", as_json)


@app.command(rich_help_panel="办理")
def escalate(
    case: CaseArg,
    level: LevelOpt = None,
    to: ToOpt = None,
    unit: UnitOpt = None,
    reason: ReasonOpt = None,
    due: DueOpt = None,
    within: WithinOpt = None,
    at: AtOpt = None,
    as_json: JsonOpt = False,
    db: DbOpt = None,
    operator: OperatorOpt = None,
) -> None:
    """提级/吹哨: 超出权限的交更高层级办理。

    例: wenzheng escalate 42 --level 街道 --unit 街道城管办 --reason "涉及多部门"
    """
    with ledger_session(db, operator) as session:
        updated = actions.escalate(
            session, case, level=level, to=to, unit=unit, reason=reason, due=due, within=within, at=at
        )
        _done(updated, "已提级", as_json)


@app.command(rich_help_panel="办理")
def note(
    case: CaseArg,
    text: Annotated[str | None, typer.Argument(help="进展内容", show_default=False)] = None,
    at: AtOpt = None,
    as_json: JsonOpt = False,
    db: DbOpt = None,
    operator: OperatorOpt = None,
) -> None:
    """记录办理进展。

    例: wenzheng note 42 "已联系物业，周五前维修"
    """
    if text is None and interactive():
        text = typer.prompt("进展内容")
    with ledger_session(db, operator) as session:
        _done(actions.note(session, case, text=text, at=at), "已记录进展", as_json)


@app.command(rich_help_panel="办理")
def extend(
    case: CaseArg,
    due: DueOpt = None,
    within: WithinOpt = None,
    reason: ReasonOpt = None,
    at: AtOpt = None,
    as_json: JsonOpt = False,
    db: DbOpt = None,
    operator: OperatorOpt = None,
) -> None:
    """延期: 给出新时限和理由（按期办结按新时限计）。

    原时限留档。按期办结率按办结时有效的时限计（批准的延期算数）；延期过的件数在月通报中另计（延期）。

    --within 从现有时限起算：--within 5wd 即原时限后再加 5 个工作日；没有时限的从办理时间起算。

    例: wenzheng extend 42 --within 5wd --reason "等待配件"
    """
    with ledger_session(db, operator) as session:
        _done(actions.extend(session, case, due=due, within=within, reason=reason, at=at), "已延期", as_json)


@app.command(rich_help_panel="办理")
def supervise(
    case: CasesArg,
    reason: ReasonOpt = None,
    listed: Annotated[bool, typer.Option("--listed", help="挂牌督办")] = False,
    at: AtOpt = None,
    as_json: JsonOpt = False,
    db: DbOpt = None,
    operator: OperatorOpt = None,
) -> None:
    """督办（--listed 为挂牌督办）；可一次督办几件。list --supervised 列出督办中的案件。

    例: wenzheng supervise 42 45 --reason "超期未办结" --listed
    """
    with ledger_session(db, operator) as session:
        step = actions.supervise_step(session, reason=reason, listed=listed, at=at)
        _each(session, case, step, "已挂牌督办" if listed else "已督办", as_json)


@app.command(rich_help_panel="办理")
def resolve(
    case: CasesArg,
    result: Annotated[str | None, typer.Option("--result", help="办理结果")] = None,
    outcome: Annotated[
        str | None, typer.Option("--outcome", help="solved 已解决 / partly 部分解决 / explained 解释说明")
    ] = None,
    feedback: Annotated[str | None, typer.Option("--feedback", help="反馈方式，如 电话、短信、入户")] = None,
    at: AtOpt = None,
    as_json: JsonOpt = False,
    db: DbOpt = None,
    operator: OperatorOpt = None,
) -> None:
    """办结，写明办理结果，待回访；问政日现场的几件可一次办结。

    例: wenzheng resolve 42 --result "已清理楼道杂物" --outcome solved --feedback 电话
    """
    if result is None and interactive():
        result = typer.prompt("办理结果")
    weak: list[Case] = []

    def resolved(done: Case) -> str:
        if done.reply_flags:
            weak.append(done)
        return "已办结"

    with ledger_session(db, operator) as session:
        step = actions.resolve_step(session, result=result, outcome=outcome, feedback=feedback, at=at)
        try:
            _each(session, case, step, resolved, as_json)
        finally:
            warn_weak_replies(weak)


def warn_weak_replies(weak: list[Case]) -> None:
    """办结 is never refused for its reply, but the clerk hears what it lacks before the resident is revisited."""
    if not weak:
        return
    from wenzheng_cli.domain.reply_quality import describe

    first = weak[0]
    numbers = "、".join(done.number for done in weak[:5]) + (f" 等 {len(weak)} 件" if len(weak) > 5 else "")
    alike = all(done.reply_flags == first.reply_flags for done in weak)
    lacks = describe(first.reply_flags) if alike else "各件所缺见 wenzheng list --weak-reply"
    console.warn(
        phrase(
            f"{numbers} 答复待完善: {lacks}；群众回访前请补充（撤销后重新办结: ",
            command("undo", first.number),
            "，再 ",
            command("resolve", first.number, option("result", "…", prose=True)),
            "）",
        )
    )


@app.command(rich_help_panel="办理")
def revisit(
    case: CasesArg,
    rating: Annotated[
        str | None, typer.Option("--rating", help="非常满意/满意/基本满意/不满意/非常不满意/未联系上")
    ] = None,
    method: Annotated[
        str | None, typer.Option("--method", help="电话/入户/短信/微信/当面；补录历史记录写 历史")
    ] = None,
    comment: Annotated[str | None, typer.Option("--comment", help="居民意见")] = None,
    at: AtOpt = None,
    as_json: JsonOpt = False,
    db: DbOpt = None,
    operator: OperatorOpt = None,
) -> None:
    """回访: 满意则销账；不满意不销账，退回原承办人重办。评价相同的几件可一次回访。

    例: wenzheng --operator 张敏 revisit 42 45 47 --rating 满意 --method 电话
    """
    with ledger_session(db, operator) as session:
        if rating is None and interactive():
            rating = ask("评价（满意/基本满意/不满意/未联系上…）", lambda text: parse_rating(text).value)
        step = actions.revisit_step(session, rating=rating, method=method, comment=comment, at=at)
        _each(session, case, step, revisit_verb, as_json)


def revisit_verb(case: Case) -> str:
    return {Status.CLOSED: "已销账", Status.ASSIGNED: "不满意，已重办"}.get(case.status, "已回访")


@app.command(rich_help_panel="办理")
def withdraw(
    case: CasesArg,
    reason: ReasonOpt = None,
    duplicate_of: Annotated[str | None, typer.Option("--duplicate-of", help="与哪件重复")] = None,
    at: AtOpt = None,
    as_json: JsonOpt = False,
    db: DbOpt = None,
    operator: OperatorOpt = None,
) -> None:
    """撤件（居民撤回，或 --duplicate-of 重复件）；可一次撤几件。

    例: wenzheng withdraw 42 43 --duplicate-of 40
    """
    with ledger_session(db, operator) as session:
        step = actions.withdraw_step(session, reason=reason, duplicate_of=duplicate_of, at=at)
        _each(session, case, step, "已撤件", as_json)
