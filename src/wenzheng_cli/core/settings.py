"""``init`` and ``config``: an office's code, name, lists and rules, kept in the ledger."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from wenzheng_cli.config import (
    DEFAULTS,
    KIND_LABELS,
    LIST_KEYS,
    SettingError,
    Settings,
    coerce_setting,
    shown,
)
from wenzheng_cli.core.corrections import SPAN_KEYS
from wenzheng_cli.core.session import Session
from wenzheng_cli.domain.fields import MAX_FIELD, clean_text
from wenzheng_cli.domain.taxonomy import FIELD_LISTS, closest
from wenzheng_cli.errors import Phrase, WenzhengError, command, option, phrase
from wenzheng_cli.store import cases as store
from wenzheng_cli.store import list_values
from wenzheng_cli.store import settings as stored_settings
from wenzheng_cli.store.rollup import renew_identity

_OFFICE = re.compile(r"^[A-Z][A-Z0-9]{0,7}$")


@dataclass(frozen=True)
class OfficeInfo:
    path: str
    office: str
    name: str
    cases: int


def init(session: Session, office: str | None, name: str | None) -> OfficeInfo:
    with session.ledger.write() as conn:
        current = session.ledger.settings()
        if office:
            code = office.strip().upper()
            if not _OFFICE.match(code):
                raise WenzhengError(
                    f"社区代码「{office.strip()[:20]}」不合规", hint="用 1–8 位字母或数字、字母开头，如 YL"
                )
            old = current.get("office.code", DEFAULTS["office.code"])
            if code != old and store.count_cases(conn) > 0:
                raise WenzhengError(
                    f"台账已有案件，编号前缀 {old} 不能再改为 {code}",
                    hint=phrase("每个社区用一个台账；新社区请用 ", option("db"), " 另建台账"),
                )
            if code != current.get("office.code"):
                # a ledger given its office now (a copied blank ledger among them) is a ledger of its own
                renew_identity(conn)
            stored_settings.save(conn, "office.code", code)
        elif "office.code" not in current:
            stored_settings.save(conn, "office.code", DEFAULTS["office.code"])
        if name is not None:
            stored_settings.save(conn, "office.name", clean_text(name, "社区名称", MAX_FIELD) or "")
    session.reload()
    return OfficeInfo(
        path=str(session.ledger.path),
        office=session.settings.office,
        name=session.settings.office_name,
        cases=store.count_cases(session.ledger.conn),
    )


def show_config(session: Session) -> dict[str, Any]:
    return dict(session.settings.values)


LEVEL_KEYS = ("level.intake", "level.assign", "level.grassroots")


def _change(
    session: Session,
    changes: dict[str, Any],
    also: Callable[[sqlite3.Connection, dict[str, Any]], None] | None = None,
) -> None:
    """Store ``changes`` (``None`` removes a key, back to its default) in one transaction, but only when the
    settings they leave are whole and consistent; otherwise refuse with a hint that is itself valid.
    ``also``: what else the change asks of the ledger, in the same transaction, given the stored settings
    (it may refuse, or add to ``changes``)."""
    with session.ledger.write() as conn:
        stored = dict(session.ledger.settings())
        if also is not None:
            also(conn, stored)
        before = dict(stored)
        previous = stored.get("levels", DEFAULTS["levels"])
        for key, value in changes.items():
            if value is None:
                stored.pop(key, None)
            else:
                stored[key] = value
        try:
            Settings.parse(stored)
        except SettingError as exc:
            # Refused when the change makes the problem (a problem of a key it sets, or of settings that were
            # whole before it); a problem elsewhere that it leaves is no reason.
            if exc.key in changes or (exc.key in LEVEL_KEYS and "levels" in changes) or _whole(before):
                raise WenzhengError(
                    exc.message, hint=_whole_fix(stored, previous, changes) or exc.hint
                ) from None
        for key, value in changes.items():
            if value is None:
                stored_settings.remove(conn, key)
            else:
                stored_settings.save(conn, key, value)
    session.reload()


def _whole(stored: dict[str, Any]) -> bool:
    """Whether ``stored`` settings can be used (then a problem after a change is the change's)."""
    try:
        Settings.parse(stored)
    except SettingError:
        return False
    return True


def _whole_fix(stored: dict[str, Any], previous: Any, changes: dict[str, Any]) -> Phrase | None:
    """For a new list of levels that leaves level.intake/assign/grassroots outside it: the one command that
    sets them together (each moved to the level at the same place in the new list)."""
    levels = stored.get("levels", DEFAULTS["levels"])
    if "levels" not in changes or not isinstance(levels, list) or len(levels) < 2:
        return None
    before = list(previous) if isinstance(previous, list) else list(DEFAULTS["levels"])
    words = ["levels", ",".join(str(x) for x in levels)]
    for key in LEVEL_KEYS:
        value = stored.get(key, DEFAULTS[key])
        if value in levels:
            continue
        place = before.index(value) if value in before else 1
        words += [key, str(levels[min(place, len(levels) - 1)])]
    return (
        phrase("层级与 level.* 须一并修改，例如 ", command("config set", *words)) if len(words) > 2 else None
    )


def set_values(session: Session, pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """``config set KEY VALUE [KEY VALUE]…``: all the values, checked together, stored together."""
    changes: dict[str, Any] = {}
    for key, raw in pairs:
        if key == "office.code":
            raise WenzhengError(
                phrase("社区代码请用 ", command("init", option("office")), " 修改"),
                hint=phrase("例如 ", command("init", option("office", "YL"))),
            )
        changes[key] = coerce_setting(key, raw)
    _change(session, changes)
    return changes


def _list_key(key: str) -> str:
    if key not in LIST_KEYS:
        raise WenzhengError(f"「{shown(key)}」不是列表配置项", hint=f"列表配置项: {'、'.join(LIST_KEYS)}")
    return key


def add_values(session: Session, key: str, values: list[str]) -> list[str]:
    current = list(session.settings.values_of(_list_key(key)))
    for raw in values:
        # a list value is typed like the field it names (类别, 社区…), and bounded the same way
        value = clean_text(raw, KIND_LABELS[key], MAX_FIELD)
        if value and value not in current:
            current.append(value)
    _change(session, {key: current})
    return current


def remove_values(session: Session, key: str, values: list[str]) -> list[str]:
    current = list(session.settings.values_of(_list_key(key)))
    missing = [v for v in values if v.strip() not in current]
    if missing:
        raise WenzhengError(
            f"{'、'.join(shown(v) for v in missing[:3])}{' 等' if len(missing) > 3 else ''} 不在 {key} 中",
            hint=phrase("用 ", command("config show"), f" 查看 {key}"),
        )
    gone = list(dict.fromkeys(v.strip() for v in values))
    current = [v for v in current if v not in gone]
    changes: dict[str, Any] = {key: current}
    field = next((name for name, each in FIELD_LISTS.items() if each == key), None)

    def unused(conn: sqlite3.Connection, stored: dict[str, Any]) -> None:
        if field is None:
            return
        _refuse_in_use(conn, key, field, gone, current)
        spans_key = SPAN_KEYS.get(field)
        spans = stored.get(spans_key, DEFAULTS[spans_key]) if spans_key else None
        if spans_key and isinstance(spans, dict) and any(v in spans for v in gone):
            # the default time limit of a value that is gone names nothing any more
            changes[spans_key] = {name: span for name, span in spans.items() if name not in gone}
        for value in gone:
            list_values.rename_in_model(conn, field, value, None)

    _change(session, changes, unused)
    return current


def _refuse_in_use(
    conn: sqlite3.Connection, key: str, field: str, values: list[str], left: list[str]
) -> None:
    """Refuse to take out of the list a value that cases (or activities) still carry: it would linger on
    them, out of every list; ``config rename`` merges it into another value instead."""
    label = KIND_LABELS[key]
    for value in values:
        cases = list_values.cases_using(conn, field, value)
        held = list_values.activities_using(conn, field, value)
        if not cases and not held:
            continue
        users = "、".join(
            part
            for part in (f"{cases} 件案件" if cases else "", f"{held} 次问政活动" if held else "")
            if part
        )
        near = closest(value, left, n=1) or [f"并入的{label}"]
        raise WenzhengError(
            f"{label}「{shown(value)}」仍有 {users}在用，不能移除",
            hint=phrase(f"先把它并入另一个{label}: ", command("config rename", field, value, near[0])),
        )


def reset_value(session: Session, key: str) -> Any:
    if key not in DEFAULTS or key == "office.code":
        raise WenzhengError(
            f"不能重置「{shown(key)}」", hint=phrase("用 ", command("config show"), " 查看配置项")
        )
    _change(session, {key: None})
    return DEFAULTS[key]
