"""The main job: read the workspace month, assess it, write every report.

`cli` calls `run_workspace`; this module only wires read -> assess -> write and
returns a summary the CLI prints. It never prints itself (a progress callback may).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from kaohe_excel.fsutil import cannot_write_message, commit_staged, discard_staged, moved_into_place
from kaohe_excel.problems import ERROR, Problem

Progress = Callable[[str], None]


@dataclass
class RunSummary:
    month: str | None
    county: str
    sent: list[str] = field(default_factory=list)
    not_sent: list[str] = field(default_factory=list)
    late: list[str] = field(default_factory=list)
    colours: dict[str, int] = field(default_factory=dict)
    written: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    fatal: str | None = None  # the run could not produce reports, and why
    total: float | None = None
    total_points: float | None = None
    estimated_rank: int | None = None
    group_label: str = "六县市"
    peer_period: str = ""  # '数据期1-7月' when the ranks rest on an earlier month's peer figures
    period: str = ""  # --quarter / --year: the period of the 部门考核 and the months it took
    unreported: str = ""  # the deductions/constraints nobody reported, in words (MonthResult.unreported_text)
    notes: list[str] = field(default_factory=list)  # what was decided and why
    peers_missing: bool = False  # no 六县市数据 this month: no computed ranks, no estimate
    blank: list[str] = field(default_factory=list)  # units that sent back an empty form
    busy: bool = False  # another kaohe held the workspace: nothing was done, try again later (kaohe watch does)
    stale_pdfs: list[Path] = field(default_factory=list)  # PDFs of the reports before this run's: removed
    later_months: list[str] = field(default_factory=list)  # months after this one with reports made before it changed
    signed_kept: list[Path] = field(default_factory=list)  # signed reports whose figures this run left the same

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.level == ERROR)


_RULE_WORDS = {"rank": "按排名", "progress": "按序时进度", "completion": "按目标完成率"}


def rule_note(config, group_size: int, indicators=()) -> tuple[str, int, int]:
    """The 一览表's footnote on the colours; `indicators` (a month's results): those coloured by
    another rule than the default are named, their colour being their 预警提示's."""
    from kaohe_excel.assess.warnings import rank_thresholds

    g, y = rank_thresholds(group_size, config.rules.rank_green, config.rules.rank_yellow)
    if config.rules.warning == "rank":
        def span(a: int, b: int) -> str:  # 排名5名 when a place range is one place (five units: 5 is red)
            return f"排名{a}名" if a >= b else f"排名{a}-{b}名"

        parts = [f"{span(1, g)}的用绿色标识"]
        if y > g:
            parts.append(f"{span(g + 1, y)}的用黄色标识")
        if group_size > y:
            parts.append(f"{span(y + 1, group_size)}的用红色标识")
        text = "红黄绿预警提示：" + "，".join(parts) + "。"
    elif config.rules.warning == "progress":
        text = (f"红黄绿预警提示：完成率达到序时进度的用绿色标识，低于序时进度{config.rules.progress_yellow:g}-"
                f"{config.rules.progress_red:g}个百分点的用黄色标识，低于{config.rules.progress_red:g}个百分点以上的用红色标识。")
    else:
        text = (f"红黄绿预警提示：完成率{config.rules.completion_green:g}%及以上的用绿色标识，"
                f"{config.rules.completion_yellow:g}%-{config.rules.completion_green:g}%的用黄色标识，"
                f"低于{config.rules.completion_yellow:g}%的用红色标识。")
    other: dict[str, list[str]] = {}
    for r in indicators:
        if r.kind == "scored" and r.rule in _RULE_WORDS and r.rule != config.rules.warning and not r.not_assessed:
            other.setdefault(r.rule, []).append(str(r.shown_no or f"「{r.name}」"))
    if other:
        text += ("其中" + "，".join(f"第{'、'.join(nos)}项{_RULE_WORDS[rule]}预警" for rule, nos in other.items())
                 + "，排名的颜色与其「预警提示」相同。")
    # items with places of their own (kaohe.toml's rank_green / rank_yellow for the item)
    own: dict[tuple[int, int], list[str]] = {}
    for r in indicators:
        t = getattr(r, "rank_thresholds", None)
        if r.kind == "scored" and r.rule == "rank" and t and tuple(t) != (g, y) and not r.not_assessed:
            own.setdefault(tuple(t), []).append(str(r.shown_no or f"「{r.name}」"))
    for (g2, y2), nos in own.items():
        def places(a: int, b: int) -> str:
            return f"第{a}名" if a >= b else f"{a}-{b}名"

        text += (f"第{'、'.join(nos)}项排名{places(1, g2)}绿色，" + (f"{places(g2 + 1, y2)}黄色，" if y2 > g2 else "")
                 + f"第{y2 + 1}名及以后红色。")
    return text, g, y


def _period(month: str, quarter: str | None, year: str | None) -> tuple[str | None, str | None]:
    """('2023-Q3', '2023年第三季度') from --quarter 2023Q3, or --year 2023."""
    if quarter and year:
        raise ValueError("--quarter 和 --year 只能选一个：季度的部门考核写 --quarter 2023Q3，全年的写 --year 2023")
    if quarter:
        m = re.fullmatch(r"\s*(20\d\d)\s*[-_ ]?\s*[Qq]\s*([1-4])\s*", quarter)
        if not m:
            raise ValueError(f"季度「{quarter}」无法识别，应写成 2023Q3")
        return f"{m.group(1)}-Q{m.group(2)}", f"{m.group(1)}年第{'一二三四'[int(m.group(2)) - 1]}季度"
    if year:
        if not re.fullmatch(r"\s*20\d\d\s*", str(year)):
            raise ValueError(f"年份「{year}」无法识别，应写成 2023")
        return str(year).strip(), f"{str(year).strip()}年度"
    return None, None


def run_workspace(workspace: Path, month: str | None = None, *, quarter: str | None = None,
                  year: str | None = None, signoff: dict | None = None,
                  progress: Progress | None = None) -> RunSummary:
    from kaohe_excel.assess import department_scorecard, period_scorecard
    from kaohe_excel.assess.scorecard import months_in_period
    from kaohe_excel.units import DepartmentIndex
    from kaohe_excel.config import ConfigError, load_config
    from kaohe_excel.fsutil import OutputBusy, WorkspaceBusy, remove_stale_temps, workspace_lock
    from kaohe_excel.workspace import load_month, record_arrivals
    from kaohe_excel.write import reports as R
    from kaohe_excel.write.engine import TemplateError
    from kaohe_excel.write.signoff import RecordError, drop_stale_pdfs, note_drafts, note_drafts_coming, signed_kept

    say = progress or (lambda _msg: None)
    workspace = Path(workspace)
    try:
        config = load_config(workspace)
    except ConfigError as exc:
        return RunSummary(month, "", problems=[exc.problem], fatal=_plain(exc.problem))
    summary = RunSummary(month, config.county)
    try:
        period, period_label = _period(month or "", quarter, year)
    except ValueError as exc:
        summary.fatal = str(exc)
        return summary
    if not (workspace / "input").is_dir():  # a mistyped --workspace: say so, create no output/ there
        mi = load_month(workspace, month, config=config)
        summary.problems = list(mi.all_problems)
        summary.fatal = "无法生成报表：" + "；".join(_plain(p) for p in mi.problems if p.level == ERROR)
        return summary
    try:
        with workspace_lock(workspace):
            remove_stale_temps(workspace / "output")  # what a killed run left
            say("读取 input/ …")
            mi = load_month(workspace, month, config=config, keep_reads=True)
            config = mi.config  # the county found in the files when kaohe.toml names none
            summary.month, summary.county = mi.month, config.county
            summary.problems = list(mi.all_problems)
            if mi.fatal:
                summary.fatal = mi.fatal
                return summary
            if mi.system is None or mi.month is None or mi.folder is None:
                errs = [_plain(p) for p in mi.problems if p.level == ERROR]
                summary.fatal = "无法生成报表：" + ("；".join(errs[:3]) if errs else "input/ 中没有指标体系或月份文件夹")
                return summary
            system = mi.system
            say(f"测算 {mi.month} …")
            result, history_results = assess_loaded(mi, config)
            _merge_problems(summary.problems, result.problems)
            all_results = {**history_results, mi.month: result}

            group_size = result.indicators[0].group_size if result.indicators and result.indicators[0].group_size else (
                len(config.peers) or config.group_size)
            note, g, y = rule_note(config, group_size, result.indicators)
            demo = any("演示数据" in p.name for p in (workspace / "input").iterdir())
            common = R.common_context(system, config.county, mi.month, rule_note=note, green_max=g,
                                      yellow_max=y, signoff=signoff, demo=demo, group_label=result.group_label,
                                      peer_period=result.peer_period_label)
            trend = R.score_trend(all_results)
            names = DepartmentIndex.from_system(system, config.county).resolve  # one name a department
            if period:
                wanted = [m for m in months_in_period(period) if m in all_results]
                if not wanted:  # an empty 部门考核 for a period with nothing in it is not a report
                    have = "、".join(sorted(all_results)) or "无"
                    summary.fatal = (f"{period_label}没有任何月份的数据，无法生成该期间的部门考核（已有数据的月份："
                                     f"{have}）；请检查 --quarter / --year 后面写的期间，本次没有写入任何报表")
                    return summary
                cards = period_scorecard({m: all_results[m] for m in wanted}, period, config, names=names)
                dept_label = period_label + _months_covered(months_in_period(period), wanted)
                summary.period = f"{period_label}（{'、'.join(f'{int(m[5:])}月' for m in wanted)}）"
            else:
                cards = department_scorecard(result, config, names=names)
                dept_label = f"{mi.month[:4]}年{int(mi.month[5:])}月"
            status_rows = _status_rows(mi)
            contexts = {
                "overview": R.overview_context(system, result, mi.entries, (g, y)),
                "bulletin": R.bulletin_context(result, mi.entries, names),
                "status": R.status_context(status_rows, config.deadline_for(mi.month)),
                "scores": R.scores_context(result, trend),
                "departments": R.departments_context(
                    cards, dept_label, () if period or mi.status is None else mi.status.not_sent,
                    discipline=_discipline(mi, wanted) if period else None,
                    late=() if period or mi.status is None else mi.status.late),
                "problems": R.problems_context(summary.problems),
            }
            before = [m for m in history_results if m < mi.month]
            contexts["notice"] = R.notice_context(
                result, history_results[max(before)] if before else None, contexts["bulletin"], contexts["status"],
                contexts["scores"], notable_change=config.notable_change, names=names)
            out_dir = workspace / "output" / mi.month
            staged = []  # every report rendered before any is moved into place
            try:
                for spec in R.REPORTS:
                    say(f"生成 {spec.title} …")
                    ctx = {**common, **contexts[spec.key]}
                    name = R.report_file_name(spec, config.county, mi.month,
                                              period_label if spec.key == "departments" else None, ctx["system_title"])
                    staged.append(R.stage_report(spec, ctx, out_dir, name, workspace))
            except BaseException:
                discard_staged(staged)
                raise
            # (a run stopped part-way: its drafts still read as its own)
            done = commit_staged(staged, before_moves=lambda: note_drafts_coming(staged, signoff))
            summary.written.extend(done)
            record_arrivals(out_dir, mi)  # when each form was first seen: lateness without a 填报日期
            # names given to run do not sign a draft; a report left as it was keeps its note (a clerk's
            # edit saved meanwhile must not be taken for our draft)
            moved = moved_into_place(staged, done)
            summary.signed_kept = signed_kept(staged)
            note_drafts(moved, signoff)
            summary.stale_pdfs = drop_stale_pdfs(moved)
            if moved and not period:  # their 位次变化 and 较上月 were worked out from this month as it was
                summary.later_months = _months_with_reports(workspace, [m for m in mi.months if m > mi.month])
            if mi.status is not None:
                summary.sent, summary.not_sent, summary.late = mi.status.sent, mi.status.not_sent, mi.status.late
            counts = result.colour_counts()
            summary.colours = {k if k is not None else "none": v for k, v in counts.items()}
            summary.total, summary.total_points = result.total, result.total_points
            summary.estimated_rank = result.estimated_rank
            summary.group_label = result.group_label
            summary.peer_period = result.peer_period_label
            summary.peers_missing = mi.peers is None
            summary.blank = list(mi.status.blank) if mi.status is not None else []
            summary.unreported = result.unreported_text()
            summary.notes = list(result.notes)
    except (WorkspaceBusy, OutputBusy) as exc:
        summary.fatal = str(exc)
        summary.busy = isinstance(exc, WorkspaceBusy)
    except RecordError as exc:  # 签发记录.json unreadable: never write over what may be signed
        summary.fatal = exc.problem.message
    except TemplateError as exc:
        summary.fatal = f"报表模板有误，本次没有写入任何报表，请修改模板后重试：{exc}"
    except OSError as exc:  # output/ read-only, a full disk: said plainly (an input never raises here)
        summary.fatal = cannot_write_message(exc)
    return summary


def _months_covered(period_months: list[str], wanted: list[str]) -> str:
    """What a 部门考核 titled 2025年度 or 第二季度 really covers when months of it are not in: （截至6月）
    in June, （1、2、4月） with March missing; nothing for a whole period."""
    if list(wanted) == list(period_months):
        return ""
    if list(wanted) == list(period_months[:len(wanted)]):
        return f"（截至{int(wanted[-1][5:])}月）"
    return f"（{'、'.join(f'{int(m[5:])}' for m in wanted)}月）"


def _discipline(mi, months: list[str]) -> dict[str, dict[str, list[str]]]:
    """Department -> {"late": months, "missing": months} over a period's months, from each month's
    报送情况 (a quarter's 部门考核 says who reported late or not at all, not only where they stand)."""
    out: dict[str, dict[str, list[str]]] = {}
    for m in months:
        got = mi if m == mi.month else mi.history.get(m)
        status = getattr(got, "status", None)
        if status is None:
            continue
        for d in status.late:
            out.setdefault(d, {"late": [], "missing": []})["late"].append(m)
        for d in status.not_sent:
            out.setdefault(d, {"late": [], "missing": []})["missing"].append(m)
    return out


def assess_loaded(mi, config):
    """The month assessed, with every earlier month assessed first (rank changes, trends)."""
    from kaohe_excel.assess import assess_month

    history_results = {}
    for m in sorted(mi.history):
        h = mi.history[m]
        if h.month is None:
            continue
        history_results[m] = assess_month(mi.system, h.entries, h.peers, config, m, history=dict(history_results))
    result = assess_month(mi.system, mi.entries, mi.peers, config, mi.month, history=history_results)
    return result, history_results


def _plain(p: Problem) -> str:
    where = p.where()
    return f"{where}：{p.message}" if where else p.message


def _merge_problems(into: list[Problem], more: list[Problem]) -> None:
    seen = {(p.file, p.sheet, p.cell, p.message) for p in into}
    for p in more:
        k = (p.file, p.sheet, p.cell, p.message)
        if k not in seen:
            seen.add(k)
            into.append(p)


def _status_rows(mi) -> list[dict]:
    rows = []
    if mi.status is None:
        return rows
    unread = _unread_files(mi)
    for d in mi.status.departments:
        status = ("未填报" if d.blank else "未报送") if not d.sent else ("逾期报送" if d.late else "已报送")
        note = []
        if not d.sent and unread.get(d.department):  # it did send something: the office chases the file, not the unit
            note.append(f"送来的「{'」「'.join(unread[d.department])}」无法读取，见校验报告")
        if d.absent:
            note.append("缺报指标：" + "、".join(str(n.shown_no or f"「{n.name}」") for n in d.absent[:12]))
        if d.basis and d.sent:
            note.append(f"按{d.basis}判断" if not d.basis.startswith("报送时间不明") else d.basis)
        rows.append({"department": d.department, "owed": len(d.owed), "reported": len(d.reported),
                     "unavailable": len(d.not_available), "status": status, "file": d.file or "",
                     "submitted_at": (d.submitted or "").replace("T", " "), "note": "；".join(note)})
    order = {"未报送": 0, "未填报": 0, "逾期报送": 1, "已报送": 2}
    rows.sort(key=lambda r: order[r["status"]])
    return rows


def _unread_files(mi) -> dict[str, list[str]]:
    """Department -> the month's files named after it that could not be read at all (encrypted, a
    web page saved as .xls, damaged): 报送情况 says they came, as the 校验报告 says why."""
    from kaohe_excel.units import DepartmentIndex

    if mi.system is None:
        return {}
    index = DepartmentIndex.from_system(mi.system, getattr(mi.config, "county", None))
    out: dict[str, list[str]] = {}
    for fr in mi.files:
        if fr.kind == "bad":
            for dept in index.all_in(Path(fr.file).stem)[:1]:
                out.setdefault(dept, []).append(Path(fr.file).name)
    return out


def summary_text(s: RunSummary) -> str:
    """What `kaohe run` prints: the month at a glance and where the reports went."""
    from kaohe_excel.assess.scoring import shown
    from kaohe_excel.write.signoff import version_of

    y, m = s.month.split("-")
    lines = [f"{s.county} {y}年{int(m)}月 报表已生成：" + (f"（部门考核按{s.period}）" if s.period else "")]
    total_depts = len(s.sent) + len(s.not_sent)
    lines.append(f"  报送：{len(s.sent)}/{total_depts} 个单位已报送"
                 + (f"，逾期 {len(s.late)} 个（{'、'.join(s.late)}）" if s.late else ""))
    if s.not_sent:
        blank = f"（其中 {'、'.join(s.blank)} 交回空表，按未填报计）" if s.blank else ""
        lines.append(f"  未报送：{'、'.join(s.not_sent)}{blank}")
    refused = next((p.message for p in s.problems if p.level == "error" and p.message.startswith(("本月的六县市数据",
                                                                                                   "六县市数据标明"))), "")
    if s.peers_missing and refused:
        lines.append(f"  六县市数据：未采用——{refused.split('；')[0]}；排名只能用月报填报的，无法估算总分位次")
    elif s.peers_missing:
        lines.append("  六县市数据：本月未找到——排名只能用月报填报的，无法计算排名、无法估算总分位次")
    elif getattr(s, "peer_period", ""):
        lines.append(f"  六县市数据：{s.peer_period}（排名按该数据期计算，各报表排名旁已注明）")
    c = s.colours
    from kaohe_excel.assess.results import other_counts_text

    others = other_counts_text(c)  # (the counts as the summary keeps them)
    lines.append(f"  预警：红 {c.get('red', 0)} 项，黄 {c.get('yellow', 0)} 项，绿 {c.get('green', 0)} 项，"
                 f"无数据 {c.get('none', 0)} 项{others}")
    if s.total is not None:
        est = f"，预计{s.group_label}第 {s.estimated_rank} 位" if s.estimated_rank else ""
        lines.append(f"  测算得分：{shown(s.total)} / {shown(s.total_points)}{est}")
        if s.unreported:
            lines.append(f"  另：{s.unreported}")
    for n in s.notes:
        lines.append(f"  说明：{n}")
    errors = s.errors
    warnings = len(s.problems) - errors
    lines.append(f"  校验：错误 {errors} 个，提示 {warnings} 个（详见校验报告）")
    lines.append("  已写入：")
    for p in s.written:
        # a signed report is never replaced: say why this one is a 第N版, or why none was written
        why = ""
        if p in s.signed_kept:
            why = "（已签发；本次数据未变，沿用已签发的版本，未另存新版）"
        elif version_of(p)[1] > 1:
            why = "（同名通报已签发或已在 Word 中修改，未覆盖，另存为新版）" if str(p).endswith(".docx") \
                else "（同名报表已签发，未覆盖，另存为新版）"
        lines.append(f"    {p}{why}")
    if s.stale_pdfs:
        lines.append(f"  {stale_pdf_line(s.stale_pdfs)}")
    if s.later_months:
        shown = "、".join(f"{int(m[:4])}年{int(m[5:])}月" for m in s.later_months)
        lines.append(f"  另：{shown}已有报表，其中的位次变化、较上月等是按本月更新前的数据算的；"
                     f"需要时请再运行这些月份（kaohe watch 会自动重算）")
    return "\n".join(lines)


def _months_with_reports(workspace: Path, months: list[str]) -> list[str]:
    """Of `months`, those whose output folder holds reports."""
    from kaohe_excel.flows.pdf import month_reports

    return [m for m in months if month_reports(Path(workspace) / "output" / m)]


def stale_pdf_line(pdfs: list[Path]) -> str:
    """The PDFs removed because their reports were written anew (both views' summaries)."""
    shown = "、".join(p.name for p in pdfs[:3]) + (f" 等 {len(pdfs)} 个" if len(pdfs) > 3 else "")
    return f"报表已更新，按旧报表转出的 PDF 已删除：{shown}；需要时运行 kaohe pdf 重新生成"
