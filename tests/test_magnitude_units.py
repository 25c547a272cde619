"""A figure written in another magnitude of the indicator's unit (0.3359万人 where the six
counties' table counts 人, a target of 0.6万人): one measure, converted before it is ranked or
divided, and said where it was written. Before, 0.3359 was ranked against 3191 (last of six, red)
and a completion rate of 0.3359 / 6000 was a silent 0.006%."""

from __future__ import annotations

import openpyxl
import pytest

from kaohe_excel.text import unit_scale
from tests.kaohe_cli import cli_json
from tests.month_fixtures import build_ye_month, write_system_xlsx


@pytest.mark.parametrize("written, wanted, scale", [
    ("亿元", "万元", 1e4), ("万元", "亿元", 1e-4), ("万人", "人", 1e4), ("人", "万人", 1e-4),
    ("万千瓦时", "千瓦时", 1e4), ("亿千瓦时", "万千瓦时", 1e4), ("万千瓦", "千瓦", 1e4), ("百万元", "万元", 100),
    ("万元/人", "元/人", 1e4), ("万吨标准煤", "吨标准煤", 1e4), ("亿", "万", 1e4),
    # not one measure, or nothing to convert: no figure changed on a guess
    ("万人", "人次", None), ("%", "亿元", None), ("个百分点", "%", None), ("万元", "万元", None), ("万", "", None),
    ("", "人", None), ("亿元", "亿美元", None),
])
def test_unit_scale(written, wanted, scale):
    got = unit_scale(written, wanted)
    assert got == pytest.approx(scale) if scale is not None else got is None


def _month(root, actual: str, target: str, peer_cell: str | None, peers_file: bool = True):
    inp = root / "input"
    write_system_xlsx(inp / "叶县2023年度高质量发展综合绩效指标一览表.xlsx")
    truth = build_ye_month(inp, month=8, xls=(), duplicate=None, conflict=False, late=None, missing=(),
                           peers_file=peers_file)
    month = inp / "2023-08"
    dept = openpyxl.load_workbook(month / truth.files["人社局"])
    sh = dept.worksheets[0]
    head = next(r for r in range(1, 10) if any("完成情况" in str(c.value or "") for c in sh[r]))
    col = {str(c.value or "").replace("\n", ""): c.column for c in sh[head]}
    actual_col = next(c for h, c in col.items() if "截至" in h or h.startswith("完成"))
    target_col = next(c for h, c in col.items() if "目标" in h)
    row = next(r for r in range(head + 1, sh.max_row + 1) if sh.cell(r, 1).value in (33, "33"))
    sh.cell(row, actual_col).value = actual
    sh.cell(row, target_col).value = target
    dept.save(month / truth.files["人社局"])
    if peer_cell is not None:
        peers = next(p for p in month.iterdir() if "六县市" in p.name)
        wb = openpyxl.load_workbook(peers)
        ps = wb.active
        prow = next(r for r in range(1, ps.max_row + 1) if ps.cell(r, 1).value == 33)
        ycol = next(c.column for c in ps[2] if c.value == "叶县")
        ps.cell(prow, ycol).value = peer_cell
        wb.save(peers)
    return truth, f"2023-08/{truth.files['人社局']}", f"{openpyxl.utils.get_column_letter(actual_col)}{row}"


def test_a_count_in_wan_ren_is_ranked_in_ren(tmp_path):
    truth, _file, cell = _month(tmp_path, "", "6000人", "—")
    v = truth.peers[33]["叶县"]
    others = [x for p, x in truth.peers[33].items() if p != "叶县"]
    want_rank = 1 + sum(1 for x in others if x > v)
    # the department writes the same count in 万人
    sh_file = next((tmp_path / "input" / "2023-08").glob("*人社局*"))
    wb = openpyxl.load_workbook(sh_file)
    wb.worksheets[0][cell].value = f"{v / 10000:g}万人"
    wb.save(sh_file)
    js = cli_json(tmp_path, "assess", "--month", "2023-08")
    r = next(i for i in js["indicators"] if i["no"] == 33)
    assert r["actual"] == pytest.approx(v)
    assert r["rank"] == want_rank, (r["rank"], want_rank, r["colour_reason"])
    assert r["display"] == f"{v / 10000:g}万人"  # as the department wrote it
    said = [p for p in js["problems"] if "换算" in p["message"]]
    assert len(said) == 1 and said[0]["cell"] == cell and f"{v / 10000:g}万人" in said[0]["message"], said


def test_a_target_in_another_magnitude_gives_the_right_completion(tmp_path):
    """No peer table this month: the figure (3600人) and the target (0.6万人) are compared in one
    unit (before: 3600 against 0.6, a completion of 600000%)."""
    _month(tmp_path, "3600人", "0.6万人", None, peers_file=False)
    js = cli_json(tmp_path, "assess", "--month", "2023-08")
    r = next(i for i in js["indicators"] if i["no"] == 33)
    # compared in the target's unit (the system's word on the indicator), the figure shown as written
    assert r["actual"] == pytest.approx(0.36) and r["target"] == pytest.approx(0.6)
    assert r["completion"] in (None, pytest.approx(60))  # (coloured by the place the department reported)
    assert r["display"] == "3600人"
    said = [p for p in js["problems"] if "换算" in p["message"]]
    assert len(said) == 1 and "3600人" in said[0]["message"] and "0.36万人" in said[0]["message"], said


def test_a_peer_written_in_another_magnitude_is_ranked_in_the_tables_unit(tmp_path):
    """The six counties' table counts 人 (its cells say so); one county's cell says 0.41万人."""
    truth, _file, _cell = _month(tmp_path, "", "6000人", None)
    peers = next(p for p in (tmp_path / "input" / "2023-08").iterdir() if "六县市" in p.name)
    wb = openpyxl.load_workbook(peers)
    ps = wb.active
    prow = next(r for r in range(1, ps.max_row + 1) if ps.cell(r, 1).value == 33)
    cols = {c.value: c.column for c in ps[2]}
    vals = truth.peers[33]
    for county, v in vals.items():
        ps.cell(prow, cols[county]).value = f"{int(v)}人"
    top = max((p for p in vals if p != "叶县"), key=lambda p: vals[p])
    ps.cell(prow, cols[top]).value = f"{vals[top] / 10000:g}万人"
    wb.save(peers)
    js = cli_json(tmp_path, "assess", "--month", "2023-08")
    r = next(i for i in js["indicators"] if i["no"] == 33)
    want = 1 + sum(1 for p, x in vals.items() if p != "叶县" and x > vals["叶县"])
    assert r["rank"] == want, (r["rank"], want, r["peer_values"])
    assert r["peer_values"][top] == pytest.approx(vals[top])
    said = [p for p in js["problems"] if "换算" in p["message"]]
    assert len(said) == 1 and top in said[0]["message"] and said[0]["cell"], said
