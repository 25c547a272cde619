"""A direction written where clerks write it: in the indicator's name (食品抽检不合格率（逆向）,
水质未达标断面数（逆向指标）, 【正向】) and in a 备注 that may deny it (非逆向指标，以下降率计).

Before: the mark in the name was not read (the system said nothing, and the name guess read 合格
inside 不合格率 and 达标 inside 未达标 as higher-is-better, so the best county was ranked last,
silently), and a 备注 of 非逆向指标 made the indicator lower-is-better.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import Font

from kaohe_excel.assess.ranking import guess_direction
from kaohe_excel.model import HIGHER, LOWER
from kaohe_excel.read.matching import matcher_for
from kaohe_excel.read.workbook import read_system
from kaohe_excel.text import direction_of
from tests.kaohe_cli import cli_json
from tests.xl_style import box

COUNTY = "桐柏县"
COUNTIES = ["桐柏县", "新野县", "唐河县", "社旗县", "方城县", "内乡县"]

# (序号, 类别, name as the table writes it, 分值, 牵头单位, 备注)
SYSTEM = [
    (1, "民生保障", "食品抽检不合格率（逆向）", 4, "县市场监管局", ""),
    (2, "民生保障", "水质未达标断面数（逆向指标）", 4, "县生态环境分局", ""),
    (3, "民生保障", "农村饮水不达标人口数", 4, "县水利局", ""),  # no mark: the name alone says lower
    (4, "民生保障", "农产品质量安全例行监测合格率", 4, "县农业农村局", ""),
    (5, "绿色发展", "单位GDP能耗下降率", 4, "县发改委", "非逆向指标，以下降率计"),
    (6, "绿色发展", "重点河流断面氨氮浓度", 4, "县生态环境分局", "逆向指标"),
    (7, "绿色发展", "城镇生活污水集中收集率", 4, "县住建局", "不属于逆向指标"),
    (8, "经济发展", "【正向】地区生产总值增速", 6, "县发改委", ""),
]

# The six counties' figures (COUNTIES order), the peer sheet writing names its own way.
PEERS = [
    (1, "食品抽检不合格率", [0.8, 1.5, 2.2, 1.1, 3.0, 1.9]),
    (2, "水质未达标断面数【逆向】", [0, 1, 2, 1, 3, 2]),
    (3, "农村饮水不达标人口数", [120, 340, 560, 410, 800, 230]),
    (4, "农产品质量安全例行监测合格率", [98.6, 97.9, 99.1, 98.2, 96.5, 98.8]),
]


def write_system(path: Path) -> None:
    """The task-division table as an office sends it: 附件 label, merged title, the category
    merged down its rows, the direction in the name or the 备注, a 合计 row."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "指标分工"
    ws["A1"] = "附件1"
    ws["A1"].font = Font(name="黑体", size=14)
    ws["A2"] = f"{COUNTY}2024年度高质量发展综合考核指标任务分工表"
    ws["A2"].font = Font(name="方正小标宋简体", size=18)
    ws.merge_cells("A2:F2")
    for i, h in enumerate(["序号", "指标类别", "考核指标", "分值", "责任单位", "备注"], 1):
        ws.cell(3, i, h).font = Font(name="黑体", size=12)
    r = 4
    first: dict[str, int] = {}
    for no, cat, name, pts, lead, note in SYSTEM:
        ws.cell(r, 1, no)
        if cat not in first:
            first[cat] = r
            ws.cell(r, 2, cat)
        ws.cell(r, 3, name)
        ws.cell(r, 4, pts)
        ws.cell(r, 5, lead)
        if note:
            ws.cell(r, 6, note)
        r += 1
    bounds = list(first.values()) + [r]
    for a, b in zip(bounds, bounds[1:]):
        if b - a > 1:
            ws.merge_cells(start_row=a, start_column=2, end_row=b - 1, end_column=2)
    ws.cell(r, 1, "合计")
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=3)
    ws.cell(r, 4, sum(p for _, _, _, p, _, _ in SYSTEM))
    box(ws, 3, 1, r, 6)
    wb.save(path)


def write_peers(path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "六县数据"
    ws["A1"] = "南州市六县主要指标（2024年1-6月）"
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=2 + len(COUNTIES))
    ws.append(["序号", "指标名称", *COUNTIES])
    for no, name, values in PEERS:
        ws.append([no, name, *values])
    box(ws, 2, 1, 2 + len(PEERS), 2 + len(COUNTIES))
    wb.save(path)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    ws = tmp_path_factory.mktemp("marks")
    (ws / "input" / "2024-06").mkdir(parents=True)
    write_system(ws / "input" / f"{COUNTY}2024年度考核指标.xlsx")
    write_peers(ws / "input" / "2024-06" / "六县数据（2024年1-6月）.xlsx")
    (ws / "kaohe.toml").write_text(f'county = "{COUNTY}"\n', encoding="utf-8")
    return ws


def _by_no(system):
    return {i.no: i for i in system.indicators}


def test_a_mark_in_the_name_is_the_systems_direction(workspace):
    system = read_system(workspace / "input" / f"{COUNTY}2024年度考核指标.xlsx")
    ind = _by_no(system)
    assert (ind[1].direction, ind[1].name, ind[1].name_raw) == (LOWER, "食品抽检不合格率", "食品抽检不合格率（逆向）")
    assert (ind[2].direction, ind[2].name) == (LOWER, "水质未达标断面数")
    assert (ind[8].direction, ind[8].name) == (HIGHER, "地区生产总值增速")
    assert ind[3].direction is None and ind[4].direction is None  # nothing written: left to the name guess
    # a monthly sheet or peer sheet names it with or without the mark, either bracket
    m = matcher_for(system)
    for written, no in [("食品抽检不合格率", 1), ("食品抽检不合格率(逆向)", 1), ("【逆向】食品抽检不合格率", 1),
                        ("水质未达标断面数", 2), ("地区生产总值增速（正向）", 8), ("地区生产总值增速", 8)]:
        got = m.match(None, written)
        assert got.indicator is not None and got.indicator.no == no, (written, got)


def test_the_best_county_on_a_reverse_indicator_ranks_first(workspace):
    """桐柏县 has the lowest figure on 1–3: first place and full points, not last."""
    js = cli_json(workspace, "assess", "--month", "2024-06")
    res = {i["no"]: i for i in js["indicators"]}
    for no in (1, 2):
        assert (res[no]["direction"], res[no]["direction_source"]) == (LOWER, "指标体系"), res[no]
        assert res[no]["rank"] == 1 and res[no]["score"] == pytest.approx(4), res[no]
    # 不达标 is not 达标: guessed lower from the name, and said so
    assert (res[3]["direction"], res[3]["direction_source"], res[3]["rank"]) == (LOWER, "名称推断", 1), res[3]
    assert any("「农村饮水不达标人口数」为逆向" in n for n in js["notes"]), js["notes"]
    assert (res[4]["direction"], res[4]["rank"]) == (HIGHER, 3), res[4]  # 合格率 stays higher: 99.1 98.8 [98.6]
    assert res[1]["name"] == "食品抽检不合格率"


def test_a_remark_that_denies_reverse_is_not_reverse(workspace):
    ind = _by_no(read_system(workspace / "input" / f"{COUNTY}2024年度考核指标.xlsx"))
    assert ind[5].direction == HIGHER  # 非逆向指标，以下降率计
    assert ind[6].direction == LOWER  # 逆向指标
    assert ind[7].direction == HIGHER  # 不属于逆向指标


@pytest.mark.parametrize("text, d", [
    ("逆向", LOWER), ("逆向指标", LOWER), ("越低越好", LOWER), ("↓", LOWER), ("负向", LOWER), ("负向指标", LOWER),
    ("正向", HIGHER), ("↑", HIGHER), ("越大越好", HIGHER),
    ("非逆向指标，以下降率计", HIGHER), ("不是逆向指标", HIGHER), ("并非越低越好", HIGHER), ("非正向", LOWER),
    ("", None), ("?", None),
])
def test_direction_of_reads_denials(text, d):
    assert direction_of(text) == d


@pytest.mark.parametrize("name, d", [
    ("食品抽检不合格率", LOWER), ("水质未达标断面数", LOWER), ("农村饮水不达标人口数", LOWER), ("群众不满意率", LOWER),
    ("农产品质量安全例行监测合格率", HIGHER), ("不合格产品整改率", HIGHER), ("未达标水体整治完成率", HIGHER),
    ("万元GDP能耗下降率", HIGHER),
])
def test_a_denied_higher_word_is_not_guessed_higher(name, d):
    assert guess_direction(name) == d
