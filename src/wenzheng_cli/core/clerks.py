"""The clerks of a served ledger: ``clerk add`` (a token shown once), ``clerk list``, ``clerk remove``, and
the token a request carries told back into its clerk.

A token is 256 random bits (``secrets.token_urlsafe(32)``). The ledger keeps only its SHA-256: a copy of the
ledger, or a look over someone's shoulder at ``clerk list``, gives nobody a token. A fast hash is right here,
unlike for a password: there is nothing to guess, as no list of likely tokens exists and 2**256 cannot be tried,
so a slow hash (bcrypt, scrypt) would only slow every request down; and the same token always hashes the same,
so a request's token is found by one indexed lookup.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from wenzheng_cli.core.session import Session
from wenzheng_cli.domain import clock
from wenzheng_cli.domain.clerks import Clerk, Role
from wenzheng_cli.domain.fields import MAX_FIELD, clean_text
from wenzheng_cli.domain.taxonomy import closest
from wenzheng_cli.errors import WenzhengError, command, option, phrase
from wenzheng_cli.store import clerks as store
from wenzheng_cli.store.ledger import Ledger

TOKEN_BYTES = 32  # 256 random bits
MAX_TOKEN = 256  # characters: a token is 43; anything much longer is not one, and is not hashed


@dataclass(frozen=True)
class ClerkAdded:
    """A clerk just added, with the token that is shown this once and kept nowhere."""

    name: str
    role: Role
    token: str


@dataclass(frozen=True)
class ClerkEntry:
    """A clerk as listed: never the token or its hash."""

    name: str
    role: Role
    added_at: str
    added_by: str


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _name(text: str) -> str:
    name = clean_text(text, "办事员姓名", MAX_FIELD)
    if name is None:
        raise WenzhengError("办事员姓名为空", hint=phrase("写出姓名，如 ", command("clerk add", "王芳")))
    return name


def add(session: Session, name: str, role: Role) -> ClerkAdded:
    """A new clerk with a new token. A name already there is refused: its token would otherwise change under
    the person who has it."""
    who = _name(name)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    values = {
        "name": who,
        "role": role.value,
        "token_hash": token_hash(token),
        "added_at": clock.iso(session.now),
        "added_by": session.operator,
    }
    with session.ledger.write() as conn:
        if store.has_clerk(conn, who):
            raise WenzhengError(
                f"已有办事员「{who}」",
                hint=phrase(
                    "要换令牌或角色，先用 ",
                    command("clerk remove", who),
                    " 删除（旧令牌随即作废）再添加；是另一个人就换个名字，如 ",
                    command("clerk add", f"{who}2"),
                ),
            )
        store.insert_clerk(conn, values)
    return ClerkAdded(who, role, token)


def _entry(row: dict[str, Any]) -> ClerkEntry:
    return ClerkEntry(row["name"], Role(row["role"]), row["added_at"], row["added_by"])


def list_(session: Session) -> list[ClerkEntry]:
    return [_entry(row) for row in store.list_clerks(session.ledger.conn)]


def remove(session: Session, name: str) -> ClerkEntry:
    """Remove a clerk: their token no longer opens anything. The steps they took keep their name."""
    who = _name(name)
    with session.ledger.write() as conn:
        found = store.get_clerk(conn, who)
        if found is None:
            names = store.clerk_names(conn)
            near = closest(who, names)
            if near:
                hint = phrase("是不是: ", "、".join(near), "？用 ", command("clerk list"), " 查看全部")
            elif names:
                hint = phrase("用 ", command("clerk list"), " 查看已有的办事员")
            else:
                hint = phrase("还没有添加办事员；添加用 ", command("clerk add", who, option("role", "clerk")))
            raise WenzhengError(f"没有办事员「{who}」", hint=hint)
        store.delete_clerk(conn, who)
    return _entry(found)


def authenticate(ledger: Ledger, token: str) -> Clerk | None:
    """The clerk whose token this is, or ``None`` (an empty or over-long token, an unknown or removed one, or a
    row whose role is not one this version knows)."""
    if not token or len(token) > MAX_TOKEN:
        return None
    found = store.clerk_by_token_hash(ledger.conn, token_hash(token))
    if found is None:
        return None
    name, role = found
    try:
        return Clerk(name, Role(role))
    except ValueError:
        return None
