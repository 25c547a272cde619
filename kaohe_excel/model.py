"""The shared vocabulary: plain dataclasses passed from read to assess to write."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, asdict
from fractions import Fraction
from pathlib import Path
from typing import Any

from kaohe_excel.problems import ERROR, Problem, human_name
from kaohe_excel.text import events_from_text

SCORED = "scored"
DEDUCTION = "deduction"
CONSTRAINT = "constraint"
BONUS = "bonus"
EVENT_KINDS = (DEDUCTION, CONSTRAINT, BONUS)  # counted in events (未发生 / 发生2起 / 已完成), not measured

HIGHER = "higher"  # 正向: higher is better
LOWER = "lower"  # 逆向: lower is better


def months_span(month: str, *, year: bool = True) -> str:
    """'2023-07' -> '2023年1-7月' (cumulative figures run from January); '1-7月' without the year."""
    y, m = int(month[:4]), int(month[5:])
    span = f"1-{m}月" if m > 1 else "1月"
    return f"{y}年{span}" if year else span


@functools.total_ordering
@dataclass(frozen=True)
class IndicatorKey:
    """Which indicator of a system. Entries, peer rows and results are keyed by it, so two
    indicators both numbered 1 (a system numbering each category or sheet from 1 again)
    never share data, and `no` is always the 序号 as written."""

    no: int | None  # 序号 as written; None for a row without one (known by its name)
    repeat: int = 0  # 0 for the first indicator written with this 序号, 1, 2 … for later ones
    part: str = field(default="", compare=False)  # the category or sheet of a repeat (for messages)
    name: str = ""  # only for an indicator without 序号
    # the 序号 as the table writes it when it is no plain number ('1.1', '2-3'): shown, never compared
    written: str = field(default="", compare=False)

    def __lt__(self, other: "IndicatorKey") -> bool:
        return self._order() < other._order()

    def __hash__(self) -> int:
        """Hashed once: a year of a province's entries, rows and results are looked up by key."""
        h = self.__dict__.get("_hash")
        if h is None:
            h = hash((self.no, self.repeat, self.name))
            object.__setattr__(self, "_hash", h)
        return h

    def __getstate__(self) -> dict:
        # (a text's hash is another in another process: never carried over)
        return {k: v for k, v in self.__dict__.items() if k != "_hash"}

    def _order(self) -> tuple:
        return (self.repeat, self.no is None, self.no or 0, self.name)

    def __str__(self) -> str:
        if self.no is None:
            return self.name
        return f"{self.part}第{self.no}项" if self.repeat and self.part else str(self.no)

    def to_json(self) -> int | str:
        """The 序号 as written (the name for an unnumbered row)."""
        return self.no if self.no is not None else self.name

    @property
    def shown_no(self) -> int | str:
        """What a report's 序号 column prints: the number, else the 序号 as written ('1.1'), else
        nothing (never 'None': a dotted 序号 is no number the tool counts by)."""
        return self.no if self.no is not None else self.written

    @property
    def said(self) -> str:
        """The indicator in a message: 第 3 项, 第 1.1 项, else 「name」."""
        n = self.shown_no
        return f"第 {n} 项" if n != "" else f"「{self.name}」"


def numbered(no: int | str | None, name: str) -> str:
    """'3.地区生产总值'; a written 序号 with dots of its own apart: '1.1 地区生产总值'; no number: the name."""
    if no is None or no == "":
        return name
    return f"{no}.{name}" if isinstance(no, int) else f"{no} {name}"


def item_label(key: "IndicatorKey", name: str) -> str:
    """'第 3 项「地区生产总值」', '第 1.1 项「…」' (the 序号 as written); without any 序号 '指标「…」'."""
    n = key.shown_no
    return f"第 {n} 项「{name}」" if n != "" else f"指标「{name}」"


def items_said(keys: list["IndicatorKey"], limit: int = 30) -> str:
    """'第 1、2 项' (or '第 1.1、1.3 项'); items without any 序号 by name: '「地区生产总值」'."""
    shown = [k.shown_no for k in keys[:limit]]
    if all(n != "" for n in shown):
        s = "第 " + "、".join(map(str, shown))
        tail = " 项"
    else:
        s, tail = "、".join(k.said for k in keys[:limit]), ""
    return s + (f" 等 {len(keys)} 项" if len(keys) > limit else tail)


@dataclass
class Indicator:
    no: int | None
    row: int  # 1-based sheet row
    path: list[str]
    name: str
    name_raw: str
    kind: str = SCORED
    points: float | None = None
    points_by_unit: dict[str, float | None] = field(default_factory=dict)
    shares_points_with_row: int | None = None
    lead: list[str] = field(default_factory=list)
    support: list[str] | None = None
    data_source: str | None = None
    targets: dict[str, float | str] = field(default_factory=dict)
    # Beyond the JSON contract: what later stages need.
    unit: str = ""  # the system's 计量单位 (亿元, %), when it has that column
    no_raw: str = ""
    cell: str = ""  # A1 reference of the name cell
    points_raw: str = ""
    units_raw: str = ""
    direction: str | None = None  # HIGHER / LOWER when the table tells
    deduction_cap: float | None = None  # 合计不超过N分 (positive number)
    per_event: float | None = None  # 每起扣2分 / 每项加0.5分 written in the row (评分标准), not in the points cell
    rule_text: str = ""  # the row's 评分标准 / 计分办法 as written (scoring.rule_from_text reads what it can)
    target: float | str | None = None  # a single 目标 column, when the table has one
    # an 附件2 overview used as the system carries last year's result and place
    last_year_raw: str = ""
    last_year: float | None = None
    last_year_rank: int | None = None
    target_value: float | None = None  # the target as a number (6.5 from '6.5%'), when it is one
    target_values: dict[str, float] = field(default_factory=dict)  # unit -> its target as a number ('2.5%' -> 2.5)
    repeat: int = 0  # an earlier indicator of the system has the same 序号 (numbering restarts)

    @property
    def key(self) -> IndicatorKey:
        """The indicator's identity in the system (see IndicatorKey): the one key object while
        what it is made of stays (a dict finds its own key at once, without comparing)."""
        part = ((self.path[0] if self.path else "") or self.sheet) if self.repeat and self.no is not None else ""
        written = self.no_raw.strip() if self.no is None else ""
        made = (self.no, self.repeat, part, self.name if self.no is None else "", written)
        kept = self.__dict__.get("_key")
        if kept is not None and kept[0] == made:
            return kept[1]
        key = (IndicatorKey(None, name=self.name, written=written) if self.no is None
               else IndicatorKey(self.no, self.repeat, part))
        self.__dict__["_key"] = (made, key)
        return key
    sheet: str = ""  # the sheet the row is on (共性/个性指标 may sit on two sheets)

    @property
    def departments(self) -> list[str]:
        """Every department that owes this indicator, lead first."""
        return list(self.lead) + [d for d in (self.support or []) if d not in self.lead]

    def to_json(self) -> dict:
        keys = ("no", "row", "path", "name", "name_raw", "kind", "points", "points_by_unit",
                "shares_points_with_row", "lead", "support", "data_source", "targets")
        d = asdict(self)
        out = {k: d[k] for k in keys}
        out.update(no_raw=self.no_raw, cell=self.cell, points_raw=self.points_raw,
                   units_raw=self.units_raw, direction=self.direction,
                   deduction_cap=self.deduction_cap, per_event=self.per_event, target=self.target, sheet=self.sheet)
        return out


@dataclass
class IndicatorSystem:
    title: str | None
    file: str
    sheet: str
    units: list[str] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def _counted(self) -> list[Indicator]:
        """Indicators whose points count: rows sharing another row's points count once."""
        return [i for i in self.indicators if i.shares_points_with_row is None]

    @property
    def total_points(self) -> float:
        """Full marks: scored items and constraints that carry points; a bonus is on top of them
        (加分项 最高2分 is not part of 总分 100), as total_points_by_unit and assess count."""
        return _num(sum(i.points for i in self._counted()
                        if i.points and i.points > 0 and i.kind in (SCORED, CONSTRAINT)))

    @property
    def all_units(self) -> list[str]:
        """Column units, then units that only appear in per-unit point overrides."""
        seen = list(self.units)
        for ind in self.indicators:
            for u in ind.points_by_unit:
                # `4 (高新区5)` is the column 霖川高新区's override, not a unit of its own (spec listed both)
                if u not in seen and not any(_override_key(c, ind.points_by_unit) == u for c in self.units):
                    seen.append(u)
        return seen

    @property
    def total_points_by_unit(self) -> dict[str, float]:
        """Each unit's full marks, by the same rule assess uses (unit_points): its own
        overrides, `---` left out, a shared points cell split over its rows."""
        groups = self.point_groups()
        totals = {}
        for unit in self.all_units:
            total = Fraction(0)
            for ind in self.indicators:
                if ind.kind not in (SCORED, CONSTRAINT):
                    continue
                head, share = groups[id(ind)]
                p, _out = unit_points(ind, unit, share, head)
                if p is not None and p > 0:
                    total += p
            totals[unit] = _num(float(total))
        return totals

    def point_groups(self) -> dict[int, tuple["Indicator", int]]:
        """id(indicator) -> (the first row of its points group, rows in the group): rows
        sharing one points cell (merged, or a sub-item's empty cell) are one group."""
        heads: dict[tuple[str, int], Indicator] = {}
        count: dict[tuple[str, int], int] = {}
        for ind in self.indicators:
            k = (ind.sheet, ind.shares_points_with_row if ind.shares_points_with_row is not None else ind.row)
            if ind.shares_points_with_row is None:
                heads.setdefault(k, ind)
            count[k] = count.get(k, 0) + 1
        out = {}
        for ind in self.indicators:
            k = (ind.sheet, ind.shares_points_with_row if ind.shares_points_with_row is not None else ind.row)
            out[id(ind)] = (heads.get(k, ind), count[k])
        return out

    def by_key(self) -> dict[IndicatorKey, Indicator]:
        return {i.key: i for i in self.indicators}

    def numbered(self, no: int) -> list[Indicator]:
        """Every indicator written with this 序号 (several where numbering restarts)."""
        return [i for i in self.indicators if i.no == no]

    def assign_keys(self) -> None:
        seen: dict[int, int] = {}
        for ind in self.indicators:
            ind.repeat = 0
            if ind.no is None:
                continue
            ind.repeat = seen.get(ind.no, 0)
            seen[ind.no] = ind.repeat + 1

    def to_json(self) -> dict:
        return {
            "title": self.title,
            "file": self.file,
            "sheet": self.sheet,
            "units": list(self.units),
            "total_points": self.total_points,
            "total_points_by_unit": self.total_points_by_unit,
            "indicators": [i.to_json() for i in self.indicators],
            "problems": [p.to_dict() for p in self.problems],
        }


def same_place(a: str, b: str) -> bool:
    """乐至县 and 乐至 (a column header without its ending) name one unit."""
    a, b = "".join((a or "").split()), "".join((b or "").split())
    return bool(a and b) and (a == b or a.startswith(b) or b.startswith(a))


def _override_key(unit: str, overrides) -> str | None:
    """Which of a row's per-unit names (its overrides) is `unit`: the same name, the same place, or
    the one name `unit`'s holds (`(高新区6)` for 霁州高新区)."""
    name = "".join(unit.split())
    keys = {k: "".join(k.split()) for k in overrides}
    h = next((k for k, key in keys.items() if key == name), None) or \
        next((k for k in keys if same_place(unit, k)), None)
    if h is None:
        held = [k for k, key in keys.items() if len(key) >= 3 and key in name]
        h = held[0] if len(held) == 1 else None
    return h


def _written_for(ind: Indicator, unit: str) -> tuple[bool, float | None, bool]:
    """(the row names the unit, its points, an override): the row's target column or a
    `(高新区6)` override; None points = `---`, not assessed."""
    if not ind.points_by_unit:
        return False, None, False
    h = _override_key(unit, ind.points_by_unit)
    if h is None:
        return False, None, False
    p = ind.points_by_unit[h]
    return True, p, p is not None and (ind.points is None or abs(p - ind.points) > 1e-9)


def unit_points(ind: Indicator, unit: str, share: int = 1, head: Indicator | None = None
                ) -> tuple[Fraction | None, bool]:
    """(points `unit` can earn on this row, exactly; not assessed). A per-unit override on
    the row, else on the first row of the group sharing one points cell (`3 (高新区6)` over
    four rows is 6 for 高新区 on every one), split evenly over the group's rows; `---` on
    the row (or on the group's first row, the row saying nothing) leaves the item out."""
    head = head if head is not None else ind
    own_written, own_p, own_override = _written_for(ind, unit)
    head_written, head_p, head_override = _written_for(head, unit) if head is not ind else (False, None, False)
    if (own_written and own_p is None) or (not own_written and head_written and head_p is None):
        return None, True
    if own_override:
        p = own_p
    elif head_override:
        p = head_p
    else:
        p = head.points if head is not ind and head.points is not None else ind.points
    if p is None:
        return None, False
    q = decimal_fraction(float(p))
    return (q / share if share > 1 else q), False


@functools.lru_cache(maxsize=65536)  # a province asks for the same points and scores ~10⁶ times
def decimal_fraction(x: float) -> Fraction:
    """A figure as the clerk wrote it, exactly: 0.24 is 24/100, not the binary number nearest to it."""
    return Fraction(repr(x))


def _num(x: float) -> float | int:
    """Points read best as 116, not 116.0000001."""
    x = round(x, 6)
    return int(x) if x == int(x) else x


@dataclass(slots=True)  # a province reads ~10⁵ of them: no __dict__ each
class Entry:
    """One indicator row of a department's monthly sheet (月报)."""

    no: int | None
    name: str
    department: str
    actual: float | None = None  # 截至本月底完成情况, parsed (None = not yet available)
    actual_raw: str = ""
    rank: int | None = None  # 六县市排名 as reported
    rank_raw: str = ""
    last_year: float | None = None  # 上年完成情况
    last_year_raw: str = ""
    last_year_rank: int | None = None
    target: float | None = None  # 本年目标
    target_raw: str = ""
    warning_raw: str = ""  # 预警提示 as written
    words: bool = False  # 截至本月底完成情况 written in words (正常推进): reported, not a number
    row_department: str = ""  # the 责任单位 its own row names, when the sheet has that column (a joint file)
    issues_text: str = ""  # 存在问题
    next_steps: str = ""  # 下步举措
    file: str = ""
    sheet: str = ""
    cell: str = ""  # cell of the actual value
    rank_cell: str = ""  # cell of the reported rank
    row: int = 0  # 1-based
    key: IndicatorKey | None = None  # the system indicator it was matched to

    @property
    def has_report(self) -> bool:
        """The row says something: a figure, a rank, or words such as 正常推进 (not —, 暂无,
        #DIV/0!: the reader parses those to no value and no words)."""
        return self.actual is not None or self.rank is not None or self.words

    def reports_as(self, kind: str | None) -> bool:
        """has_report, and on an event item (a deduction, a veto, a bonus) 无 / 未发生 too: its
        figure, no event (what assess scores it as, and what 报送情况 counts as reported)."""
        return self.has_report or (kind in EVENT_KINDS and events_from_text(self.actual_raw, kind) is not None)

    def to_json(self) -> dict:
        d = asdict(self)
        d["key"] = self.key.to_json() if self.key is not None else None
        return d


@dataclass
class Submission:
    """One department's monthly sheet (one file, one month)."""

    file: str
    sheet: str
    department: str | None
    month: str | None  # 'YYYY-MM'
    entries: list[Entry] = field(default_factory=list)
    filled_date: str | None = None  # 填报日期 as ISO date, when written
    mtime: float | None = None  # file modification time (seconds since epoch)
    signoff: dict[str, str] = field(default_factory=dict)  # 填报单位/主要负责人/填报人/联系电话/填报日期
    problems: list[Problem] = field(default_factory=list)


@dataclass
class PeerRow:
    no: int | None
    name: str
    direction: str | None  # HIGHER / LOWER / None when the sheet does not say
    values: dict[str, float | None]  # county -> value (None = missing)
    raw: dict[str, str] = field(default_factory=dict)
    row: int = 0
    key: IndicatorKey | None = None  # the system indicator it was matched to
    cells: dict[str, str] = field(default_factory=dict)  # county -> A1 cell of its value
    targets: dict[str, float] = field(default_factory=dict)  # unit -> the target its own report states
    # where the row is when not in its table's own sheet (a table merged from a workbook's sheets)
    file: str = ""
    sheet: str = ""
    unit: str = ""  # the row's 计量单位 (%, 亿元, 微克/立方米), when the sheet has that column
    words: set[str] = field(default_factory=set)  # units whose report gives progress in words (正常推进)


@dataclass
class PeerTable:
    """六县市数据: every peer county's value per indicator."""

    file: str
    sheet: str
    counties: list[str]
    rows: list[PeerRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    title: str = ""  # the text above the header (it may name the superior city: 某某市各县…)
    left_out: list[str] = field(default_factory=list)  # value columns that are no unit (全市, 平均, the city)
    notes: list[str] = field(default_factory=list)  # what the reader decided about columns, and why
    period: str | None = None  # 'YYYY-MM' the figures run to (数据期), when the file says
    path: str = ""  # the file on disk (to tell a copy of last month's file)
    # the view from above, a table built of the units' own reports: unit -> (its file, its sheet)
    sources: dict[str, tuple[str, str]] = field(default_factory=dict)
    units_as_rows: bool = False  # the file lists the units down a column (a 全省 in it is a row)
    own_unit: str | None = None  # the unit the table marks as ours (石桥县（本县）), or 本县 for a column headed so

    def rename_unit(self, old: str, new: str) -> None:
        """A unit's column (or row) called by another name everywhere: a column headed 本县 is the
        county the run is for."""
        self.counties = [new if c == old else c for c in self.counties]
        for row in self.rows:
            for d in (row.values, row.raw, row.cells, row.targets):
                if old in d:
                    d[new] = d.pop(old)
            if old in row.words:
                row.words = (row.words - {old}) | {new}
        if old in self.sources:
            self.sources[new] = self.sources.pop(old)
        if self.own_unit == old:
            self.own_unit = new

    def sent_nothing(self) -> list[str]:
        """A table built of the units' own reports: the units that sent none (their columns empty)."""
        return [u for u in self.counties if self.sources and u not in self.sources]

    def where(self, unit: str | None, row: PeerRow | None = None) -> tuple[str, str | None]:
        """The file and sheet a unit's figures (on `row`) come from: its own report, or this
        table (the row's own sheet of it)."""
        got = self.sources.get(unit) if unit is not None else None
        if got is not None:
            return got
        if row is not None and (row.file or row.sheet):
            return row.file or self.file, row.sheet or None
        return self.file, self.sheet or None


# --- a month's inputs, as read and settled ---------------------------------------

@dataclass
class FileRead:
    """What became of one input file."""

    def __post_init__(self):
        self.file = human_name(self.file)

    file: str  # path relative to input/
    kind: str  # 'system' | 'submission' | 'peers' | 'bad' | 'skipped'
    sheets: list[str] = field(default_factory=list)
    used: bool = True
    note: str = ""  # why not used / what was decided
    submissions: list[Submission] = field(default_factory=list)


@dataclass
class DepartmentStatus:
    department: str
    owed: list[IndicatorKey] = field(default_factory=list)  # indicators it leads
    sent: bool = False
    file: str | None = None
    submitted: str | None = None  # ISO date used to judge lateness
    basis: str | None = None  # 填报日期 | 首次读取时间 | 文件修改时间（推定） | 报送时间不明（文件是截止后放入的）
    late: bool = False
    blank: bool = False  # a form sent back with nothing filled in: 未填报, not 已报送
    reported: list[IndicatorKey] = field(default_factory=list)  # owed indicators with a value or rank
    not_available: list[IndicatorKey] = field(default_factory=list)  # rows present, value not yet available
    absent: list[IndicatorKey] = field(default_factory=list)  # owed indicators missing from its sheet

    def to_json(self) -> dict:
        d = dict(self.__dict__)
        for k in ("owed", "absent", "reported", "not_available"):  # 序号 as written
            d[k] = [n.to_json() for n in d.get(k) or []]
        return d


@dataclass
class SubmissionStatus:
    month: str | None
    deadline: str | None  # ISO date, the last on-time day
    departments: list[DepartmentStatus] = field(default_factory=list)
    sent: list[str] = field(default_factory=list)
    not_sent: list[str] = field(default_factory=list)
    late: list[str] = field(default_factory=list)
    blank: list[str] = field(default_factory=list)  # sent back a blank form (also in not_sent)
    extra: list[str] = field(default_factory=list)  # sent but owing nothing in the system
    indicators_total: int = 0
    reported: int = 0  # indicators with a value (or rank) this month
    not_available: int = 0  # reported as not yet available
    not_reported: int = 0  # no row in any sheet

    def to_json(self) -> dict:
        d = {k: v for k, v in self.__dict__.items() if k != "departments"}
        d["departments"] = [x.to_json() for x in self.departments]
        return d


@dataclass
class MonthInput:
    workspace: Path
    month: str | None
    folder: Path | None = None
    system: IndicatorSystem | None = None
    submissions: list[Submission] = field(default_factory=list)  # the ones used
    superseded: list[Submission] = field(default_factory=list)  # older duplicates, not used
    peers: PeerTable | None = None
    entries: dict[IndicatorKey, Entry] = field(default_factory=dict)  # the entry used for each indicator
    problems: list[Problem] = field(default_factory=list)
    decisions: list[str] = field(default_factory=list)  # which file / value was used and why
    files: list[FileRead] = field(default_factory=list)
    status: SubmissionStatus | None = None
    months: list[str] = field(default_factory=list)  # every month folder found
    history: dict[str, "MonthInput"] = field(default_factory=dict)  # earlier months
    config: Any = None
    fatal: str | None = None  # why nothing can be assessed (whom we serve is not certain, …)
    read_cache: Any = None  # read.cache.ReadCache: earlier runs' reads of the same bytes
    all_units: bool = False  # read for the view from above (every unit, no county of our own)
    # the view from above: each unit's own report's row per indicator (its 上年完成情况, 目标, 存在问题 and
    # 下步举措 as written), so its reports say what a county run of its own files says
    unit_entries: dict[str, dict[IndicatorKey, Entry]] = field(default_factory=dict)
    # (the system, peer data at input/'s root) as this run read them: earlier months reuse them
    root: Any = field(default=None, repr=False, compare=False)

    def folder_shown(self, month: str) -> str:
        """The month's folder as the clerk named it (input/6月份), where a message sends them."""
        if self.folder is not None and self.month == month:
            return f"input/{self.folder.name}"
        return f"input/{month}"

    @property
    def all_entries(self) -> list[Entry]:
        """Entries of every used submission (several per indicator when departments overlap)."""
        return [e for s in self.submissions for e in s.entries]

    @property
    def all_problems(self) -> list[Problem]:
        out = list(self.problems)
        if self.system is not None:
            out += [p for p in self.system.problems if p not in out]
        for s in self.submissions + self.superseded:
            out += [p for p in s.problems if p not in out]
        if self.peers is not None:
            out += [p for p in self.peers.problems if p not in out]
        return out

    @property
    def has_errors(self) -> bool:
        return any(p.level == ERROR for p in self.all_problems)
