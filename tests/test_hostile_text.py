"""Text typed or imported is shown as text (issue 16, items 9, 10, 11, 20): terminal escapes, bidi overrides
and Rich markup are never acted on; XLSX drops what Excel cannot hold; the columns an import kept are masked like
names and phones."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from tests.support.cli import Wz
from wenzheng_cli.render.console import SafeConsole, printable

# A colour, a window title with a bell, an 8-bit CSI that clears the screen, a right-to-left override, Rich
# markup that would crash (an unmatched closing tag) or hide a link, and a vertical tab pasted from Word.
HOSTILE = "路灯\x1b[31m红\x1b]0;标题\x07\x9b2J\u202e反 [/x] [link=http://evil.example]点我[/link]\x0b不亮"
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@pytest.fixture
def hostile(wz: Wz) -> None:
    wz("intake", HOSTILE, "--resident", "\x1b[2J李桂兰", "--at", "2026-11-23 09:00")
    wz("assign", "1", "--to", "王\x1b[5m芳", "--at", "2026-11-23 09:30")
    wz("note", "1", "进展\x1b]8;;http://evil.example\x07看这里\x1b]8;;\x07")


@pytest.mark.parametrize(
    "args",
    [
        ["show", "1"],
        ["list"],
        ["list", "--search", "红"],
        ["report", "weekly"],
        ["report", "weekly", "--limit", "0"],
        ["report", "weekly", "--format", "markdown"],
        ["report", "monthly", "--by", "unit"],
    ],
)
def test_escapes_and_markup_are_shown_as_text(wz: Wz, hostile: None, args: list[str]) -> None:
    out = wz(*args).stdout
    assert not UNSAFE.search(out), repr(out)
    if args[0] in ("show", "list") or "weekly" in args:
        assert "[link=http://evil.example]" in out or "[link=…" in out or "[/x]" in out or "…" in out


def test_json_keeps_every_character_and_escapes_what_a_terminal_acts_on(wz: Wz, hostile: None) -> None:
    out = wz("show", "1", "--json").stdout
    assert not UNSAFE.search(out)
    assert "\\u009b" in out and "\\u202e" in out
    assert json.loads(out)["description"] == HOSTILE


def test_markdown_and_table_files_hold_no_terminal_codes(wz: Wz, hostile: None, tmp_path: Path) -> None:
    for name in ("周台账.md", "周台账.txt"):
        wz("report", "weekly", "--output", str(tmp_path / name))
        text = (tmp_path / name).read_text(encoding="utf-8")
        assert not UNSAFE.search(text) and "路灯[31m红]0;标题" in text


def test_import_errors_table_shows_markup_and_escapes_as_text(wz: Wz, tmp_path: Path) -> None:
    source = tmp_path / "走访.csv"
    source.write_text(
        "受理时间,诉求内容\n[/x]\x1b[31m2026-13-45[link=http://evil.example]点我[/link],路灯\n",
        encoding="utf-8",
    )
    result = wz("import", str(source), code=1)
    assert not UNSAFE.search(result.stdout + result.stderr)
    assert "有误的行（1 行）" in result.stdout and "[/x][31m2026-13-45" in result.stdout


def test_a_vertical_tab_from_word_does_not_break_the_weekly_xlsx(
    wz: Wz, hostile: None, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    wz("intake", "楼道\x0b堆物\x1f", "--at", "2026-11-23 09:10")
    target = tmp_path / "周台账.xlsx"
    wz("report", "weekly", "--format", "xlsx", "--output", str(target))
    sheet = load_workbook(target).worksheets[0]
    texts = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert "楼道堆物" in texts
    assert any(t.startswith("路灯[31m红]0;标题") and "[/x] [link=" in t for t in texts), texts
    assert not any(re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", t) for t in texts)
    wz("report", "monthly", "--format", "xlsx", "--output", str(tmp_path / "通报.xlsx"), "--by", "unit")


def test_a_terminal_gets_its_colours_but_not_the_escapes_of_the_data() -> None:
    from rich.table import Table
    from rich.text import Text

    buffer = io.StringIO()
    screen = SafeConsole(file=buffer, force_terminal=True, color_system="standard", width=100)
    table = Table(title="[bold]共 1 件[/bold]")
    table.add_column("诉求")
    table.add_column("状态")
    table.add_row(HOSTILE, Text("逾期", style="red"))
    screen.print(table)
    screen.print("[/x] 不是标记", style="bold")
    out = buffer.getvalue()
    assert "\x1b[31m" in out  # the red of 逾期, drawn by the console itself
    assert "\x1b]" not in out and "\x07" not in out and "\x9b" not in out and "\u202e" not in out
    assert "[bold]共 1 件[/bold]" in out and "[/x] 不是标记" in out
    assert printable("a\tb\nc\x1b[0m\x00") == "a\tb\nc[0m"


def test_the_columns_an_import_kept_are_masked_unless_asked(wz: Wz, tmp_path: Path) -> None:
    source = tmp_path / "平台导出.csv"
    source.write_text(
        "受理时间,诉求内容,身份证号,联系人,联系人电话,备注\n"
        "2026-11-17,路灯不亮,11010519491231002X,王秀英,139 1234 0002,请打13912340001或0532-88886666找她\n",
        encoding="utf-8",
    )
    wz("import", str(source))
    shown = wz.json("show", "1")
    extra = json.loads(shown["events"][0]["extra"])
    assert extra == {
        "身份证号": "110****1002",
        "联系人": "王**",
        "联系人电话": "139****0002",
        "备注": "请打139****0001或053****6666找她",
    }
    full = json.loads(wz.json("show", "1", "--show-pii")["events"][0]["extra"])
    assert full["身份证号"] == "11010519491231002X" and full["联系人"] == "王秀英"


def test_a_finished_case_is_named_once_in_the_hint(wz: Wz) -> None:
    wz("intake", "路灯不亮")
    wz("withdraw", "1", "--reason", "居民撤回")
    hint = wz.fail("assign", "1", "--to", "王芳").stderr.splitlines()[1]
    assert hint == "提示: WZ-2026-0001 已撤销，不能再办理；如需重新受理请新建案件"
