"""Warning rules with hand-worked examples; a better rank never gets a worse colour."""

from hypothesis import given, strategies as st

from kaohe_excel.assess.results import COLOUR_ORDER, GREEN, RED, YELLOW
from kaohe_excel.assess.warnings import (colour_by_completion, colour_by_progress, colour_by_rank,
                                         completion_needed, completion_rate, expected_progress,
                                         rank_thresholds, value_for_completion)
from kaohe_excel.model import HIGHER, LOWER


def test_rank_rule_six_counties_seed_001():
    # 排名1-2名绿色，3-4名黄色，5-6名红色
    assert [colour_by_rank(r, 6) for r in range(1, 7)] == [GREEN, GREEN, YELLOW, YELLOW, RED, RED]


def test_rank_thresholds_thirds():
    assert rank_thresholds(6) == (2, 4)
    assert rank_thresholds(9) == (3, 6)
    assert rank_thresholds(7) == (3, 5)  # ceil(7/3) = 3, ceil(14/3) = 5
    assert rank_thresholds(3) == (1, 2)
    assert rank_thresholds(6, green=1, yellow=3) == (1, 3)
    assert [colour_by_rank(r, 6, 1, 3) for r in (1, 2, 3, 4)] == [GREEN, YELLOW, YELLOW, RED]


def test_progress_rule_hand_worked():
    # August: 序时进度 = 8/12 = 66.67 %
    assert round(expected_progress(8), 2) == 66.67
    assert colour_by_progress(70, 8) == GREEN  # above progress
    assert colour_by_progress(60, 8) == GREEN  # 6.67 points below: less than 10
    assert colour_by_progress(50, 8) == YELLOW  # 16.67 below: 10–30
    assert colour_by_progress(36.67, 8) == YELLOW  # 30.0 below: still yellow
    assert colour_by_progress(36, 8) == RED  # 30.67 below: more than 30
    # June, 50 %: exactly 10 below (40 %) is yellow
    assert colour_by_progress(40, 6) == YELLOW
    assert colour_by_progress(40.01, 6) == GREEN


def test_completion_rule_hand_worked():
    # 6.2 of target 8: 77.5 % -> red; 7.2 of 8: 90 % -> yellow; 7.6 of 8: 95 % -> green
    assert completion_rate(6.2, 8) == 77.5
    assert colour_by_completion(completion_rate(6.2, 8)) == RED
    assert colour_by_completion(completion_rate(7.2, 8)) == YELLOW
    assert colour_by_completion(completion_rate(7.6, 8)) == GREEN
    assert colour_by_completion(85) == YELLOW
    # reverse: PM2.5 target 45, actual 50: 45/50 = 90 %
    assert completion_rate(50, 45, LOWER) == 90
    assert completion_rate(5, 0) is None and completion_rate(None, 8) is None


def test_values_to_reach_by_completion():
    # completion rule, target 8: yellow needs 85 % = 6.8, green 95 % = 7.6
    need, strict = completion_needed(YELLOW, "completion", 8)
    assert (need, strict) == (85, False) and value_for_completion(need, 8, HIGHER) == 6.8
    # progress rule in June (50 %): yellow needs 50 − 30 = 20 %, green more than 40 %
    assert completion_needed(YELLOW, "progress", 6) == (20, False)
    assert completion_needed(GREEN, "progress", 6) == (40, True)
    # reverse target 45: 90 % needs 45/0.9 = 50
    assert value_for_completion(90, 45, LOWER) == 50


@given(st.integers(min_value=1, max_value=60), st.data())
def test_better_rank_never_worse_colour(n, data):
    r1 = data.draw(st.integers(min_value=1, max_value=n))
    r2 = data.draw(st.integers(min_value=r1, max_value=n))
    g = data.draw(st.one_of(st.none(), st.integers(min_value=1, max_value=n)))
    y = data.draw(st.one_of(st.none(), st.integers(min_value=g or 1, max_value=n)))
    assert COLOUR_ORDER[colour_by_rank(r1, n, g, y)] <= COLOUR_ORDER[colour_by_rank(r2, n, g, y)]
    assert colour_by_rank(1, n, g, y) == GREEN


@given(st.integers(min_value=1, max_value=12), st.floats(min_value=-100, max_value=300),
       st.floats(min_value=0, max_value=100))
def test_higher_completion_never_worse_colour(month, c, more):
    assert COLOUR_ORDER[colour_by_progress(c + more, month)] <= COLOUR_ORDER[colour_by_progress(c, month)]
    assert COLOUR_ORDER[colour_by_completion(c + more)] <= COLOUR_ORDER[colour_by_completion(c)]
