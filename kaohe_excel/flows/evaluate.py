"""The view from above (`kaohe run --all-units`): a city or province assessing every unit at once.

Same workspace layout as a county's. Each unit of the peer data (and each unit that sent its own
report) is assessed with its own targets, points and `---` exactly as a county run for that unit
would assess it; the units go side by side into the league table (排名总表) and each unit gets its
report set under output/YYYY-MM/<unit>/ from the same templates a county uses.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

from kaohe_excel.fsutil import cannot_write_message, commit_staged, moved_into_place, safe_file_part
from kaohe_excel.problems import ERROR, Problem
from kaohe_excel.assess.league import rate_shown
from kaohe_excel.assess.scoring import shown
from kaohe_excel.text import same_county

# the per-unit report set: what a unit's standing is (its departments' reports need their files,
# which the office above does not hold)
UNIT_REPORTS = ("overview", "scores", "bulletin")
DEFAULT_UNIT_REPORTS = ("overview",)


@dataclass
class EvaluateSummary:
    month: str | None
    units: list[str] = field(default_factory=list)
    league: object | None = None  # assess.league.League
    written: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    fatal: str | None = None
    busy: bool = False  # another kaohe held the workspace: nothing was done, try again later (kaohe watch does)
    unchanged: int = 0  # of `written`, reports left as they were (the same figures: the file not rewritten)
    stale_pdfs: list[Path] = field(default_factory=list)  # PDFs of the reports before this run's: removed
    absent: list[str] = field(default_factory=list)  # units with no data this month that were expected
    # reports beyond --unit-reports, written again because an earlier run left them in the unit's folder
    refreshed: list[str] = field(default_factory=list)  # their titles
    refreshed_count: int = 0
    # reports of units not assessed this month (no data), written by an earlier run of the month
    retired: list[Path] = field(default_factory=list)  # removed, as a first run would have none
    retired_signed: list[Path] = field(default_factory=list)  # signed: left as they are
    not_retired: list[Path] = field(default_factory=list)  # open in Excel/WPS: could not be removed

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.level == ERROR)


def assess_units(mi, config) -> dict[str, dict]:
    """month -> unit -> MonthResult, oldest month first; each unit assessed as its own county run
    would be (its config's county, its own earlier months as history)."""
    months = [(m, mi.history[m]) for m in sorted(mi.history) if mi.history[m].month is not None] + [(mi.month, mi)]
    alone = {m: assess_month_units(loaded, mi.system, config, m) for m, loaded in months if loaded.peers is not None}
    return with_history(alone)


def assess_month_units(loaded, system, config, month: str, *, brief: bool = False) -> dict:
    """unit -> MonthResult of one month, each unit with its own county config and no history
    yet (with_history adds it): what is the same for every unit is worked out once.
    `brief`: an earlier month, for trends only (assess_month)."""
    from kaohe_excel.assess import peer_units
    from kaohe_excel.assess.month import units_assessed

    return units_assessed(system, loaded.peers, config, month, peer_units(loaded.peers, system), brief=brief,
                          entries_of=loaded.unit_entries)


def _earlier_month(loaded, system, month: str, *, config, brief: bool = True) -> dict:
    """An earlier month assessed where a worker read it (EarlierMonths' `assess`): unit ->
    MonthResult, or, `brief`, unit -> MonthBrief (what the league and this month's histories
    read of it; the whole results cost more to hand back than to work out)."""
    from kaohe_excel.assess.results import MonthBrief

    per = assess_month_units(loaded, system, config, month, brief=brief)
    if not brief:
        return per
    out: dict = {}
    keys = None
    for u, res in per.items():
        out[u] = b = MonthBrief.of(res, keys)
        keys = b.keys
    return out


def with_history(alone: dict[str, dict]) -> dict[str, dict]:
    """Each unit's months, assessed alone, given their rank changes and trends, oldest first."""
    carried = _Carried(list(alone))
    for m, per in alone.items():
        carried.add(m, per)
    return carried.done()


class _Carried:
    """with_history as the months come in (from the workers, in any order): each month is given
    its rank changes and trends as soon as every month before it is in, while the workers are
    still busy with the later ones (a province's year took ~1 s once every month was in)."""

    def __init__(self, months: list[str]):
        self.waiting = sorted(set(months))
        self.came: dict[str, dict | None] = {}
        self.out: dict[str, dict] = {}

    def add(self, month: str, per: dict | None) -> None:
        """A month's results (unit -> MonthResult); None: nothing to assess that month."""
        self.came[month] = per
        while self.waiting and self.waiting[0] in self.came:
            self._carry(self.waiting.pop(0))

    def _carry(self, month: str) -> None:
        from kaohe_excel.assess import carry_history
        from kaohe_excel.assess.results import MonthBrief

        per = self.came.pop(month)
        if per is None:
            return
        last = max((m for m in self.out if m < month), default=None)
        for u, res in per.items():
            if not isinstance(res, MonthBrief):  # (a brief month has no histories of its own)
                carry_history(res, {pm: got for pm in self.out if (got := self._unit(pm, u)) is not None}, last)
        self.out[month] = per

    def _unit(self, month: str, unit: str):
        """The unit's result of an earlier month: by its name, else by the same name without its
        ending (a table that wrote 白岩县 one month and 白岩自治县 the next), when only one unit has it."""
        got = self.out[month]
        name = same_county(unit, got)
        return None if name is None else got[name]

    def done(self) -> dict[str, dict]:
        """Every month carried, oldest first (a month that never came is left out)."""
        for m in self.waiting:
            if m in self.came:
                self._carry(m)
        self.waiting = []
        return self.out


def load_units(workspace: Path, month: str | None, config, *, keep_reads: bool = False,
               progress=None, workers=None, brief: bool = True) -> tuple:
    """(the month's MonthInput with its earlier months, month -> unit -> MonthResult): what
    load_month and assess_units give, each earlier month assessed as soon as it is read (by the
    worker process that read it, when there are many; else here). The earlier months are
    MonthBriefs (what the league and the trends take from them: totals, places, each indicator's
    rank and colour), this month a MonthResult with its histories; `brief` False: every month in
    full, as assess_units gives them (the analysts' records, api.py).
    `workers` (workspace.Workers): the processes that read the earlier months, left running for
    the caller's next job. Earlier months kept whole by an earlier run (flows/kept_months.py) are
    taken as kept whenever the workspace has run; `keep_reads` keeps the months read now too."""
    from kaohe_excel.flows import kept_months
    from kaohe_excel.workspace import EarlierMonths, folders_of_months, load_month

    started: list = []
    kept_briefs: dict[str, dict] = {}  # month -> unit -> MonthBrief, as an earlier run kept them
    cache = Path(workspace) / "output" / ".kaohe-cache"

    def start(mi) -> None:  # the earlier months are read by workers while this month is read here
        # kept months are used by every run of a workspace that has run, kept by `run` (keep_reads)
        # (not with a system found in the month's own folder: the earlier months are assessed with it)
        using = brief and (Path(workspace) / "output").is_dir() and mi.root is not None and mi.root[0] is not None
        keeping = using and keep_reads
        key_of = None
        if using:
            inp = Path(workspace) / "input"
            folders = folders_of_months(inp, mi.root[0])
            base = kept_months.base_key(inp, mi.root[0], (config, mi.config))
            known: dict[str, str] = {}  # month -> its key, as looked up
            if (cache / kept_months.FOLDER).is_dir():  # (a first run has nothing kept: nothing to look up)
                digests: dict = {}  # (a month's files are the next month's month before: read once)
                for m in (m for m in mi.months if m < mi.month):
                    key = known[m] = kept_months.month_key(base, folders, m, digests)
                    got = kept_months.kept(cache, m, key) if key is not None else None
                    if got is not None:
                        kept_briefs[m] = got
            if keeping:  # the months read now are kept as their briefs, not file by file (a month is
                # read again whole when one of its files changes), under the key taken before it was read
                key_of = functools.partial(kept_months.key_before_reading, base, folders,
                                           {m: k for m, k in known.items() if k is not None and m not in kept_briefs})
        files = sum(1 for p in mi.folder.rglob("*") if p.is_file()) if mi.folder is not None else 0
        started.append(EarlierMonths(mi, Path(workspace), mi.config, mi.month, county=None, all_units=True,
                                     root=mi.root, progress=progress, files=files,
                                     assess=functools.partial(_earlier_month, config=config, brief=brief),
                                     workers=workers, skip=frozenset(kept_briefs),
                                     keep_reads=False if keeping else None, key_of=key_of))

    try:
        mi = load_month(workspace, month, config=config, all_units=True, keep_reads=keep_reads, load_earlier=False,
                        on_folder=start)
    except BaseException:  # (Ctrl-C while this month is read: the workers stop, their claims folder goes)
        for e in started:
            e.close()
        raise
    earlier = started[0] if started else None
    try:
        if mi.month is None or mi.system is None:
            return mi, {}
        carried = _Carried([*(earlier.months if earlier is not None else []), *kept_briefs, mi.month])
        for m, per in kept_briefs.items():
            carried.add(m, per)
        now: list = []  # this month's results, when assessed while a worker finished its last month

        def assess_now() -> None:
            try:
                now.append(assess_month_units(mi, mi.system, config, mi.month))
            except Exception:  # noqa: BLE001 - assessed again below, where a fault shows as it would
                pass

        if earlier is not None and mi.peers is not None:
            earlier.idle.append(assess_now)
        for m, loaded in earlier or ():
            per = None
            if loaded.month is not None and loaded.peers is not None:
                per = earlier.assessed.pop(m, None)  # assessed by the worker that read it
                if per is None:
                    per = _earlier_month(loaded, mi.system, m, config=config, brief=brief)
                if m in earlier.keys:
                    kept_months.keep(cache, m, earlier.keys[m], per)
            elif loaded.month is not None:
                mi.problems.append(_month_left_out(m, loaded))
            carried.add(m, per)
        if mi.peers is not None and not now:  # (no worker was waited for: every month was read here)
            now.append(assess_month_units(mi, mi.system, config, mi.month))
        carried.add(mi.month, now[0] if now else None)
        return mi, carried.done()
    finally:
        if earlier is not None:
            earlier.close()


def _month_left_out(month: str, loaded) -> Problem:
    """An earlier month with nothing to rank (its peer table dropped as a copy of the month
    before's, unreadable, or no unit's figures): said, with why, never a trend a month short."""
    from kaohe_excel.problems import WARNING

    why = next((p for p in loaded.problems if p.level == ERROR), None)
    said = f"{int(month[5:])}月（{month}）没有可用于排名的数据，不计入逐月走势和位次变化"
    if why is None:
        return Problem(f"input/{month}", None, None, WARNING, f"{said}：该月文件夹中没有各单位的数值")
    return Problem(why.file, why.sheet, why.cell, WARNING, f"{said}：{why.message}")


def absent_units(units: list[str], earlier: dict[str, list[str]], system_units: list[str]) -> list[tuple[str, bool]]:
    """(unit, assessed last month) for each unit with no data this month that a column of the
    system or last month's league knows. A unit of the system is said as one (check, which reads
    no earlier month, says it in the same words as run and assess); last month's league names
    only the units the system does not list."""
    from kaohe_excel.text import county_key

    last = earlier[max(earlier)] if earlier else []
    told = {county_key(u) for u in units}
    out = []
    for u, was_last in [*((u, False) for u in system_units), *((u, True) for u in last)]:
        if county_key(u) not in told:
            told.add(county_key(u))
            out.append((u, was_last))
    return out


def unit_changes(units: list[str], earlier: dict[str, list[str]], system_units: list[str], month: str,
                 absent: list[tuple[str, bool]] | None = None, earlier_read: bool = True) -> list[Problem]:
    """Units that were assessed last month, or that the system sets targets for, and have no data
    now, and units no earlier month and no column of the system knows (a misspelt name in a file
    would otherwise make a new unit and leave the real one out without a word). `absent`: what
    absent_units gives for the same arguments, when the caller has it already. `earlier_read`
    False (check reads the month alone, with earlier months there): a unit is called new only
    when its name looks like one of the system's (澜杉县 for 澜山县), for new to it is not new."""
    from kaohe_excel.problems import WARNING
    from kaohe_excel.text import county_key

    from kaohe_excel.text import closest_name

    out = []
    known_names = list(dict.fromkeys([u for m in earlier.values() for u in m] + list(system_units)))
    known = {county_key(u) for u in known_names}
    new = [u for u in units if county_key(u) not in known] if known else []

    for u, was_last in absent if absent is not None else absent_units(units, earlier, system_units):
        typo = closest_name(u, new)
        said = f"（本月的数据中有「{typo}」，是不是写错了？）" if typo else ""
        out.append(Problem(f"input/{month}", None, None, WARNING,
                           f"「{u}」上月参评，本月没有它的数据（汇总表中没有这一列，也没有它的报表）{said}，不在本月排名中；请核实"
                           if was_last else
                           f"指标体系中有「{u}」，本月没有它的数据（汇总表中没有这一列，也没有它的报表）{said}，不在本月排名中；"
                           "如已报送，请把它的报表放进本月文件夹（文件名中写明单位）"))
    for u in new:
        typo = closest_name(u, known_names)
        if not typo and not earlier_read:
            continue
        out.append(Problem(f"input/{month}", None, None, WARNING,
                           f"「{u}」是本月新出现的单位（指标体系和以前各月都没有它{f'；是不是「{typo}」？' if typo else ''}）；"
                           "如是单位名称写错，请改正文件名或表头后重新运行"))
    return out


def units_said(by_month: dict[str, dict], month: str, system_units: list[str], peers=None,
               earlier_read: bool = True) -> tuple[list[str], list[Problem]]:
    """The units with no data this month and what is said of them and of units new this month,
    from the month's assessed units and the earlier months' (`by_month`: month -> unit -> result):
    one account for run, assess and check (which passes its month alone, `earlier_read` False
    when there are earlier months it does not read). `peers`: the month's table; one built of the
    units' own reports adds the units that sent none (said when it was built)."""
    now = list(by_month.get(month) or {})
    before = {m: list(by_month[m]) for m in by_month if m < month}
    absent = absent_units(now, before, list(system_units))
    silent = peers.sent_nothing() if peers is not None else []
    return ([u for u, _ in absent] + silent,
            unit_changes(now, before, list(system_units), month, absent, earlier_read))


def absent_line(absent: list[str]) -> str:
    """The units that sent nothing, as every summary that counts the units says it."""
    return f"本月没有数据、未参评：{'、'.join(absent)}（详见校验提示）"


def unit_report_keys(text: str | None) -> tuple[str, ...]:
    """`--unit-reports 一览表,得分测算` -> ('overview', 'scores'); 'all' -> every unit report."""
    from kaohe_excel.write.reports import REPORTS

    if not text:
        return DEFAULT_UNIT_REPORTS
    if text.strip() in ("all", "全部"):
        return UNIT_REPORTS
    keys = []
    for part in text.replace("，", ",").replace("、", ",").split(","):
        part = part.strip()
        if not part:
            continue
        spec = next((s for s in REPORTS if s.key in UNIT_REPORTS and (part in (s.key, s.title) or part in s.title)), None)
        if spec is None:
            names = "、".join(s.title for s in REPORTS if s.key in UNIT_REPORTS)
            raise ValueError(f"--unit-reports 中的「{part}」不是可按单位生成的报表（可选：{names}，或 all）")
        if spec.key not in keys:
            keys.append(spec.key)
    return tuple(keys) or DEFAULT_UNIT_REPORTS


def evaluate_workspace(workspace: Path, month: str | None = None, *, unit_reports: str | None = None,
                       signoff: dict | None = None, progress=None) -> EvaluateSummary:
    from kaohe_excel.assess.league import league_of
    from kaohe_excel.config import ConfigError, load_config
    from kaohe_excel.flows.run import _merge_problems, _plain, rule_note
    from kaohe_excel.fsutil import OutputBusy, WorkspaceBusy, remove_stale_temps, workspace_lock
    from kaohe_excel.workspace import Workers, load_month, report_jobs
    from kaohe_excel.write import reports as R
    from kaohe_excel.units import DepartmentIndex
    from kaohe_excel.write.engine import TemplateError
    from kaohe_excel.write.signoff import (RecordError, drafts_and_signed, drop_stale_pdfs, note_drafts, note_drafts_coming,
                                           remove_drafts)

    say = progress or (lambda _msg: None)
    workspace = Path(workspace)
    summary = EvaluateSummary(month)
    try:
        keys = unit_report_keys(unit_reports)
        config = load_config(workspace)
    except ValueError as exc:
        summary.fatal = str(exc)
        return summary
    except ConfigError as exc:
        summary.problems, summary.fatal = [exc.problem], _plain(exc.problem)
        return summary
    if not (workspace / "input").is_dir():
        mi = load_month(workspace, month, config=config, all_units=True)
        summary.problems = list(mi.all_problems)
        summary.fatal = "无法生成报表：" + "；".join(_plain(p) for p in mi.problems if p.level == ERROR)
        return summary
    try:
        with workspace_lock(workspace), Workers() as workers:
            remove_stale_temps(workspace / "output")
            say("读取 input/ …")
            mi, by_month = load_units(workspace, month, config, keep_reads=True, progress=say, workers=workers)
            summary.month = mi.month
            summary.problems = list(mi.all_problems)
            if mi.fatal or mi.system is None or mi.month is None or mi.folder is None or mi.peers is None:
                errs = [_plain(p) for p in mi.problems if p.level == ERROR]
                summary.fatal = mi.fatal or ("无法生成报表：" + ("；".join(errs[:3]) if errs else "input/ 中没有指标体系、月份文件夹或各单位数据"))
                return summary
            now = by_month.get(mi.month) or {}
            if not now:
                summary.fatal = "无法生成报表：本月的数据中没有可参评的单位"
                return summary
            league = league_of(by_month, mi.month)
            for res in now.values():
                _merge_problems(summary.problems, res.problems)
            summary.absent, said = units_said(by_month, mi.month, list(mi.system.units), mi.peers)
            summary.problems.extend(said)
            summary.units, summary.league = list(now), league
            first = next(iter(now.values()))
            group_size = len(first.group) or len(now)
            note, g, y = rule_note(config, group_size, first.indicators)
            demo = any("演示数据" in p.name for p in (workspace / "input").iterdir())

            def common(county: str, res) -> dict:
                return R.common_context(mi.system, county, mi.month, rule_note=note, green_max=g, yellow_max=y,
                                        signoff=signoff, demo=demo, group_label=res.group_label,
                                        peer_period=res.peer_period_label)

            out_dir = workspace / "output" / mi.month
            say(f"生成 {R.LEAGUE.title} …")
            heading = _league_title(mi.system.title, mi.month)
            ctx = {**common("", first), **R.league_context(league, (g, y)), "system_title": heading}
            # named as headed (…综合绩效考核2024年6月排名总表), not after the document (…指标及目标任务2024年…)
            # a report an earlier run wrote into a unit's folder is written again too, whether or not
            # asked for now: left as it was, it would contradict the 一览表 beside it (one truth)
            specs = {u: [s for s in R.REPORTS if s.key in keys or s.key in found]
                     for u in now for found in (_written_before(out_dir / safe_file_part(u), u, mi.month, mi.system.title),)}
            extra = [s.title for u in now for s in specs[u] if s.key not in keys]
            summary.refreshed = list(dict.fromkeys(extra))
            summary.refreshed_count = len(extra)

            def jobs():  # handed to the workers as they are made: the league is rendered while the rest are made
                yield R.LEAGUE, ctx, out_dir, R.league_file_name(heading, mi.month), workspace
                # every unit's problems and the earlier months left out, in one place, as the county's run writes them
                yield (R.PROBLEMS, {**common(heading, first), **R.problems_context(summary.problems)}, out_dir,
                       R.report_file_name(R.PROBLEMS, heading, mi.month), workspace)
                for u, res in now.items():
                    trend = R.score_trend({m: by_month[m][u] for m in by_month if u in by_month[m]})
                    own = mi.unit_entries.get(u, {})  # its own report's rows: 上年, 目标, 存在问题 as a county run shows them
                    contexts = {"overview": lambda: R.overview_context(mi.system, res, own, (g, y)),
                                "scores": lambda: R.scores_context(res, trend),
                                "bulletin": lambda: R.bulletin_context(
                                    res, own, DepartmentIndex.from_system(mi.system, u).resolve)}
                    unit_dir = out_dir / safe_file_part(u)
                    for spec in specs[u]:
                        ctx_u = {**common(u, res), **contexts[spec.key]()}
                        yield spec, ctx_u, unit_dir, unit_report_name(spec, u, mi.month, mi.system.title), workspace

            # what an earlier run wrote of a unit with no data now: asked before anything is moved
            # (a signing record that cannot be read stops the run here, nothing changed)
            stale, summary.retired_signed = drafts_and_signed(_reports_of_others(out_dir, list(now), mi.month, mi.system.title))
            n_units = sum(len(got) for got in specs.values())
            n_reports = n_units + 2
            many = n_reports >= R.PARALLEL_REPORTS
            say(f"生成各单位的报表（{n_units} 个）…")
            # (no workers were started to read when every earlier month was kept: started for the reports)
            pool = workers.start(report_jobs(n_reports)) if many else None
            staged = R.stage_reports(jobs(), pool)
            workers.let_go()  # (nothing more for them: they exit while the reports are moved into place)
            # (a run stopped part-way: its drafts still read as its own)
            done = commit_staged(staged, before_moves=lambda: note_drafts_coming(staged, signoff))
            summary.written.extend(done)
            # names given to run do not sign a draft; a report left as it was keeps its note (a clerk's
            # edit saved meanwhile must not be taken for our draft)
            moved = moved_into_place(staged, done)
            summary.unchanged = len(done) - len(moved)  # (the reports left as they were)
            note_drafts(moved, signoff)
            summary.stale_pdfs = drop_stale_pdfs(moved)
            summary.retired, summary.not_retired = remove_drafts(stale)
    except (WorkspaceBusy, OutputBusy) as exc:
        summary.fatal = str(exc)
        summary.busy = isinstance(exc, WorkspaceBusy)
    except RecordError as exc:
        summary.fatal = exc.problem.message
    except TemplateError as exc:
        summary.fatal = f"报表模板有误，本次没有写入任何报表，请修改模板后重试：{exc}"
    except OSError as exc:  # output/ read-only, a full disk: said plainly
        summary.fatal = cannot_write_message(exc)
    return summary


def unit_report_name(spec, unit: str, month: str, system_title: str | None) -> str:
    """A unit's report's file name (the 一览表 named after the title printed in it)."""
    from kaohe_excel.write.reports import month_parts, overview_title, report_file_name

    return report_file_name(spec, unit, month, title=overview_title(system_title, unit, month_parts(month)[0]))


def _written_before(folder: Path, unit: str, month: str, system_title: str | None) -> set[str]:
    """The unit reports (their keys) an earlier run of the month left in the unit's folder,
    itself or a 第N版 beside a signed one."""
    from kaohe_excel.write.reports import REPORTS
    from kaohe_excel.write.signoff import versions

    if not folder.is_dir():
        return set()
    return {s.key for s in REPORTS
            if s.key in UNIT_REPORTS and versions(folder / unit_report_name(s, unit, month, system_title))}


def _reports_of_others(out_dir: Path, units: list[str], month: str, system_title: str | None) -> list[Path]:
    """The unit reports in the month's folders of units this run does not assess (a unit whose
    file was taken away, a name since corrected): what a first run of the month would not have.
    Only files named as a unit report of the folder's unit (any version); anything else a clerk
    put there is not ours."""
    from kaohe_excel.write.reports import REPORTS
    from kaohe_excel.write.signoff import versions

    ours = {safe_file_part(u) for u in units}
    try:
        folders = sorted(p for p in out_dir.iterdir() if p.is_dir() and not p.is_symlink()
                         and not p.name.startswith(".") and p.name not in ours)
    except OSError:
        return []
    return [f for d in folders for s in REPORTS if s.key in UNIT_REPORTS
            for f in versions(d / unit_report_name(s, d.name, month, system_title))]


def _league_title(system_title: str | None, month: str) -> str:
    """The league's heading: the system's name without its document word (…任务分工表)."""
    from kaohe_excel.write.reports import system_name

    t = system_name(system_title)
    words = ("完成情况一览表", "一览表", "任务分工表", "任务分解表", "分工表", "分解表", "指标体系表", "指标体系",
             "分值表", "评分表", "计分表", "评分细则", "细则", "分值", "目标任务", "任务", "目标", "指标表", "指标",
             "及", "和", "、")
    while True:  # …考核指标及目标任务分解表 -> …考核
        w = next((w for w in words if t.endswith(w) and len(t) > len(w)), None)
        if w is None:
            break
        t = t[:-len(w)]
    return t or f"{month[:4]}年度综合绩效考核"


def _retired_lines(s: EvaluateSummary) -> list[str]:
    """What became of the reports of units not assessed this month."""
    def folders(paths: list[Path]) -> str:
        return "、".join(dict.fromkeys(p.parent.name for p in paths))

    lines = []
    if s.retired:
        lines.append(f"  已删除 {len(s.retired)} 个旧报表（{folders(s.retired)}：本月没有其数据、未参评，"
                     "以前生成的报表与本次结果不符；同名 PDF 一并删除）")
    if s.retired_signed:
        lines.append("  已签发的报表保留未动（其单位本月未参评，内容与本次结果不符，请核实）："
                     + "、".join(str(p) for p in s.retired_signed))
    if s.not_retired:
        lines.append(f"  未能删除（正在被 Excel 或 WPS 打开）：{'、'.join(str(p) for p in s.not_retired)}；"
                     "这些是本月未参评单位的旧报表，请关闭后重新运行")
    return lines


def summary_text(s: EvaluateSummary) -> str:
    """What `kaohe run --all-units` prints: the top of the league and where the reports went."""
    y, m = s.month.split("-")
    lg = s.league
    lines = [f"{y}年{int(m)}月 各单位综合排名（{len(s.units)} 个单位）："]
    for r in lg.rows[:10]:
        place = f"第 {r.rank} 名" if r.rank is not None else "不参与排名"
        why = f"（{r.note}）" if r.rank is None and r.note else ""
        rate = f"，折算 {rate_shown(r.rate):.2f}" if r.rate is not None else ""
        change = f"，{r.rank_change_text}" if r.rank_change_text else ""
        lines.append(f"  {place}：{r.unit} {shown(r.total)}/{shown(r.total_points)} 分{rate}{change}{why}")
    if len(lg.rows) > 10:
        lines.append(f"  …… 其余 {len(lg.rows) - 10} 个单位见排名总表")
    if s.absent:
        lines.append(f"  {absent_line(s.absent)}")
    if s.refreshed_count:
        lines.append(f"  以前生成的各单位报表（{'、'.join(s.refreshed)}）{s.refreshed_count} 个也已按本次数字更新"
                     "（不在本次 --unit-reports 之内，但单位文件夹中已有，留着旧的会与一览表不一致）")
    lines.extend(_retired_lines(s))
    for n in lg.notes:
        lines.append(f"  说明：{n}")
    errors = s.errors
    lines.append(f"  校验：错误 {errors} 个，提示 {len(s.problems) - errors} 个（详见校验报告）")
    if s.stale_pdfs:
        from kaohe_excel.flows.run import stale_pdf_line

        lines.append(f"  {stale_pdf_line(s.stale_pdfs)}")
    kept = f"（其中 {s.unchanged} 个与上次生成的相同，保留原文件）" if s.unchanged else ""
    lines.append(f"  已写入 {len(s.written)} 个工作簿{kept}：")
    for p in s.written[:12]:
        lines.append(f"    {p}")
    if len(s.written) > 12:
        lines.append(f"    …… 共 {len(s.written)} 个（各单位的报表在 output/{s.month}/<单位>/ 下）")
    return "\n".join(lines)
