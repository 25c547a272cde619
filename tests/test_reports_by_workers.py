"""The view from above hands its reports to the worker processes that read its earlier months
(write/reports.stage_reports): the same workbooks, the same record of what was written, and a
template error in a worker stops the run as it would in one process, leaving nothing behind."""

from __future__ import annotations

import json
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import openpyxl
from python_calamine import CalamineWorkbook

from kaohe_excel.flows import evaluate as E
from kaohe_excel.write import kept
from kaohe_excel.write import reports as R
from tests import league_city as lc

ROOT = Path(__file__).resolve().parents[1]


def _city(root: Path) -> Path:
    lc.build_workspace(root)
    return root


def _pools_given(monkeypatch) -> list:
    """Whether each stage_reports call of this process was handed worker processes."""
    seen: list = []
    real = R.stage_reports

    def spy(jobs, pool=None):
        jobs = list(jobs)
        seen.append((len(jobs), pool is not None))
        return real(jobs, pool)

    monkeypatch.setattr(R, "stage_reports", spy)
    return seen


def _books(out: Path) -> dict:
    got = {}
    for p in sorted(out.rglob("*.xlsx")):
        if p.name.startswith("."):
            continue
        wb = CalamineWorkbook.from_path(str(p))
        got[p.relative_to(out).as_posix()] = {s: wb.get_sheet_by_name(s).to_python() for s in wb.sheet_names}
    return got


def _records(out: Path) -> dict:
    return {p.parent.relative_to(out).as_posix(): sorted(json.loads(p.read_text(encoding="utf-8")))
            for p in out.rglob(kept.RECORD)}


def test_reports_written_by_workers_are_the_ones_one_process_writes(tmp_path, monkeypatch):
    seen = _pools_given(monkeypatch)
    runs = {}
    for jobs in ("1", "2"):
        ws = _city(tmp_path / f"ws{jobs}")
        monkeypatch.setenv("KAOHE_JOBS", jobs)
        s = E.evaluate_workspace(ws, unit_reports="all")
        assert s.fatal is None, s.fatal
        runs[jobs] = (ws, s)
    # one process staged them itself; with two workers they staged every report
    assert [given for _n, given in seen] == [False, True] and seen[1][0] >= R.PARALLEL_REPORTS
    (ws1, s1), (ws2, s2) = runs["1"], runs["2"]
    assert [p.relative_to(ws1) for p in s1.written] == [p.relative_to(ws2) for p in s2.written]
    assert len(s2.written) == seen[1][0]
    assert _books(ws1 / "output") == _books(ws2 / "output")
    # what the workers noted for each report reached the record: a second run keeps every one
    assert _records(ws1 / "output") == _records(ws2 / "output") != {}
    before = {p: p.stat().st_mtime_ns for p in s2.written}
    again = E.evaluate_workspace(ws2, unit_reports="all")
    assert again.fatal is None and seen[-1][1]
    assert {p: p.stat().st_mtime_ns for p in again.written} == before
    assert not [p for p in (ws2 / "output").rglob("*.tmp")]


def test_a_template_error_in_a_worker_stops_the_run_and_leaves_nothing(tmp_path, monkeypatch):
    seen = _pools_given(monkeypatch)
    ws = _city(tmp_path / "ws")
    monkeypatch.setenv("KAOHE_JOBS", "2")
    first = E.evaluate_workspace(ws)  # last month's reports, as the office keeps them
    assert first.fatal is None
    kept_before = {p: p.read_bytes() for p in (ws / "output").rglob("*.xlsx")}
    (ws / "templates").mkdir()
    wb = openpyxl.load_workbook(R.template_path("得分测算.xlsx"))
    wb.worksheets[0]["A1"] = "{{ total + }}"
    wb.save(ws / "templates" / "得分测算.xlsx")
    s = E.evaluate_workspace(ws, unit_reports="all")
    assert seen[-1][1], "the reports were not handed to the workers"
    assert s.fatal and "模板" in s.fatal and "得分测算" in s.fatal and not s.written
    assert {p: p.read_bytes() for p in (ws / "output").rglob("*.xlsx")} == kept_before
    assert not [p for p in (ws / "output").rglob("*") if p.name.endswith(".tmp")]


class _LostPool:
    """Worker processes lost while the run read (killed, out of memory): every job fails."""

    def submit(self, fn, *args):
        fut: Future = Future()
        fut.set_exception(BrokenProcessPool("工作进程已退出"))
        return fut


def _jobs_of_a_run(tmp_path, monkeypatch) -> tuple:
    """(the summary, the report jobs) of a run in one process, its records gone: staged again, every
    job renders its report."""
    ws = _city(tmp_path / "ws")
    captured: list = []
    real = R.stage_reports
    monkeypatch.setattr(R, "stage_reports", lambda jobs, pool=None: real(captured.extend(jobs) or captured, pool))
    monkeypatch.setenv("KAOHE_JOBS", "1")
    s = E.evaluate_workspace(ws, unit_reports="all")
    assert s.fatal is None and len(captured) == len(s.written) >= R.PARALLEL_REPORTS
    for rec in (ws / "output").rglob(kept.RECORD):
        rec.unlink()
    monkeypatch.setattr(R, "stage_reports", real)
    return s, captured


def test_reports_a_lost_worker_could_not_stage_are_staged_here(tmp_path, monkeypatch):
    s, captured = _jobs_of_a_run(tmp_path, monkeypatch)
    real = R.stage_reports
    # what the lost workers were writing when they died, half written beside the reports
    orphans = [t.parent / f".{t.name}.k3x9.tmp" for t in s.written[:3]]
    for o in orphans:
        o.write_bytes(b"PK\x03\x04 half")
    other = s.written[0].parent / ".某个别的文件.xlsx.k3x9.tmp"  # not one of this run's reports: not ours to remove
    other.write_bytes(b"x")
    staged = real(captured, _LostPool())
    assert [t for _tmp, t in staged] == s.written
    assert all(tmp is not None and tmp.is_file() and tmp.name.startswith(".") for tmp, _t in staged)
    assert not any(o.exists() for o in orphans) and other.exists()
    for tmp, _t in staged:
        tmp.unlink()


def test_a_context_the_workers_cannot_take_is_staged_here(tmp_path, monkeypatch):
    """A report's data that does not pickle (nothing of ours today; a lock stands in for it) cannot go
    to a worker: that report is staged in the run's own process, as it would be without workers."""
    import threading

    from kaohe_excel.workspace import Workers

    s, captured = _jobs_of_a_run(tmp_path, monkeypatch)
    real = R.stage_reports
    jobs = [list(j) for j in captured]
    jobs[2][1] = {**jobs[2][1], "lock": threading.Lock()}
    with Workers() as workers:
        staged = real([tuple(j) for j in jobs], workers.start(2))
    assert [t for _tmp, t in staged] == s.written
    assert all(tmp is not None and tmp.is_file() for tmp, _t in staged)
    for tmp, _t in staged:
        tmp.unlink()


class _Future(Future):
    """A job a worker has not finished yet: done only when its result is asked for."""

    def __init__(self, fn, args):
        super().__init__()
        self.call = (fn, args)

    def result(self, timeout=None):
        if not self.done():
            fn, args = self.call
            self.set_result(fn(*args))
        return super().result(timeout)


class _BusyPool:
    """One worker that is still busy with every job it was given."""

    _max_workers = 1

    def __init__(self):
        self.given: list = []

    def submit(self, fn, *args):
        self.given.append(args[0])
        return _Future(fn, args)


def test_the_run_s_own_process_renders_its_share(tmp_path, monkeypatch):
    """The run's process is one of the processes a run has (one a core): whenever the workers have
    two reports a worker waiting, it renders the next one itself (a province's reports took 1.3 s of
    one process waiting while the workers rendered them); the reports and their order are the same."""
    s, captured = _jobs_of_a_run(tmp_path, monkeypatch)
    pool = _BusyPool()
    staged = R.stage_reports(captured, pool)
    assert [t for _tmp, t in staged] == s.written
    assert len(pool.given) == 2 * pool._max_workers  # the rest were rendered here
    assert len(captured) > len(pool.given) and all(tmp is not None and tmp.is_file() for tmp, _t in staged)
    for tmp, t in staged:
        tmp.replace(t)
    assert not [p for p in (tmp_path / "ws" / "output").rglob("*.tmp")]


def test_one_worker_a_core_beside_the_run_s_own_process(monkeypatch):
    """On two cores one worker reads earlier months beside the run's process (a third process
    only added its own start and warm-up to the same two cores); none on one core or for few files."""
    from kaohe_excel import workspace as W

    monkeypatch.delenv("KAOHE_JOBS", raising=False)
    for cpus, want in ((1, 0), (2, 1), (4, 3), (16, W._MAX_JOBS)):
        monkeypatch.setattr(W.os, "sched_getaffinity", lambda _pid, n=cpus: set(range(n)), raising=False)
        assert W.read_jobs(120, 11) == want, cpus
    assert W.read_jobs(3, 1) == 0  # one earlier month: read here
    monkeypatch.setenv("KAOHE_JOBS", "2")
    assert W.read_jobs(120, 11) == 2  # as the user says


def test_workers_started_for_many_reports_alone(monkeypatch):
    """A monthly run of the view from above reads no earlier month (each kept): workers are then
    started for its reports when they are many (a province's 121), not for a city's few."""
    from kaohe_excel import workspace as W

    monkeypatch.delenv("KAOHE_JOBS", raising=False)
    monkeypatch.setattr(W.os, "sched_getaffinity", lambda _pid: {0, 1}, raising=False)
    assert W.report_jobs(121) == 1 and W.report_jobs(16) == 0
    monkeypatch.setattr(W.os, "sched_getaffinity", lambda _pid: {0}, raising=False)
    assert W.report_jobs(121) == 0
    monkeypatch.setenv("KAOHE_JOBS", "2")
    assert W.report_jobs(16) == 2
