"""The HTML pages: self-contained, escaped, the figures of the dict in their tables and charts, and the
``--format html`` of ``report weekly`` and ``report monthly``."""

from __future__ import annotations

import stat
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from tests.support import html_fixtures as fx
from tests.support.cli import Wz
from tests.test_report_formats import hostile_week
from tests.test_report_monthly import build_october
from wenzheng_cli.render.html import monthly_page, trend_page, weekly_page

ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;amp;"


class Page(HTMLParser):
    """What a reader sees: per section (its heading), the tables as rows of cell texts, the notes, and each
    chart's marks as (class, label, value)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.sections: dict[str, dict[str, Any]] = {}
        self.charts: dict[str, list[tuple[str, str, float]]] = {}
        self.lines: dict[str, int] = {}
        self._section: dict[str, Any] = {}
        self._chart = ""
        self._text: list[str] | None = None
        self._row: list[str] | None = None
        self._tag = ""
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "svg":
            self._chart = a.get("data-chart") or ""
            self.charts[self._chart] = []
        elif a.get("class") in ("bar", "point"):
            self.charts[self._chart].append(
                (a["class"] or "", a["data-label"] or "", float(a["data-value"] or 0))
            )
        elif tag == "polyline":
            stroke = a.get("stroke") or ""
            self.lines[stroke] = self.lines.get(stroke, 0) + 1
        elif tag == "table":
            self._section["tables"].append([])
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th", "h2", "p"):
            self._text, self._tag = [], tag

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._row is not None and self._text is not None:
            self._row.append("".join(self._text))
        elif tag == "tr" and self._row is not None:
            self._section["tables"][-1].append(self._row)
            self._row = None
        elif tag == "h2" and self._text is not None:
            self._section = self.sections["".join(self._text)] = {"tables": [], "notes": []}
        elif tag == "p" and self._text is not None and self._section:
            self._section["notes"].append("".join(self._text))
        if tag in ("td", "th", "h2", "p"):
            self._text = None

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)


def assert_self_contained(page: str) -> None:
    lowered = page.lower()
    for needle in ("<script", "<link", "src=", "href=", "url(", "@import", "http:", "https:", "<img"):
        assert needle not in lowered, needle
    assert page.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in page
    assert "Microsoft YaHei" in page and "Noto Sans CJK SC" in page and "SimSun" in page
    assert "@page" in page and "A4 landscape" in page


def test_monthly_page_tables_charts_and_escaping() -> None:
    page = monthly_page(fx.monthly(), office="杨柳街道")
    assert_self_contained(page)
    assert fx.HOSTILE not in page and ESCAPED in page
    seen = Page(page)
    assert list(seen.sections) == [
        "一、总体情况",
        "二、各社区排名",
        "三、类别前列",
        "四、问政活动",
        "五、办理情况",
        "六、各项比率",
    ]
    assert seen.charts["ranking"] == [
        ("bar", "1. 社区1", 95.0),
        ("bar", "2. " + fx.HOSTILE, 94.3),
        ("bar", "3. 社区3", 93.6),
        ("bar", "4. 社区4", 92.9),
    ]
    assert seen.sections["二、各社区排名"]["notes"] == ["未排名（未填社区或无可计比率）: （未填）"]
    assert seen.charts["categories"] == [
        ("bar", "堆码物清理", 50.0),
        ("bar", "群众纠纷", 40.0),
        ("bar", fx.HOSTILE, 30.0),
        ("bar", "（未填）", 10.0),
    ]
    assert seen.sections["三、类别前列"]["tables"] == [
        [
            ["类别", "受理量", "占比"],
            ["堆码物清理", "50", "31.2%"],  # 0.3125 shown as the terminal table shows it
            ["群众纠纷", "40", "25.0%"],
            [fx.HOSTILE, "30", "18.8%"],
            ["（未填）", "10", "6.2%"],
        ]
    ]
    counts = seen.sections["五、办理情况"]["tables"][0]
    assert counts[0] == [
        "排名",
        "社区",
        "受理量",
        "撤件",
        "办结",
        "现场办结",
        "承诺办结",
        "问政活动",
        "问政事项",
        "逾期未办结",
        "督办",
        "挂牌督办",
        "提级",
        "退单",
        "加减分",
        "得分",
    ]
    assert counts[1] == ["1", "社区1", "40", "1", "36", "2", "38", "1", "3", "1", "2", "1", "1", "0", "30", "95.00"]  # fmt: skip
    assert counts[5] == ["—", "（未填）", "2", "1", "1", "2", "0", "1", "3", "1", "2", "1", "1", "0", "0", "—"]  # fmt: skip
    assert counts[6] == ["", "合计", "160", "1", "140", "2", "158", "1", "3", "1", "2", "1", "1", "0", "114", "93.20"]  # fmt: skip
    rates = seen.sections["六、各项比率"]["tables"][0]
    assert rates[0][-2:] == ["基层化解率", "答复规范率"] and rates[0][8] == "满意率"
    assert [row[-2] for row in rates[1:]] == ["—"] * 4 + ["90.0%", "—"]  # a rate nobody could count
    assert rates[5][8] == "—" and rates[6][:4] == ["合计", "90.0%", "90.0%", "87.5%"]
    kpis = seen.sections["一、总体情况"]["notes"]
    assert kpis == [
        "受理 160 件（撤件 1），办结 140 件，办结率 87.5%，满意率 95.0%，逾期未办结 1 件；督办 2 件（挂牌 1），提级 1 件。"
    ]
    assert "<title>杨柳街道 2026年10月问政通报</title>" in page
    # Printed: the summary and the charts on A4 portrait, the two wide tables on landscape pages.
    assert "<main>" in page and page.count('<section class="wide">') == 2
    assert monthly_page(fx.monthly(), office="杨柳街道") == page  # the same dict, the same page


def test_monthly_page_with_the_trend_and_without_groups() -> None:
    page = monthly_page(fx.monthly(), trend=fx.trend())
    assert len([m for m in Page(page).charts["trend"] if m[0] == "bar"]) == 24
    empty = {**fx.monthly(), "groups": [], "top_categories": []}
    seen = Page(monthly_page(empty))
    assert seen.charts == {}
    assert seen.sections["二、各社区排名"]["notes"] == ["无可排名的分组"]
    assert seen.sections["三、类别前列"]["notes"] == ["本月无受理"]


def test_trend_page_marks_every_month() -> None:
    page = trend_page(fx.trend(), office="杨柳社区")
    assert_self_contained(page)
    assert fx.HOSTILE not in page and ESCAPED in page
    seen = Page(page)
    marks = seen.charts["trend"]
    bars = [(label, value) for kind, label, value in marks if kind == "bar"]
    points = [(label, value) for kind, label, value in marks if kind == "point"]
    assert bars[:2] == [("2025-12 受理量", 30.0), ("2026-01 受理量", 27.0)]
    assert len(bars) == 24 and ("2026-11 办结", 2.0) in bars
    assert len(points) == 12 + 11  # February has no satisfaction rate
    assert ("2026-02 满意率", 0.9) not in points and ("2026-03 满意率", 0.88) in points
    assert seen.lines == {"#4e7d2f": 1, "#b22222": 2}  # completion one line; satisfaction broken at the gap
    months = seen.sections["一、逐月走势"]["tables"][0]
    assert months[0][:4] == ["月份", "受理量", "办结", "认领率"]
    assert months[3][:3] == ["2026-02", "22", "20"] and months[3][10] == "—"
    assert months[-1] == ["合计", "160", "143"] + [""] * len(fx.RATE_KEYS)  # no rate summed over months
    received = seen.sections["二、各社区逐月受理量"]["tables"][0]
    assert received[0][-2:] == ["2026-11", "合计"]
    assert received[1][0] == "杨柳" and received[1][-1] == str(sum(round(r * 0.5) for _, r, *_ in fx.TREND))
    assert received[2][0] == fx.HOSTILE and received[3][0] == "（未填）"
    assert received[3][6] == "0"  # 2026-05: no case of the blank group
    completion = seen.sections["三、各社区逐月办结率"]["tables"][0]
    assert completion[3][6] == "—" and completion[1][1] == "80.0%"
    assert "<title>杨柳社区 问政趋势 2025-12 至 2026-11</title>" in page
    assert '<main class="wide">' in page  # months side by side: landscape throughout


def test_trend_page_without_months() -> None:
    seen = Page(trend_page({"months": [], "groups": []}))
    assert seen.sections["一、逐月走势"]["notes"] == ["无数据"]


def test_weekly_page_caps_rows_but_keeps_counts() -> None:
    page = weekly_page(fx.weekly(5), office="杨柳社区", limit=2)
    assert_self_contained(page)
    assert fx.HOSTILE not in page and ESCAPED in page
    seen = Page(page)
    assert seen.charts["sections"] == [
        ("bar", "本周新增", 5.0),
        ("bar", "本周办结", 1.0),
        ("bar", "本周销账", 1.0),
        ("bar", "结转未销账", 0.0),
        ("bar", "逾期", 1.0),
        ("bar", "下周二通报", 5.0),
        ("bar", "答复待完善", 0.0),
    ]
    new = seen.sections["二、本周新增（5 件）"]
    assert new["notes"] == ["本部分共 5 件，此处列出前 2 件；完整台账请用 --format xlsx 导出。"]
    rows = new["tables"][0]
    assert rows[0] == [
        "编号",
        "受理日期",
        "社区/网格",
        "居民",
        "类别",
        "诉求",
        "承办",
        "时限",
        "状态",
        "办理结果",
        "评价",
    ]
    assert rows[1] == [
        "YL-2026-0001",
        "2026-11-17",
        "杨柳/一网格",
        "李**",
        "堆码物清理",
        "3号楼楼道堆放杂物 1",
        "王芳（城管科）",
        "2026-11-24",
        "办理中",
        "",
        "",
    ]
    assert rows[2][5] == fx.HOSTILE and rows[2][8] == "办理中·逾期·第2轮"
    assert len(rows) == 3
    assert '<tr class="late">' in page  # the overdue row is marked
    closed = seen.sections["四、本周销账（1 件）"]["tables"][0]
    assert closed[1][8:] == ["已销账", "已解决 已清理", "满意"]
    assert seen.sections["五、结转未销账（0 件）"]["notes"] == ["无"]
    long = fx.weekly(1)
    long["new"][0]["description"] = "楼" * 150
    cell = Page(weekly_page(long)).sections["二、本周新增（1 件）"]["tables"][0][1][5]
    assert cell == "楼" * 99 + "…"  # about 100 characters: the xlsx keeps the whole text
    whole = Page(weekly_page(fx.weekly(5), limit=None))
    assert len(whole.sections["二、本周新增（5 件）"]["tables"][0]) == 6
    assert whole.sections["二、本周新增（5 件）"]["notes"] == []


def test_report_commands_write_html(wz: Wz, tmp_path: Path) -> None:
    hostile_week(wz)
    out = wz("report", "weekly", "--format", "html")
    assert out.stdout.startswith("<!DOCTYPE html>") and "杨柳社区" in out.stdout
    assert "=HYPERLINK(&quot;http://x&quot;,&quot;点击&quot;)" in out.stdout
    assert "@**" in out.stdout and "王五" not in out.stdout  # masked unless --show-pii
    assert "王五" in wz("report", "weekly", "--format", "html", "--show-pii").stdout
    target = tmp_path / "周台账.html"
    result = wz("report", "weekly", "--output", str(target))  # the extension chooses the format
    assert result.stdout == "" and "已写入" in result.stderr
    assert target.read_text("utf-8") == out.stdout
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert wz("report", "weekly", "-f", "htm").stdout == out.stdout


def test_report_monthly_html_matches_its_json(wz: Wz, tmp_path: Path) -> None:
    build_october(wz)
    data = wz.json("report", "monthly", "--month", "2026-10")
    target = tmp_path / "通报.htm"
    wz("report", "monthly", "--month", "2026-10", "--output", str(target))
    page = target.read_text("utf-8")
    assert page == monthly_page(data, office="杨柳街道")
    seen = Page(page)
    assert seen.charts["ranking"] == [("bar", f"{g['rank']}. {g['key']}", g["score"]) for g in data["groups"]]
    assert [m[2] for m in seen.charts["categories"]] == [c["received"] for c in data["top_categories"]]


def test_weekly_page_tells_the_latest_progress_in_the_report_back_section(wz: Wz) -> None:
    """下周二通报 shows what the resident is to be told (the latest note by the week's end), as the table does."""
    build_october(wz)
    page = Page(
        wz("report", "weekly", "--week", "2026-10-22", "--community", "清河", "--format", "html").stdout
    )
    told = page.sections["七、下周二通报（2 件）"]["tables"][0]
    assert told[0][9] == "最新进展"
    assert [row[9] for row in told[1:]] == ["", "10-22 已电话联系执法中队"]
    done = page.sections["三、本周办结（2 件）"]["tables"][0]
    assert done[0][9] == "办理结果" and done[1][9] == "已解决 已立项"
