"""受理: a new case from the counter, a visit, the hotline — or resolved on the spot (现场办结)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from wenzheng_cli.config import Settings
from wenzheng_cli.core.cases import make_event
from wenzheng_cli.core.session import Session
from wenzheng_cli.core.timing import business_time
from wenzheng_cli.domain import clock
from wenzheng_cli.domain.fields import FIELD_LABELS, MAX_FIELD, MAX_TEXT, clean_text, typed_phone
from wenzheng_cli.domain.ids import format_number, new_ulid
from wenzheng_cli.domain.models import Action, Activity, Case
from wenzheng_cli.domain.states import apply
from wenzheng_cli.domain.taxonomy import FIELD_LISTS, check_listed
from wenzheng_cli.errors import FieldError, Prose, WenzhengError, command, option, phrase
from wenzheng_cli.store import activities
from wenzheng_cli.store import cases as store


@dataclass(frozen=True)
class IntakeInput:
    description: str
    resident: str | None = None
    phone: str | None = None
    address: str | None = None
    community: str | None = None
    grid: str | None = None
    channel: str | None = None
    category: str | None = None
    nature: str | None = None
    at: str | None = None
    difficulty: int | None = None
    activity: int | None = None
    on_site: str | None = None
    title: str | None = None


def check_field(settings: Settings, name: str, value: Any) -> Any:
    """A typed value of one of the case's fields (``FIELD_LABELS``), cleaned and checked the one way intake,
    amend and the prompts check it: ``None`` when blank, a refusal with the fix when it cannot be used."""
    label = FIELD_LABELS[name]
    try:
        if name == "difficulty":
            if value is not None and not 1 <= value <= 5:
                raise WenzhengError(
                    f"难度 {value} 不在 1–5 之间",
                    hint=phrase(option("difficulty"), " 写 1（最易）到 5（最难）"),
                )
            return value
        if name == "phone":
            return typed_phone(value)
        text = clean_text(value, label, MAX_TEXT if name == "description" else MAX_FIELD)
        if name in FIELD_LISTS:
            key = FIELD_LISTS[name]
            return check_listed(text, settings.values_of(key), label, key)
        return text
    except WenzhengError as exc:
        raise FieldError(name, exc.message, exc.hint) from None


def intake(session: Session, data: IntakeInput) -> Case:
    settings = session.settings
    description = check_field(settings, "description", data.description)
    if not description:
        raise WenzhengError(
            "诉求内容不能为空",
            hint=phrase("例如 ", command("intake", Prose("3号楼路灯不亮"), option("community", "杨柳"))),
        )
    payload = {
        name: check_field(settings, name, getattr(data, name))
        for name in (
            "difficulty",
            "title",
            "resident",
            "phone",
            "address",
            "community",
            "grid",
            "channel",
            "category",
            "nature",
        )
    }
    payload["description"] = description
    payload["on_site"] = clean_text(data.on_site, "现场办结结果", MAX_TEXT)
    if payload["on_site"]:
        payload["level"] = settings.intake_level
        payload["outcome"] = "solved"
    at = business_time(session, data.at, what="受理")
    with session.ledger.write() as conn:
        if data.activity is not None:
            known = 0 < data.activity < 2**63 and activities.get_activity(conn, data.activity) is not None
            if not known:
                raise WenzhengError(
                    f"找不到问政活动 {data.activity}",
                    hint=phrase("用 ", command("activity list"), " 查看活动编号"),
                )
            payload["activity_id"] = data.activity
        office = settings.office
        seq = store.next_seq(conn, office, at.year)
        payload.update(office=office, year=at.year, seq=seq, number=format_number(office, at.year, seq))
        event = make_event(session, new_ulid(), Action.INTAKE, at, payload)
        case = apply(None, event)
        store.insert_case(conn, case)
        store.append_event(conn, event)
    return case


def add_activity(
    session: Session, title: str, *, at: str | None, community: str | None, kind: str | None
) -> Activity:
    text = clean_text(title, "活动名称", MAX_FIELD)
    if not text:
        raise WenzhengError(
            "活动名称不能为空",
            hint=phrase("例如 ", command("activity add", Prose("11月居民问政日"), option("kind", "问政日"))),
        )
    moment = business_time(session, at, what="活动")
    values: dict[str, Any] = {
        "uid": new_ulid(),
        "title": text,
        "kind": clean_text(kind, "活动类型", 40) or "问政日",
        "at": clock.iso(moment),
        "community": check_listed(
            clean_text(community, "社区", MAX_FIELD), session.settings.communities, "社区", "communities"
        ),
        "recorded_at": clock.iso(session.now),
        "actor": session.operator,
    }
    with session.ledger.write() as conn:
        values["id"] = activities.insert_activity(conn, values)
    return Activity(**values)


def list_activities(session: Session) -> list[dict[str, Any]]:
    """Every 问政 activity, oldest first, with the number of cases linked to it."""
    return activities.list_activities(session.ledger.conn)
