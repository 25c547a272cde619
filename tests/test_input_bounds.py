"""Issue 12, point 5: bounds that hold whatever a file holds.

A workbook far bigger than any report (17 sheets x 20,000 rows took 292 s) is named,
sheet by sheet, and left unread while the rest of the month is read; a month folder
of 10,000 files is named and not read at all; an indicator system of thousands of
indicators is still read whole. Speed itself is measured in bench/bench_inputs.py:
these tests check what is said and read, never how long it took.
"""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

import pytest

from kaohe_excel.problems import ERROR, WARNING, InputError
from kaohe_excel.read import grid as grid_mod
from kaohe_excel.read import safety
from kaohe_excel.read.month_files import MAX_MONTH_FILES
from kaohe_excel.read.workbook import read_workbook
from kaohe_excel.workspace import load_month
from tests.kaohe_cli import cli, cli_json

ROOT = Path(__file__).resolve().parents[1]
MONTH = "2023-08"
HEADER = ["序号", "指标内容", "分值", "责任单位", "2022年度完成情况（位次）", "2023年度县定目标",
          "截至本月底完成情况", "六县市排名", "预警提示", "存在问题", "下步举措"]
ROWS = [[1, "固定值产 投资增速", "", "发改委", "1.7%（3）", "8%", "7.4%", 2, "", "", ""],
        [6, "亿元及以上新开 工产业项目个数", "", "发改委", "22个（3）", "25个", "9个", 6, "", "", ""]]
SIGN = ["填报单位（盖章）：叶县发改委", "", "", "主要负责人：（演示）", "", "填报人：（演示）"]


def _demo(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "input", tmp_path / "input")
    return tmp_path


def _progress_sheet(ws, rows: int, title: str = "叶县发改委2023年1-8月高质量发展综合绩效指标进展情况表") -> None:
    """A department's 附件2 sheet with `rows` rows of its two indicators (a careless copy)."""
    ws.write_row(0, 0, ["附件2"])
    ws.write_row(1, 0, [title])
    ws.write_row(2, 0, HEADER)
    for r in range(rows):
        ws.write_row(3 + r, 0, ROWS[r % 2])
    ws.write_row(3 + rows, 0, SIGN)


def _book(path: Path, sheets: list[tuple[str, int]]) -> Path:
    """An .xlsx (XlsxWriter, as fast as files get made) of progress sheets of these many rows."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    for name, rows in sheets:
        _progress_sheet(wb.add_worksheet(name), rows)
    wb.close()
    return path


def _problems_of(mi, file_part: str) -> list:
    return [p for p in mi.all_problems if file_part in (p.file or "")]


# ------------------------------------------------------------- too big to be a report
def test_a_data_dump_is_named_sheet_by_sheet_and_the_month_still_read(tmp_path):
    """Two sheets of 20,000 rows each (the issue's workbook had 17): not a report. The
    file is named with its first sheet and how big it is, the other sheet is named
    with it, and every other file of the month is read as before."""
    ws = _demo(tmp_path)
    plain = load_month(ws, MONTH, with_history=False)
    big = _book(ws / "input" / MONTH / "叶县发改委2023年8月指标进展情况（汇总）.xlsx",
                [("汇总一", 20000), ("汇总二", 20000)])
    res = cli_json(ws, "check", "--month", MONTH)
    (p,) = [p for p in res["problems"] if big.name in p["file"]]
    assert p["level"] == ERROR and p["sheet"] == "汇总一"
    assert "有内容的有 20004 行、140016 个单元格" in p["message"] and "超出一个文件可读取的范围" in p["message"]
    assert "未读取" in p["message"] and "另有 1 个工作表同样过大未读取：汇总二" in p["message"]
    (fr,) = [f for f in res["files"] if f["file"].endswith(big.name)]
    assert fr["kind"] == "bad" and not fr["used"]
    # the rest of the month: the same departments sent, the same peer data
    assert res["status"]["sent"] == plain.status.sent and res["peers"]["file"] == plain.peers.file


def test_a_report_beside_a_data_dump_sheet_is_read(tmp_path):
    """The department's real sheet first, a dump of 20,000 rows pasted in a second
    sheet: the report is read, the dump is named (a warning: nothing was lost)."""
    path = _book(tmp_path / "叶县发改委2023年8月指标进展情况.xlsx", [("月报", 2), ("明细", 20000)])
    problems = []
    grids = read_workbook(path, problems=problems)
    assert [g.sheet for g in grids] == ["月报"]
    (p,) = problems
    assert (p.file, p.sheet, p.level) == (path.name, "明细", WARNING)
    assert "超出一个文件可读取的范围" in p.message and "该工作表未读取" in p.message


def test_many_sheets_each_with_a_far_value_are_left_out_past_the_area_budget(tmp_path):
    """A report, then 30 sheets holding only A1 and C999999 (each just within the per-sheet area
    bound, two cells filled: an acceptance probe's 1,000 such sheets took 100 s and 3 GB, each
    sheet's million rows allocated). Sheets are read while their rectangles together stay within
    MAX_WORKBOOK_AREA; the rest are named in one line, and the report is read."""
    import xlsxwriter

    path = tmp_path / "叶县发改委2023年8月指标进展情况.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    _progress_sheet(wb.add_worksheet("月报"), 2)
    for k in range(30):
        sh = wb.add_worksheet(f"S{k}")
        sh.write("A1", "x")
        sh.write("C999999", "y")
    wb.close()
    problems = []
    grids = read_workbook(path, problems=problems)
    assert grids[0].sheet == "月报" and len(grids) <= 1 + grid_mod.MAX_WORKBOOK_AREA // (999999 * 3)
    assert sum(len(g.cells) * max((len(r) for r in g.cells), default=0) for g in grids) <= grid_mod.MAX_WORKBOOK_AREA
    (p,) = problems  # one line for the sheets left out, however many
    assert p.level == WARNING and "数据范围达 999999 行 × 3 列" in p.message and "同样过大未读取" in p.message


@pytest.mark.parametrize("limit,value", [("MAX_WORKBOOK_CELLS", 500), ("MAX_WORKBOOK_ROWS", 70)])
def test_sheets_past_the_budget_are_left_out_in_order(tmp_path, monkeypatch, limit, value):
    """Sheets are read in the workbook's order while their filled rows and cells together
    fit; a sheet that does not fit is named, and a later one that fits is still read."""
    monkeypatch.setattr(grid_mod, limit, value)
    # filled: 44 rows / 296 cells, 64 / 436, 6 / 30 (a title, a label, the header, the rows, the sign-off)
    path = _book(tmp_path / "月报.xlsx", [("一", 40), ("二", 60), ("三", 2)])
    problems = []
    grids = read_workbook(path, problems=problems)
    assert [g.sheet for g in grids] == ["一", "三"]
    assert [(p.sheet, p.level) for p in problems] == [("二", WARNING)]
    assert "有内容的有 64 行、436 个单元格，连同本文件前面的工作表超出" in problems[0].message


def test_without_a_place_to_say_it_nothing_is_left_out_silently(tmp_path, monkeypatch):
    monkeypatch.setattr(grid_mod, "MAX_WORKBOOK_CELLS", 400)  # 296 filled cells fit, 436 do not
    path = _book(tmp_path / "月报.xlsx", [("一", 40), ("二", 60)])
    with pytest.raises(InputError) as exc:
        read_workbook(path)
    assert exc.value.problem.sheet == "二" and "超出一个文件可读取的范围" in exc.value.problem.message
    notes = []  # a reader that keeps notes (read_system, read_submissions) gets it there
    assert [g.sheet for g in read_workbook(path, notes=notes)] == ["一"] and notes[0].sheet == "二"
    with pytest.raises(InputError):  # a sheet asked for by name is read whole or not at all
        read_workbook(path, "二", notes=[])


def test_an_xls_over_the_budget_is_named_too(tmp_path, monkeypatch):
    """Old .xls files are measured the same way (their BIFF cell records)."""
    import xlwt

    wb = xlwt.Workbook()
    for name, rows in (("一", 30), ("二", 200)):
        sh = wb.add_sheet(name)
        for r, row in enumerate([HEADER] + [ROWS[i % 2] for i in range(rows)]):
            for c, v in enumerate(row):
                sh.write(r, c, v)
    path = tmp_path / "月报.xls"
    wb.save(str(path))
    sizes = safety.check_file(path).extents
    assert sizes["一"][:3] == (31, 11, 31) and sizes["二"][:3] == (201, 11, 201)
    monkeypatch.setattr(grid_mod, "MAX_WORKBOOK_ROWS", 100)
    problems = []
    assert [g.sheet for g in read_workbook(path, problems=problems)] == ["一"]
    assert [p.sheet for p in problems] == ["二"] and "有内容的有 201 行" in problems[0].message


def test_sheet_parts_past_the_scan_limit_are_not_parsed(tmp_path, monkeypatch):
    """Past MAX_SCANNED_SHEET_BYTES a big sheet part is not even scanned, so nothing
    parses it; small ones still are (a report behind a dump is not lost)."""
    monkeypatch.setattr(safety, "MAX_SCANNED_SHEET_BYTES", 5000)
    monkeypatch.setattr(safety, "SMALL_SHEET_BYTES", 4000)  # the 2-row sheets are about 2.5 KB
    path = _book(tmp_path / "月报.xlsx", [("一", 2), ("大", 300), ("二", 2)])
    kind = safety.check_file(path)
    assert kind.unscanned == ["大"] and set(kind.extents) == {"一", "二"}
    problems = []
    assert [g.sheet for g in read_workbook(path, problems=problems)] == ["一", "二"]
    (p,) = problems
    assert p.sheet == "大" and "数据量合计超过" in p.message and "未读取" in p.message


def test_the_sizes_are_what_the_grids_hold(tmp_path):
    """What the scan says of a sheet before it is read is the size of the grid read:
    its rectangle, and (merges aside: a grid shows a merged value in every cell it
    covers) its filled rows and cells."""
    seen = 0
    for f in sorted((ROOT / "input" / MONTH).iterdir()) + [next((ROOT / "input").glob("附件2*.xlsx"))]:
        kind = safety.check_file(f)
        for g in read_workbook(f):
            size = kind.extents.get(g.sheet)
            if size is None or not g.nrows:
                continue
            seen += 1
            assert (size.rows, size.cols) == (g.nrows, g.ncols), (f.name, g.sheet)
            if not g.merges:
                assert (size.filled_rows, size.filled_cells) == grid_mod._filled(g), (f.name, g.sheet)
    assert seen >= 20


# --------------------------------------------------------------- a month folder of 10,000
def test_a_month_folder_of_ten_thousand_files_is_named_not_read(tmp_path):
    ws = _demo(tmp_path)
    folder = ws / "input" / MONTH
    for i in range(10_000):
        (folder / f"附件{i:05d}.txt").write_bytes(b"x")
    p = cli(ws, "check", "--month", MONTH)
    assert p.returncode == 2 and "Traceback" not in p.stdout + p.stderr
    assert f"超过 {MAX_MONTH_FILES} 个" in p.stdout and "未读取其中的任何文件" in p.stdout
    mi = load_month(ws, MONTH, with_history=False)
    assert mi.fatal and "input/2023-08" in mi.fatal and not mi.submissions
    assert [f.kind for f in mi.files] == ["system"]  # nothing of the month folder
    from kaohe_excel.flows.run import run_workspace

    s = run_workspace(ws, MONTH)
    assert s.fatal and not s.written and not (ws / "output" / MONTH).exists()


def test_a_month_folder_at_the_cap_is_read(tmp_path):
    """Up to the cap every file is read as before (here: the demo's and a few hundred notes)."""
    ws = _demo(tmp_path)
    folder = ws / "input" / MONTH
    have = sum(1 for _ in folder.iterdir())
    for i in range(300 - have):
        (folder / f"附件{i:04d}.txt").write_bytes(b"x")
    mi = load_month(ws, MONTH, with_history=False)
    assert not mi.fatal and len(mi.submissions) >= 20


# ------------------------------------------------------------ large systems, read whole
def test_an_indicator_system_of_five_thousand_is_read_whole(tmp_path):
    import xlsxwriter

    from kaohe_excel.read.workbook import read_system

    path = tmp_path / "指标体系（5000项）.xlsx"
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet("一览表")
    ws.write_row(0, 0, ["序号", "指标内容", "分值", "责任单位"])
    for i in range(1, 5001):
        ws.write_row(i, 0, [i, f"第{i}项指标增速", 2, "发改委" if i % 2 else "工信局"])
    wb.close()
    system = read_system(path)
    assert len(system.indicators) == 5000 and system.total_points == 10000
    assert not [p for p in system.problems if "未读取" in p.message]


# ------------------------------------------------------- faster, and the same answers
def test_matching_by_name_gives_what_ranking_all_gave(tmp_path):
    """IndicatorMatcher.by_name no longer sorts the system for each row: the best
    indicator and its score are those of the full ranking (first of equals wins),
    and the scores computed in one rapidfuzz call are name_score's."""
    from kaohe_excel.read.matching import IndicatorMatcher
    from kaohe_excel.read.workbook import read_system

    system = read_system(next((ROOT / "input").glob("附件2*.xlsx")))
    names = [i.name for i in system.indicators]
    rnd = random.Random(12)
    probes = names + ["固定资产投资增速", "规上工业增加值", "城镇化率", "税收收入占比", "", "R&D经费投入强度（研究与试验发展经费投入强度）"]
    for _ in range(200):  # names with a character dropped, doubled or swapped in
        n = list(rnd.choice(names))
        k = rnd.randrange(len(n))
        n[k] = rnd.choice(["", n[k] * 2, rnd.choice("增速比重率数")])
        probes.append("".join(n))
    from kaohe_excel.read.matching import _name_scores, name_key, name_score

    keys = [name_key(n) for n in names] + [""]
    for name in probes:
        k = name_key(name)
        assert _name_scores(k, keys) == [name_score(k, key) for key in keys], name
    m = IndicatorMatcher(system)
    for name in probes:
        r = m.ranked(name)
        best, second = r[0], (r[1][0] if len(r) > 1 else 0)
        want = (best[1] if best[0] >= 97 or (best[0] >= m.NAME_OK and best[0] - second >= 4) else None, best[0])
        assert m.by_name(name) == want and IndicatorMatcher(system).by_name(name) == want, name


def test_a_header_padded_with_blanks_is_still_a_header():
    """Long cell texts are not normalized just to be told they are too long; a header
    padded with spaces and line breaks is still recognized."""
    from kaohe_excel.read.columns import SUBMISSION_ROLES
    from kaohe_excel.read.tables import role_of

    assert role_of(" " * 150 + "截至本月底\n完成情况" + "\n" * 150, SUBMISSION_ROLES) == "actual"
    assert role_of("存在问题：" + "项目推进缓慢，" * 100, SUBMISSION_ROLES) is None
    assert role_of("ｅ\u0301" * 30 + "序号", SUBMISSION_ROLES) is None  # 62 characters: no header


def test_the_scan_finds_the_sheetdata_tags_and_strings_as_the_patterns_do():
    from kaohe_excel.read.safety import _SHEETDATA_TAG, _SI_START, _count_si, _split_sheetdata

    pattern = re.compile(b"(" + _SHEETDATA_TAG.pattern + b")")
    for data in [b'<x><sheetData><row r="1"/></sheetData><y/>', b"<sheetData/>", b'<a b="sheetData"/><sheetData>',
                 b"<x:sheetData attr='1'>text</x:sheetData>", b"sheetData <sheetDataX/> <sheetData\n>",
                 b"<si><t>a</t></si><si>\n<si/><x:si><sit>"]:
        assert _split_sheetdata(data) == pattern.split(data), data
        assert _count_si(data) == len(_SI_START.findall(data)), data


@pytest.mark.parametrize("prefixed", [False, True])
def test_the_fast_scan_measures_what_the_slow_one_does(tmp_path, prefixed):
    """The area guard's plain fast path (every tag `<c r="…"`) and the general one
    (prefixed tags) find the same extent, self-closing (valueless) cells left out."""
    import hostile as h

    cells = "".join(f'<row r="{r}">' + "".join(f'<c r="{c}{r}" t="n"><v>{r}</v></c>' for c in "ABCDE")
                    + f'<c r="H{r}" s="1"/></row>' for r in range(1, 400))
    cells += '<row r="600"><c r="AB600" s="2"/></row>'
    xml = h.sheet_xml(cells, dimension=None)
    if prefixed:
        xml = re.sub(rb"<(/?)(c|row|v|sheetData|worksheet)\b", rb"<\1x:\2", xml).replace(
            b"<x:worksheet ", b'<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ')
    path = h._with_sheet(h._base(tmp_path / "s.xlsx"), tmp_path / "s.xlsx", xml)
    kind = safety.check_file(path)
    assert (399, 5, 399, 5 * 399) in [tuple(v) for v in kind.extents.values()]
