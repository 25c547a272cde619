"""澜江省 (an invented province, 演示数据): a PROVINCIAL office assessing 14 counties and
county-level cities, laid out unlike 霁州市 (tests/jizhou.py):

- the system (考核指标及分值表) has 一级指标 / 二级指标 merged vertically, a 三级指标 name column,
  a 指标属性 column holding 正向 / 逆向 (not a category), points written `6分`, `扣1.3分`,
  `约束条件`, and the per-unit targets in a SEPARATE sheet 目标分解表 (units as rows, indicators
  as columns; `---` = not assessed).  `targets="inline"` puts the same targets as unit columns
  of the main sheet instead (the layout the README documents), to tell the two apart;
- kaohe.toml scores item 5 by 功效系数法 (efficacy) and item 16 by target completion;
- 2025-03: the bureau's workbook with three sheets by category (经济发展 / 创新驱动 / 绿色民生),
  units as columns in the bureau's own order (a county-level city 栖川市 first), a 全省 column
  (left) or 全省平均 (right), numbering restarting at 1 on each sheet, short unit names
  (澜江 for 澜江县, 白岩县 for 白岩苗族自治县), `增长6.2%`, `下降3.1%`, full-width digits, `—`, `/`,
  a 注： row; the deduction and the veto as rows (0 / 1起 / 已完成);
- 2025-04: one sheet, two header rows (各县（市）完成情况 merged over the units), section rows,
  the header repeated mid-table, 梅垭县 missing altogether, 白岩自治县 as its name, no event rows;
- 2025年5月: each unit's own 完成情况一览表 (one of them an old .xls), 一级指标 merged
  vertically, ranks written 第3名 or 3/14, events written 未发生 / 发生1起 / 已完成 / 未完成, and the
  sign-off line 填报单位（盖章）：….

`hand_month(month)` works each month out by DOMAIN.md's rules and the documented settings,
without the package.  Only openpyxl / stdlib (xlwt optional, for the one .xls)."""

from __future__ import annotations

import math
import random
import shutil
from fractions import Fraction
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Border, Font, Side

PROVINCE = "澜江省"
U = ["澜江县", "栖川市", "白岩苗族自治县", "青梧县", "鹤汀县", "棠溪县", "岚桥县", "枫渚县", "云屏县",
     "雁陂县", "石砚市", "芦湾县", "望川县", "梅垭县"]
LJ, QC, BY, QW, HT, TX, LQ, FZ, YP, YB, SY, LW, WC, MY = U
# how the bureau writes the names (2025-03 / 2025-04)
ALIAS3 = {LJ: "澜江", BY: "白岩县"}
ALIAS4 = {LJ: "澜江县", BY: "白岩自治县"}
BUREAU_ORDER = [QC, LJ, QW, HT, BY, TX, LQ, FZ, YP, YB, SY, LW, WC, MY]

NA = "---"
M3, M4, M5 = "2025-03", "2025-04", "2025-05"
MONTHS = [M3, M4, M5]
L1 = ["经济发展", "创新驱动", "绿色发展", "民生保障", "约束性指标及减分项"]
# no, 一级 index, 二级, 三级 name, 指标属性, points cell, unit, lead
ROWS = [
    (1, 0, "经济增长", "地区生产总值增速", "正向", "6分", "%", "省发展改革委"),
    (2, 0, "经济增长", "规模以上工业增加值增速", "正向", "6分", "%", "省工业和信息化厅"),
    (3, 0, "经济增长", "固定资产投资增速", "正向", "5分", "%", "省发展改革委"),
    (4, 0, "消费与财政", "社会消费品零售总额增速", "正向", "5分", "%", "省商务厅"),
    (5, 0, "消费与财政", "一般公共预算收入增速", "正向", "5分", "%", "省财政厅"),
    (6, 0, "消费与财政", "税收收入占一般公共预算收入比重", "正向", "5分", "%", "省财政厅"),
    (7, 0, "开放型经济", "实际使用外资", "正向", "4分", "万美元", "省商务厅"),
    (8, 0, "开放型经济", "外贸进出口总额增速", "正向", "4分", "%", "省商务厅"),
    (9, 1, "创新投入", "研究与试验发展经费投入强度", "正向", "6分", "%", "省科技厅"),
    (10, 1, "创新投入", "高新技术企业数", "正向", "5分", "家", "省科技厅"),
    (11, 1, "创新产出", "技术合同成交额", "正向", "5分", "亿元", "省科技厅"),
    (12, 1, "创新产出", "每万人口高价值发明专利拥有量", "正向", "4分", "件", "省市场监管局"),
    (13, 2, "节能降耗", "单位地区生产总值能耗降低率", "正向", "5分", "%", "省发展改革委"),
    (14, 2, "生态环境", "细颗粒物（PM2.5）平均浓度", "逆向", "5分", "微克/立方米", "省生态环境厅"),
    (15, 2, "节能降耗", "万元地区生产总值用水量", "逆向", "5分", "立方米", "省水利厅"),
    (16, 3, "就业", "城镇新增就业人数", "正向", "7分", "人", "省人力资源社会保障厅"),
    (17, 3, "收入", "居民人均可支配收入增速", "正向", "6分", "%", "省统计局"),
    (18, 3, "就业", "城镇调查失业率（逆向）", "逆向", "6分", "%", "省人力资源社会保障厅"),
    (19, 3, "社会保障", "基本养老保险参保率", "正向", "6分", "%", "省人力资源社会保障厅"),
    (20, 4, "安全生产", "较大及以上生产安全事故", "—", "扣1.3分", "起", "省应急管理厅"),
    (21, 4, "耕地保护", "耕地保有量和永久基本农田保护", "—", "约束条件", "", "省自然资源厅"),
]
SCORED = list(range(1, 20))
LOWER = {14, 15, 18}
POINTS = {no: int(p[:-1]) for no, _, _, _, _, p, _, _ in ROWS if p.endswith("分") and not p.startswith("扣")}
DEDUCT_PER_EVENT = Fraction(13, 10)
METHOD = {5: "efficacy", 16: "completion"}   # configured in kaohe.toml; the rest rank_steps 5 %
CATEGORY = {r[0]: L1[r[1]] for r in ROWS}
NAME = {r[0]: r[3] for r in ROWS}
UNIT_OF = {r[0]: r[6] for r in ROWS}

# per-unit targets (目标分解表): indicator no -> list in U order
TARGETS = {
    1: [6.5, 7.0, 6.0, 6.0, 6.5, 6.0, 6.0, 6.5, 5.5, 6.0, 7.0, 6.0, 6.0, 5.5],
    3: [8, 9, 7, 7, 8, 7, 6, 8, 6, 7, 9, 7, 7, 6],
    7: [1200, 3000, NA, 800, 900, 600, 500, 1000, 400, 700, 2500, 600, 500, NA],
    16: [8000, 12000, 3000, 5000, 5500, 4000, 3500, 6000, 3000, 4500, 10000, 4000, 3800, 2500],
    17: [6.0, 6.5, 7.0, 6.5, 6.5, 6.5, 6.5, 6.0, 7.0, 6.5, 6.0, 6.5, 7.0, 7.0],
}


def not_assessed(no: int, u: str) -> bool:
    t = TARGETS.get(no)
    return t is not None and t[U.index(u)] == NA


# ------------------------------------------------------------------ the figures
def _values() -> dict:
    rnd = random.Random(20250531)
    base = {1: (4.0, 8.0, 1), 2: (3.0, 10.0, 1), 3: (-3.0, 12.0, 1), 4: (3.0, 8.0, 1), 5: (-2.0, 12.0, 1),
            6: (55.0, 85.0, 1), 7: (100, 3500, 0), 8: (-12.0, 20.0, 1), 9: (0.8, 3.2, 2), 10: (20, 260, 0),
            11: (0.5, 30.0, 2), 12: (0.5, 9.0, 2), 13: (-1.0, 5.0, 1), 14: (22, 45, 0), 15: (30, 90, 1),
            16: (600, 4000, 0), 17: (4.5, 7.5, 1), 18: (4.2, 6.0, 1), 19: (88.0, 99.0, 1)}
    out = {}
    for k, m in enumerate(MONTHS):
        mv = {}
        for no, (lo, hi, nd) in base.items():
            vals = []
            for j in range(len(U)):
                v = rnd.uniform(lo, hi)
                if no == 16:
                    v = (k + 3) / 5 * v
                v = round(v, nd) if nd else int(round(v))
                vals.append(v)
            mv[no] = vals
        out[m] = mv
    # deliberate ties, gaps and signs
    out[M3][1][U.index(LJ)] = out[M3][1][U.index(QW)] = 6.2          # tie, both written 增长6.2%
    out[M3][14][U.index(HT)] = out[M3][14][U.index(TX)] = out[M3][14][U.index(LQ)] = 31  # three-way tie
    out[M3][11][U.index(YP)] = None                                    # 云屏县 —
    out[M3][12][U.index(SY)] = None                                    # 石砚市 /
    out[M3][8][U.index(QC)] = -1.5
    out[M3][8][U.index(FZ)] = -3.1                                     # written 下降3.1%
    out[M4][19][U.index(LW)] = None                                    # 芦湾县 —
    out[M4][9][U.index(BY)] = out[M4][9][U.index(YB)] = 1.25           # tie
    out[M5][8][U.index(HT)] = None                                     # 鹤汀县 — in its own file
    out[M5][5][U.index(TX)] = out[M5][5][U.index(QC)] = 9.9            # tie in an efficacy item
    for m in MONTHS:                                                   # `---` units have no figure
        for no in TARGETS:
            for j, u in enumerate(U):
                if not_assessed(no, u):
                    out[m][no][j] = None
    for no in out[M4]:                                                 # 梅垭县 absent in April
        out[M4][no][U.index(MY)] = None
    # events: 20 accidents (count), 21 veto (1 = 未完成)
    out[M3][20] = [0] * 14
    out[M3][20][U.index(HT)] = 1
    out[M3][20][U.index(LW)] = 2
    out[M3][21] = [0] * 14
    out[M5][20] = [0] * 14
    out[M5][20][U.index(YB)] = 1
    out[M5][21] = [0] * 14
    out[M5][21][U.index(WC)] = 1
    return out


V = _values()
PRESENT = {M3: list(U), M4: [u for u in U if u != MY], M5: list(U)}


# ------------------------------------------------------------------ writing helpers
thin = Side(style="thin")
BOX = Border(left=thin, right=thin, top=thin, bottom=thin)
WRAP = Alignment(wrap_text=True, horizontal="center", vertical="center")
FW = str.maketrans("0123456789.", "０１２３４５６７８９．")


def box(ws, r1, c1, r2, c2):
    for r in range(r1, r2 + 1):
        for c in range(c1, c2 + 1):
            ws.cell(r, c).border = BOX
            ws.cell(r, c).alignment = WRAP


def rank_of(vals: dict, lower: bool) -> dict:
    return {u: 1 + sum(1 for w in vals.values() if (w < v if lower else w > v)) for u, v in vals.items()}


# ------------------------------------------------------------------ the system
def write_system(path: Path, targets: str = "sheet"):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "考核指标及分值"
    inline = targets == "inline"
    tcols = sorted(TARGETS)
    head = ["序号", "一级指标", "二级指标", "三级指标", "指标属性", "计量单位", "分值", "牵头单位", "数据来源"]
    n = len(head) + (len(U) if inline else 0)
    ws["A1"] = "附件1"
    ws["A1"].font = Font(name="黑体", size=16)
    ws.cell(2, 1, "澜江省2025年度县域经济高质量发展综合考核指标及分值表（演示数据）").font = Font(name="方正小标宋简体", size=18)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=n)
    hr = 3
    for c, h in enumerate(head, 1):
        ws.cell(hr, c, h)
    if inline:
        for j, u in enumerate(U):
            ws.cell(hr, len(head) + 1 + j, u)
    r = hr + 1
    spans1, spans2 = [], []
    prev1 = prev2 = None
    for no, c1, l2, name, attr, pts, unit, lead in ROWS:
        ws.cell(r, 1, no)
        if c1 != prev1:
            spans1.append([r, r])
            ws.cell(r, 2, L1[c1])
            prev1, prev2 = c1, None
        else:
            spans1[-1][1] = r
        if (c1, l2) != prev2:
            spans2.append([r, r])
            ws.cell(r, 3, l2)
            prev2 = (c1, l2)
        else:
            spans2[-1][1] = r
        ws.cell(r, 4, name)
        ws.cell(r, 5, attr)
        ws.cell(r, 6, unit)
        ws.cell(r, 7, pts)
        ws.cell(r, 8, lead)
        ws.cell(r, 9, "省统计局" if no <= 19 else lead)
        if inline and no in TARGETS:
            for j in range(len(U)):
                ws.cell(r, len(head) + 1 + j, TARGETS[no][j])
        r += 1
    for a, b in spans1:
        if b > a:
            ws.merge_cells(start_row=a, start_column=2, end_row=b, end_column=2)
    for a, b in spans2:
        if b > a:
            ws.merge_cells(start_row=a, start_column=3, end_row=b, end_column=3)
    box(ws, hr, 1, r - 1, n)
    ws.cell(r, 1, "注：1.指标属性为“逆向”的指标数值越低越好；2.“扣1.3分”为每发生一起扣1.3分；3.约束条件未完成的实行一票否决，"
                  "不参加综合排名；4.分县（市）目标见《目标分解表》，“---”表示该县（市）不考核此项。")
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=n)
    for col, w in zip("ABCDEFGHI", (5, 10, 10, 28, 8, 8, 8, 14, 10)):
        ws.column_dimensions[col].width = w
    if not inline:
        ts = wb.create_sheet("目标分解表")
        ts.cell(1, 1, "澜江省2025年度县域经济高质量发展综合考核目标分解表（演示数据）")
        ts.merge_cells(start_row=1, start_column=1, end_row=1, end_column=1 + len(tcols))
        ts.cell(2, 1, "县（市）")
        for k, no in enumerate(tcols):
            ts.cell(2, 2 + k, f"{NAME[no]}（{UNIT_OF[no]}）")
        for j, u in enumerate(U):
            ts.cell(3 + j, 1, u)
            for k, no in enumerate(tcols):
                ts.cell(3 + j, 2 + k, TARGETS[no][j])
        box(ts, 2, 1, 2 + len(U), 1 + len(tcols))
        ts.cell(4 + len(U), 1, "注：“---”表示该县（市）不考核此项指标，不计入其满分。")
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)


# ------------------------------------------------------------------ 2025-03: bureau, three sheets
def bureau_text(no, v, style: int):
    """How the bureau writes a figure (style varies the notation)."""
    if v is None:
        return "—" if style % 2 == 0 else "/"
    if no == 1 and style % 3 == 0:
        return f"增长{v}%"
    if no == 8 and v < 0 and style % 2 == 1:
        return f"下降{-v}%"
    if no in (4, 17) and style % 4 == 1:
        return str(v).translate(FW)     # full-width digits
    return v


PROV3 = {1: 6.1, 2: 6.8, 3: 4.4, 4: 5.5, 5: 4.8, 6: 70.1, 7: 52000, 8: 3.9, 9: 2.1, 10: 3100, 11: 210.5,
         12: 6.4, 13: 2.9, 14: 30, 15: 55.2, 16: 98000, 17: 5.9, 18: 5.1, 19: 95.2}


def write_march(path: Path, mode: str = "sheets", aliases: bool = True):
    """`mode` 'sheets': one sheet per category, numbering from 1 on each; 'stacked': the three
    tables one below the other on one sheet, each with its title and header; 'one': one table,
    the system's numbering (the control)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    blocks = [("经济发展", list(range(1, 9)), "left"), ("创新驱动", list(range(9, 13)), "right"),
              ("绿色民生", list(range(13, 22)), "left")]
    if mode == "one":
        blocks = [("全部指标", list(range(1, 22)), "left")]
    units = BUREAU_ORDER
    n = 3 + len(units) + 1
    ws = None
    top = 1
    for si, (title, nos, prov) in enumerate(blocks):
        if ws is None or mode == "sheets":
            ws = wb.create_sheet(title if mode == "sheets" else "1-3月")
            top = 1
        ws.cell(top, 1, f"澜江省2025年1-3月县域经济主要指标监测表（{title}）")
        ws.merge_cells(start_row=top, start_column=1, end_row=top, end_column=n)
        ws.cell(top + 1, 1, "演示数据                                                    澜江省统计局  2025年4月")
        ws.merge_cells(start_row=top + 1, start_column=1, end_row=top + 1, end_column=n)
        hr = top + 2
        ws.cell(hr, 1, "序号")
        ws.cell(hr, 2, "指标名称")
        ws.cell(hr, 3, "计量单位")
        uc = 4 if prov == "right" else 5
        if prov == "left":
            ws.cell(hr, 4, "全省")
        else:
            ws.cell(hr, n, "全省平均")
        for j, u in enumerate(units):
            ws.cell(hr, uc + j, ALIAS3.get(u, u) if aliases else u)
        for k, no in enumerate(nos):
            r = hr + 1 + k
            ws.cell(r, 1, no if mode == "one" else k + 1)   # the bureau numbers each table from 1
            ws.cell(r, 2, NAME[no])
            ws.cell(r, 3, UNIT_OF[no])
            if no <= 19:
                pc = 4 if prov == "left" else n
                ws.cell(r, pc, PROV3[no])
            for j, u in enumerate(units):
                v = V[M3][no][U.index(u)]
                if no == 20:
                    cell = "0" if v == 0 else f"{v}起"
                elif no == 21:
                    cell = "已完成" if v == 0 else "未完成"
                elif not_assessed(no, u):
                    cell = "—"
                else:
                    cell = bureau_text(no, v, j + si)
                ws.cell(r, uc + j, cell)
        last = hr + len(nos)
        box(ws, hr, 1, last, n)
        ws.cell(last + 1, 1, "注：1.增速按可比价计算；2.“—”“/”为暂无数据或不考核；3.PM2.5浓度、万元GDP用水量、"
                             "城镇调查失业率为逆向指标。")
        ws.merge_cells(start_row=last + 1, start_column=1, end_row=last + 1, end_column=n)
        ws.column_dimensions["B"].width = 30
        top = last + 3
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)


# ------------------------------------------------------------------ 2025-04: one sheet, header repeated
def write_april(path: Path, aliases: bool = True):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "1-4月"
    units = [u for u in BUREAU_ORDER if u in PRESENT[M4]]
    n = 3 + len(units) + 1
    ws.cell(1, 1, "2025年1-4月全省县域经济运行主要指标（演示数据）")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=n)

    def header(r):
        for c, h in [(1, "序号"), (2, "指  标"), (3, "单位"), (n, "全省\n平均")]:
            ws.cell(r, c, h)
            ws.merge_cells(start_row=r, start_column=c, end_row=r + 1, end_column=c)
        ws.cell(r, 4, "各县（市）完成情况")
        ws.merge_cells(start_row=r, start_column=4, end_row=r, end_column=3 + len(units))
        for j, u in enumerate(units):
            ws.cell(r + 1, 4 + j, ALIAS4.get(u, u) if aliases else u)
        box(ws, r, 1, r + 1, n)
        return r + 2

    r = header(2)
    sect = {1: "一、经济发展", 9: "二、创新驱动", 13: "三、绿色发展", 16: "四、民生保障"}
    for no in SCORED:
        if no == 13:
            r = header(r)     # the bureau pasted page 2 with its header
        if no in sect:
            ws.cell(r, 1, sect[no])
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=n)
            r += 1
        ws.cell(r, 1, no)
        ws.cell(r, 2, NAME[no] if no != 9 else "R&D经费投入强度")
        ws.cell(r, 3, UNIT_OF[no])
        vals = [V[M4][no][U.index(u)] for u in units]
        for j, (u, v) in enumerate(zip(units, vals)):
            if v is None:
                cell = "—"
            elif no == 2 and j % 3 == 0:
                cell = str(v).translate(FW)
            elif no == 17 and j % 2 == 0:
                cell = f"增长{v}%"
            else:
                cell = v
            ws.cell(r, 4 + j, cell)
        ws.cell(r, n, round(sum(v for v in vals if v is not None) / len([v for v in vals if v is not None]), 2))
        box(ws, r, 1, r, n)
        r += 1
    ws.cell(r, 1, "注：梅垭县数据未报；“—”为暂无数据或不考核。")
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=n)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)


# ------------------------------------------------------------------ 2025-05: each unit's own file
def clerk_text(no, v):
    if v is None:
        return "—"
    if no in (1, 2, 4, 17):
        return f"增长{v}%" if v >= 0 else f"下降{-v}%"
    if no == 3 and v < 0:
        return f"下降{-v}%"
    if no == 7:
        return f"{v}万美元"
    if no == 10:
        return f"{v}家"
    if no == 16:
        return f"{v}人"
    if no == 20:
        return "未发生" if v == 0 else f"发生{v}起"
    if no == 21:
        return "已完成" if v == 0 else "未完成"
    return v


def unit_rows(u: str):
    """(no, 一级, name, unit, points, target, figure, rank text) of a unit's June sheet."""
    ranks = {}
    for no in SCORED:
        vals = {w: V[M5][no][U.index(w)] for w in U if V[M5][no][U.index(w)] is not None}
        ranks[no] = rank_of(vals, no in LOWER)
    j = U.index(u)
    out = []
    for no, c1, l2, name, attr, pts, unit, lead in ROWS:
        t = TARGETS[no][j] if no in TARGETS else ("不发生" if no == 20 else "完成省下达任务" if no == 21 else "")
        if not_assessed(no, u):
            fig, rk = NA, NA
        else:
            fig = clerk_text(no, V[M5][no][j])
            rk = ""
            if no in ranks and u in ranks[no]:
                rk = f"第{ranks[no][u]}名" if j % 2 == 0 else f"{ranks[no][u]}/{len(U)}"
        out.append((no, L1[c1], name, unit, pts, t, fig, rk))
    return out


def l1_spans(rows) -> list[tuple[int, int, str]]:
    """(first, last, 一级指标) of each run of rows under one 一级指标 (merged down them)."""
    spans: list[list] = []
    for k, row in enumerate(rows):
        if spans and spans[-1][2] == row[1]:
            spans[-1][1] = k
        else:
            spans.append([k, k, row[1]])
    return [tuple(x) for x in spans]


def unit_title(u: str, aliases: bool = True) -> str:
    short = {BY: "白岩县"}.get(u, u) if aliases else u
    return f"{short}2025年1-5月县域经济高质量发展考核指标完成情况一览表（演示数据）"


HEAD5 = ["序号", "一级指标", "考核指标", "计量\n单位", "分值", "2025年\n目标", "1-5月\n完成值", "全省\n位次", "备注"]


def write_unit_may(path: Path, u: str, aliases: bool = True):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "完成情况"
    n = len(HEAD5)
    ws["A1"] = "附件2"
    ws.cell(2, 1, unit_title(u, aliases))
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=n)
    for c, h in enumerate(HEAD5, 1):
        ws.cell(3, c, h)
    rows = unit_rows(u)
    for k, (no, _l1, name, unit, pts, t, fig, rk) in enumerate(rows):
        for c, v in enumerate((no, None, name, unit, pts, t, fig, rk), 1):
            if v is not None:
                ws.cell(4 + k, c, v)
    for a, b, text in l1_spans(rows):  # 一级指标 merged down its rows
        ws.cell(4 + a, 2, text)
        if b > a:
            ws.merge_cells(start_row=4 + a, start_column=2, end_row=4 + b, end_column=2)
    r = 4 + len(rows)
    box(ws, 3, 1, r - 1, n)
    ws.cell(r + 1, 1, f"填报单位（盖章）：{u}人民政府        主要负责人：        填报人：        联系电话：        "
                      "填报日期：2025年6月5日")
    ws.merge_cells(start_row=r + 1, start_column=1, end_row=r + 1, end_column=n)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)


def write_unit_may_xls(path: Path, u: str, aliases: bool = True) -> bool:
    try:
        import xlwt
    except ImportError:
        return False
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("完成情况")
    ws.write(0, 0, "附件2")
    ws.write_merge(1, 1, 0, len(HEAD5) - 1, unit_title(u, aliases))
    for c, h in enumerate(HEAD5):
        ws.write(2, c, h)
    rows = unit_rows(u)
    for k, (no, _l1, name, unit, pts, t, fig, rk) in enumerate(rows):
        for c, v in enumerate((no, None, name, unit, pts, t, fig, rk)):
            if v is not None:
                ws.write(3 + k, c, v)
    for a, b, text in l1_spans(rows):
        if b > a:
            ws.write_merge(3 + a, 3 + b, 1, 1, text)
        else:
            ws.write(3 + a, 1, text)
    r = 3 + len(rows)
    ws.write_merge(r + 1, r + 1, 0, len(HEAD5) - 1,
                   f"填报单位（盖章）：{u}人民政府    主要负责人：    填报人：    联系电话：    填报日期：2025年6月4日")
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(str(path))
    return True


TOML = """# 澜江省2025年度县域经济高质量发展综合考核（演示数据）
[scoring]
method = "rank_steps"
rank_step = 5

[indicators."5"]
method = "efficacy"

[indicators."16"]
method = "completion"
"""

SYSTEM = "附件1：澜江省2025年度县域经济高质量发展综合考核指标及分值表.xlsx"
XLS_UNIT = SY


def build(root: Path, targets: str = "sheet", march: str = "sheets", aliases: bool = True,
          xls: bool = True) -> Path:
    """The workspace under `root` (replaced).
    `targets`: 'sheet' (目标分解表, a second sheet of the system) or 'inline' (unit columns of
    the main sheet, the README's layout).  `march`: 'sheets' (one sheet per category), 'stacked'
    (the three tables on one sheet) or 'one' (one table, the control).  `aliases`: the bureau's
    and the clerks' short names (澜江, 白岩县, 白岩自治县); False writes every name in full.
    `xls`: 石砚市's May file as .xls (needs xlwt)."""
    if root.exists():
        shutil.rmtree(root)
    inp = root / "input"
    write_system(inp / SYSTEM, targets)
    write_march(inp / "2025-03" / "澜江省2025年1-3月县域经济主要指标监测表.xlsx", march, aliases)
    write_april(inp / "2025-04" / "2025年1-4月全省县域经济运行主要指标.xlsx", aliases)
    for u in U:
        stem = f"{u}2025年1-5月考核指标完成情况一览表"
        if u == XLS_UNIT and xls and write_unit_may_xls(inp / "2025年5月" / f"{stem}.xls", u, aliases):
            continue
        write_unit_may(inp / "2025年5月" / f"{stem}.xlsx", u, aliases)
    (root / "kaohe.toml").write_text(TOML, encoding="utf-8")
    return root


# ------------------------------------------------------------------ worked by hand
def thirds(n: int) -> tuple[int, int]:
    return math.ceil(n / 3), math.ceil(2 * n / 3)


def colour(rank, n):
    if rank is None:
        return None
    g, y = thirds(n)
    return "green" if rank <= g else "yellow" if rank <= y else "red"


def hand_month(month: str) -> dict:
    """unit -> {'items': {no: (rank, colour, score, points)}, 'subtotals': {一级: (score, points)},
    'full', 'total', 'rate', 'place', 'veto', 'prev_place', 'change'} for the units with data this
    month (Fractions; score None where nothing is scored)."""
    vals = V[month]
    units = PRESENT[month]
    n = len(units)
    out = {u: {"items": {}, "full": Fraction(0), "total": Fraction(0), "veto": False,
               "subtotals": {c: [Fraction(0), Fraction(0)] for c in L1}} for u in units}
    for no in SCORED:
        have = {u: Fraction(str(vals[no][U.index(u)])) for u in units
                if vals[no][U.index(u)] is not None and not not_assessed(no, u)}
        ranks = rank_of(have, no in LOWER)
        best = (min if no in LOWER else max)(have.values())
        worst = (max if no in LOWER else min)(have.values())
        for u in units:
            p = None if not_assessed(no, u) else Fraction(POINTS[no])
            rank = ranks.get(u)
            score = None
            if p is not None and u in have:
                m = METHOD.get(no, "rank_steps")
                if m == "rank_steps":
                    score = p * max(Fraction(0), 1 - Fraction(5, 100) * (rank - 1))
                elif m == "efficacy":
                    d = 60 + 40 * (have[u] - worst) / (best - worst)
                    score = p * d / 100
                elif m == "completion":
                    t = Fraction(str(TARGETS[no][U.index(u)]))
                    score = p * min(have[u] / t, Fraction(1))
            if score is not None:   # each item's score to 6 places; totals are their exact sum (README 得分精确)
                score = Fraction(round(score, 6))
            out[u]["items"][no] = (rank, colour(rank, n), score, p)
            if p is not None:
                out[u]["full"] += p
                out[u]["subtotals"][CATEGORY[no]][1] += p
            if score is not None:
                out[u]["total"] += score
                out[u]["subtotals"][CATEGORY[no]][0] += score
    for u in units:
        j = U.index(u)
        if 20 in vals:
            d = -DEDUCT_PER_EVENT * vals[20][j]
            out[u]["items"][20] = (None, None, d, None)
            out[u]["total"] += d
            out[u]["subtotals"][CATEGORY[20]][0] += d
            out[u]["veto"] = bool(vals[21][j])
            out[u]["items"][21] = (None, None, None, None)
        else:   # nobody reported: unknown, not scored, not a veto
            out[u]["items"][20] = (None, None, None, None)
            out[u]["items"][21] = (None, None, None, None)
        out[u]["rate"] = out[u]["total"] / out[u]["full"] * 100
    placed = {u: r["rate"] for u, r in out.items() if not r["veto"]}
    for u in units:
        out[u]["place"] = 1 + sum(1 for w in placed.values() if w > placed[u]) if u in placed else None
    k = MONTHS.index(month)
    prev = hand_month(MONTHS[k - 1]) if k else {}
    for u in units:
        pp = prev.get(u, {}).get("place")
        out[u]["prev_place"] = pp
        out[u]["change"] = pp - out[u]["place"] if pp is not None and out[u]["place"] is not None else None
    return out


if __name__ == "__main__":
    import sys
    root = build(Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/h26/ws"))
    for m in MONTHS:
        h = hand_month(m)
        print(m, [(u, h[u]["place"], float(round(h[u]["rate"], 2))) for u in sorted(h, key=lambda u: (h[u]["place"] or 99))])
