"""A peer table with units as rows whose indicator columns sit under a category row (经济发展 merged
across its indicators' columns): each column is read by the row of indicator names below it, in
the county's run and in the view from above (an acceptance probe's 霖川市 table read as
「8 个单位，0 项指标」, every column 「「经济发展」未能对应…」)."""

import openpyxl
import pytest

from month_fixtures import YE_PEERS, write_system_xlsx
from kaohe_excel.read.workbook import read_peers, read_system


@pytest.fixture(scope="module")
def system(tmp_path_factory):
    return read_system(write_system_xlsx(tmp_path_factory.mktemp("sys") / "附件2.xlsx"))


# (category, [(indicator heading as the bureau writes it, the system's 序号)])
_GROUPS = [
    ("项目建设", [("固定资产投资增速\n（%）", 1), ("工业投资占固定资产投资比重\n（%）", 2)]),
    ("资源环境", [("PM2.5年均浓度\n（微克/立方米）", 28)]),  # one indicator: the category written over it alone
    ("综合质效", [("地区生产总值增速\n（%）", 30), ("社会消费品零售总额增速\n（%）", 31)]),
]


def _value(no: int, j: int) -> float:
    return no * 10 + j + 0.5


def _units_as_rows_under_categories(path, *, pairs: bool = False, name_up_only: bool = False):
    """As a city statistics bureau prints 各县（市、区）主要指标: title merged across, the unit column's
    heading merged down over the header rows, a category row merged across each category's
    indicators, the indicator names (with line breaks) below, the city's 全市 row first. `pairs`: a
    third header row, each name merged over 数值 | 位次 (the bureau's own ranks). `name_up_only`:
    one more indicator written in the category row with nothing under it (not merged down)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "主要指标"
    span = 2 if pairs else 1
    items = [item for _cat, its in _GROUPS for item in its]
    last = 1 + span * (len(items) + (1 if name_up_only else 0))
    ws.cell(1, 1, "平顶山市2023年1-8月各县（市）主要指标完成情况")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last)
    ws.cell(2, last, "市统计局 2023年9月")
    head = 3
    rows = 3 if pairs else 2
    ws.cell(head, 1, "县（市）")
    ws.merge_cells(start_row=head, start_column=1, end_row=head + rows - 1, end_column=1)
    col = 2
    for cat, its in _GROUPS:
        ws.cell(head, col, cat)
        if len(its) * span > 1:
            ws.merge_cells(start_row=head, start_column=col, end_row=head, end_column=col + len(its) * span - 1)
        for name, _no in its:
            ws.cell(head + 1, col, name)
            if pairs:
                ws.merge_cells(start_row=head + 1, start_column=col, end_row=head + 1, end_column=col + 1)
                ws.cell(head + 2, col, "数值")
                ws.cell(head + 2, col + 1, "位次")
            col += span
    if name_up_only:
        ws.cell(head, col, "较大及以上生产安全事故\n（起）")
        if pairs:
            ws.merge_cells(start_row=head, start_column=col, end_row=head, end_column=col + 1)
            ws.cell(head + 2, col, "数值")
            ws.cell(head + 2, col + 1, "位次")
        items = items + [("较大及以上生产安全事故", 36)]
    first = head + rows

    def figures(value) -> list:
        return [x for no in (no for _n, no in items) for x in ((value(no), 1) if pairs else (value(no),))]

    ws.append(["全市", *figures(lambda no: no * 10 + 9.9)])
    for j, county in enumerate(YE_PEERS):
        ws.append([county, *figures(lambda no, j=j: _value(no, j))])
    ws.append(["注：「—」表示暂无数据。"])
    assert ws.cell(first, 1).value == "全市"
    wb.save(path)
    return path


def _read(pt):
    return {r.key.no: r.values["叶县"] for r in pt.rows if r.key is not None}


@pytest.mark.parametrize("all_units", [False, True])
def test_a_category_row_over_the_indicator_names_reads_each_column_by_its_name(tmp_path, system, all_units):
    pt = read_peers(_units_as_rows_under_categories(tmp_path / "各县市主要指标.xlsx"), system, all_units=all_units)
    assert pt.counties == YE_PEERS, pt.counties
    assert _read(pt) == {1: 10.5, 2: 20.5, 28: 280.5, 30: 300.5, 31: 310.5}, _read(pt)
    assert pt.rows[0].values["汝州市"] == 15.5
    assert not [p.message for p in pt.problems], [p.message for p in pt.problems]
    assert pt.left_out == ["全市"]


def test_a_category_over_names_over_value_and_rank_reads_the_values(tmp_path, system):
    """Three header levels: category, the names each merged over 数值 | 位次: the values, never the 位次."""
    pt = read_peers(_units_as_rows_under_categories(tmp_path / "各县市主要指标.xlsx", pairs=True), system)
    assert pt.counties == YE_PEERS, pt.counties
    assert _read(pt) == {1: 10.5, 2: 20.5, 28: 280.5, 30: 300.5, 31: 310.5}, _read(pt)
    assert not [p.message for p in pt.problems], [p.message for p in pt.problems]


def test_a_name_written_in_the_category_row_alone_is_still_its_columns_name(tmp_path, system):
    """较大及以上生产安全事故 written in the upper row with nothing below it (not merged down) names its column."""
    pt = read_peers(_units_as_rows_under_categories(tmp_path / "各县市主要指标.xlsx", name_up_only=True), system)
    assert _read(pt) == {1: 10.5, 2: 20.5, 28: 280.5, 30: 300.5, 31: 310.5, 36: 360.5}, _read(pt)


def test_the_view_from_above_calls_its_table_by_its_own_word_when_no_indicator_is_found(tmp_path, system):
    """各单位数据 in every message of the view from above, this one too (it said 六县市数据)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "指标名称", *YE_PEERS])
    ws.append([1, "某项体系之外的指标", *range(6)])
    wb.save(tmp_path / "各单位数据.xlsx")
    msgs = [p.message for p in read_peers(tmp_path / "各单位数据.xlsx", system, all_units=True).problems]
    assert "找到了各单位数据表头，但表头下没有任何指标行" in msgs, msgs
    msgs = [p.message for p in read_peers(tmp_path / "各单位数据.xlsx", system).problems]
    assert "找到了六县市数据表头，但表头下没有任何指标行" in msgs, msgs
