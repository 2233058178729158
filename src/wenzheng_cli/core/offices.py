"""The offices whose cases a ledger holds: its own, and on a street ledger those of the communities' ledgers put
together with it. An office is known by its code (the prefix of its case numbers, ``YL`` of ``YL-2026-0042``)
and shown by its name: the ledger's own by the name ``init`` gave it, another by the name its own ledger gave
it, an office whose name is not known by its code.

``--office`` takes a code (in any case) or a name; ``--by office`` groups by office and shows each group
under its name, as ``--by community`` shows communities."""

from __future__ import annotations

from wenzheng_cli.core.session import Session
from wenzheng_cli.domain.tally import Tally
from wenzheng_cli.domain.taxonomy import closest
from wenzheng_cli.errors import WenzhengError, option, phrase
from wenzheng_cli.reports.figures import Tallies
from wenzheng_cli.store import cases as store


def names(session: Session) -> dict[str, str]:
    """code → the name the reports show, for the ledger's own office, every office its cases belong to and
    every office rolled up into it. Two offices of the same name are told apart by their codes:
    ``杨柳社区（YL）``."""
    settings = session.settings
    conn = session.ledger.conn
    found = {code: code for code in store.office_codes(conn)}
    found.update({code: name or code for code, name in store.rolled_up_offices(conn).items()})
    found[settings.office] = settings.office_name or settings.office
    taken: dict[str, int] = {}
    for name in found.values():
        taken[name] = taken.get(name, 0) + 1
    return {
        code: name if taken[name] == 1 or name == code else f"{name}（{code}）"
        for code, name in found.items()
    }


def by_name(tallies: Tallies, session: Session) -> Tallies:
    """The groups of ``--by office`` (counted by code) under the offices' names, every office rolled up into
    the ledger among them even without a case in the period (a community whose cases are missing shows)."""
    known = names(session)
    named: Tallies = {}
    for code, tally in tallies.items():
        named[known.get(code, code) if code is not None else None] = tally
    for code in store.rolled_up_offices(session.ledger.conn):
        named.setdefault(known[code], Tally())
    return named


def resolve(session: Session, text: str | None) -> str | None:
    """``--office``: the code of the office typed by its code (in any case) or its name; ``None`` when not
    given. An office the ledger does not know is refused with the closest ones as the hint."""
    if text is None or not text.strip():
        return None
    value = text.strip()
    known = names(session)
    for code, name in known.items():
        if value.upper() == code or value == name:
            return code
    labels = {code: f"{code}（{name}）" if name != code else code for code, name in known.items()}
    by_word = {code: code for code in known} | {name: code for code, name in known.items()}
    near = list(dict.fromkeys(by_word[word] for word in closest(value, list(by_word))))
    listed = "、".join(labels[code] for code in (near or list(known))[:12])
    hint = f"是否指 {listed}？" if near else f"本台账的社区代码: {listed}"
    raise WenzhengError(
        phrase(option("office"), f" 的社区「{value[:20]}」不在本台账中"),
        hint=phrase(hint, "  ", option("office"), " 写社区代码（案件编号的前缀）或社区名称"),
    )
