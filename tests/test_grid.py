"""Opening workbooks: merged values everywhere they show, cached formula values,
WPS's understated <dimension>, old .xls, Chinese file and sheet names."""

import re
import zipfile

import openpyxl
import pytest

from kaohe_excel.problems import InputError
from kaohe_excel.read.workbook import read_workbook


def _patch_sheet_xml(src, dst, fn):
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for it in zin.infolist():
            data = zin.read(it.filename)
            if it.filename == "xl/worksheets/sheet1.xml":
                data = fn(data.decode("utf-8")).encode("utf-8")
            zout.writestr(it, data)


def test_merged_values_fill_every_covered_cell(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "任务分工表"
    ws["A1"] = "附件2"
    ws["A2"] = "县域经济高质量发展\n综合评价指标体系"
    ws.merge_cells("A2:E2")
    ws["B4"] = "共性\n指标"
    ws.merge_cells("B4:B7")
    f = tmp_path / "附件2：任务分工表.xlsx"
    wb.save(f)
    (g,) = read_workbook(f)
    assert g.sheet == "任务分工表" and g.file == "附件2：任务分工表.xlsx"
    assert [g.value(1, c) for c in range(5)] == ["县域经济高质量发展\n综合评价指标体系"] * 5
    assert [g.value(r, 1) for r in range(3, 7)] == ["共性\n指标"] * 4
    assert g.merge_of(5, 1) == (3, 1, 6, 1) and g.is_merge_origin(3, 1) and not g.is_merge_origin(5, 1)
    assert g.merge_of(0, 0) is None


def test_understated_dimension_reads_whole(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in range(1, 51):
        ws.append([r, f"指标{r}", r * 1.5])
    full = tmp_path / "full.xlsx"
    wb.save(full)
    wps = tmp_path / "wps.xlsx"
    _patch_sheet_xml(full, wps, lambda s: re.sub(r'<dimension ref="[^"]*"\s*/>', '<dimension ref="A1:C3"/>', s))
    (g,) = read_workbook(wps)
    assert g.nrows == 50 and g.value(49, 1) == "指标50" and g.value(49, 2) == 75.0


def test_formulas_give_cached_values(tmp_path):
    wb = openpyxl.Workbook()
    wb.active["C5"] = 5
    wb.active["D5"] = "=C5*2"
    src = tmp_path / "f.xlsx"
    wb.save(src)
    dst = tmp_path / "cached.xlsx"
    # Excel and WPS store the last computed value beside the formula; openpyxl does not.
    _patch_sheet_xml(src, dst, lambda s: re.sub(r"<c r=\"D5\"([^>]*)><f>C5\*2</f><v\s*/?>(</v>)?</c>|<c r=\"D5\"([^>]*)><f>C5\*2</f></c>",
                                                  '<c r="D5"><f>C5*2</f><v>10</v></c>', s))
    (g,) = read_workbook(dst)
    assert g.value(4, 3) == 10


def test_old_xls_with_merges(tmp_path):
    xlwt = pytest.importorskip("xlwt")
    book = xlwt.Workbook(encoding="utf-8")
    sh = book.add_sheet("附件")
    sh.write_merge(0, 0, 0, 3, "任务分解表")
    sh.write(1, 0, "序号")
    sh.write_merge(2, 4, 1, 1, "约束\n条件")
    sh.write(2, 0, 21)
    f = tmp_path / "任务分解表.xls"
    book.save(str(f))
    (g,) = read_workbook(f)
    assert g.sheet == "附件"
    assert [g.value(0, c) for c in range(4)] == ["任务分解表"] * 4
    assert [g.value(r, 1) for r in (2, 3, 4)] == ["约束\n条件"] * 3
    assert g.text(2, 0) == "21"


def test_unusable_files_are_named_in_chinese(tmp_path):
    empty = tmp_path / "空文件.xlsx"
    empty.write_bytes(b"")
    csv = tmp_path / "改名的表格.xlsx"
    csv.write_text("序号,指标名称\n1,GDP\n", encoding="utf-8")
    for f in (empty, csv):
        with pytest.raises(InputError) as exc:
            read_workbook(f)
        assert exc.value.problem.file == f.name
        assert re.search(r"[\u4e00-\u9fa5]", exc.value.problem.message)


def test_sheet_by_name(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "说明"
    wb.create_sheet("指标表")["A1"] = "序号"
    f = tmp_path / "两个表.xlsx"
    wb.save(f)
    assert [g.sheet for g in read_workbook(f)] == ["说明", "指标表"]
    assert [g.sheet for g in read_workbook(f, sheet="指标表")] == ["指标表"]
    with pytest.raises(InputError) as exc:
        read_workbook(f, sheet="不存在")
    assert "不存在" in exc.value.problem.message


@pytest.mark.parametrize("library_says, reason", [
    ("invalid Zip archive: Could not find central directory end", "压缩包结构损坏"),
    ("Cell string index not found (12)", "共享字符串表与单元格不符"),
    ("Unrecognized sheet type: macrosheet", "无法识别的工作表类型"),
    ("Xml error: ill-formed document", "XML 内容损坏"),
    ("something nobody foresaw", "技术信息：something nobody foresaw"),
    ("Cfb error: invalid sector id", "旧版 xls 文件结构损坏"),
    ("fatal: the whole stage failed", "技术信息：fatal"),  # 'fat', 'ole', 'tag' inside words mean nothing
])
def test_library_errors_explained_in_chinese(library_says, reason):
    from kaohe_excel.read.engine_base import short

    text = short(RuntimeError(library_says))
    assert reason in text and library_says[:40] in text


def test_library_errors_named_by_their_class():
    """An engine's exception classes name the reason whatever their words: calamine's
    WorksheetNotFound carries only the sheet's name, xlrd's CompDocError often no
    telling word; a class the engine does not name goes by its words as before."""
    import python_calamine as pc
    from xlrd.compdoc import CompDocError

    from kaohe_excel.read import engine_calamine, engine_xlrd
    from kaohe_excel.read.engine_base import short

    calamine, xlrd_ = engine_calamine._reasons(), engine_xlrd._reasons()
    assert short(pc.WorksheetNotFound("一览表"), calamine) == "工作簿缺少工作表数据；技术信息：一览表"
    assert short(pc.ZipError("i/o error: failed to fill whole buffer"), calamine).startswith("压缩包结构损坏")
    assert short(pc.PasswordError("no password"), calamine).startswith("文件已加密")
    assert short(CompDocError("MSAT corruption: seen[3] == 2"), xlrd_).startswith("旧版 xls 文件结构损坏；")
    assert short(pc.XmlError("Xml error: ill-formed document"), calamine).startswith("工作表 XML 内容损坏")
    assert short(pc.CalamineError("Invalid xf length, expected at least 4, found 3"), calamine) == \
        "技术信息：Invalid xf length, expected at least 4, found 3"


@pytest.mark.parametrize("hidden", [False, True], ids=["all shown", "a hidden column"])
def test_a_read_sheet_is_freed_when_let_go_without_the_collector(tmp_path, hidden):
    """A grid keeps the tables found in it (and, with hidden rows or columns, the view of it the
    clerk sees); neither may point back at the grid, or every sheet a run reads (a province's
    month is 120) would wait for the garbage collector, which a run calls seldom
    (kaohe_excel.collector)."""
    import gc
    import weakref

    from kaohe_excel.read.submission import find_submission_table

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["附件2"])
    ws.append(["序号", "指标名称", "截至本月底完成情况", "排名", "责任单位", "内部编码"])
    ws.append([1, "地区生产总值增速", "6.5%", 2, "发改委", "A-01"])
    ws.append([2, "规上工业增加值增速", "7.1%", 3, "工信局", "A-02"])
    if hidden:
        ws.column_dimensions["F"].hidden = True
    f = tmp_path / "发改委月报.xlsx"
    wb.save(f)
    (g,) = read_workbook(f)
    assert bool(g.hidden_cols) == hidden
    t = find_submission_table(g)
    assert t is not None and t.body_rows == [2, 3] and (t.grid is g) != hidden
    assert t.grid.source is (g if hidden else None)
    again = find_submission_table(g)  # the kept table, given out with its grid (or the view of it)
    assert again is not t and again.grid is t.grid and again.body_rows == [2, 3]
    gone = weakref.ref(g)
    gc.disable()
    try:
        del g, t, again
        assert gone() is None
    finally:
        gc.enable()
