"""The shared vocabulary: plain dataclasses passed from read to assess to write."""

from __future__ import annotations

from dataclasses import dataclass, field, asdict

from kaohe_excel.problems import Problem

SCORED = "scored"
DEDUCTION = "deduction"
CONSTRAINT = "constraint"
BONUS = "bonus"

HIGHER = "higher"  # 正向: higher is better
LOWER = "lower"  # 逆向: lower is better


@dataclass
class Indicator:
    no: int | None
    row: int  # 1-based sheet row
    path: list[str]
    name: str
    name_raw: str
    kind: str = SCORED
    points: float | None = None
    points_by_unit: dict[str, float | None] = field(default_factory=dict)
    shares_points_with_row: int | None = None
    lead: list[str] = field(default_factory=list)
    support: list[str] | None = None
    data_source: str | None = None
    targets: dict[str, float | str] = field(default_factory=dict)
    # Beyond the JSON contract: what later stages need.
    no_raw: str = ""
    cell: str = ""  # A1 reference of the name cell
    points_raw: str = ""
    units_raw: str = ""
    direction: str | None = None  # HIGHER / LOWER when the table tells
    deduction_cap: float | None = None  # 合计不超过N分 (positive number)
    target: float | str | None = None  # a single 目标 column, when the table has one

    @property
    def departments(self) -> list[str]:
        """Every department that owes this indicator, lead first."""
        return list(self.lead) + [d for d in (self.support or []) if d not in self.lead]

    def to_json(self) -> dict:
        keys = ("no", "row", "path", "name", "name_raw", "kind", "points", "points_by_unit",
                "shares_points_with_row", "lead", "support", "data_source", "targets")
        d = asdict(self)
        out = {k: d[k] for k in keys}
        out.update(no_raw=self.no_raw, cell=self.cell, points_raw=self.points_raw,
                   units_raw=self.units_raw, direction=self.direction,
                   deduction_cap=self.deduction_cap, target=self.target)
        return out


@dataclass
class IndicatorSystem:
    title: str | None
    file: str
    sheet: str
    units: list[str] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def _counted(self) -> list[Indicator]:
        """Indicators whose points count: rows sharing another row's points count once."""
        return [i for i in self.indicators if i.shares_points_with_row is None]

    @property
    def total_points(self) -> float:
        return _num(sum(i.points for i in self._counted() if i.points and i.points > 0))

    @property
    def all_units(self) -> list[str]:
        """Column units, then units that only appear in per-unit point overrides."""
        seen = list(self.units)
        for ind in self.indicators:
            for u in ind.points_by_unit:
                if u not in seen:
                    seen.append(u)
        return seen

    @property
    def total_points_by_unit(self) -> dict[str, float]:
        totals = {}
        for unit in self.all_units:
            total = 0.0
            for ind in self._counted():
                p = ind.points_by_unit.get(unit, ind.points) if ind.points_by_unit else ind.points
                if p and p > 0:
                    total += p
            totals[unit] = _num(total)
        return totals

    def by_no(self) -> dict[int, Indicator]:
        return {i.no: i for i in self.indicators if i.no is not None}

    def to_json(self) -> dict:
        return {
            "title": self.title,
            "file": self.file,
            "sheet": self.sheet,
            "units": list(self.units),
            "total_points": self.total_points,
            "total_points_by_unit": self.total_points_by_unit,
            "indicators": [i.to_json() for i in self.indicators],
            "problems": [p.to_dict() for p in self.problems],
        }


def _num(x: float) -> float | int:
    """Points read best as 116, not 116.0000001."""
    x = round(x, 6)
    return int(x) if x == int(x) else x
