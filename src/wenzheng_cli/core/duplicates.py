"""Possible repeats of earlier cases, found while importing: flagged on the new case, never merged.

The rows of an import are swept in the order they were received, beside the ledger's cases of the same days
(any community; open, or closed no earlier than the window before the row; never withdrawn). Within the window
(``duplicates.window_days`` either side) a new case is flagged as a possible repeat of:
- the nearest case with the same phone (compared as digits; masked numbers are not compared) — reason ``phone``;
- the nearest case with the same address and category — reason ``address``;
- the case whose text is most alike, when rapidfuzz's ratio reaches ``duplicates.text_score`` — reason ``text``.

Texts are found through an inverted index rather than by comparing each row with every other: each text is
normalised (NFKC, lower case, no spaces or punctuation) and filed under a few of its pieces — its opening, its
ending, and its longest clauses. An exact or near-exact repeat shares at least one of them (an edit changes one
clause, not all of them, nor both ends), so only the few cases filed under the same pieces are scored.
A piece so common that many cases share it (a stock closing such as 希望尽快处理) says nothing and is left
out. Cases leave the index when the sweep has moved past their window, so memory follows the window, not the
file.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from collections import deque
from collections.abc import Callable, Iterable
from datetime import date
from functools import lru_cache
from typing import Any

from wenzheng_cli.store import imports as store

TEXT_LIMIT = 1000  # characters of normalised text compared: repeats agree long before that
END = 12  # characters of the opening and of the ending filed
CLAUSE_MIN = 6  # shorter clauses are too common to find anything
CLAUSES = 3  # the longest clauses filed
CROWDED = 24  # a piece filed under by this many cases of the window is too common to tell them apart
LOAD_AHEAD = 31  # days of ledger cases read at once

_STRIP = dict.fromkeys(
    map(ord, " \t\r\n\u3000\u00a0,，.。!！?？;；:：、…-—–~～·•\"'“”‘’「」『』()（）[]【】<>《》/\\|_*#@&%"),
)
_CLAUSE = re.compile(r"[,，.。!！?？;；:：、\n\r\t\u3000 ]+")
Flag = tuple[str, str, str, float]  # (case_id, twin_id, reason, score)


@lru_cache(maxsize=4096)
def _day_number(day: str) -> int:
    return date(int(day[:4]), int(day[5:7]), int(day[8:10])).toordinal()


def day_of(iso: str) -> int:
    return _day_number(iso[:10])


def _fold(text: str) -> str:
    if not text.isascii() and not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return text.lower()


def text_pieces(text: str) -> tuple[str, list[str]]:
    """(the normalised text, the pieces it is filed under)."""
    folded = _fold(text[: TEXT_LIMIT * 2])
    norm = folded.translate(_STRIP)[:TEXT_LIMIT]
    if len(norm) <= END:
        return norm, [norm] if norm else []
    pieces = ["^" + norm[:END], "$" + norm[-END:]]
    clauses = [c.translate(_STRIP) for c in _CLAUSE.split(folded)]
    long = [c for c in clauses if len(c) >= CLAUSE_MIN]
    if len(long) > CLAUSES:
        long = sorted(long, key=len, reverse=True)[:CLAUSES]
    pieces.extend("~" + c for c in long)
    return norm, pieces


def phone_key(phone: str | None) -> str | None:
    """Digits as ``store.schema.PHONE_KEY_SQL`` has them; None for masked or too short numbers."""
    if not phone or "*" in phone:
        return None
    key = phone.replace(" ", "").replace("-", "").replace("(", "").replace(")", "").replace("+86", "")
    return key if len(key) >= 7 else None


class _Entry:
    __slots__ = ("address", "cid", "closed", "day", "norm", "phone", "pieces")

    def __init__(
        self,
        cid: str,
        day: int,
        norm: str,
        pieces: list[str],
        phone: str | None,
        address: Any,
        closed: int | None,
    ) -> None:
        self.cid, self.day, self.norm, self.pieces = cid, day, norm, pieces
        self.phone, self.address, self.closed = phone, address, closed


class RepeatFinder:
    """One sweep over an import's rows in received order; ``flags`` holds what it found."""

    def __init__(self, conn: sqlite3.Connection, window_days: int, cutoff: float) -> None:
        from rapidfuzz import fuzz

        self.conn = conn
        self.window = window_days
        self.cutoff = cutoff
        self._ratio: Callable[..., float] = fuzz.ratio
        self.flags: list[Flag] = []
        self._file: deque[_Entry] = deque()
        self._ledger: deque[_Entry] = deque()
        self._pieces: dict[str, list[_Entry]] = {}
        self._phones: dict[str, list[_Entry]] = {}
        self._addresses: dict[Any, list[_Entry]] = {}
        self._loaded = -(10**9)  # ledger cases are read up to this day

    def sweep(self, rows: Iterable[tuple[str, str, str, str | None, str | None, str | None]]) -> list[Flag]:
        """``rows``: (case id, received_at, description, phone, address, category), in received order."""
        for cid, received_at, text, phone, address, category in rows:
            day = day_of(received_at)
            self._advance(day)
            norm, pieces = text_pieces(text)
            number = phone_key(phone)
            place = (address, category) if address and category else None
            self._check(cid, day, norm, pieces, number, place)
            self._add(self._file, _Entry(cid, day, norm, pieces, number, place, None))
        return self.flags

    # --- the window -------------------------------------------------------------------------------------

    def _advance(self, day: int) -> None:
        start = day - self.window
        for queue in (self._file, self._ledger):
            while queue and queue[0].day < start:
                self._remove(queue.popleft())
        if day + self.window > self._loaded:
            first = max(self._loaded + 1, start)
            last = day + self.window + LOAD_AHEAD
            since = date.fromordinal(first).isoformat()
            until = date.fromordinal(last + 1).isoformat()
            closed_after = date.fromordinal(first - self.window).isoformat()
            for cid, received_at, text, phone, address, category, closed_at in store.window_cases(
                self.conn, since, until, closed_after
            ):
                norm, pieces = text_pieces(text)
                place = (address, category) if address and category else None
                closed = day_of(closed_at) if closed_at else None
                self._add(
                    self._ledger,
                    _Entry(cid, day_of(received_at), norm, pieces, phone_key(phone), place, closed),
                )
            self._loaded = last

    def _add(self, queue: deque[_Entry], entry: _Entry) -> None:
        queue.append(entry)
        for piece in entry.pieces:
            bucket = self._pieces.setdefault(piece, [])
            if len(bucket) < CROWDED:
                bucket.append(entry)
        if entry.phone:
            self._phones.setdefault(entry.phone, []).append(entry)
        if entry.address:
            self._addresses.setdefault(entry.address, []).append(entry)

    def _remove(self, entry: _Entry) -> None:
        for piece in entry.pieces:
            _drop(self._pieces, piece, entry)
        if entry.phone:
            _drop(self._phones, entry.phone, entry)
        if entry.address:
            _drop(self._addresses, entry.address, entry)

    # --- matching ---------------------------------------------------------------------------------------

    def _usable(self, entry: _Entry, day: int) -> bool:
        if abs(entry.day - day) > self.window:
            return False
        return entry.closed is None or entry.closed >= day - self.window

    def _nearest(self, found: list[_Entry] | None, day: int) -> _Entry | None:
        best: _Entry | None = None
        for entry in found or ():
            if self._usable(entry, day) and (best is None or abs(entry.day - day) <= abs(best.day - day)):
                best = entry
        return best

    def _check(
        self, cid: str, day: int, norm: str, pieces: list[str], number: str | None, place: Any
    ) -> None:
        if number:
            twin = self._nearest(self._phones.get(number), day)
            if twin is not None:
                self.flags.append((cid, twin.cid, "phone", 100.0))
        if place:
            twin = self._nearest(self._addresses.get(place), day)
            if twin is not None:
                self.flags.append((cid, twin.cid, "address", 100.0))
        if not norm:
            return
        seen: set[int] = set()
        best: tuple[float, _Entry] | None = None
        for piece in pieces:
            bucket = self._pieces.get(piece)
            if not bucket or len(bucket) >= CROWDED:
                continue
            for entry in bucket:
                if id(entry) in seen or not self._usable(entry, day):
                    continue
                seen.add(id(entry))
                score = self._ratio(norm, entry.norm, score_cutoff=self.cutoff)
                if score and (
                    best is None or score > best[0] or (score == best[0] and entry.day >= best[1].day)
                ):
                    best = (score, entry)
        if best is not None:
            self.flags.append((cid, best[1].cid, "text", round(float(best[0]), 1)))


def _drop(index: dict[Any, list[_Entry]], key: Any, entry: _Entry) -> None:
    bucket = index.get(key)
    if bucket is None:
        return
    try:
        bucket.remove(entry)
    except ValueError:
        return
    if not bucket:
        del index[key]
