"""The indicator-system reader on workbooks built the way clerks build them.

Each fixture in tests/fixtures/systems.py writes a real .xlsx / .xls file and
states, by hand, what the table holds. These tests read the file with
`read_system` (and the CLI) and compare every indicator with those facts.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.fixtures import systems as fx  # noqa: E402

OTHER_FMT = {"xlsx": "xls", "xls": "xlsx"}
CASES = [(f"{name}-{fmt}", builder, fmt)
         for name, builder, default in fx.SYSTEM_BUILDERS
         for fmt in (default, OTHER_FMT[default])]
CASE_IDS = [c[0] for c in CASES]
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Build each fixture once per module: case id -> (path, facts)."""
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


# ---------------------------------------------------------------- comparison helpers

def _norm_cat(text: str) -> str:
    """A category as a clerk says it: no breaks, no （12项）, no 一、 numbering."""
    t = re.sub(r"\s+", "", text or "")
    t = re.sub(r"[（(]\d+项[)）]$", "", t)
    t = re.sub(r"^[一二三四五六七八九十]+[、.．]", "", t)
    t = re.sub(r"^[（(][一二三四五六七八九十]+[)）]", "", t)
    return t


def _num_eq(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    try:
        return abs(float(a) - float(b)) < 1e-9
    except (TypeError, ValueError):
        return False


def _target_ok(got, expected) -> bool:
    if isinstance(expected, (int, float)):
        if isinstance(got, (int, float)):
            return _num_eq(got, expected)
        if isinstance(got, str):  # a written form such as '100%' is acceptable too
            try:
                return _num_eq(float(got.strip().rstrip("%％")), expected)
            except ValueError:
                return False
        return False
    return isinstance(got, str) and re.sub(r"\s+", "", got) == re.sub(r"\s+", "", expected)


def _unit_points(points, pbu: dict, unit: str):
    return pbu[unit] if unit in pbu else points


def _compare_indicator(got, exp: dict, units: list[str], points_at: dict[int, float]) -> list[str]:
    where = f"#{exp['no']} {exp['name']} (row {exp['row']})"
    bad = []

    def check(ok: bool, field: str, got_v, exp_v):
        if not ok:
            bad.append(f"{where}: {field} = {got_v!r}, expected {exp_v!r}")

    check(got.no == exp["no"], "no", got.no, exp["no"])
    check(got.row == exp["row"], "row", got.row, exp["row"])
    check(got.name == exp["name"], "name", got.name, exp["name"])
    check((got.name_raw or "").strip() == exp["name_raw"].strip(), "name_raw", got.name_raw, exp["name_raw"])
    check(got.kind == exp["kind"], "kind", got.kind, exp["kind"])
    shares = exp["shares_points_with_row"]
    check(got.shares_points_with_row == shares, "shares_points_with_row", got.shares_points_with_row, shares)
    if shares is None:
        check(_num_eq(got.points, exp["points"]), "points", got.points, exp["points"])
        for unit in sorted(set(units) | set(exp["points_by_unit"])):
            g = _unit_points(got.points, got.points_by_unit or {}, unit)
            e = _unit_points(exp["points"], exp["points_by_unit"], unit)
            check(_num_eq(g, e), f"points for {unit}", g, e)
    else:
        # a sub-item may repeat its parent's points or leave them empty
        check(got.points is None or _num_eq(got.points, points_at.get(shares)), "points", got.points,
              "None or the parent's points")
    check(list(got.lead) == exp["lead"], "lead", got.lead, exp["lead"])
    check((got.support or []) == (exp["support"] or []), "support", got.support, exp["support"])
    if "data_source" in exp:
        g = re.sub(r"\s+", "", got.data_source or "") or None
        check(g == exp["data_source"], "data_source", got.data_source, exp["data_source"])
    if "targets" in exp:
        targets = got.targets or {}
        for unit in units:
            if unit in exp["targets"]:
                check(_target_ok(targets.get(unit), exp["targets"][unit]), f"target for {unit}",
                      targets.get(unit), exp["targets"][unit])
            else:  # '---': not assessed
                check(targets.get(unit) in (None, "", "---"), f"target for {unit}", targets.get(unit), "---/absent")
    if "deduction_cap" in exp:
        check(_num_eq(got.deduction_cap, exp["deduction_cap"]), "deduction_cap", got.deduction_cap,
              exp["deduction_cap"])
    got_path = [_norm_cat(p) for p in got.path]
    exp_path = [_norm_cat(p) for p in exp["path"]]
    check(got_path == exp_path, "path", got.path, exp["path"])
    return bad


# ---------------------------------------------------------------- the fixtures themselves

@pytest.mark.parametrize("case_id", CASE_IDS)
def test_fixture_facts_are_consistent(built, case_id):
    """The hand-written facts agree with themselves and with the cells in the file."""
    import python_calamine as pc

    path, facts = built(case_id)
    inds = facts["indicators"]
    assert len(inds) == facts["count"]
    counted = [i for i in inds if i["shares_points_with_row"] is None]
    full = [i for i in counted if i["kind"] != "bonus"]  # full marks: a bonus is on top of them
    assert _num_eq(sum(i["points"] for i in full if i["points"] and i["points"] > 0), facts["total_points"])
    cats: dict[str, dict] = {}
    for i in inds:
        c = cats.setdefault(_norm_cat(i["path"][0]), {"count": 0, "points": 0})
        c["count"] += 1
        if i["shares_points_with_row"] is None and i["points"] and i["points"] > 0:
            c["points"] += i["points"]
    assert cats == facts["categories"]
    assert dict(Counter(i["kind"] for i in inds)) == facts["kinds"]
    for unit, total in facts["total_points_by_unit"].items():
        t = sum(p for p in (_unit_points(i["points"], i["points_by_unit"], unit) for i in counted) if p and p > 0)
        assert _num_eq(t, total), unit
    wb = pc.CalamineWorkbook.from_path(str(path))
    rows = wb.get_sheet_by_name(facts["sheet"]).to_python(skip_empty_area=False)
    for i in inds:
        cells = [str(v) for v in rows[i["row"] - 1]]
        assert i["name_raw"] in cells, (i["row"], cells)


# ---------------------------------------------------------------- the reader

@pytest.mark.parametrize("case_id", CASE_IDS)
def test_count_and_totals(built, case_id):
    path, facts = built(case_id)
    system = _read(path)
    assert system.sheet == facts["sheet"]
    assert len(system.indicators) == facts["count"], [i.name for i in system.indicators]
    assert _num_eq(system.total_points, facts["total_points"]), system.total_points
    assert list(system.units) == facts["units"]
    if facts["total_points_by_unit"]:
        got = system.total_points_by_unit
        for unit, total in facts["total_points_by_unit"].items():
            assert _num_eq(got.get(unit), total), (unit, got.get(unit), total)
    assert not [p for p in system.problems if p.level == "error"], [str(p) for p in system.problems]


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_every_indicator(built, case_id):
    path, facts = built(case_id)
    system = _read(path)
    by_row = {i.row: i for i in system.indicators}
    by_name = {i.name: i for i in system.indicators}
    points_at = {i["row"]: i["points"] for i in facts["indicators"]}
    bad = []
    for exp in facts["indicators"]:
        got = by_row.get(exp["row"]) or by_name.get(exp["name"])
        if got is None:
            bad.append(f"#{exp['no']} {exp['name']} (row {exp['row']}): not read")
            continue
        bad.extend(_compare_indicator(got, exp, facts["units"], points_at))
    extra = [f"row {i.row}: {i.name_raw!r} is not an indicator" for i in system.indicators
             if i.row not in points_at]
    assert not bad + extra, "\n".join(bad + extra)


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_categories_and_kinds(built, case_id):
    path, facts = built(case_id)
    system = _read(path)
    cats: dict[str, dict] = {}
    for i in system.indicators:
        c = cats.setdefault(_norm_cat(i.path[0] if i.path else ""), {"count": 0, "points": 0})
        c["count"] += 1
        if i.shares_points_with_row is None and i.points and i.points > 0:
            c["points"] += i.points
    cats = {k: {"count": v["count"], "points": round(v["points"], 6)} for k, v in cats.items()}
    assert cats == facts["categories"]
    assert dict(Counter(i.kind for i in system.indicators)) == facts["kinds"]


def test_title_is_read(built):
    for case_id, fragment in [("seed000-xlsx", "综合评价指标体系任务分工"), ("seed001-xlsx", "完成情况一览表"),
                              ("seed002-xls", "任务分解表"), ("unit_targets-xlsx", "目标任务"),
                              ("offset_table-xlsx", "考核指标分解表")]:
        path, facts = built(case_id)
        title = _read(path).title or ""
        assert fragment in re.sub(r"\s+", "", title), (case_id, title)
        assert not title.startswith("附件"), (case_id, title)


def test_table_on_second_sheet_can_be_named(built):
    path, facts = built("lead_support-xlsx")
    from kaohe_excel.read.workbook import read_system

    system = read_system(path, sheet="考核指标")
    assert len(system.indicators) == facts["count"]


# ---------------------------------------------------------------- unusable files

def test_not_a_table_is_refused(tmp_path):
    from kaohe_excel.problems import InputError

    path = fx.not_a_table(tmp_path)
    with pytest.raises(InputError) as info:
        _read(path)
    problem = info.value.problem
    assert problem.file == path.name
    assert CJK.search(problem.message)


@pytest.mark.parametrize("index", range(4), ids=["truncated", "empty", "csv_renamed", "txt_renamed"])
def test_broken_file_is_refused(tmp_path, index):
    from kaohe_excel.problems import InputError

    path = fx.broken_files(tmp_path)[index]
    with pytest.raises(InputError) as info:
        _read(path)
    assert info.value.problem.file == path.name
    assert CJK.search(info.value.problem.message)


# ---------------------------------------------------------------- the command line

def _spec(path, *args):
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
               PYTHONIOENCODING="utf-8")
    return subprocess.run([sys.executable, "-m", "kaohe_excel", "spec", str(path), *args],
                          capture_output=True, cwd=str(path.parent), env=env, timeout=60)


@pytest.mark.parametrize("case_id", ["seed000-xlsx", "seed001-xlsx", "seed002-xls", "unit_targets-xls"])
def test_cli_spec_json(built, case_id):
    path, facts = built(case_id)
    proc = _spec(path, "--json")
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    data = json.loads(proc.stdout.decode("utf-8"))
    assert len(data["indicators"]) == facts["count"]
    assert _num_eq(data["total_points"], facts["total_points"])
    assert data["sheet"] == facts["sheet"]
    assert data["units"] == facts["units"]
    for unit, total in facts["total_points_by_unit"].items():
        assert _num_eq(data["total_points_by_unit"].get(unit), total), unit
    first = data["indicators"][0]
    for key in ("no", "row", "path", "name", "name_raw", "kind", "points", "points_by_unit",
                "shares_points_with_row", "lead", "support", "data_source", "targets"):
        assert key in first, key
    assert [i["no"] for i in data["indicators"]] == [i["no"] for i in facts["indicators"]]


def test_cli_spec_summary_is_chinese(built):
    path, facts = built("seed001-xlsx")
    proc = _spec(path)
    out = proc.stdout.decode("utf-8")
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    assert "49" in out and "116" in out
    assert CJK.search(out)


def _assert_refused(proc, path, also=()):
    out = proc.stdout.decode("utf-8", "replace") + proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == 2, out
    assert "Traceback" not in out, out
    assert path.name in out, out
    assert CJK.search(out)
    for word in also:
        assert word in out, (word, out)


def test_cli_not_a_table_exit_2(tmp_path):
    path = fx.not_a_table(tmp_path)
    _assert_refused(_spec(path), path, also=("支出明细",))
    _assert_refused(_spec(path, "--json"), path)


@pytest.mark.parametrize("index", range(4), ids=["truncated", "empty", "csv_renamed", "txt_renamed"])
def test_cli_broken_file_exit_2(tmp_path, index):
    path = fx.broken_files(tmp_path)[index]
    _assert_refused(_spec(path), path)


# ---------------------------------------------------------------- the demo workspace

def test_demo_input_is_current(tmp_path):
    """input/ is exactly what tools/make_demo.py builds (rebuild and commit after changing it)."""
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import make_demo
    finally:
        sys.path.remove(str(ROOT / "tools"))
    make_demo.main(["--input", str(tmp_path / "input")])
    built_files = sorted(p for p in (tmp_path / "input").rglob("*") if p.is_file())
    assert built_files
    for p in built_files:
        committed = ROOT / "input" / p.relative_to(tmp_path / "input")
        assert committed.exists(), f"{committed} missing: run python tools/make_demo.py"
        assert committed.read_bytes() == p.read_bytes(), f"{committed} is stale: run python tools/make_demo.py"


def test_demo_system_reads_as_seed001():
    path = ROOT / "input" / "附件2：叶县2023年度高质量发展综合绩效指标完成情况一览表.xlsx"
    system = _read(path)
    assert len(system.indicators) == 49
    assert _num_eq(system.total_points, 116)
    assert "叶县2023年度" in (system.title or "")


def test_demo_has_no_personal_data():
    """Synthetic data only: no phone numbers, e-mail addresses or ID numbers in input/."""
    import python_calamine as pc

    texts = []
    for p in (ROOT / "input").rglob("*"):
        if p.suffix in (".txt", ".toml", ".csv", ".md"):
            texts.append(p.read_text(encoding="utf-8"))
        elif p.suffix in (".xlsx", ".xls") and not p.name.startswith("~$"):
            wb = pc.CalamineWorkbook.from_path(str(p))
            for name in wb.sheet_names:
                for row in wb.get_sheet_by_name(name).to_python():
                    texts.append(" ".join(str(v) for v in row))
    blob = "\n".join(texts)
    assert "演示数据" in (ROOT / "input" / "说明（演示数据）.txt").read_text(encoding="utf-8")
    assert not re.search(r"(?<!\d)1[3-9]\d{9}(?!\d)", blob)  # mobile numbers
    assert not re.search(r"(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)", blob)  # landlines
    assert not re.search(r"[\w.]+@[\w.]+\.\w+", blob)  # e-mail
    assert not re.search(r"(?<!\d)\d{17}[\dXx](?!\d)", blob)  # ID numbers
