"""The table finder and the system reader on in-memory grids shaped like real sheets."""

from kaohe_excel.read.grid import grid_from_rows
from kaohe_excel.read.system import SYSTEM_ROLES, system_from_table
from kaohe_excel.read.tables import find_table


def _system(rows, merges=None):
    grid = grid_from_rows(rows, merges)
    table = find_table(grid, SYSTEM_ROLES)
    assert table is not None
    return system_from_table(table)


def test_two_row_header_with_unit_columns_and_overrides():
    rows = [
        ["附件1", "", "", "", "", "", ""],
        ["2023年度目标任务分解表", "", "", "", "", "", ""],
        ["序号", "指标名称", "分值", "牵头单位", "2023年目标任务", "", ""],
        ["", "", "", "", "雁江区", "安岳县", "高新区"],
        [1, "地区生产总值增速", "3 (高新区6)", "发改委", "<120%", "按全省平均水平比较考核", "---"],
        [2, "一般公共预算收入", 2, "财政局", 8.5, 7, 6],
        [3, "招商引资到位资金", 4, "投促局", "10亿元", "", ""],
        ["注：高新区不考核第1项以外的…", "", "", "", "", "", ""],
    ]
    merges = [(1, 0, 1, 6), (2, 0, 3, 0), (2, 1, 3, 1), (2, 2, 3, 2), (2, 3, 3, 3), (2, 4, 2, 6),
              (6, 4, 6, 6), (7, 0, 7, 6)]
    s = _system(rows, merges)
    assert s.units == ["雁江区", "安岳县", "高新区"]
    assert s.title == "2023年度目标任务分解表"
    a, b, c = s.indicators
    assert a.points == 3 and a.points_by_unit == {"雁江区": 3, "安岳县": 3, "高新区": None}
    assert a.targets == {"雁江区": "<120%", "安岳县": "按全省平均水平比较考核"}
    assert b.targets == {"雁江区": 8.5, "安岳县": 7, "高新区": 6}
    # a target merged across unit columns applies to each
    assert c.targets == {"雁江区": "10亿元", "安岳县": "10亿元", "高新区": "10亿元"}
    assert s.total_points == 9
    assert s.total_points_by_unit == {"雁江区": 9, "安岳县": 9, "高新区": 6}


def test_a_unit_named_as_its_administrative_committee_is_a_unit():
    """A new district that answers as its 管理委员会 (栖霞湖新区管理委员会) is one of the units with
    targets (it was left out of the system, and so of the whole league, without a word); a
    department called a 委员会 (城市管理委员会, 卫生健康委员会) is no place."""
    from kaohe_excel.read.tables import is_place

    rows = [
        ["附件1", "", "", "", "", "", ""],
        ["澄州市2024年度区县高质量发展综合绩效考核指标体系及目标任务分解表", "", "", "", "", "", ""],
        ["序\n号", "考核指标", "分\n值", "牵头单位", "2024年度目标任务", "", ""],
        ["", "", "", "", "青川区", "澄州市栖霞湖新区管理委员会", "澄州高新区"],
        [1, "地区生产总值增速", "4 (高新区6)", "市发展改革委", 6.0, 8.0, 9.0],
        [2, "规模以上工业增加值增速", 4, "市工业和信息化局", 7.0, "---", 12.0],
    ]
    merges = [(1, 0, 1, 6), (2, 0, 3, 0), (2, 1, 3, 1), (2, 2, 3, 2), (2, 3, 3, 3), (2, 4, 2, 6)]
    s = _system(rows, merges)
    assert s.units == ["青川区", "澄州市栖霞湖新区管理委员会", "澄州高新区"]
    assert s.indicators[1].points_by_unit["澄州市栖霞湖新区管理委员会"] is None  # ---
    assert is_place("栖霞湖新区管理委员会") and is_place("某某经济技术开发区管理委员会")
    assert not is_place("城市管理委员会") and not is_place("卫生健康委员会")


def test_repeated_header_sections_constraints_and_subitems():
    rows = [
        ["序号", "指标\n属性", "指标名称", "指标\n分值", "牵头单位"],
        ["一、经济发展", "", "", "", ""],
        [1, "共性指标", "GDP增速", 5, "发改局"],
        ["", "共性指标", "（1）规上工业增加值", "", "工信局"],
        [2, "共性指标", "扣分事项：安全事故", "扣1.3分", "应急局"],
        ["序号", "指标\n属性", "指标名称", "指标\n分值", "牵头单位"],
        [3, "约束条件", "重大食品安全事故", "约束\n条件", "市场监管局"],
        [4, "约束条件", "重大群体性事件", "约束\n条件", "公安局"],
        ["", "", "", "", ""],
        ["注：1、约束条件不计分。", "", "", "", ""],
    ]
    merges = [(1, 0, 1, 4), (2, 1, 4, 1), (6, 1, 7, 1), (6, 3, 7, 3), (9, 0, 9, 4)]
    s = _system(rows, merges)
    names = [i.name for i in s.indicators]
    assert names == ["GDP增速", "（1）规上工业增加值", "扣分事项：安全事故", "重大食品安全事故", "重大群体性事件"]
    gdp, sub, ded, c1, c2 = s.indicators
    assert gdp.path == ["经济发展", "共性指标"]
    assert sub.shares_points_with_row == gdp.row and sub.points == 5
    assert ded.kind == "deduction" and ded.points == -1.3
    assert c1.kind == c2.kind == "constraint" and c1.points is None and c2.points is None
    assert s.total_points == 5


def test_chinese_numbered_category_rows_totals_and_nineteen():
    rows = [
        ["序号", "指标内容", "分值", "责任单位"],
        ["一", "项目建设", 7, ""],
        [1, "固定值产 投资增速", 5, "发改委"],
        ["（十九）", "第三产业增加值占比", "2分", "发改委"],
        ["二", "约束性指标", "", ""],
        [3, "较大及以上生产安全事故", "-2", "应急管理局"],
        ["合计", "", 8, ""],
    ]
    s = _system(rows)
    assert [(i.no, i.path, i.name, i.points, i.kind) for i in s.indicators] == [
        (1, ["项目建设"], "固定值产投资增速", 5, "scored"),
        (19, ["项目建设"], "第三产业增加值占比", 2, "scored"),
        (3, ["约束性指标"], "较大及以上生产安全事故", -2, "deduction"),
    ]
    assert s.indicators[0].name_raw == "固定值产 投资增速"
    # the 合计 row says 8 but the indicators sum to 7
    assert any(p.cell == "C7" and "8" in p.message for p in s.problems)


def test_number_inside_name_when_no_number_column():
    rows = [["指标名称", "分值", "责任单位"], ["1.地区生产总值增速", 5, "县发改委"], ["2、税收占比", 3, "县财政局"]]
    s = _system(rows)
    assert [(i.no, i.name) for i in s.indicators] == [(1, "地区生产总值增速"), (2, "税收占比")]


def test_one_search_for_any_role_answers_as_each_role_in_turn():
    """The joined pattern (tables._any_of) only spares the searches: every cell text of the demo
    workspace, and header words with their notes, get the same role from the readers' lists as
    when each role's pattern is tried in turn; a list whose patterns cannot be joined is tried
    in turn."""
    from pathlib import Path

    from kaohe_excel.read import tables
    from kaohe_excel.read.columns import SUBMISSION_ROLES
    from kaohe_excel.read.grid import read_grids
    from kaohe_excel.read.peers import PEER_ROLES

    texts = {"序号", "指标名称（单位：%）", "分值（分）", "责任单位", "牵头单位", "2023年完成值", "1-8月完成情况",
             "计量单位", "评分标准", "备注", "12.5", "第3名", "", "数据来源：县统计局"}
    for f in sorted(Path(__file__).resolve().parents[1].joinpath("input").rglob("*.xls*")):
        for g in read_grids(f):
            texts.update(str(v) for row in g.cells for v in row if v is not None)
    assert len(texts) > 500
    for roles in (SYSTEM_ROLES, PEER_ROLES, SUBMISSION_ROLES):
        _roles, compiled, _memo, joined = tables._role_entry(roles)
        assert joined is not None
        found = {t: tables._role_lookup(t, compiled, joined) for t in texts}
        assert found == {t: tables._role_lookup(t, compiled) for t in texts}
        assert len({r for r in found.values() if r}) >= 5
    assert tables._any_of([("a", r"^(x)\1$"), ("b", r"y")]) is None  # \1 would be another group's
    assert tables._any_of([("a", r"(?i)x"), ("b", r"y")]) is None  # the flag would reach b too


def test_a_peer_row_named_with_its_unit_after_a_bracket_of_its_own_is_the_systems_indicator():
    """固定资产投资增速（不含…投资）（%） in a bureau's table is the system's 固定资产投资增速（不含…投资）:
    the unit after the name's own bracket is left out as a unit alone is (the row was refused,
    the item unscored for every unit)."""
    from kaohe_excel.model import Indicator, IndicatorSystem
    from kaohe_excel.read.matching import IndicatorMatcher, name_key

    full = "固定资产投资增速（不含房地产开发投资和跨区域重大基础设施项目投资）"
    assert name_key(full + "（%）") == name_key(full) == name_key("固定资产投资增速（%）")
    system = IndicatorSystem(title="t", file="s.xlsx", sheet="s", indicators=[
        Indicator(no=n, row=n + 3, path=["经济发展"], name=x, name_raw=x, points=3, lead=["发改委"], cell=f"B{n + 3}")
        for n, x in ((1, "地区生产总值增速"), (3, full), (4, "社会消费品零售总额增速"))])
    system.assign_keys()
    got, score = IndicatorMatcher(system).by_name(full + "（%）")
    assert got is not None and got.no == 3 and score == 100


def test_a_units_short_name_in_an_override_is_that_unit_not_a_new_one():
    """`3 (翠屏高新区5)` over a column headed 翠屏高新技术产业开发区 (the bureau's short name): the override is
    that unit's, and no 41st unit 翠屏高新区 appears with the override and none of the real one's `---`
    and targets; the peer table's 翠屏高新区 column and a file named so are that unit too."""
    from kaohe_excel.read.month_files import _unit_named
    from kaohe_excel.text import abbreviates

    rows = [
        ["附件1", "", "", "", "", ""],
        ["岫川省2025年度县域经济高质量发展考核任务分工表", "", "", "", "", ""],
        ["序号", "考核指标", "分值", "牵头单位", "2025年目标任务", ""],
        ["", "", "", "", "青岚县", "翠屏高新技术产业开发区"],
        [1, "地区生产总值增速", "3 (翠屏高新区5)", "省发展改革委", 6.0, 9.0],
        [2, "粮食总产量", 2, "省农业农村厅", 30, "---"],
    ]
    merges = [(1, 0, 1, 5), (2, 0, 3, 0), (2, 1, 3, 1), (2, 2, 3, 2), (2, 3, 3, 3), (2, 4, 2, 5)]
    s = _system(rows, merges)
    assert s.units == ["青岚县", "翠屏高新技术产业开发区"]
    assert s.total_points_by_unit == {"青岚县": 5, "翠屏高新技术产业开发区": 5}, s.total_points_by_unit
    assert not [p for p in s.problems if "翠屏高新区" in p.message], [p.message for p in s.problems]
    assert abbreviates("翠屏高新区", "翠屏高新技术产业开发区") and not abbreviates("青川区", "青川区")
    assert not abbreviates("高新区", "翠屏高新技术产业开发区") and not abbreviates("翠屏县", "翠屏高新技术产业开发区")
    assert _unit_named("翠屏高新区", ["青岚县", "翠屏高新技术产业开发区"]) == "翠屏高新技术产业开发区"
