"""A county the project never saw: 郏县 among 平顶山's six, 2024, built from scratch the
way clerks make their files (merged titles, 附件 labels, wrapped headers, a category
column merged vertically, 注 rows, sign-off lines, one .xls), with its own numbering in
the city's peer sheet, the city's own column, ties, missing values and reverse
indicators marked three different ways.

The expected ranks and colours below are worked out by hand from the numbers in this
file (competition ranking, 1–2 green / 3–4 yellow / 5–6 red); nothing here calls the
assessment code. The workspace is run with a kaohe.toml, without one (the county must
then be found in the files, not fall back to the demo's 叶县), and without one again
with the peer sheet laid out as cities also print it (each county over 完成值 | 位次).
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import Font

COUNTY = "郏县"
MONTH = "2024-05"
# Peer sheet column order, the city's own total first (a reference, never ranked).
CITY = "平顶山市"
COUNTIES = ["汝州市", "舞钢市", "宝丰县", "叶县", "郏县", "鲁山县"]

# (序号, category, name in the system, 分值 text, lead, support, 备注)
SYSTEM = [
    (1, "经济发展", "地区生产总值增速", "5分", "县发改委", "县统计局", ""),
    (2, "经济发展", "规模以上工业增加值增速", "5分", "县科工信局", "县统计局", ""),
    (3, "经济发展", "固定资产投资增速", "4分", "县发改委", "", ""),
    (4, "经济发展", "社会消费品零售总额增速", "4分", "县商务局", "县统计局", ""),
    (5, "经济发展", "一般公共预算收入增速", "4分", "县财政局", "县税务局", ""),
    (6, "经济发展", "税收收入占一般公共\n预算收入比重", "3分", "县财政局", "县税务局", ""),
    (7, "经济发展", "实际利用外资", "2分", "县商务局", "", ""),
    (8, "经济发展", "外贸进出口总额增速", "2分", "县商务局", "", ""),
    (9, "创新驱动", "研究与试验发展经费\n投入强度", "3分", "县科工信局", "县统计局", ""),
    (10, "创新驱动", "高新技术企业净增数", "3分", "县科工信局", "", ""),
    (11, "创新驱动", "技术合同成交额增速", "2分", "县科工信局", "", ""),
    (12, "创新驱动", "规上工业企业研发活动覆盖率", "2分", "县科工信局", "", ""),
    (13, "生态环保", "PM2.5平均浓度", "3分", "县生态环境分局", "", ""),
    (14, "生态环保", "空气质量优良天数比例", "3分", "县生态环境分局", "", ""),
    (15, "生态环保", "单位地区生产总值能耗降低率", "2分", "县发改委", "", ""),
    (16, "生态环保", "万元工业增加值用水量", "2分", "县科工信局", "县水利局", ""),
    (17, "民生保障", "城镇调查失业率", "2分", "县人社局", "", ""),
    (18, "民生保障", "城乡居民人均可支配\n收入增速", "3分", "县人社局", "县农业农村局", ""),
    (19, "民生保障", "城镇新增就业人数", "2分", "县人社局", "", ""),
    (20, "民生保障", "城乡居民基本养老保险参保率", "2分", "县人社局", "", ""),
    (21, "政府治理", "“三公”经费支出占一般公共预算支出比重", "2分", "县财政局", "", "逆向指标"),
    (22, "政府治理", "每万人刑事案件立案数（逆向）", "2分", "县公安局", "", ""),
    (23, "政府治理", "耕地保有量任务完成率", "2分", "县自然资源局", "", ""),
    (24, "政府治理", "国有土地出让收入增速", "2分", "县自然资源局", "县财政局", ""),
    (25, "政府治理", "群众安全感满意度", "2分", "县公安局", "", ""),
    (26, "安全稳定", "较大及以上生产安全事故", "扣2分", "县应急管理局", "", "每发生1起扣1分，最多扣2分"),
    (27, "安全稳定", "重大群体性事件", "约束条件", "县公安局", "县信访局", "发生即取消评优资格"),
]

# The city's sheet: its own numbering and wording, the city first, then the six.
# (city 序号, name as the city writes it, 方向, city value, values in COUNTIES order, system 序号)
PEERS = [
    (1, "地区生产总值增速", "", 6.3, [7.2, 6.1, 6.8, 5.9, 6.5, 5.2], 1),
    (2, "规模以上工业增加值增速", "", 8.1, [8.0, 9.1, 8.0, 7.5, 8.0, 6.0], 2),
    (3, "固定资产投资增速", "", 9.0, [10.2, "—", 9.8, 12.0, 3.5, 11.0], 3),
    (4, "社会消费品零售总额增速", "", 5.2, [5.5, 5.0, 5.0, 6.0, 5.0, 4.0], 4),
    (5, "一般公共预算收入增速", "", "5.1%", ["8.2%", "-1.5%", "3.0%", "下降0.5%", "12.6%", "4.4%"], 5),
    (6, "税收收入占一般公共预算收入比重", "", 64.0, [70.1, 65.3, 68.0, 62.2, 60.5, 58.9], 6),
    (7, "R&D经费投入强度（研究与试验发展经费投入强度）", "", 1.6, [2.1, 1.8, 1.5, 1.2, 1.8, 0.9], 9),
    (8, "规上工业企业研发活动覆盖率", "", 42.0, [50.2, 38.0, 45.0, 41.3, "/", 30.0], 12),
    (9, "PM2.5平均浓度", "", 43, [48, 39, 45, 42, 45, 36], 13),
    (10, "空气质量优良天数比例", "", 70.0, [65.2, 75.0, 70.1, 68.3, 72.4, 80.6], 14),
    (11, "单位地区生产总值能耗降低率", "", 3.2, [3.1, 2.5, 4.0, 3.3, 3.5, 2.8], 15),
    (12, "万元工业增加值用水量", "逆向", 11.8, [12.5, 9.8, 11.0, 14.2, 10.5, 13.0], 16),
    (13, "城镇调查失业率", "", 5.1, [5.1, 4.8, 5.0, 5.3, 5.5, 4.9], 17),
    (14, "城乡居民人均可支配收入增速", "", 6.7, [6.8, 6.5, 6.6, 6.9, 6.6, 7.0], 18),
    (15, "“三公”经费支出占一般公共预算支出比重", "", 0.5, [0.52, 0.48, 0.61, 0.55, 0.46, 0.47], 21),
    (16, "每万人刑事案件立案数", "", 7.0, [8.2, 6.5, 7.1, 9.0, 6.0, 5.9], 22),
    (17, "国有土地出让收入增速", "", -9.6, [-12.0, -5.5, -20.3, -8.0, "下降8.0%", "暂无"], 24),
]

# 序号 -> (rank, 预警提示) for 郏县, worked out by hand; None = no rank / no colour.
EXPECTED = {
    1: (3, "黄"),   # 7.2 6.8 [6.5] 6.1 5.9 5.2; the 发改委 sheet claims 2
    2: (2, "绿"),   # 9.1, then 8.0 ×3 share 2nd
    3: (5, "红"),   # 舞钢市 missing: 12.0 11.0 10.2 9.8 [3.5] -> 5th of 5
    4: (3, "黄"),   # 6.0 5.5, then 5.0 ×3 share 3rd
    5: (1, "绿"),   # 12.6% is the best (percent strings, 下降0.5% = -0.5)
    6: (5, "红"),   # 70.1 68.0 65.3 62.2 [60.5] 58.9
    7: (3, "黄"),   # not in the peer sheet: 商务局 writes 第三名
    8: (5, "红"),   # 商务局 writes 5/6
    9: (2, "绿"),   # 2.1, then 1.8 ×2 (the city's row is named differently)
    10: (1, "绿"),  # 科工信局 writes 第1名
    11: (6, "红"),  # 科工信局 writes full-width ６
    12: (2, "绿"),  # 郏县 blank in the peer sheet, 45.0 from the 月报: ties 宝丰县 behind 50.2
    13: (4, "黄"),  # reverse by name (浓度): 36 39 42 [45 45] 48 -> 4th, shared
    14: (3, "黄"),  # 80.6 75.0 [72.4]
    15: (2, "绿"),  # 降低率 is higher-is-better despite 能耗: 4.0 [3.5]
    16: (2, "绿"),  # reverse only in the peer sheet's 方向 column: 9.8 [10.5]
    17: (6, "红"),  # reverse by name (失业率): [5.5] is the highest
    18: (4, "黄"),  # 7.0 6.9 6.8, then 6.6 ×2 share 4th
    19: (2, "绿"),  # 人社局 writes 第2位
    20: (3, "黄"),  # 人社局 writes '3' as text
    21: (1, "绿"),  # reverse only in the system's 备注: [0.46] is the lowest
    22: (2, "绿"),  # reverse only by （逆向） in the system's name: 5.9 [6.0]
    23: (None, None),  # 自然资源局 sent nothing and the peer sheet lacks it
    24: (2, "绿"),  # 自然资源局 missing, but the peer sheet ranks it: -5.5, then -8.0 ×2; 鲁山县 暂无
    25: (4, "黄"),  # 公安局 writes 4
    26: (None, "绿"),  # deduction item, 未发生: no rank, green
    27: (None, "绿"),  # constraint, 无: no rank, green
}

from tests.xl_style import box as _box  # noqa: E402


# ------------------------------------------------------------------ the indicator system
def write_system(path: Path) -> None:
    """附件1 task-division table: two-row header (责任单位 over 牵头/配合), the category
    column merged down its rows, a 合计 row and a 注 row."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "任务分工"
    ws["A1"] = "附件1"
    ws["A1"].font = Font(name="黑体", size=16)
    ws["A2"] = "郏县2024年度高质量发展综合绩效考核指标任务分工表"
    ws["A2"].font = Font(name="方正小标宋简体", size=20)
    ws.merge_cells("A2:H2")
    heads = ["序号", "指标\n类别", "考核指标", "分值", "责任单位", None, "备注"]
    for i, h in enumerate(heads, 1):
        ws.cell(3, i, h)
    ws.cell(4, 5, "牵头单位")
    ws.cell(4, 6, "配合单位")
    for col in "ABCDG":
        ws.merge_cells(f"{col}3:{col}4")
    ws.merge_cells("E3:F3")
    r = 5
    first_of: dict[str, int] = {}
    for no, cat, name, pts, lead, support, note in SYSTEM:
        ws.cell(r, 1, no)
        if cat not in first_of:
            first_of[cat] = r
            ws.cell(r, 2, cat)
        ws.cell(r, 3, name)
        ws.cell(r, 4, int(pts[:-1]) if pts.endswith("分") and pts[:-1].isdigit() else pts)
        ws.cell(r, 5, lead)
        ws.cell(r, 6, support or None)
        ws.cell(r, 7, note or None)
        r += 1
    for cat, start in first_of.items():
        end = start + sum(1 for x in SYSTEM if x[1] == cat) - 1
        if end > start:
            ws.merge_cells(start_row=start, start_column=2, end_row=end, end_column=2)
    ws.cell(r, 1, "合计")
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=3)
    ws.cell(r, 4, sum(int(x[3][:-1]) for x in SYSTEM if x[3].endswith("分") and x[3][:-1].isdigit()))
    _box(ws, 3, 1, r, 7)
    r += 1
    ws.cell(r, 1, "注：1.逆向指标数值越低排名越靠前；2.减分项、约束条件不计入合计分值。")
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=7)
    for col, w in zip("ABCDEFG", (6, 8, 34, 8, 14, 14, 22)):
        ws.column_dimensions[col].width = w
    wb.save(path)


# ------------------------------------------------------------------ the peer sheet
def write_peers(path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "1-5月"
    ncol = 4 + 1 + len(COUNTIES)
    ws.cell(1, 1, "平顶山市六县（市）高质量发展主要指标完成情况（2024年1-5月）")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncol)
    head = ["序号", "指标名称", "单位", "方向", CITY] + COUNTIES
    for i, h in enumerate(head, 1):
        ws.cell(2, i, h)
    units = {13: "微克/立方米", 16: "立方米", 22: "件"}
    for k, (cno, name, direction, city, vals, sys_no) in enumerate(PEERS):
        r = 3 + k
        ws.cell(r, 1, cno)
        ws.cell(r, 2, name)
        ws.cell(r, 3, units.get(sys_no, "%"))
        ws.cell(r, 4, direction or None)
        ws.cell(r, 5, city)
        for j, v in enumerate(vals):
            ws.cell(r, 6 + j, v)
    _box(ws, 2, 1, 2 + len(PEERS), ncol)
    r = 3 + len(PEERS)
    ws.cell(r, 1, "注：数据来源于市统计局、市生态环境局；“—”“/”“暂无”为数据暂未发布。")
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncol)
    wb.save(path)


def _number(v):
    """The number a clerk means by a peer cell (None when not yet published)."""
    if isinstance(v, (int, float)):
        return float(v)
    t = v.strip().rstrip("%")
    if t.startswith("下降"):
        return -float(t[2:])
    try:
        return float(t)
    except ValueError:
        return None


def write_peers_paired(path: Path) -> None:
    """The same figures as the city also prints them: each county over 完成值 | 位次 (the
    city's own ranks beside the values), 方向 written out for every row, 全市 last."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ncol = 3 + 2 * len(COUNTIES) + 1
    ws.cell(1, 1, "全市六县（市）高质量发展主要指标及位次（2024年1-5月）")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncol)
    for i, h in enumerate(["序号", "指标名称", "指标\n方向"], 1):
        ws.cell(2, i, h)
        ws.merge_cells(start_row=2, start_column=i, end_row=3, end_column=i)
    for j, county in enumerate(COUNTIES):
        col = 4 + 2 * j
        ws.cell(2, col, county)
        ws.merge_cells(start_row=2, start_column=col, end_row=2, end_column=col + 1)
        ws.cell(3, col, "完成值")
        ws.cell(3, col + 1, "位次")
    ws.cell(2, ncol, "全市")
    ws.merge_cells(start_row=2, start_column=ncol, end_row=3, end_column=ncol)
    lower = {13, 16, 17, 21, 22}
    for k, (cno, name, _d, city, vals, sys_no) in enumerate(PEERS):
        r = 4 + k
        ws.cell(r, 1, cno)
        ws.cell(r, 2, name)
        ws.cell(r, 3, "逆向" if sys_no in lower else "正向")
        nums = [_number(v) for v in vals]
        for j, v in enumerate(vals):
            ws.cell(r, 4 + 2 * j, v)
            if nums[j] is not None:
                better = sum(1 for x in nums if x is not None and (x < nums[j] if sys_no in lower else x > nums[j]))
                ws.cell(r, 5 + 2 * j, 1 + better)
        ws.cell(r, ncol, city)
    _box(ws, 2, 1, 3 + len(PEERS), ncol)
    wb.save(path)


# ------------------------------------------------------------------ department sheets
SIGN = "填报单位（盖章）：{unit}        主要负责人：        填报人：        联系电话：        填报日期：{date}"


def _sheet_with(ws, title: str | None, header: list[str], rows: list[list], foot: list[str]) -> None:
    r = 1
    if title:
        ws.cell(1, 1, "附件2")
        ws.cell(2, 1, title)
        ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(header))
        r = 3
    for i, h in enumerate(header, 1):
        ws.cell(r, i, h)
    top = r
    for row in rows:
        r += 1
        for i, v in enumerate(row, 1):
            ws.cell(r, i, v)
    _box(ws, top, 1, r, len(header))
    for line in foot:
        r += 1
        ws.cell(r, 1, line)
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=len(header))


def _xlsx(path: Path, title, header, rows, foot, sheet="Sheet1") -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    _sheet_with(ws, title, header, rows, foot)
    wb.save(path)


def _xls(path: Path, title, header, rows, foot) -> None:
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("5月")
    wrap = xlwt.easyxf("align: wrap on, vert centre; borders: left thin, right thin, top thin, bottom thin")
    ws.write(0, 0, "附件2")
    ws.write_merge(1, 1, 0, len(header) - 1, title)
    for i, h in enumerate(header):
        ws.write(2, i, h, wrap)
    r = 2
    for row in rows:
        r += 1
        for i, v in enumerate(row):
            ws.write(r, i, v, wrap)
    for line in foot:
        r += 1
        ws.write_merge(r, r, 0, len(header) - 1, line)
    wb.save(str(path))


def _stamp(path: Path, day: dt.date) -> None:
    t = dt.datetime(day.year, day.month, day.day, 17, 30).timestamp()
    os.utime(path, (t, t))


def write_departments(folder: Path) -> None:
    std = ["序号", "指标名称", "分值", "2023年度完成\n情况（位次）", "2024年度\n县定目标", "截至5月底\n完成情况",
           "六县市\n排名", "预警\n提示", "存在问题", "下步举措"]
    # 发改委: ranks as numbers, some stale (GDP 2nd, 能耗 4th) or blank; the peer sheet decides
    p = folder / "郏县发改委2024年5月指标进展情况.xlsx"
    _xlsx(p, "郏县发改委2024年1-5月高质量发展综合绩效考核指标进展情况表", std, [
        ["一、经济发展"],
        [1, "地区生产总值增速", 5, "6.1%（4）", "7%", "增长6.5%", 2, "绿", "工业拉动不足", "加快项目入统"],
        [3, "固定资产投资\n增速", 4, "8.5%（2）", "10%", "3.5%", None, None, "新开工项目少", "开展百日攻坚"],
        ["三、生态环保"],
        [15, "单位地区生产总值能耗降低率", 2, "3.0%（3）", "3.2%", "3.5%", 4, "黄", None, None],
        ["注：排名为在全市六县（市）中的位次。"],
    ], [SIGN.format(unit="郏县发展和改革委员会", date="2024年6月3日")])
    _stamp(p, dt.date(2024, 6, 3))

    # 科工信局: no title rows, ranks as 第1名 and full-width ６, 覆盖率 blank in the peer sheet
    p = folder / "科工信局5月报表.xlsx"
    _xlsx(p, None, ["序号", "考核指标", "牵头单位", "2023年完成情况\n（位次）", "2024年\n目标任务",
                    "1-5月\n完成情况", "在六县（市）\n中排名", "存在问题及下步措施"], [
        [2, "规模以上工业增加值增速", "县科工信局", "7.9%（3）", "8.5%", "8.0%", "2", None],
        [9, "研究与试验发展经费投入强度", "县科工信局", "1.7%（2）", "2.0%", "1.8%", "3", None],
        [10, "高新技术企业净增数", "县科工信局", "5家（2）", "8家", "6家", "第1名", None],
        [11, "技术合同成交额增速", "县科工信局", "20%（5）", "25%", "-3.2%", "６", "技术市场不活跃"],
        [12, "规上工业企业研发活动覆盖率", "县科工信局", "40%（3）", "50%", "45.0%", None, None],
        [16, "万元工业增加值用水量", "县科工信局", "11.2（3）", "10.5", "10.5立方米", 4, None],
    ], ["填报单位：郏县科技和工业信息化局（盖章）    填报人：王某    填报日期：2024年6月4日"],
        sheet="5月")
    _stamp(p, dt.date(2024, 6, 4))

    # 商务局: an old .xls, ranks as 第三名 and 5/6
    p = folder / "郏县商务局2024年5月指标进展情况.xls"
    _xls(p, "郏县商务局2024年1-5月高质量发展综合绩效考核指标进展情况表",
         ["序号", "指标内容", "截至本月底\n完成情况", "六县市\n排名", "备注"], [
             [4, "社会消费品零售总额增速", "5.0%", "3", ""],
             [7, "实际利用外资", "1250万美元", "第三名", ""],
             [8, "外贸进出口总额增速", "-8.1%", "5/6", "订单下滑"],
         ], [SIGN.format(unit="郏县商务局", date="2024年6月5日")])
    _stamp(p, dt.date(2024, 6, 5))

    # 财政局: category section rows, 三公 ratio
    p = folder / "郏县财政局2024年5月指标进展情况.xlsx"
    _xlsx(p, "郏县财政局2024年1-5月指标进展情况表", std, [
        ["一、经济发展"],
        [5, "一般公共预算收入增速", 4, "10.2%（1）", "8%", "12.6%", 1, "绿", None, None],
        [6, "税收收入占一般公共预算收入比重", 3, "63.0%（4）", "65%", "60.5%", None, None, "非税收入占比偏高", None],
        ["五、政府治理"],
        [21, "“三公”经费支出占一般公共预算支出比重", 2, "0.5%（2）", "≤0.5%", "0.46%", 6, "红", None, None],
    ], [SIGN.format(unit="郏县财政局", date="2024年6月6日")])
    _stamp(p, dt.date(2024, 6, 6))

    # 生态环境分局: sheet named for the month, ranks left blank (the peer sheet came later)
    p = folder / "生态环境分局5月份报表.xlsx"
    _xlsx(p, "市生态环境局郏县分局2024年1-5月指标进展情况表", std, [
        [13, "PM2.5平均浓度", 3, "46（4）", "43", "45微克/立方米", None, None, None, None],
        [14, "空气质量优良天数比例", 3, "70.5%（3）", "72%", "72.4%", None, None, None, None],
    ], [SIGN.format(unit="郏县生态环境分局", date="2024年6月2日")], sheet="5月")
    _stamp(p, dt.date(2024, 6, 2))

    # 人社局: late (after the 6th of the next month), ranks as 第2位 and text '3'
    p = folder / "郏县人社局2024年5月指标进展情况.xlsx"
    _xlsx(p, "郏县人社局2024年1-5月高质量发展综合绩效考核指标进展情况表", std, [
        [17, "城镇调查失业率", 2, "5.2%（5）", "≤5.5%", "5.5%", None, None, None, None],
        [18, "城乡居民人均可支配收入增速", 3, "6.5%（3）", "7%", "6.6%", 3, "黄", None, None],
        [19, "城镇新增就业人数", 2, "5120人（2）", "5500人", "2360人", "第2位", None, None, None],
        [20, "城乡居民基本养老保险参保率", 2, "95%（3）", "96%", "95.6%", "3", None, None, None],
    ], [SIGN.format(unit="郏县人力资源和社会保障局", date="2024年6月11日")])
    _stamp(p, dt.date(2024, 6, 11))

    # 公安局: 4 as a number, the constraint reported as 无
    p = folder / "郏县公安局2024年5月指标进展情况.xlsx"
    _xlsx(p, "郏县公安局2024年1-5月高质量发展综合绩效考核指标进展情况表", std, [
        [22, "每万人刑事案件立案数", 2, "6.8（3）", "≤6.5", "6.0件", None, None, None, None],
        [25, "群众安全感满意度", 2, "96.1%（4）", "97%", "96.5%", 4, "黄", None, None],
        [27, "重大群体性事件", "约束条件", None, "不发生", "无", "/", None, None, None],
    ], [SIGN.format(unit="郏县公安局", date="2024年6月5日")])
    _stamp(p, dt.date(2024, 6, 5))

    # 应急管理局: the deduction item, nothing happened
    p = folder / "郏县应急管理局2024年5月指标进展情况.xlsx"
    _xlsx(p, "郏县应急管理局2024年1-5月高质量发展综合绩效考核指标进展情况表", std, [
        [26, "较大及以上生产安全事故", "扣2分", "未发生", "不发生", "未发生", "/", None, None, None],
    ], [SIGN.format(unit="郏县应急管理局", date="2024年6月4日")])
    _stamp(p, dt.date(2024, 6, 4))
    # 自然资源局 sent nothing.


def build_workspace(root: Path, *, with_toml: bool = True, paired_peers: bool = False) -> Path:
    inp = root / "input"
    month_dir = inp / "2024年5月"
    month_dir.mkdir(parents=True)
    write_system(inp / "附件1：郏县2024年度高质量发展综合绩效考核指标任务分工表.xlsx")
    (write_peers_paired if paired_peers else write_peers)(month_dir / "六县（市）主要指标（1-5月）.xlsx")
    write_departments(month_dir)
    if with_toml:
        (root / "kaohe.toml").write_text(
            'county = "郏县"\npeers = ["郏县", "叶县", "宝丰县", "鲁山县", "汝州市", "舞钢市"]\n', encoding="utf-8")
    return root


# ------------------------------------------------------------------ reading the output back
def _run(ws: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kaohe_excel", "run", "--workspace", str(ws), "--month", MONTH],
                          capture_output=True, text=True, encoding="utf-8", timeout=120)


def _overview(ws: Path) -> Path:
    found = list((ws / "output" / MONTH).glob("*完成情况一览表*.xlsx"))
    assert len(found) == 1, found
    return found[0]


def _rows(path: Path):
    wb = openpyxl.load_workbook(path, data_only=True)
    sheet = wb.worksheets[0]
    cols = None
    for row in sheet.iter_rows(min_row=1, max_row=10):
        texts = [str(c.value or "").replace("\n", "") for c in row]
        if "序号" in texts:
            cols = {k: next(i for i, t in enumerate(texts) if k in t) for k in ("序号", "排名", "预警", "截至")}
            header = row[0].row
            break
    assert cols, "一览表 has no header row with 序号"
    out = {}
    for row in sheet.iter_rows(min_row=header + 1):
        no = row[cols["序号"]].value
        if isinstance(no, (int, float)):
            rank = row[cols["排名"]].value
            out[int(no)] = (int(rank) if isinstance(rank, (int, float)) else (rank or None),
                            row[cols["预警"]].value or None, row[cols["截至"]].value, row[0].row)
    return sheet, cols, header, out


@pytest.fixture(scope="module", params=["kaohe.toml", "no kaohe.toml", "no kaohe.toml, 完成值|位次 peer sheet"])
def ran(request, tmp_path_factory):
    ws = build_workspace(tmp_path_factory.mktemp("jiaxian"), with_toml=request.param == "kaohe.toml",
                         paired_peers="位次" in request.param)
    proc = _run(ws)
    return ws, proc


def test_run_completes_for_the_county(ran):
    ws, proc = ran
    assert "Traceback" not in proc.stdout + proc.stderr
    assert proc.returncode in (0, 1), proc.stdout + proc.stderr
    path = _overview(ws)
    assert path.name.startswith(COUNTY), path.name
    assert "叶县" not in path.name
    assert COUNTY in proc.stdout.splitlines()[0], proc.stdout
    # the system is a 任务分工表: the overview is titled as an overview
    title = openpyxl.load_workbook(path).worksheets[0]["A2"].value
    assert title == "郏县2024年度高质量发展综合绩效考核指标完成情况一览表（截至5月底）", title
    # 自然资源局 sent nothing; 人社局 sent after 6 June
    assert "自然资源局" in proc.stdout and "人社局" in proc.stdout


def test_ranks_and_colours_are_the_hand_worked_ones(ran):
    ws, _ = ran
    _, _, _, rows = _rows(_overview(ws))
    got = {no: (r[0], r[1]) for no, r in rows.items()}
    assert sorted(got) == sorted(EXPECTED)
    wrong = {no: (EXPECTED[no], got[no]) for no in EXPECTED if got[no] != EXPECTED[no]}
    assert not wrong, "序号: (expected, got) " + repr(wrong)


def test_values_from_the_peer_sheet_are_shown(ran):
    """自然资源局 sent nothing, yet the city's sheet has 郏县's 国有土地出让收入增速."""
    ws, _ = ran
    _, _, _, rows = _rows(_overview(ws))
    assert rows[24][2] not in (None, ""), rows[24]
    from kaohe_excel.read.values import parse_value

    assert parse_value(rows[24][2]).value == -8.0, rows[24]
    assert rows[24][2] == "下降8.0%"  # as the city wrote it, unit and all


def test_conditional_formatting_covers_the_rank_and_warning_columns(ran):
    ws, _ = ran
    sheet, cols, header, rows = _rows(_overview(ws))
    first, last = min(r[3] for r in rows.values()), max(r[3] for r in rows.values())
    for key in ("排名", "预警"):
        letter = openpyxl.utils.get_column_letter(cols[key] + 1)
        covering = []
        for cf in sheet.conditional_formatting:
            for rng in cf.sqref.ranges:
                if rng.min_col <= cols[key] + 1 <= rng.max_col and rng.min_row <= first and rng.max_row >= last:
                    covering.append(cf)
        assert covering, f"no conditional formatting over {letter}{first}:{letter}{last}"
        rules = [r for cf in covering for r in cf.rules]
        assert len(rules) >= 3, rules  # red, yellow, green
        assert all(r.dxf is not None and r.dxf.fill is not None for r in rules)


def test_system_title_outweighs_files_named_after_a_neighbour(tmp_path):
    """Twenty forwarded copies named 叶县… (a neighbour's sheets by mistake) do not make the
    workspace 叶县's: the system's own title names 郏县, a county of the peer sheet."""
    import shutil

    ws = build_workspace(tmp_path, with_toml=False)
    month_dir = ws / "input" / "2024年5月"
    src = sorted(p for p in month_dir.glob("*.xls*") if "六县" not in p.name)[0]
    (month_dir / "转发").mkdir()
    for i in range(20):
        shutil.copy2(src, month_dir / "转发" / f"叶县参考材料{i}{src.suffix}")
    proc = _run(ws)
    assert proc.stdout.splitlines()[0].startswith(COUNTY), proc.stdout
    assert _overview(ws).name.startswith(COUNTY)
