"""The office's lists as an import meets them: each value of a listed field spelled as the list spells it,
whatever its case (``qq`` is the ``QQ`` of the list), and the values the lists do not have yet gathered in the
order they first came, added to the lists in the import's own transaction."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from wenzheng_cli.store import settings as stored_settings

if TYPE_CHECKING:
    from wenzheng_cli.config import Settings

TAXONOMY = {
    "category": "categories",
    "channel": "channels",
    "nature": "natures",
    "community": "communities",
    "grid": "grids",
}
CONFIGURED_ONLY = ("communities", "grids")  # checked (and so extended) only once an office lists them


class ListValues:
    """The list values of one import: how each is spelled, and which of them its new cases hold."""

    def __init__(self, settings: Settings) -> None:
        # Taxonomy values by their lower-case form: ``qq`` is the ``QQ`` of the list, and a new value is
        # spelled as it first came.
        self.spelling = {kind: {v.lower(): v for v in settings.values_of(kind)} for kind in TAXONOMY.values()}
        self.checked = {
            f: kind for f, kind in TAXONOMY.items() if kind not in CONFIGURED_ONLY or settings.values_of(kind)
        }
        self._spelled: dict[str, dict[str, str]] = {name: {} for name in TAXONOMY}
        # The values of the checked fields among the staged rows, in the order they first came.
        self.staged: dict[str, dict[str, None]] = {name: {} for name in self.checked}

    def spell(self, fields: dict[str, Any]) -> None:
        """Taxonomy values as the office's lists spell them, whatever their case (``qq`` → ``QQ``); a value
        the lists do not have yet is spelled as it first came."""
        for name, kind in TAXONOMY.items():
            value = fields[name]
            if value is not None:
                seen = self._spelled[name]
                spelled = seen.get(value)
                if spelled is None:
                    spelled = seen[value] = self.spelling[kind].setdefault(value.lower(), value)
                fields[name] = spelled

    def note(self, rows: Sequence[Mapping[str, Any]]) -> None:
        """The values of rows staged as new cases."""
        for name, seen in self.staged.items():
            for fields in rows:
                value = fields[name]
                if value is not None and value not in seen:
                    seen[value] = None

    def note_facts(self, facts: Mapping[str, Any]) -> None:
        """A list value an update filled in on a case joins the lists too."""
        for name, seen in self.staged.items():
            if facts.get(name):
                seen.setdefault(facts[name], None)

    def save_new(self, conn: Any, settings: Settings) -> dict[str, list[str]]:
        """Add the values the lists do not have to them, by list; returns what was added."""
        added: dict[str, list[str]] = {}
        for name, kind in self.checked.items():
            listed = {v.lower() for v in settings.values_of(kind)}
            values = [v for v in self.staged[name] if v.lower() not in listed]
            if values:
                added[kind] = values
                stored_settings.save(conn, kind, [*settings.values_of(kind), *values])
        return added
