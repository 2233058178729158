"""A case row as JSON text, written by SQLite: how a big 台账 goes out as JSON without making a Python object
per field of every case (reading the rows into cases and dicts and encoding those took most of the time).

The text is what ``json.dumps(…, ensure_ascii=False)`` writes for the case's dict of the given columns:
``", "`` and ``": "`` between the items, ``null``, ``true``/``false`` for the flags, strings quoted and
escaped as Python escapes them (``json_quote``: ``\\"``, ``\\\\``, ``\\n``…, other C0 controls as
``\\u001f``). Masked columns go through the same Python functions as everywhere else, registered as SQL
functions. The closing brace is left off, so that a report can add keys of its own. Tests hold the two paths
equal byte for byte (``tests/test_report_weekly_json.py``).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import fields
from typing import Any

from wenzheng_cli.domain.models import CASE_FIELDS, Case
from wenzheng_cli.domain.text import (
    CHINESE,
    MOBILE_DIGITS,
    MOBILE_HEAD,
    MOBILE_STARS,
    MOBILE_TAIL,
    mask_name,
    mask_phone,
)

# (column, the function its value is shown through, or None: as stored), in the order of the keys.
Columns = Sequence[tuple[str, Callable[[Any], Any] | None]]

_FLAGS = frozenset(f.name for f in fields(Case) if f.type == "bool")
# Columns that hold the JSON text of a list (``reply_flags``), written as they are stored.
_LISTS = frozenset(f.name for f in fields(Case) if str(f.type).startswith("tuple["))

# The usual value of a masked column masked in SQL, any other through the mask itself: a call into Python costs
# more than the mask, and a big 台账 makes two per case. Tests hold both ways equal (``tests/test_case_text.py``).
_CJK = f"[{CHINESE}]"
_USUAL: dict[Callable[[Any], Any], str] = {
    # a mobile number: 138****5678
    mask_phone: f"CASE WHEN {{v}} GLOB '{'[0-9]' * MOBILE_DIGITS}'"
    f" THEN substr({{v}}, 1, {MOBILE_HEAD}) || '{MOBILE_STARS}' || substr({{v}}, {MOBILE_DIGITS - MOBILE_TAIL + 1})"
    " ELSE {f}({v}) END",
    # two or more Chinese characters and nothing else: 李*, 王**
    mask_name: f"CASE WHEN {{v}} GLOB '{_CJK}{_CJK}*' AND {{v}} NOT GLOB '*[^{CHINESE}]*'"
    " THEN substr({v}, 1, 1) || CASE WHEN length({v}) > 2 THEN '**' ELSE '*' END ELSE {f}({v}) END",
}


def object_sql(conn: sqlite3.Connection, columns: Columns, table: str = "c") -> str:
    """An SQL expression for the JSON text (UTF-8 bytes) of ``columns`` of the case row ``table``, without its
    closing brace. The masks are registered on ``conn``."""
    values = []
    for key, mask in columns:
        if key not in CASE_FIELDS:
            raise ValueError(f"not a column of a case: {key!r}")
        value = f"{table}.{key}"
        if mask is not None:
            name = f"wz_shown_{key}"
            conn.create_function(name, 1, mask, deterministic=True)
            usual = _USUAL.get(mask)
            value = usual.format(v=value, f=name) if usual else f"{name}({value})"
        if key in _FLAGS:
            values.append(f"CASE WHEN {value} THEN 'true' ELSE 'false' END")
        elif key in _LISTS:
            values.append(value)
        else:
            values.append(f"json_quote({value})")
    template = "{" + ", ".join(f"{json.dumps(key)}: %s" for key, _ in columns)
    return f"CAST(printf('{template}', {', '.join(values)}) AS BLOB)"
