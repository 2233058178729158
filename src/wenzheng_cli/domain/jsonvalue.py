"""Typed values that are their JSON: a frozen dataclass whose fields are the keys of its JSON object.

A result a front end shows is such a value, so that what one process computed another can rebuild from the
JSON and render the same: ``Type.from_json(value.to_json()) == value``. The conversions are the few the
shapes of the CLI contract need: nested values (objects), tuples (arrays), mappings (objects of values),
``X | None`` (``null``), enums (their value; a text enum is written as it is); anything else (text, numbers, booleans, ``Any``) as it is.

Field metadata:

- ``key("cases")``: the JSON key, when it is not the field's name;
- ``screen()``: what a front end knows without the result (the verb of the command it ran, the page of a list
  it asked for, the moment it draws at, the office heading a report) and passes again to ``from_json``: shown,
  never in the JSON.
"""

from __future__ import annotations

import dataclasses
import enum
import types
import typing
from collections.abc import Callable, Mapping
from operator import attrgetter
from typing import Any, ClassVar, Self, Union, get_args, get_origin

SCREEN = "screen"
KEY = "json_key"

Convert = Callable[[Any], Any]


def screen(default: Any = dataclasses.MISSING) -> Any:
    """A field shown on screen but not in the JSON (``from_json`` takes it as a keyword)."""
    return dataclasses.field(default=default, metadata={SCREEN: True})


def key(name: str, default: Any = dataclasses.MISSING) -> Any:
    """A field written under another JSON key."""
    return dataclasses.field(default=default, metadata={KEY: name})


class JsonValue:
    """Base of the typed values: ``to_json`` and ``from_json`` from the dataclass fields."""

    _plan: ClassVar[_Plan | None] = None

    def to_json(self) -> Any:
        return _plan_of(type(self)).encode(self)

    @classmethod
    def from_json(cls, data: Any, **screen: Any) -> Self:
        found: Self = _plan_of(cls).decode(data, screen)
        return found

    def screen_values(self) -> dict[str, Any]:
        """The fields ``from_json`` cannot read from the JSON: what to pass it again."""
        return {name: getattr(self, name) for name in _plan_of(type(self)).screen}


def _identity(value: Any) -> Any:
    return value


class _Plan:
    """One class's fields as (JSON key, field name, encode, decode); the screen fields apart."""

    def __init__(self, cls: type[Any]) -> None:
        hints = typing.get_type_hints(cls)
        self.cls = cls
        self.fields: list[tuple[str, str, Convert | None, Convert | None]] = []
        self.screen: list[str] = []
        self.defaults: dict[str, bool] = {}
        for f in dataclasses.fields(cls):
            if not f.init:
                continue
            if f.metadata.get(SCREEN):
                self.screen.append(f.name)
                continue
            encode, decode = converters(hints[f.name])
            self.fields.append((f.metadata.get(KEY, f.name), f.name, encode, decode))
            has_default = f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING
            self.defaults[f.name] = has_default
        self.keys = tuple(k for k, _, _, _ in self.fields)
        names = [name for _, name, _, _ in self.fields]
        self.plain = all(e is None for _, _, e, _ in self.fields)
        # Every field its own key, as it is, and nothing else in the instance: its dict is the JSON.
        self.whole = self.plain and not self.screen and self.keys == tuple(names)
        self.values = attrgetter(*names) if len(names) > 1 else (lambda v: (getattr(v, names[0]),))

    def encode(self, value: Any) -> dict[str, Any]:
        if self.whole and tuple(vars(value)) == self.keys:
            return dict(vars(value))
        if self.plain:  # text, numbers and the like: one C call for them all
            return dict(zip(self.keys, self.values(value), strict=True))
        return {
            k: (v if e is None or v is None else e(v))
            for (k, _, e, _), v in zip(self.fields, self.values(value), strict=True)
        }

    def decode(self, data: Any, screen: Mapping[str, Any]) -> Any:
        if not isinstance(data, Mapping):
            raise TypeError(f"{self.cls.__name__}: a JSON object expected, not {type(data).__name__}")
        unknown = set(screen) - set(self.screen)
        if unknown:
            raise TypeError(f"{self.cls.__name__}: not a screen field: {', '.join(sorted(unknown))}")
        kwargs: dict[str, Any] = dict(screen)
        for k, name, _, d in self.fields:
            if k in data:
                raw = data[k]
                kwargs[name] = raw if d is None or raw is None else d(raw)
            elif not self.defaults[name]:
                raise KeyError(f"{self.cls.__name__}: no {k!r} in the JSON")
        return self.cls(**kwargs)


def _plan_of(cls: type[Any]) -> _Plan:
    plan = cls.__dict__.get("_plan")
    if plan is None:
        plan = _Plan(cls)
        cls._plan = plan
    assert isinstance(plan, _Plan)
    return plan


def converters(hint: Any) -> tuple[Convert | None, Convert | None]:
    """How a value of type ``hint`` is written to JSON and read back (``None``: as it is)."""
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        inner = [a for a in get_args(hint) if a is not type(None)]
        if len(inner) != 1:  # text | int and the like: JSON says which
            if any(converters(a) != (None, None) for a in inner):
                raise TypeError(f"no JSON conversion for {hint}")
            return None, None
        return converters(inner[0])  # None stays null either way
    if isinstance(hint, type) and issubclass(hint, JsonValue):
        return _encode_value, hint.from_json
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        cls = hint
        if issubclass(hint, str):  # a text enum is its value, as JSON writes and compares it
            return None, cls
        return (lambda v: v.value), cls
    if origin is tuple:
        args = get_args(hint)
        if len(args) != 2 or args[1] is not Ellipsis:
            raise TypeError(f"only tuple[X, ...] is JSON: {hint}")
        encode, decode = converters(args[0])
        return (
            (lambda v: [x if encode is None or x is None else encode(x) for x in v]),
            (lambda v: tuple(x if decode is None or x is None else decode(x) for x in v)),
        )
    if origin in (dict, Mapping) or origin is typing.Mapping:
        encode, decode = converters(get_args(hint)[1])
        if encode is None and decode is None:
            return dict, dict
        return (
            (lambda v: {k: x if encode is None or x is None else encode(x) for k, x in v.items()}),
            (lambda v: {k: x if decode is None or x is None else decode(x) for k, x in v.items()}),
        )
    return None, None


def _encode_value(value: JsonValue) -> Any:
    return value.to_json()
