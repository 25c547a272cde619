"""Compiled regular expressions kept per user across runs, as __pycache__ keeps bytecode.

Python compiles a pattern in Python code (re._parser, re._compiler): the ~400 patterns a
county's month uses (the readers' header and unit words, the template engine's) cost 70-90 ms
of a 0.5 s run, every run. What the compiler hands the regex engine (`_sre.compile`: the
pattern, its flags, the engine's code as a list of ints, the group names) is kept in the
user's cache folder (usercache, never the workspace), one file per Python build; a later
run hands the kept code to the engine directly. The engine checks code it is given and
refuses what is malformed ("invalid SRE code"); then, as for anything not exactly ours, the
pattern is compiled as usual. Only for CPython versions whose compiler is known to work this
way; elsewhere nothing is installed. Only the `kaohe` command installs it (cli.entry, and
the worker processes it starts), never an importer of the package.
"""

from __future__ import annotations

import _sre
import atexit
import hashlib
import marshal
import sys
from pathlib import Path
from re import _compiler, _parser

from kaohe_excel import usercache

MAGIC = b"kaohe-regex-code\x001\n"
MAX_ENTRIES = 3000  # a run uses ~400; patterns made from names in the files come and go
MAX_BYTES = 16 * 1024 * 1024
_KNOWN = {(3, 11), (3, 12), (3, 13)}  # re._compiler.compile calls _sre.compile(pattern, flags, code, groups, groupindex, indexgroup)

_state: dict = {"compile": None, "kept": {}, "new": 0, "used": set(), "path": None}


def _version_key() -> bytes:
    tag = f"{sys.version}\0{sys.implementation.cache_tag}\0{_sre.MAGIC}\0{_sre.CODESIZE}\0{marshal.version}"
    return hashlib.sha256(tag.encode("utf-8")).digest()


def supported() -> bool:
    return (sys.implementation.name == "cpython" and sys.version_info[:2] in _KNOWN
            and hasattr(_compiler, "_code") and hasattr(_compiler, "compile"))


def install(folder: Path | None = None) -> bool:
    """From now on in this process, patterns compile through the kept code in `folder`
    (default: the user's cache folder, usercache). False when there is no cache or this
    Python is not one it knows; installing twice is once."""
    if _state["compile"] is not None:
        return True
    where = usercache.folder() if folder is None else folder
    if where is None or not supported():
        return False
    path = Path(where) / "regex" / f"{_version_key().hex()[:24]}.bin"
    _state.update(path=path, kept=_load(path), new=0, used=set(), compile=_compiler.compile)
    _compiler.compile = _compile
    atexit.register(save)
    return True


def _load(path: Path) -> dict:
    payload = usercache.read_entry(path, MAGIC, _version_key(), MAX_BYTES)
    try:
        entries = marshal.loads(payload) if payload is not None else {}
    except (EOFError, ValueError, TypeError):
        return {}
    return entries if isinstance(entries, dict) else {}


def _compile(p, flags=0):
    """re._compiler.compile, from kept code when there is some."""
    original = _state["compile"]
    if not isinstance(p, (str, bytes)) or flags & _compiler.SRE_FLAG_DEBUG:
        return original(p, flags)
    key = (p, int(flags))
    kept = _state["kept"].get(key)
    if kept is not None:
        try:
            final_flags, code, groups, groupindex, indexgroup = kept
            compiled = _sre.compile(p, final_flags, code, groups, groupindex, indexgroup)
        except Exception:  # noqa: BLE001 - not what this Python's engine takes: compile it anew
            _state["kept"].pop(key, None)
        else:
            _state["used"].add(key)
            return compiled
    parsed = _parser.parse(p, flags)  # (a bad pattern raises re.error here, as Python's own compile would)
    try:
        code = _compiler._code(parsed, flags)
        groupindex = dict(parsed.state.groupdict)
        indexgroup = [None] * parsed.state.groups
        for name, i in groupindex.items():
            indexgroup[i] = name
        entry = (int(flags | parsed.state.flags), [int(c) for c in code], parsed.state.groups - 1, groupindex,
                 tuple(indexgroup))
        compiled = _sre.compile(p, *entry)
    except Exception:  # noqa: BLE001 - this Python's compiler is not what we know: its own way, nothing kept
        return original(p, flags)
    _state["kept"][key] = entry
    _state["used"].add(key)
    _state["new"] += 1
    return compiled


def save() -> None:
    """Keep what this process compiled anew (at exit; best effort), merged with what the file
    holds now: a run's worker processes and the run itself each add theirs. Past MAX_ENTRIES
    only the patterns this process used are kept."""
    if not _state["new"] or _state["path"] is None:
        return
    kept = {**_load(_state["path"]), **dict(_state["kept"])}  # (a copy: a thread may still compile)
    if len(kept) > MAX_ENTRIES:
        used = set(_state["used"])
        kept = {k: v for k, v in kept.items() if k in used}
    try:
        payload = marshal.dumps(kept)
        if len(payload) + 64 + len(MAGIC) <= MAX_BYTES:
            usercache.write_entry(_state["path"], MAGIC, _version_key(), payload)
            _state["new"] = 0
    except (OSError, ValueError):
        return


def folder() -> Path | None:
    """The cache folder this process's patterns come from, or None when not installed."""
    path = _state["path"]
    return None if path is None else path.parent.parent


def uninstall() -> None:
    """Back to Python's own compiler (tests)."""
    if _state["compile"] is not None:
        _compiler.compile = _state["compile"]
        atexit.unregister(save)
    _state.update(compile=None, kept={}, new=0, used=set(), path=None)


__all__ = ["MAGIC", "MAX_ENTRIES", "folder", "install", "save", "supported", "uninstall"]
