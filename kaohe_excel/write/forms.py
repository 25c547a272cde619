"""Contexts for the fill-in forms of next month (`kaohe forms`).

One form per department (templates/月报填报表.xlsx, the 附件2 指标进展情况表 of seed 001)
with the department's indicators prefilled — 序号, name, points, units, and from the
latest month read: last year's result (位次), this year's target, last month's value and
rank as a reference column — and one list of the forms (templates/填报表清单.xlsx).

Everything here works on plain values: which departments owe which indicators is
decided by the caller (kaohe_excel/flows/forms.py, with the read side's department
index), so `write` does not import `read`. Text from the indicator system and from
departments' sheets goes to the engine as str and is written as text, never a formula.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from typing import Any, Iterable

from kaohe_excel.fsutil import safe_file_part
from kaohe_excel.model import Indicator, IndicatorSystem
from kaohe_excel.text import strip_section_number
from kaohe_excel.write.reports import cn_index, points_text, tidy_number

FORM_TEMPLATE = "月报填报表.xlsx"
LIST_TEMPLATE = "填报表清单.xlsx"
LIST_FILE = "填报表清单.xlsx"
LEAD, SUPPORT = "牵头", "参与"
_EXCEL_ERROR = re.compile(r"^#(DIV/0!|N/A|REF!|VALUE!|NAME\?|NUM!|NULL!|SPILL!|CALC!|GETTING_DATA)$", re.I)


@dataclass
class Assignment:
    """A department and the indicators it reports (role 牵头 or 参与 for each)."""

    department: str  # canonical short name, as the 报送情况 report uses it ('发改委')
    indicators: list[tuple[Indicator, str]] = field(default_factory=list)


@dataclass
class Previous:
    """What the latest month read says about one indicator (all optional)."""

    month: str | None = None  # 'YYYY-MM' the values come from
    actual_raw: str = ""
    rank: int | None = None
    colour_label: str = ""  # 红/黄/绿
    reported: bool = False  # the indicator had a row in a department's sheet that month
    last_year_raw: str = ""
    last_year_rank: int | None = None
    target_raw: str = ""


def next_month(month: str) -> str:
    y, m = (int(x) for x in month.split("-"))
    y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return f"{y:04d}-{m:02d}"


def month_label(month: str) -> str:
    y, m = month.split("-")
    return f"{y}年{int(m)}月"


def date_label(d: _dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def full_name(department: str, county: str) -> str:
    """'发改委' -> '叶县发改委' (a name that already holds the county stays as it is); '区发改局'
    -> '东阳区发改局', '县委组织部' -> '南岭县委组织部' (the unit's 区/县 is the county's, never doubled)."""
    if not county or county in department:
        return department
    if len(department) > 2 and department[0] == county[-1] and department[0] in "县区市" \
            and not department.startswith("市场"):  # (市场监管局 is no 市 + 场监管局)
        return county + department[1:]
    return county + department


def form_file_name(department: str, county: str, month: str) -> str:
    """'叶县发改委2023年9月指标进展情况（填报表）.xlsx': the reader finds department and
    month in this name too."""
    unit = safe_file_part(full_name(department, county), limit=40)  # a unit's long official name
    return safe_file_part(f"{unit}{month_label(month)}指标进展情况（填报表）") + ".xlsx"


_TITLE_TAIL = re.compile(r"(指标)?(完成情况|进展情况|推进情况)?(一览表|统计表|情况表|任务分工表|任务分解表|分工表|分解表|"
                         r"考核细则|考核办法|考核方案|指标体系|体系|表)$")


def form_title(system: IndicatorSystem | None, county: str, month: str) -> str:
    """'叶县2023年高质量发展综合绩效指标进展情况表（截至9月底）': the subject taken from the
    indicator system's title (without county, year and 一览表), else 高质量发展综合绩效."""
    y, m = (int(x) for x in month.split("-"))
    subject = ""
    if system is not None and system.title:
        t = re.sub(r"\s+", "", system.title)
        t = re.sub(r"^附件[0-9一二三四五六七八九十]*[:：]?", "", t)
        # a note after the title: （测试数据）, （演示/测试数据）, （试行）, （征求意见稿）
        t = re.sub(r"[（(][^（()）]{0,10}(数据|演示|测试|示例|模拟|试行|征求意见稿|修订稿|送审稿|草案)[^（()）]{0,6}[)）]$", "", t)
        if county and t.startswith(county):
            t = t[len(county):]
        t = re.sub(r"^[^0-9]{0,12}?(20[0-9]{2})年度?", "", t)  # 岚州市2026年度…: the office above's place and year
        t = re.sub(r"^各?(县|区|市)[（(][^）)]{0,8}[)）]", "", t)  # 县（市、区）高质量…: whom it assesses
        t = re.sub(r"指标$", "", _TITLE_TAIL.sub("", t))  # (…考核指标: the form says 指标进展情况表 itself)
        if len(t) >= 2 and not re.search(r"[0-9]月", t):
            subject = t
    subject = subject or "高质量发展综合绩效"
    return f"{county}{y}年{subject}指标进展情况表（截至{m}月底）"


def _typed(raw: Any):
    """A plain number written as text ('8', '6.5') becomes a number; other text stays text."""
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return tidy_number(float(raw))
    s = str(raw or "").strip()
    if _EXCEL_ERROR.match(s):
        return ""
    if re.fullmatch(r"-?[0-9]{1,12}(\.[0-9]{1,6})?", s):
        return tidy_number(float(s))
    return s


points_value = points_text  # the form shows 分值 exactly as the overview does


def units_text(ind: Indicator) -> str:
    """The 责任单位 cell: lead units, then participating ones marked （参与）."""
    lead = list(ind.lead)
    support = [u for u in (ind.support or []) if u not in lead]
    return "、".join(lead + [f"{u}（参与）" for u in support])


def _with_rank(raw: str, rank: int | None) -> str:
    raw = (raw or "").strip()
    if rank is None or re.search(r"[（(]\s*[0-9]+\s*[)）]\s*$", raw):
        return raw
    return f"{raw}（{rank}）" if raw else f"（{rank}）"


def hint_text(prev: Previous | None) -> str:
    """'8月：增长5.1%，排名3（黄）' — last month, for the clerk's reference."""
    if prev is None or not prev.month:
        return ""
    y, m = prev.month.split("-")
    label = f"{int(m)}月"
    actual = "" if _EXCEL_ERROR.match(prev.actual_raw.strip()) else prev.actual_raw.strip()
    parts = []
    if actual:
        parts.append(actual)
    elif prev.reported:
        parts.append("暂无数据")
    else:
        parts.append("未报送")
    if prev.rank is not None:
        parts.append(f"排名{prev.rank}" + (f"（{prev.colour_label}）" if prev.colour_label else ""))
    return f"{label}：" + "，".join(parts)


def indicator_row(ind: Indicator, role: str, county: str, form_year: int, prev: Previous | None,
                  earlier: Iterable[Previous] = (), *, target_override: Any = None,
                  points_override: float | None = None) -> dict[str, Any]:
    """One prefilled row. Last year's result and the target come from the latest month
    that has them (`prev`, then `earlier`, newest first), unless the office set a target
    in kaohe.toml or the indicator system. A source month of the year before (a January
    form) gives its December value as last year's result and no target."""
    same_year = [p for p in ([prev] if prev else []) + list(earlier) if p and p.month and int(p.month[:4]) == form_year]
    last_year, target = "", ""
    for p in same_year:
        if not last_year and (p.last_year_raw or p.last_year_rank is not None):
            last_year = _with_rank(p.last_year_raw, p.last_year_rank)
        if not target and p.target_raw:
            target = p.target_raw
    if prev and prev.month and int(prev.month[:4]) == form_year - 1 and prev.month.endswith("-12"):
        actual = "" if _EXCEL_ERROR.match(prev.actual_raw.strip()) else prev.actual_raw.strip()
        last_year = _with_rank(actual, prev.rank) if actual else ""
    system_target = ind.targets.get(county) if county and ind.targets else None
    if system_target is None:
        system_target = ind.target
    for t in (target_override, system_target):
        if t is not None and str(t).strip() and str(t).strip() not in ("---", "—", "-"):
            target = t
            break
    return {
        "no": ind.no if ind.no is not None else (ind.no_raw or ""),
        "name": ind.name,
        "points": points_value(ind, county, points_override),
        "departments": units_text(ind),
        "role": role,
        "last_year": _typed(last_year),
        "target": _typed(target),
        "hint": hint_text(prev),
    }


def _categories(rows: list[tuple[Indicator, dict]], system: IndicatorSystem | None) -> list[dict]:
    """Section rows as in the 一览表: numbered by the category's place in the whole system."""
    order: dict[str, int] = {}
    if system is not None:
        for ind in system.indicators:
            order.setdefault(ind.path[0] if ind.path else "", len(order))
    groups: dict[str, list[dict]] = {}
    for ind, row in rows:
        groups.setdefault(ind.path[0] if ind.path else "", []).append(row)
    cats = []
    numbered = [k for k in order if k]
    for name, items in sorted(groups.items(), key=lambda kv: order.get(kv[0], len(order))):
        label = f"{cn_index(numbered.index(name) + 1)}、{strip_section_number(name)}" if name and name in numbered else name
        if name and re.match(r"^[一二三四五六七八九十]+[、.．]", name):
            label = name
        cats.append({"label": label or "指标", "name": name, "indicators": items})
    return cats


def _places(a: int, b: int) -> str:
    """1-2名; a single place 第3名 (four units: 3-3名 read as a typo)."""
    return f"第{a}名" if a == b else f"{a}-{b}名"


def rule_hint(rule: str, n: int, green_max: int, yellow_max: int, own: list[str] | None = None) -> str:
    """The form's warning rule; `own`: the items on it with a rule of their own (kaohe.toml), said
    so that the rule above them is not taken for theirs."""
    if rule != "rank":
        text = "按考核办法的预警规则"
    elif yellow_max < n:
        text = f"排名{_places(1, green_max)}为绿，{_places(green_max + 1, yellow_max)}为黄，{_places(yellow_max + 1, n)}为红"
    else:
        text = f"排名{_places(1, green_max)}为绿，其余为黄"
    if own:
        text += f"；{'、'.join(own)}另有预警规则，颜色以参考栏为准"
    return f"（{text}）"


def deadline_rule(deadline_month: str, day: int) -> str:
    return f"次月{day}日前" if deadline_month == "next" else f"当月{day}日前"


def form_context(assignment: Assignment, *, system: IndicatorSystem | None, county: str, month: str,
                 deadline: _dt.date, n_peers: int, green_max: int, yellow_max: int, warning_rule: str = "rank",
                 previous: dict[Any, Previous] | None = None, earlier: dict[Any, list[Previous]] | None = None,
                 overrides: dict[Any, dict] | None = None, demo: bool = False,
                 now: _dt.datetime | None = None, own_rules: list[str] | None = None,
                 group_label: str = "六县市", target_label: str = "县定目标") -> dict[str, Any]:
    """The context of one department's form (keys used by templates/月报填报表.xlsx). `group_label`
    and `target_label` are the 一览表's words (四区排名, 市定目标), never 六县市 for four districts.

    `previous` / `earlier` / `overrides` are keyed by indicator number (or name when the
    indicator has none)."""
    y, m = (int(x) for x in month.split("-"))
    previous, earlier, overrides = previous or {}, earlier or {}, overrides or {}
    rows = []
    for ind, role in assignment.indicators:
        key = ind.key
        over = overrides.get(key, {})
        rows.append((ind, indicator_row(ind, role, county, y, previous.get(key), earlier.get(key, []),
                                        target_override=over.get("target"), points_override=over.get("points"))))
    dept = department_summary(assignment, county, month, overrides)
    now = now or _dt.datetime.now()
    return {
        "annex_label": "附件2", "county": county, "year": y, "last_year": y - 1, "month": month, "month_no": m,
        "title": form_title(system, county, month), "sheet_name": safe_file_part(assignment.department)[:31],
        "dept": dept, "categories": _categories(rows, system), "n_peers": max(int(n_peers), 1),
        "green_max": green_max, "yellow_max": yellow_max,
        "rule_hint": rule_hint(warning_rule, n_peers, green_max, yellow_max, own_rules),
        "deadline": deadline, "deadline_label": date_label(deadline),
        "generated_at": now.strftime("%Y-%m-%d %H:%M"), "demo": demo,
        "group_label": group_label, "target_label": target_label,
    }


def department_summary(assignment: Assignment, county: str, month: str, overrides: dict | None = None) -> dict:
    """`overrides` (indicator key -> its settings): points set there count as the row's (a
    points cell shared by several rows gives each its share, as the forms show it)."""
    nos = [ind.no if ind.no is not None else (ind.no_raw or ind.name) for ind, _r in assignment.indicators]
    support = [str(ind.no if ind.no is not None else (ind.no_raw or ind.name))
               for ind, r in assignment.indicators if r == SUPPORT]
    pts = 0.0
    for ind, role in assignment.indicators:
        if role != LEAD:
            continue
        over = (overrides or {}).get(ind.key, {})
        p = over["points"] if "points" in over else ind.points if ind.shares_points_with_row is None else None
        if p and p > 0:
            pts += p
    return {
        "name": assignment.department, "full_name": full_name(assignment.department, county),
        "numbers": "、".join(str(n) for n in nos), "count": len(nos), "points_total": tidy_number(round(pts, 6)),
        "file": form_file_name(assignment.department, county, month),
        "support_numbers": "、".join(support),
    }


def list_context(assignments: list[Assignment], *, county: str, month: str, deadline: _dt.date,
                 deadline_month: str, deadline_day: int, source_month: str | None,
                 notes: dict[str, str] | None = None, demo: bool = False, overrides: dict | None = None,
                 now: _dt.datetime | None = None) -> dict[str, Any]:
    """The context of templates/填报表清单.xlsx."""
    y, m = (int(x) for x in month.split("-"))
    notes = notes or {}
    depts = []
    indicators: set = set()
    for a in assignments:
        d = department_summary(a, county, month, overrides)
        note = []
        if d["support_numbers"]:
            note.append(f"参与指标：{d['support_numbers']}")
        if notes.get(a.department):
            note.append(notes[a.department])
        d["note"] = "；".join(note)
        depts.append(d)
        indicators |= {ind.key for ind, _r in a.indicators}
    now = now or _dt.datetime.now()
    source_note = (f"上年度完成情况、县定目标和参考数据取自 {month_label(source_month)} 的月报和六县市数据。"
                   if source_month else "input/ 中没有更早月份的数据，只预填了指标体系中的内容。")
    return {
        "county": county, "year": y, "month": month, "month_no": m, "departments": depts,
        "counts": {"departments": len(depts), "indicators": len(indicators)},
        "deadline": deadline, "deadline_label": date_label(deadline),
        "deadline_rule": deadline_rule(deadline_month, deadline_day), "source_month": source_month or "",
        "source_note": source_note, "generated_at": now.strftime("%Y-%m-%d %H:%M"), "demo": demo,
    }


# The top-level keys each context holds (for `kaohe template check`: a template may use these).
FORM_KEYS = frozenset({"annex_label", "county", "year", "last_year", "month", "month_no", "title", "sheet_name", "dept",
                       "categories", "n_peers", "green_max", "yellow_max", "rule_hint", "deadline", "deadline_label",
                       "group_label", "target_label",
                       "generated_at", "demo"})
LIST_KEYS = frozenset({"county", "year", "month", "month_no", "departments", "counts", "deadline", "deadline_label",
                       "deadline_rule", "source_month", "source_note", "generated_at", "demo"})


def provided_variables(template_name: str) -> frozenset | None:
    """The variables the forms give a template named like the shipped form or list
    ('月报填报表.xlsx', '填报表清单.xlsx', or a file whose name holds 填报表清单 / 填报表);
    None for any other template."""
    stem = template_name.rsplit("/", 1)[-1]
    if "填报表清单" in stem:
        return LIST_KEYS
    if "填报表" in stem:
        return FORM_KEYS
    return None


__all__ = ["Assignment", "provided_variables", "FORM_KEYS", "LIST_KEYS", "Previous", "FORM_TEMPLATE", "LIST_TEMPLATE", "LIST_FILE", "LEAD", "SUPPORT", "next_month",
           "month_label", "form_file_name", "form_title", "form_context", "list_context", "full_name", "hint_text"]
