"""A department's monthly progress sheet (月报, 附件2 layout) -> Submission (reader
layer: above tables, columns and matching; workbook.read_submissions reads the file).

序号 | 指标内容 | 分值 | 责任单位 | 上年完成情况(位次) | 本年目标 | 截至本月底完成情况 | 排名 |
预警提示 | 存在问题 | 下步举措, under any of their usual names, whatever the file and
sheet are called. The department comes from the sign-off line (填报单位), the title,
the 责任单位 column or the file name; the month from the title, the sheet's name (in a
workbook of several reports: one kept all year, a sheet per month), the file name or the
folder; disagreements are reported. Each row is matched to the indicator system by
序号 and name, tolerating typos and line-wrap spaces.
"""

from __future__ import annotations

import re
from dataclasses import replace
from collections import Counter
from pathlib import Path
from typing import Any

from kaohe_excel.model import Entry, IndicatorSystem, Submission, item_label
from kaohe_excel.units import DepartmentIndex, dept_core
from kaohe_excel.problems import ERROR, WARNING, InputError, Problem, cell_ref
from kaohe_excel.read.columns import SUBMISSION_ROLES, Columns, header_cell, resolve_columns
from kaohe_excel.read.grid import CellFlags, Grid, sheet_cell_flags
from kaohe_excel.read.matching import is_section_row, matcher_for
from kaohe_excel.read.tables import Table, find_table, looks_like_section, row_single_text
from kaohe_excel.text import (cn_to_int, compact, fold_width, kept_per_text, normalize_name, number_runs, parse_no,
                              split_unit_list)
from kaohe_excel.read.values import (ERROR as V_ERROR, INVALID, MISSING, OK, TEXT, as_rate_of, is_growth, mistyped_number,
                                     parse_date, parse_rank, parse_value)

# Sign-off labels -> the key kept in Submission.signoff.
SIGNOFF_LABELS = [
    ("填报单位", r"(?:填报|填表|报送)单位(?:[（(]\s*(?:盖章|签章|公章)\s*[)）])?"),
    ("主要负责人", r"(?:主要|单位)负责人(?:[（(]\s*签字\s*[)）])?"),
    ("分管负责人", r"分管(?:负责人|领导)(?:[（(]\s*签字\s*[)）])?"),
    ("填报人", r"(?:填报|填表|经办)人"),
    ("联系电话", r"联系(?:电话|方式)|电话"),
    ("填报日期", r"(?:填报|填表|报送)(?:日期|时间)|日期"),
    ("审核人", r"审核人?"),
]
_LABEL_RE = re.compile("|".join(f"(?P<k{i}>{rx})(?:[（(]\\s*必填\\s*[)）])?\\s*[:：]"
                                for i, (_k, rx) in enumerate(SIGNOFF_LABELS)))

# --- months --------------------------------------------------------------------

_CN_NUM = r"[0-9]{1,2}|[一二三四五六七八九十]{1,3}"


def _mnum(s: str) -> int | None:
    n = int(s) if s.isdigit() else cn_to_int(s)
    return n if n and 1 <= n <= 12 else None


def month_from_text(text: str, default_year: int | None = None) -> str | None:
    """'截至8月底' / '2023年1-8月' / '2023年8月' / '2023-08' / '202308' / '8月份' -> 'YYYY-MM'.

    Needs a year in the text or `default_year`; None when no month is written."""
    t = compact(fold_width(text or ""))
    if not t:
        return None
    ym = _year_month(t)
    if ym:
        y, m = ym
        if y is None:
            y = default_year
        return f"{y:04d}-{m:02d}" if y else None
    return None


def _year_month(t: str) -> tuple[int | None, int] | None:
    pats = [
        (rf"(20[0-9]{{2}})年度?(?:{_CN_NUM})[-—~～至到]+({_CN_NUM})月", 1, 2),
        (rf"(20[0-9]{{2}})年度?(?:截至|截止)?({_CN_NUM})月(?![0-9]{{1,2}}日)", 1, 2),
        (r"(20[0-9]{2})[-_.．/](0?[1-9]|1[0-2])(?![0-9])", 1, 2),
        (r"(?<![0-9])(20[0-9]{2})(0[1-9]|1[0-2])(?![0-9])", 1, 2),
        (rf"(?:截至|截止|至)({_CN_NUM})月(?:底|末|份)?", None, 1),
        (rf"(?<![0-9年])(?:{_CN_NUM})[-—~～至到]+({_CN_NUM})月", None, 1),
        (rf"(?<![0-9年月日])({_CN_NUM})月(?:份|底|末|报)?(?![0-9]{{1,2}}日)", None, 1),
    ]
    for rx, gy, gm in pats:
        for m in re.finditer(rx, t):
            mon = _mnum(m.group(gm))
            if mon is None:
                continue
            year = int(m.group(gy)) if gy else None
            if year is None:
                yy = re.search(r"(20[0-9]{2})年", t)
                year = int(yy.group(1)) if yy else None
            return year, mon
    return None


def _month_label(m: str | None) -> str:
    if not m:
        return "（未知）"
    y, mm = m.split("-")
    return f"{y}年{int(mm)}月"


# --- sign-off ------------------------------------------------------------------

def read_signoff(grid: Grid, rows: list[int]) -> tuple[dict[str, str], dict[str, tuple[int, int, Any]]]:
    """Sign-off fields in these rows: {'填报单位': '叶县发改委', '填报日期': '2023年9月4日', …}
    and where each value sits (row, col, raw cell value)."""
    found: dict[str, str] = {}
    where: dict[str, tuple[int, int, Any]] = {}
    for r in rows:
        cells = grid.cells[r] if r < grid.nrows else []
        c = 0
        while c < len(cells):
            rng = grid.merge_of(r, c)
            if rng is not None and rng[1] != c:
                c += 1
                continue
            text = grid.text(r, c)
            matches = list(_LABEL_RE.finditer(text))
            for i, m in enumerate(matches):
                key = next(SIGNOFF_LABELS[int(g[1:])][0] for g, v in m.groupdict().items() if v)
                end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
                val = text[m.end():end].strip().strip("：:").strip()
                raw: Any = val
                vc = c
                if not val and i == len(matches) - 1:
                    # the value sits in the next non-empty cell, unless that is a label
                    nc = (rng[3] + 1) if rng is not None else c + 1
                    while nc < len(cells):
                        nt = grid.text(r, nc).strip()
                        if nt:
                            if not _LABEL_RE.search(nt):
                                val, raw, vc = nt, grid.value(r, nc), nc
                            break
                        nc += 1
                if key not in found or (not found[key] and val):
                    found[key] = normalize_name(val) if key != "联系电话" else val
                    where[key] = (r, vc, raw)
            c += 1
    return found, where


# --- the sheet -------------------------------------------------------------------

# Indicators assessed by their growth or reduction rate, not the amount.


def _title_text(grid: Grid, table: Table) -> str:
    texts = []
    for r in range(0, table.header_rows[0]):
        for t in dict.fromkeys(x.strip() for x in grid.row_texts(r)):
            if t and not re.fullmatch(r"附\s*件\s*[0-9一二三四五六七八九十]*[:：]?", t):
                texts.append(t)
    return " ".join(texts)


def _title_cell(grid: Grid, table: Table) -> tuple[int | None, int | None]:
    """Where the title sits (the longest text above the header), for problems about it."""
    best, where = "", (None, None)
    for r in range(0, table.header_rows[0]):
        for c, t in enumerate(grid.row_texts(r)):
            if len(t.strip()) > len(best) and grid.is_merge_origin(r, c):
                best, where = t.strip(), (r, c)
    return where


def submissions_from_grids(path: Path, grids: list[Grid], system: IndicatorSystem | None = None, *,
                           n_peers: int | None = 6, folder_month: str | None = None, county: str | None = None,
                           departments: DepartmentIndex | None = None, display_name: str | None = None,
                           sheet_notes: list[Problem] | None = None, sender: str | None = None) -> list[Submission]:
    """Every monthly sheet among the workbook's grids (usually one). InputError when none
    is found. `sheet_notes` (hidden sheets left unread) go first among the first sheet's
    problems. `sender`: the unit whose own report the file is (the view from above), named
    where the file is spoken of, not the department a sheet's 填报单位 suggests.
    (workbook.read_submissions reads the file.)"""
    flags = sheet_cell_flags(path) if path.exists() else {}
    depts = departments or DepartmentIndex.from_system(system, county)
    out: list[Submission] = []
    tables = [(g, t) for g in grids for t in [find_submission_table(g)] if t is not None]
    for g, table in tables:
        sub = submission_from_table(table, system, n_peers=n_peers, folder_month=folder_month, departments=depts,
                                    flags=flags.get(g.sheet), file_name=display_name or path.name,
                                    sheet_named=len(tables) > 1)
        if path.exists():
            sub.mtime = path.stat().st_mtime
        out.extend(_joint_split(sub, depts, _title_text(g, table)) if sender is None else [sub])
    if not out:
        sheets = "、".join(g.sheet for g in grids) or "（无）"
        raise InputError(Problem(display_name or path.name, grids[0].sheet if len(grids) == 1 else None, None, ERROR,
                                 "没有找到月报表格：表头应含「序号」「指标内容/指标名称」「截至本月底完成情况」「排名」等列"
                                 f"（已查看工作表：{sheets}）"))
    name = display_name or path.name
    out[0].problems[:0] = [Problem(name, p.sheet, p.cell, p.level, p.message) for p in sheet_notes or ()]
    return _drop_copies(out, folder_month, sender)


def _joint_split(sub: Submission, depts: DepartmentIndex, title: str) -> list[Submission]:
    """A joint file (县人社局、县教体局2024年2月指标进展情况.xlsx): its name or title names two or more
    departments and its rows' own 责任单位 cells say whose each row is. One submission a department,
    each with its rows, so each is counted as having reported (and its figures as its own); any
    other file is one department's."""
    named = depts.all_in(f"{Path(sub.file).stem} {title}")
    if len(named) < 2:
        return [sub]
    whose = {id(e): e.row_department for e in sub.entries}
    if any(d not in named for d in whose.values()) or len(set(whose.values())) < 2:
        return [sub]
    out = []
    for d in named:
        rows = [e for e in sub.entries if whose[id(e)] == d]
        if rows:
            for e in rows:
                e.department = d
            # (the file's problems once, without the ones about whose it is: the rows say that)
            kept = [p for p in sub.problems if not p.message.startswith(SENDER_WORDS)] if not out else []
            out.append(replace(sub, department=d, entries=rows, problems=kept))
    return out


# What the reader says about who sent a sheet: beside the point where the rows (a joint file) or the
# unit (the view from above) say whose it is.
SENDER_WORDS = ("报送单位「", "责任单位不一致", "无法确定报送单位")


def month_report_of(grids: list[Grid]) -> tuple[str, str] | None:
    """(title, sheet) of a department's monthly report among these sheets (signed, its figures
    filled in, and no points of its own unless its title says it is a 进展情况/填报表), else
    None: a report put where an indicator system belongs (input/, `kaohe spec`) is named as such."""
    for g in grids:
        t = find_submission_table(g)
        if t is None:
            continue
        rows = [r for r in t.body_rows if not looks_like_section(t, r)]
        title = _title_text(g, t)
        form = re.search(r"进展情况|月报|填报表|调度表|报表", title + " " + g.file)
        if t.has("points") and any(g.text(r, t.col("points")).strip() for r in rows) and not form:
            continue
        year = re.search(r"(20[0-9]{2})", title)
        cols = resolve_columns(t, int(year.group(1)) if year else None)
        if cols.actual is None:
            continue
        signed = any(re.search(r"填报单位|填表单位|填报人|填表人|填报日期|填表日期", t)
                     for r in range(max(0, g.nrows - 15), g.nrows) for t in g.row_texts(r))
        if signed and any(g.text(r, cols.actual).strip() for r in rows):  # a department's, signed and filled
            return title or g.sheet, g.sheet
    return None


def find_submission_table(grid: Grid) -> Table | None:
    table = find_table(grid, SUBMISSION_ROLES, required=("name",), min_roles=3)
    if table is None:
        return None
    roles = set(table.columns)
    if not roles & {"actual", "rank"}:
        return None
    if len(table.unit_columns) >= 3:
        return None  # one column per county: peer data, not a monthly sheet
    return table


def _drop_copies(subs: list[Submission], folder_month: str | None, sender: str | None = None) -> list[Submission]:
    """Several sheets of one department: keep the reported month's (the folder's, else the file
    name's), then the fullest; with none of that month, the latest filled (it is the one to name
    as misplaced). Said of the `sender` when the file is a unit's own (its sheets are the unit's,
    whoever filled them)."""
    by_dept: dict[Any, list[Submission]] = {}
    for s in subs:
        by_dept.setdefault(s.department, []).append(s)
    keep: list[Submission] = []
    for dept, group in by_dept.items():
        if len(group) == 1 or dept is None:
            keep.extend(group)
            continue
        merged = _merge_split_sheets(group, folder_month)
        if merged is not None:
            keep.append(merged)
            continue
        target = folder_month or _file_month(group)
        cand = [s for s in group if target and s.month == target] or group
        best = max(cand, key=lambda s: (_filled(s) > 0, s.month or "", _filled(s)))  # (a tie: the first)
        who = f"同一文件中{sender or dept}有多个月报工作表；"
        other = [s for s in group if s.month and best.month and s.month != best.month]
        if other:  # a workbook kept all year: its other months are said once, as other months
            names = "、".join(f"「{s.sheet}」" for s in other)
            what = f"工作表{names}" if len(other) == 1 else f"其余{len(other)}个工作表{names}"
            best.problems.append(Problem(other[0].file, other[0].sheet if len(other) == 1 else None, None, WARNING,
                                         f"{who}{what}属于{_months_text([s.month for s in other])}，"
                                         f"不是{_month_label(best.month)}的月报，未采用，采用工作表「{best.sheet}」"))
        for s in group:
            if s is not best and s not in other:
                why = "且填写的数据较少" if _filled(s) < _filled(best) else "、填写的数据一样多（取排在前面的）"
                best.problems.append(Problem(s.file, s.sheet, None, WARNING,
                                             f"{who}工作表「{s.sheet}」与工作表「{best.sheet}」重复{why}，未采用，"
                                             f"采用工作表「{best.sheet}」"))
        keep.append(best)
    return keep


def _filled(s: Submission) -> int:
    """How full a sheet is (its figures and ranks): copies of one month are told apart by it."""
    return sum(1 for e in s.entries if e.actual is not None or e.rank is not None)


def _file_month(group: list[Submission]) -> str | None:
    """The month the file's name gives (no folder: a workbook read by itself), in the sheets' year."""
    years = [int(s.month[:4]) for s in group if s.month]
    return month_from_text(Path(group[0].file).stem, years[0] if years else None)


def _months_text(months: list[str]) -> str:
    """['2023-01', …, '2023-07', '2023-09'] -> '2023年1—7月、9月': the months, runs joined."""
    parts = []
    for y in sorted({m[:4] for m in months}):
        runs = number_runs(sorted({int(m[5:]) for m in months if m[:4] == y}))
        parts.append(f"{int(y)}年" + "、".join(f"{a}月" if a == b else f"{a}—{b}月" for a, b in runs))
    return "、".join(parts)


def _merge_split_sheets(group: list[Submission], folder_month: str | None) -> Submission | None:
    """One department's indicators split over several sheets of one workbook (one per
    分管领导, one per section): the sheets share the month and no indicator, so they are
    one report. Returns the merged submission, or None when the sheets are copies."""
    months = {s.month for s in group if s.month}
    if len(months) > 1:
        return None
    seen: set[int] = set()
    for s in group:
        nos = {e.key for e in s.entries if e.key is not None}
        if not nos or nos & seen:
            return None
        seen |= nos
    base = group[0]
    out = Submission(file=base.file, sheet=base.sheet, department=base.department, month=base.month,
                     filled_date=max((s.filled_date for s in group if s.filled_date), default=None),
                     signoff=dict(base.signoff), problems=list(base.problems), entries=list(base.entries))
    out.mtime = base.mtime
    for s in group[1:]:
        out.entries.extend(s.entries)
        out.problems.extend(s.problems)
        for k, v in s.signoff.items():
            out.signoff.setdefault(k, v)
    return out


def submission_from_table(table: Table, system: IndicatorSystem | None, *, n_peers: int | None = 6,
                          folder_month: str | None = None, departments: DepartmentIndex | None = None,
                          flags: CellFlags | None = None, file_name: str | None = None,
                          sheet_named: bool = False) -> Submission:
    """`sheet_named`: the sheet is one of several reports in its workbook, so a month in its
    name (8月, 2023.08, 1-8月) says which month it is, after the title's and before the file's
    (a workbook kept all year, a sheet per month, is named for the latest month only)."""
    grid = table.grid
    file = file_name or grid.file
    problems: list[Problem] = []

    def prob(r, c, msg, level=ERROR):
        problems.append(Problem(file, grid.sheet, cell_ref(r, c) if r is not None and c is not None else None, level, msg))

    for r, c, msg in table.hidden_notes:  # hidden rows and columns left unread
        prob(r, c if c is not None else 0, msg, WARNING)
    depts = departments or DepartmentIndex.from_system(system)
    title = _title_text(grid, table)
    folder_year = int(folder_month[:4]) if folder_month else None
    title_month = month_from_text(title, folder_year)
    title_year = int(title_month[:4]) if title_month else folder_year
    cols = resolve_columns(table, title_year)
    if cols.month_only is not None:
        _say_month_column_left(table, cols, prob)

    # sign-off lines: rows above the header and the rows after the table that are not body
    body = set(table.body_rows)
    other_rows = [r for r in range(grid.nrows) if r not in body and r not in table.header_rows
                  and r not in table.repeated_header_rows]
    signoff, where = read_signoff(grid, other_rows)

    # month
    file_month = month_from_text(Path(file).stem, title_year or folder_year)
    # The title wins over the sheet's name: it is what was printed and signed, while a tab is
    # often copied (7月 (2)) and left unrenamed; the disagreement is said below. A lone sheet's
    # name is not read: its tab is as often last month's left over as the file's month.
    sheet_month = (month_from_text(grid.sheet, title_year or folder_year or (int(file_month[:4]) if file_month else None))
                   if sheet_named else None)
    month = title_month or sheet_month or file_month or folder_month
    sources = [("表内标题", title_month), ("工作表名", sheet_month), ("文件名", file_month), ("文件夹", folder_month)]
    written = [(k, m) for k, m in sources if m]
    if len({m for _k, m in written}) > 1:
        detail = "，".join(f"{k}为{_month_label(m)}" for k, m in written)
        tr, tc = _title_cell(grid, table) if title_month else (None, None)
        prob(tr, tc, f"月份不一致：{detail}；按{written[0][0]}的{_month_label(month)}读取，请核实是否报错了月份",
             WARNING)

    filled_date = None
    if "填报日期" in where:
        r, c, raw = where["填报日期"]
        d = parse_date(raw, title_year or folder_year, month=month)  # (1月8日 under a December report: next year's)
        if d is not None:
            filled_date = d.isoformat()
            signoff["填报日期"] = d.isoformat()
        elif signoff.get("填报日期"):
            prob(r, c, f"填报日期「{signoff['填报日期']}」无法识别，是否逾期只能按文件时间推定；"
                       "应写成 2023年9月5日 或 2023-09-05", WARNING)

    # department
    col_depts: Counter = Counter()
    data_rows = [r for r in table.body_rows if looks_like_section(table, r) is None]
    if cols.dept is not None:
        for r in data_rows:
            for u in split_unit_list(grid.text(r, cols.dept)):
                col_depts[depts.resolve(u) or dept_core(u, depts.county)] += 1
    candidates: list[tuple[str, str | None, str]] = []
    if signoff.get("填报单位"):
        raw = signoff["填报单位"]
        candidates.append(("填报单位", depts.resolve(raw) or depts.find_in(raw) or (dept_core(raw, depts.county) or None), raw))
    if col_depts:
        top, n = col_depts.most_common(1)[0]
        if n >= max(1, 0.6 * sum(1 for r in data_rows if grid.text(r, cols.dept).strip())):
            candidates.append(("责任单位列", top, top))
    t_dept = depts.find_in(title) if title else None
    if t_dept:
        candidates.append(("表内标题", t_dept, title))
    f_dept = depts.find_in(Path(file).stem)
    if f_dept:
        candidates.append(("文件名", f_dept, Path(file).stem))
    department = candidates[0][1] if candidates else None
    distinct = list(dict.fromkeys(d for _k, d, _r in candidates if d))
    if len(distinct) > 1:
        detail = "，".join(f"{k}为「{d}」" for k, d, _r in candidates if d)
        sr, sc = where["填报单位"][:2] if "填报单位" in where else (None, None)
        prob(sr, sc, f"责任单位不一致：{detail}；按{candidates[0][0]}认定为「{department}」，请核实", WARNING)
    if department is None:
        many = len(col_depts) >= 2
        prob(None, None, "无法确定报送单位：" + ("该表含多个责任单位的指标，按各行责任单位读取；" if many else "")
             + "应在表下填写「填报单位（盖章）：XX局」，或在文件名中写明单位", WARNING)
    elif depts.canonical and department not in depts.canonical:
        sr, sc = where["填报单位"][:2] if "填报单位" in where else (None, None)
        prob(sr, sc, f"报送单位「{department}」不是指标体系中任何指标的责任单位", WARNING)

    sub = Submission(file=file, sheet=grid.sheet, department=department, month=month, filled_date=filled_date,
                     signoff=signoff, problems=problems)
    _read_entries(table, cols, sub, system, depts, n_peers, flags or CellFlags({}, set()), prob)
    if not sub.entries and not any(p.level == ERROR for p in problems):
        prob(table.header_rows[-1], 0, "找到了表头，但表头下没有任何指标行", ERROR)
    return sub


def _say_month_column_left(table: Table, cols: Columns, prob) -> None:
    """Once a sheet: its 当月 column is the month's own figure, not the result to the end of the
    month the assessment (and the peers' 1-8月 table) uses; the clerk sees which column was read."""
    (mr, mc), (ar, ac) = header_cell(table, cols.month_only), header_cell(table, cols.actual)
    month, to_date = compact(table.grid.text(mr, mc)), compact(table.grid.text(ar, ac))
    prob(mr, mc, f"表头「{month}」（{cell_ref(mr, mc)}）是当月数，「{to_date}」（{cell_ref(ar, ac)}）是累计数；"
                 "完成情况按累计一栏读取，当月一栏未采用", WARNING)


def _read_entries(table: Table, cols: Columns, sub: Submission, system: IndicatorSystem | None,
                  depts: DepartmentIndex, n_peers: int | None, flags: CellFlags, prob) -> None:
    grid = table.grid
    matcher = matcher_for(system) if system is not None else None
    rows = []
    for r in table.body_rows:
        # (a row of several texts is neither a section nor a note: every data row, asked once)
        if row_single_text(table, r) is not None and (is_section_row(table, r, matcher) or _is_note_row(table, r)):
            continue
        name_raw = grid.text(r, cols.name).strip() if cols.name is not None else ""
        no_raw = grid.text(r, cols.no).strip() if cols.no is not None else ""
        if not name_raw and not no_raw:
            continue
        if is_total_row(name_raw) or (not name_raw and is_total_row(no_raw)):
            continue  # 小计 / 合计: the department's own sums, not an indicator
        rng = grid.merge_of(r, cols.name) if cols.name is not None else None
        if rng is not None and rng[0] != r and not _has_values(grid, r, cols):
            continue  # lower part of a name merged down
        rows.append((r, no_raw, parse_no(no_raw), name_raw))

    # Departments sometimes number their own rows 1..k: then the number means nothing.
    local_numbers = False
    if matcher is not None:
        numbered = [(no, matcher.by_name(name)[0]) for _r, _nr, no, name in rows if no is not None and name]
        disagree = [1 for no, ind in numbered if ind is not None and ind.no != no]
        if len(disagree) >= 2 and len(disagree) >= 0.6 * len(numbered):
            local_numbers = True
            prob(table.header_rows[-1], cols.no, "本表序号与指标体系序号不一致（像是本单位自编序号），已按指标名称对应", WARNING)

    seen: dict[int, int] = {}
    filtered = (grid.source or grid).filtered_rows  # rows a filter hides: read, but a visible row wins
    for r, no_raw, no, name_raw in rows:
        inline = None
        if cols.actual is not None and not grid.text(r, cols.actual).strip():
            name_raw, inline = _figure_in_name(name_raw, matcher)
        name = normalize_name(name_raw)
        match = None
        if matcher is not None:
            match = matcher.match(None if local_numbers else no, name_raw, no_raw)
            if match.level:
                prob(r, cols.name if cols.name is not None and (match.how != "name" or not no_raw) else cols.no,
                     match.message, match.level if (match.how != "none" or _has_values(grid, r, cols)) else WARNING)
        ind = match.indicator if match else None
        key = matcher.key_of(ind) if ind is not None else None
        own = None  # the 责任单位 the row itself names
        if cols.dept is not None:
            units = split_unit_list(grid.text(r, cols.dept))
            own = (depts.resolve(units[0]) or dept_core(units[0], depts.county)) if units else None
        row_dept = sub.department or own
        entry = Entry(no=ind.no if ind else no, name=ind.name if ind else name, department=row_dept or "",
                      file=sub.file, sheet=sub.sheet, row=r + 1, key=key, row_department=own or "")
        _fill_values(grid, r, cols, entry, n_peers, flags, prob, name_raw)
        if inline is not None and entry.actual is None:
            val = as_rate_of(entry.name, parse_value(inline))
            entry.actual, entry.actual_raw = val.value, val.raw
            entry.cell = cell_ref(r, cols.name)
            prob(r, cols.name, f"完成值「{inline}」写在了指标名称一栏（「{name_raw}：{inline}」），已按完成值读取；"
                               "请把完成值填在「截至本月底完成情况」一栏", WARNING)
        if ind is not None:
            if key in seen and seen[key] - 1 in filtered and r not in filtered:
                # the clerk sees this row; the earlier one, out of view under the filter, is the copy
                prob(seen[key] - 1, cols.name, f"{item_label(ind.key, ind.name)}在本表第 {r + 1} 行已填报，第 {seen[key]} 行"
                                               "（被筛选隐藏）重复，未采用", WARNING)
                sub.entries = [x for x in sub.entries if x.key != key]
            elif key in seen:
                prob(r, cols.name, f"{item_label(ind.key, ind.name)}在本表第 {seen[key]} 行已填报，本行重复，未采用", WARNING)
                continue
            seen[key] = r + 1
        elif match is not None:
            continue  # the problem says why; an unmatched row gives no entry
        sub.entries.append(entry)


_TOTAL_RE = re.compile(r"^(?:本单位|本部门|[一二三四五六七八九十]+[、.])?(?:小计|合计|总计|共计|累计得分|得分合计|总分)$")


@kept_per_text
def is_total_row(text: str) -> bool:
    """A 小计 / 合计 row (a sum the sheet adds, never an indicator)."""
    return bool(_TOTAL_RE.match(compact(text or "")))


def _is_note_row(table: Table, r: int) -> bool:
    """A sentence merged across the table (红黄绿预警提示：排名1-2名的用绿色标识…。), as the
    一览表 a department fills in carries at its foot: a note, not an indicator."""
    text = row_single_text(table, r)
    grid = table.grid
    if text is None or not (len(text) > 40 or "。" in text):
        return False
    return any((m := grid.merge_of(r, c)) is not None and m[3] - m[1] >= 2 for c in range(len(grid.cells[r])))


_NAME_WITH_FIGURE = re.compile(r"^(\S.{1,40}?)\s*[：:]\s*((?:增长|下降|减少|增加)?[-+−]?[0-9][0-9.,，]*\s*(?:%|％|‰|[\u4e00-\u9fa5/]{1,6})?)$")


_NAME_THEN_FIGURE = re.compile(r"^([\u4e00-\u9fa5（）()]{4,40}?)((?:增长|下降)?[-+−]?[0-9][0-9.]*\s*(?:%|％|‰|个|家|人|亿元|万元))$")


def _figure_in_name(name_raw: str, matcher) -> tuple[str, str | None]:
    """(the name, the figure) of a name cell holding both, its figure's own cell empty:
    「农村居民人均可支配收入增速：8.7%」, or 「固定资产投资增速7.4%」 where the name before the figure
    names an indicator better than the whole text does (PM2.5年均浓度 keeps its 2.5). It was
    matched, then left without a figure, unsaid."""
    m = _NAME_WITH_FIGURE.match(name_raw)
    whole = matcher.by_name(name_raw)[1] if m is None and matcher is not None else 100
    if whole < 100:
        m = _NAME_THEN_FIGURE.match(name_raw)
        if m is not None and matcher.by_name(m.group(1))[1] < max(whole + 5, matcher.NAME_OK):
            m = None
    if m and parse_value(m.group(2)).status == OK:
        return m.group(1).strip(), m.group(2).strip()
    return name_raw, None


def _has_values(grid: Grid, r: int, cols: Columns) -> bool:
    for c in (cols.actual, cols.rank, cols.growth, cols.month_only):
        if c is not None and grid.text(r, c).strip():
            return True
    return False


_RATE_UNITS = ("%", "‰", "个百分点", "百分点")  # what a growth rate may be written in


def _fill_values(grid: Grid, r: int, cols: Columns, e: Entry, n_peers: int | None, flags: CellFlags, prob,
                 row_name: str = "") -> None:
    value_cols = {cols.actual, cols.growth, cols.month_only} - {None}

    def own(c):
        """The grid shows a merge's text in every cell it covers; a cell covered by a merge begun
        in another column of the row (正常推进 merged across 完成情况|排名|预警提示) holds that
        column's text, not its own (the amount and the 增速 under one header, or 当月 and 累计,
        share a figure)."""
        rng = grid.merge_of(r, c)
        return rng is None or rng[1] == c or (c in value_cols and rng[1] in value_cols)

    def cell(c):
        if not own(c):
            return "", False, None
        return grid.value(r, c), (r, c) in flags.percent, flags.errors.get((r, c))

    def text(c):
        return grid.text(r, c).strip() if c is not None and own(c) else ""

    actual_col = cols.actual
    if cols.growth is not None and (actual_col is None or (
            text(cols.growth) and (is_growth(e.name, row_name) or not text(actual_col)))):
        actual_col = cols.growth  # a growth indicator: the 增速 beside the amount is what is assessed
    elif cols.growth is not None and text(actual_col) and is_growth(e.name, row_name):
        v, pct, err = cell(actual_col)
        amount = parse_value(v, percent_format=pct, error=err)
        if amount.status == OK:
            # a growth indicator whose 增速 is blank: the amount beside it is no rate (35.2亿元
            # taken as a growth of 35.2 would rank and score silently); no figure this month
            what = "不是增速" if amount.percent else "是总量，不是增速"
            prob(r, cols.growth, f"增速为空，完成值（{cell_ref(r, actual_col)}）「{amount.raw}」{what}，未采用；"
                                 f"本项本月按没有数据处理，请在增速列填写增速", WARNING)
            actual_col = cols.growth
    if cols.month_only is not None and actual_col == cols.actual and not text(actual_col) and text(cols.month_only):
        # only the month's own figure written: it is not the result to date, nor left unsaid
        prob(r, actual_col, f"累计一栏为空，当月一栏（{cell_ref(r, cols.month_only)}）「{text(cols.month_only)}」"
                            "不是截至本月底的累计数，未采用；本项本月按没有数据处理，请在累计一栏填写", WARNING)
    if actual_col is not None:
        v, pct, err = cell(actual_col)
        val = as_rate_of(e.name, parse_value(v, percent_format=pct, error=err))
        e.cell = cell_ref(r, actual_col)
        e.actual_raw = val.raw
        e.actual = val.value if val.status == OK else None
        if e.actual is not None and val.unit and val.unit not in _RATE_UNITS and is_growth(e.name, row_name):
            # 35.2亿元 under a growth indicator (a table with one 完成情况 column): an amount, never a
            # growth of 35.2 ranked and scored without a word; shown as written, no figure this month
            e.actual = None
            prob(r, actual_col, f"截至本月底完成情况「{val.raw}」带单位「{val.unit}」，是总量，不是增速，未采用；"
                                f"本项本月按没有数据处理，请填写增速（如 6.2%）", WARNING)
        e.words = val.status == TEXT and bool(val.raw.strip())
        if val.status == V_ERROR:
            prob(r, actual_col, f"截至本月底完成情况{val.message()}")
        elif val.status == TEXT and mistyped_number(val.raw):
            e.words = False  # not progress in words: a figure mistyped
            prob(r, actual_col, f"截至本月底完成情况「{val.raw}」不是有效的数字，请改正（如 5.5）")
        elif val.said:
            prob(r, actual_col, f"截至本月底完成情况{val.message()}", WARNING)
        if val.rank is not None and not (cols.rank is not None and text(cols.rank)):
            rk = parse_rank(val.rank, n_peers)
            e.rank_raw = val.rank_raw.strip("（()）,，;； \n\r\t")
            e.rank_cell = e.cell
            if rk.ok:
                e.rank = rk.rank
            else:
                prob(r, actual_col, "完成情况中括注的" + rk.message)
    if cols.rank is not None:
        v, _pct, err = cell(cols.rank)
        rk = parse_rank(v, n_peers, error=err)
        if rk.status != MISSING or not e.rank_raw:
            e.rank_raw = rk.raw
            e.rank = rk.rank if rk.ok else None
            e.rank_cell = cell_ref(r, cols.rank)
        if rk.status in (INVALID, V_ERROR):
            prob(r, cols.rank, rk.message)
        elif rk.message:
            prob(r, cols.rank, rk.message, WARNING)
    if cols.last_year is not None:
        v, pct, err = cell(cols.last_year)
        val = parse_value(v, percent_format=pct, error=err)
        e.last_year_raw = val.raw
        e.last_year = val.value if val.status == OK else None
        if val.status == V_ERROR or val.said:  # (said as the month's figure is: 1.7%（第3名，↑1） took 1.7, no rank)
            prob(r, cols.last_year, f"上年完成情况{val.message()}", WARNING)
        if val.rank is not None:
            rk = parse_rank(val.rank, n_peers)
            if rk.ok:
                e.last_year_rank = rk.rank
            else:
                prob(r, cols.last_year, "上年完成情况中括注的" + rk.message, WARNING)
    if cols.last_year_rank is not None:
        v, _pct, err = cell(cols.last_year_rank)
        rk = parse_rank(v, n_peers, error=err)
        if rk.ok:
            e.last_year_rank = rk.rank
        elif rk.status in (INVALID, V_ERROR):
            prob(r, cols.last_year_rank, "上年" + rk.message, WARNING)
    if cols.target is not None:
        v, pct, err = cell(cols.target)
        val = parse_value(v, percent_format=pct, error=err)
        e.target_raw = val.raw
        e.target = val.value if val.status == OK else None
    if cols.warning is not None:
        e.warning_raw = text(cols.warning)
    if cols.issues is not None:
        e.issues_text = text(cols.issues)
    if cols.steps is not None:
        e.next_steps = text(cols.steps)


__all__ = ["submissions_from_grids", "submission_from_table", "find_submission_table",
           "month_from_text", "month_report_of", "read_signoff"]
