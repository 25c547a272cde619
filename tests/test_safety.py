"""Every broken or hostile file is named with its reason; every good file is read.

Files are built the way they really arrive (see tests/hostile.py) and go through
the one entry every reader uses, grid.read_workbook."""

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
from kaohe_excel.read.grid import read_workbook

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
    ("implicit.xlsx", h.implicit_far_xlsx, "XFD1048576"),
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
    i = data.find("地区生产总值".encode())
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
    from kaohe_excel.read.grid import read_workbook
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
