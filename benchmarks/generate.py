"""Build a large, realistic ledger for benchmarks: ``python benchmarks/generate.py --cases 1000000 --out PATH``.

The rows are the ones the commands write: every event has the payload its command would record, events are
appended in business-time order across all cases (as clerks type them, interleaved), and every ``cases`` row
is ``domain.states.fold`` of that case's events, so ``show``, ``list``, ``check`` and the reports accept the
file. Cases are spread evenly over ``--years`` years before ``--end`` (default about 200,000 a year, the size
of a city district), with the whole mix of the lifecycle: 现场办结, claims on time and late, 退单, 提级,
延期, 督办, progress notes, resolutions on time and late, revisits satisfied, dissatisfied (重办) and
unreachable, duplicates withdrawn, cases still in progress near the end and a few old ones never closed.

Speed: one process, secondary indexes dropped during the load and rebuilt at the end, ``executemany`` in big
transactions. About two minutes per million cases.
"""

from __future__ import annotations

import argparse
import heapq
import json
import random
import sys
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from wenzheng_cli.config import DEFAULTS, Settings
from wenzheng_cli.domain import clock
from wenzheng_cli.domain.deadlines import WorkCalendar, due_from, parse_span
from wenzheng_cli.domain.ids import format_number
from wenzheng_cli.domain.models import CASE_FIELDS, Action, Event
from wenzheng_cli.domain.states import apply
from wenzheng_cli.store import search
from wenzheng_cli.store.ledger import open_ledger

COMMUNITIES = ["杨柳", "清河", "北苑", "东风", "光明", "幸福", "和平", "新华", "建设", "胜利", "红星", "朝阳"]
GRIDS = ["一网格", "二网格", "三网格", "四网格", "五网格", "六网格"]
CHANNELS = [
    ("走访", 30),
    ("12345热线", 22),
    ("说事箱", 6),
    ("倾诉箱", 3),
    ("微信", 10),
    ("电话", 8),
    ("来访", 6),
    ("议事会", 3),
    ("问政日", 5),
    ("网格员", 4),
    ("领导留言板", 1),
    ("政府信箱", 1),
    ("报纸", 0.3),
    ("电视", 0.2),
    ("信访", 0.5),
]
CATEGORIES = [
    ("环境卫生", 14),
    ("堆码物清理", 10),
    ("物业管理", 12),
    ("水电暖气燃气", 9),
    ("市政设施", 8),
    ("群众纠纷", 7),
    ("困难诉求", 6),
    ("行政办理事项", 6),
    ("噪音扰民", 6),
    ("投诉举报", 5),
    ("老旧小区改造", 4),
    ("道路交通", 4),
    ("安全隐患", 3),
    ("社会保障", 3),
    ("医疗卫生", 2),
    ("教育文体", 2),
    ("紧急求助", 0.5),
    ("其他", 3),
]
NATURES = [("求助", 40), ("投诉", 30), ("咨询", 15), ("建议", 10), ("举报", 5)]
UNITS = {
    "环境卫生": ["环卫所", "物业公司", "城管科"],
    "堆码物清理": ["城管科", "物业公司"],
    "物业管理": ["物业公司", "住建局物业科"],
    "水电暖气燃气": ["供水公司", "供电公司", "热力公司", "燃气公司"],
    "市政设施": ["市政工程所", "城管科"],
    "群众纠纷": ["人民调解委员会", "派出所"],
    "困难诉求": ["民政科", "社区居委会"],
    "行政办理事项": ["便民服务中心"],
    "噪音扰民": ["城管执法中队", "派出所"],
    "投诉举报": ["市场监管所", "城管执法中队"],
    "老旧小区改造": ["住建局", "街道规划办"],
    "道路交通": ["交警中队", "市政工程所"],
    "安全隐患": ["应急管理办", "消防救援站"],
    "社会保障": ["人社所", "医保站"],
    "医疗卫生": ["社区卫生服务中心"],
    "教育文体": ["文体站", "教育办"],
    "紧急求助": ["社区居委会", "派出所"],
    "其他": ["社区居委会"],
}
SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
)
GIVEN = "桂兰秀英建国志强丽华淑珍玉梅海燕明军文华伟红霞春生德福晓东静怡子涵浩然雨萱国庆凤英金花"
HANDLERS = ["王芳", "刘洋", "陈静", "张伟", "李娜", "杨帆", "赵磊", "黄敏", "周杰", "吴昊", "徐婷", "孙强"]
REVISITORS = ["回访员甲", "回访员乙", "回访员丙"]
CLERKS = ["clerk", "窗口一", "窗口二", "网格员"]
ESTATES = [
    "阳光花园",
    "幸福里",
    "和平小区",
    "新华苑",
    "建设新村",
    "胜利家园",
    "红星公寓",
    "朝阳小区",
    "清河湾",
]
PROBLEMS = {
    "环境卫生": ["垃圾桶满溢无人清运，夏天异味很大", "楼道内小广告贴满墙面", "绿化带内有大量建筑垃圾"],
    "堆码物清理": [
        "楼道内长期堆放纸箱杂物，影响通行",
        "地下室通道堆满废旧家具",
        "消防通道被电动车和杂物占用",
    ],
    "物业管理": [
        "电梯多次故障停运，老人上下楼困难",
        "物业收费后不履行保洁职责",
        "小区门禁损坏一个月无人维修",
    ],
    "水电暖气燃气": ["家中暖气不热，室温只有十二度", "单元楼停水两天未见通知", "燃气表读数异常，担心漏气"],
    "市政设施": ["小区门口路灯不亮，夜间出行不安全", "人行道井盖松动有安全隐患", "雨水井堵塞，下雨积水严重"],
    "群众纠纷": [
        "楼上住户装修噪音和漏水引发邻里矛盾",
        "相邻住户因公共区域占用发生争执",
        "租户与房东押金纠纷",
    ],
    "困难诉求": [
        "独居老人行动不便，希望帮助申请助餐服务",
        "家庭突遭变故，咨询临时救助政策",
        "残疾人申请护理补贴",
    ],
    "行政办理事项": ["办理居住证明需要哪些材料", "咨询老年优待证办理流程", "医保异地备案如何办理"],
    "噪音扰民": ["楼下烧烤店夜间营业噪音扰民", "广场舞音响声音过大影响休息", "工地夜间施工噪音"],
    "投诉举报": ["小区周边无证摊贩占道经营", "商铺违规排放油烟", "有人在绿地私搭乱建"],
    "老旧小区改造": ["改造后雨水管未接通，墙面渗水", "希望加装电梯，征集居民意见", "改造工程材料堆放占道"],
    "道路交通": ["小区出口缺少减速带，车速过快", "路口红绿灯时长不合理", "共享单车乱停放堵塞盲道"],
    "安全隐患": ["楼道内私拉电线给电动车充电", "外墙瓷砖脱落有坠落危险", "空置房屋门窗破损有人进入"],
    "社会保障": ["养老金资格认证操作不会", "咨询灵活就业人员参保", "失业登记如何办理"],
    "医疗卫生": ["希望社区开展老年人免费体检", "家庭医生签约服务咨询", "疫苗接种预约问题"],
    "教育文体": ["希望小区增设儿童活动设施", "社区图书室开放时间太短", "咨询入学片区划分"],
    "紧急求助": ["老人在家摔倒无法起身，家属在外地", "家中突发漏水，楼下受淹", "独居老人多日未出门"],
    "其他": ["对社区工作提出建议", "咨询社区活动报名", "反映小区宠物管理问题"],
}
RESULTS = {
    "solved": [
        "已协调相关单位处理完毕，现场核实问题已解决",
        "已安排专人维修，恢复正常使用",
        "已清理完毕并建立长效管理机制",
    ],
    "partly": ["已先行处置，剩余问题纳入下月计划", "已协调部分解决，后续持续跟进"],
    "explained": [
        "已向居民解释相关政策规定并告知办理渠道",
        "经核实不属于社区职责范围，已告知居民向相关部门反映",
    ],
}
RATINGS_OK = [("very_satisfied", 35), ("satisfied", 45), ("basically_satisfied", 10)]
ON_SITE_RESULTS = ["已当场告知所需材料及办理流程", "已现场协调双方达成一致", "已当场联系物业上门处理"]


def pick(rng: random.Random, weighted: list[tuple[str, float]]) -> str:
    names = [name for name, _ in weighted]
    weights = [w for _, w in weighted]
    return rng.choices(names, weights)[0]


@dataclass
class Activity:
    id: int
    community: str
    kind: str
    at: datetime


def ulid(rng: random.Random, moment: datetime) -> str:
    alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
    value = (int(moment.timestamp() * 1000) << 80) | rng.getrandbits(80)
    chars = []
    for _ in range(26):
        chars.append(alphabet[value & 31])
        value >>= 5
    return "".join(reversed(chars))


def working_moment(rng: random.Random, day: date) -> datetime:
    """A time of day on ``day`` when offices take cases: mostly 8:30–18:00."""
    minutes = (
        int(rng.triangular(8.5 * 60, 18 * 60, 10 * 60)) if rng.random() < 0.93 else rng.randrange(24 * 60)
    )
    return datetime(day.year, day.month, day.day, minutes // 60, minutes % 60, tzinfo=clock.TZ)


def office_hours(moment: datetime) -> datetime:
    """A moment in the night (19:00–8:30) moves to 8:30 the next morning: offices record the night's work
    when they open. Never earlier than it was, and the order of moments is kept (equal ones stay in turn)."""
    opening = moment.replace(hour=8, minute=30, second=0, microsecond=0)
    if moment.hour >= 19:
        return opening + timedelta(days=1)
    return opening if moment < opening else moment


class Generator:
    def __init__(self, rng: random.Random, end: datetime, office: str) -> None:
        self.rng = rng
        self.end = end
        self.office = office
        self.config = Settings.parse({"office.code": office})
        self.calendar = WorkCalendar()
        self.due_cache: dict[tuple[date, str], datetime] = {}
        self.seq_by_year: dict[int, int] = {}
        self.activities: list[Activity] = []
        self.activity_index: dict[tuple[str, str, int, int], int] = {}
        self.open_twins: dict[str, str] = {}  # category → a recent case number, for duplicates

    # --- deadlines -----------------------------------------------------------------------------------------
    def due(self, start: datetime, span_text: str) -> datetime:
        span = parse_span(span_text)
        if span.unit == "h":
            return start + timedelta(hours=span.amount)
        key = (start.date(), span_text)
        found = self.due_cache.get(key)
        if found is None:
            found = self.due_cache[key] = due_from(start, span, self.calendar)
        return found

    # --- activities ----------------------------------------------------------------------------------------
    def activity_for(self, community: str, kind: str, moment: datetime) -> int:
        """The community's 问政日 / 议事会 of that month (held on its first Tuesday), made on first use."""
        key = (community, kind, moment.year, moment.month)
        found = self.activity_index.get(key)
        if found is None:
            first = date(moment.year, moment.month, 1)
            tuesday = first + timedelta(days=(1 - first.weekday()) % 7)
            held = datetime(tuesday.year, tuesday.month, tuesday.day, 9, 0, tzinfo=clock.TZ)
            found = len(self.activities) + 1
            self.activities.append(Activity(found, community, kind, min(held, moment)))
            self.activity_index[key] = found
        return found

    # --- one case ------------------------------------------------------------------------------------------
    def case_events(self, received: datetime) -> list[tuple[str, datetime, str, dict[str, object]]]:
        """The events of one case as (action, at, actor, payload), stopped at the end moment."""
        rng = self.rng
        community = rng.choice(COMMUNITIES)
        category = pick(rng, CATEGORIES)
        channel = pick(rng, CHANNELS)
        nature = pick(rng, NATURES)
        estate = rng.choice(ESTATES)
        building = rng.randint(1, 32)
        address = f"{estate}{building}号楼{rng.randint(1, 6)}单元{rng.randint(1, 18)}0{rng.randint(1, 4)}室"
        problem = rng.choice(PROBLEMS[category])
        description = (
            f"{estate}{building}号楼居民反映：{problem}。"
            + rng.choice(["已持续一段时间，", "近期多次出现，", "今天上午发现，", "此前反映过一次，"])
            + rng.choice(
                ["希望社区尽快协调解决。", "请相关部门尽快处理。", "希望给个答复。", "请帮忙联系处理。"]
            )
        )
        if rng.random() < 0.3:
            description += "居民表示如有需要可随时电话联系，白天上班，晚上七点以后在家。"
        year = received.year
        seq = self.seq_by_year.get(year, 0) + 1
        self.seq_by_year[year] = seq
        number = format_number(self.office, year, seq)
        payload: dict[str, object] = {
            "number": number,
            "office": self.office,
            "year": year,
            "seq": seq,
            "description": description,
            "resident": rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice((1, 2)))),
            "phone": f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}",
            "address": address,
            "community": community,
            "grid": rng.choice(GRIDS),
            "channel": channel,
            "category": category,
            "nature": nature,
            "difficulty": rng.choices((1, 2, 3, 4, 5), (30, 35, 20, 10, 5))[0],
        }
        if channel in ("问政日", "议事会"):
            payload["activity_id"] = self.activity_for(community, channel, received)
        on_site_share = 0.7 if channel == "问政日" else 0.08
        events: list[tuple[str, datetime, str, dict[str, object]]] = []
        clerk = rng.choice(CLERKS)
        if rng.random() < on_site_share:
            payload.update(on_site=rng.choice(ON_SITE_RESULTS), level="社区", outcome="solved")
            events.append(("intake", received, clerk, payload))
            self._revisit_tail(events, received, None, category, nature)
            return self._until_end(events)
        events.append(("intake", received, clerk, payload))
        span = str(self.config.span_for(category, nature))
        moment = received + timedelta(minutes=rng.randint(20, 60 * 26))
        if rng.random() < 0.02:  # a duplicate of an earlier case, withdrawn before anyone works on it
            twin = self.open_twins.get(category)
            if twin:
                events.append(
                    ("withdraw", moment, clerk, {"reason": f"与 {twin} 重复", "duplicate_of": twin})
                )
                return self._until_end(events)
        self.open_twins[category] = number
        handler = rng.choice(HANDLERS)
        unit = rng.choice(UNITS[category])
        level = "网格" if rng.random() < 0.15 else "社区"
        due = self.due(moment, span)
        events.append(
            (
                "assign",
                moment,
                clerk,
                {"handler": handler, "unit": unit, "level": level, "due_at": clock.iso(due)},
            )
        )
        if rng.random() < 0.03:  # 退单, then assigned elsewhere
            moment += timedelta(hours=rng.randint(1, 30))
            events.append(("return", moment, handler, {"reason": "不属本单位职责，请重新分派"}))
            moment += timedelta(hours=rng.randint(1, 20))
            handler, unit = rng.choice(HANDLERS), rng.choice(UNITS[category])
            due = self.due(moment, span)
            events.append(
                (
                    "assign",
                    moment,
                    clerk,
                    {"handler": handler, "unit": unit, "level": level, "due_at": clock.iso(due)},
                )
            )
        if rng.random() < 0.015:
            moment += timedelta(hours=rng.randint(2, 48))
            events.append(("withdraw", moment, clerk, {"reason": "居民已自行解决，申请撤件"}))
            return self._until_end(events)
        late_claim = rng.random() < 0.08
        moment += (
            timedelta(hours=rng.uniform(30, 110)) if late_claim else timedelta(minutes=rng.randint(5, 300))
        )
        events.append(("claim", moment, handler, {}))
        if rng.random() < 0.05:  # 提级 / 吹哨
            moment += timedelta(hours=rng.randint(2, 72))
            up = "街道" if level != "区" and rng.random() < 0.8 else "区"
            esc: dict[str, object] = {
                "level": up,
                "unit": f"{up}{rng.choice(['城管办', '综治办', '住建办'])}",
            }
            esc["reason"] = "涉及多个部门，需上级协调"
            if rng.random() < 0.5:
                due = self.due(moment, "10wd")
                esc["due_at"] = clock.iso(due)
            events.append(("escalate", moment, clerk, esc))
            level = str(esc["level"])
        for _ in range(rng.choices((0, 1, 2, 3), (60, 25, 10, 5))[0]):
            moment += timedelta(hours=rng.randint(1, 40))
            events.append(
                (
                    "note",
                    moment,
                    handler,
                    {"text": rng.choice(["已联系居民了解情况", "已现场查看，正在协调", "等待配件到货"])},
                )
            )
        if rng.random() < 0.04:
            moment += timedelta(hours=rng.randint(1, 24))
            new_due = self.due(max(due, moment), "5wd")
            events.append(
                (
                    "extend",
                    moment,
                    handler,
                    {
                        "due_at": clock.iso(new_due),
                        "previous_due_at": clock.iso(due),
                        "reason": "需协调多方，申请延期",
                    },
                )
            )
            due = new_due
        if rng.random() < 0.02:
            moment += timedelta(hours=rng.randint(1, 24))
            events.append(("supervise", moment, clerk, {"reason": "群众反映强烈，列入督办", "kind": "督办"}))
        if rng.random() < 0.001:  # an old case nobody resolves
            return self._until_end(events)
        # Resolution: mostly within the limit, some late.
        remaining = (due - moment).total_seconds()
        if rng.random() < 0.88 and remaining > 600:
            moment += timedelta(seconds=rng.uniform(300, remaining))
        else:
            moment = max(moment, due) + timedelta(hours=rng.uniform(2, 120))
        outcome = rng.choices(("solved", "partly", "explained"), (80, 8, 12))[0]
        resolution: dict[str, object] = {"result": rng.choice(RESULTS[outcome]), "outcome": outcome}
        if rng.random() < 0.6:
            resolution["feedback"] = rng.choice(["电话", "当面", "短信"])
        events.append(("resolve", moment, handler, resolution))
        self._revisit_tail(events, moment, handler, category, nature)
        return self._until_end(events)

    def _revisit_tail(
        self,
        events: list[tuple[str, datetime, str, dict[str, object]]],
        moment: datetime,
        handler: str | None,
        category: str,
        nature: str,
    ) -> None:
        rng = self.rng
        for round_ in range(4):
            if rng.random() < (0.003 if round_ == 0 else 0.02):
                return  # never revisited (or not again after 未联系上): stays 待回访
            moment += timedelta(hours=rng.uniform(4, 120))
            who = rng.choice(REVISITORS)
            method = rng.choice(["电话", "入户", "短信"])
            roll = rng.random()
            if roll < 0.05:
                events.append(
                    ("revisit", moment, who, {"rating": "unreachable", "method": method, "effect": "none"})
                )
                continue
            if roll < 0.11 and handler is not None and round_ < 2:
                due = self.due(moment, str(self.config.span_for(category, nature)))
                events.append(
                    (
                        "revisit",
                        moment,
                        who,
                        {
                            "rating": rng.choice(["dissatisfied", "very_dissatisfied"]),
                            "method": method,
                            "comment": "问题反复出现，不满意",
                            "effect": "reopened",
                            "due_at": clock.iso(due),
                        },
                    )
                )
                remaining = (due - moment).total_seconds()
                moment += timedelta(seconds=rng.uniform(600, max(1200, remaining * 1.1)))
                events.append(
                    ("resolve", moment, handler, {"result": "已再次上门彻底处理", "outcome": "solved"})
                )
                continue
            events.append(
                (
                    "revisit",
                    moment,
                    who,
                    {"rating": pick(rng, RATINGS_OK), "method": method, "effect": "closed"},
                )
            )
            return

    def _until_end(
        self, events: list[tuple[str, datetime, str, dict[str, object]]]
    ) -> list[tuple[str, datetime, str, dict[str, object]]]:
        kept = []
        for action, at, actor, payload in events:
            moment = at if action == "intake" else office_hours(at)
            if moment > self.end:
                break
            kept.append((action, moment, actor, payload))
        return kept


def generate(path: Path, cases: int, end: datetime, years: float, seed: int, office: str) -> None:
    rng = random.Random(seed)
    ledger = open_ledger(path, create=True)
    conn = ledger.conn
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -400000")
    conn.execute("BEGIN")
    for key, value in {
        "office.code": office,
        "office.name": "示例街道",
        "communities": COMMUNITIES,
        "grids": GRIDS,
    }.items():
        conn.execute(
            "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
            (key, json.dumps(value, ensure_ascii=False)),
        )
    indexes = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ('cases', 'events')"
    ).fetchall()
    for name, _ in indexes:
        conn.execute(f"DROP INDEX {name}")
    search.pause_indexing(conn)  # the search index is built once at the end, as an import does
    conn.execute("COMMIT")

    gen = Generator(rng, end, office)
    start = end - timedelta(days=365.25 * years)
    span_s = (end - start).total_seconds()
    offsets = sorted(rng.random() * span_s for _ in range(cases))
    case_columns = ", ".join(CASE_FIELDS)
    case_sql = f"INSERT INTO cases ({case_columns}) VALUES ({', '.join('?' for _ in CASE_FIELDS)})"
    event_sql = "INSERT INTO events (id, case_id, action, at, recorded_at, actor, payload, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
    pending: list[tuple[str, int, tuple[object, ...]]] = []  # heap of (at, order, event row)
    order = 0
    case_rows: list[tuple[object, ...]] = []
    event_rows: list[tuple[object, ...]] = []
    started = time.monotonic()
    conn.execute("BEGIN")

    def flush() -> None:
        conn.executemany(case_sql, case_rows)
        conn.executemany(event_sql, event_rows)
        case_rows.clear()
        event_rows.clear()

    for i, offset in enumerate(offsets):
        day = (start + timedelta(seconds=offset)).date()
        if day.weekday() >= 5 and rng.random() < 0.6:
            day -= timedelta(days=day.weekday() - 4)  # fewer cases at weekends
        received = working_moment(rng, day)
        received = min(max(received, start), end - timedelta(minutes=1))
        received_iso = clock.iso(received) or ""
        while pending and pending[0][0] <= received_iso:
            event_rows.append(heapq.heappop(pending)[2])
        case_id = ulid(rng, received)
        case = None
        for action, at, actor, payload in gen.case_events(received):
            at_iso = clock.iso(at) or ""
            recorded = min(at + timedelta(minutes=rng.randint(0, 180)), end)
            recorded_iso = clock.iso(recorded) or ""
            event = Event(ulid(rng, at), case_id, Action(action), at_iso, recorded_iso, actor, payload, "cli")
            case = apply(case, event)
            row = (
                event.id,
                case_id,
                action,
                at_iso,
                recorded_iso,
                actor,
                json.dumps(payload, ensure_ascii=False, sort_keys=True),
                "cli",
            )
            order += 1
            heapq.heappush(pending, (at_iso, order, row))
        assert case is not None
        values = case.as_row()
        case_rows.append(tuple(values[name] for name in CASE_FIELDS))
        if len(case_rows) >= 20000:
            flush()
            if (i + 1) % 100000 == 0:
                rate = (i + 1) / (time.monotonic() - started)
                print(f"  {i + 1:,} cases ({rate:,.0f}/s)", file=sys.stderr)
    while pending:
        event_rows.append(heapq.heappop(pending)[2])
    flush()
    conn.executemany(
        "INSERT INTO activities (id, uid, title, kind, at, community, recorded_at, actor) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                a.id,
                ulid(rng, a.at),
                f"{a.at.year}年{a.at.month}月{a.community}社区{a.kind}",
                a.kind,
                clock.iso(a.at),
                a.community,
                clock.iso(a.at),
                "clerk",
            )
            for a in gen.activities
        ],
    )
    conn.execute("COMMIT")
    print(f"  rows written in {time.monotonic() - started:.0f} s; building indexes", file=sys.stderr)
    conn.execute("BEGIN")
    for _, sql in indexes:
        conn.execute(sql)
    search.index_added(conn, 0)
    conn.execute("COMMIT")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute(
        "PRAGMA wal_checkpoint(TRUNCATE)"
    )  # no ANALYZE: a ledger made by the commands has no statistics
    ledger.close()


def main() -> None:
    parser = argparse.ArgumentParser(description="生成基准测试用的大型台账")
    parser.add_argument("--cases", type=int, default=100_000, help="案件数")
    parser.add_argument("--out", type=Path, required=True, help="输出台账路径（不得已存在）")
    parser.add_argument("--end", default="2026-11-23T10:00:00+08:00", help="最后时刻（与 WENZHENG_NOW 一致）")
    parser.add_argument("--years", type=float, default=None, help="案件分布的年数（默认每年约 20 万件）")
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--office", default=DEFAULTS["office.code"])
    args = parser.parse_args()
    if args.out.exists():
        sys.exit(f"{args.out} 已存在；请换一个路径或先删除")
    years = args.years if args.years else max(args.cases / 200_000, 0.25)
    end = clock.local(datetime.fromisoformat(args.end))
    begun = time.monotonic()
    generate(args.out, args.cases, end, years, args.seed, args.office)
    print(
        f"{args.out}: {args.cases:,} cases over {years:g} years in {time.monotonic() - begun:.0f} s",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
