"""A city's month with no table of every unit, each unit sending its own report (acceptance probe 28):
a county run for one unit (kaohe.toml county = it) ranks it among the units' reports as the view
from above does, and gives the same figures. Before, it read every unit's report as one of its own
departments': every item a conflict between two departments, another county's figures taken."""

import openpyxl
import pytest

from tests import league_city as lc
from tests.kaohe_cli import cli_json


def _unit_report(path, unit: str, month: str):
    """The unit's own 完成情况表: its name in the title, 序号 | 指标名称 | 截至本月底完成情况 | 排名."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([f"{unit}2024年1-{int(month[5:])}月高质量发展指标完成情况"])
    ws.merge_cells("A1:D1")
    ws.append(["序号", "指标名称", "截至本月底完成情况", "排名"])
    k = lc.UNITS.index(unit)
    for no, name, _d, values, _city in lc.PEERS[month]:
        v = values[k]
        ws.append([no, name.split("（")[0], v, None])
    ws.append([f"填报单位：{unit}"])
    wb.save(path)


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    root = tmp_path_factory.mktemp("reports")
    built = lc.build_workspace(root)
    for month in (lc.MAY, lc.JUNE):
        (built.root / "input" / month / lc.PEER_FILES[month]).unlink()
        for unit in lc.UNITS:
            _unit_report(built.root / "input" / month / f"{unit}{int(month[5:])}月完成情况.xlsx", unit, month)
    (built.root / "kaohe.toml").write_text(lc.COMPLETION_TOML, encoding="utf-8")
    return built.root


@pytest.mark.parametrize("unit", [lc.TD, lc.LS, lc.YQ])
def test_a_county_run_on_the_units_reports_is_the_view_from_above(city, unit, tmp_path):
    league = cli_json(city, "assess", "--all-units", "--month", lc.JUNE)
    ws = lc.copy_input(city, tmp_path / "county", county=unit)
    alone = cli_json(ws, "assess", "--month", lc.JUNE)
    assert not [p["message"] for p in alone["problems"] if "不一致" in p["message"] and "单位" in p["message"]][:1]
    row = next(r for r in league["rows"] if r["unit"] == unit)
    assert (alone["total"], alone["total_points"]) == (row["total"], row["total_points"])
    for item in league["indicators"]:
        cell = next(c for c in item["cells"] if c["unit"] == unit)
        mine = next(i for i in alone["indicators"] if i["no"] == item["no"])
        assert (mine["actual"], mine["rank"], mine["score"]) == (cell["actual"], cell["rank"], cell["score"]), item["no"]
