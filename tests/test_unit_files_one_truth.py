"""The view from above on a unit that sends its own files (叶县's departments' sheets, the demo month):
its reports say what a county run of the same files says (helper-54). They dropped what the unit's
files give beyond the figures joined into the table: 上年完成情况（位次）, 存在问题/下步举措, a place the
unit reports where the table has no figure, and progress in words (four items 无数据 and unscored,
the total 9 points short of the county run's)."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from tests.kaohe_cli import cli, cli_json

ROOT = Path(__file__).resolve().parents[1]
MONTH = "2023-08"


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> tuple[Path, Path]:
    county, above = (tmp_path_factory.mktemp(n) for n in ("county", "above"))
    for ws in (county, above):
        shutil.copytree(ROOT / "input", ws / "input")
    assert cli(county, "run", "-w", str(county)).returncode in (0, 1)
    p = cli(above, "run", "--all-units", "--unit-reports", "all", "-w", str(above))
    assert p.returncode in (0, 1), p.stdout + p.stderr
    return county / "output" / MONTH, above / "output" / MONTH / "叶县"


def _cells(path: Path) -> dict:
    return {(ws.title, c.coordinate): c.value for ws in openpyxl.load_workbook(path).worksheets
            for row in ws.iter_rows() for c in row if c.value is not None}


def test_the_units_overview_is_the_county_runs_cell_for_cell(runs):
    county, unit = runs
    (mine,), (theirs,) = county.glob("*一览表*.xlsx"), unit.glob("*一览表*.xlsx")
    a, b = _cells(mine), _cells(theirs)
    assert a == b, sorted((k, a.get(k), b.get(k)) for k in set(a) | set(b) if a.get(k) != b.get(k))[:8]
    assert any(isinstance(v, str) and "（" in v and "%" in v for (s, ref), v in b.items() if ref.startswith("E"))


def test_the_units_bulletin_carries_its_own_issues_and_steps(runs):
    county, unit = runs
    texts = lambda p: {v for v in _cells(p).values() if isinstance(v, str) and v.startswith("问题：")}  # noqa: E731
    (mine,), (theirs,) = county.glob("*预警通报*.xlsx"), unit.glob("*预警通报*.xlsx")
    assert texts(mine) and texts(mine) == texts(theirs)


def test_every_item_scores_and_ranks_as_in_the_county_run(tmp_path):
    ws = tmp_path / "ws"
    shutil.copytree(ROOT / "input", ws / "input")
    county = cli_json(ws, "assess", "-w", str(ws))
    above = cli_json(ws, "assess", "--all-units", "-w", str(ws))
    ours = {r["no"]: (r["rank"], r["colour"], r["score"]) for r in county["indicators"]}
    theirs = {i["no"]: next((c["rank"], c["colour"], c["score"]) for c in i["cells"] if c["unit"] == "叶县")
              for i in above["indicators"]}
    assert theirs == ours, sorted((k, ours[k], theirs.get(k)) for k in ours if ours[k] != theirs.get(k))
    row = next(r for r in above["rows"] if r["unit"] == "叶县")
    assert row["total"] == county["total"]
