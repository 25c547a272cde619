"""A department's sheet with both the month's own figure (当月, 本月) and the result to date (累计,
1-8月): the assessment and the peers' 1-8月 table use the result to the end of the month, so the
累计 column is read, whichever comes first, and the sheet says once that 当月 was left (probe 29)."""

import openpyxl
import pytest

from month_fixtures import write_system_xlsx
from kaohe_excel.problems import WARNING
from kaohe_excel.read.workbook import read_submission, read_system


@pytest.fixture(scope="module")
def system(tmp_path_factory):
    return read_system(write_system_xlsx(tmp_path_factory.mktemp("sys") / "附件2.xlsx"))


def _sheet(path, heads, rows, merges=(), dept="发改委"):
    """A title, one or two header rows as given (merged as given), the rows, the sign-off."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "8月"
    ws.append(["附件2"])
    ws.append([f"叶县{dept}2023年1-8月高质量发展综合绩效指标进展情况表"])
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(heads[0]))
    for h in heads:
        ws.append(h)
    for row in rows:
        ws.append(row)
    for rng in merges:
        ws.merge_cells(rng)
    ws.append([f"填报单位（盖章）：叶县{dept}", None, None, "填报日期：2023年9月4日"])
    wb.save(path)
    return path


def _read(path, system):
    sub = read_submission(path, system, folder_month="2023-08", county="叶县")
    return sub, {e.no: e for e in sub.entries}


def _month_notes(sub):
    return [p for p in sub.problems if "当月数" in p.message]


FLAT = ["序号", "指标内容", "分值", "责任单位", "2022年度完成情况（位次）", "2023年度县定目标",
        "8月当月完成", "1-8月累计完成", "六县市排名", "存在问题", "下步举措"]


def test_month_column_first_the_cumulative_one_is_read(tmp_path, system):
    """8月当月完成 | 1-8月累计完成: the leftmost (当月) was read silently (0.4 for 8.7); the 累计 figures
    and its words are the items', one 提示 at the 当月 header names both header cells."""
    path = _sheet(tmp_path / "农业农村局8月报.xlsx", [FLAT], [
        [22, "农村居民人均可支配收入增速", None, "农业农村局", "8.1%（2）", "8%", "0.4%", "8.7%", 1, None, None],
        [24, "高标准农田建设", None, "农业农村局", None, None, "本月新开工2个项目", "项目区已全面开工，正在加快施工", "1/6", None, None],
        [25, "新改造农村户厕达标率", None, "农业农村局", None, "95%", "0.4%", "95.4%", "1/6", None, None],
    ], dept="农业农村局")
    sub, e = _read(path, system)
    assert (e[22].actual, e[22].cell) == (8.7, "H4")
    assert (e[25].actual, e[25].cell) == (95.4, "H6")
    assert (e[24].actual_raw, e[24].words) == ("项目区已全面开工，正在加快施工", True)
    notes = _month_notes(sub)
    assert len(notes) == 1 and notes[0].level == WARNING and notes[0].cell == "G3", sub.problems
    assert "「8月当月完成」（G3）" in notes[0].message and "「1-8月累计完成」（H3）" in notes[0].message


def test_cumulative_column_first_reads_as_before_and_says_so_once(tmp_path, system):
    heads = list(FLAT)
    heads[6], heads[7] = "1-8月累计完成", "8月当月完成"
    path = _sheet(tmp_path / "发改委8月报.xlsx", [heads], [
        [1, "固定资产投资增速", None, "发改委", None, "10%", "7.4%", "0.9%", 2, None, None],
        [6, "亿元及以上新开工产业项目个数", None, "发改委", None, "15", "9个", "2个", 6, None, None],
    ])
    sub, e = _read(path, system)
    assert (e[1].actual, e[1].cell, e[6].actual) == (7.4, "G4", 9)
    notes = _month_notes(sub)
    assert len(notes) == 1 and notes[0].cell == "H3", sub.problems


def test_two_level_header_month_and_cumulative_under_one_parent(tmp_path, system):
    """截至本月底完成情况 merged over 当月 | 累计, the other headers merged down two rows."""
    h1 = ["序号", "指标内容", "分值", "责任单位", "2022年度完成情况（位次）", "2023年度县定目标",
          "截至本月底完成情况", None, "六县市排名", "存在问题", "下步举措"]
    h2 = [None] * 6 + ["当月", "累计"] + [None] * 3
    merges = [f"{c}3:{c}4" for c in "ABCDEFIJK"] + ["G3:H3"]
    path = _sheet(tmp_path / "发改委8月报.xlsx", [h1, h2], [
        [30, "地区生产总值增速", None, "发改委", "6.5%（1）", "7%", "0.8%", "6.9%", 2, None, None],
        [6, "亿元及以上新开工产业项目个数", None, "发改委", "9（4）", "15", "2个", "9个", 6, None, None],
    ], merges=merges)
    sub, e = _read(path, system)
    assert (e[30].actual, e[30].cell, e[30].rank) == (6.9, "H5", 2)
    assert e[6].actual == 9
    notes = _month_notes(sub)
    assert len(notes) == 1 and notes[0].cell == "G4", sub.problems
    assert "「当月」（G4）" in notes[0].message and "「累计」（H4）" in notes[0].message


def test_growth_beside_the_amounts_is_the_rate_of_growth_items(tmp_path, system):
    """本月完成 | 累计完成 | 同比增长: growth items take 同比增长 (they read 3.2亿元 from 本月完成 and were
    refused as 总量), counts and shares the 累计 figure (9个, not the month's 2个)."""
    heads = ["序号", "指标内容", "责任单位", "2023年度县定目标", "本月完成", "累计完成", "同比增长", "六县市排名", "存在问题"]
    path = _sheet(tmp_path / "发改委8月报.xlsx", [heads], [
        [1, "固定资产投资增速", "发改委", "10%", "3.2亿元", "25.6亿元", "7.4%", 2, None],
        [6, "亿元及以上新开工产业项目个数", "发改委", "15", "2个", "9个", "—", 6, None],
        [20, "常住人口城镇化率", "发改委", "60%", "—", "59.8%", "—", 2, None],
        [30, "地区生产总值增速", "发改委", "7%", "30.1亿元", "221.4亿元", "6.9%", 2, None],
    ])
    sub, e = _read(path, system)
    assert (e[1].actual, e[1].cell) == (7.4, "G4")
    assert (e[30].actual, e[30].cell) == (6.9, "G7")
    assert (e[6].actual, e[6].cell) == (9, "F5")
    assert (e[20].actual, e[20].cell) == (59.8, "F6")
    assert not [p for p in sub.problems if "总量" in p.message], sub.problems
    assert len(_month_notes(sub)) == 1


def test_month_and_to_date_each_with_its_growth(tmp_path, system):
    """当月 | 累计 each over 完成值 | 增速: the rate is the 累计 one, never the month's."""
    h1 = ["序号", "指标内容", "责任单位", "当月", None, "累计", None, "六县市排名"]
    h2 = [None, None, None, "完成值", "增速", "完成值", "增速", None]
    merges = [f"{c}3:{c}4" for c in "ABCH"] + ["D3:E3", "F3:G3"]
    path = _sheet(tmp_path / "发改委8月报.xlsx", [h1, h2], [
        [1, "固定资产投资增速", "发改委", "3.2亿元", "1.1%", "25.6亿元", "7.4%", 2],
        [6, "亿元及以上新开工产业项目个数", "发改委", "2个", None, "9个", None, 6],
    ], merges=merges)
    sub, e = _read(path, system)
    assert (e[1].actual, e[1].cell) == (7.4, "G5")
    assert e[6].actual == 9


def test_blank_cumulative_cell_beside_a_month_figure_is_said(tmp_path, system):
    """Only the month's figure written: no figure this month, a 提示 at the blank 累计 cell naming the
    当月 one (not read silently as nothing, nor as the result to date)."""
    path = _sheet(tmp_path / "发改委8月报.xlsx", [FLAT], [
        [1, "固定资产投资增速", None, "发改委", None, "10%", "0.9%", "7.4%", 2, None, None],
        [6, "亿元及以上新开工产业项目个数", None, "发改委", None, "15", "2个", None, 6, None, None],
    ])
    sub, e = _read(path, system)
    assert (e[6].actual, e[6].actual_raw, e[6].rank) == (None, "", 6)
    said = [p for p in sub.problems if p.cell == "H5"]
    assert said and said[0].level == WARNING and "G5" in said[0].message and "2个" in said[0].message, sub.problems


def test_words_merged_across_month_and_cumulative_are_the_rows(tmp_path, system):
    """正常推进 merged over 当月 | 累计 (as clerks do for a text item) is the item's words."""
    path = _sheet(tmp_path / "发改委8月报.xlsx", [FLAT], [
        [1, "固定资产投资增速", None, "发改委", None, "10%", "0.9%", "7.4%", 2, None, None],
        [44, "认真做好社会信用体系建设工作", None, "发改委", None, None, "正常推进", None, None, None, None],
    ], merges=["G5:H5"])
    sub, e = _read(path, system)
    assert (e[44].actual_raw, e[44].words) == ("正常推进", True)
    assert not [p for p in sub.problems if p.cell == "H5"], sub.problems


def test_a_lone_month_column_reads_as_before_without_a_note(tmp_path, system):
    """Only 本月完成 (as many sheets title their one result column): read as ever; nothing beside it
    says it is the month's own figure rather than the report of the month, so no 提示."""
    heads = ["序号", "指标内容", "责任单位", "2023年度县定目标", "本月完成", "六县市排名", "存在问题"]
    path = _sheet(tmp_path / "发改委8月报.xlsx", [heads], [
        [1, "固定资产投资增速", "发改委", "10%", "7.4%", 2, None],
        [6, "亿元及以上新开工产业项目个数", "发改委", "15", "9个", 6, None],
    ])
    sub, e = _read(path, system)
    assert (e[1].actual, e[1].cell, e[6].actual) == (7.4, "E4", 9)
    assert not _month_notes(sub) and not [p for p in sub.problems if "当月" in p.message], sub.problems
