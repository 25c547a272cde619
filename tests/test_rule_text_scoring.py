"""A system's 评分标准 column, where it states the scoring plainly (acceptance probe 27): 「第一名得满分，
每降一位扣0.5分」 scores by places in points, 「功效系数法」 by the efficacy coefficient; a rule it
cannot follow is named in a 提示; kaohe.toml's own setting for the item wins. Before, every item
was scored by the default 5 % steps and nothing said so (11.4 where the table's rule gives 11.5)."""

from __future__ import annotations

import openpyxl
import pytest

from kaohe_excel.assess.scoring import EFFICACY, RANK_STEPS, rank_steps_score, rule_from_text
from tests.kaohe_cli import cli_json

UNITS = ["云溪县", "白岩县", "青岭县", "石门县", "柳湾县"]
ROWS = [  # (no, name, points, 评分标准, values in UNITS order)
    (1, "地区生产总值增速", 12, "第一名得满分，每降一位扣0.5分", [6.1, 6.5, 5.8, 4.9, 5.2]),
    (2, "固定资产投资增速", 10, "功效系数法", [3.5, -4.0, 8.0, 5.0, 1.0]),
    (3, "一般公共预算收入增速", 10, "完成目标得满分，每低1个百分点扣0.5分，扣完为止", [4.0, 6.2, 3.0, 3.1, 4.5]),
    (4, "社会消费品零售总额增速", 8, "按位次计分", [5.5, 4.2, 6.1, 3.3, 5.0]),
]


@pytest.mark.parametrize("text, want", [
    ("第一名得满分，每降一位扣0.5分", {"method": RANK_STEPS, "rank_step_points": 0.5}),
    ("排名第1得满分，每下降1个位次扣 0.3 分", {"method": RANK_STEPS, "rank_step_points": 0.3}),
    ("按功效系数法计分", {"method": EFFICACY}),
    ("按完成比例计分", {"method": "completion"}),
    ("每低1个百分点扣0.5分", None),
    ("按位次计分", {"method": RANK_STEPS}),
    ("数据由县统计局提供", {}),
    ("", {}),
])
def test_rule_from_text(text, want):
    assert rule_from_text(text) == want


def test_steps_in_points():
    assert rank_steps_score(12, 2, 5.0, 0.5) == 11.5
    assert rank_steps_score(15, 2, 5.0, 1) == 14
    assert rank_steps_score(1, 5, 5.0, 0.5) == 0  # never below zero


def _workspace(root, toml: str = ""):
    inp = root / "input"
    (inp / "2024-06").mkdir(parents=True)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["云溪县2024年度高质量发展综合考核指标体系"])
    ws.merge_cells("A1:E1")
    ws.append(["序号", "指标名称", "分值", "评分标准", "牵头单位"])
    for no, name, pts, rule, _v in ROWS:
        ws.append([no, name, pts, rule, "县发改委"])
    wb.save(inp / "云溪县2024年度考核指标.xlsx")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["岚川市各县主要指标（2024年1-6月）"])
    ws.append(["序号", "指标", *UNITS])
    for no, name, _p, _r, vals in ROWS:
        ws.append([no, name, *vals])
    wb.save(inp / "2024-06" / "各县数据.xlsx")
    (root / "kaohe.toml").write_text('county = "云溪县"\n' + toml, encoding="utf-8")
    return cli_json(root, "assess", "--month", "2024-06")


def test_the_tables_own_rules_score_the_items(tmp_path):
    js = _workspace(tmp_path)
    by = {r["no"]: r for r in js["indicators"]}
    assert (by[1]["rank"], by[1]["score"]) == (2, 11.5)  # 12 − 0.5
    assert by[2]["method"] == EFFICACY and by[2]["score"] == pytest.approx(10 * (60 + 40 * 7.5 / 12) / 100)
    assert (by[4]["rank"], by[4]["score"]) == (2, 7.6)  # the default steps: 8 × 95 %
    assert by[3]["score"] == 9.0  # its rule is not one this follows: the default steps, and said
    said = [p for p in js["problems"] if "评分标准" in p["message"]]
    assert len(said) == 1 and "一般公共预算收入增速" in said[0]["message"] and "地区生产总值" not in said[0]["message"]
    notes = [n for n in js["notes"] if "评分标准" in n]
    assert len(notes) == 1 and "地区生产总值增速" in notes[0] and "固定资产投资增速" in notes[0]


def test_kaohe_toml_wins_over_the_tables_rule(tmp_path):
    js = _workspace(tmp_path, '\n[indicators."1"]\nrank_step = 10\n')
    by = {r["no"]: r for r in js["indicators"]}
    assert by[1]["score"] == pytest.approx(10.8)  # 12 × 90 %
