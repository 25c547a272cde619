"""A city's system with its per-unit targets on a second sheet (目标分解表, units as rows), as an
acceptance probe (helper-31, 岚州市) built it: targets written with their units (42亿元, 40家, 7.5%)
were kept as words and never scored, and the sheet reset the system's own per-unit points
(`3分（澄湖区4分）`) to the default for every unit, silently."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from month_fixtures import table_head
from openpyxl.styles import Alignment

from kaohe_excel.model import unit_points
from kaohe_excel.read.workbook import read_system

UNITS = ["栖凤区", "澄湖区", "雁栖县", "云雾瑶族自治县"]
ROWS = [  # no, name, points as written, targets per unit (as the 目标分解表 writes them)
    (1, "地区生产总值增速", 5, ["6.5%", "6.0%", "7.0%", "7.5%"]),
    (2, "一般公共预算收入", 4, ["42亿元", "35亿元", "18亿元", "8亿元"]),
    (3, "实际利用外资", "3分（澄湖区4分）", [5000, 8000, 3000, 1000]),
    (4, "高新技术企业净增数", 3, ["40家", "35家", "25家", "---"]),
]


def build(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    table_head(ws, "指标体系", "岚州市2026年度县（区）高质量发展综合绩效考核指标体系（测试数据）",
               ["序号", "类别", "指标名称", "分值\n（分）", "责任单位"])
    for k, (no, name, pts, _t) in enumerate(ROWS):
        r = 4 + k
        ws.cell(r, 1, no)
        ws.cell(r, 3, name)
        ws.cell(r, 4, pts)
        ws.cell(r, 5, "市发改委\n市统计局")
    ws.cell(4, 2, "一、经济发展")
    ws.merge_cells("B4:B7")
    ws.cell(8, 1, "注：各县（区）目标见「目标分解表」，“---”表示该县（区）不考核此项；分值栏括号内为该县（区）适用的分值。")
    ws.merge_cells("A8:E8")
    t = wb.create_sheet("目标分解表")
    t["A1"] = "岚州市2026年度各县（区）主要指标目标分解表"
    t.merge_cells(start_row=1, start_column=1, end_row=1, end_column=2 + len(ROWS))
    t.cell(2, 1, "序号")
    t.cell(2, 2, "县（区）")
    for j, (_no, name, _p, _t) in enumerate(ROWS):
        t.cell(2, 3 + j, f"{name}\n（目标）").alignment = Alignment(wrap_text=True)
    for i, u in enumerate(UNITS):
        t.cell(3 + i, 1, i + 1)
        t.cell(3 + i, 2, u)
        for j, (*_x, targets) in enumerate(ROWS):
            t.cell(3 + i, 3 + j, targets[i])
    t.cell(3 + len(UNITS), 1, "注：“---”表示该县（区）不考核此项指标。")
    wb.save(path)
    return path


def test_targets_written_with_their_units_are_numbers_to_score_against(tmp_path):
    system = read_system(build(tmp_path / "system.xlsx"))
    by_no = {i.no: i for i in system.indicators}
    assert by_no[2].targets["澄湖区"] == "35亿元"  # as written (shown so)
    assert by_no[2].target_values == {"栖凤区": 42, "澄湖区": 35, "雁栖县": 18, "云雾瑶族自治县": 8}
    assert by_no[1].target_values["云雾瑶族自治县"] == 7.5
    assert by_no[4].target_values == {"栖凤区": 40, "澄湖区": 35, "雁栖县": 25}


def test_the_system_s_own_per_unit_points_stand_beside_the_target_sheet(tmp_path):
    system = read_system(build(tmp_path / "system.xlsx"))
    item3 = next(i for i in system.indicators if i.no == 3)
    assert [float(unit_points(item3, u)[0]) for u in UNITS] == [3, 4, 3, 3]
    item4 = next(i for i in system.indicators if i.no == 4)
    assert unit_points(item4, "云雾瑶族自治县") == (None, True)  # `---` on the target sheet
    assert float(unit_points(item4, "澄湖区")[0]) == 3
    assert not [p for p in system.problems if "澄湖区" in p.message]
