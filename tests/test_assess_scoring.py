"""Scoring methods, each with a hand-worked example, and the bounds they must keep."""

import pytest
from hypothesis import given, strategies as st

from kaohe_excel.assess.scoring import (all_or_nothing_score, bonus_amount, completion_score,
                                        deduction_amount, efficacy_score, efficacy_share,
                                        parse_deduction_text, rank_steps_score)

points_st = st.floats(min_value=0, max_value=200, allow_nan=False)
value_st = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)


def test_rank_steps_hand_worked():
    # 5 points, 5 % per place: 1st 5, 2nd 5×0.95 = 4.75, 3rd 5×0.90 = 4.5, 6th 5×0.75 = 3.75
    assert rank_steps_score(5, 1) == 5
    assert rank_steps_score(5, 2) == 4.75
    assert rank_steps_score(5, 3) == 4.5
    assert rank_steps_score(5, 6) == 3.75
    # 2 points, 10 % per place, 4th: 2 × (1 − 0.3) = 1.4
    assert rank_steps_score(2, 4, 10) == 1.4
    # never below zero: 3 points, 30 % per place, 5th: 1 − 1.2 < 0 -> 0
    assert rank_steps_score(3, 5, 30) == 0


def test_efficacy_hand_worked():
    # values 8.0 (best) … 5.0 (worst), ours 6.2, 5 points:
    # d = 60 + 40 × (6.2 − 5.0)/(8.0 − 5.0) = 60 + 40 × 0.4 = 76 -> 5 × 0.76 = 3.8
    assert efficacy_score(5, 6.2, best=8.0, worst=5.0) == pytest.approx(3.8)
    # reverse (PM2.5): lowest 38 is best, highest 50 worst, ours 42, 2 points:
    # d = 60 + 40 × (42 − 50)/(38 − 50) = 60 + 40 × 8/12 = 86.6667 -> 2 × 0.866667 = 1.733333
    assert efficacy_score(2, 42, best=38, worst=50) == pytest.approx(1.733333, abs=1e-6)
    assert efficacy_score(2, 38, best=38, worst=50) == 2  # the best gets full points
    assert efficacy_score(2, 50, best=38, worst=50) == 1.2  # the worst gets 60 %
    assert efficacy_share(7, 7, 7) == 100  # all equal: full


def test_completion_hand_worked():
    # 4 points, 6.2 of target 8 = 77.5 % -> 4 × 0.775 = 3.1
    assert completion_score(4, 77.5) == 3.1
    # over-completion capped at 100 % -> 4
    assert completion_score(4, 130) == 4
    # cap 120 %: 4 × 1.2 = 4.8
    assert completion_score(4, 130, 120) == 4.8
    assert completion_score(4, -20) == 0


def test_all_or_nothing_hand_worked():
    assert all_or_nothing_score(3, 100) == 3
    assert all_or_nothing_score(3, 99.9) == 0
    assert all_or_nothing_score(3, 150) == 3


def test_deductions_hand_worked_seed_000():
    # 每发生一起扣10分，合计扣分不超过30分: 2 events 20, 4 events 40 -> capped 30
    assert deduction_amount(2, 10, 30) == 20
    assert deduction_amount(4, 10, 30) == 30
    # 每发生一起银行挤兑事件，扣40分，合计扣分不超过80分: 3 events 120 -> 80
    assert deduction_amount(3, 40, 80) == 80
    assert deduction_amount(0, 40, 80) == 0
    assert deduction_amount(3, 1.3, None) == pytest.approx(3.9)  # 扣1.3分 per event, no cap
    assert bonus_amount(3, 0.5, 1) == 1
    assert bonus_amount(1, 0.5, 1) == 0.5


def test_parse_deduction_text_seed_000():
    a = ("发生跨省进京、具有较大社会影响金融领域信访涉稳事件的；因防范处置工作不力，导致区域非法集资形势恶化"
         "或爆发在国家级及省内影响恶劣的非法集资案件的，每发生一起扣10分，合计扣分不超过30分。")
    assert parse_deduction_text(a) == (10, 30)
    assert parse_deduction_text("每发生一起银行挤兑事件，扣40分，合计扣分不超过80分。") == (40, 80)
    assert parse_deduction_text("重大群体性事件") == (None, None)


@given(points_st, st.integers(min_value=1, max_value=200), st.floats(min_value=0, max_value=100))
def test_rank_steps_within_points_and_monotone(points, rank, step):
    s = rank_steps_score(points, rank, step)
    assert 0 <= s <= points + 1e-9
    assert rank_steps_score(points, rank + 1, step) <= s + 1e-9


@given(points_st, st.lists(value_st, min_size=1, max_size=8), st.integers(min_value=0, max_value=7),
       st.booleans())
def test_efficacy_within_points(points, values, i, lower):
    x = values[i % len(values)]
    best, worst = (min(values), max(values)) if lower else (max(values), min(values))
    s = efficacy_score(points, x, best, worst)
    assert 0.6 * points - 1e-6 <= s <= points + 1e-6


@given(points_st, st.floats(min_value=-1e4, max_value=1e4, allow_nan=False))
def test_completion_and_all_or_nothing_within_points(points, completion):
    assert 0 <= completion_score(points, completion) <= points + 1e-9
    assert all_or_nothing_score(points, completion) in (0, points)


@given(st.floats(min_value=-5, max_value=1000), st.floats(min_value=0, max_value=100),
       st.one_of(st.none(), st.floats(min_value=0, max_value=500)))
def test_deduction_never_exceeds_cap(events, per_event, cap):
    d = deduction_amount(events, per_event, cap)
    assert d >= 0
    if cap is not None:
        assert d <= cap + 1e-9
    assert d <= max(events, 0) * per_event + 1e-6
