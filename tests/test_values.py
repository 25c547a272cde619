"""Reported values and ranks as departments write them."""

import datetime as dt

import pytest

from kaohe_excel.read.grid import sheet_cell_flags
from kaohe_excel.read.values import ERROR, INVALID, MISSING, OK, TEXT, parse_date, parse_rank, parse_value, parse_value_rank


@pytest.mark.parametrize("cell, value, unit", [
    (6.2, 6.2, ""),
    ("6.2", 6.2, ""),
    ("6.2%", 6.2, "%"),
    ("增长6.2%", 6.2, "%"),
    ("同比增长 12.3 %", 12.3, "%"),
    ("下降3.1%", -3.1, "%"),
    ("同比下降3.1个百分点", -3.1, "个百分点"),
    ("-3.1", -3.1, ""),
    ("−3.1%", -3.1, "%"),
    ("1,234.5", 1234.5, ""),
    ("12.5万元", 12.5, "万元"),
    ("６．２", 6.2, ""),
    ("６.２％", 6.2, "%"),
    ("12个", 12, "个"),
    ("0", 0, ""),
    (0, 0, ""),
    ("'8.5", 8.5, ""),
])
def test_values_keep_text(cell, value, unit):
    v = parse_value(cell)
    assert v.status == OK
    assert v.value == pytest.approx(value)
    assert v.unit == unit
    assert v.raw == (str(cell) if not isinstance(cell, float) else "6.2")


@pytest.mark.parametrize("cell", ["", None, "—", "——", "/", "／", "-", "--", "---", "暂无", "暂无数据", "未出", " ", "…"])
def test_not_yet_available_is_none_never_zero(cell):
    v = parse_value(cell)
    assert v.status == MISSING and v.value is None and v.missing


@pytest.mark.parametrize("cell", ["#DIV/0!", "#N/A", "#REF!", "#VALUE!", "#NAME?", "#NUM!", "#NULL!"])
def test_excel_error_text_is_error(cell):
    v = parse_value(cell)
    assert v.status == ERROR and v.value is None
    assert "Excel 错误值" in v.message()


def test_error_code_from_file_wins_over_blank_cell():
    v = parse_value("", error="#DIV/0!")
    assert v.status == ERROR and v.raw == "#DIV/0!"


def test_percent_formatted_number_reads_as_seen():
    v = parse_value(0.062, percent_format=True)
    assert v.value == pytest.approx(6.2) and v.raw == "6.2%" and v.percent


def test_words_without_number_are_text():
    v = parse_value("已完成年度任务")
    assert v.status == TEXT and v.value is None and v.raw == "已完成年度任务"


def test_several_numbers_take_first_and_say_so():
    v = parse_value("完成1200亩，占目标80%")
    assert v.value == 1200 and v.several and "多个数字" in v.message()


@pytest.mark.parametrize("cell, value, rank", [
    ("39.5%（4）", 39.5, 4), ("39.5%(4)", 39.5, 4), ("8.1%（第2位）", 8.1, 2), ("4.2%，第3名", 4.2, 3),
    ("增长5%（全市第6）", 5, 6), ("12（三）", 12, 3),
])
def test_value_with_rank_in_brackets(cell, value, rank):
    v = parse_value_rank(cell)
    assert v.value == pytest.approx(value) and v.rank == rank


def test_bracket_unit_is_not_a_rank():
    v = parse_value("12.5（万元）")
    assert v.value == 12.5 and v.rank is None


@pytest.mark.parametrize("cell", [3, 3.0, "3", "'3", "第3名", "第三名", "３", "3/6", "第3位", "排名3", "全市第3名",
                                  "并列第3", "第 3 名", "3名", "３／６", "第3名（较上月前进1位）"])
def test_rank_written_many_ways(cell):
    r = parse_rank(cell, 6)
    assert r.ok and r.rank == 3, r


@pytest.mark.parametrize("cell, why", [(0, "0"), (7, "超出"), (-1, "负数"), ("7/6", "大于"), ("第七名", "超出"),
                                       ("2.5", "不是整数"), ("靠前", "无法识别")])
def test_bad_ranks_are_problems(cell, why):
    r = parse_rank(cell, 6)
    assert r.status == INVALID and r.rank is None
    assert why in r.message and "1–6" in r.message


def test_rank_missing_and_error():
    assert parse_rank("—", 6).status == MISSING
    assert parse_rank("", 6).rank is None
    assert parse_rank("#N/A", 6).status == ERROR
    assert parse_rank("", 6, error="#REF!").status == ERROR


def test_rank_denominator_other_than_peers_is_noted():
    r = parse_rank("3/7", 6)
    assert r.rank == 3 and "6" in r.message


def test_rank_without_peer_count():
    assert parse_rank(9).rank == 9


@pytest.mark.parametrize("cell, expected", [
    ("2023年9月5日", dt.date(2023, 9, 5)), ("2023.9.5", dt.date(2023, 9, 5)), ("2023-09-05", dt.date(2023, 9, 5)),
    ("2023/9/5", dt.date(2023, 9, 5)), (dt.date(2023, 9, 5), dt.date(2023, 9, 5)),
    (dt.datetime(2023, 9, 5, 10), dt.date(2023, 9, 5)), ("20230905", dt.date(2023, 9, 5)), (45174, dt.date(2023, 9, 5)),
    ("２０２３年９月５日", dt.date(2023, 9, 5)), ("2023年13月5日", None), ("", None),
])
def test_dates(cell, expected):
    assert parse_date(cell) == expected


def test_date_without_year_uses_default():
    assert parse_date("9月5日", 2023) == dt.date(2023, 9, 5)
    assert parse_date("9月5日") is None


def test_cell_flags_xlsx_and_xls(tmp_path):
    import openpyxl
    import xlwt

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "数据"
    ws["B2"] = 0.062
    ws["B2"].number_format = "0.0%"
    ws["C3"].value = "#DIV/0!"
    ws["C3"].data_type = "e"
    wb.save(tmp_path / "a.xlsx")
    flags = sheet_cell_flags(tmp_path / "a.xlsx")["数据"]
    assert (1, 1) in flags.percent and flags.errors[(2, 2)] == "#DIV/0!"

    book = xlwt.Workbook()
    sh = book.add_sheet("数据")
    sh.write(1, 1, 0.062, xlwt.easyxf(num_format_str="0.0%"))
    sh.row(2).set_cell_error(2, 0x2A)
    book.save(str(tmp_path / "a.xls"))
    flags = sheet_cell_flags(tmp_path / "a.xls")["数据"]
    assert (1, 1) in flags.percent and flags.errors[(2, 2)] == "#N/A"


def test_cell_flags_never_raise(tmp_path):
    p = tmp_path / "broken.xlsx"
    p.write_bytes(b"PK\x03\x04broken")
    assert sheet_cell_flags(p) == {}
    assert sheet_cell_flags(tmp_path / "nope.xlsx") == {}


def test_cell_flags_from_the_safety_pass(tmp_path, monkeypatch):
    """read_grids takes the hidden rows and columns, error and percent cells from the parts the
    safety scan inflated and checked (one pass over the package), and gets what a scan of its
    own finds: two sheets, one with a hidden row and column, an error and a percent cell."""
    import openpyxl

    from kaohe_excel.read import engine_calamine, grid, safety

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "一览表"
    ws.append(["序号", "指标名称", "完成值"])
    ws.append([1, "地区生产总值增速", 0.062])
    ws["C2"].number_format = "0.0%"
    ws["C3"].value = "#DIV/0!"
    ws["C3"].data_type = "e"
    ws.row_dimensions[4].hidden = True
    ws["B4"] = "隐藏行"
    ws.column_dimensions["D"].hidden = True
    ws["D1"] = "备用"
    other = wb.create_sheet("说明")
    other["A1"] = "演示数据"
    p = tmp_path / "某县2023年8月月报.xlsx"
    wb.save(p)

    anew = engine_calamine.cell_flags(p)
    kind = safety.check_file(p)
    assert set(kind.parts) >= {"xl/workbook.xml", "xl/styles.xml", "xl/worksheets/sheet1.xml"}

    def no_second_open(*a, **k):
        raise AssertionError("the package was opened again")

    monkeypatch.setattr(engine_calamine.zipfile, "ZipFile", no_second_open)
    kept = engine_calamine.cell_flags(p, None, kind)
    assert kept == anew
    f = kept["一览表"]
    assert (1, 2) in f.percent and f.errors[(2, 2)] == "#DIV/0!" and 3 in f.hidden_rows and 3 in f.hidden_cols
    monkeypatch.undo()

    # and as read_grids uses it: the grids carry the same hidden rows and columns
    grid._FLAG_CACHE.clear()
    g = next(x for x in grid.read_grids(p) if x.sheet == "一览表")
    assert g.hidden_rows == frozenset({3}) and g.hidden_cols == frozenset({3})


def test_cell_flags_name_a_number_formula_kept_without_its_result(tmp_path):
    """A number's formula with no <v>, or an empty one, is flagged with its formula; a formula
    kept with its result, and a text formula whose result is an empty string (t="str"), are not."""
    import re
    import zipfile

    import openpyxl

    from kaohe_excel.read.values import parse_value

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "数据"
    ws["A1"], ws["A2"], ws["A3"], ws["A4"] = "=B1*2", '=IF(B1="","",B1)', "=SUM(B1:B3)", "演示数据"
    src = tmp_path / "a.xlsx"
    wb.save(src)
    dst = tmp_path / "b.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode("utf-8")
                text = re.sub(r'<c r="A2"([^>]*)>', r'<c r="A2"\1 t="str">', text)  # a text result: ""
                text = re.sub(r'(<c r="A3"[^>]*><f>[^<]*</f>)<v\s*/?>(?:</v>)?', r"\g<1><v>6</v>", text)  # kept
                text = re.sub(r'(<c r="A1"[^>]*><f>[^<]*</f>)<v\s*/?>(?:</v>)?', r"\1", text)  # no <v> at all
                data = text.encode("utf-8")
            zout.writestr(item, data)
    flags = sheet_cell_flags(dst)["数据"]
    assert flags.errors == {(0, 0): "=B1*2"}, flags.errors
    assert "公式「=B1*2」" in parse_value("", error=flags.errors[(0, 0)]).message()
    # as the other program wrote them (empty <v>, no type): all three
    assert sheet_cell_flags(src)["数据"].errors == {(0, 0): "=B1*2", (1, 0): '=IF(B1="","",B1)', (2, 0): "=SUM(B1:B3)"}


@pytest.mark.parametrize("cell, value, approx, said", [
    ("约5.5", 5.5, True, "按 5.5 计算"), ("约5.5%", 5.5, True, "按 5.5% 计算"), ("5.5左右", 5.5, True, "按 5.5 计算"),
    ("超过100", 100, True, "按 100 计算"), ("100个以上", 100, True, "按 100个 计算"), ("5万余元", 5, True, "按 5万元 计算"),
    ("近6成", 60, True, "按 60% 计算"), ("6成", 60, False, ""), ("3成以上", 30, True, "按 30% 计算"),
    ("5万元余额", 5, False, ""), ("增长6.2%", 6.2, False, ""), ("12.5万元", 12.5, False, ""), ("已完成6项", 6, False, ""),
])
def test_approximate_figures_are_read_and_said(cell, value, approx, said):
    """约5.5, 5.5左右, 超过100, 5万余元 are read as the figure and said to be approximations (the
    department is asked for the exact one); 6成 is 60 %, not 6; 余额 is no approximation."""
    v = parse_value(cell)
    assert v.status == OK and v.value == value and v.approx is approx
    assert (said in v.message()) if said else v.message() == ""
    assert not approx or "是约数" in v.message() and "请填写准确数值" in v.message()


def test_plain_figures_read_at_once_as_the_full_parse_reads_them(monkeypatch):
    """6.2, 12.2%, -3 (what clerks type most) skip the full parse: the same Value either way."""
    import random
    import re

    from kaohe_excel.read import values as V
    rnd = random.Random(7)
    texts = ["12.2%", "5", "-3.5", "0", "007", "0.5%", "-0", "100%", "3.0", "-12.2%"]
    texts += [f"{rnd.uniform(-1e4, 1e4):.{rnd.randint(0, 6)}f}{rnd.choice(['', '%'])}" for _ in range(500)]
    fast = {(t, pct): V._parse_value(t, pct) for t in texts for pct in (False, True)}
    monkeypatch.setattr(V, "_PLAIN_FIGURE", re.compile(r"(?!)"))  # every text through the full parse
    assert all(V._parse_value(t, pct) == got for (t, pct), got in fast.items())
    assert fast[("12.2%", False)].value == 12.2 and fast[("12.2%", False)].unit == "%"


@pytest.mark.parametrize("text, value, unit", [
    ("1-5月累计12.5亿元", 12.5, "亿元"), ("1—5月下降3.2%", -3.2, "%"), ("2024年1至5月份累计：8.6%", 8.6, "%"),
    ("截至5月底累计1200万元", 1200.0, "万元"), ("5月份完成率98%", 98.0, "%"),
])
def test_the_period_written_before_a_figure_is_its_label_not_its_value(text, value, unit):
    """1-5月累计12.5亿元 is 12.5 (it read 1, with a "several numbers" hint and a false conflict)."""
    v = parse_value(text)
    assert (v.value, v.unit, v.status, v.several) == (value, unit, "ok", False), v
