"""Issue 12.6: `forms` writes all forms or none, and a unit whose name would make a file
name too long gets a shortened, still distinct name."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl

from tests.kaohe_cli import cli

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "templates"


def _demo(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "input", tmp_path / "input")
    return tmp_path


def test_a_template_error_in_the_last_file_leaves_no_form(tmp_path):
    ws = _demo(tmp_path)
    (ws / "templates").mkdir()
    wb = openpyxl.load_workbook(SHIPPED / "填报表清单.xlsx")
    wb.worksheets[0]["A1"] = "{{ 1 / 0 }}"  # fails at render, after every form was made
    wb.save(ws / "templates" / "填报表清单.xlsx")
    p = cli(ws, "forms")
    assert p.returncode == 2, p.stdout + p.stderr
    out = ws / "output" / "填报表"
    assert not out.exists() or not list(out.rglob("*.xlsx")), list(out.rglob("*"))
    assert not list(out.rglob(".*.tmp")) if out.exists() else True


def test_a_very_long_unit_name_gives_a_short_distinct_file_name(tmp_path):
    ws = _demo(tmp_path)
    system = next((ws / "input").glob("附件2*.xlsx"))
    wb = openpyxl.load_workbook(system)
    sh = wb.worksheets[0]
    long_a = "县" + "乡村振兴与农业农村现代化建设工作领导小组办公室" * 3
    long_b = "县" + "城市更新与乡村振兴协同发展工作领导小组办公室" * 3
    rows = [r for r in range(1, sh.max_row + 1) if isinstance(sh.cell(r, 1).value, int)]
    sh.cell(rows[0], 4).value, sh.cell(rows[1], 4).value = long_a, long_b
    wb.save(system)
    p = cli(ws, "forms", "--month", "2023-09")
    assert p.returncode in (0, 1), p.stdout + p.stderr
    names = [f.name for f in (ws / "output" / "填报表" / "2023-09").glob("*.xlsx")]
    long_names = [n for n in names if "领导小组" in n]
    assert len(long_names) == 2 and len(set(long_names)) == 2, names
    assert all(len(n) <= 80 and "2023年9月" in n for n in long_names), long_names
