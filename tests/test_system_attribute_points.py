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


NOTE = "注：1.逆向指标数值越小越好；2.加分项不计入总分，扣分项在总分中扣除。"


def write_system(path: Path, rows=ROWS, attribute: str = "指标\n属性", merge_points: list[tuple[int, int]] = (),
                 rules: dict[int, str] | None = None, note: str = NOTE) -> Path:
    """The table; `merge_points` merges the 分值 cells of the items numbered (first, last); `rules`
    writes an item's 评分标准."""
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
        ws.append([no, cat1, cat2, name, unit, attr, pts, (rules or {}).get(no, "按六县市位次计分"), lead])
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
    ws.append([note])
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


def test_a_blank_points_cell_on_a_numbered_row_of_its_own_is_said_and_the_total_disagrees(tmp_path):
    """No. 5 has its own 序号 and no merged 分值 cell: it has no points (not half of No. 4's), said at
    its cell, and the 合计 row (25) no longer agrees with the items (23) — said as well, though the
    加分项's 最高加2分 happens to make up the 2 points."""
    rows = [r if r[0] != 5 else r[:6] + (None,) + r[7:] for r in ROWS]
    s = read_system(write_system(tmp_path / "任务分工表.xlsx", rows))
    got = _by_no(s)
    assert got[4].points == 3 and got[4].shares_points_with_row is None
    assert got[5].points is None and got[5].shares_points_with_row is None
    said = [p for p in s.problems if "高新技术企业数" in p.message and "没有分值" in p.message]
    assert len(said) == 1 and said[0].cell == "G9" and said[0].sheet == "任务分工表" \
        and said[0].file == "任务分工表.xlsx" and said[0].level == WARNING, [p.message for p in s.problems]
    assert "自己的序号" in said[0].message and "合并" in said[0].message
    assert s.total_points == TOTAL - 2
    total = [p for p in s.problems if "合计行写明" in p.message]
    assert len(total) == 1 and total[0].cell == "G15" and f"为 {TOTAL - 2} 分" in total[0].message, \
        [p.message for p in s.problems]


def test_a_points_cell_merged_over_two_numbered_rows_is_still_shared(tmp_path):
    rows = [r if r[0] != 5 else r[:6] + (None,) + r[7:] for r in ROWS]
    rows = [r if r[0] != 4 else r[:6] + (5,) + r[7:] for r in rows]  # 4 and 5 share 5 points
    s = read_system(write_system(tmp_path / "任务分工表.xlsx", rows, merge_points=[(4, 5)]))
    got = _by_no(s)
    assert got[5].shares_points_with_row == got[4].row and got[4].points == got[5].points == 5
    assert s.total_points == TOTAL and not [p for p in s.problems if "分值" in p.message or "合计" in p.message], \
        [p.message for p in s.problems]


def test_a_sub_item_row_without_a_number_still_shares_the_points_above(tmp_path):
    rows = ROWS[:4] + [("", *ROWS[4][1:6], None, ROWS[4][7])] + ROWS[5:]
    rows = [r if r[0] != 4 else r[:6] + (5,) + r[7:] for r in rows]
    s = read_system(write_system(tmp_path / "任务分工表.xlsx", rows))
    sub = next(i for i in s.indicators if i.name == "高新技术企业数")
    assert sub.shares_points_with_row == _by_no(s)[4].row and s.total_points == TOTAL
    assert not [p for p in s.problems if "没有分值" in p.message]


@pytest.mark.parametrize("said", [{"note": NOTE + "3.分值栏为空的指标与上一指标共用分值。"},
                                  {"rules": {4: "两项共3分，按六县市位次计分"}}])
def test_a_blank_points_cell_the_table_says_is_shared_is_shared(tmp_path, said):
    """The table's own rule (its 注, or the row above: 两项共3分) makes a numbered row's blank 分值 shared."""
    rows = [r if r[0] != 5 else r[:6] + (None,) + r[7:] for r in ROWS]
    rows = [r if r[0] != 4 else r[:6] + (5,) + r[7:] for r in rows]
    s = read_system(write_system(tmp_path / "任务分工表.xlsx", rows, **said))
    got = _by_no(s)
    assert got[5].shares_points_with_row == got[4].row and s.total_points == TOTAL
    assert not [p for p in s.problems if "没有分值" in p.message or "合计" in p.message], [p.message for p in s.problems]
