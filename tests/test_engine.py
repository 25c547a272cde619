"""The template engine: every kind of row-tied structure follows the loop rows.

Each test builds a template with openpyxl, renders it and reads the output back with
openpyxl (or as zip XML where openpyxl cannot see: chart ranges, drawing anchors,
inline strings), never through the engine's own bookkeeping.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import PatternFill
from openpyxl.formatting.rule import CellIsRule

from engine_fixtures import (
    BORDER, RawImage, chart_refs, items, overview_template, png_bytes, sheet_xml, zip_names, zip_text,
)
from kaohe_excel.write.engine import Template, TemplateError, render, template_variables
from kaohe_excel.write._tpl_refs import parse_formula

N = 20  # loop items: template row 4 becomes rows 3..22 (control row 3 removed)
FIRST, LAST = 3, 22
SHIFT = 17  # rows below the loop: template 6 -> 23, 7 -> 24, 8 -> 25


@pytest.fixture(scope="module")
def overview(tmp_path_factory):
    d = tmp_path_factory.mktemp("ov")
    tpl = overview_template(d / "一览表模板.xlsx")
    out = render(tpl, {"title": "完成情况一览表（截至8月底）", "items": items(N), "note": "数据来源：市统计局"},
                 d / "out.xlsx")
    return tpl, out, openpyxl.load_workbook(out)


def ws_of(overview):
    return overview[2]["一览表"]


def norm_ref(text: str) -> str:
    """'一览表'!$C$3:$C$22 and 一览表!$C$3:$C$22 compare equal."""
    return text.replace("'", "")


# ------------------------------------------------------------------ values ----

def test_loop_rows_values_and_types(overview):
    ws = ws_of(overview)
    assert ws["A1"].value == "完成情况一览表（截至8月底）"
    assert [ws.cell(2, c).value for c in range(1, 7)] == ["序号", "指标", "完成值", "排名", "预警", "说明"]
    for k in range(N):
        r = FIRST + k
        assert ws.cell(r, 1).value == k + 1
        assert ws.cell(r, 2).value == f"指标{k + 1}"
        assert ws.cell(r, 3).value == pytest.approx(k * 1.5)
        assert ws.cell(r, 3).data_type == "n"
        assert ws.cell(r, 3).number_format == "0.00"  # the template's number format is kept
        assert ws.cell(r, 3).border.left.style == "thin"
        assert ws.cell(r, 2).font.name == "仿宋"
    assert ws.cell(LAST + 1, 1).value == "合计"
    assert ws.cell(LAST + 3, 1).value == "注：数据来源：市统计局"
    assert not any(("{%" in str(c.value)) for row in ws.iter_rows() for c in row if c.value)


def test_styles_xml_untouched(overview):
    tpl, out, _ = overview
    assert zip_text(out, "xl/styles.xml") == zip_text(tpl, "xl/styles.xml")


def test_all_xml_parts_are_well_formed(overview):
    _, out, _ = overview
    with zipfile.ZipFile(out) as z:
        for n in z.namelist():
            if n.endswith((".xml", ".rels")):
                ET.fromstring(z.read(n))


def test_text_from_inputs_is_never_a_formula(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "{%row for v in vals %}"
    ws["A2"] = "{{ v }}"
    ws["B2"] = "说明：{{ v }}"
    ws["A3"] = "{%row endfor %}"
    wb.save(tmp_path / "t.xlsx")
    vals = ['=HYPERLINK("http://x","点我")', "+1", "-2+3", "@SUM(A1)", "=1+1", "a<b&c>\"d'", "x\x07y"]
    out = render(tmp_path / "t.xlsx", {"vals": vals}, tmp_path / "o.xlsx")
    ws = openpyxl.load_workbook(out).active
    for k, v in enumerate(vals, 1):
        assert ws.cell(k, 1).data_type == "s"
        assert ws.cell(k, 1).value == v.replace("\x07", "")
        assert ws.cell(k, 2).value == "说明：" + v.replace("\x07", "")
    assert "<f>" not in sheet_xml(out)


def test_whole_expression_keeps_value_type(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "{{ d }}"
    ws["A1"].number_format = "yyyy-mm-dd"
    ws["B1"] = "{{ n }}"
    ws["B1"].number_format = "0.0%"
    ws["C1"] = "{{ b }}"
    ws["D1"] = "{{ s }}"
    ws["E1"] = "{{ none }}"
    ws["E1"].fill = PatternFill("solid", fgColor="FFFF00")
    ws["F1"] = "{{ n }} 个"
    ws["G1"] = "{{ big }}"
    ws["H1"] = "{{ t }}"
    ws["H1"].number_format = "yyyy-mm-dd hh:mm"
    wb.save(tmp_path / "t.xlsx")
    ctx = {"d": dt.date(2023, 8, 31), "n": 0.625, "b": True, "s": "6.2", "none": None,
           "big": 110101199001011234, "t": dt.datetime(2023, 9, 5, 14, 30)}
    ws = openpyxl.load_workbook(render(tmp_path / "t.xlsx", ctx, tmp_path / "o.xlsx")).active
    assert ws["A1"].value == dt.datetime(2023, 8, 31)
    assert ws["A1"].number_format == "yyyy-mm-dd"
    assert ws["B1"].value == 0.625 and ws["B1"].number_format == "0.0%"
    assert ws["C1"].value is True
    assert ws["D1"].value == "6.2" and ws["D1"].data_type == "s"
    assert ws["E1"].value is None and ws["E1"].fill.fgColor.rgb.endswith("FFFF00")
    assert ws["F1"].value == "0.625 个"
    assert ws["G1"].value == "110101199001011234"  # 18 digits: kept whole, as text
    assert ws["H1"].value == dt.datetime(2023, 9, 5, 14, 30)


# ------------------------------------------------------------------ structures -

def test_merged_cells_repeated_in_loop_and_shifted_below(overview):
    ws = ws_of(overview)
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert "A1:F1" in merged
    for r in range(FIRST, LAST + 1):
        assert f"F{r}:G{r}" in merged
    assert f"A{7 + SHIFT}:C{7 + SHIFT}" in merged
    assert "A7:C7" not in merged and "F4:G4" in merged  # F4:G4 is a loop row now
    assert len(merged) == 2 + N


def test_conditional_formatting_extended_as_one_range(overview):
    ws = ws_of(overview)
    cf = {str(r.sqref): [rule for rule in r.rules] for r in ws.conditional_formatting}
    assert set(cf) == {f"D{FIRST}:D{LAST}", f"E{FIRST}:E{LAST}"}
    assert all(len(rules) == 1 for rules in cf.values())  # one rule, not one per cell
    assert cf[f"E{FIRST}:E{LAST}"][0].formula == [f'$E{FIRST}="绿"']
    assert sheet_xml(overview[1]).count("<conditionalFormatting") == 2


def test_data_validation_extended_as_one_range(overview):
    ws = ws_of(overview)
    dvs = ws.data_validations.dataValidation
    assert len(dvs) == 1
    assert str(dvs[0].sqref) == f"E{FIRST}:E{LAST}"
    assert dvs[0].formula1 == '"绿,黄,红"'


def test_print_area_titles_and_defined_names(overview):
    wb = overview[2]
    ws = ws_of(overview)
    assert norm_ref(ws.print_area) == f"一览表!$A$1:$G${8 + SHIFT}"
    assert ws.print_title_rows == "$2:$2"
    assert norm_ref(wb.defined_names["指标区"].attr_text) == f"一览表!$B${FIRST}:$B${LAST}"
    assert norm_ref(wb.defined_names["合计行"].attr_text) == f"一览表!$A${6 + SHIFT}:$F${6 + SHIFT}"


def test_autofilter_grows(overview):
    assert ws_of(overview).auto_filter.ref == f"A2:F{LAST}"


def test_freeze_panes_header_kept(overview):
    assert ws_of(overview).freeze_panes == "A3"


def test_freeze_panes_shift_when_rows_above_vanish(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "{%row set year = 2023 %}"
    ws["A2"] = "{{ year }}年"
    ws["A3"] = "表头"
    ws["A4"] = "{%row for x in xs %}"
    ws["A5"] = "{{ x }}"
    ws["A6"] = "{%row endfor %}"
    ws.freeze_panes = "B4"  # rows 1-3 frozen; row 1 is a control row and goes away
    wb.save(tmp_path / "t.xlsx")
    ws = openpyxl.load_workbook(render(tmp_path / "t.xlsx", {"xs": [1, 2, 3]}, tmp_path / "o.xlsx")).active
    assert ws["A1"].value == "2023年"
    assert ws.freeze_panes == "B3"
    assert [ws.cell(r, 1).value for r in range(3, 6)] == [1, 2, 3]


def test_row_heights_follow(overview):
    ws = ws_of(overview)
    for r in range(FIRST, LAST + 1):
        assert ws.row_dimensions[r].height == 27.5
    assert ws.row_dimensions[7 + SHIFT].height == 33
    assert ws.row_dimensions[7].height != 33


def test_page_breaks_shift(overview):
    ws = ws_of(overview)
    assert [b.id for b in ws.row_breaks.brk] == [6 + SHIFT]


def test_formulas_below_loop_repointed(overview):
    ws = ws_of(overview)
    r = 6 + SHIFT
    assert ws.cell(r, 3).value == f"=SUM(C{FIRST}:C{LAST})"
    assert ws.cell(r, 4).value == f"=AVERAGE($D${FIRST}:$D${LAST})"
    assert ws.cell(r, 5).value == f'=COUNTIF(E{FIRST}:E{LAST},"红")'
    assert 'fullCalcOnLoad="1"' in zip_text(overview[1], "xl/workbook.xml")


def test_formulas_inside_loop_rows(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "值"
    ws["A2"] = "{%row for x in xs %}"
    ws["A3"] = "{{ x }}"
    ws["B3"] = "=A3*2"  # relative: its own row
    ws["C3"] = "=SUM($A$3:A3)"  # running total: absolute start, relative end
    ws["D3"] = "=A3/SUM($A$3:$A$3)"  # share of the whole loop
    ws["E3"] = "=$A$1"  # absolute, above the loop
    ws["A4"] = "{%row endfor %}"
    ws["A5"] = "=SUM(A3:A3)"
    ws["B5"] = "=A3"  # a single cell into the loop: its first row
    wb.save(tmp_path / "t.xlsx")
    ws = openpyxl.load_workbook(render(tmp_path / "t.xlsx", {"xs": [1, 2, 3, 4]}, tmp_path / "o.xlsx")).active
    for k, r in enumerate(range(2, 6)):
        assert ws.cell(r, 1).value == k + 1
        assert ws.cell(r, 2).value == f"=A{r}*2"
        assert ws.cell(r, 3).value == f"=SUM($A$2:A{r})"
        assert ws.cell(r, 4).value == f"=A{r}/SUM($A$2:$A$5)"
        assert ws.cell(r, 5).value == "=$A$1"
    assert ws["A6"].value == "=SUM(A2:A5)"
    assert ws["B6"].value == "=A2"


def test_image_stays_and_moves_below_loop(overview):
    tpl, out, _ = overview
    names = zip_names(out)
    assert "xl/media/image1.png" in names
    with zipfile.ZipFile(out) as z:
        assert z.read("xl/media/image1.png") == png_bytes()
    drawing = zip_text(out, "xl/drawings/drawing1.xml")
    anchors = re.findall(r"<(?:xdr:)?from><(?:xdr:)?col>(\d+)</(?:xdr:)?col>.*?<(?:xdr:)?row>(\d+)</", drawing, re.S)
    # picture at B10 (col 1, row index 9) and chart at D10: both move down with the rows
    assert sorted(anchors) == [("1", str(9 + SHIFT)), ("3", str(9 + SHIFT))]
    rels = zip_text(out, "xl/drawings/_rels/drawing1.xml.rels")
    assert "media/image1.png" in rels
    assert "drawing1.xml" in zip_text(out, "xl/worksheets/_rels/sheet1.xml.rels")


def test_chart_series_grow_with_loop(overview):
    refs = sorted(norm_ref(r) for r in chart_refs(overview[1]))
    assert refs == [f"一览表!$B${FIRST}:$B${LAST}", f"一览表!$C${FIRST}:$C${LAST}"]
    chart = zip_text(overview[1], "xl/charts/chart1.xml")
    assert "numCache" not in chart and "strCache" not in chart


def test_header_footer_rendered(overview):
    ws = ws_of(overview)
    assert ws.oddHeader.center.text == "完成情况一览表（截至8月底）"
    assert ws.oddFooter.center.text == "第 &P 页 共 &N 页"


def test_header_value_with_ampersand_is_not_a_code(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.oddHeader.left.text = "{{ unit }}"
    wb.save(tmp_path / "t.xlsx")
    ws = openpyxl.load_workbook(render(tmp_path / "t.xlsx", {"unit": "发改&统计"}, tmp_path / "o.xlsx")).active
    assert "发改&&统计" in zip_text(tmp_path / "o.xlsx", "xl/worksheets/sheet1.xml").replace("&amp;", "&")


# ------------------------------------------------------------------ nesting ----

def nested_template(path: Path) -> Path:
    """categories -> indicators, the category name merged down its rows."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "分类"
    ws.append(["类别", "指标", "分值", "排名"])  # 1
    ws["A2"] = "{%row for c in cats %}"
    ws["A3"] = "{%row for i in c.inds %}"
    ws["A4"] = "{%cell merge %}{{ c.name }}"
    ws["B4"] = "{{ i.name }}"
    ws["C4"] = "{{ i.points }}"
    ws["D4"] = "{{ i.rank }}"
    for col in "ABCD":
        ws[f"{col}4"].border = BORDER
    ws["A5"] = "{%row endfor %}"
    ws["A6"] = "{{ c.name }}小计"
    ws["C6"] = "=SUM(C4:C4)"  # relative, inside the outer loop: this category's rows only
    ws.merge_cells("A6:B6")
    ws["A7"] = "{%row endfor %}"
    ws["A8"] = "总计"
    ws["C8"] = "=SUMIF(A4:A6,\"*小计\",C4:C6)"
    ws.conditional_formatting.add("D4:D4", CellIsRule(operator="greaterThan", formula=["4"],
                                                     fill=PatternFill("solid", fgColor="FFC7CE")))
    ws.row_breaks.append(openpyxl.worksheet.pagebreak.Break(id=6))  # a page per category
    wb.save(path)
    return path


CATS = [{"name": "经济发展", "inds": [{"name": "GDP", "points": 5, "rank": 2}, {"name": "投资", "points": 4, "rank": 5},
                                   {"name": "消费", "points": 3, "rank": 1}]},
        {"name": "民生", "inds": [{"name": "就业", "points": 2, "rank": 6}]},
        {"name": "生态", "inds": [{"name": "PM2.5", "points": 3, "rank": 3}, {"name": "水质", "points": 3, "rank": 4}]}]


def test_nested_loops_merge_subtotals_cf_and_breaks(tmp_path):
    out = render(nested_template(tmp_path / "t.xlsx"), {"cats": CATS}, tmp_path / "o.xlsx")
    ws = openpyxl.load_workbook(out).active
    # rows: 2-4 经济发展, 5 小计, 6 民生, 7 小计, 8-9 生态, 10 小计, 11 总计
    assert [ws.cell(r, 2).value for r in range(2, 11)] == ["GDP", "投资", "消费", None, "就业", None, "PM2.5", "水质", None]
    assert ws["A2"].value == "经济发展" and ws["A3"].value is None
    assert ws["A5"].value == "经济发展小计"
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A2:A4", "A8:A9", "A5:B5", "A7:B7", "A10:B10"} <= merged
    assert "A6:A6" not in merged
    assert ws["C5"].value == "=SUM(C2:C4)"
    assert ws["C7"].value == "=SUM(C6:C6)"
    assert ws["C10"].value == "=SUM(C8:C9)"
    assert ws["A11"].value == "总计"
    assert ws["C11"].value == '=SUMIF(A2:A10,"*小计",C2:C10)'
    # CF covers exactly the indicator rows, still one rule
    cfs = list(ws.conditional_formatting)
    assert len(cfs) == 1 and len(cfs[0].rules) == 1
    assert str(cfs[0].sqref) == "D2:D4 D6 D8:D9"
    assert [b.id for b in ws.row_breaks.brk] == [5, 7, 10]


def test_conditional_rows_and_else(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "{%row for i in xs %}"
    ws["A2"] = "{%row if i.rank >= 5 %}"
    ws["A3"] = "红：{{ i.name }}"
    ws["A4"] = "{%row elif i.rank >= 3 %}"
    ws["A5"] = "黄：{{ i.name }}"
    ws["A6"] = "{%row else %}"
    ws["A7"] = "绿：{{ i.name }}"
    ws["A8"] = "{%row endif %}"
    ws["A9"] = "{%row else %}"
    ws["A10"] = "（无）"
    ws["A11"] = "{%row endfor %}"
    ws["A12"] = "{%row if show_note %}{{ note }}"  # a one-row condition: tag and content in one row
    ws["B12"] = "{%row endif %}"
    ws["A13"] = "完"
    wb.save(tmp_path / "t.xlsx")
    xs = [{"name": "a", "rank": 6}, {"name": "b", "rank": 3}, {"name": "c", "rank": 1}]
    ws = openpyxl.load_workbook(render(tmp_path / "t.xlsx", {"xs": xs, "show_note": True, "note": "注"},
                                       tmp_path / "o.xlsx")).active
    assert [ws.cell(r, 1).value for r in range(1, 6)] == ["红：a", "黄：b", "绿：c", "注", "完"]
    ws = openpyxl.load_workbook(render(tmp_path / "t.xlsx", {"xs": [], "show_note": False, "note": ""},
                                       tmp_path / "o2.xlsx")).active
    assert [ws.cell(r, 1).value for r in range(1, 3)] == ["（无）", "完"]


def test_single_row_loop_tags_in_content_row(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "{%row for x in xs %}{{ x }}"
    ws["B1"] = "{{ x * 10 }}{%row endfor %}"
    ws["A2"] = "=SUM(B1:B1)"
    wb.save(tmp_path / "t.xlsx")
    ws = openpyxl.load_workbook(render(tmp_path / "t.xlsx", {"xs": [1, 2, 3]}, tmp_path / "o.xlsx")).active
    assert [(ws.cell(r, 1).value, ws.cell(r, 2).value) for r in (1, 2, 3)] == [(1, 10), (2, 20), (3, 30)]
    assert ws["A4"].value == "=SUM(B1:B3)"


# ------------------------------------------------------------------ Jinja runs the row loops

def _col(ws, c: int = 1) -> list:
    return [ws.cell(r, c).value for r in range(1, ws.max_row + 1)]


def _render_ws(tmp_path, wb, ctx: dict, name: str = "t"):
    wb.save(tmp_path / f"{name}.xlsx")
    return openpyxl.load_workbook(render(tmp_path / f"{name}.xlsx", ctx, tmp_path / f"{name}-out.xlsx")).active


def test_loop_filter_counts_only_the_kept_items(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "{%row for x in xs if x.v > 0 %}"
    ws["A2"] = "{{ loop.index }}/{{ loop.length }} {{ x.name }}"
    ws["B2"] = "=C2*2"
    ws["C2"] = "{{ x.v }}"
    ws["A3"] = "{%row else %}"
    ws["A4"] = "（无）"
    ws["A5"] = "{%row endfor %}"
    ws["C6"] = "=SUM(C2:C2)"
    xs = [{"name": "a", "v": 1}, {"name": "b", "v": 0}, {"name": "c", "v": 3}, {"name": "d", "v": -1}]
    out = _render_ws(tmp_path, wb, {"xs": xs})
    assert _col(out) == ["1/2 a", "2/2 c", None]
    assert [out["B1"].value, out["B2"].value, out["C3"].value] == ["=C1*2", "=C2*2", "=SUM(C1:C2)"]
    # every item filtered out: the loop's else rows, as for an empty list
    out = _render_ws(tmp_path, wb, {"xs": xs[1:2] + xs[3:]}, "t2")
    assert _col(out) == ["（无）", None]
    assert template_variables(tmp_path / "t.xlsx") == {"xs"}


def test_loop_changed_inserts_a_heading_row(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "{%row for x in xs %}"
    ws["A2"] = "{%row if loop.changed(x.cat) %}"
    ws["A3"] = "【{{ x.cat }}】"
    ws["A4"] = "{%row endif %}"
    ws["A5"] = "{{ x.name }}"
    ws["B5"] = "{{ loop.index }}"
    ws["C5"] = "=B5*10"
    ws["A6"] = "{%row endfor %}"
    xs = [{"cat": "经济", "name": "GDP"}, {"cat": "经济", "name": "投资"}, {"cat": "民生", "name": "就业"},
          {"cat": "生态", "name": "水质"}, {"cat": "生态", "name": "PM2.5"}]
    out = _render_ws(tmp_path, wb, {"xs": xs})
    assert _col(out) == ["【经济】", "GDP", "投资", "【民生】", "就业", "【生态】", "水质", "PM2.5"]
    assert [out.cell(r, 2).value for r in range(1, 9)] == [None, 1, 2, None, 3, None, 4, 5]
    # a formula in the loop row still points to its own output row
    assert [out.cell(r, 3).value for r in (2, 3, 5, 8)] == ["=B2*10", "=B3*10", "=B5*10", "=B8*10"]


def test_loop_previtem_nextitem_and_the_rest_of_loop(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "{%row for x in xs %}"
    ws["A2"] = "{{ x }}"
    ws["B2"] = "{{ loop.previtem if not loop.first else '-' }}"
    ws["C2"] = "{{ loop.nextitem if not loop.last else '-' }}"
    ws["D2"] = "{{ loop.index0 }},{{ loop.revindex }},{{ loop.revindex0 }},{{ loop.depth }},{{ loop.cycle('单', '双') }}"
    ws["E2"] = "{{ '变' if loop.changed(x // 10) else '' }}"  # changed() in a cell: in row order
    ws["A3"] = "{%row endfor %}"
    out = _render_ws(tmp_path, wb, {"xs": [10, 11, 25, 30]})
    assert [[out.cell(r, c).value for c in range(1, 6)] for r in range(1, 5)] == [
        [10, "-", 11, "0,4,3,1,单", "变"],
        [11, 10, 25, "1,3,2,1,双", None],
        [25, 11, 30, "2,2,1,1,单", "变"],
        [30, 25, "-", "3,1,0,1,双", "变"],
    ]


def test_loop_previtem_in_a_row_tag(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "{%row for x in xs %}"
    ws["A2"] = "{%row if not loop.first and x.v < loop.previtem.v %}"
    ws["A3"] = "↓ {{ x.name }}"
    ws["A4"] = "{%row endif %}"
    ws["A5"] = "{%row endfor %}"
    xs = [{"name": "a", "v": 3}, {"name": "b", "v": 2}, {"name": "c", "v": 5}, {"name": "d", "v": 1}]
    assert _col(_render_ws(tmp_path, wb, {"xs": xs})) == ["↓ b", "↓ d"]


def test_nested_loops_see_the_parent_loop(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "{%row for c in cats %}"
    ws["A2"] = "{%row for i in c.inds %}"
    ws["A3"] = "{%row if loop.first and not loop.parent.first %}"  # `loop.parent` in a row tag
    ws["A4"] = "——"
    ws["A5"] = "{%row endif %}"
    ws["A6"] = "{{ loop.parent.index }}.{{ loop.index }} {{ i.name }}"
    ws["B6"] = "{{ loop.parent.length }}"
    ws["A7"] = "{%row endfor %}"
    ws["A8"] = "{{ c.name }}：{{ loop.index }}/{{ loop.length }}"
    ws["A9"] = "{%row endfor %}"
    out = _render_ws(tmp_path, wb, {"cats": CATS})
    assert _col(out) == ["1.1 GDP", "1.2 投资", "1.3 消费", "经济发展：1/3", "——", "2.1 就业", "民生：2/3", "——",
                         "3.1 PM2.5", "3.2 水质", "生态：3/3"]
    assert out["B1"].value == 3


def test_loop_else_and_set_scoping(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "{%row set unit = '万元' %}"
    ws["A2"] = "{%row for x in xs %}"
    ws["A3"] = "{%row set shown = x * 2 %}"
    ws["A4"] = "{%row if x > 1 %}"
    ws["A5"] = "{%row set unit = '亿元' %}"  # only inside this branch
    ws["A6"] = "{{ shown }}{{ unit }}"
    ws["A7"] = "{%row else %}"
    ws["A8"] = "{{ shown }}{{ unit }}"
    ws["A9"] = "{%row endif %}"
    ws["A10"] = "{{ x }}{{ unit }}"  # the branch's set is gone again
    ws["A11"] = "{%row else %}"
    ws["A12"] = "无{{ unit }}"
    ws["A13"] = "{%row endfor %}"
    ws["A14"] = "{{ unit }}{{ shown | default('？') }}"  # the loop body's set is not seen after the loop
    out = _render_ws(tmp_path, wb, {"xs": [1, 2]}, "s")
    assert _col(out) == ["2万元", "1万元", "4亿元", "2万元", "万元？"]
    wb2 = openpyxl.load_workbook(tmp_path / "s.xlsx")
    out = _render_ws(tmp_path, wb2, {"xs": []}, "s2")
    assert _col(out) == ["无万元", "万元？"]


def test_filtered_loop_previtem_nextitem_are_the_kept_neighbours(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "{%row for x in xs if x > 0 %}"
    ws["A2"] = "{{ x }}"
    ws["B2"] = "{{ loop.previtem if loop.previtem is defined else '-' }}"
    ws["C2"] = "{{ loop.nextitem if loop.nextitem is defined else '-' }}"
    ws["D2"] = "{{ loop.revindex }}"
    ws["A3"] = "{%row endfor %}"
    out = _render_ws(tmp_path, wb, {"xs": [5, 0, 7, -2, 9, 0]})
    assert [[out.cell(r, c).value for c in range(1, 5)] for r in range(1, 4)] == [
        [5, "-", 7, 3], [7, 5, 9, 2], [9, 7, "-", 1]]


def test_row_loops_in_sheet_copies_pairs_and_dicts(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "{{ d.name }}"
    ws["A1"] = "{%sheet for d in ds %}"
    ws["A2"] = "{%row for k, v in d.scores %}"  # a dict: its items, as before
    ws["A3"] = "{{ loop.parent.index }}-{{ loop.index }} {{ k }}"
    ws["B3"] = "{{ v }}"
    ws["A4"] = "{%row endfor %}"
    ds = [{"name": "甲", "scores": {"a": 1, "b": 2}}, {"name": "乙", "scores": {"c": 3}}]
    wb.save(tmp_path / "t.xlsx")
    out = openpyxl.load_workbook(render(tmp_path / "t.xlsx", {"ds": ds}, tmp_path / "o.xlsx"))
    assert out.sheetnames == ["甲", "乙"]
    assert [(c.value, d.value) for c, d in out["甲"].iter_rows(max_col=2)] == [("1-1 a", 1), ("1-2 b", 2)]
    assert [(c.value, d.value) for c, d in out["乙"].iter_rows(max_col=2)] == [("2-1 c", 3)]


def test_loop_over_many_items_with_a_filter(tmp_path):
    """A row loop's list is not bounded by the sandbox's 32,767 (rows and time bound it)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "{%row for x in xs if x % 10000 == 0 %}"
    ws["A2"] = "{{ x }}"
    ws["A3"] = "{%row endfor %}"
    out = _render_ws(tmp_path, wb, {"xs": list(range(50000))})
    assert _col(out) == [0, 10000, 20000, 30000, 40000]


def test_row_loop_tag_errors(tmp_path):
    def fails(cells: dict, ctx: dict, *want: str):
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "表"
        for ref, v in cells.items():
            ws[ref] = v
        wb.save(tmp_path / "e.xlsx")
        with pytest.raises(TemplateError) as e:
            render(tmp_path / "e.xlsx", ctx, tmp_path / "e-out.xlsx")
        for w in want:
            assert w in str(e.value), str(e.value)
        assert not (tmp_path / "e-out.xlsx").exists()

    loop = {"A1": "{%row for x in xs %}", "A2": "{{ x }}", "A3": "{%row endfor %}"}
    # the loop filter's error names the tag's cell
    fails({**loop, "A1": "{%row for x in xs if x.nope %}"}, {"xs": [{"v": 1}]},
          "模板「e.xlsx」工作表「表」单元格 A1：", "「nope」")
    # a condition inside the loop, on the second item
    fails({**loop, "A2": "{%row if 1 / x %}{{ x }}", "B2": "{%row endif %}"}, {"xs": [1, 0]}, "单元格 A2", "ZeroDivisionError")
    fails({**loop, "B1": "{%row set y = x.nope %}"}, {"xs": [1]}, "单元格 B1", "nope")
    fails(loop, {"xs": "abc"}, "单元格 A1", "循环的对象是一段文字")
    fails(loop, {"xs": 5}, "单元格 A1", "循环的对象不是列表")
    fails({**loop, "A1": "{%row for a, b in xs %}"}, {"xs": [(1, 2, 3)]}, "单元格 A1", "循环变量有 2 个，但每项有 3 个值")
    fails({**loop, "A1": "{%row for x in xs recursive %}"}, {"xs": [1]}, "单元格 A1", "recursive")
    fails({**loop, "A1": "{%row for loop in xs %}"}, {"xs": [1]}, "单元格 A1", "「loop」")
    fails({**loop, "A1": "{%row for x in xs if %}"}, {"xs": [1]}, "单元格 A1", "模板语法错误")
    fails({**loop, "A1": "{%row for x in %}"}, {"xs": [1]}, "单元格 A1", "循环标记写法应为")
    # the row program's own callbacks are no use to a template once the rows are laid out
    fails({"A1": "{%row set f = __row %}", "A2": "{{ f('s0', {}) }}"}, {}, "单元格 A2", "不能调用生成程序内部的函数")


# ------------------------------------------------------------------ sheets -----

def test_one_sheet_per_item(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "{{ d.name }}"
    ws["A1"] = "{%sheet for d in depts %}"
    ws["A2"] = "{{ d.name }}月报"
    ws["A3"] = "{%row for i in d.inds %}"
    ws["A4"] = "{{ i }}"
    ws["A5"] = "{%row endfor %}"
    ws["A6"] = "=COUNTA(A4:A4)"
    ws.print_area = "A1:B6"
    ws.oddHeader.center.text = "{{ d.name }}"
    ch = BarChart()
    ch.add_data(Reference(ws, min_col=1, min_row=4, max_row=4))
    ws.add_chart(ch, "D2")
    summary = wb.create_sheet("汇总")
    summary["A1"] = "{{ depts | length }} 个单位"
    wb.save(tmp_path / "t.xlsx")
    depts = [{"name": "县发改局", "inds": ["GDP", "投资"]}, {"name": "县统计局", "inds": ["统计"]},
             {"name": "县商务局", "inds": ["消费", "外贸", "招商"]}]
    out = render(tmp_path / "t.xlsx", {"depts": depts}, tmp_path / "o.xlsx")
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["县发改局", "县统计局", "县商务局", "汇总"]
    for d in depts:
        ws = wb[d["name"]]
        n = len(d["inds"])
        assert ws["A1"].value == d["name"] + "月报"
        assert [ws.cell(r, 1).value for r in range(2, 2 + n)] == d["inds"]
        assert ws.cell(2 + n, 1).value == f"=COUNTA(A2:A{1 + n})"
        assert norm_ref(ws.print_area) == f"{d['name']}!$A$1:$B${2 + n}"
        assert ws.oddHeader.center.text == d["name"]
    assert wb["汇总"]["A1"].value == "3 个单位"
    refs = sorted(norm_ref(r) for r in chart_refs(out))
    want = [f"{d['name']}!$A$2" + (f":$A${1 + len(d['inds'])}" if len(d["inds"]) > 1 else "") for d in depts]
    assert refs == sorted(want)
    wbx = zip_text(out, "xl/workbook.xml")
    assert wbx.count("tabSelected") == 0
    with zipfile.ZipFile(out) as z:
        selected = sum(z.read(n).decode().count('tabSelected="1"') for n in z.namelist() if "worksheets/sheet" in n)
    assert selected == 1
    ct = zip_text(out, "[Content_Types].xml")
    for n in zip_names(out):
        if n.startswith(("xl/worksheets/sheet", "xl/charts/chart", "xl/drawings/drawing")) and n.endswith(".xml"):
            assert "/" + n in ct


def test_sheet_for_with_no_items_removes_the_sheet(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "{{ d }}"
    ws["A1"] = "{%sheet for d in depts %}"
    ws["A2"] = "{{ d }}"
    wb.create_sheet("其他")["A1"] = "x"
    wb.save(tmp_path / "t.xlsx")
    wb = openpyxl.load_workbook(render(tmp_path / "t.xlsx", {"depts": []}, tmp_path / "o.xlsx"))
    assert wb.sheetnames == ["其他"]


def test_sheet_names_sanitised_and_unique(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "{{ d }}"
    ws["A1"] = "{%sheet for d in depts %}"
    wb.save(tmp_path / "t.xlsx")
    depts = ["县发改局/统计局", "县发改局/统计局", "一个非常非常非常非常非常非常非常非常非常非常非常非常非常非常长的单位名称啊"]
    wb = openpyxl.load_workbook(render(tmp_path / "t.xlsx", {"depts": depts}, tmp_path / "o.xlsx"))
    assert wb.sheetnames[0] == "县发改局_统计局"
    assert wb.sheetnames[1] == "县发改局_统计局(2)"
    assert len(wb.sheetnames[2]) == 31


# ------------------------------------------------------------------ errors -----

def test_syntax_error_names_file_sheet_cell(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "一览表"
    ws["B5"] = "{{ i.name }"
    wb.save(tmp_path / "坏模板.xlsx")
    with pytest.raises(TemplateError) as e:
        render(tmp_path / "坏模板.xlsx", {}, tmp_path / "o.xlsx")
    msg = str(e.value)
    assert msg.startswith("模板「坏模板.xlsx」工作表「一览表」单元格 B5：")
    assert "模板语法错误" in msg
    assert not (tmp_path / "o.xlsx").exists()


def test_runtime_error_names_cell_and_row(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "一览表"
    ws["A1"] = "{%row for i in xs %}"
    ws["A2"] = "{{ i.name }}"
    ws["C2"] = "{{ i.value / i.target }}"
    ws["A3"] = "{%row endfor %}"
    wb.save(tmp_path / "t.xlsx")
    with pytest.raises(TemplateError) as e:
        render(tmp_path / "t.xlsx", {"xs": [{"name": "a", "value": 1, "target": 2},
                                            {"name": "b", "value": 1, "target": 0}]}, tmp_path / "o.xlsx")
    assert str(e.value).startswith("模板「t.xlsx」工作表「一览表」单元格 C2：")
    assert "ZeroDivisionError" in str(e.value) and "第 2 行" in str(e.value)
    with pytest.raises(TemplateError) as e:
        render(tmp_path / "t.xlsx", {"xs": [{"nam": "a"}]}, tmp_path / "o.xlsx")
    assert "单元格 A2" in str(e.value) and "name" in str(e.value)
    with pytest.raises(TemplateError) as e:
        render(tmp_path / "t.xlsx", {}, tmp_path / "o.xlsx")
    assert "单元格 A1" in str(e.value) and "xs" in str(e.value)
    assert list(tmp_path.glob("*.tmp")) == [] and not (tmp_path / "o.xlsx").exists()


def test_unbalanced_row_tags(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A3"] = "{%row for x in xs %}"
    ws["A4"] = "{{ x }}"
    wb.save(tmp_path / "t.xlsx")
    with pytest.raises(TemplateError, match="单元格 A3.*endfor"):
        render(tmp_path / "t.xlsx", {"xs": []}, tmp_path / "o.xlsx")
    ws["A5"] = "{%row endif %}"
    wb.save(tmp_path / "t.xlsx")
    with pytest.raises(TemplateError, match="单元格 A5"):
        render(tmp_path / "t.xlsx", {"xs": []}, tmp_path / "o.xlsx")


def test_sheet_name_and_header_errors(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "{{ d.nme }}"
    ws["A1"] = "{%sheet for d in depts %}"
    wb.save(tmp_path / "t.xlsx")
    with pytest.raises(TemplateError, match="工作表名"):
        render(tmp_path / "t.xlsx", {"depts": [{"name": "x"}]}, tmp_path / "o.xlsx")


# ------------------------------------------------------------------ variables --

def test_template_variables(tmp_path):
    out = nested_template(tmp_path / "n.xlsx")
    assert template_variables(out) == {"cats"}
    ov = overview_template(tmp_path / "ov.xlsx")
    assert template_variables(ov) == {"title", "items", "note"}
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "{{ d.name }}{{ suffix }}"
    ws["A1"] = "{%sheet for d in depts %}"
    ws["A2"] = "{%row set total = d.inds | length %}"
    ws["A3"] = "{{ total }} {{ month }}"
    ws.oddFooter.right.text = "{{ signer }}"
    wb.save(tmp_path / "s.xlsx")
    assert template_variables(tmp_path / "s.xlsx") == {"depts", "suffix", "month", "signer"}


# ------------------------------------------------------------------ package ----

def test_vba_never_copied_and_output_atomic(tmp_path):
    tpl = overview_template(tmp_path / "t.xlsx", with_chart=False, with_image=False)
    macro = tmp_path / "t.xlsm"
    with zipfile.ZipFile(tpl) as zin, zipfile.ZipFile(macro, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"spreadsheetml.sheet.main+xml", b"ms-excel.sheet.macroEnabled.main+xml")
                data = data.replace(b"</Types>", b'<Default Extension="bin" ContentType="application/'
                                    b'vnd.ms-office.vbaProject"/></Types>')
            if info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rId99" Type="http://schemas.microsoft'
                                    b'.com/office/2006/relationships/vbaProject" Target="vbaProject.bin"/>'
                                    b"</Relationships>")
            zout.writestr(info, data)
        zout.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 fake vba")
    out = tmp_path / "out" / "o.xlsx"
    render(macro, {"title": "t", "items": items(2), "note": ""}, out)
    assert "xl/vbaProject.bin" not in zip_names(out)
    assert "vbaProject" not in zip_text(out, "xl/_rels/workbook.xml.rels")
    assert "macroEnabled" not in zip_text(out, "[Content_Types].xml")
    assert openpyxl.load_workbook(out).active["B3"].value == "指标1"
    assert sorted(p.name for p in out.parent.iterdir()) == ["o.xlsx"]  # no temporary left behind


def test_render_replaces_existing_output(tmp_path):
    tpl = overview_template(tmp_path / "t.xlsx", with_chart=False, with_image=False)
    out = tmp_path / "o.xlsx"
    out.write_bytes(b"old")
    t = Template(tpl)
    t.render({"title": "一", "items": items(1), "note": ""}, out)
    t.render({"title": "二", "items": items(3), "note": ""}, out)  # a Template renders many times
    ws = openpyxl.load_workbook(out).active
    assert ws["A1"].value == "二" and ws["B5"].value == "指标3"


def test_shared_formulas_expanded(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "{%row for x in xs %}"
    ws["A2"] = "{{ x }}"
    ws["A3"] = "{%row endfor %}"
    ws["A4"] = 1
    ws["A5"] = 2
    ws["B4"] = "=A4*10"
    ws["B5"] = "=A5*10"
    wb.save(tmp_path / "t.xlsx")
    # turn B4:B5 into one shared formula, as Excel writes a filled-down column
    with zipfile.ZipFile(tmp_path / "t.xlsx") as z:
        parts = {n: z.read(n) for n in z.namelist()}
    x = parts["xl/worksheets/sheet1.xml"].decode()
    x = x.replace("<f>A4*10</f>", '<f t="shared" ref="B4:B5" si="0">A4*10</f>').replace("<f>A5*10</f>",
                                                                                        '<f t="shared" si="0"/>')
    parts["xl/worksheets/sheet1.xml"] = x.encode()
    with zipfile.ZipFile(tmp_path / "t2.xlsx", "w") as z:
        for n, d in parts.items():
            z.writestr(n, d)
    ws = openpyxl.load_workbook(render(tmp_path / "t2.xlsx", {"xs": [7, 8, 9]}, tmp_path / "o.xlsx")).active
    assert [ws.cell(r, 1).value for r in range(1, 6)] == [7, 8, 9, 1, 2]
    assert ws["B4"].value == "=A4*10" and ws["B5"].value == "=A5*10"


def test_formula_reference_parser():
    parts = parse_formula("SUM(C5:C5)+LOG10(A1)+'一 览'!$B$2+\"C5\"+Sheet1!3:4+A:A")
    refs = [p.raw for p in parts if not isinstance(p, str)]
    assert refs == ["C5:C5", "A1", "'一 览'!$B$2", "Sheet1!3:4", "A:A"]


@pytest.mark.skipif(not (shutil.which("soffice") or shutil.which("libreoffice")), reason="LibreOffice not installed")
def test_output_opens_in_libreoffice(overview, tmp_path):
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    src = tmp_path / "一览表.xlsx"
    shutil.copy(overview[1], src)
    subprocess.run([exe, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(src)],
                   check=True, timeout=120, capture_output=True)
    pdf = tmp_path / "一览表.pdf"
    assert pdf.exists() and pdf.stat().st_size > 1000


def test_comments_and_tables_follow(tmp_path):
    from openpyxl.comments import Comment
    from openpyxl.worksheet.table import Table

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["名称", "值"])  # 1: table header
    ws["A2"] = "{%row for x in xs %}"
    ws["A3"] = "{{ x }}"
    ws["B3"] = "{{ x * 2 }}"
    ws["A4"] = "{%row endfor %}"
    ws["A5"] = "签发"
    ws["A5"].comment = Comment("领导签字", "办公室")
    ws["A1"].comment = Comment("表头", "办公室")
    ws.add_table(Table(displayName="明细表", ref="A1:B3"))
    wb.save(tmp_path / "t.xlsx")
    out = render(tmp_path / "t.xlsx", {"xs": ["a", "b", "c", "d"]}, tmp_path / "o.xlsx")
    ws = openpyxl.load_workbook(out).active
    assert ws["A6"].value == "签发" and ws["A6"].comment is not None and ws["A6"].comment.text == "领导签字"
    assert ws["A1"].comment.text == "表头"
    assert ws.tables["明细表"].ref == "A1:B5"
    vml = [n for n in zip_names(out) if n.endswith(".vml")]
    assert vml and re.search(r"<(\w+:)?Row>5</(\w+:)?Row>", zip_text(out, vml[0]))


def test_sheet_copies_are_well_formed(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "{{ d }}"
    ws["A1"] = "{%sheet for d in depts %}"
    ws["A2"] = "{{ d }}"
    ws.add_image(RawImage(png_bytes()), "C3")
    wb.save(tmp_path / "t.xlsx")
    out = render(tmp_path / "t.xlsx", {"depts": ["甲", "乙"]}, tmp_path / "o.xlsx")
    with zipfile.ZipFile(out) as z:
        for n in z.namelist():
            if n.endswith((".xml", ".rels")):
                ET.fromstring(z.read(n))
        drawings = [n for n in z.namelist() if re.match(r"xl/drawings/drawing\d+\.xml$", n)]
    assert len(drawings) == 2  # each sheet has its own drawing part, sharing the image
    assert [n for n in zip_names(out) if n.startswith("xl/media/")] == ["xl/media/image1.png"]
    assert openpyxl.load_workbook(out).sheetnames == ["甲", "乙"]


def test_fullwidth_delimiters_from_chinese_input(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "｛％row for x in xs ％｝"
    ws["A2"] = "｛｛ x ｝｝"
    ws["A3"] = "｛%row endfor %｝"
    ws["A4"] = "全角括号｛说明｝保持原样"
    wb.save(tmp_path / "t.xlsx")
    ws = openpyxl.load_workbook(render(tmp_path / "t.xlsx", {"xs": [1, 2]}, tmp_path / "o.xlsx")).active
    assert [ws.cell(r, 1).value for r in (1, 2, 3)] == [1, 2, "全角括号｛说明｝保持原样"]


def test_output_read_by_a_second_reader(overview):
    """python-calamine (another xlsx parser) reads the inline strings and numbers."""
    calamine = pytest.importorskip("python_calamine")
    wb = calamine.CalamineWorkbook.from_path(str(overview[1]))
    rows = wb.get_sheet_by_name("一览表").to_python()
    assert rows[0][0] == "完成情况一览表（截至8月底）"
    assert rows[FIRST - 1][1] == "指标1" and rows[LAST - 1][1] == f"指标{N}"
    assert rows[LAST - 1][2] == pytest.approx((N - 1) * 1.5)


def test_empty_loop_rows_vanish_and_ranges_become_ref_errors(tmp_path):
    tpl = overview_template(tmp_path / "t.xlsx", with_chart=False, with_image=False)
    ws = openpyxl.load_workbook(render(tpl, {"title": "t", "items": [], "note": ""}, tmp_path / "o.xlsx")).active
    assert ws["A3"].value == "合计"  # header on row 2, the loop produced nothing
    assert ws["C3"].value == "=SUM(#REF!)"
    assert list(ws.conditional_formatting) == [] and ws.data_validations.dataValidation == []
    assert {str(r) for r in ws.merged_cells.ranges} == {"A1:F1", "A4:C4"}


# ------------------------------------------------------------------ Jinja in rule formulas

def _rule_formulas(ws) -> dict[str, list[str]]:
    return {str(r.sqref): [f for rule in r.rules for f in (rule.formula or [])] for r in ws.conditional_formatting}


def test_conditional_formatting_and_validation_formulas_are_jinja(tmp_path):
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "{{ d.name }}"
    ws["A1"] = "{%sheet for d in depts %}"
    ws["A2"] = "{%row for r in d.ranks %}"
    ws["A3"] = "{{ r }}"
    ws["A4"] = "{%row endfor %}"
    ws.conditional_formatting.add("A3:A3", FormulaRule(formula=["AND(ISNUMBER($A3),$A3<={{ green_max }})"],
                                                       fill=PatternFill("solid", bgColor="C6EFCE")))
    ws.conditional_formatting.add("A3:A3", CellIsRule(operator="greaterThan", formula=["{{ d.limit }}"],
                                                      fill=PatternFill("solid", bgColor="FFC7CE")))
    dv = DataValidation(type="whole", operator="between", formula1="{{ lo }}", formula2="{{ d.limit }}")
    ws.add_data_validation(dv)
    dv.add("A3:A3")
    dv2 = DataValidation(type="list", formula1='"{{ colours | join(\',\') }}"')
    ws.add_data_validation(dv2)
    dv2.add("B3:B3")
    wb.save(tmp_path / "t.xlsx")
    assert {"green_max", "depts", "lo", "colours"} <= template_variables(tmp_path / "t.xlsx")
    ctx = {"green_max": 1, "lo": 0, "colours": ["绿", "黄", "红"],
           "depts": [{"name": "甲", "ranks": [1, 2, 3], "limit": 4}, {"name": "乙", "ranks": [5], "limit": 3}]}
    wb = openpyxl.load_workbook(render(tmp_path / "t.xlsx", ctx, tmp_path / "o.xlsx"))
    # rows 1-2 ({%sheet%}, {%row for%}) vanish: the loop is rows 1..n
    assert _rule_formulas(wb["甲"]) == {"A1:A3": ["AND(ISNUMBER($A1),$A1<=1)", "4"]}
    assert _rule_formulas(wb["乙"]) == {"A1": ["AND(ISNUMBER($A1),$A1<=1)", "3"]}  # the sheet's own item
    for name, hi, sq in (("甲", "4", "A1:A3"), ("乙", "3", "A1")):
        dvs = {str(d.sqref): d for d in wb[name].data_validations.dataValidation}
        assert (dvs[sq].formula1, dvs[sq].formula2) == ("0", hi)
        assert [d.formula1 for d in dvs.values() if d.type == "list"] == ['"绿,黄,红"']
    ctx.pop("green_max")
    with pytest.raises(TemplateError) as e:
        render(tmp_path / "t.xlsx", ctx, tmp_path / "o2.xlsx")
    assert "条件格式 A3" in str(e.value) and "green_max" in str(e.value)


# ------------------------------------------------------------------ page breaks on tag rows

def test_page_break_on_a_tag_row_moves_to_the_rows_it_closes(tmp_path):
    tpl = overview_template(tmp_path / "t.xlsx", with_chart=False, with_image=False)
    wb = openpyxl.load_workbook(tpl)
    ws = wb.active
    ws.row_breaks.brk = []
    ws.row_breaks.append(openpyxl.worksheet.pagebreak.Break(id=5))  # the {%row endfor %} row
    ws.row_breaks.append(openpyxl.worksheet.pagebreak.Break(id=3))  # the {%row for %} row
    wb.save(tpl)
    ctx = {"title": "t", "items": items(N), "note": ""}
    ws = openpyxl.load_workbook(render(tpl, ctx, tmp_path / "o.xlsx")).active
    # after the last loop row, and after the header (the row before the loop's first)
    assert [b.id for b in ws.row_breaks.brk] == [2, LAST]
    assert ws.cell(LAST, 2).value == f"指标{N}" and ws.cell(LAST + 1, 1).value == "合计"

    wb = openpyxl.load_workbook(nested_template(tmp_path / "n.xlsx"))
    ws = wb.active
    ws.row_breaks.brk = []
    ws.row_breaks.append(openpyxl.worksheet.pagebreak.Break(id=5))  # inner endfor: per category
    ws.row_breaks.append(openpyxl.worksheet.pagebreak.Break(id=7))  # outer endfor: after all
    wb.save(tmp_path / "n.xlsx")
    ws = openpyxl.load_workbook(render(tmp_path / "n.xlsx", {"cats": CATS}, tmp_path / "no.xlsx")).active
    # rows: 2-4 经济发展, 5 小计, 6 民生, 7 小计, 8-9 生态, 10 小计, 11 总计
    assert [b.id for b in ws.row_breaks.brk] == [4, 6, 9, 10]
    assert ws["A11"].value == "总计"


# ------------------------------------------------------------------ row heights for wrapped text

def _autofit_template(path: Path, tag: bool = True) -> Path:
    from openpyxl.styles import Alignment, Font

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 20
    ws.column_dimensions["C"].width = 10
    ws.column_dimensions["D"].width = 10
    ws["A1"] = "{%row for x in xs %}"
    ws["A2"] = ("{%row autofit %}" if tag else "") + "{{ loop.index }}"
    ws["B2"] = "{{ x.name }}"
    ws["B2"].alignment = Alignment(wrap_text=True)
    ws["B2"].font = Font(name="仿宋", size=12)
    ws["C2"] = "{{ x.note }}"  # merged C:D, wrapped, 16 pt
    ws["C2"].alignment = Alignment(wrap_text=True)
    ws["C2"].font = Font(name="仿宋", size=16)
    ws.merge_cells("C2:D2")
    ws["E2"] = "{{ x.name }}"  # not wrapped: never makes the row taller
    ws.row_dimensions[2].height = 20
    ws["A3"] = "{%row endfor %}"
    ws["A4"] = "{{ tail }}"
    ws["A4"].alignment = Alignment(wrap_text=True)
    ws.row_dimensions[4].height = 18  # wrapped but not opted in: keeps its height
    wb.save(path)
    return path


def _min_lines(text: str, width: float, size: float) -> int:
    """A lower bound on the printed lines: CJK at one em (size pt = size*4/3 px), a
    column width unit about 7 px."""
    px = sum(size * 4 / 3 if ord(ch) > 0x2E80 else size * 4 / 3 * 0.5 for ch in text)
    return -(-int(px) // int(width * 7))


def test_autofit_rows_grow_with_wrapped_text(tmp_path):
    tpl = _autofit_template(tmp_path / "t.xlsx")
    long_name = "规模以上工业企业研发费用支出增速及研发经费投入强度" * 2  # 48 CJK in a 20-wide column
    xs = [{"name": "增速", "note": ""}, {"name": long_name, "note": "短"},
          {"name": "GDP", "note": "按全省平均水平比较考核并完成市定目标"},  # 18 CJK at 16 pt in C:D (20 wide)
          {"name": "line one\nline two\nline three", "note": ""}]
    out = render(tpl, {"xs": xs, "tail": "很长的说明" * 20}, tmp_path / "o.xlsx")
    ws = openpyxl.load_workbook(out).active
    h = [ws.row_dimensions[r].height for r in range(1, 5)]
    assert h[0] == 20  # one short line: the template height is the minimum
    assert h[1] >= _min_lines(long_name, 20, 12) * 12 * 1.2 > 20  # tall enough for every line
    assert h[1] <= (_min_lines(long_name, 20, 12) + 2) * 12 * 1.4  # ... and not absurdly tall
    assert h[2] >= _min_lines(xs[2]["note"], 20, 16) * 16 * 1.2 > 20  # merged width, its own font size
    assert h[3] >= 3 * 12 * 1.2  # explicit line breaks count
    assert ws.row_dimensions[5].height == 18  # not opted in
    assert ws["B2"].value == long_name and ws["A2"].value == 2

    # the engine-wide switch: every row with a custom height, no tag needed
    tpl2 = _autofit_template(tmp_path / "t2.xlsx", tag=False)
    ws = openpyxl.load_workbook(render(tpl2, {"xs": xs, "tail": "短"}, tmp_path / "o2.xlsx")).active
    assert ws.row_dimensions[2].height == 20
    ws = openpyxl.load_workbook(render(tpl2, {"xs": xs, "tail": "短"}, tmp_path / "o3.xlsx", autofit=True)).active
    assert ws.row_dimensions[2].height > 20 and ws.row_dimensions[1].height == 20


# ------------------------------------------------------------------ docProps/app.xml

def test_app_properties_list_the_output_sheets(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "{{ d }}"
    ws["A1"] = "{%sheet for d in depts %}"
    ws["A2"] = "{{ d }}"
    wb.create_sheet("汇总&说明")["A1"] = "x"
    wb.save(tmp_path / "t.xlsx")
    out = render(tmp_path / "t.xlsx", {"depts": ["县发改局", "县统计局", "县商务局"]}, tmp_path / "o.xlsx")
    root = ET.fromstring(zip_text(out, "docProps/app.xml"))
    ns = {"ep": "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
          "vt": "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"}
    pairs = root.find("ep:HeadingPairs/vt:vector", ns)
    variants = [v[0].text for v in pairs.findall("vt:variant", ns)]
    assert variants == ["Worksheets", "4"] and pairs.get("size") == "2"
    titles = root.find("ep:TitlesOfParts/vt:vector", ns)
    names = [t.text for t in titles.findall("vt:lpstr", ns)]
    assert names == openpyxl.load_workbook(out).sheetnames == ["县发改局", "县统计局", "县商务局", "汇总&说明"]
    assert titles.get("size") == "4"


# ------------------------------------------------------------------ dates in General cells

def test_dates_in_general_cells_get_a_date_format(tmp_path):
    from openpyxl.styles import Font
    from openpyxl.styles.numbers import is_date_format

    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "{{ d }}"  # General, bordered, yellow
    ws["A1"].border = BORDER
    ws["A1"].fill = PatternFill("solid", fgColor="FFFF00")
    ws["A1"].font = Font(name="仿宋", size=12)
    ws["B1"] = "{{ t }}"  # General datetime, same style
    ws["B1"].border = BORDER
    ws["B1"].fill = PatternFill("solid", fgColor="FFFF00")
    ws["B1"].font = Font(name="仿宋", size=12)
    ws["C1"] = "{{ d }}"
    ws["C1"].number_format = "yyyy年m月d日"  # a date format of its own: kept
    ws["D1"] = "{{ n }}"  # a number in General stays General
    ws["A2"] = "{%row for x in xs %}"
    ws["A3"] = "{{ x }}"  # plain cell (style 0), many rows: one new style for all of them
    ws["A4"] = "{%row endfor %}"
    wb.save(tmp_path / "t.xlsx")
    before = zip_text(tmp_path / "t.xlsx", "xl/styles.xml")
    xs = [dt.date(2023, 8, k) for k in range(1, 11)]
    out = render(tmp_path / "t.xlsx", {"d": dt.date(2023, 8, 31), "t": dt.datetime(2023, 9, 5, 14, 30), "n": 3,
                                       "xs": xs}, tmp_path / "o.xlsx")
    ws = openpyxl.load_workbook(out).active
    assert ws["A1"].value == dt.datetime(2023, 8, 31) and is_date_format(ws["A1"].number_format)
    assert ws["A1"].number_format == "mm-dd-yy"  # built-in 14
    assert ws["A1"].fill.fgColor.rgb.endswith("FFFF00") and ws["A1"].border.left.style == "thin"
    assert ws["A1"].font.name == "仿宋"
    assert ws["B1"].value == dt.datetime(2023, 9, 5, 14, 30) and ws["B1"].number_format == "m/d/yy h:mm"  # 22
    assert ws["C1"].number_format == "yyyy年m月d日"
    assert ws["D1"].number_format == "General" and ws["D1"].value == 3
    assert [ws.cell(r, 1).value.date() for r in range(2, 12)] == xs
    assert all(ws.cell(r, 1).number_format == "mm-dd-yy" for r in range(2, 12))
    # the template's styles stay as they were; three entries appended (A1 date, A1 datetime, plain date)
    after = zip_text(out, "xl/styles.xml")
    xfs = lambda x: re.findall(r"<xf\b[^>]*?(?:/>|>.*?</xf>)", re.search(r"<cellXfs.*?</cellXfs>", x, re.S).group(0))  # noqa: E731
    assert xfs(after)[: len(xfs(before))] == xfs(before)
    assert len(xfs(after)) == len(xfs(before)) + 3
    assert re.search(r'<cellXfs count="(\d+)"', after).group(1) == str(len(xfs(after)))
    # a template without dates keeps styles.xml byte for byte (see test_styles_xml_untouched)


def test_sheet_names_built_from_input_always_open():
    """Issue 12.6: whatever a department is called, the sheet name is one Excel accepts."""
    from kaohe_excel.write.engine import excel_sheet_name

    taken: set[str] = set()
    names = [excel_sheet_name(n, taken) for n in (
        "发改委\x07\t", "a" * 30 + "'b", "[工信]:局/*?", "History", "x" * 40, "x" * 40, "'引号'")]
    for n in names:
        assert 1 <= len(n) <= 31 and not any(ch in n for ch in "[]:*?/\\") and not n.startswith("'")
        assert not n.endswith("'") and all(ord(ch) >= 32 for ch in n)
    assert names[3] != "History" and len(set(x.casefold() for x in names)) == len(names)
    assert names[0] == "发改委" and names[4] == "x" * 31 and names[5] == "x" * 28 + "(2)"


def test_a_template_rendered_again_in_one_process_gives_what_a_fresh_load_gives(tmp_path):
    """render() keeps a loaded template per content (the view from above renders one 一览表 per
    unit): a second render with other data writes exactly what a fresh Template writes, and an
    edited template is loaded again."""
    tpl = overview_template(tmp_path / "一览表模板.xlsx")
    first = {"title": "甲", "items": items(3), "note": "注一"}
    second = {"title": "乙", "items": items(7), "note": "注二"}
    a = render(tpl, first, tmp_path / "a.xlsx")
    b = render(tpl, second, tmp_path / "b.xlsx")
    fresh = Template(tpl).render(second, tmp_path / "fresh.xlsx")
    with zipfile.ZipFile(b) as zb, zipfile.ZipFile(fresh) as zf:
        assert zb.namelist() == zf.namelist()
        for name in zb.namelist():
            if name != "docProps/core.xml":
                assert zb.read(name) == zf.read(name), name
    assert openpyxl.load_workbook(a)["一览表"].max_row < openpyxl.load_workbook(b)["一览表"].max_row
    wb = openpyxl.load_workbook(tpl)
    wb["一览表"]["A1"] = "改过的标题 {{ title }}"
    wb.save(tpl)
    c = render(tpl, second, tmp_path / "c.xlsx")
    assert openpyxl.load_workbook(c)["一览表"]["A1"].value == "改过的标题 乙"
