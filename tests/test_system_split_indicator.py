"""One indicator's name merged down over rows that each carry a sub-criterion (考核要点) and points
of their own: 社会消费品零售总额 over 总量 | 5 and 增速 | 5 (acceptance probe 27). Each row is an
indicator, named so the month's rows tell them apart; before, both carried the one name, the
second was matched to nothing and its 5 points never scored (14 of 20 where 18.75 is right)."""

import openpyxl
import pytest

from kaohe_excel.read.workbook import read_system
from tests.kaohe_cli import cli_json


def _system(path, subs=("总量", "增速"), name="社会消费品零售总额"):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["云溪县2024年度综合考核指标"])
    ws.merge_cells("A1:E1")
    ws.append(["序号", "指标名称", "考核要点", "分值", "牵头单位"])
    ws.append([1, "地区生产总值增速", "增速", 10, "县发改委"])
    ws.append([2, name, subs[0], 5, "县商务局"])
    ws.append([None, None, subs[1], 5, None])
    for rng in ("A4:A5", "B4:B5", "E4:E5"):
        ws.merge_cells(rng)
    ws.append(["注：演示数据。"])
    wb.save(path)
    return path


@pytest.mark.parametrize("subs, names", [
    (("总量", "增速"), ["社会消费品零售总额", "社会消费品零售总额增速"]),
    (("增速", "总量"), ["社会消费品零售总额增速", "社会消费品零售总额"]),
    (("绝对值", "增长率"), ["社会消费品零售总额", "社会消费品零售总额增速"]),
    (("进度", "质量"), ["社会消费品零售总额进度", "社会消费品零售总额质量"]),
])
def test_each_row_is_an_indicator_of_its_own(tmp_path, subs, names):
    system = read_system(_system(tmp_path / "指标.xlsx", subs))
    assert [i.name for i in system.indicators] == ["地区生产总值增速", *names]
    assert system.total_points == 20


def test_the_same_sub_criterion_twice_is_left_as_written(tmp_path):
    system = read_system(_system(tmp_path / "指标.xlsx", ("总量", "总量")))
    assert [i.name for i in system.indicators][1:] == ["社会消费品零售总额"] * 2


def test_both_rows_are_scored(tmp_path):
    inp = tmp_path / "input"
    (inp / "2024-06").mkdir(parents=True)
    _system(inp / "云溪县2024年度综合考核指标.xlsx")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["岚川市各县主要指标（2024年1-6月）"])
    ws.append(["序号", "指标", "云溪县", "白岩县", "青岭县", "石门县"])
    ws.append([1, "地区生产总值增速", 6.1, 5.8, 6.5, 4.9])
    ws.append([2, "社会消费品零售总额", 45.2, 60.1, 38.0, 52.3])
    ws.append([2, "社会消费品零售总额增速", 5.5, 4.2, 6.1, 3.3])
    wb.save(inp / "2024-06" / "各县数据.xlsx")
    (tmp_path / "kaohe.toml").write_text('county = "云溪县"\n', encoding="utf-8")
    js = cli_json(tmp_path, "assess", "--month", "2024-06")
    got = [(i["name"], i["actual"], i["rank"], i["score"]) for i in js["indicators"]]
    assert got == [("地区生产总值增速", 6.1, 2, 9.5), ("社会消费品零售总额", 45.2, 3, 4.5),
                   ("社会消费品零售总额增速", 5.5, 2, 4.75)], got
    assert js["total"] == 18.75 and js["total_points"] == 20
