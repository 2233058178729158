"""The lifecycle commands after intake. Each builds one event's payload; ``record`` does the rest.

The commands that take several cases at once (assign, claim, supervise, resolve, revisit, withdraw) check
their input once, in ``*_step``, and the ``Step`` is then recorded on each case on its own (``core.batch``).
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import Any

from wenzheng_cli.core.cases import Step, find, record
from wenzheng_cli.core.session import Session
from wenzheng_cli.core.timing import business_time, due_date
from wenzheng_cli.domain import clock
from wenzheng_cli.domain.fields import MAX_FIELD, MAX_TEXT, clean_text, required_text
from wenzheng_cli.domain.models import (
    EFFECT_CLOSED,
    EFFECT_NONE,
    EFFECT_REOPENED,
    LISTED_KIND,
    SUPERVISED_KIND,
    Action,
    Case,
    Rating,
    Status,
)
from wenzheng_cli.domain.taxonomy import check_level, parse_outcome, parse_rating
from wenzheng_cli.errors import Prose, UsageError, WenzhengError, command, option, phrase
from wenzheng_cli.store import cases as store

# 历史: a revisit recorded afterwards for history brought in from a file (the file's rating, or none)
REVISIT_METHODS = ("电话", "入户", "短信", "微信", "当面", "历史")
ASSIGN_EXAMPLE = command("assign", "42", option("to", "王芳"), option("unit", "城管科"))
ESCALATE_EXAMPLE = command(
    "escalate", "42", option("level", "街道"), option("reason", "涉及多部门", prose=True)
)
EXTEND_EXAMPLE = command("extend", "42", option("within", "5wd"), option("reason", "等待配件", prose=True))
WITHDRAW_EXAMPLE = command("withdraw", "42", option("reason", "居民自行解决", prose=True))


def assign(
    session: Session,
    ref: str,
    *,
    to: str | None,
    unit: str | None,
    level: str | None,
    due: str | None,
    within: str | None,
    at: str | None,
) -> Case:
    return assign_step(session, to=to, unit=unit, level=level, due=due, within=within, at=at).on(session, ref)


def assign_step(
    session: Session,
    *,
    to: str | None,
    unit: str | None,
    level: str | None,
    due: str | None,
    within: str | None,
    at: str | None,
) -> Step:
    handler = clean_text(to, "承办人", MAX_FIELD)
    unit_name = clean_text(unit, "承办单位", MAX_FIELD)
    if to is None and unit is None:
        raise UsageError("交办需要承办人或承办单位", hint=phrase("例如 ", ASSIGN_EXAMPLE))
    if not handler and not unit_name:
        raise WenzhengError("承办人和承办单位不能都为空", hint=phrase("例如 ", ASSIGN_EXAMPLE))
    if level:
        check_level(level, session.settings.levels)  # checked once, before any case of several
    if due is not None or within is not None:
        start = business_time(session, at)
        due_date(session, start, due=due, within=within, category=None, nature=None, default=False)

    def build(conn: sqlite3.Connection, case: Case, moment: datetime) -> dict[str, Any]:
        settings = session.settings
        chosen = check_level(level, settings.levels) if level else (case.level or settings.assign_level)
        payload: dict[str, Any] = {"handler": handler, "unit": unit_name, "level": chosen}
        fresh = case.due_at is None
        if fresh or due is not None or within is not None:
            deadline = due_date(
                session, moment, due=due, within=within, category=case.category, nature=case.nature
            )
            payload["due_at"] = clock.iso(deadline)
        if case.status is not Status.REGISTERED:
            payload["reassign"] = True
        return payload

    return Step(Action.ASSIGN, at, build)


def claim(session: Session, ref: str, *, at: str | None) -> Case:
    return claim_step(session, at=at).on(session, ref)


def claim_step(session: Session, *, at: str | None) -> Step:
    """实名认领: by the person the case was assigned to; a case assigned to a unit only is claimed by whoever
    of the unit takes it, who becomes its handler."""

    def build(conn: sqlite3.Connection, case: Case, moment: datetime) -> dict[str, Any]:
        me = session.operator
        if case.handler is None:
            return {"handler": me}
        if case.handler != me:
            raise WenzhengError(
                f"{case.number} 已交办给 {case.handler}，须由 {case.handler} 本人认领（实名认领）",
                hint=phrase(
                    "由本人认领: ",
                    command("claim", case.number, option("operator", case.handler)),
                    f"；改由 {me} 办理请先转办: ",
                    command("assign", case.number, option("to", me)),
                ),
            )
        return {}

    return Step(Action.CLAIM, at, build)


def return_(session: Session, ref: str, *, reason: str | None, at: str | None) -> Case:
    text = required_text(
        reason, "退单理由", command("return", "42", option("reason", "不属本单位职责", prose=True))
    )
    return record(session, ref, Action.RETURN, at, lambda conn, case, moment: {"reason": text})


def escalate(
    session: Session,
    ref: str,
    *,
    level: str | None,
    to: str | None,
    unit: str | None,
    reason: str | None,
    due: str | None,
    within: str | None,
    at: str | None,
) -> Case:
    if level is None:
        raise UsageError(phrase("提级需要指定 ", option("level")), hint=phrase("例如 ", ESCALATE_EXAMPLE))
    text = required_text(reason, "提级理由", ESCALATE_EXAMPLE)
    handler = clean_text(to, "承办人", MAX_FIELD)
    unit_name = clean_text(unit, "承办单位", MAX_FIELD)

    def build(conn: sqlite3.Connection, case: Case, moment: datetime) -> dict[str, Any]:
        settings = session.settings
        target = check_level(level, settings.levels)
        if case.level and settings.level_rank(target) <= settings.level_rank(case.level):
            higher = settings.levels[settings.level_rank(case.level) + 1 :]
            raise WenzhengError(
                f"{case.number} 已在「{case.level}」层级，提级须到更高层级",
                hint=f"可提级到: {'、'.join(higher)}" if higher else "已是最高层级；可用 supervise 督办",
            )
        payload: dict[str, Any] = {"level": target, "handler": handler, "unit": unit_name, "reason": text}
        if due is not None or within is not None:
            deadline = due_date(
                session, moment, due=due, within=within, category=case.category, nature=case.nature
            )
            payload["due_at"] = clock.iso(deadline)
        return payload

    return record(session, ref, Action.ESCALATE, at, build)


def note(session: Session, ref: str, *, text: str | None, at: str | None) -> Case:
    body = required_text(text, "进展内容", command("note", "42", Prose("已联系物业，周五前维修")))
    return record(session, ref, Action.NOTE, at, lambda conn, case, moment: {"text": body})


def extend(
    session: Session, ref: str, *, due: str | None, within: str | None, reason: str | None, at: str | None
) -> Case:
    if due is None and within is None:
        raise UsageError(
            phrase("延期需要 ", option("due"), " 或 ", option("within")), hint=phrase("例如 ", EXTEND_EXAMPLE)
        )
    text = required_text(reason, "延期理由", EXTEND_EXAMPLE)

    def build(conn: sqlite3.Connection, case: Case, moment: datetime) -> dict[str, Any]:
        # "延期 5 个工作日" pushes the deadline in force; a case with none starts from now.
        current = clock.parse_iso(case.due_at)
        start = current if (within is not None and current) else moment
        deadline = due_date(
            session, start, due=due, within=within, category=case.category, nature=case.nature
        )
        if current and deadline is not None and deadline <= current:
            raise WenzhengError(
                f"新时限 {clock.iso(deadline)} 不晚于现有时限 {case.due_at}",
                hint="延期的新时限须晚于现有时限",
            )
        return {"due_at": clock.iso(deadline), "previous_due_at": case.due_at, "reason": text}

    return record(session, ref, Action.EXTEND, at, build)


def supervise(session: Session, ref: str, *, reason: str | None, listed: bool, at: str | None) -> Case:
    return supervise_step(session, reason=reason, listed=listed, at=at).on(session, ref)


def supervise_step(session: Session, *, reason: str | None, listed: bool, at: str | None) -> Step:
    text = required_text(
        reason, "督办理由", command("supervise", "42", option("reason", "超期未办结", prose=True))
    )
    payload = {"reason": text, "kind": LISTED_KIND if listed else SUPERVISED_KIND}
    return Step(Action.SUPERVISE, at, lambda conn, case, moment: payload)


def resolve(
    session: Session,
    ref: str,
    *,
    result: str | None,
    outcome: str | None,
    feedback: str | None,
    at: str | None,
) -> Case:
    return resolve_step(session, result=result, outcome=outcome, feedback=feedback, at=at).on(session, ref)


def resolve_step(
    session: Session, *, result: str | None, outcome: str | None, feedback: str | None, at: str | None
) -> Step:
    example = command(
        "resolve", "42", option("result", "已更换灯泡", prose=True), option("outcome", "solved")
    )
    text = required_text(result, "办理结果", example)
    chosen = parse_outcome(outcome).value if outcome else "solved"
    method = clean_text(feedback, "反馈方式", 40)
    payload = {"result": text, "outcome": chosen, "feedback": method}

    def build(conn: sqlite3.Connection, case: Case, moment: datetime) -> dict[str, Any]:
        # judged against each case's own request, recorded with the reply; the judge's patterns load only
        # when a reply is given, not for every step a clerk types
        from wenzheng_cli.domain.reply_quality import judge

        flags = judge(text, case.description, case.title)
        return {**payload, "reply_flags": list(flags)}

    return Step(Action.RESOLVE, at, build)


def revisit(
    session: Session, ref: str, *, rating: str | None, method: str | None, comment: str | None, at: str | None
) -> Case:
    return revisit_step(session, rating=rating, method=method, comment=comment, at=at).on(session, ref)


def revisit_step(
    session: Session, *, rating: str | None, method: str | None, comment: str | None, at: str | None
) -> Step:
    if rating is None:
        raise UsageError(
            phrase("回访需要 ", option("rating")),
            hint=phrase(
                "例如 ", command("revisit", "42", option("rating", "满意"), option("method", "电话"))
            ),
        )
    chosen = parse_rating(rating)
    how = clean_text(method, "回访方式", 20)
    if how and how not in REVISIT_METHODS:
        raise WenzhengError(f"回访方式「{how}」无法识别", hint=f"可选: {'、'.join(REVISIT_METHODS)}")
    remark = clean_text(comment, "回访意见", MAX_TEXT)

    def build(conn: sqlite3.Connection, case: Case, moment: datetime) -> dict[str, Any]:
        settings = session.settings
        own = case.resolved_by == session.operator and not _resolved_by_import(conn, case)
        if not settings.revisit_allow_resolver and own:
            raise WenzhengError(
                f"{case.number} 由 {session.operator} 办结，回访应由其他人进行",
                hint=phrase(
                    "用 ",
                    option("operator"),
                    " 写回访人；确需本人回访: ",
                    command("config set", "revisit.allow_resolver", "true"),
                ),
            )
        payload: dict[str, Any] = {"rating": chosen.value, "method": how, "comment": remark}
        if chosen is Rating.UNREACHABLE:
            payload["effect"] = EFFECT_NONE
        elif chosen.value in settings.closing_ratings:
            payload["effect"] = EFFECT_CLOSED
        else:
            # 不满意不销账: back to the same handler for another round, with a fresh deadline.
            payload["effect"] = EFFECT_REOPENED
            deadline = due_date(
                session, moment, due=None, within=None, category=case.category, nature=case.nature
            )
            payload["due_at"] = clock.iso(deadline)
        return payload

    return Step(Action.REVISIT, at, build)


def _resolved_by_import(conn: sqlite3.Connection, case: Case) -> bool:
    """Whether the case's 办结 came from a file (the unit's reply), not from the clerk who ran the import."""
    resolves = [e for e in store.events_for(conn, case.id) if e.action is Action.RESOLVE]
    return bool(resolves) and bool(resolves[-1].payload.get("imported"))


def withdraw(
    session: Session, ref: str, *, reason: str | None, duplicate_of: str | None, at: str | None
) -> Case:
    return withdraw_step(session, reason=reason, duplicate_of=duplicate_of, at=at).on(session, ref)


def withdraw_step(session: Session, *, reason: str | None, duplicate_of: str | None, at: str | None) -> Step:
    text = clean_text(reason, "撤件理由", MAX_TEXT)
    if reason is None and duplicate_of is None:
        raise UsageError(phrase("撤件需要 ", option("reason")), hint=phrase("例如 ", WITHDRAW_EXAMPLE))
    if not text and not duplicate_of:
        raise WenzhengError("撤件理由不能为空", hint=phrase("例如 ", WITHDRAW_EXAMPLE))
    if duplicate_of:
        # checked once, before any case of several; the twin is only named (it may be another office's)
        find(session.ledger.conn, session, duplicate_of, acting=False)

    def build(conn: sqlite3.Connection, case: Case, moment: datetime) -> dict[str, Any]:
        payload: dict[str, Any] = {"reason": text}
        if duplicate_of:
            twin = find(conn, session, duplicate_of, acting=False)
            if twin.id == case.id:
                raise WenzhengError(
                    f"{case.number} 不能与自身重复",
                    hint=phrase(option("duplicate-of"), " 写另一件案件的编号"),
                )
            payload["duplicate_of"] = twin.number
            payload["reason"] = text or f"与 {twin.number} 重复"
        return payload

    return Step(Action.WITHDRAW, at, build)
