"""Notation found in real tables: numbers, units, points, names."""

import pytest

from kaohe_excel.text import (cn_to_int, is_section_heading, normalize_name, parse_no, parse_points,
                                   split_lead_support, split_unit_list)


@pytest.mark.parametrize("raw,expected", [
    ("1", 1), ("1.0", 1), (" 12 ", 12), ("（十九）", 19), ("(19)", 19), ("19、", 19), ("十九", 19),
    ("二十三", 23), ("３", 3), ("第3项", 3), ("一百零二", 102), ("", None), ("A", None), ("1.1", None),
])
def test_parse_no(raw, expected):
    assert parse_no(raw) == expected


def test_cn_numerals():
    assert [cn_to_int(s) for s in ["一", "十", "十一", "二十", "九十九", "两"]] == [1, 10, 11, 20, 99, 2]
    assert cn_to_int("十九项") is None


@pytest.mark.parametrize("raw,lead,support", [
    ("牵头：县发改局参与：县统计局", ["县发改局"], ["县统计局"]),
    ("牵头：县发改局\n参与：县统计局", ["县发改局"], ["县统计局"]),
    ("牵头：县投资促进发展中心、县商务局\n参与：县统计局", ["县投资促进发展中心", "县商务局"], ["县统计局"]),
    ("牵头单位：县农业农村局、县工信局 配合单位：县发改局、县统计局",
     ["县农业农村局", "县工信局"], ["县发改局", "县统计局"]),
    ("发改委 财政局", ["发改委", "财政局"], None),
    ("区发改委、各街道办事处", ["区发改委", "各街道办事处"], None),
    ("招商服\n务中心", ["招商服务中心"], None),
    ("农业\n农村局", ["农业农村局"], None),
    ("市生态环境局嘉祥县分局", ["市生态环境局嘉祥县分局"], None),
    ("", [], None),
    # the prose 由X牵头: 由 is no part of the unit's name
    ("由县发改委牵头，县住建局、县自然资源局配合", ["县发改委"], ["县住建局", "县自然资源局"]),
    ("由县卫健局负责", ["县卫健局"], []),
    ("由县发改委（牵头），县统计局（配合）", ["县发改委"], ["县统计局"]),
    ("牵头：由县发改委 参与：县统计局", ["县发改委"], ["县统计局"]),
])
def test_units(raw, lead, support):
    assert split_lead_support(raw) == (lead, support)


def test_unit_list_separators():
    assert split_unit_list("县委编办，县行政审批服务局;各有关部门") == ["县委编办", "县行政审批服务局", "各有关部门"]


@pytest.mark.parametrize("raw,kind,points,overrides,cap", [
    (5, None, 5, {}, None),
    (1.5, None, 1.5, {}, None),
    ("4分", None, 4, {}, None),
    ("1.5分", None, 1.5, {}, None),
    ("扣1.3分", "deduction", -1.3, {}, None),
    ("约束\n条件", "constraint", None, {}, None),
    ("一票否决", "constraint", None, {}, None),
    ("3 (高新区6) (临空经济区6)", None, 3, {"高新区": 6, "临空经济区": 6}, None),
    ("2 (乐至县2.5)", None, 2, {"乐至县": 2.5}, None),
    ("2（乐至县：2.5分）", None, 2, {"乐至县": 2.5}, None),
    ("加0.5分", "bonus", 0.5, {}, None),
    ("每发生一起扣10分，合计扣分不超过30分", "deduction", -10, {}, 30),
    ("５分", None, 5, {}, None),
    ("8+2", None, 10, {}, None),
    ("5分＋5分", None, 10, {}, None),
    ("基础分5分，加分不超过2分", None, 5, {}, None),
    ("基本分3分", None, 3, {}, None),
])
def test_points(raw, kind, points, overrides, cap):
    p = parse_points(raw)
    assert (p.kind, p.points, p.overrides, p.cap, p.ok) == (kind, points, overrides, cap, True)


def test_points_in_parts_say_how_they_were_read():
    assert "合计 10 分" in parse_points("8+2").note
    assert "加分" in parse_points("基础分5分，加分不超过2分").note
    assert parse_points("5").note == "" and parse_points("基本分3分").note == ""


def test_points_garbage_is_flagged():
    assert parse_points("待定").ok is False
    assert parse_points("").points is None and parse_points("").ok


def test_names_keep_meaning():
    assert normalize_name("固定值产 投资增速") == "固定值产投资增速"
    assert normalize_name("招商引资签约\n项目当年开工率") == "招商引资签约项目当年开工率"
    assert normalize_name("PM2.5 年均浓度") == "PM2.5年均浓度"
    assert normalize_name("GDP 增速") == "GDP增速"
    assert normalize_name("R D 投入") == "R D投入"


def test_sections():
    assert is_section_heading("一、项目建设")
    assert is_section_heading("(七) 省、市下达的其他责任目标")
    assert is_section_heading("第二部分 特色指标")
    assert not is_section_heading("项目建设")
    assert not is_section_heading("1. 固定资产投资")


def test_a_cap_in_brackets_is_a_cap_not_a_unit_override():
    """扣2分（最多扣6分）: 6 is the most that can be taken off, not the points of a unit
    called 「最多扣」 (it used to read as an override and lose the cap)."""
    from kaohe_excel.text import parse_points

    p = parse_points("扣2分（最多扣6分）")
    assert (p.kind, p.points, p.cap, p.overrides) == ("deduction", -2, 6, {})
    p = parse_points("3（高新区6）（最高不超过5分）")
    assert (p.points, p.overrides, p.cap) == (3, {"高新区": 6}, None)  # a note on a scored item, no cap
