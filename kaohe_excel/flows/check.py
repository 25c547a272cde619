"""`kaohe check`: what was read from a month's files, every problem, and who has reported.

    check_report(month_input) -> str   Chinese text for the terminal
    check_json(month_input) -> dict    the same as one JSON object
"""

from __future__ import annotations

from kaohe_excel.model import Entry, items_said
from kaohe_excel.problems import ERROR, WARNING
from kaohe_excel.model import MonthInput
from kaohe_excel.text import peer_data_word


def _label(month: str | None) -> str:
    if not month:
        return "（未知月份）"
    y, m = month.split("-")
    return f"{y}年{int(m)}月"




def _fmt(x) -> str:
    if x is None:
        return "—"
    if isinstance(x, float) and x.is_integer():
        return str(int(x))
    return f"{x:.10g}" if isinstance(x, float) else str(x)


def _sub_line(s) -> str:

    filled = sum(1 for e in s.entries if e.has_report)
    parts = [f"责任单位 {s.department or '（未能确定）'}", f"月份 {_label(s.month)}",
             f"指标 {len(s.entries)} 行（已填 {filled} 行）"]
    if s.filled_date:
        parts.append(f"填报日期 {s.filled_date}")
    return f"工作表「{s.sheet}」：" + "，".join(parts)


def _units_lines(mi: MonthInput) -> list[str]:
    """The view from above: which units the month's data has, and which sent their own report."""
    from kaohe_excel.assess import peer_units

    if mi.peers is None:
        return ["  （本月没有各单位的数据：既没有汇总表，也没有可用的单位报表）"]
    from kaohe_excel.flows.evaluate import absent_line, absent_units

    units = peer_units(mi.peers, mi.system)
    own = sorted({s.department for s in mi.submissions if s.department})
    lines = [f"  参评单位 {len(units)} 个：{'、'.join(units)}"]
    if own:
        lines.append(f"  报送了本单位报表的 {len(own)} 个：{'、'.join(own)}")
    absent = [u for u, _ in absent_units(units, {}, list(mi.system.units if mi.system else []))] + mi.peers.sent_nothing()
    if absent:
        lines.append(f"  {absent_line(absent)}")
    return lines


def checked_problems(mi: MonthInput) -> list:
    """What the files say plus what only the assessment finds in the month's files (a
    county missing from the peer sheet, a reported rank the peer sheet contradicts), as
    `kaohe run` puts them in its 校验报告."""
    from kaohe_excel.flows.run import _merge_problems, assess_loaded

    problems = list(mi.all_problems)
    if mi.system is not None and mi.month is not None and mi.folder is not None and not mi.fatal:
        try:
            if mi.all_units:  # the view from above: every unit's assessment of the month, as run --all-units
                from kaohe_excel.flows.evaluate import assess_month_units

                # (earlier months give rank changes and trends, never a problem of this month's)
                per = assess_month_units(mi, mi.system, mi.config, mi.month) if mi.peers else {}
                results = list(per.values())
                if mi.peers is not None:  # (check reads no earlier month: the system's units only)
                    from kaohe_excel.flows.evaluate import units_said

                    # the units assessed, as run names them (never the city's own column, or a total)
                    problems.extend(units_said({mi.month: per}, mi.month, list(mi.system.units),
                                               earlier_read=not any(m < mi.month for m in mi.months))[1])
            else:
                results = [assess_loaded(mi, mi.config)[0]]
        except Exception:  # noqa: BLE001 - the read problems still stand; run reports the failure
            return problems
        # the same problems as run and assess (what is only a hint, such as a direction
        # read from a name, is a note there and here, not a problem)
        for result in results:
            _merge_problems(problems, result.problems)
            mi.decisions.extend(n for n in result.notes if n not in mi.decisions)
    return problems


def check_report(mi: MonthInput, problems: list | None = None) -> str:
    L: list[str] = []
    L.append(f"月报校验：{_label(mi.month)}（工作区 {mi.workspace}）")
    if mi.system is not None:
        L.append(f"指标体系：{mi.system.file}（工作表「{mi.system.sheet}」，{len(mi.system.indicators)} 项指标）")
    else:
        L.append("指标体系：未找到")
    if mi.peers is not None and mi.peers.sources:
        L.append(f"各单位数据：{len(mi.peers.sources)} 个单位报送的本单位报表（见下面读取的文件），{len(mi.peers.rows)} 项指标")
    elif mi.peers is not None:
        from kaohe_excel.assess import peer_units

        units = peer_units(mi.peers, mi.system)
        others = [c for c in mi.peers.counties if c not in units]
        aside = f"（另有{'、'.join(f'「{c}」' for c in others)}列不参与比较）" if others else ""
        word, unit = peer_data_word(mi.all_units), "单位" if mi.all_units else "县市"
        L.append(f"{word}：{mi.peers.file}（工作表「{mi.peers.sheet}」，{len(units)} 个{unit}{aside}，"
                 f"{len(mi.peers.rows)} 项指标）")
    else:
        L.append(f"{peer_data_word(mi.all_units)}：本月未找到")
    if mi.months:
        L.append(f"已有月份：{'、'.join(mi.months)}")

    month_files = [f for f in mi.files if f.kind != "system"]
    L.append("")
    L.append(f"一、读取的文件（{len(month_files)} 个）")
    if not month_files:
        L.append("  （没有文件）")
    for i, fr in enumerate(month_files, 1):
        if fr.kind == "submission":
            head = f"  {i}. {fr.file}"
            if not fr.used:
                head += f"（未采用：{fr.note}）"
            L.append(head)
            for s in fr.submissions:
                L.append(f"     {_sub_line(s)}")
        elif fr.kind == "peers":
            L.append(f"  {i}. {fr.file} — {peer_data_word(mi.all_units)}" + ("" if fr.used else f"（未采用：{fr.note}）"))
        elif fr.kind == "bad":
            L.append(f"  {i}. {fr.file} — 无法使用（原因见下方问题）")
        else:
            L.append(f"  {i}. {fr.file} — 已跳过" + (f"：{fr.note}" if fr.note else ""))

    problems = mi.all_problems if problems is None else problems
    errors = [p for p in problems if p.level == ERROR]
    warns = [p for p in problems if p.level != ERROR]
    L.append("")
    L.append(f"二、问题（错误 {len(errors)} 个，提示 {len(warns)} 个）")
    if not problems:
        L.append("  未发现问题。")
    for p in errors + warns:
        L.append(f"  {p}")

    st = mi.status
    L.append("")
    L.append("三、报送情况")
    if mi.all_units:
        L.extend(_units_lines(mi))
    elif st is None:
        L.append("  （无法统计：没有读到月份文件夹）")
    else:
        if st.deadline:
            L.append(f"  截止日期：{st.deadline}（含当日）")
        owed = len(st.sent) + len(st.not_sent)
        L.append(f"  应报单位 {owed} 个：已报 {len(st.sent)} 个，未报 {len(st.not_sent)} 个，迟报 {len(st.late)} 个")
        by = {d.department: d for d in st.departments}
        if st.not_sent:
            L.append("  未报：" + "；".join(f"{d}（{'交回空表，' if by[d].blank else ''}应报{items_said(by[d].owed)}）"
                                          for d in st.not_sent))
        if st.late:
            L.append("  迟报：" + "；".join(f"{d}（{by[d].basis} {(by[d].submitted or '').replace('T', ' ')}，"
                                          f"截止 {st.deadline}）" for d in st.late))
        if st.extra:
            L.append("  报送了但在指标体系中没有牵头指标的单位：" + "、".join(st.extra))
        if st.indicators_total:
            L.append(f"  指标 {st.indicators_total} 项：已报数值 {st.reported} 项，暂无数据 {st.not_available} 项，"
                     f"未报 {st.not_reported} 项")
        L.append("  各单位：")
        for d in st.departments:
            if not d.owed and not d.sent:
                continue
            if d.sent:
                state = "迟报" if d.late else "已报"
                extra = f"（{d.basis} {d.submitted.replace('T', ' ')}）" if d.submitted else ""
                line = (f"    {d.department}：{state}{extra}，应报 {len(d.owed)} 项，已填 {len(d.reported)} 项")
                if d.not_available:
                    line += f"，暂无数据 {len(d.not_available)} 项（{items_said(d.not_available)}）"
                if d.absent:
                    line += f"，表中缺少{items_said(d.absent)}"
            else:
                line = (f"    {d.department}：{'交回空表（未填报）' if d.blank else '未报'}，"
                        f"应报 {len(d.owed)} 项（{items_said(d.owed)}）")
            L.append(line)
    if mi.decisions:
        L.append("")
        L.append("四、处理说明")
        for d in mi.decisions:
            L.append(f"  - {d}")
    L.append("")
    L.append("结论：" + ("有错误需要处理。" if errors else ("有提示，请核实。" if warns else "全部通过。")))
    return "\n".join(L)


def _entry_json(e: Entry, used: bool) -> dict:
    return {"no": e.no, "name": e.name, "department": e.department,
            "actual": e.actual, "actual_raw": e.actual_raw, "rank": e.rank, "rank_raw": e.rank_raw,
            "last_year": e.last_year, "last_year_raw": e.last_year_raw, "last_year_rank": e.last_year_rank,
            "target": e.target, "target_raw": e.target_raw, "warning_raw": e.warning_raw,
            "file": e.file, "sheet": e.sheet, "cell": e.cell, "rank_cell": e.rank_cell, "row": e.row,
            "used": used}


def check_json(mi: MonthInput, problems: list | None = None) -> dict:
    used_ids = {id(e) for e in mi.entries.values()}
    entries = []
    for s in mi.submissions:
        for e in s.entries:
            entries.append(_entry_json(e, id(e) in used_ids or (e.key is None)))
    problems = mi.all_problems if problems is None else problems
    files = []
    for fr in mi.files:
        files.append({"file": fr.file, "kind": fr.kind, "used": fr.used, "note": fr.note, "sheets": fr.sheets,
                      "submissions": [{"sheet": s.sheet, "department": s.department, "month": s.month,
                                       "rows": len(s.entries), "filled_date": s.filled_date,
                                       "signoff": s.signoff} for s in fr.submissions]})
    return {
        "month": mi.month,
        "workspace": str(mi.workspace),
        "months": mi.months,
        "system": None if mi.system is None else {"file": mi.system.file, "sheet": mi.system.sheet,
                                                   "title": mi.system.title,
                                                   "indicators": len(mi.system.indicators)},
        "peers": None if mi.peers is None else {
            "file": mi.peers.file, "sheet": mi.peers.sheet, "counties": mi.peers.counties,
            "rows": [{"no": r.key.no if r.key is not None else r.no, "name": r.name,
                      "direction": r.direction, "values": r.values, "raw": r.raw} for r in mi.peers.rows]},
        "files": files,
        "entries": entries,
        "problems": [p.to_dict() for p in problems],
        "errors": sum(1 for p in problems if p.level == ERROR),
        "warnings": sum(1 for p in problems if p.level == WARNING),
        "status": mi.status.to_json() if mi.status else None,
        "decisions": list(mi.decisions),
        "ok": not problems,
    }


__all__ = ["check_report", "check_json"]
