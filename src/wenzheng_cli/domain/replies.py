"""What an official reply in an export says: nothing, only "received" or "passed on", or an answer (pure).

Platforms fill the reply column with whatever their clerks typed. What matters to the ledger:
- no reply at all: an empty-like cell (``无``, ``-``, ``暂无`` …);
- a reply that only acknowledges (``已收悉``, a bare date, a greeting, "being handled", "we will report back"),
  only forwards (``您反映的问题已转至县交通局核实、办理。``, ``已将有关问题交相关部门调查处理``) or only names a
  unit (``国网西地省J9县供电公司``, a sign-off with no content). Nothing was solved yet, so such a reply does
  **not** resolve the case: the import records it as a 进展 (note) at the reply's time and leaves the case
  open, so 办结率 counts only real answers. When it names the unit the case went to (the object of 转至, 转交,
  交由 …; or the whole reply), that unit is read too: the import assigns the case to it;
- an answer: anything else — a reply longer than ``ACK_MAX``, or one that says anything besides the above. It
  resolves the case at the reply's time with outcome ``solved``.

Every clause of a short reply must be one of the known kinds for the reply to be an acknowledgement: one clause
of advice, a finding or a refusal makes it an answer. Unit names are read whole (a name up to one of the usual
suffixes: 局, 委, 办, 公司, 中心, 街道, 镇政府, 委员会, 所, 站, 队 …; a generic 相关部门 is no unit).

And the 办理状态 column: which words say the case was concluded (办结).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from wenzheng_cli.domain.fields import NO_VALUE

ACK_MAX = 80  # longer replies say more than "received" or "passed on"


class _Lazy:
    """A pattern compiled when first used. The forwarding patterns take as long to compile as the rest of a
    clerk's command: a 办结 typed at the counter reads its reply, and most replies never need them."""

    __slots__ = ("_compiled", "_source")

    def __init__(self, source: str) -> None:
        self._source = source
        self._compiled: re.Pattern[str] | None = None

    @property
    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self._source)
        return self._compiled

    def fullmatch(self, text: str) -> re.Match[str] | None:
        return self.compiled.fullmatch(text)

    def sub(self, repl: str, text: str) -> str:
        return self.compiled.sub(repl, text)


class _Gated(_Lazy):
    """A lazy pattern every match of which holds one of ``needs`` (words, checked by the rules below each
    pattern): a text holding none has no match, and is not matched at all — a 办结 typed at the counter
    (已更换灯泡，路灯恢复照明) then compiles nothing."""

    __slots__ = ("_at_end", "_needs")

    def __init__(self, source: str, needs: tuple[str, ...], *, at_end: bool = False) -> None:
        super().__init__(source)
        self._needs = needs
        self._at_end = at_end  # a whole match ends with one of them

    def _may_match(self, text: str) -> bool:
        if self._at_end:
            return text.endswith(self._needs)
        return any(word in text for word in self._needs)

    def fullmatch(self, text: str) -> re.Match[str] | None:
        return self.compiled.fullmatch(text) if self._may_match(text) else None

    def sub(self, repl: str, text: str) -> str:
        return self.compiled.sub(repl, text) if self._may_match(text) else text


REPLY_FEEDBACK = "留言板答复"  # how the resident heard of an imported answer (the feedback method)


class ReplyKind(StrEnum):
    """What a reply says, by the rule that reads it."""

    NONE = "none"  # no reply at all
    ACKNOWLEDGED = "acknowledged"  # received, being handled, will report back
    FORWARDED_TO_UNIT = "forwarded_to_unit"  # passed on to a unit it names
    FORWARDED = "forwarded"  # passed on to 相关部门 (no unit named)
    UNIT = "unit"  # only a unit's name (and a date, a greeting)
    ANSWER = "answer"  # anything else: resolves the case


NOTED = frozenset({ReplyKind.ACKNOWLEDGED, ReplyKind.FORWARDED_TO_UNIT, ReplyKind.FORWARDED, ReplyKind.UNIT})


@dataclass(frozen=True, slots=True)
class Reading:
    """A reply's kind and, for a forwarding notice or a bare unit name, the unit it names."""

    kind: ReplyKind
    unit: str | None = None

    @property
    def noted(self) -> bool:
        """Recorded as a note (进展) that leaves the case open."""
        return self.kind in NOTED

    @property
    def answers(self) -> bool:
        return self.kind is ReplyKind.ANSWER


# Greetings, addresses to the writer, the writer's user name, thanks, wishes, sign-off formulas and promises to
# report back: removed before the clauses are read.
_THANKED = r"(?:来信|留言|来帖|来邮|问政|反映|关心|关注|监督|支持|理解|信任|建议)"
_TO_WHOM = r"(?:对[^。！!；;，,]{0,20}?的?)"  # 感谢您对K4县工作的支持
_THANKS = r"(?:在此|再次)?(?:感谢|谢谢)(?:您|你|网友)?的?"
_THANKED_ALL = rf"{_THANKED}(?:(?:以及|[、与和及])*{_TO_WHOM}?{_THANKED})*"
_BOILERPLATE = _Gated(
    r"(?:尊敬的|亲爱的)?(?:网友|网民|市民|群众|先生|女士|同志|朋友)(?:们|朋友)?(?:您好|你好|好)?"
    r"(?=[\s\u3000\xa0:：,，!！。“\"「]|UU|A\d|$)[:：,，!！。]*"
    r"|(?:网友|网民)[^\s\u3000:：,，。！!]{1,10}[:：]"
    r"|(?:您|你)(?:们)?好[:：,，!！。]*"
    r"|[“\"「]?(?:UU|A)\d{2,}[”\"」]?|[“\"「][”\"」]"
    rf"|{_THANKS}{_TO_WHOM}{_THANKED_ALL}|{_THANKS}(?:{_THANKED_ALL})?"
    r"|祝(?:您|你)?(?:事事顺心|生活愉快|天天开心|工作顺利|身体健康)|在此"
    r"|欢迎(?:您|你)?(?:和各位网友)?继续(?:进行)?(?:关注|监督)[^。！!；;，,]{0,12}|关注[^。！!；;，,]{1,10}的发展"
    r"|(?:此复|特此回复|特此答复)"
    r"|关于(?:您|你)(?:所)?反映的(?:问题|情况)"
    r"|(?:敬请|请)(?:留意|关注)[^。！!；;，,]{0,12}?(?:回复|答复)"
    r"|请(?:您)?耐心等待|请勿重复发帖"
    r"|(?:调查|办理)?(?:处理|有关|相关)?(?:情况|结果|进度)(?:我办)?(?:会|将)?(?:在)?(?:及时|第一时间)?(?:向您|给您)?"
    r"(?:反馈|回复|告知)(?:给您|与您|于您)?(?:并?发布上网)?"
    r"|如有(?:相关)?(?:情况|回复|进展)[,，]?(?:将|会)?(?:及时|第一时间)?(?:在网上)?(?:回复|反馈|告知)",
    # a word each alternative above cannot match without, in order
    (
        *("网友", "网民", "市民", "群众", "先生", "女士", "同志", "朋友"),
        *("您", "你", "UU", "A", "“", '"', "「", "谢", "祝", "在此", "欢迎", "关注", "此复", "回复", "答复"),
        *("请", "反馈", "告知", "如有"),
    ),
)
# Dates as replies sign off: 2019年7月9日, 2018/4/24, 2019-01-14, 2014.05.11 (with an optional time).
_DATE = re.compile(
    r"\d{2,4}\s*[年/.\-]\s*\d{1,2}\s*[月/.\-]\s*\d{1,2}\s*日?(?:\s*\d{1,2}[:：]\d{2}(?:[:：]\d{2})?)?"
)
# Clauses: a reply is read clause by clause (quotes and 、 stay inside a clause: they are part of names).
_CLAUSES = re.compile(r"[\s\u3000\xa0,，.。!！?？;；:：…~·()（）]+")

# A unit's name: up to 20 characters of its own, then one of the usual suffixes (longest first, so a name is
# never cut before its end), and no word that a sentence has but a name does not (请, 咨询, 已经 …).
_SUFFIX = (
    r"(?:人民政府|政府|办事处|管委会|委员会|居委会|村委会|办公室|指挥部|分局|总公司|公司|集团|中心|街道|社区"
    r"|大队|支队|中队|派出所|医院|法院|检察院|学校|学院|大学|职院|银行|协会|红十字会|部门|科室"
    r"|局|委|办|所|站|队|院|厅|处|科|股|会|馆)"
)
_NOT_NAME = (
    r"(?:请|咨询|联系|拨打|反映|投诉|申请|建议|可以|可|已经|已|没有|不属|不是|不能|不在|不予|属于|负责|是|在|向|到"
    r"|找|由|将|会|应|需|调查|核实|核处|核查|查处|办理|处理|办复|处置|答复|回复|反馈"
    r"|的|了|按|经|据|对|把|被|让|要|该|此|其|我|您|你|他|她|它|相关|有关|对应|相应|职能)"
)
_NAME_CHARS = r"[^\s\u3000,，.。!！?？;；:：、…()（）“”\"]"
_NAME = rf"(?:(?!{_NOT_NAME}){_NAME_CHARS}|“[^”]{{1,8}}”){{1,20}}?"
_UNIT = rf"{_NAME}{_SUFFIX}"
_PLACE_UNIT = rf"{_NAME}(?:区|县|市|镇|乡|村)"  # a place: forwarded to its government
_GENERIC_WORDS = (
    r"(?:相关|有关|对应|相应|各|上级|责任)(?:的)?(?:职能)?(?:部门|单位|科室|机构|领导)"
    r"(?:[和及、](?:(?:相关|有关|责任)?(?:部门|单位)))?"
    r"|(?:区|县|市)?分管领导"
)
_GENERIC = _Lazy(rf"(?:区|县|市|省)?(?:{_GENERIC_WORDS})")
_GENERIC_TAIL = _Lazy(rf"的?(?:{_GENERIC_WORDS})$")
# a clause that is a unit's name ends with its suffix
_BARE_UNIT = _Gated(_UNIT, tuple(_SUFFIX[3:-1].split("|")), at_end=True)
_TARGET_UNIT = _Lazy(rf"{_UNIT}|{_PLACE_UNIT}")
_ONE_TARGET = rf"(?:{_UNIT}|{_PLACE_UNIT})(?:的?(?:{_GENERIC_WORDS}))?|(?:区|县|市|省)?(?:{_GENERIC_WORDS})"
# What a forwarding clause says after the unit: how it will be handled.
_HANDLING_WORD = (
    r"等(?:相关|有关)?(?:单位|部门)|进行|予以|立即|及时|迅速|认真|依法|积极|调查|核实|核处|核查|查处|办理|处理|办复"
    r"|处置|答复|回复|反馈|关注|研究|落实|解决|强制执行|按实际情况|参考|酌情"
)
_HANDLING = rf"(?:{_HANDLING_WORD}|[、和及并])*"
# Forwarding: "(the problem) has been passed on to <units or 相关部门> (to be handled)". Verbs longest first.
_FORWARD = _Lazy(
    r"(?P<lead>[^，,。！!；;]{0,30}?)"
    r"(?:转交|移交|转给|转至|转到|转办|转由|交办|交由|交给|交到|发函交办给|发函交办|汇报给|转|交)(?:至|给|到)?"
    rf"(?:(?P<target>(?:{_ONE_TARGET})(?:、(?:{_ONE_TARGET}))*)?{_HANDLING}"
    rf"|{_NAME_CHARS}{{1,12}}?(?:{_HANDLING_WORD}){_HANDLING})"
)
# Forwarding told the other way round: "(we) will report it to <units or 有关部门> (and handle it)".
_REPORTED = _Lazy(
    r"(?P<lead>[^，,。！!；;]{0,16}?)(?:已|将|会)[^，,。！!；;]{0,4}?向"
    rf"(?P<target>(?:{_ONE_TARGET})(?:、(?:{_ONE_TARGET}))*)(?:反馈|反映|报告|汇报|通报)"
    r"(?:并(?:作|进行)?(?:积极|认真)?(?:处理|调查|核实))?"
)
# Clauses that say nothing the case needs: received, read, registered; being handled; will be answered.
_SAID = _Gated(
    r"[^。！!；;]{0,24}?(?:收悉|收到|获悉|知悉|已阅|已受理|已登记)(?:了|后)?"
    r"|(?:您|你)的(?:回信|来信|留言|帖文|来帖|来邮|意见|建议)|[^。！!；;]{0,16}?高度重视|已作出批示"
    r"|(?:待|等)[^。！!；;]{0,12}?后|[^。！!；;]{0,10}?后?(?:在|再)?(?:另外|另行)(?:回复|答复|告知)"
    r"|(?:关于|针对|就)?(?:您|你)?(?:所)?(?:反映|提出|咨询|反馈)的(?:上述)?(?:问题|情况|事项|建议)"
    r"|[^。！!；;]{0,12}?(?:正在|正|将)(?:积极|抓紧|认真)?(?:调查|核实|处理|办理|交办|协调|跟进)"
    r"(?:处理|核实|办理)?(?:中|当中)?"
    r"|(?:稍后|随后|(?:待|等)[^。！!；;]{0,12}?后)?(?:会|将)?(?:及时|第一时间)?(?:(?:对|给|向)您[^。！!；;]{0,12}?)?"
    r"(?:做出|作出|予以|给予)?(?:回复|答复|反馈|告知)(?:给?您)?"
    r"|(?:现)?(?:将)?(?:回复|答复)如下",
    # a word each alternative above cannot match without, in order
    (
        *(
            "收悉",
            "收到",
            "获悉",
            "知悉",
            "已阅",
            "已受理",
            "已登记",
            "您",
            "你",
            "高度重视",
            "已作出批示",
            "后",
        ),
        *("另外", "另行", "反映的", "提出的", "咨询的", "反馈的", "正", "将", "回复", "答复", "反馈", "告知"),
    ),
)


def is_no_reply(text: str | None) -> bool:
    """An empty or empty-like reply cell: no reply at all."""
    if text is None:
        return True
    value = text.strip()
    return not value or value.lower() in NO_VALUE


@lru_cache(maxsize=4096)  # platforms answer many messages with the same few words
def read_reply(text: str | None) -> Reading:
    """What ``text`` says (see the module's docstring): its kind and the unit it names, if any."""
    if text is None or is_no_reply(text):
        return Reading(ReplyKind.NONE)
    value = text.strip()
    if len(value) > ACK_MAX:
        return Reading(ReplyKind.ANSWER)
    rest = _BOILERPLATE.sub(" ", _DATE.sub(" ", value))
    forwarded, target, bare = False, None, None
    for clause in _CLAUSES.split(rest):
        if not clause or _SAID.fullmatch(clause):
            continue
        found = _forwarding(clause)
        if found is not None:
            forwarded = True
            target = target or _first_unit(found["target"])
        elif _BARE_UNIT.fullmatch(clause):
            bare = bare or clause
        else:
            return Reading(ReplyKind.ANSWER)
    if target:
        return Reading(ReplyKind.FORWARDED_TO_UNIT, target)
    if forwarded:  # a sign-off unit beside a notice to 相关部门 is who forwarded it, not who handles it
        return Reading(ReplyKind.FORWARDED)
    if bare:
        return Reading(ReplyKind.UNIT, bare)
    return Reading(ReplyKind.ACKNOWLEDGED)


def substance(text: str) -> list[str]:
    """The clauses of a reply that say something of their own: what ``read_reply`` reads as greetings, thanks,
    dates, "received", forwarding notices and sign-off unit names left out (``domain.reply_quality``)."""
    rest = _BOILERPLATE.sub(" ", _DATE.sub(" ", text))
    return [
        clause
        for clause in _CLAUSES.split(rest)
        if clause
        and not _SAID.fullmatch(clause)
        and _forwarding(clause) is None
        and not _BARE_UNIT.fullmatch(clause)
    ]


def _forwarding(clause: str) -> re.Match[str] | None:
    """The clause as a forwarding notice (``_FORWARD`` or ``_REPORTED``); only a clause with one of their verbs
    (转, 交, 汇报; 向) is matched against them."""
    found = None
    if "转" in clause or "交" in clause or "汇报" in clause:
        found = _FORWARD.fullmatch(clause)
    if found is None and "向" in clause:
        found = _REPORTED.fullmatch(clause)
    return found


def _first_unit(target: str | None) -> str | None:
    """The first unit a forwarding names (``市公安局交警支队、市公积金管理中心`` → 市公安局交警支队); None for
    相关部门 and the like. ``市公交公司有关部门`` names 市公交公司."""
    for name in (target or "").split("、"):
        name = _GENERIC_TAIL.sub("", name)
        if name and not _GENERIC.fullmatch(name) and _TARGET_UNIT.fullmatch(name):
            return name
    return None


def is_acknowledgement(text: str) -> bool:
    """The reply only says it was received, passed on, or by whom: a note, not an answer that resolves."""
    return read_reply(text).noted


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
