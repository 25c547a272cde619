"""Round 2 of unseen workspaces for issue #10, each with its truth worked out by hand.

Five invented places (synthetic figures, no real people; sign-off lines leave names blank),
laid out in styles none of exact_groups / exact_units / exact_rows / exact_more /
unseen_months / fourth_systems use:

  P  晴川县 among six 县市 of 云溪市, 2024-06. The system keeps the points in the
     CATEGORY HEADER rows (`一、经济发展（12分）`) with empty 分值 cells below it (the
     items share the header's points), direction only as `↑`/`↓` in a 方向 column
     (万元工业增加值取水量 ↓ has no reverse word in its name); the peer sheet has two header
     rows: county names merged over `绝对值 | 增速（%） | 位次`, so growth items must be
     ranked on 增速 (ranking 绝对值 gives other ranks); ties 1,2,2,4 and 3,3.
  Q  南湖区 among 五县区 of 江城市, 2024-09 (folder `2024年9月`). The system is an old .xls
     (xlwt) with the category merged down, a `注：` row, then a second table at the end
     (`二、加分和减分项目`) whose 上限 is its own column (`加分上限1分`, `扣分上限10分`):
     a bonus capped, a deduction capped, a deduction nobody reports. The peer sheet has no
     序号, the superior city 江城市 as the first value column. Departments' sheets are .xls.
  R  芦汀县 among eight 县市 (八县市), 2025-04 with the 2025-03 month beside it: rank
     change (位次变化) per item; two departments report 进出口总额增速 (absent from the
     peer sheet) with different values and ranks, the lead (牵头 in one cell
     `牵头：县商务局\\n参与：县发改局`) wins; `单位GDP能耗下降率` is a positive indicator
     (下降率); 全市 and 平均 columns at the end are not peers.
  S  云栖区 among four districts of 星澜市 (四区), 2024-08, `[warning] rule = "progress"`:
     per-unit targets as a two-row header (`2024年目标` merged over the unit names), our
     unit `---` on one item (不考核), no category column; colours from 序时进度
     (8/12), scores still by rank steps from the peer sheet (星澜市 first column).
  T  雁栖县 among six 县 (六县), 2024-05 (folder `202405`). The peer data is one sheet per
     indicator as the statistics bureau publishes it: rows sorted by rank (排序 | 县 |
     数值), a 全市 row on top; two reverse items by `↓` (化肥施用量 has no reverse word in its name);
     a 加分项 `每项加1分，最高加2分` with a report of 3 items.

Rules (docs: /work/shared/DOMAIN.md, contract of issue 10): competition ranks (ties share
the best rank); N = units really compared; last green ceil(N/3), last yellow ceil(2N/3);
rank steps points × (1 − 0.05 × (rank − 1)); progress rule: expected = month/12 × 100,
completion = actual/target × 100, green when less than 10 points below, yellow 10–30
below, red more than 30 below; deductions events × per-event, capped; bonus likewise.
rank_change = previous month's rank − this month's rank (positive = climbed), as the
demo output shows.

ASSUMPTIONS where the domain is silent:
  * P: a category header's points with empty item cells below are shared evenly by the
    items (as a shared points cell is split evenly over its rows).
  * P: the rank of a growth indicator comes from 增速 (the city's 位次 column agrees);
    items whose 增速 cell is `—` are ranked on 绝对值.
  * Q/T: bonus and deduction items are outside full marks and are added to / subtracted
    from the total; their categories are not asserted.
  * R: a month's rank for an item not in the peer sheet is the lead department's
    reported rank, and rank change uses the previous month's lead rank likewise.

Builders only write files. Nothing here calls the code under test.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from tests.unseen_months import GSheet, write

G, Y, R = "green", "yellow", "red"


@dataclass
class Case:
    key: str
    month: str
    county: str
    build: Callable[[Path], None]
    group: list[str] | None  # exact names in sheet order (None: compare as a set)
    group_set: set[str]
    group_label: str
    total_points: float
    total: float
    subtotals: dict[str, tuple[float, float]]  # category word -> (points, score); matched by substring
    points_at_stake: float
    unreported_events: list
    ind: dict[Any, dict[str, Any]] = field(default_factory=dict)


def _pad(row: list[Any], w: int) -> list[Any]:
    return list(row) + [""] * (w - len(row))


def _report_sheet(path: Path, title: str, unit_line: str, head: list[str], rows: list[list[Any]],
                  sheet: str = "进展情况") -> None:
    """A department's sheet in this round's style: title merged, a 填报单位/时间 line ABOVE
    the header (not a sign-off line below), data, a 注 row, then 审核人/填表人 on one row
    split in two cells."""
    w = len(head)
    out = [_pad([title], w), _pad([unit_line], w), head]
    out += [_pad(r, w) for r in rows]
    out.append(_pad(["注：增速、比重类指标填百分数；暂无数据的填“—”。"], w))
    out.append(_pad(["审核人：", "", "", "填表人："], w))
    merges = [(0, 0, 0, w - 1), (1, 0, 1, w - 1), (len(out) - 2, 0, len(out) - 2, w - 1)]
    write(path, GSheet(sheet, out, merges))


# ====================================================================== P  晴川县, six 县市
P_MONTH = "2024-06"
P_COUNTY = "晴川县"
P_UNITS = ["晴川县", "枫桥县", "石门县", "白鹭市", "青溪县", "松阳县"]
# section header, then (序号, 指标名称, 分值 cell, 方向, 牵头单位, 配合单位)
P_SYSTEM: list[Any] = [
    "一、经济发展（12分）",
    (1, "地区生产总值增速", "", "↑", "县发改局", "县统计局"),
    (2, "规模以上工业增加值增速", "", "↑", "县工信局", "县统计局"),
    (3, "固定资产投资增速", "", "↑", "县发改局", ""),
    "二、绿色低碳（10分）",
    (4, "PM2.5平均浓度", 5, "↓", "县生态环境分局", ""),
    (5, "万元工业增加值取水量", 5, "↓", "县水利局", "县工信局"),
    "三、民生保障（8分）",
    (6, "城镇新增就业人数", 4, "↑", "县人社局", ""),
    (7, "农村居民人均可支配收入增速", 4, "↑", "县农业农村局", "县统计局"),
]
# per indicator: (绝对值 list, 增速 list) in P_UNITS order; "—" where the city prints none
P_PEERS = {
    1: ([152.3, 188.0, 120.5, 210.7, 98.2, 140.0], [6.1, 5.4, 6.1, 4.8, 7.0, 5.9]),
    2: ([45.1, 60.2, 38.0, 80.3, 30.5, 41.0], [8.5, 9.1, 7.2, 6.0, 8.5, 8.5]),
    3: ([60.2, 75.0, 88.1, 120.4, 40.3, 66.6], [-3.5, 2.0, 4.1, -1.2, 0.8, 5.6]),
    4: ([31, 28, 35, 31, 26, 40], ["—"] * 6),
    5: ([18.2, 22.5, 15.1, 30.0, 19.4, 16.8], ["—"] * 6),
    6: ([3200, 2900, 3500, 4100, 2600, 3200], ["—"] * 6),
    7: ([10520, 11200, 9800, 12500, 9100, 10050], [7.2, 6.8, 7.5, 6.1, 7.9, 7.2]),
}
# ---- truth by hand. N = 6: green 1–2, yellow 3–4, red 5–6. Rank steps 100/95/90/85/80/75 %.
# 一、经济发展 12 分 shared by items 1–3: 4 each.
#  1 GDP增速 (4) on 增速: 青溪 7.0 | 晴川 6.1 = 石门 6.1 | 松阳 5.9 | 枫桥 5.4 | 白鹭 4.8
#    -> 晴川 2, 枫桥 5, 石门 2, 白鹭 6, 青溪 1, 松阳 4: ours 2 green, 4 × 0.95 = 3.8
#    (on 绝对值 ours would be 3: 210.7, 188.0, 152.3)
#  2 规上增速 (4): 枫桥 9.1 | 晴川 = 青溪 = 松阳 8.5 | 石门 7.2 | 白鹭 6.0
#    -> 晴川 2, 枫桥 1, 石门 5, 白鹭 6, 青溪 2, 松阳 2: ours 2 green, 3.8 (绝对值: ours 3)
#  3 固投增速 (4): 松阳 5.6 | 石门 4.1 | 枫桥 2.0 | 青溪 0.8 | 白鹭 −1.2 | 晴川 −3.5
#    -> ours 6 red, 4 × 0.75 = 3.0 (绝对值: ours 5)
#  4 PM2.5 (5, ↓): 青溪 26 | 枫桥 28 | 晴川 31 = 白鹭 31 | 石门 35 | 松阳 40
#    -> 晴川 3, 枫桥 2, 石门 5, 白鹭 3, 青溪 1, 松阳 6: ours 3 yellow, 5 × 0.9 = 4.5
#  5 取水量 (5, ↓ only by the 方向 column): 石门 15.1 | 松阳 16.8 | 晴川 18.2 | 青溪 19.4 |
#    枫桥 22.5 | 白鹭 30.0 -> ours 3 yellow, 4.5 (as ↑ ours would be 4)
#  6 就业 (4, 绝对值): 白鹭 4100 | 石门 3500 | 晴川 = 松阳 3200 | 枫桥 2900 | 青溪 2600
#    -> ours 3 yellow, 4 × 0.9 = 3.6
#  7 农村收入增速 (4): 青溪 7.9 | 石门 7.5 | 晴川 = 松阳 7.2 | 枫桥 6.8 | 白鹭 6.1
#    -> ours 3 yellow, 3.6
# Subtotals: 经济发展 12 / 3.8 + 3.8 + 3.0 = 10.6; 绿色低碳 10 / 9.0; 民生保障 8 / 7.2.
# Full marks 30, total 26.8.
P_TRUTH = {
    1: dict(points=4, rank=2, colour=G, score=3.8, actual=6.1, direction="higher",
            peer_ranks={"晴川县": 2, "枫桥县": 5, "石门县": 2, "白鹭市": 6, "青溪县": 1, "松阳县": 4}),
    2: dict(points=4, rank=2, colour=G, score=3.8, actual=8.5,
            peer_ranks={"晴川县": 2, "枫桥县": 1, "石门县": 5, "白鹭市": 6, "青溪县": 2, "松阳县": 2}),
    3: dict(points=4, rank=6, colour=R, score=3.0, actual=-3.5),
    4: dict(points=5, rank=3, colour=Y, score=4.5, actual=31, direction="lower",
            peer_ranks={"晴川县": 3, "枫桥县": 2, "石门县": 5, "白鹭市": 3, "青溪县": 1, "松阳县": 6}),
    5: dict(points=5, rank=3, colour=Y, score=4.5, actual=18.2, direction="lower"),
    6: dict(points=4, rank=3, colour=Y, score=3.6, actual=3200),
    7: dict(points=4, rank=3, colour=Y, score=3.6, actual=7.2),
}


def build_p(root: Path) -> None:
    inp = root / "input"
    root.mkdir(parents=True, exist_ok=True)
    (root / "kaohe.toml").write_text(f'county = "{P_COUNTY}"\n', encoding="utf-8")
    head = ["序号", "指标名称", "分值", "方向", "牵头单位", "配合单位", "备注"]
    w = len(head)
    rows = [_pad(["云溪市2024年度县域经济高质量发展考核指标任务分工表（晴川县）"], w), head]
    merges = [(0, 0, 0, w - 1)]
    for x in P_SYSTEM:
        if isinstance(x, str):
            rows.append(_pad([x], w))
            merges.append((len(rows) - 1, 0, len(rows) - 1, w - 1))
        else:
            rows.append(list(x) + [""])
    rows.append(_pad(["注：方向栏“↑”为正向指标，“↓”为逆向指标（数值越低位次越前）；各类指标分值见类别行。"], w))
    merges.append((len(rows) - 1, 0, len(rows) - 1, w - 1))
    write(inp / "晴川县2024年度考核指标任务分工表.xlsx", GSheet("任务分工", rows, merges))

    month = inp / P_MONTH
    names = {no: name for x in P_SYSTEM if not isinstance(x, str) for no, name in [(x[0], x[1])]}
    w = 2 + 3 * len(P_UNITS)
    h1: list[Any] = ["序号", "指标"]
    h2: list[Any] = ["", ""]
    for u in P_UNITS:
        h1 += [u, "", ""]
        h2 += ["绝对值", "增速（%）", "位次"]
    # the city's own 位次 column: ranks from 增速 where it exists, else from 绝对值 (↓ for 4, 5)
    ranks = {no: list(P_TRUTH[no].get("peer_ranks", {}).values()) for no in P_TRUTH}
    ranks[3] = [6, 3, 2, 5, 4, 1]
    ranks[5] = [3, 5, 1, 6, 4, 2]
    ranks[6] = [3, 5, 2, 1, 6, 3]
    ranks[7] = [3, 5, 2, 6, 1, 3]
    prow: list[list[Any]] = [_pad(["云溪市2024年1-6月各县（市）主要经济指标完成情况"], w), h1,
                             _pad(["", "", "1-6月"], w)]
    # three header rows: counties / 1-6月 / 绝对值 增速 位次
    pm = [(0, 0, 0, w - 1), (1, 0, 3, 0), (1, 1, 3, 1)]
    for k in range(len(P_UNITS)):
        pm.append((1, 2 + 3 * k, 1, 4 + 3 * k))
    pm.append((2, 2, 2, w - 1))
    prow.append(h2)
    for no, (absv, grow) in P_PEERS.items():
        line: list[Any] = [no, names[no]]
        for k in range(len(P_UNITS)):
            line += [absv[k], grow[k], ranks[no][k]]
        prow.append(line)
    prow.append(_pad(["注：增速为同比增长；位次按增速排列，无增速的按绝对值排列（PM2.5、取水量越低越前）。"], w))
    pm.append((len(prow) - 1, 0, len(prow) - 1, w - 1))
    write(month / "云溪市1-6月六县市主要指标.xlsx", GSheet("1-6月", prow, pm))

    head = ["序号", "考核指标", "计量单位", "全年目标", "1-6月累计", "同比增长", "六县市位次", "情况说明"]
    _report_sheet(month / "县发改局6月调度表.xlsx", "晴川县发展和改革局2024年6月考核指标调度表",
                  "填报单位：晴川县发展和改革局        填报时间：2024年7月3日", head, [
                      [1, "地区生产总值增速", "亿元", "7%", 152.3, "6.1%", 2, "服务业拉动明显"],
                      [3, "固定资产投资增速", "亿元", "8%", 60.2, "下降3.5%", 6, "重点项目开工滞后"],
                  ])
    _report_sheet(month / "县工信局6月调度表.xlsx", "晴川县工业和信息化局2024年6月考核指标调度表",
                  "填报单位：晴川县工业和信息化局        填报时间：2024年7月4日", head, [
                      [2, "规模以上工业增加值增速", "亿元", "9%", 45.1, "8.5%", 2, ""],
                  ])
    _report_sheet(month / "县生态环境分局6月.xlsx", "晴川县生态环境分局2024年6月考核指标调度表",
                  "填报单位：云溪市生态环境局晴川分局        填报时间：2024年7月2日", head, [
                      [4, "PM2.5平均浓度", "微克/立方米", "≤33", 31, "—", 3, ""],
                  ])
    _report_sheet(month / "县人社局6月.xlsx", "晴川县人力资源和社会保障局2024年6月考核指标调度表",
                  "填报单位：晴川县人力资源和社会保障局        填报时间：2024年7月5日", head, [
                      [6, "城镇新增就业人数", "人", 6000, 3200, "—", 3, ""],
                  ])


P = Case("P_header_points_two_row_peers", P_MONTH, P_COUNTY, build_p, group=P_UNITS, group_set=set(P_UNITS),
         group_label="六县市", total_points=30, total=26.8,
         subtotals={"经济发展": (12, 10.6), "绿色低碳": (10, 9.0), "民生保障": (8, 7.2)},
         points_at_stake=0, unreported_events=[], ind=P_TRUTH)


# ====================================================================== Q  南湖区, 五县区, .xls
Q_MONTH = "2024-09"
Q_FOLDER = "2024年9月"
Q_COUNTY = "南湖区"
Q_UNITS = ["临江县", "东岭县", "南湖区", "北山县", "西塘区"]
Q_MAIN = [  # (类别, 序号, 考核内容, 分值, 评分标准, 责任单位)
    ("经济指标", 1, "一般公共预算收入增速", 6, "按五县区排名计分", "区财政局"),
    ("经济指标", 2, "社会消费品零售总额增速", 5, "按五县区排名计分", "区商务局"),
    ("经济指标", 3, "实际利用外资", 4, "按五县区排名计分", "区商务局"),
    ("社会事业", 4, "城乡居民医保参保率", 3, "按五县区排名计分", "区医保局"),
    ("社会事业", 5, "城镇新增就业人数", 2, "按五县区排名计分", "区人社局"),
]
Q_EXTRA = [  # (类别, 序号, 考核内容, 分值, 上限, 责任单位)
    ("加分项", 6, "获得国家级表彰或试点示范", "每项加0.5分", "加分上限1分", "区委办"),
    ("减分项", 7, "较大生产安全事故", "每起扣2分", "扣分上限10分", "区应急管理局"),
    ("减分项", 8, "环境信访积案", "每件扣1分", "扣分上限3分", "区生态环境分局"),
]
Q_PEERS = {  # name -> (unit, 江城市, values in Q_UNITS order)
    1: ("一般公共预算收入增速", "%", 5.0, [7.2, 3.1, 5.5, 5.5, 9.0]),
    2: ("社会消费品零售总额增速", "%", 4.9, [4.2, 4.8, 6.3, 3.0, 5.1]),
    3: ("实际利用外资", "万美元", 4450, [1200, 800, 650, 300, 1500]),
    4: ("城乡居民医保参保率", "%", 96.6, [96.5, 97.2, 95.1, 98.0, 96.5]),
    5: ("城镇新增就业人数", "人", 20500, [5200, 4300, 4300, 3900, 2800]),
}
# ---- truth by hand. N = 5: green 1–2, yellow 3–4, red 5. 江城市 is the superior city, not a peer.
#  1 (6): 西塘 9.0 | 临江 7.2 | 南湖 = 北山 5.5 | 东岭 3.1 -> ours 3 yellow, 6 × 0.9 = 5.4
#  2 (5): 南湖 6.3 | 西塘 5.1 | 东岭 4.8 | 临江 4.2 | 北山 3.0 -> ours 1 green, 5
#  3 (4): 西塘 1500 | 临江 1200 | 东岭 800 | 南湖 650 | 北山 300 -> ours 4 yellow, 4 × 0.85 = 3.4
#  4 (3): 北山 98.0 | 东岭 97.2 | 临江 = 西塘 96.5 | 南湖 95.1 -> ours 5 red, 3 × 0.8 = 2.4
#  5 (2): 临江 5200 | 东岭 = 南湖 4300 | 北山 3900 | 西塘 2800 -> ours 2 green, 2 × 0.95 = 1.9
#  6 bonus 0.5 an item, cap 1: 区委办 reports 3项 -> 1.5 capped -> +1
#  7 deduction 2 a case, cap 10 (in its own column): 区应急管理局 reports 发生6起 -> 12 capped -> −10
#  8 deduction 1 a case, cap 3: nobody reports -> 未报送, 3 points at stake
# Full marks 20. Subtotals 经济指标 15 / 13.8; 社会事业 5 / 4.3. Total 13.8 + 4.3 + 1 − 10 = 9.1
Q_TRUTH = {
    1: dict(points=6, rank=3, colour=Y, score=5.4, actual=5.5,
            peer_ranks={"临江县": 2, "东岭县": 5, "南湖区": 3, "北山县": 3, "西塘区": 1}),
    2: dict(points=5, rank=1, colour=G, score=5, actual=6.3),
    3: dict(points=4, rank=4, colour=Y, score=3.4, actual=650),
    4: dict(points=3, rank=5, colour=R, score=2.4, actual=95.1,
            peer_ranks={"临江县": 3, "东岭县": 2, "南湖区": 5, "北山县": 1, "西塘区": 3}),
    5: dict(points=2, rank=2, colour=G, score=1.9, actual=4300),
    6: dict(kind="bonus", score=1, unreported=False),
    7: dict(kind="deduction", score=-10, unreported=False),
    8: dict(kind="deduction", score=None, unreported=True, display="未报送"),
}


def build_q(root: Path) -> None:
    inp = root / "input"
    root.mkdir(parents=True, exist_ok=True)
    (root / "kaohe.toml").write_text(f'county = "{Q_COUNTY}"\n', encoding="utf-8")
    head = ["类别", "序号", "考核内容", "分值", "评分标准", "责任单位"]
    w = len(head)
    rows: list[list[Any]] = [_pad(["江城市2024年度县区综合考核细则"], w), _pad(["一、主要指标"], w), head]
    merges = [(0, 0, 0, w - 1), (1, 0, 1, w - 1)]
    first = len(rows)
    rows += [list(x) for x in Q_MAIN]
    merges += [(first, 0, first + 2, 0), (first + 3, 0, first + 4, 0)]
    rows.append(["小计", "", "", 20, "", ""])
    rows.append(_pad(["注：主要指标按五县区位次计分，第一名得满分，每后退一名减少该项分值的5%。"], w))
    merges.append((len(rows) - 1, 0, len(rows) - 1, w - 1))
    rows.append([""] * w)
    rows.append(_pad(["二、加分和减分项目"], w))
    merges.append((len(rows) - 1, 0, len(rows) - 1, w - 1))
    rows.append(["类别", "序号", "考核内容", "分值", "上限", "责任单位"])
    rows += [list(x) for x in Q_EXTRA]
    merges.append((len(rows) - 2, 0, len(rows) - 1, 0))
    rows.append(_pad(["注：加分、减分在主要指标得分基础上直接加减。"], w))
    merges.append((len(rows) - 1, 0, len(rows) - 1, w - 1))
    write(inp / "江城市2024年度县区综合考核细则.xls", GSheet("考核细则", rows, merges))

    month = inp / Q_FOLDER
    w = 3 + len(Q_UNITS)
    prow: list[list[Any]] = [_pad(["江城市2024年1-9月各县区主要指标"], w),
                             ["指标名称", "单位", "江城市"] + Q_UNITS]
    for name, unit, city, vals in Q_PEERS.values():
        prow.append([name, unit, city] + vals)
    write(month / "各县区1-9月指标.xlsx", GSheet("Sheet1", prow, [(0, 0, 0, w - 1)]))

    head = ["序号", "指标", "年度目标", "1-9月完成", "五县区排名", "备注"]
    sheets = [
        ("区财政局9月.xls", "南湖区财政局", [[1, "一般公共预算收入增速", "6%", "5.5%", 3, ""]]),
        ("区商务局9月.xls", "南湖区商务局", [[2, "社会消费品零售总额增速", "6%", "6.3%", 1, ""],
                                              [3, "实际利用外资", "1000万美元", "650万美元", 4, "大项目未到资"]]),
        ("区医保局9月.xls", "南湖区医疗保障局", [[4, "城乡居民医保参保率", "97%", "95.1%", 5, "外出务工人员参保难"]]),
        ("区人社局9月.xls", "南湖区人力资源和社会保障局", [[5, "城镇新增就业人数", 5500, 4300, 2, ""]]),
        ("区委办9月.xls", "中共南湖区委办公室", [[6, "获得国家级表彰或试点示范", "—", "3项", "/", "国家级试点3项"]]),
        ("区应急管理局9月.xls", "南湖区应急管理局", [[7, "较大生产安全事故", "不发生", "发生6起", "/", ""]]),
    ]
    for fname, unit, data in sheets:
        _report_sheet(month / fname, f"{unit}2024年1-9月综合考核指标完成情况",
                      f"填报单位：{unit}        填报时间：2024年10月5日", head, data, sheet="Sheet1")


Q = Case("Q_xls_bonus_deduction_table", Q_MONTH, Q_COUNTY, build_q, group=Q_UNITS, group_set=set(Q_UNITS),
         group_label="五县区", total_points=20, total=9.1,
         subtotals={"经济指标": (15, 13.8), "社会事业": (5, 4.3)},
         points_at_stake=3, unreported_events=[8], ind=Q_TRUTH)


# ====================================================================== R  芦汀县, 八县市, two months
R_MONTH = "2025-04"
R_PREV = "2025-03"
R_COUNTY = "芦汀县"
R_UNITS = ["柳塘县", "竹岗县", "杏林市", "芦汀县", "梨山县", "枫埠县", "槐荫县", "榆关市"]
R_SYSTEM = [  # (指标类别, 序号, 指标名称, 权重, 责任单位, 数据来源)
    ("经济发展", 1, "地区生产总值增速", 10, "牵头：县发改局\n参与：县统计局", "市统计局"),
    ("经济发展", 2, "一般公共预算收入", 8, "牵头：县财政局", "市财政局"),
    ("经济发展", 3, "进出口总额增速", 6, "牵头：县商务局\n参与：县发改局", "海关"),
    ("绿色发展", 4, "单位GDP能耗下降率", 6, "牵头：县发改局", "市发改委"),
    ("绿色发展", 5, "一般工业固体废物综合利用率", 5, "牵头：县生态环境分局", "市生态环境局"),
]
R_PEERS = {  # month -> no -> values in R_UNITS order (item 3 is never in the peer sheet)
    R_MONTH: {1: [5.5, 6.0, 4.9, 6.0, 5.2, 6.3, 4.1, 5.8],
              2: [12.1, 9.8, 15.6, 11.0, 8.7, 10.5, 7.9, 13.4],
              4: [3.2, 2.8, 4.1, 3.5, 2.8, 1.9, 3.0, 4.1],
              5: [88, 92, 85, 90, 95, 79, 90, 86]},
    R_PREV: {1: [5.0, 5.6, 5.9, 4.8, 5.1, 6.0, 4.5, 5.3],
             2: [9.0, 7.5, 11.8, 9.6, 6.6, 8.0, 6.0, 10.1],
             4: [3.0, 2.5, 3.8, 2.6, 2.9, 2.0, 3.1, 3.9],
             5: [87, 91, 84, 80, 94, 78, 89, 85]},
}
R_CITY = {1: (5.6, 5.6), 2: (88.0, 11.0), 4: (3.2, 3.2), 5: (88, 88)}  # (全市, 平均) for both months
# ---- truth by hand. N = 8: green 1–3 (ceil 8/3 = 3), yellow 4–6 (ceil 16/3 = 6), red 7–8.
#  1 GDP (10): Apr 枫埠 6.3 | 竹岗 = 芦汀 6.0 | 榆关 5.8 | 柳塘 5.5 | 梨山 5.2 | 杏林 4.9 | 槐荫 4.1
#    -> ours 2 green, 10 × 0.95 = 9.5. Mar 枫埠 6.0 | 杏林 5.9 | 竹岗 5.6 | 榆关 5.3 | 梨山 5.1 |
#    柳塘 5.0 | 芦汀 4.8 | 槐荫 4.5 -> 7; change 7 − 2 = +5
#  2 收入 (8): Apr 15.6 | 13.4 | 12.1 | 11.0 (ours 4) | … -> 4 yellow, 8 × 0.85 = 6.8.
#    Mar 11.8 | 10.1 | 9.6 (ours 3) -> change 3 − 4 = −1
#  3 进出口 (6): not in the peer sheet. 县商务局 (lead) 12.5 % rank 4; 县发改局 (participant)
#    10.8 % rank 5 -> lead wins: 12.5, rank 4 (reported) yellow, 6 × 0.85 = 5.1.
#    Mar: 商务局 rank 6 (发改局 did not report 3 in March) -> change 6 − 4 = +2
#  4 能耗下降率 (6, positive: 下降率): Apr 杏林 = 榆关 4.1 | 芦汀 3.5 | 柳塘 3.2 | 槐荫 3.0 |
#    竹岗 = 梨山 2.8 | 枫埠 1.9 -> ours 3 green, 6 × 0.9 = 5.4 (as 逆向 ours would be 6).
#    Mar 3.9 | 3.8 | 3.1 | 3.0 | 2.9 | 2.6 (ours 6) -> change +3
#  5 固废利用率 (5): Apr 梨山 95 | 竹岗 92 | 芦汀 = 槐荫 90 | 柳塘 88 | 榆关 86 | 杏林 85 | 枫埠 79
#    -> ours 3 green, 4.5. Mar 94 | 91 | 89 | 87 | 85 | 84 | 80 (ours 7) | 78 -> change +4
# Subtotals 经济发展 24 / 9.5 + 6.8 + 5.1 = 21.4; 绿色发展 11 / 9.9. Full 35, total 31.3.
R_TRUTH = {
    1: dict(points=10, rank=2, colour=G, score=9.5, actual=6.0, prev_rank=7, rank_change=5,
            peer_ranks={"柳塘县": 5, "竹岗县": 2, "杏林市": 7, "芦汀县": 2, "梨山县": 6, "枫埠县": 1,
                        "槐荫县": 8, "榆关市": 4}),
    2: dict(points=8, rank=4, colour=Y, score=6.8, actual=11.0, prev_rank=3, rank_change=-1),
    3: dict(points=6, rank=4, rank_source="reported", colour=Y, score=5.1, actual=12.5, prev_rank=6,
            rank_change=2),
    4: dict(points=6, rank=3, colour=G, score=5.4, actual=3.5, direction="higher", prev_rank=6, rank_change=3,
            peer_ranks={"柳塘县": 4, "竹岗县": 6, "杏林市": 1, "芦汀县": 3, "梨山县": 6, "枫埠县": 8,
                        "槐荫县": 5, "榆关市": 1}),
    5: dict(points=5, rank=3, colour=G, score=4.5, actual=90, prev_rank=7, rank_change=4),
}


def _r_month(root: Path, month: str, folder: str, lead3: tuple, support3: tuple | None, day: str,
             name_head: str = "指标名称") -> None:
    m = root / "input" / folder
    mm = int(month[5:])
    w = 2 + len(R_UNITS) + 2
    prow: list[list[Any]] = [_pad([f"全市八县（市）2025年1-{mm}月主要指标监测"], w),
                             ["序号", name_head] + R_UNITS + ["全市", "平均"]]
    names = {x[1]: x[2] for x in R_SYSTEM}
    for no, vals in R_PEERS[month].items():
        prow.append([no, names[no]] + vals + list(R_CITY[no]))
    write(m / f"八县市{mm}月监测.xlsx", GSheet("监测", prow, [(0, 0, 0, w - 1)]))
    head = ["序号", "指标名称", "本年目标", f"1-{mm}月完成", "全市位次", "存在问题", "下步举措"]
    _report_sheet(m / f"县商务局{mm}月报.xlsx", f"芦汀县商务局2025年{mm}月考核指标进展情况",
                  f"填报单位：芦汀县商务局        填报时间：{day}", head,
                  [[3, "进出口总额增速", "15%", f"{lead3[0]}%", lead3[1], "外贸订单减少", "稳订单拓市场"]])
    rows = [[1, "地区生产总值增速", "6.5%", "", "", "", ""]]
    if support3:
        rows.append([3, "进出口总额增速", "15%", f"{support3[0]}%", support3[1], "", ""])
    _report_sheet(m / f"县发改局{mm}月报.xlsx", f"芦汀县发展和改革局2025年{mm}月考核指标进展情况",
                  f"填报单位：芦汀县发展和改革局        填报时间：{day}", head, rows)


def build_r(root: Path, name_head: str = "指标名称") -> None:
    inp = root / "input"
    root.mkdir(parents=True, exist_ok=True)
    (root / "kaohe.toml").write_text(f'county = "{R_COUNTY}"\n', encoding="utf-8")
    head = ["指标类别", "序号", "指标名称", "权重", "责任单位", "数据来源"]
    w = len(head)
    rows: list[list[Any]] = [_pad(["芦汀县2025年度县域经济发展考核指标分解表"], w), head]
    rows += [list(x) for x in R_SYSTEM]
    merges = [(0, 0, 0, w - 1), (2, 0, 4, 0), (5, 0, 6, 0)]
    for r in (3, 4, 6):
        rows[r][0] = ""
    write(inp / "芦汀县2025年度考核指标分解表.xlsx", GSheet("分解表", rows, merges))
    _r_month(root, R_PREV, R_PREV, (9.0, 6), None, "2025年4月3日", name_head)
    _r_month(root, R_MONTH, R_MONTH, (12.5, 4), (10.8, 5), "2025年5月4日", name_head)


def build_r_monitor(root: Path) -> None:
    """R with the peer sheet's name column headed 监测指标 (as a city's 监测 table writes it)."""
    build_r(root, "监测指标")


R1 = Case("R_eight_history_conflict", R_MONTH, R_COUNTY, build_r, group=R_UNITS, group_set=set(R_UNITS),
         group_label="八县市", total_points=35, total=31.3,
         subtotals={"经济发展": (24, 21.4), "绿色发展": (11, 9.9)},
         points_at_stake=0, unreported_events=[], ind=R_TRUTH)


# ====================================================================== S  云栖区, 四区, progress rule
S_MONTH = "2024-08"
S_COUNTY = "云栖区"
S_UNITS = ["云栖区", "月湖区", "松风区", "星澜经开区"]
S_SYSTEM = [  # (序号, 指标, 单位, 分值, targets in S_UNITS order, 牵头部门)
    (1, "地区生产总值", "亿元", 5, [400, 480, 380, 420], "区发改局"),
    (2, "一般公共预算收入", "亿元", 5, [30, 36, 28, 25], "区财政局"),
    (3, "固定资产投资", "亿元", 4, [200, 160, 150, 210], "区发改局"),
    (4, "社会消费品零售总额", "亿元", 4, [150, 170, 120, 80], "区商务局"),
    (5, "实际使用外资", "万美元", 2, ["---", 2000, 800, 4000], "区商务局"),
]
S_PEERS = {1: (2100, [280, 350, 260, 310]), 2: (150, [16.5, 22, 16.5, 12]), 3: (900, [70, 95, 88, 120]),
           4: (700, [80, 95, 60, 40]), 5: (5000, [300, 1200, 500, 2500])}
# ---- truth by hand. N = 4 (星澜市 is the city). Colours by 序时进度: month 8 -> expected 66.666…%.
#  1 (5): 280/400 = 70 % >= 66.67 -> green. Rank: 月湖 350 | 经开 310 | 云栖 280 | 松风 260 -> 3,
#    5 × 0.9 = 4.5
#  2 (5): 16.5/30 = 55 %, 11.67 below -> yellow. Rank 月湖 22 | 云栖 = 松风 16.5 | 经开 12 -> 2, 4.75
#  3 (4): 70/200 = 35 %, 31.67 below -> red. Rank 经开 120 | 月湖 95 | 松风 88 | 云栖 70 -> 4, 3.4
#  4 (4): 80/150 = 53.33 %, 13.33 below -> yellow. Rank 月湖 95 | 云栖 80 | 松风 60 | 经开 40 -> 2, 3.8
#  5 (2): `---` for 云栖区 -> 不考核: points None, score None, out of full marks
# Full marks 18, total 4.5 + 4.75 + 3.4 + 3.8 = 16.45.
S_TRUTH = {
    1: dict(points=5, rank=3, colour=G, score=4.5, actual=280, target=400, completion=70),
    2: dict(points=5, rank=2, colour=Y, score=4.75, actual=16.5, target=30, completion=55),
    3: dict(points=4, rank=4, colour=R, score=3.4, actual=70, target=200, completion=35),
    4: dict(points=4, rank=2, colour=Y, score=3.8, actual=80, target=150, completion=160 / 3),
    5: dict(points=None, not_assessed=True, score=None, display="不考核"),
}


def build_s(root: Path) -> None:
    inp = root / "input"
    root.mkdir(parents=True, exist_ok=True)
    (root / "kaohe.toml").write_text(f'county = "{S_COUNTY}"\n\n[warning]\nrule = "progress"\n',
                                     encoding="utf-8")
    w = 4 + len(S_UNITS) + 1
    rows: list[list[Any]] = [_pad(["星澜市2024年度各区经济发展目标任务分解表"], w),
                             ["序号", "指标", "单位", "分值", "2024年目标", "", "", "", "牵头部门"],
                             ["", "", "", ""] + S_UNITS + [""]]
    merges = [(0, 0, 0, w - 1), (1, 4, 1, 7)] + [(1, c, 2, c) for c in (0, 1, 2, 3, 8)]
    for no, name, unit, pts, tg, lead in S_SYSTEM:
        rows.append([no, name, unit, pts] + tg + [lead])
    rows.append(_pad(["注：“---”表示该区不考核此项；预警按序时进度。"], w))
    merges.append((len(rows) - 1, 0, len(rows) - 1, w - 1))
    write(inp / "星澜市2024年度各区目标任务分解表.xlsx", GSheet("目标分解", rows, merges))

    month = inp / S_MONTH
    w = 2 + len(S_UNITS)
    prow: list[list[Any]] = [_pad(["星澜市2024年1-8月各区主要经济指标"], w), ["指标", "星澜市"] + S_UNITS]
    names = {x[0]: x[1] for x in S_SYSTEM}
    for no, (city, vals) in S_PEERS.items():
        prow.append([names[no], city] + vals)
    write(month / "星澜市1-8月各区指标.xlsx", GSheet("1-8月", prow, [(0, 0, 0, w - 1)]))
    head = ["序号", "指标", "单位", "1-8月完成", "四区排名", "工作措施"]
    _report_sheet(month / "云栖区发改局8月.xlsx", "云栖区发展和改革局2024年1-8月目标任务完成情况",
                  "填报单位：云栖区发展和改革局        填报时间：2024年9月5日", head, [
                      [1, "地区生产总值", "亿元", 280, 3, ""], [3, "固定资产投资", "亿元", 70, 4, "加快项目入库"]])
    _report_sheet(month / "云栖区财政局8月.xlsx", "云栖区财政局2024年1-8月目标任务完成情况",
                  "填报单位：云栖区财政局        填报时间：2024年9月4日", head, [
                      [2, "一般公共预算收入", "亿元", 16.5, 2, ""]])
    _report_sheet(month / "云栖区商务局8月.xlsx", "云栖区商务局2024年1-8月目标任务完成情况",
                  "填报单位：云栖区商务局        填报时间：2024年9月6日", head, [
                      [4, "社会消费品零售总额", "亿元", 80, 2, ""]])


S = Case("S_per_unit_targets_progress", S_MONTH, S_COUNTY, build_s, group=S_UNITS, group_set=set(S_UNITS),
         group_label="四区", total_points=18, total=16.45, subtotals={},
         points_at_stake=0, unreported_events=[], ind=S_TRUTH)


# ====================================================================== T  雁栖县, 六县, sheet per indicator
T_MONTH = "2024-05"
T_FOLDER = "202405"
T_COUNTY = "雁栖县"
T_UNITS = {"岚屿县", "溪澄县", "雁栖县", "鹤汀县", "苍岭县", "汐川县"}
T_SYSTEM = [  # (类别, 序号, 考核指标, 计分权重, 指标方向, 责任单位)
    ("经济运行", 1, "规模以上工业增加值增速", 8, "↑", "县工信局"),
    ("经济运行", 2, "一般公共预算收入增速", 6, "↑", "县财政局"),
    ("绿色民生", 3, "万元GDP能耗", 4, "↓", "县发改局"),
    ("绿色民生", 4, "化肥施用量", 4, "↓", "县农业农村局"),
    ("经济运行", 5, "新增规模以上工业企业", 3, "↑", "县工信局"),
    ("加分项", 6, "省级以上试点示范", "每项加1分，最高加2分", "", "县政府办"),
]
T_SHEETS = {  # sheet name, title, value header, rows sorted as published: (排序, 县, 数值)
    1: ("规上工业", "1-5月规模以上工业增加值增速", "增速（%）",
        [(1, "溪澄县", 9.2), (2, "雁栖县", 8.0), (2, "岚屿县", 8.0), (4, "汐川县", 7.5), (5, "苍岭县", 6.1),
         (6, "鹤汀县", 5.0)], 7.1),
    2: ("财政收入", "1-5月一般公共预算收入增速", "增速（%）",
        [(1, "岚屿县", 12.0), (2, "鹤汀县", 8.3), (3, "苍岭县", 6.6), (4, "汐川县", 5.0), (5, "溪澄县", 4.4),
         (6, "雁栖县", -2.1)], 6.0),
    3: ("能耗", "1-5月万元GDP能耗", "吨标准煤/万元",
        [(1, "苍岭县", 0.38), (2, "雁栖县", 0.41), (3, "汐川县", 0.45), (3, "岚屿县", 0.45), (5, "溪澄县", 0.52),
         (6, "鹤汀县", 0.60)], 0.47),
    4: ("化肥", "1-5月化肥施用量（折纯）", "万吨",
        [(1, "汐川县", 2.8), (2, "溪澄县", 3.0), (3, "鹤汀县", 3.1), (4, "雁栖县", 3.3), (4, "苍岭县", 3.3),
         (6, "岚屿县", 3.6)], 3.2),
    5: ("新增规上企业", "1-5月新增规模以上工业企业", "个数",
        [(1, "雁栖县", 15), (2, "鹤汀县", 12), (2, "岚屿县", 12), (4, "溪澄县", 9), (5, "汐川县", 7),
         (6, "苍岭县", 4)], 59),
}
# ---- truth by hand. N = 6: green 1–2, yellow 3–4, red 5–6. 全市 rows are not peers.
#  1 (8): 9.2 | 8.0 = 8.0 | … -> ours 2 green, 8 × 0.95 = 7.6
#  2 (6): ours −2.1 last -> 6 red, 6 × 0.75 = 4.5
#  3 (4, ↓): 0.38 | 0.41 (ours 2) | 0.45 = 0.45 | 0.52 | 0.60 -> 2 green, 3.8
#  4 (4, ↓ only by the 指标方向 column): 2.8 | 3.0 | 3.1 | 3.3 = 3.3 (ours 4) | 3.6 -> 4 yellow,
#    4 × 0.85 = 3.4 (as ↑ ours would be 2)
#  5 (3): ours 15 first -> 1 green, 3
#  6 bonus 1 an item, cap 2: 县政府办 reports 获批3项 -> +2
# Subtotals 经济运行 17 / 7.6 + 4.5 + 3 = 15.1; 绿色民生 8 / 7.2. Full marks 25, total 22.3 + 2 = 24.3
T_TRUTH = {
    1: dict(points=8, rank=2, colour=G, score=7.6, actual=8.0,
            peer_ranks={"溪澄县": 1, "雁栖县": 2, "岚屿县": 2, "汐川县": 4, "苍岭县": 5, "鹤汀县": 6}),
    2: dict(points=6, rank=6, colour=R, score=4.5, actual=-2.1),
    3: dict(points=4, rank=2, colour=G, score=3.8, actual=0.41, direction="lower"),
    4: dict(points=4, rank=4, colour=Y, score=3.4, actual=3.3, direction="lower",
            peer_ranks={"汐川县": 1, "溪澄县": 2, "鹤汀县": 3, "雁栖县": 4, "苍岭县": 4, "岚屿县": 6}),
    5: dict(points=3, rank=1, colour=G, score=3, actual=15),
    6: dict(kind="bonus", score=2, unreported=False),
}


def build_t(root: Path) -> None:
    inp = root / "input"
    root.mkdir(parents=True, exist_ok=True)
    (root / "kaohe.toml").write_text(f'county = "{T_COUNTY}"\n', encoding="utf-8")
    head = ["类别", "序号", "考核指标", "计分权重", "指标方向", "责任单位"]
    w = len(head)
    rows: list[list[Any]] = [_pad(["附件1"], w), _pad(["雁栖县2024年度综合考核指标体系"], w), head]
    rows += [list(x) for x in T_SYSTEM]
    rows.append(_pad(["注：指标方向“↑”表示数值越大越好，“↓”表示数值越小越好。"], w))
    merges = [(1, 0, 1, w - 1), (len(rows) - 1, 0, len(rows) - 1, w - 1)]
    write(inp / "雁栖县2024年度综合考核指标体系.xlsx", GSheet("指标体系", rows, merges))

    month = inp / T_FOLDER
    sheets = []
    for no, (sname, title, vhead, data, city) in T_SHEETS.items():
        srows: list[list[Any]] = [[title, "", ""], ["排序", "县", vhead], ["", "全市", city]]
        srows += [list(x) for x in data]
        srows.append(["注：数据来源市统计局。", "", ""])
        sheets.append(GSheet(sname, srows, [(0, 0, 0, 2), (len(srows) - 1, 0, len(srows) - 1, 2)]))
    write(month / "全市各县主要指标排序（1-5月）.xlsx", sheets)
    head = ["序号", "考核指标", "年度目标", "1-5月完成", "全市排序", "说明"]
    _report_sheet(month / "雁栖县工信局5月.xlsx", "雁栖县工业和信息化局2024年5月指标完成情况",
                  "填报单位：雁栖县工业和信息化局        填报时间：2024年6月5日", head, [
                      [1, "规模以上工业增加值增速", "9%", "8.0%", 2, ""], [5, "新增规模以上工业企业", "30个", "15个", 1, ""]])
    _report_sheet(month / "雁栖县农业农村局5月.xlsx", "雁栖县农业农村局2024年5月指标完成情况",
                  "填报单位：雁栖县农业农村局        填报时间：2024年6月4日", head, [
                      [4, "化肥施用量", "≤8万吨", "3.3万吨", 4, ""]])
    _report_sheet(month / "雁栖县政府办5月.xlsx", "雁栖县人民政府办公室2024年5月指标完成情况",
                  "填报单位：雁栖县人民政府办公室        填报时间：2024年6月5日", head, [
                      [6, "省级以上试点示范", "—", "获批3项", "/", "省级试点3项"]])


T = Case("T_sheet_per_indicator", T_MONTH, T_COUNTY, build_t, group=None, group_set=T_UNITS,
         group_label="六县", total_points=25, total=24.3,
         subtotals={"经济运行": (17, 15.1), "绿色民生": (8, 7.2)},
         points_at_stake=0, unreported_events=[], ind=T_TRUTH)

# R2: the same workspace, peer name column headed 监测指标 -> same truth.
R2 = Case("R2_monitor_header", R_MONTH, R_COUNTY, build_r_monitor, group=R_UNITS, group_set=set(R_UNITS),
          group_label="八县市", total_points=35, total=31.3,
          subtotals={"经济发展": (24, 21.4), "绿色发展": (11, 9.9)},
          points_at_stake=0, unreported_events=[], ind=R_TRUTH)

CASES = [P, Q, R1, S, T]
EXTRA = [R2]
