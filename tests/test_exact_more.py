"""Issue #10 acceptance on five more unseen workspaces (tests/exact_more.py).

Every expected figure is written by hand in tests/exact_more.py from the numbers put in
the cells (competition ranks, thirds of N, rank steps, efficacy, completion, per-unit and
shared points, `---`, deductions, unreported events). The code under test runs only as a
separate process: `kaohe assess --json` (and `kaohe spec --json` once).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests import exact_more as M
from tests.kaohe_cli import ROOT

CASES = {c.key: c for c in M.CASES}
EPS = 1e-9


def _cli(ws: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "kaohe_excel", *args], cwd=ws, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=180)


def _json(ws: Path, *args: str) -> dict:
    p = _cli(ws, *args, "--json")
    assert "Traceback" not in p.stdout + p.stderr, p.stdout + p.stderr
    try:
        return json.loads(p.stdout)
    except json.JSONDecodeError:
        pytest.fail(f"`kaohe {' '.join(args)} --json` exit {p.returncode}, no JSON:\n{p.stdout}\n{p.stderr}")


class Space:
    def __init__(self, root: Path, case: M.Case):
        self.root, self.case = root, case
        case.build(root)
        self._assess: dict | None = None

    def assess(self) -> dict:
        if self._assess is None:
            self._assess = _json(self.root, "assess", "--month", self.case.month)
        return self._assess


_SPACES: dict[str, Space] = {}


@pytest.fixture(params=list(CASES), scope="module")
def space(request, tmp_path_factory) -> Space:
    key = request.param
    if key not in _SPACES:
        _SPACES[key] = Space(tmp_path_factory.mktemp(key), CASES[key])
    return _SPACES[key]


def _space(key: str, tmp_path_factory) -> Space:
    if key not in _SPACES:
        _SPACES[key] = Space(tmp_path_factory.mktemp(key), CASES[key])
    return _SPACES[key]


def _find(result: dict, key) -> dict:
    for i in result["indicators"]:
        if isinstance(key, int):
            try:
                if int(str(i.get("no")).strip()) == key:
                    return i
            except ValueError:
                continue
        elif i.get("name") == key:
            return i
    raise AssertionError(f"indicator {key!r} not in the result: "
                         f"{[(i.get('no'), i.get('name')) for i in result['indicators']]}")


def _same(exp, got) -> bool:
    if isinstance(exp, (int, float)) and not isinstance(exp, bool):
        return isinstance(got, (int, float)) and not isinstance(got, bool) and abs(got - exp) < EPS
    return exp == got


def _mismatches(space: Space, fields: tuple[str, ...]) -> dict:
    res = space.assess()
    wrong = {}
    for key, truth in space.case.ind.items():
        try:
            got = _find(res, key)
        except AssertionError as e:
            wrong[key] = str(e)
            continue
        bad = {f: (truth[f], got.get(f)) for f in fields if f in truth and not _same(truth[f], got.get(f))}
        if bad:
            wrong[key] = bad
    return wrong


def _problems(res: dict) -> str:
    return "\n".join(f"{p.get('file')} {p.get('cell')} {p.get('level')}: {p.get('message')}"
                     for p in res.get("problems", []))


# ------------------------------------------------------------------ per workspace
def test_county(space):
    assert space.assess()["county"] == space.case.county


def test_group(space):
    res, case = space.assess(), space.case
    if case.group is not None:
        assert res["group"] == case.group, res.get("notes")
    else:
        assert len(res["group"]) == case.group_size, (res["group"], res.get("notes"))
    assert str(res["group_label"]).startswith(case.label_prefix), res["group_label"]
    if case.group_label is not None:
        assert res["group_label"] == case.group_label


def test_group_size_on_items(space):
    res, case = space.assess(), space.case
    wrong = {k: i.get("group_size") for k in case.ind
             for i in [_find(res, k)] if i.get("kind") == "scored" and i.get("group_size") != case.group_size}
    assert not wrong, wrong


def test_points(space):
    assert not _mismatches(space, ("points", "not_assessed", "kind")), _problems(space.assess())


def test_ranks(space):
    assert not _mismatches(space, ("rank", "rank_source", "direction")), _problems(space.assess())


def test_colours(space):
    assert not _mismatches(space, ("colour",)), _problems(space.assess())


def test_scores(space):
    assert not _mismatches(space, ("score",)), _problems(space.assess())


def test_values_and_display(space):
    assert not _mismatches(space, ("actual", "target", "display", "qualitative", "unreported", "vetoed")), \
        _problems(space.assess())


def test_peer_ranks(space):
    res = space.assess()
    wrong = {}
    for key, truth in space.case.ind.items():
        got = _find(res, key).get("peer_ranks") or {}
        if "peer_ranks" in truth and got != truth["peer_ranks"]:
            wrong[key] = (truth["peer_ranks"], got)
        if "peer_ranks_by_short" in truth:  # headers written short (柏溪 for 柏溪县)
            short = {next((s for s in truth["peer_ranks_by_short"] if str(u).startswith(s)), u): r
                     for u, r in got.items()}
            if short != truth["peer_ranks_by_short"]:
                wrong[key] = (truth["peer_ranks_by_short"], got)
    assert not wrong, wrong


def test_subtotals(space):
    res = space.assess()
    got = {s["category"]: (s["points"], s["score"]) for s in res["subtotals"]}
    exp = space.case.subtotals
    assert set(got) == set(exp), (exp, got)
    wrong = {c: (exp[c], got[c]) for c in exp
             if not (_same(exp[c][0], got[c][0]) and _same(exp[c][1], got[c][1]))}
    assert not wrong, wrong


def test_total_and_full_marks(space):
    res, case = space.assess(), space.case
    assert (res["total_points"], res["total"]) == pytest.approx((case.total_points, case.total), abs=EPS)


def test_unreported_events(space):
    res, case = space.assess(), space.case
    assert [int(str(k)) for k in res["unreported_events"]] == case.unreported_events
    assert res["points_at_stake"] == pytest.approx(case.points_at_stake, abs=EPS)


# ------------------------------------------------------------------ one-off checks
def test_c_spec_full_marks_by_unit(tmp_path_factory):
    sp = _space("C_per_unit_points", tmp_path_factory)
    system = next((sp.root / "input").glob("附件1*.xlsx"))
    spec = _json(sp.root, "spec", str(system))
    assert spec["total_points_by_unit"] == pytest.approx(M.C_TOTAL_POINTS_BY_UNIT, abs=EPS)


def test_d_both_sheets_read(tmp_path_factory):
    """共性指标 and 个性指标 are one system of 12 items (the 个性 sheet is not a separate one)."""
    sp = _space("D_two_sheets_xls_seven", tmp_path_factory)
    nos = [int(str(i["no"])) for i in sp.assess()["indicators"]]
    assert nos == list(range(1, 13))


def test_b_city_columns_not_compared(tmp_path_factory):
    """全市 and 岱州市本级 are the city's own figures, never a compared county."""
    sp = _space("B_nine_short_efficacy", tmp_path_factory)
    group = sp.assess()["group"]
    assert not [g for g in group if "全市" in g or "本级" in g or g.startswith("岱州")], group
