"""The workspace month: everything `input/` holds for one month, read and reconciled.

Layout (a workspace is any folder with an `input/` folder):

    input/                     the indicator system workbook(s) (任务分工表 / 一览表)
    input/2023-08/             the month's files: departments' monthly sheets (月报) and the
                               六县市数据, whatever they are called, in sub-folders too
    input/2023-07/             earlier months, read for history (rank changes)

Accepted month-folder names (full-width digits and spaces are ignored):
    2023-08  2023-8  2023_08  2023.08  202308  2023年8月  2023年08月  2023年8月份
    2023年8月月报 (any words after 月)  8月  08月  8月份  八月
A folder without a year (8月) takes the year of the indicator system's title
(“2023年…”), else of the other dated month folders, else the current year.

What is read is recognised by content, not by name: a sheet with one column per
county is peer data; a sheet with 序号/指标/完成情况/排名 columns is a monthly sheet.
Office lock files (`~$…`, `.~lock…`), hidden files and empty extra sheets are
skipped quietly; a file that cannot be used becomes a Problem and every other file
is still read. Two files from one department: the newer wins (填报日期, else the
file's modification time). One indicator reported by two departments with different
values: a problem naming both cells; the value used is chosen by the conflict rule
(kaohe.toml [conflict] rule, default the lead department).
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import json
import os
from pathlib import Path
from typing import Any

from kaohe_excel.assess import comparison_group, peer_units
from kaohe_excel.assess.intake import readiness, settle_month, submission_status
from kaohe_excel.config import Config, load_config
from kaohe_excel.fsutil import file_digest, read_regular, write_json
from kaohe_excel.model import MonthInput, PeerTable
from kaohe_excel.text import OWN_WORDS, county_key
from kaohe_excel.problems import ERROR, WARNING, InputError, Problem
from kaohe_excel.read.cache import ReadCache
from kaohe_excel.read.month_files import (Opened, choose_peers, copied_from_last_month, county_unknown_message,
                                          detect_county, month_folders, normalize_month, open_month_folder,
                                          read_month_submissions, read_root, read_unit_reports, system_year,
                                          units_own_reports,
                                          take_peers, take_systems)


def _config(workspace: Path, config, county, peers, deadline_day, deadline_month, prefer_lead, problems):
    if config is None:
        try:
            config = load_config(workspace)
        except InputError as exc:
            problems.append(exc.problem)
            config = Config()
    over: dict[str, Any] = {}
    if county is not None:
        over["county"] = county
    if peers is not None:
        over["peers"] = list(peers)
    if deadline_day is not None:
        over["deadline_day"] = deadline_day
    if deadline_month is not None:
        over["deadline_month"] = deadline_month
    if prefer_lead is not None:
        over["conflict_rule"] = "lead" if prefer_lead else "latest"
    return dataclasses.replace(config, **over) if over else config


def load_month(workspace: str | Path, month: str | None = None, *, config=None, county: str | None = None,
               peers: list[str] | None = None, deadline_day: int | None = None, deadline_month: str | None = None,
               prefer_lead: bool | None = None, with_history: bool = True, all_units: bool = False,
               keep_reads: bool = False, load_earlier: bool = True, on_folder=None,
               read_cache: bool = True, _root: tuple | None = None) -> MonthInput:
    """Read the workspace's indicator system and one month's files (default: the latest month).

    `keep_reads`: new reads are kept in output/.kaohe-cache/ (a run, under the workspace lock);
    otherwise kept reads are only used (check, assess write nothing).
    `all_units`: the office above (`kaohe run --all-units`): no county of our own; each month
    file that is not peer data is one unit's report, joined to the peer data as its column.
    `load_earlier` False: the earlier months are left to the caller (`mi.months`, `mi.root`),
    which reads them itself (flows/evaluate.py, several months at once); `on_folder(mi)` is
    called once the month, its folder and the earlier months are known, before any month
    file is opened (so the caller can start reading the earlier months meanwhile). `read_cache`
    False: no kept read is looked up or kept (an earlier month the caller keeps whole).
    Never raises for bad inputs: every unusable file is a Problem in the result."""
    mi = _load_month(workspace, month, config=config, county=county, peers=peers, deadline_day=deadline_day,
                     deadline_month=deadline_month, prefer_lead=prefer_lead, with_history=with_history,
                     all_units=all_units, keep_reads=keep_reads, load_earlier=load_earlier, on_folder=on_folder,
                     read_cache=read_cache, _root=_root)
    if mi.read_cache is not None:
        mi.read_cache.flush()  # what this month kept, in one file a month (read/cache.py)
    return mi


def folders_of_months(inp: Path, system) -> dict[str, list[Path]]:
    """'YYYY-MM' -> its folders under input/, the year of a folder named 8月 taken from the
    system, else from the other folders when they all name one year."""
    year = system_year(system)
    folders = month_folders(inp, year)
    if year is None:
        years = {int(m[:4]) for m in folders}
        if len(years) == 1:
            folders = month_folders(inp, years.pop())
    return folders


def _load_month(workspace, month, *, config, county, peers, deadline_day, deadline_month, prefer_lead, with_history,
                all_units, keep_reads, load_earlier, on_folder, read_cache, _root) -> MonthInput:
    ws = Path(workspace)
    problems: list[Problem] = []
    cfg = _config(ws, config, county, peers, deadline_day, deadline_month, prefer_lead, problems)
    inp = ws / "input"
    mi = MonthInput(workspace=ws, month=None, problems=problems, config=cfg, all_units=all_units)
    if read_cache and (ws / "output").is_dir():  # a workspace that has run keeps its reads (check creates nothing)
        mi.read_cache = ReadCache(ws / "output" / ".kaohe-cache" / "读取", write=keep_reads, packed=True)
    if not inp.is_dir():
        problems.append(Problem("", None, None, ERROR, (f"工作区文件夹「{ws.resolve()}」不存在；请检查 --workspace 后面的路径" if not ws.is_dir() else
                                 f"工作区「{ws.resolve()}」中没有 input 文件夹；请在含 input/ 的工作区文件夹中运行 kaohe，"
                                 f"或用 --workspace 指定它（指标体系和各月文件放在 input/ 下）")))
        return mi

    if _root is None:
        root_files = [p for p in sorted(inp.iterdir()) if p.is_file()]
        system, root_peers = read_root(inp, root_files, mi)
    else:  # an earlier month of the same run: the system and root files as the run read them
        system, root_peers = _root
    mi.system, mi.root = system, (system, root_peers)
    if system is not None and with_history and getattr(cfg, "indicators", None):
        for key in cfg.unmatched_indicator_keys([system]):
            what = f"序号为 {key} 的指标" if key.isdigit() else f"名称含「{key}」的指标"
            problems.append(Problem("kaohe.toml", None, None, WARNING,
                                    f"kaohe.toml 中 [indicators.\"{key}\"] 的设置没有生效：指标体系中没有{what}；"
                                    f"请改为指标体系中的序号（如 \"28\"）或指标名称"))
        for key in (k for k in cfg.indicators if k.isdigit()):
            same = system.numbered(int(key))
            if len(same) > 1:  # 序号 restarting per category: the key reaches every one of them
                names = "、".join(f"「{i.name}」" for i in same)
                problems.append(Problem("kaohe.toml", None, None, WARNING,
                                        f"kaohe.toml 中 [indicators.\"{key}\"] 对应指标体系中序号同为 {key} 的 {len(same)} 项指标"
                                        f"（{names}），设置对它们都生效；只想设其中一项时，请改用指标名称作键"))
    folders = folders_of_months(inp, system)
    year = system_year(system)
    mi.months = sorted(folders)
    if month is not None:
        target = normalize_month(month, year)
        if target is None:
            problems.append(Problem("--month", None, None, ERROR,
                                    f"--month 后面写的月份「{month}」无法识别，应写成 2023-08、2023年8月 或 8月"))
            return mi
    else:
        target = mi.months[-1] if mi.months else None
    mi.month = target
    if target is None:
        problems.append(Problem("input", None, None, ERROR,
                                "input/ 下没有月份文件夹；应新建如 input/2023-08/ 的文件夹并放入各单位月报"))
        return mi
    if target not in folders:
        have = "、".join(mi.months) or "（无）"
        problems.append(Problem("input", None, None, ERROR,
                                f"没有 {target} 的月份文件夹（input/ 下的月份：{have}）；"
                                f"请新建 input/{target}/ 并放入当月各单位月报，或用 --month 选择已有的月份"))
        return mi
    if len(folders[target]) > 1:
        problems.append(Problem("input", None, None, WARNING,
                                f"{target} 有多个文件夹：{'、'.join(p.name for p in folders[target])}，其中的文件都已读取"))
    mi.folder = folders[target][0]
    if mi.read_cache is not None:
        mi.read_cache.use_pack(target)  # the month's files are kept together
    if on_folder is not None:
        on_folder(mi)
    county_given = county is not None or "county" in (getattr(cfg, "raw", None) or {})
    # every file opened once; then systems, peer data, whom we serve, and last the
    # departments' sheets (a reported rank is checked against the real group's size)
    opened: list[Opened] = []
    for folder in folders[target]:
        opened.extend(open_month_folder(inp, folder, mi))
    opened = take_systems(inp, opened, mi)
    peer_tables: list[tuple[PeerTable, float]] = []
    opened = take_peers(opened, target, mi, peer_tables)
    for pt, mt, mon in root_peers:  # peer data saved at the root for this month
        if mon in (None, target):
            peer_tables.append((pt, mt))
    choose_peers(mi, peer_tables, target)
    copied_from_last_month(mi, folders, target)
    if all_units:
        units = peer_units(mi.peers, mi.system) if mi.peers is not None else list(mi.system.units if mi.system else [])
        read_unit_reports(opened, target, mi, units)
        if mi.peers is None and mi.system is not None:
            problems.append(Problem(f"input/{target}", None, None, ERROR,
                                    f"{target} 既没有各单位数值的汇总数据，也没有可用的单位报表，无法排名"))
        if with_history and load_earlier:
            _history(mi, ws, cfg, target, county=None, all_units=True, root=(system, root_peers))
        return mi
    # no table of every unit, and every month file is one unit's own report (the city's units each
    # sending their 一览表): the county's run ranks it among them as the view from above does, its
    # own report its figures (it read all of them as its departments', another unit's figures won)
    from_units = mi.peers is None and units_own_reports(opened, mi)
    if from_units:
        read_unit_reports(opened, target, mi, list(mi.system.units))
    county_given = _county_marked_in_peers(mi, opened, county_given)
    if not county_given:
        units = peer_units(mi.peers, mi.system) if mi.peers is not None else []
        found, candidates, how = detect_county(mi, opened, units)
        if found is None:
            mi.fatal = county_unknown_message(candidates)
            problems.append(Problem("kaohe.toml", None, None, ERROR, mi.fatal))
            return mi
        _use_county(mi, found)
        mi.decisions.append(f"kaohe.toml 未设置本县（county），按{how}识别本县为「{found}」；"
                            f"如不对，请在 kaohe.toml 中写 county = \"县名\"")
    if from_units:  # its own report is its departments' sheet; the others' are the table
        subs = [x for x in mi.submissions if county_key(x.department or "") == county_key(mi.config.county or "")]
        mi.submissions = []
    else:
        subs = read_month_submissions(opened, target, mi, _group_size(mi),
                                      peer_units(mi.peers, mi.system) if mi.peers is not None else None)
    settle_month(mi, subs)
    mi.status = submission_status(mi.system, mi.submissions, target, cfg, superseded=mi.superseded,
                                  arrivals=read_arrivals(ws / "output" / target))
    readiness(mi, target)
    if with_history and load_earlier:
        _history(mi, ws, cfg, target, county=None if county_given else mi.config.county, root=(system, root_peers))
    return mi


def _county_marked_in_peers(mi: MonthInput, opened: list[Opened], county_given: bool) -> bool:
    """A peer table marking our own county (石桥县（本县）, a column headed 本县 alone): the mark names
    the county when kaohe.toml does not (and is said when it disagrees); a column headed 本县 is
    renamed the county's. Whether the county is now known."""
    own = mi.peers.own_unit if mi.peers is not None else None  # 石桥县（本县）, or a column headed 本县
    if own is not None and own not in OWN_WORDS and not county_given:
        _use_county(mi, own)
        mi.decisions.append(f"kaohe.toml 未设置本县（county），按六县市数据中标明的「本县」识别本县为「{own}」；"
                            f"如不对，请在 kaohe.toml 中写 county = \"县名\"")
        county_given = True
    elif own is not None and own not in OWN_WORDS and county_key(own) != county_key(mi.config.county or ""):
        mi.problems.append(Problem(mi.peers.file, mi.peers.sheet, None, WARNING,
                                   f"六县市数据中标为本县的是「{own}」，kaohe.toml 中的本县（county）是「{mi.config.county}」，"
                                   f"按 kaohe.toml 计；请核对"))
    if own in OWN_WORDS and not county_given:  # the column says 本县 and nothing else whose it is
        others = [u for u in peer_units(mi.peers, mi.system) if u != own]
        found, candidates, how = detect_county(mi, opened, [])
        if found is not None and not any(county_key(found) == county_key(u) for u in others):
            _use_county(mi, found)
            mi.decisions.append(f"kaohe.toml 未设置本县（county），按{how}识别本县为「{found}」（六县市数据中的「{own}」一栏）；"
                                f"如不对，请在 kaohe.toml 中写 county = \"县名\"")
            county_given = True
    if own in OWN_WORDS and county_given and mi.config.county:
        mi.peers.rename_unit(own, mi.config.county)
        mi.peers.notes.append(f"六县市数据中的「{own}」一栏（行）是本县「{mi.config.county}」")
    return county_given


def _history(mi: MonthInput, ws: Path, cfg, target: str, *, county: str | None, all_units: bool = False,
             root: tuple | None = None) -> None:
    """The months before `target`, read the same way (rank changes and trends); the indicator
    system is the one this run read (parsed once a run, not once a month)."""
    for _m in EarlierMonths(mi, ws, cfg, target, county=county, all_units=all_units, root=root):
        pass


# Earlier months are read in worker processes when there is enough of them (a province's year is
# 1,440 unit files; a county's five years are 60 folders). KAOHE_JOBS=1 keeps everything in this
# process; KAOHE_JOBS=N asks for N workers.
_PARALLEL_FILES = 600  # files of the earlier months (estimated) below which starting workers costs more than
# they save (about 0.3 s each; a kept read of a county month costs about 0.05 s): a province year, a county's five years
_MAX_JOBS = 8


def read_jobs(files: int, months: int) -> int:
    """How many worker processes read `months` earlier months of about `files` files each
    (0: they are read in this process): one a core beside this process's own, which reads the
    month at hand and then takes months no worker has started (EarlierMonths._steal) and renders
    its share of the reports (stage_reports). On two cores one worker beside it did a province in
    5.1 s of reading against 5.3 s with two, on 1.2 s less CPU: a third process only added its
    start and its own warm-up (imports, each memo of texts and roles) to the same two cores."""
    asked = _jobs_asked()
    if asked is not None:
        return min(asked, months)
    if months < 2 or files * months < _PARALLEL_FILES:
        return 0
    return min(_cores_beside(), months)


def _jobs_asked() -> int | None:
    """Worker processes as KAOHE_JOBS asks (1 or 0: none), or None when it does not say."""
    raw = os.environ.get("KAOHE_JOBS", "").strip()
    if not raw.isdigit():
        return None
    return 0 if int(raw) <= 1 else min(int(raw), _MAX_JOBS)


def _cores_beside() -> int:
    """One worker a core beside this process's own (none on one core), at most _MAX_JOBS."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # Windows, macOS
        cpus = os.cpu_count() or 1
    return min(cpus - 1, _MAX_JOBS) if cpus >= 2 else 0


_PARALLEL_REPORT_JOBS = 40  # reports a run renders before workers are started for them alone


def report_jobs(reports: int) -> int:
    """Worker processes started to render `reports` reports when none were started to read (a
    monthly run of the view from above, its earlier months kept): one a core beside this process,
    for many reports only (a worker takes ~0.25 s to start), or as KAOHE_JOBS says."""
    asked = _jobs_asked()
    if asked is not None:
        return asked
    return _cores_beside() if reports >= _PARALLEL_REPORT_JOBS else 0


def _earlier(ws: Path, month: str, cfg, county: str | None, all_units: bool, keep_reads: bool,
             root: tuple | None, assess=None, key_of=None) -> tuple:
    """One earlier month read (here or in a worker): (month, its MonthInput, or why not, and
    what `assess(loaded, system, month)` gives for it (the view from above: every unit's brief
    MonthResult), worked out where it was read: a province's earlier months are then assessed
    by the workers too, side by side, instead of one after another in the run's own process;
    and what `key_of(month)` gave before the month was read (flows/kept_months.py)."""
    key = None
    if key_of is not None:
        try:
            key = key_of(month)
        except Exception:  # noqa: BLE001 - then the month is not kept
            key = None
    try:
        got = load_month(ws, month, config=cfg, with_history=False, county=county, all_units=all_units,
                         keep_reads=bool(keep_reads), read_cache=keep_reads is not None, _root=root)
    except Exception as exc:  # noqa: BLE001 - history is a bonus: never stop the month for it
        return month, None, type(exc).__name__, None, None
    assessed = None
    # only with the run's own system (a month folder's own system, with none in input/, is not what
    # the run assesses that month with: the caller assesses it with this month's)
    if (assess is not None and got.month is not None and got.peers is not None and root is not None
            and root[0] is not None and got.system is root[0]):
        try:
            assessed = assess(got, got.system, month)
        except Exception:  # noqa: BLE001 - assessed again by the caller, where a fault shows as it would
            assessed = None
    if root is not None and got.system is root[0]:
        got.system = None  # the caller's own: one object, whose ids key shared work
    got.root = None
    got.read_cache = None  # spent (load_month wrote what it kept); a worker would pickle its packs back
    if all_units:
        _slim_for_peers(got)
    return month, got, None, assessed, key


CLAIMED = "claimed"  # _earlier's failure when another process took the month first


def _claim(claims: str | None, month: str, *, unsure: bool = True) -> bool:
    """Is `month` this process's to read? Whoever creates its file in `claims` first takes it: a
    worker as it starts the month, the run's own process when it has nothing else to do (a month
    the pool has already handed to a worker can no longer be cancelled). No folder, or one that
    cannot be written (a temp cleaner removed it): `unsure`, what the asker does then. A worker
    reads the month it was given (never a month left unread); the run's process takes nothing
    (never a month read twice)."""
    if claims is None:
        return unsure
    try:
        os.close(os.open(os.path.join(claims, month), os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        return False
    except OSError:
        return unsure
    return True


def _earlier_claimed(claims: str | None, *args) -> tuple:
    """_earlier in a worker, unless the run's own process took the month meanwhile."""
    if not _claim(claims, args[1]):
        return args[1], None, CLAIMED, None, None
    return _earlier(*args)


def _slim_for_peers(got: MonthInput) -> None:
    """An earlier month of the view from above, as its callers use it: its peer data (every unit's
    figures, the unit reports already joined in), its month and files. The units' submissions are
    let go: handed back from a worker they were most of a province month's pickle (0.27 s of CPU a
    month of 120 unit files, against 0.01 s without them), and in one process most of its memory."""
    got.submissions, got.superseded, got.entries = [], [], {}
    # of each unit's own rows, what its assessment takes beyond the figures joined into the peer data:
    # a place it reports or words where the table has no figure of it (the rest is for the month's
    # own reports, never an earlier month's; kept whole they were most of the pickle again)
    rows = {r.key: r for r in got.peers.rows if r.key is not None} if got.peers is not None else {}

    def needed(u, k, e) -> bool:
        row = rows.get(k)
        return (e.rank is not None or e.words) and (row is None or row.values.get(u) is None)

    got.unit_entries = {u: kept for u, es in got.unit_entries.items()
                        if (kept := {k: e for k, e in es.items() if needed(u, k, e)})}
    for f in got.files:
        f.submissions = []


class Workers:
    """The worker processes of a run, kept from reading its earlier months to writing its reports
    (the view from above: 121 workbooks written by one process while the other cores idled).
    Started when first asked for; `executor` is None until then, and after close."""

    def __init__(self) -> None:
        self.executor = None
        self._leaving = None  # the thread that waits for the workers to exit (let_go)

    def start(self, jobs: int):
        if self.executor is None and jobs:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            from kaohe_excel import compile_cache, usercache
            from kaohe_excel.collector import worker_start

            # spawn everywhere: what Windows does, and no fork of a process that may hold threads
            self.executor = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn"),
                                                initializer=worker_start,
                                                initargs=(usercache.avoided(), compile_cache.folder()))
        return self.executor

    def let_go(self) -> None:
        """The workers' jobs are done: they exit while this process finishes its own (moving the
        reports into place, noting them); close() then waits for what is left of that."""
        if self.executor is not None:
            import threading

            self._leaving = threading.Thread(target=self.executor.shutdown, kwargs={"wait": True}, daemon=True)
            self._leaving.start()
            self.executor = None

    def close(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)
            self.executor = None
        leaving = self._leaving
        if leaving is not None:
            leaving.join()
            self._leaving = None

    def __enter__(self) -> "Workers":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class EarlierMonths:
    """Each month before `target`, read into `mi.history` and given out as (month, MonthInput)
    when it is ready (not in month order when workers read them). Workers start reading when
    this is made: the caller may go on with this month meanwhile (load_month's `on_folder`)."""

    def __init__(self, mi: MonthInput, ws: Path, cfg, target: str, *, county: str | None, all_units: bool = False,
                 root: tuple | None = None, progress=None, files: int | None = None, assess=None,
                 workers: Workers | None = None, skip: frozenset = frozenset(), keep_reads: bool | None = None,
                 key_of=None):
        """`skip`: months the caller has already (flows/kept_months.py); `keep_reads` False: the
        months' reads are not kept (the caller keeps what it needs of them); `key_of(month)`:
        worked out by the process that reads a month, before it reads it (`keys`)."""
        self.key_of = key_of
        self.mi, self.progress = mi, progress
        self.months = [m for m in mi.months if m < target and m not in skip]
        self.system = root[0] if root is not None else mi.system
        # (None: no kept reads at all, not even looked up: the caller keeps the months itself)
        keep = None if keep_reads is False else mi.read_cache is not None and mi.read_cache.write
        self.args = [(ws, m, cfg, county, all_units, keep, root) for m in self.months]
        self.assessed: dict[str, dict] = {}  # month -> unit -> brief MonthResult, from the workers (`assess`)
        self.keys: dict[str, str] = {}  # month -> what `key_of` gave before it was read
        if files is None:
            files = sum(1 for f in mi.files if f.used)
        self.jobs = read_jobs(files, len(self.months))
        # `assess`: the workers assess what they read too, and this process takes the results as
        # they come. Handing a province month's results back costs ~0.3 s of CPU (pickling), but
        # this process is then free for this month: on two cores a province from nothing kept
        # takes the same time either way (15.2 s), and the office's monthly run, its earlier months
        # kept, 9.1–11.3 s against 10.8–12.0 s with this process assessing every month itself.
        self.assess = assess
        self.pool, self.futures = None, []
        self.args_of: dict = {}  # each future -> the arguments of its month
        # work of the caller's, done when this process would otherwise wait for a worker with no
        # month left to take (the view from above: the month at hand assessed while a worker
        # finishes its last month, instead of before the months were shared out)
        self.idle: list = []
        self.claims: str | None = None  # the folder where a month is claimed (_claim)
        # the caller's workers outlive the reading (they write its reports next); else ours
        self.workers = workers if workers is not None else Workers()
        self.own = workers is None
        if self.jobs:
            if progress is not None:
                progress(f"读取以前 {len(self.months)} 个月（{self.jobs} 个进程）…")
            try:
                import tempfile

                self.claims = tempfile.mkdtemp(prefix="kaohe-months-")
            except OSError:
                self.claims = None
            try:
                self.pool = self.workers.start(self.jobs)
                self.futures = [self.pool.submit(_earlier_claimed, self.claims, *a, self.assess, self.key_of)
                        for a in self.args]
                self.args_of = dict(zip(self.futures, self.args))
            except Exception:  # noqa: BLE001 - no workers here (a locked-down machine): read them in this process
                self.workers.close()
                self.close()

    def _take(self, got: tuple):
        m, loaded, failure, assessed, key = got
        if assessed is not None:
            self.assessed[m] = assessed
        if key is not None:
            self.keys[m] = key
        if loaded is None:
            self.mi.problems.append(Problem(m, None, None, WARNING,
                                            f"读取 {m} 的历史数据时出错（{failure}），位次变化不含该月"))
            return None
        if loaded.system is None:
            loaded.system = self.system
        self.mi.history[m] = loaded
        return m, loaded

    def __iter__(self):
        done: set[str] = set()
        try:
            if self.pool is not None:
                from concurrent.futures import FIRST_COMPLETED, wait

                pending = list(self.futures)
                try:
                    while pending:
                        finished, _ = wait(pending, timeout=0, return_when=FIRST_COMPLETED)
                        if not finished:
                            # nothing ready and this process idle: it reads the latest month no worker
                            # has started (a province's 11 months on two workers ended with one of
                            # them reading the last month alone while the other core idled)
                            a = self._steal(pending, done)
                            if a is not None:
                                try:
                                    kept = self._take(_earlier(*a, None, self.key_of))
                                except Exception:  # read again below, where the fault shows
                                    done.discard(a[1])
                                    raise
                                if kept is not None:
                                    yield kept
                                continue
                            if self.idle:
                                self.idle.pop(0)()
                                continue
                            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                        for fut in [f for f in pending if f in finished]:
                            pending.remove(fut)
                            got = fut.result()
                            done.add(got[0])
                            kept = self._take(got)
                            if kept is not None:
                                yield kept
                except Exception:  # noqa: BLE001 - a worker lost (memory, killed): the rest is read here,
                    pass  # where a fault in the reading itself shows as it would without workers
        finally:
            self.close()
        for a in self.args:
            if a[1] not in done:
                if self.progress is not None:
                    self.progress(f"读取 {a[1]} …")
                kept = self._take(_earlier(*a, None, self.key_of))
                if kept is not None:
                    yield kept
        self.mi.history = dict(sorted(self.mi.history.items()))

    def _steal(self, pending: list, done: set) -> tuple | None:
        """The arguments of the latest pending month this process may read itself (cancelled
        before a worker got it, or claimed before the worker it went to started it), taken
        out of `pending` and added to `done`; None when every pending month is being read."""
        for fut in reversed(pending):
            a = self.args_of[fut]
            if fut.cancel() or _claim(self.claims, a[1], unsure=False):
                pending.remove(fut)
                done.add(a[1])
                return a
        return None

    def close(self) -> None:
        try:
            if self.pool is not None:
                running = [fut for fut in self.futures if not fut.cancel()]
                for m in self.months:  # a month handed to a worker that has not started it: skipped
                    _claim(self.claims, m)
                if self.own:
                    self.workers.close()
                else:  # the caller's pool: a month a worker still reads is waited for, never read twice at once
                    from concurrent.futures import wait

                    wait(running)
                self.pool = None
        finally:  # (a second Ctrl-C while the workers are waited for)
            if self.claims is not None:
                import shutil

                shutil.rmtree(self.claims, ignore_errors=True)
                self.claims = None


# A place name ending in 县/区/市/旗 (郏县, 雁江区, 汝州市, 平顶山市郏县 -> both).


def _group_size(mi: MonthInput) -> int:
    """How many units are compared this month: a reported 第7名 is valid among seven."""
    if mi.peers is not None:
        group, _notes = comparison_group(mi.peers, mi.config, mi.system)
        if group:
            return len(group)
    return len(mi.config.peers) or mi.config.group_size


def _use_county(mi: MonthInput, county: str | None) -> None:
    if county and county != mi.config.county:
        mi.config = dataclasses.replace(mi.config, county=county)


ARRIVALS = ".kaohe-到达记录.json"


def read_arrivals(folder: Path) -> dict:
    """When each month file was first seen by a run, and when runs were made:
    {"runs": [iso…], "files": {name: {"sha256": …, "first_seen": iso}}}."""
    try:
        data = json.loads(read_regular(Path(folder) / ARRIVALS, 32 * 1024 * 1024).decode("utf-8-sig"))
    except (OSError, ValueError):
        return {"runs": [], "files": {}}
    if not isinstance(data, dict) or not isinstance(data.get("files"), dict):
        return {"runs": [], "files": {}}

    def iso(x) -> bool:  # a hand-edited record must not stop every command
        try:
            _dt.datetime.fromisoformat(str(x))
            return True
        except ValueError:
            return False

    files = {k: v for k, v in data["files"].items()
             if isinstance(k, str) and isinstance(v, dict) and iso(v.get("first_seen"))}
    runs = [r for r in data.get("runs") or [] if isinstance(r, str) and iso(r)]
    return {"runs": sorted(runs), "files": files}


def record_arrivals(folder: Path, mi: MonthInput, now: _dt.datetime | None = None) -> None:
    """Note the month's files as this run sees them (called by run, under the workspace lock):
    a file not seen before, or changed, arrives now."""
    now = now or _dt.datetime.now()
    data = read_arrivals(folder)
    stamp = now.isoformat(timespec="microseconds")  # (two runs within a second stay in their order)
    for s in list(mi.submissions) + list(mi.superseded):
        path = (mi.folder / s.file) if mi.folder is not None else None
        if path is None or not path.is_file():
            continue
        try:
            digest = file_digest(path)
        except OSError:
            continue
        seen = data["files"].get(s.file)
        if not isinstance(seen, dict):
            data["files"][s.file] = {"sha256": digest, "first_seen": stamp}
        elif seen.get("sha256") != digest:  # re-saved or corrected: it arrived when first seen, still
            seen["sha256"], seen["changed"] = digest, stamp
    data["runs"] = (list(data.get("runs") or []) + [stamp])[-200:]
    Path(folder).mkdir(parents=True, exist_ok=True)
    write_json(Path(folder) / ARRIVALS, data)


__all__ = ["load_month", "read_arrivals", "record_arrivals", "ARRIVALS"]
