"""What assessment produces: plain dataclasses the writers and the CLI read.

Colours are the strings RED / YELLOW / GREEN; COLOUR_LABELS gives 红/黄/绿.
"""

from __future__ import annotations

import functools
from dataclasses import asdict, dataclass, field

from kaohe_excel.model import BONUS, CONSTRAINT, IndicatorKey, months_span
from kaohe_excel.problems import Problem

RED = "red"
YELLOW = "yellow"
GREEN = "green"
COLOURS = (GREEN, YELLOW, RED)  # best first
COLOUR_LABELS = {RED: "红", YELLOW: "黄", GREEN: "绿"}
COLOUR_ORDER = {GREEN: 0, YELLOW: 1, RED: 2}  # lower is better
_SEVERITY = {RED: 0, YELLOW: 1, GREEN: 2}

# where a rank came from
COMPUTED = "computed"  # from the peer data
REPORTED = "reported"  # the department's 六县市排名


_CN_DIGITS = "一二三四五六七八九十"


def cn_number(i: int) -> str:
    """1 -> 一, 12 -> 十二, 40 -> 四十 (group sizes, section numbers)."""
    if i <= 0 or i >= 100:
        return str(i)
    if i <= 10:
        return _CN_DIGITS[i - 1]
    if i < 20:
        return "十" + _CN_DIGITS[i - 11]
    tens, ones = divmod(i, 10)
    return _CN_DIGITS[tens - 1] + "十" + (_CN_DIGITS[ones - 1] if ones else "")


@functools.lru_cache(maxsize=256)  # a province asks once for each of its 120 units, every month
def group_label(units: tuple[str, ...]) -> str:
    """The compared group in words: six 县/市 -> 六县市, four 区 -> 四区, 县 and 区 -> 五县区.
    Short names (宝丰 for 宝丰县) read as 县市, or as 区 among districts."""
    present = {u.strip()[-1:] for u in units} & set("县市区")
    if any(not u.strip().endswith(tuple("县市区")) for u in units) and present != {"区"}:
        present |= {"县", "市"}  # short names (宝丰, 鲁山) are counties and county-level cities
    kinds = "".join(k for k in "县市区" if k in present) or "县市"
    return f"{cn_number(len(units))}{kinds}"


def colour_label(colour: str | None) -> str:
    return COLOUR_LABELS.get(colour, "") if colour else ""


def rank_change_text(change: int | None) -> str:
    """+2 -> '↑2', -1 -> '↓1', 0 -> '持平', None -> ''. (positive = moved up)"""
    if change is None:
        return ""
    if change > 0:
        return f"↑{change}"
    if change < 0:
        return f"↓{-change}"
    return "持平"


@dataclass(slots=True)  # a province keeps ~10⁵ of them: no __dict__ each
class IndicatorResult:
    """One indicator of one system in one month, for the county we serve."""

    no: int | None
    name: str
    category: str  # first level of the indicator's path ('' when none)
    kind: str
    points: float | None  # the points our county can earn here (per-unit override applied)
    direction: str  # HIGHER / LOWER
    direction_source: str  # 六县市数据 / 指标体系 / kaohe.toml / 名称推断 / 默认
    lead: list[str] = field(default_factory=list)
    support: list[str] = field(default_factory=list)
    department: str | None = None  # the department whose entry was used
    actual: float | None = None
    actual_raw: str = ""
    actual_source: str = ""  # 六县市数据 / 月报 / ''
    peer_raw: str = ""  # our county's figure as the peer sheet writes it (12.6%, 下降0.5%)
    key: IndicatorKey | None = None  # Indicator.key (made from no/name when not given)
    target: float | None = None
    target_text: str = ""  # a target written in words (按全市平均水平比较考核, 不发生): shown, never a number
    # how 截至本月底完成情况 reads in every report: 不考核, 未报送, 正常推进 as written, 增长9.4%
    display: str = ""
    unit: str = ""  # the unit this indicator's figures carry (%, 个, 万元/人), as display shows them
    not_assessed: bool = False  # `---` for our unit: out of its full marks, score and estimate
    unreported: bool = False  # a deduction or constraint nobody reported: unknown, not "did not happen"
    qualitative: bool = False  # reported as words (正常推进): reported, never a number, never 无数据
    entry_figure: bool = False  # the department wrote a figure or words (shown as written, over the peer sheet's)
    figure_words: str = ""  # words the department wrote where the ranked peer figure goes (shown beside it)
    shares_points: bool = False  # a row of a group sharing one points cell (its points shown once)
    group_points: float | None = None  # on a group's first row: the whole group's points for us
    # ranks
    rank: int | None = None  # the rank used (computed wins over reported)
    rank_source: str | None = None  # COMPUTED / REPORTED / None
    computed_rank: int | None = None
    reported_rank: int | None = None
    last_year_rank: int | None = None  # 上年位次: the department's, else the indicator system's
    last_year_raw: str = ""  # 上年完成情况 as written (the department's, else the system's)
    year_change: int | None = None  # places gained since last year (positive = up)
    ranked_count: int = 0  # counties with a value, ours included
    group_size: int = 0  # counties in the comparison (N for the thirds)
    peer_values: dict[str, float | None] = field(default_factory=dict)
    peer_ranks: dict[str, int] = field(default_factory=dict)
    leader: str | None = None  # the best county (first in sheet order when tied)
    leader_value: float | None = None
    # warning
    rule: str = "rank"
    rank_thresholds: tuple[int, int] | None = None  # (last green, last yellow) place its rank colour used
    colour: str | None = None
    colour_reason: str = ""
    completion: float | None = None  # %, when a target is known
    expected_progress: float | None = None  # % (序时进度), progress rule only
    # change against earlier months
    prev_month: str | None = None
    prev_rank: int | None = None
    rank_change: int | None = None  # positive = up (better)
    rank_history: list[tuple[str, int | None]] = field(default_factory=list)  # (month, rank), oldest first
    colour_history: list[tuple[str, str | None]] = field(default_factory=list)
    # score
    method: str = ""
    score: float | None = None
    score_note: str = ""
    peer_scores: dict[str, float] = field(default_factory=dict)  # every county's score, when computable
    leader_score: float | None = None
    points_lost: float | None = None  # leader's score (or full points) minus ours
    # 失分 on 得分测算: its points minus its score (分值 = 得分 + 失分 row by row, category by category);
    # outside full marks a bonus's gain is a negative one, a deduction's the points taken; None unscored
    short_of_points: float | None = None
    # deductions, constraints, bonuses
    events: float | None = None
    deduction: float | None = None  # points taken off (positive)
    vetoed: bool = False  # a constraint that happened
    stake: float | None = None  # what an event item can cost (constraint points, deduction cap)
    # what to reach for the next colour
    next_colour: str | None = None
    value_to_reach: float | None = None
    reach_note: str = ""
    reach_strict: bool = False  # value_to_reach must be passed, not only met (完成率超过…)
    # 需达到 as every report prints it, worked out from our target: value_to_reach to two places, rounded
    # the safe way (29.333334 -> 29.34), and whether that printed figure itself must still be passed
    reach_shown: float | None = None
    reach_shown_strict: bool = False

    @property
    def colour_label(self) -> str:
        return colour_label(self.colour)

    @property
    def shown_no(self) -> int | str:
        """The 序号 a report prints: the number, else as written ('1.1'), else nothing."""
        return self.key.shown_no if self.key is not None else (self.no if self.no is not None else "")

    @property
    def figure_shown(self) -> str:
        """What every report prints in the unit's figure cell: the figure as written; where the unit
        wrote nothing, what that means, so that a blank is never read as a zero."""
        if self.display:
            return self.display
        if self.unreported:
            return "未报送"
        return "无数据" if self.actual is None and not self.qualitative else ""

    @property
    def no_data(self) -> bool:
        """Nothing to show this month (not: not assessed, unreported, or reported in words)."""
        return (self.colour is None and not self.not_assessed and not self.unreported
                and not self.qualitative and self.actual is None and self.rank is None)

    @property
    def rank_change_text(self) -> str:
        return rank_change_text(self.rank_change)

    @property
    def trend_text(self) -> str:
        """'3→2→2' over the months known."""
        return "→".join("—" if r is None else str(r) for _, r in self.rank_history)

    def __post_init__(self):
        if self.key is None:
            self.key = IndicatorKey(self.no, name="" if self.no is not None else self.name)

    def to_json(self) -> dict:
        d = asdict(self)
        d["key"] = self.key.to_json()
        d.update(colour_label=self.colour_label, rank_change_text=self.rank_change_text, figure_shown=self.figure_shown,
                 rank_history=[list(x) for x in self.rank_history],
                 colour_history=[list(x) for x in self.colour_history])
        return d


@dataclass
class CategorySubtotal:
    category: str
    points: float  # what can be earned
    score: float  # what was earned (scored + bonus - deductions)
    scored_count: int
    unscored_count: int
    unscored_points: float = 0.0  # full marks of items without a score this month (no data, words, unreported)
    lost: float = 0.0  # points − score − unscored_points: what the scored items lost


@dataclass
class MonthResult:
    """One indicator system assessed for one month."""

    month: str
    system_title: str | None
    county: str
    indicators: list[IndicatorResult] = field(default_factory=list)
    group: list[str] = field(default_factory=list)  # the units compared this month, ours included
    group_label: str = "六县市"  # the group in words: 六县市, 四区, 七县市, 五县区
    notes: list[str] = field(default_factory=list)  # what was decided and why (columns left out, …)
    peer_period: str | None = None  # 'YYYY-MM' the peer figures run to (数据期), when not this month
    points_at_stake: float = 0.0  # points hanging on deductions/constraints nobody reported
    unreported_events: list[IndicatorKey] = field(default_factory=list)  # their keys
    subtotals: list[CategorySubtotal] = field(default_factory=list)
    total: float = 0.0  # earned: scored + constraints kept + bonuses - deductions
    total_points: float = 0.0  # what can be earned
    unscored_points: float = 0.0  # of which not scored this month (no data, words, unreported)
    lost: float = 0.0  # total_points − total − unscored_points
    unscored: list[IndicatorKey] = field(default_factory=list)  # indicators without a score
    excluded: bool = False  # a constraint happened: no place in the ranking
    exclusion_reasons: list[str] = field(default_factory=list)
    estimated_rank: int | None = None  # our total's place among the peers
    estimated_totals: dict[str, float] = field(default_factory=dict)  # county -> total on the comparable indicators
    estimate_basis: list[IndicatorKey] = field(default_factory=list)  # the comparable indicators
    estimate_note: str = ""
    problems: list[Problem] = field(default_factory=list)
    brief: bool = False  # an earlier month assessed for trends only (no reasons, notes or values to reach)

    def by_key(self) -> dict[IndicatorKey, IndicatorResult]:
        return {r.key: r for r in self.indicators}

    def colour_counts(self) -> dict[str, int]:
        """Green/yellow/red counts; None counts the items with no data at all (not the
        ones not assessed, unreported or reported in words, nor a bonus item's figure, which
        has no colour by its kind: see the other keys)."""
        out = {GREEN: 0, YELLOW: 0, RED: 0, None: 0, "not_assessed": 0, "unreported": 0, "qualitative": 0, "bonus": 0}
        for r in self.indicators:
            if r.colour is not None:
                out[r.colour] += 1
            elif r.not_assessed:
                out["not_assessed"] += 1
            elif r.unreported:
                out["unreported"] += 1
            elif r.qualitative:
                out["qualitative"] += 1
            elif r.kind == BONUS and r.actual is not None:
                out["bonus"] += 1
            else:
                out[None] += 1
        return out

    def unreported_text(self) -> str:
        """The deductions and constraints nobody reported, in words ("" when none): unknown,
        never credited; a constraint's whole place hangs on it, a deduction its points."""
        items = [r for r in self.indicators if r.unreported]
        vetoes = [r for r in items if r.kind == CONSTRAINT]
        others = [r for r in items if r.kind != CONSTRAINT]
        parts = []
        if vetoes:
            parts.append(f"约束条件{''.join(f'「{r.name}」' for r in vetoes)}无人报送，是否发生不明（如已发生，不参与排名）")
        if others:
            stake = round(sum(r.stake or 0.0 for r in others), 6)
            parts.append(f"减分项{''.join(f'「{r.name}」' for r in others)}无人报送，是否发生不明"
                         + (f"（涉及{stake:g}分）" if stake else "") + "，未计入得分")
        return "；".join(parts)

    def asks(self) -> list[IndicatorResult]:
        """What leadership asks next: the indicators that lose points against the leading
        peer, most points lost first (red before yellow on equal loss)."""
        lost = [r for r in self.indicators if r.points_lost is not None and r.points_lost > 1e-9]
        return sorted(lost, key=lambda r: (-r.points_lost, _SEVERITY.get(r.colour, 3),
                                           r.no if r.no is not None else 10**9))

    def lagging(self) -> list[IndicatorResult]:
        """Red then yellow indicators, each with the value to reach for the next colour."""
        lag = [r for r in self.indicators if r.colour in (RED, YELLOW)]
        return sorted(lag, key=lambda r: (-COLOUR_ORDER[r.colour], r.no if r.no is not None else 10**9))

    @property
    def peer_period_label(self) -> str:
        """'数据期1-7月' when the ranks rest on an earlier month's peer figures, else ''."""
        if not self.peer_period or self.peer_period == self.month:
            return ""
        return "数据期" + months_span(self.peer_period, year=False)

    def to_json(self) -> dict:
        return {
            "month": self.month, "system_title": self.system_title, "county": self.county,
            "group": list(self.group), "group_label": self.group_label, "notes": list(self.notes),
            "peer_period": self.peer_period, "peer_period_label": self.peer_period_label,
            "points_at_stake": self.points_at_stake, "unreported_events": [k.to_json() for k in self.unreported_events],
            "indicators": [r.to_json() for r in self.indicators],
            "subtotals": [asdict(s) for s in self.subtotals],
            "total": self.total, "total_points": self.total_points, "unscored": [k.to_json() for k in self.unscored],
            "unscored_points": self.unscored_points, "lost": self.lost,
            "excluded": self.excluded, "exclusion_reasons": list(self.exclusion_reasons),
            "estimated_rank": self.estimated_rank, "estimated_totals": dict(self.estimated_totals),
            "estimate_basis": [k.to_json() for k in self.estimate_basis], "estimate_note": self.estimate_note,
            "problems": [p.to_dict() for p in self.problems],
        }



_OTHER_COUNTS = (("qualitative", "定性（文字报送）"), ("unreported", "减分/约束项未报送"), ("not_assessed", "不考核"),
                 ("bonus", "加分项（不设预警）"))


def other_counts_text(counts: dict) -> str:
    """'，定性（文字报送） 11 项，不考核 1 项' (MonthResult.colour_counts): the items without a colour
    that are no 无数据, as the run's summary and `kaohe assess` say them after 红/黄/绿/无数据."""
    return "".join(f"，{word} {counts[k]} 项" for k, word in _OTHER_COUNTS if counts.get(k))


@dataclass(slots=True)
class MonthBrief:
    """An earlier month of one unit as the view from above reads it: the month's totals (the
    league's change of place, the trend) and each indicator's rank and colour (this month's rank
    changes and histories, carry_history). A province's earlier month is 7,200 IndicatorResults;
    handed back from a worker as such it cost ~0.4 s to pickle and unpickle, and nothing else of
    them is read."""

    month: str
    total: float
    total_points: float
    excluded: bool
    estimated_rank: int | None
    keys: tuple  # IndicatorKey of each indicator, in the month's order (shared by a month's units)
    ranks: tuple
    colours: tuple
    unscored_points: float = 0.0  # (a unit with nothing scored has no place: league.scored)
    brief: bool = True

    @classmethod
    def of(cls, res: MonthResult, keys: tuple | None = None) -> MonthBrief:
        """`keys`: the same keys of another unit's month, given so that a month's briefs share
        one tuple (pickled once)."""
        own = tuple(r.key for r in res.indicators)
        return cls(res.month, res.total, res.total_points, res.excluded, res.estimated_rank,
                   keys if keys is not None and keys == own else own,
                   tuple(r.rank for r in res.indicators), tuple(r.colour for r in res.indicators),
                   res.unscored_points)

@dataclass
class DepartmentLine:
    """One indicator on a department's scorecard."""

    no: int | None
    name: str
    role: str  # 牵头 / 参与
    rank: int | None
    colour: str | None
    rank_change: int | None
    tier: int | None  # 1 first tier (第一方阵), 2 second, 3 third; None without rank or colour
    shown: str = ""  # what the unit reported, as every report shows it (IndicatorResult.display)
    slipped: bool = False
    slip_note: str = ""
    written: str = ""  # the 序号 as written when it is no plain number ('1.1')

    @property
    def shown_no(self) -> int | str:
        """The 序号 a report prints (IndicatorKey.shown_no)."""
        return self.no if self.no is not None else self.written

    @property
    def colour_label(self) -> str:
        return colour_label(self.colour)

    @property
    def rank_change_text(self) -> str:
        return rank_change_text(self.rank_change)


@dataclass
class DepartmentCard:
    """A department's scorecard for a month or a period (quarter, year)."""

    department: str
    period: str  # '2023-08', '2023-Q3', '2023'
    lines: list[DepartmentLine] = field(default_factory=list)
    reward: list[DepartmentLine] = field(default_factory=list)  # first tier
    criticism: list[DepartmentLine] = field(default_factory=list)  # third tier or slipped
    verdict: str = ""  # 奖励 / 批评 / 有奖有惩 / ''

    def counts(self) -> dict[str, int]:
        out = {GREEN: 0, YELLOW: 0, RED: 0, None: 0}
        for line in self.lines:
            out[line.colour] = out.get(line.colour, 0) + 1
        return out
