"""Find the table inside an official sheet, and name its columns by their roles
(tables layer: above grid, below columns/matching and the readers).

Official sheets carry `附件N` labels, merged titles, blank spacer rows, `注：`
footnotes, sign-off lines, headers with line breaks and synonyms, two-row headers,
headers repeated mid-table and section rows merged across. This module finds the
header block, names each column by its role, and lists the body rows; what a row
*means* is left to the reader of each document (system, submission, peers), which
passes its own role patterns.
"""

from __future__ import annotations

import copy
import re
import weakref
from dataclasses import dataclass, field

from kaohe_excel.problems import col_letter
from kaohe_excel.read.grid import Grid
from kaohe_excel.text import compact, is_section_heading, kept_per_text, number_runs

# (role, pattern on the header text with white space removed), tried in order;
# the first match names the column. Readers pass their own lists.
RoleSpec = list[tuple[str, str]]


class RoleList(list):
    """A RoleSpec that also says which roles make a table the one wanted.

    `best_table` ranks tables that have more of the `prefer` roles first (an
    indicator system is the table with a points column, not the progress sheet
    beside it that has more rows); plain lists rank as before.
    """

    def __init__(self, roles, prefer: tuple[str, ...] = (), keep_filtered_rows: bool = False):
        super().__init__(roles)
        self.prefer = tuple(prefer)
        # rows an AutoFilter hides are still read (an indicator system filtered
        # down to one department is still the whole system)
        self.keep_filtered_rows = keep_filtered_rows

# A column whose header is a place (雁江区, 安岳县, 高新区, 叶县…) belongs to one
# assessed unit or peer county, not to a role.
PLACE_RE = re.compile(r"^(?!所在|所属|各|全(?:市|省|区|县|国|盟|州)$|本(?:县|区|市|级)|我(?:县|区|市)|该(?:县|区|市)|涉及|其他)(?!.*(县市区|县区|市县|县市|乡镇))"
                      r"[\u4e00-\u9fa5]{1,12}(区|县|市|旗|镇|乡|街道|园区|经济区|开发区|新区|管委会|示范区"
                      r"|(?<=[区园岛港城])管理委员会)$")  # 栖霞湖新区管理委员会 (not 城市管理委员会, a department)
_NOT_PLACES = {"地区", "辖区", "园区", "社区", "城区", "片区", "景区", "市区", "县区", "街道", "乡镇"}
# The heading of the column (or over the columns) that names the units: 区县, 县区, 县（市、区）,
# 区县名称, 单位名称, 地区… (brackets, 、 and / left out). Words made of 县/市/区 read like a place
# (区县 ends in 县) or a short county name, and a table whose heading was taken for a county was not read.
UNIT_HEADING_RE = re.compile(r"^(?:[县市区旗乡镇]{1,4}|街道|乡镇街道?)(?:名称|名)?$"
                             r"|^(?:参评|参加考核|被考核|考核|所属|各)?(?:单位|地区|区域|地方|行政区划?)(?:名称|名)?$")
_HEADING_MARKS = re.compile(r"[（()）、/／\\·,，]")


@kept_per_text
def is_unit_heading(text: str) -> bool:
    """Is the text the heading of the unit-name column (区县, 县（市、区）名称, 单位名称), not a unit?"""
    return bool(UNIT_HEADING_RE.match(_HEADING_MARKS.sub("", compact(text))))


@kept_per_text  # every cell of a sheet's first columns is asked, in every file of a month
def is_place(text: str) -> bool:
    t = compact(text)
    return bool(PLACE_RE.match(t)) and t not in _NOT_PLACES and not is_unit_heading(t)


# Rows that end the table body or sit outside it.
# A line a page break leaves inside a table pasted from print or Word: `续表`, `续表1`,
# `（续上表）`, a page number `—2—` / `- 3 -` / `第2页`.
PAGE_BREAK_RE = re.compile(r"^[（(]?(续表|续上表|接上表|上接)[0-9一二三四五六七八九十]*[）)]?[:：]?$"
                           r"|^[-—–－_]+[0-9]{1,3}[-—–－_]+$|^第[0-9]{1,3}页(共[0-9]{1,3}页)?$")
NOTE_RE = re.compile(r"^\s*(注|备注|说明|填表说明|填报说明|附注)\s*[:：0-9１-９、.．]")
SIGNOFF_RE = re.compile(r"(填报单位|填表单位|主要负责人|分管负责人|单位负责人|填报人|填表人|联系电话|填报日期|填表日期|审核人?[:：]|签发人?[:：]|制表人?[:：])")


@dataclass
class Table:
    grid: Grid
    header_rows: list[int]
    columns: dict[str, list[int]]  # role -> column indexes, left to right
    unit_columns: dict[str, int]  # unit/county name -> column index
    headers: dict[int, str]  # column -> header text as written (levels joined by '/')
    body_rows: list[int] = field(default_factory=list)
    note_rows: list[int] = field(default_factory=list)
    repeated_header_rows: list[int] = field(default_factory=list)
    # where the printed table broke across pages: repeated headers, `续表` lines, page numbers
    page_break_rows: list[int] = field(default_factory=list)
    score: int = 0
    unit_group: str | None = None  # the header over the unit columns (e.g. 2023年目标任务)
    own_unit: str | None = None  # a peer table's unit marked as ours (石桥县（本县）; peers._add_own_unit)
    # warnings on hidden rows and columns left unread: (row, col, Chinese message),
    # added to its problems by the reader that reads the table
    hidden_notes: list[tuple[int | None, int | None, str]] = field(default_factory=list)

    def col(self, role: str) -> int | None:
        cols = self.columns.get(role)
        return cols[0] if cols else None

    def text(self, r: int, role: str) -> str:
        c = self.col(role)
        return self.grid.text(r, c) if c is not None else ""

    def value(self, r: int, role: str):
        c = self.col(role)
        return self.grid.value(r, c) if c is not None else ""

    def has(self, role: str) -> bool:
        return bool(self.columns.get(role))

    @property
    def data_cols(self) -> list[int]:
        cols = sorted({c for cs in self.columns.values() for c in cs} | set(self.unit_columns.values()))
        return cols


# A trailing note on a header that says only the unit of measure: 指标名称（单位）, 分值（%）.
_UNIT_NOTE = re.compile(r"[（(](?:计量)?(?:单位)?[:：]?[%％‰分元万亿个项人次家亩吨天年月日率]*[)）]$")


# A header saying the points are written inside its cells: 一级指标（分值）, 考核内容及分值.
_POINTS_NOTE = re.compile(r"[（(](?:分值|权重|分数|赋分)[)）]$|及(?:其)?(?:分值|权重)$")


# A trailing gloss in brackets that restates what the column holds: 二级指标（考核内容）, 一级指标（领域）,
# 考核内容（二级指标）. The heading keeps its role only when the gloss itself names a role of the same
# list or is a plain word for a column's content; any other bracket (单位（县市区）) says something else.
_GLOSS = re.compile(r"[（(]([^（()）]{2,12})[)）]$")
_GLOSS_WORDS = re.compile(r"^(具体|主要)?(名称|内容|事项|说明|类别|类型)$")


_WS = re.compile(r"\s+")
# A header names a role in at most 40 characters once compacted. NFKC composes at
# most 4 code points into one (the longest canonical decomposition; no character
# outside \s normalizes to white space only), so a text with more than 160 other
# characters cannot come down to 40: it is no header, and its NFKC (about 150 µs
# for a 1,000-character problem text) is never computed.
_ROLE_TEXT_MAX = 40
_ROLE_RAW_MAX = 4 * _ROLE_TEXT_MAX
# Role lookups per role list, by cell text: body rows repeat the same few texts,
# and every row of every sheet is asked (for repeated headers) several times.
_ROLE_MEMO: dict[int, tuple[RoleSpec, list, dict[str, str | None]]] = {}
_ROLE_MEMO_MAX = 50_000


def _role_entry(roles: RoleSpec) -> tuple:
    entry = _ROLE_MEMO.get(id(roles))
    if entry is None or entry[0] is not roles:
        if len(_ROLE_MEMO) >= 64:  # callers pass the readers' constant lists; others come and go
            _ROLE_MEMO.clear()
        # the list itself is kept, so its id cannot be reused while it is cached
        entry = (roles, [(role, re.compile(pat)) for role, pat in roles], {}, _any_of(roles))
        _ROLE_MEMO[id(roles)] = entry
    return entry


def _any_of(roles: RoleSpec) -> re.Pattern | None:
    """One pattern that finds a text any role's pattern finds (their alternation): most cells a
    table search asks about (figures, long texts) name no role, and are told so in one search
    instead of one a role. None when the patterns cannot be joined as they are."""
    pats = [pat for _role, pat in roles]
    if any(re.search(r"\\[1-9]|\(\?[aiLmsux]+\)", pat) for pat in pats):
        return None  # numbered back references and global flags would not mean the same in the join
    try:
        return re.compile("|".join(f"(?:{pat})" for pat in pats))
    except re.error:
        return None


def role_of(text: str, roles: RoleSpec) -> str | None:
    entry = _role_entry(roles)
    memo = entry[2]
    got = memo.get(text, memo)
    if got is not memo:
        return got  # type: ignore[return-value]
    return _role_new(text, entry)


def _role_new(text: str, entry: tuple) -> str | None:
    memo = entry[2]
    role = _role_lookup(text, entry[1], entry[3])
    if len(memo) >= _ROLE_MEMO_MAX:
        memo.clear()
    memo[text] = role
    return role


def _within(text: str, raw_max: int) -> bool:
    """Could `text` compact to at most raw_max / 4 characters?"""
    return len(text) <= raw_max or len(_WS.sub("", text)) <= raw_max


def _role_lookup(text: str, compiled: list, any_role: re.Pattern | None = None) -> str | None:
    if not _within(text, _ROLE_RAW_MAX):
        return None
    t = compact(text)
    if not t or len(t) > _ROLE_TEXT_MAX:
        return None
    cands = [t] + [rx.sub("", t) for rx in (_UNIT_NOTE, _POINTS_NOTE) if rx.search(t)]
    gloss = _GLOSS.search(t)
    if gloss is not None and gloss.start() >= 2 and (_GLOSS_WORDS.match(gloss.group(1))
                                                     or any(rx.search(gloss.group(1)) for _role, rx in compiled)):
        cands.append(t[:gloss.start()])
    for cand in cands:
        if any_role is not None and not any_role.search(cand):
            continue
        for role, rx in compiled:
            if rx.search(cand):
                return role
    return None


def _row_roles_kept(grid: Grid, r: int, roles: RoleSpec) -> dict[int, str]:
    """Column -> role named in row r, kept on the grid per role list (the header search, the
    body's repeated-header test and the sub-header test all ask of the same rows): the kept
    dict itself, never to be changed by the caller."""
    memo = grid.__dict__.setdefault("_row_roles", {})
    per = memo.get(id(roles))
    if per is None or per[0] is not roles:  # the list is kept with its answers: its id stays its own
        per = memo[id(roles)] = (roles, {})
    found = per[1].get(r)
    if found is None:
        found = per[1][r] = _scan_row_roles(grid, r, roles)
    return found


def _scan_row_roles(grid: Grid, r: int, roles: RoleSpec) -> dict[int, str]:
    found: dict[int, str] = {}
    seen_merge: set = set()
    entry = _role_entry(roles)
    memo = entry[2]
    merged = grid._merge_at  # (role_of and merge_of inlined: every row of every sheet comes here)
    for c, v in enumerate(grid.cells[r] if r < grid.nrows else []):
        if v is None or v == "":
            continue  # names no role, and starts no merge that names one
        rng = merged.get((r, c)) if merged else None
        if rng is not None and rng[1] != c and rng in seen_merge:
            continue  # a header merged across columns names one column
        text = v if type(v) is str else str(v)
        if rng is not None and text.strip():
            seen_merge.add(rng)  # (a hidden column blanks the merge's first cell)
        role = memo.get(text, memo)
        if role is memo:
            role = _role_new(text, entry)
        if role:
            found[c] = role
    return found


def _score(found: dict[int, str]) -> int:
    return len(set(found.values()))


def _row_score(grid: Grid, r: int, roles: RoleSpec) -> int:
    """_score of row r's roles (asked of every body row: the repeated-header test)."""
    return _score(_row_roles_kept(grid, r, roles))


def _is_blank(grid: Grid, r: int) -> bool:
    return not any(t.strip() for t in grid.row_texts(r)) if 0 <= r < grid.nrows else True


def _looks_like_subheader(grid: Grid, top: int, r: int, no_col: int | None, roles: RoleSpec) -> bool:
    """Is row r the second level of a header that starts at `top`?"""
    if r >= grid.nrows or _is_blank(grid, r):
        return False
    texts = [grid.text(r, c) for c in range(len(grid.cells[r]))]
    nonempty = [t for t in texts if t.strip()]
    if not nonempty:
        return False
    if no_col is not None:
        no_txt = grid.text(r, no_col).strip()
        rng = grid.merge_of(r, no_col)
        merged_from_top = rng is not None and rng[0] <= top < r <= rng[2]
        if no_txt and not merged_from_top and re.fullmatch(r"[0-9]+(\.0)?", no_txt):
            return False
    vertical = any((rng := grid.merge_of(r, c)) is not None and rng[0] < r and rng[0] >= top
                   for c in range(len(grid.cells[r])))
    horizontal_over = any((rng := grid.merge_of(top, c)) is not None and rng[1] < rng[3]
                          and rng[0] == rng[2] and grid.text(r, c).strip() and grid.text(r, c) != grid.text(top, c)
                          for c in range(len(grid.cells[top])))
    if horizontal_over:
        # a second header level only has text under the spanning header cells; a
        # data row also fills columns whose header stands alone (`项 目` over
        # category and name, then 分值 3 beside them)
        for c, t in enumerate(texts):
            if not t.strip():
                continue
            top_rng = grid.merge_of(top, c)
            spans = top_rng is not None and top_rng[0] == top_rng[2] and top_rng[1] < top_rng[3]
            rng = grid.merge_of(r, c)
            continued = rng is not None and rng[0] <= top
            if not spans and not continued:
                horizontal_over = False
                break
    extra_roles = _row_roles_kept(grid, r, roles)
    places = sum(1 for t in nonempty if is_place(t))
    return vertical or horizontal_over or (len(extra_roles) >= 2) or places >= 2


# --- what the clerk sees ------------------------------------------------------------

def visible_grid(grid: Grid, keep_rows: bool = False) -> Grid:
    """The grid as the clerk sees it: the cells of hidden rows and columns blanked
    (coordinates stay those of the file), merges cut to their visible part (a name
    merged down from a hidden row starts at the first visible one). The grid
    itself when nothing is hidden; `keep_rows` leaves the rows an AutoFilter hides alone
    (Grid.filtered_rows: a filter is a view), not those hidden by hand."""
    rows = grid.hidden_rows - grid.filtered_rows if keep_rows else grid.hidden_rows
    cols = grid.hidden_cols
    if not rows and not cols or "_source" in grid.__dict__:  # (nothing hidden, or a view already)
        return grid
    key = ("_visible_kept" if keep_rows and grid.filtered_rows else "_visible_rows") if rows else "_visible_cols"
    cached = grid.__dict__.get(key)
    if cached is not None:
        return cached
    cells = [list(row) for row in grid.cells]
    for r in rows:
        if r < len(cells):
            cells[r] = [""] * len(cells[r])
    if cols:
        for row in cells:
            for c in cols:
                if c < len(row):
                    row[c] = ""
    merges = []
    for r1, c1, r2, c2 in grid.merges:
        vr = [r for r in range(r1, r2 + 1) if r not in rows]
        vc = [c for c in range(c1, c2 + 1) if c not in cols]
        if vr and vc:
            merges.append((vr[0], vc[0], vr[-1], vc[-1]))
    view = Grid(grid.file, grid.sheet, cells, merges, grid.path, hidden_rows=rows, hidden_cols=cols,
                filtered=grid.filtered, filter_area=grid.filter_area, state=grid.state)
    view.__dict__["_source"] = weakref.ref(grid)  # (Grid.source)
    grid.__dict__[key] = view
    return view


def _runs(nums: list[int], show) -> str:
    """[11, 12, 13, 14, 19] -> '12–15、20' (shown by `show`), the first eight runs."""
    runs = number_runs(nums)
    text = "、".join(show(a) if a == b else f"{show(a)}–{show(b)}" for a, b in runs[:8])
    return text + ("等" if len(runs) > 8 else "")


def _shows(grid: Grid, r: int, c: int) -> bool:
    """Does the cell show text of its own (not a copy of a merge begun elsewhere)?"""
    v = grid.cells[r][c] if c < len(grid.cells[r]) else None
    if v is None or v == "":
        return False
    return bool(grid.text(r, c).strip()) and grid.is_merge_origin(r, c)


def hidden_notes(grid: Grid, header_rows: list[int] | None, name_col: int | None,
                 keep_rows: bool = False, roles: RoleSpec | None = None) -> list[tuple[int | None, int | None, str]]:
    """One warning for the hidden rows and one for the hidden columns that the
    reader would otherwise have read (never one per cell): rows below the top of
    the header that hold something, columns whose header names a role or a place
    (a hidden column of internal codes says nothing). With `keep_rows`, the rows an AutoFilter
    hides are read and said apart from those hidden by hand, which are not."""
    out: list[tuple[int | None, int | None, str]] = []
    cols = grid.hidden_cols
    kept = grid.filtered_rows if keep_rows else frozenset()
    if grid.hidden_rows:
        first = header_rows[0] + 1 if header_rows else 0  # a hidden line of the title block is not table
        rows = [r for r in sorted(grid.hidden_rows) if first <= r < grid.nrows
                and any(_shows(grid, r, c) for c in range(len(grid.cells[r])) if c not in cols)]
        for part in ([r for r in rows if r in kept], [r for r in rows if r not in kept]):
            if not part:
                continue
            names = []
            if name_col is not None:
                names = [t for t in dict.fromkeys(grid.text(r, name_col).strip() for r in part) if t]
            which = f"（{'」「'.join(names[:3]).join('「」')}{'等' if len(names) > 3 else ''}）" if names else ""
            span = _runs([r + 1 for r in part], str)
            if part[0] in kept:
                out.append((part[0], None, f"工作表设置了筛选，第 {span} 行被筛选隐藏{which}，仍按指标读取"))
            else:
                out.append((part[0], None, f"第 {span} 行为隐藏行{which}，未读取"))
    if cols:
        hidden_rows = grid.hidden_rows - kept
        shown = [c for c in sorted(cols) if any(_shows(grid, r, c) for r in range(grid.nrows)
                                                 if r not in hidden_rows and c < len(grid.cells[r]))]
        heads = {c: [grid.text(r, c).strip() for r in header_rows or [] if grid.text(r, c).strip()] for c in shown}
        if header_rows and roles is not None:
            shown = [c for c in shown if any(role_of(t, roles) or is_place(t) or re.fullmatch(r"20[0-9]{2}年度?", compact(t))
                                             for t in heads[c])]
        if shown:
            parts = []
            for c in shown[:8]:
                head = heads[c][-1] if heads[c] else ""  # the lowest header level names the column
                parts.append(f"{col_letter(c)} 列" + (f"「{' '.join(head.split())}」" if head else ""))
            more = f"等 {len(shown)} 列" if len(shown) > 8 else ""
            row = header_rows[-1] if header_rows else None
            out.append((row, shown[0], f"隐藏的 {'、'.join(parts)}{more}未读取"))
    return out


def find_table(grid: Grid, roles: RoleSpec, required: tuple[str, ...] = ("name",),
               min_roles: int = 2, scan_rows: int = 60) -> Table | None:
    """The best table of the grid for these roles, or None.

    Read as the clerk sees the sheet: hidden rows and columns are left out (a
    hidden column of last month's figures must not win over the visible one) and
    named in `Table.hidden_notes`. When the table is only found with them (its
    header or every row hidden), it is read whole, with a warning, rather than lost.
    """
    # Every reader asks of every sheet (workbook.holds_table, the month's passes, the readers
    # themselves): the answer is kept on the grid and each caller gets its own copy.
    key = (id(roles), required, min_roles, scan_rows, grid.hidden_rows, grid.hidden_cols, grid.filtered, grid.filter_area)
    kept = grid.__dict__.setdefault("_tables", {})
    got = kept.get(key)
    if got is None or got[0] is not roles:
        table = _find_table_as_seen(grid, roles, required, min_roles, scan_rows)
        own = table is not None and table.grid is grid
        if own:  # kept without the grid that keeps it: no cycle, so a read grid goes when let go
            table.grid = None  # (not left for the garbage collector: a province's month is 120 grids)
        got = kept[key] = (roles, table, own)
    if got[1] is None:
        return None
    table = _copy_table(got[1])
    if got[2]:
        table.grid = grid
    return table


def head_roles(grid: Grid, roles: RoleSpec, scan_rows: int = 60) -> set[str]:
    """Every role a cell names in the rows a table's header can lie in (find_table looks for
    the header row in the first `scan_rows` rows and takes up to three more below it). A
    column's role is always among these: a cheap "can this sheet hold such a table at all"."""
    texts: set[str] = set()
    for r in range(min(grid.nrows, scan_rows + 3)):
        facts = row_facts(grid, r)  # the row's texts, kept for the table searches that follow
        if facts is not None:
            texts.update(facts[0])
    return {role for text in {t.strip() for t in texts} if (role := role_of(text, roles))}


def _copy_table(t: Table) -> Table:
    """A copy a caller may change (peers add county columns) without changing the kept one."""
    c = copy.copy(t)
    c.header_rows, c.body_rows, c.note_rows = list(t.header_rows), list(t.body_rows), list(t.note_rows)
    c.repeated_header_rows, c.page_break_rows = list(t.repeated_header_rows), list(t.page_break_rows)
    c.columns = {k: list(v) for k, v in t.columns.items()}
    c.unit_columns, c.headers, c.hidden_notes = dict(t.unit_columns), dict(t.headers), list(t.hidden_notes)
    return c


def _find_table_as_seen(grid: Grid, roles: RoleSpec, required: tuple[str, ...],
                        min_roles: int, scan_rows: int) -> Table | None:
    keep_rows = bool(getattr(roles, "keep_filtered_rows", False) and grid.filtered)
    view = visible_grid(grid, keep_rows)
    if view is grid:
        table = _find_table(grid, roles, required, min_roles, scan_rows)
        if table is not None and keep_rows and grid.hidden_rows:  # filtered rows, read
            table.hidden_notes = hidden_notes(grid, table.header_rows, table.col("name"), keep_rows, roles)
        return table
    table = _find_table(view, roles, required, min_roles, scan_rows)
    if table is not None and table.body_rows:
        table.hidden_notes = hidden_notes(grid, table.header_rows, table.col("name"), keep_rows, roles)
        return table
    whole = _find_table(grid, roles, required, min_roles, scan_rows)
    if whole is None or not whole.body_rows:
        return table or whole
    whole.hidden_notes = [(whole.header_rows[-1], None, "表格的表头或全部指标行在隐藏的行或列中，已连同隐藏内容一起读取；"
                                                        "请在 Excel 中取消隐藏后核对")]
    return whole


def _find_table(grid: Grid, roles: RoleSpec, required: tuple[str, ...],
                min_roles: int, scan_rows: int) -> Table | None:
    best_r, best_found, best_score = None, {}, 0
    for r in range(min(grid.nrows, scan_rows)):
        found = _row_roles_kept(grid, r, roles)
        s = _score(found) if found else 0
        if s > best_score:
            best_r, best_found, best_score = r, dict(found), s
    if best_r is None or best_score < min_roles:
        return None

    # The header block: rows merged into the best row from above, and sub-header rows below.
    top = best_r
    while top > 0 and any((rng := grid.merge_of(top, c)) is not None and rng[0] < top and rng[2] >= best_r
                          for c in best_found):
        top -= 1
    no_col = next((c for c, role in best_found.items() if role == "no"), None)
    bottom = best_r
    while _looks_like_subheader(grid, top, bottom + 1, no_col, roles) and bottom - top < 3:
        bottom += 1
    header_rows = list(range(top, bottom + 1))

    ncols = max(len(grid.cells[r]) for r in header_rows)
    headers: dict[int, str] = {}
    columns: dict[str, list[int]] = {}
    unit_columns: dict[str, int] = {}
    unit_group = None
    for c in range(ncols):
        levels: list[str] = []
        for r in header_rows:
            t = grid.text(r, c).strip()
            if t and (not levels or compact(levels[-1]) != compact(t)):
                levels.append(t)
        if not levels:
            continue
        headers[c] = "/".join(levels)
        leaf = compact(levels[-1])
        role = role_of(levels[-1], roles)
        if is_place(leaf) and (role is None or role == "target" or len(levels) > 1 and role_of(levels[0], roles) in (None, "target")):
            unit_columns.setdefault(leaf, c)
            if len(levels) > 1:
                unit_group = levels[0]
            continue
        if role is None:
            for lvl in reversed(levels[:-1]):
                role = role_of(lvl, roles)
                if role:
                    break
        if role:
            columns.setdefault(role, []).append(c)
    # each required entry may offer alternatives: "name|category"
    if any(not any(alt in columns for alt in req.split("|")) for req in required):
        return None

    table = Table(grid, header_rows, columns, unit_columns, headers, score=best_score, unit_group=unit_group)
    _collect_body(table, roles)
    return table


def _collect_body(table: Table, roles: RoleSpec) -> None:
    grid = table.grid
    header_sig = {compact(grid.text(table.header_rows[-1], c)) for c in table.headers} - {""}
    start = table.header_rows[-1] + 1
    skip_until = -1
    for r in range(start, grid.nrows):
        if r <= skip_until:
            continue
        facts = row_facts(grid, r)
        if facts is None:  # blank
            continue
        texts, page_break, note, signoff, _single = facts
        if page_break and not _has_number_no(table, r):
            table.page_break_rows.append(r)
            continue
        if _row_score(grid, r, roles) >= max(2, table.score - 1) or (
                len(header_sig) >= 3 and _names_header(texts, header_sig, max(3, len(header_sig) - 1))):
            table.repeated_header_rows.append(r)
            table.page_break_rows.append(r)
            # a repeated two-row header repeats its second row too
            nxt = r + 1
            while nxt < grid.nrows and nxt - r < len(table.header_rows) and _looks_like_subheader(
                    grid, r, nxt, table.col("no"), roles):
                table.repeated_header_rows.append(nxt)
                skip_until = nxt
                nxt += 1
            continue
        if note or signoff and not _has_number_no(table, r):
            table.note_rows.append(r)
            continue
        table.body_rows.append(r)


def _names_header(texts: list[str], header_sig: set[str], need: int) -> bool:
    """Do at least `need` different texts of the row, compacted, stand in the header
    (a repeated header row)? Gives up at the first miss too many: a body row's figures."""
    misses = len(texts) - need  # how many texts may miss before `need` cannot be reached
    if misses < 0:
        return False
    hits = set()
    for t in texts:
        c = compact(t)
        if c in header_sig:
            hits.add(c)
        else:
            misses -= 1
            if misses < 0:
                return False
    return len(hits) >= need


def row_facts(grid: Grid, r: int) -> tuple | None:
    """What row r says whatever table is sought in it (None when blank): its texts, whether it
    reads as a page break, a note or a sign-off line, and its one text when it holds one only.
    Kept on the grid: a month file is searched for a system, peer data and a submission in turn."""
    memo = grid.__dict__.get("_row_facts")
    if memo is None:
        memo = grid.__dict__["_row_facts"] = {}
    else:
        got = memo.get(r, memo)
        if got is not memo:
            return got
    texts = [t for t in grid._texts(r) if t.strip()] if 0 <= r < grid.nrows else []
    if not texts:
        memo[r] = None
        return None
    first = texts[0]
    single = {t.strip() for t in texts}
    memo[r] = facts = (texts, len(set(texts)) == 1 and bool(PAGE_BREAK_RE.match(compact(first))),
                       bool(NOTE_RE.match(first)), bool(SIGNOFF_RE.search(" ".join(texts[:3]))),
                       next(iter(single)) if len(single) == 1 else None)
    return facts


def _has_number_no(table: Table, r: int) -> bool:
    c = table.col("no")
    return c is not None and bool(re.fullmatch(r"\s*[0-9]+(\.0)?\s*", table.grid.text(r, c)))


def row_single_text(table: Table, r: int) -> str | None:
    """The text of a row that holds one text only (a section, title or note row)."""
    facts = row_facts(table.grid, r)
    return facts[4] if facts is not None else None


def looks_like_section(table: Table, r: int) -> str | None:
    """'一、项目建设' merged across the table (or alone in its first cells)."""
    text = row_single_text(table, r)
    if text is None:
        return None
    if is_section_heading(text):
        return text
    if NOTE_RE.match(text) or len(text) > 40 or "。" in text:
        return None
    return text


def best_table(grids: list[Grid], roles: RoleSpec, required: tuple[str, ...] = ("name",),
               min_roles: int = 2) -> Table | None:
    """Of several sheets, the one whose table reads best (most roles, then most rows).

    With a `RoleList`, tables holding more of its preferred roles come first (a
    role counts when it names a column or the header over the unit columns).
    """
    prefer = getattr(roles, "prefer", ())
    best, key = None, None
    for g in grids:
        t = find_table(g, roles, required, min_roles)
        if t is None:
            continue
        group_role = role_of(t.unit_group, roles) if t.unit_group else None
        k = (sum(1 for role in prefer if t.has(role) or group_role == role), t.score, len(t.body_rows))
        if key is None or k > key:
            best, key = t, k
    return best
