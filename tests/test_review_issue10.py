"""Regressions a fresh-eyes review of the issue-10 work found, each with its own truth:
a county-level city among districts is a peer, 全州县 is a county, a shared points cell
with `---` on one row gives one full-marks figure everywhere, rows sharing a cell add up
exactly, words that mean "not yet" are no qualitative progress, notes in a points cell do
not change the kind, `forms` stops when whom we serve is uncertain, and a department that
fills its rows in a copy of the 一览表 is read."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest

from kaohe_excel.assess import assess_month, comparison_group
from kaohe_excel.config import Config
from kaohe_excel.model import Entry, Indicator, IndicatorSystem, PeerRow, PeerTable
from kaohe_excel.read.tables import is_place
from kaohe_excel.text import parse_points
from kaohe_excel.read.values import MISSING, parse_value

ROOT = Path(__file__).resolve().parents[1]


from tests.kaohe_cli import cli as _cli  # noqa: E402


def _peers(units: list[str], values: list[float], title: str = "") -> PeerTable:
    row = PeerRow(no=1, name="地区生产总值增速", direction="higher", values=dict(zip(units, values)), key=1)
    return PeerTable(file="p.xlsx", sheet="p", counties=list(units), rows=[row], title=title)


def _system(inds: list[Indicator], title: str = "鹤汀区2024年度考核指标") -> IndicatorSystem:
    return IndicatorSystem(title=title, file="s.xlsx", sheet="s", indicators=inds)


@pytest.mark.parametrize("units,total", [
    (["鹤汀区", "桐屿区", "芷兰区", "棠溪区", "苇塘县", "石湄市"], "全市"),   # 黄石: four 区, a 县, a county-level 市
    (["鹤汀区", "桐屿区", "芷兰区", "石湄市"], "合计"),
])
def test_a_county_level_city_among_districts_is_a_peer(units, total):
    peers = _peers(units, [6.1, 6.5, 5.2, 7.5, 4.0, 5.9][:len(units)])
    peers.left_out = [total]
    group, _notes = comparison_group(peers, Config(county="鹤汀区"))
    assert group == units


def test_the_city_over_its_districts_only_is_left_out():
    units = ["岚川市", "鹤汀区", "桐屿区", "芷兰区", "棠溪区"]
    group, notes = comparison_group(_peers(units, [6.0, 6.1, 6.5, 5.2, 5.9]), Config(county="鹤汀区"))
    assert group == units[1:] and any("「岚川市」" in n for n in notes)


def test_quanzhou_is_a_county_not_a_total():
    assert is_place("全州县") and is_place("本溪县") and not is_place("全市") and not is_place("本县")
    units = ["兴安县", "全州县", "灌阳县", "资源县", "阳朔县"]
    res = assess_month(_system([Indicator(1, 5, ["经济"], "地区生产总值增速", "", points=5)], "兴安县2024年考核"),
                       {}, _peers(units, [6.5, 7.0, 5.0, 4.0, 3.0]), Config(county="兴安县"), "2024-06")
    r = res.indicators[0]
    assert res.group == units and r.rank == 2 and r.group_size == 5


def _shared(points_by_unit_first: dict, na_row: int | None = None) -> IndicatorSystem:
    """Items 1-4 share one points cell `3 (乐安县6)`; 乐安县 is `---` on `na_row`."""
    inds = []
    for k in range(4):
        pbu = {"乐安县": 6.0, "城东区": 3.0} if k == 0 else {"乐安县": 3.0, "城东区": 3.0}
        if na_row == k:
            pbu["乐安县"] = None
        inds.append(Indicator(k + 1, 5 + k, ["开放"], f"指标{k + 1}", "", points=3.0, points_by_unit=pbu,
                              shares_points_with_row=None if k == 0 else 5))
    return _system(inds, "乐安县2024年度考核指标")


def test_shared_cell_with_one_row_not_assessed_gives_one_full_marks_figure():
    system = _shared({}, na_row=1)
    # 6 over four rows is 1.5 a row; row 2 is not assessed: 4.5 for 乐安县, 3 for 城东区
    assert system.total_points_by_unit["乐安县"] == 4.5 and system.total_points_by_unit["城东区"] == 3
    res = assess_month(system, {}, None, Config(county="乐安县"), "2024-06")
    assert res.total_points == 4.5
    assert [r.points for r in res.indicators] == [1.5, None, 1.5, 1.5]
    assert res.indicators[0].group_points == 4.5


def test_rows_sharing_a_cell_add_up_exactly():
    """1 point over three rows, second of three on each: 1 × 95 % = 0.95, not 0.949999."""
    inds = [Indicator(k + 1, 5 + k, ["经济"], n, "", points=1.0, shares_points_with_row=None if k == 0 else 5)
            for k, n in enumerate(["甲指标", "乙指标", "丙指标"])]
    units = ["甲县", "乙县", "丙县"]
    rows = [PeerRow(no=i.no, name=i.name, direction="higher", values=dict(zip(units, [2.0, 3.0, 1.0])),
                    key=i.no) for i in inds]
    res = assess_month(_system(inds, "甲县2024年度考核指标"), {}, PeerTable("p.xlsx", "p", units, rows),
                       Config(county="甲县"), "2024-06")
    assert [r.rank for r in res.indicators] == [2, 2, 2]
    assert sum(r.points for r in res.indicators) == pytest.approx(1.0, abs=0) and res.total_points == 1.0
    assert res.total == 0.95 and round(sum(r.score for r in res.indicators), 6) == 0.95


@pytest.mark.parametrize("text", ["数据未出", "尚未公布", "统计局暂未反馈", "暂缺", "无"])
def test_not_yet_words_are_not_qualitative_progress(text):
    assert parse_value(text).status == MISSING
    e = Entry(no=1, name="地区生产总值增速", department="发改委", actual_raw=text, key=1)
    res = assess_month(_system([Indicator(1, 5, ["经济"], "地区生产总值增速", "", points=5)]), {1: e}, None,
                       Config(county="鹤汀区"), "2024-06")
    r = res.indicators[0]
    assert not r.qualitative and res.colour_counts()[None] == 1


@pytest.mark.parametrize("cell,points", [("5（加分最高2分）", 5), ("4（每超1个百分点加0.5分，最高加2分）", 4),
                                         ("5（扣分不超过5分）", 5), ("3（超额完成最多加1分）", 3), ("2（封顶）", 2)])
def test_a_note_in_a_scored_points_cell_keeps_its_points(cell, points):
    p = parse_points(cell)
    assert p.ok and p.kind is None and p.points == points


def test_forms_stop_when_whom_we_serve_is_uncertain(tmp_path):
    from tests.exact_groups import build_two_candidates

    ws = build_two_candidates(tmp_path)
    p = _cli(ws, "forms")
    assert p.returncode == 2 and "county" in p.stderr
    assert not (ws / "output" / "填报表").exists() or not list((ws / "output" / "填报表").rglob("*.xlsx"))


def test_a_department_filling_its_rows_of_the_overview_is_read(tmp_path):
    """金融工作服务中心 returns a copy of the 附件2 一览表 with only its own two rows filled."""
    dept = "金融工作服务中心"
    shutil.copytree(ROOT / "input", tmp_path / "input")
    month = tmp_path / "input" / "2023-08"
    (month / f"叶县{dept}2023年8月指标进展情况.xlsx").unlink()
    wb = openpyxl.load_workbook(tmp_path / "input" / "附件2：叶县2023年度高质量发展综合绩效指标完成情况一览表.xlsx")
    sh = wb.active
    filled = {35: ("增长8.7%", 3), 49: ("已完成年度任务", 1)}
    for row in sh.iter_rows(min_row=4):
        if row[0].value in filled:
            row[6].value, row[7].value = filled[row[0].value]
    wb.save(month / f"叶县{dept}8月报（一览表）.xlsx")
    a = json.loads(_cli(tmp_path, "assess", "--json").stdout)
    by = {r["no"]: r for r in a["indicators"]}
    assert by[35]["department"] == dept and by[35]["actual_raw"] == "增长8.7%" and by[35]["reported_rank"] == 3
    # 49 has a figure in the peer data (it ranks by it): that figure is shown, the department's words beside it
    assert by[49]["display"] == "1（已完成年度任务）" and by[49]["rank"] == 1
    # the note row under the table and the rows it left blank raise nothing
    # (but for the one note that 49's words stand beside the ranked figure)
    said = [p for p in a["problems"] if "一览表）" in (p["file"] or "")]
    assert [p["cell"] for p in said] == ["G70"] and "已完成年度任务" in said[0]["message"], said


def test_a_short_name_in_an_override_is_its_columns_unit_not_another():
    """`4 (高新区5)` in a city whose column is 霖川高新区: one unit with its own 5 points, not a second
    unit 高新区 beside it in spec's totals (helper-54)."""
    inds = [Indicator(1, 5, ["经济"], "地区生产总值增速", "", points=4.0, points_by_unit={"高新区": 5.0}),
            Indicator(2, 6, ["经济"], "固定资产投资增速", "", points=2.0)]
    system = _system(inds, "霖川市2024年度县（市、区）高质量发展综合绩效考核指标体系")
    system.units = ["霖川高新区", "青禾县"]
    assert system.all_units == ["霖川高新区", "青禾县"]
    assert system.total_points_by_unit == {"霖川高新区": 7, "青禾县": 6}
