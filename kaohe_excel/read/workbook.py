"""A workbook as the clerk sees it, and each document read from a file (the top of
read/: above system, submission and peers).

`read_workbook` reads the grids (grid.read_grids) and then leaves out a hidden sheet
that holds a table (a copy of last year's table, a template's veryHidden sheet) when
a visible sheet holds one, with a warning; when no visible sheet does, the hidden
sheets are read, with a warning, rather than the file refused. Telling whether a
sheet holds a table (`holds_table`) needs every reader's table finder, which is why
this lives above them. `read_system`, `read_submissions`, `read_submission` and
`read_peers` read a file this way and hand its grids to the reader of that document.
"""

from __future__ import annotations

from pathlib import Path

from kaohe_excel.model import IndicatorSystem, PeerTable, Submission
from kaohe_excel.problems import WARNING, Problem
from kaohe_excel.read.grid import Grid, read_grids
from kaohe_excel.read.peers import find_peer_table, peers_from_grids
from kaohe_excel.read.submission import find_submission_table, submissions_from_grids
from kaohe_excel.units import DepartmentIndex
from kaohe_excel.read.system import SYSTEM_REQUIRED, SYSTEM_ROLES, system_from_grids
from kaohe_excel.read.tables import find_table


def holds_table(grid: Grid) -> bool:
    """Does the sheet hold a table any reader would take: an indicator system, a
    monthly sheet or peer data?"""
    return (find_table(grid, SYSTEM_ROLES, required=SYSTEM_REQUIRED) is not None
            or find_submission_table(grid) is not None or find_peer_table(grid) is not None)


def read_workbook(path: str | Path, sheet: str | None = None,
                  problems: list[Problem] | None = None, *, notes: list[Problem] | None = None) -> list[Grid]:
    """Every worksheet of the workbook (or the named one) as grids, as the clerk sees them.

    Raises InputError with a Chinese message when the file cannot be used.
    With `problems`, a sheet that cannot be read is recorded there and skipped
    as long as another sheet of the file was read (a damaged extra sheet does
    not cost the department its report); so are notes on what was repaired.
    Each grid knows its hidden rows and columns; a hidden sheet holding a table
    is left out when a visible sheet holds one (see `_as_seen`), with a warning
    in `notes` (default: `problems`).
    """
    path = Path(path)
    grids = read_grids(path, sheet, problems, notes=notes)
    return _as_seen(path, grids, sheet, problems if notes is None else notes)


_STATE_WORDS = {"hidden": "隐藏的", "veryHidden": "深度隐藏的（veryHidden，Excel 的「取消隐藏」里也看不到）"}


def _as_seen(path: Path, grids: list[Grid], sheet: str | None, notes: list[Problem] | None) -> list[Grid]:
    """The grids as the clerk sees the workbook (each already marked with its state
    by read_grids).

    A hidden sheet that holds a table is left out when a visible sheet holds one,
    with a warning; when no visible sheet does, the hidden sheets are read, with a
    warning, rather than the file refused. A sheet asked for by name is read
    whatever its state."""
    if sheet is not None or all(g.state == "visible" for g in grids):
        return grids
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


# --- each document from a file ----------------------------------------------------

def read_system(path: str | Path, sheet: str | None = None, *, grids: list[Grid] | None = None) -> IndicatorSystem:
    """Read the indicator system from a workbook (or from its grids, already read);
    InputError when there is none."""
    path = Path(path)
    sheet_notes: list[Problem] = []  # hidden sheets left unread
    if grids is None:
        grids = read_workbook(path, sheet, notes=sheet_notes)
    system = system_from_grids(grids, path.name, sheet)
    system.problems[:0] = sheet_notes
    return system


def read_submissions(path: str | Path, system: IndicatorSystem | None = None, *, n_peers: int | None = 6,
                     folder_month: str | None = None, county: str | None = None,
                     departments: DepartmentIndex | None = None, grids: list[Grid] | None = None,
                     display_name: str | None = None, sender: str | None = None) -> list[Submission]:
    """Every monthly sheet in the workbook (usually one). InputError when none is found.
    `sender`: the unit whose own report it is (the view from above)."""
    path = Path(path)
    sheet_notes: list[Problem] = []  # hidden sheets left unread (the workspace records its own)
    if grids is None:
        grids = read_workbook(path, notes=sheet_notes)
    return submissions_from_grids(path, grids, system, n_peers=n_peers, folder_month=folder_month, county=county,
                                  departments=departments, display_name=display_name, sheet_notes=sheet_notes,
                                  sender=sender)


def read_submission(path: str | Path, system: IndicatorSystem | None = None, **kw) -> Submission:
    """The monthly sheet of one department (the first usable sheet)."""
    return read_submissions(path, system, **kw)[0]


def read_peers(path: str | Path, system: IndicatorSystem | None = None, *, peers: list[str] | None = None,
               grids: list[Grid] | None = None, display_name: str | None = None, all_units: bool = False) -> PeerTable:
    """The peer table of the workbook (the sheet with the most county columns and rows)."""
    path = Path(path)
    if grids is None:
        grids = read_workbook(path)
    return peers_from_grids(path, grids, system, peers=peers, display_name=display_name, all_units=all_units)


__all__ = ["read_workbook", "holds_table", "read_system", "read_submissions", "read_submission", "read_peers"]
