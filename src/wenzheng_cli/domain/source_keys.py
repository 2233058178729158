"""A source key: where a row came from and its key there, as one text that no other pair can give.

The source (``--source``, else the name of the file's key column) comes first, then ``:``, then the key as the
file has it: ``12345:2549``, ``留言编号:37042``. A source may hold any character, so in it ``\\`` is written
``\\\\`` and ``:`` is written ``\\:``; the first ``:`` not so written ends it. ``--source "a:b"`` with key ``c``
is then ``a\\:b:c``, and ``--source a`` with key ``b:c`` stays ``a:b:c``: two sources never share a key.
A source without either character is written as it is, so the keys of every ledger so far stay what they were.

A row without a key is keyed by a digest of its content: ``row:…``, or ``SOURCE:row:…`` with a source. A
different case that came with a key already taken gets that key followed by ``#`` and part of its own digest
(``ALTERNATIVE``).
"""

from __future__ import annotations

import re

# The suffix of an alternative key: ``#`` and 12 hex digits of the row's digest, then ``-2``, ``-3`` … when taken.
ALTERNATIVE = re.compile(r"#[0-9a-f]{12}(?:-[0-9]+)?")


def escape_source(source: str) -> str:
    return source.replace("\\", "\\\\").replace(":", "\\:")


def compose(source: str, key: str) -> str:
    """The source key of ``key`` in ``source``."""
    return f"{escape_source(source)}:{key}"


def split(text: str) -> tuple[str, str]:
    """(source, key) of a source key; a text without a separator is all key. A key stored by an earlier
    version under a source holding ``:`` splits at that source's first ``:``, as it always did."""
    source: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            source.append(text[i + 1])
            i += 2
            continue
        if ch == ":":
            return "".join(source), text[i + 1 :]
        source.append(ch)
        i += 1
    return "", text


def is_alternative_of(text: str, key: str) -> bool:
    """Whether ``text`` is ``key`` itself or one of its alternatives (``key#…``)."""
    return text == key or (text.startswith(key) and ALTERNATIVE.fullmatch(text, len(key)) is not None)
