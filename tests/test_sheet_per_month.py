"""A department keeps one workbook all year, a sheet per month (1月 … 8月, 2023.07 / 2023.08,
newest first), and sends it whole each month. Titles without a month: the sheet's name says
which month it is, so the reported month's sheet is read (its figures and its 填报日期), the
other months' sheets are said once as other months, never as "less full" copies."""

import json
from pathlib import Path

import pytest

from month_fixtures import Row, Sheet, build_ye_month, write_sheet_xls, write_sheet_xlsx, write_system_xlsx
from kaohe_excel.problems import WARNING
from kaohe_excel.read.workbook import read_submissions, read_system
from tests.kaohe_cli import cli as _cli

UNTITLED = "叶县商务局2023年高质量发展综合绩效指标进展情况表"  # no month in it
FILE = "叶县商务局2023年8月指标进展情况"


@pytest.fixture(scope="module")
def system(tmp_path_factory):
    return read_system(write_system_xlsx(tmp_path_factory.mktemp("sys") / "附件2.xlsx"))


def _month_sheet(k: int, name: str, title: str = UNTITLED, actual: str | None = None) -> Sheet:
    """Month k's sheet of 商务局: its figure k.5%, rank k % 6 + 1 (none when `actual` is given),
    filled on the 3rd of the month after."""
    rows = [Row(31, "社会消费品零售总额增速", actual, "") if actual is not None else
            Row(31, "社会消费品零售总额增速", f"{k}.5%", k % 6 + 1)]
    return Sheet("商务局", rows, month=k, title=title, sheet_name=name, filled=f"2023年{k + 1}月3日")


def _read(path: Path, system, folder_month: str | None = "2023-08"):
    subs = read_submissions(path, system, folder_month=folder_month, county="叶县")
    assert len(subs) == 1, subs
    return subs[0]


def _actual(sub) -> float | None:
    return next(e.actual for e in sub.entries if e.no == 31)


@pytest.mark.parametrize("names", [
    [f"{k}月" for k in range(1, 9)],  # oldest first: the first (January) used to be read
    [f"{k}月" for k in range(8, 0, -1)],  # newest first
    ["2023.07", "2023.08"],
    ["2023-07", "2023-08"],
    ["七月", "八月"],
    ["7月份", "8月份"],
    ["1-7月", "1-8月"],  # cumulative to the month
], ids=["1to8", "8to1", "dotted", "dashed", "chinese", "yuefen", "cumulative"])
def test_the_reported_months_sheet_is_read(tmp_path, system, names):
    months = [7, 8] if len(names) == 2 else [int(n[:-1]) for n in names]
    path = write_sheet_xlsx(tmp_path / f"{FILE}.xlsx", [_month_sheet(k, n) for k, n in zip(months, names)])
    sub = _read(path, system)
    eighth = names[months.index(8)]
    assert (sub.sheet, sub.month, _actual(sub)) == (eighth, "2023-08", 8.5)
    assert sub.filled_date == "2023-09-03"  # August's own, not January's 2023-02-03
    said = [p for p in sub.problems if "多个月报工作表" in p.message]
    assert len(said) == 1 and said[0].level == WARNING, said  # once, however many other months
    assert "较少" not in said[0].message and "重复" not in said[0].message, said[0].message
    assert "不是2023年8月的月报" in said[0].message and f"采用工作表「{eighth}」" in said[0].message


def test_other_months_are_named_with_their_months(tmp_path, system):
    path = write_sheet_xlsx(tmp_path / f"{FILE}.xlsx", [_month_sheet(k, f"{k}月") for k in range(1, 13)])
    said = [p.message for p in _read(path, system).problems if "多个月报工作表" in p.message]
    assert said == ["同一文件中商务局有多个月报工作表；其余11个工作表「1月」、「2月」、「3月」、「4月」、「5月」、「6月」、"
                    "「7月」、「9月」、「10月」、「11月」、「12月」属于2023年1—7月、9—12月，不是2023年8月的月报，"
                    "未采用，采用工作表「8月」"]


def test_a_fuller_earlier_month_does_not_win(tmp_path, system):
    """August has an item not yet out (—), July is full: August's sheet is still the report."""
    path = write_sheet_xlsx(tmp_path / f"{FILE}.xlsx", [_month_sheet(7, "7月"), _month_sheet(8, "8月", actual="—")])
    sub = _read(path, system)
    assert sub.sheet == "8月" and _actual(sub) is None


def test_an_xls_workbook_alike(tmp_path, system):
    path = write_sheet_xls(tmp_path / f"{FILE}.xls", [_month_sheet(k, f"{k}月") for k in range(1, 9)])
    sub = _read(path, system)
    assert (sub.sheet, _actual(sub), sub.filled_date) == ("8月", 8.5, "2023-09-03")


def test_no_folder_the_file_names_month_chooses(tmp_path, system):
    path = write_sheet_xlsx(tmp_path / f"{FILE}.xlsx", [_month_sheet(k, f"{k}月") for k in range(1, 9)])
    assert _read(path, system, folder_month=None).sheet == "8月"


def test_the_title_wins_over_the_sheet_name_and_the_disagreement_is_said(tmp_path, system):
    """A tab named 8月 whose title says 1-7月: the title is what was printed and signed, so
    no sheet is August's and the latest (the one to name as misplaced) is kept."""
    path = write_sheet_xlsx(tmp_path / f"{FILE}.xlsx", [
        _month_sheet(6, "6月"), _month_sheet(7, "8月", title="叶县商务局2023年1-7月高质量发展综合绩效指标进展情况表")])
    subs = read_submissions(path, system, folder_month="2023-08", county="叶县")
    assert [(s.sheet, s.month) for s in subs] == [("8月", "2023-07")]
    warn = [p.message for p in subs[0].problems if "月份不一致" in p.message]
    assert warn and "表内标题为2023年7月" in warn[0] and "工作表名为2023年8月" in warn[0], subs[0].problems


def test_titles_naming_the_months_are_read_as_before(tmp_path, system):
    sheets = [_month_sheet(k, f"Sheet{k}", title=f"叶县商务局2023年1-{k}月高质量发展综合绩效指标进展情况表")
              for k in (7, 8)]
    sub = _read(write_sheet_xlsx(tmp_path / f"{FILE}.xlsx", sheets), system)
    assert (sub.sheet, _actual(sub)) == ("Sheet8", 8.5)


def test_sheet_names_without_a_month_keep_the_fullest(tmp_path, system):
    """No month in any sheet's name or title: copies of one month, the fullest read, as before."""
    sheets = [_month_sheet(8, "Sheet1", actual="—"), _month_sheet(8, "Sheet2")]
    sub = _read(write_sheet_xlsx(tmp_path / f"{FILE}.xlsx", sheets), system)
    assert sub.sheet == "Sheet2"
    said = [p.message for p in sub.problems if "多个月报工作表" in p.message]
    assert said and "重复且填写的数据较少" in said[0]


def test_a_lone_sheets_name_is_not_its_month(tmp_path, system):
    """One sheet still named 7月 (last month's file renamed): the file name's August, as before."""
    sub = _read(write_sheet_xlsx(tmp_path / f"{FILE}.xlsx", _month_sheet(8, "7月")), system)
    assert sub.month == "2023-08"


def test_a_late_august_sheet_is_late_in_the_workspace(tmp_path):
    """The whole way: August's 填报日期 (9月9日, past the 6th) makes the department late, and
    August's figure is the one reported."""
    inp = tmp_path / "input"
    inp.mkdir()
    write_system_xlsx(inp / "附件2：叶县2023年度高质量发展综合绩效指标完成情况一览表.xlsx")
    build_ye_month(inp, month=8, missing=("商务局",), late=None, duplicate=None, conflict=False, junk=False)
    sheets = [_month_sheet(k, f"{k}月") for k in range(1, 9)]
    sheets[-1].filled = "2023年9月9日"
    write_sheet_xlsx(inp / "2023-08" / f"{FILE}.xlsx", sheets)
    d = json.loads(_cli(tmp_path, "check", "--json").stdout)
    dep = next(x for x in d["status"]["departments"] if x["department"] == "商务局")
    assert (dep["submitted"], dep["late"]) == ("2023-09-09", True), dep
    e31 = [e for e in d["entries"] if e.get("no") == 31 and e.get("department") == "商务局"]
    assert e31 and e31[0]["sheet"] == "8月", e31
