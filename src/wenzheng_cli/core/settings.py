"""``init`` and ``config``: an office's code, name, lists and rules, kept in the ledger."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from wenzheng_cli.config import DEFAULTS, LIST_KEYS, coerce_setting
from wenzheng_cli.core.session import Session
from wenzheng_cli.domain.fields import MAX_FIELD, clean_text
from wenzheng_cli.errors import WenzhengError
from wenzheng_cli.store import cases as store
from wenzheng_cli.store import settings as stored_settings

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
                    hint="每个社区用一个台账；新社区请用 --db 另建台账",
                )
            stored_settings.save(conn, "office.code", code)
        elif "office.code" not in current:
            stored_settings.save(conn, "office.code", DEFAULTS["office.code"])
        if name is not None:
            stored_settings.save(conn, "office.name", clean_text(name, "社区名称", MAX_FIELD) or "")
    session.reload()
    return OfficeInfo(
        path=str(session.ledger.path),
        office=session.config.office,
        name=str(session.config["office.name"] or ""),
        cases=store.count_cases(session.ledger.conn),
    )


def show_config(session: Session) -> dict[str, Any]:
    return dict(session.config.values)


def set_value(session: Session, key: str, raw: str) -> Any:
    if key == "office.code":
        raise WenzhengError("社区代码请用 wenzheng init --office 修改", hint="例如 wenzheng init --office YL")
    value = coerce_setting(key, raw)
    if key == "levels" and len(value) < 2:
        raise WenzhengError("层级列表至少要两级", hint='例如 wenzheng config set levels "网格,社区,街道,区"')
    with session.ledger.write() as conn:
        stored_settings.save(conn, key, value)
    session.reload()
    return value


def _list_key(key: str) -> str:
    if key not in LIST_KEYS:
        raise WenzhengError(f"「{key}」不是列表配置项", hint=f"列表配置项: {'、'.join(LIST_KEYS)}")
    return key


def add_values(session: Session, key: str, values: list[str]) -> list[str]:
    current = list(session.config[_list_key(key)])
    for raw in values:
        value = raw.strip()
        if value and value not in current:
            current.append(value)
    with session.ledger.write() as conn:
        stored_settings.save(conn, key, current)
    session.reload()
    return current


def remove_values(session: Session, key: str, values: list[str]) -> list[str]:
    current = list(session.config[_list_key(key)])
    missing = [v for v in values if v.strip() not in current]
    if missing:
        raise WenzhengError(f"{'、'.join(missing)} 不在 {key} 中", hint=f"用 wenzheng config show 查看 {key}")
    current = [v for v in current if v not in {x.strip() for x in values}]
    with session.ledger.write() as conn:
        stored_settings.save(conn, key, current)
    session.reload()
    return current


def reset_value(session: Session, key: str) -> Any:
    if key not in DEFAULTS or key == "office.code":
        raise WenzhengError(f"不能重置「{key}」", hint="用 wenzheng config show 查看配置项")
    with session.ledger.write() as conn:
        stored_settings.remove(conn, key)
    session.reload()
    return DEFAULTS[key]
