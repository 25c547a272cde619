"""A month's submissions settled: which file of a department counts, whose figure counts
when two departments report one indicator (the one conflict rule), who has reported, who is
late, and whether the month is ready to report on.

Everything here takes what read/ made (Submission, Entry, the MonthInput record) and decides;
nothing here opens a file."""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from kaohe_excel.config import Config
from kaohe_excel.model import (DepartmentStatus, Entry, IndicatorSystem, MonthInput, Submission, SubmissionStatus,
                               item_label)
from kaohe_excel.problems import ERROR, WARNING, Problem
from kaohe_excel.units import DepartmentIndex, same_unit

CONFLICT_RULE_WORDS = {"lead": "牵头单位", "latest": "较新文件", "first": "责任单位中排第一的"}


def pick_department(config, departments: list[str], lead: list[str], no: int | None = None,
                    name: str = "", newest: str | None = None) -> str | None:
    """Whose value to use when several departments reported one indicator (kaohe.toml
    [conflict] rule, or an indicator's own `department`).

    `departments`: the reporting departments in the order of the system's 责任单位;
    `lead`: the system's lead units; `newest`: the department whose file is newest."""
    if not departments:
        return None
    chosen = config.rules_for(no, name).department
    if chosen:
        key = "".join(chosen.split())
        for d in departments:
            dk = "".join(d.split())
            if key in dk or dk in key:
                return d
    if config.conflict_rule == "lead":
        leads = [d for d in departments if any(same_unit(d, u) for u in lead)]
        if len(leads) == 1:
            return leads[0]
        return newest if newest in (leads or departments) else (leads or departments)[0]
    if config.conflict_rule == "latest" and newest:
        return newest
    return departments[0]


@dataclass
class Settled:
    """Which entry counts for each indicator, and what was said about it."""

    entries: dict[int, Entry] = field(default_factory=dict)  # Indicator.key -> the entry used
    problems: list[Problem] = field(default_factory=list)  # conflicts between departments
    decisions: list[str] = field(default_factory=list)
    # a figure reported by a unit the system does not make responsible: (entry, warning)
    not_owner: list[tuple[Entry, Problem]] = field(default_factory=list)


def settle_entries(system: IndicatorSystem | None, entries: list[Entry], config, *,
                   when: Callable[[Entry], tuple] | None = None) -> Settled:
    """The one conflict rule. Entries are grouped by the indicator they were matched to; where
    several departments sent a row, only rows that say something (a figure, a rank, words)
    take part — a department handing in the whole 一览表 with other units' rows blank is no
    conflict — and the rule picks one; differing figures are an error naming every cell.
    `when(entry)`: how new the entry's file is (the `latest` rule and ties)."""
    out = Settled()
    groups: dict[int, list[Entry]] = {}
    for e in entries:
        if e.key is not None:
            groups.setdefault(e.key, []).append(e)
    if system is None:
        out.entries = {no: es[0] for no, es in groups.items()}
        return out
    depts = DepartmentIndex.from_system(system, config.county)
    inds = system.by_key()
    for no, group in sorted(groups.items()):
        ind = inds.get(no)
        owners = depts.of_indicator(ind) if ind else []
        saying = [e for e in group if e.has_report]
        if len(group) == 1 or len(saying) == 1:
            e = saying[0] if saying else group[0]
            out.entries[no] = e
            if ind is not None and owners and e.department and e.department not in owners and e.has_report:
                out.not_owner.append(_not_owner(e, ind, owners, f"却由{e.department}填报；已采用该数值，请核实"))
            continue
        group = saying or group
        order = {d: i for i, d in enumerate(owners)}
        group.sort(key=lambda e: order.get(e.department, len(order)))
        newest = max(group, key=when) if when is not None else None
        chosen_dept = pick_department(config, [e.department for e in group],
                                      depts.leads(ind, first_is_lead=True) if ind else [], no.no, ind.name if ind else "",
                                      newest.department if newest is not None else None)
        chosen = next((e for e in group if e.department == chosen_dept), group[0])
        out.entries[no] = chosen
        if ind is not None and owners:  # a unit that is not responsible also reported: said, its row not used
            for e in group:
                if e is not chosen and e.department and e.department not in owners and e.has_report:
                    out.not_owner.append(_not_owner(e, ind, owners, f"{e.department}也填报了该项；采用{chosen.department}"
                                                                    f"的数值，请{e.department}不再填报此项"))
        if _differ(group):
            parts = "；".join(f"{e.department}在「{e.file}」工作表「{e.sheet}」{e.cell} 单元格填 {e.actual_raw or '（空）'}"
                             + (f"、排名 {e.rank_raw}" if e.rank_raw else "") for e in group)
            rule = CONFLICT_RULE_WORDS.get(config.conflict_rule, config.conflict_rule)
            msg = (f"{item_label(no, ind.name if ind else chosen.name)}有两个单位报送了不同数值：{parts}。"
                   f"按冲突规则（{rule}）采用{chosen.department}的数值，请两单位核对一致")
            out.problems.append(Problem(chosen.file, chosen.sheet, chosen.cell or None, ERROR, msg))
            out.decisions.append(msg)
    return out


def _not_owner(e: Entry, ind, owners: list[str], said: str) -> tuple[Entry, Problem]:
    """A figure from a unit the system does not make responsible for the item, with what was done."""
    return e, Problem(e.file, e.sheet, e.cell or None, WARNING,
                      f"{item_label(ind.key, ind.name)}的责任单位是{'、'.join(owners)}，{said}")


def _differ(group: list[Entry]) -> bool:
    """Do the rows say different things? Two figures that are not the same number (8.0% and ８．０
    are), or two ranks that are not the same place; a rank one row gives and another leaves out,
    or words beside a figure, is no conflict."""
    figures = {round(e.actual, 9) for e in group if e.actual is not None}
    ranks = {e.rank for e in group if e.rank is not None}
    return len(figures) > 1 or len(ranks) > 1


_CORRECTED = re.compile(r"更正|修正|修改版|正式版|最终版|终稿")


def _corrected(file: str) -> bool:
    """A file its name marks as the corrected one (…（更正）.xlsx, …修改版.xlsx)."""
    return bool(_CORRECTED.search(Path(file or "").stem))


def settle_month(mi: MonthInput, subs: list[Submission]) -> None:
    """Duplicates first (a department's newer file wins), then conflicts between departments
    (settle_entries); the outcome is recorded on `mi`."""
    by_dept: dict[str, list[Submission]] = {}
    used: list[Submission] = []
    for s in subs:
        if s.department is None:
            used.append(s)
        else:
            by_dept.setdefault(s.department, []).append(s)
    for dept, group in by_dept.items():
        if len(group) == 1:
            used.append(group[0])
            continue
        # (a corrected copy, 「…（更正）」, wins a tie on 填报日期 whatever its file time: copied from
        # mail, a file keeps an old one)
        group.sort(key=lambda s: (s.filled_date or "", _corrected(s.file), s.mtime or 0.0))
        newest = group[-1]
        used.append(newest)
        olders = group[:-1]
        # a department's files on different items (one per group of its indicators) are each its report;
        # a file whose items a newer one also gives is an older copy; one a newer file gives some of its
        # items again (a 更正 of one item) is still its report for the others, item by item
        covered = {e.key for e in newest.entries if e.key is not None and e.has_report}
        taken = set()
        for old in reversed(olders):
            said = {e.key for e in old.entries if e.key is not None and e.has_report}
            if said and not said <= covered:
                again = said & covered
                used.append(old if not again else _without(old, again))
                taken.add(id(old))
                covered |= said
                if again:
                    _said_partly(mi, dept, newest, old, again, _why(newest, [old]))
        olders = [o for o in olders if id(o) not in taken]
        if not olders:
            continue
        why = _why(newest, olders)
        for old in olders:
            mi.superseded.append(old)
            _two_files(mi, dept, newest, old, f"采用「{newest.file}」（{why}），「{old.file}」未采用")
            for fr in mi.files:
                if old in fr.submissions and not any(s in used for s in fr.submissions):
                    fr.used, fr.note = False, f"被较新的「{newest.file}」取代（{why}）"
    used.sort(key=lambda s: (s.file, s.sheet))
    mi.submissions = used
    sub_of = {id(e): s for s in used for e in s.entries}
    settled = settle_entries(mi.system, [e for s in used for e in s.entries], mi.config,
                             when=lambda e: (sub_of[id(e)].filled_date or "", sub_of[id(e)].mtime or 0.0))
    mi.entries.update(settled.entries)
    for e, p in settled.not_owner:
        sub_of[id(e)].problems.append(p)
    mi.problems.extend(settled.problems)
    mi.decisions.extend(settled.decisions)


def _why(newest: Submission, olders: list[Submission]) -> str:
    """Why the newest of a department's files is taken over the older ones."""
    same_date = all(o.filled_date and o.filled_date == newest.filled_date for o in olders)
    return ("填报日期较新" if newest.filled_date and not same_date and all(
        (o.filled_date or "") < newest.filled_date for o in olders)
            else "是更正后的文件" if _corrected(newest.file) and not any(_corrected(o.file) for o in olders)
            else "文件修改时间较新")


def _without(old: Submission, keys: set) -> Submission:
    """An older file of a department with the items a newer one gives again left out: the rest is
    still its report (its problems, sign-off and date are the file's)."""
    return replace(old, entries=[e for e in old.entries if e.key is None or e.key not in keys])


def _said_partly(mi: MonthInput, dept: str, newest: Submission, old: Submission, again: set, why: str) -> None:
    nos = "、".join(k.said for k in sorted(again, key=lambda k: (k.no is None, k.no or 0, k.repeat, k.name)))
    _two_files(mi, dept, newest, old, f"两份都填报的{nos}采用「{newest.file}」（{why}），「{old.file}」的其余各项照常采用")
    for fr in mi.files:
        if old in fr.submissions:
            fr.note = f"{nos}以较新的「{newest.file}」为准（{why}），其余各项已采用"


def _two_files(mi: MonthInput, dept: str, newest: Submission, old: Submission, outcome: str) -> None:
    """Said once, at the older file, and kept among the month's decisions: which two files, and what
    was taken from which."""
    w_new, basis_new = _when(newest)
    w_old, basis_old = _when(old)
    msg = (f"{dept}本月报送了两份月报：「{newest.file}」（{basis_new} {w_new}）和「{old.file}」（{basis_old} {w_old}）；"
           f"{outcome}")
    mi.problems.append(Problem(old.file, old.sheet, None, WARNING, msg))
    mi.decisions.append(msg)


def readiness(mi: MonthInput, month: str) -> None:
    """A month that is not ready says so (a problem, so the exit code is 1): no peer data,
    or most units not reported, and what that costs."""
    label = f"{int(month[:4])}年{int(month[5:])}月"
    if mi.peers is None and mi.system is not None:
        mi.problems.append(Problem(mi.folder_shown(month), None, None, WARNING,
                                   f"{label}没有六县市数据：无法按六县市数据计算排名和红黄绿预警（只能用月报填报的排名），"
                                   f"无法估算总分位次；请把市里发布的六县市数据放进 {mi.folder_shown(month)}/"))
    st = mi.status
    if st is None:
        return
    owed = len(st.sent) + len(st.not_sent)
    if owed and len(st.not_sent) * 2 > owed:
        blank = f"（其中交回空表 {len(st.blank)} 个：{'、'.join(st.blank)}）" if st.blank else ""
        mi.problems.append(Problem(mi.folder_shown(month), None, None, WARNING,
                                   f"{label}应报 {owed} 个单位，{len(st.not_sent)} 个未报送{blank}："
                                   f"{'、'.join(st.not_sent)}；这些单位的指标本月为无数据，报表尚不完整"))
    elif st.blank:
        mi.problems.append(Problem(mi.folder_shown(month), None, None, WARNING,
                                   f"{'、'.join(st.blank)} 交回的月报是空表（一项也没有填写），按未填报统计"))


def _says_something(s: Submission) -> bool:
    """A returned form with anything filled in (not a blank one sent back)."""
    return any((e.actual_raw or "").strip() or (e.rank_raw or "").strip() or e.issues_text or e.next_steps
               for e in s.entries)


def _order(s: Submission) -> tuple:
    """Which of a department's files came first: by 填报日期 where written, else by file time."""
    when = _when(s)[0]
    return (when == "", when)


def _when(s: Submission) -> tuple[str, str]:
    """(ISO date or datetime, basis) used to order files and judge lateness."""
    if s.filled_date:
        return s.filled_date, "填报日期"
    if s.mtime:
        return _dt.datetime.fromtimestamp(s.mtime).isoformat(timespec="minutes"), "文件修改时间"
    return "", "无"


def arrival(s: Submission, deadline: _dt.date | None, arrivals: dict,
             today: _dt.date) -> tuple[str | None, str | None, bool]:
    """(when, basis, late) for a returned form. Its 填报日期 when filled; else when a run
    first saw it (late only if a run after the deadline did not yet find it); else the file's
    time, said to be 推定 — and never late for a file put in today (copying is not reporting)."""
    if s.filled_date:
        when = s.filled_date
        return when, "填报日期", bool(deadline) and _dt.date.fromisoformat(when[:10]) > deadline
    seen = (arrivals.get("files") or {}).get(s.file)
    # the runs made after the deadline: one that did not find the file proves it came later
    past = [r for r in arrivals.get("runs") or [] if _dt.date.fromisoformat(r[:10]) > deadline] if deadline else []
    first = None
    if isinstance(seen, dict) and seen.get("first_seen"):
        first = seen["first_seen"]
        if deadline is None or _dt.date.fromisoformat(first[:10]) <= deadline:
            return first[:16], "首次读取时间", False
        if any(r < first for r in past):  # a run after the deadline did not find it yet: it came late
            return first[:16], "首次读取时间", True
    elif s.mtime:
        # never seen, written after a run past the deadline that did not find it: it came after that run,
        # late (this run is the first to see it; the next says the same by its first_seen). A file only
        # renamed since keeps its old time and is judged below.
        written = _dt.datetime.fromtimestamp(s.mtime).isoformat(timespec="microseconds")
        if any(r < written for r in past):
            return today.isoformat(), "首次读取时间", True
    if s.mtime:
        when = _dt.datetime.fromtimestamp(s.mtime)
        # put in (copied) the day a run first saw it, or today: that day says nothing about reporting
        put_in = when.date() >= today or (first is not None and when.date() >= _dt.date.fromisoformat(first[:10]))
        if put_in and deadline is not None and when.date() > deadline:
            return when.isoformat(timespec="minutes"), "报送时间不明（文件是截止后放入的）", False
        late = deadline is not None and when.date() > deadline
        return when.isoformat(timespec="minutes"), "文件修改时间（推定）", late
    return None, None, False


def submission_status(system: IndicatorSystem | None, submissions: list[Submission], month: str | None,
                      config=None, *, superseded: list[Submission] | None = None, arrivals: dict | None = None,
                      today: _dt.date | None = None) -> SubmissionStatus:
    """报送情况: who owes indicators, who sent, who did not, who was late, and the counts."""
    config = config or Config()
    kinds = {i.key: i.kind for i in system.indicators} if system is not None else {}
    deadline = None
    if month:
        try:
            deadline = config.deadline_for(month)
        except Exception:
            deadline = None
    st = SubmissionStatus(month=month, deadline=deadline.isoformat() if deadline else None)
    depts = DepartmentIndex.from_system(system, getattr(config, "county", None))
    owed: dict[str, list[int]] = {}
    if system is not None:
        for ind in system.indicators:
            units = depts.of_indicator(ind) if getattr(config, "include_support", False) else depts.leads(ind)
            for d in units:
                owed.setdefault(d, [])
                owed[d].append(ind.key)
    by_dept: dict[str, list[Submission]] = {}  # (a department's files on different items: each counts)
    for s in submissions:
        if s.department:
            by_dept.setdefault(s.department, []).append(s)
    earlier: dict[str, list[Submission]] = {}  # the older copies a correction replaced
    for s in superseded or []:
        if s.department:
            earlier.setdefault(s.department, []).append(s)
    for d in list(owed) + [d for d in by_dept if d not in owed]:
        ds = DepartmentStatus(department=d, owed=owed.get(d, []))
        subs = by_dept.get(d)
        if subs:
            ds.sent, ds.file = True, "、".join(dict.fromkeys(x.file for x in subs))
            # when it reported: its first file that says something; a correction sent after the
            # deadline replaces figures, it does not make a report that came in time late
            first = min([x for x in subs + earlier.get(d, []) if _says_something(x)] or subs, key=_order)
            ds.submitted, ds.basis, ds.late = arrival(first, deadline, arrivals or {}, today or _dt.date.today())
            entries = [e for x in subs for e in x.entries]
            present = {e.key: e for e in entries if e.key is not None}
            if not any(_says_something(x) for x in subs):
                ds.sent, ds.blank, ds.late = False, True, False  # the form came back empty: not reported
            for no in ds.owed:
                e = present.get(no)
                if e is None:
                    ds.absent.append(no)
                elif e.reports_as(kinds.get(no)):
                    ds.reported.append(no)
                else:
                    ds.not_available.append(no)
        st.departments.append(ds)
        if d not in owed:
            st.extra.append(d)
        elif ds.sent:
            st.sent.append(d)
            if ds.late:
                st.late.append(d)
        else:
            st.not_sent.append(d)
            if ds.blank:
                st.blank.append(d)
    if system is not None:
        st.indicators_total = len(system.indicators)
        got: dict[int, str] = {}
        for s in submissions:
            for e in s.entries:
                if e.key is None:
                    continue
                if e.reports_as(kinds.get(e.key)):
                    got[e.key] = "reported"
                else:
                    got.setdefault(e.key, "na")
        nos = [i.key for i in system.indicators if i.key is not None]
        st.reported = sum(1 for n in nos if got.get(n) == "reported")
        st.not_available = sum(1 for n in nos if got.get(n) == "na")
        st.not_reported = len(system.indicators) - st.reported - st.not_available
    return st
