"""A whole month in a workspace: every file read, reconciled, and who has not reported."""

import datetime as dt
import json
import os
from pathlib import Path

import openpyxl
import pytest

from month_fixtures import Row, Sheet, build_ye_month, write_sheet_xlsx, write_system_xlsx
from kaohe_excel.flows.check import check_json, check_report
from kaohe_excel.problems import ERROR, WARNING
from kaohe_excel.read.month_files import month_of_folder, normalize_month
from kaohe_excel.workspace import load_month
from kaohe_excel.model import IndicatorKey as K

SYSTEM_NAME = "附件2：叶县2023年度高质量发展综合绩效指标完成情况一览表.xlsx"


@pytest.fixture(scope="module")
def month(tmp_path_factory):
    ws = tmp_path_factory.mktemp("ws")
    write_system_xlsx(ws / "input" / SYSTEM_NAME)
    build_ye_month(ws / "input", 7, duplicate=None, conflict=False, late=None)
    truth = build_ye_month(ws / "input", 8, mess=True)
    return ws, truth, load_month(ws)


def test_every_value_and_rank(month):
    ws, truth, mi = month
    assert mi.month == "2023-08" and mi.months == ["2023-07", "2023-08"]
    assert mi.system is not None and len(mi.system.indicators) == 49
    for no, value in truth.values.items():
        e = mi.entries.get(K(no))
        if no == 26:  # 水利局 did not report
            assert e is None
            continue
        assert e is not None, no
        assert e.actual == (pytest.approx(value) if value is not None else None), (no, e.actual_raw)
        assert e.rank == truth.ranks[no], (no, e.rank_raw)


def test_ranks_written_several_ways_were_read(month):
    _ws, _truth, mi = month
    raws = {e.rank_raw for e in mi.entries.values() if e.rank is not None}
    assert any(r.startswith("第") and r.endswith("名") and r[1].isdigit() for r in raws)
    assert any(r.startswith("第") and r[1] in "一二三四五六" for r in raws)
    assert any("/" in r for r in raws)
    assert any(r.startswith("'") for r in raws)
    assert any(r.startswith("排名") for r in raws)


def test_conflict_names_both_files_and_cells_and_uses_the_lead(month):
    _ws, truth, mi = month
    no, lead, other = truth.conflict
    assert mi.entries[K(no)].department == lead
    msgs = [p for p in mi.problems if f"第 {no} 项" in p.message and "不同数值" in p.message]
    assert len(msgs) == 1
    m = msgs[0].message
    assert truth.files[lead] in m and truth.files[other] in m
    lead_e = next(e for s in mi.submissions if s.department == lead for e in s.entries if e.no == no)
    other_e = next(e for s in mi.submissions if s.department == other for e in s.entries if e.no == no)
    assert lead_e.cell in m and other_e.cell in m
    assert f"采用{lead}的数值" in m


def test_conflict_rule_latest(month, tmp_path):
    ws, truth, _mi = month
    mi = load_month(ws, "2023-08", prefer_lead=False, with_history=False)
    assert mi.entries[K(15)].department == "财政局"  # its file is newer


def test_duplicate_newer_wins_and_says_why(month):
    _ws, truth, mi = month
    dept, newer, older = truth.duplicate
    used = [s for s in mi.submissions if s.department == dept]
    assert len(used) == 1 and used[0].file == newer
    assert [s.file for s in mi.superseded] == [older]
    assert any(newer in d and older in d and "填报日期较新" in d for d in mi.decisions)
    fr = next(f for f in mi.files if f.file.endswith(older))
    assert not fr.used and newer in fr.note


def test_status(month):
    _ws, truth, mi = month
    st = mi.status
    assert st.not_sent == truth.missing == ["水利局"]
    assert st.late == truth.late == ["商务局"]
    assert st.deadline == "2023-09-06"
    assert len(st.sent) == 20
    by = {d.department: d for d in st.departments}
    assert [k.no for k in by["水利局"].owed] == [26] and not by["水利局"].sent
    assert by["商务局"].basis == "填报日期" and by["商务局"].submitted == "2023-09-09"
    assert K(13) in by["工信局"].not_available
    assert st.indicators_total == 49 and st.not_reported == 1
    assert st.reported + st.not_available + st.not_reported == 49


def test_xls_files_were_read(month):
    _ws, truth, mi = month
    for dept in truth.xls:
        s = next(s for s in mi.submissions if s.department == dept)
        assert s.file.endswith(".xls") and s.entries


def test_mess_is_reported_with_cells(month):
    _ws, truth, mi = month
    probs = mi.all_problems
    for dept, no, raw in truth.errors:
        e = next(e for s in mi.submissions if s.department == dept for e in s.entries if e.no == no)
        cell = e.cell if raw.startswith("#") else e.rank_cell
        assert any(p.cell == cell and p.file == e.file and p.level == ERROR and raw in p.message for p in probs), (no, raw)
    assert any(p.file.endswith(".docx") and p.level == WARNING for p in probs)
    assert not any(p.file.startswith("~$") for p in probs)  # lock files are quiet
    assert not any("Sheet2" in (p.sheet or "") for p in probs)  # so are empty extra sheets


def test_peers_read(month):
    _ws, truth, mi = month
    assert mi.peers is not None and len(mi.peers.counties) == 6
    rows = {r.key.no: r for r in mi.peers.rows}
    for no, vals in truth.peers.items():
        if no in (13, 26):
            assert all(v is None for v in rows[no].values.values())
        else:
            assert rows[no].values == pytest.approx(vals), no


def test_history(month):
    _ws, _truth, mi = month
    assert list(mi.history) == ["2023-07"]
    h = mi.history["2023-07"]
    assert h.month == "2023-07" and len(h.entries) > 30 and not h.history


def test_check_report_and_json(month):
    _ws, truth, mi = month
    text = check_report(mi)
    assert "2023年8月" in text and "水利局" in text and "迟报" in text and "商务局" in text
    assert "错误" in text and truth.files["发改委"] in text
    data = check_json(mi)
    json.dumps(data, ensure_ascii=False)
    assert data["month"] == "2023-08" and data["errors"] >= 3 and not data["ok"]
    keys = {"no", "department", "actual", "actual_raw", "rank", "rank_raw", "file", "cell"}
    assert all(keys <= set(e) for e in data["entries"])
    e1 = next(e for e in data["entries"] if e["no"] == 1)
    assert e1["department"] == "发改委" and e1["actual"] == pytest.approx(truth.values[1])
    assert data["status"]["not_sent"] == ["水利局"]
    assert all({"file", "sheet", "cell", "level", "message"} <= set(p) for p in data["problems"])


def _ws_with(tmp_path, files: dict[str, bytes | None]) -> Path:
    write_system_xlsx(tmp_path / "input" / SYSTEM_NAME)
    folder = tmp_path / "input" / "2023-08"
    write_sheet_xlsx(folder / "商务局.xlsx", Sheet("商务局", [Row(31, "社会消费品零售总额增速", "5%", 2)]))
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return tmp_path


def test_bad_files_never_stop_the_others(tmp_path):
    good = tmp_path / "good.xlsx"
    write_sheet_xlsx(good, Sheet("财政局", [Row(8, "地方一般公共预算科学技术支出增速", "9%", 1)]))
    data = good.read_bytes()
    wb = openpyxl.Workbook()
    wb.active.append(["姓名", "科室", "电话"])
    wb.active.append(["示例填报人", "办公室", "示例电话"])
    wb.save(tmp_path / "unrelated.xlsx")
    ws = _ws_with(tmp_path / "w", {
        "财政局截断.xlsx": data[: len(data) // 2],
        "空文件.xlsx": b"",
        "不是表格.xlsx": "序号,指标\n1,固定资产投资增速\n".encode("utf-8"),
        "通讯录.xlsx": (tmp_path / "unrelated.xlsx").read_bytes(),
        "数据.et": b"\xd0\xcf\x11\xe0",
        "~$商务局.xlsx": b"\x00" * 100,
    })
    mi = load_month(ws)
    assert [s.department for s in mi.submissions] == ["商务局"]
    assert mi.entries[K(31)].actual == 5
    by_file = {}
    for p in mi.all_problems:
        by_file.setdefault(p.file, []).append(p)
    for name in ("财政局截断.xlsx", "空文件.xlsx", "不是表格.xlsx", "通讯录.xlsx", "数据.et"):
        assert name in by_file and by_file[name][0].level == ERROR, name
        assert all("\u4e00" <= ch <= "\u9fff" for ch in by_file[name][0].message[:1])
    assert "~$商务局.xlsx" not in by_file
    assert "月报" in by_file["通讯录.xlsx"][0].message
    text = check_report(mi)
    assert "Traceback" not in text and "财政局截断.xlsx" in text


def test_no_input_folder_and_no_month(tmp_path):
    mi = load_month(tmp_path)
    assert mi.problems and "input" in mi.problems[0].message
    write_system_xlsx(tmp_path / "input" / SYSTEM_NAME)
    mi = load_month(tmp_path)
    assert any("月份文件夹" in p.message for p in mi.problems)
    check_report(mi)
    check_json(mi)
    mi = load_month(tmp_path, "2023-09")
    assert any("2023-09" in p.message for p in mi.problems)


def test_missing_system_still_reads_sheets(tmp_path):
    write_sheet_xlsx(tmp_path / "input" / "8月" / "商务局.xlsx",
                     Sheet("商务局", [Row(31, "社会消费品零售总额增速", "5%", 2)]))
    mi = load_month(tmp_path)
    assert mi.month and mi.month.endswith("-08")
    assert any("指标体系" in p.message and p.level == ERROR for p in mi.problems)
    assert mi.submissions[0].entries[0].actual == 5
    check_report(mi)


@pytest.mark.parametrize("name, month", [
    ("2023-08", "2023-08"), ("2023-8", "2023-08"), ("2023_08", "2023-08"), ("2023.08", "2023-08"),
    ("202308", "2023-08"), ("2023年8月", "2023-08"), ("2023年08月", "2023-08"), ("2023年8月份", "2023-08"),
    ("2023年8月月报", "2023-08"), ("８月", "2023-08"), ("8月", "2023-08"), ("08月", "2023-08"), ("8月份", "2023-08"),
    ("八月", "2023-08"), ("十二月", "2023-12"), ("2023-13", None), ("模板", None), ("2023", None), ("13月", None),
])
def test_month_folder_names(name, month):
    assert month_of_folder(name, 2023) == month


def test_month_folder_year_from_system(tmp_path):
    write_system_xlsx(tmp_path / "input" / SYSTEM_NAME, title="2023年高质量发展综合绩效指标完成情况一览表")
    write_sheet_xlsx(tmp_path / "input" / "8月" / "商务局.xlsx",
                     Sheet("商务局", [Row(31, "社会消费品零售总额增速", "5%", 2)]))
    mi = load_month(tmp_path)
    assert mi.month == "2023-08" and mi.entries[K(31)].rank == 2
    assert normalize_month("2023年8月") == "2023-08"


def test_the_hint_for_peer_data_names_the_month_folder_as_the_clerk_named_it(tmp_path):
    """No peer data in input/8月份: the hint sends the clerk to input/8月份/, never to an
    input/2023-08/ that would make a second August folder."""
    write_system_xlsx(tmp_path / "input" / SYSTEM_NAME, title="2023年高质量发展综合绩效指标完成情况一览表")
    write_sheet_xlsx(tmp_path / "input" / "8月份" / "商务局.xlsx",
                     Sheet("商务局", [Row(31, "社会消费品零售总额增速", "5%", 2)]))
    mi = load_month(tmp_path)
    hint = [p for p in mi.problems if "六县市数据" in p.message and "放进" in p.message]
    assert mi.month == "2023-08" and len(hint) == 1, mi.problems
    assert hint[0].file == "input/8月份" and "input/8月份/" in hint[0].message, hint
    assert "2023-08" not in hint[0].message


def test_a_departments_two_files_on_different_items_both_count(tmp_path):
    """工信局 sends one file for its 科技 items and one for its 产业 items, on the same day: both are its
    report (one was set aside as an older copy, and its items shown as not reported)."""
    write_system_xlsx(tmp_path / "input" / SYSTEM_NAME)
    when = dt.datetime(2023, 9, 4, 10, 0)
    write_sheet_xlsx(tmp_path / "input" / "2023-08" / "叶县工信局8月（科技指标）.xlsx",
                     Sheet("工信局", [Row(7, "规模以上工业企业研发费用支出增速", "8%", 2),
                                    Row(10, "高新技术企业净增数", 12, 3)]), mtime=when)
    write_sheet_xlsx(tmp_path / "input" / "2023-08" / "叶县工信局8月（产业指标）.xlsx",
                     Sheet("工信局", [Row(14, "工业增加值占地区生产总值比重", "35%", 4)]), mtime=when)
    mi = load_month(tmp_path, deadline_day=6)
    assert {e.no for e in mi.entries.values()} >= {7, 10, 14}
    assert not [p for p in mi.problems if "两份月报" in p.message], [p.message for p in mi.problems]
    st = {d.department: d for d in mi.status.departments}["工信局"]
    assert {k.no for k in st.reported} == {7, 10, 14} and st.sent, st


def test_a_corrected_copy_wins_over_the_original_of_the_same_day(tmp_path):
    """「…（更正）.xlsx」 with the same 填报日期 as the original and an older file time (copied from mail):
    the corrected figure counts, and the note says why."""
    write_system_xlsx(tmp_path / "input" / SYSTEM_NAME)
    write_sheet_xlsx(tmp_path / "input" / "2023-08" / "叶县商务局8月报.xlsx",
                     Sheet("商务局", [Row(31, "社会消费品零售总额增速", "5%", 4)]), mtime=dt.datetime(2023, 9, 4, 16, 0))
    write_sheet_xlsx(tmp_path / "input" / "2023-08" / "叶县商务局8月报（更正）.xlsx",
                     Sheet("商务局", [Row(31, "社会消费品零售总额增速", "5.6%", 3)]), mtime=dt.datetime(2023, 9, 4, 9, 0))
    mi = load_month(tmp_path)
    assert mi.entries[K(31)].actual == 5.6 and mi.entries[K(31)].file.endswith("（更正）.xlsx")
    said = [p.message for p in mi.problems if "两份月报" in p.message]
    assert said and "是更正后的文件" in said[0], said


def test_a_correction_of_one_item_leaves_the_departments_other_items_standing(tmp_path):
    """工信局 sends its four items, then 「…（更正）」 on the same day with one of them only: the
    corrected figure counts for that item and the first file for the other three (the whole first
    file was set aside: three items 无数据, its 报送情况 缺报, the total short)."""
    write_system_xlsx(tmp_path / "input" / SYSTEM_NAME)
    when = dt.datetime(2023, 9, 4, 10, 0)
    write_sheet_xlsx(tmp_path / "input" / "2023-08" / "叶县工信局8月报.xlsx",
                     Sheet("工信局", [Row(2, "工业投资占固定资产投资比重", "30%", 2),
                                    Row(7, "规模以上工业企业研发费用支出增速", "8%", 2),
                                    Row(10, "高新技术企业净增数", 12, 3)]), mtime=when)
    write_sheet_xlsx(tmp_path / "input" / "2023-08" / "叶县工信局8月报（更正）.xlsx",
                     Sheet("工信局", [Row(7, "规模以上工业企业研发费用支出增速", "9.5%", 1)]), mtime=when)
    mi = load_month(tmp_path, deadline_day=6)
    assert mi.entries[K(7)].actual == 9.5 and mi.entries[K(7)].file.endswith("（更正）.xlsx")
    assert mi.entries[K(2)].actual == 30 and mi.entries[K(10)].actual == 12
    st = {d.department: d for d in mi.status.departments}["工信局"]
    assert {2, 7, 10} <= {k.no for k in st.reported} and not {2, 7, 10} & {k.no for k in st.absent}, st
    said = [p.message for p in mi.problems if "两份月报" in p.message]
    assert len(said) == 1 and "两份都填报的第 7 项采用「叶县工信局8月报（更正）.xlsx」" in said[0], said
    assert "其余各项照常采用" in said[0] and not mi.superseded
    assert not [p for p in mi.problems if "不同数值" in p.message]


def test_a_correction_sent_after_the_deadline_does_not_make_an_in_time_report_late(tmp_path):
    """财政局 reported on 9月4日 (deadline 9月6日); its 「…（更正）」 of 9月20日 replaces the figure, yet the
    department reported in time: lateness is its first report's (helper-51: 迟报 in the month, and
    期内逾期报送 in the quarter's and the year's 部门考核)."""
    write_system_xlsx(tmp_path / "input" / SYSTEM_NAME)
    write_sheet_xlsx(tmp_path / "input" / "2023-08" / "叶县财政局8月报.xlsx",
                     Sheet("财政局", [Row(8, "地方一般公共预算科学技术支出增速", "5%", 4)], filled="2023年9月4日"))
    write_sheet_xlsx(tmp_path / "input" / "2023-08" / "叶县财政局8月报（更正）.xlsx",
                     Sheet("财政局", [Row(8, "地方一般公共预算科学技术支出增速", "6%", 3)], filled="2023年9月20日"))
    mi = load_month(tmp_path, deadline_day=6)
    assert mi.entries[K(8)].actual == 6  # the corrected figure counts
    st = {d.department: d for d in mi.status.departments}["财政局"]
    assert st.sent and not st.late and st.submitted == "2023-09-04", st
    assert "财政局" not in mi.status.late


def test_a_joint_file_of_two_departments_is_each_ones_report(tmp_path):
    """县人社局、县财政局 send one file; each row's 责任单位 says whose it is: both have reported, each its
    own items (人社局 was shown as not reporting, its rows credited to 财政局)."""
    write_system_xlsx(tmp_path / "input" / SYSTEM_NAME)
    write_sheet_xlsx(tmp_path / "input" / "2023-08" / "叶县人社局、财政局2023年8月指标进展情况.xlsx",
                     Sheet("财政局", [Row(21, "城镇居民人均可支配收入增速", "6%", 2, unit="县人社局"),
                                    Row(33, "城镇新增就业人数", 3100, 3, unit="县人社局"),
                                    Row(8, "地方一般公共预算科学技术支出增速", "9%", 1, unit="县财政局")],
                           title="叶县人社局、财政局2023年1-8月高质量发展综合绩效指标进展情况表"))
    mi = load_month(tmp_path)
    by = {d.department: d for d in mi.status.departments}
    assert by["人社局"].sent and {k.no for k in by["人社局"].reported} == {21, 33}, by["人社局"]
    assert by["财政局"].sent and 8 in {k.no for k in by["财政局"].reported}, by["财政局"]
    assert mi.entries[K(21)].department == "人社局" and mi.entries[K(8)].department == "财政局"
    assert not [p for p in mi.problems if "却由" in p.message], [p.message for p in mi.problems]


def test_late_by_file_time_without_date(tmp_path):
    write_system_xlsx(tmp_path / "input" / SYSTEM_NAME)
    write_sheet_xlsx(tmp_path / "input" / "2023-08" / "商务局.xlsx",
                     Sheet("商务局", [Row(31, "社会消费品零售总额增速", "5%", 2)], filled=None),
                     mtime=dt.datetime(2023, 9, 10, 9, 0))
    write_sheet_xlsx(tmp_path / "input" / "2023-08" / "财政局.xlsx",
                     Sheet("财政局", [Row(8, "地方一般公共预算科学技术支出增速", "9%", 1)], filled=None),
                     mtime=dt.datetime(2023, 9, 5, 9, 0))
    mi = load_month(tmp_path, deadline_day=6)
    by = {d.department: d for d in mi.status.departments}
    assert by["商务局"].late and by["商务局"].basis == "文件修改时间（推定）"  # no 填报日期, no run saw it
    assert not by["财政局"].late
    mi = load_month(tmp_path, deadline_day=28, deadline_month="current")
    assert set(mi.status.late) == {"商务局", "财政局"}


def test_duplicate_by_file_time(tmp_path):
    write_system_xlsx(tmp_path / "input" / SYSTEM_NAME)
    rows = [Row(31, "社会消费品零售总额增速", "5%", 2)]
    folder = tmp_path / "input" / "2023-08"
    write_sheet_xlsx(folder / "商务局A.xlsx", Sheet("商务局", rows, filled=None), mtime=dt.datetime(2023, 9, 3))
    rows2 = [Row(31, "社会消费品零售总额增速", "6%", 1)]
    write_sheet_xlsx(folder / "商务局B.xlsx", Sheet("商务局", rows2, filled=None), mtime=dt.datetime(2023, 9, 4))
    mi = load_month(tmp_path)
    assert mi.entries[K(31)].actual == 6 and mi.entries[K(31)].file == "商务局B.xlsx"
    assert any("文件修改时间较新" in d for d in mi.decisions)


def test_a_month_written_differently(tmp_path):
    """Six departments, other header words, a 2023年8月 folder, no 填报日期, ranks five ways."""
    write_system_xlsx(tmp_path / "input" / SYSTEM_NAME)
    folder = tmp_path / "input" / "2023年8月"
    header = ["序号", "指标名称", "责任单位", "上年完成情况（位次）", "本年目标", "1-8月完成", "全市位次", "存在问题", "下步举措"]
    when = dt.datetime(2023, 9, 5, 10)
    sheets = {
        "发改委.xlsx": Sheet("县发改委", [Row(1, "固定资产投资增速", 8.5, "第2名"), Row(15, "规模以上工业战略性新兴产业增加值增速", "7.7%", 3),
                                     Row(30, "地区生产总值增速", "增长5.1%", "3/6")], header=header, filled=None),
        "财政局.xls": Sheet("县财政局", [Row(8, "地方一般公共预算科学技术支出增速", "下降2.5%", "第五名"),
                                    Row(15, "规模以上工业战略性新兴产业增加值增速", "8.8%", "１")], header=header, filled=None),
        "人社局月报.xlsx": Sheet("人社局", [Row(21, "城镇居民人均可支配收入增速", "6.1%", "'4"), Row(33, "城镇新增就业人数", "3,456", 2),
                                       Row(34, "新增从业人员持证人数", "—", "")], header=header, filled=None),
        "商务局.xls": Sheet("商务局", [Row(31, "社会消费品零售总额增速", "4.9%", "第6名")], header=header, filled=None),
        "应急局.xlsx": Sheet("应急管理局", [Row(36, "较大及以上生产安全事故", 0, 1)], header=header, filled=None),
        "督查局.xlsx": Sheet("督查局", [Row(32, "市重点民生实事任务落实", "按序时推进", "2/6")], header=header, filled=None),
    }
    from month_fixtures import write_sheet_xls
    for name, sheet in sheets.items():
        (write_sheet_xls if name.endswith(".xls") else write_sheet_xlsx)(folder / name, sheet, mtime=when)
    mi = load_month(tmp_path)
    assert mi.month == "2023-08"
    got = {k.no: (e.actual, e.rank, e.department) for k, e in mi.entries.items()}
    assert got == {1: (8.5, 2, "发改委"), 15: (7.7, 3, "发改委"), 30: (5.1, 3, "发改委"), 8: (-2.5, 5, "财政局"),
                   21: (6.1, 4, "人社局"), 33: (3456, 2, "人社局"), 34: (None, None, "人社局"), 31: (4.9, 6, "商务局"),
                   36: (0, 1, "应急管理局"), 32: (None, 2, "督查局")}
    conflict = [p for p in mi.problems if "第 15 项" in p.message]
    assert len(conflict) == 1 and "发改委.xlsx" in conflict[0].message and "财政局.xls" in conflict[0].message
    assert conflict[0].message.count("F5") == 2  # both cells
    st = mi.status
    assert set(st.sent) == {"发改委", "财政局", "人社局", "商务局", "应急管理局", "督查局"}
    assert "水利局" in st.not_sent and "工信局" in st.not_sent and len(st.not_sent) == 15
    assert st.late == []
    assert not [p for p in mi.all_problems if p.level == ERROR and "第 15 项" not in p.message]



def test_a_department_silent_this_month_keeps_last_years_result_and_the_target_it_sent(tmp_path):
    """水利局 sent July's sheet and nothing in August: August's 26 keeps July's 上年完成情况 and
    目标 (they stand all year), its figure stays empty (nothing is carried but those)."""
    from kaohe_excel.flows.run import assess_loaded

    write_system_xlsx(tmp_path / "input" / SYSTEM_NAME)
    build_ye_month(tmp_path / "input", 7, missing=(), duplicate=None, conflict=False, late=None)
    build_ye_month(tmp_path / "input", 8, duplicate=None, conflict=False, late=None)  # 水利局 missing
    mi = load_month(tmp_path)
    july = mi.history["2023-07"].entries.get(K(26))
    assert july is not None and july.last_year_raw and july.target is not None, "July's fixture lacks them"
    assert K(26) not in mi.entries
    result, _history = assess_loaded(mi, mi.config)
    r = result.by_key()[K(26)]
    assert r.actual is None and r.display == ""
    assert (r.last_year_raw, r.target) == (july.last_year_raw, july.target)
