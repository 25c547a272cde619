"""The view from above on a small invented city, for issue #14: 汀澜市 ranks its five units
(汀东区, 汀西区, 澜山县, 鹭溪县, 云栖高新区) over two months, each with its own targets,
points and `---`. Everything here is synthetic; nothing in this file calls the code under
test: every expected figure below is worked out by hand from the numbers written into the
cells.

Workspace (built the way the city's office makes its files):
    kaohe.toml                  no county (the office serves nobody); 8 scored by completion
    input/附件1：汀澜市2024年度区县（园区）高质量发展综合绩效考核指标及目标任务.xlsx
    input/2024-05/汀澜市2024年1-5月各区县（园区）主要指标.xls          (old .xls)
    input/2024-06/汀澜市2024年1-6月各区县（园区）主要指标完成情况.xlsx  (two-row header)
  and, only for `own_report=True` (build_workspace):
    input/2024-06/澜山县2024年度高质量发展综合绩效指标完成情况一览表（截至6月底）.xlsx
        澜山县's own filled 一览表; the June peer sheet then lacks 澜山县's figure for 1.

The rules the figures follow (read from kaohe_excel/assess/*.py and DOMAIN.md):
- Ranks: competition ranking (1, 2, 2, 4) among the units with a figure; a tie shares the
  better place and the next place is skipped. 逆向 (the peer sheet's 方向 column): lower is
  better.
- `---` in a unit's target column: the unit is not assessed on that item. The item leaves its
  full marks and its score, it has no place there, and it is not a competitor there: the
  assessed units are ranked among themselves even where the city's sheet still prints the
  figure of the unit marked `---` (item 2, 汀西区).
- Colours by rank among the five units (default thirds, N = 5): 1–2 绿, 3–4 黄, 5 红 (N stays
  5 on an item where only four are assessed).
- Scores: rank steps, 5 % of the points a place: 100 %, 95 %, 90 %, 85 %, 80 %; item 8 by
  completion (kaohe.toml): points × min(actual / the unit's own target, 100 %).
- Points: `2 (云栖高新区3)` is 2, 3 for 云栖高新区. The 分值 cell of 4 merged over 4–5 reads
  `3 (澜山县4)`: 3 (4 for 澜山县) shared by the two rows, split evenly: 1.5 a row (2 for 澜山县).
- 约束条件 (10, 11; 1 point each): no event -> the point; an event -> 0 on the item and the
  unit has no overall place (its line still shows its total). 11 is in nobody's figures:
  whether it happened is unknown, so it is not credited: its point stays in the full marks
  and earns nothing (未报送).
- 减分项 12 (每发生一起扣1分，最多扣3分): −1 an event, no points of its own (not in full marks).
- Subtotals per category are sums of the item scores; the total is the sum of the
  subtotals; 折算得分 = total / the unit's own full marks × 100; overall place by 折算得分,
  competition ranking, the units where a constraint happened left out.
- Category blocks (分类得分) rank every unit (the vetoed one too) by the share of the
  category's points it earned; a category with no points (减分项) ranks nobody.
- 上月名次 / 位次变化: the May league's places; change = May place − June place (↑ up).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from fractions import Fraction as F
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.styles import Font

from tests.unseen_months import GSheet, write_xls
from tests.xl_style import box

CITY = "汀澜市"
TD, TX, LS, LX, YQ = "汀东区", "汀西区", "澜山县", "鹭溪县", "云栖高新区"
UNITS = [TD, TX, LS, LX, YQ]
MAY, JUNE = "2024-05", "2024-06"
SYSTEM_TITLE = "汀澜市2024年度区县（园区）高质量发展综合绩效考核指标及目标任务"
SYSTEM_FILE = f"附件1：{SYSTEM_TITLE}.xlsx"
PEER_FILES = {MAY: "汀澜市2024年1-5月各区县（园区）主要指标.xls",
              JUNE: "汀澜市2024年1-6月各区县（园区）主要指标完成情况.xlsx"}
OWN_REPORT_FILE = "澜山县2024年度高质量发展综合绩效指标完成情况一览表（截至6月底）.xlsx"

NA = "---"
NO_EVENT = "不发生"

# (序号, 类别, 指标名称, 分值 cell (None: under the merged cell above), targets in UNITS order
#  (a (text, span) tuple spans units), 牵头单位, 备注)
SYSTEM_ROWS: list[tuple] = [
    (1, "经济运行", "地区生产总值增速", "2 (云栖高新区3)", [6, 6.5, 7, 6.5, 8], "市发展改革委", ""),
    (2, "经济运行", "规模以上工业增加值增速", 2, [7, NA, 8, 7.5, 10], "市工业和信息化局", ""),
    (3, "经济运行", "固定资产投资增速", "2分", [("按全市平均水平比较考核", 5)], "市发展改革委", ""),
    (4, "创新开放", "实际使用外资", "3 (澜山县4)", [5000, 3000, 2000, 1500, 6000], "市商务局",
     "第4、5项共用分值，平均分配"),
    (5, "创新开放", "外贸进出口总额增速", None, [8, 6, 5, 5, 12], "市商务局", ""),
    (6, "创新开放", "高新技术企业净增数", 2, [20, 15, 10, 8, 30], "市科学技术局", ""),
    (7, "绿色民生", "细颗粒物（PM2.5）平均浓度", 2, [35, 35, 32, 30, 35], "市生态环境局", "逆向指标"),
    (8, "绿色民生", "城镇新增就业人数", 2, [6000, 5000, 3000, 2500, 2000], "市人力资源和社会保障局",
     "按目标完成比例计分"),
    (9, "绿色民生", "居民人均可支配收入增速", 2, [6.5, 6.5, 7, 7, NA], "市统计局", ""),
    (10, "约束条件", "重大群体性事件", 1, [(NO_EVENT, 5)], "市公安局", "发生即取消评先评优资格"),
    (11, "约束条件", "重大环境污染事件", 1, [(NO_EVENT, 5)], "市生态环境局", "发生即取消评先评优资格"),
    (12, "减分项", "较大及以上生产安全事故", "每发生一起扣1分，\n最多扣3分", [(NO_EVENT, 5)], "市应急管理局", ""),
]
SHARED_ROWS = (4, 5)  # the 分值 cell of 4 is merged down over 4–5
CATEGORIES = ["经济运行", "创新开放", "绿色民生", "约束条件", "减分项"]
CATEGORY_OF = {row[0]: row[1] for row in SYSTEM_ROWS}

COMPLETION_TOML = '\n[indicators."8"]\nmethod = "completion"\n'

# The city's sheets: (序号, 指标名称 as the statistics bureau writes it, 方向, values in UNITS order,
# 汀澜市's own figure). Item 11 is in neither month's sheet (nobody reported it).
PEERS = {
    MAY: [
        (1, "地区生产总值增速（%）", "正向", [6.9, 6.0, 7.0, 6.5, 8.8], 7.1),
        (2, "规模以上工业增加值增速（%）", "正向", [9.2, 13.0, 8.1, 6.4, 10.9], 9.4),
        (3, "固定资产投资增速（%）", "正向", [9.0, 2.2, -3.0, 4.8, 8.5], 4.6),
        (4, "实际使用外资（万美元）", "正向", [2100, 1500, 800, 1200, 3600], 9200),
        (5, "外贸进出口总额增速（%）", "正向", [2.8, -5.0, 12.0, 6.1, 9.5], 5.2),
        (6, "高新技术企业净增数（家）", "正向", [14, 10, 11, 7, 20], 62),
        (7, "细颗粒物（PM2.5）平均浓度（微克/立方米）", "逆向", [35, 38, 30, 29, 33], 33),
        (8, "城镇新增就业人数（人）", "正向", [2700, 2300, 1350, 1250, 900], 8500),
        (9, "居民人均可支配收入增速（%）", "正向", [6.5, 6.8, 7.2, 7.3, "—"], 6.9),
        (10, "重大群体性事件（起）", "", [0, 0, 0, 0, 0], 0),
        (12, "较大及以上生产安全事故（起）", "", [0, 1, 0, 0, 0], 1),
    ],
    JUNE: [
        (1, "地区生产总值增速（%）", "正向", [6.8, 5.9, 7.3, 6.2, 9.1], 7.0),
        (2, "规模以上工业增加值增速（%）", "正向", [8.4, 12.6, 9.0, 6.1, 11.2], 9.2),
        (3, "固定资产投资增速（%）", "正向", [4.5, 3.1, -2.4, 5.2, 7.9], 4.1),
        (4, "实际使用外资（万美元）", "正向", [2600, 1800, 950, 1100, 4300], 10750),
        (5, "外贸进出口总额增速（%）", "正向", [3.5, -6.2, 15.8, 4.0, 10.3], 5.9),
        (6, "高新技术企业净增数（家）", "正向", [18, 12, 12, 9, 25], 76),
        (7, "细颗粒物（PM2.5）平均浓度（微克/立方米）", "逆向", [33, 36, 28, 26, 31], 31),
        (8, "城镇新增就业人数（人）", "正向", [3300, 2750, 1500, 1400, 1100], 10050),
        (9, "居民人均可支配收入增速（%）", "正向", [6.6, 6.9, 7.4, 7.1, "—"], 7.0),
        (10, "重大群体性事件（起）", "", [0, 0, 0, 1, 0], 1),
        (12, "较大及以上生产安全事故（起）", "", [0, 2, 0, 0, 0], 2),
    ],
}

# ================================================================== the truth, by hand
# ---- points (what each unit can earn; None: `---`, not assessed)
#   1: 2, 云栖高新区 3 (its override)      2: 2, 汀西区 ---          3: 2
#   4, 5: the shared cell 3 over two rows = 1.5 a row; 澜山县 4 over two rows = 2 a row
#   6: 2   7: 2   8: 2   9: 2, 云栖高新区 ---   10: 1   11: 1   12: deduction, no points
POINTS = {
    1: {TD: 2, TX: 2, LS: 2, LX: 2, YQ: 3},
    2: {TD: 2, TX: None, LS: 2, LX: 2, YQ: 2},
    3: {u: 2 for u in UNITS},
    4: {TD: 1.5, TX: 1.5, LS: 2, LX: 1.5, YQ: 1.5},
    5: {TD: 1.5, TX: 1.5, LS: 2, LX: 1.5, YQ: 1.5},
    6: {u: 2 for u in UNITS},
    7: {u: 2 for u in UNITS},
    8: {u: 2 for u in UNITS},
    9: {TD: 2, TX: 2, LS: 2, LX: 2, YQ: None},
    10: {u: 1 for u in UNITS},
    11: {u: 1 for u in UNITS},
}
NOT_ASSESSED = {(2, TX), (9, YQ)}
# ---- full marks per category (经济运行 1–3 | 创新开放 4–6 | 绿色民生 7–9 | 约束条件 10–11 | 减分项 0)
#   汀东区     2 + 2 + 2 = 6   | 1.5 + 1.5 + 2 = 5 | 2 + 2 + 2 = 6 | 1 + 1 = 2 | 0   -> 19
#   汀西区     2 + 0 + 2 = 4   | 5                 | 6             | 2         | 0   -> 17
#   澜山县     6               | 2 + 2 + 2 = 6     | 6             | 2         | 0   -> 20
#   鹭溪县     6               | 5                 | 6             | 2         | 0   -> 19
#   云栖高新区 3 + 2 + 2 = 7   | 5                 | 2 + 2 + 0 = 4 | 2         | 0   -> 18
CATEGORY_POINTS = {
    TD: {"经济运行": 6, "创新开放": 5, "绿色民生": 6, "约束条件": 2, "减分项": 0},
    TX: {"经济运行": 4, "创新开放": 5, "绿色民生": 6, "约束条件": 2, "减分项": 0},
    LS: {"经济运行": 6, "创新开放": 6, "绿色民生": 6, "约束条件": 2, "减分项": 0},
    LX: {"经济运行": 6, "创新开放": 5, "绿色民生": 6, "约束条件": 2, "减分项": 0},
    YQ: {"经济运行": 7, "创新开放": 5, "绿色民生": 4, "约束条件": 2, "减分项": 0},
}
FULL_MARKS = {TD: 19, TX: 17, LS: 20, LX: 19, YQ: 18}

# ---- June: ranks per indicator (best first; `---` units are out, not competitors)
#   1 GDP      云栖 9.1 | 澜山 7.3 | 汀东 6.8 | 鹭溪 6.2 | 汀西 5.9          -> 1 2 3 4 5
#   2 规上     (汀西 12.6 is `---`: out) 云栖 11.2 | 澜山 9.0 | 汀东 8.4 | 鹭溪 6.1 -> 1 2 3 4
#   3 固投     云栖 7.9 | 鹭溪 5.2 | 汀东 4.5 | 汀西 3.1 | 澜山 −2.4
#   4 外资     云栖 4300 | 汀东 2600 | 汀西 1800 | 鹭溪 1100 | 澜山 950
#   5 外贸     澜山 15.8 | 云栖 10.3 | 鹭溪 4.0 | 汀东 3.5 | 汀西 −6.2
#   6 高企     云栖 25 | 汀东 18 | 汀西 = 澜山 12 (both 3) | 鹭溪 9 (5, place 4 skipped)
#   7 PM2.5 逆向: 鹭溪 26 | 澜山 28 | 云栖 31 | 汀东 33 | 汀西 36
#   8 就业     汀东 3300 | 汀西 2750 | 澜山 1500 | 鹭溪 1400 | 云栖 1100
#   9 收入     (云栖 ---, "—") 澜山 7.4 | 鹭溪 7.1 | 汀西 6.9 | 汀东 6.6
RANKS = {JUNE: {
    1: {YQ: 1, LS: 2, TD: 3, LX: 4, TX: 5},
    2: {YQ: 1, LS: 2, TD: 3, LX: 4, TX: None},
    3: {YQ: 1, LX: 2, TD: 3, TX: 4, LS: 5},
    4: {YQ: 1, TD: 2, TX: 3, LX: 4, LS: 5},
    5: {LS: 1, YQ: 2, LX: 3, TD: 4, TX: 5},
    6: {YQ: 1, TD: 2, TX: 3, LS: 3, LX: 5},
    7: {LX: 1, LS: 2, YQ: 3, TD: 4, TX: 5},
    8: {TD: 1, TX: 2, LS: 3, LX: 4, YQ: 5},
    9: {LS: 1, LX: 2, TX: 3, TD: 4, YQ: None},
}, MAY: {
    # May, the same way:
    #   1  云栖 8.8 | 澜山 7.0 | 汀东 6.9 | 鹭溪 6.5 | 汀西 6.0
    #   2  (汀西 13.0 out) 云栖 10.9 | 汀东 9.2 | 澜山 8.1 | 鹭溪 6.4
    #   3  汀东 9.0 | 云栖 8.5 | 鹭溪 4.8 | 汀西 2.2 | 澜山 −3.0
    #   4  云栖 3600 | 汀东 2100 | 汀西 1500 | 鹭溪 1200 | 澜山 800
    #   5  澜山 12.0 | 云栖 9.5 | 鹭溪 6.1 | 汀东 2.8 | 汀西 −5.0
    #   6  云栖 20 | 汀东 14 | 澜山 11 | 汀西 10 | 鹭溪 7
    #   7  逆向: 鹭溪 29 | 澜山 30 | 云栖 33 | 汀东 35 | 汀西 38
    #   8  汀东 2700 | 汀西 2300 | 澜山 1350 | 鹭溪 1250 | 云栖 900
    #   9  (云栖 ---) 鹭溪 7.3 | 澜山 7.2 | 汀西 6.8 | 汀东 6.5
    1: {YQ: 1, LS: 2, TD: 3, LX: 4, TX: 5},
    2: {YQ: 1, TD: 2, LS: 3, LX: 4, TX: None},
    3: {TD: 1, YQ: 2, LX: 3, TX: 4, LS: 5},
    4: {YQ: 1, TD: 2, TX: 3, LX: 4, LS: 5},
    5: {LS: 1, YQ: 2, LX: 3, TD: 4, TX: 5},
    6: {YQ: 1, TD: 2, LS: 3, TX: 4, LX: 5},
    7: {LX: 1, LS: 2, YQ: 3, TD: 4, TX: 5},
    8: {TD: 1, TX: 2, LS: 3, LX: 4, YQ: 5},
    9: {LX: 1, LS: 2, TX: 3, TD: 4, YQ: None},
}}
# June's change against May (May place − June place; + is up):
#   2: 汀东 2→3 −1, 澜山 3→2 +1       3: 汀东 1→3 −2, 云栖 2→1 +1, 鹭溪 3→2 +1
#   6: 汀西 4→3 +1                     9: 澜山 2→1 +1, 鹭溪 1→2 −1      every other: 0 (持平)
RANK_CHANGES = {
    2: {TD: -1, LS: 1},
    3: {TD: -2, YQ: 1, LX: 1},
    6: {TX: 1},
    9: {LS: 1, LX: -1},
}

# ---- June scores per indicator (rank steps: points × 100/95/90/85/80 %; 8: completion)
#   1: 云栖 3 × 1 = 3 | 澜山 2 × .95 = 1.9 | 汀东 2 × .9 = 1.8 | 鹭溪 2 × .85 = 1.7 | 汀西 2 × .8 = 1.6
#   2: 云栖 2 | 澜山 1.9 | 汀东 1.8 | 鹭溪 1.7 (4th of the four assessed) | 汀西 不考核
#   3: 云栖 2 | 鹭溪 1.9 | 汀东 1.8 | 汀西 1.7 | 澜山 1.6
#   4: 云栖 1.5 | 汀东 1.5 × .95 = 1.425 | 汀西 1.5 × .9 = 1.35 | 鹭溪 1.5 × .85 = 1.275 | 澜山 2 × .8 = 1.6
#   5: 澜山 2 × 1 = 2 | 云栖 1.5 × .95 = 1.425 | 鹭溪 1.35 | 汀东 1.275 | 汀西 1.5 × .8 = 1.2
#   6: 云栖 2 | 汀东 1.9 | 汀西 = 澜山 2 × .9 = 1.8 | 鹭溪 2 × .8 = 1.6
#   7: 鹭溪 2 | 澜山 1.9 | 云栖 1.8 | 汀东 1.7 | 汀西 1.6
#   8: 汀东 2 × 3300/6000 = 2 × .55 = 1.1 | 汀西 2 × 2750/5000 = 1.1 | 澜山 2 × 1500/3000 = 1
#      鹭溪 2 × 1400/2500 = 2 × .56 = 1.12 | 云栖 2 × 1100/2000 = 1.1
#   9: 澜山 2 | 鹭溪 1.9 | 汀西 1.8 | 汀东 1.7 | 云栖 不考核
#  10: 0 events -> 1; 鹭溪县 1 event -> 0 and no overall place
#  11: unknown for every unit (未报送): no score
#  12: 汀西区 2 events × 1 = −2; the others 0 events -> 0
SCORES = {
    1: {YQ: 3, LS: 1.9, TD: 1.8, LX: 1.7, TX: 1.6},
    2: {YQ: 2, LS: 1.9, TD: 1.8, LX: 1.7, TX: None},
    3: {YQ: 2, LX: 1.9, TD: 1.8, TX: 1.7, LS: 1.6},
    4: {YQ: 1.5, TD: 1.425, TX: 1.35, LX: 1.275, LS: 1.6},
    5: {LS: 2, YQ: 1.425, LX: 1.35, TD: 1.275, TX: 1.2},
    6: {YQ: 2, TD: 1.9, TX: 1.8, LS: 1.8, LX: 1.6},
    7: {LX: 2, LS: 1.9, YQ: 1.8, TD: 1.7, TX: 1.6},
    8: {TD: 1.1, TX: 1.1, LS: 1, LX: 1.12, YQ: 1.1},
    9: {LS: 2, LX: 1.9, TX: 1.8, TD: 1.7, YQ: None},
    10: {TD: 1, TX: 1, LS: 1, LX: 0, YQ: 1},
    11: {u: None for u in UNITS},
    12: {TD: 0, TX: -2, LS: 0, LX: 0, YQ: 0},
}
# ---- June subtotals (score by category) and totals
#   汀东区     1.8 + 1.8 + 1.8 = 5.4 | 1.425 + 1.275 + 1.9 = 4.6  | 1.7 + 1.1 + 1.7 = 4.5  | 1 | 0
#              total 5.4 + 4.6 + 4.5 + 1 = 15.5
#   汀西区     1.6 + 1.7 = 3.3       | 1.35 + 1.2 + 1.8 = 4.35    | 1.6 + 1.1 + 1.8 = 4.5  | 1 | −2
#              total 3.3 + 4.35 + 4.5 + 1 − 2 = 11.15
#   澜山县     1.9 + 1.9 + 1.6 = 5.4 | 1.6 + 2 + 1.8 = 5.4        | 1.9 + 1 + 2 = 4.9      | 1 | 0
#              total 5.4 + 5.4 + 4.9 + 1 = 16.7
#   鹭溪县     1.7 + 1.7 + 1.9 = 5.3 | 1.275 + 1.35 + 1.6 = 4.225 | 2 + 1.12 + 1.9 = 5.02  | 0 | 0
#              total 5.3 + 4.225 + 5.02 + 0 = 14.545
#   云栖高新区 3 + 2 + 2 = 7         | 1.5 + 1.425 + 2 = 4.925    | 1.8 + 1.1 = 2.9        | 1 | 0
#              total 7 + 4.925 + 2.9 + 1 = 15.825
SUBTOTALS = {JUNE: {
    TD: {"经济运行": 5.4, "创新开放": 4.6, "绿色民生": 4.5, "约束条件": 1, "减分项": 0},
    TX: {"经济运行": 3.3, "创新开放": 4.35, "绿色民生": 4.5, "约束条件": 1, "减分项": -2},
    LS: {"经济运行": 5.4, "创新开放": 5.4, "绿色民生": 4.9, "约束条件": 1, "减分项": 0},
    LX: {"经济运行": 5.3, "创新开放": 4.225, "绿色民生": 5.02, "约束条件": 0, "减分项": 0},
    YQ: {"经济运行": 7, "创新开放": 4.925, "绿色民生": 2.9, "约束条件": 1, "减分项": 0},
}, MAY: {
    # May, from the May ranks above (8 by completion: 汀东 2 × 2700/6000 = .9, 汀西 2 × 2300/5000 = .92,
    # 澜山 2 × 1350/3000 = .9, 鹭溪 2 × 1250/2500 = 1, 云栖 2 × 900/2000 = .9; 10: no event anywhere -> 1
    # each; 12: 汀西区 1 event -> −1):
    #   汀东区     1.8 + 1.9 + 2 = 5.7     | 1.425 + 1.275 + 1.9 = 4.6  | 1.7 + .9 + 1.7 = 4.3   | 1 | 0
    #   汀西区     1.6 + 1.7 = 3.3         | 1.35 + 1.2 + 1.7 = 4.25    | 1.6 + .92 + 1.8 = 4.32 | 1 | −1
    #   澜山县     1.9 + 1.8 + 1.6 = 5.3   | 1.6 + 2 + 1.8 = 5.4        | 1.9 + .9 + 1.9 = 4.7   | 1 | 0
    #   鹭溪县     1.7 + 1.7 + 1.8 = 5.2   | 1.275 + 1.35 + 1.6 = 4.225 | 2 + 1 + 2 = 5          | 1 | 0
    #   云栖高新区 3 + 2 + 1.9 = 6.9       | 1.5 + 1.425 + 2 = 4.925    | 1.8 + .9 = 2.7         | 1 | 0
    TD: {"经济运行": 5.7, "创新开放": 4.6, "绿色民生": 4.3, "约束条件": 1, "减分项": 0},
    TX: {"经济运行": 3.3, "创新开放": 4.25, "绿色民生": 4.32, "约束条件": 1, "减分项": -1},
    LS: {"经济运行": 5.3, "创新开放": 5.4, "绿色民生": 4.7, "约束条件": 1, "减分项": 0},
    LX: {"经济运行": 5.2, "创新开放": 4.225, "绿色民生": 5, "约束条件": 1, "减分项": 0},
    YQ: {"经济运行": 6.9, "创新开放": 4.925, "绿色民生": 2.7, "约束条件": 1, "减分项": 0},
}}
TOTALS = {
    JUNE: {TD: 15.5, TX: 11.15, LS: 16.7, LX: 14.545, YQ: 15.825},
    # May: 汀东 5.7 + 4.6 + 4.3 + 1 = 15.6; 汀西 3.3 + 4.25 + 4.32 + 1 − 1 = 11.87;
    #      澜山 5.3 + 5.4 + 4.7 + 1 = 16.4; 鹭溪 5.2 + 4.225 + 5 + 1 = 15.425; 云栖 6.9 + 4.925 + 2.7 + 1 = 15.525
    MAY: {TD: 15.6, TX: 11.87, LS: 16.4, LX: 15.425, YQ: 15.525},
}
# ---- 折算得分 = total / full marks × 100 (exact fractions; two decimals as printed)
#   June: 汀东 15.5/19 = 81.578… (81.58)  汀西 11.15/17 = 65.588… (65.59)  澜山 16.7/20 = 83.5
#         鹭溪 14.545/19 = 76.552… (76.55)  云栖 15.825/18 = 87.916… (87.92)
#   May:  汀东 15.6/19 = 82.105… (82.11)  汀西 11.87/17 = 69.823… (69.82)  澜山 16.4/20 = 82
#         鹭溪 15.425/19 = 81.184… (81.18)  云栖 15.525/18 = 86.25
RATES = {m: {u: F(str(TOTALS[m][u])) / FULL_MARKS[u] * 100 for u in UNITS} for m in (MAY, JUNE)}
RATES_PRINTED = {JUNE: {TD: 81.58, TX: 65.59, LS: 83.5, LX: 76.55, YQ: 87.92},
                 MAY: {TD: 82.11, TX: 69.82, LS: 82, LX: 81.18, YQ: 86.25}}
# ---- overall places
#   June: 云栖 87.92 (1) | 澜山 83.5 (2) | 汀东 81.58 (3) | 汀西 65.59 (4); 鹭溪县 no place (10 happened)
#         (by raw totals 澜山 16.7 would lead 云栖 15.825: the share of each unit's own full marks decides)
#   May:  云栖 86.25 (1) | 汀东 82.11 (2) | 澜山 82 (3) | 鹭溪 81.18 (4) | 汀西 69.82 (5)
PLACES = {JUNE: {YQ: 1, LS: 2, TD: 3, TX: 4, LX: None},
          MAY: {YQ: 1, TD: 2, LS: 3, LX: 4, TX: 5}}
ORDER = {JUNE: [YQ, LS, TD, TX, LX], MAY: [YQ, TD, LS, LX, TX]}  # the 总排名 rows, the unplaced last
# June against May: 云栖 1→1 持平, 澜山 3→2 ↑1, 汀东 2→3 ↓1, 汀西 5→4 ↑1, 鹭溪 4→none (no change)
PLACE_CHANGES = {YQ: 0, LS: 1, TD: -1, TX: 1, LX: None}
CHANGE_TEXT = {YQ: "持平", LS: "↑1", TD: "↓1", TX: "↑1", LX: ""}

# ---- June category blocks (分类得分): places by the share of the category's points
#   经济运行 云栖 7/7 = 100 % (1) | 汀东 5.4/6 = 澜山 5.4/6 = 90 % (2, 2) | 鹭溪 5.3/6 = 88.3 % (4)
#            | 汀西 3.3/4 = 82.5 % (5)
#   创新开放 云栖 4.925/5 = 98.5 % (1) | 汀东 4.6/5 = 92 % (2) | 澜山 5.4/6 = 90 % (3)
#            | 汀西 4.35/5 = 87 % (4) | 鹭溪 4.225/5 = 84.5 % (5)
#   绿色民生 鹭溪 5.02/6 = 83.7 % (1) | 澜山 4.9/6 = 81.7 % (2) | 汀东 = 汀西 4.5/6 = 75 % (3, 3)
#            | 云栖 2.9/4 = 72.5 % (5)
#   约束条件 汀东 = 汀西 = 澜山 = 云栖 1/2 (1) | 鹭溪 0/2 (5)
#   减分项   no points: nobody placed
CATEGORY_PLACES = {
    "经济运行": {YQ: 1, TD: 2, LS: 2, LX: 4, TX: 5},
    "创新开放": {YQ: 1, TD: 2, LS: 3, TX: 4, LX: 5},
    "绿色民生": {LX: 1, LS: 2, TD: 3, TX: 3, YQ: 5},
    "约束条件": {TD: 1, TX: 1, LS: 1, YQ: 1, LX: 5},
    "减分项": {u: None for u in UNITS},
}

# ---- colours (N = 5: 1–2 绿, 3–4 黄, 5 红); events: none 绿, one or more 红; unknown none
COLOUR_OF_RANK = {1: "green", 2: "green", 3: "yellow", 4: "yellow", 5: "red"}
EVENT_COLOURS = {10: {TD: "green", TX: "green", LS: "green", LX: "red", YQ: "green"},
                 11: {u: None for u in UNITS},
                 12: {TD: "green", TX: "red", LS: "green", LX: "green", YQ: "green"}}

# ---- targets as the league shows them (the unit's own; 3's target is words: none)
TARGETS = {no: dict(zip(UNITS, row[4])) for no, row in ((r[0], r) for r in SYSTEM_ROWS) if no in (1, 2, 4, 5, 6, 7, 8, 9)}
for _no in TARGETS:
    for _u in UNITS:
        if TARGETS[_no][_u] == NA:
            TARGETS[_no][_u] = None

# ---- the variant with 澜山县's own report (own_report=True)
# The June peer sheet writes — for 澜山县 on 1; 澜山县's 一览表 says 7.3% there: joined as its
# column, every figure above holds. It also says 增长15.0% on 5 where the city's sheet has 15.8:
# the city's figure is used and the difference named with the file and the cell.
OWN_REPORT_MISSING = (1, LS)
OWN_REPORT_DIFFERS = 5
OWN_REPORT_DIFFERS_CELL = "F10"  # row 10 = the 5th indicator row under a two-row header at 4–5


def r6(x) -> float:
    return float(round(F(str(x)), 6))


# ================================================================== writers
def write_system(path: Path) -> Path:
    """附件1 label; a title merged across; a 单位 line; a two-row header (序号, 指标类别, 考核指标,
    分值, 牵头单位, 备注 merged down; 2024年度目标任务 merged over the unit columns); the
    categories merged down their rows; the 分值 cell of 4 merged over 4–5; targets merged
    across units where they agree; a spacer row and the 注 row."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "指标及目标"
    n_units = len(UNITS)
    ncol = 4 + n_units + 2
    c_unit0, c_lead, c_note = 5, 5 + n_units, 6 + n_units
    ws["A1"] = "附件1"
    ws["A1"].font = Font(name="黑体", size=16)
    ws.cell(2, 1, SYSTEM_TITLE).font = Font(name="方正小标宋简体", size=20)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=ncol)
    ws.cell(3, c_lead, "单位：%、万美元、家、微克/立方米、人")
    ws.merge_cells(start_row=3, start_column=c_lead, end_row=3, end_column=ncol)
    for c, h in [(1, "序\n号"), (2, "指标\n类别"), (3, "考核指标"), (4, "分\n值"), (c_lead, "牵头单位"), (c_note, "备注")]:
        ws.cell(4, c, h)
        ws.merge_cells(start_row=4, start_column=c, end_row=5, end_column=c)
    ws.cell(4, c_unit0, "2024年度目标任务")
    ws.merge_cells(start_row=4, start_column=c_unit0, end_row=4, end_column=c_unit0 + n_units - 1)
    for j, u in enumerate(UNITS):
        ws.cell(5, c_unit0 + j, u)
    first = 6
    cat_rows: dict[str, list[int]] = {}
    for i, (no, cat, name, pts, targets, lead, note) in enumerate(SYSTEM_ROWS):
        r = first + i
        ws.cell(r, 1, no)
        cat_rows.setdefault(cat, []).append(r)
        ws.cell(r, 3, name)
        if pts is not None:
            ws.cell(r, 4, pts)
        c = c_unit0
        for t in targets:
            text, span = t if isinstance(t, tuple) else (t, 1)
            ws.cell(r, c, text)
            if span > 1:
                ws.merge_cells(start_row=r, start_column=c, end_row=r, end_column=c + span - 1)
            c += span
        ws.cell(r, c_lead, lead)
        if note:
            ws.cell(r, c_note, note)
    for cat, rows in cat_rows.items():
        ws.cell(rows[0], 2, cat)
        if len(rows) > 1:
            ws.merge_cells(start_row=rows[0], start_column=2, end_row=rows[-1], end_column=2)
    g0 = first + [x[0] for x in SYSTEM_ROWS].index(SHARED_ROWS[0])
    g1 = first + [x[0] for x in SYSTEM_ROWS].index(SHARED_ROWS[1])
    ws.merge_cells(start_row=g0, start_column=4, end_row=g1, end_column=4)
    last = first + len(SYSTEM_ROWS) - 1
    box(ws, 4, 1, last, ncol)
    r = last + 2
    ws.cell(r, 1, "注：1.“---”表示该区（县、园区）不考核此项指标，不计入其满分；2.分值栏括号内为该区（县、园区）"
                  "适用的分值；3.第4、5项共用一个分值，各项平均分配；4.发生约束条件事项的，取消当年评先评优资格。")
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncol)
    ws.row_dimensions[r].height = 45
    for col, w in zip("ABCDEFGHIJK", (5, 8, 28, 10, 9, 9, 9, 9, 10, 20, 18)):
        ws.column_dimensions[col].width = w
    ws.page_setup.orientation = "landscape"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def _peer_title(month: str) -> str:
    return f"{CITY}2024年1-{int(month[5:])}月各区县（园区）主要指标完成情况"


def write_peers_xls(path: Path, month: str) -> Path:
    """May as the statistics bureau still sends it: .xls, a one-row header, the city's own
    column at the right, a 注 row."""
    head = ["序号", "指标名称", "方向"] + UNITS + [CITY]
    n = len(head)
    rows: list[list[Any]] = [[_peer_title(month)] + [""] * (n - 1),
                             [""] * (n - 2) + ["数据来源：市统计局", ""],
                             head]
    for no, name, direction, vals, city in PEERS[month]:
        rows.append([no, name, direction] + list(vals) + [city])
    rows.append(["注：“—”表示该单位不考核此项指标或数据暂未发布。"] + [""] * (n - 1))
    last = len(rows) - 1
    return write_xls(path, [GSheet(f"1-{int(month[5:])}月", rows, [(0, 0, 0, n - 1), (1, n - 2, 1, n - 1),
                                                                    (last, 0, last, n - 1)])])


def write_peers_xlsx(path: Path, month: str, *, blank: tuple[int, str] | None = None) -> Path:
    """June: a two-row header (2024年1-6月 merged over the unit columns, the units under it;
    序号, 指标名称, 方向 and the city's column merged down), header words with line breaks,
    a 注 row. `blank` = (序号, unit): that cell says — (not yet reported to the city)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = f"1-{int(month[5:])}月"
    n = 3 + len(UNITS) + 1
    ws.cell(1, 1, _peer_title(month)).font = Font(name="方正小标宋简体", size=18)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=n)
    ws.cell(2, n - 1, "数据来源：市统计局")
    ws.merge_cells(start_row=2, start_column=n - 1, end_row=2, end_column=n)
    for c, h in [(1, "序\n号"), (2, "指标名称"), (3, "指标\n方向"), (n, f"{CITY}\n（全市）")]:
        ws.cell(3, c, h)
        ws.merge_cells(start_row=3, start_column=c, end_row=4, end_column=c)
    ws.cell(3, 4, f"2024年1-{int(month[5:])}月")
    ws.merge_cells(start_row=3, start_column=4, end_row=3, end_column=3 + len(UNITS))
    for j, u in enumerate(UNITS):
        ws.cell(4, 4 + j, u)
    for k, (no, name, direction, vals, city) in enumerate(PEERS[month]):
        r = 5 + k
        ws.cell(r, 1, no)
        ws.cell(r, 2, name)
        if direction:
            ws.cell(r, 3, direction)
        for j, v in enumerate(vals):
            if blank == (no, UNITS[j]):
                v = "—"
            ws.cell(r, 4 + j, v)
        ws.cell(r, n, city)
    last = 4 + len(PEERS[month])
    box(ws, 3, 1, last, n)
    ws.cell(last + 1, 1, "注：“—”表示该单位不考核此项指标或数据暂未发布；约束条件、减分项为发生起数。")
    ws.merge_cells(start_row=last + 1, start_column=1, end_row=last + 1, end_column=n)
    for col, w in zip("ABCDEFGHI", (5, 34, 7, 9, 9, 9, 9, 11, 10)):
        ws.column_dimensions[col].width = w
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def write_own_report(path: Path) -> Path:
    """澜山县's own 一览表 for June, filled by its office: 附件2, a title naming the unit, a
    two-row header (截至6月底 / 完成情况 and 排名 under it), 1 filled (the city's sheet lacks it),
    5 filled with another figure than the city's, 6 as the city has it, the rest blank or —,
    and the sign-off line."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "一览表"
    n = 9
    ws["A1"] = "附件2"
    ws.cell(2, 1, f"{LS}2024年度高质量发展综合绩效考核指标完成情况一览表（截至6月底）")
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=n)
    ws.cell(3, 1, f"填报单位：{LS}人民政府办公室")
    ws.merge_cells(start_row=3, start_column=1, end_row=3, end_column=4)
    for c, h in [(1, "序号"), (2, "指标类别"), (3, "指标名称"), (4, "分值"), (5, "2024年\n目标任务"),
                 (8, "预警\n提示"), (9, "牵头单位")]:
        ws.cell(4, c, h)
        ws.merge_cells(start_row=4, start_column=c, end_row=5, end_column=c)
    ws.cell(4, 6, "截至6月底")
    ws.merge_cells(start_row=4, start_column=6, end_row=4, end_column=7)
    ws.cell(5, 6, "完成情况")
    ws.cell(5, 7, "五县区排名")
    figures = {1: ("7.3%", 2), OWN_REPORT_DIFFERS: ("增长15.0%", 1), 6: ("12家", 3)}
    cat_rows: dict[str, list[int]] = {}
    for i, (no, cat, name, pts, targets, lead, _note) in enumerate(SYSTEM_ROWS):
        r = 6 + i
        ws.cell(r, 1, no)
        cat_rows.setdefault(cat, []).append(r)
        ws.cell(r, 3, name)
        own_pts = POINTS.get(no, {}).get(LS)
        if no in SHARED_ROWS:
            own_pts = 4 if no == SHARED_ROWS[0] else None
        if own_pts is not None:
            ws.cell(r, 4, own_pts)
        t = targets[2] if len(targets) == len(UNITS) else targets[0][0]
        ws.cell(r, 5, t)
        if no in figures:
            ws.cell(r, 6, figures[no][0])
            ws.cell(r, 7, figures[no][1])
        elif no not in (10, 11, 12):
            ws.cell(r, 6, "—")
        ws.cell(r, 9, lead.replace("市", "县", 1))
    for cat, rows in cat_rows.items():
        ws.cell(rows[0], 2, cat)
        if len(rows) > 1:
            ws.merge_cells(start_row=rows[0], start_column=2, end_row=rows[-1], end_column=2)
    ws.merge_cells(start_row=6 + SHARED_ROWS[0] - 1, start_column=4, end_row=6 + SHARED_ROWS[1] - 1, end_column=4)
    last = 5 + len(SYSTEM_ROWS)
    box(ws, 4, 1, last, n)
    ws.cell(last + 2, 1, f"填报单位（盖章）：{LS}人民政府办公室    审核人：    填报人：    联系电话：    填报日期：2024年7月4日")
    ws.merge_cells(start_row=last + 2, start_column=1, end_row=last + 2, end_column=n)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


@dataclass
class Built:
    root: Path
    system: Path


def build_workspace(root: Path, *, county: str | None = None, own_report: bool = False) -> Built:
    """The office's workspace: the system, May's .xls and June's .xlsx peer sheets; `county`
    writes kaohe.toml's county (a county run for that unit on the same input/); `own_report`
    blanks 澜山县's 1 in June's sheet and adds 澜山县's own 一览表 with it."""
    inp = root / "input"
    system = write_system(inp / SYSTEM_FILE)
    write_peers_xls(inp / MAY / PEER_FILES[MAY], MAY)
    write_peers_xlsx(inp / JUNE / PEER_FILES[JUNE], JUNE, blank=OWN_REPORT_MISSING if own_report else None)
    if own_report:
        write_own_report(inp / JUNE / OWN_REPORT_FILE)
    toml = f'county = "{county}"\n' if county else ""
    (root / "kaohe.toml").write_text(toml + COMPLETION_TOML, encoding="utf-8")
    return Built(root, system)


def copy_input(src: Path, dst: Path, *, county: str) -> Path:
    """The same input/ in another folder, kaohe.toml naming `county` (a county run for it)."""
    shutil.copytree(src / "input", dst / "input")
    (dst / "kaohe.toml").write_text(f'county = "{county}"\n' + COMPLETION_TOML, encoding="utf-8")
    return dst
