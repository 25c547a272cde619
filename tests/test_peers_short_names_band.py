"""A city's table of its units as a bureau prints it, read whole (acceptance probe 25, 云溪市):
- two units written without 县 (青石, 桐川) among full names: rows of a table of units as rows, or
  names over 完成值 | 位次 pairs, are units too (they were left out: the two counties silently
  unranked, every place and 位次变化 after them wrong);
- a band over the units' names (各县（市、区）完成情况 merged across, the names each over
  完成值 | 位次 below it): three header rows, read as two are (the month was refused, exit 2)."""

import openpyxl
import pytest

from month_fixtures import YE_PEERS, write_system_xlsx
from kaohe_excel.read.workbook import read_peers, read_system

ITEMS = [(1, "固定值产 投资增速"), (30, "地区生产总值增速"), (31, "社会消费品零售总额增速")]
SHORT = {"宝丰县": "宝丰", "鲁山县": "鲁山"}  # two of six written the short way


@pytest.fixture(scope="module")
def system(tmp_path_factory):
    return read_system(write_system_xlsx(tmp_path_factory.mktemp("sys") / "附件2.xlsx"))


def _value(no: int, j: int) -> float:
    return no + j / 10


def _units_as_rows(path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["平顶山市2023年1-8月各县（市）主要指标完成情况"])
    ws.merge_cells("A1:D1")
    ws.append(["县（市）", *[f"{k + 1}.{name}（%）" for k, (_no, name) in enumerate(ITEMS)]])
    for j, county in enumerate(YE_PEERS):
        ws.append([SHORT.get(county, county), *[_value(no, j) for no, _n in ITEMS]])
    ws.append(["全市", *[99.9 for _ in ITEMS]])
    ws.append(["注：演示数据。"])
    wb.save(path)
    return path


def _units_in_pairs(path, *, band: bool):
    """序号 | 指标名称 | 全市 | per unit 完成值 | 位次 under its name merged across the two; `band`: a
    row above the names, 各县（市）完成情况 merged across all of them."""
    wb = openpyxl.Workbook()
    ws = wb.active
    last = 3 + 2 * len(YE_PEERS)
    ws.cell(1, 1, "平顶山市2023年1-8月各县（市）高质量发展主要指标完成情况")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last)
    head = 3
    names = head + (1 if band else 0)
    for c, h in [(1, "序号"), (2, "指标名称"), (3, "全市")]:
        ws.cell(head, c, h)
        ws.merge_cells(start_row=head, start_column=c, end_row=names + 1, end_column=c)
    if band:
        ws.cell(head, 4, "各县（市）完成情况")
        ws.merge_cells(start_row=head, start_column=4, end_row=head, end_column=last)
    for j, county in enumerate(YE_PEERS):
        c = 4 + 2 * j
        ws.cell(names, c, SHORT.get(county, county))
        ws.merge_cells(start_row=names, start_column=c, end_row=names, end_column=c + 1)
        ws.cell(names + 1, c, "完成值")
        ws.cell(names + 1, c + 1, "位次")
    r = names + 2
    for no, name in ITEMS:
        ws.cell(r, 1, no)
        ws.cell(r, 2, name)
        ws.cell(r, 3, 50.0)
        for j, _county in enumerate(YE_PEERS):
            ws.cell(r, 4 + 2 * j, _value(no, j))
            ws.cell(r, 5 + 2 * j, 6 - j)
        r += 1
    wb.save(path)
    return path


def _figures(pt) -> dict:
    return {(r.key.no, c): v for r in pt.rows if r.key is not None for c, v in r.values.items()}


WRITTEN = [SHORT.get(c, c) for c in YE_PEERS]  # (a county's system names no units: kept as the table writes them)
WANT = {(no, county): _value(no, j) for no, _n in ITEMS for j, county in enumerate(WRITTEN)}


@pytest.mark.parametrize("build", ["rows", "pairs", "band"])
@pytest.mark.parametrize("all_units", [False, True])
def test_every_unit_of_the_table_is_read(tmp_path, system, build, all_units):
    path = tmp_path / "各县（市）主要指标.xlsx"
    if build == "rows":
        _units_as_rows(path)
    else:
        _units_in_pairs(path, band=build == "band")
    pt = read_peers(path, system, all_units=all_units)
    assert sorted(pt.counties) == sorted(WRITTEN), pt.counties
    assert _figures(pt) == WANT
    assert not [p.message for p in pt.problems if p.level == "error"], [p.message for p in pt.problems]
