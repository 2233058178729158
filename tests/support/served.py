"""What the tests of the leaders' pages share: a small office with hostile case text, and what makes a page
inert."""

from __future__ import annotations

import re

from tests.support.cli import Wz
from tests.test_html_escaping import Parsed

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(2)>'
MARKUP = "[link=https://evil.example]点这里[/link]"
HOSTILE = f"{SCRIPT}3号楼路灯不亮{IMG}{MARKUP}"


def build_office(wz: Wz) -> dict[str, str]:
    """A small office in the week of 2026-11-17: an overdue case with hostile text, a case closed, one resolved
    on site; a viewer's and a clerk's token."""
    wz("init", "--office", "YL", "--name", "杨柳社区")
    wz(
        "intake",
        HOSTILE,
        "--community",
        "杨柳",
        "--resident",
        "李四",
        "--phone",
        "13812345678",
        "--at",
        "2026-11-18",
    )
    wz("intake", "小区门口垃圾没人清运", "--community", "杨柳", "--at", "2026-11-05")
    wz("intake", "广场舞噪音扰民", "--at", "2026-11-19", "--on-site", "已劝导")
    wz("assign", "1", "2", "--to", "张三", "--within", "2d", "--at", "2026-11-18")
    wz("note", "1", f"已联系物业{SCRIPT}", "--at", "2026-11-19")
    wz("resolve", "2", "--result", "已安排环卫清运，垃圾当天清空", "--at", "2026-11-19", "--operator", "张三")
    wz("revisit", "2", "--rating", "满意", "--at", "2026-11-20")
    viewer = wz.json("clerk", "add", "赵书记", "--role", "viewer")["token"]
    clerk = wz.json("clerk", "add", "王芳", "--role", "clerk")["token"]
    return {"viewer": viewer, "clerk": clerk}


def assert_inert(page: str) -> None:
    """No piece of the hostile text is markup: no script element, no event attribute, no image, no link."""
    parsed = Parsed(page)
    assert "script" not in parsed.tags and "img" not in parsed.tags
    assert not [a for a in parsed.attributes if a.startswith("on")]
    assert "<script" not in page.lower() and "<img" not in page.lower()
    assert "evil.example" not in [v for v in re.findall(r'href="([^"]*)"', page)]
