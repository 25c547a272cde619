"""What the two engines share (engine layer, the bottom of read/ beside safety).

The size a grid is cut to (MAX_ROWS / MAX_COLS), what a sheet carries besides its
values (`CellFlags`: error cells, percent formats, hidden rows and columns, an
active filter, the sheet's state), and a reader library's failure in words a clerk
can act on (`short`). engine_calamine and engine_xlrd build on this; grid.py puts
them behind one interface. Nothing here opens a file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kaohe_excel.problems import ERROR, InputError, Problem

# A sheet never needs more than this for our tables; a file that claims more is
# either broken or hostile and is cut, with a problem, instead of filling memory.
MAX_ROWS = 20000
MAX_COLS = 200

Range = tuple[int, int, int, int]  # r1, c1, r2, c2 (0-based, inclusive)
# One sheet as an engine reads it: its rows of values and its merged ranges
# (grid.py fills each merge and makes the Grid).
RawSheet = tuple[list[list[Any]], list[Range]]


# --- what the values do not tell: error cells, percent formats, what is hidden ---

@dataclass
class CellFlags:
    errors: dict[tuple[int, int], str]  # (row, col) 0-based -> '#DIV/0!', or '=A1/B1' (uncalculated)
    percent: set[tuple[int, int]]
    # What the clerk does not see (calamine reports none of it): rows and columns
    # hidden by hand or by a collapsed outline, 0-based, within the scan's caps;
    # `filtered`: the sheet has an active AutoFilter (its hidden rows may be
    # filtered out rather than hidden by hand); `state`: visible / hidden / veryHidden.
    hidden_rows: set[int] = field(default_factory=set)
    hidden_cols: set[int] = field(default_factory=set)
    filtered: bool = False
    # the AutoFilter's range (r1, c1, r2, c2, 0-based; r1 its header row) where the file says it:
    # a hidden row inside it was hidden by the filter, one outside by hand (grid.Grid.filtered_rows)
    filter_area: Range | None = None
    state: str = "visible"


UNCALCULATED = "="  # CellFlags.errors holds "=<formula>" for a formula whose result the file does not keep


def uncalculated(formula: str) -> str:
    """The errors entry of a formula kept without its result (Excel codes start with #)."""
    text = " ".join((formula or "").split())
    return UNCALCULATED + (text[:60] + ("…" if len(text) > 60 else ""))


# The flags matter for the table at the top of a sheet; a sheet (or a workbook)
# of junk below or beside it is not scanned past these many cells. (The engines
# read them from this module when they scan, so a test may lower them here.)
MAX_FLAG_CELLS = 100_000  # per sheet
MAX_FLAG_TOTAL = 300_000  # per workbook
# The grid's own limits: nothing beyond is read anyway.
MAX_HIDDEN_ROW, MAX_HIDDEN_COL = MAX_ROWS, MAX_COLS


def is_percent_format(fmt: str | None) -> bool:
    """Does the number format show a number as a percentage ('0.0%', not '"%"0')?"""
    if not fmt:
        return False
    f = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", fmt)
    return "%" in f


# --- failures in a clerk's words ----------------------------------------------

def fail(path: Path, message: str, sheet: str | None = None) -> InputError:
    return InputError(Problem(path.name, sheet, None, ERROR, message))


ENCRYPTED = "文件已加密"
BROKEN_ZIP = "压缩包结构损坏，文件可能未完整下载或复制"
BROKEN_OLE = "旧版 xls 文件结构损坏"
NO_SHEET_DATA = "工作簿缺少工作表数据"

# What the reader libraries say, in words a clerk can act on (first match wins).
# The engines name their own exception classes first (`short`'s `by_class`); these
# words are for the failures a library raises without a class of their own: calamine
# raises its base CalamineError for a broken .xls compound file (CFB), a shared-string
# index past the table, an unrecognised sheet type or a cut-off .xls; its XmlError is
# one class for a cut-off part and for XML that is not well-formed, which only its
# words tell apart; xlrd raises XLRDError for everything but the compound file; and a
# Rust panic (pyo3's PanicException) carries no reason but its words.
_REASONS = [
    (("password", "encrypt"), ENCRYPTED),
    (("invalid zip", "zip archive", "zip error", "bad zip", "central directory", "end of central"), BROKEN_ZIP),
    (("cfb", "ole2", "ole file", "ole stream", "compound file", "compound document", "sector"), BROKEN_OLE),
    (("string index", "shared string", "sharedstrings"), "共享字符串表与单元格不符"),
    (("unrecognized sheet type", "sheet type"), "含无法识别的工作表类型"),
    (("eof", "unexpected end", "truncated", "unexpected eof"), "文件不完整，可能未完整下载或复制"),
    (("xml", "syntax error", "mismatched tag", "unclosed", "attribute", "utf-8", "utf8", "encoding", "decode"),
     "工作表 XML 内容损坏"),
    (("worksheet", "not found", "missing", "no such"), NO_SHEET_DATA),
]


def short(exc: BaseException, by_class: tuple[tuple[type, str], ...] = ()) -> str:
    """The library's reason in Chinese (by the exception's class where the engine
    names one in `by_class`, else by its words), its own words kept short behind
    技术信息 for support."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    reason = next((r for cls, r in by_class if isinstance(exc, cls)), None)
    if reason is None:
        low = text.lower()
        reason = next((r for keys, r in _REASONS if any(k in low for k in keys)), None)
    if reason is not None:
        return f"{reason}；技术信息：{text[:80]}"
    return f"技术信息：{text[:100]}"


__all__ = ["MAX_ROWS", "MAX_COLS", "Range", "RawSheet", "CellFlags", "UNCALCULATED", "uncalculated", "MAX_FLAG_CELLS", "MAX_FLAG_TOTAL",
           "is_percent_format", "fail", "short"]
