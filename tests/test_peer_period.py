"""Issue 12.4: peer data legitimately lags (statistics published a month late): it is
used, and every report shows its period beside the ranks; peer data from a later month
than the folder, or last month's file copied unchanged, is an error and is not used."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl

from tests.kaohe_cli import cli, cli_json

ROOT = Path(__file__).resolve().parents[1]


def _demo(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "input", tmp_path / "input")
    return tmp_path


def _peer_file(ws: Path, month: str) -> Path:
    return next((ws / "input" / month).glob("六县市数据*.xlsx"))


def test_last_months_peer_figures_are_used_and_the_period_is_shown(tmp_path):
    ws = _demo(tmp_path)
    aug = _peer_file(ws, "2023-08")
    jul = _peer_file(ws, "2023-07")
    aug.unlink()
    wb = openpyxl.load_workbook(jul)  # July's figures, as the city published them in August
    wb.worksheets[0]["A1"] = (wb.worksheets[0]["A1"].value or "") + " "  # not a byte-for-byte copy
    wb.save(ws / "input" / "2023-08" / jul.name)
    res = cli_json(ws, "assess", "--month", "2023-08")
    assert res["peer_period"] == "2023-07" and res["peer_period_label"] == "数据期1-7月"
    assert sum(1 for r in res["indicators"] if r["rank_source"] == "computed") >= 20
    p = cli(ws, "run", "--month", "2023-08")
    assert p.returncode in (0, 1) and "数据期1-7月" in p.stdout
    out = ws / "output" / "2023-08"
    for pattern in ("*一览表*.xlsx", "*预警通报.xlsx", "*得分测算.xlsx", "*部门考核.xlsx"):
        f = next(out.glob(pattern))
        texts = {str(c.value) for sh in openpyxl.load_workbook(f).worksheets for row in sh.iter_rows() for c in row
                 if c.value is not None}
        assert any("数据期1-7月" in t and "排名" in t for t in texts), (f.name, [t for t in texts if "排名" in t])
    # the month's own figures: no period written anywhere
    ws2 = _demo(tmp_path / "own")
    p = cli(ws2, "run", "--month", "2023-08")
    ov = next((ws2 / "output" / "2023-08").glob("*一览表*.xlsx"))
    texts = {str(c.value) for row in openpyxl.load_workbook(ov).worksheets[0].iter_rows() for c in row if c.value}
    assert not any("数据期" in t for t in texts)


def test_peer_figures_of_a_later_month_are_refused(tmp_path):
    ws = _demo(tmp_path)
    jul_folder = ws / "input" / "2023-07"
    _peer_file(ws, "2023-07").unlink()
    shutil.copy(_peer_file(ws, "2023-08"), jul_folder / "六县市数据（2023年1-8月）.xlsx")
    res = cli_json(ws, "assess", "--month", "2023-07")
    msgs = [p["message"] for p in res["problems"] if p["level"] == "error"]
    assert any("晚于本月" in m and "2023年1-8月" in m for m in msgs), msgs
    assert not any(r["rank_source"] == "computed" for r in res["indicators"])


def test_last_months_file_copied_unchanged_is_refused(tmp_path):
    ws = _demo(tmp_path)
    aug = _peer_file(ws, "2023-08")
    aug.unlink()
    shutil.copy(_peer_file(ws, "2023-07"), ws / "input" / "2023-08" / "六县市数据（2023年1-8月）.xlsx")
    res = cli_json(ws, "assess", "--month", "2023-08")
    msgs = [p["message"] for p in res["problems"] if p["level"] == "error"]
    assert any("完全相同" in m and "2023-07" in m for m in msgs), msgs
    assert not any(r["rank_source"] == "computed" for r in res["indicators"])
    p = cli(ws, "run", "--month", "2023-08")
    line = next(x for x in p.stdout.splitlines() if x.strip().startswith("六县市数据"))
    assert "未采用" in line and "完全相同" in line and "未找到" not in line, line
