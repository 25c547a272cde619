"""Months laid out the way nobody in this repo wrote them before: other header words,
no 序号 / 分值 / 责任单位 columns, titles of two lines, two-row headers, spacer and
小计 rows, one department in two sheets, values and ranks written every which way,
peer data with short county names, 方向 words, a 全市平均 column, or counties as
rows. Each builder writes a whole workspace (the seed-001 system plus one month)
and returns the truth, written by hand, that a correct reader must find.

All numbers are synthetic.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.month_fixtures import write_system_xlsx

SYSTEM_NAME = "附件2：叶县2023年度高质量发展综合绩效指标完成情况一览表.xlsx"
# The 21 departments of seed 001 as the system names them (canonical forms).
ALL_DEPARTMENTS = ["发改委", "工信局", "招商服务中心", "财政局", "人社局", "农业农村局", "水利局", "生态环境局",
                   "商务局", "督查局", "金融工作服务中心", "应急管理局", "信访局", "消防大队", "政府办", "市场监管局",
                   "房产事务服务中心", "行政服务中心", "机关事务服务中心", "文广旅局", "司法局"]


class Pct(float):
    """A number stored as a fraction with a percent number format (0.062 shows as 6.2%)."""


@dataclass
class GSheet:
    name: str
    rows: list[list[Any]]
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # 0-based inclusive


def write_xlsx(path: Path, sheets: list[GSheet]) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for s in sheets:
        ws = wb.create_sheet(s.name)
        for r, line in enumerate(s.rows):
            for c, v in enumerate(line):
                if v is None or v == "":
                    continue
                cell = ws.cell(row=r + 1, column=c + 1, value=float(v) if isinstance(v, Pct) else v)
                if isinstance(v, Pct):
                    cell.number_format = "0.00%"
        for r1, c1, r2, c2 in s.merges:
            ws.merge_cells(start_row=r1 + 1, start_column=c1 + 1, end_row=r2 + 1, end_column=c2 + 1)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def write_xls(path: Path, sheets: list[GSheet]) -> Path:
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    pct = xlwt.easyxf(num_format_str="0.00%")
    for s in sheets:
        ws = wb.add_sheet(s.name)
        merged = {(r, c) for r1, c1, r2, c2 in s.merges for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)}
        for r1, c1, r2, c2 in s.merges:
            v = s.rows[r1][c1] if c1 < len(s.rows[r1]) else ""
            ws.write_merge(r1, r2, c1, c2, v)
        for r, line in enumerate(s.rows):
            for c, v in enumerate(line):
                if (r, c) in merged or v is None or v == "":
                    continue
                if isinstance(v, Pct):
                    ws.write(r, c, float(v), pct)
                else:
                    ws.write(r, c, v)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(str(path))
    return path


def write(path: Path, sheets: list[GSheet] | GSheet) -> Path:
    sheets = [sheets] if isinstance(sheets, GSheet) else sheets
    return write_xls(path, sheets) if path.suffix == ".xls" else write_xlsx(path, sheets)


def touch(path: Path, when: dt.datetime) -> None:
    import os

    os.utime(path, (when.timestamp(), when.timestamp()))


@dataclass
class Truth:
    """What the reader must find in one variation."""

    month: str = "2023-08"
    folder: str = "2023-08"
    entries: dict[int, tuple[float | None, int | None]] = field(default_factory=dict)  # no -> (actual, rank)
    departments: dict[int, str] = field(default_factory=dict)  # no -> department whose entry is used
    sent: set[str] = field(default_factory=set)
    problems: list[tuple[str, str | None, str]] = field(default_factory=list)  # (file part, cell, words)
    conflict: tuple[int, list[str]] | None = None  # (no, both cells as 'file!cell')
    ranks: dict[int, int | None] = field(default_factory=dict)  # computed ranks among peers (assess)
    colours: dict[int, str | None] = field(default_factory=dict)
    directions: dict[int, str] = field(default_factory=dict)
    peer_values: dict[int, dict[str, float | None]] = field(default_factory=dict)
    config: str = ""  # kaohe.toml text

    @property
    def not_sent(self) -> set[str]:
        return set(ALL_DEPARTMENTS) - self.sent


def workspace(root: Path, truth: Truth) -> Path:
    """input/ with the system; returns the month folder."""
    inp = root / "input"
    write_system_xlsx(inp / SYSTEM_NAME, title="叶县2023年度高质量发展综合绩效指标完成情况一览表")
    if truth.config:
        (root / "kaohe.toml").write_text(truth.config, encoding="utf-8")
    folder = inp / truth.folder
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def signoff(unit: str | None, date: str = "填报日期：2023年9月4日") -> list[list[Any]]:
    rows = []
    if unit is not None:
        rows.append([f"填报单位（盖章）：{unit}", "", "", "主要负责人：示例", "", "填报人：示例"])
    rows.append(["联系电话：示例电话", "", "", date])
    return rows


# ----------------------------------------------------------------- V1
def v1_renamed_headers(root: Path) -> Truth:
    """发改委: a two-line title, header on row 4 with other words (考核指标, 年度目标,
    2023年1-8月完成情况, 全市排名, 预警等级); no 序号, 分值 or 责任单位 column; the
    department only in the sign-off line; the file named after nothing."""
    t = Truth(sent={"发改委"})
    folder = workspace(root, t)
    head = ["考核指标", "年度目标", "2023年1-8月完成情况", "全市排名", "预警等级", "存在问题"]
    rows: list[list[Any]] = [
        ["叶县2023年度高质量发展综合绩效指标"] + [""] * 5,
        ["进展情况统计表（截至2023年8月底）"] + [""] * 5,
        ["", "", "", "", "", "单位：%、个"],
        head,
        ["固定资产投资增速", "10%", "同比增长6.2%", "第3", "黄", ""],
        ["亿元及以上新开工产业项目个数", "15个", "12个", "3（并列）", "黄", ""],
        ["规模以上工业战略性新兴产业增加值增速", "9%", " 9.4 ", "2", "绿", ""],
        ["第三产业增加值占生产总值比重及增长速度", "6%", "（3.1）", "第五名", "红", "服务业恢复偏慢"],
        ["常住人口城镇化率", "50%", "52.3", "六县市第3位", "黄", ""],
        ["地区生产总值增速", "7%", "约6.2", "３/６", "黄", ""],
        ["认真做好社会信用体系建设工作", "", "正常推进", "/", "", ""],
    ]
    rows += signoff("叶县发展和改革委员会")
    write(folder / "报表0905.xlsx", GSheet("进展", rows, [(0, 0, 0, 5), (1, 0, 1, 5)]))
    t.entries = {1: (6.2, 3), 6: (12, 3), 15: (9.4, 2), 19: (-3.1, 5), 20: (52.3, 3), 30: (6.2, 3), 44: (None, None)}
    t.departments = {n: "发改委" for n in t.entries}
    return t


# ----------------------------------------------------------------- V2
def v2_two_row_header_xls(root: Path) -> Truth:
    """工信局 in .xls: a two-row header (截至8月底 over 完成值 | 排名), the department's own
    numbering 1..k, blank spacer rows, a 小计 row, 2022年完成情况及位次, 目标值, values
    as text with spaces, 6.2（预计）, 暂无, 待统计局反馈, 未公布, ranks 并列第2 / 第三名."""
    t = Truth(sent={"工信局"})
    folder = workspace(root, t)
    rows: list[list[Any]] = [
        ["附件2", "", "", "", "", "", ""],
        ["叶县工业和信息化局高质量发展指标进展情况", "", "", "", "", "", ""],
        ["序号", "指标名称", "2022年完成情况及位次", "目标值", "截至8月底", "", "存在问题"],
        ["", "", "", "", "完成值", "排名", ""],
        [1, "工业投资占固定资产投资比重", "39.5%（4）", "40%", "  41.2 % ", "并列第2", ""],
        [2, "规模以上工业企业研发费用支出增速", "8.1%（2）", "10%", "6.2（预计）", "第三名", ""],
        ["", "", "", "", "", "", ""],
        [3, "工业技术改造投资占工业投资比重", "", "", "暂无", "—", "数据未出"],
        [4, "高新技术企业净增数", "5（3）", "6", "4 ", "4", ""],
        [5, "省级及以上创新平台和新型研发机构净增数", "", "3", "2个", "1", ""],
        ["", "", "", "", "", "", ""],
        [6, "规模以上工业企业研发机构覆盖率", "", "", "待统计局反馈", "", ""],
        [7, "技术合同成交额与地区生产总值之比", "", "", "未公布", "未公布", ""],
        [8, "工业增加值占地区生产总值比重", "", "", "-3.1%", "6", "工业下行"],
        ["小计", "", "", "", "", "", ""],
    ]
    rows += signoff("叶县工业和信息化局")
    merges = [(1, 0, 1, 6), (2, 0, 3, 0), (2, 1, 3, 1), (2, 2, 3, 2), (2, 3, 3, 3), (2, 4, 2, 5), (2, 6, 3, 6)]
    write(folder / "叶县工信局8月.xls", GSheet("Sheet1", rows, merges))
    t.entries = {2: (41.2, 2), 7: (6.2, 3), 9: (None, None), 10: (4, 4), 11: (2, 1), 12: (None, None),
                 13: (None, None), 14: (-3.1, 6)}
    t.departments = {n: "工信局" for n in t.entries}
    return t


# ----------------------------------------------------------------- V3
def v3_rank_in_value_cell(root: Path) -> Truth:
    """农业农村局: no rank column; the rank written inside the value cell (6.2%（3）,
    6.2%，第3名); no 责任单位 column and no sign-off: the department from the file name."""
    t = Truth(sent={"农业农村局"})
    folder = workspace(root, t)
    rows: list[list[Any]] = [
        ["叶县2023年1-8月指标完成情况"] + [""] * 3,
        ["序号", "指标内容", "完成值", "预警提示"],
        [22, "农村居民人均可支配收入增速", "6.2%（3）", "黄"],
        [23, "规模以上农产品加工企业营业收入增速", "6.2%，第3名", "黄"],
        [24, "高标准农田建设", "已完成，第1名", "绿"],
        [25, "新改造农村户厕达标率", "下降1.5%（5）", "红"],
    ]
    rows.append(["填报日期：2023年9月3日"])
    write(folder / "农业农村局2023年8月.xlsx", GSheet("8月", rows, [(0, 0, 0, 3)]))
    t.entries = {22: (6.2, 3), 23: (6.2, 3), 24: (None, 1), 25: (-1.5, 5)}
    t.departments = {n: "农业农村局" for n in t.entries}
    return t


# ----------------------------------------------------------------- V4
def v4_two_sheets_one_department(root: Path) -> Truth:
    """人社局 splits its indicators over two sheets, one per 分管领导; headers 指标 |
    完成情况 | 排序 and 指标名称 | 1-8月累计 | 位次; a real percentage number (0.062 shown
    as 6.20%)."""
    t = Truth(sent={"人社局"})
    folder = workspace(root, t)
    a = [["人社局指标进展（分管领导：张副县长）", "", ""],
         ["指标", "完成情况", "排序"],
         ["城镇居民人均可支配收入增速", Pct(0.062), "第2名"],
         ["城镇新增就业人数", "3,120人", 4]]
    a += signoff("叶县人力资源和社会保障局")
    b = [["人社局指标进展（分管领导：李副县长）", "", ""],
         ["指标名称", "1-8月累计", "位次"],
         ["新增从业人员持证人数", "4 120", "６"]]
    b += signoff("叶县人力资源和社会保障局")
    write(folder / "人社局8月指标.xlsx", [GSheet("张县长分管", a, [(0, 0, 0, 2)]), GSheet("李县长分管", b, [(0, 0, 0, 2)])])
    t.entries = {21: (6.2, 2), 33: (3120, 4), 34: (4120, 6)}
    t.departments = {n: "人社局" for n in t.entries}
    return t


# ----------------------------------------------------------------- V5
def v5_conflict_xls_and_xlsx(root: Path) -> Truth:
    """发改委 (.xlsx) and 财政局 (.xls) both report 15 with different values; header words
    上年同期, 目标值, 1-8月累计, 在六县（市）中位次, 排名 in 第N名 and N（并列）."""
    t = Truth(sent={"发改委", "财政局"})
    folder = workspace(root, t)
    fg = [["发改委2023年8月指标进展情况", "", "", "", "", ""],
          ["序号", "指标名称", "上年同期", "目标值", "1-8月累计", "在六县（市）中位次"],
          [1, "固定资产投资增速", "5.1%", "10%", "增长 6.2 个百分点", "第3名"],
          [15, "规模以上工业战略性新兴产业增加值增速", "", "", "9.4%", "2"],
          [30, "地区生产总值增速", "", "", "6.2%，第3名", ""]]
    fg += signoff("县发改委")
    write(folder / "发改委.xlsx", GSheet("Sheet1", fg, [(0, 0, 0, 5)]))
    cz = [["财政局2023年8月指标进展情况", "", "", "", ""],
          ["", "", "", "", ""],
          ["序号", "指标名称", "目标值", "1-8月累计", "在六县（市）中位次"],
          [8, "地方一般公共预算科学技术支出增速", "10%", Pct(0.062), "4"],
          [15, "规模以上工业战略性新兴产业增加值增速", "", "10.7%", "第二名"],
          [37, "政府性债务和暂付款管理", "", "按要求推进", "2（并列）"]]
    cz += signoff("县财政局")
    write(folder / "财政局.xls", GSheet("指标", cz, [(0, 0, 0, 4)]))
    t.entries = {1: (6.2, 3), 15: (9.4, 2), 30: (6.2, 3), 8: (6.2, 4), 37: (None, 2)}
    t.departments = {1: "发改委", 15: "发改委", 30: "发改委", 8: "财政局", 37: "财政局"}
    t.conflict = (15, ["发改委.xlsx!E4", "财政局.xls!D5"])
    return t


# ----------------------------------------------------------------- V6
def v6_one_department_many_rows(root: Path) -> Truth:
    """生态环境局 (.xls, folder 2023年8月): many rows with spacer rows, a 小计 row, a
    section row, the header on row 4 under a 2-line title, 指标名称 | 2022年完成情况
    及位次 | 2023年目标 | 截至本月底完成情况 | 位次 | 预警提示; ranks 第6名, 5, 1."""
    t = Truth(sent={"生态环境局"}, folder="2023年8月")
    folder = workspace(root, t)
    rows: list[list[Any]] = [
        ["附件2", "", "", "", "", "", ""],
        ["叶县生态环境局", "", "", "", "", "", ""],
        ["2023年1-8月高质量发展综合绩效指标进展情况", "", "", "", "", "", ""],
        ["序号", "指标名称", "2022年完成情况及位次", "2023年目标", "截至本月底完成情况", "位次", "预警提示"],
        ["五、资源环境", "", "", "", "", "", ""],
        [27, "空气质量优良天数比例", "70.1%（4）", "72%", "85.3%", "5", "红"],
        ["", "", "", "", "", "", ""],
        [28, "PM2.5平均浓度", "48（5）", "45", "42微克/立方米", "第6名", "红"],
        [29, "地表水环境质量", "", "达标", "达标", 1, "绿"],
        ["小计", "", "", "", "", "", ""],
    ]
    rows += signoff("叶县生态环境分局")
    merges = [(1, 0, 1, 6), (2, 0, 2, 6), (4, 0, 4, 6)]
    write(folder / "生态环境局.xls", GSheet("Sheet1", rows, merges))
    t.entries = {27: (85.3, 5), 28: (42, 6), 29: (None, 1)}
    t.departments = {n: "生态环境局" for n in t.entries}
    t.month = "2023-08"
    return t


# ----------------------------------------------------------------- peers
SHORT = ["叶县", "宝丰", "郏县", "鲁山", "舞钢", "汝州"]


def p1_short_names(root: Path) -> Truth:
    """六县市数据 with short county names, 方向 written 正向 / 逆向指标 / ↓ / 越小越好, a
    全市平均 column, values as % text, a tie, a missing value, reverse indicators; 叶县's
    own values only here (no department sheet)."""
    t = Truth()
    folder = workspace(root, t)
    head = ["序号", "指标名称", "方向"] + SHORT + ["全市平均"]
    data = [
        (1, "固定资产投资增速", "正向", ["6.2%", "8.0%", "6.2%", "4.5%", "12.9%", "1.0%"], "6.5%"),
        (27, "空气质量优良天数比例", "正向", ["70.1%", "68%", "—", "75.2%", "70.1%", "66.0%"], "70%"),
        (28, "PM2.5平均浓度", "逆向指标", [42, 45, 39, 42, 50, 47], 44),
        (36, "较大及以上生产安全事故", "↓", [0, 1, 0, 0, 2, 0], 0.5),
        (30, "地区生产总值增速", "", ["5.1%", "5.5%", "6.0%", "4.9%", "5.1%", "6.3%"], "5.5%"),
        (46, "认真做好公共机构节约能源资源工作", "越小越好", ["0.41", "0.39", "0.45", "0.41", "0.38", "0.50"], ""),
    ]
    rows: list[list[Any]] = [["平顶山市六县（市）高质量发展主要指标（2023年1-8月）"] + [""] * 9, head]
    for no, name, d, vals, avg in data:
        rows.append([no, name, d] + vals + [avg])
    rows.append(["注：数据来源于市统计局。"])
    write(folder / "六县市数据.xlsx", GSheet("六县市", rows, [(0, 0, 0, 9)]))
    t.ranks = {1: 3, 27: 2, 28: 2, 36: 1, 30: 4, 46: 3}
    t.colours = {1: "yellow", 27: "green", 28: "green", 36: "green", 30: "yellow", 46: "yellow"}
    t.directions = {1: "higher", 27: "higher", 28: "lower", 36: "lower", 30: "higher", 46: "lower"}
    t.peer_values = {27: {"郏县": None}}
    return t


def p2_transposed(root: Path) -> Truth:
    """Counties as rows, indicators as columns (as city bureaus print 主要经济指标 by
    县市区); a 方向 row under the header; 全市 as a total row; ranks with a tie and a
    missing value; the unit written in the header (（%）)."""
    t = Truth()
    folder = workspace(root, t)
    head = ["县（市）", "地区生产总值增速（%）", "固定资产投资增速（%）", "社会消费品零售总额增速（%）",
            "PM2.5平均浓度（微克/立方米）"]
    rows: list[list[Any]] = [
        ["2023年1-8月六县（市）主要指标对比"] + [""] * 4,
        head,
        ["方向", "正向", "正向", "正向", "逆向"],
        ["全市", 5.6, 6.0, 6.1, 44],
        ["叶县", 6.3, "-2.1", 5.0, 41],
        ["宝丰县", 6.3, 4.0, 6.2, 45],
        ["郏县", 5.0, 7.5, "—", 39],
        ["鲁山县", 4.8, "—", 6.8, 41],
        ["舞钢市", 6.9, 3.3, 4.9, 50],
        ["汝州市", 5.5, 8.8, 7.0, 47],
    ]
    write(folder / "2023年1-8月县市对比.xlsx", GSheet("Sheet1", rows, [(0, 0, 0, 4)]))
    t.ranks = {30: 2, 1: 5, 31: 4, 28: 2}
    t.colours = {30: "green", 1: "red", 31: "yellow", 28: "green"}
    t.directions = {30: "higher", 1: "higher", 31: "higher", 28: "lower"}
    t.peer_values = {1: {"鲁山县": None}, 31: {"郏县": None}}
    return t


def p3_grouped_header_with_city(root: Path) -> Truth:
    """Counties under a merged 2023年1-8月 header, a 全市 column first, 方向 column named
    正逆向, values as 增长6.2% text; a three-way tie."""
    t = Truth()
    folder = workspace(root, t)
    counties = ["叶县", "宝丰县", "郏县", "鲁山县", "舞钢市", "汝州市"]
    rows: list[list[Any]] = [
        ["六县市数据（截至2023年8月底）"] + [""] * 9,
        ["序号", "指标名称", "正逆向", "2023年1-8月"] + [""] * 6,
        ["", "", "", "全市"] + counties,
        [31, "社会消费品零售总额增速", "正", "增长5.0%", "增长5.0%", "增长6.0%", "增长5.0%", "增长5.0%", "下降1.0%", "增长7.0%"],
        [35, "金融机构人民币各项贷款余额增速", "正", "", "10.2", "9.8", "", "11.0", "8.1", "7.7"],
        [26, "单位工业增加值用水量降低率", "正", "", "3.1%", "3.5%", "2.0%", "3.1%", "3.1%", "3.9%"],
    ]
    merges = [(0, 0, 0, 9), (1, 0, 2, 0), (1, 1, 2, 1), (1, 2, 2, 2), (1, 3, 1, 9)]
    write(folder / "六县市数据（8月）.xlsx", GSheet("数据", rows, merges))
    t.ranks = {31: 3, 35: 2, 26: 3}
    t.colours = {31: "yellow", 35: "green", 26: "yellow"}
    t.peer_values = {35: {"郏县": None}}
    return t


MONTH_VARIATIONS = [v1_renamed_headers, v2_two_row_header_xls, v3_rank_in_value_cell, v4_two_sheets_one_department,
                    v5_conflict_xls_and_xlsx, v6_one_department_many_rows]
PEER_VARIATIONS = [p1_short_names, p2_transposed, p3_grouped_header_with_city]


# ----------------------------------------------------------------- V7
def v7_amount_and_growth(root: Path) -> Truth:
    """发改委 in .xls with 截至8月底 over 完成值 | 增速 | 排名: for a 增速 indicator the
    assessed value is the growth, not the amount beside it; for a share the 完成值."""
    t = Truth(sent={"发改委"})
    folder = workspace(root, t)
    rows: list[list[Any]] = [
        ["叶县发改委2023年1-8月主要指标完成情况", "", "", "", "", ""],
        ["序号", "指标名称", "年度目标", "截至8月底", "", ""],
        ["", "", "", "完成值", "增速", "排名"],
        [1, "固定资产投资增速", "10%", "45.6亿元", "6.2%", "3"],
        [20, "常住人口城镇化率", "50%", "52.3%", "", "第3名"],
        [30, "地区生产总值增速", "7%", "156.3亿元", "增长5.1%", "4"],
        [6, "亿元及以上新开工产业项目个数", "15", "12", "", "并列第2"],
    ]
    rows += signoff("叶县发改委")
    merges = [(0, 0, 0, 5), (1, 0, 2, 0), (1, 1, 2, 1), (1, 2, 2, 2), (1, 3, 1, 5)]
    write(folder / "发改委8月.xls", GSheet("Sheet1", rows, merges))
    t.entries = {1: (6.2, 3), 20: (52.3, 3), 30: (5.1, 4), 6: (12, 2)}
    t.departments = {n: "发改委" for n in t.entries}
    return t


MONTH_VARIATIONS.append(v7_amount_and_growth)


# ----------------------------------------------------------------- V8
def v8_whole_month(root: Path) -> Truth:
    """Six departments' files together (.xlsx and .xls, every layout above), the
    conflict between 发改委 and 财政局, and the short-name peer sheet: the month as an
    office receives it."""
    import shutil

    parts = [v2_two_row_header_xls(root), v3_rank_in_value_cell(root), v4_two_sheets_one_department(root),
             v5_conflict_xls_and_xlsx(root), v6_one_department_many_rows(root), p1_short_names(root)]
    moved = root / "input" / "2023年8月"
    for f in moved.iterdir():
        shutil.move(str(f), str(root / "input" / "2023-08" / f.name))
    moved.rmdir()
    t = Truth()
    for p in parts:
        t.entries.update(p.entries)
        t.departments.update(p.departments)
        t.sent |= p.sent
        t.conflict = t.conflict or p.conflict
    return t


MONTH_VARIATIONS.append(v8_whole_month)


def p4_transposed_short_names(root: Path) -> Truth:
    """Counties as rows written short (宝丰, 鲁山…), kaohe.toml naming the peers in full,
    the indicator columns numbered, a reverse indicator marked only in kaohe.toml-free
    words (能耗 降低率 is 正向; 单位GDP能耗 is 逆向 via the 方向 row)."""
    t = Truth(config='county = "叶县"\npeers = ["叶县", "宝丰县", "郏县", "鲁山县", "舞钢市", "汝州市"]\n')
    folder = workspace(root, t)
    rows: list[list[Any]] = [
        ["各县（市）主要指标（2023年1-8月）", "", "", ""],
        ["地区", "城镇居民人均可支配收入增速", "农村居民人均可支配收入增速", "PM2.5平均浓度"],
        ["方向", "↑", "↑", "↓"],
        ["叶县", "6.0%", "7.1%", "41"],
        ["宝丰", "6.5%", "7.1%", "44"],
        ["郏县", "5.9%", "6.8%", "—"],
        ["鲁山", "6.0%", "7.5%", "40"],
        ["舞钢", "6.6%", "6.9%", "38"],
        ["汝州", "5.2%", "7.3%", "46"],
    ]
    write(folder / "县市对比.xls", GSheet("Sheet1", rows, [(0, 0, 0, 3)]))
    t.ranks = {21: 3, 22: 3, 28: 3}
    t.colours = {21: "yellow", 22: "yellow", 28: "yellow"}
    t.directions = {21: "higher", 22: "higher", 28: "lower"}
    t.peer_values = {28: {"郏县": None}}
    return t


PEER_VARIATIONS.append(p4_transposed_short_names)
