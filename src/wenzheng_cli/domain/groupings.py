"""The groupings of the monthly 通报 and the trend (``--by``), as one table.

Each ``Grouping`` says everything about one way of grouping cases: the key a command line and the JSON use, its
Chinese name (and other words the practices use for it), the ``cases`` column it is read from, whether that
value is the one the case was received with or the one in force at the moment (转办 and 提级 move a case's
unit, handler and level), and the kind of value (a number is grouped under its digits). The accepted values of
``--by``, its help, the labels of the reports, how the fold finds a case's group and the SQL that groups the
rows are all read from ``GROUPINGS``: a new grouping is one row here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# What the monthly fold reads of a case's row before its events (``reports.figures.Head``): its id, the fields
# it was received with that it may be grouped by, its difficulty, its activity and its office. A grouping by a
# field the case was received with reads it from here.
HEAD_COLUMNS = (
    "id",
    "community",
    "category",
    "channel",
    "grid",
    "nature",
    "difficulty",
    "activity_id",
    "office",
)


@dataclass(frozen=True)
class Grouping:
    key: str  # ``--by`` and the report's ``by``
    label: str  # the Chinese name, shown above the groups and accepted by ``--by``
    column: str  # the ``cases`` column (for a moving grouping, also the fold's field of the same name)
    moves: bool = False  # the value in force at the moment (unit, handler, level), not the one received
    kind: type[str] | type[int] = str  # a number is grouped under its digits ("3")
    words: tuple[str, ...] = ()  # more words ``--by`` accepts for it
    # Where a grouping by a field the case was received with reads its value in a head (-1: it moves).
    position: int = field(init=False, default=-1)

    def __post_init__(self) -> None:
        if not self.moves and self.column in HEAD_COLUMNS:
            object.__setattr__(self, "position", HEAD_COLUMNS.index(self.column))

    def key_of(self, value: object) -> str | None:
        """The group a stored value falls in: its text, or ``None`` (the blank group) for no value."""
        if self.kind is int:
            return str(value) if isinstance(value, int) and not isinstance(value, bool) else None
        return value if isinstance(value, str) and value else None


GROUPINGS: tuple[Grouping, ...] = (
    Grouping("community", "社区", "community"),
    Grouping("grid", "网格", "grid", words=("片区",)),
    Grouping("unit", "承办单位", "unit", moves=True, words=("单位", "部门")),
    Grouping("handler", "承办人", "handler", moves=True),
    Grouping("level", "层级", "level", moves=True),
    Grouping("category", "类别", "category"),
    Grouping("channel", "渠道", "channel"),
    Grouping("nature", "性质", "nature"),
    Grouping("difficulty", "难度", "difficulty", kind=int),
    # The office whose ledger the case belongs to (its code, the prefix of its number): a street ledger holds
    # the cases of its communities' ledgers. The reports show each office by its name (``core.offices``).
    Grouping("office", "台账", "office", words=("所属台账", "社区台账")),
)
BY_KEY = {grouping.key: grouping for grouping in GROUPINGS}


def listed() -> str:
    """The groupings as ``--by`` lists them: ``community（社区）、grid（网格）……``."""
    return "、".join(f"{g.key}（{g.label}）" for g in GROUPINGS)


def _check(groupings: tuple[Grouping, ...]) -> None:
    """Refuse, when the module is imported, a table ``--by`` or the fold could not read unambiguously (that
    the fold keeps each moving grouping's field is held by the tests: this module imports nothing)."""
    words: dict[str, str] = {}
    for grouping in groupings:
        if not grouping.moves and grouping.column not in HEAD_COLUMNS:
            raise ValueError(f"grouping {grouping.key!r}: {grouping.column!r} is not in HEAD_COLUMNS")
        for word in (grouping.key, grouping.label, *grouping.words):
            if words.setdefault(word, grouping.key) != grouping.key:
                raise ValueError(
                    f"the grouping word {word!r} is claimed by {words[word]!r} and {grouping.key!r}"
                )


_check(GROUPINGS)
