"""The stylesheets of the HTML pages: fonts an office PC already has, the sober look of a 通报, A4 printing.

No web font and no ``url(…)``: Windows offers Microsoft YaHei and SimSun, Linux Noto Sans CJK or WenQuanYi, a
Mac PingFang. Printing: A4 portrait for the summary and the charts, landscape pages (``page: wide``) for the
wide tables, table headers repeated on every printed page, page numbers at the foot. The pages put them in as
they are (trusted text of the product, no data in them); everything else on a page is escaped.
"""

from __future__ import annotations

SANS = (
    '"Microsoft YaHei", "微软雅黑", "PingFang SC", "Hiragino Sans GB", "Noto Sans CJK SC", "Noto Sans SC", '
    '"Source Han Sans SC", "WenQuanYi Micro Hei", "SimHei", "黑体", sans-serif'
)
SERIF = (
    '"SimSun", "宋体", "Songti SC", "Noto Serif CJK SC", "Noto Serif SC", "Source Han Serif SC", '
    '"AR PL UMing CN", serif'
)
_FOOT = '@bottom-center { content: "第 " counter(page) " 页，共 " counter(pages) " 页"; font-size: 9pt; color: #595959; }'

CSS = f"""
* {{ box-sizing: border-box; }}
html {{ background: #ececec; }}
body {{ margin: 0; color: #262626; font: 14px/1.6 {SANS}; }}
main {{ max-width: 1180px; margin: 16px auto; background: #fff; padding: 28px 40px 40px;
  box-shadow: 0 1px 4px rgba(0, 0, 0, .15); }}
header.doc {{ text-align: center; margin-bottom: 18px; }}
header.doc .office {{ font: bold 30px/1.3 {SERIF}; color: #b22222; letter-spacing: .25em; }}
header.doc .rule {{ border-top: 3px solid #b22222; border-bottom: 1px solid #b22222; height: 6px;
  margin: 8px 0 14px; }}
h1 {{ font: bold 24px/1.4 {SERIF}; margin: 0 0 6px; }}
header.doc .meta {{ color: #595959; font-size: 13px; margin: 0; }}
h2 {{ font: bold 18px/1.4 {SANS}; margin: 26px 0 10px; padding-bottom: 4px; border-bottom: 1px solid #d9d9d9; }}
p {{ margin: 6px 0; }}
.lead {{ text-indent: 2em; }}
.note {{ color: #595959; font-size: 12px; }}
.kpis {{ display: flex; flex-wrap: wrap; gap: 10px; margin: 12px 0; }}
.kpi {{ flex: 1 1 120px; border: 1px solid #d9d9d9; border-top: 3px solid #2f5597; padding: 6px 12px; }}
.kpi span {{ display: block; color: #595959; font-size: 12px; }}
.kpi b {{ font-size: 22px; font-variant-numeric: tabular-nums; }}
.kpi.alert {{ border-top-color: #b22222; }}
figure {{ margin: 10px 0 14px; }}
figcaption {{ font-weight: bold; font-size: 13px; text-align: center; margin-bottom: 4px; }}
svg.chart {{ display: block; max-width: 100%; height: auto; margin: 0 auto; }}
svg.chart text {{ font-family: {SANS}; font-size: 12px; }}
.side {{ display: flex; flex-wrap: wrap; gap: 20px; align-items: flex-start; }}
.side > figure {{ flex: 1 1 360px; }}
.side > .scroll {{ flex: 0 1 auto; }}
.side table.data {{ width: auto; }}
.scroll {{ overflow-x: auto; }}
table.data {{ border-collapse: collapse; width: 100%; font-size: 13px; margin: 6px 0; }}
table.data th, table.data td {{ border: 1px solid #bfbfbf; padding: 3px 6px; vertical-align: top; }}
table.data th {{ background: #dde4ee; font-weight: bold; text-align: center; white-space: nowrap; }}
table.data td.n {{ text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }}
table.data td.c {{ white-space: nowrap; }}
table.data td.w {{ min-width: 6em; }}
table.data td.t {{ min-width: 14em; }}
table.data tfoot td {{ font-weight: bold; background: #f2f2f2; }}
table.data tr.late td {{ background: #fbeaea; }}
table.heat td.n {{ min-width: 3.5em; }}
.empty {{ color: #595959; }}
@page {{ size: A4 portrait; margin: 12mm 12mm 14mm; {_FOOT} }}
@page wide {{ size: A4 landscape; margin: 10mm 10mm 12mm; {_FOOT} }}
@media print {{
  html, body {{ background: #fff; }}
  body {{ font-size: 10pt; }}
  * {{ -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
  main {{ max-width: none; margin: 0; padding: 0 1px; box-shadow: none; }}
  .wide {{ page: wide; }}
  h2 {{ break-after: avoid; margin: 10px 0 6px; }}
  figure {{ margin: 4px 0 6px; }}
  header.doc {{ margin-bottom: 8px; }}
  figure, .kpis, tr {{ break-inside: avoid; }}
  thead {{ display: table-header-group; }}
  tfoot {{ display: table-row-group; }}
  .scroll {{ overflow: visible; }}
  table.data {{ font-size: 8.5pt; line-height: 1.35; }}
  .kpi {{ flex-basis: 80px; padding: 4px 8px; }}
  .kpi b {{ font-size: 16pt; }}
  table.data th, table.data td {{ padding: 2px 4px; }}
}}
"""

# The hotspots page's own, plainer look.
# td.c: a case number or a date, never broken over two lines (YL-2019- / 0601).
HOTSPOTS_CSS = """
body{font-family:"Microsoft YaHei","PingFang SC","Noto Sans CJK SC","WenQuanYi Micro Hei",SimSun,sans-serif;
margin:24px;color:#222}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:24px 0 8px;border-left:4px solid #b22;padding-left:8px}
p.sub{color:#555;margin:2px 0}table{border-collapse:collapse;width:100%;font-size:13px}
th,td{border:1px solid #bbb;padding:4px 6px;vertical-align:top;text-align:left}th{background:#eef2f7}
td.n{text-align:right;white-space:nowrap}td.c{white-space:nowrap}.formula{background:#f7f7f2;border:1px solid #ddd;padding:6px 10px}
svg text{font-size:12px}
@media print{@page{size:A4 portrait;margin:14mm}body{margin:0}h2{break-after:avoid}tr{break-inside:avoid}}
"""

# A case's page (``render.case_page``): its facts as label and text, its timeline's texts whole, line breaks
# kept; a step an undo took back greyed and struck through, as ``show`` dims it.
CASE_CSS = """
table.facts th { width: 8em; text-align: left; vertical-align: top; }
table.facts td, table.steps td.t { white-space: pre-wrap; overflow-wrap: anywhere; }
table.steps tr.undone td { color: #8c8c8c; text-decoration: line-through; }
table.steps th:last-child { width: 58%; }
"""

# The server's own pages (``serve.pages``): the login form and the index of pages.
SERVE_CSS = """
form.login { margin: 24px auto; max-width: 420px; }
form.login label { display: block; font-weight: bold; margin-bottom: 6px; }
form.login input { width: 100%; font: inherit; padding: 6px 8px; border: 1px solid #bfbfbf; }
form.login button, form.logout button { font: inherit; margin-top: 12px; padding: 4px 18px; }
.refused { color: #b22222; font-weight: bold; }
ul.pages { line-height: 2; font-size: 16px; }
ul.pages .note { margin-left: 1em; }
form.logout { display: inline; }
"""
