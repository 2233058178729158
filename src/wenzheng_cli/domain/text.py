"""Text helpers: normalising scraped text, shortening for tables, masking personal data."""

from __future__ import annotations

import json
import re
import unicodedata


def normalise(text: str) -> str:
    """NFKC (full-width letters and digits to half-width), U+3000 and scraped tabs/newlines folded."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"\s+", " ", text).strip()


_NOT_DIGIT = re.compile(r"\D")


def mask_phone(phone: str | None) -> str | None:
    if not phone or "*" in phone:  # nothing, or masked already (a copy without personal data holds it so)
        return phone
    digits = phone if phone.isdigit() and phone.isascii() else _NOT_DIGIT.sub("", phone)
    if len(digits) >= MOBILE_DIGITS:
        return digits[:MOBILE_HEAD] + MOBILE_STARS + digits[-MOBILE_TAIL:]
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


# The shapes most names and phones have, which a fast path may mask without calling the functions above (SQL in
# ``store.case_text``, Arrow in ``render.parquet``; tests hold each equal to them): a mobile number, exactly
# ``MOBILE_DIGITS`` ASCII digits, shown as its first ``MOBILE_HEAD`` and last ``MOBILE_TAIL`` with
# ``MOBILE_STARS`` between; a name of two or more of the characters ``CHINESE`` (a range, for a pattern's class),
# shown as its first character and one star for a name of two, two for a longer one.
MOBILE_DIGITS, MOBILE_HEAD, MOBILE_TAIL, MOBILE_STARS = 11, 3, 4, "****"
CHINESE = "\u4e00-\u9fff"


def char_width(ch: str) -> int:
    """Terminal / spreadsheet width of one character: a Chinese (wide or full-width) character takes two."""
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


class _Widths(dict[str, int]):
    """``char_width`` of each character met so far, so ``text_width`` sums in C (a large 台账 has millions)."""

    def __missing__(self, ch: str) -> int:
        self[ch] = width = char_width(ch)
        return width


_WIDTHS = _Widths()


def text_width(text: str) -> int:
    return len(text) if text.isascii() else sum(map(_WIDTHS.__getitem__, text))


def shorten(text: str | None, width: int) -> str:
    """Cut to ``width`` terminal cells (a Chinese character is two), ending with … when cut."""
    if not text:
        return ""
    text = " ".join(text.split())
    if text_width(text) <= width:
        return text
    used = 0
    for i, ch in enumerate(text):
        cell = char_width(ch)
        if used + cell > width - 1:  # the … takes the last cell
            return text[:i] + "…"
        used += cell
    return text


# Columns an import kept as they were (a case's ``extra``) that name a person or hold a number that identifies
# one: a second phone, 联系人, 身份证号.
_NUMBER_COLUMNS = (
    "电话",
    "手机",
    "联系方式",
    "号码",
    "身份证",
    "证件",
    "微信",
    "qq",
    "phone",
    "mobile",
    "tel",
    "idcard",
)
_PERSON_COLUMNS = (
    "姓名",
    "名字",
    "联系人",
    "户主",
    "反映人",
    "来电人",
    "留言人",
    "申请人",
    "当事人",
    "投诉人",
    "name",
)
# 7 digits or more in a row (an ID number, a mobile), or a phone written in groups (0532-88886666, 139 1234 5678).
_LONG_NUMBER = re.compile(r"(?<!\d)(\d{7,}[\dXx]?|\d{3,4}[- ]\d{7,8}|1\d{2}[- ]\d{4}[- ]\d{4})(?!\d)")


def mask_extra(extra: str | None) -> str | None:
    """A case's ``extra`` (the JSON object of columns an import kept as they were) with personal data masked:
    phone and ID columns as phones, name columns as names, and any long number inside other text."""
    if not extra:
        return extra

    try:
        data = json.loads(extra)
    except ValueError:
        return mask_numbers(extra)
    if not isinstance(data, dict):
        return mask_numbers(extra)
    masked: dict[str, str | None] = {}
    for column, value in data.items():
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        kind = personal_column(column)
        if kind == "number":
            masked[column] = mask_phone(text)
        elif kind == "person":
            masked[column] = mask_name(text)
        else:
            masked[column] = mask_numbers(text)
    return json.dumps(masked, ensure_ascii=False)


def personal_column(column: str) -> str | None:
    """Whether a column an import kept holds personal data: ``number`` (a phone, an ID number), ``person`` (a
    name), or None."""
    lowered = str(column).lower()
    if any(word in lowered for word in _NUMBER_COLUMNS):
        return "number"
    if any(word in lowered for word in _PERSON_COLUMNS):
        return "person"
    return None


def mask_numbers(text: str) -> str:
    """Every run of 7 or more digits (a phone, an ID number) in free text masked like a phone."""

    def hide(match: re.Match[str]) -> str:
        digits = re.sub(r"\D", "", match.group(1))
        if len(digits) < 7:
            return match.group(1)
        return mask_phone(match.group(1)) or ""

    return _LONG_NUMBER.sub(hide, text)
