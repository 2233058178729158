"""Whether a reply at 办结 answers what was asked (pure): the rules behind a case's ``reply_flags``.

A clerk closing a case with "已处理", or a unit answering a complaint with "已收悉，已转相关部门", is what 不满意
不销账 exists to stop: the case counts as 办结 but the resident got no answer. Each reply is judged by four rules,
read on the reply's substance — its clauses less greetings, thanks, dates, "received", forwarding notices and
sign-off unit names, as ``domain.replies`` reads them (the same words mean the same thing for an import):
- ``too_short``: the substance has fewer than ``SHORT_MIN`` characters (``已处理``, ``好的``);
- ``ack_only``: the reply only acknowledges or forwards (``domain.replies.read_reply``: 已收悉, 已转某局 …), or
  only refers the resident elsewhere (``请咨询市人社局``, ``建议您向当地民政部门反映``);
- ``off_topic``: the reply says something, but shares no specific word pair (two characters running, as in 路灯,
  物业, 停车) with the description: nothing in it links to what was asked;
- ``no_outcome``: no word of a result or a finding (已解决, 已修复, 已清理, 经核实, 根据…规定, 不符合, 目前,
  预计 …), so the resident cannot tell what happened.

The flags warn, never refuse: a reply may be right and short (a clerk can always add to it). A reply that says
nothing (empty, ``无``) is ``too_short`` and ``no_outcome``; one of only punctuation or a date is ``too_short``
and ``ack_only``, as an import reads it; no reply at all (a file that says 办结 and carries none) is not judged.
The thresholds were read on 2,816 real replies of a provincial message board (``benchmarks/reply_flags.py``
prints the shares and samples); there are no human labels to train or test a learned model against, so the rules
are the judge.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from wenzheng_cli.domain.replies import ReplyKind, read_reply, substance

# The flags, in the order a case lists them (DESIGN.md's order).
TOO_SHORT, ACK_ONLY, OFF_TOPIC, NO_OUTCOME = "too_short", "ack_only", "off_topic", "no_outcome"
FLAGS = (TOO_SHORT, ACK_ONLY, OFF_TOPIC, NO_OUTCOME)
# What each flag says to a clerk (the resolve warning, the weekly 答复待完善 section, ``show``).
FLAG_LABELS = {
    TOO_SHORT: "答复过短",
    ACK_ONLY: "只是收悉、转办或请咨询他处",
    OFF_TOPIC: "与诉求内容没有关联",
    NO_OUTCOME: "没有写明办理结果",
}

SHORT_MIN = 20  # characters of substance below which a reply is too short
REFERRAL_MAX = 40  # a referral (请咨询…) with less substance than this is all the reply says
TOPIC_MIN = 4  # specific word pairs a description needs before a reply can be off its topic
JUDGED_MAX = 1000  # characters of a reply (and of a request) read: a longer one says what it says within them
SUBSTANCE_MAX = 600  # … of which read clause by clause for its substance and its result

# Words of a result or a finding (已解决, 经核实, 根据…规定, 不符合, 目前, 预计 …), searched as plain text: a 办结
# typed at the counter is judged in the command itself, and one pattern of them all is slow to compile.
_CHECKED = (
    "核实",
    "调查",
    "查",
    "了解",
    "核查",
    "研究",
    "现场",
    "实地",
    "走访",
    "排查",
    "检查",
    "协调",
    "审核",
    "复核",
)
_FOUND = tuple(
    f"经{how}{verb}"
    for how in ("", "过")
    for verb in (*_CHECKED, "调解", "查询", "询问", "联系", "勘察", "勘查")
)
_PROMISED = tuple(
    f"将{how}{verb}"
    for how in ("", "会")
    for verb in ("继续", "加强", "进一步", "尽快", "立即", "及时", "督促", "安排", "组织")
)
_OUTCOME_WORDS = (
    *_FOUND,
    *_PROMISED,
    *[
        "处理完毕",
        "办理完毕",
        "整改完毕",
        "妥善处理",
        "得到解决",
        "得到处理",
        "得到妥善",
        "根据",
        "按照",
        "依据",
        "依照",
        "规定",
        "政策",
        "条例",
        "办法",
        "文件",
        "不符合",
        "符合",
        "不属于",
        "属于",
        "不予",
        "无法",
        "不能",
        "不再",
        "不会",
        "不得",
        "暂无",
        "暂不",
        "暂未",
        "没有",
        "尚未",
        "目前",
        "现已",
        "现在",
        "预计",
        "计划",
        "将于",
        "已于",
        "可以",
        "可向",
        "可到",
        "可凭",
        "可在",
        "需要",
        "需",
        "须",
        "应当",
        "应",
        "年底",
        "月底",
        "完工",
        "通车",
        "开工",
        "施工",
        "建设",
        "正在",
        "下一步",
        "下阶段",
        "今后",
        "整治",
        "罚款",
        "处以",
        "暂扣",
        "通知",
        "要求",
        "下达",
        "组织",
        "召开",
        "明确",
        "承诺",
        "据查",
        "据了解",
        "据核实",
        "不存在",
        "未发现",
        "进行了",
    ],
)
# … and 已 before a verb (已修复, 已于, 已经退费), but not what only acknowledges (已收悉, 已阅, 已转, 已交, 已登记).
_DONE = re.compile(r"已(?:经)?(?!收|阅|转|交|受理|登记|知悉|获悉)[\u4e00-\u9fff]|于\d")
# A finding beside a referral makes it an answer (经核实…，请向…咨询): the words of a result, less the ones a
# referral itself uses (可以, 可向, 需要 …).
_FINDING_WORDS = (
    *(
        f"已{how}{verb}"
        for how in ("", "经")
        for verb in [
            "解决",
            "处理",
            "办结",
            "修复",
            "完成",
            "清理",
            "整改",
            "拆除",
            "更换",
            "恢复",
            "落实",
            "查处",
            "处罚",
            "立案",
            "纳入",
            "列入",
        ]
    ),
    *(f"经{how}{verb}" for how in ("", "过") for verb in _CHECKED),
    *["不符合", "不属于", "不予", "暂无", "没有", "尚未", "目前", "预计"],
)


@cache
def _referral() -> re.Pattern[str]:
    """Referring the resident elsewhere (请…咨询, 建议您向…反映) or to an earlier reply (已答复): read only in a
    short reply."""
    return re.compile(
        r"(?:请|建议|可以?)(?:您|你)?[^。！!；;]{0,30}?(?:咨询|询问|联系|致电|拨打|反映|反馈|投诉|申请|查询|访问|登录)"
        r"|(?:已|已经)(?:作出|进行过|进行了|作了)?(?:回复|答复)"
    )


@cache
def _han_runs() -> re.Pattern[str]:
    """Runs of two Chinese characters or more (read only in a reply long enough to be off its topic)."""
    return re.compile(r"[\u4e00-\u9fff]{2,}")


def has_outcome(text: str) -> bool:
    """``text`` has a word of a result or a finding."""
    return _DONE.search(text) is not None or any(word in text for word in _OUTCOME_WORDS)


# Word pairs every request or reply may hold, which link nothing: who, how, and the words of the genre.
_GENERIC_PAIRS = frozenset(
    [
        "问题",
        "反映",
        "情况",
        "相关",
        "部门",
        "单位",
        "我们",
        "你们",
        "您好",
        "你好",
        "网友",
        "领导",
        "政府",
        "工作",
        "希望",
        "要求",
        "请求",
        "咨询",
        "处理",
        "解决",
        "办理",
        "回复",
        "答复",
        "感谢",
        "谢谢",
        "关注",
        "支持",
        "理解",
        "监督",
        "留言",
        "来信",
        "投诉",
        "举报",
        "建议",
        "进行",
        "没有",
        "可以",
        "已经",
        "现在",
        "目前",
        "一个",
        "这个",
        "什么",
        "怎么",
        "如何",
        "为什么",
        "是否",
        "能否",
        "有关",
        "有限",
        "公司",
        "市民",
        "居民",
        "群众",
        "业主",
        "我们",
        "我们",
        "多次",
        "一直",
        "至今",
        "今年",
        "去年",
        "时间",
        "时候",
        "日期",
        "以上",
        "以下",
        "根据",
        "按照",
        "规定",
        "政策",
        "核实",
        "调查",
        "了解",
        "具体",
        "联系",
        "电话",
        "已经",
        "及时",
        "尽快",
        "立即",
        "严重",
        "影响",
        "导致",
        "造成",
        "存在",
        "发现",
        "年月",
        "月日",
        "市区",
        "区县",
        "县市",
    ]
)


def judge(reply: str | None, description: str | None = None, title: str | None = None) -> tuple[str, ...]:
    """The flags of ``reply`` as an answer to the request (its ``description``, and its ``title`` when a file
    gave one), in ``FLAGS`` order; empty when the reply is sound, or when there is none to judge (a file that
    says a case was concluded without its reply: unknown, not weak)."""
    if reply is None:
        return ()
    asked = f"{title}\n{description or ''}" if title else description or ""
    return _judge((reply or "")[:JUDGED_MAX], asked[:JUDGED_MAX])


@lru_cache(maxsize=4096)  # a batch resolves many cases with one result; platforms reuse a few replies
def _judge(reply: str, description: str) -> tuple[str, ...]:
    reading = read_reply(reply)
    if reading.kind is ReplyKind.NONE:
        return (TOO_SHORT, NO_OUTCOME)
    said = substance(reply[:SUBSTANCE_MAX])
    body = "".join(said)
    size = len(body)
    found: set[str] = set()
    if size < SHORT_MIN:
        found.add(TOO_SHORT)
    acknowledged = reading.noted or (size < REFERRAL_MAX and _refers_only(said))
    if acknowledged:
        found.add(ACK_ONLY)
    else:
        if size >= SHORT_MIN and off_topic(reply, description):
            found.add(OFF_TOPIC)
        if not has_outcome(body):
            found.add(NO_OUTCOME)
    return tuple(flag for flag in FLAGS if flag in found)


def _refers_only(said: list[str]) -> bool:
    """Every clause with substance refers the resident elsewhere or to an earlier reply (and nothing else)."""
    return (
        bool(said)
        and any(_referral().search(clause) for clause in said)
        and not any(word in clause for clause in said for word in _FINDING_WORDS)
    )


def pairs(text: str) -> set[str]:
    """The specific word pairs of ``text``: every two Chinese characters running, less the generic ones."""
    return {run[i : i + 2] for run in _han_runs().findall(text) for i in range(len(run) - 1)} - _GENERIC_PAIRS


def off_topic(reply: str, description: str) -> bool:
    """The reply shares no specific word pair with a description that has enough of them to tell."""
    asked = pairs(description)
    if len(asked) < TOPIC_MIN:
        return False
    return not any(run[i : i + 2] in asked for run in _han_runs().findall(reply) for i in range(len(run) - 1))


def describe(flags: tuple[str, ...] | list[str]) -> str:
    """The flags in words, for a clerk (``答复过短，没有写明办理结果``)."""
    return "，".join(FLAG_LABELS[flag] for flag in flags if flag in FLAG_LABELS)
