"""What an official reply in an export says: nothing, only "received", or an answer (pure).

Platforms fill the reply column with whatever their clerks typed. Three kinds matter to the ledger:
- no reply at all: an empty-like cell (``无``, ``-``, ``暂无`` …) is no reply;
- an acknowledgement only: ``已收悉``, ``您的留言已收悉``, a bare date (``2016年6月12日``), a greeting with a date,
  "forwarded to the unit" with nothing else. Nothing was solved yet, so such a reply does **not** resolve the
  case: the import records it as a 进展 (note) at the reply's time and leaves the case open, so 办结率 counts
  only real answers;
- an answer: anything else. It resolves the case at the reply's time with outcome ``solved``.

And the 办理状态 column: which words say the case was concluded (办结).
"""

from __future__ import annotations

import re
from functools import lru_cache

from wenzheng_cli.domain.fields import NO_VALUE

# Greetings, addresses to the writer, thanks, sign-offs and promises to report back: stripped before deciding
# what is left.
_BOILERPLATE = re.compile(
    r"(?:尊敬的|亲爱的)?(?:网友|网民|市民|群众|先生|女士|同志|朋友|您|你)(?:们)?(?:好)?[:：,，!！。]*"
    r"|(?:“|\"|「)?UU\d+(?:”|\"|」)?"
    r"|感谢(?:您|你)?(?:的|对我们工作的)?(?:来信|留言|来帖|问政|反映|关心|监督|支持|理解)+[、与和及]*(?:关心|监督|支持|理解)*"
    r"|谢谢(?:您|你)?(?:的)?(?:来信|留言|反映|支持|理解|关注)?"
    r"|(?:此复|特此回复|特此答复)"
    r"|关于(?:您|你)(?:所)?反映的(?:问题|情况)"
    r"|(?:敬请|请)(?:留意|关注)[^。！!；;，,]{0,12}(?:回复|答复)"
    r"|请勿重复发帖"
    r"|(?:处理|有关|相关)?(?:情况|结果|进度)(?:会|将)(?:及时)?(?:向您|给您)?(?:反馈|回复|告知)(?:给您)?"
    r"|如有(?:情况|回复|进展)(?:将|会)?(?:及时|第一时间)?(?:回复|反馈|告知)"
)
# Dates as replies sign off: 2019年7月9日, 2018/4/24, 2019-01-14 (with an optional time).
_DATE = re.compile(
    r"\d{2,4}\s*[年/.\-]\s*\d{1,2}\s*[月/.\-]\s*\d{1,2}\s*日?(?:\s*\d{1,2}[:：]\d{2}(?:[:：]\d{2})?)?"
)
# What an acknowledgement says once the boilerplate is gone: received, passed on to a unit, being handled.
_ACK = re.compile(
    r"[^。！!；;]{0,24}?(?:收悉|收到|获悉|已阅|已受理|已登记)"
    r"|[^。！!；;]{0,24}?(?:转交|移交|交由|转给|转至|转到|交办|转办|已转|转相关|转有关)[^。！!；;]{0,30}"
    r"|[^。！!；;]{0,12}?(?:正在|将)(?:调查|核实|处理|办理|交办|协调)[^。！!；;]{0,10}"
)
_PUNCTUATION = re.compile(r"[\s\u3000,，.。!！?？;；:：、…\-—~·“”\"'‘’「」()（）]+")
ACK_MAX = 80  # longer replies say more than "received"
REPLY_FEEDBACK = "留言板答复"  # how the resident heard of an imported answer (the feedback method)


def is_no_reply(text: str | None) -> bool:
    """An empty or empty-like reply cell: no reply at all."""
    if text is None:
        return True
    value = text.strip()
    return not value or value.lower() in NO_VALUE


@lru_cache(maxsize=4096)  # platforms answer many messages with the same few words
def is_acknowledgement(text: str) -> bool:
    """The reply only says it was received, passed on, or when: not an answer that resolves the case."""
    value = text.strip()
    if not value or len(value) > ACK_MAX:
        return False
    rest = _DATE.sub(" ", value)
    rest = _BOILERPLATE.sub(" ", rest)
    return all(_ACK.fullmatch(part) for part in _PUNCTUATION.split(rest) if part)


# 办理状态 values that say the case was concluded; anything else (办理中, 待处理 …) says it was not (yet).
DONE_STATES = frozenset(
    {
        "已办结",
        "办结",
        "已完成",
        "完成",
        "已处理",
        "处理完毕",
        "办理完毕",
        "已解决",
        "已答复",
        "已回复",
        "已结案",
        "结案",
        "已归档",
        "done",
        "closed",
        "resolved",
        "finished",
        "completed",
    }
)


def is_done_state(text: str | None) -> bool:
    return text is not None and text.strip().lower() in DONE_STATES
