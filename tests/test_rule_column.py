"""A county's 任务分工表 as an acceptance probe built it (helper-32, 临溪县): the points column
headed 基本分 beside 加分, and the figure per event written only in 评分标准 (每发生1起…扣2分，最多扣6分;
每获得1项加0.5分，最多加2分). The 基本分 column was not found (the 加分 column was taken for the
points: 总分 0, a score above full marks); each event then counted 1 point; and a clerk's
完成全年目标的68% was ranked as 68 people."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from month_fixtures import table_head

from kaohe_excel.assess.month import _per_event
from kaohe_excel.read.values import TEXT, parse_value
from kaohe_excel.read.workbook import read_system
from kaohe_excel.write.reports import points_text

ROWS = [  # no, category, name, 基本分, 加分, 评分标准
    (1, "一、经济发展", "地区生产总值增速", 8, 1, "第1名得8分，每后退1个位次扣0.4分；增速达到6.5%的加1分"),
    (2, "", "固定资产投资增速", 6, None, "第1名得6分，每后退1位扣0.3分"),
    (3, "", "城镇新增就业人数", 5, None, "第1名得5分，每后退1位扣0.25分"),
    (4, "二、减分项", "生产安全事故", None, None, "每发生1起较大及以上生产安全事故扣2分，最多扣6分"),
    (5, "三、加分项", "获得国家级、省级表彰奖励", None, 2, "每获得1项加0.5分，最多加2分"),
]


def build(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    table_head(ws, "任务分工表", "临溪县2026年度高质量发展综合绩效考核任务分工表（测试数据）",
               ["序号", "类别", "指标\n名称", "基本分\n（分）", "加分\n（分）", "评分标准", "责任单位"])
    for k, (no, cat, name, base, bonus, rule) in enumerate(ROWS):
        r = 4 + k
        for c, v in enumerate((no, cat, name, base, bonus, rule, "县发改委（牵头）、县统计局"), 1):
            if v not in (None, ""):
                ws.cell(r, c, v)
    ws.merge_cells("B4:B6")
    ws.cell(9, 1, "注：基本分合计19分；第4项每起扣2分、最多扣6分。本表为测试数据。")
    ws.merge_cells("A9:G9")
    wb.save(path)
    return path


def _system(tmp_path):
    system = read_system(build(tmp_path / "分工表.xlsx"))
    return system, {i.no: i for i in system.indicators}


def test_a_points_column_headed_base_points_is_the_points(tmp_path):
    system, by_no = _system(tmp_path)
    assert [by_no[n].points for n in (1, 2, 3)] == [8, 6, 5]
    assert [by_no[n].kind for n in (1, 2, 3, 4, 5)] == ["scored", "scored", "scored", "deduction", "bonus"]
    assert system.total_points == 19
    said = [p.message for p in system.problems if "另有加分" in p.message]
    assert len(said) == 1 and "第1项（加1分）" in said[0]  # the conditional 加分 beside 基本分: said, not scored


def test_the_figure_per_event_in_the_rule_column_is_what_an_event_counts(tmp_path):
    _system_, by_no = _system(tmp_path)
    safety, awards = by_no[4], by_no[5]
    assert (safety.per_event, safety.deduction_cap) == (2, 6)
    assert (awards.per_event, awards.deduction_cap) == (0.5, 2)
    assert _per_event(safety, None, 1.0, cap=6) == 2
    assert _per_event(awards, None, 1.0, cap=2) == 0.5
    assert points_text(safety) == "每起扣2分，最多扣6分"


def test_a_share_of_the_target_is_no_figure():
    for text in ("完成全年目标的68%", "完成年度任务的55%", "占全年目标的40%", "完成目标任务68%"):
        assert parse_value(text).status == TEXT, text
    for text, v in (("68%", 68), ("完成6020人", 6020), ("增长6.2%", 6.2), ("目标完成率95%", 95)):
        assert parse_value(text).value == v, text


def test_a_bonus_or_deduction_written_none_is_reported_in_the_status_as_it_is_scored(tmp_path):
    """无 on a bonus row is the figure 0 items (scored 加0分): 报送情况 and check counted it 暂无数据."""
    from kaohe_excel.assess.intake import submission_status
    from kaohe_excel.model import Entry, Submission

    system, by_no = _system(tmp_path)
    entries = [Entry(no=4, name=by_no[4].name, department="县发改委", actual_raw="无", key=by_no[4].key),
               Entry(no=5, name=by_no[5].name, department="县发改委", actual_raw="无", key=by_no[5].key),
               Entry(no=1, name=by_no[1].name, department="县发改委", actual_raw="—", key=by_no[1].key)]
    st = submission_status(system, [Submission("a.xlsx", "Sheet1", "发改委", "2026-07", entries)], "2026-07")
    assert (st.reported, st.not_available) == (2, 1)
    ds = next(d for d in st.departments if by_no[4].key in d.owed)
    assert ds.sent and {by_no[4].key, by_no[5].key} <= set(ds.reported) and by_no[1].key in ds.not_available


def test_spec_s_categories_add_up_to_the_total(tmp_path):
    """`kaohe spec` counted a bonus's cap in its category (三、加分项：1 项，2 分) where 总分 leaves it
    out: its categories added up to more than the 总分 it printed above them."""
    import re

    from kaohe_excel.flows.report_text import system_summary

    path = build(tmp_path / "分工表.xlsx")
    wb = openpyxl.load_workbook(path)
    wb.active.cell(8, 4, 2)  # the bonus item's cap written in the points column, as tables often do
    wb.save(path)
    system = read_system(path)
    assert next(i for i in system.indicators if i.no == 5).points == 2
    text = system_summary(system)
    cats = [float(x) for x in re.findall(r"^  \S+：\d+ 项，([0-9.]+) 分$", text, re.M)]
    assert "总分 19 分" in text and len(cats) == 3 and sum(cats) == 19, text
