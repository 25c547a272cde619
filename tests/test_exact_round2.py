"""Issue #10 acceptance, round 2: five more unseen workspaces (tests/exact_round2.py).

Every expected figure is worked out by hand in tests/exact_round2.py. The code under test
runs only as a separate process: `kaohe assess --json` and, for the reports, `kaohe run`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import exact_round2 as M
from tests.kaohe_cli import cli as _cli, cli_json as _json

CASES = {c.key: c for c in M.CASES}
ALL = {c.key: c for c in M.CASES + M.EXTRA}
EPS = 1e-6


class Space:
    def __init__(self, root: Path, case: M.Case):
        self.root, self.case = root, case
        case.build(root)
        self._assess: dict | None = None
        self._ran = False

    def assess(self) -> dict:
        if self._assess is None:
            self._assess = _json(self.root, "assess", "--month", self.case.month)
        return self._assess


_SPACES: dict[str, Space] = {}


def _space(key: str, tmp_path_factory) -> Space:
    if key not in _SPACES:
        _SPACES[key] = Space(tmp_path_factory.mktemp(key), ALL[key])
    return _SPACES[key]


# Peer data as one sheet per indicator (counties as rows sorted by rank, the indicator named only in
# the sheet's title) is not read yet: these cases fail until it is (strict: a pass is reported too).
_NOT_YET = {"T_sheet_per_indicator": "peer data as one sheet per indicator is not read yet"}


_FAILING = {"test_ranks", "test_peer_ranks", "test_colours", "test_scores", "test_values", "test_subtotals",
            "test_total_and_full_marks"}


@pytest.fixture(autouse=True)
def _known_gap(request):
    """The T case's figures fail until per-indicator peer sheets are read (strict: a pass shows)."""
    params = getattr(getattr(request.node, "callspec", None), "params", {})
    if params.get("space") in _NOT_YET and request.node.originalname in _FAILING:
        request.node.add_marker(pytest.mark.xfail(reason=_NOT_YET[params["space"]], strict=True))


@pytest.fixture(params=list(CASES), scope="module")
def space(request, tmp_path_factory) -> Space:
    return _space(request.param, tmp_path_factory)


# the result matching is the one tests/test_exact_more.py uses (_find also takes a name there)
from tests.test_exact_more import _find, _flat, _header_row, _mismatches, _problems, _same  # noqa: E402,F401


# ------------------------------------------------------------------ per workspace (assess --json)
def test_county(space):
    assert space.assess()["county"] == space.case.county


def test_group(space):
    res, case = space.assess(), space.case
    if case.group is not None:
        assert res["group"] == case.group, res.get("notes")
    else:
        assert set(res["group"]) == case.group_set, (res["group"], res.get("notes"))
    assert res["group_label"] == case.group_label


def test_group_size_on_items(space):
    res, case = space.assess(), space.case
    n = len(case.group_set)
    wrong = {k: i.get("group_size") for k, t in case.ind.items() if t.get("kind", "scored") == "scored"
             and not t.get("not_assessed") for i in [_find(res, k)] if i.get("group_size") != n}
    assert not wrong, wrong


def test_points_and_kind(space):
    assert not _mismatches(space, ("points", "not_assessed", "kind")), _problems(space.assess())


def test_ranks(space):
    assert not _mismatches(space, ("rank", "rank_source", "direction")), _problems(space.assess())


def test_peer_ranks(space):
    res = space.assess()
    wrong = {k: (t["peer_ranks"], _find(res, k).get("peer_ranks")) for k, t in space.case.ind.items()
             if "peer_ranks" in t and _find(res, k).get("peer_ranks") != t["peer_ranks"]}
    assert not wrong, wrong


def test_colours(space):
    assert not _mismatches(space, ("colour",)), _problems(space.assess())


def test_scores(space):
    assert not _mismatches(space, ("score",)), _problems(space.assess())


def test_values(space):
    assert not _mismatches(space, ("actual", "target", "display", "unreported", "completion")), \
        _problems(space.assess())


def test_subtotals(space):
    res, exp = space.assess(), space.case.subtotals
    if not exp:
        pytest.skip("no category column in this system")
    wrong = {}
    for word, (pts, score) in exp.items():
        hit = [s for s in res["subtotals"] if word in str(s["category"])]
        if len(hit) != 1 or not (_same(pts, hit[0]["points"]) and _same(score, hit[0]["score"])):
            wrong[word] = ((pts, score), [(s["category"], s["points"], s["score"]) for s in hit])
    assert not wrong, (wrong, [(s["category"], s["points"], s["score"]) for s in res["subtotals"]])


def test_total_and_full_marks(space):
    res, case = space.assess(), space.case
    assert (res["total_points"], res["total"]) == pytest.approx((case.total_points, case.total), abs=EPS)


def test_unreported_events(space):
    res, case = space.assess(), space.case
    assert [int(str(k)) for k in res["unreported_events"]] == case.unreported_events
    assert res["points_at_stake"] == pytest.approx(case.points_at_stake, abs=EPS)


# ------------------------------------------------------------------ one-off checks
def test_r_rank_change_against_march(tmp_path_factory):
    sp = _space("R_eight_history_conflict", tmp_path_factory)
    res = sp.assess()
    got = {k: (_find(res, k).get("prev_rank"), _find(res, k).get("rank_change")) for k in sp.case.ind}
    exp = {k: (t["prev_rank"], t["rank_change"]) for k, t in sp.case.ind.items()}
    assert got == exp


def test_r_conflict_lead_wins_and_is_reported(tmp_path_factory):
    """进出口总额增速: 县商务局 (牵头) 12.5 vs 县发改局 (参与) 10.8 -> the lead's value, and a problem naming it."""
    sp = _space("R_eight_history_conflict", tmp_path_factory)
    res = sp.assess()
    item = _find(res, 3)
    assert "商务" in str(item.get("department")), item.get("department")
    assert any("进出口" in str(p.get("message")) or "10.8" in str(p.get("message")) for p in res["problems"]), \
        _problems(res)


def test_r2_monitor_header_is_a_peer_sheet(tmp_path_factory):
    """A peer sheet whose name column is headed 监测指标 is still the peer data: eight counties,
    same ranks and total as R."""
    sp = _space("R2_monitor_header", tmp_path_factory)
    res = sp.assess()
    assert res["group"] == M.R_UNITS, _problems(res)
    assert (res["total_points"], res["total"]) == pytest.approx((35, 31.3), abs=EPS)


def test_s_progress_expected(tmp_path_factory):
    sp = _space("S_per_unit_targets_progress", tmp_path_factory)
    res = sp.assess()
    got = {k: _find(res, k).get("expected_progress") for k in (1, 2, 3, 4)}
    assert all(v is not None and abs(float(v) - 200 / 3) < 0.01 for v in got.values()), got


# ------------------------------------------------------------------ the reports (kaohe run)
def _run(space: Space) -> Path:
    if not space._ran:
        p = _cli(space.root, "run", "--month", space.case.month)
        assert "Traceback" not in p.stdout + p.stderr, p.stdout + p.stderr
        assert p.returncode in (0, 1), p.stdout + p.stderr
        space._ran = True
    return space.root / "output" / space.case.month


def _report(space: Space, word: str):
    import openpyxl

    found = sorted(_run(space).glob(f"*{word}*.xlsx"))
    assert len(found) == 1, (word, [f.name for f in _run(space).iterdir()])
    return openpyxl.load_workbook(found[0])




RUN_CASES = ["Q_xls_bonus_deduction_table", "S_per_unit_targets_progress"]


@pytest.mark.parametrize("key", RUN_CASES)
def test_overview_rank_header_and_full_marks(key, tmp_path_factory):
    sp = _space(key, tmp_path_factory)
    sheet = _report(sp, "一览表").worksheets[0]
    found = _header_row(sheet, "序号", "排名")
    assert found, "一览表 has no header row with 序号 and 排名"
    _, texts = found
    assert next(t for t in texts if "排名" in t) == f"{sp.case.group_label}排名"
    total_head = next((t for t in texts if "总分" in t), "")
    num = total_head.replace("总分", "").replace("分", "")
    assert num and float(num) == pytest.approx(sp.case.total_points, abs=EPS), total_head


@pytest.mark.parametrize("key", RUN_CASES)
def test_score_report_points_add_up(key, tmp_path_factory):
    sp = _space(key, tmp_path_factory)
    wb = _report(sp, "得分测算")
    for sheet in wb.worksheets:
        found = _header_row(sheet, "序号", "指标", "分值", "得分")
        if not found:
            continue
        hr, texts = found
        if not any(t in ("指标", "指标名称", "指标内容") for t in texts):
            continue
        pc, nc = texts.index("分值") + 1, next(i for i, t in enumerate(texts) if t.startswith("指标")) + 1
        total = 0.0
        for r in range(hr + 1, sheet.max_row + 1):
            if _flat(sheet.cell(r, nc).value).startswith("合计") or \
                    _flat(sheet.cell(r, 1).value).startswith(("审核", "合计")):
                break
            v = sheet.cell(r, pc).value
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                total += v
        assert total == pytest.approx(sp.case.total_points, abs=EPS), (sheet.title, total)
        return
    pytest.fail("得分测算 has no per-indicator sheet with 序号 | 指标 | 分值 | 得分")


def test_s_overview_not_assessed(tmp_path_factory):
    sp = _space("S_per_unit_targets_progress", tmp_path_factory)
    sheet = _report(sp, "一览表").worksheets[0]
    hr, texts = _header_row(sheet, "序号", "截至本月底")
    nc = texts.index("序号") + 1
    ac = next(i for i, t in enumerate(texts) if "截至本月底" in t) + 1
    got = {int(sheet.cell(r, nc).value): _flat(sheet.cell(r, ac).value) for r in range(hr + 1, sheet.max_row + 1)
           if isinstance(sheet.cell(r, nc).value, (int, float))}
    assert got.get(5) == "不考核", got


@pytest.mark.parametrize("key,system,lower", [
    ("P_header_points_two_row_peers", "晴川县2024年度考核指标任务分工表.xlsx", {4, 5}),
    ("T_sheet_per_indicator", "雁栖县2024年度综合考核指标体系.xlsx", {3, 4}),
])
def test_spec_reads_arrow_directions(key, system, lower, tmp_path_factory):
    """`kaohe spec`: a 方向 column written ↑/↓ gives each item its direction (↓ = lower)."""
    sp = _space(key, tmp_path_factory)
    spec = _json(sp.root, "spec", str(sp.root / "input" / system))
    got = {int(i["no"]): i.get("direction") for i in spec["indicators"] if i.get("kind", "scored") == "scored"}
    exp = {no: ("lower" if no in lower else "higher") for no in got}
    assert got == exp
