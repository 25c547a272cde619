"""A city's view of five units, built the way clerks make the files, for issue #10:
per-unit points and 不考核 (class 3), deductions and constraints nobody reported
(class 5), and scores that must come out exact (class 8).

The invented city 临港市 assesses five units (城东区, 安平县, 乐安县, 高新区,
临港经济区); we serve 乐安县. Everything here is synthetic. Nothing in this file
calls the code under test: the expected figures below are worked out by hand from
the numbers written into the cells.

Workspace:
    kaohe.toml                       county (optional), completion method for 9, 10, 12
    input/附件1：临港市2024年度区县（园区）高质量发展综合绩效考核指标及目标任务.xlsx
    input/2024-06/临港市2024年1-6月各区县（园区）主要指标.xlsx     the peer sheet
    input/2024-06/乐安县发改局2024年6月指标进展情况.xlsx
    input/2024-06/乐安县商务局6月报表.xls                         (old .xls)
    input/2024-06/乐安县科技局2024年6月指标进展情况.xlsx
    input/2024-06/乐安县生态环境分局6月报表.xlsx
Nobody reports 15 重大群体性事件 (constraint, 1 point) or 17 较大及以上生产安全事故
(deduction, 每发生一起扣2分，最多扣6分).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.styles import Font

from tests.unseen_months import GSheet, write_xls

COUNTY = "乐安县"
CITY = "临港市"
UNITS = ["城东区", "安平县", "乐安县", "高新区", "临港经济区"]
MONTH = "2024-06"
SYSTEM_FILE = "附件1：临港市2024年度区县（园区）高质量发展综合绩效考核指标及目标任务.xlsx"
SYSTEM_TITLE = "临港市2024年度区县（园区）高质量发展综合绩效考核指标及目标任务"
PEER_FILE = "临港市2024年1-6月各区县（园区）主要指标.xlsx"

NA = "---"  # not assessed for that unit
AVG = "按全省平均水平比较考核"
NONE_HAPPEN = "不发生"

# (序号, 一级指标, 指标名称, 分值 cell (None: under the merged cell above),
#  targets for UNITS (a str spanning several units is written as (text, span)), 责任单位, 备注)
SYSTEM_ROWS: list[tuple] = [
    (1, "经济发展", "地区生产总值增速", "3 (高新区6)", [6.5, 6.5, 7, 8, 10], "市发展改革委、市统计局", ""),
    (2, "经济发展", "规模以上工业增加值增速", "4分", [8, 8.5, 8.5, 12, NA], "市经济和信息化局", ""),
    (3, "经济发展", "固定资产投资增速", "2 (乐安县2.5)", [(AVG, 5)], "市发展改革委", ""),
    (4, "经济发展", "社会消费品零售总额增速", 2, [7, 7, NA, NA, NA], "市商务局", ""),
    (5, "开放发展", "实际使用外资", "3 (乐安县6)", [1000, 800, 3000, 3000, 800], "市商务局",
     "5-8项共用分值，平均分配"),
    (6, "开放发展", "外贸进出口总额增速", None, [10, 5, 8, 15, 5], "市商务局", ""),
    (7, "开放发展", "招商引资到位资金", None, [40, 30, 40, 50, 15], "市投资促进局", ""),
    (8, "开放发展", "新签约亿元以上项目个数", None, [12, 8, 10, 15, 5], "市投资促进局", ""),
    (9, "创新驱动", "技术合同成交额占地区生产总值比重", "1.5分", [0.6, 0.2, 0.24, 2.5, 0.3], "市科技局", ""),
    (10, "创新驱动", "高新技术企业净增数", 2, [5, 3, 10, 15, 4], "市科技局", ""),
    (11, "创新驱动", "规上工业企业研发活动覆盖率", "1.5", [45, 40, 40, 60, 35], "市科技局、市统计局", ""),
    (12, "民生保障", "城镇新增就业人数", 2, [5000, 3500, 4000, 1500, 800], "市人力资源社会保障局", ""),
    (13, "民生保障", "居民人均可支配收入增速", "3 (高新区2) (临港经济区2)", [7, 7.5, 7.5, 6, 6],
     "市发展改革委、国家统计局临港调查队", ""),
    (14, "民生保障", "高标准农田建设任务完成率", 2, [("100%", 3), (NA, 2)], "市农业农村局", ""),
    (15, "约束条件", "重大群体性事件", 1, [(NONE_HAPPEN, 5)], "市公安局", "发生即取消评先评优资格"),
    (16, "约束条件", "重大及以上突发环境事件", 1, [(NONE_HAPPEN, 5)], "市生态环境局", "发生即取消评先评优资格"),
    (17, "减分项", "较大及以上生产安全事故", "每发生一起扣2分，\n最多扣6分", [(NONE_HAPPEN, 5)], "市应急管理局", ""),
]
GROUP_ROWS = (5, 8)  # the 分值 cell of 5 is merged down over 5–8

# ------------------------------------------------------------------ the truth, by hand
# Our unit's full marks (乐安县):
#   1: 3 (the override names 高新区, not us)   2: 4   3: 2.5 (乐安县2.5)   4: --- (out)
#   5–8: 6 once (乐安县6 over the merged group; 1.5 a row)
#   9: 1.5   10: 2   11: 1.5   12: 2   13: 3   14: 2 (100%)   15: 1   16: 1   17: deduction (out)
#   3 + 4 + 2.5 + 6 + 1.5 + 2 + 1.5 + 2 + 3 + 2 + 1 + 1 = 29.5
# The other units (for spec's total_points_by_unit):
#   城东区:     3 + 4 + 2 + 2 + 3 + 1.5 + 2 + 1.5 + 2 + 3 + 2 + 1 + 1 = 28
#   安平县:     the same as 城东区 = 28
#   高新区:     6 + 4 + 2 + 0 (4 ---) + 3 + 1.5 + 2 + 1.5 + 2 + 2 + 0 (14 ---) + 1 + 1 = 26
#   临港经济区: 3 + 0 (2 ---) + 2 + 0 + 3 + 1.5 + 2 + 1.5 + 2 + 2 + 0 + 1 + 1 = 19
TOTAL_POINTS = 29.5
TOTAL_POINTS_BY_UNIT = {"城东区": 28, "安平县": 28, "乐安县": 29.5, "高新区": 26, "临港经济区": 19}
POINTS = {1: 3, 2: 4, 3: 2.5, 4: None, 5: 1.5, 6: 1.5, 7: 1.5, 8: 1.5, 9: 1.5, 10: 2, 11: 1.5, 12: 2,
          13: 3, 14: 2, 15: 1, 16: 1}

# Peer sheet: (序号, name, 方向, values in UNITS order, 临港市).
PEERS = [
    (1, "地区生产总值增速", "正向", [7.2, 6.1, 6.5, 8.3, 5.0], 6.6),
    (2, "规模以上工业增加值增速", "正向", [8.0, 7.1, 9.1, 10.4, 6.2], 8.3),
    (3, "固定资产投资增速", "正向", [5.5, 3.2, 2.8, 6.1, -1.5], 3.9),
    (4, "社会消费品零售总额增速", "正向", [6.0, 5.2, 5.8, 4.1, 3.0], 5.4),
    (5, "实际使用外资（万美元）", "正向", [1200, 860, 3500, 3200, 900], 9660),
    (6, "外贸进出口总额增速", "正向", [12.5, -3.0, 4.6, 15.2, 2.0], 8.1),
    (7, "招商引资到位资金（亿元）", "正向", [35.2, 30.1, 38.6, 52.0, 12.3], 168.2),
    (8, "新签约亿元以上项目个数", "正向", [12, 9, 8, 15, 5], 49),
    (11, "规上工业企业研发活动覆盖率", "正向", [42.0, 38.5, 30.2, 65.0, 33.3], 43.1),
    (13, "居民人均可支配收入增速", "正向", [6.1, 6.6, 6.8, 5.9, 7.0], 6.5),
    (14, "高标准农田建设任务完成率", "正向", [85.0, 92.0, 96.5, "—", "—"], 91.2),
]

# 乐安县's rank among the five, by hand (higher is better throughout; ties none):
#   1: 8.3 7.2 [6.5] -> 3        2: 10.4 [9.1] -> 2          3: 6.1 5.5 3.2 [2.8] -> 4
#   5: [3500] -> 1               6: 15.2 12.5 [4.6] -> 3     7: 52.0 [38.6] -> 2
#   8: 15 12 9 [8] -> 4          11: [30.2] is the lowest -> 5
#   13: 7.0 [6.8] -> 2           14: [96.5] 92.0 85.0 (two units ---) -> 1
RANKS = {1: 3, 2: 2, 3: 4, 5: 1, 6: 3, 7: 2, 8: 4, 11: 5, 13: 2, 14: 1}

# Scores (rank steps, 5 % a place: 100 %, 95 %, 90 %, 85 %, 80 %; completion: points × actual/target):
#   1: 3 × 0.90 = 2.7       2: 4 × 0.95 = 3.8        3: 2.5 × 0.85 = 2.125
#   5: 1.5 × 1 = 1.5        6: 1.5 × 0.90 = 1.35     7: 1.5 × 0.95 = 1.425    8: 1.5 × 0.85 = 1.275
#   9: 1.5 × 0.20/0.24 = 1.25          10: 2 × 7/10 = 1.4        11: 1.5 × 0.80 = 1.2
#   12: 2 × 3300/4000 = 1.65           13: 3 × 0.95 = 2.85       14: 2 × 1 = 2
#   16: reported 未发生: 1
SCORES = {1: 2.7, 2: 3.8, 3: 2.125, 5: 1.5, 6: 1.35, 7: 1.425, 8: 1.275, 9: 1.25, 10: 1.4, 11: 1.2,
          12: 1.65, 13: 2.85, 14: 2, 16: 1}
# Subtotals by category (points, score) when unreported items are unknown:
#   经济发展 3 + 4 + 2.5 = 9.5;  2.7 + 3.8 + 2.125 = 8.625
#   开放发展 6;                  1.5 + 1.35 + 1.425 + 1.275 = 5.55
#   创新驱动 1.5 + 2 + 1.5 = 5;  1.25 + 1.4 + 1.2 = 3.85
#   民生保障 2 + 3 + 2 = 7;      1.65 + 2.85 + 2 = 6.5
#   约束条件 1 + 1 = 2;          1 (15 unknown)
#   减分项   0;                  0 (17 unknown)
SUBTOTALS = {"经济发展": (9.5, 8.625), "开放发展": (6, 5.55), "创新驱动": (5, 3.85), "民生保障": (7, 6.5),
             "约束条件": (2, 1), "减分项": (0, 0)}
# total 8.625 + 5.55 + 3.85 + 6.5 + 1 = 25.525
TOTAL = 25.525
# With unreported_events = "none" (the old reading): 15 counts as not happened (+1), 17 deducts 0.
SUBTOTALS_OLD = dict(SUBTOTALS, 约束条件=(2, 2))
TOTAL_OLD = 26.525
# Points that depend on what nobody reported: 15 its 1 point, 17 its cap of 6.
POINTS_AT_STAKE = 7
UNREPORTED = [15, 17]

COMPLETION_TOML = """
[indicators."9"]
method = "completion"

[indicators."10"]
method = "completion"

[indicators."12"]
method = "completion"
"""

from tests.xl_style import box as _box, put_rows  # noqa: E402


def _stamp(path: Path, day: dt.date) -> None:
    t = dt.datetime(day.year, day.month, day.day, 17, 30).timestamp()
    os.utime(path, (t, t))


# ------------------------------------------------------------------ the indicator system
def write_system(path: Path) -> Path:
    """附件1 label; title merged across; a 单位 line; a two-row header (序号, 一级指标,
    指标名称, 分\\n值, 责任单位, 备注 merged down; 2024年目标任务 merged over the five
    unit columns); 一级指标 merged down its rows; the 分值 cell of 5 merged over 5–8;
    targets merged across units where they agree; a blank spacer row and the 注 rows."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "考核指标"
    ncol = 5 + len(UNITS) + 1  # 序号 一级 名称 分值 | units | 责任单位 备注
    c_unit0, c_lead, c_note = 5, 5 + len(UNITS), 6 + len(UNITS)
    ws["A1"] = "附件1"
    ws["A1"].font = Font(name="黑体", size=16)
    ws.cell(2, 1, SYSTEM_TITLE).font = Font(name="方正小标宋简体", size=20)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=ncol)
    ws.cell(3, c_lead, "单位：%、个、万美元、亿元")
    ws.merge_cells(start_row=3, start_column=c_lead, end_row=3, end_column=ncol)
    for c, h in [(1, "序号"), (2, "一级\n指标"), (3, "指标名称"), (4, "分\n值"), (c_lead, "责任单位"), (c_note, "备注")]:
        ws.cell(4, c, h)
        ws.merge_cells(start_row=4, start_column=c, end_row=5, end_column=c)
    ws.cell(4, c_unit0, "2024年目标任务")
    ws.merge_cells(start_row=4, start_column=c_unit0, end_row=4, end_column=c_unit0 + len(UNITS) - 1)
    for j, u in enumerate(UNITS):
        ws.cell(5, c_unit0 + j, u)
    first = 6
    cat_first: dict[str, int] = {}
    for i, (no, cat, name, pts, targets, lead, note) in enumerate(SYSTEM_ROWS):
        r = first + i
        ws.cell(r, 1, no)
        if cat not in cat_first:
            cat_first[cat] = r
            ws.cell(r, 2, cat)
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
    last = first + len(SYSTEM_ROWS) - 1
    for cat, start in cat_first.items():
        end = start + sum(1 for x in SYSTEM_ROWS if x[1] == cat) - 1
        if end > start:
            ws.merge_cells(start_row=start, start_column=2, end_row=end, end_column=2)
    g0 = first + [x[0] for x in SYSTEM_ROWS].index(GROUP_ROWS[0])
    g1 = first + [x[0] for x in SYSTEM_ROWS].index(GROUP_ROWS[1])
    ws.merge_cells(start_row=g0, start_column=4, end_row=g1, end_column=4)
    _box(ws, 4, 1, last, ncol)
    # a blank spacer row, then the notes
    r = last + 2
    ws.cell(r, 1, "注：1.“---”表示该区（县、园区）不考核此项指标，不计入其总分；2.分值栏括号内为该区（县、园区）"
                  "适用的分值，未注明的按基本分值计分；3.第5-8项共用一个分值，各项平均分配。")
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncol)
    ws.row_dimensions[r].height = 45
    for col, w in zip("ABCDEFGHIJK", (6, 8, 30, 10, 9, 9, 9, 9, 10, 22, 18)):
        ws.column_dimensions[col].width = w
    ws.page_setup.orientation = "landscape"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


# ------------------------------------------------------------------ the peer sheet
def write_peers(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "1-6月"
    head = ["序号", "指标名称", "方向"] + UNITS + [CITY]
    ncol = len(head)
    ws.cell(1, 1, "临港市2024年1-6月各区县（园区）高质量发展主要指标完成情况")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncol)
    ws.cell(2, ncol - 1, "数据来源：市统计局")
    ws.merge_cells(start_row=2, start_column=ncol - 1, end_row=2, end_column=ncol)
    for i, h in enumerate(head, 1):
        ws.cell(3, i, h)
    for k, (no, name, direction, vals, city) in enumerate(PEERS):
        r = 4 + k
        ws.cell(r, 1, no)
        ws.cell(r, 2, name)
        ws.cell(r, 3, direction)
        for j, v in enumerate(vals):
            ws.cell(r, 4 + j, v)
        ws.cell(r, 4 + len(UNITS), city)
    last = 3 + len(PEERS)
    _box(ws, 3, 1, last, ncol)
    ws.cell(last + 1, 1, "注：“—”表示该单位不考核此项指标或数据暂未发布。")
    ws.merge_cells(start_row=last + 1, start_column=1, end_row=last + 1, end_column=ncol)
    wb.save(path)
    return path


# ------------------------------------------------------------------ department sheets
HEAD = ["序号", "指标名称", "截至本月底\n完成情况", "排名", "存在问题", "下步举措"]
SIGN = "填报单位（盖章）：{unit}    主要负责人：    填报人：    联系电话：    填报日期：{date}"


def _dept_xlsx(path: Path, title: str, rows: list[list[Any]], unit: str, date: str, sheet: str = "6月") -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    n = len(HEAD)
    ws.cell(1, 1, "附件2")
    ws.cell(2, 1, title)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=n)
    r = put_rows(ws, 3, [HEAD] + list(rows))
    _box(ws, 3, 1, r, n)
    r += 1
    ws.cell(r, 1, SIGN.format(unit=unit, date=date))
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=n)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def write_departments(folder: Path) -> None:
    # 发改局: GDP, 固投, 收入; the values as the peer sheet has them, ranks as written
    p = _dept_xlsx(folder / "乐安县发改局2024年6月指标进展情况.xlsx",
                   "乐安县发展和改革局2024年1-6月高质量发展综合绩效考核指标进展情况表", [
                       [1, "地区生产总值增速", "增长6.5%", "第3名", "工业拉动偏弱", "加快重点项目入统"],
                       [3, "固定资产投资增速", "2.8%", 4, "新开工项目偏少", "开展项目建设攻坚"],
                       [13, "居民人均可支配收入增速", "6.8%", "2", None, None],
                   ], "乐安县发展和改革局", "2024年7月3日")
    _stamp(p, dt.date(2024, 7, 3))

    # 商务局 (.xls): the four rows sharing one points cell in the system
    rows: list[list[Any]] = [
        ["附件2", "", "", "", "", ""],
        ["乐安县商务局2024年1-6月指标进展情况表", "", "", "", "", ""],
        HEAD,
        [5, "实际使用外资", "3500万美元", "1", "", ""],
        [6, "外贸进出口总额增速", "增长4.6%", "第三名", "订单减少", "组织企业参展"],
        [7, "招商引资到位资金", "38.6亿元", "2", "", ""],
        [8, "新签约亿元以上项目个数", "8个", "4", "大项目储备不足", "加大招商力度"],
        ["", "", "", "", "", ""],
        [SIGN.format(unit="乐安县商务局", date="2024年7月4日"), "", "", "", "", ""],
    ]
    p = write_xls(folder / "乐安县商务局6月报表.xls",
                  [GSheet("6月", rows, [(1, 0, 1, 5), (8, 0, 8, 5)])])
    _stamp(p, dt.date(2024, 7, 4))

    # 科技局: the two completion items and the rank item
    p = _dept_xlsx(folder / "乐安县科技局2024年6月指标进展情况.xlsx",
                   "乐安县科学技术局2024年1-6月高质量发展综合绩效考核指标进展情况表", [
                       [9, "技术合同成交额占地区生产总值比重", "0.20%", "/", "技术市场活跃度不高", "培育技术经纪人"],
                       [10, "高新技术企业净增数", "7家", "/", None, None],
                       [11, "规上工业企业研发活动覆盖率", "30.2%", "5", "中小企业研发意愿弱", "落实研发费用加计扣除"],
                   ], "乐安县科学技术局", "2024年7月5日")
    _stamp(p, dt.date(2024, 7, 5))

    p = _dept_xlsx(folder / "乐安县人社局2024年6月指标进展情况.xlsx",
                   "乐安县人力资源和社会保障局2024年1-6月指标进展情况表", [
                       [12, "城镇新增就业人数", "3,300人", "/", None, None],
                   ], "乐安县人力资源和社会保障局", "2024年7月5日")
    _stamp(p, dt.date(2024, 7, 5))

    p = _dept_xlsx(folder / "乐安县生态环境分局6月报表.xlsx",
                   "临港市生态环境局乐安县分局2024年1-6月指标进展情况表", [
                       [16, "重大及以上突发环境事件", "未发生", "/", None, None],
                   ], "临港市生态环境局乐安县分局", "2024年7月2日")
    _stamp(p, dt.date(2024, 7, 2))
    # 公安局 (15) and 应急管理局 (17) sent nothing; 经信局 (2), 农业农村局 (14) neither:
    # their values come from the peer sheet.


@dataclass
class Built:
    root: Path
    system: Path


def build_workspace(root: Path, *, county_in_toml: bool = True, unreported_events: str | None = None) -> Built:
    inp = root / "input"
    month_dir = inp / MONTH
    month_dir.mkdir(parents=True)
    system = write_system(inp / SYSTEM_FILE)
    write_peers(month_dir / PEER_FILE)
    write_departments(month_dir)
    toml = ""
    if county_in_toml:
        toml += f'county = "{COUNTY}"\n'
    if unreported_events is not None:
        toml += f'unreported_events = "{unreported_events}"\n'
    toml += COMPLETION_TOML
    (root / "kaohe.toml").write_text(toml, encoding="utf-8")
    return Built(root, system)
