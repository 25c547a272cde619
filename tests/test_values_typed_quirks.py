"""Figures as clerks type them with an IME, Alt+Enter and no year (an acceptance probe
found each read wrong without a word): unit tests of values, then the same cells read
from a workbook through the readers."""

import datetime as dt

import pytest

from month_fixtures import Row, Sheet, write_sheet_xlsx, write_system_xlsx
from kaohe_excel import api
from kaohe_excel.config import Config
from kaohe_excel.problems import WARNING
from kaohe_excel.read.values import OK, TEXT, as_rate_of, parse_date, parse_value
from kaohe_excel.read.workbook import read_submission, read_system


@pytest.fixture(scope="module")
def system(tmp_path_factory):
    return read_system(write_system_xlsx(tmp_path_factory.mktemp("sys") / "附件2.xlsx"))


def _read(tmp_path, system, rows, dept="发改委", **sheet):
    path = write_sheet_xlsx(tmp_path / f"叶县{dept}{sheet.get('month', 8)}月指标进展情况.xlsx", Sheet(dept, rows, **sheet))
    sub = read_submission(path, system, folder_month=f"{sheet.get('year', 2023)}-{sheet.get('month', 8):02d}",
                          county="叶县")
    return sub, {e.no: e for e in sub.entries}


# --- a line break (Alt+Enter) before the bracketed rank ----------------------

@pytest.mark.parametrize("cell, value, rank", [
    ("1.7%\n（3）", 1.7, 3), ("7.4%\n（第2名）", 7.4, 2), ("22个\r\n(3)", 22, 3), ("4.2%，\n第3名", 4.2, 3),
])
def test_rank_after_a_line_break_is_the_rank(cell, value, rank):
    v = parse_value(cell)
    assert (v.value, v.rank, v.several) == (value, rank, False)


def test_wrapped_ranks_read_through_the_readers(tmp_path, system):
    sub, e = _read(tmp_path, system, [
        Row(1, "固定值产 投资增速", "7.4%\n（第2名）", "", "1.7%\n（3）", "8%"),
        Row(6, "亿元及以上新开 工产业项目个数", "9个", 6, "22个\n（3）", "25个"),
    ])
    assert (e[1].actual, e[1].rank, e[1].rank_raw, e[1].last_year, e[1].last_year_rank) == (7.4, 2, "第2名", 1.7, 3)
    assert (e[6].last_year, e[6].last_year_rank) == (22, 3)
    assert not [p for p in sub.problems if "多个数字" in p.message]


def test_several_numbers_in_last_year_are_said(tmp_path, system):
    sub, e = _read(tmp_path, system, [Row(1, "固定值产 投资增速", "7.4%", 2, "1.7%（第3名，较上年提升1位）", "8%")])
    assert e[1].last_year == 1.7
    said = [p for p in sub.problems if p.cell.startswith("E") and "多个数字" in p.message]
    assert said and said[0].level == WARNING and said[0].message.startswith("上年完成情况")


# --- a thousands separator typed as a Chinese (full-width) comma -------------

@pytest.mark.parametrize("cell, value, unit", [
    ("3，359人", 3359, "人"), ("4，067", 4067, ""), ("１，２３４", 1234, ""), ("1，234，567.5万元", 1234567.5, "万元"),
    ("3，359人（4）", 3359, "人"),
])
def test_chinese_comma_between_digit_groups_is_a_thousands_separator(cell, value, unit):
    v = parse_value(cell)
    assert (v.status, v.value, v.unit, v.several) == (OK, value, unit, False)


@pytest.mark.parametrize("cell, first", [("12，3项", 12), ("完成5个，在建3个", 5), ("1234，567", 1234), ("3，3590", 3)])
def test_chinese_comma_between_two_numbers_is_not(cell, first):
    v = parse_value(cell)
    assert v.value == first and v.several


def test_chinese_comma_thousands_through_the_readers(tmp_path, system):
    sub, e = _read(tmp_path, system, [
        Row(33, "城镇新增就业人数", "3，359人", 4, "5832人（3）", "6000人"),
        Row(34, "新增从业人员持证人数", "4，067", 6, "7，120人（2）", "7500人"),
    ], dept="人社局")
    assert (e[33].actual, e[33].rank, e[34].actual, e[34].last_year, e[34].last_year_rank) == (3359, 4, 4067, 7120, 2)
    assert not [p for p in sub.problems if "多个数字" in p.message]


# --- a minus typed another way -----------------------------------------------

@pytest.mark.parametrize("cell, value", [
    ("–6.9%", -6.9), ("—7.4%", -7.4), ("——7.4%", -7.4), ("― 3.1", -3.1), ("负9", -9), ("↓2.1%", -2.1), ("↑2.1%", 2.1),
    ("（–3.1%）", -3.1), ("较上月↓0.3个百分点", -0.3),
    # kept as before
    ("－7.4%", -7.4), ("（2.1）", -2.1), ("-5.6%", -5.6), ("负增长6.9%", -6.9), ("下降3.1%", -3.1),
])
def test_minus_as_typed(cell, value):
    v = parse_value(cell)
    assert (v.status, v.value, v.several) == (OK, value, False)


@pytest.mark.parametrize("cell", ["—", "——", "-", "－", "–", "―", " — "])
def test_a_dash_alone_is_still_no_figure(cell):
    assert parse_value(cell).missing


@pytest.mark.parametrize("cell", ["3–5", "3—5个", "3-5"])
def test_a_dash_between_numbers_is_a_range_not_a_sign(cell):
    v = parse_value(cell)
    assert v.value == 3 and v.several


def test_arrows_in_a_reduction_rate_are_what_happened():
    assert as_rate_of("单位GDP能耗降低率", parse_value("↓2.1%")).value == 2.1
    assert as_rate_of("单位GDP能耗降低率", parse_value("↑2.1%")).value == -2.1


def test_minus_as_typed_through_the_readers(tmp_path, system):
    sub, e = _read(tmp_path, system, [
        Row(1, "固定值产 投资增速", "—7.4%", 2, "1.7%（3）", "8%"),
        Row(6, "亿元及以上新开 工产业项目个数", "负9", 6),
        Row(15, "规模以上工业战略性新兴产业增加值增速", "↓2.1%", 6),
        Row(19, "第三产业增加值占生产总值比重及增长速度", "－5.6%", 5),
        Row(20, "常住人口 城镇化率", "——", ""),
        Row(30, "地区生产总值 增速", "–6.9%", 2),
    ])
    assert {n: x.actual for n, x in e.items()} == {1: -7.4, 6: -9, 15: -2.1, 19: -5.6, 20: None, 30: -6.9}
    assert e[30].actual_raw == "–6.9%"


# --- a 填报日期 without its year -----------------------------------------------

@pytest.mark.parametrize("cell, month, expected", [
    ("1月8日", "2023-12", dt.date(2024, 1, 8)),  # the 1–12月 report, filled next January
    ("填报日期：2月3日", "2023-11", dt.date(2024, 2, 3)),
    ("9月5日", "2023-08", dt.date(2023, 9, 5)), ("8月31日", "2023-08", dt.date(2023, 8, 31)),
    ("7月28日", "2023-08", dt.date(2023, 7, 28)),  # a little before the month: filled ahead, not next July
    ("12月30日", "2024-01", dt.date(2023, 12, 30)),
    ("2023年1月8日", "2023-12", dt.date(2023, 1, 8)),  # a year written is kept as written
])
def test_a_date_without_its_year_follows_the_month_reported(cell, month, expected):
    assert parse_date(cell, int(month[:4]), month=month) == expected


def test_december_report_filled_in_january_is_next_year_and_late(tmp_path, system):
    sub, e = _read(tmp_path, system, [Row(1, "固定值产 投资增速", "7.4%", 2, "1.7%（3）", "8%")], month=12,
                   filled="1月8日")
    assert (sub.month, sub.filled_date) == ("2023-12", "2024-01-08")
    assert Config().is_late(sub.month, dt.date.fromisoformat(sub.filled_date))


# --- a count that opens a sentence about progress is words ---------------------

@pytest.mark.parametrize("cell", ["10件民生实事均按序时推进", "9个项目已开工", "10项工作正常推进", "10余件民生实事均按序时推进",
                                  "3个重点项目正常推进", "9个项目已开工（第2名）"])
def test_a_count_opening_a_sentence_is_words(cell):
    v = parse_value(cell)
    assert (v.status, v.value) == (TEXT, None)


@pytest.mark.parametrize("cell, value, unit", [
    ("9个", 9, "个"), ("22个（3）", 22, "个"), ("3.4亿元", 3.4, "亿元"), ("12件", 12, "件"), ("9个项目", 9, "个项目"),
    ("12件已办结", 12, "件已办结"), ("5832人已就业", 5832, "人已就业"), ("100个以上", 100, "个以上"),
    ("6.3个百分点", 6.3, "个百分点"), ("形成2项以上标志性成果", 2, "项以上标志性"),
])
def test_a_count_with_its_unit_stays_a_figure(cell, value, unit):
    v = parse_value(cell)
    assert (v.status, v.value, v.unit) == (OK, value, unit)


def test_a_count_opening_a_sentence_is_qualitative_through_the_assessment(tmp_path):
    write_system_xlsx(tmp_path / "input" / "附件2：叶县2023年度高质量发展综合绩效指标完成情况一览表.xlsx")
    write_sheet_xlsx(tmp_path / "input" / "2023-08" / "叶县督查局2023年8月指标进展情况.xlsx",
                     Sheet("督查局", [Row(32, "市重点民生实事 任务落实", "10件民生实事均按序时推进", "")]))
    write_sheet_xlsx(tmp_path / "input" / "2023-08" / "叶县发改委2023年8月指标进展情况.xlsx",
                     Sheet("发改委", [Row(6, "亿元及以上新开 工产业项目个数", "9个", 6)]))
    result = api.results(tmp_path, "2023-08")["2023-08"]["叶县"]
    r = {x.no: x for x in result.indicators}
    assert (r[32].actual, r[32].qualitative, r[32].display) == (None, True, "10件民生实事均按序时推进")
    assert "无数据" not in r[32].colour_reason
    assert (r[6].actual, r[6].qualitative, r[6].rank) == (9, False, 6)


# acceptance probe 29: an estimate or a bound is a figure said to be one; a rank typed +1 is a change
@pytest.mark.parametrize("raw, value", [("7.4%（预计）", 7.4), ("预计7.4%", 7.4), ("7.4%(预估)", 7.4),
                                        ("≥59.8%", 59.8), ("不低于5%", 5.0), ("＞5%", 5.0)])
def test_an_estimate_or_a_bound_is_read_and_said(raw, value):
    from kaohe_excel.read.values import parse_value

    v = parse_value(raw)
    assert v.value == pytest.approx(value) and v.approx and "约数" in v.message()


@pytest.mark.parametrize("raw", ["7.4%", "增长7.4%", "下降3.1%"])
def test_a_plain_figure_is_no_estimate(raw):
    from kaohe_excel.read.values import parse_value

    assert not parse_value(raw).approx


@pytest.mark.parametrize("raw", ["+1", "＋2"])
def test_a_rank_typed_with_a_plus_is_a_change_not_a_place(raw):
    from kaohe_excel.read.values import parse_rank

    r = parse_rank(raw, 6)
    assert r.rank is None and "位次变化" in r.message


@pytest.mark.parametrize("raw, want", [("二〇二三年九月八日", "2023-09-08"), ("二〇二三年十二月二十八日", "2023-12-28"),
                                       ("9.8", "2023-09-08"), ("9/8", "2023-09-08"), ("9.8日", "2023-09-08")])
def test_a_filled_date_in_words_or_month_dot_day(raw, want):
    """Probe 29: 二〇二三年九月八日 (an official date) and 9.8 were unread, a late report never late."""
    from kaohe_excel.read.values import parse_date

    assert parse_date(raw, month="2023-08").isoformat() == want
