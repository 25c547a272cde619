"""Compiled regular expressions kept per user (usercache), so a run does not compile its ~400
patterns again: the readers' patterns with large Chinese classes ([\\u4e00-\\u9fa5] alone
takes 1.5 ms, the compiler walks every code point of a class) cost about 0.09 s a run, an
eighth of the demo month.

`install()` (the command line calls it first, before the modules that compile at import)
routes the standard library's regex compiler through a table kept in one file: for each
(pattern, flags) what the compiler hands to the regex engine (`_sre.compile`: the flags, the
engine code, the groups). The engine checks the code it is given (CPython validates it), an
entry it refuses is compiled again, and the file is a checksummed marshal of plain data
(strings, numbers, lists, dicts): no code is loaded from it. Named by the interpreter build
(cache tag and the engine's version), so another Python never reads it. New patterns are
added when the process ends (atomically; at most MAX_PATTERNS). Nothing is kept when the
cache folder is inside the workspace the command was given (usercache).
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys

MAGIC = b"kaohe-regex\x001\n"
MAX_PATTERNS = 4000
MAX_BYTES = 32 * 1024 * 1024

_state: dict = {"table": None, "path": None, "added": 0}


def _workspace_in(argv: list[str]) -> str:
    """The workspace a command line names (-w/--workspace; default the current folder),
    read before click parses it: the table must not come from inside it."""
    for k, a in enumerate(argv[1:], 1):
        if a in ("-w", "--workspace") and k + 1 < len(argv):
            return argv[k + 1]
        if a.startswith("--workspace="):
            return a.split("=", 1)[1]
        if a.startswith("-w") and len(a) > 2 and not a.startswith("--"):
            return a[2:]
    return "."


def _load(path) -> dict:
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_BYTES + 1)
        head = len(MAGIC)
        if len(data) > MAX_BYTES or data[:head] != MAGIC or \
                data[head:head + 32] != hashlib.sha256(data[head + 32:]).digest():
            return {}
        table = marshal.loads(data[head + 32:])
        return table if isinstance(table, dict) else {}
    except (OSError, EOFError, ValueError, TypeError):
        return {}


def _save() -> None:
    """Add this process's new patterns to the kept table (another process may have added
    its own since it was read: both are kept)."""
    from kaohe_excel.fsutil import atomic_write_bytes

    table, path = _state["table"], _state["path"]
    if not _state["added"] or table is None or path is None:
        return
    try:
        merged = _load(path)
        merged.update(table)
        while len(merged) > MAX_PATTERNS:  # the oldest first (a dict keeps the order of adding)
            merged.pop(next(iter(merged)))
        payload = marshal.dumps(merged)
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        atomic_write_bytes(path, MAGIC + hashlib.sha256(payload).digest() + payload, durable=False)
    except (OSError, ValueError):
        return


def install(argv: list[str] | None = None) -> None:
    """Keep compiled regular expressions across runs in this process (see the module)."""
    try:
        import _sre
        from re import _compiler, _parser

        code_of, parse = _compiler._code, _parser.parse
    except (ImportError, AttributeError):  # another interpreter: compile as usual
        return
    original = _compiler.compile
    if getattr(original, "kept_by_kaohe", False):
        return
    from kaohe_excel import usercache

    usercache.keep_out_of(_workspace_in(sys.argv if argv is None else argv))
    where = usercache.folder()
    if where is None:
        return
    path = where / f"regex-{sys.implementation.cache_tag}-{_sre.MAGIC}-{_sre.CODESIZE}.bin"
    table = _load(path)
    _state.update(table=table, path=path, added=0)

    def compile(p, flags=0):
        if not isinstance(p, (str, bytes)) or not isinstance(flags, int) or flags & _compiler.SRE_FLAG_DEBUG:
            return original(p, flags)
        key = (p, int(flags))
        got = table.get(key)
        if got is not None:
            try:
                return _sre.compile(p, *got)
            except Exception:  # noqa: BLE001 - not what the engine accepts: compiled again below
                table.pop(key, None)
        parsed = parse(p, flags)  # as re._compiler.compile does, keeping what the engine is given
        code = [int(c) for c in code_of(parsed, flags)]  # (some words are named int constants)
        groupindex = parsed.state.groupdict
        indexgroup = [None] * parsed.state.groups
        for name, i in groupindex.items():
            indexgroup[i] = name
        args = (int(flags | parsed.state.flags), code, parsed.state.groups - 1, dict(groupindex), tuple(indexgroup))
        out = _sre.compile(p, *args)
        table[key] = args
        _state["added"] += 1
        return out

    compile.kept_by_kaohe = True
    _compiler.compile = compile
    import atexit

    atexit.register(_save)


__all__ = ["install", "MAX_PATTERNS"]
