"""Issue 14: in the view from above every unit of a month is assessed with one dict of what all
of them share (each indicator's ranking, every unit's score, …). That must change nothing: each
unit's result is exactly what assessing that unit alone gives (problems aside: a missing peer
figure is said once for all units there). Checked on the demo month (叶县's departments' sheets
joined as its column) and on the invented city 汀澜市 (per-unit points, `---`, two months)."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import pytest

from kaohe_excel.assess import assess_month
from kaohe_excel.assess.league import league_table
from kaohe_excel.assess.results import MonthBrief
from kaohe_excel.config import load_config
from kaohe_excel.flows.evaluate import assess_units
from kaohe_excel.workspace import load_month
from tests import league_city as lc

ROOT = Path(__file__).resolve().parents[1]


def _demo(root: Path) -> Path:
    shutil.copytree(ROOT / "input", root / "input")
    return root


def _city(root: Path) -> Path:
    lc.build_workspace(root)
    return root


@pytest.mark.parametrize("make", [_demo, _city], ids=["demo", "city"])
def test_every_unit_as_if_assessed_alone(tmp_path, make):
    ws = make(tmp_path / "ws")
    cfg = load_config(ws)
    mi = load_month(ws, None, config=cfg, all_units=True)
    by_month = assess_units(mi, cfg)
    assert len(by_month) == 2 and all(len(units) >= 5 for units in by_month.values())
    for m, units in by_month.items():
        loaded = mi if m == mi.month else mi.history[m]
        peers = loaded.peers
        for u, res in units.items():
            history = {pm: by_month[pm][u] for pm in by_month if pm < m and u in by_month[pm]}
            # a unit's own report's rows as a county run of its files takes its departments' (a place
            # it reports where the table has no figure: 叶县's words and places, helper-54)
            alone = assess_month(mi.system, loaded.unit_entries.get(u, {}), peers, dataclasses.replace(cfg, county=u),
                                 m, history=history)
            got, want = res.to_json(), alone.to_json()
            got.pop("problems"), want.pop("problems")
            # (the one word that differs: the view from above calls the table 各单位数据, in its notes
            # and in an item's words alike)
            got = json.loads(json.dumps(got, ensure_ascii=False).replace("各单位数据", "六县市数据"))
            want = json.loads(json.dumps(want, ensure_ascii=False))  # (the same JSON types on both sides)
            if make is _demo:  # a county's own table: alone, a county estimates its place on the items
                # every county has; in the view from above every report says the league's place
                for k in ("estimated_rank", "estimate_note"):
                    got.pop(k), want.pop(k)
            assert got == want, (m, u, [(a["no"], a["score"], b["score"]) for a, b in
                                        zip(got["indicators"], want["indicators"]) if a != b][:5])
        places = league_table(units).rows
        assert {r.unit: r.rank for r in places} == {u: res.estimated_rank for u, res in units.items()}


# What the league and the trends take from an earlier month: a brief result must give these
# exactly as a full one does.
_FIGURES = ("rank", "computed_rank", "colour", "score", "points", "completion", "actual", "not_assessed",
            "peer_ranks", "peer_scores", "rank_history", "colour_history", "prev_rank", "rank_change")
_TOTALS = ("total", "total_points", "unscored_points", "lost", "excluded", "estimated_rank", "estimated_totals",
           "unscored", "points_at_stake")


def _figures(res) -> dict:
    if isinstance(res, MonthBrief):
        return dataclasses.asdict(res)
    return {"indicators": [{k: getattr(r, k) for k in _FIGURES} for r in res.indicators],
            **{k: getattr(res, k) for k in _TOTALS},
            "subtotals": [(s.category, s.points, s.score, s.lost) for s in res.subtotals],
            "colours": res.colour_counts()}


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_months_read_apart_and_brief_give_the_same_league(tmp_path, monkeypatch, jobs):
    """`run --all-units` reads the earlier months in worker processes (KAOHE_JOBS=2: spawned, as
    on Windows) and assesses them briefly; its results are those of reading and assessing every
    month here in full, figure for figure, and this month's whole."""
    from kaohe_excel.flows.evaluate import load_units

    ws = _city(tmp_path / "ws")
    cfg = load_config(ws)
    monkeypatch.setenv("KAOHE_JOBS", jobs)
    mi, got = load_units(ws, None, cfg)
    full_mi = load_month(ws, None, config=cfg, all_units=True)
    want = assess_units(full_mi, cfg)
    assert list(got) == list(want) == sorted(want) and len(want) == 2
    assert list(mi.history) == list(full_mi.history)
    for m in want:
        assert list(got[m]) == list(want[m])
        for u in want[m]:
            a, b = got[m][u], want[m][u]
            if m == mi.month:  # its histories and rank changes worked out from the earlier months' briefs
                assert _figures(a) == _figures(b), (m, u)
                assert a.to_json() == b.to_json() and not a.brief
                assert any(r.rank_change for r in a.indicators) and len(a.indicators[0].rank_history) == 2
            else:  # what the league and this month's histories read of it, figure for figure
                assert isinstance(a, MonthBrief) and a == MonthBrief.of(b), (m, u)
                assert len(a.ranks) == len(b.indicators) and a.total == b.total


def test_county_history_read_by_workers_is_the_same(tmp_path, monkeypatch):
    """A county's earlier months read by worker processes give the same months and results."""
    from kaohe_excel.flows.run import assess_loaded

    ws = _demo(tmp_path / "ws")
    cfg = load_config(ws)
    out = {}
    for jobs in ("1", "2"):
        monkeypatch.setenv("KAOHE_JOBS", jobs)
        mi = load_month(ws, None, config=cfg)
        assert mi.history and all(h.system is mi.system for h in mi.history.values())
        result, history = assess_loaded(mi, mi.config)
        out[jobs] = (list(mi.history), result.to_json(), {m: r.to_json() for m, r in history.items()},
                     [str(p) for p in mi.all_problems])
    assert out["1"] == out["2"]


def test_no_workers_to_be_had_reads_here(tmp_path, monkeypatch):
    """Where worker processes cannot be started (a locked-down office PC), the earlier months are
    read in the run's own process, with the same results."""
    import concurrent.futures

    from kaohe_excel.flows.evaluate import load_units

    tried = []

    class NoWorkers:
        def __init__(self, *a, **k):
            tried.append(a)
            raise OSError("不能创建进程")

    ws = _city(tmp_path / "ws")
    cfg = load_config(ws)
    monkeypatch.setenv("KAOHE_JOBS", "1")
    _mi, want = load_units(ws, None, cfg)
    monkeypatch.setenv("KAOHE_JOBS", "2")
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", NoWorkers)
    mi, got = load_units(ws, None, cfg)
    assert tried and len(mi.history) == 1
    assert {m: {u: _figures(r) for u, r in per.items()} for m, per in got.items()} == \
        {m: {u: _figures(r) for u, r in per.items()} for m, per in want.items()}


def test_workers_assess_what_they_read(tmp_path, monkeypatch):
    """The workers (KAOHE_JOBS=2 and 3 here; one a core) assess the earlier months they read and
    hand the results back: this process then assesses only this month, and every figure is what
    one process gives."""
    import kaohe_excel.flows.evaluate as ev
    import kaohe_excel.workspace as W

    ws = _city(tmp_path / "ws")
    monkeypatch.setitem(lc.PEERS, "2024-04", lc.PEERS[lc.JUNE])  # two more months with May's and June's figures
    monkeypatch.setitem(lc.PEERS, "2024-03", lc.PEERS[lc.MAY])
    lc.write_peers_xlsx(ws / "input" / "2024-04" / "汀澜市2024年1-4月各区县（园区）主要指标完成情况.xlsx", "2024-04")
    lc.write_peers_xlsx(ws / "input" / "2024-03" / "汀澜市2024年1-3月各区县（园区）主要指标完成情况.xlsx", "2024-03")
    cfg = load_config(ws)
    monkeypatch.setenv("KAOHE_JOBS", "1")
    _mi, want = ev.load_units(ws, None, cfg)
    here = []
    real = ev.assess_month_units

    def counted(loaded, system, config, month, *, brief=False):
        here.append((month, brief))
        return real(loaded, system, config, month, brief=brief)

    monkeypatch.setattr(ev, "assess_month_units", counted)
    # (this process, idle meanwhile, would read some months itself: see the test after the next)
    monkeypatch.setattr(W.EarlierMonths, "_steal", lambda self, pending, done: None)
    for jobs in ("2", "3"):
        here.clear()
        monkeypatch.setenv("KAOHE_JOBS", jobs)
        mi, got = ev.load_units(ws, None, cfg)
        assert list(got) == list(want) == ["2024-03", "2024-04", "2024-05", "2024-06"]
        assert here == [("2024-06", False)], jobs  # the earlier three were assessed by the workers
        assert list(mi.history) == ["2024-03", "2024-04", "2024-05"]
        for m in want:
            assert {u: _figures(r) for u, r in got[m].items()} == {u: _figures(r) for u, r in want[m].items()}, m
            assert all(r.brief == (m != "2024-06") for r in got[m].values())


def test_workers_assess_only_with_the_runs_own_system(tmp_path, monkeypatch):
    """No system in input/, each month folder its own (earlier months: item 6 worth 4 points): every
    month is assessed with this month's system, as one process does, however many workers read."""
    import kaohe_excel.flows.evaluate as ev

    ws = tmp_path / "ws"
    lc.build_workspace(ws)
    monkeypatch.setitem(lc.PEERS, "2024-04", lc.PEERS[lc.JUNE])
    monkeypatch.setitem(lc.PEERS, "2024-03", lc.PEERS[lc.MAY])
    for m, name in (("2024-04", "1-4"), ("2024-03", "1-3")):
        lc.write_peers_xlsx(ws / "input" / m / f"汀澜市2024年{name}月各区县（园区）主要指标完成情况.xlsx", m)
    (ws / "input" / lc.SYSTEM_FILE).unlink()
    lc.write_system(ws / "input" / lc.JUNE / lc.SYSTEM_FILE)
    monkeypatch.setattr(lc, "SYSTEM_ROWS", [(r[0], r[1], r[2], 4 if r[0] == 6 else r[3], *r[4:]) for r in lc.SYSTEM_ROWS])
    for m in ("2024-03", "2024-04", lc.MAY):
        lc.write_system(ws / "input" / m / lc.SYSTEM_FILE)
    cfg = load_config(ws)
    out = {}
    for jobs in ("1", "2", "3"):
        monkeypatch.setenv("KAOHE_JOBS", jobs)
        _mi, got = ev.load_units(ws, None, cfg)
        out[jobs] = {m: {u: _figures(r) for u, r in per.items()} for m, per in got.items()}
    assert list(out["1"]) == ["2024-03", "2024-04", "2024-05", "2024-06"]
    assert out["3"] == out["2"] == out["1"]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_the_analysts_results_are_every_month_in_full(tmp_path, monkeypatch, jobs):
    """api.results(all_units=True) has the earlier months assessed in full by the processes that read
    them (KAOHE_JOBS=2: spawned workers): every figure and every text what reading and assessing
    every month here gives."""
    from kaohe_excel import api

    ws = _city(tmp_path / "ws")
    cfg = load_config(ws)
    want = assess_units(load_month(ws, None, config=cfg, all_units=True), cfg)
    monkeypatch.setenv("KAOHE_JOBS", jobs)
    got = api.results(ws, all_units=True)
    assert list(got) == list(want) and len(want) == 2
    for m in want:
        assert list(got[m]) == list(want[m])
        for u in want[m]:
            assert not got[m][u].brief
            assert got[m][u].to_json() == want[m][u].to_json(), (m, u)


def test_histories_from_briefs_are_those_of_whole_months(tmp_path, monkeypatch):
    """This month's rank histories, colour histories and rank changes worked out from the earlier
    months' briefs are those carry_history gives from their whole results: with a unit missing in
    one month, an indicator missing in another and a month whose indicators come in another order."""
    import copy

    from kaohe_excel.assess import carry_history
    from kaohe_excel.flows.evaluate import assess_month_units, with_history

    ws = _city(tmp_path / "ws")
    monkeypatch.setitem(lc.PEERS, "2024-04", lc.PEERS[lc.JUNE])
    monkeypatch.setitem(lc.PEERS, "2024-03", lc.PEERS[lc.MAY])
    lc.write_peers_xlsx(ws / "input" / "2024-04" / "汀澜市2024年1-4月各区县（园区）主要指标完成情况.xlsx", "2024-04")
    lc.write_peers_xlsx(ws / "input" / "2024-03" / "汀澜市2024年1-3月各区县（园区）主要指标完成情况.xlsx", "2024-03")
    cfg = load_config(ws)
    mi = load_month(ws, None, config=cfg, all_units=True)
    months = [(m, mi.history[m]) for m in sorted(mi.history)] + [(mi.month, mi)]
    alone = {m: assess_month_units(loaded, mi.system, cfg, m) for m, loaded in months}
    assert list(alone) == ["2024-03", "2024-04", "2024-05", "2024-06"]
    gone = list(alone["2024-05"])[1]
    del alone["2024-05"][gone]  # a unit without data in May
    for res in alone["2024-04"].values():
        del res.indicators[2]  # an indicator April does not have
    for res in alone["2024-03"].values():
        res.indicators.reverse()
    whole = with_history(copy.deepcopy(alone))
    now = copy.deepcopy(alone[mi.month])
    earlier = {m: {u: MonthBrief.of(r) for u, r in per.items()} for m, per in alone.items() if m < mi.month}
    fields = ("rank_history", "colour_history", "prev_month", "prev_rank", "rank_change", "year_change")
    changed = 0
    for u, res in now.items():
        carry_history(res, {m: per[u] for m, per in earlier.items() if u in per}, max(earlier))
        want = whole[mi.month][u]
        for a, b in zip(res.indicators, want.indicators):
            assert [getattr(a, f) for f in fields] == [getattr(b, f) for f in fields], (u, a.key)
            changed += a.rank_change is not None
        assert len(res.indicators[2].rank_history) == (3 if u == gone else 4)
        assert res.indicators[2].rank_history[1][1] is None  # April has no such indicator
    assert changed


def test_a_month_is_read_by_whoever_claims_it_first(tmp_path):
    """A month handed to a worker can no longer be cancelled; whoever creates its claim first reads
    it: the other skips it. No claims folder (or one that cannot be written): everyone reads."""
    import kaohe_excel.workspace as W

    claims = tmp_path / "claims"
    claims.mkdir()
    assert W._claim(str(claims), "2024-05") and not W._claim(str(claims), "2024-05")
    assert W._claim(str(claims), "2024-06")
    assert W._claim(None, "2024-05") and W._claim(str(tmp_path / "gone"), "2024-05")
    # unsure (no folder, or one a temp cleaner removed), the run's own process takes nothing: a
    # month a worker may be reading is never read twice
    assert not W._claim(None, "2024-07", unsure=False) and not W._claim(str(tmp_path / "gone"), "2024-07", unsure=False)
    # a worker given a month this process took: skipped at once, never read
    assert W._earlier_claimed(str(claims), tmp_path / "no-workspace", "2024-05", None, None, True, False, None) == \
        ("2024-05", None, W.CLAIMED, None, None)


@pytest.mark.parametrize("pause", [0.0, 0.3], ids=["this process quicker", "the workers quicker"])
def test_the_runs_own_process_reads_months_no_worker_has_started(tmp_path, monkeypatch, pause):
    """While the workers start (spawned: about a second) and read, this process, idle, reads the
    latest months itself: those still queued, and those handed to a worker that has not started
    them (claimed: the worker skips them). Every month is handed on once and the results are
    those of one process. Quicker here, this process claims months the workers were given;
    slower, the workers read some months too."""
    import kaohe_excel.flows.evaluate as ev
    import kaohe_excel.workspace as W

    ws = _city(tmp_path / "ws")
    for m, src, name in (("2024-04", lc.JUNE, "1-4"), ("2024-03", lc.MAY, "1-3"), ("2024-02", lc.JUNE, "1-2"),
                         ("2024-01", lc.MAY, "1")):
        monkeypatch.setitem(lc.PEERS, m, lc.PEERS[src])
        lc.write_peers_xlsx(ws / "input" / m / f"汀澜市2024年{name}月各区县（园区）主要指标完成情况.xlsx", m)
    cfg = load_config(ws)
    monkeypatch.setenv("KAOHE_JOBS", "1")
    _mi, want = ev.load_units(ws, None, cfg)
    import time

    here, taken = [], []
    real, real_take = W._earlier, W.EarlierMonths._take

    def counted(*a, **k):  # only this process's reads: the workers are spawned, without this patch
        here.append(a[1])
        time.sleep(pause)
        return real(*a, **k)

    def take(self, got):  # every month handed on, whoever read it
        taken.append((got[0], got[2]))
        return real_take(self, got)

    monkeypatch.setattr(W, "_earlier", counted)
    monkeypatch.setattr(W.EarlierMonths, "_take", take)
    made = []
    real_mkdtemp = __import__("tempfile").mkdtemp

    def mkdtemp(*a, **k):
        made.append(real_mkdtemp(*a, **k))
        return made[-1]

    monkeypatch.setattr("tempfile.mkdtemp", mkdtemp)
    monkeypatch.setenv("KAOHE_JOBS", "2")
    mi, got = ev.load_units(ws, None, cfg)
    assert list(got) == list(want) == ["2024-01", "2024-02", "2024-03", "2024-04", "2024-05", "2024-06"]
    assert list(mi.history) == ["2024-01", "2024-02", "2024-03", "2024-04", "2024-05"]
    assert here and len(here) == len(set(here)) and "2024-05" in here, here  # the latest first
    # each month handed on once, read by one process, none failed (a worker's skipped month is not)
    assert sorted(taken) == [(m, None) for m in ["2024-01", "2024-02", "2024-03", "2024-04", "2024-05"]], taken
    assert not [p for p in mi.problems if "历史数据" in p.message]
    for m in want:
        assert {u: _figures(r) for u, r in got[m].items()} == {u: _figures(r) for u, r in want[m].items()}, m
    assert made and not any(Path(d).exists() for d in made)  # the claims went with the reading


def test_a_month_that_fails_to_read_stops_the_workers_and_leaves_no_claims(tmp_path, monkeypatch):
    """This month's reading fails (Ctrl-C, a reader bug) while the workers read the earlier months:
    they are stopped and their claims folder removed before the failure goes on."""
    import tempfile

    import kaohe_excel.flows.evaluate as ev
    import kaohe_excel.workspace as W

    ws = _city(tmp_path / "ws")
    cfg = load_config(ws)
    made = []
    real_mkdtemp = tempfile.mkdtemp

    def mkdtemp(*a, **k):
        made.append(real_mkdtemp(*a, **k))
        return made[-1]

    def boom(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr("tempfile.mkdtemp", mkdtemp)
    monkeypatch.setattr(W, "read_unit_reports", boom)
    monkeypatch.setenv("KAOHE_JOBS", "2")
    with pytest.raises(KeyboardInterrupt):
        ev.load_units(ws, None, cfg)
    assert made and not any(Path(d).exists() for d in made)


def test_a_month_this_process_took_and_could_not_read_is_not_lost(tmp_path, monkeypatch):
    """A fault while this process reads a month it took from the workers (memory, a reader bug) is
    not swallowed with the month: the month is read again as without workers, where it shows."""
    import kaohe_excel.flows.evaluate as ev
    import kaohe_excel.workspace as W

    ws = _city(tmp_path / "ws")
    monkeypatch.setitem(lc.PEERS, "2024-04", lc.PEERS[lc.JUNE])
    lc.write_peers_xlsx(ws / "input" / "2024-04" / "汀澜市2024年1-4月各区县（园区）主要指标完成情况.xlsx", "2024-04")
    cfg = load_config(ws)
    real = W._earlier
    tried = []

    def faulty(*a, **k):  # this process only: the workers are spawned without the patch
        tried.append(a[1])
        if a[1] == "2024-05":
            raise RuntimeError("读取出错")
        return real(*a, **k)

    monkeypatch.setattr(W, "_earlier", faulty)
    monkeypatch.setenv("KAOHE_JOBS", "2")
    with pytest.raises(RuntimeError):
        ev.load_units(ws, None, cfg)
    assert tried.count("2024-05") == 2  # taken first (the latest), then read again where it fails


def test_the_runs_own_process_works_while_a_worker_finishes_its_last_month(tmp_path, monkeypatch):
    """With no month left to take and a worker still reading, the run's process does the work it
    was given for that wait (the view from above: assessing its own month) before it waits, and the
    worker's month still comes in afterwards."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    import kaohe_excel.workspace as W

    ws = _city(tmp_path / "ws")
    cfg = load_config(ws)
    idle_done, started = threading.Event(), threading.Event()
    order: list = []
    real = W._earlier

    def worker(claims, *args):  # a worker that has taken its month and ends it only after the idle work
        assert W._claim(claims, args[1])
        started.set()
        idle_done.wait(10)
        order.append("worker read " + args[1])
        return real(*args)

    monkeypatch.setattr(W, "_earlier_claimed", worker)
    monkeypatch.setattr(W.Workers, "start", lambda self, jobs: self.executor or setattr(
        self, "executor", ThreadPoolExecutor(jobs)) or self.executor)
    monkeypatch.setattr(W, "read_jobs", lambda files, months: 1)
    mi = W.load_month(ws, lc.JUNE, config=cfg, all_units=True, load_earlier=False)
    with W.Workers() as workers:
        earlier = W.EarlierMonths(mi, ws, cfg, lc.JUNE, county=None, all_units=True, root=mi.root, workers=workers)

        def idle() -> None:
            order.append("idle")
            idle_done.set()

        earlier.idle.append(idle)
        assert started.wait(10)  # (the worker has its month: this process cannot take it any more)
        got = [m for m, _loaded in earlier]
    assert got == [lc.MAY] and order == ["idle", f"worker read {lc.MAY}"]
