"""Tables at the widths clerks' terminals have: case numbers, dates, statuses and figures stay whole, text gives
way first (shortened, or columns left out with a note)."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.console import Console

from tests.support.cli import Wz
from wenzheng_cli.domain.text import shorten
from wenzheng_cli.render.case_table import cases_table
from wenzheng_cli.render.rows import CASE_KEYS, CaseRow

WIDTHS = (80, 100, 120, 160)
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
CUT = re.compile(r"(\d…|…\d|YL-…|20\d\d-…|\d%…)")


@pytest.fixture
def office(wz: Wz) -> list[str]:
    wz("init", "--office", "YL", "--name", "杨柳社区")
    wz("config", "add", "communities", "杨柳", "清河")
    numbers = []
    texts = [
        ("3号楼2单元楼道堆放旧家具和纸箱，影响通行，存在消防隐患，请尽快清理", "堆码物清理", "杨柳"),
        ("独居老人申请临时救助，冬季取暖费有困难，希望社区帮助联系民政部门", "困难诉求", "清河"),
        ("楼上住户空调外机滴水，与邻居多次协商未果，请社区调解", "群众纠纷", "杨柳"),
        ("8号楼暖气不热，室温不到16度，家中有老人和婴儿", "水电暖气燃气", "清河"),
    ]
    for i, (text, category, community) in enumerate(texts):
        number = wz.json(
            "intake", text, "--resident", "李桂兰", "--phone", "13812345678", "--community", community,
            "--category", category, "--at", f"2026-11-17 09:{10 + i}",
        )["number"]  # fmt: skip
        numbers.append(number)
    wz(
        "assign",
        numbers[0],
        "--to",
        "刘强",
        "--unit",
        "杨柳物业服务中心",
        "--within",
        "3wd",
        "--at",
        "2026-11-17 10:00",
    )
    wz("assign", numbers[1], "--unit", "街道民政办", "--within", "1d", "--at", "2026-11-17 10:00")
    wz("assign", numbers[2], "--to", "黄磊", "--unit", "人民调解委员会", "--at", "2026-11-17 10:00")
    wz("supervise", numbers[1], "--reason", "超期未办结", "--at", "2026-11-19 10:00")
    wz(
        "--operator",
        "刘强",
        "resolve",
        numbers[0],
        "--result",
        "已清运旧家具和纸箱，楼道恢复通行",
        "--at",
        "2026-11-18",
    )
    wz("--operator", "孙红", "revisit", numbers[0], "--rating", "非常满意", "--at", "2026-11-19")
    return numbers


def terminal(wz: Wz, monkeypatch: pytest.MonkeyPatch, width: int, *args: str) -> str:
    monkeypatch.setenv("COLUMNS", str(width))
    monkeypatch.setenv("FORCE_COLOR", "1")  # a terminal, as a clerk's
    text = _ANSI.sub("", wz(*args).stdout)
    for line in text.splitlines():
        assert cell_len(line) <= width, (width, line)
    assert not CUT.search(text), CUT.search(text)
    return text


@pytest.mark.parametrize("width", WIDTHS)
def test_weekly_keeps_numbers_dates_and_statuses_whole(
    wz: Wz, office: list[str], monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    text = terminal(wz, monkeypatch, width, "report", "weekly", "--week", "2026-11-17")
    for number in office:
        assert number in text
    # 受理日期 and 街道民政办's 1d limit, dates of the report's year without the year
    assert "│11-17" in text.replace(" ", "") and "11-18" in text
    assert "已交办·逾期" in text and "已销账" in text
    if width < 160:
        assert "终端较窄，表中省略了" in text


@pytest.mark.parametrize("width", WIDTHS)
def test_monthly_keeps_figures_whole(
    wz: Wz, office: list[str], monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    data = json.loads(wz("report", "monthly", "--month", "2026-11", "--json").stdout)
    text = terminal(wz, monkeypatch, width, "report", "monthly", "--month", "2026-11")
    for group in data["groups"]:
        assert f"{group['score']:.2f}" in text
        assert f"{group['rates']['completion_rate'] * 100:.1f}%" in text
    assert f"{data['rates']['satisfaction_rate'] * 100:.1f}%" in text


@pytest.mark.parametrize("width", WIDTHS)
def test_list_and_show(wz: Wz, office: list[str], monkeypatch: pytest.MonkeyPatch, width: int) -> None:
    listed = terminal(wz, monkeypatch, width, "list")
    for number in office:
        assert number in listed
    assert "2026-11-17" in listed and "2026-11-18" in listed
    shown = terminal(wz, monkeypatch, width, "show", office[0])
    assert "2026-11-17 09:10" in shown and "2026-11-19" in shown


# --- the rendering rule: no line a command prints is wider than the terminal, whatever the text ---------------

# Residents' text as it comes: Chinese, Latin letters and digits, full-width forms, emoji, combining marks.
_ALPHABET = st.one_of(
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
    st.characters(min_codepoint=0x21, max_codepoint=0x7E),
    st.characters(min_codepoint=0xFF01, max_codepoint=0xFF5E),
    st.characters(min_codepoint=0x1F300, max_codepoint=0x1F64F),
    st.characters(min_codepoint=0x0300, max_codepoint=0x036F),
    st.sampled_from(" 　，。、；：！？（）【】《》…—\n\t"),
)


def _text(max_size: int) -> st.SearchStrategy[str]:
    # a first character that is a letter: a value never starts like an option or a blank
    return st.builds(
        lambda head, rest: head + rest, st.sampled_from("居民张李王AB"), st.text(_ALPHABET, max_size=max_size)
    )


def _fits(out: str, width: int) -> None:
    for line in _ANSI.sub("", out).splitlines():
        assert cell_len(line) <= width, (width, cell_len(line), line)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    width=st.integers(min_value=60, max_value=200),
    description=_text(400),
    resident=_text(12),
    address=_text(40),
    unit=_text(30),
    handler=_text(8),
    result=_text(300),
    note=_text(120),
)
def test_no_line_is_wider_than_the_terminal(
    wz: Wz,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    width: int,
    description: str,
    resident: str,
    address: str,
    unit: str,
    handler: str,
    result: str,
    note: str,
) -> None:
    monkeypatch.setenv("WENZHENG_DB", str(tmp_path_factory.mktemp("ledger") / "ledger.db"))
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    wz("init", "--office", "YL", "--name", "杨柳社区")
    made = wz.json(
        "intake", description, "--resident", resident, "--address", address, "--at", "2026-11-17 09:00"
    )
    number = made["number"]
    wz("assign", number, "--to", handler, "--unit", unit, "--within", "3d", "--at", "2026-11-17 10:00")
    wz("note", number, note, "--at", "2026-11-17 11:00")
    wz("--operator", handler, "resolve", number, "--result", result, "--at", "2026-11-18 09:00")
    monkeypatch.setenv("COLUMNS", str(width))
    monkeypatch.setenv("FORCE_COLOR", "1")  # a terminal, as a clerk's
    for args in (("show", number), ("list",), ("report", "weekly", "--week", "2026-11-17")):
        _fits(wz(*args).stdout, width)


HELP_PAGES = (
    (),
    ("import",),
    ("list",),
    ("show",),
    ("revisit",),
    ("report", "weekly"),
    ("report", "monthly"),
    ("config",),
)


_WHOLE: dict[tuple[str, ...], int] = {}  # each page's … at a width that cuts nothing


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(width=st.integers(min_value=60, max_value=200))
def test_help_pages_wrap_to_the_terminal(wz: Wz, monkeypatch: pytest.MonkeyPatch, width: int) -> None:
    """Every line within the width, and nothing cut: the page holds as many … as its texts do at any width."""
    for page in HELP_PAGES:
        if page not in _WHOLE:
            monkeypatch.setenv("COLUMNS", "1000")
            _WHOLE[page] = wz(*page, "--help").stdout.count("…")
        whole = _WHOLE[page]
        monkeypatch.setenv("COLUMNS", str(width))
        out = _ANSI.sub("", wz(*page, "--help").stdout)
        _fits(out, width)
        assert out.count("…") == whole, (page, out)


def _row(number: int, description: str, resident: str = "U**") -> CaseRow:
    data: dict[str, object] = dict.fromkeys(CASE_KEYS)
    data.update(
        number=f"WZ-2020-{number:04d}",
        id=f"c{number}",
        status="resolved",
        received_at="2020-01-08T09:00:00+08:00",
        description=description,
        resident=resident,
        round=1,
        supervised=False,
        listed=False,
        category_suggested=False,
        office="WZ",
        history=False,
    )
    return CaseRow.from_json(data)


@pytest.mark.parametrize("head", ["", "a", "ab", "呼吁", "J市"])
def test_list_lines_fit_every_width_when_place_and_unit_are_empty(head: str) -> None:
    """An imported ledger has no 社区/网格 and no 承办 in any row: the header stays one line and the border
    whole at every width, whatever the length of the text (a Chinese character is two cells)."""
    texts = [head + "呼吁B2区千亿大道和机场大道早点启用红绿灯"[:n] for n in range(1, 22)]
    rows = [_row(i + 1, text) for i, text in enumerate(texts)]
    for width in range(60, 201):
        for chunk in (rows[i : i + 3] for i in range(0, len(rows), 3)):
            console = Console(width=width, file=io.StringIO(), color_system=None)
            console.print(cases_table(chunk, False, title="共 3 件", width=width))
            lines = console.file.getvalue().splitlines()  # type: ignore[attr-defined]
            for line in lines:
                assert cell_len(line) <= width, (width, line)
            header = lines[2]
            assert header.startswith("┃") and header.endswith("┃"), (width, header)


def test_shorten_never_leaves_a_wide_last_character_over_the_width() -> None:
    for text in ("abcdefghij中", "中文字中文字x中", "ab中", "中中中中中"):
        for width in range(2, 14):
            assert cell_len(shorten(text, width)) <= width, (text, width, shorten(text, width))


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("width", [40, 60, 80, 100])
def test_a_hint_wider_than_the_terminal_wraps_between_words_and_keeps_numbers_whole(
    monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    from wenzheng_cli.render import console

    hint = (
        "YL-2026-0001 答复待完善: 答复过短；群众回访前请补充（撤销后重新办结: wenzheng undo YL-2026-0001，"
        '再 wenzheng resolve YL-2026-0001 --result "…"）'
    )
    screen = _Terminal()
    monkeypatch.setattr(sys, "stderr", screen)
    monkeypatch.setattr(shutil, "get_terminal_size", lambda *a, **k: os.terminal_size((width, 24)))
    console.warn(hint)
    lines = screen.getvalue().splitlines()
    assert len(lines) > 1
    assert all(cell_len(line) <= width for line in lines)
    assert "".join(lines).count("YL-2026-0001") == 3
    assert sum(line.count("YL-2026-0001") for line in lines) == 3  # none cut in two
    assert "".join(lines).replace(" ", "") == f"提示: {hint}".replace(" ", "")  # nothing lost, only wrapped


def test_a_hint_stays_one_line_for_pipes_and_cron(monkeypatch: pytest.MonkeyPatch) -> None:
    from wenzheng_cli.render import console

    piped = io.StringIO()
    monkeypatch.setattr(sys, "stderr", piped)
    monkeypatch.setattr(shutil, "get_terminal_size", lambda *a, **k: os.terminal_size((40, 24)))
    console.error(
        "找不到案件 YL-2026-0003，" * 5, "用 wenzheng list 查看案件编号；只写序号时指本年度的案件" * 3
    )
    assert len(piped.getvalue().splitlines()) == 2
