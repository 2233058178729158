"""The command line's spelling of a phrase: ``--at``, ``--reason "等待配件"``, ``wenzheng assign 42 --to 王芳``."""

from __future__ import annotations

import re

from wenzheng_cli.errors import Command, Option, Phrase, Prose, spell

GLOBAL_OPTIONS = ("db", "operator")  # written before the command's name


class CommandLine:
    def option(self, option: Option) -> str:
        if option.value is None:
            return f"--{option.name}"
        return f"--{option.name} {_word(option.value, quote=option.prose)}"

    def command(self, command: Command) -> str:
        first = [a for a in command.args if isinstance(a, Option) and a.name in GLOBAL_OPTIONS]
        rest = [a for a in command.args if a not in first]
        words = [self.option(a) for a in first] + [command.name]
        words += [
            _word(a, quote=isinstance(a, Prose)) if isinstance(a, str) else self.option(a) for a in rest
        ]
        return "wenzheng " + " ".join(words)


def _word(value: str, *, quote: bool) -> str:
    """A value as one word of a shell command line: in double quotes when it is prose, or when it holds a space
    or a character the shell would act on (a handler named ``王 芳``), so that a hint's line runs as shown."""
    if not quote and value and not _SPECIAL.search(value):
        return value
    return '"' + _ESCAPED.sub(r"\\\g<0>", value) + '"'


_SPECIAL = re.compile(r"""[\s"'\\$`&|;<>()*?!#~{}\[\]]""")
_ESCAPED = re.compile(r'["\\$`]')  # what stays special inside double quotes

COMMAND_LINE = CommandLine()


def say(text: Phrase) -> str:
    """A phrase as the command line writes it."""
    return spell(text, COMMAND_LINE)


def say_hint(text: Phrase | None) -> str | None:
    return None if text is None else spell(text, COMMAND_LINE)
