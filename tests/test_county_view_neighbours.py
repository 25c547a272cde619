"""The county view on a folder that also holds a neighbour's report, and on a peer table that
writes our autonomous county short (helper-31's probe, 岚州市 seen from 云雾瑶族自治县): a
neighbour's filled 一览表 was read as our 政府办's report (its targets and figures used as ours);
a month whose peer table wrote 云雾县 scored every item 0 (the view from above maps the name);
and that month then stood in 得分测算's 逐月走势 as a total of 0."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl

from kaohe_excel.assess.month import _match_county
from kaohe_excel.assess.results import MonthBrief
from kaohe_excel.write.reports import score_trend
from tests.kaohe_cli import cli, cli_json

ROOT = Path(__file__).resolve().parents[1]
OURS = "叶县发改委2023年8月指标进展情况.xlsx"


def _workspace(tmp_path: Path) -> Path:
    ws = tmp_path / "ws"
    shutil.copytree(ROOT / "input", ws / "input")
    return ws


def test_a_neighbour_s_report_in_the_month_folder_is_not_read_as_ours(tmp_path):
    ws = _workspace(tmp_path)
    before = cli_json(ws, "assess", "--month", "2023-08")
    # 宝丰县's own sheet, as a clerk forwards it: the same form, its title and 填报单位 its own, other figures
    theirs = ws / "input" / "2023-08" / "宝丰县发改委2023年8月指标进展情况.xlsx"
    wb = openpyxl.load_workbook(ws / "input" / "2023-08" / OURS)
    sheet = wb.worksheets[0]
    for row in sheet.iter_rows():
        for c in row:
            if isinstance(c.value, str) and "叶县" in c.value:
                c.value = c.value.replace("叶县", "宝丰县")
            elif c.column == 7 and c.row > 4 and isinstance(c.value, (int, float)):
                c.value = c.value * 3 + 1
    wb.save(theirs)
    p = cli(ws, "check", "--month", "2023-08")
    assert "宝丰县发改委2023年8月指标进展情况.xlsx" in p.stdout
    assert "写的是「宝丰县」，不是本县（叶县）部门的月报，未读取" in p.stdout, p.stdout
    after = cli_json(ws, "assess", "--month", "2023-08")
    assert after["total"] == before["total"] and after["estimated_rank"] == before["estimated_rank"]
    assert [i["actual"] for i in after["indicators"]] == [i["actual"] for i in before["indicators"]]


def test_a_department_s_own_report_naming_our_county_short_is_read(tmp_path):
    """叶 for 叶县 in a title, or no county at all: ours, as before."""
    ws = _workspace(tmp_path)
    p = cli(ws, "check", "--month", "2023-08")
    assert "不是本县" not in p.stdout


def test_an_autonomous_county_is_found_by_its_short_name():
    group = ["栖凤区", "澄湖区", "雁栖县", "云雾县"]
    assert _match_county("云雾瑶族自治县", group) == "云雾县"
    assert _match_county("云雾县", ["云雾瑶族自治县", "雁栖县"]) == "云雾瑶族自治县"
    assert _match_county("栖凤区", group) == "栖凤区"
    assert _match_county("白石县", group) is None


def test_a_month_with_nothing_scored_is_no_total_of_0_in_the_trend():
    keys = ()
    read = MonthBrief("2026-03", 36.93, 50, False, 2, keys, (), (), 2.0)
    unread = MonthBrief("2026-04", 0.0, 50, False, 7, keys, (), (), 50.0)  # every item 无数据
    rows = score_trend({"2026-04": unread, "2026-03": read})
    assert [(t["month_label"], t["total"], t["estimated_rank"]) for t in rows] == [
        ("3月", 36.93, 2), ("4月", "无数据", None)]


def test_our_own_empty_cell_in_the_peer_data_is_said(tmp_path):
    """The peer sheet's cell of our own county left empty (—): ranked on the 月报's figure, and
    said so (it was silent, and the colour's reason said 按六县市数据计算); with no 月报 figure
    either, the item is named as without data."""
    ws = _workspace(tmp_path)
    peers = next((ws / "input" / "2023-08").glob("六县市数据*.xlsx"))
    wb = openpyxl.load_workbook(peers)
    sheet = wb.worksheets[0]
    ours = next(c.column for row in sheet.iter_rows(max_row=8) for c in row if c.value == "叶县")
    first = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value in (1, "1"))
    before = cli_json(ws, "assess", "--month", "2023-08")
    item = next(i for i in before["indicators"] if i["no"] == sheet.cell(first, 1).value)
    sheet.cell(first, ours).value = "—"
    wb.save(peers)
    after = cli_json(ws, "assess", "--month", "2023-08")
    got = next(i for i in after["indicators"] if i["no"] == item["no"])
    if item["entry_figure"]:  # the department reported it: its figure is ranked
        assert got["actual"] == item["actual"] and "本县数值取自月报" in got["colour_reason"], got
    p = cli(ws, "check", "--month", "2023-08")
    assert f"第 {item['no']} 项" in p.stdout and "在六县市数据中本县的数值为空（写的是「—」）" in p.stdout, p.stdout
    assert p.stdout.count("在六县市数据中本县的数值为空") >= 3  # (the demo's two items without data too)


def test_the_warning_bulletin_names_a_silent_department_as_every_other_report(tmp_path):
    """A department that sent nothing this month was grouped in 预警通报 (and the bulletin) under the
    system's spelling of the day (县金融工作服务中心) where 报送情况 names it as the month it reported."""
    ws = _workspace(tmp_path)
    for f in (ws / "input" / "2023-08").glob("*金融工作服务中心*"):
        f.unlink()
    assert cli(ws, "run", "--month", "2023-08").returncode in (0, 1)
    (book,) = (ws / "output" / "2023-08").glob("*预警通报.xlsx")
    heads = [str(c.value) for row in openpyxl.load_workbook(book).worksheets[0].iter_rows() for c in row
             if c.value and "（红色" in str(c.value)]
    (status,) = (ws / "output" / "2023-08").glob("*报送情况.xlsx")
    named = {str(c.value) for row in openpyxl.load_workbook(status).worksheets[0].iter_rows() for c in row
             if c.value and "金融" in str(c.value)}
    hit = [h.split("（")[0] for h in heads if "金融" in h]
    assert hit and hit[0] in named, (heads, named)
