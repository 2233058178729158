"""What ``wenzheng completion`` prints: the script itself, or it in JSON."""

from __future__ import annotations

from wenzheng_cli.render import console


def show_completion(shell: str, script: str, as_json: bool) -> None:
    if as_json:
        console.write_json({"shell": shell, "script": script})
    else:
        console.line(script)
