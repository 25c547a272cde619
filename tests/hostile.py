"""Builders of the files an office's input folder really receives: good official
tables, and broken or hostile ones made the way they arrive (a password set in
Excel, a download cut short, a web system's "Excel export" that is HTML, a zip
bomb, an XML entity bomb, a sheet that claims or really has a cell at XFD1048576).

Every builder writes one file at `path` and returns it. Nothing here touches the
network; the encrypted-OOXML builder needs the test-only `msoffcrypto-tool`.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

TITLE = "2023年度高质量发展综合绩效考核指标完成情况一览表"
HEADER = ["序号", "指标属性", "指标名称", "分值", "责任单位",
          "2022年度\n完成情况（位次）", "2023年度\n县定目标", "截至本月底\n完成情况", "六县市\n排名", "预警提示"]
ROWS = [
    [1, "共性指标", "地区生产总值增速", "5分", "牵头：县发改局\n参与：县统计局", "6.2%（3）", "7%", "增长6.5%", "第2名", "绿"],
    [2, "共性指标", "固定资产投资增速", "4分", "县发改局", "8.1%（2）", "10%", "6.2%", "3/6", "黄"],
    [3, "共性指标", "一般公共预算收入增速", "4", "县财政局", "5.5%（4）", "6%", "—", "", ""],
    [4, "特色指标", "规上工业增加值增速", "3 (高新区6)", "县工信局、县统计局", "7.0%（1）", "8%", "７.２", "1", "绿"],
    [5, "约束条件", "安全生产", "约束条件", "县应急局", "/", "---", "", "", ""],
]
FOOTNOTE = "注：1.数据来源于市统计局；2.错年数据按上年度计。"


# --------------------------------------------------------------------------- good
def official_xlsx(path: Path, rows: list[list] | None = None) -> Path:
    """An official-style overview table as Excel/WPS users make it: 附件2 label,
    title merged across, header with line breaks, category merged down, footnote."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    rows = ROWS if rows is None else rows
    wb = Workbook()
    ws = wb.active
    ws.title = "一览表"
    ws["A1"] = "附件2"
    ws["A1"].font = Font(name="黑体", size=16)
    ws["A2"] = TITLE
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(HEADER))
    ws["A2"].alignment = Alignment(horizontal="center")
    thin = Side(style="thin")
    for c, h in enumerate(HEADER, 1):
        cell = ws.cell(row=3, column=c, value=h)
        cell.alignment = Alignment(wrap_text=True)
        cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)
    for r, row in enumerate(rows, 4):
        for c, v in enumerate(row, 1):
            ws.cell(row=r, column=c, value=v)
    if len(rows) >= 2:
        ws.merge_cells(start_row=4, start_column=2, end_row=5, end_column=2)
    foot = 4 + len(rows)
    ws.cell(row=foot, column=1, value=FOOTNOTE)
    ws.merge_cells(start_row=foot, start_column=1, end_row=foot, end_column=len(HEADER))
    ws2 = wb.create_sheet("填报说明")
    ws2["A1"] = "每月6日前报送"
    wb.save(path)
    return Path(path)


def official_xls(path: Path, rows: list[list] | None = None) -> Path:
    """The same table as an old .xls (xlwt writes BIFF8 in an OLE2 container)."""
    Path(path).write_bytes(_official_xls_bytes(rows))
    return Path(path)


def _official_xls_workbook(rows: list[list] | None = None):
    import xlwt

    rows = ROWS if rows is None else rows
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("一览表")
    ws.write(0, 0, "附件2")
    ws.write_merge(1, 1, 0, len(HEADER) - 1, TITLE)
    wrap = xlwt.easyxf("align: wrap on; borders: left thin, right thin, top thin, bottom thin")
    for c, h in enumerate(HEADER):
        ws.write(2, c, h, wrap)
    for r, row in enumerate(rows, 3):
        for c, v in enumerate(row):
            if c == 1 and r == 4 and len(rows) >= 2:
                continue  # covered by the merge below
            if c == 1 and r == 3 and len(rows) >= 2:
                ws.write_merge(3, 4, 1, 1, v)
                continue
            ws.write(r, c, v)
    foot = 3 + len(rows)
    ws.write_merge(foot, foot, 0, len(HEADER) - 1, FOOTNOTE)
    ws2 = wb.add_sheet("填报说明")
    ws2.write(0, 0, "每月6日前报送")
    return wb


def _official_xls_bytes(rows: list[list] | None = None) -> bytes:
    buf = io.BytesIO()
    _official_xls_workbook(rows).save(buf)
    return buf.getvalue()


# --------------------------------------------------------------------- zip tools
def zip_members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist()}


def write_zip(path: Path, members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return Path(path)


def rezip_with(src: Path, dst: Path, **replace: bytes) -> Path:
    """Copy an xlsx replacing members (keyword: member name with '/' as '__')."""
    members = zip_members(src)
    for key, data in replace.items():
        members[key.replace("__", "/")] = data
    return write_zip(dst, members)


SHEET1 = "xl/worksheets/sheet1.xml"
SST = "xl/sharedStrings.xml"


def sheet_xml(cells: str, dimension: str | None = "A1:B2", merges: str = "") -> bytes:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    merge = f"<mergeCells>{merges}</mergeCells>" if merges else ""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f"{dim}<sheetData>{cells}</sheetData>{merge}</worksheet>"
    ).encode()


def _with_sheet(tmp_src: Path, dst: Path, xml: bytes) -> Path:
    return rezip_with(tmp_src, dst, **{SHEET1.replace("/", "__"): xml})


def _base(dst: Path) -> Path:
    base = Path(dst).with_name(Path(dst).stem + ".base.xlsx")
    official_xlsx(base)
    return base


# ----------------------------------------------------------------- hostile xlsx
def dimension_claim_xlsx(path: Path) -> Path:
    """A few real cells, but the sheet claims <dimension ref="A1:XFD1048576">."""
    cells = ('<row r="1"><c r="A1" t="inlineStr"><is><t>指标名称</t></is></c>'
             '<c r="B1"><v>5</v></c></row>')
    return _with_sheet(_base(path), path, sheet_xml(cells, "A1:XFD1048576"))


def far_cell_xlsx(path: Path, ref: str = "XFD1048576") -> Path:
    """A real value at A1 and another at `ref`: a grid spanning them is huge."""
    cells = (f'<row r="1"><c r="A1"><v>1</v></c></row>'
             f'<row r="{ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")}"><c r="{ref}"><v>2</v></c></row>')
    return _with_sheet(_base(path), path, sheet_xml(cells, f"A1:{ref}"))


def implicit_far_xlsx(path: Path, width: int = 16384, height: int = 1048576) -> Path:
    """The same extent without any r="" attribute: one row of `width` cells, then a
    row placed at `height` — cells and rows counted by position, as the spec allows."""
    row1 = "<row>" + "<c><v>1</v></c>" * width + "</row>"
    last = f'<row r="{height}"><c><v>2</v></c></row>'
    return _with_sheet(_base(path), path, sheet_xml(row1 + last, None))


def merge_bomb_xlsx(path: Path, copies: int = 200) -> Path:
    """Few cells, but hundreds of merges each covering the whole usable sheet."""
    merges = '<mergeCell ref="A1:XFD1048576"/>' * copies
    cells = '<row r="1"><c r="A1"><v>1</v></c></row>'
    return _with_sheet(_base(path), path, sheet_xml(cells, "A1:A1", merges))


def entity_bomb_xlsx(path: Path, member: str = SST) -> Path:
    """Billion laughs in a part calamine reads (shared strings by default)."""
    ents = ['<!ENTITY lol "lol">']
    for i in range(1, 10):
        prev = f"&lol{i - 1};" if i > 1 else "&lol;"
        ents.append(f'<!ENTITY lol{i} "{prev * 10}">')
    xml = ('<?xml version="1.0"?>\n<!DOCTYPE lolz [' + "".join(ents) + ']>'
           '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
           '<si><t>&lol9;</t></si></sst>')
    if member != SST:
        xml = ('<?xml version="1.0"?>\n<!DOCTYPE lolz [' + "".join(ents) + ']>'
               + sheet_xml('<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>').decode()
               .split("\n", 1)[1])
    return rezip_with(_base(path), path, **{member.replace("/", "__"): xml.encode()})


def xxe_xlsx(path: Path) -> Path:
    """External entity pointing at a local file (XXE)."""
    xml = ('<?xml version="1.0"?>\n<!DOCTYPE sst [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
           '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
           '<si><t>&x;</t></si></sst>')
    return rezip_with(_base(path), path, **{SST.replace("/", "__"): xml.encode()})


def utf16_entity_xlsx(path: Path) -> Path:
    """The entity bomb again, its part encoded as UTF-16 to slip past a byte scan."""
    xml = ('<?xml version="1.0" encoding="UTF-16"?>\n<!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa">]>'
           '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&a;</t></si></sst>')
    return rezip_with(_base(path), path, **{SST.replace("/", "__"): b"\xff\xfe" + xml.encode("utf-16-le")})


def zip_bomb_xlsx(path: Path, size: int = 300 * 1024 * 1024, member: str = SHEET1) -> Path:
    """A sheet member that inflates to `size` bytes (whitespace: valid XML)."""
    members = zip_members(_base(path))
    head = sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            if name != member:
                zf.writestr(name, data)
                continue
            zi = zipfile.ZipInfo(name)
            zi.compress_type = zipfile.ZIP_DEFLATED
            with zf.open(zi, "w", force_zip64=True) as out:
                out.write(head[:-len("</worksheet>")])
                chunk = b" " * (1 << 20)
                left = size
                while left > 0:
                    out.write(chunk[:left])
                    left -= len(chunk)
                out.write(b"</worksheet>")
    return Path(path)


def lying_size_xlsx(path: Path, real: int = 64 * 1024 * 1024) -> Path:
    """A sheet member whose central-directory size says 2 KB but which inflates to
    `real` bytes (the header lies; the CRC is that of the first 2 KB)."""
    base = _base(path)
    members = zip_members(base)
    head = sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>')
    body = head[:-len("</worksheet>")] + b" " * real + b"</worksheet>"
    write_zip(path, {**members, SHEET1: body})
    data = bytearray(Path(path).read_bytes())
    lie = 2048
    crc = zlib.crc32(body[:lie])
    name = SHEET1.encode()
    # local header
    off = data.find(b"PK\x03\x04" + b"\x00" * 0)  # first header
    while off >= 0:
        nlen = struct.unpack_from("<H", data, off + 26)[0]
        if bytes(data[off + 30:off + 30 + nlen]) == name:
            struct.pack_into("<I", data, off + 14, crc)
            struct.pack_into("<I", data, off + 22, lie)
            break
        off = data.find(b"PK\x03\x04", off + 4)
    off = data.find(b"PK\x01\x02")
    while off >= 0:
        nlen = struct.unpack_from("<H", data, off + 28)[0]
        if bytes(data[off + 46:off + 46 + nlen]) == name:
            struct.pack_into("<I", data, off + 16, crc)
            struct.pack_into("<I", data, off + 24, lie)
            break
        off = data.find(b"PK\x01\x02", off + 4)
    Path(path).write_bytes(bytes(data))
    return Path(path)


def many_members_xlsx(path: Path, n: int = 300, each: int = 1024 * 1024 - 8) -> Path:
    """Hundreds of 1 MB members: each small, the sum a bomb (all declared honestly)."""
    members = zip_members(_base(path))
    blob = b"<x>" + b" " * each + b"</x>"
    for i in range(n):
        members[f"xl/media/junk{i}.xml"] = blob
    return write_zip(path, members)


def truncated(src: Path, dst: Path, fraction: float = 0.6) -> Path:
    """A download or copy that stopped part-way."""
    data = Path(src).read_bytes()
    Path(dst).write_bytes(data[: int(len(data) * fraction)])
    return Path(dst)


def xlsb_like(path: Path) -> Path:
    members = zip_members(_base(path))
    members = {k.replace("workbook.xml", "workbook.bin"): v for k, v in members.items()}
    return write_zip(path, members)


def docx_like(path: Path) -> Path:
    """A Word document renamed .xlsx (what the zip holds, minimally)."""
    return write_zip(path, {
        "[Content_Types].xml": b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        "word/document.xml": b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>',
    })


def plain_zip(path: Path) -> Path:
    """A zip of several reports renamed .xlsx."""
    return write_zip(path, {"报表/说明.txt": "请查收".encode("gbk"), "报表/data.csv": b"a,b\n1,2\n"})


def ods_like(path: Path) -> Path:
    return write_zip(path, {
        "mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
        "content.xml": b'<?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"/>',
    }, zipfile.ZIP_STORED)


# ----------------------------------------------------------------- encrypted
def encrypted_xlsx(path: Path, password: str = "123456") -> Path:
    """An xlsx saved with 文件加密 (Excel 2010+ agile encryption): needs msoffcrypto-tool."""
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = Path(path).with_name(Path(path).stem + ".plain.xlsx")
    official_xlsx(plain)
    with open(plain, "rb") as src, open(path, "wb") as out:
        OOXMLFile(src).encrypt(password, out)
    return Path(path)


def _biff_records(data: bytes):
    pos = 0
    while pos + 4 <= len(data):
        rtype, size = struct.unpack_from("<HH", data, pos)
        yield rtype, data[pos:pos + 4 + size]
        pos += 4 + size


def _save_ole(path: Path, workbook_stream: bytes) -> Path:
    from xlwt.CompoundDoc import XlsDoc

    buf = io.BytesIO()
    XlsDoc().save(buf, workbook_stream)
    Path(path).write_bytes(buf.getvalue())
    return Path(path)


def encrypted_xls(path: Path) -> Path:
    """A .xls with 打开权限密码: Excel puts a FILEPASS record right after the
    workbook BOF (here RC4 CryptoAPI, as Excel 2003+ writes by default) and
    encrypts what follows. The record layout is real; the body is left plain."""
    stream = _official_xls_workbook().get_biff_data()
    # FILEPASS: wEncryptionType=1 (RC4), then RC4 CryptoAPI header version 4.2
    header = struct.pack("<HHH", 1, 4, 2) + b"\x00" * 48
    filepass = struct.pack("<HH", 0x002F, len(header)) + header
    recs = list(_biff_records(stream))
    out = recs[0][1] + filepass + b"".join(r for _, r in recs[1:])
    return _save_ole(path, out)


def xls_far_cell(path: Path, row: int = 65535, col: int = 255) -> Path:
    """A .xls with a number at A1 and one at IV65536 (the BIFF8 maximum)."""
    import xlwt

    wb = xlwt.Workbook()
    ws = wb.add_sheet("Sheet1")
    ws.write(0, 0, 1)
    ws.write(row, col, 2)
    wb.save(str(path))
    return Path(path)


def ole_other(path: Path, stream_name: str = "WordDocument") -> Path:
    """An OLE2 file that is not a workbook (a .doc renamed .xls)."""
    from xlwt.CompoundDoc import XlsDoc

    doc = XlsDoc()
    # xlwt names the stream "Workbook"; patch the UTF-16 name in the directory.
    buf = io.BytesIO()
    doc.save(buf, b"\x00" * 5000)
    data = bytearray(buf.getvalue())
    old = "Workbook".encode("utf-16-le")
    new = stream_name.encode("utf-16-le")[:62].ljust(64, b"\x00")
    i = data.find(old)
    data[i:i + 64] = new
    # directory entry name length field (bytes incl. terminating NUL) at +64
    struct.pack_into("<H", data, i + 64, min(len(stream_name), 31) * 2 + 2)
    Path(path).write_bytes(bytes(data))
    return Path(path)


# ------------------------------------------------------------ not a workbook
def empty(path: Path) -> Path:
    Path(path).write_bytes(b"")
    return Path(path)


def renamed_csv(path: Path) -> Path:
    """A CSV saved by a web system in GBK and renamed .xls."""
    text = "序号,指标名称,分值,责任单位\r\n1,地区生产总值增速,5,县发改局\r\n2,固定资产投资增速,4,县发改局\r\n"
    Path(path).write_bytes(text.encode("gbk"))
    return Path(path)


def renamed_utf16_tsv(path: Path) -> Path:
    """Excel's 「Unicode 文本」 export (UTF-16 with BOM, tab separated) renamed .xls."""
    text = "序号\t指标名称\t分值\r\n1\t地区生产总值增速\t5\r\n"
    Path(path).write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    return Path(path)


def renamed_text(path: Path) -> Path:
    Path(path).write_bytes("关于报送2023年10月考核指标进展情况的通知\n各责任单位：\n请于每月6日前报送。\n".encode("utf-8"))
    return Path(path)


def html_as_xls(path: Path) -> Path:
    """What many government web systems send as 导出Excel: an HTML table named .xls."""
    html = ('<html xmlns:o="urn:schemas-microsoft-com:office:office" '
            'xmlns:x="urn:schemas-microsoft-com:office:excel" xmlns="http://www.w3.org/TR/REC-html40">\r\n'
            '<head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
            '<!--[if gte mso 9]><xml><x:ExcelWorkbook><x:ExcelWorksheets><x:ExcelWorksheet>'
            '<x:Name>Sheet1</x:Name></x:ExcelWorksheet></x:ExcelWorksheets></x:ExcelWorkbook></xml><![endif]-->'
            '</head><body><table border="1"><tr><td>序号</td><td>指标名称</td><td>分值</td></tr>'
            '<tr><td>1</td><td>地区生产总值增速</td><td>5</td></tr></table></body></html>')
    Path(path).write_bytes(html.encode("gbk"))
    return Path(path)


def spreadsheetml2003(path: Path) -> Path:
    """An "XML 表格 2003" file named .xls (another common export)."""
    xml = ('<?xml version="1.0" encoding="UTF-8"?>\n<?mso-application progid="Excel.Sheet"?>\n'
           '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
           'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="Sheet1"><Table>'
           '<Row><Cell><Data ss:Type="String">序号</Data></Cell></Row></Table></Worksheet></Workbook>')
    Path(path).write_bytes(xml.encode())
    return Path(path)


def mht_as_xls(path: Path) -> Path:
    """A 单个文件网页 (.mht) named .xls."""
    text = ('MIME-Version: 1.0\r\nX-Document-Type: Workbook\r\nContent-Type: multipart/related; '
            'boundary="----=_NextPart_01D9"\r\n\r\n------=_NextPart_01D9\r\n')
    Path(path).write_bytes(text.encode())
    return Path(path)


def pdf_as_xlsx(path: Path) -> Path:
    Path(path).write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")
    return Path(path)


def png_as_xlsx(path: Path) -> Path:
    Path(path).write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 32)
    return Path(path)


def rar_as_xlsx(path: Path) -> Path:
    Path(path).write_bytes(b"Rar!\x1a\x07\x01\x00" + b"\x00" * 64)
    return Path(path)


def random_bytes(path: Path, n: int = 4096, seed: int = 1) -> Path:
    import random

    rnd = random.Random(seed)
    Path(path).write_bytes(b"\x13\x37" + bytes(rnd.getrandbits(8) for _ in range(n)))
    return Path(path)


def xls_dimension_claim(path: Path, rows: int = 1048576 * 4, cols: int = 256) -> Path:
    """A .xls whose DIMENSIONS record claims far more rows than BIFF8 allows
    (a damaged or crafted header): calamine reserves the whole range up front."""
    stream = bytearray(_official_xls_workbook().get_biff_data())
    pos = 0
    while pos + 4 <= len(stream):
        rtype, size = struct.unpack_from("<HH", stream, pos)
        if rtype == 0x0200 and size >= 14:
            struct.pack_into("<IIHH", stream, pos + 4, 0, rows, 0, cols)
            break
        pos += 4 + size
    return _save_ole(path, bytes(stream))


# ------------------------------------------------ odd but good: read them right
def xls_codepage(path: Path, codepage: int = 1252, src: Path | None = None) -> Path:
    """The official .xls (or `src`) with a CODEPAGE record other than UTF-16 (1200),
    as jxl and other exporters write it. BIFF8 text is UTF-16 whatever the record
    says, but calamine decodes it with that codepage and returns mojibake, silently."""
    if src is None:
        stream = bytearray(_official_xls_workbook().get_biff_data())
    else:
        import olefile

        with olefile.OleFileIO(str(src)) as ole:
            stream = bytearray(ole.openstream("Workbook").read())
    pos = 0
    while pos + 4 <= len(stream):
        rtype, size = struct.unpack_from("<HH", stream, pos)
        if rtype == 0x0042:
            struct.pack_into("<H", stream, pos + 4, codepage)
        pos += 4 + size
    return _save_ole(path, bytes(stream))


def _rec(rtype: int, body: bytes) -> bytes:
    return struct.pack("<HH", rtype, len(body)) + body


def biff5_xls(path: Path, sheet: str = "一览表") -> Path:
    """The official table (values only: BIFF5 has no merge record) as Excel 5.0/95
    saves it on a Chinese Windows: stream "Book", CODEPAGE 936, 8-bit GBK text."""
    rows = [["附件2"], [TITLE], HEADER] + [list(r) for r in ROWS] + [[FOOTNOTE]]
    cells = b""
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            if isinstance(v, (int, float)):
                cells += _rec(0x0203, struct.pack("<HHHd", r, c, 15, float(v)))
            else:
                b = str(v).encode("gbk")
                cells += _rec(0x0204, struct.pack("<HHHH", r, c, 15, len(b)) + b)
    font = _rec(0x0031, struct.pack("<HHHHHBBBB", 200, 0, 0x7FFF, 400, 0, 0, 0, 0, 0) + b"\x05Arial")
    name = sheet.encode("gbk")

    def globals_(offset: int) -> bytes:
        return (_rec(0x0809, struct.pack("<HHHH", 0x0500, 0x0005, 0x1FD2, 0x07CD)) + _rec(0x0042, struct.pack("<H", 936))
                + font * 5 + _rec(0x00E0, b"\x00" * 16) * 16
                + _rec(0x0085, struct.pack("<IHB", offset, 0, len(name)) + name) + _rec(0x000A, b""))

    body = (_rec(0x0809, struct.pack("<HHHH", 0x0500, 0x0010, 0x1FD2, 0x07CD))
            + _rec(0x0200, struct.pack("<HHHHH", 0, len(rows), 0, len(HEADER), 0)) + cells + _rec(0x000A, b""))
    stream = globals_(len(globals_(0))) + body
    from xlwt.CompoundDoc import XlsDoc

    buf = io.BytesIO()
    XlsDoc().save(buf, stream)
    data = bytearray(buf.getvalue())
    i = data.find("Workbook".encode("utf-16-le"))  # Excel 5.0 names the stream "Book"
    data[i:i + 64] = "Book".encode("utf-16-le").ljust(64, b"\x00")
    struct.pack_into("<H", data, i + 64, len("Book") * 2 + 2)
    Path(path).write_bytes(bytes(data))
    return Path(path)


def macrosheet_xlsx(path: Path, src: Path | None = None) -> Path:
    """The official table (or `src`) with a hidden Excel 4.0 macro sheet in front (old
    .xlsm templates): calamine refuses the whole workbook ("Unrecognized sheet type")."""
    m = zip_members(src or official_xlsx(_base(path)))
    m["xl/macrosheets/sheet1.xml"] = (b'<xm:macrosheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                                      b'xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main"><sheetData><row r="1">'
                                      b'<c r="A1" t="str"><f>EXEC("calc.exe")</f><v>x</v></c></row></sheetData></xm:macrosheet>')
    m["xl/_rels/workbook.xml.rels"] = m["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>", b'<Relationship Type="http://schemas.microsoft.com/office/2006/relationships/xlMacrosheet" '
                             b'Target="macrosheets/sheet1.xml" Id="rIdM1"/></Relationships>')
    m["xl/workbook.xml"] = m["xl/workbook.xml"].replace(
        b"<sheets>", b'<sheets><sheet name="Macro1" sheetId="99" state="hidden" r:id="rIdM1"/>')
    return write_zip(path, m)


def broken_styles_xlsx(path: Path, src: Path | None = None) -> Path:
    """The official table (or `src`) whose styles part is cut off (Excel repairs it on open)."""
    m = zip_members(src or official_xlsx(_base(path)))
    m["xl/styles.xml"] = m["xl/styles.xml"][: len(m["xl/styles.xml"]) // 2]
    return write_zip(path, m)


def damaged_second_sheet_xlsx(path: Path) -> Path:
    """The official table whose second sheet (填报说明) is not XML any more."""
    m = zip_members(official_xlsx(_base(path)))
    m["xl/worksheets/sheet2.xml"] = bytes(range(256)) * 8
    return write_zip(path, m)


def positional_cells_xlsx(path: Path, rows: int, cols: int, lead: int = 0) -> Path:
    """A sheet whose rows and cells carry no r= (placed by position, as some
    exporters write them): `rows` rows of `lead` empty cells then `cols` numbers."""
    row = "<row>" + "<c/>" * lead + "<c><v>7</v></c>" * cols + "</row>"
    return _with_sheet(_base(path), path, sheet_xml(row * rows, dimension=None))


def zip_of_workbooks(path: Path) -> Path:
    """The month's files packed into one archive by the sender (8月报表.zip),
    names in GBK without the UTF-8 flag as Chinese zip tools write them."""
    members = {"8月报表/叶县发改委8月.xlsx": official_xlsx(_base(path)).read_bytes(),
               "8月报表/叶县人社局8月.xls": _official_xls_bytes()}
    class GbkName(zipfile.ZipInfo):
        def _encodeFilenameFlags(self):
            return self.filename.encode("gbk"), self.flag_bits  # no UTF-8 flag

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            info = GbkName(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return Path(path)
