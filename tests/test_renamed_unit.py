"""A county turned district (撤县设区): the city's June table heads its column 澜山区 where the
system (targets, points) still says 澜山县. The county's own run on the city's system takes the
column as its own, as the view from above does, and says the same total and place; a kaohe.toml
that writes the new name is told the name the system uses."""

from __future__ import annotations

import openpyxl

from tests import league_city as lc
from tests.kaohe_cli import cli, cli_json

NEW_NAME = "澜山区"


def _renamed(root):
    ws = lc.build_workspace(root).root
    june = ws / "input" / lc.JUNE / lc.PEER_FILES[lc.JUNE]
    wb = openpyxl.load_workbook(june)
    sh = wb.active
    col = 4 + lc.UNITS.index(lc.LS)
    assert sh.cell(4, col).value == lc.LS
    sh.cell(4, col).value = NEW_NAME
    wb.save(june)
    return ws


def test_the_renamed_units_own_run_says_the_leagues_figures(tmp_path):
    ws = _renamed(tmp_path / "city")
    league = cli_json(ws, "assess", "--all-units", "--month", lc.JUNE)
    row = next(r for r in league["rows"] if r["unit"] == lc.LS)
    assert row["total"] == lc.TOTALS[lc.JUNE][lc.LS] and row["rank"] == lc.PLACES[lc.JUNE][lc.LS], row
    county = lc.copy_input(ws, tmp_path / "county", county=lc.LS)
    mine = cli_json(county, "assess", "--month", lc.JUNE)
    assert (mine["total"], mine["total_points"], mine["estimated_rank"]) == (
        row["total"], row["total_points"], row["rank"]), (mine["total"], mine["estimated_rank"], mine["notes"])
    assert any(f"「{NEW_NAME}」即「{lc.LS}」" in n for n in mine["notes"]), mine["notes"]


def test_a_county_written_by_its_new_name_is_told_the_systems(tmp_path):
    ws = _renamed(tmp_path / "city")
    county = lc.copy_input(ws, tmp_path / "county", county=NEW_NAME)
    p = cli(county, "check", "--month", lc.JUNE)
    assert f"是不是「{lc.LS}」？如是，请把 kaohe.toml 中的 county 改为「{lc.LS}」" in p.stdout, p.stdout
