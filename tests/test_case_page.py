"""``wenzheng show CASE --format html``: one case and its whole timeline as one self-contained page (the page
``/cases/NUMBER`` of ``wenzheng serve``), every text escaped; ``show --json`` unchanged."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.support.cli import Wz
from tests.support.served import assert_inert, build_office
from tests.test_html_escaping import assert_escaped, evil


@pytest.fixture
def office(wz: Wz) -> dict[str, str]:
    return build_office(wz)


def test_show_writes_the_case_and_its_timeline_as_one_page(
    wz: Wz, office: dict[str, str], tmp_path: Path
) -> None:
    target = tmp_path / "案件.html"
    result = wz("show", "1", "--format", "html", "--output", str(target))
    assert result.stderr == f"已写入 {target}\n"
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<title>杨柳社区 案件 YL-2026-0001 办理经过</title>" in page
    assert_inert(page)
    assert (
        "&lt;script&gt;alert(1)&lt;/script&gt;3号楼路灯不亮&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"
        in page
    )
    assert "[link=https://evil.example]点这里[/link]" in page  # console markup is text on a page
    # every step, in the words show prints: the intake, the assignment with its due date, the note
    steps = re.findall(r'<tr(?: class="undone")?><td class="c">([^<]*)</td><td class="c">([^<]*)</td>', page)
    assert steps == [("2026-11-18 10:00", "受理"), ("2026-11-18 10:00", "交办"), ("2026-11-19 10:00", "进展")]
    assert "承办人: 张三；层级: 社区；时限: 2026-11-20" in page
    assert "已联系物业&lt;script&gt;" in page
    # the resident masked, and said so; nothing fetched, nothing run
    assert "李* 138****5678" in page and "13812345678" not in page and "已打码" in page
    assert "http://" not in page and "https://" not in page.replace("https://evil.example", "")
    assert "@page" in page  # prints on A4 as the reports do


def test_show_page_with_pii_and_an_undone_step(wz: Wz, office: dict[str, str], tmp_path: Path) -> None:
    wz("undo", "1", "--yes", "--reason", "记错了")
    target = tmp_path / "1.html"
    wz("show", "1", "--output", str(target), "--show-pii")  # the extension says html
    page = target.read_text(encoding="utf-8")
    assert "李四 13812345678" in page and "个人信息为原文" in page
    assert '<tr class="undone"><td class="c">2026-11-19 10:00</td><td class="c">进展（已撤销）</td>' in page


def test_show_json_is_unchanged_and_other_formats_are_refused(
    wz: Wz, office: dict[str, str], tmp_path: Path
) -> None:
    assert wz("show", "1", "--format", "json").stdout == wz("show", "1", "--json").stdout
    refused = wz.fail("show", "1", "--format", "csv", code=2)
    assert refused.stderr == "错误: show 不支持 csv 格式\n提示: --format 可选: table、json、html\n"
    assert wz("show", "1", "--format", "html").stdout.startswith("<!DOCTYPE html>")
    # to a file: the JSON as --json prints it, the table as a clerk reads it (no colour, no trailing spaces)
    wz("show", "1", "--json", "--output", str(tmp_path / "1.json"))
    assert (tmp_path / "1.json").read_text(encoding="utf-8") == wz("show", "1", "--json").stdout
    wz("show", "1", "--output", str(tmp_path / "1.txt"))
    table = (tmp_path / "1.txt").read_text(encoding="utf-8")
    assert (
        "办理经过" in table and "\x1b" not in table and not [x for x in table.splitlines() if x != x.rstrip()]
    )


def test_the_case_page_escapes_every_text(wz: Wz, tmp_path: Path) -> None:
    """Text made to break out of an element, an attribute or the stylesheet, with a bidirectional override, in
    every field a clerk types that the case page shows: escaped, the override dropped."""
    wz("init", "--office", "YL")
    fields = ["诉求", "地址", "居民", "进展", "理由"]
    wz("intake", evil("诉求"), "--address", evil("地址"), "--resident", evil("居民"), "--at", "2026-11-18")
    wz("note", "1", evil("进展"))
    wz("supervise", "1", "--reason", evil("理由"))
    target = tmp_path / "1.html"
    wz("show", "1", "--output", str(target), "--show-pii")
    assert_escaped(target.read_text(encoding="utf-8"), fields)
