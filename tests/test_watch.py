"""Issue 16.3: `kaohe watch` rebuilds the month a file lands in — once for a burst, not for
lock or temp files, not while a file is still being copied — prints one line per rebuild,
survives a broken file, a crash and a busy workspace, and stops cleanly on Ctrl-C.

The deciding parts are plain functions and a Debouncer fed with times by hand; the
observer is exercised for real (in a thread, and as a clerk runs it, in a process). No
test times anything: the real ones wait, with a generous timeout, for the line they expect."""

from __future__ import annotations

import datetime as dt
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from kaohe_excel.flows.run import RunSummary
from kaohe_excel.flows.watch import (BUSY, LATEST, Debouncer, crash_line, ignored, keys_of_event, rebuild_line,
                                     watch_workspace)
from kaohe_excel.problems import ERROR, Problem
from kaohe_excel.write.reports import REPORTS  # every report a county run writes (xlsx and the bulletin)
from tests.kaohe_cli import ROOT

INP = Path("/ws/input")
WAIT = 180  # seconds to wait for a line we expect (a loaded machine is slow; nothing is timed)


# ------------------------------------------------------------------ plain functions
@pytest.mark.parametrize("name", ["~$叶县发改委8月月报.xlsx", ".~lock.叶县发改委8月月报.xlsx#", "月报.xlsx.tmp",
                                  "月报.xlsx.crdownload", ".DS_Store", ".月报.xlsx.a1b2.tmp", "Thumbs.db", "月报.xlsx~",
                                  "月报.xlsx.part"])
def test_lock_temp_and_hidden_files_are_ignored(name):
    assert ignored(name)
    assert keys_of_event(INP, "created", str(INP / "2023-08" / name)) == []


@pytest.mark.parametrize("name", ["叶县发改委2023年8月指标进展情况.xlsx", "人社局.xls", "六县市数据.XLSX", "tmp报表.xlsx"])
def test_a_department_file_is_not_ignored(name):
    assert not ignored(name)


@pytest.mark.parametrize("rel, key", [
    ("2023-08/发改委.xlsx", "2023-08"),
    ("2023年8月/发改委.xlsx", "2023-08"),
    ("202308/各单位/发改委.xlsx", "2023-08"),  # subfolders of a month are read with it
    ("8月/发改委.xlsx", "8月"),  # the year comes from the indicator system: kaohe run decides
    ("附件2：叶县2023年度…一览表.xlsx", LATEST),
])
def test_the_month_a_file_lands_in(rel, key):
    assert keys_of_event(INP, "created", str(INP / rel)) == [(key, INP / rel)]
    assert keys_of_event(INP, "modified", str(INP / rel)) == [(key, INP / rel)]
    assert keys_of_event(INP, "deleted", str(INP / rel)) == [(key, None)]  # gone: nothing to wait for


@pytest.mark.parametrize("kind, rel", [
    ("opened", "2023-08/发改委.xlsx"),  # a read (a rebuild reading its inputs) changes nothing
    ("closed_no_write", "2023-08/发改委.xlsx"),
    ("created", "备份/发改委.xlsx"),  # a folder no run reads
    ("created", ".git/2023-08/x"),
    ("modified", "2023-08/.hidden/发改委.xlsx"),
])
def test_events_no_run_would_see_touch_no_month(kind, rel):
    assert keys_of_event(INP, kind, str(INP / rel)) == []


def test_a_move_touches_both_months_and_a_folder_is_not_waited_for():
    src, dest = INP / "2023-07" / "发改委.xlsx", INP / "2023-08" / "发改委.xlsx"
    assert keys_of_event(INP, "moved", str(src), str(dest)) == [("2023-07", None), ("2023-08", dest)]
    assert keys_of_event(INP, "created", str(INP / "2023-09"), None, True) == [("2023-09", None)]
    assert keys_of_event(INP, "moved", str(INP / "新建文件夹"), str(INP / "2023年9月"), True) == [("2023-09", None)]


class Files:
    """A probe answering from a dict: the state each test file is in now."""

    def __init__(self):
        self.state: dict[Path, object] = {}

    def __call__(self, path):
        return self.state.get(path)


def test_a_burst_of_five_files_is_one_rebuild_after_the_quiet_spell():
    files = Files()
    d = Debouncer(2.0, probe=files)
    burst = [INP / "2023-08" / f"单位{i}.xlsx" for i in range(5)]
    for i, f in enumerate(burst):
        files.state[f] = (1000 + i, 1)
        d.note("2023-08", f, now=10 + i * 0.1)
    assert d.due(11.9) == [] and d.wait(11.9) == pytest.approx(0.5)
    assert d.due(12.4) == [("2023-08", sorted(burst))]
    assert d.due(30) == [] and d.wait(30) is None


def test_two_months_are_rebuilt_each_once_oldest_first():
    files = Files()
    d = Debouncer(1.0, probe=files)
    d.note("2023-08", INP / "2023-08" / "a.xlsx", 5)
    d.note("2023-07", INP / "2023-07" / "b.xlsx", 3)
    d.note("2023-08", INP / "2023-08" / "c.xlsx", 5.5)
    assert [k for k, _ in d.due(7)] == ["2023-07", "2023-08"]


def test_a_file_still_being_copied_waits_until_it_stops_growing_and_can_be_opened():
    files = Files()
    d = Debouncer(2.0, probe=files)
    f = INP / "2023-08" / "大文件.xlsx"
    files.state[f] = (100, 1)
    d.note("2023-08", f, 0)
    files.state[f] = (5000, 2)  # grew after its last event (no event arrives for every block written)
    assert d.due(2.5) == []
    files.state[f] = BUSY  # Windows: the copy holds it
    assert d.due(5) == []
    files.state[f] = (9000, 3)
    assert d.due(7.1) == []  # it changed again
    assert d.due(9.2) == [("2023-08", [f])]  # unchanged for a quiet spell


def test_a_file_that_never_settles_is_given_up_on_and_the_run_says_what_it_read():
    files = Files()
    d = Debouncer(1.0, probe=files, give_up=30)
    f = INP / "2023-08" / "打不开.xlsx"
    files.state[f] = BUSY
    d.note("2023-08", f, 0)
    assert d.due(15) == []
    assert d.due(31) == [("2023-08", [f])]


def _summary(**kw) -> RunSummary:
    s = RunSummary("2023-08", "叶县", colours={"red": 3, "yellow": 5, "green": 9}, **kw)
    return s


def test_one_line_per_rebuild_says_time_month_reports_colours_and_the_new_file_at_fault():
    now = dt.datetime(2023, 9, 5, 14, 3, 22)
    ok = _summary(written=[Path(f"r{i}.xlsx") for i in range(6)])
    line = rebuild_line("2023-08", [INP / "2023-08" / "发改委.xlsx"], ok, now)
    assert line == "[2023-09-05 14:03:22] 2023年8月：已写入 6 份报表；红 3 项，黄 5 项，绿 9 项（新到或改动：发改委.xlsx）"
    bad = _summary(written=[Path("r.xlsx")], problems=[
        Problem("2023-08/坏.xlsx", None, None, ERROR, "该文件是纯文本，不是 Excel 工作簿")])
    line = rebuild_line("2023-08", [INP / "2023-08" / "坏.xlsx"], bad, now)
    assert "输入有错误 1 个、提示 0 个" in line and "「坏.xlsx」：该文件是纯文本" in line and "\n" not in line
    fatal = RunSummary(None, "", fatal="input/ 中没有指标体系")
    assert rebuild_line(LATEST, [], fatal, now) == "[2023-09-05 14:03:22] 最新月份：未生成报表——input/ 中没有指标体系"
    busy = RunSummary("2023-08", "", fatal="另一个 kaohe 正在处理该工作区", busy=True)
    assert "稍后重试" in rebuild_line("2023-08", [], busy, now)
    many = [INP / "2023-08" / f"{i}.xlsx" for i in range(5)]
    assert "等 5 个文件" in rebuild_line("2023-08", many, ok, now)
    assert "ValueError：坏了" in crash_line("2023-08", ValueError("坏了"), "/tmp/x.log", now)


# ------------------------------------------------------------------ the real observer
@pytest.fixture()
def ws(tmp_path) -> Path:
    shutil.copytree(ROOT / "input", tmp_path / "input")
    return tmp_path


class Watching:
    """watch_workspace in a thread, its lines in a queue; stopped (and joined) at the end."""

    def __init__(self, ws: Path, rebuild=None, delay: float = 1.0):
        self.lines: queue.Queue = queue.Queue()
        self.stop = threading.Event()
        started = threading.Event()
        self.thread = threading.Thread(target=watch_workspace, args=(ws,), daemon=True, kwargs=dict(
            delay=delay, say=self.lines.put, stop=self.stop, rebuild=rebuild, ready=started.set))
        self.thread.start()
        assert started.wait(WAIT)

    def line(self) -> str:
        try:
            return self.lines.get(timeout=WAIT)
        except queue.Empty:
            pytest.fail("kaohe watch printed no line")

    def close(self) -> None:
        self.stop.set()
        self.thread.join(WAIT)
        assert not self.thread.is_alive()


def test_a_crash_in_a_rebuild_is_logged_and_the_watch_goes_on(ws):
    calls = []

    def rebuild(workspace, key):
        calls.append(key)
        if len(calls) == 1:
            raise RuntimeError("模拟的意外错误")
        return RunSummary(key, "叶县", written=[Path("r.xlsx")])

    w = Watching(ws, rebuild)
    try:
        (ws / "input" / "2023-08" / "新到1.xlsx").write_bytes(b"x")
        first = w.line()
        assert "2023年8月：生成时遇到意外错误（RuntimeError：模拟的意外错误）" in first and "继续监视" in first
        log = Path(first.split("详细信息已写入 ")[1].split("，")[0])
        assert "模拟的意外错误" in log.read_text(encoding="utf-8") and "Traceback" in log.read_text(encoding="utf-8")
        log.unlink()
        (ws / "input" / "2023-07" / "新到2.xlsx").write_bytes(b"x")
        assert "2023年7月：已写入 1 份报表" in w.line()
        assert calls == ["2023-08", "2023-07"]
    finally:
        w.close()


def test_a_busy_workspace_is_tried_again_not_given_up(ws):
    from kaohe_excel.fsutil import workspace_lock

    w = Watching(ws)
    try:
        with workspace_lock(ws):  # as if a kaohe run were writing
            shutil.copy2(ws / "input" / "2023-08" / "叶县发改委2023年8月指标进展情况.xlsx", ws / "input" / "2023-08" / "补报.xlsx")
            assert "工作区正被另一个 kaohe 使用，稍后重试" in w.line()
        line = w.line()
        while "稍后重试" in line:  # it may have tried once more before the lock went
            line = w.line()
        assert f"2023年8月：已写入 {len(REPORTS)} 份报表" in line, line
    finally:
        w.close()


def _reader(stream, into: queue.Queue) -> None:
    for line in stream:
        into.put(line.rstrip("\n"))
    into.put(None)


@pytest.mark.skipif(os.name == "nt", reason="Ctrl-C is sent as SIGINT here")
def test_as_a_clerk_runs_it_a_burst_is_one_rebuild_a_broken_file_is_survived_and_ctrl_c_stops(ws, tmp_path):
    aug = ws / "input" / "2023-08"
    five = sorted(p for p in aug.iterdir() if p.name.startswith("叶县"))[:5]
    held = tmp_path / "held"
    held.mkdir()
    for p in five:
        shutil.move(p, held / p.name)
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONIOENCODING="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "kaohe_excel", "watch", "--delay", "2"], cwd=ws, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=_reader, args=(proc.stdout, lines), daemon=True).start()

    def line() -> str:
        try:
            got = lines.get(timeout=WAIT)
        except queue.Empty:
            got = None
        assert got is not None, proc.stderr.read() if proc.poll() is not None else "no line"
        return got

    try:
        assert line().startswith("正在监视")
        (aug / "~$叶县发改委2023年8月指标进展情况.xlsx").write_bytes(b"\0" * 165)  # Excel's lock file: nothing
        for p in held.iterdir():  # five files dropped together
            shutil.copy2(p, aug / p.name)
        first = line()
        assert f"2023年8月：已写入 {len(REPORTS)} 份报表" in first and "等 5 个文件" in first, first
        (aug / "坏了的月报.xlsx").write_text("这不是表格", encoding="utf-8")
        second = line()
        assert f"2023年8月：已写入 {len(REPORTS)} 份报表" in second and "「坏了的月报.xlsx」" in second, second
        # a later drop in another month: had the burst or the lock file started a second 8月
        # rebuild, its line would come before this one
        (ws / "input" / "2023-07" / "信访局补报.xlsx").write_bytes((aug / "坏了的月报.xlsx").read_bytes())
        third = line()
        assert "2023年7月" in third, third
        assert list((ws / "output").glob("2023-08/*.xlsx")) and list((ws / "output").glob("2023-07/*.xlsx"))
        proc.send_signal(signal.SIGINT)  # Ctrl-C
        rest = []
        while (got := lines.get(timeout=WAIT)) is not None:
            rest.append(got)
        assert proc.wait(WAIT) == 0
        assert rest == ["已停止监视。"], rest
        assert "Traceback" not in proc.stderr.read()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_no_input_folder_is_said_not_watched(tmp_path):
    from tests.kaohe_cli import cli

    p = cli(tmp_path, "watch")
    assert p.returncode == 2 and "没有 input 文件夹" in p.stderr and "Traceback" not in p.stderr


def test_a_corrected_earlier_month_rebuilds_the_later_months_written(ws, tmp_path):
    """August's reports read July (位次变化, trends, the bulletin's 较上月): July corrected while
    watching rebuilds July, then August, as a fresh run writes them."""
    import openpyxl

    from kaohe_excel.flows.run import run_workspace
    from kaohe_excel.flows.watch import later_built

    assert run_workspace(ws, "2023-08").fatal is None
    assert later_built(ws, "2023-07") == ["2023-08"] and later_built(ws, "2023-08") == [] and later_built(ws, "8月") == []
    july = ws / "input" / "2023-07" / "叶县督查局2023年7月指标进展情况.xlsx"
    w = Watching(ws)
    try:
        wb = openpyxl.load_workbook(july)
        wb.worksheets[0]["H5"] = 1  # item 32: July's rank 4 -> 1
        wb.save(july)
        assert "2023年7月：已写入" in w.line()
        again = w.line()
        assert "2023年8月：已写入" in again and "2023年7月的数据有改动，随之重新生成" in again, again
    finally:
        w.close()
    fresh = tmp_path / "fresh"
    shutil.copytree(ws / "input", fresh / "input")
    assert run_workspace(fresh, "2023-08").fatal is None

    def cells(folder: Path) -> dict:
        out = {}
        for f in sorted(folder.glob("*.xlsx")):
            for sh in openpyxl.load_workbook(f).worksheets:
                out[(f.name, sh.title)] = [[c for c in row if not (isinstance(c, str) and "时间" in c)]
                                           for row in sh.iter_rows(values_only=True)]
        return out

    assert cells(ws / "output" / "2023-08") == cells(fresh / "output" / "2023-08")


def test_the_office_above_watches_its_units_files(tmp_path):
    """`kaohe watch --all-units`: a unit's corrected file rebuilds the month's league and unit
    reports (as `kaohe run --all-units`), one line naming the league's head; the county run, which
    cannot tell whom a city's workspace serves, is not what it runs."""
    from kaohe_excel.flows.watch import all_units_rebuild
    from tests import jizhou as jz

    root = jz.build(tmp_path / "ws")
    w = Watching(root, all_units_rebuild())
    try:
        jz.edit_row(root / "input" / "2024年6月" / f"{jz.U[0]}2024年6月完成情况.xlsx", 1, {5: "9.9%"})
        line = w.line()
        assert "2024年6月：已写入" in line and f"参评单位 {len(jz.U)} 个，第 1 名" in line, line
        assert "未生成报表" not in line and "本县" not in line
        league = list((root / "output" / "2024-06").glob("*排名总表*.xlsx"))
        assert len(league) == 1 and (root / "output" / "2024-06" / jz.U[0]).is_dir()
    finally:
        w.close()


def test_unit_reports_without_all_units_is_refused(tmp_path):
    from tests.kaohe_cli import cli

    (tmp_path / "input").mkdir()
    p = cli(tmp_path, "watch", "--unit-reports", "all")
    assert p.returncode == 2 and "--all-units" in p.stderr, p.stdout + p.stderr
