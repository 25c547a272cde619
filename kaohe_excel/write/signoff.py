"""Signed reports are never overwritten.

A report counts as signed when the clerk recorded it with `kaohe sign` (a line in
`签发记录.json` beside it, holding the file's digest) or typed a name after `签发：`
in the workbook itself. A new run then writes `…（第2版）.xlsx` beside it.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import re
import zipfile
from pathlib import Path

REGISTRY = "签发记录.json"
_SIGNED_RE = re.compile(r"签\s*发\s*(?:人)?\s*[:：]\s*(?!日\s*期)([^\s　:：<][^<]*?)\s*(?:日\s*期|$|<)")


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def read_registry(folder: Path) -> dict:
    f = folder / REGISTRY
    if not f.exists():
        return {}
    try:
        return json.loads(f.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _signed_in_workbook(path: Path) -> bool:
    """A name typed after 签发： in any sheet (inline or shared strings)."""
    try:
        with zipfile.ZipFile(path) as z:
            for name in z.namelist():
                if name.startswith("xl/worksheets/sheet") or name == "xl/sharedStrings.xml":
                    info = z.getinfo(name)
                    if info.file_size > 50_000_000:
                        continue
                    text = z.read(name).decode("utf-8", "replace")
                    for m in _SIGNED_RE.finditer(text):
                        if m.group(1).strip(" 　_＿"):
                            return True
    except (OSError, zipfile.BadZipFile, KeyError):
        return False
    return False


def is_signed(path: Path) -> bool:
    path = Path(path)
    if not path.exists():
        return False
    entry = read_registry(path.parent).get(path.name)
    if entry:
        return True
    return _signed_in_workbook(path)


def output_path(path: Path) -> Path:
    """Where to write a report: its own name, unless a signed report holds it."""
    path = Path(path)
    if not is_signed(path):
        return path
    n = 2
    while True:
        cand = path.with_name(f"{path.stem}（第{n}版）{path.suffix}")
        if not is_signed(cand):
            return cand
        n += 1


def sign(path: Path, reviewer: str, issuer: str, date: str | None = None) -> dict:
    """Record that `path` was reviewed and issued; later runs will not overwrite it."""
    from kaohe_excel.fsutil import atomic_write_bytes

    path = Path(path)
    reg = read_registry(path.parent)
    entry = {"审核": reviewer, "签发": issuer, "日期": date or _dt.date.today().isoformat(),
             "sha256": _digest(path)}
    reg[path.name] = entry
    atomic_write_bytes(path.parent / REGISTRY, json.dumps(reg, ensure_ascii=False, indent=1).encode("utf-8"))
    return entry
