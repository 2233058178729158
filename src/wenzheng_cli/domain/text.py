"""Text helpers: search grams for Chinese text, shortening for tables, masking personal data."""

from __future__ import annotations

import re
import unicodedata

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUNS = re.compile(rf"[{_CJK}]+|[0-9A-Za-z]+")
_IS_CJK = re.compile(rf"[{_CJK}]")


def normalise(text: str) -> str:
    """NFKC (full-width letters and digits to half-width), U+3000 and scraped tabs/newlines folded."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"\s+", " ", text).strip()


def grams(text: str) -> list[str]:
    """Index terms: every CJK character and every pair of neighbours, plus latin/digit words.

    Chinese has no spaces, and a trigram index cannot find two-character words such as 路灯; single characters
    and bigrams can, and a phrase is found through all its bigrams.
    """
    out: list[str] = []
    for run in _RUNS.findall(normalise(text)):
        if _IS_CJK.match(run):
            out.extend(run)
            out.extend(run[i : i + 2] for i in range(len(run) - 1))
        else:
            out.append(run.lower())
    return out


def query_terms(text: str) -> list[str]:
    """The terms a search must all match: bigrams for Chinese (a single character alone), words otherwise."""
    terms: list[str] = []
    for run in _RUNS.findall(normalise(text)):
        if _IS_CJK.match(run):
            if len(run) == 1:
                terms.append(run)
            else:
                terms.extend(run[i : i + 2] for i in range(len(run) - 1))
        else:
            terms.append(run.lower())
    return list(dict.fromkeys(terms))


def phone_terms(phone: str | None) -> list[str]:
    digits = re.sub(r"\D", "", phone or "")
    if not digits:
        return []
    return [digits, digits[-4:]] if len(digits) > 4 else [digits]


def mask_phone(phone: str | None) -> str | None:
    if not phone:
        return phone
    digits = re.sub(r"\D", "", phone)
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


def shorten(text: str | None, width: int) -> str:
    """Cut to ``width`` terminal cells (a Chinese character is two), ending with … when cut."""
    if not text:
        return ""
    text = " ".join(text.split())
    used = 0
    for i, ch in enumerate(text):
        cell = 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
        if used + cell > width - 1 and i < len(text) - 1:
            return text[:i] + "…"
        used += cell
    return text
