"""Scoring methods: rank steps, efficacy coefficient, target completion, all-or-nothing;
deductions per event with a cap, bonuses with a cap.  Pure arithmetic on plain numbers.
"""

from __future__ import annotations

import re

from kaohe_excel.assess.ranking import is_value

RANK_STEPS = "rank_steps"
EFFICACY = "efficacy"
COMPLETION = "completion"
ALL_OR_NOTHING = "all_or_nothing"
NONE = "none"
METHOD_LABELS = {RANK_STEPS: "按名次递减", EFFICACY: "功效系数法", COMPLETION: "按目标完成比例",
                 ALL_OR_NOTHING: "完成得满分", NONE: "不计分"}
NEEDS_PEERS = {EFFICACY}  # methods that need every peer's value
NEEDS_TARGET = {COMPLETION, ALL_OR_NOTHING}


def _r(x: float, hi: float | None = None) -> float:
    """Scores read best as 4.75, not 4.749999999; rounding never leaves [0, hi]."""
    x = round(x, 9)
    if hi is not None:
        x = min(x, hi)
    x = max(x, 0.0)
    return 0.0 if x == 0 else x


def rank_steps_score(points: float, rank: int, step_pct: float = 5.0) -> float:
    """First place full points, each place below `step_pct` % of the points less, never
    below zero.  rank 3, 5 points, 5 %: 5 × (1 − 0.05 × 2) = 4.5."""
    if rank < 1:
        raise ValueError("rank must be 1 or more")
    share = max(0.0, 1.0 - step_pct / 100.0 * (rank - 1))
    return _r(points * share, points)


def efficacy_share(x: float, best: float, worst: float, base: float = 60.0, span: float = 40.0) -> float:
    """功效系数 d = base + span × (x − worst)/(best − worst), in percent, kept within
    [base, base + span].  For 逆向 pass best = the lowest value and worst = the highest:
    the same formula then rewards low values.  All counties equal: d = base + span."""
    if best == worst:
        return base + span
    d = base + span * (x - worst) / (best - worst)
    return min(max(d, base), base + span)


def efficacy_score(points: float, x: float, best: float, worst: float, base: float = 60.0,
                   span: float = 40.0) -> float:
    return _r(points * efficacy_share(x, best, worst, base, span) / 100.0, points)


def completion_score(points: float, completion_pct: float, cap_pct: float = 100.0) -> float:
    """points × min(completion, cap), completion below zero counting as zero."""
    share = min(max(completion_pct, 0.0), cap_pct) / 100.0
    return _r(points * share, points * max(cap_pct, 100.0) / 100.0)


def all_or_nothing_score(points: float, completion_pct: float) -> float:
    """Full points when the target is met (completion ≥ 100 %), else zero."""
    return float(points) if completion_pct >= 100.0 - 1e-9 else 0.0


def capped_amount(count: float, per_event: float, cap: float | None) -> float:
    """count × per_event, at least zero, at most cap (when there is one)."""
    amount = max(count, 0.0) * abs(per_event)
    return _r(amount, abs(cap) if cap is not None else None)


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
    m = re.search(r"每(?:发生|出现)?一(?:起|次|件|例|项)[^，,；;。]*?[，,]?(?:扣减?|减)" + _NUM + r"分", t) or \
        re.search(r"每(?:发生|出现)?一(?:起|次|件|例|项).*?(?:扣减?|减)" + _NUM + r"分", t)
    if m:
        per = float(m.group(1))
    m = re.search(r"(?:合计|累计|最多|最高|总计)?(?:扣分|扣减|扣|减分)?(?:不超过|不超|以|上限)" + _NUM + r"分", t)
    if m:
        cap = float(m.group(1))
    return per, cap


def within(score: float | None, points: float | None) -> bool:
    """Helper for checks: a score lies within [0, points]."""
    return score is None or points is None or (is_value(score) and -1e-9 <= score <= points + 1e-9)
