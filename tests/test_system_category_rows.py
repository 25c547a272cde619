"""Category rows and subtotal rows as offices write them in a task-division table: the category on
a row of its own with no 序号 (`| 经济增长 | 40 |`, merged over 序号 and name, `经济增长（20分）`, or
with no points at all), `经济发展小计` / `小　计` rows under a category merged down, and 合计 typed
in the category column. None of them is an indicator: counted as one, a category's points doubled
the total (probe 26, 北川市: 共 12 项指标，总分 200 分). Built the way clerks make the file: 附件
label, merged title, a merged header, category cells merged down, a 合计 row and a 注 row."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from kaohe_excel.problems import WARNING
from kaohe_excel.read.workbook import read_system

NOTE = "注：各类别分值为该类指标分值之和，合计100分。"


def _sheet(title: str, header: list[str]):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "指标"
    ws.append(["附件1"])
    ws.append([title])
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(header))
    ws.append(header)
    return wb, ws


def _note(ws, width: int) -> None:
    ws.append([])
    ws.append([NOTE])
    ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=width)


# 北川市: 序号 | 指标 | 计量单位 | 方向 | 权重（%） | 目标值 | 责任单位 | 备注, each category on a row
# of its own carrying its subtotal in the 权重 column
BEICHUAN = [
    ("经济增长", 40, [("地区生产总值", "亿元", "↑", 15, "增长6%", "市发改局/市统计局"),
                      ("税收收入", "亿元", "↑", 10, "增长5%", "市财政局，市税务局"),
                      ("固定资产投资", "亿元", "↑", 15, "增长8%", "市发改局")]),
    ("绿色低碳", 30, [("单位GDP能耗", "吨标准煤/万元", "↓", 10, "下降3%", "市发改局"),
                      ("PM10平均浓度", "微克/立方米", "↓", 10, "≤60", "市生态环境局"),
                      ("城市生活垃圾无害化处理率", "%", "↑", 10, "100%", "市城管局")]),
    ("民生改善", 30, [("城镇新增就业人数", "人", "↑", 10, "≥5000", "市人社局"),
                      ("刑事案件发案数", "起", "↓", 10, "下降5%", "市公安局"),
                      ("群众满意度", "%", "↑", 10, "≥90%", "市统计局")]),
]


def write_beichuan(path: Path, cats=BEICHUAN, total=100) -> Path:
    wb, ws = _sheet("北川市2024年度镇街综合考核指标及权重", ["序号", "指标", "计量\n单位", "方向", "权重（%）",
                                                              "目标值", "责任单位", "备注"])
    no = 0
    for cat, sub, items in cats:
        ws.append([None, cat, None, None, sub, None, None, None])
        for name, unit, d, w, tgt, units in items:
            no += 1
            ws.append([no, name, unit, d, w, tgt, units, None])
    ws.append(["合计", None, None, None, total, None, None, None])
    ws.merge_cells(f"A{ws.max_row}:D{ws.max_row}")
    _note(ws, 8)
    wb.save(path)
    return path


def test_category_rows_carrying_their_subtotal_are_categories_not_indicators(tmp_path):
    s = read_system(write_beichuan(tmp_path / "北川市考核指标权重表.xlsx"))
    assert len(s.indicators) == 9 and s.total_points == 100, [(i.name, i.points) for i in s.indicators]
    assert [i.no for i in s.indicators] == list(range(1, 10))
    assert [i.path for i in s.indicators] == [["经济增长"]] * 3 + [["绿色低碳"]] * 3 + [["民生改善"]] * 3
    assert {i.name for i in s.indicators}.isdisjoint({"经济增长", "绿色低碳", "民生改善"})
    assert not s.problems, [p.message for p in s.problems]


def test_a_category_row_whose_points_disagree_with_its_indicators_is_said_at_its_cell(tmp_path):
    cats = [BEICHUAN[0], ("绿色低碳", 35, BEICHUAN[1][2]), BEICHUAN[2]]
    s = read_system(write_beichuan(tmp_path / "北川市考核指标权重表.xlsx", cats))
    assert len(s.indicators) == 9 and s.total_points == 100
    said = [p for p in s.problems if "绿色低碳" in p.message]
    assert len(said) == 1 and said[0].cell == "E8" and said[0].level == WARNING, [p.message for p in s.problems]
    assert "写明 35 分" in said[0].message and "合计为 30 分" in said[0].message
    assert len(s.problems) == 1, [p.message for p in s.problems]


ITEMS = [("经济增长", [("地区生产总值增速", 10, "县发改委"), ("税收收入增速", 10, "县财政局")]),
         ("民生改善", [("城镇新增就业人数", 5, "县人社局"), ("群众满意度", 5, "县统计局")])]


def write_plain(path: Path, how: str) -> Path:
    """序号 | 指标名称 | 分值 | 责任单位 with each category on a row of its own, written `how`:
    'points' (| 经济增长 | 20 |), 'merged' (经济增长 merged over 序号 and name, 20 beside it),
    'label' (经济增长（20分） with 20 too), 'bare' (the name only), 'label-only' (经济增长（20分）,
    the points cell empty)."""
    wb, ws = _sheet("某县2024年度考核指标", ["序号", "指标名称", "分值", "责任单位"])
    no = 0
    for cat, items in ITEMS:
        sub = sum(p for _, p, _ in items)
        if how == "points":
            ws.append([None, cat, sub, None])
        elif how == "merged":
            ws.append([cat, None, sub, None])
            ws.merge_cells(f"A{ws.max_row}:B{ws.max_row}")
        elif how == "label":
            ws.append([None, f"{cat}（{sub}分）", sub, None])
        elif how == "bare":
            ws.append([None, cat, None, None])
        else:
            ws.append([None, f"{cat}（{sub}分）", None, None])
        for name, p, unit in items:
            no += 1
            ws.append([no, name, p, unit])
    ws.append(["合计", None, 30, None])
    ws.merge_cells(f"A{ws.max_row}:B{ws.max_row}")
    _note(ws, 4)
    wb.save(path)
    return path


@pytest.mark.parametrize("how", ["points", "merged", "label", "bare", "label-only"])
def test_a_category_row_without_an_ordinal_opens_a_category(tmp_path, how):
    s = read_system(write_plain(tmp_path / "考核指标.xlsx", how))
    assert [i.name for i in s.indicators] == ["地区生产总值增速", "税收收入增速", "城镇新增就业人数", "群众满意度"]
    assert s.total_points == 30
    assert [i.path[0].split("（")[0] for i in s.indicators] == ["经济增长"] * 2 + ["民生改善"] * 2
    assert not s.problems, [p.message for p in s.problems]


def write_ordinal(path: Path, subtotals: tuple[float, float, float]) -> Path:
    """一 | 经济增长 | 20 | (空): categories numbered in the 序号 column, their points beside them."""
    wb, ws = _sheet("某县2024年度考核指标", ["序号", "指标名称", "分值", "责任单位"])
    no = 0
    for k, (cn, (cat, items)) in enumerate(zip("一二三", ITEMS + [("社会治理", [("信访事项办结率", 5, "县信访局")])])):
        ws.append([cn, cat, subtotals[k], None])
        for name, p, unit in items:
            no += 1
            ws.append([no, name, p, unit])
    ws.append(["合计", None, 35, None])
    wb.save(path)
    return path


def test_an_ordinal_category_row_whose_points_disagree_is_said_once_the_others_add_up(tmp_path):
    s = read_system(write_ordinal(tmp_path / "考核指标.xlsx", (20, 12, 5)))
    assert s.total_points == 35 and [i.path for i in s.indicators] == [["经济增长"]] * 2 + [["民生改善"]] * 2 + [["社会治理"]]
    assert [(p.cell, p.level) for p in s.problems] == [("C7", WARNING)], [p.message for p in s.problems]
    assert "类别「民生改善」写明 12 分" in s.problems[0].message and "合计为 10 分" in s.problems[0].message


def test_ordinal_category_weights_that_are_no_subtotals_are_quiet(tmp_path):
    """一 | 经济增长 | 40 over items scored within it: the table's category figures are weights of their own."""
    s = read_system(write_ordinal(tmp_path / "考核指标.xlsx", (40, 30, 30)))
    assert s.total_points == 35 and len(s.indicators) == 5 and not s.problems, [p.message for p in s.problems]


def write_merged_categories(path: Path, subtotal: list[str | None], total: float = 25,
                            total_in: str = "A", subtotals: tuple[float, float] = (20, 5)) -> Path:
    """类别 | 序号 | 指标名称 | 分值 | 责任单位, the category merged down column A over its
    indicators and its subtotal row (subtotal[k] in the name column, None for no such row), then
    合计 written in column `total_in`."""
    wb, ws = _sheet("某县2024年度考核指标", ["类别", "序号", "指标名称", "分值", "责任单位"])
    no = 0
    data = [("经济发展", [("地区生产总值增速", 10, "县发改委"), ("税收收入增速", 10, "县财政局")]),
            ("民生改善", [("城镇新增就业人数", 2.5, "县人社局"), ("群众满意度", 2.5, "县统计局")])]
    for k, (cat, items) in enumerate(data):
        first = ws.max_row + 1
        for j, (name, p, unit) in enumerate(items):
            no += 1
            ws.append([cat if j == 0 else None, no, name, p, unit])
        if subtotal[k] is not None:
            ws.append([None, None, subtotal[k], subtotals[k], None])
        ws.merge_cells(f"A{first}:A{ws.max_row}")
    ws.append(["合计" if total_in == "A" else None, None, "合计" if total_in == "C" else None, total, None])
    _note(ws, 5)
    wb.save(path)
    return path


@pytest.mark.parametrize("labels", [["经济发展小计", "民生改善小计"], ["经济发展小计", "小　计"], ["小 计", "本类小计"]])
def test_a_subtotal_row_named_after_its_category_is_no_indicator(tmp_path, labels):
    s = read_system(write_merged_categories(tmp_path / "考核指标.xlsx", labels))
    assert [i.name for i in s.indicators] == ["地区生产总值增速", "税收收入增速", "城镇新增就业人数", "群众满意度"]
    assert s.total_points == 25
    assert [i.path for i in s.indicators] == [["经济发展"]] * 2 + [["民生改善"]] * 2
    assert not s.problems, [p.message for p in s.problems]


def test_a_wrong_subtotal_is_said_at_its_cell(tmp_path):
    s = read_system(write_merged_categories(tmp_path / "考核指标.xlsx", ["经济发展小计", "小　计"], subtotals=(18, 5)))
    assert s.total_points == 25
    said = [p.cell for p in s.problems if "小计行写明 18 分" in p.message and "本类各指标分值合计为 20 分" in p.message]
    assert said == ["D6"], [p.message for p in s.problems]
    assert len(s.problems) == 1 and s.problems[0].level == WARNING, [p.message for p in s.problems]


@pytest.mark.parametrize("subtotal", [[None, None], ["小计", "小计"], ["经济发展小计", "民生改善小计"]])
@pytest.mark.parametrize("total_in", ["A", "C"])
def test_a_wrong_total_is_said_wherever_合计_is_written(tmp_path, subtotal, total_in):
    s = read_system(write_merged_categories(tmp_path / "考核指标.xlsx", subtotal, total=30, total_in=total_in))
    assert s.total_points == 25 and len(s.indicators) == 4
    row = 8 + sum(1 for x in subtotal if x)
    said = [p for p in s.problems if "合计行写明 30" in p.message]
    assert [p.cell for p in said] == [f"D{row}"] and "为 25 分" in said[0].message, [p.message for p in s.problems]
    assert len(s.problems) == 1, [p.message for p in s.problems]


def test_a_right_total_in_the_category_column_is_quiet(tmp_path):
    s = read_system(write_merged_categories(tmp_path / "考核指标.xlsx", [None, None], total=25))
    assert s.total_points == 25 and len(s.indicators) == 4 and not s.problems, [p.message for p in s.problems]


# What must stay indicators


def test_unnumbered_indicators_stay_indicators(tmp_path):
    """A table whose indicators carry no 序号: a row without units is an indicator missing them."""
    wb, ws = _sheet("某县2024年度考核指标", ["序号", "指标名称", "分值", "责任单位"])
    for row in [(None, "地区生产总值增速", 10, "县发改委"), (None, "群众满意度", 15, None),
                (None, "税收收入增速", 10, "县财政局"), (None, "城镇新增就业人数", 5, "县人社局")]:
        ws.append(list(row))
    ws.append(["合计", None, 40, None])
    wb.save(tmp_path / "考核指标.xlsx")
    s = read_system(tmp_path / "考核指标.xlsx")
    assert [i.name for i in s.indicators] == ["地区生产总值增速", "群众满意度", "税收收入增速", "城镇新增就业人数"]
    assert s.total_points == 40 and all(not i.path for i in s.indicators)
    assert [p.cell for p in s.problems] == ["D5"], [p.message for p in s.problems]  # 群众满意度: no units


def test_an_indicator_whose_points_equal_the_next_rows_stays_an_indicator(tmp_path):
    """Units and a target on an unnumbered row make it an indicator, whatever its points add up to."""
    wb, ws = _sheet("某县2024年度考核指标", ["序号", "指标名称", "分值", "目标值", "责任单位"])
    for row in [(None, "民生实事完成率", 20, "100%", "县政府办"),
                (1, "地区生产总值增速", 5, "6%", "县发改委"), (2, "税收收入增速", 5, "5%", "县财政局"),
                (3, "城镇新增就业人数", 5, "3000人", "县人社局"), (4, "群众满意度", 5, "90%", "县统计局")]:
        ws.append(list(row))
    ws.append(["合计", None, 40, None, None])
    wb.save(tmp_path / "考核指标.xlsx")
    s = read_system(tmp_path / "考核指标.xlsx")
    assert [i.name for i in s.indicators] == ["民生实事完成率", "地区生产总值增速", "税收收入增速",
                                               "城镇新增就业人数", "群众满意度"]
    assert s.total_points == 40 and all(not i.path for i in s.indicators)
    assert not s.problems, [p.message for p in s.problems]


def test_a_sub_item_row_under_a_numbered_indicator_still_shares_its_points(tmp_path):
    """' | 其中：工业增加值 | | ' under No. 1, with no category row anywhere: a sub-item, as before."""
    wb, ws = _sheet("某县2024年度考核指标", ["序号", "指标名称", "分值", "责任单位"])
    for row in [(1, "地区生产总值增速", 10, "县发改委"), (None, "其中：工业增加值增速", None, None),
                (2, "税收收入增速", 10, "县财政局"), (3, "群众满意度", 5, "县统计局")]:
        ws.append(list(row))
    ws.append(["合计", None, 25, None])
    wb.save(tmp_path / "考核指标.xlsx")
    s = read_system(tmp_path / "考核指标.xlsx")
    assert [i.name for i in s.indicators] == ["地区生产总值增速", "其中：工业增加值增速", "税收收入增速", "群众满意度"]
    assert s.indicators[1].shares_points_with_row == 4 and all(not i.path for i in s.indicators)
    assert s.total_points == 25
