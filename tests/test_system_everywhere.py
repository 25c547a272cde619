"""An indicator system is one wherever it is looked for: `kaohe spec` on the file, the file at
the root of a workspace's input/, the file dropped into a month folder. A system the spec
reader takes must never be skipped by the workspace as "not a system" (a 一级指标 | 二级指标
header without a 指标名称 column once stopped every run of a city's workspace while `kaohe
spec` read the same file)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import Alignment

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests import fourth_systems as fourth  # noqa: E402
from tests.fixtures import more_systems as more  # noqa: E402
from tests.fixtures import systems as first  # noqa: E402
from tests.fixtures import third_systems as third  # noqa: E402


def two_level_header(folder: Path, fmt: str = "xlsx") -> tuple[Path, dict]:
    """A city's task-division table as its office types it: 附件 label, merged title, a header of
    序号 | 一级指标 | 二级指标 | 分值 | each unit's target under one merged cell | 牵头单位 | 备注,
    line breaks in the header cells, 一级指标 merged down its rows, per-unit points, `---`, a
    notes row. The 二级指标 column names the indicators: there is no 指标名称."""
    units = ["北塘区", "南溪县", "西山县", "新港区", "经开区"]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "指标体系"
    ws["A1"] = "附件"
    ws.merge_cells("A2:K2")
    ws["A2"] = "桐州市2024年度县（市、区）高质量发展综合绩效考核任务分工表"
    for c, text in enumerate(["序号", "一级\n指标", "二级指标", "分值\n（分）", "各县（市、区）2024年目标"], 1):
        ws.cell(3, c, text).alignment = Alignment(wrap_text=True)
    ws.merge_cells("E3:I3")
    ws.cell(3, 10, "牵头\n单位").alignment = Alignment(wrap_text=True)
    ws.cell(3, 11, "备注")
    for c, u in enumerate(units, 5):
        ws.cell(4, c, u)
    for c in (1, 2, 3, 4, 10, 11):
        ws.merge_cells(start_row=3, start_column=c, end_row=4, end_column=c)
    rows = [
        (1, "一、质量效益", "一般公共预算收入增速", "3 (经开区4)", [6, 5, 5, 7, 8], "市财政局", ""),
        (2, None, "规上工业企业营业收入增速", 4, [8, 8, 9, 10, 12], "市工信局", ""),
        (3, None, "税收收入占比", 2, [75, 70, 70, 80, "---"], "市税务局", ""),
        (4, "二、开放创新", "实际使用外资", 2, ["---", 500, 300, 3000, 5000], "市商务局", "单位：万美元"),
        (5, None, "研发经费投入强度", "2 (新港区3)", [2.1, 1.8, 1.6, 2.5, 3.0], "市科技局", ""),
        (6, "三、民生保障", "城镇新增就业人数", 3, [3000, 2500, 2000, 4000, 1500], "市人社局", ""),
    ]
    r = 5
    for no, cat, name, pts, targets, lead, note in rows:
        ws.cell(r, 1, no)
        if cat:
            ws.cell(r, 2, cat)
        ws.cell(r, 3, name)
        ws.cell(r, 4, pts)
        for c, t in enumerate(targets, 5):
            ws.cell(r, c, t)
        ws.cell(r, 10, lead)
        ws.cell(r, 11, note)
        r += 1
    ws.merge_cells("B5:B7")
    ws.merge_cells("B8:B9")
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=11)
    ws.cell(r, 1, "注：1.分值括号内为该单位的分值；2.“---”表示该单位不考核此项。")
    path = Path(folder) / "附件：桐州市2024年度县（市、区）高质量发展综合绩效考核任务分工表.xlsx"
    wb.save(path)
    return path, {"count": len(rows), "names": [x[2] for x in rows]}


CASES = ([(f"first-{n}", b, f) for n, b, f in first.SYSTEM_BUILDERS]
         + [(f"more-{n}", b, f) for n, b, f in more.MORE_BUILDERS]
         + [(f"third-{n}", b, "xlsx") for n, b, _f in third.THIRD_BUILDERS]
         + [(f"fourth-{n}", lambda folder, fmt, b=b: b(folder), None) for n, b in fourth.BUILDERS
            if n not in ("zhejiang_weights", "dotted_with_veto_group")]  # (those two are made by LibreOffice)
         + [("two_level_header", two_level_header, "xlsx")])


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_a_system_spec_reads_is_the_workspace_system(tmp_path, case):
    from kaohe_excel.read.workbook import read_system
    from kaohe_excel.workspace import load_month

    _id, builder, fmt = case
    made = tmp_path / "made"
    made.mkdir()
    path, _facts = builder(made, fmt)
    spec = read_system(path)
    assert spec.indicators
    ws = tmp_path / "工作区"
    (ws / "input" / "2024-01").mkdir(parents=True)
    shutil.copy2(path, ws / "input" / path.name)
    mi = load_month(ws, "2024-01", with_history=False)
    assert mi.system is not None, [p.message for p in mi.problems]
    assert [i.name for i in mi.system.indicators] == [i.name for i in spec.indicators]
    assert [i.points for i in mi.system.indicators] == [i.points for i in spec.indicators]
    assert not any("没有找到指标体系" in p.message for p in mi.problems)


def test_a_two_level_table_without_a_name_column_is_read_everywhere(tmp_path):
    """The 二级指标 column names the indicators: spec, the workspace root and a month folder agree."""
    from kaohe_excel.read.workbook import read_system
    from kaohe_excel.workspace import load_month

    path, facts = two_level_header(tmp_path)
    spec = read_system(path)
    assert [i.name for i in spec.indicators] == facts["names"]
    assert spec.indicators[0].points_by_unit.get("经开区") == 4 and spec.indicators[2].points_by_unit["经开区"] is None
    # dropped into the month folder (no system at the root): found there and used, with the advice to move it
    ws = tmp_path / "工作区"
    (ws / "input" / "2024-01").mkdir(parents=True)
    shutil.copy2(path, ws / "input" / "2024-01" / path.name)
    mi = load_month(ws, "2024-01", with_history=False)
    assert mi.system is not None and [i.name for i in mi.system.indicators] == facts["names"]
    assert any("放在了月份文件夹中" in p.message for p in mi.problems)


def test_a_mistyped_unit_in_a_points_cell_is_named_with_the_unit_it_looks_like(tmp_path):
    """`3 (经凯区4)`: no unit is called so; the unit it looks like is named in the hint, and not
    taken for it (经开区 keeps the default 3, as the hint says)."""
    from kaohe_excel.read.workbook import read_system

    path, _facts = two_level_header(tmp_path)
    wb = openpyxl.load_workbook(path)
    wb.active["D5"] = "3 (经凯区4)"
    wb.save(path)
    system = read_system(path)
    said = [p for p in system.problems if "经凯区" in p.message]
    assert len(said) == 1 and said[0].cell == "D5" and "是不是「经开区」" in said[0].message, said
    assert system.indicators[0].points_by_unit["经开区"] == 3
