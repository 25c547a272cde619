"""Red / yellow / green warnings (预警提示) by rank, by time progress, by completion rate.

Each rule is a small pure function; `month.py` picks the rule per indicator from the
config.  Percentages are in percent (95, not 0.95).
"""

from __future__ import annotations

import math
from fractions import Fraction

from kaohe_excel.assess.ranking import is_value
from kaohe_excel.assess.results import GREEN, RED, YELLOW
from kaohe_excel.model import LOWER

_EPS = 1e-9


def rank_thresholds(n: int, green: int | None = None, yellow: int | None = None) -> tuple[int, int]:
    """(last green rank, last yellow rank) for N counties: thirds rounded up unless set.
    6 -> (2, 4): 1-2 green, 3-4 yellow, 5-6 red (seed 001)."""
    n = max(int(n), 1)
    g = green if green is not None else math.ceil(n / 3)
    y = yellow if yellow is not None else math.ceil(2 * n / 3)
    return g, max(y, g)


def colour_by_rank(rank: int, n: int, green: int | None = None, yellow: int | None = None) -> str:
    g, y = rank_thresholds(n, green, yellow)
    if rank <= g:
        return GREEN
    if rank <= y:
        return YELLOW
    return RED


def tier_of_rank(rank: int, n: int, green: int | None = None, yellow: int | None = None) -> int:
    """第一/二/三方阵 as 1/2/3, by the same thresholds as the colours."""
    return {GREEN: 1, YELLOW: 2, RED: 3}[colour_by_rank(rank, n, green, yellow)]


def completion_ratio(actual: float | None, target: float | None, direction: str | None = None) -> Fraction | None:
    """Completion in percent, exactly (scores are computed from this, never from a rounded
    rate): actual/target×100; for lower-is-better target/actual×100. None when it cannot
    be computed (no value, no target, a target of 0 or less, or a lower-is-better actual
    of 0 or less)."""
    from kaohe_excel.assess.scoring import exact

    if not is_value(actual) or not is_value(target):
        return None
    a, t = exact(actual), exact(target)
    if direction == LOWER:
        if a <= 0 or t <= 0:
            return None
        return t / a * 100
    if t <= 0:
        return None
    return a / t * 100


def completion_rate(actual: float | None, target: float | None, direction: str | None = None) -> float | None:
    """completion_ratio for showing and colouring (six decimals)."""
    q = completion_ratio(actual, target, direction)
    return None if q is None else round(float(q), 6)


def expected_progress(month_no: int) -> float:
    """序时进度 in percent: month/12 (August -> 66.67)."""
    return round(month_no / 12 * 100, 6)


def colour_by_progress(completion: float, month_no: int, yellow_below: float = 10.0,
                       red_below: float = 30.0) -> str:
    """Green when the completion rate is less than `yellow_below` points below the time
    progress, yellow from `yellow_below` to `red_below` points below, red beyond."""
    gap = round(expected_progress(month_no) - completion, 6)
    if gap > red_below + _EPS:
        return RED
    if gap >= yellow_below - _EPS and gap > _EPS:
        return YELLOW
    return GREEN


def colour_by_completion(completion: float, green: float = 95.0, yellow: float = 85.0) -> str:
    if completion >= green - _EPS:
        return GREEN
    if completion >= yellow - _EPS:
        return YELLOW
    return RED


def completion_needed(next_colour: str, rule: str, month_no: int, *, yellow_below: float = 10.0,
                      red_below: float = 30.0, green: float = 95.0, yellow: float = 85.0) -> tuple[float, bool]:
    """(completion %, strict) needed for `next_colour` under the progress or completion rule;
    strict=True means the completion must be above the number, not equal to it."""
    if rule == "progress":
        exp = expected_progress(month_no)
        if next_colour == YELLOW:
            return round(exp - red_below, 6), False
        return round(exp - yellow_below, 6), yellow_below > 0
    return (green if next_colour == GREEN else yellow), False


def value_for_completion(completion: float, target: float, direction: str | None) -> float | None:
    """The actual value that gives `completion` % of `target` (inverse of completion_rate)."""
    if direction == LOWER:
        if completion <= 0:
            return None
        return target * 100 / completion
    return target * completion / 100


def better_colour(colour: str) -> str | None:
    return {RED: YELLOW, YELLOW: GREEN}.get(colour)
