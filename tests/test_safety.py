"""Every broken or hostile file is named with its reason; every good file is read.

Files are built the way they really arrive (see tests/hostile.py) and go through
the one entry every reader uses, workbook.read_workbook (grid.read_grids underneath)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

import hostile as h
from kaohe_excel.problems import InputError
from kaohe_excel.read import safety
from kaohe_excel.read.workbook import read_workbook

ROOT = Path(__file__).resolve().parents[1]


def refused(path: Path) -> InputError:
    with pytest.raises(InputError) as info:
        read_workbook(path)
    assert info.value.problem.file == path.name
    assert info.value.problem.level == "error"
    return info.value


# ------------------------------------------------------------------ good files
@pytest.mark.parametrize("build,suffix", [(h.official_xlsx, ".xlsx"), (h.official_xls, ".xls")])
def test_official_tables_read(tmp_path, build, suffix):
    path = build(tmp_path / f"附件2{suffix}")
    grids = read_workbook(path)
    g = grids[0]
    assert g.sheet == "一览表" and g.text(1, 3) == h.TITLE  # merged title shows everywhere
    assert g.text(2, 5) == "2022年度\n完成情况（位次）"
    assert g.text(4, 1) == "共性指标"  # category merged down
    assert [x.sheet for x in grids] == ["一览表", "填报说明"]


def test_dimension_claim_alone_is_harmless(tmp_path):
    g = read_workbook(h.dimension_claim_xlsx(tmp_path / "dim.xlsx"))[0]
    assert (g.nrows, g.ncols) == (1, 2) and g.text(0, 0) == "指标名称"


def test_styled_empty_far_cells_do_not_refuse(tmp_path):
    """Formatting out to ZZ60000 (no values) is common; calamine ignores it, so must we."""
    from openpyxl import Workbook
    from openpyxl.styles import Border, Side

    wb = Workbook()
    ws = wb.active
    ws["A1"] = "序号"
    ws["XFD60000"].border = Border(left=Side(style="thin"))
    wb.save(tmp_path / "styled.xlsx")
    g = read_workbook(tmp_path / "styled.xlsx")[0]
    assert g.nrows == 1


@pytest.mark.parametrize("cell", [
    b'<c r="XFD60000" s="1" t="n"></c>',  # openpyxl with lxml: a styled cell, closed at once
    b'<c r="XFD60000" s="1">\n  </c>',
])
@pytest.mark.parametrize("prefixed", [False, True])
def test_a_cell_closed_with_nothing_inside_has_no_value(tmp_path, cell, prefixed):
    """`<c …></c>` holds no value, as `<c …/>` holds none: calamine leaves both out, and a
    border drawn out to XFD60000 that way must not make the sheet too big to read. A value
    out there still counts."""
    members = h.zip_members(h.official_xlsx(tmp_path / "src.xlsx"))
    name = next(n for n in members if n.startswith("xl/worksheets/sheet"))
    far = b'<row r="60000">' + cell + b"</row></sheetData>"
    xml = members[name].replace(b"</sheetData>", far)
    if prefixed:  # prefixed tags take the tag-by-tag path of the scan
        xml = xml.replace(b"<worksheet ", b'<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ', 1)
        xml = xml.replace(b"</worksheet>", b"</x:worksheet>").replace(b"<row", b"<x:row").replace(b"</row>", b"</x:row>")
        xml = xml.replace(b"<c ", b"<x:c ").replace(b"</c>", b"</x:c>")
    members[name] = xml
    g = read_workbook(h.write_zip(tmp_path / "styled.xlsx", members))[0]
    assert g.nrows < 100
    members[name] = xml.replace(b"></c>", b"><v>1</v></c>").replace(b"></x:c>", b"><x:v>1</x:v></x:c>") \
        .replace(b">\n  </c>", b"><v>1</v></c>").replace(b">\n  </x:c>", b"><x:v>1</x:v></x:c>")
    assert "超出可读取的范围" in refused(h.write_zip(tmp_path / "far.xlsx", members)).problem.message


def test_a_cell_closed_with_nothing_inside_has_no_value_when_cells_go_by_position(tmp_path):
    """The same for a writer that gives no r= at all (each cell the next along its row)."""
    members = h.zip_members(h.official_xlsx(tmp_path / "src.xlsx"))
    name = next(n for n in members if n.startswith("xl/worksheets/sheet"))
    head, _, rest = members[name].partition(b"<sheetData>")
    _, _, tail = rest.partition(b"</sheetData>")
    rows = [b'<row><c t="inlineStr"><is><t>\xe5\xba\x8f\xe5\x8f\xb7</t></is></c></row>'] + [b"<row/>"] * 59998
    last = b"<row>" + b'<c s="1"></c>' * 16384 + b"</row>"
    members[name] = head + b"<sheetData>" + b"".join(rows) + last + b"</sheetData>" + tail
    g = read_workbook(h.write_zip(tmp_path / "styled.xlsx", members))[0]
    assert g.nrows < 100  # (the merges of the title block stay)
    valued = last[:-len(b"</c></row>")] + b"<v>1</v></c></row>"
    members[name] = head + b"<sheetData>" + b"".join(rows) + valued + b"</sheetData>" + tail
    assert "超出可读取的范围" in refused(h.write_zip(tmp_path / "far.xlsx", members)).problem.message


def test_far_value_within_limit_is_read(tmp_path):
    g = read_workbook(h.far_cell_xlsx(tmp_path / "far.xlsx", "CV5000"))[0]
    assert g.nrows == 5000 and g.text(4999, 99) == "2"


def test_xlsm_read_for_data_only(tmp_path):
    """A macro workbook: its cells are read; the VBA project is never opened
    (calamine reads values only); a macro that would run on open changes nothing."""
    members = h.zip_members(h.official_xlsx(tmp_path / "base.xlsx"))
    members["xl/vbaProject.bin"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"Attribute VB_Name = \"ThisWorkbook\"\r\nSub Workbook_Open()\r\nKill \"C:\\*.*\"\r\nEnd Sub" * 4
    members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        b"application/vnd.ms-excel.sheet.macroEnabled.main+xml")
    path = h.write_zip(tmp_path / "月报.xlsm", members)
    before = path.read_bytes()
    g = read_workbook(path)[0]
    assert g.text(1, 0) == h.TITLE
    assert path.read_bytes() == before


# ------------------------------------------------------------ refused, by kind
CASES = [
    ("empty.xlsx", h.empty, "文件是空的"),
    ("csv.xls", h.renamed_csv, "CSV 文本"),
    ("unicode.xls", h.renamed_utf16_tsv, "CSV 文本"),
    ("notice.xlsx", h.renamed_text, "纯文本"),
    ("export.xls", h.html_as_xls, "网页（HTML）"),
    ("xml2003.xls", h.spreadsheetml2003, "XML 表格 2003"),
    ("web.xls", h.mht_as_xls, "单个文件网页"),
    ("scan.xlsx", h.pdf_as_xlsx, "PDF"),
    ("photo.xlsx", h.png_as_xlsx, "图片"),
    ("pack.xlsx", h.rar_as_xlsx, "rar"),
    ("noise.xls", h.random_bytes, "无法识别"),
    ("report.xlsx", h.docx_like, "Word 文档"),
    ("bundle.xlsx", h.plain_zip, "压缩包（zip）"),
    ("calc.xlsx", h.ods_like, ".ods"),
    ("binary.xlsx", h.xlsb_like, ".xlsb"),
    ("doc.xls", h.ole_other, "Word 文档（.doc）"),
    ("pwd.xls", h.encrypted_xls, "文件已加密，请取消密码后重新报送"),
    ("lol.xlsx", h.entity_bomb_xlsx, "DOCTYPE/ENTITY"),
    ("lol_sheet.xlsx", lambda p: h.entity_bomb_xlsx(p, h.SHEET1), "DOCTYPE/ENTITY"),
    ("xxe.xlsx", h.xxe_xlsx, "DOCTYPE/ENTITY"),
    ("utf16.xlsx", h.utf16_entity_xlsx, "DOCTYPE/ENTITY"),
    ("bomb.xlsx", h.zip_bomb_xlsx, "超出可处理的上限"),
    ("ratio.xlsx", lambda p: h.zip_bomb_xlsx(p, 40 * 1024 * 1024), "压缩比"),
    ("lying.xlsx", h.lying_size_xlsx, "与其声明不符"),
    ("many.xlsx", lambda p: h.many_members_xlsx(p, 120), "合计超过"),
    ("far.xlsx", h.far_cell_xlsx, "XFD1048576"),
    ("implicit.xlsx", h.implicit_far_xlsx, "单元格 A1048576 有内容"),  # the far cell, not the empty corner
    ("far.xls", h.xls_far_cell, "IV65536"),
    ("dims.xls", h.xls_dimension_claim, "超出可读取的范围"),
    ("merges.xlsx", h.merge_bomb_xlsx, "合并单元格的范围异常"),
]


@pytest.mark.parametrize("name,build,expect", CASES, ids=[c[0] for c in CASES])
def test_refused_with_reason(tmp_path, name, build, expect):
    path = build(tmp_path / name)
    err = refused(path)
    assert expect in err.problem.message, err.problem.message


def test_encrypted_xlsx(tmp_path):
    pytest.importorskip("msoffcrypto")
    err = refused(h.encrypted_xlsx(tmp_path / "加密.xlsx"))
    assert err.problem.message == "文件已加密，请取消密码后重新报送"


def test_far_cell_names_sheet_and_cell(tmp_path):
    p = refused(h.far_cell_xlsx(tmp_path / "far.xlsx")).problem
    assert (p.sheet, p.cell) == ("一览表", "XFD1048576")
    p = refused(h.xls_far_cell(tmp_path / "far.xls")).problem
    assert (p.sheet, p.cell) == ("Sheet1", "IV65536")


@pytest.mark.parametrize("fraction", [0.05, 0.3, 0.6, 0.9, 0.99])
@pytest.mark.parametrize("suffix", [".xlsx", ".xls"])
def test_truncated(tmp_path, suffix, fraction):
    build = h.official_xlsx if suffix == ".xlsx" else h.official_xls
    src = build(tmp_path / f"src{suffix}")
    err = refused(h.truncated(src, tmp_path / f"cut{suffix}", fraction))
    assert "文件不完整或已损坏" in err.problem.message or "无法" in err.problem.message


def test_xlsx_truncated_message_is_specific(tmp_path):
    src = h.official_xlsx(tmp_path / "src.xlsx")
    err = refused(h.truncated(src, tmp_path / "cut.xlsx", 0.6))
    assert err.problem.message == "文件不完整或已损坏（可能下载或复制未完成），请重新报送"


def test_corrupt_crc_is_refused(tmp_path):
    """A flipped byte inside a stored member is caught by the CRC, not parsed."""
    members = h.zip_members(h.official_xlsx(tmp_path / "src.xlsx"))
    path = h.write_zip(tmp_path / "stored.xlsx", members, zipfile.ZIP_STORED)
    data = bytearray(path.read_bytes())
    # a byte in the middle of the first worksheet's stored bytes (found from the zip's own
    # header: how a writer spells the text, UTF-8 or &#…; entities, does not matter)
    with zipfile.ZipFile(path) as z:
        info = next(i for i in z.infolist() if i.filename.startswith("xl/worksheets/"))
    name_len, extra_len = int.from_bytes(data[info.header_offset + 26:info.header_offset + 28], "little"), \
        int.from_bytes(data[info.header_offset + 28:info.header_offset + 30], "little")
    i = info.header_offset + 30 + name_len + extra_len + info.file_size // 2
    data[i] ^= 0x01
    path.write_bytes(bytes(data))
    assert "文件不完整或已损坏" in refused(path).problem.message


def test_duplicate_member_names_refused(tmp_path):
    members = h.zip_members(h.official_xlsx(tmp_path / "src.xlsx"))
    path = tmp_path / "dup.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        for n, d in members.items():
            zf.writestr(n, d)
        import warnings
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            zf.writestr(h.SHEET1, h.sheet_xml('<row r="1"><c r="XFD1048576"><v>1</v></c></row>'))
    assert "文件不完整或已损坏" in refused(path).problem.message


def test_non_excel_messages_all_differ():
    msgs = [safety.MSG_EMPTY, safety.MSG_CSV, safety.MSG_TEXT, safety.MSG_HTML, safety.MSG_XML2003,
            safety.MSG_MHT, safety.MSG_PDF, safety.MSG_IMAGE, safety.MSG_UNKNOWN, safety.MSG_BROKEN,
            safety.MSG_ENCRYPTED, safety.MSG_DOCX, safety.MSG_ZIP, safety.MSG_ODS, safety.MSG_XLSB]
    assert len(set(msgs)) == len(msgs)


# ------------------------------------------------------- memory and time bound
MEASURE = textwrap.dedent("""
    import json, resource, sys, time
    sys.path.insert(0, ROOT)
    from kaohe_excel.read.workbook import read_workbook
    from kaohe_excel.problems import InputError
    t = time.perf_counter()
    try:
        read_workbook(sys.argv[1]); outcome = "read"
    except InputError as e:
        outcome = e.problem.message
    try:  # peak of this process's own memory (ru_maxrss can carry the forking parent's)
        with open("/proc/self/status") as fh:
            rss = next(int(l.split()[1]) for l in fh if l.startswith("VmHWM")) / 1024
    except OSError:
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (1024 * (1024 if sys.platform == "darwin" else 1))
    print(json.dumps({"outcome": outcome, "seconds": time.perf_counter() - t, "rss_mb": rss}))
""").replace("ROOT", repr(str(ROOT)))

HOSTILE = [
    ("far.xlsx", h.far_cell_xlsx),               # unguarded: calamine asks for 512 GB and aborts
    ("implicit.xlsx", h.implicit_far_xlsx),
    ("far.xls", h.xls_far_cell),                  # unguarded: ~1.1 GB
    ("dims.xls", h.xls_dimension_claim),          # unguarded: a 43 GB request -> abort
    ("near_cap.xlsx", lambda p: h.far_cell_xlsx(p, "CV29000")),  # 2.9M cells: read, within bounds
    ("mid.xlsx", lambda p: h.far_cell_xlsx(p, "ALL20000")),  # unguarded: ~780 MB, 3 s
    ("merges.xlsx", h.merge_bomb_xlsx),           # unguarded: minutes, GBs
    ("bomb.xlsx", h.zip_bomb_xlsx),
    ("lying.xlsx", h.lying_size_xlsx),
    ("lol.xlsx", h.entity_bomb_xlsx),
    ("dim.xlsx", h.dimension_claim_xlsx),
]


@pytest.mark.skipif(sys.platform == "win32", reason="resource module")
@pytest.mark.parametrize("name,build", HOSTILE, ids=[c[0] for c in HOSTILE])
def test_memory_and_time_bounded(tmp_path, name, build):
    path = build(tmp_path / name)
    proc = subprocess.run([sys.executable, "-c", MEASURE, str(path)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr[-2000:]  # an abort (Rust OOM) fails here
    res = json.loads(proc.stdout)
    assert res["rss_mb"] < 300, res
    assert res["seconds"] < 5, res
    if name not in ("dim.xlsx", "near_cap.xlsx"):
        assert res["outcome"] != "read", res


# ------------------------------------------------- read by content, read right
def _texts(grids):
    return [[g.text(r, c) for r in range(g.nrows) for c in range(g.ncols)] for g in grids]


@pytest.mark.parametrize("codepage", [1252, 936, 65001])
def test_xls_with_a_non_unicode_codepage_reads_its_text(tmp_path, codepage):
    """calamine decodes BIFF8 UTF-16 text with the CODEPAGE record: 1252 gives
    '\\x8f^÷S' for 序号. Such files go to xlrd and read exactly like the original."""
    want = read_workbook(h.official_xls(tmp_path / "ok.xls"))
    got = read_workbook(h.xls_codepage(tmp_path / "cp.xls", codepage))
    assert _texts(got) == _texts(want)
    assert [g.merges for g in got] == [g.merges for g in want]
    assert got[0].text(1, 3) == h.TITLE  # a merged title still shows everywhere


def test_excel95_biff5_in_gbk_reads_its_text(tmp_path):
    g = read_workbook(h.biff5_xls(tmp_path / "excel95.xls"))[0]
    assert g.sheet == "一览表"
    assert g.text(1, 0) == h.TITLE and g.text(2, 5) == "2022年度\n完成情况（位次）"
    assert g.text(3, 4) == "牵头：县发改局\n参与：县统计局" and g.text(3, 0) == "1"


@pytest.mark.parametrize("name,build", [
    ("xlsx改名.xls", h.official_xlsx), ("xls改名.xlsx", h.official_xls),
    ("WPS表格.et", h.official_xls), ("没有扩展名", h.official_xlsx),
])
def test_read_by_content_not_by_extension(tmp_path, name, build):
    """An .xls renamed .xlsx (and the reverse) is common; calamine picks its reader
    by extension and failed on both."""
    src = build(tmp_path / ("src" + (".xls" if build is h.official_xls else ".xlsx")))
    path = tmp_path / name
    path.write_bytes(src.read_bytes())
    assert _texts(read_workbook(path)) == _texts(read_workbook(src))


@pytest.mark.parametrize("build,note", [
    (h.macrosheet_xlsx, "Excel 4.0 宏表"),
    (h.broken_styles_xlsx, "样式部分（xl/styles.xml）已损坏"),
])
def test_parts_calamine_cannot_open_are_left_out(tmp_path, build, note):
    path = build(tmp_path / "月报.xlsx")
    before = path.read_bytes()
    notes = []
    grids = read_workbook(path, problems=notes)
    assert grids[0].sheet == "一览表" and grids[0].text(1, 0) == h.TITLE
    assert [n.level for n in notes] == ["warning"] and note in notes[0].message
    assert path.read_bytes() == before
    with pytest.raises(InputError):  # without somewhere to say so, nothing is left out silently...
        read_workbook(h.damaged_second_sheet_xlsx(tmp_path / "坏表.xlsx"))


def test_damaged_extra_sheet_costs_only_that_sheet(tmp_path):
    path = h.damaged_second_sheet_xlsx(tmp_path / "月报.xlsx")
    notes = []
    grids = read_workbook(path, problems=notes)
    assert [g.sheet for g in grids] == ["一览表"]
    (p,) = notes
    assert (p.file, p.sheet, p.level) == ("月报.xlsx", "填报说明", "error") and "无法读取工作表内容" in p.message
    # when the sheets left are blank, the damage is the file's content: refused as before
    m = h.zip_members(path)
    m["xl/worksheets/sheet2.xml"], m["xl/worksheets/sheet1.xml"] = h.sheet_xml(""), m["xl/worksheets/sheet2.xml"]
    err = refused(h.write_zip(tmp_path / "只剩空表.xlsx", m))
    assert err.problem.sheet == "一览表" and "无法读取工作表内容" in err.problem.message


def test_positional_cells_are_measured_fast(tmp_path):
    """Rows and cells without r=: the area guard counts them per row at C speed
    (2.9M such cells took 4.8 s one tag at a time)."""
    ok = h.positional_cells_xlsx(tmp_path / "ok.xlsx", 4000, 50)
    safety.check_file(ok)  # (how fast: bench/, never a timed assertion here)
    far = h.positional_cells_xlsx(tmp_path / "far.xlsx", 200, 1, lead=16000)  # 200 x 16001
    p = refused(far).problem
    assert p.sheet == "一览表" and p.cell.startswith("WQK") and "超出可读取的范围" in p.message


def test_a_stray_value_in_the_last_row_is_named_where_it_is(tmp_path):
    """A 1 typed in A1048576 (Ctrl+↓, then a key) beside a table to column K: the message names
    A1048576, the cell to delete, not K1048576, the empty corner of the area (helper-50)."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "发改委"
    for r in range(1, 8):
        for c in range(1, 12):
            ws.cell(r, c, f"第{r}行{c}列" if r < 3 else r * c)
    ws["A1048576"] = 1
    wb.save(tmp_path / "发改委8月.xlsx")
    p = refused(tmp_path / "发改委8月.xlsx").problem
    assert p.sheet == "发改委" and p.cell == "A1048576" and "单元格 A1048576 有内容" in p.message, p


def test_cell_flags_are_bounded_and_quiet(tmp_path, capsys, monkeypatch):
    from kaohe_excel.read import engine_base, grid

    # percent and error cells of the official table are found as openpyxl found them
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws["A1"], ws["B1"] = 0.062, "=1/0"
    ws["A1"].number_format = "0.0%"
    for r in range(2, 3000):
        ws.cell(row=r, column=1, value=r)
    wb.save(tmp_path / "f.xlsx")
    flags = grid.sheet_cell_flags(tmp_path / "f.xlsx")["Sheet"]
    assert (0, 0) in flags.percent
    monkeypatch.setattr(engine_base, "MAX_FLAG_CELLS", 100)
    assert grid.sheet_cell_flags(tmp_path / "f.xlsx")["Sheet"].percent == {(0, 0)}
    # xlrd's warnings (here: padding after the last sector) never reach stdout (--json)
    padded = tmp_path / "padded.xls"
    padded.write_bytes(h.official_xls(tmp_path / "x.xls").read_bytes() + b"\0" * 3000)
    grid.sheet_cell_flags(padded)
    read_workbook(h.xls_codepage(tmp_path / "cp.xls"))
    assert capsys.readouterr().out == ""


def test_bomb_message_says_which_sheet_part(tmp_path):
    """A clerk cannot act on 'xl/worksheets/sheet1.xml': the message says it is the first sheet."""
    from kaohe_excel.read.workbook import read_workbook

    with pytest.raises(InputError) as exc:
        read_workbook(h.zip_bomb_xlsx(tmp_path / "bomb.xlsx"))
    assert "第 1 个工作表的数据" in exc.value.problem.message


def test_unclosed_cell_tags_are_measured_fast(tmp_path):
    """A damaged sheet part of many '<c ' that never close (no r=): the positional
    area guard stays linear (its cell pattern let each tag scan to the chunk's end:
    20000 of them took 25 s, a megabyte of them hours)."""
    import time

    from kaohe_excel.problems import InputError

    xml = h.sheet_xml(" " * 1_200_000 + "<row>" + "<c " * 20000 + " " * 1_200_000 + "</row>", dimension=None)
    path = h._with_sheet(h._base(tmp_path / "open.xlsx"), tmp_path / "open.xlsx", xml)
    t = time.perf_counter()
    try:
        safety.check_file(path)
    except InputError:
        pass
    assert time.perf_counter() - t < 3


@pytest.mark.parametrize("member", ["xl/_rels/workbook.xml.rels", "xl/workbook.xml"])
def test_repair_of_unclosed_tags_is_fast(tmp_path, member):
    """calamine refuses a package part of '<Relationship ' / '<sheet ' tags that never
    close; the repair that looks for macro sheets in it stays linear (it was 19 s for
    20000 such tags) and the file is named as damaged."""
    import time

    tag = b"<Relationship " if member.endswith(".rels") else b"<sheet "
    rels = (b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            b'<Relationship Id="rId9" Type="http://schemas.microsoft.com/office/2006/relationships/xlMacrosheet" '
            b'Target="macrosheets/sheet1.xml"/>')
    extra = {"xl__workbook.xml": b"<workbook>" + tag * 20000} if member == "xl/workbook.xml" else {}
    base = h._base(tmp_path / "p.xlsx")
    members = h.zip_members(base)
    if member.endswith(".rels"):
        extra = {"xl___rels__workbook.xml.rels": rels + tag * 20000}
    else:
        extra["xl___rels__workbook.xml.rels"] = members["xl/_rels/workbook.xml.rels"].replace(
            b"</Relationships>", rels[rels.index(b"<Relationship "):] + b"</Relationships>")
    path = h.rezip_with(base, tmp_path / "p.xlsx", **extra)
    t = time.perf_counter()
    with pytest.raises(InputError):
        read_workbook(path, problems=[])
    assert time.perf_counter() - t < 3


def test_parts_seen_before_are_not_inflated_again_and_a_bad_twin_is_still_refused(tmp_path, monkeypatch):
    """The units of a province send one form: its theme, styles and rels come to the byte the
    same in every file, and are scanned once. What changes is scanned, and a file that differs in
    one part only (the same styles, a sheet reaching XFD1048576) is refused as before."""
    src = h.official_xlsx(tmp_path / "附件2.xlsx")
    members = h.zip_members(src)
    twin = h.write_zip(tmp_path / "副本.xlsx", members)  # the same parts, in another file
    far = h.far_cell_xlsx(tmp_path / "远处.xlsx")
    safety._SCANNED.clear()
    inflated: list[str] = []
    real = safety._scan_member

    def counted(fh, info, *args, **kw):
        inflated.append(info.filename)
        return real(fh, info, *args, **kw)

    monkeypatch.setattr(safety, "_scan_member", counted)
    first = safety.check_file(twin)
    n_parts = len(inflated)
    assert n_parts == len([n for n in members if not n.endswith("/")])
    inflated.clear()
    again = safety.check_file(h.write_zip(tmp_path / "再一份.xlsx", members))
    assert inflated == []  # nothing inflated a second time
    assert first.extents and first.parts
    assert again.extents == first.extents and again.parts == first.parts  # the same answer
    assert read_workbook(tmp_path / "再一份.xlsx")[0].text(1, 3) == h.TITLE
    refused(far)  # a file that differs in its sheet: scanned, and refused
    assert any(n.startswith("xl/worksheets/") for n in inflated)


def test_the_bytes_checked_are_the_bytes_parsed(tmp_path):
    """A small package is read once: a file changed on disk after its check (a clerk saving over
    it, a sync tool) is never parsed unchecked, and calamine reads what the check passed."""
    path = h.official_xlsx(tmp_path / "附件2.xlsx")
    kind = safety.check_file(path)
    assert kind.data == path.read_bytes()
    h.far_cell_xlsx(tmp_path / "远处.xlsx").replace(path)  # would be refused if checked now
    wb = safety.open_calamine(path, kind)
    rows = wb.get_sheet_by_name("一览表").to_python()
    assert h.TITLE in rows[1]
    refused(path)  # and checked anew, the new bytes are refused


def test_a_sheet_is_plainly_placed_only_when_every_cell_says_where_it_is():
    """The quick scan is for sheets whose every cell and row opens with its position; other tags
    starting '<c' (columns, conditional formats, rich text's colours) are no cells, and one cell
    without its position sends the sheet to the slow scan."""
    head = b'<cols><col min="1" max="2" width="9"/></cols><sheetData>'
    rows = b'<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><v>2</v></c></row>'
    tail = b'</sheetData><conditionalFormatting sqref="A1"><cfRule type="cellIs"/></conditionalFormatting>'
    assert safety._plainly_placed(head + rows + tail)
    assert not safety._plainly_placed(head + rows.replace(b'<c r="B1">', b'<c>') + tail)
    assert not safety._plainly_placed(head + rows.replace(b'<c r="B1">', b'<c r="1B">') + tail)
    assert not safety._plainly_placed(head + rows.replace(b'<row r="1">', b'<row>') + tail)
