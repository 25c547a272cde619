"""One way to open any workbook a clerk drops in: .xlsx, .xlsm and old .xls.

A sheet becomes a `Grid`: cell values at their real sheet coordinates, where a
merged range's value shows in every cell it covers and the merges are kept, so
later stages can both read a cell plainly and ask whether it was merged.
python-calamine reads all three formats fast; it also reads the cells that are
really there rather than trusting the `<dimension>` tag that WPS understates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kaohe_excel.problems import ERROR, InputError, Problem, cell_ref

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls"}
# A sheet never needs more than this for our tables; a file that claims more is
# either broken or hostile and is cut, with a problem, instead of filling memory.
MAX_ROWS = 20000
MAX_COLS = 200

Range = tuple[int, int, int, int]  # r1, c1, r2, c2 (0-based, inclusive)


@dataclass
class Grid:
    file: str  # file name as shown to the user
    sheet: str
    cells: list[list[Any]]
    merges: list[Range] = field(default_factory=list)
    path: Path | None = None
    _merge_at: dict[tuple[int, int], Range] = field(default_factory=dict, repr=False)

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
        return cell_text(self.value(r, c))

    def merge_of(self, r: int, c: int) -> Range | None:
        return self._merge_at.get((r, c))

    def is_merge_origin(self, r: int, c: int) -> bool:
        rng = self._merge_at.get((r, c))
        return rng is None or (rng[0] == r and rng[1] == c)

    def row_texts(self, r: int) -> list[str]:
        return [cell_text(v) for v in (self.cells[r] if r < len(self.cells) else [])]

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


def read_workbook(path: str | Path, sheet: str | None = None) -> list[Grid]:
    """Every worksheet of the workbook (or the named one) as grids.

    Raises InputError with a Chinese message when the file cannot be used.
    """
    path = Path(path)
    from kaohe_excel.read import safety  # checks that need no full parse

    safety.check_file(path)
    import python_calamine as pc

    try:
        wb = pc.CalamineWorkbook.from_path(str(path))
    except pc.PasswordError:
        raise _fail(path, "文件已加密，请取消密码后重新报送") from None
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # calamine raises several types, and Rust panics, for broken files
        raise _fail(path, f"无法打开该文件，文件可能已损坏或不是 Excel 工作簿（{_short(exc)}）") from None
    try:
        names = [m.name for m in wb.sheets_metadata
                 if str(getattr(m, "typ", "")).endswith("WorkSheet")] or list(wb.sheet_names)
        if sheet is not None:
            if sheet not in wb.sheet_names:
                raise _fail(path, f"找不到工作表「{sheet}」，该文件的工作表有：{'、'.join(wb.sheet_names)}")
            names = [sheet]
        grids = []
        for name in names:
            grids.append(_read_sheet(wb, name, path))
        return grids
    finally:
        try:
            wb.close()
        except Exception:
            pass


def _read_sheet(wb: Any, name: str, path: Path) -> Grid:
    from kaohe_excel.read import safety

    try:
        sh = wb.get_sheet_by_name(name)
        rows = sh.to_python(skip_empty_area=False, nrows=MAX_ROWS)
        merges = [(a[0], a[1], b[0], b[1]) for a, b in (sh.merged_cell_ranges or [])]
    except (InputError, KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # a Rust panic in calamine is a BaseException
        raise _fail(path, f"无法读取工作表内容，文件可能已损坏（{_short(exc)}）", name) from None
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
    return Grid(path.name, name, cells, merges, path)


def _short(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:120]


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
