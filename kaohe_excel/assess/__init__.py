"""assess: pure computation on model objects (no files, no Excel, no printing).

    intake.py     a month's submissions settled: whose file and whose figure count (the
                  one conflict rule), who reported, who is late, is the month ready
    month.py      one month assessed: values, ranks among the peers, scores, warnings
    ranking.py, scoring.py, warnings.py   the rules each of those follows
    scorecard.py  departments' scorecards and quarter/year periods
    results.py    what assess hands to write/ and the summaries (MonthResult …)

    from kaohe_excel.assess import assess_month, department_scorecard, period_scorecard
"""

from kaohe_excel.assess.month import assess_month, carry_history, comparison_group, peer_units
from kaohe_excel.assess.results import (COLOUR_LABELS, COMPUTED, GREEN, RED, REPORTED, YELLOW,
                                        CategorySubtotal, DepartmentCard, DepartmentLine,
                                        IndicatorResult, MonthResult, colour_label, rank_change_text)
from kaohe_excel.assess.scorecard import department_scorecard, months_in_period, period_scorecard

__all__ = ["assess_month", "carry_history", "comparison_group", "peer_units", "department_scorecard", "period_scorecard", "months_in_period",
           "MonthResult", "IndicatorResult", "CategorySubtotal", "DepartmentCard", "DepartmentLine",
           "RED", "YELLOW", "GREEN", "COLOUR_LABELS", "COMPUTED", "REPORTED", "colour_label",
           "rank_change_text"]
