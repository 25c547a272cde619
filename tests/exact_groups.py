"""Workspaces for issue #10: who is compared, and whom we serve.

Every place name, figure and department here is invented (演示/合成 data): the cities
岚川市 and 岱川市, their districts and counties do not exist. No real people are named;
sign-off lines leave 填报人 blank.

The files are made the way clerks make them: an 附件 label, a title merged across the
table, header cells with line breaks, a category column merged down its rows, blank
spacer rows, a `注：` row at the bottom, sign-off lines, and some old .xls files.

Builders only write files; the truth each workspace must give is worked out by hand in
tests/test_exact_groups.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.unseen_months import GSheet, write

MONTH = "2024-06"
SIGN = "填报单位（盖章）：{unit}    填报人：    填报日期：2024年7月3日"

# ------------------------------------------------------------------ shared writers
# (序号, category, name, 分值 cell, 牵头单位, 数据来源)
SysRow = tuple[int, str, str, Any, str, str]


def write_system(path: Path, title: str, rows: list[SysRow], attach: str = "附件1") -> Path:
    """A 任务分工表: 附件 label, merged title, wrapped headers, category merged down its
    rows, a 合计 row and a 注 row."""
    width = 6
    out: list[list[Any]] = [
        [attach] + [""] * (width - 1),
        [title] + [""] * (width - 1),
        ["序号", "指标\n类别", "指标名称", "分值", "牵头\n单位", "数据\n来源"],
    ]
    merges = [(1, 0, 1, width - 1)]
    first: dict[str, int] = {}
    count: dict[str, int] = {}
    for no, cat, name, pts, lead, source in rows:
        r = len(out)
        if cat not in first:
            first[cat] = r
            out.append([no, cat, name, pts, lead, source])
        else:
            out.append([no, "", name, pts, lead, source])
        count[cat] = count.get(cat, 0) + 1
    for cat, r in first.items():
        if count[cat] > 1:
            merges.append((r, 1, r + count[cat] - 1, 1))
    total = sum(r[3] for r in rows if isinstance(r[3], (int, float)))
    r = len(out)
    out.append(["合计", "", "", total, "", ""])
    merges.append((r, 0, r, 2))
    r = len(out)
    out.append(["注：数据以市统计局反馈为准；逆向指标数值越低排名越靠前。"] + [""] * (width - 1))
    merges.append((r, 0, r, width - 1))
    return write(path, GSheet("任务分工", out, merges))


# (序号, 指标名称, 单位, [values in column order])
PeerRow = tuple[int, str, str, list[Any]]


def write_peers(path: Path, title: str, columns: list[str], rows: list[PeerRow], sheet: str = "1-6月") -> Path:
    """The statistics bureau's comparison sheet: merged title, a 单位 line, a wrapped
    header, one column per place (the superior unit's own column among them, wherever
    the bureau put it), a blank spacer row and a 注 row."""
    width = 3 + len(columns)
    out: list[list[Any]] = [
        [title] + [""] * (width - 1),
        [""] * (width - 1) + ["单位：%、家"],
        ["序号", "指标名称", "计量\n单位"] + columns,
    ]
    merges = [(0, 0, 0, width - 1)]
    for k, (no, name, unit, vals) in enumerate(rows):
        if k == 4:
            out.append([""] * width)  # the spacer a clerk leaves between two blocks
        out.append([no, name, unit] + list(vals))
    r = len(out)
    out.append(["注：“—”为数据暂未发布；本表数据为快报数，以年报为准。"] + [""] * (width - 1))
    merges.append((r, 0, r, width - 1))
    return write(path, GSheet(sheet, out, merges))


# (序号, 指标名称, 截至本月底完成情况, 排名, 存在问题, 下步举措)
DeptRow = tuple[Any, str, Any, Any, str, str]


def write_dept(path: Path, title: str, rank_head: str, rows: list[DeptRow], unit: str,
               sheet: str = "6月", fill_line: str | None = None) -> Path:
    """A department's 月报: 附件2 label, merged title, optional 填报单位 line under it,
    wrapped headers, a 注 row, the sign-off line."""
    width = 6
    out: list[list[Any]] = [["附件2"] + [""] * (width - 1), [title] + [""] * (width - 1)]
    merges = [(1, 0, 1, width - 1)]
    if fill_line:
        out.append([fill_line] + [""] * (width - 1))
    out.append(["序号", "指标名称", "截至本月底\n完成情况", rank_head, "存在问题", "下步举措"])
    for row in rows:
        out.append(list(row))
    out.append([""] * width)
    r = len(out)
    out.append(["注：排名为市统计局反馈位次，无反馈的按本单位掌握情况填报。"] + [""] * (width - 1))
    merges.append((r, 0, r, width - 1))
    r = len(out)
    out.append([SIGN.format(unit=unit)] + [""] * (width - 1))
    merges.append((r, 0, r, width - 1))
    return write(path, GSheet(sheet, out, merges))


def write_toml(root: Path, county: str) -> None:
    (root / "kaohe.toml").write_text(f'# 合成演示工作区\ncounty = "{county}"\n', encoding="utf-8")


# ------------------------------------------------------------------ (a) (b) four districts
# 岚川市 (合成) and its four districts; we serve 鹤汀区.
D_CITY = "岚川市"
DISTRICTS = ["鹤汀区", "桐屿区", "芷兰区", "棠溪区"]
D_OURS = "鹤汀区"

D_SYSTEM: list[SysRow] = [
    (1, "经济发展", "地区生产总值增速", 6, "区发改局", "市统计局"),
    (2, "经济发展", "规模以上工业增加值增速", 5, "区工信局", "市统计局"),
    (3, "经济发展", "固定资产投资增速", 5, "区发改局", "市统计局"),
    (4, "经济发展", "社会消费品零售总额增速", 4, "区商务局", "市统计局"),
    (5, "经济发展", "一般公共预算收入增速", 4, "区财政局", "市财政局"),
    (6, "创新发展", "高新技术企业净增数", 3, "区科技局", "市科技局"),
    (7, "创新发展", "研究与试验发展经费投入强度", 3, "区科技局", "市统计局"),
    (8, "民生保障", "城镇新增就业人数", 2, "区人社局", "市人社局"),
]

# values in DISTRICTS order; the city's own figure separately
D_PEERS: list[tuple[int, str, str, Any, list[Any]]] = [
    (1, "地区生产总值增速", "%", 6.3, [6.1, 6.5, 5.2, 5.9]),
    (2, "规模以上工业增加值增速", "%", 7.0, [6.8, 7.5, 8.2, 6.0]),
    (3, "固定资产投资增速", "%", 4.0, [3.1, -2.0, 5.5, "—"]),
    (4, "社会消费品零售总额增速", "%", 5.0, ["—", 4.2, 5.0, 6.3]),
    (5, "一般公共预算收入增速", "%", "8.0%", ["下降2.5%", "3.0%", "12.1%", "-1.0%"]),
    (7, "研究与试验发展经费投入强度", "%", 2.1, [2.4, 1.9, 2.2, 1.6]),
]


def _district_depts(folder: Path, xls: bool) -> None:
    head = "四区\n排名"
    write_dept(folder / f"{D_OURS}发改局2024年6月指标进展情况.xlsx",
               f"{D_OURS}发改局2024年1-6月高质量发展综合绩效考核指标进展情况表", head, [
                   [1, "地区生产总值增速", "增长6.1%", "第2名", "工业拉动偏弱", "加快重点项目入统"],
                   [3, "固定资产投资增速", "3.1%", 2, "新开工项目不足", "开展项目攻坚"],
               ], unit=f"{D_OURS}发展和改革局")
    write_dept(folder / f"{D_OURS}工信局6月报表.{'xls' if xls else 'xlsx'}",
               f"{D_OURS}工信局2024年1-6月指标进展情况表", head, [
                   [2, "规模以上工业增加值增速", "6.8%", "3", "订单减少", "稳企业保运行"],
               ], unit=f"{D_OURS}工业和信息化局")
    write_dept(folder / f"{D_OURS}科技局2024年6月指标进展情况.xlsx",
               f"{D_OURS}科技局2024年1-6月指标进展情况表", head, [
                   [6, "高新技术企业净增数", "5家", "第3名", "后备企业少", "加强培育辅导"],
                   [7, "研究与试验发展经费\n投入强度", "2.4%", 1, "", ""],
               ], unit=f"{D_OURS}科技局")
    write_dept(folder / f"{D_OURS}人社局2024年6月指标进展情况.xlsx",
               f"{D_OURS}人社局2024年1-6月指标进展情况表", head, [
                   [8, "城镇新增就业人数", "1860人", "4", "岗位供给不足", "开展招聘月活动"],
               ], unit=f"{D_OURS}人力资源和社会保障局")


def build_districts(root: Path, *, city_first: bool = True, toml: bool = True) -> Path:
    """(a) city_first: the peer sheet's first place column is headed 岚川市, the title
    names the city (岚川市市辖区主要经济指标（2024年1-6月）).
    (b) not city_first: the city's column comes last, headed 全市, and the title names
    nobody; the peer sheet and one department sheet are .xls."""
    inp = root / "input"
    write_system(inp / f"附件1：{D_OURS}2024年度高质量发展综合绩效考核指标任务分工表.xlsx",
                 f"{D_OURS}2024年度高质量发展综合绩效考核指标任务分工表", D_SYSTEM)
    folder = inp / MONTH
    if city_first:
        cols = [D_CITY] + DISTRICTS
        rows = [(no, name, unit, [city] + vals) for no, name, unit, city, vals in D_PEERS]
        write_peers(folder / f"{D_CITY}市辖区主要经济指标（1-6月）.xlsx",
                    f"{D_CITY}市辖区主要经济指标（2024年1-6月）", cols, rows)
    else:
        cols = DISTRICTS + ["全市"]
        rows = [(no, name, unit, vals + [city]) for no, name, unit, city, vals in D_PEERS]
        write_peers(folder / "主要经济指标（1-6月）.xls", "主要经济指标完成情况（2024年1-6月）", cols, rows)
    _district_depts(folder, xls=not city_first)
    if toml:
        write_toml(root, D_OURS)
    return root


# ------------------------------------------------------------------ (c) (d) (e) (f) seven counties
# 岱川市 (合成) and its seven counties/county-level city; we serve 云岫县.
C_CITY = "岱川市"
COUNTIES = ["云岫县", "苇塘县", "青岑县", "砚溪县", "梧冈县", "石湄市", "兰汀县"]
C_OURS = "云岫县"

C_SYSTEM: list[SysRow] = [
    (1, "经济发展", "地区生产总值增速", 6, "县发改局", "市统计局"),
    (2, "经济发展", "规模以上工业增加值增速", 5, "县科工信局", "市统计局"),
    (3, "经济发展", "固定资产投资增速", 5, "县发改局", "市统计局"),
    (4, "经济发展", "社会消费品零售总额增速", 4, "县商务局", "市统计局"),
    (5, "经济发展", "一般公共预算收入增速", 4, "县财政局", "市财政局"),
    (6, "民生改善", "城乡居民人均可支配收入增速", 3, "县统计局", "市统计局"),
    (7, "创新驱动", "高新技术企业净增数", 3, "县科工信局", "市科技局"),
    (8, "生态环保", "PM2.5平均浓度", 3, "县生态环境分局", "市生态环境局"),
]

# (序号, name, unit, [values in COUNTIES order], the city's own figure / the average)
C_PEERS: list[tuple[int, str, str, list[Any], Any]] = [
    (1, "地区生产总值增速", "%", [6.2, 5.8, 6.9, 5.1, 6.2, 7.3, 4.9], 6.06),
    (2, "规模以上工业增加值增速", "%", [5.0, 8.1, 7.7, 6.9, 9.0, 7.2, 6.0], 7.13),
    (3, "固定资产投资增速", "%", [8.5, 10.2, "—", 3.3, 12.0, 9.1, 7.4], 8.42),
    (4, "社会消费品零售总额增速", "%", [6.0, 5.5, 6.4, 6.0, 5.9, 6.8, 5.2], 5.97),
    (5, "一般公共预算收入增速", "%", ["8.8%", "3.2%", "-4.0%", "10.5%", "6.1%", "下降1.2%", "2.0%"], "3.6%"),
    (6, "城乡居民人均可支配收入增速", "%", [6.6, 6.9, 7.1, 6.5, 6.8, 7.0, 6.4], 6.76),
    (8, "PM2.5平均浓度", "微克/立方米", [38, 41, 35, 44, 39, 47, 36], 40),
]

SYSTEM_TITLE_OURS = f"{C_OURS}2024年度高质量发展综合绩效考核指标任务分工表"
SYSTEM_TITLE_NOBODY = "2024年度高质量发展综合绩效考核指标任务分工表"


def _county_depts(folder: Path, *, prefix: str, name_files: bool, fill_lines: bool, titles: bool,
                  units: dict[str, str] | None = None) -> None:
    """The seven-county departments' 月报. prefix: the county written in titles and
    sign-offs ('' = the clerk wrote only 县发改局); name_files: the file names start with
    the county; units: per department, the county that department's sheet names (for a
    workspace with two candidates)."""
    head = "七县（市）\n排名"
    units = units or {}

    def who(dept: str, full: str) -> tuple[str, str]:
        place = units.get(dept, prefix)
        return place, (f"{place}{full}" if place else f"县{full}")

    def fname(dept: str, stem: str, ext: str = "xlsx") -> str:
        place = units.get(dept, prefix)
        return f"{place}{dept}{stem}.{ext}" if (name_files and place) else f"{dept}{stem}.{ext}"

    def title(dept: str) -> str:
        place = units.get(dept, prefix)
        return f"{place if titles else ''}{dept}2024年1-6月高质量发展综合绩效考核指标进展情况表"

    def fill(dept: str) -> str | None:
        place = units.get(dept, prefix)
        return f"填报单位：{place or '县'}{dept}" if fill_lines else None

    place, unit = who("发改局", "发展和改革局")
    write_dept(folder / fname("发改局", "2024年6月指标进展情况"), title("发改局"), head, [
        [1, "地区生产总值增速", "增长6.2%", "3", "服务业恢复偏慢", "抓好季度冲刺"],
        [3, "固定资产投资\n增速", "8.5%", "第4名", "项目储备不足", "开展项目谋划攻坚"],
    ], unit=unit, fill_line=fill("发改局"))
    place, unit = who("科工信局", "科技和工业信息化局")
    write_dept(folder / fname("科工信局", "6月报表", "xls"), title("科工信局"), head, [
        [2, "规模以上工业增加值增速", "5.0%", "7", "龙头企业减产", "帮扶重点企业满产"],
        [7, "高新技术企业净增数", "2家", "第7名", "后备企业培育不足", "建立后备企业库"],
    ], unit=unit, fill_line=fill("科工信局"))
    place, unit = who("财政局", "财政局")
    write_dept(folder / fname("财政局", "2024年6月指标进展情况"), title("财政局"), head, [
        [5, "一般公共预算收入增速", "8.8%", "第2名", "", ""],
    ], unit=unit, fill_line=fill("财政局"))
    place, unit = who("生态环境分局", "生态环境分局")
    write_dept(folder / fname("生态环境分局", "6月份报表"), title("生态环境分局"), head, [
        [8, "PM2.5平均浓度", "38微克/立方米", "3", "扬尘管控压力大", "加强工地巡查"],
    ], unit=unit, fill_line=fill("生态环境分局"))


def build_counties(root: Path, *, average_col: str = "平均", city_first: bool = False,
                   peer_title: str = "全市七县（市）主要指标完成情况（2024年1-6月）",
                   peer_file: str = "七县（市）主要指标（1-6月）.xlsx",
                   system_title: str = SYSTEM_TITLE_OURS, toml: bool = True,
                   prefix: str = C_OURS, name_files: bool = True, fill_lines: bool = False, titles: bool = True,
                   units: dict[str, str] | None = None) -> Path:
    """(c) seven county columns and a 平均 column last; 科工信局 reports 第7名 for 高新技术
    企业净增数, which has no peer data.
    (d) average_col=岱川市, city_first, the title 岱川市各县（市）主要指标完成情况: the city
    is named in the title and heads the first column.
    (e) system_title names nobody, no kaohe.toml: the county is in 填报单位 lines,
    sign-offs and file names.
    (f) nothing names our county (prefix='') or two departments name two counties."""
    inp = root / "input"
    write_system(inp / f"附件1：{system_title}.xlsx", system_title, C_SYSTEM)
    folder = inp / MONTH
    if city_first:
        cols = [average_col] + COUNTIES
        rows = [(no, name, unit, [avg] + vals) for no, name, unit, vals, avg in C_PEERS]
    else:
        cols = COUNTIES + [average_col]
        rows = [(no, name, unit, vals + [avg]) for no, name, unit, vals, avg in C_PEERS]
    write_peers(folder / peer_file, peer_title, cols, rows)
    _county_depts(folder, prefix=prefix, name_files=name_files, fill_lines=fill_lines, titles=titles, units=units)
    if toml:
        write_toml(root, C_OURS)
    return root


def build_county_found_in_sheets(root: Path) -> Path:
    """(e) The system's title and file name name no county (the city's table copied as
    is); the peer file and its title name the superior city; our county is only in the
    departments' 填报单位 lines, sign-offs, titles and file names."""
    return build_counties(root, system_title=SYSTEM_TITLE_NOBODY, toml=False, fill_lines=True,
                          city_first=True, average_col=C_CITY,
                          peer_title=f"{C_CITY}各县（市）主要指标完成情况（2024年1-6月）",
                          peer_file=f"{C_CITY}各县（市）主要指标完成情况（1-6月）.xls")


def build_nobody_named(root: Path) -> Path:
    """(f1) Nothing names our county: the system copied from the city, departments write
    县发改局 only, files named 发改局…; the peer sheet lists seven counties."""
    return build_counties(root, system_title=SYSTEM_TITLE_NOBODY, toml=False, prefix="", name_files=False,
                          fill_lines=True)


def build_two_candidates(root: Path) -> Path:
    """(f2) Two counties tie: two departments' sheets (title, 填报单位, sign-off, file name)
    say 云岫县, two say 苇塘县 (a neighbour's sheets forwarded by mistake); the system
    names nobody."""
    units = {"发改局": "云岫县", "财政局": "云岫县", "科工信局": "苇塘县", "生态环境分局": "苇塘县"}
    return build_counties(root, system_title=SYSTEM_TITLE_NOBODY, toml=False, fill_lines=True, units=units)


def build_city_named_peers(root: Path, *, toml: bool = False) -> Path:
    """(d) The bureau's sheet is titled 岱川市各县（市）主要指标完成情况 and its first place
    column is the city's own figure, headed 岱川市; the file is named after the city too.
    Our county is named by the system's title and the departments' files."""
    return build_counties(root, average_col=C_CITY, city_first=True, toml=toml,
                          peer_title=f"{C_CITY}各县（市）主要指标完成情况（2024年1-6月）",
                          peer_file=f"{C_CITY}各县（市）主要指标完成情况（1-6月）.xlsx")


def build_county_in_sheet_text_only(root: Path) -> Path:
    """(e2) As (e), but the files are named 发改局2024年6月… (no county): our county is
    only inside the departments' sheets (titles, 填报单位 lines, sign-offs)."""
    return build_counties(root, system_title=SYSTEM_TITLE_NOBODY, toml=False, fill_lines=True, name_files=False,
                          city_first=True, average_col=C_CITY,
                          peer_title=f"{C_CITY}各县（市）主要指标完成情况（2024年1-6月）",
                          peer_file=f"{C_CITY}各县（市）主要指标完成情况（1-6月）.xls")
