"""The user's own cache folder for kaohe-excel, like __pycache__ for what is made from our own
code and never from a workspace's data: compiled template code (write/_tpl_codecache).

Where: %LOCALAPPDATA%\\kaohe-excel\\cache on Windows, ~/Library/Caches/kaohe-excel on macOS,
$XDG_CACHE_HOME/kaohe-excel or ~/.cache/kaohe-excel elsewhere, or $KAOHE_CACHE_DIR (an
absolute path; empty or relative turns the cache off). NEVER inside a workspace: a file
there comes from anyone and must never be able to run code or steer a parse, so a process
that was given a workspace containing the cache folder (`keep_out_of`) uses no cache.
Standard library only.
"""

from __future__ import annotations

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


__all__ = ["ENV_VAR", "default_folder", "keep_out_of", "folder"]
