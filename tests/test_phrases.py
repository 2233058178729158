"""A hint names what to run next as data; the command line spells it so that the line can be run as shown."""

from __future__ import annotations

from tests.support.cli import Wz
from wenzheng_cli.errors import PLAIN, Prose, command, option, phrase, spell
from wenzheng_cli.render.phrases import say


def test_options_commands_and_prose_as_the_command_line_writes_them() -> None:
    assert say(phrase("检查 ", option("at"))) == "检查 --at"
    assert say(phrase(command("assign", "42", option("to", "王芳")))) == "wenzheng assign 42 --to 王芳"
    assert (
        say(phrase(command("claim", "42", option("operator", "王芳")))) == "wenzheng --operator 王芳 claim 42"
    )
    assert say(phrase(command("intake", Prose("3号楼路灯不亮")))) == 'wenzheng intake "3号楼路灯不亮"'
    assert say(phrase(command("withdraw", "1", option("reason", "重复", prose=True)))) == (
        'wenzheng withdraw 1 --reason "重复"'
    )


def test_a_value_the_shell_would_split_or_act_on_is_quoted() -> None:
    assert (
        say(phrase(command("claim", "1", option("operator", "王 芳"))))
        == 'wenzheng --operator "王 芳" claim 1'
    )
    assert say(phrase(option("reason", 'a "b" $HOME `x` \\', prose=True))) == (
        '--reason "a \\"b\\" \\$HOME \\`x\\` \\\\"'
    )
    assert say(phrase(command("show", ""))) == 'wenzheng show ""'


def test_other_front_ends_spell_the_same_phrase_their_own_way() -> None:
    hint = phrase("用 ", command("list", option("search", "路灯")), " 查找")
    assert spell(hint, PLAIN) == "用 list search=路灯 查找"


def test_a_handler_named_with_a_space_gets_a_hint_that_runs(wz: Wz) -> None:
    wz("init")
    wz("intake", "3号楼路灯不亮")
    wz("assign", "1", "--to", "王 芳")
    refused = wz.fail("claim", "1")
    assert 'wenzheng --operator "王 芳" claim WZ-2026-0001' in refused.stderr
