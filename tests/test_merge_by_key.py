"""{%cell merge KEY %}: rows merged by a key, not by their values. The 一览表's points cell of a group
of rows sharing one points cell in the system (merged there) is one merged cell in the report too
(it printed the points on the group's first row and a blank cell under it); two adjacent items
worth 2 each are not merged."""

from __future__ import annotations

import openpyxl
import pytest

from kaohe_excel.write.engine import TemplateError, render
from tests import league_city as lc
from tests.kaohe_cli import cli


def _template(path, cell: str):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["指标", "分值"])
    ws["A2"] = "{%row for x in xs %}"
    ws["A3"] = "{{ x.name }}"
    ws["B3"] = cell
    ws["A4"] = "{%row endfor %}"
    wb.save(path)
    return path


XS = [{"name": "甲", "points": 2, "group": ""}, {"name": "乙", "points": 2, "group": ""},  # two items of 2
      {"name": "丙", "points": 3, "group": "g3"}, {"name": "丁", "points": "", "group": "g3"},  # one cell of 3
      {"name": "戊", "points": 3, "group": "g5"}, {"name": "己", "points": "", "group": "g5"},
      {"name": "庚", "points": "", "group": "g5"}, {"name": "辛", "points": 1, "group": ""}]


@pytest.mark.parametrize("fallback", [False, True])
def test_rows_merge_by_their_key(tmp_path, monkeypatch, fallback):
    if fallback:  # a row whose cells only work alone is rendered a cell at a time: the same merges
        from kaohe_excel.write._tpl_sheet import TRow

        monkeypatch.setattr(TRow, "row_template", lambda self, env: None)
    out = render(_template(tmp_path / "t.xlsx", "{{ x.points }}{%cell merge x.group %}"), {"xs": XS}, tmp_path / "o.xlsx")
    ws = openpyxl.load_workbook(out).active
    assert sorted(str(m) for m in ws.merged_cells.ranges) == ["B4:B5", "B6:B8"]
    assert [ws.cell(r, 2).value for r in range(2, 10)] == [2, 2, 3, None, 3, None, None, 1]


def test_a_merge_by_value_still_merges_equal_values(tmp_path):
    out = render(_template(tmp_path / "t.xlsx", "{%cell merge %}{{ x.points }}"), {"xs": XS[:2]}, tmp_path / "o.xlsx")
    assert [str(m) for m in openpyxl.load_workbook(out).active.merged_cells.ranges] == ["B2:B3"]


def test_a_key_that_does_not_parse_is_named_at_its_cell(tmp_path):
    with pytest.raises(TemplateError) as e:
        render(_template(tmp_path / "t.xlsx", "{{ x.points }}{%cell merge x.group + %}"), {"xs": XS}, tmp_path / "o.xlsx")
    assert "B3" in str(e.value)


def test_the_overviews_shared_points_cell_is_one_merged_cell(tmp_path):
    """汀澜市's items 4 and 5 share one points cell (merged in the system): each unit's 一览表 merges it."""
    lc.build_workspace(tmp_path)
    p = cli(tmp_path, "run", "--all-units", "--unit-reports", "all", "--month", lc.JUNE)
    assert p.returncode in (0, 1), p.stdout + p.stderr
    book = next((tmp_path / "output" / lc.JUNE / lc.TD).glob("*一览表*.xlsx"))
    ws = openpyxl.load_workbook(book).active
    head = next(r for r in range(1, 10) if ws.cell(r, 1).value == "序号")
    rows = {ws.cell(r, 1).value: r for r in range(head + 1, ws.max_row + 1) if isinstance(ws.cell(r, 1).value, int)}
    merged = [m for m in ws.merged_cells.ranges if m.min_col == 3 and m.max_col == 3]
    assert [(m.min_row, m.max_row) for m in merged] == [(rows[4], rows[5])], [str(m) for m in merged]
    assert ws.cell(rows[4], 3).value == 3  # the group's points once (汀东区: the default 3)
