"""Turn assessment results into report contexts and render the shipped templates.

Each report is one template in `templates/` (a workspace's own `templates/` folder
overrides the shipped one) and one context built here from model objects; the
context keys are documented in docs/report_context.md.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from kaohe_excel.assess.month import unit_in
from kaohe_excel.assess.results import COLOUR_LABELS, GREEN, RED, YELLOW, cn_number
from kaohe_excel.assess.warnings import colour_by_rank
from kaohe_excel.assess.league import rate_shown, scored
from kaohe_excel.assess.scoring import PLACES
from kaohe_excel.fsutil import safe_file_part
from kaohe_excel.model import LOWER, Entry, IndicatorSystem, months_span, numbered
from kaohe_excel.problems import ERROR, Problem
from kaohe_excel.text import county_key, fold_width, strip_section_number
from kaohe_excel.write import kept
from kaohe_excel.write.engine import Formula

def _shipped_templates() -> Path:
    """The shipped templates: inside the installed package (the wheel maps the repository's
    templates/ to kaohe_excel/templates), else templates/ at the repository root (a checkout)."""
    here = Path(__file__).resolve().parent.parent
    inside = here / "templates"
    return inside if inside.is_dir() else here.parent / "templates"


SHIPPED_TEMPLATES = _shipped_templates()
_CN_NUM = "一二三四五六七八九十"


@dataclass
class ReportSpec:
    key: str
    template: str  # file name in templates/
    title: str  # the report's Chinese name


REPORTS = [
    ReportSpec("overview", "完成情况一览表.xlsx", "完成情况一览表"),
    ReportSpec("bulletin", "预警通报.xlsx", "预警通报"),
    ReportSpec("status", "报送情况.xlsx", "报送情况"),
    ReportSpec("scores", "得分测算.xlsx", "得分测算"),
    ReportSpec("departments", "部门考核.xlsx", "部门考核"),
    ReportSpec("problems", "校验报告.xlsx", "校验报告"),
]
PROBLEMS = next(s for s in REPORTS if s.key == "problems")
# the monthly bulletin leadership reads: prose with the same figures, a Word template
NOTICE = ReportSpec("notice", "综合绩效考核情况通报.docx", "综合绩效考核情况通报")
REPORTS.append(NOTICE)
# the view from above (`kaohe run --all-units`): every unit side by side
LEAGUE = ReportSpec("league", "排名总表.xlsx", "排名总表")
ALL_REPORTS = REPORTS + [LEAGUE]


_OTHER_FORMATS = {
    ".xlsx": ({".xls", ".et", ".ett", ".xlsm", ".xlsb", ".xltx", ".xltm", ".xlt", ".ods", ".csv"}, "Excel 工作簿"),
    ".docx": ({".doc", ".wps", ".wpt", ".docm", ".dotx", ".dotm", ".dot", ".odt", ".rtf"}, "Word 文档"),
}


def template_path(name: str, workspace: Path | None = None) -> Path:
    """The workspace's own template if it has one, else the shipped one. A same-named
    template saved in another format (.xls, .et, .xlsm …) is an error, not ignored:
    falling back to the shipped template would drop the clerk's edits without a word."""
    if workspace is not None:
        folder = Path(workspace) / "templates"
        own = folder / name
        if own.exists():
            return own
        stem, suffix = Path(name).stem.casefold(), Path(name).suffix.casefold()
        formats, kind = _OTHER_FORMATS.get(suffix, (set(), ""))
        try:
            others = sorted(p for p in folder.iterdir() if p.stem.casefold() == stem and p.is_file()
                            and p.suffix.casefold() in formats)
        except OSError:
            others = []
        if others:
            from kaohe_excel.write.engine import TemplateError

            raise TemplateError(others[0].name, None, None,
                                f"模板必须是 {suffix} 格式，程序不会读「{others[0].suffix}」文件。"
                                f"请在 {'Word' if suffix == '.docx' else 'Excel'}/WPS 中把它「另存为」{kind}，文件名「{name}」")
    return SHIPPED_TEMPLATES / name


cn_index = cn_number  # 1 -> 一, 12 -> 十二 (section numbers), as assess writes group sizes


def tidy_number(x):
    """116.0 -> 116, 13.450000001 -> 13.45: numbers as a clerk writes them."""
    if isinstance(x, float) and x.is_integer():
        return int(x)
    if isinstance(x, float):
        return round(x, PLACES)  # as assess records it: a column adds up to its total
    return x


def month_parts(month: str) -> tuple[int, int]:
    y, m = month.split("-")
    return int(y), int(m)


# The words that make a title the system's document (…指标责任分解表, …考核指标及权重): the
# 一览表 is called as the system is with them replaced by 完成情况一览表.
_DOC_WORDS = re.compile(r"(?:目标)?((?:任务|责任)?(?:分工|分解)(?:方案|表)?|指标体系表|指标体系|考核指标表|指标表|"
                        r"权重表|权重|分值表|分类表|汇总表|考核细则|评分细则|评价细则|考核方案|实施方案|清单|评分表|计分表)$")


_ANNEX = re.compile(r"^附件[0-9一二三四五六七八九十]*[:：、.．]?")
_QUALIFIERS = re.compile(r"([（(][^（()）]{1,12}[)）])+$")  # （演示数据）, （试行）, （截至8月底）: said of the table


def system_name(system_title: str | None) -> str:
    """The system's title as a name: no spaces, no 附件N： label, no bracketed qualifier at its end
    (what the 一览表's title, the league's heading and whose targets they are start from)."""
    return _QUALIFIERS.sub("", _ANNEX.sub("", re.sub(r"\s+", "", system_title or "")))


def overview_title(system_title: str | None, county: str, year: int) -> str:
    """The 一览表's title: the system's own when it is an overview already; a task-division
    title (…考核指标任务分工表) becomes …考核指标完成情况一览表; a title without a place
    gets the county in front."""
    default = f"{county}{year}年度高质量发展综合绩效指标完成情况一览表"
    t = re.sub(r"[（(](截至|截止)?[^（()）]*月(底|份)?[)）]$", "", system_name(system_title))  # an earlier month's 一览表
    if not t:
        return default
    if "一览表" not in t:
        m = _DOC_WORDS.search(t)
        if m is None and not t.endswith("指标"):
            return default
        base = re.sub(r"(及|和|与|暨)$", "", t[:m.start()] if m is not None else t)  # …考核指标及任务分工表
        while (more := _DOC_WORDS.search(base)) is not None:  # …指标体系及任务分工表
            base = re.sub(r"(及|和|与|暨)$", "", base[:more.start()])
        if not base:
            return default
        t = base + ("完成情况一览表" if base.endswith("指标") else "指标完成情况一览表")
    if re.match(r"^(20[0-9]{2}|高质量|综合)", t) and county:
        t = county + t
    elif county and county not in t:  # the city's title over one unit's report: the unit's own
        m = _CITY_HEAD.match(t)
        if m:
            t = county + m.group("year") + t[m.end():]
    return t


# 河溪市2024年度各县（区）…, 汀澜市2024年度区县（园区）…: the city and the group it assesses
_CITY_HEAD = re.compile(r"^[\u4e00-\u9fa5]{1,8}?(?:市|州|盟|地区|省)(?P<year>(?:20[0-9]{2}年度?)?)"
                        r"(?:各?(?:县|区|市|旗|园区)+(?:[（(][^（()）]{0,10}[)）])?)?(?=县域|高质量|综合|绩效|目标|考核|经济)")


def common_context(system: IndicatorSystem | None, county: str, month: str, *, rule_note: str = "",
                   green_max: int = 2, yellow_max: int = 4, signoff: dict | None = None,
                   demo: bool = False, now: _dt.datetime | None = None, group_label: str = "六县市",
                   peer_period: str = "") -> dict[str, Any]:
    year, m = month_parts(month)
    now = now or _dt.datetime.now()
    title = overview_title(system.title if system else None, county, year)
    return {
        "county": county, "year": year, "last_year": year - 1, "month": month, "month_no": m,
        "month_label": f"{m}月底", "period_label": months_span(month),
        "system_title": title, "annex_label": "附件2",
        "generated_at": now.strftime("%Y-%m-%d %H:%M"),
        "signoff": {"reviewer": "", "issuer": "", "date": "", **(signoff or {})},
        "demo": demo, "rule_note": rule_note, "green_max": green_max, "yellow_max": yellow_max,
        "group_label": group_label,
        "peer_period": peer_period,  # '数据期1-7月' when the peer figures are an earlier month's
        "target_label": set_by(system.title if system else None, county),
    }


_OWNER = re.compile(r"^[\u4e00-\u9fa5]{1,8}?(自治区|地区|省|市|盟)")
_OWNER_ZHOU = re.compile(r"^[\u4e00-\u9fa5]{1,8}?州(?!市|县|区)")


def set_by(system_title: str | None, county: str) -> str:
    """Whose the targets in the 一览表 are: the county's own system (叶县2023年度…) says 县定目标
    (区定, 市定 by its kind); a system of the office above (澜江省…, 霁州市…) says 省定目标 /
    市定目标, in a county's own run and in the view from above alike (a unit's reports are
    what its own run writes)."""
    t = system_name(system_title)
    own = f"{place_word(county)}定目标"
    key = county_key(county or "")
    if not t or (county and t.startswith(county)) or (key and re.match(re.escape(key) + r"(20[0-9]{2}|$)", t)):
        return own
    m = _OWNER.match(t)
    word = {"自治区": "区", "地区": "地区"}.get(m.group(1), m.group(1)) if m else ("州" if _OWNER_ZHOU.match(t) else None)
    return f"{word}定目标" if word else own


_EXCEL_ERROR = re.compile(r"^#(DIV/0!|N/A|REF!|VALUE!|NAME\?|NUM!|NULL!|SPILL!|CALC!|GETTING_DATA)$", re.I)


def _shown(raw: str) -> str:
    """An Excel error value from a department's sheet is a problem (校验报告), not a result."""
    return "" if _EXCEL_ERROR.match(str(raw).strip()) else raw


def _typed(text):
    """A figure as a department typed it, full-width digits as the others (８．０% -> 8.0%)."""
    return fold_width(text) if isinstance(text, str) else text


def _peer_figure(x, r) -> str:
    """A figure beside ours (需达到, the leader's) in the unit the city writes ours in (8.5%),
    else the unit assess found for the indicator."""
    n = tidy_number(x)
    if n is None or n == "":
        return n
    unit = unit_in(getattr(r, "peer_raw", "")) or getattr(r, "unit", "")
    return f"{n}{unit}" if unit and unit not in ("/", "位", "名") else n


def reach_figure(r) -> str:
    """需达到 as a report prints it: a peer's figure to catch (the rank rule) as written; a figure worked
    out from our target to two places, rounded the safe way (29.333334% -> 29.34%), and 「高于2.6%」
    where the value itself is not enough (completion must pass it, 完成率超过…)."""
    if r.value_to_reach is None or r.rule == "rank" or r.reach_shown is None:
        return _peer_figure(r.value_to_reach, r)
    word = ("高于" if r.direction != LOWER else "低于") if r.reach_shown_strict else ""
    return word + _peer_figure(r.reach_shown, r)


def _departments_text(ind) -> str:
    """责任单位, the lead first; one unit a line when they would not fit on one, so that the column's
    wrap never breaks a name (县统计\n局). (A （牵头） mark made each row a line taller in the
    printed 一览表: the order says it.)"""
    units = list(ind.lead) + [u for u in (ind.support or []) if u not in ind.lead]
    joined = "、".join(units)
    return joined if len(joined) <= 8 else "\n".join(units)


def points_text(ind, county: str = "", override: float | None = None):
    """分值 as the official table shows it: 5, 扣1.3分, 约束条件, 加分项 as written (≤2, 最高加2分)
    (the county's own override first)."""
    if override is not None:
        return tidy_number(float(override))
    p = ind.points_by_unit.get(county, ind.points) if county and ind.points_by_unit else ind.points
    if ind.kind == "constraint" and p is None:
        return "约束条件"
    per = getattr(ind, "per_event", None)  # 每发生1起…扣2分 in the row's 评分标准
    if ind.kind == "deduction" and (p is not None or per is not None):
        per = abs(p) if per is None else per
        cap = getattr(ind, "deduction_cap", None)
        if cap:  # 每起扣2分，最多扣4分: per event, up to the cap
            return f"每起扣{tidy_number(float(per))}分，最多扣{tidy_number(abs(cap))}分"
        return f"扣{tidy_number(float(per))}分"
    if ind.kind == "bonus" and p is not None:  # words, not a number: the column adds up to 总分, which has no bonus
        raw = (ind.points_raw or "").strip()
        return raw if raw and not re.fullmatch(r"[+＋]?[0-9.]+\s*分?", raw) else f"加{tidy_number(abs(p))}分"
    if p is None:
        return ind.points_raw or ""
    return tidy_number(p)


def _categories(system: IndicatorSystem) -> list[tuple[str, list]]:
    groups: dict[str, list] = {}
    for ind in system.indicators:
        groups.setdefault(ind.path[0] if ind.path else "", []).append(ind)
    return list(groups.items())


def _row_points(ind, r):
    """分值 on the 一览表: our unit's own points; a group sharing one points cell shows its
    points once, on its first row; an item not assessed for us shows —."""
    if r is None:
        return points_text(ind)
    if r.not_assessed:
        return "—"
    if r.kind in ("deduction", "bonus") or (r.kind == "constraint" and r.points is None):
        return points_text(ind)
    if r.points is None:
        return ind.points_raw or ""
    if ind.shares_points_with_row is not None:
        return ""
    return tidy_number(r.group_points if r.group_points is not None else r.points)


def rank_warning(r, thresholds: tuple[int, int] | None):
    """预警提示 of a rank-coloured item as a formula on the rank cell beside it, so a rank the
    clerk corrects by hand turns the text as the colour rule turns the cell; any other
    warning (progress, completion) is the text assess gave."""
    label = r.colour_label if r is not None else ""
    if r is None or thresholds is None or r.rule != "rank" or r.rank is None or not label:
        return label
    # the item's own thresholds (kaohe.toml's rank_green / rank_yellow for it) over the report's
    g, y = getattr(r, "rank_thresholds", None) or thresholds
    if label != COLOUR_LABELS[colour_by_rank(r.rank, r.group_size or r.rank, g, y)]:
        return label  # coloured by another rule than these thresholds: the text alone
    k = "--{rank}"
    text = (f'IF(AND({{rank}}<>"",ISNUMBER({k})),IF({k}<={g},"{COLOUR_LABELS[GREEN]}",'
            f'IF({k}<={y},"{COLOUR_LABELS[YELLOW]}","{COLOUR_LABELS[RED]}")),"")')
    return Formula(text, label)


def _with_unit(value, r):
    """A bare number from the system (目标 35) with the unit the item's figures carry (35微克/立方米),
    as a month whose department wrote its target shows it: one way a month, whoever wrote it."""
    if r is not None and r.unit and isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{tidy_number(value)}{r.unit}"
    if r is not None and r.unit and isinstance(value, str) and _BARE_NUMBER.match(value.strip()):
        return f"{value.strip()}{r.unit}"  # a department's 7 (the cell's text) reads as the system's 7%
    return value


_BARE_NUMBER = re.compile(r"^-?[0-9]+(?:\.[0-9]+)?$")


def _unit_target(ind, r, unit: str) -> str:
    """The target used for this unit as the system writes it for the unit ('2.5%'), else the number."""
    if r is None or r.target is None:
        return r.target_text if r is not None else ""
    written = ind.targets.get(unit)
    if isinstance(written, str) and ind.target_values.get(unit) == r.target:
        return written
    return tidy_number(r.target)


def overview_context(system: IndicatorSystem, result, entries: dict[int, Entry],
                     thresholds: tuple[int, int] | None = None) -> dict[str, Any]:
    by_key = result.by_key() if result is not None else {}
    groups = system.point_groups()
    cats = []
    for i, (name, inds) in enumerate(_categories(system), 1):
        rows = []
        for ind in inds:
            r = by_key.get(ind.key)
            e = entries.get(ind.key)
            head, share = groups.get(id(ind), (ind, 1))
            rows.append({
                "no": ind.no if ind.no is not None else ind.no_raw,
                "name": ind.name,
                "points": _row_points(ind, r),
                # rows sharing one points cell (merged in the system): one merged cell in the report
                "points_group": (f"{head.sheet}:{head.row}" if share > 1 and not (r is not None and r.not_assessed)
                                 and _row_points(head, by_key.get(head.key)) not in ("", "—") else ""),
                "departments": _departments_text(ind),
                "last_year": _typed((e.last_year_raw if e else "") or (r.last_year_raw if r else "")
                                    or ind.last_year_raw or ""),
                "target": _with_unit(_typed(e.target_raw), r) if e and e.target_raw else _with_unit(
                    _typed(ind.target if ind.target is not None else
                           _unit_target(ind, r, result.county if result is not None else "")), r),
                "actual": _shown(r.figure_shown if r is not None else (e.actual_raw if e else "")),
                "rank": r.rank if r else None,
                "warning": rank_warning(r, thresholds),
                "rank_change": r.rank_change_text if r else "",
                "note": (r.colour_reason if r and not r.colour else ""),
            })
        if result is not None:
            sub = next((s for s in result.subtotals if s.category == name), None)
            pts = sub.points if sub is not None else 0
        else:
            pts = sum(x.points for x in inds if x.points and x.points > 0 and x.shares_points_with_row is None)
        cats.append({"label": f"{cn_index(i)}、{strip_section_number(name)}" if name else "", "name": name,
                     "points": tidy_number(pts), "indicators": rows})
    total = result.total_points if result is not None else system.total_points
    return {"total_points": tidy_number(total), "categories": cats}


def _lagging_item(r, entries: dict) -> dict[str, Any]:
    """A red or yellow indicator as 预警通报 lists it (and the monthly bulletin, word for word)."""
    return {
        "no": r.shown_no, "name": r.name, "warning": r.colour_label, "actual": _shown(r.figure_shown),
        "rank": r.rank, "rank_change": r.rank_change_text,
        "rank_change_words": change_words(r.rank_change, "位", "上升", "下降"),
        "deduction": tidy_number(r.deduction) if r.deduction else None, "vetoed": r.vetoed,
        "value_to_reach": reach_figure(r), "reach_note": r.reach_note, "leader": r.leader or "", "leader_value": _peer_figure(r.leader_value, r),
        "issues": (entries[r.key].issues_text if r.key in entries else "") or "",
        "next_steps": (entries[r.key].next_steps if r.key in entries else "") or "",
    }


def _departments(r, names=None) -> str:
    """Who answers for an item, as 预警通报 and the bulletin name them: the department whose figure
    counts when it is one the system makes responsible (牵头 or 配合), else its lead units (each by
    `names`, units.DepartmentIndex.resolve, when given): a 政府办 that handed in the county's whole
    一览表 answers for none of its items, as 部门考核 says."""
    lead = [(names(d) or d) if names is not None else d for d in r.lead]
    if names is not None and r.department and lead:
        owners = set(lead) | {names(d) or d for d in r.support}
        if r.department not in owners:
            return "、".join(lead)
    return r.department or ("、".join(lead) if lead else "（未明确责任单位）")


def bulletin_context(result, entries: dict[int, Entry] | None = None, names=None) -> dict[str, Any]:
    """预警通报: the lagging items by responsible unit. `names`: each unit's name as every other
    report gives it (units.DepartmentIndex.resolve): 商务局 whether or not it reported this month."""
    entries = entries or {}
    groups: dict[str, dict] = {}
    for r in result.lagging():
        dept = _departments(r, names)
        g = groups.setdefault(dept, {"department": dept, "red": 0, "yellow": 0, "items": []})
        g["red" if r.colour == "red" else "yellow"] += 1
        g["items"].append(_lagging_item(r, entries))
    ordered = sorted(groups.values(), key=lambda g: (-g["red"], -g["yellow"], g["department"]))
    return {"counts": _colour_counts(result), "groups": ordered}


def change_words(change: int | None, unit: str = "项", up: str = "增加", down: str = "减少") -> str:
    """+4 -> '较上月增加4项', -1 -> '较上月减少1项', 0 -> '与上月持平', None -> '' (a bulletin's words)."""
    if change is None:
        return ""
    if change == 0:
        return "与上月持平"
    return f"较上月{up if change > 0 else down}{abs(change)}{unit}"


def _colour_counts(result) -> dict[str, int]:
    """红/黄/绿; `none` every item without a colour (so the four add up to every item, as
    templates of earlier versions sum them), of which `not_assessed` are the unit's `---`
    items (不考核, not 暂无排名) and `no_rank` the rest (no data, words, unreported) but the bonus
    items with a figure (加分项 has no colour by its kind: it was reported)."""
    counts = result.colour_counts()
    coloured = counts.get(RED, 0) + counts.get(YELLOW, 0) + counts.get(GREEN, 0)
    none = len(result.indicators) - coloured
    return {"red": counts.get(RED, 0), "yellow": counts.get(YELLOW, 0), "green": counts.get(GREEN, 0),
            "none": none, "not_assessed": counts["not_assessed"],
            "no_rank": none - counts["not_assessed"] - counts.get("bonus", 0), "bonus": counts.get("bonus", 0)}


def _day_label(text: str) -> str:
    """'2023-09-09 10:20' -> '9月9日' (a bulletin names days, not times)."""
    m = re.match(r"\s*\d{4}-(\d{1,2})-(\d{1,2})", text or "")
    return f"{int(m.group(1))}月{int(m.group(2))}日" if m else (text or "")


def place_word(unit: str | None) -> str:
    """县, 区, 市 or 旗: what the unit calls itself in a bulletin (我区, 区直各有关单位, 区考核办)."""
    u = (unit or "").strip()
    return u[-1] if u and u[-1] in "县区市旗" else "县"


def notice_context(result, prev_result, warnings: dict, status: dict, scores: dict, *,
                   notable_change: int = 2, now: _dt.datetime | None = None, names=None) -> dict[str, Any]:
    """综合绩效考核情况通报: the figures of the other reports, in the order a bulletin tells them.
    `warnings`, `status` and `scores` are the contexts 预警通报, 报送情况 and 得分测算 get (one
    truth); `prev_result` is last month's MonthResult (None in the first month);
    `notable_change`: places moved since last month that make a change 明显 (kaohe.toml
    bulletin.notable_change); `names` as for bulletin_context (a department named as 预警通报 names it)."""
    now = now or _dt.datetime.now()
    counts = warnings["counts"]
    prev_counts = _colour_counts(prev_result) if prev_result is not None else None
    changes = {k: change_words(counts[k] - prev_counts[k]) if prev_counts else "" for k in ("red", "yellow", "green")}
    prev = None
    if prev_result is not None:
        prev = next((t for t in scores["trend"] if t["month"] == prev_result.month), None)
    rank_move = ""
    if prev and prev["estimated_rank"] and scores["estimated_rank"]:
        rank_move = change_words(prev["estimated_rank"] - scores["estimated_rank"], "位", "前进", "后退")

    def moved(r) -> dict[str, Any]:
        return {"no": r.shown_no, "name": r.name, "departments": _departments(r, names),
                "prev_rank": r.prev_rank, "rank": r.rank, "places": abs(r.rank_change),
                "rank_change": r.rank_change_text, "warning": r.colour_label}

    rose = [r for r in result.indicators if r.rank_change is not None and r.rank_change >= notable_change]
    fell = [r for r in result.indicators if r.rank_change is not None and -r.rank_change >= notable_change]
    rose.sort(key=lambda r: (-r.rank_change, r.no if r.no is not None else 10**9))
    fell.sort(key=lambda r: (r.rank_change, r.no if r.no is not None else 10**9))
    red_groups = []
    for g in warnings["groups"]:
        items = [x for x in g["items"] if x["warning"] == COLOUR_LABELS[RED]]
        if items:
            red_groups.append({"department": g["department"], "red": len(items), "items": items})
    rows = status["rows"]
    missing = [r["department"] for r in rows if r["status"] in ("未报送", "未填报")]
    blank = [r["department"] for r in rows if r["status"] == "未填报"]
    late = [{"department": r["department"], "submitted_at": _day_label(r["submitted_at"])
             + ("（推定）" if "推定" in (r.get("note") or "") else "")}  # as 报送情况 marks it (by the file time)
            for r in rows if r["status"] == "逾期报送"]
    return {
        "draft_mark": "（稿）", "date_label": f"{now.year}年{now.month}月{now.day}日",
        "place": place_word(result.county),
        "indicator_count": len(result.indicators),
        "total": scores["total"], "total_points": scores["total_points"],
        "estimated_rank": scores["estimated_rank"], "estimate_note": result.estimate_note,
        "prev": prev, "rank_move": rank_move,
        "counts": counts, "prev_counts": prev_counts, "count_changes": changes,
        "has_prev": prev_result is not None, "notable_change": notable_change,
        "unreported": result.unreported_text(),
        "rose": [moved(r) for r in rose], "fell": [moved(r) for r in fell],
        "red_groups": red_groups, "red_count": sum(g["red"] for g in red_groups),
        "status": {**status, "missing": missing, "blank": blank, "late": late},
    }


def status_context(rows: list[dict], deadline: _dt.date | None) -> dict[str, Any]:
    """报送情况. The units counted are those that owe something (a 政府办 that handed in the county's
    whole 一览表 but answers for no item is listed, 应报 0, and is no 应报单位: the check says 17 where
    the header said 18)."""
    owing = [r for r in rows if r.get("owed", 1)]
    counts = {"submitted": sum(1 for r in owing if r["status"] == "已报送"),
              "late": sum(1 for r in owing if r["status"] == "逾期报送"),
              "missing": sum(1 for r in owing if r["status"] in ("未报送", "未填报")), "total": len(owing)}
    label = f"{deadline.month}月{deadline.day}日前" if deadline else ""
    return {"deadline_label": label, "rows": rows, "counts": counts}


def _score_row_points(r):
    """分值 on 指标得分: what the row can earn for our unit, so the column adds up to full
    marks; deductions and bonuses earn no full marks (their cap is in the method note)."""
    if r.not_assessed or r.kind in ("deduction", "bonus") or r.points is None:
        return ""
    return tidy_number(r.points)


def score_trend(results: dict) -> list[dict]:
    """逐月走势 of 得分测算: month -> that month's result (whole or brief). A month where nothing
    of ours was scored (no figure read: the peer data lacked us) reads 无数据, never a total of 0."""
    return [{"month": m, "month_label": f"{int(m[5:])}月", "total": tidy_number(r.total) if scored(r) else "无数据",
             "estimated_rank": r.estimated_rank if scored(r) else None} for m, r in sorted(results.items())]


def scores_context(result, trend: list[dict]) -> dict[str, Any]:
    """分值 = 测算得分 + 失分 + 未计分 in every row, every category and 合计: items without
    a score this month (no data, words, an unreported constraint) keep their points, shown
    under 未计分 and marked, never dropped and never counted as lost."""
    inds = []
    for r in result.indicators:
        pts = _score_row_points(r)
        lost = unscored = ""
        if r.not_assessed:
            score = "不考核"
        elif r.unreported:
            score = "未报送"
            unscored = pts
        elif r.score is None:
            score = "定性指标，未计分" if r.qualitative else ("暂无数据" if r.kind == "scored" else "")
            unscored = pts
        else:
            score = tidy_number(r.score)
            lost = tidy_number(r.short_of_points) if r.short_of_points is not None else ""
        inds.append({"no": r.shown_no, "name": r.name, "category": r.category, "points": pts,
                     "method": "不考核" if r.not_assessed else _METHOD_LABEL.get(r.method, r.method), "score": score,
                     "leader": r.leader or "", "leader_score": tidy_number(r.leader_score), "lost": lost,
                     "unscored": unscored, "rank": r.rank, "warning": r.colour_label})
    cats = []
    for s in result.subtotals:
        if not any(r.category == s.category and not r.not_assessed for r in result.indicators):
            continue
        name = s.category or "（未分类）"
        if s.unscored_count:
            name += f"（其中{s.unscored_count}项未计分）"
        cats.append({"name": name, "points": tidy_number(s.points), "score": tidy_number(s.score),
                     "lost": tidy_number(s.lost), "unscored": tidy_number(s.unscored_points) or ""})
    parts = [result.estimate_note] if result.estimate_note else []
    if result.unscored_points:
        n = sum(1 for r in result.indicators if r.score is None and not r.not_assessed and r.points)
        parts.append(f"{n}项指标（共{tidy_number(result.unscored_points)}分）本月未计分（暂无数据、文字报送或未报送），"
                     "列在「未计分」中，不算失分")
    if result.unreported_events:
        parts.append(result.unreported_text())
    asks = [{"no": r.shown_no, "name": r.name, "lost": tidy_number(r.points_lost), "rank": r.rank, "leader": r.leader or "",
             "leader_value": _peer_figure(r.leader_value, r), "actual": _shown(r.figure_shown)}
            for r in result.asks()]
    return {"total": tidy_number(result.total), "total_points": tidy_number(result.total_points),
            "estimated_rank": result.estimated_rank, "excluded": result.excluded, "estimate_note": "；".join(parts),
            "categories": cats, "indicators": inds, "asks": asks, "trend": trend}


_METHOD_LABEL = {"rank_steps": "名次递减", "efficacy": "功效系数", "completion": "目标完成",
                 "all_or_nothing": "全有全无", "none": "不计分", "deduction": "扣分", "constraint": "约束条件",
                 "bonus": "加分"}


def departments_context(cards, period_label: str, not_sent: Iterable[str] = (),
                        discipline: dict | None = None, late: Iterable[str] = ()) -> dict[str, Any]:
    """`not_sent`, `late`: the month's departments that sent nothing (their blank card says so) and
    those that sent after the deadline, as 报送情况 says; `discipline` (a quarter's or a year's):
    department -> the months it reported late or not at all."""
    from kaohe_excel.units import same_unit

    not_sent, late = list(not_sent), list(late)
    out_cards, reward, criticism = [], [], []
    for card in cards:
        counts = card.counts()
        verdict = card.verdict
        said = []
        if any(same_unit(card.department, d) for d in not_sent):  # (its items ranked on the city's figures)
            said.append("本月未报送")
        elif any(same_unit(card.department, d) for d in late):
            said.append("本月逾期报送")
        for d, got in (discipline or {}).items():
            if same_unit(card.department, d):
                for key, word in (("late", "逾期报送"), ("missing", "未报送")):
                    if got[key]:
                        said.append(f"期内{word}{len(got[key])}次（{'、'.join(f'{int(m[5:])}月' for m in got[key])}）")
        reporting = "；".join(said)  # a column of its own: the verdict stays the word its colour is keyed to
        out_cards.append({
            "department": card.department, "green": counts.get("green", 0), "yellow": counts.get("yellow", 0),
            "red": counts.get("red", 0), "verdict": verdict, "reporting": reporting,
            "lines": [{"no": ln.shown_no, "name": ln.name, "role": ln.role, "rank": ln.rank, "shown": _shown(ln.shown),
                       "warning": ln.colour_label, "rank_change": ln.rank_change_text,
                       "tier": {1: "第一方阵", 2: "第二方阵", 3: "第三方阵"}.get(ln.tier, ""),
                       "slip_note": ln.slip_note} for ln in card.lines],
        })
        if card.reward:
            reward.append({"department": card.department,
                           "items": "；".join(numbered(ln.shown_no, ln.name) for ln in card.reward)})
        if card.criticism:
            criticism.append({"department": card.department,
                              "items": "；".join(numbered(ln.shown_no, ln.name) + (f"（{ln.slip_note}）" if ln.slip_note else "")
                                                for ln in card.criticism)})
    return {"period_label": period_label, "cards": out_cards, "reward": reward, "criticism": criticism}


def problems_context(problems: Iterable[Problem]) -> dict[str, Any]:
    rows = [{"level": "错误" if p.level == ERROR else "提示", "file": p.file, "sheet": p.sheet or "",
             "cell": p.cell or "", "message": p.message} for p in problems]
    rows.sort(key=lambda r: r["level"] != "错误")  # errors first, each group in the order found
    return {"rows": rows, "counts": {"errors": sum(1 for r in rows if r["level"] == "错误"),
                                     "warnings": sum(1 for r in rows if r["level"] == "提示")}}


def report_file_name(spec: ReportSpec, county: str, month: str, period_label: str | None = None,
                     title: str | None = None) -> str:
    """A plain file name: a county written with separators or `..` (`../../input/叶县`)
    never steers a report out of output/. `title`: the 一览表's own (common_context's
    system_title), which its file is named after (…综合考核指标完成情况一览表, as headed)."""
    year, m = month_parts(month)
    if spec.key == "overview":
        name = f"{title or f'{county}{year}年度高质量发展综合绩效指标完成情况一览表'}（截至{m}月底）"
    elif spec.key == "notice":
        name = f"{county}{year}年{m}月份{spec.title}（稿）"
    elif spec.key == "departments" and period_label:
        name = f"{county}{period_label}部门考核"
    else:
        name = f"{county}{year}年{m}月{spec.title}"
    return safe_file_part(name)[:150] + Path(spec.template).suffix


def write_report(spec: ReportSpec, context: dict, out_dir: Path, file_name: str,
                 workspace: Path | None = None) -> Path:
    """Render one report atomically; a signed report already there gets a new version beside it."""
    from kaohe_excel.fsutil import commit_staged

    return commit_staged([stage_report(spec, context, out_dir, file_name, workspace)])[0]


def stage_report(spec: ReportSpec, context: dict, out_dir: Path, file_name: str,
                 workspace: Path | None = None) -> tuple[Path | None, Path]:
    """Render one report into a hidden file beside where it goes: (staged file, report path).
    A run stages every report before moving any into place, so a template error in the
    fifth report leaves last run's set whole instead of half old and half new. The staged
    file is None when the report there is the one this render would give (write/kept.py):
    it is left as it is."""
    from kaohe_excel.fsutil import temp_beside
    from kaohe_excel.write.signoff import output_path

    out_dir.mkdir(parents=True, exist_ok=True)
    if Path(file_name).name != file_name or file_name in ("", ".", ".."):
        raise ValueError(f"报表文件名「{file_name}」不是单纯的文件名")  # never a path: writes stay in out_dir
    target = output_path(out_dir / file_name)
    template = template_path(spec.template, workspace)
    key, tpl_digest = kept.render_key(template, context, target.name)
    if kept.unchanged(target, key):
        return None, target
    signed = _signed_the_same(out_dir / file_name, target, template, context)
    if signed is not None:
        return None, signed
    tmp = temp_beside(target)
    try:
        if spec.template.endswith(".docx"):
            from kaohe_excel.fsutil import as_ordinary_file
            from kaohe_excel.write.document import render_document

            render_document(template, context, tmp)
            as_ordinary_file(tmp)  # (written into the staged file mkstemp made 0600, as a workbook is not)
        else:
            from kaohe_excel.write.engine import render

            render(template, context, tmp)
        kept.remember(target, key, tmp, template, tpl_digest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp, target


def _signed_the_same(own: Path, target: Path, template: Path, context: dict) -> Path | None:
    """The signed report a 第N版 would be written beside (`target`, not yet there), when this
    render gives what was signed: its data unchanged, no new version is written, and the signed
    one stands as the report (a leader is not asked to sign the same figures twice)."""
    from kaohe_excel.write.signoff import signed_render, version_of, version_path

    if target == own or target.exists():
        return None
    before = version_path(own, version_of(target)[1] - 1)
    key = signed_render(before)
    if key is None:
        return None
    return before if kept.render_key(template, context, before.name)[0] == key else None


PARALLEL_REPORTS = 8  # fewer reports than this are staged here: handing them over costs more


def stage_reports(jobs: Iterable[tuple], pool=None) -> list[tuple[Path | None, Path]]:
    """stage_report for each job (spec, context, out_dir, file_name, workspace), in order.
    With `pool` (the run's worker processes, workspace.Workers), each job is handed to them
    as it is made, so the first are rendered while the caller makes the rest, and the caller
    renders one itself whenever two a worker wait in the queue. A job the
    workers could not take or finish (a worker lost, a context that does not pickle) is
    staged here, as it would be without them. A failure of the render itself leaves nothing
    staged (every job is waited for first) and is raised."""
    from concurrent.futures import Future
    from concurrent.futures.process import BrokenProcessPool

    from kaohe_excel.fsutil import discard_staged

    slots: list = []  # per job, in order: [job, its future or what was staged here]
    lost = False  # a worker died: the files it was staging are left behind, half written
    # this process renders too whenever the workers have enough queued (it is one of the run's
    # processes, one a core: workspace.read_jobs)
    ahead = 2 * max(1, getattr(pool, "_max_workers", 1))
    try:
        for job in jobs:
            fut = None
            if pool is not None and sum(1 for _j, f in slots if isinstance(f, Future) and not f.done()) >= ahead:
                slots.append([job, stage_report(*job)])
                continue
            if pool is not None:
                try:
                    fut = pool.submit(_stage_elsewhere, job)
                except Exception:  # noqa: BLE001 - the pool is gone (a worker lost while reading): the rest here
                    pool, lost = None, True
            slots.append([job, fut if fut is not None else stage_report(*job)])
        failure = None
        for slot in slots:
            if not isinstance(slot[1], Future):
                continue
            try:
                got = slot[1].result()
            except Exception as exc:  # noqa: BLE001 - not handed over, or not back: staged here
                lost = lost or isinstance(exc, BrokenProcessPool)
                slot[1] = None if failure is not None else stage_report(*slot[0])
                continue
            if isinstance(got, BaseException):  # the render failed: raised once every job is done, nothing kept
                failure = failure or got
                slot[1] = None
                continue
            tmp, target, pending = got
            kept.note_pending(target, pending)
            slot[1] = (tmp, target)
        if failure is not None:
            raise failure
        return [slot[1] for slot in slots]
    except BaseException:
        staged = []
        for _job, got in slots:
            if isinstance(got, Future):
                got.cancel()
        for _job, got in slots:
            if isinstance(got, Future):
                try:  # a job already running still stages its file: wait, and remove it
                    got = got.result()
                    got = None if isinstance(got, BaseException) else got[:2]
                except BaseException:  # noqa: BLE001 - cancelled, or not back
                    got = None
            if got is not None:
                staged.append(got)
        discard_staged(staged)
        raise
    finally:
        if lost:
            _sweep_lost(slots)


def _sweep_lost(slots: list) -> None:
    """The staged files a lost worker left half written beside the reports (`.name.XXXX.tmp`, from
    fsutil.temp_beside), other than the ones this run still holds. The run holds the workspace
    lock: no other run is staging there."""
    held = {str(got[0]) for _job, got in slots if isinstance(got, tuple) and got[0] is not None}
    names: dict[Path, set[str]] = {}
    for job, _got in slots:  # (a signed report's next version, 第2版, starts with its name too)
        names.setdefault(Path(job[2]), set()).add(f".{Path(job[3]).stem}")
    for folder, starts in names.items():
        try:
            entries = list(folder.iterdir())
        except OSError:
            continue
        for f in entries:
            n = f.name
            if n.endswith(".tmp") and any(n.startswith(s) for s in starts) and str(f) not in held:
                try:
                    f.unlink()
                except OSError:
                    pass


def _stage_elsewhere(job: tuple) -> tuple[Path | None, Path, tuple | None] | Exception:
    """stage_report in a worker process, with what kept.remember noted there for the report; the
    render's own failure is given back, not raised (what is raised is the hand-over's: see
    stage_reports)."""
    try:
        tmp, target = stage_report(*job)
    except Exception as exc:  # noqa: BLE001 - raised by the run, once every job is done
        return exc
    return tmp, target, kept.take_pending(target)


_COMMON_KEYS = {"county", "year", "last_year", "month", "month_no", "month_label", "period_label", "system_title",
                "annex_label", "generated_at", "signoff", "demo", "rule_note", "green_max", "yellow_max",
                "group_label", "peer_period", "target_label"}
_REPORT_KEYS = {
    "overview": {"total_points", "categories"},
    "bulletin": {"counts", "groups"},
    "status": {"deadline_label", "rows", "counts"},
    "scores": {"total", "total_points", "estimated_rank", "excluded", "estimate_note", "categories", "indicators", "asks",
               "trend"},
    "departments": {"period_label", "cards", "reward", "criticism"},
    "problems": {"rows", "counts"},
    "league": {"rows", "categories", "indicators", "prev_month_label"},
    "notice": {"draft_mark", "date_label", "place", "indicator_count", "total", "total_points", "estimated_rank",
               "estimate_note", "prev", "rank_move", "counts", "prev_counts", "count_changes", "has_prev",
               "notable_change", "rose", "fell", "red_groups", "red_count", "status", "unreported"},
}


# the field names inside each report's data (dict keys at any depth), for `kaohe template check`
_REPORT_FIELDS = {
    "overview": {"label", "name", "points", "points_group", "indicators", "no", "departments", "last_year", "target",
                 "actual", "rank", "warning", "rank_change", "note"},
    "bulletin": {"red", "yellow", "green", "none", "not_assessed", "no_rank", "bonus", "deduction", "vetoed", "department", "items", "no", "name", "warning", "actual",
                 "rank", "rank_change", "rank_change_words", "value_to_reach", "reach_note", "leader", "leader_value", "issues",
                 "next_steps"},
    "status": {"department", "owed", "reported", "unavailable", "status", "file", "submitted_at", "note",
               "submitted", "late", "missing", "total"},
    "scores": {"name", "points", "score", "lost", "unscored", "no", "category", "method", "leader", "leader_score", "rank",
               "warning", "leader_value", "actual", "month", "month_label", "total", "estimated_rank"},
    "departments": {"department", "green", "yellow", "red", "verdict", "reporting", "lines", "no", "name", "role", "rank",
                    "warning", "rank_change", "tier", "slip_note", "items", "shown"},
    "problems": {"level", "file", "sheet", "cell", "message", "errors", "warnings"},
    "league": {"rank", "unit", "total", "total_points", "rate", "prev_rank", "rank_change", "green", "yellow", "red",
               "unscored", "note", "label", "units", "score", "points", "heading", "cells", "display", "target",
               "warning", "name", "no"},
    "notice": {"red", "yellow", "green", "none", "not_assessed", "no_rank", "bonus", "deduction", "vetoed", "month", "month_label", "total", "estimated_rank",
               "no", "name", "departments", "prev_rank", "rank", "places", "rank_change", "warning",
               "department", "items", "actual", "rank_change_words", "value_to_reach", "reach_note", "leader",
               "leader_value", "issues", "next_steps", "deadline_label", "rows", "counts", "owed", "reported",
               "unavailable", "status", "file", "submitted_at", "note", "submitted", "late", "missing", "blank"},
}


def provided_fields(report_key: str | None) -> set[str]:
    """The field names a report's data holds below the top level (`x.name`, `signoff.date`)."""
    return {"reviewer", "issuer", "date"} | _REPORT_FIELDS.get(report_key or "", set())


def provided_variables(report_key: str | None) -> set[str]:
    """The top-level names a report's context holds (for `kaohe template check`)."""
    return _COMMON_KEYS | _REPORT_KEYS.get(report_key or "", set())


def league_file_name(heading: str, month: str) -> str:
    """The league's file, named like its heading (evaluate.league_title: the system's name
    without its document words)."""
    year, m = month_parts(month)
    return safe_file_part(f"{heading}{year}年{m}月排名总表")[:150] + ".xlsx"


_KIND_WORDS = {"constraint": "约束条件", "deduction": "减分项", "bonus": "加分项"}
_LEAGUE_METHOD_WORDS = {"efficacy": "功效系数法计分", "completion": "按目标完成比例计分",
                        "all_or_nothing": "完成目标得满分", "none": "不计分"}


_STATED_POINTS = re.compile(r"\s*[（(]\s*(?:共|计|满分)?\s*[0-9.]+\s*分\s*[)）]\s*$")


def league_context(league, thresholds: tuple[int, int] | None = None) -> dict[str, Any]:
    """排名总表: every unit's line (total, 折算得分, place and last month's), a block per category
    and per indicator. Figures are the units' own MonthResults' (one truth). `thresholds`: the rank
    rule's (green_max, yellow_max): a rank-coloured cell's 预警提示 is a formula on its rank, as in
    each unit's 一览表, so a rank corrected by hand turns it (rank_warning)."""
    def rate(x):
        return rate_shown(x) if x is not None else ""

    def blank(x):
        return "" if x is None else tidy_number(x)

    rows = []
    for r in league.rows:
        note = r.note
        rows.append({"rank": r.rank if r.rank is not None else "不参与排名", "unit": r.unit,
                     "total": tidy_number(r.total), "total_points": tidy_number(r.total_points), "rate": rate(r.rate),
                     "prev_rank": blank(r.prev_rank), "rank_change": r.rank_change_text,
                     "green": r.colours.get(GREEN, 0), "yellow": r.colours.get(YELLOW, 0),
                     "red": r.colours.get(RED, 0), "unscored": r.unscored, "note": note})
    categories = []
    for k, cat in enumerate(league.categories):
        items = [i for i in league.indicators if i.category == cat]
        # a category of 约束条件 with no points to earn: what happened is its figure (未完成, 发生1起),
        # not a score of 0 (probe 25: 0 of 0 beside the unit whose veto was triggered)
        vetoes = bool(items) and all(i.kind == "constraint" for i in items)
        said = {}
        if vetoes:
            for i in items:
                for c in i.cells:
                    said.setdefault(c.unit, []).append(f"{i.name}：{c.display}" if len(items) > 1 else c.display)
        units = [{"unit": r.unit, "score": "；".join(said.get(r.unit, [])) if vetoes and not st.points
                  else tidy_number(st.score),
                  "points": tidy_number(st.points),
                  "rate": rate(st.rate) if st.scored else "", "rank": blank(st.rank)}
                 for r in league.rows for st in (r.subtotals[k],)]
        units.sort(key=lambda u: (u["rank"] == "", u["rank"] if u["rank"] != "" else 0))
        # (经济发展（17分）: the table's default full marks; each unit's own are in 满分 beside it)
        label = f"{cn_index(k + 1)}、{_STATED_POINTS.sub('', strip_section_number(cat)) or '指标'}"
        categories.append({"label": label, "name": cat, "units": units})
    indicators = []
    for i in league.indicators:
        if i.kind in _KIND_WORDS:  # an event item: its direction says nothing, what it is does
            words = _KIND_WORDS[i.kind]
        else:
            words = {"higher": "正向", "lower": "逆向"}.get(i.direction, "")
            if i.method in _LEAGUE_METHOD_WORDS:  # not by place: say so, or its scores read out of order
                words += ("，" if words else "") + _LEAGUE_METHOD_WORDS[i.method]
        bits = [w for w in (words, f"单位：{i.unit}" if i.unit else "") if w]
        no = i.key.shown_no if i.key is not None else i.no
        heading = (f"{no}. {i.name}" if no not in (None, "") else i.name) + (
            f"（{'，'.join(bits)}）" if bits else "")
        cells = [{"rank": blank(c.rank), "unit": c.unit, "display": c.display,
                  "target": blank(c.target) if c.target is not None else c.target_text,
                  "points": blank(c.points) if not c.not_assessed else "不考核", "score": blank(c.score),
                  "warning": rank_warning(c, thresholds),
                  "prev_rank": blank(c.prev_rank), "rank_change": c.rank_change_text} for c in i.cells]
        indicators.append({"no": no, "name": i.name, "heading": heading, "cells": cells})
    prev = f"{int(league.prev_month[5:])}月" if league.prev_month else ""
    return {"rows": rows, "categories": categories, "indicators": indicators, "prev_month_label": prev}
