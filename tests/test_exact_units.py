"""Issue #10 on a city's view of five units (tests/exact_units.py): per-unit points and
不考核 (class 3), deductions and constraints nobody reported (class 5), exact scores
(class 8). Every expected figure is worked out by hand in tests/exact_units.py; the
code under test runs only as a separate process (`kaohe spec|assess|check|run`) and
its reports are read back with openpyxl.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from tests import exact_units as eu

ROOT = Path(__file__).resolve().parents[1]
NOT_ASSESSED_NO = 4
NOT_ASSESSED_NAME = "社会消费品零售总额增速"
UNREPORTED_NAMES = {15: "重大群体性事件", 17: "较大及以上生产安全事故"}


# ------------------------------------------------------------------ running the CLI
from tests.kaohe_cli import cli as _cli, cli_json as _json  # noqa: E402


class Space:
    """One built workspace and what the CLI said about it (each command run once)."""

    def __init__(self, root: Path, **kw):
        self.built = eu.build_workspace(root, **kw)
        self.root = root
        self._cache: dict[str, object] = {}

    def assess(self) -> dict:
        if "assess" not in self._cache:
            self._cache["assess"] = _json(self.root, "assess", "--month", eu.MONTH)
        return self._cache["assess"]

    def check(self) -> dict:
        if "check" not in self._cache:
            self._cache["check"] = _json(self.root, "check", "--month", eu.MONTH)
        return self._cache["check"]

    def spec(self) -> dict:
        if "spec" not in self._cache:
            self._cache["spec"] = _json(self.root, "spec", str(self.built.system))
        return self._cache["spec"]

    def run(self) -> Path:
        if "run" not in self._cache:
            p = _cli(self.root, "run", "-w", str(self.root), "--month", eu.MONTH)
            assert "Traceback" not in p.stdout + p.stderr, p.stdout + p.stderr
            assert p.returncode in (0, 1), p.stdout + p.stderr
            self._cache["run"] = self.root / "output" / eu.MONTH
        return self._cache["run"]

    def report(self, word: str) -> Path:
        found = sorted(self.run().glob(f"*{word}*.xlsx"))
        assert len(found) == 1, (word, [f.name for f in self.run().iterdir()])
        return found[0]


@pytest.fixture(scope="module")
def space(tmp_path_factory) -> Space:
    """county = "乐安县" in kaohe.toml."""
    return Space(tmp_path_factory.mktemp("leanxian"))


@pytest.fixture(scope="module")
def found_space(tmp_path_factory) -> Space:
    """No county in kaohe.toml: 乐安县 must be found from the departments' files."""
    return Space(tmp_path_factory.mktemp("leanxian_found"), county_in_toml=False)


@pytest.fixture(scope="module")
def old_space(tmp_path_factory) -> Space:
    """unreported_events = "none": the old reading (nothing reported = nothing happened)."""
    return Space(tmp_path_factory.mktemp("leanxian_old"), unreported_events="none")


def _by_no(result: dict) -> dict[int, dict]:
    return {i["no"]: i for i in result["indicators"]}


def _problems(result: dict) -> str:
    return "\n".join(f"{p.get('file')} {p.get('cell')} {p.get('level')}: {p.get('message')}"
                     for p in result.get("problems", []))


def _dec(v) -> Decimal:
    """The number exactly as stored (2.8499999999999996 stays that, never 2.85)."""
    return Decimal(repr(float(v))) if not isinstance(v, int) else Decimal(v)


def _is_num(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _text(v) -> str:
    return re.sub(r"\s+", "", str(v or ""))


# ------------------------------------------------------------------ reading reports back
def _header(sheet, *, need: tuple[str, ...]) -> tuple[int, dict[str, int]] | None:
    """(row, {header text without spaces: column}) of the first row holding 序号 and `need`."""
    for row in sheet.iter_rows(min_row=1, max_row=15):
        texts = {_text(c.value): c.column for c in row if c.value is not None}
        if "序号" in texts and all(any(n in t for t in texts) for n in need):
            return row[0].row, texts
    return None


def _col(texts: dict[str, int], *words: str, avoid: tuple[str, ...] = ()) -> int:
    for t, c in texts.items():
        if any(w in t for w in words) and not any(a in t for a in avoid):
            return c
    raise AssertionError(f"no column with {words} among {list(texts)}")


def _sum_cell(sheet, value) -> Decimal | None:
    """A total cell: a number, or =SUM(X1:X9) worked out exactly from the cells it names."""
    if _is_num(value):
        return _dec(value)
    m = re.fullmatch(r"=SUM\(([A-Z]+)(\d+):([A-Z]+)(\d+)\)", str(value or "").replace("$", ""))
    if not m:
        return None
    total = Decimal(0)
    for row in sheet[f"{m.group(1)}{m.group(2)}:{m.group(3)}{m.group(4)}"]:
        for c in row:
            if _is_num(c.value):
                total += _dec(c.value)
    return total


def _overview_rows(space: Space):
    wb = openpyxl.load_workbook(space.report("一览表"))
    sheet = wb.worksheets[0]
    found = _header(sheet, need=("截至",))
    assert found, "一览表 has no header row with 序号 and 截至本月底完成情况"
    hrow, texts = found
    cols = {"points": _col(texts, "总分", "分值"), "actual": _col(texts, "截至")}
    rows = {}
    for r in range(hrow + 1, sheet.max_row + 1):
        no = sheet.cell(r, 1).value
        if _is_num(no):
            rows[int(no)] = {k: sheet.cell(r, c).value for k, c in cols.items()} | {"row": r}
    return sheet, hrow, texts, cols, rows


def _score_sheets(space: Space):
    """(indicator sheet, its header row, columns) and (category sheet, header row, columns)."""
    wb = openpyxl.load_workbook(space.report("得分测算"))
    ind = cat = None
    for sheet in wb.worksheets:
        found = _header(sheet, need=("分值", "得分"))
        if not found:
            continue
        hrow, texts = found
        if any(t == "指标" or t.startswith("指标") and "序号" not in t for t in texts) and ind is None:
            ind = (sheet, hrow, texts)
        elif "类别" in texts and cat is None:
            cat = (sheet, hrow, texts)
    assert ind, "得分测算 has no indicator table (序号 | 指标 | 分值 | 得分)"
    return wb, ind, cat


def _total_row(sheet, hrow: int) -> int:
    for r in range(hrow + 1, sheet.max_row + 1):
        if any(_text(c.value) in ("合计", "总计", "合计得分") for c in sheet[r]):
            return r
    raise AssertionError(f"{sheet.title}: no 合计 row under the table")


# ================================================================== class 3: per-unit points, 不考核
def test_spec_gives_every_unit_its_own_full_marks(space):
    """spec --json: 3 (高新区6), 2 (乐安县2.5), 3 (乐安县6) merged over four rows (counted
    once), `---` leaving the unit's total; 乐安县 29.5 (see exact_units.py)."""
    spec = space.spec()
    assert spec["units"] == eu.UNITS
    assert len(spec["indicators"]) == len(eu.SYSTEM_ROWS), [i["name"] for i in spec["indicators"]]
    assert spec["total_points_by_unit"] == eu.TOTAL_POINTS_BY_UNIT


@pytest.mark.parametrize("which", ["county in kaohe.toml", "county found from the files"])
def test_assess_total_points_is_our_units(which, space, found_space):
    s = space if which == "county in kaohe.toml" else found_space
    res = s.assess()
    assert res["county"] == eu.COUNTY
    assert res["total_points"] == eu.TOTAL_POINTS, (res["total_points"], eu.TOTAL_POINTS)


def test_points_per_row_for_our_unit(space):
    """1: 3 (override names 高新区); 3: 2.5 (乐安县2.5); 5–8: 6 split over four rows = 1.5
    each; 4: `---` -> None."""
    got = {no: r["points"] for no, r in _by_no(space.assess()).items() if no in eu.POINTS}
    assert got == eu.POINTS


def test_not_assessed_item_is_out_of_marks_score_and_estimate(space):
    """4 is `---` for 乐安县 even though the city's sheet has a figure (5.8) for it."""
    res = space.assess()
    r = _by_no(res)[NOT_ASSESSED_NO]
    got = {k: r.get(k) for k in ("not_assessed", "points", "score", "display")}
    assert got == {"not_assessed": True, "points": None, "score": None, "display": "不考核"}
    others = [no for no, x in _by_no(res).items() if no != NOT_ASSESSED_NO and x.get("not_assessed")]
    assert others == []
    assert NOT_ASSESSED_NO not in res.get("estimate_basis", []), res.get("estimate_basis")
    cat = {s["category"]: s["points"] for s in res["subtotals"]}
    assert cat["经济发展"] == 9.5, cat  # 3 + 4 + 2.5, item 4 left out


def test_group_is_the_five_units_not_the_city(space):
    res = space.assess()
    assert res["group"] == eu.UNITS  # 临港市 (the city's own column) is no peer
    assert res["group_label"] == "五县区"
    r = _by_no(res)[1]
    assert r["group_size"] == 5 and r["rank"] == 3 and r["colour"] == "yellow"  # N=5: 1-2 / 3-4 / 5


def test_overview_shows_our_points_and_buhekao(space):
    """一览表: 总分 header and the 分值 column are 乐安县's (29.5; 3 → 2.5 for item 3; the
    group's 6 once, merged or 1.5 a row); item 4 says 不考核, never 暂无数据."""
    sheet, hrow, texts, cols, rows = _overview_rows(space)
    head = next(t for t in texts if "总分" in t or "分值" in t)
    m = re.search(r"总分[（(]?([0-9.]+)分", head)
    assert m, f"一览表 分值 header says no 总分: {head!r}"
    assert Decimal(m.group(1)) == Decimal("29.5"), head
    pts = {no: r["points"] for no, r in rows.items()}
    assert pts[1] == 3 and pts[3] == 2.5, pts
    if pts[5] == 6:
        assert [pts[6], pts[7], pts[8]] == [None, None, None], pts
    else:
        assert [pts[5], pts[6], pts[7], pts[8]] == [1.5] * 4, pts
    assert not _is_num(pts[NOT_ASSESSED_NO]), pts[NOT_ASSESSED_NO]
    column_sum = sum((_dec(v) for v in pts.values() if _is_num(v)), Decimal(0))
    assert column_sum == Decimal("29.5"), pts
    assert rows[NOT_ASSESSED_NO]["actual"] == "不考核", rows[NOT_ASSESSED_NO]


def test_no_report_says_zanwu_for_a_not_assessed_item(space):
    """Every report: the row of item 4 never says 暂无数据 (nor 无数据)."""
    bad = []
    for path in sorted(space.run().glob("*.xlsx")):
        for sheet in openpyxl.load_workbook(path).worksheets:
            for row in sheet.iter_rows():
                texts = [str(c.value) for c in row if c.value is not None]
                if any(NOT_ASSESSED_NAME in t for t in texts) and any("暂无数据" in t or t == "无数据" for t in texts):
                    bad.append(f"{path.name}!{sheet.title} row {row[0].row}: {texts}")
    assert not bad, "\n".join(bad)


def test_score_report_points_column_sums_to_our_full_marks(space):
    wb, (sheet, hrow, texts), cat = _score_sheets(space)
    pcol = _col(texts, "分值")
    total_row = _total_row(sheet, hrow)
    cells = [sheet.cell(r, pcol).value for r in range(hrow + 1, total_row)]
    assert sum((_dec(v) for v in cells if _is_num(v)), Decimal(0)) == Decimal("29.5"), cells
    printed = _sum_cell(sheet, sheet.cell(total_row, pcol).value)
    assert printed == Decimal("29.5"), sheet.cell(total_row, pcol).value
    # every 满分 figure the workbook prints is 29.5
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            for v in row:
                for m in re.finditer(r"满分\s*([0-9.]+)\s*分", str(v or "")):
                    assert Decimal(m.group(1)) == Decimal("29.5"), v


# ================================================================== class 5: not reported is not "did not happen"
def test_unreported_deduction_and_constraint_are_unknown(space):
    res = space.assess()
    by = _by_no(res)
    for no in eu.UNREPORTED:
        r = by[no]
        assert (r.get("unreported"), r.get("display"), r["score"]) == (True, "未报送", None), (no, r)
    # 16 was reported (未发生): it keeps its point and is not unknown
    r16 = by[16]
    assert (r16.get("unreported"), r16["score"], r16.get("display")) == (False, 1, "未发生"), r16
    # and no scored item is flagged
    assert [no for no, r in by.items() if r.get("unreported") and no not in eu.UNREPORTED] == []
    assert sorted(res["unreported_events"]) == eu.UNREPORTED
    assert res["points_at_stake"] == eu.POINTS_AT_STAKE  # 15: 1 point; 17: cap 6


def test_unreported_totals_leave_the_unknown_out(space):
    """total 25.525 (15 and 17 unknown), full marks still 29.5 (15's point is earnable)."""
    res = space.assess()
    assert (res["total"], res["total_points"]) == (eu.TOTAL, eu.TOTAL_POINTS)
    cat = {s["category"]: (s["points"], s["score"]) for s in res["subtotals"]}
    assert cat["约束条件"] == eu.SUBTOTALS["约束条件"] and cat["减分项"] == eu.SUBTOTALS["减分项"], cat


@pytest.mark.parametrize("command", ["check", "assess"])
def test_unreported_items_are_warned(space, command):
    res = space.check() if command == "check" else space.assess()
    warnings = [p["message"] for p in res["problems"] if p["level"] == "warning"]
    missing = [name for name in UNREPORTED_NAMES.values() if not any(name in w for w in warnings)]
    assert not missing, f"no warning naming {missing}:\n{_problems(res)}"


def test_run_lists_the_unreported_items(space):
    """kaohe run: the 校验报告 (the run's problem list) names both items."""
    sheet = openpyxl.load_workbook(space.report("校验报告")).worksheets[0]
    texts = [str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None]
    missing = [name for name in UNREPORTED_NAMES.values() if not any(name in t for t in texts)]
    assert not missing, f"校验报告 does not name {missing}"


def test_overview_says_weibaosong(space):
    _, _, _, _, rows = _overview_rows(space)
    got = {no: rows[no]["actual"] for no in eu.UNREPORTED}
    assert got == {no: "未报送" for no in eu.UNREPORTED}


def test_old_reading_counts_unreported_as_not_happened(old_space):
    """unreported_events = "none": 15 keeps its point, 17 deducts nothing, nothing at stake."""
    res = old_space.assess()
    by = _by_no(res)
    assert (by[15]["score"], by[17]["score"]) == (1, 0), (by[15], by[17])
    assert not by[15].get("unreported") and not by[17].get("unreported")
    assert res["points_at_stake"] == 0 and res["unreported_events"] == []
    assert (res["total"], res["total_points"]) == (eu.TOTAL_OLD, eu.TOTAL_POINTS)
    cat = {s["category"]: (s["points"], s["score"]) for s in res["subtotals"]}
    assert cat == eu.SUBTOTALS_OLD, cat


# ================================================================== class 8: exact scores
def test_scores_are_exact(space):
    """1.5 × 0.20/0.24 = 1.25, 3 × 0.95 = 2.85 (float: 2.8499999999999996), 2.5 × 0.85 = 2.125 …"""
    by = _by_no(space.assess())
    got = {no: by[no]["score"] for no in eu.SCORES}
    wrong = {no: (eu.SCORES[no], got[no]) for no in eu.SCORES if got[no] != eu.SCORES[no]}
    assert not wrong, "序号: (expected, got) " + repr(wrong)
    assert by[9]["method"] == "completion" and by[1]["method"] == "rank_steps"


def test_subtotals_and_total_are_exact(space):
    res = space.assess()
    cat = {s["category"]: (s["points"], s["score"]) for s in res["subtotals"]}
    assert cat == eu.SUBTOTALS, cat
    assert res["total"] == eu.TOTAL  # 25.525, not 25.524999999999995
    assert res["total_points"] == eu.TOTAL_POINTS
    # the subtotals add up to the total, exactly
    assert sum(_dec(s["score"]) for s in res["subtotals"]) == _dec(res["total"])
    assert sum(_dec(s["points"]) for s in res["subtotals"]) == _dec(res["total_points"])


def test_score_report_column_adds_up_to_its_total(space):
    """得分测算: every score cell is the exact figure, the column adds up (exactly) to the
    total printed under it, and that total is 25.525; the category table too."""
    wb, (sheet, hrow, texts), cat = _score_sheets(space)
    ncol = _col(texts, "序号")
    scol = _col(texts, "得分", avoid=("第一名", "率"))
    total_row = _total_row(sheet, hrow)
    cells = {}
    for r in range(hrow + 1, total_row):
        no = sheet.cell(r, ncol).value
        if _is_num(no):
            cells[int(no)] = sheet.cell(r, scol).value
    wrong = {no: (eu.SCORES[no], cells.get(no)) for no in eu.SCORES if cells.get(no) != eu.SCORES[no]}
    assert not wrong, "序号: (expected, cell) " + repr(wrong)
    for no in [NOT_ASSESSED_NO] + eu.UNREPORTED:
        assert not _is_num(cells.get(no)), (no, cells.get(no))  # 不考核 / 未报送: no figure
    column = sum((_dec(v) for v in cells.values() if _is_num(v)), Decimal(0))
    printed = _sum_cell(sheet, sheet.cell(total_row, scol).value)
    assert printed is not None, sheet.cell(total_row, scol).value
    assert column == printed == Decimal("25.525"), (column, printed)
    if cat is not None:
        csheet, chrow, ctexts = cat
        names = _col(ctexts, "类别")
        cp, cs = _col(ctexts, "分值"), _col(ctexts, "得分", avoid=("率",))
        ctotal = _total_row(csheet, chrow)
        got = {csheet.cell(r, names).value: (csheet.cell(r, cp).value, csheet.cell(r, cs).value)
               for r in range(chrow + 1, ctotal) if csheet.cell(r, names).value}
        assert got == eu.SUBTOTALS, got
        assert _sum_cell(csheet, csheet.cell(ctotal, cs).value) == Decimal("25.525")
        assert _sum_cell(csheet, csheet.cell(ctotal, cp).value) == Decimal("29.5")
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            for v in row:
                for m in re.finditer(r"测算总分\s*([0-9.]+)\s*分", str(v or "")):
                    assert Decimal(m.group(1)) == Decimal("25.525"), v
