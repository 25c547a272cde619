"""Checks made before a workbook is parsed, so that a broken or hostile file is
named in Chinese instead of being expanded in memory (engine layer, the bottom of
read/: it imports nothing from read/).

`check_file(path)` is called by `grid.read_grids` before an engine sees the
file. It reads only what it needs, with every size bounded:

* What the bytes are. Empty, truncated, a CSV / text / HTML page / XML 2003
  table / .mht / PDF / picture / archive / Word file wearing an Excel name: each
  gets its own message saying what it is and what to do.
* xlsx / xlsm (a zip): the central directory is read first and the file refused
  if it holds too many members, if a member or the sum declares more than the
  caps (zip bomb), if a member compresses at an impossible ratio, or if a member
  is encrypted or uses a compression no spreadsheet program writes. Then every
  member is inflated by us, as a stream, never past its declared size (a member
  that inflates to more than it declares is refused: the classic lying header),
  its CRC checked (a cut-off download fails here), and scanned:
  - a DOCTYPE or ENTITY declaration in any part is refused (entity bombs, XXE;
    Excel never writes one). The scan also looks for the UTF-16 spellings.
  - inside `<sheetData>` the rows and cells are followed as calamine follows
    them (explicit `r=` or counted by position) and the area the sheet's values
    span is computed. calamine allocates that whole rectangle, so one value at
    XFD1048576 would make it ask for 512 GB and abort the process (measured:
    an uncatchable Rust abort). A sheet whose values span more than
    MAX_SHEET_CELLS is refused, naming the sheet and the far cell. A mere
    `<dimension ref="A1:XFD1048576">` claim is harmless (calamine ignores it;
    measured) and is not refused.
  - the shared-string table is refused past MAX_SHARED_STRINGS entries.
  .xlsm files are read like .xlsx: calamine reads cell values only and never
  runs, loads or copies the VBA project (vbaProject.bin is never opened).
* OLE2 files: an encrypted OOXML package (streams EncryptionInfo and
  EncryptedPackage) or an .xls whose workbook stream carries a FILEPASS record
  is refused as encrypted; a Word/PowerPoint file is named as such; for an .xls
  the BIFF cell records are scanned for the same area guard (a value at IV65536
  makes calamine allocate about 1 GB; measured).

Everything is bounded by MAX_FILE_BYTES on disk and the caps below, so memory
stays within a few hundred MB and time within a few seconds per file.

`check_file` returns what the bytes are (`FileKind`), whatever the name says:
an .xls renamed .xlsx (or the reverse, or an .et, or no extension at all) is
opened by its content (`open_calamine`), and an .xls whose text calamine would
garble (BIFF5, or a CODEPAGE other than UTF-16) is flagged for xlrd.
"""

from __future__ import annotations

import html
import io
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from kaohe_excel.problems import ERROR, InputError, Problem, cell_ref

# ---------------------------------------------------------------- limits
MAX_FILE_BYTES = 100 * 1024 * 1024        # a file on disk
IN_MEMORY_BYTES = 16 * 1024 * 1024        # a package read into memory once (check_file), then parsed from there
MAX_ZIP_ENTRIES = 5000                    # members of an xlsx
MAX_CENTRAL_DIR_BYTES = 4 * 1024 * 1024   # the zip's directory itself
MAX_MEMBER_BYTES = 50 * 1024 * 1024       # one member, inflated
MAX_TOTAL_BYTES = 100 * 1024 * 1024       # all members, inflated
MAX_RATIO = 1000                          # inflated / compressed, members > RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024
MAX_SHEET_CELLS = 3_000_000               # rows x cols of the rectangle calamine allocates
MAX_SHARED_STRINGS = 1_000_000
MAX_TAG_BYTES = 1024 * 1024               # one start tag (attributes included)
MAX_OLE_STREAM_BYTES = 100 * 1024 * 1024
MAX_MERGED_CELLS = 200_000                # cells covered by all merges of one sheet
MAX_MERGES = 20_000                       # merged ranges in one sheet
# Sheet parts (inflated XML) scanned per workbook: a part over SMALL_SHEET_BYTES past
# this is not scanned and its sheet not read (grid.read_grids names it). Scanning
# runs at about 30 ms a megabyte, and no sheet anyone sends comes near: the cells a
# workbook may hand on (grid.MAX_WORKBOOK_CELLS) take a few MB at most.
MAX_SCANNED_SHEET_BYTES = 24 * 1024 * 1024
SMALL_SHEET_BYTES = 1024 * 1024
# The parts kept for the flag scan (FileKind.parts): a sheet part up to this size, and
# no more than KEPT_TOTAL_BYTES in all; a larger one is read again by the flag scan.
KEPT_PART_BYTES = 8 * 1024 * 1024
KEPT_TOTAL_BYTES = 16 * 1024 * 1024
_FLAG_PARTS = frozenset({"xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml"})

CHUNK = 1024 * 1024

def _member_label(name: str) -> str:
    """'xl/worksheets/sheet2.xml' means little to a clerk: say which part of the workbook it is."""
    m = re.fullmatch(r"xl/worksheets/sheet(\d+)\.xml", name.replace("\\", "/"), re.I)
    if m:
        return f"{name}，一般是第 {m.group(1)} 个工作表的数据"
    if name.lower().endswith("sharedstrings.xml"):
        return f"{name}，全部单元格文字"
    if "/media/" in name.lower():
        return f"{name}，插入的图片"
    return name


# ---------------------------------------------------------------- messages
MSG_MISSING = "文件不存在"
MSG_NOT_FILE = "这不是一个文件（可能是文件夹），请检查"
MSG_EMPTY = "文件是空的（0 字节），可能保存或复制未完成，请重新报送"
MSG_TOO_BIG = "文件过大（{size}），超出可处理的上限 {limit}，请删除无关的工作表、图片后重新报送"
MSG_BROKEN = "文件不完整或已损坏（可能下载或复制未完成），请重新报送"
MSG_ENCRYPTED = "文件已加密，请取消密码后重新报送"
MSG_BOMB = ("文件内容异常：压缩包中「{member}」解压后达 {size}，超出可处理的上限 {limit}"
            "（数据过多，或是恶意构造的压缩炸弹），已拒绝读取")
MSG_RATIO = ("文件内容异常：压缩包中「{member}」的压缩比高达 {ratio}:1"
             "（可能是恶意构造的压缩炸弹），已拒绝读取")
MSG_LYING = ("文件内容异常：压缩包中「{member}」实际解压大小与其声明不符"
             "（文件已损坏或被恶意构造），已拒绝读取")
MSG_TOTAL = "文件内容异常：压缩包解压后合计超过 {limit}（可能是恶意构造的压缩炸弹），已拒绝读取"
MSG_TOO_MANY = "文件内容异常：压缩包中有 {n} 个部件，超出上限 {limit}，已拒绝读取"
MSG_DTD = ("文件内容异常：「{member}」中含有 DOCTYPE/ENTITY 声明，Excel 和 WPS 从不写入这种内容"
           "（可能是恶意构造的文件），已拒绝读取")
MSG_AREA = ("工作表中单元格 {cell} 有内容，使数据区域达到 {rows} 行 × {cols} 列，超出可读取的范围"
            "（最多约 {limit} 万个单元格）。请删除该处及多余的行列后另存，重新报送")
MSG_DIM_CLAIM = ("工作表的尺寸记录声明数据区域达到 {rows} 行 × {cols} 列，超出可读取的范围"
                 "（最多约 {limit} 万个单元格），文件已损坏或被恶意构造，已拒绝读取；"
                 "请用 Excel 或 WPS 打开后「另存为」.xlsx 再报送")
MSG_STRINGS = "文件内容异常：共享字符串超过 {limit} 个，已拒绝读取"
MSG_MERGES = ("合并单元格的范围异常（共 {n} 处合并，覆盖 {area} 个单元格，超出上限 {limit}），"
              "文件已损坏或被恶意构造，已拒绝读取")
MSG_TAG = "文件内容异常：「{member}」中有超长的 XML 标记，文件已损坏或被恶意构造，已拒绝读取"
MSG_COMPRESSION = "文件使用了电子表格软件不会使用的压缩方式，文件已损坏或不是 Excel 工作簿，请另存为 .xlsx 后重新报送"
MSG_XLSB = "该文件是 Excel 二进制工作簿（.xlsb），请在 Excel 中「另存为」.xlsx 后重新报送"
MSG_ODS = "该文件是 OpenDocument 表格（.ods），请用 WPS 或 Excel 打开后「另存为」.xlsx 再报送"
MSG_ODF = "该文件是 OpenDocument 文档（不是表格），不是 Excel 工作簿，请检查是否发错了文件"
MSG_DOCX = "该文件是 Word 文档，不是 Excel 工作簿，请检查是否发错了文件"
MSG_PPTX = "该文件是 PowerPoint 演示文稿，不是 Excel 工作簿，请检查是否发错了文件"
MSG_ZIP = "该文件是一个压缩包（zip），不是 Excel 工作簿；请解压后报送其中的 Excel 文件"
MSG_NO_WORKBOOK = "文件不完整或已损坏：压缩包中缺少工作簿内容（xl/workbook.xml），请重新报送"
MSG_DOC = "该文件是 Word 文档（.doc），不是 Excel 工作簿，请检查是否发错了文件"
MSG_PPT = "该文件是 PowerPoint 演示文稿（.ppt），不是 Excel 工作簿，请检查是否发错了文件"
MSG_OLE_OTHER = "该文件是 Office 复合文档，但其中没有 Excel 工作簿，请检查是否发错了文件"
MSG_CSV = ("该文件实际上是 CSV 文本（逗号或制表符分隔），只是扩展名像 Excel；"
           "请用 Excel 或 WPS 打开后「另存为」.xlsx 再报送")
MSG_TEXT = "该文件是纯文本，不是 Excel 工作簿（可能改了扩展名），请检查是否发错了文件"
MSG_HTML = ("该文件实际上是网页（HTML）格式，只是扩展名为 .xls（业务系统「导出Excel」常见这种文件）；"
            "请用 Excel 或 WPS 打开后「另存为」.xlsx 再报送")
MSG_XML2003 = ("该文件是「XML 表格 2003」格式，只是扩展名像 Excel；"
               "请用 Excel 或 WPS 打开后「另存为」.xlsx 再报送")
MSG_MHT = "该文件是「单个文件网页」（.mht）格式，请用 Excel 或 WPS 打开后「另存为」.xlsx 再报送"
MSG_XML = "该文件是 XML 文本，不是 Excel 工作簿，请另存为 .xlsx 后重新报送"
MSG_RTF = "该文件是 RTF 文档，不是 Excel 工作簿，请检查是否发错了文件"
MSG_PDF = "该文件是 PDF 文档，不是 Excel 工作簿；请报送可编辑的 Excel 文件"
MSG_IMAGE = "该文件是图片，不是 Excel 工作簿；请报送可编辑的 Excel 文件"
MSG_ARCHIVE = "该文件是压缩包（{kind}），不是 Excel 工作簿；请解压后报送其中的 Excel 文件"
MSG_OLD_BIFF = "该文件是 Excel 4.0 或更早版本的格式，无法读取，请用 Excel 或 WPS「另存为」.xlsx 后重新报送"
MSG_UNKNOWN = "该文件不是 Excel 工作簿（无法识别的文件格式），请另存为 .xlsx 后重新报送"

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# calamine picks its reader by extension; these are the names it reads as-is
_CALAMINE_SUFFIXES = {"zip": {".xlsx", ".xlsm", ".xlam"}, "ole": {".xls", ".xla"}}


class SheetSize(NamedTuple):
    """What a sheet holds, before it is read: the rectangle its values span (rows x
    cols, what calamine allocates) and how many rows and cells hold a value."""

    rows: int
    cols: int
    filled_rows: int
    filled_cells: int


@dataclass
class FileKind:
    """What check_file found: the container, and for an .xls its BIFF version
    (5 for Excel 5.0/95, 8 for 97-2003) and CODEPAGE record (None if absent)."""

    container: str  # 'zip' | 'ole'
    biff: int | None = None
    codepage: int | None = None
    # sheet name -> its size as the scan found it; sheets it could not name are absent
    extents: dict[str, "SheetSize"] = field(default_factory=dict)
    # sheets past MAX_SCANNED_SHEET_BYTES: not scanned, so never to be parsed
    unscanned: list[str] = field(default_factory=list)
    # a zip's parts the flag scan reads (workbook, its relationships, styles, the sheets up to
    # KEPT_PART_BYTES each), as this scan inflated and checked them: the flags come from the same
    # pass (engine_calamine.cell_flags), not from a second inflate; `members`: every member's name
    parts: dict[str, bytes] = field(default_factory=dict, repr=False)
    members: tuple[str, ...] = ()
    # the file's bytes as they were checked, for a package up to IN_MEMORY_BYTES: what the
    # engine parses (open_calamine), so a file changed on disk meanwhile is never parsed
    # unchecked, and a unit's small file is opened once, not five times
    data: bytes | None = field(default=None, repr=False)

    @property
    def calamine_garbles_text(self) -> bool:
        """calamine decodes BIFF5 8-bit text, and BIFF8 UTF-16 text, with the
        CODEPAGE record: a Chinese BIFF5 file (codepage 936) or a BIFF8 file that
        says 1252 (jxl and other exporters write that) comes out as mojibake,
        silently (measured). xlrd reads both right."""
        if self.container != "ole":
            return False
        if self.biff is not None and self.biff < 8:
            return True
        return self.codepage is not None and self.codepage != 1200


def open_calamine(path: Path, kind: FileKind | None = None):
    """A CalamineWorkbook read by content: from the path when the extension
    matches the bytes, else from the bytes (an .xls saved as .xlsx, an .et)."""
    import python_calamine as pc

    path = Path(path)
    try:
        str(path).encode("utf-8")
        plain = True
    except UnicodeEncodeError:  # a GBK name from a Windows zip: calamine takes UTF-8 paths only
        plain = False
    if kind is not None and kind.data is not None:
        return pc.CalamineWorkbook.from_filelike(io.BytesIO(kind.data))
    if plain and (kind is None or path.suffix.lower() in _CALAMINE_SUFFIXES.get(kind.container, ())):
        return pc.CalamineWorkbook.from_path(str(path))
    with open(path, "rb") as fh:
        return pc.CalamineWorkbook.from_filelike(fh)


class _Refuse(Exception):
    """Internal: carries a message (and where) up to check_file."""

    def __init__(self, message: str, sheet: str | None = None, cell: str | None = None):
        super().__init__(message)
        self.message, self.sheet, self.cell = message, sheet, cell


def check_file(path: Path) -> FileKind:
    """Raise InputError naming why `path` must not be parsed; else say what it is."""
    path = Path(path)
    try:
        return _check(path)
    except _Refuse as r:
        raise InputError(Problem(path.name, r.sheet, r.cell, ERROR, r.message)) from None
    except (MemoryError, RecursionError):
        raise InputError(Problem(path.name, None, None, ERROR, MSG_BROKEN)) from None


def check_merges(path: Path, sheet: str, merges: list[tuple[int, int, int, int]]) -> None:
    """Per-sheet guard, called by grid.read_grids on the (already clamped)
    merged ranges: the grid copies the top-left value into every covered cell
    and indexes each, so a handful of sheet-sized merges would take minutes and
    gigabytes (measured: 3 merges of A1:XFD1048576 -> 5 s, 460 MB)."""
    area = sum((r2 - r1 + 1) * (c2 - c1 + 1) for r1, c1, r2, c2 in merges)
    if len(merges) > MAX_MERGES or area > MAX_MERGED_CELLS:
        msg = MSG_MERGES.format(n=len(merges), area=area, limit=MAX_MERGED_CELLS)
        raise InputError(Problem(Path(path).name, sheet, None, ERROR, msg))


def content_kind(path: Path) -> tuple[str, list[str]]:
    """What a file with a non-Excel name really is, for the month folder:
    ('workbook', []) for an xlsx/xls package whatever it is called (an .et from
    WPS, a name without extension); ('zip', [the Excel files inside]) for a zip
    archive; ('archive', [kind]) for rar/7z/gzip; else ('other', []).
    Reads only the head, the zip directory or the OLE directory."""
    try:
        path = Path(path)
        with open(path, "rb") as fh:
            head = fh.read(8)
        if head.startswith(OLE_MAGIC):
            import olefile

            with olefile.OleFileIO(str(path)) as ole:
                entries = {"/".join(e).lower() for e in ole.listdir(streams=True, storages=False)}
            return ("workbook", []) if entries & {"workbook", "book"} else ("other", [])
        if head.startswith(b"PK"):
            with open(path, "rb") as fh:
                end = zipfile._EndRecData(fh)
            if not end or end[zipfile._ECD_SIZE] > MAX_CENTRAL_DIR_BYTES:
                return "other", []
            with zipfile.ZipFile(path) as zf:
                infos = zf.infolist()[:MAX_ZIP_ENTRIES]
            names = [_zip_name(i) for i in infos]
            if any(n.lower() == "xl/workbook.xml" for n in names):
                return "workbook", []
            if any(n.lower() in ("[content_types].xml", "mimetype") for n in names):
                return "other", []  # a Word / OpenDocument package
            inside = [n.rsplit("/", 1)[-1] for n in names if Path(n).suffix.lower() in (".xlsx", ".xlsm", ".xls", ".et")
                      and not n.rsplit("/", 1)[-1].startswith(("~$", "._"))]
            return "zip", inside
        for magic, kind in ((b"Rar!", "rar"), (b"7z\xbc\xaf\x27\x1c", "7z"), (b"\x1f\x8b", "gzip")):
            if head.startswith(magic):
                return "archive", [kind]
    except Exception:
        pass
    return "other", []


def _zip_name(info: zipfile.ZipInfo) -> str:
    """A member name as the sender saw it: names without the UTF-8 flag, which zipfile decodes
    as cp437, are UTF-8 from Info-ZIP (Linux, macOS) or GBK from Chinese Windows tools; UTF-8 is
    tried first (GBK's bytes are seldom valid UTF-8, UTF-8's often valid GBK)."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        raw = info.filename.encode("cp437")
    except UnicodeEncodeError:
        return info.filename
    for codec in ("utf-8", "gbk"):
        try:
            return raw.decode(codec)
        except UnicodeDecodeError:
            continue
    return info.filename


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.0f} MB" if n >= 1024 * 1024 else f"{n / 1024:.0f} KB"


def _check(path: Path) -> FileKind:
    if not path.exists():
        raise _Refuse(MSG_MISSING)
    if not path.is_file():
        raise _Refuse(MSG_NOT_FILE)
    size = path.stat().st_size
    if size == 0:
        raise _Refuse(MSG_EMPTY)
    if size > MAX_FILE_BYTES:
        raise _Refuse(MSG_TOO_BIG.format(size=_mb(size), limit=_mb(MAX_FILE_BYTES)))
    data = None
    with open(path, "rb") as fh:
        head = fh.read(4096)
        if head.startswith(b"PK") and size <= IN_MEMORY_BYTES:
            data = head + fh.read(max(0, size - len(head)))  # (the size seen: a file growing meanwhile is cut)
    is_zip = head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06") or head.startswith(b"PK\x07\x08")
    if not is_zip and not head.startswith(OLE_MAGIC):
        raise _Refuse(_what_else(head))
    try:
        if is_zip:
            extents, unscanned, parts, members = _check_zip(path if data is None else data)
            return FileKind("zip", extents=extents, unscanned=unscanned, parts=parts, members=members, data=data)
        return _check_ole(path)
    except _Refuse:
        raise
    except Exception:  # offsets, counts or sizes that point nowhere: a damaged file
        raise _Refuse(MSG_BROKEN) from None


# ------------------------------------------------------------ not a workbook
_BINARY = [
    (b"%PDF", MSG_PDF),
    (b"\x89PNG", MSG_IMAGE), (b"\xff\xd8\xff", MSG_IMAGE), (b"GIF8", MSG_IMAGE),
    (b"Rar!", MSG_ARCHIVE.format(kind="rar")), (b"7z\xbc\xaf\x27\x1c", MSG_ARCHIVE.format(kind="7z")),
    (b"\x1f\x8b", MSG_ARCHIVE.format(kind="gzip")),
    (b"{\\rtf", MSG_RTF),
    # BIFF2-4 worksheets stored bare, without an OLE container
    (b"\x09\x00\x04\x00", MSG_OLD_BIFF), (b"\x09\x02\x06\x00", MSG_OLD_BIFF), (b"\x09\x04\x06\x00", MSG_OLD_BIFF),
]


def _what_else(head: bytes) -> str:
    """The message for a file that is neither a zip nor an OLE2 container."""
    for magic, msg in _BINARY:
        if head.startswith(magic):
            return msg
    text = _as_text(head)
    if text is None:
        return MSG_UNKNOWN
    low = text.lstrip("\ufeff \t\r\n").lower()
    if "urn:schemas-microsoft-com:office:spreadsheet" in low or 'progid="excel.sheet"' in low:
        return MSG_XML2003
    if low.startswith("mime-version:") or "\nmime-version:" in low[:2000]:
        return MSG_MHT
    if low.startswith("<"):
        if any(t in low for t in ("<html", "<!doctype html", "<table", "<head", "<body", "<meta",
                                  "urn:schemas-microsoft-com:office:excel")):
            return MSG_HTML
        return MSG_XML
    if "<table" in low or "<html" in low:
        return MSG_HTML
    lines = [ln for ln in text.splitlines() if ln.strip()][:20]
    if lines:
        for sep in (",", "\t", "，"):
            counts = [ln.count(sep) for ln in lines[:-1] or lines]
            if counts and min(counts) >= 1 and (len(set(counts)) == 1 or sep in lines[0]):
                return MSG_CSV
    return MSG_TEXT


def _as_text(head: bytes) -> str | None:
    """The head decoded, if it looks like text in an encoding offices use."""
    if head.startswith(b"\xef\xbb\xbf"):
        return head[3:].decode("utf-8", "ignore")
    if head.startswith(b"\xff\xfe"):
        return head[2:len(head) - (len(head) % 2)].decode("utf-16-le", "ignore")
    if head.startswith(b"\xfe\xff"):
        return head[2:len(head) - (len(head) % 2)].decode("utf-16-be", "ignore")
    if b"\x00" in head:
        return None
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    if controls > len(head) // 50:
        return None
    for enc in ("utf-8", "gb18030"):
        try:
            return head.decode(enc)
        except UnicodeDecodeError as exc:
            if exc.start >= len(head) - 4:  # a character cut by the 4 KB window
                return head[:exc.start].decode(enc, "ignore")
    return None


# --------------------------------------------------------------------- zip
_XML_BAD = [p.encode(enc) for p in ("<!DOCTYPE", "<!ENTITY")
            for enc in ("utf-8", "utf-16-le", "utf-16-be")]
_OVERLAP = max(len(p) for p in _XML_BAD)

_TAG = re.compile(
    rb"<(/?)(?:[A-Za-z_][\w.\-]*:)?(sheetData|row|c|si)(?=[\s/>])((?:[^>\"'<]|\"[^\"<]*\"|'[^'<]*')*)>"
)
# The <sheetData> tags _TAG finds, matched where a '<' precedes the name
_SHEETDATA_TAG = re.compile(
    rb"</?(?:[A-Za-z_][\w.\-]*:)?sheetData(?=[\s/>])(?:[^>\"'<]|\"[^\"<]*\"|'[^'<]*')*>"
)


def _split_sheetdata(data: bytes) -> list[bytes]:
    """`data` cut around its <sheetData> and </sheetData> tags: [text, tag, text, …]
    (what re.split with the tag pattern gives, found from the name at C speed: the
    pattern tried at every '<' took 12 ms a megabyte)."""
    out: list[bytes] = []
    pos = 0
    i = data.find(b"sheetData")
    while i != -1:
        lt = data.rfind(b"<", pos, i)
        m = _SHEETDATA_TAG.match(data, lt) if lt != -1 else None
        if m is not None and m.end() > i:
            out += [data[pos:lt], m.group(0)]
            pos = m.end()
            i = data.find(b"sheetData", pos)
        else:
            i = data.find(b"sheetData", i + 9)
    out.append(data[pos:])
    return out


# Fast path for the usual sheet, where every cell carries r="A1": C-speed
# regexes count the cell tags, check that all have a position, and collect the
# positions of those with a value (not self-closing).
_PFX = rb"<(?:[A-Za-z_][\w.\-]*:)?"
# A cell closed straight away, `<c r="XFD60000" s="1" t="n"></c>` (openpyxl writes a styled empty
# cell so when lxml is installed), has no value either: calamine leaves it out, as a `<c/>`.
_EMPTY_CLOSE = rb"\s*</(?:[A-Za-z_][\w.\-]*:)?c\s*>"
_HAS_CONTENT = rb"(?!" + _EMPTY_CLOSE + rb")"
_EMPTY_CELL_END = re.compile(_EMPTY_CLOSE)
_WELL_R = rb"[^<>]*?(?<![\w:.\-])r\s*=\s*[\"']"
_C_NO_R = re.compile(_PFX + rb"c(?=[\s/>])(?!" + _WELL_R + rb"[A-Za-z]+[0-9]+[\"'])")
_C_VALUED = re.compile(_PFX + rb"c\s" + _WELL_R + rb"([A-Za-z]+)([0-9]+)[\"'][^<>]*(?<!/)>" + _HAS_CONTENT)
_ROW_NO_R = re.compile(_PFX + rb"row(?=[\s/>])(?!" + _WELL_R + rb"[0-9]+[\"'])")
_ROW_R = re.compile(_PFX + rb"row\s" + _WELL_R + rb"([0-9]+)[\"']")
_SI_START = re.compile(_PFX + rb"si[\s/>]")
_ANY_R = re.compile(rb"(?<![\w:.\-])r\s*=")
_ROW_START = re.compile(_PFX + rb"row(?=[\s/>])")
# a cell's attributes, and its closing tag when nothing comes between (no value)
_C_ATTRS = re.compile(_PFX + rb"c(?=[\s/>])((?:[^>\"'<]|\"[^\"<]*\"|'[^'<]*')*)>(" + _EMPTY_CLOSE + rb")?")
_R_ATTR = re.compile(rb"(?<![\w:.\-])r\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_REF = re.compile(rb"\s*\$?([A-Za-z]+)\$?([0-9]+)\s*$")
_ROWNUM = re.compile(rb"\s*([0-9]+)\s*$")

# The usual sheet, as Excel, WPS, openpyxl and XlsxWriter write it: every tag
# unprefixed and opening with its position, `<c r="B5"` and `<row r="5"`. Then
# counting the tags (str.count) shows that every one has its position, and
# patterns anchored on that literal opening collect the positions (the general
# ones above try their look-aheads at every '<': about 3 times as long).
_TAG_ENDS = (b" ", b">", b"/", b"\t", b"\n", b"\r", b"\f", b"\v")  # what may follow a tag's name
_PLAIN_VALUED = re.compile(rb'<c r="([A-Za-z]+)([0-9]+)"[^<>]*(?<!/)>' + _HAS_CONTENT)  # (column, row): one pass
_PLAIN_ROW_R = re.compile(rb'<row r="([0-9]+)"')
_PLAIN_BAD_C = re.compile(rb'<c r="(?![A-Za-z]+[0-9]+")')
_C_TAG = re.compile(rb"<c[ >/\t\n\r\f\v]")  # '<c' and one of _TAG_ENDS: a cell tag, counted in one pass
_OTHER_C_TAGS = (b"<col", b"<cf", b"<con", b"<custom")  # tags of other names that start '<c' (prefixes)
_ROW_TAG = re.compile(rb"<row[ >/\t\n\r\f\v]")
_PLAIN_BAD_ROW = re.compile(rb'<row r="(?![0-9]+")')


def _plainly_placed(data: bytes) -> bool:
    if b":c" in data or b":row" in data:  # a prefixed tag (or text that looks like one)
        return False
    n = data.count(b'<c r="')
    # every '<c…' is a cell with its position or a tag of another name (<cols>, <col …>,
    # <cfRule>, <conditionalFormatting>, rich text's <color …>: counted by their names first),
    # else each kind of cell tag is counted
    c_tags = data.count(b"<c")
    if c_tags != n and c_tags != n + sum(data.count(t) for t in _OTHER_C_TAGS) and len(_C_TAG.findall(data)) != n:
        return False
    n = data.count(b'<row r="')
    if data.count(b"<row") != n and len(_ROW_TAG.findall(data)) != n:
        return False
    return _PLAIN_BAD_C.search(data) is None and _PLAIN_BAD_ROW.search(data) is None


def _count_si(data: bytes) -> int:
    """How many shared-string entries start in `data` (_SI_START's matches)."""
    if b":si" in data:
        return len(_SI_START.findall(data))
    if b"<si" not in data:  # every part but the shared strings (theme, styles, …)
        return 0
    return sum(data.count(b"<si" + e) for e in _TAG_ENDS)


def _source(src: Path | bytes):
    """The package to read: a file opened anew, or the bytes read once (check_file)."""
    return io.BytesIO(src) if isinstance(src, bytes) else open(src, "rb")


def _check_zip(path: Path | bytes) -> tuple[dict[str, SheetSize], list[str], dict[str, bytes], tuple[str, ...]]:
    try:
        with _source(path) as fh:
            end = zipfile._EndRecData(fh)  # the end record only: sizes before reading
    except Exception:
        end = None
    if not end:
        raise _Refuse(MSG_BROKEN)
    if end[zipfile._ECD_SIZE] > MAX_CENTRAL_DIR_BYTES or end[zipfile._ECD_ENTRIES_TOTAL] > MAX_ZIP_ENTRIES:
        raise _Refuse(MSG_TOO_MANY.format(n=end[zipfile._ECD_ENTRIES_TOTAL], limit=MAX_ZIP_ENTRIES))
    try:
        zf = zipfile.ZipFile(_source(path))
    except Exception:
        raise _Refuse(MSG_BROKEN) from None
    with zf:
        infos = zf.infolist()
        _check_directory(infos)
        names = {i.filename for i in infos}
        _classify_package(zf, names)
        sheet_names = _sheet_names(zf, names)
        strings = 0
        extents: dict[str, SheetSize] = {}
        unscanned: list[str] = []
        # the other parts first, then the sheets in the workbook's order: the sheets
        # scanned (and so read) are the first ones, as the clerk sees them
        order = {member: k for k, member in enumerate(sheet_names)}
        infos = sorted(infos, key=lambda i: order.get(i.filename, -1))
        scanned = kept_bytes = 0
        parts: dict[str, bytes] = {}
        with _source(path) as fh:
            for info in infos:
                if info.filename.endswith("/") and info.file_size == 0:
                    continue
                sheet = sheet_names.get(info.filename)
                if sheet is not None and info.file_size > SMALL_SHEET_BYTES:
                    if scanned + info.file_size > MAX_SCANNED_SHEET_BYTES:
                        unscanned.append(sheet)  # never handed to a parser: grid.read_grids names it
                        continue
                    scanned += info.file_size
                keep = ((sheet is not None or info.filename.replace("\\", "/").lower() in _FLAG_PARTS)
                        and info.file_size <= KEPT_PART_BYTES and kept_bytes + info.file_size <= KEPT_TOTAL_BYTES)
                strings, data = _scan_member_once(fh, info, sheet, strings, extents, keep)
                if data is not None:
                    parts[info.filename] = data
                    kept_bytes += info.file_size
    return extents, unscanned, parts, tuple(i.filename for i in infos)


def _check_directory(infos: list[zipfile.ZipInfo]) -> None:
    if len(infos) > MAX_ZIP_ENTRIES:
        raise _Refuse(MSG_TOO_MANY.format(n=len(infos), limit=MAX_ZIP_ENTRIES))
    seen: set[str] = set()
    total = 0
    for info in infos:
        name = info.filename
        key = name.replace("\\", "/").lower()
        if key in seen:  # two members of one name: readers disagree on which counts
            raise _Refuse(MSG_BROKEN)
        seen.add(key)
        if info.flag_bits & 0x1:
            raise _Refuse(MSG_ENCRYPTED)
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _Refuse(MSG_COMPRESSION)
        if info.file_size > MAX_MEMBER_BYTES:
            raise _Refuse(MSG_BOMB.format(member=_member_label(name), size=_mb(info.file_size), limit=_mb(MAX_MEMBER_BYTES)))
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise _Refuse(MSG_RATIO.format(member=name, ratio=info.file_size // max(info.compress_size, 1)))
        total += info.file_size
        if total > MAX_TOTAL_BYTES:
            raise _Refuse(MSG_TOTAL.format(limit=_mb(MAX_TOTAL_BYTES)))


def _classify_package(zf: zipfile.ZipFile, names: set[str]) -> None:
    lower = {n.lower() for n in names}
    if "xl/workbook.xml" in lower:
        return
    if "xl/workbook.bin" in lower:
        raise _Refuse(MSG_XLSB)
    if "mimetype" in lower:
        try:
            info = zf.getinfo(next(n for n in names if n.lower() == "mimetype"))
            kind = zf.read(info)[:200] if info.file_size < 4096 else b""
        except Exception:
            kind = b""
        raise _Refuse(MSG_ODS if b"spreadsheet" in kind else MSG_ODF)
    if any(n.startswith("word/") for n in lower):
        raise _Refuse(MSG_DOCX)
    if any(n.startswith("ppt/") for n in lower):
        raise _Refuse(MSG_PPTX)
    if "[content_types].xml" in lower or any(n.startswith("xl/") for n in lower):
        raise _Refuse(MSG_NO_WORKBOOK)
    raise _Refuse(MSG_ZIP)


def _sheet_names(zf: zipfile.ZipFile, names: set[str]) -> dict[str, str]:
    """Member name -> sheet name, for messages only (best effort, bounded)."""
    out: dict[str, str] = {}
    try:
        wb_info = zf.getinfo("xl/workbook.xml")
        rel_info = zf.getinfo("xl/_rels/workbook.xml.rels")
        if wb_info.file_size > 4 * 1024 * 1024 or rel_info.file_size > 4 * 1024 * 1024:
            return out
        fh = zf.fp  # (kept by the bytes as stored, CRCs with them: a unit's copy of the form is not inflated again)
        raw = tuple((fh.seek(_data_offset(fh, i)), fh.read(i.compress_size), i.compress_type, i.CRC)[1:]
                    for i in (wb_info, rel_info))
        return dict(by_bytes(_NAMES_SEEN, raw, wb_info.compress_size + rel_info.compress_size,
                             lambda: _names_of_parts(zf, wb_info, rel_info)))
    except Exception:
        return out


def _names_of_parts(zf: zipfile.ZipFile, wb_info: zipfile.ZipInfo, rel_info: zipfile.ZipInfo) -> dict[str, str]:
    wb, rels = zf.read(wb_info), zf.read(rel_info)
    if any(p in wb or p in rels for p in _XML_BAD):
        return {}  # refused later, with the member named
    return _names_of(wb, rels)


def _names_of(wb: bytes, rels: bytes) -> dict[str, str]:
    out: dict[str, str] = {}
    try:
        targets = {}
        for m in re.finditer(rb"<(?:\w+:)?Relationship\b([^<>]*)>", rels):
            attrs = m.group(1)
            rid = re.search(rb"\bId\s*=\s*\"([^\"]*)\"", attrs)
            tgt = re.search(rb"\bTarget\s*=\s*\"([^\"]*)\"", attrs)
            if rid and tgt:
                t = tgt.group(1).decode("utf-8", "replace")
                t = t.lstrip("/") if t.startswith("/") else "xl/" + t
                targets[rid.group(1)] = t
        for m in re.finditer(rb"<(?:\w+:)?sheet\b([^<>]*)>", wb):
            attrs = m.group(1)
            nm = re.search(rb"\bname\s*=\s*\"([^\"]*)\"", attrs)
            rid = re.search(rb"(?<![\w.\-])(?:\w+:)?id\s*=\s*\"([^\"]*)\"", attrs)
            if nm and rid and rid.group(1) in targets:
                out[targets[rid.group(1)]] = html.unescape(nm.group(1).decode("utf-8", "replace"))
    except Exception:
        return out
    return out


_NAMES_SEEN: dict[tuple, dict[str, str]] = {}  # workbook.xml and its rels as stored (and CRCs) -> _names_of


def by_bytes(memo: dict, key, size: int, make):
    """make(), kept in `memo` by the bytes of the parts it reads (`key`, `size` bytes in all): the
    units of a province fill one form, so the same parts come 1,440 times a year. Parts up to
    1 MB, 32 kept at most."""
    got = memo.get(key)
    if got is None:
        got = make()
        if size <= 1 << 20:
            if len(memo) >= 32:
                memo.clear()
            memo[key] = got
    return got


def _member_chunks(fh, info: zipfile.ZipInfo):
    """Inflate one member from its raw bytes, never past its declared size.

    Yields chunks; raises _Refuse if the data is cut off, corrupt, longer than
    declared, or fails its CRC."""
    name = info.filename
    fh.seek(_data_offset(fh, info))
    left = info.compress_size
    declared = info.file_size
    produced = 0
    crc = 0
    inflater = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    pending = b""
    done = False
    while not done:
        if inflater is None or not pending:
            if left > 0:
                raw = fh.read(min(CHUNK, left))
                if not raw:
                    raise _Refuse(MSG_BROKEN)
                left -= len(raw)
                if inflater is not None:
                    pending = raw
                    continue
                out = raw
            elif inflater is None or inflater.eof:
                break
            else:
                # input exhausted: what zlib still holds is at most a window
                out = inflater.flush()
                if not inflater.eof:
                    raise _Refuse(MSG_BROKEN)  # the deflate stream was cut off
                done = True
        else:
            # never ask for more than one byte past what the header declares
            out = inflater.decompress(pending, min(CHUNK, declared - produced + 1))
            pending = b"" if inflater.eof else inflater.unconsumed_tail
        if out:
            produced += len(out)
            if produced > declared:
                raise _Refuse(MSG_LYING.format(member=name))
            crc = zlib.crc32(out, crc)
            yield out
    if produced != declared or crc != info.CRC:
        raise _Refuse(MSG_BROKEN)


# Members scanned, by their raw (compressed) bytes: the units of a province fill one form, so
# its theme, styles, rels and content types come in 1,440 files a year, the same to the byte.
# Bytes that inflated and scanned cleanly once do so again: (shared strings counted, the sheet's
# size, the inflated bytes when kept). Small members only, and a bounded number of them.
_SCANNED: dict[tuple, tuple[int, SheetSize | None, bytes | None]] = {}
_SCANNED_RAW_MAX = 64 * 1024
_SCANNED_SIZE_MAX = 1024 * 1024  # inflated
_SCANNED_BYTES_MAX = 8 * 1024 * 1024  # raw and inflated bytes kept in all
_scanned_bytes = [0]


def _scan_member_once(fh, info: zipfile.ZipInfo, sheet: str | None, strings: int,
                      extents: dict[str, SheetSize], keep: bool) -> tuple[int, bytes | None]:
    """_scan_member, or what it found for the same bytes before; (the running shared-string
    count, the inflated bytes when `keep`)."""
    key = None
    if info.compress_size <= _SCANNED_RAW_MAX and info.file_size <= _SCANNED_SIZE_MAX:
        fh.seek(_data_offset(fh, info))
        raw = fh.read(info.compress_size)
        key = (raw, info.filename, info.compress_type, info.file_size, info.CRC, sheet is not None, keep)
        got = _SCANNED.get(key)
        if got is not None:
            strings += got[0]
            if strings > MAX_SHARED_STRINGS:
                raise _Refuse(MSG_STRINGS.format(limit=MAX_SHARED_STRINGS))
            if sheet is not None and got[1] is not None:
                extents[sheet] = got[1]
            return strings, got[2]
    chunks: list[bytes] | None = [] if keep else None
    before = strings
    strings = _scan_member(fh, info, sheet, strings, extents, chunks)
    data = b"".join(chunks) if chunks is not None else None
    if key is not None:
        weight = len(key[0]) + (len(data) if data is not None else 0)
        if _scanned_bytes[0] + weight > _SCANNED_BYTES_MAX:
            _SCANNED.clear()
            _scanned_bytes[0] = 0
        _SCANNED[key] = (strings - before, extents.get(sheet) if sheet is not None else None, data)
        _scanned_bytes[0] += weight
    return strings, data


def _data_offset(fh, info: zipfile.ZipInfo) -> int:
    """Where the member's (compressed) data starts, past its local header."""
    fh.seek(info.header_offset)
    local = fh.read(30)
    if len(local) < 30 or local[:4] != b"PK\x03\x04":
        raise _Refuse(MSG_BROKEN)
    nlen, xlen = struct.unpack("<HH", local[26:30])
    return info.header_offset + 30 + nlen + xlen


def _scan_member(fh, info: zipfile.ZipInfo, sheet: str | None, strings: int,
                 extents: dict[str, SheetSize] | None = None, chunks: list[bytes] | None = None) -> int:
    """Inflate and scan one member; return the running shared-string count. A sheet's
    size goes into `extents`; the inflated bytes, once checked whole, into `chunks`."""
    name = info.filename
    scan_tags = True  # even "image1.png" may be the target of a worksheet relationship
    prev_tail = b""
    buf = b""
    st = _SheetState()
    try:
        for chunk in _member_chunks(fh, info):
            if chunks is not None:
                chunks.append(chunk)
            window = prev_tail + chunk
            for bad in _XML_BAD:
                if bad in window:
                    raise _Refuse(MSG_DTD.format(member=name))
            prev_tail = chunk[-_OVERLAP:]
            if not scan_tags:
                continue
            buf += chunk
            cut = buf.rfind(b">") + 1
            lt = buf.rfind(b"<")
            if lt >= cut:  # an unfinished tag: keep it for the next chunk
                work, buf = buf[:lt], buf[lt:]
                if len(buf) > MAX_TAG_BYTES:
                    raise _Refuse(MSG_TAG.format(member=name))
            else:
                work, buf = buf, b""
            strings = st.feed(work, strings)
        if scan_tags and buf:
            strings = st.feed(buf, strings)
    except zlib.error:
        raise _Refuse(MSG_BROKEN) from None
    except _AreaTooBig as big:
        raise _Refuse(MSG_AREA.format(cell=big.cell, rows=big.rows, cols=big.cols,
                                      limit=MAX_SHEET_CELLS // 10000), sheet, big.cell) from None
    if sheet is not None and extents is not None:
        extents[sheet] = st.size()
    return strings


class _AreaTooBig(Exception):
    """`at`: the cell with content that took the area past the bound (what the clerk must delete),
    not the rectangle's corner (K1048576 for a 1 typed in A1048576 beside a table to column K)."""

    def __init__(self, rows: int, cols: int, at: tuple[int, int] | None = None):
        self.rows, self.cols = rows, cols
        r, c = at if at is not None else (rows - 1, cols - 1)
        self.cell = cell_ref(r, c) if r < 10**7 and c < 10**7 else f"第 {r + 1} 行第 {c + 1} 列"


def _col_number(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ch - 64)
    return n  # 1-based


def _furthest(valued: list[tuple[bytes, bytes]], far: tuple[bool, bool]) -> tuple[int, int]:
    """Of a chunk's cells with a value (column letters, row number), the one furthest down (when the
    rows took the area too far) or right (the columns): 0-based (row, col)."""
    cells = [(int(r) - 1, _col_number(c) - 1) for c, r in valued]
    return max(cells) if far[0] or not far[1] else max(cells, key=lambda rc: (rc[1], rc[0]))


class _SheetState:
    """Follows rows and cells of a <sheetData> the way calamine places them, and
    keeps the rectangle that holds every cell with a value, and how many cells
    have a value and in how many rows (what reading the sheet will cost)."""

    def __init__(self) -> None:
        self.in_data = False
        self.row = -1  # current 0-based row
        self.col = 0   # next 0-based column in the row
        self.max_row = -1
        self.max_col = -1
        self.filled_cells = 0
        self.filled_rows = 0  # (rows written out of order may count twice: a bound, not a census)
        self._last_filled = -1  # 0-based row last counted

    def size(self) -> "SheetSize":
        return SheetSize(self.max_row + 1, self.max_col + 1, self.filled_rows, self.filled_cells)

    def feed(self, data: bytes, strings: int) -> int:
        if b"sheetData" in data:
            # Only the <sheetData> tags themselves need the tag-by-tag walk: the
            # pieces between them take the C-speed paths below (the chunks holding
            # the open and close tags, 1 MB each, were walked whole: most of the
            # 6.6 s a 17-sheet workbook of 67 MB took to scan).
            pieces = _split_sheetdata(data)
            if len(pieces) > 1:
                for i, piece in enumerate(pieces):
                    if i % 2:  # a <sheetData ...> or </sheetData> tag
                        strings = self._slow(piece, strings)
                    elif piece:
                        strings = self.feed(piece, strings) if b"sheetData" not in piece else self._slow(piece, strings)
                return strings
        if b"sheetData" not in data:
            if not self.in_data:
                strings += _count_si(data)
                if strings > MAX_SHARED_STRINGS:
                    raise _Refuse(MSG_STRINGS.format(limit=MAX_SHARED_STRINGS))
                return strings
            if self._fast(data) or self._positional(data):
                return strings
        return self._slow(data, strings)

    def _fast(self, data: bytes) -> bool:
        """Every row and cell in `data` has r="": take the extent from C-speed
        regexes (a cell tag that ends in "/>" has no value and is left out)."""
        if _plainly_placed(data):  # what Excel, WPS and the libraries write: simpler patterns
            valued = _PLAIN_VALUED.findall(data)
            cols, rows = zip(*valued) if valued else ((), ())
            rows_r = set(_PLAIN_ROW_R.findall(data))
        elif _C_NO_R.search(data) or _ROW_NO_R.search(data):
            return False
        else:
            valued = _C_VALUED.findall(data)
            cols, rows = zip(*valued) if valued else ((), ())
            rows_r = set(_ROW_R.findall(data))
        if rows:
            distinct = set(rows)
            top = max(map(int, distinct))
            self.filled_cells += len(rows)
            # a row the chunk boundary cut was counted with the chunk before
            self.filled_rows += len(distinct) - (str(self._last_filled + 1).encode() in distinct)
            self._last_filled = top - 1
            self._extend(top - 1, max(map(_col_number, set(cols))) - 1, at=lambda far: _furthest(valued, far))
        if rows_r:
            self.row = max(self.row, max(map(int, rows_r)) - 1)
        # an implicit cell in a later chunk continues this row: an upper bound
        self.col = max(self.col, self.max_col + 1)
        self.row = max(self.row, self.max_row)
        return True

    def _positional(self, data: bytes) -> bool:
        """No r= at all in `data` (writers that place every row and cell by
        position): per row, C-speed regexes count the cells and find the last
        one with a value; only rows are looped over in Python (measured: 2.9M
        such cells took 4.8 s through _slow, 0.4 s here)."""
        if _ANY_R.search(data):
            return False
        for i, piece in enumerate(_ROW_START.split(data)):
            if i:
                self.row += 1
                self.col = 0
            cells = [b"/" if closed else attrs for attrs, closed in _C_ATTRS.findall(piece)]  # "/": no value
            if not cells:
                continue
            valued = sum(1 for c in cells if not c.endswith(b"/"))
            if valued:
                self.filled_cells += valued
                if max(self.row, 0) != self._last_filled:
                    self.filled_rows += 1
                    self._last_filled = max(self.row, 0)
            for k in range(len(cells) - 1, -1, -1):
                if not cells[k].endswith(b"/"):  # <c .../> has no value
                    self._extend(max(self.row, 0), self.col + k)
                    break
            self.col += len(cells)
        return True

    def _extend(self, row: int, col: int, at=None) -> None:
        """`at()`: the cell (row, col) to name when (row, col) stands for several (a chunk's last row
        and its widest column)."""
        if row > self.max_row or col > self.max_col:
            far = (row > self.max_row, col > self.max_col)
            self.max_row = max(self.max_row, row)
            self.max_col = max(self.max_col, col)
            rows, cols = self.max_row + 1, self.max_col + 1
            if rows * cols > MAX_SHEET_CELLS:
                raise _AreaTooBig(rows, cols, at(far) if at is not None else (row, col))

    def _slow(self, data: bytes, strings: int) -> int:
        for m in _TAG.finditer(data):
            closing, tag, attrs = m.group(1), m.group(2), m.group(3)
            if tag == b"si":
                if not closing:
                    strings += 1
                    if strings > MAX_SHARED_STRINGS:
                        raise _Refuse(MSG_STRINGS.format(limit=MAX_SHARED_STRINGS))
                continue
            if tag == b"sheetData":
                self.in_data = not closing and not attrs.rstrip().endswith(b"/")
                continue
            if not self.in_data or closing:
                continue
            r = _R_ATTR.search(attrs)
            ref = (r.group(1) if r.group(1) is not None else r.group(2)) if r else None
            if tag == b"row":
                nxt = self.row + 1
                if ref is not None:
                    mm = _ROWNUM.match(ref)
                    if not mm:
                        raise _Refuse(MSG_BROKEN)  # a position we cannot read: neither trust nor guess
                    nxt = max(nxt, int(mm.group(1)) - 1)
                self.row = nxt
                self.col = 0
                continue
            # a cell
            row, col = max(self.row, 0), self.col
            if ref is not None:
                mm = _REF.match(ref)
                if not mm:
                    raise _Refuse(MSG_BROKEN)
                col = max(col, _col_number(mm.group(1)) - 1)
                row = max(row, int(mm.group(2)) - 1)
            self.col = col + 1
            if attrs.endswith(b"/") or _EMPTY_CELL_END.match(data, m.end()):
                continue  # <c .../> or <c …></c>: no value, calamine leaves it out
            self.filled_cells += 1
            if row != self._last_filled:
                self.filled_rows += 1
                self._last_filled = row
            self._extend(row, col)
        return strings


# --------------------------------------------------------------------- OLE2
# BIFF records that put a value in a cell (row, col as the first two u16).
_BIFF_CELLS = {0x0006, 0x0406, 0x0206, 0x00FD, 0x0203, 0x027E, 0x007E, 0x0205, 0x0204, 0x00D6,
               0x0002, 0x0003, 0x0004, 0x0005}
_BIFF_MULRK = 0x00BD
_BIFF_BOF = {0x0809, 0x0409, 0x0209, 0x0009}
_BIFF_EOF = 0x000A
_BIFF_FILEPASS = 0x002F
_BIFF_BOUNDSHEET = 0x0085
_BIFF_DIMENSIONS = {0x0200, 0x0000}
_BIFF_SST = 0x00FC
_BIFF_CODEPAGE = 0x0042


def _check_ole(path: Path) -> FileKind:
    try:
        import olefile
    except ImportError:  # pragma: no cover - olefile is a runtime dependency
        return FileKind("ole")
    try:
        ole = olefile.OleFileIO(str(path))
    except Exception:
        raise _Refuse(MSG_BROKEN) from None
    try:
        try:
            entries = {"/".join(e).lower() for e in ole.listdir(streams=True, storages=False)}
        except Exception:
            raise _Refuse(MSG_BROKEN) from None
        _check_ole_chains(ole, path.stat().st_size)
        if "encryptioninfo" in entries or "encryptedpackage" in entries:
            raise _Refuse(MSG_ENCRYPTED)
        stream = "workbook" if "workbook" in entries else "book" if "book" in entries else None
        if stream is None:
            if "worddocument" in entries:
                raise _Refuse(MSG_DOC)
            if "powerpoint document" in entries:
                raise _Refuse(MSG_PPT)
            raise _Refuse(MSG_OLE_OTHER)
        try:
            if ole.get_size(stream) > MAX_OLE_STREAM_BYTES:
                raise _Refuse(MSG_TOO_BIG.format(size=_mb(ole.get_size(stream)), limit=_mb(MAX_OLE_STREAM_BYTES)))
            data = ole.openstream(stream).read()
        except _Refuse:
            raise
        except Exception:
            raise _Refuse(MSG_BROKEN) from None
    finally:
        ole.close()
    extents: dict[str, SheetSize] = {}
    biff, codepage = _scan_biff(data, extents)
    kind = FileKind("ole", biff, codepage, extents)
    if not kind.calamine_garbles_text:  # read by xlrd, never by calamine
        _trial_open(path, kind)
    return kind


def _trial_open(path: Path, kind: FileKind) -> None:
    """calamine's .xls reader slices BIFF records without checking their length
    and raises a Rust panic (pyo3 PanicException, a BaseException that
    `except Exception` does not catch) on a damaged record (fuzz: ~5 % of
    mutated .xls files). Opening once here turns that into a named problem.
    Only the workbook globals are parsed (sheets load lazily), so it is cheap;
    engine_calamine.CalamineBook.sheet catches panics for the sheets themselves."""
    import python_calamine as pc

    try:
        wb = open_calamine(path, kind)
    except (KeyboardInterrupt, SystemExit):
        raise
    except pc.PasswordError:
        raise _Refuse(MSG_ENCRYPTED) from None
    except Exception:
        return  # an ordinary error: the calamine engine reports it in its own words
    except BaseException:
        raise _Refuse(MSG_BROKEN) from None
    try:
        wb.close()
    except Exception:
        pass


def _check_ole_chains(ole, file_size: int) -> None:
    """Every sector a stream uses must lie wholly inside the file: calamine's
    own OLE reader slices sectors without checking and panics (a Rust panic,
    not an exception) on a cut-off .xls (measured on a file cut at 99 %)."""
    ss = ole.sectorsize
    fat = ole.fat
    last_full = file_size // ss - 2  # sector n spans [(n+1)*ss, (n+2)*ss)
    for i in range(last_full + 1, len(fat)):
        if fat[i] != 0xFFFFFFFF:  # in use (data, FAT, DIFAT or directory) but not in the file
            raise _Refuse(MSG_BROKEN)
    for entry in ole.direntries:
        if entry is None or entry.entry_type not in (olefile_STGTY_STREAM, olefile_STGTY_ROOT):
            continue
        if entry.entry_type == olefile_STGTY_STREAM and entry.size < ole.minisectorcutoff:
            continue  # lives in the mini stream, itself checked through the root entry
        need = (entry.size + ss - 1) // ss
        if need > last_full + 1:
            raise _Refuse(MSG_BROKEN)
        sect = entry.isectStart
        for _ in range(need):
            if sect < 0 or sect > last_full or sect >= len(fat):
                raise _Refuse(MSG_BROKEN)
            sect = fat[sect]


olefile_STGTY_STREAM, olefile_STGTY_ROOT = 2, 5


def _scan_biff(data: bytes, extents: dict[str, SheetSize] | None = None) -> tuple[int | None, int | None]:
    """Walk the BIFF records: FILEPASS means a password; cell records give each
    sheet's extent, which calamine will allocate in full (kept in `extents` by the
    sheet's name). Returns the workbook's BIFF version (5 or 8, None if unknown)
    and its CODEPAGE (None if absent)."""
    pos, n = 0, len(data)
    biff = codepage = None
    unpack = struct.unpack_from
    sheet_at: dict[int, str] = {}
    substream = -1
    current: str | None = None
    max_row = max_col = -1
    filled, filled_rows = 0, set()
    claim: tuple[str, str | None] | None = None  # a DIMENSIONS record too big to read
    while pos + 4 <= n:
        rtype, size = unpack("<HH", data, pos)
        body = pos + 4
        if rtype in _BIFF_CELLS or rtype == _BIFF_MULRK:
            if size >= 4:
                row, col = unpack("<HH", data, body)
                filled += max((size - 6) // 6, 1) if rtype == _BIFF_MULRK else 1
                filled_rows.add(row)
                if rtype == _BIFF_MULRK and size >= 6:
                    col = max(col, unpack("<H", data, body + size - 2)[0])
                if row > max_row or col > max_col:
                    max_row, max_col = max(max_row, row), max(max_col, col)
                    if (max_row + 1) * (max_col + 1) > MAX_SHEET_CELLS:
                        cell = cell_ref(row, col)  # the cell with content, not the area's corner
                        raise _Refuse(MSG_AREA.format(cell=cell, rows=max_row + 1, cols=max_col + 1,
                                                      limit=MAX_SHEET_CELLS // 10000), current, cell)
        elif rtype in _BIFF_BOF:
            if claim:
                raise _Refuse(*claim)
            if current is not None and extents is not None:
                extents[current] = SheetSize(max_row + 1, max_col + 1, len(filled_rows), filled)
            filled, filled_rows = 0, set()
            if substream < 0 and size >= 2:
                vers = unpack("<H", data, body)[0]
                biff = 8 if vers == 0x0600 else 5 if vers == 0x0500 else None
            substream += 1
            current = sheet_at.get(pos)
            max_row = max_col = -1
        elif rtype in _BIFF_DIMENSIONS and size >= 8 and substream > 0:
            # calamine reserves room for the whole declared range up front
            # (fuzz: a damaged DIMENSIONS record -> a 200 GB request -> abort)
            if size >= 14:
                r1, r2, c1, c2 = unpack("<IIHH", data, body)
            else:
                r1, r2, c1, c2 = unpack("<HHHH", data, body)
            if r2 < r1 or c2 < c1:
                raise _Refuse(MSG_BROKEN, current)
            if (r2 - r1 + 1) * (c2 - c1 + 1) > MAX_SHEET_CELLS:
                # refused either way; a real far cell further on is named (MSG_AREA), else
                # at the end of the sheet the claim alone is (rows/cols are one past the last)
                claim = claim or (MSG_DIM_CLAIM.format(rows=r2, cols=c2, limit=MAX_SHEET_CELLS // 10000), current)
        elif rtype == _BIFF_SST and size >= 8:
            if unpack("<I", data, body + 4)[0] > MAX_SHARED_STRINGS:
                raise _Refuse(MSG_STRINGS.format(limit=MAX_SHARED_STRINGS))
        elif rtype == _BIFF_FILEPASS and substream <= 0:
            raise _Refuse(MSG_ENCRYPTED)
        elif rtype == _BIFF_CODEPAGE and substream == 0 and size >= 2:
            codepage = unpack("<H", data, body)[0]
        elif rtype == _BIFF_BOUNDSHEET and size >= 8:
            offset = unpack("<I", data, body)[0]
            cch, high = data[body + 6], data[body + 7] if size >= 8 else 0
            raw = data[body + 8: body + 8 + (cch * 2 if high & 1 else cch)]
            try:
                sheet_at[offset] = raw.decode("utf-16-le" if high & 1 else "latin-1")
            except Exception:
                pass
        pos = body + size
    if claim:
        raise _Refuse(*claim)
    if current is not None and extents is not None:
        extents[current] = SheetSize(max_row + 1, max_col + 1, len(filled_rows), filled)
    return biff, codepage


__all__ = ["check_file", "check_merges", "FileKind", "open_calamine", "content_kind", "MAX_SHEET_CELLS", "MAX_FILE_BYTES", "MAX_MEMBER_BYTES", "MAX_TOTAL_BYTES"]
