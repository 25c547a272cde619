"""Workspaces for issue #10: the system's own figures, rows matched as a clerk writes
them, qualitative progress, and an indicator system lying in a month folder.

岚川县 (invented) among six invented peers of 锦原市, June 2024. The indicator system is
the office's own 附件2 一览表, prepared at the start of the year: last year's result and
rank and this year's county target filled in, 截至本月底完成情况 / 六县市排名 / 预警提示
left blank. Four departments report in their own ways (one .xls), the city's bureau
sends the peer sheet. Everything is built the way clerks build it: 附件 labels, merged
titles, header cells with line breaks, merged category cells, 注 rows, spacer rows,
sign-off lines. All numbers are synthetic; the truth lives in tests/test_exact_rows.py.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.styles import Alignment, Border, Font, Side

COUNTY = "岚川县"
MONTH = "2024-06"
CITY = "锦原市"
COUNTIES = ["岚川县", "梧峰县", "云溪县", "青禾县", "泽安市", "棠阳市"]
SYSTEM_TITLE = "岚川县2024年度高质量发展综合绩效指标完成情况一览表"
SYSTEM_FILE = f"附件2：{SYSTEM_TITLE}.xlsx"
SYSTEM_FILE_XLS = f"附件2：{SYSTEM_TITLE}.xls"

SECTIONS = ["一、经济运行", "二、创新驱动", "三、民生保障", "四、改革与治理"]
# (序号, section, name, 分值, 责任单位, 2023年度完成值, 2023年度位次, 2024年度县定目标)
SYSTEM = [
    (1, 0, "地区生产总值增速", 5, "县发改委", "5.8%", 3, "6.5%"),
    (2, 0, "规模以上工业增加值增速", 5, "县工信局", "7.1%", 2, "8%"),
    (3, 0, "固定资产投资增速", 4, "县发改委", "9.2%", 1, "10%"),
    (4, 0, "社会消费品零售总额增速", 4, "县商务局", "6.0%", 4, "6.5%"),
    (5, 0, "一般公共预算收入增长", 4, "县财政局", "4.3%", 5, "5%"),
    (6, 0, "实际利用外资", 2, "县商务局", "4200万美元", 3, "5000万美元"),
    (7, 1, "高新技术企业净增数", 3, "县工信局", "9家", 2, "12家"),
    (8, 1, "规模以上工业企业研发活动覆盖率", 2, "县工信局", "38%", 4, "45%"),
    (9, 2, "城镇新增就业人数", 3, "县人社局", "5800人", 2, "6000人"),
    (10, 2, "农村居民人均可支配收入增速", 3, "县农业农村局", "7.2%", 3, "7.5%"),
    (11, 2, "城乡居民基本养老保险参保率", 2, "县人社局", "95.1%", 5, "96%"),
    (12, 3, "完成市定政务服务目标任务", 2, "县行政服务中心", "", None, "完成市定任务"),
    (13, 3, "推进“一件事一次办”集成改革", 1, "县行政服务中心", "", None, "完成市定任务"),
    (14, 3, "认真做好社会信用体系建设工作", 1, "县发改委", "", None, "完成市定任务"),
]
TOTAL_POINTS = sum(x[3] for x in SYSTEM)  # 41

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="center", horizontal="center")
SIGN = "填报单位（盖章）：{unit}      主要负责人：      填报人：      联系电话：      填报日期：{date}"


def _box(ws, top, left, bottom, right):
    for row in ws.iter_rows(min_row=top, max_row=bottom, min_col=left, max_col=right):
        for c in row:
            c.border = BOX
            c.alignment = WRAP


def _last_year(ly: str, rank: int | None) -> str:
    if not ly:
        return "—"
    return f"{ly}（{rank}）" if rank is not None else ly


# ------------------------------------------------------------------ the indicator system
def write_system_overview(path: Path, title: str = SYSTEM_TITLE) -> Path:
    """附件2 一览表 (.xlsx) as the office keeps it: one column 2023年度完成情况（位次）
    written `5.8%（3）`, the 2024 target, the month's columns blank; each category a row
    merged across; a 注 row and the colour rule at the foot."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "一览表"
    head = ["序号", "指标名称", "分值", "责任单位", "2023年度完成\n情况（位次）", "2024年度\n县定目标",
            "截至本月底\n完成情况", "六县市\n排名", "预警\n提示"]
    n = len(head)
    ws["A1"] = "附件2"
    ws["A1"].font = Font(name="黑体", size=16)
    ws["A2"] = title
    ws["A2"].font = Font(name="方正小标宋简体", size=20)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=n)
    for i, h in enumerate(head, 1):
        ws.cell(3, i, h).font = Font(name="黑体", size=12)
    r = 4
    last = None
    for no, sec, name, pts, unit, ly, lyr, tgt in SYSTEM:
        if sec != last:
            ws.cell(r, 1, SECTIONS[sec])
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=n)
            r += 1
            last = sec
        for c, v in enumerate([no, name, pts, unit, _last_year(ly, lyr), tgt], 1):
            ws.cell(r, c, v)
        r += 1
    _box(ws, 3, 1, r - 1, n)
    ws.cell(r, 1, "注：1.2023年度完成情况括号内为在全市六县（市）中的位次；2.截至本月底完成情况由各责任单位于次月6日前报送。")
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=n)
    ws.cell(r + 1, 1, "红黄绿预警提示：排名1-2名的用绿色标识，排名3-4名的用黄色标识，排名5-6名的用红色标识。")
    ws.merge_cells(start_row=r + 1, start_column=1, end_row=r + 1, end_column=n)
    for col, w in zip("ABCDEFGHI", (6, 34, 6, 16, 14, 12, 14, 8, 8)):
        ws.column_dimensions[col].width = w
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def write_system_overview_xls(path: Path, title: str = SYSTEM_TITLE) -> Path:
    """The same 一览表 saved by WPS as .xls, laid out the other common way: a 指标类别
    column merged down its rows, 2023年度完成情况 over two columns 完成值 | 位次 (a
    two-row header, the other header cells merged down), the month's columns blank."""
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("附件2")
    hs = xlwt.easyxf("font: bold on; align: wrap on, vert centre, horiz centre; "
                     "borders: left thin, right thin, top thin, bottom thin")
    bs = xlwt.easyxf("align: wrap on, vert centre; borders: left thin, right thin, top thin, bottom thin")
    ncol = 11
    ws.write(0, 0, "附件2")
    ws.write_merge(1, 1, 0, ncol - 1, title)
    top = ["序号", "指标\n类别", "指标名称", "分值", "责任单位", "2023年度完成情况", None, "2024年度\n县定目标",
           "截至本月底\n完成情况", "六县市\n排名", "预警\n提示"]
    for c, h in enumerate(top):
        if h is None:
            continue
        if c == 5:
            ws.write_merge(2, 2, 5, 6, h, hs)
        else:
            ws.write_merge(2, 3, c, c, h, hs)
    ws.write(3, 5, "完成值", hs)
    ws.write(3, 6, "位次", hs)
    r = 4
    cats = [s.split("、", 1)[1] for s in SECTIONS]
    for sec in range(len(SECTIONS)):
        rows = [x for x in SYSTEM if x[1] == sec]
        ws.write_merge(r, r + len(rows) - 1, 1, 1, cats[sec], hs)
        for no, _s, name, pts, unit, ly, lyr, tgt in rows:
            for c, v in zip((0, 2, 3, 4, 5, 6, 7), (no, name, pts, unit, ly or "—", lyr if lyr is not None else "—", tgt)):
                ws.write(r, c, v, bs)
            for c in (8, 9, 10):
                ws.write(r, c, "", bs)
            r += 1
    ws.write_merge(r, r, 0, ncol - 1, "注：位次为2023年度在全市六县（市）中的位次；截至本月底完成情况由各责任单位于次月6日前报送。")
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(str(path))
    return path


def write_task_table(path: Path) -> Path:
    """The same indicators as a 任务分工表 (附件1): no month columns, 牵头/配合 under
    责任单位, the category column merged down, a 合计 row and a 注 row."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "任务分工"
    ws["A1"] = "附件1"
    ws["A2"] = "岚川县2024年度高质量发展综合绩效考核指标任务分工表"
    ws.merge_cells("A2:G2")
    for i, h in enumerate(["序号", "指标\n类别", "考核指标", "分值", "责任单位", None, "备注"], 1):
        if h:
            ws.cell(3, i, h)
    ws.cell(4, 5, "牵头单位")
    ws.cell(4, 6, "配合单位")
    for col in "ABCDG":
        ws.merge_cells(f"{col}3:{col}4")
    ws.merge_cells("E3:F3")
    r = 5
    cats = [s.split("、", 1)[1] for s in SECTIONS]
    for sec in range(len(SECTIONS)):
        rows = [x for x in SYSTEM if x[1] == sec]
        ws.cell(r, 2, cats[sec])
        ws.merge_cells(start_row=r, start_column=2, end_row=r + len(rows) - 1, end_column=2)
        for no, _s, name, pts, unit, *_ in rows:
            ws.cell(r, 1, no)
            ws.cell(r, 3, name)
            ws.cell(r, 4, pts)
            ws.cell(r, 5, unit)
            ws.cell(r, 6, "县统计局" if "增速" in name else None)
            r += 1
    ws.cell(r, 1, "合计")
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=3)
    ws.cell(r, 4, TOTAL_POINTS)
    _box(ws, 3, 1, r, 7)
    ws.cell(r + 1, 1, "注：各责任单位于次月6日前报送指标进展情况。")
    ws.merge_cells(start_row=r + 1, start_column=1, end_row=r + 1, end_column=7)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


# ------------------------------------------------------------------ the peer sheet
# (city 序号, name as the city writes it, values in COUNTIES order)
PEERS = [
    (1, "地区生产总值增速", [6.1, 6.8, 5.9, 6.3, 5.2, 6.0]),
    (2, "固定资产投资增速", [9.0, 12.5, 10.1, 9.3, 9.6, 7.4]),
    (3, "社会消费品零售总额增速", [5.5, 5.0, 6.2, 4.8, 5.9, 5.1]),
    (4, "农村居民人均可支配收入增速", [7.4, 7.0, 7.6, 7.4, 6.9, 7.1]),
]


def write_peers(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "1-6月"
    ncol = 3 + len(COUNTIES)
    ws.cell(1, 1, f"{CITY}六县（市）高质量发展主要指标完成情况（2024年1-6月）")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncol)
    ws.cell(2, ncol, "单位：%")
    for i, h in enumerate(["序号", "指标名称", "方向"] + COUNTIES, 1):
        ws.cell(3, i, h)
    for k, (no, name, vals) in enumerate(PEERS):
        r = 4 + k
        ws.cell(r, 1, no)
        ws.cell(r, 2, name)
        ws.cell(r, 3, "正向")
        for j, v in enumerate(vals):
            ws.cell(r, 4 + j, v)
    _box(ws, 3, 1, 3 + len(PEERS), ncol)
    r = 4 + len(PEERS)
    ws.cell(r, 1, "注：数据来源于市统计局。")
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncol)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


# ------------------------------------------------------------------ department sheets
STD = ["序号", "指标名称", "截至6月底\n完成情况", "六县市\n排名", "存在问题", "下步举措"]


def _dept_xlsx(path: Path, title: str, header: list[str], rows: list[list[Any]], foot: list[str],
               sheet: str = "Sheet1") -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    n = len(header)
    ws["A1"] = "附件2"
    ws["A1"].font = Font(name="黑体", size=14)
    ws["A2"] = title
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=n)
    for i, h in enumerate(header, 1):
        ws.cell(3, i, h)
    r = 3
    for row in rows:
        r += 1
        for i, v in enumerate(row, 1):
            if v is not None and v != "":
                ws.cell(r, i, v)
        if len(row) == 1 and row[0]:  # a category row merged across
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=n)
    _box(ws, 3, 1, r, n)
    for line in foot:
        r += 1
        ws.cell(r, 1, line)
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=n)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def _dept_xls(path: Path, title: str, header: list[str], rows: list[list[Any]], foot: list[str],
              sheet: str = "6月") -> Path:
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet(sheet)
    wrap = xlwt.easyxf("align: wrap on, vert centre; borders: left thin, right thin, top thin, bottom thin")
    n = len(header)
    ws.write(0, 0, "附件2")
    ws.write_merge(1, 1, 0, n - 1, title)
    for i, h in enumerate(header):
        ws.write(2, i, h, wrap)
    r = 2
    for row in rows:
        r += 1
        if len(row) == 1 and row[0]:
            ws.write_merge(r, r, 0, n - 1, row[0], wrap)
            continue
        for i, v in enumerate(row):
            ws.write(r, i, "" if v is None else v, wrap)
    for line in foot:
        r += 1
        ws.write_merge(r, r, 0, n - 1, line)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(str(path))
    return path


def _stamp(path: Path, day: dt.date) -> None:
    t = dt.datetime(day.year, day.month, day.day, 17, 30).timestamp()
    os.utime(path, (t, t))


# file names, for the tests
FGW_FILE = "岚川县发改委2024年6月指标进展情况.xlsx"
GXJ_FILE = "工信局6月报表.xls"
CZJ_FILE = "岚川县财政局2024年6月指标进展情况.xlsx"
XZFW_FILE = "岚川县行政服务中心2024年6月指标进展情况.xlsx"

# rows (1-based) the tests look at
GXJ_ROW_GUISHANG = 5  # 规上工业增加值 (system 2 规模以上工业增加值增速)
GXJ_ROW_GAOQI = 7  # 高新技术企业净增数, written exactly as the system
CZJ_ROW_YIBAN = 4  # 一般公共预算收入 (system 5 一般公共预算收入增长)
CZJ_ROW_REJECTED = 5  # 序号 6 written 税收收入占一般公共预算收入比重: system 6 is 实际利用外资


def write_departments(folder: Path) -> None:
    # 发改委: the fuller 附件2 header, with last year and the target; it fills them for
    # GDP (its own last-year rank 2, target 7%) and leaves them blank for 固定资产投资.
    p = folder / FGW_FILE
    _dept_xlsx(p, "岚川县发展和改革委员会2024年1-6月高质量发展综合绩效指标进展情况表",
               ["序号", "指标名称", "2023年完成\n情况（位次）", "2024年\n目标", "截至6月底\n完成情况", "六县市\n排名",
                "存在问题", "下步举措"], [
                   ["一、经济运行"],
                   [1, "地区生产总值增速", "5.8%（2）", "7%", "6.1%", 3, "工业拉动不足", "加快项目入统"],
                   [3, "固定资产投资增速", None, None, "9.0%", None, "新开工项目偏少", "开展项目建设攻坚"],
                   [None, None, None, None, None, None, None, None],
                   ["四、改革与治理"],
                   [14, "认真做好社会信用体系建设工作", None, None, "正常推进", None, None, None],
               ], [SIGN.format(unit="岚川县发展和改革委员会", date="2024年7月3日")])
    _stamp(p, dt.date(2024, 7, 3))

    # 工信局 (.xls): the indicator written short, `增长9.4%`, ranks as 第2名 / 第5名, 暂无
    p = folder / GXJ_FILE
    _dept_xls(p, "岚川县工业和信息化局2024年1-6月高质量发展综合绩效指标进展情况表", STD, [
        ["一、经济运行"],
        [2, "规上工业增加值", "增长9.4%", "第2名", None, "抓好重点企业满产达产"],
        ["二、创新驱动"],
        [7, "高新技术企业净增数", "4家", "第5名", "申报企业储备不足", "加强梯次培育"],
        [8, "规模以上工业企业研发活动覆盖率", "暂无", "—", "市统计局尚未反馈", None],
    ], [SIGN.format(unit="岚川县工业和信息化局", date="2024年7月4日")])
    _stamp(p, dt.date(2024, 7, 4))

    # 财政局: the indicator written short; a row under the wrong 序号 (6 is 实际利用外资,
    # not 财政局's) with a name that is no indicator of the system: rejected
    p = folder / CZJ_FILE
    _dept_xlsx(p, "岚川县财政局2024年1-6月高质量发展综合绩效指标进展情况表", STD, [
        [5, "一般公共预算收入", "5.6%", "4", "非税收入下降", "加强税源管控"],
        [6, "税收收入占一般公共预算收入比重", "71.2%", "3", None, None],
    ], [SIGN.format(unit="岚川县财政局", date="2024年7月5日")], sheet="6月")
    _stamp(p, dt.date(2024, 7, 5))

    # 行政服务中心: both indicators qualitative
    p = folder / XZFW_FILE
    _dept_xlsx(p, "岚川县行政服务中心2024年1-6月高质量发展综合绩效指标进展情况表", STD, [
        [12, "完成市定政务服务目标任务", "按时序推进，已承接事项86项", None, None, "持续推进事项承接"],
        [13, "推进“一件事一次办”集成改革", "已完成", None, None, None],
    ], [SIGN.format(unit="岚川县行政服务中心", date="2024年7月2日")])
    _stamp(p, dt.date(2024, 7, 2))


SENT = {"发改委", "工信局", "财政局", "行政服务中心"}
NOT_SENT = {"商务局", "人社局", "农业农村局"}

CONFIG = f'county = "{COUNTY}"\n'
CONFIG_RULES = CONFIG + '\n[indicators."3"]\nwarning = "completion"\n\n[indicators."7"]\nwarning = "progress"\n'


def build(root: Path, *, system: str = "overview", where: str = "root", config: str | None = CONFIG_RULES) -> Path:
    """A whole workspace; returns root.

    system: 'overview' (附件2 .xlsx), 'overview_xls' (附件2 .xls, 完成值 | 位次),
            'task' (附件1 任务分工表).
    where:  'root' (input/), 'root+copy' (input/ and a blank copy in the month folder),
            'folder' (only in the month folder).
    """
    inp = root / "input"
    month_dir = inp / MONTH
    month_dir.mkdir(parents=True, exist_ok=True)
    name, writer = {"overview": (SYSTEM_FILE, write_system_overview),
                    "overview_xls": (SYSTEM_FILE_XLS, write_system_overview_xls),
                    "task": ("附件1：岚川县2024年度高质量发展综合绩效考核指标任务分工表.xlsx", write_task_table)}[system]
    if where in ("root", "root+copy"):
        writer(inp / name)
    if where == "root+copy":
        shutil.copy2(inp / name, month_dir / name)
    if where == "folder":
        writer(month_dir / name)
    write_peers(month_dir / "锦原市六县（市）主要指标（1-6月）.xlsx")
    write_departments(month_dir)
    if config is not None:
        (root / "kaohe.toml").write_text(config, encoding="utf-8")
    return root
