"""On a terminal a refused answer is asked again, alone; what was typed before stays."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.cli import Wz


@pytest.fixture
def terminal(monkeypatch: Any) -> None:
    from wenzheng_cli.cli import lifecycle, prompts

    monkeypatch.setattr(lifecycle, "interactive", lambda: True)
    monkeypatch.setattr(prompts, "interactive", lambda: True)


def test_a_refused_category_is_asked_again_and_the_text_kept(wz: Wz, terminal: None) -> None:
    result = wz("intake", input="3号楼路灯不亮\n环境\n环境卫生\n")
    assert "错误: 类别「环境」不在本社区的类别列表中" in result.stderr
    assert "提示: 是否指 环境卫生？" in result.stderr
    assert result.stdout.count("诉求内容") == 1  # the text was asked once
    assert result.stdout.count("类别") == 2
    data = wz.json("show", "1")
    assert (data["description"], data["category"]) == ("3号楼路灯不亮", "环境卫生")


def test_a_refused_option_is_asked_again_alone(wz: Wz, terminal: None) -> None:
    wz("config", "add", "communities", "杨柳", "清河")
    result = wz(
        "intake", "楼道堆放杂物", "--community", "杨六", "--phone", "13812345678", "--category", "堆码物清理",
        input="杨柳\n",
    )  # fmt: skip
    assert "错误: 社区「杨六」不在本社区的社区列表中" in result.stderr
    assert "请重新填写社区" in result.stdout
    data = wz.json("show", "1", "--show-pii")
    assert (data["community"], data["phone"], data["category"]) == ("杨柳", "13812345678", "堆码物清理")


def test_a_refused_rating_is_asked_again(wz: Wz, terminal: None) -> None:
    wz("intake", "路灯不亮")
    wz("assign", "1", "--unit", "城管科")
    wz("--operator", "王芳", "resolve", "1", "--result", "已更换灯泡")
    result = wz("revisit", "1", input="满易\n满意\n")
    assert "错误: 评价「满易」无法识别" in result.stderr
    assert wz.json("show", "1")["status"] == "closed"


def test_without_a_terminal_a_refusal_is_final(wz: Wz) -> None:
    wz("config", "add", "communities", "杨柳")
    refused = wz.fail("intake", "楼道堆放杂物", "--community", "杨六")
    assert refused.stderr.startswith("错误: 社区「杨六」不在本社区的社区列表中\n")
    assert wz.json("list") == []


def test_the_corrections_have_help_with_an_example(wz: Wz) -> None:
    for args in (("amend",), ("undo",), ("config", "rename")):
        text = wz(*args, "--help").stdout
        assert "例: wenzheng" in text and "--json" in text, args
