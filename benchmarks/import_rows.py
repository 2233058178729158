"""The CSV ``import_bench.py`` times: a platform export of N rows with the columns, text and replies real exports
have (``generate``), made once per size into ``benchmarks/data/``."""

from __future__ import annotations

import csv
import random
from datetime import datetime, timedelta
from pathlib import Path

HEADER = [
    "工单号",
    "受理时间",
    "居民姓名",
    "联系电话",
    "住址",
    "社区",
    "网格",
    "渠道",
    "诉求类别",
    "性质",
    "诉求内容",
    "答复意见",
    "答复时间",
]
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
)
GIVEN = "桂兰秀英志强建国海燕丽华国庆春梅玉珍德明文静晓东红霞永刚淑芬家豪子涵宇轩思雨"
COMMUNITIES = ["杨柳", "清河", "北苑", "南湖", "东风", "向阳", "和平", "幸福", "长安", "新华"]
ESTATES = [
    "杨柳小区",
    "清河家园",
    "北苑新村",
    "南湖花园",
    "东风里",
    "向阳小区",
    "和平苑",
    "幸福里",
    "长安公寓",
    "新华小区",
]
CHANNELS = ["12345热线", "走访", "说事箱", "微信", "领导留言板", "网格员"]
CATEGORIES = [
    "堆码物清理",
    "物业管理",
    "环境卫生",
    "市政设施",
    "噪音扰民",
    "水电暖气燃气",
    "道路交通",
    "群众纠纷",
]
NATURES = ["求助", "投诉", "咨询", "建议"]
PROBLEMS = [
    "楼道堆放杂物，影响通行，存在消防隐患",
    "路灯不亮已经一周，晚上出行很不方便",
    "小区内垃圾清运不及时，气味很大",
    "楼上住户夜间装修噪音扰民",
    "暖气不热，室内温度只有十五度",
    "下水道堵塞，污水外溢到人行道",
    "物业收费不透明，要求公开账目",
    "小区门口占道经营，早晚高峰拥堵",
    "电动车在楼道充电，担心起火",
    "邻居养狗不拴绳，老人孩子害怕",
]
DETAILS = [
    "希望社区尽快协调处理。",
    "已经反映过两次，一直没有解决。",
    "请相关部门上门查看。",
    "居民们意见很大，请给予答复。",
    "附近住户都受到影响。",
]
SINCE = ["上周开始", "前天晚上", "这个月以来", "从国庆节后", "最近半个月", "昨天早上", "入冬以后", "近三天"]
EFFECTS = [
    "家里老人出门很不方便",
    "孩子上学要绕很远的路",
    "晚上根本睡不好觉",
    "楼里住户都有意见",
    "下雨天更加严重",
    "物业说不归他们管",
    "打过两次电话没人来",
    "担心出安全事故",
]
REPLIES = [
    "经社区工作人员现场核实，已协调物业于当日清理完毕，感谢您的反映。",
    "已联系供电部门更换灯具，现已恢复照明。",
    "已督促环卫公司增加清运频次，并在小区内增设垃圾桶。",
    "经协调，当事双方已达成一致，施工时间调整为工作日白天。",
]


def generate(path: Path, rows: int, seed: int = 7, *, replies: bool = True) -> None:
    """Rows in time order, as platforms export them, over 600 days; half with a reply (none without ``replies``)."""
    rng = random.Random(seed)
    start = datetime(2025, 1, 1, 8, 0, 0)
    minutes = sorted(rng.randrange(0, 60 * 24 * 600) for _ in range(rows))
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(HEADER)
        for i in range(rows):
            received = start + timedelta(minutes=minutes[i])
            k = rng.randrange(len(COMMUNITIES))
            problem = rng.choice(PROBLEMS)
            text = (
                f"{ESTATES[k]}{rng.randint(1, 30)}号楼{rng.randint(1, 6)}单元{rng.choice(SINCE)}{problem}，"
                f"{rng.choice(EFFECTS)}，{rng.choice(DETAILS)}"
            )
            when = received.strftime("%Y/%-m/%-d %-H:%M:%S") if i % 3 else received.strftime("%Y-%m-%d %H:%M")
            reply, replied = "", ""
            if replies and i % 2 == 0:
                reply = rng.choice(REPLIES)
                replied = (received + timedelta(hours=rng.randint(2, 240))).strftime("%Y/%-m/%-d %-H:%M:%S")
            w.writerow(
                [
                    f"GD{2025000000 + i}",
                    when,
                    rng.choice(SURNAMES) + rng.choice(GIVEN),
                    f"1{rng.choice('3578')}{rng.randrange(10**9):09d}",
                    f"{ESTATES[k]}{rng.randint(1, 30)}号楼{rng.randint(1, 6)}单元{rng.randint(1, 30)}0{rng.randint(1, 4)}",
                    COMMUNITIES[k],
                    f"{rng.randint(1, 8)}网格",
                    rng.choice(CHANNELS),
                    rng.choice(CATEGORIES),
                    rng.choice(NATURES),
                    text,
                    reply,
                    replied,
                ]
            )
