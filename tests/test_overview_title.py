"""The 一览表 is called as the system is, its document word (任务分工表, 责任分解表, 指标分工,
及责任分工, 及权重, 权重表…) replaced by 完成情况一览表: not garbled (…指标责任指标完成情况一览表
from …指标责任分解表), not replaced by the default …高质量发展综合绩效… title."""

from __future__ import annotations

import pytest

from kaohe_excel.write.reports import overview_title


@pytest.mark.parametrize("system_title,expected", [
    ("青溪县2024年度县域经济争先进位指标责任分解表", "青溪县2024年度县域经济争先进位指标完成情况一览表"),
    ("龙泉县2024年度经济社会发展综合考核指标分工", "龙泉县2024年度经济社会发展综合考核指标完成情况一览表"),
    ("临川县2024年度目标管理绩效考核指标及责任分工", "临川县2024年度目标管理绩效考核指标完成情况一览表"),
    ("北川市2024年度镇街综合考核指标及权重", "北川市2024年度镇街综合考核指标完成情况一览表"),
    ("北川市2024年度镇街综合考核指标权重表", "北川市2024年度镇街综合考核指标完成情况一览表"),
    ("南岭县2024年度综合考核指标汇总表", "南岭县2024年度综合考核指标完成情况一览表"),
    ("桐柏县2024年度考核指标", "桐柏县2024年度考核指标完成情况一览表"),
    # as before
    ("清河县2024年度考核指标任务分工表", "清河县2024年度考核指标完成情况一览表"),
    ("叶县2023年度高质量发展考核指标体系及任务分工表", "叶县2023年度高质量发展考核指标完成情况一览表"),
    ("东阳区2024年度高质量发展综合绩效考核细则", "东阳区2024年度高质量发展综合绩效指标完成情况一览表"),
    ("指标体系：一、经济发展（40分）", "甲县2024年度高质量发展综合绩效指标完成情况一览表"),
    (None, "甲县2024年度高质量发展综合绩效指标完成情况一览表"),
])
def test_the_overview_is_named_after_the_system(system_title, expected):
    assert overview_title(system_title, "甲县", 2024) == expected
