"""Clerks of a served ledger: ``clerk add/list/remove``, tokens kept as hashes, the role each command needs, the
undo of another clerk's step, and what a copy without personal data leaves out."""

from __future__ import annotations

import hashlib
import re
import sqlite3
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any, cast

import pytest
from typer.core import TyperGroup
from typer.main import get_command

from tests.support.cli import Wz
from tests.support.env import NOW
from wenzheng_cli.cli.app import app
from wenzheng_cli.cli.commands import COMMANDS, CommandLine
from wenzheng_cli.core import corrections
from wenzheng_cli.core.clerks import authenticate
from wenzheng_cli.core.session import Session
from wenzheng_cli.domain.clerks import COMMAND_ROLES, GROUP_ROLES, Clerk, Role, required_role
from wenzheng_cli.errors import WenzhengError, command
from wenzheng_cli.render.clerks import ClerkAddedView, ClerkList, ClerkRemovedView
from wenzheng_cli.store.ledger import open_ledger

TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")


def rows(db: Path, sql: str) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def who_has(db: Path, token: str) -> Clerk | None:
    ledger = open_ledger(db, create=False)
    try:
        return authenticate(ledger, token)
    finally:
        ledger.close()


# --- add, list, remove -------------------------------------------------------------------------------------


def test_add_prints_the_token_once_and_keeps_only_its_hash(wz: Wz, ledger_env: Path) -> None:
    added = wz.json("clerk", "add", "王芳")
    assert list(added) == ["name", "role", "token"]
    assert added["name"] == "王芳" and added["role"] == "clerk"
    assert TOKEN.fullmatch(added["token"])
    stored = rows(ledger_env, "SELECT name, role, token_hash, added_at, added_by FROM clerks")
    digest = hashlib.sha256(added["token"].encode()).hexdigest()
    assert stored == [("王芳", "clerk", digest, NOW, "clerk")]
    assert added["token"].encode() not in ledger_env.read_bytes()
    assert who_has(ledger_env, added["token"]) == Clerk("王芳", Role.CLERK)


def test_the_table_form_shows_the_token_on_its_own_line_and_says_it_is_shown_once(wz: Wz) -> None:
    result = wz("clerk", "add", "李书记", "--role", "viewer")
    lines = result.stdout.splitlines()
    assert lines[0] == "已添加 李书记，角色 查看（viewer）。令牌:"
    assert TOKEN.fullmatch(lines[1]) and len(lines) == 2
    assert result.stderr == (
        "提示: 令牌只显示这一次，请交给 李书记 本人，由其用 wenzheng login 服务器地址 保存；丢了就删除后重新添加\n"
    )


@pytest.mark.parametrize(("typed", "role"), [("admin", "admin"), ("管理员", "admin"), ("查看", "viewer")])
def test_a_role_is_typed_in_english_or_chinese(wz: Wz, typed: str, role: str) -> None:
    assert wz.json("clerk", "add", "张伟", "--role", typed)["role"] == role


def test_list_shows_every_clerk_without_tokens(wz: Wz) -> None:
    wz.json("clerk", "add", "王芳")
    wz.json("clerk", "add", "李书记", "--role", "viewer", "--operator", "站长")
    assert wz.json("clerk", "list") == [
        {"name": "王芳", "role": "clerk", "added_at": NOW, "added_by": "clerk"},
        {"name": "李书记", "role": "viewer", "added_at": NOW, "added_by": "站长"},
    ]
    shown = wz("clerk", "list").stdout
    assert "王芳" in shown and "办事员（clerk）" in shown and "2026-11-23 10:00" in shown


def test_an_empty_list_says_how_to_add(wz: Wz) -> None:
    assert wz.json("clerk", "list") == []
    assert wz("clerk", "list").stdout == "还没有办事员；添加用 wenzheng clerk add 王芳（令牌只显示一次）\n"


def test_remove_ends_the_token(wz: Wz, ledger_env: Path) -> None:
    token = wz.json("clerk", "add", "王芳", "--role", "admin")["token"]
    assert wz.json("clerk", "remove", "王芳") == {"name": "王芳", "role": "admin"}
    assert who_has(ledger_env, token) is None
    assert wz.json("clerk", "list") == []


def refused(wz: Wz, db: Path, *args: str) -> list[str]:
    """The stderr lines of a refused command, which must leave the clerks as they were."""
    before = rows(db, "SELECT * FROM clerks ORDER BY name")
    lines = wz.fail(*args).stderr.splitlines()
    assert rows(db, "SELECT * FROM clerks ORDER BY name") == before
    return lines


def test_a_name_already_there_is_refused_and_its_token_stays(wz: Wz, ledger_env: Path) -> None:
    token = wz.json("clerk", "add", "王芳")["token"]
    assert refused(wz, ledger_env, "clerk", "add", "王芳", "--role", "admin") == [
        "错误: 已有办事员「王芳」",
        "提示: 要换令牌或角色，先用 wenzheng clerk remove 王芳 删除（旧令牌随即作废）再添加；"
        "是另一个人就换个名字，如 wenzheng clerk add 王芳2",
    ]
    assert who_has(ledger_env, token) == Clerk("王芳", Role.CLERK)


def test_removing_a_missing_name_names_the_closest(wz: Wz, ledger_env: Path) -> None:
    assert refused(wz, ledger_env, "clerk", "remove", "王芳") == [
        "错误: 没有办事员「王芳」",
        "提示: 还没有添加办事员；添加用 wenzheng clerk add 王芳 --role clerk",
    ]
    wz.json("clerk", "add", "王芳")
    assert refused(wz, ledger_env, "clerk", "remove", "王方") == [
        "错误: 没有办事员「王方」",
        "提示: 是不是: 王芳？用 wenzheng clerk list 查看全部",
    ]


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("clerk", "add", "王芳", "--role", "boss"), "错误: 没有角色「boss」"),
        (("clerk", "add", "  "), "错误: 办事员姓名为空"),
        (("clerk", "add", "王" * 201), "错误: 办事员姓名过长（201 字，上限 200 字）"),
    ],
)
def test_bad_input_is_refused_in_one_line(wz: Wz, ledger_env: Path, args: tuple[str, ...], said: str) -> None:
    lines = refused(wz, ledger_env, *args)
    assert lines[0] == said and len(lines) == 2 and lines[1].startswith("提示: ")


@pytest.mark.parametrize("token", ["", "x", "a" * 43, "a" * 10_000])
def test_what_is_not_a_token_authenticates_nobody(wz: Wz, ledger_env: Path, token: str) -> None:
    wz.json("clerk", "add", "王芳")
    assert who_has(ledger_env, token) is None


def test_check_passes_on_a_ledger_with_clerks(wz: Wz) -> None:
    wz.json("clerk", "add", "王芳")
    assert wz.json("check")["ok"] is True


# --- the role each command needs ---------------------------------------------------------------------------


def test_every_command_and_subcommand_has_a_role() -> None:
    """A command added to the command line without a row in ``domain.clerks`` fails here."""
    group = cast(CommandLine, get_command(app))
    for entry in COMMANDS:
        built: Any = group.commands[entry.name]
        if isinstance(built, TyperGroup):
            ctx = built.make_context(entry.name, ["--help"], resilient_parsing=True)
            assert set(built.list_commands(ctx)) == set(GROUP_ROLES[entry.name]), entry.name
            assert entry.name not in COMMAND_ROLES
        else:
            assert entry.name in COMMAND_ROLES, entry.name
    assert set(COMMAND_ROLES) | set(GROUP_ROLES) == {entry.name for entry in COMMANDS}


@pytest.mark.parametrize(
    ("path", "role"),
    [
        (("show",), Role.VIEWER),
        (("report", "monthly"), Role.VIEWER),
        (("config", "show"), Role.VIEWER),
        (("activity", "list"), Role.VIEWER),
        (("rollup", "--status"), Role.VIEWER),
        (("intake",), Role.CLERK),
        (("import",), Role.CLERK),
        (("undo",), Role.CLERK),
        (("activity", "add"), Role.CLERK),
        (("config", "set"), Role.ADMIN),
        (("clerk", "list"), Role.ADMIN),
        (("backup",), Role.ADMIN),
        (("rollup",), Role.ADMIN),
        (("export",), Role.ADMIN),
        (("report",), Role.VIEWER),  # a group alone shows its help
        (("config", "purge"), Role.ADMIN),  # unknown: the safest
        (("wipe",), Role.ADMIN),
        ((), Role.ADMIN),
        (("init",), None),
        (("serve",), None),
        (("login",), None),
        (("completion",), None),
    ],
)
def test_the_role_a_command_needs(path: tuple[str, ...], role: Role | None) -> None:
    assert required_role(path) == role


def test_roles_are_ordered() -> None:
    assert (
        Role.ADMIN.allows(Role.CLERK) and Role.CLERK.allows(Role.VIEWER) and Role.VIEWER.allows(Role.VIEWER)
    )
    assert not Role.VIEWER.allows(Role.CLERK) and not Role.CLERK.allows(Role.ADMIN)
    assert [r.label for r in Role] == ["查看", "办事员", "管理员"]


# --- undo of another clerk's step --------------------------------------------------------------------------


def session_of(db: Path, operator: str, *, may_undo_others: bool) -> Session:
    session = Session.open(str(db), operator, create=False)
    session.may_undo_others = may_undo_others
    return session


def test_a_clerk_undoes_only_their_own_steps(wz: Wz, ledger_env: Path) -> None:
    wz("init", "--office", "YL")
    number = wz.json("intake", "3号楼路灯不亮")["number"]
    wz("note", number, "已联系物业", "--operator", "王芳")
    events = rows(ledger_env, "SELECT COUNT(*) FROM events")
    session = session_of(ledger_env, "李四", may_undo_others=False)
    try:
        attempts: list[Callable[[], object]] = [
            partial(corrections.undo_plan, session, number),
            partial(corrections.undo, session, number, reason=None, at=None),
        ]
        for attempt in attempts:
            with pytest.raises(WenzhengError) as caught:
                attempt()
            assert str(caught.value) == "该步由 王芳 办理，只有管理员可以撤销他人的操作"
            assert caught.value.hint == ("请管理员撤销，或请 王芳 本人运行 ", command("undo", number))
    finally:
        session.close()
    assert rows(ledger_env, "SELECT COUNT(*) FROM events") == events
    own = session_of(ledger_env, "王芳", may_undo_others=False)
    try:
        assert corrections.undo(own, number, reason=None, at=None).event.actor == "王芳"
    finally:
        own.close()


def test_an_admin_or_the_command_line_undoes_anyones_step(wz: Wz) -> None:
    wz("init", "--office", "YL")
    number = wz.json("intake", "3号楼路灯不亮")["number"]
    wz("note", number, "已联系物业", "--operator", "王芳")
    wz("undo", number, "--yes", "--operator", "李四")
    assert wz.json("show", number)["events"][-1]["action"] == "undo"


# --- copies ------------------------------------------------------------------------------------------------


def test_a_copy_without_personal_data_has_no_clerks_or_answers(
    wz: Wz, ledger_env: Path, tmp_path: Path
) -> None:
    wz("init", "--office", "YL")
    wz.json("clerk", "add", "王芳")
    conn = sqlite3.connect(ledger_env)
    with conn:
        conn.execute(
            "INSERT INTO requests (id, clerk, digest, received_at, code, response)"
            " VALUES ('r1', '王芳', 'd', ?, 0, ?)",
            (NOW, b'{"resident": "\\u674e\\u56db"}'),
        )
    conn.close()
    full = Path(wz.json("backup", str(tmp_path / "full.db"))["path"])
    bare = Path(wz.json("backup", "--without-pii", str(tmp_path / "bare.db"))["path"])
    assert rows(full, "SELECT name FROM clerks") == [("王芳",)]
    assert rows(full, "SELECT id FROM requests") == [("r1",)]
    assert rows(bare, "SELECT COUNT(*) FROM clerks") == [(0,)]
    assert rows(bare, "SELECT COUNT(*) FROM requests") == [(0,)]
    assert wz.json("check", "--db", str(bare))["ok"] is True


def test_each_answer_rebuilds_from_its_json(wz: Wz) -> None:
    """What a client receives as JSON is the view itself (``domain.jsonvalue``)."""
    added = wz.json("clerk", "add", "王芳")
    assert ClerkAddedView.from_json(added).to_json() == added
    listed = wz.json("clerk", "list")
    assert ClerkList.from_json(listed).to_json() == listed
    removed = wz.json("clerk", "remove", "王芳")
    assert ClerkRemovedView.from_json(removed).to_json() == removed
