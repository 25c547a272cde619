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
    growth: int | None = None  # 增速 beside 完成值 under one 截至本月底 header


_GROWTH_HEADER = re.compile(r"^(?:同比)?(?:增速|增幅|增长率?|增减幅?|增长幅度|比上年(?:同期)?增长|同比)(?:[(（]?%[)）]?)?$")


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
    """Each column's role from its full header path ('2022年/位次' is last year's rank)."""
    cols = Columns()
    assigned: dict[str, int] = {}
    for c in sorted(table.headers):
        levels = [lv for lv in table.headers[c].split("/") if lv.strip()]
        if not levels:
            continue
        leaf = _year_role(levels[-1], year) or _role(levels[-1])
        top = (_year_role(levels[0], year) or _role(levels[0])) if len(levels) > 1 else None
        if top == "actual" and leaf is None and cols.growth is None and _GROWTH_HEADER.match(compact(levels[-1])):
            cols.growth = c
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
        if role and role not in assigned and hasattr(cols, role):
            assigned[role] = c
            setattr(cols, role, c)
    if cols.actual is None and cols.last_year is not None:
        # two year-only columns: the later one is this year's result
        later = [c for c in table.headers if c > cols.last_year and _role(table.headers[c].split("/")[-1]) == "last_year"]
        if later:
            cols.actual = later[0]
    return cols


__all__ = ["SUBMISSION_ROLES", "Columns", "resolve_columns"]
