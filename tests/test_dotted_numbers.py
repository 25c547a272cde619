"""A system numbered category.item (序号 `1.1`, `1.2`, `2.1`): such a 序号 is no number the tool
counts by (the item is known by its name), yet every report and message shows it as written,
never as `None` (the 奖惩名单 read `None.地区生产总值`, check said 应报第 None、None 项)."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from tests.kaohe_cli import cli

MONTH = "2024-06"
PEERS = ["东阳区", "西湖区", "南山区", "北塘区"]
# (序号, 一级指标, name, 分值, 牵头单位, peer values in PEERS order)
SYSTEM = [
    ("1.1", "经济实力", "地区生产总值", 5, "区发改局", [5.9, 6.3, 5.1, 4.7]),
    ("1.2", "经济实力", "一般公共预算收入", 4, "区财政局", [3.2, 4.1, 2.2, 5.0]),
    ("1.3", "经济实力", "固定资产投资增速", 5, "区发改局", [8.4, 6.1, 7.7, 3.5]),
    ("2.1", "创新驱动", "研发经费投入强度", 4, "区科技局", [2.6, 3.1, 1.9, 2.2]),
    ("2.2", "创新驱动", "高新技术企业数量", 3, "区科技局", [12, 20, 8, 9]),
]


def _workspace(root: Path) -> Path:
    (root / "input" / MONTH).mkdir(parents=True)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "考核细则"
    ws["A1"] = "东阳区2024年度高质量发展综合绩效考核细则"
    ws.merge_cells("A1:F1")
    ws.append(["编号", "一级指标", "三级指标", "分值", "牵头单位", "考核目标"])
    for no, cat, name, pts, lead, _v in SYSTEM:
        ws.append([no, cat, name, pts, lead, "增长6%"])
    ws.append([None, "合计", None, sum(s[3] for s in SYSTEM), None, None])
    wb.save(root / "input" / "东阳区高质量发展考核细则.xlsx")

    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "东阳区发改局2024年1-6月高质量发展指标进展情况表"
    ws.merge_cells("A1:I1")
    ws.append(["序号", "指标内容", "分值", "责任单位", "2023年度完成情况（位次）", "2024年度县定目标",
               "截至本月底完成情况", "六县市排名", "预警提示"])
    ws.append(["1.1", "地区生产总值（GDP）", 5, "区发改局", "5.1%（3）", "6%", "5.9%", 2, None])
    ws.append(["1.3", "固定资产\n投资增速", 5, "区发改局", "3.3%（4）", "8%", "8.4%", 1, None])
    ws.append([])
    ws.append(["填报单位（盖章）：区发改局　　主要负责人：某某　　填报人：某某　　填报日期：2024年7月4日"])
    wb.save(root / "input" / MONTH / "东阳区发改局2024年6月指标进展情况.xlsx")

    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "江州市市辖区主要指标（2024年1-6月）"
    ws.append(["序号", "指标名称", *PEERS])
    for no, _c, name, _p, _l, values in SYSTEM:
        ws.append([no, name, *values])
    wb.save(root / "input" / MONTH / "各区主要指标（2024年1-6月）.xlsx")
    return root


def _cells(path: Path) -> list[str]:
    wb = openpyxl.load_workbook(path)
    return [c.value for sh in wb.worksheets for row in sh.iter_rows() for c in row if isinstance(c.value, str)]


def test_check_names_the_owed_items_by_their_written_numbers(tmp_path):
    ws = _workspace(tmp_path / "ws")
    p = cli(ws, "check", "--month", MONTH)
    assert "None" not in p.stdout, p.stdout
    assert "区科技局（应报第 2.1、2.2 项）" in p.stdout, p.stdout
    assert "区财政局：未报，应报 1 项（第 1.2 项）" in p.stdout, p.stdout


def test_reports_show_the_written_numbers_and_never_none(tmp_path):
    ws = _workspace(tmp_path / "ws")
    p = cli(ws, "run", "--month", MONTH)
    assert p.returncode in (0, 1), p.stdout + p.stderr
    out = ws / "output" / MONTH
    books = sorted(out.glob("*.xlsx"))
    assert books, p.stdout
    for book in books:
        bad = [v for v in _cells(book) if "None" in v]
        assert not bad, (book.name, bad)
    cards = next(out.glob("*部门考核.xlsx"))
    wb = openpyxl.load_workbook(cards)
    listed = [c.value for row in wb["奖惩名单"].iter_rows() for c in row if isinstance(c.value, str)]
    assert "1.1 地区生产总值" in listed, listed
    scores = next(out.glob("*得分测算.xlsx"))
    nos = [r[0].value for r in openpyxl.load_workbook(scores)["指标得分"].iter_rows(min_row=1)]
    assert {"1.1", "1.2", "1.3", "2.1", "2.2"} <= set(nos), nos
