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
from collections.abc import Callable, Iterable
from datetime import date
from functools import lru_cache
from typing import Any

from wenzheng_cli.store import imports as store

TEXT_LIMIT = 1000  # characters of normalised text compared: repeats agree long before that
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
    norm = norm[:TEXT_LIMIT]
    if not norm:
        return norm, []
    pieces = ["^" + norm[:END]]
    if len(norm) > END:
        pieces.append("$" + norm[-END:])
    if len(runs) < 2:
        return norm, pieces
    long = [run for run in runs if len(run) >= CLAUSE_MIN]
    if len(long) > CLAUSES:
        long = sorted(long, key=len, reverse=True)[:CLAUSES]
    pieces.extend(["~" + run for run in long])
    return norm, pieces


_PHONE_DROP = dict.fromkeys(map(ord, " -()"))


def phone_key(phone: str | None) -> str | None:
    """The phone as digits (spaces, dashes, brackets and +86 aside); None for masked or too short numbers."""
    if not phone or "*" in phone:
        return None
    key = phone.translate(_PHONE_DROP)
    if "+86" in key:
        key = key.replace("+86", "")
    return key if len(key) >= 7 else None


# An entry of the window: (case id, day received, normalised text, day closed or None). Plain tuples: a sweep
# files a hundred thousand of them.
Entry = tuple[str, int, str, int | None]


def _keys(pieces: list[str], phone: str | None, place: tuple[str, str] | None) -> list[Any]:
    """What an entry is filed under: its text pieces, its phone (``☎`` + digits), its (address, category)."""
    keys: list[Any] = list(pieces)
    if phone is not None:
        keys.append("☎" + phone)
    if place is not None:
        keys.append(place)
    return keys


class RepeatFinder:
    """One sweep over an import's rows in received order; ``flags`` holds what it found.

    Entries are filed by generation, ``window`` days each: a row sees the generations before, of and after
    its own, and a generation that falls behind is dropped whole — no entry is removed one by one."""

    def __init__(self, conn: sqlite3.Connection, window_days: int, cutoff: float) -> None:
        from rapidfuzz import fuzz

        self.conn = conn
        self.window = max(1, window_days)
        self.cutoff = cutoff
        self._ratio: Callable[..., float] = fuzz.ratio
        self.flags: list[Flag] = []
        self._gens: dict[int, dict[Any, list[Entry]]] = {}
        self._near: list[dict[Any, list[Entry]]] = []
        self._gen: int | None = None  # the generation of the row being swept
        self._loaded = -(10**9)  # ledger cases are read up to this day

    def sweep(self, rows: Iterable[tuple[str, str, str, str | None, str | None, str | None]]) -> list[Flag]:
        """``rows``: (case id, received_at, description, phone, address, category), in received order."""
        window, gens, flags = self.window, self._gens, self.flags
        check = self._check
        for cid, received_at, text, phone, address, category in rows:
            day = day_of(received_at)
            gen = day // window
            if gen != self._gen or day + window > self._loaded:
                self._advance(day, gen)
            norm, pieces = text_pieces(text)
            keys: list[Any] = pieces
            if phone:
                number = phone_key(phone)
                if number is not None:
                    keys.append("☎" + number)
            if address and category:
                keys.append((address, category))
            found = check(cid, day, norm, keys)
            if found is not None:
                flags.extend(found)
            entry = (cid, day, norm, None)
            filed = gens[gen]
            for key in keys:
                bucket = filed.get(key)
                if bucket is None:
                    filed[key] = [entry]
                else:
                    bucket.append(entry)
        return flags

    # --- the window -------------------------------------------------------------------------------------

    def _advance(self, day: int, gen: int) -> None:
        gens = self._gens
        for old in [g for g in gens if g < gen - 1]:
            del gens[old]
        gens.setdefault(gen, {})
        self._gen = gen
        if day + self.window > self._loaded:
            first = max(self._loaded + 1, day - self.window)
            last = day + self.window + LOAD_AHEAD
            since = date.fromordinal(first).isoformat()
            until = date.fromordinal(last + 1).isoformat()
            closed_after = date.fromordinal(first - self.window).isoformat()
            for cid, received_at, text, phone, address, category, closed_at in store.window_cases(
                self.conn, since, until, closed_after
            ):
                norm, pieces = text_pieces(text)
                place = (address, category) if address and category else None
                when = day_of(received_at)
                entry = (cid, when, norm, day_of(closed_at) if closed_at else None)
                filed = gens.setdefault(when // self.window, {})
                for key in _keys(pieces, phone_key(phone), place):
                    filed.setdefault(key, []).append(entry)
            self._loaded = last
        self._near = [gens[g] for g in (gen - 1, gen, gen + 1) if g in gens]

    # --- matching ---------------------------------------------------------------------------------------

    def _check(self, cid: str, day: int, norm: str, keys: list[Any]) -> list[Flag] | None:
        """The flags for a row filed under ``keys``: the nearest case with its phone, the nearest with its
        address and category, the one whose text is most alike."""
        window = self.window
        start = day - window
        hits: list[Entry] | None = None
        nearest: dict[str, Entry] | None = None
        for filed in self._near:
            for key in keys:
                bucket = filed.get(key)
                if bucket is None:
                    continue
                if type(key) is str and key[0] != "☎":
                    if len(bucket) < CROWDED:
                        if hits is None:
                            hits = list(bucket)
                        else:
                            hits.extend(bucket)
                    continue
                reason = "phone" if type(key) is str else "address"
                for entry in bucket:
                    if abs(entry[1] - day) > window or (entry[3] is not None and entry[3] < start):
                        continue
                    if nearest is None:
                        nearest = {}
                    best = nearest.get(reason)
                    if best is None or abs(entry[1] - day) <= abs(best[1] - day):
                        nearest[reason] = entry
        if hits is None and nearest is None:
            return None
        found: list[Flag] = []
        if nearest is not None:
            for reason in ("phone", "address"):
                if reason in nearest:
                    found.append((cid, nearest[reason][0], reason, 100.0))
        if hits is not None:
            best_text: Entry | None = None
            top = 0.0
            ratio, cutoff = self._ratio, self.cutoff
            for entry in dict.fromkeys(hits):
                if abs(entry[1] - day) > window or (entry[3] is not None and entry[3] < start):
                    continue
                score = ratio(norm, entry[2], score_cutoff=cutoff)
                if score and (
                    score > top or (score == top and best_text is not None and entry[1] >= best_text[1])
                ):
                    best_text, top = entry, score
            if best_text is not None:
                found.append((cid, best_text[0], "text", round(float(top), 1)))
        return found
