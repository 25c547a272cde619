"""Issue 11.3 and 11.7, the parts a leader would catch: a reason never says 月报未填 beside a
figure the report prints, and a 部门考核 for a period without data is an error, not an
empty report."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from tests.kaohe_cli import cli, cli_json

ROOT = Path(__file__).resolve().parents[1]


def _demo(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "input", tmp_path / "input")
    return tmp_path


def test_no_value_is_printed_beside_month_report_not_filled(tmp_path):
    ws = _demo(tmp_path)
    res = cli_json(ws, "assess", "--month", "2023-08")
    said = 0
    for r in res["indicators"]:
        if "未填完成情况" in r["colour_reason"]:
            assert r["display"] in ("", "—"), r
            said += 1
        if r["display"] not in ("", "—") and r["actual"] is None and r["colour"] is None and not r["qualitative"] \
                and not r["not_assessed"] and not r["unreported"]:
            assert f"月报填写「{r['display']}」" in r["colour_reason"], r  # what was written, e.g. 「/」
    text = cli(ws, "assess", "--month", "2023-08").stdout
    for line in text.splitlines():
        if "未填完成情况" in line:
            cols = line.split()
            assert cols[2] in ("—", ""), line  # the 完成值 column of that row
    assert said + sum(1 for r in res["indicators"] if "月报填写「" in r["colour_reason"]) >= 1


def test_a_period_without_data_is_an_error_and_writes_nothing(tmp_path):
    ws = _demo(tmp_path)
    for args in (("--quarter", "2023Q1"), ("--year", "2022")):
        p = cli(ws, "run", *args)
        assert p.returncode == 2, p.stdout + p.stderr
        assert "没有任何月份的数据" in p.stderr and "2023-07、2023-08" in p.stderr
        assert not (ws / "output").exists() or not list((ws / "output").rglob("*.xlsx"))
    p = cli(ws, "run", "--quarter", "2023Q3")  # July and August are in it
    assert p.returncode in (0, 1) and "第三季度部门考核" in p.stdout


def test_figures_carry_the_unit_the_department_writes():
    """A count or a concentration the city writes bare takes its unit from the department's
    own figure, target or last year's (9个, 25个, 45微克/立方米), so 需达到 reads 达到18个."""
    from kaohe_excel.assess.month import _unit_of

    assert _unit_of("亿元及以上新开工产业项目个数", ["12", "9"], ["9个", "25个", "22个（3）"]) == "个"
    assert _unit_of("PM2.5年均浓度", ["41.2"], ["43.1微克/立方米"]) == "微克/立方米"
    assert _unit_of("高标准农田建设", [], ["已完成，第2名"]) == ""  # a rank is no unit
    assert _unit_of("城镇新增就业人数", ["3359"], ["3359"]) == ""  # nothing written: nothing guessed
    assert _unit_of("固定资产投资增速", ["8.5%"], ["9个"]) == "%"  # the city's notation first
    assert _unit_of("人均可支配收入（万元/人）", [], ["3个"]) == "万元/人"  # the name first


def test_demo_reach_notes_and_figures_carry_units(tmp_path):
    ws = _demo(tmp_path)
    res = cli_json(ws, "assess", "--month", "2023-08")
    by = {r["no"]: r for r in res["indicators"]}
    for no in (6, 18, 33):  # counts the peer sheet writes bare
        r = by[no]
        assert r["unit"] and r["display"].endswith(r["unit"]), r
        if r["reach_note"]:
            assert re.search(r"达到[\d.]+" + re.escape(r["unit"]), r["reach_note"]), r["reach_note"]
