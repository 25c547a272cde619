"""Issue 12.4 (departments): wrong-month data never reaches a report unmarked. July's
sheet renamed into the August folder (its title says 1-7月) is an error and is not used,
unless kaohe.toml says accept_other_month = true."""

from __future__ import annotations

import json
from pathlib import Path

from tests.kaohe_cli import cli as _cli
from tests.month_fixtures import Row, Sheet, build_ye_month, write_sheet_xlsx, write_system_xlsx


def _ws(tmp_path: Path) -> Path:
    inp = tmp_path / "input"
    inp.mkdir()
    write_system_xlsx(inp / "附件2：叶县2023年度高质量发展综合绩效指标完成情况一览表.xlsx")
    build_ye_month(inp, month=8, missing=("商务局",), late=None, duplicate=None, conflict=False, junk=False)
    # July's sheet of 商务局, renamed as if it were August's
    rows = [Row(31, "社会消费品零售总额增速", "增长5.5%", 3)]
    write_sheet_xlsx(inp / "2023-08" / "叶县商务局2023年8月指标进展情况.xlsx",
                     Sheet("商务局", rows, month=7, filled="2023年8月3日"))
    return tmp_path


def test_another_months_sheet_is_an_error_and_not_used(tmp_path):
    ws = _ws(tmp_path)
    d = json.loads(_cli(ws, "check", "--json").stdout)
    err = [p for p in d["problems"] if "2023年7月的月报" in p["message"]]
    assert err and err[0]["level"] == "error" and "accept_other_month" in err[0]["message"]
    assert "商务局" in d["status"]["not_sent"]
    a = json.loads(_cli(ws, "assess", "--json").stdout)
    r31 = next(r for r in a["indicators"] if r["no"] == 31)
    assert r31["actual_raw"] != "增长5.5%" and r31["reported_rank"] != 3


def test_accept_other_month_uses_it(tmp_path):
    ws = _ws(tmp_path)
    (ws / "kaohe.toml").write_text('county = "叶县"\naccept_other_month = true\n', encoding="utf-8")
    d = json.loads(_cli(ws, "check", "--json").stdout)
    assert not [p for p in d["problems"] if "的月报，却放在" in p["message"]]
    assert "商务局" in d["status"]["sent"]
