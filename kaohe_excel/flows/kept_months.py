"""The view from above keeps each earlier month as what the league and the trends read of it:
every unit's MonthBrief (its total, full marks and place, each indicator's rank and colour).
A province's monthly run then reads and assesses its new month only, where it read and assessed
every earlier month again (1,320 files and 1,320 unit assessments for the twelfth month).

A month is kept under the digest of everything its briefs follow from: the bytes of every file
in its folders and of the files beside them in input/ (the system, peer tables), the system as
read, the settings, and the reading and assessing code as it is now (size and time of each
module, as __pycache__ checks a source). Anything else, and the month is read again. The
kept file is untrusted like every input: any shape not ours is no hit.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from kaohe_excel.usercache import sealed, unsealed

VERSION = 1
MAX_KEPT = 360  # months kept (30 years); the oldest go first
FOLDER = "月份"  # under output/.kaohe-cache/

_stamp: list[str] = []


def _code_stamp() -> str:
    """The code a brief follows from: the readers (read/cache.py's stamp), the assessment, the
    settings and the flow that reads and keeps the months."""
    if not _stamp:
        from kaohe_excel.fsutil import files_stamp
        from kaohe_excel.read.cache import code_stamp

        root = Path(__file__).resolve().parents[1]
        files = [*sorted(root.joinpath("assess").glob("*.py")), root / "config.py", root / "workspace.py",
                 Path(__file__), root / "flows" / "evaluate.py"]
        _stamp.append(code_stamp() + "\0" + files_stamp(files))
    return _stamp[0]


def _files_under(folder: Path) -> list[Path]:
    """Every file below `folder`, linked folders not followed (a link loop cannot hang, as in
    month_files); OSError past MAX_MONTH_FILES entries (such a month is not kept)."""
    from kaohe_excel.read.month_files import MAX_MONTH_FILES

    out: list[Path] = []
    seen = 0
    for here, dirs, files in os.walk(folder, followlinks=False):
        seen += len(dirs) + len(files)
        if seen > MAX_MONTH_FILES:
            raise OSError("too many files")
        out.extend(Path(here) / f for f in files)
    return sorted(p for p in out if p.is_file())


def base_key(inp: Path, system, config) -> str | None:
    """What every month's briefs follow from besides its own folders: the code, the system as
    read, the settings and the files beside the month folders in input/; None when one of those
    files cannot be read now."""
    from kaohe_excel.fsutil import file_digest

    h = hashlib.sha256(f"{VERSION}\0{_code_stamp()}\0{system!r}\0{config!r}\0".encode("utf-8", "surrogatepass"))
    try:
        for p in sorted(q for q in inp.iterdir() if q.is_file()):
            h.update(f"{p.name}\0{file_digest(p)}\0".encode("utf-8", "surrogatepass"))
    except OSError:
        return None
    return h.hexdigest()


def month_key(base: str | None, folders: dict[str, list[Path]], month: str,
              digests: dict | None = None) -> str | None:
    """The digest `month`'s briefs are kept under: `base`, the bytes and time of every file in its
    folders (the newer of two peer tables, or of one unit's two reports, is used), and the bytes
    of the files at the top of the month before's folders (a peer table byte for byte last
    month's is dropped as a copy); taken before the month is read (a file changed meanwhile
    makes the next run miss, never hit on figures read from other bytes). `digests` (path -> its
    SHA-256): kept across the months of one run, where each month's files are its own and the
    next month's month before."""
    from kaohe_excel.fsutil import file_digest

    if base is None:
        return None
    memo = digests if digests is not None else {}

    def digest(p: Path) -> str:
        got = memo.get(p)
        if got is None:
            got = memo[p] = file_digest(p)
        return got

    h = hashlib.sha256(f"{base}\0{month}\0".encode("utf-8"))
    before = max((m for m in folders if m < month), default=None)
    try:
        for folder in folders.get(month, []):
            h.update(f"[{folder.name}]\0".encode("utf-8", "surrogatepass"))
            for p in _files_under(folder):
                h.update(f"{p.relative_to(folder).as_posix()}\0{digest(p)}\0{p.stat().st_mtime_ns}\0"
                         .encode("utf-8", "surrogatepass"))
        for folder in folders.get(before, []) if before is not None else []:
            h.update(f"<{before}:{folder.name}>\0".encode("utf-8", "surrogatepass"))
            for p in sorted(q for q in folder.iterdir() if q.is_file()):
                h.update(f"{p.name}\0{digest(p)}\0".encode("utf-8", "surrogatepass"))
    except OSError:
        return None
    return h.hexdigest()


def key_before_reading(base: str | None, folders: dict[str, list[Path]], known: dict[str, str], month: str) -> str | None:
    """month_key for the process that reads `month` (workspace.EarlierMonths' `key_of`); `known`:
    the keys the run's process took looking the months up (also before any was read)."""
    return known.get(month) or month_key(base, folders, month)


def _file(cache: Path, month: str) -> Path:
    return cache / FOLDER / f"{month}.json"


def kept(cache: Path, month: str, key: str) -> dict | None:
    """unit -> MonthBrief of `month` as kept under `key`, or None."""
    f = _file(cache, month)
    try:
        if not f.is_file() or f.stat().st_size > 16 * 1024 * 1024:
            return None
        data = json.loads(unsealed(f.read_bytes()) or b"null")
        if not isinstance(data, dict) or data.get("v") != VERSION or data.get("key") != key or data.get("month") != month:
            return None
        return _decode(month, data)
    except (OSError, ValueError, RecursionError, KeyError, TypeError, AttributeError):
        return None


def keep(cache: Path, month: str, key: str, briefs: dict) -> None:
    """Keep a month's briefs (best effort: a month not kept is read again next run)."""
    from kaohe_excel.fsutil import atomic_write_bytes

    try:
        data = {"v": VERSION, "key": key, "month": month, **_encode(briefs)}
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        atomic_write_bytes(_file(cache, month), sealed(text.encode("utf-8")), durable=False)
        _prune(cache / FOLDER)
    except (OSError, TypeError, ValueError):
        return


def _prune(folder: Path) -> None:
    files = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime)
    for p in files[:max(0, len(files) - MAX_KEPT)]:
        p.unlink(missing_ok=True)


def _encode(briefs: dict) -> dict:
    from kaohe_excel.assess.results import MonthBrief

    keys = None
    units = {}
    for unit, b in briefs.items():
        if not isinstance(b, MonthBrief):
            raise TypeError("brief")
        if keys is None:
            keys = b.keys
        elif b.keys != keys:
            raise ValueError("keys")
        units[unit] = [b.total, b.total_points, b.excluded, b.estimated_rank, list(b.ranks), list(b.colours),
                       b.unscored_points]
    return {"keys": [[k.no, k.repeat, k.part, k.name] for k in keys or ()], "units": units}


def _number(v):
    if type(v) in (int, float):
        return v
    raise ValueError("number")


def _decode(month: str, data: dict) -> dict | None:
    from kaohe_excel.assess.results import MonthBrief
    from kaohe_excel.model import IndicatorKey

    keys = []
    for k in data["keys"]:
        no, repeat, part, name = k
        if not (no is None or type(no) is int) or type(repeat) is not int or type(part) is not str or type(name) is not str:
            return None
        keys.append(IndicatorKey(no, repeat, part, name))
    keys_t = tuple(keys)
    out = {}
    for unit, v in data["units"].items():
        total, points, excluded, place, ranks, colours, unscored = v
        if type(excluded) is not bool or len(ranks) != len(keys_t) or len(colours) != len(keys_t):
            return None
        if any(not (r is None or type(r) is int) for r in ranks) or any(not (c is None or type(c) is str) for c in colours):
            return None
        if not (place is None or type(place) is int):
            return None
        out[str(unit)] = MonthBrief(month, _number(total), _number(points), excluded, place, keys_t, tuple(ranks),
                                    tuple(colours), _number(unscored))
    return out


__all__ = ["base_key", "month_key", "key_before_reading", "kept", "keep"]
