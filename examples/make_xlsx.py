"""Write examples/platform-export.xlsx: a small 12345-platform export as such exports really come.

    python examples/make_xlsx.py

Real date cells beside text dates (``2026/11/3 9:32:09``), scraped whitespace at the start of 诉求内容
(``\\n\\t\\t``) and full-width spaces (U+3000), replies with their time (some not yet answered), a column the
ledger has no field for (承办单位, kept with each case), and 300 formatted but empty rows below the data.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

HEADER = [
    "工单号",
    "受理时间",
    "信息来源",
    "区域",
    "一级分类",
    "性质",
    "标题",
    "诉求内容",
    "联系电话",
    "答复意见",
    "答复时间",
    "承办单位",
]
ROWS = [
    ["GD20261102001", datetime(2026, 11, 2, 9, 15, 3), "12345热线", "杨柳", "市政设施", "求助", "杨柳小区路灯不亮",
     "\n\t\t杨柳小区3号楼前两盏路灯不亮已一周，晚上出行不便。", "13801010001",
     "经核实，已由供电所更换灯具，恢复照明。", "2026/11/4 16:20:00", "城管科"],
    ["GD20261103002", "2026/11/3 9:32:09", "领导留言板", "清河", "物业管理", "投诉", "清河家园物业不作为",
     "\n\t\t\t清河家园物业对楼道漏水报修一个月未处理。\u3000\u3000请社区督促。", "13987651234",
     "\u3000\u3000您好！社区已约谈物业公司，漏水点已于11月10日修复。", "2026/11/10 11:05:41", "清河社区"],
    ["GD20261104003", datetime(2026, 11, 4, 14, 2, 0), "12345热线", "北苑", "环境卫生", "投诉", "北苑新村垃圾清运不及时",
     "北苑新村垃圾桶满溢，清运不及时，气味很大。", "18602020002", "", "", "环卫所"],
    ["GD20261105004", "2026-11-05 08:47", "政府信箱", "南湖", "道路交通", "建议", "南湖花园门口建议增设减速带",
     "南湖花园门口车速快，孩子上学不安全，建议增设减速带。", "", "已转交通部门研究，拟于下月施工。", "2026-11-12", "交通科"],
    ["GD20261106005", "2026/11/6 10:00:00", "12345热线", "东风", "水电暖气燃气", "求助", "东风里暖气不热",
     "东风里5号院暖气不热，室温只有14度。", "13503030003", "已协调热力公司排气调压，室温恢复到20度。", "2026/11/7 9:30:00", "热力公司"],
    ["GD20261109006", datetime(2026, 11, 9, 19, 40, 11), "领导留言板", "杨柳", "噪音扰民", "投诉", "杨柳小区夜间装修噪音",
     "杨柳小区5号楼有住户夜间十点后仍在装修，噪音扰民。", "13604040004", "", "", "杨柳社区"],
    ["GD20261110007", "2026/11/10 15:12:45", "12345热线", "清河", "物业管理", "投诉", "清河家园楼道漏水仍未修好",
     "\n\t\t清河家园物业对楼道漏水报修一个月未处理，请社区督促。", "13987651234", "", "", "清河社区"],
    ["GD20261111008", "2026年11月11日 9:05", "微信", "北苑", "安全隐患", "举报", "北苑新村电动车楼道充电",
     "北苑新村6号楼有人从楼上拉线给电动车充电，存在火灾隐患。", "15005050005", "已现场劝导并拆除飞线。", "2026/11/11 17:00:00", "北苑社区"],
    ["GD20261112009", datetime(2026, 11, 12, 8, 30, 0), "12345热线", "南湖", "社会保障", "咨询", "咨询高龄津贴申领",
     "咨询80岁以上老人高龄津贴如何申领。", "13806060006", "已电话告知申领流程及所需材料。", "2026/11/12 10:15:00", "南湖社区"],
    ["GD20261116010", "2026/11/16 20:21:09", "领导留言板", "东风", "市政设施", "求助", "东风里井盖缺失",
     "东风里7号院门口井盖缺失，夜间极易发生危险。", "13607070007", "", "", "市政所"],
    ["GD20261118011", "2026/11/18 7:58:30", "12345热线", "杨柳", "城乡建设", "建议", "建议杨柳小区加装电梯",
     "杨柳小区多为老年住户，建议推进老楼加装电梯。", "13708080008", "", "", "住建科"],
    ["GD20261120012", datetime(2026, 11, 20, 13, 45, 0), "政府信箱", "清河", "环境卫生", "投诉", "清河家园绿地堆放建筑垃圾",
     "清河家园8号楼东侧绿地堆放建筑垃圾半个月无人清理。", "15009090009", "已安排清运，11月21日清理完毕。", "2026/11/21 16:40:00", "环卫所"],
]  # fmt: skip
EMPTY_FORMATTED_ROWS = 300


def build(path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "工单"
    sheet.append(HEADER)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in ROWS:
        sheet.append(row)
    for cell in sheet["B"][1:]:
        if isinstance(cell.value, datetime):
            cell.number_format = "yyyy/m/d h:mm:ss"
    first_empty = len(ROWS) + 2
    for r in range(first_empty, first_empty + EMPTY_FORMATTED_ROWS):
        for c in range(1, len(HEADER) + 1):
            sheet.cell(row=r, column=c).font = Font(name="宋体")
    book.properties.creator = "12345 platform export"
    book.properties.created = book.properties.modified = datetime(2026, 11, 22, 9, 0, 0)
    book.save(path)


if __name__ == "__main__":
    build(Path(__file__).resolve().parent / "platform-export.xlsx")
