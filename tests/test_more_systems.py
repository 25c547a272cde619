"""The indicator-system reader on more county layouts (tests/fixtures/more_systems.py).

Every indicator is compared field by field with the facts written by hand in the
builder: number, row, name, kind, points, per-unit points, sharing, lead and
support units, category path and per-unit targets.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.fixtures import more_systems as mx  # noqa: E402

OTHER_FMT = {"xlsx": "xls", "xls": "xlsx"}
CASES = [(f"{name}-{fmt}", builder, fmt)
         for name, builder, default in mx.MORE_BUILDERS
         for fmt in (default, OTHER_FMT[default])]
CASE_IDS = [c[0] for c in CASES]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    cache: dict[str, tuple[Path, dict]] = {}

    def get(case_id: str):
        if case_id not in cache:
            _, builder, fmt = CASES[CASE_IDS.index(case_id)]
            cache[case_id] = builder(tmp_path_factory.mktemp(case_id.replace("_", "")), fmt)
        return cache[case_id]

    return get


def _read(path, sheet=None):
    from kaohe_excel.read.workbook import read_system

    return read_system(path, sheet)


def _num_eq(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    try:
        return abs(float(a) - float(b)) < 1e-9
    except (TypeError, ValueError):
        return False


def _target_ok(got, expected) -> bool:
    import re

    if isinstance(expected, (int, float)):
        if isinstance(got, (int, float)):
            return _num_eq(got, expected)
        if isinstance(got, str):
            try:
                return _num_eq(float(got.strip().rstrip("%％")), expected)
            except ValueError:
                return False
        return False
    return isinstance(got, str) and re.sub(r"\s+", "", got) == re.sub(r"\s+", "", expected)


def _unit_points(points, pbu: dict, unit: str):
    return pbu[unit] if unit in pbu else points


def _compare(got, exp: dict, units: list[str], points_at: dict[int, float]) -> list[str]:
    where = f"#{exp['no']} {exp['name']} (row {exp['row']})"
    bad: list[str] = []

    def check(ok, field, g, e):
        if not ok:
            bad.append(f"{where}: {field} = {g!r}, expected {e!r}")

    check(got.no == exp["no"], "no", got.no, exp["no"])
    check(got.name == exp["name"], "name", got.name, exp["name"])
    check(got.name_raw.strip() == exp["name_raw"].strip(), "name_raw", got.name_raw, exp["name_raw"])
    check(got.kind == exp["kind"], "kind", got.kind, exp["kind"])
    shares = exp["shares_points_with_row"]
    check(got.shares_points_with_row == shares, "shares_points_with_row", got.shares_points_with_row, shares)
    if shares is None:
        check(_num_eq(got.points, exp["points"]), "points", got.points, exp["points"])
        for unit in sorted(set(units) | set(exp["points_by_unit"])):
            g = _unit_points(got.points, got.points_by_unit or {}, unit)
            e = _unit_points(exp["points"], exp["points_by_unit"], unit)
            check(_num_eq(g, e), f"points for {unit}", g, e)
        extra = set(got.points_by_unit or {}) - set(units) - set(exp["points_by_unit"])
        check(not extra, "points_by_unit units", sorted(extra), sorted(exp["points_by_unit"]))
    else:
        check(got.points is None or _num_eq(got.points, points_at.get(shares)), "points", got.points,
              "None or the parent's points")
    check(list(got.lead) == exp["lead"], "lead", got.lead, exp["lead"])
    check((got.support or []) == (exp["support"] or []), "support", got.support, exp["support"])
    if exp["support"]:  # a table that tells lead and support apart says so
        check(got.support is not None, "support", got.support, exp["support"])
    if "data_source" in exp:
        check((got.data_source or None) == exp["data_source"], "data_source", got.data_source, exp["data_source"])
    if "deduction_cap" in exp:
        check(_num_eq(got.deduction_cap, exp["deduction_cap"]), "deduction_cap", got.deduction_cap,
              exp["deduction_cap"])
    if "targets" in exp:
        for unit in units:
            g = (got.targets or {}).get(unit)
            if unit in exp["targets"]:
                check(_target_ok(g, exp["targets"][unit]), f"target for {unit}", g, exp["targets"][unit])
            else:
                check(g in (None, "", "---"), f"target for {unit}", g, "---/absent")
    if exp.get("no_targets"):
        check(not got.targets, "targets", got.targets, {})
    got_path = [mx._norm_path(p) for p in got.path]
    exp_path = [mx._norm_path(p) for p in exp["path"]]
    check(got_path == exp_path, "path", got.path, exp["path"])
    return bad


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_facts_are_consistent(built, case_id):
    """The hand-written facts agree with themselves."""
    path, facts = built(case_id)
    inds = facts["indicators"]
    assert len(inds) == facts["count"]
    counted = [i for i in inds if i["shares_points_with_row"] is None]
    full = [i for i in counted if i["kind"] != "bonus"]  # full marks: a bonus is on top of them
    assert _num_eq(sum(i["points"] for i in full if i["points"] and i["points"] > 0), facts["total_points"])
    assert mx._cats(inds) == facts["categories"]
    assert dict(Counter(i["kind"] for i in inds)) == facts["kinds"]
    for unit, total in facts["total_points_by_unit"].items():
        t = sum(p for p in (_unit_points(i["points"], i["points_by_unit"], unit) for i in counted) if p and p > 0)
        assert _num_eq(t, total), unit


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_count_and_totals(built, case_id):
    path, facts = built(case_id)
    system = _read(path)
    assert system.sheet == facts["sheet"]
    assert len(system.indicators) == facts["count"], [(i.row, i.name) for i in system.indicators]
    assert _num_eq(system.total_points, facts["total_points"]), system.total_points
    assert list(system.units) == facts["units"]
    for unit, total in facts["total_points_by_unit"].items():
        assert _num_eq(system.total_points_by_unit.get(unit), total), (unit, system.total_points_by_unit)
    assert not [p for p in system.problems if p.level == "error"], [str(p) for p in system.problems]


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_every_indicator(built, case_id):
    path, facts = built(case_id)
    system = _read(path)
    by_row = {i.row: i for i in system.indicators}
    points_at = {i["row"]: i["points"] for i in facts["indicators"]}
    bad = []
    for exp in facts["indicators"]:
        got = by_row.get(exp["row"])
        if got is None:
            bad.append(f"#{exp['no']} {exp['name']} (row {exp['row']}): not read")
            continue
        bad.extend(_compare(got, exp, facts["units"], points_at))
    extra = [f"row {i.row}: {i.name_raw!r} is not an indicator" for i in system.indicators if i.row not in points_at]
    assert not bad + extra, "\n".join(bad + extra)


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_categories_and_kinds(built, case_id):
    path, facts = built(case_id)
    system = _read(path)
    got = mx._cats([{"path": i.path, "points": i.points, "shares_points_with_row": i.shares_points_with_row}
                    for i in system.indicators])
    assert got == facts["categories"]
    assert dict(Counter(i.kind for i in system.indicators)) == facts["kinds"]


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_no_warnings_on_clean_tables(built, case_id):
    """These tables are consistent: the reader has nothing to warn about."""
    path, facts = built(case_id)
    system = _read(path)
    assert not system.problems, [str(p) for p in system.problems]


def test_titles(built):
    for case_id in ("scoring_rules-xlsx", "sub_items-xlsx", "three_row_header-xlsx", "two_sheets-xlsx"):
        path, facts = built(case_id)
        assert _read(path).title == facts["title"], case_id


def test_named_sheet_still_reads_the_decoy_as_not_a_system(built):
    """Asked for the progress sheet by name, the reader says it holds no points column."""
    from kaohe_excel.problems import InputError

    path, facts = built("two_sheets-xlsx")
    try:
        system = _read(path, "月度调度表")
    except InputError:
        return
    assert all(i.points is None for i in system.indicators)


def test_big_table_is_fast(built):
    path, facts = built("big_table-xlsx")
    _read(path)
    t0 = time.perf_counter()
    for _ in range(3):
        _read(path)
    assert (time.perf_counter() - t0) / 3 < 0.5


def test_cli_spec_json_on_unit_layout(built):
    path, facts = built("three_row_header-xlsx")
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
               PYTHONIOENCODING="utf-8")
    proc = subprocess.run([sys.executable, "-m", "kaohe_excel", "spec", str(path), "--json"],
                          capture_output=True, cwd=str(path.parent), env=env, timeout=60)
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    data = json.loads(proc.stdout.decode("utf-8"))
    assert data["units"] == facts["units"]
    assert len(data["indicators"]) == facts["count"]
    for unit, total in facts["total_points_by_unit"].items():
        assert _num_eq(data["total_points_by_unit"][unit], total), unit
    first = data["indicators"][0]
    assert first["points_by_unit"]["高新区"] == 5 and first["points_by_unit"]["临空经济区"] == 5


# ---------------------------------------------------------------- notation met in these layouts

@pytest.mark.parametrize("raw,lead,support", [
    ("县发改局（牵头）、县统计局", ["县发改局"], ["县统计局"]),
    ("县经信局（牵头）\n县统计局", ["县经信局"], ["县统计局"]),
    ("县财政局(牵头)、县税务局(配合)", ["县财政局"], ["县税务局"]),
    ("县金融服务中心、人行县支行（配合）", ["县金融服务中心"], ["人行县支行"]),
    ("县教育局（牵头）；县财政局、县住建局", ["县教育局"], ["县财政局", "县住建局"]),
    ("县农业农村局（牵头）、县水利局（牵头）、县财政局", ["县农业农村局", "县水利局"], ["县财政局"]),
    ("招商服\n务中心（牵头）、县统计局", ["招商服务中心"], ["县统计局"]),
    ("县发改局牵头，县住建局、县交通运输局配合", ["县发改局"], ["县住建局", "县交通运输局"]),
    ("县住建局/县交通运输局", ["县住建局", "县交通运输局"], None),
    ("—", [], None),
    ("无", [], None),
])
def test_unit_markers(raw, lead, support):
    from kaohe_excel.text import split_lead_support

    assert split_lead_support(raw) == (lead, support)


@pytest.mark.parametrize("raw,kind,points,overrides,cap", [
    ("10%", None, 10, {}, None),
    ("最高扣5分", "deduction", -5, {}, 5),
    ("最高加2分", "bonus", 2, {}, 2),
    ("10分（其中：项目投资6分，项目开工4分）", None, 10, {}, None),
    ("5（其中：基础分3）", None, 5, {}, None),
    ("3（高新区、临空经济区5）", None, 3, {"高新区": 5, "临空经济区": 5}, None),
    ("3（高新区、临空经济区各6分）", None, 3, {"高新区": 6, "临空经济区": 6}, None),
    ("2（临空经济区不考核）", None, 2, {"临空经济区": None}, None),
    ("约束性指标", "constraint", None, {}, None),
    ("一票否优", "constraint", None, {}, None),
])
def test_more_points(raw, kind, points, overrides, cap):
    from kaohe_excel.text import parse_points

    p = parse_points(raw)
    assert (p.kind, p.points, p.overrides, p.cap, p.ok) == (kind, points, overrides, cap, True)


def test_header_roles_with_unit_notes_and_rules():
    from kaohe_excel.read.system import SYSTEM_ROLES
    from kaohe_excel.read.tables import role_of

    assert role_of("指标名称（单位）", SYSTEM_ROLES) == "name"
    assert role_of("分值（分）", SYSTEM_ROLES) == "points"
    assert role_of("权重（%）", SYSTEM_ROLES) == "points"
    for rule in ("评分标准", "计分办法", "计分方法", "考核方式", "考核内容及评分标准", "评分细则"):
        assert role_of(rule, SYSTEM_ROLES) == "rule", rule
    assert role_of("县级责任领导", SYSTEM_ROLES) == "leader"
    assert role_of("监考单位", SYSTEM_ROLES) == "lead"


def test_jingyang_style_in_memory():
    """旌阳区 2016 style: `项 目` over category and name, 分值 | 目标任务 | 监考单位."""
    from kaohe_excel.read.grid import grid_from_rows
    from kaohe_excel.read.system import SYSTEM_ROLES, system_from_table
    from kaohe_excel.read.tables import find_table

    rows = [
        ["旌阳区2016年度经济社会发展目标任务分解表", "", "", "", ""],
        ["项 目", "", "分值", "目标任务", "监考单位"],
        ["宏观调控", "地区生产总值增长率", 3, "年终根据全省平均水平综合考核", "区发改局\n区统计局"],
        ["", "社会消费品零售总额增长率", 3, "", ""],
        ["", "地方政府债务率", 0.5, "年终按财政部认可警戒线比较考核", "区财政局"],
        ["公共服务", "城镇登记失业率", 1, "低于 4.1", "区人社局"],
    ]
    merges = [(0, 0, 0, 4), (1, 0, 1, 1), (2, 0, 4, 0), (2, 3, 3, 3), (2, 4, 3, 4)]
    table = find_table(grid_from_rows(rows, merges), SYSTEM_ROLES, required=("name|category", "points|lead"))
    s = system_from_table(table)
    assert [(i.path, i.name, i.points, i.lead) for i in s.indicators] == [
        (["宏观调控"], "地区生产总值增长率", 3, ["区发改局", "区统计局"]),
        (["宏观调控"], "社会消费品零售总额增长率", 3, ["区发改局", "区统计局"]),
        (["宏观调控"], "地方政府债务率", 0.5, ["区财政局"]),
        (["公共服务"], "城镇登记失业率", 1, ["区人社局"]),
    ]
    assert s.total_points == 7.5
