"""Ranks among peers: competition ranking, either direction, missing values never ranked."""

import math

from hypothesis import assume, given, strategies as st

from kaohe_excel.assess.ranking import (FROM_CONFIG, FROM_DEFAULT, FROM_NAME, FROM_PEERS, FROM_SYSTEM,
                                        competition_ranks, guess_direction, leader, ordered_keys, rank_among,
                                        rank_in,
                                        resolve_direction, value_to_reach)
from kaohe_excel.model import HIGHER, LOWER

COUNTIES = ["舞钢市", "汝州市", "宝丰县", "叶县", "鲁山县", "郏县", "新华区", "卫东区"]
values_st = st.one_of(st.none(), st.sampled_from([1.5, 2.0, 6.2, -3.1, 0.0]),
                      st.floats(min_value=-1e6, max_value=1e6, allow_nan=False))
table_st = st.lists(values_st, min_size=1, max_size=len(COUNTIES)).map(
    lambda vs: dict(zip(COUNTIES, vs)))
direction_st = st.sampled_from([HIGHER, LOWER])


def sorted_rank(values, direction):
    """Independent oracle: sort, a county's rank is 1 + the index of the first equal value."""
    present = sorted((v for v in values.values() if v is not None), reverse=(direction == HIGHER))
    return {c: present.index(v) + 1 for c, v in values.items() if v is not None}


def test_ties_share_the_best_rank_1_2_2_4():
    vals = {"A": 9.0, "B": 7.0, "C": 7.0, "D": 5.0}
    assert competition_ranks(vals, HIGHER) == {"A": 1, "B": 2, "C": 2, "D": 4}
    # reverse: lower is better -> D first, B and C share 2, A fourth
    assert competition_ranks(vals, LOWER) == {"D": 1, "B": 2, "C": 2, "A": 4}


def test_missing_values_are_not_ranked_and_not_zero():
    vals = {"A": 1.0, "B": None, "C": -2.0, "D": float("nan"), "E": 0.5}
    ranks = competition_ranks(vals, HIGHER)
    assert ranks == {"A": 1, "E": 2, "C": 3}  # B and D absent; -2 still last, not beaten by a zero
    assert "B" not in ranks and "D" not in ranks


def test_equal_values_parsed_differently_tie():
    # 0.1 + 0.2 and 0.3 are the same written value
    assert competition_ranks({"A": 0.1 + 0.2, "B": 0.3, "C": 0.2}) == {"A": 1, "B": 1, "C": 3}


@given(table_st, direction_st)
def test_competition_ranks_match_the_sorted_oracle(values, direction):
    values = {c: v for c, v in values.items()}
    # the oracle compares exactly; keep values that are distinct at ten digits or exactly equal
    present = [v for v in values.values() if v is not None]
    keys = {float(f"{v:.10g}") for v in present}
    assume(len(keys) == len(set(present)))
    assert competition_ranks(values, direction) == sorted_rank(values, direction)


@given(table_st, direction_st, st.floats(-1e6, 1e6, allow_nan=False))
def test_rank_in_is_rank_among_by_one_sort(values, direction, extra):
    # the view from above ranks each unit's estimated total among the group's by bisection
    others = list(values.values()) + [float("nan"), float("inf"), 0.1 + 0.2]
    for v in [extra, 0.3] + [x for x in others if x is not None and math.isfinite(x)]:
        assert rank_in(v, ordered_keys(others), direction) == rank_among(v, others, direction)


@given(table_st, direction_st)
def test_rank_properties(values, direction):
    ranks = competition_ranks(values, direction)
    present = {c for c, v in values.items() if v is not None}
    assert set(ranks) == present
    if ranks:
        assert min(ranks.values()) == 1
        assert max(ranks.values()) <= len(ranks)
    for a in ranks:
        for b in ranks:
            ka, kb = float(f"{values[a]:.10g}"), float(f"{values[b]:.10g}")
            if ka == kb:  # equal as written to ten digits: a tie
                assert ranks[a] == ranks[b]
            elif (ka > kb) == (direction == HIGHER):
                assert ranks[a] < ranks[b]
    # competition ranking: a rank r shared by k counties means the next rank is r + k
    for r in set(ranks.values()):
        k = sum(1 for x in ranks.values() if x == r)
        bigger = [x for x in ranks.values() if x > r]
        if bigger:
            assert min(bigger) == r + k


@given(table_st)
def test_reversing_direction_reverses_order(values):
    up = competition_ranks(values, HIGHER)
    down = competition_ranks(values, LOWER)
    for a in up:
        for b in up:
            assert (up[a] < up[b]) == (down[a] > down[b])
            assert (up[a] == up[b]) == (down[a] == down[b])


@given(table_st, direction_st, st.integers(min_value=1, max_value=8))
def test_value_to_reach_really_reaches_the_rank(values, direction, target):
    got = value_to_reach(values, target, direction)
    present = [v for v in values.values() if v is not None]
    if len(present) < target:
        assert got is None
        return
    v, county = got
    assert values[county] == v
    # tying the value gives the target rank or better; anything strictly worse does not
    assert rank_among(v, present, direction) <= target
    worse = v - 1 if direction == HIGHER else v + 1
    if math.isfinite(worse) and abs(worse - v) > 1e-6 * max(1, abs(v)):
        assert rank_among(worse, present, direction) > target


def test_leader_first_in_order_among_equals():
    assert leader({"A": 3.0, "B": 5.0, "C": 5.0}) == ("B", 5.0)
    assert leader({"A": 3.0, "B": 5.0, "C": None}, LOWER) == ("A", 3.0)
    assert leader({"A": None}) is None


def test_direction_precedence():
    assert resolve_direction(LOWER, HIGHER, HIGHER, "x") == (LOWER, FROM_PEERS)
    assert resolve_direction(None, LOWER, HIGHER, "x") == (LOWER, FROM_SYSTEM)
    assert resolve_direction(None, None, LOWER, "x") == (LOWER, FROM_CONFIG)
    assert resolve_direction(None, None, None, "PM2.5平均浓度") == (LOWER, FROM_NAME)
    assert resolve_direction(None, None, None, "PM2.5平均浓度", guess=False) == (HIGHER, FROM_DEFAULT)
    assert resolve_direction(None, None, None, "地区生产总值增速", default=LOWER) == (LOWER, FROM_DEFAULT)


def test_guess_direction_from_names():
    assert guess_direction("PM2.5 平均浓度") == LOWER
    assert guess_direction("不良贷款率") == LOWER
    assert guess_direction("较大及以上生产安全事故") == LOWER
    assert guess_direction("万元GDP能耗下降率") == HIGHER  # a rate of decrease: higher is better
    assert guess_direction("单位工业增加值用水量降低率") == HIGHER
    assert guess_direction("空气质量优良天数比例") == HIGHER
    assert guess_direction("地区生产总值增速") is None
    for lower in ("万元工业增加值用水量", "每万人刑事案件立案数", "工程建设项目审批时间", "拖欠农民工工资案件",
                  "规上工业企业亏损面", "二氧化碳排放强度", "群众信访投诉量"):
        assert guess_direction(lower) == LOWER, lower
    for higher in ("违法案件查处率", "政务服务事项办结率", "信访事项按期办结率", "群众安全感满意度",
                   "刑事案件破案率", "一般工业固体废物综合利用率"):
        assert guess_direction(higher) == HIGHER, higher


def test_a_place_held_by_a_tie_is_named_by_the_first_of_the_tie_as_the_leader_is():
    """Five units tied at the top (helper-31's 岚州市, item 14): 得分测算's 第一名 and the
    bulletin's 追平目前第1位的… name the same unit."""
    from kaohe_excel.assess.ranking import best_first, leader, reach_in

    values = {"栖凤区": 90, "澄湖区": 100, "雁栖县": 100, "枫渡县": 100, "鹤川县": 100, "青萝县": 100, "云雾县": 80}
    ordered = best_first(values)
    assert leader(values)[0] == "澄湖区"
    assert reach_in(ordered, 3, leave_out="栖凤区") == (100, "澄湖区")
    assert reach_in(ordered, 6, leave_out="栖凤区") == (80, "云雾县")
    assert reach_in(ordered, 2, leave_out="澄湖区") == (100, "雁栖县")  # (our own unit is never the one to reach)
