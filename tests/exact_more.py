"""More unseen workspaces for issue #10, each with its truth worked out by hand.

Six workspaces on five invented places (合成/演示 data: no real places' figures, no real
people; sign-off lines leave 填报人 blank), each laid out differently from
tests/exact_groups.py, exact_units.py, exact_rows.py and unseen_months.py:

  A  枫岚市 ranks its five districts (五区), 2024-10. The peer sheet is TRANSPOSED
     (districts as rows, indicators as columns with line-broken headers) with a 全市 row
     on top; an abbreviated peer header (规上); a reverse indicator known only by its name
     (PM2.5); a deduction written `每发生一起扣0.5分，最多扣2分` with a department
     reporting `发生1起`; a second deduction nobody reports; a 约束条件 reported 未发生.
  B  岱州市 monitors nine counties written SHORT in the peer sheet (柏溪 for 柏溪县), with
     全市 and 岱州市本级 columns; `[scoring] method = "efficacy"`; direction only in the
     system (城乡居民收入比 逆向); our own column blank for two indicators (a department
     reports one of them, nobody the other). 2025-03 (一季度). B_FULL is the same month with
     the names written in full (separating the short headers from the arithmetic).
  C  岷澄市, five 县/区 with per-unit targets and points (we are 临空经济区): section rows
     (一、经济发展) instead of a category column, `2 (乐丰县2.5)`, `3（高新区6）（临空经济区6）`
     merged over three rows, `---` / `不考核` / `/` in the unit columns, completion scoring
     from the system's per-unit targets, a deduction `发生2起`; the peer sheet has a
     two-row header (2024年1-11月 over 岷澄市 + the units). 2024-11.
  D  云岫县 among seven counties (七县市), the system an old .xls (xlwt) split over two
     sheets 共性指标 / 个性指标, completion scoring of the 个性 items from the system's
     目标值 column, 全市 as the first peer column, no `county` in kaohe.toml, the month
     folder named 2024年12月.
  E  汀澜市 ranks four districts (四区), 2025-05: two category levels (一级/二级 merged),
     a sub-item row with an empty 序号 and 分值 sharing the row above's 4 points, a 信访
     item with only a reported rank, text progress (正常推进), a 加分项 capped at 1, a
     constraint worth 1 point nobody reports; the superior city as the LAST peer column
     (no 序号 column in the peer sheet); departments' sheets in .xls.

Rules used for the truth (docs: /work/shared/DOMAIN.md, contract of issue 10):
competition ranks (ties share the best rank); N = the units really compared; last green
= ceil(N/3), last yellow = ceil(2N/3); rank steps points × (1 − 0.05 × (rank − 1));
efficacy d = 60 + 40 × (x − worst)/(best − worst), score = points × d/100 (逆向: best is
the lowest); completion points × min(actual/target, 100 %); per-unit points; a shared
points cell split evenly over its rows; `---` out of full marks; deductions events ×
per-event, capped; unreported deduction/constraint = unknown (score None, 未报送).
Every score of record is rounded half up to 6 decimals once; sums are of those records.
Ranks come from the peer sheet whenever it has the item (rank_source "computed"); a
department's written rank is used only where the peer sheet has no row (E 8: "reported").

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
    group: list[str] | None  # exact names in sheet order (None: only its size is asserted)
    group_size: int
    group_label: str | None
    label_prefix: str  # the Chinese numeral the label must start with
    total_points: float
    total: float
    subtotals: dict[str, tuple[float, float]]  # category -> (points, score)
    points_at_stake: float
    unreported_events: list
    # indicator (序号, or its name when it has none) -> expected fields
    ind: dict[Any, dict[str, Any]] = field(default_factory=dict)


def _sign(unit: str, date: str) -> list[Any]:
    return [f"填报单位（盖章）：{unit}      主要负责人：      填报人：      联系电话：      填报日期：{date}"]


def _dept(path: Path, title: str, head: list[str], rows: list[list[Any]], unit: str, date: str,
          sheet: str = "Sheet1") -> None:
    """附件2 label, a title merged across, a header with line breaks, the rows, a spacer,
    the sign-off line merged across."""
    w = len(head)
    out: list[list[Any]] = [["附件2"] + [""] * (w - 1), [title] + [""] * (w - 1), head]
    out += [list(r) + [""] * (w - len(r)) for r in rows]
    out.append([""] * w)
    out.append(_sign(unit, date) + [""] * (w - 1))
    merges = [(1, 0, 1, w - 1), (len(out) - 1, 0, len(out) - 1, w - 1)]
    write(path, GSheet(sheet, out, merges))


def _merge_runs(rows: list[list[Any]], col: int, first: int) -> list[tuple[int, int, int, int]]:
    """Merge a column down over runs of the same label (blanked below the first)."""
    merges = []
    r = first
    while r < len(rows):
        v = rows[r][col]
        end = r
        while end + 1 < len(rows) and rows[end + 1][col] == v and v not in ("", None):
            end += 1
        if end > r:
            merges.append((r, col, end, col))
            for k in range(r + 1, end + 1):
                rows[k][col] = ""
        r = end + 1
    return merges


# ====================================================================== A  枫岚市, 五区
A_MONTH = "2024-10"
A_UNITS = ["芷岸区", "澜庭区", "栖梧区", "望舒区", "枫岚高新区"]  # peer-sheet row order
A_COUNTY = "澜庭区"

# (一级指标, 序号, 考核指标, 分值 cell, 计分方法, 牵头单位, 配合单位)
A_SYSTEM = [
    ("经济运行", 1, "地区生产总值增速", 4, "按名次计分", "市发展改革委", "市统计局"),
    ("经济运行", 2, "规模以上工业增加值增速", 4, "按名次计分", "市经信局", "市统计局"),
    ("经济运行", 3, "固定资产投资增速", 3, "按名次计分", "市发展改革委", ""),
    ("经济运行", 4, "社会消费品零售总额增速", "3分", "按名次计分", "市商务局", ""),
    ("创新开放", 5, "高新技术产业增加值占规上工业比重", 2, "按名次计分", "市科技局", ""),
    ("创新开放", 6, "实际使用外资", 2, "按名次计分", "市商务局", ""),
    ("创新开放", 7, "R&D经费投入强度", "2分", "按名次计分", "市科技局", "市统计局"),
    ("绿色民生", 8, "PM2.5平均浓度", 3, "按名次计分", "市生态环境局", ""),
    ("绿色民生", 9, "城镇新增就业人数", 2, "按名次计分", "市人社局", ""),
    ("绿色民生", 10, "居民人均可支配收入增速", 3, "按名次计分", "市统计局", "市发展改革委"),
    ("安全稳定", 11, "较大及以上生产安全事故", "每发生一起扣0.5分，最多扣2分", "从总分中扣除", "市应急管理局", ""),
    ("安全稳定", 12, "重大环境污染事件", "每发生一起扣1分，最多扣3分", "从总分中扣除", "市生态环境局", ""),
    ("安全稳定", 13, "重大群体性事件", "约束条件", "发生即取消年度评优资格", "市信访局", "市公安局"),
]

# Transposed peer sheet: one column per indicator (header as printed), rows 全市 then units.
A_PEER_HEAD = ["地区生产总值\n增速（%）", "规上工业增加值\n增速（%）", "固定资产投资\n增速（%）",
               "社会消费品零售\n总额增速（%）", "高新技术产业增加值\n占规上工业比重（%）", "实际使用外资\n（万美元）",
               "R&D经费\n投入强度（%）", "PM2.5平均浓度\n（微克/立方米）", "城镇新增\n就业人数（人）",
               "居民人均可支配\n收入增速（%）"]
A_PEER_ROWS = {  # indicators 1..10 in order
    "全市":       [6.1, 7.9, 1.9, 5.6, 40.3, 8410, 2.3, 33, 17700, 5.7],
    "芷岸区":     [5.8, 7.2, -2.3, 6.0, 35.2, 1200, 2.1, 32, 5200, 5.6],
    "澜庭区":     [6.4, 5.1, 4.0, 5.5, 28.4, 860, "—", 29, 4300, 5.9],
    "栖梧区":     [6.4, 8.0, "—", 5.5, 30.1, 450, 1.6, 35, 3900, 5.9],
    "望舒区":     [4.9, 6.6, 1.5, 5.5, 22.0, 300, 1.2, 29, 2800, 6.2],
    "枫岚高新区": [7.5, 12.3, 3.1, 4.0, 68.5, 5600, 4.8, 41, 1500, 5.0],
}
# ---- the truth, by hand. N = 5: green 1–2, yellow 3–4, red 5. Rank steps 100/95/90/85/80 %.
#  1 GDP (4 分, higher): 高新 7.5 | 澜庭 6.4 = 栖梧 6.4 | 芷岸 5.8 | 望舒 4.9 -> 1,2,2,4,5: ours 2 green, 4×0.95 = 3.8
#  2 规上 (4): 高新 12.3 | 栖梧 8.0 | 芷岸 7.2 | 望舒 6.6 | 澜庭 5.1 -> ours 5 red, 4×0.80 = 3.2
#  3 固投 (3): 栖梧 missing; 澜庭 4.0 | 高新 3.1 | 望舒 1.5 | 芷岸 −2.3 -> ours 1 green, 3
#  4 社零 (3): 芷岸 6.0 | 澜庭 = 栖梧 = 望舒 5.5 | 高新 4.0 -> 1,2,2,2,5: ours 2 green, 3×0.95 = 2.85
#  5 高新比重 (2): 高新 68.5 | 芷岸 35.2 | 栖梧 30.1 | 澜庭 28.4 | 望舒 22.0 -> ours 4 yellow, 2×0.85 = 1.7
#  6 外资 (2): 高新 5600 | 芷岸 1200 | 澜庭 860 | 栖梧 450 | 望舒 300 -> ours 3 yellow, 2×0.90 = 1.8
#  7 R&D (2): ours "—" and 科技局 writes 暂无数据: no rank, no colour, no score;
#     the others still ranked: 高新 4.8 (1) 芷岸 2.1 (2) 栖梧 1.6 (3) 望舒 1.2 (4)
#  8 PM2.5 (3, lower is better, by its name): 澜庭 29 = 望舒 29 | 芷岸 32 | 栖梧 35 | 高新 41
#     -> 1,1,3,4,5: ours 1 green, 3
#  9 就业 (2): 芷岸 5200 | 澜庭 4300 | 栖梧 3900 | 望舒 2800 | 高新 1500 -> ours 2 green, 2×0.95 = 1.9
# 10 收入 (3): 望舒 6.2 | 澜庭 = 栖梧 5.9 | 芷岸 5.6 | 高新 5.0 -> 1,2,2,4,5: ours 2 green, 3×0.95 = 2.85
# 11 deduction 0.5 a case, cap 2: 应急管理局 reports 发生1起 -> −0.5
# 12 deduction 1 a case, cap 3: nobody reports -> unknown (未报送), 3 points at stake
# 13 约束条件 (no points): 信访局 reports 未发生 -> not vetoed, nothing at stake
# Full marks (scored items only): 4+4+3+3 + 2+2+2 + 3+2+3 = 28
# Subtotals: 经济运行 14 / 3.8+3.2+3+2.85 = 12.85;  创新开放 6 / 1.7+1.8 = 3.5 (7 unscored)
#            绿色民生 8 / 3+1.9+2.85 = 7.75;        安全稳定 0 / −0.5
# Total 12.85 + 3.5 + 7.75 − 0.5 = 23.6
A_TRUTH = {
    1: dict(points=4, rank=2, rank_source="computed", colour=G, score=3.8, display="增长6.4%",
            peer_ranks={"芷岸区": 4, "澜庭区": 2, "栖梧区": 2, "望舒区": 5, "枫岚高新区": 1}),
    2: dict(points=4, rank=5, rank_source="computed", colour=R, score=3.2, actual=5.1),
    3: dict(points=3, rank=1, rank_source="computed", colour=G, score=3,
            peer_ranks={"芷岸区": 4, "澜庭区": 1, "望舒区": 3, "枫岚高新区": 2}),
    4: dict(points=3, rank=2, rank_source="computed", colour=G, score=2.85,
            peer_ranks={"芷岸区": 1, "澜庭区": 2, "栖梧区": 2, "望舒区": 2, "枫岚高新区": 5}),
    5: dict(points=2, rank=4, rank_source="computed", colour=Y, score=1.7),
    6: dict(points=2, rank=3, rank_source="computed", colour=Y, score=1.8),
    7: dict(points=2, rank=None, colour=None, score=None, actual=None,
            peer_ranks={"芷岸区": 2, "栖梧区": 3, "望舒区": 4, "枫岚高新区": 1}),
    8: dict(points=3, rank=1, rank_source="computed", colour=G, score=3, direction="lower",
            peer_ranks={"芷岸区": 3, "澜庭区": 1, "栖梧区": 4, "望舒区": 1, "枫岚高新区": 5}),
    9: dict(points=2, rank=2, rank_source="computed", colour=G, score=1.9),
    10: dict(points=3, rank=2, rank_source="computed", colour=G, score=2.85),
    11: dict(kind="deduction", score=-0.5, unreported=False, display="发生1起"),
    12: dict(kind="deduction", score=None, unreported=True, display="未报送"),
    13: dict(kind="constraint", unreported=False, vetoed=False),
}


def build_a(root: Path) -> None:
    inp = root / "input"
    root.mkdir(parents=True, exist_ok=True)
    (root / "kaohe.toml").write_text(f'county = "{A_COUNTY}"\n', encoding="utf-8")
    head = ["一级\n指标", "序\n号", "考核指标", "分值\n（分）", "计分\n方法", "牵头\n单位", "配合\n单位"]
    w = len(head)
    rows: list[list[Any]] = [["附件1"] + [""] * (w - 1),
                             ["枫岚市2024年度各区高质量发展综合考核指标体系"] + [""] * (w - 1),
                             head]
    first = len(rows)
    rows += [list(x) for x in A_SYSTEM]
    merges = [(1, 0, 1, w - 1)] + _merge_runs(rows, 0, first)
    rows.append(["合计", "", "", 28, "", "", ""])
    merges.append((len(rows) - 1, 0, len(rows) - 1, 2))
    rows.append(["注：1.逆向指标按数值由低到高排名；2.减分项在总分中扣除；3.数据以市统计局反馈为准。"] + [""] * (w - 1))
    merges.append((len(rows) - 1, 0, len(rows) - 1, w - 1))
    write(inp / "枫岚市2024年度各区高质量发展综合考核指标体系.xlsx", GSheet("指标体系", rows, merges))

    month = inp / A_MONTH
    pw = 1 + len(A_PEER_HEAD)
    prow: list[list[Any]] = [["枫岚市2024年1-10月各区主要指标完成情况"] + [""] * (pw - 1),
                             ["地区"] + A_PEER_HEAD]
    for unit, vals in A_PEER_ROWS.items():
        prow.append([unit] + vals)
    prow.append(["注：“—”表示数据暂缺；全市为各区合计或全市口径。"] + [""] * (pw - 1))
    write(month / "2024年1-10月各区主要经济指标.xlsx",
          GSheet("1-10月", prow, [(0, 0, 0, pw - 1), (len(prow) - 1, 0, len(prow) - 1, pw - 1)]))

    head = ["序号", "指标名称", "2024年\n目标", "1-10月\n完成情况", "全市\n排名", "存在问题", "下步举措"]
    _dept(month / "澜庭区发改局10月指标进展.xlsx", "澜庭区发展和改革局2024年1-10月考核指标进展情况", head, [
        [1, "地区生产总值增速", "7%", "增长6.4%", "第2名", "工业拉动不足", "抓好重点项目投产"],
        [3, "固定资产投资增速", "5%", "4.0%", "1", "", ""],
        [10, "居民人均可支配收入增速", "6%", "5.9%", "2", "", ""],
    ], "澜庭区发展和改革局", "2024年11月4日")
    _dept(month / "澜庭区科技局10月.xls", "澜庭区科学技术局2024年1-10月考核指标进展情况", head, [
        [5, "高新技术产业增加值占规上工业比重", "30%", "28.4%", "4", "新增产能未释放", "推动项目达产"],
        [7, "R&D经费投入强度", "2.0%", "暂无数据", "/", "年度数据，统计局尚未反馈", ""],
    ], "澜庭区科学技术局", "2024年11月5日")
    _dept(month / "澜庭区应急管理局10月.xlsx", "澜庭区应急管理局2024年1-10月考核指标进展情况", head, [
        [11, "较大及以上生产安全事故", "不发生", "发生1起", "/", "9月发生较大事故1起", "开展专项整治"],
    ], "澜庭区应急管理局", "2024年11月4日")
    _dept(month / "澜庭区信访局10月.xlsx", "澜庭区信访局2024年1-10月考核指标进展情况", head, [
        [13, "重大群体性事件", "不发生", "未发生", "/", "", ""],
    ], "澜庭区信访局", "2024年11月3日")
    _dept(month / "澜庭区生态环境分局10月.xls", "枫岚市生态环境局澜庭区分局2024年1-10月考核指标进展情况", head, [
        [8, "PM2.5平均浓度", "≤32", "29微克/立方米", "1", "", ""],
    ], "枫岚市生态环境局澜庭区分局", "2024年11月5日")


A = Case("A_districts_transposed", A_MONTH, A_COUNTY, build_a,
         group=["芷岸区", "澜庭区", "栖梧区", "望舒区", "枫岚高新区"], group_size=5, group_label="五区",
         label_prefix="五", total_points=28, total=23.6,
         subtotals={"经济运行": (14, 12.85), "创新开放": (6, 3.5), "绿色民生": (8, 7.75), "安全稳定": (0, -0.5)},
         points_at_stake=3, unreported_events=[12], ind=A_TRUTH)


# ====================================================================== B  岱州市, nine counties
B_MONTH = "2025-03"
B_COUNTY = "柏溪县"
B_SHORT = ["青岚", "枫渡", "柏溪", "苇塘", "梅岭", "荻浦", "杉川", "菱湖", "桐坞"]
B_FULL = ["青岚县", "枫渡县", "柏溪县", "苇塘县", "梅岭市", "荻浦县", "杉川县", "菱湖县", "桐坞市"]
# (序号, 评价维度, 评价指标, 计量单位, 指标方向, 权重（分）, 数据来源)
B_SYSTEM = [
    (1, "发展速度", "地区生产总值增速", "%", "正向", 15, "市统计局"),
    (2, "发展速度", "一般公共预算收入增速", "%", "正向", 10, "市财政局"),
    (3, "发展速度", "规模以上工业增加值增速", "%", "正向", 15, "市统计局"),
    (4, "发展速度", "固定资产投资增速", "%", "正向", 10, "市统计局"),
    (5, "发展质量", "城乡居民收入比", "—", "逆向", 10, "国家统计局岱州调查队"),
    (6, "发展质量", "单位地区生产总值能耗", "吨标准煤/万元", "逆向", 10, "市发展改革委"),
    (7, "发展质量", "金融机构存贷比", "%", "正向", 10, "人民银行岱州市分行"),
    (8, "发展潜力", "常住人口城镇化率", "%", "正向", 10, "市统计局"),
    (9, "发展潜力", "研发经费投入强度", "%", "正向", 10, "市科技局"),
]
# values in B_SHORT order; "" is a blank cell
B_PEERS = {
    1: [6.0, 5.2, 5.6, 4.4, 7.4, 5.6, 3.4, 6.2, 5.0],
    2: [8.0, -2.0, 3.0, 5.5, 12.0, 0.5, 7.0, 10.0, 4.0],
    3: [9.1, 8.3, 10.5, 7.7, 11.3, 6.5, 8.8, 9.9, 10.5],
    4: [3.0, -5.0, 15.0, 2.0, 6.0, "—", 1.0, 9.0, -1.0],
    5: [1.85, 2.05, 1.95, 2.25, 1.65, 2.15, 2.45, 1.75, 2.05],
    6: [0.52, 0.61, 0.40, 0.48, 0.36, 0.72, 0.44, 0.40, 0.56],
    7: [72, 58, 64, 80, 90, 55, 61, 85, 70],
    8: [52.0, 45.0, "", 41.0, 61.0, 39.0, 43.0, 57.0, 50.0],
    9: [1.8, 1.2, "", 0.9, 2.6, 1.0, 0.7, 2.2, 1.5],
}
B_CITY = {1: 5.9, 2: 6.1, 3: 9.2, 4: 4.4, 5: 1.98, 6: 0.49, 7: 70, 8: 50.2, 9: 1.6}
B_CITY_OWN = {1: 6.3, 2: 9.0, 3: 8.1, 4: 5.0, 5: "", 6: 0.30, 7: 95, 8: "", 9: ""}
# ---- the truth, by hand. N = 9: green 1–3, yellow 4–6, red 7–9. Efficacy for every item:
#  score = points × (60 + 40 × (x − worst)/(best − worst)) / 100.
#  1 (15, higher) best 7.4 worst 3.4; ours 5.6: d = 60 + 40 × 2.2/4 = 82 -> 12.3
#    ranks 梅岭 7.4 | 菱湖 6.2 | 青岚 6.0 | 柏溪 = 荻浦 5.6 (4) | 枫渡 5.2 | 桐坞 5.0 | 苇塘 4.4 | 杉川 3.4: 4 yellow
#  2 (10, higher) best 12 worst −2; ours 3: d = 60 + 40 × 5/14 = 74.285714… -> 6 + 20/14 = 7.428571
#    ranks 12 | 10 | 8 | 7 | 5.5 | 4 | 3 (ours 7) | 0.5 | −2: 7 red
#  3 (15, higher) best 11.3 worst 6.5; ours 10.5: d = 60 + 40 × 4/4.8 = 93.333… -> 15 × 280/300 = 14
#    ranks 梅岭 11.3 | 柏溪 = 桐坞 10.5 (2) | …: 2 green
#  4 (10, higher) 荻浦 missing; ours 15 is the best: d = 100 -> 10; rank 1 of the 8 ranked, green
#  5 (10, lower: the system says 逆向) best 1.65 worst 2.45; ours 1.95: d = 60 + 40 × (−0.5)/(−0.8) = 85 -> 8.5
#    ranks 1.65 | 1.75 | 1.85 | 1.95 (ours 4) | 2.05 = 2.05 (5) | 2.15 | 2.25 | 2.45: 4 yellow
#  6 (10, lower) best 0.36 worst 0.72; ours 0.40: d = 60 + 40 × (−0.32)/(−0.36) = 60 + 320/9 -> 9.555556
#    ranks 0.36 | 0.40 = 0.40 (2) | …: 2 green
#  7 (10, higher) best 90 worst 55; ours 64: d = 60 + 40 × 9/35 -> 6 + 36/35 = 7.028571
#    ranks 90 | 85 | 80 | 72 | 70 | 64 (ours 6) | 61 | 58 | 55: 6 yellow
#  8 (10, higher) our column blank; 发改局 reports 48.6 %, which takes our place:
#    best 61 worst 39; d = 60 + 40 × 9.6/22 -> 6 + 38.4/22 = 7.7454545… -> 7.745455
#    ranks 61 | 57 | 52 | 50 | 48.6 (ours 5) | 45 | 43 | 41 | 39: 5 yellow
#  9 (10) our column blank, 科技局 writes —: no value, no rank, no score; the other eight ranked:
#    梅岭 2.6 (1) 菱湖 2.2 (2) 青岚 1.8 (3) 桐坞 1.5 (4) 枫渡 1.2 (5) 荻浦 1.0 (6) 苇塘 0.9 (7) 杉川 0.7 (8)
# 全市 and 岱州市本级 are not peers. Full marks 100.
# Subtotals: 发展速度 50 / 12.3 + 7.428571 + 14 + 10 = 43.728571
#            发展质量 30 / 8.5 + 9.555556 + 7.028571 = 25.084127
#            发展潜力 20 / 7.745455
# Total 43.728571 + 25.084127 + 7.745455 = 76.558153
B_TRUTH = {
    1: dict(points=15, rank=4, rank_source="computed", colour=Y, score=12.3, actual=5.6),
    2: dict(points=10, rank=7, rank_source="computed", colour=R, score=7.428571),
    3: dict(points=15, rank=2, rank_source="computed", colour=G, score=14),
    4: dict(points=10, rank=1, rank_source="computed", colour=G, score=10),
    5: dict(points=10, rank=4, rank_source="computed", colour=Y, score=8.5, direction="lower"),
    6: dict(points=10, rank=2, rank_source="computed", colour=G, score=9.555556, direction="lower"),
    7: dict(points=10, rank=6, rank_source="computed", colour=Y, score=7.028571),
    8: dict(points=10, rank=5, colour=Y, score=7.745455, actual=48.6, rank_source="computed"),
    9: dict(points=10, rank=None, colour=None, score=None, actual=None,
            peer_ranks_by_short={"梅岭": 1, "菱湖": 2, "青岚": 3, "桐坞": 4, "枫渡": 5, "荻浦": 6, "苇塘": 7,
                                 "杉川": 8}),
}


def build_b(root: Path, short: bool = True) -> None:
    inp = root / "input"
    root.mkdir(parents=True, exist_ok=True)
    (root / "kaohe.toml").write_text(f'county = "{B_COUNTY}"\n\n[scoring]\nmethod = "efficacy"\n',
                                     encoding="utf-8")
    head = ["序号", "评价\n维度", "评价指标", "计量\n单位", "指标\n方向", "权重\n（分）", "数据来源"]
    w = len(head)
    rows: list[list[Any]] = [["岱州市2025年度县域经济高质量发展监测评价指标体系"] + [""] * (w - 1),
                             [""] * (w - 1) + ["单位：分"], head]
    first = len(rows)
    rows += [list(x) for x in B_SYSTEM]
    merges = [(0, 0, 0, w - 1)] + _merge_runs(rows, 1, first)
    rows.append(["合计", "", "", "", "", 100, ""])
    merges.append((len(rows) - 1, 0, len(rows) - 1, 4))
    rows.append(["注：1.采用功效系数法计分；2.逆向指标数值越小越好；3.常住人口城镇化率、研发经费投入强度为年度数据，"
                 "季度按最新数据监测。"] + [""] * (w - 1))
    merges.append((len(rows) - 1, 0, len(rows) - 1, w - 1))
    write(inp / "岱州市2025年度县域经济高质量发展监测评价指标体系.xlsx", GSheet("评价指标", rows, merges))

    month = inp / B_MONTH
    phead = ["序号", "指标名称", "单位", "全市", "岱州市本级"] + (B_SHORT if short else B_FULL)
    pw = len(phead)
    prow: list[list[Any]] = [["岱州市2025年一季度各县（市）县域经济主要指标监测表"] + [""] * (pw - 1), phead]
    for no, _cat, name, unit, _d, _p, _s in B_SYSTEM:
        prow.append([no, name, unit, B_CITY[no], B_CITY_OWN[no]] + B_PEERS[no])
    prow.append(["注：“—”为数据暂缺，空白为尚未反馈。"] + [""] * (pw - 1))
    write(month / "岱州市2025年1-3月各县（市）县域经济主要指标监测表.xlsx",
          GSheet("一季度", prow, [(0, 0, 0, pw - 1), (len(prow) - 1, 0, len(prow) - 1, pw - 1)]))

    head = ["序号", "指标名称", "一季度\n完成值", "全市\n位次", "备注"]
    _dept(month / "柏溪县发改局一季度监测指标.xlsx", "柏溪县发展和改革局2025年一季度县域经济监测指标完成情况", head, [
        [1, "地区生产总值增速", "5.6%", "4", ""],
        [4, "固定资产投资增速", "增长15.0%", "1", ""],
        [8, "常住人口城镇化率", "48.6%", "", "按2024年末常住人口测算"],
    ], "柏溪县发展和改革局", "2025年4月3日")
    _dept(month / "柏溪县科技局一季度.xls", "柏溪县科学技术局2025年一季度县域经济监测指标完成情况", head, [
        [9, "研发经费投入强度", "—", "—", "年度数据，待省统计局反馈"],
    ], "柏溪县科学技术局", "2025年4月2日")


B = Case("B_nine_short_efficacy", B_MONTH, B_COUNTY, build_b,
         group=None, group_size=9, group_label=None, label_prefix="九",
         total_points=100, total=76.558153,
         subtotals={"发展速度": (50, 43.728571), "发展质量": (30, 25.084127), "发展潜力": (20, 7.745455)},
         points_at_stake=0, unreported_events=[], ind=B_TRUTH)

# B again with the county names written in full in the peer sheet (梅岭市, 桐坞市 among seven
# 县): the same truth, the group named exactly and said "九县市". This separates reading
# short headers (B) from the efficacy arithmetic and our blank column (both here).
B_FULL_TRUTH = dict(B_TRUTH)
B_FULL_TRUTH[9] = dict(points=10, rank=None, colour=None, score=None, actual=None,
                       peer_ranks={"梅岭市": 1, "菱湖县": 2, "青岚县": 3, "桐坞市": 4, "枫渡县": 5, "荻浦县": 6,
                                   "苇塘县": 7, "杉川县": 8})
B_FULL_CASE = Case("B_nine_full_names", B_MONTH, B_COUNTY, lambda root: build_b(root, short=False),
                   group=B_FULL, group_size=9, group_label="九县市", label_prefix="九",
                   total_points=100, total=76.558153, subtotals=B.subtotals,
                   points_at_stake=0, unreported_events=[], ind=B_FULL_TRUTH)


# ====================================================================== C  岷澄市, per-unit points
C_MONTH = "2024-11"
C_COUNTY = "临空经济区"
C_UNITS = ["砚江区", "岳安县", "乐丰县", "高新区", "临空经济区"]
NA = "---"
# section rows are strings; indicator rows:
# (序号, 考核内容, 分值 cell (None: under the merged cell above), targets in C_UNITS order
#  (a (text, span) spans units), 牵头单位, 考核方式)
C_SYSTEM: list[Any] = [
    "一、经济发展",
    (1, "地区生产总值增速", "2 (乐丰县2.5)", [6.5, 6.5, 7, 8, 9], "市发展改革委", "按名次计分"),
    (2, "规模以上工业增加值增速", "3（高新区6）（临空经济区6）", [8, 8, 8.5, 12, 12], "市经济和信息化局", "按名次计分"),
    (3, "工业投资增速", None, [10, 10, 10, 15, 15], "市经济和信息化局", "按名次计分"),
    (4, "工业技术改造投资增速", None, [5, 5, 5, 10, 10], "市经济和信息化局", "按名次计分"),
    (5, "社会消费品零售总额增速", 2, [7, 7, 6.5, NA, "不考核"], "市商务局", "按名次计分"),
    "二、开放创新",
    (6, "实际到位外资", 2, [1500, 800, 600, 3000, 2000], "市投资促进局", "按完成比例计分"),
    (7, "进出口总额增速", "3（临空经济区4）", [10, 8, 8, 15, 20], "市商务局", "按名次计分"),
    (8, "高新技术企业数", 2, [20, "/", 10, 60, NA], "市科技局", "按名次计分"),
    "三、民生保障",
    (9, "城镇新增就业人数", 2, [6000, 4000, 3500, 1500, 1000], "市人力资源社会保障局", "按完成比例计分"),
    (10, "居民人均可支配收入增速", "3 (高新区2) (临空经济区2)", [6.5, 7, 7, 6, 6], "市发展改革委", "按名次计分"),
    (11, "空气质量优良天数比例", 2, [("≥85%", 5)], "市生态环境局", "按名次计分"),
    "四、安全底线",
    (12, "较大及以上生产安全事故", "每发生一起扣1分，最多扣3分", [("不发生", 5)], "市应急管理局", "从总分中扣除"),
]
C_GROUP_ROWS = (2, 4)  # the 分值 cell of 2 merged down over 2–4
# peer sheet: (name, 方向, 岷澄市, values in C_UNITS order)
C_PEERS = [
    ("地区生产总值增速", "正向", 7.4, [6.8, 6.1, 7.0, 8.2, 9.5]),
    ("规模以上工业增加值增速", "正向", 9.3, [8.5, 9.0, 7.2, 12.5, 10.1]),
    ("工业投资增速", "正向", 11.8, [12.0, 8.0, 15.2, 20.1, 6.3]),
    ("工业技术改造投资增速", "正向", 5.6, [4.5, 6.0, 5.5, 6.0, 5.0]),
    ("社会消费品零售总额增速", "正向", 6.6, [6.8, 7.2, 6.0, "—", "—"]),
    ("进出口总额增速", "正向", 9.9, [5.0, -3.2, 2.1, 18.5, 25.3]),
    ("居民人均可支配收入增速", "正向", 6.7, [6.6, 7.1, 7.1, 6.0, 6.3]),
    ("空气质量优良天数比例", "正向", 86.0, [86.3, 88.1, 90.2, 83.5, 83.5]),
]
# ---- the truth, by hand (we are 临空经济区 = K). N = 5: green 1–2, yellow 3–4, red 5.
# K's points: 1: 2 (the override names 乐丰县)   2–4: 6 (临空经济区6) over three rows = 2 each
#   5: 不考核 (out)   6: 2   7: 4 (临空经济区4)   8: --- (out)   9: 2   10: 2 (临空经济区2)   11: 2
#   12: deduction (out).  Full marks 2 + 6 + 2 + 4 + 2 + 2 + 2 = 20
# Other units (spec total_points_by_unit; `/` read as not assessed, like ---):
#   砚江区 2 + 3 + 2 + 2 + 3 + 2 + 2 + 3 + 2 = 21      岳安县 2 + 3 + 2 + 2 + 3 + 0 (/) + 2 + 3 + 2 = 19
#   乐丰县 2.5 + 3 + 2 + 2 + 3 + 2 + 2 + 3 + 2 = 21.5  高新区 2 + 6 + 0 (---) + 2 + 3 + 2 + 2 + 2 + 2 = 21
#  1 GDP: K 9.5 highest -> 1 green, 2
#  2 规上: 高新 12.5 | K 10.1 | 岳安 9.0 | 砚江 8.5 | 乐丰 7.2 -> 2 green, 2 × 0.95 = 1.9
#  3 工业投资: 高新 20.1 | 乐丰 15.2 | 砚江 12.0 | 岳安 8.0 | K 6.3 -> 5 red, 2 × 0.80 = 1.6
#  4 技改: 岳安 = 高新 6.0 (1) | 乐丰 5.5 (3) | K 5.0 (4) | 砚江 4.5 (5) -> 4 yellow, 2 × 0.85 = 1.7
#  5 不考核 for K: display 不考核, no points, no score
#  6 completion: 1700 / 2000 (K's target in the system) = 85 % -> 2 × 0.85 = 1.7; no rank, no colour
#  7 进出口: K 25.3 highest -> 1 green, 4
#  8 --- for K: not assessed
#  9 completion: 1250 / 1000 = 125 %, capped at 100 % -> 2
# 10 收入: 岳安 = 乐丰 7.1 (1) | 砚江 6.6 (3) | K 6.3 (4) | 高新 6.0 (5) -> 4 yellow, 2 × 0.85 = 1.7
# 11 优良天数: 乐丰 90.2 | 岳安 88.1 | 砚江 86.3 | 高新 = K 83.5 (4) -> 4 yellow, 2 × 0.85 = 1.7
# 12 deduction 1 a case, cap 3: 发生2起 -> −2
# Subtotals: 经济发展 8 / 2 + 1.9 + 1.6 + 1.7 = 7.2;  开放创新 6 / 1.7 + 4 = 5.7
#            民生保障 6 / 2 + 1.7 + 1.7 = 5.4;        安全底线 0 / −2
# Total 7.2 + 5.7 + 5.4 − 2 = 16.3
C_TRUTH = {
    1: dict(points=2, rank=1, rank_source="computed", colour=G, score=2),
    2: dict(points=2, rank=2, rank_source="computed", colour=G, score=1.9),
    3: dict(points=2, rank=5, rank_source="computed", colour=R, score=1.6),
    4: dict(points=2, rank=4, rank_source="computed", colour=Y, score=1.7,
            peer_ranks={"砚江区": 5, "岳安县": 1, "乐丰县": 3, "高新区": 1, "临空经济区": 4}),
    5: dict(points=None, not_assessed=True, display="不考核", score=None, colour=None),
    6: dict(points=2, score=1.7, target=2000, actual=1700, colour=None),
    7: dict(points=4, rank=1, rank_source="computed", colour=G, score=4),
    8: dict(points=None, not_assessed=True, display="不考核", score=None, colour=None),
    9: dict(points=2, score=2, target=1000, actual=1250),
    10: dict(points=2, rank=4, rank_source="computed", colour=Y, score=1.7),
    11: dict(points=2, rank=4, rank_source="computed", colour=Y, score=1.7),
    12: dict(kind="deduction", score=-2, unreported=False),
}
C_TOTAL_POINTS_BY_UNIT = {"砚江区": 21, "岳安县": 19, "乐丰县": 21.5, "高新区": 21, "临空经济区": 20}


def build_c(root: Path) -> None:
    inp = root / "input"
    root.mkdir(parents=True, exist_ok=True)
    (root / "kaohe.toml").write_text(
        f'county = "{C_COUNTY}"\n\n[indicators."6"]\nmethod = "completion"\n\n'
        '[indicators."9"]\nmethod = "completion"\n', encoding="utf-8")
    n = len(C_UNITS)
    w = 3 + n + 2  # 序号 考核内容 分值 | units | 牵头单位 考核方式
    rows: list[list[Any]] = [
        ["附件1"] + [""] * (w - 1),
        ["岷澄市2024年度区县（园区）目标绩效考核指标及分值"] + [""] * (w - 1),
        ["序号", "考核内容", "分\n值", "年度目标任务"] + [""] * (n - 1) + ["牵头单位", "考核方式"],
        ["", "", ""] + C_UNITS + ["", ""],
    ]
    merges = [(1, 0, 1, w - 1), (2, 3, 2, 3 + n - 1)]
    for c in (0, 1, 2, 3 + n, 4 + n):
        merges.append((2, c, 3, c))
    row_of: dict[int, int] = {}
    for item in C_SYSTEM:
        r = len(rows)
        if isinstance(item, str):
            rows.append([item] + [""] * (w - 1))
            merges.append((r, 0, r, w - 1))
            continue
        no, name, pts, targets, lead, how = item
        line: list[Any] = [no, name, "" if pts is None else pts]
        c = 3
        for t in targets:
            text, span = t if isinstance(t, tuple) else (t, 1)
            line.append(text)
            line += [""] * (span - 1)
            if span > 1:
                merges.append((r, c, r, c + span - 1))
            c += span
        line += [lead, how]
        rows.append(line)
        row_of[no] = r
    merges.append((row_of[C_GROUP_ROWS[0]], 2, row_of[C_GROUP_ROWS[1]], 2))
    rows.append([""] * w)
    r = len(rows)
    rows.append(["注：1.“---”“不考核”“/”表示该区县（园区）不考核此项指标，不计入其总分；2.分值栏括号内为该单位适用分值；"
                 "3.第2-4项共用一个分值，各项平均分配。"] + [""] * (w - 1))
    merges.append((r, 0, r, w - 1))
    write(inp / "附件1：岷澄市2024年度区县（园区）目标绩效考核指标及分值.xlsx", GSheet("附件1", rows, merges))

    month = inp / C_MONTH
    pw = 3 + n
    prow: list[list[Any]] = [
        ["岷澄市各区县（园区）2024年1-11月主要指标完成情况"] + [""] * (pw - 1),
        ["指标名称", "方向", "2024年1-11月"] + [""] * (pw - 3),
        ["", "", "岷澄市"] + C_UNITS,
    ]
    pm = [(0, 0, 0, pw - 1), (1, 2, 1, pw - 1), (1, 0, 2, 0), (1, 1, 2, 1)]
    for name, d, city, vals in C_PEERS:
        prow.append([name, d, city] + vals)
    prow.append(["注：“—”表示该单位不考核此项指标或数据暂缺。"] + [""] * (pw - 1))
    pm.append((len(prow) - 1, 0, len(prow) - 1, pw - 1))
    write(month / "岷澄市2024年1-11月各区县（园区）主要指标.xlsx", GSheet("1-11月", prow, pm))

    head = ["序号", "指标名称", "1-11月\n完成情况", "排名", "存在问题", "下步举措"]
    _dept(month / "临空经济区经济发展局11月报表.xlsx", "临空经济区经济发展局2024年1-11月目标绩效指标进展情况", head, [
        [1, "地区生产总值增速", "9.5%", "1", "", ""],
        [2, "规模以上工业增加值增速", "10.1%", "第2名", "", ""],
        [3, "工业投资增速", "6.3%", "5", "大项目接续不足", "加快项目签约落地"],
        [4, "工业技术改造投资增速", "5.0%", "4", "", ""],
        [10, "居民人均可支配收入增速", "6.3%", "4", "", ""],
    ], "临空经济区经济发展局", "2024年12月4日")
    _dept(month / "临空经济区招商服务局11月报表.xls", "临空经济区招商服务局2024年1-11月目标绩效指标进展情况", head, [
        [6, "实际到位外资", "1700万美元", "/", "外资项目到资滞后", "督促到资"],
        [7, "进出口总额增速", "增长25.3%", "1", "", ""],
    ], "临空经济区招商服务局", "2024年12月5日")
    _dept(month / "临空经济区社会事务局11月报表.xlsx", "临空经济区社会事务局2024年1-11月目标绩效指标进展情况", head, [
        [9, "城镇新增就业人数", "1250人", "/", "", ""],
        [11, "空气质量优良天数比例", "83.5%", "4", "臭氧超标天数偏多", "加强VOCs治理"],
    ], "临空经济区社会事务局", "2024年12月3日")
    _dept(month / "临空经济区安全生产监督管理局11月报表.xlsx", "临空经济区安全生产监督管理局2024年1-11月目标绩效指标进展情况",
          head, [
              [12, "较大及以上生产安全事故", "发生2起", "/", "发生较大事故2起", "开展安全生产大排查"],
          ], "临空经济区安全生产监督管理局", "2024年12月4日")


C = Case("C_per_unit_points", C_MONTH, C_COUNTY, build_c,
         group=C_UNITS, group_size=5, group_label="五县区", label_prefix="五",
         total_points=20, total=16.3,
         subtotals={"经济发展": (8, 7.2), "开放创新": (6, 5.7), "民生保障": (6, 5.4), "安全底线": (0, -2)},
         points_at_stake=0, unreported_events=[], ind=C_TRUTH)


# ====================================================================== D  云岫县, 七县市, two sheets .xls
D_MONTH = "2024-12"
D_FOLDER = "2024年12月"
D_COUNTY = "云岫县"
D_COUNTIES = ["云岫县", "枫桥县", "白鹭县", "石湾县", "岚溪市", "鹤鸣县", "清潭市"]
# (类别, 序号, 指标名称, 分值, 2024年目标值, 责任单位)
D_COMMON = [
    ("经济发展", 1, "地区生产总值增速", 5, "6.5%", "县发改委"),
    ("经济发展", 2, "一般公共预算收入增速", 5, "5%", "县财政局"),
    ("经济发展", 3, "规模以上工业增加值增速", 4, "8%", "县工信局"),
    ("经济发展", 4, "社会消费品零售总额增速", 4, "7%", "县商务局"),
    ("创新驱动", 5, "高新技术企业数", 3, "25家", "县科技局"),
    ("创新驱动", 6, "技术合同成交额", 3, "1.2亿元", "县科技局"),
    ("共享发展", 7, "农村居民人均可支配收入增速", 4, "7.5%", "县农业农村局"),
    ("共享发展", 8, "城镇调查失业率", 2, "≤5.5%", "县人社局"),
]
D_OWN = [
    ("特色产业", 9, "茶产业综合产值", 4, "36亿元", "县农业农村局"),
    ("特色产业", 10, "新增规模以上农产品加工企业", 3, "6家", "县农业农村局"),
    ("生态文旅", 11, "接待游客人次", 3, "480万人次", "县文广旅局"),
    ("生态文旅", 12, "森林覆盖率", 2, "68%", "县林业局"),
]
# peer sheet: 序号, name, 方向, 全市, D_COUNTIES
D_PEERS = {
    1: ("正向", 6.0, [6.1, 5.3, 6.1, 4.8, 6.6, 5.9, 7.0]),
    2: ("正向", 4.6, [3.2, 6.5, 1.1, -4.0, 8.8, 2.0, 5.0]),
    3: ("正向", 8.6, [9.5, 8.0, 7.5, 10.2, 6.0, 9.5, 8.8]),
    4: ("正向", 5.7, [4.1, 5.2, 6.0, 5.5, 7.1, 4.9, 6.3]),
    5: ("正向", 195, [28, 19, 33, 15, 41, 22, 37]),
    6: ("正向", 7.2, [1.35, 0.8, "—", 0.6, 2.1, 1.0, 1.35]),
    7: ("正向", 7.3, [7.6, 7.2, 7.9, 6.8, 7.0, 7.6, 6.5]),
    8: ("逆向", 5.1, [5.1, 5.3, 4.8, 5.6, 5.0, 5.1, 4.9]),
}
# ---- the truth, by hand. N = 7: green 1–3, yellow 4–5, red 6–7. Rank steps on 1–8,
# completion (targets from the system's 目标值 column) on 9–12.
#  1 (5): 清潭 7.0 | 岚溪 6.6 | 云岫 = 白鹭 6.1 (3) | 鹤鸣 5.9 | 枫桥 5.3 | 石湾 4.8 -> 3 green, 5 × 0.90 = 4.5
#  2 (5): 8.8 | 6.5 | 5.0 | 3.2 (ours 4) | 2.0 | 1.1 | −4.0 -> 4 yellow, 5 × 0.85 = 4.25
#  3 (4): 石湾 10.2 | 云岫 = 鹤鸣 9.5 (2) | 清潭 8.8 (4) | … -> 2 green, 4 × 0.95 = 3.8
#  4 (4): 7.1 | 6.3 | 6.0 | 5.5 | 5.2 | 4.9 | 4.1 (ours 7) -> 7 red, 4 × 0.70 = 2.8
#  5 (3): 41 | 37 | 33 | 28 (ours 4) | 22 | 19 | 15 -> 4 yellow, 3 × 0.85 = 2.55
#  6 (3): 白鹭 missing; 岚溪 2.1 | 云岫 = 清潭 1.35 (2) | 鹤鸣 1.0 | 枫桥 0.8 | 石湾 0.6 -> 2 green, 3 × 0.95 = 2.85
#  7 (4): 白鹭 7.9 | 云岫 = 鹤鸣 7.6 (2) | 7.2 | 7.0 | 6.8 | 6.5 -> 2 green, 4 × 0.95 = 3.8
#  8 (2, 逆向 in the peer sheet): 白鹭 4.8 | 清潭 4.9 | 岚溪 5.0 | 云岫 = 鹤鸣 5.1 (4) | 枫桥 5.3 | 石湾 5.6
#    -> 4 yellow, 2 × 0.85 = 1.7
#  9 (4): 30.6 / 36 = 85 % -> 3.4        10 (3): 8 / 6 = 133 %, capped -> 3
# 11 (3): 432 / 480 = 90 % -> 2.7       12 (2): 67.32 / 68 = 99 % -> 1.98
# Full marks 30 (共性) + 12 (个性) = 42
# First-level categories: the two sheets, 共性指标 and 个性指标 (as seed 000's 指标属性 共性/特色
# is the first level); each sheet's 类别 column (经济发展 …) is the second level.
#   共性指标 30 / (4.5 + 4.25 + 3.8 + 2.8) + (2.55 + 2.85) + (3.8 + 1.7) = 15.35 + 5.4 + 5.5 = 26.25
#   个性指标 12 / (3.4 + 3) + (2.7 + 1.98) = 6.4 + 4.68 = 11.08
# Total 26.25 + 11.08 = 37.33
D_TRUTH = {
    1: dict(points=5, rank=3, rank_source="computed", colour=G, score=4.5),
    2: dict(points=5, rank=4, rank_source="computed", colour=Y, score=4.25),
    3: dict(points=4, rank=2, rank_source="computed", colour=G, score=3.8),
    4: dict(points=4, rank=7, rank_source="computed", colour=R, score=2.8),
    5: dict(points=3, rank=4, rank_source="computed", colour=Y, score=2.55),
    6: dict(points=3, rank=2, rank_source="computed", colour=G, score=2.85),
    7: dict(points=4, rank=2, rank_source="computed", colour=G, score=3.8),
    8: dict(points=2, rank=4, rank_source="computed", colour=Y, score=1.7, direction="lower"),
    9: dict(points=4, score=3.4, target=36, actual=30.6),
    10: dict(points=3, score=3, target=6, actual=8),
    11: dict(points=3, score=2.7, target=480, actual=432),
    12: dict(points=2, score=1.98, target=68, actual=67.32),
}


def _d_sheet(title: str, rows_in: list[tuple], total: int, note: str, attach: bool) -> GSheet:
    head = ["类别", "序号", "指标名称", "分值", "2024年\n目标值", "责任单位"]
    w = len(head)
    rows: list[list[Any]] = ([["附件1"] + [""] * (w - 1)] if attach else []) + [[title] + [""] * (w - 1), head]
    t = len(rows) - 2
    first = len(rows)
    rows += [list(x) for x in rows_in]
    merges = [(t, 0, t, w - 1)] + _merge_runs(rows, 0, first)
    rows.append(["小计", "", "", total, "", ""])
    merges.append((len(rows) - 1, 0, len(rows) - 1, 2))
    rows.append([note] + [""] * (w - 1))
    merges.append((len(rows) - 1, 0, len(rows) - 1, w - 1))
    return GSheet("", rows, merges)


def build_d(root: Path) -> None:
    inp = root / "input"
    root.mkdir(parents=True, exist_ok=True)
    (root / "kaohe.toml").write_text("".join(f'[indicators."{n}"]\nmethod = "completion"\n\n' for n in (9, 10, 11, 12)),
                                     encoding="utf-8")
    common = _d_sheet("2024年度云岫县高质量发展绩效考核指标体系（共性指标）", D_COMMON, 30,
                      "注：共性指标按七县市排名计分，第1名得满分，每后退1名扣减该项分值的5%。", True)
    common.name = "共性指标"
    own = _d_sheet("2024年度云岫县高质量发展绩效考核指标体系（个性指标）", D_OWN, 12,
                   "注：个性指标按目标完成比例计分，超额完成不加分。", False)
    own.name = "个性指标"
    write(inp / "2024年度云岫县高质量发展绩效考核指标体系.xls", [common, own])

    month = inp / D_FOLDER
    phead = ["序号", "指标名称", "方向", "全市"] + D_COUNTIES
    pw = len(phead)
    prow: list[list[Any]] = [["霁川市2024年1-12月各县（市）高质量发展主要指标"] + [""] * (pw - 1), phead]
    names = {x[1]: x[2] for x in D_COMMON}
    for no, (d, city, vals) in D_PEERS.items():
        prow.append([no, names[no], d, city] + vals)
    prow.append(["注：数据来源于市统计局，“—”为暂无数据。"] + [""] * (pw - 1))
    write(month / "七县市数据（2024年1-12月）.xlsx",
          GSheet("七县市", prow, [(0, 0, 0, pw - 1), (len(prow) - 1, 0, len(prow) - 1, pw - 1)]))

    head = ["序号", "指标名称", "1-12月\n完成情况", "七县市\n排名", "存在问题", "下步措施"]
    _dept(month / "云岫县发改委12月.xlsx", "云岫县发展和改革委员会2024年1-12月高质量发展指标进展情况", head, [
        [1, "地区生产总值增速", "6.1%", "3", "", ""],
    ], "云岫县发展和改革委员会", "2025年1月5日")
    _dept(month / "云岫县农业农村局12月.xls", "云岫县农业农村局2024年1-12月高质量发展指标进展情况", head, [
        [7, "农村居民人均可支配收入增速", "7.6%", "2", "", ""],
        [9, "茶产业综合产值", "30.6亿元", "/", "茶叶价格下行", "拓展精深加工"],
        [10, "新增规模以上农产品加工企业", "8家", "/", "", ""],
    ], "云岫县农业农村局", "2025年1月6日")
    _dept(month / "云岫县文广旅局12月.xlsx", "云岫县文化广电和旅游局2024年1-12月高质量发展指标进展情况", head, [
        [11, "接待游客人次", "432万人次", "/", "冬季客流偏少", "策划冰雪旅游活动"],
    ], "云岫县文化广电和旅游局", "2025年1月4日")
    _dept(month / "云岫县林业局12月.xlsx", "云岫县林业局2024年1-12月高质量发展指标进展情况", head, [
        [12, "森林覆盖率", "67.32%", "/", "", ""],
    ], "云岫县林业局", "2025年1月6日")
    _dept(month / "云岫县科技局12月.xlsx", "云岫县科学技术局2024年1-12月高质量发展指标进展情况", head, [
        [5, "高新技术企业数", "28家", "4", "", ""],
        [6, "技术合同成交额", "1.35亿元", "2", "", ""],
    ], "云岫县科学技术局", "2025年1月5日")


D = Case("D_two_sheets_xls_seven", D_MONTH, D_COUNTY, build_d,
         group=D_COUNTIES, group_size=7, group_label="七县市", label_prefix="七",
         total_points=42, total=37.33,
         subtotals={"共性指标": (30, 26.25), "个性指标": (12, 11.08)},
         points_at_stake=0, unreported_events=[], ind=D_TRUTH)


# ====================================================================== E  汀澜市, 四区
E_MONTH = "2025-05"
E_COUNTY = "汀南区"
E_UNITS = ["汀北区", "汀南区", "澜西区", "澜东区"]
SUB = "服务业增加值增速"  # the sub-item row: no 序号, no 分值 (shares 4's points)
# (一级指标, 二级指标, 序号, 指标名称, 分值, 评分标准, 责任单位)
E_SYSTEM = [
    ("经济高质量发展", "经济运行", 1, "地区生产总值增速", 6, "按四区排名计分，第1名得满分，每降1位减5%", "区发改委"),
    ("经济高质量发展", "经济运行", 2, "一般公共预算收入", 4, "按四区排名计分", "区财政局"),
    ("经济高质量发展", "经济运行", 3, "固定资产投资增速", 4, "按四区排名计分", "区发改委"),
    ("经济高质量发展", "产业发展", 4, "服务业增加值占地区生产总值比重", 4, "比重和增速各占50%，分别按四区排名计分", "区发改委"),
    ("经济高质量发展", "产业发展", "", SUB, "", "", "区发改委"),
    ("经济高质量发展", "产业发展", 5, "数字经济核心产业增加值增速", 3, "按四区排名计分", "区工信局"),
    ("社会高质量发展", "民生事业", 6, "城镇新增就业人数", 3, "按四区排名计分", "区人社局"),
    ("社会高质量发展", "民生事业", 7, "“一老一小”服务设施建设", 2, "按市民政局年度考评排名计分", "区民政局"),
    ("社会高质量发展", "社会治理", 8, "信访工作", 2, "按市信访局通报排名计分", "区信访局"),
    ("加分项", "加分项", 9, "获得国家级表彰奖励", "每项加0.5分，最高加1分", "以国家部委文件为准", "区委办"),
    ("约束性指标", "约束性指标", 10, "重大安全生产事故", 1, "发生即该项不得分并取消评优资格", "区应急管理局"),
]
# peer sheet: (name, 计量单位, values in E_UNITS order, 汀澜市)
E_PEERS = [
    ("地区生产总值增速", "%", [5.5, 6.0, 6.0, 4.5], 5.6),
    ("一般公共预算收入", "亿元", [12.4, 9.8, 15.1, 9.8], 60.3),
    ("固定资产投资增速", "%", [3.5, 2.0, -1.5, 2.0], 1.9),
    ("服务业增加值占地区生产总值比重", "%", [58.2, 61.5, 49.9, 55.0], 56.8),
    (SUB, "%", [6.2, 4.8, 5.1, 5.5], 5.4),
    ("数字经济核心产业增加值增速", "%", [11.0, 13.5, "—", 9.0], 10.8),
    ("城镇新增就业人数", "人", [6200, 5400, 4800, 5400], 21800),
]
# ---- the truth, by hand. N = 4: green 1–2, yellow 3, red 4.
#  1 (6): 汀南 = 澜西 6.0 (1) | 汀北 5.5 (3) | 澜东 4.5 (4) -> 1 green, 6
#  2 (4): 澜西 15.1 | 汀北 12.4 | 汀南 = 澜东 9.8 (3) -> 3 yellow, 4 × 0.90 = 3.6
#  3 (4): 汀北 3.5 (1) | 汀南 = 澜东 2.0 (2) | 澜西 −1.5 (4) -> 1,2,2,4: 2 green, 4 × 0.95 = 3.8
#  4 and its sub-item share 4 points: 2 each.
#    比重: 汀南 61.5 | 汀北 58.2 | 澜东 55.0 | 澜西 49.9 -> 1 green, 2
#    增速: 汀北 6.2 | 澜东 5.5 | 澜西 5.1 | 汀南 4.8 -> 4 red, 2 × 0.85 = 1.7
#  5 (3): 澜西 missing; 汀南 13.5 | 汀北 11.0 | 澜东 9.0 -> 1 green, 3
#  6 (3): 汀北 6200 | 汀南 = 澜东 5400 (2) | 澜西 4800 -> 2 green, 3 × 0.95 = 2.85
#  7 (2): 民政局 writes 正常推进, no rank: qualitative, reported, no colour, no score
#  8 (2): not in the peer sheet; 信访局 reports 第2名 -> rank 2 (reported), green, 2 × 0.95 = 1.9
#  9 加分项, 0.5 an award, cap 1: 区委办 reports 3项 -> min(1.5, 1) = +1 (out of full marks)
# 10 约束性指标 (1 point): nobody reports -> unknown, 1 point at stake
# Full marks 6 + 4 + 4 + 4 + 3 + 3 + 2 + 2 + 1 = 29
# Subtotals: 经济高质量发展 21 / 6 + 3.6 + 3.8 + 2 + 1.7 + 3 = 20.1
#            社会高质量发展 7 / 2.85 + 1.9 = 4.75;  加分项 0 / 1;  约束性指标 1 / 0
# Total 20.1 + 4.75 + 1 = 25.85
E_TRUTH = {
    1: dict(points=6, rank=1, rank_source="computed", colour=G, score=6,
            peer_ranks={"汀北区": 3, "汀南区": 1, "澜西区": 1, "澜东区": 4}),
    2: dict(points=4, rank=3, rank_source="computed", colour=Y, score=3.6),
    3: dict(points=4, rank=2, rank_source="computed", colour=G, score=3.8,
            peer_ranks={"汀北区": 1, "汀南区": 2, "澜西区": 4, "澜东区": 2}),
    4: dict(points=2, rank=1, rank_source="computed", colour=G, score=2),
    SUB: dict(points=2, rank=4, rank_source="computed", colour=R, score=1.7),
    5: dict(points=3, rank=1, rank_source="computed", colour=G, score=3),
    6: dict(points=3, rank=2, rank_source="computed", colour=G, score=2.85),
    7: dict(points=2, rank=None, colour=None, score=None, qualitative=True, display="正常推进"),
    8: dict(points=2, rank=2, rank_source="reported", colour=G, score=1.9),
    9: dict(kind="bonus", score=1),
    10: dict(kind="constraint", score=None, unreported=True, display="未报送"),
}


def build_e(root: Path) -> None:
    inp = root / "input"
    root.mkdir(parents=True, exist_ok=True)
    (root / "kaohe.toml").write_text(f'county = "{E_COUNTY}"\n', encoding="utf-8")
    head = ["一级指标", "二级指标", "序号", "指标名称", "分值", "评分标准", "责任单位"]
    w = len(head)
    rows: list[list[Any]] = [["附件"] + [""] * (w - 1),
                             ["汀澜市2025年度区级高质量发展综合考核指标及评分细则"] + [""] * (w - 1), head]
    first = len(rows)
    rows += [list(x) for x in E_SYSTEM]
    merges = [(1, 0, 1, w - 1)] + _merge_runs(rows, 0, first) + _merge_runs(rows, 1, first)
    rows.append([""] * w)
    rows.append(["注：1.加分项不计入基本分；2.约束性指标发生即取消年度评优资格；3.数据以市统计局及各主管部门通报为准。"]
                + [""] * (w - 1))
    merges.append((len(rows) - 1, 0, len(rows) - 1, w - 1))
    write(inp / "汀澜市2025年度区级高质量发展综合考核指标及评分细则.xlsx", GSheet("考核细则", rows, merges))

    month = inp / E_MONTH
    phead = ["指标名称", "计量单位"] + E_UNITS + ["汀澜市"]
    pw = len(phead)
    prow: list[list[Any]] = [["汀澜市2025年1-5月各区主要经济指标"] + [""] * (pw - 1), phead]
    for name, unit, vals, city in E_PEERS:
        prow.append([name, unit] + vals + [city])
    prow.append(["注：“—”为数据暂缺。"] + [""] * (pw - 1))
    write(month / "2025年1-5月各区主要经济指标.xlsx",
          GSheet("1-5月", prow, [(0, 0, 0, pw - 1), (len(prow) - 1, 0, len(prow) - 1, pw - 1)]))

    head = ["序号", "指标名称", "1-5月\n完成值", "四区\n位次", "存在问题", "下步打算"]
    _dept(month / "汀南区发改委5月.xls", "汀南区发展和改革委员会2025年1-5月考核指标完成情况", head, [
        [1, "地区生产总值增速", "6.0%", "1", "", ""],
        [3, "固定资产投资增速", "2.0%", "2", "", ""],
        [4, "服务业增加值占地区生产总值比重", "61.5%", "1", "", ""],
        ["", SUB, "4.8%", "4", "批发零售业下滑", "培育新消费场景"],
    ], "汀南区发展和改革委员会", "2025年6月4日")
    _dept(month / "汀南区民政局5月.xlsx", "汀南区民政局2025年1-5月考核指标完成情况", head, [
        [7, "“一老一小”服务设施建设", "正常推进", "/", "", ""],
    ], "汀南区民政局", "2025年6月3日")
    _dept(month / "汀南区信访局5月.xls", "汀南区信访局2025年1-5月考核指标完成情况", head, [
        [8, "信访工作", "有序推进", "第2名", "", ""],
    ], "汀南区信访局", "2025年6月5日")
    _dept(month / "汀南区委办5月.xlsx", "中共汀南区委办公室2025年1-5月考核指标完成情况", head, [
        [9, "获得国家级表彰奖励", "3项", "/", "", ""],
    ], "中共汀南区委办公室", "2025年6月5日")


E = Case("E_four_districts_subitem", E_MONTH, E_COUNTY, build_e,
         group=E_UNITS, group_size=4, group_label="四区", label_prefix="四",
         total_points=29, total=25.85,
         subtotals={"经济高质量发展": (21, 20.1), "社会高质量发展": (7, 4.75), "加分项": (0, 1), "约束性指标": (1, 0)},
         points_at_stake=1, unreported_events=[10], ind=E_TRUTH)


CASES = [A, B, B_FULL_CASE, C, D, E]
