"""Consoles: colour and widths only on a terminal; plain text (no ANSI codes) for pipes, files and cron.

Everything wenzheng prints for people passes here, and here alone text is made safe to show: ``printable``
drops control characters (ESC sequences typed or imported would move the cursor, retitle the window or hide
text; a ``\\x0b`` pasted from Word), and the consoles never read text as Rich markup (a resident's ``[/x]`` or
``[link=…]`` is shown as typed). JSON keeps every character; the few a terminal would act on are escaped.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
from collections.abc import Iterable
from typing import IO, Any

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderableType
from rich.segment import Segment

from wenzheng_cli.errors import Phrase
from wenzheng_cli.render.phrases import say

# C0 controls but tab and newline, DEL, C1 controls, and the bidirectional overrides and isolates that make a
# line read differently from what it holds.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# What JSON leaves as it is but a terminal would act on (JSON escapes C0 itself).
_JSON_UNSAFE_RANGES = ((0x7F, 0x9F), (0x202A, 0x202E), (0x2066, 0x2069))
_JSON_UNSAFE = re.compile("[" + "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in _JSON_UNSAFE_RANGES) + "]")
# … the same characters in UTF-8, to look for in JSON that is already bytes.
_JSON_UNSAFE_UTF8 = re.compile(
    b"|".join(re.escape(chr(c).encode()) for lo, hi in _JSON_UNSAFE_RANGES for c in range(lo, hi + 1))
)


def _no_unsafe_lead(data: bytes) -> bool:
    """Whether ``data`` holds none of the bytes those characters start with (U+007F itself, U+0080…U+00BF,
    U+2000…U+2FFF): found by a search for one byte, far quicker than the pattern's (most rows hold none)."""
    return b"\x7f" not in data and b"\xc2" not in data and b"\xe2" not in data


def printable(text: str) -> str:
    """``text`` without the characters a terminal would act on instead of showing (tab and newline stay)."""
    return _UNSAFE.sub("", text) if _UNSAFE.search(text) else text


class SafeConsole(Console):
    """A Rich console that never interprets markup and shows only printable text, whatever the renderable."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("markup", False)
        kwargs.setdefault("highlight", False)
        kwargs.setdefault("emoji", False)
        super().__init__(**kwargs)

    def render(self, renderable: RenderableType, options: ConsoleOptions | None = None) -> Iterable[Segment]:
        for segment in super().render(renderable, options):
            text = segment.text
            # isprintable() is the fast way past the many segments of plain text (every unsafe character is
            # unprintable); newlines and the rare rest go through the pattern.
            if segment.control is None and not text.isprintable() and _UNSAFE.search(text):
                yield Segment(printable(text), segment.style)
            else:
                yield segment


def out() -> Console:
    """A console on stdout, made for the caller (cheap): it goes wherever stdout is now, so nothing about one
    command's output outlives it."""
    tty = sys.stdout.isatty()
    width = None if tty or os.environ.get("COLUMNS") else 160
    return SafeConsole(soft_wrap=False, width=width)


def plain(file: IO[str], width: int) -> Console:
    """A console writing plain text (no colour, no terminal codes) to ``file``: a report saved as text."""
    return SafeConsole(file=file, width=width, color_system=None, force_terminal=False)


def err() -> Console:
    """A console on stderr (progress bars)."""
    return SafeConsole(stderr=True)


def err_bar(*columns: Any) -> Any:
    """A progress bar of ``columns`` on stderr, gone when it stops (``rich.progress``, slow to load: loaded
    only when a bar is shown)."""
    from rich.progress import Progress

    return Progress(*columns, console=err(), transient=True)


def json_text(text: str) -> str:
    """JSON as written by ``json.dumps``, with the characters a terminal would act on escaped (``\\u009b``):
    the same data for a program, nothing but text on a screen."""
    if not _JSON_UNSAFE.search(text):
        return text
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def json_utf8(data: bytes) -> bytes:
    """``json_text`` for JSON already encoded as UTF-8 (the case rows the ledger writes as JSON itself)."""
    if _no_unsafe_lead(data) or not _JSON_UNSAFE_UTF8.search(data):
        return data
    return json_text(data.decode()).encode()


def write_json(data: Any) -> None:
    sys.stdout.write(json_text(json.dumps(data, ensure_ascii=False, indent=2)) + "\n")


def _red(label: str) -> str:
    """``错误:`` in bold red on a terminal (and never when NO_COLOR is set, or for pipes and cron)."""
    if os.environ.get("NO_COLOR") or not sys.stderr.isatty():
        return label
    return f"\x1b[1;31m{label}\x1b[0m"


def error(message: Phrase, hint: Phrase | None = None) -> None:
    sys.stderr.write(_to_screen("错误:", _one_line(say(message)), red=True))
    if hint:
        sys.stderr.write(_to_screen("提示:", _one_line(say(hint))))


def warn(message: Phrase) -> None:
    sys.stderr.write(_to_screen("提示:", _one_line(say(message))))


def note(message: str) -> None:
    """A line on stderr that is neither an error nor a hint (``已写入 周台账.xlsx``)."""
    sys.stderr.write(_to_screen("", _one_line(message)))


def _to_screen(label: str, text: str, *, red: bool = False) -> str:
    """``label text`` as one line for pipes, logs and cron; on a terminal narrower than the line, wrapped at its
    width by display cells between words, so the terminal never cuts a case number or a command in two."""
    line = f"{label} {text}" if label else text
    head = _red(label) if red else label
    if sys.stderr.isatty():
        width = shutil.get_terminal_size().columns
        if cell_len(line) > width:
            from rich.text import Text  # only for a message wider than the terminal

            lines = [part.plain.rstrip() for part in Text(line).wrap(Console(width=width), width)]
            line = "\n".join(lines)
    return (head + line[len(label) :] if label else line) + "\n"


def line(text: str) -> None:
    sys.stdout.write(printable(text) + "\n")


def _one_line(text: str) -> str:
    """A message stays one line, whatever text it quotes."""
    return printable(text.replace("\n", " ").replace("\t", " "))
