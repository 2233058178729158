"""Text helpers: normalising scraped text, shortening for tables, masking personal data."""

from __future__ import annotations

import re
import unicodedata


def normalise(text: str) -> str:
    """NFKC (full-width letters and digits to half-width), U+3000 and scraped tabs/newlines folded."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"\s+", " ", text).strip()


_NOT_DIGIT = re.compile(r"\D")


def mask_phone(phone: str | None) -> str | None:
    if not phone:
        return phone
    digits = _NOT_DIGIT.sub("", phone)
    if len(digits) >= 11:
        return digits[:3] + "****" + digits[-4:]
    if len(digits) >= 7:
        return digits[:2] + "*" * (len(digits) - 4) + digits[-2:]
    return "*" * len(digits) if digits else "****"


def mask_name(name: str | None) -> str | None:
    if not name:
        return name
    name = name.strip()
    if not name:
        return name
    return name[0] + "*" * max(1, min(len(name) - 1, 2))


def char_cells(ch: str) -> int:
    """Terminal / spreadsheet width of one character: a Chinese (wide or full-width) character takes two."""
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


class _Widths(dict[str, int]):
    """``char_cells`` of each character met so far, so ``cells`` sums in C (a large 台账 has millions)."""

    def __missing__(self, ch: str) -> int:
        self[ch] = found = char_cells(ch)
        return found


_WIDTHS = _Widths()


def cells(text: str) -> int:
    return len(text) if text.isascii() else sum(map(_WIDTHS.__getitem__, text))


def shorten(text: str | None, width: int) -> str:
    """Cut to ``width`` terminal cells (a Chinese character is two), ending with … when cut."""
    if not text:
        return ""
    text = " ".join(text.split())
    used = 0
    for i, ch in enumerate(text):
        cell = char_cells(ch)
        if used + cell > width - 1 and i < len(text) - 1:
            return text[:i] + "…"
        used += cell
    return text
