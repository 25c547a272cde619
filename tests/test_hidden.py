"""Hidden rows, hidden columns and hidden sheets, made the way clerks make them
(openpyxl's row_dimensions/column_dimensions/sheet_state, xlwt's row/col hidden and
sheet visibility), read by `kaohe check --json` and `kaohe spec --json` run as
separate processes: the readers read what the clerk sees and say what they left out."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.kaohe_cli import run_json

from tests.month_fixtures import write_system_xlsx, ye_name

TITLE = "叶县工信局2023年1-8月高质量发展综合绩效指标进展情况表"
HEADER = ["序号", "指标内容", "分值", "责任单位", "2022年度完成情况（位次）", "2023年度县定目标",
          "截至本月底完成情况", "六县市排名", "预警提示"]
# 工信局's indicators in the 叶县 system: (no, points, actual, rank)
ROWS = [(2, 3, 42.5, 3), (7, 4, 6.2, 2), (9, 2, 31.5, 4)]


_run = run_json


def _check(ws: Path) -> dict:
    return _run(ws, "check", "--month", "2023-08")[1]


def _entries(out: dict) -> dict[int, dict]:
    return {e["no"]: e for e in out["entries"] if e.get("used", True)}


def _warnings(out: dict, file_part: str = "") -> list[dict]:
    return [p for p in out["problems"] if p["level"] == "warning" and file_part in (p["file"] or "")]


def _text(problems: list[dict]) -> str:
    return "\n".join(f"{p['file']} {p['sheet']} {p['cell']} {p['level']}: {p['message']}" for p in problems)


def _workspace(tmp_path: Path) -> Path:
    write_system_xlsx(tmp_path / "input" / "指标体系.xlsx")
    (tmp_path / "input" / "2023-08").mkdir(parents=True)
    return tmp_path / "input" / "2023-08"


def _month_rows(header: list[str], rows, title: str = TITLE) -> list[list]:
    out: list[list] = [["附件2"], [title], list(header)]
    out += [list(r) for r in rows]
    out.append(["填报单位（盖章）：叶县工信局", "", "", "主要负责人：示例负责人", "", "填报人：示例填报人"])
    out.append(["联系电话：示例电话", "", "", "填报日期：2023年9月4日"])
    return out


def _line(no, points, actual, rank, last_year="", target=""):
    return [no, ye_name(no), points, "工信局", last_year, target, actual, rank, ""]


def _xlsx_sheet(ws, lines: list[list]) -> None:
    for line in lines:
        ws.append(line)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(lines[2]))


# --- monthly sheets ----------------------------------------------------------------

def test_hidden_month_column_does_not_win_over_the_visible_one(tmp_path):
    """Last month's column kept hidden beside this month's: the visible one is read."""
    import openpyxl

    folder = _workspace(tmp_path)
    header = ["序号", "指标内容", "分值", "责任单位", "1-7月完成情况", "截至本月底完成情况", "六县市排名"]
    rows = [[no, ye_name(no), pts, "工信局", actual - 1, actual, rank] for no, pts, actual, rank in ROWS]
    wb = openpyxl.Workbook()
    _xlsx_sheet(wb.active, _month_rows(header, rows))
    wb.active.column_dimensions["E"].hidden = True
    wb.save(folder / "工信局8月.xlsx")

    out = _check(tmp_path)
    got = _entries(out)
    for no, _pts, actual, rank in ROWS:
        assert got[no]["actual"] == actual and got[no]["cell"].startswith("F"), _text(out["problems"])
        assert got[no]["rank"] == rank
    notes = [p for p in _warnings(out, "工信局") if "隐藏" in p["message"]]
    assert [p["message"] for p in notes] == ["隐藏的 E 列「1-7月完成情况」未读取"], _text(out["problems"])
    assert notes[0]["sheet"] == "Sheet" and notes[0]["cell"] == "E3"


def test_hidden_month_rows_are_not_read(tmp_path):
    """Old indicator rows hidden instead of deleted: no doubled entries, the visible row counts."""
    import openpyxl

    folder = _workspace(tmp_path)
    stale = [_line(2, 3, 38.0, 5), _line(7, 4, 5.0, 4)]
    lines = _month_rows(HEADER, stale + [_line(*r) for r in ROWS])
    wb = openpyxl.Workbook()
    ws = wb.active
    _xlsx_sheet(ws, lines)
    ws.row_dimensions[4].hidden = True
    ws.row_dimensions[5].hidden = True
    wb.save(folder / "工信局8月.xlsx")

    out = _check(tmp_path)
    got = _entries(out)
    for no, _pts, actual, rank in ROWS:
        assert (got[no]["actual"], got[no]["rank"]) == (actual, rank), _text(out["problems"])
    warns = _warnings(out, "工信局")
    hidden = [p for p in warns if "隐藏行" in p["message"]]
    assert len(hidden) == 1, _text(warns)
    assert hidden[0]["message"].startswith("第 4–5 行为隐藏行")
    assert "未读取" in hidden[0]["message"] and "工业投资占固定 资产投资比重" in hidden[0]["message"]
    assert hidden[0]["cell"] == "A4"
    assert not any("重复" in p["message"] for p in out["problems"]), _text(out["problems"])


def _filtered_month(path: Path, lines: list[list], ref: str, hand_hidden: tuple[int, ...] = ()) -> Path:
    """The clerk's AutoFilter on 六县市排名 (H) = 2 over `ref`: the rows it hides are hidden, as
    Excel leaves them; `hand_hidden` rows were hidden by hand besides."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    _xlsx_sheet(ws, lines)
    ws.auto_filter.ref = ref
    ws.auto_filter.add_filter_column(7, ["2"])
    first, last = (int("".join(ch for ch in end if ch.isdigit())) for end in ref.split(":"))
    for r in range(first + 1, last + 1):
        if ws.cell(r, 8).value != 2:
            ws.row_dimensions[r].hidden = True
    for r in hand_hidden:
        ws.row_dimensions[r].hidden = True
    wb.save(path)
    return path


def test_filtered_month_rows_are_read_and_hand_hidden_ones_are_not(tmp_path):
    """A filter on 排名 = 2 left on in a department's sheet is a view, not a deletion: the rows it
    hides are read (were: dropped, the items owed, one taken from another department's sheet),
    and said. A stale row hidden by hand below the filter's range stays unread, as without a filter."""
    from kaohe_excel.read.grid import sheet_cell_flags

    folder = _workspace(tmp_path)
    lines = _month_rows(HEADER, [_line(*r) for r in ROWS] + [_line(2, 3, 38.0, 5)])  # rows 4–6, stale row 7
    path = _filtered_month(folder / "工信局8月.xlsx", lines, "A3:I6", hand_hidden=(7,))
    flags = sheet_cell_flags(path)["Sheet"]
    assert (flags.filtered, flags.filter_area, sorted(flags.hidden_rows)) == (True, (2, 0, 5, 8), [3, 5, 6])

    out = _check(tmp_path)
    got = _entries(out)
    for no, _pts, actual, rank in ROWS:
        assert (got[no]["actual"], got[no]["rank"]) == (actual, rank), _text(out["problems"])
    notes = [p for p in _warnings(out, "工信局") if "隐藏" in p["message"]]
    assert [p["cell"] for p in notes] == ["A4", "A7"], _text(notes)
    assert notes[0]["message"].startswith("工作表设置了筛选，第 4、6 行被筛选隐藏") and "仍按指标读取" in notes[0]["message"]
    assert notes[1]["message"].startswith("第 7 行为隐藏行") and "未读取" in notes[1]["message"]
    assert not any("重复" in p["message"] or "缺少" in p["message"] for p in out["problems"]), _text(out["problems"])


def test_a_visible_row_wins_over_a_stale_copy_a_filter_hides(tmp_path):
    """A stale row hidden by hand inside the filter's range cannot be told from one the filter
    hides (the file does not say who hid it): it is read, but the row the clerk sees wins."""
    folder = _workspace(tmp_path)
    lines = _month_rows(HEADER, [_line(7, 4, 5.0, 4)] + [_line(*r) for r in ROWS])  # stale 7 in row 4
    _filtered_month(folder / "工信局8月.xlsx", lines, "A3:I7")

    out = _check(tmp_path)
    got = _entries(out)
    for no, _pts, actual, rank in ROWS:
        assert (got[no]["actual"], got[no]["rank"]) == (actual, rank), _text(out["problems"])
    twice = [p for p in _warnings(out, "工信局") if "重复" in p["message"]]
    assert len(twice) == 1 and twice[0]["cell"] == "B4" and "第 4 行（被筛选隐藏）重复，未采用" in twice[0]["message"], \
        _text(out["problems"])


def test_the_range_of_a_filter_in_an_xls(tmp_path):
    """An .xls keeps its AutoFilter's range in the sheet's built-in name _FilterDatabase (here
    as LibreOffice saved 指标体系（筛选了工信局）): rows hidden inside it are the filter's."""
    from kaohe_excel.read.grid import read_grids

    here = Path(__file__).parent / "real_saved" / "libreoffice" / "xls" / "systems" / "指标体系（筛选了工信局）.xls"
    grid = read_grids(here)[0]
    assert grid.filtered and grid.filter_area == (2, 0, 59, 8)
    assert grid.filtered_rows == grid.hidden_rows and grid.hidden_rows


@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
def test_hidden_month_sheet_is_skipped_when_a_visible_sheet_holds_the_table(tmp_path, state):
    """A hidden copy (fuller than this month's visible sheet) is not read."""
    import openpyxl

    folder = _workspace(tmp_path)
    wb = openpyxl.Workbook()
    visible = wb.active
    visible.title = "8月"
    now = [_line(2, 3, 42.5, 3), _line(7, 4, 6.2, 2), _line(9, 2, "—", "")]
    _xlsx_sheet(visible, _month_rows(HEADER, now))
    old = wb.create_sheet("备份")
    _xlsx_sheet(old, _month_rows(HEADER, [_line(2, 3, 40.0, 4), _line(7, 4, 5.5, 3), _line(9, 2, 30.0, 5)]))
    old.sheet_state = state
    wb.save(folder / "工信局8月.xlsx")

    out = _check(tmp_path)
    got = _entries(out)
    assert (got[2]["actual"], got[2]["rank"], got[2]["sheet"]) == (42.5, 3, "8月"), _text(out["problems"])
    assert (got[7]["actual"], got[7]["rank"]) == (6.2, 2)
    assert got[9]["actual"] is None
    notes = [p for p in _warnings(out, "工信局") if p["sheet"] == "备份"]
    assert len(notes) == 1, _text(out["problems"])
    assert "隐藏" in notes[0]["message"] and "未读取" in notes[0]["message"] and "「8月」" in notes[0]["message"]
    if state == "veryHidden":
        assert "深度隐藏" in notes[0]["message"]


def test_a_table_only_in_a_hidden_sheet_is_still_read(tmp_path):
    """Never refused for hidden content: the only table is read, with a warning."""
    import openpyxl

    folder = _workspace(tmp_path)
    wb = openpyxl.Workbook()
    wb.active.title = "填报说明"
    wb.active.append(["请各单位于次月6日前报送。"])
    data = wb.create_sheet("月报")
    _xlsx_sheet(data, _month_rows(HEADER, [_line(*r) for r in ROWS]))
    data.sheet_state = "hidden"
    wb.save(folder / "工信局8月.xlsx")

    out = _check(tmp_path)
    got = _entries(out)
    assert [got[no]["actual"] for no, *_ in ROWS] == [a for _n, _p, a, _r in ROWS], _text(out["problems"])
    notes = [p for p in _warnings(out, "工信局") if p["sheet"] == "月报"]
    assert len(notes) == 1 and "已读取" in notes[0]["message"], _text(out["problems"])


def test_xls_hidden_rows_columns_and_sheet(tmp_path):
    """The same three, in an old .xls written by xlwt."""
    import xlwt

    folder = _workspace(tmp_path)
    header = ["序号", "指标内容", "分值", "责任单位", "1-7月完成情况", "截至本月底完成情况", "六县市排名"]
    stale = [[7, ye_name(7), 4, "工信局", 4.0, 5.0, 4]]
    rows = stale + [[no, ye_name(no), pts, "工信局", actual - 1, actual, rank] for no, pts, actual, rank in ROWS]
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("8月")
    for r, line in enumerate(_month_rows(header, rows)):
        for c, v in enumerate(line):
            if v != "":
                ws.write(r, c, v)
    ws.col(4).hidden = True
    ws.row(3).hidden = True  # the stale row 4
    old = wb.add_sheet("7月")
    for r, line in enumerate(_month_rows(header, [[no, ye_name(no), pts, "工信局", 1.0, 2.0, 6]
                                                 for no, pts, _a, _r in ROWS])):
        for c, v in enumerate(line):
            if v != "":
                old.write(r, c, v)
    old.visibility = 1
    wb.save(str(folder / "工信局8月.xls"))

    out = _check(tmp_path)
    got = _entries(out)
    for no, _pts, actual, rank in ROWS:
        assert (got[no]["actual"], got[no]["rank"], got[no]["sheet"]) == (actual, rank, "8月"), _text(out["problems"])
    msgs = [p["message"] for p in _warnings(out, "工信局")]
    assert "隐藏的 E 列「1-7月完成情况」未读取" in msgs, "\n".join(msgs)
    assert any(m.startswith("第 4 行为隐藏行") for m in msgs), "\n".join(msgs)
    assert any("「7月」" in m and "隐藏" in m and "未读取" in m for m in msgs), "\n".join(msgs)
    assert not any("重复" in p["message"] for p in out["problems"]), _text(out["problems"])


# --- peer data -------------------------------------------------------------------

PEERS = ["叶县", "宝丰县", "郏县", "鲁山县", "舞钢市", "汝州市"]


def test_hidden_peer_column_and_rows(tmp_path):
    """A hidden 叶县 column of last month's figures and a hidden stale row are not read."""
    import openpyxl

    folder = _workspace(tmp_path)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "六县市数据"
    ws.append(["六县市数据（2023年1-8月）"])
    ws.append(["序号", "指标名称", "方向", "叶县"] + PEERS)  # D: 叶县 (7月), hidden
    ws.append([2, ye_name(2), "正向", 1.0] + [9.0, 9.0, 9.0, 9.0, 9.0, 9.0])  # stale, hidden
    ws.append([2, ye_name(2), "正向", 40.0] + [42.5, 50.0, 30.0, 20.0, 45.0, 10.0])
    ws.append([7, ye_name(7), "正向", 5.0] + [6.2, 8.0, 1.0, 2.0, 3.0, 7.0])
    ws.column_dimensions["D"].hidden = True
    ws.row_dimensions[3].hidden = True
    wb.save(folder / "六县市数据.xlsx")

    out = _check(tmp_path)
    rows = {r["no"]: r for r in out["peers"]["rows"]}
    assert rows[2]["values"]["叶县"] == 42.5 and rows[2]["values"]["宝丰县"] == 50.0, _text(out["problems"])
    assert rows[7]["values"]["叶县"] == 6.2
    msgs = [p["message"] for p in _warnings(out, "六县市")]
    assert "隐藏的 D 列「叶县」未读取" in msgs, "\n".join(msgs)
    assert any(m.startswith("第 3 行为隐藏行") for m in msgs), "\n".join(msgs)
    assert not any("重复" in p["message"] for p in out["problems"]), _text(out["problems"])


# --- the indicator system ------------------------------------------------------------

def _spec(path: Path) -> dict:
    return _run(path.parent, "spec", str(path))[1]


def test_hidden_system_rows_inside_merged_category_blocks(tmp_path):
    """Hidden indicator rows are deleted indicators, also where they begin a merged
    category or points cell; a hidden column of last year's points does not win."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "指标体系"
    ws.append(["某县2023年度高质量发展综合绩效考核指标体系"])
    ws.append([])
    ws.append(["序号", "类别", "指标名称", "分值（2022年）", "分值", "责任单位"])
    body = [
        (1, "项目建设", "旧指标甲", 9, 9, "发改委"),  # row 4, hidden, begins the category block
        (2, "项目建设", "固定资产投资增速", 9, 5, "发改委"),
        (3, "项目建设", "旧指标乙", 9, 9, "发改委"),  # row 6, hidden, inside the block
        (4, "项目建设", "工业投资占比", 9, 3, "工信局"),
        (5, "创新驱动", "旧指标丙", 9, 4, "工信局"),  # row 8, hidden, begins the shared points cell
        (6, "创新驱动", "研发费用增速", 9, 4, "工信局"),
        (7, "创新驱动", "高新技术企业净增数", 9, 2, "科技局"),
    ]
    for line in body:
        ws.append(list(line))
    ws.merge_cells("B4:B7")
    ws.merge_cells("B8:B10")
    ws.merge_cells("E8:E9")  # one 4-point score for 5 and 6
    for r in (4, 6, 8):
        ws.row_dimensions[r].hidden = True
    ws.column_dimensions["D"].hidden = True
    path = tmp_path / "指标体系.xlsx"
    wb.save(path)

    out = _spec(path)
    inds = {i["no"]: i for i in out["indicators"]}
    assert sorted(inds) == [2, 4, 6, 7], _text(out["problems"])
    assert inds[2]["path"] == ["项目建设"] and inds[4]["path"] == ["项目建设"]
    assert inds[6]["path"] == ["创新驱动"] and inds[7]["path"] == ["创新驱动"]
    assert [inds[n]["points"] for n in (2, 4, 6, 7)] == [5, 3, 4, 2]
    assert inds[6]["shares_points_with_row"] is None  # its shared cell began on the hidden row
    assert out["total_points"] == 14
    msgs = [p["message"] for p in out["problems"] if p["level"] == "warning"]
    rows = [m for m in msgs if "隐藏行" in m]
    assert len(rows) == 1 and rows[0].startswith("第 4、6、8 行为隐藏行"), "\n".join(msgs)
    assert "旧指标甲" in rows[0] and "已删除" in rows[0]
    assert "隐藏的 D 列「分值（2022年）」未读取" in msgs, "\n".join(msgs)


def test_hidden_system_sheet_is_not_merged_in(tmp_path):
    """A hidden sheet with last year's table is not taken for a second part of the
    system; a veryHidden template sheet of drop-down lists says nothing."""
    import openpyxl

    path = write_system_xlsx(tmp_path / "指标体系.xlsx")
    wb = openpyxl.load_workbook(path)
    old = wb.create_sheet("2022年")
    old.append(["2022年高质量发展综合绩效指标一览表"])
    old.append(["序号", "指标内容", "总分116分", "责任单位"])
    for no, name in enumerate(["旧指标一", "旧指标二", "旧指标三", "旧指标四"], 1):
        old.append([no, name, 5, "发改委"])
    old.sheet_state = "hidden"
    lists = wb.create_sheet("lists")
    lists.append(["正向", "逆向"])
    lists.sheet_state = "veryHidden"
    wb.save(path)

    out = _spec(path)
    names = [i["name"] for i in out["indicators"]]
    assert len(names) == 49 and not any(n.startswith("旧指标") for n in names), _text(out["problems"])
    notes = [p for p in out["problems"] if "隐藏" in p["message"]]
    assert len(notes) == 1 and notes[0]["sheet"] == "2022年" and "未读取" in notes[0]["message"], _text(notes)


def test_filtered_system_rows_are_still_read(tmp_path):
    """An indicator system left filtered down to one department is still the whole
    system: rows an AutoFilter hides are read, with a warning."""
    import openpyxl

    path = write_system_xlsx(tmp_path / "指标体系.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    ws.auto_filter.ref = f"A3:I{ws.max_row}"
    ws.auto_filter.add_filter_column(3, ["工信局"])
    hidden = [r for r in range(4, ws.max_row + 1) if ws.cell(r, 4).value not in (None, "工信局")]
    for r in hidden:
        ws.row_dimensions[r].hidden = True
    wb.save(path)

    out = _spec(path)
    assert len(out["indicators"]) == 49, _text(out["problems"])
    notes = [p["message"] for p in out["problems"] if "筛选" in p["message"]]
    assert len(notes) == 1 and "仍按指标读取" in notes[0], _text(out["problems"])
