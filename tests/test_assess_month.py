"""A whole month assessed: six counties with ties, a missing value and reverse
indicators, worked out by hand; rank changes, scores, totals, the special evaluation
of seed 000, departments' scorecards."""

import pytest
from hypothesis import given, settings, strategies as st

from kaohe_excel.assess import (COMPUTED, GREEN, RED, REPORTED, YELLOW, assess_month,
                                department_scorecard, months_in_period, period_scorecard)
from kaohe_excel.assess.results import COLOUR_ORDER
from kaohe_excel.assess.scoring import total_of
from kaohe_excel.config import Config, parse_config
from kaohe_excel.model import (BONUS, CONSTRAINT, DEDUCTION, HIGHER, LOWER, Entry, Indicator,
                               IndicatorSystem, PeerRow, PeerTable)
from kaohe_excel.model import IndicatorKey as K

def by_no(result):
    """Results by 序号 as written (these systems never repeat one)."""
    return {k.no: r for k, r in result.by_key().items()}


SIX = ["舞钢市", "汝州市", "宝丰县", "叶县", "鲁山县", "郏县"]


def ind(no, name, points, cat="项目建设", lead=("县发改委",), **kw):
    return Indicator(no=no, row=no + 3, path=[cat], name=name, name_raw=name, points=points,
                     lead=list(lead), cell=f"B{no + 3}", **kw)


def entry(no, actual=None, rank=None, dep="县发改委", **kw):
    return Entry(no=no, name="", department=dep, actual=actual, actual_raw="" if actual is None else f"{actual}",
                 rank=rank, rank_raw="" if rank is None else str(rank), file=f"{dep}.xlsx", sheet="Sheet1",
                 cell=f"G{no + 4}", key=K(no), **kw)


def peer(no, name, values, direction=None):
    return PeerRow(no=no, name=name, direction=direction, values=dict(zip(SIX, values)), row=no + 2,
                   key=K(no))


def ye_system():
    return IndicatorSystem("叶县2023年度高质量发展综合绩效指标", "指标体系.xlsx", "Sheet1", indicators=[
        ind(1, "固定资产投资增速", 5),
        ind(2, "工业投资占固定资产投资比重", 3, lead=["县工信局"]),
        ind(3, "招商引资签约项目当年开工率", 2, lead=["县招商服务中心"]),
        ind(28, "PM2.5平均浓度", 2, cat="资源环境", lead=["县生态环境局"]),
        ind(30, "地区生产总值增速", 5, cat="综合质效"),
        ind(36, "较大及以上生产安全事故", 2, cat="综合质效", lead=["县应急管理局"], kind=CONSTRAINT),
    ])


def ye_peers():
    return PeerTable("六县市数据.xlsx", "8月", SIX, rows=[
        # 8.0 | 6.2 6.2 6.2 | 5.0 | missing  -> 叶县 ties for 2nd
        peer(1, "固定资产投资增速", [8.0, 6.2, 6.2, 6.2, 5.0, None], HIGHER),
        # 30 40 50 20 10 60 -> 叶县 20 is 5th
        peer(2, "工业投资占固定资产投资比重", [30, 40, 50, 20, 10, 60], HIGHER),
        # reverse: 40 45 38 50 42 39 -> 宝丰1 郏县2 舞钢3 鲁山4 汝州5 叶县6
        peer(28, "PM2.5平均浓度", [40, 45, 38, 50, 42, 39], LOWER),
        # 6.5 6.5 7.0 6.5 5.5 6.0 -> 宝丰1, 舞钢 汝州 叶县 2, 郏县5, 鲁山6
        peer(30, "地区生产总值增速", [6.5, 6.5, 7.0, 6.5, 5.5, 6.0], HIGHER),
    ])


def ye_entries():
    return {
        1: entry(1, 6.2, rank=3),  # reported 3rd; computed 2nd wins
        2: entry(2, 20, rank=5, dep="县工信局"),
        3: entry(3, 55.0, rank=4, dep="县招商服务中心"),  # no peer row: reported rank used
        28: entry(28, 50, rank=6, dep="县生态环境局"),
        30: entry(30, 6.5, rank=2),
        36: entry(36, 0, dep="县应急管理局"),
    }


@pytest.fixture
def august():
    return assess_month(ye_system(), ye_entries(), ye_peers(), Config(), "2023-08")


def test_ranks_ties_missing_and_reverse(august):
    r = by_no(august)
    assert (r[1].rank, r[1].rank_source, r[1].colour) == (2, COMPUTED, GREEN)
    assert r[1].peer_ranks == {"舞钢市": 1, "汝州市": 2, "宝丰县": 2, "叶县": 2, "鲁山县": 5}
    assert "郏县" not in r[1].peer_ranks and r[1].ranked_count == 5
    assert (r[2].rank, r[2].colour) == (5, RED)
    assert (r[3].rank, r[3].rank_source, r[3].colour) == (4, REPORTED, YELLOW)
    assert (r[28].rank, r[28].direction, r[28].colour) == (6, LOWER, RED)
    assert r[28].peer_ranks["宝丰县"] == 1 and r[28].peer_ranks["郏县"] == 2
    assert (r[30].rank, r[30].colour) == (2, GREEN)
    assert r[30].peer_ranks == {"舞钢市": 2, "汝州市": 2, "宝丰县": 1, "叶县": 2, "鲁山县": 6, "郏县": 5}


def test_missing_value_and_rank_disagreement_are_reported(august):
    msgs = [p.message for p in august.problems]
    missing = [p for p in august.problems if "郏县" in p.message and "缺少" in p.message]
    assert len(missing) == 1 and missing[0].file == "六县市数据.xlsx"
    disagree = [p for p in august.problems if "第3名" in p.message and "第2名" in p.message]
    assert len(disagree) == 1 and disagree[0].cell == "G5" and disagree[0].file == "县发改委.xlsx"
    assert not any("第 2 项" in m and "排名" in m for m in msgs)  # 5 = 5: no complaint


def test_scores_by_rank_steps(august):
    r = by_no(august)
    # 5 × (1 − 0.05 × 1) = 4.75; 3 × 0.8 = 2.4; 2 × 0.85 = 1.7; 2 × 0.75 = 1.5; 5 × 0.95 = 4.75
    assert [r[k].score for k in (1, 2, 3, 28, 30)] == [4.75, 2.4, 1.7, 1.5, 4.75]
    assert r[36].score == 2 and not r[36].vetoed  # no accident: the constraint's points kept
    assert august.total == pytest.approx(4.75 + 2.4 + 1.7 + 1.5 + 4.75 + 2)
    assert august.total_points == 19
    subs = {s.category: (s.points, s.score) for s in august.subtotals}
    assert subs == {"项目建设": (10, pytest.approx(8.85)), "资源环境": (2, 1.5),
                    "综合质效": (7, pytest.approx(6.75))}


def test_points_lost_and_values_to_reach(august):
    r = by_no(august)
    # lost against the leader's full points: 2 → 0.6, 28 → 0.5, 3 → 0.3, 1 and 30 → 0.25
    assert [x.no for x in august.asks()] == [2, 28, 3, 1, 30]
    assert r[2].points_lost == pytest.approx(0.6)
    # 工业投资 5th (red) -> yellow needs 4th: others 60 50 40 30 10, 4th best is 30 (舞钢市)
    assert (r[2].next_colour, r[2].value_to_reach) == (YELLOW, 30)
    assert "舞钢市" in r[2].reach_note
    # PM2.5 reverse, 6th -> 4th: others 38 39 40 42 45, 4th lowest is 42 (鲁山县)
    assert (r[28].next_colour, r[28].value_to_reach) == (YELLOW, 42)
    # reported-only rank: no value can be given, and it says so
    assert r[3].value_to_reach is None and "缺六县市数据" in r[3].reach_note
    assert r[1].next_colour is None  # already green
    assert [x.no for x in august.lagging()] == [2, 28, 3]


def test_estimated_total_rank(august):
    # comparable: 2, 28, 30 (indicator 1 lacks 郏县, 3 has no peer row, 36 none)
    # ind 2 (3 pts) ranks 郏县1 宝丰2 汝州3 舞钢4 叶县5 鲁山6; ind 28 (2 pts) 宝丰1 郏县2 舞钢3 鲁山4 汝州5 叶县6;
    # ind 30 (5 pts) 宝丰1, 舞钢 汝州 叶县 2, 郏县5, 鲁山6
    # 叶县 2.4 + 1.5 + 4.75 = 8.65; 宝丰 2.85 + 2 + 5 = 9.85; 郏县 3 + 1.9 + 4 = 8.9
    # 舞钢 2.55 + 1.8 + 4.75 = 9.1; 汝州 2.7 + 1.6 + 4.75 = 9.05; 鲁山 2.25 + 1.7 + 3.75 = 7.7 -> 叶县 5th
    assert august.estimate_basis == [K(2), K(28), K(30)]
    assert august.estimated_totals == pytest.approx({"叶县": 8.65, "宝丰县": 9.85, "郏县": 8.9, "舞钢市": 9.1,
                                                     "汝州市": 9.05, "鲁山县": 7.7})
    assert august.estimated_rank == 5
    assert "3项" in august.estimate_note


def test_rank_change_and_trend():
    sys_, peers = ye_system(), ye_peers()
    july_peers = PeerTable("六县市数据.xlsx", "7月", SIX, rows=[
        peer(1, "固定资产投资增速", [8, 7, 6, 5, 4, 3], HIGHER),  # 叶县 4th
        peer(2, "工业投资占固定资产投资比重", [60, 50, 40, 30, 20, 10], HIGHER),  # 叶县 4th
        peer(28, "PM2.5平均浓度", [1, 2, 3, 40, 5, 6], LOWER),  # 叶县 6th
    ])
    june = assess_month(sys_, {3: entry(3, 1, rank=6)}, None, Config(), "2023-06")
    july = assess_month(sys_, {}, july_peers, Config(), "2023-07")
    hist = {"2023-06": june, "2023-07": july}
    aug = by_no(assess_month(sys_, ye_entries(), peers, Config(), "2023-08", hist))
    assert (aug[1].rank_change, aug[1].rank_change_text) == (2, "↑2")  # 4 -> 2
    assert (aug[2].rank_change, aug[2].rank_change_text) == (-1, "↓1")  # 4 -> 5
    assert aug[28].rank_change_text == "持平"
    assert aug[3].prev_month == "2023-07" and aug[3].rank_change is None  # no July rank
    assert aug[3].rank_history == [("2023-06", 6), ("2023-07", None), ("2023-08", 4)]
    assert aug[1].trend_text == "—→4→2"
    # a month in the future is ignored
    later = assess_month(sys_, ye_entries(), peers, Config(), "2023-07", {"2023-08": july})
    assert later.by_key()[K(1)].prev_month is None


def test_trend_carried_from_last_month_is_every_month_looked_up():
    """A month assessed after the ones before it takes its trend from last month's result
    (issue 14: a province's year was quadratic); it must be the trend every month gives."""
    sys_, peers = ye_system(), ye_peers()
    july_peers = PeerTable("六县市数据.xlsx", "7月", SIX, rows=[
        peer(1, "固定资产投资增速", [8, 7, 6, 5, 4, 3], HIGHER),
        peer(28, "PM2.5平均浓度", [1, 2, 3, 40, 5, 6], LOWER),
    ])
    june = assess_month(sys_, {3: entry(3, 1, rank=6)}, None, Config(), "2023-06")
    july = assess_month(sys_, {}, july_peers, Config(), "2023-07", {"2023-06": june})  # carries June
    carried = assess_month(sys_, ye_entries(), peers, Config(), "2023-08", {"2023-06": june, "2023-07": july})
    july_alone = assess_month(sys_, {}, july_peers, Config(), "2023-07")  # its trend lacks June
    looked_up = assess_month(sys_, ye_entries(), peers, Config(), "2023-08", {"2023-06": june, "2023-07": july_alone})
    for a, b in zip(carried.indicators, looked_up.indicators):
        assert (a.rank_history, a.colour_history, a.prev_month, a.prev_rank, a.rank_change) == \
               (b.rank_history, b.colour_history, b.prev_month, b.prev_rank, b.rank_change), a.key
    aug = by_no(carried)
    assert aug[3].rank_history == [("2023-06", 6), ("2023-07", None), ("2023-08", 4)]
    assert aug[1].rank_history == [("2023-06", None), ("2023-07", 4), ("2023-08", 2)]
    assert aug[2].rank_history[:2] == [("2023-06", None), ("2023-07", None)]  # no July row: no July rank


def test_no_data_gets_no_colour_and_a_reason():
    res = by_no(assess_month(ye_system(), {}, None, Config(), "2023-08"))
    assert res[1].colour is None and res[1].colour_reason
    assert res[1].score is None
    res = assess_month(ye_system(), {}, None, Config(), "2023-08")
    assert K(1) in res.unscored and res.estimated_rank is None and "无六县市数据" in res.estimate_note


def test_reported_rank_used_without_peer_data():
    res = by_no(assess_month(ye_system(), ye_entries(), None, Config(), "2023-08"))
    assert (res[1].rank, res[1].rank_source, res[1].colour) == (3, REPORTED, YELLOW)
    assert res[1].score == 4.5  # 5 × 0.9


def test_constraint_excludes_from_ranking():
    ents = ye_entries()
    ents[36] = entry(36, 1, dep="县应急管理局")
    res = assess_month(ye_system(), ents, ye_peers(), Config(), "2023-08")
    r36 = res.by_key()[K(36)]
    assert r36.vetoed and r36.score == 0 and r36.colour == RED
    assert res.excluded and res.estimated_rank is None
    assert "不参与排名" in res.estimate_note and "较大及以上生产安全事故" in res.exclusion_reasons[0]


def test_progress_and_completion_rules_from_config():
    cfg = parse_config('''
[warning]
rule = "progress"
[indicators."3"]
warning = "completion"
method = "completion"
''')
    ents = ye_entries()
    ents[1] = entry(1, 50, target=80)  # 50/80 = 62.5 %, August progress 66.67: 4.17 below -> green
    ents[2] = entry(2, 20, target=50, dep="县工信局")  # 40 %: 26.67 below -> yellow
    ents[3] = entry(3, 55, target=100, dep="县招商服务中心")  # completion rule: 55 % -> red
    res = by_no(assess_month(ye_system(), ents, None, cfg, "2023-08"))
    assert (res[1].rule, res[1].completion, res[1].colour) == ("progress", 62.5, GREEN)
    assert (res[2].completion, res[2].colour) == (40, YELLOW)
    # green needs more than 66.67 − 10 = 56.67 % of 50 = 28.33
    assert res[2].next_colour == GREEN and res[2].value_to_reach == pytest.approx(28.333333, abs=1e-5)
    assert (res[3].rule, res[3].colour) == ("completion", RED)
    # yellow needs 85 % of 100 = 85
    assert res[3].value_to_reach == 85
    # completion scoring: 2 × 0.55 = 1.1
    assert res[3].score == pytest.approx(1.1)


def test_efficacy_method_from_config():
    cfg = parse_config('[scoring]\nmethod = "efficacy"\n')
    res = by_no(assess_month(ye_system(), ye_entries(), ye_peers(), cfg, "2023-08"))
    # indicator 1: best 8, worst 5, ours 6.2 -> 60 + 40 × 1.2/3 = 76 % of 5 = 3.8
    assert res[1].score == pytest.approx(3.8)
    # PM2.5 reverse: best 38, worst 50, ours 50 (the worst) -> 60 % of 2 = 1.2
    assert res[28].score == pytest.approx(1.2)
    # indicator 3 has no peer data: efficacy cannot be computed, and it says why
    assert res[3].score is None and "六县市数据" in res[3].score_note


def test_direction_falls_back_to_system_then_config_then_name():
    system = ye_system()
    system.indicators[3].direction = LOWER  # PM2.5 lower from the system
    peers = ye_peers()
    for row in peers.rows:
        row.direction = None
    res = by_no(assess_month(system, ye_entries(), peers, Config(), "2023-08"))
    assert (res[28].direction, res[28].direction_source, res[28].rank) == (LOWER, "指标体系", 6)
    cfg = parse_config('[indicators."工业投资"]\ndirection = "逆向"\n')
    res = assess_month(ye_system(), ye_entries(), peers, cfg, "2023-08")
    r = by_no(res)
    assert (r[2].direction, r[2].direction_source, r[2].rank) == (LOWER, "kaohe.toml", 2)
    assert (r[28].direction, r[28].direction_source) == (LOWER, "名称推断")
    # a hint (the month's notes, printed by run and check), not a problem with the month's files
    assert any("推断" in n and "PM2.5" in n for n in res.notes)
    assert not any("推断" in p.message for p in res.problems)


def test_peer_value_differs_from_report():
    ents = ye_entries()
    ents[2] = entry(2, 25, rank=5, dep="县工信局")
    res = assess_month(ye_system(), ents, ye_peers(), Config(), "2023-08")
    assert res.by_key()[K(2)].actual == 20  # the peer sheet wins
    assert any(p.file == "县工信局.xlsx" and "25" in p.message and "20" in p.message for p in res.problems)


def test_written_colour_checked():
    ents = ye_entries()
    ents[2].warning_raw = "绿"
    res = assess_month(ye_system(), ents, ye_peers(), Config(), "2023-08")
    assert any("预警提示填为「绿」" in p.message and "红色" in p.message for p in res.problems)


def test_our_county_only_in_monthly_sheets():
    five = [c for c in SIX if c != "叶县"]
    table = PeerTable("p.xlsx", "s", five, rows=[
        PeerRow(1, "固定资产投资增速", HIGHER, {"舞钢市": 8, "汝州市": 7, "宝丰县": 6, "鲁山县": 5, "郏县": 4})])
    res = assess_month(ye_system(), {1: entry(1, 6.5)}, table, Config(), "2023-08")
    assert res.by_key()[K(1)].rank == 3 and res.by_key()[K(1)].actual_source == "月报"
    assert any("没有本县" in p.message for p in res.problems)


def test_per_unit_points_and_shared_points():
    system = IndicatorSystem("t", "f.xlsx", "s", indicators=[
        ind(1, "四新经济投资比重", 3, points_by_unit={"高新区": 6, "叶县": 4}),
        ind(2, "第三产业增加值占比", 4),
        Indicator(None, 6, ["项目建设"], "第三产业增加值增速", "", points=4, shares_points_with_row=5),
    ])
    ents = {1: entry(1, 1, rank=1), 2: entry(2, 1, rank=1)}
    res = assess_month(system, ents, None, Config(), "2023-08")
    r = res.indicators
    assert r[0].points == 4 and r[0].score == 4
    assert r[1].points == 2 and r[2].points == 2  # one 4-point cell over two rows
    assert res.total_points == 8 and res.total == 6


def test_conflicting_entries_lead_wins():
    system = ye_system()
    system.indicators[0].support = ["县统计局"]
    ents = [entry(1, 6.0, dep="县统计局"), entry(1, 6.2, dep="县发改委"), entry(2, 20, dep="县工信局")]
    res = assess_month(system, ents, None, Config(), "2023-08")
    assert res.by_key()[K(1)].actual == 6.2 and res.by_key()[K(1)].department == "县发改委"
    assert any("县统计局" in p.message and "6.0" in p.message for p in res.problems)
    cfg = parse_config('[indicators."1"]\ndepartment = "县统计局"\n')
    res = assess_month(system, ents, None, cfg, "2023-08")
    assert res.by_key()[K(1)].actual == 6.0


def special_system():
    """Seed 000 附件3: 打好防范化解重大风险攻坚战专项评价."""
    return IndicatorSystem("县域经济高质量发展专项评价指标体系任务分工", "专项评价.xlsx", "Sheet1", indicators=[
        Indicator(1, 4, ["打好防范化解重大风险攻坚战", "定量指标"], "不良贷款率", "", points=100,
                  lead=["县金融工作服务中心"]),
        # as read from the table: points -10 per event, cap 30
        Indicator(2, 5, ["打好防范化解重大风险攻坚战", "扣分事项"],
                  "发生跨省进京、具有较大社会影响金融领域信访涉稳事件的……每发生一起扣10分，合计扣分不超过30分。",
                  "", kind=DEDUCTION, points=-10, deduction_cap=30, lead=["县金融工作服务中心"]),
        # as if the reader left points empty: the wording gives 40 per event, cap 80
        Indicator(3, 6, ["打好防范化解重大风险攻坚战", "扣分事项"],
                  "每发生一起银行挤兑事件，扣40分，合计扣分不超过80分。", "", kind=DEDUCTION,
                  lead=["济宁银保监分局嘉祥监管组"]),
    ])


def test_special_evaluation_seed_000():
    ents = {1: entry(1, 1.2, rank=1, dep="县金融工作服务中心"),
            2: entry(2, 4, dep="县金融工作服务中心"),  # 4 × 10 = 40 -> capped 30
            3: entry(3, 1, dep="济宁银保监分局嘉祥监管组")}  # 1 × 40 = 40
    res = assess_month(special_system(), ents, None, Config(), "2021-08")
    r = by_no(res)
    assert r[1].direction == LOWER  # 不良贷款率: lower is better, guessed from the name
    assert r[1].score == 100
    assert (r[2].deduction, r[2].score) == (30, -30)
    assert (r[3].deduction, r[3].score) == (40, -40)
    assert res.total == 30 and res.total_points == 100
    ents[3] = entry(3, 3, dep="济宁银保监分局嘉祥监管组")  # 120 -> capped 80
    res = assess_month(special_system(), ents, None, Config(), "2021-08")
    assert res.by_key()[K(3)].deduction == 80 and res.total == -10


def test_systems_assessed_on_their_own():
    """The comprehensive system's peer row 1 (固定资产投资增速) never lands on the special
    evaluation's 序号 1 (不良贷款率), and a [systems] section applies to one system only."""
    cfg = parse_config('''
[systems."专项评价".scoring]
method = "efficacy"
[systems."专项评价".indicators."2"]
cap = 20
''')
    ents = {1: entry(1, 1.2, rank=2, dep="县金融工作服务中心"), 2: entry(2, 4, dep="县金融工作服务中心")}
    res = by_no(assess_month(special_system(), ents, ye_peers(), cfg, "2021-08"))
    assert res[1].peer_values == {} and res[1].rank == 2 and res[1].rank_source == REPORTED
    assert res[1].score is None  # efficacy needs peer data
    assert res[2].deduction == 20  # cap from the systems section
    main = by_no(assess_month(ye_system(), ye_entries(), ye_peers(), cfg, "2023-08"))
    assert main[1].method == "rank_steps" and main[1].score == 4.75


def test_bonus_capped():
    system = IndicatorSystem("t", "f", "s", indicators=[
        ind(1, "获得省级以上表彰", 1, kind=BONUS), ind(2, "x", 5)])
    res = assess_month(system, {1: entry(1, 3)}, None, Config(), "2023-08")
    assert res.by_key()[K(1)].score == 1 and res.total == 1 and res.total_points == 5
    cfg = parse_config('[indicators."1"]\nper_event = 0.5\ncap = 2\n')
    res = assess_month(system, {1: entry(1, 3)}, None, cfg, "2023-08")
    assert res.by_key()[K(1)].score == 1.5


def test_short_of_points_is_worked_out_once_and_adds_up_to_what_is_lost():
    """得分测算's 失分 (分值 − 得分) is the assessment's own figure, shown as is by the report and in
    --json: a bonus's gain a negative one, a deduction's the points taken, an unscored item none;
    the items' figures add up to the categories' and the month's 失分 (helper-49: the workbook
    printed −1.5 for a bonus where --json said 0, and --json's items did not add up to its lost)."""
    from kaohe_excel.write.reports import scores_context

    system = IndicatorSystem("t", "f", "s", indicators=[
        ind(1, "获得省级以上表彰", 2, kind=BONUS), ind(2, "x", 5), ind(3, "安全生产事故", 3, kind=DEDUCTION),
        ind(4, "y", 4)])
    cfg = parse_config('[indicators."1"]\nper_event = 0.5\ncap = 2\n[indicators."3"]\nper_event = 1\ncap = 3\n')
    res = assess_month(system, {1: entry(1, 3), 2: entry(2, 1.0, rank=2), 3: entry(3, 2)}, None, cfg, "2023-08")
    r = res.by_key()
    assert r[K(1)].score == 1.5 and r[K(1)].short_of_points == -1.5
    assert r[K(3)].score == -2 and r[K(3)].short_of_points == 2
    assert r[K(2)].short_of_points == total_of([5, -r[K(2)].score]) and r[K(4)].short_of_points is None
    items = [x.short_of_points for x in res.indicators if x.short_of_points is not None]
    assert total_of(items) == res.lost == total_of(c.lost for c in res.subtotals)
    shown = {row["no"]: row["lost"] for row in scores_context(res, [])["indicators"]}
    assert shown == {1: -1.5, 2: r[K(2)].short_of_points, 3: 2, 4: ""}


def test_department_scorecard_month(august):
    cards = {c.department: c for c in department_scorecard(august)}
    assert [ln.no for ln in cards["县发改委"].lines] == [1, 30]
    assert cards["县发改委"].verdict == "奖励"
    assert cards["县工信局"].verdict == "批评" and cards["县工信局"].lines[0].tier == 3
    assert cards["县招商服务中心"].verdict == "" and cards["县招商服务中心"].lines[0].tier == 2
    assert "县应急管理局" in cards and cards["县应急管理局"].verdict == ""  # no accident: nothing


def test_period_scorecard_quarter():
    system = ye_system()
    months = {}
    ranks = {"2023-07": {1: 1, 2: 3, 3: 2}, "2023-08": {1: 2, 2: 3, 3: 2}, "2023-09": {1: 2, 2: 5, 3: 1}}
    hist = {}
    for m, rs in ranks.items():
        ents = {no: entry(no, 1.0, rank=k, dep=system.by_key()[K(no)].lead[0]) for no, k in rs.items()}
        months[m] = assess_month(system, ents, None, Config(), m, dict(hist))
        hist[m] = months[m]
    cards = {c.department: c for c in period_scorecard(months, "2023-Q3")}
    # 发改委: 1 -> 2, still first tier but slipped: criticism (seed 000 位次下滑)
    fgw = cards["县发改委"]
    assert fgw.lines[0].slipped and "7月第1名" in fgw.lines[0].slip_note and fgw.verdict == "批评"
    assert cards["县工信局"].verdict == "批评"  # 5th: third tier
    assert cards["县招商服务中心"].verdict == "奖励"  # 2 -> 1
    # 排名变化 over the quarter, as the slip notes say: 1 -> 2 is ↓1 (August to September: 持平), 3 -> 5 ↓2
    assert fgw.lines[0].no == 1 and fgw.lines[0].rank_change_text == "↓1"
    assert cards["县工信局"].lines[0].no == 2 and cards["县工信局"].lines[0].rank_change_text == "↓2"
    lenient = parse_config('[rewards]\ncriticize_slip = false\n')
    cards = {c.department: c for c in period_scorecard(list(months.values()), "2023-Q3", lenient)}
    assert cards["县发改委"].verdict == "奖励"
    assert period_scorecard(months, "2023-Q1") == []


def test_period_scorecard_last_year_rank():
    system = ye_system()
    ents = {1: entry(1, 1.0, rank=2, last_year_rank=1)}
    dec = assess_month(system, ents, None, Config(), "2023-12")
    card = {c.department: c for c in period_scorecard({"2023-12": dec}, "2023")}["县发改委"]
    assert card.lines[0].slipped and "上年第1名" in card.lines[0].slip_note


def test_months_in_period():
    assert months_in_period("2023-Q3") == ["2023-07", "2023-08", "2023-09"]
    assert months_in_period("2023") [0] == "2023-01" and len(months_in_period("2023")) == 12
    assert months_in_period("2023-H2")[0] == "2023-07"
    assert months_in_period("2023-08") == ["2023-08"]
    with pytest.raises(ValueError):
        months_in_period("Q3")


def test_bad_month_is_an_error():
    with pytest.raises(ValueError):
        assess_month(ye_system(), {}, None, Config(), "2023-13")


vals6 = st.lists(st.one_of(st.none(), st.sampled_from([1.0, 2.0, 3.0]),
                           st.floats(min_value=-100, max_value=100, allow_nan=False)),
                 min_size=6, max_size=6)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(vals6, st.sampled_from([HIGHER, LOWER]),
                          st.sampled_from(["rank_steps", "efficacy"])), min_size=1, max_size=5),
       st.integers(min_value=1, max_value=12))
def test_any_month_scores_within_points_and_colours_follow_ranks(rows, month):
    system = IndicatorSystem("t", "f", "s", indicators=[ind(i + 1, f"指标{i + 1}", 1 + i) for i in range(len(rows))])
    table = PeerTable("p", "s", SIX, rows=[peer(i + 1, f"指标{i + 1}", v, d) for i, (v, d, _) in enumerate(rows)])
    body = "\n".join(f'[indicators."{i + 1}"]\nmethod = "{m}"' for i, (_, _, m) in enumerate(rows))
    res = assess_month(system, {}, table, parse_config(body), f"2023-{month:02d}")
    for r, (vals, d, _) in zip(res.indicators, rows):
        if r.score is not None:
            assert 0 <= r.score <= r.points + 1e-9
        for c, s in r.peer_scores.items():
            assert 0 <= s <= r.points + 1e-9
        mine = vals[3]
        if mine is None or all(v is None for i, v in enumerate(vals) if i != 3):  # first of one is no rank
            assert r.rank is None and r.colour is None and r.colour_reason
        else:
            present = [v for v in vals if v is not None]
            better = sum(1 for v in present if (v > mine if d == HIGHER else v < mine)
                         and float(f"{v:.10g}") != float(f"{mine:.10g}"))
            assert r.rank == 1 + better
    ranked = [r for r in res.indicators if r.rank is not None]
    for a in ranked:
        for b in ranked:
            if a.rank < b.rank:
                assert COLOUR_ORDER[a.colour] <= COLOUR_ORDER[b.colour]


def test_events_written_as_words():
    from kaohe_excel.text import events_from_text
    assert [events_from_text(t) for t in ("未发生", "无", "发生2起", "发生", "", "良好")] == [0, 0, 2, 1, None, None]
    ents = ye_entries()
    ents[36] = entry(36, None, dep="县应急管理局")
    ents[36].actual_raw = "发生1起"
    res = assess_month(ye_system(), ents, ye_peers(), Config(), "2023-08")
    assert res.by_key()[K(36)].vetoed and res.excluded


def test_average_column_is_not_a_county():
    table = ye_peers()
    table.counties = SIX + ["六县市平均"]
    for row in table.rows:
        row.values["六县市平均"] = 100.0
    res = by_no(assess_month(ye_system(), ye_entries(), table, Config(), "2023-08"))
    assert res[1].rank == 2 and "六县市平均" not in res[1].peer_ranks and res[1].group_size == 6


def test_peer_row_matched_by_number_when_names_are_close():
    table = PeerTable("p", "s", SIX, rows=[PeerRow(30, "GDP增速", HIGHER, dict(zip(SIX, [1, 2, 3, 4, 5, 6])))])
    res = by_no(assess_month(ye_system(), {}, table, Config(), "2023-08"))
    assert res[30].rank == 3  # 叶县 4 among 1..6
    assert res[1].rank is None  # 序号 1 did not take the row


def test_entries_mapping_with_several_per_indicator():
    ents = {1: [entry(1, 6.0, dep="县统计局"), entry(1, 6.2, dep="县发改委")]}
    res = assess_month(ye_system(), ents, None, Config(), "2023-08")
    assert res.by_key()[K(1)].actual == 6.2


def test_one_card_per_unit_however_its_name_is_written():
    from kaohe_excel.assess import department_scorecard
    from kaohe_excel.assess.results import IndicatorResult, MonthResult

    res = MonthResult(month="2023-08", system_title=None, county="叶县", indicators=[
        IndicatorResult(no=35, name="贷款余额增速", category="", kind="scored", points=2, direction="higher",
                        direction_source="默认", lead=["金融工作服务"], rank=1, group_size=6, colour="green"),
        IndicatorResult(no=49, name="新三板挂牌企业个数", category="", kind="scored", points=1, direction="higher",
                        direction_source="默认", lead=["县金融工作服务中心"], rank=6, group_size=6, colour="red"),
        IndicatorResult(no=1, name="固定资产投资增速", category="", kind="scored", points=5, direction="higher",
                        direction_source="默认", lead=["发改委"], rank=3, group_size=6, colour="yellow"),
    ])
    cards = department_scorecard(res)
    assert [c.department for c in cards] == ["县金融工作服务中心", "发改委"]
    assert [ln.no for ln in cards[0].lines] == [35, 49]


def test_a_card_is_named_as_every_other_report_names_the_department():
    """县生态环境分局 in the system is 生态环境分局 in 报送情况 and the bulletin (as the system writes it, not
    the 生态环境局 of DEPT_ALIASES its files are matched by): its card too, and the department that sent
    nothing (水利局, no entry this month) is named the same way."""
    from kaohe_excel.assess import department_scorecard
    from kaohe_excel.assess.results import IndicatorResult, MonthResult
    from kaohe_excel.units import DepartmentIndex

    system = IndicatorSystem(title="t", file="s.xlsx", sheet="s", indicators=[
        ind(12, "PM2.5平均浓度", 5, lead=("县生态环境分局",)), ind(14, "万元工业增加值用水量", 7, lead=("县水利局",))])
    system.assign_keys()
    names = DepartmentIndex.from_system(system, "云岭县").resolve
    res = MonthResult(month="2024-05", system_title=None, county="云岭县", indicators=[
        IndicatorResult(no=12, name="PM2.5平均浓度", category="", kind="scored", points=5, direction="lower",
                        direction_source="默认", lead=["县生态环境分局"], rank=3, group_size=6, colour="yellow",
                        department="生态环境分局"),
        IndicatorResult(no=14, name="万元工业增加值用水量", category="", kind="scored", points=7, direction="lower",
                        direction_source="默认", lead=["县水利局"], rank=4, group_size=6, colour="yellow"),
    ])
    assert [c.department for c in department_scorecard(res, names=names)] == ["生态环境分局", "水利局"]
    assert [names(d) for d in ("县生态环境分局", "县水利局")] == ["生态环境分局", "水利局"]


def test_an_item_its_unit_did_not_report_is_shown_alike_in_every_report():
    """水利局 sent nothing: its item reads 无数据 on the 部门考核 card and in 预警通报 as in the 一览表
    (figure_shown), never a blank that reads as a zero (helper-49: three different ways)."""
    from kaohe_excel.assess import department_scorecard
    from kaohe_excel.assess.results import IndicatorResult, MonthResult
    from kaohe_excel.write.reports import _lagging_item

    r = IndicatorResult(no=14, name="万元工业增加值用水量", category="", kind="scored", points=7, direction="lower",
                        direction_source="默认", lead=["县水利局"], rank=5, group_size=6, colour="red")
    res = MonthResult(month="2024-05", system_title=None, county="云岭县", indicators=[r])
    assert r.display == "" and r.figure_shown == "无数据"
    (card,) = department_scorecard(res)
    assert card.lines[0].shown == "无数据" == _lagging_item(r, {})["actual"] == r.to_json()["figure_shown"]


def test_counties_missing_from_one_peer_row_make_one_problem():
    """Five counties without a figure are one problem for the indicator, not five; with fewer
    than two figures it says the indicator cannot be ranked."""
    peers = ye_peers()
    peers.rows.append(peer(2, "工业投资占固定资产投资比重", [None, None, 50, 20, None, None], HIGHER))
    peers.rows = [r for r in peers.rows if not (r.no == 2 and r.values.get("舞钢市") == 30)]
    peers.rows.append(peer(30, "地区生产总值增速", [None, None, None, 6.5, None, None], HIGHER))
    peers.rows = [r for r in peers.rows if not (r.no == 30 and r.values.get("宝丰县") == 7.0)]
    res = assess_month(ye_system(), ye_entries(), peers, Config(), "2023-08")
    about = lambda no: [p for p in res.problems if f"第 {no} 项" in p.message and "缺少" in p.message]
    (two,) = about(2)
    assert all(c in two.message for c in ("舞钢市", "汝州市", "鲁山县", "郏县")) and "这些县市不参与" in two.message
    (thirty,) = about(30)
    assert "只有 1 个县市有数值" in thirty.message
    r30 = res.by_key()[K(30)]
    assert (r30.rank, r30.rank_source) == (2, REPORTED)  # first of one is no rank: the 月报 says 2


def test_first_of_one_with_a_reported_rank_says_no_peer_data_to_reach():
    """Only our county has a figure and the 月报 says 4th: the rank is the reported one, and
    the 预警通报 must not claim the next colour needs no catching up (no peer is ranked)."""
    system = IndicatorSystem("t", "f", "s", indicators=[ind(1, "指标1", 5)])
    table = PeerTable("p", "s", SIX, rows=[peer(1, "指标1", [None, None, None, 2.0, None, None])])
    r = assess_month(system, {1: entry(1, 2.0, rank=4)}, table, Config(), "2023-08").indicators[0]
    assert (r.rank, r.rank_source, r.colour) == (4, REPORTED, YELLOW)
    assert "无需追赶" not in r.reach_note and "缺六县市数据" in r.reach_note
    assert r.peer_ranks == {} and r.peer_scores == {}


def test_a_peer_row_the_reader_matched_never_lands_on_a_look_alike_by_its_own_number():
    """The city's sheet numbers its rows its own way: its second 固定资产投资 row (no 2, matched
    by the reader to indicator 1, already taken) must not become indicator 2 (工业投资增速)."""
    system = IndicatorSystem("t", "f.xlsx", "S", indicators=[ind(1, "固定资产投资增速", 5), ind(2, "工业投资增速", 3)])
    rows = [PeerRow(no=9, name="固定资产投资增速", direction=HIGHER, values=dict(zip(SIX, [8, 7, 6, 5, 4, 3])),
                    row=3, key=1),
            PeerRow(no=2, name="固定资产投资增速（全口径）", direction=HIGHER, values=dict(zip(SIX, [1, 2, 3, 4, 5, 6])),
                    row=4, key=1)]
    res = by_no(assess_month(system, {1: entry(1, 5), 2: entry(2, 9.9, rank=3)}, PeerTable("p.xlsx", "S", SIX, rows=rows),
                       Config(), "2023-08"))
    assert res[1].rank == 4  # 8 7 6 [5] 4 3
    assert (res[2].rank, res[2].rank_source) == (3, REPORTED)  # no peer row: the 月报's rank


def test_a_figure_typed_full_width_is_shown_as_the_others():
    """５．５ in a unit's report (or the peer sheet) reads 5.5% in every report, beside 7.2%."""
    from kaohe_excel.assess.month import _display
    from kaohe_excel.assess.results import IndicatorResult

    own = IndicatorResult(no=1, name="地区生产总值增速", category="", kind="scored", points=2, direction="higher",
                          direction_source="默认", actual=5.5, actual_raw="５．５", actual_source="月报")
    assert _display(own, "%") == "5.5%"
    peer = IndicatorResult(no=1, name="地区生产总值增速", category="", kind="scored", points=2, direction="higher",
                           direction_source="默认", actual=5.5, peer_raw="５．５％", actual_source="六县市数据")
    assert _display(peer, "%") == "5.5%"
    words = IndicatorResult(no=2, name="重点工作", category="", kind="scored", points=2, direction="higher",
                            direction_source="默认", qualitative=True, actual_raw="按计划推进（第３阶段）")
    assert _display(words) == "按计划推进（第３阶段）"  # words stay as written


def test_the_same_figure_from_two_units_is_no_conflict_and_the_other_unit_is_named():
    """工信局 writes ８．０%（rank ２）, 财政局 (not responsible for item 5) writes 8.0% without a
    rank: one figure, no 错误; 工信局's row is used and 财政局 is told the item is not its own.
    Two different figures, or two different ranks, are still the error naming both cells."""
    from kaohe_excel.assess.intake import settle_entries
    from kaohe_excel.config import Config

    system = IndicatorSystem(title="t", file="s.xlsx", sheet="s",
                             indicators=[ind(5, "规模以上工业增加值增速", 5, lead=("县工信局",))])
    system.assign_keys()
    config = Config(county="叶县")
    own = entry(5, 8.0, 2, dep="工信局")
    own.actual_raw, own.rank_raw = "８．０%", "２"
    other = entry(5, 8.0, None, dep="财政局")
    got = settle_entries(system, [own, other], config)
    assert got.entries[K(5)] is own
    assert not [p for p in got.problems if p.level == "error"], [p.message for p in got.problems]
    said = [p.message for _e, p in got.not_owner]
    assert len(said) == 1 and "财政局也填报了该项" in said[0] and "采用工信局的数值" in said[0]
    for changed in (entry(5, 8.1, None, dep="财政局"), entry(5, 8.0, 3, dep="财政局")):
        got = settle_entries(system, [own, changed], config)
        errs = [p.message for p in got.problems if p.level == "error"]
        assert len(errs) == 1 and "不同数值" in errs[0] and "财政局" in errs[0], errs


def test_the_estimate_says_which_items_it_left_out_for_want_of_the_others_targets():
    """An item scored against our own target (completion) has figures for every county but no
    score for the others (their targets are unknown): left out of the estimate, and said so."""
    cfg = parse_config('[indicators."1"]\nmethod = "completion"\n')
    ents = ye_entries()
    ents[1] = entry(1, 50, target=80)
    res = assess_month(ye_system(), ents, ye_peers(), cfg, "2023-08")
    one = res.by_key()[K(1)]
    assert one.method == "completion" and one.peer_values and K(1) not in res.estimate_basis
    assert "1项按目标完成情况计分的指标没有其他县市的目标，未计入估算" in res.estimate_note, res.estimate_note


def test_a_periods_rank_change_is_over_the_period_and_a_silent_department_is_said(tmp_path):
    """The quarter's 部门考核: 排名变化 is from the first month of the quarter that ranks the item
    to its last (as the slip note beside it says), never last month's alone; a department that
    sent nothing this month is said so beside its verdict, never only 奖励 (helper-37)."""
    import shutil

    from kaohe_excel import api
    from kaohe_excel.assess.scorecard import period_scorecard
    from kaohe_excel.write.reports import departments_context
    from tests.kaohe_cli import ROOT

    ws = tmp_path / "ws"
    shutil.copytree(ROOT / "input", ws / "input")
    by_month = {m: next(iter(units.values())) for m, units in api.results(ws).items()}
    july, aug = by_month["2023-07"].by_key(), by_month["2023-08"]
    cards = period_scorecard(by_month, "2023-Q3")
    checked = 0
    for card in cards:
        for ln in card.lines:
            r = next(x for x in aug.indicators if x.no == ln.no)
            first = july.get(r.key)
            if first is not None and first.rank is not None and r.rank is not None:
                assert ln.rank_change == first.rank - r.rank, (ln.no, ln.rank_change, first.rank, r.rank)
                checked += 1
    assert checked >= 10
    rewarded = next(c for c in cards if c.verdict == "奖励")
    ctx = departments_context([rewarded], "2023年第三季度", not_sent=[rewarded.department])
    assert (ctx["cards"][0]["verdict"], ctx["cards"][0]["reporting"]) == ("奖励", "本月未报送")
    # a quarter's: who reported late or not at all in its months (helper-37)
    ctx = departments_context([rewarded], "2023年第三季度",
                              discipline={rewarded.department: {"late": ["2023-08"], "missing": ["2023-07"]}})
    assert ctx["cards"][0]["reporting"] == "期内逾期报送1次（8月）；期内未报送1次（7月）"


def test_words_where_the_figure_goes_show_the_figure_that_was_ranked():
    """工信局 writes 较上年减少 where item 2's figure goes; the peer data has 叶县's 20, which is
    ranked (5th): every report shows 20% (the figure that gave the rank) with the words beside it,
    and the check names the cell and both (one truth: no words alone beside a rank they did not give)."""
    entries = ye_entries()
    entries[2] = entry(2, None, dep="县工信局")
    entries[2].actual_raw, entries[2].words = "较上年减少", True
    res = assess_month(ye_system(), entries, ye_peers(), Config(), "2023-08")
    r = by_no(res)[2]
    assert (r.rank, r.actual, r.figure_shown) == (5, 20, "20%（较上年减少）"), (r.rank, r.actual, r.figure_shown)
    said = [p for p in res.problems if p.cell == "G6" and "较上年减少" in p.message and "20" in p.message]
    assert len(said) == 1, [p.message for p in res.problems]


def test_a_completion_items_leader_score_is_not_ours_when_the_others_targets_are_unknown():
    """Item 1 scored by completion of our target, with the peers' figures and no targets of theirs:
    宝丰县 is first but what it earned is unknown. 得分测算's 第一名得分 was our own score printed against
    its name; now it is none, and what we lost is against full marks."""
    cfg = parse_config('[indicators."1"]\nmethod = "completion"\n')
    ents = ye_entries()
    ents[1] = entry(1, 6.2, rank=3, target=8)  # 6.2 / 8 = 77.5 % of 5 = 3.875
    r = by_no(assess_month(ye_system(), ents, ye_peers(), cfg, "2023-08"))[1]
    assert r.leader == "舞钢市" and r.score == pytest.approx(3.875), (r.leader, r.score)
    assert r.leader_score is None and r.points_lost == pytest.approx(1.125)


def test_an_items_own_rank_thresholds_are_the_ones_its_warning_formula_and_the_footnote_use():
    """kaohe.toml gives item 2 its own places (rank_green = 1, rank_yellow = 3): the 一览表's 预警提示
    formula on its rank uses them (it used the report's 2 / 4, right only by chance at 5th), and the
    footnote says so."""
    from kaohe_excel.flows.run import rule_note
    from kaohe_excel.write.reports import overview_context

    cfg = parse_config('[indicators."2"]\nrank_green = 1\nrank_yellow = 3\n')
    res = assess_month(ye_system(), ye_entries(), ye_peers(), cfg, "2023-08")
    r = by_no(res)[2]
    assert r.rank == 5 and r.rank_thresholds == (1, 3) and by_no(res)[1].rank_thresholds == (2, 4)
    rows = {x["no"]: x for c in overview_context(ye_system(), res, {}, (2, 4))["categories"] for x in c["indicators"]}
    assert "<=1," in rows[2]["warning"].text and "<=3," in rows[2]["warning"].text, rows[2]["warning"].text
    assert "<=2," in rows[1]["warning"].text
    assert "第2项排名第1名绿色，2-3名黄色，第4名及以后红色" in rule_note(cfg, 6, res.indicators)[0]


def test_a_yellow_place_past_the_group_is_said():
    """rank_yellow = 9 where six counties are compared: no place can be red. Said, naming kaohe.toml
    and the key (it was taken without a word); a completion threshold past 150% is refused."""
    from kaohe_excel.config import ConfigError

    cfg = parse_config('[indicators."2"]\nrank_yellow = 9\n')
    res = assess_month(ye_system(), ye_entries(), ye_peers(), cfg, "2023-08")
    said = [p for p in res.problems if p.file == "kaohe.toml" and "rank_yellow = 9" in p.message]
    assert len(said) == 1 and "第 2 项" in said[0].message and "6" in said[0].message, [p.message for p in res.problems]
    with pytest.raises(ConfigError):
        parse_config('[warning]\ncompletion_green = 190\n')


def test_the_figure_to_reach_is_printed_to_two_places_and_says_when_it_must_be_passed():
    """需达到 from our target: 28.333333 printed 28.34 (rounded up, so reaching it is enough), and where
    the figure itself is not enough (green needs the completion to pass 56.67%: 34 of 60) 「高于34」 — it
    printed 34 beside a note saying 高于34."""
    from kaohe_excel.write.reports import reach_figure

    cfg = parse_config('[warning]\nrule = "progress"\n')
    ents = ye_entries()
    ents[1] = entry(1, 20, target=50)  # 40 %: 26.67 below the 66.67 % of August -> yellow; green needs > 28.33
    ents[2] = entry(2, 30, target=60, dep="县工信局")  # 50 %: yellow; green needs > 56.67 % of 60 = 34
    res = by_no(assess_month(ye_system(), ents, None, cfg, "2023-08"))
    assert res[1].value_to_reach == pytest.approx(28.333333) and reach_figure(res[1]).startswith("28.34")
    assert res[2].value_to_reach == pytest.approx(34) and res[2].reach_strict
    assert reach_figure(res[2]).startswith("高于34") and "高于34" in res[2].reach_note
    # the note says the printed figure, and the rate a leader reads (helper-49: 31.67% beside 高于31.6667)
    assert "达到28.34（" in res[1].reach_note and "28.3333" not in res[1].reach_note
    assert "完成率超过56.67%" in res[2].reach_note and "56.6667" not in res[2].reach_note


def test_no_first_known_no_first_score_printed():
    """A completion item scored on our own target with no peer figures: nobody is 第一名, so no 第一名得分
    under the blank name (helper-49: full marks printed there); what we lost is against full marks."""
    from kaohe_excel.write.reports import scores_context

    cfg = parse_config('[scoring]\nmethod = "completion"\n')
    ents = ye_entries()
    ents[1] = entry(1, 20, target=50)
    res = assess_month(ye_system(), ents, None, cfg, "2023-08")
    r = res.by_key()[K(1)]
    assert r.score is not None and r.leader is None and r.leader_score is None
    assert r.points_lost == total_of([r.points, -r.score])
    row = next(x for x in scores_context(res, [])["indicators"] if x["no"] == 1)
    assert row["leader"] == "" and row["leader_score"] in ("", None)


def test_an_event_nobody_reported_read_as_none_is_shown_and_counted_as_not_happened():
    """unreported_events = "none": 36 (a constraint) unreported keeps its points as 未发生 — and every
    report says 未报送（按未发生计） with 未发生's green, where the summary counted it under 无数据."""
    cfg = parse_config('unreported_events = "none"\n')
    ents = ye_entries()
    del ents[36]
    res = assess_month(ye_system(), ents, ye_peers(), cfg, "2023-08")
    r = by_no(res)[36]
    assert (r.score, r.colour, r.figure_shown) == (2, GREEN, "未报送（按未发生计）"), (r.score, r.colour, r.figure_shown)
    assert res.colour_counts()[None] == sum(1 for x in res.indicators if x.no_data)
