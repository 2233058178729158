"""Possible duplicates of earlier cases, found while importing: flagged on the new case, never merged.

The rows of an import are swept in the order they were received, beside the ledger's cases of the same days
(any community; open, or closed no earlier than the window before the row; never withdrawn). Within the window
(``duplicates.window_days`` either side) a new case is flagged as a possible duplicate of:
- the nearest case with the same phone (compared as digits; masked numbers are not compared) — reason ``phone``;
- the nearest case with the same address and category — reason ``address``;
- the case whose text is most alike, when rapidfuzz's ratio reaches ``duplicates.text_score`` — reason ``text``.

Texts are found through an inverted index rather than by comparing each row with every other: each text is
normalised (NFKC, no spaces or punctuation) and filed under a few of its pieces — its opening, its ending,
and its longest clauses. An exact or near-exact duplicate shares at least one of them (an edit changes one
clause, not all of them, nor both ends), so only the few cases filed under the same pieces are scored.
A piece so common that many cases share it (a stock closing such as 希望尽快处理) says nothing and is left
out. Cases leave the index when the sweep has moved past their window, so memory follows the window, not the
file.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from collections.abc import Callable, Iterable
from datetime import date
from functools import lru_cache
from typing import Any

from wenzheng_cli.domain.fields import phone_digits
from wenzheng_cli.store import imports as store

TEXT_LIMIT = 1000  # characters of normalised text compared: duplicates agree long before that
END = 16  # characters of the opening and of the ending filed
CLAUSE_MIN = 6  # shorter clauses are too common to find anything
CLAUSES = 3  # the longest clauses filed
CROWDED = 12  # a piece filed under by this many cases of the window is too common to tell them apart
LOAD_AHEAD = 31  # days of ledger cases read at once

# The runs of a text between spaces and punctuation (ASCII and full-width): its clauses, and joined, the text
# compared.
_RUN = re.compile(r"[^\s,，.。!！?？;；:：、…\-—–~～·•\"'“”‘’「」『』()（）\[\]【】<>《》/\\|_*#@&%\u3000]+")
Flag = tuple[str, str, str, float]  # (case_id, twin_id, reason, score)


@lru_cache(maxsize=4096)
def _day_number(day: str) -> int:
    return date(int(day[:4]), int(day[5:7]), int(day[8:10])).toordinal()


def day_of(iso: str) -> int:
    return _day_number(iso[:10])


def text_pieces(text: str) -> tuple[str, list[str]]:
    """(the normalised text, the pieces it is filed under)."""
    runs = _RUN.findall(text, 0, TEXT_LIMIT * 2)
    norm = "".join(runs)
    if not norm.isascii() and not unicodedata.is_normalized("NFKC", norm):  # full-width digits, letters
        runs = [unicodedata.normalize("NFKC", run) for run in runs]
        norm = "".join(runs)
    if len(norm) > TEXT_LIMIT:
        norm = norm[:TEXT_LIMIT]
    if not norm:
        return norm, []
    pieces = ["^" + norm] if len(norm) <= END else ["^" + norm[:END], "$" + norm[-END:]]
    if len(runs) < 2:
        return norm, pieces
    long = [run for run in runs if len(run) >= CLAUSE_MIN]
    if len(long) > CLAUSES:
        long.sort(key=len, reverse=True)
        del long[CLAUSES:]
    for run in long:
        piece = "~" + run
        if piece not in pieces:  # a clause said twice is filed once
            pieces.append(piece)
    return norm, pieces


def phone_key(phone: str | None) -> str | None:
    """The phone as the sweep compares it (``domain.fields.phone_digits``); None for a masked number, or one
    too short to tell residents apart (a service number such as 12345)."""
    if not phone:
        return None
    key = phone if phone.isdigit() else phone_digits(phone)  # digits alone, as most are, are their own digits
    return key if len(key) >= 7 and "*" not in key else None


# An entry of the window: (case id, day received, normalised text, day closed or None). Plain tuples, filed
# under the hashes of their keys — a window of a dense file holds a hundred thousand of them.
Entry = tuple[str, int, str, int | None]
Filed = dict[int, Any]  # key hash → one Entry, or a list of them


def _file(filed: Filed, key: int, entry: Entry) -> None:
    found = filed.get(key)
    if found is None:
        filed[key] = entry
    elif type(found) is list:
        found.append(entry)
    else:
        filed[key] = [found, entry]


class DuplicateFinder:
    """One sweep over an import's rows in received order; ``flags`` holds what it found.

    Entries are filed by generation, half a window each: a row looks in the generations its window spans, and
    a generation that falls behind is dropped whole — no entry is removed one by one."""

    def __init__(self, conn: sqlite3.Connection, window_days: int, cutoff: float) -> None:
        # rapidfuzz (native code, slow to load): loaded only when an import compares texts
        from rapidfuzz import fuzz

        self.conn = conn
        self.window = max(1, window_days)
        self.span = max(1, self.window // 2)  # days per generation
        self.cutoff = cutoff
        self._ratio: Callable[..., float] = fuzz.ratio
        self.flags: list[Flag] = []
        self._gens: dict[int, Filed] = {}
        self._near: list[Filed] = []
        self._gen: int | None = None  # the generation of the row being swept
        self._loaded = -(10**9)  # ledger cases are read up to this day

    def sweep(self, rows: Iterable[tuple[str, str, str, str | None, str | None, str | None]]) -> list[Flag]:
        """``rows``: (case id, received_at, description, phone, address, category), in received order.

        A row is flagged as a possible duplicate of the nearest case with its phone, the nearest with its address
        and category, and the one whose text is most alike; then it is filed itself, in the generation of its
        day. Per key, one lookup in each generation of the window: the current one's serves to file the row
        too. A piece crowded in the current generation says nothing now: it is not looked up in the others,
        and its bucket takes no more entries (it is never read again)."""
        window, span, gens, flags = self.window, self.span, self._gens, self.flags
        ratio, cutoff = self._ratio, self.cutoff
        current: Filed = {}
        others: list[Filed] = []
        for cid, received_at, text, phone, address, category in rows:
            day = _day_number(received_at[:10])
            gen = day // span
            if gen != self._gen or day + window > self._loaded:
                self._advance(day, gen)
                current = gens[gen]
                others = [filed for filed in self._near if filed is not current]
            start = day - window
            norm, pieces = text_pieces(text)
            entry = (cid, day, norm, None)
            found: list[Flag] | None = None
            number = phone_key(phone) if phone else None
            if number is not None:
                key = hash("☎" + number)
                twin = _nearest(self._near, key, day, start, window)
                if twin is not None:
                    found = [(cid, twin[0], "phone", 100.0)]
                _file(current, key, entry)
            if address and category:
                key = hash((address, category))
                twin = _nearest(self._near, key, day, start, window)
                if twin is not None:
                    found = found or []
                    found.append((cid, twin[0], "address", 100.0))
                _file(current, key, entry)
            hits: list[Entry] = []
            for key in map(hash, pieces):  # distinct pieces (text_pieces), so distinct keys
                bucket = current.get(key)
                if bucket is None:
                    current[key] = entry
                elif type(bucket) is list:
                    if len(bucket) >= CROWDED:
                        continue
                    hits.extend(bucket)
                    bucket.append(entry)
                else:
                    hits.append(bucket)
                    current[key] = [bucket, entry]
                for filed in others:
                    bucket = filed.get(key)
                    if bucket is not None:
                        if type(bucket) is list:
                            if len(bucket) < CROWDED:
                                hits.extend(bucket)
                        else:
                            hits.append(bucket)
            if hits:
                best: Entry | None = None
                top = 0.0
                for other in dict.fromkeys(hits) if len(hits) > 1 else hits:
                    if abs(other[1] - day) > window or (other[3] is not None and other[3] < start):
                        continue
                    score = ratio(norm, other[2], score_cutoff=cutoff)
                    if score and (score > top or (score == top and best is not None and other[1] >= best[1])):
                        best, top = other, score
                if best is not None:
                    found = found or []
                    found.append((cid, best[0], "text", round(float(top), 1)))
            if found is not None:
                flags.extend(found)
        return flags

    # --- the window -------------------------------------------------------------------------------------

    def _advance(self, day: int, gen: int) -> None:
        gens, window, span = self._gens, self.window, self.span
        first_seen = (day - window) // span
        for old in [g for g in gens if g < first_seen]:
            del gens[old]
        gens.setdefault(gen, {})
        self._gen = gen
        if day + window > self._loaded:
            first = max(self._loaded + 1, day - window)
            last = day + window + LOAD_AHEAD
            since = date.fromordinal(first).isoformat()
            until = date.fromordinal(last + 1).isoformat()
            closed_after = date.fromordinal(first - window).isoformat()
            for cid, received_at, text, phone, address, category, closed_at in store.window_cases(
                self.conn, since, until, closed_after
            ):
                norm, pieces = text_pieces(text)
                when = day_of(received_at)
                entry = (cid, when, norm, day_of(closed_at) if closed_at else None)
                filed = gens.setdefault(when // span, {})
                for piece in pieces:
                    _file(filed, hash(piece), entry)
                number = phone_key(phone)
                if number is not None:
                    _file(filed, hash("☎" + number), entry)
                if address and category:
                    _file(filed, hash((address, category)), entry)
            self._loaded = last
        self._near = [gens[g] for g in range(first_seen, (day + window) // span + 1) if g in gens]


def _nearest(near: list[Filed], key: int, day: int, start: int, window: int) -> Entry | None:
    """The case filed under ``key`` received nearest to ``day`` within the window (not closed before it), the
    later of two as near."""
    best: Entry | None = None
    for filed in near:
        found = filed.get(key)
        if found is None:
            continue
        for entry in found if type(found) is list else (found,):
            if abs(entry[1] - day) > window or (entry[3] is not None and entry[3] < start):
                continue
            if best is None or abs(entry[1] - day) <= abs(best[1] - day):
                best = entry
    return best
