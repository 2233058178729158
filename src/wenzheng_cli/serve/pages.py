"""The leaders' pages of ``wenzheng serve``: this week's 台账, the month's 通报, the trend, the hotspots and a
case's timeline, read-only, in a browser, behind a token.

Each page is the HTML report the command line writes (``report weekly --format html`` and the others, ``show
--format html`` for a case), made by the same command run through the server's runner: its query parameters
are the command's options by name (``/monthly?month=2026-11&by=office`` runs ``report monthly --month=2026-11
--by=office``), so a page says exactly what the command says. A parameter the page does not take is refused,
and so is a token in the address (addresses end up in histories, logs and the Referer of other sites): a token
comes in the ``Authorization: Bearer`` header or in the cookie ``/login`` sets (HttpOnly, SameSite=Strict,
Secure over https). Without a valid one a browser is sent to ``/login``; a program that sent a wrong header is
told 401.

Every answer forbids what the pages do not need (``SECURITY_HEADERS``): no script, no fetch, no frame, no
form posted elsewhere; the reports are inline CSS and inline SVG and ask for nothing more. Nothing here changes
the ledger.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Sequence
from functools import wraps
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit

import anyio
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from wenzheng_cli.domain.clerks import Clerk
from wenzheng_cli.render.html_style import CSS, SERVE_CSS
from wenzheng_cli.render.templating import Markup, render
from wenzheng_cli.serve.auth import COOKIE, clerk_of
from wenzheng_cli.serve.one_thread import on_ledger

CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
WRONG_TOKEN = "令牌不对或已删除"
FORM_MAX = 4096  # the login form: a token and a little more
FORM_WAIT_S = 30.0  # the login form arrives within this
VALUE_MAX = 200  # a query parameter's value: a date, a community's name

_STYLE = Markup(CSS + SERVE_CSS)  # the product's own stylesheets: no text from the data in them
_CASE_NUMBER = re.compile(r"[^\W_][\w-]{0,39}")  # YL-2026-0042, 42: never an option (no leading "-")


class Report:
    """A page made by a report command: the command's words, and the options it takes by name."""

    def __init__(self, title: str, words: Sequence[str], options: Sequence[str]) -> None:
        self.title = title
        self.words = tuple(words)
        self.options = tuple(options)


REPORTS: dict[str, Report] = {
    "/weekly": Report("周台账", ("report", "weekly"), ("week", "community", "grid", "office")),
    "/monthly": Report("月通报", ("report", "monthly"), ("month", "by", "as-of")),
    "/trend": Report("趋势", ("report", "trend"), ("months", "until", "by")),
    "/hotspots": Report("热点问题", ("hotspots",), ("since", "until", "top", "window")),
}

# The index: (address, what it is, a word on it).
LINKS = (
    ("/weekly", "本周台账", "本周新增、办结、销账、结转未销账、逾期、下周二通报"),
    ("/weekly?week=上周", "上周台账", ""),
    ("/monthly", "本月通报", "受理量与各项比率，按社区排名"),
    ("/monthly?month=last", "上月通报", ""),
    ("/trend", "趋势", "近 12 个月"),
    ("/hotspots", "热点问题", "同一地点反映较多的共性问题"),
)

Endpoint = Callable[[Request], Awaitable[Response]]


def routes() -> list[Route]:
    """The pages, for ``serve.app.build_app`` to mount."""
    found = [
        Route("/", _guarded(index), methods=["GET"]),
        Route("/login", _guarded(login_form), methods=["GET"]),
        Route("/login", _guarded(login), methods=["POST"]),
        Route("/logout", _guarded(logout), methods=["GET", "POST"]),
        Route("/cases", _guarded(find_case), methods=["GET"]),
        Route("/cases/{number}", _guarded(case_page), methods=["GET"]),
    ]
    found += [
        Route(path, _guarded(_report_page(report)), methods=["GET"]) for path, report in REPORTS.items()
    ]
    return found


def _guarded(endpoint: Endpoint) -> Endpoint:
    """``endpoint`` behind the rules every page keeps: a token in the address refused before anything else
    happens, and the security headers on every answer."""

    @wraps(endpoint)
    async def guarded(request: Request) -> Response:
        if any("token" in name.lower() for name, _ in parse_qsl(request.url.query, True)):
            response: Response = _message(
                "令牌不能写在网址里", "网址会留在浏览记录和日志里；请在登录页输入令牌", status=400
            )
        else:
            response = await endpoint(request)
        response.headers.update(SECURITY_HEADERS)
        return response

    return guarded


# --- who is asking ---------------------------------------------------------------------------------------------


def _runner(request: Request) -> Any:
    return request.app.state.runner


async def _clerk(request: Request) -> Clerk | None:
    """The clerk of the request's token (the header's, else the cookie's), or None."""
    return await on_ledger(request, clerk_of, request)


def _unknown(request: Request) -> Response:
    """The answer to a request without a valid token: a program that sent a header is told 401; a browser is
    sent to the login page (a stale cookie removed)."""
    if "authorization" in request.headers:
        response: Response = _message(WRONG_TOKEN, "请向管理员要一个令牌（wenzheng clerk add）", status=401)
        response.headers["WWW-Authenticate"] = 'Bearer realm="wenzheng"'
        return response
    response = RedirectResponse("/login", status_code=303)
    if COOKIE in request.cookies:
        response.delete_cookie(COOKIE, path="/")
    return response


# --- the pages ---------------------------------------------------------------------------------------------------


async def index(request: Request) -> Response:
    if refused := _only(request, ()):
        return refused
    clerk = await _clerk(request)
    if clerk is None:
        return _unknown(request)
    office = await on_ledger(request, _runner(request).office)
    return _html(
        "index.html.j2",
        office=office,
        title="台账查看",
        meta=[f"{clerk.name}（{clerk.role.label}）已登录"],
        links=LINKS,
    )


async def login_form(request: Request) -> Response:
    if refused := _only(request, ()):
        return refused
    return await _login_page(request, "")


async def _login_page(request: Request, refusal: str, status: int = 200) -> Response:
    office = await on_ledger(request, _runner(request).office)
    meta = ["请输入管理员给您的令牌（wenzheng clerk add 时显示的那一串）"]
    return _html("login.html.j2", status, office=office, title="登录", meta=meta, refusal=refusal)


async def login(request: Request) -> Response:
    """The token of the form: a valid one is kept in the cookie and the browser sent to the index; a wrong one
    gets the form again, 401. A form posted from another site is refused (no one is logged in unawares)."""
    if refused := _only(request, ()):
        return refused
    if _from_elsewhere(request):
        return _message("登录表单只能从本服务器的登录页提交", "请打开本服务器的 /login 页登录", status=403)
    body = b""
    with anyio.move_on_after(FORM_WAIT_S) as waited:  # a client that trickles its form is not waited for
        async for chunk in request.stream():
            body += chunk
            if len(body) > FORM_MAX:
                return _message("登录表单太长", "只填令牌", status=413)
    if waited.cancelled_caught:
        return _message("登录表单迟迟没有送到", "请重新打开登录页再试", status=408)
    fields = dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
    token = fields.get("token", "").strip()
    clerk = await on_ledger(request, _runner(request).authenticate, token) if token else None
    if not isinstance(clerk, Clerk):
        return await _login_page(request, WRONG_TOKEN, 401)
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(
        COOKIE, token, path="/", httponly=True, samesite="strict", secure=request.url.scheme == "https"
    )
    return response


def _from_elsewhere(request: Request) -> bool:
    """Whether a form was posted by a page of another site: as the browser says (``Sec-Fetch-Site``), or by
    the ``Origin`` it names. ``Origin: null`` is what the pages' own no-referrer policy makes a browser send."""
    if request.headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
        return True
    origin = request.headers.get("origin", "null")
    return origin != "null" and urlsplit(origin).netloc != request.url.netloc


async def logout(request: Request) -> Response:
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict")
    return response


async def find_case(request: Request) -> Response:
    """The index's box for a case number: to the case's page."""
    if refused := _only(request, ("number",)):
        return refused
    clerk = await _clerk(request)
    if clerk is None:
        return _unknown(request)
    number = request.query_params.get("number", "").strip()
    if not _CASE_NUMBER.fullmatch(number):
        return _message(f"案件编号不对: {number[:40]}", "写编号，如 YL-2026-0042，或本年序号 42", status=400)
    return RedirectResponse("/cases/" + quote(number), status_code=303)


async def case_page(request: Request) -> Response:
    """A case and its timeline: ``show NUMBER`` as a page."""
    if refused := _only(request, ()):
        return refused
    clerk = await _clerk(request)
    if clerk is None:
        return _unknown(request)
    number = request.path_params["number"]
    if not _CASE_NUMBER.fullmatch(number):
        return _message(f"案件编号不对: {number[:40]}", "写编号，如 YL-2026-0042，或本年序号 42", status=400)
    return await _run(request, clerk, ["show", number])


def _report_page(report: Report) -> Endpoint:
    async def page(request: Request) -> Response:
        if refused := _only(request, report.options):
            return refused
        clerk = await _clerk(request)
        if clerk is None:
            return _unknown(request)
        argv = [*report.words]
        for name, value in request.query_params.items():
            if value.strip():  # an empty box of a form: the option left out
                argv.append(f"--{name.replace('_', '-')}={value.strip()}")
        return await _run(request, clerk, argv)

    return page


async def _run(request: Request, clerk: Clerk, argv: list[str]) -> Response:
    """The command's page, or what it refused (its 错误 and 提示) in a small page, 400 (403 for a role that
    may not see it)."""
    page = await on_ledger(request, _runner(request).page, argv, clerk)
    if page.code == 0 and page.body is not None:
        return HTMLResponse(page.body)
    lines = [line for line in page.error.splitlines() if line.strip()] or ["这一页没有生成"]
    return _message(lines[0], "\n".join(lines[1:]), status=403 if page.code == 403 else 400)


def _only(request: Request, options: Sequence[str]) -> Response | None:
    """A refusal for a parameter the page does not take, one given twice, or a value too long; None when the
    parameters are the page's own. ``as_of`` is taken for ``as-of`` (a form's field names)."""
    seen: set[str] = set()
    for name, value in parse_qsl(request.url.query, keep_blank_values=True):
        option = name.replace("_", "-")
        if option not in options:
            known = "、".join(options) if options else "无"
            return _message(f"这一页没有参数「{name[:30]}」", f"可用的参数: {known}", status=400)
        if option in seen:
            return _message(f"参数「{name[:30]}」写了两次", "每个参数只写一次", status=400)
        if len(value) > VALUE_MAX or "\x00" in value:
            return _message(f"参数「{name[:30]}」的值太长", f"不超过 {VALUE_MAX} 个字", status=400)
        seen.add(option)
    return None


def _message(message: str, hint: str = "", *, status: int) -> Response:
    """A small page that says what was refused and what to do."""
    hints = [line.removeprefix("提示:").strip() for line in hint.splitlines() if line.strip()]
    return _html(
        "refused.html.j2",
        status,
        office="",
        title="无法显示",
        meta=[],
        message=message.removeprefix("错误:").strip(),
        hints=hints,
    )


def _html(template: str, status: int = 200, **values: Any) -> Response:
    return HTMLResponse(render(template, css=_STYLE, wide=False, **values), status_code=status)
