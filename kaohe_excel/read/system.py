"""IndicatorSystem from a task-division table (任务分工表 / 指标体系 / 一览表)
(reader layer: above tables, columns and matching; workbook.read_system reads the file)."""

from __future__ import annotations

import re

from kaohe_excel.model import BONUS, CONSTRAINT, DEDUCTION, SCORED, Indicator, IndicatorSystem, same_place
from kaohe_excel.problems import ERROR, WARNING, InputError, Problem, cell_ref
from kaohe_excel.read.grid import Grid
from kaohe_excel.read.columns import resolve_columns
from kaohe_excel.read.tables import (NOTE_RE, RoleList, Table, best_table, find_table, looks_like_section, role_of,
                                     row_single_text)
from kaohe_excel.text import (Points, abbreviates, closest_name, compact, direction_mark, direction_of, fold_width,
                              is_section_heading, leading_no, measure_unit, name_key, normalize_name, parse_no, parse_points,
                              per_event_written, split_lead_support, split_unit_list, strip_section_number)
from kaohe_excel.read.values import GROWTH_NAME, MISSING, OK, fmt_num, parse_rank, parse_value

SYSTEM_ROLES = RoleList([
    ("no", r"^(序号|编号|序|项次|顺序号|No\.?)$"),
    # 评分标准 / 计分办法 / 考核方式: text full of figures that are not the points
    ("rule", r"评分|计分(标准|方法|办法|规则|细则|依据|说明)|(考核|评价|考评)(标准|方法|办法|方式|细则|要求|说明)"
             r"|扣分(标准|办法|说明)|加分(标准|办法|说明)|打分|评价要点|考核要点"),
    ("data_source", r"数据来源|数据提供|考核评估|评价单位|考核单位|考核部门|数据采集|考核评价单位|资料来源"),
    ("support", r"^(参与|配合|协办|协同|参加|协作)(责任)?(单位|部门)"),
    ("leader", r"领导(?!单位)|分管|联系人|负责人|包抓|包联"),  # people, not departments
    ("lead", r"责任单位|牵头单位|主责单位|牵头部门|责任部门|承担单位|负责单位|责任主体|责任领导单位|牵头"
             r"|主管单位|主管部门|承办单位|落实单位|实施单位|责任科室|监考单位|主办单位|主办部门|归口单位|归口部门|责任股室"),
    # 分值 split into 基本分 | 加分 (or 扣分): the side column's figure on a row without base points
    ("bonus_points", r"^(加分|加分值|加分项|奖励分|附加分)$"),
    # 扣分上限 | 加分上限 in a column of their own (每起扣2分 | 扣分上限10分)
    ("cap", r"^(扣分|加分|减分|最高|最多|累计)?(上限|封顶)(分值|分)?$|^最高(扣|加)分$|^最多(扣|加)分$"),
    ("deduction_points", r"^(扣分|减分|扣分值|减分项|扣分项)$"),
    ("points", r"^(考核|基本|基础|指标|计划|标准|目标|单项)?(分值|权重|分数|满分|标准分|基准分|计分|赋分)"
               r"|^总分[0-9.]*分?$|^分值[（(]?[0-9.]*分?[)）]?$|^(考核|指标|基本|基础)分$"),
    ("direction", r"^(指标)?(方向|正逆向|正向/逆向)$"),
    ("measure", r"^(计量)?单位$"),  # 亿元, %, 个: what the figures carry (the league's, a month without it)
    ("category", r"^(指标属性|属性|指标性质|性质|指标类别|类别|指标类型|类型|一级指标|二级指标|指标层级|领域|分类|板块|考核类别|考核维度|评价维度|指标分类)$"),
    ("name", r"^(三级指标|四级指标|指标名称|指标内容|具体指标|评价指标|考核指标|指标|考核项目|考核内容|评价内容|指标项|考核事项"
             r"|工作任务|任务名称|指标及内容|指标名称及内容|考核指标名称|考评指标|考评内容|考核指标及内容|项目"
             r"|主要指标|重点指标|考核指标内容|指标名称及分值|三级指标名称|具体考核内容|主要任务|重点任务|工作内容)$"),
    ("target", r"目标|任务值|预期值|考核值"),
    ("remark", r"^(备注|说明)$"),
], prefer=("points",), keep_filtered_rows=True)
# What makes a sheet's table an indicator system, wherever one is looked for (spec, the workspace's
# root, a month folder): the indicators' names, or only their levels (一级指标 | 二级指标, the last
# level naming the indicator), and their points or responsible units.
SYSTEM_REQUIRED = ("name|category", "points|lead")

# Words in a category path or name that tell an indicator's kind.
_KIND_WORDS = [(CONSTRAINT, re.compile(r"约束|否决|一票否")), (DEDUCTION, re.compile(r"减分|扣分")),
               (BONUS, re.compile(r"加分|奖励分"))]
_NOT_ASSESSED = {"---", "--", "-", "—", "——", "/", "／", "不考核", "不参与", "无", "×"}
# said in so many words: never read as "no target written", even across every unit
_SAID_NOT_ASSESSED = {"---", "--", "不考核", "不参与", "×"}


def system_from_grids(grids: list[Grid], file: str, sheet: str | None = None) -> IndicatorSystem:
    """The indicator system of a workbook's grids: the sheet whose table reads best, with
    its sibling sheets unless `sheet` was asked for; InputError naming `file` when there
    is none. (workbook.read_system reads the file.)"""
    table = best_table(grids, SYSTEM_ROLES, required=SYSTEM_REQUIRED)
    if table is None:
        sheets = "、".join(g.sheet for g in grids) or "（无）"
        raise InputError(Problem(file, sheet or (grids[0].sheet if len(grids) == 1 else None), None, ERROR,
                                 f"没有找到指标表：表头应含「序号」「指标名称/指标内容」「分值」「责任单位」等列"
                                 f"（已查看工作表：{sheets}）"))
    system = system_from_table(table)
    if not system.indicators:
        raise InputError(Problem(file, table.grid.sheet, cell_ref(table.header_rows[-1], 0), ERROR,
                                 "找到了表头，但表头下没有任何指标行"))
    if sheet is None:
        add_sibling_sheets(system, table, grids)
    return system


_GENERIC_SHEET = re.compile(r"^(sheet|工作表|表|附件|附表)\s*[0-9一二三四五六七八九十]*$", re.I)


def add_sibling_sheets(system: IndicatorSystem, table: Table, grids: list[Grid]) -> None:
    """The other sheets of the same system (共性指标 | 个性指标), keyed anew: 序号 may
    restart on the next sheet. Every reader of a system file calls this (spec, run, check)."""
    _add_sibling_sheets(system, table, grids)
    system.assign_keys()
    _add_target_sheets(system, table, grids)


_TARGET_SHEET = re.compile(r"目标|任务分解|分解表")


def _add_target_sheets(system: IndicatorSystem, table: Table, grids: list[Grid]) -> None:
    """A sheet of per-unit targets beside the system (目标分解表: the units as rows and the
    indicators as columns, or the other way round): each unit's target, and `---` where a unit
    is not assessed, as if written in unit columns of the system's own rows."""
    from kaohe_excel.read.matching import IndicatorMatcher, is_section_row
    from kaohe_excel.read.peers import find_peer_table

    own = {i.sheet for i in system.indicators} | {table.grid.sheet}
    matcher = by_key = None
    for g in grids:
        if g.sheet in own or not _TARGET_SHEET.search(
                g.sheet + " " + " ".join(" ".join(g.row_texts(r)) for r in range(min(3, g.nrows)))):
            continue
        t = find_peer_table(g, min_counties=2)
        if t is None or t.col("name") is None:
            continue
        if matcher is None:
            matcher, by_key = IndicatorMatcher(system), {i.key: i for i in system.indicators}
        read = unmatched = 0
        for r in t.body_rows:
            if is_section_row(t, r, matcher):
                continue
            name = t.grid.text(r, t.col("name")).strip()
            if not name:
                continue
            m = matcher.match(None, name, "")
            ind = by_key.get(m.indicator.key) if m.indicator is not None else None
            if ind is None:
                unmatched += 1
                continue
            before = {_column_of(t, u): p for u, p in ind.points_by_unit.items()}  # the system's own
            kept = {u: p for u, p in before.items() if p is not None and u in t.unit_columns}  # `3 (澄湖区4)`
            _unit_points_and_targets(t, r, ind, kept, system.problems, None)
            # and `---`, and a unit this sheet has no column for, as the system wrote them
            ind.points_by_unit.update({u: p for u, p in before.items() if p is None or u not in t.unit_columns})
            _target_numbers(ind)
            read += 1
        if read:
            system.units += [u for u in t.unit_columns if u not in system.units]
            if unmatched:
                system.problems.append(Problem(system.file, g.sheet, None, WARNING,
                                               f"目标分解表（工作表「{g.sheet}」）中有 {unmatched} 项指标的名称与指标体系对不上，"
                                               f"这些目标未读取（已读取 {read} 项）；请核对指标名称"))


_HEADER_OWN_FIGURES = re.compile(r"[（(][^（()）]*[)）]|\d+(?:\.\d+)?\s*分?")


def _add_sibling_sheets(system: IndicatorSystem, table: Table, grids: list[Grid]) -> None:
    """共性指标 on one sheet and 个性指标 on the next: other sheets holding the same
    kind of table (points and name columns under the same headers) with other
    indicators are part of the system. A sheet repeating the same indicators (last
    year's table, one sheet per town) is not."""
    def signature(t: Table) -> tuple:
        # the headers without what a sheet adds of its own: 分值（40分） on 特色 beside 分值（60分）
        # on 共性 is the same column (the second sheet was dropped without a word)
        return tuple(_HEADER_OWN_FIGURES.sub("", compact(t.headers.get(t.col(role), ""))) if t.has(role) else None
                     for role in ("points", "lead"))

    sig = signature(table)
    parts: list[tuple[int, IndicatorSystem]] = []
    names = {i.name for i in system.indicators}
    for k, g in enumerate(grids):
        if g is table.grid or g is table.grid.source:  # (the sheet as seen: tables.visible_grid)
            parts.append((k, system))
            continue
        other = find_table(g, SYSTEM_ROLES, required=("name|category", "points"))
        if other is None or signature(other) != sig or other.unit_columns.keys() != table.unit_columns.keys():
            continue
        sub = system_from_table(other)
        sub_names = {i.name for i in sub.indicators}
        if not sub_names or len(sub_names & names) * 3 > min(len(sub_names), len(names)):
            continue
        if _separate_evaluation(system, sub):
            system.problems.append(Problem(
                system.file, g.sheet, None, WARNING,
                f"工作表「{g.sheet}」是另一份指标体系（{sub.title or g.sheet}，{len(sub.indicators)} 项，"
                f"{fmt_num(sub.total_points)} 分），未并入「{table.grid.sheet}」；需要单独测算时，"
                "请把它另存为一个文件放在 input/ 下"))
            continue
        names |= sub_names
        parts.append((k, sub))
    if len(parts) < 2:
        return
    indicators, problems = [], []
    for _, part in parts:
        label = part.sheet.strip()
        for ind in part.indicators:
            ind.sheet = part.sheet
            if not _GENERIC_SHEET.match(label) and label not in ind.path:
                ind.path = [label] + ind.path
        indicators += part.indicators
        problems += part.problems
    first = parts[0][1]
    system.title = first.title or system.title
    system.sheet = first.sheet
    system.indicators, system.problems = indicators, problems


def _separate_evaluation(main: IndicatorSystem, other: IndicatorSystem) -> bool:
    """A sheet scored out of 100 on its own, or titled as a 专项 evaluation the main sheet
    is not (seed 000's 防范化解重大风险专项评价 beside the 综合评价), is a system of its own:
    each is assessed apart, never summed into one."""
    own = sum(i.points for i in other.indicators if i.kind == SCORED and i.points and i.points > 0)
    if own >= 100:
        return True
    special = re.compile(r"专项(评价|考核|评估)")
    return bool(other.title and special.search(other.title) and not special.search(main.title or ""))


def system_from_table(table: Table) -> IndicatorSystem:
    grid = table.grid
    system = IndicatorSystem(title=_title(grid, table), file=grid.file, sheet=grid.sheet,
                             units=list(table.unit_columns))
    problems = system.problems
    for r, c, msg in table.hidden_notes:
        if "为隐藏行" in msg:  # hidden, not deleted: the office may still mean them
            msg += "；隐藏的指标行按已删除的指标处理，如仍要考核，请在 Excel 中取消隐藏"
        problems.append(grid.problem(r, c if c is not None else 0, msg, WARNING))
    name_cols = table.columns.get("name") or []
    cat_cols = [c for c in table.columns.get("category", []) if c not in name_cols]
    if not name_cols and cat_cols:
        name_cols = [cat_cols.pop()]  # 一级/二级指标 only: the deepest level names the indicator
    name_col = name_cols[-1]
    # 考核项目 | 考核指标: the earlier name-like columns are categories of the last
    cat_cols = sorted(set(cat_cols) | set(name_cols[:-1]))
    dir_cols = [c for c in cat_cols if _holds_directions(table, c)]  # 指标属性: 正向 / 逆向 (约束性 on events)
    cat_cols = [c for c in cat_cols if c not in dir_cols]
    points_col = _points_column(table, name_col)
    no_col = _no_column(table)
    lead_col, support_cols = _unit_columns(table)
    # 责任单位（排在首位的为牵头单位）: the first unit listed leads
    lead_first = lead_col is not None and bool(re.search(r"首位|第一位|排第一|列第一|第一个|居首",
                                                          compact(table.headers.get(lead_col, ""))))
    unit_points = bool(table.unit_group) and role_of(table.unit_group, SYSTEM_ROLES) == "points"
    seen_nos: dict[tuple[str, int], int] = {}
    since = [0]  # index of the first indicator after the last 小计 row or section heading
    sections: list[tuple[int, str, str | None]] = []  # (level, label, number prefix of a numbered group)
    groups = _group_rows(table, name_col, points_col, no_col)
    plain_cats = _plain_category_rows(table, name_col, points_col, no_col, cat_cols + dir_cols, lead_col)
    blank_shares = _says_blank_points_shared(table)
    parent: Indicator | None = None  # the last indicator that carried its own points

    stated: dict[str, float] = {}  # 一、经济发展（12分）: the category's points, for items without their own
    extra: list[tuple[Indicator, tuple]] = []  # scored items with a 加分 / 扣分 of their own beside the points

    # the open category whose row carries points: (row, label, points, its first indicator, sure);
    # sure for a row read as a category by those points, else (一 | 经济发展 | 30, which may be a
    # weight of its own) only once another category of the table adds up
    subtotal: list = []
    sub_checks: list[tuple[bool, bool, Problem]] = []  # (sure, adds up, the problem when it does not)

    def close_subtotal() -> None:
        """The points a category row carries are its indicators' sum: said at its cell when not."""
        if not subtotal:
            return
        r0, label, pts, start, sure = subtotal.pop()
        items = [i for i in system.indicators[start:] if i.shares_points_with_row is None and i.points is not None]
        part = sum(i.points for i in items if i.points > 0 and _summed(i))
        scored = sum(i.points for i in items if i.points > 0 and i.kind == SCORED)
        if items:
            sub_checks.append((sure, any(abs(pts - x) < 1e-6 for x in (part, scored)), grid.problem(
                r0, points_col, f"类别「{label}」写明 {fmt_num(pts)} 分，但本类各指标分值合计为 {fmt_num(part)} 分",
                WARNING)))

    def open_section(label: str, level: int, prefix: str | None = None) -> None:
        m = _LABEL_POINTS.search(label)
        if m and prefix is None:  # the label keeps its （12分） as the table writes it
            stated[label] = float(m.group(1))
        if prefix is None:
            close_subtotal()
        while sections and sections[-1][0] >= level:
            sections.pop()
        sections.append((level, label, prefix))
        if prefix is None:
            since[0] = len(system.indicators)

    # A category cell merged down to a page break is often left blank on the rows the
    # next page starts with: those rows keep the category the break cut off.
    breaks = sorted(table.page_break_rows)
    last_cat: dict[int, str] = {}
    carried: dict[int, str] = {}
    prev_r = -1
    for r in table.body_rows:
        if any(prev_r < b < r for b in breaks):
            carried = dict(last_cat)
        prev_r = r
        single = row_single_text(table, r)
        if single is not None:
            filled = [c for c in range(len(grid.cells[r])) if grid.text(r, c).strip()]
            if filled != [name_col]:  # a name alone is a (sub-)indicator; anything else spans the row
                sec = looks_like_section(table, r)
                if sec is not None:
                    carried = {}
                    open_section(normalize_name(strip_section_number(sec)) or normalize_name(sec), _heading_level(sec))
                continue  # else a note row such as the 红黄绿 rule under the table
        name_raw = grid.text(r, name_col).strip()
        no_raw = grid.text(r, no_col).strip() if no_col is not None else ""
        others = _own_texts(grid, r, cat_cols + dir_cols)
        if _is_total_row(no_raw, name_raw, others):
            close_subtotal()
            _check_total_row(table, r, system, points_col, since[0],
                             subtotal=any("小计" in compact(t) for t in [no_raw, name_raw] + others))
            since[0] = len(system.indicators)
            continue
        if _is_category_row(table, r, no_raw, name_raw):
            raw = name_raw if name_raw and name_raw != no_raw else no_raw
            label = normalize_name(strip_section_number(raw)) or normalize_name(raw)
            open_section(label, _heading_level(no_raw if _CN_ORDINAL.match(compact(no_raw)) else raw))
            if (pts := _points_of(grid, r, points_col)) is not None and not unit_points:
                subtotal.append((r, label, pts, len(system.indicators), False))
            continue
        if r in plain_cats:  # '| 经济增长 | 40 |': its points are its indicators' subtotal
            label = normalize_name(name_raw)
            open_section(label, 5)
            if plain_cats[r] is not None:
                stated.setdefault(label, plain_cats[r])  # items without points of their own share it
                if points_col is not None:
                    subtotal.append((r, label, plain_cats[r], len(system.indicators), True))
            continue
        key = _sub_number(no_raw)
        while sections and sections[-1][2] is not None and key and not _under(key, sections[-1][2]):
            sections.pop()  # the numbering left that group
        if r in groups:
            open_section(normalize_name(name_raw), 10 + key.count("."), key or None)
            continue
        if not name_raw:
            continue
        rng = grid.merge_of(r, name_col)
        if rng is not None and rng[0] != r and not _own_cells(grid, r, table, exclude=[name_col]):
            continue  # the lower part of a name merged over several rows
        no = parse_no(no_raw)
        shape = _number_shape(no_raw)
        if no is not None and shape and shape[0] == 9 and (
                any(p for _, _, p in sections) or (parent is not None and _sub_number(parent.no_raw))):
            no = None  # （1）/① under a numbered row: a sub-item's own count, not the 序号
        name = normalize_name(name_raw)
        if no_col is None:
            no, name = leading_no(name)  # '1.固定资产投资增速' with no 序号 column
        name, marked = direction_mark(name)  # 食品抽检不合格率（逆向）: the table's direction, not the name
        cats = []
        for c in cat_cols:
            t = grid.text(r, c).strip()
            if t:
                last_cat[c] = t
                carried.pop(c, None)
            elif c in carried and grid.merge_of(r, c) is None:
                t = carried[c]
            if t:
                cats.append(normalize_name(t))
        path = ([label for _, label, p in sections if p is None] + cats
                + [label for _, label, p in sections if p is not None])  # numbered groups sit deepest
        path = [p for p in _dedupe(path) if p != name]
        ind = Indicator(no=no, row=r + 1, path=path, name=name, name_raw=name_raw,
                        no_raw=no_raw, cell=cell_ref(r, name_col), sheet=grid.sheet)
        attrs = [compact(grid.text(r, c)) for c in dir_cols]  # 正向 / 逆向, or the row's kind (扣分项)

        # points, kind and sharing
        if unit_points:
            parsed = _points_from_unit_columns(table, r)
            ind.points_raw = "；".join(grid.text(r, c).strip() for c in table.unit_columns.values())
        elif points_col is None:
            parsed = _points_in_name(ind.name)  # '地区生产总值增速（5分）' with no 分值 column
        else:
            parsed = parse_points(grid.value(r, points_col) if points_col is not None else "")
            ind.points_raw = grid.text(r, points_col).strip() if points_col is not None else ""
        kind = parsed.kind or next(filter(None, map(_attribute_kind, attrs)), None) or _kind_from_words(path, ind.name)
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
        if ind.points is None and ind.kind == SCORED and not ind.points_raw and not unit_points:
            side = _side_points(table, r)  # 基本分 empty, 加分 (or 扣分) written
            if side is not None:
                ind.kind, ind.points, ind.points_raw = side
        elif ind.kind == SCORED and ind.points is not None and (side := _side_points(table, r)) is not None:
            extra.append((ind, side))  # 基本分 8 | 加分 1 (增速达到6.5%的加1分): a condition no figure settles
        if parsed.note:
            problems.append(grid.problem(r, points_col, f"分值「{ind.points_raw}」{parsed.note}", WARNING))
        if not parsed.ok and ind.points_raw:
            problems.append(grid.problem(r, points_col, f"分值「{ind.points_raw}」无法识别，应为数字（如 5、4分、扣1.3分）或「约束条件」"))
        prng = grid.merge_of(r, points_col) if points_col is not None else None
        blank = ind.points is None and not ind.points_raw and ind.kind == SCORED and parent is not None
        # a blank 分值 on a row numbered as an indicator of its own is shared only in a merged cell
        # (DOMAIN), or where the table says so (its 注, or the row above: 两项共5分)
        own_no = blank and _own_number(grid, r, no_col, no, parent) and not (
            blank_shares or _says_items_share(grid, parent.row - 1, name_col))
        if prng is not None and prng[0] != r and prng[0] < r and ind.points is not None:
            ind.shares_points_with_row = prng[0] + 1
        elif blank and not own_no and (_is_sub_item(no_raw, no, parent) or (cat_cols and parent.path == ind.path)):
            ind.points = parent.points
            ind.shares_points_with_row = parent.row
        elif ind.points is None and ind.kind == SCORED:
            why = ("（本行有自己的序号，是单独的一项指标，不按与上一项共用分值计；如确与第 "
                   f"{parent.no_raw or parent.no} 项共用分值，请把两行的分值单元格合并）"
                   if own_no and points_col is not None else "")
            problems.append(grid.problem(r, points_col if points_col is not None else name_col,
                                         f"指标「{ind.name}」没有分值{why}", WARNING))
        if ind.shares_points_with_row is None and ind.points is not None:
            parent = ind
        # units
        lead_txt = grid.text(r, lead_col) if lead_col is not None else ""
        ind.units_raw = lead_txt.strip()
        if support_cols:
            lead, support = split_lead_support(lead_txt)
            sup = [u for c in support_cols for u in split_unit_list(grid.text(r, c))]
            ind.lead, ind.support = lead, (support or []) + [u for u in sup if u not in (support or [])]
            ind.units_raw = "；".join(x for x in [lead_txt.strip()] + [grid.text(r, c).strip() for c in support_cols] if x)
        else:
            ind.lead, ind.support = split_lead_support(lead_txt)
            if lead_first and ind.support is None and ind.lead:
                ind.lead, ind.support = ind.lead[:1], ind.lead[1:]
        if lead_col is not None and not ind.lead:
            problems.append(grid.problem(r, lead_col, f"指标「{ind.name}」没有填写责任单位", WARNING))
        ds = table.text(r, "data_source").strip()
        ind.data_source = normalize_name(ds) if ds else None
        ind.unit = measure_unit(table.text(r, "measure"))
        column_dir = compact(table.text(r, "direction")) or "".join(t for t in attrs if _DIRECTION_WORD.fullmatch(t))
        remark = compact(table.text(r, "remark"))
        if column_dir:
            ind.direction = direction_of(column_dir)  # 正向/逆向, 越低越好, ↑/↓, +/-
        if ind.direction is None and marked:
            ind.direction = marked
        elif not column_dir and remark and (table.has("direction") or dir_cols or re.search(r"逆向|越低越好|越小越好", remark)):
            ind.direction = direction_of(remark)  # 逆向指标; 非逆向指标 is not one
        if table.has("rule"):  # (考核要点 and 评分标准 may both be there)
            ind.rule_text = "；".join(t for c in table.columns["rule"] if (t := grid.text(r, c).strip()))
        if table.has("cap") and ind.deduction_cap is None:
            cap = parse_points(table.text(r, "cap").strip())
            figure = cap.cap if cap.cap is not None else cap.points
            if figure is not None:
                ind.deduction_cap = abs(figure)
        if ind.kind in (DEDUCTION, BONUS):
            # 扣分上限10分 in a column of its own (a 上限 header repeated lower down, or the 评分标准
            # column), and 每发生1起…扣2分 / 每获得1项加0.5分 there when the points cell says no figure per event
            in_cell = per_event_written(ind.points_raw) is not None
            for c in range(len(grid.cells[r])):
                if c == name_col:
                    continue
                text = compact(grid.text(r, c))
                m = _CAP_IN_TEXT.search(text) if ind.deduction_cap is None else None
                if m:
                    ind.deduction_cap = float(m.group(1))
                if ind.per_event is None and c != points_col and not in_cell:
                    ind.per_event = per_event_written(text)
        tgt = table.value(r, "target")
        if table.has("target") and str(tgt).strip():
            ind.target = _target_value(tgt)
        if unit_points:
            ind.points_by_unit = dict(parsed.overrides)
        else:
            _unit_points_and_targets(table, r, ind, parsed.overrides, problems, points_col)
        if no is not None:
            # numbering that restarts in each category (1..6, 1..7) repeats across them
            key_no = (ind.path[0] if ind.path else "", no)
            merged_no = grid.merge_of(r, no_col) if no_col is not None else None
            if key_no in seen_nos and not (merged_no and merged_no[0] < r):  # one 序号 merged over a split indicator
                problems.append(grid.problem(r, no_col, f"序号 {no} 与第 {seen_nos[key_no]} 行重复", WARNING))
            else:
                seen_nos[key_no] = r + 1
        system.indicators.append(ind)
    close_subtotal()
    if any(ok for _, ok, _ in sub_checks):  # the table's category points are subtotals
        problems += [p for _, ok, p in sub_checks if not ok]
    else:
        problems += [p for sure, ok, p in sub_checks if sure and not ok]
    _check_stated_totals(table, system, points_col)
    if extra:
        listed = "、".join(f"第{i.no if i.no is not None else '?'}项（{'加' if k == BONUS else '扣'}{fmt_num(abs(p))}分）"
                          for i, (k, p, _raw) in extra)
        problems.append(Problem(grid.file, grid.sheet, extra[0][0].cell, WARNING,
                                f"{len(extra)} 项指标在基本分之外另有加分或扣分：{listed}。它们的条件（见评分标准）无法从报表数值判断，"
                                "测算只计基本分；达到条件的，请在报送或通报时另行说明"))
    # A table that marks 牵头/参与 anywhere tells them apart everywhere: a cell without
    # markers then names lead units only.
    if any(i.support is not None for i in system.indicators):
        for i in system.indicators:
            if i.support is None:
                i.support = []
    _category_points(system, stated)
    _own_figures(table, system)
    _split_indicators(table, system, name_col)
    _names_not_indicators(table, system, name_col)
    system.assign_keys()
    return system


_AMOUNT_WORDS = re.compile(r"^(总量|绝对值|绝对量|总额|规模|完成值|完成量|数值|总数|存量|余额)$")


def _split_indicators(table: Table, system: IndicatorSystem, name_col: int) -> None:
    """One indicator's name merged down over rows that each carry their own points and a
    sub-criterion of their own (社会消费品零售总额 over 总量 | 5 and 增速 | 5): each row is an
    indicator of its own, named so a month's rows and the peer table's tell them apart — the
    amount keeps the name, the rate is …增速, another criterion is written after the name. Both
    rows carried the one name: the second was matched to nothing and its points never scored."""
    grid = table.grid
    inds = system.indicators
    k = 0
    while k < len(inds):
        first = inds[k]
        span = grid.merge_of(first.row - 1, name_col)
        group = [first]
        while (span is not None and k + len(group) < len(inds) and inds[k + len(group)].name == first.name
               and span[0] <= inds[k + len(group)].row - 1 <= span[2]):
            group.append(inds[k + len(group)])
        k += len(group)
        if len(group) < 2 or any(i.shares_points_with_row is not None for i in group):
            continue
        subs = next((subs for c in table.columns.get("rule", [])  # (考核要点 before 评分标准: the short one)
                     if all(subs := [compact(grid.text(i.row - 1, c)) for i in group])
                     and len(set(subs)) == len(subs) and all(len(x) <= 12 for x in subs)), None)
        if subs is None:
            continue
        names = []
        for ind, sub in zip(group, subs):
            if _AMOUNT_WORDS.match(sub):
                names.append(ind.name)
            elif GROWTH_NAME.search(sub):
                names.append(ind.name if GROWTH_NAME.search(ind.name) else ind.name + "增速")
            else:
                names.append(f"{ind.name}{sub}")
        if len({name_key(n) for n in names}) < len(names):
            continue
        for ind, name in zip(group, names):
            ind.name = name


def _names_not_indicators(table: Table, system: IndicatorSystem, name_col: int) -> None:
    """An ERROR at the header of the column read as the names when they are no indicators' names:
    each a category's (经济发展 ×7, 创新驱动 ×4…), as when the column of names went unrecognized
    (二级指标（考核内容） beside 一级指标) and the category column was taken for it. Every figure
    would be matched, ranked and scored under the wrong names: never passed over in silence."""
    inds = [i for i in system.indicators if i.name]
    if len(inds) < 4:
        return
    counts: dict[str, int] = {}
    for i in inds:
        counts[i.name] = counts.get(i.name, 0) + 1
    labels = {compact(strip_section_number(p)) for i in inds for p in i.path}
    as_category = all(compact(i.name) in labels for i in inds)
    # (an indicator split into sub-items may repeat its name on each: a few such, never most)
    shared = sum(k for k in counts.values() if k >= 2)
    if not as_category and not (shared >= 0.7 * len(inds) and len(counts) <= len(inds) / 2):
        return
    grid = table.grid
    row = next((r for r in reversed(table.header_rows) if grid.text(r, name_col).strip()), table.header_rows[-1])
    heading = " ".join(grid.text(row, name_col).split())
    most = sorted(counts.items(), key=lambda kv: -kv[1])
    seen = "、".join(f"「{n}」{k} 项" for n, k in most[:4]) + ("等" if len(most) > 4 else "")
    used = {c for cs in table.columns.values() for c in cs} | set(table.unit_columns.values())
    unread = [f"「{' '.join(t.split('/')[-1].split())}」（{cell_ref(table.header_rows[-1], c)}）"
              for c, t in sorted(table.headers.items()) if c not in used and c > name_col][:3]
    hint = f"；表头{'、'.join(unread)}未能识别" if unread else ""
    what = "都是类别名称" if as_category else f"只有 {len(counts)} 个，反复出现，像是类别名称"
    system.problems.append(Problem(grid.file, grid.sheet, cell_ref(row, name_col), ERROR,
                                   f"按「{heading}」列读出的 {len(inds)} 项指标的名称{what}（{seen}），"
                                   f"不是各项指标的名称{hint}；请把指标名称所在列的表头写作「指标名称」「二级指标」或「三级指标」，"
                                   "否则各项指标无法区分"))


_DIRECTION_WORD = re.compile(r"(正向|逆向|正|逆|反向|负向)(指标)?|越(高|大|低|小)越好|[↑↓]")


def _holds_directions(table: Table, c: int) -> bool:
    """A category-headed column (指标属性) that holds 正向 / 逆向: the direction of each row. The
    rows of events often say their kind there instead (约束性, 扣分项, 加分项): still the same
    column, never a category. (A text merged across columns, 合计 or a section, is no row's.)"""
    grid = table.grid
    texts = [t for r in table.body_rows if (t := compact(grid.text(r, c)))
             and ((m := grid.merge_of(r, c)) is None or m[1] == m[3])]
    directions = sum(1 for t in texts if _DIRECTION_WORD.fullmatch(t))
    kinds = sum(1 for t in texts if not _DIRECTION_WORD.fullmatch(t) and _attribute_kind(t))
    return directions >= 2 and directions + kinds >= 0.8 * len(texts)


def _attribute_kind(text: str) -> str | None:
    """The kind a short attribute word names (约束性, 扣分项, 加分项, 一票否决), else None."""
    if not text or len(text) > 8 or _DIRECTION_WORD.fullmatch(text):
        return None
    return next((kind for kind, rx in _KIND_WORDS if rx.search(text)), None)


def names_at_most(table: Table, names: set[str]) -> int:
    """At most how many of the indicators system_from_table(table) would read have a
    compacted name in `names`: each body row's name, as that reader would take it,
    counted without reading the table (a department's sheet is told from a copy of
    the system without parsing it as one)."""
    name_cols = table.columns.get("name") or []
    cat_cols = [c for c in table.columns.get("category", []) if c not in name_cols]
    if not name_cols and cat_cols:
        name_cols = [cat_cols[-1]]
    if not name_cols:
        return len(table.body_rows)
    grid, col, n = table.grid, name_cols[-1], 0
    for r in table.body_rows:
        raw = grid.text(r, col).strip()
        if raw:
            name = normalize_name(raw)
            if compact(name) in names or compact(leading_no(name)[1]) in names:
                n += 1
    return n


_CAP_IN_TEXT = re.compile(r"(?:上限|不超过|最多|最高|封顶)(?:扣|加|为)?([0-9]+(?:\.[0-9]+)?)分")


def _category_points(system: IndicatorSystem, stated: dict[str, float]) -> None:
    """Points written only on the category heading (一、经济发展（12分）) over items whose own
    分值 cells are empty: the items share them as rows share one points cell (split evenly)."""
    for label, pts in stated.items():
        items = [i for i in system.indicators if label in i.path]
        if not items or any(i.points is not None or i.kind != SCORED for i in items):
            continue
        head = items[0]
        head.points = pts
        for i in items:
            if i is not head:
                i.points, i.shares_points_with_row = pts, head.row
        system.problems[:] = [p for p in system.problems
                              if not any(p.message.startswith(f"指标「{i.name}」没有分值") for i in items)]


def _own_figures(table: Table, system: IndicatorSystem) -> None:
    """An 附件2 overview used as the system carries last year's result and place
    (`5.8%（3）`, or 完成值 | 位次) and this year's target: read them as the departments'
    sheets are read, so they stand in for whatever a department leaves out."""
    grid = table.grid
    m = re.search(r"(20[0-9]{2})", system.title or "")
    cols = resolve_columns(table, int(m.group(1)) if m else None)
    taken = {c for role, cs in table.columns.items() if role not in ("target", "remark") for c in cs}
    ly = cols.last_year if cols.last_year not in taken else None
    ly_rank = cols.last_year_rank if cols.last_year_rank not in taken else None
    for ind in system.indicators:
        r = ind.row - 1
        if ly is not None:
            val = parse_value(grid.value(r, ly))
            ind.last_year_raw = val.raw if val.status != MISSING else ""
            ind.last_year = val.value if val.status == OK else None
            if val.rank is not None:
                rk = parse_rank(val.rank)
                ind.last_year_rank = rk.rank if rk.ok else None
        if ly_rank is not None:
            rk = parse_rank(grid.value(r, ly_rank))
            if rk.ok:
                ind.last_year_rank = rk.rank
                if ind.last_year_raw and f"（{rk.rank}）" not in ind.last_year_raw:
                    ind.last_year_raw = f"{ind.last_year_raw}（{rk.rank}）"
        _target_numbers(ind)


def _target_numbers(ind: Indicator) -> None:
    """The targets written as text ('6.5%', '42亿元') as the numbers a completion rate divides by."""
    ind.target_value = _target_number(ind.target)
    for unit, t in ind.targets.items():
        n = _target_number(t)
        if n is not None:
            ind.target_values[unit] = n


def _target_number(target) -> float | None:
    """A target as the number a completion rate divides by (6.5 from '6.5%', 6000 from '6000人');
    None for a bound (≤35, 不低于全市平均), a place (前3名) or words."""
    if isinstance(target, (int, float)) and not isinstance(target, bool):
        return float(target)
    if isinstance(target, str) and target.strip():
        val = parse_value(target)
        if val.status == OK and val.value is not None and not re.search(r"[<>＜＞≤≥不低高于以上下名位前]", target):
            return val.value
    return None



def _points_column(table: Table, name_col: int) -> int | None:
    """Of several points columns (一级权重 | 二级指标 | 权重), the indicator's own:
    the first right of the name column, else the nearest left of it."""
    cols = [c for c in table.columns.get("points", []) if c != name_col]
    right = [c for c in cols if c > name_col]
    if right:
        return right[0]
    return cols[-1] if cols else None


def _unit_columns(table: Table) -> tuple[int | None, list[int]]:
    """The lead column and the support columns. Of several lead-like columns
    (牵头单位 | 责任单位), the one saying 牵头 leads and the others support."""
    leads = table.columns.get("lead") or []
    support = list(table.columns.get("support") or [])
    if len(leads) <= 1:
        return (leads[0] if leads else None), support
    lead = next((c for c in leads if re.search(r"牵头|主责", compact(table.headers.get(c, "")))), leads[0])
    return lead, sorted(support + [c for c in leads if c != lead])


def _no_column(table: Table) -> int | None:
    """Of several 序号/编号 columns, the one whose cells read as numbers most often."""
    cols = table.columns.get("no") or []
    if len(cols) <= 1:
        return cols[0] if cols else None
    rows = table.body_rows[:200]
    return max(cols, key=lambda c: (sum(1 for r in rows if parse_no(table.grid.text(r, c)) is not None), -c))


_SUB_NO = re.compile(r"^[0-9]{1,3}(?:[.\-][0-9]{1,3})*$")


def _sub_number(no_raw: str) -> str:
    """'2-1', '5.1', '1．2．3', '3' -> '2.1', '5.1', '1.2.3', '3'; '' when not such a number."""
    t = re.sub(r"[．。\-－—–_]", lambda m: "." if m.group(0) in "．。" else "-", fold_width(no_raw).strip())
    t = t.rstrip("、.")
    if not _SUB_NO.match(t):
        return ""
    return t.replace("-", ".")


def _under(key: str, prefix: str) -> bool:
    return key.startswith(prefix + ".")


def _group_rows(table: Table, name_col: int, points_col: int | None, no_col: int | None) -> set[int]:
    """Rows that only group the rows numbered under them ('2 工业经济 10' over 2-1, 2-2, 2-3).

    A numbered row is a group when the rows right after it are numbered one level
    below it, carry points of their own, and either it has no points or its points
    are exactly theirs summed (so counting it too would count them twice). Sub-rows
    with empty points are sub-items sharing the row's points instead.
    """
    if no_col is None:
        return set()
    grid = table.grid
    rows = table.body_rows
    shapes = [_number_shape(grid.text(r, no_col)) for r in rows]
    groups: set[int] = set()
    effective: dict[int, float | None] = {}  # a group without points of its own counts its children's
    for i in range(len(rows) - 1, -1, -1):  # bottom-up: a child group is known before its parent
        r, shape = rows[i], shapes[i]
        effective[r] = _points_of(grid, r, points_col)
        if shape is None or not shape[1] or not grid.text(r, name_col).strip():
            continue
        depth, key = shape
        below: list[tuple[int, int]] = []
        for j in range(i + 1, len(rows)):
            sh = shapes[j]
            if sh is None:
                if grid.text(rows[j], no_col).strip():
                    break
                continue  # a blank or spanning row inside the group
            if sh[0] <= depth or (sh[1] and not _under(sh[1], key)):
                break
            below.append((rows[j], sh[0]))
        if not below:
            continue
        top = min(d for _, d in below)
        children = [c for c, d in below if d == top]
        own = effective[r]
        # '3 否决项' over 3.1, 3.2 saying 一票否决: items of their own kind, not sharing
        blank = points_col is None or not grid.text(r, points_col).strip()
        kids = [effective[c] if effective[c] is not None or not blank or not _special_kind(grid, c, points_col)
                else 0 for c in children]
        if any(p is None for p in kids):
            continue  # sub-items without points share this row's
        if own is None or abs(own - sum(kids)) < 1e-6:
            groups.add(r)
            effective[r] = sum(kids)
    return groups


_LABEL_POINTS = re.compile(r"[（(]\s*(?:共|计|合计)?\s*([0-9]+(?:\.[0-9]+)?)\s*分\s*[)）]$")


def _numbered(text: str) -> bool:
    """A 序号 an indicator carries (3, 2-1, （1）, ①), not a category's 一 / （一）."""
    t = text.strip()
    return bool(t) and (_number_shape(t) is not None
                        or (parse_no(t) is not None and not _CN_ORDINAL.match(compact(t))))


def _plain_category_rows(table: Table, name_col: int, points_col: int | None, no_col: int | None,
                         cat_cols: list[int], lead_col: int | None) -> dict[int, float | None]:
    """Category rows written without an ordinal ('| 经济增长 | 40 |', '经济增长（20分）' merged over
    序号 and name): {row: the points it carries, or None}. Read as indicators they would count each
    category's points twice. Such a row has no 序号, no units, no target, nothing but its name and
    points, and the rows right under it are numbered indicators (with units where the table has a
    unit column). A table whose indicators are all unnumbered has none. Whether the shape is the
    table's way of writing categories is settled by one such row whose points its indicators add
    up to, or one standing above every indicator (no indicator's sub-item can); then every row of
    the shape is a category, its points a subtotal checked against its indicators."""
    if no_col is None:
        return {}
    grid = table.grid
    rows = table.body_rows
    keep = {no_col, name_col, points_col, *cat_cols}
    found: dict[int, tuple[float | None, float, bool]] = {}  # row: (points carried, indicators' sum, first)
    first_numbered = next((i for i, r in enumerate(rows) if _numbered(grid.text(r, no_col))), None)
    for i, r in enumerate(rows):
        name = grid.text(r, name_col).strip()
        no_raw = grid.text(r, no_col).strip()
        if not name or (no_raw and no_raw != name) or _is_total_row(no_raw, name) or is_section_heading(name) \
                or len(compact(name)) > 30 or "。" in name:  # (a sentence is a note, never a category)
            continue
        rng = grid.merge_of(r, name_col)
        if rng is not None and rng[0] != r:
            continue  # the lower part of a name merged over several rows
        if any(grid.text(r, c).strip() and ((m := grid.merge_of(r, c)) is None or m[0] == r)
               and not (m is not None and m[1] <= name_col <= m[3])
               for c in range(len(grid.cells[r])) if c not in keep):
            continue  # units, a target, a figure of its own: an indicator
        pts = None
        if points_col is not None and grid.text(r, points_col).strip():
            prng = grid.merge_of(r, points_col)
            if prng is not None and prng[0] != r:
                continue  # points merged down from the row above: its sub-item
            p = parse_points(grid.value(r, points_col))
            if p.points is None or p.kind is not None:
                continue
            pts = p.points
        elif (m := _LABEL_POINTS.search(compact(name))):
            pts = float(m.group(1))
        children, units = [], False
        for j in rows[i + 1:]:
            if not _numbered(grid.text(j, no_col)) or not grid.text(j, name_col).strip():
                break
            children.append(_points_of(grid, j, points_col) or 0.0)
            units = units or lead_col is None or bool(grid.text(j, lead_col).strip())
        if not children or not units:
            continue
        found[r] = (pts, sum(children), first_numbered is not None and i < first_numbered)
    settled = any(first or (pts is not None and abs(pts - total) < 1e-6) for pts, total, first in found.values())
    return {r: pts for r, (pts, _total, _first) in found.items()} if settled else {}


def _number_shape(no_raw: str) -> tuple[int, str] | None:
    """How deep a 序号 sits: '3' (0, '3'), '2-1' (1, '2.1'), '（1）'/'①' (9, ''); None otherwise."""
    key = _sub_number(no_raw)
    if key:
        return key.count("."), key
    if re.fullmatch(r"[（(]\s*[0-9]{1,3}\s*[)）]|[①-⑳]", fold_width(no_raw).strip()):
        return 9, ""
    return None


def _points_of(grid: Grid, r: int, c: int | None) -> float | None:
    if c is None:
        return None
    rng = grid.merge_of(r, c)
    if rng is not None and rng[0] != r:
        return None  # merged down from above: not this row's own figure
    p = parse_points(grid.value(r, c))
    return p.points if p.kind is None else None


def _special_kind(grid: Grid, r: int, c: int | None) -> bool:
    """The row's points cell names a kind (约束条件, 扣N分, 加N分) rather than plain points."""
    return c is not None and parse_points(grid.value(r, c)).kind is not None


def _heading_level(text: str) -> int:
    """一、 / 第一部分 / 一 -> 1; （一） -> 2; anything else -> 1."""
    t = compact(text)
    if re.match(r"^[（(][一二三四五六七八九十]+[)）]", t):
        return 2
    return 1


def _points_from_unit_columns(table: Table, r: int) -> Points:
    """分值 written once per unit column: each unit's figure; `points` is the one most units share."""
    grid = table.grid
    by_unit: dict[str, float | None] = {}
    kinds = set()
    for unit, c in table.unit_columns.items():
        t = grid.text(r, c).strip()
        if not t or t in _NOT_ASSESSED or compact(t) in _NOT_ASSESSED:
            by_unit[unit] = None
            continue
        p = parse_points(grid.value(r, c))
        if p.kind:
            kinds.add(p.kind)
        by_unit[unit] = p.points
    if CONSTRAINT in kinds:  # 一票否决 in each unit's column: no points, `---` where written
        return Points(CONSTRAINT, None, {u: None for u, c in table.unit_columns.items()
                                         if compact(grid.text(r, c)) in _NOT_ASSESSED})
    values = [v for v in by_unit.values() if v is not None]
    if not values:
        return Points(next(iter(kinds), None), None, {})
    counts: dict[float, int] = {}
    for v in values:
        counts[v] = counts.get(v, 0) + 1
    base = max(counts, key=lambda v: (counts[v], -values.index(v)))
    return Points(next(iter(kinds), None), base, {u: v for u, v in by_unit.items() if v != base})


_TOTAL_RE = re.compile(r"^(合计|总计|小计|总分|分值合计|合\s*计)$")
# 经济发展小计, 本类小计: a category's subtotal named after it, never an indicator
_SUBTOTAL_RE = re.compile(r"^[^0-9]{0,16}小计$")
_CN_ORDINAL = re.compile(r"^[（(]?[一二三四五六七八九十]+[)）]?[、.．]?$")


def _is_total_row(no_raw: str, name_raw: str, others: list[str] | tuple[str, ...] = ()) -> bool:
    """A 合计 / 小计 row: the word in the 序号 or name column, `经济发展小计` as a name, or,
    the name column blank, 合计 in a category column (the category merged down above it)."""
    return bool(_TOTAL_RE.match(compact(no_raw)) or _TOTAL_RE.match(compact(name_raw))
                or _SUBTOTAL_RE.match(compact(name_raw))
                or (not name_raw and compact(no_raw).startswith(("合计", "总计")))
                or (not name_raw and any(_TOTAL_RE.match(compact(t)) for t in others)))


def _own_texts(grid: Grid, r: int, cols: list[int]) -> list[str]:
    """Row r's texts in `cols`, leaving out cells merged down from a row above."""
    return [grid.text(r, c) for c in cols if (m := grid.merge_of(r, c)) is None or m[0] == r]


def _check_total_row(table: Table, r: int, system: IndicatorSystem, points_col: int | None,
                     since: int = 0, subtotal: bool = False) -> None:
    """A 合计 row's points must equal the sum read so far, or (a 小计 closing one
    category) the sum since the last 小计 row or section heading. Tables often
    state the base points only (合计 100 above 加分项), so that sum agrees too."""
    if points_col is None:
        return
    stated = parse_points(table.grid.value(r, points_col)).points
    part = sum(i.points for i in system.indicators[since:]
               if i.shares_points_with_row is None and i.points and i.points > 0 and _summed(i))
    base = sum(i.points for i in system.indicators
               if i.shares_points_with_row is None and i.kind == SCORED and i.points and i.points > 0)
    if stated is not None and all(abs(stated - x) > 1e-6 for x in (system.total_points, part, base)) \
            and system.indicators:
        said = (f"小计行写明 {fmt_num(stated)} 分，但本类各指标分值合计为 {fmt_num(part)} 分" if subtotal
                else f"合计行写明 {stated} 分，但各指标分值合计为 {system.total_points} 分")
        system.problems.append(table.grid.problem(r, points_col, said, WARNING))


def _summed(ind: Indicator) -> bool:
    """Is the item's points cell a figure a 合计 adds up? A bonus written as a cap (最高加2分, ≤2)
    is not: counted, it could make up for as many points missing from the scored items."""
    if ind.kind != BONUS:
        return True
    p = parse_points(ind.points_raw)
    return p.kind is None and p.cap is None


def _is_category_row(table: Table, r: int, no_raw: str, name_raw: str) -> bool:
    """A category row inside the table, with no department:
    '一 | 项目建设 | 16 |（空）' (numbered in Chinese), or
    '一、经济发展（30分）'merged over 序号 and name, its points beside it."""
    if table.has("lead") and table.text(r, "lead").strip():
        return False
    if _CN_ORDINAL.match(compact(no_raw)):
        return True
    heading = name_raw or no_raw
    if is_section_heading(heading) and (not no_raw or compact(no_raw) == compact(heading)):
        return True
    return False


def _own_cells(grid: Grid, r: int, table: Table, exclude: list[int]) -> bool:
    for c in table.data_cols:
        if c in exclude:
            continue
        rng = grid.merge_of(r, c)
        if grid.text(r, c).strip() and (rng is None or rng[0] == r):
            return True
    return False


# 注：分值栏为空的指标与上一指标共用分值 — the table's own rule for its blank 分值 cells
_BLANK_SHARES = re.compile(r"(分值|分数)[栏列格]?(为空|空白|未填|空缺|不填)[^。；;]*?(共用|共享|合用|同上)"
                           r"|(与|同)上一?[项行个条]?(指标)?(共用|共享|合用)(分值|分数)")
# 两项共5分, 两项合计5分, 城镇、农村两项各占50%, 与下一项共用分值: a row's points said to cover the next
_ITEMS_SHARE = re.compile(r"[两二三四五六2-6]项(指标)?(共|合计|共计|各占|平分|平均)|(共用|合用)(分值|分数)")


def _says_blank_points_shared(table: Table) -> bool:
    """Does a note of the table (under it, or above the header) say a blank 分值 shares the row above's?"""
    grid = table.grid
    rows = list(table.note_rows) + list(range(table.header_rows[0]))
    return any(_BLANK_SHARES.search(compact("".join(dict.fromkeys(grid.row_texts(r))))) for r in rows)


def _says_items_share(grid: Grid, r: int, name_col: int) -> bool:
    """Does row r (the last row with points) say its points cover the rows after it (两项共5分)?"""
    return any(c != name_col and _ITEMS_SHARE.search(compact(t)) for c, t in enumerate(grid.row_texts(r)))


def _own_number(grid: Grid, r: int, no_col: int | None, no: int | None, parent: Indicator) -> bool:
    """Does row r carry a 序号 of its own, another than the last indicator's (not one 序号 merged
    over a split indicator)? Such a row is an indicator, never a sub-item sharing points."""
    if no_col is None or no is None or no == parent.no:
        return False
    rng = grid.merge_of(r, no_col)
    return rng is None or rng[0] == r


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


def _side_points(table: Table, r: int) -> tuple[str, float, str] | None:
    """(kind, points, text) from a 加分 / 扣分 sub-column of 分值, when it has a figure."""
    for role, kind in (("bonus_points", BONUS), ("deduction_points", DEDUCTION)):
        for c in table.columns.get(role, []):
            rng = table.grid.merge_of(r, c)
            if rng is not None and rng[0] != r:
                continue
            raw = table.grid.text(r, c).strip()
            p = parse_points(table.grid.value(r, c))
            if p.points is not None and p.kind in (None, kind):
                return kind, (-abs(p.points) if kind == DEDUCTION else p.points), raw
    return None


def _points_in_name(name: str) -> Points:
    """'地区生产总值增速（5分）', '安全生产（约束性指标）': the figure a table without a
    分值 column writes after the name."""
    m = re.search(r"[（(]\s*([^（()）]*?[0-9][^（()）]*?分[^（()）]*|[^（()）]*(?:约束|否决)[^（()）]*)[)）]\s*$", name)
    if not m:
        return Points(None, None)
    p = parse_points(m.group(1))
    return p if p.ok else Points(None, None)


def _kind_from_words(path: list[str], name: str) -> str | None:
    tail = re.search(r"[（(]([^（()）]*)[)）]\s*$", name)  # '安全生产（约束性指标）'
    for text in list(reversed(path)) + [name[:6]] + ([tail.group(1)] if tail else []):
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


def _unit_points_and_targets(table: Table, r: int, ind: Indicator, overrides: dict[str, float],
                             problems: list[Problem], points_col: int | None) -> None:
    """Each unit column's target, `---` (not assessed) as None points. Points are kept per unit
    only where the row gives them (an item with no points, a 一票否决, stays assessed: None
    would say `---`). A mark across every unit's column (`—` merged over the block) says the
    item has no per-unit target, not that no unit is assessed on it."""
    grid = table.grid
    overrides = _overrides_as_columns(table, r, overrides, problems, points_col)
    texts = {unit: grid.text(r, c).strip() for unit, c in table.unit_columns.items()}
    marked = {unit for unit, t in texts.items() if t and (t in _NOT_ASSESSED or compact(t) in _NOT_ASSESSED)}
    if marked and len(marked) == len(texts) >= 2 and not {compact(t) for t in texts.values()} & _SAID_NOT_ASSESSED:
        mark = next(iter(texts.values()))
        problems.append(grid.problem(r, next(iter(table.unit_columns.values())),
                                     f"指标「{ind.name}」各单位目标都写的是「{mark}」：按没有分单位目标、各单位都参加考核处理；"
                                     "如某单位不考核，请只在该单位的列中填写「---」", WARNING))
        marked = set()
    for unit, c in table.unit_columns.items():
        if unit in marked:
            ind.points_by_unit[unit] = None
            continue
        pts = overrides.get(unit, ind.points)
        if pts is not None:
            ind.points_by_unit[unit] = pts
        if texts[unit] and texts[unit] not in _NOT_ASSESSED and compact(texts[unit]) not in _NOT_ASSESSED:
            ind.targets[unit] = _target_value(grid.value(r, c))
    for unit, pts in overrides.items():
        if unit not in ind.points_by_unit:
            ind.points_by_unit[unit] = pts


def _column_of(table: Table, name: str) -> str:
    """The unit column a name written elsewhere (the system's own sheet) stands for in this
    table, when exactly one does; else the name as written."""
    hits = _unit_hits(list(table.unit_columns), name)
    return hits[0] if len(hits) == 1 else name


def _unit_hits(units: list[str], name: str) -> list[str]:
    """The unit columns a written name may be: the same name, the same place (澄湖 for 澄湖区), else
    a column whose name holds it or is held by it, else one it is the short name of."""
    key = compact(name)
    return ([u for u in units if compact(u) == key] or [u for u in units if same_place(u, name)]
            or [u for u in units if len(key) >= 2 and (key in compact(u) or compact(u) in key)]
            or [u for u in units if abbreviates(key, u)])  # 翠屏高新区 for 翠屏高新技术产业开发区


def _overrides_as_columns(table: Table, r: int, overrides: dict[str, float], problems: list[Problem],
                          points_col: int | None) -> dict[str, float]:
    """`4 (高新区6)` over a column headed 霁州高新区: the override is that column's unit (the
    one column whose name holds the written one, or is held by it). A name no column has is
    kept as written (the peer data may know it) and said."""
    if not overrides or not table.unit_columns:
        return overrides
    units = list(table.unit_columns)
    out: dict[str, float] = {}
    for name, pts in overrides.items():
        hits = _unit_hits(units, name)
        if len(hits) == 1:
            out[hits[0]] = pts
            continue
        out[name] = pts
        if not hits:  # a typo (高薪区 for 高新区): the unit it looks like, named, never taken for it
            close = closest_name(name, units)
            where = (f"（是不是「{close}」？本表的单位：{'、'.join(units)}）" if close
                     else f"（本表的单位：{'、'.join(units)}）")
        else:
            where = f"（可能是：{'、'.join(hits)}）"
        problems.append(table.grid.problem(r, points_col, f"分值中写明的「{name}」不是本表列出的单位{where}，"
                                           "该分值未对应到任何单位列，各单位按默认分值计分；请写单位全称", WARNING))
    return out


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


def _check_stated_totals(table: Table, system: IndicatorSystem, pc: int | None = None) -> None:
    """'总分116分' in the header and '（12项）' in a category must agree with the rows."""
    grid = table.grid
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
