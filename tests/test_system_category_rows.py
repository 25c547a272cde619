"""Subtotal and total rows as offices write them in a task-division table: `经济发展小计` / `小　计`
rows under a category merged down, and 合计 typed in the category column. None of them is an
indicator, and each is checked against the indicators it sums (probe 26: 经济发展小计 counted as an
indicator doubled the total, silently). Built the way clerks make the file: 附件 label, merged
title, category cells merged down, a 合计 row and a 注 row."""

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
