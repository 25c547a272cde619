"""Issue #10 on a month built the way clerks build it (tests/exact_rows.py): 岚川县
(invented) among six invented counties of 锦原市, June 2024.

  4. the 附件2 一览表 used as the system carries last year's result (位次) and this
     year's target: they stand in for every indicator a department did not report them for;
  6. rows written short (规上工业增加值, 一般公共预算收入) are matched, with a hint; a
     rejected row shows in `assess --json` problems;
  9. text progress (正常推进, 已完成, 按时序推进，已承接事项86项) counts as reported, is
     shown as written and is never 无数据 nor a number;
 10. the system (or a blank 一览表) lying in the month folder is the system, never a
     department's report, with a hint to move it to input/.

Every expected figure is worked out by hand below from the numbers in exact_rows.py;
nothing here calls the assessment code. The CLI runs in a subprocess, as on a clerk's PC.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from tests import exact_rows as X

ROOT = Path(__file__).resolve().parents[1]


def _cli(ws: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    p = subprocess.run([sys.executable, "-m", "kaohe_excel", *args, "-w", str(ws), "--month", X.MONTH],
                       capture_output=True, text=True, encoding="utf-8", env=env, timeout=180)
    assert "Traceback" not in p.stdout + p.stderr, p.stdout + p.stderr
    return p


def _json(ws: Path, cmd: str) -> tuple[int, dict | None, str]:
    p = _cli(ws, cmd, "--json")
    try:
        return p.returncode, json.loads(p.stdout), p.stderr
    except json.JSONDecodeError:
        return p.returncode, None, p.stdout + p.stderr


def _row_of(cell: str | None) -> int | None:
    m = re.search(r"(\d+)$", cell or "")
    return int(m.group(1)) if m else None


def _by_no(assess: dict) -> dict:
    return {r["no"]: r for r in assess["indicators"]}


# ------------------------------------------------------------------ workspaces (built once)
_CACHE: dict = {}


@pytest.fixture(scope="module")
def ws(tmp_path_factory):
    """ws(system, where, config) -> (root, check json, assess json)."""

    def get(system="overview", where="root", config=X.CONFIG_RULES):
        key = (system, where, config)
        if key not in _CACHE:
            root = X.build(tmp_path_factory.mktemp(f"{system}-{where}".replace("+", "_")), system=system,
                           where=where, config=config)
            _rc, check, err = _json(root, "check")
            assert check is not None, f"check --json printed no JSON: {err}"
            arc, assess, aerr = _json(root, "assess")
            _CACHE[key] = (root, check, assess, (arc, aerr))
        return _CACHE[key]

    return get


# ------------------------------------------------------------------ the fixture is read at all
def test_fixture_is_read(ws):
    """The files are readable as built: 14 indicators, 4 departments' rows, 4 peer rows."""
    _root, check, assess, _ = ws()
    assert check["system"]["indicators"] == 14
    assert check["system"]["file"].endswith(X.SYSTEM_FILE)
    assert [r["no"] for r in check["peers"]["rows"]] == [1, 3, 4, 10]
    assert set(check["peers"]["counties"]) == set(X.COUNTIES)
    depts = {e["department"] for e in check["entries"]}
    assert depts == X.SENT, depts
    assert [r["no"] for r in assess["indicators"]] == list(range(1, 15))
    assert assess["county"] == X.COUNTY
    assert assess["total_points"] == X.TOTAL_POINTS == 41


# ================================================================== 4. the system's own figures
# 2023年度完成情况（位次） and 2024年度县定目标 as the system writes them; only 发改委 fills
# its own for GDP (5.8%（2）, target 7%): the department's word wins there.
LAST_YEAR_RANK = {1: 2,  # 发改委's own 5.8%（2）, not the system's （3）
                  2: 2, 3: 1, 4: 4, 5: 5, 6: 3, 7: 2, 8: 4, 9: 2, 10: 3, 11: 5,
                  12: None, 13: None, 14: None}  # 2023 cell is —
TARGET = {1: 7.0,  # 发改委's own 7%, not the system's 6.5%
          2: 8.0, 3: 10.0, 4: 6.5, 5: 5.0, 6: 5000.0, 7: 12.0, 8: 45.0, 9: 6000.0, 10: 7.5, 11: 96.0,
          12: None, 13: None, 14: None}  # 完成市定任务 is words, not a figure


@pytest.mark.parametrize("system", ["overview", "overview_xls"])
def test_last_year_rank_falls_back_to_the_system(ws, system):
    _root, _check, assess, _ = ws(system=system)
    got = {no: r["last_year_rank"] for no, r in _by_no(assess).items()}
    wrong = {no: (LAST_YEAR_RANK[no], got.get(no)) for no in LAST_YEAR_RANK if got.get(no) != LAST_YEAR_RANK[no]}
    assert not wrong, "序号: (expected last_year_rank, got) " + repr(wrong)


@pytest.mark.parametrize("system", ["overview", "overview_xls"])
def test_target_falls_back_to_the_system(ws, system):
    _root, _check, assess, _ = ws(system=system)
    got = {no: r["target"] for no, r in _by_no(assess).items()}
    wrong = {no: (TARGET[no], got.get(no)) for no in TARGET
             if not (got.get(no) == TARGET[no] or (TARGET[no] is not None and isinstance(got.get(no), (int, float))
                                                     and abs(got[no] - TARGET[no]) < 1e-9))}
    assert not wrong, "序号: (expected target, got) " + repr(wrong)


@pytest.mark.parametrize("system", ["overview", "overview_xls"])
def test_system_targets_feed_completion_and_progress_rules(ws, system):
    """kaohe.toml: 3 by completion, 7 by time progress; both targets only in the system.
    3: 9.0 / 10 = 90 % -> yellow (85 ≤ 90 < 95); by rank it would be red (5th: 12.5 10.1
    9.6 9.3 [9.0]).  7: 4家 / 12家 = 33.33 %, June's 序时进度 6/12 = 50 %, 16.67 points
    below -> yellow (10–30 below); by its reported rank 第5名 it would be red."""
    _root, _check, assess, _ = ws(system=system)
    r = _by_no(assess)
    assert r[3]["rank"] == 5
    assert r[3]["completion"] == pytest.approx(90.0), r[3]["colour_reason"]
    assert r[3]["colour"] == "yellow", r[3]["colour_reason"]
    assert r[7]["completion"] == pytest.approx(100 / 3, abs=1e-3), r[7]["colour_reason"]
    assert r[7]["colour"] == "yellow", r[7]["colour_reason"]
    # the department's own target drives the same arithmetic where it gave one (rank rule here)
    assert r[1]["colour"] == "yellow"  # 6.8 6.3 [6.1] -> 3rd


def test_overview_shows_last_year_from_the_system(ws):
    """The 一览表 written by `kaohe run`: 2023年度完成情况（位次） of every indicator the
    departments did not fill, as the system writes it."""
    root, *_ = ws()
    p = _cli(root, "run")
    assert p.returncode in (0, 1), p.stdout + p.stderr
    path = next((root / "output" / X.MONTH).glob("*完成情况一览表*.xlsx"))
    sheet = openpyxl.load_workbook(path).worksheets[0]
    head, col = None, None
    for row in sheet.iter_rows(min_row=1, max_row=8):
        texts = [str(c.value or "").replace("\n", "") for c in row]
        if "序号" in texts:
            head = row[0].row
            col = next(i for i, t in enumerate(texts) if "2023" in t)
            break
    assert head is not None and col is not None, "no header with a 2023 column"
    shown = {}
    for row in sheet.iter_rows(min_row=head + 1):
        if isinstance(row[0].value, (int, float)):
            shown[int(row[0].value)] = re.sub(r"\s+", "", str(row[col].value or ""))
    expected = {1: ("5.8", 2), 2: ("7.1", 2), 3: ("9.2", 1), 4: ("6.0", 4), 5: ("4.3", 5), 7: ("9", 2),
                10: ("7.2", 3), 11: ("95.1", 5)}
    wrong = {}
    for no, (value, rank) in expected.items():
        if not re.fullmatch(re.escape(value) + r"[%家]?[（(]第?" + str(rank) + r"名?[)）]", shown.get(no, "")):
            wrong[no] = (f"{value}…（{rank}）", shown.get(no))
    assert not wrong, "序号: (expected, shown) " + repr(wrong)


def test_quarter_criticism_compares_with_last_year_from_the_system(ws):
    """`kaohe run --quarter 2024Q2`: an indicator below last year's rank is criticised.
    By hand: 1 GDP 3rd vs 2 (发改委's own) -> 低于上年第2名; 3 固定资产投资 5th vs 1
    (system) -> 低于上年第1名; 7 高新技术企业 reported 第5名 vs 2 (system) -> 低于上年第2名;
    2 (2nd vs 2), 4 (3rd vs 4), 5 (4th vs 5), 10 (2nd vs 3) did not slip."""
    root, *_ = ws()
    p = _cli(root, "run", "--quarter", "2024Q2")
    assert p.returncode in (0, 1), p.stdout + p.stderr
    path = next((root / "output" / X.MONTH).glob("*第二季度部门考核*.xlsx"))
    wb = openpyxl.load_workbook(path)
    notes = {}
    for sheet in wb.worksheets:
        for row in sheet.iter_rows(values_only=True):
            for v in row:
                m = re.match(r"^(\d+)\.(.+?)（(低于上年第\d+名)）$", str(v or ""))
                if m:
                    notes[int(m.group(1))] = m.group(3)
    assert notes == {1: "低于上年第2名", 3: "低于上年第1名", 7: "低于上年第2名"}, notes


# ================================================================== 6. rows matched as written
def test_abbreviated_rows_are_matched(ws):
    """工信局 writes 2 as 规上工业增加值, 财政局 writes 5 as 一般公共预算收入: their values
    are used (neither is in the peer sheet, so the ranks are the reported ones)."""
    _root, check, assess, _ = ws()
    r = _by_no(assess)
    assert (r[2]["actual"], r[2]["rank"], r[2]["rank_source"], r[2]["department"]) == (9.4, 2, "reported", "工信局")
    assert (r[5]["actual"], r[5]["rank"], r[5]["rank_source"], r[5]["department"]) == (5.6, 4, "reported", "财政局")
    used = {(e["no"], e["department"]) for e in check["entries"] if e["used"]}
    assert {(2, "工信局"), (5, "财政局")} <= used


@pytest.mark.parametrize("file,row,words", [
    (X.GXJ_FILE, X.GXJ_ROW_GUISHANG, ("规上工业增加值", "规模以上工业增加值增速")),
    (X.CZJ_FILE, X.CZJ_ROW_YIBAN, ("一般公共预算收入", "一般公共预算收入增长")),
], ids=["规上工业增加值", "一般公共预算收入"])
def test_abbreviated_row_gets_a_hint(ws, file, row, words):
    """A warning on that very row (file, row), naming the row's or the system's name."""
    _root, check, _assess, _ = ws()
    hits = [p for p in check["problems"] if file in (p["file"] or "") and _row_of(p["cell"]) == row]
    assert any(p["level"] == "warning" and any(w in p["message"] for w in words) for p in hits), \
        f"no warning on {file} row {row}; problems there: {hits}"
    assert not any(p["level"] == "error" for p in hits), hits


def test_exact_row_gets_no_hint(ws):
    """高新技术企业净增数 is written exactly as the system writes it: no problem on its row."""
    _root, check, _assess, _ = ws()
    hits = [p for p in check["problems"] if X.GXJ_FILE in (p["file"] or "") and _row_of(p["cell"]) == X.GXJ_ROW_GAOQI]
    assert not hits, hits


def test_rejected_row_is_in_assess_problems(ws):
    """财政局's row 5: 序号 6 (实际利用外资, 商务局's) named 税收收入占一般公共预算收入比重,
    no indicator of the system: rejected. `assess --json` must say so (file, sheet, cell),
    not leave 6 silently 无数据."""
    _root, _check, assess, _ = ws()
    hits = [p for p in assess["problems"]
            if X.CZJ_FILE in (p["file"] or "") and p.get("sheet") == "6月" and _row_of(p["cell"]) == X.CZJ_ROW_REJECTED]
    assert any(p["level"] == "error" for p in hits), \
        "assess --json problems: " + repr([(p["file"], p["cell"], p["message"][:30]) for p in assess["problems"]])


# ================================================================== 9. qualitative progress
QUALITATIVE = {12: "按时序推进，已承接事项86项", 13: "已完成", 14: "正常推进"}


def test_qualitative_progress_in_assess(ws):
    _root, _check, assess, _ = ws()
    r = _by_no(assess)
    bad = {}
    for no, text in QUALITATIVE.items():
        got = (r[no].get("qualitative"), r[no].get("display"), r[no]["actual"])
        if got != (True, text, None):
            bad[no] = ((True, text, None), got)
        if "无数据" in (r[no]["colour_reason"] or ""):
            bad[f"{no} colour_reason"] = r[no]["colour_reason"]
    assert not bad, "序号: ((qualitative, display, actual) expected, got) " + repr(bad)


def test_qualitative_text_is_read_as_text(ws):
    """check --json: the rows are read, their words kept, no figure taken out of them
    (已承接事项86项 is not 86)."""
    _root, check, _assess, _ = ws()
    got = {e["no"]: (e["actual"], e["actual_raw"]) for e in check["entries"] if e["no"] in QUALITATIVE}
    assert got == {no: (None, text) for no, text in QUALITATIVE.items()}, got


def test_figures_with_units_are_numbers_not_qualitative(ws):
    """增长9.4% is 9.4 for a numeric indicator, shown as written; 4家 likewise; 暂无 is
    not progress (no figure yet), so never qualitative."""
    _root, _check, assess, _ = ws()
    r = _by_no(assess)
    assert (r[2]["actual"], r[2].get("display"), bool(r[2].get("qualitative"))) == (9.4, "增长9.4%", False)
    assert (r[7]["actual"], r[7].get("display"), bool(r[7].get("qualitative"))) == (4.0, "4家", False)
    assert (r[5]["actual"], r[5].get("display"), bool(r[5].get("qualitative"))) == (5.6, "5.6%", False)
    assert r[8]["actual"] is None and not r[8].get("qualitative")


def test_run_summary_does_not_count_qualitative_as_no_data(ws):
    """Rank rule for all (no per-indicator rules). By hand: 1 3rd yellow; 2 reported 2nd
    green; 3 5th red; 4 3rd yellow; 5 reported 4th yellow; 7 reported 5th red; 10 2nd
    (7.6, then 7.4 ×2) green; 6, 9, 11 nothing at all and 8 暂无 -> 无数据 4; 12–14 are
    qualitative, not 无数据."""
    root, *_ = ws(config=X.CONFIG)
    p = _cli(root, "run")
    assert p.returncode in (0, 1), p.stdout + p.stderr
    line = re.sub(r"\s+", "", next((ln for ln in p.stdout.splitlines() if "预警" in ln), ""))
    got = {k: int(n) for k, n in re.findall(r"(红|黄|绿|无数据)(\d+)项", line)}
    assert got.get("无数据") == 4, p.stdout
    assert (got.get("红"), got.get("黄")) == (2, 3), p.stdout
    assert got.get("绿", 0) >= 2, p.stdout  # 2 and 10 (text progress may or may not be coloured)


def test_check_status_counts_qualitative_as_reported(ws):
    """Reported: 1 3 14 (发改委), 2 7 (工信局), 5 (财政局), 12 13 (行政服务中心) = 8;
    暂无: 8; nothing: 4 6 9 10 11 (商务局, 人社局, 农业农村局 sent nothing)."""
    _root, check, _assess, _ = ws()
    st = check["status"]
    assert (st["reported"], st["not_available"], st["not_reported"]) == (8, 1, 5), st
    by = {d["department"]: d for d in st["departments"]}
    assert sorted(by["行政服务中心"]["reported"]) == [12, 13]
    assert sorted(by["发改委"]["reported"]) == [1, 3, 14]


# ================================================================== 10. the system in a month folder
def _copy_entry(check: dict, name: str) -> list[dict]:
    """Every files entry of that workbook (the root one too, where there is one)."""
    return [f for f in check["files"] if f["file"].replace("\\", "/").endswith(name)]


def _assert_not_a_report(check: dict, name: str):
    entries = _copy_entry(check, name)
    assert entries, f"the file in the month folder is not listed: {[f['file'] for f in check['files']]}"
    for f in entries:
        assert f["kind"] != "submission", f
        assert not f["submissions"], f
    from_it = [e for e in check["entries"] if (e["file"] or "").endswith(name)]
    assert not from_it, f"{len(from_it)} rows read from it as a department's report"
    st = check["status"]
    assert st is not None
    assert set(st["sent"]) == X.SENT, st["sent"]
    assert set(st["not_sent"]) == X.NOT_SENT, st["not_sent"]
    assert not st["extra"], st["extra"]
    assert not any((d.get("file") or "").endswith(name) for d in st["departments"]), st["departments"]


def _assert_hint(check: dict, name: str):
    hints = [p for p in check["problems"] if p["level"] == "warning" and "input/" in p["message"]
             and (name in (p["file"] or "") or name in p["message"])]
    assert hints, "no warning telling to move it to input/: " + repr(
        [(p["file"], p["message"][:60]) for p in check["problems"]])


@pytest.mark.parametrize("system,name", [("overview", X.SYSTEM_FILE),
                                         ("task", "附件1：岚川县2024年度高质量发展综合绩效考核指标任务分工表.xlsx")],
                         ids=["blank 一览表 copy", "任务分工表 copy"])
def test_copy_in_month_folder_is_not_a_report(ws, system, name):
    """input/ has the system; a copy of it also sits in input/2024-06/."""
    _root, check, assess, _ = ws(system=system, where="root+copy")
    _assert_not_a_report(check, name)
    _assert_hint(check, name)
    # nothing of it conflicts with the departments' figures, nor is it an unreadable report
    errors = [p for p in check["problems"] if p["level"] == "error" and (name in p["message"] or name in p["file"])]
    assert not errors, [(p["file"], p["message"][:80]) for p in errors]
    r = _by_no(assess)
    assert (r[1]["actual"], r[1]["department"], r[1]["rank"]) == (6.1, "发改委", 3)


@pytest.mark.parametrize("system,name", [("overview", X.SYSTEM_FILE), ("overview_xls", X.SYSTEM_FILE_XLS),
                                         ("task", "附件1：岚川县2024年度高质量发展综合绩效考核指标任务分工表.xlsx")],
                         ids=["blank 一览表", "blank 一览表 xls", "任务分工表"])
def test_system_only_in_month_folder_is_used(ws, system, name):
    """input/ has no system; it lies in input/2024-06/: used as the system, with the hint."""
    _root, check, assess, (arc, aerr) = ws(system=system, where="folder")
    assert check["system"] is not None, [p["message"][:60] for p in check["problems"]]
    assert check["system"]["indicators"] == 14
    assert check["system"]["file"].endswith(name), check["system"]
    _assert_not_a_report(check, name)
    _assert_hint(check, name)
    assert arc in (0, 1) and assess is not None, f"assess exit {arc}: {aerr[:300]}"
    r = _by_no(assess)
    assert len(r) == 14
    assert (r[1]["actual"], r[1]["rank"]) == (6.1, 3)  # 6.8 6.3 [6.1]
    assert (r[2]["actual"], r[2]["rank"]) == (9.4, 2)
