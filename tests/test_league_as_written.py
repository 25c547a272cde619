"""The view from above when the offices write their figures in words, as clerks do: the same
city as tests/league_city.py (every figure there worked out by hand), its files rewritten
the ways an acceptance tester's real tables are written. Each variant must give the league
the hand-checked city gives, figure for figure:

- events in the city's sheet as words: 未发生 / 无 for 0, 发生1起 / 发生2起 for 1, 2;
- the system's per-unit targets as text with their unit: 6.5%, 6000人;
- a unit's target left blank in the system and stated in the unit's own report (the
  target the unit reports is used where the city's table has none).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import openpyxl
import pytest

from tests import league_city as lc
from tests.kaohe_cli import cli, cli_json

JUNE = lc.JUNE
EVENT_WORDS = {0: ("未发生", "无"), 1: ("发生1起",), 2: ("发生2起",)}


def _figures(js: dict) -> tuple:
    """What a leader reads: every unit's total, full marks and place; every cell's rank, colour,
    score and target."""
    rows = sorted((r["unit"], round(r["total"], 6), r["total_points"], r["rank"]) for r in js["rows"])
    cells = sorted((i["no"], c["unit"], c["rank"], c["colour"], None if c["score"] is None else round(c["score"], 6),
                    c["target"], c["display"] if i["kind"] != "scored" else "")
                   for i in js["indicators"] for c in i["cells"])
    return rows, cells


def _league(root: Path) -> dict:
    return cli_json(root, "assess", "--all-units", "--month", JUNE)


@pytest.fixture(scope="module")
def plain(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("plain")
    lc.build_workspace(root)
    return _league(root)


def _rows_named(ws, col: int, words: tuple[str, ...]):
    for r in range(1, ws.max_row + 1):
        if any(w in str(ws.cell(r, col).value or "") for w in words):
            yield r


def test_events_written_in_words_count_as_the_figures(tmp_path, plain):
    lc.build_workspace(tmp_path)
    path = tmp_path / "input" / JUNE / lc.PEER_FILES[JUNE]
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    n = 0
    for r in _rows_named(ws, 2, ("事件", "事故")):
        for j in range(len(lc.UNITS)):
            v = ws.cell(r, 4 + j).value
            words = EVENT_WORDS[int(v)]
            ws.cell(r, 4 + j, words[(r + j) % len(words)])
            n += 1
    wb.save(path)
    assert n == 2 * len(lc.UNITS)
    js = _league(tmp_path)
    assert _figures(js)[0] == _figures(plain)[0]
    # the events items as the figures say, not 未报送
    got = {(i["no"], c["unit"]): c for i in js["indicators"] if i["no"] in (10, 12) for c in i["cells"]}
    assert got[(10, lc.LX)]["display"] != "未报送" and got[(10, lc.TD)]["display"] != "未报送", got
    want = {(i["no"], c["unit"]): (c["score"], c["colour"]) for i in plain["indicators"] if i["no"] in (10, 12)
            for c in i["cells"]}
    assert {k: (c["score"], c["colour"]) for k, c in got.items()} == want
    said = " ".join(p["message"] for p in js.get("problems", []))
    assert "缺少" not in said or "重大群体性事件" not in said, said


def test_targets_written_with_their_unit_are_the_numbers(tmp_path, plain):
    lc.build_workspace(tmp_path)
    path = tmp_path / "input" / lc.SYSTEM_FILE
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    changed = 0
    for r, unit_word in [(next(_rows_named(ws, 3, ("地区生产总值增速",))), "%"),
                         (next(_rows_named(ws, 3, ("城镇新增就业人数",))), "人")]:
        for j in range(len(lc.UNITS)):
            v = ws.cell(r, 5 + j).value
            if isinstance(v, (int, float)):
                ws.cell(r, 5 + j, f"{v:g}{unit_word}")
                changed += 1
    wb.save(path)
    assert changed == 2 * len(lc.UNITS)
    js = _league(tmp_path)
    assert _figures(js)[0] == _figures(plain)[0]
    got = {(i["no"], c["unit"]): (c["target"], c["score"]) for i in js["indicators"] if i["no"] in (1, 8)
           for c in i["cells"]}
    want = {(i["no"], c["unit"]): (c["target"], c["score"]) for i in plain["indicators"] if i["no"] in (1, 8)
            for c in i["cells"]}
    assert got == want and got[(8, lc.TD)][0] == 6000


def test_a_target_the_system_leaves_blank_comes_from_the_units_own_report(tmp_path, tmp_path_factory):
    full = tmp_path_factory.mktemp("own_full")
    lc.build_workspace(full, own_report=True)
    lc.build_workspace(tmp_path, own_report=True)
    path = tmp_path / "input" / lc.SYSTEM_FILE
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    r = next(_rows_named(ws, 3, ("城镇新增就业人数",)))
    col = 5 + lc.UNITS.index(lc.LS)
    assert ws.cell(r, col).value == 3000
    ws.cell(r, col).value = None
    wb.save(path)
    js, want = _league(tmp_path), _league(full)
    cell = next(c for i in js["indicators"] if i["no"] == 8 for c in i["cells"] if c["unit"] == lc.LS)
    assert cell["target"] == 3000 and cell["score"] is not None, cell
    assert _figures(js) == _figures(want)


# ---------------------------------------------------------------- no city sheet: the units' own reports
def _unit_report(path: Path, unit: str, skip: set[int] = frozenset(), words: dict | None = None) -> Path:
    """A unit's own 完成情况表 for June: 附件 label, a title naming the unit, a header with a line
    break, its figures as the city's sheet has them (events in words), 填报单位 line."""
    j = lc.UNITS.index(unit)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "6月完成情况"
    ws["A1"] = "附件2"
    ws["A2"] = f"{unit}2024年1-6月高质量发展综合绩效考核指标完成情况表"
    ws.merge_cells("A2:D2")
    for c, h in enumerate(["序号", "指标名称", "2024年\n目标任务", "截至6月底\n完成情况"], 1):
        ws.cell(3, c, h)
    r = 4
    figures = {no: vals[j] for no, _name, _d, vals, _city in lc.PEERS[JUNE]}
    for no, _cat, name, _pts, _targets, _lead, _note in lc.SYSTEM_ROWS:
        ws.cell(r, 1, no)
        ws.cell(r, 2, name)
        v = figures.get(no)
        if no in (10, 11, 12):
            v = {0: "未发生", 1: "发生1起", 2: "发生2起"}[int(v or 0)]
        if no in (words or {}):
            v = words[no]  # written in words where the figure goes
        if no not in skip and v is not None:
            ws.cell(r, 4, v)
        r += 1
    ws.cell(r + 1, 1, f"填报单位（盖章）：{unit}人民政府办公室    填报人：    联系电话：")
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def test_units_own_reports_name_their_files_and_the_unit_that_sent_nothing(tmp_path):
    lc.build_workspace(tmp_path)
    june = tmp_path / "input" / JUNE
    (june / lc.PEER_FILES[JUNE]).unlink()
    for u in lc.UNITS:
        if u != lc.LX:  # 鹭溪县 sends nothing this month
            _unit_report(june / f"{u}2024年1-6月指标完成情况.xlsx", u, skip={6} if u == lc.TX else set())
    js = cli_json(tmp_path, "check", "--all-units", "--month", JUNE)
    said = [p for p in js["problems"]]
    absent = [p for p in said if lc.LX in p["message"] and "本月没有它的数据" in p["message"]]
    assert absent, said
    gap = [p for p in said if "第 6 项" in p["message"] and lc.TX in p["message"]]
    assert gap and gap[0]["file"] == f"{lc.TX}2024年1-6月指标完成情况.xlsx" and gap[0]["sheet"] == "6月完成情况", gap
    assert not any(p["file"] == "各单位报表" for p in said), said
    assert len(absent) == 1 and "按未报送计" in absent[0]["message"], said  # once, not once an item
    run = cli_json(tmp_path, "assess", "--all-units", "--month", JUNE)
    events = {(i["no"], c["unit"]): c["display"] for i in run["indicators"] if i["no"] in (10, 12) for c in i["cells"]}
    assert events[(12, lc.TX)] == "发生2起", events
    assert {u for (_no, u), d in events.items() if d == "未报送"} <= {lc.LX}, events
    # the unit that sent nothing is still one of those compared: ranks and colours are out of all the
    # units (a late file must not turn the others' colours), and it has no place, with why
    assert set(run["units"]) == set(lc.UNITS), run["units"]
    silent = next(r for r in run["rows"] if r["unit"] == lc.LX)
    assert silent["rank"] is None and silent["note"], silent
    assert sorted(r["rank"] for r in run["rows"] if r["rank"] is not None) == list(range(1, len(lc.UNITS)))


def test_a_unit_that_writes_words_for_a_figure_is_shown_as_it_wrote_never_as_no_data(tmp_path):
    """汀西区 writes 正常推进 for item 1 and 待统计局反馈 for item 6 in its own report: the league,
    its cell in 指标排名 and its own 一览表 print what it wrote (not 无数据), neither is ranked or
    scored, and the check quotes it."""
    lc.build_workspace(tmp_path)
    june = tmp_path / "input" / JUNE
    (june / lc.PEER_FILES[JUNE]).unlink()
    said = {1: "正常推进", 6: "待统计局反馈"}
    for u in lc.UNITS:
        _unit_report(june / f"{u}2024年1-6月指标完成情况.xlsx", u, words=said if u == lc.TX else None)
    js = cli_json(tmp_path, "assess", "--all-units", "--month", JUNE)
    cells = {i["no"]: next(c for c in i["cells"] if c["unit"] == lc.TX) for i in js["indicators"]}
    for no, words in said.items():
        assert cells[no]["display"] == words and cells[no]["rank"] is None and cells[no]["score"] is None, cells[no]
    checked = cli_json(tmp_path, "check", "--all-units", "--month", JUNE)
    quoted = [p["message"] for p in checked["problems"] if lc.TX in p["message"] and "写的是「待统计局反馈」" in p["message"]]
    assert quoted, checked["problems"]
    p = cli(tmp_path, "run", "--all-units", "--month", JUNE, "-w", str(tmp_path))
    assert p.returncode in (0, 1), p.stdout + p.stderr
    (overview,) = (tmp_path / "output" / JUNE / lc.TX).glob("*一览表*.xlsx")
    texts = {str(v) for row in openpyxl.load_workbook(overview).worksheets[0].iter_rows(values_only=True) for v in row}
    assert set(said.values()) <= texts, texts
    (league,) = (tmp_path / "output" / JUNE).glob("*排名总表*.xlsx")
    texts = {str(v) for row in openpyxl.load_workbook(league)["指标排名"].iter_rows(values_only=True) for v in row}
    assert set(said.values()) <= texts


def _own_reports_only(root: Path) -> Path:
    """June as the units' own reports alone (no city sheet), one a unit, named after it."""
    lc.build_workspace(root)
    june = root / "input" / JUNE
    (june / lc.PEER_FILES[JUNE]).unlink()
    for u in lc.UNITS:
        _unit_report(june / f"{u}2024年1-6月指标完成情况.xlsx", u)
    return june


def _restate(path: Path, old: str, new: str, where: str) -> None:
    """Writes `new` for `old` in the report's title and 填报单位 line (where="head") or in its
    sign-off line alone (where="foot"), as a clerk edits a copied file."""
    wb = openpyxl.load_workbook(path)
    for row in wb.active.iter_rows():
        for c in row:
            if isinstance(c.value, str) and old in c.value and c.value.startswith("填报单位（盖章）") == (where == "foot"):
                c.value = c.value.replace(old, new)
    wb.save(path)


def test_a_stale_sign_off_line_is_outweighed_by_the_file_name_title_and_unit_line(tmp_path, tmp_path_factory):
    """汀东区's report made from 汀西区's: its file name, title and 填报单位 line above the table say
    汀东区, only the sign-off line below still says 汀西区. It is 汀东区's (it was refused as naming
    多个单位, and 汀东区 then said to have sent nothing), and the stale line is named with its cell."""
    want = _clean_own(tmp_path_factory)
    june = _own_reports_only(tmp_path)
    path = june / f"{lc.TD}2024年1-6月指标完成情况.xlsx"
    _restate(path, lc.TD, lc.TX, "foot")
    wb = openpyxl.load_workbook(path)
    wb.active["B1"] = f"填报单位：{lc.TD}人民政府办公室"
    wb.save(path)
    sign = next(c.coordinate for row in wb.active.iter_rows() for c in row
                if str(c.value or "").startswith("填报单位（盖章）"))
    js = cli_json(tmp_path, "check", "--all-units", "--month", JUNE)
    errors = [p for p in js["problems"] if p["level"] == "error"]
    assert not errors, errors
    stale = [p for p in js["problems"] if p["file"] == path.name and "落款" in p["message"]]
    assert len(stale) == 1, js["problems"]
    assert stale[0]["level"] == "warning" and stale[0]["sheet"] == "6月完成情况" and stale[0]["cell"] == sign, stale
    assert f"写的是「{lc.TX}」" in stale[0]["message"] and f"写的是「{lc.TD}」" in stale[0]["message"], stale
    assert not any("本月没有它的数据" in p["message"] for p in js["problems"]), js["problems"]
    assert _figures(_league(tmp_path)) == _figures(want)


def _clean_own(factory) -> dict:
    root = factory.mktemp("own_clean")
    _own_reports_only(root)
    return _league(root)


def test_a_report_whose_head_names_a_unit_outside_the_system_is_refused_whatever_its_sign_off_says(
        tmp_path, tmp_path_factory):
    """A newer file whose name, title and 填报单位 name 汀澜经开区 (no unit of the system), made from
    汀东区's report so its sign-off line still says 汀东区, with another first figure: refused as an
    unknown unit's (as the same file without that line is), never taken as 汀东区's newer report."""
    want = _clean_own(tmp_path_factory)
    june = _own_reports_only(tmp_path)
    stranger = "汀澜经开区"
    path = june / f"{stranger}2024年1-6月指标完成情况.xlsx"
    shutil.copy(june / f"{lc.TD}2024年1-6月指标完成情况.xlsx", path)
    _restate(path, lc.TD, stranger, "head")
    wb = openpyxl.load_workbook(path)
    wb.active["B1"] = f"填报单位：{stranger}管委会"
    wb.active["D4"] = 99.9
    wb.save(path)
    later = path.stat().st_mtime + 3600
    os.utime(path, (later, later))
    js = cli_json(tmp_path, "check", "--all-units", "--month", JUNE)
    refused = [p for p in js["problems"] if p["file"] == path.name and p["level"] == "error"]
    assert len(refused) == 1 and f"写的是「{stranger}」，但本月参评单位中没有它" in refused[0]["message"], js["problems"]
    assert not any("99.9" in p["message"] for p in js["problems"]), js["problems"]
    assert _figures(_league(tmp_path)) == _figures(want)


def test_a_units_file_with_last_months_sheet_too_names_the_unit_not_a_department(tmp_path):
    """汀东区's June file also holds its May sheet (kept in front): the May sheet is left, and said
    of 汀东区, whose file it is (it said 政府办, the department its sign-off line suggests)."""
    june = _own_reports_only(tmp_path)
    path = june / f"{lc.TD}2024年1-6月指标完成情况.xlsx"
    wb = openpyxl.load_workbook(path)
    may = wb.copy_worksheet(wb.active)
    may.title = "5月完成情况"
    may["A2"] = may["A2"].value.replace("1-6月", "1-5月")
    may["D3"] = "截至5月底\n完成情况"
    wb.move_sheet(may, offset=-1)
    wb.save(path)
    js = cli_json(tmp_path, "check", "--all-units", "--month", JUNE)
    said = [p for p in js["problems"] if "多个月报工作表" in p["message"]]
    assert len(said) == 1 and said[0]["file"] == path.name and said[0]["sheet"] == "5月完成情况", js["problems"]
    assert said[0]["message"].startswith(f"同一文件中{lc.TD}有多个月报工作表；工作表「5月完成情况」属于2024年5月"), said
    assert "政府办" not in said[0]["message"], said


def test_a_unit_that_sent_nothing_is_said_alike_by_check_assess_and_run(tmp_path):
    """鹭溪县 (assessed in May) sends nothing in June. Every output that counts the units says so,
    in the same words: check, assess (text and --json) and run (its summary and its 校验报告). It
    stays one of the units compared (its line in the league says why it has no place)."""
    june = _own_reports_only(tmp_path)
    (june / f"{lc.LX}2024年1-6月指标完成情况.xlsx").unlink()
    line = f"本月没有数据、未参评：{lc.LX}（详见校验提示）"

    def said(problems) -> list[str]:
        return [p["message"] for p in problems if lc.LX in p["message"] and "没有它的数据" in p["message"]]

    checked = said(cli_json(tmp_path, "check", "--all-units", "--month", JUNE)["problems"])
    assert len(checked) == 1, checked
    assessed = cli_json(tmp_path, "assess", "--all-units", "--month", JUNE)
    assert said(assessed["problems"]) == checked and assessed["absent"] == [lc.LX], assessed["problems"]
    silent = next(r for r in assessed["rows"] if r["unit"] == lc.LX)
    assert silent["rank"] is None and silent["note"], silent
    for args in (("check", "--all-units"), ("assess", "--all-units"), ("run", "--all-units")):
        p = cli(tmp_path, *args, "--month", JUNE)
        assert p.returncode == 1 and line in p.stdout, (args, p.stdout, p.stderr)
    report = openpyxl.load_workbook(next((tmp_path / "output" / JUNE).glob("*校验报告*.xlsx")))
    written = [v for ws in report.worksheets for row in ws.iter_rows(values_only=True) for v in row
               if isinstance(v, str) and lc.LX in v and "没有它的数据" in v]
    assert written == checked, written


@pytest.mark.parametrize("title, unit, want", [
    ("河溪市2024年度各县（区）高质量发展综合考核指标体系", "松阳县", "松阳县2024年度高质量发展综合考核指标完成情况一览表"),
    # …指标体系及目标任务分解表: the whole document word goes (it left …指标体系及目标指标完成情况一览表)
    ("澄州市2024年度区县（开发区）高质量发展综合绩效考核指标体系及目标任务分解表", "翠屏县",
     "翠屏县2024年度高质量发展综合绩效考核指标完成情况一览表"),
    ("石泉市2024年度县（区）综合目标考核指标体系", "柘溪县", "柘溪县2024年度综合目标考核指标完成情况一览表"),
    ("平顶山市2023年度高质量发展综合绩效考核指标任务分工表", "叶县", "叶县2023年度高质量发展综合绩效考核指标完成情况一览表"),
    ("叶县2023年度高质量发展综合绩效考核指标任务分工表", "叶县", "叶县2023年度高质量发展综合绩效考核指标完成情况一览表"),
    # the second review: 县域经济 after the city's year, 及 before the document's own words
    ("临江市2024年度县域经济高质量发展综合考核任务分工表", "云溪县", "云溪县2024年度县域经济高质量发展综合考核指标完成情况一览表"),
    ("北川市2024年度县（区）高质量发展考核指标及任务分工表", "松岭县", "松岭县2024年度高质量发展考核指标完成情况一览表"),
    # a probe's city: two document words, 指标体系 及 任务分工表 (was …考核指标体系指标完成情况一览表)
    ("岚州市2024年度县（区）高质量发展综合绩效考核指标体系及任务分工表", "高新区",
     "高新区2024年度高质量发展综合绩效考核指标完成情况一览表"),
])
def test_a_units_overview_is_titled_with_the_unit_not_the_city(title, unit, want):
    from kaohe_excel.write.reports import overview_title

    assert overview_title(title, unit, 2024) == want


def test_items_the_citys_table_lacks_come_from_the_units_own_reports(tmp_path):
    """June's table lacks item 6 and the deduction 12; 汀西区 and 澜山县 send their own reports with
    both: their figures are ranked and scored (they were dropped: 「不在本月的各单位数据中，也没有单位
    报送」 beside the files that had them), and the units that reported nothing on 12 are named in one
    line, not one a unit."""
    lc.build_workspace(tmp_path)
    june = tmp_path / "input" / JUNE
    book = openpyxl.load_workbook(june / lc.PEER_FILES[JUNE])
    ws = book.active
    for r in sorted((r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value in (6, 12)), reverse=True):
        ws.delete_rows(r)
    book.save(june / lc.PEER_FILES[JUNE])
    for u in (lc.TX, lc.LS):
        _unit_report(june / f"{u}2024年1-6月指标完成情况.xlsx", u)
    js = cli_json(tmp_path, "assess", "--all-units", "--month", JUNE)
    six = {c["unit"]: c for i in js["indicators"] if i["no"] == 6 for c in i["cells"]}
    figures = {u: v for no, _n, _d, vals, _c in lc.PEERS[JUNE] if no == 6 for u, v in zip(lc.UNITS, vals)}
    for u in (lc.TX, lc.LS):
        assert six[u]["actual"] == figures[u] and six[u]["rank"] is not None and six[u]["score"] is not None, six[u]
    assert {six[u]["rank"] for u in (lc.TX, lc.LS)} <= {1, 2}
    assert all(six[u]["actual"] is None for u in lc.UNITS if u not in (lc.TX, lc.LS)), six
    said = [p["message"] for p in js["problems"]]
    assert not [m for m in said if "第 6 项" in m and "也没有单位报送" in m], said
    twelve = [m for m in said if "第 12 项" in m and "未报送" in m]
    others = [u for u in lc.UNITS if u not in (lc.TX, lc.LS)]
    assert len(twelve) == 1 and all(u in twelve[0] for u in others), twelve


def _a_unit_more(path, name: str) -> None:
    """The city's sheet with one more unit column (its figures a copy of the first unit's), inside
    the merged 2024年1-6月 heading, before the city's own column."""
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    col = 4 + len(lc.UNITS)
    merges = [m.coord for m in ws.merged_cells.ranges]
    for m in merges:
        ws.unmerge_cells(m)
    ws.insert_cols(col)
    ws.cell(4, col, name)
    for r in range(5, ws.max_row + 1):
        if isinstance(ws.cell(r, 1).value, (int, float)):
            ws.cell(r, col, ws.cell(r, 4).value)
    for m in merges:
        (c1, r1), (c2, r2) = [openpyxl.utils.cell.coordinate_from_string(x) for x in m.split(":")]
        k1, k2 = (openpyxl.utils.column_index_from_string(c) for c in (c1, c2))
        k1 += 1 if k1 >= col else 0
        k2 += 1 if k2 >= col - 1 else 0
        ws.merge_cells(start_row=r1, start_column=k1, end_row=r2, end_column=k2)
    wb.save(path)


def test_check_does_not_call_a_unit_new_when_it_reads_no_earlier_month(tmp_path):
    """`check --all-units` reads the month alone: a unit not in the system's columns is not called
    「本月新出现的单位」 when there are earlier months it did not read (it said so of a unit in every month
    after the one it came in); `run`, which reads them, still says it in the month it first appears."""
    lc.build_workspace(tmp_path)
    _a_unit_more(tmp_path / "input" / JUNE / lc.PEER_FILES[JUNE], "澜湖新区")
    checked = cli_json(tmp_path, "check", "--all-units", "--month", JUNE)
    assert not [p for p in checked["problems"] if "新出现" in p["message"]], checked["problems"]
    assessed = cli_json(tmp_path, "assess", "--all-units", "--month", JUNE)
    assert "澜湖新区" in assessed["units"], assessed["units"]
    assert [p for p in assessed["problems"] if "澜湖新区" in p["message"] and "新出现" in p["message"]], assessed["problems"]


def test_the_view_from_above_calls_its_table_the_units_data_in_every_message(tmp_path):
    """A city's table copied into the next month is refused, and the message, like the check's file list,
    calls it 各单位数据 (it said 六县市数据 to a city of five)."""
    import shutil

    lc.build_workspace(tmp_path)
    july = tmp_path / "input" / "2024-07"
    july.mkdir()
    shutil.copy2(tmp_path / "input" / JUNE / lc.PEER_FILES[JUNE], july / lc.PEER_FILES[JUNE].replace("1-6月", "1-7月"))
    p = cli(tmp_path, "check", "--all-units", "--month", "2024-07")
    said = [line for line in p.stdout.splitlines() if "完全相同" in line]
    assert said and "各单位数据与" in said[0], p.stdout
    assert "六县市" not in p.stdout, p.stdout
