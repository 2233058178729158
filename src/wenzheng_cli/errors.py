"""The one exception type users see.

Every refusal or invalid input is a ``WenzhengError``: a Chinese message that says what is wrong (naming the
case, row or field, never a resident's personal data), an optional hint that says the fix, and an exit code
(1 refused/invalid, 2 usage). The CLI boundary prints ``错误: …`` and ``提示: …`` on stderr and exits.
"""

from __future__ import annotations


class WenzhengError(Exception):
    def __init__(self, message: str, hint: str | None = None, code: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.code = code

    def __str__(self) -> str:
        return self.message


class UsageError(WenzhengError):
    """Something the command line itself lacks (exit code 2)."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message, hint, code=2)


class FieldError(WenzhengError):
    """A typed value of one field refused (``field``: the case field it was for), so that a prompt on a
    terminal can ask for that field again and keep the others."""

    def __init__(self, field: str, message: str, hint: str | None = None) -> None:
        super().__init__(message, hint)
        self.field = field
