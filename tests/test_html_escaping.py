"""Text from the data reaches the HTML pages as text, on every page kind: a string made to break out of an
element, an attribute, the stylesheet or a CDATA section, with a bidirectional override, put into every text
field that reaches a page, shows escaped and without the override; nothing of it is markup. And writing a
page is the only thing that loads the template engine."""

from __future__ import annotations

import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from tests.support import html_fixtures as fx
from tests.support.cli import Wz
from wenzheng_cli.core.analysis import Hotspot, HotspotsResult
from wenzheng_cli.render.hotspots_page import page as hotspots_page
from wenzheng_cli.render.html import monthly_page, trend_page, weekly_page

EVIL = '<script>alert(1)</script>"onload=x&y</style>]]>\u202e'
# What a reader sees: the same characters, escaped, the override dropped (it would turn the text around).
SHOWN = "&lt;script&gt;alert(1)&lt;/script&gt;&quot;onload=x&amp;y&lt;/style&gt;]]&gt;"
ENTITY = re.compile(r"&(?!(?:amp|lt|gt|quot|#x27);)")  # an "&" that starts none of the escapes


def evil(field: str) -> str:
    """A hostile value whose field is told by its first characters."""
    return field + EVIL


class Parsed(HTMLParser):
    """The elements and attributes of a page, as a browser's parser finds them."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attributes: set[str] = set()
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attributes.update(name for name, _ in attrs)


def assert_escaped(page: str, fields: list[str]) -> None:
    """No piece of ``EVIL`` is markup on ``page``, and each field's value is there, escaped."""
    assert "<script" not in page.lower() and page.count("</style>") == 1  # the page's own stylesheet only
    assert '"onload=' not in page and "]]>" not in page and "\u202e" not in page
    assert not ENTITY.search(page), page[ENTITY.search(page).start() - 80 :][:160]  # type: ignore[union-attr]
    parsed = Parsed(page)
    assert "script" not in parsed.tags and not [a for a in parsed.attributes if a.startswith("on")]
    missing = [field for field in fields if evil(field).replace(EVIL, SHOWN) not in page]
    assert not missing, missing


WEEKLY_FIELDS = ["编号", "社区", "网格", "居民", "类别", "诉求", "承办人", "承办单位", "状态", "结果", "进展"]


def test_weekly_page() -> None:
    data = fx.weekly(3)
    hostile = {
        "number": evil("编号"),
        "community": evil("社区"),
        "grid": evil("网格"),
        "resident": evil("居民"),
        "category": evil("类别"),
        "description": evil("诉求"),
        "handler": evil("承办人"),
        "unit": evil("承办单位"),
        "status": evil("状态"),  # a status the page does not know is shown as it is
        "outcome": "solved",
        "result": evil("结果"),
        "progress": evil("进展"),
        "progress_at": "2026-11-20T10:00:00+08:00",
    }
    for key in ("new", "resolved", "report_back"):
        data[key] = [{**case, **hostile} for case in data[key]]
    assert_escaped(weekly_page(data, office=evil("办公室")), [*WEEKLY_FIELDS, "办公室"])


def _monthly() -> dict[str, Any]:
    data = fx.monthly()
    data["by"] = evil("分组")  # a grouping the page has no name for is shown as it is
    for i, group in enumerate(data["groups"]):
        group["key"] = evil(f"组{i}")
        group["rates"][evil("比率")] = 0.5
    data["rates"][evil("比率")] = 0.5
    data["top_categories"][0]["category"] = evil("类别")
    data["activity"]["by_kind"] = {evil("活动"): 2}
    return data


def _trend() -> dict[str, Any]:
    data = fx.trend()
    data["by"] = evil("分组")
    for i, group in enumerate(data["groups"]):
        group["key"] = evil(f"组{i}")
    return data


def test_monthly_page_with_its_trend() -> None:
    groups = [f"组{i}" for i in range(5)]  # the last one has no rank: named in a note
    page = monthly_page(_monthly(), office=evil("办公室"), trend=_trend())
    assert_escaped(page, [*groups, "分组", "比率", "类别", "活动", "办公室"])


def test_trend_page() -> None:
    assert_escaped(trend_page(_trend(), office=evil("办公室")), ["组0", "组1", "组2", "分组", "办公室"])


def test_hotspots_page() -> None:
    spots = [
        Hotspot(
            rank=rank,
            heat=3.5,
            place=evil(f"地点{rank}"),
            summary=evil(f"概要{rank}"),
            cases=2,
            people=2,
            start="2026-11-01",
            end="2026-11-03",
            numbers=[evil("编号")],
            members=[(evil("编号"), "2026-11-01", evil(f"诉求{rank}"))],
        )
        for rank in (1, 2)
    ]
    result = HotspotsResult("2026-08-26", "2026-11-23", evil("窗口"), 4, spots)
    fields = ["地点1", "地点2", "概要1", "概要2", "编号", "诉求1", "诉求2", "窗口"]
    assert_escaped(hotspots_page(result), fields)


def test_the_commands_write_escaped_pages(wz: Wz, tmp_path: Path) -> None:
    """The same through the commands: the office, the taxonomy, a case's every text, handled and resolved."""
    wz("init", "--name", evil("办公室"))
    wz("config", "add", "communities", evil("社区"))
    wz("config", "add", "categories", evil("类别"))
    text = "阳光花园3号楼楼道堆放杂物无人清理"
    for n, who in enumerate(("甲", "乙", "丙"), start=1):
        wz(
            "intake",
            text + evil("诉求"),
            "--community",
            evil("社区"),
            "--grid",
            evil("网格"),
            "--category",
            evil("类别"),
            "--resident",
            evil(who),
            "--phone",
            f"1380000000{n}",
            "--at",
            "2026-11-17 09:00",
        )
    wz("assign", "1", "--to", evil("承办人"), "--unit", evil("承办单位"), "--at", "2026-11-17 10:00")
    wz("--operator", evil("承办人"), "claim", "1", "--at", "2026-11-17 11:00")
    wz("--operator", evil("承办人"), "resolve", "1", "--result", evil("结果"), "--at", "2026-11-18 10:00")
    weekly = wz("report", "weekly", "--format", "html", "--show-pii").stdout
    fields = ["办公室", "社区", "网格", "类别", "诉求", "甲", "承办人", "承办单位", "结果"]
    assert_escaped(weekly, fields)
    monthly = wz("report", "monthly", "--month", "2026-11", "--format", "html").stdout
    assert_escaped(monthly, ["办公室", "社区", "类别"])
    trend = wz("report", "trend", "--until", "2026-11", "--by", "community", "--format", "html").stdout
    assert_escaped(trend, ["办公室", "社区"])
    hotspots = wz("hotspots", "--since", "2026-11-01", "--format", "html").stdout
    assert text in hotspots
    assert_escaped(hotspots, [])


def test_only_writing_html_loads_the_template_engine(wz: Wz) -> None:
    """A clerk's ``intake`` and a 台账 on the screen never load Jinja2; ``--format html`` does."""
    probe = (
        "import sys\n"
        "from wenzheng_cli.entry import main\n"
        "sys.argv = ['wenzheng', *sys.argv[1:]]\n"
        "try:\n"
        "    main()\n"
        "finally:\n"
        "    print(sorted(m for m in sys.modules if m.split('.')[0] in ('jinja2', 'markupsafe')), file=sys.stderr)\n"
    )

    def loaded(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-c", probe, *args], capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, done.stderr
        return done.stderr.strip().splitlines()[-1]

    assert loaded("init", "--name", "杨柳社区") == "[]"
    assert loaded("intake", "3号楼路灯不亮", "--at", "2026-11-17 09:00") == "[]"
    assert loaded("report", "weekly") == "[]"
    assert "'jinja2'" in loaded("report", "weekly", "--format", "html")
