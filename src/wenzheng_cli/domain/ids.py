"""Identifiers: ULIDs (global, sortable, mergeable across offices) and human case numbers."""

from __future__ import annotations

import os
import re
import time

from wenzheng_cli.errors import WenzhengError, command, option, phrase

# Crockford base32, as the ULID spec has it. A ULID is 48 bits of milliseconds + 80 random bits; it is written
# here in a few lines because importing the ULID package would slow every command a clerk types.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_ulid(ms: int | None = None) -> str:
    stamp = int(time.time() * 1000) if ms is None else ms
    value = (stamp << 80) | int.from_bytes(os.urandom(10), "big")
    chars = []
    for _ in range(26):
        chars.append(_ALPHABET[value & 31])
        value >>= 5
    return "".join(reversed(chars))


# Each random byte picks one character by its low five bits: 256 is a multiple of 32, so every character is
# uniform and 16 of them carry the 80 random bits of a ULID.
_RANDOM_CHAR = bytes(_ALPHABET.encode()[b & 31] for b in range(256))


def new_ulids(count: int, ms: int | None = None) -> list[str]:
    """``count`` ULIDs at once for bulk work (imports): the same form as :func:`new_ulid`, far cheaper each."""
    stamp = new_ulid(int(time.time() * 1000) if ms is None else ms)[:10]
    noise = os.urandom(16 * count).translate(_RANDOM_CHAR).decode()
    return [stamp + noise[i : i + 16] for i in range(0, 16 * count, 16)]


def format_number(office: str, year: int, seq: int) -> str:
    return f"{office}-{year}-{seq:04d}"


# A sequence number has at most 9 digits: more is a typo, and would not fit the ledger's integers anyway.
_FULL = re.compile(r"^\s*([A-Za-z0-9]+)-(\d{4})-(\d{1,9})\s*$")
_YEAR_SEQ = re.compile(r"^\s*(\d{4})-(\d{1,9})\s*$")
_SEQ = re.compile(r"^\s*#?(\d{1,9})\s*$")


def other_office(text: str, office: str) -> tuple[str, int, int] | None:
    """(office, year, seq) of a full number of another office than ``office`` (a case rolled up into a
    street's ledger, ``YL-2026-0042``); None for anything else."""
    m = _FULL.match(text)
    if m is None or m.group(1).upper() == office.upper():
        return None
    return m.group(1).upper(), int(m.group(2)), int(m.group(3))


def parse_number(text: str, office: str, current_year: int) -> tuple[int, int]:
    """``YL-2026-0042``, ``2026-42`` or ``42`` (this year) → (year, seq) for this office."""
    m = _FULL.match(text)
    if m:
        if m.group(1).upper() != office.upper():
            raise WenzhengError(
                f"案件编号「{text.strip()}」不属于本台账（本台账编号前缀为 {office}）",
                hint=phrase("检查 ", option("db"), " 指向的台账，或用 ", command("list"), " 查找编号"),
            )
        return int(m.group(2)), int(m.group(3))
    m = _YEAR_SEQ.match(text)
    if m:
        return int(m.group(1)), int(m.group(2))
    m = _SEQ.match(text)
    if m:
        return current_year, int(m.group(1))
    raise WenzhengError(
        f"「{text.strip()[:30]}」不是案件编号",
        hint=f"写完整编号如 {office}-{current_year}-0042，或只写本年序号 42",
    )
