"""`kaohe watch`: rebuild a month's reports as its files land in input/.

The observer (watchdog) only feeds a queue; everything that decides is a plain function
or the small `Debouncer`, testable with no observer and no clock:

    keys_of_event   an event -> the months it touches (lock files, temp files, hidden files,
                    folders that are no month's, and reads — our own included — touch none)
    Debouncer       a burst of events -> one rebuild per month, once the files have been
                    quiet for `delay` seconds and have stopped growing (a copy in progress)
    rebuild_line    one line per rebuild: time, month, reports written, red/yellow/green,
                    or what went wrong
    later_built     the later months already written, rebuilt after an earlier month changes

A rebuild is `kaohe run` itself (flows.run.run_workspace, under the same workspace lock):
a busy workspace is tried again later, a broken file is a problem in the line, and an
unexpected error is logged like the command line's and survived. Only input/ is watched,
so what a rebuild writes (output/, the arrivals record, the read cache) never retriggers it.
"""

from __future__ import annotations

import datetime as _dt
import os
import queue
import stat
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Callable

LATEST = ""  # the key of a change at the top of input/ (the indicator system): the latest month, as `kaohe run`
BUSY = ("busy",)  # a file that exists but cannot be opened yet (Windows: still being copied)
# what a change of these means to watchdog; reads (opened, closed_no_write) change nothing
_CHANGES = {"created", "modified", "deleted", "moved", "closed"}
_TEMP_SUFFIXES = (".tmp", ".temp", ".crdownload", ".part", ".partial", ".download", ".swp", "~")


def ignored(name: str) -> bool:
    """Files that are never a department's sheet: what no run reads (month_files.quiet_name: lock
    files, hidden files), temporary files of editors, browsers and copies, macOS's __MACOSX."""
    from kaohe_excel.read.month_files import quiet_name

    low = name.lower()
    return quiet_name(name) or low.endswith(_TEMP_SUFFIXES) or low == "__macosx"


def _is_month(name: str) -> bool:
    """'YYYY-MM', as `kaohe run --month` and output/'s folders name a month."""
    return len(name) == 7 and name[4] == "-" and name[:4].isdigit() and name[5:].isdigit()


def month_key(input_dir: Path, path: str | os.PathLike, is_dir: bool = False) -> str | None:
    """The month a path under input/ belongs to, as `kaohe run --month` takes it: 'YYYY-MM'
    when its folder names the year, the folder's own name when the year comes from the
    indicator system (8月), LATEST for a file at the top, None for anything no run reads."""
    from kaohe_excel.read.month_files import month_of_folder

    try:
        rel = PurePath(os.path.relpath(path, input_dir)).parts
    except ValueError:  # another drive (Windows)
        return None
    if not rel or rel[0] in (".", "..") or any(ignored(part) for part in rel):
        return None
    if len(rel) == 1 and not is_dir:
        return LATEST  # the indicator system, peer data kept at the top
    folder = rel[0]
    month = month_of_folder(folder, 1)
    if month is None:
        return None  # a folder that is no month's (备份/): runs do not read it
    return month if month == month_of_folder(folder, 2) else folder


def keys_of_event(input_dir: Path, kind: str, src: str, dest: str | None = None,
                  is_dir: bool = False) -> list[tuple[str, Path | None]]:
    """(month key, file to wait for) for each month an observer event touches: a move
    touches where it came from and where it went. A folder, or a file gone, is not waited
    for (a folder's files bring their own events)."""
    if kind not in _CHANGES:
        return []
    out = []
    for p, gone in ((src, kind in ("deleted", "moved")), (dest, False)):
        if not p:
            continue
        key = month_key(input_dir, p, is_dir)
        if key is not None:
            out.append((key, None if is_dir or gone else Path(p)))
    return out


def file_state(path: Path):
    """What must stay the same while a file settles: (size, mtime); None when gone; BUSY when
    it cannot be opened (Windows locks a file being copied). Never opens what is not a
    regular file (a FIFO would block)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode):
        return (st.st_size, st.st_mtime_ns)
    try:
        with open(path, "rb"):
            pass
    except OSError:
        return BUSY
    return (st.st_size, st.st_mtime_ns)


@dataclass
class _Pending:
    first: float
    last: float
    files: dict[Path, object] = field(default_factory=dict)  # file -> its state when last looked at


class Debouncer:
    """A month is due once no event has touched it for `delay` seconds and every file that
    arrived is unchanged since its last event and can be opened; a file that never settles
    (a copy that hangs) is given up on after `give_up` seconds, and the run says what it read.
    Times are passed in: no clock inside."""

    def __init__(self, delay: float, probe: Callable[[Path], object] = file_state, give_up: float | None = None):
        self.delay = delay
        self.give_up = give_up if give_up is not None else max(60.0, 10 * delay)
        self.probe = probe
        self.pending: dict[str, _Pending] = {}

    def note(self, key: str, path: Path | None, now: float) -> None:
        p = self.pending.setdefault(key, _Pending(first=now, last=now))
        p.last = now
        if path is not None:
            p.files[path] = self.probe(path)

    def due(self, now: float) -> list[tuple[str, list[Path]]]:
        """The months to rebuild now, each with the files that arrived, oldest burst first;
        they are no longer pending."""
        out = []
        for key, p in sorted(self.pending.items(), key=lambda kv: kv[1].last):
            if now - p.last < self.delay:
                continue
            if now - p.first < self.give_up:
                moving = False
                for path, before in p.files.items():
                    state = self.probe(path)
                    if state != before or state == BUSY:
                        p.files[path] = state
                        moving = True
                if moving:  # still being written: wait another quiet spell
                    p.last = now
                    continue
            out.append((key, sorted(p.files)))
            del self.pending[key]
        return out

    def wait(self, now: float) -> float | None:
        """Seconds until the next month may be due (None: nothing pending)."""
        if not self.pending:
            return None
        return max(0.0, min(p.last + self.delay for p in self.pending.values()) - now)


def _label(key: str, summary=None) -> str:
    month = getattr(summary, "month", None) or key
    if _is_month(month):
        return f"{month[:4]}年{int(month[5:])}月"
    return month or "最新月份"


def rebuild_line(key: str, files: list[Path], summary, now: _dt.datetime) -> str:
    """One line for one rebuild: when, which month, what was written and the colours, or why not."""
    stamp = now.strftime("%Y-%m-%d %H:%M:%S")
    head = f"[{stamp}] {_label(key, summary)}"
    names = [f.name for f in files]
    why = ""
    if names:
        shown = "、".join(names[:3]) + (f" 等 {len(names)} 个文件" if len(names) > 3 else "")
        why = f"（新到或改动：{shown}）"
    if summary.busy:
        return f"{head}：工作区正被另一个 kaohe 使用，稍后重试{why}"
    if summary.fatal:
        return f"{head}：未生成报表——{summary.fatal}{why}"
    league = getattr(summary, "league", None)
    if league is not None:  # the view from above: the league's head, not one county's colours
        first = [r.unit for r in league.rows if r.rank == 1]
        line = (f"{head}：已写入 {len(summary.written)} 份报表；参评单位 {len(league.rows)} 个"
                + (f"，第 1 名 {'、'.join(first)}" if first else ""))
    else:
        c = summary.colours
        line = (f"{head}：已写入 {len(summary.written)} 份报表；红 {c.get('red', 0)} 项，黄 {c.get('yellow', 0)} 项，"
                f"绿 {c.get('green', 0)} 项")
    if summary.problems:
        errors = summary.errors
        line += f"；输入有错误 {errors} 个、提示 {len(summary.problems) - errors} 个（详见校验报告）"
        own = next((p for p in summary.problems if p.level == "error" and PurePath(p.file or "").name in names), None)
        if own is not None:
            line += f"；其中「{PurePath(own.file).name}」：{own.message[:120]}"
    return line + why


def later_built(workspace: Path, month: str | None) -> list[str]:
    """The months after `month` whose reports are in output/: each reads the month before (its
    位次变化, trends, the bulletin's 较上月), so a change to `month` rebuilds them too, oldest
    first, as a fresh `kaohe run --month` of each would write them."""
    if not month or not _is_month(month):
        return []
    try:
        names = [p.name for p in (Path(workspace) / "output").iterdir() if p.is_dir()]
    except OSError:
        return []
    return sorted(n for n in names if _is_month(n) and n > month)


def crash_line(key: str, exc: BaseException, log: str, now: _dt.datetime) -> str:
    return (f"[{now.strftime('%Y-%m-%d %H:%M:%S')}] {_label(key)}：生成时遇到意外错误（{type(exc).__name__}："
            f"{str(exc)[:200]}），输入文件没有被修改，详细信息已写入 {log}，请发给维护人员；继续监视")


class WatchError(Exception):
    """The observer cannot watch input/; str() is the Chinese message."""


def _run(workspace: Path, key: str):
    from kaohe_excel.flows.run import run_workspace

    return run_workspace(workspace, key or None)


def all_units_rebuild(unit_reports: str | None = None) -> Callable:
    """`kaohe run --all-units` as a rebuild: the office above watching its units' files."""
    def rebuild(workspace: Path, key: str):
        from kaohe_excel.flows.evaluate import evaluate_workspace

        return evaluate_workspace(workspace, key or None, unit_reports=unit_reports)
    return rebuild


def watch_workspace(workspace: Path, *, delay: float = 2.0, say: Callable[[str], None] = print,
                    stop: threading.Event | None = None, rebuild: Callable | None = None,
                    ready: Callable[[], None] | None = None) -> None:
    """Watch `workspace/input/` until Ctrl-C (KeyboardInterrupt) or `stop` is set; the observer
    is stopped and joined before returning. `rebuild(workspace, key)` is `kaohe run` unless a
    test gives its own; `ready()` is called once the observer is watching."""
    from watchdog.events import FileSystemEventHandler
    from watchdog.observers import Observer

    from kaohe_excel.fsutil import write_crash_log

    workspace = Path(workspace)
    inp = (workspace / "input").resolve()
    rebuild = rebuild or _run
    events: queue.Queue = queue.Queue()

    class Feed(FileSystemEventHandler):
        def on_any_event(self, event):  # the observer's thread: only hand the event over
            events.put((event.event_type, os.fsdecode(event.src_path),
                        os.fsdecode(event.dest_path) if getattr(event, "dest_path", "") else None, event.is_directory))

    observer = Observer()
    try:
        observer.schedule(Feed(), str(inp), recursive=True)
        observer.start()
    except OSError as exc:  # Linux: too many folders for inotify's limit; a folder without permission
        raise WatchError(f"无法监视「{inp}」（{exc.strerror or exc}）：请检查该文件夹是否可以读取；"
                         "Linux 上子文件夹很多时可能超过系统的监视上限（fs.inotify.max_user_watches）") from None
    debouncer = Debouncer(delay)
    try:
        if ready is not None:
            ready()
        while stop is None or not stop.is_set():
            wait = debouncer.wait(time.monotonic())
            try:  # short waits: Ctrl-C is seen between them, on Windows too
                event = events.get(timeout=min(0.25, wait) if wait is not None else 0.25)
            except queue.Empty:
                event = None
            while event is not None:
                for key, path in keys_of_event(inp, *event):
                    debouncer.note(key, path, time.monotonic())
                try:
                    event = events.get_nowait()
                except queue.Empty:
                    event = None
            for key, files in debouncer.due(time.monotonic()):
                try:
                    summary = rebuild(workspace, key)
                except Exception as exc:  # noqa: BLE001 - one rebuild's crash never ends the watch
                    say(crash_line(key, exc, write_crash_log(exc), _dt.datetime.now()))
                    continue
                say(rebuild_line(key, files, summary, _dt.datetime.now()))
                if summary.busy:  # another kaohe is running: this month again after a quiet spell
                    for f in files or [None]:
                        debouncer.note(key, f, time.monotonic())
                    continue
                if summary.fatal:
                    continue
                for later in later_built(workspace, summary.month):
                    try:
                        after = rebuild(workspace, later)
                    except Exception as exc:  # noqa: BLE001
                        say(crash_line(later, exc, write_crash_log(exc), _dt.datetime.now()))
                        continue
                    say(rebuild_line(later, [], after, _dt.datetime.now())
                        + f"（{_label(key, summary)}的数据有改动，随之重新生成）")
    except KeyboardInterrupt:
        pass
    finally:
        observer.stop()
        observer.join()
