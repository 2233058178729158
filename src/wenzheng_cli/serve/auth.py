"""Who sent a request: the clerk of its token, from ``Authorization: Bearer TOKEN`` or the pages' cookie — never
from the URL (a token in a URL ends up in logs, histories and the Referer of the next page)."""

from __future__ import annotations

from starlette.requests import HTTPConnection

from wenzheng_cli.domain.clerks import Clerk

COOKIE = "wenzheng_token"
TOKEN_MAX = 200


def token_of(request: HTTPConnection, *, cookie: bool = True) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    if cookie:
        return request.cookies.get(COOKIE) or None
    return None


def clerk_of(request: HTTPConnection, *, cookie: bool = True) -> Clerk | None:
    """The clerk whose token the request carries, or None (no token, a wrong one, or one removed)."""
    token = token_of(request, cookie=cookie)
    if not token or len(token) > TOKEN_MAX:
        return None
    runner = request.app.state.runner
    clerk: Clerk | None = runner.authenticate(token)
    return clerk
