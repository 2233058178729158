"""``Wz``: the command line run in-process, as a test types it."""

from __future__ import annotations

import json
from typing import Any

from typer.testing import CliRunner, Result

from wenzheng_cli.cli.app import app


class Wz:
    """Runs ``wenzheng`` in-process; ``wz(...)`` expects success, ``wz.fail(...)`` a refusal."""

    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, *args: str, code: int = 0, input: str | None = None) -> Result:
        result = self.runner.invoke(app, list(args), input=input)
        assert result.exit_code == code, (
            f"exit {result.exit_code} for {args}\nstdout: {result.stdout}\nstderr: {result.stderr}\n"
            f"exception: {result.exception!r}"
        )
        return result

    def json(self, *args: str) -> Any:
        result = self(*args, "--json")
        return json.loads(result.stdout)

    def fail(self, *args: str, code: int = 1) -> Result:
        result = self(*args, code=code)
        assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
        assert result.stderr.startswith("错误: "), result.stderr
        return result
