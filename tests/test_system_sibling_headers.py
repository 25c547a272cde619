"""共性指标 on one sheet, 特色指标 on the next, whose points header carries its own subtotal
(分值（40分）) or a bracketed note (牵头单位（部门）): the same kind of table, one system (acceptance
probe 27: the second sheet was dropped without a word, 60 points of 100 read as the whole)."""

import openpyxl
import pytest

from kaohe_excel.read.workbook import read_system


def _book(path, head1: tuple[str, str], head2: tuple[str, str], title2: str | None):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "共性指标"
    ws.append(["云溪县2024年度高质量发展综合考核指标体系"])
    ws.merge_cells("A1:D1")
    for row in (["序号", "指标名称", *head1], [1, "地区生产总值增速", 30, "县发改委"],
                [2, "固定资产投资增速", 30, "县发改委"], ["合计", None, 60, None]):
        ws.append(row)
    ws2 = wb.create_sheet("特色指标")
    if title2:
        ws2.append([title2])
    for row in (["序号", "指标名称", *head2], [1, "茶叶综合产值", 25, "县农业农村局"],
                [2, "乡村旅游接待人次增速", 15, "县文旅局"], ["合计", None, 40, None]):
        ws2.append(row)
    wb.save(path)
    return path


@pytest.mark.parametrize("head1, head2", [
    (("分值", "牵头单位"), ("分值（40分）", "牵头单位")),
    (("分值（60分）", "牵头单位"), ("分值（40分）", "牵头单位")),
    (("分值", "牵头单位"), ("分值", "牵头单位（部门）")),
    (("分值", "牵头单位"), ("分值", "牵头单位")),
])
@pytest.mark.parametrize("title2", [None, "二、特色指标"])
def test_both_sheets_are_the_system(tmp_path, head1, head2, title2):
    system = read_system(_book(tmp_path / "指标.xlsx", head1, head2, title2))
    assert [i.name for i in system.indicators] == ["地区生产总值增速", "固定资产投资增速", "茶叶综合产值", "乡村旅游接待人次增速"]
    assert system.total_points == 100
    assert [i.sheet for i in system.indicators] == ["共性指标"] * 2 + ["特色指标"] * 2


def test_a_sheet_of_another_kind_of_table_stays_out(tmp_path):
    """A sheet whose columns are not the system's (a 目标 table with no points) is not merged."""
    path = _book(tmp_path / "指标.xlsx", ("分值", "牵头单位"), ("目标值", "备注"), None)
    system = read_system(path)
    assert system.total_points == 60 and len(system.indicators) == 2
