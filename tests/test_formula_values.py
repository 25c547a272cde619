"""A template's own formulas (得分测算's 合计 rows, its 得分率) keep the value Excel shows, so a
reader that does not calculate (a phone's preview of the file sent on, python-calamine, pandas)
shows the totals instead of blanks (write/_tpl_calc.py). What is not worked out keeps no value,
as before: Excel and WPS calculate on opening either way."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from kaohe_excel.write._tpl_calc import value_written, worked_out

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("formula, want", [
    ("SUM(C2:C4)", 6.85),  # the blank and the text in the range are left out, as Excel does
    ("SUM(C2:C4)+D2", 16.85),
    ("IF(N(C2)-N(F2)>0,N(D2)/(N(C2)-N(F2)),\"\")", 10 / 1.5),
    ("IF(N(E2)>0,1,\"\")", ""),  # N of text is 0
    ("ROUND(C3*3,1)", 11.6),  # 3.85 rounds half away from zero, as Excel's ROUND
    ("ROUND(2.675,2)", 2.68),
    ("0.1+0.2", 0.3),  # to Excel's 15 digits
    ("-2^2", 4.0),  # negation before the power, as in Excel
    ("50%*C2", 1.5),
    ("C2&\"分\"", "3分"),
    ("AND(C2>1,D2>=10)", True),
    ("IFERROR(D2/0,\"—\")", "—"),
    ("AVERAGE(C2:C3)", 3.425),
    ("MAX(C2:D2)-MIN(C2:C3)", 7.0),
    ("COUNT(C2:C6)", 2.0),
    ("C6", 0.0),  # a blank cell reads 0
])
def test_formulas_report_totals_use_are_worked_out(formula, want):
    known = {(2, 3): 3.0, (3, 3): 3.85, (4, 3): "说明", (2, 4): 10.0, (2, 5): "甲", (2, 6): 1.5}
    got = worked_out(formula, known, 9, 1)
    if isinstance(want, float):
        assert isinstance(got, float) and abs(got - want) < 1e-12, (formula, got)
    else:
        assert got == want, (formula, got)


@pytest.mark.parametrize("formula", [
    "D2/0",  # an error keeps no value (Excel shows #DIV/0!)
    "SUM(C2:C20)",  # a cell below the formula's row: not written yet
    "C9",  # itself
    "Sheet2!C2", "'明细'!C2",  # another sheet
    "SUM(Total)",  # a name
    "VLOOKUP(C2,C2:D4,2,FALSE)", "INDIRECT(\"C2\")", "HYPERLINK(\"http://x\")",  # other functions
    "E2+1",  # text in arithmetic: #VALUE!
    "E2=1",  # text against a number
    "SUM(A1:XFD1048576)",  # too many cells
    "1+" * 1500 + "1",  # too long
    "(((((((((((1",
])
def test_what_is_not_worked_out_keeps_no_value(formula):
    known = {(2, 3): 3.0, (2, 4): 10.0, (2, 5): "甲"}
    assert worked_out(formula, known, 9, 3) is None


def test_the_cells_written_are_read_as_a_formula_reads_them():
    assert value_written('<c r="C7" s="3"><v>2.85</v></c>') == 2.85
    assert value_written('<c r="C7" t="inlineStr"><is><t xml:space="preserve">A&amp;B</t></is></c>') == "A&B"
    assert value_written('<c r="C7" t="b"><v>1</v></c>') is True
    assert value_written('<c r="C7" s="2"/>') is None
    shared = value_written('<c r="C7" t="s"><v>4</v></c>')  # the template's own text: text, words unknown
    assert worked_out("SUM(C7:C7)+N(C7)", {(7, 3): shared}, 9, 3) == 0.0
    assert worked_out("C7&\"x\"", {(7, 3): shared}, 9, 3) is None


def test_the_score_estimate_keeps_its_totals_for_readers_that_do_not_calculate(tmp_path):
    """The demo's 得分测算: every formula cell has a kept value, the 合计 of each column is the sum
    of the figures above it, and the 测算得分 合计 is the total the run prints."""
    from kaohe_excel.flows.run import run_workspace

    shutil.copytree(ROOT / "input", tmp_path / "input")
    summary = run_workspace(tmp_path)
    book = next(p for p in summary.written if "得分测算" in p.name)
    formulas = openpyxl.load_workbook(book)  # the formulas themselves
    values = CalamineWorkbook.from_path(str(book))  # what a reader that does not calculate sees
    checked = 0
    for ws in formulas.worksheets:
        got = values.get_sheet_by_name(ws.title).to_python()
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and c.value.startswith("=SUM("):
                    kept = got[c.row - 1][c.column - 1]
                    assert isinstance(kept, float), (ws.title, c.coordinate, c.value, kept)
                    col = c.column - 1
                    first, last = (int(x) for x in c.value[5:-1].replace(c.column_letter, "").split(":"))
                    above = [got[r - 1][col] for r in range(first, last + 1)]
                    assert abs(kept - sum(v for v in above if isinstance(v, float))) < 1e-9, (c.coordinate, kept)
                    checked += 1
    assert checked >= 4
    totals = [r for r in CalamineWorkbook.from_path(str(book)).get_sheet_by_name(formulas.worksheets[0].title)
              .to_python() if r and "合计" in (str(r[0]), str(r[1]))]
    assert totals and abs(float(totals[0][3]) - summary.total) < 1e-9, (totals, summary.total)
