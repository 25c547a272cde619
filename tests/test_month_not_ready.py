"""Issue 11.1: a month that is not ready says so. Most departments missing, no peer data,
a form sent back blank: `check`, `assess` and `run` exit 1 and say who has not reported,
that the peer data is missing and what that costs; a blank form is 未填报, not 已报送.
Synthetic 叶县 months (演示数据 style), built as the departments send them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.month_fixtures import Row, Sheet, build_ye_month, write_sheet_xlsx, write_system_xlsx, ye_name, ye_nos

ROOT = Path(__file__).resolve().parents[1]
KEEP = ("发改委", "工信局", "财政局")  # the only departments that reported


from tests.kaohe_cli import cli as _cli  # noqa: E402


@pytest.fixture(scope="module")
def nearly_empty(tmp_path_factory) -> tuple[Path, list[str]]:
    ws = tmp_path_factory.mktemp("nearly_empty")
    inp = ws / "input"
    inp.mkdir()
    write_system_xlsx(inp / "附件2：叶县2023年度高质量发展综合绩效指标完成情况一览表.xlsx")
    probe = build_ye_month(tmp_path_factory.mktemp("probe"), month=8, peers_file=False, missing=(), late=None,
                           duplicate=None, conflict=False, junk=False)
    everyone = list(probe.files)
    missing = tuple(d for d in everyone if d not in KEEP)
    build_ye_month(inp, month=8, peers_file=False, missing=missing, late=None, duplicate=None,
                   conflict=False, junk=False)
    return ws, list(missing)


def test_check_says_the_month_is_not_ready(nearly_empty):
    ws, missing = nearly_empty
    p = _cli(ws, "check", "--json")
    assert p.returncode == 1, p.stderr
    d = json.loads(p.stdout)
    msgs = [x["message"] for x in d["problems"]]
    assert any("没有六县市数据" in m and "无法估算总分位次" in m for m in msgs), msgs
    ready = [m for m in msgs if "个未报送" in m]
    assert len(ready) == 1 and f"{len(missing)} 个未报送" in ready[0]
    assert all(dep in ready[0] for dep in missing)
    assert sorted(d["status"]["not_sent"]) == sorted(missing)


def test_run_summary_names_who_is_missing_and_what_it_costs(nearly_empty):
    ws, missing = nearly_empty
    p = _cli(ws, "run")
    assert p.returncode == 1, p.stdout + p.stderr
    out = p.stdout
    assert f"报送：{len(KEEP)}/{len(KEEP) + len(missing)} 个单位已报送" in out
    assert "六县市数据：本月未找到" in out and "无法估算总分位次" in out
    for dep in missing:
        assert dep in out


def test_assess_counts_the_same_problems_as_check(nearly_empty):
    ws, _missing = nearly_empty
    c = json.loads(_cli(ws, "check", "--json").stdout)
    a = _cli(ws, "assess", "--json")
    assert a.returncode == 1
    got = {(x["file"], x["message"]) for x in json.loads(a.stdout)["problems"]}
    for x in c["problems"]:
        assert (x["file"], x["message"]) in got, x["message"]


def test_a_blank_form_is_not_reported(tmp_path):
    """One department sends back its form with every row blank: 未填报, not 已报送."""
    inp = tmp_path / "input"
    inp.mkdir()
    write_system_xlsx(inp / "附件2：叶县2023年度高质量发展综合绩效指标完成情况一览表.xlsx")
    build_ye_month(inp, month=8, missing=("司法局",), late=None, duplicate=None, conflict=False, junk=False)
    rows = [Row(no, ye_name(no)) for no in ye_nos("司法局")]
    write_sheet_xlsx(inp / "2023-08" / "叶县司法局2023年8月指标进展情况.xlsx", Sheet("司法局", rows, filled=None))
    d = json.loads(_cli(tmp_path, "check", "--json").stdout)
    st = d["status"]
    assert "司法局" in st["not_sent"] and "司法局" not in st["sent"] and st["blank"] == ["司法局"]
    assert any("空表" in x["message"] and "司法局" in x["message"] for x in d["problems"])
    p = _cli(tmp_path, "run")
    assert "司法局" in p.stdout and "交回空表" in p.stdout
    import openpyxl

    report = next((tmp_path / "output" / "2023-08").glob("*报送情况.xlsx"))
    cells = [str(c.value) for row in openpyxl.load_workbook(report).active.iter_rows() for c in row if c.value]
    i = cells.index("司法局")
    assert "未填报" in cells[i:i + 8]
