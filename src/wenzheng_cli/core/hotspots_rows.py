"""The period's cases as ``hotspots`` reads them: a row of the ledger made a ``HotspotCase`` (the resident as a
person, the time in seconds, the text without the resident's name, the support an import kept). Light to import:
the second process reading the cases loads it.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from wenzheng_cli.analysis.problems import HotspotCase
from wenzheng_cli.domain.fields import phone_digits


def seconds(iso: str) -> float:
    return datetime.fromisoformat(iso).timestamp()


def unnamed(description: str, resident: str | None) -> str:
    """The text without the resident's own name (联系孙玉梅): a name is no word of the problem, and a copy made
    without personal data (孙**) then reads the same."""
    if resident and len(resident) >= 2:
        return description.replace(resident, " ")
    return description


def hotspot_case(row: tuple[Any, ...]) -> HotspotCase:
    """A row of ``store.analysis.HOTSPOT_COLUMNS`` as the analysis reads it."""
    (
        pk,
        received_at,
        title,
        description,
        address,
        community,
        grid,
        resident,
        phone,
        extra,
        twin,
        confirmed,
    ) = row[:12]
    if phone:
        person = "p:" + phone_digits(phone)
    elif resident:
        person = "n:" + resident
    else:
        person = f"c:{pk}"
    return HotspotCase(
        pk=pk,
        at=seconds(received_at),
        title=title,
        description=unnamed(description, resident),
        address=address,
        community=community,
        grid=grid,
        person=person,
        support=_support(extra) if extra else 0,
        twin=twin,
        confirmed=bool(confirmed),
        category=row[12] or None,
    )


_SUPPORT_WORDS = ("点赞", "支持", "附议", "赞同")


def _support(extra: str) -> int:
    """点赞数 and the like, as an import kept them among the case's other columns."""
    if not any(word in extra for word in _SUPPORT_WORDS):
        return 0

    try:
        kept = json.loads(extra)
    except ValueError:
        return 0
    total = 0
    for key, value in kept.items() if isinstance(kept, dict) else ():
        if any(word in key for word in _SUPPORT_WORDS):
            try:
                total += max(int(float(str(value).strip())), 0)
            except ValueError:
                continue
    return total
