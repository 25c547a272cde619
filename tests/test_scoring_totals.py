"""Totals of scores of record are exact sums (a leader adding up a column gets the total printed
under it). total_of takes a short way for figures that are decimals of at most six places (scores
of record always are: summed as integers of millionths, no Fraction made) and the exact Fraction
way for anything else; both must give the same float, to the last bit."""

from __future__ import annotations

import random
from fractions import Fraction

from kaohe_excel.assess import scoring as sc


def _by_fractions(xs) -> float:
    return float(sc.record(sc.exact_sum(sc.exact(x) for x in xs), lo=None))


def test_short_way_is_the_exact_sum():
    rnd = random.Random(14)
    for _ in range(20000):
        xs = [round(rnd.uniform(-60, 60), rnd.randint(0, 6)) for _ in range(rnd.randint(0, 9))]
        if rnd.random() < 0.3:
            xs.append(rnd.randint(-5, 5))
        got = sc.total_of(xs)
        assert got == _by_fractions(xs) and repr(got) == repr(_by_fractions(xs)), xs
    # a column of thirds settled to add up: 0.333334 + 0.333333 + 0.333333 is 1, not 0.9999999999
    assert sc.total_of(sc.settle([Fraction(1, 3)] * 3)) == 1.0
    assert sc.total_of([0.1, 0.2]) == 0.3 and sc.total_of([]) == 0.0 and repr(sc.total_of([-0.0])) == "0.0"


def test_other_figures_take_the_exact_way():
    # more than six places, huge, a bool, a Fraction: never summed as millionths
    for xs in ([1 / 3, 1 / 3, 1 / 3], [0.1234567, 0.0000001], [2e9, 0.5], [True, 0.5], [Fraction(1, 3), 0.5]):
        assert sc._micros(list(xs)) is None
        assert sc.total_of(xs) == _by_fractions(xs)
    assert sc.total_of([1 / 3] * 3) == 1.0  # each third read as the clerk's 0.3333333333333333
