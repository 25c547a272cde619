"""The view from above, a unit's own report naming it by its short name only (澜山 for 澜山县: the
file name, the title, the 填报单位 line), acceptance probe 28: the file was refused as nobody's
(「无法确定这份报表是哪个单位的」) and the unit's figures were lost. And a unit's own 排名 beside a
figure that could not be read is no place in the office above's ranking."""

import openpyxl

from tests import league_city as lc
from tests.kaohe_cli import cli_json


def _item(js, no, unit):
    i = next(x for x in js["indicators"] if x["no"] == no)
    return next(c for c in i["cells"] if c["unit"] == unit)


def test_a_report_naming_its_unit_by_the_short_name_is_that_units(tmp_path):
    built = lc.build_workspace(tmp_path, own_report=True)
    june = built.root / "input" / lc.JUNE
    src = june / lc.OWN_REPORT_FILE
    wb = openpyxl.load_workbook(src)
    ws = wb.active
    short = lc.LS.removesuffix("县")
    ws.cell(2, 1).value = ws.cell(2, 1).value.replace(lc.LS, short)
    ws.cell(3, 1).value = f"填报单位：{short}人民政府办公室"
    for row in ws.iter_rows():  # the sign-off line below too
        for c in row:
            if isinstance(c.value, str) and lc.LS in c.value:
                c.value = c.value.replace(lc.LS, short)
    src.unlink()
    wb.save(june / f"2024年6月完成情况一览表（{short}）.xlsx")
    js = cli_json(built.root, "assess", "--all-units", "--month", lc.JUNE)
    assert not [p["message"] for p in js["problems"] if "无法确定" in p["message"]]
    assert _item(js, 1, lc.LS)["display"] == "7.3%"  # the city's sheet lacks it: the unit's own report's


def test_a_units_own_rank_beside_an_unreadable_figure_is_no_place(tmp_path):
    built = lc.build_workspace(tmp_path, own_report=True)
    path = built.root / "input" / lc.JUNE / lc.OWN_REPORT_FILE
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    row = next(r for r in range(6, ws.max_row + 1) if ws.cell(r, 1).value == 1)
    ws.cell(row, 6).value = "待统计局反馈"
    ws.cell(row, 7).value = 1  # its own 排名: first
    wb.save(path)
    js = cli_json(built.root, "assess", "--all-units", "--month", lc.JUNE)
    cell = _item(js, 1, lc.LS)
    assert cell["rank"] is None and cell["score"] is None, cell
