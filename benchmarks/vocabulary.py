"""What the benchmark ledgers are made of: the offices' lists, the problems residents raise, names, and the
small helpers that pick among them (``generate.py`` builds the ledger from these)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from wenzheng_cli.domain import clock

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
