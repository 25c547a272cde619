"""The view from above: every unit of the peer data assessed with its own targets, points and
`---`, put side by side in one league table (排名总表).

Each unit's figures are its own MonthResult (assess_month with that unit as the county), so
a unit's line here and the reports written for that unit are the same figures. Units are
ranked by 折算得分 (score over the unit's own full marks × 100): units with `---` items or
their own points have different full marks, and the share earned is what compares them; where
every unit has the same full marks this is the order of the raw totals. A unit where a
constraint happened (约束条件) has no place."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from kaohe_excel.assess import ranking as rk
from kaohe_excel.assess.results import MonthResult, colour_label, group_label, rank_change_text
from kaohe_excel.model import HIGHER, IndicatorKey, decimal_fraction
from kaohe_excel.text import same_county


@dataclass
class LeagueCell:
    """One unit on one indicator."""

    unit: str
    display: str  # the figure as every report shows it (增长6.2%, 不考核, 无数据)
    actual: float | None
    rank: int | None
    colour: str | None
    score: float | None
    points: float | None  # what this unit can earn here (None: not assessed or no points)
    target: float | None
    not_assessed: bool
    prev_rank: int | None
    rank_change: int | None
    target_text: str = ""  # a target in words, where there is no number
    rule: str = ""  # the colour's rule (rank, progress, completion), as the unit's own result says
    group_size: int = 0  # the units its rank is out of
    rank_thresholds: tuple[int, int] | None = None  # the item's own (last green, last yellow) place

    @property
    def rank_change_text(self) -> str:
        return rank_change_text(self.rank_change)

    @property
    def colour_label(self) -> str:
        return colour_label(self.colour)


@dataclass
class LeagueIndicator:
    key: IndicatorKey
    no: int | None
    name: str
    category: str
    kind: str
    direction: str
    unit: str  # the unit of its figures (%, 个)
    cells: list[LeagueCell] = field(default_factory=list)  # best rank first, then the units without one
    method: str = ""  # how it is scored (scoring.RANK_STEPS, …; the kind for events)


@dataclass
class LeagueSubtotal:
    category: str
    score: float
    points: float
    rank: int | None = None  # place in the category, by the share of its points earned (None: nothing scored)
    scored: bool = True  # some of the category's points were scored this month (else no place in it)

    @property
    def rate(self) -> float | None:
        """Score over the unit's own full marks in the category, × 100."""
        return rate_of(self.score, self.points)


@dataclass
class LeagueRow:
    """One unit overall."""

    unit: str
    total: float
    total_points: float
    rate: float | None  # 折算得分: total / total_points × 100
    rank: int | None  # None: excluded (a constraint happened) or nothing scored this month
    excluded: bool
    exclusion_reasons: list[str]
    subtotals: list[LeagueSubtotal]
    colours: dict  # green/yellow/red/none counts (MonthResult.colour_counts)
    unscored: int  # indicators without a score this month
    prev_rank: int | None = None
    rank_change: int | None = None  # positive = up
    note: str = ""  # why the unit has no place (说明): its constraint, or no figure scored this month

    @property
    def rank_change_text(self) -> str:
        return rank_change_text(self.rank_change)


@dataclass
class League:
    month: str
    system_title: str | None
    units: list[str]
    group_label: str
    categories: list[str]
    rows: list[LeagueRow]  # by overall rank; excluded units last
    indicators: list[LeagueIndicator]
    results: dict[str, MonthResult]  # unit -> its own assessment
    prev_month: str | None = None
    peer_period: str | None = None
    notes: list[str] = field(default_factory=list)

    def row_of(self, unit: str) -> LeagueRow:
        return next(r for r in self.rows if r.unit == unit)

    def to_json(self) -> dict:
        def row(r: LeagueRow) -> dict:
            return {"unit": r.unit, "rank": r.rank, "total": r.total, "total_points": r.total_points,
                    "rate": r.rate, "excluded": r.excluded, "exclusion_reasons": list(r.exclusion_reasons),
                    "prev_rank": r.prev_rank, "rank_change": r.rank_change, "unscored": r.unscored, "note": r.note,
                    "colours": {k if k is not None else "none": v for k, v in r.colours.items()},
                    "subtotals": [{"category": s.category, "score": s.score, "points": s.points, "rank": s.rank}
                                  for s in r.subtotals]}

        def ind(i: LeagueIndicator) -> dict:
            return {"key": i.key.to_json(), "no": i.no, "name": i.name, "category": i.category, "kind": i.kind,
                    "direction": i.direction, "unit": i.unit, "method": i.method,
                    "cells": [{"unit": c.unit, "display": c.display, "actual": c.actual, "rank": c.rank,
                               "colour": c.colour, "score": c.score, "points": c.points, "target": c.target,
                               "target_text": c.target_text, "not_assessed": c.not_assessed, "prev_rank": c.prev_rank,
                               "rank_change": c.rank_change} for c in i.cells]}

        return {"month": self.month, "system_title": self.system_title, "units": list(self.units),
                "group_label": self.group_label, "categories": list(self.categories),
                "prev_month": self.prev_month, "peer_period": self.peer_period, "notes": list(self.notes),
                "rows": [row(r) for r in self.rows], "indicators": [ind(i) for i in self.indicators]}


def rate_of(score: float, points: float) -> float | None:
    """折算得分: score over the unit's own full marks × 100 (None without full marks), worked
    out on the figures as printed (38.55 / 40 is 96.375, not 96.37499999999999)."""
    if not points:
        return None
    return float(decimal_fraction(score) / decimal_fraction(points) * 100)


def rate_shown(rate: float | None) -> float | None:
    """折算得分 to two places as Excel's ROUND gives it (half up: 96.375 is 96.38), so a leader who
    works it out from 得分 and 满分 in Excel gets the figure printed."""
    if rate is None:
        return None
    return float(Decimal(repr(rate)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _overall_ranks(results: Mapping[str, MonthResult]) -> dict[str, int]:
    """unit -> place by 折算得分 (competition ranking); units with a constraint have none, nor
    units with nothing scored this month (a month whose data could not be read is no 0 分 tie
    for 第1名, and no 上月名次 for the month after)."""
    rates = {u: rate_of(r.total, r.total_points) for u, r in results.items() if not r.excluded and scored(r)}
    return rk.competition_ranks(rates, HIGHER)


def scored(res) -> bool:
    """Some of the unit's points were scored this month (a figure ranked or measured)."""
    return _some_scored(res.total_points, res.unscored_points)


def _some_scored(points: float, unscored_points: float) -> bool:
    return points > 0 and unscored_points < points - 1e-9


def unplaced_note(res: MonthResult) -> str:
    """Why a unit has no place in the league ("" when it has one), as its 说明 and its own reports say."""
    if res.excluded:
        return "；".join(res.exclusion_reasons) or "本单位发生约束条件事项，不参与排名"
    if not scored(res):
        return f"本单位本月没有可计分的数据（{len(res.unscored)}项指标无数值、文字报送或未报送），不参与排名"
    return ""


def unscored_note(res: MonthResult) -> str:
    """A placed unit's items without a score this month, which its full marks still count (a figure
    missing is no better than a low one): said beside its place, which they lower."""
    if not res.unscored or not res.unscored_points:
        return ""
    return (f"{len(res.unscored)}项指标（共{round(res.unscored_points, 6):g}分）本月未计分（暂无数据、文字报送或未报送），"
            "计入满分、不得分")


def settle_places(results: Mapping[str, MonthResult]) -> None:
    """Each unit's place is its place in the league: the estimate a county makes alone (its total
    on the items every unit has) is not what the office above ranks by, and every report of the
    run, the unit's own included, must say the place the league prints."""
    places = _overall_ranks(results)
    for u, res in results.items():
        res.estimated_rank = places.get(u)
        res.estimate_note = (f"按折算得分（得分÷本单位满分×100）在{len(results)}个单位中排名"
                             + ("；本单位发生约束条件事项，不参与排名" if res.excluded else
                                f"；{unplaced_note(res)}" if not scored(res) else ""))


def league_of(by_month: Mapping[str, Mapping[str, MonthResult]], month: str | None = None) -> League:
    """The league of `month` (default the latest) from month -> unit -> MonthResult, against the
    month before it when there is one."""
    months = sorted(by_month)
    month = month or months[-1]
    earlier = [m for m in months if m < month]
    return league_table(by_month[month], by_month[earlier[-1]] if earlier else None)


def league_table(results: Mapping[str, MonthResult],
                 previous: Mapping[str, MonthResult] | None = None) -> League:
    """The league of one month from each unit's own assessment (`results`: unit -> MonthResult,
    in the peer data's order); `previous`: the month before, for the change in overall place."""
    units = list(results)
    first = results[units[0]]
    ranks = _overall_ranks(results)
    prev_ranks = _overall_ranks(previous) if previous else {}
    categories: list[str] = []
    for r in first.indicators:
        if r.category not in categories:
            categories.append(r.category)
    rows = []
    for u, res in results.items():
        by_cat = {s.category: s for s in res.subtotals}
        subtotals = [LeagueSubtotal(c, by_cat[c].score, by_cat[c].points,
                                    scored=_some_scored(by_cat[c].points, by_cat[c].unscored_points))
                     if c in by_cat else LeagueSubtotal(c, 0.0, 0.0, scored=False) for c in categories]
        rank = ranks.get(u)
        prev = prev_ranks.get(same_county(u, prev_ranks))
        rows.append(LeagueRow(
            unit=u, total=res.total, total_points=res.total_points, rate=rate_of(res.total, res.total_points), rank=rank,
            excluded=res.excluded, exclusion_reasons=list(res.exclusion_reasons), subtotals=subtotals,
            colours=res.colour_counts(), unscored=len(res.unscored) + len(res.unreported_events), prev_rank=prev,
            rank_change=(prev - rank) if rank is not None and prev is not None else None,
            note="；".join(n for n in (unplaced_note(res) if rank is None else unscored_note(res),
                                       res.unreported_text()) if n)))
    for k in range(len(categories)):
        # by the share of the category's points earned: units with `---` or their own points
        # have different full marks here, as in the overall ranking; a unit with nothing scored
        # in the category (no figure, words, unreported) has no place in it, as overall
        shares = {r.unit: (r.subtotals[k].score / r.subtotals[k].points if r.subtotals[k].scored else None)
                  for r in rows}
        for unit, place in rk.competition_ranks(shares).items():
            next(r for r in rows if r.unit == unit).subtotals[k].rank = place
    order = {u: i for i, u in enumerate(units)}
    rows.sort(key=lambda r: (r.rank is None, r.rank or 0, order[r.unit]))
    indicators = []
    by_unit = {u: res.by_key() for u, res in results.items()}
    prev_month = next(iter(previous.values())).month if previous else None
    for r0 in first.indicators:
        li = LeagueIndicator(key=r0.key, no=r0.no, name=r0.name, category=r0.category, kind=r0.kind,
                             direction=r0.direction, unit=r0.unit, method=r0.method or "")
        for u in units:
            r = by_unit[u].get(r0.key)
            if r is None:
                continue
            last = r.prev_month == prev_month  # (a unit absent last month: its place before that is no 上月名次)
            li.cells.append(LeagueCell(
                unit=u, display=r.figure_shown, actual=r.actual, rank=r.rank, colour=r.colour, score=r.score,
                points=None if r.not_assessed else r.points, target=r.target, not_assessed=r.not_assessed,
                prev_rank=r.prev_rank if last else None, rank_change=r.rank_change if last else None,
                target_text=r.target_text, rule=r.rule, group_size=r.group_size, rank_thresholds=r.rank_thresholds))
        li.cells.sort(key=lambda c: (c.rank is None, c.rank or 0, order[c.unit]))
        indicators.append(li)
    # what the peer data's columns and directions were taken as: the same for every unit's assessment
    return League(month=first.month, system_title=first.system_title, units=units, group_label=group_label(tuple(units)),
                  categories=categories, rows=rows, indicators=indicators, results=dict(results),
                  prev_month=prev_month, peer_period=first.peer_period, notes=list(first.notes))
