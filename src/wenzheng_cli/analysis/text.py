"""Text for the analyses: Chinese characters only, character n-grams, and the places a case names.

Pure functions, no heavy imports: both ``hotspots`` and ``suggest`` (which must answer as fast as a counter
command) use them.

Places come in tiers, finest first: an estate, building or institution (…小区, …苑, …花园, …学院, …医院),
a road (…路, …街, …大道, …巷), the grid, the community or village (…社区, …村), the township (…街道, …镇, …乡).
Two names are one place when their cores (the name without its suffix: 魏家坡小区 → 魏家坡) are equal; two cases
are at different places when, at the finest tier both name, they share no place.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_NON_CJK = re.compile(r"[^\u4e00-\u9fff]+")
_SPACES = re.compile(r"\s+")

ESTATE, ROAD, GRID, COMMUNITY, TOWNSHIP, DISTRICT, CITY = range(7)
TIER_NAMES = ("小区/单位", "道路", "网格", "社区/村", "街道/乡镇", "区/县", "市")

# Suffix → tier. Longer suffixes are tried first (街道 before 街, 新村 before 村, 市场 before 市).
_SUFFIXES = {
    ESTATE: (
        *("小区", "花园", "家园", "公寓", "大厦", "广场", "新村", "新城", "华庭", "名都", "名苑", "雅苑"),
        *("花苑", "山庄", "苑", "公馆", "学院", "大学", "中学", "小学", "学校", "幼儿园", "医院", "卫生院"),
        *("市场", "商场", "公司", "工业园", "产业园", "园区", "车站", "公园", "酒店", "宾馆", "工厂", "厂"),
    ),
    ROAD: ("大道", "路", "街", "巷"),
    COMMUNITY: ("社区", "村"),
    TOWNSHIP: ("街道", "镇"),
    DISTRICT: ("区", "县"),
    CITY: ("市",),
}
_TIER_OF = {suffix: tier for tier, suffixes in _SUFFIXES.items() for suffix in suffixes}
# What may not follow a suffix for it to end a name: 路灯 and 路面 are no roads, 街灯 no street, 村民 no village.
# 路口 may: 桐梓坡路口 is at 桐梓坡路.
_NOT_AFTER = {
    "路": "灯面况费线径子途人过上边段由考政网基沿牌程标障霸",
    "街": "坊头上边灯面",
    "村": "民委里子干级道",
    "镇": "定压",
    "区": "域别分间委政长划号内外",
    "县": "城里委政长内",
    "市": "民区政委长内里面级场",
    "厂": "家长",
    "苑": "",
}
_SUFFIX_RE = re.compile("|".join(sorted(map(re.escape, _TIER_OF), key=len, reverse=True)))
# Characters that end whatever comes before a name: a name is what follows the last of them.
_BOUNDARY = set(
    "的在是了我们你他她它这那该本对于向从和与及或把被给让请求位住到至个等近去来要有无为因所其此某以将由经市区县省"
    "旁内外边号楼栋室每各听说望想找跟过映诉报询议贵而离址往按就督再又没"
)
# Words that end like a name but are none: 老旧小区, 周边小区, 高速公路, 民办学校, 物业公司, 燃气公司, 公交公司, 农贸市场 …
_GENERIC_WORDS = (
    "老旧 周边 附近 整个 各个 所在 周围 其他 其它 多个 几个 部分 高档 安置 商品房 城中 居民 农村 新农 美丽乡 高速公 水泥 沥青 城乡 乡村 城市 一条 "
    "这条 小路 马 道 公 铁 十字 丁字 三岔 交叉 红绿灯 民办 公办 私立 公立 培训 辅导 物业 开发商 房地产 建筑 装修 科技 网络 保险 银行 贷款 贫困 全国 全省 全市 各 "
    "公交 公交车 燃气 天然气 电信 电力 供电 供水 自来水 水务 农机 开发 配套 普惠性 中医 中心 商业 农贸 步行"
)
_GENERIC = frozenset(_GENERIC_WORDS.split())
_MAX_NAME = 8  # characters before the suffix, as a rule …
_MAX_LONG = 14  # … and when more name characters come before those 8: never cut a name mid-word
# A boundary character that starts a word with the next one is no boundary: 长沙市政建设开发公司, 某某经营管理公司.
_ACROSS = frozenset(
    [
        "市政",
        "市容",
        "经营",
        "经济",
        "国营",
        "民营",
        "私营",
        "区域",
        "县域",
        "个体",
        "本地",
        "对外",
        "向阳",
        "和平",
        "和谐",
        "东方",
        "为民",
        "有色",
        "有机",
    ]
)
_NAME_CHAR = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")
_NAME_TAIL = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]*$")
# Words, not names: 公路, 道路, 马路, 铁路, 一公里路, 水路, 线路, 上路, 高速路, 泥巴路, 一段路, 断头路, 水泥路, 电路; 城区,
# 景区, 辖区, 山区; 超市, 城市, 门市.
_NOT_BEFORE = {
    ROAD: set("公道马铁里水线上速巴段头泥电"),
    DISTRICT: set("城景辖片山郊市地街发新老灾园"),
    CITY: set("超城都门夜股楼上全"),
}
_MASKED = re.compile(r"[A-Z]\d{0,2}$")  # the masked names of the contest data: A市, A3区, K7县
_COMPANY = re.compile("(?:股份)?有限(?:责任)?公司")


def clean(text: str | None) -> str:
    """NFKC (full-width digits and letters to half-width), whitespace folded to one space."""
    if not text:
        return ""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text)).strip()


_WIDE_ALNUM = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")


def tidy(text: str | None) -> str:
    """Text to show as the resident wrote it: full-width digits and letters to half-width (３号楼 → 3号楼),
    whitespace folded to one space, the Chinese punctuation kept (「，」「（」 stay full-width)."""
    if not text:
        return ""
    wide = _WIDE_ALNUM.sub(lambda m: chr(ord(m.group()) - 0xFEE0), text)
    return _SPACES.sub(" ", wide).strip()


def cjk_runs(text: str) -> list[str]:
    """The runs of Chinese characters of ``text``: n-grams never span a digit, letter or punctuation."""
    return [run for run in _NON_CJK.split(text) if run]


def ngrams(runs: Iterable[str], sizes: Iterable[int]) -> list[str]:
    out: list[str] = []
    for n in sizes:
        for run in runs:
            if n == 1:
                out.extend(run)
            elif len(run) >= n:
                out.extend([run[i : i + n] for i in range(len(run) - n + 1)])
    return out


def places_in(text: str) -> list[tuple[int, str]]:
    """The named places of a text as (tier, name), e.g. ``(ESTATE, "魏家坡小区")``, in order of appearance."""
    found: list[tuple[int, str]] = []
    if "有限" in text:
        text = _COMPANY.sub("公司", text)
    last_end = 0
    for match in _SUFFIX_RE.finditer(text):
        suffix = match.group()
        after = text[match.end() : match.end() + 1]
        if after and after in _NOT_AFTER.get(suffix, ""):
            continue
        start = match.start()
        # The name: the Chinese characters, letters and digits just before the suffix (at most _MAX_NAME,
        # not into the previous name), after the last boundary character among them.
        prefix = _name_before(text, start, last_end)
        if prefix is None:
            continue
        tier = _TIER_OF[suffix]
        masked = _MASKED.search(prefix) if tier >= DISTRICT else None
        if masked is not None:
            prefix = masked.group()
        elif not _is_name(prefix, tier):
            continue
        found.append((tier, prefix + suffix))
        last_end = match.end()
    return found


def _name_before(text: str, start: int, floor: int) -> str | None:
    """The name before a suffix at ``start``: the name characters there (not before ``floor``, the end of the
    previous name), from the last boundary character among them; None when it would be cut mid-word (more
    than ``_MAX_LONG`` name characters with no boundary)."""
    for size in (_MAX_NAME, _MAX_LONG):
        low = max(floor, start - size)
        tail = _NAME_TAIL.search(text[low:start]).group()  # type: ignore[union-attr]  # matches "" at worst
        cut = len(tail)
        while cut > 0 and not (tail[cut - 1] in _BOUNDARY and tail[cut - 1 : cut + 1] not in _ACROSS):
            cut -= 1
        whole = cut > 0 or len(tail) < start - low or low == floor or not _NAME_CHAR.match(text[low - 1])
        if whole:
            return tail[cut:].lstrip("0123456789")
    return None


def _is_name(prefix: str, tier: int) -> bool:
    return (
        len(prefix) >= 2
        and prefix not in _GENERIC
        and bool(_NON_CJK.sub("", prefix))
        and prefix[-1] not in _NOT_BEFORE.get(tier, ())
    )


_ADDRESS_HEAD = re.compile(
    r"^(?:.{0,12}?(?:省|市|区|县|街道|镇|乡|社区))*([\u4e00-\u9fff]{2,10}?)(?=\d|[一二三四五六七八九十]+[号栋幢]|$)"
)


def address_place(address: str) -> str | None:
    """The estate of an address when no suffix names it: ``幸福里12号楼3单元`` → ``幸福里``."""
    named = [name for tier, name in places_in(address) if tier == ESTATE]
    if named:
        return named[0]
    match = _ADDRESS_HEAD.match(address)
    if match:
        head = match.group(1)
        if head not in _GENERIC:
            return head
    return None


def core(name: str) -> str:
    """A place name without its suffix, for comparing ``魏家坡小区`` with ``魏家坡``."""
    match = _SUFFIX_RE.search(name, max(len(name) - 3, 0))
    while match is not None and match.end() != len(name):
        match = _SUFFIX_RE.search(name, match.start() + 1)
    if match is not None and match.start() >= 2:
        return name[: match.start()]
    return name


_BUILDING = re.compile(r"(\d{1,3}|[一二三四五六七八九十]{1,3})\s*(?:号楼|号栋|栋|幢|号门洞)")
_NONE: frozenset[str] = frozenset()


def _names_building(text: str) -> bool:
    """Whether ``text`` may name a building (``_BUILDING`` ends in one of these): most texts do not, and
    looking for the characters is cheaper than for the pattern."""
    return "楼" in text or "栋" in text or "幢" in text or "洞" in text


_NUMERALS = {c: i for i, c in enumerate("零一二三四五六七八九十")}


def without_buildings(text: str) -> str:
    """``text`` with the buildings it names blanked out (compared apart, like the other places)."""
    return _BUILDING.sub(" ", text) if _names_building(text) else text


def buildings_in(text: str) -> frozenset[str]:
    """The buildings a text names, as numbers: ``3号楼``, ``3栋`` and ``三号楼`` are all ``3``. A building is part
    of the place: a broken lift or a heap of rubbish at 3号楼 is not the one at 6号楼."""
    return frozenset(map(_number, _BUILDING.findall(text))) if _names_building(text) else _NONE


def _number(digits: str) -> str:
    if digits.isdigit():
        return str(int(digits))
    values = [_NUMERALS[c] for c in digits]
    if 10 not in values:
        return "".join(map(str, values))
    tens, _, ones = digits.partition("十")
    return str((_NUMERALS[tens] if tens else 1) * 10 + (_NUMERALS[ones] if ones else 0))
