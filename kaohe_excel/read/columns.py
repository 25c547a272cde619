"""The columns of a progress table (附件2 layout: 月报, 一览表) by their full header
path (column layer: above tables, below the readers).

`SUBMISSION_ROLES` names the columns of a department's monthly sheet; `resolve_columns`
reads two-level headers into `Columns` ('2022年/位次' is last year's rank, '截至8月底/增速'
the growth beside the amount). Used by submission for a department's sheet, and by
system for an 一览表 used as the system (last year's result and place, this year's
target).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kaohe_excel.read.tables import RoleList, Table, _role_lookup
from kaohe_excel.text import compact

# Rows an AutoFilter hides are read (a filter on 排名 = 2 is a view, not the department taking
# its other rows back); rows hidden by hand are not (tables.visible_grid, Grid.filtered_rows).
SUBMISSION_ROLES = RoleList([
    ("no", r"^(序号|编号|序|项次|顺序号|No\.?)$"),
    ("warning", r"预警|警示|红黄绿|亮灯"),
    ("issues", r"存在(的)?问题|问题(及原因|分析|和困难)?$|困难"),
    ("steps", r"下(一)?步|举措|措施|工作打算|对策"),
    ("remark", r"^备注$"),
    ("last_year", r"上年|去年|上一年|前一年|^20[0-9]{2}年度?(全年)?(完成|实际|实绩|指标值|数据|情况|位次|排名)"),
    ("target", r"目标|任务值|预期值|计划值|考核值"),
    ("actual", r"截至|截止|完成情况|完成值|完成数|累计|本月|当月|[0-9一二三四五六七八九十]+[-—~～至到]+[0-9一二三四五六七八九十]+月|月底|月末|实际完成|进展|实绩|^完成$|完成$"),
    ("rank", r"排名|位次|名次|排序|排位"),
    ("points", r"^(指标)?(分值|权重|分数|满分|标准分|计分|赋分)|^总分[0-9.]*分?$"),
    ("dept", r"责任单位|牵头单位|责任部门|主责单位|牵头部门|承担单位|负责单位|责任主体|填报单位"),
    ("unit", r"^(计量)?单位$"),
    ("name", r"^(指标内容|指标名称|指标|具体指标|考核指标|三级指标|二级指标|评价指标|指标及内容|考核内容|考核项目|指标项|项目|内容)$|指标名称|指标内容"),
], keep_filtered_rows=True)
VALUE_ROLES = ("actual", "rank", "last_year", "last_year_rank", "target")


@dataclass
class Columns:
    """Column of each role after reading two-level headers (0-based, None = absent)."""

    no: int | None = None
    name: int | None = None
    dept: int | None = None
    points: int | None = None
    last_year: int | None = None
    last_year_rank: int | None = None
    target: int | None = None
    actual: int | None = None
    rank: int | None = None
    warning: int | None = None
    issues: int | None = None
    steps: int | None = None
    growth: int | None = None  # 增速 beside 完成值 under one 截至本月底 header, or 同比增长 beside 累计完成
    month_only: int | None = None  # 当月 passed over for the 累计 beside it (the month's own figure, not read)


_GROWTH_HEADER = re.compile(r"^(?:同比)?(?:增速|增幅|增长率?|增减幅?|增长幅度|比上年(?:同期)?增长|同比)(?:[(（]?%[)）]?)?$")

# A result column's period. The month's own figure (8月当月完成, 本月完成, 当月) is not the result to
# the end of the month (1-8月累计完成, 截至本月底, 本年累计) the assessment and the peer tables use.
_N = "[0-9一二三四五六七八九十]"
_TO_DATE = re.compile(rf"累计|截至|截止|月底|月末|以来|本年|全年|年初|{_N}+[-—~～至到]+{_N}+月")
_MONTH_ONLY = re.compile(rf"当月|本月|单月|^{_N}{{1,2}}月(?:份)?(?:完成|实绩|实际)")
_PERIOD_PREFIX = re.compile(rf"^(?:当月|本月|单月|累计|本年累计|{_N}+[-—~～至到]+{_N}+月(?:累计)?)")


def _period(text: str) -> str | None:
    """'month' for the month's own figure, 'to_date' for the result so far, None when unsaid."""
    t = compact(text)
    if _TO_DATE.search(t):
        return "to_date"
    if _MONTH_ONLY.search(t):
        return "month"
    return None


def _path_period(levels: list[str]) -> str | None:
    """The innermost level that says (截至本月底完成情况/当月 is the month's figure)."""
    return next((p for lv in reversed(levels) if (p := _period(lv))), None)


def _is_growth_header(text: str) -> bool:
    """增速, 同比增长, and the same with its period before it (累计增速, 当月同比)."""
    t = compact(text)
    return bool(_GROWTH_HEADER.match(t) or _GROWTH_HEADER.match(_PERIOD_PREFIX.sub("", t, count=1)))


_SUBMISSION_COMPILED = [(role, re.compile(pat)) for role, pat in SUBMISSION_ROLES]
_YEAR_ONLY = re.compile(r"(20[0-9]{2})年度?(全年)?")


@lru_cache(maxsize=4096)
def _role(text: str) -> str | None:
    """As tables.role_of names the column when it finds the table (a header with a note or gloss
    in brackets, 二级指标（考核内容）, keeps its role), so the two never disagree.
    (Kept per text: every sheet of a form asks of the same few headers.)"""
    return _role_lookup(text, _SUBMISSION_COMPILED)


def _year_role(text: str, year: int | None) -> str | None:
    """A header that is only a year ('2022年', '2023年度'): last year's or this year's result."""
    m = _YEAR_ONLY.fullmatch(compact(text))
    if not m:
        return None
    return "actual" if year is not None and int(m.group(1)) >= year else "last_year"


def resolve_columns(table: Table, year: int | None = None) -> Columns:
    """Each column's role from its full header path ('2022年/位次' is last year's rank). Of a
    当月 and a 累计 column the 累计 one is the result (month_only names the other)."""
    cols = Columns()
    assigned: dict[str, int] = {}
    actuals: list[tuple[int, str | None]] = []  # (column, period) of each result column
    growths: list[tuple[int, str | None, bool, bool]] = []  # (column, period, under a result header, a result header itself)
    for c in sorted(table.headers):
        levels = [lv for lv in table.headers[c].split("/") if lv.strip()]
        if not levels:
            continue
        leaf = _year_role(levels[-1], year) or _role(levels[-1])
        top = (_year_role(levels[0], year) or _role(levels[0])) if len(levels) > 1 else None
        if leaf in (None, "actual") and top in (None, "actual") and _is_growth_header(levels[-1]):
            growths.append((c, _path_period(levels), top == "actual", leaf == "actual"))
            continue
        role = leaf
        if top in ("last_year", "actual", "target") and leaf in ("rank",):
            role = "last_year_rank" if top == "last_year" else "rank"
        elif top in ("last_year", "actual", "target") and leaf in (None, "actual", "last_year", "unit"):
            role = top
        elif role is None and top is not None:
            role = top
        if role == "last_year" and year is not None:
            ys = re.findall(r"(20[0-9]{2})年", compact(table.headers[c]))
            if ys and int(ys[0]) == year and "上年" not in table.headers[c]:
                role = "actual"
        if role == "last_year" and "last_year" in assigned and re.search(r"位次|排名", compact(levels[-1])):
            role = "last_year_rank"
        if role == "actual":
            actuals.append((c, _path_period(levels)))
        elif role and role not in assigned and hasattr(cols, role):
            assigned[role] = c
            setattr(cols, role, c)
    _pick_result(cols, actuals, growths)
    if cols.actual is None and cols.last_year is not None:
        # two year-only columns: the later one is this year's result
        later = [c for c in table.headers if c > cols.last_year and _role(table.headers[c].split("/")[-1]) == "last_year"]
        if later:
            cols.actual = later[0]
    return cols


def _pick_result(cols: Columns, actuals: list[tuple[int, str | None]],
                 growths: list[tuple[int, str | None, bool, bool]]) -> None:
    """The result column (the leftmost, but never a 当月 one beside a 累计 one: the figure is the
    result to the end of the month) and the growth rate beside it (增速 under the same header,
    or a 同比增长 column next to a result column, of the same period)."""
    if not actuals:
        # only rates: a 1-8月累计增速 column is the result itself; 截至8月底/增速 the rate (as before)
        alone = next(((c, p) for c, p, _under, was_actual in growths if was_actual), None)
        if alone is not None:
            cols.actual = alone[0]
        else:
            cols.growth = next((c for c, _p, under, _w in growths if under), None)
        return
    to_date = [c for c, p in actuals if p != "month"]
    cols.actual = to_date[0] if to_date else actuals[0][0]
    if to_date and len(to_date) < len(actuals):
        cols.month_only = next(c for c, p in actuals if p == "month")
    result_cols = dict(actuals)
    for c, p, under, _w in growths:
        near = [result_cols[x] for x in (c - 1, c + 1) if x in result_cols]  # (amount | rate: the left first)
        if not under and not near:
            continue  # a 增长率 column away from any result is some other figure
        own = p or (near[0] if near else None)
        if cols.month_only is not None and own == "month":
            continue  # the month's growth, not the year-to-date one
        cols.growth = c
        return


def header_cell(table: Table, c: int) -> tuple[int, int]:
    """Where column c's own header (its lowest level) is written, for problems about it."""
    grid = table.grid
    for r in reversed(table.header_rows):
        if grid.text(r, c).strip():
            rng = grid.merge_of(r, c)
            return (rng[0], rng[1]) if rng is not None else (r, c)
    return table.header_rows[-1], c


__all__ = ["SUBMISSION_ROLES", "Columns", "header_cell", "resolve_columns"]
