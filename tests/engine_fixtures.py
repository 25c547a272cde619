"""Helpers that build template .xlsx files for the engine tests and the benchmark.

Templates are made with openpyxl (as a clerk's Excel/WPS file would carry them:
merged cells, conditional formatting, data validation, print settings, a picture,
a chart), and outputs are read back with openpyxl or as zip XML, never through the
engine's own bookkeeping.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from pathlib import Path

import openpyxl
from openpyxl.chart import BarChart, Reference
from openpyxl.drawing.image import Image
from openpyxl.formatting.rule import CellIsRule, FormulaRule
from openpyxl.styles import Border, Font, PatternFill, Side
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.pagebreak import Break

THIN = Side(style="thin")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def png_bytes(w: int = 4, h: int = 3) -> bytes:
    """A tiny valid PNG, so no imaging library is needed."""
    def chunk(tag, data):
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * w for _ in range(h))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


class RawImage(Image):
    """openpyxl's Image without Pillow: the bytes are given, the size too."""

    def __init__(self, data: bytes, width: int = 40, height: int = 30):
        self.ref = io.BytesIO(data)
        self.format = "png"
        self.width, self.height = width, height
        self.anchor = "A1"
        self._data_bytes = data

    def _data(self):
        return self._data_bytes


def overview_template(path: Path, *, with_chart: bool = True, with_image: bool = True) -> Path:
    """The 一览表 shape: title, header, one loop row with styles, CF and DV, a total
    row with formulas below, a sign-off line, a picture and a chart under it.

    rows: 1 title (merged A1:F1) | 2 header | 3 {%row for%} | 4 loop row | 5 {%row endfor%}
          6 合计 (SUM/AVERAGE/COUNTIF over C4:C4) | 7 sign-off (merged A7:C7) | 8 note
    """
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "一览表"
    ws["A1"] = "{{ title }}"
    ws["A1"].font = Font(name="黑体", size=16, bold=True)
    ws.merge_cells("A1:F1")
    for col, h in enumerate(["序号", "指标", "完成值", "排名", "预警", "说明"], 1):
        c = ws.cell(2, col, h)
        c.border = BORDER
        c.font = Font(name="黑体", bold=True)
    ws["A3"] = "{%row for i in items %}"
    row = ["{{ loop.index }}", "{{ i.name }}", "{{ i.value }}", "{{ i.rank }}", "{{ i.warn }}", "{{ i.note }}"]
    for col, v in enumerate(row, 1):
        c = ws.cell(4, col, v)
        c.border = BORDER
        c.font = Font(name="仿宋", size=12)
    ws["C4"].number_format = "0.00"
    ws.merge_cells("F4:G4")  # a merged cell inside the loop row
    ws.row_dimensions[4].height = 27.5
    ws["A5"] = "{%row endfor %}"
    ws["A6"] = "合计"
    ws["C6"] = "=SUM(C4:C4)"
    ws["D6"] = "=AVERAGE($D$4:$D$4)"
    ws["E6"] = '=COUNTIF(E4:E4,"红")'
    ws["A7"] = "审核：          签发："
    ws.merge_cells("A7:C7")
    ws["A8"] = "注：{{ note }}"
    ws.row_dimensions[7].height = 33
    red = PatternFill("solid", fgColor="FFC7CE")
    green = PatternFill("solid", fgColor="C6EFCE")
    ws.conditional_formatting.add("D4:D4", CellIsRule(operator="greaterThan", formula=["4"], fill=red))
    ws.conditional_formatting.add("E4:E4", FormulaRule(formula=['$E4="绿"'], fill=green))
    dv = DataValidation(type="list", formula1='"绿,黄,红"', allow_blank=True)
    ws.add_data_validation(dv)
    dv.add("E4:E4")
    ws.print_title_rows = "2:2"
    ws.print_area = "A1:G8"
    ws.freeze_panes = "A3"
    ws.auto_filter.ref = "A2:F4"
    ws.row_breaks.append(Break(id=6))
    ws.oddHeader.center.text = "{{ title }}"
    ws.oddFooter.center.text = "第 &P 页 共 &N 页"
    wb.defined_names["指标区"] = openpyxl.workbook.defined_name.DefinedName("指标区", attr_text="'一览表'!$B$4:$B$4")
    wb.defined_names["合计行"] = openpyxl.workbook.defined_name.DefinedName("合计行", attr_text="'一览表'!$A$6:$F$6")
    if with_image:
        img = RawImage(png_bytes(), 40, 30)
        ws.add_image(img, "B10")
    if with_chart:
        ch = BarChart()
        ch.title = "完成值"
        ch.add_data(Reference(ws, min_col=3, min_row=4, max_row=4), titles_from_data=False)
        ch.set_categories(Reference(ws, min_col=2, min_row=4, max_row=4))
        ws.add_chart(ch, "D10")
    wb.save(path)
    return path


def items(n: int) -> list[dict]:
    warn = ["绿", "黄", "红"]
    return [{"name": f"指标{k + 1}", "value": k * 1.5, "rank": k % 6 + 1, "warn": warn[k % 3],
             "note": f"说明{k}"} for k in range(n)]


def zip_text(path: Path, part: str) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read(part).decode("utf-8")


def zip_names(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as z:
        return z.namelist()


def sheet_xml(path: Path, n: int = 1) -> str:
    return zip_text(path, f"xl/worksheets/sheet{n}.xml")


def chart_refs(path: Path) -> list[str]:
    out = []
    with zipfile.ZipFile(path) as z:
        for n in sorted(z.namelist()):
            if re.match(r"xl/charts/chart\d+\.xml$", n):
                out += re.findall(r"<(?:c:)?f>(.*?)</(?:c:)?f>", z.read(n).decode("utf-8"))
    return out


def bench_template(path: Path, cols: int = 8, autofit: bool = False) -> Path:
    """A styled loop row of `cols` cells with CF and DV (for bench/bench_engine.py);
    `autofit`: the loop row wraps its text columns and carries {%row autofit %}."""
    from openpyxl.styles import Alignment

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "明细"
    for c in range(1, cols + 1):
        ws.cell(1, c, f"列{c}").font = Font(name="黑体", bold=True)
    ws["A2"] = "{%row for r in rows %}"
    for c in range(1, cols + 1):
        cell = ws.cell(3, c, "{{ r[%d] }}" % (c - 1))
        cell.border = BORDER
        cell.font = Font(name="仿宋", size=12)
        if c > 2:
            cell.number_format = "0.00"
        elif autofit:
            cell.alignment = Alignment(wrap_text=True)
    if autofit:
        ws["A3"] = "{%row autofit %}{{ r[0] }}"
        ws.row_dimensions[3].height = 18
    ws["A4"] = "{%row endfor %}"
    ws.conditional_formatting.add("D3:D3", CellIsRule(operator="greaterThan", formula=["4"],
                                                     fill=PatternFill("solid", fgColor="FFC7CE")))
    dv = DataValidation(type="list", formula1='"绿,黄,红"')
    ws.add_data_validation(dv)
    dv.add("C3:C3")
    wb.save(path)
    return path
