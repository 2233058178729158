"""Correcting the record: ``amend`` (typed fields), ``undo`` (the latest step) and ``config rename`` (one list
value merged into another across the list and every case that carries it).

Nothing is deleted: each correction is an event (``amend`` with the old and new values and the reason, ``undo``
naming the event it revokes), and the case is the replay of its events (``domain.states.fold``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from wenzheng_cli.core.cases import find, make_event, record
from wenzheng_cli.core.intake import check_field
from wenzheng_cli.core.session import Session
from wenzheng_cli.core.timing import business_time
from wenzheng_cli.domain.fields import FIELD_LABELS, MAX_FIELD, MAX_TEXT, clean_text, required_text
from wenzheng_cli.domain.models import Action, Case, Event
from wenzheng_cli.domain.rollup import chain
from wenzheng_cli.domain.states import AMENDABLE, apply, fold, undoable
from wenzheng_cli.domain.taxonomy import FIELD_LISTS, closest
from wenzheng_cli.errors import Piece, WenzhengError, command, option, phrase
from wenzheng_cli.store import cases as store
from wenzheng_cli.store import list_values
from wenzheng_cli.store import rollup as rollups
from wenzheng_cli.store import settings as stored_settings

AMEND_EXAMPLE = command(
    "amend", "42", option("category", "环境卫生"), option("reason", "受理时类别选错", prose=True)
)
OPTION_OF = {name: option("text" if name == "description" else name) for name in AMENDABLE}


def amend(
    session: Session, ref: str, values: Mapping[str, Any], *, reason: str | None, at: str | None
) -> Case:
    """Correct the fields given (``None``: not given; an empty text clears an optional field)."""
    given = {name: value for name, value in values.items() if value is not None}
    if not given:
        options: list[Piece] = []
        for each in OPTION_OF.values():
            options += [" ", each] if options else [each]
        raise WenzhengError("没有写要更正的内容", hint=phrase("可更正: ", *options, "；例如 ", AMEND_EXAMPLE))
    text = required_text(reason, "更正理由", AMEND_EXAMPLE)
    settings = session.settings
    cleaned = {name: check_field(settings, name, value) for name, value in given.items()}
    if "description" in cleaned and not cleaned["description"]:
        raise WenzhengError(
            "诉求内容不能改为空", hint=phrase("例如 ", option("text", "3号楼东侧路灯不亮", prose=True))
        )

    def build(conn: sqlite3.Connection, case: Case, moment: datetime) -> dict[str, Any]:
        return amendment(case, cleaned, text)

    return record(session, ref, Action.AMEND, at, build)


def amendment(case: Case, values: Mapping[str, Any], reason: str) -> dict[str, Any]:
    """The payload of an amend: each field whose value changes, with its old and new value."""
    changes = {
        name: {"old": getattr(case, name), "new": new}
        for name, new in values.items()
        if getattr(case, name) != new
    }
    # A category filled in by a suggestion (``category_suggested``) stops being one once a clerk corrects it.
    if "category" in changes and getattr(case, "category_suggested", False):
        changes["category_suggested"] = {"old": True, "new": False}
    if not changes:
        labels = "、".join(FIELD_LABELS[name] for name in values)
        raise WenzhengError(
            f"{case.number} 的{labels}已是所写的值，没有要更正的内容",
            hint=phrase("用 ", command("show", case.number), " 查看案件现在的内容"),
        )
    return {"reason": reason, "changes": changes}


# --- undo --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Undo:
    """A case and the event an undo takes (or took) back from it."""

    case: Case
    event: Event


def _latest_step(conn: sqlite3.Connection, case: Case) -> tuple[list[Event], Event]:
    events = store.events_for(conn, case.id)
    target = undoable(events)
    if target is None:
        raise WenzhengError(
            f"{case.number} 除受理外没有可撤销的操作",
            hint=phrase(
                "受理时写错的内容用 ",
                command("amend", case.number),
                " 更正；整件不该受理的用 ",
                command("withdraw", case.number, option("reason", "撤件")),
            ),
        )
    return events, target


def _check_actor(session: Session, case: Case, target: Event) -> None:
    """Where only an admin may take back another clerk's step (a clerk of a served ledger), the step must be the
    operator's own."""
    if session.may_undo_others or target.actor == session.operator:
        return
    raise WenzhengError(
        f"该步由 {target.actor} 办理，只有管理员可以撤销他人的操作",
        hint=phrase(f"请管理员撤销，或请 {target.actor} 本人运行 ", command("undo", case.number)),
    )


def undo_plan(session: Session, ref: str) -> Undo:
    """What ``undo`` would take back now (nothing is changed)."""
    conn = session.ledger.conn
    case = find(conn, session, ref)
    _, target = _latest_step(conn, case)
    _check_actor(session, case, target)
    return Undo(case, target)


def undo(
    session: Session, ref: str, *, reason: str | None, at: str | None, expect: str | None = None
) -> Undo:
    """Take back the case's latest step that stands (other than its intake). ``expect``: the id of the event
    the clerk was shown; if another step came in meanwhile, nothing is undone."""
    text = clean_text(reason, "撤销理由", MAX_TEXT)
    with session.ledger.write() as conn:
        case = find(conn, session, ref)
        events, target = _latest_step(conn, case)
        _check_actor(session, case, target)
        if expect is not None and target.id != expect:
            raise WenzhengError(
                f"{case.number} 刚有新的办理记录，本次未撤销",
                hint=phrase("重新运行 ", command("undo", case.number)),
            )
        moment = business_time(session, at, what="撤销")
        payload = {"revokes": target.id, "undone": target.action.value, "reason": text}
        event = make_event(session, case.id, Action.UNDO, moment, payload)
        updated = fold([*events, event])
        assert updated is not None
        store.append_event(conn, event)
        store.update_case(conn, updated)
    return Undo(updated, target)


# --- config rename -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Renamed:
    kind: str  # category, channel, nature, community, grid
    old: str
    new: str
    numbers: list[str]  # the cases amended
    values: list[str]  # the office's list afterwards

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "old": self.old,
            "new": self.new,
            "cases": self.numbers,
            "values": self.values,
        }


SPAN_KEYS = {"category": "span.by_category", "nature": "span.by_nature"}


def rename(session: Session, kind: str, old: str, new: str) -> Renamed:
    """Merge the value ``old`` of a list into ``new``, which must exist already (in the list or on a case):
    every case carrying ``old`` gets an amend event, the activities held in it move to ``new``, ``old``
    leaves the list (and its default time limit goes to ``new`` when ``new`` has none), the suggestion model
    learns it as ``new`` and the kept figures of past months are counted again, all in one transaction."""
    field = kind.strip().lower()
    field = next((name for name, key in FIELD_LISTS.items() if key == field), field)  # categories → category
    if field not in FIELD_LISTS:
        raise WenzhengError(f"不能改名「{kind[:20]}」", hint=f"可改名的列表: {'、'.join(FIELD_LISTS)}")
    label, key = FIELD_LABELS[field], FIELD_LISTS[field]
    before = clean_text(old, label, MAX_FIELD) or ""
    after = clean_text(new, label, MAX_FIELD) or ""
    if not before or not after:
        raise WenzhengError(
            f"{label}名称不能为空", hint=phrase("例如 ", command("config rename", field, "旧名称", "新名称"))
        )
    if before == after:
        raise WenzhengError(
            f"新旧{label}相同: {before}",
            hint=phrase("例如 ", command("config rename", field, "堆码物", "堆码物清理")),
        )
    settings = session.settings
    listed = list(settings.values_of(key))
    reason = f"{label}「{before}」并入「{after}」"
    with session.ledger.write() as conn:
        found = store.cases_with(conn, field, before)
        # Other offices' cases (rolled up into a street's ledger) are not amended: the street's rename is kept
        # and applied to them whenever they are rebuilt from their events (``domain.rollup.settle``).
        carrying = [case for case in found if case.office == settings.office]
        others = [case for case in found if case.office != settings.office]
        held = list_values.activities_using(conn, field, before)
        if before not in listed and not found and not held:
            near = closest(before, listed)
            raise WenzhengError(
                f"{label}「{before}」不在列表中，也没有案件使用",
                hint=phrase(
                    f"是否指 {'、'.join(near)}？" if near else "",
                    "用 ",
                    command("config show"),
                    f" 查看 {key}",
                ),
            )
        if after not in listed and not store.cases_with(conn, field, after, limit=1):
            near = closest(after, listed)
            raise WenzhengError(
                f"{label}「{after}」不存在，只能并入已有的{label}",
                hint=phrase(
                    f"是否指 {'、'.join(near)}？" if near else "",
                    "确要新设，先运行 ",
                    command("config add", key, after),
                ),
            )
        moment = session.now
        for case in carrying:
            payload = {"reason": reason, "changes": {field: {"old": before, "new": after}}}
            event = make_event(session, case.id, Action.AMEND, moment, payload)
            store.append_event(conn, event)
            store.update_case(conn, apply(case, event))
        values = [v for v in listed if v != before]
        if before in listed and after not in values:
            values.insert(listed.index(before), after)
        if values != listed:
            stored_settings.save(conn, key, values)
        spans_key = SPAN_KEYS.get(field)
        if spans_key:
            spans = dict(settings.values[spans_key])
            if before in spans:
                span = spans.pop(before)
                spans.setdefault(after, span)
                stored_settings.save(conn, spans_key, spans)
        rollups.save_renames(conn, field, chain(rollups.renames(conn).get(field, {}), before, after))
        rollups.rename_foreign(conn, field, settings.office, before, after)
        list_values.rename_in_activities(conn, field, before, after)
        list_values.rename_in_model(conn, field, before, after)
        list_values.forget_figures(conn)
    session.reload()
    return Renamed(field, before, after, [c.number for c in carrying + others], values)
