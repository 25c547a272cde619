"""One way to open any workbook a clerk drops in: .xlsx, .xlsm and old .xls.

A sheet becomes a `Grid`: cell values at their real sheet coordinates, where a
merged range's value shows in every cell it covers and the merges are kept, so
later stages can both read a cell plainly and ask whether it was merged.
python-calamine reads all three formats fast; it also reads the cells that are
really there rather than trusting the `<dimension>` tag that WPS understates.
Files are opened by what their bytes are, not by their extension (safety.FileKind);
an .xls whose text calamine would garble (Excel 5.0/95, or a CODEPAGE other than
UTF-16) is read with xlrd instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kaohe_excel.problems import ERROR, WARNING, InputError, Problem, cell_ref, human_name

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls"}
# A sheet never needs more than this for our tables; a file that claims more is
# either broken or hostile and is cut, with a problem, instead of filling memory.
MAX_ROWS = 20000
MAX_COLS = 200
# All sheets read from one workbook together: rows and cells that hold something.
# The largest tables anyone sends (an indicator system of a few thousand indicators,
# a 一览表 filled in by a department) stay well inside; a workbook past this is not a
# report but a data dump, and reading it through took minutes (issue 12: 17 sheets x
# 20,000 rows, 292 s). Within these a file is read in a few seconds (bench/bench_inputs.py:
# the readers spend about 0.1-0.4 ms a row). Empty cells cost little and are not counted
# (a stray value far down a sheet is read); safety.MAX_SHEET_CELLS bounds the area.
MAX_WORKBOOK_ROWS = 8_000
MAX_WORKBOOK_CELLS = 80_000

Range = tuple[int, int, int, int]  # r1, c1, r2, c2 (0-based, inclusive)


@dataclass
class Grid:
    file: str  # file name as shown to the user
    sheet: str
    cells: list[list[Any]]
    merges: list[Range] = field(default_factory=list)
    path: Path | None = None
    _merge_at: dict[tuple[int, int], Range] = field(default_factory=dict, repr=False)
    # What the clerk does not see (values.sheet_cell_flags): hidden rows and columns
    # (0-based), whether they may be rows an AutoFilter hides, and the sheet's state
    # (visible / hidden / veryHidden). tables.visible_grid blanks them.
    hidden_rows: frozenset[int] = frozenset()
    hidden_cols: frozenset[int] = frozenset()
    filtered: bool = False
    state: str = "visible"

    def __post_init__(self) -> None:
        for rng in self.merges:
            r1, c1, r2, c2 = rng
            for r in range(r1, r2 + 1):
                for c in range(c1, c2 + 1):
                    self._merge_at[(r, c)] = rng

    @property
    def nrows(self) -> int:
        return len(self.cells)

    @property
    def ncols(self) -> int:
        return max((len(r) for r in self.cells), default=0)

    def value(self, r: int, c: int) -> Any:
        if 0 <= r < len(self.cells) and 0 <= c < len(self.cells[r]):
            return self.cells[r][c]
        return ""

    def text(self, r: int, c: int) -> str:
        """The cell as a clerk would read it: numbers without a spurious '.0'."""
        if 0 <= r < len(self.cells) and c >= 0:
            row = self._texts(r)
            if c < len(row):
                return row[c]
        return ""

    def _texts(self, r: int) -> list[str]:
        """Row r's texts, made once: the readers ask for every cell many times over
        (a sheet's grid does not change once read; tables.visible_grid makes a new one)."""
        cache = self.__dict__.get("_text_rows")
        if cache is None or len(cache) != len(self.cells):
            cache = self.__dict__["_text_rows"] = [None] * len(self.cells)
        row = cache[r]
        if row is None:
            row = cache[r] = [cell_text(v) for v in self.cells[r]]
        return row

    def merge_of(self, r: int, c: int) -> Range | None:
        return self._merge_at.get((r, c))

    def is_merge_origin(self, r: int, c: int) -> bool:
        rng = self._merge_at.get((r, c))
        return rng is None or (rng[0] == r and rng[1] == c)

    def row_texts(self, r: int) -> list[str]:
        if 0 <= r < len(self.cells):
            return list(self._texts(r))
        return [cell_text(v) for v in (self.cells[r] if r < len(self.cells) else [])]  # (a negative r, as before)

    def problem(self, r: int | None, c: int | None, message: str, level: str = ERROR) -> Problem:
        cell = cell_ref(r, c) if r is not None and c is not None else None
        return Problem(self.file, self.sheet, cell, level, message)


def cell_text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, float):
        if v != v:  # NaN
            return ""
        if v.is_integer() and abs(v) < 1e15:
            return str(int(v))
        return repr(v)
    return str(v)


def _fail(path: Path, message: str, sheet: str | None = None) -> InputError:
    return InputError(Problem(path.name, sheet, None, ERROR, message))


def sniff(path: Path) -> str:
    """What the bytes say the file is: 'zip', 'ole', 'empty', 'text' or 'unknown'."""
    with open(path, "rb") as fh:
        head = fh.read(8)
    if not head:
        return "empty"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if head.startswith(b"<") or b"\x00" not in head:
        return "text"
    return "unknown"


def read_workbook(path: str | Path, sheet: str | None = None,
                  problems: list[Problem] | None = None, *, notes: list[Problem] | None = None) -> list[Grid]:
    """Every worksheet of the workbook (or the named one) as grids.

    Raises InputError with a Chinese message when the file cannot be used.
    With `problems`, a sheet that cannot be read is recorded there and skipped
    as long as another sheet of the file was read (a damaged extra sheet does
    not cost the department its report); so are notes on what was repaired.
    Each grid knows its hidden rows and columns; a hidden sheet holding a table
    is left out when a visible sheet holds one (see `_as_seen`), with a warning
    in `notes` (default: `problems`).
    """
    path = Path(path)
    from kaohe_excel.read import safety  # checks that need no full parse

    kind = safety.check_file(path)
    if kind.calamine_garbles_text:
        grids, cut = _read_xlrd(path, sheet, problems, kind, notes)
        return _as_seen(path, grids, {}, sheet, problems if notes is None else notes, cut)
    import python_calamine as pc

    try:
        wb = _open_calamine(path, kind, problems)
    except pc.PasswordError:
        raise _fail(path, "文件已加密，请取消密码后重新报送") from None
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # calamine raises several types, and Rust panics, for broken files
        raise _fail(path, f"无法打开该文件，文件可能已损坏或不是 Excel 工作簿（{_short(exc)}）") from None
    try:
        names = [m.name for m in wb.sheets_metadata
                 if str(getattr(m, "typ", "")).endswith("WorkSheet")] or list(wb.sheet_names)
        names = _chosen_sheets(path, names, list(wb.sheet_names), sheet)
        states = {m.name: _calamine_state(m) for m in wb.sheets_metadata}
        grids, cut = _read_sheets(names, lambda name: _read_sheet(wb, name, path), problems, sheet,
                                  path, kind, notes)
        return _as_seen(path, grids, states, sheet, problems if notes is None else notes, cut)
    finally:
        try:
            wb.close()
        except Exception:
            pass


def _calamine_state(meta: Any) -> str:
    v = str(getattr(meta, "visible", "")).rsplit(".", 1)[-1].lower()
    return "veryHidden" if v == "veryhidden" else "hidden" if v == "hidden" else "visible"


_STATE_WORDS = {"hidden": "隐藏的", "veryHidden": "深度隐藏的（veryHidden，Excel 的「取消隐藏」里也看不到）"}


def _as_seen(path: Path, grids: list[Grid], states: dict[str, str], sheet: str | None,
             notes: list[Problem] | None, cut: bool = False) -> list[Grid]:
    """The grids as the clerk sees the workbook: each marked with its hidden rows
    and columns and its state (read in the bounded scan of values.sheet_cell_flags,
    which the readers reuse for error and percent cells; calamine's sheet metadata
    for the state where it has it).

    A hidden sheet that holds a table (a copy of last year's table, a template's
    veryHidden sheet) is left out when a visible sheet holds one, with a warning;
    when no visible sheet does, the hidden sheets are read, with a warning, rather
    than the file refused. A sheet asked for by name is read whatever its state."""
    from kaohe_excel.read.values import sheet_cell_flags

    try:
        # sheets left out for size are not scanned either (`cut`)
        only = frozenset(g.sheet for g in grids) if cut else None
        flags = sheet_cell_flags(path, only=only) if path.exists() else {}
    except Exception:  # best effort, like the error and percent flags
        flags = {}
    for g in grids:
        f = flags.get(g.sheet)
        if f is not None:
            g.hidden_rows = frozenset(r for r in f.hidden_rows if r < MAX_ROWS)
            g.hidden_cols = frozenset(c for c in f.hidden_cols if c < MAX_COLS)
            g.filtered = f.filtered
        g.state = states.get(g.sheet) or (f.state if f is not None else "visible")
    if sheet is not None or all(g.state == "visible" for g in grids):
        return grids
    from kaohe_excel.read.tables import holds_table

    hidden = [g for g in grids if g.state != "visible" and holds_table(g)]
    if not hidden:
        return grids  # nothing a reader would take from them
    shown = [g for g in grids if g.state == "visible" and holds_table(g)]
    for g in hidden:
        what = f"工作表「{g.sheet}」是{_STATE_WORDS.get(g.state, '隐藏的')}工作表"
        msg = (f"{what}，其中的表格未读取（读取的是可见的工作表「{'」「'.join(x.sheet for x in shown)}」）；"
               "如需使用，请在 Excel 中取消隐藏" if shown else
               f"{what}，可见的工作表中没有表格，已读取其中的表格；请核实这是要报送的表格")
        if notes is not None:
            notes.append(Problem(path.name, g.sheet, None, WARNING, msg))
    if not shown:
        return grids
    gone = {id(g) for g in hidden}
    return [g for g in grids if id(g) not in gone]


# Parts a calamine open fails on but Excel and WPS open: an Excel 4.0 macro
# sheet (calamine: "Unrecognized sheet type") and a styles part that is not
# well-formed XML (Excel repairs it). The package is rebuilt in memory without
# them and opened again; only small packages are rebuilt.
MAX_REPAIR_BYTES = 30 * 1024 * 1024
_READABLE_SHEET_TYPES = (b"/worksheet", b"/chartsheet", b"/dialogsheet")


def _open_calamine(path: Path, kind, problems: list[Problem] | None):
    from kaohe_excel.read import safety

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
        import io

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
    import io
    import re
    import defusedxml.ElementTree as ET  # no DTD, no entity expansion in a file from anyone
    import zipfile

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


def _read_xlrd(path: Path, sheet: str | None, problems: list[Problem] | None,
               kind: Any = None, notes: list[Problem] | None = None) -> tuple[list[Grid], bool]:
    """An .xls whose text calamine would garble (safety.FileKind): Excel 5.0/95
    files, and 97-2003 files whose CODEPAGE record is not UTF-16. xlrd decodes
    both by the codepage the file declares. safety.check_file has bounded the
    sheets' extent, so xlrd's full load of a sheet stays small."""
    import os

    with open(os.devnull, "w") as log:  # xlrd writes its warnings to stdout by default
        try:
            bk = open_xls_book(path, log)
        except (KeyboardInterrupt, SystemExit):
            raise
        except Exception as exc:
            raise _fail(path, f"无法打开该文件，文件可能已损坏或不是 Excel 工作簿（{_short(exc)}）") from None
        try:
            names = _chosen_sheets(path, bk.sheet_names(), bk.sheet_names(), sheet)
            return _read_sheets(names, lambda name: _xlrd_sheet(bk, name, path), problems, sheet,
                                path, kind, notes)
        finally:
            bk.release_resources()


def open_xls_book(path: Path, log) -> Any:
    """xlrd's book, with formatting (hidden rows and columns, number formats) where
    xlrd can read it; `log` takes xlrd's warnings, which go to stdout by default and
    would corrupt `kaohe check --json`."""
    import xlrd

    try:
        return xlrd.open_workbook(str(path), formatting_info=True, on_demand=True, logfile=log)
    except Exception:
        return xlrd.open_workbook(str(path), on_demand=True, logfile=log)


def _read_sheets(names: list[str], read_one, problems: list[Problem] | None, sheet: str | None,
                 path: Path, kind: Any = None, notes: list[Problem] | None = None) -> tuple[list[Grid], bool]:
    """Each named sheet read by `read_one`, and whether a sheet was left out for size.

    With `problems`, a sheet that cannot be read is recorded there and skipped as long
    as another sheet holds something; a sheet asked for by name, or a file whose
    readable sheets are blank, fails whole. Sheets are read in order while the rows
    and cells that hold something stay within MAX_WORKBOOK_ROWS / MAX_WORKBOOK_CELLS
    together (`kind`, what safety.check_file found, says a sheet's size before it is
    read, and which sheets it did not scan at all); a sheet past them is left out,
    named in `problems` (else `notes`; with neither, the file fails: nothing is left
    out silently), and a later one that fits is still read."""
    extents = getattr(kind, "extents", None) or {}
    unscanned = set(getattr(kind, "unscanned", None) or ())
    grids, failed, too_big = [], [], []
    used = (0, 0)
    for name in names:
        if name in unscanned:
            too_big.append(_too_big(path, name, None, used))
            continue
        known = extents.get(name)
        if known is not None and not _fits(used, known.filled_rows, known.filled_cells):
            too_big.append(_too_big(path, name, (known.filled_rows, known.filled_cells), used))
            continue
        try:
            g = read_one(name)
        except InputError as exc:
            if problems is None or sheet is not None:
                raise
            failed.append(exc)
            continue
        filled = _filled(g)  # as read: merged cells count once per cell they cover
        if not _fits(used, *filled):
            too_big.append(_too_big(path, name, filled, used))
            continue
        used = (used[0] + filled[0], used[1] + filled[1])
        grids.append(g)
    said = problems if problems is not None else notes
    if too_big and (said is None or sheet is not None):
        raise _with_the_others(too_big)
    if (failed or too_big) and not any(_has_value(g) for g in grids):
        raise failed[0] if failed else _with_the_others(too_big)  # the sheets read are blank: the file's content is what failed
    for exc in failed:
        problems.append(exc.problem)
    for exc in too_big:
        p = exc.problem
        said.append(Problem(p.file, p.sheet, p.cell, WARNING, p.message))
    return grids, bool(too_big)


def _fits(used: tuple[int, int], rows: int, cells: int) -> bool:
    return used[0] + rows <= MAX_WORKBOOK_ROWS and used[1] + cells <= MAX_WORKBOOK_CELLS


def _filled(grid: Grid) -> tuple[int, int]:
    """Rows and cells of the grid that hold something (counted at C speed per row)."""
    rows = cells = 0
    for row in grid.cells:
        n = len(row) - row.count("") - row.count(None)
        if n:
            rows += 1
            cells += n
    return rows, cells


def _with_the_others(errs: list[InputError]) -> InputError:
    """The first sheet's problem, saying which other sheets were left out with it."""
    first = errs[0].problem
    if len(errs) == 1:
        return errs[0]
    others = [e.problem.sheet or "" for e in errs[1:]]
    more = f"{'、'.join(others[:5])}{'等' if len(others) > 5 else ''}"
    return InputError(Problem(first.file, first.sheet, first.cell, first.level,
                              f"{first.message}（本文件另有 {len(others)} 个工作表同样过大未读取：{more}）"))


_TOO_BIG_TAIL = ("单位月报、指标体系和六县市数据都远小于此），该工作表未读取；"
                 "如其中有要报送的表格，请删除多余的行和列，或把表格另存为单独的文件后重新报送")


def _too_big(path: Path, name: str, filled: tuple[int, int] | None, used: tuple[int, int]) -> InputError:
    """The problem for a sheet left out for size (`filled`: its rows and cells that hold
    something; None: not even scanned)."""
    from kaohe_excel.read.safety import MAX_SCANNED_SHEET_BYTES

    if filled is None:
        return _fail(path, f"本文件各工作表的数据量合计超过 {MAX_SCANNED_SHEET_BYTES // (1024 * 1024)} MB，"
                           f"超出一个文件可读取的范围（{_TOO_BIG_TAIL}", name)
    rows, cells = filled
    more = "连同本文件前面的工作表" if _fits((0, 0), rows, cells) else ""
    return _fail(path, f"工作表中有内容的有 {rows} 行、{cells} 个单元格，{more}超出一个文件可读取的范围"
                       f"（合计最多 {MAX_WORKBOOK_ROWS} 行、{MAX_WORKBOOK_CELLS} 个有内容的单元格；{_TOO_BIG_TAIL}", name)


def _xlrd_sheet(bk: Any, name: str, path: Path) -> Grid:
    try:
        return _xlrd_grid(bk, name, path)
    except (KeyboardInterrupt, SystemExit, InputError):
        raise
    except Exception as exc:
        raise _fail(path, f"无法读取工作表内容，文件可能已损坏（{_short(exc)}）", name) from None


def _xlrd_grid(bk: Any, name: str, path: Path) -> Grid:
    import xlrd

    sh = bk.sheet_by_name(name)
    ncols = min(sh.ncols, MAX_COLS)
    rows = []
    for r in range(min(sh.nrows, MAX_ROWS)):
        row: list[Any] = [""] * ncols
        for c, (ctype, value) in enumerate(zip(sh.row_types(r, 0, ncols), sh.row_values(r, 0, ncols))):
            if ctype == xlrd.XL_CELL_TEXT or ctype == xlrd.XL_CELL_NUMBER:
                row[c] = value
            elif ctype == xlrd.XL_CELL_DATE:
                try:
                    row[c] = xlrd.xldate.xldate_as_datetime(value, bk.datemode)
                except Exception:
                    row[c] = value
            elif ctype == xlrd.XL_CELL_BOOLEAN:
                row[c] = bool(value)
            # empty, blank and error cells stay "" as calamine gives them (errors are flagged
            # by values.sheet_cell_flags)
        rows.append(row)
    merges = [(r1, c1, r2 - 1, c2 - 1) for r1, r2, c1, c2 in (sh.merged_cells or [])]
    bk.unload_sheet(name)
    return _grid(path, name, rows, merges)


def _has_value(grid: Grid) -> bool:
    return any(str(v).strip() for row in grid.cells for v in row if v is not None)


def _read_sheet(wb: Any, name: str, path: Path) -> Grid:
    try:
        sh = wb.get_sheet_by_name(name)
        rows = sh.to_python(skip_empty_area=False, nrows=MAX_ROWS)
        merges = [(a[0], a[1], b[0], b[1]) for a, b in (sh.merged_cell_ranges or [])]
    except (InputError, KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # a Rust panic in calamine is a BaseException
        raise _fail(path, f"无法读取工作表内容，文件可能已损坏（{_short(exc)}）", name) from None
    return _grid(path, name, rows, merges)


def _grid(path: Path, name: str, rows: list, merges: list[Range]) -> Grid:
    from kaohe_excel.read import safety

    cells = [list(r[:MAX_COLS]) for r in rows[:MAX_ROWS]]
    merges = [m for m in merges if m[0] < MAX_ROWS and m[1] < MAX_COLS and m[0] <= m[2] and m[1] <= m[3]]
    merges = [(r1, c1, min(r2, MAX_ROWS - 1), min(c2, MAX_COLS - 1)) for r1, c1, r2, c2 in merges]
    safety.check_merges(path, name, merges)  # sheet-sized merges: refuse, never fill
    # A merge may reach past the last written cell: make room so every covered
    # cell can show the merged value.
    need_rows = max([len(cells)] + [m[2] + 1 for m in merges])
    while len(cells) < need_rows:
        cells.append([])
    for r1, c1, r2, c2 in merges:
        for r in range(r1, r2 + 1):
            if len(cells[r]) <= c2:
                cells[r].extend([""] * (c2 + 1 - len(cells[r])))
    for r1, c1, r2, c2 in merges:
        top = cells[r1][c1] if c1 < len(cells[r1]) else ""
        for r in range(r1, r2 + 1):
            row = cells[r]
            for c in range(c1, c2 + 1):
                row[c] = top
    return Grid(human_name(path.name), name, cells, merges, path)


# What the reader libraries say, in words a clerk can act on (first match wins).
_REASONS = [
    (("password", "encrypt"), "文件已加密"),
    (("invalid zip", "zip archive", "zip error", "bad zip", "central directory", "end of central"),
     "压缩包结构损坏，文件可能未完整下载或复制"),
    (("cfb", "ole2", "ole file", "ole stream", "compound file", "compound document", "sector"), "旧版 xls 文件结构损坏"),
    (("string index", "shared string", "sharedstrings"), "共享字符串表与单元格不符"),
    (("unrecognized sheet type", "sheet type"), "含无法识别的工作表类型"),
    (("eof", "unexpected end", "truncated", "unexpected eof"), "文件不完整，可能未完整下载或复制"),
    (("xml", "syntax error", "mismatched tag", "unclosed", "attribute", "utf-8", "utf8", "encoding", "decode"),
     "工作表 XML 内容损坏"),
    (("worksheet", "not found", "missing", "no such"), "工作簿缺少工作表数据"),
]


def _chosen_sheets(path: Path, names: list[str], all_names: list[str], sheet: str | None) -> list[str]:
    """The sheets to read: all data sheets, or the one asked for (`--sheet`), named if absent."""
    if sheet is None:
        return names
    if sheet not in all_names:
        raise _fail(path, f"找不到工作表「{sheet}」，该文件的工作表有：{'、'.join(all_names)}")
    return [sheet]


def _short(exc: BaseException) -> str:
    """The library's reason in Chinese, its own words kept short behind 技术信息 for support."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    low = text.lower()
    for keys, reason in _REASONS:
        if any(k in low for k in keys):
            return f"{reason}；技术信息：{text[:80]}"
    return f"技术信息：{text[:100]}"


def grid_from_rows(rows: list[list[Any]], merges: list[Range] | None = None,
                   file: str = "内存表格.xlsx", sheet: str = "Sheet1") -> Grid:
    """A grid from plain values (tests and callers that already hold cells)."""
    cells = [list(r) for r in rows]
    merges = merges or []
    for r1, c1, r2, c2 in merges:
        top = cells[r1][c1]
        for r in range(r1, r2 + 1):
            while len(cells[r]) <= c2:
                cells[r].append("")
            for c in range(c1, c2 + 1):
                cells[r][c] = top
    return Grid(file, sheet, cells, list(merges))


__all__ = ["Grid", "read_workbook", "grid_from_rows", "cell_text", "sniff", "cell_ref", "EXCEL_SUFFIXES"]
