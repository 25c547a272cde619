"""排名总表's 分类得分 for a category of 约束条件 that carries no points (acceptance probe 25, 云溪市):
each unit's line says what happened (已完成 / 未完成, 发生1起) where it printed a score of 0 of 0
beside the unit whose veto was triggered. A category of vetoes that carries points keeps its scores."""

from kaohe_excel.assess.league import League, LeagueCell, LeagueIndicator, LeagueRow, LeagueSubtotal
from kaohe_excel.model import IndicatorKey
from kaohe_excel.write.reports import league_context

UNITS = ["甲县", "乙县", "丙区"]


def _league(points: float) -> League:
    cats = ["经济发展", "约束性指标"]
    said = {"甲县": "已完成", "乙县": "未完成", "丙区": "已完成"}

    def cell(u, display, score=None):
        return LeagueCell(unit=u, display=display, actual=None, rank=None, colour=None, score=score,
                          points=points or None, target=None, not_assessed=False, prev_rank=None, rank_change=None)

    inds = [LeagueIndicator(IndicatorKey(1), 1, "地区生产总值增速", "经济发展", "scored", "higher", "%",
                            [cell(u, "6.1%", 3.0) for u in UNITS]),
            LeagueIndicator(IndicatorKey(2), 2, "安全生产目标责任", "约束性指标", "constraint", "higher", "",
                            [cell(u, said[u], (0.0 if said[u] == "未完成" else points) if points else None)
                             for u in UNITS])]
    rows = [LeagueRow(u, 3.0, 3.0 + points, None, None, u == "乙县", [], [
        LeagueSubtotal("经济发展", 3.0, 3.0, rank=1),
        LeagueSubtotal("约束性指标", 0.0 if u == "乙县" else points, points, scored=bool(points))], {}, 0)
        for u in UNITS]
    return League("2025-06", "云溪市考核", UNITS, "各单位", cats, rows, inds, results={})


def _block(ctx, name):
    return {u["unit"]: u for u in next(c for c in ctx["categories"] if c["name"] == name)["units"]}


def test_a_category_of_vetoes_without_points_says_what_happened():
    block = _block(league_context(_league(0.0)), "约束性指标")
    assert {u: x["score"] for u, x in block.items()} == {"甲县": "已完成", "乙县": "未完成", "丙区": "已完成"}
    assert _block(league_context(_league(0.0)), "经济发展")["甲县"]["score"] == 3


def test_a_category_of_vetoes_with_points_keeps_its_scores():
    block = _block(league_context(_league(1.0)), "约束性指标")
    assert {u: x["score"] for u, x in block.items()} == {"甲县": 1, "乙县": 0, "丙区": 1}
