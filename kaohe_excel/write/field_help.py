"""What each name a template may use means, in the clerk's words, with an example.

`kaohe template check` speaks to the person editing a template in Excel or WPS: not
"identifiers", but "在单元格里写 {{ county }}，报表里就是「叶县」". One table for every
report and form; a name that means different things in different reports says so.
"""

from __future__ import annotations

import difflib

# name -> (meaning, example as printed)
HELP: dict[str, tuple[str, str]] = {
    # every report
    "county": ("本县（市、区）名", "叶县"),
    "year": ("考核年度", "2023"),
    "last_year": ("上一年度（表头用）；在指标行里（x.last_year）是上年度完成情况（位次）", "2022"),
    "month": ("考核月份", "2023-08"),
    "month_no": ("月份数字", "8"),
    "month_label": ("截至月份（走势表里是各月）", "8月底"),
    "period_label": ("考核期间", "2023年1-8月"),
    "system_title": ("指标体系标题", "叶县2023年度高质量发展综合绩效指标完成情况一览表"),
    "annex_label": ("附件编号", "附件2"),
    "generated_at": ("生成时间", "2023-09-05 10:30"),
    "signoff": ("审核签发（signoff.reviewer 审核人、signoff.issuer 签发人、signoff.date 日期）", "审核：王某"),
    "reviewer": ("审核人", "王某"),
    "issuer": ("签发人", "李某"),
    "date": ("签发日期", "2023年9月5日"),
    "demo": ("是否演示数据（真/假，可用于 {% if demo %}）", "假"),
    "rule_note": ("红黄绿预警规则说明", "红黄绿预警提示：排名1-2名的用绿色标识，…"),
    "green_max": ("绿色的最后一名", "2"),
    "yellow_max": ("黄色的最后一名", "4"),
    "group_label": ("比较的县市组", "六县市"),
    "target_label": ("目标列的名称：本县的指标体系是县定目标（区定、市定），上级的指标体系是省定、市定目标", "县定目标"),
    "place": ("本单位称「县」「区」「市」还是「旗」（通报中写「我{{ place }}」「{{ place }}直各有关单位」）", "县"),
    "peer_period": ("六县市数据的数据期（早于本月时才有，如统计数据晚一个月公布）", "数据期1-7月"),
    # lists to go through with {%row for … %}
    "categories": ("指标类别（逐类列出，每类有 label 类别标题、indicators 本类指标）", "一、项目建设"),
    "indicators": ("指标（逐项列出）", "固定资产投资增速"),
    "cards": ("各责任单位（逐个列出，每个有 department、green、yellow、red、verdict、lines）", "发改委"),
    "lines": ("该单位的指标（逐项列出）", "固定资产投资增速"),
    "reward": ("表扬名单（逐个单位列出，每个有 department、items）", "发改委"),
    "criticism": ("批评名单（逐个单位列出，每个有 department、items）", "工信局"),
    "groups": ("按预警颜色分组的指标", "红色预警"),
    "rows": ("表格的各行（逐行列出）", "—"),
    "asks": ("按失分从多到少排列的指标", "固定资产投资增速"),
    "trend": ("逐月走势（每月有 month_label、total、estimated_rank）", "7月"),
    "departments": ("责任单位（一览表中为该指标的责任单位，填报表清单中为各单位）", "发改委、财政局"),
    "counts": ("数量合计（如 counts.errors 错误条数、counts.warnings 提示条数）", "3"),
    # indicator fields
    "no": ("指标序号", "1"),
    "name": ("指标名称", "固定资产投资增速"),
    "label": ("类别标题", "一、项目建设"),
    "category": ("所属类别", "项目建设"),
    "points": ("分值", "5"),
    "points_group": ("共用一个分值格的几项指标的组别（同组的行写 {%cell merge x.points_group %} 合并分值格；单独一项为空）",
                     "一览表:14"),
    "total_points": ("总分", "116"),
    "target": ("县定目标", "8%"),
    "actual": ("截至本月底完成情况", "增长9.4%"),
    "shown": ("本期报送的完成情况", "增长9.4%"),
    "rank": ("排名（数字）", "3"),
    "warning": ("预警颜色", "黄"),
    "rank_change": ("排名变化", "↑2"),
    "note": ("说明", "六县市数据缺本县数值"),
    "method": ("计分方法", "按位次计分"),
    "score": ("得分", "4.2"),
    "lost": ("失分", "0.8"),
    "unscored": ("未计分的分值（无数据）", "2"),
    "leader": ("第一名的县市", "舞钢市"),
    "leader_value": ("第一名的数值", "12.5%"),
    "leader_score": ("第一名的得分", "5"),
    "value_to_reach": ("升一档需达到的数值", "8.5%"),
    "reach_note": ("升一档的说明", "需达到8.5%才能转为黄色"),
    "issues": ("存在问题（单位填报原文）", "个别项目开工滞后"),
    "next_steps": ("下步举措（单位填报原文）", "加快项目前期手续办理"),
    "total": ("合计或估算总分", "96.5"),
    "estimated_rank": ("估算位次", "3"),
    "estimate_note": ("估算依据", "按六县市均有数值的45项指标估算"),
    "excluded": ("是否因约束条件事项不参与排名（是/否）", False),
    "reporting": ("报送情况：本月未报送，或季度、年度中逾期和未报送的月份", "期内逾期报送1次（8月）"),
    "unreported": ("无人报送的减分项、约束条件（是否发生不明）", "约束条件「重大环境污染事件」无人报送，是否发生不明（如已发生，不参与排名）"),
    # department fields
    "department": ("责任单位名称", "发改委"),
    "green": ("绿色项数", "3"),
    "yellow": ("黄色项数", "1"),
    "red": ("红色项数", "2"),
    "none": ("无预警项数（暂无排名与不考核之和）", "0"),
    "no_rank": ("暂无排名项数（暂无数据、文字报送）", "0"),
    "bonus": ("有报送的加分项项数（加分项不设预警）", "0"),
    "not_assessed": ("本单位不考核项数（「---」）", "0"),
    "deduction": ("减分项扣除的分数（无则为空）", "1"),
    "vetoed": ("是否触发约束条件（真/假）", "否"),
    "verdict": ("考核结论", "有奖有惩"),
    "role": ("牵头或参与", "牵头"),
    "tier": ("所在方阵", "第一方阵"),
    "slip_note": ("位次下滑说明", "由7月第2名降至第4名"),
    "items": ("所列指标（请写成 r['items']）", "1.固定资产投资增速；6.亿元及以上新开工项目个数"),
    # submission status
    "owed": ("应报指标数", "6"),
    "reported": ("已报指标数", "5"),
    "unavailable": ("暂无数据的指标数", "1"),
    "status": ("报送状态", "已报送"),
    "file": ("文件名", "叶县发改委2023年8月指标进展情况.xlsx"),
    "submitted_at": ("报送日期", "2023-09-03"),
    "submitted": ("已报送单位数", "18"),
    "late": ("逾期报送单位数", "2"),
    "missing": ("未报送单位数", "1"),
    "deadline_label": ("报送截止日期", "2023年9月5日"),
    # 校验报告
    "level": ("级别", "错误"),
    "sheet": ("工作表", "Sheet1"),
    "cell": ("单元格", "G7"),
    "message": ("问题说明", "“截至本月底完成情况”应为数值"),
    "errors": ("错误条数", "2"),
    "warnings": ("提示条数", "3"),
    # 排名总表 (the view from above)
    "unit": ("参评单位名称（排名总表）", "汝州市"),
    "units": ("各单位（某一类别里逐个列出）", "汝州市"),
    "rate": ("折算得分（得分 ÷ 本单位满分 × 100）", "69.48"),
    "prev_rank": ("上月名次", "4"),
    "prev_month_label": ("上月（位次变化与之相比）", "7月"),
    "heading": ("指标块的标题（序号、名称、方向、单位）", "1. 地区生产总值增速（正向，单位：%）"),
    "cells": ("某项指标下各单位的一行（逐个列出）", "—"),
    "display": ("完成情况（报表里显示的样子）", "增长9.4%"),
    # fill-in forms
    "title": ("填报表标题", "叶县发改委2023年9月指标进展情况"),
    "sheet_name": ("工作表名", "9月"),
    "dept": ("填报单位", "发改委"),
    "n_peers": ("比较的县市数", "6"),
    "rule_hint": ("预警规则提示", "（排名1-2名为绿，3-4名为黄，5-6名为红）"),
    "deadline": ("报送截止日期（日期值）", "2023-10-05"),
    "deadline_rule": ("报送时限说明", "每月5日前"),
    "source_month": ("上期数据所在月份", "2023-08"),
    "source_note": ("上期数据说明", "上月数据取自8月报表"),
}


def meaning(name: str) -> str:
    """'县（市、区）名，如「叶县」' for a name the reports give; '' for one they do not."""
    h = HELP.get(name)
    if h is None:
        return ""
    return f"{h[0]}，如「{h[1]}」" if h[1] and h[1] != "—" else h[0]


def suggestion(name: str, known: set[str] | frozenset[str]) -> str:
    """'是不是想写 county（本县（市、区）名）？' for a misspelt name, else ''."""
    near = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
    if not near:
        return ""
    h = HELP.get(near[0])
    return f"是不是想写 {near[0]}" + (f"（{h[0]}）" if h else "") + "？"
