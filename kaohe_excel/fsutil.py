"""File-system helpers that keep a clerk's files safe.

* `atomic_output(path)` / `atomic_write_bytes(path, data)`: an output is written
  to a temporary file in the same folder and renamed over the final name only
  when complete, so a run killed mid-write never leaves a half report under a
  report's name (os.replace is atomic on one volume, Windows included).
* `workspace_lock(workspace)`: one run at a time per workspace. The lock is the
  operating system's (flock / LockFile on `output/.kaohe.lock`), so a run that died
  holds nothing; who holds it is noted beside it, and a second run gets a Chinese
  message naming them.
* `file_digest(path)` / `tree_digest(folder)`: SHA-256 of a file and of a whole
  folder (names, sizes, contents), for the "inputs are never modified" check.

Standard library only; works on Windows (msvcrt where POSIX has fcntl).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import re
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


def cannot_write_message(exc: OSError) -> str:
    """Why a file or folder under output/ could not be written, in the clerk's words (a folder made
    read-only, a full disk): said plainly, not as an unexpected error with a crash log."""
    where = Path(exc.filename) if exc.filename else None
    if where is not None and where.name.startswith("."):  # a staged file: the folder is what to look at
        where = where.parent
    why = {errno.EACCES: "没有写入权限（文件夹或文件为只读，或被系统锁定）", errno.EPERM: "没有写入权限（文件夹或文件为只读，或被系统锁定）",
           errno.EROFS: "所在的磁盘是只读的", errno.ENOSPC: "磁盘空间已满",
           getattr(errno, "EDQUOT", -1): "超出了磁盘配额"}.get(exc.errno, exc.strerror or type(exc).__name__)
    return (f"无法写入{f'「{where}」' if where is not None else '输出文件夹'}：{why}。"
            "请检查该文件夹的权限或磁盘后重新运行（输入文件没有被修改）")


def busy_message(paths: list[Path], outcome: str = "本次没有替换任何报表") -> str:
    """`outcome`: what the stop left behind, for the clerk."""
    names = "、".join(f"「{p.name}」" for p in paths)
    word = {Path(p).suffix.lower() == ".docx" for p in paths}  # True: the bulletin, open in Word
    apps = "Word 或 WPS" if word == {True} else "Excel、Word 或 WPS" if True in word else "Excel 或 WPS"
    return f"报表{names}正在被 {apps} 打开（或为只读），无法更新；请关闭后重新运行。{outcome}"


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


def as_ordinary_file(path: Path) -> None:
    """The permissions any new file gets (0666 less the umask): mkstemp makes its files 0600,
    and a report renamed from one would be unreadable by the office's other accounts."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(path, 0o666 & ~umask)


def temp_beside(path: Path) -> Path:
    """A new empty file '.name.XXXX.tmp' beside `path`: hidden, never matched by a
    '*.xlsx' glob for a report, and cleared by remove_stale_temps if left behind."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    return Path(tmp)


@contextlib.contextmanager
def atomic_output(path: str | os.PathLike, *, durable: bool = True) -> Iterator[Path]:
    """Yield a temporary path beside `path`; on success it replaces `path`,
    on any exception it is removed and `path` is left as it was. `durable=False` skips the
    flush to disk: for a cache, where a file lost to a power cut is only a miss."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp_path = temp_beside(path)
    try:
        yield tmp_path
        if durable:
            _fsync(tmp_path)
        _replace(tmp_path, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp_path.unlink()
        raise


# what a killed run or sign leaves: reports, the records beside them, the lock's owner note
_STALE_TMP = re.compile(r"^\..+\.(xlsx|docx|pdf|json|owner)\..+\.tmp$", re.IGNORECASE)


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


def atomic_write_bytes(path: str | os.PathLike, data: bytes, *, durable: bool = True) -> Path:
    with atomic_output(path, durable=durable) as tmp:
        with open(tmp, "wb") as fh:
            fh.write(data)
    return Path(path)


def write_json(path: str | os.PathLike, data, *, durable: bool = True) -> Path:
    """A record of ours (签发记录, drafts, kept reports, arrivals) written atomically, as a clerk can read it."""
    return atomic_write_bytes(path, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"), durable=durable)


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


# ------------------------------------------------------------------ crash log
# ------------------------------------------------------------------ digests
def files_stamp(files: Iterable[Path]) -> str:
    """Size and modification time of each file, as __pycache__ checks a source: what code that
    keeps its work (kept reads, kept reports) was when it kept it."""
    from kaohe_excel import __version__

    parts = [__version__]
    for f in files:
        try:
            st = f.stat()
            parts.append(f"{f.parent.name}/{f.name}:{st.st_size}:{st.st_mtime_ns}")
        except OSError:
            parts.append(f"{f.name}:?")
    return "|".join(parts)


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
           "file_digest", "tree_digest", "LOCK_NAME", "commit_staged", "cannot_write_message", "write_json", "discard_staged", "temp_beside", "safe_file_part",
           "write_crash_log"]


def commit_staged(staged: list[tuple[Path | None, Path]], before_moves=None) -> list[Path]:
    """Move staged files (reports, forms) into place; whatever was not moved (an error
    part-way) is removed. A file open in Excel/WPS stops the move before anything is
    replaced (OutputBusy). A staged file None: the file there stays as it is (unchanged).
    `before_moves()`: called once nothing stops the moves, before the first."""
    done: list[Path] = []
    try:
        busy = busy_outputs([target for tmp, target in staged if tmp is not None])
        if busy:
            raise OutputBusy(busy_message(busy))
        if before_moves is not None:
            before_moves()
        for tmp, target in staged:
            if tmp is not None:
                try:
                    _replace(tmp, target)
                except PermissionError:
                    raise OutputBusy(busy_message([target], f"已更新的报表：{'、'.join(d.name for d in done)}"
                                                  if done else "本次没有替换任何报表")) from None
            done.append(target)
    finally:
        discard_staged(staged[len(done):])
    return done


def moved_into_place(staged: list[tuple[Path | None, Path]], done: list[Path]) -> list[Path]:
    """Of the files commit_staged gave back, those it moved (not the ones left as they were)."""
    moved = {target for tmp, target in staged if tmp is not None}
    return [p for p in done if p in moved]


def discard_staged(staged: list[tuple[Path | None, Path]]) -> None:
    for tmp, _target in staged:
        if tmp is not None:
            tmp.unlink(missing_ok=True)


class NotRegularFile(OSError):
    """A path that is no regular file of a sane size (a FIFO would block, /dev/zero fill memory)."""


def read_regular(path: Path | str, limit: int) -> bytes:
    """The file's bytes when it is a regular file of at most `limit` bytes; else NotRegularFile
    (an OSError, with a Chinese strerror), before anything is read."""
    st = os.stat(path)
    if not stat.S_ISREG(st.st_mode):
        raise NotRegularFile(errno.EINVAL, "这不是普通文件（可能是文件夹、设备或管道）")
    if st.st_size > limit:
        raise NotRegularFile(errno.EFBIG, f"文件过大（{st.st_size // 1024} KB，上限 {limit // 1024} KB）")
    with open(path, "rb") as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:  # (grew while read)
        raise NotRegularFile(errno.EFBIG, f"文件过大（上限 {limit // 1024} KB）")
    return data


def _read_owner(path: Path) -> dict | None:
    """Who holds the lock, as the holder wrote it; None for anything else. Never opens what
    is not a regular file (a FIFO would block)."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None
        with open(path, "rb") as fh:
            owner = json.loads(fh.read(64 * 1024).decode("utf-8"))
    except (OSError, ValueError):
        return None
    return owner if isinstance(owner, dict) else None


def _host() -> str:
    """This computer's name, as socket.gethostname gives it (which asks uname where there is
    one: the socket module, 2-3 ms to import, only where there is not)."""
    try:
        return os.uname().nodename
    except AttributeError:  # Windows
        import socket

        return socket.gethostname()


def _busy_message(owner: dict | None, lock: Path) -> str:
    if owner:
        who = f"进程 {owner.get('pid', '?')}"
        if owner.get("host") and owner.get("host") != _host():
            who += f"，计算机 {owner['host']}"
        return f"另一个 kaohe 正在处理该工作区（{who}，开始于 {owner.get('started', '未知时间')}），请稍后再试"
    return "另一个 kaohe 正在处理该工作区，请稍后再试"


@contextlib.contextmanager
def workspace_lock(workspace: str | os.PathLike) -> Iterator[Path]:
    """Hold `workspace/output/.kaohe.lock` for the duration of a run (or a sign).

    An operating-system lock (_os_lock), so a run that crashed or was killed holds nothing:
    no stale lock to guess about. Who holds it is written beside it (`.kaohe.lock.owner`)
    for the message a second run gets: WorkspaceBusy, in Chinese."""
    out = Path(workspace) / "output"
    out.mkdir(parents=True, exist_ok=True)
    lock = out / LOCK_NAME
    owner_file = out / (LOCK_NAME + ".owner")
    for path in (lock, owner_file):
        try:
            if path.is_symlink() or (path.exists() and not stat.S_ISREG(os.stat(path).st_mode)):
                raise WorkspaceBusy(f"{path} 不是 kaohe 写的锁文件（是文件夹、链接或特殊文件），为安全起见本次不运行；"
                                    "请确认没有其他 kaohe 在运行后删除它再试")
        except OSError:
            pass
    try:
        held = _os_lock(lock)
    except OSError as exc:
        raise WorkspaceBusy(f"无法在 {out} 中建立锁文件（{exc.strerror or type(exc).__name__}），"
                            "请检查该文件夹是否可写") from None
    if held is None:
        raise WorkspaceBusy(_busy_message(_read_owner(owner_file), lock))
    me = {"pid": os.getpid(), "host": _host(),
          "started": datetime.now().strftime("%Y-%m-%d %H:%M:%S")}
    try:
        with contextlib.suppress(OSError):
            atomic_write_bytes(owner_file, json.dumps(me, ensure_ascii=False).encode("utf-8"))
        yield lock
    finally:
        if _read_owner(owner_file) == me:
            with contextlib.suppress(OSError):
                owner_file.unlink()
        _os_unlock(held)


# what a lock held elsewhere answers: EWOULDBLOCK (flock), EACCES / EDEADLOCK (LockFile)
_HELD = {errno.EAGAIN, errno.EWOULDBLOCK, errno.EACCES, errno.EDEADLK, getattr(errno, "EDEADLOCK", errno.EDEADLK)}


def _os_lock(path: Path) -> int | None:
    """An exclusive lock on `path` (created if missing): the open descriptor, or None when
    another process, or another run in this one, holds it. flock and LockFile belong to the
    open file, not the process: the system drops them when it closes, a killed run included.
    (The standard library's own calls: filelock, which does the same, cost a run 20 ms of
    imports.)"""
    fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0), 0o644)
    try:
        if os.name == "nt":
            import msvcrt

            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # its first byte (it may be past the end)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        os.close(fd)
        if exc.errno in _HELD:
            return None
        raise
    return fd


def _os_unlock(fd: int) -> None:
    try:
        if os.name == "nt":
            import msvcrt

            os.lseek(fd, 0, os.SEEK_SET)
            with contextlib.suppress(OSError):
                msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    finally:
        os.close(fd)  # (flock: closing is the release)


def write_crash_log(exc: BaseException, heading: str | None = None) -> str:
    """An unexpected error's details in a temporary file the clerk can send us (never shown
    as a traceback); its path, or a Chinese note when even that cannot be written. The
    command line, each rebuild of `kaohe watch` and the page all write it; `heading` says
    what was running (the command line by default)."""
    import sys
    import traceback

    heading = heading if heading is not None else " ".join(sys.argv)

    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    try:
        fd, path = tempfile.mkstemp(prefix="kaohe-错误-", suffix=".log")
        with open(fd, "w", encoding="utf-8") as fh:
            fh.write(heading + "\n" + text)
        return path
    except OSError:
        return "（无法写入日志）"
