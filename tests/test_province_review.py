"""Issue 14, a fourth review of the view from above (helper-26) on 澜江省 (tests/lanjiang.py): a
province's office with 14 counties, laid out as provincial offices do and unlike 霁州市. Every
rank, colour, score, points, subtotal, total, full marks, 折算 rate, place and change of place of
`kaohe assess --all-units --json` is checked against lanjiang.hand_month (worked out without the
package), for the layouts the review found read wrong:
- the targets in a 目标分解表 sheet beside the system (units as rows), with `---`;
- March's peer workbook split in three sheets by category (numbering restarting at 1);
- March's three tables stacked on one sheet, the 全省 column moved from the left to the right;
- the bureau's short names (澜江, 白岩县, 白岩自治县) for the system's 澜江县, 白岩苗族自治县;
- 指标属性 holding 正向 / 逆向; 已完成 on a veto's row of a peer table; a unit absent in April."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import openpyxl
import pytest

from tests import lanjiang as lj
from tests.kaohe_cli import cli, cli_json

LAYOUTS = {
    "as-delivered": dict(targets="sheet", march="sheets", aliases=True),
    "stacked": dict(targets="sheet", march="stacked", aliases=False),
    "inline-short-names": dict(targets="inline", march="one", aliases=True),
}


def _r6(x):
    return None if x is None else round(float(x), 6)


def differences(js: dict, month: str) -> list[str]:
    """Every figure of the league's JSON that is not the hand's, by the system's own unit names."""
    hand = lj.hand_month(month)
    out = []
    rows = {r["unit"]: r for r in js["rows"]}
    if set(rows) != set(hand):
        out.append(f"units: tool {sorted(rows)} hand {sorted(hand)}")
    for u, h in hand.items():
        row = rows.get(u)
        if row is None:
            continue
        got = (row["rank"], _r6(row["total"]), _r6(row["total_points"]), round(row["rate"], 4) if row["rate"] else None,
               row["prev_rank"], row["rank_change"])
        want = (h["place"], _r6(h["total"]), _r6(h["full"]), round(float(h["rate"]), 4), h["prev_place"], h["change"])
        if got != want:
            out.append(f"{u}: tool {got} hand {want}")
        subs = {s["category"]: (_r6(s["score"]), _r6(s["points"])) for s in row["subtotals"]}
        for c, (s, p) in h["subtotals"].items():
            if subs.get(c) != (_r6(s), _r6(p)):
                out.append(f"{u} 小计[{c}]: tool {subs.get(c)} hand {(_r6(s), _r6(p))}")
    for ind in js["indicators"]:
        for c in ind["cells"]:
            if c["unit"] not in hand:
                continue
            rank, colour, score, points = hand[c["unit"]]["items"][ind["no"]]
            got = (c["rank"], c["colour"], _r6(c["score"]), _r6(c["points"]))
            want = (rank, colour, _r6(score), _r6(points))
            if ind["no"] >= 20:  # the deduction and the veto: their score
                got, want = got[2], want[2]
            if got != want:
                out.append(f"第{ind['no']}项 {c['unit']}: tool {got} hand {want} [{c['display']}]")
    return out


@pytest.fixture(scope="module", params=list(LAYOUTS))
def province(request, tmp_path_factory):
    return lj.build(tmp_path_factory.mktemp(request.param) / "ws", **LAYOUTS[request.param])


@pytest.mark.parametrize("month", lj.MONTHS)
def test_every_figure_of_every_month_is_the_hand_s(province, month):
    js = cli_json(province, "assess", "--all-units", "--month", month)
    assert differences(js, month) == []
    assert len(js["indicators"]) == 21 and all(any(c["actual"] is not None for c in i["cells"])
                                               for i in js["indicators"] if i["no"] <= 19)


def test_march_is_read_whole_and_said_so(tmp_path):
    ws = lj.build(tmp_path / "ws")
    p = cli(ws, "check", "--all-units", "--month", lj.M3)
    assert "工作表「经济发展、创新驱动、绿色民生」，14 个单位，21 项指标" in p.stdout, p.stdout
    assert "不是数字" not in p.stdout  # 已完成 / 1起 on the event rows are their figures
    assert "「澜江」即「澜江县」" in p.stdout and "「白岩县」即「白岩苗族自治县」" in p.stdout
    assert "新出现的单位" not in p.stdout and "没有它的数据" not in p.stdout
    assert "工作表「创新驱动」，单元格 L6：" in p.stdout  # a gap named in the sheet it is in


def test_the_target_sheet_gives_targets_and_not_assessed(tmp_path):
    ws = lj.build(tmp_path / "ws")
    js = cli_json(ws, "spec", str(ws / "input" / lj.SYSTEM))
    assert js["units"] == lj.U
    assert js["total_points_by_unit"][lj.BY] == js["total_points_by_unit"][lj.MY] == 96
    assert {u for u, t in js["total_points_by_unit"].items() if t == 100} == set(lj.U) - {lj.BY, lj.MY}
    item16 = next(i for i in js["indicators"] if i["no"] == 16)
    assert item16["targets"] == {u: lj.TARGETS[16][k] for k, u in enumerate(lj.U)} or item16["targets"][lj.LJ] == 8000


def test_the_direction_comes_from_the_attribute_column(tmp_path):
    ws = lj.build(tmp_path / "ws")
    system = ws / "input" / lj.SYSTEM
    js = cli_json(ws, "spec", str(system))
    assert {i["no"] for i in js["indicators"] if i["direction"] == "lower"} == {14, 15, 18}
    assert not any("逆向" in (c or "") or "正向" in (c or "") for i in js["indicators"] for c in i.get("path") or [])
    wb = openpyxl.load_workbook(system)
    sheet = wb.worksheets[0]
    row = next(r for r in sheet.iter_rows() if r[0].value in (3, "3"))  # 固定资产投资增速, said 正向
    attr = next(c for c in sheet[3] if c.value == "指标属性").column - 1
    row[attr].value = "逆向"
    wb.save(system)
    js = cli_json(ws, "spec", str(system))
    assert {i["no"] for i in js["indicators"] if i["direction"] == "lower"} == {3, 14, 15, 18}


def test_a_unit_absent_last_month_has_no_change_in_its_own_reports_either(tmp_path):
    from kaohe_excel.config import load_config
    from kaohe_excel.flows.evaluate import load_units

    ws = lj.build(tmp_path / "ws")
    cfg = load_config(ws)
    _mi, per = load_units(ws, lj.M5, cfg, brief=False)
    may = per[lj.M5]
    assert lj.MY not in per[lj.M4] and lj.MY in may
    assert all(r.prev_rank is None and r.rank_change is None for r in may[lj.MY].indicators)
    assert any(r.rank_change for r in may[lj.QC].indicators)  # the others: against April
    assert {r.prev_month for r in may[lj.QC].indicators if r.prev_month} == {lj.M4}


def test_the_hand_is_the_layout_s_own(tmp_path):
    """The oracle itself: full marks and the veto as lanjiang writes them (a broken oracle would
    make every comparison above pass or fail for the wrong reason)."""
    may = lj.hand_month(lj.M5)
    assert len(may) == 14 and may[lj.BY]["full"] == 96 and may[lj.QC]["full"] == 100
    assert sum(1 for h in may.values() if h["place"] is None) == sum(1 for h in may.values() if h["veto"])
    assert isinstance(may[lj.QC]["total"], Fraction)
    assert json.dumps(sorted(lj.MONTHS)) == json.dumps([lj.M3, lj.M4, lj.M5])


def test_the_printed_titles_and_the_target_column_are_the_province_s(tmp_path):
    from python_calamine import CalamineWorkbook

    ws = lj.build(tmp_path / "ws")
    p = cli(ws, "run", "--all-units", "--month", lj.M5)
    assert p.returncode in (0, 1), p.stderr
    out = ws / "output" / lj.M5
    (league,) = out.glob("*排名总表.xlsx")
    assert league.name == "澜江省2025年度县域经济高质量发展综合考核2025年5月排名总表.xlsx"
    (own,) = (out / lj.BY).glob("*一览表*.xlsx")
    cells = [str(v) for row in CalamineWorkbook.from_path(str(own)).get_sheet_by_index(0).to_python() for v in row]
    assert any(c.startswith("白岩苗族自治县2025年度县域经济高质量发展综合考核指标完成情况一览表") for c in cells)
    assert "2025年度\n省定目标" in cells and not any("县定目标" in c for c in cells)


def test_the_summary_prints_the_league_s_figures(tmp_path):
    """One truth: each unit's 测算得分 in what `run --all-units` and `assess --all-units` print
    is the figure in the league's cell (77.526471, never `:g`'s 77.5265), and its 折算得分 too.
    功效系数法 on item 5 gives scores with six decimals."""
    import re

    from python_calamine import CalamineWorkbook

    ws = lj.build(tmp_path / "ws")
    p = cli(ws, "run", "--all-units", "--month", lj.M5)
    assert p.returncode in (0, 1), p.stderr
    (league,) = (ws / "output" / lj.M5).glob("*排名总表.xlsx")
    sheet = CalamineWorkbook.from_path(str(league)).get_sheet_by_name("总排名").to_python()
    cells = {row[1]: (row[2], row[4]) for row in sheet if isinstance(row[2], float) and row[1]}
    said = re.findall(r"第 \d+ 名：(\S+) ([0-9.]+)/[0-9.]+ 分，折算 ([0-9.]+)", p.stdout)
    assert len(said) >= 10, p.stdout
    assert any(len(t.split(".")[-1]) > 4 for _u, t, _r in said)  # a score with more than :g's digits
    for unit, total, rate in said:
        assert float(total) == cells[unit][0] and float(rate) == cells[unit][1], (unit, total, cells[unit])
    q = cli(ws, "assess", "--all-units", "--month", lj.M5)
    for line in q.stdout.splitlines():
        if line.startswith("说明："):  # (a unit without a place, items not scored, columns left out: after the units)
            continue
        place, unit, figures, rate = line.split("\t")
        assert float(figures.split("/")[0]) == cells[unit][0] and float(rate[2:]) == cells[unit][1], line
