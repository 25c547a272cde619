"""Issue 11.5: in the 一览表, 预警提示 follows the rank column as its colour does.

A clerk who corrects a rank by hand (5 → 1) must see both the cell colour and the text
turn green. The text is a live formula on the rank cell with the value assess gave as its
cached result (what Protected View and plain readers show)."""

from __future__ import annotations

import csv
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from tests.kaohe_cli import cli, cli_json
from tests.test_outputs_open import SOFFICE, _require_tools

ROOT = Path(__file__).resolve().parents[1]
LABELS = {"green": "绿", "yellow": "黄", "red": "红"}


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    ws = tmp_path_factory.mktemp("rank_follow")
    shutil.copytree(ROOT / "input", ws / "input")
    out = cli(ws, "run", "--month", "2023-08")
    assert out.returncode in (0, 1), out.stdout + out.stderr
    overview = next((ws / "output" / "2023-08").glob("*一览表*.xlsx"))
    res = cli_json(ws, "assess", "--month", "2023-08")
    return ws, overview, out, res


def _columns(ws):
    head = {str(c.value or "").replace("\n", ""): c.column_letter for c in ws[3]}
    rank = next(v for k, v in head.items() if "排名" in k)
    warn = next(v for k, v in head.items() if "预警" in k)
    return rank, warn


def test_rank_warnings_are_formulas_with_the_assessed_value_cached(demo):
    _ws, overview, _out, res = demo
    formulas = openpyxl.load_workbook(overview).active
    values = openpyxl.load_workbook(overview, data_only=True).active
    rank_col, warn_col = _columns(formulas)
    by_no = {str(r["no"]): r for r in res["indicators"]}
    checked = 0
    for row in range(4, formulas.max_row + 1):
        no = str(formulas[f"A{row}"].value or "")
        r = by_no.get(no)
        if r is None or not r.get("colour"):
            continue
        f = formulas[f"{warn_col}{row}"].value
        cached = values[f"{warn_col}{row}"].value
        assert cached == LABELS[r["colour"]], (row, cached, r["colour"])
        if r["rule"] == "rank" and r["rank"] is not None:
            assert isinstance(f, str) and f.startswith("=") and f"{rank_col}{row}" in f, (row, f)
            assert values[f"{rank_col}{row}"].value == r["rank"]
            checked += 1
        else:
            assert f == cached  # coloured by another rule: the text alone
    assert checked >= 10


def test_a_rank_edited_by_hand_turns_the_text_with_the_colour(demo, tmp_path):
    _require_tools()
    _ws, overview, _out, res = demo
    wb = openpyxl.load_workbook(overview)
    ws = wb.active
    rank_col, warn_col = _columns(ws)
    by_no = {str(r["no"]): r for r in res["indicators"]}
    red = [row for row in range(4, ws.max_row + 1)
           if (r := by_no.get(str(ws[f"A{row}"].value or ""))) and r.get("colour") == "red" and r["rule"] == "rank"]
    green = [row for row in range(4, ws.max_row + 1)
             if (r := by_no.get(str(ws[f"A{row}"].value or ""))) and r.get("colour") == "green" and r["rule"] == "rank"]
    assert red and green
    ws[f"{rank_col}{red[0]}"] = 1  # the clerk corrects 5 to 1
    ws[f"{rank_col}{green[0]}"] = "6"  # typed as text, as WPS often keeps it
    edited = tmp_path / "edited.xlsx"
    wb.save(edited)
    subprocess.run([SOFFICE, "--headless", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76",
                    "--outdir", str(tmp_path), str(edited)], capture_output=True, timeout=180, check=True)
    rows = list(csv.reader((tmp_path / "edited.csv").open(encoding="utf-8")))
    col = openpyxl.utils.column_index_from_string(warn_col) - 1
    assert rows[red[0] - 1][col] == "绿"
    assert rows[green[0] - 1][col] == "红"
    # the rest keep what assess gave
    others = [row for row in red[1:] + green[1:]]
    for row in others:
        r = by_no[str(ws[f"A{row}"].value)]
        assert rows[row - 1][col] == LABELS[r["colour"]]
