"""What a workbook read gave, kept by its content so the next run does not read it again.

A month's files rarely change once in: a run re-reads every earlier month for rank changes
and trends, and a re-run after one new file would read the whole month again. Kept under the
workspace's output/.kaohe-cache/读取/ as JSON (data only: nothing in it runs), one file per
input content (sha256 of the bytes, and the sheet asked for): the grids as read (cells,
merges, hidden rows and columns, sheet state), the sheets' error/percent/hidden flags and the
notes the read made. A changed file has another digest; an entry that cannot be understood is
read again from the workbook. Top of the read layers, beside workbook.py.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
from pathlib import Path
from typing import Any

from kaohe_excel.problems import Problem
from kaohe_excel.read.engine_base import CellFlags
from kaohe_excel.read.grid import Grid, remember_flags

VERSION = 1
MAX_ENTRIES = 5000  # files of a workspace's history; the oldest go first
MAX_FILE_BYTES = 64 * 1024 * 1024  # a larger workbook is not worth hashing to skip its read
MAX_ENTRY_BYTES = 256 * 1024 * 1024  # an entry larger than any read makes is not ours


def _enc(v: Any) -> Any:
    if v is None or isinstance(v, (str, bool, int, float)):
        return v
    if isinstance(v, _dt.datetime):
        return {"dt": v.isoformat()}
    if isinstance(v, _dt.date):
        return {"d": v.isoformat()}
    if isinstance(v, _dt.time):
        return {"t": v.isoformat()}
    if isinstance(v, _dt.timedelta):
        return {"td": v.total_seconds()}
    raise TypeError(type(v).__name__)  # a cell type we do not keep: the file is read each time


def _dec(v: Any) -> Any:
    if isinstance(v, dict):
        if "dt" in v:
            return _dt.datetime.fromisoformat(v["dt"])
        if "d" in v:
            return _dt.date.fromisoformat(v["d"])
        if "t" in v:
            return _dt.time.fromisoformat(v["t"])
        if "td" in v:
            return _dt.timedelta(seconds=float(v["td"]))
        raise ValueError("unknown cell")
    if v is None or isinstance(v, (str, bool, int, float)):
        return v
    raise ValueError("unknown cell")


def _problem(d: dict) -> Problem:
    return Problem(str(d["file"]), d.get("sheet"), d.get("cell"), str(d["level"]), str(d["message"]))


class ReadCache:
    """One workspace's kept reads (see the module's docstring)."""

    def __init__(self, folder: Path, *, write: bool = True):
        self.folder = Path(folder)
        self.write = write  # False: kept reads are used, new ones not kept (check, assess)
        self._digests: dict[tuple, Path] = {}  # a file hashed once a run, for get and put both
        self._kept: int | None = None  # entries in the folder, counted once a run (see _prune)

    def _entry(self, path: Path, sheet: str | None) -> Path | None:
        try:
            st = path.stat()
            if not path.is_file() or st.st_size > MAX_FILE_BYTES:
                return None
            key = (str(path), st.st_size, st.st_mtime_ns, sheet)
            if key in self._digests:
                return self._digests[key]
            h = hashlib.sha256()
            with open(path, "rb") as fh:
                for chunk in iter(lambda: fh.read(1 << 20), b""):
                    h.update(chunk)
        except OSError:
            return None
        h.update(f"\0{VERSION}\0{sheet or ''}".encode("utf-8"))
        self._digests[key] = entry = self.folder / f"{h.hexdigest()}.json"
        return entry

    def get(self, path: Path, sheet: str | None, name: str) -> tuple[list[Grid], list[Problem]] | None:
        """(grids, notes) as an earlier read of the same bytes gave them, or None. `name`: the
        file as this run shows it (the same bytes may have been another name before)."""
        entry = self._entry(path, sheet)
        if entry is None or not entry.is_file():
            return None
        try:
            if entry.stat().st_size > MAX_ENTRY_BYTES:
                return None
            data = json.loads(entry.read_text(encoding="utf-8"))
            if data.get("v") != VERSION:
                return None
            grids = []
            for g in data["grids"]:
                grid = Grid(name, str(g["sheet"]), [[_dec(v) for v in row] for row in g["cells"]],
                            merges=[tuple(int(x) for x in m) for m in g["merges"]], path=path)
                grid.hidden_rows = frozenset(int(x) for x in g["hidden_rows"])
                grid.hidden_cols = frozenset(int(x) for x in g["hidden_cols"])
                grid.filtered, grid.state = bool(g["filtered"]), str(g["state"])
                grids.append(grid)
            flags = {str(k): CellFlags(errors={(int(r), int(c)): str(e) for r, c, e in f["errors"]},
                                       percent={(int(r), int(c)) for r, c in f["percent"]},
                                       hidden_rows=set(map(int, f["hidden_rows"])),
                                       hidden_cols=set(map(int, f["hidden_cols"])),
                                       filtered=bool(f["filtered"]), state=str(f["state"]))
                     for k, f in data["flags"].items()}
            notes = [_problem(d) for d in data["notes"]]
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None
        remember_flags(path, flags)
        for p in notes:
            p.file = name
        return grids, notes

    def put(self, path: Path, sheet: str | None, grids: list[Grid], notes: list[Problem],
            flags: dict[str, CellFlags]) -> None:
        """Keep a read (best effort: a cache that cannot be written is no cache)."""
        from kaohe_excel.fsutil import atomic_write_bytes

        if not self.write:
            return
        entry = self._entry(path, sheet)
        if entry is None:
            return
        try:
            data = {"v": VERSION,
                    "grids": [{"sheet": g.sheet, "cells": [[_enc(v) for v in row] for row in g.cells],
                               "merges": [list(m) for m in g.merges], "hidden_rows": sorted(g.hidden_rows),
                               "hidden_cols": sorted(g.hidden_cols), "filtered": g.filtered, "state": g.state}
                              for g in grids],
                    "flags": {k: {"errors": [[r, c, e] for (r, c), e in f.errors.items()],
                                  "percent": [[r, c] for r, c in f.percent], "hidden_rows": sorted(f.hidden_rows),
                                  "hidden_cols": sorted(f.hidden_cols), "filtered": f.filtered, "state": f.state}
                              for k, f in flags.items()},
                    "notes": [{"file": p.file, "sheet": p.sheet, "cell": p.cell, "level": p.level,
                               "message": p.message} for p in notes]}
            self.folder.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(entry, json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"),
                               durable=False)  # an entry lost to a power cut is a miss, not a wrong read
            self._prune()
        except (OSError, TypeError, ValueError):
            return

    def _prune(self) -> None:
        """Keep at most MAX_ENTRIES, the oldest going first. The folder is listed on the first
        put of a run and again only when the puts since could have passed the bound (listing
        it after every put made a province's 1,441 puts quadratic)."""
        if self._kept is not None:
            self._kept += 1
            if self._kept <= MAX_ENTRIES:
                return
        try:
            entries = list(self.folder.glob("*.json"))
            self._kept = len(entries)
            if len(entries) <= MAX_ENTRIES:
                return
            entries.sort(key=lambda p: p.stat().st_mtime)
            for old in entries[:len(entries) - MAX_ENTRIES]:
                old.unlink(missing_ok=True)
            self._kept = MAX_ENTRIES
        except OSError:
            self._kept = None
