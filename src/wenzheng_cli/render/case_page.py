"""``wenzheng show CASE --format html``: one case and its whole timeline as one self-contained page, to print
or to file with a letter (and the page ``/cases/NUMBER`` of ``wenzheng serve``).

The same facts and steps ``show`` prints (``render.cases.case_facts``, ``render.timeline.timeline_rows`` with
``render.event_words``), in the look of the other HTML reports (``render.html_style``): stylesheet inline, no
script, no font file, nothing fetched, A4 when printed. The template (``templates/case.html.j2``, through
``render.templating``) escapes every text, so nothing a resident or a file wrote can become markup. Names and
phones arrive masked unless ``--show-pii`` was given; the page says which.
"""

from __future__ import annotations

from wenzheng_cli.render.cases import CaseView, case_facts, imported_extra
from wenzheng_cli.render.event_words import extra_columns
from wenzheng_cli.render.html_style import CASE_CSS, CSS
from wenzheng_cli.render.templating import Markup, render
from wenzheng_cli.render.timeline import printable_text, short_time, timeline_rows

_STYLE = Markup(CSS + CASE_CSS)  # the product's own stylesheets: no text from the data in them
UNDONE = "（已撤销）"  # the mark timeline_rows puts on a step an undo took back


def page(view: CaseView, *, office: str = "", show_pii: bool = False) -> str:
    """The page of the case ``view`` (what ``show --json`` holds), headed with the ``office``'s name."""
    case, events = view.case, view.events
    rows, imported_by = timeline_rows(events)
    steps = [
        (UNDONE in label, short_time(event.at), label, actor, printable_text(text))
        for event, label, actor, text in rows
    ]
    status = case.status.label + (" · 历史导入" if case.history else "")
    meta = [f"{case.number} · {status} · 受理于 {short_time(case.received_at)}"]
    meta.append("居民姓名、电话等个人信息为原文" if show_pii else "居民姓名、电话等个人信息已打码")
    return render(
        "case.html.j2",
        css=_STYLE,
        office=office,
        title=f"案件 {case.number} 办理经过",
        meta=meta,
        wide=False,
        facts=[(label, printable_text(text)) for label, text in case_facts(case, events, view.twins)],
        kept=list(extra_columns(imported_extra(events)).items()),
        steps=steps,
        imported_by=imported_by,
    )
