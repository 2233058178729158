"""``wenzheng completion bash|zsh|fish``: the script that makes Tab complete commands and options.

The shell runs ``wenzheng`` with ``_WENZHENG_COMPLETE`` set to ask for completions; only then are Typer's
completion classes loaded (``commands.serve_if_asked``), so no other command pays for them.
"""

from __future__ import annotations

from typing import Annotated

import typer

from wenzheng_cli.cli.base import JsonOpt, app
from wenzheng_cli.cli.commands import COMPLETE_VAR
from wenzheng_cli.errors import WenzhengError
from wenzheng_cli.render import console
from wenzheng_cli.render.shell import show_completion

SHELLS = ("bash", "zsh", "fish")


@app.command("completion", rich_help_panel="设置")
def completion(
    shell: Annotated[str, typer.Argument(help="终端类型: bash、zsh 或 fish", show_default=False)],
    as_json: JsonOpt = False,
) -> None:
    """输出命令补全脚本: 装上后按 Tab 键可补全命令和选项。

    例: echo 'eval "$(wenzheng completion bash)"' >> ~/.bashrc
    """
    try:
        script = completion_script(shell)
    except WenzhengError as exc:
        console.error(exc.message, exc.hint)
        raise typer.Exit(exc.code) from None
    show_completion(shell.strip().lower(), script, as_json)


def completion_script(shell: str) -> str:
    name = shell.strip().lower()
    if name not in SHELLS:
        raise WenzhengError(f"不支持的终端类型「{shell.strip()[:20]}」", hint=f"可选: {'、'.join(SHELLS)}")
    # Typer's completion machinery: loaded only when a completion script is asked for
    from typer._completion_shared import get_completion_script

    return get_completion_script(prog_name="wenzheng", complete_var=COMPLETE_VAR, shell=name)
