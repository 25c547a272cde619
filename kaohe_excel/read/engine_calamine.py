"""The calamine engine (engine layer): .xlsx, .xlsm and most .xls, read with
python-calamine, and what calamine does not tell of an .xlsx.

python-calamine reads all three formats fast; it also reads the cells that are
really there rather than trusting the `<dimension>` tag that WPS understates.
`CalamineBook` opens a workbook once (by what its bytes are: safety.open_calamine),
rebuilding in memory a package calamine cannot open for a part Excel and WPS
repair (an Excel 4.0 macro sheet, a styles part that is not well-formed XML), and
reads its sheets one at a time with their merged ranges and states.

calamine returns Excel error cells as empty strings and does not expose number
formats or hidden rows and columns, so `cell_flags` reads them from the package
itself: a bounded streaming scan of the sheet XML. (For an .xls, engine_xlrd's
cell_flags reads them; grid.sheet_cell_flags chooses by the bytes.)
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
import zlib
from pathlib import Path
from typing import Any

from kaohe_excel.problems import WARNING, InputError, Problem, col_index
from kaohe_excel.read import engine_base as base
from kaohe_excel.read import safety
from kaohe_excel.read.engine_base import (BROKEN_ZIP, ENCRYPTED, MAX_ROWS, NO_SHEET_DATA, CellFlags, RawSheet, fail,
                                          is_percent_format, short)

# Parts a calamine open fails on but Excel and WPS open: an Excel 4.0 macro
# sheet (calamine: "Unrecognized sheet type") and a styles part that is not
# well-formed XML (Excel repairs it). The package is rebuilt in memory without
# them and opened again; only small packages are rebuilt.
MAX_REPAIR_BYTES = 30 * 1024 * 1024
_READABLE_SHEET_TYPES = (b"/worksheet", b"/chartsheet", b"/dialogsheet")


class CalamineBook:
    """A workbook opened once with calamine: its data sheets (`sheet_names`, the
    worksheets; every sheet when calamine names no type), all its sheets, each
    sheet's state, and `sheet(name)` to read one. Raises InputError with a Chinese
    message when the file cannot be opened; notes on a repaired package go to
    `problems`."""

    def __init__(self, path: Path, kind: Any, problems: list[Problem] | None):
        import python_calamine as pc

        self.path = path
        try:
            self._wb = _open(path, kind, problems)
        except pc.PasswordError:
            raise fail(path, "文件已加密，请取消密码后重新报送") from None
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as exc:  # calamine raises several types, and Rust panics, for broken files
            raise fail(path, f"无法打开该文件，文件可能已损坏或不是 Excel 工作簿（{short(exc, _reasons())}）") from None
        try:
            wb = self._wb
            self.sheet_names: list[str] = [m.name for m in wb.sheets_metadata
                                           if str(getattr(m, "typ", "")).endswith("WorkSheet")] or list(wb.sheet_names)
            self.all_sheet_names: list[str] = list(wb.sheet_names)
            self.states: dict[str, str] = {m.name: _state(m) for m in wb.sheets_metadata}
        except BaseException:
            self.close()
            raise

    def __enter__(self) -> "CalamineBook":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        try:
            self._wb.close()
        except Exception:
            pass

    def sheet(self, name: str) -> RawSheet:
        """The sheet's values (at most MAX_ROWS rows) and merged ranges; InputError
        when it cannot be read."""
        try:
            sh = self._wb.get_sheet_by_name(name)
            rows = sh.to_python(skip_empty_area=False, nrows=MAX_ROWS)
            merges = [(a[0], a[1], b[0], b[1]) for a, b in (sh.merged_cell_ranges or [])]
        except (InputError, KeyboardInterrupt, SystemExit):
            raise
        except BaseException as exc:  # a Rust panic in calamine is a BaseException
            raise fail(self.path, f"无法读取工作表内容，文件可能已损坏（{short(exc, _reasons())}）", name) from None
        return rows, merges


def _reasons() -> tuple[tuple[type, str], ...]:
    """calamine's exception classes that name the reason by themselves (engine_base.short
    goes by the words of the rest: its base CalamineError, its XmlError, a Rust panic)."""
    import python_calamine as pc

    return ((pc.PasswordError, ENCRYPTED), (pc.ZipError, BROKEN_ZIP), (pc.WorksheetNotFound, NO_SHEET_DATA))


def _state(meta: Any) -> str:
    v = str(getattr(meta, "visible", "")).rsplit(".", 1)[-1].lower()
    return "veryHidden" if v == "veryhidden" else "hidden" if v == "hidden" else "visible"


def _open(path: Path, kind, problems: list[Problem] | None):
    try:
        return safety.open_calamine(path, kind)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as first:
        import python_calamine as pc

        if kind.container != "zip" or isinstance(first, pc.PasswordError):
            raise
        repaired = _repaired_package(path)
        if repaired is None:
            raise
        data, notes = repaired
        try:
            wb = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException:
            raise first from None
        if problems is not None:
            for note in notes:
                problems.append(Problem(path.name, None, None, WARNING, note))
        return wb


def _repaired_package(path: Path) -> tuple[bytes, list[str]] | None:
    """The package without the parts calamine cannot open (see above), or None
    when there is nothing such to leave out."""
    import defusedxml.ElementTree as ET  # no DTD, no entity expansion in a file from anyone

    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            if sum(i.file_size for i in infos) > MAX_REPAIR_BYTES:
                return None
            members = {i.filename: zf.read(i) for i in infos}
    except Exception:
        return None
    lower = {n.lower(): n for n in members}
    notes: list[str] = []
    wb_name, rels_name = lower.get("xl/workbook.xml"), lower.get("xl/_rels/workbook.xml.rels")
    if wb_name and rels_name:
        other: set[bytes] = set()
        for m in re.finditer(rb"<(?:[\w.\-]+:)?Relationship\b([^<>]*)>", members[rels_name]):
            rid = re.search(rb"\bId\s*=\s*[\"']([^\"']*)", m.group(1))
            typ = re.search(rb"\bType\s*=\s*[\"']([^\"']*)", m.group(1))
            if rid and typ and "sheet" in typ.group(1).decode("latin-1").lower().rsplit("/", 1)[-1] \
                    and not typ.group(1).lower().endswith(_READABLE_SHEET_TYPES):
                other.add(rid.group(1))
        if other:
            def drop(m: re.Match) -> bytes:
                rid = re.search(rb"(?<![\w.\-])(?:[\w.\-]+:)?id\s*=\s*[\"']([^\"']*)", m.group(1))
                return b"" if rid and rid.group(1) in other else m.group(0)

            members[wb_name] = re.sub(rb"<(?:[\w.\-]+:)?sheet\b([^<>]*?)(?:/>|>\s*</(?:[\w.\-]+:)?sheet>)",
                                      drop, members[wb_name])
            notes.append("文件中有 Excel 4.0 宏表，已跳过（宏表不含报表数据，也不会被执行），其余工作表照常读取")
    styles = lower.get("xl/styles.xml")
    if styles:
        try:
            ET.fromstring(members[styles])  # DOCTYPE/ENTITY were refused by safety.check_file
        except (ET.ParseError, ValueError):  # ValueError: defusedxml refusing a DTD or entity
            del members[styles]
            notes.append("文件的样式部分（xl/styles.xml）已损坏，已忽略单元格格式只读取内容（日期、百分比格式可能无法识别）；"
                         "建议用 Excel 或 WPS 打开后「另存为」.xlsx 再报送")
    if not notes:
        return None
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as out:
        for name, data in members.items():
            out.writestr(name, data)
    return buf.getvalue(), notes


# --- what calamine does not tell of an .xlsx: error cells, percent formats, hidden ---

def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def cell_flags(path: Path, only: frozenset[str] | None = None, kind: Any = None) -> dict[str, CellFlags]:
    """Per sheet of an .xlsx/.xlsm package: error cells, percent-formatted numbers,
    hidden rows and columns, filter and state. Streams each sheet part with iterparse
    and stops at engine_base.MAX_FLAG_CELLS / MAX_FLAG_TOTAL. (openpyxl, used
    before, parses every sheet in full when it opens a workbook whose sheets carry
    no <dimension>: 20 s for a junk sheet of 2.9M cells.) safety.check_file has
    refused DOCTYPE/ENTITY in every part beforehand. With `only`, the other sheets
    are not scanned. Raises on a package it cannot open (grid.sheet_cell_flags makes
    that no flags). `kind`: what safety.check_file found for this file just now; the parts
    it inflated and kept are read from there (one pass over the package for both)."""
    out: dict[str, CellFlags] = {}
    parts = getattr(kind, "parts", None) or {}
    with _Parts(path, parts, getattr(kind, "members", ()) if parts else (), getattr(kind, "data", None)) as zf:
        names = {n.replace("\\", "/").lower(): n for n in zf.namelist()}

        def part(name: str) -> str | None:
            return names.get(name.lstrip("/").lower())

        wb_part, rels_part = part("xl/workbook.xml"), part("xl/_rels/workbook.xml.rels")
        if wb_part is None or rels_part is None:
            return out
        sheets = []
        for name, target, state in _sheet_parts(zf.read(wb_part), zf.read(rels_part)):
            member = part(target)
            if member is not None:
                sheets.append((name, member, state))
        percent_styles = _percent_styles(zf, part("xl/styles.xml"))
        budget = base.MAX_FLAG_TOTAL
        for name, member, state in sheets:
            if only is not None and name not in only:
                continue
            if budget <= 0:
                out[name] = CellFlags({}, set(), state=state)
                continue
            flags, used = _scan_sheet_flags(zf, member, percent_styles, min(budget, base.MAX_FLAG_CELLS))
            flags.state = state
            out[name] = flags
            budget -= used
    return out


class _Parts:
    """The package's parts as cell_flags reads them: from the bytes safety.check_file kept when
    it has them, else from the zip (opened when first needed)."""

    def __init__(self, path: Path, kept: dict[str, bytes], members: tuple[str, ...], data: bytes | None = None):
        self.path, self.kept, self.members, self._zf = path, kept, members, None
        self.data = data  # the package's bytes as checked, when check_file kept them

    def __enter__(self) -> "_Parts":
        return self

    def __exit__(self, *exc) -> None:
        if self._zf is not None:
            self._zf.close()

    @property
    def zf(self) -> zipfile.ZipFile:
        if self._zf is None:
            self._zf = zipfile.ZipFile(io.BytesIO(self.data) if self.data is not None else self.path)
        return self._zf

    def namelist(self) -> list[str]:
        return list(self.members) if self.members else self.zf.namelist()

    def size(self, member: str) -> int:
        got = self.kept.get(member)
        return len(got) if got is not None else self.zf.getinfo(member).file_size

    def read(self, member: str) -> bytes:
        got = self.kept.get(member)
        return got if got is not None else self.zf.read(member)

    def open(self, member: str):
        got = self.kept.get(member)
        return io.BytesIO(got) if got is not None else self.zf.open(member)


def _sheet_parts(workbook: bytes, rels: bytes) -> tuple[tuple[str, str, str], ...]:
    """(sheet name, its part as the relationships name it, state) of each sheet in order."""
    return safety.by_bytes(_SHEET_PARTS, (workbook, rels), len(workbook) + len(rels), lambda: _read_sheet_parts(workbook, rels))


def _read_sheet_parts(workbook: bytes, rels: bytes) -> tuple[tuple[str, str, str], ...]:
    import defusedxml.ElementTree as ET  # no DTD, no entity expansion in a file from anyone

    targets = {}
    for el in ET.fromstring(rels):
        if _local(el.tag) == "Relationship" and el.get("Target"):
            t = el.get("Target").replace("\\", "/")
            targets[el.get("Id")] = t.lstrip("/") if t.startswith("/") else posixpath.normpath("xl/" + t)
    out = []
    for el in ET.fromstring(workbook).iter():
        if _local(el.tag) == "sheet":
            rid = next((v for k, v in el.attrib.items() if k.startswith("{") and _local(k) == "id"), None)
            if rid and rid in targets and el.get("name"):
                out.append((el.get("name"), targets[rid], el.get("state") or "visible"))
    return tuple(out)


_SHEET_PARTS: dict[tuple[bytes, bytes], tuple] = {}


def _percent_styles(zf, member: str | None) -> frozenset[int]:
    """Indexes of the cell formats (cellXfs) that show a number as a percentage."""
    if member is None:
        return frozenset()
    data = zf.read(member)
    return safety.by_bytes(_PERCENT_STYLES, data, len(data), lambda: _read_percent_styles(data))


def _read_percent_styles(data: bytes) -> frozenset[int]:
    import defusedxml.ElementTree as ET  # no DTD, no entity expansion in a file from anyone

    try:
        root = ET.fromstring(data)
    except (ET.ParseError, ValueError):
        return frozenset()
    codes = {9: "0%", 10: "0.00%"}  # the built-in percentage formats
    for el in root.iter():
        if _local(el.tag) == "numFmt" and (el.get("numFmtId") or "").isdigit():
            codes[int(el.get("numFmtId"))] = el.get("formatCode") or ""
    out: set[int] = set()
    for el in root:
        if _local(el.tag) == "cellXfs":
            for i, xf in enumerate(x for x in el if _local(x.tag) == "xf"):
                fid = xf.get("numFmtId") or "0"
                if fid.isdigit() and is_percent_format(codes.get(int(fid))):
                    out.add(i)
    return frozenset(out)


_PERCENT_STYLES: dict[bytes, frozenset] = {}  # a styles part's bytes -> its percent formats


_REF = re.compile(r"([A-Za-z]{1,3})([0-9]{1,7})$")


def _scan_sheet_flags(zf, member: str, percent_styles: set[int], cap: int) -> tuple[CellFlags, int]:
    """Error and percent cells of one sheet part, placed as calamine places them
    (an explicit r= or the next position), and its hidden rows and columns;
    stops after `cap` cells (a <col> element counts as one)."""
    import defusedxml.ElementTree as ET  # no DTD, no entity expansion in a file from anyone

    flags = CellFlags({}, set())
    quick = _nothing_to_flag(zf, member, percent_styles)
    if quick is not None:  # most sheets: no hidden row or column, no error, no percent cell
        return flags, min(quick, cap)
    row, col, n = -1, -1, 0
    views = 0  # inside a <customSheetView>: its own filter is a saved view, not the sheet's
    cell: tuple[int, int, str | None, str | None] | None = None
    value: str | None = None
    formula: str | None = None
    try:
        with zf.open(member) as fh:
            for event, el in ET.iterparse(fh, events=("start", "end")):
                tag = _local(el.tag)
                if event == "start":
                    if tag == "row":
                        r = el.get("r")
                        row = int(r) - 1 if r and r.isdigit() else row + 1
                        col = -1
                        if row >= base.MAX_HIDDEN_ROW:
                            break
                        if _true(el.get("hidden")):
                            flags.hidden_rows.add(row)
                    elif tag == "col":
                        if _true(el.get("hidden")):
                            lo, hi = el.get("min") or "", el.get("max") or el.get("min") or ""
                            if lo.isdigit() and hi.isdigit():
                                # min/max may claim all 16384 columns: only those a grid holds count
                                flags.hidden_cols.update(range(max(int(lo) - 1, 0), min(int(hi), base.MAX_HIDDEN_COL)))
                        n += 1
                        if n >= cap:
                            break
                    elif tag == "customSheetView":
                        views += 1
                    elif tag == "autoFilter" and not views:
                        flags.filter_area = _area(el.get("ref") or "")
                    elif tag == "filterColumn" and not views:
                        flags.filtered = True  # an AutoFilter that filters (not just the arrows)
                    elif tag == "c":
                        ref = _REF.match(el.get("r") or "")
                        if ref:
                            col = col_index(ref.group(1))
                            row = int(ref.group(2)) - 1
                        else:
                            col += 1
                        cell, value, formula = (max(row, 0), col, el.get("t"), el.get("s")), None, None
                    continue
                if tag == "v" and cell is not None:
                    value = el.text
                elif tag == "f" and cell is not None:
                    formula = (el.text or "").strip()
                elif tag == "c" and cell is not None:
                    r, c, t, style = cell
                    if value is not None and value.strip():
                        if t == "e":
                            flags.errors[(r, c)] = value.strip()
                        elif t in (None, "n") and style and style.isdigit() and int(style) in percent_styles:
                            flags.percent.add((r, c))
                    elif formula is not None and t in (None, "n"):
                        # a number's formula with no result kept (a file no spreadsheet program saved):
                        # calamine reads it as empty; the readers say why (values.UNCALCULATED)
                        flags.errors[(r, c)] = base.uncalculated(formula)
                    cell = None
                    el.clear()
                    n += 1
                    if n >= cap:
                        break
                elif tag == "row":
                    el.clear()
                elif tag == "customSheetView":
                    views -= 1
    except (ET.ParseError, KeyError, ValueError, OSError, EOFError, zlib.error):
        pass  # best effort: what was found before the damage is kept
    return flags, n


def _area(ref: str) -> base.Range | None:
    """An AutoFilter's ref ('A3:K11') as (r1, c1, r2, c2), 0-based; None when unreadable."""
    ends = [_REF.match(part.replace("$", "")) for part in ref.strip().split(":")]
    if not ends or len(ends) > 2 or not all(ends):
        return None
    (c1, r1), (c2, r2) = [(col_index(m.group(1)), int(m.group(2)) - 1) for m in (ends[0], ends[-1])]
    return (min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2))


# What makes a sheet worth the full scan: a hidden row or column, an error cell, a filter, a
# formula whose result was never kept (no <v>, or an empty one, before the cell ends).
_HIDDEN = re.compile(rb"""\bhidden\s*=\s*["'](?:1|true)["']""")
_ERROR_CELL = re.compile(rb"""\bt\s*=\s*["']e["']""")
_NO_RESULT = re.compile(rb"(?:</(?:\w+:)?f>|<(?:\w+:)?f\b[^<>]*/>)\s*(?:<(?:\w+:)?v\s*/>|<(?:\w+:)?v>\s*</(?:\w+:)?v>)?"
                        rb"\s*</(?:\w+:)?c>")


def _needs_scan(data: bytes) -> bool:
    """Any hidden="1", t="e" or filterColumn, in any case. One lower-cased copy and a plain
    substring test before each pattern: one case-blind alternation over a sheet part took
    1.4 ms a file, most of a province's flag checks."""
    low = data.lower()
    return (b"filtercolumn" in low
            or b"hidden" in low and _HIDDEN.search(low) is not None
            or (b'"e"' in low or b"'e'" in low) and _ERROR_CELL.search(low) is not None
            or (b"f>" in low or b"f/>" in low or b"f " in low) and _NO_RESULT.search(low) is not None)
_STYLE_ATTR = re.compile(rb"""\bs\s*=\s*["']([0-9]{1,6})["']""")
QUICK_SCAN_BYTES = 8 * 1024 * 1024  # a larger sheet part is scanned as a stream


def _nothing_to_flag(zf, member: str, percent_styles: set[int]) -> int | None:
    """The number of cells of a sheet part with nothing to flag (a byte search, no XML parse),
    or None when it has something, or may have (then the full scan decides)."""
    try:
        if zf.size(member) > QUICK_SCAN_BYTES:
            return None
        data = zf.read(member)
    except (KeyError, ValueError, OSError, EOFError, zlib.error, RuntimeError):
        return None
    if _needs_scan(data):
        return None
    if percent_styles and any(int(m) in percent_styles for m in set(_STYLE_ATTR.findall(data))):
        return None
    return data.count(b"<c ") + data.count(b"<c>") + data.count(b":c ")


def _true(v: str | None) -> bool:
    return (v or "").strip().lower() in ("1", "true")


__all__ = ["CalamineBook", "cell_flags", "MAX_REPAIR_BYTES"]
