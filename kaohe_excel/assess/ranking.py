"""Ranks among peer counties: competition ranking (1, 2, 2, 4), either direction.

A missing value (None, NaN, infinity) is never ranked and never treated as zero.
Values equal to ten significant digits tie, so 6.2 parsed from '6.2' and from '6.20%'
share a place.
"""

from __future__ import annotations

import bisect
import functools
import math
import re
from collections.abc import Iterable, Mapping

from kaohe_excel.model import HIGHER, LOWER

# Where a direction came from (shown to the clerk).
FROM_PEERS = "六县市数据"
FROM_SYSTEM = "指标体系"
FROM_CONFIG = "kaohe.toml"
FROM_NAME = "名称推断"
FROM_DEFAULT = "默认"


def is_value(x) -> bool:
    """A usable number: not None, not NaN, not infinite, not a bool."""
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def _key(x: float) -> float:
    """The value as compared for ties: ten significant digits."""
    return float(f"{x:.10g}")


def better(a: float, b: float, direction: str = HIGHER) -> bool:
    """True when a is strictly better than b."""
    a, b = _key(a), _key(b)
    return a < b if direction == LOWER else a > b


def rank_among(value: float, others: Iterable[float | None], direction: str = HIGHER) -> int:
    """The competition rank `value` would take among `others` (missing ones ignored):
    1 + the number of strictly better values."""
    return 1 + sum(1 for o in others if is_value(o) and better(o, value, direction))


def ordered_keys(values: Iterable[float | None]) -> list[float]:
    """The values (missing ones left out) as compared for ties, in ascending order: for rank_in."""
    return sorted(_key(v) for v in values if is_value(v))


def rank_in(value: float, keys: list[float], direction: str = HIGHER) -> int:
    """rank_among(value, the values of `keys`) by bisection: one sort serves a whole group of units."""
    k = _key(value)
    if direction == LOWER:
        return 1 + bisect.bisect_left(keys, k)
    return 1 + len(keys) - bisect.bisect_right(keys, k)


def competition_ranks(values: Mapping[str, float | None], direction: str = HIGHER) -> dict[str, int]:
    """county -> rank for every county with a value; ties share the best rank (the same
    places as rank_among gives each, by one sort: a province ranks 120 units per indicator)."""
    present = [(k, _key(v)) for k, v in values.items() if is_value(v)]
    order = sorted(present, key=(lambda kv: kv[1]) if direction == LOWER else (lambda kv: -kv[1]))
    place: dict[str, int] = {}
    prev, at = None, 0
    for i, (k, v) in enumerate(order, 1):
        if v != prev:
            prev, at = v, i
        place[k] = at
    return {k: place[k] for k, _v in present}


def leader(values: Mapping[str, float | None], direction: str = HIGHER) -> tuple[str, float] | None:
    """The best county and its value (the first in order among equals), or None."""
    best = None
    for k, v in values.items():
        if is_value(v) and (best is None or better(v, best[1], direction)):
            best = (k, v)
    return best


def best_worst(values: Iterable[float | None], direction: str = HIGHER) -> tuple[float, float] | None:
    vals = [v for v in values if is_value(v)]
    if not vals:
        return None
    return (min(vals), max(vals)) if direction == LOWER else (max(vals), min(vals))


def value_to_reach(others: Mapping[str, float | None], target_rank: int,
                   direction: str = HIGHER) -> tuple[float, str] | None:
    """The value our county must reach (a tie is enough) to stand at `target_rank` or
    better, given the other counties' values: the target_rank-th best of them.
    None when fewer than target_rank others have a value (the place is already ours)."""
    return reach_in(best_first(others, direction), target_rank)


def best_first(values: Mapping[str, float | None], direction: str = HIGHER) -> list[tuple[str, float]]:
    """(county, value) for every county with a value, best first (equal values in their order)."""
    present = [(k, v) for k, v in values.items() if is_value(v)]
    present.sort(key=lambda kv: _key(kv[1]), reverse=(direction != LOWER))
    return present


def reach_in(ordered: list[tuple[str, float]], target_rank: int,
             leave_out: str | None = None) -> tuple[float, str] | None:
    """value_to_reach on the others, already ordered by best_first: the `target_rank`-th of
    them, `leave_out` (our own unit) skipped. Every unit of a province reuses one sort, and
    walks only down to the place it aims at. Of units tied at that value the first is named, as
    `leader` names the first of those tied at the top (one name for one place in every report)."""
    if target_rank < 1:
        return None
    k = 0
    first_of: tuple[float, str] | None = None  # the first other unit holding the value at hand
    for county, value in ordered:
        if county == leave_out:
            continue
        k += 1
        if first_of is None or first_of[0] != value:
            first_of = (value, county)
        if k == target_rank:
            return first_of
    return None


def place_at(ordered: list[tuple[str, float]], value: float, leave_out: str | None = None) -> int:
    """The place a unit takes with one of the others' values (ordered by best_first): ties share
    the best place, so reaching a value two units hold is their place, not the next."""
    k = 1
    for county, v in ordered:
        if county == leave_out:
            continue
        if v == value:
            return k
        k += 1
    return k


# Names that mean lower is better, unless the name is itself a rate of improvement.
_LOWER_WORDS = re.compile(r"浓度|不良贷款|失业率|债务率|能耗|水耗|用水量|事故|死亡|发案|案件数|立案数|逆向|投诉|超标|负债率|"
                          r"排放量|排放强度|赤字|欠薪|拖欠|亏损|火灾|返贫|空置率|审批时间|审批时限|办理时限|办理时长|"
                          r"平均用时|逾期|差评|违法|违规|PM10|噪声")
_HIGHER_WORDS = re.compile(r"下降率|降低率|下降幅度|降幅|改善率|改善幅度|减少率|压减率|优良|达标|合格|覆盖率|化解|完成率|结案率|"
                           r"办结率|查处率|破案率|处置率|整改率|清偿率|满意度|满意率|回收率|利用率")
# 不合格率, 未达标断面数, 不满意: a higher-is-better word denied names what is to be fewer (but
# 不合格产品整改率 is still a rate of putting it right)
_DENIED_HIGHER = re.compile(r"(?:不|未|非|没有?)(?:" + _HIGHER_WORDS.pattern + ")")


@functools.lru_cache(maxsize=4096)  # asked for every unit of a province on every indicator
def guess_direction(name: str) -> str | None:
    """LOWER when the name reads as lower-is-better (PM2.5浓度, 不良贷款率, 安全事故),
    HIGHER when it reads as a rate of improvement, None when it says nothing."""
    n = re.sub(r"\s+", "", name or "")
    if _HIGHER_WORDS.search(_DENIED_HIGHER.sub("", n)):
        return HIGHER
    if _LOWER_WORDS.search(n) or _DENIED_HIGHER.search(n):
        return LOWER
    return None


def resolve_direction(peer_direction: str | None, system_direction: str | None,
                      config_direction: str | None, name: str, default: str = HIGHER,
                      guess: bool = True) -> tuple[str, str]:
    """(direction, source): the peer sheet, else the indicator system, else kaohe.toml's
    per-indicator setting, else a guess from the name, else the configured default."""
    for d, src in ((peer_direction, FROM_PEERS), (system_direction, FROM_SYSTEM),
                   (config_direction, FROM_CONFIG)):
        if d in (HIGHER, LOWER):
            return d, src
    if guess:
        g = guess_direction(name)
        if g == LOWER:
            return LOWER, FROM_NAME
    return (default if default in (HIGHER, LOWER) else HIGHER), FROM_DEFAULT
