"""The indicator-system reader on a third round of layouts (tests/fixtures/third_systems.py).

Each layout is built as .xlsx (openpyxl) and .xls (xlwt) and compared field by
field with the facts written by hand: number, row, name, kind, points, per-unit
points, sharing, lead and support units, category path, deduction caps.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.fixtures import more_systems as mx  # noqa: E402
from tests.fixtures import third_systems as tx  # noqa: E402
from tests.test_more_systems import _compare, _num_eq, _unit_points  # noqa: E402

CASES = [(f"{name}-{fmt}", builder, fmt) for name, builder, _ in tx.THIRD_BUILDERS for fmt in ("xlsx", "xls")]
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


def _read(path):
    from kaohe_excel.read.workbook import read_system

    return read_system(path)


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_facts_are_consistent(built, case_id):
    _, facts = built(case_id)
    inds = facts["indicators"]
    assert len(inds) == facts["count"]
    counted = [i for i in inds if i["shares_points_with_row"] is None]
    full = [i for i in counted if i["kind"] != "bonus"]  # full marks: a bonus is on top of them
    assert _num_eq(sum(i["points"] for i in full if i["points"] and i["points"] > 0), facts["total_points"])
    assert dict(Counter(i["kind"] for i in inds)) == facts["kinds"]
    for unit, total in facts["total_points_by_unit"].items():
        t = sum(p for p in (_unit_points(i["points"], i["points_by_unit"], unit) for i in counted) if p and p > 0)
        assert _num_eq(t, total), unit


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_count_totals_and_title(built, case_id):
    path, facts = built(case_id)
    system = _read(path)
    assert system.sheet == facts["sheet"]
    assert system.title == facts["title"]
    assert len(system.indicators) == facts["count"], [(i.row, i.name) for i in system.indicators]
    assert _num_eq(system.total_points, facts["total_points"]), system.total_points
    assert list(system.units) == facts["units"]
    assert set(system.total_points_by_unit) == set(facts["total_points_by_unit"])
    for unit, total in facts["total_points_by_unit"].items():
        assert _num_eq(system.total_points_by_unit.get(unit), total), (unit, system.total_points_by_unit)


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
        if "direction" in exp and got.direction != exp["direction"]:
            bad.append(f"row {exp['row']}: direction = {got.direction!r}, expected {exp['direction']!r}")
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
def test_no_problems_on_clean_tables(built, case_id):
    """Restarted numbering, 小计 rows and per-event figures are not mistakes. A 加分 figure beside
    a 基本分 is said once (its condition is not scored), never as a mistake of the table."""
    path, _ = built(case_id)
    system = _read(path)
    said = [p for p in system.problems if "在基本分之外另有加分或扣分" in p.message]
    if case_id == "base_bonus_columns":
        assert len(said) == 1 and "第1项（加1分）、第3项（加0.5分）、第5项（加0.5分）" in said[0].message
        assert said[0].level == "warning"
    rest = [p for p in system.problems if p not in said]
    assert not rest, [str(p) for p in rest]


# ---------------------------------------------------------------- notation met in these layouts

@pytest.mark.parametrize("raw,kind,points,overrides,cap", [
    ("2分/次", None, 2, {}, None),
    ("扣0.5分/次", "deduction", -0.5, {}, None),
    ("每项加1分，最高加3分", "bonus", 1, {}, 3),
    ("每亿元加0.5分", "bonus", 0.5, {}, None),
    ("1分/项，最高3分", None, 1, {}, 3),
    ("每降低1个名次扣0.5分", "deduction", -0.5, {}, None),
    ("3（其中高新区6分）", None, 3, {"高新区": 6}, None),
    ("10分（其中：项目投资6分）", None, 10, {}, None),
    ("3（高新区６）", None, 3, {"高新区": 6}, None),
    ("3(高新区6)(临空经济区6)", None, 3, {"高新区": 6, "临空经济区": 6}, None),
    ("共10分", None, 10, {}, None),
    ("权重10%", None, 10, {}, None),
    ("不计分", None, None, {}, None),
    ("——", None, None, {}, None),
    ("5.0", None, 5, {}, None),
])
def test_third_points(raw, kind, points, overrides, cap):
    from kaohe_excel.text import parse_points

    p = parse_points(raw)
    assert (p.kind, p.points, p.overrides, p.cap, p.ok) == (kind, points, overrides, cap, True)


@pytest.mark.parametrize("raw,lead,support", [
    ("县档案馆\n县委办", ["县档案馆", "县委办"], None),
    ("县委党校\n县委组织部", ["县委党校", "县委组织部"], None),
    ("县供销社\n县商务局", ["县供销社", "县商务局"], None),
    ("县人力资源和社\n会保障局", ["县人力资源和社会保障局"], None),
    ("县市场\n监督管理局", ["县市场监督管理局"], None),
    ("县发改委（牵头）\n县统计局", ["县发改委"], ["县统计局"]),
    ("各乡镇（街道）、县直各单位", ["各乡镇（街道）", "县直各单位"], None),
])
def test_third_units(raw, lead, support):
    from kaohe_excel.text import split_lead_support

    assert split_lead_support(raw) == (lead, support)


@pytest.mark.parametrize("header,role", [
    ("基准分", "points"), ("考核分", "points"), ("权重（%）", "points"), ("加分", "bonus_points"),
    ("扣分", "deduction_points"), ("主要指标", "name"), ("指标名称及分值", "name"), ("主办单位", "lead"),
    ("归口部门", "lead"), ("备注", "remark"), ("扣分标准", "rule"),
])
def test_third_headers(header, role):
    from kaohe_excel.read.system import SYSTEM_ROLES
    from kaohe_excel.read.tables import role_of

    assert role_of(header, SYSTEM_ROLES) == role
