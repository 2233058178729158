#!/usr/bin/env bash
# A Tuesday visit (周二民情大走访) of 杨柳社区 in a throwaway ledger: cases typed at the counter, the visit
# team's notes imported from their Excel CSV, and the weekly 台账 printed at the end.
# Run with `make demo`. The clock is pinned to Monday 2026-11-23 so the output is the same on every machine.
set -euo pipefail

# DEMO_DIR keeps the ledger (benchmarks/json_parity.py builds on it); by default a folder removed at the end.
if [ -z "${DEMO_DIR:-}" ]; then
  DEMO_DIR="$(mktemp -d)"
  trap 'rm -rf "$DEMO_DIR"' EXIT
fi
export WENZHENG_DB="$DEMO_DIR/yangliu.db"
export WENZHENG_NOW="2026-11-23T17:30:00+08:00"
export WENZHENG_OPERATOR="赵静"          # the clerk at the counter; 孙红 does the revisits
quiet() { wenzheng "$@" >/dev/null; }

wenzheng init --office YL --name 杨柳社区
quiet config add communities 杨柳 清河
quiet config add grids 一片区 二片区 三片区 四片区 五片区
quiet activity add "11月17日周二民情大走访" --at "2026-11-17 09:00" --kind 走访 --community 杨柳

# 一周一走访: what the teams brought back on Tuesday 2026-11-17.
intake() { wenzheng intake "$@" --channel 走访 --activity 1 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["number"])'; }
c1=$(intake "3号楼2单元楼道堆放旧家具和纸箱，影响通行，存在消防隐患" --resident 李桂兰 --phone 13812345678 \
     --address "杨柳小区3号楼2单元" --community 杨柳 --grid 一片区 --category 堆码物清理 --nature 投诉 --difficulty 2 --at "2026-11-17 09:40")
c2=$(intake "独居老人申请临时救助，冬季取暖费有困难" --resident 王秀英 --phone 13987654321 \
     --address "杨柳小区7号楼1单元301" --community 杨柳 --grid 二片区 --category 困难诉求 --nature 求助 --difficulty 4 --at "2026-11-17 10:05")
c3=$(intake "楼上住户空调外机滴水，与邻居多次协商未果" --resident 陈建国 --phone 13700001111 \
     --address "杨柳小区5号楼" --community 杨柳 --grid 一片区 --category 群众纠纷 --nature 投诉 --difficulty 3 --at "2026-11-17 10:30")
c4=$(intake "咨询居住证办理需要哪些材料" --resident 刘洋 --community 杨柳 --grid 三片区 --category 行政办理事项 \
     --nature 咨询 --on-site "已当场告知材料清单并发放办事指南" --difficulty 1 --at "2026-11-17 10:50")
c5=$(intake "小区东门路灯连续三晚不亮" --resident 张伟 --phone 13600002222 --address "杨柳小区东门" \
     --community 杨柳 --grid 三片区 --category 市政设施 --nature 求助 --difficulty 1 --at "2026-11-17 11:10")
c6=$(intake "8号楼暖气不热，室温不到16度" --resident 孙丽 --phone 13500003333 --address "杨柳小区8号楼" \
     --community 杨柳 --grid 二片区 --category 水电暖气燃气 --nature 求助 --difficulty 2 --at "2026-11-17 14:20")
c7=$(intake "物业收费公示不清楚，要求公开明细" --resident 周敏 --phone 13400004444 --community 杨柳 --grid 一片区 \
     --category 物业管理 --nature 建议 --difficulty 3 --at "2026-11-17 14:45")
c8=$(intake "反映东门路灯不亮（与邻居所报同一处）" --resident 吴刚 --phone 13300005555 --community 杨柳 --grid 三片区 \
     --category 市政设施 --nature 求助 --at "2026-11-17 15:00")
c9=$(intake "老旧小区改造后单元门禁经常失灵" --resident 郑华 --phone 13200006666 --address "清河小区2号楼" \
     --community 清河 --grid 一片区 --category 老旧小区改造 --nature 投诉 --difficulty 3 --at "2026-11-17 15:30")
c10=$(intake "夜间广场舞音响声音过大，影响休息" --resident 冯军 --phone 13100007777 --community 清河 --grid 二片区 \
     --category 噪音扰民 --nature 投诉 --difficulty 2 --at "2026-11-17 16:00")
c11=$(intake "举报小区内有人私搭乱建" --community 清河 --grid 二片区 --category 投诉举报 --nature 举报 \
     --difficulty 4 --at "2026-11-17 16:20")
c12=$(intake "垃圾分类亭周边卫生差，异味大" --resident 何芳 --phone 13000008888 --community 清河 --grid 一片区 \
     --category 环境卫生 --nature 投诉 --difficulty 2 --at "2026-11-17 16:40")

# 一周一梳理: assign, claim, handle.
quiet assign "$c1" --to 刘强 --unit 杨柳物业 --within 3wd --at "2026-11-17 17:00"
quiet --operator 刘强 claim "$c1" --at "2026-11-18 08:30"
quiet --operator 刘强 resolve "$c1" --result "已清运旧家具和纸箱，楼道恢复通畅" --feedback 电话 --at "2026-11-19 16:00"
quiet --operator 孙红 revisit "$c1" --rating 满意 --method 电话 --at "2026-11-20 10:00"

quiet assign "$c2" --to 马丽 --unit 社区民政 --within 5wd --at "2026-11-17 17:05"
quiet --operator 马丽 claim "$c2" --at "2026-11-18 09:00"
quiet escalate "$c2" --level 街道 --unit 街道民政办 --reason "临时救助需街道审批" --at "2026-11-19 11:00"
quiet note "$c2" "街道民政办已受理救助申请，待审批" --at "2026-11-20 15:00"

quiet assign "$c3" --to 黄磊 --unit 人民调解委员会 --within 5wd --at "2026-11-17 17:10"
quiet --operator 黄磊 claim "$c3" --at "2026-11-18 10:00"
quiet --operator 黄磊 resolve "$c3" --result "组织双方调解，楼上住户加装接水管" --at "2026-11-19 17:00"
quiet --operator 孙红 revisit "$c3" --rating 不满意 --comment "仍在滴水" --method 入户 --at "2026-11-20 16:00"

quiet --operator 孙红 revisit "$c4" --rating 非常满意 --method 电话 --at "2026-11-18 09:30"

quiet assign "$c5" --to 刘强 --unit 杨柳物业 --within 2wd --at "2026-11-17 17:15"
quiet --operator 刘强 claim "$c5" --at "2026-11-18 08:40"
quiet --operator 刘强 resolve "$c5" --result "已更换东门路灯灯头" --feedback 短信 --at "2026-11-18 15:00"
quiet withdraw "$c8" --duplicate-of "$c5" --at "2026-11-17 17:20"

quiet assign "$c6" --unit 热力公司 --within 24h --at "2026-11-17 17:25"
quiet supervise "$c6" --reason "群众多次来电反映" --at "2026-11-19 09:00"

quiet assign "$c7" --to 刘强 --unit 杨柳物业 --within 5wd --at "2026-11-18 09:00"
quiet --operator 刘强 claim "$c7" --at "2026-11-18 11:00"
quiet extend "$c7" --within 5wd --reason "需业委会开会审议公示方案" --at "2026-11-23 09:00"

quiet assign "$c9" --unit 清河物业 --within 5wd --at "2026-11-18 09:30"
quiet assign "$c10" --to 陈晨 --unit 清河网格站 --level 网格 --within 3wd --at "2026-11-18 10:00"
quiet --operator 陈晨 claim "$c10" --at "2026-11-18 10:30"
quiet --operator 陈晨 resolve "$c10" --result "与广场舞队约定晚9点后停止并降低音量" --outcome partly --at "2026-11-20 20:00"

# The visit team's own notes, typed into Excel on a Chinese Windows PC and saved as CSV (GBK).
echo
wenzheng import "$(dirname "$0")/tuesday-visit-gbk.csv"

# 一周一回访: the weekly 台账 for the week that began on the visit day, as it goes up to the street office.
echo
wenzheng report weekly --week 2026-11-17 --limit 8
echo
wenzheng show "$c3"
