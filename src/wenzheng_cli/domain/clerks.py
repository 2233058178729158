"""Who may do what on a served ledger (``wenzheng serve``): the roles, a clerk, and the role each command needs.

A role allows what the roles below it allow: a viewer reads (cases, lists, reports, hotspots), a clerk also
takes the steps of a case and imports, an admin also changes the office's configuration, manages the clerks,
copies the ledger and takes back another clerk's step. The table below is the one place that says which
command needs which role; a command it does not name needs an admin, so a command added later is never open to
fewer people than it should be (``tests/test_clerks.py`` holds the table to the command line's commands).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from wenzheng_cli.errors import WenzhengError, option, phrase


class Role(StrEnum):
    VIEWER = "viewer"
    CLERK = "clerk"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return _LABELS[self]

    def allows(self, needed: Role) -> bool:
        """Whether this role may run what ``needed`` may (viewer < clerk < admin)."""
        return _ORDER.index(self) >= _ORDER.index(needed)

    @classmethod
    def parse(cls, text: str) -> Role:
        """A role as typed: its English value or its Chinese label, in any letter case."""
        word = text.strip()
        for role in cls:
            if word.casefold() == role.value or word == role.label:
                return role
        known = "、".join(f"{role.value}（{role.label}）" for role in _ORDER)
        raise WenzhengError(
            f"没有角色「{word[:30]}」", hint=phrase("可选: ", known, "；例如 ", option("role", "clerk"))
        )


_ORDER = (Role.VIEWER, Role.CLERK, Role.ADMIN)
_LABELS = {Role.VIEWER: "查看", Role.CLERK: "办事员", Role.ADMIN: "管理员"}


@dataclass(frozen=True)
class Clerk:
    """A person with a token for a served ledger: the name recorded on their steps, and their role."""

    name: str
    role: Role


V, C, A = Role.VIEWER, Role.CLERK, Role.ADMIN

# The role a command needs, by its name; None for a command that never runs on a server (it makes a ledger,
# starts the server, logs in to one, or prints a shell script).
COMMAND_ROLES: dict[str, Role | None] = {
    "show": V,
    "list": V,
    "hotspots": V,
    "suggest": V,
    "check": V,
    "intake": C,
    "assign": C,
    "claim": C,
    "return": C,
    "escalate": C,
    "note": C,
    "extend": C,
    "supervise": C,
    "resolve": C,
    "revisit": C,
    "withdraw": C,
    "amend": C,
    "undo": C,  # another clerk's step: admins only (core.corrections, Session.may_undo_others)
    "import": C,
    "backup": A,
    "export": A,
    "rollup": A,  # files of other ledgers in; ``rollup --status`` alone is read: STATUS
    "init": None,
    "serve": None,
    "login": None,
    "completion": None,
}
# The role each subcommand of a group needs.
GROUP_ROLES: dict[str, dict[str, Role]] = {
    "report": {"weekly": V, "monthly": V, "trend": V},
    "config": {"show": V, "set": A, "add": A, "remove": A, "rename": A, "reset": A},
    "activity": {"add": C, "list": V},
    "clerk": {"add": A, "list": A, "remove": A},
}
# ``rollup --status`` only reads what has been rolled up: the caller passes its path as the command's name and
# the option as typed; the option's name is this.
STATUS = "status"


def required_role(path: tuple[str, ...]) -> Role | None:
    """The role the command at ``path`` needs: the command's name and, for a group, its subcommand
    (``("report", "weekly")``); ``("rollup", "--status")`` for the roll-up's status. ``None`` for a command
    that never runs on a server. A group named alone (its help) needs the least of its subcommands' roles; an
    unknown command or subcommand needs an admin."""
    if not path:
        return A
    name, rest = path[0], path[1:]
    if name == "rollup" and len(rest) == 1 and rest[0].startswith("-") and rest[0].lstrip("-") == STATUS:
        return V
    if name in GROUP_ROLES:
        subcommands = GROUP_ROLES[name]
        if not rest:
            return min(subcommands.values(), key=_ORDER.index)
        return subcommands.get(rest[0], A)
    if name in COMMAND_ROLES:
        return COMMAND_ROLES[name]
    return A
