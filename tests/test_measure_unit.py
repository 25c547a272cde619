"""The system's 计量单位 column: a month whose peer table writes no unit (neither a column nor in
the names, 实际使用外资 2600) still prints 2600万美元, as the months that write it do; a column
headed 单位 holding departments is no unit. And a scored row the month's table leaves out (a
quarterly item between quarters) is said once in the view from above."""

from __future__ import annotations

import re

import openpyxl
import pytest

from kaohe_excel.text import measure_unit
from tests import league_city as lc
from tests.kaohe_cli import cli_json

UNIT_OF = {1: "%", 2: "%", 3: "%", 4: "万美元", 5: "%", 6: "家", 7: "微克/立方米", 8: "人", 9: "%"}


@pytest.mark.parametrize("cell, unit", [("亿元", "亿元"), ("（%）", "%"), ("％", "%"), ("微克/立方米", "微克/立方米"),
                                        ("县统计局", ""), ("市发展改革委", ""), ("—", ""), ("无", ""), ("100", ""),
                                        ("", ""), (None, "")])
def test_a_measure_unit_cell(cell, unit):
    assert measure_unit(cell) == unit


def _workspace(root):
    ws = lc.build_workspace(root).root
    system = ws / "input" / lc.SYSTEM_FILE
    wb = openpyxl.load_workbook(system)
    sh = wb.active
    col = sh.max_column + 1
    sh.cell(4, col, "计量\n单位")
    sh.merge_cells(start_row=4, start_column=col, end_row=5, end_column=col)
    for r in range(6, 6 + len(lc.SYSTEM_ROWS)):
        no = sh.cell(r, 1).value
        if no in UNIT_OF:
            sh.cell(r, col, UNIT_OF[no])
    wb.save(system)
    june = ws / "input" / lc.JUNE / lc.PEER_FILES[lc.JUNE]
    wb = openpyxl.load_workbook(june)
    sh = wb.active
    for r in range(5, sh.max_row + 1):  # the June table writes its names without units
        if isinstance(sh.cell(r, 2).value, str):
            sh.cell(r, 2).value = re.sub(r"（[^（）]*）$", "", sh.cell(r, 2).value)
    wb.save(june)
    return ws


def test_the_systems_unit_where_the_month_writes_none(tmp_path):
    ws = _workspace(tmp_path / "city")
    js = cli_json(ws, "assess", "--all-units", "--month", lc.JUNE)
    fdi = next(i for i in js["indicators"] if i["no"] == 4)
    assert {c["unit"]: c["display"] for c in fdi["cells"]}[lc.TD] == "2600万美元", fdi["cells"][:2]
    jobs = next(i for i in js["indicators"] if i["no"] == 8)
    assert {c["unit"]: c["display"] for c in jobs["cells"]}[lc.TD] == "3300人"


def test_a_row_the_month_leaves_out_is_said_once(tmp_path):
    ws = lc.build_workspace(tmp_path / "city").root
    june = ws / "input" / lc.JUNE / lc.PEER_FILES[lc.JUNE]
    wb = openpyxl.load_workbook(june)
    sh = wb.active
    row = next(r for r in range(5, sh.max_row + 1) if sh.cell(r, 1).value == 6)
    sh.delete_rows(row)
    wb.save(june)
    js = cli_json(ws, "assess", "--all-units", "--month", lc.JUNE)
    said = [p for p in js["problems"] if "第 6 项「高新技术企业净增数」不在本月的各单位数据中" in p["message"]]
    assert len(said) == 1, [p["message"] for p in js["problems"]]


def test_a_systems_bare_target_carries_the_items_unit_in_the_overview(tmp_path):
    """The 一览表's 目标 from the system (2000, 7) with the unit the item's figures carry, as a
    month whose department wrote its target (35微克/立方米) shows it (helper-37: 35 one month,
    35微克/立方米 the next)."""
    from tests.kaohe_cli import cli

    city = lc.build_workspace(tmp_path / "city").root
    ws = lc.copy_input(city, tmp_path / "county", county=lc.LS)
    cli(ws, "run", "--month", lc.JUNE)
    wb = openpyxl.load_workbook(next((ws / "output" / lc.JUNE).glob("*一览表*.xlsx")))
    rows = {r[0]: r for r in wb.active.iter_rows(values_only=True) if isinstance(r[0], int)}
    assert rows[4][5] == "2000万美元" and rows[1][5] == "7%", (rows[4], rows[1])


def test_a_target_a_department_wrote_bare_carries_the_items_unit_too():
    """A unit's own 一览表 handed in with 目标 7 (a number): the county's 一览表 prints 7%, as the
    city's run, which takes the system's 7%, prints it (one way a month, whoever wrote it)."""
    from kaohe_excel.assess.results import IndicatorResult, MonthResult
    from kaohe_excel.model import Entry, Indicator, IndicatorSystem
    from kaohe_excel.write.reports import overview_context

    ind = Indicator(no=1, row=4, path=["经济发展"], name="地区生产总值增速", name_raw="地区生产总值增速", points=4,
                    lead=["市发展改革委"], cell="B4")
    system = IndicatorSystem(title="t", file="s.xlsx", sheet="s", indicators=[ind])
    system.assign_keys()
    r = IndicatorResult(no=1, name=ind.name, category="经济发展", kind="scored", points=4, direction="higher",
                        direction_source="默认", lead=ind.lead, rank=2, group_size=9, colour="green", unit="%",
                        actual=7.5, actual_raw="7.5%", key=ind.key)
    res = MonthResult(month="2024-06", system_title=None, county="翠屏县", indicators=[r])
    e = Entry(no=1, name=ind.name, department="政府办", actual=7.5, actual_raw="7.5%", target=7, target_raw="7",
              file="翠屏县一览表.xlsx", sheet="Sheet1", cell="F5", key=ind.key)
    ctx = overview_context(system, res, {ind.key: e})
    (row,) = [x for c in ctx["categories"] for x in c["indicators"]]
    assert row["target"] == "7%", row["target"]


@pytest.mark.parametrize("name, unit", [("农村居民人均可支配收入增速（季度）", "%"), ("城镇化率（年度）", "%"),
                                        ("实际使用外资（万美元）", "万美元"), ("增速（%）（季度）", "%"),
                                        ("高新技术企业数（家）", "家")])
def test_a_period_in_brackets_is_no_unit(name, unit):
    """…增速（季度） printed its figures as -2.5季度: a 季度 / 年度 note is no unit."""
    from kaohe_excel.assess.month import _unit_of

    assert _unit_of(name, []) == unit


@pytest.mark.parametrize("names, growth", [(("社会消费品零售总额增长（%）",), True), (("规模以上工业增加值", "规上工业增加值增速★"), True),
                                           (("GDP", "地区生产总值增速※"), True), (("地区生产总值",), False),
                                           (("城镇新增就业人数",), False), (("单位GDP能耗降低率（%）",), True)])
def test_one_rule_says_an_indicator_is_a_growth_rate(names, growth):
    """The peer reader and the departments' reader take the 增速 beside the amount by one rule, from
    the row's name or the system's (they disagreed: one read 本期, the other 增速, on one workbook)."""
    from kaohe_excel.read.values import is_growth

    assert is_growth(*names) is growth
