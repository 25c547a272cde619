"""The xlrd engine (engine layer): old and odd .xls files, and what calamine does not
tell of any .xls.

`XlrdBook` reads an .xls whose text calamine would garble (safety.FileKind: Excel
5.0/95 files, and 97-2003 files whose CODEPAGE record is not UTF-16); xlrd decodes
both by the codepage the file declares. `cell_flags` reads, for every .xls, the
error cells, percent formats, hidden rows and columns, filter and sheet state that
calamine does not expose. xlrd writes its warnings to stdout by default; here they
go to os.devnull (they would corrupt `kaohe check --json`).
"""

from __future__ import annotations

import os
import struct
from pathlib import Path
from typing import Any

from kaohe_excel.problems import InputError
from kaohe_excel.read import engine_base as base
from kaohe_excel.read.engine_base import (BROKEN_OLE, MAX_COLS, MAX_ROWS, CellFlags, RawSheet, fail, is_percent_format,
                                          short)


def _reasons() -> tuple[tuple[type, str], ...]:
    """xlrd's exception classes that name the reason by themselves: CompDocError, a
    broken OLE2 compound file. (xlrd raises XLRDError for every other case, from
    'Workbook is encrypted' to 'Unsupported format': engine_base.short goes by its words.)"""
    from xlrd.compdoc import CompDocError

    return ((CompDocError, BROKEN_OLE),)


def open_xls_book(path: Path, log) -> Any:
    """xlrd's book, with formatting (hidden rows and columns, number formats) where
    xlrd can read it; `log` takes xlrd's warnings, which go to stdout by default and
    would corrupt `kaohe check --json`."""
    import xlrd

    try:
        return xlrd.open_workbook(str(path), formatting_info=True, on_demand=True, logfile=log)
    except Exception:
        return xlrd.open_workbook(str(path), on_demand=True, logfile=log)


class XlrdBook:
    """An .xls opened once with xlrd; sheets are loaded one at a time (`sheet`).
    safety.check_file has bounded the sheets' extent, so xlrd's full load of a
    sheet stays small. Raises InputError with a Chinese message when the file
    cannot be opened."""

    def __init__(self, path: Path):
        self.path = path
        self._log = open(os.devnull, "w")  # xlrd writes its warnings to stdout by default
        try:
            self._bk = open_xls_book(path, self._log)
        except (KeyboardInterrupt, SystemExit):
            self._log.close()
            raise
        except Exception as exc:
            self._log.close()
            raise fail(path, f"无法打开该文件，文件可能已损坏或不是 Excel 工作簿（{short(exc, _reasons())}）") from None
        self.sheet_names: list[str] = self._bk.sheet_names()  # the data sheets
        self.all_sheet_names: list[str] = self._bk.sheet_names()
        self.states: dict[str, str] = {}  # (the state comes with the flags: cell_flags)

    def __enter__(self) -> "XlrdBook":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        try:
            self._bk.release_resources()
        finally:
            self._log.close()

    def sheet(self, name: str) -> RawSheet:
        """The sheet's values and merged ranges; InputError when it cannot be read."""
        try:
            return self._sheet(name)
        except (KeyboardInterrupt, SystemExit, InputError):
            raise
        except Exception as exc:
            raise fail(self.path, f"无法读取工作表内容，文件可能已损坏（{short(exc, _reasons())}）", name) from None

    def _sheet(self, name: str) -> RawSheet:
        import xlrd

        bk = self._bk
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
                # by cell_flags)
            rows.append(row)
        merges = [(r1, c1, r2 - 1, c2 - 1) for r1, r2, c1, c2 in (sh.merged_cells or [])]
        bk.unload_sheet(name)
        return rows, merges


# --- what calamine does not tell of an .xls ------------------------------------

def _xls_filtered(bk, index: int) -> bool:
    """Whether a .xls sheet has an AutoFilter that filters: a FILTERMODE record (0x9B) in the
    sheet's substream (xlrd reads past it). Its hidden rows are then filtered out, not
    deleted indicators — as filterColumn says for .xlsx."""
    mem = getattr(bk, "mem", None)
    starts = getattr(bk, "_sh_abs_posn", None)
    if mem is None or not starts or index >= len(starts):
        return False
    pos, end = starts[index], len(mem)
    for _ in range(1_000_000):  # records of one sheet, at most
        if pos + 4 > end:
            return False
        code, length = struct.unpack_from("<HH", mem, pos)
        if code == 0x9B:
            return True
        if code == 0x0A:  # EOF: the sheet's substream ends
            return False
        pos += 4 + length
    return False


def _xls_filter_area(bk, index: int) -> tuple[int, int, int, int] | None:
    """The range of a .xls sheet's AutoFilter: the built-in name _FilterDatabase Excel (and
    LibreOffice, WPS) keeps for the sheet, as (r1, c1, r2, c2) 0-based; None without it."""
    for nm in getattr(bk, "name_obj_list", None) or ():
        if getattr(nm, "name", "") != "_FilterDatabase" or getattr(nm, "scope", None) != index:
            continue
        try:
            _sheet, rlo, rhi, clo, chi = nm.area2d()
        except Exception:  # a name xlrd could not evaluate
            return None
        if rhi > rlo and chi > clo:
            return (rlo, clo, rhi - 1, chi - 1)
    return None


def cell_flags(path: Path, only: frozenset[str] | None = None) -> dict[str, CellFlags]:
    """Per sheet of an .xls (OLE2): error cells, percent-formatted numbers, hidden
    rows and columns, filter and state, bounded by engine_base.MAX_FLAG_CELLS /
    MAX_FLAG_TOTAL; with `only`, the other sheets are not loaded. Raises on a file
    xlrd cannot open (grid.sheet_cell_flags makes that no flags)."""
    try:
        import xlrd
    except ImportError:
        return {}

    out: dict[str, CellFlags] = {}
    with open(os.devnull, "w") as log:
        bk = open_xls_book(path, log)
        budget = base.MAX_FLAG_TOTAL
        try:
            for i in range(bk.nsheets):
                if budget <= 0:
                    break
                if only is not None and bk.sheet_names()[i] not in only:
                    continue  # (not loaded: sheets load on demand)
                sh = bk.sheet_by_index(i)
                flags = CellFlags({}, set())
                flags.state = {1: "hidden", 2: "veryHidden"}.get(getattr(sh, "visibility", 0), "visible")
                flags.filtered = _xls_filtered(bk, i)
                flags.filter_area = _xls_filter_area(bk, i) if flags.filtered else None
                ncols = min(sh.ncols, MAX_COLS)
                nrows = min(sh.nrows, MAX_ROWS, min(budget, base.MAX_FLAG_CELLS) // max(ncols, 1))
                budget -= nrows * ncols
                # formatting_info only: rowinfo_map / colinfo_map are empty otherwise
                for r, info in getattr(sh, "rowinfo_map", {}).items():
                    if r < base.MAX_HIDDEN_ROW and getattr(info, "hidden", 0):
                        flags.hidden_rows.add(r)
                for c, info in getattr(sh, "colinfo_map", {}).items():
                    if c < base.MAX_HIDDEN_COL and getattr(info, "hidden", 0):
                        flags.hidden_cols.add(c)
                for r in range(nrows):
                    for c in range(ncols):
                        cell = sh.cell(r, c)
                        if cell.ctype == xlrd.XL_CELL_ERROR:
                            flags.errors[(r, c)] = xlrd.error_text_from_code.get(cell.value, "#N/A")
                        elif cell.ctype == xlrd.XL_CELL_NUMBER and bk.formatting_info:
                            try:
                                xf = bk.xf_list[cell.xf_index]
                                if is_percent_format(bk.format_map[xf.format_key].format_str):
                                    flags.percent.add((r, c))
                            except Exception:
                                pass
                out[sh.name] = flags
                bk.unload_sheet(i)
        finally:
            bk.release_resources()
    return out


__all__ = ["XlrdBook", "open_xls_book", "cell_flags"]
