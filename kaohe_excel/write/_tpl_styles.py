"""What the template engine needs from styles.xml, read as text: per cell style (xf)
its number format, font size and wrap flag; and cellXfs entries appended for dates
written into cells whose style has no date format. Nothing else in styles.xml is
touched, so the template's style indexes stay valid.

Also the text-width estimate behind `{%row autofit %}`: LibreOffice (and Excel, for a
generated file) does not grow a row to fit wrapped text, so the engine sets the
height itself from the rendered text and the column width.
"""

from __future__ import annotations

import math
import re

from kaohe_excel.write._tpl_package import attrs

_XF_RE = re.compile(r"<xf\b([^>]*?)(?:/>|>(.*?)</xf>)", re.S)
_FONT_RE = re.compile(r"<font\b[^>]*?(?:/>|>(.*?)</font>)", re.S)
_SZ_RE = re.compile(r'<sz\b[^>]*?\bval="([\d.]+)"')
_WRAP_RE = re.compile(r'<alignment\b[^>]*?\bwrapText="(?:1|true)"')
_NUMFMT_RE = re.compile(r"<numFmt\b([^>]*?)/?>")

# built-in number formats that show a date or time (ECMA-376 18.8.30, with the CJK ids)
_BUILTIN_DATES = set(range(14, 23)) | set(range(27, 37)) | {45, 46, 47} | set(range(50, 59))
DATE_FMT, DATETIME_FMT = 14, 22


_FMT_NOISE = re.compile(r'"[^"]*"|\\.|_.|\*.|[eE][+-]|\[(?!h\]|hh\]|m\]|mm\]|s\]|ss\])[^\]]*\]', re.I)
_DATE_PART = re.compile(r"[dmyhsegb]|\[(?:h|hh|m|mm|s|ss)\]", re.I)


def _is_date_code(code: str) -> bool:
    """A number format that shows a date or time: after quoted text, escaped and padding
    characters and [Red]/[$-804] sections, a d m y h s (e g b) letter is left ([h] too)."""
    first = (code or "").split(";")[0]
    if first.strip().lower() == "general":
        return False
    return bool(_DATE_PART.search(_FMT_NOISE.sub("", first)))


# a digit's width in em for fonts met as a workbook's default (Excel measures columns in it)
_DIGIT_EM = {"calibri": 0.507, "arial": 0.556, "liberation sans": 0.556, "宋体": 0.5, "simsun": 0.5,
             "等线": 0.53, "dengxian": 0.53, "times new roman": 0.5, "微软雅黑": 0.56, "microsoft yahei": 0.56}


def digit_px(font: str, size: float) -> int:
    """Pixels of one digit at 96 dpi (Calibri 11: 7, Arial 11: 8), as Excel rounds it."""
    em = _DIGIT_EM.get(font.strip().lower(), 0.53)
    return max(int(size * 96 / 72 * em), 1)


class Styles:
    """The parts of styles.xml the engine reads, and the cellXfs it appends."""

    def __init__(self, xml: str | None):
        self.xml = xml
        self.xfs: list[tuple[str, str | None]] = []  # (attributes, inner xml) of each cellXfs <xf>
        self.font_sizes: list[float] = []
        self.date_ids: set[int] = set(_BUILTIN_DATES)
        self.digit_px = 7  # the default font's digit width: the unit of column widths
        if not xml:
            return
        m = re.search(r"<fonts\b[^>]*>(.*?)</fonts>", xml, re.S)
        if m:
            for fm in _FONT_RE.finditer(m.group(1)):
                sz = _SZ_RE.search(fm.group(1) or "")
                self.font_sizes.append(float(sz.group(1)) if sz else 11.0)
                if len(self.font_sizes) == 1:
                    name = re.search(r'<name\b[^>]*\bval="([^"]*)"', fm.group(1) or "")
                    self.digit_px = digit_px(name.group(1) if name else "", self.font_sizes[0])
        m = re.search(r"<numFmts\b[^>]*>(.*?)</numFmts>", xml, re.S)
        if m:
            for a in map(attrs, _NUMFMT_RE.findall(m.group(1))):
                if a.get("numFmtId", "").isdigit() and _is_date_code(a.get("formatCode", "")):
                    self.date_ids.add(int(a["numFmtId"]))
        m = re.search(r"<cellXfs\b[^>]*>(.*?)</cellXfs>", xml, re.S)
        if m:
            self.xfs = [(x.group(1), x.group(2)) for x in _XF_RE.finditer(m.group(1))]
        self._info: dict[int, tuple[int, float, bool]] = {}

    def info(self, s: int) -> tuple[int, float, bool]:
        """(numFmtId, font size in points, wraps text) of cell style `s`."""
        got = self._info.get(s)
        if got is None:
            if 0 <= s < len(self.xfs):
                raw, inner = self.xfs[s]
                a = attrs(raw)
                fmt = int(a["numFmtId"]) if a.get("numFmtId", "").isdigit() else 0
                fid = int(a["fontId"]) if a.get("fontId", "").isdigit() else 0
                size = self.font_sizes[fid] if fid < len(self.font_sizes) else 11.0
                wrap = bool(inner and _WRAP_RE.search(inner))
            else:
                fmt, size, wrap = 0, (self.font_sizes[0] if self.font_sizes else 11.0), False
            got = self._info[s] = (fmt, size, wrap)
        return got

    def is_date(self, s: int) -> bool:
        return self.info(s)[0] in self.date_ids

    # ---- dates in cells without a date format
    def session(self) -> "StyleSession":
        return StyleSession(self)


class StyleSession:
    """The cellXfs one render appends (once per base style and format)."""

    def __init__(self, styles: Styles):
        self.styles = styles
        self.added: list[str] = []
        self._map: dict[tuple[int, int], int] = {}

    def with_format(self, s: int, fmt: int) -> int | None:
        """Index of a cell style like `s` but with number format `fmt` (appended once);
        None when styles.xml has no cellXfs to append to."""
        key = (s, fmt)
        got = self._map.get(key)
        if got is not None:
            return got
        xfs = self.styles.xfs
        if not xfs:
            return None
        raw, inner = xfs[s] if 0 <= s < len(xfs) else xfs[0]
        a = attrs(raw)
        a["numFmtId"] = str(fmt)
        a["applyNumberFormat"] = "1"
        head = "<xf" + "".join(f' {k}="{v}"' for k, v in a.items())
        self.added.append(head + ("/>" if inner is None else f">{inner}</xf>"))
        got = self._map[key] = len(xfs) + len(self.added) - 1
        return got

    def xml(self) -> str | None:
        """styles.xml with the appended cellXfs, or None if nothing was appended."""
        if not self.added:
            return None
        xml = self.styles.xml
        m = re.search(r"(<cellXfs\b)([^>]*)>(.*?)</cellXfs>", xml, re.S)
        count = len(self.styles.xfs) + len(self.added)
        head = re.sub(r'\s*\bcount="\d*"', "", m.group(2)) + f' count="{count}"'
        return xml[: m.start()] + f"{m.group(1)}{head}>{m.group(3)}{''.join(self.added)}</cellXfs>" + xml[m.end():]


# ---- row heights for wrapped text ----------------------------------------------------

# East Asian wide and full-width characters: about two width units each
_WIDE = re.compile("[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf"
                   "\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\U00020000-\U0003fffd]")


def text_units(text: str) -> int:
    """Width of `text` in column-width units at 11 pt: CJK 2, everything else 1."""
    if text.isascii():
        return len(text)
    return len(text) + len(_WIDE.findall(text))


CELL_PADDING = 0.8  # width units lost to the cell's left and right margins
MAX_ROW_HEIGHT = 409.0


def wrapped_lines(text: str, width: float, size: float) -> int:
    """Printed lines of `text` wrapped in a column `width` units wide at `size` pt."""
    usable = max(width - CELL_PADDING, 1.0)
    scale = size / 11.0
    n = 0
    for para in text.split("\n"):
        u = text_units(para) * scale
        if u > usable and " " in para:
            u *= 1.1  # words wrap whole: a line ends short
        n += max(1, math.ceil(u / usable - 1e-9))
    return n


def line_height(size: float) -> float:
    """Points one wrapped line of `size` pt takes. CJK faces run taller than Latin ones, and
    where 仿宋/黑体 are missing (LibreOffice on Linux) Noto Sans CJK stands in at 1.45 em:
    rows are sized for that, a little roomy in Excel rather than cut anywhere."""
    return size * 1.45


def row_height(lines: int, size: float) -> float:
    """A row height for `lines` lines, rounded up to Excel's 0.75 pt (one pixel) steps."""
    h = lines * line_height(size) + 1.5
    return min(math.ceil(h / 0.75) * 0.75, MAX_ROW_HEIGHT)


def width_of(cols: list[tuple[int, int, float]], default: float, col: int) -> float:
    for lo, hi, w in cols:
        if lo <= col <= hi:
            return w
    return default


def parse_cols(prefix: str) -> tuple[list[tuple[int, int, float]], float]:
    """Column widths of a sheet (`<cols>`) and its default column width."""
    cols = []
    for a in map(attrs, re.findall(r"<col\b([^>]*?)/?>", prefix)):
        try:
            cols.append((int(a["min"]), int(a["max"]), float(a.get("width", "8.43"))))
        except (KeyError, ValueError):
            continue
    default = 8.43
    m = re.search(r"<sheetFormatPr\b([^>]*?)/?>", prefix)
    if m:
        a = attrs(m.group(1))
        try:
            if "defaultColWidth" in a:
                default = float(a["defaultColWidth"])
            elif "baseColWidth" in a:
                default = float(a["baseColWidth"]) + 0.71
        except ValueError:
            pass
    return cols, default


def default_row_height(prefix: str) -> float:
    m = re.search(r'<sheetFormatPr\b[^>]*?\bdefaultRowHeight="([\d.]+)"', prefix)
    return float(m.group(1)) if m else 15.0
