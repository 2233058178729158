"""What a typed or imported field may hold: the length limits, the text cleaning of typed values, the one
phone rule. The counter (``intake``, ``amend``, the lifecycle commands) and the importers both use these.
"""

from __future__ import annotations

import re

from wenzheng_cli.errors import Command, Phrase, UsageError, WenzhengError, phrase, pieces

MAX_TEXT = 20000  # characters of long text: 诉求, 办理结果, 理由
MAX_FIELD = 200  # characters of a short field: names, addresses, list values

# What clerks call each typed field (in messages and in the timeline of an amend).
FIELD_LABELS = {
    "description": "诉求内容",
    "title": "标题",
    "category": "类别",
    "channel": "渠道",
    "nature": "性质",
    "community": "社区",
    "grid": "网格",
    "resident": "居民姓名",
    "phone": "联系电话",
    "address": "地址",
    "difficulty": "难度",
}

NO_VALUE = frozenset(
    {"无", "没有", "暂无", "不详", "未知", "-", "--", "—", "/", "\\", "null", "none", "n/a", "na"}
)
PHONE_HINT = "只写数字，例如 13812345678 或 0532-88886666；多个号码用逗号分开"


def clean_text(value: str | None, label: Phrase, limit: int) -> str | None:
    """A typed value: stripped (U+3000 too), ``None`` when blank; NUL and over-long text are refused (the
    message names the value by ``label``: a field's name, or the option it was typed into)."""
    if value is None:
        return None
    if "\x00" in value:
        raise WenzhengError(
            phrase(*pieces(label), "含有无法保存的空字符（NUL）"), hint="删除其中的控制字符后重试"
        )
    value = value.replace("\u3000", " ").strip()
    if not value:
        return None
    if len(value) > limit:
        raise WenzhengError(
            phrase(*pieces(label), f"过长（{len(value)} 字，上限 {limit} 字）"),
            hint=f"请精简到 {limit} 字以内",
        )
    return value


# Digits with the usual separators, several numbers in one cell, extensions (转, #) and masked digits (*) as
# platforms export them (138****5678); three digits at least.
_PHONE = re.compile(r"(?=(?:\D*\d){3})[\d\s\-+()（）/、,;，；*#转]{3,60}")
_SEPARATORS = re.compile(r"[/、,;，；]")
_EXTENSION = re.compile(r"[转#].*$")


def check_phone(text: str) -> str:
    """The one phone rule. ``text`` as cleaned; returns it, or raises ``ValueError`` saying what is wrong.

    Each number of the cell is read apart: a mobile number (starting with 1, after an optional +86) has 11
    digits; a number with an area code (starting with 0) 10 to 12; anything else (a local or service number:
    12345, 88886666) 3 to 8. A masked digit (*) counts as a digit."""
    if len(text) == 11 and text[0] == "1" and text.isascii() and text.isdigit():
        return text  # a mobile number, as most are: nothing more to check (imports read a million)
    if not _PHONE.fullmatch(text):
        raise ValueError("联系电话格式不对")
    for part in _SEPARATORS.split(text):
        digits = re.sub(r"[^\d*]", "", _EXTENSION.sub("", part))
        if not digits:
            continue
        if digits.startswith(("0086", "+86")) or (digits.startswith("86") and len(digits) == 13):
            digits = digits[4:] if digits.startswith("0086") else digits[2:]
        if digits.startswith("1"):
            if len(digits) != 11 and len(digits) > 5:
                raise ValueError(f"手机号应为 11 位数字（这里是 {len(digits)} 位）")
        elif digits.startswith("0"):
            if not 10 <= len(digits) <= 12:
                raise ValueError(f"带区号的电话应为 10–12 位数字（这里是 {len(digits)} 位）")
        elif not 3 <= len(digits) <= 8:
            raise ValueError(f"电话号码位数不对（{len(digits)} 位）")
    return text


def typed_phone(value: str | None) -> str | None:
    """A phone typed at the counter: ``None`` when blank or a no-value word (无, 不详), else the one rule."""
    text = clean_text(value, "联系电话", 60)
    if text is None or text.lower() in NO_VALUE:
        return None
    try:
        return check_phone(text)
    except ValueError as exc:
        raise WenzhengError(str(exc), hint=PHONE_HINT) from None


# What two phones are compared by: the digits and masked digits, the country code and every separator aside.
_NOT_COMPARED = re.compile(r"\+86|[^\d*]")


def phone_digits(phone: str) -> str:
    """The one rule for comparing phones: a number as its digits, so that ``138 1234 5678``, ``138-1234-5678``
    and ``+86 13812345678`` are one number. Spaces, dashes, brackets, the marks between numbers and before an
    extension, and the country code +86 are left out; a masked digit (*) is kept, so a masked number equals
    only the same masked number. Duplicate detection, a later export's agreement with a known case and the
    people of a hotspot all compare phones this way; the SQL of a shipped migration
    (``store.schema.PHONE_KEY_SQL``) is held to it by a test."""
    if phone.isdigit():
        return phone  # as most are
    return _NOT_COMPARED.sub("", phone)


def required_text(value: str | None, label: str, example: Command, limit: int = MAX_TEXT) -> str:
    """A missing option is a usage error (exit 2); one given but blank is invalid input (exit 1). ``example``
    is a command that gives it."""
    if value is None:
        raise UsageError(f"缺少{label}", hint=phrase("例如 ", example))
    text = clean_text(value, label, limit)
    if not text:
        raise WenzhengError(f"{label}不能为空", hint=phrase("例如 ", example))
    return text
