"""Compiled template code kept per user, like Python's __pycache__ (engine stage 0, beside
the sandbox): parsing and compiling the template rows to Jinja's Python code is about a
third of writing a month's reports, and the templates rarely change.

What is kept is the code object the report sandbox itself generated (its parse checks
passed, its render-time checks are calls in that code), marshalled, one file per compile,
named by a digest of everything the generated code depends on: the source (or the node
tree), the template name, Python, Jinja2 and this package's version, the sandbox module's
file, the environment's class and settings, its filters and tests. A changed template is
another name, so it misses.

Where: the user's own cache folder (kaohe_excel/usercache: never the workspace, whose files
come from anyone and must never be able to run code), in jinja/. An entry that is not
exactly ours (wrong header, key or checksum, not a code object) is ignored and written again; writes
are atomic; at most MAX_ENTRIES are kept, the oldest going first.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
import weakref
from pathlib import Path
from types import CodeType

from kaohe_excel import usercache

MAGIC = b"kaohe-jinja-code\x001\n"
MAX_ENTRIES = 4000  # a few templates' rows, many versions of them
MAX_ENTRY_BYTES = 4 * 1024 * 1024  # code for one template row is a few kB
_state: dict = {"kept": None}  # entries counted (see _prune)
_stamps: dict[str, str] = {}


def folder() -> Path | None:
    """This process's folder for template code (usercache), or None (no cache)."""
    base = usercache.folder()
    return None if base is None else base / "jinja"


def _stamp(module: str) -> str:
    """(size, mtime) of a module's file, as __pycache__ checks a source: our own code
    changing (the sandbox, a filter) must miss."""
    got = _stamps.get(module)
    if got is None:
        try:
            st = os.stat(sys.modules[module].__file__)
            got = f"{st.st_size}:{st.st_mtime_ns}"
        except (KeyError, AttributeError, TypeError, OSError):
            got = "?"
        _stamps[module] = got
    return got


def _callable_id(f) -> str:
    """A filter, test or finalize as the code generated for it depends on it: which function
    (ours stamped by its file) and what Jinja passes it (its jinja_pass_arg)."""
    if f is None:
        return "-"
    mod = getattr(f, "__module__", None) or type(f).__module__
    name = getattr(f, "__qualname__", None) or type(f).__qualname__
    pass_arg = getattr(f, "jinja_pass_arg", None)  # as jinja2.utils._PassArg.from_obj reads it
    return f"{mod}.{name}/{pass_arg.name if pass_arg else ''}/{_stamp(mod) if mod.startswith('kaohe_excel') else ''}"


_ENV_KEYS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def environment_key(env) -> str:
    """Everything of `env` its generated code depends on (settings, filters, tests: Jinja
    looks those up and folds constants with them while compiling); worked out once per
    environment while what can change after it is made (filters, tests, finalize) stays."""
    now = (id(env.filters), len(env.filters), id(env.tests), len(env.tests), env.finalize, env.autoescape,
           env.undefined, env.optimized)
    kept = _ENV_KEYS.get(env)
    if kept is not None and kept[0] == now:
        return kept[1]
    key = _environment_key(env)
    _ENV_KEYS[env] = (now, key)
    return key


def _environment_key(env) -> str:
    import jinja2

    from kaohe_excel import __version__

    cls = type(env)
    autoescape = env.autoescape if isinstance(env.autoescape, bool) else _callable_id(env.autoescape)
    parts = [
        sys.version, sys.implementation.cache_tag or "", str(marshal.version), jinja2.__version__, __version__,
        f"{cls.__module__}.{cls.__qualname__}", _stamp(cls.__module__),
        f"{env.template_class.__module__}.{env.template_class.__qualname__}",
        env.block_start_string, env.block_end_string, env.variable_start_string, env.variable_end_string,
        env.comment_start_string, env.comment_end_string, str(env.line_statement_prefix),
        str(env.line_comment_prefix), str(env.trim_blocks), str(env.lstrip_blocks), env.newline_sequence,
        str(env.keep_trailing_newline), str(autoescape), str(env.optimized), str(env.is_async),
        ",".join(sorted(env.extensions)), _callable_id(env.finalize), env.undefined.__qualname__,
        ";".join(f"{k}={_callable_id(v)}" for k, v in sorted(env.filters.items())),
        ";".join(f"{k}={_callable_id(v)}" for k, v in sorted(env.tests.items())),
    ]
    return "\0".join(parts)


def source_key(source) -> str | None:
    """The text of a template, or of a node tree (its repr holds every field; the line
    numbers, which the code's debug map carries, are added)."""
    if isinstance(source, str):
        return "s" + source
    from jinja2 import nodes

    if isinstance(source, nodes.Template):
        lines = ",".join(str(n.lineno) for n in source.find_all(nodes.Node))
        return f"t{source!r}\0{source.lineno}\0{lines}"
    return None


def entry_name(env, source, name, filename, defer_init) -> str | None:
    src = source_key(source)
    if src is None:
        return None
    h = hashlib.sha256()
    for part in (environment_key(env), str(name), str(filename), str(defer_init), src):
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\0\1")
    return h.hexdigest()


def get(digest: str) -> CodeType | None:
    """The kept code for `digest`, or None: missing, not ours, damaged."""
    where = folder()
    if where is None:
        return None
    payload = usercache.read_entry(where / f"{digest}.code", MAGIC, bytes.fromhex(digest), MAX_ENTRY_BYTES)
    if payload is None:
        return None
    try:
        code = marshal.loads(payload)
    except (EOFError, ValueError, TypeError):
        return None
    return code if isinstance(code, CodeType) else None


def put(digest: str, code: CodeType) -> None:
    """Keep `code` (best effort: a cache that cannot be written is no cache)."""
    where = folder()
    if where is None:
        return
    try:
        payload = marshal.dumps(code)
        if len(payload) + 64 + len(MAGIC) > MAX_ENTRY_BYTES:
            return
        usercache.write_entry(where / f"{digest}.code", MAGIC, bytes.fromhex(digest), payload)
        _prune(where)
    except (OSError, ValueError):
        return


def _prune(where: Path) -> None:
    """At most MAX_ENTRIES: the folder is listed on a process's first put, and again only
    when the puts since could have passed the bound."""
    kept = _state["kept"]
    if kept is not None and kept < MAX_ENTRIES:
        _state["kept"] = kept + 1
        return
    try:
        entries = [p for p in where.iterdir() if p.suffix in (".code", ".ok")]
        if len(entries) > MAX_ENTRIES:
            entries.sort(key=lambda p: p.stat().st_mtime)
            for old in entries[:len(entries) - MAX_ENTRIES]:
                old.unlink(missing_ok=True)
            entries = entries[len(entries) - MAX_ENTRIES:]
        _state["kept"] = len(entries)
    except OSError:
        _state["kept"] = None


def checked_before(env, sources: list[str]) -> str | None:
    """None when these sources, all together, passed `env.parse` before (then parsing
    them again only to check them would say the same); else the mark to keep once they
    pass (mark_checked). The check is kept as an empty entry: nothing is loaded from it."""
    where = folder()
    if where is None:
        return ""
    h = hashlib.sha256(b"parse-check\0")
    h.update(environment_key(env).encode("utf-8", "surrogatepass"))
    for src in sources:
        h.update(b"\0\1")
        h.update(src.encode("utf-8", "surrogatepass"))
    digest = h.hexdigest()
    try:
        with open(where / f"{digest}.ok", "rb") as fh:
            if fh.read(len(MAGIC) + 33) == MAGIC + bytes.fromhex(digest):
                return None
    except OSError:
        pass
    return digest


def mark_checked(digest: str) -> None:
    from kaohe_excel.fsutil import atomic_write_bytes

    where = folder()
    if not digest or where is None:
        return
    try:
        where.mkdir(parents=True, exist_ok=True, mode=0o700)
        atomic_write_bytes(where / f"{digest}.ok", MAGIC + bytes.fromhex(digest), durable=False)
        _prune(where)
    except OSError:
        return


def compiled(env, source, name, filename, defer_init, make) -> CodeType:
    """The code `make()` (the sandbox's own compile) gives for `source`, kept across runs."""
    digest = entry_name(env, source, name, filename, defer_init) if folder() is not None else None
    if digest is None:
        return make()
    code = get(digest)
    if code is None:
        code = make()
        put(digest, code)
    return code


__all__ = ["compiled", "folder", "checked_before", "mark_checked", "MAX_ENTRIES"]
