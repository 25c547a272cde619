"""临江市 / 云溪县 (invented, 演示数据): a county run on a system from another place, built the
way clerks make them, for the second review on unseen data (tests/test_second_review.py).

7 peer counties, 4 months in folders named four ways (2024年3月, 2024-04, 202405, 2024年6月份);
the system has a merged category column with 小计 rows and a 合计 row, a 配合单位 column,
targets in words (增长8%以上, 不低于95%, ≥25家, 前三名, 完成省定任务), points 5分 / 3 (临江高新区6)
/ 4 (云溪县5) / one 4分 merged over an indicator split in two rows (with its 序号 merged too),
a bonus whose points cell gives only its cap (≤2, 每项加1分 in the remarks), a deduction with its
rule in the name, a constraint. The peer sheet has ---, 暂无, ties, 0.0235 formatted 0.00%,
增长/下降 in words; with `bureau` the statistics bureau numbers its rows 1..14 itself. In June
人社局 sends nothing, 财政局 is late, 应急管理局's sheet has a blank sheet in front, and 发改委
writes 12.5亿元 (an amount) for a growth rate and a rank the peer data contradicts.
"""
import random

US = "云溪县"
CITY = "临江市"
PEERS = ["云溪县", "青石县", "桐川县", "白沙县", "柳河县", "金台市", "凤山县"]
MONTHS = ["2024-03", "2024-04", "2024-05", "2024-06"]
FOLDERS = {"2024-03": "2024年3月", "2024-04": "2024-04", "2024-05": "202405", "2024-06": "2024年6月份"}

# key, 序号 cell, category, name, target text, points cell, lead, support, kind
# key '5a'/'5b' : one indicator split over two rows sharing a merged points cell "4分"
SYSTEM = [
    ("1", 1, "经济发展", "地区生产总值增速", "增长8%以上", "5分", "县发改委", "县统计局", "scored"),
    ("2", 2, "经济发展", "一般公共预算收入增速", "增长6%", "4分", "县财政局", "县税务局", "scored"),
    ("3", 3, "经济发展", "规模以上工业增加值增速", "增长9%", "3 (临江高新区6)", "县科工局", "", "scored"),
    ("4", 4, "经济发展", "固定资产投资增速", "增长10%", "4 (云溪县5)", "县发改委", "县统计局", "scored"),
    ("5a", 5, "经济发展", "城镇居民人均可支配收入增速", "增长6.5%", "4分", "县统计局", "县人社局", "scored"),
    ("5b", None, "经济发展", "农村居民人均可支配收入增速", "增长7.5%", None, "县统计局", "县农业农村局", "scored"),
    ("6", 6, "创新驱动", "研究与试验发展经费投入强度", "不低于2.2%", "3分", "县科工局", "", "scored"),
    ("7", 7, "创新驱动", "高新技术企业数", "≥25家", "2", "县科工局", "", "scored"),
    ("8", 8, "创新驱动", "规上工业企业研发机构覆盖率", "前三名", "2", "县科工局", "", "scored"),
    ("9", 9, "绿色生态", "细颗粒物（PM2.5）平均浓度", "≤35微克/立方米", "3分", "县生态环境局", "", "scored"),
    ("10", 10, "绿色生态", "单位地区生产总值能耗降低率", "完成省定任务", "2分", "县发改委", "", "scored"),
    ("11", 11, "绿色生态", "空气质量优良天数比例", "不低于85%", "2", "县生态环境局", "", "scored"),
    ("12", 12, "民生保障", "城镇新增就业人数", "6000人", "3分", "县人社局", "", "scored"),
    ("13", 13, "民生保障", "城镇登记失业率", "控制在4%以内", "2", "县人社局", "", "scored"),
    ("14", 14, "民生保障", "基本养老保险参保扩面", "完成省定任务", "2", "县人社局", "", "scored"),
    ("15", 15, "加分项", "获得国家级改革试点或表彰", "", "≤2", "县发改委", "", "bonus"),
    ("16", 16, "扣分项", "较大及以上生产安全事故（每发生一起扣1分，累计不超过3分）", "", "扣1分", "县应急管理局", "", "deduction"),
    ("17", 17, "扣分项", "重大环境污染事件", "", "约束条件", "县生态环境局", "", "constraint"),
]
SUBTOTALS = {"经济发展": 20, "创新驱动": 7, "绿色生态": 7, "民生保障": 7}
# kaohe.toml: item 11 completion-scored with completion warning; item 12 warned by time progress
TOML = '''county = "云溪县"

[indicators."11"]
method = "completion"
warning = "completion"

[indicators."12"]
warning = "progress"
'''
TARGETS = {"11": 85, "12": 6000}

rng = random.Random(20240601)


def _vals(base, spread, nd=1):
    return [round(base + rng.uniform(-spread, spread), nd) for _ in PEERS]


# Peer values by month and key, in PEERS order, as a clerk wrote them.
# Special cells: "---" (not assessed), "暂无" (no data), ("pct", 0.0235) = number 0.0235 formatted 0.00%
PEERV = {}
for mi, m in enumerate(MONTHS):
    d = {}
    d["1"] = _vals(6.5, 2.0)
    d["2"] = _vals(5.0, 6.0)
    d["3"] = _vals(8.0, 3.0)
    d["4"] = _vals(9.0, 8.0)
    d["5a"] = _vals(6.0, 1.0)
    d["5b"] = _vals(7.0, 1.0)
    d["6"] = _vals(2.2, 0.5, 2)
    d["7"] = [rng.randint(18, 34) for _ in PEERS]
    d["9"] = [rng.randint(28, 45) for _ in PEERS]
    d["10"] = _vals(3.0, 2.0)
    d["11"] = _vals(84.0, 6.0)
    d["12"] = [int(rng.uniform(500, 1000) * (mi + 3)) for _ in PEERS]
    d["13"] = _vals(3.6, 0.6)
    d["16"] = [rng.choice([0, 0, 0, 1, 2]) for _ in PEERS]
    PEERV[m] = d

# hand-placed specials for the current month (2024-06)
J = PEERV["2024-06"]
J["1"] = ["增长6.8%", "增长7.2%", "6.8%", "下降1.2%", 5.9, "增长7.20%", 6.1]  # ties 6.8/6.8 and 7.2/7.20
J["2"] = [4.4, -3.5, 6.1, "暂无", 2.0, 9.3, 4.4]          # 白沙县 暂无; tie 4.4
J["3"] = [9.4, 8.8, 10.1, 7.7, 6.6, 8.3, "---"]          # 凤山县 not assessed
J["6"] = [("pct", 0.0235), "2.41%", ("pct", 0.0198), "1.87%", ("pct", 0.0235), "3.05%", "2.2%"]  # tie 2.35
J["7"] = [28, 28, 31, 19, 22, 34, 28]                     # three-way tie at 28 behind 34, 31 -> rank 3
J["9"] = [33, 29, 36, 41, 33, 30, 38]                     # lower better: 29,30,33,33 -> ours 3
J["10"] = [3.6, 2.9, "暂无", 4.1, 3.6, 2.2, 3.0]
J["11"] = [("pct", 0.853), ("pct", 0.901), ("pct", 0.78), ("pct", 0.866), ("pct", 0.83), ("pct", 0.921), ("pct", 0.845)]
J["12"] = [2820, 3410, 2560, 2980, 2200, 4100, 2700]
J["13"] = ["3.4%", "3.1%", "3.9%", "3.4%", "3.5%", "2.9%", "3.6%"]  # lower better (失业率)
J["16"] = [1, 0, 0, 2, 0, 0, 1]
# May: a --- and a 暂无 too
PEERV["2024-05"]["3"][6] = "---"
PEERV["2024-05"]["2"][3] = "暂无"

CITY_COL = {"1": 6.9, "2": 4.0, "3": 8.5, "4": 9.2, "5a": 6.1, "5b": 7.0, "6": 2.3, "7": 190, "9": 34,
            "10": 3.2, "11": 85.0, "12": 20000, "13": 3.5, "16": 4}
PEER_NAMES = {"1": "地区生产总值增速(%)", "2": "一般公共预算收入\n增速(%)", "3": "规模以上工业增加值增速(%)",
              "4": "固定资产投资增速(%)", "5a": "城镇居民人均可支配\n收入增速(%)", "5b": "农村居民人均可支配收入增速(%)",
              "6": "研究与试验发展经费投入强度", "7": "高新技术企业数(家)", "9": "PM2.5平均浓度(微克/立方米)",
              "10": "单位地区生产总值能耗降低率(%)", "11": "空气质量优良天数比例", "12": "城镇新增就业人数(人)",
              "13": "城镇登记失业率", "16": "较大及以上生产安全事故(起)"}
PEER_CATS = [("一、经济发展", ["1", "2", "3", "4", "5a", "5b"]), ("二、创新驱动", ["6", "7"]),
             ("三、绿色生态", ["9", "10", "11"]), ("四、民生保障", ["12", "13"]), ("五、扣分项", ["16"])]

# Departments' monthly sheets: dept -> keys. Values as written (ours), rank as written.
DEPTS = {
    "县发改委": ["1", "4", "10", "15"],
    "县财政局": ["2"],
    "县科工局": ["3", "6", "7", "8"],
    "县统计局": ["5a", "5b"],
    "县生态环境局": ["9", "11", "17"],
    "县人社局": ["12", "13", "14"],
    "县应急管理局": ["16"],
}
# item 8 has no peer data: rank from the department's sheet, by month
RANK8 = {"2024-03": "第5名", "2024-04": "4", "2024-05": "第3名", "2024-06": "2/7"}
BONUS15 = {"2024-03": "0", "2024-04": "0", "2024-05": "1", "2024-06": "1"}
MISSING = {"2024-06": ["县人社局"]}     # late: no sheet this month
LATE = {"2024-06": {"县财政局": "2024年7月9日"}}  # reported after the 6th of the next month


# ---------------------------------------------------------------- the workbooks
import shutil  # noqa: E402
from pathlib import Path  # noqa: E402

import openpyxl  # noqa: E402
from openpyxl.styles import Alignment, Border, Font, Side  # noqa: E402

_thin = Side(style="thin")
BOX = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)


def box(ws, r1, c1, r2, c2):
    for r in range(r1, r2 + 1):
        for c in range(c1, c2 + 1):
            ws.cell(r, c).border = BOX
            ws.cell(r, c).alignment = Alignment(wrap_text=True, vertical="center")


def put(ws, r, c, v):
    if isinstance(v, tuple) and v[0] == "pct":
        ws.cell(r, c, v[1]).number_format = "0.00%" if v[1] < 0.1 else "0.0%"
    else:
        ws.cell(r, c, v)


def build(ROOT: Path, bureau: bool = False) -> Path:
    """The workspace at ROOT (replaced): kaohe.toml, the system, four month folders."""
    BUREAU_NO = bureau  # the statistics bureau's own 1..14 numbering
    ROOT = Path(ROOT)
    if ROOT.exists():
        shutil.rmtree(ROOT)
    (ROOT / "input").mkdir(parents=True)
    (ROOT / "kaohe.toml").write_text(TOML, encoding="utf-8")
    # ---------------------------------------------------------------- system
    wb = openpyxl.Workbook(); ws = wb.active; ws.title = "任务分工"
    NC = 9
    ws["A1"] = "附件1"; ws["A1"].font = Font(name="黑体", size=16)
    ws.cell(2, 1, "临江市2024年度县域经济高质量发展综合考核任务分工表").font = Font(name="方正小标宋简体", size=18)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=NC)
    for c, h in enumerate(["一级\n指标", "序号", "考核指标", "2024年\n目标任务", "分值", "牵头\n单位", "配合\n单位", "数据\n来源", "备注"], 1):
        ws.cell(3, c, h).font = Font(name="黑体")
    r = 4
    cat_first = {}
    cat_last = {}
    prev_cat = None
    for key, no, cat, name, target, pts, lead, sup, kind in SYSTEM:
        if prev_cat is not None and cat != prev_cat and prev_cat in SUBTOTALS:
            ws.cell(r, 3, "小计"); ws.cell(r, 5, SUBTOTALS[prev_cat])
            if prev_cat == "经济发展":
                cat_last[prev_cat] = r  # the category cell merged down over its 小计 row too
            r += 1
        prev_cat = cat
        cat_first.setdefault(cat, r); cat_last[cat] = max(cat_last.get(cat, r), r)
        if no is not None:
            ws.cell(r, 2, no)
        ws.cell(r, 3, name); ws.cell(r, 4, target or None)
        if pts is not None:
            ws.cell(r, 5, pts)
        ws.cell(r, 6, lead); ws.cell(r, 7, sup or None); ws.cell(r, 8, "市统计局" if kind == "scored" else "市考核办")
        if key == "5a":
            ws.merge_cells(start_row=r, start_column=2, end_row=r + 1, end_column=2)
            ws.merge_cells(start_row=r, start_column=5, end_row=r + 1, end_column=5)
            ws.cell(r, 9, "两项各占2分")
        if key == "15":
            ws.cell(r, 9, "每项加1分，累计不超过2分")
        r += 1
    for cat, a in cat_first.items():
        ws.cell(a, 1, cat)
        if cat_last[cat] > a:
            ws.merge_cells(start_row=a, start_column=1, end_row=cat_last[cat], end_column=1)
    ws.cell(r, 1, "合计"); ws.cell(r, 5, sum(SUBTOTALS.values())); r += 1
    box(ws, 3, 1, r - 1, NC)
    ws.cell(r, 1, "注：1.分值栏括号内为该县（市）适用分值；2.第5项城镇、农村居民收入增速各占2分；3.加分项累计不超过2分，"
                  "扣分项每发生一起扣1分、累计不超过3分；发生约束条件事项的取消评优资格。")
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=NC)
    ws.cell(r + 2, 6, "临江市县域经济发展考核办公室")
    ws.cell(r + 3, 6, "2024年1月15日")
    wb.save(ROOT / "input" / "临江市2024年度县域经济高质量发展综合考核任务分工表.xlsx")


    # ---------------------------------------------------------------- peers
    def peers(m):
        mo = int(m[5:])
        wb = openpyxl.Workbook(); ws = wb.active; ws.title = f"1-{mo}月"
        cols = ["序号", "指标名称", CITY] + PEERS + ["七县\n平均"]
        n = len(cols)
        ws.cell(1, 1, f"临江市七县（市）县域经济主要指标完成情况（2024年1-{mo}月）")
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=n)
        ws.cell(2, n, "单位：%、家、人")
        for c, h in enumerate(cols, 1):
            ws.cell(3, c, h)
        rr = 4
        seq = 0
        for cat, keys in PEER_CATS:
            ws.cell(rr, 1, cat); ws.merge_cells(start_row=rr, start_column=1, end_row=rr, end_column=n); rr += 1
            for k in keys:
                seq += 1
                ws.cell(rr, 1, seq if BUREAU_NO else int(k.rstrip("ab"))); ws.cell(rr, 2, PEER_NAMES[k])
                ws.cell(rr, 3, CITY_COL[k])
                for j, v in enumerate(PEERV[m][k]):
                    put(ws, rr, 4 + j, v)
                ws.cell(rr, n, "—")
                rr += 1
        box(ws, 3, 1, rr - 1, n)
        ws.cell(rr, 1, "注：“---”表示该县（市）不考核此项；“暂无”表示统计部门尚未反馈。数据来源：临江市统计局。")
        ws.merge_cells(start_row=rr, start_column=1, end_row=rr, end_column=n)
        return wb


    # ---------------------------------------------------------------- departments
    def ours(m, k):
        v = PEERV[m].get(k, [None])[0] if k in PEERV[m] else None
        if isinstance(v, tuple):
            v = f"{v[1] * 100:.2f}%".replace(".00%", "%")
        return v


    BYKEY = {s[0]: s for s in SYSTEM}


    def dept_sheet(m, dept, keys):
        mo = int(m[5:])
        wb = openpyxl.Workbook(); ws = wb.active; ws.title = f"{mo}月"
        if dept == "县应急管理局" and m == "2024-06":   # an extra blank sheet in front
            ws.title = "Sheet1"; ws = wb.create_sheet(f"{mo}月进展")
        heads = ["序号", "指标名称", "分值", "2023年完成\n情况（位次）", "2024年\n目标", f"1-{mo}月\n完成情况", "全市\n排位",
                 "预警\n等级", "存在问题", "下步措施"]
        ws.cell(1, 1, f"{US}{dept[1:]}2024年1-{mo}月县域经济高质量发展考核指标进展情况表")
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(heads))
        for c, h in enumerate(heads, 1):
            ws.cell(2, c, h)
        rr = 3
        for k in keys:
            s = BYKEY[k]
            ws.cell(rr, 1, s[1] if s[1] is not None else 5); ws.cell(rr, 2, s[3]); ws.cell(rr, 3, s[5] if s[5] else "4分")
            ws.cell(rr, 5, s[4] or None)
            v = ours(m, k)
            if k == "8":
                v = f"{60 + mo}%"
                ws.cell(rr, 7, RANK8[m])
            if k == "14":
                v = "正常推进"
            if k == "15":
                v = BONUS15[m]
            if k == "16":
                v = f"{PEERV[m]['16'][0]}起"
            if k == "17":
                v = "未发生"
            if k == "4" and m == "2024-06":
                v = "12.5亿元"     # the amount written instead of the growth rate
            if k == "1" and m == "2024-06":
                ws.cell(rr, 7, "第1名")  # a rank written by hand that the peer data contradicts
            ws.cell(rr, 6, v)
            rr += 1
        box(ws, 2, 1, rr - 1, len(heads))
        ws.cell(rr, 1, "注：完成情况为统计快报数。")
        date = LATE.get(m, {}).get(dept) or f"2024年{mo + 1}月3日"
        ws.cell(rr + 1, 1, f"填报单位（盖章）：{US}{dept[1:]}"); ws.cell(rr + 1, 5, "主要负责人：")
        ws.cell(rr + 1, 8, "填报人：")
        ws.cell(rr + 2, 1, "联系电话："); ws.cell(rr + 2, 5, f"填报日期：{date}")
        return wb


    for m in MONTHS:
        d = ROOT / "input" / FOLDERS[m]; d.mkdir()
        mo = int(m[5:])
        peers(m).save(d / f"临江市七县（市）主要指标（2024年1-{mo}月）.xlsx")
        for dept, keys in DEPTS.items():
            if dept in MISSING.get(m, []):
                continue
            dept_sheet(m, dept, keys).save(d / f"{US}{dept[1:]}2024年{mo}月考核指标进展情况.xlsx")
    return ROOT
