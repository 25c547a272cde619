"""`kaohe forms`: next month's fill-in forms, read back as a clerk would return them."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from kaohe_excel.fsutil import tree_digest
from kaohe_excel.model import Indicator, IndicatorSystem
from kaohe_excel.model import IndicatorKey as K

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "templates"
FORM_NAME = "叶县发改委2023年9月指标进展情况（填报表）.xlsx"
HEADERS = ["序号", "指标内容", "分值", "责任单位", "2022年度\n完成情况\n（位次）", "2023年度\n县定目标",
           "截至本月底\n完成情况", "六县市\n排名", "预警\n提示", "存在问题", "下步举措"]


def kaohe(*args, cwd=ROOT):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "kaohe_excel", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=300)


@pytest.fixture(scope="module")
def ws(tmp_path_factory) -> Path:
    """A copy of the demo workspace with next month's forms generated."""
    w = tmp_path_factory.mktemp("forms") / "ws"
    shutil.copytree(ROOT / "input", w / "input")
    before = tree_digest(w / "input")
    r = kaohe("forms", "-w", w)
    assert r.returncode == 0, r.stderr
    assert "填报表已生成" in r.stdout and "2023年9月" in r.stdout
    assert tree_digest(w / "input") == before  # input/ only read
    return w


def _demo_month(ws: Path, month: str):
    from kaohe_excel.workspace import load_month

    return load_month(ws, month)


def _rows_by_no(sheet) -> dict[int, int]:
    return {sheet.cell(r, 1).value: r for r in range(5, sheet.max_row + 1) if isinstance(sheet.cell(r, 1).value, int)}


def _sign_row(sheet) -> int:
    return next(r for r in range(1, sheet.max_row + 1)
                if str(sheet.cell(r, 1).value or "").startswith("填报单位（盖章）"))


# ------------------------------------------------------------------ files

def test_one_form_per_lead_department_and_the_list(ws):
    out = ws / "output" / "填报表" / "2023-09"
    mi = _demo_month(ws, "2023-08")
    owed = {d.department: d.owed for d in mi.status.departments if d.owed}
    names = sorted(p.name for p in out.glob("*.xlsx"))
    assert "填报表清单.xlsx" in names
    forms = [n for n in names if n != "填报表清单.xlsx"]
    assert len(forms) == len(owed) == 21
    for dept in owed:
        assert f"叶县{dept}2023年9月指标进展情况（填报表）.xlsx" in forms
    assert not list(out.glob(".*"))  # no temporary files left behind

    lst = openpyxl.load_workbook(out / "填报表清单.xlsx").active
    assert lst["A1"].value == "叶县2023年9月指标进展情况填报表清单"
    assert "2023年10月6日" in lst["A2"].value and "次月6日前" in lst["A2"].value
    rows = {lst.cell(r, 2).value: r for r in range(4, lst.max_row + 1) if lst.cell(r, 2).value}
    r = rows["叶县发改委"]
    assert lst.cell(r, 3).value == "1、6、15、19、20、30、44"
    assert lst.cell(r, 4).value == 7
    assert lst.cell(r, 6).value == FORM_NAME
    assert lst.cell(r, 7).value == "2023年10月6日"
    assert "8月未报送" in (lst.cell(rows["叶县水利局"], 8).value or "")  # the demo's 水利局 sent nothing in August
    assert len(rows) == 21


def test_form_prefilled_from_the_latest_month(ws):
    wb = openpyxl.load_workbook(ws / "output" / "填报表" / "2023-09" / FORM_NAME)
    sh = wb.active
    assert sh.title == "发改委"
    assert sh["A1"].value == "附件2"
    assert sh["A2"].value == "叶县2023年高质量发展综合绩效指标进展情况表（截至9月底）"
    assert sh["A3"].value == "填报单位：叶县发改委"
    assert [sh.cell(4, c).value for c in range(1, 12)] == HEADERS
    rows = _rows_by_no(sh)
    assert list(rows) == [1, 6, 15, 19, 20, 30, 44]
    # what August's sheet of 发改委 says, and what the assessment made of it
    aug = _demo_month(ws, "2023-08")
    e = aug.entries[K(1)]
    r = rows[1]
    assert sh.cell(r, 2).value == "固定值产投资增速"
    assert sh.cell(r, 3).value == 5
    assert sh.cell(r, 4).value == "发改委"
    assert sh.cell(r, 5).value == e.last_year_raw == "1.7%（3）"
    assert sh.cell(r, 6).value == e.target_raw == "8%"
    assert [sh.cell(r, c).value for c in range(7, 12)] == [None] * 5  # left to fill
    assert sh.cell(r, 12).value.startswith("8月：" + e.actual_raw + "，排名")
    assert sh.cell(rows[15], 4).value == "发改委、财政局"
    assert sh.cell(rows[44], 12).value == "8月：正常推进"
    # sections as in the 一览表, numbered by their place in the whole system
    sections = [sh.cell(r, 1).value for r in range(5, sh.max_row + 1)
                if isinstance(sh.cell(r, 1).value, str) and "、" in sh.cell(r, 1).value[:3]]
    assert sections == ["一、项目建设", "三、产业转型", "四、城乡融合", "六、综合质效", "七、省、市下达的其他责任目标"]
    # note and sign-off
    s = _sign_row(sh)
    note = sh.cell(s - 1, 1).value
    assert note.startswith("填报说明：") and "增长6.2%" in note and "“—”" in note and "2023年10月6日前" in note
    assert [sh.cell(s, c).value for c in (1, 4, 6, 8, 10)] == ["填报单位（盖章）：", "主要负责人：", "填报人：",
                                                              "联系电话：", "填报日期（必填）："]
    # the date has a cell of its own, required and checked as a real date
    dv = [d for d in sh.data_validations.dataValidation if f"K{s}" in str(d.sqref)]
    assert len(dv) == 1 and dv[0].type == "date" and dv[0].allow_blank is False and "日期" in dv[0].error
    # text from the system is text, never a formula
    assert all(sh.cell(r, 2).data_type == "s" for r in rows.values())


def test_form_validation(ws):
    sh = openpyxl.load_workbook(ws / "output" / "填报表" / "2023-09" / FORM_NAME).active
    rows = _rows_by_no(sh)
    first, last = min(rows.values()), max(rows.values())
    rank = next(dv for dv in sh.data_validations.dataValidation if dv.type == "whole")
    assert (rank.operator, rank.formula1, rank.formula2) == ("between", "1", "6")  # six counties in the demo
    assert rank.showErrorMessage and rank.showInputMessage and rank.errorStyle == "stop"
    assert "数字" in rank.prompt and "整数" in rank.error and rank.errorTitle
    for r in (first, last):
        assert f"H{r}" in rank.sqref
    assert "G5" not in rank.sqref and f"H{sh.max_row}" not in rank.sqref
    warn = next(dv for dv in sh.data_validations.dataValidation if dv.type == "list")
    assert warn.formula1 == '"绿,黄,红"' and f"I{first}" in warn.sqref and f"I{last}" in warn.sqref
    assert warn.prompt and warn.error
    prompts = {str(dv.sqref).split(":")[0][0]: dv.prompt for dv in sh.data_validations.dataValidation
               if dv.type is None}
    assert "增长6.2%" in prompts["G"] and "—" in prompts["G"]
    assert set(prompts) == {"G", "J", "K"}
    # rank colours follow the configured thresholds
    cf = {str(rng.sqref): [r.formula[0] for r in rng.rules] for rng in sh.conditional_formatting}
    h = next(v for k, v in cf.items() if k.startswith("H"))
    assert any("<=2" in f for f in h) and any(">4" in f for f in h)
    assert sh[f"G{first}"].number_format == "@"  # 3/6 or 1-8月 stay as typed


def test_form_print_setup_and_fonts(ws):
    sh = openpyxl.load_workbook(ws / "output" / "填报表" / "2023-09" / FORM_NAME).active
    ps = sh.page_setup
    assert ps.orientation == "landscape" and str(ps.paperSize) == "9"
    assert str(ps.fitToWidth) == "1" and str(ps.fitToHeight) == "0" and sh.sheet_properties.pageSetUpPr.fitToPage
    assert sh.print_title_rows == "$4:$4"
    s = _sign_row(sh)
    assert sh.print_area.endswith(f"$A$1:$K${s}")  # the reference column L is not printed
    assert "&P" in sh.oddFooter.center.text and "&N" in sh.oddFooter.center.text
    assert sh["A1"].font.name == "黑体" and sh["A1"].font.sz == 16
    assert sh["A2"].font.name == "方正小标宋简体"
    assert sh["B4"].font.name == "黑体"
    r = min(_rows_by_no(sh).values())
    assert sh[f"B{r}"].font.name == "仿宋_GB2312" and sh[f"B{r}"].font.sz == 12
    assert sh[f"J{r}"].border.left.style == "thin"
    assert sh.column_dimensions["B"].width > sh.column_dimensions["A"].width


# ------------------------------------------------------------------ round trip

def _fill(src: Path, dst: Path) -> dict[int, tuple]:
    """What a clerk does: values, ranks, problems, steps, sign-off lines."""
    wb = openpyxl.load_workbook(src)
    sh = wb.active
    typed = {1: ("增长6.2%", "第3名"), 6: ("12个", 2), 15: ("—", None), 19: ("下降3.1%", "5"),
             20: ("73.1%", 2), 30: (1234.5, 1), 44: ("正常推进", None)}
    for no, r in _rows_by_no(sh).items():
        actual, rank = typed[no]
        sh.cell(r, 7).value = actual
        sh.cell(r, 8).value = rank
        sh.cell(r, 9).value = "黄" if no == 1 else None
        sh.cell(r, 10).value = f"问题{no}：项目入统进度偏慢"
        sh.cell(r, 11).value = f"举措{no}：加强调度，逐项对账"
    s = _sign_row(sh)
    sh[f"A{s}"] = "填报单位（盖章）：叶县发展和改革委员会"
    sh[f"D{s}"] = "主要负责人：张三"
    sh[f"F{s}"] = "填报人：李四"
    sh[f"H{s}"] = "联系电话：0375-8123456"
    sh[f"K{s}"] = dt.datetime(2023, 10, 5)  # typed into the date cell beside 填报日期（必填）：
    dst.parent.mkdir(parents=True, exist_ok=True)
    wb.save(dst)
    return typed


def test_filled_form_reads_back(ws, tmp_path):
    from kaohe_excel.read.workbook import read_submissions

    w = tmp_path / "ws"
    shutil.copytree(ws / "input", w / "input")
    dst = w / "input" / "2023-09" / FORM_NAME
    typed = _fill(ws / "output" / "填报表" / "2023-09" / FORM_NAME, dst)
    system = _demo_month(w, "2023-08").system
    subs = read_submissions(dst, system)
    assert len(subs) == 1
    sub = subs[0]
    assert sub.problems == []
    assert sub.department == "发改委" and sub.month == "2023-09"
    assert sub.filled_date == "2023-10-05"
    assert sub.signoff["主要负责人"] == "张三" and sub.signoff["填报人"] == "李四"
    assert sub.signoff["联系电话"] == "0375-8123456"
    got = {e.key.no: e for e in sub.entries}
    assert sorted(got) == sorted(typed)
    want_actual = {1: 6.2, 6: 12, 15: None, 19: -3.1, 20: 73.1, 30: 1234.5, 44: None}
    want_rank = {1: 3, 6: 2, 15: None, 19: 5, 20: 2, 30: 1, 44: None}
    for no, e in got.items():
        assert e.no == no and e.department == "发改委"
        assert e.actual == want_actual[no], no
        assert e.rank == want_rank[no], no
        assert e.issues_text == f"问题{no}：项目入统进度偏慢"
        assert e.next_steps == f"举措{no}：加强调度，逐项对账"
    assert got[1].actual_raw == "增长6.2%" and got[1].rank_raw == "第3名" and got[1].warning_raw == "黄"
    assert got[44].actual_raw == "正常推进"
    assert got[1].last_year == 1.7 and got[1].last_year_rank == 3 and got[1].target == 8

    # kaohe check accepts it: read as 发改委's September sheet, no problem with the form;
    # the month itself is not ready (20 of 21 units missing, no peer data) and says so
    r = kaohe("check", "-w", w, "--month", "2023-09", "--json")
    assert r.returncode == 1, r.stdout + r.stderr
    data = json.loads(r.stdout)
    text = json.dumps(data, ensure_ascii=False)
    assert FORM_NAME in text and "发改委" in text
    assert [p["file"] for p in data["problems"]] == ["input/2023-09", "input/2023-09"]
    assert "没有六县市数据" in data["problems"][0]["message"] and "20 个未报送" in data["problems"][1]["message"]
    r = kaohe("check", "-w", w, "--month", "2023-09")
    assert "错误 0 个，提示 2 个" in r.stdout
    assert "发改委：已报（填报日期 2023-10-05），应报 7 项，已填 6 项，暂无数据 1 项" in r.stdout


# ------------------------------------------------------------------ months, errors

def test_given_month_takes_the_month_before_it(ws):
    r = kaohe("forms", "-w", ws, "--month", "2023-08")
    assert r.returncode == 0, r.stderr
    assert "2023年7月" in r.stdout
    sh = openpyxl.load_workbook(ws / "output" / "填报表" / "2023-08" / "叶县发改委2023年8月指标进展情况（填报表）.xlsx").active
    assert sh["A2"].value.endswith("（截至8月底）")
    jul = _demo_month(ws, "2023-07")
    r1 = _rows_by_no(sh)[1]
    assert sh.cell(r1, 12).value.startswith("7月：" + jul.entries[K(1)].actual_raw)


def test_no_system_is_exit_2(tmp_path):
    (tmp_path / "input").mkdir()
    r = kaohe("forms", "-w", tmp_path)
    assert r.returncode == 2
    assert "[错误]" in r.stderr and "指标体系" in r.stderr
    assert not (tmp_path / "output" / "填报表").exists()


def test_without_month_folders_needs_month(tmp_path):
    shutil.copytree(ROOT / "input", tmp_path / "input", ignore=shutil.ignore_patterns("2023-*"))
    r = kaohe("forms", "-w", tmp_path)
    assert r.returncode == 2 and "--month" in r.stderr
    r = kaohe("forms", "-w", tmp_path, "--month", "2023年9月")
    assert r.returncode == 0, r.stderr
    sh = openpyxl.load_workbook(tmp_path / "output" / "填报表" / "2023-09" / FORM_NAME).active
    r1 = _rows_by_no(sh)[1]
    assert sh.cell(r1, 5).value is None and sh.cell(r1, 12).value is None  # nothing earlier to prefill from
    assert sh.cell(r1, 3).value == 5


def test_help_is_chinese():
    r = kaohe("forms", "--help")
    assert r.returncode == 0 and "填报表" in r.stdout and "output/填报表/YYYY-MM/" in r.stdout


# ------------------------------------------------------------------ pure parts

def _ind(no, name, lead, support=None, path=("项目建设",), points=2.0):
    return Indicator(no=no, row=no + 3, path=list(path), name=name, name_raw=name, points=points, lead=list(lead),
                     support=support)


def test_support_units_get_forms_only_when_configured():
    from kaohe_excel.config import Config
    from kaohe_excel.flows.forms import assignments_for

    system = IndicatorSystem("叶县2023年度考核指标", "x.xlsx", "s", indicators=[
        _ind(1, "地区生产总值增速", ["县发改委"], ["县统计局"]),
        _ind(2, "税收收入占比", ["县财政局"], ["县税务局", "县发改委"]),
    ])
    lead_only = {a.department: [(i.no, role) for i, role in a.indicators] for a in assignments_for(system, Config())}
    assert lead_only == {"发改委": [(1, "牵头")], "财政局": [(2, "牵头")]}
    both = {a.department: [(i.no, role) for i, role in a.indicators]
            for a in assignments_for(system, Config(include_support=True))}
    assert both == {"发改委": [(1, "牵头"), (2, "参与")], "统计局": [(1, "参与")], "财政局": [(2, "牵头")],
                    "税务局": [(2, "参与")]}


def test_pure_helpers():
    from kaohe_excel.write import forms as F

    assert F.next_month("2023-08") == "2023-09" and F.next_month("2023-12") == "2024-01"
    assert F.form_file_name("发改委", "叶县", "2023-09") == FORM_NAME
    assert F.form_file_name("a/b:c", "叶县", "2023-09").startswith("叶县a_b_c")
    assert F.full_name("市生态环境局叶县分局", "叶县") == "市生态环境局叶县分局"
    sys_ = IndicatorSystem("附件2：叶县2023年度高质量发展综合绩效指标完成情况一览表", "x.xlsx", "s")
    assert F.form_title(sys_, "叶县", "2023-09") == "叶县2023年高质量发展综合绩效指标进展情况表（截至9月底）"
    assert F.form_title(None, "嘉祥县", "2021-03") == "嘉祥县2021年高质量发展综合绩效指标进展情况表（截至3月底）"
    # a task-division table's title, a note after it, the office above's place, 县（区） (helper-32, helper-31)
    for title, want in (("临溪县2026年度高质量发展综合绩效考核任务分工表（测试数据）", "高质量发展综合绩效考核"),
                        ("岚州市2026年度县（区）高质量发展综合绩效考核指标体系（演示数据）", "高质量发展综合绩效考核"),
                        ("附件1：2023年度高质量发展考核指标", "高质量发展考核"),
                        ("临溪县2025年高质量发展综合绩效考核任务分工表（演示/测试数据）", "高质量发展综合绩效考核")):  # (helper-37)
        got = F.form_title(IndicatorSystem(title, "x.xlsx", "s"), "临溪县", "2026-10")
        assert got == f"临溪县2026年{want}指标进展情况表（截至10月底）", (title, got)
    ind = _ind(3, "税收", ["县财政局"], ["县税务局"])
    row = F.indicator_row(ind, "牵头", "叶县", 2024,
                          F.Previous(month="2023-12", actual_raw="增长5%", rank=2, reported=True,
                                     last_year_raw="3%（4）", target_raw="6%"))
    assert row["last_year"] == "增长5%（2）" and row["target"] == ""  # January: December is last year
    assert row["departments"] == "县财政局、县税务局（参与）"
    assert row["hint"] == "12月：增长5%，排名2"
    ded = _ind(4, "安全事故", ["应急管理局"], points=-2.0)
    ded.kind = "deduction"
    assert F.points_value(ded, "叶县") == "扣2分"


def test_make_form_template_rebuilds_the_shipped_pair(tmp_path):
    sys.path.insert(0, str(ROOT))
    from tools import make_form_template

    assert make_form_template.main(["--out", str(tmp_path)]) == 0
    for name in (make_form_template.FORM, make_form_template.LIST):
        a, b = openpyxl.load_workbook(tmp_path / name), openpyxl.load_workbook(TEMPLATES / name)
        for wa, wb_ in zip(a.worksheets, b.worksheets):
            assert [[c.value for c in r] for r in wa.iter_rows()] == [[c.value for c in r] for r in wb_.iter_rows()], \
                f"{name}: run tools/make_form_template.py and commit the templates"


def test_templates_use_only_what_the_contexts_provide():
    import datetime as dt

    from kaohe_excel.write import forms as F
    from kaohe_excel.write.engine import template_variables

    form = template_variables(TEMPLATES / F.FORM_TEMPLATE)
    lst = template_variables(TEMPLATES / F.LIST_TEMPLATE)
    assert form <= F.provided_variables(F.FORM_TEMPLATE) and lst <= F.provided_variables(F.LIST_TEMPLATE)
    system = IndicatorSystem("叶县2023年度考核", "x.xlsx", "s", indicators=[_ind(1, "地区生产总值增速", ["县发改委"])])
    a = F.Assignment("发改委", [(system.indicators[0], F.LEAD)])
    ctx = F.form_context(a, system=system, county="叶县", month="2023-09", deadline=dt.date(2023, 10, 6), n_peers=6,
                         green_max=2, yellow_max=4)
    assert set(ctx) == set(F.FORM_KEYS)
    ctx = F.list_context([a], county="叶县", month="2023-09", deadline=dt.date(2023, 10, 6), deadline_month="next",
                         deadline_day=6, source_month=None)
    assert set(ctx) == set(F.LIST_KEYS)


def test_form_open_in_excel_is_named(ws, tmp_path, monkeypatch):
    """Last month's form still open in Excel/WPS (Windows refuses the replace): a Chinese message, no crash."""
    import kaohe_excel.fsutil as fs
    from kaohe_excel.flows.forms import write_forms

    w = tmp_path / "ws"
    shutil.copytree(ws, w)
    real = fs._replace

    def replace(src, dst):
        if Path(dst).name == FORM_NAME:
            raise PermissionError(13, "Permission denied")
        real(src, dst)

    monkeypatch.setattr(fs, "_replace", replace)
    summary = write_forms(w)
    assert summary.fatal and FORM_NAME in summary.fatal and "正在被 Excel 或 WPS 打开" in summary.fatal


def test_a_form_carries_the_figure_the_reports_show_and_a_shared_points_cells_share(tmp_path):
    """On the city's table run for 澜山县 (no department sheets: every figure is the city's): the
    商务局's form says last month's 实际使用外资 as every June report prints it (the city's 950, never
    未报送), and items 4 and 5, one points cell 3 (澜山县4) merged over both rows, 2 points each,
    as 得分测算 counts them; the list adds them up to 4."""
    from tests import league_city as lc
    from tests.kaohe_cli import cli, cli_json

    city = lc.build_workspace(tmp_path / "city").root
    ws = lc.copy_input(city, tmp_path / "county", county=lc.LS)
    fdi = next(i for i in cli_json(ws, "assess", "--month", lc.JUNE)["indicators"] if i["no"] == 4)
    p = cli(ws, "forms")
    assert p.returncode in (0, 1), p.stdout + p.stderr
    out = ws / "output" / "填报表" / "2024-07"
    form = next(f for f in out.glob("*商务局*.xlsx"))
    rows = {r[0]: r for sh in openpyxl.load_workbook(form).worksheets for r in sh.iter_rows(values_only=True)
            if isinstance(r[0], int)}
    hint = next(str(c) for c in rows[4] if isinstance(c, str) and c.startswith("6月："))
    assert hint.startswith(f"6月：{fdi['display']}") and "未报送" not in hint, (hint, fdi["display"])
    assert rows[4][2] == rows[5][2] == 2, (rows[4], rows[5])
    listed = next(r for r in openpyxl.load_workbook(out / "填报表清单.xlsx").active.iter_rows(values_only=True)
                  if r[1] and "商务局" in str(r[1]))
    assert listed[4] == 4, listed


def test_the_rule_printed_on_a_form_names_the_items_with_a_rule_of_their_own(tmp_path):
    """kaohe.toml gives item 1 (发改委's) the time-progress rule: its form still prints the rank rule
    for the rest, and says item 1 is not under it (helper-51: 排名1-2名为绿… above an item coloured
    by progress, its reference column saying 排名6（黄）)."""
    w = tmp_path / "ws"
    shutil.copytree(ROOT / "input", w / "input")
    (w / "kaohe.toml").write_text('county = "叶县"\n[indicators."1"]\nwarning = "progress"\n', encoding="utf-8")
    r = kaohe("forms", "-w", w)
    assert r.returncode == 0, r.stderr
    texts = lambda f: [str(c.value) for sh in openpyxl.load_workbook(f).worksheets  # noqa: E731
                       for row in sh.iter_rows() for c in row if c.value]
    fgw = next(t for t in texts(w / "output" / "填报表" / "2023-09" / FORM_NAME) if "名为绿" in t)
    assert "排名1-2名为绿" in fgw and "第1项另有预警规则，颜色以参考栏为准" in fgw, fgw
    other = next(p for p in (w / "output" / "填报表" / "2023-09").glob("*财政局*.xlsx"))
    assert not [t for t in texts(other) if "另有预警规则" in t]


def test_a_form_names_the_unit_with_its_county_once():
    """'区发改局' in 东阳区's form names: 东阳区发改局, never 东阳区区发改局."""
    from kaohe_excel.write.forms import full_name

    assert full_name("区发改局", "东阳区") == "东阳区发改局"
    assert full_name("县委组织部", "南岭县") == "南岭县委组织部"
    assert full_name("发改委", "叶县") == "叶县发改委"
    assert full_name("市场监管局", "汝州市") == "汝州市市场监管局"
    assert full_name("东阳区发改局", "东阳区") == "东阳区发改局"


def test_a_form_names_the_compared_group_and_the_target_as_the_reports_do(tmp_path):
    """A county of 汀澜市 compared with four other units on the city's system: its forms say
    五县区排名 and 市定目标, as its 一览表 does (probe 27: 六县市排名 and 县定目标 for any group)."""
    from tests import league_city as lc
    from tests.kaohe_cli import cli, cli_json

    city = lc.build_workspace(tmp_path / "city").root
    ws = lc.copy_input(city, tmp_path / "county", county=lc.LS)
    label = cli_json(ws, "assess", "--month", lc.JUNE)["group_label"]
    assert label == "五县区"
    p = cli(ws, "forms")
    assert p.returncode in (0, 1), p.stdout + p.stderr
    form = next((ws / "output" / "填报表" / "2024-07").glob("*商务局*.xlsx"))
    texts = [str(c) for r in openpyxl.load_workbook(form).active.iter_rows(values_only=True) for c in r if c]
    assert f"{label}\n排名" in texts and "2024年度\n市定目标" in texts, texts[:20]
    assert any(f"“{label}排名”只填数字" in t for t in texts)
    assert not any("六县市" in t for t in texts)


@pytest.mark.parametrize("n, g, y, want", [
    (6, 2, 4, "（排名1-2名为绿，3-4名为黄，5-6名为红）"),
    (4, 2, 3, "（排名1-2名为绿，第3名为黄，第4名为红）"),  # (it said 3-3名为黄，4-4名为红)
    (3, 1, 2, "（排名第1名为绿，第2名为黄，第3名为红）"),
])
def test_the_rule_hint_names_single_places_as_such(n, g, y, want):
    from kaohe_excel.write.forms import rule_hint

    assert rule_hint("rank", n, g, y) == want
