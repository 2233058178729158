"""Which of a command's arguments are files, and where they stand on its command line: what a command sent to
``wenzheng serve`` uploads (the files it reads) and gets back (the files it writes). The client finds them to
send them; the server finds them again to make sure a command reads and writes only the files of its own
request, never a path of the server's PC."""

from __future__ import annotations

from dataclasses import dataclass

import typer

# By command path, each parameter that names a file: ``in`` (read), ``out`` (a file written), ``dir`` (a folder
# written into), ``dest`` (a file or a folder: backup's DEST).
FILE_PARAMS: dict[tuple[str, ...], dict[str, str]] = {
    ("import",): {"files": "in", "rejects": "out"},
    ("rollup",): {"files": "in"},
    ("backup",): {"dest": "dest"},
    ("export",): {"output": "dir"},
    ("report", "weekly"): {"output": "out"},
    ("report", "monthly"): {"output": "out"},
    ("report", "trend"): {"output": "out"},
    ("hotspots",): {"output": "out"},
    ("show",): {"output": "out"},
}
_GLOBAL_WITH_VALUE = {"--db", "--operator", "--server"}


@dataclass(frozen=True)
class Named:
    """A file named on the command line: the token's place in argv, the option's spelling before the path
    (``--output=`` when typed in one token, else empty), its kind, and the path as typed."""

    index: int
    prefix: str
    kind: str
    value: str


def command_at(args: list[str]) -> int | None:
    """Where the command's name stands in ``args`` (past the global options), or None (help, version)."""
    i = 0
    while i < len(args):
        token = args[i]
        if token in _GLOBAL_WITH_VALUE:
            i += 2
            continue
        if token.split("=", 1)[0] in _GLOBAL_WITH_VALUE or token.startswith("-"):
            i += 1
            continue
        return i
    return None


GROUPS = {"report", "config", "activity", "clerk"}  # the commands that take a subcommand


def command_path(args: list[str]) -> tuple[str, ...]:
    """The command (and, for a group, its subcommand) that ``args`` run, past the global options; ``rollup`` with
    ``--status`` is ``("rollup", "--status")`` (it only reads)."""
    at = command_at(args)
    if at is None:
        return ()
    name = args[at]
    if name == "rollup" and "--status" in args[at + 1 :]:
        return ("rollup", "--status")
    if name not in GROUPS:
        return (name,)
    sub = next((token for token in args[at + 1 :] if not token.startswith("-")), None)
    return (name,) if sub is None else (name, sub)


def named_files(group: typer.core.TyperGroup, args: list[str]) -> tuple[tuple[str, ...], list[Named]]:
    """The command path ``args`` run, and every file they name (read as the parser reads them)."""
    from typer._click import Context

    at = command_at(args)
    if at is None:
        return (), []
    ctx = Context(group, info_name="wenzheng", resilient_parsing=True)
    # resolving builds the command (the group lists every command by its table entry until it runs)
    _name, command, _rest = (
        group.resolve_command(ctx, [args[at]]) if args[at] in _known(group) else ("", None, [])
    )
    if command is None:
        return (args[at],), []
    path = [args[at]]
    rest = args[at + 1 :]
    start = at + 1
    if isinstance(command, typer.core.TyperGroup):
        sub = next((i for i, token in enumerate(rest) if not token.startswith("-")), None)
        if sub is None:
            return tuple(path), []
        found = command.get_command(ctx, rest[sub])
        path.append(rest[sub])
        if found is None:
            return tuple(path), []
        command, start, rest = found, start + sub + 1, rest[sub + 1 :]
    kinds = FILE_PARAMS.get(tuple(path), {})
    if not kinds:
        return tuple(path), []
    sub_ctx = command.make_context(path[-1], list(rest), parent=ctx, resilient_parsing=True)
    named: list[Named] = []
    taken: set[int] = set()
    for param in command.params:
        kind = kinds.get(param.name or "")
        if kind is None:
            continue
        value = sub_ctx.params.get(param.name or "")
        values = value if isinstance(value, list | tuple) else [value]
        spellings = [*getattr(param, "opts", []), *getattr(param, "secondary_opts", [])]
        is_option = isinstance(param, typer.core.TyperOption)
        for text in values:
            if not isinstance(text, str):
                continue
            place = _find(args, start, text, spellings if is_option else [], taken)
            if place is not None:
                taken.add(place[0])
                named.append(Named(place[0], place[1], kind, text))
    return tuple(path), sorted(named, key=lambda n: n.index)


def _known(group: typer.core.TyperGroup) -> set[str]:
    from typer._click import Context

    return set(group.list_commands(Context(group)))


def _find(
    args: list[str], start: int, value: str, spellings: list[str], taken: set[int]
) -> tuple[int, str] | None:
    """The token holding ``value``: after one of the option's ``spellings`` (as the next token, or joined by
    ``=``, or a short option's own letters), or, for an argument, the token itself."""
    for i in range(start, len(args)):
        if i in taken:
            continue
        token = args[i]
        if spellings:
            if token == value and i > start and args[i - 1] in spellings:
                return i, ""
            for spelling in spellings:
                if spelling.startswith("--") and token == f"{spelling}={value}":
                    return i, f"{spelling}="
                if not spelling.startswith("--") and token == spelling + value:
                    return i, spelling
        elif token == value and not (
            i > start and args[i - 1].startswith("-") and "=" not in args[i - 1] and _takes_value(args[i - 1])
        ):
            return i, ""
    return None


def _takes_value(token: str) -> bool:
    """Whether an option token before a positional one is an option that takes that token as its value — a
    conservative guess: every option but a flag known to take none."""
    return token not in _FLAGS


_FLAGS = {
    "--dry-run",
    "--skip-invalid",
    "--suggest-category",
    "--history",
    "--force",
    "--without-pii",
    "--json",
    "--show-pii",
    "--status",
    "--yes",
}
