"""六县市数据: one column per county, section rows, missing values."""

import openpyxl
import pytest

from month_fixtures import YE_PEERS, write_peers_xlsx, write_system_xlsx
from kaohe_excel.model import HIGHER, LOWER
from kaohe_excel.problems import ERROR, InputError
from kaohe_excel.read.peers import direction_of
from kaohe_excel.read.workbook import read_peers, read_system


@pytest.fixture(scope="module")
def system(tmp_path_factory):
    return read_system(write_system_xlsx(tmp_path_factory.mktemp("sys") / "附件2.xlsx"))


def test_peer_sheet(tmp_path, system):
    vals = {1: {"叶县": "6.2%", "宝丰县": 5.1, "郏县": "—", "鲁山县": "增长3%", "舞钢市": "#DIV/0!", "汝州市": ""},
            28: {"叶县": 45, "宝丰县": 50, "郏县": "４８", "鲁山县": "/", "舞钢市": 44, "汝州市": 52.5},
            30: {"叶县": "下降1.2%", "宝丰县": "1,234.5", "郏县": 3, "鲁山县": 4, "舞钢市": 5, "汝州市": 6}}
    path = write_peers_xlsx(tmp_path / "六县市数据（2023年1-8月）.xlsx", vals)
    pt = read_peers(path, system, peers=YE_PEERS)
    assert pt.counties == YE_PEERS
    rows = {r.key.no: r for r in pt.rows}
    assert set(rows) == {1, 28, 30}
    assert rows[1].values == {"叶县": 6.2, "宝丰县": 5.1, "郏县": None, "鲁山县": 3.0, "舞钢市": None, "汝州市": None}
    assert rows[1].raw["叶县"] == "6.2%" and rows[1].cells["叶县"] == "D4"
    assert rows[1].direction == HIGHER and rows[28].direction == LOWER
    assert rows[28].values["郏县"] == 48 and rows[28].values["鲁山县"] is None
    assert rows[30].values["叶县"] == -1.2 and rows[30].values["宝丰县"] == 1234.5
    errs = [p for p in pt.problems if p.level == ERROR]
    assert len(errs) == 1 and errs[0].cell == "H4" and "舞钢市" in errs[0].message and "#DIV/0!" in errs[0].message


def test_two_row_header_and_missing_county(tmp_path, system):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "8月"
    ws.append(["序号", "指标名称", "方向", "2023年1-8月", None, None, None, None])
    ws.append([None, None, None, "叶县", "宝丰县", "郏县", "鲁山县", "汝州"])
    ws.merge_cells("D1:H1")
    for c in "ABC":
        ws.merge_cells(f"{c}1:{c}2")
    ws.append(["一、项目建设"])
    ws.append([1, "固定资产投资增速", "正向", 6.2, 5.1, 4, 3, 2])
    ws.append([30, "地区生产总值增速", "越高越好", 5, 6, "", 7, 8])
    wb.save(tmp_path / "peers.xlsx")
    pt = read_peers(tmp_path / "peers.xlsx", system, peers=YE_PEERS)
    assert pt.counties == ["叶县", "宝丰县", "郏县", "鲁山县", "汝州市"]
    assert any("舞钢市" in p.message for p in pt.problems)
    rows = {r.key.no: r for r in pt.rows}
    assert rows[1].values["汝州市"] == 2 and rows[30].values["郏县"] is None


def test_without_peer_list_every_county_column(tmp_path):
    path = write_peers_xlsx(tmp_path / "p.xlsx", {31: {p: 5 for p in YE_PEERS}}, sections=False)
    pt = read_peers(path)
    assert pt.counties == YE_PEERS and pt.rows[0].no == 31 and pt.rows[0].key is None


def test_not_peer_data(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append(["序号", "指标名称", "分值"])
    wb.save(tmp_path / "x.xlsx")
    with pytest.raises(InputError) as exc:
        read_peers(tmp_path / "x.xlsx")
    assert "六县市数据" in exc.value.problem.message


@pytest.mark.parametrize("text, d", [("正向", HIGHER), ("逆向", LOWER), ("越低越好", LOWER), ("", None), ("?", None)])
def test_direction(text, d):
    assert direction_of(text) == d


def _city_sheet(path, title, headers):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=4 + len(headers))
    ws.append(["序号", "指标名称", "单位", "方向", *headers])
    ws.append([1, "地区生产总值增速", "%", "正向", *[5 + i * 0.5 for i in range(len(headers))]])
    ws.append([2, "万元GDP能耗下降率", "%", "逆向", *[1 + i * 0.1 for i in range(len(headers))]])
    ws.append(["注：数据来源市统计局"])
    wb.save(path)
    return path


SIX = ["叶县", "宝丰县", "郏县", "鲁山县", "汝州市", "舞钢市"]


@pytest.mark.parametrize("title, headers", [
    ("平顶山市六县（市）2023年1-8月主要指标完成情况", [*SIX, "平顶山市"]),   # named in the title
    ("平顶山市六县（市）2023年1-8月主要指标完成情况", ["平顶山市", *SIX]),   # first column
    ("2023年1-8月六县（市）主要指标完成情况", [*SIX, "平顶山市"]),           # 六县 and seven columns
])
def test_city_total_column_not_a_peer(tmp_path, title, headers):
    pt = read_peers(_city_sheet(tmp_path / "六县市数据.xlsx", title, headers))
    assert pt.counties == SIX
    assert all("平顶山市" not in r.values for r in pt.rows)
    # a hint, not a problem: leaving the superior city out is the rule, nothing to correct
    assert not [p for p in pt.problems if "平顶山市" in p.message]
    hint = [n for n in pt.notes if "平顶山市" in n]
    assert len(hint) == 1 and f"{'K' if headers[-1] == '平顶山市' else 'E'}2 单元格" in hint[0]


def test_seven_counties_without_a_hint_all_ranked_with_a_warning(tmp_path):
    seven = [*SIX, "新华区"]  # a district among counties: perhaps the city's own figure
    pt = read_peers(_city_sheet(tmp_path / "p.xlsx", "2023年1-8月主要指标完成情况", seven))
    assert pt.counties == seven
    assert any("多于六个" in p.message for p in pt.problems)


def test_seven_counties_of_one_kind_are_a_group_of_seven_without_a_warning(tmp_path):
    seven = [*SIX, "鲁阳县"]
    pt = read_peers(_city_sheet(tmp_path / "p.xlsx", "2023年1-8月主要指标完成情况", seven))
    assert pt.counties == seven
    assert not pt.problems


def test_configured_peers_ignore_the_city_column(tmp_path):
    pt = read_peers(_city_sheet(tmp_path / "p.xlsx", "2023年1-8月主要指标", [*SIX, "平顶山市"]), peers=SIX)
    assert pt.counties == SIX and any("未采用" in p.message for p in pt.problems)


@pytest.mark.parametrize("title", [
    "汝州市与六县（市）主要指标对比（2023年1-8月）",      # the county we serve is a 市, named in the title
    "填报单位：汝州市统计局 2023年1-8月六县（市）主要指标",  # a unit's name above the table
])
def test_a_county_city_named_in_the_title_is_still_a_county(tmp_path, title):
    pt = read_peers(_city_sheet(tmp_path / "p.xlsx", title, SIX))
    assert pt.counties == SIX
    assert not any("上级市" in p.message for p in pt.problems)


def test_a_units_of_measure_column_is_the_unit_every_report_shows(tmp_path, system):
    """序号 | 指标名称 | 计量单位 | 方向 | counties: the unit is read per row, and a bare figure is
    shown with it (17 -> 17家) where neither the name nor the figures say it."""
    from kaohe_excel.assess.month import _unit_of

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "8月"
    ws.append(["序号", "指标名称", "计量\n单位", "方向", "叶县", "宝丰县", "郏县", "鲁山县", "舞钢市", "汝州市"])
    ws.append([1, "固定资产投资增速", "％", "正向", 6.2, 5.1, 4, 3, 2, 1])
    ws.append([28, "PM2.5年均浓度", "（微克/立方米）", "逆向", 45, 50, 48, 44, 52, 47])
    ws.append([10, "高新技术企业净增数", "家", "正向", 12, 9, 7, 6, 15, 13])
    ws.append([33, "城镇新增就业人数", "—", "正向", 1, 2, 3, 4, 5, 6])
    wb.save(tmp_path / "peers.xlsx")
    pt = read_peers(tmp_path / "peers.xlsx", system, peers=YE_PEERS)
    rows = {r.no: r for r in pt.rows}
    assert [rows[n].unit for n in (1, 28, 10, 33)] == ["％", "（微克/立方米）", "家", "—"]
    assert [_unit_of(rows[n].name, rows[n].raw.values(), None, stated=rows[n].unit) for n in (1, 28, 10, 33)] == \
        ["%", "微克/立方米", "家", ""]
    assert _unit_of("新增市场主体（户）", ["120"], None, stated="个") == "户"  # the name's own unit first


def _transposed_peers(path, title: str, rows: list, filtered_out: int | None = None):
    """Counties as rows, indicators as columns, as a city bureau prints them; the city's own row last."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "经济发展"
    ws.append([title])
    ws.merge_cells("A1:D1")
    ws.append(["县市", "固定资产投资增速（%）", "地区生产总值增速（%）", "方向"])
    for row in rows:
        ws.append(row)
    if filtered_out is not None:
        ws.auto_filter.ref = f"A2:D{len(rows) + 2}"
        ws.row_dimensions[filtered_out].hidden = True
    wb.save(path)
    return path


def test_the_citys_own_row_in_a_table_of_counties_as_rows_is_no_peer(tmp_path, system):
    """「平顶山市六县（市）…」 with counties as rows and 平顶山市's row at the bottom: the city's own row
    is left out, as its column is in the usual layout, and said (行, not 列)."""
    rows = [[c, 5 + i, 6 + i / 10, ""] for i, c in enumerate(YE_PEERS)] + [["平顶山市", 80.1, 7.5, ""]]
    path = _transposed_peers(tmp_path / "p.xlsx", "平顶山市六县（市）主要经济指标（2023年1-8月）", rows)
    pt = read_peers(path, system)
    assert pt.counties == YE_PEERS, pt.counties
    assert any("「平顶山市」行看作上级市" in n for n in pt.notes), pt.notes


def test_a_row_a_filter_hides_is_still_read_in_the_peer_table(tmp_path, system):
    """A filter is a view (方向 = 正向 hides the PM2.5 row): the row is read, and said."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "8月"
    ws.append(["序号", "指标名称", "方向", *YE_PEERS])
    ws.append([1, "固定资产投资增速", "正向", 6.2, 5.1, 4, 3, 2, 1])
    ws.append([28, "PM2.5年均浓度", "逆向", 45, 50, 48, 44, 52, 47])
    ws.append([30, "地区生产总值增速", "正向", 5, 6, 7, 7, 8, 9])
    ws.auto_filter.ref = "A1:I4"
    ws.auto_filter.add_filter_column(2, ["正向"])  # the clerk filtered 方向 = 正向
    ws.row_dimensions[3].hidden = True
    wb.save(tmp_path / "peers.xlsx")
    pt = read_peers(tmp_path / "peers.xlsx", system, peers=YE_PEERS)
    rows = {r.no: r for r in pt.rows}
    assert 28 in rows and rows[28].values["叶县"] == 45, sorted(rows)
    assert any("被筛选隐藏" in p.message and "仍按指标读取" in p.message for p in pt.problems), \
        [p.message for p in pt.problems]


def test_no_change_in_a_growth_rate_is_a_rate_of_zero():
    """持平 in a growth rate's cell is 0 (no change); in a level it stays words (no figure)."""
    from kaohe_excel.read.values import OK, TEXT, as_rate_of, parse_value

    assert as_rate_of("社会消费品零售总额增速", parse_value("持平")).value == 0.0
    assert as_rate_of("利润总额增长率（%）", parse_value(" 持 平 ")).status == OK
    assert as_rate_of("单位GDP能耗降低率", parse_value("持平")).value == 0.0
    assert as_rate_of("高新技术企业数", parse_value("持平")).status == TEXT


# Every usual heading of the column that names the units (an acceptance probe's 岚州市 table headed
# 「区县」 was not read at all: the heading was taken for a county).
UNIT_HEADINGS = ["区县", "县区", "县（区）", "区县名称", "县（市、区）名称", "单位名称", "地区", "县市区", "县（市、区）",
                 "县\n（市、区）", "参评单位"]
_PEER_ITEMS = [("1.固定资产投资\n增速（%）", 1), ("2.PM2.5年均浓度\n（微克/立方米）", 28), ("3.地区生产总值\n增速（%）", 30)]


def _units_as_rows_with_pairs(path, heading: str, total_first: bool = False):
    """Counties as rows: the unit column's heading merged down over two header rows, each indicator a
    heading (with a line break) merged over 数值 | 位次, the city's total row (`total_first`: on top,
    as a province's 全省 often is), a 注 row."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "六县市"
    ws.cell(1, 1, "平顶山市六县（市）主要指标完成情况\n（2023年1-8月）")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=7)
    ws.cell(2, 1, heading)
    ws.merge_cells("A2:A3")
    for k, (name, _no) in enumerate(_PEER_ITEMS):
        ws.cell(2, 2 + 2 * k, name)
        ws.merge_cells(start_row=2, start_column=2 + 2 * k, end_row=2, end_column=3 + 2 * k)
        ws.cell(3, 2 + 2 * k, "数值")
        ws.cell(3, 3 + 2 * k, "位次")
    if total_first:
        ws.append(["全市", 9.9, "—", 40, "—", 7.7, "—"])
    for j, county in enumerate(YE_PEERS):
        ws.append([county] + [x for k in range(3) for x in (10 * k + j + 0.5, j + 1)])
    if not total_first:
        ws.append(["全市", 9.9, None, 40, None, 7.7, None])
    ws.append(["注：「—」或空白表示暂无数据；位次为市统计局排定。"])
    ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=7)
    wb.save(path)
    return path


def _units_as_columns_under_a_heading(path, heading: str):
    """Counties as columns under a group heading merged across them (the unit column's heading on top)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "六县市"
    ws.append(["平顶山市六县（市）主要指标（2023年1-8月）"])
    ws.merge_cells("A1:I1")
    ws.append(["序号", "指标\n名称", "方向", heading] + [None] * 5)
    ws.merge_cells("D2:I2")
    ws.append([None, None, None, *YE_PEERS])
    for c in "ABC":
        ws.merge_cells(f"{c}2:{c}3")
    for name, no in _PEER_ITEMS:
        ws.append([no, name.split(".", 1)[1], "逆向" if no == 28 else "正向", *[10 * no + j + 0.5 for j in range(6)]])
    ws.append(["注：本表为演示数据。"])
    wb.save(path)
    return path


@pytest.mark.parametrize("heading", UNIT_HEADINGS)
def test_every_usual_heading_of_the_unit_column_reads_the_units_as_rows(tmp_path, system, heading):
    pt = read_peers(_units_as_rows_with_pairs(tmp_path / "岚州市六县市数据（1-8月）.xlsx", heading), system)
    assert pt.counties == YE_PEERS, pt.counties
    got = {r.key.no: r.values["叶县"] for r in pt.rows if r.key is not None}
    assert got == {1: 0.5, 28: 10.5, 30: 20.5}, got  # the values, never the sheet's 位次
    assert pt.rows[0].values["汝州市"] == 5.5


@pytest.mark.parametrize("heading", UNIT_HEADINGS)
def test_every_usual_heading_over_the_unit_columns_reads_the_units_as_columns(tmp_path, system, heading):
    pt = read_peers(_units_as_columns_under_a_heading(tmp_path / "六县市数据.xlsx", heading), system)
    assert pt.counties == YE_PEERS, pt.counties
    got = {r.key.no: r.values["叶县"] for r in pt.rows if r.key is not None}
    assert got == {1: 10.5, 28: 280.5, 30: 300.5}, got


@pytest.mark.parametrize("heading", ["区县", "县区", "县（市、区）", "区县名称", "县名"])
def test_a_heading_of_the_unit_column_is_no_place(heading):
    from kaohe_excel.read.peers import _is_short_county
    from kaohe_excel.read.tables import is_place

    assert not is_place(heading) and not _is_short_county(heading)


@pytest.mark.parametrize("total_first", [True, False])
def test_the_citys_total_row_above_or_below_the_units_is_named_and_the_pairs_still_read(tmp_path, system, total_first):
    """数值 | 位次 pairs with the 全市 row between them and the first county (a province's 全省 on top):
    the pairs are still pairs (each 位次 column was read as a second, duplicate indicator: a false
    「本行重复」 hint an indicator), and the total row, above or below, is named as left out."""
    pt = read_peers(_units_as_rows_with_pairs(tmp_path / "岚州市六县市数据（1-8月）.xlsx", "县（市）", total_first), system)
    assert pt.counties == YE_PEERS, pt.counties
    assert {r.key.no: r.values["叶县"] for r in pt.rows if r.key is not None} == {1: 0.5, 28: 10.5, 30: 20.5}
    assert not [p.message for p in pt.problems if "重复" in p.message], [p.message for p in pt.problems]
    assert pt.left_out == ["全市"] and pt.units_as_rows


def _groups_with_growth(path):
    """Each county a group 本期 | 同期 | 增速（%） | 位次 under its merged name; rows named after the
    amount (GDP, 社会消费品零售总额) with 亿元 in the 计量单位 column, as bureaus print them."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "经济发展"
    ws.append(["平顶山市六县（市）主要经济指标（2023年1-8月，演示数据）"])
    head = ["序号", "指标名称", "计量单位"]
    sub = ["", "", ""]
    for c in YE_PEERS:
        head += [c, "", "", ""]
        sub += ["本期", "同期", "增速（%）", "位次"]
    ws.append(head)
    ws.append(sub)
    for k in range(len(YE_PEERS)):
        col = 4 + 4 * k
        ws.merge_cells(start_row=2, start_column=col, end_row=2, end_column=col + 3)
    for c in "ABC":
        ws.merge_cells(f"{c}2:{c}3")
    amounts = {30: ("GDP", [323.4, 281.6, 366.6, 250.1, 300.2, 299.9]), 31: ("社会消费品零售总额", [89.1, 78.7, 106.0, 70.2, 95.5, 88.8])}
    growth = {30: [1.3, -2.9, 4.4, 0.8, 2.2, 3.1], 31: [4.9, 11.7, 6.0, 8.8, 2.5, 7.0]}
    for no, (name, vals) in amounts.items():
        line = [no, name, "亿元"]
        for j, v in enumerate(vals):
            line += [v, round(v * 0.97, 2), growth[no][j], None]
        ws.append(line)
    wb.save(path)
    return path, growth


def test_a_rate_indicator_is_read_on_its_growth_whatever_the_bureau_names_its_row(tmp_path, system):
    """The system's 地区生产总值增速 and 社会消费品零售总额增速 beside a bureau's rows named GDP and
    社会消费品零售总额 (the amount, 亿元), each county with 本期 | 同期 | 增速: they are ranked on their
    增速 (they were ranked on the amount, and GDP's row was matched and then dropped), in %."""
    from kaohe_excel.assess import assess_month
    from kaohe_excel.config import Config

    path, growth = _groups_with_growth(tmp_path / "六县市数据（2023年1-8月）.xlsx")
    pt = read_peers(path, system)
    rows = {r.key.no: r for r in pt.rows if r.key is not None}
    for no in (30, 31):
        assert [rows[no].values[c] for c in YE_PEERS] == growth[no], (no, rows[no].values)
        assert rows[no].unit == "%"
    res = assess_month(system, {}, pt, Config(county="叶县"), "2023-08")
    got = {r.no: r for r in res.indicators}
    assert got[30].rank == 4 and got[30].unit == "%" and got[30].figure_shown == "1.3%", (got[30].rank, got[30].figure_shown)
    assert got[31].rank == 5, got[31].rank  # (4.9 among 11.7, 8.8, 7.0, 6.0: on the amount 89.1 it was 3rd)
