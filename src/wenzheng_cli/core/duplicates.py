"""Possible duplicates of open cases, found while importing: flagged on the case, never merged.

Same phone, or same address and category, within the window: one SQL pass at the end of the import, on
indexes (``store.imports.flag_same_contact``). Near-identical text: rapidfuzz, row by row, but only against
the latest open cases of the same community and category (a bounded block each, and a bounded number of
blocks), so the cost per row stays constant and memory flat however long the file. A block starts with the
ledger's open cases received within the window around the first row that needs it (imports cover weeks or
months, not years, so those are the cases its rows can repeat), then follows the rows of the import.
"""

from __future__ import annotations

import sqlite3
from collections import OrderedDict, deque
from collections.abc import Callable
from datetime import date
from functools import lru_cache
from typing import Any

from wenzheng_cli.store import imports as store

BLOCK_SIZE = 20  # latest open cases compared per community and category
MAX_BLOCKS = 512
TEXT_PREFIX = 120  # characters compared: near-identical texts already agree on their opening


@lru_cache(maxsize=4096)
def _day_number(day: str) -> int:
    return date(int(day[:4]), int(day[5:7]), int(day[8:10])).toordinal()


def _ordinal(iso: str) -> int:
    return _day_number(iso[:10])


class TextMatcher:
    """Finds, for a new case, an earlier open case of the same block whose text is near-identical."""

    def __init__(self, conn: sqlite3.Connection, window_days: int, cutoff: float) -> None:
        from rapidfuzz import fuzz, process

        self.conn = conn
        self.window = window_days
        self.cutoff = cutoff
        self._extract: Callable[..., Any] = process.extractOne
        self._scorer = fuzz.ratio
        self.blocks: OrderedDict[tuple[str | None, str | None], _Block] = OrderedDict()

    def _block(self, key: tuple[str | None, str | None], day: int) -> _Block:
        block = self.blocks.get(key)
        if block is None:
            block = _Block()
            start = date.fromordinal(day - self.window).isoformat()
            end = date.fromordinal(day + self.window + 1).isoformat()
            for case_id, received_at, text in store.open_texts_between(
                self.conn, key[0], key[1], start, end, BLOCK_SIZE
            ):
                block.add(_ordinal(received_at), case_id, text[:TEXT_PREFIX])
            self.blocks[key] = block
            if len(self.blocks) > MAX_BLOCKS:
                self.blocks.popitem(last=False)
        else:
            self.blocks.move_to_end(key)
        return block

    def match(
        self, case_id: str, received_at: str, text: str, community: str | None, category: str | None
    ) -> tuple[str, float] | None:
        """The twin's id and score, or None; the case joins its block either way."""
        day = _ordinal(received_at)
        block = self._block((community, category), day)
        short = text[:TEXT_PREFIX]
        found = None
        if block.texts:
            # Score the whole block at once; only when the best lies outside the window, look again
            # among those inside it.
            best = self._extract(short, block.texts, scorer=self._scorer, score_cutoff=self.cutoff)
            if best is not None:
                index = best[2]
                if abs(block.days[index] - day) <= self.window:
                    found = (block.ids[index], float(best[1]))
                else:
                    found = self._within_window(block, day, short)
        block.add(day, case_id, short)
        return found

    def _within_window(self, block: _Block, day: int, short: str) -> tuple[str, float] | None:
        near = [i for i, d in enumerate(block.days) if abs(d - day) <= self.window]
        if not near:
            return None
        best = self._extract(
            short, [block.texts[i] for i in near], scorer=self._scorer, score_cutoff=self.cutoff
        )
        return (block.ids[near[best[2]]], float(best[1])) if best is not None else None


class _Block:
    """The latest open cases of one community and category, oldest first, at most BLOCK_SIZE."""

    __slots__ = ("days", "ids", "texts")

    def __init__(self) -> None:
        self.days: deque[int] = deque(maxlen=BLOCK_SIZE)
        self.ids: deque[str] = deque(maxlen=BLOCK_SIZE)
        self.texts: deque[str] = deque(maxlen=BLOCK_SIZE)

    def add(self, day: int, case_id: str, text: str) -> None:
        self.days.append(day)
        self.ids.append(case_id)
        self.texts.append(text)
