"""IndicatorSystem from a task-division table (任务分工表 / 指标体系 / 一览表)."""

from __future__ import annotations

import re
from pathlib import Path

from kaohe_excel.model import BONUS, CONSTRAINT, DEDUCTION, SCORED, Indicator, IndicatorSystem
from kaohe_excel.problems import ERROR, WARNING, InputError, Problem, cell_ref
from kaohe_excel.read.grid import Grid, read_workbook
from kaohe_excel.read.tables import NOTE_RE, Table, best_table, looks_like_section, row_single_text
from kaohe_excel.read.text import (compact, normalize_name, parse_no, parse_points, split_lead_support,
                                   split_unit_list, strip_section_number, fold_width)

SYSTEM_ROLES = [
    ("no", r"^(序号|编号|序|项次|顺序号|No\.?)$"),
    ("data_source", r"数据来源|数据提供|考核评估|评价单位|考核单位|考核部门|数据采集|考核评价单位|资料来源"),
    ("support", r"^(参与|配合|协办|协同|参加)(单位|部门)"),
    ("lead", r"责任单位|牵头单位|主责单位|牵头部门|责任部门|承担单位|负责单位|责任主体|责任领导单位|牵头"),
    ("points", r"^(指标)?(分值|权重|分数|满分|标准分|计分|赋分)|^总分[0-9.]*分?$|^分值[（(]?[0-9.]*分?[)）]?$"),
    ("direction", r"^(指标)?(方向|正逆向|正向/逆向)$"),
    ("category", r"^(指标属性|属性|指标类别|类别|指标类型|类型|一级指标|二级指标|指标层级|领域|分类|板块|考核类别|考核维度|评价维度|指标分类)$"),
    ("name", r"^(三级指标|指标名称|指标内容|具体指标|评价指标|考核指标|指标|考核项目|考核内容|评价内容|指标项|考核事项|工作任务|任务名称|指标及内容)$"),
    ("target", r"目标|任务值|预期值|考核值"),
]

# Words in a category path or name that tell an indicator's kind.
_KIND_WORDS = [(CONSTRAINT, re.compile(r"约束|否决")), (DEDUCTION, re.compile(r"减分|扣分")),
               (BONUS, re.compile(r"加分|奖励分"))]
_NOT_ASSESSED = {"---", "--", "-", "—", "——", "/", "／", "不考核", "不参与", "无", "×"}


def read_system(path: str | Path, sheet: str | None = None) -> IndicatorSystem:
    """Read the indicator system from a workbook; InputError when there is none."""
    path = Path(path)
    grids = read_workbook(path, sheet)
    table = best_table(grids, SYSTEM_ROLES, required=("name|category", "points|lead"))
    if table is None:
        sheets = "、".join(g.sheet for g in grids) or "（无）"
        raise InputError(Problem(path.name, sheet or (grids[0].sheet if len(grids) == 1 else None), None, ERROR,
                                 f"没有找到指标表：表头应含「序号」「指标名称/指标内容」「分值」「责任单位」等列"
                                 f"（已查看工作表：{sheets}）"))
    system = system_from_table(table)
    if not system.indicators:
        raise InputError(Problem(path.name, table.grid.sheet, cell_ref(table.header_rows[-1], 0), ERROR,
                                 "找到了表头，但表头下没有任何指标行"))
    return system


def system_from_table(table: Table) -> IndicatorSystem:
    grid = table.grid
    system = IndicatorSystem(title=_title(grid, table), file=grid.file, sheet=grid.sheet,
                             units=list(table.unit_columns))
    problems = system.problems
    section: str | None = None
    parent: Indicator | None = None  # the last indicator that carried its own points
    name_cols = table.columns.get("name") or []
    cat_cols = [c for c in table.columns.get("category", []) if c not in name_cols]
    if not name_cols and cat_cols:
        name_cols = [cat_cols.pop()]  # 一级/二级指标 only: the deepest level names the indicator
    name_col = name_cols[-1]
    points_col = table.col("points")
    seen_nos: dict[int, int] = {}

    for r in table.body_rows:
        single = row_single_text(table, r)
        if single is not None:
            filled = [c for c in range(len(grid.cells[r])) if grid.text(r, c).strip()]
            if filled != [name_col]:  # a name alone is a (sub-)indicator; anything else spans the row
                sec = looks_like_section(table, r)
                if sec is not None:
                    section = normalize_name(strip_section_number(sec)) or normalize_name(sec)
                continue  # else a note row such as the 红黄绿 rule under the table
        name_raw = grid.text(r, name_col).strip()
        no_raw = table.text(r, "no").strip()
        if _is_total_row(no_raw, name_raw):
            _check_total_row(table, r, system, points_col)
            continue
        if _is_category_row(table, r, no_raw, name_raw):
            section = normalize_name(strip_section_number(name_raw or no_raw)) or section
            continue
        if not name_raw:
            continue
        rng = grid.merge_of(r, name_col)
        if rng is not None and rng[0] != r and not _own_cells(grid, r, table, exclude=[name_col]):
            continue  # the lower part of a name merged over several rows
        no = parse_no(no_raw)
        name = normalize_name(name_raw)
        if not table.has("no"):
            m = _LEADING_NO.match(name)
            if m:  # '1.固定资产投资增速' with no 序号 column
                no, name = int(m.group(1)), name[m.end():]
        path = ([section] if section else []) + [normalize_name(grid.text(r, c)) for c in cat_cols
                                                  if grid.text(r, c).strip()]
        path = [p for p in _dedupe(path) if p != name]
        ind = Indicator(no=no, row=r + 1, path=path, name=name, name_raw=name_raw,
                        no_raw=no_raw, cell=cell_ref(r, name_col))

        # points, kind and sharing
        pts_val = grid.value(r, points_col) if points_col is not None else ""
        ind.points_raw = grid.text(r, points_col).strip() if points_col is not None else ""
        parsed = parse_points(pts_val)
        kind = parsed.kind or _kind_from_words(path, ind.name)
        ind.kind = kind or SCORED
        ind.points = parsed.points
        ind.deduction_cap = parsed.cap
        if ind.kind == DEDUCTION and ind.points is None:
            from_name = parse_points(ind.name)
            if from_name.kind == DEDUCTION:
                ind.points, ind.deduction_cap = from_name.points, from_name.cap
        if ind.kind == DEDUCTION and ind.points is not None and ind.points > 0:
            ind.points = -ind.points
        if ind.kind == BONUS and ind.points is None:
            from_name = parse_points(ind.name)
            ind.points, ind.deduction_cap = from_name.points, from_name.cap
        if not parsed.ok and ind.points_raw:
            problems.append(grid.problem(r, points_col, f"分值「{ind.points_raw}」无法识别，应为数字（如 5、4分、扣1.3分）或「约束条件」"))
        prng = grid.merge_of(r, points_col) if points_col is not None else None
        if prng is not None and prng[0] != r and prng[0] < r and ind.points is not None:
            ind.shares_points_with_row = prng[0] + 1
        elif (ind.points is None and not ind.points_raw and ind.kind == SCORED and parent is not None
              and (_is_sub_item(no_raw, no, parent) or (cat_cols and parent.path == ind.path))):
            ind.points = parent.points
            ind.shares_points_with_row = parent.row
        elif ind.points is None and ind.kind == SCORED:
            problems.append(grid.problem(r, points_col if points_col is not None else name_col,
                                         f"指标「{ind.name}」没有分值", WARNING))
        if ind.shares_points_with_row is None and ind.points is not None:
            parent = ind
        # units
        lead_txt = table.text(r, "lead")
        ind.units_raw = lead_txt.strip()
        if table.has("support"):
            lead, support = split_lead_support(lead_txt)
            support_cols = table.columns["support"]
            sup = [u for c in support_cols for u in split_unit_list(grid.text(r, c))]
            ind.lead, ind.support = lead, (support or []) + [u for u in sup if u not in (support or [])]
            ind.units_raw = "；".join(x for x in [lead_txt.strip()] + [grid.text(r, c).strip() for c in support_cols] if x)
        else:
            ind.lead, ind.support = split_lead_support(lead_txt)
        if table.has("lead") and not ind.lead:
            problems.append(grid.problem(r, table.col("lead"), f"指标「{ind.name}」没有填写责任单位", WARNING))
        ds = table.text(r, "data_source").strip()
        ind.data_source = normalize_name(ds) if ds else None
        direction = compact(table.text(r, "direction"))
        if direction:
            ind.direction = "lower" if "逆" in direction or "越低越好" in direction else "higher" if "正" in direction else None
        tgt = table.value(r, "target")
        if table.has("target") and str(tgt).strip():
            ind.target = _target_value(tgt)
        _unit_points_and_targets(table, r, ind, parsed.overrides)
        if no is not None:
            if no in seen_nos:
                problems.append(grid.problem(r, table.col("no"), f"序号 {no} 与第 {seen_nos[no]} 行重复", WARNING))
            else:
                seen_nos[no] = r + 1
        system.indicators.append(ind)
    _check_stated_totals(table, system)
    return system


_LEADING_NO = re.compile(r"^([0-9]{1,3})\s*[.、．]\s*(?=\S)")
_TOTAL_RE = re.compile(r"^(合计|总计|小计|总分|分值合计|合\s*计)$")
_CN_ORDINAL = re.compile(r"^[（(]?[一二三四五六七八九十]+[)）]?[、.．]?$")


def _is_total_row(no_raw: str, name_raw: str) -> bool:
    return bool(_TOTAL_RE.match(compact(no_raw)) or _TOTAL_RE.match(compact(name_raw))
                or (not name_raw and compact(no_raw).startswith(("合计", "总计"))))


def _check_total_row(table: Table, r: int, system: IndicatorSystem, points_col: int | None) -> None:
    """A 合计 row's points must equal the sum read so far."""
    if points_col is None:
        return
    stated = parse_points(table.grid.value(r, points_col)).points
    if stated is not None and abs(stated - system.total_points) > 1e-6 and system.indicators:
        system.problems.append(table.grid.problem(
            r, points_col, f"合计行写明 {stated} 分，但各指标分值合计为 {system.total_points} 分", WARNING))


def _is_category_row(table: Table, r: int, no_raw: str, name_raw: str) -> bool:
    """'一 | 项目建设 | 16 |（空）': a category row numbered in Chinese, with no department."""
    if not _CN_ORDINAL.match(compact(no_raw)):
        return False
    if table.has("lead") and table.text(r, "lead").strip():
        return False
    return True


def _own_cells(grid: Grid, r: int, table: Table, exclude: list[int]) -> bool:
    for c in table.data_cols:
        if c in exclude:
            continue
        rng = grid.merge_of(r, c)
        if grid.text(r, c).strip() and (rng is None or rng[0] == r):
            return True
    return False


def _is_sub_item(no_raw: str, no: int | None, parent: Indicator) -> bool:
    """A sub-item row: no 序号 of its own, or a sub-number (1.1, （1）, ①, a)."""
    t = fold_width(no_raw).strip()
    if not t:
        return True
    if re.fullmatch(r"[0-9]+[.．-][0-9]+", t) or re.fullmatch(r"[①-⑳]|[a-zA-Z][.)）]?", t):
        return True
    if re.fullmatch(r"[（(][0-9]+[)）]", t) and parent.no_raw and not parent.no_raw.startswith(("(", "（")):
        return True
    return False


def _kind_from_words(path: list[str], name: str) -> str | None:
    for text in list(reversed(path)) + [name[:6]]:
        for kind, rx in _KIND_WORDS:
            if rx.search(text):
                return kind
    return None


def _target_value(v):
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return int(v) if float(v).is_integer() else v
    t = fold_width(str(v)).strip()
    if re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", t):
        f = float(t)
        return int(f) if f.is_integer() else f
    return normalize_name(t) if "\n" in t else t


def _unit_points_and_targets(table: Table, r: int, ind: Indicator, overrides: dict[str, float]) -> None:
    grid = table.grid
    for unit, c in table.unit_columns.items():
        v = grid.value(r, c)
        t = grid.text(r, c).strip()
        if t in _NOT_ASSESSED or compact(t) in _NOT_ASSESSED:
            ind.points_by_unit[unit] = None
            continue
        ind.points_by_unit[unit] = overrides.get(unit, ind.points)
        if t:
            ind.targets[unit] = _target_value(v)
    for unit, pts in overrides.items():
        if unit not in ind.points_by_unit:
            ind.points_by_unit[unit] = pts


def _dedupe(path: list[str]) -> list[str]:
    out: list[str] = []
    for p in path:
        if p and (not out or out[-1] != p):
            out.append(p)
    return out


def _title(grid: Grid, table: Table) -> str | None:
    """The merged title above the header (not the 附件N label)."""
    best = None
    for r in range(0, table.header_rows[0]):
        texts = {t.strip() for t in grid.row_texts(r)} - {""}
        for t in texts:
            if re.fullmatch(r"附\s*件\s*[0-9一二三四五六七八九十]*[:：]?", t) or len(t) < 4 or NOTE_RE.match(t):
                continue
            if re.match(r"^(附\s*件\s*[0-9]+)\s*[:：]?\s*(.+)$", t):
                t = re.sub(r"^附\s*件\s*[0-9]+\s*[:：]?\s*", "", t)
            if best is None or len(t) > len(best):
                best = t
    return normalize_name(best) if best else None


def _check_stated_totals(table: Table, system: IndicatorSystem) -> None:
    """'总分116分' in the header and '（12项）' in a category must agree with the rows."""
    grid = table.grid
    pc = table.col("points")
    if pc is not None:
        header = compact(table.headers.get(pc, ""))
        m = re.search(r"总分([0-9.]+)分?", header)
        if m:
            stated = float(m.group(1))
            if abs(stated - system.total_points) > 1e-6:
                system.problems.append(grid.problem(table.header_rows[0], pc,
                                                    f"表头写明总分 {m.group(1)} 分，但各指标分值合计为 {system.total_points} 分", WARNING))
    counts: dict[str, int] = {}
    for ind in system.indicators:
        for p in ind.path:
            counts[p] = counts.get(p, 0) + 1
    for label, n in counts.items():
        m = re.search(r"[（(]([0-9]+)项[)）]", label)
        if m and int(m.group(1)) != n:
            first = next(i for i in system.indicators if label in i.path)
            system.problems.append(Problem(grid.file, grid.sheet, first.cell, WARNING,
                                           f"类别「{label}」写明 {m.group(1)} 项，实际读到 {n} 项"))
