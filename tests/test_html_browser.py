"""The HTML reports in a real browser: headless Chromium loads each page offline and reports, from inside the
page, every chart mark it laid out: its size, its colour, and whether it is what the reader sees at its place (not hidden by anything else).

One browser start per page. ``.ci/run`` installs Chromium (and CJK fonts) when missing; the tests skip only
where no browser can be found.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from html import unescape
from pathlib import Path
from typing import Any

import pytest

from tests.support import html_fixtures as fx
from tests.support.cli import Wz
from tests.test_hotspots_planted import _import as _import_board
from tests.test_report_formats import hostile_week
from tests.test_report_monthly import build_october
from wenzheng_cli.render.html import trend_page

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")

# Added to a copy of the page (the page itself has no script): runs when the document has been parsed,
# which makes the browser lay out everything it has to measure.
PROBE = """<script>
(() => {
  const charts = {};
  for (const chart of document.querySelectorAll("svg.chart")) {
    const marks = [];
    for (const el of chart.querySelectorAll(".bar, .point")) {
      el.scrollIntoView({block: "center"});
      const r = el.getBoundingClientRect();
      const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      marks.push({kind: el.getAttribute("class"), label: el.dataset.label, value: Number(el.dataset.value),
                  width: r.width, height: r.height, fill: getComputedStyle(el).fill,
                  seen: hit === el ? "self" : hit ? hit.getAttribute("class") || hit.tagName : null});
    }
    const texts = [...chart.querySelectorAll("text")].map((t) => t.getComputedTextLength());
    const box = chart.getBoundingClientRect();
    charts[chart.dataset.chart] = {marks, texts, width: box.width, height: box.height};
  }
  // Cells that must stay on one line (a case number, a date): how many lines each was laid out on.
  const cells = [...document.querySelectorAll("td.c")].map((td) => {
    const range = document.createRange();
    range.selectNodeContents(td);
    return {text: td.textContent, lines: range.getClientRects().length};
  });
  const out = document.createElement("pre");
  out.id = "probe";
  out.textContent = JSON.stringify({charts, cells, title: document.title,
                                    overflow: document.documentElement.scrollWidth});
  document.body.appendChild(out);
})();
</script>"""


def browser() -> str:
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("no Chromium or Chrome on this machine (.ci/run installs the chromium package)")


def probe(page: str, tmp_path: Path) -> dict[str, Any]:
    """Load ``page`` in headless Chromium, offline, and return what the probe measured."""
    assert page.count("</body>") == 1
    path = tmp_path / "probed.html"
    path.write_text(page.replace("</body>", PROBE + "</body>"), "utf-8")
    done = subprocess.run(
        [
            browser(),
            "--headless",
            "--no-sandbox",  # CI runs as root
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--no-default-browser-check",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--window-size=1123,900",
            "--proxy-server=127.0.0.1:9",  # nothing may be fetched: any request would fail
            "--dump-dom",
            path.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    start = done.stdout.index('<pre id="probe">') + len('<pre id="probe">')
    end = done.stdout.index("</pre>", start)
    found: dict[str, Any] = json.loads(unescape(done.stdout[start:end]))
    return found


def drawn(chart: dict[str, Any]) -> list[tuple[str, str, float]]:
    """The chart's marks, after checking that each was laid out with a size and a colour and is on top."""
    assert chart["width"] > 300 and chart["height"] > 40
    for mark in chart["marks"]:
        assert mark["width"] >= 1 and mark["height"] >= 1, mark
        assert mark["fill"] not in ("none", "rgba(0, 0, 0, 0)"), mark
        # Nothing covers a mark, but a line's point may sit under another line's point of nearly the same rate.
        assert mark["seen"] == "self" or mark["kind"] == mark["seen"] == "point", mark
    assert chart["texts"] and all(width > 0 for width in chart["texts"])
    return [(m["kind"], m["label"], m["value"]) for m in chart["marks"]]


def test_weekly_page_in_a_browser(wz: Wz, tmp_path: Path) -> None:
    hostile_week(wz)
    page = wz("report", "weekly", "--format", "html").stdout
    found = probe(page, tmp_path)
    assert found["title"] == "杨柳社区 周台账 2026-11-17 至 2026-11-23"
    sections = found["charts"]["sections"]
    assert drawn(sections) == [
        ("bar", "本周新增", 2),
        ("bar", "本周办结", 0),
        ("bar", "本周销账", 0),
        ("bar", "结转未销账", 0),
        ("bar", "逾期", 1),
        ("bar", "下周二通报", 2),
        ("bar", "答复待完善", 0),
    ]
    assert sections["marks"][4]["fill"] == "rgb(178, 34, 34)"  # 逾期 in red
    assert sections["marks"][0]["height"] > 1.9 * sections["marks"][4]["height"]  # 2 cases against 1


def test_monthly_page_in_a_browser(wz: Wz, tmp_path: Path) -> None:
    build_october(wz)
    data = wz.json("report", "monthly", "--month", "2026-10")
    page = wz("report", "monthly", "--month", "2026-10", "--format", "html").stdout
    found = probe(page, tmp_path)
    assert found["title"] == "杨柳街道 2026年10月问政通报"
    ranked = [g for g in data["groups"] if g["rank"] is not None]
    assert len(ranked) == 2
    ranking = found["charts"]["ranking"]
    assert drawn(ranking) == [("bar", f"{g['rank']}. {g['key']}", g["score"]) for g in ranked]
    widths = [m["width"] for m in ranking["marks"]]
    assert widths[0] / widths[1] == pytest.approx(ranked[0]["score"] / ranked[1]["score"], rel=0.02)
    categories = drawn(found["charts"]["categories"])
    assert [(label, value) for _, label, value in categories] == [
        (c["category"] or "（未填）", c["received"]) for c in data["top_categories"]
    ]
    assert found["overflow"] <= 1123  # nothing pushes the page sideways


def test_trend_page_in_a_browser(tmp_path: Path) -> None:
    found = probe(trend_page(fx.trend(), office="杨柳社区"), tmp_path)
    marks = drawn(found["charts"]["trend"])
    bars = [m for m in marks if m[0] == "bar"]
    points = [m for m in marks if m[0] == "point"]
    assert len(bars) == 2 * len(fx.TREND)
    assert len(points) == sum((c is not None) + (s is not None) for *_, c, s in fx.TREND)
    assert ("point", "2026-11 办结率", 0.6667) in points
    height = {m["label"]: m["height"] for m in found["charts"]["trend"]["marks"]}
    assert height["2025-12 受理量"] == pytest.approx(10 * height["2026-11 受理量"], rel=0.05)  # 30 against 3


def test_trend_command_page_in_a_browser(wz: Wz, tmp_path: Path) -> None:
    """``report trend --format html`` as a user runs it: the months' bars and rate points are drawn, at the
    heights the JSON of the same command gives."""
    build_october(wz)
    args = ("report", "trend", "--months", "3", "--until", "2026-11", "--by", "community")
    data = wz.json(*args)
    target = tmp_path / "趋势.html"
    wz(*args, "--output", str(target))
    found = probe(target.read_text(encoding="utf-8"), tmp_path)
    assert found["title"] == "杨柳街道 问政趋势 2026-09 至 2026-11"
    marks = drawn(found["charts"]["trend"])
    bars = {label: value for kind, label, value in marks if kind == "bar"}
    assert bars == {
        **{f"{m['month']} 受理量": m["totals"]["received"] for m in data["months"]},
        **{f"{m['month']} 办结": m["totals"]["resolved"] for m in data["months"]},
    }
    points = {label: value for kind, label, value in marks if kind == "point"}
    october = data["months"][1]
    assert points["2026-10 办结率"] == pytest.approx(october["rates"]["completion_rate"], abs=1e-4)
    assert found["overflow"] <= 1123


def test_hotspots_page_keeps_case_numbers_and_dates_whole(wz: Wz, tmp_path: Path) -> None:
    # Long messages at one place: the 明细表's text column takes the width, and a case number or a date could
    # be broken over two lines (YL-2026- / 0001) where nothing keeps it whole.
    long = "，".join(["楼道里堆满了纸箱和旧家具，消防通道被堵死，多次向物业反映都没有处理"] * 4)
    rows = [(f"梅溪湖小区3号楼{long}{i}", f"2026-04-{1 + i:02d}", f"1380000000{i}") for i in range(3)]
    _import_board(wz, tmp_path / "board.csv", rows)
    page = wz("hotspots", "--since", "2026-01-01", "--until", "2026-11-30", "--format", "html").stdout
    found = probe(page, tmp_path)
    cells = found["cells"]
    assert {cell["text"] for cell in cells} >= {"YL-2026-0001", "YL-2026-0002", "YL-2026-0003", "2026-04-01"}
    assert all(cell["lines"] == 1 for cell in cells), [c for c in cells if c["lines"] != 1]
    assert found["overflow"] <= 1123
