"""The user's own cache folder for kaohe-excel, like __pycache__ for what is made from our own
code and never from a workspace's data: compiled template code (write/_tpl_codecache) and
compiled regular expressions and dataclass methods (compile_cache).

Where: %LOCALAPPDATA%\\kaohe-excel\\cache on Windows, ~/Library/Caches/kaohe-excel on macOS,
$XDG_CACHE_HOME/kaohe-excel or ~/.cache/kaohe-excel elsewhere, or $KAOHE_CACHE_DIR (an
absolute path; empty or relative turns the cache off). NEVER inside a workspace: a file
there comes from anyone and must never be able to run code or steer a parse, so a process
that was given a workspace containing the cache folder (`keep_out_of`) uses no cache.
Standard library only.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

ENV_VAR = "KAOHE_CACHE_DIR"

_state: dict = {"avoid": [], "resolved": None}  # resolved: (the folder or None,) once worked out


def default_folder() -> Path | None:
    """The user's cache folder for kaohe-excel (not created here), or None when off."""
    if ENV_VAR in os.environ:
        given = os.environ[ENV_VAR].strip()
        return Path(given) if given and os.path.isabs(given) else None
    if os.name == "nt":
        base = os.environ.get("LOCALAPPDATA", "").strip()
        return Path(base, "kaohe-excel", "cache") if base and os.path.isabs(base) else None
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "kaohe-excel"
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    if xdg and os.path.isabs(xdg):  # the XDG rule: a relative value is ignored
        return Path(xdg, "kaohe-excel")
    try:
        return Path.home() / ".cache" / "kaohe-excel"
    except RuntimeError:  # no home folder
        return None


def keep_out_of(workspace) -> None:
    """Never use a cache folder inside `workspace` in this process."""
    try:
        _state["avoid"].append(Path(workspace).resolve())
    except (OSError, RuntimeError):
        _state["avoid"].append(Path(os.path.abspath(workspace)))
    _state["resolved"] = None
    _state.pop("seal", None)


def folder() -> Path | None:
    """This process's cache folder, or None (no cache): worked out once, checked against
    every folder given to keep_out_of."""
    if _state["resolved"] is None:
        where = default_folder()
        if where is not None:
            try:
                where = where.resolve()
            except (OSError, RuntimeError):
                where = None
        if where is not None and any(where == a or a in where.parents for a in _state["avoid"]):
            where = None
        _state["resolved"] = (where,)
    return _state["resolved"][0]


def avoided() -> list[Path]:
    """The folders given to keep_out_of (handed to a worker process, which must avoid them too)."""
    return list(_state["avoid"])


def read_entry(path: Path, magic: bytes, key: bytes, limit: int) -> bytes | None:
    """The payload kept at `path` (magic, the 32-byte key, a SHA-256 of the payload, the
    payload), or None: missing, someone else's, for another key, damaged or too large."""
    try:
        with open(path, "rb") as fh:
            data = fh.read(limit + 1)
    except OSError:
        return None
    head = len(magic)
    if len(data) > limit or len(data) < head + 64 or data[:head] != magic or data[head:head + 32] != key:
        return None
    payload = data[head + 64:]
    return payload if data[head + 32:head + 64] == hashlib.sha256(payload).digest() else None


def write_entry(path: Path, magic: bytes, key: bytes, payload: bytes) -> None:
    """Keep `payload` as read_entry reads it, atomically (an entry lost to a power cut is a
    miss, so not made durable). OSError when the folder cannot be written."""
    from kaohe_excel.fsutil import atomic_write_bytes

    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    atomic_write_bytes(path, magic + key + hashlib.sha256(payload).digest() + payload, durable=False)


_SEAL_FILE = "seal.key"
_SEAL_SEP = b"\n#"


def _seal_key() -> bytes | None:
    """This user's own secret: 32 random bytes made once in the cache folder (None without one).
    What this user's runs keep in a workspace's output/ is sealed with it."""
    if "seal" not in _state:
        key = None
        where = folder()
        if where is not None:
            f = where / _SEAL_FILE
            try:
                if not f.is_file():
                    where.mkdir(parents=True, exist_ok=True, mode=0o700)
                    try:
                        fd = os.open(f, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
                    except FileExistsError:  # another process made it first
                        pass
                    else:
                        with os.fdopen(fd, "wb") as fh:
                            fh.write(os.urandom(32))
                key = f.read_bytes()
            except OSError:
                key = None
        _state["seal"] = key if key is not None and len(key) == 32 else None
    return _state["seal"]


def _mac(key: bytes, payload: bytes) -> bytes:
    import hmac

    return hmac.new(key, payload, hashlib.sha256).hexdigest().encode()


def sealed(payload: bytes) -> bytes:
    """`payload` with this user's seal after it: kept files of a workspace (output/.kaohe-cache)
    are files like any other there, and one edited by hand, or brought from another machine, must
    be no hit, never figures (unsealed: no key, nothing trusted)."""
    key = _seal_key()
    return payload + _SEAL_SEP + (_mac(key, payload) if key is not None else b"0" * 64)


def unsealed(blob: bytes) -> bytes | None:
    """The payload `sealed` kept, or None: no seal, another's, or changed since."""
    import hmac

    key = _seal_key()
    cut = len(blob) - 64 - len(_SEAL_SEP)
    if key is None or cut < 0 or blob[cut:cut + len(_SEAL_SEP)] != _SEAL_SEP:
        return None
    payload = blob[:cut]
    return payload if hmac.compare_digest(blob[-64:], _mac(key, payload)) else None


__all__ = ["ENV_VAR", "default_folder", "keep_out_of", "folder", "avoided", "read_entry", "write_entry",
           "sealed", "unsealed"]
