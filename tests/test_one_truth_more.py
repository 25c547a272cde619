"""Issue 11.3 and 11.7, the parts a leader would catch: a reason never says 月报未填 beside a
figure the report prints, and a 部门考核 for a period without data is an error, not an
empty report."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.kaohe_cli import cli, cli_json

ROOT = Path(__file__).resolve().parents[1]


def _demo(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "input", tmp_path / "input")
    return tmp_path


def test_no_value_is_printed_beside_month_report_not_filled(tmp_path):
    ws = _demo(tmp_path)
    res = cli_json(ws, "assess", "--month", "2023-08")
    said = 0
    for r in res["indicators"]:
        if "未填完成情况" in r["colour_reason"]:
            assert r["display"] in ("", "—"), r
            said += 1
        if r["display"] not in ("", "—") and r["actual"] is None and r["colour"] is None and not r["qualitative"] \
                and not r["not_assessed"] and not r["unreported"]:
            assert f"月报填写「{r['display']}」" in r["colour_reason"], r  # what was written, e.g. 「/」
    text = cli(ws, "assess", "--month", "2023-08").stdout
    for line in text.splitlines():
        if "未填完成情况" in line:
            cols = line.split()
            assert cols[2] in ("—", ""), line  # the 完成值 column of that row
    assert said + sum(1 for r in res["indicators"] if "月报填写「" in r["colour_reason"]) >= 1


def test_a_period_without_data_is_an_error_and_writes_nothing(tmp_path):
    ws = _demo(tmp_path)
    for args in (("--quarter", "2023Q1"), ("--year", "2022")):
        p = cli(ws, "run", *args)
        assert p.returncode == 2, p.stdout + p.stderr
        assert "没有任何月份的数据" in p.stderr and "2023-07、2023-08" in p.stderr
        assert not (ws / "output").exists() or not list((ws / "output").rglob("*.xlsx"))
    p = cli(ws, "run", "--quarter", "2023Q3")  # July and August are in it
    assert p.returncode in (0, 1) and "第三季度部门考核" in p.stdout
