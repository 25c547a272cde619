"""The demo months of Ye county (演示数据): `input/2023-07/` and `input/2023-08/`.

`register(month)` adds both months to tools/make_demo.py's registry:

    python tools/make_demo_month.py          # system + months + 说明 (same options as make_demo.py)
    python tools/make_demo.py                # once make_demo.py calls register(month)

August is a realistic mess: twenty of the twenty-one departments report (水利局 does
not), 商务局 reports after the deadline (填报日期 9月9日, due 9月6日), 农业农村局 and 人社局
send old .xls files, 工信局 sends a draft and then a corrected file, 发改委 and 财政局
both report indicator 15 with different values, ranks are written eight ways, one
sheet has a #DIV/0! cell and one a rank of 7 among six counties, names carry line-wrap
spaces and a typo, sheets are renamed, blank rows and empty extra sheets abound. July
is the previous month (for rank changes): every department but 水利局, on time.

The figures read like a real month: every indicator has a target and a last-year
figure in its own form (growth rates 增长8% or 8%, shares such as 城镇化率 60.5%, counts
such as 25个 / 12家 / 5500人, PM2.5 in 微克/立方米, accidents in 起), and each department
reports its value in the form and unit of its target. Our county's value is the one
the peer sheet (六县市数据) gives for 叶县, and the rank written beside it is the rank
those peer figures give. Counties keep their level from one month to the next
(counts only grow), so July and August tell one story. Yellow and red rows carry a
short 存在问题 / 下步举措 in the words a department would use; green rows leave them blank.

All numbers are synthetic; the sign-off lines hold placeholders, no real names or
phone numbers (主要负责人：（演示）, 联系电话：0000000（演示）). Fixed seeds: rebuilding
without changes leaves the files byte-identical.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
for p in (ROOT, ROOT / "tools"):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))

from tests.month_fixtures import (  # noqa: E402
    RANK_STYLES,
    YE_INDICATORS,
    YE_LOWER,
    YE_PEERS,
    Row,
    Sheet,
    _rank_of,
    write_peers_xlsx,
    write_rank,
    write_sheet_xls,
    write_sheet_xlsx,
    ye_departments,
    ye_name,
    ye_nos,
)

COUNTY = "叶县"
YEAR = 2023
SEED = 8

# Sign-off placeholders: clearly synthetic, still natural on the page. The phone is all
# zeros and has no area code, so it can never be mistaken for (or match) a real number.
PEOPLE = ("（演示）", "（演示）", "0000000（演示）")  # 主要负责人, 填报人, 联系电话: no real person


# ----------------------------------------------------------------------------- indicators

@dataclass(frozen=True)
class Spec:
    """How one measured indicator's figures look.

    kind: growth (增速, %, may be negative) | share (率/比重/占比, %) | count (integers
    with a unit, cumulative over the year) | conc (PM2.5, lower is better) | events
    (accidents, lower is better). center/spread: the six counties' levels at the end of
    August are center ± spread (for counts: the annual total); jitter: how much a
    county's figure moves from one month to the next. target / last: as the county's
    sheet writes them (last: 2022年度完成情况（位次）)."""

    kind: str
    target: str
    last: str
    center: float = 0.0
    spread: float = 0.0
    jitter: float = 0.0
    unit: str = "%"
    decimals: int = 1
    progress: bool = False  # a share that climbs through the year (开工率, 投资完成率, 投产率)


SPECS: dict[int, Spec] = {
    1: Spec("growth", "8%", "1.7%（3）", 6.0, 6.0, 1.5),
    2: Spec("share", "42%", "38.6%（4）", 40.0, 8.0, 1.5),
    3: Spec("share", "80%", "76.4%（2）", 70.0, 15.0, 3.0, progress=True),
    4: Spec("share", "70%", "68.5%（3）", 55.0, 12.0, 3.0, progress=True),
    5: Spec("share", "50%", "46.2%（4）", 40.0, 12.0, 3.0, progress=True),
    6: Spec("count", "25个", "22个（3）", 24, 10, unit="个"),
    7: Spec("growth", "15%", "13.8%（4）", 12.0, 9.0, 2.0),
    8: Spec("growth", "10%", "18.6%（2）", 10.0, 14.0, 3.0),
    9: Spec("share", "35%", "31.2%（4）", 30.0, 10.0, 2.0),
    10: Spec("count", "12家", "9家（4）", 12, 6, unit="家"),
    11: Spec("count", "5个", "3个（5）", 5, 3, unit="个"),
    12: Spec("share", "45%", "38.5%（3）", 35.0, 12.0, 1.5),
    13: Spec("share", "1.2%", "0.86%（4）", 0.9, 0.4, 0.1, decimals=2),
    14: Spec("share", "38%", "35.7%（3）", 36.0, 6.0, 1.0),
    15: Spec("growth", "10%", "12.3%（2）", 10.0, 9.0, 2.0),
    16: Spec("growth", "10%", "9.6%（3）", 9.0, 9.0, 2.0),
    17: Spec("share", "88%", "86.1%（4）", 85.0, 6.0, 1.0),
    18: Spec("count", "20家", "17家（3）", 20, 8, unit="家"),
    19: Spec("growth", "6.5%", "3.9%（3）", 5.5, 3.0, 0.8),
    20: Spec("share", "60.5%", "59.2%（3）", 58.5, 3.0, 0.2),
    21: Spec("growth", "增长6%", "增长4.9%（4）", 5.2, 1.5, 0.3),
    22: Spec("growth", "增长7.5%", "增长6.8%（3）", 7.0, 1.5, 0.3),
    23: Spec("growth", "增长8%", "增长7.1%（3）", 6.0, 7.0, 1.5),
    25: Spec("share", "95%", "91.3%（4）", 90.0, 7.0, 1.0),
    26: Spec("share", "4.5%", "5.1%（3）", 4.0, 2.0, 0.5),
    27: Spec("share", "68%", "64.9%（4）", 62.0, 8.0, 1.5),
    28: Spec("conc", "45微克/立方米", "49.3微克/立方米（4）", 48.0, 6.0, 1.0, unit="微克/立方米"),
    30: Spec("growth", "7%", "4.6%（3）", 5.0, 3.0, 0.8),
    31: Spec("growth", "增长6.5%", "增长2.1%（4）", 5.0, 4.0, 1.0),
    33: Spec("count", "6000人", "5832人（3）", 6200, 1400, unit="人"),
    34: Spec("count", "7500人", "7120人（2）", 7500, 2000, unit="人"),
    35: Spec("growth", "增长10%", "增长11.2%（3）", 9.0, 4.0, 0.8),
    36: Spec("events", "0起", "0起（1）", unit="起"),
    49: Spec("count", "1家", "1家（2）", 1, 0.5, unit="家"),
}

# Qualitative indicators (reported in words; the city ranks 24, 29, 32 and 37):
# no -> (2023年度县定目标, 2022年度完成情况（位次）, 截至本月底完成情况)
QUALITATIVE: dict[int, tuple[str, str, str]] = {
    24: ("完成市定建设任务", "已完成，第2名", "项目区已全面开工，正在加快施工"),
    29: ("国、省控断面水质达标", "已完成，第3名", "国、省控断面水质稳定达标"),
    32: ("按期完成市定民生实事", "已完成，第2名", "按序时推进"),
    37: ("完成市定化债和暂付款消化任务", "已完成，第4名", "债务风险总体可控，暂付款按计划消化"),
    38: ("结案率达到省、市要求", "已完成", "按期结案，信访形势总体平稳"),
    39: ("完成市定目标任务", "已完成", "按序时推进"),
    40: ("完成市定目标任务", "已完成", "正常推进"),
    41: ("完成市定目标任务", "已完成", "按序时推进"),
    42: ("完成市定目标任务", "已完成", "正常推进"),
    43: ("完成市定目标任务", "已完成", "按序时推进"),
    44: ("完成市定目标任务", "已完成", "正常推进"),
    45: ("完成市定目标任务", "已完成", "科普活动按计划开展"),
    46: ("完成市定目标任务", "已完成", "正常推进"),
    47: ("完成市定目标任务", "已完成", "按序时推进"),
    48: ("完成市定目标任务", "已完成", "按序时推进"),
}
CITY_RANKED = (24, 29, 32, 37)

# Departments that write growth as 增长x% / 下降x%; the others write x% / -x%.
GROWTH_IN_WORDS = {"人社局", "农业农村局", "商务局", "金融工作服务中心"}
# Departments whose shares are numbers in cells formatted 0.0% (they look the same).
PERCENT_CELLS = {"招商服务中心", "农业农村局"}

# 存在问题 / 下步举措 for a yellow or red row: two pairs per indicator, one per month.
ISSUES: dict[int, tuple[tuple[str, str], tuple[str, str]]] = {
    1: (("部分重点项目前期手续办理滞后，新开工项目入库纳统偏慢", "实行重点项目周调度、月通报，推动符合条件的项目应入尽入"),
        ("房地产开发投资持续下滑，拉低全县投资增速", "加快在建项目建设进度，谋划储备一批重大项目，扩大有效投资")),
    2: (("新开工工业项目偏少，工业投资支撑不足", "加快工业项目签约落地，推动已签约项目尽快开工纳统"),
        ("部分工业项目资金到位不及时，建设进度放缓", "强化要素保障和资金协调，帮助企业解决融资难题")),
    3: (("部分签约项目用地、环评等前期手续未办结，开工延后", "建立签约项目台账，逐项明确责任人和开工时限，压茬办理前期手续"),
        ("个别签约企业投资意愿下降，项目推进缓慢", "加强与签约企业沟通对接，及时协调解决项目落地中的困难问题")),
    4: (("部分项目资金到位慢，实际投资进度滞后于计划", "实行项目投资月调度，督促企业按计划投入资金"),
        ("项目投资统计不及时，部分已完成投资未纳入统计", "加强与统计部门对接，及时做好项目投资入统工作")),
    5: (("部分项目设备安装调试进度偏慢，尚未达产", "加强项目全过程服务，协调供电、供气等配套，推动项目早投产"),
        ("受市场需求影响，个别已建成项目推迟投产", "帮助企业对接市场和订单，推动具备条件的项目尽快投产")),
    6: (("亿元以上项目储备不足，新开工项目接续乏力", "加大项目谋划储备力度，推动一批亿元以上项目集中开工"),
        ("部分项目受土地指标制约，开工时间推迟", "积极争取用地指标，盘活存量土地，保障项目按期开工")),
    7: (("部分企业研发投入意愿不强，研发费用归集不规范", "指导企业规范设立研发费用辅助账，落实研发费用加计扣除政策"),
        ("重点企业研发投入下降，带动作用减弱", "开展研发投入专项辅导，引导骨干企业加大研发投入")),
    8: (("受财政收支矛盾影响，科技支出拨付进度偏慢", "优化支出结构，优先保障科技创新领域资金拨付"),
        ("部分科技项目资金未到支付节点，支出进度滞后", "督促项目单位加快实施进度，及时办理资金支付")),
    9: (("企业技改意愿不强，新开工技改项目偏少", "落实技改奖补政策，引导企业实施智能化、绿色化改造"),
        ("部分技改项目设备采购未到位，投资进度滞后", "加强技改项目跟踪服务，推动项目加快实施、及时入统")),
    10: (("高新技术企业后备培育不足，企业申报积极性不高", "建立高新技术企业后备库，组织专家上门辅导申报"),
         ("部分到期企业重新认定未通过，净增数减少", "提前摸排到期企业情况，指导做好重新认定申报工作")),
    11: (("创新平台建设基础薄弱，省级以上平台申报数量少", "引导龙头企业与高校、科研院所共建研发平台"),
         ("部分企业创新平台申报材料准备不充分", "组织申报培训，对拟申报企业进行一对一指导")),
    12: (("部分规上企业尚未建立研发机构，覆盖率提升慢", "逐企摸排研发机构建设情况，分类指导、限期建成"),
         ("新入规企业研发基础薄弱，研发机构建设滞后", "加大对新入规企业的指导服务，推动研发机构应建尽建")),
    13: (("企业技术合同登记意识不强，部分技术交易未登记", "加强技术合同登记政策宣传，做到应登尽登"),
         ("技术转移服务机构少，成果转化渠道不畅", "引导企业与高校院所开展产学研合作，促进科技成果转化")),
    14: (("受原材料价格上涨影响，部分企业产值回落", "加强重点企业运行监测，帮助企业稳订单、保生产"),
         ("新增产能释放不足，工业对经济增长贡献下降", "加快在建工业项目建设，推动新增产能尽快释放")),
    15: (("战略性新兴产业规模偏小，重点企业产值增长放缓", "加强重点企业监测调度，推动新兴产业项目尽快投产达效"),
         ("部分新兴产业企业订单不足，产销率下降", "组织产销对接活动，帮助企业开拓市场、稳定订单")),
    16: (("部分高新技术企业产品价格下行，产值回落", "加强企业运行监测，一企一策帮助企业解决困难"),
         ("高新技术产业项目投产进度滞后，新增产值有限", "加快推进在建项目建设，推动早投产、早见效")),
    17: (("制造业企业受市场需求偏弱影响，增加值增长放缓", "开展制造业企业稳产增产专项服务，帮助企业拓市场、保订单"),
         ("部分制造业企业停产减产，拉低制造业比重", "逐企分析停产减产原因，协调解决资金、用工等问题，推动尽快复产")),
    18: (("新入规企业培育储备不足，小升规进度偏慢", "建立小升规培育库，实行一企一策精准帮扶"),
         ("部分规上企业经营困难退库，净增数减少", "加强规上企业运行监测，对退库风险企业提前介入帮扶")),
    19: (("服务业新增入统单位少，规上服务业营业收入增长放缓", "加强服务业企业培育入库，做到应统尽统"),
         ("交通运输、房地产等行业增速回落，拉低服务业增长", "紧盯重点行业加强运行分析，推动现代服务业加快发展")),
    20: (("城区承载能力不足，农业转移人口市民化进度偏慢", "推进新型城镇化建设，落实农业转移人口落户和公共服务政策"),
         ("县城产业支撑不足，吸纳人口集聚能力较弱", "加快县城产业园区建设，以产兴城、以城聚人")),
    21: (("工资性收入增长放缓，城镇居民增收渠道较窄", "落实稳就业、促增收政策，拓宽城镇居民增收渠道"),
         ("个体经营户经营性收入恢复较慢", "落实减税降费和助企纾困政策，支持个体工商户稳定经营")),
    22: (("农民经营性收入受农产品价格波动影响较大", "发展特色种养和农村电商，带动农民增收"),
         ("外出务工人员减少，工资性收入增长放缓", "加强劳务对接和技能培训，稳定农民工就业")),
    23: (("受农产品市场价格波动影响，加工企业营业收入下滑", "支持农产品加工企业拓展销售渠道，稳定生产经营"),
         ("龙头企业带动能力不强，精深加工比重低", "培育壮大农业产业化龙头企业，延伸农产品加工链条")),
    24: (("部分项目区施工进度滞后，验收工作尚未完成", "倒排工期，加快施工进度，确保按期完成建设任务"),
         ("受降雨天气影响，部分标段施工受阻", "合理调配施工力量，抢抓晴好天气加快施工")),
    25: (("部分村户厕改造质量不高，存在渗漏、使用不便等问题", "开展户厕问题摸排整改，逐户建立整改台账"),
         ("改厕后续管护机制不健全，粪污收运不及时", "健全长效管护机制，完善粪污收集转运体系")),
    26: (("部分高耗水企业节水改造进度偏慢", "推进工业节水改造，推广应用节水工艺和设备"),
         ("重点用水企业计量设施不完善", "完善重点用水企业计量监控，落实计划用水管理")),
    27: (("受不利气象条件和臭氧污染影响，优良天数比例下降", "落实重污染天气应急减排措施，强化臭氧污染协同防控"),
         ("扬尘管控不到位，部分工地防尘措施落实不严", "开展扬尘污染专项整治，严格落实施工工地防尘措施")),
    28: (("颗粒物浓度同比上升，秸秆焚烧、散煤燃烧管控压力大", "加强秸秆禁烧和散煤治理，强化重点区域巡查管控"),
         ("机动车尾气和道路扬尘污染较重", "加强重型柴油车管控和道路机扫保洁，减少道路扬尘")),
    29: (("部分断面水质不稳定，支流沿线存在生活污水直排", "加强重点断面水质监测，推进入河排污口排查整治"),
         ("受汛期面源污染影响，部分断面水质波动", "强化汛期水质监测预警，加强农业面源污染治理")),
    30: (("工业、投资等主要指标增速回落，对经济增长支撑不足", "紧盯主要指标和重点行业，加强经济运行分析和调度"),
         ("部分重点企业产值下滑，经济增长新动能不足", "加快重点项目建设和企业培育，积极培育新的经济增长点")),
    31: (("消费需求恢复偏慢，限上商贸企业销售额增长乏力", "开展促消费系列活动，发放消费券，释放消费潜力"),
         ("新增限上商贸企业少，入统支撑不足", "加强限上商贸企业培育入库，做到应统尽统")),
    32: (("部分民生实事项目前期手续办理滞后", "实行台账管理，定期督查通报，确保按期完成"),
         ("个别项目资金未及时到位，影响工程进度", "加强督导协调，推动资金及时拨付、项目按序时推进")),
    33: (("部分企业用工需求下降，新增就业岗位不足", "加大招聘活动密度，开发公益性岗位，促进重点群体就业"),
         ("高校毕业生等重点群体就业信息登记不及时", "加强就业信息实名登记和数据比对，做到应统尽统")),
    34: (("职业技能培训开班进度偏慢，取证人数增长不快", "加快职业技能培训开班进度，组织参训人员及时参加鉴定取证"),
         ("部分培训机构培训能力不足，评价取证周期较长", "扩大职业技能等级认定机构范围，缩短评价取证周期")),
    35: (("有效信贷需求不足，中小微企业贷款增长乏力", "组织开展政银企对接活动，推动各金融机构加大信贷投放"),
         ("部分银行信贷投放不足，新增贷款集中在少数机构", "落实金融机构考核激励，引导信贷资源向实体经济倾斜")),
    36: (("个别企业安全生产主体责任落实不到位，发生生产安全事故", "深入开展安全生产隐患排查整治，严格落实企业主体责任"),
         ("部分行业领域安全监管存在薄弱环节", "强化重点行业领域执法检查，严格事故调查处理和责任追究")),
    37: (("暂付款消化任务较重，化债资金来源不足", "统筹各类资金加快暂付款消化，严控新增暂付款"),
         ("部分债务项目收益不及预期，偿债压力较大", "加强政府债务动态监测，落实化债方案")),
    49: (("后备挂牌企业培育不足，企业挂牌意愿不强", "加强后备企业辅导培育，推动符合条件企业尽快挂牌"),
         ("企业规范化改制进度偏慢，挂牌准备工作滞后", "协调券商等中介机构进场服务，加快企业规范化改制")),
}


# ----------------------------------------------------------------------------- figures

def _level(no: int, county: str) -> tuple[float, float, float]:
    """A county's lasting traits for one indicator, the same every month:
    (level, trend per month, exponent of the year's progress)."""
    rng = random.Random(f"{SEED}/{no}/{county}")
    spec = SPECS[no]
    return (spec.center + rng.uniform(-spec.spread, spec.spread), rng.uniform(-spec.jitter, spec.jitter),
            rng.uniform(0.9, 1.15))


def _peer_values(no: int, month: int) -> dict[str, float]:
    """Every county's figure for indicator `no` at the end of `month`."""
    spec = SPECS[no]
    vals: dict[str, float] = {}
    for county in YE_PEERS:
        level, trend, power = _level(no, county)
        noise = random.Random(f"{SEED}/{no}/{county}/{month}").uniform(-spec.jitter, spec.jitter)
        if spec.kind == "count":  # cumulative: the year's pace times the share of the year gone, never falls
            vals[county] = float(max(0, int(max(level, 0) * (month / 12) ** power + 0.5)))
        elif spec.kind == "events":  # the month of a county's one accident, if any (most have none)
            when = random.Random(f"{SEED}/{no}/{county}").choice([None, None, None, 4, 8, 11])
            vals[county] = float(when is not None and when <= month)
        else:
            v = level + trend * (month - 8) + noise
            if spec.progress:
                v = level * (month / 8) ** 0.6 + noise
            if spec.kind == "share":
                v = min(max(v, 0.1), 99.9)
            vals[county] = round(v, spec.decimals)
    # no ties for 叶县 among measured values (counts and accidents may tie: competition ranking)
    step = 10 ** -spec.decimals
    while spec.kind not in ("count", "events") and list(vals.values()).count(vals[COUNTY]) > 1:
        vals[COUNTY] = round(vals[COUNTY] + step, spec.decimals)
    return vals


def _fmt(v: float, decimals: int) -> str:
    return f"{v:.{decimals}f}"


def _written(no: int, v: float, dept: str) -> tuple[Any, bool]:
    """Our county's value as the department writes it: the form and unit of its target.
    Returns (cell value, formatted as a percentage)."""
    spec = SPECS[no]
    if spec.kind in ("count", "events"):
        return f"{int(v)}{spec.unit}", False
    if spec.kind == "conc":
        return f"{_fmt(v, spec.decimals)}{spec.unit}", False
    if spec.kind == "share":
        if dept in PERCENT_CELLS:
            return round(v / 100, spec.decimals + 2), True
        return f"{_fmt(v, spec.decimals)}%", False
    if dept in GROWTH_IN_WORDS:
        return (f"下降{_fmt(abs(v), spec.decimals)}%" if v < 0 else f"增长{_fmt(v, spec.decimals)}%"), False
    return f"{_fmt(v, spec.decimals)}%", False


def _their_way(no: int, dept: str, text: str) -> str:
    """A growth figure as the department writes growth (增长8% or 8%); anything else as is."""
    if SPECS[no].kind != "growth":
        return text
    bare = text.removeprefix("增长")
    return f"增长{bare}" if dept in GROWTH_IN_WORDS else bare


def _target(no: int, dept: str) -> str:
    return _their_way(no, dept, SPECS[no].target)


def _last_year(no: int, dept: str) -> str:
    return _their_way(no, dept, SPECS[no].last)


def _issues(no: int, rank: int | None, month: int) -> tuple[str, str]:
    """存在问题 and 下步举措 for a yellow or red row (rank 3–6); blank when green or unranked."""
    if not rank or rank < 3 or no not in ISSUES:
        return "", ""
    return ISSUES[no][(month + no) % 2]


# ----------------------------------------------------------------------------- a month

def build_month(input_dir: Path, month: int, *, missing: tuple[str, ...] = ("水利局",), late: str | None = "商务局",
                xls: tuple[str, ...] = ("农业农村局", "人社局"), conflict: bool = True,
                duplicate: str | None = "工信局", mess: bool = False) -> Path:
    """One month of 叶县 files the way departments send them: input/2023-MM/."""
    year = YEAR
    folder = Path(input_dir) / f"{year}-{month:02d}"
    folder.mkdir(parents=True, exist_ok=True)
    not_yet = {13, 26} if month >= 8 else {13, 26, 23}  # city data not yet out
    peers: dict[int, dict[str, float]] = {}
    values: dict[int, float | None] = {}
    ranks: dict[int, int | None] = {}
    for no, *_ in YE_INDICATORS:
        if no in QUALITATIVE:
            continue
        peers[no] = _peer_values(no, month)
        if no in not_yet:
            values[no], ranks[no] = None, None
        else:
            values[no] = peers[no][COUNTY]
            ranks[no] = _rank_of(peers[no], COUNTY, no in YE_LOWER)
    for no in QUALITATIVE:
        values[no] = None
        ranks[no] = random.Random(f"{SEED}/{no}/{month}").randint(1, 6) if no in CITY_RANKED else None

    departments = ye_departments()
    filled_day = {d: 1 + (i % 5) for i, d in enumerate(departments)}
    nm, ny = (month + 1, year) if month < 12 else (1, year + 1)
    for i, dept in enumerate(departments):
        if dept in missing:
            continue
        style = RANK_STYLES[i % len(RANK_STYLES)]
        rows = []
        for no in ye_nos(dept):
            v, rk = values.get(no), ranks.get(no)
            percent = False
            if no in QUALITATIVE:
                target, last, actual = QUALITATIVE[no]
            else:
                target, last = _target(no, dept), _last_year(no, dept)
                if v is None:
                    actual = ["—", "/", "", "暂无数据"][no % 4]
                else:
                    actual, percent = _written(no, v, dept)
            name = ye_name(no)
            if dept == "工信局" and no == 7:
                name = "规模以上工业企业研发费用 支出增速"  # line-wrap space
            if dept == "工信局" and no == 16:
                name = "规模以上工业高新技术产业增加值增涑"  # a typo
            issues, steps = _issues(no, rk, month)
            row = Row(no, name, actual, write_rank(rk, style) if rk is not None else ["—", "", "/"][no % 3],
                      last, target, issues=issues, steps=steps, percent_format=percent)
            if mess and no == 5:  # a formula that divides by an empty cell
                row.error = "#DIV/0!"
            if mess and no == 28:  # a rank beyond the six counties
                row.rank = 7
            rows.append(row)
        if conflict and dept == "财政局" and 15 in ye_nos(dept):
            row15 = next(r for r in rows if r.no == 15)
            row15.actual = f"{values[15] + 1.3:.1f}%"  # 发改委 writes the peer sheet's figure; 财政局 another
        day = filled_day[dept]
        if dept == late:
            day = 9
        filled = f"{ny}年{nm}月{day}日"
        sheet = Sheet(dept, rows, month=month, year=year, filled=filled,
                      sheet_name=["Sheet1", f"{month}月", "进展情况", "指标进展"][i % 4],
                      blank_rows_at=(2,) if len(rows) > 3 else (), sections=(i % 3 == 0),
                      extra_sheets=["Sheet2", "Sheet3"] if i % 2 == 0 else [],
                      signoff_layout="cells" if i % 4 == 1 else "one_cell", people=PEOPLE)
        mtime = dt.datetime(ny, nm, day, 17, 30)
        name = f"叶县{dept}{year}年{month}月指标进展情况"
        if i % 5 == 2:
            name = f"{month}月份{dept}月报"  # no year in the file name
        if dept in xls:
            write_sheet_xls(folder / f"{name}.xls", sheet, mtime)
        else:
            write_sheet_xlsx(folder / f"{name}.xlsx", sheet, mtime)
        if duplicate == dept:
            # an earlier draft sent two days before, with a wrong value in its first row
            draft_rows = [Row(**{**r.__dict__}) for r in rows]
            draft_rows[0].actual, draft_rows[0].percent_format = "99.9%", False
            older = Sheet(dept, draft_rows, month=month, year=year, filled=f"{ny}年{nm}月{max(1, day - 2)}日",
                          people=PEOPLE)
            write_sheet_xlsx(folder / f"{dept}{month}月报（初稿）.xlsx", older, mtime - dt.timedelta(days=2))
    peer_rows = {no: ({p: "—" for p in YE_PEERS} if no in not_yet else dict(vals)) for no, vals in peers.items()}
    write_peers_xlsx(folder / f"六县市数据（{year}年1-{month}月）.xlsx", peer_rows,
                     title=f"平顶山市六县（市）高质量发展主要指标（{year}年1-{month}月，演示数据）")
    return folder


# ----------------------------------------------------------------------------- registry

def _written_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def month_2023_07(input_dir: Path) -> list[Path]:
    return _written_files(build_month(input_dir, 7, duplicate=None, conflict=False, late=None, mess=False))


def month_2023_08(input_dir: Path) -> list[Path]:
    return _written_files(build_month(input_dir, 8, mess=True))


def register(month) -> None:
    """Register both months with make_demo's `month` decorator. make_demo.py calls

        from make_demo_month import register; register(month)

    after defining `month`, so `python tools/make_demo.py` builds them too."""
    month("2023-07", "7月月报（上月，用于位次变化）：20个责任单位的指标进展情况表（水利局未报）、六县市数据")(month_2023_07)
    month("2023-08", "8月月报：20个责任单位的指标进展情况表（水利局未报，商务局迟报，农业农村局和人社局为 .xls，"
                     "工信局先后报送两份，发改委与财政局对第15项报数不一致，含错误值和超范围排名）、六县市数据")(month_2023_08)


if __name__ == "__main__":
    import make_demo

    if not make_demo.MONTHS:
        register(make_demo.month)
    sys.exit(make_demo.main())
