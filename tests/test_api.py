"""Issue 14: the analysts' API gives the figures the reports print, as records (one dict a row),
checked against the figures worked out by hand on the invented city 汀澜市 (tests/league_city.py)."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest

from kaohe_excel import api
from tests import league_city as lc


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    root = tmp_path_factory.mktemp("tinglan_api")
    lc.build_workspace(root)
    return root


def test_totals_and_places_over_the_months(city):
    rows = api.total_records(city, lc.JUNE, all_units=True, history=True)
    assert {(r["month"], r["unit"]) for r in rows} == {(m, u) for m in (lc.MAY, lc.JUNE) for u in lc.UNITS}
    for r in rows:
        m, u = r["month"], r["unit"]
        assert Fraction(str(r["total"])) == Fraction(str(lc.TOTALS[m][u])), (m, u)
        assert r["total_points"] == lc.FULL_MARKS[u]
        assert round(r["rate"], 2) == lc.RATES_PRINTED[m][u]
        assert r["place"] == lc.PLACES[m][u], (m, u)
    june = {r["unit"]: r for r in rows if r["month"] == lc.JUNE}
    assert {u: june[u]["place_change"] for u in lc.UNITS} == lc.PLACE_CHANGES


def test_indicator_records_are_the_leagues_cells(city):
    rows = api.indicator_records(city, lc.JUNE, all_units=True)
    assert {r["month"] for r in rows} == {lc.JUNE}
    n = len(lc.SYSTEM_ROWS)
    assert len(rows) == n * len(lc.UNITS)
    lg = api.league(city, lc.JUNE)
    cells = {(i.key.to_json(), c.unit): c for i in lg.indicators for c in i.cells}
    for r in rows:
        c = cells[(r["no"], r["unit"])]
        assert (r["rank"], r["score"], r["colour"], r["display"]) == (c.rank, c.score, c.colour, c.display)
        if (r["no"], r["unit"]) in lc.NOT_ASSESSED:
            assert r["not_assessed"] and r["points"] is None


def test_a_workspace_that_cannot_be_assessed_says_so_in_chinese(tmp_path):
    with pytest.raises(ValueError, match="无法测算"):
        api.results(tmp_path)


def test_a_units_figures_in_several_files_make_one_column(tmp_path):
    """The demo month holds 叶县's departments' sheets: in the view from above they are 叶县's
    figures together (each indicator from the newest file that has it), never "two reports"
    of which one is dropped; the draft and the final sheet of one department that disagree are
    named once."""
    import shutil

    from tests.kaohe_cli import cli_json

    root = tmp_path / "ws"
    shutil.copytree(Path(__file__).resolve().parents[1] / "input", root / "input")
    js = cli_json(root, "assess", "--all-units")
    msgs = [p["message"] for p in js["problems"]]
    assert not [m for m in msgs if "两份报表" in m], msgs
    draft = [m for m in msgs if "（初稿）" in m]
    assert len(draft) == 1 and "采用较新的本文件" in draft[0], msgs
    assert {r["unit"] for r in js["rows"]} == {"叶县", "宝丰县", "郏县", "鲁山县", "舞钢市", "汝州市"}


def test_a_unit_missing_this_month_or_new_with_a_misspelt_name_is_said():
    from kaohe_excel.flows.evaluate import unit_changes

    said = unit_changes(["漪玑区", "乐丰县"], {"2024-05": ["漪埠区", "乐丰县"]}, [], "2024-06")
    msgs = [p.message for p in said]
    assert len(msgs) == 2
    assert "「漪埠区」上月参评，本月没有它的数据" in msgs[0]
    assert "「漪玑区」是本月新出现的单位" in msgs[1]
    assert unit_changes(["乐丰县", "漪埠区"], {"2024-05": ["漪埠区", "乐丰县"]}, [], "2024-06") == []
    assert unit_changes(["乐丰县"], {}, [], "2024-06") == []  # nothing to compare with: nothing said


def test_check_in_the_view_from_above_names_the_units_not_a_county(city):
    from tests.kaohe_cli import cli

    p = cli(city, "check", "--all-units", "--month", lc.JUNE)
    assert p.returncode == 1, p.stdout + p.stderr  # warnings (the item nobody reported), no error
    assert "本县" not in p.stdout and "[错误]" not in p.stdout, p.stdout
    line = next(x for x in p.stdout.splitlines() if "参评单位" in x)
    assert all(u in line for u in lc.UNITS) and "5 个" in line
    plain = cli(city, "check", "--month", lc.JUNE)  # without it: whom we serve is asked for
    assert plain.returncode == 2 and "county" in plain.stdout + plain.stderr


def test_check_in_the_view_from_above_reads_and_assesses_its_month_alone(tmp_path, monkeypatch):
    """`kaohe check --all-units` says what `run --all-units` would put in its 校验报告 for the month,
    without reading or assessing the earlier months (a province's other eleven are 1,320 files)."""
    from click.testing import CliRunner

    import kaohe_excel.workspace as W
    from kaohe_excel.cli import main
    from kaohe_excel.config import load_config
    from kaohe_excel.flows.evaluate import assess_units
    from kaohe_excel.flows.run import _merge_problems

    ws = tmp_path / "ws"
    lc.build_workspace(ws)
    cfg = load_config(ws)
    full = W.load_month(ws, lc.JUNE, config=cfg, all_units=True)
    assert full.history  # May is there to be read
    want = list(full.all_problems)
    for res in assess_units(full, cfg)[lc.JUNE].values():
        _merge_problems(want, res.problems)
    assert any("无人报送" in p.message for p in want if p not in full.all_problems)  # the assessment adds some

    def never(*a, **k):
        raise AssertionError("an earlier month was read")

    monkeypatch.setattr(W, "EarlierMonths", never)
    got = CliRunner().invoke(main, ["check", "--all-units", "--month", lc.JUNE, "--json", "-w", str(ws)])
    assert got.exit_code == 1, got.output
    said = json.loads(got.output)
    assert [(p["file"], p["sheet"], p["cell"], p["message"]) for p in said["problems"]] == \
        [(p.file, p.sheet, p.cell, p.message) for p in want]
