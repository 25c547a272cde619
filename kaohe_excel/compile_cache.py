"""What Python compiles anew on every run, kept per user across runs, as __pycache__ keeps bytecode.

Two things cost a county's month ~100 ms of a 0.45 s run, every run, and give the same result
every time:
- regular expressions: Python compiles a pattern in Python code (re._parser, re._compiler), ~400
  of them (the readers' header and unit words, the template engine's), 70-90 ms. What the
  compiler hands the regex engine (`_sre.compile`: the pattern, its flags, the engine's code as a
  list of ints, the group names) is kept, and a later run hands it to the engine directly. The
  engine checks code it is given and refuses what is malformed ("invalid SRE code"); then the
  pattern is compiled as usual.
- the methods `dataclasses` writes for each model class (__init__, __repr__, __eq__, …): it
  builds their source text and compiles it with `exec`, ~150 times, ~20 ms. The code objects
  compiled from each text are kept (marshal, as a .pyc holds them) and exec'd from there. The
  text is the key: the same text compiles to the same code.
Both are kept in the user's cache folder (usercache, never the workspace), one file per kind and
Python build, checked by a SHA-256 (usercache.read_entry); a damaged or foreign file is ignored
and written again. Only for CPython versions whose regex compiler is known to work this way;
elsewhere nothing is installed. Only the `kaohe` command installs it (cli.entry, and the worker
processes it starts), never an importer of the package.
"""

from __future__ import annotations

import _sre
import atexit
import builtins
import dataclasses
import hashlib
import marshal
import sys
from pathlib import Path
from re import _compiler, _parser
from types import CodeType

from kaohe_excel import usercache

MAGIC = b"kaohe-regex-code\x002\n"
CODE_MAGIC = b"kaohe-dataclass-code\x002\n"
MAX_ENTRIES = 3000  # a run uses ~400 patterns and ~150 methods; patterns made from names in the files come and go
MAX_BYTES = 16 * 1024 * 1024
_KNOWN = {(3, 11), (3, 12), (3, 13)}  # re._compiler.compile calls _sre.compile(pattern, flags, code, groups, groupindex, indexgroup)


class _Store:
    """One kind of kept compile: what the file held, what this process added and used. Each
    entry is kept marshalled on its own (`kept` maps a key to those bytes): a run decodes the
    few hundred it uses, not every entry the file holds (up to MAX_ENTRIES, from many runs)."""

    def __init__(self, magic: bytes, folder: str) -> None:
        self.magic, self.folder = magic, folder
        self.path: Path | None = None
        self.kept: dict = {}
        self.new = 0
        self.used: set = set()

    def open(self, where: Path) -> None:
        self.path = Path(where) / self.folder / f"{_version_key().hex()[:24]}.bin"
        self.kept, self.new, self.used = self.load(), 0, set()

    def close(self) -> None:
        self.path, self.kept, self.new, self.used = None, {}, 0, set()

    def load(self) -> dict:
        if self.path is None:
            return {}
        payload = usercache.read_entry(self.path, self.magic, _version_key(), MAX_BYTES)
        try:
            entries = marshal.loads(payload) if payload is not None else {}
        except (EOFError, ValueError, TypeError):
            return {}
        return entries if isinstance(entries, dict) else {}

    def get(self, key):
        """The kept value for `key`, or None (none, or not one marshal can read)."""
        blob = self.kept.get(key)
        if type(blob) is not bytes:
            return None
        try:
            return marshal.loads(blob)
        except (EOFError, ValueError, TypeError):
            return None

    def add(self, key, value) -> None:
        self.kept[key] = marshal.dumps(value)
        self.used.add(key)
        self.new += 1

    def save(self) -> None:
        """Merged with what the file holds now: a run's worker processes and the run itself each
        add theirs. Past MAX_ENTRIES only what this process used is kept."""
        if not self.new or self.path is None:
            return
        kept = {**self.load(), **dict(self.kept)}  # (a copy: a thread may still compile)
        if len(kept) > MAX_ENTRIES:
            used = set(self.used)
            kept = {k: v for k, v in kept.items() if k in used}
        try:
            payload = marshal.dumps(kept)
            if len(payload) + 64 + len(self.magic) <= MAX_BYTES:
                usercache.write_entry(self.path, self.magic, _version_key(), payload)
                self.new = 0
        except (OSError, ValueError):
            return


_state: dict = {"compile": None}
_regex = _Store(MAGIC, "regex")
_code = _Store(CODE_MAGIC, "code")


def _version_key() -> bytes:
    tag = f"{sys.version}\0{sys.implementation.cache_tag}\0{_sre.MAGIC}\0{_sre.CODESIZE}\0{marshal.version}"
    return hashlib.sha256(tag.encode("utf-8")).digest()


def supported() -> bool:
    return (sys.implementation.name == "cpython" and sys.version_info[:2] in _KNOWN
            and hasattr(_compiler, "_code") and hasattr(_compiler, "compile"))


def install(folder: Path | None = None) -> bool:
    """From now on in this process, patterns and dataclass methods compile through what is kept
    in `folder` (default: the user's cache folder, usercache). False when there is no cache or
    this Python is not one it knows; installing twice is once."""
    if _state["compile"] is not None:
        return True
    where = usercache.folder() if folder is None else folder
    if where is None or not supported():
        return False
    _regex.open(where)
    _code.open(where)
    _state["compile"] = _compiler.compile
    _compiler.compile = _compile
    dataclasses.exec = _exec  # (found before the builtin: the module's global namespace comes first)
    atexit.register(save)
    return True


def _compile(p, flags=0):
    """re._compiler.compile, from kept code when there is some."""
    original = _state["compile"]
    if not isinstance(p, (str, bytes)) or flags & _compiler.SRE_FLAG_DEBUG:
        return original(p, flags)
    key = (p, int(flags))
    kept = _regex.get(key)
    if kept is not None:
        try:
            final_flags, code, groups, groupindex, indexgroup = kept
            compiled = _sre.compile(p, final_flags, code, groups, groupindex, indexgroup)
        except Exception:  # noqa: BLE001 - not what this Python's engine takes: compile it anew
            _regex.kept.pop(key, None)
        else:
            _regex.used.add(key)
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
    _regex.add(key, entry)
    return compiled


def _exec(source, globals=None, locals=None, /):
    """`exec` as the dataclasses module calls it (its methods' source text), from kept code."""
    if type(source) is not str:
        return builtins.exec(source, globals, locals)
    code = _code.get(source)
    if type(code) is CodeType:
        _code.used.add(source)
    else:  # compiled as exec(text) would in that module: its own future flags (none), not ours
        code = compile(source, "<string>", "exec", dont_inherit=True)
        _code.add(source, code)
    return builtins.exec(code, globals, locals)


def save() -> None:
    """Keep what this process compiled anew (at exit; best effort)."""
    _regex.save()
    _code.save()


def folder() -> Path | None:
    """The cache folder this process's compiles come from, or None when not installed."""
    path = _regex.path
    return None if path is None else path.parent.parent


def uninstall() -> None:
    """Back to Python's own compilers (tests)."""
    if _state["compile"] is not None:
        _compiler.compile = _state["compile"]
        if getattr(dataclasses, "exec", None) is _exec:
            del dataclasses.exec
        atexit.unregister(save)
    _state["compile"] = None
    _regex.close()
    _code.close()


__all__ = ["CODE_MAGIC", "MAGIC", "MAX_ENTRIES", "folder", "install", "save", "supported", "uninstall"]
