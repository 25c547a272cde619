"""Scoring methods: rank steps, efficacy coefficient, target completion, all-or-nothing;
deductions per event with a cap, bonuses with a cap.  Pure arithmetic on plain numbers.
"""

from __future__ import annotations

import functools
import math
import re
from fractions import Fraction

from kaohe_excel.assess.ranking import is_value
from kaohe_excel.model import decimal_fraction

RANK_STEPS = "rank_steps"
EFFICACY = "efficacy"
COMPLETION = "completion"
ALL_OR_NOTHING = "all_or_nothing"
NONE = "none"
METHOD_LABELS = {RANK_STEPS: "按名次递减", EFFICACY: "功效系数法", COMPLETION: "按目标完成比例",
                 ALL_OR_NOTHING: "完成得满分", NONE: "不计分"}
NEEDS_PEERS = {EFFICACY}  # methods that need every peer's value
NEEDS_TARGET = {COMPLETION, ALL_OR_NOTHING}


PLACES = 6  # a score of record has six decimals (1/3 of a point is 0.333333), no more


def exact(x) -> Fraction:
    """A figure as the clerk wrote it, exactly: 0.24 is 24/100, not the binary number
    nearest to it. Fractions pass through."""
    if isinstance(x, Fraction):
        return x
    if isinstance(x, int):
        return Fraction(x)
    return decimal_fraction(float(x))


class Recorded(float):
    """A figure of record (a float, as JSON and reports see it) that remembers the exact
    value it was rounded from, so rows sharing one points cell can be settled to add up."""

    exact: Fraction

    def __new__(cls, value: float, exact_value: Fraction):
        obj = super().__new__(cls, value)
        obj.exact = exact_value
        return obj

    def __reduce__(self):
        return (Recorded, (float(self), self.exact))


@functools.lru_cache(maxsize=65536)  # a province scores the same places on the same points again and again
def record(q: Fraction, lo: Fraction | None = Fraction(0), hi: Fraction | None = None) -> float:
    """The score of record: the exact value kept within [lo, hi], rounded half up to
    PLACES decimals once, here. Sums of records are exact, so a column adds up to the
    total printed under it (1.5 × 0.2 / 0.24 is 1.25, not 1.249999995)."""
    if hi is not None:
        q = min(q, hi)
    if lo is not None:
        q = max(q, lo)
    r = rounded(q)
    if hi is not None:  # rounding never leaves [lo, hi] either
        r = min(r, hi)
    if lo is not None:
        r = max(r, lo)
    out = float(r)
    return Recorded(0.0 if out == 0 else out, q)


def shown(x: float | None) -> str:
    """A score of record as a message or a summary writes it: the digits the reports print
    (up to PLACES decimals, 77.526471, not `:g`'s 77.5265; 116, not 116.0)."""
    if x is None:
        return "—"
    text = f"{x:.{PLACES}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


@functools.lru_cache(maxsize=65536)
def rounded(q: Fraction) -> Fraction:
    """Half up (away from zero) to PLACES decimals."""
    scale = 10 ** PLACES
    n = math.floor(abs(q) * scale + Fraction(1, 2))
    return Fraction(n if q >= 0 else -n, scale)


def exact_of(x) -> Fraction:
    """The exact value behind a figure of record (the figure itself otherwise)."""
    return getattr(x, "exact", None) if isinstance(x, Recorded) else exact(x)


def settle(values: list) -> list[float]:
    """Figures of record for rows that belong together (one points cell shared by several
    rows): each rounded once, the rounding difference of the whole put on the first, so the
    rows add up to the group's exact total rounded once (1 point over 3 rows: 0.333334 +
    0.333333 + 0.333333)."""
    exacts = [exact_of(v) if v is not None else None for v in values]
    present = [q for q in exacts if q is not None]
    if not present:
        return list(values)
    whole = rounded(exact_sum(present))
    out = [rounded(q) if q is not None else None for q in exacts]
    diff = whole - sum(q for q in out if q is not None)
    first = next(i for i, q in enumerate(out) if q is not None)
    out[first] += diff
    return [Recorded(float(q), exacts[i]) if q is not None else None for i, q in enumerate(out)]


_MICRO = 10 ** PLACES


def total_of(scores) -> float:
    """The exact sum of scores of record (floats), as a record itself."""
    scores = list(scores)
    micros = _micros(scores)
    if micros is not None:
        return micros / _MICRO  # (an int over an int: rounded once, as float(Fraction) is)
    return float(record(exact_sum(exact(s) for s in scores), lo=None))


def _micros(scores: list) -> int | None:
    """The sum in millionths when every figure is a decimal of at most PLACES places (scores of
    record always are), else None. Such a float is exactly n / 10⁶ as the clerk wrote it
    (exact() reads its shortest repr, which is that decimal: below 10⁹ two such decimals are
    never the same float), so the sum of the n is the exact sum, with no Fraction made: a
    province sums ~10⁶ of them."""
    total = 0
    for s in scores:
        if type(s) is int:
            total += s * _MICRO
            continue
        if not isinstance(s, float) or not -1e9 < s < 1e9:
            return None
        n = round(s * _MICRO)
        if n / _MICRO != s:
            return None
        total += n
    return total


def exact_sum(qs) -> Fraction:
    """sum() of Fractions over their least common denominator: one integer sum and one gcd
    instead of a Fraction addition (two gcds, a new Fraction) per term. Exact either way;
    figures of record are decimals, so the denominators are few and small."""
    qs = list(qs)
    if not qs:
        return Fraction(0)
    den = math.lcm(*{q.denominator for q in qs})
    return Fraction(sum(q.numerator * (den // q.denominator) for q in qs), den)


@functools.lru_cache(maxsize=65536)
def rank_steps_score(points: float, rank: int, step_pct: float = 5.0, step_points: float | None = None) -> float:
    """First place full points, each place below `step_pct` % of the points less (or
    `step_points` points less: 每降一位扣0.5分), never below zero.  rank 3, 5 points, 5 %:
    5 × (1 − 0.05 × 2) = 4.5; 12 points, 0.5 a place, rank 2: 12 − 0.5 = 11.5."""
    if rank < 1:
        raise ValueError("rank must be 1 or more")
    p = exact(points)
    if step_points is not None:
        return record(max(Fraction(0), p - exact(step_points) * (rank - 1)), hi=p)
    share = max(Fraction(0), 1 - exact(step_pct) / 100 * (rank - 1))
    return record(p * share, hi=p)


# What a 评分标准 cell says about scoring, where it says it plainly (rule_from_text)
_STEP_POINTS = re.compile(r"每(?:下降|降低|降|后退|退|落后|低|下滑)\s*(?:一|1)\s*(?:个)?(?:位次|位|名次|名)\D{0,4}?(?:扣|减|少得)\s*"
                          r"(\d+(?:\.\d+)?)\s*分")
_EFFICACY_RULE = re.compile(r"功效系数")
_COMPLETION_RULE = re.compile(r"按(?:目标|任务)?完成(?:比例|率|进度|情况)(?:折算)?(?:计分|得分|赋分)|完成率\s*[×x*]\s*分值|分值\s*[×x*]\s*完成率")


def rule_from_text(text: str) -> dict | None:
    """The scoring a 评分标准 cell states, as kaohe.toml settings: 「第一名得满分，每降一位扣0.5分」
    {method: rank_steps, rank_step_points: 0.5}; 「功效系数法」 {method: efficacy}; 「按完成比例计分」
    {method: completion}. {} when the cell says nothing about scoring; None when it states a rule
    in words this reads no further (每低1个百分点扣0.5分): the caller says so, never silently."""
    t = re.sub(r"\s+", "", str(text or ""))
    if not t:
        return {}
    m = _STEP_POINTS.search(t)
    if m:
        return {"method": RANK_STEPS, "rank_step_points": float(m.group(1))}
    if _EFFICACY_RULE.search(t):
        return {"method": EFFICACY}
    if _COMPLETION_RULE.search(t):
        return {"method": COMPLETION}
    if re.search(r"每(?:低|少|差|下降|降低)\S{0,8}(?:扣|减)\S{0,6}分", t):
        return None  # points off per percentage point short of the target, and the like
    if re.search(r"第一名得满分|按(?:名次|排名|位次)(?:计分|赋分|得分)", t):
        return {"method": RANK_STEPS}  # by place, the step as configured
    return {}


def _efficacy_share(x, best, worst, base, span) -> Fraction:
    x, best, worst, base, span = (exact(v) for v in (x, best, worst, base, span))
    if best == worst:
        return base + span
    d = base + span * (x - worst) / (best - worst)
    return min(max(d, base), base + span)


def efficacy_share(x: float, best: float, worst: float, base: float = 60.0, span: float = 40.0) -> float:
    """功效系数 d = base + span × (x − worst)/(best − worst), in percent, kept within
    [base, base + span].  For 逆向 pass best = the lowest value and worst = the highest:
    the same formula then rewards low values.  All counties equal: d = base + span."""
    return float(_efficacy_share(x, best, worst, base, span))


def efficacy_score(points: float, x: float, best: float, worst: float, base: float = 60.0,
                   span: float = 40.0) -> float:
    p = exact(points)
    return record(p * _efficacy_share(x, best, worst, base, span) / 100, hi=p)


def completion_score(points: float, completion_pct, cap_pct: float = 100.0) -> float:
    """points × min(completion, cap), completion below zero counting as zero. Pass the
    completion exactly (warnings.completion_ratio) where it is a ratio of two figures."""
    p, cap = exact(points), exact(cap_pct)
    share = min(max(exact(completion_pct), Fraction(0)), cap) / 100
    return record(p * share, hi=p * max(cap, Fraction(100)) / 100)


def all_or_nothing_score(points: float, completion_pct) -> float:
    """Full points when the target is met (completion ≥ 100 %), else zero."""
    if exact(completion_pct) >= 100:
        return Recorded(float(points), exact(points))  # the points themselves, as the system gives them
    return Recorded(0.0, Fraction(0))


def capped_amount(count: float, per_event: float, cap: float | None) -> float:
    """count × per_event, at least zero, at most cap (when there is one)."""
    amount = max(exact(count), Fraction(0)) * abs(exact(per_event))
    return record(amount, hi=abs(exact(cap)) if cap is not None else None)


def deduction_amount(events: float, per_event: float, cap: float | None) -> float:
    """每起扣10分，合计不超过30分: 2 events -> 20, 4 events -> 30."""
    return capped_amount(events, per_event, cap)


def bonus_amount(units: float, per_unit: float, cap: float | None) -> float:
    return capped_amount(units, per_unit, cap)


_NUM = r"(\d+(?:\.\d+)?)"


def parse_deduction_text(text: str) -> tuple[float | None, float | None]:
    """(per event, cap) from wording like '每发生一起扣10分，合计扣分不超过30分' or
    '每发生一起银行挤兑事件，扣40分，合计扣分不超过80分'."""
    t = re.sub(r"\s+", "", text or "")
    per = cap = None
    m = re.search(r"每(?:发生|出现)?[一1](?:起|次|件|例|项)[^，,；;。]*?[，,]?(?:扣减?|减)" + _NUM + r"分", t) or \
        re.search(r"每(?:发生|出现)?[一1](?:起|次|件|例|项).*?(?:扣减?|减)" + _NUM + r"分", t)
    if m:
        per = float(m.group(1))
    m = re.search(r"(?:合计|累计|最多|最高|总计)?(?:扣分|扣减|扣|减分)?(?:不超过|不超|以|上限)" + _NUM + r"分", t)
    if m:
        cap = float(m.group(1))
    return per, cap




def within(score: float | None, points: float | None) -> bool:
    """Helper for checks: a score lies within [0, points]."""
    return score is None or points is None or (is_value(score) and -1e-9 <= score <= points + 1e-9)
