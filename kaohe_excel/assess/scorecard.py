"""The departments' own scorecard (部门考核), and rewards and criticism over a period.

Per department: its indicators' ranks, colours and rank changes for a month.  Over a
quarter or a year (seed 001 奖惩机制, seed 000 督查考核机制): indicators standing in the
first tier (第一方阵) at the end of the period earn a reward; indicators in the third
tier, or that slipped in rank (against the period's first month, and against last year's
rank when the sheet gives it), draw criticism.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from kaohe_excel.assess import warnings as wn
from kaohe_excel.assess.results import (GREEN, RED, YELLOW, DepartmentCard, DepartmentLine,
                                        IndicatorResult, MonthResult)
from kaohe_excel.config import Config
from kaohe_excel.units import same_unit
from kaohe_excel.model import SCORED

_TIER_OF_COLOUR = {GREEN: 1, YELLOW: 2, RED: 3}
TIER_LABELS = {1: "第一方阵", 2: "第二方阵", 3: "第三方阵"}


def months_in_period(period: str) -> list[str]:
    """'2023' -> the twelve months; '2023-Q3' -> 07..09; '2023-H1' -> 01..06; '2023-08' -> itself."""
    p = re.sub(r"\s+", "", period or "").upper()
    m = re.fullmatch(r"(\d{4})(?:-(Q[1-4]|H[12]|\d{1,2}))?", p)
    if not m:
        raise ValueError(f"期间「{period}」应写成 2023、2023-Q3、2023-H1 或 2023-08")
    year, part = m.group(1), m.group(2)
    if part is None:
        months = range(1, 13)
    elif part.startswith("Q"):
        q = int(part[1])
        months = range(3 * q - 2, 3 * q + 1)
    elif part.startswith("H"):
        months = range(1, 7) if part == "H1" else range(7, 13)
    else:
        if not 1 <= int(part) <= 12:
            raise ValueError(f"期间「{period}」中的月份应为1到12")
        months = [int(part)]
    return [f"{year}-{mm:02d}" for mm in months]


def _tier(r: IndicatorResult, config: Config) -> int | None:
    if r.kind != SCORED:  # events: only one that happened counts, as third tier
        return 3 if r.colour == RED else None
    if r.rank is not None and r.group_size:
        rules = config.rules_for(r.no, r.name)
        return wn.tier_of_rank(r.rank, r.group_size, rules.rank_green, rules.rank_yellow)
    return _TIER_OF_COLOUR.get(r.colour)


def _departments(r: IndicatorResult, config: Config, names=None) -> list[tuple[str, str]]:
    """(department, 牵头|参与) of an indicator; `names`: the system's departments' canonical name of a
    written one (units.DepartmentIndex.resolve), so a card has the name every other report gives it
    (县生态环境分局 and 生态环境局 are one department, named as 报送情况 names it)."""
    out = [(d, "牵头") for d in r.lead]
    if config.include_support:
        out += [(d, "参与") for d in r.support if d not in r.lead]
    if names is not None:
        out = [(names(d) or d, role) for d, role in out]
    if not out and r.department:
        out = [(r.department, "牵头")]
    # the unit as its own report names it (金融工作服务中心), the name every other report uses,
    # rather than the table's spelling of the day (金融工作服务 / 县金融工作服务中心)
    if r.department:
        out = [(r.department if same_unit(d, r.department) else d, role) for d, role in out]
    return out


def _fullness(name: str) -> int:
    """How full a unit's name is; a county prefix (县金融… for 金融…) adds nothing."""
    return len(name) - (1 if len(name) > 3 and name[0] in "县区市" else 0)


def _card(cards: dict[str, DepartmentCard], dep: str, period: str) -> DepartmentCard:
    """One card per unit, however the table wrote its name (金融工作服务 / 县金融工作服务中心):
    the fuller name is shown."""
    for key, card in cards.items():
        if same_unit(key, dep):
            if _fullness(dep) > _fullness(card.department):
                card.department = dep
            return card
    cards[dep] = DepartmentCard(department=dep, period=period)
    return cards[dep]


def _line(r: IndicatorResult, role: str, config: Config) -> DepartmentLine:
    return DepartmentLine(no=r.no, name=r.name, role=role, rank=r.rank, colour=r.colour,
                          rank_change=r.rank_change, tier=_tier(r, config), shown=r.figure_shown,
                          written=r.key.written if r.key is not None else "")


def department_scorecard(result: MonthResult, config: Config | None = None, names=None) -> list[DepartmentCard]:
    """One card per department for one month, departments in the order they first appear; an
    indicator slipped when it ranks worse than last month (or, compare_last_year, than last
    year), as the card's 奖惩名单 says."""
    config = config or Config()
    cards: dict[str, DepartmentCard] = {}
    for r in result.indicators:
        first = (r.prev_month, r.prev_rank) if r.prev_month and r.prev_rank is not None else None
        notes = _slip_notes(r, first, config)
        for dep, role in _departments(r, config, names):
            card = _card(cards, dep, result.month)
            line = _line(r, role, config)
            line.slipped, line.slip_note = bool(notes), "，".join(notes)
            card.lines.append(line)
    for card in cards.values():
        _verdict(card, config)
    return list(cards.values())


def period_scorecard(results: Mapping[str, MonthResult] | Sequence[MonthResult], period: str,
                     config: Config | None = None, names=None) -> list[DepartmentCard]:
    """Rewards and criticism over `period` ('2023-Q3', '2023', …) from the months' results
    of one system.  The standing is the last month of the period that has a result; an
    indicator slipped when its rank there is worse than in the first month of the period
    that ranks it, or (compare_last_year) worse than last year's reported rank."""
    config = config or Config()
    if not isinstance(results, Mapping):
        results = {r.month: r for r in results}
    months = [m for m in months_in_period(period) if m in results]
    if not months:
        return []
    end = results[months[-1]]
    cards: dict[str, DepartmentCard] = {}
    for r in end.indicators:
        first = None
        for m in months[:-1]:
            prev = results[m].by_key().get(r.key)
            if prev is not None and prev.rank is not None:
                first = (m, prev.rank)
                break
        notes = _slip_notes(r, first, config)
        for dep, role in _departments(r, config, names):
            card = _card(cards, dep, period)
            line = _line(r, role, config)
            # the change over the period (from the first month of it that ranks the item), as the
            # slip note beside it says: never last month's alone in a quarter's or a year's card
            line.rank_change = (first[1] - r.rank) if first is not None and r.rank is not None else None
            line.slipped = bool(notes)
            line.slip_note = "，".join(notes)
            card.lines.append(line)
    for card in cards.values():
        _verdict(card, config)
    return list(cards.values())


def _slip_notes(r: IndicatorResult, first: tuple[str, int] | None, config: Config) -> list[str]:
    """How an indicator slipped: below its rank of `first` (month, rank), below last year's."""
    notes = []
    if r.rank is not None and first is not None and r.rank > first[1]:
        notes.append(f"由{int(first[0][5:])}月第{first[1]}名降至第{r.rank}名")
    if (config.compare_last_year and r.rank is not None and r.last_year_rank is not None
            and r.rank > r.last_year_rank):
        notes.append(f"低于上年第{r.last_year_rank}名")
    return notes


def _verdict(card: DepartmentCard, config: Config) -> None:
    slip = config.criticize_slip
    card.reward = [ln for ln in card.lines if ln.tier == 1 and not (slip and ln.slipped)]
    card.criticism = [ln for ln in card.lines if ln.tier == 3 or (slip and ln.slipped)]
    if card.reward and card.criticism:
        card.verdict = "有奖有惩"
    elif card.reward:
        card.verdict = "奖励"
    elif card.criticism:
        card.verdict = "批评"
    else:
        card.verdict = ""
