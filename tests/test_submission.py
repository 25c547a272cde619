"""A department's monthly sheet, filled the way departments fill it."""

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from month_fixtures import Row, Sheet, write_sheet_xls, write_sheet_xlsx, write_system_xlsx
from kaohe_excel.problems import ERROR, WARNING, InputError
from kaohe_excel.model import IndicatorKey as K
from kaohe_excel.read.matching import IndicatorMatcher
from kaohe_excel.read.submission import month_from_text
from kaohe_excel.read.workbook import read_submission, read_submissions, read_system
from kaohe_excel.units import DepartmentIndex


@pytest.fixture(scope="module")
def system(tmp_path_factory):
    p = write_system_xlsx(tmp_path_factory.mktemp("sys") / "附件2.xlsx")
    return read_system(p)


def _by_no(sub):
    return {e.no: e for e in sub.entries}


def _problems(sub, level=None):
    return [p for p in sub.problems if level is None or p.level == level]


NOTATIONS = [
    Row(1, "固定值产 投资增速", "增长6.2%", "第3名", "8.1%（2）", "10%"),
    Row(6, "亿元及以上新开 工产业项目个数", "12个", "3/6", "9（4）", "15"),
    Row(30, "地区生产总值 增速", "下降3.1%", "６", "6.5%(1)", "7%"),
    Row(15, "规模以上工业战略性新兴产业增加值增速", 0.062, "第三名", percent_format=True),
    Row(19, "第三产业增加值占生产总值比重及增长速度", "39.5%（4）", ""),
    Row(20, "常住人口 城镇化率", "—", ""),
    Row(44, "认真做好社会信用体系建设工作", "已完成", "'2"),
    Row(34, "新增从业人员持证人数", "1,234.5", "第2位"),
]


@pytest.mark.parametrize("writer", [write_sheet_xlsx, write_sheet_xls], ids=["xlsx", "xls"])
def test_official_layout_every_notation(tmp_path, system, writer):
    sheet = Sheet("发改委", NOTATIONS, blank_rows_at=(2, 5), sections=True, sheet_name="8月",
                  extra_sheets=["Sheet2", "Sheet3"])
    path = writer(tmp_path / ("发改委8月报" + (".xlsx" if writer is write_sheet_xlsx else ".xls")), sheet)
    sub = read_submission(path, system, folder_month="2023-08", county="叶县")
    assert sub.department == "发改委"
    assert sub.month == "2023-08"
    assert sub.sheet == "8月"
    assert sub.filled_date == "2023-09-04"
    assert sub.signoff["填报人"] == "示例填报人" and sub.signoff["联系电话"] == "示例电话"
    e = _by_no(sub)
    assert [x.no for x in sub.entries] == [1, 6, 30, 15, 19, 20, 44, 34]
    assert (e[1].actual, e[1].actual_raw, e[1].rank, e[1].rank_raw) == (6.2, "增长6.2%", 3, "第3名")
    assert e[1].name == "固定资产投资增速" or e[1].key == K(1)
    assert (e[1].last_year, e[1].last_year_rank, e[1].target) == (8.1, 2, 10)
    assert (e[6].actual, e[6].rank, e[6].rank_raw) == (12, 3, "3/6")
    assert (e[6].last_year, e[6].last_year_rank) == (9, 4)
    assert (e[30].actual, e[30].rank) == (-3.1, 6)
    assert e[15].actual == pytest.approx(6.2) and e[15].actual_raw == "6.2%" and e[15].rank == 3
    assert (e[19].actual, e[19].rank) == (39.5, 4)  # rank in brackets beside the value
    assert e[20].actual is None and e[20].actual_raw == "—" and e[20].rank is None
    assert e[44].actual is None and e[44].actual_raw == "已完成" and e[44].rank == 2
    assert e[34].actual == 1234.5 and e[34].rank == 2
    # cells: title row 2, header row 3, a section row 4, blank rows before rows 3 and 6
    assert e[1].cell == "G5" and e[1].rank_cell == "H5"
    assert e[30].cell == "G8"
    assert all(x.file == path.name and x.sheet == "8月" for x in sub.entries)
    assert _problems(sub, ERROR) == []


def test_excel_errors_and_bad_ranks_are_problems_with_cells(tmp_path, system):
    rows = [Row(1, "固定资产投资增速", "", "3", error="#DIV/0!"),
            Row(6, "亿元及以上新开工产业项目个数", "5", 7),
            Row(30, "地区生产总值增速", "5%", 0),
            Row(20, "常住人口城镇化率", "#N/A", "-2"),
            Row(19, "第三产业增加值占生产总值比重及增长速度", "5%", "靠前")]
    for writer, suffix in ((write_sheet_xlsx, ".xlsx"), (write_sheet_xls, ".xls")):
        sub = read_submission(writer(tmp_path / f"发改委{suffix}", Sheet("发改委", rows)), system, n_peers=6)
        errs = {p.cell: p.message for p in _problems(sub, ERROR)}
        assert "Excel 错误值「#DIV/0!」" in errs["G4"], errs
        assert "超出参评县市数" in errs["H5"]
        assert "不是有效名次" in errs["H6"]
        assert "#N/A" in errs["G7"] and "负数" in errs["H7"]
        assert "无法识别" in errs["H8"]
        e = _by_no(sub)
        assert e[1].actual is None and e[1].actual_raw == "#DIV/0!" and e[1].rank == 3
        assert e[6].rank is None and e[6].rank_raw == "7"
        assert all(p.file == f"发改委{suffix}" and p.sheet == "Sheet1" for p in sub.problems)


def _with_results(src: Path, dst: Path, results: dict[str, str]) -> Path:
    """`src` as Excel or WPS saves it: each formula cell's result kept (<v>) beside its formula."""
    import re
    import zipfile

    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                text = data.decode("utf-8")
                for ref, v in results.items():
                    text, n = re.subn(rf'(<c r="{ref}"[^>]*><f>[^<]*</f>)<v\s*/?>(?:</v>)?', rf"\g<1><v>{v}</v>", text)
                    assert n == 1, ref
                data = text.encode("utf-8")
            zout.writestr(item, data)
    return dst


def test_a_formula_saved_without_its_result_is_named(tmp_path, system):
    """A sheet made by another program (a script, a business system's export) keeps the formulas
    of 完成值 and 排名 but not their results: calamine reads those cells as empty. The clerk is
    told which cell, which formula, and to open and save it in Excel or WPS; the same file with
    the results kept (as Excel and WPS save it) reads the figures, with no problem."""
    rows = [Row(1, "固定资产投资增速", "=36/50", "=1+2"), Row(6, "亿元及以上新开工产业项目个数", "12个", "第2名")]
    bare = write_sheet_xlsx(tmp_path / "发改委.xlsx", Sheet("发改委", rows))
    sub = read_submission(bare, system, n_peers=6)
    errs = {p.cell: p.message for p in _problems(sub, ERROR)}
    assert "公式「=36/50」" in errs["G4"] and "没有保存计算结果" in errs["G4"] and "WPS" in errs["G4"], errs
    assert "公式「=1+2」" in errs["H4"] and "排名" in errs["H4"], errs
    e = _by_no(sub)
    assert e[1].actual is None and e[1].rank is None and e[6].actual == 12
    saved = _with_results(bare, tmp_path / "发改委（已保存）.xlsx", {"G4": "0.72", "H4": "3"})
    sub = read_submission(saved, system, n_peers=6)
    assert not _problems(sub, ERROR), _problems(sub)
    assert (_by_no(sub)[1].actual, _by_no(sub)[1].rank) == (0.72, 3)


def test_an_approximate_figure_is_read_and_named(tmp_path, system):
    """约7.5% is read as 7.5 with a warning at its cell; 近6成 is 60 %; an exact figure says nothing."""
    rows = [Row(1, "固定资产投资增速", "约7.5%", "3"), Row(20, "常住人口城镇化率", "近6成", "2"),
            Row(6, "亿元及以上新开工产业项目个数", "12个", "1")]
    sub = read_submission(write_sheet_xlsx(tmp_path / "发改委.xlsx", Sheet("发改委", rows)), system, n_peers=6)
    warns = {p.cell: p.message for p in _problems(sub, WARNING)}
    assert "「约7.5%」是约数，按 7.5% 计算" in warns["G4"] and "「近6成」是约数，按 60% 计算" in warns["G5"], warns
    assert "G6" not in warns and not _problems(sub, ERROR)
    e = _by_no(sub)
    assert (e[1].actual, e[20].actual, e[6].actual) == (7.5, 60, 12)


def test_header_synonyms(tmp_path, system):
    header = ["序号", "指标名称", "分值", "牵头单位", "上年完成情况", "本年目标", "1-8月完成", "全市位次", "预警", "存在的问题",
              "下一步工作措施"]
    rows = [Row(21, "城镇居民人均可支配收入增速", "6.5%", "第2名", "5.9%", "7%", issues="示例问题", steps="示例举措",
                warning="绿")]
    sub = read_submission(write_sheet_xlsx(tmp_path / "人社局.xlsx", Sheet("人社局", rows, header=header)), system)
    e = sub.entries[0]
    assert (e.no, e.actual, e.rank, e.last_year, e.target) == (21, 6.5, 2, 5.9, 7)
    assert (e.issues_text, e.next_steps, e.warning_raw) == ("示例问题", "示例举措", "绿")
    assert sub.department == "人社局"


def test_other_header_wordings(tmp_path, system):
    header = ["序号", "指标内容", "责任单位", "2022年度完成情况（位次）", "2023年度县定目标", "截至本月底完成情况", "六县市排名"]
    rows = [Row(33, "城镇新增就业人数", "3,120人", "第一名", "39.5%（4）", "4000")]
    sub = read_submission(write_sheet_xlsx(tmp_path / "x.xlsx", Sheet("人社局", rows, header=header)), system)
    e = sub.entries[0]
    assert (e.actual, e.rank, e.last_year, e.last_year_rank, e.target) == (3120, 1, 39.5, 4, 4000)


def test_two_row_header(tmp_path, system):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["叶县工信局2023年1-8月指标进展情况"])
    ws.append(["序号", "指标名称", "责任单位", "2022年", None, "截至本月底", None, "存在问题"])
    ws.append([None, None, None, "完成情况", "位次", "完成值", "排名", None])
    ws.append([7, "规模以上工业企业研发费用支出增速", "工信局", "12%", 3, "15.2%", "2", ""])
    ws.append([10, "高新技术企业净增数", "工信局", "8", "第1名", "5家", "3/6", "示例"])
    for rng in ("A2:A3", "B2:B3", "C2:C3", "D2:E2", "F2:G2", "H2:H3"):
        ws.merge_cells(rng)
    ws.append(["填报单位（盖章）：叶县工业和信息化局", None, None, "填报日期：2023年9月3日"])
    wb.save(tmp_path / "工信.xlsx")
    sub = read_submission(tmp_path / "工信.xlsx", system)
    e = _by_no(sub)
    assert (e[7].actual, e[7].rank, e[7].last_year, e[7].last_year_rank) == (15.2, 2, 12, 3)
    assert (e[10].actual, e[10].rank, e[10].last_year, e[10].last_year_rank) == (5, 3, 8, 1)
    assert sub.department == "工信局" and sub.month == "2023-08" and sub.filled_date == "2023-09-03"


def test_signoff_in_separate_cells_and_date_cell(tmp_path, system):
    sheet = Sheet("财政局", [Row(8, "地方一般公共预算科学技术支出增速", "9.1%", 2)], signoff_layout="cells",
                  filled=dt.date(2023, 9, 6))
    for writer, name in ((write_sheet_xlsx, "a.xlsx"), (write_sheet_xls, "a.xls")):
        sub = read_submission(writer(tmp_path / name, sheet), system)
        assert sub.filled_date == "2023-09-06"
        assert sub.signoff["填报单位"] == "叶县财政局" and sub.department == "财政局"
        assert sub.signoff["主要负责人"] == "示例负责人"


def test_department_from_full_name_in_signoff(tmp_path, system):
    sheet = Sheet("", [Row(21, "城镇居民人均可支配收入增速", "6%", 1, unit="")], signoff_unit="叶县人力资源和社会保障局（盖章）",
                  title="2023年1-8月高质量发展指标进展情况表")
    sub = read_submission(write_sheet_xlsx(tmp_path / "报表.xlsx", sheet), system)
    assert sub.department == "人社局"


def test_department_from_file_name_only(tmp_path, system):
    sheet = Sheet("", [Row(31, "社会消费品零售总额增速", "5%", 2, unit="")], signoff_unit="",
                  title="2023年1-8月指标进展情况表")
    sub = read_submission(write_sheet_xlsx(tmp_path / "叶县商务局8月报.xlsx", sheet), system)
    assert sub.department == "商务局"


def test_department_disagreement_is_reported(tmp_path, system):
    sheet = Sheet("商务局", [Row(31, "社会消费品零售总额增速", "5%", 2)], signoff_unit="叶县财政局")
    sub = read_submission(write_sheet_xlsx(tmp_path / "商务局.xlsx", sheet), system)
    assert sub.department == "财政局"  # the sign-off line speaks for the sheet
    msgs = [p.message for p in _problems(sub, WARNING)]
    assert any("责任单位不一致" in m and "商务局" in m and "财政局" in m for m in msgs)
    assert next(p for p in sub.problems if "责任单位不一致" in p.message).cell == "A6"  # the sign-off line


def test_department_unknown(tmp_path, system):
    sheet = Sheet("", [Row(31, "社会消费品零售总额增速", "5%", 2, unit="")], signoff_unit="", title="进展情况表")
    sub = read_submission(write_sheet_xlsx(tmp_path / "报表.xlsx", sheet), system, folder_month="2023-08")
    assert sub.department is None
    assert any("无法确定报送单位" in p.message for p in sub.problems)


def test_month_sources_and_disagreement(tmp_path, system):
    rows = [Row(31, "社会消费品零售总额增速", "5%", 2)]
    sub = read_submission(write_sheet_xlsx(tmp_path / "商务局.xlsx", Sheet("商务局", rows, month=7)), system,
                          folder_month="2023-08")
    assert sub.month == "2023-07"  # what the sheet says
    warn = [p for p in sub.problems if "月份不一致" in p.message]
    assert warn and "表内标题为2023年7月" in warn[0].message and "文件夹为2023年8月" in warn[0].message
    assert warn[0].cell == "A2"  # the title
    # no month in the title: the file name, then the folder
    sub = read_submission(write_sheet_xlsx(tmp_path / "商务局2023年6月.xlsx", Sheet("商务局", rows, title="指标进展情况表")),
                          system)
    assert sub.month == "2023-06"
    sub = read_submission(write_sheet_xlsx(tmp_path / "商务局.xlsx", Sheet("商务局", rows, title="指标进展情况表")),
                          system, folder_month="2023-08")
    assert sub.month == "2023-08"


@pytest.mark.parametrize("text, month", [
    ("叶县发改委2023年1-8月高质量发展综合绩效指标进展情况表", "2023-08"), ("截至8月底完成情况", "2023-08"),
    ("2023-08", "2023-08"), ("2023年8月", "2023-08"), ("8月份发改委月报", "2023-08"), ("202308发改委", "2023-08"),
    ("2023年1—12月", "2023-12"), ("八月份", "2023-08"), ("9月4日报送", None), ("发改委报表", None),
])
def test_month_from_text(text, month):
    assert month_from_text(text, 2023) == month


def test_typo_and_wrap_spaces_match(system):
    m = IndicatorMatcher(system)
    assert m.match(1, "固定值产 投资增速").indicator.no == 1
    assert m.match(None, "固定值产 投资增速").indicator.no == 1
    assert m.match(None, "规模以上工业高新技术产业增加值增涑").indicator.no == 16
    assert m.match(None, "城镇居民人均可 支配收入增速").indicator.no == 21
    assert m.match(None, "农村居民人均可支配收入增速").indicator.no == 22
    assert m.match(28, "PM2.5平均浓度").indicator.no == 28
    assert m.match(None, "研发费用支出增速").indicator.no == 7


def test_one_matcher_per_system_until_its_indicators_change(system):
    """A province's month matches 120 sheets against one system with one matcher, its answers
    kept; a system whose names changed (a clerk's fix, read again) gets a matcher of its own."""
    import copy

    from kaohe_excel.read.matching import matcher_for
    m = matcher_for(system)
    assert matcher_for(system) is m
    first = m.match(1, "固定值产 投资增速")
    assert m.match(1, "固定值产 投资增速") is first and first.indicator.no == 1
    other = copy.deepcopy(system)
    other.indicators[0].name = "全社会研发投入强度"
    assert matcher_for(other) is not m
    assert matcher_for(other).match(None, "全社会研发投入强度").indicator.no == 1
    other.indicators[0].name = "重点项目完成投资"  # changed after its matcher was made
    assert matcher_for(other).match(None, "重点项目完成投资").indicator.no == 1


def test_number_and_name_disagree(tmp_path, system):
    rows = [Row(2, "地区生产总值增速", "5%", 2),  # 2 is 工业投资占比; the name is 30
            Row(99, "毫不相干的事项", "5", 1),
            Row(31, "完全不同的名称", "5%", 2),
            Row(77, "社会消费品零售总额增速", "6%", 3)]
    sub = read_submission(write_sheet_xlsx(tmp_path / "a.xlsx", Sheet("发改委", rows)), system)
    errs = {p.cell: p.message for p in _problems(sub, ERROR)}
    assert "第 2 项" in errs["B4"] and "第 30 项" in errs["B4"]
    assert "未能对应" in errs["B5"]
    assert "对不上" in errs["B6"]
    warns = {p.cell: p.message for p in _problems(sub, WARNING)}
    assert "序号「77」在指标体系中不存在" in warns["A7"]
    assert [e.no for e in sub.entries] == [31]


def test_local_numbering_is_matched_by_name(tmp_path, system):
    rows = [Row(1, "城镇居民人均可支配收入增速", "6%", 2), Row(2, "城镇新增就业人数", "3000", 3),
            Row(3, "新增从业人员持证人数", "4000", 1)]
    sub = read_submission(write_sheet_xlsx(tmp_path / "人社.xlsx", Sheet("人社局", rows)), system)
    assert [e.no for e in sub.entries] == [21, 33, 34]
    assert any("自编序号" in p.message for p in sub.problems)
    assert not _problems(sub, ERROR)


def test_duplicate_row_in_a_sheet(tmp_path, system):
    rows = [Row(31, "社会消费品零售总额增速", "5%", 2), Row(31, "社会消费品零售总额增速", "6%", 1)]
    sub = read_submission(write_sheet_xlsx(tmp_path / "a.xlsx", Sheet("商务局", rows)), system)
    assert len(sub.entries) == 1 and sub.entries[0].actual == 5
    assert any("重复" in p.message and p.cell == "B5" for p in sub.problems)


def test_without_system_rows_keep_their_numbers(tmp_path):
    sub = read_submission(write_sheet_xlsx(tmp_path / "a.xlsx", Sheet("商务局", [Row(31, "社会消费品零售总额增速", "5%", 2)])))
    assert sub.entries[0].no == 31 and sub.entries[0].actual == 5 and sub.department == "商务局"


def test_not_a_monthly_sheet(tmp_path, system):
    wb = openpyxl.Workbook()
    wb.active.append(["姓名", "电话"])
    wb.active.append(["示例", "示例电话"])
    wb.save(tmp_path / "通讯录.xlsx")
    with pytest.raises(InputError) as exc:
        read_submission(tmp_path / "通讯录.xlsx", system)
    assert "没有找到月报表格" in exc.value.problem.message


def test_several_month_sheets_in_one_file(tmp_path, system):
    rows7 = [Row(31, "社会消费品零售总额增速", "4%", 3)]
    rows8 = [Row(31, "社会消费品零售总额增速", "5%", 2)]
    path = write_sheet_xlsx(tmp_path / "商务局.xlsx", [Sheet("商务局", rows7, month=7, sheet_name="7月"),
                                                     Sheet("商务局", rows8, month=8, sheet_name="8月")])
    subs = read_submissions(path, system, folder_month="2023-08")
    assert len(subs) == 1 and subs[0].sheet == "8月" and subs[0].entries[0].actual == 5
    assert any("7月" in p.message and "未采用" in p.message for p in subs[0].problems)


def test_department_index(system):
    d = DepartmentIndex.from_system(system, "叶县")
    assert "金融工作服务中心" in d.canonical and "金融工作服务" not in d.canonical
    assert d.resolve("叶县发展和改革委员会") == "发改委"
    assert d.resolve("县委县政府督查局") == "督查局"
    assert d.resolve("叶县人民政府办公室") == "政府办"
    assert d.resolve("叶县文化广电和旅游局") == "文广旅局"
    assert d.resolve("县统计局") is None
    assert d.find_in("2023年8月份叶县工信局月报") == "工信局"


def test_the_shared_characters_bound_never_says_less_than_the_ratios_it_spares():
    """text.similarity_bound stands before rapidfuzz's and difflib's ratios (department names,
    peer row names): a pair it puts below a threshold must be below it by the ratio too, or a
    department would lose its match."""
    import difflib
    import random

    from rapidfuzz import fuzz

    from kaohe_excel.text import similarity_bound
    from kaohe_excel.units import dept_score

    rng = random.Random(7)
    chars = "发改委财政局人社局统计局商务局工信局农业农村局自然资源和规划局生态环境分局住建局交通运输局水利局中心办"
    for _ in range(20000):
        a = "".join(rng.choice(chars) for _ in range(rng.randint(1, 9)))
        b = "".join(rng.choice(chars) for _ in range(rng.randint(1, 9)))
        bound = similarity_bound(a, b)
        assert fuzz.ratio(a, b) / 100 <= bound + 1e-9
        assert difflib.SequenceMatcher(None, a, b).ratio() <= bound + 1e-9
        full = fuzz.ratio(a, b)
        assert dept_score(a, b) == (dept_score(a, b) if dept_score(a, b) in (100, 90, 88, 85) else
                                    (full if full >= 85 else 0))
    assert similarity_bound("发改委", "财政局") == 0 and similarity_bound("统计局", "县统计局") == 6 / 7


@pytest.mark.parametrize("writer", [write_sheet_xlsx, write_sheet_xls], ids=["xlsx", "xls"])
def test_words_merged_across_the_rank_column_are_no_rank(tmp_path, system, writer):
    """「正常推进」 merged across 完成情况|排名|预警提示 (G5:I5): progress in words with no rank. The
    grid shows the text in H5 and I5 too, but those cells are the merge's, not the rank's or the
    warning's own: no error 「排名「正常推进」无法识别」, no rank, no 预警提示."""
    rows = [Row(1, "固定资产投资增速", "7.4%", 2), Row(44, "认真做好社会信用体系建设工作", "正常推进", ""),
            Row(30, "地区生产总值增速", "6.9%", 3, issues="项目开工偏少", steps="加快推进")]
    sheet = Sheet("发改委", rows, merges=("G5:I5", "J6:K6"))
    path = writer(tmp_path / ("发改委8月报" + (".xlsx" if writer is write_sheet_xlsx else ".xls")), sheet)
    sub = read_submission(path, system, folder_month="2023-08", county="叶县")
    e = _by_no(sub)
    assert (e[44].actual_raw, e[44].words, e[44].rank, e[44].rank_raw, e[44].warning_raw) == ("正常推进", True, None, "", "")
    assert not [p for p in sub.problems if "排名" in p.message or p.cell in ("H5", "I5")], sub.problems
    assert (e[1].actual, e[1].rank) == (7.4, 2)
    # a sentence merged across 存在问题|下步举措 is the problem's, not a next step written twice
    assert (e[30].issues_text, e[30].next_steps) == ("项目开工偏少", "")


def _amount_and_growth_sheet(path, lines):
    """本月完成 over 完成值 | 增速 (two header rows, the parent merged), as 发改委 fills it."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["叶县发改委2023年1-8月高质量发展综合绩效指标进展情况表"])
    ws.append(["序号", "指标内容", "责任单位", "2023年度县定目标", "本月完成", None, "六县市排名", "存在问题"])
    ws.append([None, None, None, None, "完成值", "增速", None, None])
    for rng in ("A2:A3", "B2:B3", "C2:C3", "D2:D3", "E2:F2", "G2:G3", "H2:H3"):
        ws.merge_cells(rng)
    for no, name, amount, growth, rank in lines:
        ws.append([no, name, "发改委", "", amount or None, growth or None, rank, None])
    ws.append(["填报单位（盖章）：叶县发改委", None, None, "填报日期：2023年9月1日"])
    wb.save(path)
    return path


def test_a_growth_indicator_never_takes_the_amount_as_its_rate(tmp_path, system):
    """固定资产投资增速 and 地区生产总值增速 with 增速 blank and 完成值 35.2亿元 / 150.3亿元: the amount
    is no growth rate (taken as 35.2 % it ranked and scored silently). No figure this month, a
    warning at the blank 增速 cell naming the amount's; the rank is still read. A growth written
    beside its amount, and a level whose 增速 is blank, read as before."""
    path = _amount_and_growth_sheet(tmp_path / "发改委8月报.xlsx", [
        (1, "固定资产投资增速", "35.2亿元", "", 2),
        (30, "地区生产总值增速", 150.3, "", 2),
        (19, "第三产业增加值占生产总值比重及增长速度", "42.1%", "5.6%", 5),
        (20, "常住人口城镇化率", "59.8%", "", 2),
        (6, "亿元及以上新开工产业项目个数", "9个", "-10%", 6),
    ])
    sub = read_submission(path, system, folder_month="2023-08", county="叶县")
    e = _by_no(sub)
    assert (e[1].actual, e[1].actual_raw, e[1].rank, e[1].cell) == (None, "", 2, "F4")
    assert (e[30].actual, e[30].rank, e[30].cell) == (None, 2, "F5")
    said = {p.cell: p for p in sub.problems}
    assert said["F4"].level == WARNING and "增速为空" in said["F4"].message and "E4" in said["F4"].message \
        and "35.2亿元" in said["F4"].message and "未采用" in said["F4"].message, sub.problems
    assert said["F5"].level == WARNING and "150.3" in said["F5"].message, sub.problems
    assert (e[19].actual, e[20].actual, e[6].actual) == (5.6, 59.8, 9), sub.problems
    assert not [p for p in sub.problems if p.cell not in ("F4", "F5")], sub.problems


def test_an_amount_under_a_growth_indicator_with_one_figure_column_is_no_rate(tmp_path, system):
    """A sheet with one 截至本月底完成情况 column: 35.2亿元 on 固定资产投资增速's row is the amount, not a
    growth of 35.2 (it was ranked and scored without a word; helper-53 left it for a decision). Shown
    as written, no figure this month, a warning at the cell; rates (6.2%, 增长6.2%, 5.3) read as before."""
    path = write_sheet_xlsx(tmp_path / "发改委8月报.xlsx", Sheet("发改委", [
        Row(1, "固定资产投资增速", "35.2亿元", 2), Row(30, "地区生产总值增速", "增长6.2%", 2),
        Row(31, "社会消费品零售总额增速", 5.3, 3), Row(6, "亿元及以上新开工产业项目个数", "9个", 6)]))
    sub = read_submission(path, system, folder_month="2023-08", county="叶县")
    e = _by_no(sub)
    assert (e[1].actual, e[1].actual_raw, e[1].rank) == (None, "35.2亿元", 2)
    said = [p for p in sub.problems if p.cell == e[1].cell]
    assert said and said[0].level == WARNING and "是总量，不是增速，未采用" in said[0].message, sub.problems
    assert (e[30].actual, e[31].actual, e[6].actual) == (6.2, 5.3, 9)
