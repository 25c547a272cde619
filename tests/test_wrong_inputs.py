"""Issue 11.9: wrong inputs are named, not accepted. `spec` on a department's monthly
report says it is a 月报 (exit 2); reports dropped straight into input/ are told where
to go instead of competing as indicator systems; a county missing from the peer sheet is
an error naming the units that are there. Issue 11.1: run, check and assess count the
same problems (a direction read from a name is a note in all three)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.kaohe_cli import cli as _cli

ROOT = Path(__file__).resolve().parents[1]
REPORT = "叶县发改委2023年8月指标进展情况.xlsx"


def test_spec_on_a_monthly_report_says_so(tmp_path):
    p = _cli(ROOT, "spec", str(ROOT / "input" / "2023-08" / REPORT))
    assert p.returncode == 2
    assert "这是单位月报" in p.stderr and "input/2023-08/" in p.stderr and "kaohe check" in p.stderr
    # the real system still reads
    system = next((ROOT / "input").glob("附件2*.xlsx"))
    assert _cli(ROOT, "spec", str(system)).returncode == 0


def test_reports_dropped_into_input_are_told_where_to_go(tmp_path):
    shutil.copytree(ROOT / "input", tmp_path / "input")
    for f in ("叶县财政局2023年8月指标进展情况.xlsx", REPORT):
        shutil.copy(ROOT / "input" / "2023-08" / f, tmp_path / "input" / f)
    d = json.loads(_cli(tmp_path, "check", "--json").stdout)
    msgs = [p["message"] for p in d["problems"]]
    assert sum("放在了 input/ 下" in m and "input/2023-08/" in m for m in msgs) == 2
    assert not any("多个指标体系" in m for m in msgs)
    assert d["system"]["indicators"] == 49


def test_a_county_not_in_the_peer_data_is_an_error_naming_those_there(tmp_path):
    shutil.copytree(ROOT / "input", tmp_path / "input")
    (tmp_path / "kaohe.toml").write_text('county = "宝丰"\n', encoding="utf-8")  # written short: found
    assert not [p for p in json.loads(_cli(tmp_path, "assess", "--json").stdout)["problems"]
                if "没有本县" in p["message"]]
    (tmp_path / "kaohe.toml").write_text('county = "鲁阳县"\n', encoding="utf-8")
    d = json.loads(_cli(tmp_path, "assess", "--json").stdout)
    err = [p for p in d["problems"] if "没有本县「鲁阳县」" in p["message"]]
    assert err and err[0]["level"] == "error" and "叶县、宝丰县" in err[0]["message"]


def test_run_check_and_assess_count_the_same_problems(tmp_path):
    shutil.copytree(ROOT / "input", tmp_path / "input")
    c = json.loads(_cli(tmp_path, "check", "--json").stdout)
    a = json.loads(_cli(tmp_path, "assess", "--json").stdout)
    r = _cli(tmp_path, "run").stdout
    key = sorted((p["file"], p["message"]) for p in c["problems"])
    assert key == sorted((p["file"], p["message"]) for p in a["problems"])
    assert f"错误 {c['errors']} 个，提示 {c['warnings']} 个" in r


def test_a_county_written_as_a_path_never_steers_a_write(tmp_path):
    from kaohe_excel.fsutil import tree_digest
    from kaohe_excel.write.reports import REPORTS, report_file_name

    shutil.copytree(ROOT / "input", tmp_path / "input")
    before = tree_digest(tmp_path / "input")
    (tmp_path / "kaohe.toml").write_text('county = "../../input/叶县"\n', encoding="utf-8")
    p = _cli(tmp_path, "run")
    assert p.returncode == 2 and "county" in p.stderr
    assert tree_digest(tmp_path / "input") == before
    assert not list(tmp_path.rglob("*一览表（截至*"))
    for spec in REPORTS:  # and a name built from one is a plain file name whatever it holds
        name = report_file_name(spec, "../..\\input/叶县", "2023-08")
        assert "/" not in name and "\\" not in name and Path(name).name == name
