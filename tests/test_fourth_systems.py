"""The indicator-system reader on a fourth round of county layouts (tests/fourth_systems.py).

Every layout is read through `kaohe spec --json` (the acceptance path) and compared
field by field with the truth written by hand: count, title, total points, units,
per-unit totals, and per indicator the row, 序号, name, kind, points, lead,
support, category path, sharing, per-unit points and targets. Clean tables must
read without a single warning.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests import fourth_systems as fx  # noqa: E402

IDS = [name for name, _ in fx.BUILDERS]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    cache: dict[str, tuple[Path, dict, dict]] = {}

    def get(name: str):
        if name not in cache:
            builder = dict(fx.BUILDERS)[name]
            path, truth = builder(tmp_path_factory.mktemp(name.replace("_", "")))
            proc = subprocess.run([sys.executable, "-m", "kaohe_excel", "spec", str(path), "--json"],
                                  capture_output=True, text=True, encoding="utf-8", cwd=ROOT)
            assert proc.returncode == 0, proc.stderr
            assert "Traceback" not in proc.stderr
            cache[name] = (path, truth, json.loads(proc.stdout))
        return cache[name]

    return get


def _eq(a, b) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return abs(a - b) < 1e-9
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_eq(a[k], b[k]) for k in a)
    return a == b


def test_truth_is_consistent():
    """The hand-written totals agree with the hand-written indicators."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        for name, builder in fx.BUILDERS:
            if name in ("zhejiang_weights", "dotted_with_veto_group"):
                continue  # LibreOffice builds are checked through `built`
            folder = Path(tmp) / name
            folder.mkdir()
            _, truth = builder(folder)
            inds = truth["indicators"]
            assert len(inds) == truth["count"], name
            total = sum(i["points"] for i in inds  # full marks: a bonus is on top of them
                        if i["shares_points_with_row"] is None and i["points"] and i["points"] > 0
                        and i["kind"] != fx.BONUS)
            assert _eq(total, truth["total_points"]), name


@pytest.mark.parametrize("name", IDS)
def test_header_facts(built, name):
    _, truth, js = built(name)
    assert js["title"] == truth["title"]
    assert len(js["indicators"]) == truth["count"], [(i["row"], i["name"]) for i in js["indicators"]]
    assert _eq(js["total_points"], truth["total_points"])
    assert js["units"] == truth["units"]
    if "total_points_by_unit" in truth:
        assert _eq(js["total_points_by_unit"], truth["total_points_by_unit"])


@pytest.mark.parametrize("name", IDS)
def test_every_indicator(built, name):
    _, truth, js = built(name)
    got = {(i["sheet"], i["row"]): i for i in js["indicators"]}
    sheets = {i["sheet"] for i in js["indicators"]}
    for want in truth["indicators"]:
        sheet = want.get("sheet") or (next(iter(sheets)) if len(sheets) == 1 else None)
        ind = got.get((sheet, want["row"]))
        assert ind is not None, f"{name}: row {want['row']} {want['name']} not read"
        for key, value in want.items():
            if key == "sheet":
                continue
            assert _eq(ind[key], value), f"{name} row {want['row']} {want['name']}: {key} {ind[key]!r} != {value!r}"


@pytest.mark.parametrize("name", IDS)
def test_clean_tables_read_without_warnings(built, name):
    _, _, js = built(name)
    assert js["problems"] == []


def test_continuation_lines_are_not_categories(built):
    """`续表`, `续表1` and a page number `—2—` between pages name no category."""
    for name in ("shandong_three_levels", "hunan_two_row_header", "guizhou_page_break"):
        _, _, js = built(name)
        for ind in js["indicators"]:
            assert not any(p.startswith(("续表", "—")) for p in ind["path"]), (name, ind["path"])


def test_star_marks_the_lead():
    from kaohe_excel.text import split_lead_support

    assert split_lead_support("★区发展和改革局、区统计局") == (["区发展和改革局"], ["区统计局"])
    assert split_lead_support("区工业和信息化局★、区市场监督管理局") == (["区工业和信息化局"], ["区市场监督管理局"])
    assert split_lead_support("县发改局 ★县统计局") == (["县统计局"], ["县发改局"])
    assert split_lead_support("★区统计局\n区农业农村局") == (["区统计局"], ["区农业农村局"])
    assert split_lead_support("县发改局★ 县统计局★、县财政局") == (["县发改局", "县统计局"], ["县财政局"])
    assert split_lead_support("县经信局／县统计局") == (["县经信局", "县统计局"], None)


def test_capped_points_written_with_le():
    from kaohe_excel.text import parse_points

    assert parse_points("≤3").points == 3 and parse_points("≤3").ok
    p = parse_points("加分≤3分")
    assert (p.kind, p.points, p.cap) == ("bonus", 3, 3)


def test_sheet_named_reads_that_sheet_only(built, tmp_path):
    """With --sheet the other sheet of 共性/个性 is not added."""
    from kaohe_excel.read.workbook import read_system

    path, _, _ = built("two_sheet_common_special")
    system = read_system(path, sheet="个性指标")
    assert [i.name for i in system.indicators] == ["重点工作任务完成情况", "省市考核指标位次", "改革创新"]
    assert system.total_points == 40


def test_same_table_on_two_sheets_is_not_doubled(tmp_path):
    """Last year's table beside this year's (same indicators) stays one system."""
    from kaohe_excel.read.workbook import read_system

    sheets = []
    for year, pts in (("2024年", 10), ("2023年", 8)):
        sh = fx.Sheet(year)
        sh.row(1, ["序号", "指标名称", "分值", "责任单位"])
        sh.row(2, [1, "地区生产总值增速", pts, "县发改局"])
        sh.row(3, [2, "一般公共预算收入", pts, "县财政局"])
        sh.row(4, [3, "固定资产投资增速", pts, "县发改局"])
        sheets.append(sh)
    path = fx.save(sheets, tmp_path, "两年指标", "xlsx")
    system = read_system(path)
    assert len(system.indicators) == 3
    assert {i.sheet for i in system.indicators} == {"2024年"}
    assert all(i.path == [] for i in system.indicators)


def test_header_notes_and_lead_first():
    """`一级指标（分值）` is a category, `考核内容及分值` a name, `配合责任单位` support."""
    from kaohe_excel.read.system import SYSTEM_ROLES
    from kaohe_excel.read.tables import role_of

    assert role_of("一级指标（分值）", SYSTEM_ROLES) == "category"
    assert role_of("考核内容及分值", SYSTEM_ROLES) == "name"
    assert role_of("配合责任单位", SYSTEM_ROLES) == "support"
    assert role_of("分值（100分）", SYSTEM_ROLES) == "points"


def test_special_evaluation_on_a_second_sheet_stays_apart(tmp_path):
    """Seed 000 runs a 专项评价 (不良贷款率, out of 100) beside the 综合评价: kept in one
    workbook, the second sheet is named as a system of its own, never summed in."""
    import openpyxl

    from kaohe_excel.read.workbook import read_system

    wb = openpyxl.Workbook()
    main = wb.active
    main.title = "综合评价"
    main.append(["嘉祥县县域经济高质量发展综合评价指标任务分工"])
    main.append(["序号", "指标名称", "分值", "责任单位"])
    for row in ([1, "地区生产总值增速", 10, "县发改局"], [2, "一般公共预算收入增速", 8, "县财政局"],
                [3, "固定资产投资增速", 7, "县发改局"]):
        main.append(row)
    special = wb.create_sheet("专项评价")
    special.append(["打好防范化解重大风险攻坚战专项评价指标任务分工"])
    special.append(["序号", "指标名称", "分值", "责任单位"])
    special.append([1, "不良贷款率", 100, "县金融服务中心"])
    special.append([2, "发生重大金融风险事件", "每起扣10分，合计不超过30分", "县金融服务中心"])
    path = tmp_path / "嘉祥县考核指标.xlsx"
    wb.save(path)
    system = read_system(path)
    assert [i.name for i in system.indicators] == ["地区生产总值增速", "一般公共预算收入增速", "固定资产投资增速"]
    assert system.total_points == 25
    (warn,) = [p for p in system.problems if p.sheet == "专项评价"]
    assert "另一份指标体系" in warn.message and "100 分" in warn.message
    assert read_system(path, "专项评价").total_points == 100  # still readable on its own
