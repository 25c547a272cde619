"""The county's party organs (县委组织部, 县委宣传部, 县委政法委) keep their 县委: dropping the
county's 县 as for 县发改委 → 发改委 left 委组织部, a name no office uses, in every report
leadership reads."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from kaohe_excel.units import dept_core, dept_written
from tests.kaohe_cli import cli

MONTH = "2024-06"
SYSTEM = [
    (1, "地区生产总值增速", 5, "县发改委"),
    (2, "基层党组织建设", 3, "县委组织部"),
    (3, "意识形态工作", 3, "南岭县委宣传部"),
    (4, "平安建设", 3, "中共南岭县委政法委员会"),
]


def test_party_organs_keep_their_committee():
    assert dept_written("县发改委") == "发改委"
    assert dept_written("县委组织部") == "县委组织部"
    assert dept_written("南岭县委宣传部", "南岭县") == "县委宣传部"
    assert dept_written("叶县委宣传部") == "县委宣传部"
    assert dept_written("东阳区委组织部", "东阳区") == "区委组织部"
    assert dept_written("中共南岭县委政法委员会", "南岭县") == "县委政法委员会"
    assert dept_core("县委组织部（盖章）", "南岭县") == dept_core("南岭县委组织部", "南岭县") == "县委组织部"


def _workspace(root: Path) -> Path:
    (root / "input" / MONTH).mkdir(parents=True)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "南岭县2024年度综合考核指标"
    ws.merge_cells("A1:D1")
    ws.append(["序号", "指标名称", "分值", "责任单位"])
    for row in SYSTEM:
        ws.append(list(row))
    wb.save(root / "input" / "南岭县综合考核指标.xlsx")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "南岭县发改委2024年1-6月综合考核指标进展情况表"
    ws.merge_cells("A1:H1")
    ws.append(["序号", "指标内容", "分值", "责任单位", "2024年度县定目标", "截至本月底完成情况", "六县市排名", "预警提示"])
    ws.append([1, "地区生产总值增速", 5, "县发改委", "6%", "5.9%", 2, None])
    ws.append([])
    ws.append(["填报单位（盖章）：县发改委　　填报人：某某　　填报日期：2024年7月4日"])
    wb.save(root / "input" / MONTH / "南岭县发改委2024年6月指标进展情况.xlsx")
    return root


def test_check_and_reports_name_the_party_organs_in_full(tmp_path):
    ws = _workspace(tmp_path / "ws")
    p = cli(ws, "check", "--month", MONTH)
    assert "县委组织部（应报第 2 项）" in p.stdout, p.stdout
    assert "县委宣传部（应报第 3 项）" in p.stdout, p.stdout
    said = p.stdout.replace("县委", "")
    assert "委组织部" not in said and "委宣传部" not in said and "委政法委" not in said, p.stdout
    cli(ws, "run", "--month", MONTH)
    books = sorted((ws / "output" / MONTH).glob("*.xlsx"))
    assert books
    for book in books:
        wb = openpyxl.load_workbook(book)
        for sh in wb.worksheets:
            for row in sh.iter_rows():
                for c in row:
                    v = c.value if isinstance(c.value, str) else ""
                    assert not any(v.startswith(w) or f"\n{w}" in v or f"、{w}" in v
                                   for w in ("委组织部", "委宣传部", "委政法委")), (book.name, sh.title, c.coordinate, v)
