"""The leaders' pages of ``wenzheng serve``: login and its cookie, a page for every report behind a token, the
figures a page shows equal to the report's JSON, hostile case text inert, the security headers on every answer,
a token in the address refused, and a login form that never arrives not waited for."""

from __future__ import annotations

import re
from collections.abc import Iterator, MutableMapping
from html import unescape
from pathlib import Path
from typing import Any

import anyio
import pytest
from starlette.testclient import TestClient

from tests.support.cli import Wz
from tests.support.served import HOSTILE, assert_inert, build_office
from wenzheng_cli.serve import pages
from wenzheng_cli.serve.app import build_app
from wenzheng_cli.serve.pages import CSP, SECURITY_HEADERS
from wenzheng_cli.serve.runner import Runner

PAGES = (
    "/",
    "/weekly",
    "/weekly?week=2026-11-17&community=杨柳",
    "/weekly?week=上周",  # the index's links
    "/monthly?month=last",
    "/monthly",
    "/monthly?month=2026-11&by=community",
    "/trend?months=6&by=community",
    "/hotspots?since=2026-10-01&top=10",
    "/cases/1",
)


@pytest.fixture
def office(wz: Wz) -> dict[str, str]:
    return build_office(wz)


@pytest.fixture
def client(office: dict[str, str], ledger_env: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    # the server's own operator is never a page's: the clerk of the token is (a server started with
    # WENZHENG_OPERATOR set would otherwise be refused every page)
    monkeypatch.delenv("WENZHENG_OPERATOR")
    runner = Runner(ledger_env)
    try:
        with TestClient(build_app(runner)) as test_client:
            yield test_client
    finally:
        runner.close()


def logged_in(client: TestClient, token: str) -> TestClient:
    answer = client.post("/login", data={"token": token}, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    return client


def cookie_flags(header: str) -> dict[str, str]:
    """A ``Set-Cookie`` header's attributes by lower-case name (``httponly`` → "")."""
    parts = [p.strip() for p in header.split(";")]
    return {p.partition("=")[0].lower(): p.partition("=")[2] for p in parts[1:]}


def assert_guarded(answer: Any) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert answer.headers.get(name) == value, (name, answer.headers.get(name))


# --- login, logout ----------------------------------------------------------------------------------------------


def test_login_sets_the_cookie_with_its_flags(client: TestClient, office: dict[str, str]) -> None:
    form = client.get("/login")
    assert form.status_code == 200 and 'name="token"' in form.text and 'type="password"' in form.text
    answer = client.post("/login", data={"token": office["viewer"]}, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/"
    assert_guarded(answer)
    cookie = answer.headers["set-cookie"]
    assert cookie.startswith(f"wenzheng_token={office['viewer']};")
    flags = cookie_flags(cookie)
    assert "httponly" in flags and flags["samesite"].lower() == "strict" and flags["path"] == "/"
    assert "secure" not in flags  # plain http: a Secure cookie would never come back
    index = client.get("/")
    assert index.status_code == 200 and "赵书记（查看）已登录" in index.text and "杨柳社区" in index.text


def test_login_over_https_sets_a_secure_cookie(office: dict[str, str], ledger_env: Path) -> None:
    runner = Runner(ledger_env)
    try:
        with TestClient(build_app(runner), base_url="https://testserver") as client:
            answer = client.post("/login", data={"token": office["viewer"]}, follow_redirects=False)
    finally:
        runner.close()
    assert answer.status_code == 303 and "secure" in cookie_flags(answer.headers["set-cookie"])


def test_a_wrong_token_gets_the_form_again(client: TestClient, office: dict[str, str]) -> None:
    for token in ("x" * 43, "", office["viewer"] + "x", "x" * 300):
        answer = client.post("/login", data={"token": token}, follow_redirects=False)
        assert (
            answer.status_code == 401 and "令牌不对或已删除" in answer.text and 'name="token"' in answer.text
        )
        assert "set-cookie" not in answer.headers
        assert_guarded(answer)


def test_a_login_posted_from_another_site_is_refused(client: TestClient, office: dict[str, str]) -> None:
    foreign = ({"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site", "Origin": "null"})
    for headers in foreign:
        answer = client.post(
            "/login", data={"token": office["viewer"]}, headers=headers, follow_redirects=False
        )
        assert answer.status_code == 403 and "set-cookie" not in answer.headers
    # what a browser sends from the login page itself: the pages' no-referrer policy makes its Origin "null"
    own = {"Sec-Fetch-Site": "same-origin", "Origin": "null"}
    assert (
        client.post(
            "/login", data={"token": office["viewer"]}, headers=own, follow_redirects=False
        ).status_code
        == 303
    )
    same = client.post(
        "/login",
        data={"token": office["viewer"]},
        headers={"Origin": "http://testserver"},
        follow_redirects=False,
    )
    assert same.status_code == 303


def test_logout_forgets_the_cookie(client: TestClient, office: dict[str, str]) -> None:
    logged_in(client, office["viewer"])
    answer = client.post("/logout", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/login"
    assert answer.headers["set-cookie"].startswith('wenzheng_token="";')
    assert client.get("/weekly", follow_redirects=False).status_code == 303


# --- every page: a token or the login page ---------------------------------------------------------------------


@pytest.mark.parametrize("path", PAGES)
def test_each_page_with_a_cookie_and_without(client: TestClient, office: dict[str, str], path: str) -> None:
    anonymous = client.get(path, follow_redirects=False)
    assert anonymous.status_code == 303 and anonymous.headers["location"] == "/login"
    assert_guarded(anonymous)
    logged_in(client, office["viewer"])  # a viewer, the least role, sees every page
    answer = client.get(path)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "text/html; charset=utf-8"
    assert_guarded(answer)
    assert answer.text.startswith("<!DOCTYPE html>")
    assert_inert(answer.text)


def test_the_header_token_works_and_a_wrong_header_gets_401(
    client: TestClient, office: dict[str, str]
) -> None:
    good = client.get("/weekly", headers={"Authorization": f"Bearer {office['clerk']}"})
    assert good.status_code == 200 and "周台账" in good.text
    for header in (f"Bearer {office['clerk']}x", "Basic abc", "Bearer "):
        bad = client.get("/weekly", headers={"Authorization": header}, follow_redirects=False)
        assert bad.status_code == 401 and "令牌不对或已删除" in bad.text
        assert_guarded(bad)


def test_a_removed_token_sends_the_browser_to_login(
    wz: Wz, client: TestClient, office: dict[str, str]
) -> None:
    logged_in(client, office["viewer"])
    assert client.get("/weekly").status_code == 200
    wz("clerk", "remove", "赵书记")
    answer = client.get("/weekly", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/login"
    assert answer.headers["set-cookie"].startswith('wenzheng_token="";')


@pytest.mark.parametrize(
    "path",
    [
        "/weekly?token={t}",
        "/login?token={t}",
        "/?week=x&token={t}",
        "/cases/1?TOKEN={t}",
        "/?wenzheng_token={t}",
    ],
)
def test_a_token_in_the_address_is_refused(client: TestClient, office: dict[str, str], path: str) -> None:
    answer = client.get(path.format(t=office["viewer"]), follow_redirects=False)
    assert answer.status_code == 400 and "令牌不能写在网址里" in answer.text
    assert "set-cookie" not in answer.headers and office["viewer"] not in answer.text
    assert_guarded(answer)
    posted = client.post(
        f"/login?token={office['viewer']}", data={"token": office["viewer"]}, follow_redirects=False
    )
    assert posted.status_code == 400 and "set-cookie" not in posted.headers


# --- what a page takes and what it refuses ---------------------------------------------------------------------


def test_unknown_or_repeated_parameters_are_refused(client: TestClient, office: dict[str, str]) -> None:
    logged_in(client, office["viewer"])
    unknown = client.get("/monthly?month=2026-11&format=csv")
    assert unknown.status_code == 400
    assert "这一页没有参数「format」" in unknown.text and "可用的参数: month、by、as-of" in unknown.text
    assert client.get("/weekly?db=/etc/passwd").status_code == 400
    assert client.get("/weekly?show-pii=1").status_code == 400  # the pages mask residents, always
    assert client.get("/cases/1?show-pii=1").status_code == 400
    twice = client.get("/monthly?by=community&by=unit")
    assert twice.status_code == 400 and "写了两次" in twice.text
    assert_guarded(twice)


def test_a_refused_command_shows_its_error_and_hint(client: TestClient, office: dict[str, str]) -> None:
    logged_in(client, office["viewer"])
    answer = client.get("/monthly?month=2026-13")
    assert answer.status_code == 400 and "错误: " in answer.text and "<main" in answer.text
    assert_guarded(answer)
    missing = client.get("/cases/999")
    assert missing.status_code == 400 and "错误: " in missing.text


@pytest.mark.parametrize("number", ["--db=x", "-h", "1 2", "%00"])
def test_a_case_number_is_never_an_option(client: TestClient, office: dict[str, str], number: str) -> None:
    logged_in(client, office["viewer"])
    answer = client.get(f"/cases/{number}")
    assert answer.status_code == 400 and "案件编号不对" in answer.text
    assert_guarded(answer)


def test_the_index_box_opens_a_case(client: TestClient, office: dict[str, str]) -> None:
    logged_in(client, office["viewer"])
    answer = client.get("/cases?number=YL-2026-0001", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/cases/YL-2026-0001"
    assert client.get("/cases?number=-x").status_code == 400


# --- the figures a page shows are the report's ------------------------------------------------------------------


def test_weekly_totals_equal_the_json(wz: Wz, client: TestClient, office: dict[str, str]) -> None:
    logged_in(client, office["viewer"])
    page = client.get("/weekly?week=2026-11-17").text
    shown = dict(re.findall(r'<tr><td class="w">([^<]+)</td><td class="n">(\d+)</td></tr>', page))
    data = wz.json("report", "weekly", "--week", "2026-11-17")
    labels = {"本周新增": "new", "本周办结": "resolved", "本周销账": "closed", "结转未销账": "carried_over"}
    labels |= {"逾期": "overdue", "下周二通报": "report_back"}
    assert {key: int(shown[label]) for label, key in labels.items()} == {
        k: data["totals"][k] for k in labels.values()
    }
    assert data["totals"]["new"] == 2 and data["totals"]["closed"] == 1  # the office as built


def test_monthly_rates_equal_the_json(wz: Wz, client: TestClient, office: dict[str, str]) -> None:
    logged_in(client, office["viewer"])
    page = client.get("/monthly?month=2026-11&by=community").text
    kpis = dict(re.findall(r'<div class="kpi[^"]*"><span>([^<]+)</span><b>([^<]+)</b></div>', page))
    data = wz.json("report", "monthly", "--month", "2026-11", "--by", "community")
    assert int(kpis["受理量"]) == data["totals"]["received"] == 3
    for label, key in (
        ("办结率", "completion_rate"),
        ("按期办结率", "on_time_rate"),
        ("满意率", "satisfaction_rate"),
    ):
        assert kpis[label] == f"{data['rates'][key] * 100:.1f}%", label
    assert kpis["办结率"] == "66.7%"


def test_a_case_page_is_the_show_page(
    wz: Wz, client: TestClient, office: dict[str, str], tmp_path: Path
) -> None:
    logged_in(client, office["viewer"])
    served = client.get("/cases/YL-2026-0001").text
    target = tmp_path / "1.html"
    wz("show", "YL-2026-0001", "--output", str(target))
    assert served == target.read_text(encoding="utf-8")
    assert_inert(served)
    assert unescape(HOSTILE) in unescape(served)


def test_the_csp_is_all_the_reports_need() -> None:
    """The reports are inline CSS and inline SVG: a policy without scripts, fetches, frames or other forms."""
    parts = dict(part.strip().split(" ", 1) for part in CSP.split(";"))
    assert parts == {
        "default-src": "'none'",
        "style-src": "'unsafe-inline'",
        "img-src": "data:",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
        "base-uri": "'none'",
    }


def test_a_login_form_that_never_arrives_is_not_waited_for(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A client that opens the form's request and trickles nothing is answered 408 (a slowloris holds no
    worker)."""
    monkeypatch.setattr(pages, "FORM_WAIT_S", 0.2)
    sent: list[MutableMapping[str, Any]] = []

    async def receive() -> dict[str, Any]:
        if not sent:
            sent.append({})
            return {"type": "http.request", "body": b"tok", "more_body": True}
        await anyio.sleep(3600)
        raise AssertionError("never")

    async def send(message: MutableMapping[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "method": "POST",
        "path": "/login",
        "raw_path": b"/login",
        "query_string": b"",
        "headers": [(b"host", b"testserver"), (b"content-type", b"application/x-www-form-urlencoded")],
        "scheme": "http",
        "server": ("testserver", 80),
        "client": ("127.0.0.1", 5000),
        "root_path": "",
        "http_version": "1.1",
        "app": client.app,
    }

    async def call() -> None:
        with anyio.fail_after(10):
            await client.app(scope, receive, send)

    anyio.run(call)
    start = next(m for m in sent if m.get("type") == "http.response.start")
    assert start["status"] == 408
