"""霁州市 (an invented city, 演示数据): a city office's year as helper-24's review built it, unlike
league_city: 8 units (an eponymous 霁州县 beside 霁州市, a 霁州高新区 the table calls 高新区),
section rows 一、经济发展（17分）, a 合计 row, per-unit targets with `---`, points overrides
written `4 (高新区6)`, `3（南屏县、北塬县2）` and `2\n（高新区3分）`, a bonus whose target is `—`
merged over every unit, a deduction, a 一票否决 with no points; April with units as rows
(数值 | 位次 under each merged indicator heading, or one header row), May with indicators as
rows (each unit over 完成值 | 位次), June only as each unit's own 一览表 as a clerk writes it
(增长6.1%, 8.1亿元, 9家, 无, 发生3起, 已完成 / 未完成, 上升1.2% for a reduction rate).
`hand_month` works each month out by DOMAIN.md's rules without the package."""

from __future__ import annotations

import math
import shutil
from fractions import Fraction
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Border, Font, Side

CITY = "霁州市"
U = ["霁城区", "东湖区", "西岭区", "霁州县", "南屏县", "北塬县", "青溪县", "霁州高新区"]
JC, DH, XL, JX, NP, BY, QX, GX = U
NA = "---"

# (no, category, name, points cell, targets (list of 8 or a single merged text), lead, note, unit)
CATS = ["一、经济发展（17分）", "二、创新驱动（7分）", "三、绿色发展（8分）", "四、民生保障（8分）",
        "五、加分项", "六、减分项", "七、约束性指标"]
ROWS = [
    (1, 0, "地区生产总值增速", "4 (高新区6)", [6.0, 6.5, 6.0, 5.5, 6.0, 5.5, 5.5, 9.0], "市发展改革委", "", "%"),
    (2, 0, "规模以上工业增加值增速", 4, [7, NA, 7, 7.5, 8, 8, 7, 12], "市工业和信息化局", "东湖区不考核", "%"),
    (3, 0, "固定资产投资增速", "3分", [5, 5, 5, 5, 5, 5, 5, 10], "市发展改革委", "", "%"),
    (4, 0, "社会消费品零售总额增速", "3（南屏县、北塬县2）", [6, 7, 6, 5.5, 5, 5, 5.5, 6], "市商务局", "", "%"),
    (5, 0, "一般公共预算收入", 3, [12, 15, 8, 6, 7, 5, 5, 10], "市财政局", "", "亿元"),
    (6, 1, "研究与试验发展经费投入强度", 3, [2.0, 1.8, 1.5, 1.2, 1.2, 1.0, 1.0, 4.0], "市科学技术局", "", "%"),
    (7, 1, "高新技术企业净增数", 2, [10, 15, 8, 5, NA, 4, 3, 40], "市科学技术局", "南屏县不考核", "家"),
    (8, 1, "技术合同成交额", "2\n（高新区3分）", [3, 5, 2, 1, 1, 0.8, 0.8, 12], "市科学技术局", "", "亿元"),
    (9, 2, "单位地区生产总值能耗降低率", 3, "3.0", "市发展改革委", "", "%"),
    (10, 2, "细颗粒物（PM2.5）平均浓度", 3, [35, 34, 33, 32, 30, 30, 31, 35], "市生态环境局", "逆向指标", "微克/立方米"),
    (11, 2, "空气质量优良天数比率", 2, [85, 85, 86, 87, 88, 88, 88, 85], "市生态环境局", "", "%"),
    (12, 3, "城镇新增就业人数", 2, [6000, 7000, 4000, 3000, 2500, 2500, 2000, 3000], "市人力资源和社会保障局", "", "人"),
    (13, 3, "居民人均可支配收入增速", 3, [6.0, 6.0, 6.5, 6.5, 7.0, 7.0, 7.0, 6.0], "市统计局", "", "%"),
    (14, 3, "城乡居民基本医疗保险参保率", 3, [95, 95, 96, 97, 97, 97, 97, NA], "市医疗保障局", "高新区不考核", "%"),
    (15, 4, "获得国家级表彰奖励（每项加1分）", "最高加2分", "—", "市委督查室", "", "项"),
    (16, 5, "较大及以上生产安全事故", "每起扣2分，\n最多扣4分", "不发生", "市应急管理局", "", "起"),
    (17, 6, "耕地保有量和永久基本农田保护", "一票否决", "完成省下达任务", "市自然资源和规划局", "", ""),
]
LOWER = {10}

# Peer values per month: no -> list of 8 (None = 暂无/—).  Bureau sheet covers 1..14 only.
M4, M5, M6 = "2024-04", "2024-05", "2024-06"
V = {
    M4: {
        1: [5.8, 6.4, 5.8, 5.1, 6.2, 4.9, 5.6, 10.1],
        2: [7.2, 3.0, 6.8, 8.1, 8.1, 7.7, 6.5, 13.4],
        3: [4.1, 2.2, 6.3, 5.0, -1.5, 3.3, 5.0, 12.2],
        4: [5.9, 7.8, 5.2, 5.0, 4.4, 4.6, 5.3, 6.0],
        5: [4.1, 5.6, 2.7, 2.0, 2.3, 1.6, 1.7, 3.9],
        6: [1.9, 1.7, 1.4, 1.1, 1.3, 0.9, 1.0, 4.3],
        7: [3, 6, 2, 1, 0, 1, 1, 15],
        8: [0.8, 1.6, 0.5, 0.3, 0.2, 0.2, 0.1, 4.1],
        9: [3.2, 3.5, 2.9, 3.4, 3.0, 2.6, 3.1, 3.6],
        10: [38, 36, 35, 33, 30, 31, 31, 37],
        11: [82.1, 84.5, 85.0, 86.2, 88.4, 87.9, 89.0, 83.3],
        12: [1900, 2300, 1300, 1000, 800, 820, 700, 1100],
        13: [5.8, 5.9, 6.3, 6.4, 6.9, 7.1, 6.9, 5.7],
        14: [93.1, 92.8, 95.0, 96.2, 96.5, 96.0, 97.1, None],
    },
    M5: {
        1: [5.9, 6.3, 5.9, 5.4, 6.1, 5.0, 5.8, 9.8],
        2: [7.0, 2.5, 7.0, 8.0, 8.3, 7.8, 6.6, 12.9],
        3: [4.8, 2.9, 6.0, 5.5, -0.8, 3.9, None, 11.5],   # 青溪县 暂无
        4: [6.1, 7.6, 5.5, 5.3, 4.9, 4.9, 5.4, 6.2],
        5: [5.2, 6.9, 3.4, 2.5, 2.9, 2.0, 2.1, 4.8],
        6: [1.9, 1.7, 1.4, 1.1, 1.3, 0.9, 1.0, 4.3],
        7: [4, 7, 3, 2, 0, 1, 2, 19],
        8: [1.1, 2.0, 0.7, 0.4, 0.3, 0.3, 0.2, 5.3],
        9: [3.1, 3.3, 3.0, 3.3, 2.8, 2.7, 3.1, 3.5],
        10: [37, 35, 34, 32, 29, 30, 30, 36],
        11: [83.0, 85.1, 85.9, 86.7, 88.9, 88.1, 89.5, 84.2],
        12: [2500, 3000, 1700, 1300, 1050, 1080, 900, 1400],
        13: [5.9, 6.0, 6.3, 6.5, 6.8, 7.0, 6.9, 5.8],
        14: [94.0, 93.5, 95.2, 96.8, 96.9, 96.1, 97.3, None],
    },
    M6: {
        1: [6.1, 6.2, 5.7, 5.6, 6.1, 5.2, 5.9, 9.5],
        2: [7.3, 2.1, 7.1, 8.2, 8.2, 8.0, 6.9, 12.5],
        3: [5.3, 3.5, 5.9, 6.0, 0.4, 4.2, 5.5, 10.8],
        4: [6.4, 7.5, 5.8, 5.6, 5.2, 5.1, 5.8, 6.3],
        5: [6.3, 8.1, 4.2, 3.1, 3.5, 2.4, 2.6, 5.9],
        6: [1.9, 1.7, 1.5, 1.1, 1.3, 1.0, 1.0, 4.3],
        7: [5, 9, 4, 2, 1, 2, 2, 24],
        8: [1.4, 2.6, 0.9, 0.5, 0.4, 0.4, 0.3, 6.2],
        9: [3.0, 3.2, 3.0, 3.4, 2.9, -1.2, 3.1, 3.4],
        10: [36, 34, 33, 31, 28, 29, 29, 35],
        11: [83.6, 85.6, 86.4, 87.1, 89.2, 88.5, 89.9, 84.8],
        12: [3100, 3700, 2100, 1600, 1300, 1320, 1100, 1700],
        13: [6.0, 6.1, 6.4, 6.5, 6.9, 7.0, 6.9, 5.9],
        14: [94.8, 94.2, 95.6, 97.0, 97.2, 96.4, 97.5, None],
        # events (only in the units' own June files)
        15: [1, 0, 0, 0, 0, 0, 2, 3],
        16: [0, 1, 0, 0, 0, 0, 3, 0],
        17: [0, 0, 0, 0, 0, 1, 0, 0],
    },
}
CITY_COL = {1: 6.4, 2: 7.8, 3: 5.0, 4: 6.0, 5: 60.0, 6: 2.0, 7: 45, 8: 10.0, 9: 3.1, 10: 32, 11: 86.5,
            12: 14000, 13: 6.4, 14: 96.0}

thin = Side(style="thin")
BOX = Border(left=thin, right=thin, top=thin, bottom=thin)
WRAP = Alignment(wrap_text=True, horizontal="center", vertical="center")


def box(ws, r1, c1, r2, c2):
    for r in range(r1, r2 + 1):
        for c in range(c1, c2 + 1):
            ws.cell(r, c).border = BOX
            ws.cell(r, c).alignment = WRAP


def write_system(path: Path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "任务分工表"
    n = 4 + len(U) + 1  # A..M
    ws["A1"] = "附件1"
    ws["A1"].font = Font(name="黑体", size=16)
    ws.cell(2, 1, "霁州市2024年度县（市、区）高质量发展综合绩效考核任务分工表").font = Font(name="方正小标宋简体", size=20)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=n)
    for c, h in [(1, "序\n号"), (2, "考核\n指标"), (3, "分\n值"), (4, "牵头\n单位"), (n, "备注")]:
        ws.cell(3, c, h)
        ws.merge_cells(start_row=3, start_column=c, end_row=4, end_column=c)
    ws.cell(3, 5, "2024年度目标任务")
    ws.merge_cells(start_row=3, start_column=5, end_row=3, end_column=4 + len(U))
    for j, u in enumerate(U):
        ws.cell(4, 5 + j, u)
    r = 5
    cat_seen = set()
    for no, cat, name, pts, targets, lead, note, unit in ROWS:
        if cat not in cat_seen:
            cat_seen.add(cat)
            ws.cell(r, 1, CATS[cat])
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=n)
            ws.cell(r, 1).alignment = Alignment(horizontal="left")
            r += 1
        ws.cell(r, 1, no)
        ws.cell(r, 2, name + (f"（{unit}）" if unit and unit != "项" and unit != "起" else ""))
        ws.cell(r, 3, pts)
        ws.cell(r, 4, lead)
        if isinstance(targets, list):
            for j, t in enumerate(targets):
                ws.cell(r, 5 + j, t)
        else:
            ws.cell(r, 5, targets)
            ws.merge_cells(start_row=r, start_column=5, end_row=r, end_column=4 + len(U))
        if note:
            ws.cell(r, n, note)
        r += 1
    ws.cell(r, 1, "合计")
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=2)
    ws.cell(r, 3, 40)
    box(ws, 3, 1, r, n)
    r += 1
    ws.cell(r, 1, "注：1.“---”表示该县（市、区）不考核此项指标，不计入其满分；2.分值栏括号内为该单位适用的分值；"
                  "3.加分项、减分项不计入满分；4.约束性指标未完成的，实行一票否决。")
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=n)
    ws.row_dimensions[r].height = 40
    for col, w in zip("ABCDEFGHIJKLM", (5, 30, 10, 16, 8, 8, 8, 8, 8, 8, 8, 10, 14)):
        ws.column_dimensions[col].width = w
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)


def rank_of(vals, lower=False):
    """Bureau ranks among all units with a value (competition)."""
    out = []
    for v in vals:
        if v is None:
            out.append(None)
            continue
        better = sum(1 for w in vals if w is not None and ((w < v) if lower else (w > v)))
        out.append(better + 1)
    return out


NAMES_BUREAU = {1: "地区生产总值增速（%）", 2: "规上工业增加值增速（%）", 3: "固定资产投资增速（%）",
                4: "社会消费品零售总额增速（%）", 5: "一般公共预算收入（亿元）", 6: "R&D经费投入强度（%）",
                7: "高新技术企业净增数（家）", 8: "技术合同成交额（亿元）", 9: "单位GDP能耗降低率（%）",
                10: "PM2.5平均浓度（微克/立方米）", 11: "空气质量优良天数比率（%）", 12: "城镇新增就业人数（人）",
                13: "居民人均可支配收入增速（%）", 14: "城乡居民医保参保率（%）"}


def write_april(path: Path):
    """Units as rows; for each indicator a pair 数值 | 位次 under a merged indicator heading."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "1-4月"
    nos = list(range(1, 15))
    n = 1 + 2 * len(nos)
    ws.cell(1, 1, "霁州市2024年1-4月各县（市、区）主要指标完成情况及位次")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=n)
    ws.cell(2, 1, "县（市、区）")
    ws.merge_cells(start_row=2, start_column=1, end_row=3, end_column=1)
    for k, no in enumerate(nos):
        c = 2 + 2 * k
        ws.cell(2, c, f"{no}.{NAMES_BUREAU[no]}")
        ws.merge_cells(start_row=2, start_column=c, end_row=2, end_column=c + 1)
        ws.cell(3, c, "数值")
        ws.cell(3, c + 1, "位次")
    ws.cell(4, 1, CITY)
    for k, no in enumerate(nos):
        ws.cell(4, 2 + 2 * k, CITY_COL[no])
    ranks = {no: rank_of(V[M4][no], no in LOWER) for no in nos}
    for j, u in enumerate(U):
        r = 5 + j
        ws.cell(r, 1, u)
        for k, no in enumerate(nos):
            v = V[M4][no][j]
            ws.cell(r, 2 + 2 * k, "暂无" if v is None else v)
            ws.cell(r, 3 + 2 * k, ranks[no][j] if v is not None else "—")
    box(ws, 2, 1, 4 + len(U), n)
    ws.cell(5 + len(U), 1, "注：位次按全部县（市、区）排列；PM2.5浓度为逆向指标，数值越低位次越前。数据来源：市统计局。")
    ws.merge_cells(start_row=5 + len(U), start_column=1, end_row=5 + len(U), end_column=n)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)


def write_may(path: Path):
    """Indicators as rows; each unit heads a pair 完成值 | 位次; 方向 column; the city at the right."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "主要指标"
    nos = list(range(1, 15))
    n = 3 + 2 * len(U) + 1
    ws.cell(1, 1, "霁州市2024年1-5月各县（市、区）高质量发展主要指标监测表")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=n)
    for c, h in [(1, "序号"), (2, "指标名称"), (3, "方向"), (n, "全市")]:
        ws.cell(2, c, h)
        ws.merge_cells(start_row=2, start_column=c, end_row=3, end_column=c)
    for j, u in enumerate(U):
        c = 4 + 2 * j
        ws.cell(2, c, u)
        ws.merge_cells(start_row=2, start_column=c, end_row=2, end_column=c + 1)
        ws.cell(3, c, "完成值")
        ws.cell(3, c + 1, "位次")
    for k, no in enumerate(nos):
        r = 4 + k
        ws.cell(r, 1, no)
        ws.cell(r, 2, NAMES_BUREAU[no])
        ws.cell(r, 3, "逆向" if no in LOWER else "正向")
        vals = V[M5][no]
        ranks = rank_of(vals, no in LOWER)
        for j, v in enumerate(vals):
            c = 4 + 2 * j
            if v is None:
                ws.cell(r, c, "暂无" if no == 3 else "—")
                ws.cell(r, c + 1, "—")
            else:
                ws.cell(r, c, v)
                ws.cell(r, c + 1, ranks[j])
        ws.cell(r, n, CITY_COL[no])
    box(ws, 2, 1, 3 + len(nos), n)
    ws.cell(4 + len(nos), 1, "注：“暂无”为数据暂未发布；“—”为不考核或无数据。")
    ws.merge_cells(start_row=4 + len(nos), start_column=1, end_row=4 + len(nos), end_column=n)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)


def clerk_text(no, v):
    """How a unit's clerk writes its June figure."""
    if v is None:
        return "—"
    if no in (1, 2, 3, 4, 13):
        return f"增长{v}%" if v >= 0 else f"下降{-v}%"
    if no in (5, 8):
        return f"{v}亿元"
    if no == 7:
        return f"{v}家"
    if no == 9:
        return f"{v}%" if v >= 0 else f"上升{-v}%"   # a rise in energy per GDP
    if no in (6, 11, 14):
        return f"{v}%"
    if no == 12:
        return f"{v}人"
    if no == 10:
        return v
    if no == 15:
        return "无" if v == 0 else f"{v}项"
    if no == 16:
        return "未发生" if v == 0 else f"发生{v}起"
    if no == 17:
        return "已完成" if v == 0 else "未完成"
    return v


def target_of(no, j):
    t = next(r for r in ROWS if r[0] == no)[4]
    return t[j] if isinstance(t, list) else t


def write_unit_june(path: Path, j: int):
    u = U[j]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "一览表"
    n = 7
    ws["A1"] = "附件2"
    ws.cell(2, 1, f"{u}2024年度高质量发展综合绩效考核指标完成情况一览表（截至6月底）")
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=n)
    for c, h in enumerate(["序号", "考核指标", "分值", "2024年\n目标任务", "截至6月底\n完成情况", "预警\n提示", "责任单位"], 1):
        ws.cell(3, c, h)
    r = 4
    cat_seen = set()
    for no, cat, name, pts, targets, lead, note, unit in ROWS:
        if cat not in cat_seen:
            cat_seen.add(cat)
            ws.cell(r, 1, CATS[cat].split("（")[0])
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=n)
            r += 1
        ws.cell(r, 1, no)
        ws.cell(r, 2, name)
        ws.cell(r, 3, pts if not isinstance(pts, str) or "\n" not in pts else pts.replace("\n", ""))
        t = target_of(no, j)
        ws.cell(r, 4, t)
        if t == NA:
            ws.cell(r, 5, NA)
        else:
            v = V[M6][no][j]
            ws.cell(r, 5, clerk_text(no, v))
        ws.cell(r, 7, lead.replace("市", "", 1))
        r += 1
    box(ws, 3, 1, r - 1, n)
    ws.cell(r + 1, 1, f"填报单位（盖章）：{u}人民政府    主要负责人：    填报人：    联系电话：    填报日期：2024年7月5日")
    ws.merge_cells(start_row=r + 1, start_column=1, end_row=r + 1, end_column=n)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)


def write_april_rows(path: Path, numbered: bool = True, readable: bool = True):
    """Units as rows under ONE header row of indicator headings (no 位次 pairs): numbered the
    bureau's way (1.地区生产总值增速（%）) or not, in the bureau's short names (R&D, GDP, PM2.5);
    `readable` False: headings no system names (甲类指标一…), so the month has no figure at all."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "1-4月"
    nos = list(range(1, 15))
    ws.cell(1, 1, "霁州市2024年1-4月各县（市、区）主要指标完成情况")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=1 + len(nos))
    ws.cell(2, 1, "县（市、区）")
    for k, no in enumerate(nos):
        heading = NAMES_BUREAU[no] if readable else f"专项工作指标之{'甲乙丙丁戊己庚辛壬癸子丑寅卯'[k]}"
        ws.cell(2, 2 + k, f"{no}.{heading}" if numbered and readable else heading)
    ws.cell(3, 1, CITY)
    for k, no in enumerate(nos):
        ws.cell(3, 2 + k, CITY_COL[no])
    for j, u in enumerate(U):
        ws.cell(4 + j, 1, u)
        for k, no in enumerate(nos):
            v = V[M4][no][j]
            ws.cell(4 + j, 2 + k, "暂无" if v is None else v)
    box(ws, 2, 1, 3 + len(U), 1 + len(nos))
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)


def build(root: Path, april: str = "pairs", gaps: bool = False) -> Path:
    """The workspace under `root` (replaced). `april`: 'pairs' (数值|位次 under each merged
    heading), 'rows' (one header row, numbered), 'short' (one header row, unnumbered short
    names), 'unreadable' (headings no system names). `gaps`: 霁城区 writes 待统计局反馈 for item 3
    and 东湖区 5..5 for item 5 in June."""
    if root.exists():
        shutil.rmtree(root)
    inp = root / "input"
    write_system(inp / "附件1：霁州市2024年度县（市、区）高质量发展综合绩效考核任务分工表.xlsx")
    april_file = inp / "2024-04" / "霁州市2024年1-4月各县（市、区）主要指标完成情况及位次.xlsx"
    if april == "pairs":
        write_april(april_file)
    else:
        write_april_rows(april_file, numbered=april == "rows", readable=april != "unreadable")
    write_may(inp / "2024-05" / "霁州市2024年1-5月各县（市、区）高质量发展主要指标监测表.xlsx")
    for j, u in enumerate(U):
        write_unit_june(inp / "2024年6月" / f"{u}2024年6月完成情况.xlsx", j)
    if gaps:
        for u, no, text in ((JC, 3, "待统计局反馈"), (DH, 5, "5..5")):
            edit_row(inp / "2024年6月" / f"{u}2024年6月完成情况.xlsx", no, {5: text})
    return root


def edit_row(path: Path, no: int, cells: dict[int, object]) -> int:
    """Write `cells` (column number -> value) into the row whose 序号 (column A) is `no`, as a
    clerk edits a file; the row's number."""
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    r = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == no)
    for c, value in cells.items():
        ws.cell(r, c, value)
    wb.save(path)
    return r


# ---------------------------------------------------------------- worked by hand
# DOMAIN.md's rules, written out here without the package: rank steps of 5 % a place, thirds
# for the colours (8 units: 1-3 绿, 4-6 黄, 7-8 红), `---` out of the item and its full marks,
# the points the table gives each unit (4 (高新区6) is 霁州高新区's 6), a bonus 1 an item capped
# at 2, a deduction 2 an event capped at 4, 未完成 on the veto: no place.

POINTS = {1: 4, 2: 4, 3: 3, 4: 3, 5: 3, 6: 3, 7: 2, 8: 2, 9: 3, 10: 3, 11: 2, 12: 2, 13: 3, 14: 3}
OVERRIDE = {(1, GX): 6, (4, NP): 2, (4, BY): 2, (8, GX): 3}
CATEGORY = {r[0]: r[1] for r in ROWS}


def hand_points(no: int, u: str) -> Fraction | None:
    if target_of(no, U.index(u)) == NA:
        return None
    return Fraction(OVERRIDE.get((no, u), POINTS[no]))


def hand_month(m: str) -> dict:
    """unit -> {'items': {no: (rank, colour, score, points)}, 'full', 'total', 'rate', 'place', 'veto'}."""
    vals = V[m]
    third, two_thirds = math.ceil(len(U) / 3), math.ceil(2 * len(U) / 3)
    out = {u: {"items": {}, "full": Fraction(0), "total": Fraction(0), "veto": False} for u in U}
    for no in range(1, 15):
        have = {u: v for u, v in zip(U, vals[no]) if v is not None and hand_points(no, u) is not None}
        for u in U:
            p = hand_points(no, u)
            rank = None
            if u in have:
                rank = 1 + sum(1 for w in have.values() if (w < have[u] if no in LOWER else w > have[u]))
            colour = None if rank is None else "green" if rank <= third else "yellow" if rank <= two_thirds else "red"
            score = None if p is None or rank is None else p * (1 - Fraction(5, 100) * (rank - 1))
            out[u]["items"][no] = (rank, colour, score, p)
            if p is not None:
                out[u]["full"] += p
            if score is not None:
                out[u]["total"] += score
    for j, u in enumerate(U):
        if 15 in vals:
            out[u]["total"] += min(vals[15][j], 2) - min(vals[16][j] * 2, 4)
            out[u]["veto"] = bool(vals[17][j])
        out[u]["rate"] = out[u]["total"] / out[u]["full"] * 100
    placed = {u: r["rate"] for u, r in out.items() if not r["veto"]}
    for u in U:
        out[u]["place"] = 1 + sum(1 for w in placed.values() if w > placed[u]) if u in placed else None
    return out
