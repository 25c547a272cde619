"""Departments' files added to a month folder from the page (`kaohe serve`).

    clean_name(name) -> str                     a plain file name, Chinese kept
    save_uploads(workspace, month, files) -> UploadResult

A file is saved as it came (its bytes untouched) into input/YYYY-MM/, under a clean
name: no folder part (`../../x.xlsx` is `x.xlsx`), no character Windows refuses, no
reserved device name (CON, NUL, COM1 …), no leading or trailing dots. A name that exists
is never overwritten: both are kept (`名（2）.xlsx`) and the result says so. Each file
is opened first, exactly as `kaohe check` opens it (read/safety, read/workbook): one that
is not a workbook, is encrypted, damaged or a zip bomb is refused with the reader's own
Chinese message and never lands in input/. Everything happens under the workspace lock.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path

MAX_FILE_BYTES = 30 * 1024 * 1024  # one department's workbook: a few hundred KB in practice
MAX_FILES = 60  # one upload; a county has 20–40 departments
MAX_NAME_CHARS = 120
MAX_NAME_BYTES = 220  # UTF-8 bytes of a saved name, its suffix included
_WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".et"}
_BAD_CHARS = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
# invisible marks, dropped: a right-to-left mark before xslx.exe shows the name as ...exe.xlsx
_INVISIBLE = re.compile(r'[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]')
_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])$", re.IGNORECASE)


@dataclass
class Saved:
    name: str  # the name it was saved under
    sent_as: str  # the name the browser sent
    note: str = ""  # renamed, and why


@dataclass
class UploadResult:
    saved: list[Saved] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # Chinese, one per file
    fatal: str | None = None  # nothing saved, and why (busy workspace, no such month)


def clean_name(name: str) -> str:
    """The last part of whatever path the browser sent, made a plain Windows file name."""
    base = re.split(r"[\\/]", str(name or ""))[-1]
    base = _BAD_CHARS.sub("_", _INVISIBLE.sub("", base)).strip().strip(". \u3000")
    base = re.sub(r"\.{2,}", ".", base)  # no `..` anywhere
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    if _RESERVED.match(stem.split(".")[0].strip()) or not stem.strip("_ "):
        stem = ("上传文件_" + stem).rstrip("_") if stem.strip("_ ") else "上传文件"
    suffix = suffix[:10]
    if len(stem) > MAX_NAME_CHARS:
        stem = stem[:MAX_NAME_CHARS]
    # a name is at most 255 bytes on Linux and macOS (a Chinese character is 3 in UTF-8; Windows counts
    # 255 characters): kept well under, room left for （2）
    while len(stem.encode("utf-8")) + len(suffix.encode("utf-8")) > MAX_NAME_BYTES:
        stem = stem[:-1]
    return f"{stem}.{suffix}" if suffix else stem


def unique_name(folder: Path, name: str) -> str:
    """`name`, or `名（2）.xlsx`, `名（3）.xlsx` … when a file of that name (any case) is there."""
    taken = {p.name.casefold() for p in folder.iterdir()} if folder.is_dir() else set()
    if name.casefold() not in taken:
        return name
    p = Path(name)
    n = 2
    while f"{p.stem}（{n}）{p.suffix}".casefold() in taken:
        n += 1
    return f"{p.stem}（{n}）{p.suffix}"


def _refusal(path: Path, shown: str) -> str | None:
    """Why the file must not go into input/ (the reader's own words), or None."""
    from kaohe_excel.problems import InputError
    from kaohe_excel.read.safety import content_kind
    from kaohe_excel.read.workbook import read_workbook

    kind, inside = content_kind(path)
    if kind == "zip":
        listed = "、".join(inside[:5]) or "没有 Excel 文件"
        return f"「{shown}」是压缩包（其中：{listed}），请解压后上传其中的 Excel 文件"
    if kind == "archive":
        return f"「{shown}」是 {inside[0]} 压缩包，请解压后上传其中的 Excel 文件"
    if kind != "workbook" and Path(shown).suffix.lower() not in _WORKBOOK_SUFFIXES:
        return f"「{shown}」不是 Excel 文件（只接受各单位的月报和六县市数据：.xlsx、.xls、.xlsm、.et）"
    try:
        read_workbook(path, problems=[])
    except InputError as exc:
        p = exc.problem
        where = "".join(f"，{w}" for w in (f"工作表「{p.sheet}」" if p.sheet else "", f"单元格 {p.cell}" if p.cell else "") if w)
        return f"「{shown}」{where}：{p.message}"
    except Exception as exc:  # noqa: BLE001 - as month_files names a file it cannot open
        return f"「{shown}」无法读取，文件可能已损坏（{type(exc).__name__}）"
    return None


def save_uploads(workspace: Path, month: str, files: list[tuple[str, Path]]) -> UploadResult:
    """`files`: (the name the browser sent, a temporary file holding the bytes). Each is
    checked, then moved into input/<month folder>/ under a clean, unused name."""
    from kaohe_excel.fsutil import WorkspaceBusy, workspace_lock
    from kaohe_excel.read.month_files import quiet_name

    out = UploadResult()
    folder = month_folder(workspace, month)
    if folder is None:
        out.fatal = f"没有 {month} 的月份文件夹，请先在首页新建月份"
        return out
    if len(files) > MAX_FILES:
        out.fatal = f"一次最多上传 {MAX_FILES} 个文件，这次选了 {len(files)} 个；请分几次上传"
        return out
    try:
        with workspace_lock(workspace):
            for sent, tmp in files:
                shown = clean_name(sent)
                size = tmp.stat().st_size
                if size > MAX_FILE_BYTES:
                    out.refused.append(f"「{shown}」有 {size / 1048576:.1f} MB，超过单个文件 {MAX_FILE_BYTES // 1048576} MB "
                                       "的上限，不像是月报；请检查是否选错了文件")
                    continue
                if size == 0:
                    out.refused.append(f"「{shown}」是空文件（0 字节），请重新保存后上传")
                    continue
                if quiet_name(shown):  # ~$月报.xlsx: what Excel or WPS leaves while a file is open; no run reads it
                    out.refused.append(f"「{shown}」是 Excel/WPS 打开文件时留下的临时文件或隐藏文件，不会被读取；"
                                       "请上传原来的文件（文件名前没有 ~$ 的那个）")
                    continue
                why = _refusal(tmp, shown)
                if why:
                    out.refused.append(why)
                    continue
                name = unique_name(folder, shown)
                staged = folder / f".上传中-{os.getpid()}-{secrets.token_hex(6)}.tmp"
                try:
                    with open(tmp, "rb") as src, open(staged, "xb") as dst:
                        while chunk := src.read(1 << 20):
                            dst.write(chunk)
                    os.replace(staged, folder / name)
                except OSError as exc:  # one file the system will not keep: said, and the others go on
                    out.refused.append(f"「{shown}」没有保存（{exc.strerror or type(exc).__name__}）；"
                                       "请把文件名改短、检查磁盘空间后重新上传")
                    continue
                finally:
                    with contextlib.suppress(OSError):
                        staged.unlink()
                note = []
                if name != shown:
                    note.append(f"同名文件「{shown}」已存在，两份都保留，新上传的存为「{name}」")
                elif shown != sent.split("/")[-1].split("\\")[-1]:
                    note.append(f"文件名「{sent}」含有不能用于文件名的字符，已存为「{name}」")
                elif shown != sent:
                    note.append(f"已存为「{name}」（只保留文件名，不含文件夹）")
                out.saved.append(Saved(name, sent, "；".join(note)))
    except WorkspaceBusy as exc:
        out.fatal = str(exc)
    return out


def month_folder(workspace: Path, month: str) -> Path | None:
    """The folder of `month` ('YYYY-MM') under input/ as the readers find it (2023-08,
    2023年8月 …), the first when there are several."""
    from kaohe_excel.read.month_files import month_folders

    inp = Path(workspace) / "input"
    if not inp.is_dir():
        return None
    found = month_folders(inp, int(month[:4]) if re.fullmatch(r"\d{4}-\d{2}", month or "") else None)
    return found[month][0] if month in found else None


def new_month(workspace: Path, month_text: str) -> tuple[str | None, str]:
    """Create input/YYYY-MM/ ('2023-09', '2023年9月', '9月'); (month, Chinese message)."""
    from kaohe_excel.read.month_files import normalize_month

    inp = Path(workspace) / "input"
    if not inp.is_dir():
        return None, f"工作区「{Path(workspace).resolve()}」中没有 input 文件夹"
    years = sorted(p.name[:4] for p in inp.iterdir() if re.match(r"20\d\d", p.name))
    month = normalize_month(month_text, int(years[-1]) if years else None)
    if month is None:
        return None, f"月份「{month_text}」无法识别，应写成 2023-09 或 2023年9月"
    if month_folder(workspace, month) is not None:
        return month, f"{month} 的月份文件夹已经有了"
    (inp / month).mkdir()
    return month, f"已新建 input/{month}/，请把各单位 {int(month[5:])} 月的月报放进来"


__all__ = ["clean_name", "unique_name", "save_uploads", "month_folder", "new_month", "UploadResult", "Saved",
           "MAX_FILE_BYTES", "MAX_FILES"]
