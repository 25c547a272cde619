"""Issue 11.7: pages worth printing. `{%row keep %}` blocks are not split where a page
break before them avoids it; a last page of two or three rows is folded back.

Figures by hand: A4 portrait with 0.75" top/bottom margins prints (11.69 - 1.5) × 72 =
733.9 pt; with the 6% safety margin 689.9 pt of rows at 100%."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties

from kaohe_excel.write._tpl_pages import PageFrame, fold_widow, keep_breaks, page_frame, widow_break
from kaohe_excel.write.engine import TemplateError, render

A4 = '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>' \
     '<pageSetup paperSize="9" orientation="portrait" fitToWidth="1" fitToHeight="0"/>'
FIT = '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'


def test_page_frame_from_the_sheet_setup():
    f = page_frame(FIT, A4, 300.0)  # narrow columns: no shrinking
    assert f.scale == 1.0 and f.fit_width_only
    assert f.height == pytest.approx((297 / 25.4 - 1.5) * 72 * 0.94)
    wide = page_frame(FIT, A4, 2 * (210 / 25.4 - 1.4) * 72)  # twice the printable width: half scale
    assert wide.scale == pytest.approx(0.5) and wide.height == pytest.approx(f.height * 2)
    land = page_frame("", A4.replace("portrait", "landscape").replace(' fitToHeight="0"', ""), 100.0)
    assert land.height == pytest.approx((210 / 25.4 - 1.5) * 72 * 0.94) and not land.fit_width_only
    assert page_frame(FIT, A4.replace('fitToHeight="0"', 'fitToHeight="1"'), 100.0) is None  # Excel fits it


def test_a_block_that_would_be_split_starts_a_new_page():
    frame = PageFrame(height=100.0, fit_width_only=True, scale=1.0)
    # ten rows of 10 pt, blocks at 1, 5 and 9: 100 pt, all on one page
    assert keep_breaks([0.0] + [10.0] * 10, frame, None, set(), [1, 5, 9]) == []
    # twelve: block 9-12 (40 pt) has 20 pt left -> a break after 8
    assert keep_breaks([0.0] + [10.0] * 12, frame, None, set(), [1, 5, 9]) == [8]
    heights = [0.0] + [10.0] * 8 + [15.0] * 4  # 80 pt, then a 60 pt block: split at 100 -> break after 8
    assert keep_breaks(heights, frame, None, set(), [1, 5, 9]) == [8]


def test_a_block_longer_than_a_page_moves_only_when_its_first_rows_do_not_fit():
    frame = PageFrame(height=100.0, fit_width_only=True, scale=1.0)
    heights = [0.0] + [20.0] * 4 + [10.0] * 15  # 80 pt used, a 150 pt block starts at row 5
    assert keep_breaks(heights, frame, None, set(), [1, 5]) == [4]  # 20 pt left < its first 3 rows
    heights = [0.0] + [20.0] * 2 + [10.0] * 15  # 40 pt used, 60 pt left >= 3 rows of 10
    assert keep_breaks(heights, frame, None, set(), [1, 3]) == []


def test_print_titles_take_their_height_on_later_pages():
    frame = PageFrame(height=100.0, fit_width_only=True, scale=1.0)
    heights = [0.0, 20.0] + [10.0] * 16  # title row 1 (20 pt) repeats; page 2 holds 80 pt of rows
    # rows 2-9 (80 pt) fill page 1 to 100; page 2: title 20 + rows 10-17 (80) = 100; block at 16 fits
    assert keep_breaks(heights, frame, (1, 1), set(), [2, 16]) == []
    # a block at 15 of 3 rows (15-17) on page 2 where only 15-17 fit exactly: stays
    assert keep_breaks(heights, frame, (1, 1), set(), [2, 15]) == []
    heights = [0.0, 20.0] + [10.0] * 17  # one row more: block 15-18 (40 pt) no longer fits at 60 pt used
    assert keep_breaks(heights, frame, (1, 1), set(), [2, 15]) == [14]


def test_a_last_page_of_a_few_rows_is_folded_back():
    frame = PageFrame(height=100.0 * 0.94, fit_width_only=True, scale=1.0)  # judged without the margin
    assert fold_widow([0.0] + [10.0] * 11, frame, None, set()) == 1  # 110 pt: 1 row over, 91% of scale
    assert fold_widow([0.0] + [10.0] * 12, frame, None, set()) is None  # 120 pt: 83% is too small
    assert fold_widow([0.0] + [10.0] * 15, frame, None, set()) is None  # 5 rows (50% of a page) on the last
    assert fold_widow([0.0] + [10.0] * 10 + [2.0] * 6, frame, None, set()) == 1  # 6 rows, but 12% of a page
    assert fold_widow([0.0] + [10.0] * 8 + [30.0] * 2, frame, None, set()) is None  # 140 pt: shrink to 71%
    assert fold_widow([0.0] + [10.0] * 11, frame, None, {5}) is None  # the template's own breaks win
    assert fold_widow([0.0] + [10.0] * 11, PageFrame(94.0, False, 1.0), None, set()) is None  # fixed scale


def test_print_titles_are_not_counted_on_the_first_page_when_folding():
    """The league's 总排名 of 16 units: heading 52 + note 44 + header 32 (the print title) +
    16 × 22 + rule note 36 + sign-off 30 = 546 pt on a landscape page of 487.3 pt. The
    renderer puts the 16 rows on page 1 and the rule note and sign-off alone on page 2. On
    one page the header prints once: 546 × 0.85 = 464 <= 487, so it is folded (fitting it
    costs 11 % of the scale); counting the header twice (578 × 0.85 = 491) left it on two."""
    frame = PageFrame(height=487.3 * 0.94, fit_width_only=True, scale=1.0)
    heights = [0.0, 52.0, 44.0, 32.0] + [22.0] * 16 + [36.0, 30.0]
    assert fold_widow(heights, frame, (3, 3), set()) == 1


def test_a_widow_that_cannot_be_folded_takes_rows_of_the_page_before():
    """100 pt pages (94 with the margin), 10 pt rows: 12 rows leave 2 on page 2 and folding
    would shrink to 83 %: the break goes after row 7, so rows 8-12 print together (the last
    table rows with the note and sign-off under them). With a 20 pt print title on row 1,
    page 2 holds the title too. A last page with enough rows, one page, or a page before too
    short to give rows: no break."""
    frame = PageFrame(height=94.0, fit_width_only=True, scale=1.0)
    assert fold_widow([0.0] + [10.0] * 12, frame, None, set()) is None
    assert widow_break([0.0] + [10.0] * 12, frame, None, set()) == 7
    assert widow_break([0.0] + [10.0] * 15, frame, None, set()) is None  # 5 rows, 50 % of a page
    assert widow_break([0.0] + [10.0] * 9, frame, None, set()) is None  # one page
    titled = [0.0, 20.0] + [10.0] * 10  # page 1: title + rows 2-9 (100 pt); page 2: title + 10-11
    assert widow_break(titled, frame, (1, 1), set()) == 6
    assert widow_break([0.0] + [45.0] * 2 + [5.0], frame, None, set()) is None  # the page before has 2 rows
    assert widow_break([0.0] + [10.0] * 12, frame, None, {10}) is None  # the template breaks there itself
    # page 1 holds rows 1-6 (99 pt), page 2 rows 7-8; the break would go after row 3, but rows 1-3 (96 pt)
    # do not fit with the 6 % margin kept: a renderer whose rows run a little taller ends the page before
    # row 3, and a break after it would leave row 3 alone on a page: no break
    assert widow_break([0.0] + [32.0] * 3 + [1.0] * 3 + [5.0, 5.0], frame, None, set()) is None
    assert widow_break([0.0] + [31.0] * 3 + [2.0] * 3 + [5.0, 5.0], frame, None, set()) == 3  # 93 pt: it fits
    assert widow_break([0.0] + [10.0] * 14, frame, None, {2}) == 9  # its break earlier: rows 3-12, then 13-14
    fixed = PageFrame(height=94.0, fit_width_only=False, scale=1.0)  # a fixed scale is never folded
    assert fold_widow([0.0] + [10.0] * 11, fixed, None, set()) is None
    assert widow_break([0.0] + [10.0] * 11, fixed, None, set()) == 7


def test_a_rendered_table_never_ends_with_its_sign_off_alone(tmp_path):
    """A table of rows of 20 pt, then a note and a sign-off line, on a fixed-scale page (no
    fitting): a page holds 36 rows (733.9 pt). 60 rows: page 2 holds the other 24 and the two
    lines. 72 rows: page 2 would end with the last table row and page 3 hold the note and the
    sign-off alone: a break after row 69 moves the last three table rows onto page 3."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "{%row for x in rows %}"
    ws["A2"] = "{{ x }}"
    ws["A3"] = "{%row endfor %}"
    ws["A4"] = "注：演示数据"
    ws["A5"] = "审核：　　　　签发："
    for r in (2, 4, 5):
        ws.row_dimensions[r].height = 20
    ws.page_setup.paperSize = 9
    ws.page_margins = PageMargins(left=0.7, right=0.7, top=0.75, bottom=0.75)
    tpl = tmp_path / "t.xlsx"
    wb.save(tpl)
    out = openpyxl.load_workbook(render(tpl, {"rows": list(range(72))}, tmp_path / "o.xlsx")).active
    assert out.max_row == 74 and [b.id for b in out.row_breaks.brk] == [69]
    out = openpyxl.load_workbook(render(tpl, {"rows": list(range(60))}, tmp_path / "p.xlsx")).active
    assert not out.row_breaks.brk


def _template(path: Path, rows: int, keep: bool) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "明细"
    ws["A1"] = "{%row for d in units %}"
    ws["A2"] = ("{%row keep %}" if keep else "") + "{{ d.name }}"
    ws["A3"] = "{%row for x in d.rows %}"
    ws["A4"] = "{{ x }}"
    ws["A5"] = "{%row endfor %}"
    ws["A6"] = "{%row endfor %}"
    for r in range(2, 5):
        ws.row_dimensions[r].height = 20
    ws.page_setup.paperSize = 9
    ws.page_margins = PageMargins(left=0.7, right=0.7, top=0.75, bottom=0.75)
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    wb.save(path)
    return path


def test_rendered_units_never_leave_a_heading_at_a_page_foot(tmp_path):
    """Twelve units of 1 heading + 9 rows, 20 pt each (200 pt a unit): 689.9 pt a page holds
    three units (600 pt) and not the fourth: a break after every third unit."""
    tpl = _template(tmp_path / "t.xlsx", 0, keep=True)
    ctx = {"units": [{"name": f"单位{i}", "rows": [f"{i}-{k}" for k in range(9)]} for i in range(12)]}
    out = render(tpl, ctx, tmp_path / "o.xlsx")
    ws = openpyxl.load_workbook(out).active
    assert [b.id for b in ws.row_breaks.brk] == [30, 60, 90]
    assert [ws.cell(b + 1, 1).value for b in (30, 60, 90)] == ["单位3", "单位6", "单位9"]
    plain = render(_template(tmp_path / "p.xlsx", 0, keep=False), ctx, tmp_path / "p-out.xlsx")
    assert not openpyxl.load_workbook(plain).active.row_breaks.brk  # no keep: Excel breaks as it likes


def test_keep_is_a_known_tag_and_a_typo_is_named(tmp_path):
    wb = openpyxl.Workbook()
    wb.active["A1"] = "{%row kep %}{{ x }}"
    wb.save(tmp_path / "bad.xlsx")
    with pytest.raises(TemplateError) as e:
        render(tmp_path / "bad.xlsx", {"x": 1}, tmp_path / "o.xlsx")
    assert "keep" in str(e.value) and "A1" in str(e.value)


def test_a_rendered_sheet_one_row_over_a_page_prints_on_one(tmp_path):
    """A page prints 733.9 pt: 38 rows of 20 pt (760 pt) leave two rows for a second page;
    fitting one page tall costs 3.4% of the scale, so fitToHeight becomes 1. 50 rows
    (1000 pt, a second page of 14 rows) are left as they are."""
    tpl = _template(tmp_path / "t.xlsx", 0, keep=False)
    one = {"units": [{"name": "单位", "rows": [str(k) for k in range(37)]}]}
    ws = openpyxl.load_workbook(render(tpl, one, tmp_path / "one.xlsx")).active
    assert ws.max_row == 38 and str(ws.page_setup.fitToHeight) == "1"
    more = {"units": [{"name": "单位", "rows": [str(k) for k in range(49)]}]}
    ws = openpyxl.load_workbook(render(tpl, more, tmp_path / "more.xlsx")).active
    assert str(ws.page_setup.fitToHeight) == "0"


def test_a_heading_kept_with_its_next_rows_only():
    """`{%row keep 2 %}`: the heading and its next two rows stay together, the rest of its
    section may run on: 60 pt used of 100, a heading at row 7 with 2 rows (30 pt) fits,
    at 80 pt used it does not (a break after row 8); sections themselves are split."""
    frame = PageFrame(height=100.0, fit_width_only=True, scale=1.0)
    heights = [0.0] + [10.0] * 20
    assert keep_breaks(heights, frame, None, set(), [(1, 2), (7, 2)]) == []
    assert keep_breaks(heights, frame, None, set(), [(1, 2), (9, 2)]) == [8]
    assert keep_breaks(heights, frame, None, set(), [(1, None), (9, None)]) == [8]
    assert keep_breaks(heights, frame, None, set(), [(1, 2), (5, 2), (9, 2)]) == [8]
