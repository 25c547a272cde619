"""The reader interface (grid layer, above the engines): any workbook a clerk
drops in (.xlsx, .xlsm, old .xls) read into `Grid`s.

A sheet becomes a `Grid`: cell values at their real sheet coordinates, where a
merged range's value shows in every cell it covers and the merges are kept, so
later stages can both read a cell plainly and ask whether it was merged; each
grid knows its hidden rows and columns, its filter and its state.
Files are opened by what their bytes are, not by their extension
(safety.check_file, safety.FileKind), and read by one engine: engine_calamine
(python-calamine, fast, for .xlsx/.xlsm and most .xls) or engine_xlrd (an .xls
whose text calamine would garble: Excel 5.0/95, or a CODEPAGE other than UTF-16).
`sheet_cell_flags` gives what the values do not (error cells, percent formats),
once per file. Sheets are read within a budget for the whole workbook.

Nothing here knows what a table is: which sheets the clerk means (a hidden sheet
beside a visible one) is decided above, in workbook.py.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kaohe_excel.problems import ERROR, WARNING, InputError, Problem, cell_ref, human_name
from kaohe_excel.read import engine_calamine, engine_xlrd, safety
from kaohe_excel.read.engine_base import MAX_COLS, MAX_ROWS, CellFlags, Range, fail

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls"}
# All sheets read from one workbook together: rows and cells that hold something.
# The largest tables anyone sends (an indicator system of a few thousand indicators,
# a 一览表 filled in by a department) stay well inside; a workbook past this is not a
# report but a data dump, and reading it through took minutes (issue 12: 17 sheets x
# 20,000 rows, 292 s). Within these a file is read in a few seconds (bench/bench_inputs.py:
# the readers spend about 0.1-0.4 ms a row). Empty cells cost little and are not counted
# (a stray value far down a sheet is read); safety.MAX_SHEET_CELLS bounds the area.
MAX_WORKBOOK_ROWS = 8_000
MAX_WORKBOOK_CELLS = 80_000
# the rectangles of a workbook's sheets together (safety.MAX_SHEET_CELLS bounds each): a thousand
# sheets each with A1 and C999999 took 100 s and 3 GB
MAX_WORKBOOK_AREA = 6_000_000


@dataclass
class Grid:
    file: str  # file name as shown to the user
    sheet: str
    cells: list[list[Any]]
    merges: list[Range] = field(default_factory=list)
    path: Path | None = None
    _merge_at: dict[tuple[int, int], Range] = field(default_factory=dict, repr=False)
    # What the clerk does not see (sheet_cell_flags): hidden rows and columns
    # (0-based), whether they may be rows an AutoFilter hides, and the sheet's state
    # (visible / hidden / veryHidden). tables.visible_grid blanks them.
    hidden_rows: frozenset[int] = frozenset()
    hidden_cols: frozenset[int] = frozenset()
    filtered: bool = False
    filter_area: Range | None = None  # the AutoFilter's range, where the file says it (CellFlags)
    state: str = "visible"

    def __post_init__(self) -> None:
        for rng in self.merges:
            r1, c1, r2, c2 = rng
            for r in range(r1, r2 + 1):
                for c in range(c1, c2 + 1):
                    self._merge_at[(r, c)] = rng

    @property
    def filtered_rows(self) -> frozenset[int]:
        """The hidden rows an active AutoFilter hides, as well as the file tells: those inside
        the filter's range below its header row (one outside it, or with no filter, was hidden by
        hand); every hidden row when the range is not known (an .xls without _FilterDatabase).
        A filter is a view: readers that keep filtered rows read these and leave the rest out."""
        if not self.filtered:
            return frozenset()
        if self.filter_area is None:
            return self.hidden_rows
        top, _c1, bottom, _c2 = self.filter_area
        return frozenset(r for r in self.hidden_rows if top < r <= bottom)

    @property
    def nrows(self) -> int:
        return len(self.cells)

    @property
    def source(self) -> Grid | None:
        """The grid this one is the visible view of (tables.visible_grid), while it lives. Held
        weakly: the grid keeps its view, and a reference each way would leave every sheet with
        hidden rows or columns to the garbage collector (which a run calls seldom)."""
        ref = self.__dict__.get("_source")
        return ref() if ref is not None else None

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
    if type(v) is str:  # most cells
        return v
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


def read_grids(path: str | Path, sheet: str | None = None,
               problems: list[Problem] | None = None, *, notes: list[Problem] | None = None) -> list[Grid]:
    """Every worksheet of the workbook (or the named one) as grids, each marked with
    its hidden rows and columns, its filter and its state, whatever that state is.
    (workbook.read_workbook leaves out a hidden sheet that holds a table when a
    visible one holds one: the workbook as the clerk sees it.)

    Raises InputError with a Chinese message when the file cannot be used.
    With `problems`, a sheet that cannot be read is recorded there and skipped
    as long as another sheet of the file was read (a damaged extra sheet does
    not cost the department its report); so are notes on what was repaired.
    A sheet left out for size is named in `problems`, else in `notes`.
    """
    path = Path(path)
    kind = safety.check_file(path)  # checks that need no full parse
    if kind.calamine_garbles_text:
        book: engine_xlrd.XlrdBook | engine_calamine.CalamineBook = engine_xlrd.XlrdBook(path)
    else:
        book = engine_calamine.CalamineBook(path, kind, problems)
    with book:
        names = _chosen_sheets(path, book.sheet_names, book.all_sheet_names, sheet)
        grids, cut = _read_sheets(names, lambda name: _grid(path, name, *book.sheet(name)), problems, sheet,
                                  path, kind, notes)
    _mark_seen(path, grids, book.states, cut, kind)
    return grids


def _mark_seen(path: Path, grids: list[Grid], states: dict[str, str], cut: bool = False, kind: Any = None) -> None:
    """Each grid marked with what the clerk does not see: its hidden rows and columns
    and its filter (read in the bounded scan of sheet_cell_flags, which the readers
    reuse for error and percent cells) and its state (the engine's where it has it,
    else the scan's). `kind`: safety.check_file's answer, with the parts it inflated."""
    try:
        # sheets left out for size are not scanned either (`cut`)
        only = frozenset(g.sheet for g in grids) if cut else None
        flags = sheet_cell_flags(path, only=only, kind=kind) if path.exists() else {}
    except Exception:  # best effort, like the error and percent flags
        flags = {}
    for g in grids:
        f = flags.get(g.sheet)
        if f is not None:
            g.hidden_rows = frozenset(r for r in f.hidden_rows if r < MAX_ROWS)
            g.hidden_cols = frozenset(c for c in f.hidden_cols if c < MAX_COLS)
            g.filtered = f.filtered
            g.filter_area = f.filter_area
        g.state = states.get(g.sheet) or (f.state if f is not None else "visible")


# --- what the values do not tell, once per file -------------------------------------

# read_grids scans a file for its hidden rows and columns and the reader of the same
# file asks again for its error and percent cells: one scan serves both. Kept for a
# month folder's worth of files (a province's month opens 120 files before it reads any:
# each was scanned twice when only 64 were kept), and no more cells than a few
# workbooks' worth.
_FLAG_CACHE: dict[tuple, dict[str, CellFlags]] = {}
_FLAG_WEIGHTS: dict[tuple, int] = {}
_FLAG_CACHE_SIZE = 2048
_FLAG_CACHE_CELLS = 400_000


def _flag_weight(flags: dict[str, CellFlags]) -> int:
    return 1 + sum(len(f.errors) + len(f.percent) + len(f.hidden_rows) + len(f.hidden_cols) for f in flags.values())


def sheet_cell_flags(path: str | Path, only: frozenset[str] | None = None, kind: Any = None) -> dict[str, CellFlags]:
    """Per sheet: Excel error cells, percent-formatted numeric cells, hidden rows
    and columns, and whether the sheet is hidden (engine_calamine.cell_flags for a
    zip package, engine_xlrd.cell_flags for an OLE2 .xls, by the bytes).

    Best effort: any failure gives no flags (the grid is still read). Bounded
    by MAX_FLAG_CELLS / MAX_FLAG_TOTAL whatever the file holds. With `only`, the
    other sheets are not scanned (read_grids left them out for size); the
    readers that ask again later get the same answer (they ask for sheets read). `kind`:
    safety.check_file's answer for the file as it is now, whose kept parts are scanned."""
    path = Path(path)
    key = _flag_key(path)
    if key is not None and key in _FLAG_CACHE:
        return _FLAG_CACHE[key]
    out: dict[str, CellFlags] = {}
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
        if head.startswith(b"PK"):
            out = engine_calamine.cell_flags(path, only, kind)
        elif head.startswith(b"\xd0\xcf\x11\xe0"):
            out = engine_xlrd.cell_flags(path, only)
    except Exception:
        out = {}
    if key is not None:
        _keep_flags(key, out)
    return out


def _flag_key(path: Path) -> tuple | None:
    try:
        st = path.stat()
        # (abspath, not resolve: no look at every folder on the way; a file reached by two
        # names is only scanned twice)
        return (os.path.abspath(path), st.st_size, st.st_mtime_ns)
    except OSError:
        return None


def _keep_flags(key: tuple, out: dict[str, CellFlags]) -> None:
    weight = _flag_weight(out)
    _FLAG_CACHE.pop(key, None)
    _FLAG_WEIGHTS.pop(key, None)
    while _FLAG_CACHE and (len(_FLAG_CACHE) >= _FLAG_CACHE_SIZE
                           or weight + sum(_FLAG_WEIGHTS.values()) > _FLAG_CACHE_CELLS):
        oldest = next(iter(_FLAG_CACHE))
        del _FLAG_CACHE[oldest]
        _FLAG_WEIGHTS.pop(oldest, None)
    _FLAG_CACHE[key] = out
    _FLAG_WEIGHTS[key] = weight


def remember_flags(path: str | Path, flags: dict[str, CellFlags]) -> None:
    """The flags of a file as a cache of an earlier run recorded them (read/cache.py): the
    readers that ask sheet_cell_flags for this file get them without a scan."""
    key = _flag_key(Path(path))
    if key is not None:
        _keep_flags(key, flags)


# --- reading the sheets within the workbook's budget --------------------------------

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
    spread = 0  # rows x cols of the sheets read: what their grids allocate
    for name in names:
        if name in unscanned:
            too_big.append(_too_big(path, name, None, used))
            continue
        known = extents.get(name)
        if known is not None and not _fits(used, known.filled_rows, known.filled_cells):
            too_big.append(_too_big(path, name, (known.filled_rows, known.filled_cells), used))
            continue
        if known is not None and spread + known.rows * known.cols > MAX_WORKBOOK_AREA:
            # a value far down each of many sheets: a few cells, each sheet's whole rectangle allocated
            too_big.append(fail(path, f"工作表的数据范围达 {known.rows} 行 × {known.cols} 列，连同本文件前面的工作表"
                                      f"超出一个文件可读取的范围（合计最多 {MAX_WORKBOOK_AREA // 10000} 万个单元格的范围；"
                                      f"{_TOO_BIG_TAIL}", name))
            continue
        spread += known.rows * known.cols if known is not None else 0
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
    for exc in too_big if len(too_big) <= 3 else [_with_the_others(too_big)]:  # (one line for a thousand sheets)
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
    if filled is None:
        return fail(path, f"本文件各工作表的数据量合计超过 {safety.MAX_SCANNED_SHEET_BYTES // (1024 * 1024)} MB，"
                          f"超出一个文件可读取的范围（{_TOO_BIG_TAIL}", name)
    rows, cells = filled
    more = "连同本文件前面的工作表" if _fits((0, 0), rows, cells) else ""
    return fail(path, f"工作表中有内容的有 {rows} 行、{cells} 个单元格，{more}超出一个文件可读取的范围"
                      f"（合计最多 {MAX_WORKBOOK_ROWS} 行、{MAX_WORKBOOK_CELLS} 个有内容的单元格；{_TOO_BIG_TAIL}", name)


def _has_value(grid: Grid) -> bool:
    return any(str(v).strip() for row in grid.cells for v in row if v is not None)


def _grid(path: Path, name: str, rows: list, merges: list[Range]) -> Grid:
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


def _chosen_sheets(path: Path, names: list[str], all_names: list[str], sheet: str | None) -> list[str]:
    """The sheets to read: all data sheets, or the one asked for (`--sheet`), named if absent."""
    if sheet is None:
        return names
    if sheet not in all_names:
        raise fail(path, f"找不到工作表「{sheet}」，该文件的工作表有：{'、'.join(all_names)}")
    return [sheet]


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


__all__ = ["Grid", "read_grids", "sheet_cell_flags", "CellFlags", "grid_from_rows", "cell_text", "sniff", "cell_ref",
           "EXCEL_SUFFIXES", "MAX_ROWS", "MAX_COLS"]
