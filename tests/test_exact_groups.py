"""Issue #10: who is compared, whom we serve, and others ranked without our figure.

Workspaces from tests/exact_groups.py (synthetic 演示/合成 places and numbers). Every
expected rank, colour and score below is worked out by hand from those numbers:
competition ranking (ties share the best rank), colours by thirds of the real group
(last green = ceil(N/3), last yellow = ceil(2N/3)), rank steps
score = points × (1 − 0.05 × (rank − 1)). Nothing here calls the assessment code
except through the CLI under test.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from tests import exact_groups as E
from tests.kaohe_cli import ROOT, run_json

G, Y, R = "green", "yellow", "red"


def _cli(ws: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "kaohe_excel", *args], cwd=ws, env=env,
                          capture_output=True, text=True, timeout=180)


def _assess(ws: Path) -> tuple[int, dict]:
    return run_json(ws, "assess", "--month", E.MONTH)


def _by_no(result: dict) -> dict[int, dict]:
    return {int(i["no"]): i for i in result["indicators"]}


def _mismatches(result: dict, truth: dict) -> dict:
    """{no: {field: (expected, got)}} over rank, rank_source, colour, score."""
    got = _by_no(result)
    wrong = {}
    for no, (rank, src, colour, score) in truth.items():
        i = got[no]
        bad = {}
        if i.get("rank") != rank:
            bad["rank"] = (rank, i.get("rank"))
        if src is not None and i.get("rank_source") != src:
            bad["rank_source"] = (src, i.get("rank_source"))
        if i.get("colour") != colour:
            bad["colour"] = (colour, i.get("colour"))
        s = i.get("score")
        if (score is None) != (s is None) or (score is not None and abs(s - score) > 1e-6):
            bad["score"] = (score, s)
        if bad:
            wrong[no] = bad
    return wrong


def _overview_rank_header(ws: Path) -> str:
    found = list((ws / "output" / E.MONTH).glob("*一览表*.xlsx"))
    assert len(found) == 1, found
    sheet = openpyxl.load_workbook(found[0]).worksheets[0]
    for row in sheet.iter_rows(min_row=1, max_row=10, values_only=True):
        texts = [re.sub(r"\s", "", str(v or "")) for v in row]
        if "序号" in texts:
            heads = [t for t in texts if "排名" in t]
            assert len(heads) == 1, texts
            return heads[0]
    raise AssertionError("一览表 has no header row with 序号")


# ================================================================== (a) (b) four districts
# 岚川市 over 鹤汀区 (ours), 桐屿区, 芷兰区, 棠溪区. N = 4: green 1–2, yellow 3, red 4.
DISTRICT_GROUP = ["鹤汀区", "桐屿区", "芷兰区", "棠溪区"]
# no -> (rank, rank_source, colour, score)
DISTRICT_TRUTH = {
    1: (2, "computed", G, 5.7),     # 6.5 [6.1] 5.9 5.2 (the city's 6.3 is not a peer); 6 × 0.95
    2: (3, "computed", Y, 4.5),     # 8.2 7.5 [6.8] 6.0 (city 7.0 left out); 5 × 0.90
    3: (2, "computed", G, 4.75),    # 5.5 [3.1] -2.0, 棠溪区 missing (city 4.0 left out); 5 × 0.95
    4: (None, None, None, None),    # our figure missing in the peer sheet and nobody reported it
    5: (4, "computed", R, 3.4),     # 12.1 3.0 -1.0 [-2.5] (city 8.0% left out); 4 × 0.85
    6: (3, "reported", Y, 2.7),     # 科技局 writes 第3名; no peer row; 3 × 0.90
    7: (1, "computed", G, 3.0),     # [2.4] 2.2 1.9 1.6
    8: (4, "reported", R, 1.7),     # 人社局 writes 4; 2 × 0.85
}
DISTRICT_PEER_RANKS = {
    1: {"桐屿区": 1, "鹤汀区": 2, "棠溪区": 3, "芷兰区": 4},
    2: {"芷兰区": 1, "桐屿区": 2, "鹤汀区": 3, "棠溪区": 4},
    3: {"芷兰区": 1, "鹤汀区": 2, "桐屿区": 3},
    4: {"棠溪区": 1, "芷兰区": 2, "桐屿区": 3},
    5: {"芷兰区": 1, "桐屿区": 2, "棠溪区": 3, "鹤汀区": 4},
    7: {"鹤汀区": 1, "芷兰区": 2, "桐屿区": 3, "棠溪区": 4},
}
DISTRICT_TOTAL = 25.75  # 5.7 + 4.5 + 4.75 + 3.4 + 2.7 + 3.0 + 1.7 (item 4 unscored)
DISTRICT_TOTAL_POINTS = 32.0  # 6+5+5+4+4+3+3+2, item 4 included: it can earn points
DISTRICT_SUBTOTALS = {"经济发展": (24.0, 18.35), "创新发展": (6.0, 5.7), "民生保障": (2.0, 1.7)}

DISTRICT_LAYOUTS = {
    # (city_first, the left-out column's header, the peer file)
    "a-city-first-named-in-title": (True, "岚川市", "岚川市市辖区主要经济指标（1-6月）.xlsx"),
    "b-全市-last-title-names-nobody": (False, "全市", "主要经济指标（1-6月）.xls"),
}


@pytest.fixture(scope="module", params=list(DISTRICT_LAYOUTS))
def districts(request, tmp_path_factory):
    city_first, left_out, peer_file = DISTRICT_LAYOUTS[request.param]
    ws = E.build_districts(tmp_path_factory.mktemp("districts"), city_first=city_first)
    code, result = _assess(ws)
    return ws, code, result, left_out, peer_file


def test_district_group_is_the_four_districts(districts):
    _ws, code, result, left_out, _ = districts
    assert code in (0, 1)
    assert result["county"] == "鹤汀区"
    assert result.get("group") == DISTRICT_GROUP
    assert result.get("group_label") == "四区"
    sizes = {int(i["no"]): i["group_size"] for i in result["indicators"]}
    assert sizes == {no: 4 for no in range(1, 9)}
    for i in result["indicators"]:
        assert left_out not in (i.get("peer_ranks") or {}), (i["no"], i.get("peer_ranks"))


def test_district_ranks_colours_scores(districts):
    _ws, _code, result, _, _ = districts
    wrong = _mismatches(result, DISTRICT_TRUTH)
    assert not wrong, "序号: {field: (expected, got)} " + repr(wrong)


def test_district_peer_ranks_and_leaders(districts):
    _ws, _code, result, _, _ = districts
    got = _by_no(result)
    wrong = {no: (want, got[no].get("peer_ranks")) for no, want in DISTRICT_PEER_RANKS.items()
             if got[no].get("peer_ranks") != want}
    assert not wrong, "序号: (expected, got) " + repr(wrong)
    leaders = {no: (got[no].get("leader"), got[no].get("leader_value")) for no in DISTRICT_PEER_RANKS}
    assert leaders == {1: ("桐屿区", 6.5), 2: ("芷兰区", 8.2), 3: ("芷兰区", 5.5), 4: ("棠溪区", 6.3),
                       5: ("芷兰区", 12.1), 7: ("鹤汀区", 2.4)}


def test_district_totals(districts):
    _ws, _code, result, _, _ = districts
    assert result["total_points"] == pytest.approx(DISTRICT_TOTAL_POINTS)
    assert result["total"] == pytest.approx(DISTRICT_TOTAL)
    subs = {s["category"]: (round(s["points"], 6), round(s["score"], 6)) for s in result["subtotals"]}
    assert subs == DISTRICT_SUBTOTALS


def test_district_hint_names_the_left_out_column(districts):
    _ws, _code, result, left_out, peer_file = districts
    # a hint (the result's notes, printed by run), not a problem: leaving the city out is
    # the rule, nothing for a clerk to correct, so it must not turn the exit code to 1
    hints = [n for n in result["notes"] if peer_file in n and left_out in n and "不参与排名" in n]
    assert hints, f"no hint on {peer_file} names the left-out column 「{left_out}」: " + repr(result.get("notes"))
    assert not [p for p in result["problems"] if left_out in p["message"] and "不参与" in p["message"]]


def test_the_view_from_above_says_the_left_out_column_too(districts):
    """The office above's run (--all-units) takes the peer data the same way, and says so: in
    --json's notes, in `assess`'s lines and in the summary `run` prints."""
    from tests.kaohe_cli import cli

    ws, _code, _result, left_out, peer_file = districts
    code, js = run_json(ws, "assess", "--all-units", "--month", E.MONTH)
    assert code in (0, 1) and any(left_out in n and "不参与排名" in n for n in js["notes"]), js.get("notes")
    p = cli(ws, "assess", "--all-units", "--month", E.MONTH, "-w", str(ws))
    assert any(ln.startswith("说明：") and left_out in ln for ln in p.stdout.splitlines()), p.stdout
    p = cli(ws, "run", "--all-units", "--month", E.MONTH, "-w", str(ws))
    assert any(ln.strip().startswith("说明：") and left_out in ln for ln in p.stdout.splitlines()), p.stdout


def test_class7_others_ranked_when_ours_missing(districts):
    """Item 4: our cell is — in the peer sheet and 商务局 sent nothing; the other three
    are still ranked, with the leader and its value."""
    _ws, _code, result, _, _ = districts
    i = _by_no(result)[4]
    assert i["actual"] is None and i["rank"] is None and i["colour"] is None
    assert i.get("peer_ranks") == {"棠溪区": 1, "芷兰区": 2, "桐屿区": 3}
    assert (i.get("leader"), i.get("leader_value")) == ("棠溪区", 6.3)


def test_district_found_without_toml_not_the_city(tmp_path):
    """(a) without kaohe.toml: the system title names 鹤汀区; the peer file and its title
    name 岚川市, which must not become our unit."""
    ws = E.build_districts(tmp_path, city_first=True, toml=False)
    code, result = _assess(ws)
    assert code in (0, 1)
    assert result["county"] == "鹤汀区"
    assert result.get("group") == DISTRICT_GROUP
    assert _by_no(result)[1]["rank"] == 2


def test_district_reports_say_four_districts(tmp_path):
    """`kaohe run` on (a): the 一览表's rank column is headed 四区排名, and the summary
    never places us 六县市第N位."""
    ws = E.build_districts(tmp_path, city_first=True)
    proc = _cli(ws, "run", "--month", E.MONTH)
    assert "Traceback" not in proc.stdout + proc.stderr
    assert proc.returncode in (0, 1), proc.stdout + proc.stderr
    assert _overview_rank_header(ws) == "四区排名"
    assert not re.search(r"六县市(第|排名)", proc.stdout), proc.stdout  # '预计六县市第 3 位' is wrong


# ================================================================== (c) seven counties + 平均
# 云岫县 (ours), 苇塘县, 青岑县, 砚溪县, 梧冈县, 石湄市, 兰汀县. N = 7: green 1–3, yellow 4–5, red 6–7.
SEVEN = list(E.COUNTIES)
SEVEN_TRUTH = {
    1: (3, "computed", G, 5.4),     # 7.3 6.9 [6.2 =梧冈县 6.2] 5.8 5.1 4.9; 6 × 0.90
    2: (7, "computed", R, 3.5),     # 9.0 8.1 7.7 7.2 6.9 6.0 [5.0]; the 平均 7.13 would make it 8th; 5 × 0.70
    3: (4, "computed", Y, 4.25),    # 12.0 10.2 9.1 [8.5] 7.4 3.3, 青岑县 missing; 5 × 0.85
    4: (3, "computed", G, 3.6),     # 6.8 6.4 [6.0 =砚溪县 6.0] 5.9 5.5 5.2; 4 × 0.90
    5: (2, "computed", G, 3.8),     # 10.5 [8.8] 6.1 3.2 2.0 -1.2 -4.0; 4 × 0.95
    6: (5, "computed", Y, 2.4),     # 7.1 7.0 6.9 6.8 [6.6] 6.5 6.4; 3 × 0.80
    7: (7, "reported", R, 2.1),     # 科工信局 writes 第7名, no peer row: valid in a group of 7; 3 × 0.70
    8: (3, "computed", G, 2.7),     # PM2.5, lower is better: 35 36 [38] 39 41 44 47; 3 × 0.90
}
SEVEN_PEER_RANKS = {
    1: {"石湄市": 1, "青岑县": 2, "云岫县": 3, "梧冈县": 3, "苇塘县": 5, "砚溪县": 6, "兰汀县": 7},
    2: {"梧冈县": 1, "苇塘县": 2, "青岑县": 3, "石湄市": 4, "砚溪县": 5, "兰汀县": 6, "云岫县": 7},
    3: {"梧冈县": 1, "苇塘县": 2, "石湄市": 3, "云岫县": 4, "兰汀县": 5, "砚溪县": 6},
    8: {"青岑县": 1, "兰汀县": 2, "云岫县": 3, "梧冈县": 4, "苇塘县": 5, "砚溪县": 6, "石湄市": 7},
}
SEVEN_TOTAL = 27.75  # 5.4 + 3.5 + 4.25 + 3.6 + 3.8 + 2.4 + 2.1 + 2.7
SEVEN_TOTAL_POINTS = 33.0  # 6+5+5+4+4+3+3+3


@pytest.fixture(scope="module")
def seven(tmp_path_factory):
    ws = E.build_counties(tmp_path_factory.mktemp("seven"))
    code, result = _assess(ws)
    return ws, code, result


def test_seven_group_and_label(seven):
    _ws, code, result = seven
    assert code in (0, 1)
    assert result["county"] == "云岫县"
    assert result.get("group") == SEVEN
    assert result.get("group_label") == "七县市"
    assert {i["group_size"] for i in result["indicators"]} == {7}
    for i in result["indicators"]:
        assert "平均" not in (i.get("peer_ranks") or {}), (i["no"], i.get("peer_ranks"))


def test_seven_ranks_colours_scores(seven):
    _ws, _code, result = seven
    wrong = _mismatches(result, SEVEN_TRUTH)
    assert not wrong, "序号: {field: (expected, got)} " + repr(wrong)


def test_seven_peer_ranks_and_totals(seven):
    _ws, _code, result = seven
    got = _by_no(result)
    wrong = {no: (want, got[no].get("peer_ranks")) for no, want in SEVEN_PEER_RANKS.items()
             if got[no].get("peer_ranks") != want}
    assert not wrong, "序号: (expected, got) " + repr(wrong)
    assert (got[2]["leader"], got[2]["leader_value"]) == ("梧冈县", 9.0)
    assert (got[8]["leader"], got[8]["leader_value"]) == ("青岑县", 35.0)
    assert result["total_points"] == pytest.approx(SEVEN_TOTAL_POINTS)
    assert result["total"] == pytest.approx(SEVEN_TOTAL)


def test_seven_rank_7_is_not_an_error(seven):
    """第7名 (and 7) in a seven-county group is a valid rank, in `check` and in `assess`."""
    ws, _code, result = seven
    code, checked = run_json(ws, "check", "--month", E.MONTH)
    for where, problems in (("check", checked["problems"]), ("assess", result["problems"])):
        bad = [p for p in problems if p["level"] == "error"]
        assert not bad, f"{where}: " + repr(bad)
        ranks = [p for p in problems if "科工信局" in (p.get("file") or "") and p.get("cell") in ("D4", "D5")]
        assert not ranks, f"{where}: " + repr(ranks)
    assert checked["errors"] == 0
    entries = {(e["no"], e["rank_raw"]): e["rank"] for e in checked["entries"]}
    assert entries.get((7, "第7名")) == 7 and entries.get((2, "7")) == 7, entries


def test_seven_hint_names_the_average_column(seven):
    _ws, _code, result = seven
    hints = [n for n in result["notes"] if "七县（市）主要指标" in n and "「平均」" in n]
    assert hints, "no hint names the left-out column 「平均」: " + repr(result.get("notes"))


def test_seven_reports_say_seven_counties(tmp_path):
    ws = E.build_counties(tmp_path)
    proc = _cli(ws, "run", "--month", E.MONTH)
    assert "Traceback" not in proc.stdout + proc.stderr
    assert proc.returncode in (0, 1), proc.stdout + proc.stderr
    assert _overview_rank_header(ws) == "七县市排名"
    assert not re.search(r"六县市(第|排名)", proc.stdout), proc.stdout


def test_a_department_is_named_as_the_system_writes_it_in_every_report(tmp_path):
    """县生态环境分局 in the system (matched to its files through the short form 生态环境局) is
    生态环境分局 in 报送情况, 部门考核 and 预警通报, as in the 一览表: one name a department, and
    not a 局 the office does not have."""
    ws = E.build_counties(tmp_path)
    proc = _cli(ws, "run", "--month", E.MONTH)
    assert proc.returncode in (0, 1), proc.stdout + proc.stderr
    seen = {}
    for kind in ("报送情况", "部门考核", "预警通报", "一览表"):
        (found,) = (ws / "output" / E.MONTH).glob(f"*{kind}*.xlsx")
        texts = [re.sub(r"\s", "", str(v)) for sh in openpyxl.load_workbook(found).worksheets
                 for row in sh.iter_rows(values_only=True) for v in row if isinstance(v, str)]
        seen[kind] = [t for t in texts if "生态环境" in t]
    assert seen["报送情况"] and seen["部门考核"] and seen["一览表"], seen  # (green: not in 预警通报)
    assert not [t for ts in seen.values() for t in ts if "生态环境局" in t and "市生态环境局" not in t], seen


def test_the_overview_file_is_named_as_its_title(tmp_path):
    """The 一览表's file is named after the title printed in it (the system's own words: 综合考核,
    not a 综合绩效 the system never says), so the file a clerk hands on reads as the page."""
    ws = E.build_counties(tmp_path)
    proc = _cli(ws, "run", "--month", E.MONTH)
    assert proc.returncode in (0, 1), proc.stdout + proc.stderr
    (found,) = (ws / "output" / E.MONTH).glob("*一览表*.xlsx")
    stem = re.sub(r"（截至\d+月底）$", "", found.stem)
    sheet = openpyxl.load_workbook(found).worksheets[0]
    heads = [re.sub(r"\s", "", str(v)) for row in sheet.iter_rows(max_row=4, values_only=True) for v in row if v]
    assert any(h.startswith(stem) for h in heads), (found.name, heads)


# ================================================================== (d) the title names the city
def test_city_named_in_peer_title_is_not_our_county(tmp_path):
    """岱川市各县（市）主要指标完成情况, 岱川市 heading the first column, no kaohe.toml:
    our county is 云岫县 (system title, file names), the group the seven, and the
    city's column is named in a hint."""
    ws = E.build_city_named_peers(tmp_path)
    code, result = _assess(ws)
    assert code in (0, 1)
    assert result["county"] == "云岫县"
    assert result.get("group") == SEVEN
    assert result.get("group_label") == "七县市"
    for i in result["indicators"]:
        assert "岱川市" not in (i.get("peer_ranks") or {}), (i["no"], i.get("peer_ranks"))
    wrong = _mismatches(result, SEVEN_TRUTH)
    assert not wrong, "序号: {field: (expected, got)} " + repr(wrong)
    assert result["total"] == pytest.approx(SEVEN_TOTAL)
    hints = [n for n in result["notes"] if "岱川市各县" in n and "「岱川市」" in n]
    assert hints, repr(result["notes"])


# ================================================================== (e) whom we serve, found
@pytest.mark.parametrize("builder", [E.build_county_found_in_sheets, E.build_county_in_sheet_text_only],
                         ids=["e-file-names-and-sheets", "e2-sheet-text-only"])
def test_county_found_in_department_sheets(tmp_path, builder):
    """The system names no county; the peer file names the superior 岱川市; the
    departments' 填报单位 lines, titles, sign-offs (and in e, file names) say 云岫县."""
    ws = builder(tmp_path)
    code, result = _assess(ws)
    assert code in (0, 1)
    assert result["county"] == "云岫县"
    assert result.get("group") == SEVEN
    assert _by_no(result)[2]["rank"] == 7  # 云岫县's own column, not 岱川市's or a neighbour's
    code, checked = run_json(ws, "check", "--month", E.MONTH)
    assert code in (0, 1)


# ================================================================== (f) whom we serve, unsure
def _assert_asks_for_county(proc: subprocess.CompletedProcess, must_name: list[str], at_least: int) -> None:
    out = proc.stdout + proc.stderr
    assert "Traceback" not in out
    assert proc.returncode == 2, (proc.returncode, out[-800:])
    assert "county =" in out, out[-800:]
    named = [c for c in must_name if c in out]
    assert len(named) >= at_least, (named, out[-800:])
    assert "叶县" not in out, out[-800:]  # never the demo's county


@pytest.mark.parametrize("command", ["assess", "check", "run"])
def test_nobody_named_exits_2(tmp_path, command):
    """Nothing names our unit (system copied from the city, 县发改局 only): exit 2 with
    the candidates (the peer sheet's units) and how to write county = "…"."""
    ws = E.build_nobody_named(tmp_path)
    proc = _cli(ws, command, "--month", E.MONTH)
    _assert_asks_for_county(proc, SEVEN, at_least=2)
    if command == "run":
        assert not (ws / "output" / E.MONTH).exists() or not list((ws / "output" / E.MONTH).glob("*.xlsx"))


@pytest.mark.parametrize("command", ["assess", "check"])
def test_two_candidates_tie_exits_2(tmp_path, command):
    """Two sheets say 云岫县, two say 苇塘县, the system says nobody: exit 2 naming both."""
    ws = E.build_two_candidates(tmp_path)
    proc = _cli(ws, command, "--month", E.MONTH)
    _assert_asks_for_county(proc, ["云岫县", "苇塘县"], at_least=2)


def test_two_candidates_settled_by_toml(tmp_path):
    """The same workspace with county = "云岫县" written: no exit 2, our column used."""
    ws = E.build_two_candidates(tmp_path)
    E.write_toml(ws, "云岫县")
    code, result = _assess(ws)
    assert code in (0, 1)
    assert result["county"] == "云岫县"
    assert _by_no(result)[2]["rank"] == 7
