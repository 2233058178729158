"""The command line's spelling of a phrase: ``--at``, ``--reason "等待配件"``, ``wenzheng assign 42 --to 王芳``."""

from __future__ import annotations

from wenzheng_cli.errors import Command, Option, Phrase, spell

GLOBAL_OPTIONS = ("db", "operator")  # written before the command's name


class CommandLine:
    def option(self, option: Option) -> str:
        if option.value is None:
            return f"--{option.name}"
        value = f'"{option.value}"' if option.prose else option.value
        return f"--{option.name} {value}"

    def command(self, command: Command) -> str:
        first = [a for a in command.args if isinstance(a, Option) and a.name in GLOBAL_OPTIONS]
        rest = [a for a in command.args if a not in first]
        words = [self.option(a) for a in first] + [command.name]
        words += [a if isinstance(a, str) else self.option(a) for a in rest]
        return "wenzheng " + " ".join(words)


COMMAND_LINE = CommandLine()


def say(text: Phrase) -> str:
    """A phrase as the command line writes it."""
    return spell(text, COMMAND_LINE)


def say_hint(text: Phrase | None) -> str | None:
    return None if text is None else spell(text, COMMAND_LINE)
