"""An unseen county's task-division table (an acceptance probe's 青岚县, 2024): an 指标属性 column
that holds 正向 / 逆向 on the scored rows and 扣分项 / 约束性 / 加分项 on the event rows, and a 分值
cell left blank on a row that has its own 序号. Built the way clerks make the file: 附件 label,
merged title, a two-row header with line breaks, categories merged down, a 合计 row and a 注 row."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from kaohe_excel.model import BONUS, CONSTRAINT, DEDUCTION, HIGHER, LOWER, SCORED
from kaohe_excel.problems import WARNING
from kaohe_excel.read.workbook import read_system

# (序号, 一级指标, 二级指标, 三级指标, 计量单位, 指标属性, 分值, 牵头单位)
ROWS = [
    (1, "经济发展", "经济规模", "地区生产总值增速", "%", "正向", 5, "县发改局"),
    (2, "经济发展", "经济规模", "规模以上工业增加值增速", "%", "正向", "4分", "县工信局"),
    (3, "经济发展", "投资消费", "固定资产投资增速", "%", "正向", 4, "县发改局"),
    (4, "创新驱动", "科技创新", "R&D经费投入强度", "%", "正向", 3, "县科技局"),
    (5, "创新驱动", "科技创新", "高新技术企业数", "家", "正向", 2, "县科技局"),
    (6, "绿色发展", "生态环境", "PM2.5平均浓度", "微克/立方米", "逆向", 4, "县生态环境分局"),
    (7, "民生保障", "安全稳定", "信访事项总量", "件", "逆向", 3, "县信访局"),
    (8, "民生保障", "安全稳定", "较大及以上生产安全事故", "起", "扣分项", "最多扣6分", "县应急管理局"),
    (9, "约束性指标", "约束性指标", "重大环境污染事件", "起", "约束性", "一票否决", "县生态环境分局"),
    (10, "加分项", "加分项", "获国家级表彰奖励", "项", "加分项", "最高加2分", "县政府办"),
]
TOTAL = 25  # the scored items' points, as the 合计 row states them


def write_system(path: Path, rows=ROWS, attribute: str = "指标\n属性", merge_points: list[tuple[int, int]] = ()) -> Path:
    """The table; `merge_points` merges the 分值 cells of the items numbered (first, last)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "任务分工表"
    ws.append(["附件1"])
    ws.append(["青岚县2024年度高质量发展综合考核指标\n任务分工表"])
    ws.merge_cells("A2:I2")
    ws.append(["序号", "考核指标", None, None, "计量\n单位", attribute, "分值", "评分标准", "责任单位"])
    ws.append([None, "一级指标", "二级指标", "三级指标", None, None, None, None, "牵头单位"])
    ws.merge_cells("B3:D3")
    for c in "AEFGH":
        ws.merge_cells(f"{c}3:{c}4")
    first = ws.max_row + 1
    for no, cat1, cat2, name, unit, attr, pts, lead in rows:
        ws.append([no, cat1, cat2, name, unit, attr, pts, "按六县市位次计分", lead])
    for col in "BC":  # categories merged down over their rows, as typed
        start = first
        for k in range(1, len(rows) + 1):
            if k == len(rows) or rows[k][1 if col == "B" else 2] != rows[start - first][1 if col == "B" else 2]:
                if first + k - 1 > start:
                    ws.merge_cells(f"{col}{start}:{col}{first + k - 1}")
                start = first + k
    for a, b in merge_points:
        ws.merge_cells(f"G{first + a - 1}:G{first + b - 1}")
    ws.append(["合计", None, None, None, None, None, TOTAL])
    ws.merge_cells(f"A{ws.max_row}:F{ws.max_row}")
    ws.append(["注：1.逆向指标数值越小越好；2.加分项不计入总分，扣分项在总分中扣除。"])
    ws.merge_cells(f"A{ws.max_row}:I{ws.max_row}")
    wb.save(path)
    return path


def _by_no(system):
    return {i.no: i for i in system.indicators}


@pytest.mark.parametrize("attribute", ["指标\n属性", "属性", "指标性质", "类别"])
def test_an_attribute_column_of_directions_and_kinds_is_each_rows_direction_and_kind(tmp_path, attribute):
    s = read_system(write_system(tmp_path / "任务分工表.xlsx", attribute=attribute))
    got = _by_no(s)
    assert [got[n].direction for n in range(1, 8)] == [HIGHER] * 5 + [LOWER] * 2
    assert (got[8].kind, got[9].kind, got[10].kind) == (DEDUCTION, CONSTRAINT, BONUS)
    assert all(got[n].kind == SCORED for n in range(1, 8))
    # the words are no category
    assert got[1].path == ["经济发展", "经济规模"] and got[7].path == ["民生保障", "安全稳定"], got[7].path
    assert got[8].path == ["民生保障", "安全稳定"] and got[9].path == ["约束性指标"]
    assert s.total_points == TOTAL and not [p for p in s.problems if p.level != WARNING or "分" in p.message], \
        [p.message for p in s.problems]


def test_other_direction_words_in_the_attribute_column(tmp_path):
    rows = [r[:5] + (w,) + r[6:] for r, w in zip(ROWS, ["正", "越大越好", "正", "正", "正", "逆", "越小越好"])] + ROWS[7:]
    got = _by_no(read_system(write_system(tmp_path / "a.xlsx", rows)))
    assert [got[n].direction for n in range(1, 8)] == [HIGHER] * 5 + [LOWER] * 2
    assert got[8].kind == DEDUCTION and got[1].path == ["经济发展", "经济规模"]
