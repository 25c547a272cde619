"""A county run on a system from another place (临江市 / 云溪县, tests/linjiang.py), the second
review on data unlike our fixtures (the first: test_league_as_written.py): what it found wrong,
checked against the rules in DOMAIN.md and the figures the workbooks themselves state (the
system's 合计 row, the events reported)."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest
from docx import Document

import linjiang as LJ
from kaohe_cli import cli, cli_json


def _one(folder: Path, pattern: str) -> Path:
    found = [p for p in folder.glob(pattern) if not p.name.startswith((".", "~"))]
    assert len(found) == 1, (pattern, found)
    return found[0]


def _rows(path: Path) -> list[list]:
    return [list(r) for r in openpyxl.load_workbook(path).worksheets[0].iter_rows(values_only=True)]


def _by_no(result: dict) -> dict:
    return {r["no"]: r for r in result["indicators"]}


@pytest.fixture(scope="module")
def ws(tmp_path_factory):
    ws = LJ.build(tmp_path_factory.mktemp("linjiang") / "ws")
    p = cli(ws, "run")
    assert p.returncode in (0, 1), p.stdout + p.stderr
    return ws


@pytest.fixture(scope="module")
def june(ws):
    return cli_json(ws, "assess", "--month", "2024-06")


def test_a_bonus_whose_points_cell_gives_only_its_cap_earns_per_event(ws, june):
    # 15: points cell ≤2, remarks 每项加1分，累计不超过2分; one item reported: +1, not the whole cap
    may = cli_json(ws, "assess", "--month", "2024-05")
    for result, month in ((may, "2024-05"), (june, "2024-06")):
        r = _by_no(result)[15]
        assert r["kind"] == "bonus"
        assert r["score"] == min(float(LJ.BONUS15[month]) * 1, 2), r["score_note"]
        scores = [x["score"] for x in result["indicators"] if x["score"] is not None]
        assert result["total"] == pytest.approx(sum(scores), abs=1e-9)


def test_full_marks_agree_with_the_systems_own_total(ws, june):
    stated = sum(LJ.SUBTOTALS.values())  # the system's 合计 row: scored items only, the bonus on top
    p = cli(ws, "spec", str(_one(ws / "input", "*任务分工表.xlsx")))
    assert f"总分 {stated} 分" in p.stdout, p.stdout
    assert "序号 5 与第 8 行重复" not in p.stdout  # one 序号 merged over an indicator split in two rows
    ours = stated + 1  # 4 (云溪县5): one point more for us
    assert june["total_points"] == ours
    rows = _rows(_one(ws / "output" / "2024-06", "*一览表*.xlsx"))
    head = next(i for i, r in enumerate(rows) if r[0] == "序号")
    assert rows[head][2] == f"总分\n{ours}分"
    column = [r[2] for r in rows[head + 1:] if isinstance(r[0], (int, float))]
    assert sum(v for v in column if isinstance(v, (int, float))) == ours  # the column adds up to its head
    assert "≤2" in column  # the bonus as the system writes it, not a number that would count


def test_one_figure_for_an_indicator_in_every_report(ws, june):
    # 发改委 wrote 12.5亿元 for 固定资产投资增速; the peer data has 3.9 for us, which is ranked and scored
    r = _by_no(june)[4]
    ours = LJ.PEERV["2024-06"]["4"][0]
    assert r["actual"] == ours and r["display"] == f"{ours}%" and r["unit"] == "%"
    assert "亿元" not in (r["reach_note"] or "")
    out = ws / "output" / "2024-06"
    for pattern in ("*一览表*.xlsx", "*预警通报.xlsx", "*部门考核.xlsx"):
        for sheet in openpyxl.load_workbook(_one(out, pattern)).worksheets:
            for row in sheet.iter_rows(values_only=True):
                if any(v == "固定资产投资增速" for v in row):
                    texts = " ".join(str(v) for v in row if v is not None)
                    assert "亿元" not in texts and f"{ours}%" in texts, (pattern, texts)
    doc = "\n".join(p.text for p in Document(str(_one(out, "*通报（稿）.docx"))).paragraphs)
    assert "12.5亿元" not in doc
    checked = cli(ws, "check", "--month", "2024-06").stdout
    # the department's figure is named there: an amount, no growth (read as none; the peer data's is ranked)
    assert "12.5亿元" in checked and "是总量，不是增速" in checked


def test_the_bulletin_says_what_a_red_deduction_cost(ws, june):
    r = _by_no(june)[16]
    assert r["colour"] == "red" and r["rank"] is None and r["score"] == -1
    doc = [p.text for p in Document(str(_one(ws / "output" / "2024-06", "*通报（稿）.docx"))).paragraphs]
    line = next(t for t in doc if "较大及以上生产安全事故" in t)
    assert "排名第位" not in line and "扣1分" in line, line
    assert not any("排名第位" in t for t in doc)


def test_a_peer_sheet_numbered_its_own_way_is_read_by_its_names(ws, june, tmp_path):
    other = LJ.build(tmp_path / "bureau", bureau=True)
    got = cli_json(other, "assess", "--month", "2024-06")
    assert not [p for p in got["problems"] if p["level"] == "error"], got["problems"]
    assert got["total"] == june["total"]
    assert {r["no"]: r["actual"] for r in got["indicators"]} == {r["no"]: r["actual"] for r in june["indicators"]}
    said = [p["message"] for p in got["problems"] if "已按名称对应" in p["message"]]
    assert said and all("完全相同" in m for m in said)


# ---- the notations of bonus and deduction items, and a county not assessed on an item


def _notation_workspace(root: Path) -> Path:
    rows = [
        (1, "经济发展", "地区生产总值增速", "10"),
        (2, "经济发展", "海洋经济增加值增速", "3（甲县不考核）"),
        (3, "扣分项", "安全生产事故", "每起扣2分，最多扣4分"),
        (4, "扣分项", "环保督察问题", "扣2分/起（最多扣4分）"),
        (5, "扣分项", "违规举债", "发生一起扣3分，累计不超过6分"),
        (6, "加分项", "国家级试点（每项加0.5分，最高加1分）", "≤1"),
        (7, "加分项", "省级表彰", "每项加0.5分，最高加1分"),
        (8, "加分项", "争取专项债", "最高加2分"),
    ]
    events = {1: [6, 5, 7], 2: ["---", 4.1, 3.3], 3: [3, 1, 0], 4: [3, 0, 1], 5: [3, 1, 0], 6: [1, 1, 0],
              7: [1, 1, 0], 8: [1, 1, 0]}
    (root / "input" / "2024-06").mkdir(parents=True)
    (root / "kaohe.toml").write_text('county = "甲县"\n', encoding="utf-8")
    wb = openpyxl.Workbook()
    sh = wb.active
    sh.append(["甲市2024年度考核指标（演示数据）"])
    sh.append(["序号", "类别", "指标名称", "分值", "责任单位"])
    for no, cat, name, pts in rows:
        sh.append([no, cat, name, pts, "县发改委"])
    wb.save(root / "input" / "甲市2024年度考核指标.xlsx")
    wb = openpyxl.Workbook()
    sh = wb.active
    sh.append(["甲市各县数据（1-6月）"])
    sh.append(["序号", "指标名称", "甲县", "乙县", "丙县"])
    for no, _cat, name, _pts in rows:
        sh.append([no, name] + events[no])
    wb.save(root / "input" / "2024-06" / "甲市各县数据1-6月.xlsx")
    return root


def test_per_event_and_cap_as_the_points_cell_or_the_name_writes_them(tmp_path):
    ws = _notation_workspace(tmp_path / "ws")
    got = _by_no(cli_json(ws, "assess"))
    # three events each (甲县's column): per event × 3, held to the cap
    assert got[3]["score"] == -4 and got[4]["score"] == -4 and got[5]["score"] == -6
    # one item each: 每项加0.5分 in the name or the cell; a cap alone counts kaohe.toml's 1 per item
    assert got[6]["score"] == 0.5 and got[7]["score"] == 0.5 and got[8]["score"] == 1
    assert got[2]["display"] == "不考核" and got[2]["colour"] is None


def test_the_warning_bulletin_counts_items_not_assessed_apart(tmp_path):
    ws = _notation_workspace(tmp_path / "ws")
    result = cli_json(ws, "assess")
    assert cli(ws, "run").returncode in (0, 1)
    rows = _rows(_one(ws / "output" / "2024-06", "*预警通报.xlsx"))
    line = next(r[0] for r in rows if isinstance(r[0], str) and r[0].startswith("本月监测指标"))
    nums = {k: int(v) for k, v in re.findall(r"(监测指标|红色预警|黄色预警|绿色|暂无排名|加分项|不考核)(\d+)项", line)}
    inds = result["indicators"]
    assert nums["监测指标"] == len(inds)
    assert nums["不考核"] == sum(1 for r in inds if r["not_assessed"]) == 1
    # a bonus item's figure has no colour by its kind: reported, never 暂无排名 (暂无数据或文字报送)
    bonus = sum(1 for r in inds if r["kind"] == "bonus" and r["actual"] is not None)
    assert bonus >= 1 and nums["加分项"] == bonus
    assert nums["暂无排名"] == sum(1 for r in inds if r["colour"] is None and not r["not_assessed"]) - bonus
    assert sum(nums[k] for k in ("红色预警", "黄色预警", "绿色", "暂无排名", "加分项", "不考核")) == len(inds)
    doc = "\n".join(p.text for p in Document(str(_one(ws / "output" / "2024-06", "*通报（稿）.docx"))).paragraphs)
    assert "1项本县不考核" in doc


def test_the_monthly_criticism_list_holds_what_slipped_as_its_header_says(ws, june):
    rows = [list(r) for r in openpyxl.load_workbook(_one(ws / "output" / "2024-06", "*部门考核.xlsx"))["奖惩名单"]
            .iter_rows(values_only=True)]
    start = next(i for i, r in enumerate(rows) if str(r[0] or "").startswith("二、批评名单"))
    assert "位次下滑" in rows[start][0]
    listed = " ".join(str(r[2]) for r in rows[start + 2:] if r[2])
    slipped = [r for r in june["indicators"] if r["rank_change"] is not None and r["rank_change"] < 0]
    assert slipped
    for r in slipped:
        assert f"{r['no']}.{r['name']}（由5月第{r['prev_rank']}名降至第{r['rank']}名）" in listed, (r["no"], listed)


def test_a_rank_the_peer_data_contradicts_is_named_at_the_rank_cell(june):
    said = [p for p in june["problems"] if "月报填报排名第1名" in p["message"]]
    assert said and said[0]["cell"].startswith("G"), said  # 全市排位 is column G of 发改委's sheet



def test_the_overview_shows_a_deductions_cap_beside_its_points():
    """分值 「每起扣1分，最多扣3分」: the 一览表 says both (it said 扣1分 and dropped the cap)."""
    from dataclasses import replace

    from kaohe_excel.model import Indicator
    from kaohe_excel.write.reports import points_text

    ind = Indicator(no=11, row=15, path=["五、减分项"], name="较大及以上生产安全事故", name_raw="较大及以上生产安全事故",
                    kind="deduction", points=-1, deduction_cap=3, points_raw="每起扣1分，\n最多扣3分")
    assert points_text(ind) == "每起扣1分，最多扣3分"
    assert points_text(replace(ind, deduction_cap=None)) == "扣1分"
