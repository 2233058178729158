"""The HTML pages' templates (``render/templates/*.html.j2``): Jinja2 with autoescaping, so that escaping is
the default and a value reaches a page raw only as a ``Markup`` fragment this package built itself (a chart,
a part of a page made by another template).

Every value a template prints goes first through ``printable`` (the characters that would make a line read
differently from what it holds, bidirectional overrides among them, are dropped, as on a terminal), then is
escaped. The same holds for the charts, whose builder (``render.svg``) escapes with ``escaped`` below. Only
the modules that write HTML import this one: a clerk's ``intake`` never loads Jinja2.

Layout of the template files: a line break and the spaces around it are the source's layout, not the page's
(the lines are joined before Jinja2 reads them; Chinese text needs no space where a line breaks); a newline
the page has is written ``{{ "\\n" }}``. Filters that return markup (``join`` among them) would bypass
``printable`` (they still escape): the templates join in Python instead, and ``~`` joins plain texts only.
"""

from __future__ import annotations

import functools
import html
from typing import Any

import jinja2
from jinja2.ext import Extension
from markupsafe import Markup

from wenzheng_cli.render.console import printable

__all__ = ["Markup", "escaped", "render"]


class _JoinedLines(Extension):
    """Joins a template's lines, dropping the indentation and the spaces at each line's end."""

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        return "".join(line.strip() for line in source.splitlines())


def _shown(value: Any) -> Any:
    """What a template prints: a Markup fragment as it is, a text without the characters a reader would not
    see for what they are; autoescaping then escapes whatever is not Markup."""
    # isprintable() is the quick way past ordinary text: every character printable() drops is unprintable.
    if isinstance(value, str) and not value.isprintable() and not isinstance(value, Markup):
        return printable(value)
    return value


def escaped(value: str) -> str:
    """``value`` as HTML text, as a template would print it: Markup kept, any other text cleaned and escaped.
    A plain ``str``, for a builder that puts many into one fragment and makes that ``Markup`` once."""
    if isinstance(value, Markup):
        return value
    return html.escape(_shown(value))


@functools.cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("wenzheng_cli.render", "templates"),
        autoescape=True,  # every template here writes HTML: escaping is not left to each site
        undefined=jinja2.StrictUndefined,  # a name a template misspells fails instead of printing nothing
        finalize=_shown,
        extensions=[_JoinedLines],
        auto_reload=False,  # templates ship with the package and do not change while it runs
    )


def render(name: str, **values: Any) -> str:
    """The page the template ``name`` makes of ``values``."""
    page = _environment().get_template(name).render(values)
    # markupsafe spells a quote &#34; and an apostrophe &#39;; the pages have always spelt them &quot; and
    # &#x27; (as html.escape does). Only escaping writes either spelling (an "&" from the data becomes
    # &amp;), so this changes no character a reader sees and keeps a page equal to the one saved before.
    return page.replace("&#34;", "&quot;").replace("&#39;", "&#x27;")
