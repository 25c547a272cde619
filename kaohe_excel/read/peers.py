"""六县市数据: every peer county's value per indicator -> PeerTable (reader layer:
above tables and matching; workbook.read_peers reads the file).

序号 / 指标名称 / 方向 (正向 | 逆向) and one column per county whose header is the
county's name (叶县, 宝丰县, … or a two-row header with the counties under a
group such as 2023年1-8月). Section rows are skipped; `—` / blank cells are missing
values (None, reported later, never zero); Excel error cells are problems.
"""

from __future__ import annotations

import re
from pathlib import Path

from kaohe_excel.model import EVENT_KINDS, IndicatorSystem, PeerRow, PeerTable
from kaohe_excel.problems import ERROR, WARNING, InputError, Problem, cell_ref
from kaohe_excel.read.grid import CellFlags, Grid, sheet_cell_flags
from kaohe_excel.read.matching import IndicatorMatcher, is_section_row, matcher_for, name_key
from kaohe_excel.read.tables import (RoleList, Table, find_table, hidden_notes, is_place, is_unit_heading,
                                     looks_like_section, role_of, row_facts, row_single_text, visible_grid)
from kaohe_excel.text import (OWN_WORDS, abbreviates, cn_to_int, compact, county_key, direction_of, events_from_text, kept_per_text,
                              leading_no, normalize_name, own_marked, parse_no, peer_data_word)
from kaohe_excel.read.values import (ERROR as V_ERROR, MISSING, OK, TEXT, as_rate_of, is_growth,
                                     parse_value)

# Rows an AutoFilter hides are still read, as in the system: a filter is a view (方向 = 正向), not the
# statistics bureau leaving an indicator out.
PEER_ROLES = RoleList([
    ("no", r"^(序号|编号|序|项次|No\.?)$"),
    ("direction", r"^(指标)?(方向|正逆向|正向/逆向|正/逆|属性|指标属性|指标性质)$"),
    ("unit", r"^(计量)?单位$"),
    ("source", r"数据来源|来源|提供单位"),
    ("remark", r"^备注$"),
    ("name", r"^(指标内容|指标名称|指标|具体指标|考核指标|三级指标|评价指标|监测指标|主要指标|统计指标|项目|内容)$"
             r"|指标名称|指标内容"),
], keep_filtered_rows=True)


# Headers that are a total or a reference, never a county: 全市平均, 合计, 目标值…
_NOT_COUNTY = re.compile(r"^[本我]|全|平均|均值|合计|总计|小计|目标|标准|增幅|增速|数值|备注|说明|名次|排名|位次|排序|单位|方向|"
                         r"属性|来源|指标|序号|年|月|地区|区域|县市|分值|分数|权重|得分|满分|计分|赋分|完成|情况|数据|任务|计划|预计|"
                         r"实际|同期|累计|比重|比例|名称|内容|项目|类别|级|值$|率$|额$|数$|量$|[0-9A-Za-z%]|"
                         r"基期|基准|上期|本期|同比|环比|省定|市定|县定|标杆|参考|对标|预警|等次|档次")


def _is_short_county(text: str) -> bool:
    """'宝丰', '鲁山': a county written without 县/市 (two or three characters)."""
    t = compact(text)
    return bool(re.fullmatch(r"[\u4e00-\u9fa5]{2,3}", t)) and not _NOT_COUNTY.search(t) and not is_unit_heading(t)


def _mostly_values(grid: Grid, table: Table, c: int) -> bool:
    """The column's body holds numbers or 'not yet' marks, not words."""
    n = ok = 0
    for r in table.body_rows:
        t = grid.text(r, c).strip()
        if not t or looks_like_section(table, r) is not None:
            continue
        n += 1
        v = parse_value(grid.value(r, c))
        if v.status in (OK, MISSING, V_ERROR):
            ok += 1
    return n > 0 and ok >= 0.7 * n


def _add_short_counties(table: Table) -> None:
    """Beside county columns (叶县, 郏县), columns headed 宝丰 / 鲁山 / 舞钢 are counties too."""
    grid = table.grid
    known = {c for cs in table.columns.values() for c in cs}
    extra = {}
    for c, header in table.headers.items():
        leaf = compact(header.split("/")[-1])
        if c in known or c in table.unit_columns.values() or not _is_short_county(leaf):
            continue
        if _mostly_values(grid, table, c):
            extra[leaf] = c
    if extra and (len(table.unit_columns) >= 1 or len(extra) >= 4) and len(table.unit_columns) + len(extra) >= 3:
        merged = dict(table.unit_columns)
        merged.update(extra)
        table.unit_columns = dict(sorted(merged.items(), key=lambda kv: kv[1]))


def _add_own_unit(table: Table) -> None:
    """The unit the table marks as ours (石桥县（本县）, a column headed 本县 alone) is a unit of the
    table, under its name without the mark (本县 alone: named by the caller, who knows the county);
    it was left out, or ranked as a county called 本县 beside the real one."""
    for c, header in table.headers.items():
        leaf = compact(header.split("/")[-1])
        name, own = own_marked(leaf)
        if not own or c in table.unit_columns.values() or not (name in OWN_WORDS or is_place(name)):
            continue
        if name in OWN_WORDS and not _mostly_values(table.grid, table, c):
            continue
        table.unit_columns = dict(sorted({**table.unit_columns, name: c}.items(), key=lambda kv: kv[1]))
        table.own_unit = name
        return


def _place_or_own(text: str) -> bool:
    """A unit's name in a table of units as rows, marked as ours or not (石桥县（本县）, 本县)."""
    name, own = own_marked(text)
    return is_place(name) or (own and name in OWN_WORDS)


def _superior_city_columns(table: Table, columns: dict[str, int]) -> list[str]:
    """A column headed by the city the title is about (平顶山市 in 「平顶山市六县（市）主要指标」)
    holds the city's own figure, a reference beside the counties, never a peer."""
    title = compact(_title_text(table))
    if not title:
        return []
    m = re.search(r"([二三四五六七八九十]|[2-9]|1[0-9])个?县", title)
    n = None if m is None else int(m.group(1)) if m.group(1).isdigit() else cn_to_int(m.group(1))
    # named as the city the counties belong to (平顶山市六县, 平顶山市各县): a county-level city
    # named otherwise (汝州市与六县…, 填报单位：汝州市统计局) is one of the counties
    out = [h for h in columns if compact(h).endswith("市") and len(compact(h)) >= 3 and compact(h) in title
           and (re.search(re.escape(compact(h)) + r"(所辖)?(各|[一二三四五六七八九十\d]+个?)?县", title)
                if n is None else len(columns) - 1 == n)]
    if out:
        return out if len(columns) - len(out) >= 3 else []
    # 「六县（市）…」over seven place columns: the one 市 column at an edge is the city's total
    if n is None:
        return []
    names = list(columns)
    edges = [h for h in {names[0], names[-1]} if compact(h).endswith("市")]
    if len(names) == n + 1 and len(edges) == 1:
        return edges
    return []


_AGGREGATE_HEADER = re.compile(r"^(全(市|省|区|县|国|盟|州)(平均|合计|总计|范围|整体)?|市区|市级|市直)$|本级$|"
                               r"平均|合计|总计|小计|均值|中位")


def _title_text(table: Table) -> str:
    """The lines above the header, each said once (a title merged across is in every cell)."""
    grid = table.grid
    above = getattr(grid, "title_lines", None)  # a table turned from counties as rows: its file's title
    if above is not None:
        return " ".join(above)
    return " ".join(dict.fromkeys(t.strip() for r in range(table.header_rows[0]) for t in grid.row_texts(r)
                                  if t and t.strip()))


def _aggregate_columns(table: Table, columns: dict[str, int]) -> list[str]:
    """Value columns beside the units that are a total or an average (全市, 平均, 合计):
    never compared, named in a hint so the clerk knows they were seen."""
    used = set(columns.values()) | {c for cs in table.columns.values() for c in cs}
    out = []
    for c, header in table.headers.items():
        leaf = compact(header.split("/")[-1])
        if c not in used and _AGGREGATE_HEADER.search(leaf) and len(leaf) <= 8 and _mostly_values(table.grid, table, c):
            out.append(leaf)
    return out


_GROWTH_WORD = re.compile(r"增速|增幅|增长|同比|增减")
_RANK_WORD = re.compile(r"位次|排名|名次|排序|位$")
_VALUE_WORD = re.compile(r"完成|数值|值$|增速|增幅|增长|累计|本期|本年|绝对|总量|数据")


def _add_county_groups(table: Table) -> None:
    """Counties heading a pair of sub-columns (汝州市 over 完成值 | 位次): the county's
    value is the sub-column that is not its rank (the sheet's ranks are recomputed)."""
    groups: dict[str, list[tuple[int, str]]] = {}
    short: set[str] = set()  # 青石 over 完成值 | 位次 beside 白鹭县's pair: a county too (as _add_short_counties)
    for c, header in table.headers.items():
        levels = [compact(x) for x in header.split("/")]
        if len(levels) >= 2 and not is_place(levels[-1]) and not _is_short_county(levels[-1]):
            # the unit is the nearest level above the split that names one (各县（市、区）完成情况 /
            # 青石县 / 完成值: a band over the units' names above them)
            place = next((x for x in reversed(levels[:-1]) if is_place(x)), None)
            if place is not None:
                groups.setdefault(place, []).append((c, levels[-1]))
            elif _is_short_county(levels[-2]):
                groups.setdefault(levels[-2], []).append((c, levels[-1]))
                short.add(levels[-2])
    if short and len(groups) - len(short) + len(table.unit_columns) < 1 and len(short) < 4:
        for name in short:
            del groups[name]
    picked: dict[str, int] = {}
    growth: dict[str, int] = {}
    for county, subs in groups.items():
        values = [c for c, leaf in subs if not _RANK_WORD.search(leaf)]
        preferred = [c for c, leaf in subs if _VALUE_WORD.search(leaf) and not _RANK_WORD.search(leaf)]
        rates = [c for c, leaf in subs if _GROWTH_WORD.search(leaf) and not _RANK_WORD.search(leaf)]
        amounts = [c for c in (preferred or values) if c not in rates]
        if rates and amounts:  # 绝对值 | 增速: a growth indicator is ranked on its 增速 (peers_from_table)
            growth[county] = rates[0]
            picked[county] = amounts[0]
        elif preferred or len(values) == 1:
            picked[county] = (preferred or values)[0]
    if len(picked) + len(table.unit_columns) >= 3 and picked:
        merged = dict(table.unit_columns)
        merged.update(picked)
        table.unit_columns = dict(sorted(merged.items(), key=lambda kv: kv[1]))
        table.county_subcolumns = True  # type: ignore[attr-defined]
        table.growth_columns = growth  # type: ignore[attr-defined]


@kept_per_text
def _unit_names(text: str) -> frozenset[str]:
    """The unit names a cell text gives (a header 叶县, 宝丰, or levels joined as 叶县/完成值)."""
    return frozenset(t for part in text.split("/") if (t := compact(part)) and (is_place(t) or _is_short_county(t)))


def _names_places(grid: Grid, least: int) -> bool:
    """Do at least `least` different cell texts in the rows a peer table is sought in (a
    header's, or a turned table's county column) name a unit? Every way find_peer_table finds
    its units takes a distinct name from such a text; a unit's own report names one at most,
    and then the table searches are skipped."""
    seen: set[str] = set()
    for r in range(min(grid.nrows, 200)):
        facts = row_facts(grid, r)
        if facts is None:
            continue
        for text in facts[0]:
            if text.isascii():
                continue  # a figure, a code: no unit's name (each would be a new text to look up)
            names = _unit_names(text)
            if names:
                seen |= names
                if len(seen) >= least:
                    return True
    return False


def find_peer_table(grid: Grid, min_counties: int = 3) -> Table | None:
    if not _names_places(grid, min_counties):
        return None
    table = find_table(grid, PEER_ROLES, required=("name",), min_roles=1)
    if table is not None:
        if len(table.unit_columns) < min_counties:
            _add_county_groups(table)
        _add_short_counties(table)  # (beside 青梧县, 鹤汀县: a column headed 澜江 is a county too)
        _add_own_unit(table)
        if len(table.unit_columns) >= min_counties:
            return table
    keep = PEER_ROLES.keep_filtered_rows and bool(grid.filtered)  # (a county a filter hides is still a county)
    tg = transposed_grid(visible_grid(grid, keep), min_counties)  # turned as the clerk sees it
    if tg is not None:
        table = find_table(tg, PEER_ROLES, required=("name",), min_roles=1)
        if table is not None:  # (青石 / 桐川 rows beside 松岗县, 白鹭县: counties too, however many those are)
            _add_short_counties(table)
            _add_own_unit(table)
        if table is not None and len(table.unit_columns) >= min_counties and table.body_rows:
            # the file's hidden rows are the turned table's columns: notes keep the turned
            # coordinates, which peers_from_table turns back
            table.hidden_notes = [(c, r, msg) for r, c, msg in hidden_notes(grid, None, None, keep)]
            return table
    return None


def transposed_grid(grid: Grid, min_counties: int = 3) -> Grid | None:
    """Counties as rows and indicators as columns (how city bureaus often print 主要
    指标 by 县市区): the same sheet turned so that counties become columns. Cell
    coordinates stay those of the file (`Grid.transposed`, see `_ref`).

    Only when one column lists at least `min_counties` counties, the rows beside them
    hold numbers, and the row above the first county names the indicators."""
    best_c, best_rows = None, []
    texts = [grid.row_texts(r) for r in range(min(grid.nrows, 200))]  # each row's texts made once
    for c in range(min(grid.ncols, 6)):
        rows = [r for r, row in enumerate(texts) if c < len(row) and _place_or_own(row[c].strip())]
        if rows:  # 宝丰 / 鲁山 beside 叶县 / 郏县 in the same block
            rows = sorted(set(rows) | {r for r in range(max(0, rows[0] - 8), min(grid.nrows, rows[-1] + 9))
                                       if _is_short_county(grid.text(r, c).strip()) and _row_has_values(grid, r, c)})
        if len(rows) > len(best_rows):
            best_c, best_rows = c, rows
    if best_c is None or len(best_rows) < min_counties:
        return None
    first = best_rows[0]
    # the header row: the nearest row above the first county with at least two texts that are not numbers
    # (the topmost of the rows just above the counties that hold several words: a 方向 or
    # 单位 row may sit between the header and the counties; a title or a blank row ends it)
    header = None
    for r in range(first - 1, -1, -1):
        texts = [grid.text(r, c).strip() for c in range(grid.ncols)]
        if len({t for t in texts if t}) <= 1:
            break
        words = [t for c, t in enumerate(texts) if c != best_c and t and (parse_value(t).status == TEXT
                                                                         or _NUMBERED_HEADING.match(t))]
        if len(words) >= 2 and len(set(words)) >= 2:
            header = r
    if header is None:
        return None
    # the county rows must carry numbers beside the names
    numeric = sum(1 for r in best_rows if _row_has_values(grid, r, best_c))
    if numeric < min_counties:
        return None
    ncols = grid.ncols
    end = best_rows[-1] + 1  # rows below the last county (注, 数据来源, sign-off) are not indicators' cells
    while end < grid.nrows and _AGGREGATE_HEADER.search(compact(grid.text(end, best_c))) and _row_has_values(grid, end, best_c):
        end += 1  # but a 全市 / 合计 row right below them is read, to be named as left out (no unit)
    header, carried = _below_categories(grid, header, first, best_c)
    ranks, sub, named = _value_rank_pairs(grid, header, first, best_c)
    named = {**carried, **named}
    cells = [["" for _ in range(end)] for _ in range(ncols)]
    for r in range(header, end):
        if r == sub:
            continue
        row = grid.cells[r]
        for c in range(len(row)):
            if c not in ranks:
                cells[c][r] = row[c]
    for c, heading in named.items():
        cells[c][header] = heading
    corner = grid.text(header, best_c).strip()
    if not corner or find_table_role(corner) != "name":
        cells[best_c][header] = "指标名称"
    merges = [(c1, r1, c2, r2) for r1, c1, r2, c2 in grid.merges if r1 >= header and r2 < end
              and not (named and r1 <= header <= r2 and c1 < c2)]
    tg = Grid(grid.file, grid.sheet, cells, merges, grid.path)
    tg.transposed = True  # type: ignore[attr-defined]
    # the title above the table (「云州市六县（市）…」) as the file has it: turned, it would be no row of tg
    tg.title_lines = list(dict.fromkeys(t.strip() for r in range(header) for t in grid.row_texts(r)  # type: ignore[attr-defined]
                                        if t and t.strip()))
    return tg


_BRACKETED = re.compile(r"[（(][^（()）]*[)）]")
_NUMBERED_HEADING = re.compile(r"^[0-9]{1,3}\s*[、.．]\s*\D*[\u4e00-\u9fff]{2}")  # 1.地区生产总值增速（%）: a heading, not 1


# A short heading under an indicator's that only splits its figure (数值 | 位次, 总量 | 增速, 本年累计,
# 上年同期) or says its unit or direction: no indicator's name.
_SUB_HEADING = re.compile(r"数值|位次|排名|名次|排序|位$|完成|值$|增速|增幅|增长|累计|本期|本年|上年|同期|同比|环比|增减"
                          r"|绝对|总量|数据|目标|单位|计量|方向|占比|比重")


def _names_indicator(text: str) -> bool:
    """Could a header cell be an indicator's name (地区生产总值增速（%）), not a sub-heading of one
    (数值, 位次, 增速（%）), a unit of measure (%, 亿元) or a direction (正向)?"""
    t = _BRACKETED.sub("", compact(text))
    if len(re.findall(r"[\u4e00-\u9fffA-Za-z]", t)) < 3 or direction_of(t) is not None:
        return False
    return not (len(t) <= 5 and _SUB_HEADING.search(t))


def _below_categories(grid: Grid, header: int, first: int, name_col: int) -> tuple[int, dict[int, str]]:
    """Units as rows under a header of two levels, a category (经济发展, 2024年1-7月) merged across
    the columns of its indicators over the row of their names: the header is the row of names
    (each column is read by its lowest level that names an indicator; the category row was taken
    for the names, and every column of the month was lost). Returns the header row and the
    heading a column takes from the row above when it has none of its own (一票否决 written once,
    not merged down). The header as found when its row is no such category row (names over
    数值 | 位次, over a 单位 or 方向 row)."""
    carried: dict[int, str] = {}
    while header + 1 < first:
        below = header + 1
        spans = [m for c in range(grid.ncols) if c != name_col and (m := grid.merge_of(header, c)) is not None
                 and m[0] == m[2] == header and m[1] < m[3] and not m[1] <= name_col <= m[3] and m[1] == c]
        if not spans:
            break
        # every category names indicators below it (a name merged across as wide as its
        # category, the one indicator of its kind, is still a name)
        if not all(any(_names_indicator(t) and compact(t) != compact(grid.text(header, c))
                       for c in range(m[1], m[3] + 1) if (t := grid.text(below, c).strip())) for m in spans):
            break
        # names differ from column to column; 数值 | 位次, a unit or 正向 repeat under every heading
        words = [compact(grid.text(below, c)) for c in range(grid.ncols)
                 if c != name_col and grid.is_merge_origin(below, c) and grid.text(below, c).strip()]
        if len(set(words)) < len(words):
            break
        carried = {c: t for c in range(grid.ncols) if c != name_col and not grid.text(below, c).strip()
                   and (t := grid.text(header, c).strip() if grid.merge_of(header, c) is None else "")}
        header = below
    return header, carried


def _value_rank_pairs(grid: Grid, header: int, first: int, name_col: int) -> tuple[set[int], int | None, dict[int, str]]:
    """Each indicator a heading merged over 数值 | 位次 (units as rows): the rank columns (the
    sheet's own ranks: recomputed, never read as figures), the row of those sub-headings, and
    the heading each value column takes (总量 | 增速 under 地区生产总值: 地区生产总值 and
    地区生产总值增速). A heading over 位次 alone keeps it (the place is the figure); 完成值（位次）
    is a value with its rank, read as one. Nothing when the row above the units is not such a row."""
    sub = first - 1
    # (a 全省 / 合计 row above the units sits between them and the 数值 | 位次 row)
    while sub > header and (not any(grid.text(sub, c).strip() for c in range(grid.ncols) if c != name_col)
                            or _AGGREGATE_HEADER.search(compact(grid.text(sub, name_col)))):
        sub -= 1
    if sub <= header:
        return set(), None, {}
    # (a heading merged down over both rows, 18.生产安全事故（起）, is a value column of its own)
    words = {c: t for c in range(grid.ncols) if c != name_col and (t := compact(grid.text(sub, c)))
             and not ((m := grid.merge_of(sub, c)) is not None and m[0] <= header < sub)}
    # 增速位次 is a rank; 完成值（位次） a value written with its rank
    ranks = {c for c, t in words.items() if _RANK_WORD.search(_BRACKETED.sub("", t))}
    if len(words) < 2 or not ranks or not all(c in ranks or _VALUE_WORD.search(t) for c, t in words.items()):
        return set(), None, {}
    spans: dict[tuple, list[int]] = {}  # each heading (its merge, or its own cell) -> its sub-columns
    for c in words:
        m = grid.merge_of(header, c)
        spans.setdefault((m[0], m[1]) if m is not None else (header, c), []).append(c)
    named: dict[int, str] = {}
    for (hr, hc), cols in spans.items():
        heading = grid.text(hr, hc).strip()
        if not heading:
            return set(), None, {}
        values = [c for c in cols if c not in ranks]
        if not values:  # 营商环境评价 over 位次 alone: the place is the figure
            values = cols
            ranks -= set(cols)
        for c in values:
            grows = len(values) > 1 and _GROWTH_WORD.search(words[c]) and not _GROWTH_WORD.search(compact(heading))
            named[c] = heading + words[c] if grows else heading
    return ranks, sub, named


def _row_has_values(grid: Grid, r: int, name_col: int) -> bool:
    vals = [parse_value(grid.value(r, c)) for c in range(grid.ncols) if c != name_col and grid.text(r, c).strip()]
    return bool(vals) and sum(1 for v in vals if v.status in (OK, MISSING)) >= 0.7 * len(vals)


def find_table_role(text: str) -> str | None:
    return role_of(text, PEER_ROLES)


def _own_numbering(table: Table, matcher: IndicatorMatcher, no_col: int, name_col: int | None) -> bool:
    """The city's sheet numbers its rows its own way (1..k in its order): most rows whose
    name clearly is one indicator carry another indicator's 序号. Then the number means nothing."""
    if name_col is None:
        return False
    grid = table.grid
    numbered = disagree = 0
    for r in table.body_rows:
        if is_section_row(table, r, matcher):
            continue
        no, name = parse_no(grid.text(r, no_col).strip()), grid.text(r, name_col).strip()
        if no is None or not name:
            continue
        numbered += 1
        ind = matcher.by_name(name)[0]
        if ind is not None and ind.no != no:
            disagree += 1
    return disagree >= 2 and disagree >= 0.4 * numbered


def peers_from_grids(path: Path, grids: list[Grid], system: IndicatorSystem | None = None, *,
                     peers: list[str] | None = None, display_name: str | None = None,
                     all_units: bool = False) -> PeerTable:
    """The peer table of the workbook's grids: its sheets together when each holds other
    indicators (a bureau's workbook split by category), else the sheet with the most county
    columns and rows; InputError when there is none. (workbook.read_peers reads the file.)"""
    found = [t for t in (find_peer_table(g) for g in grids) if t is not None]
    name = display_name or path.name
    if not found:
        raise InputError(Problem(name, grids[0].sheet if len(grids) == 1 else None, None, ERROR,
                                 f"没有找到{peer_data_word(all_units)}表：表头应含「序号」「指标名称」「方向」及各县市名称列（如 叶县、宝丰县）"))
    flags = sheet_cell_flags(path) if path.exists() else {}
    return sheets_together([peers_from_table(t, system, peers=peers, flags=flags.get(t.grid.sheet), file_name=name,
                                             all_units=all_units) for t in found])


def sheets_together(tables: list[PeerTable]) -> PeerTable:
    """One workbook's peer sheets as one table when they hold different indicators; else the
    fullest sheet (the others are copies or drafts of it)."""
    if len(tables) > 1:
        merged = merged_peers(tables)
        if merged is not None:
            return merged
    return max(tables, key=lambda t: (len(t.counties), len(t.rows)))


def _row_ids(t: PeerTable) -> set:
    return {r.key if r.key is not None else name_key(r.name) for r in t.rows}


def merged_peers(tables: list[PeerTable]) -> PeerTable | None:
    """Peer tables that hold different indicators of the same units and period (a workbook's
    sheets by category, or one file per category) as one table, each row keeping the file and
    sheet it is in; None when two hold the same indicator (then they are alternatives) or they
    are of different periods or units."""
    seen: set = set()
    for t in tables:
        ids = _row_ids(t)
        if not ids or ids & seen:
            return None
        seen |= ids
    if len({t.period for t in tables}) > 1:
        return None
    base = tables[0]
    keys = {county_key(c) for c in base.counties}
    for t in tables[1:]:  # most units in common: one table split, not two groups
        if len(keys & {county_key(c) for c in t.counties}) < 0.5 * max(len(keys), len(t.counties)):
            return None
    counties = list(base.counties)
    for t in tables[1:]:
        counties += [c for c in t.counties if c not in counties]
    out = PeerTable(file=base.file, sheet="、".join(dict.fromkeys(t.sheet for t in tables)), counties=counties,
                    title=base.title, period=base.period, path=base.path, units_as_rows=base.units_as_rows)
    for t in tables:
        for r in t.rows:
            r.file, r.sheet = r.file or t.file, r.sheet or t.sheet
        out.rows += t.rows
        out.problems += t.problems
        out.notes += [n for n in t.notes if n not in out.notes]
        out.left_out += [c for c in t.left_out if c not in out.left_out]
    return out


def _named_as_the_system(columns: dict[str, int], system: IndicatorSystem, notes: list[str], file: str,
                         word: str) -> dict[str, int]:
    """The view from above: a column headed 澜江 or 白岩县 is the system's 澜江县 or 白岩苗族自治县
    (the same name without its ending), 翠屏高新区 its 翠屏高新技术产业开发区 (text.abbreviates), so
    a unit keeps one name, its targets and points, in every month and report. Only where exactly
    one of the system's units has that name."""
    named = system.all_units
    if not named:
        return columns
    by_key: dict[str, list[str]] = {}
    for u in named:
        by_key.setdefault(county_key(u), []).append(u)
    out: dict[str, int] = {}
    renamed = []
    for h, c in columns.items():
        hits = by_key.get(county_key(h), []) if h not in named else []
        if not hits and h not in named:  # 翠屏高新区, the bureau's short name of 翠屏高新技术产业开发区
            hits = [u for u in named if abbreviates(h, u)]
        if len(hits) == 1 and hits[0] not in columns and hits[0] not in out:
            out[hits[0]] = c
            renamed.append(f"「{h}」即「{hits[0]}」")
        else:
            out[h] = c
    if renamed:
        notes.append(f"{word}（{file}）中{'、'.join(renamed)}（指标体系中的单位名称），按指标体系的名称计")
    return out


def _blocks(table: Table, columns: dict[str, int]) -> list[tuple[int, dict[str, int]]]:
    """Where the header is repeated with the units in other columns (three tables stacked on a
    sheet, the 全省 column moved from the left to the right): (first row, unit -> column) of
    each block after the first. A repeated header that names too few of the units is a repeat
    of the first (its units where they were)."""
    grid = table.grid
    header_of = {c: compact(table.headers.get(c, "").split("/")[-1]) for c in columns.values()}
    out = []
    rows = sorted(table.repeated_header_rows)
    for k, r in enumerate(rows):
        if k and rows[k - 1] == r - 1:
            continue  # (the second row of a repeated two-row header: read with the first)
        at: dict[str, int] = {}
        for rr in range(r, min(grid.nrows, r + max(1, len(table.header_rows)))):
            for c in range(len(grid.cells[rr])):
                t = compact(grid.text(rr, c))
                if t:
                    at.setdefault(t, c)
        moved = {u: at.get(header_of[c]) for u, c in columns.items()}
        found = {u: c for u, c in moved.items() if c is not None}
        if len(found) >= max(2, len(columns) // 2) and found != {u: columns[u] for u in found}:
            out.append((r, found))
        elif out:
            out.append((r, dict(columns)))
    return out


def _columns_at(blocks: list[tuple[int, dict[str, int]]], r: int, columns: dict[str, int]) -> dict[str, int]:
    """Row r's unit columns: those of the block it is in (_blocks), else the table's."""
    for start, m in reversed(blocks):
        if start < r:
            return m
    return columns


def peers_from_table(table: Table, system: IndicatorSystem | None = None, *, peers: list[str] | None = None,
                     flags: CellFlags | None = None, file_name: str | None = None, all_units: bool = False) -> PeerTable:
    """`all_units`: read for the view from above (any number of units is expected)."""
    grid = table.grid
    file = file_name or grid.file
    flags = flags or CellFlags({}, set())
    problems: list[Problem] = []

    flipped = bool(getattr(grid, "transposed", False))

    def ref(r, c):  # the cell as the file has it (a transposed grid swaps back)
        return cell_ref(c, r) if flipped else cell_ref(r, c)

    def fkey(r, c):
        return (c, r) if flipped else (r, c)

    def prob(r, c, msg, level=ERROR):
        problems.append(Problem(file, grid.sheet, ref(r, c) if r is not None and c is not None else None, level, msg))

    for r, c, msg in table.hidden_notes:  # hidden rows and columns left unread
        prob(r if r is not None else 0, c if c is not None else 0, msg, WARNING)

    # county columns, named as configured when a peer list is given
    columns: dict[str, int] = {}
    notes: list[str] = []
    if peers:
        by_key = {county_key(h): (h, c) for h, c in table.unit_columns.items()}
        peer_keys = {county_key(p) for p in peers}
        for c, header in table.headers.items():  # '汝州' written without 市
            leaf = compact(header.split("/")[-1])
            if county_key(leaf) in peer_keys and county_key(leaf) not in by_key:
                by_key[county_key(leaf)] = (leaf, c)
        for p in peers:
            hit = by_key.get(county_key(p))
            if hit is None:
                prob(table.header_rows[-1], None, f"六县市数据中没有「{p}」列；应有各县市一列：{'、'.join(peers)}", WARNING)
                continue
            columns[p] = hit[1]
        extra = [h for h in table.unit_columns if county_key(h) not in {county_key(p) for p in peers}]
        if extra:
            problems.append(Problem(file, grid.sheet, None, WARNING,
                                    f"六县市数据含未配置的县市列：{'、'.join(extra)}，未采用（配置的县市：{'、'.join(peers)}）"))
    else:
        columns = dict(table.unit_columns)
        city = _superior_city_columns(table, columns)
        for h in city:
            del columns[h]
        if city:
            notes.append(f"{peer_data_word(all_units)}（{file}）{ref(table.header_rows[-1], table.unit_columns[city[0]])} 单元格的"
                         f"「{'、'.join(city)}」{'行' if flipped else '列'}看作上级市（全市）的数据，不参与县市排名；"
                         "如需参与，请在 kaohe.toml 的 peers 中列出参与比较的县市")
        elif not all_units and len(columns) > 6 and len({compact(h)[-1:] for h in columns} & {"区"}) and any(
                compact(h)[-1:] in ("县", "市") for h in columns):
            problems.append(Problem(file, grid.sheet, None, WARNING,
                                    f"六县市数据有 {len(columns)} 个县市列（{'、'.join(columns)}），多于六个；全部参与排名。"
                                    "如其中有全市或上级市的合计，请在 kaohe.toml 的 peers 中列出参与比较的县市"))
    if system is not None and not peers:  # (a county that assesses itself on the city's table too)
        columns = _named_as_the_system(columns, system, notes, file, peer_data_word(all_units))
    pt = PeerTable(file=file, sheet=grid.sheet, counties=list(columns), problems=problems, notes=notes,
                   title=_title_text(table), left_out=_aggregate_columns(table, columns), units_as_rows=flipped)
    own_col = table.unit_columns.get(table.own_unit or "")
    pt.own_unit = next((u for u, c in columns.items() if c == own_col), None) if own_col is not None else None
    no_col, name_col, dir_col, unit_col = table.col("no"), table.col("name"), table.col("direction"), table.col("unit")
    seen: dict = {}  # indicator key -> (its row index, the PeerRow, named exactly)
    matcher = matcher_for(system) if system is not None else None
    own_numbers = matcher is not None and no_col is not None and _own_numbering(table, matcher, no_col, name_col)
    if own_numbers:
        prob(table.header_rows[-1], no_col, f"{peer_data_word(all_units)}的序号与指标体系序号不一致（像是市里自编的序号），已按指标名称对应",
             WARNING)
    blocks = [] if flipped else _blocks(table, columns)
    for r in table.body_rows:
        if is_section_row(table, r, matcher):
            continue
        single = row_single_text(table, r)
        if single is not None and (matcher is None or matcher.by_name(single)[0] is None):
            continue  # one text across the row and no indicator: a block's caption (演示数据 省统计局 2025年4月)
        vals_present = any(grid.text(r, c).strip() for c in columns.values())
        name_raw = grid.text(r, name_col).strip() if name_col is not None else ""
        no_raw = grid.text(r, no_col).strip() if no_col is not None else ""
        if not name_raw and not no_raw:
            continue
        no = parse_no(no_raw)
        direction = None
        if dir_col is not None:
            dtext = grid.text(r, dir_col).strip()
            direction = direction_of(dtext)
            if dtext and direction is None:
                prob(r, dir_col, f"方向「{dtext}」无法识别，应为「正向」或「逆向」", WARNING)
        row = PeerRow(no=no, name=normalize_name(name_raw), direction=direction, values={}, row=r + 1,
                      unit=grid.text(r, unit_col).strip() if unit_col is not None else "")
        m = None  # the system's indicator the row is (its name, with the row's, says whether it is a rate)
        if matcher is not None:
            m = matcher.match(None if own_numbers else no, name_raw, no_raw, exact_name_wins=True)
            lead = leading_no(name_raw)[0] if no_col is None else None
            if m.indicator is None and lead is not None:  # 6.R&D经费投入强度（%）: the name first, its number
                m = matcher.match(lead, name_raw, str(lead), exact_name_wins=True)  # only where the name says nothing
        row_cols = dict(_columns_at(blocks, r, columns))
        growth_cols = getattr(table, "growth_columns", None) or {}
        if growth_cols and is_growth(name_raw, m.indicator.name if m is not None and m.indicator is not None else "") \
                and any(parse_value(grid.value(r, g)).status == OK for g in growth_cols.values()):
            row_cols.update({k: g for k, g in growth_cols.items() if k in row_cols})  # ranked on its 增速
            row.unit = "%"  # (the 计量单位 beside it, 亿元, is the amount's)
        words: list[tuple[int, str, str]] = []
        for county, c in row_cols.items():
            v = as_rate_of(name_raw, parse_value(grid.value(r, c), percent_format=fkey(r, c) in flags.percent,
                                                 error=flags.errors.get(fkey(r, c))))
            row.raw[county] = v.raw
            row.cells[county] = ref(r, c)
            row.values[county] = v.value if v.status == OK else None
            if v.status == V_ERROR:
                prob(r, c, f"{county}的数值{v.message()}")
            elif v.status == TEXT:
                words.append((c, county, v.raw))  # (said once the row's indicator is known)
            elif v.said:
                prob(r, c, f"{county}的数值{v.message()}", WARNING)
        kind = m.indicator.kind if m is not None and m.indicator is not None else None
        for c, county, raw in words:  # 未发生 / 发生1起 / 已完成 on an event's row: its count, read when assessed
            if kind not in EVENT_KINDS or events_from_text(raw, kind) is None:
                prob(r, c, f"{county}的数值「{raw}」不是数字，应填写数值；尚无数据请填「—」")
        if m is not None:
            if m.level:
                prob(r, name_col, m.message, m.level if vals_present else WARNING)
            if m.indicator is not None:
                row.key = m.indicator.key
                exact = name_key(name_raw) == name_key(m.indicator.name)
                before = seen.get(m.indicator.key)
                if before is not None and exact and not before[2]:  # 地区生产总值 | 地区生产总值增速: the one named so
                    pt.rows.remove(before[1])
                    prob(before[0], name_col, f"第 {m.indicator.no} 项「{m.indicator.name}」采用名称与它完全相同的 "
                         f"{ref(r, name_col)} 处的数据，此处的数据未采用", WARNING)
                elif before is not None:
                    where = f"{ref(before[0], name_col)} 单元格" if flipped else f"第 {before[0] + 1} 行"
                    prob(r, name_col, f"第 {m.indicator.no} 项在{where}已有数据，本行重复，未采用", WARNING)
                    continue
                seen[m.indicator.key] = (r, row, exact)
            elif m.how in ("none", "conflict"):
                continue
        pt.rows.append(row)
    if not pt.rows:
        prob(table.header_rows[-1], 0, f"找到了{peer_data_word(all_units)}表头，但表头下没有任何指标行")
    return pt


__all__ = ["PEER_ROLES", "peers_from_grids", "peers_from_table", "find_peer_table", "direction_of"]
