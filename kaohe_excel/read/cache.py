"""What a workbook read gave, kept by its content so the next run does not read it again.

A month's files rarely change once in: a run re-reads every earlier month for rank changes
and trends, and a re-run after one new file would read the whole month again. Kept under the
workspace's output/.kaohe-cache/读取/ as JSON (data only: nothing in it runs), one entry per
input content (sha256 of the bytes, and the sheet asked for), the entries of a month folder in
one file (a pack, written once a run: making a file costs more than writing a read into it;
entries kept one file each by older versions are still read): the grids as read (cells,
merges, hidden rows and columns, sheet state), the sheets' error/percent/hidden flags and the
notes the read made. A changed file has another digest; an entry that cannot be understood is
read again from the workbook. Top of the read layers, beside workbook.py.

A month file's read also keeps what its sheets are (month_files.sheet_roles: a system head,
peer data, a department's table), and a department's sheets are kept as parsed (its
Submissions: entries, sign-off, notes), so a re-run does not search and parse an unchanged
file again. Both are tied to the reader's code; a parse is keyed by the file's content, what the
parse depends on besides (the indicator system, the month, the county, the number of units
compared, the sheets) and the reader's own code (the size and time of every read module, as
__pycache__ checks a source). Data only, JSON, as the grids.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import operator
from dataclasses import fields
from pathlib import Path
from typing import Any

from kaohe_excel.model import Entry, IndicatorKey, Submission
from kaohe_excel.problems import Problem
from kaohe_excel.read.engine_base import CellFlags
from kaohe_excel.read.grid import Grid, remember_flags
from kaohe_excel.usercache import sealed, unsealed

VERSION = 1
PARSED_VERSION = 2  # the layout of a kept parse (the parse itself is versioned by code_stamp)
MAX_ENTRIES = 5000  # files of a workspace's history; the oldest go first
MAX_FILE_BYTES = 64 * 1024 * 1024  # a larger workbook is not worth hashing to skip its read
MAX_ENTRY_BYTES = 256 * 1024 * 1024  # an entry larger than any read makes is not ours
PACK_VERSION = 2  # 2: each entry as its own JSON text
ROOT_PACK = "input"  # the pack of input/'s own files (the system, peer data at the root)
MAX_PACKS = 600  # months of a workspace's history, with their root packs; the oldest go first
MAX_PACK_BYTES = 256 * 1024 * 1024  # a month of a province is ~5 MB


def _enc_other(v: Any) -> Any:
    """A cell value JSON has no type for (json.dumps's `default`: the encoder writes the plain
    ones itself, so a grid's cells need no pass of their own)."""
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


def _problem_as_kept(d: dict) -> Problem:
    """The Problem exactly as it was kept (its names were made readable when it was made)."""
    p = _problem(d)
    p.file, p.message = str(d["file"]), str(d["message"])
    return p


def _problem_enc(p: Problem) -> dict:
    return {"file": p.file, "sheet": p.sheet, "cell": p.cell, "level": p.level, "message": p.message}


_ENTRY_FIELDS = tuple(f.name for f in fields(Entry))
_KEY_FIELDS = tuple(f.name for f in fields(IndicatorKey))
_KEY_AT = _ENTRY_FIELDS.index("key")
_PLAIN = (str, int, float, bool, type(None))
_PLAIN_TYPES = frozenset(_PLAIN)
_entry_values = operator.attrgetter(*_ENTRY_FIELDS)
_key_values = operator.attrgetter(*_KEY_FIELDS)


def _entry_enc(e: Entry) -> list:
    """An entry as a list of its fields in order (a province keeps ~10⁵ of them: a list is a
    third of a dict of names to write, and to read back)."""
    out = list(_entry_values(e))
    key = out[_KEY_AT]
    out[_KEY_AT] = None
    if not _PLAIN_TYPES.issuperset(map(type, out)):  # (one C-speed test for the usual entry)
        for i, v in enumerate(out):
            if not isinstance(v, _PLAIN):
                raise TypeError(f"{_ENTRY_FIELDS[i]}: {type(v).__name__}")  # a field we do not know how to keep
    if key is not None:
        out[_KEY_AT] = list(_key_values(key))
    return out


def _entry_dec(d: list) -> Entry:
    if type(d) is not list or len(d) != len(_ENTRY_FIELDS):
        raise ValueError("entry fields")
    key = d[_KEY_AT]
    for i, v in enumerate(d):
        if type(v) not in _PLAIN_TYPES and i != _KEY_AT:
            raise ValueError("entry value")
    if key is not None:
        if type(key) is not list or len(key) != len(_KEY_FIELDS) or any(type(v) not in _PLAIN_TYPES for v in key):
            raise ValueError("entry key")
        d = list(d)
        d[_KEY_AT] = IndicatorKey(*key)
    return Entry(*d)


def _submission_enc(s: Submission) -> dict:
    if not all(isinstance(v, str) for v in s.signoff.values()):
        raise TypeError("signoff")
    return {"file": s.file, "sheet": s.sheet, "department": s.department, "month": s.month,
            "entries": [_entry_enc(e) for e in s.entries], "filled_date": s.filled_date, "mtime": s.mtime,
            "signoff": dict(s.signoff), "problems": [_problem_enc(p) for p in s.problems]}


def _submission_dec(d: dict) -> Submission:
    for k in ("department", "month", "filled_date"):
        if not isinstance(d[k], (str, type(None))):
            raise ValueError(k)
    return Submission(str(d["file"]), str(d["sheet"]), d["department"], d["month"],
                      entries=[_entry_dec(e) for e in d["entries"]], filled_date=d["filled_date"],
                      mtime=d["mtime"], signoff={str(k): str(v) for k, v in d["signoff"].items()},
                      problems=[_problem_as_kept(p) for p in d["problems"]])


def _roles_dec(r, sheets: list[str]) -> dict | None:
    """Kept sheet roles (ReadCache.kept_roles) when they are of these sheets, whole, and of this code."""
    if not isinstance(r, dict) or r.get("code") != code_stamp() or r.get("sheets") != sheets:
        return None
    try:
        got = {"system": [{str(x) for x in roles} for roles in r["system"]],
               "peer": [str(x) for x in r["peer"]], "sub": [bool(x) for x in r["sub"]]}
    except (KeyError, TypeError):
        return None
    return got if all(len(got[k]) == len(sheets) for k in got) else None


_stamp: list[str] = []


def code_stamp() -> str:
    """The read layers' code as it is now (size and modification time of each module, and the
    version): a parse kept by other code is never used."""
    if not _stamp:
        from kaohe_excel.fsutil import files_stamp

        root = Path(__file__).resolve().parents[1]
        _stamp.append(files_stamp(sorted([*root.joinpath("read").glob("*.py"),
                                          *(root / n for n in ("model.py", "problems.py", "text.py", "units.py"))])))
    return _stamp[0]


def _area_dec(v) -> tuple[int, int, int, int] | None:
    """A kept AutoFilter range (a list of four ints), or None."""
    if v is None:
        return None
    if type(v) is not list or len(v) != 4 or any(type(x) is not int for x in v):
        raise ValueError("filter area")
    return tuple(v)


class ReadCache:
    """One workspace's kept reads (see the module's docstring)."""

    def __init__(self, folder: Path, *, write: bool = True, packed: bool = False):
        self.folder = Path(folder)
        self.write = write  # False: kept reads are used, new ones not kept (check, assess)
        # `packed`: the entries of a month folder are kept together, in one file written once a run
        # (use_pack, flush): a province month is 240 entries, and making a file costs the system
        # more than writing what goes in it. Loose entries (one file each) are still read.
        self.packed = packed
        self._pack = ROOT_PACK
        self._packs: dict[str, dict] = {}  # pack -> entry name -> its JSON text, as read or kept this run
        self._touched: dict[str, set[str]] = {}  # pack -> entries used or kept this run
        self._dirty: set[str] = set()
        self._digests: dict[tuple, Path] = {}  # a file hashed once a run, for get and put both
        self._kept: int | None = None  # entries in the folder, counted once a run (see _prune)
        self._roles: dict[str, dict] = {}  # file -> its sheets' roles kept with its read (kept_roles)
        self._read_now: set[str] = set()  # files read from the workbook this run: nothing of theirs is kept

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
        data = self._load(self._entry(path, sheet), VERSION)
        if data is None:
            self._read_now.add(str(path))
            return None
        try:
            grids = []
            for g in data["grids"]:
                grid = Grid(name, str(g["sheet"]), [[_dec(v) for v in row] for row in g["cells"]],
                            merges=[tuple(int(x) for x in m) for m in g["merges"]], path=path)
                grid.hidden_rows = frozenset(int(x) for x in g["hidden_rows"])
                grid.hidden_cols = frozenset(int(x) for x in g["hidden_cols"])
                grid.filtered, grid.state = bool(g["filtered"]), str(g["state"])
                grid.filter_area = _area_dec(g.get("filter_area"))
                grids.append(grid)
            flags = {str(k): CellFlags(errors={(int(r), int(c)): str(e) for r, c, e in f["errors"]},
                                       percent={(int(r), int(c)) for r, c in f["percent"]},
                                       hidden_rows=set(map(int, f["hidden_rows"])),
                                       hidden_cols=set(map(int, f["hidden_cols"])),
                                       filtered=bool(f["filtered"]), filter_area=_area_dec(f.get("filter_area")),
                                       state=str(f["state"]))
                     for k, f in data["flags"].items()}
            notes = [_problem(d) for d in data["notes"]]
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None
        remember_flags(path, flags)
        for p in notes:
            p.file = name
        if isinstance(data.get("roles"), dict):
            self._roles[str(path)] = data["roles"]
        return grids, notes

    def put_roles(self, path: Path, roles: dict) -> None:
        """Keep the roles of a file's sheets apart from its read (a read kept without them)."""
        self._roles[str(path)] = {"code": code_stamp(), **roles}
        self.put_kept(path, "sheet roles", {"roles": self._roles[str(path)]})

    def kept_roles(self, path: Path, sheets: list[str]) -> dict | None:
        """The roles of the file's `sheets` (month_files.sheet_roles) kept with its read, or
        apart from it (put_roles), by the reader's code as it is now: {"system", "peer",
        "sub"}, one item a sheet."""
        key = str(path)
        got = _roles_dec(self._roles.get(key), sheets)
        if got is None and key not in self._read_now:
            apart = self.get_kept(path, "sheet roles")
            got = _roles_dec(apart.get("roles") if apart is not None else None, sheets)
        return got

    def put(self, path: Path, sheet: str | None, grids: list[Grid], notes: list[Problem],
            flags: dict[str, CellFlags], roles: dict | None = None) -> None:
        """Keep a read (best effort: a cache that cannot be written is no cache), and with it
        the roles of its sheets when given (kept_roles)."""
        if not self.write:
            return
        entry = self._entry(path, sheet)
        if entry is None:
            return
        try:
            data = {"v": VERSION,
                    "grids": [{"sheet": g.sheet, "cells": g.cells,  # (other cell types: _store's default)
                               "merges": [list(m) for m in g.merges], "hidden_rows": sorted(g.hidden_rows),
                               "hidden_cols": sorted(g.hidden_cols), "filtered": g.filtered,
                               "filter_area": g.filter_area and list(g.filter_area), "state": g.state}
                              for g in grids],
                    "flags": {k: {"errors": [[r, c, e] for (r, c), e in f.errors.items()],
                                  "percent": [[r, c] for r, c in f.percent], "hidden_rows": sorted(f.hidden_rows),
                                  "hidden_cols": sorted(f.hidden_cols), "filtered": f.filtered,
                                  "filter_area": f.filter_area and list(f.filter_area), "state": f.state}
                              for k, f in flags.items()},
                    "notes": [_problem_enc(p) for p in notes]}
        except (TypeError, ValueError):
            return
        if roles is not None:
            data["roles"] = self._roles[str(path)] = {"code": code_stamp(), **roles}
        self._store(entry, data)

    # -- packs ------------------------------------------------------------------------------
    def use_pack(self, name: str) -> None:
        """Keep what follows with the entries of `name` (a month; ROOT_PACK for input/'s own files)."""
        self._pack = name

    def _pack_file(self, name: str) -> Path:
        return self.folder / f"{hashlib.sha256(name.encode('utf-8', 'surrogatepass')).hexdigest()[:32]}.pack"

    def _entries(self) -> dict:
        got = self._packs.get(self._pack)
        if got is None:
            got = self._packs[self._pack] = {}
            f = self._pack_file(self._pack)
            try:
                if f.is_file() and f.stat().st_size <= MAX_PACK_BYTES:
                    data = json.loads(unsealed(f.read_bytes()) or b"null")
                    if isinstance(data, dict) and data.get("v") == PACK_VERSION and isinstance(data.get("entries"), dict):
                        got.update((k, v) for k, v in data["entries"].items() if isinstance(v, str))
            except (OSError, ValueError, RecursionError):
                pass
        return got

    def flush(self) -> None:
        """Write the packs that took new entries, each with what this run used or kept of it (an
        entry of a file no longer there goes); best effort, as every write here."""
        from kaohe_excel.fsutil import atomic_write_bytes

        if not (self.packed and self.write):
            return
        for name in sorted(self._dirty):
            entries, used = self._packs.get(name, {}), self._touched.get(name, set())
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
                body = json.dumps({"v": PACK_VERSION, "entries": {k: entries[k] for k in sorted(used) if k in entries}},
                                  ensure_ascii=False, separators=(",", ":")).encode("utf-8")
                atomic_write_bytes(self._pack_file(name), sealed(body), durable=False)
            except (OSError, TypeError, ValueError):
                continue
        self._dirty.clear()
        self._packs.clear()  # (read again from the file if asked again: the month's reads are not held)
        self._touched.clear()
        try:
            packs = sorted(self.folder.glob("*.pack"), key=lambda p: p.stat().st_mtime)
            for old in packs[:max(0, len(packs) - MAX_PACKS)]:
                old.unlink(missing_ok=True)
        except OSError:
            pass

    def _load(self, entry: Path | None, version: int) -> dict | None:
        """An entry's data when it is one of ours of this version, else None: from the month's
        pack (each entry its own JSON text there, read when asked: a month's reads held as text
        are a tenth of the same held as objects), else a loose entry (older versions)."""
        if entry is None:
            return None
        text = self._entries().get(entry.name) if self.packed else None
        if text is not None:
            self._touched.setdefault(self._pack, set()).add(entry.name)
        else:
            try:
                if not entry.is_file() or entry.stat().st_size > MAX_ENTRY_BYTES:
                    return None
                text = unsealed(entry.read_bytes()) or b"null"  # (bytes: json.loads reads UTF-8)
            except OSError:
                return None
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):
            return None
        return data if isinstance(data, dict) and data.get("v") == version else None

    def _store(self, entry: Path, data: dict) -> None:
        """Keep an entry, in the month's pack or as a file of its own (best effort: a cache that
        cannot be written is no cache)."""
        from kaohe_excel.fsutil import atomic_write_bytes

        try:
            text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=_enc_other)
        except (TypeError, ValueError):
            return
        if self.packed:
            self._entries()[entry.name] = text
            self._touched.setdefault(self._pack, set()).add(entry.name)
            self._dirty.add(self._pack)
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(entry, sealed(text.encode("utf-8")), durable=False)  # an entry lost to a power cut is a miss
            self._prune()
        except OSError:
            return

    def _parsed_entry(self, path: Path, what: str) -> Path | None:
        read = self._entry(path, None)
        if read is None:
            return None
        h = hashlib.sha256(f"{read.stem}\0parsed {PARSED_VERSION}\0{code_stamp()}\0".encode("utf-8"))
        h.update(what.encode("utf-8", "surrogatepass"))
        return self.folder / f"{h.hexdigest()}.json"

    def get_kept(self, path: Path, what: str) -> dict | None:
        """What an earlier parse of the same bytes, with the same `what` (everything else the
        parse depends on, as text), kept for the file; or None."""
        if str(path) in self._read_now:  # (its read is not kept: nor is its parse, but for a pruned read)
            return None
        data = self._load(self._parsed_entry(path, what), PARSED_VERSION)
        return data if data is not None and data.get("what") == what else None

    def put_kept(self, path: Path, what: str, data: dict) -> None:
        """Keep what a parse found (best effort, as put; plain JSON data)."""
        entry = self._parsed_entry(path, what) if self.write else None
        if entry is not None:
            self._store(entry, {"v": PARSED_VERSION, "what": what, **data})

    def get_submissions(self, path: Path, what: str) -> list[Submission] | None:
        """The file's Submissions as an earlier parse of the same bytes and `what` gave them."""
        data = self.get_kept(path, what)
        try:
            return None if data is None else [_submission_dec(d) for d in data["submissions"]]
        except (ValueError, KeyError, TypeError, AttributeError):
            return None

    def put_submissions(self, path: Path, what: str, subs: list[Submission]) -> None:
        try:
            data = {"submissions": [_submission_enc(s) for s in subs]}
        except (TypeError, ValueError):
            return
        self.put_kept(path, what, data)

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
