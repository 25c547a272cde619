"""Builders of the files a county office finds on its desk in a month: the indicator
system (seed 001's 附件2 一览表), departments' monthly sheets filled the way they
are really filled (every notation, blank rows, renamed sheets, .xls, typos,
sign-off lines at the bottom) and the 六县市数据 peer sheet. All numbers synthetic.

Used by the tests and by tools/make_demo_month.py.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Seed 001 (叶县 2023): (no, section, name as printed, points, units as printed)
YE_SECTIONS = ["一、项目建设", "二、创新驱动", "三、产业转型", "四、城乡融合", "五、资源环境", "六、综合质效",
               "七、省、市下达的其他责任目标"]
YE_INDICATORS: list[tuple[int, int, str, float, str]] = [
    (1, 0, "固定值产 投资增速", 5, "发改委"),
    (2, 0, "工业投资占固定 资产投资比重", 3, "工信局"),
    (3, 0, "招商引资签约 项目当年开工率", 2, "招商服 务中心"),
    (4, 0, "招商引资签约 项目投资完成率", 2, "招商服 务中心"),
    (5, 0, "招商引资签约 项目投产率", 2, "招商服 务中心"),
    (6, 0, "亿元及以上新开 工产业项目个数", 2, "发改委"),
    (7, 1, "规模以上工业企业研发费用支出增速", 4, "工信局"),
    (8, 1, "地方一般公共预算科学技术支出增速", 4, "财政局"),
    (9, 1, "工业技术改造投资占工业投资比重", 2, "工信局"),
    (10, 1, "高新技术企业净增数", 2, "工信局"),
    (11, 1, "省级及以上创新平台和新型研发机构净增数", 2, "工信局"),
    (12, 1, "规模以上工业企业研发机构覆盖率", 2, "工信局"),
    (13, 1, "技术合同成交额与地区生产总值之比", 2, "工信局"),
    (14, 2, "工业增加值占地区生产总值比重", 4, "工信局"),
    (15, 2, "规模以上工业战略性新兴产业增加值增速", 3, "发改委 财政局"),
    (16, 2, "规模以上工业高新技术产业增加值增速", 3, "工信局"),
    (17, 2, "制造业增加值占规模以上工业增加值比重", 3, "工信局"),
    (18, 2, "规模以上工业企业净增数", 3, "工信局"),
    (19, 2, "第三产业增加值占生产总值比重及增长速度", 4, "发改委"),
    (20, 3, "常住人口 城镇化率", 4, "发改委"),
    (21, 3, "城镇居民人均可 支配收入增速", 2, "人社局"),
    (22, 3, "农村居民人均可 支配收入增速", 3, "农业 农村局"),
    (23, 3, "规模以上农产品 加工企业营业 收入增速", 3, "农业 农村局"),
    (24, 3, "高标准农田建设", 2, "农业 农村局"),
    (25, 3, "新改造农村户厕 达标率", 2, "农业 农村局"),
    (26, 4, "单位工业增加值 用水量降低率", 2, "水利局"),
    (27, 4, "空气质量优良 天数比例", 3, "生态 环境局"),
    (28, 4, "PM2.5 年均浓度", 2, "生态 环境局"),
    (29, 4, "地表水环境质量", 2, "生态 环境局"),
    (30, 5, "地区生产总值 增速", 5, "发改委"),
    (31, 5, "社会消费品零售 总额增速", 4, "商务局"),
    (32, 5, "市重点民生实事 任务落实", 3, "督查局"),
    (33, 5, "城镇新增就业人数", 2, "人社局"),
    (34, 5, "新增从业人员持证人数", 2, "人社局"),
    (35, 5, "金融机构人民币各项贷款余额增速", 2, "金融工作服务"),
    (36, 5, "较大及以上生产安全事故", 2, "应急管理局"),
    (37, 5, "政府性债务和暂付款管理", 2, "财政局"),
    (38, 6, "信访案件结案率达到省、市要求，保持社会信访稳定", 1, "信访局"),
    (39, 6, "完成市定消防工作目标任务", 1, "消防大队"),
    (40, 6, "认真做好政务公开工作", 4, "政府办"),
    (41, 6, "完成知识产权创造、运用、保护、服务和管理能力目标任务", 1, "市场监管局"),
    (42, 6, "完成市定培育发展房屋租赁市场目标任务", 1, "房产事务服务中心"),
    (43, 6, "完成市定政务服务目标任务", 1, "行政服务中心"),
    (44, 6, "认真做好社会信用体系建设工作", 1, "发改委"),
    (45, 6, "完成全民科学素质目标任务", 1, "工信局"),
    (46, 6, "认真做好公共机构节约能源资源工作", 1, "机关事务服务中心"),
    (47, 6, "完成市定全面推进文旅康养城市建设目标任务", 1, "文广旅局"),
    (48, 6, "完成普法宣传、其他市定法治政府建设目标任务", 1, "司法局"),
    (49, 6, "新三板挂牌企业个数", 1, "县金融工作服务中心"),
]
YE_PEERS = ["叶县", "宝丰县", "郏县", "鲁山县", "舞钢市", "汝州市"]
# Indicators where lower is better (逆向) in the synthetic data.
YE_LOWER = {28, 36}

OVERVIEW_HEADER = ["序号", "指标内容", "总分116分", "责任单位", "2022年度\n完成情况\n(位次)", "2023年度\n县定目标",
                   "截至本月底完成情况", "六县市\n排名", "预警\n提示"]


def table_head(ws, name: str, title: str, headers: list[str]) -> None:
    """An official table's head as clerks lay it out: the 附件1 label, the title merged across the
    table, and the header row with line breaks in its cells (row 3)."""
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    ws.title = name
    ws["A1"] = "附件1"
    ws["A2"] = title
    ws.merge_cells(f"A2:{get_column_letter(len(headers))}2")
    for c, h in enumerate(headers, 1):
        ws.cell(3, c, h).alignment = Alignment(wrap_text=True)


def write_system_xlsx(path: Path, title: str = "2023年高质量发展综合绩效指标完成情况一览表") -> Path:
    """Seed 001's 附件2 as a blank overview: the indicator system."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "一览表"
    ws.append(["附件2"])
    ws.append([title])
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=9)
    ws.append(OVERVIEW_HEADER)
    last_sec = None
    for no, sec, name, pts, units in YE_INDICATORS:
        if sec != last_sec:
            ws.append([YE_SECTIONS[sec]])
            ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=9)
            last_sec = sec
        ws.append([no, name, pts, units])
    ws.append(["红黄绿预警提示，排名1-2名的用绿色标识，排名3-4名的用黄色标识，排名5-6名的用红色标识。"])
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


# --- monthly sheets ----------------------------------------------------------------

@dataclass
class Row:
    """One indicator row of a monthly sheet, cells as the clerk typed them."""

    no: Any
    name: str
    actual: Any = ""
    rank: Any = ""
    last_year: Any = ""
    target: Any = ""
    unit: str | None = None  # 责任单位 cell (None: the sheet's department)
    points: Any = ""
    warning: str = ""
    issues: str = ""
    steps: str = ""
    percent_format: bool = False  # write `actual` as a number formatted 0.0%
    error: str | None = None  # write `actual` as an Excel error cell


@dataclass
class Sheet:
    department: str  # as written in the 责任单位 column and sign-off
    rows: list[Row]
    month: int = 8
    year: int = 2023
    title: str | None = None  # default: 叶县{dept}2023年1-8月高质量发展综合绩效指标进展情况表
    header: list[str] | None = None  # default: the official 附件2 header + 存在问题/下步举措
    sheet_name: str = "Sheet1"
    signoff_unit: str | None = None  # 填报单位（盖章）：… (default department)
    filled: str | dt.date | None = "2023年9月4日"  # 填报日期
    blank_rows_at: tuple[int, ...] = ()  # insert a blank row before these row indexes
    sections: bool = False  # a section row before the first row
    extra_sheets: list[str] = field(default_factory=list)  # empty sheets added (Sheet2, Sheet3)
    note: str = "注：本表为演示数据（合成数字）。"
    signoff_layout: str = "one_cell"  # one_cell | cells (label and value in separate cells)
    people: tuple[str, str, str] = ("示例负责人", "示例填报人", "示例电话")  # 主要负责人, 填报人, 联系电话
    merges: tuple[str, ...] = ()  # cells the clerk merged besides the title, as "G5:I5" (value of the first cell)


MONTH_HEADER = ["序号", "指标内容", "分值", "责任单位", "2022年度完成情况（位次）", "2023年度县定目标",
                "截至本月底完成情况", "六县市排名", "预警提示", "存在问题", "下步举措"]
_KEYS = ["no", "name", "points", "unit", "last_year", "target", "actual", "rank", "warning", "issues", "steps"]


def _sheet_matrix(sheet: Sheet) -> tuple[list[list[Any]], dict[tuple[int, int], dict], list[tuple[int, int, int, int]]]:
    """Cells (0-based), cell styles {(r,c): {'percent':…,'error':…}}, merges."""
    header = sheet.header or MONTH_HEADER
    ncol = len(header)
    title = sheet.title if sheet.title is not None else (
        f"叶县{sheet.department}{sheet.year}年1-{sheet.month}月高质量发展综合绩效指标进展情况表")
    rows: list[list[Any]] = [["附件2"], [title], list(header)]
    merges = [(1, 0, 1, ncol - 1)]
    styles: dict[tuple[int, int], dict] = {}
    if sheet.sections:
        rows.append(["一、重点指标"] + [""] * (ncol - 1))
        merges.append((len(rows) - 1, 0, len(rows) - 1, ncol - 1))
    for i, row in enumerate(sheet.rows):
        if i in sheet.blank_rows_at:
            rows.append([""] * ncol)
        line = []
        for h in header:
            key = _key_for(h)
            if key == "unit":
                line.append(sheet.department if row.unit is None else row.unit)
            elif key is None:
                line.append("")
            else:
                line.append(getattr(row, key))
        r = len(rows)
        if "actual" in [_key_for(h) for h in header]:
            c = [_key_for(h) for h in header].index("actual")
            if row.percent_format:
                styles[(r, c)] = {"percent": True}
            if row.error:
                styles[(r, c)] = {"error": row.error}
                line[c] = ""
        rows.append(line)
    if sheet.note:
        rows.append([sheet.note])
    unit = sheet.signoff_unit if sheet.signoff_unit is not None else "叶县" + sheet.department
    filled = sheet.filled
    head, filler, phone = sheet.people
    if sheet.signoff_layout == "cells":
        rows.append(["填报单位（盖章）：", unit, "", "主要负责人：", head, "", "填报人：", filler])
        rows.append(["联系电话：", phone, "", "填报日期：", filled or ""])
    else:
        rows.append([f"填报单位（盖章）：{unit}", "", "", f"主要负责人：{head}", "", f"填报人：{filler}"])
        fd = filled if isinstance(filled, (dt.date, type(None))) else f"填报日期：{filled}"
        if isinstance(filled, dt.date):
            rows.append([f"联系电话：{phone}", "", "", "填报日期：", filled])
        else:
            rows.append([f"联系电话：{phone}", "", "", fd or "填报日期："])
    for ref in sheet.merges:
        from openpyxl.utils import range_boundaries

        c1, r1, c2, r2 = range_boundaries(ref)
        merges.append((r1 - 1, c1 - 1, r2 - 1, c2 - 1))
        for r in range(r1 - 1, r2):  # the covered cells are blank, as a spreadsheet keeps them
            for c in range(c1 - 1, c2):
                if (r, c) != (r1 - 1, c1 - 1) and c < len(rows[r]):
                    rows[r][c] = ""
    return rows, styles, merges


def _key_for(header: str) -> str | None:
    h = header.replace("\n", "").replace(" ", "")
    table = [("序号", "no"), ("预警", "warning"), ("问题", "issues"), ("举措", "steps"), ("措施", "steps"),
             ("2022", "last_year"), ("上年", "last_year"), ("目标", "target"), ("分值", "points"), ("总分", "points"),
             ("责任单位", "unit"), ("排名", "rank"), ("位次", "rank"), ("完成", "actual"), ("指标", "name")]
    for word, key in table:
        if word in h:
            return key
    return None


def write_sheet_xlsx(path: Path, sheets: list[Sheet] | Sheet, mtime: dt.datetime | None = None) -> Path:
    import openpyxl

    sheets = [sheets] if isinstance(sheets, Sheet) else sheets
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for sheet in sheets:
        ws = wb.create_sheet(sheet.sheet_name)
        cells, styles, merges = _sheet_matrix(sheet)
        for r, line in enumerate(cells):
            for c, v in enumerate(line):
                if v == "" or v is None:
                    continue
                ws.cell(row=r + 1, column=c + 1, value=v)
        for (r, c), st in styles.items():
            cell = ws.cell(row=r + 1, column=c + 1)
            if st.get("percent"):
                cell.number_format = "0.0%"
            if st.get("error"):
                cell.value = st["error"]
                cell.data_type = "e"
        for r1, c1, r2, c2 in merges:
            ws.merge_cells(start_row=r1 + 1, start_column=c1 + 1, end_row=r2 + 1, end_column=c2 + 1)
        for name in sheet.extra_sheets:
            wb.create_sheet(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    _fix_props(wb, mtime)
    wb.save(path)
    _stable_zip(path, mtime)
    _touch(path, mtime)
    return path


def write_sheet_xls(path: Path, sheets: list[Sheet] | Sheet, mtime: dt.datetime | None = None) -> Path:
    import xlwt

    sheets = [sheets] if isinstance(sheets, Sheet) else sheets
    wb = xlwt.Workbook(encoding="utf-8")
    pct = xlwt.easyxf(num_format_str="0.0%")
    date_style = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    for sheet in sheets:
        ws = wb.add_sheet(sheet.sheet_name)
        cells, styles, merges = _sheet_matrix(sheet)
        merged_cells = {(r, c) for r1, c1, r2, c2 in merges for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)}
        for r1, c1, r2, c2 in merges:
            ws.write_merge(r1, r2, c1, c2, cells[r1][c1] if c1 < len(cells[r1]) else "")
        for r, line in enumerate(cells):
            for c, v in enumerate(line):
                if (r, c) in merged_cells or v == "" or v is None:
                    continue
                st = styles.get((r, c), {})
                if st.get("percent"):
                    ws.write(r, c, v, pct)
                elif isinstance(v, dt.date):
                    ws.write(r, c, dt.datetime(v.year, v.month, v.day), date_style)
                else:
                    ws.write(r, c, v)
        for (r, c), st in styles.items():
            if st.get("error"):
                ws.row(r).set_cell_error(c, st["error"])
        for name in sheet.extra_sheets:
            wb.add_sheet(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(str(path))
    _touch(path, mtime)
    return path


FIXED_TIME = dt.datetime(2023, 9, 1, 9, 0, 0)


def _fix_props(wb, when: dt.datetime | None = None) -> None:
    wb.properties.creator = "演示数据"
    wb.properties.lastModifiedBy = "演示数据"
    wb.properties.created = when or FIXED_TIME
    wb.properties.modified = when or FIXED_TIME


def _stable_zip(path: Path, when: dt.datetime | None = None) -> None:
    """openpyxl stamps zip entries with the current time: fix them, so that rebuilding
    the demo leaves the files byte-identical."""
    import zipfile

    stamp = (when or FIXED_TIME).timetuple()[:6]
    import re

    with zipfile.ZipFile(path) as zin:
        items = [(i.filename, zin.read(i.filename)) for i in zin.infolist()]
    iso = (when or FIXED_TIME).strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    items = [(n, re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)", rb"\g<1>" + iso + rb"\g<2>", d)
              if n == "docProps/core.xml" else d) for n, d in items]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in items:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            zout.writestr(info, data)


def _touch(path: Path, mtime: dt.datetime | None) -> None:
    if mtime is not None:
        ts = mtime.timestamp()
        os.utime(path, (ts, ts))


# --- peer data -----------------------------------------------------------------

def write_peers_xlsx(path: Path, values: dict[int, dict[str, Any]], title: str = "六县市数据（2023年1-8月）",
                     peers: list[str] = YE_PEERS, sheet_name: str = "六县市数据", sections: bool = True,
                     note: str = "注：本表为演示数据（合成数字）。") -> Path:
    """序号 | 指标名称 | 方向 | one column per county; section rows between categories."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet_name
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=3 + len(peers))
    ws.append(["序号", "指标名称", "方向"] + list(peers))
    last_sec = None
    for no, sec, name, _pts, _units in YE_INDICATORS:
        if no not in values:
            continue
        if sections and sec != last_sec:
            ws.append([YE_SECTIONS[sec]])
            last_sec = sec
        row = values[no]
        ws.append([no, name, "逆向" if no in YE_LOWER else "正向"] + [row.get(p, "") for p in peers])
    if note:
        ws.append([note])
    path.parent.mkdir(parents=True, exist_ok=True)
    _fix_props(wb)
    wb.save(path)
    _stable_zip(path)
    return path


def ye_name(no: int) -> str:
    """The indicator's name as printed in the seed (with its line-wrap spaces)."""
    return next(n for i, _s, n, _p, _u in YE_INDICATORS if i == no)


def ye_units(no: int) -> list[str]:
    """The units of indicator `no` as the seed's 责任单位 cell lists them (spaces inside names removed)."""
    units = next(u for i, _s, _n, _p, u in YE_INDICATORS if i == no)
    if units == "发改委 财政局":
        return ["发改委", "财政局"]
    if "金融工作服务" in units:  # the seed writes this one two ways
        return ["金融工作服务中心"]
    return [units.replace(" ", "")]


def ye_departments() -> list[str]:
    """叶县's responsible units in the order the system first names them."""
    departments: list[str] = []
    for no, *_ in YE_INDICATORS:
        for u in ye_units(no):
            if u not in departments:
                departments.append(u)
    return departments


def ye_nos(unit: str) -> list[int]:
    """Indicator numbers whose 责任单位 names `unit` (as written in the seed)."""
    return [i for i, *_ in YE_INDICATORS if unit in ye_units(i)]


# --- a whole synthetic month for 叶县 ---------------------------------------------

# indicator kinds for the synthetic numbers
_COUNT = {6, 10, 11, 18, 33, 34, 49}  # counts (个, 家, 人)
_QUAL = set(range(38, 49)) | {24, 29, 32, 37}  # qualitative: words, rank only where the city ranks
_LEVEL = {12, 14, 17, 20, 27, 25, 9, 2, 3, 4, 5, 13}  # shares / rates in %
RANK_STYLES = ["int", "text", "第n名", "第cn名", "fullwidth", "n/6", "第n位", "排名n"]
_CN = "零一二三四五六七八九十"


def write_rank(n: int | None, style: str):
    if n is None:
        return "—"
    return {"int": n, "text": f"'{n}", "第n名": f"第{n}名", "第cn名": f"第{_CN[n]}名",
            "fullwidth": chr(0xFF10 + n), "n/6": f"{n}/6", "第n位": f"第{n}位", "排名n": f"排名{n}"}[style]


@dataclass
class MonthTruth:
    """What a correct reader must find in a generated month."""

    month: str
    values: dict[int, float | None] = field(default_factory=dict)  # 叶县's value per indicator (None: not yet)
    ranks: dict[int, int | None] = field(default_factory=dict)
    peers: dict[int, dict[str, float | None]] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)  # department -> file name
    missing: list[str] = field(default_factory=list)  # departments that did not report
    late: list[str] = field(default_factory=list)
    conflict: tuple[int, str, str] | None = None  # (no, lead dept, other dept)
    duplicate: tuple[str, str, str] | None = None  # (dept, newer file, older file)
    xls: list[str] = field(default_factory=list)
    errors: list[tuple[str, int, str]] = field(default_factory=list)  # (department, no, raw) read as problems


def _peer_values(rng, no: int, month: int) -> dict[str, float | None]:
    if no in _COUNT:
        base = {6: 8, 10: 6, 11: 2, 18: 9, 33: 3000, 34: 4000, 49: 1}[no]
        vals = {p: float(max(0, round(base * rng.uniform(0.4, 1.4) * month / 8))) for p in YE_PEERS}
    elif no == 28:
        vals = {p: round(rng.uniform(38, 55), 1) for p in YE_PEERS}
    elif no == 36:
        vals = {p: float(rng.choice([0, 0, 0, 1])) for p in YE_PEERS}
    elif no in _LEVEL:
        vals = {p: round(rng.uniform(20, 85), 1) for p in YE_PEERS}
    else:
        vals = {p: round(rng.uniform(-3, 14), 1) for p in YE_PEERS}
    # no ties for 叶县 among measured values (counts and accidents may tie: competition ranking)
    while no not in _COUNT and no != 36 and list(vals.values()).count(vals["叶县"]) > 1:
        vals["叶县"] = round(vals["叶县"] + 0.1, 1)
    return vals


def _rank_of(vals: dict[str, float | None], county: str, lower: bool) -> int | None:
    mine = vals.get(county)
    if mine is None:
        return None
    better = [v for v in vals.values() if v is not None and (v < mine if lower else v > mine)]
    return len(better) + 1


def _written_value(no: int, v: float, style: int):
    """Ye's value the way a clerk types it."""
    if no in _COUNT:
        return [f"{int(v)}个" if no not in (33, 34) else f"{int(v):,}人", int(v), f"{int(v)}"][style % 3]
    if no in (28,):
        return [v, f"{v}微克/立方米", f"{v}"][style % 3]
    if no == 36:
        return [f"{int(v)}起", int(v), "0" if v == 0 else f"{int(v)}起"][style % 3]
    if no in _LEVEL:
        return [f"{v}%", v, f"{v}%"][style % 3]
    if v < 0:
        return [f"下降{abs(v)}%", v, f"{v}%"][style % 3]
    return [f"增长{v}%", f"{v}%", v][style % 3]


def build_ye_month(input_dir: Path, month: int = 8, year: int = 2023, seed: int = 8, *,
                   folder: str | None = None, missing: tuple[str, ...] = ("水利局",), late: str | None = "商务局",
                   xls: tuple[str, ...] = ("农业农村局", "人社局"), conflict: bool = True,
                   duplicate: str | None = "工信局", peers_file: bool = True, mess: bool = False,
                   junk: bool = True) -> MonthTruth:
    """A month of 叶县 files the way departments send them, and the truth to check against."""
    import random

    rng = random.Random(seed * 100 + month)
    folder_path = Path(input_dir) / (folder or f"{year}-{month:02d}")
    folder_path.mkdir(parents=True, exist_ok=True)
    truth = MonthTruth(month=f"{year}-{month:02d}")
    not_yet = {13, 26} if month >= 8 else {13, 26, 23}  # city data not yet out
    for no, *_ in YE_INDICATORS:
        if no in _QUAL:
            continue
        vals = _peer_values(rng, no, month)
        truth.peers[no] = vals
        if no in not_yet:
            truth.values[no], truth.ranks[no] = None, None
        else:
            truth.values[no] = vals["叶县"]
            truth.ranks[no] = _rank_of(vals, "叶县", no in YE_LOWER)
    for no in _QUAL:
        truth.values[no] = None
        truth.ranks[no] = rng.randint(1, 6) if no in (24, 29, 32, 37) else None

    departments = ye_departments()
    filled_day = {d: 1 + (i % 5) for i, d in enumerate(departments)}
    nm, ny = (month + 1, year) if month < 12 else (1, year + 1)
    for i, dept in enumerate(departments):
        if dept in missing:
            truth.missing.append(dept)
            continue
        style = RANK_STYLES[i % len(RANK_STYLES)]
        rows = []
        for no in ye_nos(dept):
            v = truth.values.get(no)
            if no in _QUAL:
                actual = ["已完成年度任务", "按序时推进", "正常推进"][no % 3]
            elif v is None:
                actual = ["—", "/", "", "暂无数据"][no % 4]
            else:
                actual = _written_value(no, v, i + no)
            rk = truth.ranks.get(no)
            name = ye_name(no)
            if dept == "工信局" and no == 7:
                name = "规模以上工业企业研发费用 支出增速"  # line-wrap space
            if dept == "工信局" and no == 16:
                name = "规模以上工业高新技术产业增加值增涑"  # a typo
            last = f"{round(rng.uniform(1, 10), 1)}%（{rng.randint(1, 6)}）" if no not in _QUAL else ""
            row = Row(no, name, actual, write_rank(rk, style) if rk is not None else ["—", "", "/"][no % 3],
                      last, "" if no in _QUAL else "8%", issues="示例：项目入统进度偏慢" if rk and rk >= 5 else "",
                      steps="示例：加强调度，逐项对账" if rk and rk >= 5 else "")
            if mess and no == 5:  # a formula that divides by an empty cell
                row.error, truth.values[5] = "#DIV/0!", None
                truth.errors.append((dept, 5, "#DIV/0!"))
            if mess and no == 28:  # a rank beyond the six counties
                row.rank, truth.ranks[28] = 7, None
                truth.errors.append((dept, 28, "7"))
            rows.append(row)
        if conflict and dept == "财政局" and 15 in ye_nos(dept):
            v = truth.values[15]
            rows_15 = [r for r in rows if r.no == 15][0]
            rows_15.actual = f"{round(v + 1.3, 1)}%"
            truth.conflict = (15, "发改委", "财政局")
        day = filled_day[dept]
        if dept == late:
            day = 9
            truth.late.append(dept)
        filled = f"{ny}年{nm}月{day}日"
        sheet = Sheet(dept, rows, month=month, year=year, filled=filled,
                      sheet_name=["Sheet1", f"{month}月", "进展情况", "指标进展"][i % 4],
                      blank_rows_at=(2,) if len(rows) > 3 else (), sections=(i % 3 == 0),
                      extra_sheets=["Sheet2", "Sheet3"] if i % 2 == 0 else [],
                      signoff_layout="cells" if i % 4 == 1 else "one_cell")
        mtime = dt.datetime(ny, nm, day, 17, 30)
        name = f"叶县{dept}{year}年{month}月指标进展情况"
        if i % 5 == 2:
            name = f"{month}月份{dept}月报"  # no year in the file name
        if dept in xls:
            path = folder_path / f"{name}.xls"
            write_sheet_xls(path, sheet, mtime)
            truth.xls.append(dept)
        else:
            path = folder_path / f"{name}.xlsx"
            write_sheet_xlsx(path, sheet, mtime)
        truth.files[dept] = path.name
        if duplicate == dept:
            # an earlier draft sent two days before, with a wrong value in its first row
            draft_rows = [Row(**{**r.__dict__}) for r in rows]
            draft_rows[0].actual = "99.9%"
            older = Sheet(dept, draft_rows, month=month, year=year, filled=f"{ny}年{nm}月{max(1, day - 2)}日")
            opath = folder_path / f"{dept}{month}月报（初稿）.xlsx"
            write_sheet_xlsx(opath, older, mtime - dt.timedelta(days=2))
            truth.duplicate = (dept, path.name, opath.name)
    if peers_file:
        peer_vals = {}
        for no, vals in truth.peers.items():
            row = dict(vals)
            if no in not_yet:
                row = {p: "—" for p in YE_PEERS}
            peer_vals[no] = row
        write_peers_xlsx(folder_path / f"六县市数据（{year}年1-{month}月）.xlsx", peer_vals,
                         title=f"平顶山市六县（市）高质量发展主要指标（{year}年1-{month}月，演示数据）")
    if mess and junk:
        (folder_path / "关于报送8月份指标数据的通知.docx").write_bytes(b"PK\x03\x04 not really a document")
    if junk:  # a lock file left open by Excel, quietly skipped
        (folder_path / f"~$叶县商务局{year}年{month}月指标进展情况.xlsx").write_bytes(b"\x00" * 162)
    return truth


def take_back_a_report(month_dir: Path) -> Path:
    """One department's sheet taken back out of the month folder (filed there by mistake): the
    month's figures and its 报送情况 change, so a re-run's reports differ from the last run's (a
    signed report then gets its 第2版). Not the peer data: the first department file by name."""
    files = sorted(p for p in Path(month_dir).iterdir() if p.is_file() and p.suffix.lower() in (".xlsx", ".xls")
                   and not any(w in p.name for w in ("县市", "数据", "体系")))
    assert files, f"no department file in {month_dir}"
    files[0].unlink()
    return files[0]
