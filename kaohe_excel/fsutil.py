"""File-system helpers that keep a clerk's files safe.

* `atomic_output(path)` / `atomic_write_bytes(path, data)`: an output is written
  to a temporary file in the same folder and renamed over the final name only
  when complete, so a run killed mid-write never leaves a half report under a
  report's name (os.replace is atomic on one volume, Windows included).
* `workspace_lock(workspace)`: one run at a time per workspace. The lock is a
  file created with O_EXCL (atomic on local disks and SMB shares alike) holding
  the owner's pid, host and start time; a second run gets a Chinese message
  naming them. A lock left by a process that has died (same host, pid gone) is
  taken over; takeover itself is serialised so two runs cannot both take it.
* `file_digest(path)` / `tree_digest(folder)`: SHA-256 of a file and of a whole
  folder (names, sizes, contents), for the "inputs are never modified" check.

Standard library only; works on Windows (no fcntl).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import socket
import stat
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Iterable, Iterator

LOCK_NAME = ".kaohe.lock"


class WorkspaceBusy(Exception):
    """Another kaohe holds the workspace; str() is the Chinese message."""


class OutputBusy(Exception):
    """A report to be replaced is open in Excel/WPS (Windows locks it); str() is the Chinese message."""


def busy_outputs(paths: Iterable[Path]) -> list[Path]:
    """The existing files among `paths` that cannot be replaced now. Excel and WPS on
    Windows hold an open workbook with a share lock: opening it for writing fails
    there, so asking first lets a run stop before it has moved anything."""
    busy = []
    for path in paths:
        if not path.exists():
            continue
        try:
            with open(path, "ab"):
                pass
        except PermissionError:
            busy.append(path)
        except OSError:
            continue
    return busy


def busy_message(paths: list[Path], outcome: str = "本次没有替换任何报表") -> str:
    """`outcome`: what the stop left behind, for the clerk."""
    names = "、".join(f"「{p.name}」" for p in paths)
    return f"报表{names}正在被 Excel 或 WPS 打开（或为只读），无法更新；请关闭后重新运行。{outcome}"


# ------------------------------------------------------------------ atomic
_ILLEGAL = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def safe_file_part(text: str, limit: int | None = None) -> str:
    """Text made into part of a file name: no separators, no characters Windows refuses, no
    leading or trailing dots — a name built from input text never steers a write elsewhere.
    With `limit`, a longer text is cut to that many characters, a short hash of the whole
    keeping two long names apart (Windows paths stop at 260 characters, names at 255 bytes)."""
    out = _ILLEGAL.sub("_", text).strip().strip(".") or "_"
    if limit is not None and len(out) > limit:
        out = out[:max(limit - 9, 1)].rstrip(".") + "…（" + hashlib.sha1(out.encode("utf-8")).hexdigest()[:6] + "）"
    return out


def temp_beside(path: Path) -> Path:
    """A new empty file '.name.XXXX.tmp' beside `path`: hidden, never matched by a
    '*.xlsx' glob for a report, and cleared by remove_stale_temps if left behind."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    return Path(tmp)


@contextlib.contextmanager
def atomic_output(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside `path`; on success it replaces `path`,
    on any exception it is removed and `path` is left as it was."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp_path = temp_beside(path)
    try:
        yield tmp_path
        _fsync(tmp_path)
        _replace(tmp_path, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp_path.unlink()
        raise


_STALE_TMP = re.compile(r"^\..+\.xlsx\..+\.tmp$", re.IGNORECASE)


def remove_stale_temps(folder: Path) -> list[Path]:
    """Hidden '.report.xlsx.XXXX.tmp' files a killed run left behind. Call only while
    holding the workspace lock: then no live run is writing them."""
    gone = []
    if not folder.is_dir():
        return gone
    for p in folder.rglob(".*.tmp"):
        if p.is_file() and not p.is_symlink() and _STALE_TMP.match(p.name):
            with contextlib.suppress(OSError):
                p.unlink()
                gone.append(p)
    return gone


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> Path:
    with atomic_output(path) as tmp:
        with open(tmp, "wb") as fh:
            fh.write(data)
    return Path(path)


def _fsync(path: Path) -> None:
    with contextlib.suppress(OSError):
        with open(path, "rb+") as fh:
            os.fsync(fh.fileno())


def _replace(src: Path, dst: Path) -> None:
    # On Windows a destination open in Excel cannot be replaced; retry briefly,
    # then let the PermissionError say so.
    for attempt in range(5):
        try:
            os.replace(src, dst)
            return
        except PermissionError:
            if os.name != "nt" or attempt == 4:
                raise
            time.sleep(0.2)


# -------------------------------------------------------------------- lock
def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if os.name == "nt":  # os.kill(pid, 0) would terminate the process on Windows
        import ctypes

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return kernel32.GetLastError() == 5  # access denied: it exists
        try:
            code = ctypes.c_ulong()
            if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
                return True
            return code.value == 259  # STILL_ACTIVE
        finally:
            kernel32.CloseHandle(handle)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


def _read_owner(lock: Path) -> dict | None:
    """The lock's owner; None when the lock holds anything else (half-written, garbage,
    `[]`, `null`). Never opens what is not a regular file (a FIFO would block)."""
    try:
        if not stat.S_ISREG(os.stat(lock).st_mode):
            return None
        with open(lock, "rb") as fh:
            owner = json.loads(fh.read(64 * 1024).decode("utf-8"))
    except (OSError, ValueError):
        return None
    return owner if isinstance(owner, dict) else None


def _describe(lock: Path) -> str:
    """What a lock that names no owner holds, for the message when it is cleared."""
    try:
        with open(lock, "rb") as fh:
            head = fh.read(60)
    except OSError:
        return "无法读取的内容"
    if not head:
        return "空文件"
    text = head.decode("utf-8", errors="replace").replace("\n", " ").strip()
    return f"无法识别的内容「{text[:40]}」"


def _busy_message(owner: dict | None, lock: Path) -> str:
    if owner:
        who = f"进程 {owner.get('pid', '?')}"
        if owner.get("host") and owner.get("host") != socket.gethostname():
            who += f"，计算机 {owner['host']}"
        return (f"另一个 kaohe 正在处理该工作区（{who}，开始于 {owner.get('started', '未知时间')}），"
                f"请稍后再试；如确认没有其他 kaohe 在运行，可删除 {lock}")
    return f"另一个 kaohe 正在处理该工作区，请稍后再试；如确认没有其他 kaohe 在运行，可删除 {lock}"


def _is_stale(owner: dict | None, lock: Path, grace: float) -> bool:
    if owner is None:
        # unreadable: being written right now, or garbage left by a crash
        try:
            return time.time() - lock.stat().st_mtime > grace
        except OSError:
            return False
    if owner.get("host") != socket.gethostname():
        return False  # another computer on a shared folder: cannot check its pid
    try:
        return not _pid_alive(int(owner.get("pid", 0)))
    except (TypeError, ValueError):
        return True


@contextlib.contextmanager
def workspace_lock(workspace: str | os.PathLike, *, grace: float = 10.0,
                   notices: list[str] | None = None) -> Iterator[Path]:
    """Hold `workspace/output/.kaohe.lock` for the duration of a run.

    Raises WorkspaceBusy (Chinese message) if a live run holds it. A lock left damaged by
    a crash is cleared and `notices` gets a sentence saying what was found."""
    out = Path(workspace) / "output"
    out.mkdir(parents=True, exist_ok=True)
    lock = out / LOCK_NAME
    try:
        if lock.is_symlink() or (lock.exists() and not stat.S_ISREG(os.stat(lock).st_mode)):
            raise WorkspaceBusy(f"{lock} 不是 kaohe 写的锁文件（是文件夹、链接或特殊文件），为安全起见本次不运行；"
                                "请确认没有其他 kaohe 在运行后删除它再试")
    except OSError:
        pass
    me = {"pid": os.getpid(), "host": socket.gethostname(),
          "started": datetime.now().strftime("%Y-%m-%d %H:%M:%S")}
    payload = json.dumps(me, ensure_ascii=False).encode("utf-8")
    for _ in range(3):
        try:
            fd = os.open(lock, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            owner = _read_owner(lock)
            found = _describe(lock) if owner is None else ""
            if not _is_stale(owner, lock, grace) or not _take_over(lock, owner):
                raise WorkspaceBusy(_busy_message(owner, lock)) from None
            if found and notices is not None:
                notices.append(f"上次运行留下的锁文件 {lock.name} 已损坏（{found}），已清除")
            continue
        try:
            os.write(fd, payload)
        finally:
            os.close(fd)
        break
    else:
        raise WorkspaceBusy(_busy_message(_read_owner(lock), lock))
    try:
        yield lock
    finally:
        if _read_owner(lock) == me:
            with contextlib.suppress(OSError):
                lock.unlink()


def _take_over(lock: Path, seen: dict | None) -> bool:
    """Remove a stale lock, unless someone else got there first."""
    guard = lock.with_name(lock.name + ".takeover")
    try:
        fd = os.open(guard, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        with contextlib.suppress(OSError):
            if time.time() - guard.stat().st_mtime > 30:  # its owner died mid-takeover
                guard.unlink()
        return False
    try:
        os.close(fd)
        if _read_owner(lock) != seen:
            return True  # it changed under us: look again (a live owner makes us busy)
        with contextlib.suppress(FileNotFoundError):
            lock.unlink()
        return True
    finally:
        with contextlib.suppress(OSError):
            guard.unlink()


# ------------------------------------------------------------------ digests
def file_digest(path: str | os.PathLike) -> str:
    """SHA-256 of a file's bytes (hashlib reads it in blocks)."""
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def tree_digest(folder: str | os.PathLike) -> dict[str, str]:
    """Relative path -> SHA-256 of every file under `folder` (sorted), so a test
    can compare before/after and name exactly what changed."""
    root = Path(folder)
    out: dict[str, str] = {}
    for p in sorted(root.rglob("*")):
        if p.is_file():
            out[p.relative_to(root).as_posix()] = file_digest(p)
    return out


__all__ = ["atomic_output", "atomic_write_bytes", "workspace_lock", "WorkspaceBusy", "OutputBusy", "busy_outputs",
           "file_digest", "tree_digest", "LOCK_NAME", "commit_staged", "discard_staged", "temp_beside", "safe_file_part"]


def commit_staged(staged: list[tuple[Path, Path]]) -> list[Path]:
    """Move staged files (reports, forms) into place; whatever was not moved (an error
    part-way) is removed. A file open in Excel/WPS stops the move before anything is
    replaced (OutputBusy)."""
    done: list[Path] = []
    try:
        busy = busy_outputs([target for _tmp, target in staged])
        if busy:
            raise OutputBusy(busy_message(busy))
        for tmp, target in staged:
            try:
                _replace(tmp, target)
            except PermissionError:
                raise OutputBusy(busy_message([target], f"已更新的报表：{'、'.join(d.name for d in done)}"
                                              if done else "本次没有替换任何报表")) from None
            done.append(target)
    finally:
        for tmp, _target in staged[len(done):]:
            tmp.unlink(missing_ok=True)
    return done


def discard_staged(staged: list[tuple[Path, Path]]) -> None:
    for tmp, _target in staged:
        tmp.unlink(missing_ok=True)
