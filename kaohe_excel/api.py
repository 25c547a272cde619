"""For analysts: the month's figures and their history as plain records, one dict a row, the
same figures every report prints (assess computes them once). Nothing here writes a file.

    from kaohe_excel import api
    rows = api.indicator_records("某工作区", all_units=True, history=True)
    totals = api.total_records("某工作区", all_units=True, history=True)
    # pandas.DataFrame(rows) / DataFrame(totals) when pandas is installed; the tool itself
    # has no use for pandas, so it is not a dependency

Raises ValueError (Chinese) when the workspace cannot be assessed.
"""

from __future__ import annotations

from pathlib import Path

from kaohe_excel.problems import ERROR


def _load(workspace, month: str | None, all_units: bool):
    from kaohe_excel.config import load_config
    from kaohe_excel.workspace import load_month

    config = load_config(Path(workspace))
    return _usable(load_month(workspace, month, config=config, all_units=all_units), all_units)


def _usable(mi, all_units: bool):
    """(the MonthInput, its config), or ValueError saying why it cannot be assessed."""
    if mi.fatal or mi.system is None or mi.month is None or (all_units and mi.peers is None):
        errs = [p.message for p in mi.all_problems if p.level == ERROR]
        raise ValueError("无法测算：" + ("；".join(errs[:3]) if errs else (mi.fatal or "input/ 中没有指标体系或月份数据")))
    return mi, mi.config


def results(workspace, month: str | None = None, *, all_units: bool = False) -> dict[str, dict]:
    """month -> unit -> MonthResult, the month asked for and every earlier one: our county only
    (the county view) or every unit of the peer data (`all_units`, the view from above; the
    earlier months assessed in full by the processes that read them, as `run --all-units` has them
    assessed briefly)."""
    if all_units:
        from kaohe_excel.config import load_config
        from kaohe_excel.flows.evaluate import load_units

        mi, by_month = load_units(workspace, month, load_config(Path(workspace)), brief=False)
        _usable(mi, all_units)
        return by_month
    mi, config = _load(workspace, month, all_units)
    from kaohe_excel.flows.run import assess_loaded

    result, history = assess_loaded(mi, config)
    return {m: {config.county: r} for m, r in {**history, mi.month: result}.items()}


def league(workspace, month: str | None = None):
    """The view from above of one month (assess.league.League: rows, categories, indicators)."""
    from kaohe_excel.assess.league import league_of

    by_month = results(workspace, month, all_units=True)
    if not by_month:
        raise ValueError("无法测算：数据中没有可参评的单位")
    return league_of(by_month)


def indicator_records(workspace, month: str | None = None, *, all_units: bool = False,
                      history: bool = False) -> list[dict]:
    """One record per month × unit × indicator: value as shown, rank, colour, score, points."""
    by_month = results(workspace, month, all_units=all_units)
    months = sorted(by_month) if history else sorted(by_month)[-1:]
    out = []
    for m in months:
        for unit, res in by_month[m].items():
            for r in res.indicators:
                out.append({"month": m, "unit": unit, "no": r.key.to_json(), "name": r.name,
                            "category": r.category, "kind": r.kind, "direction": r.direction,
                            "actual": r.actual, "display": r.display, "target": r.target, "rank": r.rank,
                            "rank_source": r.rank_source, "group_size": r.group_size, "colour": r.colour,
                            "points": None if r.not_assessed else r.points, "score": r.score,
                            "not_assessed": r.not_assessed, "prev_rank": r.prev_rank, "rank_change": r.rank_change})
    return out


def total_records(workspace, month: str | None = None, *, all_units: bool = False,
                  history: bool = True) -> list[dict]:
    """One record per month × unit: total, full marks, 折算得分 and, in the view from above, the
    overall place (the league's)."""
    from kaohe_excel.assess.league import league_of, rate_of

    by_month = results(workspace, month, all_units=all_units)
    months = sorted(by_month) if history else sorted(by_month)[-1:]
    out = []
    for m in months:
        places = {}
        if all_units:
            lg = league_of(by_month, m)
            places = {r.unit: (r.rank, r.rank_change) for r in lg.rows}
        for unit, res in by_month[m].items():
            place, change = places.get(unit, (None, None))
            out.append({"month": m, "unit": unit, "total": res.total, "total_points": res.total_points,
                        "rate": rate_of(res.total, res.total_points),
                        "excluded": res.excluded, "place": place, "place_change": change,
                        "estimated_rank": res.estimated_rank})
    return out
