"""`kaohe forms`: next month's fill-in forms, one per department, and their list.

    write_forms(workspace, month=None) -> FormsSummary

The form month is the month after the latest month folder in input/ (or `month`).
The values prefilled come from the latest month before it that input/ holds (the
source month): last year's result (位次) and this year's target from the departments'
sheets (earlier months fill gaps), last month's value, rank and colour as a reference
column. Without any earlier month the forms carry the indicator system's content only.

Who gets a form: the departments the 报送情况 report expects a sheet from, i.e. the lead
units of every indicator, and the participating units too when kaohe.toml sets
[rewards] include_support = true (their participating indicators are marked （参与）).

Forms are written to output/填报表/YYYY-MM/ all or none (each staged, then moved), overwriting
earlier forms of that month; input/ is only read. The workspace lock is held
throughout, so a form run and `kaohe run` never interleave.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from kaohe_excel.fsutil import cannot_write_message, commit_staged, discard_staged
from kaohe_excel.problems import ERROR, Problem


@dataclass
class FormsSummary:
    month: str | None  # the form month 'YYYY-MM'
    county: str = ""
    source_month: str | None = None  # where the prefilled values come from
    deadline: str | None = None  # ISO date
    out_dir: Path | None = None
    written: list[Path] = field(default_factory=list)  # the forms, then the list
    departments: list[tuple[str, list]] = field(default_factory=list)  # (department, indicator numbers)
    problems: list[Problem] = field(default_factory=list)  # about the source month's inputs (not fatal)
    fatal: str | None = None  # nothing could be written, and why


def _system_year(system) -> int | None:
    m = re.search(r"(20[0-9]{2})", (system.title or "") + " " + system.file) if system is not None else None
    return int(m.group(1)) if m else None


def assignments_for(system, config) -> list:
    """Department -> indicators it reports, departments in order of first appearance."""
    from kaohe_excel.units import DepartmentIndex
    from kaohe_excel.write.forms import LEAD, SUPPORT, Assignment

    depts = DepartmentIndex.from_system(system, config.county)
    out: dict[str, Assignment] = {}
    for ind in system.indicators:
        leads = depts.leads(ind)
        units = depts.of_indicator(ind) if config.include_support else leads
        for d in units:
            a = out.setdefault(d, Assignment(d))
            if all(i is not ind for i, _r in a.indicators):
                a.indicators.append((ind, LEAD if d in leads else SUPPORT))
    return list(out.values())


def _previous(mi, result) -> dict:
    """Indicator key -> Previous, from one loaded month (and its assessment, if any)."""
    from kaohe_excel.write.forms import Previous

    out = {}
    if mi is None or mi.system is None or mi.month is None:
        return out
    by_key = result.by_key() if result is not None else {}
    for ind in mi.system.indicators:
        key = ind.key
        e = mi.entries.get(ind.key)
        r = by_key.get(key)
        # the figure every report of that month shows (the peer data's where it won), else as written
        shown = r.display if r is not None and r.display and not r.not_assessed else ""
        out[key] = Previous(
            month=mi.month,
            actual_raw=shown or (e.actual_raw if e else "") or (r.actual_raw if r else "") or "",
            rank=r.rank if r is not None else (e.rank if e else None),
            colour_label=r.colour_label if r is not None else "",
            reported=e is not None,
            last_year_raw=(e.last_year_raw if e else "") or "",
            last_year_rank=e.last_year_rank if e else None,
            target_raw=(e.target_raw if e else "") or "")
    return out


def write_forms(workspace: Path, month: str | None = None) -> FormsSummary:
    """Write next month's forms into output/填报表/YYYY-MM/ (see the module doc)."""
    from kaohe_excel.assess import assess_month
    from kaohe_excel.assess.warnings import rank_thresholds
    from kaohe_excel.assess.results import cn_number, group_label
    from kaohe_excel.write.reports import set_by
    from kaohe_excel.config import ConfigError, load_config
    from kaohe_excel.fsutil import OutputBusy, WorkspaceBusy, remove_stale_temps, workspace_lock
    from kaohe_excel.read.month_files import normalize_month
    from kaohe_excel.model import unit_points
    from kaohe_excel.workspace import load_month
    from kaohe_excel.write import forms as F
    from kaohe_excel.write.engine import Template, TemplateError
    from kaohe_excel.write.reports import template_path

    workspace = Path(workspace)
    try:
        config = load_config(workspace)
    except ConfigError as exc:
        return FormsSummary(month, problems=[exc.problem], fatal=f"{exc.problem.where()}：{exc.problem.message}")
    summary = FormsSummary(month, config.county)
    if not (workspace / "input").is_dir():  # a mistyped --workspace: say so, create no output/ there
        errs = [f"{p.where()}：{p.message}" if p.where() else p.message
                for p in load_month(workspace, None, config=config).problems if p.level == ERROR]
        summary.fatal = "无法生成填报表：" + "；".join(errs[:3])
        return summary
    try:
        with workspace_lock(workspace):
            remove_stale_temps(workspace / "output")  # what a killed run left
            latest = load_month(workspace, None, config=config)
            if latest.fatal:  # whom we serve is not certain: no forms named after a guess
                summary.fatal = latest.fatal
                return summary
            system = latest.system
            if system is None:
                errs = [f"{p.where()}：{p.message}" for p in latest.problems if p.level == ERROR]
                summary.fatal = "无法生成填报表：" + ("；".join(errs[:3]) if errs else "input/ 中没有指标体系（任务分工表）")
                return summary
            config = latest.config.for_system(system.title, system.file)  # with the county found in the files
            summary.county = config.county
            if month is not None:
                target = normalize_month(month, _system_year(system) or (int(latest.months[-1][:4]) if latest.months else None))
                if target is None:
                    summary.fatal = f"月份「{month}」无法识别，应写成 2023-09 或 2023年9月"
                    return summary
            elif latest.month is not None:
                target = F.next_month(latest.month)
            else:
                summary.fatal = ("input/ 下没有月份文件夹，无法确定下个月；请用 --month 指定要生成哪个月的填报表，"
                                 "如 kaohe forms --month 2023-09")
                return summary
            summary.month = target
            earlier_months = [m for m in latest.months if m < target]
            source = None
            if earlier_months:
                src = earlier_months[-1]
                source = latest if src == latest.month else load_month(workspace, src, config=config)
                summary.source_month = src
                summary.problems = list(source.all_problems)
            # last month's ranks and colours (a reference only: never stops the forms)
            previous, earlier = {}, {}
            n_peers = len(config.peers) or (len(source.peers.counties) if source and source.peers else 0) or config.group_size
            result = None
            if source is not None:
                try:
                    result = assess_month(system, source.entries, source.peers, config, source.month, history={})
                    if result.indicators and result.indicators[0].group_size:
                        n_peers = result.indicators[0].group_size
                except Exception as exc:  # noqa: BLE001 - the hint column is a bonus
                    summary.problems.append(Problem(source.month, None, None, "warning",
                                                    f"测算 {source.month} 的排名时出错（{type(exc).__name__}），"
                                                    "填报表的“上月情况”只列月报数值"))
                previous = _previous(source, result)
                for m in sorted(source.history, reverse=True):
                    for key, p in _previous(source.history[m], None).items():
                        earlier.setdefault(key, []).append(p)
            green_max, yellow_max = rank_thresholds(n_peers, config.rules.rank_green, config.rules.rank_yellow)
            # the compared group in the 一览表's words (四区排名), not 六县市 whoever is compared
            named = tuple(config.peers or (source.peers.counties if source is not None and source.peers else ()))
            compared = (result.group_label if result is not None and result.group_label
                        else group_label(named) if len(named) == n_peers else f"{cn_number(n_peers)}县市")
            deadline = config.deadline_for(target)
            summary.deadline = deadline.isoformat()
            assignments = assignments_for(system, config)
            overrides = {}
            groups = system.point_groups()
            for ind in system.indicators:
                over = config.override_for(ind.no, ind.name)
                head, share = groups[id(ind)]
                if share > 1 and "points" not in over:  # one points cell over several rows: each row's share,
                    p, _out = unit_points(ind, config.county, share, head)  # as 得分测算 counts it
                    over = {**over, "points": float(p) if p is not None else None}
                if over:
                    overrides[ind.key] = over
            demo = any("演示数据" in p.name for p in (workspace / "input").iterdir())
            out_dir = workspace / "output" / "填报表" / target
            summary.out_dir = out_dir
            tpl = Template(template_path(F.FORM_TEMPLATE, workspace))
            staged: list[tuple[Path, Path]] = []  # every form rendered before any is moved into place
            try:
                for a in assignments:
                    ctx = F.form_context(a, system=system, county=config.county, month=target, deadline=deadline,
                                         n_peers=n_peers, green_max=green_max, yellow_max=yellow_max,
                                         warning_rule=config.rules.warning, previous=previous, earlier=earlier,
                                         overrides=overrides, demo=demo, own_rules=_own_rules(config, a),
                                         group_label=compared, target_label=set_by(system.title, config.county))
                    staged.append(_stage(tpl, ctx, out_dir / ctx["dept"]["file"]))
                    summary.departments.append((a.department, [i.key.shown_no or i.name
                                                               for i, _r in a.indicators]))
                notes = {}
                if source is not None and source.status is not None:
                    for d in source.status.departments:
                        if d.department in {a.department for a in assignments}:
                            if not d.sent:
                                notes[d.department] = f"{int(source.month[5:])}月未报送"
                            elif d.late:
                                notes[d.department] = f"{int(source.month[5:])}月逾期报送"
                lctx = F.list_context(assignments, county=config.county, month=target, deadline=deadline, overrides=overrides,
                                      deadline_month=config.deadline_month, deadline_day=config.deadline_day,
                                      source_month=summary.source_month, notes=notes, demo=demo)
                staged.append(_stage(Template(template_path(F.LIST_TEMPLATE, workspace)), lctx,
                                     out_dir / F.LIST_FILE))
            except BaseException:
                discard_staged(staged)
                raise
            summary.written.extend(commit_staged(staged))  # all forms or none
    except (WorkspaceBusy, OutputBusy) as exc:
        summary.fatal = str(exc)
    except TemplateError as exc:
        summary.fatal = f"填报表模板有误，请修改模板后重试：{exc}"
    except OSError as exc:  # output/ read-only, a full disk: said plainly
        summary.fatal = cannot_write_message(exc)
    return summary


def _own_rules(config, assignment) -> list[str]:
    """The items of a form whose warning (its rule or its places) kaohe.toml sets apart."""
    base = config.rules
    out = []
    for ind, _role in assignment.indicators:
        own = config.rules_for(ind.no, ind.name)
        if (own.warning, own.rank_green, own.rank_yellow) != (base.warning, base.rank_green, base.rank_yellow):
            out.append(f"第{ind.key.shown_no}项" if ind.key.shown_no != "" else f"「{ind.name}」")
    return out


def _stage(tpl, ctx: dict, path: Path) -> tuple[Path, Path]:
    """One form rendered into a hidden file beside where it goes: (staged, final path)."""
    from kaohe_excel.fsutil import temp_beside

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_beside(path)
    try:
        tpl.render(ctx, tmp)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp, path


def forms_summary_text(s: FormsSummary) -> str:
    y, m = s.month.split("-")
    lines = [f"{s.county} {y}年{int(m)}月 填报表已生成：{len(s.departments)} 个单位"]
    if s.deadline:
        d = s.deadline.split("-")
        lines.append(f"  报送截止：{d[0]}年{int(d[1])}月{int(d[2])}日")
    if s.source_month:
        sy, sm = s.source_month.split("-")
        lines.append(f"  预填数据取自：{sy}年{int(sm)}月（上年完成情况、县定目标、上月情况）")
    else:
        lines.append("  input/ 中没有更早月份的数据，只预填了指标体系中的内容")
    lines.append(f"  已写入：{s.out_dir}")
    for p in s.written:
        lines.append(f"    {p.name}")
    return "\n".join(lines)


__all__ = ["FormsSummary", "write_forms", "assignments_for", "forms_summary_text"]
